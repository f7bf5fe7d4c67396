"""A Streamlit client without a browser: Streamlit's websocket protocol, as its frontend speaks it.

What the browser does, and this client does the same (read from streamlit 1.67's server,
``streamlit/web/server/starlette/starlette_websocket.py``, and its frontend bundle):

1. It loads the page, then ``GET /_stcore/health``, which sets the ``_streamlit_xsrf`` cookie.
2. It opens the websocket ``/_stcore/stream`` with the subprotocol list
   ``["streamlit", <xsrf cookie value>]`` (a third entry would resume an existing session)
   and the page's cookies and Origin.
3. It sends ``BackMsg.rerun_script`` (a ``ClientState``): the URL's query string, the page
   (``page_script_hash`` once ``new_session`` has named it; empty and ``page_name`` for the
   first run), and the widget states. The server answers with ``ForwardMsg``s: a
   ``new_session``, ``page_info_changed`` (the app rewrote the query string: later reruns send
   the new one), ``delta``s (elements, each widget with its id), ``script_finished``.
4. Widget states: the browser sends the value of *every* widget it has drawn with every
   rerun, a button's ``trigger_value`` only once, and a component's last value (json) again
   and again. A widget value changed by the user makes a rerun at once; one inside a fragment
   is a rerun of that fragment (``fragment_id`` = the element's ``delta.fragment_id``).
5. ``st.fragment(run_every=...)`` is driven by the browser: the server sends ``auto_rerun``
   (fragment id, interval) and the browser runs ``setInterval`` that sends a rerun of that
   fragment with ``is_auto_rerun`` every interval, whether or not the last one finished (the
   server merges requests that pile up). A full-app run clears every timer (a run's
   ``metadata.run.fragment_ids`` is empty); ``stop_auto_rerun`` clears the ones it names.

It sends no ``cached_message_hashes``, so the server always sends whole messages (no
``ref_hash``). Threads or gevent greenlets: ``recv`` runs in one, ``send_*`` may come from
others (websocket-client locks its sends). Nothing here knows the playground: see
``loadtest/student.py``.
"""

from __future__ import annotations

import collections
import contextlib
import time
import urllib.parse
from dataclasses import dataclass, field

import requests
import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

XSRF_COOKIE = "_streamlit_xsrf"


@dataclass
class Element:
    """One widget or component instance as last drawn by the server."""

    kind: str  # the Element oneof name: "button", "slider", "component_instance", ...
    id: str
    fragment_id: str
    proto: object


@dataclass
class AutoRerun:
    interval: float
    next_at: float


@dataclass
class ProtocolStats:
    messages: int = 0
    bytes: int = 0
    reruns_sent: int = 0
    runs_finished: int = 0
    kinds: collections.Counter = field(default_factory=collections.Counter)
    errors: list[str] = field(default_factory=list)


def widget_value(kind: str, proto) -> WidgetState | None:
    """The value the browser's widget manager holds for a freshly drawn widget (the server's
    value when it set one, else the default), as the ``WidgetState`` it would send."""
    state = WidgetState(id=proto.id)
    if kind == "checkbox":
        state.bool_value = proto.value if proto.set_value else proto.default
    elif kind == "slider" and proto.type == Slider.SELECT_SLIDER:
        values = (
            list(proto.raw_value)
            if proto.set_value
            else [proto.options[int(i)] for i in proto.default]
        )
        state.string_array_value.data.extend(values)
    elif kind == "slider":
        state.double_array_value.data.extend(proto.value if proto.set_value else proto.default)
    elif kind == "selectbox":
        if proto.set_value and proto.HasField("raw_value"):
            state.string_value = proto.raw_value
        elif not proto.set_value and proto.HasField("default"):
            state.string_value = proto.options[proto.default]
        else:
            return None  # nothing selected (a placeholder): the browser sends no value
    elif kind == "number_input":
        state.double_value = proto.value if proto.set_value else proto.default
    else:
        return None  # buttons and download buttons are triggers; other kinds unused here
    return state


