"""LaTeX strings for vectors and matrices of numbers, for st.latex beside each formula."""

from __future__ import annotations

import numpy as np


def _fmt(v: float, digits: int) -> str:
    if not np.isfinite(v):
        return r"\infty" if v > 0 else r"-\infty" if v < 0 else r"\text{NaN}"
    text = f"{v:.{digits}f}"
    return "0" if float(text) == 0 and set(text) <= set("-0.") else text


def vector(values, digits: int = 4) -> str:
    """A row vector as a LaTeX bmatrix: [0.1, 0.2] -> \\begin{bmatrix}0.1000 & 0.2000\\end{...}."""
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    return r"\begin{bmatrix}" + " & ".join(_fmt(x, digits) for x in v) + r"\end{bmatrix}"


def matrix(values, digits: int = 4) -> str:
    """A 2-D array as a LaTeX bmatrix, rows separated by \\\\."""
    m = np.asarray(values, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError(f"matrix needs a 2-D array; got shape {m.shape}")
    rows = (" & ".join(_fmt(x, digits) for x in row) for row in m)
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
