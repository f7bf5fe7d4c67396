"""Data sets that no straight line separates: a disc in a ring, XOR quadrants, spirals.

Each returns X (K n, 2) and y (K n,), rows grouped by class (rows k n .. (k+1) n - 1 have
label k), n points per class, inside the playground's square [-5, 5]^2 before noise.
``noise`` is the standard deviation of Gaussian jitter added to every coordinate, in data
units. Deterministic under ``seed``: class k draws from its own stream (seed, k, tag).
"""

from __future__ import annotations

import numpy as np

from .validation import check_n_classes, check_non_negative

CURVED_DATASETS = ("circle", "xor", "spiral")
_TAGS = {"circle": 101, "xor": 102, "spiral": 103}


def _check_n(n_per_class) -> int:
    if isinstance(n_per_class, bool) or int(n_per_class) != n_per_class or n_per_class < 1:
        raise ValueError(f"n_per_class must be a whole number >= 1; got {n_per_class!r}")
    return int(n_per_class)


def _rng(name: str, seed: int, k: int) -> np.random.Generator:
    return np.random.default_rng([int(seed), k, _TAGS[name]])


def make_circle(n_per_class: int, noise: float, seed: int):
    """K = 2: class 1 a disc of radius 1.6, class 2 a ring between radii 2.4 and 4.

    Radii are drawn so that points are uniform over each area (r = sqrt(U) scaled).
    """
    n = _check_n(n_per_class)
    noise = check_non_negative(noise, "noise")
    parts = []
    for k, (r0, r1) in enumerate(((0.0, 1.6), (2.4, 4.0))):
        rng = _rng("circle", seed, k)
        r = np.sqrt(rng.uniform(r0 * r0, r1 * r1, n))
        angle = rng.uniform(0, 2 * np.pi, n)
        pts = np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1)
        parts.append(pts + noise * rng.standard_normal((n, 2)))
    return np.concatenate(parts), np.repeat(np.arange(2), n)


def make_xor(n_per_class: int, noise: float, seed: int, margin: float = 0.3):
    """K = 2: class 1 where x1 x2 > 0 (quadrants I and III), class 2 where x1 x2 < 0.

    Coordinates are uniform in margin <= |x_i| <= 4, half of each class in each quadrant.
    """
    n = _check_n(n_per_class)
    noise = check_non_negative(noise, "noise")
    parts = []
    for k, signs in enumerate((((1, 1), (-1, -1)), ((1, -1), (-1, 1)))):
        rng = _rng("xor", seed, k)
        mag = rng.uniform(margin, 4.0, (n, 2))
        quadrant = np.arange(n) % 2
        sign = np.asarray(signs, dtype=float)[quadrant]
        parts.append(mag * sign + noise * rng.standard_normal((n, 2)))
    return np.concatenate(parts), np.repeat(np.arange(2), n)


def make_spiral(n_classes: int, n_per_class: int, noise: float, seed: int):
    """K arms (2 <= K <= 6): arm k at angle 2 pi k / K + 3.5 pi t, radius 0.3 + 3.9 t.

    t is uniform in [0, 1].
    """
    k_total = check_n_classes(n_classes, "n_classes")
    n = _check_n(n_per_class)
    noise = check_non_negative(noise, "noise")
    parts = []
    for k in range(k_total):
        rng = _rng("spiral", seed, k)
        t = np.sort(rng.uniform(0, 1, n))
        angle = 2 * np.pi * k / k_total + 3.5 * np.pi * t
        r = 0.3 + 3.9 * t
        pts = np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1)
        parts.append(pts + noise * rng.standard_normal((n, 2)))
    return np.concatenate(parts), np.repeat(np.arange(k_total), n)


def make_curved(name: str, n_classes: int, n_per_class: int, noise: float, seed: int):
    """Dispatch by name ("circle", "xor", "spiral"); circle and xor ignore n_classes (K = 2)."""
    if name == "circle":
        return make_circle(n_per_class, noise, seed)
    if name == "xor":
        return make_xor(n_per_class, noise, seed)
    if name == "spiral":
        return make_spiral(n_classes, n_per_class, noise, seed)
    raise ValueError(f"unknown curved data set {name!r}; expected one of {CURVED_DATASETS}")
