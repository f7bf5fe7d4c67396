"""The Digits page under AppTest, its session logic, and the optimum against scikit-learn."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from digits.controller import SESSION, cell_from_selection
from digits.session import DigitsSession, DigitsSettings, accuracy_on_test

APP = Path(__file__).resolve().parent.parent / "app.py"
sklearn_lm = pytest.importorskip("sklearn.linear_model")


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("pages/digits.py").run()
    assert not at.exception
    return at


def view_args(at: AppTest) -> dict:
    for el in at.get("component_instance"):
        args = json.loads(el.proto.json_args)
        if "frames" in args:
            return args
    raise AssertionError("live view not found")


def frame_templates(frame: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(frame["W"]), dtype=np.float32).reshape(10, 64)


def test_page_shows_every_section_control_and_the_live_view():
    at = open_page()
    headers = [h.value for h in at.header]
    for heading in (
        "Weight templates",
        "Draw a digit",
        "Confusion matrix of the test set",
        "One image's gradient",
        "The exact optimum",
    ):
        assert heading in headers
    assert {"Play", "Step", "Reset"} <= {b.label for b in at.button}
    labels = {w.label for w in [*at.select_slider, *at.selectbox, *at.slider, *at.number_input]}
    assert {"Learning rate", "L2 strength", "Optimiser", "True digit", "Predicted as"} <= labels
    args = view_args(at)
    assert args["frames"][-1]["step"] == 0 and args["optimum"] is not None
    assert "test acc" in args["optimum"]["caption"]
    # the templates travel as W's columns: frame row k is column k of the trainer's W
    W = at.session_state[SESSION].trainer.W
    assert np.allclose(frame_templates(args["frames"][-1]), W.T, atol=1e-6)


def test_step_and_reset_move_the_live_model():
    at = open_page()
    at.button(key="dg_step").click().run()
    assert view_args(at)["frames"][-1]["step"] == 1
    at.button(key="dg_step").click().run()
    assert view_args(at)["frames"][-1]["step"] == 2
    at.button(key="dg_reset").click().run()
    assert view_args(at)["frames"][-1]["step"] == 0
    assert not at.exception


def test_settings_reach_the_trainer_and_keep_the_weights():
    at = open_page()
    at.button(key="dg_step").click().run()
    W_before = at.session_state[SESSION].trainer.W.copy()
    at.select_slider(key="dg_lr").set_value(0.5).run()
    at.selectbox(key="dg_optimizer").set_value("adam").run()
    trainer = at.session_state[SESSION].trainer
    assert trainer.lr == 0.5 and trainer.optimizer.name == "adam"
    assert np.array_equal(trainer.W, W_before)
    at.select_slider(key="dg_l2").set_value(0.0).run()
    assert not at.exception  # no finite optimum at L2 = 0: a message, not a traceback
    assert any("No finite optimum" in i.value for i in at.info)


def test_choosing_a_confusion_cell_lists_its_images():
    at = open_page()
    at.selectbox(key="dg_cell_true").set_value(5).run()
    at.selectbox(key="dg_cell_pred").set_value(5).run()
    assert not at.exception
    (table,) = [d for d in at.dataframe if "image" in d.value.columns]
    session = at.session_state[SESSION]
    W, b = session.optimum()
    probs = session.test_probs(W, b)
    n = int(np.sum((session.data.y_test == 5) & (probs.argmax(1) == 5)))
    assert len(table.value) == min(40, n) and n > 20
    assert table.value["image"].iloc[0].startswith("data:image/png;base64,")


def test_gradient_section_follows_the_chosen_image():
    at = open_page()
    at.number_input(key="dg_grad_index").set_value(7).run()
    assert not at.exception
    session = at.session_state[SESSION]
    label = int(session.data.y_train[7])
    assert any(
        f"image 7: a {label}" in json.dumps(json.loads(c.proto.spec))
        for c in at.get("plotly_chart")
    )


def test_advance_records_frames_and_the_defaults_learn_fast():
    s = DigitsSession()
    frames = s.advance(3)
    assert [f["step"] for f in frames] == [0, 2, 4]
    assert s.trainer.step_count == 6
    s.advance(50)  # 100 steps at the defaults: the contract's 15 s of Play is ~450 steps
    assert s.trainer.evaluate().test_acc >= 0.93


def test_optimum_matches_sklearn_logistic_regression_at_the_matching_C():
    s = DigitsSession(DigitsSettings(l2=0.001))
    W, b = s.optimum()
    ours = accuracy_on_test(s, W, b)
    n = s.data.y_train.size
    model = sklearn_lm.LogisticRegression(C=1.0 / (s.settings.l2 * n), max_iter=5000, tol=1e-10)
    model.fit(s.data.X_train, s.data.y_train)
    theirs = model.score(s.data.X_test, s.data.y_test)
    assert abs(ours - theirs) <= 0.01
    assert np.max(np.abs(W - model.coef_.T)) < 1e-3  # the same minimiser, not just the score


def test_a_clicked_confusion_cell_is_read_from_the_selection_event():
    event = {"selection": {"points": [{"x": 8, "y": 3, "customdata": {"0": 3, "1": 8}}]}}
    assert cell_from_selection(event) == (3, 8)
    for bad in (
        None,
        {},
        {"selection": {"points": []}},
        {"selection": {"points": [{"x": 12, "y": 1}]}},
    ):
        assert cell_from_selection(bad) is None
