"""Glue between Streamlit's session state, the URL and a ``PlaygroundSession``.

All session-state keys of the playground are named here. Widget callbacks only call these
functions; the page stays a layout script. Each browser tab has its own session state, so
nothing here is shared between users (there is no module-level mutable state).
"""

from __future__ import annotations

import time

import streamlit as st

from softmax_core.datasets import parse_csv

from .payload import FPS, build_payload
from .session import PlaygroundSession
from .settings import FIELDS, PAGE_KEYS, PRESETS, Settings, apply_preset, from_query, to_query

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
UPLOAD_KEY = "pg_upload"
UPLOAD_ERROR = "pg_upload_error"
FEATURES_WIDGET = "pg_features"
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
        notices += ss[SESSION].notices
        settings = ss[SESSION].settings
        ss[UPLOAD_ERROR] = None
        ss[PLAYING] = False
        ss[NOTICES] = notices
        ss[LAST_EVENT] = None
        ss[LAST_CHUNK] = None
        ss[SENT] = {}
        ss[FULL_RUN] = 0
        _push_widgets(settings)
        _write_url(settings)
    ss[FULL_RUN] += 1


def _push_widgets(settings: Settings, source: bool = True) -> None:
    """Widgets show ``settings`` (the source widget too unless ``source`` is False: it may
    say "Upload CSV" while no valid file has arrived yet)."""
    for name in FIELDS:
        if name != "source" or source:
            st.session_state[widget_key(name)] = getattr(settings, name)
    st.session_state[FEATURES_WIDGET] = list(settings.features)


def _write_url(settings: Settings) -> None:
    kept = {k: st.query_params[k] for k in PAGE_KEYS if k in st.query_params}
    st.query_params.from_dict({**to_query(settings), **kept})


def settings_from_widgets() -> Settings:
    current = session().settings
    changes = {
        name: st.session_state.get(widget_key(name), getattr(current, name)) for name in FIELDS
    }
    changes["features"] = tuple(st.session_state.get(FEATURES_WIDGET, current.features))
    if changes["source"] == "upload" and session().uploaded is None:
        changes["source"] = current.source  # keep showing the data until a file arrives
    if changes["source"] != current.source:  # another table: its own columns, all trained
        changes.update(features=(), plot_x=0, plot_y=1)
    if changes["n_classes"] != current.n_classes:
        return current.with_(**changes)
    return current.with_(**{k: v for k, v in changes.items() if k != "n_classes"})


# --- callbacks ---------------------------------------------------------------------------
def awaiting_upload() -> bool:
    """The source widget says "Upload CSV" but no valid file has arrived yet."""
    return st.session_state.get(widget_key("source")) == "upload" and session().uploaded is None


def _apply(new: Settings) -> None:
    """Apply ``new`` to the session, then show what it became (widgets, URL, notices)."""
    s = session()
    notices = s.apply(new)
    if notices:
        st.session_state[NOTICES] = [*st.session_state[NOTICES], *notices][-5:]
    _push_widgets(s.settings, source=not awaiting_upload())
    _write_url(s.settings)


def on_widget_change() -> None:
    _apply(settings_from_widgets())


def on_preset() -> None:
    name = st.session_state.get(PRESET_KEY)
    if name not in PRESETS:
        return
    _apply(apply_preset(session().settings, name))


def on_upload() -> None:
    """Parse the uploaded file; on success train on it, else keep the data and say why."""
    file = st.session_state.get(UPLOAD_KEY)
    if file is None:  # the file was removed: keep whatever is shown
        st.session_state[UPLOAD_ERROR] = None
        return
    name = str(getattr(file, "name", "uploaded file"))[:80]
    error, data = upload_result(file.getvalue(), name)
    st.session_state[UPLOAD_ERROR] = error
    if data is None:
        return
    s = session()
    s.set_upload(data)
    _apply(s.settings.with_(source="upload", features=(), plot_x=0, plot_y=1))


def upload_result(raw: bytes, name: str):
    """(error message or None, Dataset or None) for an uploaded file's bytes."""
    try:
        return None, parse_csv(raw, name=name)
    except ValueError as err:
        return f"{name}: {err} The data shown is unchanged.", None
    except Exception as err:  # a parser bug must not cost the user their data
        return (
            f"{name} could not be read ({type(err).__name__}). The data shown is unchanged.",
            None,
        )


def on_play_pause() -> None:
    st.session_state[PLAYING] = not st.session_state[PLAYING]
    st.session_state[LAST_CHUNK] = None


def on_step() -> None:
    st.session_state[PLAYING] = False
    st.session_state[PENDING_FRAMES] = session().step_once()


def on_reset_weights() -> None:
    session().reset_weights()


def on_new_data() -> None:
    _apply(session().settings.with_(seed=(session().settings.seed + 1) % (2**31 - 1)))


def on_restore(halve_lr: bool = False) -> None:
    s = session()
    if halve_lr:
        from .settings import LR_CHOICES

        lower = [c for c in LR_CHOICES if c < s.settings.lr]
        _apply(s.settings.with_(lr=lower[-1] if lower else LR_CHOICES[0]))
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
        elif event.get("type") == "resync":
            # The view lacks the points or the history (a message of an interrupted run was
            # dropped, or the view was remounted): send everything again in this run.
            ss[SENT] = {}
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


def view_payload(frames: list[dict], ack: str | None = None) -> dict:
    """The view's arguments; points and history only when the view may not have them.

    ``ack`` defaults to the last event handled, sent with every message: the message of
    the run that handled it may be dropped if a newer run interrupts it."""
    ss = st.session_state
    ack = ack or ss[LAST_EVENT]
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
