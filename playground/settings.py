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
from softmax_core.feature_maps import parse_tokens

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
    "circle": "Circle (a disc inside a ring)",
    "xor": "XOR (four quadrants)",
    "spiral": "Spiral (one arm per class)",
    "iris": "Iris (150 flowers, 4 features)",
    "wine": "Wine (178 wines, 13 features)",
    "upload": "Upload CSV",
}
PLANAR_SOURCES = ("gauss", "circle", "xor", "spiral")  # 2-D data: the feature map applies
CURVED_SOURCES = ("circle", "xor", "spiral")  # no centres to drag
SOURCE_ALIASES = {"blobs": "gauss"}  # data=blobs reads as the Gaussian classes
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
    "noise": Field("noise", 0.0, 1.5),
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
    "simplex": Field("simplex"),
    "landscape": Field("landscape"),
}
CENTRES_KEY = "c"
PAGE_KEYS = ("present",)  # the page's own link keys (presenter mode), not settings: kept as is
FEATURES_KEY = "f"  # the trained columns of real data, "0,2,3"; absent or empty = all
PHI_KEY = "phi"  # the extra features of 2-D data, "r2,x1x2" (softmax_core.feature_maps)
# the three classes of the probability simplex when K > 3, as the view numbers them (1-based),
# "1,2,4"; absent = the first three
SIMPLEX_CLASSES_KEY = "sx"
# an optimiser race (issue 18): "gd,momentum,adam" (optimisers at the current lr) or
# "lr:0.1,1,5" (learning rates of the current optimiser); 2 to 4 lanes; absent = no race
RACE_KEY = "race"
RACE_LANES = (2, 4)
OTHER_KEYS = (CENTRES_KEY, FEATURES_KEY, PHI_KEY, SIMPLEX_CLASSES_KEY, RACE_KEY)  # parsed by hand


def _centres(k: int) -> tuple[tuple[float, float], ...]:
    return tuple((float(x), float(y)) for x, y in default_centres(k, radius=2.0))


@dataclass(frozen=True)
class Settings:
    """The whole setup of the playground. ``batch_size`` 0 means the full batch."""

    n_classes: int = 3
    n_per_class: int = 100
    spread: float = 0.8
    noise: float = 0.2  # circle, xor, spiral: sd of the jitter added to every coordinate
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
    # 2-D data: extra features phi(x) beyond x1, x2 (tokens of softmax_core.feature_maps)
    phi: tuple[str, ...] = ()
    # panels under the view: the probability simplex (classes shown when K > 3, 0-based;
    # empty = the first three) and the loss surface with the optimiser's path
    simplex: bool = False
    landscape: bool = False
    simplex_classes: tuple[int, ...] = ()
    race: str = ""  # the race's lanes, as in the URL (RACE_KEY); "" = no race
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
    if settings.phi:
        out[PHI_KEY] = ",".join(settings.phi)
    if settings.race:
        out[RACE_KEY] = settings.race
    if settings.simplex_classes:
        out[SIMPLEX_CLASSES_KEY] = ",".join(str(c + 1) for c in settings.simplex_classes)
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
        if key not in by_key and key not in (CENTRES_KEY, PHI_KEY, *_OWN_PARSERS):
            notices.append(f"Ignored unknown link parameter '{key}'.")
            continue
        text = _single(raw_value)
        if key in _OWN_PARSERS:
            name, parse, fallback = _OWN_PARSERS[key]
            parsed, problem = parse(text)
            if problem:
                notices.append(f"Link value {key}={_short(text)} {problem}; {fallback}.")
            else:
                values[name] = parsed
            continue
        if key == PHI_KEY:
            tokens, problems = parse_tokens(text)
            notices += [f"Link value {p}" for p in problems]
            values["phi"] = tokens
            continue
        if key == CENTRES_KEY:
            continue
        if key == FIELDS["source"].key and text.strip() in SOURCE_ALIASES:
            text = SOURCE_ALIASES[text.strip()]
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


def parse_race(text: str) -> tuple[str | None, str | None]:
    """The race's lanes in their canonical form, or what is wrong.

    "gd, Momentum,adam" -> "gd,momentum,adam"; "lr:0.1,1,5" -> "lr:0.1,1,5" (each rate in
    [1e-6, 100]); "" -> "" (no race). Two to four lanes, no lane twice.
    """
    if len(text) > 80:
        return None, "is too long"
    text = text.strip().lower()
    if not text:
        return "", None
    lo, hi = RACE_LANES
    if text.startswith("lr:"):
        parts = [p.strip() for p in text[3:].split(",") if p.strip()]
        try:
            rates = [float(p) for p in parts if p.isascii()]
        except ValueError:
            return None, "is not lr: followed by learning rates"
        if len(rates) != len(parts) or not all(
            math.isfinite(r) and LR_CHOICES[0] <= r <= LR_CHOICES[-1] for r in rates
        ):
            return None, f"is not lr: followed by learning rates in [{LR_CHOICES[0]:g}, 100]"
        lanes = [f"{r:g}" for r in rates]
        prefix = "lr:"
    else:
        lanes = [p.strip() for p in text.split(",") if p.strip()]
        if not all(p in OPTIMIZER_NAMES for p in lanes):
            return None, f"is not a list of optimisers ({', '.join(OPTIMIZER_NAMES)}) or lr:..."
        prefix = ""
    if not lo <= len(lanes) <= hi or len(set(lanes)) != len(lanes):
        return None, f"does not name {lo} to {hi} different lanes"
    return prefix + ",".join(lanes), None


def race_lanes(settings: Settings) -> list[tuple[str, float]]:
    """(optimiser, lr) of each lane of the race; [] when there is none."""
    if not settings.race:
        return []
    if settings.race.startswith("lr:"):
        return [(settings.optimizer, float(r)) for r in settings.race[3:].split(",")]
    return [(name, settings.lr) for name in settings.race.split(",")]


def _parse_simplex_classes(text: str) -> tuple[tuple[int, ...] | None, str | None]:
    """ "1,2,4" (class numbers as shown, 1 to 6) -> (0, 1, 3); order kept, as drawn."""
    if len(text) > 40:
        return None, "is too long"
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not all(p.isascii() and p.isdigit() and 1 <= int(p) <= 6 for p in parts):
        return None, "is not a list of class numbers 1 to 6"
    classes = tuple(int(p) - 1 for p in parts)
    if len(classes) != 3 or len(set(classes)) != 3:
        return None, "does not name three different classes"
    return classes, None


def simplex_classes(settings: Settings, n_classes: int) -> tuple[int, int, int]:
    """The three classes the simplex shows: the chosen ones if they exist, else 0, 1, 2."""
    chosen = settings.simplex_classes
    if len(chosen) == 3 and all(0 <= c < n_classes for c in chosen):
        return tuple(chosen)
    return (0, 1, 2)


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


# Link keys with a parser of their own: key -> (setting, parse(text) -> (value, problem or
# None), what a bad value falls back to). phi (several problems, each its own notice) and the
# centres (they depend on k) are parsed apart.
_OWN_PARSERS = {
    FEATURES_KEY: ("features", _parse_features, "using all columns"),
    RACE_KEY: ("race", parse_race, "no race"),
    SIMPLEX_CLASSES_KEY: (
        "simplex_classes",
        _parse_simplex_classes,
        "using the first three classes",
    ),
}
