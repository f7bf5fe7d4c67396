"""Numbers of the logistic page: K = 2 softmax is the sigmoid, and three gradients compared.

One convention on the page: class 1 is "y = 1", class 2 is "y = 0", the two-class logits are
[z, 0], so pi_1 = sigmoid(z). The slides (seed note 003):
a_1 = e^{z_1} / (e^{z_1} + e^{z_2}) = 1 / (1 + e^{-(z_1 - z_2)}) = g(z_1 - z_2),
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
    """The slides' example: z = w x + b, a = g(z), 1 - a. Defaults give (3, 0.9526, 0.0474)."""
    z = float(w) * float(x) + float(b)
    a = float(sigmoid(z))
    return z, a, float(sigmoid(-z))  # 1 - a without cancellation


def binary_cross_entropy(z: float, y: int) -> tuple[float, float]:
    """(-y log a - (1 - y) log(1 - a), 2-class cross-entropy of logits [z, 0] with label 1 - y).

    Class index 0 is "y = 1" here, as in the slides' a_1 = P(y = 1 | x). The first value uses
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
    a_softmax: np.ndarray  # pi_1 = softmax([w . x + b, 0])_1 (class 1 is "y = 1")
    grad_linear: np.ndarray  # (2/m) sum (a - y) x_j
    grad_logistic: np.ndarray  # (1/m) sum (a - y) x_j
    grad_softmax: np.ndarray  # row 1 (class 1) of dJ/dW from the core
    max_fd_error: float  # all three against central differences


def three_gradients(w, b: float, X, y) -> ThreeGradients:
    """Evaluate the slides' three gradients at the same w (D,), b on (X, y).

    Linear regression: J = (1/m) sum (a - y)^2. Logistic: J = mean binary cross-entropy.
    Softmax: rows w and 0, b = [b, 0], labels class 1 for y = 1: pi_1 equals the sigmoid.
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

    labels = 1 - y  # y = 1 is class 1 (index 0)

    def softmax_cost(wv):
        return loss_and_gradients(_two_col(wv), np.array([b, 0.0]), X, labels)[0]

    z = X @ w + b
    a_lin, a_log = z, sigmoid(z)
    a_soft = softmax(np.stack([z, np.zeros_like(z)], axis=1))[:, 0]
    grad_lin = 2.0 / m * X.T @ (a_lin - y)
    grad_log = X.T @ (a_log - y) / m
    grad_soft = loss_and_gradients(_two_col(w), np.array([b, 0.0]), X, labels)[1][:, 0]
    fd_error = max(
        np.max(np.abs(grad_lin - central_gradient(linear_cost, w))),
        np.max(np.abs(grad_log - central_gradient(logistic_cost, w))),
        np.max(np.abs(grad_soft - central_gradient(softmax_cost, w))),
    )
    return ThreeGradients(X, y, a_lin, a_log, a_soft, grad_lin, grad_log, grad_soft, fd_error)


def _two_col(w: np.ndarray) -> np.ndarray:
    """The core's (D, 2) weights: class 1 has w, class 2 has zeros."""
    return np.stack([w, np.zeros_like(w)], axis=1)


def difference_speed(w, b: float, X, y, lr: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """One gradient step from the same model: (change of logistic w, change of w_1 - w_2).

    The two-class softmax starts at rows w/2 and -w/2 (so z_1 - z_2 = w . x) and trains both
    rows: their gradients are (pi_1 - y_1) x and -(pi_1 - y_1) x, so w_1 - w_2 moves twice
    as far as logistic regression's w in the same step.
    """
    w = np.asarray(w, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    z = X @ w + b
    logistic_step = -lr * X.T @ (sigmoid(z) - y) / X.shape[0]
    W = np.stack([w / 2, -w / 2], axis=1)  # the core's (D, 2)
    _, dW, _ = loss_and_gradients(W, np.array([b / 2, -b / 2]), X, 1 - y)
    return logistic_step, -lr * (dW[:, 0] - dW[:, 1])


START_W = (0.5, -0.3)
START_B = 0.2


def binary_dataset() -> tuple[np.ndarray, np.ndarray]:
    """Eight points, four per class, labels y in {0, 1}: X (8, 2), y (8,)."""
    return make_gaussian_classes(default_centres(2), n_per_class=4, spread=1.0, seed=1)
