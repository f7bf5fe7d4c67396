"""Tabular data sets: the built-in Iris and Wine, user CSV files, standardisation and PCA.

NumPy and the ``csv`` module only. ``parse_csv`` is the boundary for a user's file: it returns
a ``Dataset`` or raises ``ValueError`` whose message names the problem (and the line and
column where there is one), so the app can show it and keep the data it had.

A CSV file here has a header row of column names, numeric feature columns, and one label
column: the column called label, class, target or species (any case), else the last one.
Labels may be any text or numbers; the classes are their distinct values, sorted (numerically
when they are all numbers), numbered 1..K on screen and 0..K-1 in arrays.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BUILTIN = {"iris": "iris.csv", "wine": "wine.csv"}
LABEL_NAMES = ("label", "class", "target", "species")
MAX_ROWS = 5000
MAX_FEATURES = 50
MAX_CLASSES = 6  # the view's colour palette
MAX_BYTES = 5_000_000
MISSING = {"", "na", "nan", "n/a", "null", "none", "?"}


@dataclass(frozen=True)
class Dataset:
    """X (N, D) float64 features, y (N,) int labels in [0, K), and their names.

    ``warnings`` are problems that do not stop the data being used (duplicated rows).
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    label_name: str = "label"
    warnings: tuple[str, ...] = field(default=())

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def n_features(self) -> int:
        return self.X.shape[1]


def load_builtin(name: str) -> Dataset:
    """The bundled data set ``name`` ("iris" or "wine") from ``data/``."""
    if name not in BUILTIN:
        raise ValueError(f"unknown built-in data set {name!r}; expected one of {list(BUILTIN)}")
    data = parse_csv((DATA_DIR / BUILTIN[name]).read_bytes(), name=name.capitalize())
    return data


def parse_csv(raw: bytes | str, name: str = "uploaded file", max_rows: int = MAX_ROWS) -> Dataset:
    """Parse a CSV file into a ``Dataset``; raises ValueError naming what is wrong."""
    text = _decode(raw)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        numbered = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    except csv.Error as err:  # e.g. a stray carriage return inside a field
        raise ValueError(f"The file is not valid CSV near line {reader.line_num}: {err}.") from None
    rows = [r for _, r in numbered]
    line_of = [n for n, _ in numbered[1:]]  # the file line of each data row
    if not rows:
        raise ValueError("The file is empty: expected a header row and at least one data row.")
    header = [h.strip() for h in rows[0]]
    if len(header) < 2:
        raise ValueError(
            "Found a single column: expected comma-separated columns (features and a label)."
        )
    if all(_is_number(h) for h in header if h):
        raise ValueError(
            "The first row holds numbers, not column names: add a header row "
            "(for example x1,x2,label)."
        )
    for j, h in enumerate(header):
        if not h:
            raise ValueError(f"Column {j + 1} has no name in the header row.")
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise ValueError(f"The header names column '{dup}' twice.")
    body = rows[1:]
    if not body:
        raise ValueError("The file has a header row but no data rows.")
    if len(body) > max_rows:
        raise ValueError(f"The file has {len(body)} data rows; the limit is {max_rows}.")
    for i, row in enumerate(body):
        if len(row) != len(header):
            raise ValueError(
                f"Line {line_of[i]} has {len(row)} fields but the header has {len(header)}."
            )
    lower = [h.lower() for h in header]
    label_col = next((lower.index(n) for n in LABEL_NAMES if n in lower), len(header) - 1)
    feature_cols = [j for j in range(len(header)) if j != label_col]
    if len(feature_cols) < 2:
        raise ValueError(
            f"Found {len(feature_cols)} feature column(s) besides the label column "
            f"'{header[label_col]}'; at least 2 numeric feature columns are needed."
        )
    if len(feature_cols) > MAX_FEATURES:
        raise ValueError(
            f"The file has {len(feature_cols)} feature columns; the limit is {MAX_FEATURES}."
        )
    X = np.empty((len(body), len(feature_cols)))
    for i, row in enumerate(body):
        for c, j in enumerate(feature_cols):
            cell = row[j].strip()
            if cell.lower() in MISSING:
                raise ValueError(
                    f"Missing value at line {line_of[i]}, column '{header[j]}': every feature "
                    "cell needs a number (remove or fill the row)."
                )
            try:
                value = float(cell)
            except ValueError:
                raise ValueError(
                    f"Non-numeric value {_short(cell)} at line {line_of[i]}, column "
                    f"'{header[j]}': feature columns must hold numbers (the label column is "
                    f"'{header[label_col]}')."
                ) from None
            if not math.isfinite(value):
                raise ValueError(
                    f"Value {_short(cell)} at line {line_of[i]}, column '{header[j]}' "
                    "is not finite."
                )
            X[i, c] = value
    labels = [row[label_col].strip() for row in body]
    for i, lab in enumerate(labels):
        if lab.lower() in MISSING:
            raise ValueError(f"Missing label at line {line_of[i]}, column '{header[label_col]}'.")
    classes = _sorted_classes(set(labels))
    if len(classes) < 2:
        raise ValueError(
            f"Every row has the label {_short(classes[0])}: a classifier needs at least 2 classes."
        )
    if len(classes) > MAX_CLASSES:
        raise ValueError(
            f"The label column '{header[label_col]}' has {len(classes)} distinct values; "
            f"at most {MAX_CLASSES} classes can be shown (one colour each)."
        )
    index = {c: k for k, c in enumerate(classes)}
    y = np.array([index[lab] for lab in labels], dtype=np.int64)
    warnings = []
    n_dup = len(body) - len({(*X[i].tolist(), int(y[i])) for i in range(len(body))})
    if n_dup:
        warnings.append(f"{n_dup} row(s) repeat an earlier row exactly; they are kept.")
    return Dataset(
        name=name,
        X=X,
        y=y,
        feature_names=tuple(header[j] for j in feature_cols),
        class_names=tuple(classes),
        label_name=header[label_col],
        warnings=tuple(warnings),
    )


