"""About: what the playground teaches and where each idea lives."""

import streamlit as st

st.title("About the softmax playground")
st.markdown(
    "Softmax regression (multinomial logistic regression) scores each class with a linear "
    "function, turns the scores into probabilities with softmax, and is trained by gradient "
    "descent on the cross-entropy. Every page computes what it shows, live, with the NumPy "
    "package `softmax_core`, and checks its formulas against an independent oracle: finite "
    "differences or the worked examples of the seed notes."
)

PAGES = [
    (
        "app_pages/playground.py",
        "Playground",
        ":material/scatter_plot:",
        "Train a softmax classifier on 2-D data you shape: decision regions, loss curves, "
        "optimisers and learning rates, step by step.",
    ),
    (
        "app_pages/softmax.py",
        "Softmax and its Jacobian",
        ":material/bar_chart:",
        "From logits to probabilities: seed 003's worked example (3, 4, 6 → 0.0420, 0.1142, "
        "0.8438), temperature and the Boltzmann distribution, shift invariance, why the naive "
        "formula overflows, and the Jacobian diag(p) − ppᵀ checked by finite differences.",
    ),
    (
        "app_pages/cross_entropy.py",
        "Cross-entropy",
        ":material/info:",
        "Entropy, cross-entropy and KL divergence of distributions you type; surprisal; nats and "
        "bits; the loss written with log-sum-exp; soft labels; why clipping before log is wrong.",
    ),
    (
        "app_pages/gradient.py",
        "The gradient, derived",
        ":material/functions:",
        "Seed 001's chain rule one step at a time on a sample you pick, the batch matrix form, "
        "the L2 term, a finite-difference check, and the three properties of π − y on live data.",
    ),
    (
        "app_pages/logistic.py",
        "Logistic regression: K = 2",
        ":material/call_split:",
        "The sigmoid as a two-class softmax, seed 003's sigmoid example, binary cross-entropy, "
        "and the gradients of linear, logistic and softmax regression side by side.",
    ),
]

st.header("Pages")
for path, label, icon, blurb in PAGES:
    st.page_link(path, label=label, icon=icon)
    st.caption(blurb)

st.header("Sources")
st.markdown(
    "The theory pages follow four seed notes: a softmax-regression notebook with NumPy code "
    "(000), a step-by-step gradient derivation (001), a summary of softmax regression and "
    "cross-entropy (002) and slides on softmax as generalised logistic regression (003). Where a "
    "note's code is naive or wrong (clipping before the log, one-hot matrices, a line that calls "
    "an array), the page that touches it says what this app does instead. The file "
    "`docs/seed_coverage.md` lists which page covers which formula, example and claim."
)
st.caption("Everything runs locally; nothing is fetched from the network.")
