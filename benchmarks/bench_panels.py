"""Frame rate of the live view with the probability simplex and loss surface panels (issue 18).

Run: `python benchmarks/bench_panels.py` (about 3 minutes), `--window S` to change the
measuring window. For each data size, the same page playing with the panels off, the simplex
on, the loss surface on, both, the race, and all three: frames the view painted per second
(fps: frames of the trajectory drawn; rAF/s: display refreshes the page got, which long tasks
lower; the issue asks >= 30 with the panels on), simplex redraws per second (>= 10), the
surface's current-point moves and full redraws per second, and the median time of each.
Prints a table; asserts nothing.
Server and headless Chromium share this machine's cores (see bench_live.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_live import open_page, set_playing

from tests.browser_support import chromium, streamlit_server

SNAP_JS = """() => {
  const p = window.__pg;
  const med = (a) => a && a.length ? a.slice().sort((x, y) => x - y)[a.length >> 1] : null;
  return { now: performance.now(), frames: p.framesDrawn, ticks: p.ticks,
    simplex: p.simplexUpdates || 0, moves: p.landscapeMoves || 0,
    draws: p.landscapeDraws || 0, simplexMs: med(p.simplexMs),
    landscapeMs: med(p.landscapeMs), drawMs: med(p.drawMs), moveMs: med(p.landscapeMoveMs),
    raceMs: med(p.raceChartMs), race: p.raceChartUpdates || 0 };
}"""
PANELS = {"off": "", "simplex": "&simplex=1", "landscape": "&landscape=1",
          "both": "&simplex=1&landscape=1", "race": "&race=gd,momentum,adam",
          "all": "&simplex=1&landscape=1&race=gd,momentum,adam"}  # fmt: skip


def measure(browser, url: str, query: str, warmup: float, window: float) -> dict:
    context, page, frame = open_page(browser, url, query)
    try:
        set_playing(page, True)
        time.sleep(warmup)
        s0 = frame.evaluate(SNAP_JS)
        time.sleep(window)
        s1 = frame.evaluate(SNAP_JS)
        set_playing(page, False)
    finally:
        context.close()
    dt = (s1["now"] - s0["now"]) / 1000
    rate = lambda k: (s1[k] - s0[k]) / dt  # noqa: E731
    return {
        "fps": rate("frames"),
        "ticks": rate("ticks"),
        "simplex": rate("simplex"),
        "moves": rate("moves"),
        "draws": rate("draws"),
        "draw_ms": s1["drawMs"],
        "simplex_ms": s1["simplexMs"],
        "landscape_ms": s1["landscapeMs"],
        "move_ms": s1["moveMs"],
        "race": rate("race"),
        "race_ms": s1["raceMs"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--window", type=float, default=8.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--panels", default=",".join(PANELS), help="e.g. off,all")
    args = parser.parse_args()
    sizes = [(3, 100), (4, 150)]  # 300 and 600 points
    fmt = lambda v: "   -" if v is None else f"{v:6.1f}"  # noqa: E731
    print(
        "K points panels    | fps (view) rAF/s | simplex/s | surface moves/s redraws/s | "
        "race/s | ms: view simplex surface move race"
    )
    with streamlit_server() as (url, _proc), sync_playwright() as p, chromium(p) as browser:
        for k, n in sizes:
            for name in args.panels.split(","):
                extra = PANELS[name]
                runs = [
                    measure(browser, url, f"k={k}&n={n}&speed=1{extra}", args.warmup, args.window)
                    for _ in range(args.repeats)
                ]
                r = {key: statistics.median([x[key] or 0 for x in runs]) for key in runs[0]}
                print(
                    f"{k} {k * n:>6} {name:<9} | {r['fps']:10.1f} {r['ticks']:5.1f} | "
                    f"{r['simplex']:9.1f} | "
                    f"{r['moves']:15.1f} {r['draws']:9.2f} | {r['race']:6.1f} | "
                    f"{fmt(r['draw_ms'])} {fmt(r['simplex_ms'])} {fmt(r['landscape_ms'])} "
                    f"{fmt(r['move_ms'])} {fmt(r['race_ms'])}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
