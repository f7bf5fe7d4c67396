"""The playground's loss / accuracy / ||W|| curves in a real browser: a plotly.js figure served
from the component's own folder (the copy the plotly Python package ships), whose hover label
shows the step and the value the server sent, and whose modebar downloads a PNG. Nothing is
fetched from anywhere but the local server.
"""

from __future__ import annotations

import re
import struct
from urllib.parse import urlparse

import pytest

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
# The page position of the train cross-entropy point at index i of the plotted trace.
POINT_JS = """(i) => {
  const gd = document.getElementById("curves");
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const x = gd.data[0].x[i], y = gd.data[0].y[i];
  return { step: x, px: xa._offset + xa.d2p(x), py: ya._offset + ya.d2p(y),
           n: gd.data[0].x.length };
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
        frame.wait_for_function(
            "() => { const gd = document.getElementById('curves');"
            " return gd.data && gd.data[0].x.length > 50"
            " && gd.data[0].x[gd.data[0].x.length - 1] === window.__pg.step; }",
            timeout=TIMEOUT_MS,
        )
        yield page, frame, urls
        context.close()


def toggle_play(page, expected: str) -> None:
    """Click Play/Pause until it reads ``expected`` (under load a click was seen to be lost,
    as in test_playground_browser.toggle_play)."""
    button = page.locator(".st-key-pg_play button p")
    button.click()
    try:
        expect(button).to_have_text(expected, timeout=12_000)
    except AssertionError:
        button.click()
        expect(button).to_have_text(expected, timeout=TIMEOUT_MS)


def curves_origin(frame) -> tuple[float, float]:
    box = frame.locator("#curves").bounding_box()
    return box["x"], box["y"]


def test_hover_shows_the_step_and_the_value_the_server_sent(session):
    page, frame, _ = session
    expect(frame.locator("#curves .main-svg").first).to_be_visible()
    n = frame.evaluate(POINT_JS, 0)["n"]
    ox, oy = curves_origin(frame)
    checked = 0
    for i in (n // 3, (2 * n) // 3):
        point = frame.evaluate(POINT_JS, i)
        page.mouse.move(ox + point["px"] - 30, oy + point["py"] - 30)
        page.mouse.move(ox + point["px"], oy + point["py"], steps=4)
        label = frame.locator("#curves .hoverlayer .hovertext").first
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


def test_modebar_downloads_the_curves_as_png(session):
    page, frame, _ = session
    box = frame.locator("#curves").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 40)
    button = frame.get_by_role("button", name=re.compile("Download plot as a png", re.I))
    expect(button).to_be_visible(timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".png")
    with open(download.path(), "rb") as f:
        data = f.read()
    width, height = png_size(data)
    # toImageButtonOptions scale 2: twice the plot's CSS size
    assert (width, height) == (round(2 * box["width"]), round(2 * box["height"]))


def test_plotly_is_served_by_the_app_and_nothing_leaves_the_host(session):
    _, frame, urls = session
    assert frame.evaluate("typeof window.Plotly.react") == "function"
    plotly = [u for u in urls if urlparse(u).path.endswith("/plotly.min.js")]
    assert plotly, "plotly.min.js was never requested"
    assert all("softmax_playground" in urlparse(u).path for u in plotly), plotly
    remote = [
        u
        for u in urls
        if urlparse(u).scheme not in ("data", "blob", "about")
        and urlparse(u).hostname not in ("127.0.0.1", "localhost")
    ]
    assert not remote, remote
