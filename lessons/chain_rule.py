"""Numbers of the gradient page: the derivation notes' chain rule, step by step, for one sample.

Shapes follow the app's notation (lessons/notation.py): W is (K, D), row k = w_k^T, z = W x + b,
dL/dW = (pi - y) x^T. softmax_core stores the transpose (D, K), so calls into it pass W.T and
transpose what comes back. The label enters as an index: pi - y is pi with 1 subtracted at the
label, no one-hot matrix is built (that saves N x K memory; one-hot is not wrong).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from softmax_core import (
    default_centres,
    loss_and_gradients,
    make_gaussian_classes,
    make_linear_softmax_data,
    predict_proba,
    residuals,
    softmax,
    softmax_jacobian,
)

SQRT2 = float(np.sqrt(2.0))


@dataclass(frozen=True)
class ChainRule:
    """Every intermediate of dL/dz, dL/dW and dL/db for one sample (x, c)."""

    x: np.ndarray  # (D,)
    label: int
    z: np.ndarray  # (K,) logits
    pi: np.ndarray  # (K,) softmax(z)
    y: np.ndarray  # (K,) one-hot, for display only
    loss: float  # -log pi_c
    dL_dpi: np.ndarray  # (K,)  -y_k / pi_k
    jacobian: np.ndarray  # (K, K) pi_k (delta_kj - pi_j)
    dL_dz_chain: np.ndarray  # (K,)  sum_k dL/dpi_k J_kj
    dL_dz: np.ndarray  # (K,)  pi - y
    dW: np.ndarray  # (K, D) (pi - y) x^T
    db: np.ndarray  # (K,)  pi - y

    @property
    def chain_vs_shortcut(self) -> float:
        """max |chain-rule product - (pi - y)|: zero up to rounding."""
        return float(np.max(np.abs(self.dL_dz_chain - self.dL_dz)))

    def slide_terms(self, k: int = 0, j: int | None = 0) -> np.ndarray:
        """The slides' three-factor terms for dL/dW_kj (or dL/db_k with j = None), 0-based:
        term m = (dL/dpi_m)(dpi_m/dz_k)(dz_k/dW_kj); their sum is (pi_k - y_k) x_j."""
        dz_dparam = 1.0 if j is None else float(self.x[j])
        with np.errstate(invalid="ignore"):
            return self.dL_dpi * self.jacobian[:, k] * dz_dparam


def chain_rule_steps(W, b, x, label: int) -> ChainRule:
    """The derivation evaluated at one sample. W (K, D), b (K,), x (D,), label in [0, K)."""
    W = np.asarray(W, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    k = W.shape[0]
    if not 0 <= int(label) < k:
        raise ValueError(f"label must be in [0, {k}); got {label}")
    c = int(label)
    z = W @ x + b
    pi = softmax(z)
    y = np.zeros(k)
    y[c] = 1.0
    # If pi_c underflows to 0, -1 / pi_c is -inf and the product below is NaN (inf * 0): the
    # long route fails in floating point while pi - y stays exact.
    with np.errstate(divide="ignore", invalid="ignore"):
        dL_dpi = np.where(y > 0, -y / pi, 0.0)  # -y_k / pi_k; 0 where y_k = 0
        jac = softmax_jacobian(pi)
        dL_dz_chain = dL_dpi @ jac
    residual = pi.copy()
    residual[c] -= 1.0
    return ChainRule(
        x=x,
        label=c,
        z=z,
        pi=pi,
        y=y,
        loss=float(-np.log(pi[c])) if pi[c] > 0 else float("inf"),
        dL_dpi=dL_dpi,
        jacobian=jac,
        dL_dz_chain=dL_dz_chain,
        dL_dz=residual,
        dW=np.outer(residual, x),
        db=residual,
    )


@dataclass(frozen=True)
class BatchForm:
    """The batch gradient (1/N)(P - Y)^T X + l2 W (K, D) against the core's engine."""

    dW_matrix_form: np.ndarray  # (K, D) = (1/N)(P - Y)^T X + l2 W
    db_matrix_form: np.ndarray  # (K,)   = (1/N) 1^T (P - Y)
    dW_core: np.ndarray  # (K, D), transposed from the core's (D, K)
    db_core: np.ndarray
    l2_term: np.ndarray  # (K, D) l2 W, the regulariser's share of dW

    @property
    def max_difference(self) -> float:
        return float(
            max(
                np.max(np.abs(self.dW_matrix_form - self.dW_core)),
                np.max(np.abs(self.db_matrix_form - self.db_core)),
            )
        )


