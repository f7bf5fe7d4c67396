"""Hypothesis drives the CSV loader: any input is either a valid data set or a ValueError
with a message, never another exception (the page shows the message and keeps the data)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from softmax_core.datasets import Dataset, parse_csv

MAX_ROWS = 60

cell = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(
        [
            "",
            " ",
            "nan",
            "NaN",
            "inf",
            "-inf",
            "1e309",
            "abc",
            "😀",
            '"1,5"',
            "1;2",
            "\t",
            "0x10",
            "1_000",
            "--1",
            "1e-400",
            "\x00",
            "é",
        ]
    ),
    st.text(max_size=8),
)
label = st.one_of(
    st.sampled_from(["a", "b", "c", "setosa", "1", "2", "0", ""]), st.text(max_size=6)
)
header = st.lists(
    st.one_of(st.sampled_from(["x", "y", "z", "label", "class", "", "x"]), st.text(max_size=6)),
    min_size=0,
    max_size=6,
)


@st.composite
def csv_like(draw) -> str:
    head = draw(header)
    width = max(len(head), draw(st.integers(0, 6)))
    rows = draw(
        st.lists(st.lists(st.one_of(cell, label), min_size=0, max_size=width + 1), max_size=12)
    )
    sep = draw(st.sampled_from([",", ";", "\t"]))
    lines = [sep.join(head)] + [sep.join(r) for r in rows]
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


@st.composite
def mostly_valid(draw) -> str:
    """Numeric features with a few corrupted cells: exercises the row/column messages."""
    n_features = draw(st.integers(1, 4))
    n_rows = draw(st.integers(0, 15))
    classes = draw(
        st.lists(
            st.sampled_from(["a", "b", "c", "d", "e", "f", "g"]), min_size=1, max_size=n_rows or 1
        )
    )
    lines = [",".join([f"f{j}" for j in range(n_features)] + ["label"])]
    for i in range(n_rows):
        values = [repr(draw(st.floats(-1e6, 1e6))) for _ in range(n_features)]
        if draw(st.integers(0, 9)) == 0:
            values[draw(st.integers(0, n_features - 1))] = draw(cell)
        lines.append(",".join([*values, classes[i % len(classes)]]))
    return "\n".join(lines)


def check(result_or_error) -> None:
    if isinstance(result_or_error, ValueError):
        message = str(result_or_error)
        assert message and len(message) < 2000
        return
    ds = result_or_error
    assert isinstance(ds, Dataset)
    assert ds.X.ndim == 2 and ds.X.shape[0] == ds.y.shape[0] >= 1
    assert ds.X.shape[1] >= 2 and np.all(np.isfinite(ds.X))
    assert 2 <= ds.n_classes <= 6
    assert ds.y.min() >= 0 and ds.y.max() < ds.n_classes
    assert len(ds.feature_names) == ds.X.shape[1]


def parse(raw):
    try:
        return parse_csv(raw, max_rows=MAX_ROWS)
    except ValueError as err:
        return err


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_a_data_set_or_a_message(raw):
    check(parse(raw))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_like())
def test_csv_shaped_text_gives_a_data_set_or_a_message(text):
    check(parse(text))
    check(parse(text.encode("utf-8")))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mostly_valid())
def test_nearly_valid_files_give_a_data_set_or_a_message(text):
    result = parse(text)
    check(result)
