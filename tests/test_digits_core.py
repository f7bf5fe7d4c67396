"""softmax_core.digits and the Digits page's NumPy helpers, against independent oracles."""

import hashlib

import numpy as np
import pytest

from digits.drawpad import bitmap_from_value
from digits.session import cell_members
from digits.warmup import W as W_WARM
from digits.warmup import b as b_WARM
from digits.warmup import warmup, warmup_latex
from softmax_core import loss_and_gradients
from softmax_core.digits import (
    DIGITS_FILE,
    DIGITS_SHA256,
    evidence,
    load_digits,
    reduce_bitmap,
    sample_gradient_images,
    split_digits,
    templates,
)

# The UCI digits as scikit-learn ships them: images per class 0..9 (its DESCR says ~180 each).
CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_data_file_checksum_matches_the_readme():
    digest = hashlib.sha256(DIGITS_FILE.read_bytes()).hexdigest()
    assert digest == DIGITS_SHA256
    readme = (DIGITS_FILE.parent / "README.md").read_text()
    assert DIGITS_SHA256 in readme and "CC BY 4.0" in readme


def test_data_shape_range_and_label_counts():
    X, y = load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0 and X.max() == 16 and np.issubdtype(X.dtype, np.integer)
    assert sorted(set(y.tolist())) == list(range(10))
    assert np.bincount(y).tolist() == CLASS_COUNTS
    # the first image is the well-known 0 of the UCI set: a ring, empty in the middle
    first = X[0].reshape(8, 8)
    assert y[0] == 0 and first[3:5, 3:5].sum() == 0 and first[0, 2:6].tolist() == [5, 13, 9, 1]


def test_split_is_stratified_disjoint_and_seeded():
    s = split_digits(0.2, seed=0)
    assert np.intersect1d(s.train_rows, s.test_rows).size == 0
    assert s.train_rows.size + s.test_rows.size == 1797
    test_counts = np.bincount(s.y_test, minlength=10)
    assert test_counts.tolist() == [round(0.2 * n) for n in CLASS_COUNTS]
    assert s.X_train.max() == 1.0 and s.X_train.min() == 0.0
    again = split_digits(0.2, seed=0)
    other = split_digits(0.2, seed=1)
    assert np.array_equal(s.test_rows, again.test_rows)
    assert not np.array_equal(s.test_rows, other.test_rows)


def test_templates_are_columns_of_W_reshaped_row_major_not_transposed():
    W = np.zeros((64, 10))
    W[0 * 8 + 7, 3] = 1.0  # class 3: pixel in row 0, column 7 (top right)
    W[5 * 8 + 1, 8] = -2.0  # class 8: pixel in row 5, column 1
    T = templates(W)
    assert T.shape == (10, 8, 8)
    assert T[3, 0, 7] == 1.0 and T[3].sum() == 1.0
    assert T[8, 5, 1] == -2.0 and T[8].sum() == -2.0
    assert T[3, 7, 0] == 0.0  # a transposed image would put it bottom left
    assert np.all(T[[0, 1, 2, 4, 5, 6, 7, 9]] == 0)
    with pytest.raises(ValueError, match="64, K"):
        templates(W.T)


def test_reduce_bitmap_counts_on_pixels_in_4x4_blocks():
    bitmap = np.zeros((32, 32), dtype=np.uint8)
    bitmap[:, 14:18] = 1  # a vertical stroke 4 pixels wide, columns 14..17
    counts = reduce_bitmap(bitmap)
    # columns 14, 15 fall in block 3 (12..15), 16, 17 in block 4 (16..19): 2 x 4 = 8 each
    expected = np.zeros((8, 8), dtype=np.int64)
    expected[:, 3] = expected[:, 4] = 8
    assert np.array_equal(counts, expected)
    full = reduce_bitmap(np.ones((32, 32)))
    assert np.all(full == 16)
    diagonal = reduce_bitmap(np.eye(32))
    assert np.array_equal(diagonal, 4 * np.eye(8, dtype=np.int64))
    with pytest.raises(ValueError, match="32 x 32"):
        reduce_bitmap(np.zeros((28, 28)))


