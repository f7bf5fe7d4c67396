"""Softmax and its Jacobian: probabilities from logits, temperature, shift, overflow, Jacobian."""

import numpy as np
import streamlit as st

from charts.theory import class_labels, matrix_heatmap, probability_bars, temperature_chart
from lessons.numerics import check_softmax_jacobian
from lessons.softmax_lessons import (
    EXP_OVERFLOW,
    SEED_PRINTED,
    argmax_agrees,
    overflow_demo,
    shift_check,
    temperature_sweep,
    tempered_softmax,
    worked_example,
)
from ui.navigation import page_frame
from ui.page_state import keep_widget_values

page_frame("Softmax and its Jacobian")

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
    """Seed 003: w = [2, 3, 5], b = [1, 1, 1], x = 1 gives z = [3, 4, 6]."""
    example = worked_example()
    st.session_state["softmax_k"] = 3
    for k, z in enumerate(example.logits):
        st.session_state[f"softmax_z{k}"] = float(z)
    st.session_state["softmax_temperature"] = 1.0


st.title("Softmax and its Jacobian")
st.latex(r"\operatorname{softmax}(\mathbf z)_k = \frac{e^{z_k}}{\sum_{j=1}^{K} e^{z_j}}")
st.markdown(
    "Softmax turns any K real scores (logits) into K positive numbers that sum to 1. "
    "Move the logits and watch the probabilities."
)

