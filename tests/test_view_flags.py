"""What the view is told about its legend, ticks, presenter mode and shortcuts (issues 15, 19):
the settings and the link carry the legend and ticks toggles, and the view forwards exactly
the page's shortcut keys (the right arrow standing for Step)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from playground.payload import build_payload
from playground.session import PlaygroundSession
from playground.settings import DEFAULTS, from_query, to_query
from ui.shortcuts import SHORTCUTS, STEP, view_shortcuts

APP = Path(__file__).resolve().parent.parent / "app.py"


def test_legend_and_ticks_are_on_by_default_and_travel_in_the_link():
    assert DEFAULTS.show_legend and DEFAULTS.show_ticks
    settings, notices = from_query({"legend": "0", "ticks": "0"})
    assert notices == [] and not settings.show_legend and not settings.show_ticks
    query = to_query(settings)
    assert query["legend"] == "0" and query["ticks"] == "0"
    back, _ = from_query(query)
    assert back == settings


def test_the_payload_carries_the_toggles():
    session = PlaygroundSession(DEFAULTS.with_(show_legend=False))
    payload = build_payload(
        session,
        session.advance(1),
        playing=False,
        include_points=False,
        include_history=False,
        ack=None,
    )
    assert payload["show_legend"] is False and payload["show_ticks"] is True


def test_the_view_forwards_every_shortcut_and_the_right_arrow_steps():
    forwarded = view_shortcuts()
    assert forwarded["keys"] == [key for key, _ in SHORTCUTS]
    assert forwarded["right_arrow"] == STEP


def test_the_page_hands_the_view_its_shortcuts_and_presenter_flag():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["present"] = "1"
    at.run()
    view = [e for e in at.get("component_instance")]
    assert view, "the view is not drawn"
    text = view[0].proto.json_args
    assert '"present": true' in text and '"right_arrow": "S"' in text
    assert '"show_legend": true' in text and '"show_ticks": true' in text
