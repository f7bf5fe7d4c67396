"""The selected point's numbers, filled into the formulas of the theory pages as LaTeX lines.

The symbols come from lessons/notation.py, the app's one notation: W is K x D (the core's
``W`` is its transpose), pi the probabilities, c the true class, L the loss.
"""

from __future__ import annotations

import numpy as np

from lessons import notation

B, Z, L, PI = notation.TEX_BIAS, notation.TEX_LOGITS, notation.TEX_LOSS, notation.TEX_PROBS
W, X, Y = notation.TEX_WEIGHTS, notation.TEX_X, notation.TEX_Y


def _vec(v, digits: int = 3) -> str:
    return (
        r"\begin{bmatrix}" + r" \\ ".join(f"{x:.{digits}f}" for x in np.ravel(v)) + r"\end{bmatrix}"
    )


def _row(v, digits: int = 3) -> str:
    return "(" + ",\\ ".join(f"{x:.{digits}f}" for x in np.ravel(v)) + ")"


def inspector_lines(d: dict) -> list[tuple[str, str]]:
    """(caption, LaTeX) pairs for ``PlaygroundSession.point_details``: x, z, pi, y, pi - y,
    the loss and the input-space gradient W^T (pi - y), in the app's notation (W is K x D)."""
    c = d["label"]
    k = len(d["z"])
    residual = rf"({PI} - {Y})"
    names = d.get("feature_names")
    if names:  # a feature map: the model's input is phi(point), its arrow is in the plane
        first = (
            "The point and the features the model sees, φ(x) = (" + ", ".join(names) + "), "
            "the added ones standardised with the training set's mean and deviation",
            rf"\text{{point}} = {_row(d['point'])},\quad \varphi = {X} = {_row(d['x'])}",
        )
        arrow = (
            "Its arrow in the plane: the loss falls fastest moving the point along "
            "-J_φ(x)^T W^T(pi - y)",
            rf"-J_\varphi^\top {W}^\top{residual} = {_row(-d['input_gradient'])}",
        )
    else:
        first = ("The input", rf"{X} = {_row(d['x'])}")
        arrow = (
            "Its arrow: the loss falls fastest moving x along -W^T(pi - y)",
            rf"-\frac{{\partial {L}}}{{\partial {X}}} = -{W}^\top{residual}"
            rf" = {_row(-d['input_gradient'])}",
        )
    return [
        first,
        (
            "Logits, one per class: z_k = w_k^T x + b_k (row k of W is class k's weights)",
            rf"{Z} = {W}{X} + {B} = {_row(d['z'])}",
        ),
        (
            "Softmax",
            rf"\pi_k = \frac{{e^{{z_k}}}}{{\sum_{{l=1}}^{{{k}}} e^{{z_l}}}}"
            rf"\quad\Rightarrow\quad {PI} = {_row(d['pi'])}",
        ),
        ("The true class c, one-hot", rf"c = {c + 1} \quad {Y} = {_row(d['y'], 0)}"),
        (
            "The residual: the gradient of the loss with respect to z",
            rf"\frac{{\partial {L}}}{{\partial {Z}}} = {PI} - {Y}"
            rf" = {_row(d['residual'])},\quad \|{PI} - {Y}\|_2 = "
            rf"{np.linalg.norm(d['residual']):.3f} \le \sqrt{{2}}",
        ),
        (
            "Its loss",
            rf"{L} = -\log \pi_{{{c + 1}}} = \operatorname{{logsumexp}}({Z})"
            rf" - z_{{{c + 1}}} = {d['loss']:.4f}",
        ),
        arrow,
        (
            "Its contribution to the weight gradient (K x D, like W)",
            rf"\frac{{\partial {L}}}{{\partial {W}}} = {residual}{X}^\top = "
            + r"\begin{bmatrix}"
            + r" \\ ".join(
                " & ".join(f"{v:.3f}" for v in row) for row in np.outer(d["residual"], d["x"])
            )
            + r"\end{bmatrix}",
        ),
    ]
