"""A lesson by keyboard alone (issue 22): Tab, Shift+Tab, Enter, Space and the arrow keys
only, no mouse, in headless Chromium. Every control is reached by pressing Tab from where
the focus is, and shows a visible focus ring when reached. Also: the view's live region
(what a screen reader hears) after Play and after Pause, and reduced motion.
"""

from __future__ import annotations

import itertools
import re
import time
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser_support import chromium_path, playground_frame

playwright_sync = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]

TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1400, "height": 900}
# What has the focus: in the page, or (when that is the view's iframe) inside the view.
FOCUS_JS = """() => {
  const describe = (el) => {
    const key = el.closest('[class*="st-key-"]');
    const cls = key ? [...key.classList].find(c => c.startsWith('st-key-')) : '';
    // a ring: an outline of 2 px or more on the element or a close ancestor (a slider's
    // input sits inside its visible thumb)
    let ring = false;
    for (let e = el, i = 0; e && i < 4; e = e.parentElement, i++) {
      const s = getComputedStyle(e);
      if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) ring = true;
    }
    return {tag: el.tagName, role: el.getAttribute('role') || '', key: cls,
      label: (el.getAttribute('aria-label') || el.innerText || '').trim().slice(0, 60),
      ring: el.matches(':focus-visible') && ring};
  };
  let el = document.activeElement;
  if (el && el.tagName === 'IFRAME') {
    const inner = el.contentDocument && el.contentDocument.activeElement;
    const d = inner ? describe(inner) : {};
    d.frame = el.title; d.tag = inner ? inner.tagName : 'IFRAME';
    d.id = inner ? inner.id : ''; d.cls = inner ? inner.className : '';
    d.frameRing = getComputedStyle(el).outlineStyle;
    return d;
  }
  return el ? describe(el) : {};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUS_JS)


def tab_to(page, matches, what: str, limit: int = 120, back: bool = False) -> dict:
    """Press Tab (Shift+Tab with ``back``) until ``matches(focused(page))``; return it."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        f = focused(page)
        if matches(f):
            return f
        seen.append(f"{f.get('tag')}:{f.get('key') or f.get('id') or f.get('label', '')[:20]}")
    raise AssertionError(f"Tab never reached {what}; focus went through: {seen[-40:]}")


def wait_until(condition, timeout: float = 30.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return None


def url_query(page) -> dict:
    return parse_qs(urlparse(page.evaluate("location.href")).query)


def announcements(view) -> list[str]:
    return view.evaluate("() => (window.__pg.announcements || []).map(a => a.text)")


def shown_step(view) -> int:
    return int(re.fullmatch(r"Step (\d+)", view.locator("#step-counter").inner_text()).group(1))


def test_a_whole_lesson_by_keyboard_alone(browser, server_url, tmp_path):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server_url}/?speed=1", timeout=TIMEOUT_MS)
    view = playground_frame(page, timeout=TIMEOUT_MS)
    play = page.locator(".st-key-pg_play button p")
    try:
        # --- the learning rate and L2 (sidebar, Training tab: first in the tab order)
        f = tab_to(page, lambda f: f["tag"] == "INPUT" and f.get("key") == "st-key-pg_lr", "lr")
        assert f["ring"], f"no visible focus ring on the learning-rate slider: {f}"
        lr_before = url_query(page).get("lr")
        page.keyboard.press("ArrowRight")
        assert wait_until(lambda: url_query(page).get("lr") != lr_before), "lr did not change"
        f = tab_to(page, lambda f: f["tag"] == "INPUT" and f.get("key") == "st-key-pg_l2", "L2")
        assert f["ring"], f
        l2_before = url_query(page).get("l2")
        page.keyboard.press("ArrowRight")
        assert wait_until(lambda: url_query(page).get("l2") != l2_before), "L2 did not change"

        # --- Play and Pause (Enter on the focused button), then the live region on pause
        f = tab_to(
            page, lambda f: f.get("key") == "st-key-pg_play" and f["tag"] == "BUTTON", "Play"
        )
        assert f["ring"], f
        page.keyboard.press("Enter")
        expect(play).to_have_text("Pause", timeout=TIMEOUT_MS)
        assert wait_until(lambda: shown_step(view) > 0), "Play did not start training"
        page.keyboard.press("Enter")
        expect(play).to_have_text("Play", timeout=TIMEOUT_MS)
        assert wait_until(lambda: "Paused" in (announcements(view) or [""])[-1]), announcements(
            view
        )

        # --- Step (Tab to it, Enter): one step more
        f = tab_to(page, lambda f: f.get("key") == "st-key-pg_step", "Step")
        assert f["ring"], f
        before = shown_step(view)
        page.keyboard.press("Enter")
        assert wait_until(lambda: shown_step(view) == before + 1), (before, shown_step(view))

        # --- a preset: open the picker with the keyboard, take the first lesson
        f = tab_to(page, lambda f: "pg_preset" in f.get("key", ""), "the preset picker")
        page.keyboard.press("ArrowDown")
        page.get_by_role("option").first.wait_for(timeout=TIMEOUT_MS)
        page.keyboard.press("Enter")
        page.locator("[data-testid='stAlert']").filter(has_text=".").first.wait_for(
            timeout=TIMEOUT_MS
        )
        assert wait_until(lambda: shown_step(view) == 0), "the preset did not restart at step 0"

        # --- move each class centre with the arrow keys (Tab into the view)
        k = view.locator(".handle").count()
        assert k >= 2
        centres_before = url_query(page)["c"][0]
        for cls in range(k):
            f = tab_to(
                page,
                lambda f, cls=cls: (
                    f.get("cls") == "handle" and f.get("label") == f"Centre of class {cls + 1}"
                ),
                f"the centre of class {cls + 1}",
            )
            assert f["ring"], f"no focus ring on centre {cls + 1}: {f}"
            for _ in range(3):
                page.keyboard.press("Shift+ArrowRight")
            said = wait_until(
                lambda cls=cls: [
                    a for a in announcements(view) if a.startswith(f"Centre of class {cls + 1}")
                ]
            )
            assert said and re.search(r"moved to \(-?\d+\.\d\d, -?\d+\.\d\d\)", said[-1]), said
        moved = wait_until(lambda: url_query(page)["c"][0] != centres_before)
        assert moved, "the centres' moves never reached the server (URL unchanged)"
        xs_before = [float(p.split(",")[0]) for p in centres_before.split(";")]

        def all_moved():
            xs = [float(p.split(",")[0]) for p in url_query(page)["c"][0].split(";")]
            return all(x > x0 + 0.5 for x, x0 in zip(xs, xs_before, strict=True))

        assert wait_until(all_moved), (centres_before, url_query(page)["c"])

        # --- select a point: Tab to the plane, an arrow key; the inspector below is text
        f = tab_to(page, lambda f: f.get("id") == "overlay", "the plane")
        assert f["ring"], f"no focus ring on the plane: {f}"
        page.keyboard.press("ArrowRight")
        said = wait_until(lambda: [a for a in announcements(view) if "selected" in a])
        assert said and said[-1].startswith("Point 0 selected: class"), said
        inspector = page.locator("[data-testid='stExpander']").filter(has_text="Point 0 (class")
        inspector.first.wait_for(timeout=TIMEOUT_MS)
        assert "The input" in inspector.first.inner_text()

        # --- Space on the plane goes to the page's Play/Pause shortcut
        page.keyboard.press("Space")
        expect(play).to_have_text("Pause", timeout=TIMEOUT_MS)
        page.keyboard.press("Space")
        expect(play).to_have_text("Play", timeout=TIMEOUT_MS)

        # --- download an export: back to the sidebar's tabs, Export, its first button
        tab_to(page, lambda f: f.get("role") == "tab", "the sidebar's tabs", back=True, limit=200)
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        f = focused(page)
        assert f.get("role") == "tab" and "Export" in f.get("label", ""), f
        f = tab_to(page, lambda f: "pg_export" in f.get("key", ""), "an export button")
        assert f["ring"], f
        with page.expect_download(timeout=TIMEOUT_MS) as info:
            page.keyboard.press("Enter")
        path = tmp_path / info.value.suggested_filename
        info.value.save_as(path)
        assert path.stat().st_size > 0
    finally:
        context.close()


