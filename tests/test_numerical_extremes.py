"""Numerical extremes: far, identical and lonely points, runaway and diverging weights,
logits near the float64 limit. The contract everywhere: finite numbers where the true value
is representable, otherwise a clear signal (DivergenceError, NoOptimumError, +-inf for an
overflowing true value); never a NaN passed on silently."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import softmax_core as sc
from playground.session import PlaygroundSession
from playground.settings import CENTRE_LIMIT, DEFAULTS

FAR = 1e6
SIZES = [1e2, 1e6, 1e15, 1e100, 1e300, 1.7e308]


def far_data(offset: float = FAR):
    return sc.make_gaussian_classes(
        [(offset, offset), (offset + 3, offset), (offset, offset + 3)], 50, 0.8, seed=0
    )


def finite(*arrays) -> bool:
    return all(np.all(np.isfinite(np.asarray(a, dtype=float))) for a in arrays)


# --- points far from the origin --------------------------------------------------------------
def test_far_points_train_monotonically_below_the_stable_learning_rate():
    X, y = far_data()
    lr = sc.gd_stable_learning_rate(X, 0.001)
    assert 0 < lr < 1e-10 and math.isfinite(lr)  # L grows like |x|^2 = 1e12
    trainer = sc.Trainer(X, y, 3, lr=0.9 * lr, l2=0.001)
    losses = trainer.run(100)
    assert finite(losses, trainer.W, trainer.b)
    assert np.all(np.diff(losses) <= 1e-9 * losses[0])


@pytest.mark.parametrize("optimizer", ["gd", "sgd", "momentum", "adam"])
def test_far_points_at_a_large_learning_rate_stay_finite_or_diverge_cleanly(optimizer):
    X, y = far_data()
    trainer = sc.Trainer(X, y, 3, optimizer=optimizer, lr=0.5, l2=0.001, batch_size=16)
    try:
        trainer.run(100)
    except sc.DivergenceError as err:
        assert err.step == trainer.step_count == trainer.diverged_at
    assert finite(trainer.W, trainer.b)
    m = trainer.evaluate()
    assert math.isfinite(m.train_ce) or trainer.diverged_at is not None


def test_far_points_loss_matches_the_reference_cross_entropy():
    X, y = far_data()
    W, b = np.array([[1.0, -1.0, 0.0], [0.0, 1.0, -1.0]]), np.zeros(3)
    loss, dW, db = sc.loss_and_gradients(W, b, X, y)
    assert loss == pytest.approx(sc.cross_entropy(sc.logits(W, b, X), y), rel=1e-12)
    assert finite(dW, db)
    probs = sc.predict_proba(W, b, X)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_far_points_optimum_is_finite_or_reported_as_not_reached():
    X, y = far_data()
    try:
        W, b = sc.solve_optimum(X, y, 0.001, max_iter=60)
    except sc.NoOptimumError as err:
        assert "did not converge" in str(err)
    else:
        assert finite(W, b)


def test_far_centres_make_finite_data_and_grids():
    X, _y = far_data(1e150)
    assert finite(X) and X.shape == (150, 2)
    _classes, confidence = sc.evaluate_grid(
        np.array([[1.0, -1.0, 0.0], [0.0, 1.0, -1.0]]),
        np.zeros(3),
        (1e150, 2e150),
        (0, 1),
        dtype=np.float64,  # float32 cannot hold the axes themselves
    )
    assert finite(confidence) and np.all((confidence > 0.3) & (confidence <= 1.0))


# --- identical points, one point per class -----------------------------------------------------
@pytest.mark.parametrize("x0", [(0.0, 0.0), (1.5, -2.0), (FAR, -FAR)])
@pytest.mark.parametrize("l2", [0.0, 0.01])
def test_identical_points_optimum_predicts_the_class_frequencies(x0, l2):
    # Nothing separates the classes, so the best model predicts their frequencies (oracle).
    X = np.tile(np.array([x0]), (10, 1))
    y = np.array([0] * 5 + [1] * 3 + [2] * 2)
    W, b = sc.solve_optimum(X, y, l2)
    np.testing.assert_allclose(sc.predict_proba(W, b, X[:1])[0], [0.5, 0.3, 0.2], atol=1e-6)


def test_identical_points_train_to_finite_numbers():
    X = np.tile([[1.5, -2.0]], (10, 1))
    y = np.array([0] * 5 + [1] * 3 + [2] * 2)
    trainer = sc.Trainer(X, y, 3, lr=0.5)
    losses = trainer.run(500)
    assert finite(losses, trainer.W, trainer.b)
    entropy = -(0.5 * math.log(0.5) + 0.3 * math.log(0.3) + 0.2 * math.log(0.2))
    assert trainer.evaluate().train_ce == pytest.approx(entropy, abs=1e-3)
    assert sc.gd_stable_learning_rate(X, 0.0) > 0


def test_one_point_per_class():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [-1.0, -1.0]])
    y = np.arange(3)
    with pytest.raises(sc.NoOptimumError, match="separable"):
        sc.solve_optimum(X, y, 0.0)
    W, b = sc.solve_optimum(X, y, 0.1)
    _, dW, db = sc.loss_and_gradients(W, b, X, y, 0.1)
    assert np.max(np.abs(dW)) < 1e-8 and np.max(np.abs(db)) < 1e-8
    trainer = sc.Trainer(X, y, 3, optimizer="sgd", batch_size=1, lr=1.0)
    assert finite(trainer.run(300), trainer.W)
    assert sc.split_mask(y, 0.5, 0).sum() == 0  # every class keeps its one training point


# --- l2 = 0 on separable data: the weights grow without bound ----------------------------------
def test_unregularised_separable_training_stays_finite_while_weights_grow():
    X = np.array([[0.0, 1.0], [1.0, 0.0], [-1.0, -1.0]] * 3) + np.repeat([[0, 0]], 9, axis=0)
    y = np.tile(np.arange(3), 3)
    trainer = sc.Trainer(X, y, 3, lr=50.0, l2=0.0)
    norms = []
    for _ in range(20):
        losses = trainer.run(250)
        assert finite(losses, trainer.W, trainer.b)
        norms.append(trainer.evaluate().w_norm)
    assert all(b > a for a, b in itertools.pairwise(norms))  # no finite optimum
    m = trainer.evaluate()
    assert 0 <= m.train_ce < 1e-3 and m.train_acc == 1.0
    with pytest.raises(sc.NoOptimumError):
        sc.solve_optimum(X, y, 0.0)


def test_session_without_l2_on_separable_classes_keeps_finite_frames():
    corners = ((-CENTRE_LIMIT, -CENTRE_LIMIT), (CENTRE_LIMIT, CENTRE_LIMIT), (CENTRE_LIMIT, 0.0))
    s = DEFAULTS.with_(l2=0.0, lr=100.0, spread=0.05, n_per_class=20, speed=50, centres=corners)
    session = PlaygroundSession(s)
    for _ in range(20):
        frames = session.advance(5)
    assert session.divergence is None and session.trainer.step_count == 20 * 5 * 50
    for frame in frames:
        assert finite(frame["W"], frame["b"], frame["dW"], frame["db"])
        assert frame["train_ce"] is not None and frame["w_norm"] is not None
    assert "No finite optimum" in session.optimum()


# --- a learning rate that diverges -------------------------------------------------------------
@pytest.mark.parametrize("optimizer", ["gd", "sgd", "momentum"])
def test_diverging_session_reports_its_step_and_keeps_the_last_finite_state(optimizer):
    s = DEFAULTS.with_(lr=100.0, l2=3.0, optimizer=optimizer, batch_size=8, speed=50)
    session = PlaygroundSession(s)
    for _ in range(50):
        frames = session.advance(3)
        if session.divergence is not None:
            break
    d = session.divergence
    assert d is not None and d.step == session.trainer.diverged_at and d.reason
    assert (d.lr, d.l2) == (100.0, 3.0)
    assert session.trainer.step_count == d.step  # nothing after the failed step was applied
    assert finite(session.trainer.W, session.trainer.b)
    last = frames[-1]
    assert last["step"] == d.step and finite(last["W"], last["b"])
    for key in ("train_ce", "l2_term", "test_ce", "train_acc", "test_acc", "w_norm"):
        value = last[key]
        assert value is None or math.isfinite(value)  # JSON-safe: no NaN or inf
    assert session.advance(3) == [session.frame()]  # stays stopped


def test_adam_at_the_largest_learning_rate_is_finite_or_diverges_cleanly():
    session = PlaygroundSession(DEFAULTS.with_(lr=100.0, l2=3.0, optimizer="adam", speed=50))
    for _ in range(20):
        session.advance(3)
    assert finite(session.trainer.W, session.trainer.b)
    if session.divergence is None:
        assert math.isfinite(session.trainer.evaluate().train_loss)


def test_core_divergence_error_carries_the_step():
    X, y = far_data(0.0)
    trainer = sc.Trainer(X, y, 3, lr=100.0, l2=3.0)
    with pytest.raises(sc.DivergenceError) as info:
        trainer.run(1000)
    assert info.value.step == trainer.step_count and f"step {info.value.step}" in str(info.value)
    assert finite(trainer.W, trainer.b)


# --- huge logits in every core function --------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
def test_softmax_family_at_huge_logits(size):
    z = np.array([[size, -size, 0.0], [size, size, -size], [-size, -size, -size]])
    p = sc.softmax(z)
    assert finite(p) and np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], [1, 0, 0], atol=1e-40)
    np.testing.assert_allclose(p[1], [0.5, 0.5, 0], atol=1e-40)
    assert finite(sc.softmax_jacobian(p))
    np.testing.assert_allclose(sc.logsumexp(z), [size, size + math.log(2), -size + math.log(3)])
    log_p = sc.log_softmax(z)
    # -2 * size is not a float beyond 9e307: -inf is that value rounded, not a NaN
    assert not np.any(np.isnan(log_p)) and np.all(log_p <= 0)
    # exactly -log1p(e^-size + e^-2size): -3.72e-44 at size 100, not 0 (issue 16)
    tiny = math.log1p(math.exp(-size) + math.exp(-2 * size))
    assert log_p[0, 0] == pytest.approx(-tiny, rel=1e-15, abs=0)
    assert log_p[1, 0] == pytest.approx(-math.log(2))
    ce = sc.cross_entropy(z, [0, 1, 2], reduction="none")
    assert ce[0] == pytest.approx(tiny, rel=1e-15, abs=0)
    assert ce[1] == pytest.approx(math.log(2)) and ce[2] == pytest.approx(math.log(3))
    wrong = sc.cross_entropy(z, [1, 2, 0], reduction="none")
    assert not np.any(np.isnan(wrong)) and np.all(wrong > 0)
    assert np.all(np.isfinite(wrong)) or 2 * size > np.finfo(float).max
    soft = sc.cross_entropy(z, np.full((3, 3), 1 / 3), reduction="none")
    assert not np.any(np.isnan(soft))
    s = sc.sigmoid([size, -size, 0.0])
    np.testing.assert_allclose(s, [1.0, 0.0, 0.5], atol=1e-40)


@pytest.mark.parametrize("size", SIZES)
def test_model_functions_at_huge_weights(size):
    X = np.array([[1.0, 0.5], [-1.0, 0.25], [0.5, -1.0]])
    y = np.array([0, 1, 2])
    W = np.array([[size, -size, 0.0], [0.0, 0.0, -size]]) / 2
    b = np.zeros(3)
    z = sc.logits(W, b, X)
    assert finite(z)
    probs = sc.predict_proba(W, b, X)
    assert finite(probs)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    assert sc.predict(W, b, X).tolist() == np.argmax(z, axis=1).tolist()
    residuals = sc.residuals(W, b, X, y)
    assert finite(residuals) and np.all(np.linalg.norm(residuals, axis=1) <= math.sqrt(2) + 1e-12)
    with np.errstate(over="ignore"):  # |W| |pi - y| may exceed the float range at 1.7e308
        grads = sc.input_gradients(W, b, X, y)
    assert not np.any(np.isnan(grads))
    if True:  # the engine sums per-sample losses when its fast sums overflow
        loss, dW, db = sc.loss_and_gradients(W, b, X, y)
        assert finite(dW, db) and not math.isnan(loss) and loss >= 0
        with np.errstate(over="ignore"):  # (l2 / 2) ||W||^2 overflows: inf, not NaN
            loss_l2, dW_l2, _ = sc.loss_and_gradients(W, b, X, y, l2=1.0)
        assert not math.isnan(loss_l2) and finite(dW_l2)
    classes, confidence = sc.evaluate_grid(W, b, (-5, 5), (-5, 5), 40)
    assert finite(confidence) and np.all((confidence >= 1 / 3 - 1e-6) & (confidence <= 1 + 1e-6))
    small = sc.evaluate_grid(W / size, b, (-5, 5), (-5, 5), 40)[0]
    # the regions are scale-invariant: only the cells on a boundary may differ
    assert np.mean(classes == small) > 0.9


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_grid_beyond_the_dtype_range_is_not_nan(dtype):
    # Was a bug: float32 planes overflowed at |z| > 3.4e38 and inf - inf gave NaN confidence.
    for W, b in [
        (np.array([[1e300, -1e300, 0.0], [0.0, 1e300, -1e300]]), np.zeros(3)),
        (np.zeros((2, 3)), np.array([1e39, 0.0, 0.0])),
        (np.zeros((2, 3)), np.array([-1e39, -1e39, -1e39])),
        (np.full((2, 3), 1.7e308), np.array([1.7e308, -1.7e308, 0.0])),
    ]:
        classes, confidence = sc.evaluate_grid(W, b, (-5, 5), (-5, 5), 20, dtype=dtype)
        assert finite(confidence) and np.all(confidence > 0.3), (W, b)
        scaled = sc.evaluate_grid(W * 1e-300, b * 1e-300, (-5, 5), (-5, 5), 20, dtype=dtype)
        np.testing.assert_array_equal(classes, scaled[0])


@pytest.mark.parametrize("size", [1e6, 1e100, 1e300])
def test_trainer_at_huge_weights_steps_or_diverges_cleanly(size):
    X, y = far_data(0.0)
    trainer = sc.Trainer(X, y, 3, lr=0.5, l2=0.01)
    trainer.set_params(np.array([[size, -size, 0.0], [0.0, size, -size]]), np.zeros(3))
    m = trainer.evaluate()
    assert not math.isnan(m.train_ce) and 0 <= m.train_acc <= 1
    try:
        trainer.run(5)
    except sc.DivergenceError as err:
        assert err.step == trainer.step_count
    assert finite(trainer.W, trainer.b)


def test_loss_of_many_confident_samples_at_huge_logits_is_not_nan():
    X = np.ones((3, 1))
    with np.errstate(all="ignore"):
        loss, dW, db = sc.loss_and_gradients(np.array([[1e308, 0.0]]), np.zeros(2), X, [0, 0, 0])
    assert loss == 0.0 and finite(dW, db)
