"""lessons: the small NumPy computations the theory pages show, kept out of the pages.

Each module serves one page: ``numerics`` (central finite differences, the independent oracle),
``softmax_lessons``, ``information``, ``chain_rule`` and ``gradient_extras`` (convexity,
separable data, feature maps) and ``logistic_lessons``; ``notation`` is the app's one notation
(docs/notation.md). NumPy only: no Streamlit, no Plotly, so every number a page shows can be
tested without a browser.
"""
