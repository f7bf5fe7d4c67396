"""The exact optimum of L2-regularised softmax regression, by Newton's method.

J(W, b) = mean CE + (l2/2) ||W||^2 is convex. Stack each class's parameters as
theta_k = [w_k; b_k] in R^(D+1) and augment x~ = [x; 1]. Then
    gradient  g_k      = (1/N) sum_i (pi_ik - y_ik) x~_i + l2 [w_k; 0]
    Hessian   H_(k,l)  = (1/N) sum_i (pi_ik delta_kl - pi_ik pi_il) x~_i x~_i^T + l2 delta_kl I_w
i.e. each block is an entry of the softmax Jacobian diag(pi) - pi pi^T times x~ x~^T.
Adding one constant to every b_k (and, with l2 = 0, one vector to every w_k) leaves the
softmax unchanged, so H is singular along that direction; a 1e-10 ridge fixes it and the
returned biases (and weights, with l2 = 0) are centred over classes.
Newton needs 5-10 steps where gradient descent needs thousands (see benchmarks/).
"""

from __future__ import annotations

import numpy as np

from .engine import Workspace
from .validation import (
    check_features,
    check_labels,
    check_n_classes,
    check_non_negative,
    infer_n_classes,
)


class NoOptimumError(RuntimeError):
    """Newton's method did not converge: with l2 = 0 on separable data no finite optimum
    exists (the loss keeps falling as ||W|| grows)."""


def solve_optimum(
    X, y, l2: float, *, n_classes: int | None = None, tol: float = 1e-10, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Return (W (D, K), b (K,)) minimising mean CE + (l2/2)||W||^2 to a gradient max-norm
    below ``tol``. y: labels (N,) or probability targets (N, K).

    Raises NoOptimumError when no finite optimum is reached in ``max_iter`` Newton steps, or
    (l2 = 0, labels) as soon as an iterate classifies every sample correctly: separable data.
    """
    X = check_features(X)
    targets = check_labels(y, X.shape[0], n_classes)
    k = check_n_classes(n_classes if n_classes is not None else infer_n_classes(targets))
    l2 = check_non_negative(l2, "l2")
    n, d = X.shape
    if (d + 1) * k > 4000:
        raise ValueError(
            f"solve_optimum builds a ((D+1)K)^2 Hessian; (D+1)K = {(d + 1) * k} "
            "is above the limit of 4000"
        )
    ws = Workspace(X, targets, k)
    Xa = np.hstack([X, np.ones((n, 1))])  # (N, D+1)
    W, b = np.zeros((d, k)), np.zeros(k)
    loss, dW, db = ws.loss_and_gradients(W, b, l2)
    for _ in range(max_iter):
        probs = _probs(W, b, X)  # (N, K)
        if l2 == 0 and targets.ndim == 1 and _separates(probs, targets):
            # Scaling (W, b) up lowers the loss towards 0 forever. Without this check Newton
            # "converges" once the vanishing gradient drops below tol, at an arbitrary point.
            raise NoOptimumError(
                "with l2 = 0 the classes are linearly separable (an iterate classifies every "
                "sample correctly), so no finite optimum exists: the loss keeps falling as "
                "||W|| grows"
            )
        grad = np.vstack([dW, db[None, :]])  # (D+1, K), column k is g_k
        if np.max(np.abs(grad)) < tol:
            return _centre(W, b, l2)
        hess = _hessian(probs, Xa, l2, d)
        try:
            step = np.linalg.solve(hess, grad.T.ravel())
        except np.linalg.LinAlgError:  # singular beyond the ridge (e.g. identical far points)
            step = np.linalg.lstsq(hess, grad.T.ravel(), rcond=None)[0]  # minimum-norm step
        step = step.reshape(k, d + 1).T  # (D+1, K)
        t = 1.0
        slope = float(np.vdot(grad, step))
        while True:  # backtracking line search (Armijo)
            W_new, b_new = W - t * step[:d], b - t * step[d]
            new_loss = ws.cross_entropy(W_new, b_new) + 0.5 * l2 * float(np.vdot(W_new, W_new))
            if new_loss <= loss - 1e-4 * t * slope or t < 1e-8:
                break
            t *= 0.5
        W, b = W_new, b_new
        loss, dW, db = ws.loss_and_gradients(W, b, l2)
        if np.max(np.abs(W)) > 1e8:
            break
    raise NoOptimumError(
        "Newton's method did not converge"
        + (
            ": with l2 = 0 the classes are (nearly) separable, so no finite optimum exists"
            if l2 == 0
            else ""
        )
    )


def _separates(probs: np.ndarray, labels: np.ndarray) -> bool:
    """True when every sample's own class has the strictly largest probability: then (W, b)
    separates the data, which certifies that no finite unpenalised optimum exists."""
    rows = np.arange(labels.size)
    p_true = probs[rows, labels]
    others = probs.copy()
    others[rows, labels] = -np.inf
    return bool(np.all(p_true > others.max(axis=1)))


def _probs(W: np.ndarray, b: np.ndarray, X: np.ndarray) -> np.ndarray:
    z = X @ W + b
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def _hessian(probs: np.ndarray, Xa: np.ndarray, l2: float, d: int) -> np.ndarray:
    """((D+1)K, (D+1)K) Hessian in class-major order: index k * (D+1) + j."""
    n, k = probs.shape
    m = Xa.shape[1]
    hess = np.empty((k, m, k, m))
    for a in range(k):
        for c in range(a, k):
            weight = probs[:, a] * ((a == c) - probs[:, c])  # Jacobian entry (a, c) per sample
            block = (Xa * weight[:, None]).T @ Xa / n
            hess[a, :, c, :] = block
            hess[c, :, a, :] = block.T
    hess = hess.reshape(k * m, k * m)
    ridge = np.zeros(m)
    ridge[:d] = l2
    hess[np.diag_indices_from(hess)] += np.tile(ridge, k) + 1e-10
    return hess


def _centre(W: np.ndarray, b: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    b = b - b.mean()
    if l2 == 0:
        W = W - W.mean(axis=1, keepdims=True)
    return W, b


def gd_stable_learning_rate(X, l2: float) -> float:
    """2 / L, where L = lambda_max(X~^T X~ / N) / 2 + l2 bounds the Hessian of J everywhere
    (the softmax Jacobian's eigenvalues are at most 1/2). Gradient descent with a learning
    rate below this never increases the loss."""
    X = check_features(X)
    l2 = check_non_negative(l2, "l2")
    Xa = np.hstack([X, np.ones((X.shape[0], 1))])
    lam = float(np.linalg.eigvalsh(Xa.T @ Xa / X.shape[0])[-1])
    return 2.0 / (0.5 * lam + l2)
