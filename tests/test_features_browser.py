"""Feature maps and curved data sets (issue 17) in a real browser: Chromium via Playwright.

The view evaluates phi per pixel: its painted regions must agree with the NumPy core's
predictions on phi(grid), its arrows with softmax_core.feature_maps.input_directions; the
feature pills in the sidebar retrain on phi(x); and the issue's contract: on the ring and on
XOR, 10 seconds of play without the helping feature stay at or below 80% training accuracy,
and with it reach at least 95%.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from softmax_core import predict, predict_proba
from softmax_core.feature_maps import FeatureMap, input_directions
from tests.browser_support import RECORD_FRAMES, chromium_path, playground_frame, wait_paused
from tests.test_playground_browser import (
    PIXELS_JS,
    TIMEOUT_MS,
    background,
    hex_rgb,
    nearest_class,
    toggle_play,
    wait_until,
)

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]

VIEWPORT = {"width": 1400, "height": 1000}
LO, HI = -5.0, 5.0
# The training accuracy the readout shows (in %) and the step, read together.
ACC_STEP_JS = """() => {
  const m = /acc train (\\d+\\.\\d)%/.exec(document.getElementById("readout").textContent);
  return { acc: m ? +m[1] : null, step: window.__pg.step };
}"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(RECORD_FRAMES)
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda err: pg.errors.append(str(err)))
    yield pg
    context.close()


def open_view(page, server_url: str, query: str):
    page.goto(f"{server_url}/?{query}", timeout=TIMEOUT_MS)
    return playground_frame(page, timeout=TIMEOUT_MS)


def shown_model(frame, step: int) -> tuple[np.ndarray, np.ndarray, FeatureMap]:
    params = frame.evaluate(f"window.__framesSeen && window.__framesSeen[{step}]")
    assert params, f"no frame for step {step} was received"
    spec = frame.evaluate("window.__phiSeen")
    assert spec, "the view received no feature map"
    fmap = FeatureMap(tuple(spec["tokens"]), np.array(spec["mean"]), np.array(spec["scale"]))
    return np.array(params["W"]), np.array(params["b"]), fmap


def accuracy_and_step(frame) -> tuple[float, int]:
    """The training accuracy on screen (in %) and the step it belongs to, in one read."""
    seen = frame.evaluate(ACC_STEP_JS)
    assert seen["acc"] is not None, frame.locator("#readout").inner_text()
    return seen["acc"], seen["step"]


