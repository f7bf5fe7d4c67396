"""One click, one effect: drop Streamlit's second delivery of a button click.

Measured here (Streamlit 1.67, issue 14 item 3): while the view's fragment ticks every
0.1 s, a click on a button outside the fragment (Play/Pause, Step, Reset, New data) was in
1 of about 23 clicks delivered twice: first inside the fragment's timed run (its widget
states carried the button's trigger), then, some 20 to 200 ms later, in the click's own full
run. Both deliveries call the button's on_click. When a full run in between had redrawn the
button (the fragment reruns the page when playing stops), the second call ran the *new*
button's callback: Pause, then Play again, and the click seemed to do nothing. New data
advanced the seed by two, Step stepped twice.

A delivery inside a fragment run of a button that is not in that fragment is recorded; the
same button's next delivery in a full run within ``ECHO_SECONDS`` is that click's echo and is
dropped. A genuine click always arrives in a full run, so only an echo is ever dropped (or,
if an echo never came, a second click on the same button within ``ECHO_SECONDS`` of the
first: the user clicks again).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

ECHOES = "pg_click_echoes"  # button name -> time.monotonic() of a delivery in a fragment run
ECHO_SECONDS = 2.0


def _in_fragment_run() -> bool:
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def once(name: str, callback: Callable[..., Any]) -> Callable[..., None]:
    """``callback`` wrapped so that one click of the button ``name`` calls it once."""

    def on_click(*args: Any, **kwargs: Any) -> None:
        echoes = st.session_state.setdefault(ECHOES, {})
        now = time.monotonic()
        if _in_fragment_run():
            echoes[name] = now
        elif now - echoes.pop(name, -ECHO_SECONDS) < ECHO_SECONDS:
            return  # the echo of a click already applied in the fragment's run
        callback(*args, **kwargs)

    return on_click
