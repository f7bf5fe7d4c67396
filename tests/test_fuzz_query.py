"""Fuzzing the link parser: any query string gives valid Settings and notices, never an error.

``from_query`` is the only door from the outside world into a playground session, so it is
driven here with arbitrary mappings (real and random keys, text, lists, huge or non-finite
numbers, unicode, long strings, centre lists of every length). Whatever comes in, the
result must satisfy every bound of ``FIELDS``, round-trip through ``to_query``, and give a
``PlaygroundSession`` that can train (finite numbers, or a divergence it reports).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.session import PlaygroundSession
from playground.settings import (
    CENTRE_LIMIT,
    CENTRES_KEY,
    DEFAULTS,
    FIELDS,
    PHI_KEY,
    Settings,
    from_query,
    to_query,
)
from softmax_core.feature_maps import FEATURES

REAL_KEYS = [spec.key for spec in FIELDS.values()] + [CENTRES_KEY, PHI_KEY]
phi_text = st.lists(
    st.sampled_from([*FEATURES, "R2", " x1x2 ", "x3", "", "r2,r2", "sin"]), max_size=8
).map(",".join)

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -0.0, 1e308, -1e308, 1e-308, 5e-324, 2**31, 2**31 - 1, 2**63, -1]),
)
number_text = numbers.map(str) | numbers.map(lambda v: f"{v:g}" if isinstance(v, float) else str(v))
special_text = st.sampled_from(
    [
        "",
        " ",
        "nan",
        "NaN",
        "-nan",
        "inf",
        "-inf",
        "Infinity",
        "1e308",
        "1e309",
        "-1e308",
        "0x10",
        "1_000",
        "٣",  # Arabic-Indic digit three: float() accepts it
        "３",  # fullwidth digit three
        "1\x00",
        "\u2003 2 \u2003",
        "\x1c3\x1f",
        "true",
        "True",
        "on",
        "gd",
        "adam",
        "ADAM",
        "<script>alert(1)</script>",
        "'; DROP TABLE x; --",
        "%00",
        "../../etc/passwd",
        "🎯",
        "1" * 200,
        "1" * 201,
        "9" * 10_000,
    ]
)
text = st.one_of(st.text(max_size=30), number_text, special_text, st.text(min_size=300))


def centre_text(draw_pairs):
    return st.lists(draw_pairs, max_size=8).map(lambda pairs: ";".join(pairs))


pair = st.one_of(
    st.tuples(number_text, number_text).map(",".join),
    st.tuples(st.floats(-CENTRE_LIMIT, CENTRE_LIMIT), st.floats(-CENTRE_LIMIT, CENTRE_LIMIT)).map(
        lambda xy: f"{xy[0]},{xy[1]}"
    ),
    text,
)
centres_value = st.one_of(centre_text(pair), text)

value = st.one_of(text, st.lists(text, max_size=4))
query = st.dictionaries(
    st.one_of(st.sampled_from(REAL_KEYS), st.text(max_size=50)),
    value,
    max_size=20,
)
# Mostly real keys with plausible (often in-range) values, plus centres of any count.
plausible = st.fixed_dictionaries(
    {},
    optional={
        "k": st.integers(0, 8).map(str) | text,
        "n": st.integers(0, 600).map(str) | text,
        "spread": st.floats(0, 4).map(str) | text,
        "test": st.floats(-0.1, 0.6).map(str) | text,
        "seed": st.integers(-5, 2**32).map(str) | text,
        "lr": st.floats(0, 2000).map(str) | text,
        "l2": st.floats(0, 40).map(str) | text,
        "batch": st.integers(-1, 600).map(str) | text,
        "opt": st.sampled_from(["gd", "sgd", "momentum", "adam"]) | text,
        "speed": st.integers(0, 60).map(str) | text,
        "grid": st.sampled_from(["100", "150", "200", "125"]) | text,
        "arrows": st.sampled_from(["0", "1"]) | text,
        "log": st.sampled_from(["0", "1"]) | text,
        "data": st.sampled_from(["gauss", "blobs", "circle", "xor", "spiral", "iris"]) | text,
        "noise": st.floats(-0.5, 2).map(str) | text,
        "phi": phi_text | text | st.lists(phi_text, max_size=3),
        "c": centres_value | st.lists(centres_value, max_size=3),
    },
)
any_query = st.one_of(query, plausible)


def assert_valid(s: Settings) -> None:
    for name, spec in FIELDS.items():
        v = getattr(s, name)
        default = getattr(DEFAULTS, name)
        assert type(v) is type(default), (name, v)
        if isinstance(v, bool):
            continue
        if spec.choices is not None:
            assert v in spec.choices, (name, v)
        else:
            assert math.isfinite(v) and spec.low <= v <= spec.high, (name, v)
    assert len(s.phi) == len(set(s.phi)) and s.phi == tuple(t for t in FEATURES if t in s.phi)
    assert len(s.centres) == s.n_classes
    for c in s.centres:
        assert len(c) == 2
        for v in c:
            assert type(v) is float and math.isfinite(v) and abs(v) <= CENTRE_LIMIT, c


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_query)
def test_any_query_gives_valid_settings_and_str_notices(params):
    s, notices = from_query(params)
    assert isinstance(s, Settings)
    assert_valid(s)
    assert isinstance(notices, list) and all(isinstance(n, str) for n in notices)
    assert all(len(n) < 400 for n in notices), "a notice repeats a long value in full"


@pytest.mark.parametrize(
    "params", [{"lr": "1\x1f"}, {"l2": "0.5\x1c"}, {"lr": ["0.1", " 2\x1e"]}, {"l2": "\x1d1"}]
)
def test_separator_characters_in_a_choice_value_do_not_crash(params):
    s, _notices = from_query(params)
    assert_valid(s)


FLOAT_FIELDS = [name for name in FIELDS if type(getattr(DEFAULTS, name)) is float]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_query)
def test_parsed_settings_round_trip_through_the_url(params):
    s, _ = from_query(params)
    back, notices = from_query(to_query(s))
    assert notices == []
    # to_query writes 12 significant digits: exact for every value a link can hold
    for name in FLOAT_FIELDS:
        assert math.isclose(getattr(back, name), getattr(s, name), rel_tol=1e-11), name
    assert from_query(to_query(back)) == (back, [])


@pytest.mark.parametrize("params", [{"spread": "1.796875"}, {"test": "0.1234567"}])
def test_a_link_reproduces_the_parsed_settings_exactly(params):
    s, notices = from_query(params)
    assert notices == []
    back, _ = from_query(to_query(s))
    assert back == s


# Settings built directly (not via a link), as the widgets produce them.
valid_settings = st.builds(
    lambda k, n, spread, test, seed, lr, l2, batch, opt, speed, centres: DEFAULTS.with_(
        n_classes=k,
        n_per_class=n,
        spread=spread,
        test_fraction=test,
        seed=seed,
        lr=lr,
        l2=l2,
        batch_size=batch,
        optimizer=opt,
        speed=speed,
        centres=tuple(centres[:k]),
    ),
    st.integers(2, 6),
    st.integers(5, 60),
    st.sampled_from([0.05, 0.1, 0.8, 3.0]),
    st.sampled_from([0.0, 0.2, 0.5]),
    st.integers(0, 2**31 - 1),
    st.sampled_from(FIELDS["lr"].choices),
    st.sampled_from(FIELDS["l2"].choices),
    st.integers(0, 500),
    st.sampled_from(FIELDS["optimizer"].choices),
    st.integers(1, 50),
    st.lists(
        st.tuples(
            st.floats(-CENTRE_LIMIT, CENTRE_LIMIT).map(lambda v: round(v, 3) + 0.0),
            st.floats(-CENTRE_LIMIT, CENTRE_LIMIT).map(lambda v: round(v, 3) + 0.0),
        ),
        min_size=6,
        max_size=6,
    ),
)


def assert_frame_ok(frame: dict, session: PlaygroundSession) -> None:
    """Every number in a frame is finite, or None (JSON for NaN/inf) only after divergence."""
    for key in ("W", "b", "dW", "db"):
        arr = np.asarray(frame[key], dtype=float)
        assert np.all(np.isfinite(arr)), (key, frame[key])
    for key in ("train_ce", "l2_term", "train_acc", "w_norm"):
        assert frame[key] is not None or session.divergence is not None, (key, frame)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_query)
def test_a_session_trains_from_any_parsed_link(params):
    s, _ = from_query(params)
    s = s.with_(n_per_class=min(s.n_per_class, 40), speed=min(s.speed, 10))
    session = PlaygroundSession(s)
    for frame in session.advance(3):
        assert_frame_ok(frame, session)
    assert np.all(np.isfinite(session.trainer.W)) and np.all(np.isfinite(session.trainer.b))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_settings)
def test_a_session_trains_from_any_valid_settings(s):
    assert_valid(s)
    session = PlaygroundSession(s)
    frames = session.advance(4)
    for frame in frames:
        assert_frame_ok(frame, session)
    steps = [f["step"] for f in frames]
    assert steps == sorted(steps)
    if session.divergence is None:
        assert session.trainer.step_count == 4 * s.speed
    else:
        d = session.divergence
        assert 0 <= d.step < session.trainer.step_count + 1 and d.reason
        assert np.all(np.isfinite(session.trainer.W))
    back, notices = from_query(to_query(s))
    assert back == s and notices == []
