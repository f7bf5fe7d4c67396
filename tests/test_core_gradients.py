"""loss_and_gradients against central finite differences and an independent (N, K) loss.

The oracle loss below is written from the definition with plain NumPy (row-major logits, a
one-hot matrix, exp / sum / log): it shares no code with the class-major engine.
"""

from __future__ import annotations

import numpy as np
import pytest

import softmax_core as sc
from softmax_core import engine
from softmax_core.engine import Workspace


def oracle_loss(W, b, X, Y, l2) -> float:
    """mean_i -sum_k Y_ik log softmax(x_i W + b)_k + (l2 / 2) ||W||^2, for moderate logits."""
    z = X @ W + b
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-(Y * log_p).sum(axis=1).mean() + 0.5 * l2 * (W * W).sum())


def finite_difference_gradients(W, b, X, y, l2, h=1e-5):
    """Central differences of the loss returned by loss_and_gradients, entry by entry."""

    def loss(W_, b_):
        return sc.loss_and_gradients(W_, b_, X, y, l2)[0]

    dW = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        Wp, Wm = W.copy(), W.copy()
        Wp[idx] += h
        Wm[idx] -= h
        dW[idx] = (loss(Wp, b) - loss(Wm, b)) / (2 * h)
    db = np.zeros_like(b)
    for k in range(b.size):
        bp, bm = b.copy(), b.copy()
        bp[k] += h
        bm[k] -= h
        db[k] = (loss(W, bp) - loss(W, bm)) / (2 * h)
    return dW, db


def rel_error(a, b) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b)))


def random_problem(seed, n=30, d=3, k=4, soft=False):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * rng.uniform(0.5, 3.0, d)
    W = rng.standard_normal((d, k))
    b = rng.standard_normal(k)
    y = rng.dirichlet(np.full(k, 0.7), n) if soft else rng.integers(0, k, n)
    Y = y if soft else np.eye(k)[y]
    return W, b, X, y, Y


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("soft", [False, True], ids=["hard", "soft"])
@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_gradients_match_central_finite_differences(seed, soft, l2):
    W, b, X, y, Y = random_problem(seed, soft=soft)
    loss, dW, db = sc.loss_and_gradients(W, b, X, y, l2)
    assert dW.shape == W.shape and db.shape == b.shape
    assert loss == pytest.approx(oracle_loss(W, b, X, Y, l2), rel=1e-12)
    fd_W, fd_b = finite_difference_gradients(W, b, X, y, l2)
    assert rel_error(dW, fd_W) < 1e-6
    assert rel_error(db, fd_b) < 1e-6


@pytest.mark.parametrize("shape", [(1, 1, 2), (7, 5, 2), (50, 2, 6)])
def test_gradients_match_finite_differences_for_other_shapes(shape):
    n, d, k = shape
    W, b, X, y, _ = random_problem(10 + n, n=n, d=d, k=k)
    _, dW, db = sc.loss_and_gradients(W, b, X, y, 0.05)
    fd_W, fd_b = finite_difference_gradients(W, b, X, y, 0.05)
    assert rel_error(np.concatenate([dW.ravel(), db]), np.concatenate([fd_W.ravel(), fd_b])) < 1e-6


