"""Locust load test: many students at the playground, each a real Streamlit protocol client.

Each simulated student (``PlaygroundStudent``) opens the playground with a preset link,
presses Play, and every few seconds drops a class centre somewhere new, over Streamlit's
websocket with the protobuf classes shipped in the streamlit package, with no browser
(``loadtest/protocol.py`` for the protocol, ``loadtest/student.py`` for the playground).

Run it against one local server (what ``benchmarks/bench_load.py`` does per student count):

    streamlit run app.py --server.port 8501 &
    locust -f loadtest/locustfile.py --headless -u 40 -r 5 --run-time 90s \\
        --host http://127.0.0.1:8501 --summary-file /tmp/students.json

Past one machine, Locust's distributed mode: one master, many workers (one per core):

    locust -f loadtest/locustfile.py --master --headless -u 300 -r 10 --run-time 10m \\
        --expect-workers 4 --host https://playground.example.edu --allow-remote-host
    locust -f loadtest/locustfile.py --worker --master-host <master address>  # x 4

What Locust's statistics show (request type "ws"): ``open`` (page request to the first view
message), ``play`` (Play to the first frame), ``drop->ack`` (a drop sent to the first view
message that acknowledges it; a failure if none comes within 5 s), ``view message`` (time
since the previous view message while playing; length = frames painted-to-be). Per-student
frame rates are written to ``--summary-file`` (one file per process: a worker adds its id).

Safety: it refuses a host that is not the loopback address unless ``--allow-remote-host``
is given; load only a deployment you run.
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys
import time
import urllib.parse
from pathlib import Path

import gevent
from locust import User, between, events, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # locust -f adds loadtest/
from loadtest.student import Student

STUDENTS: list[Student] = []  # this process's students, for the summary file
OPEN_TIMEOUT = 60.0


@events.init_command_line_parser.add_listener
def _add_arguments(parser) -> None:
    parser.add_argument("--summary-file", default="", help="write per-student figures (JSON)")
    parser.add_argument("--query", default="", help="one preset query for every student")
    parser.add_argument(
        "--drop-seconds", default="3,6", help="seconds between drops: MIN,MAX (default 3,6)"
    )
    parser.add_argument(
        "--allow-remote-host", action="store_true", help="allow a host other than loopback"
    )


@events.init.add_listener
def _check_host(environment, **_kwargs) -> None:
    host = urllib.parse.urlparse(environment.host or "").hostname or ""
    options = environment.parsed_options
    if options is None or options.allow_remote_host or host == "localhost":
        return
    if getattr(options, "worker", False):
        return  # a worker learns the host from its master, which has checked it
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"refusing to load {host!r}: pass --allow-remote-host if it is yours")


@events.quitting.add_listener
def _write_summary(environment, **_kwargs) -> None:
    options = environment.parsed_options
    if options is None or not options.summary_file:
        return
    path = options.summary_file
    worker = getattr(environment.runner, "client_id", None)
    if worker and environment.runner.__class__.__name__ == "WorkerRunner":
        root, ext = os.path.splitext(path)
        path = f"{root}.{worker}{ext or '.json'}"
    with open(path, "w") as f:
        json.dump([s.stats.to_json() | {"query": s.query} for s in STUDENTS], f)


class PlaygroundStudent(User):
    """Opens a preset link, presses Play, drops a class centre every 3 to 6 seconds."""

    wait_time = between(3, 6)  # --drop-seconds changes it

    def _fire(self, name: str, ms: float, length: int = 0, exception=None) -> None:
        self.environment.events.request.fire(
            request_type="ws",
            name=name,
            response_time=ms,
            response_length=length,
            exception=exception,
            context={},
        )

    def _wait_for(self, condition, what: str) -> float:
        t0 = time.monotonic()
        while not condition():
            if time.monotonic() - t0 > OPEN_TIMEOUT:
                self._fire(what, (time.monotonic() - t0) * 1000, exception=TimeoutError(what))
                raise StopUser()
            gevent.sleep(0.02)
        return (time.monotonic() - t0) * 1000

    def on_start(self) -> None:
        options = self.environment.parsed_options
        if options is not None:
            low, high = (float(v) for v in options.drop_seconds.split(","))
            self.wait_time = lambda: self.student.rng.uniform(low, high)
        self.student = Student(self.host, query=(options.query if options else "") or None)
        STUDENTS.append(self.student)
        self.student.on_ack = lambda ms: self._fire("drop->ack", ms)
        self.student.on_lost_ack = lambda: self._fire(
            "drop->ack", Student.ACK_TIMEOUT * 1000, exception=TimeoutError("no ack in 5 s")
        )
        self.student.on_message = lambda gap_ms, n, _b: (
            gap_ms and self._fire("view message", gap_ms, n)
        )
        self.greenlets: list[gevent.Greenlet] = []
        t0 = time.monotonic()
        try:
            self.student.open()
        except Exception as err:
            self._fire("open", (time.monotonic() - t0) * 1000, exception=err)
            raise StopUser() from err
        self.greenlets = [gevent.spawn(self._receive), gevent.spawn(self._timers)]
        self._wait_for(lambda: self.student.ready, "open")
        self._fire("open", (time.monotonic() - t0) * 1000)
        pressed = [time.monotonic()]
        self.student.press_play()

        def playing() -> bool:
            if self.student.stats.playing_since is not None:
                return True
            if time.monotonic() - pressed[0] > 5:  # the button came late: press again
                pressed[0] = time.monotonic()
                self.student.press_play()
            return False

        self._fire("play", self._wait_for(playing, "play"))

    def _receive(self) -> None:
        try:
            while True:
                self.student.pump()
        except Exception as err:  # the connection closed: at the end, or the server dropped us
            if self.student.client.ws is not None:
                self.student.stats.errors.append(repr(err)[:200])

    def _timers(self) -> None:
        while True:
            gevent.sleep(self.student.tick())

    @task
    def drop_a_centre(self) -> None:
        if self.student.playing:
            self.student.drop()

    def on_stop(self) -> None:
        for greenlet in self.greenlets:
            greenlet.kill(block=False)
        if getattr(self, "student", None) is not None:
            self.student.close()
