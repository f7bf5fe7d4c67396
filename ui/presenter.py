"""Presenter mode: for a projector. URL key ``present=1``, or the Presenter mode button.

Every page calls ``apply`` through ``ui.navigation.page_frame``. When presenting, the sidebar
is removed from the layout (``display: none``: zero width, not merely collapsed), text is
larger, and a bar at the top offers the way back and the pages. The playground adds its
headline (the preset's title and lesson) and its compact bar of controls (``app.py``), one
row at 1280 px; the view (its readouts large) then fills the window below it
(``playground/component/frontend/main.js``). The flag lives in the session (so it survives
moving between pages) and in the URL (so a reload or a bookmark keeps it).
"""

from __future__ import annotations

import html

import streamlit as st

from .shortcuts import PRESENT

URL_KEY = "present"
SLIDER_WIDTH = 220  # px, each of the compact bar's two sliders (label beside the track)
FLAG = "presenting"

_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"] {
  display: none !important;
}
header[data-testid="stHeader"] { display: none !important; }
.block-container { padding: 0.6rem 1.5rem 0.5rem 1.5rem !important; max-width: 100% !important; }
.block-container [data-testid="stVerticalBlock"] { gap: 0.6rem; }
.st-key-presenter_bar { position: fixed; top: 0.6rem; right: 1.2rem; z-index: 999990;
  width: auto !important; background: rgba(255, 255, 255, 0.92); border-radius: 0.5rem; }
.stApp { font-size: 1.15rem; }
[data-testid="stMetricValue"] { font-size: 2.4rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.2rem !important; }
/* the playground's title and lesson: clear of the fixed bar at the top right */
.presenter-headline { font-size: 1.3rem; line-height: 1.3; margin-right: 19.5rem; }
.presenter-headline b { font-size: 1.45rem; }
/* room above the bar for the sliders' values (drawn above their thumbs) */
.st-key-pg_bar { margin-top: 0.8rem; }
/* the compact bar's sliders: label beside the track, so the bar is as tall as a button */
.st-key-present_lr [data-testid="stSlider"], .st-key-present_l2 [data-testid="stSlider"] {
  display: flex; align-items: center; gap: 0.5rem;
}
.st-key-present_lr [data-testid="stWidgetLabel"], .st-key-present_l2 [data-testid="stWidgetLabel"] {
  flex: none; margin: 0; min-height: 0;
}
.st-key-present_lr [role="group"], .st-key-present_l2 [role="group"] {
  flex: 1 1 auto; min-width: 0;
}
/* a phone: the bar with the way back flows at the top instead of covering the title */
@media (max-width: 640px) {
  .st-key-presenter_bar { position: static; }
  .presenter-headline { margin-right: 0; }
}
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
    """The loaded preset's title and what to look for, large, in one paragraph: the title in
    bold with the lesson run on after it (a line shorter than title above lesson, so the view
    starts higher). The playground's own title and lesson when no preset is loaded."""
    title, lesson = lesson or ("Softmax regression playground", DEFAULT_LESSON)
    # st.html, not st.markdown: no markdown styles (their font size, a -1rem margin) to undo
    st.html(
        f"<div class='presenter-headline'><b>{html.escape(title)}.</b> {html.escape(lesson)}</div>"
    )


def _copy_to_widget(name: str, widget_key, on_change) -> None:
    st.session_state[widget_key(name)] = st.session_state[f"present_{name}"]
    on_change()


def learning_controls(settings, lr_choices, l2_choices, widget_key, on_change) -> None:
    """Learning rate and L2 in the compact bar (the current container), each SLIDER_WIDTH px
    wide with its label beside it (the CSS above). Own keys: the sidebar's widgets still exist
    (hidden), so these copy their value into the sidebar's keys and apply it."""
    st.session_state["present_lr"] = settings.lr
    st.session_state["present_l2"] = settings.l2
    for name, label, choices in (
        ("lr", "Learning rate", lr_choices),
        ("l2", "L2 strength", l2_choices),
    ):
        st.select_slider(
            label,
            options=choices,
            key=f"present_{name}",
            on_change=_copy_to_widget,
            args=(name, widget_key, on_change),
            width=SLIDER_WIDTH,
        )
