"""The playground's remaining controls, used in Chromium as a person would (issue 14 item 1).

docs/browser-coverage.md listed these as "not yet": the Reset weights and New data buttons,
a CSV chosen through the file chooser (a bad one too), a point clicked with the mouse, the
three fixes offered after a divergence, the "Dismiss link notices" button, and the sidebar's
selects, number inputs and toggles. Each test clicks or types and checks what the person
would get: the counter, the URL, the points the view was sent, the messages on the page.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from tests.browser_support import RECORD_FRAMES, chromium_path, playground_frame

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]

VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 45_000  # a loaded 2-core machine


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(RECORD_FRAMES)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    pg.on("pageerror", lambda err: errors.append(str(err)))
    pg.errors = errors
    yield pg
    context.close()


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.evaluate("location.href")).query).items()}


def wait_query(page, key: str, predicate) -> str:
    """Wait until the URL's ``key`` satisfies ``predicate``; return its value."""
    for _ in range(int(TIMEOUT_MS / 100)):
        value = query(page).get(key)
        if predicate(value):
            return value
        page.wait_for_timeout(100)  # polling the URL: there is no event for it
    raise AssertionError(f"URL {key}={query(page).get(key)!r} never satisfied the condition")


def shown_step(frame) -> int:
    return int(re.search(r"\d+", frame.locator("#step-counter").inner_text()).group())


def points_seen(frame) -> list[float]:
    return frame.evaluate("window.__pointsSeen || []")


def play(page) -> None:
    label = page.locator(".st-key-pg_play button p")
    expect(label).to_have_text("Play", timeout=TIMEOUT_MS)
    page.locator(".st-key-pg_play button").click()
    expect(label).to_have_text("Pause", timeout=TIMEOUT_MS)


def pause(page) -> None:
    label = page.locator(".st-key-pg_play button p")
    page.locator(".st-key-pg_play button").click()
    expect(label).to_have_text("Play", timeout=TIMEOUT_MS)


def sidebar_tab(page, name: str) -> None:
    page.locator("[data-testid='stSidebar']").get_by_role("tab", name=name).click()


def choose(page, key: str, option: str) -> None:
    """Pick ``option`` in the select box with widget key ``key``, with the mouse."""
    page.locator(f".st-key-{key}").get_by_role("combobox").click()
    page.get_by_role("option", name=option, exact=True).click()


# ------------------------------------------------------------------------------ buttons
def test_reset_weights_and_new_data_buttons(page, server_url):
    page.goto(f"{server_url}/?k=3&seed=5&speed=2")
    frame = playground_frame(page, timeout=TIMEOUT_MS)
    play(page)
    frame.wait_for_function("() => window.__pg.step >= 20")
    pause(page)
    before = points_seen(frame)

    page.locator(".st-key-pg_reset button").click()
    frame.wait_for_function("() => window.__pg.step === 0")
    assert shown_step(frame) == 0
    assert query(page)["seed"] == "5"  # same data, fresh weights
    assert points_seen(frame) == before

    page.locator(".st-key-pg_new_data button").click()
    new_seed = wait_query(page, "seed", lambda v: v not in (None, "5"))
    frame.wait_for_function(
        "(old) => window.__pointsSeen && window.__pointsSeen.join() !== old",
        arg=",".join(str(v) for v in before),
    )
    assert shown_step(frame) == 0
    assert len(points_seen(frame)) == len(before)  # same count, new draw
    play(page)  # and it trains on the new data
    frame.wait_for_function("() => window.__pg.step >= 10")
    pause(page)
    assert query(page)["seed"] == new_seed
    assert not page.errors


# ------------------------------------------------------------------------------ upload
GOOD_CSV = "petal,sepal,kind\n" + "".join(
    f"{x:.3f},{y:.3f},{k}\n"
    for k, (cx, cy) in zip(("north", "south", "east"), ((0, 3), (0, -3), (3, 0)), strict=True)
    for x, y in np.random.default_rng(1).normal((cx, cy), 0.6, (20, 2))
)


