"""solve_optimum (Newton) against scikit-learn's LogisticRegression as the reference solver.

scikit-learn's lbfgs minimises  mean CE + (1 / (2 C N)) ||coef||^2  (intercept unpenalised);
ours is  mean CE + (l2 / 2) ||W||^2, so C = 1 / (l2 N) for K >= 3. K = 2 differs: see
``test_two_classes_match_sklearn_with_c_doubled``. scikit-learn is a test-only dependency.
"""

from __future__ import annotations

import numpy as np
import pytest

import softmax_core as sc

sklearn_lm = pytest.importorskip("sklearn.linear_model")


def overlapping_classes(k: int, n_per_class: int = 60, seed: int = 1):
    """K Gaussian classes close enough to overlap, so every l2 >= 0 has a finite optimum."""
    return sc.make_gaussian_classes(sc.default_centres(k, 1.0), n_per_class, 1.0, seed)


def fit_sklearn(X, y, C):
    clf = sklearn_lm.LogisticRegression(C=C, tol=1e-12, max_iter=100_000)
    return clf.fit(X, y)


def centred(b):
    return b - b.mean()


@pytest.mark.parametrize(("k", "l2"), [(3, 0.05), (4, 0.01), (5, 0.2), (3, 1e-3)])
def test_k_classes_match_sklearn(k, l2):
    X, y = overlapping_classes(k)
    n = X.shape[0]
    W, b = sc.solve_optimum(X, y, l2)
    clf = fit_sklearn(X, y, C=1.0 / (l2 * n))
    W_sk, b_sk = clf.coef_.T, clf.intercept_
    assert W.shape == W_sk.shape == (2, k)
    np.testing.assert_allclose(sc.predict_proba(W, b, X), clf.predict_proba(X), atol=1e-5)
    loss = sc.loss_and_gradients(W, b, X, y, l2)[0]
    loss_sk = sc.loss_and_gradients(W_sk, b_sk, X, y, l2)[0]
    assert loss == pytest.approx(loss_sk, abs=1e-5)
    assert loss <= loss_sk + 1e-12  # Newton's optimum is at least as good
    np.testing.assert_allclose(W, W_sk, atol=1e-5)
    # adding one constant to every bias leaves the model unchanged: compare centred biases
    np.testing.assert_allclose(centred(b), centred(b_sk), atol=1e-5)


@pytest.mark.parametrize("l2", [0.05, 1e-3])
def test_two_classes_match_sklearn_with_c_doubled(l2):
    """K = 2: scikit-learn fits one vector beta, P(y = 1) = sigmoid(beta . x + beta_0),
    penalised by (1 / (2 C N)) ||beta||^2. Ours has two columns with P(y = 1) =
    sigmoid((w1 - w0) . x + b1 - b0), so beta = w1 - w0. For a fixed beta, the penalty
    (l2 / 2)(||w0||^2 + ||w1||^2) is smallest at w0 = -beta / 2, w1 = beta / 2, so at the
    optimum w0 = -w1 and our penalty is (l2 / 2)(2 ||beta / 2||^2) = (l2 / 4) ||beta||^2.
    Equal penalties need 1 / (2 C N) = l2 / 4, i.e. C = 2 / (l2 N), and then
    W_ours = [-beta / 2, beta / 2]; the biases match after removing their mean.
    """
    X, y = overlapping_classes(2)
    n = X.shape[0]
    W, b = sc.solve_optimum(X, y, l2)
    np.testing.assert_allclose(W[:, 0], -W[:, 1], rtol=1e-10, atol=1e-12)  # w0 = -w1
    beta_ours = W[:, 1] - W[:, 0]
    penalty_ours = 0.5 * l2 * np.sum(W * W)
    assert penalty_ours == pytest.approx(0.25 * l2 * beta_ours @ beta_ours, rel=1e-10)

    clf = fit_sklearn(X, y, C=2.0 / (l2 * n))
    beta, beta0 = clf.coef_[0], clf.intercept_[0]
    np.testing.assert_allclose(W, np.stack([-beta / 2, beta / 2], axis=1), atol=1e-5)
    np.testing.assert_allclose(centred(b), [-beta0 / 2, beta0 / 2], atol=1e-5)
    np.testing.assert_allclose(sc.predict_proba(W, b, X), clf.predict_proba(X), atol=1e-5)

    # and the naive C = 1 / (l2 N) gives a different (less regularised) model
    wrong = fit_sklearn(X, y, C=1.0 / (l2 * n)).coef_[0]
    assert np.max(np.abs(wrong - beta)) > 1e-3


