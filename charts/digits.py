"""Figure builders of the Digits page: 8 x 8 images, probability bars, the confusion matrix.

Signed images (templates, evidence, gradient steps) share one diverging scale symmetric
about 0 (``charts.DIVERGING``) with a colour bar; digit images are grey, ink dark.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import BASE, DIVERGING, HIGHLIGHT

GREYS = ((0.0, "#FFFFFF"), (1.0, "#111111"))
_MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}


def image_row(
    images,
    titles: Sequence[str],
    *,
    title: str = "",
    signed: bool = True,
    zmax: float | None = None,
    cols: int | None = None,
    height: int | None = None,
    colorbar_title: str = "",
) -> go.Figure:
    """Images (n, 8, 8) as a grid of heatmaps sharing one colour axis: diverging and
    symmetric about 0 when ``signed`` (|z| <= zmax, default the largest |value|), else grey
    0..zmax (default 16, the data's counts). Row 0 of each image is drawn at the top."""
    images = np.asarray(images, dtype=np.float64)
    n = images.shape[0]
    cols = cols or n
    rows = -(-n // cols)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=list(titles),
        horizontal_spacing=0.02,
        vertical_spacing=0.12 if rows > 1 else 0.0,
    )
    if signed:
        top = zmax if zmax is not None else float(np.max(np.abs(images))) or 1.0
        axis = {"colorscale": DIVERGING, "cmin": -top, "cmax": top}
    else:
        axis = {"colorscale": GREYS, "cmin": 0.0, "cmax": zmax if zmax is not None else 16.0}
    for i in range(n):
        r, c = divmod(i, cols)
        fig.add_trace(
            go.Heatmap(
                z=images[i],
                coloraxis="coloraxis",
                hovertemplate="row %{y}, column %{x}: %{z:.4g}<extra></extra>",
            ),
            row=r + 1,
            col=c + 1,
        )
    bare = {"showticklabels": False, "ticks": "", "showgrid": False, "zeroline": False}
    fig.update_xaxes(**bare)
    fig.update_yaxes(**bare, autorange="reversed")
    for i in range(n):  # square pixels
        suffix = "" if i == 0 else str(i + 1)
        fig.layout[f"yaxis{suffix}"].scaleanchor = f"x{suffix}"
    fig.update_layout(
        coloraxis={
            **axis,
            "colorbar": {
                "title": {"text": colorbar_title, "side": "right"},
                "thickness": 10,
                "orientation": "h",
                "y": -0.04,
                "yanchor": "top",
                "len": 0.9,
            },
        },
        title={"text": title, "y": 0.98, "yanchor": "top"},
        height=height or (150 * rows + 90),
        margin={"l": 10, "r": 10, "t": 60 if title else 30, "b": 50},
    )
    return fig


def digit_bars(probs, title: str = "", height: int = 260) -> go.Figure:
    """pi for the digits 0..9, the most likely in vermillion, values printed above."""
    p = np.asarray(probs, dtype=np.float64)
    top = int(np.argmax(p))
    fig = go.Figure(
        go.Bar(
            x=[str(k) for k in range(p.size)],
            y=p,
            marker_color=[HIGHLIGHT if k == top else BASE for k in range(p.size)],
            text=[f"{v:.2f}" for v in p],
            textposition="outside",
            cliponaxis=False,
            name="π",
            hovertemplate="digit %{x}: π = %{y:.4f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title,
        height=height,
        margin=_MARGIN,
        xaxis={"title": "digit", "type": "category"},
        yaxis={"range": [0, 1.15], "title": "π"},
    )
    return fig


def confusion_figure(C, selected: tuple[int, int] | None = None, title: str = "") -> go.Figure:
    """C (K, K), true digit down, predicted across: a heatmap of the mistakes (off-diagonal
    counts; the diagonal's counts printed in blue), under an invisible scatter with one point
    per cell so that Streamlit reports the clicked cell (heatmaps cannot be selected). Each
    point's customdata is (true, predicted); the selected cell is outlined."""
    C = np.asarray(C)
    k = C.shape[0]
    true, pred = np.divmod(np.arange(k * k), k)
    counts = C.ravel()
    mistakes = np.where(true == pred, 0, counts).reshape(k, k)
    fig = go.Figure(
        [
            go.Heatmap(
                z=mistakes / max(1, mistakes.max()),
                colorscale=((0.0, "#F2F2F2"), (1.0, HIGHLIGHT)),
                zmin=0,
                zmax=1,
                showscale=False,
                xgap=2,
                ygap=2,
                hoverinfo="skip",
            ),
            go.Scatter(
                x=pred,
                y=true,
                mode="markers+text",
                marker={"symbol": "square", "size": 26, "opacity": 0},
                text=[str(v) if v else "" for v in counts],
                textfont={"size": 12, "color": np.where(true == pred, BASE, "#000000").tolist()},
                customdata=np.stack([true, pred], axis=1),
                hovertemplate="true %{customdata[0]}, predicted %{customdata[1]}: "
                "%{text} images<extra></extra>",
                showlegend=False,
            ),
        ]
    )
    if selected is not None:
        t, p = selected
        fig.add_shape(
            type="rect",
            x0=p - 0.5,
            x1=p + 0.5,
            y0=t - 0.5,
            y1=t + 0.5,
            line={"color": "#000000", "width": 3},
        )
    names = [str(i) for i in range(k)]
    ticks = {"tickmode": "array", "tickvals": list(range(k)), "ticktext": names}
    fig.update_layout(
        title=title,
        height=440,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        xaxis={
            **ticks,
            "title": "predicted digit",
            "side": "top",
            "showgrid": False,
            "zeroline": False,
            "constrain": "domain",
        },
        yaxis={
            **ticks,
            "title": "true digit",
            "autorange": "reversed",
            "showgrid": False,
            "zeroline": False,
            "scaleanchor": "x",
            "constrain": "domain",
        },
        dragmode=False,
        clickmode="event+select",
    )
    return fig
