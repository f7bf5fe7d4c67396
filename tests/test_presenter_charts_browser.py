"""Presenter mode on the theory pages, in Chromium at a projector's 1280 x 720: every Plotly
chart's tick labels are drawn at 20 px (12 px outside presenter mode)."""

from __future__ import annotations

import pytest

from tests.browser_support import chromium, chromium_path, streamlit_server

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]

TICK_SIZES = """[...document.querySelectorAll(
  '.js-plotly-plot .xtick text, .js-plotly-plot .ytick text')]
  .map(t => parseFloat(getComputedStyle(t).fontSize))"""


@pytest.fixture(scope="module")
def served():
    """One server and one browser for the four pages."""
    with (
        streamlit_server() as (url, _),
        playwright_sync.sync_playwright() as p,
        chromium(p) as browser,
    ):
        yield url, browser


@pytest.mark.parametrize("path", ["softmax", "cross_entropy", "gradient", "logistic"])
def test_theory_charts_have_projector_sized_ticks_in_presenter_mode(served, path):
    url, browser = served
    sizes = {}
    for present in (0, 1):
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{url}/{path}?present={present}", timeout=60_000)
        page.locator(".js-plotly-plot .xtick text").first.wait_for(timeout=60_000)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
            timeout=60_000,
        )
        sizes[present] = page.evaluate(TICK_SIZES)
        page.close()
    assert sizes[1] and min(sizes[1]) >= 20, sizes[1]
    assert sizes[0] and max(sizes[0]) < 20, sizes[0]
