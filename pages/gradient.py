"""The gradient, derived: seed 001's chain rule step by step, on a sample you pick."""

import numpy as np
import streamlit as st

from charts.latex import matrix, vector
from charts.theory import norm_scatter, scatter_classes, signed_bars
from lessons.chain_rule import (
    DATASETS,
    SQRT2,
    START_B,
    START_W,
    batch_form,
    chain_rule_steps,
    confidence_bins,
    demo_dataset,
    gradient_properties,
    magnitude_table,
    train_steps,
)
from lessons.numerics import check_loss_gradients
from softmax_core import accuracy, loss_and_gradients, predict
from ui.navigation import page_frame
from ui.page_state import keep_widget_values

page_frame("The gradient, derived")

D, K = np.shape(START_W)
W_KEYS = [[f"grad_W_{d}_{k}" for k in range(K)] for d in range(D)]
B_KEYS = [f"grad_b_{k}" for k in range(K)]
WEIGHT_LIMIT = 50.0
DEFAULTS = {
    "grad_data": DATASETS[0],
    "grad_sample": 0,
    "grad_l2": 0.0,
    "grad_lr": 0.5,
    "grad_steps": 10,
    **{W_KEYS[d][k]: START_W[d][k] for d in range(D) for k in range(K)},
    **{B_KEYS[k]: START_B[k] for k in range(K)},
}
keep_widget_values(DEFAULTS)  # survives a visit to another page: see ui.page_state


def set_params(W, b) -> None:
    """Write parameters into the weight inputs (rounded to what the inputs show)."""
    W = np.clip(np.round(W, 4), -WEIGHT_LIMIT, WEIGHT_LIMIT)
    b = np.clip(np.round(b, 4), -WEIGHT_LIMIT, WEIGHT_LIMIT)
    for d in range(D):
        for k in range(K):
            st.session_state[W_KEYS[d][k]] = float(W[d, k])
    for k in range(K):
        st.session_state[B_KEYS[k]] = float(b[k])


def train_callback() -> None:
    X_, y_ = demo_dataset(st.session_state["grad_data"])
    W_, b_ = current_params()
    W_, b_, losses, diverged = train_steps(
        W_,
        b_,
        X_,
        y_,
        st.session_state["grad_lr"],
        st.session_state["grad_steps"],
        st.session_state["grad_l2"],
        limit=WEIGHT_LIMIT,
    )
    set_params(W_, b_)
    st.session_state["grad_diverged"] = (len(losses), diverged)


def current_params():
    W_ = np.array([[st.session_state[W_KEYS[d][k]] for k in range(K)] for d in range(D)])
    return W_, np.array([st.session_state[B_KEYS[k]] for k in range(K)])


st.title("The gradient, derived")
st.markdown(
    "Seed note 001 derives ∂L/∂z = π − y by the chain rule. Each step below is the formula on the "
    "left and the same step evaluated on one sample on the right. Change the weights, or train a "
    "few steps, and every number follows."
)

with st.sidebar:
    st.subheader("Data and weights")
    dataset = st.radio("Data set", DATASETS, key="grad_data")
    X, y = demo_dataset(dataset)
    sample = st.number_input("Sample index i", 0, len(y) - 1, step=1, key="grad_sample")
    l2 = st.number_input("L2 strength l2", 0.0, 10.0, step=0.01, key="grad_l2", format="%.3f")
    st.caption("Weights W (rows: features x₁, x₂; columns: classes 1-3) and biases b")
    for d in range(D):
        cols = st.columns(K)
        for k in range(K):
            cols[k].number_input(
                f"W[{d + 1},{k + 1}]",
                -WEIGHT_LIMIT,
                WEIGHT_LIMIT,
                step=0.1,
                format="%.4f",
                key=W_KEYS[d][k],
            )
    cols = st.columns(K)
    for k in range(K):
        cols[k].number_input(
            f"b[{k + 1}]", -WEIGHT_LIMIT, WEIGHT_LIMIT, step=0.1, format="%.4f", key=B_KEYS[k]
        )
    st.number_input("Learning rate", 0.001, 10.0, step=0.1, key="grad_lr", format="%.3f")
    st.number_input("Steps", 1, 500, step=1, key="grad_steps")
    st.button("Train (gradient descent)", key="grad_train", on_click=train_callback)
    st.button("Reset weights", key="grad_reset", on_click=set_params, args=(START_W, START_B))

