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
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No chromium found and no apt-get to install it: install Chromium and set CHROMIUM_PATH." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "Installing Debian's chromium for the browser tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
echo "chromium: $(command -v chromium)"
