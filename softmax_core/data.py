"""Data sets: Gaussian classes around draggable centres, and seed note 000's generator.

``make_gaussian_classes`` draws each class from its own random stream (seeded by
(seed, class index)), so moving one centre is a pure translation of that class's points and
never reshuffles the others: the browser can move a class while it is dragged and the server
regenerates exactly the same points on release.
"""

from __future__ import annotations

import numpy as np

from .functions import softmax
from .validation import as_float_array, check_n_classes, check_non_negative


def class_offsets(n_classes: int, n_per_class: int, seed: int) -> np.ndarray:
    """Standard-normal offsets of each class's points, shape (K, n, 2), from stream (seed, k)."""
    return np.stack(
        [
            np.random.default_rng([int(seed), k]).standard_normal((n_per_class, 2))
            for k in range(n_classes)
        ]
    )


def make_gaussian_classes(centres, n_per_class: int, spread: float, seed: int):
    """X (K n, 2) and y (K n,): n points per class, x = centre_k + spread * N(0, I).

    Rows are grouped by class: rows k*n .. (k+1)*n - 1 have label k.
    """
    centres = as_float_array(centres, "centres", ndim=2)
    if centres.shape[1] != 2:
        raise ValueError(f"centres must have shape (K, 2); got {centres.shape}")
    k = check_n_classes(centres.shape[0], "number of centres")
    if isinstance(n_per_class, bool) or int(n_per_class) != n_per_class or n_per_class < 1:
        raise ValueError(f"n_per_class must be a whole number >= 1; got {n_per_class!r}")
    spread = check_non_negative(spread, "spread")
    offsets = class_offsets(k, int(n_per_class), seed)
    X = (centres[:, None, :] + spread * offsets).reshape(-1, 2)
    y = np.repeat(np.arange(k), int(n_per_class))
    return X, y


def split_mask(y, test_fraction: float, seed: int) -> np.ndarray:
    """Boolean mask (N,), True for test rows: round(test_fraction * n_k) rows of each class.

    Stratified and deterministic under ``seed`` (its own stream, apart from the points').
    """
    y = np.asarray(y)
    test_fraction = check_non_negative(test_fraction, "test_fraction")
    if test_fraction >= 1:
        raise ValueError(f"test_fraction must be in [0, 1); got {test_fraction}")
    rng = np.random.default_rng([int(seed), 10_000])
    mask = np.zeros(y.shape[0], dtype=bool)
    for k in np.unique(y):
        rows = np.flatnonzero(y == k)
        n_test = round(test_fraction * rows.size)
        n_test = min(n_test, rows.size - 1)  # keep at least one training point per class
        mask[rng.permutation(rows)[:n_test]] = True
    return mask


def make_linear_softmax_data(
    n_samples: int = 300, n_features: int = 2, n_classes: int = 3, seed: int = 42
):
    """Seed note 000's ``generate_multiclass_data``, fixed and without one-hot labels.

    X ~ N(0, I) (N, D); a random model W* (D, K), b* (K,); y = argmax softmax(X W* + b*),
    integer labels (N,). The note's version cannot run: ``np.zeros((n, K)) ()`` calls an array
    (TypeError). It also seeds NumPy's global generator; here the generator is local.
    Returns (X, y, W_true, b_true).
    """
    k = check_n_classes(n_classes, "n_classes")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features))
    W_true = rng.standard_normal((n_features, k))
    b_true = rng.standard_normal(k)
    y = np.argmax(softmax(X @ W_true + b_true), axis=1)
    return X, y, W_true, b_true


def default_centres(n_classes: int, radius: float = 2.0) -> np.ndarray:
    """K centres evenly spaced on a circle of ``radius``, starting at the top: (K, 2)."""
    k = check_n_classes(n_classes)
    angles = np.pi / 2 + 2 * np.pi * np.arange(k) / k
    return np.round(radius * np.stack([np.cos(angles), np.sin(angles)], axis=1), 2)
