"""Softmax, log-softmax, the softmax Jacobian and cross-entropy, exact for logits of any size.

Everything is computed from logits and shifted by the maximum, so exp never overflows:
softmax(z) = exp(z - max z) / sum exp(z - max z), and cross-entropy is
logsumexp(z) - sum_k y_k z_k, never -log of a clipped probability. Clipping (as the NumPy
notebook's ``CCE_Loss`` does with 1e-15) caps the *reported* loss at 34.54 nats; its gradient
(p - y)/N, taken from the clipped p, stays within 1e-15 of the exact one, and only
differentiating the clipped loss itself (autograd through a clamp) gives slope 0. The
log-sum-exp form stays exact at any logit size.
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, check_labels, float_dtype

LN2 = float(np.log(2.0))

# Policy for non-finite logits, the same in every public function here:
# - NaN is rejected with a ValueError that names the argument;
# - -inf is a class ruled out: probability 0, log-probability -inf, no effect on the rest;
# - logsumexp is defined for every row without NaN: +inf if a logit is +inf, -inf if all are;
# - softmax, log_softmax and cross_entropy need a defined distribution: one +inf in a row is
#   the limit (probability 1 there, 0 elsewhere); a row whose logits are all -inf, or with two
#   or more +inf (the limit depends on how they grow), raises a ValueError.
# Dtypes: float32 in, float32 out (the max shift is exact in any precision); anything else is
# computed in float64. cross_entropy always works and returns in float64: a confident
# sample's loss falls below float32's smallest normal (1.2e-38) at a logit gap of 87, where
# float64 keeps it down to a gap of 708.


def _classes_axis(logits, name: str) -> np.ndarray:
    """``logits`` as a float32/float64 array with a class axis, NaN rejected."""
    z = np.asarray(logits)
    z = z if z.dtype in (np.float32, np.float64) else as_float_array(z, name, allow_inf=True)
    if z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one axis (the classes), of length >= 1")
    if np.isnan(z).any():
        raise ValueError(f"{name} must not contain NaN; it has {int(np.isnan(z).sum())}")
    return z


def _shift(z: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(gap, lse, E) for logits z (..., K) under the policy above:
    gap = max z - z >= 0 (+inf where z = -inf, exactly 0 at the maxima),
    lse = logsumexp(z) - max z = log1p(r) >= 0, shape (..., 1), where r sums exp(-gap) over
    all entries but one maximal one: so a row whose other classes are far below keeps a
    tiny lse to full relative accuracy (log of 1 + r would round it to 0);
    E = exp(-gap), the unnormalised softmax."""
    m = np.max(z, axis=-1, keepdims=True)
    if np.any(m == -np.inf):
        raise ValueError(
            f"{name} has a row whose logits are all -inf: every class is ruled out, so it has "
            "no softmax (logsumexp of it is -inf)"
        )
    n_inf = np.count_nonzero(z == np.inf, axis=-1, keepdims=True)
    if np.any(n_inf > 1):
        raise ValueError(
            f"{name} has a row with more than one +inf logit: its softmax has no value (the "
            "limit depends on how the logits grow); logsumexp of it is +inf"
        )
    if np.any(n_inf):  # the limit as that logit grows: probability 1 there, 0 elsewhere
        z = np.where(n_inf > 0, np.where(z == np.inf, 0.0, -np.inf), z).astype(z.dtype)
        m = np.max(z, axis=-1, keepdims=True)
    with np.errstate(over="ignore"):  # a gap beyond 1.8e308 is inf: its true value rounded
        gap = m - z
    E = np.exp(-gap)
    top = np.argmax(z, axis=-1)[..., None]
    np.put_along_axis(E, top, 0.0, axis=-1)
    lse = np.log1p(np.sum(E, axis=-1, keepdims=True))
    np.put_along_axis(E, top, 1.0, axis=-1)
    return gap, lse, E


def logsumexp(logits, axis: int = -1) -> np.ndarray:
    """log sum_k exp(z_k) over ``axis`` = m + log1p(sum of exp(z_k - m) over all but one
    maximal entry), m = max z. Accurate to a few ulps relative to itself, also where the
    other terms are tiny: logsumexp([0, -40]) = 4.248354255291589e-18, not 0.

    +inf if the row holds +inf, -inf if every entry is -inf; NaN raises a ValueError.
    Returns float32 for float32 input, else float64; the ``axis`` is removed.
    """
    z = np.moveaxis(_classes_axis(logits, "logits"), axis, -1)
    m = np.max(z, axis=-1, keepdims=True)
    finite = np.isfinite(m)
    shift = np.where(finite, m, 0.0).astype(z.dtype)
    with np.errstate(over="ignore", invalid="ignore"):  # rows with +inf: replaced below
        E = np.exp(z - shift)  # a gap beyond 1.8e308 is -inf: exp of it is exactly 0
    np.put_along_axis(E, np.argmax(z, axis=-1)[..., None], 0.0, axis=-1)
    out = np.where(finite, shift + np.log1p(np.sum(E, axis=-1, keepdims=True)), m)
    return np.squeeze(out, axis=-1).astype(z.dtype, copy=False)


