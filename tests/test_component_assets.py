"""The view's static files: plotly.min.js is the plotly package's own copy, served from the
component's folder, or from a temporary copy of the whole folder where that one is read-only
(the Docker image runs as uid 1000 over root-owned code)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from playground import component

ROOT = Path(__file__).resolve().parent.parent


def test_plotly_js_is_the_plotly_package_copy_and_not_in_git():
    served = Path(component._view.path)
    src = component.plotly_js_source()
    assert src.read_bytes()[:200] == (served / "plotly.min.js").read_bytes()[:200]
    assert (served / "plotly.min.js").stat().st_size == src.stat().st_size > 1_000_000
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "playground/component/frontend/plotly.min.js"],
        cwd=ROOT,
        check=False,
    )
    assert ignored.returncode == 0, "plotly.min.js must stay out of git (4.8 MB)"


def test_read_only_frontend_is_served_from_a_temporary_copy(tmp_path, monkeypatch):
    frontend = tmp_path / "frontend"
    shutil.copytree(component.FRONTEND, frontend, ignore=shutil.ignore_patterns("plotly.min.js*"))
    monkeypatch.setattr(component, "FRONTEND", frontend)
    monkeypatch.setattr(component.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    real_copy = component._copy_if_changed

    def copy(src: Path, dst: Path) -> None:
        if dst.parent == frontend:
            raise PermissionError(13, "Permission denied", str(dst))
        real_copy(src, dst)

    monkeypatch.setattr(component, "_copy_if_changed", copy)
    served = component.frontend_dir()
    assert served != frontend
    for name in ("index.html", "main.js", "curves.js", "style.css", "plotly.min.js"):
        assert (served / name).is_file(), name
    assert not (frontend / "plotly.min.js").exists()


def test_missing_plotly_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(component.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(RuntimeError, match="plotly package is not installed"):
        component.plotly_js_source()
