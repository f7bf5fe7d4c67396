"""lessons: the small NumPy computations the theory pages show, kept out of the pages.

Each module serves one page: ``numerics`` (central finite differences, the independent oracle),
``softmax_lessons``, ``information``, ``chain_rule`` and ``logistic_lessons``. NumPy only: no
Streamlit, no Plotly, so every number a page shows can be tested without a browser.
"""
