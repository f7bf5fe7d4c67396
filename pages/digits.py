"""Digits: softmax regression on the 1,797 8 x 8 handwritten digits, with live templates.

A 2 x 2 warm-up (d2l's cat, chicken, dog), live training whose ten weight templates are
painted by ``digits.live_view`` from frames computed here, the test set's confusion matrix,
a digit you draw, one image's gradient as pictures, and the exact optimum.
"""

import numpy as np
import streamlit as st

from charts.digits import confusion_figure, digit_bars, image_row
from digits import controller as ctl
from digits.drawpad import bitmap_from_value, drawpad
from digits.live_view import live_view
from digits.pictures import digit_png_url
from digits.session import cell_members
from digits.warmup import CLASSES, DEFAULT_X, PIXELS, warmup, warmup_latex
from playground.clicks import once
from playground.settings import L2_CHOICES, LR_CHOICES, OPTIMIZER_LABELS
from softmax_core.digits import MAX_COUNT, evidence, reduce_bitmap, sample_gradient_images
from ui.a11y import plotly_chart
from ui.navigation import page_frame

page_frame("Digits")
ctl.init()
session = ctl.session()
data = session.data
playing = st.session_state[ctl.PLAYING]

st.title("Handwritten digits")
st.caption(
    f"Softmax regression on the 1,797 8 × 8 digits of UCI's \"Optical Recognition of "
    f'Handwritten Digits" (CC BY 4.0): 64 pixels, 10 classes. A stratified split (seed 0) '
    f"keeps {data.y_train.size} images for training and {data.y_test.size} for testing. "
    "The model sees each pixel's count (0 to 16) divided by 16."
)

# --- 1. warm-up ---------------------------------------------------------------------------
st.header("Warm-up: a 2 × 2 image, three classes")
st.caption(
    "The d2l example: four grey-scale pixels x₁…x₄ (0 = black, 1 = white), three classes "
    "(cat, chicken, dog), logits o = Wx + b with W of shape 3 × 4 and the softmax on top."
)
pixel_cols = st.columns(4)
x_warm = [
    pixel_cols[j].slider(PIXELS[j], 0.0, 1.0, DEFAULT_X[j], 0.05, key=f"dg_warm_x{j + 1}")
    for j in range(4)
]
o_warm, p_warm = warmup(x_warm)
left, right = st.columns([3, 2])
with left:
    for line in warmup_latex(x_warm):
        st.latex(line)
with right:
    plotly_chart(
        st,
        digit_bars(p_warm, title="ŷ = softmax(o)").update_xaxes(
            tickvals=[0, 1, 2], ticktext=list(CLASSES), title=""
        ),
        key="dg_warm_chart",
        config={"displayModeBar": False},
    )
st.caption(
    "Each row of W is one class's template over the four pixels; on the digits below W "
    "has 64 columns, so each class's row can be drawn as an 8 × 8 image."
)

# --- 2. live training ---------------------------------------------------------------------
with st.sidebar:
    st.header("Training")
    on_change = ctl.on_settings_change
    st.select_slider("Learning rate", options=LR_CHOICES, key="dg_lr", on_change=on_change)
    st.select_slider("L2 strength", options=L2_CHOICES, key="dg_l2", on_change=on_change)
    st.selectbox(
        "Optimiser",
        list(OPTIMIZER_LABELS),
        format_func=OPTIMIZER_LABELS.get,
        key="dg_optimizer",
        on_change=on_change,
    )
    st.number_input(
        "Batch size (0 = full batch; gradient descent always uses the full batch)",
        0,
        1000,
        step=1,
        key="dg_batch",
        on_change=on_change,
    )
    st.slider(
        "Speed (steps per frame, 15 frames a second)", 1, 20, key="dg_speed", on_change=on_change
    )

st.header("Weight templates")
st.caption(
    "Template k is w_k, the column of W that scores digit k, drawn as an 8 × 8 image: "
    "vermillion pixels raise digit k's logit when inked, blue ones lower it. One colour scale, "
    "symmetric about 0, is shared by the ten templates (its range is under the grid)."
)
cols = st.columns([1, 1, 1, 4])
cols[0].button(
    "Pause" if playing else "Play",
    key="dg_play",
    on_click=once("dg_play", ctl.on_play_pause),
    type="primary",
    use_container_width=True,
)
cols[1].button(
    "Step", key="dg_step", on_click=once("dg_step", ctl.on_step), use_container_width=True
)
cols[2].button(
    "Reset", key="dg_reset", on_click=once("dg_reset", ctl.on_reset), use_container_width=True
)

optimum_view, opt_acc = ctl.optimum_payload()


