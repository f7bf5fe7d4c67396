"""About: what the playground teaches, the notation used everywhere, and the sources."""

import streamlit as st

from lessons.notation import GLOSSARY
from ui.navigation import PAGES, page_frame

page_frame("About")

st.title("About the softmax playground")
st.markdown(
    "Softmax regression (multinomial logistic regression) scores each class with a linear "
    "function, turns the scores into probabilities with softmax, and is trained by gradient "
    "descent on the cross-entropy. Every page computes what it shows, live, with NumPy, and "
    "checks its formulas against an independent oracle: finite differences or the worked "
    "examples of the notes."
)

st.header("Pages")
for page in PAGES[:-1]:
    st.page_link(page.path, label=page.label, icon=page.icon)
    st.caption(page.blurb)

st.header("Notation")
st.markdown(
    "One notation on every page and in the playground's point inspector. The notes the app "
    "follows each use their own; the last column says how they write the same thing."
)
st.markdown(
    "| symbol | meaning | in the notes |\n|---|---|---|\n"
    + "\n".join(f"| ${s.latex}$ | {s.meaning} | {s.notes_write or 'the same'} |" for s in GLOSSARY)
)
st.markdown(
    "So for one sample z = Wx + b, π = softmax(z), L = −log π_c, ∂L/∂z = π − y, "
    "∂L/∂W = (π − y)xᵀ (K × D, like W) and ∂L/∂b = π − y. For the batch, Z = XWᵀ + 1bᵀ and "
    "∂J/∂W = (1/N)(P − Y)ᵀX + λW. The app's NumPy code stores W transposed (D × K) because "
    "its batch product is X times W; every page shows W as K × D."
)

st.header("Sources")
st.markdown(
    "The theory pages follow four notes: **the NumPy notebook** (softmax regression with "
    "NumPy code), **the derivation notes** (the gradient derived step by step), **the d2l "
    "summary** (softmax regression and cross-entropy, after d2l.ai) and **the slides** "
    "(softmax regression as generalised logistic regression). Every formula, worked example "
    "and claim in them is shown and checked on some page. Where a note slips (an index, a "
    "unit, a sign) the page shows a short erratum box; where a note's code is naive (clipping "
    "probabilities before the log, a data generator that cannot run as written) the page says "
    "what this app does instead and why. Building one-hot label matrices, as two notes do, is "
    "not an error: it costs N × K memory, which is why the app uses labels as indices instead."
)
st.caption("Everything runs locally; nothing is fetched from the network.")
