"""lessons/: the numbers the theory pages show, against independent oracles and the seed notes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lessons.chain_rule import (
    DATASETS,
    SQRT2,
    START_B,
    START_W,
    batch_form,
    chain_rule_steps,
    confidence_bins,
    demo_dataset,
    gradient_properties,
    magnitude_table,
    train_steps,
)
from lessons.information import (
    CLIP_CAP_NATS,
    NAT_IN_BITS,
    as_distribution,
    check_magnitude,
    clipped_cce,
    clipping_curves,
    clipping_demo,
    loss_two_ways,
    nats_to_bits,
    parse_vector,
)
from lessons.logistic_lessons import (
    binary_cross_entropy,
    binary_dataset,
    sigmoid_example,
    three_gradients,
    two_class,
)
from lessons.numerics import (
    central_gradient,
    central_jacobian,
    check_loss_gradients,
    check_softmax_jacobian,
)
from lessons.softmax_lessons import (
    EXP_OVERFLOW,
    argmax_agrees,
    overflow_demo,
    shift_check,
    temperature_sweep,
    tempered_softmax,
    truncate,
    worked_example,
)
from softmax_core import loss_and_gradients

logit_vectors = arrays(np.float64, st.integers(2, 6), elements=st.floats(-30, 30, allow_nan=False))

# ---- numerics --------------------------------------------------------------------------------


def test_central_differences_on_known_functions():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = np.array([0.3, -0.7])
    np.testing.assert_allclose(central_gradient(lambda v: 0.5 * v @ A @ v, x), A @ x, atol=1e-8)
    np.testing.assert_allclose(central_jacobian(lambda v: A @ v, x), A, atol=1e-8)


def test_gradient_check_is_tight_with_and_without_l2():
    X, y = demo_dataset(DATASETS[0])
    for l2 in (0.0, 0.3):
        W_core = np.array(START_W).T  # the core's (D, K)
        check = check_loss_gradients(W_core, np.array(START_B), X, y, l2)
        assert check.max_error < 1e-8
        assert check.loss == pytest.approx(loss_and_gradients(W_core, START_B, X, y, l2)[0])


@settings(max_examples=40, deadline=None)
@given(logit_vectors)
def test_softmax_jacobian_matches_finite_differences(z):
    assert check_softmax_jacobian(z).max_error < 1e-7


# ---- softmax ---------------------------------------------------------------------------------


def test_worked_example_of_the_slides():
    ex = worked_example()
    np.testing.assert_array_equal(ex.logits, [3.0, 4.0, 6.0])
    expected = np.exp([3.0, 4.0, 6.0]) / np.exp([3.0, 4.0, 6.0]).sum()
    np.testing.assert_allclose(ex.probs, expected, rtol=1e-15)
    assert ex.rounded == ["0.0420", "0.1142", "0.8438"]
    assert ex.truncated == ["0.0420", "0.1141", "0.8437"]  # what the note printed
    np.testing.assert_allclose(truncate([0.84379, -0.11419]), [0.8437, -0.1141])


def test_temperature_limits_and_validation():
    z = np.array([1.0, 2.0, 0.5])
    cold = tempered_softmax(z, 0.01)
    hot = tempered_softmax(z, 1e4)
    assert cold[1] == pytest.approx(1.0)
    np.testing.assert_allclose(hot, 1 / 3, atol=1e-3)
    assert temperature_sweep(z, [0.5, 1, 2]).shape == (3, 3)
    for bad in (0.0, -1.0, math.inf, math.nan):
        with pytest.raises(ValueError, match="temperature"):
            tempered_softmax(z, bad)


@settings(max_examples=40, deadline=None)
@given(logit_vectors, st.floats(-500, 500), st.floats(0.05, 20))
def test_shift_invariance_and_monotonicity(z, c, t):
    assert shift_check(z, c).max_difference < 1e-12
    top_two = np.sort(z)[-2:]
    # Exact ties make the argmax ambiguous, and logits closer than rounding can separate after
    # exp give equal float64 probabilities: monotonic in exact arithmetic only.
    if (top_two[1] - top_two[0]) / t > 1e-9:
        assert argmax_agrees(z, t)


def test_overflow_demo():
    demo = overflow_demo([1000.0, 1001.0, 1002.0])
    assert demo.naive_failed
    np.testing.assert_allclose(demo.stable, overflow_demo([0.0, 1.0, 2.0]).stable)
    assert not overflow_demo([1.0, 2.0]).naive_failed
    assert abs(EXP_OVERFLOW - 709.78) < 0.01


# ---- information -----------------------------------------------------------------------------


def test_parse_vector_and_as_distribution():
    np.testing.assert_array_equal(parse_vector("0.7, 0.2;0.1", "p"), [0.7, 0.2, 0.1])
    np.testing.assert_array_equal(parse_vector(" 1 2  3 ", "p"), [1, 2, 3])
    for bad in ("", "a, b", "1, inf", " , "):
        with pytest.raises(ValueError, match="p"):
            parse_vector(bad, "p")
    np.testing.assert_allclose(as_distribution([3, 1], "q", normalise=True), [0.75, 0.25])
    with pytest.raises(ValueError, match="sums to"):
        as_distribution([0.5, 0.6], "q")
    with pytest.raises(ValueError, match="negative"):
        as_distribution([1.5, -0.5], "q")
    with pytest.raises(ValueError, match="two classes"):
        as_distribution([1.0], "q")
    with pytest.raises(ValueError, match="sums to 0"):
        as_distribution([0.0, 0.0], "q", normalise=True)


def test_check_magnitude():
    np.testing.assert_array_equal(check_magnitude([1.0, -2.0], "o"), [1.0, -2.0])
    with pytest.raises(ValueError, match="within"):
        check_magnitude([1e300, 0.0], "o")


def test_nats_and_bits():
    assert abs(NAT_IN_BITS - 1.4427) < 1e-4
    assert nats_to_bits(math.log(2)) == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(logit_vectors, st.data())
def test_loss_two_ways_agree_for_soft_labels(o, data):
    w = data.draw(arrays(np.float64, o.size, elements=st.floats(0, 1)))
    y = w / w.sum() if w.sum() > 0 else np.full(o.size, 1 / o.size)
    two = loss_two_ways(o, y)
    assert two.difference < 1e-9


def test_loss_by_definition_fails_where_logsumexp_does_not():
    two = loss_two_ways([1000.0, 0.0], [0.0, 1.0])
    assert math.isinf(two.by_definition)
    assert two.by_logsumexp == 1000.0


def test_clipping_caps_the_loss_and_zeroes_its_slope():
    assert abs(CLIP_CAP_NATS - 34.5388) < 1e-4
    wrong = clipping_demo(50.0)
    assert wrong.exact_loss == pytest.approx(50.0)
    assert wrong.clipped_loss == pytest.approx(CLIP_CAP_NATS)
    assert wrong.exact_grad == pytest.approx(-1.0)
    assert wrong.clipped_grad == 0.0
    fine = clipping_demo(1.0)
    assert fine.clipped_loss == pytest.approx(fine.exact_loss)
    assert fine.clipped_grad == pytest.approx(fine.exact_grad, abs=1e-6)
    exact, clipped = clipping_curves([0.0, 100.0])
    assert clipped[1] == pytest.approx(CLIP_CAP_NATS) and exact[1] == pytest.approx(100.0)
    assert clipped_cce([0.0, 1.0], [1.0, 0.0]) == pytest.approx(CLIP_CAP_NATS)


# ---- chain rule ------------------------------------------------------------------------------


def test_chain_rule_steps_agree_with_the_core_on_one_sample():
    X, y = demo_dataset(DATASETS[0])
    W, b = np.array(START_W), np.array(START_B)
    for i in (0, 9, 23):
        s = chain_rule_steps(W, b, X[i], y[i])
        assert s.chain_vs_shortcut < 1e-12
        loss, dW, db = loss_and_gradients(W.T, b, X[i : i + 1], y[i : i + 1])
        assert s.loss == pytest.approx(loss)
        assert s.dW.shape == W.shape == (3, 2)  # K x D, like W
        np.testing.assert_allclose(s.dW, dW.T, atol=1e-12)
        np.testing.assert_allclose(s.db, db, atol=1e-12)
        assert s.dL_dpi[s.label] == pytest.approx(-1 / s.pi[s.label])
        assert np.count_nonzero(s.dL_dpi) == 1
    with pytest.raises(ValueError, match="label"):
        chain_rule_steps(W, b, X[0], 3)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (3, 2), elements=st.floats(-5, 5)), st.integers(0, 2))
def test_chain_rule_product_is_pi_minus_y(W, label):
    s = chain_rule_steps(W, np.zeros(3), np.array([1.0, -2.0]), label)
    assert s.chain_vs_shortcut < 1e-9
    assert np.linalg.norm(s.dL_dz) <= SQRT2 + 1e-12


def test_underflowed_probability_breaks_only_the_long_route():
    s = chain_rule_steps(np.array([[50.0, 0], [-50.0, 0], [0.0, 0]]), np.zeros(3), [30.0, 0.0], 1)
    assert math.isinf(s.loss)
    assert np.all(np.isnan(s.dL_dz_chain))
    np.testing.assert_allclose(s.dL_dz, [1.0, -1.0, 0.0])


def test_batch_form_and_l2_term():
    X, y = demo_dataset(DATASETS[1])
    W = np.array(START_W)
    form = batch_form(W, np.array(START_B), X, y, l2=0.2)
    assert form.max_difference < 1e-12
    np.testing.assert_allclose(form.l2_term, 0.2 * W)


def test_magnitude_table_of_the_derivation_notes():
    rows = magnitude_table(3)
    assert [r["π_c"] for r in rows] == [0.99, 0.5, 0.01]
    np.testing.assert_allclose([r["|∂L/∂z_c|"] for r in rows], [0.01, 0.5, 0.99])
    for r in rows:
        assert r["‖π − y‖, rest even"] <= r["‖π − y‖, rest on one"] <= SQRT2


def test_gradient_properties_and_bins():
    X, y = demo_dataset(DATASETS[0])
    props = gradient_properties(np.array(START_W), np.array(START_B), X, y)
    assert props.n_true_negative == props.n_others_non_negative == len(y)
    assert props.max_norm <= SQRT2
    bins = confidence_bins(props)
    assert sum(row["samples"] for row in bins) == len(y)


def test_train_steps_lower_the_loss_and_datasets():
    X, y = demo_dataset(DATASETS[0])
    W, b, losses, diverged = train_steps(START_W, START_B, X, y, lr=0.5, steps=20)
    assert W.shape == (3, 2) and b.shape == (3,)
    assert np.all(np.diff(losses) < 0) and not diverged
    W, b, losses, diverged = train_steps(START_W, START_B, X, y, lr=1e4, steps=500, l2=10.0)
    assert diverged and len(losses) < 500
    assert np.all(np.isfinite(W)) and np.max(np.abs(W)) <= 1e6
    _, _, _, diverged = train_steps(START_W, START_B, X, y, lr=0.5, steps=500, limit=1.0)
    assert diverged
    X1, y1 = demo_dataset(DATASETS[1])
    assert X1.shape == (24, 2) and y1.shape == (24,)
    with pytest.raises(ValueError, match="data set"):
        demo_dataset("nope")


# ---- logistic --------------------------------------------------------------------------------


def test_sigmoid_example_of_the_slides():
    z, a, one_minus_a = sigmoid_example()
    assert z == 3.0
    assert f"{a:.4f}" == "0.9526" and f"{one_minus_a:.4f}" == "0.0474"


@settings(max_examples=40, deadline=None)
@given(st.floats(-40, 40), st.floats(-40, 40))
def test_two_class_softmax_is_the_sigmoid(z1, z2):
    assert two_class(z1, z2).difference < 1e-12


@pytest.mark.parametrize("z", [-30.0, -1.0, 0.0, 2.5, 40.0])
@pytest.mark.parametrize("label", [0, 1])
def test_binary_cross_entropy_is_two_class_cross_entropy(z, label):
    bce, ce = binary_cross_entropy(z, label)
    assert bce == pytest.approx(ce, rel=1e-12, abs=1e-15)


def test_three_gradients_share_prediction_minus_truth():
    X, y = binary_dataset()
    assert X.shape == (8, 2) and set(y) == {0, 1}
    tg = three_gradients([0.5, -0.3], 0.2, X, y)
    np.testing.assert_allclose(tg.grad_logistic, tg.grad_softmax, atol=1e-14)
    np.testing.assert_allclose(tg.a_logistic, tg.a_softmax, atol=1e-14)
    np.testing.assert_allclose(tg.grad_linear, 2 / 8 * X.T @ (tg.a_linear - y))
    assert tg.max_fd_error < 1e-8


# ---- round 2 (issue 23): each item that was wrong, as a test that fails on the old code ------


def test_tempered_jacobian_is_in_z_not_in_z_over_t():
    from lessons.numerics import central_jacobian
    from lessons.softmax_lessons import check_tempered_jacobian

    check = check_tempered_jacobian([0.0, 0.0], 2.0)
    assert check.analytic[0, 0] == pytest.approx(0.125)  # the old page showed 0.2500
    # an oracle of its own: differences of z -> softmax(z / 2) in z
    numeric = central_jacobian(lambda v: np.exp(v / 2) / np.exp(v / 2).sum(), [0.0, 0.0])
    np.testing.assert_allclose(check.analytic, numeric, atol=1e-9)
    assert check.max_error < 1e-9


def test_shift_check_uses_the_naive_formula_in_both_columns():
    z = np.array([2.0, 1.0, 0.1])
    for c in (-700.0, -300.0, 300.0, 700.0):
        check = shift_check(z, c)
        assert not check.naive_failed
        assert check.max_difference < 1e-12
        np.testing.assert_allclose(check.naive_shifted, np.exp(z) / np.exp(z).sum(), rtol=1e-12)
    assert shift_check(z, 750.0).naive_failed  # overflow: the column is really naive
    assert shift_check(z, -760.0).naive_failed  # underflow: 0 / 0


def test_overflow_demo_shows_underflow_too():
    from lessons.softmax_lessons import EXP_UNDERFLOW

    demo = overflow_demo([-1000.0, -1001.0, -1002.0])
    assert demo.naive_failed
    np.testing.assert_allclose(demo.stable, overflow_demo([0.0, -1.0, -2.0]).stable)
    assert abs(EXP_UNDERFLOW + 745.13) < 0.01
    assert np.exp(EXP_UNDERFLOW - 1e-6) == 0.0 < np.exp(EXP_UNDERFLOW + 1e-6)


def test_soft_label_minimum_is_the_entropy_of_the_target():
    from lessons.information import soft_label_loss, soft_label_minimum

    y = np.array([0.8, 0.1, 0.1])
    assert soft_label_minimum(y) == pytest.approx(0.639, abs=5e-4)
    # reached at pi = y (logits log y), and no other logits go lower
    assert soft_label_loss(np.log(y), y) == pytest.approx(soft_label_minimum(y))
    rng = np.random.default_rng(0)
    assert min(soft_label_loss(rng.normal(size=3) * 3, y) for _ in range(200)) > 0.639
    assert soft_label_minimum([0.0, 1.0, 0.0]) == 0.0


def test_the_notebooks_clipped_gradient_is_essentially_exact():
    demo = clipping_demo(50.0)
    assert demo.clipped_loss == pytest.approx(CLIP_CAP_NATS)  # the reported loss is capped
    assert abs(demo.notebook_grad - demo.exact_grad) <= 1e-15  # its gradient is not
    assert demo.clipped_grad == 0.0  # only autograd through the clip sees a flat loss


def test_weight_gradient_bound_is_sqrt2_times_the_input_norm():
    X, y = demo_dataset(DATASETS[0])
    props = gradient_properties(np.array(START_W) * 10, np.array(START_B), X, y)
    assert np.all(props.weight_norms <= SQRT2 * props.x_norms + 1e-12)
    assert np.max(props.weight_norms) > SQRT2  # bounded in the logits, not in the weights


def test_hessian_is_the_kronecker_formula_and_positive_semidefinite():
    from lessons.gradient_extras import check_weight_hessian

    X, y = demo_dataset(DATASETS[0])
    check = check_weight_hessian(np.array(START_W), np.array(START_B), X, y, 0.0)
    assert check.max_error < 1e-7
    assert check.eigenvalues.min() > -1e-12
    assert np.sum(np.abs(check.eigenvalues) < 1e-10) == 2  # D directions: shift invariance
    ridge = check_weight_hessian(np.array(START_W), np.array(START_B), X, y, 0.5)
    assert ridge.eigenvalues.min() == pytest.approx(0.5, abs=1e-9)


def test_separable_notebook_data_have_no_optimum_without_l2():
    from lessons.gradient_extras import separable_run

    free = separable_run(0.0, steps=(10, 100, 1000))
    assert free.optimum_loss is None
    assert list(free.losses) == sorted(free.losses, reverse=True)
    assert list(free.largest_weight) == sorted(free.largest_weight)  # keeps growing
    ridge = separable_run(0.01, steps=(10, 100, 1000))
    assert ridge.optimum_loss is not None
    assert ridge.losses[-1] == pytest.approx(ridge.optimum_loss, abs=1e-4)


def test_feature_map_gradient_is_pi_minus_y_times_phi():
    from lessons.gradient_extras import feature_map_gradient

    X, y = demo_dataset(DATASETS[0])
    fm = feature_map_gradient(X, y, 5)
    assert fm.dW.shape == (3, 4)
    assert fm.max_error < 1e-8


def test_two_class_softmax_moves_the_difference_twice_as_fast():
    from lessons.logistic_lessons import difference_speed

    X, y = binary_dataset()
    logistic_step, softmax_step = difference_speed([0.5, -0.3], 0.2, X, y, lr=0.1)
    np.testing.assert_allclose(softmax_step, 2 * logistic_step, rtol=1e-12)


def test_notation_names_and_one_format_per_column():
    from charts.latex import fixed
    from lessons.notation import GLOSSARY, weight_name

    assert weight_name(0, 1) == "W₁₂"  # class 1, feature 2
    assert any("K × D" in s.meaning or "K\\times D" in s.latex for s in GLOSSARY)
    assert fixed([0.659, 0.2424, 1.4e-16, -1e-9, np.nan]) == [
        "0.6590",
        "0.2424",
        "0.0000",
        "0.0000",
        "NaN",
    ]
