"""One click, one effect (playground/clicks.py): the echo of a click that Streamlit delivered
first in a fragment run is dropped; genuine clicks are not."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from playground import clicks


@pytest.fixture
def fake(monkeypatch):
    state = SimpleNamespace(session_state={}, in_fragment=False, now=100.0)
    monkeypatch.setattr(clicks, "st", SimpleNamespace(session_state=state.session_state))
    monkeypatch.setattr(clicks, "_in_fragment_run", lambda: state.in_fragment)
    monkeypatch.setattr(clicks.time, "monotonic", lambda: state.now)
    return state


def test_a_click_delivered_in_a_fragment_run_and_again_in_a_full_run_acts_once(fake):
    calls = []
    on_click = clicks.once("play", calls.append)
    fake.in_fragment = True
    on_click(False)  # the fragment's timed run carried the click
    fake.in_fragment, fake.now = False, 100.1
    on_click(True)  # its echo, with the redrawn button's arguments
    assert calls == [False]


def test_full_run_clicks_always_act(fake):
    calls = []
    on_click = clicks.once("step", lambda: calls.append(1))
    for t in (100.0, 100.05, 100.1):
        fake.now = t
        on_click()
    assert calls == [1, 1, 1]


def test_an_echo_is_only_expected_for_a_while_and_only_for_its_button(fake):
    calls = []
    play = clicks.once("play", lambda: calls.append("play"))
    step = clicks.once("step", lambda: calls.append("step"))
    fake.in_fragment = True
    play()
    fake.in_fragment = False
    step()  # another button's click is not the echo
    fake.now += clicks.ECHO_SECONDS + 0.1
    play()  # too late to be the echo: a new click
    assert calls == ["play", "step", "play"]
