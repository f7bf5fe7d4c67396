"""The view's static files: its own modules only, every import resolvable, nothing from a CDN
and no chart library (the view draws its charts on canvases: playground/component/__init__.py
says why)."""

from __future__ import annotations

import re
from pathlib import Path

from playground import component

FRONTEND = Path(component._view.path)


def test_the_view_is_served_from_its_own_folder():
    assert FRONTEND == component.FRONTEND
    for name in ("index.html", "main.js", "curves.js", "linechart.js", "style.css"):
        assert (FRONTEND / name).is_file(), name


def test_every_import_of_the_view_is_a_file_in_its_folder_and_nothing_is_remote():
    sources = {p.name: p.read_text() for p in FRONTEND.iterdir() if p.suffix in (".js", ".html")}
    imports = set()
    for text in sources.values():
        imports |= set(re.findall(r"""(?:from|import)\s+["']\./([\w.-]+)["']""", text))
        imports |= set(re.findall(r"""src=["']([\w.-]+)["']""", text))
        assert not re.search(r"https?://", text.replace("http://www.w3.org", "")), text[:80]
    assert imports, "no imports found"
    missing = sorted(name for name in imports if not (FRONTEND / name).is_file())
    assert not missing, missing
    assert not any("plotly" in name.lower() for name in sources), sorted(sources)
