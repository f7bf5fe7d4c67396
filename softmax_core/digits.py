"""The 8 x 8 handwritten digits and the pictures softmax regression makes of them. NumPy only.

Data: the 1,797 digits of UCI "Optical Recognition of Handwritten Digits" (CC BY 4.0), as
scikit-learn ships them, in ``data/digits.csv.gz``: 65 integer columns per row, the 64 pixel
counts (row-major 8 x 8, each 0..16) and the label 0..9. The model sees x = counts / 16, so
every feature is in [0, 1] and the playground's learning rates suit it.

With W (D, K) = (64, 10) as everywhere in softmax_core, class k's *template* is column k of W
(row k of the d2l note's W (K, D)) reshaped to 8 x 8 in the pixels' row-major order.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import split_mask
from .functions import softmax

DIGITS_FILE = Path(__file__).resolve().parent.parent / "data" / "digits.csv.gz"
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
SIDE = 8  # pixels per side of a digit
BITMAP_SIDE = 32  # the UCI bitmaps the counts were made from
BLOCK = BITMAP_SIDE // SIDE  # 4 x 4 blocks: counts 0..16
MAX_COUNT = BLOCK * BLOCK
N_CLASSES = 10


@dataclass(frozen=True)
class DigitsSplit:
    """A stratified split: X_* (N_*, 64) in [0, 1] (counts / 16), y_* (N_*,) in 0..9,
    and the rows of the file each came from (``train_rows``, ``test_rows``)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    train_rows: np.ndarray
    test_rows: np.ndarray


def load_digits(path: Path | str = DIGITS_FILE) -> tuple[np.ndarray, np.ndarray]:
    """(counts (1797, 64) int64 in 0..16, labels (1797,) int64 in 0..9) from the gz CSV."""
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    if table.ndim != 2 or table.shape[1] != SIDE * SIDE + 1:
        raise ValueError(f"{path}: expected 65 columns per row; got shape {table.shape}")
    return table[:, :-1], table[:, -1]


def split_digits(test_fraction: float = 0.2, seed: int = 0) -> DigitsSplit:
    """Load the digits, scale to [0, 1] and split them: round(test_fraction * n_k) test rows
    of every class k, chosen under ``seed`` (``softmax_core.split_mask``)."""
    counts, labels = load_digits()
    test = split_mask(labels, test_fraction, seed)
    X = counts / MAX_COUNT
    train_rows, test_rows = np.flatnonzero(~test), np.flatnonzero(test)
    return DigitsSplit(
        X[train_rows], labels[train_rows], X[test_rows], labels[test_rows], train_rows, test_rows
    )


def templates(W: np.ndarray) -> np.ndarray:
    """The weight templates (K, 8, 8): template k is column k of W (64, K), row-major."""
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[0] != SIDE * SIDE:
        raise ValueError(f"W must have shape (64, K); got {W.shape}")
    return W.T.reshape(W.shape[1], SIDE, SIDE)


def reduce_bitmap(bitmap: np.ndarray) -> np.ndarray:
    """The UCI reduction: a 32 x 32 bitmap (truthy = ink) to 8 x 8 counts of on pixels in its
    non-overlapping 4 x 4 blocks, each 0..16 (int64)."""
    bitmap = np.asarray(bitmap)
    if bitmap.shape != (BITMAP_SIDE, BITMAP_SIDE):
        raise ValueError(f"bitmap must be 32 x 32; got shape {bitmap.shape}")
    on = (bitmap != 0).astype(np.int64)
    return on.reshape(SIDE, BLOCK, SIDE, BLOCK).sum(axis=(1, 3))


def evidence(x: np.ndarray, W: np.ndarray, k: int) -> np.ndarray:
    """x * w_k pixel by pixel (8, 8): the image's contribution to logit k, which is
    evidence.sum() + b_k. x: (64,) as the model sees it (counts / 16)."""
    x = np.asarray(x, dtype=np.float64).reshape(SIDE * SIDE)
    return (x * np.asarray(W, dtype=np.float64)[:, k]).reshape(SIDE, SIDE)


def sample_gradient_images(
    x: np.ndarray, label: int, W: np.ndarray, b: np.ndarray, lr: float
) -> tuple[np.ndarray, np.ndarray]:
    """One sample's step on each template: (pi (K,), steps (K, 8, 8)) with
    steps[k] = -lr (pi_k - y_k) x, i.e. -lr times column k of dL/dW = x (pi - y)^T for the
    cross-entropy of this one sample (no L2 term)."""
    x = np.asarray(x, dtype=np.float64).reshape(SIDE * SIDE)
    probs = softmax(x @ np.asarray(W, dtype=np.float64) + np.asarray(b, dtype=np.float64))
    residual = probs.copy()
    residual[int(label)] -= 1.0
    steps = -lr * residual[:, None] * x[None, :]
    return probs, steps.reshape(-1, SIDE, SIDE)
