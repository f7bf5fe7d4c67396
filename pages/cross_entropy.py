"""Cross-entropy and information: entropy, cross-entropy, KL, surprisal, units, the loss."""

import numpy as np
import streamlit as st

from charts.latex import NARROW_SCREEN_CSS, fixed, formula_row
from charts.theory import class_labels, curve_with_marker, curves, grouped_bars
from lessons.information import (
    CLIP_CAP_NATS,
    NAT_IN_BITS,
    as_distribution,
    check_magnitude,
    clipping_curves,
    clipping_demo,
    loss_two_ways,
    parse_vector,
    soft_label_loss,
    soft_label_minimum,
)
from lessons.numerics import central_gradient
from softmax_core import distribution_cross_entropy, entropy, kl_divergence, softmax, surprisal
from ui.a11y import plotly_chart
from ui.navigation import page_frame
from ui.page_state import keep_widget_values

page_frame("Cross-entropy")
st.html(NARROW_SCREEN_CSS)

DEFAULTS = {
    "ce_p": "0.7, 0.2, 0.1",
    "ce_q": "0.5, 0.3, 0.2",
    "ce_normalise": True,
    "ce_unit": "nats",
    "ce_nats": 1.0,
    "ce_true_prob": 0.5,
    "ce_logits": "2.0, 1.0, 0.5",
    "ce_target": "1, 0, 0",
    "ce_margin": 50.0,
}
keep_widget_values(DEFAULTS)  # survives a visit to another page: see ui.page_state


def erratum(source: str, text: str) -> None:
    st.info(f"**Erratum, {source}.** {text}", icon="✏️")


st.title("Cross-entropy and information")
st.markdown(
    "The softmax regression loss is a cross-entropy: the cost, in nats, of describing what "
    "happened with the probabilities the model predicted. It is also the **negative** "
    "log-likelihood: the model's probability of all the labels is the product "
    "Π_i P(c⁽ⁱ⁾ | x⁽ⁱ⁾), the log turns the product into a sum, and the minus sign turns "
    "maximising the likelihood into minimising a loss. This page builds it from surprisal."
)
erratum(
    "the d2l summary",
    "It calls −Σ_k y_k log ŷ_k the *log-likelihood*; it is the **negative** log-likelihood "
    "(a log-likelihood is ≤ 0 and is maximised). It also says cross-entropy counts *bits* "
    "while every log it writes is natural: those numbers are **nats** (1 nat = 1.4427 bits).",
)

st.header("Entropy, cross-entropy and KL divergence")
st.markdown(
    formula_row(
        r"H[p] = -\sum_k p_k \log p_k",
        r"H(p, q) = -\sum_k p_k \log q_k",
        r"\mathrm{KL}(p\,\|\,q) = \sum_k p_k \log\frac{p_k}{q_k}",
        r"= H(p, q) - H[p] \ge 0",
    )
)
c1, c2, c3 = st.columns([2, 2, 1])
p_text = c1.text_input("True distribution p (comma-separated)", key="ce_p")
q_text = c2.text_input("Prediction q (comma-separated)", key="ce_q")
normalise = c3.checkbox("Rescale each to sum to 1", key="ce_normalise")
unit = c3.radio("Unit", ["nats", "bits"], key="ce_unit", horizontal=True)
c3.caption("Bits = nats / ln 2; so is a gradient: in bits ∂L/∂z = (π − y) / ln 2.")
base = np.e if unit == "nats" else 2.0
try:
    p = as_distribution(parse_vector(p_text, "p"), "p", normalise)
    q = as_distribution(parse_vector(q_text, "q"), "q", normalise)
    if p.size != q.size:
        raise ValueError(f"p has {p.size} entries and q has {q.size}; they need the same number")
except ValueError as exc:
    st.error(str(exc))
