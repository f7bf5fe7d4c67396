"""Central finite differences: the oracle every analytic derivative on the pages is checked by.

(f(x + h e_i) - f(x - h e_i)) / 2h has error O(h^2) from truncation plus O(eps / h) from
rounding; h = 1e-5 balances the two for functions of size about 1 (errors near 1e-10). It needs
no framework, where seed note 001 checks its gradients with PyTorch autograd.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from softmax_core import loss_and_gradients, softmax, softmax_jacobian

DEFAULT_STEP = 1e-5


def central_gradient(f: Callable[[np.ndarray], float], x, h: float = DEFAULT_STEP) -> np.ndarray:
    """Gradient of a scalar function f at x by central differences; same shape as x."""
    # order="C": a transposed (Fortran-ordered) input would make reshape(-1) below a copy, and
    # the perturbations would never reach x.
    x = np.array(x, dtype=np.float64, order="C")
    grad = np.empty_like(x)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        saved = flat_x[i]
        flat_x[i] = saved + h
        f_plus = f(x)
        flat_x[i] = saved - h
        f_minus = f(x)
        flat_x[i] = saved
        flat_g[i] = (f_plus - f_minus) / (2 * h)
    return grad


def central_jacobian(
    f: Callable[[np.ndarray], np.ndarray], z, h: float = DEFAULT_STEP
) -> np.ndarray:
    """Jacobian J_ij = d f_i / d z_j of a vector function of a vector z, shape (M, N)."""
    z = np.array(z, dtype=np.float64).reshape(-1)
    columns = []
    for j in range(z.size):
        step = np.zeros_like(z)
        step[j] = h
        columns.append((np.asarray(f(z + step)) - np.asarray(f(z - step))) / (2 * h))
    return np.stack(columns, axis=1)


@dataclass(frozen=True)
class JacobianCheck:
    """The softmax Jacobian diag(p) - p p^T at z against central differences."""

    analytic: np.ndarray  # (K, K)
    numeric: np.ndarray  # (K, K)

    @property
    def max_error(self) -> float:
        return float(np.max(np.abs(self.analytic - self.numeric)))


def check_softmax_jacobian(z, h: float = DEFAULT_STEP) -> JacobianCheck:
    """Compare softmax_jacobian(softmax(z)) with the central-difference Jacobian of softmax."""
    z = np.asarray(z, dtype=np.float64)
    return JacobianCheck(softmax_jacobian(softmax(z)), central_jacobian(softmax, z, h))


@dataclass(frozen=True)
class GradientCheck:
    """loss_and_gradients' analytic (dW, db) against central differences of the loss."""

    loss: float
    dW: np.ndarray  # (D, K)
    db: np.ndarray  # (K,)
    dW_numeric: np.ndarray
    db_numeric: np.ndarray

    @property
    def max_error_W(self) -> float:
        return float(np.max(np.abs(self.dW - self.dW_numeric)))

    @property
    def max_error_b(self) -> float:
        return float(np.max(np.abs(self.db - self.db_numeric)))

    @property
    def max_error(self) -> float:
        return max(self.max_error_W, self.max_error_b)


def check_loss_gradients(W, b, X, y, l2: float = 0.0, h: float = DEFAULT_STEP) -> GradientCheck:
    """Analytic gradient of mean cross-entropy + (l2/2)||W||^2 against central differences.

    W: (D, K), b: (K,), X: (N, D), y: labels (N,) or probability targets (N, K).
    """
    W = np.asarray(W, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    loss, dW, db = loss_and_gradients(W, b, X, y, l2)
    dW_numeric = central_gradient(lambda W_: loss_and_gradients(W_, b, X, y, l2)[0], W, h)
    db_numeric = central_gradient(lambda b_: loss_and_gradients(W, b_, X, y, l2)[0], b, h)
    return GradientCheck(loss, dW, db, dW_numeric, db_numeric)
