"""The view explains itself and answers the keyboard, in Chromium (issues 15 and 19):
the legend's entries and the axis ticks (and their toggles), the PNG button giving the picture
as seen (rings, labels, step line, legend), points inside the centre rings and outside the
square, shortcuts typed inside the view's iframe, and presenter mode's sizes at 1280 x 720."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from PIL import Image

from tests.browser_support import chromium_path, playground_frame, wait_paused

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect
expect.set_options(timeout=30_000)  # a loaded 2-core machine

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]
TIMEOUT_MS = 30_000
SHOTS = Path("/tmp/view15")  # where a developer looks at the downloaded PNG, if it exists

# Pixels of one canvas, as a flat RGBA list (a few hundred thousand numbers at most).
CANVAS_JS = """(id) => {
  const c = document.getElementById(id);
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  return [c.width, c.height, Array.from(d)];
}"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    yield pg
    context.close()


def open_view(page, url: str):
    page.goto(url)
    frame = playground_frame(page)
    expect(page.locator(".st-key-pg_play button")).to_be_visible()
    return frame


def step_of(frame) -> int:
    return int(frame.evaluate("document.body.dataset.step"))


def play_label(page) -> str:
    return page.locator(".st-key-pg_play button p").first.inner_text().strip()


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.evaluate("location.href")).query).items()}


