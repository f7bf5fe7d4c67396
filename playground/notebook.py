"""The current run as a Jupyter notebook (.ipynb): the notes' method, one step per cell.

Built from the same information as ``export.training_script`` (settings, data, split,
initial weights, batch order, optimiser, number of steps) and with the same streams, so its
last cell prints the app's training loss (a test runs the code cells in a fresh interpreter
and compares to 1e-9). The steps are the slides' method: 1 modeling, 2 prediction (forward
propagation), 3 loss and cost, 4 gradient descent (backward propagation), with the
derivation notes' formulas, written in plain NumPy (one-hot Y, Pi - Y) rather than the app's
fused kernels. It trains with the current settings from step 0, so it reproduces a run
whose settings did not change mid-run; when they did (the run's timeline has more than one
segment) its first cell says so and points to the NumPy script, which replays the timeline.

``notebook_bytes(session)`` is the Export tab's download callable: it runs when the user
clicks, outside any script run, so it gets the session object, not ``st.session_state``.
"""

from __future__ import annotations

import math

import nbformat
import numpy as np
from nbformat.v4 import nbjson

from . import export
from .session import PlaygroundSession


def new_markdown_cell(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def new_code_cell(source: str) -> dict:
    return {
        "cell_type": "code",
        "metadata": {},
        "source": source,
        "execution_count": None,
        "outputs": [],
    }


def _array(a) -> str:
    """A NumPy literal that reproduces ``a`` exactly (Python's float repr round-trips)."""
    a = np.asarray(a)
    if a.ndim == 1:
        return f"np.array({a.tolist()!r})"
    return "np.array([\n" + "".join(f"    {row!r},\n" for row in a.tolist()) + "])"


def _data_code(session: PlaygroundSession) -> tuple[str, str]:
    """(markdown, code) that rebuild X (N, D) and y (N,) exactly as the app has them (for
    2-D data with extra features, X = phi(points))."""
    if session.dataset is None:
        md, code = _planar_data_code(session)
        phi = export.phi_code(session, _array)
        if phi:
            md += (
                "\n\nThe model sees the features "
                rf"$\varphi(x) = ({', '.join(session.fmap.names)})$, so it stays linear in "
                "its features, $z = W^\top\varphi(x) + b$, while its boundaries are curves "
                "in the plane. Each extra feature is standardised with the training rows' mean "
                "and standard deviation."
            )
            code = code.replace("print(X.shape, np.bincount(y))", phi.rstrip("\n"))
            code += "\nprint(X.shape, np.bincount(y))"
        return md, code
    return _table_data_code(session)


def _planar_data_code(session: PlaygroundSession) -> tuple[str, str]:
    s = session.settings
    if session.is_curved or session.edits:
        md = (
            f"## The data\n\nThe {s.source} data set as the app generated it "
            f"({session.n_classes} classes of {s.n_per_class} points"
            + (f", noise {s.noise:g}" if session.is_curved else "")
            + (", with the points drawn or removed by hand" if session.edits else "")
            + ")."
        )
        code = (
            f"X = {_array(session.X2)}\n"
            "y = np.array([" + ", ".join(str(int(v)) for v in session.y) + "])\n"
        )
        if session.edits:  # drawn points are training points: the app's split as a literal
            code += "IS_TEST = np.array([" + ", ".join(str(bool(v)) for v in session.is_test)
            code += "])\n"
        code += "print(X.shape, np.bincount(y))"
        return md, code
    md = (
        "## The data\n\n"
        f"{session.n_classes} Gaussian classes of {s.n_per_class} points each: "
        r"$x = c_k + \sigma\,\varepsilon$, $\varepsilon \sim \mathcal N(0, I)$, "
        "each class drawn from its own random stream (seed, k), rows grouped by class."
    )
    code = (
        f"CENTRES = {_array(np.asarray(s.centres, dtype=np.float64))}\n"
        f"N_PER_CLASS = {s.n_per_class}\n"
        f"SPREAD = {float(s.spread)!r}\n"
        "offsets = np.stack(\n"
        "    [np.random.default_rng([SEED, k]).standard_normal((N_PER_CLASS, 2))"
        " for k in range(K)]\n"
        ")\n"
        "X = (CENTRES[:, None, :] + SPREAD * offsets).reshape(-1, 2)\n"
        "y = np.repeat(np.arange(K), N_PER_CLASS)\n"
        "print(X.shape, np.bincount(y))"
    )
    return md, code


def _table_data_code(session: PlaygroundSession) -> tuple[str, str]:
    X = export.raw_features(session)
    md = (
        f"## The data\n\n{session.dataset.name}: the trained columns "
        f"({', '.join(export.feature_names(session))}) in their own units, dragged classes "
        f"included; classes {', '.join(export.class_names(session))}."
    )
    code = (
        f"X_RAW = {_array(X)}\ny = np.array([" + ", ".join(str(int(v)) for v in session.y) + "])\n"
    )
    if session.raw_scale is not None:
        md += " Standardised with the mean and standard deviation of the training rows."
        code += (
            f"MEAN = {_array(session.raw_mean)}\nSCALE = {_array(session.raw_scale)}\n"
            "X = (X_RAW - MEAN) / SCALE\n"
        )
    else:
        code += "X = X_RAW\n"
    return md, code + "print(X.shape, np.bincount(y))"


_SPLIT = """# Stratified split: round(TEST_FRACTION * n_k) test rows of each class (at least one
# training row kept), from its own stream (SEED, 10000).
rng = np.random.default_rng([SEED, 10_000])
is_test = np.zeros(y.shape[0], dtype=bool)
for k in np.unique(y):
    rows = np.flatnonzero(y == k)
    n_test = min(round(TEST_FRACTION * rows.size), rows.size - 1)
    is_test[rng.permutation(rows)[:n_test]] = True
X_train, y_train = X[~is_test], y[~is_test]
N, D = X_train.shape
print(f"{N} training rows, {int(is_test.sum())} test rows, D = {D}, K = {K}")"""


def _split_code(session: PlaygroundSession) -> str:
    """The split cell; with drawn points (training points) the app's split as a literal."""
    if not session.edits:
        return _SPLIT
    start = _SPLIT.index("rng = ")
    end = _SPLIT.index("X_train, y_train")
    return _SPLIT[:start] + "is_test = IS_TEST  # drawn points train\n" + _SPLIT[end:]


_MODEL = """def logits(X, W, b):
    \"\"\"z_i = W^T x_i + b for every row: Z (N, K).\"\"\"
    return X @ W + b


W = np.random.default_rng([SEED, 0]).standard_normal((D, K)) * 0.01  # small random start
b = np.zeros(K)"""

_FORWARD = """def softmax(Z):
    \"\"\"pi_k = exp(z_k) / sum_j exp(z_j), row by row; the max is subtracted first so
    exp never overflows (the result is the same: softmax is shift invariant).\"\"\"
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def one_hot(y, K):
    Y = np.zeros((y.size, K))
    Y[np.arange(y.size), y] = 1.0
    return Y


Pi = softmax(logits(X_train, W, b))
print("first row of pi:", Pi[0].round(4), " sum:", Pi[0].sum())"""

_LOSS = """def cost(X, y, W, b):
    \"\"\"J = -(1/N) sum_i log pi_{i, y_i} + (l2 / 2) ||W||^2, with
    log pi_{i, y_i} = z_{i, y_i} - logsumexp(z_i) (never log of a clipped pi).\"\"\"
    Z = logits(X, W, b)
    z_max = Z.max(axis=1)
    logsumexp = z_max + np.log(np.exp(Z - z_max[:, None]).sum(axis=1))
    cross_entropy = np.mean(logsumexp - Z[np.arange(y.size), y])
    return float(cross_entropy + 0.5 * L2 * np.sum(W * W))


print("J at the start:", cost(X_train, y_train, W, b))"""

_GRADIENT = """def gradients(X, y, W, b):
    \"\"\"dJ/dW = X^T (Pi - Y) / N + l2 W (D, K) and dJ/db = mean of (Pi - Y) (K,).\"\"\"
    residual = softmax(logits(X, W, b)) - one_hot(y, K)  # pi - y, one row per sample
    n = X.shape[0]
    return X.T @ residual / n + L2 * W, residual.sum(axis=0) / n


def batches(n, size, rng):
    \"\"\"Each epoch a fresh permutation cut into batches (rows sorted within a batch).\"\"\"
    while True:
        order = rng.permutation(n)
        for start in range(0, n, size):
            yield np.sort(order[start : start + size])"""

_LOOP = """batch_rows = None
if OPTIMIZER != "gd" and BATCH_SIZE is not None and BATCH_SIZE < N:
    batch_rows = batches(N, BATCH_SIZE, np.random.default_rng([SEED, 1]))
velocity = [np.zeros_like(W), np.zeros_like(b)]  # momentum, beta = 0.9
m1 = [np.zeros_like(W), np.zeros_like(b)]  # Adam: beta1 = 0.9, beta2 = 0.999, eps = 1e-8
m2 = [np.zeros_like(W), np.zeros_like(b)]
for t in range(1, STEPS + 1):
    rows = next(batch_rows) if batch_rows is not None else slice(None)
    dW, db = gradients(X_train[rows], y_train[rows], W, b)
    for p, g, v, m, s in zip([W, b], [dW, db], velocity, m1, m2):
        if OPTIMIZER == "momentum":
            v *= 0.9
            v += g
            p -= LR * v
        elif OPTIMIZER == "adam":
            m *= 0.9
            m += (1.0 - 0.9) * g
            s *= 0.999
            s += (1.0 - 0.999) * g * g
            p -= LR * (m / (1.0 - 0.9**t)) / (np.sqrt(s / (1.0 - 0.999**t)) + 1e-8)
        else:
            p -= LR * g  # W <- W - lr dJ/dW, b <- b - lr dJ/db"""

_RESULT = """final_loss = cost(X_train, y_train, W, b)
accuracy = np.mean(np.argmax(logits(X_train, W, b), axis=1) == y_train)
print(f"steps {STEPS}  train accuracy {accuracy:.4f}")
print(f"final loss {final_loss!r}")"""


def build_notebook(session: PlaygroundSession) -> nbformat.NotebookNode:
    """The notebook of ``session``'s run (valid under ``nbformat.validate``)."""
    s = session.settings
    with session.lock:
        steps = session.trainer.step_count
        loss = session.trainer.evaluate().train_loss
        data_md, data_code = _data_code(session)
        changes = len(session.timeline.segments) - 1
    batch = s.batch_size if s.optimizer != "gd" and s.batch_size else None
    app_loss = f"{loss!r}" if math.isfinite(loss) else "not finite (the run diverged)"
    cells = [
        new_markdown_cell(
            "# Softmax regression, step by step\n\n"
            f"This notebook redoes a run of the softmax playground: {steps} steps of "
            f"`{s.optimizer}` with learning rate {s.lr:g} and L2 {s.l2:g} on "
            f"{'Gaussian classes' if session.dataset is None else session.dataset.name}. "
            f"The app's training loss at that step was **{app_loss}**; the last cell prints "
            "the loss that this notebook reaches. It follows the method of the slides "
            "(modeling, prediction, loss and cost, gradient descent) with the formulas of "
            "the derivation notes, in plain NumPy. "
            + (
                f"**This run's settings or data changed {changes} time"
                f"{'s' if changes > 1 else ''} mid-run**: the notebook trains with the "
                "current ones from step 0, so its loss will differ from the app's. The "
                "Export section's NumPy script replays the run's timeline exactly."
                if changes
                else "(It matches the app because the run used these settings from step 0.)"
            )
        ),
        new_code_cell(
            "import numpy as np\n\n"
            f"SEED = {s.seed}\nK = {session.n_classes}\n"
            f"TEST_FRACTION = {float(s.test_fraction)!r}\n"
            f'OPTIMIZER = "{s.optimizer}"  # gd, sgd, momentum or adam\n'
            f"LR = {float(s.lr)!r}\nL2 = {float(s.l2)!r}\n"
            f"BATCH_SIZE = {batch}  # None: the full batch\nSTEPS = {steps}"
        ),
        new_markdown_cell(data_md),
        new_code_cell(data_code),
        new_markdown_cell("Hold out a test set: the same stratified split as the app."),
        new_code_cell(_split_code(session)),
        new_markdown_cell(
            "## Step 1. Modeling\n\nOne linear score (logit) per class: "
            r"$z_k = \mathbf w_k^\top \mathbf x + b_k$, that is "
            r"$\mathbf z = W^\top \mathbf x + \mathbf b$ with $W$ of shape (D, K)."
        ),
        new_code_cell(_MODEL),
        new_markdown_cell(
            "## Step 2. Prediction (forward propagation)\n\nSoftmax turns the logits into "
            r"probabilities: $\pi_k = e^{z_k} / \sum_{j=1}^{K} e^{z_j}$; the prediction is "
            r"$\arg\max_k \pi_k$. The label $y$ is written one-hot, $\mathbf y = \mathbf e_y$."
        ),
        new_code_cell(_FORWARD),
        new_markdown_cell(
            "## Step 3. Loss and cost function\n\nCross-entropy of one sample "
            r"$L = -\sum_k y_k \log \pi_k = -\log \pi_y$, averaged over the N training "
            r"samples, plus the L2 penalty: $J = \frac1N \sum_i L_i + \frac{\lambda}{2}\|W\|^2$ "
            "(the bias is not penalised)."
        ),
        new_code_cell(_LOSS),
        new_markdown_cell(
            "## Step 4. Gradient descent (backward propagation)\n\nThe derivation notes' "
            r"result: $\partial L / \partial \mathbf z = \boldsymbol\pi - \mathbf y$, so "
            r"$\partial J/\partial W = \frac1N X^\top(\Pi - Y) + \lambda W$ and "
            r"$\partial J/\partial \mathbf b = \frac1N \sum_i (\boldsymbol\pi_i - \mathbf y_i)$;"
            r" each step moves $W \leftarrow W - \eta\, \partial J/\partial W$ (momentum and "
            "Adam reshape the step; mini-batches use a few rows at a time)."
        ),
        new_code_cell(_GRADIENT),
        new_markdown_cell("## Training\n\nThe loop the app ran, step for step."),
        new_code_cell(_LOOP),
        new_markdown_cell(f"## Result\n\nThe app showed {app_loss} at step {steps}."),
        new_code_cell(_RESULT),
    ]
    # Plain dicts: nbformat.v4.new_*_cell validates every cell (11 ms a notebook, on every
    # page run); the tests validate the whole notebook instead.
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.from_dict(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {"kernelspec": kernel, "language_info": {"name": "python"}},
            "cells": [{"id": f"cell-{i}", **c} for i, c in enumerate(cells)],
        }
    )


def notebook_bytes(session: PlaygroundSession, validate: bool = False) -> bytes:
    """``build_notebook`` serialised (UTF-8 JSON); ``validate`` also checks it against the
    nbformat schema (about 10 ms: the tests do, the page run does not)."""
    nb = build_notebook(session)
    if validate:
        nbformat.validate(nb)
    return nbjson.writes(nb).encode("utf-8")


def code_of(nb: nbformat.NotebookNode) -> str:
    """The code cells joined into one script (how the tests run a notebook without Jupyter)."""
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "code") + "\n"
