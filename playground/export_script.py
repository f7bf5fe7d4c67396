"""The Export section's training script: a NumPy-only Python file that redoes the run.

``training_script`` writes the run's timeline (``playground.timeline``: the settings in force
from each step on, and what each change did: new data, a fresh optimiser, a restart of the
batch stream, restored weights) and a loop that replays it step by step, the way the app's
trainer did; the script prints the final training loss, which matches the app's to 1e-9
(tests/test_export_timeline.py). No Streamlit here.
"""

from __future__ import annotations

import pprint

import numpy as np

from .export import PHI_CODE, class_names, feature_names
from .session import PlaygroundSession


def _array(a, indent: str = "    ") -> str:
    """A NumPy literal that reproduces ``a`` exactly (repr of each float)."""
    a = np.asarray(a)
    if a.ndim == 1:
        return "np.array([" + ", ".join(repr(x.item()) for x in a) + "])"
    rows = ",\n".join(indent + "[" + ", ".join(repr(x.item()) for x in r) + "]" for r in a)
    return "np.array([\n" + rows + ",\n])"


def _timeline_literal(segments: list[dict]) -> str:
    return pprint.pformat(segments, width=96, sort_dicts=False)


def training_script(session: PlaygroundSession) -> str:
    """A self-contained NumPy script that replays the run and prints its final loss."""
    s = session.settings
    with session.lock:
        steps = session.trainer.step_count
        K = session.n_classes
        segments, sets = session.timeline.plain()
        seed = session.timeline.seed
        kind = segments[0]["data"]["kind"]
        if kind == "gauss":
            data = _GAUSS_DATA
        elif kind == "points":
            data = _POINTS_DATA.format(
                source=s.source
                + (", with the points drawn or removed by hand" if session.edits else ""),
                sets=_points_literal(sets),
            )
        else:
            raw = session.dataset.X[:, list(s.features)]
            data = _TABLE_DATA.format(
                name=session.dataset.name,
                features=list(feature_names(session)),
                classes=list(class_names(session)),
                x=_array(raw),
                y="np.array([" + ", ".join(str(int(v)) for v in session.y) + "])",
            )
        if session.fmap.tokens:
            data += _PHI_DATA.format(
                tokens=list(session.fmap.tokens),
                columns=",\n            ".join(PHI_CODE[t] for t in session.fmap.tokens),
            )
        else:
            data += "\n\ndef features(X, d):\n    return X\n"
    return _SCRIPT.format(
        source=s.source,
        seed=seed,
        k=K,
        steps=steps,
        n_segments=len(segments),
        timeline=_timeline_literal(segments),
        data=data.rstrip("\n"),
    )


def _points_literal(sets: list[dict]) -> str:
    items = []
    for p in sets:
        items.append(
            "    {\n"
            f'        "X": {_array(p["X"], indent="            ")},\n'
            f'        "y": np.array({p["y"]!r}),\n'
            f'        "is_test": np.array({p["is_test"]!r}),\n'
            "    },"
        )
    return "[\n" + "\n".join(items) + "\n]"


_GAUSS_DATA = '''def make_data(d):
    """Gaussian classes: n points per class, x = centre_k + spread * N(0, I), each class
    drawn from its own stream (seed, k), rows grouped by class; the stratified split."""
    centres = np.array(d["centres"])
    n = d["n_per_class"]
    offsets = np.stack(
        [np.random.default_rng([d["seed"], k]).standard_normal((n, 2)) for k in range(K)]
    )
    X = (centres[:, None, :] + d["spread"] * offsets).reshape(-1, 2)
    y = np.repeat(np.arange(K), n)
    return X, y, split(y, d["test_fraction"], d["seed"])
'''

_POINTS_DATA = """# The {source} data as the app had it: each set of points (x1, x2), its classes
# and its test rows; the timeline's "points" names the set in force.
POINTS = {sets}


def make_data(d):
    p = POINTS[d["points"]]
    return p["X"], p["y"], p["is_test"]
"""

_TABLE_DATA = '''# {name}: the trained feature columns in their own units, before any drag
FEATURES = {features}
CLASSES = {classes}
X_RAW = {x}
Y = {y}


def make_data(d):
    """Standardised with the mean and scale of that split's training rows (if it was), then
    each class moved by its drag (in trained units): X = (X_RAW - mean) / scale + shift[y]."""
    X = X_RAW if d["mean"] is None else (X_RAW - np.array(d["mean"])) / np.array(d["scale"])
    return X + np.array(d["shift"])[Y], Y, split(Y, d["test_fraction"], d["seed"])
'''

