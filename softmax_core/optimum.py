"""The exact optimum of L2-regularised softmax regression, by Newton's method.

J(W, b) = mean CE + (l2/2) ||W||^2 is convex. Stack each class's parameters as
theta_k = [w_k; b_k] in R^(D+1) and augment x~ = [x; 1]. Then
    gradient  g_k      = (1/N) sum_i (pi_ik - y_ik) x~_i + l2 [w_k; 0]
    Hessian   H_(k,l)  = (1/N) sum_i (pi_ik delta_kl - pi_ik pi_il) x~_i x~_i^T + l2 delta_kl I_w
i.e. each block is an entry of the softmax Jacobian diag(pi) - pi pi^T times x~ x~^T.
Adding one constant to every b_k (and, with l2 = 0, one vector to every w_k) leaves the
softmax unchanged, so H is singular along that direction; a 1e-10 ridge fixes it and the
returned biases (and weights, with l2 = 0) are centred over classes.

Which Newton, by size (measured in docs/performance.md, one BLAS thread):
- (D+1) K <= ``DIRECT_MAX`` (the playground's 2-D data, K <= 10): the Hessian itself, from two
  thin products over the fixed rows vec(x~ x~^T), and a dense solve. It costs
  O(N ((D+1) K)^2) per step, which is nothing at (D+1) K = 12 and 0.8 GFLOP at the digits'
  650: there it took 4-8x scikit-learn's whole lbfgs fit.
- larger: Newton-CG (truncated Newton). The Hessian is never formed; conjugate gradients
  solve H s = g with products H v = X~^T [P o (X~V - rowsum(P o X~V))] / N + l2 V, two thin
  matrix products each, preconditioned by the K diagonal blocks X~^T diag(pi_k (1 - pi_k)) X~
  / N (inverted once per Newton step), which carry the correlations between features. The
  CG tolerance shrinks with the gradient (eta = min(0.5, sqrt|g|)), so the outer steps stay
  superlinear. The products H v run in float32 (1.35x faster in all, same 9 Newton steps):
  they only steer the step, while the gradient that decides convergence is float64.
  An own L-BFGS was not chosen: it needs ~150 iterations to reach 1e-10 here, each a full
  loss-and-gradient pass, where Newton-CG needs 9 steps and ~250 cheap products.
Both stop only when max |g| < ``tol``; if rounding makes that unreachable the call says so
(``ToleranceWarning``) and returns the best point.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .engine import Workspace
from .validation import (
    check_features,
    check_labels,
    check_n_classes,
    check_non_negative,
    check_positive,
    infer_n_classes,
)

DIRECT_MAX = 120  # (D+1) K up to this: form the Hessian and solve; above: Newton-CG
RIDGE = 1e-10


class NoOptimumError(RuntimeError):
    """Newton's method did not converge: with l2 = 0 on separable data no finite optimum
    exists (the loss keeps falling as ||W|| grows)."""


class ToleranceWarning(RuntimeWarning):
    """solve_optimum stopped short of ``tol``: no step lowers the loss or the gradient any
    more, i.e. the gradient sits at its rounding floor (the message gives both numbers)."""


def solve_optimum(
    X, y, l2: float, *, n_classes: int | None = None, tol: float = 1e-10, max_iter: int = 100
) -> tuple[np.ndarray, np.ndarray]:
    """Return (W (D, K), b (K,)) minimising mean CE + (l2/2)||W||^2, float64 for any input
    (the optimum is a reference: float32 would leave a gradient of about 1e-7).

    Newton steps (see the module docstring for which kind) until the gradient's max-norm is
    below ``tol`` (> 0). When rounding stops progress first (no step lowers the loss, nor the
    gradient at the loss's rounding floor), a ``ToleranceWarning`` says so with the gradient
    reached, and the best point is returned. y: labels (N,) or probability targets (N, K).

    Raises NoOptimumError when no finite optimum is reached in ``max_iter`` Newton steps, or
    (l2 = 0, labels) as soon as an iterate classifies every sample correctly: separable data.
    """
    X = check_features(X)
    targets = check_labels(y, X.shape[0], n_classes)
    k = check_n_classes(n_classes if n_classes is not None else infer_n_classes(targets))
    l2 = check_non_negative(l2, "l2")
    tol = check_positive(tol, "tol")
    n, d = X.shape
    m = d + 1
    if m * k > 20_000:
        raise ValueError(f"solve_optimum: (D+1)K = {m * k} is above the limit of 20000")
    Xa = np.hstack([X, np.ones((n, 1))])
    if targets.ndim == 1:
        Y = np.zeros((n, k))
        Y[np.arange(n), targets] = 1.0
    else:
        Y = targets
    ws = Workspace(X, targets, k)
    direct = m * k <= DIRECT_MAX
    M = _outer_rows(Xa) if direct else None
    Xa32 = None if direct else Xa.astype(np.float32)
    eig = None if direct else np.linalg.eigh(Xa.T @ Xa / n)  # (lam, Q) for Newton-CG
    ridge = np.full(m, RIDGE)
    ridge[:d] += l2

    def value_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
        loss, dW, db = ws.loss_and_gradients(theta[:d], theta[d], l2)
        return loss, np.vstack([dW, db[None, :]])

    theta = np.zeros((m, k))
    loss, grad = value_and_gradient(theta)
    for _ in range(max_iter):
        gmax = float(np.max(np.abs(grad)))
        if gmax < tol:
            return _centre(theta, l2, d)
        P = _probabilities(Xa, theta)
        if l2 == 0 and targets.ndim == 1 and _separates(P, targets):
            # Scaling (W, b) up lowers the loss towards 0 forever. Without this check Newton
            # "converges" once the vanishing gradient drops below tol, at an arbitrary point.
            raise NoOptimumError(
                "with l2 = 0 the classes are linearly separable (an iterate classifies every "
                "sample correctly), so no finite optimum exists: the loss keeps falling as "
                "||W|| grows"
            )
        if direct:
            step = _direct_step(P, M, ridge, grad)
        else:
            step = _newton_cg_step(P, Xa, Xa32, ridge, grad, eig)
        accepted = _line_search(value_and_gradient, theta, step, loss, grad, gmax)
        if accepted is None:
            warnings.warn(
                f"solve_optimum reached a gradient max-norm of {gmax:.3g}, not tol = {tol:.3g}: "
                "no step lowers the loss or the gradient any more (the gradient's rounding "
                "floor in float64 for these data); the best point is returned",
                ToleranceWarning,
                stacklevel=2,
            )
            return _centre(theta, l2, d)
        theta, loss, grad = accepted
        if np.max(np.abs(theta)) > 1e8:
            break
    raise NoOptimumError(
        "Newton's method did not converge"
        + (
            ": with l2 = 0 the classes are (nearly) separable, so no finite optimum exists"
            if l2 == 0
            else f" in max_iter = {max_iter} steps"
        )
    )


def _line_search(value_and_gradient, theta, step, loss, grad, gmax):
    """Backtracking (Armijo) along -step; returns (theta, loss, grad) or None.

    Near the optimum the loss changes by less than its own rounding (about 1e-16 relative),
    so Armijo cannot see progress; there a step is accepted when the loss does not rise
    beyond rounding and the gradient at least halves (less is rounding noise: then the
    tolerance is out of reach). The accepted point's loss and gradient come from the same
    pass, so a full Newton step costs one pass.
    """
    slope = float(np.vdot(grad, step))  # Newton decrement squared: g^T H^-1 g
    floor = 8 * np.finfo(float).eps * max(1.0, abs(loss))
    t = 1.0
    while t > 1e-10:
        new = theta - t * step
        new_loss, new_grad = value_and_gradient(new)
        if new_loss < loss and new_loss <= loss - 1e-4 * t * slope:
            return new, new_loss, new_grad
        if new_loss <= loss + floor and np.max(np.abs(new_grad)) < 0.5 * gmax:
            return new, new_loss, new_grad
        t *= 0.5
    return None


def _probabilities(Xa: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """P (N, K) = softmax(Xa theta), shifted by each row's maximum."""
    Z = Xa @ theta
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


def _direct_step(P: np.ndarray, M: np.ndarray, ridge: np.ndarray, grad: np.ndarray):
    """H^-1 g from the formed Hessian, (D+1, K)."""
    m, k = grad.shape
    hess = _hessian(P.T, M, ridge)
    g = grad.T.ravel()
    try:
        step = np.linalg.solve(hess, g)
    except np.linalg.LinAlgError:  # singular beyond the ridge (e.g. identical far points)
        step = np.linalg.lstsq(hess, g, rcond=None)[0]  # minimum-norm step
    return step.reshape(k, m).T


def _newton_cg_step(P, Xa, Xa32, ridge, grad, eig):
    """An approximate H^-1 g (D+1, K) by preconditioned conjugate gradients; H never formed.

    Xa32: Xa in float32; eig: (lam, Q), the eigendecomposition of X~^T X~ / N."""
    n, m = Xa.shape
    k = P.shape[1]
    inv_n = 1.0 / n

    # The products run in float32 (twice the speed of float64 here): they only steer the
    # step; the gradient that decides convergence, and the line search, stay in float64.
    P32 = P.astype(np.float32)

    def hess_times(V: np.ndarray) -> np.ndarray:
        A = Xa32 @ V.astype(np.float32)  # (N, K): the logits' change along V
        A -= np.sum(P32 * A, axis=1, keepdims=True)
        A *= P32  # softmax Jacobian times A, row by row
        out = (Xa32.T @ A).astype(np.float64)
        out *= inv_n
        out += ridge[:, None] * V
        return out

    # Preconditioner: class c's diagonal block X~^T diag(w_c) X~ / N, w_c = pi_c (1 - pi_c),
    # with w_c replaced by its mean: omega_c C + ridge, C = Q diag(lam) Q^T fixed per solve.
    # On the digits the true blocks cut CG's products from 247 to 103 per solve but cost
    # more than they saved (K products (m, N) x (N, m) per Newton step): 0.83x as fast.
    lam, Q = eig
    omega = np.mean(P * (1.0 - P), axis=0)  # (K,)
    scale = 1.0 / (lam[:, None] * omega[None, :] + ridge.mean())  # (m, K)

    def precondition(R: np.ndarray) -> np.ndarray:
        return Q @ (scale * (Q.T @ R))

    gnorm = float(np.linalg.norm(grad))
    target = min(0.5, math.sqrt(gnorm)) * gnorm
    x = np.zeros_like(grad)
    r = grad.copy()
    z = precondition(r)
    p = z.copy()
    rz = float(np.vdot(r, z))
    for _ in range(10 * m * k):
        Hp = hess_times(p)
        curvature = float(np.vdot(p, Hp))
        if curvature <= 0:  # only rounding can make a positive definite H do this
            break
        alpha = rz / curvature
        x += alpha * p
        r -= alpha * Hp
        if np.linalg.norm(r) <= target:
            break
        z = precondition(r)
        rz_new = float(np.vdot(r, z))
        p *= rz_new / rz
        p += z
        rz = rz_new
    return x if np.any(x) else grad


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


def _hessian(probs_kn: np.ndarray, M: np.ndarray, ridge: np.ndarray) -> np.ndarray:
    """((D+1)K, (D+1)K) Hessian in class-major order: index k * (D+1) + j.

    Block (a, c) = (1/N) sum_i (pi_ia delta_ac - pi_ia pi_ic) x~_i x~_i^T, i.e. the softmax
    Jacobian times x~ x~^T. With M's rows vec(x~_i x~_i^T), every block is a row of
    (pi_a pi_c) M or pi_a M: two thin matrix products, (K^2, N) @ (N, m^2) and (K, N) @ (N, m^2).
    probs_kn: P as (K, N); ridge (m,): l2 on the weights plus RIDGE on every entry.
    """
    k, n = probs_kn.shape
    m = math.isqrt(M.shape[1])
    pairs = (probs_kn[:, None, :] * probs_kn[None, :, :]).reshape(k * k, n)
    hess = -(pairs @ M).reshape(k, k, m, m)
    diag = (probs_kn @ M).reshape(k, m, m)
    idx = np.arange(k)
    hess[idx, idx] += diag
    hess = hess.transpose(0, 2, 1, 3).reshape(k * m, k * m) / n
    hess[np.diag_indices_from(hess)] += np.tile(ridge, k)
    return hess


def _centre(theta: np.ndarray, l2: float, d: int) -> tuple[np.ndarray, np.ndarray]:
    W, b = theta[:d], theta[d] - theta[d].mean()
    if l2 == 0:
        W = W - W.mean(axis=1, keepdims=True)
    return W.copy(), b


def gd_stable_learning_rate(X, l2: float) -> float:
    """2 / L, where L = lambda_max(X~^T X~ / N) / 2 + l2 bounds the Hessian of J everywhere
    (the softmax Jacobian's eigenvalues are at most 1/2). Gradient descent with a learning
    rate below this never increases the loss."""
    X = check_features(X)
    l2 = check_non_negative(l2, "l2")
    Xa = np.hstack([X, np.ones((X.shape[0], 1))])
    lam = float(np.linalg.eigvalsh(Xa.T @ Xa / X.shape[0])[-1])
    return 2.0 / (0.5 * lam + l2)
