"""The Export section in Chromium: each of the four download buttons, clicked as a person
would after playing, changing the learning rate mid-run and pausing, delivers a file, and each
file is what it says it is (the script replays the change and prints the app's loss).

Why a browser test: st.download_button(data=callable) runs the callable when the user clicks,
in a worker thread outside any script run. AppTest never calls it, and the export unit tests
call the builders directly, so a callable that read st.session_state failed only here
("Failed to generate file for download", 0 of 4 downloads).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest

from playground.export import load_model
from tests.browser_support import (
    chromium,
    chromium_path,
    playground_frame,
    server_log,
    streamlit_server,
)

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="no chromium on PATH"),
]

VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 45_000
QUERY = "k=3&lr=0.5&l2=0.001&speed=2&seed=7"
BUTTONS = {
    "model": ("Trained parameters (JSON)", "softmax-model.json"),
    "data": ("Data set (CSV)", "softmax-data.csv"),
    "history": ("Loss history (CSV)", "softmax-history.csv"),
    "script": ("Training script (Python, NumPy only)", "train.py"),
}


def download(page, label: str, tmp_path, name: str) -> str:
    button = page.get_by_role("button", name=label)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    dl = info.value
    assert dl.failure() is None, f"{label}: {dl.failure()}"
    target = tmp_path / name
    dl.save_as(target)
    return target.read_text()


def test_every_export_button_downloads_a_file_that_parses(tmp_path):
    with (
        streamlit_server() as (url, proc),
        playwright_sync.sync_playwright() as p,
        chromium(p) as browser,
    ):
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        page = context.new_page()
        page.goto(f"{url}/?{QUERY}", timeout=TIMEOUT_MS)
        frame = playground_frame(page, timeout=TIMEOUT_MS)
        play = page.locator(".st-key-pg_play button p")
        play.click()
        expect(play).to_have_text("Pause", timeout=TIMEOUT_MS)
        frame.wait_for_function("() => window.__pg.step >= 40", timeout=TIMEOUT_MS)
        # a setting changed mid-run: the exports must replay it (issue 14 item 5)
        lr = page.locator(".st-key-pg_lr input[type='range']").first
        lr.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Tab")  # a slider sends its value when it loses focus
        page.wait_for_function(
            "() => !new URLSearchParams(location.search).get('lr')?.startsWith('0.5')",
            timeout=TIMEOUT_MS,
        )
        changed_at = frame.evaluate("() => window.__pg.step")
        frame.wait_for_function(f"() => window.__pg.step >= {changed_at + 40}", timeout=TIMEOUT_MS)
        play.click()
        expect(play).to_have_text("Play", timeout=TIMEOUT_MS)
        # the view shows the paused state once its counter stops; read it after the downloads
        page.get_by_text("Export", exact=True).click()

        files = {}
        for kind, (label, name) in BUTTONS.items():
            try:
                files[kind] = download(page, label, tmp_path, name)
            except playwright_sync.TimeoutError:
                pytest.fail(f"{label}: no download. Server log:\n{server_log(proc)[-3000:]}")
        shown = int(re.sub(r"\D", "", frame.locator("#step-counter").inner_text()))
        context.close()

    doc = json.loads(files["model"])
    model = load_model(files["model"])
    assert doc["step"] == shown >= 40, (doc["step"], shown)
    assert model.W.shape == (2, 3) and len(model.class_names) == 3
    assert doc["settings"]["lr"] > 0.5 and doc["settings"]["l2"] == 0.001
    lrs = [seg["lr"] for seg in doc["timeline"]["segments"]]
    assert lrs[0] == 0.5 and lrs[-1] == doc["settings"]["lr"], lrs

    data = list(csv.reader(io.StringIO(files["data"])))
    assert data[0] == ["x1", "x2", "label"]
    assert len(data) - 1 == 3 * doc["settings"]["n_per_class"]
    assert all(len(row) == 3 and float(row[0]) == float(row[0]) for row in data[1:])

    history = list(csv.DictReader(io.StringIO(files["history"])))
    assert history and list(history[0])[:2] == ["step", "train_loss"]
    steps = [int(r["step"]) for r in history]
    assert steps == sorted(steps) and steps[-1] == doc["step"]
    assert float(history[-1]["train_loss"]) == pytest.approx(doc["train_loss"], abs=1e-12)
    assert float(history[0]["lr"]) == 0.5 and float(history[-1]["lr"]) == doc["settings"]["lr"]

    script = tmp_path / "train.py"
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    printed = float(re.search(r"final loss (\S+)", out).group(1))
    assert printed == pytest.approx(doc["train_loss"], abs=1e-9), out
