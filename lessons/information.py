"""Numbers of the cross-entropy page: parsing user vectors, units, the loss two ways, clipping.

The d2l summary (seed note 002) writes the loss as log sum_k exp(z_k) - sum_k y_k z_k; that
form is exact at any logit size. The NumPy notebook (seed note 000, ``CCE_Loss``) clips the
probabilities to [1e-15, 1 - 1e-15] before the log, so the loss it reports never exceeds
-ln(1e-15) = 34.54 nats. Its gradient method still returns (pi - y) / N from the clipped pi,
which differs from the exact gradient by at most 1e-15, so the notebook trains correctly; only
differentiating the clipped loss itself (as autograd would through a clamp) gives slope 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from softmax_core import logsumexp, softmax

NAT_IN_BITS = float(1.0 / np.log(2.0))  # 1 nat = 1 / ln 2 = 1.4427 bits
SEED_CLIP_EPS = 1e-15
CLIP_CAP_NATS = float(-np.log(SEED_CLIP_EPS))  # 34.54


def parse_vector(text: str, name: str) -> np.ndarray:
    """'0.7, 0.2, 0.1' -> array([0.7, 0.2, 0.1]); ValueError naming ``name`` otherwise."""
    parts = [p for p in str(text).replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    if not parts:
        raise ValueError(f"{name}: enter numbers separated by commas, e.g. 0.7, 0.2, 0.1")
    try:
        values = np.array([float(p) for p in parts], dtype=np.float64)
    except ValueError:
        raise ValueError(
            f"{name}: could not read {text!r} as numbers separated by commas"
        ) from None
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name}: every entry must be a finite number")
    return values


def check_magnitude(values, name: str, limit: float = 1e5) -> np.ndarray:
    """Reject entries beyond +-limit: a finite difference with step 1e-5 cannot resolve them."""
    v = np.asarray(values, dtype=np.float64)
    if np.any(np.abs(v) > limit):
        raise ValueError(f"{name}: keep every entry within ±{limit:g} (got {np.max(np.abs(v)):g})")
    return v


def as_distribution(values, name: str, normalise: bool = False) -> np.ndarray:
    """Check (or, with ``normalise``, rescale) a non-negative vector summing to 1."""
    p = np.asarray(values, dtype=np.float64)
    if p.size < 2:
        raise ValueError(f"{name} needs at least two classes; got {p.size}")
    if np.any(p < 0):
        raise ValueError(f"{name} has a negative entry; probabilities are >= 0")
    total = float(p.sum())
    if normalise:
        if total <= 0:
            raise ValueError(f"{name} sums to 0; at least one entry must be positive")
        return p / total
    if not np.isclose(total, 1.0, atol=1e-6):
        raise ValueError(f"{name} sums to {total:g}, not 1 (tick 'rescale' to divide by the sum)")
    return p


def nats_to_bits(nats):
    """Bits = nats / ln 2."""
    return np.asarray(nats, dtype=np.float64) * NAT_IN_BITS


@dataclass(frozen=True)
class LossTwoWays:
    """-sum_j y_j log softmax(o)_j (the definition) against logsumexp(o) - sum_j y_j o_j."""

    by_definition: float
    by_logsumexp: float

    @property
    def difference(self) -> float:
        return abs(self.by_definition - self.by_logsumexp)


def loss_two_ways(logits, y) -> LossTwoWays:
    """The d2l summary's identity at one sample; ``y`` one-hot or any probability vector (K,).

    The definition is computed literally (softmax, then log), so it is inf where a probability
    underflows to 0 while the log-sum-exp form stays finite.
    """
    o = np.asarray(logits, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.log(softmax(o))
        by_definition = float(-np.sum(np.where(y > 0, y * log_p, 0.0)))
    return LossTwoWays(by_definition, float(logsumexp(o) - y @ o))


def soft_label_loss(logits, y) -> float:
    """l(o) = logsumexp(o) - y . o for one sample, y any probability vector."""
    o = np.asarray(logits, dtype=np.float64)
    return float(logsumexp(o) - np.asarray(y, dtype=np.float64) @ o)


def soft_label_minimum(y) -> float:
    """The smallest loss any logits reach for target y: H(y) nats, at pi = y.

    L(z) = H(y) + KL(y || pi) and KL >= 0 with equality only at pi = y; so the loss is 0 only
    for a one-hot y. For y = (0.8, 0.1, 0.1) the minimum is 0.639 nats.
    """
    y = np.asarray(y, dtype=np.float64)
    nz = y[y > 0]
    return float(-np.sum(nz * np.log(nz))) + 0.0  # + 0.0: never -0.0


def clipped_cce(probs, y, eps: float = SEED_CLIP_EPS) -> float:
    """The notebook's clipped loss for one sample: -sum y log clip(p, eps, 1 - eps). Not used."""
    p = np.clip(np.asarray(probs, dtype=np.float64), eps, 1 - eps)
    return float(-np.sum(np.asarray(y, dtype=np.float64) * np.log(p)))


@dataclass(frozen=True)
class ClippingDemo:
    """Two classes, the true one (class 0) losing by ``margin`` logits: z = [0, margin]."""

    margin: float
    exact_loss: float  # logsumexp(z) - z_0
    clipped_loss: float  # the notebook's clipped loss (seed note 000)
    exact_grad: float  # dL/dz_0 = pi_0 - 1
    notebook_grad: float  # the notebook's (pi - y) from the clipped pi: clip(pi_0) - 1
    clipped_grad: float  # d(clipped loss)/dz_0 by central differences: what autograd gives


def clipping_demo(margin: float, h: float = 1e-4) -> ClippingDemo:
    """Exact and clipped loss and their slopes with respect to the true-class logit."""
    m = float(margin)
    y = np.array([1.0, 0.0])

    def clipped(z0: float) -> float:
        return clipped_cce(softmax(np.array([z0, m])), y)

    z = np.array([0.0, m])
    return ClippingDemo(
        margin=m,
        exact_loss=soft_label_loss(z, y),
        clipped_loss=clipped(0.0),
        exact_grad=float(softmax(z)[0] - 1.0),
        notebook_grad=float(np.clip(softmax(z)[0], SEED_CLIP_EPS, 1 - SEED_CLIP_EPS) - 1.0),
        clipped_grad=(clipped(h) - clipped(-h)) / (2 * h),
    )


def clipping_curves(margins) -> tuple[np.ndarray, np.ndarray]:
    """Exact and clipped loss over an array of margins (for the chart)."""
    margins = np.asarray(margins, dtype=np.float64)
    z = np.stack([np.zeros_like(margins), margins], axis=1)
    exact = logsumexp(z) - z[:, 0]
    p0 = np.clip(softmax(z)[:, 0], SEED_CLIP_EPS, 1 - SEED_CLIP_EPS)
    return exact, -np.log(p0)
