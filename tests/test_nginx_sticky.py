"""deploy/nginx.conf, run by a real nginx in front of stand-in replicas: does it keep every
browser on its replica when the replica list changes, and move it when its replica dies?

The replicas here are plain HTTP servers that answer with their own address: what is tested
is nginx's routing, not Streamlit (benchmarks/bench_scale_up.py does the same with Streamlit
replicas and students over the websocket protocol).
"""

from __future__ import annotations

import http.server
import re
import threading
import time
from http.cookies import SimpleCookie

import pytest
import requests

from tests.browser_support import ROOT, free_port
from tests.nginx_support import Nginx, running_nginx


class Replica:
    """An HTTP server on 127.0.0.1 that answers every GET with its own "host:port"."""

    def __init__(self) -> None:
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = outer.address.encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def replicas():
    made: list[Replica] = []

    def make(n: int) -> list[Replica]:
        new = [Replica() for _ in range(n)]
        made.extend(new)
        return new

    yield make
    for r in made:
        r.stop()


def browsers(base: str, n: int) -> list[tuple[requests.Session, str]]:
    """``n`` fresh browsers' first visits: each one's cookie jar and the replica it got."""
    out = []
    for _ in range(n):
        session = requests.Session()
        r = session.get(base + "/", timeout=10)
        assert r.status_code == 200
        out.append((session, r.text))
    return out


def set_cookies(response: requests.Response) -> dict[str, str]:
    jar = SimpleCookie()
    for value in response.raw.headers.getlist("Set-Cookie"):
        jar.load(value)
    return {k: m.value for k, m in jar.items()}


def test_the_config_passes_nginx_t(replicas):
    lb = Nginx([r.address for r in replicas(2)], free_port())
    try:
        result = lb.test_config()
        assert result.returncode == 0, result.stderr
    finally:
        lb.stop()


def test_a_first_visit_is_pinned_to_the_replica_that_answered(replicas):
    group = replicas(3)
    with running_nginx([r.address for r in group], free_port()) as lb:
        session = requests.Session()
        first = session.get(lb.base + "/", timeout=10)
        cookies = set_cookies(first)
        assert cookies["sp_replica"] == first.text  # the address that answered
        assert cookies["sp_route"]  # the random key of the fallback hash
        for _ in range(20):
            again = session.get(lb.base + "/", timeout=10)
            assert again.text == first.text
            assert "sp_replica" not in set_cookies(again)  # given once, not on every response
        spread = {text for _, text in browsers(lb.base, 24)}
        assert len(spread) == 3  # 24 fresh browsers reach all three replicas


def test_adding_a_replica_moves_no_one_while_the_hash_alone_moves_some(replicas):
    group = replicas(3)
    for hash_only in (False, True):
        with running_nginx([r.address for r in group[:2]], free_port(), hash_only) as lb:
            visits = browsers(lb.base, 30)
            lb.reload([r.address for r in group])  # a third replica
            moved = sum(s.get(lb.base + "/", timeout=10).text != home for s, home in visits)
            newcomers = {text for _, text in browsers(lb.base, 24)}
        if hash_only:
            # about a third of the keys hash to the new replica (no move: p = (2/3)^30)
            assert moved > 0
        else:
            assert moved == 0
            assert group[2].address in newcomers  # new students do reach the new replica


def test_a_browser_whose_replica_died_moves_at_once_and_stays(replicas):
    group = replicas(3)
    with running_nginx([r.address for r in group], free_port()) as lb:
        visits = browsers(lb.base, 12)
        session, home = next((s, h) for s, h in visits if h == group[0].address)
        group[0].stop()
        t0 = time.monotonic()
        r = session.get(lb.base + "/", timeout=10)
        took = time.monotonic() - t0
        assert r.status_code == 200 and r.text != home
        assert took < 3.5  # proxy_connect_timeout 3s at most; refused at once here
        assert set_cookies(r)["sp_replica"] == r.text  # re-pinned to the new replica
        assert all(session.get(lb.base + "/", timeout=10).text == r.text for _ in range(10))
        others = [(s, h) for s, h in visits if h != home]
        assert all(s.get(lb.base + "/", timeout=10).text == h for s, h in others)


def test_a_hand_made_cookie_cannot_send_nginx_elsewhere(replicas):
    """Only addresses that pass the filter are followed; anything else is routed as a first
    visit (the filter in the deployment: private IPv4 on port 8501)."""
    group = replicas(2)
    with running_nginx([r.address for r in group], free_port()) as lb:
        for value in ("203.0.113.9:8501", "example.org:80", "127.0.0.1", "[::1]:8501"):
            t0 = time.monotonic()
            r = requests.get(lb.base + "/", cookies={"sp_replica": value}, timeout=10)
            assert r.status_code == 200 and r.text in {g.address for g in group}, value
            assert time.monotonic() - t0 < 1.0, value  # not a connection attempt elsewhere
            assert set_cookies(r)["sp_replica"] == r.text


def test_the_deployed_filter_takes_only_private_addresses_on_the_app_port():
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    found = re.search(r'map \$cookie_sp_replica \$replica \{\s*"~([^"]+)"', conf).group(1)
    pattern = found.replace("(?<", "(?P<")  # PCRE's named group, in Python's spelling
    ok = ("10.0.0.7:8501", "172.18.0.3:8501", "192.168.5.20:8501", "172.31.255.1:8501")
    bad = ("172.15.0.3:8501", "172.32.0.3:8501", "8.8.8.8:8501", "10.0.0.7:22", "127.0.0.1:8501")
    assert all(re.fullmatch(pattern, v) for v in ok)
    assert not any(re.fullmatch(pattern, v) for v in bad)
