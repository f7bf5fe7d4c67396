"""The Export section's training script: a NumPy-only Python file that redoes the run.

``training_script`` fills a template with the current settings (same data, split, initial
weights, batch order and optimiser) and the current number of steps; the script prints the
final training loss. No Streamlit here.
"""

from __future__ import annotations

import numpy as np

from .export import class_names, feature_names, phi_code, raw_features
from .session import PlaygroundSession


def _array(a, indent: str = "    ") -> str:
    """A NumPy literal that reproduces ``a`` exactly (repr of each float)."""
    a = np.asarray(a)
    if a.ndim == 1:
        return "np.array([" + ", ".join(repr(x.item()) for x in a) + "])"
    rows = ",\n".join(indent + "[" + ", ".join(repr(x.item()) for x in r) + "]" for r in a)
    return "np.array([\n" + rows + ",\n])"


def training_script(session: PlaygroundSession) -> str:
    """A self-contained NumPy script that reproduces the run and prints its final loss."""
    s = session.settings
    with session.lock:
        steps = session.trainer.step_count
        K = session.n_classes
        if session.is_curved or session.edits:
            data = _CURVED_DATA.format(
                source=s.source
                + (", with the points drawn or removed by hand" if session.edits else ""),
                x=_array(session.X2),
                y="np.array([" + ", ".join(str(int(v)) for v in session.y) + "])",
            )
        elif session.dataset is None:
            data = _GAUSS_DATA.format(
                centres=_array(np.asarray(s.centres, dtype=np.float64)),
                n=s.n_per_class,
                spread=repr(float(s.spread)),
            )
        else:
            X = raw_features(session)
            std = (
                f"MEAN = {_array(session.raw_mean)}\nSCALE = {_array(session.raw_scale)}\n"
                "X = (X_RAW - MEAN) / SCALE\n"
                if session.raw_scale is not None
                else "X = X_RAW\n"
            )
            data = _TABLE_DATA.format(
                name=session.dataset.name,
                features=list(feature_names(session)),
                classes=list(class_names(session)),
                x=_array(X),
                y="np.array([" + ", ".join(str(int(v)) for v in session.y) + "])",
                std=std,
            )
    batch = s.batch_size if s.optimizer != "gd" and s.batch_size else None
    script = _SCRIPT
    if session.edits:  # drawn points are training points: the app's split, as a literal
        data += "IS_TEST = np.array([" + ", ".join(str(bool(v)) for v in session.is_test) + "])\n"
        script = script.replace(_SPLIT_CODE, "is_test = IS_TEST\n")
    return script.format(
        source=s.source,
        seed=s.seed,
        k=K,
        test_fraction=repr(float(s.test_fraction)),
        optimizer=s.optimizer,
        lr=repr(float(s.lr)),
        l2=repr(float(s.l2)),
        batch=batch,
        steps=steps,
        data=(data + phi_code(session, _array)).rstrip("\n"),
    )


_GAUSS_DATA = """# Gaussian classes: n points per class, x = centre_k + spread * N(0, I),
# each class drawn from its own stream (SEED, k), rows grouped by class.
CENTRES = {centres}
N_PER_CLASS = {n}
SPREAD = {spread}
offsets = np.stack(
    [np.random.default_rng([SEED, k]).standard_normal((N_PER_CLASS, 2)) for k in range(K)]
)
X = (CENTRES[:, None, :] + SPREAD * offsets).reshape(-1, 2)
y = np.repeat(np.arange(K), N_PER_CLASS)
"""

_CURVED_DATA = """# The {source} data set as the app generated it (softmax_core.curved_data):
# the points (x1, x2) and their classes.
X = {x}
y = {y}
"""

_TABLE_DATA = """# {name}: the trained feature columns in their own units (dragged classes included)
FEATURES = {features}
CLASSES = {classes}
X_RAW = {x}
y = {y}
# Standardisation: mean and standard deviation of the training rows, before any drag.
{std}"""

