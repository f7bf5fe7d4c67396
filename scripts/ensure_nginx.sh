#!/usr/bin/env bash
# Make sure nginx is on this machine for tests/test_nginx_sticky.py (deploy/nginx.conf run for
# real in front of local replicas). Debian's package, installed without starting its service:
# the tests start their own nginx on a free port with a temporary prefix.
set -euo pipefail
for candidate in nginx /usr/sbin/nginx; do
  if command -v "$candidate" >/dev/null 2>&1; then
    echo "nginx: $(command -v "$candidate")"
    exit 0
  fi
done
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No nginx found and no apt-get to install it: install nginx (1.22 or later)." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
# Debian starts a service when its package is installed unless policy-rc.d says no; we do
# not want an nginx on port 80 left behind by the tests' setup.
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod +x "$POLICY"
  trap '$SUDO rm -f "$POLICY"' EXIT
fi
echo "Installing Debian's nginx for the load balancer tests..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
echo "nginx: $(command -v nginx || echo /usr/sbin/nginx)"
