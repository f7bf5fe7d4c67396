"""softmax-playground: the Streamlit entry point. It only declares the pages.

Run with `make run` (or `streamlit run app.py`). Pages live in app_pages/, each a thin
script. Not in pages/: while a folder of that name exists, Streamlit 1.67 routes every run
through its legacy multipage router, and a deep link such as /gradient then runs the page
without this file (no navigation, no page config).
"""

import streamlit as st

st.set_page_config(page_title="Softmax playground", page_icon="🎯", layout="wide")

PAGES = [
    st.Page(
        "app_pages/playground.py", title="Playground", icon=":material/scatter_plot:", default=True
    ),
    st.Page("app_pages/softmax.py", title="Softmax and its Jacobian", icon=":material/bar_chart:"),
    st.Page("app_pages/cross_entropy.py", title="Cross-entropy", icon=":material/info:"),
    st.Page("app_pages/gradient.py", title="The gradient, derived", icon=":material/functions:"),
    st.Page(
        "app_pages/logistic.py", title="Logistic regression: K = 2", icon=":material/call_split:"
    ),
    st.Page("app_pages/about.py", title="About", icon=":material/menu_book:"),
]

st.navigation(PAGES).run()
