"""AppTest: presenter mode, the Share dialog, challenge progress across pages, shortcuts."""

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
import segno
from streamlit.testing.v1 import AppTest

from playground.controller import SESSION
from playground.share import qr_svg
from tests.qr_support import decode_svg_data_uri, svg_modules
from ui.challenges import SOLVED
from ui.presenter import FLAG

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def app(query=None):
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def images(at):
    out, stack = [], [at._tree]
    while stack:
        node = stack.pop()
        if getattr(node, "type", None) in ("image", "imgs"):
            out.append(node)
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())
    return out


def html_blocks(at):
    return [h.proto.body for h in at.get("html")]


def test_present_1_hides_the_sidebar_and_shows_the_compact_bar():
    at = app({"present": "1"})
    assert not at.exception
    assert any("stSidebar" in body and "display: none" in body for body in html_blocks(at))
    assert at.session_state[FLAG] is True
    labels = [b.label for b in at.button]
    assert "Leave presenter mode" in labels
    assert at.select_slider(key="present_lr").value == 0.5
    at.select_slider(key="present_lr").set_value(0.1).run()
    assert at.session_state[SESSION].settings.lr == 0.1
    assert at.query_params["lr"] == "0.1"
    assert at.query_params["present"] == "1"  # a settings change keeps the key in the URL
    assert not any("Ignored unknown" in w.value for w in at.warning)
    at.button(key="presenter_exit").click().run()
    assert at.session_state[FLAG] is False
    assert "present" not in at.query_params
    assert not any("stSidebar" in body for body in html_blocks(at))


def test_theory_pages_honour_presenter_mode():
    at = app({"present": "1"})
    at.switch_page("pages/softmax.py").run()
    assert not at.exception
    assert any("stSidebar" in body for body in html_blocks(at))
    assert at.query_params["present"] == "1"
    at.button(key="presenter_exit").click().run()
    assert not any("stSidebar" in body for body in html_blocks(at))


def test_share_link_reopens_the_same_state_and_the_qr_code_encodes_it():
    at = app({"k": "4", "lr": "0.1", "spread": "0.5", "seed": "9", "present": "1"})
    at.button(key="share_open").click().run()
    assert not at.exception
    link = at.code[0].value
    assert link.startswith("http://") and "present" not in link
    (qr,) = [img for node in images(at) for img in node.proto.imgs]
    assert "QR code" in qr.caption
    assert decode_svg_data_uri(qr.url) == link  # decoded by zxing, not by segno
    expected = np.array(segno.make(link, error="m").matrix, dtype=np.uint8)
    assert np.array_equal(svg_modules(qr_svg(link))[4:-4, 4:-4], expected)
    settings = at.session_state[SESSION].settings
    reopened = app(dict(parse_qsl(urlsplit(link).query)))
    assert not reopened.warning  # no notice: every key understood
    assert reopened.session_state[SESSION].settings == settings
    assert settings.n_classes == 4 and settings.lr == 0.1 and settings.seed == 9


def test_share_says_what_a_link_cannot_carry():
    at = app()
    session = at.session_state[SESSION]
    from softmax_core.datasets import parse_csv

    data = parse_csv(b"a,b,label\n0,0,x\n1,1,y\n0,1,x\n1,0,y\n2,2,y\n0,0.5,x\n", name="t.csv")
    session.set_upload(data)
    session.apply(session.settings.with_(source="upload"))
    at.button(key="share_open").click().run()
    assert any("uploaded file" in w.value for w in at.warning)


@pytest.mark.parametrize(
    ("key", "shortcut"),
    [("pg_play", "space"), ("pg_step", "s"), ("pg_reset", "0"), ("pg_new_data", "n")],
)
def test_buttons_carry_their_shortcuts(key, shortcut):
    at = app()
    assert at.button(key=key).proto.shortcut.lower() == shortcut


def test_challenge_progress_survives_other_pages():
    at = app()
    at.switch_page("pages/logistic.py").run()
    at.session_state["logit_z1"] = 1.0
    at.session_state["logit_z2"] = -2.0
    at.run()
    assert "sigmoid" in at.session_state[SOLVED]
    at.switch_page("pages/challenges.py").run()
    assert not at.exception
    assert any("check_circle" in m.value and "two-class softmax" in m.value for m in at.markdown)
    at.switch_page("app.py").run()
    assert "sigmoid" in at.session_state[SOLVED]
    assert not at.exception


def test_notebook_download_is_offered():
    at = app()
    labels = [d.proto.label for d in at.get("download_button")]
    assert any("Jupyter notebook" in label for label in labels)


def test_playground_run_solves_a_challenge_and_the_panel_moves_on():
    at = app({"l2": "1", "lr": "5"})
    assert "diverge" not in at.session_state[SOLVED]
    for _ in range(5):
        at.button(key="pg_step").click().run()
    assert not at.exception
    assert at.session_state[SOLVED] == ["diverge"]
    assert any("Solved: Break gradient descent" in s.value for s in at.success)
    at.button(key="ch_next_app.py").click().run()
    assert at.session_state["ch_current"] == "tame"
