"""Glue between Streamlit's session state, the URL and a ``PlaygroundSession``.

All session-state keys of the playground are named here. Widget callbacks only call these
functions; the page stays a layout script. Each browser tab has its own session state, so
nothing here is shared between users (there is no module-level mutable state).
"""

from __future__ import annotations

import threading
import time

import streamlit as st

from softmax_core.datasets import parse_csv
from softmax_core.feature_maps import FEATURES
from ui.page_state import seed_widgets

from .advice import stable_choice
from .events import check_event
from .landscape_view import LandscapeCache, landscape_data
from .pacing import FIXED, Pacing, adaptive, pacing_for, waits_for_flush
from .pacing import PLAYING as PLAYING_TABS
from .payload import FPS, build_payload
from .presets import PRESETS, apply_preset
from .session import PlaygroundSession
from .settings import FIELDS, LR_CHOICES, PAGE_KEYS, Settings, from_query, to_query

SESSION = "pg_session"
PLAYING = "pg_playing"
NOTICES = "pg_notices"
LAST_EVENT = "pg_last_event"
SEEN_EVENTS = "pg_seen_events"
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
PHI_WIDGET = "pg_phi"  # the extra features phi of 2-D data (a multi-select of tokens)
NEEDS_FULL_RUN = "pg_needs_full_run"  # a fix in the view's fragment changed the sidebar's values
LANDSCAPE_CACHE = "pg_landscape_cache"  # when the loss surface was last sent
LESSON = "pg_lesson"  # (preset name, its line on what to look for) while that lesson runs
WIDGET_PREFIX = "pg_"
PACING = "pg_pacing"  # this run's Pacing (playground.pacing): timer interval, lead, frame cap
TIMER = "pg_timer"  # the live fragment's timer interval the browser was last told


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
        ss[LESSON] = None
    # Every full run, not only the first: Streamlit drops the state of widgets a run does
    # not draw (a visit to another page, a hidden control), and a visit to another page
    # also leaves the URL bare. The settings live in the session, so re-seed both from it.
    _push_widgets(ss[SESSION].settings, source=not awaiting_upload())
    _write_url(ss[SESSION].settings)
    ss[FULL_RUN] += 1


def _push_widgets(settings: Settings, source: bool = True) -> None:
    """Widgets show ``settings`` (the source widget too unless ``source`` is False: it may
    say "Upload CSV" while no valid file has arrived yet)."""
    values = {widget_key(name): getattr(settings, name) for name in FIELDS}
    if not source:
        del values[widget_key("source")]
    values[FEATURES_WIDGET] = list(settings.features)
    values[PHI_WIDGET] = list(settings.phi)
    seed_widgets(values)


def _write_url(settings: Settings) -> None:
    kept = {k: st.query_params[k] for k in PAGE_KEYS if k in st.query_params}
    query = {**to_query(settings), **kept}
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def settings_from_widgets() -> Settings:
    current = session().settings
    changes = {
        name: st.session_state.get(widget_key(name), getattr(current, name)) for name in FIELDS
    }
    changes["features"] = tuple(st.session_state.get(FEATURES_WIDGET, current.features))
    chosen = st.session_state.get(PHI_WIDGET, current.phi) or ()
    changes["phi"] = tuple(t for t in FEATURES if t in chosen)  # canonical order
    if changes["source"] == "upload" and session().uploaded is None:
        changes["source"] = current.source  # keep showing the data until a file arrives
    if changes["source"] != current.source:  # another table: its own columns, all trained
        changes.update(features=(), plot_x=0, plot_y=1)
        data = session().source_dataset(changes["source"])
        if data is not None:  # more than two columns: open on the plane that shows them all
            changes["pca"] = data.n_features > 2
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
    if (new.source, new.n_classes) != (s.settings.source, s.settings.n_classes):
        st.session_state[LESSON] = None  # the lesson's data is gone
    notices = s.apply(new)
    if notices:
        st.session_state[NOTICES] = [*st.session_state[NOTICES], *notices][-5:]
    _push_widgets(s.settings, source=not awaiting_upload())
    _write_url(s.settings)