class StreamlitClient:
    """One browser tab's conversation with a Streamlit server over its websocket."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()
        self.ws: websocket.WebSocket | None = None
        self.query_string = ""
        self.page_script_hash = ""
        self.page_name = ""
        self.elements: dict[str, Element] = {}  # by widget key (the id's last part) or id
        self.values: dict[str, WidgetState] = {}  # what the browser would send, by widget id
        self.triggers: list[WidgetState] = []  # sent once, with the next rerun
        self.auto_reruns: dict[str, AutoRerun] = {}
        self.stats = ProtocolStats()
        self.session_id = ""  # the server's id of this tab's session (new_session)
        self.handshake_headers: dict[str, str] = {}  # the websocket upgrade's response

    # ---------------------------------------------------------------------------- connect
    def connect(self, path: str = "/", query: str = "") -> None:
        """Load the page like a browser (HTML, host config, health: the XSRF cookie), open
        the websocket, and ask for the first run of the page at ``path`` with ``query``."""
        self.query_string = query
        self.page_name = path.strip("/")
        url = self.base_url + path + (f"?{query}" if query else "")
        self.http.get(url, timeout=self.timeout).raise_for_status()
        self.http.get(self.base_url + "/_stcore/host-config", timeout=self.timeout)
        self.http.get(self.base_url + "/_stcore/health", timeout=self.timeout).raise_for_status()
        self._open_websocket()
        self.send_rerun()

    def reconnect(self) -> None:
        """What the browser does when its websocket drops (Wi-Fi roaming, a proxy restart):
        it pings ``/_stcore/health`` until the server answers, opens a new websocket that
        names the old session (the third subprotocol entry), and asks for a rerun. The
        server resumes that session if it still holds it (the same ``session_id`` in its next
        ``new_session``), else it starts a new one."""
        self._close_websocket()
        self.http.get(self.base_url + "/_stcore/health", timeout=self.timeout).raise_for_status()
        self._open_websocket(resume=self.session_id)
        self.send_rerun()

    def _open_websocket(self, resume: str = "") -> None:
        xsrf = self.http.cookies.get(XSRF_COOKIE)
        protocols = ["streamlit", xsrf] if xsrf else ["streamlit"]
        if resume:
            protocols = ["streamlit", xsrf or "", resume]
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        ws_url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        parsed = urllib.parse.urlparse(self.base_url)
        self.ws = websocket.create_connection(
            ws_url,
            subprotocols=protocols,
            cookie=cookie or None,
            origin=f"{parsed.scheme}://{parsed.netloc}",
            timeout=self.timeout,
            enable_multithread=True,
        )
        self.handshake_headers = dict(self.ws.getheaders() or {})

    def close(self) -> None:
        self._close_websocket()
        self.http.close()

    def _close_websocket(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):  # the server may already be gone
                self.ws.close(timeout=1)
            self.ws = None

    # ---------------------------------------------------------------------------- sending
    def send_rerun(self, fragment_id: str = "", is_auto_rerun: bool = False) -> None:
        """Ask for a run (of one fragment if given) with the widget states the browser holds."""
        states = WidgetStates()
        states.widgets.extend(self.values.values())
        states.widgets.extend(self.triggers)
        self.triggers = []
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query_string
        rerun.widget_states.CopyFrom(states)
        rerun.page_script_hash = self.page_script_hash
        if not self.page_script_hash:
            rerun.page_name = self.page_name
        rerun.fragment_id = fragment_id
        rerun.is_auto_rerun = is_auto_rerun
        rerun.context_info.timezone = "UTC"
        rerun.context_info.locale = "en-US"
        rerun.context_info.url = self.base_url + "/" + self.page_name
        self.ws.send_binary(msg.SerializeToString())
        self.stats.reruns_sent += 1

    def click(self, key: str) -> None:
        """Press the button with widget key ``key`` (a full-app run, as the browser does)."""
        button = self.elements[key]
        self.triggers.append(WidgetState(id=button.id, trigger_value=True))
        self.send_rerun(fragment_id=button.fragment_id)

    def set_json_value(self, key: str, value: str) -> None:
        """A component's ``setComponentValue``: store the JSON and rerun its fragment."""
        element = self.elements[key]
        self.values[element.id] = WidgetState(id=element.id, json_value=value)
        self.send_rerun(fragment_id=element.fragment_id)

    def send_due_auto_reruns(self, now: float | None = None) -> float:
        """Send the fragment reruns whose timers are due; returns seconds to the next one."""
        now = time.monotonic() if now is None else now
        wait = 0.25
        for fragment_id, timer in list(self.auto_reruns.items()):
            if now >= timer.next_at:
                # setInterval keeps its phase: the next tick is one interval after this one
                timer.next_at = max(timer.next_at + timer.interval, now + timer.interval / 2)
                self.send_rerun(fragment_id=fragment_id, is_auto_rerun=True)
            wait = min(wait, max(0.0, timer.next_at - now))
        return wait

    # ---------------------------------------------------------------------------- receiving
    def recv(self) -> ForwardMsg:
        """Block for the next ForwardMsg, apply it to the client's state and return it."""
        opcode, frame = self.ws.recv_data_frame(control_frame=False)
        data = frame.data
        if opcode != websocket.ABNF.OPCODE_BINARY:
            raise ConnectionError(f"websocket closed or not binary: opcode {opcode}, {data[:80]!r}")
        msg = ForwardMsg()
        msg.ParseFromString(data)
        self.stats.messages += 1
        self.stats.bytes += len(data)
        kind = msg.WhichOneof("type")
        self.stats.kinds[kind] += 1
        if kind == "delta":
            self._on_delta(msg)
        elif kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self.page_script_hash = msg.new_session.page_script_hash
            if not msg.metadata.run.fragment_ids:  # a full-app run: the browser clears timers
                self.auto_reruns.clear()
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            rerun = msg.auto_rerun
            old = self.auto_reruns.get(rerun.fragment_id)
            if old is None or old.interval != rerun.interval:
                self.auto_reruns[rerun.fragment_id] = AutoRerun(
                    rerun.interval, time.monotonic() + rerun.interval
                )
        elif kind == "stop_auto_rerun":
            for fragment_id in msg.stop_auto_rerun.fragment_ids:
                self.auto_reruns.pop(fragment_id, None)
        elif kind == "script_finished":
            self.stats.runs_finished += 1
            self.stats.kinds[f"finished:{msg.script_finished}"] += 1
        return msg

    def _on_delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        kind = delta.new_element.WhichOneof("type")
        proto = getattr(delta.new_element, kind)
        element_id = getattr(proto, "id", "")
        if not element_id:
            return
        key = element_id.rsplit("-", 1)[-1] if element_id.startswith("$$ID-") else element_id
        self.elements[key] = Element(kind, element_id, delta.fragment_id, proto)
        # the browser keeps its value unless the server sets one (set_value)
        if element_id not in self.values or getattr(proto, "set_value", False):
            state = widget_value(kind, proto)
            if state is not None:
                self.values[element_id] = state