_PHI_DATA = """

# Feature map: phi(x) = (x1, x2, (f_j(x) - phi_mean_j) / phi_scale_j), the extra features
# standardised with the mean and standard deviation of the training rows of that data.
PHI = {tokens}


def features(X, d):
    a, b = X[:, 0], X[:, 1]
    F = np.stack(
        [
            {columns},
        ],
        axis=1,
    )
    F = (F - np.array(d["phi_mean"])) / np.array(d["phi_scale"])
    return np.concatenate([X[:, :2], F], axis=1)
"""

_SCRIPT = '''"""Replay a softmax-playground training run with NumPy only; print the final loss.

Data source: {source}. Softmax regression, loss = mean cross-entropy + (l2 / 2) ||W||^2
(bias unpenalised), trained from the seed's weights through the run's timeline: the
settings in force from each step on, as they were changed in the app ({n_segments} segments).
"""

import numpy as np

SEED = {seed}  # initial weights: stream (SEED, 0); mini-batch order: stream (SEED, 1)
K = {k}
STEPS = {steps}
# From "step" on: these settings; and what the change did when it happened (new_data: the
# training rows changed; fresh_optimizer: the optimiser state restarted; new_batches: the
# batch stream restarted; restore: the weights were set to these values).
TIMELINE = {timeline}

{data}


def split(y, test_fraction, seed):
    """Stratified test mask: round(test_fraction * n_k) rows of each class (at least one
    training row kept), from the stream (seed, 10000)."""
    rng = np.random.default_rng([seed, 10_000])
    is_test = np.zeros(y.shape[0], dtype=bool)
    for k in np.unique(y):
        rows = np.flatnonzero(y == k)
        n_test = min(round(test_fraction * rows.size), rows.size - 1)
        is_test[rng.permutation(rows)[:n_test]] = True
    return is_test


def training_rows(d):
    X, y, is_test = make_data(d)
    X = features(X, d)
    return X[~is_test], y[~is_test]


def loss_and_gradients(X, y, W, b, l2):
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
    dW = (P @ X).T / n + l2 * W
    db = P.sum(axis=1) / n
    return ce + 0.5 * l2 * float(np.vdot(W, W)), dW, db


def batches(n, size, rng):
    """Each epoch a fresh permutation cut into batches (rows sorted within a batch)."""
    while True:
        order = rng.permutation(n)
        for start in range(0, n, size):
            yield np.sort(order[start : start + size])


X_train, y_train = training_rows(TIMELINE[0]["data"])
W = np.random.default_rng([SEED, 0]).standard_normal((X_train.shape[1], K)) * 0.01
b = np.zeros(K)
rng = np.random.default_rng([SEED, 1])
segment = TIMELINE[0]
batch_rows = None


def enter(seg):
    """Apply a change of the timeline, as the app did when it happened."""
    global X_train, y_train, W, b, batch_rows, t, velocity, m1, m2
    if seg["new_data"]:
        X_train, y_train = training_rows(seg["data"])
    if seg["restore"] is not None:
        W = np.array(seg["restore"]["W"])
        b = np.array(seg["restore"]["b"])
    if seg["fresh_optimizer"]:
        t = 0
        velocity = [np.zeros_like(W), np.zeros_like(b)]  # momentum (beta = 0.9)
        m1 = [np.zeros_like(W), np.zeros_like(b)]  # Adam (0.9, 0.999, eps 1e-8)
        m2 = [np.zeros_like(W), np.zeros_like(b)]
    if seg["new_batches"]:
        size, n = seg["batch_size"], X_train.shape[0]
        batch_rows = batches(n, size, rng) if size is not None and size < n else None


pending = list(TIMELINE)
for step in range(STEPS + 1):
    while pending and pending[0]["step"] <= step:
        segment = pending.pop(0)
        enter(segment)
    if step == STEPS:
        break
    rows = next(batch_rows) if batch_rows is not None else slice(None)
    _, dW, db = loss_and_gradients(X_train[rows], y_train[rows], W, b, segment["l2"])
    t += 1
    lr = segment["lr"]
    for p, g, v, m, s in zip([W, b], [dW, db], velocity, m1, m2, strict=True):
        if segment["optimizer"] == "momentum":
            v *= 0.9
            v += g
            p -= lr * v
        elif segment["optimizer"] == "adam":
            m *= 0.9
            m += (1.0 - 0.9) * g
            s *= 0.999
            s += (1.0 - 0.999) * g * g
            p -= lr * (m / (1.0 - 0.9**t)) / (np.sqrt(s / (1.0 - 0.999**t)) + 1e-8)
        else:
            p -= lr * g

loss, _, _ = loss_and_gradients(X_train, y_train, W, b, segment["l2"])
accuracy = float(np.mean(np.argmax(X_train @ W + b, axis=1) == y_train))
print(f"steps {{STEPS}}  train accuracy {{accuracy:.4f}}")
print(f"final loss {{loss!r}}")
'''
