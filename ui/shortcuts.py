"""The playground's keyboard shortcuts, defined once (the buttons and the "?" list use them).

They are Streamlit's own (``st.button(..., shortcut=...)``, Streamlit 1.67): they work
anywhere on the page except while the user types in an input. Key events inside the view (an
iframe) do not reach the page, so the view forwards these keys itself (``view_shortcuts``,
``playground/component/frontend/keys.js``), and the right arrow there steps too (outside a
centre handle, where the arrows move the centre).

Streamlit reserves R and C (rerun and clear cache) even with modifiers, so Reset weights is
on 0 ("back to step 0"), not on R.
"""

from __future__ import annotations

import streamlit as st

PLAY = "Space"
STEP = "S"
RESET = "0"
NEW_DATA = "N"
PRESENT = "P"

SHORTCUTS: tuple[tuple[str, str], ...] = (
    (PLAY, "Play / pause"),
    (STEP, "One step (pauses)"),
    (RESET, "Reset the weights (back to step 0)"),
    (NEW_DATA, "New data (next seed)"),
    (PRESENT, "Presenter mode on / off"),
)


def view_shortcuts() -> dict:
    """What the view forwards to the page: every shortcut's key, and the key the right arrow
    stands for inside the view."""
    return {"keys": [key for key, _ in SHORTCUTS], "right_arrow": STEP}


def shortcuts_help() -> None:
    """A "?" button that lists every shortcut."""
    with st.popover("?", help="Keyboard shortcuts"):
        st.markdown("**Keyboard shortcuts**")
        st.markdown("\n".join(f"- **{key}**: {what}" for key, what in SHORTCUTS))
        st.caption(
            "They work anywhere on the page, the picture included (there the right arrow "
            "steps too, unless a centre has the focus: then the arrows move it), except while "
            "you type in a field. R is Streamlit's own rerun key."
        )
