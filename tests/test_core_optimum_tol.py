"""Issue 16: solve_optimum honours ``tol`` and agrees with scikit-learn on the digits.

Intercept-only data (X = 0, l2 = 0) has a closed-form optimum: softmax(b) = the class
frequencies, so b = log(counts) up to a constant (centred here)."""

from __future__ import annotations

import numpy as np
import pytest

import softmax_core as sc

COUNTS = (10, 15, 25)


def intercept_only():
    y = np.repeat(np.arange(3), COUNTS)
    return np.zeros((y.size, 1)), y


@pytest.mark.parametrize("tol", [1e-10, 2e-14])
def test_tol_is_reached_on_intercept_only_data(tol):
    X, y = intercept_only()
    W, b = sc.solve_optimum(X, y, 0.0, tol=tol)
    _, dW, db = sc.loss_and_gradients(W, b, X, y, 0.0)
    assert max(np.abs(dW).max(), np.abs(db).max()) < tol
    expected = np.log(COUNTS) - np.log(COUNTS).mean()
    np.testing.assert_allclose(b, expected, rtol=0, atol=1e-13)


def test_tol_of_zero_is_refused_with_a_reason():
    X, y = intercept_only()
    with pytest.raises(ValueError, match="tol must be > 0"):
        sc.solve_optimum(X, y, 0.0, tol=0.0)


def test_unreachable_tol_says_why_and_returns_the_best_point():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((300, 2)) * 50, rng.integers(0, 3, 300)
    with pytest.warns(sc.ToleranceWarning, match="not tol = 1e-300"):
        W, b = sc.solve_optimum(X, y, 0.1, tol=1e-300)
    _, dW, db = sc.loss_and_gradients(W, b, X, y, 0.1)
    assert max(np.abs(dW).max(), np.abs(db).max()) < 1e-12


def test_digits_newton_cg_agrees_with_sklearn_within_1e6():
    datasets = pytest.importorskip("sklearn.datasets")
    lm = pytest.importorskip("sklearn.linear_model")
    X, y = datasets.load_digits(return_X_y=True)
    sd = X.std(axis=0)
    X = (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    l2 = 1.0 / X.shape[0]  # C = 1 / (l2 N) = 1
    W, b = sc.solve_optimum(X, y, l2)
    loss, dW, db = sc.loss_and_gradients(W, b, X, y, l2)
    assert max(np.abs(dW).max(), np.abs(db).max()) < 1e-10
    ref = lm.LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-12, max_iter=1000)
    ref.fit(X, y)
    assert np.abs(sc.predict_proba(W, b, X) - ref.predict_proba(X)).max() < 1e-6
    assert loss <= sc.loss_and_gradients(ref.coef_.T, ref.intercept_, X, y, l2)[0] + 1e-15
