"""The app's colours, defined once: the theory charts (charts/) and the playground's view
(sent in its payload: the view's JS holds no palette) both read them from here.

Classes use Paul Tol's "bright" qualitative scheme: six clearly different hues (blue, red,
green, yellow, cyan, purple) designed to stay apart for colour-blind viewers. Okabe-Ito, used
before, has two blues and two oranges among any six of its colours: with six classes, 1 and 6
and 2 and 5 were hard to tell apart. Measured with ``charts.colour_check`` (CIEDE2000, D65;
tests/test_palette.py holds the thresholds and checks them): the closest pair is 23.7 apart for
normal vision, 14.2 and 14.8 under simulated protanopia and deuteranopia, 8.6 under
tritanopia; as the pale region tints the view paints (opacity 0.65 on white, 0.72 on dark)
the closest pair is 14.7 (light) and 17.7 (dark, on #171614) apart for normal vision.
"""

CLASS_COLOURS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377")
# The playground's curves: train and test in the first two class hues, the L2 term in the
# third, the total in grey.
CURVE_COLOURS = {"train": "#4477AA", "test": "#EE6677", "l2": "#228833", "total": "#777777"}
HIGHLIGHT = "#EE6677"  # the one bar or term a chart points at
BASE = "#4477AA"  # every other bar
NEUTRAL = "#000000"
# Diverging scale for signed matrices: blue (negative), white (0), red (positive).
DIVERGING = ((0.0, "#4477AA"), (0.5, "#FFFFFF"), (1.0, "#EE6677"))
# Light and dark backgrounds the palette is checked on: Streamlit 1.67's light and dark
# themes' backgroundColor, as its theme message gives them to the view (measured in Chromium).
BACKGROUNDS = {"light": "#FFFFFF", "dark": "#171614"}
# The view paints a pixel of the region of class k as CLASS_COLOURS[k] over the background
# with opacity REGION_FLOOR + (REGION_OPACITY - REGION_FLOOR) * t, t in [0, 1] the model's
# confidence there ((max_k pi_k - 1/K) / (1 - 1/K)). Both go to the view in its payload.
REGION_FLOOR = 0.1
REGION_OPACITY = {"light": 0.65, "dark": 0.72}  # the view's strongest region tint
# The edge every data point is drawn with (1 px around a training dot, either side of a test
# point's ring), per scheme. A class colour on its own region's tint cannot reach WCAG's 3:1
# for graphics (yellow and cyan are under 2:1 even on white), so the point's edge carries the
# contrast: black is at least 6.8:1 against every light tint, white at least 3.2:1 against
# every dark one (tests/test_palette.py computes them).
POINT_OUTLINE = {"light": "#000000", "dark": "#FFFFFF"}


def class_colour(k: int) -> str:
    """Colour of class k (0-based), cycling through CLASS_COLOURS."""
    return CLASS_COLOURS[k % len(CLASS_COLOURS)]
