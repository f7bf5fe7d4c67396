"""Figure builders of the theory pages: bars, heatmaps and curves, each a pure function."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from . import BASE, DIVERGING, HIGHLIGHT, NEUTRAL, class_colour

# The title sits 36 px below the top: the band above it is where Plotly's and Streamlit's
# chart toolbars appear (on a phone a tap shows them, and they covered titles at 390 px). The
# legend runs horizontally between the title and the plot, so it never squeezes the plot.
_MARGIN = {"l": 10, "r": 10, "t": 100, "b": 10}
_TITLE = {"x": 0, "xanchor": "left", "yref": "container", "y": 1, "yanchor": "top"}
_LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"}


def _layout(fig: go.Figure, title: str, height: int = 360, **kwargs) -> go.Figure:
    fig.update_layout(
        title={**_TITLE, "text": title, "pad": {"t": 36}},
        height=height,
        margin=_MARGIN,
        legend=_LEGEND,
        **kwargs,
    )
    return fig


def class_labels(n_classes: int, start: int = 1) -> list[str]:
    """['class 1', 'class 2', ...] (1-based, as the seed notes count)."""
    return [f"class {k + start}" for k in range(n_classes)]


def probability_bars(probs, labels: Sequence[str] | None = None, title: str = "") -> go.Figure:
    """One bar per class, the argmax in vermillion and marked; values printed on the bars."""
    p = np.asarray(probs, dtype=np.float64)
    labels = list(labels) if labels is not None else class_labels(p.size)
    top = int(np.argmax(p))
    colours = [HIGHLIGHT if k == top else BASE for k in range(p.size)]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=p,
            marker_color=colours,
            text=[f"{v:.4f}" for v in p],
            textposition="outside",
            name="probability",
        )
    )
    fig.add_annotation(x=labels[top], y=p[top] + 0.1, text="▼ argmax", showarrow=False)
    return _layout(fig, title, yaxis={"range": [0, 1.15], "title": "probability"})


def grouped_bars(
    series: Mapping[str, Sequence[float]], labels: Sequence[str], title: str = "", y_title=""
) -> go.Figure:
    """One bar trace per named series, grouped by class."""
    fig = go.Figure(
        [
            go.Bar(
                x=list(labels),
                y=np.asarray(v, dtype=np.float64),
                name=name,
                marker_color=class_colour(i),
            )
            for i, (name, v) in enumerate(series.items())
        ]
    )
    return _layout(fig, title, barmode="group", yaxis={"title": y_title})


def signed_bars(values, labels: Sequence[str], title: str = "", y_title: str = "") -> go.Figure:
    """Bars coloured by sign: negative blue, positive vermillion (e.g. the residual pi - y)."""
    v = np.asarray(values, dtype=np.float64)
    colours = [BASE if x < 0 else HIGHLIGHT for x in v]
    fig = go.Figure(
        go.Bar(
            x=list(labels),
            y=v,
            marker_color=colours,
            text=[f"{x:+.4f}" for x in v],
            textposition="outside",
            name=y_title or "value",
        )
    )
    return _layout(fig, title, yaxis={"title": y_title, "zeroline": True})


def matrix_heatmap(matrix, row_labels, col_labels, title: str = "", fmt: str = ".4f") -> go.Figure:
    """A signed matrix on the blue-white-vermillion scale centred at 0, values printed."""
    m = np.asarray(matrix, dtype=np.float64)
    bound = float(np.max(np.abs(m))) or 1.0
    fig = go.Figure(
        go.Heatmap(
            z=m,
            x=list(col_labels),
            y=list(row_labels),
            colorscale=[list(s) for s in DIVERGING],
            zmin=-bound,
            zmax=bound,
            text=[[format(v, fmt) for v in row] for row in m],
            texttemplate="%{text}",
            hovertemplate="%{y}, %{x}: %{z:.6f}<extra></extra>",
        )
    )
    return _layout(fig, title, yaxis={"autorange": "reversed"})


def temperature_chart(temperatures, probs_by_temperature, current: float, title="") -> go.Figure:
    """p_k(T) = softmax(z / T)_k against T (log axis), one line per class, current T marked."""
    temps = np.asarray(temperatures, dtype=np.float64)
    P = np.asarray(probs_by_temperature, dtype=np.float64)
    fig = go.Figure(
        [
            go.Scatter(
                x=temps,
                y=P[:, k],
                mode="lines",
                name=f"π{k + 1}",
                line={"color": class_colour(k), "width": 2},
            )
            for k in range(P.shape[1])
        ]
    )
    fig.add_vline(x=current, line_dash="dash", line_color=NEUTRAL)
    low, high = np.floor(np.log10(temps.min())), np.ceil(np.log10(temps.max()))
    decades = [float(10.0**e) for e in np.arange(low, high + 1)]
    return _layout(
        fig,
        title,
        # label decades only: Plotly's default log axis labels minor ticks "2 3 ... 9" too
        xaxis={
            "type": "log",
            "title": "temperature T",
            "tickvals": decades,
            "ticktext": [f"{t:g}" for t in decades],
        },
        yaxis={"title": "probability", "range": [0, 1]},
    )


def curve_with_marker(
    x, y, marker_x: float, marker_y: float, *, name: str, x_title: str, y_title: str, title=""
) -> go.Figure:
    """A curve and one marked point on it (two traces)."""
    fig = go.Figure(
        [
            go.Scatter(
                x=np.asarray(x, float),
                y=np.asarray(y, float),
                mode="lines",
                name=name,
                line={"color": BASE, "width": 2},
            ),
            go.Scatter(
                x=[marker_x],
                y=[marker_y],
                mode="markers",
                name="you are here",
                marker={"color": HIGHLIGHT, "size": 12},
            ),
        ]
    )
    return _layout(fig, title, xaxis={"title": x_title}, yaxis={"title": y_title})


def curves(
    x,
    named_curves: Mapping[str, Sequence[float]],
    *,
    x_title: str,
    y_title: str,
    title: str = "",
    dashes: Sequence[str] | None = None,
    marker: tuple[float, float] | None = None,
) -> go.Figure:
    """Several curves over the same x, one trace each, palette colours; optionally one marked
    point (x, y) as a last trace."""
    dashes = list(dashes) if dashes is not None else ["solid"] * len(named_curves)
    fig = go.Figure(
        [
            go.Scatter(
                x=np.asarray(x, float),
                y=np.asarray(v, float),
                mode="lines",
                name=name,
                line={"color": class_colour(i), "width": 3 - i * 0.5, "dash": dashes[i]},
            )
            for i, (name, v) in enumerate(named_curves.items())
        ]
    )
    if marker is not None:
        fig.add_trace(
            go.Scatter(
                x=[marker[0]],
                y=[marker[1]],
                mode="markers",
                name="you are here",
                marker={"color": NEUTRAL, "size": 12, "symbol": "diamond"},
            )
        )
    return _layout(fig, title, xaxis={"title": x_title}, yaxis={"title": y_title})


def norm_scatter(true_probs, norms, bound: float, title: str = "") -> go.Figure:
    """||pi - y|| of each sample against its pi_c, with the bound sqrt(2) as a dashed line."""
    fig = go.Figure(
        [
            go.Scatter(
                x=np.asarray(true_probs, float),
                y=np.asarray(norms, float),
                mode="markers",
                name="samples",
                marker={"color": BASE, "size": 8},
            ),
            go.Scatter(
                x=[0, 1],
                y=[bound, bound],
                mode="lines",
                name="bound √2",
                line={"color": HIGHLIGHT, "dash": "dash"},
            ),
        ]
    )
    return _layout(
        fig,
        title,
        xaxis={"title": "π_c (true-class probability)", "range": [0, 1]},
        yaxis={"title": "‖π − y‖₂", "range": [0, bound * 1.1]},
    )


def scatter_classes(X, y, highlight: int | None = None, title: str = "") -> go.Figure:
    """2-D points coloured by class (one trace per class), one sample ringed: ``highlight`` is
    its 0-based row of X, named in the legend 1-based ("sample 1" is row 0), as the pages
    number samples."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    traces = [
        go.Scatter(
            x=X[y == k, 0],
            y=X[y == k, 1],
            mode="markers",
            name=f"class {k + 1}",
            marker={"color": class_colour(int(k)), "size": 8},
        )
        for k in np.unique(y)
    ]
    if highlight is not None:
        traces.append(
            go.Scatter(
                x=[X[highlight, 0]],
                y=[X[highlight, 1]],
                mode="markers",
                name=f"sample {highlight + 1}",
                marker={
                    "color": "rgba(0,0,0,0)",
                    "size": 18,
                    "line": {"color": NEUTRAL, "width": 2},
                },
            )
        )
    return _layout(
        go.Figure(traces),
        title,
        # equal units on both axes; the plot narrows to fit (constrain="domain") instead of
        # widening x to -20..20 around data that spans -5..3 on a wide page
        xaxis={"title": "x₁", "constrain": "domain"},
        yaxis={"title": "x₂", "scaleanchor": "x"},
    )
