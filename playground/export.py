"""What the Export section downloads, built from a ``PlaygroundSession``: no Streamlit here.

- ``model_json``: W, b, class and feature names, the standardisation and the settings;
  ``load_model`` reads it back into an ``ExportedModel`` that predicts from raw features.
- ``data_csv``: the current data (dragged classes included, in the file's own units), in the
  format the upload accepts.
- ``history_csv``: the loss and accuracy history (thinned beyond 2048 rows, as in the app).
- ``training_script``: a NumPy-only Python script that redoes the run from scratch with the
  current settings (same data, split, initial weights, batch order and optimiser) for the
  current number of steps, and prints the final training loss.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict, dataclass

import numpy as np

from softmax_core.datasets import to_csv

from .session import PlaygroundSession

FORMAT = "softmax-playground-model/1"


def feature_names(session: PlaygroundSession) -> tuple[str, ...]:
    if session.dataset is None:
        return ("x1", "x2")
    return tuple(session.dataset.feature_names[f] for f in session.settings.features)


def class_names(session: PlaygroundSession) -> tuple[str, ...]:
    if session.dataset is None:
        return tuple(f"class_{k + 1}" for k in range(session.n_classes))
    return session.dataset.class_names


def raw_features(session: PlaygroundSession) -> np.ndarray:
    """The trained features in the data's own units (N, D), drags included."""
    if session.raw_scale is None:
        return session.X.copy()
    return session.X * session.raw_scale + session.raw_mean


def _settings(session: PlaygroundSession) -> dict:
    out = asdict(session.settings)
    out["centres"] = [list(c) for c in session.settings.centres]
    out["features"] = list(session.settings.features)
    return out


def model_json(session: PlaygroundSession) -> str:
    """The trained parameters and everything needed to use them on raw features."""
    with session.lock:
        W, b = session.trainer.W.copy(), session.trainer.b.copy()
        step = session.trainer.step_count
        loss = session.trainer.evaluate().train_loss
    std = None
    if session.raw_scale is not None:
        std = {"mean": session.raw_mean.tolist(), "scale": session.raw_scale.tolist()}
    doc = {
        "format": FORMAT,
        "model": "softmax regression: z = W^T ((x - mean) / scale) + b, class = argmax z",
        "source": session.settings.source,
        "step": step,
        "train_loss": loss if math.isfinite(loss) else None,
        "W": W.tolist(),
        "b": b.tolist(),
        "class_names": list(class_names(session)),
        "feature_names": list(feature_names(session)),
        "standardisation": std,
        "settings": _settings(session),
    }
    return json.dumps(doc, indent=1)


@dataclass(frozen=True)
class ExportedModel:
    """A model read back from ``model_json``: W (D, K), b (K,), optional standardisation."""

    W: np.ndarray
    b: np.ndarray
    class_names: tuple[str, ...]
    feature_names: tuple[str, ...]
    mean: np.ndarray | None
    scale: np.ndarray | None

    def logits(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.W.shape[0]:
            raise ValueError(f"X must have shape (N, {self.W.shape[0]}); got {X.shape}")
        if self.mean is not None:
            X = (X - self.mean) / self.scale
        return X @ self.W + self.b

    def predict(self, X) -> np.ndarray:
        """Class index (0..K-1) of each row of raw features X (N, D)."""
        return np.argmax(self.logits(X), axis=1)


def load_model(text: str) -> ExportedModel:
    """Read ``model_json``'s output; raises ValueError when it is not such a file."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(f"not a JSON file: {err}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"not a softmax-playground model (format {FORMAT!r} expected)")
    W = np.asarray(doc["W"], dtype=np.float64)
    b = np.asarray(doc["b"], dtype=np.float64)
    if W.ndim != 2 or b.shape != (W.shape[1],):
        raise ValueError(f"W (D, K) and b (K,) do not fit: {W.shape}, {b.shape}")
    std = doc.get("standardisation")
    mean = np.asarray(std["mean"], dtype=np.float64) if std else None
    scale = np.asarray(std["scale"], dtype=np.float64) if std else None
    return ExportedModel(W, b, tuple(doc["class_names"]), tuple(doc["feature_names"]), mean, scale)


def data_csv(session: PlaygroundSession) -> str:
    """The current data set as CSV (features in their own units, then the class name)."""
    with session.lock:
        X = raw_features(session)
    label = session.dataset.label_name if session.dataset is not None else "label"
    return to_csv(X, session.y, feature_names(session), class_names(session), label)


def history_csv(session: PlaygroundSession) -> str:
    """step, the loss terms and accuracies of every recorded frame."""
    with session.lock:
        h = session.history.as_dict()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    cols = ["train_ce", "l2_term", "test_ce", "train_acc", "test_acc", "w_norm"]
    writer.writerow(["step", "train_loss", *cols])
    for i, step in enumerate(h["step"]):
        values = [float(h[c][i]) for c in cols]
        row = [int(step), values[0] + values[1], *values]
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def _cell(v) -> str:
    if isinstance(v, int):
        return str(v)
    return repr(float(v)) if math.isfinite(v) else ""


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
        if session.dataset is None:
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
    return _SCRIPT.format(
        source=s.source,
        seed=s.seed,
        k=K,
        test_fraction=repr(float(s.test_fraction)),
        optimizer=s.optimizer,
        lr=repr(float(s.lr)),
        l2=repr(float(s.l2)),
        batch=batch,
        steps=steps,
        data=data.rstrip("\n"),
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
