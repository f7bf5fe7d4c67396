"""Presets: ready-made lessons on the Gaussian classes and the curved data sets.

A preset is a lesson, not a partial edit: it sets every control its lesson depends on (the
data, the optimiser, the speed) and the controller starts a fresh run with it (new weights,
empty history, no divergence), then shows its one line on what to look for. Display toggles
(arrows, weight vectors, optimum, log scale) stay as the student set them unless the lesson
needs one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from softmax_core import default_centres

from .settings import Settings


def _ring(k: int) -> tuple[tuple[float, float], ...]:
    return tuple((float(x), float(y)) for x, y in default_centres(k, radius=2.0))


# Every setting a lesson depends on; a preset overrides some of these.
LESSON_BASE = dict(
    source="gauss",
    n_classes=3,
    n_per_class=100,
    spread=0.8,
    test_fraction=0.2,
    seed=0,
    lr=0.5,
    l2=0.001,
    optimizer="gd",
    batch_size=0,
    speed=1,
    noise=0.2,
    phi=(),  # a lesson starts from the plain linear model unless it needs features
    centres=_ring(3),
)


@dataclass(frozen=True)
class Preset:
    name: str
    look_for: str  # the one line shown when it loads
    values: dict


PRESET_LIST: tuple[Preset, ...] = (
    Preset(
        "Well separated",
        "Press Play: the loss falls fast and accuracy reaches 100%; the boundaries settle "
        "between the clusters.",
        dict(spread=0.5, centres=((0.0, 2.5), (-2.2, -1.25), (2.2, -1.25))),
    ),
    Preset(
        "Overlapping",
        "The classes overlap, so even the best straight boundaries misclassify points: "
        "accuracy stops below 100% and the test loss ends above the training loss.",
        dict(spread=1.3, centres=((0.0, 1.0), (-0.9, -0.5), (0.9, -0.5))),
    ),
    Preset(
        "One class surrounded",
        "Softmax regression only draws straight boundaries: watch the middle class get a "
        "region cut out by four lines.",
        dict(
            n_classes=5,
            spread=0.6,
            centres=((0.0, 0.0), (2.6, 0.0), (0.0, 2.6), (-2.6, 0.0), (0.0, -2.6)),
        ),
    ),
    Preset(
        "Oscillating: learning rate far above 2/L",
        "lr = 100 is far above the stable rate 2/L: the loss falls, then jumps up for a few "
        "steps and falls again. The note under the picture explains it.",
        dict(lr=100.0),
    ),
    Preset(
        "Diverging: lr × L2 above 2",
        "lr × L2 = 20 × 0.3 = 6: each step multiplies W by 1 − lr·L2 = −5, so the weights "
        "flip sign and grow until they overflow. Play, then use the fixes offered.",
        dict(lr=20.0, l2=0.3, speed=10),
    ),
    Preset(
        "Strong L2",
        "L2 = 1 keeps the weights small: the regions stay pale (the model is unsure) and the "
        "total loss cannot fall below the L2 term.",
        dict(l2=1.0),
    ),
    Preset(
        "Mini-batch noise",
        "SGD on batches of 4: the loss curve is noisy and the boundaries jitter; full-batch "
        "gradient descent would fall smoothly.",
        dict(n_classes=4, spread=0.9, optimizer="sgd", batch_size=4, centres=_ring(4)),
    ),
)
# Issue 17's lessons: linear in its features, not in its inputs. Each starts without the
# feature that helps (the student adds it under Data, Features), except the spiral.
FEATURE_LESSONS: tuple[Preset, ...] = (
    Preset(
        "Ring: add r²",
        "No straight line separates a ring from its centre: accuracy stays near 50%. Now turn "
        "on r² = x1² + x2² under Data → Features φ(x): the same model draws a circle.",
        dict(source="circle", n_classes=2, optimizer="adam", speed=20),
    ),
    Preset(
        "XOR: add x1 x2",
        "Opposite quadrants share a class, so any line gets about half wrong. Turn on x1·x2 "
        "under Data → Features φ(x): its sign is the class, and the boundary becomes the axes.",
        dict(source="xor", n_classes=2, optimizer="adam", speed=20),
    ),
    Preset(
        "Spiral: where features run out",
        "Every fixed feature is on, yet the arms wind past any boundary they can draw: "
        "accuracy stays low. Choosing features by hand ends here; a neural network learns "
        "its own features, and that is where networks begin.",
        dict(
            source="spiral",
            n_classes=3,
            optimizer="adam",
            speed=20,
            phi=("x1sq", "x2sq", "x1x2", "r2", "sin1", "sin2"),
        ),
    ),
)
PRESET_LIST = PRESET_LIST + FEATURE_LESSONS
PRESETS: dict[str, Preset] = {p.name: p for p in PRESET_LIST}


def apply_preset(settings: Settings, name: str) -> Settings:
    """``settings`` with every lesson setting of preset ``name`` (unknown names leave it
    unchanged). A preset also selects its data source (the Gaussian classes unless it says
    otherwise) and its features (none unless it says otherwise)."""
    if name not in PRESETS:
        return settings
    values = {**LESSON_BASE, **PRESETS[name].values}
    if "centres" not in PRESETS[name].values:
        values["centres"] = _ring(values["n_classes"])
    return replace(settings, **values)
