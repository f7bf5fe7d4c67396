"""The gradient, derived: the chain rule step by step on a sample, then what the notes leave out."""

import numpy as np
import streamlit as st

from charts.latex import NARROW_SCREEN_CSS, fixed, formula_row, matrix, vector
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
from lessons.gradient_extras import (
    SEPARABLE_LR,
    check_weight_hessian,
    feature_map_gradient,
    separable_run,
)
from lessons.notation import weight_name
from lessons.numerics import check_loss_gradients
from softmax_core import accuracy, loss_and_gradients, predict
from ui.a11y import plotly_chart
from ui.navigation import page_frame
from ui.page_state import keep_widget_values

page_frame("The gradient, derived")
st.html(NARROW_SCREEN_CSS)

K, D = np.shape(START_W)
W_KEYS = [[f"grad_W_{k}_{j}" for j in range(D)] for k in range(K)]  # W_kj: class k, feature j
B_KEYS = [f"grad_b_{k}" for k in range(K)]
WEIGHT_LIMIT = 50.0
DEFAULTS = {
    "grad_data": DATASETS[0],
    "grad_sample": 1,
    "grad_l2": 0.0,
    "grad_lr": 0.5,
    "grad_steps": 10,
    **{W_KEYS[k][j]: START_W[k][j] for k in range(K) for j in range(D)},
    **{B_KEYS[k]: START_B[k] for k in range(K)},
}
keep_widget_values(DEFAULTS)  # survives a visit to another page: see ui.page_state


def current_params():
    """W (K, D) and b (K,) from the inputs."""
    W_ = np.array([[st.session_state[W_KEYS[k][j]] for j in range(D)] for k in range(K)])
    return W_, np.array([st.session_state[B_KEYS[k]] for k in range(K)])


def set_params(W, b) -> None:
    """Write parameters into the weight inputs (rounded to what the inputs show)."""
    W = np.clip(np.round(W, 4), -WEIGHT_LIMIT, WEIGHT_LIMIT)
    b = np.clip(np.round(b, 4), -WEIGHT_LIMIT, WEIGHT_LIMIT)
    for k in range(K):
        for j in range(D):
            st.session_state[W_KEYS[k][j]] = float(W[k, j])
        st.session_state[B_KEYS[k]] = float(b[k])


def train_callback() -> None:
    X_, y_ = demo_dataset(st.session_state["grad_data"])
    W_, b_ = current_params()
    ss = st.session_state
    W_, b_, losses, diverged = train_steps(
        W_, b_, X_, y_, ss["grad_lr"], ss["grad_steps"], ss["grad_l2"], limit=WEIGHT_LIMIT
    )
    set_params(W_, b_)
    ss["grad_diverged"] = (len(losses), diverged)


st.title("The gradient, derived")
st.markdown(
    "The derivation notes get ∂L/∂z = π − y by the chain rule. Each step below is the formula "
    "on the left and the same step evaluated on one sample on the right. Change the weights, or "
    "train a few steps, and every number follows. W is K × D: row k holds class k's weights, "
    "so W₁₂ is class 1's weight on feature 2 (the glossary on the About page has every symbol)."
)

with st.sidebar:
    st.subheader("Data and weights")
    dataset = st.radio("Data set", DATASETS, key="grad_data")
    X, y = demo_dataset(dataset)
    sample = st.number_input("Sample i", 1, len(y), step=1, key="grad_sample")
    l2 = st.number_input("L2 strength λ", 0.0, 10.0, step=0.01, key="grad_l2", format="%.3f")
    st.caption("Row k: class k's weights W_k1, W_k2 (features x₁, x₂) and bias b_k")
    for k in range(K):
        cols = st.columns(D + 1)
        for j in range(D):
            cols[j].number_input(
                weight_name(k, j),
                -WEIGHT_LIMIT,
                WEIGHT_LIMIT,
                step=0.1,
                format="%.4f",
                key=W_KEYS[k][j],
            )
        cols[D].number_input(
            f"b{k + 1}", -WEIGHT_LIMIT, WEIGHT_LIMIT, step=0.1, format="%.4f", key=B_KEYS[k]
        )
    st.number_input("Learning rate α", 0.001, 10.0, step=0.1, key="grad_lr", format="%.3f")
    st.number_input("Steps", 1, 500, step=1, key="grad_steps")
    st.button("Train (gradient descent)", key="grad_train", on_click=train_callback)
    st.button("Reset weights", key="grad_reset", on_click=set_params, args=(START_W, START_B))

