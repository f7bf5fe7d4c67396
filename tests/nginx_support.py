"""deploy/nginx.conf run for real in front of local replicas (tests and benchmarks).

``nginx_conf`` makes the deployment's config runnable here and changes nothing about how it
routes: the replica list (`server app:8501` becomes one `server` line per local replica), the
port it listens on, its file paths, the pinned-replica cookie's address filter widened to
127.0.0.1 on any port (in the deployment: private addresses on 8501), and one response header,
`X-Upstream`, naming the replica that answered. ``Nginx`` starts it, reloads it with another
replica list (gracefully, as `docker compose exec lb nginx -s reload`) and stops it.

Needs nginx: Debian's (`scripts/ensure_nginx.sh`, which `make test` runs).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.browser_support import ROOT

PIN_FILTER = r"(10\.[0-9]{1,3}|"  # the start of the sp_replica address filter


def nginx_binary() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        raise RuntimeError("nginx not found: run scripts/ensure_nginx.sh (Debian's nginx)")
    return found


def nginx_conf(replicas: list[str], port: int, prefix: Path, hash_only: bool = False) -> str:
    """deploy/nginx.conf for ``replicas`` ("host:port"), listening on 127.0.0.1:``port``,
    files under ``prefix``. ``hash_only``: route by the consistent hash alone, without the
    pinned-replica cookie (the config before 7 Dec: the baseline of bench_scale_up.py)."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "\n".join(f"        server {r} max_fails=3 fail_timeout=10s;" for r in replicas)
    conf, n = re.subn(r"^\s*server app:8501[^\n]*;", servers, conf, flags=re.M)
    assert n == 1, "deploy/nginx.conf no longer names `server app:8501`"
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{port};")
    conf = re.sub(r"^\s*listen \[::\]:80;\n", "", conf, flags=re.M)
    conf = conf.replace("/var/log/nginx/", f"{prefix}/")
    assert PIN_FILTER in conf and ":8501)$" in conf, "the sp_replica filter changed"
    conf = conf.replace(PIN_FILTER, r"(127\.0|" + PIN_FILTER[1:]).replace(":8501)$", ":[0-9]+)$")
    tag = "add_header Set-Cookie $route_cookie;"
    assert tag in conf
    conf = conf.replace(tag, tag + "\n        add_header X-Upstream $upstream_addr always;")
    if hash_only:
        assert "proxy_pass http://$replica;" in conf
        conf = conf.replace("proxy_pass http://$replica;", "proxy_pass http://streamlit;")
    # Debian's nginx keeps its temporary files under /var/lib/nginx: only root may write
    # there, so a developer's run (not root) gets its own
    temp = "".join(
        f"\n    {kind}_temp_path {prefix}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    assert conf.count("http {") == 1
    conf = conf.replace("http {", "http {" + temp, 1)
    head = f"pid {prefix}/nginx.pid;\n"
    if os.geteuid() == 0:  # its workers would run as nobody, who cannot write to ``prefix``
        head += "user root;\n"
    return head + conf


class Nginx:
    """nginx with deploy/nginx.conf (``nginx_conf``) in a temporary directory."""

    def __init__(self, replicas: list[str], port: int, hash_only: bool = False) -> None:
        self.binary = nginx_binary()
        self.port = port
        self.hash_only = hash_only
        self.base = f"http://127.0.0.1:{port}"
        self.prefix = Path(tempfile.mkdtemp(prefix="softmax-nginx-"))
        self.prefix.chmod(0o755)
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(nginx_conf(replicas, port, self.prefix, hash_only))
        self.running = False
        self.cmd = [
            self.binary,
            *("-p", str(self.prefix), "-c", str(self.conf), "-e", str(self.prefix / "err.log")),
        ]

    def test_config(self) -> subprocess.CompletedProcess:
        """`nginx -t` on the config: its verdict and messages (stderr)."""
        return subprocess.run([*self.cmd, "-t"], capture_output=True, text=True)

    def start(self) -> None:
        subprocess.run(self.cmd, check=True)
        self.running = True
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(self.base + "/lb-health", timeout=2) as r,
            ):
                if r.status == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"nginx did not answer:\n{self.error_log()}")

    def reload(self, replicas: list[str]) -> None:
        """A new replica list, read gracefully: open connections stay with the old workers."""
        self.conf.write_text(nginx_conf(replicas, self.port, self.prefix, self.hash_only))
        subprocess.run([*self.cmd, "-s", "reload"], check=True)
        time.sleep(0.5)  # the new workers take over

    def restart(self, replicas: list[str]) -> None:
        """Stop (closing every connection) and start again with ``replicas``: what
        `docker compose restart lb` does."""
        self._signal("stop")
        self.conf.write_text(nginx_conf(replicas, self.port, self.prefix, self.hash_only))
        self.start()

    def stop(self) -> None:
        self._signal("quit")
        shutil.rmtree(self.prefix, ignore_errors=True)

    def _signal(self, how: str) -> None:
        """`nginx -s how`, then wait (at most 10 s) until its pid file is gone."""
        if not self.running:
            return
        subprocess.run([*self.cmd, "-s", how], check=False, capture_output=True)
        deadline = time.monotonic() + 10
        while (self.prefix / "nginx.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.running = False

    def error_log(self) -> str:
        path = self.prefix / "err.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextlib.contextmanager
def running_nginx(replicas: list[str], port: int, hash_only: bool = False):
    lb = Nginx(replicas, port, hash_only)
    lb.start()
    try:
        yield lb
    finally:
        lb.stop()
