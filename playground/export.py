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
from softmax_core.feature_maps import FeatureMap, parse_tokens

from .session import PlaygroundSession

FORMAT = "softmax-playground-model/1"


# The feature maps as NumPy code over a = x1, b = x2: the same operations, in the same
# order, as softmax_core.feature_maps.FEATURES (so exported code reproduces the app's loss
# to the last bit; tests/test_export.py checks that they agree).
PHI_CODE = {
    "x1sq": "a * a",
    "x2sq": "b * b",
    "x1x2": "a * b",
    "r2": "a * a + b * b",
    "sin1": "np.sin(a)",
    "sin2": "np.sin(b)",
}


def phi_code(session: PlaygroundSession, array) -> str:
    """Code that replaces the 2-D points X (N, 2) by phi(X) (N, 2 + m), with the app's
    standardisation constants as literals written by ``array``; "" without extra features."""
    fmap = session.fmap
    if not fmap.tokens:
        return ""
    columns = ",\n        ".join(PHI_CODE[t] for t in fmap.tokens)
    return (
        "# Feature map: phi(x) = (x1, x2, (f_j(x) - PHI_MEAN_j) / PHI_SCALE_j), the extra\n"
        "# features standardised with the mean and standard deviation of the training rows.\n"
        f"PHI = {list(fmap.tokens)!r}\n"
        f"PHI_MEAN = {array(fmap.mean)}\n"
        f"PHI_SCALE = {array(fmap.scale)}\n"
        "X_POINTS = X\n"
        "a, b = X_POINTS[:, 0], X_POINTS[:, 1]\n"
        f"F = np.stack([\n        {columns},\n    ], axis=1)\n"
        "X = np.concatenate([X_POINTS[:, :2], (F - PHI_MEAN) / PHI_SCALE], axis=1)\n"
    )


def feature_names(session: PlaygroundSession) -> tuple[str, ...]:
    """The columns of the data (the points' own coordinates for 2-D data, not phi)."""
    if session.dataset is None:
        return ("x1", "x2")
    return tuple(session.dataset.feature_names[f] for f in session.settings.features)


def class_names(session: PlaygroundSession) -> tuple[str, ...]:
    if session.dataset is None:
        return tuple(f"class_{k + 1}" for k in range(session.n_classes))
    return session.dataset.class_names


def raw_features(session: PlaygroundSession) -> np.ndarray:
    """The trained features in the data's own units (N, D), drags included; for 2-D data
    the points themselves (N, 2), before any feature map."""
    if session.X2 is not None:
        return session.X2.copy()
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
        segments, point_sets = session.timeline.plain()
        seed = session.timeline.seed
    std = None
    if session.raw_scale is not None:
        std = {"mean": session.raw_mean.tolist(), "scale": session.raw_scale.tolist()}
    fmap = session.fmap.to_json() if session.fmap.tokens else None
    model = "softmax regression: z = W^T ((x - mean) / scale) + b, class = argmax z"
    if fmap:
        model = (
            "softmax regression on features: z = W^T phi(x) + b, class = argmax z, with "
            "phi(x) = (x1, x2, (f_j(x) - mean_j) / scale_j) for the tokens of feature_map"
        )
    doc = {
        "format": FORMAT,
        "model": model,
        "feature_map": fmap,
        "source": session.settings.source,
        "step": step,
        "train_loss": loss if math.isfinite(loss) else None,
        "W": W.tolist(),
        "b": b.tolist(),
        "class_names": list(class_names(session)),
        "feature_names": list(feature_names(session)),
        "standardisation": std,
        "settings": _settings(session),
        # How W and b came about: the settings in force from each step on and what each
        # change did (playground.timeline); the exported script replays exactly this.
        "timeline": {"seed": seed, "segments": segments, "point_sets": point_sets},
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
    feature_map: FeatureMap | None = None  # 2-D data with extra features phi

    def logits(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if self.feature_map is not None:
            if X.ndim != 2 or X.shape[1] != 2:
                raise ValueError(f"X must have shape (N, 2); got {X.shape}")
            return self.feature_map.transform(X) @ self.W + self.b
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
    fmap = None
    spec = doc.get("feature_map")
    if spec:
        tokens, problems = parse_tokens(",".join(spec["tokens"]))
        if problems or len(tokens) != W.shape[0] - 2:
            raise ValueError(f"feature_map does not fit W: {spec['tokens']}, {W.shape}")
        fmap = FeatureMap(
            tokens,
            np.asarray(spec["mean"], dtype=np.float64),
            np.asarray(spec["scale"], dtype=np.float64),
        )
    names = (tuple(doc["class_names"]), tuple(doc["feature_names"]))
    return ExportedModel(W, b, *names, mean, scale, fmap)


def data_csv(session: PlaygroundSession) -> str:
    """The current data set as CSV (features in their own units, then the class name)."""
    with session.lock:
        X = raw_features(session)
    label = session.dataset.label_name if session.dataset is not None else "label"
    return to_csv(X, session.y, feature_names(session), class_names(session), label)


def history_csv(session: PlaygroundSession) -> str:
    """step, the loss terms and accuracies of every recorded frame, and the settings in force
    from that step on (lr, l2, optimizer, batch_size: empty for the full batch)."""
    with session.lock:
        h = session.history.as_dict()
        timeline = session.timeline
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        cols = ["train_ce", "l2_term", "test_ce", "train_acc", "test_acc", "w_norm"]
        writer.writerow(["step", "train_loss", *cols, "lr", "l2", "optimizer", "batch_size"])
        for i, step in enumerate(h["step"]):
            values = [float(h[c][i]) for c in cols]
            seg = timeline.at(int(step))
            row = [int(step), values[0] + values[1], *values, seg.lr, seg.l2]
            batch = "" if seg.batch_size is None else str(seg.batch_size)
            writer.writerow([*(_cell(v) for v in row), seg.optimizer, batch])
    return out.getvalue()


def _cell(v) -> str:
    if isinstance(v, int):
        return str(v)
    return repr(float(v)) if math.isfinite(v) else ""
