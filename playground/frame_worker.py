"""A frame worker: computes a playground run's frames in its own process (``frame_pool``).

Started by ``playground.frame_pool`` as ``python -m playground.frame_worker``; it imports
NumPy and ``softmax_core`` only. It reads requests on stdin and answers on stdout, each
message an 8-byte little-endian length then a pickle:

    request  (trainer, n_frames, steps_per_frame)
    answer   ("ok", trainer after the frames, Packed states, (step, reason) or None)
             ("error", "TypeName: message")   a bug: the server computes the frames itself

It exits when stdin closes (the server went away). Pickle is safe here: both ends are this
program, talking over a pipe no one else can open.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import struct
import sys
from dataclasses import dataclass

import numpy as np

from softmax_core.trainer import DivergenceError, FrameState, Metrics

HEADER = struct.Struct("<Q")
READY = b"ready\n"  # written once the imports are done


@dataclass(frozen=True)
class Packed:
    """The states of n frames stacked: ``metrics`` (n ``Metrics``), W (n, D, K), b (n, K),
    dW (n, D, K), db (n, K). Five arrays travel instead of 4n small ones (unpickling each
    array costs the server's GIL a few microseconds)."""

    metrics: tuple[Metrics, ...]
    W: np.ndarray
    b: np.ndarray
    dW: np.ndarray
    db: np.ndarray

    @classmethod
    def of(cls, states: list[FrameState]) -> Packed:
        metrics, *arrays = zip(*states, strict=True)
        return cls(tuple(metrics), *(np.stack(a) for a in arrays))

    def states(self) -> list[FrameState]:
        return [
            FrameState(m, self.W[i], self.b[i], self.dW[i], self.db[i])
            for i, m in enumerate(self.metrics)
        ]


def read_message(stream) -> object | None:
    """One message from ``stream`` (a binary file), None at end of file."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    (size,) = HEADER.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        return None
    return pickle.loads(body)


def write_message(stream, value: object) -> None:
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(body)))
    stream.write(body)
    stream.flush()


def answer(request) -> tuple:
    """The answer to one request (see the module's docstring)."""
    try:
        trainer, n_frames, steps = request
        states, err = trainer.run_frames(n_frames, steps)
        packed = Packed.of(states)
    except Exception as exc:
        return ("error", f"{type(exc).__name__}: {exc}")
    diverged = (err.step, err.reason) if isinstance(err, DivergenceError) else None
    return ("ok", trainer, packed, diverged)


def lower_priority() -> None:
    """Run below the server (``SOFTMAX_FRAME_WORKER_NICE``, default 10; 0 keeps it equal):
    frames are computed ahead of the view (its queue holds a lead), while the server's
    event loop and its script threads answer drops and clicks. Measured at 40 students (4
    pairs, alternated, 40 s windows): drop-to-ack p95 218, 137, 220, 175 ms at nice 10
    against 240, 299, 220, 208 ms at nice 0, frames/s unchanged (39.4-40.0)."""
    with contextlib.suppress(ValueError, OSError):
        os.nice(max(0, int(os.environ.get("SOFTMAX_FRAME_WORKER_NICE", "10"))))


def main() -> None:
    lower_priority()
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the protocol
    out.write(READY)
    out.flush()
    while (request := read_message(inp)) is not None:
        write_message(out, answer(request))


if __name__ == "__main__":
    # run the module under its own name, so that what it pickles (Packed) unpickles in the
    # server as playground.frame_worker.Packed, not __main__.Packed
    from playground.frame_worker import main as worker_main

    worker_main()
