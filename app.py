"""softmax-playground: the Streamlit entry point. It only declares the pages.

Run with `make run` (or `streamlit run app.py`). Pages live in pages/; each is a thin script.
"""

import streamlit as st

st.set_page_config(page_title="Softmax playground", page_icon="🎯", layout="wide")

PAGES = [
    st.Page("pages/playground.py", title="Playground", icon="🎯", default=True),
    st.Page("pages/softmax.py", title="Softmax and its Jacobian", icon="📊"),
    st.Page("pages/cross_entropy.py", title="Cross-entropy and information", icon="ℹ️"),
    st.Page("pages/gradient.py", title="The gradient, derived", icon="∇"),
    st.Page("pages/logistic.py", title="Logistic regression: K = 2", icon="🔀"),
    st.Page("pages/about.py", title="About", icon="📖"),
]

st.navigation(PAGES).run()
