"""A bounded training history: a tab left playing for an hour keeps a fixed memory.

Rows are appended while the store has room; when it is full, every second row is dropped and
from then on only every ``stride``-th call is kept (the stride doubles each time). The first
row is always kept, and so the curve keeps its shape at any length. The latest call is always
visible too: a call that falls between kept rows is held as a provisional last row, replaced by
the next call, so the curve ends at the current step rather than up to ``stride`` steps behind.
"""

from __future__ import annotations

import numpy as np


class History:
    """Columns of floats indexed by step, at most ``capacity`` rows."""

    def __init__(self, fields: tuple[str, ...], capacity: int = 2048) -> None:
        if capacity < 4 or capacity % 2:
            raise ValueError(f"capacity must be an even number >= 4; got {capacity}")
        self.fields = ("step", *fields)
        self.capacity = capacity
        self._data = np.empty((capacity, len(self.fields)), dtype=np.float64)
        self._tail = np.empty(len(self.fields), dtype=np.float64)  # latest call, if not kept
        self._has_tail = False
        self._len = 0
        self._stride = 1
        self._calls = 0

    def __len__(self) -> int:
        return self._len + self._has_tail

    @property
    def last_step(self) -> float | None:
        """The step of the latest row (kept or provisional), None when empty; no copy."""
        if self._has_tail:
            return float(self._tail[0])
        return float(self._data[self._len - 1, 0]) if self._len else None

    @property
    def nbytes(self) -> int:
        return self._data.nbytes + self._tail.nbytes

    def append(self, step: int, **values: float) -> None:
        """Record one row (every field must be given); it may be thinned out later."""
        index = self._calls
        self._calls += 1
        if index % self._stride == 0 and self._len == self.capacity:
            self._thin()
        if index % self._stride == 0:  # evaluated again: thinning doubles the stride
            row = self._data[self._len]
            self._len += 1
            self._has_tail = False
        else:
            row = self._tail
            self._has_tail = True
            if self._len == self.capacity:  # make room so that len(self) <= capacity
                self._thin()
        row[0] = step
        for j, name in enumerate(self.fields[1:], start=1):
            row[j] = values[name] + 0.0  # a -0.0 would print and plot as "-0"

    def _thin(self) -> None:
        """Drop every second kept row (rows are calls 0, s, 2s...: keep 0, 2s, 4s...)."""
        half = self._data[: self._len : 2].copy()
        self._len = half.shape[0]
        self._data[: self._len] = half
        self._stride *= 2

    def _rows(self) -> np.ndarray:
        rows = self._data[: self._len]
        return np.vstack([rows, self._tail]) if self._has_tail else rows

    def column(self, name: str) -> np.ndarray:
        """A copy of one column, in step order."""
        return self._rows()[:, self.fields.index(name)].copy()

    def as_dict(self, max_points: int | None = None) -> dict[str, np.ndarray]:
        """All columns; with ``max_points``, evenly thinned (the last row is always kept)."""
        rows = self._rows()
        if max_points is not None and rows.shape[0] > max_points:
            idx = np.unique(np.linspace(0, rows.shape[0] - 1, max_points).round().astype(int))
            rows = rows[idx]
        return {name: rows[:, j].copy() for j, name in enumerate(self.fields)}

    def clear(self) -> None:
        self._len, self._stride, self._calls, self._has_tail = 0, 1, 0, False
