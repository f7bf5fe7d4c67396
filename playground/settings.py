"""Every playground setting, defined once: its type, default, bounds and URL key.

A shared link reproduces the exact setup: ``to_query`` writes every setting (and the class
centres) into the query string and ``from_query`` reads it back. A missing, malformed or out
of range value falls back to its default and produces a notice naming it; unknown keys are
ignored with a notice. Nothing here raises on user input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace

from softmax_core import OPTIMIZER_NAMES, default_centres

# 1-2-5 steps from 1e-6 (unstandardised real data needs rates that small: Wine's 2/L is
# about 6e-6) to 100 (far above 2/L on the Gaussian classes, for the oscillation lesson).
LR_CHOICES = (*tuple(float(f"{m}e{e}") for e in range(-6, 2) for m in (1, 2, 5)), 100.0)
L2_CHOICES = (0.0, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
GRID_CHOICES = (100, 150, 200)
OPTIMIZER_LABELS = {
    "gd": "Gradient descent (full batch)",
    "sgd": "SGD (mini-batch)",
    "momentum": "Momentum",
    "adam": "Adam",
}
CENTRE_LIMIT = 4.5  # centres stay inside the drawn square [-5, 5]^2
MAX_VALUE_LENGTH = 200
SOURCE_LABELS = {
    "gauss": "Gaussian classes",
    "iris": "Iris (150 flowers, 4 features)",
    "wine": "Wine (178 wines, 13 features)",
    "upload": "Upload CSV",
}
MAX_COLUMNS = 50  # softmax_core.datasets.MAX_FEATURES
UPLOAD_LINK_NOTICE = (
    "This link asked for an uploaded data set (data=upload), but an upload cannot travel in a "
    "link: upload the file again under Data source. Showing Gaussian classes meanwhile."
)


@dataclass(frozen=True)
class Field:
    """One setting's URL key, bounds (inclusive) or choices."""

    key: str
    low: float | None = None
    high: float | None = None
    choices: tuple | None = None


FIELDS: dict[str, Field] = {
    "n_classes": Field("k", 2, 6),
    "n_per_class": Field("n", 5, 500),
    "spread": Field("spread", 0.05, 3.0),
    "test_fraction": Field("test", 0.0, 0.5),
    "seed": Field("seed", 0, 2**31 - 1),
    "lr": Field("lr", choices=LR_CHOICES),
    "l2": Field("l2", choices=L2_CHOICES),
    "batch_size": Field("batch", 0, 500),
    "optimizer": Field("opt", choices=OPTIMIZER_NAMES),
    "speed": Field("speed", 1, 50),
    "grid": Field("grid", choices=GRID_CHOICES),
    "show_arrows": Field("arrows"),
    "show_weights": Field("weights"),
    "show_optimum": Field("optimum"),
    "log_scale": Field("log"),
    "show_legend": Field("legend"),
    "show_ticks": Field("ticks"),
    "source": Field("data", choices=tuple(SOURCE_LABELS)),
    "standardise": Field("std"),
    "pca": Field("pca"),
    "plot_x": Field("px", 0, MAX_COLUMNS - 1),
    "plot_y": Field("py", 0, MAX_COLUMNS - 1),
}
CENTRES_KEY = "c"
PAGE_KEYS = ("present",)  # the page's own link keys (presenter mode), not settings: kept as is
FEATURES_KEY = "f"  # the trained columns of real data, "0,2,3"; absent or empty = all


def _centres(k: int) -> tuple[tuple[float, float], ...]:
    return tuple((float(x), float(y)) for x, y in default_centres(k, radius=2.0))


@dataclass(frozen=True)
class Settings:
    """The whole setup of the playground. ``batch_size`` 0 means the full batch."""

    n_classes: int = 3
    n_per_class: int = 100
    spread: float = 0.8
    test_fraction: float = 0.2
    seed: int = 0
    lr: float = 0.5
    l2: float = 0.001
    batch_size: int = 0
    optimizer: str = "gd"
    speed: int = 1
    grid: int = 150
    show_arrows: bool = True
    show_weights: bool = False
    show_optimum: bool = False
    log_scale: bool = True
    show_legend: bool = True  # the view's legend (what the marks mean) and its axis ticks
    show_ticks: bool = True
    # real data: the source, which columns train (empty = all), standardised or not, and the
    # plotted plane (two columns, or the first two principal components of the trained ones)
    source: str = "gauss"
    standardise: bool = True
    pca: bool = True  # real data opens on the plane that shows every class
    plot_x: int = 0
    plot_y: int = 1
    features: tuple[int, ...] = ()
    centres: tuple[tuple[float, float], ...] = field(default_factory=lambda: _centres(3))

    def with_(self, **changes) -> Settings:
        """A copy with ``changes``; a new K without centres gets the default centres."""
        if "n_classes" in changes and "centres" not in changes:
            changes["centres"] = _centres(changes["n_classes"])
        return replace(self, **changes)


DEFAULTS = Settings()


def nearest_choice(value: float, choices: tuple) -> float:
    """The choice closest to ``value`` in log space (0 only matches 0 exactly or values < 1e-5)."""
    positive = [c for c in choices if c > 0]
    if value <= 0 or (0 in choices and value < positive[0] / 3):
        return 0.0 if 0 in choices else positive[0]
    return min(positive, key=lambda c: abs(math.log(c) - math.log(value)))


def to_query(settings: Settings) -> dict[str, str]:
    """Every setting as a short string for ``st.query_params``."""
    out: dict[str, str] = {}
    for name, spec in FIELDS.items():
        value = getattr(settings, name)
        if isinstance(value, bool):
            out[spec.key] = "1" if value else "0"
        elif isinstance(value, float):
            out[spec.key] = f"{value:.12g}"  # exact enough that a link reproduces the setup
        else:
            out[spec.key] = str(value)
    out[CENTRES_KEY] = ";".join(f"{x:.12g},{y:.12g}" for x, y in settings.centres)
    if settings.features:
        out[FEATURES_KEY] = ",".join(map(str, settings.features))
    return out


