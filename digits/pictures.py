"""Small PNG pictures of digits for tables (``st.column_config.ImageColumn`` takes data URLs).

Pillow comes with Streamlit; the NumPy core never needs it.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image

from softmax_core.digits import MAX_COUNT


def digit_png_url(counts: np.ndarray, scale: int = 4) -> str:
    """A data URL of the 8 x 8 counts (0..16) as a grey PNG, ink dark on white, each pixel
    ``scale`` x ``scale``."""
    counts = np.asarray(counts, dtype=np.float64).reshape(8, 8)
    grey = np.round(255 * (1 - np.clip(counts / MAX_COUNT, 0, 1))).astype(np.uint8)
    image = Image.fromarray(grey, mode="L").resize((8 * scale, 8 * scale), Image.NEAREST)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
