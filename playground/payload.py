"""What the browser view receives each message, built from a ``PlaygroundSession``.

Points travel as base64 (float32 x, y pairs; uint8 labels and test flags) and only when they
changed or the page was fully rerun; the history (at most 300 points per curve) likewise.
Frames (a few hundred bytes each) travel every message. Coordinates are the plotted plane's
(see ``session.Plane``): "view" is the x range and "view_y" the y range ([-5, 5] both for
the Gaussian classes). With more than two trained features the per-point arrows cannot be
computed from 2-D points, so the server sends them ("arrows") for the last frame only.
"""

from __future__ import annotations

import base64

import numpy as np

from charts.palette import CLASS_COLOURS, CURVE_COLOURS

from .session import PlaygroundSession
from .settings import CENTRE_LIMIT

# The palette is charts.palette's (one definition for the view and the theory charts).
CLASS_COLORS = CLASS_COLOURS
CURVE_COLORS = CURVE_COLOURS
FPS = 60


def _b64(arr: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(arr).tobytes()).decode("ascii")


def points_payload(session: PlaygroundSession) -> dict:
    """The points in plotted coordinates (the data itself for the Gaussian classes)."""
    return {
        "xy": _b64(session.P.astype(np.float32)),
        "labels": _b64(session.y.astype(np.uint8)),
        "is_test": _b64(session.is_test.astype(np.uint8)),
    }


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
        "view": [x0, x1],
        "view_y": [y0, y1],
        "centre_limit": CENTRE_LIMIT,
        "centre_box": list(session.centre_box()),
        "class_names": list(session.dataset.class_names) if real else None,
        "axis_names": list(session.plane.names) if real else None,
        "arrows_mode": "server" if session.X.shape[1] > 2 else "view",
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
    }
