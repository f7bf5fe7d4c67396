"""Challenge progress in the session, and the panel that shows the current challenge.

Progress lives in plain (non-widget) session-state keys, so it survives visits to other
pages. Detection runs where the state lives: the playground checks its live run every
fragment run (``check_playground``); ``ui.navigation.page_frame`` checks the theory pages'
inputs at the top of every page run (``check_theory``), when the session state already holds
the values the user just set. A newly solved challenge shows a toast and becomes "solved".
"""

from __future__ import annotations

import streamlit as st

from playground.challenge_snapshot import playground_snapshot, theory_snapshot
from playground.challenges import BY_KEY, CHALLENGES, Snapshot, newly_solved, next_open

SOLVED = "ch_solved"  # list of keys, in the order solved
CURRENT = "ch_current"
CACHE = "ch_cache"


def solved_keys() -> list[str]:
    return st.session_state.setdefault(SOLVED, [])


def current_key() -> str | None:
    key = st.session_state.get(CURRENT)
    if key not in BY_KEY:
        key = next_open(set(solved_keys()))
        st.session_state[CURRENT] = key
    return key


def _record(snapshot: Snapshot) -> list[str]:
    done = solved_keys()
    new = newly_solved(snapshot, set(done))
    for key in new:
        done.append(key)
        st.toast(f"Challenge solved: {BY_KEY[key].title}", icon="🎉")
    return new


def check_playground(session) -> list[str]:
    """Detect the playground challenges on ``session``'s live state; returns the new ones."""
    try:
        snapshot = playground_snapshot(session, st.session_state.setdefault(CACHE, {}))
    except Exception:  # a detector must never break the lesson
        return []
    return _record(snapshot)


def check_theory() -> list[str]:
    return _record(theory_snapshot(st.session_state))


def go_to(key: str | None) -> None:
    st.session_state[CURRENT] = key


def go_next() -> None:
    st.session_state[CURRENT] = next_open(set(solved_keys()), after=current_key())


def reset_progress() -> None:
    st.session_state[SOLVED] = []
    st.session_state[CURRENT] = CHALLENGES[0].key


def panel_label() -> str:
    key = current_key()
    done = len(solved_keys())
    if key is None:
        return f"Challenges: all {done} solved"
    return f"Challenge: {BY_KEY[key].title} ({done} of {len(CHALLENGES)} solved)"


def challenge_panel(where: str) -> None:
    """The current challenge: goal, why, hint, state, and the way on. ``where`` is the page
    drawing it (its path), so the panel can link to the page the challenge is played on."""
    key = current_key()
    done = solved_keys()
    st.markdown(f"**Challenges: {len(done)} of {len(CHALLENGES)} solved**")
    if key is None:
        st.success("Every challenge is solved. Well done!")
        st.button("Start again", key=f"ch_restart_{where}", on_click=reset_progress)
        return
    c = BY_KEY[key]
    n = [x.key for x in CHALLENGES].index(key) + 1
    st.markdown(f"**{n}. {c.title}**  \n{c.goal}")
    st.caption(f"Why it matters: {c.why}")
    with st.expander("Hint"):
        st.write(c.hint)
    if key in done:
        st.success(f"Solved: {c.title}.")
    elif c.page != where:
        st.page_link(c.page, label="Open the page where this challenge is played", icon="➡️")
    else:
        st.caption("Not solved yet: it is checked automatically as you play.")
    label = "Next challenge" if key in done else "Skip to the next one"
    st.button(
        label,
        key=f"ch_next_{where}",
        on_click=go_next,
        type="primary" if key in done else "secondary",
    )