W, b = current_params()
done, diverged = st.session_state.pop("grad_diverged", (0, False))
if diverged:
    st.warning(
        f"Training stopped after {done} steps: the next step would have sent the weights past "
        f"{WEIGHT_LIMIT:g} (the inputs' range) or to infinity: the learning rate is too large. The "
        "weights are the last ones within range; lower the learning rate."
    )
loss, _, _ = loss_and_gradients(W, b, X, y, l2)
m1, m2, m3 = st.columns(3)
m1.metric("mean loss (with L2 term)", f"{loss:.4f}")
m2.metric("training accuracy", f"{accuracy(y, predict(W, b, X)):.0%}")
m3.metric("sample i, true class", f"{int(sample)}, class {int(y[sample]) + 1}")
st.plotly_chart(
    scatter_classes(X, y, int(sample), "The data; sample i is ringed"), key="grad_scatter"
)
st.caption(
    "Seed 000's generate_multiclass_data cannot run as written: `np.zeros((n, K)) ()` calls "
    "an array (TypeError). make_linear_softmax_data is the fixed version; it keeps integer "
    "labels and a local random generator instead of one-hot rows and the global seed."
)

steps = chain_rule_steps(W, b, X[sample], int(y[sample]))
c = steps.label


def step(title: str, formula: str, numbers: str) -> None:
    st.markdown(f"**{title}**")
    left, right = st.columns(2)
    left.latex(formula)
    right.latex(numbers)


st.header("Step by step, for sample i")
step(
    "0. Logits",
    r"z_k = \mathbf w_k^{\top}\mathbf x + b_k"
    r"\quad(\text{here } \mathbf z = \mathbf x W + \mathbf b)",
    rf"\begin{{gathered}}\mathbf x = {vector(steps.x)}\\ \mathbf z = {vector(steps.z)}"
    r"\end{gathered}",
)
step(
    "1. Probabilities and loss",
    r"\hat\pi_k = \frac{e^{z_k}}{\sum_j e^{z_j}},\qquad \mathcal L = -\log\hat\pi_c",
    rf"\hat{{\boldsymbol\pi}} = {vector(steps.pi)},\ c = {c + 1},\ "
    rf"\mathcal L = {steps.loss:.4f}",
)
step(
    "2. Loss with respect to the probabilities",
    r"\frac{\partial\mathcal L}{\partial\hat\pi_k} = -\frac{y_k}{\hat\pi_k}",
    rf"\mathbf y = {vector(steps.y, 0)},\quad "
    rf"\frac{{\partial\mathcal L}}{{\partial\hat{{\boldsymbol\pi}}}} = {vector(steps.dL_dpi)}",
)
step(
    "3. The softmax Jacobian",
    r"\frac{\partial\hat\pi_k}{\partial z_j} = \hat\pi_k(\delta_{kj} - \hat\pi_j)",
    rf"J = {matrix(steps.jacobian)}",
)
step(
    "4. Their product (the chain rule)",
    r"\frac{\partial\mathcal L}{\partial z_j} = \sum_k \frac{\partial\mathcal L}{\partial\hat\pi_k}"
    r"\frac{\partial\hat\pi_k}{\partial z_j} = -\sum_k y_k(\delta_{kj} - \hat\pi_j)",
    rf"\Big(\frac{{\partial\mathcal L}}{{\partial\hat{{\boldsymbol\pi}}}}\Big)^{{\top}} J = "
    rf"{vector(steps.dL_dz_chain)}",
)
step(
    "5. The simplification: prediction minus truth",
    r"\frac{\partial\mathcal L}{\partial z_j} = -y_j + \hat\pi_j\sum_k y_k = \hat\pi_j - y_j",
    rf"\begin{{gathered}}\hat{{\boldsymbol\pi}} - \mathbf y = {vector(steps.dL_dz)}\\"
    rf"\text{{max difference from step 4: {steps.chain_vs_shortcut:.1e}}}\end{{gathered}}",
)
step(
    "6. Weights",
    r"\frac{\partial\mathcal L}{\partial W} = (\hat{\boldsymbol\pi} - \mathbf y)\,\mathbf x^{\top}"
    r"\in\mathbb R^{K\times D}",
    rf"{matrix(steps.dW.T)}",
)
step(
    "7. Biases",
    r"\frac{\partial\mathcal L}{\partial\mathbf b} = \hat{\boldsymbol\pi} - \mathbf y",
    rf"{vector(steps.db)}",
)
if not np.all(np.isfinite(steps.dL_dz_chain)):
    st.warning(
        "π_c underflowed to 0 in float64, so step 2 divides by 0 and the chain-rule product in "
        "step 4 is undefined (∞ · 0). π − y in step 5 is still exact: one more reason to use it."
    )
