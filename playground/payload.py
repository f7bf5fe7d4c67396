"""What the browser view receives each message, built from a ``PlaygroundSession``.

Points travel as base64 (float32 x, y pairs; uint8 labels and test flags) and only when they
changed or the page was fully rerun; the history (at most 300 points per curve) likewise.
Frames (a few hundred bytes each) travel every message. Coordinates are the plotted plane's
(see ``session.Plane``): "view" is the x range and "view_y" the y range ([-5, 5] both for
the Gaussian classes). With more than two trained features the per-point arrows cannot be
computed from 2-D points, so the server sends them ("arrows") for the last frame only.
With a feature map on 2-D data ("phi": tokens, mean, scale; null without one) the frames'
W is (2 + m, K) and the view evaluates phi per pixel and per point (features.js).
"""

from __future__ import annotations

import base64

import numpy as np

from charts.palette import (
    CLASS_COLOURS,
    CURVE_COLOURS,
    POINT_OUTLINE,
    REGION_FLOOR,
    REGION_OPACITY,
)

from .pacing import FPS
from .session import PlaygroundSession
from .settings import CENTRE_LIMIT, simplex_classes

# The palette is charts.palette's (one definition for the view and the theory charts).
CLASS_COLORS = CLASS_COLOURS
CURVE_COLORS = CURVE_COLOURS
CURVED_NOTE = (
    "No centres to drag: these classes are shapes (a ring, quadrants, arms), not clouds "
    "around a centre."
)


def _b64(arr: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(arr).tobytes()).decode("ascii")


def points_payload(session: PlaygroundSession) -> dict:
    """The points in plotted coordinates (the data itself for the Gaussian classes)."""
    return {
        "xy": _b64(session.P.astype(np.float32)),
        "labels": _b64(session.y.astype(np.uint8)),
        "is_test": _b64(session.is_test.astype(np.uint8)),
    }


def simplex_payload(session: PlaygroundSession, step: int | None) -> dict | None:
    """The probability simplex panel's arguments (None when it is off).

    ``classes`` are the three classes drawn (K > 3: the chosen ones, pi renormalised over
    them). With two trained features the view computes pi = softmax(x W + b) itself from each
    frame; with more, a point's pi needs its full feature vector, so the server sends
    ``probs`` (N, K) float32 for the current parameters (``step``), like the arrows.
    """
    s = session.settings
    if not s.simplex:
        return None
    k = session.n_classes
    out = {"classes": list(simplex_classes(s, k)) if k > 3 else list(range(min(k, 3)))}
    if session.X.shape[1] > 2 and step is not None:
        t = session.trainer
        z = session.X @ t.W + t.b
        z -= z.max(axis=1, keepdims=True)
        with np.errstate(all="ignore"):
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
        out["probs"] = {"data": _b64(p.astype(np.float32)), "step": int(t.step_count)}
    return out


def build_payload(
    session: PlaygroundSession,
    frames: list[dict],
    *,
    playing: bool,
    include_points: bool,
    include_history: bool,
    ack: str | None,
) -> dict:
    s = session.settings
    k = session.n_classes
    optimum = None
    if s.show_optimum:
        value = session.optimum_in_plane()
        if not isinstance(value, str):
            W, b = value
            optimum = {"W": np.round(W, 6).tolist(), "b": np.round(b, 6).tolist()}
    arrows = None
    if s.show_arrows and frames:
        xy = session.plane_arrows()
        if xy is not None:  # D > 2: the plane's part of each arrow, for the last frame only
            arrows = {"xy": _b64(xy.astype(np.float32)), "step": frames[-1]["step"]}
    x0, x1, y0, y1 = session.view
    real = session.dataset is not None
    return {
        "run_id": session.run_id,
        "data_version": session.data_version,
        "config_version": session.config_version,
        "points": points_payload(session) if include_points else None,
        "history": session.history_payload() if include_history else None,
        "frames": frames,
        "centres": session.centres_2d(),
        "colors": list(CLASS_COLORS[:k]),
        "curve_colors": CURVE_COLORS,
        "point_outline": POINT_OUTLINE,
        "region_alpha": {scheme: [REGION_FLOOR, top] for scheme, top in REGION_OPACITY.items()},
        "view": [x0, x1],
        "view_y": [y0, y1],
        "centre_limit": CENTRE_LIMIT,
        "centre_box": list(session.centre_box()),
        "class_names": list(session.dataset.class_names) if real else None,
        "axis_names": list(session.plane.names) if real else None,
        "arrows_mode": "server" if session.plane is not None and session.X.shape[1] > 2 else "view",
        "phi": session.fmap.to_json() if session.fmap.tokens else None,
        "can_draw": session.is_planar,  # the "Add points" mode (2-D data only)
        "n_drawn": session.n_drawn,
        "arrows": arrows,
        "grid": s.grid,
        "fps": FPS,
        "lr": s.lr,
        "playing": playing,
        "show_arrows": s.show_arrows,
        "show_weights": s.show_weights,
        "show_optimum": s.show_optimum,
        "log_scale": s.log_scale,
        "show_legend": s.show_legend,
        "show_ticks": s.show_ticks,
        "optimum": optimum,
        "selected": session.selected,
        "ack": ack,
        "simplex": simplex_payload(session, frames[-1]["step"] if frames else None),
        "race": session.race.standing(session, include_history),
        "landscape_on": s.landscape,
        "landscape": None,  # filled by the controller when a new surface is due
    }
