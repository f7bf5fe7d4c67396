"""axe-core (the engine behind Lighthouse's accessibility audit) on every page, light and dark.

axe-core comes from the npm registry, pinned in package.json (`npm ci` in `make test`); it is
injected by Playwright into the page and into the playground's iframe. Contract (WCAG 2.1 AA):
no serious or critical violation on any page reachable from the navigation, in either colour
scheme.
"""

from __future__ import annotations

import json

import pytest

from tests.browser_support import ROOT, chromium, chromium_path, streamlit_server

playwright_sync = pytest.importorskip("playwright.sync_api")

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed: run `npm ci`"),
]

PAGES = ["", "softmax", "cross_entropy", "gradient", "logistic", "about"]
RUN = """async () => await axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
  resultTypes: ['violations'],
})"""


@pytest.fixture(scope="module")
def server_and_browser():
    with (
        streamlit_server() as (url, _),
        playwright_sync.sync_playwright() as p,
        chromium(p) as browser,
    ):
        yield url, browser


def audit(page) -> list[dict]:
    """Serious and critical violations in the page and in each same-origin frame."""
    found = []
    for frame in page.frames:
        try:
            frame.add_script_tag(path=str(AXE))
            result = frame.evaluate(RUN)
        except playwright_sync.Error:
            continue  # a frame that went away (Streamlit replaces some) has nothing to audit
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                found.append(
                    {
                        "frame": frame.url[-40:],
                        "id": v["id"],
                        "impact": v["impact"],
                        "nodes": [
                            (n["target"], n.get("failureSummary", "")[:160]) for n in v["nodes"][:6]
                        ],
                    }
                )
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_axe_violation(server_and_browser, path, scheme):
    url, browser = server_and_browser
    context = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{url}/{path}", timeout=30_000)
    page.locator("h1").first.wait_for(timeout=30_000)
    if path == "":
        page.wait_for_selector("iframe[title*='softmax_playground']", timeout=30_000)
    elif path != "about":
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # let the last widgets settle
    violations = audit(page)
    context.close()
    assert not violations, json.dumps(violations, indent=1)
