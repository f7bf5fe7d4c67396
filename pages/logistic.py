"""Logistic regression is softmax regression with K = 2: sigmoid, loss and gradients compared."""

import numpy as np
import streamlit as st

from charts import HIGHLIGHT
from charts.theory import curves
from lessons.logistic_lessons import (
    START_B,
    START_W,
    binary_cross_entropy,
    binary_dataset,
    sigmoid_example,
    three_gradients,
    two_class,
)
from softmax_core import sigmoid, softmax
from ui.navigation import page_frame
from ui.page_state import keep_widget_values

page_frame("Logistic regression: K = 2")

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
    "Seed note 003 presents softmax regression as the generalisation of logistic regression. "
    "Read the other way: logistic regression is softmax regression with two classes."
)
st.markdown(
    "| | Logistic regression | Softmax regression |\n"
    "|---|---|---|\n"
    "| Output | Binary (2 classes) | Multiclass (K classes) |\n"
    "| Activation function | Sigmoid g(z) = 1 / (1 + e^(−z)) | Softmax e^(z_k) / Σ_j e^(z_j) |\n"
    "| Prediction | Threshold: class 1 if a ≥ 0.5 | Argmax: the class with the largest a_k |\n"
    "| Loss function | Binary cross-entropy | Cross-entropy |"
)

st.header("The sigmoid is a two-class softmax")
st.latex(
    r"a_1 = \frac{e^{z_1}}{e^{z_1} + e^{z_2}}"
    r" = \frac{e^{z_1}/e^{z_1}}{e^{z_1}/e^{z_1} + e^{z_2}/e^{z_1}}"
    r" = \frac{1}{1 + e^{-(z_1 - z_2)}} = g(z_1 - z_2)"
)
s1, s2 = st.columns(2)
z1 = s1.slider("Logit z1 (class 1)", -10.0, 10.0, step=0.1, key="logit_z1")
z2 = s2.slider("Logit z2 (class 2)", -10.0, 10.0, step=0.1, key="logit_z2")
tc = two_class(z1, z2)
m1, m2, m3 = st.columns(3)
m1.metric("softmax([z1, z2])₁", f"{tc.softmax_probs[0]:.6f}")
m2.metric("sigmoid(z1 − z2)", f"{tc.sigmoid_prob:.6f}")
m3.metric("|difference|", f"{tc.difference:.1e}")
zs = np.linspace(-10, 10, 401)
st.plotly_chart(
    curves(
        zs,
        {
            "sigmoid g(z′)": sigmoid(zs),
            "softmax([z′, 0])₁": softmax(np.stack([zs, np.zeros_like(zs)], axis=1))[:, 0],
        },
        x_title="z′ = z1 − z2",
        y_title="P(class 1)",
        title="Two routes, one curve (the dashed line lies on the solid one)",
        dashes=["solid", "dash"],
        marker=(z1 - z2, tc.sigmoid_prob),
    ),
    key="logit_sigmoid_chart",
)
st.caption(
    "Only the difference z1 − z2 matters (softmax is shift invariant), so a two-class softmax "
    "has one redundant set of weights: fixing w2 = 0, b2 = 0 leaves exactly logistic regression."
)

st.header("Seed 003's sigmoid example")
c1, c2, c3 = st.columns(3)
w = c1.number_input("Weight w", -20.0, 20.0, step=0.5, key="logit_w")
b = c2.number_input("Bias b", -20.0, 20.0, step=0.5, key="logit_b")
x = c3.number_input("Input x", -20.0, 20.0, step=0.5, key="logit_x")
z, a, one_minus_a = sigmoid_example(w, b, x)
st.latex(
    rf"z = wx + b = {w:g}\cdot {x:g} + {b:g} = {z:g},\qquad "
    rf"a = g(z) = \frac{{1}}{{1 + e^{{-z}}}} = {a:.4f},\qquad 1 - a = {one_minus_a:.4f}"
)
e1, e2, e3 = st.columns(3)
e1.metric("z = wx + b", f"{z:g}")
e2.metric("a = P(y = 1 | x)", f"{a:.4f}")
e3.metric("1 − a = P(y = 0 | x)", f"{one_minus_a:.4f}")
st.caption("With w = 2, b = 1, x = 1 (the note's values): z = 3, a = 0.9526, 1 − a = 0.0474.")

