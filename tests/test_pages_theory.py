"""The theory pages in AppTest: each runs without exception and shows the right numbers."""

from __future__ import annotations

import json
import math
from pathlib import Path

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
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no dataframe with column {column!r}")


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
    assert (m["p1"], m["p2"], m["p3"]) == ("0.0420", "0.1142", "0.8438")
    table = dataframe_with(at, "seed 003 prints")
    assert list(table["rounded to 4 places"]) == ["0.0420", "0.1142", "0.8438"]
    assert list(table["truncated to 4 places"]) == ["0.0420", "0.1141", "0.8437"]
    assert any("truncated" in md.value or "cut off" in md.value for md in at.markdown)


def test_softmax_more_classes_and_temperature():
    at = open_page("pages/softmax.py")
    at.slider(key="softmax_k").set_value(5).run()
    probs = [float(metrics(at)[f"p{k}"]) for k in range(1, 6)]
    assert sum(probs) == pytest.approx(1.0, abs=5e-4)
    at.slider(key="softmax_temperature").set_value(10.0).run()
    hot = [float(metrics(at)[f"p{k}"]) for k in range(1, 6)]
    assert max(hot) - min(hot) < max(probs) - min(probs)  # flatter at high temperature
    assert not at.exception


def test_softmax_shift_jacobian_and_argmax():
    at = open_page("pages/softmax.py")
    at.slider(key="softmax_shift").set_value(75.0).run()
    m = metrics(at)
    assert float(m["max |softmax(z + c) − softmax(z)|"]) < 1e-12
    assert float(m["max |J − central differences|"]) < 1e-8
    assert float(m["max |row sum of J|"]) < 1e-12
    argmax_line = next(md.value for md in at.markdown if md.value.startswith("**argmax"))
    assert "logits: class 1; argmax of the probabilities: class 1" in argmax_line


def test_softmax_overflow_demo_warns_only_when_naive_fails():
    at = open_page("pages/softmax.py")
    assert any("naive formula fails" in w.value for w in at.warning)  # default offset 1000
    at.number_input(key="softmax_offset").set_value(0.0).run()
    assert not at.warning
    assert at.success
    table = dataframe_with(at, "naive exp(z) / Σ exp(z)")
    assert list(table["naive exp(z) / Σ exp(z)"]) == list(
        table["shifted exp(z − max z) / Σ exp(z − max z)"]
    )


# ---- cross-entropy ---------------------------------------------------------------------------


def test_cross_entropy_nats_and_bits():
    at = open_page("pages/cross_entropy.py")
    m = metrics(at)
    assert m["bits per nat (1 / ln 2)"] == "1.4427"
    assert m["bits per nat (1 / ln 2)"].startswith("1.44")
    at.number_input(key="ce_nats").set_value(2.0).run()
    assert metrics(at)["the same in bits"] == "2.8854"


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


def test_cross_entropy_loss_two_ways_with_soft_labels():
    at = open_page("pages/cross_entropy.py")
    at.text_input(key="ce_target").input("0.8, 0.1, 0.1").run()
    m = metrics(at)
    assert m["−Σ y log softmax(o)"] == m["logsumexp(o) − Σ y o"]
    assert float(m["difference"]) < 1e-12
    assert float(m["max |(ŷ − y) − central differences|"]) < 1e-6
    at.text_input(key="ce_logits").input("1000, 0, 0").run()
    at.text_input(key="ce_target").input("0, 1, 0").run()
    assert metrics(at)["logsumexp(o) − Σ y o"] == "1000.000000"
    assert any("underflowed" in w.value for w in at.warning)


def test_cross_entropy_clipping_caps_the_loss():
    at = open_page("pages/cross_entropy.py")
    m = metrics(at)  # default margin 50
    assert m["exact loss (nats)"] == "50.0000"
    assert m["clipped loss (nats)"] == "34.5388"
    assert m["exact ∂ℓ/∂z_c"] == "-1.0000"
    assert float(m["slope of the clipped loss"]) == 0.0
    at.number_input(key="ce_margin").set_value(2.0).run()
    m = metrics(at)
    assert m["exact loss (nats)"] == m["clipped loss (nats)"]


def test_cross_entropy_surprisal_slider():
    at = open_page("pages/cross_entropy.py")
    at.slider(key="ce_true_prob").set_value(0.25).run()
    m = metrics(at)
    assert m["loss −log₂ ŷ_c (bits)"] == "2.0000"
    assert m["loss −ln ŷ_c (nats)"] == f"{math.log(4):.4f}"


# ---- gradient --------------------------------------------------------------------------------