def head(data: Dataset, n: int = 8) -> dict[str, list]:
    """The first ``n`` rows as columns (feature names and the label column), for a preview."""
    table: dict[str, list] = {
        name: data.X[:n, j].tolist() for j, name in enumerate(data.feature_names)
    }
    table[data.label_name] = [data.class_names[k] for k in data.y[:n]]
    return table


def to_csv(X, y, feature_names, class_names, label_name: str = "label") -> str:
    """A CSV text that ``parse_csv`` reads back to the same X (exact: repr of floats) and y."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*feature_names, label_name])
    for row, k in zip(np.asarray(X, dtype=np.float64), np.asarray(y), strict=True):
        writer.writerow([repr(float(v)) for v in row] + [class_names[int(k)]])
    return out.getvalue()


def standardisation(X) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature mean (D,) and scale (D,) (the standard deviation; 1 for a constant one)."""
    X = np.asarray(X, dtype=np.float64)
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale < 1e-12] = 1.0
    return mean, scale


def pca(X, n_components: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Principal directions of X (N, D) by the SVD of the centred data.

    Returns (mean (D,), components (D, n) with orthonormal columns, explained variance (n,)).
    Signs are fixed so that each direction's largest-magnitude entry is positive.
    """
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    if not 1 <= n_components <= min(n, d):
        raise ValueError(f"n_components must be in [1, {min(n, d)}]; got {n_components}")
    mean = X.mean(axis=0)
    _, s, Vt = np.linalg.svd(X - mean, full_matrices=False)
    V = Vt[:n_components].T.copy()
    signs = np.sign(V[np.argmax(np.abs(V), axis=0), np.arange(n_components)])
    V *= np.where(signs == 0, 1.0, signs)
    variance = s[:n_components] ** 2 / max(n - 1, 1)
    return mean, V, variance


def _decode(raw: bytes | str) -> str:
    if isinstance(raw, str):
        return raw
    if len(raw) > MAX_BYTES:
        raise ValueError(
            f"The file is {len(raw) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:g} MB."
        )
    if not raw.strip():
        raise ValueError("The file is empty: expected a header row and at least one data row.")
    if b"\x00" in raw[:4096]:
        raise ValueError("This is not a CSV text file (it contains binary data).")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("latin-1")
        except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes any bytes
            text = ""
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:4096])
        if not text or printable < 0.95 * min(len(text), 4096):
            raise ValueError("This is not a CSV text file (it is not readable text).") from None
        return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _sorted_classes(values: set[str]) -> list[str]:
    if all(_is_number(v) for v in values):
        return sorted(values, key=float)
    return sorted(values)


def _short(text: str) -> str:
    return repr(text if len(text) <= 24 else text[:21] + "...")
