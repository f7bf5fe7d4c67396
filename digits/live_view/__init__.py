"""The live templates view: a components-v1 iframe served from ``frontend/`` (no CDN, no build).

It queues the frames each message carries and plays them back at ``fps`` (15 a second), so
the ten templates change smoothly although the server sends about five messages a second
(the playground's design, docs/architecture.md). Each frame's W arrives as float32 base64;
the view paints each template on its own 8 x 8 canvas in place (no remount, no flicker) with
a diverging colour scale symmetric about 0 and shared by the ten classes, plus the loss and
accuracy curves and a readout "Step N · ... · test acc NN.N%". It sends nothing back.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

FRONTEND = Path(__file__).parent / "frontend"
_view = components.declare_component("digits_live_view", path=str(FRONTEND))


def live_view(payload: dict, key: str) -> None:
    """Mount (or update in place) the view with ``payload`` (``controller.view_payload``)."""
    _view(**payload, key=key, default=None)
