"""A lesson in a real browser (issue 15): state survives a visit to other pages, presets
start clean after a divergence, the phone layout, and the palette as the view paints it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from charts.colour_check import ciede2000, min_pairwise_distance, srgb_to_lab
from tests.browser_support import (
    chromium_path,
    playground_frame,
    wait_paused,
    wait_streamlit_idle,
)

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]
TIMEOUT_MS = 30_000


def new_page(browser, width=1400, height=1000, scheme="light"):
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    return context.new_page()


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.evaluate("location.href")).query)


def step_of(frame) -> int:
    return int(re.search(r"\d+", frame.locator("#step-counter").inner_text()).group())


def slider_value(page, key: str) -> str:
    """The value text a slider shows (Streamlit 1.67 sliders are <input type=range>)."""
    return page.locator(f".st-key-{key} input[type='range']").first.get_attribute("aria-valuetext")


def metric_value(page, label: str):
    """The value of the st.metric labelled ``label`` (a locator)."""
    label_el = page.locator("[data-testid='stMetricLabel']", has_text=label)
    return page.locator("[data-testid='stMetric']", has=label_el).locator(
        "[data-testid='stMetricValue']"
    )


# The playground's iframe is as tall as the view asks (its #root plus 4 px, messages.js).
VIEW_HEIGHT_SET_JS = """() => {
  const f = document.querySelector("iframe[title*='softmax_playground']");
  const root = f && f.contentDocument && f.contentDocument.getElementById('root');
  if (!root) return false;
  const want = Math.ceil(root.getBoundingClientRect().height) + 4;
  return Math.abs(f.getBoundingClientRect().height - want) < 1;
}"""


def go(page, label: str) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stPageLink'] a", has_text=label).click()


def test_the_playground_and_a_theory_page_survive_a_round_trip(server_url, browser):
    page = new_page(browser)
    page.goto(f"{server_url}/?k=4&lr=0.1&spread=0.5", timeout=TIMEOUT_MS)
    frame = playground_frame(page, timeout=TIMEOUT_MS)
    for expected in (1, 2, 3):
        page.locator(".st-key-pg_step button").click()
        expect(frame.locator("#step-counter")).to_have_text(f"Step {expected}", timeout=TIMEOUT_MS)
    # the Softmax page: move K from 3 to 4 with the keyboard
    go(page, "Softmax")
    page.locator(".st-key-softmax_k input[type='range']").wait_for(timeout=TIMEOUT_MS)
    page.locator(".st-key-softmax_k input[type='range']").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "document.querySelector('.st-key-softmax_k input[type=range]')"
        ".getAttribute('aria-valuetext') === '4'",
        timeout=TIMEOUT_MS,
    )
    z4 = page.locator(".st-key-softmax_z3 input[type='range']")
    z4.wait_for(timeout=TIMEOUT_MS)
    before = z4.get_attribute("aria-valuetext")
    p4 = metric_value(page, "π4")
    p4_before = p4.inner_text()
    z4.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    # Wait for the value of all five presses: a rerun started by the first presses (the
    # slider sends values while keys repeat) can briefly show an earlier value.
    z4_value = f"{float(before) - 0.5:.2f}"
    page.wait_for_function(
        f"document.querySelector('.st-key-softmax_z3 input[type=range]')"
        f".getAttribute('aria-valuetext') === '{z4_value}'",
        timeout=TIMEOUT_MS,
    )
    page.keyboard.press("Tab")  # a slider sends its value when it loses focus
    # the rerun that remembers it: pi4 is the softmax of the final logits, and that run ended
    logits = np.array(
        [float(slider_value(page, f"softmax_z{k}")) for k in range(3)] + [float(z4_value)]
    )
    p4_want = np.exp(logits - logits.max())
    expect(p4).to_have_text(f"{p4_want[3] / p4_want.sum():.4f}", timeout=TIMEOUT_MS)
    assert p4_before != p4.inner_text()
    wait_streamlit_idle(page, timeout=TIMEOUT_MS)
    assert slider_value(page, "softmax_z3") == z4_value
    go(page, "Cross-entropy")
    page.locator(".st-key-ce_p input").wait_for(timeout=TIMEOUT_MS)
    go(page, "Softmax")
    page.locator(".st-key-softmax_k input[type='range']").wait_for(timeout=TIMEOUT_MS)
    assert slider_value(page, "softmax_k") == "4"
    assert slider_value(page, "softmax_z3") == z4_value != before
    # back to the playground: controls, view, link and weights are what was left
    go(page, "Playground")
    frame = playground_frame(page, timeout=TIMEOUT_MS)
    expect(frame.get_by_role("button", name="Centre of class 4")).to_have_count(1)
    expect(frame.locator("#step-counter")).to_have_text("Step 3", timeout=TIMEOUT_MS)
    q = query(page)
    assert q["k"] == ["4"] and q["lr"] == ["0.1"] and q["spread"] == ["0.5"]
    page.get_by_role("tab", name="Data").click()
    expect(page.locator(".st-key-pg_n_classes input[type='range']")).to_have_attribute(
        "aria-valuetext", "4"
    )
    assert slider_value(page, "pg_spread") == "0.50"
    page.get_by_role("tab", name="Training").click()
    assert slider_value(page, "pg_lr") == "0.1"
    assert page.locator("[data-testid='stException']").count() == 0
    page.context.close()


def choose_preset(page, fragment: str) -> None:
    page.locator(".st-key-pg_preset").get_by_role("combobox").click()
    page.get_by_role("option", name=re.compile(fragment)).click()


def test_a_preset_after_a_divergence_starts_a_fresh_run(server_url, browser):
    page = new_page(browser)
    page.goto(server_url, timeout=TIMEOUT_MS)
    frame = playground_frame(page, timeout=TIMEOUT_MS)
    choose_preset(page, "Diverg")
    expect(page.locator("[data-testid='stAlertContentInfo']", has_text="lr × L2")).to_have_count(
        1, timeout=TIMEOUT_MS
    )
    frame = playground_frame(page, timeout=TIMEOUT_MS)
    page.locator(".st-key-pg_play button").click()
    alert = page.locator("[data-testid='stAlertContentError']", has_text="diverged")
    expect(alert).to_have_count(1, timeout=60_000)
    # the view plays up to the step the alert names (it may still be animating the frames)
    diverged_at = int(re.search(r"diverged at step (\d+)", alert.inner_text()).group(1))
    assert diverged_at > 5
    frame.wait_for_function(f"() => window.__pg.step === {diverged_at}", timeout=TIMEOUT_MS)
    choose_preset(page, "Well separated")
    expect(alert).to_have_count(0, timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => { const f = [...document.querySelectorAll('iframe')].find(i => "
        "i.title.includes('softmax_playground')); const t = f && "
        "f.contentDocument.querySelector('#step-counter'); return t && /Step [0-5]$/.test("
        "t.textContent); }",
        timeout=TIMEOUT_MS,
    )
    expect(
        page.locator("[data-testid='stAlertContentInfo']", has_text="Well separated")
    ).to_have_count(1, timeout=TIMEOUT_MS)
    frame = playground_frame(page, timeout=TIMEOUT_MS)  # the preset's rerun may replace it
    start = step_of(frame)
    page.locator(".st-key-pg_play button").click()
    # Play advances after the preset (a timeout here is the failure)
    frame.wait_for_function(f"() => window.__pg.step > {start + 5}", timeout=TIMEOUT_MS)
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    q = query(page)
    assert q["lr"] == ["0.5"] and q["speed"] == ["1"]
    page.context.close()


def test_on_a_phone_the_picture_and_play_fit_the_first_screen(server_url, browser):
    page = new_page(browser, 390, 844)
    page.goto(server_url, timeout=TIMEOUT_MS)
    playground_frame(page, timeout=TIMEOUT_MS)
    # layout settles: the iframe has the height the view asked for, and no run is in flight
    page.wait_for_function(VIEW_HEIGHT_SET_JS, timeout=TIMEOUT_MS)
    wait_streamlit_idle(page, timeout=TIMEOUT_MS)
    play = page.locator(".st-key-pg_play button").bounding_box()
    assert play["y"] >= 0 and play["y"] + play["height"] <= 844
    frame = page.frame_locator("iframe[title*='softmax_playground']")
    main = frame.locator("#main").bounding_box()  # the picture, in page coordinates
    assert main["y"] >= 0 and main["y"] + main["height"] <= 844, main
    assert main["x"] >= 0 and main["x"] + main["width"] <= 390, main
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("window.scrollY") == 0
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_six_classes_are_painted_in_colours_that_stay_apart(server_url, browser, scheme):
    """The handles' colours and the region tints around them, read from the page, are at
    least 20 (points) and 12 (tints) apart in CIEDE2000 (thresholds of tests/test_palette)."""
    page = new_page(browser, scheme=scheme)
    page.goto(f"{server_url}/?k=6&spread=0.3&speed=20&arrows=0", timeout=TIMEOUT_MS)
    frame = playground_frame(page, timeout=TIMEOUT_MS)
    play = page.locator(".st-key-pg_play button p")  # the label, not its shortcut hint
    play.click()
    expect(play).to_have_text("Pause", timeout=TIMEOUT_MS)
    frame.wait_for_function("() => window.__pg.step >= 400", timeout=40_000)
    play.click()
    expect(play).to_have_text("Play", timeout=TIMEOUT_MS)
    wait_paused(frame, timeout=TIMEOUT_MS)
    handles = frame.evaluate(
        "[...document.querySelectorAll('.handle')].map(h => getComputedStyle(h).color)"
    )
    solid = np.array([[int(v) for v in re.findall(r"\d+", c)[:3]] for c in handles]) / 255
    assert len(solid) == 6
    assert min_pairwise_distance(solid) >= 20
    # the region colour half-way between the origin and each centre
    tints = frame.evaluate(
        """() => {
          const c = document.getElementById('regions'), ctx = c.getContext('2d');
          const box = c.getBoundingClientRect(), s = c.width / box.width;
          return [...document.querySelectorAll('.handle')].map(h => {
            const r = h.getBoundingClientRect();
            const x = (r.left + r.width / 2 - box.left), y = (r.top + r.height / 2 - box.top);
            const px = (x + box.width / 2) / 2, py = (y + box.height / 2) / 2;
            return Array.from(ctx.getImageData(Math.round(px * s), Math.round(py * s), 1, 1)
              .data).slice(0, 3);
          });
        }"""
    )
    tints = np.array(tints) / 255
    assert min_pairwise_distance(tints) >= 12, tints
    background = srgb_to_lab(np.array([1.0, 1.0, 1.0]) if scheme == "light" else np.zeros(3))
    assert ciede2000(srgb_to_lab(solid), background).min() >= 20
    page.context.close()