_SCRIPT = '''"""Reproduce a softmax-playground training run with NumPy only; print the final loss.

Data source: {source}. Softmax regression, loss = mean cross-entropy + (l2 / 2) ||W||^2
(bias unpenalised), trained from scratch with the settings below. This matches the app when
its run used these settings from step 0 (changing a setting mid-run, resetting the weights or
dragging a class changes the app's trajectory, not this script's).
"""

import numpy as np

SEED = {seed}
K = {k}
TEST_FRACTION = {test_fraction}
OPTIMIZER = "{optimizer}"  # gd, sgd, momentum or adam
LR = {lr}
L2 = {l2}
BATCH_SIZE = {batch}  # None: the full batch
STEPS = {steps}

{data}

# Stratified split: round(TEST_FRACTION * n_k) test rows of each class (at least one training
# row kept), from its own stream (SEED, 10000).
rng = np.random.default_rng([SEED, 10_000])
is_test = np.zeros(y.shape[0], dtype=bool)
for k in np.unique(y):
    rows = np.flatnonzero(y == k)
    n_test = min(round(TEST_FRACTION * rows.size), rows.size - 1)
    is_test[rng.permutation(rows)[:n_test]] = True
X_train, y_train = X[~is_test], y[~is_test]
N, D = X_train.shape


def loss_and_gradients(X, y, W, b):
    """Mean cross-entropy + L2 term and its gradients; logits kept class-major (K, N)."""
    n = X.shape[0]
    Z = W.T @ np.ascontiguousarray(X.T) + b[:, None]
    z_true = Z[y, np.arange(n)]
    z_max = Z.max(axis=0)
    P = np.exp(Z - z_max)
    z_sum = P.sum(axis=0)
    P /= z_sum
    ce = (float(np.log(z_sum).sum()) + float(z_max.sum()) - float(z_true.sum())) / n
    P[y, np.arange(n)] -= 1.0  # the residual pi - y
    dW = (P @ X).T / n + L2 * W
    db = P.sum(axis=1) / n
    return ce + 0.5 * L2 * float(np.vdot(W, W)), dW, db


def batches(n, size, rng):
    """Each epoch a fresh permutation cut into batches (rows sorted within a batch)."""
    while True:
        order = rng.permutation(n)
        for start in range(0, n, size):
            yield np.sort(order[start : start + size])


W = np.random.default_rng([SEED, 0]).standard_normal((D, K)) * 0.01
b = np.zeros(K)
batch_rows = None
if OPTIMIZER != "gd" and BATCH_SIZE is not None and BATCH_SIZE < N:
    batch_rows = batches(N, BATCH_SIZE, np.random.default_rng([SEED, 1]))
velocity = [np.zeros_like(W), np.zeros_like(b)]  # momentum (beta = 0.9)
m1 = [np.zeros_like(W), np.zeros_like(b)]  # Adam (0.9, 0.999, eps 1e-8)
m2 = [np.zeros_like(W), np.zeros_like(b)]
for t in range(1, STEPS + 1):
    rows = next(batch_rows) if batch_rows is not None else slice(None)
    _, dW, db = loss_and_gradients(X_train[rows], y_train[rows], W, b)
    for p, g, v, m, s in zip([W, b], [dW, db], velocity, m1, m2, strict=True):
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
            p -= LR * g

loss, _, _ = loss_and_gradients(X_train, y_train, W, b)
accuracy = float(np.mean(np.argmax(X_train @ W + b, axis=1) == y_train))
print(f"steps {{STEPS}}  train accuracy {{accuracy:.4f}}")
print(f"final loss {{loss!r}}")
'''

_SPLIT_CODE = """rng = np.random.default_rng([SEED, 10_000])
is_test = np.zeros(y.shape[0], dtype=bool)
for k in np.unique(y):
    rows = np.flatnonzero(y == k)
    n_test = min(round(TEST_FRACTION * rows.size), rows.size - 1)
    is_test[rng.permutation(rows)[:n_test]] = True
"""
assert _SPLIT_CODE in _SCRIPT
