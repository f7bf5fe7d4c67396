"""Softmax regression: logits = X @ W + b, probabilities, loss and gradients.

Shapes: X (N, D), W (D, K), b (K,), labels y (N,) in [0, K) or probability targets Y (N, K).
Loss: J(W, b) = (1/N) sum_i [logsumexp(z_i) - sum_k y_ik z_ik] + (l2 / 2) ||W||_F^2, the bias
unpenalised. Gradient, from the residual pi_i - y_i (seed notes 000, 001, 003):
dJ/dW = (1/N) X^T (P - Y) + l2 W,  dJ/db = (1/N) sum_i (pi_i - y_i).
"""

from __future__ import annotations

import numpy as np

from .engine import Workspace
from .functions import softmax
from .validation import (
    check_features,
    check_labels,
    check_n_classes,
    check_non_negative,
    check_params,
    infer_n_classes,
)


def loss_and_gradients(W, b, X, y, l2: float = 0.0) -> tuple[float, np.ndarray, np.ndarray]:
    """Return (loss, dW, db) of mean cross-entropy + (l2/2)||W||^2 at (W, b), in float64.

    W: (D, K), b: (K,), X: (N, D), y: labels (N,) or probability targets (N, K).
    dW: (D, K) = X^T (P - Y) / N + l2 W;  db: (K,) = mean_i (pi_i - y_i).
    """
    X = check_features(X)
    W_arr = np.asarray(W)
    if W_arr.ndim != 2:
        raise ValueError(f"W must be a 2-D array of shape (D, K); got shape {W_arr.shape}")
    n_classes = check_n_classes(W_arr.shape[1], "W.shape[1] (K)")
    W, b = check_params(W, b, X.shape[1], n_classes)
    targets = check_labels(y, X.shape[0], n_classes)
    l2 = check_non_negative(l2, "l2")
    loss, dW, db = Workspace(X, targets, n_classes).loss_and_gradients(W, b, l2)
    return loss, dW, db


def logits(W, b, X) -> np.ndarray:
    """z = X @ W + b, shape (N, K)."""
    X = check_features(X)
    W_arr = np.asarray(W)
    if W_arr.ndim != 2:
        raise ValueError(f"W must be a 2-D array of shape (D, K); got shape {W_arr.shape}")
    W, b = check_params(W, b, X.shape[1], W_arr.shape[1])
    return X @ W + b


def predict_proba(W, b, X) -> np.ndarray:
    """pi = softmax(X @ W + b), shape (N, K); rows sum to 1."""
    return softmax(logits(W, b, X))


def predict(W, b, X) -> np.ndarray:
    """argmax_k z_k (= argmax_k pi_k, softmax is monotonic), shape (N,), int64."""
    return np.argmax(logits(W, b, X), axis=1)


def residuals(W, b, X, y) -> np.ndarray:
    """pi_i - y_i for every sample, shape (N, K): the gradient of l_i with respect to z_i.

    Each row sums to 0 and has Euclidean norm <= sqrt(2) (seed note 001, property 3).
    """
    probs = predict_proba(W, b, X)
    targets = check_labels(y, probs.shape[0], probs.shape[1])
    if targets.ndim == 1:
        probs[np.arange(probs.shape[0]), targets] -= 1.0
        return probs
    return probs - targets


def input_gradients(W, b, X, y) -> np.ndarray:
    """dl_i/dx_i = W (pi_i - y_i) for every sample, shape (N, D).

    Minus this is the direction in input space that lowers the sample's loss fastest; the
    playground draws it as each point's arrow. Its norm is at most sqrt(2) * ||W||_2.
    """
    W = np.asarray(W, dtype=np.float64)
    return residuals(W, b, X, y) @ W.T


def n_classes_of(y) -> int:
    """K implied by labels (max + 1) or by targets (columns)."""
    return infer_n_classes(np.asarray(y))
