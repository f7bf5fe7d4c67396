"""Every message the view sends is input: fuzz the code that receives component values.

``controller.handle_event`` gets whatever the component's value is. Wrong types, NaN or inf
coordinates, class or point indices out of range, unknown kinds, huge payloads and replayed
old events must be ignored with a notice, never raise, and leave the session unchanged.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st_

from playground import controller
from playground.events import MAX_EVENT_CHARS, check_event
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS

JSON = st_.recursive(
    st_.none()
    | st_.booleans()
    | st_.integers(-(2**70), 2**70)
    | st_.floats(allow_nan=True, allow_infinity=True)
    | st_.text(max_size=30),
    lambda children: (
        st_.lists(children, max_size=6)
        | st_.dictionaries(st_.text(max_size=8), children, max_size=6)
    ),
    max_leaves=30,
)
ANY_NUMBER = (
    st_.integers(-(2**70), 2**70)
    | st_.floats(allow_nan=True, allow_infinity=True)
    | st_.booleans()
    | st_.text(max_size=5)
    | st_.none()
)
IDS = st_.from_regex(r"[a-z0-9]{1,6}-[0-9]{1,4}", fullmatch=True) | st_.text(max_size=20)
NEAR_VALID = st_.fixed_dictionaries(
    {
        "type": st_.sampled_from(["move", "select", "resync", "drag", "", "MOVE"]) | JSON,
        "id": IDS,
    },
    optional={"cls": ANY_NUMBER, "x": ANY_NUMBER, "y": ANY_NUMBER, "index": ANY_NUMBER},
)


@pytest.fixture(scope="module")
def base_session():
    return PlaygroundSession(DEFAULTS.with_(n_per_class=10))


def snapshot(s: PlaygroundSession):
    return (s.settings, s.trainer.W.copy(), s.trainer.b.copy(), s.selected, s.data_version)


def fresh_state(monkeypatch, session):
    import streamlit as st

    state = {
        controller.SESSION: session,
        controller.LAST_EVENT: None,
        controller.NOTICES: [],
        controller.SENT: {"full_run": 1},
    }
    monkeypatch.setattr(st, "session_state", state)
    monkeypatch.setattr(controller, "_write_url", lambda settings: None)
    return state


def is_valid(event, session) -> bool:
    checked, _ = check_event(event, session.n_classes, session.X.shape[0], {})
    return checked is not None


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(event=JSON | NEAR_VALID)
def test_any_value_is_ignored_or_applied_never_raises(event, base_session, monkeypatch):
    session = PlaygroundSession(base_session.settings)
    state = fresh_state(monkeypatch, session)
    before = snapshot(session)
    valid = is_valid(event, session)
    handled = controller.handle_event(event)
    if not valid:
        assert handled is None
        after = snapshot(session)
        assert after[0] == before[0] and after[3:] == before[3:]
        np.testing.assert_array_equal(after[1], before[1])
        assert state[controller.SENT] == {"full_run": 1}, "a bad event asked for a resync"
        if event is not None:
            assert state[controller.NOTICES], f"no notice for {event!r}"
    else:
        assert handled == event["id"]


@pytest.mark.parametrize(
    ("event", "notice"),
    [
        ({"type": "move", "cls": 0, "x": math.nan, "y": 1, "id": "a-1"}, "non-finite"),
        ({"type": "move", "cls": 0, "x": math.inf, "y": 1, "id": "a-1"}, "non-finite"),
        ({"type": "move", "cls": 3, "x": 1, "y": 1, "id": "a-1"}, "unknown class"),
        ({"type": "move", "cls": True, "x": 1, "y": 1, "id": "a-1"}, "unknown class"),
        ({"type": "move", "cls": 0, "x": "1", "y": 1, "id": "a-1"}, "non-finite"),
        ({"type": "select", "index": 10**9, "id": "a-1"}, "does not exist"),
        ({"type": "select", "index": -1, "id": "a-1"}, "does not exist"),
        ({"type": "explode", "id": "a-1"}, "unknown kind"),
        ({"type": "move", "id": 7}, "valid id"),
        ({"type": "resync", "id": "a-1", "pad": "x" * MAX_EVENT_CHARS}, "oversized"),
        (["move"], "not an event"),
    ],
)
def test_each_kind_of_bad_event_gets_its_notice_and_changes_nothing(
    event, notice, base_session, monkeypatch
):
    session = PlaygroundSession(base_session.settings)
    state = fresh_state(monkeypatch, session)
    before = snapshot(session)
    assert controller.handle_event(event) is None
    assert notice in state[controller.NOTICES][-1]
    assert snapshot(session)[0] == before[0] and session.selected is None


def test_a_replayed_old_event_is_ignored_and_the_last_one_is_silent(base_session, monkeypatch):
    session = PlaygroundSession(base_session.settings)
    state = fresh_state(monkeypatch, session)
    first = {"type": "move", "cls": 0, "x": 1.0, "y": 1.0, "id": "v-1"}
    second = {"type": "move", "cls": 0, "x": 2.0, "y": 2.0, "id": "v-2"}
    assert controller.handle_event(first) == "v-1"
    assert controller.handle_event(second) == "v-2"
    moved = session.settings.centres[0]
    assert controller.handle_event(second) is None  # every rerun sees the last value again
    assert state[controller.NOTICES] == []
    assert controller.handle_event(first) is None  # an old one coming back
    assert "replayed" in state[controller.NOTICES][-1]
    assert session.settings.centres[0] == moved == (2.0, 2.0)
    # a remounted view starts a new tag and its counter at 1: accepted
    assert controller.handle_event({"type": "select", "index": 3, "id": "w-1"}) == "w-1"
    assert session.selected == 3
