"""The server's cost of one playground frame, against softmax_core at an older commit.

    python benchmarks/bench_frames.py                     # about a minute
    python benchmarks/bench_frames.py --quick             # about 15 seconds
    python benchmarks/bench_frames.py --baseline <ref>    # another "before"

A playing tab costs the server, per frame, one ``PlaygroundSession.frame()`` (the metrics
on the training and test sets, the full-batch gradient, the rounded parameters) and
``speed`` optimiser steps: ``session.advance(n)`` does n of them. Here the same session
settings are played with the current ``softmax_core`` ("new") and with the one at
``--baseline`` ("old"; by default the last commit before the training accuracy came from the
loss pass's logits and the test metrics from one pass without a gradient), imported side by
side as ``softmax_core_ref`` from ``git archive``. Everything outside softmax_core (the
session, the frames' rounding) is the current code in both.

Printed per case: the per-frame CPU time (of this thread; OpenBLAS keeps products this small
on the calling thread) of ``advance(FRAMES_PER_RUN)`` and of the trainer alone
(``evaluate_with_gradients()`` then ``step()``), old / new; medians over interleaved repeats
(old, new, old, new, ...), so drift and other jobs on a shared machine hit both alike; the
ratio is what to read. Before timing, both trainers are stepped side by side and their
metrics and gradients compared (they should be equal bit for bit; the largest difference is
printed). Asserts nothing.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# The frame itself is measured here, in this thread: no frame workers (playground/frame_pool.py;
# benchmarks/bench_frame_workers.py measures what they save the server).
os.environ["SOFTMAX_FRAME_WORKERS"] = "0"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_core import fmt_time, print_table

from playground.session import PlaygroundSession
from playground.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "6ff54c9"  # main before issue 21's one-pass evaluation
FRAMES_PER_RUN = 20  # a loaded tab's message: 0.5 s of frames at 40 frames/s (pacing.py)
CASES = [
    ("default: 3 x 100 Gaussian, 20% test", Settings()),
    ("6 x 500 Gaussian, 20% test", Settings(n_classes=6, n_per_class=500)),
    ("Wine, 13 features", Settings(source="wine")),
    ("default, Adam, batch 32", Settings(optimizer="adam", batch_size=32)),
]
FIELDS = ("train_ce", "l2_term", "train_acc", "test_ce", "test_acc", "w_norm")


def median_cpu_interleaved(funcs: dict, repeats: int, number: int) -> dict[str, float]:
    """Median CPU seconds of this thread per call of each function (``number`` calls per
    timed block, the candidates' blocks interleaved ``repeats`` times). CPU time, not wall
    time: on a shared machine a block that waits for a core is not charged for the wait."""
    times: dict[str, list[float]] = {name: [] for name in funcs}
    for f in funcs.values():
        f()
    for _ in range(repeats):
        for name, f in funcs.items():
            start = time.thread_time()
            for _ in range(number):
                f()
            times[name].append((time.thread_time() - start) / number)
    return {name: float(np.median(t)) for name, t in times.items()}


def import_baseline(ref: str, into: Path):
    """softmax_core as of ``ref``, importable as ``softmax_core_ref`` (relative imports)."""
    blob = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "softmax_core"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    (into / "softmax_core").rename(into / "softmax_core_ref")
    sys.path.insert(0, str(into))
    return importlib.import_module("softmax_core_ref")


def pair(settings: Settings, ref) -> tuple[PlaygroundSession, PlaygroundSession]:
    """(old, new): two sessions of ``settings``, the old one's trainer from ``ref``."""
    new, old = PlaygroundSession(settings), PlaygroundSession(settings)
    old.trainer = old.build_trainer(ref.Trainer)
    return old, new


def largest_difference(old: PlaygroundSession, new: PlaygroundSession, steps: int) -> float:
    """Steps both trainers ``steps`` times; the largest |old - new| over every step's metrics
    and gradient (0.0 when bit-identical; NaN test metrics compare equal)."""
    worst = 0.0
    for _ in range(steps):
        (m0, dW0, db0), (m1, dW1, db1) = (
            old.trainer.evaluate_with_gradients(),
            new.trainer.evaluate_with_gradients(),
        )
        a = np.array([getattr(m0, f) for f in FIELDS] + list(dW0.ravel()) + list(db0))
        b = np.array([getattr(m1, f) for f in FIELDS] + list(dW1.ravel()) + list(db1))
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        worst = max(worst, float(np.max(np.where(same, 0.0, np.abs(a - b)), initial=0.0)))
        old.trainer.step()
        new.trainer.step()
    return worst


def bench_case(name: str, settings: Settings, ref, quick: bool) -> list[str]:
    old, new = pair(settings, ref)
    diff = largest_difference(old, new, 50 if quick else 200)
    repeats, number = (5, 5) if quick else (21, 10)

    def advance(session):
        return lambda: session.advance(FRAMES_PER_RUN)

    def trainer_frame(session):
        t = session.trainer

        def run():
            for _ in range(FRAMES_PER_RUN):
                t.evaluate_with_gradients()
                t.step()

        return run

    funcs = {
        "old advance": advance(old),
        "new advance": advance(new),
        "old trainer": trainer_frame(old),
        "new trainer": trainer_frame(new),
    }
    t = {k: v / FRAMES_PER_RUN for k, v in median_cpu_interleaved(funcs, repeats, number).items()}
    n_train = new.trainer.X.shape[0]
    n_test = int(new.is_test.sum())
    return [
        name,
        f"{n_train}/{n_test}",
        fmt_time(t["old advance"]),
        fmt_time(t["new advance"]),
        f"{t['old advance'] / t['new advance']:5.2f}x",
        fmt_time(t["old trainer"]),
        fmt_time(t["new trainer"]),
        f"{t['old trainer'] / t['new trainer']:5.2f}x",
        f"{diff:.1e}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (about 15 s)")
    parser.add_argument("--baseline", default=BASELINE, help=f"git ref (default {BASELINE})")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Per-frame server cost, softmax_core at {args.baseline} (old) vs the working tree "
        f"(new); numpy {np.__version__}, load average {load:.2f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        ref = import_baseline(args.baseline, Path(tmp))
        rows = [bench_case(name, s, ref, args.quick) for name, s in CASES]
    print_table(
        f"Time per frame: session.advance({FRAMES_PER_RUN}) / {FRAMES_PER_RUN}, and the "
        "trainer alone (evaluate_with_gradients + step)",
        [
            "case",
            "train/test",
            "advance old",
            "advance new",
            "ratio",
            "trainer old",
            "trainer new",
            "ratio",
            "max |old-new|",
        ],
        rows,
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average at the end {load:.2f} (a shared machine: read the ratios)")


if __name__ == "__main__":
    main()
