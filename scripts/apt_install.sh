#!/usr/bin/env bash
# Install Debian packages for the tests: `bash scripts/apt_install.sh PACKAGE...`.
# As root, or through sudo. A package's service is not started (a temporary policy-rc.d
# says no, unless the machine has its own): the tests start what they need themselves.
set -euo pipefail
if ! command -v apt-get >/dev/null 2>&1; then
  echo "no apt-get here: install $* yourself" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod +x "$POLICY"
  trap '$SUDO rm -f "$POLICY"' EXIT
fi
echo "Installing Debian's $* for the tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
