"""Live playground in a real browser: frames drawn per second, bytes per frame, the time from
releasing a dragged centre to the redrawn regions, and many sessions against one server.

Run: `python benchmarks/bench_live.py` (about 6 minutes on an idle 2-core machine),
`--quick` (about 2 minutes), `--max-sessions N` to cap the many-users section. Prints tables;
asserts nothing.

Everything runs on this machine: `streamlit run` (one process, yielded by streamlit_server())
and Debian's headless Chromium share the cores, so the browser's drawing competes with the
server. The server's own CPU% is read from /proc, which is the figure that sizes a container.
Rates are measured in the browser (window.__pg, see playground/component/frontend/state.js).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser_support import chromium, playground_frame, streamlit_server

VIEWPORT = {"width": 1400, "height": 1000}
CLK_TCK = os.sysconf("SC_CLK_TCK")
MAX_PER_CLASS = 500  # playground/settings.py bound on n

# An independent release-to-redraw clock (the view keeps its own in __pg.releaseLatencies,
# which needs the server's ack; this one needs only the new data): pointer release on a
# handle -> first render message with a newer data_version -> first frame drawn after it.
BENCH_JS = """
(() => {
if (window.__bench) return;  // the iframe's first about:blank window is reused
window.__bench = { rel: [], pending: null, dv: -1 };
window.addEventListener("message", (e) => {
  const d = e.data, b = window.__bench;
  if (!d || d.type !== "streamlit:render" || !d.args) return;
  if (b.pending && !b.pending.tMsg && d.args.data_version > b.pending.dv) {
    b.pending.tMsg = performance.now();
  }
  b.dv = d.args.data_version;
});
window.addEventListener("pointerup", (e) => {
  const t = e.target;
  if (t && t.classList && t.classList.contains("handle")) {
    window.__bench.pending = { t0: performance.now(), dv: window.__bench.dv, tMsg: null };
  }
}, true);
window.addEventListener("DOMContentLoaded", () => {
  if (window.__benchObserver) return;
  window.__benchObserver = new MutationObserver(() => {
    const b = window.__bench;
    if (b.pending && b.pending.tMsg) {
      b.rel.push(performance.now() - b.pending.t0);
      b.pending = null;
    }
  });
  window.__benchObserver.observe(document.body,
    { attributes: true, attributeFilter: ["data-frames-drawn"] });
});
})();
"""
SNAPSHOT_JS = """() => {
  const p = window.__pg;
  window.__benchTag = window.__benchTag || Math.random();
  const d = p.drawMs.slice().sort((a, b) => a - b);
  const c = (p.curveMs || []).slice().sort((a, b) => a - b);
  return { tag: window.__benchTag, now: performance.now(), frames: p.framesDrawn,
           curves: p.curveUpdates || 0, curveMedian: c.length ? c[Math.floor(c.length / 2)] : null,
           ticks: p.ticks, bytes: p.bytes, messages: p.messages,
           msgTimes: p.msgTimes.slice(), step: p.step,
           drawMedian: d.length ? d[Math.floor(d.length / 2)] : null,
           drawP90: d.length ? d[Math.floor(d.length * 0.9)] : null };
}"""


# ------------------------------------------------------------------------------ /proc
def proc_cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def proc_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def chromium_pids() -> list[int]:
    """Chromium processes started by this script (descendants of this process)."""
    parent: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                text = f.read()
        except OSError:
            continue
        pid = int(entry)
        names[pid] = text[text.index("(") + 1 : text.rindex(")")]
        parent[pid] = int(text.rsplit(")", 1)[1].split()[1])
    me = os.getpid()
    out = []
    for pid, name in names.items():
        if "chrom" not in name:
            continue
        p, seen = pid, 0
        while p > 1 and seen < 50:
            p, seen = parent.get(p, 0), seen + 1
            if p == me:
                out.append(pid)
                break
    return out


class CpuMeter:
    """CPU% of the server and of this script's Chromium over a window (100% = one core)."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.t0 = time.monotonic()
        self.s0 = proc_cpu_seconds(server_pid)
        self.b0 = self._browser()

    def _browser(self) -> dict[int, float]:
        out = {}
        for pid in chromium_pids():
            with contextlib.suppress(OSError):
                out[pid] = proc_cpu_seconds(pid)
        return out

    def stop(self) -> tuple[float, float]:
        dt = time.monotonic() - self.t0
        server = (proc_cpu_seconds(self.server_pid) - self.s0) / dt * 100
        b1 = self._browser()
        browser = sum(v - self.b0.get(pid, 0.0) for pid, v in b1.items()) / dt * 100
        return server, browser