def test_live_region_says_the_state_while_playing_and_on_pause(browser, server_url):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(f"{server_url}/?speed=1", timeout=TIMEOUT_MS)
    view = playground_frame(page, timeout=TIMEOUT_MS)
    play = page.locator(".st-key-pg_play button p")
    try:
        live = view.locator("#live")
        assert live.get_attribute("aria-live") == "polite"
        assert live.get_attribute("role") == "status"
        # a11y.js names the plane on its first tick (every 250 ms) after the first frame
        expect(view.locator("#overlay")).to_have_attribute(
            "aria-label",
            re.compile(r"^Plane with the decision regions of \d+ classes"),
            timeout=TIMEOUT_MS,
        )
        play.click()
        expect(play).to_have_text("Pause", timeout=TIMEOUT_MS)
        pattern = re.compile(
            r"^Step (\d+), loss \d+\.\d+, train accuracy \d+\.\d%, test accuracy \d+\.\d%\.$"
        )
        playing = wait_until(lambda: [a for a in announcements(view) if pattern.match(a)])
        assert playing, announcements(view)
        times_js = "() => __pg.announcements.filter(a => !a.text.endsWith('Paused.')).map(a => a.t)"
        times = wait_until(lambda: len(t := view.evaluate(times_js)) >= 3 and t, timeout=30)
        assert times, view.evaluate(times_js)  # three announcements while playing
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert min(gaps) >= 2900, gaps  # calm: at most every 3 s
        play.click()
        expect(play).to_have_text("Play", timeout=TIMEOUT_MS)
        last = wait_until(lambda: (a := announcements(view)[-1]).endswith("Paused.") and a)
        assert last, announcements(view)
        step = int(re.match(r"Step (\d+),", last).group(1))
        wait_until(lambda: shown_step(view) == step, timeout=10)
        assert shown_step(view) == step, (last, shown_step(view))
        assert view.locator("#live").inner_text() == last
    finally:
        context.close()


def test_reduced_motion_turns_transitions_off_and_nothing_plays_by_itself(browser, server_url):
    context = browser.new_context(viewport=VIEWPORT, reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"{server_url}/?speed=1", timeout=TIMEOUT_MS)
    view = playground_frame(page, timeout=TIMEOUT_MS)
    play = page.locator(".st-key-pg_play button p")
    try:
        step0 = shown_step(view)
        page.wait_for_timeout(1500)  # a quiet interval is the thing checked here
        assert shown_step(view) == step0, "the view animated without Play"
        durations = page.evaluate(
            "() => [...document.querySelectorAll('.stApp button, .stApp [role=slider]')]"
            ".map(e => getComputedStyle(e).transitionDuration)"
        )
        assert durations and all(set(d.split(", ")) <= {"0s"} for d in durations), durations
        assert view.evaluate(
            "() => getComputedStyle(document.querySelector('.handle')).transitionDuration"
        ) in ("0s",)
        play.click()
        expect(play).to_have_text("Pause", timeout=TIMEOUT_MS)
        assert wait_until(lambda: shown_step(view) > step0 + 10), "Play did not run"
        play.click()
        expect(play).to_have_text("Play", timeout=TIMEOUT_MS)
    finally:
        context.close()
