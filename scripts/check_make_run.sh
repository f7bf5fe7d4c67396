#!/usr/bin/env bash
# Check the README's first command: `make run` sets up and serves the app.
# Starts it on a free port, waits for /_stcore/health, runs the landing page through the
# server (not only the health endpoint, which answers ok even when the script raises), stops.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$(mktemp)
make run PORT="$PORT" >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; pkill -f "streamlit run app.py --server.port $PORT" 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 240); do
  if python3 -c "import sys,urllib.request; sys.exit(urllib.request.urlopen(\"http://127.0.0.1:$PORT/_stcore/health\", timeout=2).read() != b\"ok\")" 2>/dev/null; then
    echo "make run: healthy on port $PORT"
    .venv/bin/python - "$PORT" <<'PY'
import sys, time
from playwright.sync_api import sync_playwright
sys.path.insert(0, "tests")
from browser_support import chromium, playground_frame
port = sys.argv[1]
with sync_playwright() as p, chromium(p) as browser:
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{port}/")
    frame = playground_frame(page)
    assert page.locator("[data-testid='stException']").count() == 0
    print("make run: the playground renders (", frame.locator("#step-counter").inner_text(), ")")
PY
    exit 0
  fi
  if ! kill -0 $PID 2>/dev/null; then cat "$LOG"; echo "make run exited" >&2; exit 1; fi
  sleep 0.5
done
cat "$LOG"; echo "make run: not healthy after 120 s" >&2; exit 1
