"""The playground's keyboard shortcuts, defined once (the buttons and the "?" list use them).

They are Streamlit's own (``st.button(..., shortcut=...)``, Streamlit 1.67): they work
anywhere on the page except while the user types in an input, and not while the view (an
iframe) has the focus: its key events do not reach the page.

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


def shortcuts_help() -> None:
    """A "?" button that lists every shortcut."""
    with st.popover("?", help="Keyboard shortcuts"):
        st.markdown("**Keyboard shortcuts**")
        st.markdown("\n".join(f"- **{key}**: {what}" for key, what in SHORTCUTS))
        st.caption(
            "They work anywhere on the page except while you type in a field, and not while "
            "the picture has the focus (click beside it first). R is Streamlit's own rerun key."
        )
