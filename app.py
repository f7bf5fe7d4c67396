"""softmax-playground's main page, the playground: drag the class centres, watch it learn.

Run with `make run` (or `streamlit run app.py`). The theory pages are the files in pages/;
every page, this one included, calls ui.navigation.page_frame first (why: see that module).
"""

import streamlit as st

from playground import controller as ctl
from playground import export, export_script, server_gc
from playground.advice import (
    divergence_text,
    number,
    oscillation_text,
    scale_text,
    stable_choice,
)
from playground.clicks import once
from playground.component import playground_view
from playground.inspector import inspector_lines
from playground.notebook import notebook_bytes
from playground.pacing import compute_turn
from playground.payload import CURVED_NOTE
from playground.presets import PRESETS
from playground.settings import (
    GRID_CHOICES,
    L2_CHOICES,
    LR_CHOICES,
    OPTIMIZER_LABELS,
    SOURCE_LABELS,
)
from softmax_core.datasets import MAX_ROWS, head
from softmax_core.feature_maps import FEATURES
from ui import presenter
from ui.challenges import challenge_panel, check_playground, panel_label
from ui.navigation import page_frame
from ui.panels import race_input, simplex_class_picker
from ui.share import share_button
from ui.shortcuts import (
    NEW_DATA,
    PLAY,
    RESET,
    STEP,
    STEP_BUTTON,
    arrow_steps_on_page,
    shortcuts_help,
    view_shortcuts,
)

page_frame("Playground")
server_gc.tune()  # fewer, not longer, pauses of the whole server under load (see there)

ctl.init()
session = ctl.session()
playing = st.session_state[ctl.PLAYING]
key = ctl.widget_key
on_change = ctl.on_widget_change

presenting = presenter.presenting()
if presenting:  # the preset's title and lesson; Share and "?" go in the compact bar below
    presenter.headline(st.session_state[ctl.LESSON])
else:
    title, tools = st.columns([4, 1], vertical_alignment="bottom")
    # A smaller heading than st.title: on a phone the picture and Play fit the first screen.
    title.markdown(
        '<h1 style="font-size: 1.75rem; padding: 0.25rem 0 0">Softmax regression playground</h1>',
        unsafe_allow_html=True,
    )
    with tools.container(horizontal=True, horizontal_alignment="right"):
        share_button(session)
        shortcuts_help()

for notice in st.session_state[ctl.NOTICES]:
    st.warning(notice)
if st.session_state[ctl.NOTICES]:
    st.button("Dismiss link notices", on_click=once("dismiss", ctl.dismiss_notices))


def lr_label(value: float) -> str:
    return number(value)


def feature_toggles(s) -> None:
    """The extra features phi(x) of 2-D data, each with its formula (like TensorFlow
    Playground's feature inputs); the model is z = W^T phi(x) + b."""
    st.pills(
        "Features φ(x): x1, x2 and",
        list(FEATURES),
        format_func=lambda t: FEATURES[t].label,
        selection_mode="multi",
        key=ctl.PHI_WIDGET,
        on_change=on_change,
        help="Linear in its features, not in its inputs: with x1² + x2² the same model "
        "draws a circle. Changing them starts a new run.",
    )
    if s.settings.phi:
        st.caption(
            "z = Wᵀφ(x) + b with φ(x) = (x1, x2, "
            + ", ".join(FEATURES[t].label.split(" = ")[0] for t in s.settings.phi)
            + "). Each added feature is standardised with the training set's mean and "
            "standard deviation, so one learning rate serves every choice."
        )


