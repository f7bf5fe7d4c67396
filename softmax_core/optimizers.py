"""Update rules that the app animates step by step; each keeps its state in plain attributes.

Every optimiser updates a list of parameter arrays in place, given their gradients and the
learning rate of this step (so the learning rate can change between steps without a reset):
- GradientDescent:  theta <- theta - lr g
- Momentum:         v <- beta v + g;  theta <- theta - lr v               (heavy ball)
- Adam:             m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
                    theta <- theta - lr m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - b1^t)
Mini-batch SGD is GradientDescent fed by ``MiniBatches``; momentum and Adam take batches too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

OPTIMIZER_NAMES = ("gd", "sgd", "momentum", "adam")


@dataclass
class GradientDescent:
    """theta <- theta - lr * g. Stateless."""

    name: str = "gd"

    def update(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray], lr: float):
        for p, g in zip(params, grads, strict=True):
            p -= lr * g

    def reset(self) -> None:
        """Nothing to forget."""


@dataclass
class Momentum:
    """Heavy-ball momentum: v <- beta v + g, theta <- theta - lr v."""

    beta: float = 0.9
    name: str = "momentum"
    velocity: list[np.ndarray] | None = field(default=None, repr=False)

    def update(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray], lr: float):
        if self.velocity is None:
            self.velocity = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.velocity, strict=True):
            v *= self.beta
            v += g
            p -= lr * v

    def reset(self) -> None:
        self.velocity = None


@dataclass
class Adam:
    """Adam (Kingma and Ba, 2015) with bias-corrected first and second moments."""

    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    name: str = "adam"
    t: int = 0
    m: list[np.ndarray] | None = field(default=None, repr=False)
    v: list[np.ndarray] | None = field(default=None, repr=False)

    def update(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray], lr: float):
        if self.m is None or self.v is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        c1 = 1.0 - self.beta1**self.t
        c2 = 1.0 - self.beta2**self.t
        for p, g, m, v in zip(params, grads, self.m, self.v, strict=True):
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            p -= lr * (m / c1) / (np.sqrt(v / c2) + self.eps)

    def reset(self) -> None:
        self.t, self.m, self.v = 0, None, None


def make_optimizer(name: str) -> GradientDescent | Momentum | Adam:
    """The optimiser called ``name``: "gd" or "sgd" (plain steps), "momentum" or "adam"."""
    if name in ("gd", "sgd"):
        return GradientDescent(name=name)
    if name == "momentum":
        return Momentum()
    if name == "adam":
        return Adam()
    raise ValueError(f"optimizer must be one of {OPTIMIZER_NAMES}; got {name!r}")


class MiniBatches:
    """Row indices of mini-batches: each epoch is a fresh permutation cut into batches.

    Deterministic under the generator it is given; the last batch of an epoch may be smaller.
    """

    def __init__(self, n_samples: int, batch_size: int, rng: np.random.Generator) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1; got {batch_size}")
        self.n_samples = n_samples
        self.batch_size = min(batch_size, n_samples)
        self.rng = rng
        self._order: np.ndarray | None = None  # this epoch's permutation, drawn when needed
        self._start = 0  # where the next batch starts in it

    def next(self) -> np.ndarray:
        """The rows of the next batch, sorted (so memory is read in order). Plain state,
        not a generator, so that a trainer can be pickled to a frame worker and back."""
        if self._order is None or self._start >= self.n_samples:
            self._order = self.rng.permutation(self.n_samples)
            self._start = 0
        rows = np.sort(self._order[self._start : self._start + self.batch_size])
        self._start += self.batch_size
        return rows