st.header("Binary cross-entropy is two-class cross-entropy")
st.latex(
    r"L = -y\log a_1 - (1 - y)\log(1 - a_1) = -y_1\log a_1 - y_2\log a_2"
    r" = -\sum_{k=1}^{2} y_k \log a_k"
)
label = st.radio("True label y of the example above", [1, 0], key="logit_y", horizontal=True)
bce, ce = binary_cross_entropy(z, label)
x1, x2, x3 = st.columns(3)
x1.metric("binary cross-entropy", f"{bce:.6f}")
x2.metric("2-class cross-entropy of [z, 0]", f"{ce:.6f}")
x3.metric("|BCE − CE|", f"{abs(bce - ce):.1e}")
st.caption(
    "Both are computed from z (log a = −log(1 + e^(−z))), never from a clipped a, so a confident "
    "mistake costs its full loss instead of a capped one."
)

st.header("Three models, one gradient: prediction minus truth")
mark = rf"\color{{{HIGHLIGHT}}}{{\left(a^{{(i)}} - y^{{(i)}}\right)}}"
g1, g2, g3 = st.columns(3)
with g1:
    st.markdown("**Linear regression** (squared loss, a = w·x + b)")
    st.latex(rf"\frac{{\partial J}}{{\partial w_j}} = \frac{{2}}{{m}}\sum_i {mark}\, x_j^{{(i)}}")
with g2:
    st.markdown("**Logistic regression** (a = g(w·x + b))")
    st.latex(rf"\frac{{\partial J}}{{\partial w_j}} = \frac{{1}}{{m}}\sum_i {mark}\, x_j^{{(i)}}")
with g3:
    st.markdown("**Softmax regression** (a_k = softmax(z)_k)")
    mark_k = rf"\color{{{HIGHLIGHT}}}{{\left(a_k^{{(i)}} - y_k^{{(i)}}\right)}}"
    st.latex(
        rf"\frac{{\partial J}}{{\partial w_{{k,j}}}} = \frac{{1}}{{m}}\sum_i {mark_k}\, x_j^{{(i)}}"
    )
st.markdown(
    "Evaluated below on eight points (two classes, y ∈ {0, 1}) with the same w and b in all three "
    "models. The softmax model has logits [0, w·x + b], so its class 'y = 1' column is the "
    "logistic one."
)
p1, p2, p3 = st.columns(3)
gw1 = p1.number_input("w1", -10.0, 10.0, step=0.1, key="logit_gw1")
gw2 = p2.number_input("w2", -10.0, 10.0, step=0.1, key="logit_gw2")
gb = p3.number_input("b", -10.0, 10.0, step=0.1, key="logit_gb")
X, y = binary_dataset()
tg = three_gradients([gw1, gw2], gb, X, y)
st.dataframe(
    {
        "x1": X[:, 0],
        "x2": X[:, 1],
        "y": y,
        "linear a − y": tg.a_linear - y,
        "logistic a − y": tg.a_logistic - y,
        "softmax a₁ − y₁": tg.a_softmax - y,
    },
    key="logit_residual_table",
    hide_index=True,
)
r1, r2, r3 = st.columns(3)
r1.metric("linear ∂J/∂w (w1, w2)", f"{tg.grad_linear[0]:.4f}, {tg.grad_linear[1]:.4f}")
r2.metric("logistic ∂J/∂w (w1, w2)", f"{tg.grad_logistic[0]:.4f}, {tg.grad_logistic[1]:.4f}")
r3.metric(
    "softmax ∂J/∂w, class y = 1 (w1, w2)", f"{tg.grad_softmax[0]:.4f}, {tg.grad_softmax[1]:.4f}"
)
st.metric("max |analytic − finite differences|, all three models", f"{tg.max_fd_error:.1e}")
st.caption(
    "The logistic and softmax gradients are the same numbers. Linear regression has the same "
    "shape with an unsquashed prediction and the factor 2 of the squared loss."
)

st.header("Why the same term every time")
st.markdown(
    "Seed 000 notes that this is no coincidence. Each of the three models is an exponential "
    "family with its canonical link: Gaussian (identity, linear regression), Bernoulli (sigmoid, "
    "logistic regression) and categorical (softmax, softmax regression). For such a model the "
    "gradient of the negative log-likelihood with respect to the natural parameter is always "
    "E[y | x] − y, the prediction minus the truth. (The 2 in linear regression is because "
    "(a − y)² is the Gaussian negative log-likelihood only up to a factor: with variance 1/2.)"
)
