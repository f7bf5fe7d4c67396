"""The playground's custom view: a Streamlit components-v1 iframe served from ``frontend/``.

Components v1 with a local ``path`` serves index.html, the ES modules (main.js and the files
it imports) and style.css from one folder (no CDN, no build step, nothing copied or fetched)
and loads them once; each server message then carries only the arguments. (Components v2
would resend inline JS with every message, or needs an installed package to serve files.)
The view returns the last event the user made: {"type": "move", "cls", "x", "y", "id"} or
{"type": "select", "index", "id"}.

The view draws everything on canvases of its own, its charts included (linechart.js): it
used to load plotly.min.js (3.5 MB) for the curves, whose parsing and first draw blocked the
page's main thread for seconds on a loaded machine (issue 14, docs/browser-coverage.md).
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

FRONTEND = Path(__file__).parent / "frontend"

_view = components.declare_component("softmax_playground", path=str(FRONTEND))


def playground_view(payload: dict, key: str) -> dict | None:
    """Mount (or update in place) the view with ``payload``; returns the last user event."""
    return _view(**payload, key=key, default=None)
