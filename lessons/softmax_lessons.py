"""Numbers of the softmax page: the slides' worked example, temperature, shift, overflow.

The slides (seed note 003) compute softmax of z = w x + b with w = [2, 3, 5], b = [1, 1, 1],
x = 1, so z = [3, 4, 6], and print 0.0420, 0.1141, 0.8437. The exact values are 0.042010, 0.114195,
0.843795: rounded to four places they are 0.0420, 0.1142, 0.8438; the note truncated them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from softmax_core import softmax, softmax_jacobian, softmax_naive

from .numerics import central_jacobian

WORKED_W = (2.0, 3.0, 5.0)
WORKED_B = (1.0, 1.0, 1.0)
WORKED_X = 1.0
SEED_PRINTED = ("0.0420", "0.1141", "0.8437")  # as the slides (seed note 003) print them
EXP_OVERFLOW = float(np.log(np.finfo(np.float64).max))  # 709.78: exp(z) is inf above this
# Below -708.40 exp(z) is subnormal (fewer significant digits); below -745.13 it rounds to 0.
EXP_SUBNORMAL = float(np.log(np.finfo(np.float64).tiny))
EXP_UNDERFLOW = float(np.log(np.finfo(np.float64).smallest_subnormal) - np.log(2.0))


def truncate(values, decimals: int = 4) -> np.ndarray:
    """Cut (toward zero) to ``decimals`` places: how 0.84379 becomes the slides' 0.8437."""
    scale = 10.0**decimals
    return np.trunc(np.asarray(values, dtype=np.float64) * scale) / scale


@dataclass(frozen=True)
class WorkedExample:
    """The slides' three-class example: z = w x + b, pi = softmax(z)."""

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
    """The slides' example (defaults) or any other w, b (K,) and scalar x."""
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
    """The naive exp(z) / sum exp(z) at z and at z + c: the check of shift invariance.

    Both columns use the naive formula on purpose: comparing two max-shifted softmaxes would
    be circular (the shift by the maximum already removes c before any exp is taken).
    """

    naive: np.ndarray  # exp(z) / sum exp(z)
    naive_shifted: np.ndarray  # exp(z + c) / sum exp(z + c)

    @property
    def naive_failed(self) -> bool:
        return not bool(np.all(np.isfinite(self.naive_shifted)))

    @property
    def max_difference(self) -> float:
        return float(np.max(np.abs(self.naive - self.naive_shifted)))


def shift_check(z, c: float) -> ShiftCheck:
    """Add c to every logit: exp(z + c) = e^c exp(z), and e^c cancels in the ratio.

    Agrees to rounding while z + c stays within (-708.40, 709.78); below -708.40 the
    exponentials are subnormal and lose digits, below -745.13 they are 0 (0 / 0 = NaN), and
    above 709.78 they overflow (inf / inf = NaN).
    """
    z = np.asarray(z, dtype=np.float64)
    return ShiftCheck(softmax_naive(z), softmax_naive(z + float(c)))


def tempered_jacobian(z, temperature: float = 1.0) -> np.ndarray:
    """d pi_k / d z_l of pi = softmax(z / T): (1/T)(diag(pi) - pi pi^T), shape (K, K).

    The chain rule through u = z / T gives the factor 1/T: at T = 2 every entry is half of
    the T = 1 Jacobian taken at u.
    """
    t = check_temperature(temperature)
    return softmax_jacobian(tempered_softmax(z, t)) / t


@dataclass(frozen=True)
class TemperedJacobianCheck:
    analytic: np.ndarray  # (K, K)
    numeric: np.ndarray  # (K, K), central differences in z (not in z / T)

    @property
    def max_error(self) -> float:
        return float(np.max(np.abs(self.analytic - self.numeric)))


def check_tempered_jacobian(z, temperature: float = 1.0, h: float = 1e-5):
    """The Jacobian in z against central differences of z -> softmax(z / T)."""
    t = check_temperature(temperature)
    z = np.asarray(z, dtype=np.float64)
    numeric = central_jacobian(lambda v: softmax(v / t), z, h)
    return TemperedJacobianCheck(tempered_jacobian(z, t), numeric)


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
    """Both forms at z; the naive one gives NaN once some z_k > 709.78 (inf / inf) or once
    every z_k < -745.13 (every exp underflows to 0: 0 / 0)."""
    z = np.asarray(z, dtype=np.float64)
    return OverflowDemo(z, softmax_naive(z), softmax(z))


def argmax_agrees(z, temperature: float = 1.0) -> bool:
    """pi_k / pi_l = exp((z_k - z_l) / T), so pi_k > pi_l exactly when z_k > z_l (T > 0)."""
    z = np.asarray(z, dtype=np.float64)
    return int(np.argmax(tempered_softmax(z, temperature))) == int(np.argmax(z))


IMAGE_CLASSES = ("cat", "chicken", "dog")
IMAGE_PIXELS = (0.9, 0.2, 0.7, 0.1)  # a 2 x 2 grey image, read row by row: x1, x2, x3, x4
# W (3, 4): row k holds class k's weight on each pixel; b (3,). Made up for the example.
IMAGE_W = ((2.0, -1.0, 1.5, -0.5), (-1.0, 2.0, -0.5, 1.0), (0.5, 0.5, 0.5, 0.5))
IMAGE_B = (0.0, 0.5, -0.2)


@dataclass(frozen=True)
class ImageExample:
    """The d2l summary's setting: a 2 x 2 image (4 features) and 3 classes, z = W x + b."""

    x: np.ndarray  # (4,)
    W: np.ndarray  # (3, 4)
    b: np.ndarray  # (3,)
    z: np.ndarray  # (3,)
    probs: np.ndarray  # (3,)


def image_example(x=IMAGE_PIXELS, W=IMAGE_W, b=IMAGE_B) -> ImageExample:
    """z = W x + b with W (K, D) = (3, 4), then softmax."""
    x = np.asarray(x, dtype=np.float64)
    W = np.asarray(W, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    z = W @ x + b
    return ImageExample(x, W, b, z, softmax(z))
