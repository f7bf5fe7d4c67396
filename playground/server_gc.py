"""The garbage collector's thresholds for a served playground (issue 21).

CPython collects its youngest generation of container objects every 700 allocations. A
playing tab's run allocates thousands of them (the frames' dicts and lists, Streamlit's
elements, the view's arguments) that live until its message has left, tens of
milliseconds: at 700 many of them outlive two young collections, reach the oldest
generation, and set off a full collection every few seconds. A full collection holds the GIL
for its whole length, so no tab computes and no message leaves meanwhile.

Measured at 40 playing students (``bench_load.py --students 40 --seconds 40``, 7 Dec, the
gc module's callbacks timing each collection): with the defaults, 12 full collections a
run of about 70 s, 116-136 ms each (median; CPU time equal to wall time), and 11 of the 24
slowest drop-to-ack times of a run overlapped one or came right after it. With a young
threshold of 10 000, 1-2 full collections a run (132-169 ms), young collections 9-13 ms
(median) instead of 0.4 ms; drop-to-ack p95 161, 163, 149, 112 ms in four runs against 192
and 258 ms with the defaults in the same batches, frames/s unchanged (39.1-40.0 p10).
A 50 000 threshold made each young collection take 92-99 ms (p95 239, 206 ms): worse.
``gc.freeze()`` after the first run on top of 10 000: 147, 132 ms: no clear gain, not kept.
"""

from __future__ import annotations

import gc

THRESHOLDS = (10_000, 10, 10)  # (young, middle, old); CPython's defaults: (700, 10, 10)


def tune() -> bool:
    """Set ``THRESHOLDS`` for this process (idempotent; the playground page calls it on
    every run). Returns True if they changed."""
    if gc.get_threshold() == THRESHOLDS:
        return False
    gc.set_threshold(*THRESHOLDS)
    return True
