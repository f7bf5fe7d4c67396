"""The simplex and loss-surface panels (issue 18) without a browser: their settings and URL
keys, what the view receives, and the surface it draws, against the NumPy core."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.landscape_view import (
    MAX_PATH,
    NO_OPTIMUM_NOTE,
    PLAYING_REFRESH_SECONDS,
    LandscapeCache,
    ParamPath,
    landscape_data,
)
from playground.payload import build_payload
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS, from_query, simplex_classes, to_query
from softmax_core import loss_and_gradients, predict_proba
from softmax_core.landscape import unflatten

APP = Path(__file__).resolve().parent.parent / "app.py"


# ------------------------------------------------------------------------------ settings
def test_panel_keys_round_trip_through_the_url():
    s = DEFAULTS.with_(n_classes=5, simplex=True, landscape=True, simplex_classes=(0, 2, 4))
    q = to_query(s)
    assert q["simplex"] == "1" and q["landscape"] == "1" and q["sx"] == "1,3,5"
    back, notices = from_query(q)
    assert not notices
    assert (back.simplex, back.landscape, back.simplex_classes) == (True, True, (0, 2, 4))


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"simplex": "2"}, "simplex='2' is not 0 or 1"),
        ({"landscape": "maybe"}, "landscape='maybe' is not 0 or 1"),
        ({"simplex": "x" * 500}, "is too long"),
        ({"sx": "1,1,2"}, "does not name three different classes"),
        ({"sx": "1,2"}, "does not name three different classes"),
        ({"sx": "0,1,2"}, "class numbers 1 to 6"),
        ({"sx": "1,2,7"}, "class numbers 1 to 6"),
        ({"sx": "a,b,c"}, "class numbers 1 to 6"),
        ({"sx": "١,٢,٣"}, "class numbers 1 to 6"),  # Arabic-Indic digits
        ({"sx": "1," * 40}, "is too long"),
    ],
)
def test_hostile_panel_values_are_dropped_with_a_notice(params, fragment):
    s, notices = from_query(params)
    assert any(fragment in n for n in notices), notices
    assert (s.simplex, s.landscape, s.simplex_classes) == (False, False, ())


def test_simplex_classes_fall_back_to_the_first_three_when_they_do_not_exist():
    s = DEFAULTS.with_(simplex_classes=(0, 3, 5))
    assert simplex_classes(s, 6) == (0, 3, 5)
    assert simplex_classes(s, 4) == (0, 1, 2)  # class 6 does not exist with K = 4


# ------------------------------------------------------------------------------ payload
def decode(b64: str, shape) -> np.ndarray:
    return np.frombuffer(base64.b64decode(b64), np.float32).reshape(shape)


def test_simplex_probabilities_sent_for_real_data_are_softmax_cores():
    s = PlaygroundSession(DEFAULTS.with_(source="iris", simplex=True))
    frames = s.advance(20)
    args = build_payload(
        s, frames, playing=True, include_points=False, include_history=False, ack=None
    )
    sent = args["simplex"]["probs"]
    assert sent["step"] == s.trainer.step_count
    probs = decode(sent["data"], (s.X.shape[0], 3))
    np.testing.assert_allclose(probs, predict_proba(s.trainer.W, s.trainer.b, s.X), atol=1e-6)


def test_simplex_for_gaussian_classes_sends_only_the_classes_and_nothing_when_off():
    s = PlaygroundSession(DEFAULTS.with_(simplex=True, n_classes=5, simplex_classes=(4, 0, 2)))
    frames = s.advance(2)
    args = build_payload(
        s, frames, playing=False, include_points=True, include_history=False, ack=None
    )
    assert args["simplex"] == {"classes": [4, 0, 2]}  # the view computes pi from the frames
    s.apply(s.settings.with_(simplex=False))
    args = build_payload(
        s, frames, playing=False, include_points=True, include_history=False, ack=None
    )
    assert args["simplex"] is None and args["landscape_on"] is False


# ------------------------------------------------------------------------------ surface
def J(X, y, l2, theta):
    W, b = unflatten(theta, X.shape[1], theta.size // (X.shape[1] + 1))
    return loss_and_gradients(W, b, X, y, l2)[0]


def test_surface_sent_is_the_objective_on_its_plane_and_zero_is_the_optimum():
    s = PlaygroundSession(DEFAULTS.with_(landscape=True))
    s.advance(60)
    d = landscape_data(s)
    Xtr, ytr, _, _ = s._train_test()
    l2 = s.settings.l2
    G = d["grid"]
    z = decode(d["z"], (G, G))
    origin, d1, d2 = (np.array(d[k]) for k in ("origin", "d1", "d2"))
    for i, j in [(0, 0), (17, 41), (59, 3), (30, 30)]:
        theta = origin + d["a"][j] * d1 + d["c"][i] * d2
        assert z[i, j] == pytest.approx(J(Xtr, ytr, l2, theta), rel=2e-5)
    W_opt, b_opt = s.optimum()
    theta_opt = np.concatenate([W_opt.ravel(), b_opt])
    np.testing.assert_allclose(origin, theta_opt, atol=1e-7)
    assert d["optimum"] == [0.0, 0.0]
    assert d["optimum_loss"] == pytest.approx(J(Xtr, ytr, l2, theta_opt), abs=2e-6)
    # the path's points are the projections of the recorded thetas; the last is now
    theta_now = np.concatenate([s.trainer.W.ravel(), s.trainer.b])
    rel = theta_now - origin
    assert d["current"] == pytest.approx([rel @ d1, rel @ d2], abs=1e-5)
    assert d["steps"][-1] == s.trainer.step_count and d["steps"] == sorted(d["steps"])
    assert 0.9 < d["explained"] <= 1.0 and d["note"] is None and d["live"]


def test_separable_classes_without_l2_have_no_optimum_and_say_the_bowl_flattens():
    s = PlaygroundSession(DEFAULTS.with_(landscape=True, l2=0.0, spread=0.3))
    s.advance(150)
    d = landscape_data(s)
    assert d["optimum"] is None and d["note"] == NO_OPTIMUM_NOTE
    assert "flattens toward infinity" in d["note"]
    G = d["grid"]
    z = decode(d["z"], (G, G))
    row = int(np.argmin(np.abs(np.array(d["c"]))))  # the line through the start along d1
    along = z[row]
    end = d["current"][0]
    assert d["a"][-1] > end  # the box reaches beyond the path, where J keeps falling
    beyond = along[np.array(d["a"]) > end]
    assert np.all(np.diff(beyond) <= 1e-6)  # still falling past the current point...
    steps = -np.diff(beyond)
    assert steps[-1] < steps[0]  # ...ever more slowly: the bowl flattens


def test_real_data_surface_is_not_projected_live_by_the_view():
    s = PlaygroundSession(DEFAULTS.with_(source="iris", landscape=True))
    s.advance(5)
    d = landscape_data(s)
    assert d["live"] is False and "origin" not in d
    assert d["n_params"] == s.X.shape[1] * 3 + 3


def test_refresh_on_pause_and_at_most_once_a_second_while_playing():
    s = PlaygroundSession(DEFAULTS.with_(landscape=True))
    cache = LandscapeCache()
    assert cache.due(s, playing=False, now=0.0)
    assert not cache.due(s, playing=False, now=0.1)  # nothing changed: not sent again
    s.advance(3)
    assert cache.due(s, playing=False, now=0.2)  # paused at a new step
    s.advance(3)
    assert not cache.due(s, playing=True, now=0.5)
    s.advance(3)
    assert cache.due(s, playing=True, now=0.2 + PLAYING_REFRESH_SECONDS + 0.01)
    s.reset_weights()
    assert cache.due(s, playing=True, now=1.3)  # a new run: at once


def test_recorded_path_is_bounded_and_starts_over_with_a_run():
    path = ParamPath()
    W, b = np.zeros((2, 3)), np.zeros(3)
    for step in range(3000):
        path.record(1, step, W + step, b)
    assert len(path.steps) <= MAX_PATH + 1 and path.steps[0] == 0 and path.steps[-1] == 2999
    assert path.array().shape == (len(path.steps), 9)
    path.record(2, 0, W, b)
    assert path.steps == [0]


# ------------------------------------------------------------------------------ page
def view_args(at: AppTest) -> dict:
    (view,) = at.get("component_instance")
    return json.loads(view.proto.json_args)


def test_link_with_both_panels_turns_their_toggles_on_and_sends_their_data():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"k": "3", "simplex": "1", "landscape": "1"})
    at.run()
    assert not at.exception
    toggles = {t.label: t.value for t in at.toggle}
    assert toggles["Probability simplex"] is True and toggles["Loss surface"] is True
    args = view_args(at)
    assert args["simplex"] == {"classes": [0, 1, 2]}
    assert args["landscape_on"] and args["landscape"]["grid"] == 60


def test_class_picker_for_more_than_three_classes_sets_the_simplex_classes():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"k": "5", "simplex": "1", "sx": "2,4,5"})
    at.run()
    assert not at.exception
    picker = at.multiselect(key="pg_simplex_classes")
    assert picker.value == [1, 3, 4]
    picker.unselect(4).select(0).run()
    assert not at.exception
    assert view_args(at)["simplex"]["classes"] == [1, 3, 0]
    assert at.query_params["sx"] == "2,4,1"


# ------------------------------------------------------------------------------ race
@pytest.mark.parametrize(
    ("text", "canonical"),
    [("gd,momentum,adam", "gd,momentum,adam"), ("lr:0.1,1,5", "lr:0.1,1,5"),
     (" GD , Adam ", "gd,adam"), ("lr:0.5,2.0", "lr:0.5,2")],
)  # fmt: skip
def test_race_key_round_trips_in_its_canonical_form(text, canonical):
    s, notices = from_query({"race": text})
    assert not notices and s.race == canonical
    assert from_query(to_query(s))[0].race == canonical


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("gd", "2 to 4 different lanes"),
        ("gd,gd", "2 to 4 different lanes"),
        ("gd,sgd,momentum,adam,gd", "2 to 4 different lanes"),
        ("lr:1,1.0", "2 to 4 different lanes"),
        ("newton,gd", "is not a list of optimisers"),
        ("lr:0.1,nan", "learning rates in"),
        ("lr:0.1,1e9", "learning rates in"),
        ("lr:0.1,-1", "learning rates in"),
        ("lr:0.1,abc", "is not lr: followed by learning rates"),
        ("lr:0.1,١", "learning rates in"),
        ("gd," * 50, "is too long"),
    ],
)
def test_hostile_race_values_are_dropped_with_a_notice(text, fragment):
    s, notices = from_query({"race": text})
    assert s.race == ""
    assert any(fragment in n and "no race" in n for n in notices), notices


def test_race_lanes_share_their_start_step_in_lockstep_and_are_deterministic():
    def run():
        s = PlaygroundSession(DEFAULTS.with_(race="gd,momentum,adam", speed=3))
        first = s.frame()
        frames = s.advance(40)
        return s, first, frames

    _, first, frames = run()
    assert first["step"] == first["race"]["step"] == 0
    starts = [(lane["W"], lane["b"]) for lane in first["race"]["lanes"]]
    # the same weights as each other and as the playground's own run (the same seed)
    assert all(start == (first["W"], first["b"]) for start in starts)
    for f in frames:  # ...and every lane at the playground's own step (lockstep)
        assert f["race"]["step"] == f["step"]
    last = [lane["loss"] for lane in frames[-1]["race"]["lanes"]]
    assert len(set(last)) == 3  # the optimisers differ
    _, _, frames2 = run()
    assert frames2[-1]["race"] == frames[-1]["race"]  # deterministic


def test_race_names_the_first_lane_within_tolerance_of_the_optimum_with_its_step():
    s = PlaygroundSession(DEFAULTS.with_(race="lr:0.1,1,5", speed=5))
    s.advance(300)
    standing = s.race.standing(s, include_history=True)
    race = s.race.race
    W, b = s.optimum()
    Xtr, ytr, _, _ = s._train_test()
    target = loss_and_gradients(W, b, Xtr, ytr, s.settings.l2)[0]
    assert standing["target"] == pytest.approx(target, abs=1e-6)
    win = standing["winner"]
    assert win is not None
    arrived = standing["arrived"][win]
    assert race.lanes[win].losses[arrived] - target <= 1e-3  # within 1e-3 at that step
    assert race.lanes[win].losses[arrived - 1] - target > 1e-3  # and not one step earlier
    assert all(a is None or a >= arrived for a in standing["arrived"])
    assert f"at step {arrived}" in standing["text"] and standing["labels"][win] in standing["text"]
    assert len(standing["history"]["step"]) <= 300
    # what the view says before it has played to the winner's step: the same finish line
    assert standing["waiting"] == f"no lane within 0.001 of J(θ*) = {standing['target']:.4f} yet"


def test_race_without_an_optimum_says_there_is_no_finish_line():
    s = PlaygroundSession(DEFAULTS.with_(race="gd,adam", l2=0.0, spread=0.3))
    s.advance(10)
    standing = s.race.standing(s, include_history=False)
    assert standing["target"] is None and standing["winner"] is None
    assert "no finish line" in standing["text"]


def test_race_link_shows_its_input_and_sends_the_race_and_a_bad_entry_shows_an_error():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"race": "gd,momentum"})
    at.run()
    assert not at.exception
    box = at.text_input(key="pg_race")
    assert box.value == "gd,momentum"
    args = view_args(at)
    assert args["race"]["labels"] == ["gd lr=0.5", "momentum lr=0.5"]
    assert len(args["frames"][-1]["race"]["lanes"]) == 2
    box.input("lr:0.1,9e9").run()
    assert not at.exception
    assert any("learning rates in" in e.value for e in at.error)
    assert at.query_params["race"] == "gd,momentum"  # the bad entry changed nothing
    at.text_input(key="pg_race").input("").run()
    assert view_args(at)["race"] is None and "race" not in at.query_params
