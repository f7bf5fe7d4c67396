"""charts: pure Plotly figure builders (arrays in, ``go.Figure`` out, no Streamlit calls).

Colours come from the Okabe-Ito palette, which stays distinguishable under the common forms
of colour blindness. ``charts.playground*`` belongs to the playground page; ``charts.theory``
serves the theory pages.
"""

OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
# Class colours: the palette reordered so neighbours contrast and yellow (weak on white) is last.
CLASS_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
HIGHLIGHT = "#D55E00"
BASE = "#0072B2"
NEUTRAL = "#000000"
# Diverging scale for signed matrices: blue (negative), white (0), vermillion (positive).
DIVERGING = ((0.0, "#0072B2"), (0.5, "#FFFFFF"), (1.0, "#D55E00"))


def class_colour(k: int) -> str:
    """Colour of class k (0-based), cycling through CLASS_COLOURS."""
    return CLASS_COLOURS[k % len(CLASS_COLOURS)]
