"""The loss-surface panel's data: the optimiser's path in parameter space and the objective
J(W, b) on a plane that shows it (``softmax_core.landscape``), as the view draws them.

theta = (W.ravel(), b) (P = D K + K), the trained model's own parameters (all D features, not
the plotted plane's restriction). The plane goes through the optimum theta* when there is one
(origin, so theta* is at (0, 0)), spanned by the two principal directions of the path around
it; with l2 = 0 on separable classes there is no optimum, and the plane goes through the start
theta_0 instead, with the path's main direction as its first axis: along it J keeps falling
and flattens toward infinity. Coordinates are in parameter units (a = (theta - origin) . d1).

The surface is G x G (G = 60) on a box that holds the path and the origin with a margin. It
is computed at most every 2 s while playing (``LandscapeCache``; the browser's plotly.js
contour redraw costs 30-70 ms, a long task in the frame loop) and every time a paused view is
sent; between refreshes the view projects each played frame's theta onto the plane
itself, when the frames carry the full theta (two features: the Gaussian classes).
"""

from __future__ import annotations

import base64
import math
import time

import numpy as np

from softmax_core.landscape import flatten, loss_surface, path_plane

GRID = 60
MAX_PATH = 512  # thetas kept; thinned by halves beyond (like the history)
PLAYING_REFRESH_SECONDS = 2.0
NO_OPTIMUM_NOTE = (
    "No optimum here: with L2 = 0 these classes are separable, so the loss keeps falling as "
    "the weights grow along the path's direction, and the bowl flattens toward infinity "
    "instead of closing. The plane passes through the start; add some L2 to see a bowl."
)


class ParamPath:
    """The thetas (P,) of the frames played in one run, at most ``MAX_PATH`` (thinned)."""

    def __init__(self) -> None:
        self.run_id: int | None = None
        self.steps: list[int] = []
        self.thetas: list[np.ndarray] = []

    def record(self, run_id: int, step: int, W: np.ndarray, b: np.ndarray) -> None:
        if run_id != self.run_id or (self.steps and step < self.steps[-1]):
            self.run_id, self.steps, self.thetas = run_id, [], []
        if self.steps and step == self.steps[-1]:
            return
        self.steps.append(int(step))
        self.thetas.append(flatten(W, b))
        if len(self.steps) > MAX_PATH:  # keep the first, thin the rest by halves
            self.steps = self.steps[::2] + ([self.steps[-1]] if len(self.steps) % 2 == 0 else [])
            self.thetas = self.thetas[::2] + (
                [self.thetas[-1]] if len(self.thetas) % 2 == 0 else []
            )

    def array(self) -> np.ndarray:
        return np.array(self.thetas) if self.thetas else np.zeros((0, 0))


def _b64(arr: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(arr, np.float32).tobytes()).decode("ascii")


def _box(coords: np.ndarray, extend_forward: bool) -> tuple[float, float, float, float]:
    """A box around the projected path (T, 2) and the origin, 25% margin; ``extend_forward``
    stretches axis 1 beyond the path's end, where the loss keeps falling (no optimum)."""
    pts = np.vstack([coords, np.zeros((1, 2))])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = np.maximum(hi - lo, 1e-3)
    span = np.maximum(span, 0.15 * span.max())  # never a sliver
    lo, hi = lo - 0.25 * span, hi + 0.25 * span
    if extend_forward:
        end = coords[-1, 0]
        if end >= 0:
            hi[0] = max(hi[0], end + 1.5 * span[0])
        else:
            lo[0] = min(lo[0], end - 1.5 * span[0])
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


def landscape_data(session, grid: int = GRID) -> dict | None:
    """The panel's data for ``session`` (a ``PlaygroundSession``), or None before any frame.

    Keys: a, c (grid coordinates), z (c-major G x G base64 float32 J), path (T x 2 floats)
    and steps (T,),
    current (2), optimum ((0, 0) or None), explained (share of the path's squared distance to
    the origin in the plane), method, origin/d1/d2 (P floats, for the view's own projection)
    when ``live``, note (no optimum) and the axis labels.
    """
    t = session.trainer
    Xtr, ytr, _, _ = session._train_test()
    current = flatten(t.W, t.b)
    path = session.param_path.array()
    steps = list(session.param_path.steps)
    if path.size == 0 or path.shape[1] != current.size:
        path, steps = current[None, :], [int(t.step_count)]
    if steps[-1] != t.step_count or not np.allclose(path[-1], current):
        path = np.vstack([path, current])
        steps.append(int(t.step_count))
    value = session.optimum()
    has_optimum = not isinstance(value, str)
    origin = flatten(*value) if has_optimum else path[0]
    _, dW, db = t.evaluate_with_gradients()
    plane = path_plane(path, origin, flatten(dW, db))
    coords = plane.project(path)
    if not has_optimum and coords[-1, 0] < 0:  # the first axis points along the path
        plane = type(plane)(plane.origin, -plane.d1, plane.d2, plane.explained, plane.method)
        coords = plane.project(path)
    x0, x1, y0, y1 = _box(coords, extend_forward=not has_optimum)
    a = np.linspace(x0, x1, grid)
    c = np.linspace(y0, y1, grid)
    with np.errstate(all="ignore"):
        z = loss_surface(Xtr, ytr, session.settings.l2, plane, a, c)
    z = np.where(np.isfinite(z), z, np.nan)
    live = session.plane is None or session.X.shape[1] == 2  # frames carry the full theta
    out = {
        "step": int(t.step_count),
        "run_id": session.run_id,
        "a": np.round(a, 6).tolist(),
        "c": np.round(c, 6).tolist(),
        "z": _b64(z),
        "grid": grid,
        "path": np.round(coords, 6).tolist(),
        "steps": steps,
        "current": np.round(coords[-1], 6).tolist(),
        "optimum": [0.0, 0.0] if has_optimum else None,
        "optimum_loss": _loss_at(Xtr, ytr, session, value) if has_optimum else None,
        "explained": round(float(plane.explained), 4),
        "method": plane.method,
        "note": None if has_optimum else NO_OPTIMUM_NOTE,
        "live": bool(live),
        "n_params": int(current.size),
    }
    if live:
        out.update(
            origin=np.round(plane.origin, 8).tolist(),
            d1=np.round(plane.d1, 8).tolist(),
            d2=np.round(plane.d2, 8).tolist(),
        )
    return out


def _loss_at(X, y, session, value) -> float:
    W, b = value
    z = X @ W + b
    lse = np.logaddexp.reduce(z, axis=1)
    ce = float(np.mean(lse - z[np.arange(y.size), y]))
    return round(ce + 0.5 * session.settings.l2 * float(np.sum(W * W)), 6)


class LandscapeCache:
    """When to recompute: on every paused message whose state changed, at most once every
    ``PLAYING_REFRESH_SECONDS`` while playing; the same data is not sent twice."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.time = -math.inf

    def due(self, session, playing: bool, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        key = (
            session.run_id,
            session.config_version,
            session.data_version,
            session.trainer.step_count,
        )
        if key == self.key:
            return False
        same_setup = self.key is not None and self.key[:3] == key[:3]
        if playing and same_setup and now - self.time < PLAYING_REFRESH_SECONDS:
            return False
        self.key, self.time = key, now
        return True
