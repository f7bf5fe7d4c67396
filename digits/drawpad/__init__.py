"""The drawing surface: a components-v1 iframe served from ``frontend/`` (mouse, touch, pen).

The browser keeps the strokes and renders them into a 32 x 32 bitmap like the UCI set's
NIST-normalised ones: scaled so the larger side fills the box, centred, narrow drawings widened
to 20 pixels (the set's digits all span 8 rows and 5-6 of 8 columns, even its 1s), strokes 4
pixels wide, ink where the anti-aliased stroke covers at least half a pixel. It returns
{"bitmap": 1024 characters "0"/"1" row by row, "strokes": count, "n": a counter}.
The server turns that into the data set's 8 x 8 form with ``softmax_core.digits.reduce_bitmap``
(on pixels counted in 4 x 4 blocks), so the reduction is NumPy and tested.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit.components.v1 as components

from softmax_core.digits import BITMAP_SIDE

FRONTEND = Path(__file__).parent / "frontend"
_pad = components.declare_component("digits_drawpad", path=str(FRONTEND))


def drawpad(key: str) -> dict | None:
    """Mount the drawing surface; returns its last value (None before the first stroke)."""
    return _pad(key=key, default=None)


def bitmap_from_value(value) -> np.ndarray | None:
    """The 32 x 32 bitmap (uint8 0/1) in a drawpad value, or None when there is no drawing
    (nothing drawn yet, cleared, or a malformed value: never an exception)."""
    if not isinstance(value, dict):
        return None
    text = value.get("bitmap")
    if (
        not isinstance(text, str)
        or len(text) != BITMAP_SIDE * BITMAP_SIDE
        or set(text) - {"0", "1"}
    ):
        return None
    bits = np.frombuffer(text.encode("ascii"), dtype=np.uint8) - ord("0")
    if not bits.any():
        return None
    return bits.reshape(BITMAP_SIDE, BITMAP_SIDE)
