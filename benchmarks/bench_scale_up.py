"""A replica added while a class plays, behind deploy/nginx.conf: who keeps their session?

Run: `python benchmarks/bench_scale_up.py [--students 12] [--seconds 15]` (about a minute and
a half). Needs nginx (scripts/ensure_nginx.sh); prints what it saw, asserts nothing
(tests/test_nginx_sticky.py asserts the routing in CI). `--hash-only`: the baseline, the
consistent hash without the pinned-replica cookie; `--restart`: stop and start nginx instead
of reloading it.

Everything runs on 127.0.0.1. Two `streamlit run` replicas (one cookie secret, as
deploy/docker-compose.yml gives them) stand behind nginx with `deploy/nginx.conf`, of which
only the replica list, the port and the file paths are changed, plus one response header,
`X-Upstream` (the replica that answered), to see who is where. Then:

1. ``--students`` students (loadtest/student.py: Streamlit's protocol, no browser) open the
   playground through nginx, press Play and drop a class centre every 3-6 s.
2. A third replica starts and nginx reloads its configuration gracefully (`nginx -s reload`,
   what `docker compose exec lb nginx -s reload` does after `--scale`). Per student, over
   the next ``--seconds``: is its websocket still open, does it still receive frames, are
   its drops acknowledged, and does a plain HTTP request of its browser (a media file, an
   upload, the component's files) still reach the replica that holds its session?
3. New students arrive: how many land on the new replica.
4. Every first student's websocket drops and reconnects (a Wi-Fi blip), as Streamlit's
   frontend does: health check, then a websocket naming the old session. Is the session
   resumed (the same session id, training continued from its step) or started over?
5. The first replica stops (a crash, a scale-down): its students reconnect; where to, how
   fast, and do the others notice?

What it measured (7 Dec, 20 students, `--hash-only` against the config as deployed):
the reload kept 20 of 20 websockets open either way (frames went on at 60 a second, every
drop acknowledged). With the consistent hash alone, 6 and 7 of 20 students' cookies then
hashed to the new replica: their next HTTP request went where their session was not, and
after a blip they started over. With the pinned-replica cookie (deploy/nginx.conf): 0 of 20
moved, 20 of 20 sessions resumed; when a replica stopped, its students reconnected to live
replicas in 0.05-0.41 s (new sessions) and every other student played on. `--restart`
closed all 20 websockets (a reload closes none).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from loadtest.student import Student
from tests.browser_support import free_port, streamlit_server
from tests.nginx_support import Nginx, nginx_binary

SECRET = "bench-scale-up-shared-secret"  # every replica the same, as in docker-compose.yml


class Tab:
    """One student's tab in two threads: receiving (``pump``) and the timers and drops."""

    def __init__(self, url: str, seed: int) -> None:
        self.student = Student(url, seed=seed)
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.error: str | None = None
        self.threads: list[threading.Thread] = []

    def start(self, open_page: bool = True) -> None:
        if open_page:
            self.student.open()
        self.stop.clear()
        self.error = None
        self.threads = [
            threading.Thread(target=self._pump, daemon=True),
            threading.Thread(target=self._act, daemon=True),
        ]
        for t in self.threads:
            t.start()

    def halt(self) -> None:
        self.stop.set()
        ws = self.student.client.ws
        if ws is not None:
            with contextlib.suppress(Exception):
                ws.close(timeout=1)
        for t in self.threads:
            t.join(timeout=5)

    def _pump(self) -> None:
        while not self.stop.is_set():
            try:
                self.student.pump()
            except Exception as exc:  # a closed websocket is what we look for
                if not self.stop.is_set():
                    self.error = f"{type(exc).__name__}: {exc}"[:120]
                return

    def _act(self) -> None:
        next_drop = time.monotonic() + self.rng.uniform(3, 6)
        while not self.stop.is_set():
            s = self.student
            try:
                wait = s.tick()
                if s.ready and not s.playing:
                    s.press_play()
                    self.stop.wait(1.0)
                elif s.playing and time.monotonic() >= next_drop:
                    s.drop()
                    next_drop = time.monotonic() + self.rng.uniform(3, 6)
            except Exception as exc:
                if not self.stop.is_set():
                    self.error = f"{type(exc).__name__}: {exc}"[:120]
                return
            self.stop.wait(min(wait, 0.05))

    def reconnect(self, timeout: float = 20) -> float:
        """The websocket drops and the tab reconnects as Streamlit's frontend does
        (StreamlitClient.reconnect); seconds until the view's first message after it."""
        self.halt()
        t0 = time.monotonic()
        self.student.client.reconnect()
        self.student.args, self.student.last_step = None, -1
        self.start(open_page=False)
        while time.monotonic() - t0 < timeout and not self.student.ready:
            time.sleep(0.05)
        return time.monotonic() - t0

    # ------------------------------------------------------------------------- observations
    @property
    def ws_replica(self) -> str:
        headers = {k.lower(): v for k, v in self.student.client.handshake_headers.items()}
        return headers.get("x-upstream", "?")

    def http_replica(self) -> str:
        """Where a plain request of this browser (cookies and all) goes now."""
        c = self.student.client
        r = c.http.get(c.base_url + "/_stcore/health", timeout=10)
        return r.headers.get("X-Upstream", "?")

    def frames_since(self, wall: float) -> float:
        return sum(n for sec, n in self.student.stats.received_by_second.items() if sec >= wall)

    def acks_since(self, wall: float) -> int:
        return sum(1 for t, _ in self.student.stats.acks if t >= wall)


