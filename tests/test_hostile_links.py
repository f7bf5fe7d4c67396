"""Hostile links and extreme widget values against the whole app, under Streamlit's AppTest.

Each link is what a stranger could paste: missing, malformed, out of range, non-finite,
huge, negative, wrong centre counts, unknown keys, 10 kB values, empty and repeated keys.
The page must render its view without an exception, every widget must hold a valid value,
and the URL the app writes back must be clean (parse without notices).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playground.settings import CENTRE_LIMIT, FIELDS, from_query

APP = Path(__file__).resolve().parent.parent / "app.py"
BIG = 10 * 1024
WIDGET_KINDS = ("slider", "select_slider", "number_input", "selectbox", "toggle")
# Settings every playground shows a widget for (others, e.g. real-data options, may be hidden)
ALWAYS_SHOWN = (
    "n_classes",
    "n_per_class",
    "spread",
    "test_fraction",
    "seed",
    "lr",
    "l2",
    "optimizer",
    "speed",
    "grid",
    "show_arrows",
    "show_weights",
    "show_optimum",
    "log_scale",
)

HOSTILE: dict[str, dict] = {
    # missing / empty
    "no parameters": {},
    "every key empty": {spec.key: "" for spec in FIELDS.values()} | {"c": ""},
    "whitespace only": {"k": "   ", "lr": "\t", "c": " ; "},
    # malformed
    "k not a number": {"k": "abc"},
    "k fractional": {"k": "2.5"},
    "k hex": {"k": "0x3"},
    "lr word": {"lr": "fast"},
    "unknown optimiser": {"opt": "rmsprop"},
    "bool not 0/1": {"arrows": "maybe", "log": "2", "optimum": "-1"},
    "grid off the list": {"grid": "125"},
    "centres garbage": {"c": "garbage"},
    "centres half pairs": {"c": "1,2;3;4,5"},
    "centres triples": {"c": "1,2,3;4,5,6;7,8,9"},
    "unicode digits": {"k": "３", "seed": "٣", "opt": "ｇｄ", "lr": "🎯"},
    "script injection": {"opt": "<script>alert(1)</script>", "c": "<img src=x onerror=alert(1)>"},
    # out of range and negative
    "k too large": {"k": "9"},
    "k too small": {"k": "1"},
    "k negative": {"k": "-3"},
    "points out of range": {"n": "0"},
    "points huge": {"n": "100000"},
    "spread zero and test too big": {"spread": "0", "test": "0.9"},
    "spread and test negative": {"spread": "-1", "test": "-0.1"},
    "seed out of range": {"seed": str(2**31)},
    "seed negative": {"seed": "-1"},
    "speed zero": {"speed": "0"},
    "speed huge": {"speed": "1000"},
    "batch negative and huge": {"batch": "-5", "opt": "sgd"},
    "lr and l2 out of range": {"lr": "1e9", "l2": "100"},
    "lr zero and negative l2": {"lr": "0", "l2": "-1"},
    "lr negative": {"lr": "-1"},
    # NaN and inf
    "nan everywhere": {k: "nan" for k in ("k", "n", "spread", "test", "seed", "lr", "l2", "speed")},
    "inf and -inf": {"spread": "inf", "l2": "inf", "n": "-inf", "lr": "Infinity"},
    "nan centre": {"c": "nan,0;0,0;0,0"},
    "inf centre": {"c": "inf,0;0,-inf;0,0"},
    # 1e308 and beyond
    "1e308 numbers": {"n": "1e308", "seed": "1e308", "lr": "1e308", "spread": "-1e308"},
    "1e309 numbers": {"k": "1e309", "speed": "-1e309"},
    "1e308 centre": {"c": "1e308,0;0,0;0,0"},
    "centre outside the view": {"c": f"{CENTRE_LIMIT + 0.01},0;0,0;0,0"},
    # wrong centre counts
    "two centres for three classes": {"c": "1,1;2,2"},
    "six centres for three classes": {"c": ";".join(["1,1"] * 6)},
    "three centres for six classes": {"k": "6", "c": "1,1;2,2;3,3"},
    "centres for bad k": {"k": "9", "c": "1,1;2,2;3,3;4,4;0,0;-1,-1;-2,-2;-3,-3;-4,-4"},
    "only separators": {"c": ";;;;"},
    # unknown keys
    "unknown keys": {"zzz": "1", "__proto__": "x", "<b>": "1", "k2": "4", "": "x"},
    "many unknown keys": {f"x{i}": str(i) for i in range(200)},
    # 10 kB values
    "10 kB seed": {"seed": "9" * BIG},
    "10 kB centres": {"c": "1,1;" * (BIG // 4)},
    "10 kB optimiser": {"opt": "a" * BIG},
    "10 kB unknown key and value": {"y" * BIG: "z" * BIG},
    # repeated keys (Streamlit keeps the last)
    "repeated k, last valid": {"k": ["9", "4"], "c": ["bad", "0,0;1,1;2,2;3,3"]},
    "repeated k, last bad": {"k": ["4", "9"]},
    "repeated lr": {"lr": ["abc", "2", "nan"]},
    # the data sets and feature maps of issue 17
    "phi unknown and repeated": {"data": "circle", "phi": "r2,R2,x3,,sin,r2"},
    "phi 10 kB": {"data": "xor", "phi": "x1x2," * (BIG // 5)},
    "phi list and script": {"phi": ["r2", "<script>alert(1)</script>"]},
    "noise negative": {"data": "spiral", "noise": "-1", "k": "5"},
    "noise nan and huge": {"data": "circle", "noise": ["nan", "1e308"]},
    "circle with five classes": {"data": "circle", "k": "5", "c": "1,1;2,2"},
    "data unknown": {"data": "moons", "phi": "x1sq"},
    # everything at once
    "all hostile": {
        "k": "nan",
        "n": "-1",
        "spread": "1e308",
        "test": "inf",
        "seed": "x" * 300,
        "lr": ["0", "-0"],
        "l2": "--1",
        "batch": "1.5",
        "opt": "",
        "speed": "1e3",
        "grid": "0",
        "c": "1,1",
        "zzz": "1",
    },
}


def run_link(params: dict) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def widget_values(at: AppTest) -> dict[str, object]:
    values = {}
    for kind in WIDGET_KINDS:
        for w in getattr(at, kind):
            if w.key and w.key.startswith("pg_"):
                values[w.key[3:]] = w.value
    return values


def assert_page_is_sound(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    (view,) = at.get("component_instance")
    args = json.loads(view.proto.json_args)
    values = widget_values(at)
    # circle and xor have two classes, and no generated data but the Gaussian has a spread
    hidden = {
        "circle": {"n_classes", "spread"},
        "xor": {"n_classes", "spread"},
        "spiral": {"spread"},
    }.get(values["source"], set())
    for name in ALWAYS_SHOWN:
        assert (name in values) != (name in hidden), f"widget for {name}"
    # the batch size is hidden while it does nothing (gradient descent uses every point)
    assert ("batch_size" in values) == (values["optimizer"] != "gd")
    for name, spec in FIELDS.items():
        if name not in values:
            continue
        v = values[name]
        if spec.choices is not None:
            assert v in spec.choices, (name, v)
        elif isinstance(v, bool):
            pass
        else:
            assert math.isfinite(v) and spec.low <= v <= spec.high, (name, v)
    curved = args["phi"] is not None or values["source"] in ("circle", "xor", "spiral")
    if values["source"] in ("circle", "xor", "spiral"):
        assert args["centres"] == []  # nothing to drag, and the page says why
        assert any("No centres to drag" in c.value for c in at.caption)
    else:
        assert len(args["centres"]) == values["n_classes"]
    if args["phi"] is not None:
        assert curved and len(args["frames"][0]["W"]) == 2 + len(args["phi"]["tokens"])
    assert all(abs(x) <= CENTRE_LIMIT and abs(y) <= CENTRE_LIMIT for x, y in args["centres"])
    assert args["frames"]
    # the app rewrote the link into a clean one that reproduces what is shown
    settings, notices = from_query(dict(at.query_params))
    assert notices == []
    assert settings.n_classes == values.get("n_classes", 2) and settings.lr == values["lr"]


@pytest.mark.parametrize("params", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_link_renders_the_view_with_valid_widgets(params):
    at = run_link(params)
    assert_page_is_sound(at)
    assert json.loads(at.get("component_instance")[0].proto.json_args)["frames"][0]["step"] == 0
    if params and set(params) != {"k", "c"}:
        assert at.warning, "a bad link should explain itself"


def test_link_with_a_separator_character_renders():
    assert_page_is_sound(run_link({"lr": "1\x1f"}))


def test_widgets_at_their_extremes_then_play():
    at = run_link({})
    assert_page_is_sound(at)
    changes = [
        ("slider", "pg_n_classes", 6),
        ("slider", "pg_n_per_class", 500),
        ("slider", "pg_spread", 3.0),
        ("slider", "pg_test_fraction", 0.5),
        ("slider", "pg_speed", 50),
        ("selectbox", "pg_optimizer", "sgd"),
        ("number_input", "pg_batch_size", 1),
        ("select_slider", "pg_l2", 3.0),
        ("toggle", "pg_show_optimum", True),
        ("toggle", "pg_show_weights", True),
    ]
    for kind, key, value in changes:
        getattr(at, kind)(key=key).set_value(value).run()
        assert not at.exception, (key, [e.value for e in at.exception])
    at.button(key="pg_play").click().run()
    for _ in range(3):
        at.run()
        assert not at.exception
    assert_page_is_sound(at)
    steps = json.loads(at.get("component_instance")[0].proto.json_args)["frames"][-1]["step"]
    assert steps > 0
    # the smallest spread and the largest learning rate: diverges, stops, says so
    at.slider(key="pg_spread").set_value(0.05).run()
    at.select_slider(key="pg_lr").set_value(100.0).run()
    if at.button(key="pg_play").label == "Play":
        at.button(key="pg_play").click().run()
    for _ in range(5):
        at.run()
        assert not at.exception
    assert_page_is_sound(at)
    assert at.error and "diverged" in at.error[0].value
    assert at.button(key="pg_play").label == "Play"
