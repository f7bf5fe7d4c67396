"""Numbers of the softmax page: seed 003's worked example, temperature, shift, overflow.

Seed note 003 computes softmax of z = w x + b with w = [2, 3, 5], b = [1, 1, 1], x = 1, so
z = [3, 4, 6], and prints 0.0420, 0.1141, 0.8437. The exact values are 0.042010, 0.114195,
0.843795: rounded to four places they are 0.0420, 0.1142, 0.8438; the note truncated them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from softmax_core import softmax, softmax_naive

WORKED_W = (2.0, 3.0, 5.0)
WORKED_B = (1.0, 1.0, 1.0)
WORKED_X = 1.0
SEED_PRINTED = ("0.0420", "0.1141", "0.8437")  # as seed note 003 prints them
EXP_OVERFLOW = float(np.log(np.finfo(np.float64).max))  # 709.78: exp(z) is inf above this


def truncate(values, decimals: int = 4) -> np.ndarray:
    """Cut (toward zero) to ``decimals`` places: how 0.84379 becomes the seed's 0.8437."""
    scale = 10.0**decimals
    return np.trunc(np.asarray(values, dtype=np.float64) * scale) / scale


@dataclass(frozen=True)
class WorkedExample:
    """Seed 003's three-class example: z = w x + b, a = softmax(z)."""

    w: np.ndarray
    b: np.ndarray
    x: float
    logits: np.ndarray
    probs: np.ndarray

    @property
    def rounded(self) -> list[str]:
        return [f"{p:.4f}" for p in self.probs]

    @property
    def truncated(self) -> list[str]:
        return [f"{p:.4f}" for p in truncate(self.probs)]


def worked_example(w=WORKED_W, b=WORKED_B, x: float = WORKED_X) -> WorkedExample:
    """Seed 003's example (defaults) or any other w, b (K,) and scalar x."""
    w = np.asarray(w, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    logits = w * x + b
    return WorkedExample(w, b, float(x), logits, softmax(logits))


def check_temperature(temperature: float) -> float:
    """T must be a finite number > 0 (T = 0 is the argmax limit, not a softmax)."""
    t = float(temperature)
    if not np.isfinite(t) or t <= 0:
        raise ValueError(f"temperature must be a finite number > 0; got {temperature!r}")
    return t


def tempered_softmax(z, temperature: float = 1.0) -> np.ndarray:
    """softmax(z / T): the Boltzmann distribution with energies E = -z and kT = T."""
    return softmax(np.asarray(z, dtype=np.float64) / check_temperature(temperature))


def temperature_sweep(z, temperatures) -> np.ndarray:
    """softmax(z / T) for every T: shape (len(temperatures), K)."""
    z = np.asarray(z, dtype=np.float64)
    temps = np.asarray(temperatures, dtype=np.float64)
    for t in temps:
        check_temperature(t)
    return softmax(z[None, :] / temps[:, None])


@dataclass(frozen=True)
class ShiftCheck:
    """softmax(z) against softmax(z + c)."""

    probs: np.ndarray
    shifted_probs: np.ndarray

    @property
    def max_difference(self) -> float:
        return float(np.max(np.abs(self.probs - self.shifted_probs)))


def shift_check(z, c: float) -> ShiftCheck:
    """Add c to every logit: exp(z + c) = e^c exp(z), and e^c cancels in the ratio."""
    z = np.asarray(z, dtype=np.float64)
    return ShiftCheck(softmax(z), softmax(z + float(c)))


@dataclass(frozen=True)
class OverflowDemo:
    """The naive exp(z) / sum exp(z) against the max-shifted softmax at the same logits."""

    logits: np.ndarray
    naive: np.ndarray
    stable: np.ndarray

    @property
    def naive_failed(self) -> bool:
        return not bool(np.all(np.isfinite(self.naive)))


def overflow_demo(z) -> OverflowDemo:
    """Both forms at z; the naive one gives NaN (inf / inf) once some z_k > 709.78."""
    z = np.asarray(z, dtype=np.float64)
    return OverflowDemo(z, softmax_naive(z), softmax(z))


def argmax_agrees(z, temperature: float = 1.0) -> bool:
    """Softmax is strictly increasing in each logit, so argmax p = argmax z for every T > 0."""
    z = np.asarray(z, dtype=np.float64)
    return int(np.argmax(tempered_softmax(z, temperature))) == int(np.argmax(z))
