"""Glue between Streamlit's session state, the URL and a ``PlaygroundSession``.

All session-state keys of the playground are named here. Widget callbacks only call these
functions; the page stays a layout script. Each browser tab has its own session state, so
nothing here is shared between users (there is no module-level mutable state).
"""

from __future__ import annotations

import time

import streamlit as st

from .payload import FPS, build_payload
from .session import PlaygroundSession
from .settings import FIELDS, PRESETS, Settings, apply_preset, from_query, to_query

SESSION = "pg_session"
PLAYING = "pg_playing"
NOTICES = "pg_notices"
LAST_EVENT = "pg_last_event"
LAST_CHUNK = "pg_last_chunk_t"
LAST_CONFIG = "pg_last_config"
SENT = "pg_sent"
FULL_RUN = "pg_full_run"
PENDING_FRAMES = "pg_pending_frames"
VIEW_KEY = "pg_view"
PRESET_KEY = "pg_preset"
WIDGET_PREFIX = "pg_"
LEAD_SECONDS = 0.3  # frames computed ahead (playback start, after a change): absorbs jitter
MAX_CHUNK = FPS  # at most one second of frames in one message


def widget_key(name: str) -> str:
    return WIDGET_PREFIX + name


def session() -> PlaygroundSession:
    return st.session_state[SESSION]


def init() -> None:
    """First run of a tab: settings from the URL (with notices), a session, widget values."""
    ss = st.session_state
    if SESSION not in ss:
        settings, notices = from_query(st.query_params.to_dict())
        ss[SESSION] = PlaygroundSession(settings)
        ss[PLAYING] = False
        ss[NOTICES] = notices
        ss[LAST_EVENT] = None
        ss[LAST_CHUNK] = None
        ss[SENT] = {}
        ss[FULL_RUN] = 0
        _push_widgets(settings)
        _write_url(settings)
    ss[FULL_RUN] += 1


def _push_widgets(settings: Settings) -> None:
    for name in FIELDS:
        st.session_state[widget_key(name)] = getattr(settings, name)


def _write_url(settings: Settings) -> None:
    st.query_params.from_dict(to_query(settings))


def settings_from_widgets() -> Settings:
    current = session().settings
    changes = {
        name: st.session_state.get(widget_key(name), getattr(current, name)) for name in FIELDS
    }
    if changes["n_classes"] != current.n_classes:
        return current.with_(**changes)
    return current.with_(**{k: v for k, v in changes.items() if k != "n_classes"})


# --- callbacks ---------------------------------------------------------------------------
def on_widget_change() -> None:
    new = settings_from_widgets()
    session().apply(new)
    _write_url(new)


def on_preset() -> None:
    name = st.session_state.get(PRESET_KEY)
    if name not in PRESETS:
        return
    new = apply_preset(session().settings, name)
    session().apply(new)
    _push_widgets(new)
    _write_url(new)


def on_play_pause() -> None:
    st.session_state[PLAYING] = not st.session_state[PLAYING]
    st.session_state[LAST_CHUNK] = None


def on_step() -> None:
    st.session_state[PLAYING] = False
    st.session_state[PENDING_FRAMES] = session().step_once()


def on_reset_weights() -> None:
    session().reset_weights()


def on_new_data() -> None:
    new = session().settings.with_(seed=(session().settings.seed + 1) % (2**31 - 1))
    session().apply(new)
    _push_widgets(new)
    _write_url(new)


def on_restore(halve_lr: bool = False) -> None:
    s = session()
    if halve_lr:
        from .settings import LR_CHOICES

        lower = [c for c in LR_CHOICES if c < s.settings.lr]
        new = s.settings.with_(lr=lower[-1] if lower else LR_CHOICES[0])
        s.apply(new)
        _push_widgets(new)
        _write_url(new)
    if not s.restore_best():
        s.reset_weights()


def dismiss_notices() -> None:
    st.session_state[NOTICES] = []


# --- the live view -----------------------------------------------------------------------
def handle_event(event: dict | None) -> str | None:
    """Apply the view's last event once (events carry unique ids); returns the id handled."""
    ss = st.session_state
    if not isinstance(event, dict) or event.get("id") is None or event["id"] == ss[LAST_EVENT]:
        return None
    ss[LAST_EVENT] = event["id"]
    s = session()
    try:
        if event.get("type") == "move":
            new = s.move_centre(int(event["cls"]), float(event["x"]), float(event["y"]))
            _write_url(new)
        elif event.get("type") == "select":
            index = event.get("index")
            s.selected = int(index) if index is not None else None
    except (KeyError, TypeError, ValueError):
        return None  # a malformed event is ignored; nothing the user set is lost
    return event["id"]


def frames_for_this_run() -> list[dict]:
    """The frames to send now: a chunk covering the time since the last one while playing,
    the Step button's two frames, or the current state while paused."""
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
        # the view flushes its queue on a change, so refill its buffer at once
        n += round(LEAD_SECONDS * FPS)
    ss[LAST_CHUNK] = now
    ss[LAST_CONFIG] = (s.run_id, s.config_version)
    frames = s.advance(min(MAX_CHUNK, max(1, n)))
    if s.divergence is not None:
        ss[PLAYING] = False
    return frames


def view_payload(frames: list[dict], ack: str | None) -> dict:
    """The view's arguments; points and history only when the view may not have them."""
    ss = st.session_state
    s = session()
    sent = ss[SENT]
    full = sent.get("full_run") != ss[FULL_RUN]
    include_points = full or sent.get("data_version") != s.data_version
    include_history = full or sent.get("run_id") != s.run_id
    ss[SENT] = {"full_run": ss[FULL_RUN], "data_version": s.data_version, "run_id": s.run_id}
    return build_payload(
        s,
        frames,
        playing=ss[PLAYING],
        include_points=include_points,
        include_history=include_history,
        ack=ack,
    )
