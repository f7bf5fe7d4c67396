"""Streamlit helpers shared by every page: the page frame and the navigation."""
