#!/usr/bin/env bash
# Make sure nginx is on this machine for tests/test_nginx_sticky.py (deploy/nginx.conf run for
# real in front of local replicas). Debian's package, installed without starting its service
# (scripts/apt_install.sh): the tests start their own nginx on a free port.
set -euo pipefail
for candidate in nginx /usr/sbin/nginx; do
  if command -v "$candidate" >/dev/null 2>&1; then
    echo "nginx: $(command -v "$candidate")"
    exit 0
  fi
done
bash "$(dirname "$0")/apt_install.sh" nginx
echo "nginx: $(command -v nginx || echo /usr/sbin/nginx)"
