"""Soak test: N browser sessions play the playground for a few minutes against one server.

Starts `streamlit run` (tests/browser_support.streamlit_server), opens N Chromium pages (one
context each, so N independent Streamlit sessions) at speed 5, presses Play in each, and
every 10 s samples the server process's resident memory (VmRSS in /proc/<pid>/status) and
CPU use (utime + stime in /proc/<pid>/stat). Prints a table of memory over time, the start,
end and peak RSS, each session's step count at the end, and the size of a session's History
after as many steps (it is bounded: a fixed-capacity store). Stops by itself.

    python benchmarks/bench_soak.py                 # 3 minutes, 5 sessions
    python benchmarks/bench_soak.py --minutes 10 --sessions 8
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import chromium, playground_frame, streamlit_server  # noqa: E402

SAMPLE_SECONDS = 10.0
TIMEOUT_MS = 60_000
TICKS = os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15)


def press_play(page) -> None:
    button = page.locator(".st-key-pg_play button p")  # the label, not its shortcut hint
    for _ in range(3):
        button.click()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if button.inner_text().strip() == "Pause":
                return
            time.sleep(0.3)
    raise RuntimeError("Play never took effect")


def history_after(steps: int, speed: int) -> tuple[int, int, int]:
    """(rows, capacity, bytes) of a PlaygroundSession's History after ``steps`` steps."""
    from playground.session import PlaygroundSession
    from playground.settings import DEFAULTS

    session = PlaygroundSession(DEFAULTS.with_(speed=speed))
    for _ in range(max(1, steps // speed // 60)):
        session.advance(60)
    h = session.history
    return len(h), h.capacity, h.nbytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--speed", type=int, default=5)
    args = parser.parse_args()

    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    rows: list[tuple[float, float, float, list[int]]] = []
    with (
        streamlit_server() as (url, proc),
        sync_playwright() as p,
        chromium(p) as browser,
    ):
        pid = proc.pid
        idle_rss = rss_mb(pid)
        contexts, pages, frames = [], [], []
        remounts = [0] * args.sessions

        def step_of(i: int) -> int:
            """Session i's step as its view shows it; a remounted view iframe (a detached
            frame) is found again and counted."""
            try:
                return int(frames[i].evaluate("window.__pg.step"))
            except PlaywrightError:
                remounts[i] += 1
                frames[i] = playground_frame(pages[i], timeout=TIMEOUT_MS)
                return int(frames[i].evaluate("window.__pg.step"))

        try:
            for _ in range(args.sessions):
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                contexts.append(ctx)
                page = ctx.new_page()
                pages.append(page)
                page.goto(f"{url}/?speed={args.speed}", timeout=TIMEOUT_MS)
                frames.append(playground_frame(page, timeout=TIMEOUT_MS))
                press_play(page)
            print(
                f"server pid {pid}; RSS idle {idle_rss:.1f} MB; {args.sessions} sessions "
                f"playing at speed {args.speed} for {args.minutes:g} min",
                flush=True,
            )
            print(f"{'t (s)':>6} {'RSS (MB)':>9} {'CPU %':>6}  steps per session", flush=True)
            t0 = time.monotonic()
            end = t0 + args.minutes * 60
            cpu_prev, t_prev = cpu_seconds(pid), t0
            while True:
                now = time.monotonic()
                cpu_now = cpu_seconds(pid)
                cpu_pct = 100 * (cpu_now - cpu_prev) / max(now - t_prev, 1e-9)
                cpu_prev, t_prev = cpu_now, now
                steps = [step_of(i) for i in range(args.sessions)]
                row = (now - t0, rss_mb(pid), cpu_pct, steps)
                rows.append(row)
                print(
                    f"{row[0]:6.0f} {row[1]:9.1f} {row[2]:6.0f}  {' '.join(map(str, steps))}",
                    flush=True,
                )
                if now >= end:
                    break
                time.sleep(min(SAMPLE_SECONDS, max(0.0, end - time.monotonic())))
        finally:
            for ctx in contexts:
                ctx.close()

    rss = [r[1] for r in rows]
    cpu = [r[2] for r in rows[1:]] or [0.0]
    final_steps = rows[-1][3]
    print()
    print(f"RSS start {rss[0]:.1f} MB, end {rss[-1]:.1f} MB, peak {max(rss):.1f} MB")
    print(f"server CPU mean {sum(cpu) / len(cpu):.0f} %, max {max(cpu):.0f} % (of one core)")
    print(f"steps per session at the end: {final_steps}")
    print(f"view iframes remounted during the run (per session): {remounts}")
    n, capacity, nbytes = history_after(max(final_steps), args.speed)
    print(
        f"History after {max(final_steps)} steps: {n} rows (capacity {capacity}), "
        f"{nbytes / 1024:.0f} KiB: bounded"
    )


if __name__ == "__main__":
    main()
