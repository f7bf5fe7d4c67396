"""The run's settings timeline: what the exports replay (issue 14 item 5).

A run starts with a fresh trainer (a new data space, or Reset weights): step 0, weights and
batch order from the trainer's seed. Every later change that alters the trajectory is a
``Segment`` starting at the step count when it happened, holding the settings in force from
then on and what the change did to the trainer:

- ``new_data``: the training rows changed (``Trainer.set_data``: centres, spread, points per
  class, seed, test fraction, a dragged class of a table);
- ``fresh_optimizer``: the optimiser state restarted (a new optimiser or batch size, or
  Restore best weights);
- ``new_batches``: the mini-batch stream was cut and restarted from the same generator (after
  either of the above: ``Trainer._make_batches``);
- ``restore``: the weights were set to (W, b) (Restore best weights).

Changes at the same step merge into one segment (their flags OR-ed; no update ran between
them, so the result is the same). lr and l2 are plain values read at every step.

The data of a segment is a small description, not the rows: Gaussian classes
``{"centres", "n_per_class", "spread", "seed", "test_fraction"}``; a table
``{"seed", "test_fraction", "mean", "scale", "shift"}`` (the standardisation of that split
and each class's drag, in trained units: X = (X_raw - mean) / scale + shift[y]).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Segment:
    step: int
    lr: float
    l2: float
    optimizer: str
    batch_size: int | None
    data: dict
    new_data: bool = False
    fresh_optimizer: bool = False
    new_batches: bool = False
    restore: tuple[list, list] | None = None

    def as_dict(self) -> dict:
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        if self.restore is not None:
            out["restore"] = {"W": self.restore[0], "b": self.restore[1]}
        return out


@dataclass
class Timeline:
    """``seed``: the trainer's seed (initial weights N(0, 0.01^2) from stream (seed, 0), batch
    order from stream (seed, 1)); ``segments[0]`` starts the run at step 0."""

    seed: int
    segments: list[Segment] = field(default_factory=list)

    def record(self, segment: Segment) -> None:
        """Add ``segment``, merged into the last one when no step ran since."""
        last = self.segments[-1] if self.segments else None
        if last is None or last.step != segment.step:
            self.segments.append(segment)
            return
        segment.new_data |= last.new_data
        segment.fresh_optimizer |= last.fresh_optimizer
        segment.new_batches |= last.new_batches
        if segment.restore is None:
            segment.restore = last.restore
        self.segments[-1] = segment

    def at(self, step: int) -> Segment:
        """The segment in force for the update that starts at ``step``."""
        current = self.segments[0]
        for seg in self.segments:
            if seg.step > step:
                break
            current = seg
        return current

    def plain(self) -> tuple[list[dict], list[dict]]:
        """The segments as plain data (JSON-ready), and the point sets they name.

        A segment's data of kind "points" (circle, xor, spiral, or drawn points) holds its
        rows as arrays; here each distinct set becomes one entry of the second list
        ({"X", "y", "is_test"} as lists) and the segment names it by index ("points": i), so
        a run whose data changed 30 times carries 30 sets and one that never changed one.
        """
        sets: list[dict] = []
        seen: list[tuple] = []
        segments = []
        for seg in self.segments:
            out = seg.as_dict()
            d = dict(out["data"])
            if d.get("kind") == "points":
                key = (d.pop("X"), d.pop("y"), d.pop("is_test"))
                for i, known in enumerate(seen):
                    if all(np.array_equal(a, b) for a, b in zip(known, key, strict=True)):
                        d["points"] = i
                        break
                else:
                    d["points"] = len(seen)
                    seen.append(key)
                    sets.append(
                        {"X": key[0].tolist(), "y": key[1].tolist(), "is_test": key[2].tolist()}
                    )
            out["data"] = d
            segments.append(out)
        return segments, sets
