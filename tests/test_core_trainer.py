"""Trainer: convergence to the Newton optimum, determinism, retargeting, divergence; History."""

from __future__ import annotations

import numpy as np
import pytest

import softmax_core as sc


@pytest.fixture(scope="module")
def data():
    X, y = sc.make_gaussian_classes(sc.default_centres(3, 1.5), 50, 1.0, seed=1)
    return X, y


def full_loss(trainer) -> float:
    return sc.loss_and_gradients(trainer.W, trainer.b, trainer.X, trainer.y, trainer.l2)[0]


@pytest.mark.parametrize("l2", [0.1, 0.01])
def test_gradient_descent_decreases_monotonically_and_reaches_the_optimum(data, l2):
    X, y = data
    W_opt, b_opt = sc.solve_optimum(X, y, l2)
    optimum = sc.loss_and_gradients(W_opt, b_opt, X, y, l2)[0]
    lr = 0.5 * sc.gd_stable_learning_rate(X, l2)  # 1 / L
    trainer = sc.Trainer(X, y, 3, optimizer="gd", lr=lr, l2=l2, seed=0)
    losses = trainer.run(400)
    # each step at lr < 2 / L lowers the loss; allow only rounding (1e-15) once converged
    assert np.all(np.diff(losses) <= 1e-15)
    assert losses[0] - losses[-1] > 0.1
    assert full_loss(trainer) - optimum < 1e-6
    assert full_loss(trainer) >= optimum - 1e-12  # never below the true minimum
    assert trainer.step_count == 400
    np.testing.assert_allclose(trainer.W, W_opt, atol=1e-3)


