"""The playground's logic without a browser: settings <-> URL, the session, the payload."""

import base64
import math

import numpy as np
import pytest

from playground.inspector import inspector_lines
from playground.payload import CLASS_COLORS, build_payload
from playground.presets import PRESETS, apply_preset
from playground.session import PlaygroundSession
from playground.settings import (
    DEFAULTS,
    L2_CHOICES,
    LR_CHOICES,
    from_query,
    to_query,
)
from softmax_core import predict_proba, solve_optimum

DIVERGING = next(name for name in PRESETS if "Diverg" in name)


def test_every_setting_round_trips_through_the_url():
    s = DEFAULTS.with_(
        n_classes=5,
        n_per_class=40,
        spread=1.25,
        test_fraction=0.3,
        seed=7,
        lr=2.0,
        l2=0.03,
        batch_size=16,
        optimizer="adam",
        speed=5,
        grid=200,
        show_arrows=False,
        show_weights=True,
        show_optimum=True,
        log_scale=False,
    )
    s = s.with_(centres=((1.5, -2.25), (0.0, 0.0), (-3.0, 4.0), (2.0, 2.0), (-1.0, -1.0)))
    back, notices = from_query(to_query(s))
    assert notices == []
    assert back == s


@pytest.mark.parametrize(
    ("params", "expected_fragment"),
    [
        ({"k": "9"}, "out of range"),
        ({"k": "2.5"}, "not a whole number"),
        ({"lr": "abc"}, "not a number"),
        ({"spread": "nan"}, "not finite"),
        ({"spread": "inf"}, "not finite"),
        ({"n": "1e308"}, "out of range"),
        ({"opt": "rmsprop"}, "not one of"),
        ({"arrows": "maybe"}, "not 0 or 1"),
        ({"c": "1,2"}, "centre(s) for 3 classes"),
        ({"c": "1,2;3;4,5"}, "x,y pairs"),
        ({"c": "1,2;3,4;99,0"}, "outside"),
        ({"c": "1,2;3,4;nan,0"}, "not finite"),
        ({"seed": "9" * 500}, "too long"),
        ({"zzz": "1"}, "unknown link parameter"),
    ],
)
def test_bad_link_values_fall_back_to_defaults_with_a_notice(params, expected_fragment):
    settings, notices = from_query(params)
    assert any(expected_fragment in n for n in notices), notices
    for key in params:
        if key in ("k", "lr", "spread", "n", "opt", "arrows", "seed"):
            name = {
                "k": "n_classes",
                "lr": "lr",
                "spread": "spread",
                "n": "n_per_class",
                "opt": "optimizer",
                "arrows": "show_arrows",
                "seed": "seed",
            }[key]
            assert getattr(settings, name) == getattr(DEFAULTS, name)
    assert len(settings.centres) == settings.n_classes


def test_learning_rate_off_the_slider_snaps_to_the_nearest_choice_with_a_notice():
    settings, notices = from_query({"lr": "0.3", "l2": "0.0009"})
    assert settings.lr == 0.2 and settings.lr in LR_CHOICES
    assert settings.l2 == 0.001 and settings.l2 in L2_CHOICES
    assert any("nearest value 0.2" in n for n in notices)


def test_query_values_may_be_lists_as_streamlit_gives_repeated_keys():
    settings, _ = from_query({"k": ["3", "4"], "c": ["0,0;1,1;2,2;3,3"]})
    assert settings.n_classes == 4
    assert settings.centres[3] == (3.0, 3.0)


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_is_a_valid_setup(name):
    s = apply_preset(DEFAULTS, name)
    assert len(s.centres) == s.n_classes
    back, notices = from_query(to_query(s))
    assert back == s and not notices
    session = PlaygroundSession(s)
    frames = session.advance(3)
    assert frames[0]["step"] == 0


def test_moving_a_centre_translates_only_that_class_and_keeps_the_weights():
    session = PlaygroundSession(DEFAULTS)
    session.advance(5)
    W_before = session.trainer.W.copy()
    X_before, y = session.X.copy(), session.y.copy()
    session.move_centre(1, 3.0, -2.0)
    moved = y == 1
    shift = np.array([3.0, -2.0]) - np.array(DEFAULTS.centres[1])
    np.testing.assert_allclose(session.X[moved], X_before[moved] + shift, atol=1e-12)
    np.testing.assert_array_equal(session.X[~moved], X_before[~moved])
    np.testing.assert_array_equal(session.trainer.W, W_before)
    assert session.settings.centres[1] == (3.0, -2.0)


def test_moving_a_centre_out_of_the_view_is_clamped():
    session = PlaygroundSession(DEFAULTS)
    s = session.move_centre(0, 1e9, -1e9)
    assert s.centres[0] == (4.5, -4.5)
    assert session.move_centre(7, 0.0, 0.0) == s  # no such class: nothing changes
    assert session.move_centre(0, math.nan, 0.0) == s


