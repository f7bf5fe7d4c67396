"""evaluate_grid against a per-point computation; metrics by hand; the data generators."""

from __future__ import annotations

import numpy as np
import pytest

import softmax_core as sc


def naive_grid(W, b, x_range, y_range, size):
    """predict_proba at every grid point (float64), then argmax and max: the slow oracle."""
    xs = np.linspace(*x_range, size)
    ys = np.linspace(*y_range, size)
    points = np.array([[x, y] for y in ys for x in xs])  # row i is y_i, column j is x_j
    probs = sc.predict_proba(W, b, points).reshape(size, size, -1)
    return probs


@pytest.mark.parametrize(("k", "size", "seed"), [(2, 40, 0), (4, 150, 1), (6, 61, 2)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_evaluate_grid_matches_per_point_predict_proba(k, size, seed, dtype):
    rng = np.random.default_rng(seed)
    W, b = 2.0 * rng.standard_normal((2, k)), rng.standard_normal(k)
    x_range, y_range = (-3.0, 2.5), (-1.5, 4.0)
    classes, confidence = sc.evaluate_grid(W, b, x_range, y_range, size, dtype=dtype)
    probs = naive_grid(W, b, x_range, y_range, size)
    assert classes.shape == confidence.shape == (size, size)
    assert confidence.dtype == dtype
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(confidence, probs.max(axis=2), rtol=0, atol=tol)
    # classes agree except where two classes are tied to within the rounding of the dtype
    top2 = np.sort(probs, axis=2)[..., -2:]
    clear = top2[..., 1] - top2[..., 0] > 2 * tol
    np.testing.assert_array_equal(classes[clear], probs.argmax(axis=2)[clear])
    assert clear.mean() > 0.98
    assert len(np.unique(classes)) > 1  # the grid does cross a boundary
    assert np.all(confidence >= 1.0 / k - tol) and np.all(confidence <= 1.0 + tol)


def test_evaluate_grid_orientation_rows_are_y_columns_are_x():
    W = np.array([[1.0, -1.0], [0.0, 0.0]])  # class 0 where x > 0, class 1 where x < 0
    classes, _ = sc.evaluate_grid(W, np.zeros(2), (-1, 1), (-1, 1), 4)
    np.testing.assert_array_equal(classes, [[1, 1, 0, 0]] * 4)
    classes, _ = sc.evaluate_grid(W[::-1].copy(), np.zeros(2), (-1, 1), (-1, 1), 4)
    np.testing.assert_array_equal(classes, [[1] * 4, [1] * 4, [0] * 4, [0] * 4])


def test_evaluate_grid_with_huge_logits_is_finite():
    W = np.array([[1e6, -1e6, 0.0], [0.0, 1e6, -1e6]])
    _, confidence = sc.evaluate_grid(W, np.zeros(3), (-1, 1), (-1, 1), 50)
    assert np.all(np.isfinite(confidence))
    np.testing.assert_allclose(confidence.max(), 1.0)


def test_grid_axes_are_the_cell_centres():
    xs, ys = sc.grid_axes((0, 1), (-2, 2), 5)
    np.testing.assert_allclose(xs, [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(ys, [-2, -1, 0, 1, 2])


# --- metrics --------------------------------------------------------------------------------


def test_accuracy_and_confusion_matrix_against_hand_counts():
    y_true = [0, 0, 1, 2, 2, 2, 1, 0]
    y_pred = [0, 1, 1, 2, 0, 2, 1, 0]
    assert sc.accuracy(y_true, y_pred) == 6 / 8
    np.testing.assert_array_equal(
        sc.confusion_matrix(y_true, y_pred, 3),
        [
            [2, 1, 0],  # true 0: two right, one called 1
            [0, 2, 0],  # true 1: both right
            [1, 0, 2],  # true 2: one called 0
        ],
    )
    cm = sc.confusion_matrix(y_true, y_pred, 4)  # an unseen class gives an empty row
    assert cm.shape == (4, 4) and cm[3].sum() == 0 and cm.sum() == 8
    assert np.isnan(sc.accuracy([], []))


# --- data -----------------------------------------------------------------------------------


def test_moving_one_centre_translates_only_that_class():
    centres = sc.default_centres(4)
    X1, y1 = sc.make_gaussian_classes(centres, 30, 0.7, seed=11)
    moved = centres.copy()
    delta = np.array([1.5, -0.75])
    moved[2] += delta
    X2, y2 = sc.make_gaussian_classes(moved, 30, 0.7, seed=11)
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(y1, np.repeat(np.arange(4), 30))
    others = y1 != 2
    np.testing.assert_array_equal(X2[others], X1[others])  # bit for bit
    np.testing.assert_allclose(X2[~others] - X1[~others], np.tile(delta, (30, 1)), atol=1e-14)
    # and the class is spread around its centre
    np.testing.assert_allclose(X2[~others].mean(axis=0), moved[2], atol=0.7 * 4 / np.sqrt(30))
    X3, _ = sc.make_gaussian_classes(centres, 30, 0.7, seed=12)
    assert not np.array_equal(X1, X3)


def test_gaussian_classes_spread_scales_offsets():
    centres = [[0.0, 0.0], [1.0, 1.0]]
    X0, _ = sc.make_gaussian_classes(centres, 10, 0.0, seed=3)
    np.testing.assert_array_equal(X0, np.repeat(centres, 10, axis=0))
    X1, _ = sc.make_gaussian_classes(centres, 10, 1.0, seed=3)
    X2, _ = sc.make_gaussian_classes(centres, 10, 2.0, seed=3)
    np.testing.assert_allclose(X2 - X0, 2 * (X1 - X0), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("fraction", [0.0, 0.2, 0.5, 0.9])
def test_split_mask_is_stratified_and_deterministic(fraction):
    y = np.repeat([0, 1, 2], [10, 25, 7])
    rng = np.random.default_rng(0)
    y = y[rng.permutation(y.size)]
    mask = sc.split_mask(y, fraction, seed=3)
    assert mask.dtype == bool and mask.shape == y.shape
    for k, n_k in zip([0, 1, 2], [10, 25, 7], strict=True):
        expected = min(round(fraction * n_k), n_k - 1)
        assert mask[y == k].sum() == expected
    np.testing.assert_array_equal(mask, sc.split_mask(y, fraction, seed=3))
    if fraction > 0:
        assert not np.array_equal(mask, sc.split_mask(y, fraction, seed=4))


def test_default_centres_lie_on_a_circle():
    c = sc.default_centres(5, radius=2.0)
    assert c.shape == (5, 2)
    np.testing.assert_allclose(np.linalg.norm(c, axis=1), 2.0, atol=0.01)
    np.testing.assert_allclose(c[0], [0.0, 2.0])
