"""The playground page under Streamlit's AppTest: controls, the URL in and out, divergence."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playground.controller import SESSION, handle_event
from playground.presets import PRESETS
from playground.settings import DEFAULTS, from_query

DIVERGING = next(name for name in PRESETS if "Diverg" in name)
APP = Path(__file__).resolve().parent.parent / "app.py"


def run_app(**query) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def view_args(at: AppTest) -> dict:
    (view,) = at.get("component_instance")
    return json.loads(view.proto.json_args)


def last_step(at: AppTest) -> int:
    return view_args(at)["frames"][-1]["step"]


def test_default_page_renders_the_view_and_every_control():
    at = run_app()
    assert not at.exception
    labels = {b.label for b in at.button}
    assert {"Play", "Step", "Reset weights", "New data"} <= labels
    names = {
        w.label
        for w in [*at.slider, *at.select_slider, *at.toggle, *at.selectbox, *at.number_input]
    }
    for expected in (
        "Number of classes",
        "Points per class",
        "Spread (standard deviation)",
        "Test fraction",
        "Seed",
        "Learning rate",
        "L2 strength",
        "Optimiser",
        "Speed (steps per frame)",
        "Gradient arrows −W(π − y)",
        "Optimum boundary (dashed)",
        "Log-scale loss",
    ):
        assert any(n.startswith(expected) for n in names), expected
    args = view_args(at)
    assert args["points"] is not None and len(args["centres"]) == 3
    assert args["frames"][0]["step"] == 0


def test_url_reproduces_a_setup_and_widget_changes_are_written_back():
    at = run_app(k="4", n="30", lr="2", opt="adam", c="1,1;-1,1;-1,-1;1,-1", seed="5")
    assert not at.exception and not at.warning
    assert at.slider(key="pg_n_classes").value == 4
    assert at.select_slider(key="pg_lr").value == 2.0
    assert at.selectbox(key="pg_optimizer").value == "adam"
    assert view_args(at)["centres"] == [[1, 1], [-1, 1], [-1, -1], [1, -1]]
    at.select_slider(key="pg_lr").set_value(0.05).run()
    at.slider(key="pg_spread").set_value(1.5).run()
    settings, notices = from_query(dict(at.query_params))
    assert not notices
    assert settings.lr == 0.05 and settings.spread == 1.5 and settings.n_classes == 4
    assert settings.centres[0] == (1.0, 1.0)


def test_bad_link_shows_notices_and_falls_back_to_defaults():
    at = run_app(k="99", lr="abc", c="1,2", spread="inf", junk="x" * 5000)
    assert not at.exception
    texts = " ".join(w.value for w in at.warning)
    assert "k='99'" in texts and "lr='abc'" in texts and "unknown link parameter" in texts
    assert at.slider(key="pg_n_classes").value == DEFAULTS.n_classes
    assert view_args(at)["frames"]
    at.button(key=next(b.key for b in at.button if b.label == "Dismiss link notices")).click()
    at.run()
    assert not at.warning


def test_play_advances_and_pause_stops():
    at = run_app(speed="1")
    at.button(key="pg_play").click().run()
    assert at.button(key="pg_play").label == "Pause"
    first = last_step(at)
    at.run()
    second = last_step(at)
    assert second > first > 0
    at.button(key="pg_play").click().run()
    assert at.button(key="pg_play").label == "Play"
    paused = last_step(at)
    at.run()
    assert last_step(at) == paused


def test_step_button_makes_one_step_and_reset_goes_back_to_zero():
    at = run_app(speed="5")
    at.button(key="pg_step").click().run()
    frames = view_args(at)["frames"]
    assert [f["step"] for f in frames] == [0, 1]
    at.button(key="pg_step").click().run()
    assert last_step(at) == 2
    at.button(key="pg_reset").click().run()
    assert last_step(at) == 0


def test_learning_rate_change_keeps_the_weights():
    at = run_app()
    at.button(key="pg_step").click().run()
    at.button(key="pg_step").click().run()
    W = view_args(at)["frames"][-1]["W"]
    at.select_slider(key="pg_lr").set_value(5.0).run()
    args = view_args(at)
    assert args["frames"][-1]["W"] == W and args["frames"][-1]["step"] == 2
    assert args["lr"] == 5.0


def test_new_data_changes_the_seed_and_the_points():
    at = run_app()
    points = view_args(at)["points"]["xy"]
    at.button(key="pg_new_data").click().run()
    assert at.number_input(key="pg_seed").value == 1
    assert view_args(at)["points"]["xy"] != points
    assert at.query_params["seed"] == "1"


def test_preset_applies_its_settings_to_widgets_and_url():
    at = run_app()
    at.selectbox(key="pg_preset").select("One class surrounded").run()
    assert not at.exception
    assert at.slider(key="pg_n_classes").value == 5
    assert len(view_args(at)["centres"]) == 5
    assert at.query_params["k"] == "5"


def test_diverging_learning_rate_shows_the_step_and_restores():
    at = run_app()
    at.selectbox(key="pg_preset").select(DIVERGING).run()
    at.button(key="pg_play").click().run()
    for _ in range(30):
        if at.error:
            break
        at.run()
    assert not at.exception
    assert at.error, "the divergence warning never appeared"
    message = at.error[0].value
    assert "diverged at step" in message and "lr × L2 = 20 × 0.3 = 6" in message
    assert at.button(key="pg_play").label == "Play"  # playing stopped by itself
    at.button(key="pg_restore_halve").click().run()
    assert not at.error
    assert at.select_slider(key="pg_lr").value == 10.0
    frame = view_args(at)["frames"][-1]
    assert frame["train_ce"] is not None and frame["train_ce"] < 2


def test_optimum_toggle_sends_the_optimum_and_explains_when_there_is_none():
    at = run_app(optimum="1")
    assert view_args(at)["optimum"] is not None
    at = run_app(optimum="1", l2="0", spread="0.1")
    assert view_args(at)["optimum"] is None
    assert any("No finite optimum" in i.value for i in at.info)


def test_view_events_move_a_centre_and_select_a_point():
    at = run_app()
    session = at.session_state[SESSION]
    # The component cannot be given a value in AppTest: drive its event handler directly
    # through the session state it reads, as the page does on each run.
    at.session_state["pg_view"] = {"type": "move", "cls": 0, "x": 1.5, "y": -0.5, "id": "t-1"}
    at.run()
    assert session.settings.centres[0] == (1.5, -0.5)
    assert at.query_params["c"].startswith("1.5,-0.5;")
    at.session_state["pg_view"] = {"type": "select", "index": 4, "id": "t-2"}
    at.run()
    assert session.selected == 4
    assert any("Point 4" in e.label for e in at.expander)
    assert len(at.latex) >= 6


@pytest.mark.parametrize(
    "event",
    [
        None,
        {},
        {"id": "z"},
        {"type": "move", "id": "a"},
        {"type": "move", "cls": "x", "x": 1, "y": 2, "id": "b"},
    ],
)
def test_malformed_view_events_are_ignored(event, monkeypatch):
    import streamlit as st

    from playground import controller

    monkeypatch.setattr(
        st,
        "session_state",
        {
            controller.LAST_EVENT: None,
            SESSION: __import__("playground.session", fromlist=["x"]).PlaygroundSession(DEFAULTS),
        },
    )
    assert handle_event(event) in (None, event.get("id") if isinstance(event, dict) else None)