def wait_playing(tabs: list[Tab], timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(t.student.playing for t in tabs):
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=12, help="students before the scale-up")
    parser.add_argument("--arrivals", type=int, default=9, help="students after it")
    parser.add_argument("--seconds", type=float, default=15, help="each phase's length")
    parser.add_argument(
        "--hash-only",
        action="store_true",
        help="route by the consistent hash alone (the config before the pinned-replica cookie)",
    )
    parser.add_argument(
        "--restart",
        action="store_true",
        help="stop and start nginx instead of reloading it (what `docker compose restart lb` does)",
    )
    args = parser.parse_args()
    try:
        nginx = nginx_binary()
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from None
    os.environ["STREAMLIT_SERVER_COOKIE_SECRET"] = SECRET
    os.environ.setdefault("SOFTMAX_FRAME_WORKERS", "0")  # three servers on two cores
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(streamlit_server()) for _ in range(2)]
        replicas = [url.removeprefix("http://") for url, _ in servers]
        lb = Nginx(replicas, free_port(), hash_only=args.hash_only)
        lb.start()
        stack.callback(lb.stop)
        base = lb.base

        version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr.strip()
        layers = "the consistent hash only" if args.hash_only else "the pinned-replica cookie"
        print(f"{version}; deploy/nginx.conf with {layers}")
        print(f"replicas before: {', '.join(replicas)}; {args.students} students join")
        tabs = [Tab(base, seed=i) for i in range(args.students)]
        for tab in tabs:
            tab.start()
            time.sleep(0.2)
        wait_playing(tabs)
        stack.callback(lambda: [t.halt() for t in tabs])
        time.sleep(args.seconds)
        before = {id(t): t.ws_replica for t in tabs}
        spread = {r: sum(1 for t in tabs if before[id(t)] == r) for r in replicas}
        print(f"  spread over the replicas: {spread}")

        servers.append(stack.enter_context(streamlit_server()))
        replicas.append(servers[-1][0].removeprefix("http://"))
        t_reload = time.time()
        how = "stopped and started" if args.restart else "reloaded (nginx -s reload)"
        if args.restart:
            lb.restart(replicas)
        else:
            lb.reload(replicas)
        print(f"\nreplica added: {replicas[-1]}; nginx {how} at {time.strftime('%X')}")
        time.sleep(args.seconds)
        mid = t_reload + 2  # a whole second after the reload
        kept = [t for t in tabs if t.error is None and t.student.client.ws is not None]
        frames = [t.frames_since(mid) / (time.time() - mid) for t in tabs]
        acks = sum(t.acks_since(t_reload) for t in tabs)
        lost = sum(1 for t in tabs for w in t.student.stats.lost_acks if w >= t_reload)
        moved_http = [t for t in tabs if t.http_replica() != before[id(t)]]
        print(
            f"  websockets still open: {len(kept)} of {len(tabs)} "
            f"(errors: {sorted({t.error for t in tabs if t.error}) or 'none'})"
        )
        print(
            f"  frames received per student per second after the reload: median "
            f"{statistics.median(frames):.1f}, min {min(frames):.1f}"
        )
        print(f"  drops acknowledged after the reload: {acks}, lost: {lost}")
        print(
            f"  plain HTTP requests now reaching another replica than the student's session: "
            f"{len(moved_http)} of {len(tabs)}"
        )

        newcomers = [Tab(base, seed=1000 + i) for i in range(args.arrivals)]
        for tab in newcomers:
            tab.start()
            time.sleep(0.2)
        wait_playing(newcomers)
        stack.callback(lambda: [t.halt() for t in newcomers])
        on_new = sum(1 for t in newcomers if t.ws_replica == replicas[-1])
        print(f"\n{args.arrivals} new students: {on_new} on the new replica")

        print("\nevery first student's websocket drops and reconnects (a Wi-Fi blip):")
        resumed, restarted = 0, 0
        for tab in tabs:
            sid, step = tab.student.client.session_id, tab.student.last_step
            tab.reconnect()
            same = tab.student.client.session_id == sid
            continued = tab.student.last_step >= step  # its first frames after reconnecting
            resumed += same and continued
            restarted += not same
            where = "its replica" if tab.ws_replica == before[id(tab)] else "ANOTHER replica"
            state = "resumed" if same else "started over"
            print(
                f"  student {tabs.index(tab):2d}: {where}, session {state}, step {step} -> "
                f"{tab.student.last_step}"
            )
        print(
            f"  resumed {resumed} of {len(tabs)}, started over {restarted}, reconnected to "
            f"another replica {sum(1 for t in tabs if t.ws_replica != before[id(t)])}"
        )

        everyone = tabs + newcomers
        gone = replicas[0]
        on_gone = [t for t in everyone if t.ws_replica == gone]
        others = [t for t in everyone if t.ws_replica != gone]
        print(f"\nthe replica {gone} stops (a crash, a scale-down): {len(on_gone)} students on it")
        servers[0][1].terminate()
        servers[0][1].wait(timeout=20)
        t_stop = time.time()
        time.sleep(2)
        waits = [tab.reconnect() for tab in on_gone]
        landed = sorted({t.ws_replica for t in on_gone})
        print(
            f"  they reconnected to {landed} in {min(waits):.2f}-{max(waits):.2f} s "
            f"(a new session each: the old ones died with their replica)"
            if waits
            else "  nobody was on it"
        )
        time.sleep(3)
        still = [t for t in others if t.error is None and t.frames_since(t_stop) > 0]
        print(f"  the other {len(others)} students: {len(still)} still playing, untouched")


if __name__ == "__main__":
    main()
