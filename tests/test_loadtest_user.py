"""The Locust user class (loadtest/locustfile.py) against a local server, one user, a few seconds.

Locust runs in a subprocess: importing it monkey-patches the whole process with gevent,
which must not leak into the rest of the test session. The student writes its own figures
(--summary-file), which this test reads: it connected, pressed Play, received and painted
frames, and every drop it made was acknowledged.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from loadtest.student import Student
from tests.browser_support import ROOT, free_port, streamlit_server

LOCUST = [sys.executable, "-m", "locust", "-f", str(ROOT / "loadtest" / "locustfile.py")]


def run_locust(host: str, *extra: str, timeout: float = 40) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*LOCUST, "--headless", "--host", host, "--only-summary", "--loglevel", "WARNING", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_one_student_connects_plays_drags_and_receives_frames(tmp_path):
    summary = tmp_path / "students.json"
    with streamlit_server() as (url, _proc):
        result = run_locust(
            url,
            "--users", "1",
            "--spawn-rate", "1",
            "--run-time", "9s",
            "--drop-seconds", "0.8,1.2",
            "--query", "k=4&n=150&spread=0.8&c=0,2;-2,0;0,-2;2,0",
            "--summary-file", str(summary),
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    [student] = json.loads(summary.read_text())
    assert student["errors"] == []
    assert student["connected_s"] is not None  # the view's first message came
    assert student["playing_since"] is not None  # Play took effect: frames while playing
    painted = sum(student["frames_by_second"].values())
    received = sum(student["received_by_second"].values())
    assert painted >= 30, student["frames_by_second"]  # not a speed check: frames came
    assert received >= painted - 1
    # Drops are acknowledged (the last one may still be in flight when the run ends)
    assert student["drops"] >= 2
    assert len(student["acks"]) >= student["drops"] - 1
    assert student["lost_acks"] == []
    assert all(0 < ms < 5000 for _wall, ms in student["acks"])
    # Locust's own statistics name each measurement
    for name in ("open", "play", "drop->ack", "view message"):
        assert name in result.stdout + result.stderr


def test_refuses_a_host_that_is_not_loopback():
    result = run_locust("http://192.0.2.1:8501", "--users", "1", "--run-time", "2s", timeout=30)
    assert result.returncode != 0
    assert "refusing to load" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("kind", "fields", "expected"),
    [
        ("checkbox", {"default": True}, ("bool_value", True)),
        ("number_input", {"default": 3.0}, ("double_value", 3.0)),
        ("selectbox", {"options": ["a", "b"], "default": 1}, ("string_value", "b")),
    ],
)
def test_widget_values_are_the_browsers(kind, fields, expected):
    from streamlit.proto.Element_pb2 import Element

    from loadtest.protocol import widget_value

    element = Element()
    proto = getattr(element, kind)
    proto.id = "$$ID-abc-pg_x"
    for name, value in fields.items():
        if isinstance(value, list):
            getattr(proto, name).extend(value)
        else:
            setattr(proto, name, value)
    state = widget_value(kind, proto)
    assert state.id == "$$ID-abc-pg_x"
    assert getattr(state, expected[0]) == expected[1]


def test_a_client_that_reconnects_gets_its_session_back():
    """StreamlitClient.reconnect does what the browser does after a Wi-Fi blip: the server
    resumes the session (same id, training continued), which bench_scale_up.py counts on."""
    with streamlit_server() as (url, _proc):
        student = Student(url, query="k=3&n=90&c=-1,0;1,0;0,1.5", seed=3)
        student.open()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not student.ready:
            student.pump()
        student.press_play()  # once: a second click before its run would pause again
        while time.monotonic() < deadline and not student.playing:
            student.pump()
        assert student.playing
        while time.monotonic() < deadline and student.last_step <= 0:
            time.sleep(student.tick())  # the fragment's timer, as the browser runs it
            student.pump()
        session_id, step = student.client.session_id, student.last_step
        assert session_id and step > 0
        student.client.reconnect()
        student.args, student.last_step = None, -1
        while student.args is None:
            student.pump()
        assert student.client.session_id == session_id
        assert student.playing and student.last_step >= step  # not a fresh session at step 0
        student.close()


def test_distributed_mode_one_master_two_workers(tmp_path):
    """The documented command for going past one machine (docs/deployment.md): workers learn
    the host and options from the master (a worker's own loopback check once refused the
    empty host it starts with) and each writes its students' figures."""
    port = str(free_port())
    summary = tmp_path / "students.json"
    with streamlit_server() as (url, _proc):
        workers = [
            subprocess.Popen(
                [*LOCUST, "--worker", "--master-host", "127.0.0.1", "--master-port", port],
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        try:
            result = run_locust(
                url,
                "--master", "--master-bind-port", port, "--expect-workers", "2",
                "--users", "2", "--spawn-rate", "2", "--run-time", "10s",
                "--drop-seconds", "1,1.5", "--summary-file", str(summary),
            )  # fmt: skip
            errors = [w.communicate(timeout=30)[1] for w in workers]
        finally:
            for w in workers:
                if w.poll() is None:
                    w.kill()
    assert result.returncode == 0, result.stderr[-3000:]
    assert all(w.returncode == 0 for w in workers), errors
    files = sorted(tmp_path.glob("students.*.json"))
    assert len(files) == 2, (files, errors)
    students = [s for f in files for s in json.loads(f.read_text())]
    assert len(students) == 2
    for student in students:
        assert student["errors"] == []
        assert sum(student["frames_by_second"].values()) >= 30
        assert len(student["acks"]) >= 2
