"""Issue 15 without a browser: page state across pages, presets as lessons, the advice for a
step that is too big, and numbers that read well."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground.advice import (
    RISES_TO_WARN,
    divergence_text,
    loss_rises,
    number,
    stable_choice,
)
from playground.presets import LESSON_BASE, PRESETS, apply_preset
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS, LR_CHOICES, from_query

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DIVERGING = next(name for name in PRESETS if "Diverg" in name)
OSCILLATING = next(name for name in PRESETS if "Oscillat" in name)


def test_theory_page_inputs_survive_a_visit_to_another_page():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/softmax.py").run()
    at.slider(key="softmax_k").set_value(5).run()
    at.slider(key="softmax_z4").set_value(-3.0).run()
    at.switch_page("pages/cross_entropy.py").run()
    at.text_input(key="ce_p").set_value("0.5, 0.5").run()
    at.switch_page("app.py").run()
    at.switch_page("pages/softmax.py").run()
    assert not at.exception
    assert at.slider(key="softmax_k").value == 5 and at.slider(key="softmax_z4").value == -3.0
    at.switch_page("pages/cross_entropy.py").run()
    assert at.text_input(key="ce_p").value == "0.5, 0.5"


def test_the_playground_survives_a_visit_to_another_page():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"k": "4", "lr": "0.1", "spread": "0.5"})
    at.run()
    at.button(key="pg_step").click().run()
    at.switch_page("pages/gradient.py").run()
    at.query_params.clear()  # what the browser's link to / leaves
    at.switch_page("app.py").run()
    assert not at.exception
    assert at.slider(key="pg_n_classes").value == 4
    assert at.slider(key="pg_spread").value == 0.5 and at.select_slider(key="pg_lr").value == 0.1
    assert at.query_params["k"] == "4" and at.query_params["lr"] == "0.1"
    assert at.session_state["pg_session"].trainer.step_count == 1


def test_a_preset_sets_every_lesson_setting_and_starts_a_fresh_run():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.slider(key="pg_speed").set_value(30).run()
    at.selectbox(key="pg_preset").select(DIVERGING).run()
    at.button(key="pg_play").click().run()
    for _ in range(40):
        if at.error:
            break
        at.run()
    assert at.error
    s = at.session_state["pg_session"]
    old_run = s.run_id
    at.selectbox(key="pg_preset").select("Well separated").run()
    s = at.session_state["pg_session"]
    assert not at.error and s.divergence is None and s.run_id > old_run
    assert s.trainer.step_count == 0 and len(s.history) <= 1
    assert s.settings.speed == 1 and s.settings.lr == 0.5 and s.settings.l2 == 0.001
    assert any("Well separated" in i.value for i in at.info)
    assert at.selectbox(key="pg_preset").value is None  # ready to load a lesson again
    at.button(key="pg_play").click().run()
    at.run()
    assert at.session_state["pg_session"].trainer.step_count > 0


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_sets_every_lesson_setting(name):
    far = DEFAULTS.with_(n_per_class=55, test_fraction=0.45, seed=9, speed=33, source="wine")
    s = apply_preset(far, name)
    for field in LESSON_BASE:
        if field not in PRESETS[name].values and field != "centres":
            assert getattr(s, field) == LESSON_BASE[field], field
    assert len(s.centres) == s.n_classes


def test_new_data_and_reset_clear_a_divergence():
    for action in ("pg_new_data", "pg_reset"):
        at = AppTest.from_file(APP, default_timeout=60).run()
        at.selectbox(key="pg_preset").select(DIVERGING).run()
        at.button(key="pg_play").click().run()
        for _ in range(40):
            if at.error:
                break
            at.run()
        assert at.error
        at.button(key=action).click().run()
        assert not at.error, action
        assert at.session_state["pg_session"].divergence is None


def test_loss_rises_needs_several_rises():
    steps = list(range(10))
    assert loss_rises(steps, [1.0 - 0.05 * i for i in steps]) is None
    bumpy = [1.0, 0.9, 0.95, 0.8, 0.85, 0.7, 0.75, 0.6, 0.5, 0.4]
    osc = loss_rises(steps, bumpy)
    assert osc is not None and osc.rises == RISES_TO_WARN and (osc.first, osc.last) == (2, 6)
    assert loss_rises(steps, [1.0, 0.9, None, 0.95, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]) is None


def test_gradient_descent_far_above_2_over_l_is_explained_and_the_fix_works():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.selectbox(key="pg_preset").select(OSCILLATING).run()
    at.button(key="pg_play").click().run()
    for _ in range(40):
        if at.warning:
            break
        at.run()
    text = " ".join(w.value for w in at.warning)
    assert "The loss rose" in text and "2/L" in text
    s = at.session_state["pg_session"]
    at.button(key="pg_fix_lr").click().run()
    assert at.session_state["pg_session"].settings.lr == stable_choice(s.stable_lr(), LR_CHOICES)
    assert at.session_state["pg_session"].settings.lr < s.stable_lr()
    assert not any("The loss rose" in w.value for w in at.warning)


def test_below_2_over_l_gradient_descent_never_warns():
    s = PlaygroundSession(DEFAULTS.with_(lr=1.0))
    assert s.settings.lr < s.stable_lr()
    s.advance(300)
    assert s.oscillation is None


def test_unstandardised_wine_offers_the_fix_and_the_slider_reaches_it():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"data": "wine", "std": "0", "lr": "0.001"})
    at.run()
    stable = at.session_state["pg_session"].stable_lr()
    assert min(LR_CHOICES) < stable < 1e-5
    assert any("not standardised" in w.value for w in at.warning)
    at.button(key="pg_fix_std").click().run()
    assert at.session_state["pg_session"].settings.standardise
    assert not any("not standardised" in w.value for w in at.warning)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"data": "wine", "std": "0", "lr": "0.001"})
    at.run()
    at.button(key="pg_fix_lr").click().run()
    assert at.select_slider(key="pg_lr").value == stable_choice(stable, LR_CHOICES)
    assert not any("not standardised" in w.value for w in at.warning)


def test_real_data_opens_on_the_principal_components():
    for source in ("iris", "wine"):
        s = PlaygroundSession(from_query({"data": source})[0])
        assert s.plane.names == ("PC 1", "PC 2")
        assert len(np.unique(np.argmax(s.P @ np.eye(2), axis=0))) >= 1


def test_batch_size_shows_only_where_it_does_something():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "pg_batch_size" not in {w.key for w in at.number_input}
    at.selectbox(key="pg_optimizer").select("sgd").run()
    assert "pg_batch_size" in {w.key for w in at.number_input}


def test_notices_and_advice_print_numbers_as_people_write_them():
    _, notices = from_query({"seed": "99999999999"})
    assert "2147483647" in notices[0] and "e+" not in notices[0]
    assert number(5.98e-6) == "5.98 × 10⁻⁶" and number(0.5) == "0.5" and number(1234) == "1234"
    text = divergence_text(12, "the loss overflowed", 20.0, 0.3, 1.18)
    assert "lr × L2 = 20 × 0.3 = 6" in text and "1 − lr·L2 = −5" not in text


def test_the_readout_says_which_loss_and_gives_the_test_accuracy():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.button(key="pg_step").click().run()
    text = " ".join(c.value for c in at.caption)
    assert "training objective" in text and "L2 term" in text
    frame = at.session_state["pg_session"].frame()
    assert f"test accuracy {100 * frame['test_acc']:.1f}%" in text
