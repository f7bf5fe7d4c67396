"""One line a screen reader reads for a Plotly figure: its title, what it draws and the
numbers that matter (bar values when there are few, ranges otherwise). Pure: figure in,
string out; ``ui.a11y.plotly_chart`` puts it beside the chart as hidden text.
"""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

MAX_BARS = 12  # up to this many bars are read out one by one


def _text(value) -> str:
    """Plain text of a Plotly title or label (its HTML tags removed)."""
    text = value if isinstance(value, str) else ""
    return re.sub(r"<[^>]+>", "", text).strip()


def _num(v: float) -> str:
    return f"{v:.3g}"


def _finite(values) -> np.ndarray:
    if values is None:
        return np.array([])
    a = np.asarray(values, dtype=float).ravel()
    return a[np.isfinite(a)]


def _trace_line(trace) -> str:
    name = _text(trace.name) if getattr(trace, "name", None) else ""
    kind = trace.type
    if kind == "bar":
        labels = list(trace.x if trace.orientation != "h" else trace.y or [])
        values = _finite(trace.y if trace.orientation != "h" else trace.x)
        head = f"bars{' of ' + name if name else ''}"
        if 0 < len(values) <= MAX_BARS and len(labels) == len(values):
            pairs = ", ".join(
                f"{_text(str(k))} {_num(v)}" for k, v in zip(labels, values, strict=True)
            )
            return f"{head}: {pairs}"
        if len(values):
            return f"{head}: {len(values)} values from {_num(values.min())} to {_num(values.max())}"
        return head
    if kind == "heatmap":
        z = _finite(trace.z)
        shape = np.shape(trace.z) if trace.z is not None else ()
        size = f"{shape[0]} by {shape[1]} " if len(shape) == 2 else ""
        span = f", values from {_num(z.min())} to {_num(z.max())}" if len(z) else ""
        return f"a {size}heatmap{' of ' + name if name else ''}{span}"
    y = _finite(getattr(trace, "y", None))
    mode = getattr(trace, "mode", None) or ""
    what = "a curve" if "lines" in mode else "points"
    head = f"{what}{' ' + name if name else ''}"
    if len(y) > 1:
        return f"{head} ({len(y)} values, from {_num(y.min())} to {_num(y.max())})"
    if len(y) == 1:
        return f"{head} at {_num(y[0])}"
    return head


def summarise(fig: go.Figure) -> str:
    """'Chart: <title>. <axes>. <one clause per trace, at most 4>.'"""
    title = _text(fig.layout.title.text) if fig.layout.title else ""
    parts = [f"Chart: {title}." if title else "Chart."]
    x_title = _text(fig.layout.xaxis.title.text) if fig.layout.xaxis.title else ""
    y_title = _text(fig.layout.yaxis.title.text) if fig.layout.yaxis.title else ""
    if x_title or y_title:
        parts.append(
            f"Horizontal axis {x_title or 'unlabelled'}, vertical axis {y_title or 'unlabelled'}."
        )
    clauses = [_trace_line(t) for t in fig.data if getattr(t, "visible", True) is not False]
    if clauses:
        more = f"; and {len(clauses) - 4} more" if len(clauses) > 4 else ""
        text = "; ".join(clauses[:4]) + more
        parts.append(text[0].upper() + text[1:] + ".")
    return " ".join(parts)