@st.fragment(run_every=ctl.RUN_EVERY if playing else None)
def live_panel() -> None:
    frames = ctl.frames_for_this_run()
    if session.diverged:
        st.error(
            f"{session.diverged}. Lower the learning rate, then press Reset (the weights "
            "kept are the last finite ones)."
        )
        if not st.session_state[ctl.PLAYING] and playing:
            st.rerun()
    live_view(ctl.view_payload(frames, optimum_view), key=ctl.VIEW_KEY)


live_panel()
st.caption(
    "The server trains (NumPy) and sends the frames a few times a second; the browser plays "
    "them back at 15 frames a second. Loss curves are the mean cross-entropy without the L2 "
    "term, so train and test compare."
)

# --- models for the sections below ---------------------------------------------------------
st.divider()
MODELS = {"optimum": "Exact optimum", "live": "Live model (as of this page run)"}
model = st.radio(
    "Classify with (confusion matrix and drawing)",
    list(MODELS),
    format_func=MODELS.get,
    key="dg_model",
    horizontal=True,
)
params = session.params(model)
if isinstance(params, str):
    st.info(params + " Showing the live model instead.")
    model, params = "live", session.live_params()
W_use, b_use = params
step_note = "" if model == "optimum" else f" at step {session.trainer.step_count}"

# --- 3. confusion matrix --------------------------------------------------------------------
st.header("Confusion matrix of the test set")
probs_test = session.test_probs(W_use, b_use)
C = session.test_confusion(probs_test)
acc_use = float(np.trace(C) / C.sum())
st.caption(
    f"{MODELS[model].split(' (')[0]}{step_note}: test acc {100 * acc_use:.1f}% "
    f"({int(np.trace(C))} of {int(C.sum())}). Rows are the true digit, columns the "
    "prediction; click a square (or choose below) to see the images in it."
)


def on_cell_click() -> None:
    cell = ctl.cell_from_selection(st.session_state.get("dg_confusion"))
    if cell is not None:
        st.session_state["dg_cell_true"], st.session_state["dg_cell_pred"] = cell


st.session_state.setdefault("dg_cell_true", 3)
st.session_state.setdefault("dg_cell_pred", 8)
cm_col, list_col = st.columns([1, 1.2])
cell = (st.session_state["dg_cell_true"], st.session_state["dg_cell_pred"])
with cm_col:
    plotly_chart(
        st,
        confusion_figure(C, selected=cell),
        key="dg_confusion",
        on_select=on_cell_click,
        selection_mode="points",
        config={"displayModeBar": False},
    )
with list_col:
    c1, c2 = st.columns(2)
    c1.selectbox("True digit", list(range(10)), key="dg_cell_true")
    c2.selectbox("Predicted as", list(range(10)), key="dg_cell_pred")
    t_sel, p_sel = st.session_state["dg_cell_true"], st.session_state["dg_cell_pred"]
    members = cell_members(data.y_test, probs_test, t_sel, p_sel)
    if members.size == 0:
        st.info(f"No test image of a {t_sel} was predicted as {p_sel}.")
    else:
        shown = members[:40]
        st.caption(
            f"{members.size} test image{'s' if members.size > 1 else ''} of a {t_sel} "
            f"predicted as {p_sel}, most confident first"
            + (f" (first {shown.size})" if members.size > shown.size else "")
            + ". π is the ten probabilities, digits 0 to 9."
        )
        counts_test = np.round(data.X_test * MAX_COUNT)
        st.dataframe(
            {
                "image": [digit_png_url(counts_test[i]) for i in shown],
                "test #": [int(i) for i in shown],
                f"π{p_sel}": [float(probs_test[i, p_sel]) for i in shown],
                f"π{t_sel}": [float(probs_test[i, t_sel]) for i in shown],
                "π (0…9)": [probs_test[i].round(4).tolist() for i in shown],
            },
            column_config={
                "image": st.column_config.ImageColumn("image", width="small"),
                f"π{p_sel}": st.column_config.NumberColumn(format="%.3f"),
                f"π{t_sel}": st.column_config.NumberColumn(format="%.3f"),
                "π (0…9)": st.column_config.BarChartColumn("π (0…9)", y_min=0.0, y_max=1.0),
            },
            hide_index=True,
            row_height=40,
            height=min(420, 42 + 40 * shown.size),
            key="dg_cell_table",
        )

# --- 4. draw a digit ------------------------------------------------------------------------
st.header("Draw a digit")
st.caption(
    "Like the UCI set was made: your strokes become a 32 × 32 bitmap (scaled to fit, "
    "centred), and each pixel of the 8 × 8 image counts the inked pixels of one 4 × 4 block "
    "(0 to 16)."
)


