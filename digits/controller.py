"""Glue between Streamlit's session state and a ``DigitsSession``: keys, callbacks, chunks.

All session-state keys of the Digits page are named here (prefix ``dg_``); widget callbacks
only call these functions, so the page stays a layout script. Nothing is module-level state.
"""

from __future__ import annotations

import base64
import time

import numpy as np
import streamlit as st

from .session import DigitsSession, DigitsSettings, accuracy_on_test

SESSION = "dg_session"
PLAYING = "dg_playing"
LAST_CHUNK = "dg_last_chunk_t"
LAST_CONFIG = "dg_last_config"
SENT_RUN = "dg_sent_run"
FULL_RUN = "dg_full_run"
PENDING_FRAMES = "dg_pending_frames"
VIEW_KEY = "dg_view"
DRAW_KEY = "dg_draw"
WIDGETS = {
    "lr": "dg_lr",
    "l2": "dg_l2",
    "optimizer": "dg_optimizer",
    "speed": "dg_speed",
    "batch_size": "dg_batch",
}
FPS = 15  # frames of templates per second of Play
LEAD_SECONDS = 0.4  # frames computed ahead after a change: absorbs a late message
MAX_CHUNK = FPS  # at most one second of frames in one message
RUN_EVERY = 0.2  # seconds between server messages while playing


def session() -> DigitsSession:
    return st.session_state[SESSION]


def init() -> None:
    """First run of a tab: a session and the widgets' values; every run: re-seed the widgets
    (a page not drawn loses its widget state, see STREAMLIT.md)."""
    ss = st.session_state
    if SESSION not in ss:
        ss[SESSION] = DigitsSession()
        ss[PLAYING] = False
        ss[LAST_CHUNK] = None
        ss[FULL_RUN] = 0
    ss[FULL_RUN] += 1
    settings = session().settings
    for name, key in WIDGETS.items():
        if key not in ss:
            ss[key] = getattr(settings, name)


def on_settings_change() -> None:
    ss = st.session_state
    s = session()
    s.apply(DigitsSettings(**{name: ss[key] for name, key in WIDGETS.items()}))


def on_play_pause() -> None:
    st.session_state[PLAYING] = not st.session_state[PLAYING]
    st.session_state[LAST_CHUNK] = None


def on_step() -> None:
    st.session_state[PLAYING] = False
    st.session_state[PENDING_FRAMES] = session().step_once()


def on_reset() -> None:
    session().reset()


def frames_for_this_run() -> list[dict]:
    """While playing, the frames of the time since the last message (plus a lead after a
    change, when the view flushes its queue); the Step button's two; else the current state."""
    ss = st.session_state
    s = session()
    pending = ss.pop(PENDING_FRAMES, None)
    if pending:
        return pending
    if not ss[PLAYING]:
        return [s.frame()]
    now = time.monotonic()
    last = ss[LAST_CHUNK]
    n = round((now - last) * FPS) if last is not None and now - last < 1.0 else 0
    if last is None or ss.get(LAST_CONFIG) != (s.run_id, s.config_version):
        n += round(LEAD_SECONDS * FPS)
    ss[LAST_CHUNK] = now
    ss[LAST_CONFIG] = (s.run_id, s.config_version)
    frames = s.advance(min(MAX_CHUNK, max(1, n)))
    if s.diverged is not None:
        ss[PLAYING] = False
    return frames


def view_payload(frames: list[dict], optimum: dict | None) -> dict:
    """The live view's arguments; the history only after a full page run or a reset."""
    ss = st.session_state
    s = session()
    sent = (ss[FULL_RUN], s.run_id)
    include_history = ss.get(SENT_RUN) != sent
    ss[SENT_RUN] = sent
    return {
        "run_id": s.run_id,
        "config_version": s.config_version,
        "playing": bool(ss[PLAYING]),
        "fps": FPS,
        "frames": frames,
        "history": s.history_payload() if include_history else None,
        "optimum": optimum,
        "lr": s.settings.lr,
        "l2": s.settings.l2,
    }


def optimum_payload() -> tuple[dict | None, float | None]:
    """(the optimum's templates for the view, its test accuracy), or (None, None) when
    there is no finite optimum at this L2."""
    s = session()
    value = s.optimum()
    if isinstance(value, str):
        return None, None
    W, b = value
    acc = accuracy_on_test(s, W, b)
    templates = np.ascontiguousarray(W.T, dtype=np.float32)  # (K, 64): row k is template k
    return {
        "W": base64.b64encode(templates.tobytes()).decode("ascii"),
        "scale": float(np.max(np.abs(W))),
        "caption": f"Exact optimum at L2 = {s.settings.l2:g}: test acc {100 * acc:.1f}%",
    }, acc


def cell_from_selection(event) -> tuple[int, int] | None:
    """(true, predicted) of the confusion cell clicked, from ``st.plotly_chart``'s selection
    event: the point's y is the true digit and its x the prediction. None when the event holds
    no usable point (a cleared selection, or anything malformed)."""
    try:
        point = event["selection"]["points"][0]
        true, pred = int(point["y"]), int(point["x"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return (true, pred) if 0 <= true < 10 and 0 <= pred < 10 else None
