"""The one-line summaries a screen reader reads for each Plotly chart (charts.describe), and
every theory page giving each of its charts one (ui.a11y.plotly_chart)."""

import pytest
from streamlit.testing.v1 import AppTest

from charts.describe import summarise
from charts.theory import curves, matrix_heatmap, probability_bars
from tests.browser_support import ROOT


def test_bars_are_read_out_with_their_values():
    fig = probability_bars([0.042, 0.1142, 0.8438], ["class 1", "class 2", "class 3"], "π")
    text = summarise(fig)
    assert text.startswith("Chart: π.")
    assert "class 1 0.042, class 2 0.114, class 3 0.844" in text


def test_heatmap_and_curves_give_their_size_and_range():
    heat = summarise(matrix_heatmap([[1.0, -2.0], [0.5, 3.0]], ["a", "b"], ["c", "d"], "J"))
    assert "2 by 2 heatmap" in heat and "from -2 to 3" in heat
    line = summarise(curves([0, 1, 2], {"loss": [3.0, 2.0, 1.0]}, x_title="step", y_title="L"))
    assert "Horizontal axis step, vertical axis L." in line
    assert "from 1 to 3" in line


@pytest.mark.parametrize("page", ["softmax", "cross_entropy", "gradient", "logistic"])
def test_every_chart_on_a_theory_page_has_a_summary(page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    charts = at.get("plotly_chart")
    summaries = [h for h in at.get("html") if 'class="a11y-summary"' in h.proto.body]
    assert charts and len(summaries) == len(charts), (len(charts), len(summaries))
    assert all("Chart:" in h.proto.body for h in summaries)