def test_changing_the_learning_rate_does_not_reset_training():
    session = PlaygroundSession(DEFAULTS)
    session.advance(10)
    step, W = session.trainer.step_count, session.trainer.W.copy()
    session.apply(session.settings.with_(lr=0.05, l2=0.01, optimizer="momentum"))
    assert session.trainer.step_count == step
    np.testing.assert_array_equal(session.trainer.W, W)
    assert session.trainer.lr == 0.05 and session.trainer.l2 == 0.01


def test_changing_the_number_of_classes_starts_a_new_run():
    session = PlaygroundSession(DEFAULTS)
    session.advance(10)
    run = session.run_id
    session.apply(session.settings.with_(n_classes=5))
    assert session.run_id == run + 1
    assert session.trainer.W.shape == (2, 5) and session.trainer.step_count == 0
    assert len(session.settings.centres) == 5


def test_frames_carry_the_cores_numbers():
    session = PlaygroundSession(DEFAULTS.with_(speed=3))
    frames = session.advance(4)
    assert [f["step"] for f in frames] == [0, 3, 6, 9]
    last = frames[-1]
    W, b = np.array(last["W"]), np.array(last["b"])
    train = ~session.is_test
    probs = predict_proba(W, b, session.X[train])
    ce = -np.mean(np.log(probs[np.arange(train.sum()), session.y[train]]))
    assert last["train_ce"] == pytest.approx(ce, abs=1e-5)
    assert last["w_norm"] == pytest.approx(np.linalg.norm(W), abs=1e-5)
    assert session.trainer.step_count == 12


def test_divergence_is_reported_with_its_step_and_the_last_finite_state_is_kept():
    session = PlaygroundSession(apply_preset(DEFAULTS, DIVERGING))
    for _ in range(200):
        session.advance(10)
        if session.divergence:
            break
    d = session.divergence
    assert d is not None and d.step > 0 and d.lr * d.l2 > 2
    assert np.all(np.isfinite(session.trainer.W))
    assert session.advance(5)[0]["step"] == session.trainer.step_count  # no more steps
    assert session.restore_best()
    assert session.divergence is None
    m = session.trainer.evaluate()
    assert math.isfinite(m.train_loss) and m.train_loss < 2


def test_step_once_makes_exactly_one_step():
    session = PlaygroundSession(DEFAULTS.with_(speed=7))
    before, after = session.step_once()
    assert (before["step"], after["step"]) == (0, 1)


def test_history_is_bounded_while_playing_for_long():
    session = PlaygroundSession(DEFAULTS.with_(n_per_class=20))
    for _ in range(100):
        session.advance(60)
    assert len(session.history) <= session.history.capacity
    payload = session.history_payload()
    assert len(payload["step"]) <= 300 and payload["step"][-1] == session.trainer.step_count - 1


def test_optimum_matches_the_solver_and_explains_when_there_is_none():
    session = PlaygroundSession(DEFAULTS.with_(show_optimum=True))
    W, b = session.optimum()
    train = ~session.is_test
    W2, b2 = solve_optimum(session.X[train], session.y[train], DEFAULTS.l2)
    np.testing.assert_allclose(W, W2, atol=1e-9)
    np.testing.assert_allclose(b, b2, atol=1e-9)
    session.apply(session.settings.with_(l2=0.0, spread=0.2))
    assert "No finite optimum" in session.optimum()


def test_payload_encodes_points_compactly_and_only_when_asked():
    session = PlaygroundSession(DEFAULTS)
    frames = session.advance(2)
    full = build_payload(
        session, frames, playing=True, include_points=True, include_history=True, ack=None
    )
    xy = np.frombuffer(base64.b64decode(full["points"]["xy"]), dtype=np.float32).reshape(-1, 2)
    np.testing.assert_allclose(xy, session.X, atol=1e-5)
    labels = np.frombuffer(base64.b64decode(full["points"]["labels"]), dtype=np.uint8)
    np.testing.assert_array_equal(labels, session.y)
    assert full["colors"] == list(CLASS_COLORS[:3])
    lean = build_payload(
        session, frames, playing=True, include_points=False, include_history=False, ack="x-1"
    )
    assert lean["points"] is None and lean["history"] is None and lean["ack"] == "x-1"


def test_inspector_fills_the_seed_formulas_with_the_points_numbers():
    session = PlaygroundSession(DEFAULTS)
    session.advance(20)
    d = session.point_details(0)
    np.testing.assert_allclose(d["pi"].sum(), 1.0)
    np.testing.assert_allclose(d["residual"], d["pi"] - d["y"])
    assert np.linalg.norm(d["residual"]) <= math.sqrt(2)
    assert d["loss"] == pytest.approx(-math.log(d["pi"][d["label"]]))
    text = " ".join(latex for _, latex in inspector_lines(d))
    assert f"{d['loss']:.4f}" in text
    assert session.point_details(10**6) is None
