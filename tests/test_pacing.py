"""The live fragment's pacing under load (playground.pacing): interval, lead, caps, registry."""

import pytest

from playground import pacing
from playground.pacing import (
    FIXED,
    FPS,
    MAX_INTERVAL,
    MIN_INTERVAL,
    PlayingRegistry,
    pacing_for,
    run_interval,
)


@pytest.fixture(autouse=True)
def adaptive_env(monkeypatch):
    monkeypatch.delenv("SOFTMAX_PACING", raising=False)


def test_interval_keeps_the_process_near_its_run_budget():
    # n tabs at interval n / R make R timed runs a second together
    for n in (10, 20, 40):
        assert run_interval(n) == pytest.approx(n / pacing.RUNS_PER_SECOND, abs=0.05)
        assert n / run_interval(n) <= pacing.RUNS_PER_SECOND + 1e-9


def test_interval_is_bounded_monotone_and_in_steps():
    values = [run_interval(n) for n in range(0, 500)]
    assert values[0] == values[1] == MIN_INTERVAL  # one student: the old 0.1 s
    assert max(values) == MAX_INTERVAL
    assert values == sorted(values)
    for v in values:
        assert round(v / 0.05, 6) == round(v / 0.05)


def test_lead_covers_more_than_one_interval_and_the_cap_covers_a_flush():
    for n in (1, 5, 10, 20, 40, 80, 300):
        p = pacing_for(n)
        assert p.lead > p.interval + 0.2  # the queue outlasts a late message
        assert p.max_frames >= (p.lead + p.interval) * p.fps - 1
        assert p.max_frames >= p.fps
        assert p.fps >= 30  # the floor of painted frames a second
        assert p.fps == (FPS if n < pacing.LOADED_FROM else pacing.LOADED_FPS)
        assert p.queue_seconds >= p.lead + p.interval  # the view does not eat its buffer


def test_fixed_pacing_is_the_old_constants(monkeypatch):
    monkeypatch.setenv("SOFTMAX_PACING", "fixed")
    assert pacing_for(80) == FIXED
    assert (FIXED.interval, FIXED.lead, FIXED.max_frames) == (0.1, 0.3, FPS)
    assert FIXED.queue_seconds == 0.6  # the view's old catch-up threshold


def test_registry_counts_playing_tabs_and_forgets_paused_and_stale_ones():
    reg = PlayingRegistry(stale_seconds=5)
    assert reg.note("a", True, now=0) == 1
    assert reg.note("b", True, now=1) == 2
    assert reg.note("a", True, now=2) == 2  # the same tab again
    assert reg.note("b", False, now=3) == 1  # paused
    assert reg.note("c", True, now=6.5) == 2  # a was seen at 2: still counts
    assert reg.note("c", True, now=7.5) == 1  # a closed its tab: stale after 5 s
    assert reg.count() == 1


def test_play_sends_the_lead_and_the_queue_bound_for_this_load(monkeypatch):
    """Pressing Play (a flush): the view gets lead * FPS frames, its catch-up bound, and the
    process counts the tab as playing; paused, it no longer counts."""
    import json
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    registry = PlayingRegistry()
    monkeypatch.setattr(pacing, "PLAYING", registry)
    monkeypatch.setattr("playground.controller.PLAYING_TABS", registry)
    app = Path(__file__).resolve().parent.parent / "app.py"
    at = AppTest.from_file(str(app), default_timeout=60).run()
    at.button(key="pg_play").click().run()
    (view,) = at.get("component_instance")
    args = json.loads(view.proto.json_args)
    expected = pacing_for(1)
    assert args["playing"] is True
    assert len(args["frames"]) == round(expected.lead * FPS)
    assert args["queue_s"] == expected.queue_seconds
    assert registry.count() == 1
    at.button(key="pg_play").click().run()
    assert registry.count() == 0


def test_timed_runs_take_turns_and_give_way_to_their_tabs_drop():
    from playground.pacing import compute_turn

    with compute_turn(False) as first:
        assert first is True  # the turn is this run's
        with compute_turn(True) as drop:
            assert drop is False  # a drop does not queue behind it
        with compute_turn(False, timeout=0.1) as second:
            assert second is False  # another timed run waited, then went ahead anyway
        pending = iter([False, True])
        with compute_turn(False, give_way=lambda: next(pending), timeout=5) as third:
            assert third is False  # stopped waiting as soon as its tab had a drop pending
    with compute_turn(False) as again:
        assert again is True  # released


def test_fixed_pacing_takes_no_turns(monkeypatch):
    from playground.pacing import compute_turn

    monkeypatch.setenv("SOFTMAX_PACING", "fixed")
    with compute_turn(False) as a, compute_turn(False) as b:
        assert (a, b) == (False, False)


def test_min_tabs_paces_one_tab_as_a_loaded_replica(monkeypatch):
    monkeypatch.setenv("SOFTMAX_PACING_MIN_TABS", "40")
    assert pacing_for(1) == pacing_for(40)
    assert pacing_for(1).interval == run_interval(40) > MIN_INTERVAL
    monkeypatch.setenv("SOFTMAX_PACING_MIN_TABS", "many")
    assert pacing_for(1).interval == MIN_INTERVAL


def test_full_runs_and_handled_events_are_interactive():
    from playground import controller

    # outside a fragment's own run (here: no run at all) a run counts as a full run
    assert controller.fragment_run() is False
    assert controller.interactive_run(None) is True
    assert controller.interactive_run("abc-1") is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, pacing.RUNS_PER_SECOND), ("40", 40.0), ("x", pacing.RUNS_PER_SECOND), ("0", 27.0)],
)
def test_runs_per_second_comes_from_the_environment(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("SOFTMAX_RUNS_PER_SECOND", raising=False)
    else:
        monkeypatch.setenv("SOFTMAX_RUNS_PER_SECOND", value)
    assert pacing.runs_per_second_env() == expected
    # 40 tabs at R runs a second: an interval of 40 / R seconds (1.5 s at 27, 1.0 s at 40)
    assert run_interval(40) == pytest.approx(min(MAX_INTERVAL, 40 / expected), abs=0.05)


def test_the_ceiling_comes_from_the_environment_and_the_registry_outlives_two_intervals(
    monkeypatch,
):
    monkeypatch.setenv("SOFTMAX_MAX_INTERVAL", "4")
    assert pacing.max_interval() == 4.0
    assert run_interval(1000) == 4.0
    assert PlayingRegistry().stale_seconds == 8.0  # a late run of a playing tab still counts
    monkeypatch.setenv("SOFTMAX_MAX_INTERVAL", "99")  # out of range: the default
    assert pacing.max_interval() == MAX_INTERVAL
    monkeypatch.delenv("SOFTMAX_MAX_INTERVAL")
    assert PlayingRegistry().stale_seconds == max(pacing.STALE_SECONDS, 2 * MAX_INTERVAL)