def apply_settings(new: Settings) -> None:
    """``new`` settings from a control outside the settings' own widgets (ui/panels.py)."""
    _apply(new)


def on_widget_change() -> None:
    _apply(settings_from_widgets())


def on_preset() -> None:
    """Load a lesson: its settings, a fresh run (new weights, empty history, no divergence),
    paused at step 0, and its line on what to look for. The picker goes back to its prompt
    so the same preset can be loaded again to restart the lesson."""
    ss = st.session_state
    name = ss.get(PRESET_KEY)
    ss[PRESET_KEY] = None
    if name not in PRESETS:
        return
    s = session()
    _apply(apply_preset(s.settings, name))
    s.reset_weights()
    s.selected = None
    ss[PLAYING] = False
    ss[LAST_CHUNK] = None
    ss[LESSON] = (name, PRESETS[name].look_for)


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
    _apply(
        s.settings.with_(source="upload", features=(), plot_x=0, plot_y=1, pca=data.n_features > 2)
    )


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


def on_play_pause(play: bool | None = None) -> None:
    """Play (``play`` True) or pause (False); None toggles.

    The button passes the state its label promised: under load Streamlit 1.67 was seen to
    run the click's callback twice (the trigger replayed when a full-run request was
    coalesced with the fragment's timed reruns), so a toggle flipped back and the click
    had no effect. Setting the promised state is the same however often it runs."""
    st.session_state[PLAYING] = not st.session_state[PLAYING] if play is None else bool(play)
    st.session_state[LAST_CHUNK] = None


def on_step() -> None:
    st.session_state[PLAYING] = False
    st.session_state[PENDING_FRAMES] = session().step_once()


def on_reset_weights() -> None:
    session().reset_weights()  # also clears a divergence


def on_new_data() -> None:
    """A new sample (next seed). Training goes on from the current weights, unless they
    diverged: then it starts afresh."""
    s = session()
    _apply(s.settings.with_(seed=(s.settings.seed + 1) % (2**31 - 1)))
    if s.divergence is not None:
        s.reset_weights()


def on_stable_lr() -> None:
    """The fix offered in the main area: the largest learning rate below 2/L, from the best
    weights seen if training diverged."""
    s = session()
    _apply(s.settings.with_(lr=stable_choice(s.stable_lr(), LR_CHOICES)))
    if s.divergence is not None and not s.restore_best():
        s.reset_weights()
    st.session_state[NEEDS_FULL_RUN] = True


def on_standardise() -> None:
    _apply(session().settings.with_(standardise=True))
    st.session_state[NEEDS_FULL_RUN] = True


def on_restore(halve_lr: bool = False) -> None:
    s = session()
    if halve_lr:
        lower = [c for c in LR_CHOICES if c < s.settings.lr]
        _apply(s.settings.with_(lr=lower[-1] if lower else LR_CHOICES[0]))
        st.session_state[NEEDS_FULL_RUN] = True
    if not s.restore_best():
        s.reset_weights()


def dismiss_notices() -> None:
    st.session_state[NOTICES] = []


# --- the live view -----------------------------------------------------------------------
def handle_event(event) -> str | None:
    """Apply the view's last event once, if ``events.check_event`` accepts it; returns the
    id handled. A bad event leaves the session as it was and adds a notice."""
    ss = st.session_state
    s = session()
    seen = ss.setdefault(SEEN_EVENTS, {})
    checked, notice = check_event(event, s.n_classes, s.X.shape[0], seen)
    if notice:
        ss[NOTICES] = [*ss.get(NOTICES, []), notice][-5:]
    if checked is None:
        return None
    ss[LAST_EVENT] = checked.id
    if checked.kind == "move":
        _write_url(s.move_centre(checked.cls, checked.x, checked.y))
    elif checked.kind in ("add", "remove"):
        s.edit_points(checked.kind, checked.x, checked.y, checked.cls)
    elif checked.kind == "resync":
        # The view lacks the points or the history (a message of an interrupted run was
        # dropped, or the view was remounted): send everything again in this run.
        ss[SENT] = {}
    elif checked.kind == "select":
        s.selected = checked.index
    return checked.id


