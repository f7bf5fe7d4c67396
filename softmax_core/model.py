"""Softmax regression: logits = X @ W + b, probabilities, loss and gradients.

Shapes: X (N, D), W (D, K), b (K,), labels y (N,) in [0, K) or probability targets Y (N, K).
Loss: J(W, b) = (1/N) sum_i [logsumexp(z_i) - sum_k y_ik z_ik] + (l2 / 2) ||W||_F^2, the bias
unpenalised. Gradient, from the residual pi_i - y_i (seed notes 000, 001, 003):
dJ/dW = (1/N) X^T (P - Y) + l2 W,  dJ/db = (1/N) sum_i (pi_i - y_i).
"""

from __future__ import annotations

import numpy as np

from .engine import CHUNK, augmented, finish, hard_chunk, scratch, soft_pass
from .functions import softmax
from .validation import (
    check_features,
    check_labels,
    check_n_classes,
    check_non_negative,
    check_params,
    float_dtype,
    infer_n_classes,
)


def loss_and_gradients(W, b, X, y, l2: float = 0.0) -> tuple[float, np.ndarray, np.ndarray]:
    """Return (loss, dW, db) of mean cross-entropy + (l2/2)||W||^2 at (W, b).

    W: (D, K), b: (K,), X: (N, D), y: labels (N,) or probability targets (N, K).
    dW: (D, K) = X^T (P - Y) / N + l2 W;  db: (K,) = mean_i (pi_i - y_i).
    The loss is a Python float, >= 0 and never -0.0, accurate to a few ulps relative to
    itself (see engine.py). dW and db are float32 when W, b and X all are, else float64.

    Nothing is cached between calls: each call reads X and y afresh (chunk by chunk, into
    this thread's reused scratch buffers), so editing them in place between calls is safe.
    X is checked for NaN and inf only when the result is not finite (a non-finite X always
    makes it so), which saves a pass over X on every call.
    """
    X_arr = np.asarray(X)
    if X_arr.dtype not in (np.float32, np.float64):
        X_arr = check_features(X_arr)
    if X_arr.ndim != 2:
        raise ValueError(f"X must be a 2-D array; got shape {X_arr.shape}")
    if X_arr.shape[0] < 1 or X_arr.shape[1] < 1:
        raise ValueError(f"X must have shape (N, D) with N >= 1 and D >= 1; got {X_arr.shape}")
    W_arr, b_arr = np.asarray(W), np.asarray(b)
    if W_arr.ndim != 2:
        raise ValueError(f"W must be a 2-D array of shape (D, K); got shape {W_arr.shape}")
    dtype = float_dtype(W_arr, b_arr, X_arr)
    n, d = X_arr.shape
    k = check_n_classes(W_arr.shape[1], "W.shape[1] (K)")
    W64, b64 = check_params(W_arr, b_arr, d, k)
    targets = check_labels(y, n, k)
    l2 = check_non_negative(l2, "l2")
    if targets.ndim == 1:
        Wa = augmented(W64, b64, dtype)
        G = np.zeros((d + 1, k), dtype=dtype)
        sc = scratch(d, k, dtype)
        total = 0.0
        for a in range(0, n, CHUNK):
            m = min(CHUNK, n - a)
            xa = sc.xa[: (d + 1) * m].reshape(d + 1, m)
            xa[:d] = X_arr[a : a + m].T
            xa[d] = 1.0
            flat = sc.flat[:m]
            np.multiply(targets[a : a + m], m, out=flat)
            flat += sc.arange[:m]
            total += hard_chunk(Wa, xa, flat, sc, G)[0]
    else:
        Xa = np.vstack([X_arr.T.astype(np.float64), np.ones((1, n))])
        total, G = soft_pass(augmented(W64, b64, np.float64), Xa, targets)
        G = G.astype(dtype, copy=False)
    loss, dW, db = finish(total, G, W64, l2, n, dtype)
    if not (np.isfinite(loss) and np.isfinite(G).all()):
        check_features(X_arr)  # names NaN or inf in X; finite X may still overflow
    return loss, dW, db


def logits(W, b, X) -> np.ndarray:
    """z = X @ W + b, shape (N, K); float32 when W, b and X all are, else float64."""
    X_arr, W_arr, b_arr = np.asarray(X), np.asarray(W), np.asarray(b)
    dtype = float_dtype(W_arr, b_arr, X_arr)
    X = check_features(X_arr).astype(dtype, copy=False)
    if W_arr.ndim != 2:
        raise ValueError(f"W must be a 2-D array of shape (D, K); got shape {W_arr.shape}")
    W, b = check_params(W_arr, b_arr, X.shape[1], W_arr.shape[1])
    return X @ W.astype(dtype, copy=False) + b.astype(dtype, copy=False)


def predict_proba(W, b, X) -> np.ndarray:
    """pi = softmax(X @ W + b), shape (N, K); rows sum to 1. Dtype as ``logits``."""
    return softmax(logits(W, b, X))


def predict(W, b, X) -> np.ndarray:
    """argmax_k z_k (= argmax_k pi_k, softmax is monotonic), shape (N,), int64 (intp)."""
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
