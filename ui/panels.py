"""Sidebar controls of the playground's optional panels (issue 18): the simplex's classes and
the optimiser race's lanes.

With more than three classes the simplex shows three of them, chosen here; the choice is the
setting ``simplex_classes`` (URL key ``sx``, class numbers as shown, e.g. ``sx=1,2,4``).
"""

from __future__ import annotations

import streamlit as st

from playground import controller as ctl
from playground.settings import parse_race, simplex_classes

SIMPLEX_WIDGET = "pg_simplex_classes"


def class_label(session, k: int) -> str:
    names = session.dataset.class_names if session.dataset is not None else None
    return f"{k + 1}: {names[k]}" if names else f"Class {k + 1}"


def on_simplex_classes() -> None:
    """Three classes picked: the simplex shows them (fewer: keep the last three until then)."""
    picked = st.session_state.get(SIMPLEX_WIDGET) or []
    if len(picked) == 3:
        s = ctl.session()
        ctl.apply_settings(s.settings.with_(simplex_classes=tuple(int(c) for c in picked)))


def simplex_class_picker(session) -> None:
    """A multiselect of three classes (K > 3); seeded from the settings when they change."""
    shown = list(simplex_classes(session.settings, session.n_classes))
    seeded = st.session_state.get(SIMPLEX_WIDGET + "_seed")
    if seeded != shown or SIMPLEX_WIDGET not in st.session_state:
        st.session_state[SIMPLEX_WIDGET] = shown
        st.session_state[SIMPLEX_WIDGET + "_seed"] = shown
    st.multiselect(
        "Simplex classes (pick three)",
        list(range(session.n_classes)),
        format_func=lambda k: class_label(session, k),
        max_selections=3,
        key=SIMPLEX_WIDGET,
        on_change=on_simplex_classes,
        help="With more than three classes the simplex shows three, with π renormalised over them.",
    )
    if len(st.session_state.get(SIMPLEX_WIDGET) or []) != 3:
        st.caption("Pick three classes; the simplex keeps the last three until then.")


RACE_WIDGET = "pg_race"
RACE_ERROR = "pg_race_error"


def on_race() -> None:
    """A race typed in the sidebar: applied if it parses, else kept with an error shown."""
    text = st.session_state.get(RACE_WIDGET) or ""
    parsed, problem = parse_race(text)
    st.session_state[RACE_ERROR] = (
        f"Race {text!r} {problem}. Examples: gd,momentum,adam or lr:0.1,1,5." if problem else None
    )
    if not problem:
        s = ctl.session()
        ctl.apply_settings(s.settings.with_(race=parsed))


def race_input(session) -> None:
    """The optimiser race's lanes (URL key ``race``); empty for none."""
    if st.session_state.get(RACE_WIDGET + "_seed") != session.settings.race:
        st.session_state[RACE_WIDGET] = session.settings.race
        st.session_state[RACE_WIDGET + "_seed"] = session.settings.race
    elif RACE_WIDGET not in st.session_state:
        st.session_state[RACE_WIDGET] = session.settings.race
    st.text_input(
        "Optimiser race",
        key=RACE_WIDGET,
        on_change=on_race,
        placeholder="gd,momentum,adam  or  lr:0.1,1,5",
        help="Two to four runs from the same weights, stepping in lockstep: optimisers at this "
        "learning rate, or learning rates (lr:...) of this optimiser. Empty: no race.",
    )
    if st.session_state.get(RACE_ERROR):
        st.error(st.session_state[RACE_ERROR])
