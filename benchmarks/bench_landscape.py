"""Loss surface for the "Loss surface" panel: a G x G grid of J(W, b) on a plane, in NumPy.

Target: G = 60 at 600 points, K = 4 in at most 20 ms. Baseline in the same run: one
loss_and_gradients call per grid point (what a first version would do). Prints figures only.

    python benchmarks/bench_landscape.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from softmax_core import default_centres, loss_and_gradients, make_gaussian_classes, solve_optimum
from softmax_core.landscape import flatten, loss_surface, path_plane, unflatten


def median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1e3 * float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    X, y = make_gaussian_classes(default_centres(4), 150, 1.0, 0)
    l2 = 1e-3
    W, b = solve_optimum(X, y, l2)[:2]
    opt = flatten(W, b)
    path = (
        opt
        + np.random.default_rng(0).standard_normal((60, opt.size)) * np.linspace(3, 0, 60)[:, None]
    )
    plane = path_plane(path, opt)
    print(f"load average {os.getloadavg()[0]:.2f}; N = {X.shape[0]}, K = 4, P = {opt.size}")
    for g, span in ((60, 3.0), (60, 60.0), (100, 3.0)):
        a = np.linspace(-span, span, g)
        fast = median_ms(lambda a=a: loss_surface(X, y, l2, plane, a, a), args.repeats)
        print(f"G = {g:3d}, |a|, |c| <= {span:4.0f}: {fast:7.2f} ms")
    a = np.linspace(-3, 3, 60)

    def per_point():
        for ci in a:
            for aj in a:
                Wt, bt = unflatten(plane.point(aj, ci), 2, 4)
                loss_and_gradients(Wt, bt, X, y, l2)

    slow = median_ms(per_point, 3)
    fast = median_ms(lambda: loss_surface(X, y, l2, plane, a, a), args.repeats)
    print(
        f"G = 60: per-point loss_and_gradients {slow:.1f} ms, loss_surface {fast:.2f} ms "
        f"({slow / fast:.0f}x)"
    )


if __name__ == "__main__":
    main()