W, b = current_params()
i = int(sample) - 1  # 0-based row of sample i
done, diverged = st.session_state.pop("grad_diverged", (0, False))
if diverged:
    st.warning(
        f"Training stopped after {done} steps: the next step would have sent the weights past "
        f"{WEIGHT_LIMIT:g} (the inputs' range) or to infinity: the learning rate is too large. The "
        "weights are the last ones within range; lower the learning rate."
    )
cost, _, _ = loss_and_gradients(W.T, b, X, y, l2)
m1, m2, m3 = st.columns(3)
m1.metric("cost J (mean loss + L2 term)", f"{cost:.4f}")
m2.metric("training accuracy", f"{accuracy(y, predict(W.T, b, X)):.0%}")
m3.metric("sample i, true class c", f"{int(sample)}, class {int(y[i]) + 1}")
plotly_chart(
    st, scatter_classes(X, y, i, f"The data; sample {int(sample)} is ringed"), key="grad_scatter"
)
if dataset == DATASETS[1]:
    st.caption(
        "The NumPy notebook's generator labels each point by the argmax of a random linear "
        "model, so a linear model can classify the data perfectly: see 'Separable data' below. "
        "As written it cannot run (its one-hot line calls an array); the app's version is "
        "fixed and keeps integer labels and a local random generator."
    )

steps = chain_rule_steps(W, b, X[i], int(y[i]))
c = steps.label


def step(title: str, formula: str, numbers: str) -> None:
    st.markdown(f"**{title}**")
    left, right = st.columns(2)
    left.latex(formula)
    right.latex(numbers)


st.header(f"Step by step, for sample {int(sample)}")
step(
    "0. Logits",
    r"z_k = \mathbf w_k^{\top}\mathbf x + b_k,\quad \mathbf z = W\mathbf x + \mathbf b",
    rf"\mathbf x = {vector(steps.x)}^{{\top}}\\ \mathbf z = {vector(steps.z)}^{{\top}}",
)
step(
    "1. Probabilities and loss",
    r"\pi_k = \frac{e^{z_k}}{\sum_l e^{z_l}},\quad L = -\log\pi_c",
    rf"\boldsymbol\pi = {vector(steps.pi)}^{{\top}}\\ c = {c + 1},\ L = {steps.loss:.4f}",
)
step(
    "2. Loss with respect to the probabilities",
    r"\frac{\partial L}{\partial\pi_k} = -\frac{y_k}{\pi_k}",
    rf"\mathbf y = {vector(steps.y, 0)}^{{\top}}\\ "
    rf"\frac{{\partial L}}{{\partial\boldsymbol\pi}} = {vector(steps.dL_dpi)}",
)
step(
    "3. The softmax Jacobian",
    r"\frac{\partial\pi_k}{\partial z_l} = \pi_k(\delta_{kl} - \pi_l)",
    rf"\frac{{\partial\boldsymbol\pi}}{{\partial\mathbf z}} = {matrix(steps.jacobian)}",
)
step(
    "4. Their product (the chain rule)",
    r"\frac{\partial L}{\partial z_l} = \sum_k \frac{\partial L}{\partial\pi_k}"
    r"\frac{\partial\pi_k}{\partial z_l}\\ = -\sum_k y_k(\delta_{kl} - \pi_l)",
    rf"\frac{{\partial L}}{{\partial\boldsymbol\pi}}\,\frac{{\partial\boldsymbol\pi}}"
    rf"{{\partial\mathbf z}} = {vector(steps.dL_dz_chain)}",
)
step(
    "5. The simplification: prediction minus truth",
    r"\frac{\partial L}{\partial z_l} = -y_l + \pi_l\sum_k y_k = \pi_l - y_l",
    rf"\boldsymbol\pi - \mathbf y = {vector(steps.dL_dz)}^{{\top}}\\"
    rf"\text{{differs from step 4 by {steps.chain_vs_shortcut:.1e}}}",
)
step(
    "6. Weights",
    r"\frac{\partial L}{\partial W} = (\boldsymbol\pi - \mathbf y)\,\mathbf x^{\top}"
    r"\in\mathbb R^{K\times D}",
    rf"{matrix(steps.dW)}",
)
step(
    "7. Biases",
    r"\frac{\partial L}{\partial\mathbf b} = \boldsymbol\pi - \mathbf y",
    rf"{vector(steps.db)}^{{\top}}",
)
if not np.all(np.isfinite(steps.dL_dz_chain)):
    st.warning(
        "π_c underflowed to 0 in float64, so step 2 divides by 0 and the chain-rule product in "
        "step 4 is undefined (∞ · 0). π − y in step 5 is still exact: one more reason to use it."
    )
plotly_chart(
    st,
    signed_bars(
        steps.dL_dz,
        [f"class {k + 1}" for k in range(K)],
        "π − y for this sample: the true class is the one negative bar",
        "∂L/∂z",
    ),
    key="grad_residual_bars",
)

