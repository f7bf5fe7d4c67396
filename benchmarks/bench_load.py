"""Many students on one server: the Locust load test (loadtest/) per student count, a table.

Run: `python benchmarks/bench_load.py --students 10,20,40,80 --seconds 60` (about 8 minutes:
a fresh `streamlit run` per count, students added 5 a second, then a measuring window of
`--seconds`). Then, at the knee, the same load again with one real Chromium page playing
alongside (`--browser-at auto`, the default; a count, or `none`), and with `--profile` a
py-spy profile of the server there. Prints tables; asserts nothing. Everything runs on
127.0.0.1 and stops by itself (Locust's --run-time; the server is stopped after each count).

Per count: frames painted per student per second (the view's frames, see
loadtest/student.py: median and 10th percentile over students; a student that never got to
play counts as 0), frames received and messages per second (medians), drop-to-ack p50 and
p95 (each drop in the window, to the first view message that acknowledges it), drops not
acknowledged within 5 s, the server's CPU (100 % = one core), its frame workers' CPU (child
processes, playground/frame_pool.py: the pod pays for both), the RSS of server and workers
together (peak in the window and at its end), the load generator's CPU, and the machine's
load average (1 minute) at the window's start and end: on a shared machine, read the figures
beside it.

The knee is the largest count that meets the issue's goals: p10 >= 30 frames/s painted and
drop-to-ack p95 < 150 ms, with no drop lost.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bench_live import CpuMeter, proc_cpu_seconds, proc_rss_mb
from tests.browser_support import ROOT, free_port, streamlit_server
from tests.nginx_support import running_nginx

SPAWN_RATE = 5  # students per second (a class pressing Play when told to)
SETTLE_S = 8  # after the last student starts, before measuring
GOAL_FPS, GOAL_ACK_MS = 30.0, 150.0
OUR_CODE = ("playground/", "softmax_core/", "app.py", "ui/")


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, max(0, math.ceil(q * len(v)) - 1))] if v else float("nan")


def children(pid: int) -> list[int]:
    """The server's child processes: its frame workers (playground/frame_pool.py)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return out


def tree_cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            total += proc_cpu_seconds(pid)
    return total


def tree_rss_mb(pid: int) -> float:
    """RSS of the server and its frame workers: what the pod's memory holds."""
    total = proc_rss_mb(pid)
    for child in children(pid):
        with contextlib.suppress(OSError):
            total += proc_rss_mb(child)
    return total