# ------------------------------------------------------------------------------ pages
def open_page(browser, url: str, query: str, wait: bool = True):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(BENCH_JS)
    page = context.new_page()
    page.goto(f"{url}/?{query}", wait_until="commit", timeout=120_000)
    frame = playground_frame(page, timeout=120_000) if wait else None
    return context, page, frame


def set_playing(page, playing: bool) -> None:
    want = "Pause" if playing else "Play"
    button = page.locator(".st-key-pg_play button p")  # the label, not its shortcut hint
    for _ in range(3):  # a click was seen to be lost under heavy load
        if button.inner_text(timeout=60_000).strip() == want:
            return
        button.click(timeout=60_000)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if button.inner_text().strip() == want:
                return
            time.sleep(0.1)
    raise RuntimeError(f"the Play/Pause button never showed {want!r}")


def live_frame(page):
    """The view's current iframe (Streamlit sometimes replaces it: then the old one detaches)."""
    for f in page.frames:
        if "softmax_playground" in f.url and not f.is_detached():
            return f
    return playground_frame(page, timeout=120_000)


def snapshot(page) -> dict | None:
    for _ in range(3):
        try:
            return live_frame(page).evaluate(SNAPSHOT_JS)
        except PlaywrightError as err:
            if "detached" not in str(err):
                raise
    return None


def rates(s0: dict, s1: dict) -> dict:
    dt = (s1["now"] - s0["now"]) / 1000
    frames = s1["frames"] - s0["frames"]
    messages = s1["messages"] - s0["messages"]
    received = sum(n for t, n in s1["msgTimes"] if s0["now"] < t <= s1["now"])
    bytes_ = s1["bytes"] - s0["bytes"]
    return {
        "fps": frames / dt,
        "ticks": (s1["ticks"] - s0["ticks"]) / dt,
        "msgs": messages / dt,
        "received": received / dt,
        "bytes_frame": bytes_ / frames if frames else float("nan"),
        "bytes_msg": bytes_ / messages if messages else float("nan"),
        "draw_med": s1["drawMedian"],
        "draw_p90": s1["drawP90"],
        "curves": (s1.get("curves", 0) - s0.get("curves", 0)) / dt,
        "curve_med": s1.get("curveMedian"),
    }


REMOUNTS: list[str] = []  # the view's iframe was replaced (its state starts over)


def measure_config(browser, url, pid, k, total, grid, warmup, window) -> dict:
    n = total // k
    context, page, _ = open_page(browser, url, f"k={k}&n={n}&grid={grid}&speed=1")
    try:
        set_playing(page, True)
        for _attempt in range(3):
            time.sleep(warmup)
            s0 = snapshot(page)
            meter = CpuMeter(pid)
            time.sleep(window)
            s1 = snapshot(page)
            server_cpu, browser_cpu = meter.stop()
            if s0 and s1 and s0["tag"] == s1["tag"]:
                break
            REMOUNTS.append(f"K={k} points={n * k} grid={grid}")
        else:
            raise RuntimeError("the view was remounted three times in a row")
    finally:
        context.close()
    out = rates(s0, s1)
    out.update(k=k, points=n * k, n=n, grid=grid, server_cpu=server_cpu, browser_cpu=browser_cpu)
    return out


def drag_once(page, frame, dx: float) -> None:
    box = frame.get_by_role("button", name="Centre of class 1").bounding_box()
    x0, y0 = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x0, y0)
    page.mouse.down()
    for j in range(1, 11):
        page.mouse.move(x0 + dx * j / 10, y0)
    page.mouse.up()


def measure_release(browser, url, drags: int, warmup: float) -> dict:
    context, page, frame = open_page(browser, url, "k=4&n=150&grid=150&speed=1")
    lost_view, lost_both = 0, 0
    view: list[float] = []
    mine: list[float] = []
    count = "[window.__pg.releaseLatencies.length, window.__bench.rel.length]"
    try:
        set_playing(page, True)
        time.sleep(warmup)
        px = frame.locator("#main").bounding_box()["width"] / 10  # one data unit
        for i in range(drags):
            try:
                n_view, n_mine = frame.evaluate(count)
                drag_once(page, frame, px if i % 2 == 0 else -px)
                deadline = time.monotonic() + 8
                while time.monotonic() < deadline:
                    v, m = frame.evaluate(count)
                    if v > n_view and m > n_mine:
                        break
                    time.sleep(0.1)
                lost_view += v <= n_view
                lost_both += v <= n_view and m <= n_mine
                view += frame.evaluate(f"window.__pg.releaseLatencies.slice({n_view})")
                mine += frame.evaluate(f"window.__bench.rel.slice({n_mine})")
                time.sleep(0.3)
            except PlaywrightError as err:
                if "detached" not in str(err):
                    raise
                REMOUNTS.append(f"release drag {i}")
                frame = live_frame(page)
    finally:
        context.close()
    return {"view": view, "mine": mine, "drags": drags, "no_ack": lost_view, "lost": lost_both}


