"""The theory pages in AppTest: each runs without exception and shows the right numbers."""

from __future__ import annotations

import base64
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
THEORY_PAGES = [
    "pages/softmax.py",
    "pages/cross_entropy.py",
    "pages/gradient.py",
    "pages/logistic.py",
    "pages/about.py",
]


def open_page(path: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def dataframe_with(at: AppTest, column: str):
    """The table (st.table or st.dataframe) that has ``column``, as a DataFrame."""
    for df in [*at.table, *at.dataframe]:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with column {column!r}")


@pytest.mark.parametrize("path", THEORY_PAGES)
def test_every_theory_page_runs(path):
    at = open_page(path)
    assert at.title, f"{path} has no title"
    for chart in at.get("plotly_chart"):
        json.loads(chart.proto.spec)  # every figure is valid JSON


# ---- softmax ---------------------------------------------------------------------------------


def test_softmax_worked_example_preset_shows_rounded_probabilities():
    at = open_page("pages/softmax.py")
    at.button(key="softmax_preset").click().run()
    assert not at.exception
    assert at.slider(key="softmax_k").value == 3
    m = metrics(at)
    assert (m["π1"], m["π2"], m["π3"]) == ("0.0420", "0.1142", "0.8438")
    table = dataframe_with(at, "the slides print")
    assert list(table["π_k rounded to 4 places"]) == ["0.0420", "0.1142", "0.8438"]
    assert list(table["π_k truncated to 4 places"]) == ["0.0420", "0.1141", "0.8437"]
    assert any("cut off" in md.value for md in at.markdown)


def test_softmax_more_classes_and_temperature():
    at = open_page("pages/softmax.py")
    at.slider(key="softmax_k").set_value(5).run()
    probs = [float(metrics(at)[f"π{k}"]) for k in range(1, 6)]
    assert sum(probs) == pytest.approx(1.0, abs=5e-4)
    at.slider(key="softmax_temperature").set_value(10.0).run()
    hot = [float(metrics(at)[f"π{k}"]) for k in range(1, 6)]
    assert max(hot) - min(hot) < max(probs) - min(probs)  # flatter at high temperature
    assert not at.exception


def plotly_array(value) -> np.ndarray:
    """A Plotly JSON array: a plain list, or {"dtype", "bdata", "shape"} (typed, base64)."""
    if isinstance(value, dict):
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        return flat.reshape([int(n) for n in str(shape).split(",")]) if shape else flat
    return np.array(value, dtype=float)


def latex_body(latex: str) -> str:
    return latex.strip().strip("$").strip()


def jacobian_shown(at: AppTest) -> np.ndarray:
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        if "∂π_k/∂z_l" in spec["layout"]["title"]["text"]:
            return plotly_array(spec["data"][0]["z"])
    raise AssertionError("no Jacobian heatmap")


def test_softmax_jacobian_at_temperature_2_is_the_derivative_in_z():
    at = open_page("pages/softmax.py")
    at.slider(key="softmax_k").set_value(2).run()
    for k in range(2):
        at.slider(key=f"softmax_z{k}").set_value(0.0)
    at.slider(key="softmax_temperature").set_value(2.0).run()
    shown = jacobian_shown(at)
    assert shown[0, 0] == pytest.approx(0.125, abs=1e-6)  # was 0.2500: the derivative in z/T
    # an oracle of the test's own: central differences of z -> softmax(z / 2) in z
    z, h = np.array([0.0, 0.0]), 1e-5

    def f(v):
        e = np.exp(v / 2 - np.max(v / 2))
        return e / e.sum()

    numeric = np.stack([(f(z + h * e) - f(z - h * e)) / (2 * h) for e in np.eye(2)], axis=1)
    np.testing.assert_allclose(shown, numeric, atol=1e-8)
    m = metrics(at)
    assert float(m["max |∂π/∂z − central differences|"]) < 1e-8
    assert float(m["max |row sum|"]) < 1e-12 and float(m["max |column sum|"]) < 1e-12
    text = " ".join(md.value for md in at.markdown)
    assert "shift invariance" in text and r"\pi_k / \pi_l = e^{(z_k - z_l)/T}" in text


def test_softmax_shift_table_uses_the_naive_formula():
    at = open_page("pages/softmax.py")
    for c in (-700.0, 300.0, 700.0):
        at.slider(key="softmax_shift").set_value(c).run()
        table = dataframe_with(at, "naive softmax(z / T + c)")
        assert list(table["naive softmax(z / T + c)"]) == list(table["naive softmax(z / T)"])
        assert float(metrics(at)["max |naive(z / T + c) − naive(z / T)|"]) < 1e-12
        assert not any("At this c" in w.value for w in at.warning)
    at.slider(key="softmax_shift").set_value(750.0).run()  # a stable column could not fail
    table = dataframe_with(at, "naive softmax(z / T + c)")
    assert "NaN" in list(table["naive softmax(z / T + c)"])
    assert any("NaN" in w.value for w in at.warning)


def test_softmax_overflow_and_underflow_demo():
    at = open_page("pages/softmax.py")
    assert any("overflows" in w.value for w in at.warning)  # default offset 1000
    at.number_input(key="softmax_offset").set_value(-1000.0).run()
    assert any("underflows" in w.value for w in at.warning)
    table = dataframe_with(at, "naive e^z / Σ e^z")
    assert set(table["naive e^z / Σ e^z"]) == {"NaN"}
    at.number_input(key="softmax_offset").set_value(0.0).run()
    assert not at.warning
    assert at.success
    table = dataframe_with(at, "naive e^z / Σ e^z")
    assert list(table["naive e^z / Σ e^z"]) == list(
        table["shifted e^(z − max z) / Σ e^(z − max z)"]
    )


def test_softmax_argmax_line():
    at = open_page("pages/softmax.py")
    argmax_line = next(md.value for md in at.markdown if md.value.startswith("**argmax"))
    assert "logits: class 1; argmax of the probabilities: class 1" in argmax_line


# ---- cross-entropy ---------------------------------------------------------------------------


def test_cross_entropy_nats_and_bits():
    at = open_page("pages/cross_entropy.py")
    m = metrics(at)
    assert m["bits per nat (1 / ln 2)"] == "1.4427"
    at.number_input(key="ce_nats").set_value(2.0).run()
    assert metrics(at)["the same in bits"] == "2.8854"
    assert any("(π − y) / ln 2" in c.value for c in at.caption)


def test_cross_entropy_entropy_kl_identity_and_units():
    at = open_page("pages/cross_entropy.py")
    m = metrics(at)
    h, hpq, kl = (float(m[k]) for k in ("H[p] (nats)", "H(p, q) (nats)", "KL(p ‖ q) (nats)"))
    assert h + kl == pytest.approx(hpq, abs=2e-4)
    at.text_input(key="ce_p").input("0.5, 0.5").run()
    at.text_input(key="ce_q").input("0.5, 0.5").run()
    m = metrics(at)
    assert m["H[p] (nats)"] == f"{math.log(2):.4f}"
    assert m["KL(p ‖ q) (nats)"] == "0.0000"
    at.radio(key="ce_unit").set_value("bits").run()
    assert metrics(at)["H[p] (bits)"] == "1.0000"
    at.text_input(key="ce_p").input("0, 1").run()
    assert metrics(at)["H[p] (bits)"] == "0.0000"  # not -0.0000


def test_cross_entropy_zero_probability_warning_is_true_in_float64():
    at = open_page("pages/cross_entropy.py")
    at.text_input(key="ce_q").input("1, 0, 0").run()
    warning = " ".join(w.value for w in at.warning)
    assert "never outputs an exact 0" not in warning
    assert "(0, −800)" in warning


def test_cross_entropy_bad_input_shows_an_error_not_a_traceback():
    at = open_page("pages/cross_entropy.py")
    at.text_input(key="ce_q").input("0.5, banana").run()
    assert not at.exception
    assert any("q" in e.value for e in at.error)
    at.text_input(key="ce_q").input("0.5, 0.5").run()  # 3 vs 2 entries
    assert any("same number" in e.value for e in at.error)
    at.checkbox(key="ce_normalise").uncheck().run()
    at.text_input(key="ce_q").input("0.5, 0.4, 0.4").run()
    assert any("sums to" in e.value for e in at.error)
    at.text_input(key="ce_logits").input("1e300, 0, 0").run()
    assert any("within" in e.value for e in at.error)
    at.text_input(key="ce_logits").input("").run()
    assert not at.exception
    assert any("logits" in e.value for e in at.error)


def test_cross_entropy_soft_labels_have_minimum_h_of_y():
    at = open_page("pages/cross_entropy.py")
    at.text_input(key="ce_target").input("0.8, 0.1, 0.1").run()
    m = metrics(at)
    assert m["−Σ y log softmax(z)"] == m["logsumexp(z) − Σ y z"]
    assert float(m["difference"]) < 1e-12
    assert float(m["max |(π − y) − central differences|"]) < 1e-6
    assert m["smallest possible loss for this y: H(y) (nats)"] == "0.6390"
    at.text_input(key="ce_logits").input(", ".join(str(math.log(v)) for v in (0.8, 0.1, 0.1)))
    at.run()
    assert metrics(at)["logsumexp(z) − Σ y z"] == "0.639032"  # reached at π = y
    at.text_input(key="ce_logits").input("1000, 0, 0").run()
    at.text_input(key="ce_target").input("0, 1, 0").run()
    assert metrics(at)["logsumexp(z) − Σ y z"] == "1000.000000"
    assert metrics(at)["smallest possible loss for this y: H(y) (nats)"] == "0.0000"
    assert any("underflowed" in w.value for w in at.warning)


def test_cross_entropy_clipping_caps_the_reported_loss_not_the_gradient():
    at = open_page("pages/cross_entropy.py")
    m = metrics(at)  # default margin 50
    assert m["exact loss (nats)"] == "50.0000"
    assert m["loss the notebook reports (nats)"] == "34.5388"
    assert m["exact ∂L/∂z_c"] == m["the notebook's ∂L/∂z_c"] == "-1.0000"
    assert m["slope of the clipped loss (autograd)"] == "0.0000"
    at.number_input(key="ce_margin").set_value(2.0).run()
    m = metrics(at)
    assert m["exact loss (nats)"] == m["loss the notebook reports (nats)"]


def test_cross_entropy_surprisal_slider():
    at = open_page("pages/cross_entropy.py")
    at.slider(key="ce_true_prob").set_value(0.25).run()
    m = metrics(at)
    assert m["loss −log₂ π_c (bits)"] == "2.0000"
    assert m["loss −ln π_c (nats)"] == f"{math.log(4):.4f}"


def test_cross_entropy_default_is_the_gradient_flow_example():
    at = open_page("pages/cross_entropy.py")
    table = dataframe_with(at, "π_k − y_k")
    assert list(table["π_k − y_k"]) == ["-0.3715", "0.2312", "0.1402"]
    assert metrics(at)["logsumexp(z) − Σ y z"] == "0.464369"


# ---- gradient --------------------------------------------------------------------------------


def bmatrix_shape(latex: str) -> tuple[int, int]:
    body = latex.split(r"\begin{bmatrix}")[1].split(r"\end{bmatrix}")[0]
    rows = body.split(r"\\")
    return len(rows), len(rows[0].split("&"))


def test_gradient_matches_finite_differences_and_properties_hold():
    at = open_page("pages/gradient.py")
    m = metrics(at)
    assert float(m["max gradient error"]) < 1e-6
    assert float(m["max |matrix form − the app's engine|"]) < 1e-12
    assert m["samples with ∂L/∂z_c < 0"] == "24 / 24"
    assert m["samples with all other components ≥ 0"] == "24 / 24"
    assert float(m["max ‖π − y‖ over the data (bound √2 = 1.4142)"]) <= math.sqrt(2)
    assert float(m["max ‖∂L⁽ⁱ⁾/∂W‖ / ‖x⁽ⁱ⁾‖ (bound √2)"]) <= math.sqrt(2)
    assert float(m["max |Hessian − differences of the gradient|"]) < 1e-6
    assert float(m["smallest eigenvalue"]) >= 0.0
    assert float(m["max |(π − y)φ(x)ᵀ − central differences|"]) < 1e-8
    assert len(at.latex) >= 16  # eight steps, formula and numbers each


def test_gradient_w_has_one_shape_k_by_d_everywhere():
    at = open_page("pages/gradient.py")
    # inputs: W₁₂ is class 1's weight on feature 2
    assert at.number_input(key="grad_W_0_1").label == "W₁₂"
    assert at.number_input(key="grad_W_2_1").label == "W₃₂"
    step6 = next(
        latex_body(lat.value)
        for lat in at.latex
        if latex_body(lat.value).startswith(r"\begin{bmatrix}") and r"\\" in lat.value
    )
    assert bmatrix_shape(step6) == (3, 2)  # K x D, like W
    l2_term = next(
        latex_body(lat.value) for lat in at.latex if latex_body(lat.value).startswith(r"\lambda W")
    )
    assert bmatrix_shape(l2_term) == (3, 2)
    text = " ".join(md.value for md in at.markdown)
    assert r"(P - Y)^{\top} X + \lambda W" in text and r"Z = XW^{\top}" in text
    assert "K × D" in text


def test_gradient_slides_three_terms_sum_to_the_shortcut():
    at = open_page("pages/gradient.py")
    rows = [md.value for md in at.markdown if r"\partial W_{11}" in md.value]
    assert rows
    for row in rows + [md.value for md in at.markdown if r"\partial b_1}" in md.value]:
        parts = [p.replace("&emsp;", "").rstrip(" $") for p in row.split("$\\displaystyle ")[1:]]
        pieces = [p.removeprefix("{").removesuffix("}") for p in parts]  # one group per piece
        terms = pieces[1].split(" = ")
        total = sum(float(t) for t in terms[0].split(" + "))
        assert total == pytest.approx(float(terms[1]), abs=2e-4)
        assert float(terms[1]) == pytest.approx(float(pieces[2].split(" = ")[1]), abs=1e-4)


def test_gradient_separable_data_table():
    at = open_page("pages/gradient.py")
    table = dataframe_with(at, "loss, λ = 0")
    free = [float(v) for v in table["largest |W_kj|, λ = 0"]]
    ridge = [float(v) for v in table["largest |W_kj|, λ = 0.01"]]
    assert free == sorted(free) and free[-1] > 2 * ridge[-1]
    assert any("no finite optimum" in c.value for c in at.caption)


def test_gradient_training_lowers_the_loss_and_reset_restores():
    at = open_page("pages/gradient.py")
    before = float(metrics(at)["cost J (mean loss + L2 term)"])
    w00 = at.number_input(key="grad_W_0_0").value
    at.number_input(key="grad_steps").set_value(30).run()
    at.button(key="grad_train").click().run()
    assert not at.exception
    after = float(metrics(at)["cost J (mean loss + L2 term)"])
    assert after < before
    assert at.number_input(key="grad_W_0_0").value != w00
    assert float(metrics(at)["max gradient error"]) < 1e-6
    at.button(key="grad_reset").click().run()
    assert at.number_input(key="grad_W_0_0").value == w00
    assert float(metrics(at)["cost J (mean loss + L2 term)"]) == before


def test_gradient_sample_l2_and_dataset_inputs():
    at = open_page("pages/gradient.py")
    assert at.number_input(key="grad_sample").value == 1  # samples count from 1
    at.number_input(key="grad_sample").set_value(18).run()
    at.number_input(key="grad_l2").set_value(0.5).run()
    m = metrics(at)
    assert m["sample i, true class c"] == "18, class 3"
    assert float(m["max |L2 term λW|"]) == pytest.approx(0.25, abs=1e-4)  # 0.5 * max |W| = 0.5
    assert float(m["max gradient error"]) < 1e-6
    at.radio(key="grad_data").set_value("The NumPy notebook's generator").run()
    assert not at.exception
    assert any("argmax" in c.value for c in at.caption)
    at.number_input(key="grad_W_0_0").set_value(12.0).run()
    assert float(metrics(at)["max gradient error"]) < 1e-6


def test_gradient_training_with_a_huge_learning_rate_stops_with_a_warning():
    at = open_page("pages/gradient.py")
    at.number_input(key="grad_lr").set_value(10.0)
    at.number_input(key="grad_l2").set_value(10.0)
    at.number_input(key="grad_steps").set_value(500).run()
    at.button(key="grad_train").click().run()
    assert not at.exception
    assert any("Training stopped" in w.value for w in at.warning)
    assert all(
        abs(at.number_input(key=f"grad_W_{k}_{j}").value) <= 50 for k in (0, 1, 2) for j in (0, 1)
    )
    at.run()  # the warning is for the run after training only
    assert not any("Training stopped" in w.value for w in at.warning)


# ---- logistic --------------------------------------------------------------------------------


def test_logistic_sigmoid_example_and_inputs():
    at = open_page("pages/logistic.py")
    m = metrics(at)
    assert m["a = P(y = 1 | x)"] == "0.9526"
    assert m["1 − a = P(y = 0 | x)"] == "0.0474"
    assert m["z = wx + b"] == "3"
    at.number_input(key="logit_w").set_value(0.0).run()
    m = metrics(at)
    assert (m["z = wx + b"], m["a = P(y = 1 | x)"]) == ("1", "0.7311")


def test_logistic_two_class_softmax_equals_sigmoid():
    at = open_page("pages/logistic.py")
    at.slider(key="logit_z1").set_value(4.0).run()
    at.slider(key="logit_z2").set_value(-2.5).run()
    m = metrics(at)
    assert m["π₁ = softmax([z1, z2])₁"] == m["σ(z1 − z2)"] == f"{1 / (1 + math.exp(-6.5)):.6f}"
    at.radio(key="logit_y").set_value(0).run()
    m = metrics(at)
    assert m["binary cross-entropy"] == m["2-class cross-entropy, logits [z, 0]"]


def test_logistic_column_is_pi_1_of_class_1_which_is_y_equals_1():
    at = open_page("pages/logistic.py")
    at.number_input(key="logit_gw2").set_value(1.0).run()
    m = metrics(at)
    assert m["logistic ∂J/∂w (w₁, w₂)"] == m["softmax ∂J/∂W, class 1 (W₁₁, W₁₂)"]
    assert m["linear ∂J/∂w (w₁, w₂)"] != m["logistic ∂J/∂w (w₁, w₂)"]
    assert float(m["max |analytic − finite differences|, all three models"]) < 1e-6
    table = dataframe_with(at, "softmax π₁ − y₁")
    assert "softmax a₁ − y₁" not in table.columns
    x1, x2 = table["x₁"].astype(float), table["x₂"].astype(float)
    y = table["y"].astype(int)
    w1, w2, b = (at.number_input(key=k).value for k in ("logit_gw1", "logit_gw2", "logit_gb"))
    sigma = 1 / (1 + np.exp(-(w1 * x1 + w2 * x2 + b)))  # P(y = 1), the page's π₁
    np.testing.assert_allclose(table["softmax π₁ − y₁"].astype(float), sigma - y, atol=2e-4)
    assert list(table["softmax π₁ − y₁"]) == list(table["logistic a − y"])
    assert metrics(at)["ratio"] == "2.0000, 2.0000"
    text = " ".join(md.value for md in at.markdown)
    assert "1/(2m)" in text and "twice as far" in text


# ---- about and words a student does not know ---------------------------------------------


def test_about_links_every_page_and_shows_the_glossary():
    at = open_page("pages/about.py")
    linked = {link.proto.page for link in at.get("page_link")}
    # the playground is the default page, served at "/": its URL path is ""
    assert {"", "softmax", "cross_entropy", "gradient", "logistic"} <= linked
    glossary = next(md.value for md in at.markdown if md.value.startswith("| symbol"))
    assert r"W \in \mathbb R^{K\times D}" in glossary
    assert "CS231n" in glossary and "λW" in glossary


BANNED = ("seed", "softmax_core", "cce_loss", "get_loss_grad")
REPO_PATH = re.compile(
    r"\b(docs|pages|lessons|charts|tests|playground|softmax_core|ui|data)/\w|\w\.(py|md)\b"
)


def shown_text(at: AppTest) -> list[str]:
    """Every text a student can read on the page except code blocks."""
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "latex", "info"):
        texts += [el.value for el in getattr(at, kind)]
    texts += [el.value for el in (*at.warning, *at.success, *at.error)]
    for m in at.metric:
        texts += [m.label, m.value]
    for table in (*at.table, *at.dataframe):
        df = table.value
        texts += [str(c) for c in df.columns] + [str(v) for v in df.to_numpy().ravel()]
    for kind in ("button", "slider", "number_input", "text_input", "checkbox"):
        texts += [el.label for el in getattr(at, kind)]
    for radio in at.radio:
        texts += [radio.label, *map(str, radio.options)]
    for chart in at.get("plotly_chart"):
        texts.append(json.dumps(json.loads(chart.proto.spec)["layout"], ensure_ascii=False))
    for link in at.get("page_link"):
        texts.append(link.proto.label)
    return texts


@pytest.mark.parametrize("path", THEORY_PAGES)
def test_no_page_shows_internal_names_or_repository_paths(path):
    at = open_page(path)
    if path == "pages/gradient.py":  # the notebook data set shows its own caption
        at.radio(key="grad_data").set_value("The NumPy notebook's generator").run()
    texts = shown_text(at)
    assert len(texts) > 20
    for text in texts:
        low = text.lower()
        assert not [w for w in BANNED if w in low], text[:200]
        assert not REPO_PATH.search(text), text[:200]
