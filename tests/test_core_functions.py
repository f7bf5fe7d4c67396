"""softmax, log-softmax, the Jacobian, cross-entropy and the seed notes' worked examples.

Oracles are independent of softmax_core: 60-digit ``decimal`` arithmetic without any shift,
central finite differences, and the numbers printed in seed notes 000-003.
"""

from __future__ import annotations

import decimal
import math

import numpy as np
import pytest

import softmax_core as sc

DEC = decimal.Context(prec=60, Emax=10**6, Emin=-(10**6))


def softmax_oracle(z) -> np.ndarray:
    """exp(z_k) / sum_j exp(z_j) in 60-digit decimals, no shift: exact for |z| up to 1e5."""
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    for idx in np.ndindex(z.shape[:-1]):
        e = [DEC.exp(decimal.Decimal(float(v))) for v in z[idx]]
        total = DEC.add(sum(e[1:], decimal.Decimal(0)), e[0])
        out[idx] = [float(DEC.divide(v, total)) for v in e]
    return out


def log_softmax_oracle(z) -> np.ndarray:
    """z_k - ln sum_j exp(z_j) in 60-digit decimals."""
    z = np.asarray(z, dtype=np.float64)
    out = np.empty_like(z)
    for idx in np.ndindex(z.shape[:-1]):
        row = [decimal.Decimal(float(v)) for v in z[idx]]
        lse = DEC.ln(sum((DEC.exp(v) for v in row), decimal.Decimal(0)))
        out[idx] = [float(DEC.subtract(v, lse)) for v in row]
    return out


HUGE_LOGITS = [
    [1e4, -1e4, 0.0],
    [1e4, 1e4 - 1.0, 1e4 - 2.5],
    [-1e4, -1e4 + 3.0, -1e4 - 1.0],
    [800.0, 0.0, -800.0, 799.0],
    [-745.0, -746.0],
    [0.0],
]


@pytest.mark.parametrize("z", HUGE_LOGITS)
def test_softmax_matches_decimal_oracle_at_any_logit_size(z):
    p = sc.softmax(z)
    np.testing.assert_allclose(p, softmax_oracle(z), rtol=1e-13, atol=1e-300)
    assert np.all(np.isfinite(p))
    assert math.isclose(p.sum(), 1.0, rel_tol=1e-15)


@pytest.mark.parametrize("z", HUGE_LOGITS)
def test_log_softmax_matches_decimal_oracle_at_any_logit_size(z):
    np.testing.assert_allclose(sc.log_softmax(z), log_softmax_oracle(z), rtol=1e-13, atol=1e-15)


def test_log_softmax_is_exact_where_softmax_underflows():
    # exp(-20000) underflows to 0, so log(softmax) would be -inf; log_softmax stays exact.
    z = np.array([1e4, -1e4, 0.0])
    assert sc.softmax(z)[1] == 0.0
    assert sc.log_softmax(z)[1] == -2e4
    assert sc.log_softmax(z)[2] == -1e4


def test_naive_softmax_overflows_where_the_shifted_one_is_exact():
    z = [1000.0, 999.0]
    assert np.all(np.isnan(sc.softmax_naive(z)))
    np.testing.assert_allclose(sc.softmax(z), softmax_oracle(z), rtol=1e-14)


