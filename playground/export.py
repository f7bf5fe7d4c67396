"""What the Export section downloads, built from a ``PlaygroundSession``: no Streamlit here.

- ``model_json``: W, b, class and feature names, the standardisation and the settings;
  ``load_model`` reads it back into an ``ExportedModel`` that predicts from raw features.
- ``data_csv``: the current data (dragged classes included, in the file's own units), in the
  format the upload accepts.
- ``history_csv``: the loss and accuracy history (thinned beyond 2048 rows, as in the app).
- the NumPy training script is built in ``export_script`` (a template of its own).
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
