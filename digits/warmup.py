"""The d2l note's warm-up: a 2 x 2 grey-scale image (4 features), three classes.

o = W x + b with W (3, 4) and b (3,) as in the note (rows are classes: W_ij is the weight
from pixel j to class i), then y_hat = softmax(o). The weights are made up to be readable:
cat likes the top row bright, chicken the left column, dog the bottom row.
"""

from __future__ import annotations

import numpy as np

from softmax_core import softmax

CLASSES = ("cat", "chicken", "dog")
PIXELS = ("x₁ (top left)", "x₂ (top right)", "x₃ (bottom left)", "x₄ (bottom right)")
W = np.array(
    [
        [1.0, 1.0, -0.5, -0.5],  # cat
        [1.0, -0.5, 1.0, -0.5],  # chicken
        [-0.5, -0.5, 1.0, 1.0],  # dog
    ]
)
b = np.array([0.0, -0.2, 0.1])
DEFAULT_X = (0.9, 0.6, 0.2, 0.1)


def warmup(x) -> tuple[np.ndarray, np.ndarray]:
    """(o (3,), y_hat (3,)) for pixel values x (4,): o = W x + b, y_hat = softmax(o)."""
    x = np.asarray(x, dtype=np.float64).reshape(4)
    o = W @ x + b
    return o, softmax(o)


def warmup_latex(x) -> list[str]:
    """The formulas with this x's numbers filled in: o = W x + b, then each y_hat_i."""
    x = np.asarray(x, dtype=np.float64).reshape(4)
    o, probs = warmup(x)
    rows = r" \\ ".join(" & ".join(f"{v:g}" for v in row) for row in W)
    col = r" \\ ".join(f"{v:.2f}" for v in x)
    bias = r" \\ ".join(f"{v:g}" for v in b)
    outs = r" \\ ".join(f"{v:.3f}" for v in o)
    wx = r" \\ ".join(f"{v:.3f}" for v in W @ x)
    lines = [  # short lines: each must fit a phone's width
        rf"\mathbf{{W}}\mathbf{{x}} = \small\begin{{pmatrix}} {rows} \end{{pmatrix}}"
        rf"\begin{{pmatrix}} {col} \end{{pmatrix}}",
        rf"\mathbf{{o}} = \mathbf{{W}}\mathbf{{x}} + \mathbf{{b}} = \small\begin{{pmatrix}} {wx} "
        rf"\end{{pmatrix}} + \begin{{pmatrix}} {bias} \end{{pmatrix}} = "
        rf"\begin{{pmatrix}} {outs} \end{{pmatrix}}",
    ]
    denom = " + ".join(rf"e^{{{v:.3f}}}" for v in o)
    for name, o_i, p in zip(CLASSES, o, probs, strict=True):
        lines.append(rf"\hat y_{{\text{{{name}}}}} = \frac{{e^{{{o_i:.3f}}}}}{{{denom}}} = {p:.4f}")
    return lines
