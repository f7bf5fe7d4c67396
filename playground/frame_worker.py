"""A frame worker: computes a playground run's frames in its own process (``frame_pool``).

Started by ``playground.frame_pool`` as ``python -m playground.frame_worker``; it imports
NumPy and ``softmax_core`` only. It reads requests on stdin and answers on stdout, each
message an 8-byte little-endian length then a pickle:

    request  (trainer, n_frames, steps_per_frame)
    answer   ("ok", trainer after the frames, [FrameState, ...], (step, reason) or None)
             ("error", "TypeName: message")   a bug: the server computes the frames itself

It exits when stdin closes (the server went away). Pickle is safe here: both ends are this
program, talking over a pipe no one else can open.
"""

from __future__ import annotations

import pickle
import struct
import sys

from softmax_core.trainer import DivergenceError

HEADER = struct.Struct("<Q")
READY = b"ready\n"  # written once the imports are done


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
    except Exception as exc:
        return ("error", f"{type(exc).__name__}: {exc}")
    diverged = (err.step, err.reason) if isinstance(err, DivergenceError) else None
    return ("ok", trainer, states, diverged)


def main() -> None:
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the protocol
    out.write(READY)
    out.flush()
    while (request := read_message(inp)) is not None:
        write_message(out, answer(request))


if __name__ == "__main__":
    main()