@st.fragment
def draw_panel() -> None:
    pad_col, out_col = st.columns([1, 1.6])
    with pad_col:
        value = drawpad(key=ctl.DRAW_KEY)
    bitmap = bitmap_from_value(value)
    with out_col:
        if bitmap is None:
            st.info("Draw a digit in the square: its probabilities and the evidence appear here.")
            return
        counts = reduce_bitmap(bitmap)
        x = counts.ravel() / MAX_COUNT
        logits = x @ W_use + b_use
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        top = int(np.argmax(probs))
        st.markdown(f"**It reads a {top}** (π{top} = {probs[top]:.3f}).")
        plotly_chart(
            st,
            digit_bars(probs, title="π for your digit", height=230),
            key="dg_draw_probs",
            config={"displayModeBar": False},
        )
        ev = evidence(x, W_use, top)
        a, b = st.columns(2)
        plotly_chart(
            a,
            image_row([counts], ["your digit: 8 × 8 counts"], signed=False, height=250),
            key="dg_draw_counts",
            config={"displayModeBar": False},
        )
        plotly_chart(
            b,
            image_row([ev], [f"evidence x ⊙ w{top}"], height=250),
            key="dg_draw_evidence",
            config={"displayModeBar": False},
        )
        st.caption(
            f"Why it thinks this is a {top}: each pixel's x_j · w_{top},j. Vermillion pixels "
            f"pushed the logit up, blue ones down: their sum {ev.sum():.2f} plus b_{top} = "
            f"{b_use[top]:.2f} is the logit {logits[top]:.2f}."
        )


draw_panel()

# --- 5. one image's gradient ----------------------------------------------------------------
st.header("One image's gradient")
st.caption(
    "For one training image, dL/dW = x (π − y)ᵀ: column k, reshaped to 8 × 8, says how "
    "gradient descent on this image alone would change template k. Drawn is the step "
    "−lr (π_k − y_k) x at the current learning rate and live weights"
    f" (step {session.trainer.step_count})."
)
g_left, g_right = st.columns([1, 3])
with g_left:
    index = int(
        st.number_input(
            f"Training image (0 to {data.y_train.size - 1})",
            0,
            data.y_train.size - 1,
            value=0,
            step=1,
            key="dg_grad_index",
        )
    )
    label = int(data.y_train[index])
    x_img = data.X_train[index]
    W_live, b_live = session.live_params()
    lr = session.settings.lr
    pi, steps = sample_gradient_images(x_img, label, W_live, b_live, lr)
    plotly_chart(
        st,
        image_row(
            [x_img.reshape(8, 8) * MAX_COUNT],
            [f"image {index}: a {label}"],
            signed=False,
            height=230,
        ),
        key="dg_grad_image",
        config={"displayModeBar": False},
    )
with g_right:
    y_one = np.eye(10)[label]
    st.dataframe(
        {
            "vector": ["π", "y", "π − y"],
            **{str(k): [pi[k], y_one[k], pi[k] - y_one[k]] for k in range(10)},
        },
        column_config={str(k): st.column_config.NumberColumn(format="%.3f") for k in range(10)},
        hide_index=True,
        key="dg_grad_table",
    )
    plotly_chart(
        st,
        image_row(
            steps,
            [f"Δw{k}" for k in range(10)],
            cols=5,
            height=360,
            title=f"−lr (π_k − y_k) x with lr = {lr:g}",
            colorbar_title="Δw",
        ),
        key="dg_grad_steps",
        config={"displayModeBar": False},
    )
    st.caption(
        f"Template {label} (the true digit) gains the image (π − y < 0); every other "
        "template loses it in proportion to its π_k. The pictures differ only in sign and "
        "strength: one image moves all ten templates along ±x."
    )

# --- 6. the optimum -------------------------------------------------------------------------
st.header("The exact optimum")
if opt_acc is None:
    st.info(session.optimum())
else:
    m = session.trainer.evaluate()
    st.markdown(
        f"At L2 = {session.settings.l2:g} the exact minimiser of the training loss reaches "
        f"**test acc {100 * opt_acc:.1f}%**; the live model has {100 * m.test_acc:.1f}% at "
        f"step {m.step}. Its templates are drawn beside the live ones above."
    )
    st.caption(
        "Solved by Newton's method (softmax_core.solve_optimum): with D = 64 and K = 10 there "
        "are only 650 parameters, so the 650 × 650 Hessian is small and a few Newton steps "
        "reach the minimum to float64 precision, where gradient descent needs thousands."
    )
