"""Presenter mode: for a projector. URL key ``present=1``, or the Presenter mode button.

Every page calls ``apply`` through ``ui.navigation.page_frame``. When presenting, the sidebar
is removed from the layout (``display: none``: zero width, not merely collapsed), text is
larger, and a bar at the top offers the way back and the pages. The playground adds its own
compact bar of controls (``app.py``) and large readouts. The flag lives in the session (so it
survives moving between pages) and in the URL (so a reload or a bookmark keeps it).
"""

from __future__ import annotations

import streamlit as st

from .shortcuts import PRESENT

URL_KEY = "present"
FLAG = "presenting"

_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"] {
  display: none !important;
}
header[data-testid="stHeader"] { display: none !important; }
.block-container { padding: 0.6rem 1.5rem 1rem 1.5rem !important; max-width: 100% !important; }
.st-key-presenter_bar { position: fixed; top: 0.6rem; right: 1.2rem; z-index: 999990;
  width: auto !important; background: rgba(255, 255, 255, 0.92); border-radius: 0.5rem; }
.stApp { font-size: 1.15rem; }
[data-testid="stMetricValue"] { font-size: 2.4rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.2rem !important; }
</style>
"""


def presenting() -> bool:
    return bool(st.session_state.get(FLAG, False))


def _sync_with_url() -> None:
    """The URL wins when it says something; otherwise the session's flag is written to it."""
    value = st.query_params.get(URL_KEY)
    if value is not None:
        st.session_state[FLAG] = value.strip() in ("1", "true", "yes", "on")
    if presenting():
        if st.query_params.get(URL_KEY) != "1":
            st.query_params[URL_KEY] = "1"
    elif URL_KEY in st.query_params:
        del st.query_params[URL_KEY]


def set_presenting(on: bool) -> None:
    st.session_state[FLAG] = on
    if on:
        st.query_params[URL_KEY] = "1"
    elif URL_KEY in st.query_params:
        del st.query_params[URL_KEY]


def toggle() -> None:
    set_presenting(not presenting())


def apply(pages) -> None:
    """Call first on every page (after the page config): hides the sidebar when presenting
    and draws the way back and the pages; ``pages`` are ``navigation.PAGES``."""
    _sync_with_url()
    if not presenting():
        return
    st.html(_CSS)
    bar = st.container(key="presenter_bar", horizontal=True)
    with bar.popover("Pages", icon=":material/menu:"):
        for page in pages:
            st.page_link(page.path, label=page.label, icon=page.icon)
    bar.button(
        "Leave presenter mode",
        key="presenter_exit",
        icon=":material/close_fullscreen:",
        on_click=set_presenting,
        args=(False,),
    )


def presenter_button() -> None:
    """The way in (in the sidebar, so hidden while presenting; its shortcut still toggles)."""
    st.button(
        "Presenter mode",
        key="presenter_toggle",
        icon=":material/co_present:",
        on_click=toggle,
        shortcut=PRESENT,
        help="For a projector: no sidebar, large text, the few controls a demo needs. "
        "Also ?present=1 in the link.",
        use_container_width=True,
    )


# --- the playground's parts ----------------------------------------------------------------
DEFAULT_LESSON = "Each region is where its class's logit is largest; training follows π − y."


def headline(lesson: tuple[str, str] | None) -> None:
    """The loaded preset's (title, what to look for), large; the playground's own otherwise."""
    title, lesson = lesson or ("Softmax regression playground", DEFAULT_LESSON)
    st.markdown(
        f"<div style='font-size:1.9rem;font-weight:700;line-height:1.15'>{title}</div>"
        f"<div style='font-size:1.35rem;margin-bottom:0.2rem'>{lesson}</div>",
        unsafe_allow_html=True,
    )


def _copy_to_widget(name: str, widget_key, on_change) -> None:
    st.session_state[widget_key(name)] = st.session_state[f"present_{name}"]
    on_change()


def learning_controls(a, b, settings, lr_choices, l2_choices, widget_key, on_change) -> None:
    """Learning rate and L2 in columns ``a`` and ``b`` of the compact bar. Own keys: the
    sidebar's widgets still exist (hidden), so these copy their value into the sidebar's keys
    and apply it."""
    st.session_state["present_lr"] = settings.lr
    st.session_state["present_l2"] = settings.l2
    for col, name, label, choices in (
        (a, "lr", "Learning rate", lr_choices),
        (b, "l2", "L2 strength", l2_choices),
    ):
        col.select_slider(
            label,
            options=choices,
            key=f"present_{name}",
            on_change=_copy_to_widget,
            args=(name, widget_key, on_change),
        )


def readouts(session) -> None:
    """Step, training loss and accuracies in one large line (the view's own are small)."""
    h = session.history
    if len(h) == 0:
        return
    last = {k: float(v[-1]) for k, v in h.as_dict().items()}
    test = last["test_acc"]
    parts = [
        f"Step <b>{int(last['step'])}</b>",
        f"training loss <b>{last['train_ce'] + last['l2_term']:.4f}</b>",
        f"train accuracy <b>{100 * last['train_acc']:.1f}%</b>",
        f"test accuracy <b>{'–' if test != test else f'{100 * test:.1f}%'}</b>",
    ]
    st.markdown(
        "<div class='presenter-readouts' style='font-size:1.5rem;line-height:1.3'>"
        + " · ".join(parts)
        + "</div>",
        unsafe_allow_html=True,
    )