def batch_form(W, b, X, y, l2: float = 0.0) -> BatchForm:
    """The matrix form from residuals (labels as indices), compared with the core's engine.
    W (K, D)."""
    W = np.asarray(W, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    R = residuals(W.T, b, X, y)  # P - Y, (N, K)
    n = X.shape[0]
    _, dW, db = loss_and_gradients(W.T, b, X, y, l2)
    return BatchForm(R.T @ X / n + l2 * W, R.sum(axis=0) / n, dW.T, db, l2 * W)


def magnitude_table(n_classes: int, true_probs=(0.99, 0.5, 0.01)) -> list[dict]:
    """The derivation notes' property 1: for each pi_c, |dL/dz_c| = 1 - pi_c and ||pi - y||_2.

    The other K - 1 classes share 1 - pi_c evenly (the smallest norm for that pi_c); the
    largest norm, all of it on one wrong class, is sqrt(2) (1 - pi_c).
    """
    rows = []
    for pc in true_probs:
        rest = (1.0 - pc) / (n_classes - 1)
        r = np.full(n_classes, rest)
        r[0] = pc - 1.0
        rows.append(
            {
                "π_c": pc,
                "|∂L/∂z_c|": 1.0 - pc,
                "‖π − y‖, rest even": float(np.linalg.norm(r)),
                "‖π − y‖, rest on one": SQRT2 * (1.0 - pc),
            }
        )
    return rows


@dataclass(frozen=True)
class GradientProperties:
    """The derivation notes' three properties on a data set: magnitude, direction, bound."""

    true_prob: np.ndarray  # (N,) pi_c of each sample
    true_component: np.ndarray  # (N,) pi_c - 1
    others_min: np.ndarray  # (N,) the smallest of the other components
    norms: np.ndarray  # (N,) ||pi_i - y_i||
    x_norms: np.ndarray  # (N,) ||x_i||: ||dL_i/dW||_F = ||pi_i - y_i|| ||x_i|| <= sqrt(2) ||x_i||

    @property
    def weight_norms(self) -> np.ndarray:
        """||(pi_i - y_i) x_i^T||_F for each sample (the Frobenius norm of an outer product)."""
        return self.norms * self.x_norms

    @property
    def n_true_negative(self) -> int:
        return int(np.sum(self.true_component < 0))

    @property
    def n_others_non_negative(self) -> int:
        return int(np.sum(self.others_min >= 0))

    @property
    def max_norm(self) -> float:
        return float(np.max(self.norms))


def gradient_properties(W, b, X, y) -> GradientProperties:
    """Per-sample residual statistics; W (K, D), y integer labels (N,)."""
    y = np.asarray(y)
    R = residuals(np.asarray(W, dtype=np.float64).T, b, X, y)
    rows = np.arange(R.shape[0])
    true_component = R[rows, y].copy()
    others = R.copy()
    others[rows, y] = np.inf
    return GradientProperties(
        true_prob=true_component + 1.0,
        true_component=true_component,
        others_min=others.min(axis=1),
        norms=np.linalg.norm(R, axis=1),
        x_norms=np.linalg.norm(np.asarray(X, dtype=np.float64), axis=1),
    )


def confidence_bins(props: GradientProperties, edges=(0.0, 0.1, 0.9, 1.0)) -> list[dict]:
    """Property 1 on live data: mean |dL/dz_c| and mean ||pi - y|| per band of pi_c."""
    rows = []
    for lo, hi in pairwise(edges):
        last = hi == edges[-1]
        mask = (props.true_prob >= lo) & (
            (props.true_prob <= hi) if last else (props.true_prob < hi)
        )
        count = int(mask.sum())
        rows.append(
            {
                "π_c band": f"[{lo:g}, {hi:g}{']' if last else ')'}",
                "samples": count,
                "mean |∂L/∂z_c|": float(np.mean(-props.true_component[mask])) if count else np.nan,
                "mean ‖π - y‖": float(np.mean(props.norms[mask])) if count else np.nan,
            }
        )
    return rows


def train_steps(W, b, X, y, lr: float, steps: int, l2: float = 0.0, limit: float = 1e6):
    """Plain gradient descent from (W (K, D), b): returns (W, b, losses before each step,
    diverged).

    Stops before a step that would make the loss non-finite or a parameter larger than
    ``limit`` in size (too large a learning rate), and then reports diverged = True.
    """
    W = np.array(W, dtype=np.float64)
    b = np.array(b, dtype=np.float64)
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(int(steps)):
            loss, dW, db = loss_and_gradients(W.T, b, X, y, l2)
            W_next, b_next = W - lr * dW.T, b - lr * db
            finite = (
                np.isfinite(loss) and np.all(np.isfinite(W_next)) and np.all(np.isfinite(b_next))
            )
            if not finite or max(np.max(np.abs(W_next)), np.max(np.abs(b_next))) > limit:
                return W, b, np.array(losses), True
            losses.append(loss)
            W, b = W_next, b_next
    return W, b, np.array(losses), False


def probabilities(W, b, X) -> np.ndarray:
    """pi for every sample, (N, K); W (K, D)."""
    return predict_proba(np.asarray(W, dtype=np.float64).T, b, X)


DATASETS = ("Gaussian classes", "The NumPy notebook's generator")
START_W = ((0.5, 0.2), (-0.5, 0.3), (0.0, -0.5))  # (K, D) = (3, 2): a weak, partly wrong model
START_B = (0.0, 0.0, 0.0)


def demo_dataset(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A small 3-class, 2-feature data set (X (24, 2), y (24,)) for the gradient page.

    "Gaussian classes": 8 points around each of three centres on a circle. "The NumPy
    notebook's generator": labels from a random linear softmax model (make_linear_softmax_data),
    argmax labels, so the classes are linearly separable.
    """
    if name == DATASETS[0]:
        return make_gaussian_classes(default_centres(3), n_per_class=8, spread=1.0, seed=0)
    if name == DATASETS[1]:
        X, y, _, _ = make_linear_softmax_data(n_samples=24, n_features=2, n_classes=3, seed=42)
        return X, y
    raise ValueError(f"data set must be one of {DATASETS}; got {name!r}")