def test_step_returns_the_loss_before_the_update(data):
    X, y = data
    trainer = sc.Trainer(X, y, 3, lr=0.5, l2=0.01, seed=3)
    W0, b0 = trainer.W.copy(), trainer.b.copy()
    loss0, dW, db = sc.loss_and_gradients(W0, b0, X, y, 0.01)
    assert trainer.step() == pytest.approx(loss0, rel=1e-14)
    np.testing.assert_allclose(trainer.W, W0 - 0.5 * dW, rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(trainer.b, b0 - 0.5 * db, rtol=1e-14, atol=1e-16)


def test_minibatch_step_uses_its_batch_rows(data):
    X, y = data
    trainer = sc.Trainer(X, y, 3, optimizer="sgd", lr=0.3, l2=0.05, batch_size=32, seed=5)
    seen: list[np.ndarray] = []
    original_next = trainer._batches.next

    def recording_next():
        rows = original_next()
        seen.append(rows)
        return rows

    trainer._batches.next = recording_next
    for _ in range(12):  # 150 rows / 32: several epochs, including the short last batch
        W0, b0 = trainer.W.copy(), trainer.b.copy()
        loss = trainer.step()
        rows = seen[-1]
        ref, dW, db = sc.loss_and_gradients(W0, b0, X[rows], y[rows], 0.05)
        assert loss == pytest.approx(ref, rel=1e-13)
        np.testing.assert_allclose(trainer.W, W0 - 0.3 * dW, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(trainer.b, b0 - 0.3 * db, rtol=1e-13, atol=1e-15)
    assert {r.size for r in seen} == {32, 22}
    # each epoch visits every row exactly once
    np.testing.assert_array_equal(np.sort(np.concatenate(seen[:5])), np.arange(150))


@pytest.mark.parametrize(
    ("optimizer", "lr", "batch_size"),
    [("sgd", 0.2, 16), ("momentum", 0.05, 32), ("adam", 0.05, 32), ("adam", 0.05, None)],
)
def test_optimisers_are_deterministic_under_a_seed_and_reduce_the_loss(
    data, optimizer, lr, batch_size
):
    X, y = data

    def run():
        trainer = sc.Trainer(
            X, y, 3, optimizer=optimizer, lr=lr, l2=0.01, batch_size=batch_size, seed=7
        )
        start = full_loss(trainer)
        losses = trainer.run(150)
        return trainer, start, losses

    a, start, losses_a = run()
    b, _, losses_b = run()
    np.testing.assert_array_equal(a.W, b.W)
    np.testing.assert_array_equal(a.b, b.b)
    np.testing.assert_array_equal(losses_a, losses_b)
    assert full_loss(a) < 0.6 * start
    c = sc.Trainer(X, y, 3, optimizer=optimizer, lr=lr, l2=0.01, batch_size=batch_size, seed=8)
    c.run(150)
    assert not np.array_equal(a.W, c.W)  # the seed matters


def test_changing_lr_l2_optimiser_and_data_keeps_the_parameters(data):
    X, y = data
    trainer = sc.Trainer(X, y, 3, lr=0.5, seed=1)
    trainer.run(20)
    W, b = trainer.W.copy(), trainer.b.copy()
    trainer.lr = 0.1
    trainer.l2 = 0.2
    trainer.set_optimizer("adam", batch_size=16)
    np.testing.assert_array_equal(trainer.W, W)
    np.testing.assert_array_equal(trainer.b, b)
    assert trainer.step_count == 20
    trainer.set_optimizer("momentum")
    X2, y2 = sc.make_gaussian_classes(sc.default_centres(3, 2.0), 40, 0.8, seed=2)
    trainer.set_data(X2, y2)
    np.testing.assert_array_equal(trainer.W, W)
    np.testing.assert_array_equal(trainer.b, b)
    # training continues from there, on the new data, with the new settings
    before = sc.loss_and_gradients(W, b, X2, y2, 0.2)[0]
    trainer.run(30)
    assert sc.loss_and_gradients(trainer.W, trainer.b, X2, y2, 0.2)[0] < before
    assert trainer.step_count == 50


def test_reset_and_set_params(data):
    X, y = data
    trainer = sc.Trainer(X, y, 3, optimizer="adam", lr=0.1, seed=4)
    W_init = trainer.W.copy()
    trainer.run(10)
    trainer.reset()
    np.testing.assert_array_equal(trainer.W, W_init)
    np.testing.assert_array_equal(trainer.b, np.zeros(3))
    assert trainer.step_count == 0
    trainer.set_params(np.ones((2, 3)), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(trainer.b, [1.0, 2.0, 3.0])


def test_divergence_raises_with_the_step_and_keeps_the_last_finite_state(data):
    X, y = data
    # W <- (1 - lr l2) W - lr g: with lr l2 = 3 > 2 the weights double in size every step
    trainer = sc.Trainer(X, y, 3, optimizer="gd", lr=3.0, l2=1.0, seed=0)
    sizes = []
    with pytest.raises(sc.DivergenceError) as info:
        for _ in range(5000):
            trainer.step()
            sizes.append(np.max(np.abs(trainer.W)))
    err = info.value
    assert err.step == trainer.step_count == trainer.diverged_at == len(sizes)
    assert f"step {err.step}" in str(err)
    assert sizes[-1] > 1e100 and sizes[-1] > 1e20 * sizes[-100]  # blew up geometrically
    assert np.all(np.isfinite(trainer.W)) and np.all(np.isfinite(trainer.b))
    assert np.max(np.abs(trainer.W)) == sizes[-1]  # the state after the last good step
    # a further step fails the same way and changes nothing
    W = trainer.W.copy()
    with pytest.raises(sc.DivergenceError):
        trainer.step()
    np.testing.assert_array_equal(trainer.W, W)
    # lowering the learning rate and resetting recovers
    trainer.lr = 0.3
    trainer.reset()
    assert trainer.diverged_at is None
    trainer.run(50)


def test_evaluate_reports_train_and_test_metrics(data):
    X, y = data
    mask = sc.split_mask(y, 0.2, seed=0)
    trainer = sc.Trainer(
        X[~mask], y[~mask], 3, lr=0.5, l2=0.01, X_test=X[mask], y_test=y[mask], seed=0
    )
    trainer.run(100)
    m = trainer.evaluate()
    W, b = trainer.W, trainer.b
    assert m.step == 100
    assert m.train_ce == pytest.approx(sc.cross_entropy(sc.logits(W, b, X[~mask]), y[~mask]))
    assert m.test_ce == pytest.approx(sc.cross_entropy(sc.logits(W, b, X[mask]), y[mask]))
    assert m.train_acc == sc.accuracy(y[~mask], sc.predict(W, b, X[~mask]))
    assert m.test_acc == sc.accuracy(y[mask], sc.predict(W, b, X[mask]))
    assert m.train_loss == pytest.approx(full_loss(trainer), rel=1e-12)
    assert m.w_norm == pytest.approx(np.linalg.norm(W))


def test_float32_trainer_tracks_float64(data):
    X, y = data
    t64 = sc.Trainer(X, y, 3, lr=0.5, l2=0.01, seed=2)
    t32 = sc.Trainer(X, y, 3, lr=0.5, l2=0.01, seed=2, dtype=np.float32)
    l64, l32 = t64.run(100), t32.run(100)
    assert t32.W.dtype == np.float32
    np.testing.assert_allclose(l32, l64, rtol=1e-5)


# --- History --------------------------------------------------------------------------------


def test_history_is_bounded_and_keeps_first_and_last_steps():
    history = sc.History(("loss", "acc"), capacity=256)
    nbytes = history.nbytes
    for step in range(100_000):
        history.append(step, loss=1.0 / (step + 1), acc=step % 7)
        assert len(history) <= 256
    steps = history.column("step")
    assert len(history) == steps.size
    assert 128 <= steps.size <= 256
    assert steps[0] == 0 and steps[-1] == 99_999
    assert np.all(np.diff(steps) > 0)
    np.testing.assert_array_equal(history.column("loss"), 1.0 / (steps + 1))
    np.testing.assert_array_equal(history.column("acc"), steps % 7)
    assert history.nbytes == nbytes  # no growth
    thinned = history.as_dict(max_points=50)
    assert thinned["step"].size <= 50
    assert thinned["step"][0] == 0 and thinned["step"][-1] == 99_999


@pytest.mark.parametrize("n", [1, 3, 4, 5, 9, 17, 100])
def test_history_short_runs_keep_everything_or_both_ends(n):
    history = sc.History(("loss",), capacity=4)
    for step in range(n):
        history.append(step, loss=float(step))
    steps = history.column("step")
    if n <= 4:
        np.testing.assert_array_equal(steps, np.arange(n))
    assert len(history) <= 4 and steps[0] == 0 and steps[-1] == n - 1
    assert np.all(np.diff(steps) > 0)
    history.clear()
    assert len(history) == 0


def test_evaluate_with_gradients_is_evaluate_plus_the_full_batch_gradient():
    X, y = sc.make_gaussian_classes(sc.default_centres(3), 40, 1.0, 3)
    trainer = sc.Trainer(X[:90], y[:90], 3, lr=0.3, l2=0.05, X_test=X[90:], y_test=y[90:])
    trainer.run(7)
    m, dW, db = trainer.evaluate_with_gradients()
    assert m == trainer.evaluate()
    loss, dW_ref, db_ref = sc.loss_and_gradients(trainer.W, trainer.b, X[:90], y[:90], 0.05)
    np.testing.assert_allclose(dW, dW_ref, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(db, db_ref, rtol=1e-12, atol=1e-15)
    assert m.train_loss == pytest.approx(loss, rel=1e-12)


def test_history_last_step_follows_thinning_without_copying():
    h = sc.History(("v",), capacity=8)
    assert h.last_step is None
    for step in range(1000):
        h.append(step, v=float(step))
        assert h.last_step == step
    assert h.last_step == h.column("step")[-1]


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
@pytest.mark.parametrize("l2", [0.0, 0.01])
def test_a_step_after_evaluate_with_gradients_reuses_its_pass_exactly(data, optimizer, l2):
    """The playground evaluates each frame, then steps: with full batches the step reuses the
    frame's pass. The result must be bit-identical to stepping without evaluating."""
    X, y = data
    kwargs = dict(optimizer=optimizer, lr=0.3, l2=l2, seed=2, X_test=X[:20], y_test=y[:20])
    plain = sc.Trainer(X, y, 3, **kwargs)
    framed = sc.Trainer(X, y, 3, **kwargs)
    passes = {"train": 0, "test": 0}

    def counted(name, method):
        def counting(*args, **kwargs):
            passes[name] += 1
            return method(*args, **kwargs)

        return counting

    for name, ws in (("train", framed._full), ("test", framed._test)):
        ws._hard_pass = counted(name, ws._hard_pass)  # every loss or gradient pass
        ws.accuracy = counted(name, ws.accuracy)  # a pass for the accuracy alone
    for _ in range(12):
        framed.evaluate_with_gradients()
        assert framed.step() == plain.step()
        assert np.array_equal(framed.W, plain.W) and np.array_equal(framed.b, plain.b)
    # one pass of each set per frame: the step reuses the training set's, the accuracies
    # come from the passes' logits, the test set's loss needs no gradient pass of its own
    assert passes == {"train": 12, "test": 12}


def test_a_step_does_not_reuse_a_pass_made_at_other_weights_or_data(data):
    X, y = data
    trainer = sc.Trainer(X, y, 3, lr=0.3, l2=0.01, seed=2)
    reference = sc.Trainer(X, y, 3, lr=0.3, l2=0.01, seed=2)
    trainer.evaluate_with_gradients()
    W = trainer.W + 0.5
    trainer.set_params(W, trainer.b)
    reference.set_params(W, reference.b)
    assert trainer.step() == reference.step()
    assert np.array_equal(trainer.W, reference.W)
    trainer.evaluate_with_gradients()
    X2 = X + 1.0
    trainer.set_data(X2, y)
    reference.set_data(X2, y)
    assert trainer.step() == reference.step()
    assert np.array_equal(trainer.W, reference.W)


@pytest.mark.parametrize(
    ("optimizer", "batch_size", "lr", "l2"),
    [("gd", None, 0.5, 0.01), ("adam", None, 0.1, 0.0), ("sgd", 16, 0.3, 0.001)],
)
def test_run_frames_is_a_loop_of_evaluate_and_run(data, optimizer, batch_size, lr, l2):
    """Trainer.run_frames gives the states a loop of evaluate_with_gradients + run(steps)
    would see, bit for bit, and leaves the trainer where that loop leaves it."""
    X, y = data
    make = lambda: sc.Trainer(  # noqa: E731
        X, y, 3, optimizer=optimizer, batch_size=batch_size, lr=lr, l2=l2, seed=4
    )
    loop, animated = make(), make()
    expected = []
    for _ in range(7):
        m, dW, db = loop.evaluate_with_gradients()
        expected.append((m, loop.W.copy(), loop.b.copy(), dW, db))
        loop.run(3)
    states, err = animated.run_frames(7, 3)
    assert err is None and len(states) == 7
    for state, (m, W, b, dW, db) in zip(states, expected, strict=True):
        assert repr(state.metrics) == repr(m)  # (no test set: nan test metrics)
        for got, want in zip(state[1:], (W, b, dW, db), strict=True):
            np.testing.assert_array_equal(got, want)
    assert animated.step_count == loop.step_count == 21
    np.testing.assert_array_equal(animated.W, loop.W)
    np.testing.assert_array_equal(animated.b, loop.b)
    # and both go on the same way (optimiser state and batch order came along)
    np.testing.assert_array_equal(animated.run(5), loop.run(5))


def test_run_frames_returns_the_divergence_after_a_frame_at_the_last_finite_state(data):
    X, y = data
    trainer = sc.Trainer(X, y, 3, optimizer="gd", lr=3.0, l2=1.0, seed=0)
    states, err = trainer.run_frames(5000, 1)
    assert isinstance(err, sc.DivergenceError) and err.step == trainer.diverged_at
    # a frame before each step up to the one that failed, then one more at the kept state
    assert len(states) == err.step + 2
    assert states[-1].metrics.step == states[-2].metrics.step == err.step
    np.testing.assert_array_equal(states[-1].W, trainer.W)
    assert np.all(np.isfinite(states[-1].W))


def test_a_pickled_trainer_continues_the_same_run(data):
    """A trainer (optimiser state, mini-batch order mid-epoch) survives pickling: the
    playground's frame workers receive it and send it back."""
    import pickle

    X, y = data
    trainer = sc.Trainer(X, y, 3, optimizer="momentum", batch_size=32, lr=0.2, seed=9)
    trainer.run(7)  # 7 batches of 32 out of 150 rows: mid-epoch
    copy = pickle.loads(pickle.dumps(trainer))
    np.testing.assert_array_equal(copy.run(20), trainer.run(20))
    np.testing.assert_array_equal(copy.W, trainer.W)
