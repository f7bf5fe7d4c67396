"""Chart builders of the theory pages, tested as pure functions: traces, values, colours."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from charts import CLASS_COLOURS, HIGHLIGHT, class_colour
from charts.latex import matrix, vector
from charts.theory import (
    class_labels,
    curve_with_marker,
    curves,
    grouped_bars,
    matrix_heatmap,
    norm_scatter,
    probability_bars,
    scatter_classes,
    signed_bars,
    temperature_chart,
)


def test_class_colours_are_six_and_cycle():
    assert len(set(CLASS_COLOURS)) == 6
    assert class_colour(0) == class_colour(len(CLASS_COLOURS))


def test_probability_bars_marks_the_argmax():
    probs = np.array([0.0420, 0.1142, 0.8438])
    fig = probability_bars(probs)
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 1
    bar = fig.data[0]
    np.testing.assert_allclose(bar.y, probs)
    assert list(bar.x) == class_labels(3) == ["class 1", "class 2", "class 3"]
    assert list(bar.marker.color).count(HIGHLIGHT) == 1
    assert bar.marker.color[2] == HIGHLIGHT
    assert list(bar.text) == ["0.0420", "0.1142", "0.8438"]
    assert "argmax" in fig.layout.annotations[0].text
    assert fig.layout.annotations[0].x == "class 3"


def test_grouped_and_signed_bars():
    fig = grouped_bars({"p": [0.7, 0.3], "q": [0.5, 0.5]}, ["a", "b"])
    assert [t.name for t in fig.data] == ["p", "q"]
    assert fig.layout.barmode == "group"
    fig = signed_bars([-0.6, 0.4, 0.2], ["1", "2", "3"])
    assert len(fig.data) == 1
    colours = list(fig.data[0].marker.color)
    assert colours[0] != colours[1] == colours[2]


def test_matrix_heatmap_is_centred_at_zero():
    J = np.array([[0.25, -0.25], [-0.25, 0.25]])
    fig = matrix_heatmap(J, ["r1", "r2"], ["c1", "c2"])
    (heat,) = fig.data
    assert heat.type == "heatmap"
    np.testing.assert_allclose(np.asarray(heat.z), J)
    assert heat.zmin == -heat.zmax == -0.25
    assert heat.text[0][1] == "-0.2500"


def test_temperature_chart_has_one_line_per_class_and_a_marker_line():
    temps = np.geomspace(0.1, 10, 5)
    P = np.full((5, 3), 1 / 3)
    fig = temperature_chart(temps, P, current=1.0)
    assert len(fig.data) == 3
    assert fig.layout.xaxis.type == "log"
    assert len(fig.layout.shapes) == 1
    assert fig.layout.shapes[0].x0 == 1.0


def test_curve_with_marker_and_curves():
    x = np.linspace(0.01, 1, 10)
    fig = curve_with_marker(x, -np.log(x), 0.5, 0.69, name="loss", x_title="p", y_title="l")
    assert len(fig.data) == 2
    assert list(fig.data[1].x) == [0.5]
    fig = curves(x, {"a": x, "b": 2 * x}, x_title="x", y_title="y", dashes=["solid", "dash"])
    assert len(fig.data) == 2
    assert fig.data[1].line.dash == "dash"
    fig = curves(x, {"a": x}, x_title="x", y_title="y", marker=(0.2, 0.3))
    assert len(fig.data) == 2
    assert list(fig.data[-1].y) == [0.3]


def test_norm_scatter_and_scatter_classes():
    fig = norm_scatter([0.1, 0.9], [1.2, 0.1], np.sqrt(2))
    assert len(fig.data) == 2
    assert list(fig.data[1].y) == [np.sqrt(2)] * 2
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    y = np.array([0, 1, 1])
    fig = scatter_classes(X, y, highlight=2)
    assert len(fig.data) == 3  # two classes and the ring
    assert list(fig.data[1].x) == [1.0, 2.0]
    assert list(fig.data[2].x) == [2.0]
    assert fig.data[2].name == "sample 3"  # row 2, numbered from 1 as the pages number samples
    assert len(scatter_classes(X, y).data) == 2


def test_latex_vector_and_matrix():
    assert vector([0.5, -0.25], 2) == r"\begin{bmatrix}0.50 & -0.25\end{bmatrix}"
    assert vector([-1e-9], 4) == r"\begin{bmatrix}0\end{bmatrix}"
    assert vector([np.inf, -np.inf]) == r"\begin{bmatrix}\infty & -\infty\end{bmatrix}"
    assert matrix([[1, 2], [3, 4]], 0) == r"\begin{bmatrix}1 & 2 \\ 3 & 4\end{bmatrix}"
    with pytest.raises(ValueError, match="2-D"):
        matrix([1, 2])


def test_temperature_axis_labels_decades_only():
    temps = np.geomspace(0.05, 20.0, 50)
    P = np.full((50, 3), 1 / 3)
    axis = temperature_chart(temps, P, current=1.0).layout.xaxis
    assert axis.type == "log"
    assert list(axis.tickvals) == [0.01, 0.1, 1.0, 10.0, 100.0]
    assert list(axis.ticktext) == ["0.01", "0.1", "1", "10", "100"]


def test_formula_row_wraps_pieces_as_display_math():
    from charts.latex import formula_row

    text = formula_row("a = 1", "b = 2")
    assert text.count("$\\displaystyle") == 2 and "&emsp;" in text
