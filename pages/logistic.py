"""Logistic regression is softmax regression with K = 2: sigmoid, loss and gradients compared."""

import numpy as np
import streamlit as st

from charts import HIGHLIGHT
from charts.latex import NARROW_SCREEN_CSS, fixed, formula_row
from charts.theory import curves
from lessons.logistic_lessons import (
    START_B,
    START_W,
    binary_cross_entropy,
    binary_dataset,
    difference_speed,
    sigmoid_example,
    three_gradients,
    two_class,
)
from softmax_core import sigmoid, softmax
from ui.a11y import plotly_chart
from ui.navigation import page_frame
from ui.page_state import keep_widget_values

page_frame("Logistic regression: K = 2")
st.html(NARROW_SCREEN_CSS)

DEFAULTS = {
    "logit_z1": 1.0,
    "logit_z2": -0.5,
    "logit_w": 2.0,
    "logit_b": 1.0,
    "logit_x": 1.0,
    "logit_y": 1,
    "logit_gw1": START_W[0],
    "logit_gw2": START_W[1],
    "logit_gb": START_B,
}
keep_widget_values(DEFAULTS)  # survives a visit to another page: see ui.page_state

st.title("Logistic regression: K = 2")
st.markdown(
    "The slides present softmax regression as the generalisation of logistic regression. "
    "Read the other way: logistic regression is softmax regression with two classes. One "
    "convention holds on this whole page: **class 1 is y = 1 and class 2 is y = 0**, so "
    "π₁ = P(y = 1 | x) (the slides' a₁) and π₂ = 1 − π₁ (their a₂). σ is the sigmoid, which "
    "the slides call g."
)
st.markdown(
    "| | Logistic regression | Softmax regression |\n"
    "|---|---|---|\n"
    "| Output | Binary (2 classes) | Multiclass (K classes) |\n"
    "| Activation | Sigmoid σ(z) = 1 / (1 + e^(−z)) | Softmax e^(z_k) / Σ_l e^(z_l) |\n"
    "| Prediction | Threshold: y = 1 if π₁ ≥ 0.5 | Argmax: the class with the largest π_k |\n"
    "| Loss function | Binary cross-entropy | Cross-entropy |"
)

st.header("The sigmoid is a two-class softmax")
st.markdown(
    formula_row(
        r"\pi_1 = \frac{e^{z_1}}{e^{z_1} + e^{z_2}}",
        r"= \frac{e^{z_1}/e^{z_1}}{e^{z_1}/e^{z_1} + e^{z_2}/e^{z_1}}",
        r"= \frac{1}{1 + e^{-(z_1 - z_2)}} = \sigma(z_1 - z_2)",
        sep=" ",
    )
)
s1, s2 = st.columns(2)
z1 = s1.slider("Logit z1 (class 1)", -10.0, 10.0, step=0.1, key="logit_z1")
z2 = s2.slider("Logit z2 (class 2)", -10.0, 10.0, step=0.1, key="logit_z2")
tc = two_class(z1, z2)
m1, m2, m3 = st.columns(3)
m1.metric("π₁ = softmax([z1, z2])₁", f"{tc.softmax_probs[0]:.6f}")
m2.metric("σ(z1 − z2)", f"{tc.sigmoid_prob:.6f}")
m3.metric("|difference|", f"{tc.difference:.1e}")
zs = np.linspace(-10, 10, 401)
plotly_chart(
    st,
    curves(
        zs,
        {
            "σ(z′)": sigmoid(zs),
            "π₁ = softmax([z′, 0])₁": softmax(np.stack([zs, np.zeros_like(zs)], axis=1))[:, 0],
        },
        x_title="z′ = z1 − z2",
        y_title="π₁ = P(y = 1 | x)",
        title="Two routes, one curve (the dashed line lies on the solid one)",
        dashes=["solid", "dash"],
        marker=(z1 - z2, tc.sigmoid_prob),
    ),
    key="logit_sigmoid_chart",
)
st.caption(
    "Only the difference z1 − z2 matters (softmax is shift invariant), so a two-class softmax "
    "has one redundant set of weights: fixing class 2's row of W and b₂ at 0 leaves exactly "
    "logistic regression, with z = z1."
)

