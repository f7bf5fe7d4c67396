"""Sessions do not leak into each other.

In a browser: two contexts (two users) against one server, with different centres and
settings, both playing; pausing or moving a centre in one changes nothing in the other.
Statically: no module the pages import keeps module-level mutable state that two sessions
could share, and no ``st.cache_*`` function takes session-specific inputs.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
import types
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from tests.browser_support import (
    chromium,
    chromium_path,
    playground_frame,
    streamlit_server,
    wait_paused,
)

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("playground", "softmax_core", "charts", "lessons")
TIMEOUT_MS = 45_000  # two pages playing and one server on a loaded 2-core machine
VIEWPORT = {"width": 1400, "height": 1000}

USER_A = "k=3&lr=2&speed=5&c=1,1;-1,1;0,-1.5"
USER_B = "k=4&lr=0.05&l2=0.01&speed=3&c=2,2;-2,2;-2,-2;2,-2"


# ------------------------------------------------------------------------------ browser
def url_params(page) -> dict[str, str]:
    # location.href, not page.url: the sync API's page.url is refreshed only while a call
    # pumps Playwright's events, so a polling loop of sleeps would read a stale address
    return {k: v[-1] for k, v in parse_qs(urlparse(page.evaluate("location.href")).query).items()}


def step(frame) -> int:
    return int(frame.evaluate("window.__pg.step"))


def handle_positions(frame) -> list[tuple[str, str]]:
    return frame.evaluate(
        "Array.from(document.querySelectorAll('#handles .handle'))"
        ".map(h => [h.style.left, h.style.top])"
    )


def wait_until(condition, timeout: float = 30.0, interval: float = 0.3):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def play_button(page):
    return page.locator(".st-key-pg_play button p")  # the label, not its shortcut hint


def press_play_button(page, then_shows: str) -> None:
    """Click Play/Pause once; the label must say ``then_shows`` (a lost click is a bug)."""
    from playwright.sync_api import expect

    play_button(page).click()
    expect(play_button(page)).to_have_text(then_shows, timeout=TIMEOUT_MS)


@pytest.mark.browser
@pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH")
def test_two_users_play_and_move_centres_independently():
    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    with (
        streamlit_server() as (url, _proc),
        sync_api.sync_playwright() as p,
        chromium(p) as browser,
    ):
        contexts = [browser.new_context(viewport=VIEWPORT) for _ in range(2)]
        try:
            page_a, page_b = (ctx.new_page() for ctx in contexts)
            logs: list[str] = []
            for name, page in (("A", page_a), ("B", page_b)):
                page.on("console", lambda m, n=name: logs.append(f"{n} {m.type}: {m.text}"))
                page.on("pageerror", lambda e, n=name: logs.append(f"{n} pageerror: {e}"))
            page_a.goto(f"{url}/?{USER_A}", timeout=TIMEOUT_MS)
            page_b.goto(f"{url}/?{USER_B}", timeout=TIMEOUT_MS)
            frame_a = playground_frame(page_a, timeout=TIMEOUT_MS)
            frame_b = playground_frame(page_b, timeout=TIMEOUT_MS)

            # each sees its own link: class count, centres, settings
            assert wait_until(lambda: url_params(page_a).get("k") == "3")
            assert wait_until(lambda: url_params(page_b).get("k") == "4")
            assert url_params(page_a)["c"] == "1,1;-1,1;0,-1.5"
            assert url_params(page_b)["c"] == "2,2;-2,2;-2,-2;2,-2"
            assert url_params(page_a)["lr"] == "2" and url_params(page_b)["lr"] == "0.05"
            assert len(handle_positions(frame_a)) == 3 and len(handle_positions(frame_b)) == 4

            for page in (page_a, page_b):
                press_play_button(page, "Pause")
            for frame in (frame_a, frame_b):
                frame.wait_for_function("() => window.__pg.step > 20", timeout=TIMEOUT_MS)
            # steps advance in multiples of each user's own speed
            assert step(frame_a) % 5 == 0 and step(frame_b) % 3 == 0

            # pausing A does not pause B
            press_play_button(page_a, "Play")
            a_paused = wait_paused(frame_a, timeout=TIMEOUT_MS)  # a timeout: A never stopped
            b_before = step(frame_b)
            assert wait_until(lambda: step(frame_b) > b_before + 10), "B stopped when A paused"
            assert step(frame_a) == a_paused
            expect(play_button(page_b)).to_have_text("Pause")

            # moving a centre in A changes A's link and nothing of B's
            b_url, b_handles = url_params(page_b), handle_positions(frame_b)
            handle = frame_a.get_by_role("button", name="Centre of class 1")
            handle.focus()
            messages = frame_a.evaluate("window.__pg.messages")
            handle.press("ArrowRight")  # +0.1 in the view at once, sent to the server 250 ms later
            frame_a.wait_for_function(
                f"() => window.__pg.messages > {messages}", timeout=TIMEOUT_MS
            )  # the server answered the move
            moved = wait_until(lambda: url_params(page_a)["c"].startswith("1.1,1;"))
            assert moved, (url_params(page_a)["c"], handle_positions(frame_a), logs)
            # time for any (wrong) echo to reach B: B's server sends it three more messages
            b_messages = frame_b.evaluate("window.__pg.messages")
            frame_b.wait_for_function(
                f"() => window.__pg.messages >= {b_messages + 3}", timeout=TIMEOUT_MS
            )
            assert url_params(page_b) == b_url
            assert handle_positions(frame_b) == b_handles
            b_now = step(frame_b)
            assert wait_until(lambda: step(frame_b) > b_now), "B stopped after A's move"
            assert step(frame_a) == a_paused, "A's move restarted A"
        finally:
            for ctx in contexts:
                ctx.close()


# ------------------------------------------------------------------------------ static
# Module-level names whose mutable values are constants by convention (never mutated after
# import) or hold no session data. Anything else mutable at module level fails the test.
ALLOWED_MUTABLE: dict[str, set[str]] = {
    "playground.controller": set(),
}


def modules():
    for package in PACKAGES:
        pkg = importlib.import_module(package)
        yield pkg
        for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}."):
            yield importlib.import_module(info.name)


def is_constant_name(name: str) -> bool:
    return name.isupper() or bool(re.fullmatch(r"_?[A-Z][A-Z0-9_]*", name))


def test_no_module_holds_mutable_state_that_sessions_could_share():
    offenders = []
    for module in modules():
        for name, value in vars(module).items():
            if name.startswith("__") or isinstance(value, types.ModuleType):
                continue
            mutable = isinstance(value, dict | list | set | bytearray | np.ndarray)
            if not mutable or is_constant_name(name):
                continue
            if name in ALLOWED_MUTABLE.get(module.__name__, set()):
                continue
            offenders.append(f"{module.__name__}.{name} ({type(value).__name__})")
    assert not offenders, f"module-level mutable state: {offenders}"


def test_all_caps_mutable_constants_are_not_mutated_by_a_session():
    """The ALL_CAPS dicts and lists are tables (choices, labels, presets): a session must not
    write to them. Snapshot them, run a few sessions through every preset, compare."""
    import copy

    from playground.presets import PRESETS, apply_preset
    from playground.session import PlaygroundSession
    from playground.settings import DEFAULTS

    tables = {}
    for module in modules():
        for name, value in vars(module).items():
            if is_constant_name(name) and isinstance(value, dict | list | set):
                tables[f"{module.__name__}.{name}"] = (value, copy.deepcopy(value))
    for preset in PRESETS:
        s = PlaygroundSession(apply_preset(DEFAULTS, preset).with_(n_per_class=20))
        s.advance(3)
        s.move_centre(0, 1.0, 1.0)
        s.apply(s.settings.with_(n_classes=4))
        s.advance(2)
    for name, (value, snapshot) in tables.items():
        assert value == snapshot, f"{name} was changed by a session"


def test_no_cache_decorator_takes_session_specific_inputs():
    """A cached function shares its results between sessions: fine for pure functions of
    constants, wrong for anything keyed by a user's settings, data or session."""
    sources = [
        p
        for folder in ("pages", "app_pages", *PACKAGES)
        for p in (ROOT / folder).rglob("*.py")
        if ".venv" not in p.parts
    ] + [ROOT / "app.py"]
    assert len(sources) > 20, "the page and package folders were not found"
    session_words = re.compile(r"session|settings|query_params|\bX\b|\by\b|centres|seed|Trainer")
    findings = []
    for path in sources:
        text = path.read_text()
        for match in re.finditer(
            r"@st\.cache_(data|resource)[^\n]*\n(?:@[^\n]*\n)*def ([^\n]*)", text
        ):
            signature = match.group(2)
            if session_words.search(signature):
                findings.append(f"{path.relative_to(ROOT)}: def {signature}")
        if re.search(r"st\.cache_(data|resource)\s*\(\s*\)\s*\(", text):
            findings.append(f"{path.relative_to(ROOT)}: st.cache_* applied inline")
    assert not findings, f"cached functions with session-specific inputs: {findings}"