else:
    h_p = entropy(p, base)
    h_pq = distribution_cross_entropy(p, q, base)
    kl = kl_divergence(p, q, base)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(f"H[p] ({unit})", f"{h_p + 0.0:.4f}")  # + 0.0 turns -0.0 into 0.0
    m2.metric(f"H(p, q) ({unit})", f"{h_pq:.4f}")
    m3.metric(f"KL(p ‖ q) ({unit})", f"{kl + 0.0:.4f}")
    if np.isfinite(h_pq):
        m4.metric("|H[p] + KL − H(p, q)|", f"{abs(h_p + kl - h_pq):.1e}")
    else:
        st.warning(
            "q gives probability 0 to a class that p says can happen: that outcome's surprisal "
            "is infinite, and so are H(p, q) and KL. In exact arithmetic a softmax is never 0, "
            "but in float64 it can be: logits (0, −800) give exactly (1, 0), because e^−800 is "
            "below the smallest float. That is why the loss is computed from the logits."
        )
    labels = class_labels(p.size)
    left, right = st.columns(2)
    plotly_chart(
        left,
        grouped_bars({"p (truth)": p, "q (prediction)": q}, labels, "p and q", "probability"),
        key="ce_pq_bars",
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        surprise_q = surprisal(q, base)
        contributions = np.where(p > 0, p * surprise_q, 0.0)
    right.table(
        {
            "class": labels,
            "p_k": fixed(p),
            "q_k": fixed(q),
            f"−log q_k ({unit})": fixed(surprise_q),
            f"p_k · (−log q_k) ({unit})": fixed(contributions),
        }
    )
    right.caption(
        "H(p, q) is the surprisal under q averaged over what p says happens: the cost of "
        "coding outcomes drawn from p with a code built for q. It is smallest, equal to H[p], "
        "when q = p; KL is the extra cost of using the wrong q."
    )

st.header("Nats and bits")
st.markdown(
    "With natural logarithms information is measured in **nats**; with log₂ in **bits**. "
    "Since log₂ x = ln x / ln 2, one nat is 1 / ln 2 ≈ 1.44 bits (as the d2l summary says)."
)
n1, n2, n3 = st.columns(3)
n1.metric("bits per nat (1 / ln 2)", f"{NAT_IN_BITS:.4f}")
nats = n2.number_input("A quantity in nats", min_value=0.0, max_value=1e6, step=0.5, key="ce_nats")
n3.metric("the same in bits", f"{nats * NAT_IN_BITS:.4f}")

st.header("Surprisal, and the loss as a function of the true-class probability")
st.markdown(formula_row(r"\text{surprisal}(k) = -\log P(k)", r"L = -\log \pi_c"))
st.markdown(
    "The loss on one sample is the surprisal of what actually happened: the true class c. "
    "A sure, correct prediction costs 0; the cost grows without bound as π_c → 0."
)
true_prob = st.slider(
    "Probability the model gives the true class",
    0.001,
    1.0,
    step=0.001,
    key="ce_true_prob",
    format="%.3f",
)
s1, s2 = st.columns(2)
s1.metric("loss −ln π_c (nats)", f"{float(surprisal(true_prob)):.4f}")
s2.metric("loss −log₂ π_c (bits)", f"{float(surprisal(true_prob, 2.0)):.4f}")
grid = np.linspace(0.001, 1.0, 400)
plotly_chart(
    st,
    curve_with_marker(
        grid,
        surprisal(grid),
        true_prob,
        float(surprisal(true_prob)),
        name="−ln π_c",
        x_title="π_c, probability of the true class",
        y_title="loss (nats)",
        title="Cross-entropy loss of one sample",
    ),
    key="ce_loss_curve",
)

st.header("The loss from logits: log-sum-exp")
st.markdown(
    formula_row(
        r"L = -\sum_k y_k \log\frac{e^{z_k}}{\sum_l e^{z_l}}",
        r"= \log\sum_l e^{z_l} - \sum_k y_k z_k",
        r"\frac{\partial L}{\partial z_k} = \pi_k - y_k",
        sep=" ",
    )
)
st.markdown(
    "The identity needs only Σ_k y_k = 1, so it also holds for **soft labels**, targets that "
    "are probability vectors, and so does the gradient π − y. Try the target 0.8, 0.1, 0.1. "
    "The default logits 2.0, 1.0, 0.5 with class 1 true are the derivation notes' "
    "gradient-flow example."
)
l1, l2c = st.columns(2)
logits_text = l1.text_input("Logits z (comma-separated)", key="ce_logits")
target_text = l2c.text_input("Target y (one-hot or probabilities)", key="ce_target")
try:
    z = check_magnitude(parse_vector(logits_text, "logits z"), "logits z")
    y = as_distribution(parse_vector(target_text, "target y"), "target y")
    if z.size != y.size:
        raise ValueError(f"z has {z.size} entries and y has {y.size}; they need the same number")
except ValueError as exc:
    st.error(str(exc))
else:
    two = loss_two_ways(z, y)
    t1, t2, t3 = st.columns(3)
    t1.metric("−Σ y log softmax(z)", f"{two.by_definition:.6f}")
    t2.metric("logsumexp(z) − Σ y z", f"{two.by_logsumexp:.6f}")
    t3.metric("difference", f"{two.difference:.1e}")
    if not np.isfinite(two.by_definition):
        st.warning(
            "Taking log of the softmax failed: a probability underflowed to 0 and log 0 = −∞. "
            "The log-sum-exp form never exponentiates a large positive number and stays exact."
        )
    pi = softmax(z)
    grad = pi - y
    grad_fd = central_gradient(lambda v: soft_label_loss(v, y), z)
    st.table(
        {
            "class": class_labels(z.size),
            "z_k": fixed(z),
            "y_k": fixed(y),
            "π_k": fixed(pi),
            "π_k − y_k": fixed(grad),
            "central difference": fixed(grad_fd),
        },
        hide_index=True,
    )
    floor = soft_label_minimum(y)
    g1, g2 = st.columns(2)
    g1.metric("max |(π − y) − central differences|", f"{np.max(np.abs(grad - grad_fd)):.1e}")
    g2.metric("smallest possible loss for this y: H(y) (nats)", f"{floor:.4f}")
    st.markdown(
        "The loss is H(y) + KL(y ‖ π), and KL is 0 only at π = y, so **the loss is 0 only for "
        f"a one-hot target**. For this y no logits go below H(y) = {floor:.4f} nats (for "
        "0.8, 0.1, 0.1 it is 0.639): the d2l summary's *loss is 0 only with 100% certainty* is "
        "about one-hot labels."
    )

st.header("Clipping before the log")
st.markdown("The NumPy notebook's loss avoids log 0 by clipping the probabilities:")
st.code(
    "epsilon = 1e-15\n"
    "y_pred = np.clip(y_pred, epsilon, 1 - epsilon)\n"
    "loss = -np.sum(y_true * np.log(y_pred), axis=1)\n"
    "...\n"
    "loss_grad = (self.y_pred - self.y_true) / self.y_true.shape[0]",
    language="python",
)
st.markdown(
    f"The **loss it reports** can never exceed −ln 1e-15 = {CLIP_CAP_NATS:.2f} nats: a sample "
    "that is wrong with π_c < 1e-15 shows 34.54 however wrong it is, so the reported loss "
    "understates how bad the model is. The **gradient it returns** is (π − y)/N from the "
    "clipped π, which moves π by at most 1e-15: that is the exact gradient for every "
    "practical purpose, so the notebook trains correctly. A zero gradient appears only if the "
    "clipped loss is differentiated as written, as an autograd framework does through a clamp: "
    "past the cap the clipped loss is flat. The derivation notes' `-log(p + 1e-10)` caps the "
    "loss at 23.03 nats in the same way and adds a bias to every loss. Computing the loss "
    "from the logits with log-sum-exp avoids all of this: it is exact at every size and never "
    "takes log 0."
)
margin = st.number_input(
    "How many logits the true class is behind (two classes, z = [0, margin])",
    min_value=-100.0,
    max_value=1000.0,
    step=5.0,
    key="ce_margin",
)
demo = clipping_demo(margin)
k1, k2 = st.columns(2)
k1.metric("exact loss (nats)", f"{demo.exact_loss:.4f}")
k2.metric("loss the notebook reports (nats)", f"{demo.clipped_loss:.4f}")
k3, k4, k5 = st.columns(3)
k3.metric("exact ∂L/∂z_c", f"{demo.exact_grad:.4f}")
k4.metric("the notebook's ∂L/∂z_c", f"{demo.notebook_grad:.4f}")
k5.metric("slope of the clipped loss (autograd)", fixed([demo.clipped_grad])[0])
margins = np.linspace(-5.0, 80.0, 300)
exact, clipped = clipping_curves(margins)
plotly_chart(
    st,
    curves(
        margins,
        {"log-sum-exp (exact)": exact, "clipped at 1e-15 (the notebook)": clipped},
        x_title="margin by which the true class loses",
        y_title="loss (nats)",
        title="Clipping caps the reported loss at 34.54 nats",
        dashes=["solid", "dash"],
    ),
    key="ce_clipping_chart",
)
