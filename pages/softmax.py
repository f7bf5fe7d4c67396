"""Softmax and its Jacobian: probabilities from logits, temperature, shift, overflow, Jacobian."""

import numpy as np
import streamlit as st

from charts.latex import NARROW_SCREEN_CSS, fixed, formula_row, matrix, vector
from charts.theory import class_labels, matrix_heatmap, probability_bars, temperature_chart
from lessons.softmax_lessons import (
    EXP_OVERFLOW,
    EXP_SUBNORMAL,
    EXP_UNDERFLOW,
    IMAGE_CLASSES,
    SEED_PRINTED,
    argmax_agrees,
    check_tempered_jacobian,
    image_example,
    overflow_demo,
    shift_check,
    temperature_sweep,
    tempered_softmax,
    worked_example,
)
from ui.a11y import plotly_chart
from ui.navigation import page_frame
from ui.page_state import keep_widget_values

page_frame("Softmax and its Jacobian")
st.html(NARROW_SCREEN_CSS)

MAX_K = 6
DEFAULTS = {
    "softmax_k": 3,
    "softmax_temperature": 1.0,
    "softmax_shift": 0.0,
    "softmax_offset": 1000.0,
    **{f"softmax_z{k}": v for k, v in enumerate((2.0, 1.0, 0.1, -1.0, 0.5, -0.5))},
}
keep_widget_values(DEFAULTS)  # survives a visit to another page: see ui.page_state


def load_worked_example() -> None:
    """The slides' example: w = [2, 3, 5], b = [1, 1, 1], x = 1 gives z = [3, 4, 6]."""
    example = worked_example()
    st.session_state["softmax_k"] = 3
    for k, z in enumerate(example.logits):
        st.session_state[f"softmax_z{k}"] = float(z)
    st.session_state["softmax_temperature"] = 1.0


st.title("Softmax and its Jacobian")
st.latex(r"\pi_k = \operatorname{softmax}(\mathbf z)_k = \frac{e^{z_k}}{\sum_{l=1}^{K} e^{z_l}}")
st.markdown(
    "Regression answers *how much?*; classification answers *which one?* A classifier gives "
    "each of K classes a score z_k (a **logit**), and softmax turns the K scores into K "
    "positive probabilities π_k that sum to 1. Move the logits and watch the probabilities."
)

controls, chart = st.columns([1, 2], gap="large")
with controls:
    st.button(
        "Load the slides' worked example (z = 3, 4, 6)",
        key="softmax_preset",
        on_click=load_worked_example,
        help="w = [2, 3, 5], b = [1, 1, 1], x = 1",
    )
    n_classes = st.slider("Number of classes K", 2, MAX_K, key="softmax_k")
    z = np.array(
        [
            st.slider(f"Logit z{k + 1}", -10.0, 10.0, step=0.1, key=f"softmax_z{k}")
            for k in range(n_classes)
        ]
    )
    temperature = st.slider(
        "Temperature T",
        0.05,
        10.0,
        step=0.05,
        key="softmax_temperature",
        help="softmax(z / T): T < 1 sharpens, T > 1 flattens.",
    )

u = z / temperature
probs = tempered_softmax(z, temperature)
labels = class_labels(n_classes)
with chart:
    plotly_chart(
        st,
        probability_bars(probs, labels, title=f"π = softmax(z / T), T = {temperature:g}"),
        key="softmax_bars",
    )
    cols = st.columns(n_classes)
    for k, col in enumerate(cols):
        col.metric(f"π{k + 1}", f"{probs[k]:.4f}")
    top_z, top_p = int(np.argmax(z)) + 1, int(np.argmax(probs)) + 1
    st.markdown(
        f"**argmax of the logits: class {top_z}; argmax of the probabilities: class {top_p}.** "
        r"The ratio of two probabilities is $\pi_k / \pi_l = e^{(z_k - z_l)/T}$, so "
        r"$\pi_k > \pi_l$ exactly when $z_k > z_l$: softmax keeps the order of the logits and "
        r"$\arg\max_k \pi_k = \arg\max_k z_k$ at every $T > 0$. (Raising one logit raises its "
        "own probability but lowers every other one; the order survives because of the ratio.)"
    )
    if not argmax_agrees(z, temperature):  # only on exact ties, where argmax picks the first
        st.info("The largest logits tie, so both argmaxes pick the first of the tied classes.")

