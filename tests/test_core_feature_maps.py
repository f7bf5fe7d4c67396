"""Feature maps and curved data sets: Jacobians and input gradients against finite
differences, standardisation, determinism, balance, and hostile token lists."""

from __future__ import annotations

import numpy as np
import pytest

from softmax_core import loss_and_gradients, residuals
from softmax_core.curved_data import CURVED_DATASETS, make_curved
from softmax_core.feature_maps import (
    FEATURES,
    IDENTITY,
    fit_feature_map,
    input_directions,
    parse_tokens,
)

ALL = tuple(FEATURES)


def test_standardised_on_the_training_set_and_x_kept_raw():
    X, _ = make_curved("circle", 2, 80, 0.1, 3)
    fm = fit_feature_map(X, ALL)
    F = fm.transform(X)
    assert F.shape == (160, 2 + len(ALL))
    np.testing.assert_array_equal(F[:, :2], X)
    np.testing.assert_allclose(F[:, 2:].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(F[:, 2:].std(axis=0), 1, rtol=1e-12)
    # x1^2 column is the standardised square
    sq = X[:, 0] ** 2
    np.testing.assert_allclose(F[:, 2], (sq - sq.mean()) / sq.std(), rtol=1e-12)


def test_jacobian_matches_central_differences():
    rng = np.random.default_rng(0)
    X = rng.uniform(-4, 4, (25, 2))
    fm = fit_feature_map(rng.uniform(-4, 4, (50, 2)), ALL)
    J = fm.jacobian(X)
    h = 1e-6
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        fd = (fm.transform(X + e) - fm.transform(X - e)) / (2 * h)
        np.testing.assert_allclose(J[:, :, i], fd, rtol=1e-6, atol=1e-7)


def test_input_direction_is_minus_the_gradient_of_each_samples_loss_in_x():
    rng = np.random.default_rng(1)
    X = rng.uniform(-3, 3, (12, 2))
    y = rng.integers(0, 3, 12)
    fm = fit_feature_map(X, ("r2", "x1x2", "sin2"))
    W = rng.standard_normal((fm.n_features, 3))
    b = rng.standard_normal(3)
    directions = input_directions(W, fm, X, residuals(W, b, fm.transform(X), y))
    h = 1e-6
    for n in range(X.shape[0]):
        for i in range(2):
            e = np.zeros(2)
            e[i] = h
            up = loss_and_gradients(W, b, fm.transform(X[n : n + 1] + e), y[n : n + 1])[0]
            dn = loss_and_gradients(W, b, fm.transform(X[n : n + 1] - e), y[n : n + 1])[0]
            assert directions[n, i] == pytest.approx(-(up - dn) / (2 * h), rel=1e-5, abs=1e-8)


def test_weight_gradient_through_phi_is_phi_x_times_residual():
    """dJ/dW = phi(X)^T (P - Y) / N: the plain model's gradient with phi(x) in place of x."""
    rng = np.random.default_rng(2)
    X = rng.uniform(-3, 3, (30, 2))
    y = rng.integers(0, 2, 30)
    fm = fit_feature_map(X, ("r2",))
    F = fm.transform(X)
    W, b = rng.standard_normal((3, 2)), rng.standard_normal(2)
    _, dW, _ = loss_and_gradients(W, b, F, y)
    np.testing.assert_allclose(dW, F.T @ residuals(W, b, F, y) / 30, rtol=1e-12)


def test_identity_map_is_the_plain_model():
    X = np.array([[1.0, 2.0], [-3.0, 0.5]])
    assert fit_feature_map(X, ()) is IDENTITY
    np.testing.assert_array_equal(IDENTITY.transform(X), X)


def test_constant_feature_keeps_a_finite_scale():
    X = np.zeros((5, 2))
    fm = fit_feature_map(X, ("x1sq",))
    assert np.isfinite(fm.transform(X)).all()


@pytest.mark.parametrize(
    ("text", "tokens", "n_notices"),
    [
        ("r2", ("r2",), 0),
        ("x1x2, r2", ("x1x2", "r2"), 0),  # canonical order
        ("r2,r2", ("r2",), 1),
        ("r2,bogus", ("r2",), 1),
        ("", (), 0),
        ("<script>", (), 1),
        ("r2," * 5000, ("r2",), 2),  # 10 kB: truncated, repeats noted once each kept
    ],
)
def test_parse_tokens_drops_bad_values_with_a_notice(text, tokens, n_notices):
    got, notices = parse_tokens(text)
    assert got == tokens
    assert (len(notices) >= 1) == (n_notices >= 1)


@pytest.mark.parametrize("name", CURVED_DATASETS)
def test_curved_data_sets_are_deterministic_and_balanced(name):
    X1, y1 = make_curved(name, 4, 50, 0.2, 7)
    X2, y2 = make_curved(name, 4, 50, 0.2, 7)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    k = 4 if name == "spiral" else 2
    assert np.bincount(y1).tolist() == [50] * k
    assert not np.array_equal(X1, make_curved(name, 4, 50, 0.2, 8)[0])
    assert np.abs(make_curved(name, 4, 50, 0.0, 7)[0]).max() <= 4.3


def test_circle_and_xor_labels_follow_their_geometry():
    X, y = make_curved("circle", 2, 200, 0.0, 0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 0].max() <= 1.6 + 1e-12 and r[y == 1].min() >= 2.4 - 1e-12
    X, y = make_curved("xor", 2, 200, 0.0, 0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


def test_curved_data_rejects_bad_arguments():
    with pytest.raises(ValueError, match="noise"):
        make_curved("circle", 2, 10, -1.0, 0)
    with pytest.raises(ValueError, match="unknown"):
        make_curved("moons", 2, 10, 0.1, 0)
    with pytest.raises(ValueError, match="n_per_class"):
        make_curved("xor", 2, 0, 0.1, 0)