with st.sidebar:
    # Grouped so the controls a lesson uses are at hand; each group fits one screen.
    training_tab, data_tab, show_tab, export_tab = st.tabs(
        ["Training", "Data", "Show", "Export"], key="pg_sidebar_tab"
    )
    with training_tab:
        st.select_slider(
            "Learning rate",
            options=LR_CHOICES,
            format_func=lr_label,
            key=key("lr"),
            on_change=on_change,
            help="Log scale. Changing it does not reset the weights.",
        )
        st.caption(
            f"Plain gradient descent cannot increase the loss below lr = 2/L = "
            f"{number(session.stable_lr())} (L bounds the curvature)."
        )
        st.select_slider(
            "L2 strength",
            options=L2_CHOICES,
            format_func=number,
            key=key("l2"),
            on_change=on_change,
        )
        st.selectbox(
            "Optimiser",
            list(OPTIMIZER_LABELS),
            format_func=OPTIMIZER_LABELS.get,
            key=key("optimizer"),
            on_change=on_change,
        )
        if session.settings.optimizer != "gd":  # gradient descent always uses every point
            st.number_input(
                "Batch size (0 = full batch)",
                0,
                500,
                step=1,
                key=key("batch_size"),
                on_change=on_change,
            )
        st.slider("Speed (steps per frame)", 1, 50, key=key("speed"), on_change=on_change)
        race_input(session)
    with data_tab:
        st.selectbox(
            "Data source",
            list(SOURCE_LABELS),
            format_func=SOURCE_LABELS.get,
            key=key("source"),
            on_change=on_change,
        )
        if st.session_state.get(key("source")) == "upload":
            st.file_uploader(
                "CSV file: a header row, numeric feature columns and a label column",
                type=["csv", "txt", "tsv"],
                key=ctl.UPLOAD_KEY,
                on_change=ctl.on_upload,
                max_upload_size=5,
                help=(
                    "The label column is the one named label, class, target or species, else "
                    f"the last one. Labels may be any values (2 to 6 classes); at most "
                    f"{MAX_ROWS} rows."
                ),
            )
            if st.session_state.get(ctl.UPLOAD_ERROR):
                st.error(st.session_state[ctl.UPLOAD_ERROR])
            if ctl.awaiting_upload():
                st.caption(
                    f"Showing {SOURCE_LABELS[session.settings.source]} until a file is read."
                )
        gauss = session.is_gauss
        data = session.dataset
        if data is not None:
            st.caption(
                f"{data.name}: {data.X.shape[0]} rows, {data.n_features} features. Classes: "
                + ", ".join(f"{k + 1} = {c}" for k, c in enumerate(data.class_names))
                + "."
            )
            for warning in data.warnings:
                st.warning(warning)
            with st.expander("Preview (first rows)"):
                st.dataframe(head(data), hide_index=True)
        if gauss or session.settings.source == "spiral":  # circle and xor: always 2 classes
            st.slider("Number of classes", 2, 6, key=key("n_classes"), on_change=on_change)
        if session.is_planar:  # the generated data's own controls; real data has its own
            st.slider(
                "Points per class", 5, 500, step=5, key=key("n_per_class"), on_change=on_change
            )
        if gauss:
            st.slider(
                "Spread (standard deviation)",
                0.05,
                3.0,
                step=0.05,
                key=key("spread"),
                on_change=on_change,
            )
        elif session.is_curved:
            st.slider(
                "Noise (standard deviation)",
                0.0,
                1.5,
                step=0.05,
                key=key("noise"),
                on_change=on_change,
                help="Gaussian jitter added to every coordinate, in data units.",
            )
        st.slider(
            "Test fraction", 0.0, 0.5, step=0.05, key=key("test_fraction"), on_change=on_change
        )
        st.number_input("Seed", 0, 2**31 - 1, step=1, key=key("seed"), on_change=on_change)
        if session.is_planar:
            feature_toggles(session)
        if data is not None:
            st.multiselect(
                "Train on features",
                list(range(data.n_features)),
                format_func=lambda j: data.feature_names[j],
                key=ctl.FEATURES_WIDGET,
                on_change=on_change,
                help="At least two. Changing them starts a new run.",
            )
            st.toggle("Standardise features", key=key("standardise"), on_change=on_change)
            st.caption(
                "Why: unequal feature scales make the loss surface an elongated valley, so one "
                "learning rate is too big for one direction and too small for another."
            )
            st.toggle(
                "Plot the first two principal components",
                key=key("pca"),
                on_change=on_change,
                help="The plane in which the classes are spread the most. Off: two columns.",
            )
            if not session.settings.pca:
                trained = list(session.settings.features)
                name = data.feature_names.__getitem__
                st.selectbox(
                    "Horizontal axis",
                    trained,
                    format_func=name,
                    key=key("plot_x"),
                    on_change=on_change,
                )
                st.selectbox(
                    "Vertical axis",
                    trained,
                    format_func=name,
                    key=key("plot_y"),
                    on_change=on_change,
                )
    with show_tab:
        st.toggle("Gradient arrows −W(π − y)", key=key("show_arrows"), on_change=on_change)
        st.toggle("Weight vectors and their steps", key=key("show_weights"), on_change=on_change)
        st.toggle("Optimum boundary (dashed)", key=key("show_optimum"), on_change=on_change)
        st.toggle("Log-scale loss", key=key("log_scale"), on_change=on_change)
        st.toggle("Legend on the picture", key=key("show_legend"), on_change=on_change)
        st.toggle("Axis ticks", key=key("show_ticks"), on_change=on_change)
        st.select_slider(
            "Region resolution", options=GRID_CHOICES, key=key("grid"), on_change=on_change
        )
        st.toggle(
            "Probability simplex",
            key=key("simplex"),
            on_change=on_change,
            help="Below the picture: every training point at its prediction π.",
        )
        if session.settings.simplex and session.n_classes > 3:
            simplex_class_picker(session)
        st.toggle(
            "Loss surface",
            key=key("landscape"),
            on_change=on_change,
            help="Below the picture: the objective on a plane, with the optimiser's path.",
        )
    with export_tab:
        st.caption("Files are built when you click, from the state at that moment.")
        downloads = [
            ("Trained parameters (JSON)", export.model_json, "softmax-model.json", "json"),
            ("Data set (CSV)", export.data_csv, "softmax-data.csv", "csv"),
            ("Loss history (CSV)", export.history_csv, "softmax-history.csv", "csv"),
            (
                "Training script (Python, NumPy only)",
                export_script.training_script,
                "train.py",
                "py",
            ),
            (
                "Jupyter notebook (.ipynb), the notes' method step by step",
                notebook_bytes,
                "softmax-run.ipynb",
                "ipynb",
            ),
        ]
        mimes = {
            "json": "application/json",
            "csv": "text/csv",
            "py": "text/x-python",
            "ipynb": "application/x-ipynb+json",
        }
        for label, build, file_name, kind in downloads:
            # The callable runs when the user clicks, in a worker thread outside any script
            # run where st.session_state does not exist: it gets the session object itself.
            st.download_button(
                label,
                data=lambda build=build, s=session: build(s),
                file_name=file_name,
                mime=mimes[kind],
                key=f"pg_export_{kind}_{file_name.split('.')[0].split('-')[-1]}",
                on_click="ignore",
                use_container_width=True,
            )