def test_softmax_and_log_softmax_mixed_random_batch():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((3, 4, 5)) * np.array([1.0, 30.0, 300.0])[:, None, None]
    z = np.concatenate([z, 1e4 * rng.standard_normal((2, 4, 5))])
    np.testing.assert_allclose(sc.softmax(z), softmax_oracle(z), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(sc.log_softmax(z), log_softmax_oracle(z), rtol=1e-13, atol=1e-12)


def test_logsumexp_of_huge_logits():
    assert sc.logsumexp([1e4, 1e4]) == pytest.approx(1e4 + math.log(2), rel=1e-15)
    assert sc.logsumexp([-1e4, -1e4]) == pytest.approx(-1e4 + math.log(2), rel=1e-15)


# --- Jacobian -------------------------------------------------------------------------------


def finite_difference_jacobian(z: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """J[..., i, j] = d softmax_i / d z_j by central differences, column j at a time."""
    k = z.shape[-1]
    jac = np.empty((*z.shape, k))
    for j in range(k):
        e = np.zeros(k)
        e[j] = h
        jac[..., :, j] = (sc.softmax(z + e) - sc.softmax(z - e)) / (2 * h)
    return jac


def test_softmax_jacobian_is_diag_p_minus_outer_p():
    rng = np.random.default_rng(1)
    p = sc.softmax(rng.standard_normal((2, 3, 4)))
    jac = sc.softmax_jacobian(p)
    assert jac.shape == (2, 3, 4, 4)
    for idx in np.ndindex(2, 3):
        np.testing.assert_allclose(
            jac[idx], np.diag(p[idx]) - np.outer(p[idx], p[idx]), rtol=0, atol=1e-16
        )


@pytest.mark.parametrize("shape", [(3,), (5, 4), (2, 3, 6)])
def test_softmax_jacobian_matches_finite_differences(shape):
    rng = np.random.default_rng(2)
    z = 2.0 * rng.standard_normal(shape)
    jac = sc.softmax_jacobian(sc.softmax(z))
    fd = finite_difference_jacobian(z)
    for idx in np.ndindex(shape[:-1]):
        rel = np.linalg.norm(jac[idx] - fd[idx]) / np.linalg.norm(jac[idx])
        assert rel < 1e-6, (idx, rel)


# --- cross-entropy --------------------------------------------------------------------------


def test_cross_entropy_equals_minus_sum_y_log_softmax():
    rng = np.random.default_rng(3)
    z = 3.0 * rng.standard_normal((40, 5))
    y = rng.integers(0, 5, 40)
    Y = rng.dirichlet(np.ones(5), 40)
    # independent: plain exp/sum/log, safe for these moderate logits
    log_p = np.log(np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))
    # the oracle itself loses ~1e-15 absolute to cancellation where a loss is near 0
    np.testing.assert_allclose(
        sc.cross_entropy(z, y, reduction="none"), -log_p[np.arange(40), y], rtol=1e-12, atol=1e-14
    )
    np.testing.assert_allclose(
        sc.cross_entropy(z, Y, reduction="none"), -(Y * log_p).sum(axis=1), rtol=1e-12, atol=1e-14
    )
    assert sc.cross_entropy(z, y) == pytest.approx(-log_p[np.arange(40), y].mean(), rel=1e-12)
    assert sc.cross_entropy(z, Y, reduction="sum") == pytest.approx(-(Y * log_p).sum(), rel=1e-12)


class SeedCCELoss:
    """Seed note 000's ``CCE_Loss``, verbatim apart from style: the clipping approach."""

    def __call__(self, y_true, y_pred):
        epsilon = 1e-15
        y_pred = np.clip(y_pred, epsilon, 1 - epsilon)
        loss = -np.sum(y_true * np.log(y_pred), axis=1)
        return np.mean(loss)


def test_cross_entropy_exact_for_huge_logits_where_clipping_caps_the_loss():
    z = np.array([[0.0, 1000.0, -50.0], [1e4, -1e4, 0.0]])
    y = np.array([0, 1])
    ours = sc.cross_entropy(z, y, reduction="none")
    np.testing.assert_allclose(ours, log_softmax_oracle(z)[np.arange(2), y] * -1, rtol=1e-14)
    assert ours[0] == pytest.approx(1000.0, rel=1e-15)
    assert ours[1] == pytest.approx(2e4, rel=1e-15)

    clipped = [
        SeedCCELoss()(np.eye(3)[[yi]], sc.softmax(zi[None])) for zi, yi in zip(z, y, strict=True)
    ]
    cap = -math.log(1e-15)  # 34.54 nats: every confidently wrong sample looks the same
    np.testing.assert_allclose(clipped, [cap, cap], rtol=1e-12)
    assert ours[0] - clipped[0] > 960 and ours[1] - clipped[1] > 19_000

    # The clipped loss is flat in the logits there (its gradient is 0); ours is pi - y.
    h = 1e-3
    e = np.array([[h, 0.0, 0.0]])
    fd_clipped = (
        SeedCCELoss()(np.eye(3)[[0]], sc.softmax(z[:1] + e))
        - SeedCCELoss()(np.eye(3)[[0]], sc.softmax(z[:1] - e))
    ) / (2 * h)
    fd_ours = (sc.cross_entropy(z[:1] + e, y[:1]) - sc.cross_entropy(z[:1] - e, y[:1])) / (2 * h)
    assert fd_clipped == 0.0
    assert fd_ours == pytest.approx(-1.0, abs=1e-9)


def test_cross_entropy_reductions():
    z = np.array([[1.0, 2.0], [3.0, -1.0]])
    y = np.array([1, 0])
    none = sc.cross_entropy(z, y, reduction="none")
    assert none.shape == (2,)
    assert sc.cross_entropy(z, y, reduction="sum") == pytest.approx(none.sum())
    assert sc.cross_entropy(z, y) == pytest.approx(none.mean())


# --- seed note 003: worked examples --------------------------------------------------------


def test_seed003_softmax_three_classes_rounds_to_ours_and_truncates_to_the_notes():
    W, b, X = np.array([[2.0, 3.0, 5.0]]), np.array([1.0, 1.0, 1.0]), np.array([[1.0]])
    np.testing.assert_array_equal(sc.logits(W, b, X), [[3.0, 4.0, 6.0]])
    p = sc.predict_proba(W, b, X)[0]
    e = np.exp([3.0, 4.0, 6.0])
    np.testing.assert_allclose(p, e / e.sum(), rtol=1e-15)
    np.testing.assert_array_equal(np.round(p, 4), [0.0420, 0.1142, 0.8438])
    # The note prints 0.0420, 0.1141, 0.8437: four digits truncated, not rounded.
    np.testing.assert_array_equal(np.floor(p * 1e4) / 1e4, [0.0420, 0.1141, 0.8437])
    assert sc.predict(W, b, X)[0] == 2  # "y_hat = 3" counting classes from 1


def test_seed003_sigmoid_two_classes():
    z = 2.0 * 1.0 + 1.0
    a = sc.sigmoid(z)
    assert a == pytest.approx(1 / (1 + math.exp(-3)), rel=1e-15)
    assert round(float(a), 4) == 0.9526
    assert round(float(1 - a), 4) == 0.0474


def test_seed003_softmax_of_two_classes_is_sigmoid_of_the_difference():
    rng = np.random.default_rng(4)
    z = np.concatenate([5 * rng.standard_normal((50, 2)), [[800.0, -800.0], [-1e4, 1e4]]])
    p = sc.softmax(z)
    np.testing.assert_allclose(p[:, 0], sc.sigmoid(z[:, 0] - z[:, 1]), rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(p[:, 1], sc.sigmoid(z[:, 1] - z[:, 0]), rtol=1e-14, atol=1e-300)


def test_seed003_binary_cross_entropy_is_the_k2_cross_entropy():
    rng = np.random.default_rng(5)
    z = rng.standard_normal((30, 2))
    y = rng.integers(0, 2, 30)
    a1 = sc.sigmoid(z[:, 1] - z[:, 0])  # P(y = 1)
    bce = -(y * np.log(a1) + (1 - y) * np.log(1 - a1))
    np.testing.assert_allclose(sc.cross_entropy(z, y, reduction="none"), bce, rtol=1e-12)


# --- seed note 002: cross-entropy from logits, nats and bits ------------------------------


def test_seed002_loss_is_logsumexp_minus_y_dot_o():
    rng = np.random.default_rng(6)
    o = 4.0 * rng.standard_normal((25, 3))
    Y = rng.dirichlet(np.ones(3), 25)
    lse = np.log(np.exp(o).sum(axis=1))
    np.testing.assert_allclose(
        sc.cross_entropy(o, Y, reduction="none"), lse - (Y * o).sum(axis=1), rtol=1e-12
    )
    # and with one-hot rows it is -log yhat_true: "0 only if predicted with certainty"
    y = rng.integers(0, 3, 25)
    np.testing.assert_allclose(
        sc.cross_entropy(o, np.eye(3)[y], reduction="none"),
        sc.cross_entropy(o, y, reduction="none"),
        rtol=1e-14,
    )


def test_seed002_one_nat_is_1_44_bits():
    assert round(1 / math.log(2), 2) == 1.44
    rng = np.random.default_rng(7)
    p = rng.dirichlet(np.ones(6))
    q = rng.dirichlet(np.ones(6))
    assert sc.entropy(p, base=2) == pytest.approx(sc.entropy(p) / math.log(2), rel=1e-14)
    assert sc.entropy(p) == pytest.approx(-(p * np.log(p)).sum(), rel=1e-14)
    assert sc.entropy(np.full(4, 0.25), base=2) == pytest.approx(2.0, rel=1e-15)
    assert sc.entropy([0.0, 1.0, 0.0]) == 0.0
    h_pq = sc.distribution_cross_entropy(p, q)
    assert h_pq == pytest.approx(-(p * np.log(q)).sum(), rel=1e-14)
    assert sc.kl_divergence(p, q) == pytest.approx(h_pq - sc.entropy(p), rel=1e-12)
    assert sc.kl_divergence(p, q) > 0
    assert sc.distribution_cross_entropy([1.0, 0.0], [0.0, 1.0]) == math.inf
    np.testing.assert_allclose(sc.surprisal([0.5, 0.25], base=2), [1.0, 2.0], rtol=1e-15)


# --- seed note 001: gradient flow and the gradient's properties ----------------------------


def test_seed001_gradient_flow_example():
    z = np.array([2.0, 1.0, 0.5])
    e = np.array([math.exp(2.0), math.exp(1.0), math.exp(0.5)])
    probs = e / e.sum()
    np.testing.assert_allclose(sc.softmax(z), probs, rtol=1e-15)
    np.testing.assert_array_equal(np.round(probs, 4), [0.6285, 0.2312, 0.1402])
    loss = sc.cross_entropy(z[None], [0])
    assert loss == pytest.approx(-math.log(probs[0]), rel=1e-14)
    assert round(loss, 4) == 0.4644

    grad = sc.residuals(np.eye(3), np.zeros(3), z[None], [0])[0]  # W = I: x is the logits
    np.testing.assert_allclose(grad, probs - [1.0, 0.0, 0.0], rtol=1e-14)
    h = 1e-6
    fd = [
        (sc.cross_entropy((z + h * ej)[None], [0]) - sc.cross_entropy((z - h * ej)[None], [0]))
        / (2 * h)
        for ej in np.eye(3)
    ]
    assert np.linalg.norm(grad - fd) / np.linalg.norm(grad) < 1e-6
    np.testing.assert_array_equal(np.round(grad, 4), [-0.3715, 0.2312, 0.1402])


@pytest.mark.parametrize(("pi_c", "table"), [(0.99, 0.01), (0.5, 0.5), (0.01, 0.99)])
def test_seed001_gradient_magnitude_table(pi_c, table):
    probs = np.array([pi_c, (1 - pi_c) * 0.7, (1 - pi_c) * 0.3])
    z = np.log(probs)[None]
    grad = sc.residuals(np.eye(3), np.zeros(3), z, [0])[0]
    assert abs(grad[0]) == pytest.approx(1 - pi_c, rel=1e-12)
    assert abs(grad[0]) == pytest.approx(table, abs=1e-12)
    assert grad[0] < 0 and np.all(grad[1:] > 0)  # property 2: push the true logit up
    assert abs(grad.sum()) < 1e-15


def test_seed001_residual_norm_is_at_most_sqrt2():
    rng = np.random.default_rng(8)
    for scale in (0.1, 3.0, 100.0, 1e4):
        X = scale * rng.standard_normal((200, 3))
        W, b = rng.standard_normal((3, 6)), rng.standard_normal(6)
        y = rng.integers(0, 6, 200)
        r = sc.residuals(W, b, X, y)
        norms = np.linalg.norm(r, axis=1)
        assert np.all(norms <= math.sqrt(2) * (1 + 1e-15))
        np.testing.assert_allclose(r.sum(axis=1), 0.0, atol=1e-15)
    # the bound is approached by a confidently wrong sample
    r = sc.residuals(np.eye(2), np.zeros(2), [[0.0, 50.0]], [0])[0]
    assert np.linalg.norm(r) == pytest.approx(math.sqrt(2), rel=1e-15)


def test_input_gradients_are_finite_differences_of_the_sample_loss():
    rng = np.random.default_rng(9)
    X, y = rng.standard_normal((6, 3)), rng.integers(0, 4, 6)
    W, b = rng.standard_normal((3, 4)), rng.standard_normal(4)
    g = sc.input_gradients(W, b, X, y)
    h = 1e-6
    for i in range(6):
        fd = [
            (
                sc.cross_entropy(sc.logits(W, b, X[i : i + 1] + h * e), y[i : i + 1])
                - sc.cross_entropy(sc.logits(W, b, X[i : i + 1] - h * e), y[i : i + 1])
            )
            / (2 * h)
            for e in np.eye(3)
        ]
        assert np.linalg.norm(g[i] - fd) / np.linalg.norm(g[i]) < 1e-6


# --- seed note 000: the data generator ------------------------------------------------------


def test_seed000_make_linear_softmax_data_labels_are_argmax_of_the_true_model():
    X, y, W_true, b_true = sc.make_linear_softmax_data(n_samples=300, n_features=2, n_classes=3)
    assert X.shape == (300, 2) and y.shape == (300,)
    assert W_true.shape == (2, 3) and b_true.shape == (3,)
    assert np.issubdtype(y.dtype, np.integer)
    z = np.einsum("nd,dk->nk", X, W_true) + b_true  # independent of softmax_core
    np.testing.assert_array_equal(y, z.argmax(axis=1))
    assert set(np.unique(y)) <= {0, 1, 2}
    X2, y2, _, _ = sc.make_linear_softmax_data(n_samples=300, n_features=2, n_classes=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X5, y5, W5, b5 = sc.make_linear_softmax_data(50, 4, 5, seed=1)
    np.testing.assert_array_equal(y5, (X5 @ W5 + b5).argmax(axis=1))


def test_surprisal_of_a_sure_event_is_positive_zero():
    """-log 1 is -0.0 in IEEE arithmetic and printed as "-0.0000" on the Cross-entropy page
    (seen in Chromium); surprisal returns +0.0."""
    from softmax_core.functions import surprisal

    for base in (np.e, 2.0):
        value = float(surprisal(1.0, base))
        assert value == 0.0 and math.copysign(1.0, value) == 1.0
        assert f"{value:.4f}" == "0.0000"
