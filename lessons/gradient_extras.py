"""What the notes leave out, computed: convexity, separable data, and a fixed feature map.

W is (K, D) as on every page (lessons/notation.py); the core's (D, K) is W.T.

- Convexity: one sample's Hessian in vec(W) (row-major, index k D + j) is
  (diag(pi) - pi pi^T) kron x x^T, a Kronecker product of two positive semidefinite matrices,
  so the cost is convex; lambda I makes it strictly convex in W.
- Separable data: the NumPy notebook labels its data by the argmax of a linear model, so a
  linear model classifies it perfectly; without L2 the loss keeps falling as ||W|| grows and
  no finite minimiser exists.
- Feature map: z = W phi(x) + b is still linear in W, so dL/dW = (pi - y) phi(x)^T.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from softmax_core import (
    NoOptimumError,
    Workspace,
    loss_and_gradients,
    make_linear_softmax_data,
    softmax,
    softmax_jacobian,
    solve_optimum,
)
from softmax_core.feature_maps import fit_feature_map

from .numerics import central_gradient


@dataclass(frozen=True)
class HessianCheck:
    analytic: np.ndarray  # (K D, K D)
    numeric: np.ndarray  # central differences of the analytic gradient

    @property
    def max_error(self) -> float:
        return float(np.max(np.abs(self.analytic - self.numeric)))

    @property
    def eigenvalues(self) -> np.ndarray:
        return np.linalg.eigvalsh((self.analytic + self.analytic.T) / 2)


def weight_hessian(W, b, X, y, l2: float = 0.0) -> np.ndarray:
    """d^2 J / d vec(W)^2 = (1/N) sum_i (diag pi_i - pi_i pi_i^T) kron x_i x_i^T + l2 I."""
    W = np.asarray(W, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    P = softmax(X @ W.T + np.asarray(b, dtype=np.float64))
    jac = softmax_jacobian(P)  # (N, K, K)
    outer = X[:, :, None] * X[:, None, :]  # (N, D, D)
    k, d = W.shape
    H = np.einsum("nkl,njm->kjlm", jac, outer).reshape(k * d, k * d) / X.shape[0]
    return H + l2 * np.eye(k * d)


def check_weight_hessian(W, b, X, y, l2: float = 0.0, h: float = 1e-5) -> HessianCheck:
    """The Kronecker formula against central differences of the gradient in vec(W)."""
    W = np.asarray(W, dtype=np.float64)
    k, d = W.shape

    def grad_entry(index: int):
        def f(w_flat):
            return loss_and_gradients(w_flat.reshape(k, d).T, b, X, y, l2)[1].T.reshape(-1)[index]

        return f

    numeric = np.stack(
        [central_gradient(grad_entry(r), W.reshape(-1), h) for r in range(k * d)], axis=0
    )
    return HessianCheck(weight_hessian(W, b, X, y, l2), numeric)


SEPARABLE_STEPS = (1, 10, 100, 1000, 3000)
SEPARABLE_LR = 1.0


@dataclass(frozen=True)
class SeparableRun:
    l2: float
    steps: tuple[int, ...]
    losses: tuple[float, ...]  # cross-entropy (without the L2 term) after each checkpoint
    largest_weight: tuple[float, ...]  # max |W_kj| after each checkpoint
    optimum_loss: float | None  # the exact minimiser's cross-entropy, None if there is none
    accuracy: float  # training accuracy at the last checkpoint


def separable_run(l2: float, steps=SEPARABLE_STEPS, lr: float = SEPARABLE_LR) -> SeparableRun:
    """Gradient descent from W = 0 on the notebook's data (300 samples, 2 features, 3 classes)."""
    X, y, _, _ = make_linear_softmax_data()
    ws = Workspace(X, y, 3)
    W, b = np.zeros((2, 3)), np.zeros(3)  # the core's (D, K)
    losses, largest = [], []
    done = 0
    for target in steps:
        for _ in range(target - done):
            _, dW, db = ws.loss_and_gradients(W, b, l2)
            W, b = W - lr * dW, b - lr * db
        done = target
        losses.append(float(ws.cross_entropy(W, b)))
        largest.append(float(np.max(np.abs(W))))
    accuracy = float(np.mean(np.argmax(X @ W + b, axis=1) == y))
    try:
        W_opt, b_opt = solve_optimum(X, y, l2)
        optimum = float(ws.cross_entropy(W_opt, b_opt))
    except NoOptimumError:
        optimum = None
    return SeparableRun(float(l2), tuple(steps), tuple(losses), tuple(largest), optimum, accuracy)


FEATURE_MAP_TOKENS = ("x1sq", "x1x2")


@dataclass(frozen=True)
class FeatureMapGradient:
    names: list[str]  # phi's features
    phi: np.ndarray  # (D_phi,) phi(x) of the sample
    dW: np.ndarray  # (K, D_phi) (pi - y) phi(x)^T
    dW_numeric: np.ndarray  # central differences of the sample's loss in W

    @property
    def max_error(self) -> float:
        return float(np.max(np.abs(self.dW - self.dW_numeric)))


def feature_map_gradient(
    X, y, sample: int, tokens=FEATURE_MAP_TOKENS, seed: int = 0
) -> FeatureMapGradient:
    """One sample's dL/dW with z = W phi(x) + b, phi fitted on X; W random (K, D_phi)."""
    X = np.asarray(X, dtype=np.float64)
    fmap = fit_feature_map(X, tuple(tokens))
    Phi = fmap.transform(X)
    k = int(np.max(y)) + 1
    rng = np.random.default_rng(seed)
    W = rng.normal(0.0, 0.5, size=(k, fmap.n_features))
    b = rng.normal(0.0, 0.5, size=k)
    phi, c = Phi[sample], int(y[sample])
    pi = softmax(W @ phi + b)
    residual = pi.copy()
    residual[c] -= 1.0

    def loss(W_):
        z = W_ @ phi + b
        return float(np.log(np.sum(np.exp(z - z.max()))) + z.max() - z[c])

    return FeatureMapGradient(fmap.names, phi, np.outer(residual, phi), central_gradient(loss, W))