def test_drawpad_value_parsing_accepts_bitmaps_and_rejects_junk():
    bits = np.zeros((32, 32), dtype=np.uint8)
    bits[3, 5] = 1
    text = "".join(map(str, bits.ravel()))
    assert np.array_equal(bitmap_from_value({"bitmap": text}), bits)
    for bad in (None, "x", {}, {"bitmap": "01"}, {"bitmap": "2" * 1024}, {"bitmap": 5}):
        assert bitmap_from_value(bad) is None
    assert bitmap_from_value({"bitmap": "0" * 1024}) is None  # cleared


def test_warmup_numbers_match_a_hand_computation():
    x = [0.9, 0.6, 0.2, 0.1]
    o, p = warmup(x)
    # cat: 0.9 + 0.6 - 0.1 - 0.05 + 0 = 1.35; chicken: 0.9 - 0.3 + 0.2 - 0.05 - 0.2 = 0.55;
    # dog: -0.45 - 0.3 + 0.2 + 0.1 + 0.1 = -0.35
    assert o == pytest.approx([1.35, 0.55, -0.35])
    e = np.exp([1.35, 0.55, -0.35])
    assert p == pytest.approx(e / e.sum())
    assert p == pytest.approx([0.6127, 0.2753, 0.1119], abs=5e-5)
    assert W_WARM.shape == (3, 4) and b_WARM.shape == (3,)
    lines = warmup_latex(x)
    assert "0.6127" in lines[2] and "1.350" in lines[1] and len(lines) == 5


def test_evidence_sums_to_the_logit_minus_the_bias():
    rng = np.random.default_rng(0)
    W, b, x = rng.normal(size=(64, 10)), rng.normal(size=10), rng.random(64)
    for k in (0, 7):
        ev = evidence(x, W, k)
        assert ev.shape == (8, 8)
        assert ev.sum() + b[k] == pytest.approx((x @ W + b)[k])
        assert ev[2, 3] == pytest.approx(x[2 * 8 + 3] * W[2 * 8 + 3, k])


def test_gradient_images_match_finite_differences_of_the_loss():
    rng = np.random.default_rng(1)
    W, b = 0.3 * rng.normal(size=(64, 10)), 0.1 * rng.normal(size=10)
    x, label, lr = rng.random(64), 4, 0.5
    probs, steps = sample_gradient_images(x, label, W, b, lr)
    assert steps.shape == (10, 8, 8) and probs.sum() == pytest.approx(1.0)
    # central differences of the cross-entropy of this one sample (no L2) w.r.t. W[j, k]
    h = 1e-6
    X1, y1 = x[None, :], np.array([label])
    for j, k in [(0, 0), (10, 4), (37, 9), (63, 2), (20, 4)]:
        Wp, Wm = W.copy(), W.copy()
        Wp[j, k] += h
        Wm[j, k] -= h
        fd = (loss_and_gradients(Wp, b, X1, y1)[0] - loss_and_gradients(Wm, b, X1, y1)[0]) / (2 * h)
        assert steps[k].ravel()[j] == pytest.approx(-lr * fd, rel=1e-6, abs=1e-10)
    # the true class's template gains the image, every other one loses it
    assert np.all(steps[label] >= 0) and all(np.all(steps[k] <= 0) for k in range(10) if k != 4)


def test_cell_members_are_the_cell_most_confident_first():
    y = np.array([3, 3, 3, 8, 3])
    probs = np.full((5, 10), 0.01)
    probs[0, 8], probs[1, 3], probs[2, 8], probs[3, 8], probs[4, 8] = 0.5, 0.9, 0.8, 0.9, 0.6
    rows = cell_members(y, probs, 3, 8)
    assert rows.tolist() == [2, 4, 0]
    assert cell_members(y, probs, 8, 3).size == 0