st.header("The slides' route: three terms for W₁₁ and b₁")
st.markdown(
    "The slides take one weight at a time. z₁ = W₁₁x₁ + W₁₂x₂ + b₁ feeds every π_k, so "
    "∂L/∂W₁₁ has one term per class; with this sample's numbers:"
)
terms_w, terms_b = steps.slide_terms(0, 0), steps.slide_terms(0, None)
three = r"\sum_{k=1}^{3}\frac{\partial L}{\partial\pi_k}\frac{\partial\pi_k}{\partial z_1}"
st.markdown(
    formula_row(
        rf"\frac{{\partial L}}{{\partial W_{{11}}}} = {three}\frac{{\partial z_1}}"
        r"{\partial W_{11}}",
        " + ".join(fixed(terms_w)) + rf" = {terms_w.sum():.4f}",
        rf"(\pi_1 - y_1)x_1 = {steps.dW[0, 0]:.4f}",
    )
)
st.markdown(
    formula_row(
        rf"\frac{{\partial L}}{{\partial b_1}} = {three}\cdot 1",
        " + ".join(fixed(terms_b)) + rf" = {terms_b.sum():.4f}",
        rf"\pi_1 - y_1 = {steps.db[0]:.4f}",
    )
)
st.caption("Only the true class's term is non-zero: y_k = 0 for every other k.")

st.header("The whole batch, in matrix form")
st.markdown(
    formula_row(
        r"Z = XW^{\top} + \mathbf 1\mathbf b^{\top}",
        r"\frac{\partial J}{\partial W} = \frac{1}{N}(P - Y)^{\top} X + \lambda W",
        r"\frac{\partial J}{\partial \mathbf b} = \frac{1}{N}(P - Y)^{\top}\mathbf 1",
        r"J = \frac1N\sum_i L^{(i)} + \frac{\lambda}{2}\|W\|_F^2",
    )
)
batch = batch_form(W, b, X, y, l2)
b1, b2 = st.columns(2)
b1.metric("max |matrix form − the app's engine|", f"{batch.max_difference:.1e}")
b2.metric("max |L2 term λW|", f"{np.max(np.abs(batch.l2_term)):.4f}")
st.markdown(
    "X is N × D, P and Y are N × K, so (P − Y)ᵀX is K × D like W. Y never has to be built: "
    "P − Y is P with 1 subtracted at each sample's label, the same numbers without N × K "
    "extra memory (one-hot matrices are not wrong, only larger). The L2 term adds λW to the "
    "weight gradient, not to the bias. CS231n writes the penalty as λ‖W‖², whose gradient is "
    f"2λW: the same model with λ doubled. Here λ = {l2:g}:"
)
st.latex(rf"\lambda W = {matrix(batch.l2_term)}")
st.info(
    "**Erratum, the d2l summary.** It writes o = Wx + b with W 3 × 4 (classes × features), "
    "then O = XW + b for a batch. With the same W the batch form is O = XWᵀ + b; the summary's "
    "batch W is the transpose (d × q). The NumPy notebook stores that transpose too "
    "(X times a D × K matrix); the derivation notes and the slides use K × D, as this app does.",
    icon="✏️",
)

st.header("Checked against finite differences")
st.markdown(
    "The derivation notes check their formulas with PyTorch autograd. Central differences need "
    "no framework: (J(θ + h) − J(θ − h)) / 2h for every one of the K·D + K parameters, h = 1e-5."
)
fd = check_loss_gradients(W.T, b, X, y, l2)
f1, f2, f3 = st.columns(3)
f1.metric("max gradient error (W)", f"{fd.max_error_W:.1e}")
f2.metric("max gradient error (b)", f"{fd.max_error_b:.1e}")
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
rows = magnitude_table(K)
t1.table({name: fixed([r[name] for r in rows]) for name in rows[0]})
bins = confidence_bins(props)
t2.table(
    {
        "π_c band": [r["π_c band"] for r in bins],
        "samples": [str(r["samples"]) for r in bins],
        "mean |∂L/∂z_c|": fixed([r["mean |∂L/∂z_c|"] for r in bins]),
        "mean ‖π − y‖": fixed([r["mean ‖π - y‖"] for r in bins]),
    }
)
t2.caption("The same on the current data, by band of π_c (NaN: no sample in the band).")
n = len(y)
st.markdown(
    "**2. Direction.** The true-class component π_c − 1 is negative (gradient descent raises "
    "z_c); every other component π_k is positive (it lowers the other logits)."
)
d1, d2 = st.columns(2)
d1.metric("samples with ∂L/∂z_c < 0", f"{props.n_true_negative} / {n}")
d2.metric("samples with all other components ≥ 0", f"{props.n_others_non_negative} / {n}")
st.markdown(
    "**3. Bound.** ‖π − y‖² = (1 − π_c)² + Σ_{k≠c} π_k² ≤ 2(1 − π_c)² ≤ 2, so in the logits no "
    "sample pulls harder than √2. In the weights the pull is (π − y)xᵀ, whose size is "
    "‖π − y‖·‖x‖ ≤ √2‖x‖: a far-away point pulls harder, however right or wrong it is."
)
p1, p2 = st.columns(2)
p1.metric("max ‖π − y‖ over the data (bound √2 = 1.4142)", f"{props.max_norm:.4f}")
p2.metric("max ‖∂L⁽ⁱ⁾/∂W‖ / ‖x⁽ⁱ⁾‖ (bound √2)", f"{np.max(props.weight_norms / props.x_norms):.4f}")
plotly_chart(
    st,
    norm_scatter(props.true_prob, props.norms, SQRT2, "‖π − y‖ against π_c, every sample"),
    key="grad_norm_scatter",
)