# One row that wraps (columns would stack into four full-width rows on a phone). Presenting,
# it is the compact bar: narrower, with learning rate, L2, Share and "?" in the same row (one
# row at 1280 px; ui.presenter's CSS puts the sliders' labels beside them).
with st.container(
    horizontal=True,
    gap="xsmall" if presenting else "small",
    vertical_alignment="center",
    key="pg_bar",
):
    st.button(
        "Pause" if playing else "Play",
        key="pg_play",
        on_click=once("play", ctl.on_play_pause),
        args=(not playing,),
        type="primary",
        width=120,  # "Pause" and its shortcut "Space" without an ellipsis
        shortcut=PLAY,
    )
    st.button("Step", key=STEP_BUTTON, on_click=once("step", ctl.on_step), shortcut=STEP)
    st.button(
        "Reset" if presenting else "Reset weights",
        key="pg_reset",
        on_click=once("reset", ctl.on_reset_weights),
        shortcut=RESET,
        help="Reset the weights (back to step 0)" if presenting else None,
    )
    st.button(
        "New data", key="pg_new_data", on_click=once("new_data", ctl.on_new_data), shortcut=NEW_DATA
    )
    st.selectbox(
        "Preset",
        list(PRESETS),
        index=None,
        placeholder="Lesson preset…" if presenting else "Load a lesson preset…",
        key=ctl.PRESET_KEY,
        on_change=ctl.on_preset,
        label_visibility="collapsed",
        width=190 if presenting else 300,
    )
    if presenting:
        presenter.learning_controls(session.settings, LR_CHOICES, L2_CHOICES, key, on_change)
        share_button(session)
        shortcuts_help()
