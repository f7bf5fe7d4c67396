"""charts.projector: presenter mode's figures get projector-sized axis text on every axis,
and the figure passed in is left alone."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from charts.projector import LEGEND_PX, TICK_PX, TITLE_PX, for_projector


def test_every_axis_of_every_subplot_and_the_colour_bar_get_projector_text():
    fig = make_subplots(rows=1, cols=2)
    fig.add_trace(go.Bar(x=["a", "b"], y=[1, 2], text=["1", "2"]), row=1, col=1)
    fig.add_trace(go.Heatmap(z=[[1, 2], [3, 4]], colorbar={"title": "p"}), row=1, col=2)
    fig.add_annotation(text="argmax", x="a", y=1, font={"size": 11})
    out = for_projector(fig)
    for axis in ("xaxis", "yaxis", "xaxis2", "yaxis2"):
        assert out.layout[axis].tickfont.size == TICK_PX, axis
        assert out.layout[axis].title.font.size == TITLE_PX, axis
    assert out.data[1].colorbar.tickfont.size == TICK_PX
    assert out.layout.legend.font.size == LEGEND_PX
    # text laid out in the data keeps its size; the original figure is untouched
    assert out.layout.annotations[0].font.size == 11
    assert fig.layout.xaxis.tickfont.size is None
    assert fig.data[1].colorbar.tickfont.size is None
