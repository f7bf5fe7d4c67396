"""The playground in a real browser: `streamlit run` driven by Debian's Chromium via Playwright.

What AppTest cannot see: pointer and keyboard input on the canvas view, the animation loop,
the pixels it paints (checked against the NumPy core as an independent oracle), the URL
the browser ends up with, and what the page logs and fetches.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from playground.payload import CLASS_COLORS
from softmax_core import predict, predict_proba
from tests.browser_support import (
    RECORD_FRAMES,
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

VIEWPORT = {"width": 1400, "height": 1000}  # the whole view fits: no scrolling while dragging
VIEW_LO, VIEW_HI = -5.0, 5.0
TIMEOUT_MS = 30_000  # a loaded 2-core machine: the server and Chromium share the cores


# Colour statistics of a canvas, computed in the page (a canvas is ~1.5 M numbers).
CENTROID_JS = """([id, rgb, tol]) => {
  const c = document.getElementById(id);
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0, sx = 0, sy = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] === 255 && Math.abs(d[i] - rgb[0]) <= tol && Math.abs(d[i + 1] - rgb[1]) <= tol
        && Math.abs(d[i + 2] - rgb[2]) <= tol) {
      const p = i / 4;
      n += 1; sx += p % c.width; sy += Math.floor(p / c.width);
    }
  }
  const s = c.width / c.getBoundingClientRect().width;
  return { n, x: n ? sx / n / s : null, y: n ? sy / n / s : null };
}"""
PIXELS_JS = """([id, points]) => {
  const c = document.getElementById(id);
  const ctx = c.getContext("2d");
  return points.map(([fx, fy]) => Array.from(
    ctx.getImageData(Math.floor(fx * c.width), Math.floor(fy * c.height), 1, 1).data));
}"""
STATUS_JS = (
    "({ticks: __pg.ticks, drawn: __pg.framesDrawn, step: __pg.step, messages: __pg.messages})"
)


# ------------------------------------------------------------------------------ fixtures


class Recorder:
    """What one page logged and fetched."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.urls: list[str] = []


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(RECORD_FRAMES)
    pg = context.new_page()
    rec = Recorder()

    def on_console(msg) -> None:
        if msg.type == "error":
            rec.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}")

    pg.on("console", on_console)
    pg.on("pageerror", lambda err: rec.page_errors.append(str(err)))
    context.on("request", lambda req: rec.urls.append(req.url))
    pg.on("websocket", lambda ws: rec.urls.append(ws.url))
    pg.recorder = rec
    yield pg
    context.close()


# ------------------------------------------------------------------------------ helpers
def open_view(page, server_url: str, query: str = "speed=1"):
    page.goto(f"{server_url}/?{query}", timeout=TIMEOUT_MS)
    return playground_frame(page, timeout=TIMEOUT_MS)


def play_button(page):
    return page.locator(".st-key-pg_play button p")  # the label, not its shortcut hint


def toggle_play(page, expected: str) -> None:
    """Click Play/Pause once and wait for the label ``expected`` (no second click: a lost
    click is a bug, see tests/test_play_pause_browser.py)."""
    play_button(page).click()
    expect(play_button(page)).to_have_text(expected, timeout=TIMEOUT_MS)


def shown_step(frame) -> int:
    text = frame.locator("#step-counter").inner_text()
    match = re.fullmatch(r"Step (\d+)", text.strip())
    assert match, f"unexpected step counter text {text!r}"
    return int(match.group(1))


