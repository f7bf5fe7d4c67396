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


def fixed(values, digits: int = 4) -> list[str]:
    """One format for a whole table column: fixed ``digits`` places, never '-0.0000' or 'nan'.

    Tables on the theory pages pass every numeric column through this (or through
    :func:`scientific`) so that no table mixes '0.659' with '0.2424' or '1.4e-16'.
    """
    out = []
    for v in np.asarray(values, dtype=np.float64).reshape(-1):
        if np.isnan(v):
            out.append("NaN")
        elif not np.isfinite(v):
            out.append("∞" if v > 0 else "−∞")
        else:
            text = f"{v:.{digits}f}"
            out.append(text.lstrip("-") if float(text) == 0 else text)
    return out


def scientific(values, digits: int = 1) -> list[str]:
    """Errors and tiny differences: '2.1e-12' for every entry of a column."""
    return [f"{v:.{digits}e}" for v in np.asarray(values, dtype=np.float64).reshape(-1)]


# Phones: a formula wider than the column scrolls inside its own box instead of widening the
# page, and formulas and chart titles get a little smaller below 640 px.
NARROW_SCREEN_CSS = """
<style>
.katex-display { overflow-x: auto; overflow-y: hidden; padding: 2px 0; }
@media (max-width: 640px) {
  .katex-display .katex { font-size: 0.92em; }
}
</style>
"""


def formula_row(*pieces: str, sep: str = "&emsp;&emsp;") -> str:
    """Markdown holding several display-style formulas that wrap onto new lines on a phone.

    One ``st.latex`` block cannot wrap: a long one is cut off (or scrolls) at 390 px. Each
    piece here is inline math in display style, so the browser breaks between pieces.
    """
    # The braces make each piece one group: KaTeX then never breaks a piece after its "=".
    return sep.join(rf"$\displaystyle {{{p}}}$" for p in pieces)
