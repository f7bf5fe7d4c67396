"""Benchmark of the Digits page's work: prints a table, never asserts a timing.

    python benchmarks/bench_digits.py            # about a minute
    python benchmarks/bench_digits.py --quick    # about 15 seconds

At the issue's size (N, D, K) = (1437, 64, 10), the first 1437 training rows of the page's
split (counts / 16), all in one process, medians of interleaved repeats:
- one optimiser step of ``softmax_core.Trainer`` (full batch, momentum: the page's default),
  and one ``Trainer.evaluate`` (what every frame of the live view costs on top of its steps);
- ``softmax_core.solve_optimum`` (Newton) against scikit-learn's lbfgs at C = 1 / (l2 N),
  which minimises the same objective for K >= 3, each to its own tolerance, with the largest
  gradient entry of our objective at each answer and their test accuracies.
scikit-learn is a test/benchmark dependency only; the app never imports it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from softmax_core import Trainer, loss_and_gradients, predict, solve_optimum
from softmax_core.digits import split_digits

N_TRAIN = 1437


def median_interleaved(funcs: dict, repeats: int, number: int) -> dict[str, float]:
    """Median seconds per call; blocks of ``number`` calls, candidates interleaved."""
    times: dict[str, list[float]] = {name: [] for name in funcs}
    for f in funcs.values():
        f()
    for _ in range(repeats):
        for name, f in funcs.items():
            start = time.perf_counter()
            for _ in range(number):
                f()
            times[name].append((time.perf_counter() - start) / number)
    return {name: float(np.median(t)) for name, t in times.items()}


def fmt(seconds: float) -> str:
    return f"{seconds * 1e6:9.1f} us" if seconds < 1e-3 else f"{seconds * 1e3:9.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    s = split_digits(0.2, seed=0)
    X, y = s.X_train[:N_TRAIN], s.y_train[:N_TRAIN]
    n, d = X.shape
    print(f"load average {os.getloadavg()[0]:.2f}; (N, D, K) = ({n}, {d}, 10)")

    trainer = Trainer(
        X, y, 10, optimizer="momentum", lr=0.1, l2=0.001, X_test=s.X_test, y_test=s.y_test
    )
    t = median_interleaved(
        {"step": trainer.step, "evaluate": trainer.evaluate},
        repeats=5 if args.quick else 15,
        number=50,
    )
    print(f"Trainer.step (momentum, full batch) {fmt(t['step'])}")
    print(f"Trainer.evaluate (train + test)     {fmt(t['evaluate'])}")
    print(
        f"-> 2 steps + 1 evaluate per frame at 15 frames/s: "
        f"{100 * 15 * (2 * t['step'] + t['evaluate']):.1f}% of one core"
    )

    print("\nexact solve vs scikit-learn lbfgs (same objective, C = 1 / (l2 N))")
    print(
        f"{'l2':>8} {'newton':>12} {'lbfgs':>12} {'ratio':>7} {'max|g| newton':>14} "
        f"{'max|g| lbfgs':>13} {'acc newton':>11} {'acc lbfgs':>10}"
    )
    for l2 in (1e-4, 1e-3, 1e-2):
        answers = {}

        def newton(l2=l2, answers=answers):
            answers["newton"] = solve_optimum(X, y, l2, n_classes=10)

        def lbfgs(l2=l2, answers=answers):
            m = LogisticRegression(C=1.0 / (l2 * n), max_iter=10_000, tol=1e-8).fit(X, y)
            answers["lbfgs"] = (m.coef_.T.copy(), m.intercept_.copy())

        t = median_interleaved(
            {"newton": newton, "lbfgs": lbfgs}, repeats=2 if args.quick else 5, number=1
        )
        grads, accs = {}, {}
        for name, (W, b) in answers.items():
            _, dW, db = loss_and_gradients(W, b, X, y, l2)
            grads[name] = max(np.abs(dW).max(), np.abs(db).max())
            accs[name] = np.mean(predict(W, b, s.X_test) == s.y_test)
        print(
            f"{l2:8g} {fmt(t['newton'])} {fmt(t['lbfgs'])} {t['newton'] / t['lbfgs']:7.2f} "
            f"{grads['newton']:14.1e} {grads['lbfgs']:13.1e} {100 * accs['newton']:10.1f}% "
            f"{100 * accs['lbfgs']:9.1f}%"
        )


if __name__ == "__main__":
    main()
