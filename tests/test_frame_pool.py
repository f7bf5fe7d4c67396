"""Frame workers (playground/frame_pool.py): frames computed in another process are the
frames the server would compute, bit for bit; a worker that dies or fails costs nothing but
the round trip (the server computes the frames itself, the trainer untouched)."""

from __future__ import annotations

import json
import pickle

import pytest

from playground import frame_pool
from playground.frame_worker import answer
from playground.presets import apply_preset
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS, from_query


@pytest.fixture
def pool(monkeypatch):
    """A pool of one worker as the process's pool, closed afterwards."""
    p = frame_pool.FramePool(1)
    monkeypatch.setattr(frame_pool, "_POOL", p)
    yield p
    p.close()


def played(settings, rounds: int = 4, n: int = 40) -> tuple[str, PlaygroundSession]:
    s = PlaygroundSession(settings)
    frames = []
    for _ in range(rounds):
        frames += s.advance(n)
    state = {
        "frames": frames,
        "history": s.history_payload(),
        "W": s.trainer.W.tolist(),
        "step": s.trainer.step_count,
        "best": s._best[0],
        "divergence": repr(s.divergence),
    }
    return json.dumps(state), s


QUERIES = (
    "k=4&n=150&spread=0.8&lr=0.5&l2=0.001&c=0,2;-2,0;0,-2;2,0",
    "k=4&n=150&spread=0.8&lr=0.5&l2=0.001&opt=adam&c=0,2;-2,0;0,-2;2,0",
    "k=3&n=100&opt=sgd&batch=16&lr=0.5",
    "src=wine&opt=momentum&lr=0.1",
    "src=circles&phi=x1^2,x2^2,x1x2",
)


@pytest.mark.parametrize("query", QUERIES)
def test_worker_frames_equal_the_servers_bit_for_bit(query, monkeypatch, pool):
    settings, _ = from_query(dict(p.split("=", 1) for p in query.split("&")))
    monkeypatch.setattr(frame_pool, "_POOL", frame_pool.FramePool(0))
    local, _ = played(settings)
    monkeypatch.setattr(frame_pool, "_POOL", pool)
    remote, s = played(settings)
    assert pool.calls == 4 and pool.fallbacks == 0
    assert remote == local
    assert s.n_classes >= 2


def test_a_divergence_in_a_worker_is_the_servers_divergence(monkeypatch, pool):
    settings = apply_preset(DEFAULTS, "Strong L2").with_(lr=5.0)
    monkeypatch.setattr(frame_pool, "_POOL", frame_pool.FramePool(0))
    local, s0 = played(settings, rounds=1, n=600)
    monkeypatch.setattr(frame_pool, "_POOL", pool)
    remote, s1 = played(settings, rounds=1, n=600)
    assert s1.divergence is not None and pool.calls == 1
    assert remote == local
    assert s1.trainer.diverged_at == s0.trainer.diverged_at == s1.divergence.step


def test_a_dead_worker_costs_a_fallback_then_is_replaced(pool):
    settings, _ = from_query({"k": "3", "n": "60"})
    s = PlaygroundSession(settings)
    s.advance(5)
    assert pool.calls == 1
    pool._all[0].proc.kill()
    pool._all[0].proc.wait()
    step = s.trainer.step_count
    frames = s.advance(5)  # the worker is gone: computed here, the same frames
    assert pool.fallbacks == 1 and len(frames) == 5
    assert frames[0]["step"] == step and s.trainer.step_count == step + 5 * s.settings.speed
    assert pool._all == []
    pool._failed_at = None  # (a real pool waits RETRY_START_S before starting another)
    s.advance(5)
    assert pool.calls == 2 and len(pool._all) == 1


def test_a_worker_error_leaves_the_trainer_to_the_server(pool):
    settings, _ = from_query({"k": "3", "n": "60"})
    s = PlaygroundSession(settings)
    kind, message = answer(("not a trainer", 3, 1))
    assert kind == "error" and "AttributeError" in message
    before = pickle.dumps(s.trainer)
    assert pool.run_frames("not a trainer", 3, 1) is None  # the worker answered "error"
    assert pool.fallbacks == 1 and pickle.dumps(s.trainer) == before
    assert pool.run_frames(s.trainer, 3, 1) is not None  # and it still serves
    assert pool.calls == 1


def test_no_workers_when_turned_off(monkeypatch):
    monkeypatch.setenv("SOFTMAX_FRAME_WORKERS", "0")
    assert frame_pool.configured_size() == 0
    monkeypatch.setenv("SOFTMAX_FRAME_WORKERS", "x")
    assert frame_pool.configured_size() == min(2, frame_pool.os.cpu_count() or 1)
    p = frame_pool.FramePool(0)
    settings, _ = from_query({"k": "3"})
    assert p.run_frames(PlaygroundSession(settings).trainer, 5, 1) is None
    assert p._all == [] and p.fallbacks == 1


def test_workers_run_below_the_servers_priority(pool):
    """Frames are computed ahead of the view; the server's event loop answers drops first."""
    import os

    settings, _ = from_query({"k": "3", "n": "60"})
    PlaygroundSession(settings).advance(5)
    (worker,) = pool._all
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, worker.proc.pid) == min(19, mine + 10)