def test_gradient_matches_finite_differences_and_properties_hold():
    at = open_page("pages/gradient.py")
    m = metrics(at)
    assert float(m["max gradient error"]) < 1e-6
    assert float(m["max |matrix form − softmax_core|"]) < 1e-12
    assert m["samples with ∂L/∂z_c < 0"] == "24 / 24"
    assert m["samples with all other components ≥ 0"] == "24 / 24"
    assert float(m["max ‖π − y‖ over the data (bound √2 = 1.4142)"]) <= math.sqrt(2)
    assert len(at.latex) >= 16  # eight steps, formula and numbers each


def test_gradient_training_lowers_the_loss_and_reset_restores():
    at = open_page("pages/gradient.py")
    before = float(metrics(at)["mean loss (with L2 term)"])
    w00 = at.number_input(key="grad_W_0_0").value
    at.number_input(key="grad_steps").set_value(30).run()
    at.button(key="grad_train").click().run()
    assert not at.exception
    after = float(metrics(at)["mean loss (with L2 term)"])
    assert after < before
    assert at.number_input(key="grad_W_0_0").value != w00
    assert float(metrics(at)["max gradient error"]) < 1e-6
    at.button(key="grad_reset").click().run()
    assert at.number_input(key="grad_W_0_0").value == w00
    assert float(metrics(at)["mean loss (with L2 term)"]) == before


def test_gradient_sample_l2_and_dataset_inputs():
    at = open_page("pages/gradient.py")
    at.number_input(key="grad_sample").set_value(17).run()
    at.number_input(key="grad_l2").set_value(0.5).run()
    m = metrics(at)
    assert m["sample i, true class"] == "17, class 3"
    assert float(m["max |L2 term λW|"]) == pytest.approx(0.25, abs=1e-4)  # 0.5 * max |W| = 0.5
    assert float(m["max gradient error"]) < 1e-6
    at.radio(key="grad_data").set_value("Seed 000's generator").run()
    assert not at.exception
    assert any("TypeError" in c.value for c in at.caption)
    at.number_input(key="grad_W_0_0").set_value(12.0).run()
    assert float(metrics(at)["max gradient error"]) < 1e-6


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
    assert m["softmax([z1, z2])₁"] == m["sigmoid(z1 − z2)"] == f"{1 / (1 + math.exp(-6.5)):.6f}"
    at.radio(key="logit_y").set_value(0).run()
    m = metrics(at)
    assert m["binary cross-entropy"] == m["2-class cross-entropy of [z, 0]"]


def test_logistic_three_gradients_share_the_residual():
    at = open_page("pages/logistic.py")
    at.number_input(key="logit_gw2").set_value(1.0).run()
    m = metrics(at)
    assert m["logistic ∂J/∂w (w1, w2)"] == m["softmax ∂J/∂w, class y = 1 (w1, w2)"]
    assert m["linear ∂J/∂w (w1, w2)"] != m["logistic ∂J/∂w (w1, w2)"]
    assert float(m["max |analytic − finite differences|, all three models"]) < 1e-6
    table = dataframe_with(at, "logistic a − y")
    assert (table["logistic a − y"] - table["softmax a₁ − y₁"]).abs().max() < 1e-12


# ---- about -----------------------------------------------------------------------------------


def test_about_links_every_page():
    at = open_page("pages/about.py")
    linked = {link.proto.page for link in at.get("page_link")}
    # the playground is the default page, served at "/": its URL path is ""
    assert {"", "softmax", "cross_entropy", "gradient", "logistic"} <= linked


def test_cross_entropy_default_is_seed_001_gradient_flow_example():
    at = open_page("pages/cross_entropy.py")
    table = dataframe_with(at, "ŷ_j − y_j")
    assert [round(v, 4) for v in table["ŷ_j − y_j"]] == [-0.3715, 0.2312, 0.1402]
    assert metrics(at)["logsumexp(o) − Σ y o"] == "0.464369"


def test_gradient_training_with_a_huge_learning_rate_stops_with_a_warning():
    at = open_page("pages/gradient.py")
    at.number_input(key="grad_lr").set_value(10.0)
    at.number_input(key="grad_l2").set_value(10.0)
    at.number_input(key="grad_steps").set_value(500).run()
    at.button(key="grad_train").click().run()
    assert not at.exception
    assert any("Training stopped" in w.value for w in at.warning)
    assert all(
        abs(at.number_input(key=f"grad_W_{d}_{k}").value) <= 50 for d in (0, 1) for k in (0, 1, 2)
    )
    at.run()  # the warning is for the run after training only
    assert not any("Training stopped" in w.value for w in at.warning)
