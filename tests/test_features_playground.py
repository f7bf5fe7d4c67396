"""Feature maps and curved data sets in the playground (issue 17): links, the session, the
view's payload, the sidebar's feature pills and the presets, under plain Python and AppTest.
(The browser side: tests/test_features_browser.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.payload import build_payload
from playground.presets import PRESETS, apply_preset
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS, from_query, to_query
from softmax_core.feature_maps import input_directions, raw_features

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_data_noise_and_phi_round_trip_through_the_link():
    s, notices = from_query({"data": "spiral", "k": "4", "noise": "0.35", "phi": "sin2,r2"})
    assert notices == []
    assert (s.source, s.n_classes, s.noise, s.phi) == ("spiral", 4, 0.35, ("r2", "sin2"))
    query = to_query(s)
    assert query["phi"] == "r2,sin2" and query["data"] == "spiral" and query["noise"] == "0.35"
    assert from_query(query) == (s, [])
    assert "phi" not in to_query(DEFAULTS)  # the plain model's links stay as they were
    assert from_query({"data": "blobs"}) == (DEFAULTS, [])  # the name for them


@pytest.mark.parametrize(
    ("params", "phi", "needle"),
    [
        ({"phi": "r2,x3,R2"}, ("r2",), "unknown feature 'x3'"),
        ({"phi": "x1x2," * 2000}, ("x1x2",), "characters long"),
        ({"noise": "-0.5"}, (), "noise='-0.5' is out of range [0, 1.5]"),
        ({"noise": "nan", "data": "circle"}, (), "is not finite"),
        ({"data": "moons"}, (), "is not one of gauss, circle, xor, spiral"),
    ],
)
def test_bad_phi_noise_and_data_values_are_dropped_with_a_notice(params, phi, needle):
    s, notices = from_query(params)
    assert s.phi == phi
    assert any(needle in n for n in notices), notices
    assert from_query(to_query(s))[1] == []


def test_the_session_trains_on_phi_standardised_with_the_training_rows():
    session = PlaygroundSession(DEFAULTS.with_(source="circle", phi=("x1sq", "r2")))
    assert session.settings.n_classes == 2  # a ring and a disc, whatever the link said
    train = ~session.is_test
    extra = raw_features(session.X2[train], ("x1sq", "r2"))
    np.testing.assert_allclose(session.fmap.mean, extra.mean(axis=0))
    np.testing.assert_allclose(session.fmap.scale, extra.std(axis=0))
    np.testing.assert_allclose(session.X[train][:, 2:].mean(axis=0), 0, atol=1e-12)
    assert session.X.shape == (200, 4) and session.trainer.W.shape == (4, 2)
    np.testing.assert_array_equal(session.P, session.X2)  # the view shows the points
    frame = session.advance(2)[-1]
    assert np.asarray(frame["W"]).shape == (4, 2)


def test_curved_data_has_no_centres_and_ignores_moves():
    session = PlaygroundSession(DEFAULTS.with_(source="xor"))
    X = session.X.copy()
    assert session.centres_2d() == []
    session.move_centre(0, 1.0, 1.0)
    np.testing.assert_array_equal(session.X, X)


def test_feature_and_data_changes_rebuild_or_keep_the_weights():
    session = PlaygroundSession(DEFAULTS.with_(source="circle"))
    session.advance(3)
    session.apply(session.settings.with_(phi=("r2",)))
    assert session.trainer.W.shape == (3, 2) and session.trainer.step_count == 0
    session.advance(3)
    W = session.trainer.W.copy()
    session.apply(session.settings.with_(noise=0.5))  # new points, same model
    np.testing.assert_array_equal(session.trainer.W, W)
    assert session.fmap.mean[0] == pytest.approx(
        raw_features(session.X2[~session.is_test], ("r2",)).mean()
    )
    session.apply(session.settings.with_(source="gauss"))
    assert session.n_classes == 2 and len(session.centres_2d()) == 2


def test_the_payload_carries_the_map_and_the_optimum_in_feature_space():
    session = PlaygroundSession(
        DEFAULTS.with_(source="circle", phi=("r2",), show_optimum=True, l2=0.01)
    )
    frames = session.advance(2)
    args = build_payload(
        session, frames, playing=False, include_points=True, include_history=True, ack=None
    )
    assert args["phi"] == session.fmap.to_json() and args["arrows_mode"] == "view"
    assert np.asarray(args["optimum"]["W"]).shape == (3, 2)
    assert args["centres"] == []
    json.dumps(args)  # travels as JSON


def test_the_inspector_arrow_is_the_plane_direction_through_phi():
    session = PlaygroundSession(DEFAULTS.with_(phi=("x1x2", "sin1")))
    session.advance(5)
    d = session.point_details(7)
    assert d["feature_names"] == ["x1", "x2", "x1·x2", "sin x1"]
    want = input_directions(session.trainer.W, session.fmap, session.X2[7:8], d["residual"][None])[
        0
    ]
    np.testing.assert_allclose(-d["input_gradient"], want)


def test_the_feature_pills_retrain_and_say_the_features_are_standardised():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["data"] = "circle"
    at.run()
    assert not at.exception
    assert any("No centres to drag" in c.value for c in at.caption)
    keys = {w.key for w in at.slider}
    assert "pg_noise" in keys and "pg_n_classes" not in keys and "pg_spread" not in keys
    at.button_group(key="pg_phi").set_value(["r2"]).run()
    assert not at.exception
    session = at.session_state["pg_session"]
    assert session.settings.phi == ("r2",) and session.trainer.W.shape == (3, 2)
    assert at.query_params["phi"] in ("r2", ["r2"])
    assert any("standardised with the training set's mean" in c.value for c in at.caption)
    (view,) = at.get("component_instance")
    assert json.loads(view.proto.json_args)["phi"]["tokens"] == ["r2"]


@pytest.mark.parametrize(
    "name", ["Ring: add r²", "XOR: add x1 x2", "Spiral: where features run out"]
)
def test_feature_lessons_load_their_data_and_stay_low_until_the_feature_helps(name):
    s = apply_preset(DEFAULTS.with_(phi=("sin1",), source="iris"), name)
    session = PlaygroundSession(s)
    session.trainer.run(600)
    assert session.trainer.evaluate().train_acc <= 0.8
    if name in ("Ring: add r²", "XOR: add x1 x2"):
        assert s.phi == ()
        helped = PlaygroundSession(s.with_(phi=("r2",) if "Ring" in name else ("x1x2",)))
        helped.trainer.run(600)
        assert helped.trainer.evaluate().train_acc >= 0.95
    assert name in PRESETS


# ---- drawn points ("Add points" mode) ----------------------------------------------------
def test_view_events_for_drawn_points_are_checked():
    from playground.events import check_event

    seen: dict[str, int] = {}
    ok, notice = check_event({"type": "add", "cls": 1, "x": 0.5, "y": -1, "id": "a-1"}, 2, 9, seen)
    assert notice is None and (ok.kind, ok.cls, ok.x, ok.y) == ("add", 1, 0.5, -1.0)
    ok, _ = check_event({"type": "remove", "x": 0, "y": 0, "id": "a-2"}, 2, 9, seen)
    assert ok.kind == "remove" and ok.cls is None
    for bad in (
        {"type": "add", "cls": 2, "x": 0, "y": 0, "id": "a-3"},  # no class 3 when K = 2
        {"type": "add", "cls": 0, "x": float("nan"), "y": 0, "id": "a-4"},
        {"type": "remove", "x": "1", "y": 0, "id": "a-5"},
    ):
        event, notice = check_event(bad, 2, 9, seen)
        assert event is None and "drawn point" in notice


def test_drawn_points_train_survive_new_settings_and_leave_with_the_data_set():
    from playground.export import data_csv
    from playground.share import not_in_link
    from softmax_core.datasets import parse_csv

    session = PlaygroundSession(DEFAULTS.with_(source="circle", phi=("r2",)))
    session.advance(3)
    W = session.trainer.W.copy()
    n = session.y.size
    assert session.edit_points("add", 0.2, 0.1, 1)
    np.testing.assert_array_equal(session.trainer.W, W)  # training goes on
    assert session.y.size == n + 1 and session.y[-1] == 1 and not session.is_test[-1]
    assert session.trainer.X.shape[0] == (~session.is_test).sum()  # it trains on it
    session.edit_points("remove", 0.21, 0.1)  # the nearest point is the one just drawn
    assert session.y.size == n
    session.edit_points("add", -4.0, 4.0, 0)
    session.apply(session.settings.with_(noise=0.3))  # new points, the drawn one stays
    assert session.y.size == n + 1 and tuple(session.X2[-1]) == (-4.0, 4.0)
    notes = " ".join(not_in_link(session))
    assert "The 1 points you drew are not in the link" in notes and "removed (1)" in notes
    csv_data = parse_csv(data_csv(session))
    assert csv_data.X.shape == (n + 1, 2) and tuple(csv_data.X[-1]) == (-4.0, 4.0)
    session.apply(session.settings.with_(source="xor"))  # another data set: drawn ones go
    assert session.edits == [] and session.y.size == n


@pytest.mark.parametrize("source", ["gauss", "spiral"])
def test_exports_reproduce_a_run_on_drawn_points(source, tmp_path):
    import re
    import subprocess
    import sys

    from playground.export_script import training_script
    from playground.notebook import code_of, notebook_bytes

    session = PlaygroundSession(DEFAULTS.with_(source=source, phi=("x1x2",), speed=4))
    session.edit_points("add", 1.5, -0.5, 0)
    session.edit_points("add", -2.0, 1.0, 1)
    session.edit_points("remove", 0.0, 2.0)
    session.advance(10)
    app_loss = session.trainer.evaluate().train_loss
    script = tmp_path / "train.py"
    script.write_text(training_script(session))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert abs(float(out.stdout.rsplit("final loss", 1)[1]) - app_loss) <= 1e-9
    import nbformat

    nb = nbformat.reads(notebook_bytes(session, validate=True).decode(), as_version=4)
    (tmp_path / "nb.py").write_text(code_of(nb))
    out = subprocess.run(
        [sys.executable, "-I", str(tmp_path / "nb.py")],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert abs(float(re.search(r"final loss (\S+)", out).group(1)) - app_loss) <= 1e-9


def test_real_data_drops_phi_with_a_notice():
    session = PlaygroundSession(DEFAULTS.with_(source="iris", phi=("r2",)))
    assert session.settings.phi == () and session.fmap.tokens == ()
    assert any("apply to the 2-D data sets" in n for n in session.notices)