def pacing() -> Pacing:
    """This run's pacing, from the tabs playing on this process (``playground.pacing``);
    records whether this tab plays. Stored in session state for the rest of the run."""
    ss = st.session_state
    playing = bool(ss.get(PLAYING))
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        sid = get_script_run_ctx().session_id
    except Exception:  # no script run context (plain unit tests)
        sid = str(id(ss))
    n = PLAYING_TABS.note(sid, playing)
    ss[PACING] = pace = pacing_for(n)
    return pace


def run_every() -> float | None:
    """The live fragment's ``run_every`` for a full run (None while paused)."""
    if not st.session_state.get(PLAYING):
        return None
    interval = pacing().interval
    st.session_state[TIMER] = interval
    return interval


def retime_fragment(interval: float) -> bool:
    """In a timed fragment run: when the load moved this tab's interval, tell the browser
    (the ``auto_rerun`` message that ``st.fragment(run_every=...)`` sends in a full run; the
    frontend replaces the fragment's timer when the interval differs). It is not a delta, so
    a later run clearing this fragment's unsent deltas keeps it. Returns True if sent."""
    ss = st.session_state
    if not ss.get(PLAYING) or ss.get(TIMER) in (None, interval):
        return False
    try:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.runtime.scriptrunner_utils.script_run_context import (
            ThreadState,
            enqueue_message,
        )

        fragment_id = ThreadState.get().fragment_id
        if not fragment_id:
            return False
        msg = ForwardMsg()
        msg.auto_rerun.interval = interval
        msg.auto_rerun.fragment_id = fragment_id
        enqueue_message(msg)
    except Exception:  # another Streamlit, or no run: keep the interval of the full run
        return False
    ss[TIMER] = interval
    return True


def frames_for_this_run() -> list[dict]:
    """The frames to send now: a chunk covering the time since the last one while playing,
    the Step button's two frames, or the current state while paused.

    While playing, n = round(gap * fps) frames for the time since the last chunk (the gap
    counted up to 1.25 timer intervals); after a flush of the view's queue (Play, a change, a
    drop) ``lead * fps`` frames, which is all the view then holds. With
    ``SOFTMAX_PACING=fixed`` the old rule: gap frames (one if the gap passed 1 s) plus the
    lead after a flush."""
    ss = st.session_state
    s = session()
    pace = ss.get(PACING) or FIXED
    pending = ss.pop(PENDING_FRAMES, None)
    if pending:
        return pending
    if not ss[PLAYING]:
        return [s.frame()]
    now = time.monotonic()
    last = ss[LAST_CHUNK]
    flush = last is None or ss.get(LAST_CONFIG) != (s.run_id, s.config_version)
    if adaptive():
        # after a flush the view holds only this message's frames: the lead is enough
        # a late run does not catch up (at most 1.25 intervals of frames): when the server
        # is saturated its frame work falls with its run rate instead of staying the same
        gap = min(now - last, 1.25 * pace.interval) if last is not None else 0.0
        n = round(pace.lead * pace.fps) if flush else round(gap * pace.fps)
    else:
        n = round((now - last) * FPS) if last is not None and now - last < 1.0 else 0
        if flush:  # the view flushes its queue on a change, so refill its buffer at once
            n += round(pace.lead * FPS)
    ss[LAST_CHUNK] = now
    ss[LAST_CONFIG] = (s.run_id, s.config_version)
    frames = s.advance(min(pace.max_frames, max(1, n)))
    if s.divergence is not None:
        ss[PLAYING] = False
        # The page reruns when playing stops, and that run's message replaces this one:
        # hand it these frames, so the view still plays the run up to the step that diverged
        # (a first chunk can hold all of it: the counter jumped from 0 to the alert's step).
        ss[PENDING_FRAMES] = frames
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
    payload = build_payload(
        s,
        frames,
        playing=ss[PLAYING],
        include_points=include_points,
        include_history=include_history,
        ack=ack,
    )
    # how much the view may queue before it plays faster to catch up (playback.js)
    pace = ss.get(PACING) or FIXED
    payload["queue_s"] = pace.queue_seconds
    payload["fps"] = pace.fps  # the view plays its queue at this rate
    if s.settings.landscape:
        cache = ss.setdefault(LANDSCAPE_CACHE, LandscapeCache())
        if cache.due(s, ss[PLAYING]) or full:
            with s.lock:
                payload["landscape"] = landscape_data(s)
    return payload


