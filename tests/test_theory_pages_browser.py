"""Every page by its deep link, as the very first request to a freshly started server.

This is the trap ui/navigation.py is built around: with a ``pages/`` folder, Streamlit's own
router runs the first request of a session. Each page must still show the app's navigation
(with "Playground"), the wide layout, its Plotly charts, no exception and no console error.
"""

import pytest

from tests.browser_support import (
    chromium,
    chromium_path,
    streamlit_server,
    wait_streamlit_idle,
    wait_styles_settled,
)

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


NARROW_CHECK = """() => {
  const vw = window.innerWidth;
  const main = document.querySelector('[data-testid="stMain"]');
  const wide = [];
  for (const el of main.querySelectorAll('[data-testid="stElementContainer"], table, .katex')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 1 || r.left < -1)) {
      wide.push(el.tagName + ' ' + (el.innerText || '').slice(0, 40) + ' ' + Math.round(r.right));
    }
  }
  for (const el of main.querySelectorAll('.katex-display')) {  // a formula scrolling in its box
    if (el.scrollWidth > el.clientWidth + 4) wide.push('formula ' + el.textContent.slice(0, 40));
  }
  return {scroll: document.scrollingElement.scrollWidth, mainScroll: main.scrollWidth,
          mainClient: main.clientWidth, vw, wide};
}"""


@pytest.fixture(scope="module")
def one_server():
    with streamlit_server() as (url, _):
        yield url


@pytest.mark.parametrize("path", ["softmax", "cross_entropy", "gradient", "logistic", "about"])
def test_no_theory_page_overflows_horizontally_on_a_phone(playwright_browser, one_server, path):
    page = playwright_browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{one_server}/{path}", timeout=60_000)
    page.locator("h1").first.wait_for(timeout=60_000)
    if path != "about":
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    # KaTeX and the tables settle: the run is done, its fonts are in, nothing is animating
    wait_streamlit_idle(page, timeout=60_000)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    wait_styles_settled(page, timeout=60_000)
    assert page.locator(".katex").count() > 3
    result = page.evaluate(NARROW_CHECK)
    assert result["scroll"] <= result["vw"], result
    assert result["mainScroll"] <= result["mainClient"], result
    assert not result["wide"], result["wide"]
    page.close()
