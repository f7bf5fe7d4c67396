"""Figures for a projector: presenter mode (``ui.presenter``) shows every chart with axis text
a back row can read.

Plotly's tick labels are 12 px (Streamlit's chart theme sets them on every axis), about 10 px
high once the page is thrown on a 1280 x 720 projector. ``for_projector`` returns a copy whose
tick labels are ``TICK_PX``, axis titles ``TITLE_PX``, legend and hover label ``LEGEND_PX``, on
every axis the figure has (subplots, colour bars). Text placed in the data (a bar's value, an
annotation such as "argmax") keeps its size: those are laid out against each other, and
scaling them made them overlap. Pure Plotly, no Streamlit.
"""

from __future__ import annotations

import plotly.graph_objects as go

TICK_PX = 20
TITLE_PX = 20
LEGEND_PX = 18


def for_projector(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` with projector-sized axis text (see the module docstring)."""
    out = go.Figure(fig)
    axes = {"tickfont": {"size": TICK_PX}, "title": {"font": {"size": TITLE_PX}}}
    out.update_xaxes(**axes)
    out.update_yaxes(**axes)
    for trace in out.data:
        if "colorbar" in trace:
            trace.update(colorbar={"tickfont": {"size": TICK_PX}})
    out.update_layout(legend_font_size=LEGEND_PX, hoverlabel_font_size=LEGEND_PX)
    return out
