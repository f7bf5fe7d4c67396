"""Cross-entropy and information: entropy, cross-entropy, KL, surprisal, units, the loss."""

import numpy as np
import streamlit as st

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
)
from lessons.numerics import central_gradient
from softmax_core import distribution_cross_entropy, entropy, kl_divergence, softmax, surprisal
from ui.navigation import page_frame
from ui.page_state import keep_widget_values

page_frame("Cross-entropy")

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

st.title("Cross-entropy and information")
st.markdown(
    "The softmax regression loss is a cross-entropy: the cost, in nats, of describing what "
    "happened with the probabilities the model predicted. It is also the negative "
    "log-likelihood (seed 002): the model's probability of all the labels is the product "
    "Π_i P(y_i | x_i), and −log turns the product into the sum Σ_i −log P(y_i | x_i). "
    "This page builds it from surprisal."
)

st.header("Entropy, cross-entropy and KL divergence")
st.latex(
    r"H[p] = -\sum_j p_j \log p_j,\qquad H(p, q) = -\sum_j p_j \log q_j,\qquad "
    r"\mathrm{KL}(p\,\|\,q) = \sum_j p_j \log\frac{p_j}{q_j} = H(p, q) - H[p] \ge 0"
)
c1, c2, c3 = st.columns([2, 2, 1])
p_text = c1.text_input("True distribution p (comma-separated)", key="ce_p")
q_text = c2.text_input("Prediction q (comma-separated)", key="ce_q")
normalise = c3.checkbox("Rescale each to sum to 1", key="ce_normalise")
unit = c3.radio("Unit", ["nats", "bits"], key="ce_unit", horizontal=True)
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
            "is infinite, and so are H(p, q) and KL. A softmax never outputs an exact 0."
        )
    labels = class_labels(p.size)
    left, right = st.columns(2)
    left.plotly_chart(
        grouped_bars({"p (truth)": p, "q (prediction)": q}, labels, "p and q", "probability"),
        key="ce_pq_bars",
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        surprise_q = surprisal(q, base)
        contributions = np.where(p > 0, p * surprise_q, 0.0)
    right.dataframe(
        {
            "class": labels,
            "p_j": p,
            "q_j": q,
            f"surprisal −log q_j ({unit})": surprise_q,
            f"p_j · (−log q_j) ({unit})": contributions,
        },
        key="ce_contributions",
        hide_index=True,
    )
    right.caption(
        "H(p, q) is the surprisal under q averaged over what p says happens. It is smallest, "
        "equal to H[p], when q = p; KL is the extra cost of using the wrong q."
    )

st.header("Nats and bits")
st.markdown(
    "With natural logarithms information is measured in **nats**; with log₂ in **bits**. "
    "Since log₂ x = ln x / ln 2, one nat is 1 / ln 2 bits (seed 002: ≈ 1.44)."
)
n1, n2, n3 = st.columns(3)
n1.metric("bits per nat (1 / ln 2)", f"{NAT_IN_BITS:.4f}")
nats = n2.number_input("A quantity in nats", min_value=0.0, max_value=1e6, step=0.5, key="ce_nats")
n3.metric("the same in bits", f"{nats * NAT_IN_BITS:.4f}")

st.header("Surprisal, and the loss as a function of the true-class probability")
st.latex(r"\text{surprisal}(j) = -\log P(j),\qquad \ell = -\log \hat{y}_c")
st.markdown(
    "The loss on one sample is the surprisal of what actually happened: the true class c. "
    "A sure, correct prediction costs 0; the cost grows without bound as ŷ_c → 0."
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
s1.metric("loss −ln ŷ_c (nats)", f"{float(surprisal(true_prob)):.4f}")
s2.metric("loss −log₂ ŷ_c (bits)", f"{float(surprisal(true_prob, 2.0)):.4f}")
grid = np.linspace(0.001, 1.0, 400)
st.plotly_chart(
    curve_with_marker(
        grid,
        surprisal(grid),
        true_prob,
        float(surprisal(true_prob)),
        name="−ln ŷ_c",
        x_title="ŷ_c, probability of the true class",
        y_title="loss (nats)",
        title="Cross-entropy loss of one sample",
    ),
    key="ce_loss_curve",
)

st.header("The loss from logits: log-sum-exp")
st.latex(
    r"\ell(\mathbf y, \hat{\mathbf y}) = -\sum_j y_j \log\frac{e^{o_j}}{\sum_k e^{o_k}}"
    r" = \log\sum_k e^{o_k} - \sum_j y_j o_j"
    r"\qquad\frac{\partial \ell}{\partial o_j} = \hat y_j - y_j"
)
st.markdown(
    "Seed 002's identity needs only Σ_j y_j = 1, so it also holds for **soft labels**, targets "
    "that are probability vectors, and so does the gradient ŷ − y. Try a target like "
    "0.8, 0.1, 0.1. The default logits 2.0, 1.0, 0.5 with class 1 true are seed 001's "
    "gradient-flow example."
)
l1, l2c = st.columns(2)
logits_text = l1.text_input("Logits o (comma-separated)", key="ce_logits")
target_text = l2c.text_input("Target y (one-hot or probabilities)", key="ce_target")
try:
    o = check_magnitude(parse_vector(logits_text, "logits o"), "logits o")
    y = as_distribution(parse_vector(target_text, "target y"), "target y")
    if o.size != y.size:
        raise ValueError(f"o has {o.size} entries and y has {y.size}; they need the same number")
except ValueError as exc:
    st.error(str(exc))
else:
    two = loss_two_ways(o, y)
    t1, t2, t3 = st.columns(3)
    t1.metric("−Σ y log softmax(o)", f"{two.by_definition:.6f}")
    t2.metric("logsumexp(o) − Σ y o", f"{two.by_logsumexp:.6f}")
    t3.metric("difference", f"{two.difference:.1e}")
    if not np.isfinite(two.by_definition):
        st.warning(
            "Taking log of the softmax failed: a probability underflowed to 0 and log 0 = −inf. "
            "The log-sum-exp form never exponentiates a large positive number and stays exact."
        )
    grad = softmax(o) - y
    grad_fd = central_gradient(lambda v: soft_label_loss(v, y), o)
    st.dataframe(
        {
            "class": class_labels(o.size),
            "o_j": o,
            "y_j": y,
            "ŷ_j = softmax(o)_j": softmax(o),
            "ŷ_j − y_j": grad,
            "central difference": grad_fd,
        },
        key="ce_gradient_table",
        hide_index=True,
    )
    st.metric("max |(ŷ − y) − central differences|", f"{np.max(np.abs(grad - grad_fd)):.1e}")

st.header("Why we never clip before the log")
st.markdown(
    "Seed 000's `CCE_Loss` clips the probabilities to [1e-15, 1 − 1e-15] before `np.log` to avoid "
    f"log 0. Then no loss can exceed −ln 1e-15 = {CLIP_CAP_NATS:.2f} nats, and a sample that is "
    "wrong with ŷ_c < 1e-15 sits on a flat piece: the clipped loss no longer changes with its "
    "logits, so its true derivative is 0 and the `get_loss_grad` it returns (ŷ − y from the "
    "clipped ŷ) is not the gradient of the loss it reports. We compute the loss from the logits "
    "with log-sum-exp instead, which is exact at every size and never takes log 0. (Seed 001's "
    "`compute_loss` has the same flaw in another form: `-log(p + 1e-10)` caps the loss at "
    "23.03 nats and biases every loss slightly.)"
)
margin = st.number_input(
    "How many logits the true class is behind (two classes, z = [0, margin])",
    min_value=-100.0,
    max_value=1000.0,
    step=5.0,
    key="ce_margin",
)
demo = clipping_demo(margin)
k1, k2, k3, k4 = st.columns(4)
k1.metric("exact loss (nats)", f"{demo.exact_loss:.4f}")
k2.metric("clipped loss (nats)", f"{demo.clipped_loss:.4f}")
k3.metric("exact ∂ℓ/∂z_c", f"{demo.exact_grad:.4f}")
k4.metric("slope of the clipped loss", f"{demo.clipped_grad:.4f}")
margins = np.linspace(-5.0, 80.0, 300)
exact, clipped = clipping_curves(margins)
st.plotly_chart(
    curves(
        margins,
        {"log-sum-exp (exact)": exact, "clipped at 1e-15 (seed 000)": clipped},
        x_title="margin by which the true class loses",
        y_title="loss (nats)",
        title="Clipping caps the loss at 34.54 nats",
        dashes=["solid", "dash"],
    ),
    key="ce_clipping_chart",
)
