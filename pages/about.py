"""About: what the playground teaches and where each idea lives."""

import streamlit as st

from ui.navigation import PAGES, page_frame

page_frame("About")

st.title("About the softmax playground")
st.markdown(
    "Softmax regression (multinomial logistic regression) scores each class with a linear "
    "function, turns the scores into probabilities with softmax, and is trained by gradient "
    "descent on the cross-entropy. Every page computes what it shows, live, with the NumPy "
    "package `softmax_core`, and checks its formulas against an independent oracle: finite "
    "differences or the worked examples of the seed notes."
)

st.header("Pages")
for page in PAGES[:-1]:
    st.page_link(page.path, label=page.label, icon=page.icon)
    st.caption(page.blurb)

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
