"""The playground's keyboard shortcuts, defined once (the buttons and the "?" list use them).

They are Streamlit's own (``st.button(..., shortcut=...)``, Streamlit 1.67): they work
anywhere on the page except while the user types in an input. Key events inside the view (an
iframe) do not reach the page, so the view forwards these keys itself (``view_shortcuts``,
``playground/component/frontend/keys.js``), and the right arrow there steps too (outside a
centre handle, where the arrows move the centre).

Streamlit reserves R and C (rerun and clear cache) even with modifiers, so Reset weights is
on 0 ("back to step 0"), not on R.

The right arrow steps on the page too (issue 19 item 3), but ``shortcut=`` takes one key per
button and S is the Step button's: ``arrow_steps_on_page`` adds a small listener to the page's
document (an ``st.html`` script) that clicks Step on ArrowRight, unless the focus is where the
arrows already mean something: a field, a slider, tabs, a select list, a dialog.
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


STEP_BUTTON = "pg_step"  # the Step button's key (app.py); the right arrow clicks it

# Installed once per page (a flag on window), whatever Streamlit re-renders. Elements where the
# arrows move a caret, a value or a selection keep them.
_ARROW_JS = """
<script>
(() => {
  if (window.__pgArrowStep) return;
  window.__pgArrowStep = true;
  const KEEP = "input, textarea, select, [contenteditable=''], [contenteditable='true'], " +
    "[role='slider'], [role='tab'], [role='tablist'], [role='listbox'], [role='option'], " +
    "[role='combobox'], [role='radio'], [role='radiogroup'], [role='menu'], " +
    "[role='menuitem'], [role='spinbutton'], [role='textbox'], [role='dialog']";
  document.addEventListener("keydown", (ev) => {
    if (ev.key !== "ArrowRight" || ev.defaultPrevented || ev.repeat) return;
    if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.shiftKey) return;
    const t = ev.target;
    if (t && t.closest && t.closest(KEEP)) return;
    const step = document.querySelector(".st-key-STEP_BUTTON button");
    if (!step || step.disabled) return;
    ev.preventDefault();  // no sideways scroll
    step.click();
    window.__pgArrowSteps = (window.__pgArrowSteps || 0) + 1;
  });
})();
</script>
""".replace("STEP_BUTTON", STEP_BUTTON)


def arrow_steps_on_page() -> None:
    """Make the right arrow click the Step button wherever the page has the focus (outside
    the view, which forwards it itself) except in fields, sliders, tabs, lists and dialogs."""
    st.html(_ARROW_JS, unsafe_allow_javascript=True)


def view_shortcuts() -> dict:
    """What the view forwards to the page: every shortcut's key, and the key the right arrow
    stands for inside the view."""
    return {"keys": [key for key, _ in SHORTCUTS], "right_arrow": STEP}


def shortcuts_help() -> None:
    """A "?" button that lists every shortcut."""
    with st.popover("?", help="Keyboard shortcuts"):
        st.markdown("**Keyboard shortcuts**")
        st.markdown(
            "\n".join(f"- **{key}**: {what}" for key, what in SHORTCUTS)
            + "\n- **→** (right arrow): one step too"
        )
        st.caption(
            "They work anywhere on the page, the picture included, except while you type in a "
            "field. The right arrow does not step where arrows already move something: a "
            "slider, tabs, a list, a centre in the picture. R is Streamlit's own rerun key."
        )