def measure_sessions(browser, url, pid, counts, warmup, window) -> list[dict]:
    query = "k=4&n=150&grid=150&speed=1"
    open_: list[tuple] = []
    rows = []
    try:
        for count in counts:
            t_load = time.monotonic()
            new = [open_page(browser, url, query, wait=False) for _ in range(count - len(open_))]
            for context, page, _ in new:
                frame = playground_frame(page, timeout=180_000)
                set_playing(page, True)
                open_.append((context, page, frame))
            load_s = time.monotonic() - t_load
            time.sleep(warmup)
            s0 = [snapshot(page) for _, page, _ in open_]
            meter = CpuMeter(pid)
            time.sleep(window)
            s1 = [snapshot(page) for _, page, _ in open_]
            server_cpu, browser_cpu = meter.stop()
            pairs = [(a, b) for a, b in zip(s0, s1, strict=True) if a and b]
            same = [(a, b) for a, b in pairs if a["tag"] == b["tag"]]
            if len(same) < len(s0):
                REMOUNTS.append(f"{len(s0) - len(same)} of {count} sessions")
            per = [rates(a, b) for a, b in same] or [
                dict.fromkeys(("fps", "received", "msgs"), 0.0)
            ]
            fps = [r["fps"] for r in per]
            received = [r["received"] for r in per]
            rows.append(
                {
                    "sessions": count,
                    "valid": len(same),
                    "fps_med": statistics.median(fps),
                    "fps_min": min(fps),
                    "recv_med": statistics.median(received),
                    "recv_min": min(received),
                    "msgs_med": statistics.median(r["msgs"] for r in per),
                    "server_cpu": server_cpu,
                    "browser_cpu": browser_cpu,
                    "rss": proc_rss_mb(pid),
                    "load_s": load_s,
                }
            )
            print_sessions(rows[-1:], header=len(rows) == 1)
    finally:
        for context, _, _ in open_:
            context.close()
    return rows


# ------------------------------------------------------------------------------ output
def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, round(q * (len(v) - 1)))] if v else float("nan")


def print_configs(rows: list[dict]) -> None:
    print(
        "\nFrames drawn per second while playing (fps 60 target; speed=1; one page at a time)\n"
        f"{'K':>2} {'points':>6} {'n/cls':>5} {'grid':>4} | {'drawn/s':>7} {'rAF/s':>6} "
        f"{'recv/s':>6} {'msgs/s':>6} | {'B/frame':>7} {'B/msg':>6} | {'draw ms':>7} "
        f"{'p90':>5} | {'curves/s':>8} {'ms':>5} | {'srv CPU%':>8} {'chrome%':>7}"
    )
    for r in rows:
        print(
            f"{r['k']:>2} {r['points']:>6} {r['n']:>5} {r['grid']:>4} | {r['fps']:7.1f} "
            f"{r['ticks']:6.1f} {r['received']:6.1f} {r['msgs']:6.1f} | {r['bytes_frame']:7.0f} "
            f"{r['bytes_msg']:6.0f} | {r['draw_med']:7.2f} {r['draw_p90']:5.2f} | "
            f"{r['curves']:8.1f} {r['curve_med'] or float('nan'):5.1f} | "
            f"{r['server_cpu']:8.0f} {r['browser_cpu']:7.0f}"
        )
    print(
        "drawn/s: distinct server frames painted per second (window.__pg.framesDrawn); rAF/s: "
        "requestAnimationFrame ticks, the ceiling;\nrecv/s: frames received from the server "
        "per second; B = characters of the JSON arguments (window.__pg.bytes), per drawn frame "
        "and per message;\ndraw ms: regions + overlay + charts per drawn tick (median, p90 "
        "of the last 240); CPU% over the window, 100 = one core."
    )


def print_release(res: dict) -> None:
    print(
        f"\nRelease of a dragged centre -> regions redrawn on the new data (K=4, 600 points, "
        f"grid 150, playing; {res['drags']} drags of class 1 by one unit, back and forth)"
    )
    for name, values in (
        ("view's clock (__pg.releaseLatencies, needs the ack)", res["view"]),
        ("release -> new data_version -> first frame drawn", res["mine"]),
    ):
        if values:
            print(
                f"  {name}: n={len(values)}  median {statistics.median(values):.0f} ms  "
                f"p90 {pct(values, 0.9):.0f} ms  min {min(values):.0f}  max {max(values):.0f}"
            )
        else:
            print(f"  {name}: no samples")
    print(
        f"  drags with no ack within 8 s: {res['no_ack']}; drags with no new data within 8 s: "
        f"{res['lost']}"
    )


