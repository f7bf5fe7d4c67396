"""How often a playing tab's live fragment runs, from how many tabs play on this process.

Every run of the live fragment costs the server several ms of CPU whatever it computes
(Streamlit's rerun machinery, element ids, the view's arguments), and all the tabs of one
replica share one Python process and its GIL. With a fixed interval of 0.1 s, 20 playing
students asked for 200 runs a second, the event loop starved, queued messages were cleared by
the next run before they were sent, and the replica delivered nothing (docs/deployment.md).

So the interval grows with the number of tabs playing on this process, n:

    interval(n) = clamp(n / RUNS_PER_SECOND, MIN_INTERVAL, MAX_INTERVAL), rounded up to 0.05 s

which keeps the timed runs of the whole process near ``RUNS_PER_SECOND`` a second: each
student's view gets fewer, larger messages (frames per message = interval * FPS) instead of
the replica collapsing. The view paints from a queue, so it keeps painting 60 frames a second
as long as it holds more than one interval of frames: the lead computed after a flush is

    lead(interval) = LEAD_FACTOR * interval + LEAD_MARGIN   (seconds of frames)

and a run computes at most ``max_frames = (lead + interval) * fps`` frames (at least fps), so
a run that comes late does not grow the work without bound.

Frames themselves cost about 0.12 ms of CPU each (benchmarks/bench_frames.py: the loss,
gradient and accuracy of every frame are one pass over the training data, one more over the
test data; NumPy's per-call overhead dominates at these sizes). Since 7 Dec frame workers
compute them in other processes (``playground.frame_pool``): the server's own thread pays
0.05-0.08 ms a frame (benchmarks/bench_frame_workers.py). From
``LOADED_FROM`` tabs on a tab gets ``LOADED_FPS`` frames a second instead of 60, each still
``speed`` optimiser steps: the picture stays smooth and training advances at 2/3 of its
unloaded pace in wall-clock time. A drop, Play/Pause and every
widget are answered by their own rerun at once: only the timer slows down.

A timed run also waits (sleeping, at most 0.5 s) until its messages have left the server's
queue for the browser: Streamlit clears a fragment's unsent messages when its next run
starts, and under load the next run used to start before the event loop had sent the last
one, so computed frames were thrown away. Waiting makes each tab's runs go no faster than
its messages are delivered (back-pressure) instead.

``SOFTMAX_PACING=fixed`` in the server's environment restores the old constants (0.1 s, a
0.3 s lead, at most one second of frames per run, no wait): the load benchmark's baseline;
``SOFTMAX_PACING=interval`` the adaptive interval without the wait (to measure each lever).
``SOFTMAX_PACING_MIN_TABS=N`` paces as if N tabs played (a browser test of a loaded pace).
``SOFTMAX_RUNS_PER_SECOND`` and ``SOFTMAX_MAX_INTERVAL`` override the run budget and the
timer's ceiling (operators' levers, and the benchmarks' A/B).

The registry of playing tabs is the one piece of process-wide mutable state of the
playground, on purpose (it is what "load" means here); it holds session ids and times only.
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
import time
from dataclasses import dataclass

FPS = 60
LOADED_FPS = 40  # frames a second per tab once LOADED_FROM tabs play (the floor: 30)
LOADED_FROM = 24
# Timed fragment runs per second per process (all tabs together), and the timer's ceiling.
# 27 and 3 s since 7 Dec (40 and 1.5 s before): alternated at 10, 40, 60 and 80 students,
# ack p95 59/118/144/188-1204 ms against 71/148/177/480-3202, server CPU 28/49/51/56-76 %
# against 39/58/64/81-95, frames the same up to 60 students and held at 80 (p10 38.1-38.4
# frames/s against 28.9-38.9); docs/deployment.md.
RUNS_PER_SECOND = 27.0
MIN_INTERVAL = 0.1  # seconds; a lone student gets what the fixed pacing gave
MAX_INTERVAL = 3.0  # seconds; the view's queue holds lead + interval, about 7 s at the ceiling
LEAD_FACTOR, LEAD_MARGIN = 1.25, 0.3
STALE_SECONDS = 5.0  # a tab not seen playing for this long (closed, paused) no longer counts
# (at least two timer intervals: a playing tab whose run comes late must not drop out)


@dataclass(frozen=True)
class Pacing:
    """The timer interval (s), the lead after a flush (s), the most frames per run, and the
    frames per second the tab is sent (and its view plays)."""

    interval: float
    lead: float
    max_frames: int
    fps: int = FPS

    @property
    def queue_seconds(self) -> float:
        """How much the view may hold before it plays faster to catch up (playback.js)."""
        return max(0.6, self.lead + self.interval)


FIXED = Pacing(interval=0.1, lead=0.3, max_frames=FPS)  # before issue 21: the baseline


MODES = ("fixed", "interval", "adaptive")


def mode() -> str:
    """SOFTMAX_PACING: "fixed" (the baseline), "interval" (the adaptive interval, lead and
    frame cap only), "adaptive" (the default: also timed runs take turns, ``compute_turn``,
    and each waits until its messages have left for the browser, see
    ``playground.controller.wait_until_sent``)."""
    value = os.environ.get("SOFTMAX_PACING", "adaptive").strip().lower()
    return value if value in MODES else "adaptive"


def min_tabs() -> int:
    """SOFTMAX_PACING_MIN_TABS: pace as if at least this many tabs played (to see a loaded
    replica's pacing with one browser: tests/test_pacing_browser.py). 0 if unset."""
    try:
        return max(0, int(os.environ.get("SOFTMAX_PACING_MIN_TABS", "0")))
    except ValueError:
        return 0


def runs_per_second_env() -> float:
    """SOFTMAX_RUNS_PER_SECOND: the timed runs a second this process aims at (all tabs
    together), ``RUNS_PER_SECOND`` if unset or not a number in [5, 200]. Fewer runs cost
    the server less (Streamlit's work per run) and send larger messages."""
    try:
        value = float(os.environ.get("SOFTMAX_RUNS_PER_SECOND", RUNS_PER_SECOND))
    except ValueError:
        return RUNS_PER_SECOND
    return value if 5.0 <= value <= 200.0 else RUNS_PER_SECOND


def max_interval() -> float:
    """SOFTMAX_MAX_INTERVAL: the timer's ceiling in seconds, ``MAX_INTERVAL`` if unset or
    not a number in [MIN_INTERVAL, 5]."""
    try:
        value = float(os.environ.get("SOFTMAX_MAX_INTERVAL", MAX_INTERVAL))
    except ValueError:
        return MAX_INTERVAL
    return value if MIN_INTERVAL <= value <= 5.0 else MAX_INTERVAL


def adaptive() -> bool:
    """The interval follows the load (every mode but "fixed")."""
    return mode() != "fixed"


def waits_for_flush() -> bool:
    return mode() == "adaptive"


def run_interval(n_playing: int, runs_per_second: float | None = None) -> float:
    """clamp(n / runs_per_second, MIN_INTERVAL, MAX_INTERVAL), rounded up to 0.05 s (so the
    browser's timer is not reset at every small change of n)."""
    raw = max(1, int(n_playing)) / (runs_per_second or runs_per_second_env())
    stepped = math.ceil(round(raw / 0.05, 6)) * 0.05
    return round(min(max_interval(), max(MIN_INTERVAL, stepped)), 2)


def pacing_for(n_playing: int) -> Pacing:
    """The pacing of every playing tab when ``n_playing`` tabs play on this process."""
    if not adaptive():
        return FIXED
    n_playing = max(n_playing, min_tabs())
    interval = run_interval(n_playing)
    lead = round(LEAD_FACTOR * interval + LEAD_MARGIN, 3)
    fps = LOADED_FPS if n_playing >= LOADED_FROM else FPS
    # a flush (lead) plus one interval: a drop's run refills the view and covers its gap
    return Pacing(interval, lead, max(fps, math.ceil((lead + interval) * fps)), fps)


TURN_TIMEOUT = 0.5  # seconds a timed run waits for its turn before it runs anyway
_TURN = threading.Lock()


@contextlib.contextmanager
def compute_turn(interactive: bool, give_way=lambda: False, timeout: float = TURN_TIMEOUT):
    """One timed fragment run of this process computes at a time (adaptive mode only).

    With 20 tabs' script threads computing frames at once, each got 1/20 of the GIL, the
    event loop that sends every tab's messages waited behind them, and a drop's run waited
    behind all of them. Timed runs queue here (asleep, not holding the GIL); an interactive
    run (a drop, a click, a full run) does not, so it competes with at most one timed run.
    A timed run stops waiting when ``give_way()`` says an interactive request of its own tab
    is pending (that request runs next), and after ``timeout`` it goes ahead anyway."""
    if interactive or not waits_for_flush():
        yield False
        return
    deadline = time.monotonic() + timeout
    got = False
    while not got and time.monotonic() < deadline and not give_way():
        got = _TURN.acquire(timeout=0.02)
    try:
        yield got
    finally:
        if got:
            _TURN.release()


class PlayingRegistry:
    """Tabs playing on this process: session id -> when last seen playing (monotonic)."""

    def __init__(self, stale_seconds: float | None = None) -> None:
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()
        self._stale_seconds = stale_seconds

    @property
    def stale_seconds(self) -> float:
        """``STALE_SECONDS``, or two timer ceilings if that is longer."""
        if self._stale_seconds is not None:
            return self._stale_seconds
        return max(STALE_SECONDS, 2 * max_interval())

    def note(self, session_id: str, playing: bool, now: float | None = None) -> int:
        """Record whether ``session_id`` plays; returns how many tabs play now."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if playing:
                self._seen[session_id] = now
            else:
                self._seen.pop(session_id, None)
            cutoff = now - self.stale_seconds
            for sid in [s for s, t in self._seen.items() if t < cutoff]:
                del self._seen[sid]
            return len(self._seen)

    def count(self) -> int:
        with self._lock:
            return len(self._seen)


PLAYING = PlayingRegistry()
