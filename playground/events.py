"""The view's messages are input: check each one at the boundary before it touches the session.

The view (playground/component/frontend) sends one event at a time through
setComponentValue: ``{type: "move", cls, x, y, id}``, ``{type: "select", index, id}``,
``{type: "add", cls, x, y, id}`` (a drawn point), ``{type: "remove", x, y, id}`` (the point
nearest to x, y) or ``{type: "resync", id}``; ``id`` is ``"<tag>-<n>"`` (a random tag per
mount of the view and a counter). ``check_event`` turns anything else (wrong types, NaN or
inf, a class or point that does not exist, an unknown kind, a huge payload, an event older
than one already handled) into a notice, so the caller can ignore it and leave the session
unchanged.
No Streamlit here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAX_EVENT_CHARS = 2_000  # a real event is under 100 characters
MAX_TAGS = 8  # mounts of the view remembered for replay detection
_ID = re.compile(r"([A-Za-z0-9]{1,16})-([1-9][0-9]{0,11})")  # the view counts from 1


@dataclass(frozen=True)
class Event:
    """A checked event: ``kind`` is move, select, add, remove or resync."""

    id: str
    kind: str
    cls: int | None = None
    x: float | None = None
    y: float | None = None
    index: int | None = None


def _size(value, budget: int = MAX_EVENT_CHARS) -> int:
    """Roughly the JSON length of ``value``, stopping once over ``budget``."""
    if isinstance(value, str):
        return len(value) + 2
    if isinstance(value, dict):
        total = 2
        for k, v in value.items():
            total += _size(k, budget) + _size(v, budget)
            if total > budget:
                break
        return total
    if isinstance(value, list | tuple):
        total = 2
        for v in value:
            total += _size(v, budget)
            if total > budget:
                break
        return total
    return 24


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    v = float(value)
    return v if math.isfinite(v) else None


def _index(value, size: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value < size else None


def check_event(
    raw, n_classes: int, n_points: int, seen: dict[str, int]
) -> tuple[Event | None, str | None]:
    """(the checked event, None), (None, a notice) for a bad one, or (None, None) for
    nothing new (no event, or the one already handled). ``seen`` maps each view tag to the
    highest counter handled; it is updated only for an accepted event."""
    if raw is None:
        return None, None
    if not isinstance(raw, dict):
        return None, "Ignored a message from the view that is not an event."
    if _size(raw) > MAX_EVENT_CHARS:
        return None, "Ignored an oversized message from the view."
    event_id = raw.get("id")
    match = _ID.fullmatch(event_id) if isinstance(event_id, str) else None
    if match is None:
        return None, "Ignored a message from the view without a valid id."
    tag, n = match.group(1), int(match.group(2))
    if n == seen.get(tag, 0):
        return None, None  # handled already (every rerun sees the last value again)
    if n < seen.get(tag, 0):
        return None, "Ignored a replayed old event from the view."
    kind = raw.get("type")
    if kind == "move":
        cls = _index(raw.get("cls"), n_classes)
        x, y = _number(raw.get("x")), _number(raw.get("y"))
        if cls is None or x is None or y is None:
            return None, "Ignored a centre move with an unknown class or a non-finite position."
        event = Event(event_id, "move", cls=cls, x=x, y=y)
    elif kind in ("add", "remove"):
        cls = _index(raw.get("cls"), n_classes) if kind == "add" else None
        x, y = _number(raw.get("x")), _number(raw.get("y"))
        if (kind == "add" and cls is None) or x is None or y is None:
            return None, "Ignored a drawn point with an unknown class or a non-finite position."
        event = Event(event_id, kind, cls=cls, x=x, y=y)
    elif kind == "select":
        index = raw.get("index")
        if index is not None:
            index = _index(index, n_points)
            if index is None:
                return None, "Ignored a click on a point that does not exist."
        event = Event(event_id, "select", index=index)
    elif kind == "resync":
        event = Event(event_id, "resync")
    else:
        return None, "Ignored a message from the view of an unknown kind."
    seen[tag] = n
    while len(seen) > MAX_TAGS:
        seen.pop(next(iter(seen)))
    return event, None
