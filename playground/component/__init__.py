"""The playground's custom view: a Streamlit components-v1 iframe served from ``frontend/``.

Components v1 with a local ``path`` serves index.html, the ES modules (main.js and the files
it imports), style.css and plotly.min.js from one folder (no CDN, no build step) and loads
them once; each server message then carries only the arguments. (Components v2 would resend
inline JS with every message, or needs an installed package to serve files.) The view returns
the last event the user made: {"type": "move", "cls", "x", "y", "id"} or
{"type": "select", "index", "id"}.

plotly.min.js (4.8 MB, git-ignored) is the copy the plotly Python package ships in its
package data, copied next to index.html on import. Streamlit serves only real files inside
the component folder (it resolves symlinks and refuses targets outside it), so a symlink
into site-packages would not do. Where the source folder is read-only (the Docker image: the
code belongs to root, the app runs as uid 1000) the whole frontend is copied to a temporary
folder and served from there.
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path

import streamlit.components.v1 as components

FRONTEND = Path(__file__).parent / "frontend"
PLOTLY_JS = "plotly.min.js"


def plotly_js_source() -> Path:
    """plotly.min.js inside the installed plotly package (found without importing it)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the plotly package is not installed (see requirements.txt)")
    path = Path(next(iter(spec.submodule_search_locations))) / "package_data" / PLOTLY_JS
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: reinstall plotly")
    return path


def _copy_if_changed(src: Path, dst: Path) -> None:
    if not dst.is_file() or dst.stat().st_size != src.stat().st_size:
        tmp = dst.with_name(dst.name + ".part")
        shutil.copyfile(src, tmp)
        tmp.replace(dst)  # atomic: two servers starting at once never serve half a file


def frontend_dir() -> Path:
    """The folder to serve: ``frontend/`` with plotly.min.js beside it, or a temporary copy."""
    src = plotly_js_source()
    try:
        _copy_if_changed(src, FRONTEND / PLOTLY_JS)
        return FRONTEND
    except OSError:
        served = Path(tempfile.gettempdir()) / "softmax-playground-view"
        served.mkdir(exist_ok=True)
        for path in FRONTEND.iterdir():
            if path.is_file() and path.name != PLOTLY_JS:
                shutil.copyfile(path, served / path.name)
        _copy_if_changed(src, served / PLOTLY_JS)
        return served


_view = components.declare_component("softmax_playground", path=str(frontend_dir()))


def playground_view(payload: dict, key: str) -> dict | None:
    """Mount (or update in place) the view with ``payload``; returns the last user event.

    Top-level lists go as tuples (the same JSON): Streamlit asks of every argument whether
    it is a data frame, which takes some 20-25 us for a list or dict (a chain of type and
    protocol checks) and nothing for a tuple; a message has six such lists."""
    args = {k: tuple(v) if type(v) is list else v for k, v in payload.items()}
    return _view(**args, key=key, default=None)