def wait_for(predicate, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def canvas(frame, cid: str) -> np.ndarray:
    w, h, data = frame.evaluate(CANVAS_JS, cid)
    return np.array(data, dtype=np.uint8).reshape(h, w, 4)


def legend_texts(frame) -> list[str]:
    return frame.locator("#legend li").all_inner_texts()


def test_legend_names_every_mark_and_the_toggles_hide_legend_and_ticks(page, server_url):
    frame = open_view(page, server_url + "/?spread=3&optimum=1&weights=1")
    wait_for(lambda: len(legend_texts(frame)) >= 8, what="the legend's entries")
    text = " | ".join(legend_texts(frame))
    for entry in (
        "training point",
        "test point",
        "class centre",
        "−W(π − y)",
        "boundary now",
        "optimum's boundary",
        "w1…w3",
        "outside, at the edge",  # spread 3: points beyond the square are drawn at its edge
        "class 1 … 3",  # each class's marker shape in its colour (not colour alone)
    ):
        assert entry in text, (entry, text)
    title = frame.locator("#legend li[data-mark='classes']").get_attribute("title")
    assert "class 1 circle, class 2 square, class 3 diamond" in title, title
    # the six shapes (markers.js) have about one area and differ: drawn large on a canvas, each
    # pair of masks disagrees on a good share of the pixels
    areas, differ = frame.evaluate(
        """async () => {
          const { markerPath } = await import('./markers.js');
          const masks = [];
          for (let k = 0; k < 6; k++) {
            const c = document.createElement('canvas'); c.width = c.height = 200;
            const ctx = c.getContext('2d');
            markerPath(ctx, k, 100, 100, 40); ctx.fill();
            const d = ctx.getImageData(0, 0, 200, 200).data;
            masks.push(Array.from({length: 200 * 200}, (_, i) => d[4 * i + 3] > 127));
          }
          const area = m => m.filter(Boolean).length;
          const differ = [];
          for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++)
            differ.push(masks[i].filter((v, p) => v !== masks[j][p]).length / area(masks[i]));
          return [masks.map(m => area(m) / (Math.PI * 1600)), differ];
        }"""
    )
    assert all(0.9 < a < 1.15 for a in areas), areas
    assert min(differ) > 0.15, differ
    outside = int(re.search(r"(\d+) points? outside", text).group(1))
    assert outside > 0
    # every entry has its sample mark, painted (not blank)
    marks = frame.evaluate(
        """[...document.querySelectorAll('#legend canvas')].map(c => {
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let n = 0; for (let i = 3; i < d.length; i += 4) n += d[i] > 0; return n; })"""
    )
    assert len(marks) == len(legend_texts(frame)) and min(marks) > 3, marks

    page.get_by_role("tab", name="Show").click()
    page.get_by_text("Legend on the picture").click()
    expect(frame.locator("#legend")).to_be_hidden()
    wait_for(lambda: query(page).get("legend") == "0", what="legend=0 in the link")


def test_the_legend_moves_off_a_class_centre(page, server_url):
    """A centre in the top right, where the legend sits: the legend goes to a bottom corner
    and covers no handle; with the centres elsewhere it stays at the top right."""

    def overlaps(a, b, margin=0.0):
        return not (
            a["x"] + a["width"] + margin < b["x"]
            or b["x"] + b["width"] + margin < a["x"]
            or a["y"] + a["height"] + margin < b["y"]
            or b["y"] + b["height"] + margin < a["y"]
        )

    frame = open_view(page, server_url + "/?k=3&c=0,-3;-3,-3;3,-3&n=20")
    legend = frame.locator("#legend")
    expect(legend).to_be_visible()
    expect(legend).to_have_attribute("data-corner", "top-right")

    frame = open_view(page, server_url + "/?k=3&c=3.6,3.6;-3,-3;3,-3&n=20")
    legend = frame.locator("#legend")
    expect(legend).not_to_have_attribute("data-corner", "top-right")
    box = legend.bounding_box()
    for handle in frame.locator(".handle").all():
        assert not overlaps(box, handle.bounding_box()), legend.get_attribute("data-corner")


def test_axis_ticks_and_their_toggle(page, server_url):
    frame = open_view(page, server_url + "/?arrows=0")
    # tick marks and labels along the bottom edge of the overlay (few points come that low)
    bottom = canvas(frame, "overlay")[-30:, :, 3]
    ticked = int((bottom > 0).sum())
    assert ticked > 200, ticked
    page.get_by_role("tab", name="Show").click()
    page.get_by_text("Axis ticks").click()
    wait_for(lambda: query(page).get("ticks") == "0", what="ticks=0 in the link")
    left = []

    def gone() -> bool:
        left.append(int((canvas(frame, "overlay")[-30:, :, 3] > 0).sum()))
        return left[-1] < ticked / 2

    try:
        wait_for(gone, timeout=60, what="the tick labels gone from the bottom edge")
    except AssertionError as error:
        raise AssertionError(f"{error}: {ticked} pixels before, then {left[-3:]}") from None


def test_png_button_downloads_the_picture_as_seen(page, server_url, tmp_path):
    frame = open_view(page, server_url + "/?arrows=0")
    wait_for(lambda: len(legend_texts(frame)) >= 4, what="the legend")
    regions = canvas(frame, "regions")
    with page.expect_download() as info:
        frame.locator("#download").click()
    path = tmp_path / "picture.png"
    info.value.save_as(path)
    if SHOTS.is_dir():
        (SHOTS / "view_png_download.png").write_bytes(path.read_bytes())
    assert re.fullmatch(r"softmax-playground-step-\d+\.png", info.value.suggested_filename)
    png = np.array(Image.open(io.BytesIO(path.read_bytes())).convert("RGBA"))
    assert png.shape == regions.shape  # the canvas's own size
    scale = png.shape[1] / frame.evaluate("document.getElementById('main').clientWidth")

    def box(selector: str) -> tuple[slice, slice]:
        r = frame.evaluate(
            f"""(() => {{ const m = document.getElementById('main').getBoundingClientRect();
                 const r = document.querySelector('{selector}').getBoundingClientRect();
                 return [r.left - m.left, r.top - m.top, r.width, r.height]; }})()"""
        )
        x, y, w, h = (round(v * scale) for v in r)
        return slice(y, y + h), slice(x, x + w)

    def changed(area) -> float:
        """The share of pixels in ``area`` that differ from the regions alone."""
        diff = np.abs(png[area].astype(int) - regions[area].astype(int)).max(axis=2)
        return float((diff > 24).mean())

    legend = changed(box("#legend"))
    status = changed(box("#status"))
    ring = changed(box(".handle"))
    # their text (the pale boxes differ little from the pale regions); the regions alone: 0
    assert legend > 0.05 and status > 0.05, (legend, status)
    assert ring > 0.15, ring  # the centre's ring and its label
    # the legend's and the step line's text, not only their boxes: dark text pixels
    for area in (box("#legend"), box("#status")):
        assert (png[area][..., :3].max(axis=2) < 110).mean() > 0.02


def test_points_show_inside_the_centre_rings_at_spread_0_05(page, server_url):
    frame = open_view(page, server_url + "/?n=5&spread=0.05&arrows=0")
    colours = frame.evaluate(
        "[...document.querySelectorAll('.handle')].map(h => getComputedStyle(h).color)"
    )
    overlay = canvas(frame, "overlay")
    scale = overlay.shape[1] / frame.evaluate("document.getElementById('main').clientWidth")
    centres = frame.evaluate(
        "[...document.querySelectorAll('.handle')].map(h => [parseFloat(h.style.left), "
        "parseFloat(h.style.top)])"
    )
    for (cx, cy), colour in zip(centres, colours, strict=True):
        rgb = np.array([int(v) for v in re.findall(r"\d+", colour)[:3]])
        r = int(7 * scale)  # inside the ring's hole (ring radius 12 px, 5 px wide)
        x, y = round(cx * scale), round(cy * scale)
        hole = overlay[y - r : y + r, x - r : x + r]
        close = (np.abs(hole[..., :3].astype(int) - rgb).max(axis=2) < 40) & (hole[..., 3] > 200)
        assert close.sum() > 10, (colour, int(close.sum()))  # the class's points, visible
    # a click (no drag) on a ring selects the point under the pointer: the inspector opens
    box = frame.get_by_role("button", name="Centre of class 2").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.get_by_text(re.compile(r"Point \d+ \(class 2"))).to_be_visible()