def wait_until(condition: Callable[[], object], timeout: float = 20.0, interval: float = 0.2):
    """Poll ``condition`` until it returns something truthy; return it (None on timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def url_centres(page) -> list[tuple[float, float]]:
    # Not page.url: in Playwright's sync API it is a cached value, refreshed only while some
    # API call pumps events, so a loop of sleeps never sees the app's pushState.
    (text,) = parse_qs(urlparse(page.evaluate("location.href")).query)["c"]
    return [tuple(float(v) for v in pair.split(",")) for pair in text.split(";")]


def centre_of(box: dict) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def data_to_page(main_box: dict, x: float, y: float) -> tuple[float, float]:
    s = main_box["width"] / (VIEW_HI - VIEW_LO)
    return main_box["x"] + (x - VIEW_LO) * s, main_box["y"] + (VIEW_HI - y) * s


def page_to_data(main_box: dict, px: float, py: float) -> tuple[float, float]:
    s = main_box["width"] / (VIEW_HI - VIEW_LO)
    return VIEW_LO + (px - main_box["x"]) / s, VIEW_HI - (py - main_box["y"]) / s


def drag(page, start: tuple[float, float], end: tuple[float, float], steps: int = 10) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    for i in range(1, steps + 1):
        t = i / steps
        page.mouse.move(start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t)
    page.mouse.up()


def hex_rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def background(frame) -> np.ndarray:
    value = frame.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--bg')")
    return hex_rgb(value.strip())


def nearest_class(pixel, bg: np.ndarray, k: int) -> tuple[int, float]:
    """The class whose blend line bg + a (colour - bg), 0 <= a <= 1, passes nearest to the
    pixel (the view blends each class colour with the background by confidence), and the
    blend weight a found for it."""
    p = np.asarray(pixel[:3], dtype=float)
    best = (-1, math.inf, 0.0)
    for cls, colour in enumerate(CLASS_COLORS[:k]):
        d = hex_rgb(colour) - bg
        a = float(np.clip((p - bg) @ d / (d @ d), 0.0, 1.0))
        dist = float(np.linalg.norm(p - (bg + a * d)))
        if dist < best[1]:
            best = (cls, dist, a)
    return best[0], best[2]


def region_class_at(frame, x: float, y: float, k: int) -> int:
    fx, fy = (x - VIEW_LO) / (VIEW_HI - VIEW_LO), (VIEW_HI - y) / (VIEW_HI - VIEW_LO)
    (pixel,) = frame.evaluate(PIXELS_JS, ["regions", [[fx, fy]]])
    return nearest_class(pixel, background(frame), k)[0]


def class_centroid(frame, cls: int) -> dict:
    rgb = hex_rgb(CLASS_COLORS[cls]).tolist()
    return frame.evaluate(CENTROID_JS, ["overlay", rgb, 6])


def wait_step_above(frame, step: int) -> None:
    frame.wait_for_function(f"() => window.__pg.step > {step}", timeout=TIMEOUT_MS)


# ------------------------------------------------------------------------------ tests
def test_dragging_a_centre_while_playing_moves_its_class_and_retrains(page, server_url):
    frame = open_view(page, server_url)
    toggle_play(page, "Pause")
    wait_step_above(frame, 90)  # boundaries have settled near the default centres

    main = frame.locator("#main").bounding_box()
    handle = frame.get_by_role("button", name="Centre of class 2")
    start = centre_of(handle.bounding_box())
    old_centre = url_centres(page)[1]
    assert page_to_data(main, *start) == pytest.approx(old_centre, abs=0.05)
    target = (-3.0, 3.0)  # deep inside class 1's region while the centres are the defaults
    assert region_class_at(frame, *target, k=3) == 0
    before = class_centroid(frame, 1)
    assert before["n"] > 200, "class 2's points are not drawn"

    end = data_to_page(main, *target)
    step_at_drop = shown_step(frame)
    drag(page, start, end)
    dropped = page_to_data(main, *end)

    # the handle sits where it was dropped
    assert centre_of(handle.bounding_box()) == pytest.approx(end, abs=2)
    # training continued on the moved data: the region under the new centre becomes class 2
    flipped = wait_until(lambda: region_class_at(frame, *target, k=3) == 1, timeout=30)
    assert flipped, "the regions never gave the moved class its new place"

    # ...and the points drawn are that data: class 2's pixels translated by the drag vector
    def shifted():
        c = class_centroid(frame, 1)
        off = math.hypot(
            c["x"] - before["x"] - (end[0] - start[0]), c["y"] - before["y"] - (end[1] - start[1])
        )
        return c["n"] > 200 and off < 15

    assert wait_until(shifted, timeout=5), (
        f"class 2's points are not drawn where its data now is: {before} -> "
        f"{class_centroid(frame, 1)}; view {frame.evaluate(STATUS_JS)}, "
        f"page errors {page.recorder.page_errors}"
    )
    assert shown_step(frame) > step_at_drop
    # the shared link follows: the URL's `c` holds the new centre
    in_url = wait_until(
        lambda: max(abs(a - b) for a, b in zip(url_centres(page)[1], dropped, strict=True)) < 0.03,
        timeout=10,
    )
    assert in_url, (
        f"URL c={url_centres(page)} does not contain the dropped centre "
        f"({dropped[0]:.3f}, {dropped[1]:.3f}) while playing"
    )


def test_play_pause_and_step_drive_the_step_counter(page, server_url):
    frame = open_view(page, server_url, "speed=1")
    n0 = shown_step(frame)
    toggle_play(page, "Pause")
    wait_step_above(frame, n0 + 5)
    wait_step_above(frame, shown_step(frame))  # playing: the counter keeps moving

    toggle_play(page, "Play")
    a = wait_paused(frame, timeout=TIMEOUT_MS)  # a timeout: the counter never stopped
    assert shown_step(frame) == a
    time.sleep(1.5)  # deliberately let time pass: paused, the counter must not move
    assert shown_step(frame) == a, "paused, but the step counter moved"

    step_button = page.locator(".st-key-pg_step button")
    for expected in (a + 1, a + 2):
        step_button.click()
        expect(frame.locator("#step-counter")).to_have_text(f"Step {expected}", timeout=TIMEOUT_MS)
    # every run the presses started has finished and the view has drawn what it was sent
    wait_streamlit_idle(page, timeout=TIMEOUT_MS)
    assert wait_paused(frame, timeout=TIMEOUT_MS) == a + 2, "Step moved more than one per press"


def test_arrow_keys_move_a_centre_by_a_tenth(page, server_url):
    frame = open_view(page, server_url)
    x0, y0 = url_centres(page)[0]
    handle = frame.get_by_role("button", name="Centre of class 1")
    box0 = handle.bounding_box()
    handle.focus()
    for _ in range(5):
        handle.press("ArrowRight")
    px_per_unit = frame.locator("#main").bounding_box()["width"] / (VIEW_HI - VIEW_LO)
    box1 = handle.bounding_box()
    assert box1["x"] - box0["x"] == pytest.approx(0.5 * px_per_unit, abs=1.5)
    assert box1["y"] == pytest.approx(box0["y"], abs=0.5)

    # the move is sent 250 ms after the last key
    in_url = wait_until(lambda: abs(url_centres(page)[0][0] - (x0 + 0.5)) < 1e-6, timeout=10)
    assert in_url, f"URL c={url_centres(page)}, expected class 1 at x = {x0 + 0.5:g}"
    assert url_centres(page)[0][1] == pytest.approx(y0, abs=1e-9)


def test_painted_regions_agree_with_the_numpy_model(page, server_url):
    k = 4
    frame = open_view(page, server_url, f"k={k}&spread=0.6&speed=2")
    toggle_play(page, "Pause")
    wait_step_above(frame, 80)
    toggle_play(page, "Play")
    step = wait_paused(frame, timeout=TIMEOUT_MS)
    params = frame.evaluate(f"window.__framesSeen && window.__framesSeen[{step}]")
    assert params, f"no frame for step {step} was received"
    W, b = np.array(params["W"]), np.array(params["b"])
    assert W.shape == (2, k)

    # sample points well inside one region: the same class everywhere within 0.25, and a
    # confident enough colour to tell the classes apart
    grid = np.linspace(-4.5, 4.5, 13)
    candidates = np.array([(x, y) for x in grid for y in grid])
    offsets = np.array([(dx, dy) for dx in (-0.25, 0, 0.25) for dy in (-0.25, 0, 0.25)])
    stable = [
        len(set(predict(W, b, p + offsets).tolist())) == 1
        and predict_proba(W, b, p[None])[0].max() > 1 / k + 0.25
        for p in candidates
    ]
    chosen = candidates[np.array(stable)]
    rng = np.random.default_rng(0)
    chosen = chosen[rng.permutation(len(chosen))[:20]]
    assert len(chosen) >= 15, "too few points away from the boundaries"
    expected = predict(W, b, chosen)
    assert len(set(expected.tolist())) >= 3, "the sample should cover several classes"

    fractions = [
        [(x - VIEW_LO) / (VIEW_HI - VIEW_LO), (VIEW_HI - y) / (VIEW_HI - VIEW_LO)]
        for x, y in chosen
    ]
    pixels = frame.evaluate(PIXELS_JS, ["regions", fractions])
    bg = background(frame)
    got = [nearest_class(p, bg, k)[0] for p in pixels]
    mismatches = [
        (tuple(np.round(pt, 2)), int(e), g, p)
        for pt, e, g, p in zip(chosen, expected, got, pixels, strict=True)
        if e != g
    ]
    assert not mismatches, f"(point, NumPy class, painted class, rgba): {mismatches}"
    # the intensity follows the confidence: a = 0.1 + 0.55 (max pi - 1/K) / (1 - 1/K)
    conf = predict_proba(W, b, chosen).max(axis=1)
    alpha = 0.1 + 0.55 * np.clip((conf - 1 / k) / (1 - 1 / k), 0, 1)
    want = bg + alpha[:, None] * (np.array([hex_rgb(CLASS_COLORS[c]) for c in expected]) - bg)
    assert np.abs(np.array(pixels)[:, :3] - want).max() < 12


def test_no_console_errors_and_no_request_leaves_the_machine(page, server_url):
    frame = open_view(page, server_url)
    toggle_play(page, "Pause")
    wait_step_above(frame, 30)
    main = frame.locator("#main").bounding_box()
    handle = frame.get_by_role("button", name="Centre of class 3")
    start = centre_of(handle.bounding_box())
    before = url_centres(page)[2]
    drag(page, start, (start[0] + 40, start[1] - 30))
    assert wait_until(lambda: url_centres(page)[2] != before, timeout=20), "the drag was not sent"
    frame.locator("#overlay").click(position={"x": main["width"] / 2, "y": main["height"] / 2})
    toggle_play(page, "Play")
    # the page has done what was asked: the view stopped and no run is in flight
    wait_paused(frame, timeout=TIMEOUT_MS)
    wait_streamlit_idle(page, timeout=TIMEOUT_MS)

    rec = page.recorder
    harmless = ("/_stcore/health", "/_stcore/host-config")
    errors = [e for e in rec.console_errors if not ("404" in e and any(h in e for h in harmless))]
    assert not errors
    assert not rec.page_errors
    outside = [
        u
        for u in rec.urls
        if urlparse(u).scheme not in ("data", "blob", "about")
        and urlparse(u).hostname != "127.0.0.1"
    ]
    assert not outside
    assert any("/component/" in u for u in rec.urls)  # the iframe's own files were seen


def test_a_bad_link_warns_and_the_page_still_works(page, server_url):
    frame = open_view(page, server_url, "k=99&lr=abc&c=1,2")
    warnings = page.locator("[data-testid='stAlertContentWarning']", has_text="Link value")
    expect(warnings).to_have_count(3, timeout=TIMEOUT_MS)
    texts = " ".join(warnings.all_inner_texts())
    for key in ("k=", "lr=", "c="):
        assert key in texts
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    assert "Traceback" not in page.locator("body").inner_text()
    assert page.locator("iframe[title*='softmax_playground']").count() == 1
    assert len(url_centres(page)) == 3  # fell back to K = 3 and its default centres
    n0 = shown_step(frame)
    toggle_play(page, "Pause")
    wait_step_above(frame, n0 + 5)
