"""One simulated student at the playground: opens a preset link, presses Play, drags centres.

What a real student's browser does (``playground/component/frontend/main.js``,
``playground/controller.py``), done here over Streamlit's protocol (``loadtest/protocol.py``):

- The view is the component instance with widget key ``pg_view``; its arguments (JSON) are
  those of ``playground/payload.py``: ``frames`` (one message carries several: the frames of
  the time since the previous message), ``run_id``, ``config_version``, ``playing``,
  ``centre_box``, and ``ack``, the id of the last event the server handled.
- Play is the button ``pg_play`` (a full-app run). While playing, the live fragment carries
  ``run_every`` (0.1 s for a lone tab, longer the more tabs play on the server: see
  ``playground/pacing.py``; a fragment run may send a new interval): the client re-requests
  it on that timer, as the browser does.
- A drop sends the view's value ``{"type": "move", "cls", "x", "y", "id"}`` (x, y rounded to
  3 decimals, id "<tag>-<counter>"), a rerun of the view's fragment. Its acknowledgement is
  the first view message whose ``ack`` is that id.
- Frames counted are the ones the view paints. The view queues a message's frames with a step
  past the last one queued (all of them after a flush: new run, new config, not playing,
  which also drops what was queued) and plays the queue at ``fps`` (60) a second. The
  client keeps the same queue (a count) and drains it at ``fps`` on the wall clock, so a
  student's figure is at most 60 a second and falls when messages come too late to keep the
  queue filled. ``received`` counts the new frames as they arrive.

No threads here: the caller runs ``pump()`` in one loop and ``tick()`` in another (Locust
greenlets in ``loadtest/locustfile.py``, plain threads in a test).
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from .protocol import StreamlitClient

VIEW_KEY = "pg_view"
PLAY_KEY = "pg_play"
# Preset links a teacher might hand out (playground/settings.py keys): the Gaussian classes.
PRESET_QUERIES = (
    "k=4&n=150&spread=0.8&lr=0.5&l2=0.001&c=0,2;-2,0;0,-2;2,0",
    "k=3&n=150&spread=1.2&lr=0.5&l2=0.001&c=-1,0;1,0;0,1.5",
    "k=5&n=100&spread=0.6&lr=1&l2=0.001&c=0,3;-3,0;0,-3;3,0;0,0",
    "k=4&n=150&spread=0.8&lr=0.5&l2=0.001&opt=adam&c=0,2;-2,0;0,-2;2,0",
)


@dataclass
class StudentStats:
    frames_by_second: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    received_by_second: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    messages_by_second: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    acks: list[tuple[float, float]] = field(default_factory=list)  # (drop wall time, ms)
    lost_acks: list[float] = field(default_factory=list)  # drop wall times never acked
    max_gap_s: float = 0.0  # the longest pause between two view messages while playing
    connected_s: float | None = None  # page request -> first view message
    playing_since: float | None = None  # wall time of the first frame after Play
    drops: int = 0
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "frames_by_second": dict(self.frames_by_second),
            "received_by_second": dict(self.received_by_second),
            "messages_by_second": dict(self.messages_by_second),
            "acks": self.acks,
            "lost_acks": self.lost_acks,
            "max_gap_s": self.max_gap_s,
            "connected_s": self.connected_s,
            "playing_since": self.playing_since,
            "drops": self.drops,
            "errors": self.errors,
        }


class Student:
    """A playground tab driven over the protocol. ``on_ack(ms)`` and ``on_message(gap_ms,
    n_frames, n_bytes)`` are hooks for the load tool's statistics."""

    ACK_TIMEOUT = 5.0

    def __init__(self, base_url: str, query: str | None = None, seed: int | None = None):
        self.rng = random.Random(seed)
        self.query = query if query is not None else self.rng.choice(PRESET_QUERIES)
        self.client = StreamlitClient(base_url)
        self.stats = StudentStats()
        self.args: dict | None = None  # the view's last arguments
        self.tag = f"{self.rng.getrandbits(32):08x}"[:6]
        self.counter = 0
        self.pending: dict[str, tuple[float, float]] = {}  # event id -> (monotonic, wall)
        self.last_step = -1
        self.run_config: tuple | None = None
        self.last_message_at: float | None = None
        self.queue = 0.0  # frames the view holds, not painted yet
        self.drained_at: float | None = None
        self.t_open: float | None = None
        self.on_ack = lambda ms: None
        self.on_message = lambda gap_ms, n_frames, n_bytes: None
        self.on_lost_ack = lambda: None

    # ---------------------------------------------------------------------------- actions
    def open(self) -> None:
        self.t_open = time.monotonic()
        self.client.connect("/", self.query)

    @property
    def ready(self) -> bool:
        return self.args is not None and VIEW_KEY in self.client.elements

    @property
    def playing(self) -> bool:
        return bool(self.args and self.args.get("playing"))

    def press_play(self) -> None:
        """Press Play (the button says Play or Pause; the view's ``playing`` says which)."""
        if not self.playing and PLAY_KEY in self.client.elements:
            self.client.click(PLAY_KEY)

    def drop(self) -> str:
        """Drop a random class centre at a random place in the allowed box."""
        args = self.args
        k = self.rng.randrange(len(args["centres"]))
        x0, x1, y0, y1 = args["centre_box"]
        self.counter += 1
        event_id = f"{self.tag}-{self.counter}"
        event = {
            "type": "move",
            "cls": k,
            "x": round(self.rng.uniform(x0, x1), 3),
            "y": round(self.rng.uniform(y0, y1), 3),
            "id": event_id,
        }
        self.pending[event_id] = (time.monotonic(), time.time())
        self.stats.drops += 1
        self.client.set_json_value(VIEW_KEY, json.dumps(event))
        return event_id

    def tick(self) -> float:
        """Send due fragment reruns (the browser's setInterval) and expire unacknowledged
        drops; returns how long to sleep."""
        now = time.monotonic()
        for event_id, (t0, wall) in list(self.pending.items()):
            if now - t0 > self.ACK_TIMEOUT:
                del self.pending[event_id]
                self.stats.lost_acks.append(wall)
                self.on_lost_ack()
        return self.client.send_due_auto_reruns(now)

    # ---------------------------------------------------------------------------- receiving
    def pump(self) -> None:
        """Receive and handle one message (blocks)."""
        msg = self.client.recv()
        if msg.WhichOneof("type") != "delta":
            return
        element = msg.delta.new_element
        if element.WhichOneof("type") != "component_instance":
            return
        instance = element.component_instance
        if not instance.id.endswith("-" + VIEW_KEY):
            return
        self._on_view(json.loads(instance.json_args), len(instance.json_args))

    def _on_view(self, args: dict, n_bytes: int) -> None:
        now, wall = time.monotonic(), time.time()
        if self.args is None and self.t_open is not None:
            self.stats.connected_s = now - self.t_open
        self.args = args
        frames = args.get("frames") or []
        playing = bool(args.get("playing"))
        self._drain(wall, playing)
        config = (args.get("run_id"), args.get("config_version"))
        if config != self.run_config or not playing:  # the view flushes its queue
            new = len(frames)
            self.run_config = config
            self.queue = float(new)
        else:
            new = sum(1 for f in frames if f["step"] > self.last_step)
            self.queue += new
        if frames:
            self.last_step = max(self.last_step, frames[-1]["step"])
        gap_ms = 0.0
        if args.get("playing"):
            if self.stats.playing_since is None:
                self.stats.playing_since = wall
            elif self.last_message_at is not None:
                gap = now - self.last_message_at
                self.stats.max_gap_s = max(self.stats.max_gap_s, gap)
                gap_ms = gap * 1000
            second = int(wall)
            self.stats.received_by_second[second] += new
            self.stats.messages_by_second[second] += 1
        self.last_message_at = now
        self.on_message(gap_ms, new, n_bytes)
        ack = args.get("ack")
        if ack in self.pending:
            t0, drop_wall = self.pending.pop(ack)
            ms = (now - t0) * 1000
            self.stats.acks.append((drop_wall, ms))
            self.on_ack(ms)

    def _drain(self, wall: float, playing: bool) -> None:
        """The view's playback since the last message: ``fps`` frames a second from the queue,
        each counted in the wall-clock second it is painted in."""
        fps = (self.args or {}).get("fps", 60)
        t = self.drained_at
        while playing and t is not None and t < wall and self.queue > 0:
            end = min(wall, float(int(t) + 1))
            painted = min(self.queue, (end - t) * fps)
            self.queue -= painted
            self.stats.frames_by_second[int(t)] += painted
            t = end
        self.drained_at = wall

    def close(self) -> None:
        self.client.close()