st.header("The slides' sigmoid example")
c1, c2, c3 = st.columns(3)
w = c1.number_input("Weight w", -20.0, 20.0, step=0.5, key="logit_w")
b = c2.number_input("Bias b", -20.0, 20.0, step=0.5, key="logit_b")
x = c3.number_input("Input x", -20.0, 20.0, step=0.5, key="logit_x")
z, a, one_minus_a = sigmoid_example(w, b, x)
st.markdown(
    formula_row(
        rf"z = wx + b = {w:g}\cdot {x:g} + {b:g} = {z:g}",
        rf"a = \sigma(z) = \frac{{1}}{{1 + e^{{-z}}}} = {a:.4f}",
        rf"1 - a = {one_minus_a:.4f}",
    )
)
e1, e2, e3 = st.columns(3)
e1.metric("z = wx + b", f"{z:g}")
e2.metric("a = P(y = 1 | x)", f"{a:.4f}")
e3.metric("1 − a = P(y = 0 | x)", f"{one_minus_a:.4f}")
st.caption("With w = 2, b = 1, x = 1 (the note's values): z = 3, a = 0.9526, 1 − a = 0.0474.")

st.header("Binary cross-entropy is two-class cross-entropy")
st.markdown(
    formula_row(
        r"L = -y\log \pi_1 - (1 - y)\log(1 - \pi_1)",
        r"= -y_1\log \pi_1 - y_2\log \pi_2 = -\sum_{k=1}^{2} y_k \log \pi_k",
        sep=" ",
    )
)
st.markdown("with y₁ = y and y₂ = 1 − y: the one-hot vector of classes 1 and 2.")
label = st.radio("True label y of the example above", [1, 0], key="logit_y", horizontal=True)
bce, ce = binary_cross_entropy(z, label)
x1, x2, x3 = st.columns(3)
x1.metric("binary cross-entropy", f"{bce:.6f}")
x2.metric("2-class cross-entropy, logits [z, 0]", f"{ce:.6f}")
x3.metric("|BCE − CE|", f"{abs(bce - ce):.1e}")
st.caption(
    "Both are computed from z (log π₁ = −log(1 + e^(−z))), never from a clipped π, so a confident "
    "mistake costs its full loss instead of a capped one."
)