st.header("Beyond the notes: convexity")
st.markdown(
    "Why gradient descent finds the best weights: the cost is convex. One sample's second "
    "derivatives in W are the softmax Jacobian times xxᵀ, a Kronecker product of two positive "
    "semidefinite matrices, so every Hessian eigenvalue is ≥ 0 (≥ λ with L2). The D zero "
    "eigenvalues without L2 are the directions that add one vector to every row of W: shift "
    "invariance again."
)
st.latex(
    r"\frac{\partial^2 J}{\partial W_{kj}\,\partial W_{lm}} = \frac1N\sum_i"
    r"\pi_k^{(i)}(\delta_{kl} - \pi_l^{(i)})\,x_j^{(i)} x_m^{(i)} + \lambda\,\delta_{kl}\delta_{jm}"
)
hess = check_weight_hessian(W, b, X, y, l2)
h1, h2, h3 = st.columns(3)
h1.metric("max |Hessian − differences of the gradient|", f"{hess.max_error:.1e}")
h2.metric("smallest eigenvalue", fixed([hess.eigenvalues.min()])[0])
h3.metric("largest eigenvalue", fixed([hess.eigenvalues.max()])[0])


@st.cache_data(show_spinner=False)
def separable_runs():
    return separable_run(0.0), separable_run(0.01)


st.header("Beyond the notes: separable data have no optimum without L2")
free, ridge = separable_runs()
st.markdown(
    "The NumPy notebook's generator (300 samples, 2 features, 3 classes) labels by the argmax "
    "of a linear model, so some W classifies every sample correctly. Then scaling that W up "
    "always lowers the loss, and gradient descent never stops growing the weights: there is no "
    f"minimiser. With a little L2 (λ = 0.01) the weights settle. Gradient descent from W = 0, "
    f"α = {SEPARABLE_LR:g}:"
)
st.table(
    {
        "steps": [str(s) for s in free.steps],
        "loss, λ = 0": fixed(free.losses),
        "largest |W_kj|, λ = 0": fixed(free.largest_weight, 2),
        "loss, λ = 0.01": fixed(ridge.losses),
        "largest |W_kj|, λ = 0.01": fixed(ridge.largest_weight, 2),
    },
    hide_index=True,
)
st.caption(
    "The exact solver (Newton's method) finds no finite optimum at λ = 0; at λ = 0.01 its "
    f"minimum loss is {ridge.optimum_loss:.4f}, which gradient descent reaches."
    if ridge.optimum_loss is not None and free.optimum_loss is None
    else "The exact solver's verdict differs from the expected one on this machine."
)

st.header("Beyond the notes: a fixed feature map")
fm = feature_map_gradient(X, y, i)
st.markdown(
    "A curved boundary needs no new theory: replace x by fixed features φ(x), here "
    f"φ(x) = ({', '.join(fm.names)}) with the extra ones standardised. The model "
    "z = Wφ(x) + b is still linear in W, so the gradient is the same with φ(x) in place of x. "
    f"For sample {int(sample)}, with W a random {K} × {fm.phi.size} matrix:"
)
st.markdown(
    formula_row(
        r"\frac{\partial L}{\partial W} = (\boldsymbol\pi - \mathbf y)\,\varphi(\mathbf x)^{\top}",
        rf"\varphi(\mathbf x) = {matrix(fm.phi[:, None], 3)}",
        r"\frac{\partial L}{\partial W} =",
        matrix(fm.dW, 3),
    )
)
st.metric("max |(π − y)φ(x)ᵀ − central differences|", f"{fm.max_error:.1e}")
