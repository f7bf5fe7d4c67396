#!/usr/bin/env bash
# Check the README's first command: `make run` sets up and serves the app, on the port the
# README promises: `STREAMLIT_SERVER_PORT=<port> make run` and `make run PORT=<port>`.
# Each starts on a free port, waits for /_stcore/health on exactly that port, and the first
# also runs the landing page in Chromium (the health endpoint answers ok even when the script
# raises). VENV (default .venv) is passed to make; the Playwright check needs its dev packages.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
healthy() {
  python3 -c "import sys,urllib.request; sys.exit(urllib.request.urlopen(\"http://127.0.0.1:$1/_stcore/health\", timeout=2).read() != b\"ok\")" 2>/dev/null
}
LOG=$(mktemp)
PGID=""
stop() {
  # make and streamlit run in their own process group (setsid): stop exactly that group
  if [ -n "$PGID" ]; then kill -- "-$PGID" 2>/dev/null || true; wait "$PGID" 2>/dev/null || true; fi
  PGID=""
}
trap 'stop; rm -f "$LOG"' EXIT

# $1: the port, $2: how it is given ("env" or "var"), $3: also render the page in Chromium
serve_and_check() {
  local port=$1 how=$2 render=$3
  if [ "$how" = env ]; then
    STREAMLIT_SERVER_PORT=$port setsid make run VENV="$VENV" >"$LOG" 2>&1 &
  else
    env -u STREAMLIT_SERVER_PORT setsid make run VENV="$VENV" PORT="$port" >"$LOG" 2>&1 &
  fi
  PGID=$!
  for _ in $(seq 1 240); do
    if healthy "$port"; then
      echo "make run ($how): healthy on port $port"
      if [ "$render" = yes ]; then
        "$VENV/bin/python" - "$port" <<'PY'
import sys
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
      fi
      stop
      return 0
    fi
    if ! kill -0 "$PGID" 2>/dev/null; then cat "$LOG"; echo "make run exited" >&2; exit 1; fi
    sleep 0.5
  done
  cat "$LOG"; echo "make run ($how): not healthy on port $port after 120 s" >&2; exit 1
}

serve_and_check "$(free_port)" env yes
serve_and_check "$(free_port)" var no