def press_in_view(page, frame, key: str) -> None:
    """Type ``key`` with the focus inside the view's iframe; check that the view forwarded it
    (so a slow page answer is told apart from a key the view kept)."""
    frame.locator("#status").click()  # the focus is now inside the view's iframe
    assert frame.evaluate("document.hasFocus()")
    before = frame.evaluate("window.__pg.forwardedKeys || 0")
    page.keyboard.press(key)
    assert frame.evaluate("window.__pg.forwardedKeys || 0") == before + 1, key


def test_shortcuts_typed_inside_the_view_reach_the_page(page, server_url):
    frame = open_view(page, server_url + "/")
    press_in_view(page, frame, "Space")
    wait_for(lambda: play_label(page) == "Pause", what="Pause")
    first = step_of(frame)
    wait_for(lambda: step_of(frame) > first + 5, what="steps while playing")
    press_in_view(page, frame, "Space")
    wait_for(lambda: play_label(page) == "Play", timeout=60, what="Play")
    # The counter then stops. Under load the view may still play its queued frames after the
    # label flipped (main's known trail, see test_play_pause_browser.py): wait until it has
    # drawn them all and announced the pause (a timeout: it never stopped).
    stopped = wait_paused(frame, timeout=60_000)
    press_in_view(page, frame, "s")
    wait_for(lambda: step_of(frame) == stopped + 1, what="S: one step")
    press_in_view(page, frame, "ArrowRight")
    wait_for(lambda: step_of(frame) == stopped + 2, what="right arrow: one step")
    press_in_view(page, frame, "0")
    wait_for(lambda: step_of(frame) == 0, what="0: back to step 0")
    # on a centre handle the right arrow moves the centre, and does not step
    before = query(page)["c"]
    frame.get_by_role("button", name="Centre of class 1").press("ArrowRight")
    wait_for(lambda: query(page)["c"] != before, what="the centre moved")
    assert step_of(frame) == 0
    assert play_label(page) == "Play"


def test_presenter_mode_sizes_the_view_for_a_projector(browser, server_url):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        frame = open_view(page, server_url + "/?present=1")
        expect(frame.locator("body.present")).to_have_count(1)
        sizes = frame.evaluate(
            """['#readout-loss', '#readout-train', '#readout-test', '#step-counter']
                 .map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))"""
        )
        assert min(sizes) >= 20, sizes
        ring = frame.locator(".handle").first.bounding_box()
        assert ring["width"] >= 44, ring  # larger handles than the 34 px of the plain view
        # the curves' tick labels (plotly.js text in the view's SVG)
        frame.locator("#curves .ytick text").first.wait_for()
        ticks = frame.evaluate(
            "[...document.querySelectorAll('#curves .xtick text, #curves .ytick text')]"
            ".map(t => parseFloat(getComputedStyle(t).fontSize))"
        )
        assert ticks and min(ticks) >= 20, ticks
        readout = frame.locator("#readout").inner_text()
        assert re.search(r"acc train \d+\.\d%, test \d+\.\d%", readout), readout
    finally:
        context.close()


# Each y tick label of the curves: its text and its box in the view.
TICK_BOXES_JS = """() => [...document.querySelectorAll(
  '#curves .ytick text, #curves .y2tick text, #curves .y3tick text')].map((t) => {
  const r = t.getBoundingClientRect();
  return [t.textContent, r.left, r.top, r.right, r.bottom];
})"""


@pytest.mark.parametrize("viewport", [(1400, 900), (390, 844)], ids=["1400x900", "390x844"])
def test_log_scale_tick_labels_do_not_pile_up(browser, server_url, viewport):
    """The weight norm grows over three decades in a few seconds; its log axis (about 100 px
    tall at 1400 x 900) once labelled 1, 2 and 5 of each decade: nine labels on top of each
    other. No two tick labels of the curves may overlap."""
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        frame = open_view(page, server_url + "/?k=4&n=120&speed=5")
        page.locator(".st-key-pg_play button").click()
        frame.wait_for_function("() => +document.body.dataset.step > 150", timeout=TIMEOUT_MS)
        page.locator(".st-key-pg_play button").click()
        wait_paused(frame)
        # the curves' last redraw after the pause: their update count no longer moves
        counts = [frame.evaluate("window.__pg.curveUpdates")]
        while len(counts) < 2 or counts[-1] != counts[-2]:
            time.sleep(0.5)  # checking that nothing changes any more
            counts.append(frame.evaluate("window.__pg.curveUpdates"))
            assert len(counts) < 60, counts
        boxes = frame.evaluate(TICK_BOXES_JS)
        assert len(boxes) >= 4, boxes  # the loss and norm panels are labelled
        piled = [
            (a[0], b[0])
            for i, a in enumerate(boxes)
            for b in boxes[i + 1 :]
            if min(a[3], b[3]) - max(a[1], b[1]) > 1 and min(a[4], b[4]) - max(a[2], b[2]) > 1
        ]
        assert not piled, piled
    finally:
        context.close()