def log_softmax(logits) -> np.ndarray:
    """log softmax(z)_k = z_k - logsumexp(z) = -(gap_k + log1p(r)), over the last axis, with
    gap_k = max z - z_k >= 0: never forms logsumexp(z) itself, whose rounding at |z| = 1e4
    (one ulp, 2e-12) would otherwise be the error of every entry. Same shape as ``logits``;
    float32 for float32 input, else float64. Non-finite logits: see the module's policy."""
    z = _classes_axis(logits, "logits")
    gap, lse, _ = _shift(z, "logits")
    return 0.0 - (gap + lse)  # +0.0, not -0.0, where the probability is 1


def softmax(logits) -> np.ndarray:
    """softmax(z)_k = exp(z_k - m) / sum_j exp(z_j - m), m = max z, over the last axis.

    Shift invariance (softmax(z + c) = softmax(z)) is what makes the shift by m exact.
    Same shape as ``logits``; float32 for float32 input, else float64. -inf gives 0; one
    +inf in a row gives 1 there; NaN, all -inf or two +inf raise (the module's policy).
    """
    z = _classes_axis(logits, "logits")
    _, _, E = _shift(z, "logits")
    return E / np.sum(E, axis=-1, keepdims=True)


def softmax_naive(logits) -> np.ndarray:
    """exp(z) / sum exp(z) without the shift: overflows to NaN for logits near 710 and above.

    Kept only to demonstrate why the shifted form is needed; never used for a result.
    """
    z = np.asarray(logits, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / np.sum(e, axis=-1, keepdims=True)


def sigmoid(z) -> np.ndarray:
    """1 / (1 + exp(-z)), evaluated without overflow for any z (it is softmax([z, 0])_0).

    sigmoid(+inf) = 1, sigmoid(-inf) = 0; NaN raises a ValueError. float32 stays float32.
    """
    z = _classes_axis(np.asarray(z)[..., None], "z")[..., 0]
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype, copy=False)


def softmax_jacobian(probs) -> np.ndarray:
    """J = diag(p) - p p^T, i.e. dp_i/dz_j = p_i (delta_ij - p_j), batched over leading axes.

    probs: (..., K) -> (..., K, K), float32 for float32 input, else float64. Each J is
    symmetric and its rows sum to 0.
    """
    p = np.asarray(probs)
    p = as_float_array(p, "probs", dtype=float_dtype(p))
    if p.ndim == 0:
        raise ValueError("probs must have at least one axis (the classes)")
    jac = -p[..., :, None] * p[..., None, :]
    idx = np.arange(p.shape[-1])
    jac[..., idx, idx] += p
    return jac


def cross_entropy(logits, y, reduction: str = "mean"):
    """Cross-entropy from logits: l_i = -sum_k y_ik log softmax(z_i)_k
    = sum_k y_ik [(max z_i - z_ik) + log1p(r_i)], a sum of terms >= 0: never negative, never
    -0.0, and accurate to a few ulps relative to itself down to the smallest normal number
    (cross_entropy([[0, -40]], [0]) = 4.248354255291589e-18; a clipped -log p would give 0).

    logits: (N, K). y: integer labels (N,) in [0, K), or probability targets (N, K).
    reduction: "mean" (a float), "sum" (a float) or "none" (a float64 array of shape (N,)).
    Computed in float64 for any input dtype (see the module's note). -inf logits are classes
    ruled out: a sample whose target puts weight there has an infinite loss.
    """
    z = _classes_axis(logits, "logits").astype(np.float64, copy=False)
    if z.ndim != 2:
        raise ValueError(f"logits must be a 2-D array; got shape {z.shape}")
    targets = check_labels(y, z.shape[0], z.shape[1])
    gap, lse, _ = _shift(z, "logits")
    if targets.ndim == 1:
        losses = gap[np.arange(z.shape[0]), targets] + lse[:, 0]
    else:  # a zero target weight times an infinite gap counts as 0
        with np.errstate(invalid="ignore"):  # 0 * inf, replaced by 0 here
            losses = np.where(targets > 0, targets * (gap + lse), 0.0).sum(axis=1)
    if reduction == "none":
        return losses + 0.0
    if reduction == "sum":
        return float(losses.sum()) + 0.0
    if reduction == "mean":
        return float(losses.mean()) + 0.0
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
        # 0.0 - x, not -x: a sure event has surprisal +0.0, which prints as 0, not -0
        return 0.0 - np.log(p) / np.log(base)


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
