"""Benchmark of softmax_core: prints tables, never asserts a timing.

    python benchmarks/bench_core.py            # about 2-3 minutes
    python benchmarks/bench_core.py --quick    # about 30 seconds, fewer repeats and shapes

Every comparison runs in one process on the same data, and each figure is the median over
interleaved repeats (A, B, C, A, B, C, ...) so that drift and other load hit all candidates
alike; speed-ups are ratios of those medians. Absolute times on a shared 2-vCPU machine drift
20-30% (much more while other jobs run: the load average is printed); ratios hold better.

Sections: the public loss_and_gradients against the trainer's step and seed 001's class;
solve_optimum against lbfgs with one BLAS thread (including the 8x8 digits); one full-batch
gradient step against seed note 001's class (and torch, when
importable); effective memory bandwidth of the step; decision-region grid against the naive
predict_proba + argmax; solve_optimum against scikit-learn's lbfgs; gradient descent's number
of steps to the optimum's loss.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_baseline import SoftmaxRegressionNumPy

import softmax_core as sc

STEP_SHAPES = [(600, 2, 3), (100_000, 2, 5), (60_000, 784, 10)]
GRID_RANGE = (-4.0, 4.0)
LR = 1e-3  # small enough that thousands of steps never diverge


def median_interleaved(funcs: dict, repeats: int, number: int) -> dict[str, float]:
    """Median seconds per call of each function; ``number`` calls per timed block, blocks of
    the candidates interleaved ``repeats`` times."""
    times: dict[str, list[float]] = {name: [] for name in funcs}
    for f in funcs.values():  # warm up: first-touch page faults, BLAS thread start
        f()
    for _ in range(repeats):
        for name, f in funcs.items():
            start = time.perf_counter()
            for _ in range(number):
                f()
            times[name].append((time.perf_counter() - start) / number)
    return {name: float(np.median(t)) for name, t in times.items()}


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:8.2f} ms"
    return f"{seconds:8.2f} s "


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    print(f"\n{title}")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))


def blas_description() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    parts = [
        f"{i.get('internal_api')} {i.get('version')} {i.get('architecture', '')} "
        f"threads={i.get('num_threads')}"
        for i in threadpool_info()
    ]
    return "; ".join(parts) or "no BLAS found"


def make_problem(n: int, d: int, k: int, dtype, seed: int = 0):
    rng = np.random.default_rng(seed)
    if d > 100:  # MNIST-like: pixel intensities in [0, 1]
        X = rng.random((n, d), dtype=np.float32).astype(dtype)
    else:
        X = rng.standard_normal((n, d)).astype(dtype)
    y = rng.integers(0, k, n)
    return X, y


# --- torch, hand-written with the same math and (K, N) layout ------------------------------


def torch_step_factory(X: np.ndarray, y: np.ndarray, k: int):
    import torch

    Xt = torch.from_numpy(np.ascontiguousarray(X.T))  # (D, N)
    labels = torch.from_numpy(y.astype(np.int64))
    n = X.shape[0]
    W = torch.zeros((X.shape[1], k), dtype=Xt.dtype)
    b = torch.zeros(k, dtype=Xt.dtype)
    Z = torch.empty((k, n), dtype=Xt.dtype)
    cols = torch.arange(n)

    @torch.no_grad()
    def step() -> float:
        torch.matmul(W.T, Xt, out=Z)
        Z.add_(b[:, None])
        zmax = Z.max(dim=0).values
        ztrue = Z[labels, cols]
        Z.sub_(zmax)
        Z.exp_()
        zsum = Z.sum(dim=0)
        Z.div_(zsum)
        loss = float((zsum.log() + zmax - ztrue).mean())
        Z[labels, cols] -= 1.0
        W.sub_(LR / n * (Xt @ Z.T))
        b.sub_(LR / n * Z.sum(dim=1))
        return loss

    return step


def torch_status() -> str | None:
    try:
        import torch
    except ImportError as exc:
        return f"skipped: torch not importable ({exc})"
    return f"torch {torch.__version__}, {torch.get_num_threads()} threads"


# --- sections --------------------------------------------------------------------------------


def bench_steps(quick: bool) -> list[tuple]:
    """Seconds per full-batch step: softmax_core's Trainer vs the seed class vs torch."""
    have_torch = torch_status()
    use_torch = have_torch is not None and not have_torch.startswith("skipped")
    rows, results = [], []
    shapes = STEP_SHAPES
    for n, d, k in shapes:
        for dtype in (np.float64, np.float32):
            X, y = make_problem(n, d, k, dtype)
            big = n * d > 1_000_000
            number = 1 if big else max(1, int(3e6 // (n * max(d, 4))))
            repeats = (3 if quick else 7) if big else (5 if quick else 15)
            if quick and d > 100 and dtype == np.float64:
                repeats = 2
            seed = SoftmaxRegressionNumPy(d, k)
            seed.W = np.zeros((k, d), dtype=dtype)  # the note's (K, D) layout
            seed.b = np.zeros(k, dtype=dtype)
            trainer = sc.Trainer(X, y, k, optimizer="gd", lr=LR, dtype=dtype, init_scale=0.0)
            funcs = {
                "seed": lambda seed=seed, X=X, y=y: seed.train_step(X, y, LR),
                "ours": trainer.step,
            }
            if use_torch:
                funcs["torch"] = torch_step_factory(X, y, k)
            t = median_interleaved(funcs, repeats, number)
            torch_cell = fmt_time(t["torch"]) if "torch" in t else "-"
            torch_ratio = f"{t['torch'] / t['ours']:5.2f}x" if "torch" in t else "-"
            rows.append(
                [
                    f"({n}, {d}, {k})",
                    np.dtype(dtype).name,
                    fmt_time(t["seed"]),
                    fmt_time(t["ours"]),
                    f"{t['seed'] / t['ours']:6.1f}x",
                    f"{1 / t['ours']:9.0f}",
                    torch_cell,
                    torch_ratio,
                ]
            )
            results.append((n, d, k, np.dtype(dtype).name, t["ours"], X.nbytes))
            del X, trainer, seed, funcs
    print_table(
        "One full-batch gradient step (loss, gradients, update); median of interleaved repeats",
        [
            "(N, D, K)",
            "dtype",
            "seed 001",
            "softmax_core",
            "speed-up",
            "steps/s",
            "torch",
            "torch/ours",
        ],
        rows,
    )
    print("  seed 001 = SoftmaxRegressionNumPy.train_step (benchmarks/seed_baseline.py)")
    print("  softmax_core = Trainer(optimizer='gd').step (Workspace, class-major logits)")
    print(f"  torch: {have_torch}" + ("; hand-written, same math, (K, N) layout" * use_torch))
    return results


def bench_bandwidth(step_results: list[tuple], quick: bool) -> None:
    """Effective bandwidth of the large steps next to np.copyto's."""
    size = 64 if quick else 256  # MB per buffer: well beyond the 32 MB L3
    src = np.ones(size * 2**20 // 8)
    dst = np.empty_like(src)
    t = median_interleaved({"copy": lambda: np.copyto(dst, src)}, 5 if quick else 9, 1)["copy"]
    copy_bw = 2 * src.nbytes / t / 1e9
    rows = []
    for n, d, k, dtype, seconds, x_bytes in step_results:
        if n * d < 1_000_000:
            continue
        itemsize = np.dtype(dtype).itemsize
        # X read twice (logits, weight gradient) + the (K, N) buffer's passes: write logits,
        # max, shift, exp, sum, divide, residual, gradient, bias sum: about 12 passes of K N
        moved = 2 * x_bytes + 12 * k * n * itemsize
        bw = moved / seconds / 1e9
        rows.append(
            [
                f"({n}, {d}, {k})",
                dtype,
                f"{moved / 1e6:8.1f} MB",
                fmt_time(seconds),
                f"{bw:6.1f} GB/s",
                f"{100 * bw / copy_bw:5.0f}%",
                f"{100 * (2 * x_bytes / copy_bw / 1e9) / seconds:5.0f}%",
            ]
        )
    print_table(
        f"Effective memory bandwidth of the step (np.copyto of {size} MB: {copy_bw:.1f} GB/s, "
        "read + write)",
        ["(N, D, K)", "dtype", "bytes moved", "step", "bandwidth", "of copy", "X-read bound"],
        rows,
    )
    print("  X-read bound = time to stream X twice at copy bandwidth / step time")


def bench_grid(quick: bool) -> None:
    rows = []
    for g, k in [(150, 4), (300, 6)]:
        rng = np.random.default_rng(g)
        W, b = rng.standard_normal((2, k)), rng.standard_normal(k)
        xs, ys = np.linspace(*GRID_RANGE, g), np.linspace(*GRID_RANGE, g)

        def naive(W=W, b=b, xs=xs, ys=ys, g=g):
            gx, gy = np.meshgrid(xs, ys)
            probs = sc.predict_proba(W, b, np.column_stack([gx.ravel(), gy.ravel()]))
            return probs.argmax(axis=1).reshape(g, g), probs.max(axis=1).reshape(g, g)

        funcs = {
            "naive": naive,
            "ours32": lambda W=W, b=b, g=g: sc.evaluate_grid(W, b, GRID_RANGE, GRID_RANGE, g),
            "ours64": lambda W=W, b=b, g=g: sc.evaluate_grid(
                W, b, GRID_RANGE, GRID_RANGE, g, dtype=np.float64
            ),
        }
        number = 20 if g == 150 else 5
        t = median_interleaved(funcs, 5 if quick else 15, number)
        rows.append(
            [
                f"G={g}, K={k}",
                fmt_time(t["naive"]),
                fmt_time(t["ours32"]),
                f"{t['naive'] / t['ours32']:5.1f}x",
                f"{1 / t['ours32']:7.0f}",
                fmt_time(t["ours64"]),
            ]
        )
    print_table(
        "Decision-region grid: evaluate_grid vs predict_proba over all G*G points + argmax/max",
        ["grid", "naive f64", "ours f32", "speed-up", "grids/s", "ours f64"],
        rows,
    )


def bench_optimum(quick: bool) -> None:
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("\nsolve_optimum vs scikit-learn: skipped (scikit-learn not importable)")
        return
    rows = []
    l2 = 0.01
    for n, k in [(600, 4), (10_000, 5)]:
        X, y = sc.make_gaussian_classes(sc.default_centres(k, 1.5), n // k, 1.0, seed=0)
        n_rows = X.shape[0]

        def sk(X=X, y=y, n_rows=n_rows):
            clf = LogisticRegression(C=1.0 / (l2 * n_rows), tol=1e-10, max_iter=10_000)
            return clf.fit(X, y)

        funcs = {"newton": lambda X=X, y=y: sc.solve_optimum(X, y, l2), "sklearn": sk}
        t = median_interleaved(funcs, 3 if quick else 9, 1)
        W, b = sc.solve_optimum(X, y, l2)
        clf = sk()
        loss = sc.loss_and_gradients(W, b, X, y, l2)[0]
        loss_sk = sc.loss_and_gradients(clf.coef_.T, clf.intercept_, X, y, l2)[0]
        rows.append(
            [
                f"({n_rows}, 2, {k})",
                fmt_time(t["newton"]),
                fmt_time(t["sklearn"]),
                f"{t['sklearn'] / t['newton']:5.1f}x",
                f"{int(clf.n_iter_[0])}",
                f"{loss_sk - loss:+.1e}",
            ]
        )
    print_table(
        f"solve_optimum (Newton) vs scikit-learn lbfgs, l2 = {l2}, both to gradient tol 1e-10",
        ["(N, D, K)", "Newton", "sklearn", "speed-up", "lbfgs iters", "loss gap"],
        rows,
    )


def bench_gd_to_optimum(quick: bool) -> None:
    rows = []
    l2 = 0.01
    for n, k in [(600, 4), (10_000, 5)]:
        X, y = sc.make_gaussian_classes(sc.default_centres(k, 1.5), n // k, 1.0, seed=0)
        W, b = sc.solve_optimum(X, y, l2)
        target = sc.loss_and_gradients(W, b, X, y, l2)[0] + 1e-6
        lr_max = sc.gd_stable_learning_rate(X, l2)  # 2 / L
        for label, lr in [("1/L", 0.5 * lr_max), ("1.9/L", 0.95 * lr_max)]:
            trainer = sc.Trainer(X, y, k, optimizer="gd", lr=lr, l2=l2, seed=0)
            start = time.perf_counter()
            steps, limit = 0, 20_000
            while steps < limit:
                loss = trainer.step()
                steps += 1
                if loss <= target:
                    steps -= 1  # the loss returned is before this step's update
                    break
            elapsed = time.perf_counter() - start
            rows.append(
                [
                    f"({X.shape[0]}, 2, {k})",
                    f"{label} = {lr:.3f}",
                    f"{steps}" if steps < limit else f">{limit}",
                    fmt_time(elapsed),
                ]
            )
    print_table(
        f"Gradient descent: steps until the loss is within 1e-6 of the optimum (l2 = {l2})",
        ["(N, D, K)", "lr", "steps", "time"],
        rows,
    )


def bench_public(quick: bool) -> None:
    """The public loss_and_gradients called in a loop (as in a notebook) vs the trainer's
    step vs seed 001's train_step, at (100000, 2, 5) float64, default BLAS threads."""
    n, d, k = 100_000, 2, 5
    X, y = make_problem(n, d, k, np.float64)
    rng = np.random.default_rng(1)
    W, b = rng.standard_normal((d, k)) * 0.1, np.zeros(k)
    seed = SoftmaxRegressionNumPy(d, k)
    seed.W, seed.b = np.zeros((k, d)), np.zeros(k)
    trainer = sc.Trainer(X, y, k, optimizer="gd", lr=LR, init_scale=0.0)
    funcs = {
        "seed": lambda: seed.train_step(X, y, LR),
        "public": lambda: sc.loss_and_gradients(W, b, X, y, 0.0),
        "trainer": trainer.step,
    }
    t = median_interleaved(funcs, 7 if quick else 25, 1)
    rows = [
        [name, fmt_time(t[name]), f"{t['seed'] / t[name]:5.1f}x"]
        for name in ("seed", "public", "trainer")
    ]
    print_table(
        f"Public loss_and_gradients vs Trainer.step vs seed 001 at ({n}, {d}, {k}) float64",
        ["call", "time", "vs seed"],
        rows,
    )


def digits_problem():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    sd = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0), y


def bench_solve_one_thread(quick: bool) -> None:
    """solve_optimum vs scikit-learn's lbfgs (tol 1e-10), both with one BLAS thread."""
    try:
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits
    except ImportError:
        print("\nsolve vs lbfgs (one thread): skipped (scikit-learn or threadpoolctl missing)")
        return
    X1, y1 = sc.make_gaussian_classes(sc.default_centres(4, 1.5), 150, 1.0, seed=0)
    problems = [("(600, 2, 4)", X1, y1, 0.01), ("digits (1797, 64, 10)", *digits_problem(), None)]
    rows = []
    with threadpool_limits(1):
        kernel = blas_description()
        for name, X, y, l2 in problems:
            n = X.shape[0]
            l2 = 1.0 / n if l2 is None else l2  # digits: C = 1

            def lbfgs(X=X, y=y, n=n, l2=l2):
                return LogisticRegression(C=1.0 / (l2 * n), tol=1e-10, max_iter=10_000).fit(X, y)

            funcs = {"ours": lambda X=X, y=y, l2=l2: sc.solve_optimum(X, y, l2), "lbfgs": lbfgs}
            t = median_interleaved(funcs, 3 if quick else 9, 1)
            W, b = sc.solve_optimum(X, y, l2)
            clf = lbfgs()
            gap = np.abs(sc.predict_proba(W, b, X) - clf.predict_proba(X)).max()
            method = (
                "Newton (Hessian)" if (X.shape[1] + 1) * len(np.unique(y)) <= 120 else "Newton-CG"
            )
            rows.append(
                [
                    name,
                    method,
                    fmt_time(t["ours"]),
                    fmt_time(t["lbfgs"]),
                    f"{t['lbfgs'] / t['ours']:5.2f}x",
                    f"{gap:.1e}",
                ]
            )
    print_table(
        "solve_optimum vs scikit-learn lbfgs (tol 1e-10), one BLAS thread",
        ["problem", "method", "ours", "lbfgs", "speed-up", "max |dP|"],
        rows,
    )
    print(f"  BLAS during this section: {kernel}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (about 30 s)")
    parser.add_argument(
        "--issue16", action="store_true", help="only the public-function and solve sections"
    )
    args = parser.parse_args()
    start = time.perf_counter()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"softmax_core benchmark{' (--quick)' if args.quick else ''}: python "
        f"{platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"load average {load:.2f}"
    )
    print(f"BLAS: {blas_description()}")
    print(
        "OPENBLAS_CORETYPE="
        f"{os.environ.get('OPENBLAS_CORETYPE', '(unset)')}, "
        f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')}"
    )
    bench_public(args.quick)
    bench_solve_one_thread(args.quick)
    if args.issue16:
        return
    step_results = bench_steps(args.quick)
    bench_bandwidth(step_results, args.quick)
    bench_grid(args.quick)
    bench_optimum(args.quick)
    bench_gd_to_optimum(args.quick)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\ntotal {time.perf_counter() - start:.0f} s; load average at the end {load:.2f}")


if __name__ == "__main__":
    main()
