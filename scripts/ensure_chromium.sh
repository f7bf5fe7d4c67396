#!/usr/bin/env bash
# Make sure a Chromium for the browser tests is on this machine.
# Playwright's own browser download does not work offline, so the tests drive
# Debian's `chromium` (found via $CHROMIUM_PATH, `chromium` or `chromium-browser`).
set -euo pipefail
for candidate in "${CHROMIUM_PATH:-}" chromium chromium-browser; do
  if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1; then
    echo "chromium: $(command -v "$candidate")"
    exit 0
  fi
done
bash "$(dirname "$0")/apt_install.sh" chromium
echo "chromium: $(command -v chromium)"