st.header("Where the logits come from: a 2 × 2 image")
img = image_example()
st.markdown(
    "The d2l summary's example: a 2 × 2 grey image is D = 4 features x₁ … x₄ (its pixels), "
    "and there are K = 3 classes (cat, chicken, dog). One weight per class and pixel makes "
    "W a 3 × 4 matrix; row k scores class k. The weights below are made up."
)
st.markdown(
    formula_row(
        rf"\mathbf x = {vector(img.x, 1)}^{{\top}}",
        rf"W = {matrix(img.W, 1)}",
        rf"\mathbf b = {vector(img.b, 1)}^{{\top}}",
    )
)
st.markdown(
    formula_row(
        rf"\mathbf z = W\mathbf x + \mathbf b = {vector(img.z, 2)}^{{\top}}",
        rf"\boldsymbol\pi = {vector(img.probs)}^{{\top}}",
    )
)
best = int(np.argmax(img.probs))
st.markdown(
    f"The prediction is **{IMAGE_CLASSES[best]}** (π = {img.probs[best]:.4f}). The label of a "
    "cat can be written as the integer 1 or as the one-hot vector (1, 0, 0); a **soft label** "
    "such as (0.7, 0.2, 0.1) says an image is probably a cat. The d2l summary says integer "
    "labels suit only ordered classes: that is true of an integer used as a number to regress "
    "on, but used as an index into π (as here and in every library) an integer label carries "
    "exactly the information of the one-hot vector."
)

st.header("The slides' worked example")
example = worked_example()
st.markdown(
    formula_row(
        r"\mathbf z = \mathbf w x + \mathbf b = [2, 3, 5]\cdot 1 + [1, 1, 1] = [3, 4, 6]",
        r"\pi_k = \frac{e^{z_k}}{e^{3} + e^{4} + e^{6}}",
    )
)
st.table(
    {
        "class": class_labels(3),
        "z_k": fixed(example.logits),
        "π_k rounded to 4 places": example.rounded,
        "the slides print": list(SEED_PRINTED),
        "π_k truncated to 4 places": example.truncated,
    },
    hide_index=True,
)
exact = ", ".join(f"{p:.6f}" for p in example.probs)
st.markdown(
    f"The exact probabilities are {exact}; correctly rounded they are "
    f"**{', '.join(example.rounded)}**. The slides' 0.1141 and 0.8437 are the digits cut off "
    "after four places, not rounded; their 0.0420 agrees either way. The three sum to 1 "
    f"({example.probs.sum():.12f}) and the prediction is class 3."
)

st.header("Shift invariance")
st.markdown(
    formula_row(
        r"\frac{e^{z_k + c}}{\sum_l e^{z_l + c}} = \frac{e^{c}\, e^{z_k}}{e^{c}\sum_l e^{z_l}}",
        r"= \operatorname{softmax}(\mathbf z)_k",
        sep=" ",
    )
)
shift = st.slider("Constant c added to every logit", -800.0, 800.0, step=1.0, key="softmax_shift")
check = shift_check(u, shift)
st.table(
    {
        "class": labels,
        "z / T": fixed(u),
        "z / T + c": fixed(u + shift),
        "naive softmax(z / T)": fixed(check.naive),
        "naive softmax(z / T + c)": fixed(check.naive_shifted),
    },
    hide_index=True,
)
st.metric("max |naive(z / T + c) − naive(z / T)|", f"{check.max_difference:.1e}")
st.markdown(
    "Both columns use the naive formula e^z / Σ e^z, so the table really tests the identity. "
    f"It holds to rounding while every z + c lies between {EXP_SUBNORMAL:.2f} and "
    f"{EXP_OVERFLOW:.2f}. Push c past +{EXP_OVERFLOW:.0f} and e^(z + c) overflows "
    f"(∞ / ∞); below {EXP_SUBNORMAL:.0f} the exponentials lose digits, and below "
    f"{EXP_UNDERFLOW:.0f} they are all 0 (0 / 0). Only differences between logits matter: "
    "this is why subtracting the largest logit is free, and why a K-class model has one "
    "redundant set of weights."
)
if check.naive_failed:
    st.warning("At this c the naive formula returns NaN: see the next sections.")