class RssPeak(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            self.peak = max(self.peak, tree_rss_mb(self.pid))


def per_student(students: list[dict], t0: float, t1: float) -> dict:
    seconds = range(math.ceil(t0), math.floor(t1))
    n = max(1, len(seconds))

    def rate(student: dict, key: str) -> float:
        counts = student[key]
        return sum(counts.get(str(s), 0) for s in seconds) / n

    painted = [rate(s, "frames_by_second") for s in students]
    acks = [ms for s in students for wall, ms in s["acks"] if t0 <= wall <= t1]
    lost = sum(1 for s in students for wall in s["lost_acks"] if t0 <= wall <= t1)
    return {
        "fps_med": statistics.median(painted) if painted else 0.0,
        "fps_p10": pct(painted, 0.10),
        "recv_med": statistics.median(rate(s, "received_by_second") for s in students),
        "msgs_med": statistics.median(rate(s, "messages_by_second") for s in students),
        "ack_p50": pct(acks, 0.50),
        "ack_p95": pct(acks, 0.95),
        "acks": len(acks),
        "lost": lost,
        "errors": sum(len(s["errors"]) for s in students),
        "max_gap": max((s["max_gap_s"] for s in students), default=float("nan")),
    }


def profile(pid: int, seconds: float, out: Path) -> subprocess.Popen:
    """py-spy, sampling without pausing the server (--nonblocking), collapsed stacks."""
    exe = Path(sys.executable).parent / "py-spy"
    cmd = [
        str(exe) if exe.exists() else "py-spy",
        "record",
        "--nonblocking",
        "--format",
        "raw",
        "-r",
        "100",
    ]
    cmd += ["-d", str(int(seconds)), "-p", str(pid), "-o", str(out)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def print_profile(path: Path, top: int = 18) -> None:
    leaf: collections.Counter = collections.Counter()
    inclusive: collections.Counter = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        n = int(count)
        total += n
        leaf[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    print(f"\npy-spy: {total} samples of the server (100/s, all threads, idle excluded)")
    print("  self time (leaf function):")
    for frame, n in leaf.most_common(top):
        print(f"  {100 * n / total:5.1f} %  {frame[:150]}")
    ours = [(f, n) for f, n in inclusive.most_common() if any(p in f for p in OUR_CODE)]
    print("  inclusive time in this project's code:")
    for frame, n in ours[:top]:
        print(f"  {100 * n / total:5.1f} %  {frame[:150]}")


def run_count(
    count: int,
    seconds: float,
    browser: bool = False,
    spy: float = 0,
    pacing: str = "adaptive",
    workers: str = "",
    through_nginx: bool = False,
) -> dict:
    """One fresh server, `count` Locust students, a window of `seconds`; optionally one
    Chromium page alongside and a py-spy profile during the window. ``pacing``: the server's
    SOFTMAX_PACING ("fixed": the 0.1 s timer of before issue 21, the baseline); ``workers``:
    its SOFTMAX_FRAME_WORKERS ("" leaves the default, "0": frames computed in the server).
    ``through_nginx``: the students and the page reach the server through deploy/nginx.conf
    (tests/nginx_support.py), as in the compose stack; nginx's CPU is measured too."""
    summary = Path(tempfile.mkstemp(suffix=".json")[1])
    os.environ["SOFTMAX_PACING"] = pacing  # the server inherits it
    if workers:
        os.environ["SOFTMAX_FRAME_WORKERS"] = workers
    else:
        os.environ.pop("SOFTMAX_FRAME_WORKERS", None)
    ramp = count / SPAWN_RATE + SETTLE_S
    run_time = math.ceil(ramp + seconds + (40 if browser else 3))
    with contextlib.ExitStack() as stack:
        url, server = stack.enter_context(streamlit_server())
        lb_pids: list[int] = []
        if through_nginx:
            front = stack.enter_context(running_nginx([url.removeprefix("http://")], free_port()))
            master = int((front.prefix / "nginx.pid").read_text())
            lb_pids = [master, *children(master)]
            url = front.base
        locust = subprocess.Popen(
            [
                *(sys.executable, "-m", "locust", "-f", str(ROOT / "loadtest" / "locustfile.py")),
                *("--headless", "--host", url, "--users", str(count)),
                *("--spawn-rate", str(SPAWN_RATE), "--run-time", f"{run_time}s"),
                *("--summary-file", str(summary), "--only-summary", "--loglevel", "WARNING"),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        t_start = time.monotonic()
        page = None
        try:
            if browser:
                page = BrowserPage(url)  # loads while the students arrive
            time.sleep(max(0.0, ramp - (time.monotonic() - t_start)))
            load0 = os.getloadavg()[0]
            rss = RssPeak(server.pid)
            rss.start()
            spy_proc = profile(server.pid, spy, summary.with_suffix(".spy")) if spy else None
            meter = CpuMeter(server.pid)
            worker_pids = children(server.pid)
            wrk0 = tree_cpu_seconds(worker_pids)
            gen0 = proc_cpu_seconds(locust.pid)
            lb0 = tree_cpu_seconds(lb_pids)
            t0 = time.time()
            snap0 = page.snapshot() if page else None
            time.sleep(seconds)
            snap1 = page.snapshot() if page else None
            t1 = time.time()
            server_cpu, chrome_cpu = meter.stop()
            gen_cpu = (proc_cpu_seconds(locust.pid) - gen0) / (t1 - t0) * 100
            wrk_cpu = (tree_cpu_seconds(worker_pids) - wrk0) / (t1 - t0) * 100
            lb_cpu = (tree_cpu_seconds(lb_pids) - lb0) / (t1 - t0) * 100
            rss.stop.set()
            rss_end = tree_rss_mb(server.pid)
            load1 = os.getloadavg()[0]
            if spy_proc is not None:
                spy_proc.wait(timeout=spy + 60)
        finally:
            if page is not None:
                page.close()
            if locust.poll() is None:
                locust.terminate()
            output = locust.communicate(timeout=120)[0]
    students = json.loads(summary.read_text()) if summary.stat().st_size else []
    if len(students) < count:
        print(f"  ({count - len(students)} students never started)\n{output[-2000:]}")
        students += [{"frames_by_second": {}, "received_by_second": {}, "messages_by_second": {},
                      "acks": [], "lost_acks": [], "errors": ["never started"], "max_gap_s": 0}
                     for _ in range(count - len(students))]  # fmt: skip
    row = per_student(students, t0, t1) | {
        "students": count,
        "server_cpu": server_cpu,
        "workers_cpu": wrk_cpu,
        "workers": len(worker_pids),
        "rss_peak": max(rss.peak, rss_end),
        "rss_end": rss_end,
        "gen_cpu": gen_cpu,
        "load": (load0, load1),
        "pacing": pacing if not workers else f"{pacing[:5]} w{workers}",
    }
    if through_nginx:
        row["pacing"] = f"{row['pacing'][:6]} lb"
        row["lb_cpu"] = lb_cpu
    if page is not None:
        row["chrome"] = BrowserPage.rates(snap0, snap1)
        row["chrome_fps"] = row["chrome"]["fps"]
        row["chrome_cpu"] = chrome_cpu
    if spy:
        row["profile"] = summary.with_suffix(".spy")
    summary.unlink()
    return row


class BrowserPage:
    """One real Chromium page playing, its frames counted by bench_live's counter."""

    def __init__(self, url: str) -> None:
        from playwright.sync_api import sync_playwright

        from benchmarks.bench_live import open_page, set_playing
        from tests.browser_support import chromium

        self._pw = sync_playwright().start()
        self._chromium = chromium(self._pw)
        browser = self._chromium.__enter__()
        self.context, self.page, _ = open_page(browser, url, "k=4&n=150&grid=150&speed=1")
        set_playing(self.page, True)

    def snapshot(self) -> dict | None:
        from benchmarks.bench_live import snapshot

        return snapshot(self.page)

    @staticmethod
    def rates(s0: dict | None, s1: dict | None) -> dict:
        """fps (frames painted), ticks (requestAnimationFrame callbacks: fewer than 60 a
        second means Chromium itself got too little CPU), received (frames), msgs, a second."""
        from benchmarks.bench_live import rates

        if not s0 or not s1 or s0["tag"] != s1["tag"]:  # the view was remounted in the window
            return dict.fromkeys(("fps", "ticks", "received", "msgs"), float("nan"))
        return rates(s0, s1)

    def close(self) -> None:
        self.context.close()
        self._chromium.__exit__(None, None, None)
        self._pw.stop()


def print_rows(rows: list[dict], header: bool) -> None:
    if header:
        print(
            f"{'pacing':>8} {'N':>3} | {'painted/s med':>13} {'p10':>5} | "
            f"{'recv/s':>6} {'msgs/s':>6} | "
            f"{'ack p50':>7} {'p95':>5} {'n':>4} {'lost':>4} | {'srv CPU%':>8} "
            f"{'wrk CPU%':>8} | {'RSS peak':>8} {'end':>5} | {'gen CPU%':>8} | "
            f"{'load avg':>11} | chromium"
        )
    for r in rows:
        chrome = (
            f"{r['chrome_fps']:.1f} frames/s (rAF {r['chrome']['ticks']:.0f}/s, received "
            f"{r['chrome']['received']:.0f}/s in {r['chrome']['msgs']:.1f} msgs/s; "
            f"{r['chrome_cpu']:.0f}% CPU)"
            if "chrome_fps" in r
            else "-"
        )
        print(
            f"{r.get('pacing', ''):>8} {r['students']:>3} | "
            f"{r['fps_med']:13.1f} {r['fps_p10']:5.1f} | "
            f"{r['recv_med']:6.1f} {r['msgs_med']:6.1f} | {r['ack_p50']:7.0f} "
            f"{r['ack_p95']:5.0f} {r['acks']:>4} {r['lost']:>4} | {r['server_cpu']:8.0f} "
            f"{r['workers_cpu']:5.0f} ({r['workers']}) | "
            f"{r['rss_peak']:8.0f} {r['rss_end']:5.0f} | {r['gen_cpu']:8.0f} | "
            f"{r['load'][0]:5.1f}-{r['load'][1]:<5.1f} | {chrome}"
            + (f" | nginx {r['lb_cpu']:.1f}% CPU" if "lb_cpu" in r else ""),
            flush=True,
        )


def print_ratios(rows: list[dict]) -> None:
    """Each pacing against fixed per count, from rows of the same run (same machine load)."""
    print("\nagainst fixed (same run): painted/s med, p10; ack p95; server CPU")
    base = {r["students"]: r for r in rows if r["pacing"] == "fixed"}
    for r in rows:
        b = base.get(r["students"])
        if r["pacing"] == "fixed" or b is None:
            continue

        def ratio(key: str, r=r, b=b) -> str:
            x, y = r[key], b[key]
            if not (math.isfinite(x) and math.isfinite(y)) or y == 0:
                return f"{x:.1f}/{y:.1f}"
            return f"{x / y:.2f}x"

        print(
            f"  {r['pacing']:>8} {r['students']:>3} students: {ratio('fps_med')} "
            f"{ratio('fps_p10')}; "
            f"{ratio('ack_p95')}; {ratio('server_cpu')}"
        )


def meets_goals(row: dict) -> bool:
    return row["fps_p10"] >= GOAL_FPS and row["ack_p95"] < GOAL_ACK_MS and row["lost"] == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", default="10,20,40,80", help="comma-separated counts")
    parser.add_argument("--seconds", type=float, default=60, help="measuring window per count")
    parser.add_argument("--browser-at", default="auto", help="count, 'auto' (the knee), 'none'")
    parser.add_argument("--profile", action="store_true", help="py-spy the server at the knee")
    parser.add_argument("--profile-seconds", type=float, default=20)
    parser.add_argument(
        "--pacing",
        default="adaptive",
        help="the server's SOFTMAX_PACING (playground/pacing.py): fixed, interval or adaptive, "
        "or several, comma-separated, run back to back per count (e.g. fixed,adaptive: ratios "
        "against fixed, the baseline, are printed)",
    )
    parser.add_argument(
        "--frame-workers",
        default="",
        help="the server's SOFTMAX_FRAME_WORKERS, or several, comma-separated, run back to "
        "back per count (e.g. 0,2: frames in the server, then in two worker processes)",
    )
    parser.add_argument(
        "--through-nginx",
        action="store_true",
        help="students and page reach the server through deploy/nginx.conf, as in the compose "
        "stack (needs nginx: scripts/ensure_nginx.sh)",
    )
    args = parser.parse_args()
    counts = [int(c) for c in args.students.split(",")]
    if max(counts) > 400 or args.seconds > 900:
        raise SystemExit("bounded: at most 400 students and 900 s per count")

    print(f"cores: {os.cpu_count()}  load average at start: {os.getloadavg()[0]:.2f}")
    print(
        f"\nStudents playing at once against one server (preset links, Play, a drop every "
        f"3-6 s; {args.seconds:.0f} s window per count)"
    )
    t_start = time.monotonic()
    rows = []
    kinds = tuple(k.strip() for k in args.pacing.split(","))
    worker_counts = [w.strip() for w in args.frame_workers.split(",")]
    for count in counts:
        for kind in kinds:
            for workers in worker_counts:
                rows.append(
                    run_count(
                        count,
                        args.seconds,
                        pacing=kind,
                        workers=workers,
                        through_nginx=args.through_nginx,
                    )
                )
                print_rows(rows[-1:], header=len(rows) == 1)
    if "fixed" in kinds and len(kinds) > 1:
        print_ratios(rows)
    pacing = kinds[-1]
    last = rows[-1]["pacing"]  # the last pacing and workers asked for
    good = [r["students"] for r in rows if meets_goals(r) and r["pacing"] == last]
    knee = max(good) if good else None
    print(
        f"knee (largest count meeting p10 >= {GOAL_FPS:.0f} frames/s, ack p95 < "
        f"{GOAL_ACK_MS:.0f} ms, no drop lost): {knee if knee else 'none of these counts'}"
    )
    at = knee if args.browser_at == "auto" else None
    if args.browser_at not in ("auto", "none"):
        at = int(args.browser_at)
    if at:
        print(f"\nAt {at} students, one real Chromium page playing alongside (K=4, 600 points):")
        spy = args.profile_seconds * args.profile
        row = run_count(
            at,
            args.seconds,
            browser=True,
            spy=spy,
            pacing=pacing,
            workers=worker_counts[-1],
            through_nginx=args.through_nginx,
        )
        print_rows([row], header=True)
        if "profile" in row:
            print_profile(row["profile"])
    print(
        "\npainted/s: frames the view paints per student per second (<= 60); recv/s: new "
        "frames received; msgs/s: view messages;\nack: drop sent -> acknowledging message, "
        "ms; lost: drops with no ack in 5 s; CPU% 100 = one core; wrk: the server's frame "
        "workers (how many); RSS MB: server and workers; gen: Locust's CPU"
    )
    print(
        f"load average at end: {os.getloadavg()[0]:.2f}; total {time.monotonic() - t_start:.0f} s"
    )


if __name__ == "__main__":
    main()
