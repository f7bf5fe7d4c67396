"""A loaded replica's pacing in a real browser: one tab paced as if 40 tabs played
(SOFTMAX_PACING_MIN_TABS, playground/pacing.py): the live fragment's timer is 1.5 s, each
message carries many frames, the view paints them from its queue between messages, and Pause
still answers within 2 s."""

from __future__ import annotations

import time

import pytest

from playground.pacing import pacing_for, run_interval
from tests.browser_support import chromium, chromium_path, playground_frame, streamlit_server

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]

TIMEOUT_MS = 45_000
WINDOW_S = 5.0
PERF = "() => ({frames: __pg.framesDrawn, messages: __pg.messages, step: __pg.step})"


def test_a_loaded_pace_sends_fewer_messages_and_the_view_paints_between_them(monkeypatch):
    monkeypatch.setenv("SOFTMAX_PACING", "adaptive")
    monkeypatch.setenv("SOFTMAX_PACING_MIN_TABS", "40")
    pace = pacing_for(40)
    assert pace.interval == run_interval(40) >= 1.0
    with (
        streamlit_server() as (url, _proc),
        playwright_sync.sync_playwright() as p,
        chromium(p) as browser,
    ):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/?k=4&speed=1", timeout=TIMEOUT_MS)
        frame = playground_frame(page, timeout=TIMEOUT_MS)
        button = page.locator(".st-key-pg_play button p")
        button.click()
        expect(button).to_have_text("Pause", timeout=TIMEOUT_MS)
        frame.wait_for_function("() => window.__pg.step > 0", timeout=TIMEOUT_MS)
        s0 = frame.evaluate(PERF)
        time.sleep(WINDOW_S)
        s1 = frame.evaluate(PERF)
        messages = s1["messages"] - s0["messages"]
        painted = s1["frames"] - s0["frames"]
        # a 1.5 s timer: about 3 messages in 5 s (the fixed 0.1 s timer sent up to 50)
        assert 2 <= messages <= WINDOW_S / pace.interval + 3, (messages, painted)
        # the view kept painting between messages, several frames per message
        assert painted >= 3 * messages, (messages, painted)
        assert s1["step"] > s0["step"]

        start = time.monotonic()
        button.click()
        expect(button).to_have_text("Play", timeout=2_000)
        assert time.monotonic() - start < 2.5