def test_unregularised_optimum_matches_sklearn_without_penalty():
    X, y = overlapping_classes(3)
    W, b = sc.solve_optimum(X, y, 0.0)
    clf = fit_sklearn(X, y, C=np.inf)
    np.testing.assert_allclose(sc.predict_proba(W, b, X), clf.predict_proba(X), atol=1e-5)
    # with l2 = 0 only W up to a common column is determined: compare centred columns
    W_sk = clf.coef_.T
    np.testing.assert_allclose(W, W_sk - W_sk.mean(axis=1, keepdims=True), atol=1e-5)
    np.testing.assert_allclose(W.sum(axis=1), 0.0, atol=1e-12)


@pytest.mark.parametrize("l2", [0.0, 1e-3, 0.1, 3.0])
def test_gradient_vanishes_at_the_optimum(l2):
    X, y = overlapping_classes(4, seed=3)
    W, b = sc.solve_optimum(X, y, l2)
    _, dW, db = sc.loss_and_gradients(W, b, X, y, l2)
    assert np.max(np.abs(dW)) < 1e-8 and np.max(np.abs(db)) < 1e-8
    # and it is a minimum: random perturbations only raise the loss
    rng = np.random.default_rng(0)
    loss = sc.loss_and_gradients(W, b, X, y, l2)[0]
    for _ in range(5):
        dW_, db_ = 1e-3 * rng.standard_normal(W.shape), 1e-3 * rng.standard_normal(b.shape)
        assert sc.loss_and_gradients(W + dW_, b + db_, X, y, l2)[0] >= loss - 1e-15


def test_optimum_with_soft_targets_has_zero_gradient():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((80, 3))
    Y = rng.dirichlet(np.ones(4), 80)
    W, b = sc.solve_optimum(X, Y, 0.05)
    _, dW, db = sc.loss_and_gradients(W, b, X, Y, 0.05)
    assert max(np.max(np.abs(dW)), np.max(np.abs(db))) < 1e-8


SEPARABLE = {
    "far-apart-3": lambda: sc.make_gaussian_classes(
        [[-5.0, 0.0], [5.0, 0.0], [0.0, 6.0]], 20, 0.3, seed=0
    ),
    "far-apart-2": lambda: sc.make_gaussian_classes([[-3.0, 0.0], [3.0, 0.0]], 30, 0.5, seed=2),
    # seed note 000's labels are the argmax of a linear model: separable by construction
    "seed000": lambda: sc.make_linear_softmax_data(300, 2, 3)[:2],
}


@pytest.mark.parametrize("name", SEPARABLE)
def test_separable_data_without_l2_has_no_optimum(name):
    X, y = SEPARABLE[name]()
    W, b = sc.solve_optimum(X, y, 0.01)  # a penalty makes the optimum finite
    assert np.max(np.abs(sc.loss_and_gradients(W, b, X, y, 0.01)[1])) < 1e-8
    with pytest.raises(sc.NoOptimumError, match="separable"):
        sc.solve_optimum(X, y, 0.0)


def test_solve_optimum_infers_or_takes_n_classes():
    X, y = overlapping_classes(3)
    W, b = sc.solve_optimum(X, y, 0.1, n_classes=5)  # classes 3 and 4 have no samples
    assert W.shape == (2, 5) and b.shape == (5,)
    probs = sc.predict_proba(W, b, X)
    assert np.all(probs[:, 3:] < 1e-3)
