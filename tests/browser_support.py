"""Start `streamlit run` on a free loopback port and drive Debian's Chromium with Playwright.

Used by the browser tests and by benchmarks/. Never calls `playwright install`: the browser
is the system's `chromium` (or $CHROMIUM_PATH).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# An init script for a page's contexts: every render message's frames (W and b by step), the
# feature map, the points and the class colours the view was sent, recorded in the view's
# iframe before its own script runs, so a test can check the frame on screen against NumPy
# without any hook in the view.
RECORD_FRAMES = """
window.addEventListener("message", (e) => {
  const d = e.data;
  if (!d || d.type !== "streamlit:render" || !d.args || !d.args.frames) return;
  const seen = (window.__framesSeen = window.__framesSeen || {});
  for (const f of d.args.frames) seen[f.step] = { W: f.W, b: f.b };
  window.__phiSeen = d.args.phi;
  if (d.args.points) {
    const xy = Uint8Array.from(atob(d.args.points.xy), (c) => c.charCodeAt(0));
    window.__pointsSeen = Array.from(new Float32Array(xy.buffer));
    window.__labelsSeen = Array.from(atob(d.args.points.labels), (c) => c.charCodeAt(0));
  }
  window.__colorsSeen = d.args.colors;
});
"""
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "chromium", "chromium-browser"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    script: str = "app.py", extra_args: tuple[str, ...] = (), port: int | None = None
):
    """Yield the base URL of a running `streamlit run` server; stop it afterwards.
    ``port``: a given port (to restart a server where a page expects it), else a free one."""
    port = port or free_port()
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *extra_args,
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    proc.log_path = log.name  # what the server printed so far: server_log(proc)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"streamlit did not start:\n{log.read()[-3000:]}")
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        os.unlink(log.name)


def server_log(proc) -> str:
    """Everything a ``streamlit_server`` process has logged so far."""
    return Path(proc.log_path).read_text(errors="replace")


@contextlib.contextmanager
def chromium(playwright):
    """A headless Chromium browser from the system."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("no chromium on PATH: run scripts/ensure_chromium.sh")
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


def playground_frame(page, timeout: float = 30_000):
    """The playground view's iframe (a Frame), once its first frame is drawn."""
    page.wait_for_selector("iframe[title*='softmax_playground']", timeout=timeout)
    frame = page.frame_locator("iframe[title*='softmax_playground']")
    frame.locator("body[data-step]").wait_for(timeout=timeout)
    for f in page.frames:
        if "softmax_playground" in f.url:
            return f
    raise RuntimeError("playground iframe not found")


# Streamlit marks its app with the script's state and shows its status widget ("Running...")
# while a script run is in flight: neither means every rerun asked for so far has finished.
STREAMLIT_IDLE_JS = """() =>
  document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === "notRunning"
  && !document.querySelector('[data-testid="stStatusWidget"]')"""
# Styles have settled: no finite CSS transition or animation is running (an infinite one, a
# spinner, never ends), and a frame has been rendered since.
STYLES_SETTLED_JS = """() => document.getAnimations().every(
  (a) => a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity)"""

# The view has stopped: its live region announces the frame on screen with "Paused." once the
# server's last message said paused and every queued frame is drawn (a11y.js, every 250 ms).
# Returns the step then, read in the same call (a truthy object, also for step 0).
PAUSED_JS = """() => {
  const said = document.body.dataset.announced || "", step = window.__pg.step;
  return said.startsWith("Step " + step + ",") && said.endsWith("Paused.") && { step };
}"""


def wait_streamlit_idle(page, timeout: float = 30_000) -> None:
    """Wait until no script run is in flight (call it after the effect of an action is seen,
    so the run it started cannot still be on its way)."""
    page.wait_for_function(STREAMLIT_IDLE_JS, timeout=timeout)


def wait_paused(frame, timeout: float = 30_000) -> int:
    """Wait until the playground view has stopped after Pause; the step it shows."""
    return frame.wait_for_function(PAUSED_JS, timeout=timeout).json_value()["step"]


def wait_styles_settled(page, timeout: float = 30_000) -> None:
    """Wait until the page's CSS transitions and animations have finished and a frame has
    been drawn (what a screenshot or a colour or layout check needs)."""
    page.wait_for_function(STYLES_SETTLED_JS, timeout=timeout)
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