@pytest.mark.parametrize(
    ("query", "k"),
    [
        ("k=4&spread=0.7&speed=5&opt=adam&lr=0.1&phi=x1sq,x1x2,sin2", 4),
        ("data=circle&k=2&speed=10&opt=adam&lr=0.5&phi=r2", 2),
    ],
    ids=["gauss-k4-three-features", "circle-r2"],
)
def test_painted_regions_agree_with_numpy_on_phi_of_the_grid(page, server_url, query, k):
    frame = open_view(page, server_url, query)
    toggle_play(page, "Pause")
    frame.wait_for_function("() => window.__pg.step > 200", timeout=40_000)
    toggle_play(page, "Play")
    step = wait_paused(frame, timeout=TIMEOUT_MS)
    W, b, fmap = shown_model(frame, step)
    assert W.shape == (fmap.n_features, k) and fmap.n_features > 2
    colours = frame.evaluate("window.__colorsSeen")

    # points well inside one region: the same class within 0.2, and a confident colour
    grid = np.linspace(-4.6, 4.6, 24)
    candidates = np.array([(x, y) for x in grid for y in grid])
    offsets = np.array([(dx, dy) for dx in (-0.2, 0, 0.2) for dy in (-0.2, 0, 0.2)])

    def classes(points):
        return predict(W, b, fmap.transform(points))

    stable = [
        len(set(classes(p + offsets).tolist())) == 1
        and predict_proba(W, b, fmap.transform(p[None]))[0].max() > 1 / k + 0.2
        for p in candidates
    ]
    chosen = candidates[np.array(stable)]
    chosen = chosen[np.random.default_rng(0).permutation(len(chosen))[:60]]
    assert len(chosen) >= 30, "too few points away from the boundaries"
    expected = classes(chosen)
    assert len(set(expected.tolist())) >= min(k, 3)
    fractions = [[(x - LO) / (HI - LO), (HI - y) / (HI - LO)] for x, y in chosen]
    pixels = frame.evaluate(PIXELS_JS, ["regions", fractions])
    bg = background(frame)
    got = [nearest_class(p, bg, k)[0] for p in pixels]
    mismatches = [
        (tuple(np.round(pt, 2)), int(e), g)
        for pt, e, g in zip(chosen, expected, got, strict=True)
        if e != g
    ]
    assert not mismatches, f"(point, NumPy class, painted class): {mismatches}"
    conf = predict_proba(W, b, fmap.transform(chosen)).max(axis=1)
    alpha = 0.1 + 0.55 * np.clip((conf - 1 / k) / (1 - 1 / k), 0, 1)
    want = bg + alpha[:, None] * (np.array([hex_rgb(colours[c]) for c in expected]) - bg)
    assert np.abs(np.array(pixels)[:, :3] - want).max() < 12

    # the arrows the view draws are -J_phi(x)^T W (pi - y), as the core computes them
    pts = np.array([[0.3, -1.2], [2.5, 2.0], [-3.9, 0.7], [1.0, -4.0]])
    labels = [0, 1, 1, 0]
    got_arrows = frame.evaluate(
        """async ([W, b, pts, labels]) => {
          const m = await import(new URL("features.js", document.baseURI).href);
          const map = m.currentMap(), D = map.D, K = b.length;
          const f = new Float64Array(D), z = new Float64Array(K), J = new Float64Array(2 * D);
          return pts.map((p, i) => m.inputArrow(map, W, b, p[0], p[1], labels[i], f, z, J, [0, 0]));
        }""",
        [W.tolist(), b.tolist(), pts.tolist(), labels],
    )
    pi = predict_proba(W, b, fmap.transform(pts))
    residual = pi - np.eye(k)[labels]
    want_arrows = input_directions(W, fmap, pts, residual)
    np.testing.assert_allclose(np.array(got_arrows), want_arrows, rtol=1e-9, atol=1e-12)
    # and the view says what the weight vectors show
    assert not page.errors


@pytest.mark.parametrize(
    ("data", "feature", "k"),
    [("circle", "r2", 2), ("xor", "x1x2", 2)],
)
def test_contract_ten_seconds_of_play_without_and_with_the_feature(
    page, server_url, data, feature, k
):
    """The issue's contract: without the feature <= 80% train acc after 10 s of play at
    speed 20 (adam, lr 0.5); with it >= 95%."""
    base = f"data={data}&k={k}&lr=0.5&opt=adam&speed=20"
    results = {}
    for phi in ("", f"&phi={feature}"):
        frame = open_view(page, server_url, base + phi)
        toggle_play(page, "Pause")
        started = wait_until(lambda f=frame: f.evaluate("window.__pg.step") > 0, timeout=30)
        assert started, "training did not start"
        t0 = time.monotonic()
        if phi:  # reaching 95% earlier is enough; 10 s is the limit
            seen = wait_until(
                lambda f=frame: (r := accuracy_and_step(f))[0] >= 95.0 and r,
                timeout=10,
                interval=0.25,
            )
            seen = seen or accuracy_and_step(frame)
        else:  # deliberately the whole 10 s: it must stay low however long it plays
            time.sleep(10)
            seen = accuracy_and_step(frame)
        elapsed = time.monotonic() - t0
        results[phi or "none"] = seen
        # no Pause click: the next page load ends this run (a Pause lost under load is
        # tests/test_play_pause_browser.py's subject, not this contract's)
        if phi:
            assert results[phi][0] >= 95.0 and elapsed <= 10.5, (results, elapsed)
        else:
            assert results["none"][0] <= 80.0, results
    print(f"{data}: (train acc %, step) after play: {results}")
    assert not page.errors


