"""Widget values that survive a visit to another page.

Streamlit deletes the state of every widget that a run does not draw: after a visit to
another page, a page's sliders come back at their defaults (or minimums) and whatever the
student set is gone. The cure, used by every page: keep each value under a key that is not
a widget's (here, one dict in session state) and re-seed the widget keys from it before the
widgets are drawn.

- Theory pages call :func:`keep_widget_values` once, before their widgets, with their
  defaults: it replaces the ``st.session_state.setdefault`` loop.
- The playground keeps its settings in its own ``Settings`` object (the URL is written from
  it) and calls :func:`seed_widgets` on every full run with the values it holds.

Only value widgets (sliders, inputs, selects, toggles) can be seeded this way; buttons and
file uploaders cannot be set through session state and must not be listed.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

STORE = "ui_kept_widget_values"


def seed_widgets(values: Mapping[str, object]) -> None:
    """Set each widget key in ``values`` to its value, before the widgets are drawn."""
    for key, value in values.items():
        st.session_state[key] = value


def keep_widget_values(defaults: Mapping[str, object]) -> None:
    """Call once per run, before the page draws its widgets.

    A key whose widget is alive is remembered (its value is the one the student set, or
    one a callback set); a key whose widget state Streamlit dropped while another page ran
    is restored from what was remembered, or from ``defaults`` the first time.
    """
    store: dict = st.session_state.setdefault(STORE, {})
    for key, default in defaults.items():
        if key in st.session_state:
            store[key] = st.session_state[key]
            # Drop every copy Streamlit holds before seeding again: a value once seeded
            # through the session-state API, while the widget was not drawn, is kept apart
            # from the widget's own state and outlives it, and would come back stale.
            del st.session_state[key]
        st.session_state[key] = store.get(key, default)
