"""Server hardening: the settings in .streamlit/config.toml, and no file read outside the
served folders over plain HTTP (path traversal, encoded traversal, directory listing)."""

from __future__ import annotations

import http.client
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser_support import streamlit_server

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"
COMPONENT = "/component/playground.component.softmax_playground"
# Strings that appear in the files a traversal would try to read, never in a served page.
SECRETS = (b"[tool.ruff]", b"softmax-playground", b"declare_component", b"root:x:0:0")


@pytest.fixture(scope="module")
def config() -> dict:
    if not CONFIG.exists():
        pytest.skip(".streamlit/config.toml is not written yet (it is another task's file)")
    return tomllib.loads(CONFIG.read_text())


def test_xsrf_protection_is_on(config):
    server = config.get("server", {})
    assert server.get("enableXsrfProtection", True) is True
    # Streamlit turns CORS back on when XSRF is on; a stated CORS off would be misleading
    assert server.get("enableCORS", True) is True


def test_an_upload_limit_is_set(config):
    limit = config.get("server", {}).get("maxUploadSize")
    assert isinstance(limit, int) and 1 <= limit <= 200, limit


def test_usage_statistics_are_off(config):
    assert config.get("browser", {}).get("gatherUsageStats") is False


def test_no_static_file_serving(config):
    assert config.get("server", {}).get("enableStaticServing", False) is False


# ------------------------------------------------------------------------------ HTTP
def run_script_once(url: str) -> None:
    """One Streamlit session over the websocket (no browser): running the app registers the
    playground's component, so its file route is live for the traversal checks."""
    websockets_sync = pytest.importorskip("websockets.sync.client")
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    u = urlparse(url)
    with websockets_sync.connect(
        f"ws://{u.hostname}:{u.port}/_stcore/stream",
        subprotocols=["streamlit"],
        origin=url,
        open_timeout=60,
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        ws.send(msg.SerializeToString())
        for _ in range(1000):
            forward = ForwardMsg()
            forward.ParseFromString(ws.recv(timeout=60))
            if forward.WhichOneof("type") == "script_finished":
                return
    raise AssertionError("the app's first run did not finish")


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as (url, _proc):
        run_script_once(url)
        u = urlparse(url)
        yield u.hostname, u.port


def get(server, path: str) -> tuple[int, bytes]:
    """GET ``path`` exactly as written (no client-side normalisation of '..')."""
    conn = http.client.HTTPConnection(*server, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_the_component_route_is_live(server):
    # the positive control: without it, every 4xx below could just mean "no such route"
    status, body = get(server, f"{COMPONENT}/index.html")
    assert status == 200 and b"<html" in body.lower()


TRAVERSALS = [
    "/app/static/../../pyproject.toml",
    "/app/static/%2e%2e/%2e%2e/pyproject.toml",
    "/app/static/..%2f..%2fpyproject.toml",
    "/media/../pyproject.toml",
    "/../pyproject.toml",
    f"{COMPONENT}/../../../pyproject.toml",
    f"{COMPONENT}/..%2f..%2f..%2fpyproject.toml",
    f"{COMPONENT}/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    f"{COMPONENT}/%2e%2e%2f%2e%2e%2f%2e%2e%2fpyproject.toml",
    f"{COMPONENT}/..%5c..%5c..%5cpyproject.toml",
    f"{COMPONENT}/../__init__.py",
    f"{COMPONENT}/%2e%2e/__init__.py",
    f"{COMPONENT}/{ROOT}/pyproject.toml".replace("//", "/"),
    f"{COMPONENT}//etc/passwd",
    f"{COMPONENT}/%2fetc%2fpasswd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_is_refused_and_reads_no_file(server, path):
    status, body = get(server, path)
    assert 400 <= status < 500, (status, body[:80])
    assert not any(secret in body for secret in SECRETS)


@pytest.mark.parametrize("path", ["/app/static/pyproject.toml", "/pyproject.toml"])
def test_unknown_paths_fall_back_to_the_app_page_not_to_files(server, path):
    status, body = get(server, path)
    assert status == 200 or 400 <= status < 500
    assert not any(secret in body for secret in SECRETS)


@pytest.mark.parametrize("path", [f"{COMPONENT}/", COMPONENT, "/component/", "/app/static/"])
def test_no_directory_listing(server, path):
    status, body = get(server, path)
    for name in (b"main.js", b"style.css", b"__init__.py", b"Index of"):
        assert name not in body, (path, status, body[:120])