def from_query(params: Mapping[str, object]) -> tuple[Settings, list[str]]:
    """Settings from a query string mapping (values str or list of str) and notices for every
    value that was missing-but-malformed, out of range or unknown. Never raises."""
    notices: list[str] = []
    values: dict[str, object] = {}
    by_key = {spec.key: name for name, spec in FIELDS.items()}
    for raw_key, raw_value in params.items():
        key = str(raw_key)[:40]
        if key in PAGE_KEYS:
            continue
        if key not in by_key and key not in (CENTRES_KEY, FEATURES_KEY):
            notices.append(f"Ignored unknown link parameter '{key}'.")
            continue
        text = _single(raw_value)
        if key == FEATURES_KEY:
            parsed, problem = _parse_features(text)
            if problem:
                notices.append(f"Link value {key}={_short(text)} {problem}; using all columns.")
            else:
                values["features"] = parsed
            continue
        if key == CENTRES_KEY:
            continue
        name = by_key[key]
        default = getattr(DEFAULTS, name)
        parsed, problem = _parse(name, text, default)
        if problem:
            notices.append(f"Link value {key}={_short(text)} {problem}; using {default!r}.")
        else:
            values[name] = parsed
            if FIELDS[name].choices and isinstance(parsed, float) and parsed != float(text.strip()):
                notices.append(
                    f"Link value {key}={_short(text)} is not on the slider; "
                    f"using the nearest value {parsed:g}."
                )
    if "pca" not in values and ("plot_x" in values or "plot_y" in values):
        values["pca"] = False  # a link that names the plotted columns wants them plotted
    if values.get("source") == "upload":
        notices.append(UPLOAD_LINK_NOTICE)
        values["source"] = "gauss"
    k = int(values.get("n_classes", DEFAULTS.n_classes))
    centres = _centres(k)
    if CENTRES_KEY in params:
        text = _single(params[CENTRES_KEY])
        parsed, problem = _parse_centres(text, k)
        if problem:
            notices.append(
                f"Link value {CENTRES_KEY}={_short(text)} {problem}; using the default centres."
            )
        else:
            centres = parsed
    values["centres"] = centres
    return replace(DEFAULTS, **values), notices


def as_dict(settings: Settings) -> dict:
    return asdict(settings)


def setting_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Settings))


def _single(value: object) -> str:
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value)


def _short(text: str) -> str:
    return repr(text if len(text) <= 24 else text[:21] + "...")


def _parse(name: str, text: str, default: object) -> tuple[object, str | None]:
    """(value, None) or (None, what is wrong)."""
    spec = FIELDS[name]
    if len(text) > MAX_VALUE_LENGTH:
        return None, "is too long"
    text = text.strip()
    if isinstance(default, bool):
        if text.lower() in ("1", "true", "yes", "on"):
            return True, None
        if text.lower() in ("0", "false", "no", "off"):
            return False, None
        return None, "is not 0 or 1"
    if isinstance(default, str):
        if text in (spec.choices or ()):
            return text, None
        return None, f"is not one of {', '.join(spec.choices or ())}"
    try:
        number = float(text)
    except ValueError:
        return None, "is not a number"
    if not math.isfinite(number):
        return None, "is not finite"
    if isinstance(default, int):
        if number != int(number):
            return None, "is not a whole number"
        number = int(number)
    if spec.choices is not None:
        if isinstance(default, int):
            if number not in spec.choices:
                return None, f"is not one of {', '.join(map(str, spec.choices))}"
            return number, None
        lo, hi = min(spec.choices), max(spec.choices)
        if not (lo / 10 <= number <= hi * 10 or (number == 0 and 0 in spec.choices)):
            return None, f"is out of range [{_number(lo)}, {_number(hi)}]"
        return nearest_choice(number, spec.choices), None
    if not spec.low <= number <= spec.high:
        return None, f"is out of range [{_number(spec.low)}, {_number(spec.high)}]"
    return number, None


def _number(value: float) -> str:
    """A bound as a person writes it: 2147483647, not 2.14748e+09; 0.05, not 0.050000."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}"


def _parse_features(text: str) -> tuple[tuple[int, ...] | None, str | None]:
    if len(text) > MAX_VALUE_LENGTH:
        return None, "is too long"
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not all(p.isascii() and p.isdigit() and int(p) < MAX_COLUMNS for p in parts):
        return None, f"is not a list of column numbers below {MAX_COLUMNS}"
    return tuple(sorted({int(p) for p in parts})), None


def _parse_centres(text: str, k: int) -> tuple[tuple[tuple[float, float], ...] | None, str | None]:
    if len(text) > 40 * 6:
        return None, "is too long"
    parts = [p for p in text.split(";") if p.strip()]
    if len(parts) != k:
        return None, f"has {len(parts)} centre(s) for {k} classes"
    centres = []
    for part in parts:
        xy = part.split(",")
        if len(xy) != 2:
            return None, "is not a list of x,y pairs"
        try:
            x, y = float(xy[0]), float(xy[1])
        except ValueError:
            return None, "is not a list of x,y pairs"
        if not (math.isfinite(x) and math.isfinite(y)):
            return None, "has a value that is not finite"
        if abs(x) > CENTRE_LIMIT or abs(y) > CENTRE_LIMIT:
            return None, f"has a centre outside [-{CENTRE_LIMIT:g}, {CENTRE_LIMIT:g}]"
        centres.append((round(x, 3), round(y, 3)))
    return tuple(centres), None
