"""Every page by its deep link, as the very first request to a freshly started server.

This is the trap ui/navigation.py is built around: with a ``pages/`` folder, Streamlit's own
router runs the first request of a session. Each page must still show the app's navigation
(with "Playground"), the wide layout, its Plotly charts, no exception and no console error.
"""

import pytest

from tests.browser_support import chromium, chromium_path, streamlit_server

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]

PAGES = {
    "": "Softmax regression playground",
    "softmax": "Softmax",
    "cross_entropy": "Cross-entropy",
    "gradient": "The gradient, derived",
    "logistic": "Logistic regression",
    "about": "About",
}
HARMLESS = ("404", "Failed to load resource")


@pytest.fixture(scope="module")
def playwright_browser():
    with playwright_sync.sync_playwright() as p, chromium(p) as browser:
        yield browser


@pytest.mark.parametrize("path", list(PAGES))
def test_deep_link_on_a_fresh_server_shows_navigation_wide_layout_and_charts(
    playwright_browser, path
):
    with streamlit_server() as (url, _):
        page = playwright_browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{url}/{path}", timeout=30_000)
        heading = page.locator("h1").first
        heading.wait_for(timeout=30_000)
        assert PAGES[path].split()[0] in heading.inner_text()
        sidebar = page.locator("[data-testid='stSidebar']")
        links = sidebar.locator("[data-testid='stPageLink'] a")
        links.first.wait_for(timeout=30_000)
        labels = [a.inner_text() for a in links.all()]
        assert any("Playground" in t for t in labels), labels
        assert any("The gradient, derived" in t for t in labels), labels
        # Streamlit's automatic list of pages/ stays off: one navigation, ours.
        assert page.locator("[data-testid='stSidebarNav']").count() == 0
        main = page.locator("[data-testid='stMainBlockContainer']")
        assert main.bounding_box()["width"] >= 1000, main.bounding_box()
        if path not in ("", "about"):
            page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
        assert not [e for e in errors if not any(h in e for h in HARMLESS)], errors
        page.close()