def test_feature_pills_retrain_on_phi_and_curved_data_has_no_handles(page, server_url):
    frame = open_view(page, server_url, "data=circle&k=2&speed=5")
    # no centre to drag, and the page says why in one line
    assert frame.locator("#handles button").count() == 0
    expect(page.get_by_text("No centres to drag")).to_be_visible(timeout=TIMEOUT_MS)
    assert frame.evaluate("window.__phiSeen") is None

    page.get_by_role("tab", name="Data").click()
    pill = page.get_by_role("button", name="r² = x1² + x2²")
    pill.click()

    def url_phi():
        query = parse_qs(urlparse(page.evaluate("location.href")).query)
        return query.get("phi", [""])[0]

    assert wait_until(lambda: url_phi() == "r2", timeout=20), url_phi()
    spec = wait_until(lambda: frame.evaluate("window.__phiSeen"), timeout=20)
    assert spec and spec["tokens"] == ["r2"]
    params = frame.evaluate("window.__framesSeen[window.__pg.step]")  # the frame on screen
    assert len(params["W"]) == 3  # x1, x2, r²
    expect(page.get_by_text("standardised with the training set's mean")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    # off again: back to the plain linear model
    page.get_by_role("button", name="r² = x1² + x2²").click()
    assert wait_until(lambda: url_phi() == "", timeout=20)
    assert wait_until(lambda: frame.evaluate("window.__phiSeen") is None, timeout=20)
    assert not page.errors


def test_add_points_mode_adds_and_removes_points_while_playing(page, server_url):
    """Click adds a point of the chosen class, Shift-click removes the nearest, the keyboard
    does both with a cursor; training goes on throughout."""
    frame = open_view(page, server_url, "data=circle&k=2&speed=2&phi=r2")
    n0 = len(wait_until(lambda: frame.evaluate("window.__pointsSeen"), timeout=20)) // 2
    toggle_play(page, "Pause")
    frame.get_by_role("button", name="Add points").click()
    frame.get_by_role("button", name="Class 2").click()
    main = frame.locator("#main").bounding_box()

    def at(x, y):  # page position of data point (x, y)
        s = main["width"] / (HI - LO)
        return main["x"] + (x - LO) * s, main["y"] + (HI - y) * s

    def points_when(n: int) -> np.ndarray:
        """The points the view was sent, once there are ``n`` of them (one read per poll)."""
        flat = wait_until(
            lambda: len(f := frame.evaluate("window.__pointsSeen") or []) == 2 * n and f
        )
        assert flat, f"{len(frame.evaluate('window.__pointsSeen') or []) // 2} points, not {n}"
        return np.array(flat).reshape(-1, 2)

    step0 = frame.evaluate("window.__pg.step")
    page.mouse.click(*at(0.5, 0.5))  # class 2 (the ring's class) in the middle of the disc
    pts = points_when(n0 + 1)
    assert np.abs(pts - [0.5, 0.5]).sum(axis=1).min() < 0.05
    page.keyboard.down("Shift")
    page.mouse.click(*at(0.52, 0.48))
    page.keyboard.up("Shift")
    pts = points_when(n0)
    assert np.abs(pts - [0.5, 0.5]).sum(axis=1).min() > 0.01  # that very point is gone

    # the keyboard: focus the plane; the cursor starts at the last click (0.52, 0.48):
    # five steps right and three down put it at (1.02, 0.18); Enter adds
    frame.locator("#overlay").focus()
    for key in ["ArrowRight"] * 5 + ["ArrowDown"] * 3:
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    pts = points_when(n0 + 1)
    assert np.abs(pts - [1.02, 0.18]).sum(axis=1).min() < 0.01
    page.keyboard.press("Delete")
    points_when(n0)
    # training never stopped
    expect(page.locator(".st-key-pg_play button p")).to_have_text("Pause")
    frame.wait_for_function(f"() => window.__pg.step > {step0 + 50}", timeout=20_000)
    assert not page.errors
