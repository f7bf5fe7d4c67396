"""Class probabilities over a G x G grid, for drawing the decision regions.

For a 2-D model the logit of class k at grid point (x_j, y_i) is w_0k x_j + w_1k y_i + b_k.
The K planes are built one at a time (class-major), with a running max and argmax, and the
confidence max_k pi_k = 1 / sum_k exp(z_k - z_max) needs no division per class.
G = 150, K = 4 takes about 0.1 ms in float32 (see benchmarks/bench_core.py).
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array


def grid_axes(x_range, y_range, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The G cell centres along x and along y."""
    x0, x1 = (float(v) for v in x_range)
    y0, y1 = (float(v) for v in y_range)
    if not (np.isfinite([x0, x1, y0, y1]).all() and x1 > x0 and y1 > y0):
        raise ValueError(
            f"x_range and y_range must be finite (low, high) with low < high; "
            f"got {x_range}, {y_range}"
        )
    if isinstance(size, bool) or int(size) != size or not 2 <= size <= 2000:
        raise ValueError(f"size (G) must be a whole number in [2, 2000]; got {size!r}")
    return np.linspace(x0, x1, int(size)), np.linspace(y0, y1, int(size))


def evaluate_grid(W, b, x_range, y_range, size: int = 150, dtype=np.float32):
    """(classes, confidence) over a G x G grid: classes (G, G) uint8 = argmax_k pi_k and
    confidence (G, G) = max_k pi_k in [1/K, 1]. Row i is y = y_i, column j is x = x_j."""
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    if W.shape[0] != 2 or b.shape != (W.shape[1],):
        raise ValueError(f"W must have shape (2, K) and b shape (K,); got {W.shape}, {b.shape}")
    xs, ys = grid_axes(x_range, y_range, size)
    # Logits beyond the dtype's range (float32 overflows at 3.4e38) would give inf - inf = NaN
    # confidence. Build the planes from (W, b) / scale instead: the argmax does not change,
    # and z_k - z_max is scaled back before exp (where it may become -inf, i.e. exp = 0).
    # |z| <= max|W, b| * (|x| + |y| + 1), compared in log2 so that the bound cannot overflow.
    size_w = max(float(np.abs(W).max()), float(np.abs(b).max()))
    reach = 1.0 + float(np.abs(xs).max()) + float(np.abs(ys).max())
    excess = np.log2(size_w) + np.log2(reach) - np.log2(np.finfo(dtype).max / 8) if size_w else 0
    scale = 2.0 ** np.ceil(excess) if excess > 0 else 1.0
    W, b = W / scale, b / scale
    xs, ys = xs.astype(dtype), ys.astype(dtype)
    g, k = xs.size, W.shape[1]
    zmax = np.full((g, g), -np.inf, dtype=dtype)
    classes = np.zeros((g, g), dtype=np.uint8)
    planes = np.empty((k, g, g), dtype=dtype)
    for c in range(k):
        plane = planes[c]
        np.add((W[1, c] * ys)[:, None], (W[0, c] * xs + b[c])[None, :], out=plane)
        better = plane > zmax
        classes[better] = c
        np.maximum(zmax, plane, out=zmax)
    total = np.zeros((g, g), dtype=dtype)
    for c in range(k):
        plane = planes[c]
        plane -= zmax
        if scale > 1:
            with np.errstate(over="ignore"):
                plane *= scale
        np.exp(plane, out=plane)
        total += plane
    return classes, np.reciprocal(total)
