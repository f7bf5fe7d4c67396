"""Challenges: eight small goals built on the notes, checked automatically as you play."""

import streamlit as st

from playground.challenges import CHALLENGES
from ui.challenges import challenge_panel, current_key, go_to, reset_progress, solved_keys
from ui.navigation import page_frame

page_frame("Challenges")

st.title("Challenges")
st.markdown(
    "Each challenge asks you to make the model do something that one of the notes claims, "
    "and is checked automatically from what is on screen: the playground's live run, or the "
    "inputs of a theory page. Your progress stays while you move between pages."
)
st.progress(len(solved_keys()) / len(CHALLENGES))

left, right = st.columns([1.2, 1], gap="large")
with right:
    with st.container(border=True):
        challenge_panel("pages/challenges.py")
    st.button("Reset progress", key="ch_reset", on_click=reset_progress)
with left:
    done = set(solved_keys())
    current = current_key()
    for n, c in enumerate(CHALLENGES, start=1):
        mark = (
            ":green[:material/check_circle:]"
            if c.key in done
            else (":blue[:material/play_circle:]" if c.key == current else ":material/circle:")
        )
        with st.container(border=True):
            st.markdown(f"{mark} **{n}. {c.title}**  \n{c.goal}")
            st.caption(c.why)
            a, b = st.columns([1, 1])
            a.button(
                "Work on this one",
                key=f"ch_pick_{c.key}",
                on_click=go_to,
                args=(c.key,),
                disabled=c.key == current,
            )
            with b:
                st.page_link(c.page, label="Open its page", icon="➡️")