st.header("The Jacobian of softmax")
st.markdown(
    "How π_k changes with z_l. Write S = Σ_m e^(z_m); the quotient rule gives the two cases "
    "(the slides derive ∂a₁/∂z₁ and ∂a₂/∂z₁ this way):"
)
st.latex(
    r"\frac{\partial\pi_k}{\partial z_k} = \frac{e^{z_k}S - e^{z_k}e^{z_k}}{S^2}"
    r" = \pi_k(1 - \pi_k)"
)
st.latex(
    r"\frac{\partial\pi_k}{\partial z_l} = \frac{0\cdot S - e^{z_k}e^{z_l}}{S^2}"
    r" = -\pi_k\pi_l\quad(k\ne l)"
)
st.latex(
    r"\frac{\partial\boldsymbol\pi}{\partial\mathbf z}"
    r" = \operatorname{diag}(\boldsymbol\pi) - \boldsymbol\pi\boldsymbol\pi^{\top}"
)
st.markdown(
    "With a temperature, π = softmax(z / T) and the chain rule through z / T adds a factor 1/T: "
    "∂π/∂z = (diag(π) − ππᵀ) / T. The heatmap and the check below are in z, the logits you set."
)
jac = check_tempered_jacobian(z, temperature)
jcol, ncol = st.columns([2, 1])
with jcol:
    plotly_chart(
        st,
        matrix_heatmap(
            jac.analytic,
            [f"π{k + 1}" for k in range(n_classes)],
            [f"z{k + 1}" for k in range(n_classes)],
            title=f"∂π_k/∂z_l, T = {temperature:g}",
        ),
        key="softmax_jacobian",
    )
with ncol:
    st.metric("max |∂π/∂z − central differences|", f"{jac.max_error:.1e}")
    st.metric("max |row sum|", f"{np.max(np.abs(jac.analytic.sum(axis=1))):.1e}")
    st.metric("max |column sum|", f"{np.max(np.abs(jac.analytic.sum(axis=0))):.1e}")
    st.markdown(
        "The diagonal π_k(1 − π_k)/T is positive: raising z_k raises π_k. Off the diagonal "
        "−π_kπ_l/T is negative: it lowers every other class. **Columns** sum to 0 because the "
        "probabilities sum to 1 whatever z is; **rows** sum to 0 because adding the same c to "
        "every logit changes nothing (shift invariance). The matrix is symmetric, so both "
        "hold. The check uses central differences (π(z + h e_l) − π(z − h e_l)) / 2h in z, "
        "h = 1e-5."
    )

st.header("Why the shift by the maximum is needed")
offset = st.number_input(
    "Offset added to the logits (try 1000, then −1000)",
    min_value=-1e6,
    max_value=1e6,
    step=100.0,
    key="softmax_offset",
)
demo = overflow_demo(u + offset)
st.table(
    {
        "class": labels,
        "logit z": fixed(demo.logits),
        "naive e^z / Σ e^z": fixed(demo.naive),
        "shifted e^(z − max z) / Σ e^(z − max z)": fixed(demo.stable),
    },
    hide_index=True,
)
if demo.naive_failed and np.max(demo.logits) > EXP_OVERFLOW:
    st.warning(
        f"The naive formula overflows: e^z is ∞ in float64 for z > {EXP_OVERFLOW:.2f}, and "
        "∞ / ∞ is NaN. The shifted form computes the same probabilities (shift invariance) and "
        "its largest exponential is e⁰ = 1."
    )
elif demo.naive_failed:
    st.warning(
        f"The naive formula underflows: e^z rounds to 0 for z < {EXP_UNDERFLOW:.2f}, so every "
        "term is 0 and 0 / 0 is NaN. The shifted form still has e⁰ = 1 in the sum."
    )
else:
    st.success(
        f"Between about {EXP_UNDERFLOW:.0f} and {EXP_OVERFLOW:.0f} both forms give numbers. "
        "Set the offset to 1000 (overflow) or −1000 (underflow) to see the naive one fail."
    )
st.caption(
    "The shift does not rescue everything: with logits (0, −800) the shifted form gives "
    "exactly (1, 0), since e^−800 is below the smallest float64. A probability can be an exact "
    "0, which is why the loss is computed from the logits (see the Cross-entropy page)."
)

st.header("Temperature and the Boltzmann distribution")
st.markdown(
    formula_row(
        r"\pi_k = \frac{e^{-E_k / k_B T}}{\sum_l e^{-E_l / k_B T}}",
        r"\text{with } E_k = -z_k,\ k_B T = T",
    )
)
st.markdown(
    "The d2l summary notes that softmax comes from statistical physics: a state of energy E is "
    "occupied with probability proportional to e^(−E / k_B T) (k_B is Boltzmann's constant). "
    "High-scoring classes are low-energy states. As T → 0 all the mass goes to the argmax "
    "(a one-hot vector); as T → ∞ the "
    f"distribution becomes uniform, 1/K = {1 / n_classes:.4f}. The order of the classes never "
    "changes."
)
temps = np.geomspace(0.05, 20.0, 200)
plotly_chart(
    st,
    temperature_chart(temps, temperature_sweep(z, temps), temperature, "softmax(z / T) against T"),
    key="softmax_temperature_chart",
)
