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

import math

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
    """Return (W (D, K), b (K,)) minimising mean CE + (l2/2)||W||^2: Newton steps until the
    gradient's max-norm is below ``tol`` or the Newton decrement g^T H^-1 g falls below the
    rounding of the loss (then the gradient is at its float64 floor, about 1e-9).
    y: labels (N,) or probability targets (N, K).

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
    M = _outer_rows(np.hstack([X, np.ones((n, 1))]))  # (N, (D+1)^2), fixed

    W, b = np.zeros((d, k)), np.zeros(k)
    loss, dW, db = ws.loss_and_gradients(W, b, l2)
    for _ in range(max_iter):
        probs_kn = ws.Z  # (K, N): loss_and_gradients left P at (W, b) in the workspace
        if l2 == 0 and targets.ndim == 1 and _separates(probs_kn.T, targets):
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
        hess = _hessian(probs_kn, M, l2, d)
        try:
            step = np.linalg.solve(hess, grad.T.ravel())
        except np.linalg.LinAlgError:  # singular beyond the ridge (e.g. identical far points)
            step = np.linalg.lstsq(hess, grad.T.ravel(), rcond=None)[0]  # minimum-norm step
        step = step.reshape(k, d + 1).T  # (D+1, K)
        t = 1.0
        slope = float(np.vdot(grad, step))  # Newton decrement squared: g^T H^-1 g
        if slope < 4 * np.finfo(float).eps * max(1.0, abs(loss)):
            # The predicted decrease is below the rounding of the loss itself: converged
            # as far as float64 can tell (the gradient's own floor is about 1e-10 here).
            return _centre(W, b, l2)
        while True:  # backtracking line search (Armijo); the accepted point's loss and
            # gradient come from the same pass, so a full Newton step costs one forward pass
            W_new, b_new = W - t * step[:d], b - t * step[d]
            new_loss, new_dW, new_db = ws.loss_and_gradients(W_new, b_new, l2)
            if new_loss <= loss - 1e-4 * t * slope or t < 1e-8:
                break
            t *= 0.5
        if t < 1e-8 and np.max(np.abs(grad)) < np.sqrt(tol):
            # No step lowers the loss any more: the gradient sits at its rounding floor
            # (about 1e-10 here, as dW is a difference of two sums over N), short of tol.
            return _centre(W, b, l2)
        W, b, loss, dW, db = W_new, b_new, new_loss, new_dW, new_db
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


def _outer_rows(Xa: np.ndarray) -> np.ndarray:
    """M (N, m*m) with row i = vec(x~_i x~_i^T): fixed for the data, built once per solve."""
    n, m = Xa.shape
    return (Xa[:, :, None] * Xa[:, None, :]).reshape(n, m * m)


def _hessian(probs_kn: np.ndarray, M: np.ndarray, l2: float, d: int) -> np.ndarray:
    """((D+1)K, (D+1)K) Hessian in class-major order: index k * (D+1) + j.

    Block (a, c) = (1/N) sum_i (pi_ia delta_ac - pi_ia pi_ic) x~_i x~_i^T, i.e. the softmax
    Jacobian times x~ x~^T. With M's rows vec(x~_i x~_i^T), every block is a row of
    (pi_a pi_c) M or pi_a M: two thin matrix products, (K^2, N) @ (N, m^2) and (K, N) @ (N, m^2).
    probs_kn: P as (K, N), the layout the workspace keeps.
    """
    k, n = probs_kn.shape
    m = math.isqrt(M.shape[1])
    pairs = (probs_kn[:, None, :] * probs_kn[None, :, :]).reshape(k * k, n)
    hess = -(pairs @ M).reshape(k, k, m, m)
    diag = (probs_kn @ M).reshape(k, m, m)
    idx = np.arange(k)
    hess[idx, idx] += diag
    hess = hess.transpose(0, 2, 1, 3).reshape(k * m, k * m) / n
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