def print_sessions(rows: list[dict], header: bool) -> None:
    if header:
        print(
            "\nMany users: N pages playing at once against one server (K=4, 600 points, grid 150)\n"
            f"{'N':>3} | {'drawn/s med':>11} {'min':>5} | {'recv/s med':>10} {'min':>5} | "
            f"{'msgs/s':>6} | {'ok':>3} | {'srv CPU%':>8} {'srv RSS MB':>10} | {'chrome%':>7} | "
            f"{'load s':>6}"
        )
    for r in rows:
        print(
            f"{r['sessions']:>3} | {r['fps_med']:11.1f} {r['fps_min']:5.1f} | "
            f"{r['recv_med']:10.1f} {r['recv_min']:5.1f} | {r['msgs_med']:6.1f} | {r['valid']:3} | "
            f"{r['server_cpu']:8.0f} {r['rss']:10.0f} | {r['browser_cpu']:7.0f} | "
            f"{r['load_s']:6.1f}",
            flush=True,
        )


# ------------------------------------------------------------------------------ main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (about 2 min)")
    parser.add_argument("--max-sessions", type=int, default=30)
    parser.add_argument(
        "--sections", default="configs,release,sessions", help="comma-separated subset to run"
    )
    parser.add_argument(
        "--config",
        action="append",
        metavar="K,POINTS,GRID",
        help="measure only these configurations (repeatable), e.g. --config 4,600,150",
    )
    args = parser.parse_args()

    if args.quick:
        configs = [(4, 600, 150), (3, 600, 100), (6, 3000, 200)]
        warmup, window, drags, counts = 2.0, 4.0, 8, [1, 5]
    else:
        configs = [(4, 600, 150)] + [
            (k, total, grid) for total in (600, 3000) for k in (3, 6) for grid in (100, 150, 200)
        ]
        warmup, window, drags, counts = 2.0, 5.0, 20, [1, 5, 10, 20, 30]
    if args.config:
        configs = [tuple(int(v) for v in c.split(",")) for c in args.config]
    counts = [c for c in counts if c <= args.max_sessions] or [max(1, args.max_sessions)]

    print(
        f"cores: {os.cpu_count()}  load average at start: "
        f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    t_start = time.monotonic()
    with streamlit_server() as (url, proc), sync_playwright() as p, chromium(p) as browser:
        print(f"server pid {proc.pid}, RSS at start {proc_rss_mb(proc.pid):.0f} MB")
        sections = set(args.sections.split(","))
        if "configs" in sections:
            rows = []
            for k, total, grid in configs:
                if total // k > MAX_PER_CLASS:
                    total = MAX_PER_CLASS * k  # n is capped at 500 per class
                rows.append(measure_config(browser, url, proc.pid, k, total, grid, warmup, window))
            print_configs(rows)
            if not args.quick:
                print(
                    "(3000 points at K=3 would need n=1000 per class, above the cap of 500: "
                    "that row runs 1500 points.)"
                )
        if "release" in sections:
            print_release(measure_release(browser, url, drags, warmup))
        if "sessions" in sections:
            sessions = measure_sessions(browser, url, proc.pid, counts, 3.0, window)
            # Sessions throttled by the shared browser send fewer messages, so size by the
            # server's CPU per message, times the messages a full-rate session sends (N = 1).
            ms_per_msg = [
                r["server_cpu"] * 10 / (r["sessions"] * r["msgs_med"])
                for r in sessions
                if r["msgs_med"] > 0
            ]
            if ms_per_msg:
                cost = statistics.median(ms_per_msg)
                full = cost * sessions[0]["msgs_med"] / 10  # % of a core per full-rate session
                print(
                    f"server CPU per message: median {cost:.1f} ms (range "
                    f"{min(ms_per_msg):.1f}-{max(ms_per_msg):.1f}); a session playing at full "
                    f"rate ({sessions[0]['msgs_med']:.0f} messages/s) costs {full:.0f}% of a "
                    f"core -> about {100 / full:.0f} full-rate sessions per server process "
                    "(one Python process uses one core at most, by the GIL)"
                )
    print(f"\nview iframe remounted (frame detached) during: {REMOUNTS or 'never'}")
    print(
        f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}; "
        f"total {time.monotonic() - t_start:.0f} s"
    )


if __name__ == "__main__":
    main()
