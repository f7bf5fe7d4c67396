"""Frame workers: the frames of a playing tab are computed in other processes, outside the
server's GIL.

Why (issue 21, docs/deployment.md): every tab on a replica shares one Python process and its
GIL. NumPy lets go of the GIL inside each array operation, and a thread that lets go waits to
get it back behind every other thread that wants it (Streamlit's machinery, JSON, the event
loop). Measured at 40 playing students: a run's frames took 7-9 ms of wall time each for
0.5 ms of CPU (0.19 ms on a quiet process), timed runs take turns (``pacing.compute_turn``),
so one slow turn held up every tab and the replica collapsed.

How: ``run_frames(trainer, n, steps)`` pickles the trainer (about 40 KB for 600 points) to an
idle worker (``python -m playground.frame_worker``), which runs ``Trainer.run_frames`` and
answers with the trainer after the frames and the frames' states (stacked: ``Packed``). The
server's trainer then takes the worker's state (``vars(trainer).update``): parameters,
optimiser state, batch order, step count, all bit for bit what a local run would have left.
The calling thread waits on a pipe without holding the GIL; the session turns the states into
the view's frames and records them as before (``PlaygroundSession._frame_of``).

Returns None when there is no worker to ask (``SOFTMAX_FRAME_WORKERS=0``, a worker that would
not start, died, or answered with an error): the session then computes the frames itself, as
before, and the trainer is untouched. A dead worker is replaced on a later call.

``SOFTMAX_FRAME_WORKERS``: how many workers (default: min(2, cores)); 0 turns them off.
``SOFTMAX_FRAME_WORKER_NICE``: how much lower the workers' CPU priority is (default 10: they
compute ahead of the view, while the server answers drops; ``frame_worker.lower_priority``).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from softmax_core.trainer import DivergenceError

from .frame_worker import READY, read_message, write_message

ROOT = Path(__file__).resolve().parent.parent
MIN_FRAMES = 2  # a single frame (paused, a click) is not worth a round trip
WAIT_FOR_WORKER_S = 5.0  # all workers busy this long: compute here
RETRY_START_S = 10.0  # after a worker failed to start, try again this much later
LOG = logging.getLogger(__name__)


def configured_size() -> int:
    """SOFTMAX_FRAME_WORKERS, else min(2, cores): a 2-core replica gets two."""
    default = min(2, os.cpu_count() or 1)
    try:
        return max(0, int(os.environ.get("SOFTMAX_FRAME_WORKERS", default)))
    except ValueError:
        return default


class WorkerGone(OSError):
    """The worker closed its end (it died, or never started)."""


class Worker:
    """One ``python -m playground.frame_worker`` process and its pipes (one caller at a time:
    the pool hands a worker to one thread)."""

    def __init__(self) -> None:
        path = os.environ.get("PYTHONPATH", "")
        env = dict(
            os.environ,
            PYTHONPATH=str(ROOT) + (os.pathsep + path if path else ""),
            # one busy thread per worker: BLAS threads would only compete with the server
            OPENBLAS_NUM_THREADS="1",
            OMP_NUM_THREADS="1",
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "playground.frame_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=env,
        )
        self.ready = False

    def call(self, request: tuple) -> tuple:
        if not self.ready:
            if self.proc.stdout.readline() != READY:
                raise WorkerGone("the frame worker did not start")
            self.ready = True
        write_message(self.proc.stdin, request)
        reply = read_message(self.proc.stdout)
        if reply is None:
            raise WorkerGone("the frame worker closed its pipe")
        return reply

    def close(self) -> None:
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        try:
            self.proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class FramePool:
    """At most ``size`` workers, started on first use; ``calls`` and ``fallbacks`` count the
    requests answered by a worker and those computed in the server instead."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._idle: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        self._all: list[Worker] = []
        self._lock = threading.Lock()
        self._failed_at: float | None = None
        self.calls = 0
        self.fallbacks = 0

    def _take(self) -> Worker | None:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            failed = self._failed_at is not None
            if len(self._all) < self.size and (
                not failed or time.monotonic() - self._failed_at > RETRY_START_S
            ):
                try:
                    worker = Worker()
                except OSError as err:
                    LOG.warning("frame worker not started (%s): frames computed in the server", err)
                    self._failed_at = time.monotonic()
                    return None
                self._all.append(worker)
                return worker
            if not self._all:
                return None
        try:
            return self._idle.get(timeout=WAIT_FOR_WORKER_S)
        except queue.Empty:
            return None

    def _discard(self, worker: Worker) -> None:
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
            self._failed_at = time.monotonic()
        worker.close()

    def run_frames(self, trainer, n_frames: int, steps: int):
        """(``Packed`` states, DivergenceError or None) of ``trainer.run_frames(n_frames,
        steps)`` computed by a worker, ``trainer`` left as that run leaves it; None: not
        computed (the trainer is untouched), compute them here."""
        worker = self._take() if self.size else None
        if worker is None:
            self.fallbacks += 1
            return None
        try:
            reply = worker.call((trainer, n_frames, steps))
        except BaseException as err:  # a half-read answer would desynchronise the pipe
            self._discard(worker)
            self.fallbacks += 1
            if not isinstance(err, Exception):
                raise
            LOG.warning("frame worker lost (%s): frames computed in the server", err)
            return None
        self._idle.put(worker)
        if reply[0] != "ok":
            LOG.warning("frame worker error (%s): frames computed in the server", reply[1])
            self.fallbacks += 1
            return None
        _, after, packed, diverged = reply
        vars(trainer).update(vars(after))
        self.calls += 1
        return packed, DivergenceError(*diverged) if diverged else None

    def close(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.close()


_POOL: FramePool | None = None
_POOL_LOCK = threading.Lock()


def pool() -> FramePool:
    """This process's pool (created on first use, sized by ``configured_size``)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = FramePool(configured_size())
            atexit.register(_POOL.close)
        return _POOL


def run_frames(trainer, n_frames: int, steps: int):
    """``FramePool.run_frames`` on this process's pool."""
    return pool().run_frames(trainer, n_frames, steps)
