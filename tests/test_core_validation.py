"""Every ValueError of the public functions, with the message that names the bad value."""

from __future__ import annotations

import numpy as np
import pytest

import softmax_core as sc
from softmax_core.optimizers import MiniBatches, make_optimizer

rng = np.random.default_rng(0)
X = rng.standard_normal((6, 2))
y = np.array([0, 1, 2, 0, 1, 2])
W = rng.standard_normal((2, 3))
b = np.zeros(3)
Y = np.full((6, 3), 1 / 3)
X_nan = X.copy()
X_nan[2, 1] = np.nan
X_inf = X.copy()
X_inf[0, 0] = np.inf
Y_bad_sum = Y.copy()
Y_bad_sum[1] = [0.5, 0.4, 0.0]
Y_negative = Y.copy()
Y_negative[0] = [1.5, -0.5, 0.0]


def lg(**kw):
    """loss_and_gradients with one argument replaced."""
    args = {"W": W, "b": b, "X": X, "y": y, "l2": 0.0} | kw
    return lambda: sc.loss_and_gradients(args["W"], args["b"], args["X"], args["y"], args["l2"])


def trainer(**kw):
    args = {"X": X, "y": y, "n_classes": 3} | kw
    return lambda: sc.Trainer(**args)


CASES = {
    # softmax and friends
    "softmax-nan": (lambda: sc.softmax([1.0, np.nan]), r"logits must not contain NaN; it has 1"),
    "softmax-two-inf": (lambda: sc.softmax([[np.inf, np.inf]]), r"logits .* more than one \+inf"),
    "softmax-all-minus-inf": (lambda: sc.softmax([[-np.inf, -np.inf]]), "logits .* all -inf"),
    "logsumexp-nan": (lambda: sc.logsumexp([np.nan, 1.0]), "logits must not contain NaN"),
    "ce-all-minus-inf": (
        lambda: sc.cross_entropy([[-np.inf, -np.inf]], [0]),
        "logits .* all -inf",
    ),
    "sigmoid-nan": (lambda: sc.sigmoid([np.nan]), "z must not contain NaN"),
    "optimum-tol-zero": (lambda: sc.solve_optimum(X, y, 0.1, tol=0.0), "tol must be > 0"),
    "softmax-scalar": (lambda: sc.softmax(3.0), "at least one axis"),
    "softmax-text": (lambda: sc.softmax(["a", "b"]), "logits must be numeric"),
    "log-softmax-scalar": (lambda: sc.log_softmax(1.0), "at least one axis"),
    "log-softmax-nan": (lambda: sc.log_softmax([np.nan, 1.0]), "logits must not contain NaN"),
    "jacobian-scalar": (lambda: sc.softmax_jacobian(0.5), "probs must have at least one axis"),
    "jacobian-nan": (lambda: sc.softmax_jacobian([np.nan, 1.0]), "probs must be finite"),
    # cross-entropy: shapes and labels
    "ce-1d-logits": (lambda: sc.cross_entropy([1.0, 2.0], [0]), r"logits must be a 2-D array"),
    "ce-label-count": (
        lambda: sc.cross_entropy(np.zeros((3, 2)), [0, 1]),
        r"y must have 3 labels \(one per row of X\); got 2",
    ),
    "ce-label-too-big": (
        lambda: sc.cross_entropy(np.zeros((2, 3)), [0, 3]),
        r"labels in \[0, 3\); got 3",
    ),
    "ce-label-negative": (
        lambda: sc.cross_entropy(np.zeros((2, 3)), [0, -1]),
        r"labels in \[0, K\); got -1",
    ),
    "ce-label-fraction": (
        lambda: sc.cross_entropy(np.zeros((2, 3)), [0.0, 1.5]),
        "whole-number class labels",
    ),
    "ce-label-nan": (
        lambda: sc.cross_entropy(np.zeros((2, 3)), [0.0, np.nan]),
        "whole-number class labels",
    ),
    "ce-label-strings": (
        lambda: sc.cross_entropy(np.zeros((2, 3)), ["a", "b"]),
        "integer class labels; got dtype",
    ),
    "ce-targets-sum": (
        lambda: sc.cross_entropy(np.zeros((6, 3)), Y_bad_sum),
        "probability targets must have non-negative rows that sum to 1",
    ),
    "ce-targets-negative": (
        lambda: sc.cross_entropy(np.zeros((6, 3)), Y_negative),
        "non-negative rows that sum to 1",
    ),
    "ce-targets-columns": (
        lambda: sc.cross_entropy(np.zeros((6, 4)), Y),
        r"y must have 4 columns \(one per class\); got 3",
    ),
    "ce-targets-rows": (
        lambda: sc.cross_entropy(np.zeros((5, 3)), Y),
        r"y must have 5 rows \(one per row of X\); got 6",
    ),
    "ce-targets-nan": (
        lambda: sc.cross_entropy(np.zeros((2, 2)), [[np.nan, 1.0], [0.5, 0.5]]),
        "y must be finite",
    ),
    "ce-targets-3d": (
        lambda: sc.cross_entropy(np.zeros((2, 2)), np.zeros((2, 2, 1))),
        r"shape \(N,\) or probability targets of shape \(N, K\); got shape \(2, 2, 1\)",
    ),
    "ce-reduction": (
        lambda: sc.cross_entropy(np.zeros((1, 2)), [0], reduction="max"),
        "reduction must be 'mean', 'sum' or 'none'; got 'max'",
    ),
    # loss_and_gradients
    "lg-x-nan": (lg(X=X_nan), r"X must be finite; it has 1 NaN or infinite"),
    "lg-x-inf": (lg(X=X_inf), "X must be finite"),
    "lg-x-1d": (lg(X=X[:, 0]), r"X must be a 2-D array; got shape \(6,\)"),
    "lg-x-empty": (lg(X=np.zeros((0, 2)), y=np.zeros(0)), r"N >= 1 and D >= 1; got \(0, 2\)"),
    "lg-w-1d": (lg(W=W[0]), r"W must be a 2-D array of shape \(D, K\)"),
    "lg-w-one-class": (
        lg(W=W[:, :1], b=b[:1], y=np.zeros(6, dtype=int)),
        r"W.shape\[1\] \(K\) \(number of classes\) must be a whole number >= 2; got 1",
    ),
    "lg-w-wrong-d": (
        lg(W=np.zeros((3, 3))),
        r"W must have shape \(D, K\) = \(2, 3\); got \(3, 3\)",
    ),
    "lg-w-nan": (lg(W=np.full((2, 3), np.nan)), "W must be finite"),
    "lg-b-wrong": (lg(b=np.zeros(4)), r"b must have shape \(K,\) = \(3,\); got \(4,\)"),
    "lg-b-2d": (lg(b=np.zeros((1, 3))), r"b must be a 1-D array"),
    "lg-label-range": (lg(y=np.array([0, 1, 2, 3, 0, 1])), r"labels in \[0, 3\); got 3"),
    "lg-label-float": (lg(y=np.array([0, 1, 2, 0.5, 1, 2])), "whole-number"),
    "lg-targets-sum": (lg(y=Y_bad_sum), "sum to 1"),
    "lg-l2-negative": (lg(l2=-0.1), r"l2 must be a finite number >= 0; got -0.1"),
    "lg-l2-nan": (lg(l2=np.nan), "l2 must be a finite number >= 0"),
    "lg-l2-text": (lg(l2="big"), r"l2 must be a number >= 0; got 'big'"),
    "logits-w-shape": (lambda: sc.logits(np.zeros((3, 3)), b, X), r"W must have shape"),
    "predict-proba-b": (lambda: sc.predict_proba(W, np.zeros(2), X), "b must have shape"),
    "residuals-labels": (lambda: sc.residuals(W, b, X, y[:5]), "y must have 6 labels"),
    # trainer
    "trainer-lr-zero": (trainer(lr=0.0), r"lr must be > 0; got 0.0"),
    "trainer-lr-negative": (trainer(lr=-1.0), r"lr must be a finite number >= 0; got -1.0"),
    "trainer-lr-inf": (trainer(lr=np.inf), "lr must be a finite number"),
    "trainer-l2-negative": (trainer(l2=-1e-3), "l2 must be a finite number >= 0"),
    "trainer-k1": (trainer(n_classes=1, y=np.zeros(6)), r"K \(number of classes\) must be"),
    "trainer-k-bool": (trainer(n_classes=True), r"must be a whole number >= 2; got True"),
    "trainer-labels-range": (trainer(n_classes=2), r"labels in \[0, 2\); got 2"),
    "trainer-soft": (trainer(y=Y), r"y must be integer labels of shape \(N,\) for the trainer"),
    "trainer-x-nan": (trainer(X=X_nan), "X must be finite"),
    "trainer-optimizer": (trainer(optimizer="lbfgs"), "optimizer must be one of"),
    "trainer-batch-zero": (
        trainer(optimizer="sgd", batch_size=0),
        "batch_size must be a whole number >= 1 or None; got 0",
    ),
    "trainer-batch-fraction": (
        trainer(optimizer="sgd", batch_size=2.5),
        "batch_size must be a whole number",
    ),
    "trainer-x-test": (trainer(X_test=X_nan, y_test=y), "X_test must be finite"),
    "trainer-y-test": (trainer(X_test=X, y_test=y[:3]), "y_test must have 6 labels"),
    "make-optimizer": (lambda: make_optimizer("rmsprop"), "optimizer must be one of"),
    "minibatches": (lambda: MiniBatches(10, 0, rng), "batch_size must be >= 1; got 0"),
    "history-capacity": (lambda: sc.History(("loss",), capacity=5), "capacity must be an even"),
    # optimum
    "optimum-l2": (lambda: sc.solve_optimum(X, y, -1.0), "l2 must be a finite number >= 0"),
    "optimum-one-class": (
        lambda: sc.solve_optimum(X, np.zeros(6, dtype=int), 0.1),
        r"K \(number of classes\) must be a whole number >= 2; got 1",
    ),
    "optimum-too-big": (
        lambda: sc.solve_optimum(np.zeros((3, 2500)), [0, 1, 2], 0.1, n_classes=10),
        r"\(D\+1\)K = 25010 is above the limit of 20000",
    ),
    "optimum-x-inf": (lambda: sc.solve_optimum(X_inf, y, 0.1), "X must be finite"),
    "gd-rate-l2": (lambda: sc.gd_stable_learning_rate(X, -1), "l2 must be a finite number"),
    # grid
    "grid-w-3d-inputs": (
        lambda: sc.evaluate_grid(np.zeros((3, 2)), np.zeros(2), (0, 1), (0, 1), 10),
        r"W must have shape \(2, K\) and b shape \(K,\); got \(3, 2\), \(2,\)",
    ),
    "grid-b": (
        lambda: sc.evaluate_grid(np.zeros((2, 3)), np.zeros(2), (0, 1), (0, 1), 10),
        r"W must have shape \(2, K\)",
    ),
    "grid-w-nan": (
        lambda: sc.evaluate_grid(np.full((2, 2), np.nan), np.zeros(2), (0, 1), (0, 1), 10),
        "W must be finite",
    ),
    "grid-range-reversed": (
        lambda: sc.evaluate_grid(W, b, (1, 0), (0, 1), 10),
        "x_range and y_range must be finite",
    ),
    "grid-range-nan": (
        lambda: sc.evaluate_grid(W, b, (0, 1), (0, np.nan), 10),
        "must be finite \\(low, high\\) with low < high",
    ),
    "grid-size-small": (
        lambda: sc.evaluate_grid(W, b, (0, 1), (0, 1), 1),
        r"size \(G\) must be a whole number in \[2, 2000\]; got 1",
    ),
    "grid-size-big": (lambda: sc.evaluate_grid(W, b, (0, 1), (0, 1), 5000), "got 5000"),
    "grid-size-fraction": (lambda: sc.evaluate_grid(W, b, (0, 1), (0, 1), 10.5), "got 10.5"),
    # data
    "gauss-centres-shape": (
        lambda: sc.make_gaussian_classes(np.zeros((3, 3)), 5, 1.0, 0),
        r"centres must have shape \(K, 2\); got \(3, 3\)",
    ),
    "gauss-one-centre": (
        lambda: sc.make_gaussian_classes([[0.0, 0.0]], 5, 1.0, 0),
        r"number of centres \(number of classes\) must be a whole number >= 2",
    ),
    "gauss-centre-nan": (
        lambda: sc.make_gaussian_classes([[0.0, np.nan], [1.0, 1.0]], 5, 1.0, 0),
        "centres must be finite",
    ),
    "gauss-n-zero": (
        lambda: sc.make_gaussian_classes([[0, 0], [1, 1]], 0, 1.0, 0),
        "n_per_class must be a whole number >= 1; got 0",
    ),
    "gauss-spread": (
        lambda: sc.make_gaussian_classes([[0, 0], [1, 1]], 5, -1.0, 0),
        "spread must be a finite number >= 0",
    ),
    "split-one": (lambda: sc.split_mask(y, 1.0, 0), r"test_fraction must be in \[0, 1\)"),
    "split-negative": (lambda: sc.split_mask(y, -0.1, 0), "test_fraction must be a finite"),
    "linear-data-k1": (
        lambda: sc.make_linear_softmax_data(10, 2, 1),
        r"n_classes \(number of classes\) must be",
    ),
    "default-centres-k1": (lambda: sc.default_centres(1), "must be a whole number >= 2"),
    # metrics and information
    "accuracy-shapes": (
        lambda: sc.accuracy([0, 1], [0, 1, 1]),
        "y_true and y_pred must be 1-D of one length",
    ),
    "confusion-range": (
        lambda: sc.confusion_matrix([0, 3], [0, 1], 3),
        r"labels must be in \[0, 3\)",
    ),
    "entropy-sum": (lambda: sc.entropy([0.5, 0.4]), "p must be a probability vector"),
    "entropy-negative": (lambda: sc.entropy([1.5, -0.5]), "p must be a probability vector"),
    "cross-entropy-shapes": (
        lambda: sc.distribution_cross_entropy([0.5, 0.5], [0.2, 0.3, 0.5]),
        "p and q must have the same shape",
    ),
    "kl-q": (lambda: sc.kl_divergence([0.5, 0.5], [0.2, 0.2]), "q must be a probability vector"),
    "kl-shapes": (
        lambda: sc.kl_divergence([1.0], [0.5, 0.5]),
        "p and q must have the same shape",
    ),
    "surprisal-range": (lambda: sc.surprisal([1.2]), r"p must hold probabilities in \[0, 1\]"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_raises_value_error_naming_it(name):
    call, message = CASES[name]
    with pytest.raises(ValueError, match=message):
        call()


def test_set_data_must_keep_the_number_of_features():
    t = sc.Trainer(X, y, 3)
    with pytest.raises(ValueError, match="X must keep D = 2 features; got 3"):
        t.set_data(np.zeros((4, 3)), [0, 1, 2, 0])
    with pytest.raises(ValueError, match=r"labels in \[0, 3\); got 5"):
        t.set_data(X, [0, 1, 2, 5, 0, 1])


def test_set_optimizer_rejects_unknown_names_and_bad_batches():
    t = sc.Trainer(X, y, 3)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        t.set_optimizer("newton")
    with pytest.raises(ValueError, match="batch_size must be a whole number >= 1 or None"):
        t.set_optimizer("adam", batch_size=-4)


def test_valid_inputs_of_every_kind_are_accepted():
    # the boundary accepts what it should: lists, ints, bool-free whole floats, one-hot floats
    sc.loss_and_gradients(W.tolist(), b.tolist(), X.tolist(), [0.0, 1.0, 2.0, 0, 1, 2], 0)
    sc.loss_and_gradients(W, b, X, np.eye(3)[y], 1)
    sc.cross_entropy(np.zeros((2, 2)), np.array([0, 1], dtype=np.uint8))
    sc.Trainer(X, y.astype(float), 3, lr=1e-9)