def test_gradient_formula_is_x_transpose_residual():
    W, b, X, y, Y = random_problem(4, n=40)
    _, dW, db = sc.loss_and_gradients(W, b, X, y, 0.2)
    z = X @ W + b
    P = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(dW, X.T @ (P - Y) / 40 + 0.2 * W, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(db, (P - Y).mean(axis=0), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(sc.residuals(W, b, X, y), P - Y, rtol=1e-12, atol=1e-15)


def test_one_hot_targets_give_the_same_loss_and_gradients_as_labels():
    W, b, X, y, Y = random_problem(5)
    hard = sc.loss_and_gradients(W, b, X, y, 0.1)
    soft = sc.loss_and_gradients(W, b, X, Y, 0.1)
    assert hard[0] == pytest.approx(soft[0], rel=1e-14)
    np.testing.assert_allclose(hard[1], soft[1], rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(hard[2], soft[2], rtol=1e-13, atol=1e-16)


def test_bias_is_not_penalised():
    W, b, X, y, _ = random_problem(6)
    base = sc.loss_and_gradients(W, b, X, y, 0.0)
    reg = sc.loss_and_gradients(W, b, X, y, 0.5)
    assert reg[0] - base[0] == pytest.approx(0.25 * np.sum(W * W), rel=1e-12)
    np.testing.assert_allclose(reg[1] - base[1], 0.5 * W, rtol=1e-12)
    np.testing.assert_array_equal(reg[2], base[2])


def test_loss_and_gradients_stay_exact_for_huge_logits():
    # logits of +-1e4: the loss of a confidently wrong sample is its logit gap, exactly
    X = np.array([[1.0], [-1.0]])
    W = np.array([[-1e4, 1e4]])
    b = np.zeros(2)
    loss, dW, db = sc.loss_and_gradients(W, b, X, np.array([0, 1]), 0.0)
    assert loss == pytest.approx(2e4, rel=1e-14)
    np.testing.assert_allclose(dW, [[-1.0, 1.0]], rtol=1e-14)
    np.testing.assert_allclose(db, [0.0, 0.0], atol=1e-14)
    assert np.all(np.isfinite(dW))


def test_float32_workspace_agrees_with_float64():
    W, b, X, y, _ = random_problem(7, n=500, d=4, k=5)
    l64 = Workspace(X, y, 5, np.float64).loss_and_gradients(W, b, 0.1)
    l32 = Workspace(X, y, 5, np.float32).loss_and_gradients(
        W.astype(np.float32), b.astype(np.float32), 0.1
    )
    assert l32[0] == pytest.approx(l64[0], rel=1e-5)
    assert rel_error(l32[1].astype(np.float64), l64[1]) < 1e-5
    assert rel_error(l32[2].astype(np.float64), l64[2]) < 1e-5
    assert l32[1].dtype == np.float32


def test_workspace_is_reusable_across_calls():
    # buffers are overwritten in place: a second call at new parameters must not see the first
    W, b, X, y, Y = random_problem(8)
    ws = Workspace(X, y, 4)
    ws.loss_and_gradients(W, b, 0.0)
    W2, b2 = W * 0.5 + 1.0, b - 2.0
    loss, dW, db = ws.loss_and_gradients(W2, b2, 0.1)
    assert loss == pytest.approx(oracle_loss(W2, b2, X, Y, 0.1), rel=1e-12)
    ref = sc.loss_and_gradients(W2, b2, X, y, 0.1)
    np.testing.assert_array_equal(dW, ref[1])
    np.testing.assert_array_equal(db, ref[2])
    assert ws.cross_entropy(W2, b2) == pytest.approx(oracle_loss(W2, b2, X, Y, 0.0), rel=1e-12)


def _pass_cases():
    rng = np.random.default_rng(11)
    W, b, X, y, _ = random_problem(9, n=300, d=3, k=4)
    yield "random", X, y, W, b, np.float64
    yield "float32", X, y, W.astype(np.float32), b.astype(np.float32), np.float32
    # classes 1 and 2 have equal logits everywhere (exact integer arithmetic): np.argmax's
    # tie goes to class 1, so no sample of class 2 counts as right
    Xi = rng.integers(-3, 4, (60, 2)).astype(np.float64)
    yield "ties", Xi, rng.integers(0, 3, 60), np.array([[1.0, 2, 2], [0, 1, 1]]), np.zeros(3), None
    # logit gaps beyond 709: the exact re-evaluation of those columns (_exact_columns)
    yield "huge logits", X, y, W * 1e4, b, np.float64
    Xc = rng.standard_normal((engine.CHUNK + 5, 2))
    yc = rng.integers(0, 3, Xc.shape[0])
    yield "two chunks", Xc, yc, rng.standard_normal((2, 3)), rng.standard_normal(3), np.float64


@pytest.mark.parametrize("case", list(_pass_cases()), ids=lambda c: c[0])
def test_one_pass_metrics_equal_the_separate_passes_bit_for_bit(case):
    _, X, y, W, b, dtype = case
    k = W.shape[1]
    ws = Workspace(X, y, k, dtype or np.float64)
    loss, dW, db, acc = ws.loss_gradients_and_accuracy(W, b, 0.1)
    ref_loss, ref_dW, ref_db = ws.loss_and_gradients(W, b, 0.1)
    assert loss == ref_loss
    np.testing.assert_array_equal(dW, ref_dW)
    np.testing.assert_array_equal(db, ref_db)
    assert acc == ws.accuracy(W, b)
    z = X.astype(dtype or np.float64) @ W + b  # an independent argmax, first index on ties
    assert acc == np.mean(np.argmax(z, axis=1) == y)
    ce, acc0 = ws.loss_and_accuracy(W, b)
    assert ce == ws.loss_and_gradients(W, b, 0.0)[0] == ws.cross_entropy(W, b)
    assert acc0 == acc


def test_ties_count_for_the_first_maximal_class_only():
    X = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    W = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])  # x = e1 ties classes 1 and 2
    ws = Workspace(X, np.array([1, 2, 0]), 3)
    assert ws.loss_and_accuracy(W, np.zeros(3))[1] == pytest.approx(2 / 3)
    assert ws.loss_gradients_and_accuracy(W, np.zeros(3), 0.0)[3] == pytest.approx(2 / 3)


def test_accuracy_needs_labels_but_soft_targets_keep_their_cross_entropy():
    W, b, X, _, Y = random_problem(4, soft=True)
    ws = Workspace(X, Y, 4)
    with pytest.raises(ValueError, match="integer labels"):
        ws.loss_and_accuracy(W, b)
    assert ws.cross_entropy(W, b) == pytest.approx(oracle_loss(W, b, X, Y, 0.0), rel=1e-12)
