"""What the browser view receives each message, built from a ``PlaygroundSession``.

Points travel as base64 (float32 x, y pairs; uint8 labels and test flags) and only when they
changed or the page was fully rerun; the history (at most 300 points per curve) likewise.
Frames (a few hundred bytes each) travel every message.
"""

from __future__ import annotations

import base64

import numpy as np

from .session import VIEW, PlaygroundSession
from .settings import CENTRE_LIMIT

# Okabe-Ito (colour-blind safe), without its yellow, which vanishes on white projectors.
CLASS_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
CURVE_COLORS = {"train": "#0072B2", "test": "#D55E00", "l2": "#009E73", "total": "#777777"}
FPS = 60


def _b64(arr: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(arr).tobytes()).decode("ascii")


def points_payload(session: PlaygroundSession) -> dict:
    return {
        "xy": _b64(session.X.astype(np.float32)),
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
    optimum = None
    if s.show_optimum:
        value = session.optimum()
        if not isinstance(value, str):
            W, b = value
            optimum = {"W": np.round(W, 6).tolist(), "b": np.round(b, 6).tolist()}
    return {
        "run_id": session.run_id,
        "data_version": session.data_version,
        "config_version": session.config_version,
        "points": points_payload(session) if include_points else None,
        "history": session.history_payload() if include_history else None,
        "frames": frames,
        "centres": [list(c) for c in s.centres],
        "colors": list(CLASS_COLORS[: s.n_classes]),
        "curve_colors": CURVE_COLORS,
        "view": list(VIEW),
        "centre_limit": CENTRE_LIMIT,
        "grid": s.grid,
        "fps": FPS,
        "lr": s.lr,
        "playing": playing,
        "show_arrows": s.show_arrows,
        "show_weights": s.show_weights,
        "show_optimum": s.show_optimum,
        "log_scale": s.log_scale,
        "optimum": optimum,
        "selected": session.selected,
        "ack": ack,
    }
