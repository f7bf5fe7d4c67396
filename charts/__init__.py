"""charts: pure Plotly figure builders (arrays in, ``go.Figure`` out, no Streamlit calls).

Colours come from ``charts.palette``, the one place the app's palette is defined (the
playground's view gets it in its payload). ``charts.theory`` serves the theory pages.
"""

from .palette import BASE, CLASS_COLOURS, DIVERGING, HIGHLIGHT, NEUTRAL, class_colour

__all__ = ["BASE", "CLASS_COLOURS", "DIVERGING", "HIGHLIGHT", "NEUTRAL", "class_colour"]
