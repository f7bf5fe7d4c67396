"""The collector's thresholds of a served playground (playground/server_gc.py)."""

from __future__ import annotations

import gc
from pathlib import Path

from streamlit.testing.v1 import AppTest

from playground import server_gc

APP = Path(__file__).resolve().parent.parent / "app.py"


def test_tune_sets_the_thresholds_once():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert server_gc.tune() is True
        assert gc.get_threshold() == server_gc.THRESHOLDS
        assert server_gc.tune() is False  # idempotent: every run of the page calls it
    finally:
        gc.set_threshold(*before)


def test_the_playground_page_tunes_its_process():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        AppTest.from_file(str(APP), default_timeout=60).run()
        assert gc.get_threshold() == server_gc.THRESHOLDS
    finally:
        gc.set_threshold(*before)
