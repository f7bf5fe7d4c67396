"""Export: the model JSON loads back and predicts like the session; the data CSV re-uploads to
the same numbers; the history CSV; the NumPy script reproduces the app's final loss."""

import csv
import io
import subprocess
import sys

import numpy as np
import pytest

from playground.export import (
    data_csv,
    history_csv,
    load_model,
    model_json,
    raw_features,
)
from playground.export_script import training_script
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS
from softmax_core.datasets import parse_csv


def trained(**changes) -> PlaygroundSession:
    session = PlaygroundSession(DEFAULTS.with_(**changes))
    session.advance(8)
    return session


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"source": "iris"},
        {"source": "wine", "standardise": False, "lr": 0.001},
        {"source": "circle", "n_classes": 2, "phi": ("r2",)},
        {"source": "gauss", "phi": ("x1sq", "x1x2", "sin2")},
    ],
)
def test_model_json_loads_back_and_predicts_like_the_session(changes):
    session = trained(**changes)
    model = load_model(model_json(session))
    np.testing.assert_array_equal(model.predict(raw_features(session)), session.predict())
    np.testing.assert_array_equal(model.W, session.trainer.W)  # JSON floats round-trip exactly
    assert len(model.class_names) == session.n_classes
    assert (model.mean is None) == (session.raw_mean is None)
    with pytest.raises(ValueError, match="not a softmax-playground model"):
        load_model('{"W": []}')
    with pytest.raises(ValueError, match="not a JSON file"):
        load_model("W = 1")


@pytest.mark.parametrize("source", ["gauss", "iris", "spiral"])
def test_data_csv_reuploads_to_the_same_data_drags_included(source):
    session = trained(source=source, phi=("r2",) if source == "spiral" else ())
    session.move_centre(0, 1.0, 1.0)
    data = parse_csv(data_csv(session))
    assert data.n_features == session.trainer.W.shape[0] - len(session.fmap.tokens)
    np.testing.assert_allclose(data.X, raw_features(session), rtol=1e-15)
    np.testing.assert_array_equal(data.y, session.y)


def test_history_csv_has_every_recorded_step():
    session = trained(speed=2)
    rows = list(csv.DictReader(io.StringIO(history_csv(session))))
    assert [int(r["step"]) for r in rows] == list(range(0, 16, 2))
    r = rows[-1]
    assert float(r["train_loss"]) == pytest.approx(float(r["train_ce"]) + float(r["l2_term"]))


def run_script(session, tmp_path) -> float:
    path = tmp_path / "train.py"
    path.write_text(training_script(session))
    out = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True
    )
    assert "final loss" in out.stdout, out.stderr
    return float(out.stdout.rsplit("final loss", 1)[1])


@pytest.mark.parametrize(
    "changes",
    [
        {"optimizer": "gd", "lr": 0.5},
        {"optimizer": "sgd", "lr": 0.5, "batch_size": 8},
        {"optimizer": "momentum", "lr": 0.1, "batch_size": 16},
        {"optimizer": "adam", "lr": 0.05},
        {"optimizer": "adam", "lr": 0.05, "batch_size": 10, "n_classes": 5, "test_fraction": 0},
        {"source": "iris", "optimizer": "gd", "lr": 0.5},
        {"source": "iris", "optimizer": "sgd", "lr": 0.2, "batch_size": 7},
        {"source": "iris", "optimizer": "adam", "lr": 0.02, "standardise": False},
        {"source": "wine", "optimizer": "momentum", "lr": 0.05, "features": (0, 6, 12)},
        {"source": "circle", "n_classes": 2, "optimizer": "adam", "lr": 0.5, "phi": ("r2",)},
        {"source": "xor", "n_classes": 2, "optimizer": "gd", "lr": 0.5, "phi": ("x1x2",)},
        {"source": "spiral", "optimizer": "sgd", "lr": 0.2, "batch_size": 9, "noise": 0.0},
        {"optimizer": "momentum", "lr": 0.1, "phi": ("x1sq", "x2sq", "sin1", "sin2")},
    ],
)
def test_script_reproduces_the_apps_final_loss(changes, tmp_path):
    session = PlaygroundSession(DEFAULTS.with_(speed=5, **changes))
    session.advance(20)
    assert session.divergence is None
    app_loss = session.trainer.evaluate().train_loss
    assert abs(run_script(session, tmp_path) - app_loss) <= 1e-9


def test_script_uses_numpy_only():
    text = training_script(trained(source="wine"))
    imports = {line.split()[1] for line in text.splitlines() if line.startswith(("import", "from"))}
    assert imports == {"numpy"}


def test_the_exported_feature_code_is_the_cores_feature_maps():
    """PHI_CODE (what the script and notebook run) computes FEATURES' values bit for bit."""
    from playground.export import PHI_CODE
    from softmax_core.feature_maps import FEATURES

    assert set(PHI_CODE) == set(FEATURES)
    X = np.random.default_rng(0).uniform(-5, 5, (200, 2))
    a, b = X[:, 0], X[:, 1]
    for token, code in PHI_CODE.items():
        got = eval(code, {"np": np, "a": a, "b": b})
        np.testing.assert_array_equal(got, FEATURES[token].value(a, b))
