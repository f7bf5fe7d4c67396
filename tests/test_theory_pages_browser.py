"""Each theory page in a real browser, by its deep link: it renders through app.py's
navigation (not Streamlit's legacy pages/ router), draws its Plotly charts, shows no exception
and logs no console error."""

import pytest

from tests.browser_support import chromium, chromium_path, streamlit_server

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]

PAGES = {
    "softmax": "Softmax",
    "cross_entropy": "Cross-entropy",
    "gradient": "The gradient, derived",
    "logistic": "Logistic regression",
    "about": "About",
}
HARMLESS = ("404", "Failed to load resource")


@pytest.fixture(scope="module")
def browser_and_url():
    with (
        streamlit_server() as (url, _),
        playwright_sync.sync_playwright() as p,
        chromium(p) as browser,
    ):
        yield browser, url


@pytest.mark.parametrize("path", list(PAGES))
def test_deep_link_renders_the_page_with_the_apps_navigation(browser_and_url, path):
    browser, url = browser_and_url
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{url}/{path}", timeout=30_000)
    heading = page.locator("h1").first
    heading.wait_for(timeout=30_000)
    assert PAGES[path].split()[0] in heading.inner_text()
    nav = page.locator("[data-testid='stSidebarNav']").inner_text(timeout=30_000)
    assert "Playground" in nav and "The gradient, derived" in nav  # app.py's titles
    if path != "about":
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        assert page.locator(".js-plotly-plot").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0
    assert not [e for e in errors if not any(h in e for h in HARMLESS)], errors
    page.close()
