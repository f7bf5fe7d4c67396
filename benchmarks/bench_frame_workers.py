"""What the frame workers (playground/frame_pool.py) save a busy server, per frame.

    python benchmarks/bench_frame_workers.py            # about 40 seconds
    python benchmarks/bench_frame_workers.py --quick    # about 15 seconds

A served playground computes a playing tab's frames on the tab's script thread, while other
threads of the same process want the GIL: Streamlit's machinery, JSON, the event loop, other
tabs. Here ``--hogs`` threads stand in for them (pure-Python loops, each holding the GIL for
its switch interval at a time) and one thread plays a session of the load test's first preset
(K = 4, 600 points), ``advance(40)`` at a time, its frames computed in this thread ("server")
or by a frame worker ("workers", one per core). Interleaved repeats (server, workers, ...);
medians. Printed per frame: the wall time (what the tab waits) and this thread's CPU time
(what the frames cost the server's process; the worker's own CPU is not in it), and the
ratios. The frames are compared too: they must be equal bit for bit. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loadtest.student import PRESET_QUERIES
from playground import frame_pool
from playground.session import PlaygroundSession
from playground.settings import from_query

FRAMES_PER_CALL = 40


def hog(stop: threading.Event) -> None:
    while not stop.is_set():
        sum(range(2000))


def play(pool: frame_pool.FramePool, calls: int) -> tuple[float, float, str]:
    """(wall s per frame, this thread's CPU s per frame, the frames as JSON)."""
    frame_pool._POOL = pool
    settings, _ = from_query(dict(p.split("=", 1) for p in PRESET_QUERIES[0].split("&")))
    session = PlaygroundSession(settings)
    session.advance(FRAMES_PER_CALL)  # warm (and a worker started) before timing
    frames = []
    w0, c0 = time.perf_counter(), time.thread_time()
    for _ in range(calls):
        frames += session.advance(FRAMES_PER_CALL)
    n = len(frames)
    return (time.perf_counter() - w0) / n, (time.thread_time() - c0) / n, json.dumps(frames)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--hogs", default="0,2", help="comma-separated counts of busy threads")
    args = parser.parse_args()
    repeats, calls = (3, 5) if args.quick else (7, 10)
    workers = frame_pool.FramePool(min(2, os.cpu_count() or 1))
    local = frame_pool.FramePool(0)
    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}")
    print(f"advance({FRAMES_PER_CALL}) x {calls}, {repeats} interleaved repeats, medians; ms/frame")
    print(f"{'hogs':>4} | {'wall server':>11} {'workers':>8} {'ratio':>6} | "
          f"{'CPU server':>10} {'workers':>8} {'ratio':>6} | same frames")  # fmt: skip
    for hogs in (int(h) for h in args.hogs.split(",")):
        stop = threading.Event()
        threads = [threading.Thread(target=hog, args=(stop,), daemon=True) for _ in range(hogs)]
        for t in threads:
            t.start()
        results: dict[str, list[tuple[float, float, str]]] = {"server": [], "workers": []}
        try:
            for _ in range(repeats):
                results["server"].append(play(local, calls))
                results["workers"].append(play(workers, calls))
        finally:
            stop.set()
            for t in threads:
                t.join()
        wall = {k: statistics.median(r[0] for r in v) * 1e3 for k, v in results.items()}
        cpu = {k: statistics.median(r[1] for r in v) * 1e3 for k, v in results.items()}
        same = all(a[2] == b[2] for a, b in zip(*results.values(), strict=True))
        print(
            f"{hogs:>4} | {wall['server']:11.3f} {wall['workers']:8.3f} "
            f"{wall['server'] / wall['workers']:5.1f}x | {cpu['server']:10.3f} "
            f"{cpu['workers']:8.3f} {cpu['server'] / cpu['workers']:5.1f}x | {same}"
        )
    workers.close()
    print(f"worker calls {workers.calls}, fallbacks {workers.fallbacks}")


if __name__ == "__main__":
    main()
