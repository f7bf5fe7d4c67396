"""Issue 16: exact at the edges. Expected values are derived here from the definitions:
for logits [0, -g] and label 0 the loss is log(1 + e^-g) = log1p(e^-g), which Python's math
module evaluates to within an ulp; below e^-36 it equals e^-g to 17 digits."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import softmax_core as sc

INF = np.inf
TINY = np.finfo(float).tiny  # smallest normal float64, 2.2e-308


def ulps(a: float, b: float) -> float:
    return abs(a - b) / np.spacing(abs(b))


# --- item 1: one policy for non-finite logits -------------------------------------------------
@pytest.mark.parametrize(
    ("row", "expected"),
    [([INF], INF), ([-INF], -INF), ([-INF, -INF], -INF), ([INF, -INF], INF), ([INF, INF], INF)],
)
def test_logsumexp_of_infinite_rows(row, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning on the way
        assert sc.logsumexp(row) == expected


def test_logsumexp_ignores_minus_inf_and_reduces_any_axis():
    assert sc.logsumexp([0.0, -INF]) == 0.0
    assert sc.logsumexp([1.0, 1.0, -INF]) == pytest.approx(1 + math.log(2), rel=1e-15)
    z = np.array([[0.0, -INF], [INF, 3.0]])
    np.testing.assert_array_equal(sc.logsumexp(z, axis=0), [INF, 3.0])


def test_softmax_family_takes_limits_where_they_exist():
    z = [[INF, 1.0, -INF], [0.0, -INF, 0.0]]
    np.testing.assert_array_equal(sc.softmax(z), [[1, 0, 0], [0.5, 0, 0.5]])
    np.testing.assert_array_equal(sc.log_softmax(z)[0], [0.0, -INF, -INF])
    assert sc.log_softmax(z)[1, 1] == -INF
    ce = sc.cross_entropy(z, [0, 1], reduction="none")
    assert ce[0] == 0.0 and ce[1] == INF
    assert sc.cross_entropy([[0.0, -INF]], [[1.0, 0.0]]) == 0.0  # 0 * inf counts as 0
    np.testing.assert_array_equal(sc.sigmoid([INF, -INF]), [1.0, 0.0])


# --- item 2: relative accuracy of small losses ------------------------------------------------
def test_loss_of_a_confident_sample_is_not_rounded_to_zero():
    assert float(sc.logsumexp([0.0, -40.0])) == 4.248354255291589e-18
    assert sc.cross_entropy([[0.0, -40.0]], [0]) == 4.248354255291589e-18
    # K = 2 at logits [0, 37], label 1: log1p(e^-37)
    assert sc.cross_entropy([[0.0, 37.0]], [1]) == pytest.approx(8.533047625744066e-17, rel=4e-16)


@pytest.mark.parametrize("gap", [1.0, 20.0, 40.0, 300.0, 700.0, 708.0])
def test_small_losses_are_accurate_to_a_few_ulps_down_to_the_smallest_normal(gap):
    expected = math.log1p(math.exp(-gap))
    assert expected >= TINY
    assert ulps(sc.cross_entropy([[0.0, -gap]], [0]), expected) <= 4
    assert ulps(-sc.log_softmax([0.0, -gap])[0], expected) <= 4
    # through the engine: one feature x = 1, logits W x + b = [0, -gap]
    X, y = np.ones((3, 1)), np.zeros(3, dtype=int)
    W, b = np.array([[0.0, -gap / 2]]), np.array([0.0, -gap / 2])
    loss, _, db = sc.loss_and_gradients(W, b, X, y)
    assert ulps(loss, expected) <= 4
    # the gradient of the label's logit is p_0 - 1 = -e^-gap / (1 + e^-gap), also exact
    assert ulps(-db[0], math.exp(-gap) / (1 + math.exp(-gap))) <= 4
    trainer = sc.Trainer(X, y, 2, lr=0.1)
    trainer.set_params(W, b)
    assert ulps(trainer.evaluate().train_ce, expected) <= 4


def test_history_of_a_confident_model_keeps_its_tiny_loss_and_no_negative_zero():
    X, y = np.ones((4, 1)), np.zeros(4, dtype=int)
    trainer = sc.Trainer(X, y, 2, lr=0.1)
    trainer.set_params([[0.0, -20.0]], [0.0, -20.0])
    history = sc.History(("train_ce", "delta"))
    history.append(0, train_ce=trainer.evaluate().train_ce, delta=-0.0)
    assert history.column("train_ce")[0] == pytest.approx(math.log1p(math.exp(-40)), rel=1e-15)
    assert math.copysign(1.0, history.column("delta")[0]) == 1.0


finite_logits = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6).filter(lambda s: s[1] >= 2),
    elements=st.floats(-1e6, 1e6),
)


@settings(max_examples=200, deadline=None)
@given(finite_logits, st.data())
def test_loss_is_never_negative_nor_negative_zero(z, data):
    n, k = z.shape
    y = np.array(data.draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    losses = sc.cross_entropy(z, y, reduction="none")
    assert np.all(losses >= 0) and not np.any(np.signbit(losses))
    mean = sc.cross_entropy(z, y)
    assert mean >= 0 and math.copysign(1.0, mean) == 1.0
    # the same logits through the engine: X = I (N, N), W = z, b = 0
    loss = sc.loss_and_gradients(z, np.zeros(k), np.eye(n), y)[0]
    assert loss >= 0 and math.copysign(1.0, loss) == 1.0
    assert loss == pytest.approx(mean, rel=1e-12, abs=1e-300)


# --- item 4: no stale cache -------------------------------------------------------------------
def test_public_loss_and_gradients_sees_in_place_changes_of_x_and_y():
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((40_000, 2)), rng.integers(0, 5, 40_000)  # two chunks
    W, b = rng.standard_normal((2, 5)), rng.standard_normal(5)
    sc.loss_and_gradients(W, b, X, y, 0.1)
    X *= 3.0
    X[123] = [5.0, -7.0]
    y[::7] = (y[::7] + 1) % 5
    got = sc.loss_and_gradients(W, b, X, y, 0.1)
    fresh = sc.loss_and_gradients(W, b, X.copy(), y.copy(), 0.1)
    assert got[0] == fresh[0]
    np.testing.assert_array_equal(got[1], fresh[1])
    np.testing.assert_array_equal(got[2], fresh[2])
    P = sc.predict_proba(W, b, X)
    P[np.arange(y.size), y] -= 1.0
    np.testing.assert_allclose(got[2], P.mean(axis=0), rtol=1e-10, atol=1e-15)


# --- dtype policy -----------------------------------------------------------------------------
def test_float32_in_float32_out_where_documented():
    z32 = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
    for f in (sc.softmax, sc.log_softmax, sc.logsumexp, sc.sigmoid):
        assert f(z32).dtype == np.float32
        assert f(z32.astype(np.float64)).dtype == np.float64
        assert f([[1, 2, 3]]).dtype == np.float64  # integers are computed in float64
    assert sc.softmax_jacobian(sc.softmax(z32)[0]).dtype == np.float32
    assert isinstance(sc.cross_entropy(z32, [0]), float)  # always float64 (module note)
    assert sc.cross_entropy(z32, [0], reduction="none").dtype == np.float64
    W, b, X = np.ones((2, 3), np.float32), np.zeros(3, np.float32), np.ones((4, 2), np.float32)
    y = np.array([0, 1, 2, 0])
    assert sc.logits(W, b, X).dtype == np.float32 and sc.predict_proba(W, b, X).dtype == np.float32
    loss, dW, db = sc.loss_and_gradients(W, b, X, y)
    assert dW.dtype == np.float32 and db.dtype == np.float32 and isinstance(loss, float)
    assert sc.loss_and_gradients(W, b, X.astype(np.float64), y)[1].dtype == np.float64
    Wopt, bopt = sc.solve_optimum(X + np.arange(4.0, dtype=np.float32)[:, None], y, 0.1)
    assert Wopt.dtype == np.float64 and bopt.dtype == np.float64