def upload(page, path) -> None:
    """Choose ``path`` in the uploader through the file chooser, as a person does."""
    with page.expect_file_chooser() as chooser:
        page.locator("[data-testid='stFileUploader']").get_by_role(
            "button", name=re.compile("^(Browse files|Upload|Add files)$")
        ).click()
    chooser.value.set_files(str(path))


def test_csv_through_the_file_chooser_bad_file_then_good(page, server_url, tmp_path):
    page.goto(f"{server_url}/?k=4")
    frame = playground_frame(page, timeout=TIMEOUT_MS)
    sidebar_tab(page, "Data")
    choose(page, "pg_source", "Upload CSV")
    expect(page.get_by_text("Showing Gaussian classes until a file is read")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    gauss_points = points_seen(frame)
    assert len(gauss_points) > 0

    bad = tmp_path / "bad.csv"
    bad.write_text("name,label\nalpha,a\nbeta,b\n")  # no numeric feature column
    upload(page, bad)
    error = page.locator("[data-testid='stSidebar'] [data-testid='stAlertContentError']")
    expect(error).to_be_visible(timeout=TIMEOUT_MS)
    assert "bad.csv" in error.inner_text() or "numeric" in error.inner_text().lower()
    expect(page.get_by_text("Traceback")).to_have_count(0, timeout=TIMEOUT_MS)
    assert points_seen(frame) == gauss_points  # nothing the user had is lost

    good = tmp_path / "compass.csv"
    good.write_text(GOOD_CSV)
    upload(page, good)
    expect(error).to_have_count(0, timeout=TIMEOUT_MS)
    caption = page.get_by_text(re.compile(r"compass(\.csv)?: 60 rows, 2 features"))
    expect(caption).to_be_visible(timeout=TIMEOUT_MS)
    assert all(name in caption.inner_text() for name in ("north", "south", "east"))
    frame.wait_for_function("() => (window.__pointsSeen || []).length === 2 * 60")
    assert frame.evaluate("window.__colorsSeen.length") == 3
    assert frame.locator(".handle").count() == 3  # one draggable mean per class
    play(page)
    frame.wait_for_function("() => window.__pg.step >= 10")
    pause(page)
    assert not page.errors


# ------------------------------------------------------------------------------ a point
def test_clicking_a_point_with_the_mouse_opens_its_inspector(page, server_url):
    page.goto(f"{server_url}/?k=3&seed=3&spread=0.8&arrows=0&legend=0")
    frame = playground_frame(page, timeout=TIMEOUT_MS)
    frame.wait_for_function("() => (window.__labelsSeen || []).length > 0")
    xy = np.array(points_seen(frame)).reshape(-1, 2)
    labels = np.array(frame.evaluate("window.__labelsSeen"))
    centres = np.array(
        frame.evaluate(
            "[...document.querySelectorAll('.handle')].map(h => [parseFloat(h.style.left), "
            "parseFloat(h.style.top)])"
        )
    )
    box = frame.locator("#main").bounding_box()
    width = frame.evaluate("document.getElementById('main').clientWidth")
    px = (xy[:, 0] + 5) / 10 * width  # the view's square [-5, 5]^2, y up
    py = (5 - xy[:, 1]) / 10 * width
    # a point well away from every handle and every other point, inside the picture
    d_handles = np.min(np.hypot(px[:, None] - centres[:, 0], py[:, None] - centres[:, 1]), axis=1)
    gaps = np.hypot(px[:, None] - px[None], py[:, None] - py[None])
    np.fill_diagonal(gaps, np.inf)
    ok = (d_handles > 40) & (gaps.min(axis=1) > 12) & (px > 30) & (px < width - 30)
    ok &= (py > 30) & (py < width - 30)
    assert ok.any(), "no isolated point to click"
    i = int(np.flatnonzero(ok)[0])
    page.mouse.click(
        box["x"] + px[i] * box["width"] / width, box["y"] + py[i] * box["width"] / width
    )
    inspector = page.get_by_text(re.compile(rf"Point {i} \(class {labels[i] + 1}"))
    expect(inspector).to_be_visible(timeout=TIMEOUT_MS)
    assert not page.errors


# ------------------------------------------------------------------------------ divergence
def test_the_three_fixes_after_a_divergence(page, server_url):
    """lr x L2 = 6: each step multiplies W by 1 - 6 = -5. Halve (lr 10: still x -2),
    Restore best weights (same lr, diverges again), then the offered lr below 2/L trains."""
    page.goto(f"{server_url}/?lr=20&l2=0.3&speed=1")
    frame = playground_frame(page, timeout=TIMEOUT_MS)
    alert = page.locator("[data-testid='stAlertContentError']", has_text="diverged")

    page.locator(".st-key-pg_play button").click()
    expect(alert).to_have_count(1, timeout=60_000)
    expect(page.locator(".st-key-pg_play button p")).to_have_text(
        "Play", timeout=TIMEOUT_MS
    )  # stopped itself
    page.get_by_role("button", name="Halve learning rate and restore").click()
    expect(alert).to_have_count(0, timeout=TIMEOUT_MS)
    assert wait_query(page, "lr", lambda v: v == "10") == "10"

    page.locator(".st-key-pg_play button").click()
    expect(alert).to_have_count(1, timeout=60_000)
    page.get_by_role("button", name="Restore best weights").click()
    expect(alert).to_have_count(0, timeout=TIMEOUT_MS)
    assert query(page)["lr"] == "10"

    page.locator(".st-key-pg_play button").click()
    expect(alert).to_have_count(1, timeout=60_000)
    fix = page.locator(".st-key-pg_fix_lr button")
    offered = float(re.search(r"lr = ([\d.e-]+)", fix.inner_text()).group(1))
    fix.click()
    expect(alert).to_have_count(0, timeout=TIMEOUT_MS)
    wait_query(page, "lr", lambda v: v is not None and float(v) == offered)
    assert offered < 10
    play(page)
    start = shown_step(frame)
    frame.wait_for_function(f"() => window.__pg.step >= {start + 100}", timeout=60_000)
    pause(page)
    expect(alert).to_have_count(0, timeout=TIMEOUT_MS)  # it trains now
    assert not page.errors


# ------------------------------------------------------------------------------ notices
def test_dismiss_link_notices(page, server_url):
    page.goto(f"{server_url}/?k=99&lr=fast&spread=-1")
    playground_frame(page, timeout=TIMEOUT_MS)
    warnings = page.locator("[data-testid='stMain'] [data-testid='stAlertContentWarning']")
    expect(warnings.first).to_be_visible(timeout=TIMEOUT_MS)
    assert warnings.count() >= 1
    page.get_by_role("button", name="Dismiss link notices").click()
    expect(warnings).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name="Dismiss link notices")).to_have_count(
        0, timeout=TIMEOUT_MS
    )
    play(page)  # the page still works
    pause(page)
    assert not page.errors


# ------------------------------------------------------------------------------ sidebar
def test_sidebar_select_number_input_and_toggle(page, server_url):
    page.goto(f"{server_url}/?k=3&seed=4")
    frame = playground_frame(page, timeout=TIMEOUT_MS)

    choose(page, "pg_optimizer", "Adam")
    wait_query(page, "opt", lambda v: v == "adam")
    batch = page.locator(".st-key-pg_batch_size input")
    batch.fill("16")
    batch.press("Enter")
    wait_query(page, "batch", lambda v: v == "16")

    sidebar_tab(page, "Data")
    before = points_seen(frame)
    seed = page.locator(".st-key-pg_seed input")
    seed.fill("11")
    seed.press("Enter")
    wait_query(page, "seed", lambda v: v == "11")
    frame.wait_for_function(
        "(old) => (window.__pointsSeen || []).join() !== old",
        arg=",".join(str(v) for v in before),
    )

    sidebar_tab(page, "Show")
    page.locator(".st-key-pg_show_optimum").get_by_text("Optimum boundary (dashed)").click()
    wait_query(page, "optimum", lambda v: v == "1")
    play(page)  # Adam with batches of 16 trains
    frame.wait_for_function("() => window.__pg.step >= 10")
    pause(page)
    assert not page.errors