def interactive_request_pending() -> bool:
    """A rerun that is not the timer's (a drop, a click, a full run) waits for this tab's
    run to end (Streamlit 1.67's ScriptRequests; False if its internals moved)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

        requests = get_script_run_ctx().script_requests
        data = requests._rerun_data
        return requests._state == ScriptRequestType.RERUN and not data.is_auto_rerun
    except Exception:
        return False


def fragment_run() -> bool:
    """This run is a fragment's own run (a timer tick, a drop), not a full run."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        return bool(get_script_run_ctx().fragment_ids_this_run)
    except Exception:  # no script run context
        return False


def interactive_run(ack: str | None) -> bool:
    """A run someone is waiting for: a full run (Play/Pause, a widget) or a handled drop or
    click in the view (``ack``); timed runs are the rest."""
    return ack is not None or not fragment_run()


def end_fragment_run() -> bool:
    """End of a fragment run (not a full run, which waits at its own end): with the adaptive
    pacing, wait until this run's messages have been sent (``wait_until_sent``), so that the
    next run of this tab cannot clear them unsent. Returns True if it waited."""
    if not waits_for_flush() or not fragment_run():
        return False  # a full run waits at its end (app.py)
    # A pending drop or click flushes the view anyway: it need not wait for these frames.
    # Longer than a full run's wait: under load the event loop may take a while, and frames
    # cleared unsent are work thrown away (the collapse of docs/deployment.md).
    return wait_until_sent(TIMED_FLUSH_WAIT_SECONDS, give_up=interactive_request_pending)


# --- keeping the view mounted ------------------------------------------------------------
FLUSH_WAIT_SECONDS = 0.5
TIMED_FLUSH_WAIT_SECONDS = 2.0


def wait_until_sent(timeout: float = FLUSH_WAIT_SECONDS, give_up=lambda: False) -> bool:
    """End of a full run: wait (at most ``timeout``, or until ``give_up()``) until this run's
    messages have left the server's queue for the browser. Returns False if they had not (or
    if Streamlit's internals moved: then this waits for nothing and the race below is back).

    Why: while playing, the view's fragment timer asks for a fragment run during every full
    run (Play/Pause, any widget). Streamlit 1.67 starts that run as soon as the full run
    ends and, on its start, drops the queued, not yet sent messages of that fragment
    (ForwardMsgQueue.clear with fragment_ids_this_run) but keeps the full run's
    FINISHED_SUCCESSFULLY. The browser then finishes a full run that never drew the view,
    prunes it as stale, and remounts the iframe on the next fragment run: the view blinked
    and lost its animation, and a test holding its frame saw "Frame was detached". Observed
    in 4 of 10 two-tab runs on busy cores (websocket capture: the full run's add_block of the
    view's containers arrived, its component_instance never did, then finished 0).
    """
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        app_session = Runtime.instance()._session_mgr.get_active_session_info(ctx.session_id)
        app_session = app_session.session
        queue, loop = app_session._browser_queue, app_session._event_loop
    except Exception:  # not served (AppTest) or another Streamlit: nothing to wait for
        return False
    deadline = time.monotonic() + timeout
    # The run's messages reach the queue through callbacks on the session's event loop: a
    # marker scheduled after them has run once they are all queued; then wait for the flush.
    queued = threading.Event()
    try:
        loop.call_soon_threadsafe(queued.set)
    except RuntimeError:  # the loop is closing: the session is going away
        return False
    while not queued.wait(0.005):
        if time.monotonic() > deadline or give_up():
            return False
    while len(queue) and time.monotonic() < deadline and not give_up():
        time.sleep(0.005)
    return not len(queue)
