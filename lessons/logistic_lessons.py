"""Numbers of the logistic page: K = 2 softmax is the sigmoid, and three gradients compared.

Seed note 003: a_1 = e^{z_1} / (e^{z_1} + e^{z_2}) = 1 / (1 + e^{-(z_1 - z_2)}) = g(z_1 - z_2),
and the gradients of linear (squared loss), logistic and softmax regression all have the form
(prediction - truth) x_j; only the prediction a and the constant differ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from softmax_core import (
    cross_entropy,
    default_centres,
    loss_and_gradients,
    make_gaussian_classes,
    sigmoid,
    softmax,
)

from .numerics import central_gradient


@dataclass(frozen=True)
class TwoClass:
    """softmax([z1, z2])_1 against sigmoid(z1 - z2)."""

    z1: float
    z2: float
    softmax_probs: np.ndarray  # (2,)
    sigmoid_prob: float

    @property
    def difference(self) -> float:
        return abs(float(self.softmax_probs[0]) - self.sigmoid_prob)


def two_class(z1: float, z2: float) -> TwoClass:
    """Both routes to P(class 1)."""
    return TwoClass(
        float(z1), float(z2), softmax(np.array([z1, z2], float)), float(sigmoid(z1 - z2))
    )


def sigmoid_example(w: float = 2.0, b: float = 1.0, x: float = 1.0) -> tuple[float, float, float]:
    """Seed 003: z = w x + b, a = g(z), 1 - a. Defaults give (3, 0.9526, 0.0474)."""
    z = float(w) * float(x) + float(b)
    a = float(sigmoid(z))
    return z, a, float(sigmoid(-z))  # 1 - a without cancellation


def binary_cross_entropy(z: float, y: int) -> tuple[float, float]:
    """(-y log a - (1 - y) log(1 - a), 2-class cross-entropy of logits [z, 0] with label 1 - y).

    Class index 0 is "y = 1" here, as in seed 003's a_1 = P(y = 1 | x). The first value uses
    log a = -log(1 + e^{-z}) through logaddexp, so neither side clips.
    """
    y = int(y)
    log_a = -np.logaddexp(0.0, -z)
    log_1ma = -np.logaddexp(0.0, z)
    bce = float(-y * log_a - (1 - y) * log_1ma)
    ce = cross_entropy(np.array([[z, 0.0]]), np.array([1 - y]))
    return bce, ce


@dataclass(frozen=True)
class ThreeGradients:
    """d J / d w_j of three models on one data set (X (m, D), y in {0, 1})."""

    X: np.ndarray
    y: np.ndarray
    a_linear: np.ndarray  # w . x + b
    a_logistic: np.ndarray  # g(w . x + b)
    a_softmax: np.ndarray  # softmax([0, w . x + b])_1 (class 1 is "y = 1")
    grad_linear: np.ndarray  # (2/m) sum (a - y) x_j
    grad_logistic: np.ndarray  # (1/m) sum (a - y) x_j
    grad_softmax: np.ndarray  # column "y = 1" of dJ/dW from softmax_core
    max_fd_error: float  # all three against central differences


def three_gradients(w, b: float, X, y) -> ThreeGradients:
    """Evaluate the three gradients of seed 003 at the same w (D,), b on (X, y).

    Linear regression: J = (1/m) sum (a - y)^2. Logistic: J = mean binary cross-entropy.
    Softmax: W = [0 | w] (D, 2), b = [0, b], so its class-1 probability equals the sigmoid.
    """
    w = np.asarray(w, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    m = X.shape[0]

    def linear_cost(wv):
        return float(np.mean((X @ wv + b - y) ** 2))

    def logistic_cost(wv):
        z = X @ wv + b
        return float(np.mean(np.where(y == 1, np.logaddexp(0, -z), np.logaddexp(0, z))))

    def softmax_cost(wv):
        return loss_and_gradients(_two_col(wv), np.array([0.0, b]), X, y)[0]

    z = X @ w + b
    a_lin, a_log = z, sigmoid(z)
    a_soft = softmax(np.stack([np.zeros_like(z), z], axis=1))[:, 1]
    grad_lin = 2.0 / m * X.T @ (a_lin - y)
    grad_log = X.T @ (a_log - y) / m
    grad_soft = loss_and_gradients(_two_col(w), np.array([0.0, b]), X, y)[1][:, 1]
    fd_error = max(
        np.max(np.abs(grad_lin - central_gradient(linear_cost, w))),
        np.max(np.abs(grad_log - central_gradient(logistic_cost, w))),
        np.max(np.abs(grad_soft - central_gradient(softmax_cost, w))),
    )
    return ThreeGradients(X, y, a_lin, a_log, a_soft, grad_lin, grad_log, grad_soft, fd_error)


def _two_col(w: np.ndarray) -> np.ndarray:
    """W = [0 | w]: class 0 has zero weights, class 1 has w."""
    return np.stack([np.zeros_like(w), w], axis=1)


START_W = (0.5, -0.3)
START_B = 0.2


def binary_dataset() -> tuple[np.ndarray, np.ndarray]:
    """Eight points, four per class, labels y in {0, 1}: X (8, 2), y (8,)."""
    return make_gaussian_classes(default_centres(2), n_per_class=4, spread=1.0, seed=1)
