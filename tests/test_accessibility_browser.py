"""WCAG 2.1 AA audit with axe-core in Chromium: every page of the navigation, light and dark,
presenter mode and the Share dialog; no critical, serious or moderate violation anywhere.

axe-core is the npm package pinned in package.json (``make test`` installs it with ``npm ci``
into node_modules/). It is injected into the page and into every frame (the playground's view
and the digits page's views are component iframes) and run once from the page with
``iframes: true``, as Lighthouse and @axe-core/playwright run it: axe audits each frame's
document and judges the page-level rules (one main landmark, a level-one heading, all content
in landmarks) for the page as a whole, a frame's content counting as inside the landmark that
holds its iframe. (Run in a frame's document on its own, axe took the view for a page without
a main landmark or heading.) Rules: WCAG 2.0/2.1 A and AA, and axe's best practices. The
colour scheme is emulated (the app has no fixed theme: Streamlit follows the system's
preference, .streamlit/config.toml).
"""

from __future__ import annotations

import pytest

from tests.browser_support import ROOT, chromium_path, wait_styles_settled
from ui.navigation import PAGES

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Minor findings are not counted (Streamlit's tables leave the index column's header empty).
BLOCKING = ("critical", "serious", "moderate")
TIMEOUT_MS = 60_000
# Returns the violations and the titles of the iframes whose documents axe audited (a node in
# a frame has a target of two or more selectors, the first the iframe's).
RUN_AXE = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: true});
  const frames = new Set();
  for (const kind of ['passes', 'incomplete', 'violations'])
    for (const v of r[kind]) for (const n of v.nodes)
      if (n.target.length > 1) frames.add(document.querySelector(n.target[0])?.title || '?');
  return {frames: [...frames], passed: r.passes.map(v => v.id),
    violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' >> '), html: n.html.slice(0, 160),
        summary: n.failureSummary}))}))};
}"""
SCHEMES = ("light", "dark")
PAGE_LEVEL = ("landmark-one-main", "page-has-heading-one", "region")


def url_path(page_path: str) -> str:
    """``app.py`` -> ``""``, ``pages/gradient.py`` -> ``"gradient"`` (Streamlit's URL paths)."""
    return "" if page_path == "app.py" else page_path.removeprefix("pages/").removesuffix(".py")


@pytest.fixture(scope="module")
def axe_source() -> str:
    # No skip: CI installs axe-core (Makefile: test depends on node_modules/.installed).
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: run `npm ci` (or `make test`)"
    return AXE_JS.read_text()


def settle(page) -> None:
    """Wait until the script run is over, every Plotly chart drawn and the view (if any)
    has drawn its first frame and its curves."""
    content = "[data-testid='stMainBlockContainer'] [data-testid='stElementContainer']"
    page.locator(content).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')"
        "?.dataset.testScriptState === 'notRunning'",
        timeout=TIMEOUT_MS,
    )
    # Streamlit marks what a rerun has not redrawn yet as stale: wait until none is left
    # (an audit in between once saw the sidebar as a scroll region without focusable content).
    page.wait_for_function(
        "() => !document.querySelector('[data-stale=\"true\"]')", timeout=TIMEOUT_MS
    )
    # Streamlit loads most element types' code on first use (React.lazy): until a chunk has
    # arrived, its elements are placeholders (data-testid stSkeleton, aria-hidden). An audit
    # then saw /gradient's sidebar number inputs missing (a scroll region with no focusable
    # content) and the page-wide CSS (an st.html) not yet applied.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stSkeleton]')", timeout=TIMEOUT_MS
    )
    if page.locator("iframe[title*='softmax_playground']").count():
        view = page.frame_locator("iframe[title*='softmax_playground']")
        view.locator("body[data-step]").wait_for(timeout=TIMEOUT_MS)
        for frame in page.frames:
            if "softmax_playground" in frame.url:
                frame.wait_for_function(
                    "() => (window.__pg.curveUpdates || 0) > 0", timeout=TIMEOUT_MS
                )
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".every(p => p.querySelector('.main-svg'))",
        timeout=TIMEOUT_MS,
    )
    wait_styles_settled(page, timeout=TIMEOUT_MS)  # a last transition or recalculation lands


def audit(page, axe_source: str, audited: list[str] | None = None) -> list[str]:
    """Run axe over the page and its frames; one line per critical, serious or moderate node.
    ``audited`` (if given) receives the titles of the iframes whose documents were audited and
    the ids of the rules that passed, as ``rule:<id>``."""
    for frame in page.frames:
        if not frame.is_detached() and frame.url not in ("", "about:blank"):
            frame.evaluate(axe_source)
    result = page.evaluate(RUN_AXE, TAGS)
    if audited is not None:
        audited.extend(result["frames"])
        audited.extend(f"rule:{rule}" for rule in result["passed"])
    problems = []
    for v in result["violations"]:
        if v["impact"] not in BLOCKING:
            continue
        for node in v["nodes"]:
            summary = " ".join(node["summary"].split())
            problems.append(
                f"[{v['impact']}] {v['id']} ({v['help']})\n"
                f"    at {node['target']}\n    {node['html']}\n    {summary}"
            )
    return problems


def open_page(browser, server_url: str, scheme: str, path: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{server_url}/{path}", timeout=TIMEOUT_MS)
    settle(page)
    return context, page


def assert_clean(problems: list[str], what: str) -> None:
    assert not problems, (
        f"{len(problems)} critical/serious/moderate axe violation(s) on {what}:\n"
        + ("\n".join(problems))
    )


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", [url_path(p.path) for p in PAGES])
def test_page_has_no_serious_or_moderate_axe_violation(
    browser, server_url, axe_source, path, scheme
):
    context, page = open_page(browser, server_url, scheme, path)
    try:
        assert page.locator("[data-testid='stException']").count() == 0
        audited: list[str] = []
        assert_clean(audit(page, axe_source, audited), f"/{path} ({scheme})")
        # The page-level rules the issue names were checked and passed (not inapplicable).
        for rule in PAGE_LEVEL:
            assert f"rule:{rule}" in audited, (rule, audited)
        if path == "":  # the view's own document was audited, not only the page around it
            assert any("softmax_playground" in title for title in audited), audited
    finally:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_presenter_mode_has_no_serious_or_moderate_axe_violation(
    browser, server_url, axe_source, scheme
):
    context, page = open_page(browser, server_url, scheme, "?present=1")
    try:
        page.locator(".st-key-presenter_bar").wait_for(timeout=TIMEOUT_MS)
        assert_clean(audit(page, axe_source), f"presenter mode ({scheme})")
    finally:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_share_dialog_has_no_serious_or_moderate_axe_violation(
    browser, server_url, axe_source, scheme
):
    context, page = open_page(browser, server_url, scheme, "")
    try:
        page.get_by_role("button", name="Share").first.click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_text("Anyone who opens this link").wait_for(timeout=TIMEOUT_MS)
        dialog.locator("img").first.wait_for(timeout=TIMEOUT_MS)
        settle(page)
        assert_clean(audit(page, axe_source), f"the Share dialog ({scheme})")
    finally:
        context.close()
