"""Fixtures shared by the browser tests (one server and one Chromium per test module).

Each module gets its own ``streamlit run`` (module scope): a module's sessions do not see
another module's load, and a module that needs a server of its own (a restart, several
tabs under load) starts one with ``browser_support.streamlit_server``.
"""

from __future__ import annotations

import pytest

from tests.browser_support import chromium, streamlit_server


@pytest.fixture(scope="module")
def server_url():
    """The base URL of a ``streamlit run app.py`` on a free loopback port."""
    with streamlit_server() as (url, _proc):
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, chromium(p) as b:
        yield b
