"""The selected point's numbers, filled into the seed notes' formulas as LaTeX lines."""

from __future__ import annotations

import numpy as np


def _vec(v, digits: int = 3) -> str:
    return (
        r"\begin{bmatrix}" + r" \\ ".join(f"{x:.{digits}f}" for x in np.ravel(v)) + r"\end{bmatrix}"
    )


def _row(v, digits: int = 3) -> str:
    return "(" + ",\\ ".join(f"{x:.{digits}f}" for x in np.ravel(v)) + ")"


def inspector_lines(d: dict) -> list[tuple[str, str]]:
    """(caption, LaTeX) pairs for ``PlaygroundSession.point_details``: x, z, pi, y, pi - y,
    the loss and the input-space gradient W (pi - y)."""
    c = d["label"]
    k = len(d["z"])
    lines = [
        ("The input", rf"\mathbf{{x}} = {_row(d['x'])}"),
        (
            "Logits, one per class: z_k = w_k^T x + b_k",
            rf"\mathbf{{z}} = \mathbf{{W}}^\top \mathbf{{x}} + \mathbf{{b}} = {_row(d['z'])}",
        ),
        (
            "Softmax",
            rf"\hat{{\boldsymbol\pi}}_k = \frac{{e^{{z_k}}}}{{\sum_{{j=1}}^{{{k}}} e^{{z_j}}}}"
            rf"\quad\Rightarrow\quad \hat{{\boldsymbol\pi}} = {_row(d['pi'])}",
        ),
        ("The true class, one-hot", rf"y = {c + 1} \quad \mathbf{{y}} = {_row(d['y'], 0)}"),
        (
            "The residual: the gradient of the loss with respect to z",
            rf"\frac{{\partial L}}{{\partial \mathbf{{z}}}} = \hat{{\boldsymbol\pi}} - \mathbf{{y}}"
            rf" = {_row(d['residual'])},\quad \|\hat{{\boldsymbol\pi}} - \mathbf{{y}}\|_2 = "
            rf"{np.linalg.norm(d['residual']):.3f} \le \sqrt{{2}}",
        ),
        (
            "Its loss",
            rf"L = -\log \hat\pi_{{{c + 1}}} = \operatorname{{logsumexp}}(\mathbf{{z}})"
            rf" - z_{{{c + 1}}} = {d['loss']:.4f}",
        ),
        (
            "Its arrow: the loss falls fastest moving x along -W(pi - y)",
            rf"-\frac{{\partial L}}{{\partial \mathbf{{x}}}} = -\mathbf{{W}}(\hat{{\boldsymbol\pi}}"
            rf" - \mathbf{{y}}) = {_row(-d['input_gradient'])}",
        ),
        (
            "Its contribution to the weight gradient (seed note 001, step 2)",
            r"\frac{\partial L}{\partial \mathbf{W}} = \mathbf{x}(\hat{\boldsymbol\pi}"
            r" - \mathbf{y})^\top = "
            + r"\begin{bmatrix}"
            + r" \\ ".join(
                " & ".join(f"{v:.3f}" for v in row) for row in np.outer(d["x"], d["residual"])
            )
            + r"\end{bmatrix}",
        ),
    ]
    return lines
