"""The playground page's logic: settings and their URL form, the training session, the view.

Nothing here imports Streamlit except ``component`` (the custom view) ; ``settings`` and
``session`` are plain Python + NumPy so tests can drive them without a browser.
"""