st.caption(
    "Seed 001 stores W as K × D (z = W x + b); softmax_core stores it as D × K (z = x W + b), "
    "so its dW is the transpose of the matrix in step 6. Step 4 needs the whole K × K Jacobian; "
    "step 5 shows it is never needed."
)
st.plotly_chart(
    signed_bars(
        steps.dL_dz,
        [f"class {k + 1}" for k in range(K)],
        "π − y for sample i: the true class is the one negative bar",
        "∂L/∂z",
    ),
    key="grad_residual_bars",
)

st.header("The whole batch, in matrix form")
st.latex(
    r"\frac{\partial J}{\partial W} = \frac{1}{N}(\hat P - Y)^{\top} X + \lambda W,\qquad"
    r"\frac{\partial J}{\partial \mathbf b} = \frac{1}{N}\mathbf 1^{\top}(\hat P - Y),\qquad "
    r"J = \frac1N\sum_i \mathcal L^{(i)} + \frac{\lambda}{2}\|W\|_F^2"
)
batch = batch_form(W, b, X, y, l2)
b1, b2 = st.columns(2)
b1.metric("max |matrix form − softmax_core|", f"{batch.max_difference:.1e}")
b2.metric("max |L2 term λW|", f"{np.max(np.abs(batch.l2_term)):.4f}")
st.markdown(
    "The seed's code builds Y as a one-hot N × K matrix. We never do: P − Y is P with 1 "
    "subtracted at each sample's label position (`P[arange(N), y] -= 1`), the same numbers "
    "without N × K extra memory. The L2 term adds λW to the weight gradient (not to the bias), "
    f"here λ = {l2:g}:"
)
st.latex(rf"\lambda W = {matrix(batch.l2_term.T)}\quad(K\times D)")

st.header("Checked against finite differences")
st.markdown(
    "Seed 001 checks its formulas with PyTorch autograd. Central differences need no framework: "
    "(J(θ + h) − J(θ − h)) / 2h for every one of the D·K + K parameters, h = 1e-5."
)
fd = check_loss_gradients(W, b, X, y, l2)
f1, f2, f3 = st.columns(3)
f1.metric("max gradient error (dW)", f"{fd.max_error_W:.1e}")
f2.metric("max gradient error (db)", f"{fd.max_error_b:.1e}")
f3.metric("max gradient error", f"{fd.max_error:.1e}")
if fd.max_error < 1e-6:
    st.success("The analytic gradient agrees with the finite differences to better than 1e-6.")
else:
    st.warning("The finite differences disagree by more than 1e-6: the loss is very curved here.")

st.header("Three properties of π − y")
props = gradient_properties(W, b, X, y)
st.markdown(
    "**1. Magnitude follows confidence.** The true-class component is π_c − 1, so a confident "
    "correct sample barely moves the weights and a confident wrong one moves them most:"
)
t1, t2 = st.columns(2)
t1.dataframe(magnitude_table(K), key="grad_magnitude_table", hide_index=True)
t2.dataframe(confidence_bins(props), key="grad_bins_table", hide_index=True)
t2.caption("The same on the current data, by band of π_c.")
n = len(y)
st.markdown(
    "**2. Direction.** The true-class component π_c − 1 is negative (gradient descent raises z_c); "
    "every other component π_k is positive (it lowers the other logits)."
)
d1, d2 = st.columns(2)
d1.metric("samples with ∂L/∂z_c < 0", f"{props.n_true_negative} / {n}")
d2.metric("samples with all other components ≥ 0", f"{props.n_others_non_negative} / {n}")
st.markdown(
    "**3. Bound.** ‖π − y‖² = (1 − π_c)² + Σ_{k≠c} π_k² ≤ 2(1 − π_c)² ≤ 2, so no single sample "
    "can pull harder than √2, however wrong it is."
)
st.metric("max ‖π − y‖ over the data (bound √2 = 1.4142)", f"{props.max_norm:.4f}")
st.plotly_chart(
    norm_scatter(props.true_prob, props.norms, SQRT2, "‖π − y‖ against π_c, every sample"),
    key="grad_norm_scatter",
)