# Always one slot, filled or not: the view below keeps its place (a view that moves in the
# page is remounted, and a remount restarts its animation).
lesson_slot = st.container()
lesson = st.session_state[ctl.LESSON]
if lesson and not presenting:  # presenting, the headline above shows it
    lesson_slot.info(f"**{lesson[0]}.** {lesson[1]}", icon=":material/school:")


def fix_buttons(s, *, restore: bool = False) -> None:
    """The fixes for a step that is too big, in one wrapping row."""
    stable = s.stable_lr()
    with st.container(horizontal=True, gap="small"):
        st.button(
            f"Use lr = {number(stable_choice(stable, LR_CHOICES))} (below 2/L)",
            key="pg_fix_lr",
            on_click=ctl.on_stable_lr,
            type="primary",
        )
        if s.dataset is not None and not s.settings.standardise:
            st.button("Standardise features", key="pg_fix_std", on_click=ctl.on_standardise)
        if restore:
            st.button("Restore best weights", key="pg_restore", on_click=ctl.on_restore)
            st.button(
                "Halve learning rate and restore",
                key="pg_restore_halve",
                on_click=ctl.on_restore,
                kwargs={"halve_lr": True},
            )


def show_advice(s) -> None:
    """Say why training goes wrong, in the main area, with the fix (see playground.advice)."""
    lr, stable = s.settings.lr, s.stable_lr()
    if s.divergence is not None:
        d = s.divergence
        st.error(divergence_text(d.step, d.reason, d.lr, d.l2, stable))
        fix_buttons(s, restore=True)
    elif s.oscillation is not None:
        st.warning(oscillation_text(s.oscillation, lr, stable))
        fix_buttons(s)
    elif s.dataset is not None and not s.settings.standardise and lr > stable:
        st.warning(scale_text(stable, lr))
        fix_buttons(s)


# The timer's interval grows with the tabs playing on this server (playground.pacing): a
# loaded replica slows every student's messages a little instead of collapsing.
@st.fragment(run_every=ctl.run_every())
def live_view() -> None:
    ack = ctl.handle_event(st.session_state.get(ctl.VIEW_KEY))
    ctl.retime_fragment(ctl.pacing().interval)
    # Timed runs of all tabs take turns (a drop or a click does not wait for its turn), then
    # this run's messages leave before the next run of this tab can clear them.
    with compute_turn(ctl.interactive_run(ack), give_way=ctl.interactive_request_pending):
        live_body(ack)
    ctl.end_fragment_run()


def live_body(ack: str | None) -> None:
    """The live fragment's contents: the view and what changes with it. Every timed run
    re-sends each of these elements (the server builds them, the page handles them), so what
    changes only with the settings is drawn below the fragment (view_notes): a timed run
    sends 4 deltas (the fragment's block, the advice container, the view, the readout)
    instead of 7, and 8 messages instead of 11."""
    frames = ctl.frames_for_this_run()
    s = ctl.session()
    # The view keeps one position in the fragment whatever appears above it (advice comes
    # and goes inside this container), so it is never remounted (a remount restarts its
    # animation and drops its points).
    with st.container():
        show_advice(s)
    if st.session_state.pop(ctl.NEEDS_FULL_RUN, False) or (
        st.session_state[ctl.PLAYING] is False and playing
    ):
        st.rerun()  # a fix changed the sidebar's settings, or playing stopped by itself
    payload = ctl.view_payload(frames, ack)
    payload["present"] = presenter.presenting()  # the view's large sizes (style.css)
    payload["shortcuts"] = view_shortcuts()  # the keys the view forwards to the page
    playground_view(payload, key=ctl.VIEW_KEY)
    st.caption(view_readout(s, frames[-1] if frames else None))
    if check_playground(s):  # newly solved: the challenge panel below the fragment updates
        # the rerun discards this run's message: its frames go to the next run's (else a
        # first chunk that diverged, and solved "make it diverge", was never shown)
        st.session_state[ctl.PENDING_FRAMES] = frames
        st.rerun()
    if s.settings.show_optimum:
        value = s.optimum()
        if isinstance(value, str):
            st.info(value)
    details = s.point_details(s.selected) if s.selected is not None else None
    if details:
        with st.expander(
            f"Point {details['index']} (class {details['label'] + 1}"
            f"{', test' if details['is_test'] else ''})",
            expanded=True,
        ):
            for caption, latex in inspector_lines(details):
                st.caption(caption)
                st.latex(latex)