st.header("Three models, one gradient: prediction minus truth")
st.markdown("The costs, over m samples (the slides' m is N elsewhere in the app):")
st.markdown(
    formula_row(
        r"J_{\text{lin}} = \frac1m\sum_i \big(a^{(i)} - y^{(i)}\big)^2,"
        r"\ a = \mathbf w^{\top}\mathbf x + b",
        r"J_{\text{log}} = \frac1m\sum_i \ell\big(a^{(i)}, y^{(i)}\big)",
        r"\ell(a, y) = -y\log a - (1 - y)\log(1 - a)",
        r"a = \sigma(\mathbf w^{\top}\mathbf x + b)",
        r"J_{\text{soft}} = \frac1m\sum_i -\sum_k y_k^{(i)}\log \pi_k^{(i)}",
    )
)
mark = rf"\color{{{HIGHLIGHT}}}{{\left(a^{{(i)}} - y^{{(i)}}\right)}}"
mark_k = rf"\color{{{HIGHLIGHT}}}{{\left(\pi_k^{{(i)}} - y_k^{{(i)}}\right)}}"
st.markdown(
    formula_row(
        rf"\frac{{\partial J_{{\text{{lin}}}}}}{{\partial w_j}} = "
        rf"\frac{{2}}{{m}}\sum_i {mark}\, x_j^{{(i)}}",
        rf"\frac{{\partial J_{{\text{{log}}}}}}{{\partial w_j}} = "
        rf"\frac{{1}}{{m}}\sum_i {mark}\, x_j^{{(i)}}",
        rf"\frac{{\partial J_{{\text{{soft}}}}}}{{\partial W_{{kj}}}} = "
        rf"\frac{{1}}{{m}}\sum_i {mark_k}\, x_j^{{(i)}}",
    )
)
st.markdown(
    "The slides' 2/m belongs to the cost (1/m) Σ (a − y)²; with the other common convention, "
    "1/(2m) Σ (a − y)², it is 1/m. Below, eight points (two classes, y ∈ {0, 1}) and the same "
    "w, b in all three models; the softmax model has logits [w·x + b, 0], so its class 1 "
    "(y = 1) column is the logistic one. Here w₁, w₂ are the weights of features 1 and 2."
)
p1, p2, p3 = st.columns(3)
gw1 = p1.number_input("w₁ (feature 1)", -10.0, 10.0, step=0.1, key="logit_gw1")
gw2 = p2.number_input("w₂ (feature 2)", -10.0, 10.0, step=0.1, key="logit_gw2")
gb = p3.number_input("b", -10.0, 10.0, step=0.1, key="logit_gb")
X, y = binary_dataset()
tg = three_gradients([gw1, gw2], gb, X, y)
st.table(
    {
        "i": [str(i + 1) for i in range(len(y))],
        "x₁": fixed(X[:, 0]),
        "x₂": fixed(X[:, 1]),
        "y": [str(int(v)) for v in y],
        "linear a − y": fixed(tg.a_linear - y),
        "logistic a − y": fixed(tg.a_logistic - y),
        "softmax π₁ − y₁": fixed(tg.a_softmax - y),
    },
    hide_index=True,
)
r1, r2, r3 = st.columns(3)
r1.metric("linear ∂J/∂w (w₁, w₂)", f"{tg.grad_linear[0]:.4f}, {tg.grad_linear[1]:.4f}")
r2.metric("logistic ∂J/∂w (w₁, w₂)", f"{tg.grad_logistic[0]:.4f}, {tg.grad_logistic[1]:.4f}")
r3.metric(
    "softmax ∂J/∂W, class 1 (W₁₁, W₁₂)", f"{tg.grad_softmax[0]:.4f}, {tg.grad_softmax[1]:.4f}"
)
st.metric("max |analytic − finite differences|, all three models", f"{tg.max_fd_error:.1e}")
st.caption(
    "The logistic and softmax gradients are the same numbers. Linear regression has the same "
    "shape with an unsquashed prediction and the factor 2 of its cost."
)
st.markdown(
    "**Same gradient, twice the speed.** A two-class softmax trains both rows of W, and their "
    "gradients are (π₁ − y₁)x and −(π₁ − y₁)x. So one gradient step moves the difference of "
    "the two rows (row 1 − row 2, what z₁ − z₂ depends on) twice as far as logistic "
    "regression moves w: with the same "
    "learning rate the softmax model runs at double speed (half the learning rate matches)."
)
logistic_step, softmax_step = difference_speed([gw1, gw2], gb, X, y)
v1, v2, v3 = st.columns(3)
v1.metric("logistic: change of w in one step", ", ".join(fixed(logistic_step)))
v2.metric("softmax: change of row 1 − row 2 of W", ", ".join(fixed(softmax_step)))
with np.errstate(divide="ignore", invalid="ignore"):
    ratio = softmax_step / logistic_step
v3.metric("ratio", ", ".join(fixed(ratio)))

st.header("Why the same term every time")
st.markdown(
    "The NumPy notebook notes that this is no coincidence. Each of the three models is an "
    "exponential family with its canonical link: Gaussian (identity, linear regression), "
    "Bernoulli (sigmoid, logistic regression) and categorical (softmax, softmax regression). "
    "For such a model the gradient of the negative log-likelihood with respect to the natural "
    "parameter is always E[y | x] − y, the prediction minus the truth. (The 2 of linear "
    "regression appears because (a − y)² is the Gaussian negative log-likelihood only up to a "
    "factor: it is exactly that with variance 1/2.)"
)
st.info(
    "**Erratum, the slides.** Their general softmax ends with a_K = P(y = N | x): it is "
    "P(y = K | x). Their K-class loss ends with −y_N log a_K: it is −y_K log a_K. The formula "
    "a_k = e^(z_k) / Σ_k e^(z_k) reuses k as the summation index (write Σ_l e^(z_l)), and the "
    "gradient slides print a_k = e^(z_1) / Σ e^(z_k) for the general a_k. Their feature index "
    "j runs to N while N is also a class count: features run to D here.",
    icon="✏️",
)