controls, chart = st.columns([1, 2], gap="large")
with controls:
    st.button(
        "Load seed 003's worked example (z = 3, 4, 6)",
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
    st.plotly_chart(
        probability_bars(probs, labels, title=f"softmax(z / T), T = {temperature:g}"),
        key="softmax_bars",
    )
    cols = st.columns(n_classes)
    for k, col in enumerate(cols):
        col.metric(f"p{k + 1}", f"{probs[k]:.4f}")
    top_z, top_p = int(np.argmax(z)) + 1, int(np.argmax(probs)) + 1
    st.markdown(
        f"**argmax of the logits: class {top_z}; argmax of the probabilities: class {top_p}.** "
        "Softmax is strictly increasing in each logit, so the order of the logits is the order of "
        "the probabilities and the prediction never needs the exponentials: "
        r"$\arg\max_k p_k = \arg\max_k z_k$ (seed 002), at every temperature $T > 0$."
    )
    if not argmax_agrees(z, temperature):  # only on exact ties, where argmax picks the first
        st.info("The largest logits tie, so both argmaxes pick the first of the tied classes.")

st.header("Seed 003's worked example")
example = worked_example()
st.latex(
    r"z = w x + b = [2, 3, 5]\cdot 1 + [1, 1, 1] = [3, 4, 6],\quad "
    r"a_k = \frac{e^{z_k}}{e^{3} + e^{4} + e^{6}}"
)
st.dataframe(
    {
        "class": class_labels(3),
        "z": example.logits,
        "exact a_k": [f"{p:.8f}" for p in example.probs],
        "rounded to 4 places": example.rounded,
        "seed 003 prints": list(SEED_PRINTED),
        "truncated to 4 places": example.truncated,
    },
    key="softmax_worked_table",
    hide_index=True,
)
st.markdown(
    f"Correctly rounded the probabilities are **{', '.join(example.rounded)}**. The note's "
    "0.1141 and 0.8437 are the digits cut off after four places (0.114195... and 0.843795...), "
    "not rounded; its 0.0420 happens to agree either way. The three still sum to 1 "
    f"({example.probs.sum():.12f}) and the prediction is class 3."
)

st.header("Shift invariance")
st.latex(
    r"\frac{e^{z_k + c}}{\sum_j e^{z_j + c}} = \frac{e^{c}\, e^{z_k}}{e^{c}\sum_j e^{z_j}}"
    r" = \operatorname{softmax}(\mathbf z)_k"
)
shift = st.slider("Constant c added to every logit", -100.0, 100.0, step=0.5, key="softmax_shift")
check = shift_check(u, shift)
st.dataframe(
    {
        "class": labels,
        "z / T": u,
        "z / T + c": u + shift,
        "softmax(z / T)": check.probs,
        "softmax(z / T + c)": check.shifted_probs,
    },
    key="softmax_shift_table",
    hide_index=True,
)
st.metric("max |softmax(z + c) − softmax(z)|", f"{check.max_difference:.1e}")
st.caption(
    "Only differences between logits matter. This is why subtracting the largest logit is free, "
    "and why a K-class model has one redundant set of weights."
)

st.header("The Jacobian: diag(p) − p pᵀ")
st.latex(
    r"\frac{\partial p_i}{\partial z_j} = p_i(\delta_{ij} - p_j)"
    r"\quad\Longleftrightarrow\quad J = \operatorname{diag}(\mathbf p) - \mathbf p\mathbf p^{\top}"
)
jac = check_softmax_jacobian(u)
jcol, ncol = st.columns([2, 1])
with jcol:
    st.plotly_chart(
        matrix_heatmap(
            jac.analytic,
            [f"∂p{i + 1}" for i in range(n_classes)],
            [f"∂z{j + 1}" for j in range(n_classes)],
            title="J at the current logits (z / T)",
        ),
        key="softmax_jacobian",
    )
with ncol:
    st.metric("max |J − central differences|", f"{jac.max_error:.1e}")
    st.metric("max |row sum of J|", f"{np.max(np.abs(jac.analytic.sum(axis=1))):.1e}")
    st.markdown(
        "Diagonal entries p_i(1 − p_i) are positive: raising z_i raises p_i. Off-diagonal "
        "entries −p_i p_j are negative: it lowers every other class. J is symmetric and each "
        "row sums to 0 because the probabilities always sum to 1. The finite differences "
        "(f(z + h e_j) − f(z − h e_j)) / 2h with h = 1e-5 are an independent check."
    )

st.header("Why the shift by the maximum is needed")
offset = st.number_input(
    "Offset added to the logits", min_value=0.0, max_value=1e6, step=100.0, key="softmax_offset"
)
demo = overflow_demo(u + offset)
st.dataframe(
    {
        "class": labels,
        "logit": demo.logits,
        "naive exp(z) / Σ exp(z)": [f"{v:.4f}" for v in demo.naive],
        "shifted exp(z − max z) / Σ exp(z − max z)": [f"{v:.4f}" for v in demo.stable],
    },
    key="softmax_overflow_table",
    hide_index=True,
)
if demo.naive_failed:
    st.warning(
        f"The naive formula fails: exp(z) overflows float64 to inf for z > {EXP_OVERFLOW:.2f}, "
        "and inf / inf is NaN. The shifted form computes the same probabilities because of shift "
        "invariance, and its largest exponent is exp(0) = 1."
    )
else:
    st.success(
        f"Below z = {EXP_OVERFLOW:.2f} both forms agree. Raise the offset to about 1000 to see "
        "the naive one overflow."
    )

st.header("Temperature and the Boltzmann distribution")
st.latex(
    r"p_i = \frac{e^{-E_i / kT}}{\sum_j e^{-E_j / kT}}"
    r"\qquad\text{with energy } E_i = -z_i,\ kT = T:\qquad p = \operatorname{softmax}(z / T)"
)
st.markdown(
    "Seed 002 notes that softmax comes from statistical physics: a state of energy E is occupied "
    "with probability proportional to e^(−E/kT). High-scoring classes are low-energy states. "
    "As T → 0 all the mass goes to the argmax (a one-hot vector); as T → ∞ the distribution "
    f"becomes uniform, 1/K = {1 / n_classes:.4f}. The order of the classes never changes."
)
temps = np.geomspace(0.05, 20.0, 200)
st.plotly_chart(
    temperature_chart(temps, temperature_sweep(z, temps), temperature, "softmax(z / T) against T"),
    key="softmax_temperature_chart",
)
