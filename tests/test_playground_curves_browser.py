"""The playground's loss / accuracy / ||W|| curves in a real browser: three panels drawn on a
canvas by the view's linechart.js, whose hover label shows the step and the value the server
sent, and whose PNG button downloads the picture at twice its size. No chart library is
loaded (plotly.js blocked the page's main thread for seconds: issue 14), and nothing is
fetched from anywhere but the local server.
"""

from __future__ import annotations

import io
import re
import struct
from urllib.parse import urlparse

import pytest
from PIL import Image

from tests.browser_support import chromium, chromium_path, playground_frame, streamlit_server

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]

VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 30_000

# The metrics of every step the server sent (frames and history), recorded in the iframe
# before the view's own code runs: the oracle for the hover label.
RECORD_METRICS = """
window.addEventListener("message", (e) => {
  const d = e.data;
  if (!d || d.type !== "streamlit:render" || !d.args) return;
  const seen = (window.__metricsSeen = window.__metricsSeen || {});
  for (const f of d.args.frames || []) seen[f.step] = f;
  const h = d.args.history;
  if (h) h.step.forEach((s, i) => {
    seen[s] = seen[s] || { train_ce: h.train_ce[i], test_ce: h.test_ce[i],
      l2_term: h.l2_term[i], w_norm: h.w_norm[i] };
  });
});
"""
# Hover label name -> how to get that value from a step's metrics.
HOVER_NAMES = {
    "train cross-entropy": lambda m: m["train_ce"],
    "test cross-entropy": lambda m: m["test_ce"],
    "L2 term (l2/2)‖W‖²": lambda m: m["l2_term"],
    "train CE + L2 term": lambda m: m["train_ce"] + m["l2_term"],
    "‖W‖": lambda m: m["w_norm"],
}
# The canvas position of the train cross-entropy point at index i of the drawn series.
POINT_JS = """(i) => document.querySelector("#curves .linechart").__chart.pixel(0, 0, i)"""
DRAWN_UP_TO_STEP_JS = """() => {
  const c = document.querySelector("#curves .linechart").__chart;
  if (!c.spec) return false;
  const x = c.spec.panels[0].series[0].x;
  return x.length > 50 && x[x.length - 1] === window.__pg.step;
}"""


@pytest.fixture(scope="module")
def session():
    """One server and one page that played about a hundred steps, then paused."""
    with (
        streamlit_server() as (url, _proc),
        playwright_sync.sync_playwright() as p,
        chromium(p) as browser,
    ):
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        context.add_init_script(RECORD_METRICS)
        urls: list[str] = []
        context.on("request", lambda req: urls.append(req.url))
        page = context.new_page()
        page.on("websocket", lambda ws: urls.append(ws.url))
        page.goto(f"{url}/?speed=1&log=1", timeout=TIMEOUT_MS)
        frame = playground_frame(page, timeout=TIMEOUT_MS)
        toggle_play(page, "Pause")
        frame.wait_for_function("() => window.__pg.step > 100", timeout=60_000)
        toggle_play(page, "Play")
        frame.wait_for_function(DRAWN_UP_TO_STEP_JS, timeout=TIMEOUT_MS)
        yield page, frame, urls
        context.close()


def toggle_play(page, expected: str) -> None:
    """Click Play/Pause once; it must then read ``expected``."""
    button = page.locator(".st-key-pg_play button p")
    button.click()
    expect(button).to_have_text(expected, timeout=TIMEOUT_MS)


def curves_origin(frame) -> tuple[float, float]:
    box = frame.locator("#curves canvas").bounding_box()
    return box["x"], box["y"]


def test_hover_shows_the_step_and_the_value_the_server_sent(session):
    page, frame, _ = session
    expect(frame.locator("#curves canvas")).to_be_visible()
    n = frame.evaluate(POINT_JS, 0)["n"]
    ox, oy = curves_origin(frame)
    checked = 0
    for i in (n // 3, (2 * n) // 3):
        point = frame.evaluate(POINT_JS, i)
        page.mouse.move(ox + point["px"] - 30, oy + point["py"] - 30)
        page.mouse.move(ox + point["px"], oy + point["py"], steps=4)
        label = frame.locator("#curves .linechart-tip")
        expect(label).to_be_visible(timeout=TIMEOUT_MS)
        text = label.text_content()
        match = re.search(r"step (\d+)\s*(.+?): ([-+0-9.e]+)$", text)
        assert match, f"hover label {text!r}"
        step, name, value = int(match[1]), match[2], float(match[3])
        # "closest" may pick another trace's point nearby (train and test CE run close
        # together on a flat stretch), so the step is checked against the data, not the mouse
        assert 0 <= step <= frame.evaluate("window.__pg.step"), (text, point)
        metrics = frame.evaluate(f"window.__metricsSeen[{step}]")
        assert metrics, f"the server never sent step {step}"
        expected = HOVER_NAMES[name](metrics)
        assert value == pytest.approx(expected, rel=1e-3), (text, metrics)
        checked += 1
    assert checked == 2


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:16]
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_button_downloads_the_curves_at_twice_their_size(session):
    page, frame, _ = session
    box = frame.locator("#curves canvas").bounding_box()
    button = frame.get_by_role("button", name="Download the curves as PNG")
    expect(button).to_be_visible(timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "softmax-playground-curves.png"
    with open(download.path(), "rb") as f:
        data = f.read()
    assert png_size(data) == (round(2 * box["width"]), round(2 * box["height"]))
    # a picture, not a blank: the three panels' lines in the class colours and the labels
    image = Image.open(io.BytesIO(data)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50, len(colours)
    hexes = frame.evaluate(
        "document.querySelector('#curves .linechart').__chart.spec.panels"
        ".flatMap(p => p.series.map(s => s.color))"
    )
    curve_colours = {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in hexes}
    present = {rgb for _, rgb in (colours or [])}
    assert curve_colours & present, (curve_colours, len(present))


def test_no_chart_library_is_loaded_and_nothing_leaves_the_host(session):
    _, frame, urls = session
    assert frame.evaluate("typeof window.Plotly") == "undefined"
    assert not [u for u in urls if "plotly" in urlparse(u).path.lower()], urls
    remote = [
        u
        for u in urls
        if urlparse(u).scheme not in ("data", "blob", "about")
        and urlparse(u).hostname not in ("127.0.0.1", "localhost")
    ]
    assert not remote, remote
