"""A restarted server: the open page reconnects by itself and shows the settings of its URL.

Stop the server while a page plays, start it again on the same port: within 10 s the page
has a view again with the link's settings (class count, centres, learning rate), and Play
works. The settings survive because the URL carries them (see playground/settings.py);
the session itself (weights, history) is gone with the old process.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser_support import (
    chromium,
    chromium_path,
    free_port,
    playground_frame,
    streamlit_server,
)

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]

VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 45_000
QUERY = "k=4&lr=0.1&speed=3&c=2,2;-2,2;-2,-2;2,-2"
RECONNECT_S = 10.0


def url_params(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.evaluate("location.href")).query).items()}


def test_the_page_reconnects_to_a_restarted_server_with_its_settings():
    port = free_port()
    with playwright_sync.sync_playwright() as p, chromium(p) as browser:
        page = browser.new_page(viewport=VIEWPORT)
        play = page.locator(".st-key-pg_play button p")
        with streamlit_server(port=port) as (url, _proc):
            page.goto(f"{url}/?{QUERY}", timeout=TIMEOUT_MS)
            old = playground_frame(page, timeout=TIMEOUT_MS)
            play.click()
            expect(play).to_have_text("Pause", timeout=TIMEOUT_MS)
            # playing (frames arriving) when the server goes away
            old.wait_for_function("() => window.__pg.step > 5", timeout=TIMEOUT_MS)
        with streamlit_server(port=port) as (url, _proc):
            restarted = time.monotonic()
            frame = playground_frame(page, timeout=RECONNECT_S * 1000)
            expect(play).to_be_visible(timeout=RECONNECT_S * 1000)
            took = time.monotonic() - restarted
            assert took < RECONNECT_S, f"reconnected after {took:.1f} s"
            params = url_params(page)
            assert params["k"] == "4" and params["lr"] == "0.1", params
            assert params["c"] == "2,2;-2,2;-2,-2;2,-2", params
            assert frame.locator("#handles .handle").count() == 4
            assert page.locator("[data-testid='stException']").count() == 0
            expect(play).to_have_text("Play", timeout=TIMEOUT_MS)  # a new session: paused
            before = frame.evaluate("window.__pg.step")
            play.click()
            expect(play).to_have_text("Pause", timeout=TIMEOUT_MS)
            frame.wait_for_function(f"() => window.__pg.step > {before}", timeout=TIMEOUT_MS)
