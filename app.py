"""softmax-playground: the Streamlit entry point. It only declares the pages.

Run with `make run` (or `streamlit run app.py`). Pages live in pages/; each is a thin script.
"""

import streamlit as st

st.set_page_config(page_title="Softmax playground", page_icon="🎯", layout="wide")

PAGES = [
    st.Page(
        "pages/playground.py", title="Playground", icon=":material/scatter_plot:", default=True
    ),
    st.Page("pages/softmax.py", title="Softmax and its Jacobian", icon=":material/bar_chart:"),
    st.Page("pages/cross_entropy.py", title="Cross-entropy", icon=":material/info:"),
    st.Page("pages/gradient.py", title="The gradient, derived", icon=":material/functions:"),
    st.Page("pages/logistic.py", title="Logistic regression: K = 2", icon=":material/call_split:"),
    st.Page("pages/about.py", title="About", icon=":material/menu_book:"),
]

st.navigation(PAGES).run()