def view_readout(s, last: dict | None) -> str:
    """One caption under the view: what its loss is, the accuracies when paused, and the
    points drawn by hand (they change in the fragment's own runs)."""
    readout = (
        "In the picture, loss is the training objective: the mean cross-entropy on the "
        "training points plus the L2 term (the curve “train total”)."
    )
    if last and not st.session_state[ctl.PLAYING] and last["test_acc"] is not None:
        readout += (
            f" At step {last['step']}: training accuracy {100 * last['train_acc']:.1f}%, "
            f"test accuracy {100 * last['test_acc']:.1f}%, test cross-entropy "
            f"{number(last['test_ce'])}."
        )
    if s.is_planar and s.n_drawn:
        readout += f" {s.n_drawn} drawn point(s): in the data CSV, not in the link."
    return readout


def view_notes(s) -> None:
    """How to use the view and what it shows: these change only with the settings (a full
    run), so they sit outside the live fragment and are not re-sent while playing."""
    if s.is_curved:
        st.caption("Click a point to see its x, z, π, y and π − y in the formulas. " + CURVED_NOTE)
    else:
        st.caption(
            "Click a point to see its x, z, π, y and π − y in the formulas. "
            "Drag a centre (or focus it and use the arrow keys) to move its class."
        )
    if s.is_planar:
        st.caption(
            "Add points (above the curves): click adds a point of the chosen class, "
            "Shift-click or a long press removes the nearest; on the focused plane the arrow "
            "keys move a cursor, Enter adds, Delete removes."
        )
    if s.fmap.tokens:
        st.caption(
            f"The model sees {s.X.shape[1]} features φ(x) ("
            + ", ".join(s.fmap.names)
            + "), so its regions and boundaries are curves in the plane. Arrows are "
            "−J_φ(x)ᵀW(π − y), the direction in the plane that lowers that point's loss; "
            "weight vectors show only the (x1, x2) part of each w_k."
        )
    if s.dataset is not None:
        d = s.X.shape[1]
        plane = "the first two principal components" if s.settings.pca else "the two chosen axes"
        if d > 2:
            st.caption(
                f"The model uses {d} features; the view is the plane of {plane}. Regions and "
                "boundaries are the exact slice of the model through that plane (features not "
                "plotted held at their mean), and points are projected onto it, so a point may "
                "sit in another colour's region yet be classified correctly. Arrows are the "
                "plane's part of −W(π − y), computed on the server from each point's full "
                "feature vector: they show when paused or stepping. A centre is its class "
                "mean; dragging it translates the whole class within the plane."
            )
        else:
            st.caption(
                f"The model uses these 2 features, so the view ({plane}) is the whole model. "
                "A centre is its class mean; dragging it translates the whole class."
            )


live_view()
view_notes(ctl.session())
arrow_steps_on_page()  # the right arrow steps outside the view too (ui.shortcuts)
if not presenting:
    with st.expander(panel_label(), icon=":material/flag:"):
        challenge_panel("app.py")
# Before this full run ends, let its drawing of the view reach the browser: a fragment run
# starting right after would otherwise drop it and the view would be remounted (see there).
ctl.wait_until_sent()
