"""Softmax, log-softmax, the softmax Jacobian and cross-entropy, exact for logits of any size.

Everything is computed from logits and shifted by the maximum, so exp never overflows:
softmax(z) = exp(z - max z) / sum exp(z - max z), and cross-entropy is
logsumexp(z) - sum_k y_k z_k, never -log of a clipped probability. Clipping (as seed note 000's
``CCE_Loss`` does with 1e-15) caps every loss at 34.5 nats and silently zeroes the gradient of
a confidently wrong sample; the log-sum-exp form stays exact at any logit size.
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, check_labels

LN2 = float(np.log(2.0))


def logsumexp(logits, axis: int = -1) -> np.ndarray:
    """log sum_k exp(z_k) over ``axis``, computed as m + log sum exp(z - m) with m = max z."""
    z = np.asarray(logits, dtype=np.float64)
    m = np.max(z, axis=axis, keepdims=True)
    with np.errstate(over="ignore"):  # z - m below -1.8e308 is -inf, whose exp is exactly 0
        out = np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True)) + m
    return np.squeeze(out, axis=axis)


def _log_softmax(z: np.ndarray) -> np.ndarray:
    """(z - m) - log sum exp(z - m): never forms logsumexp(z) itself, whose rounding at
    |z| = 1e4 (one ulp, 2e-12) would otherwise be the error of every entry."""
    with np.errstate(over="ignore"):  # a gap beyond 1.8e308 is -inf: its true value rounded
        shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def log_softmax(logits) -> np.ndarray:
    """log softmax(z)_k = z_k - logsumexp(z), over the last axis. Same shape as ``logits``."""
    z = as_float_array(logits, "logits")
    if z.ndim == 0:
        raise ValueError("logits must have at least one axis (the classes)")
    return _log_softmax(z)


def softmax(logits) -> np.ndarray:
    """softmax(z)_k = exp(z_k - m) / sum_j exp(z_j - m), m = max z, over the last axis.

    Shift invariance (softmax(z + c) = softmax(z)) is what makes the shift by m exact.
    """
    z = as_float_array(logits, "logits")
    if z.ndim == 0:
        raise ValueError("logits must have at least one axis (the classes)")
    with np.errstate(over="ignore"):  # z - m below -1.8e308 is -inf, whose exp is exactly 0
        e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_naive(logits) -> np.ndarray:
    """exp(z) / sum exp(z) without the shift: overflows to NaN for logits near 710 and above.

    Kept only to demonstrate why the shifted form is needed; never used for a result.
    """
    z = np.asarray(logits, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / np.sum(e, axis=-1, keepdims=True)


def sigmoid(z) -> np.ndarray:
    """1 / (1 + exp(-z)), evaluated without overflow for any z (it is softmax([z, 0])_0)."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax_jacobian(probs) -> np.ndarray:
    """J = diag(p) - p p^T, i.e. dp_i/dz_j = p_i (delta_ij - p_j), batched over leading axes.

    probs: (..., K) -> (..., K, K). Each J is symmetric and its rows sum to 0.
    """
    p = as_float_array(probs, "probs")
    if p.ndim == 0:
        raise ValueError("probs must have at least one axis (the classes)")
    jac = -p[..., :, None] * p[..., None, :]
    idx = np.arange(p.shape[-1])
    jac[..., idx, idx] += p
    return jac


def cross_entropy(logits, y, reduction: str = "mean"):
    """Cross-entropy from logits: l_i = -sum_k y_ik log softmax(z_i)_k, which is
    logsumexp(z_i) - sum_k y_ik z_ik when the targets sum to 1.

    logits: (N, K). y: integer labels (N,) in [0, K), or probability targets (N, K).
    reduction: "mean" (a float), "sum" (a float) or "none" (an array of shape (N,)).
    """
    z = as_float_array(logits, "logits", ndim=2)
    targets = check_labels(y, z.shape[0], z.shape[1])
    log_probs = _log_softmax(z)
    if targets.ndim == 1:
        losses = -log_probs[np.arange(z.shape[0]), targets]
    else:
        # Where y_ik = 0 and z_ik = -inf the product would be NaN; logits are finite here.
        losses = -np.einsum("nk,nk->n", targets, log_probs)
    if reduction == "none":
        return losses
    if reduction == "sum":
        return float(losses.sum())
    if reduction == "mean":
        return float(losses.mean())
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none'; got {reduction!r}")


def entropy(p, base: float = np.e) -> float:
    """H[p] = -sum_j p_j log p_j (0 log 0 = 0), in nats (base e) or bits (base 2)."""
    p = _check_distribution(p, "p")
    nz = p > 0
    return float(-np.sum(p[nz] * np.log(p[nz])) / np.log(base))


def distribution_cross_entropy(p, q, base: float = np.e) -> float:
    """H(p, q) = -sum_j p_j log q_j: the cost of coding p with a code built for q.

    Infinite when q_j = 0 where p_j > 0.
    """
    pq = _support_of_pair(p, q)
    if pq is None:
        return float("inf")
    p, q = pq
    return float(-np.sum(p * np.log(q)) / np.log(base))


def kl_divergence(p, q, base: float = np.e) -> float:
    """KL(p || q) = H(p, q) - H[p] = sum_j p_j log(p_j / q_j) >= 0."""
    pq = _support_of_pair(p, q)
    if pq is None:
        return float("inf")
    p, q = pq
    return float(np.sum(p * (np.log(p) - np.log(q))) / np.log(base))


def surprisal(p, base: float = np.e) -> np.ndarray:
    """-log p: the information of an event of probability p (inf at p = 0)."""
    p = np.asarray(p, dtype=np.float64)
    if np.any((p < 0) | (p > 1)) or not np.all(np.isfinite(p)):
        raise ValueError("p must hold probabilities in [0, 1]")
    with np.errstate(divide="ignore"):
        return -np.log(p) / np.log(base)


def _support_of_pair(p, q) -> tuple[np.ndarray, np.ndarray] | None:
    """Checked p and q restricted to p > 0 (0 log 0 = 0), or None when q_j = 0 where
    p_j > 0 (then H(p, q) and KL(p || q) are infinite)."""
    p = _check_distribution(p, "p")
    q = _check_distribution(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape; got {p.shape} and {q.shape}")
    nz = p > 0
    if np.any(q[nz] == 0):
        return None
    return p[nz], q[nz]


def _check_distribution(p, name: str) -> np.ndarray:
    arr = as_float_array(p, name, ndim=1)
    if arr.size < 1 or np.any(arr < 0) or not np.isclose(arr.sum(), 1.0, atol=1e-6):
        raise ValueError(f"{name} must be a probability vector: non-negative, summing to 1")
    return arr
