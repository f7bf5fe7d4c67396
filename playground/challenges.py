"""Guided challenges: what each asks, why it matters, a hint, and how success is detected.

Detection is a pure function of a ``Snapshot`` of the live state (settings, loss history,
current metrics, a few numbers derived from the model), so every detector is tested on real
training runs without Streamlit. ``playground.challenge_snapshot`` builds the snapshot from a
``PlaygroundSession``; ``ui.challenges`` keeps the progress in the session and draws the panel.

Notes are named by what they are: the NumPy notebook, the derivation notes, the d2l summary,
the slides (README: which page covers which note).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .settings import Settings

BOUND = math.sqrt(2.0)  # ||pi - y|| <= sqrt(2): the derivation notes
OPTIMUM_TOL = 1e-3  # "at the optimum": training loss within this of J*
ACCURACY_GOAL = 0.9
RISING_FRAMES = 3  # consecutive rises of the loss that count as diverging
FALLING_FRAMES = 10  # consecutive non-increasing frames that count as tamed


@dataclass(frozen=True)
class Snapshot:
    """What the detectors look at. Every field is optional: a page fills what it has.

    Playground fields come from the current run: ``steps`` and ``losses`` (training loss =
    cross-entropy + L2 term) of the recorded frames, in step order; ``max_residual`` is the
    largest ||pi_i - y_i|| over the training points at the current weights;
    ``optimum_loss`` J* at the current l2 (None if there is none); ``gd_steps_to_optimum`` the
    steps plain gradient descent needs from the same start with the same lr and l2 to come
    within ``OPTIMUM_TOL`` of J*; ``optimizers_this_run`` every optimiser used since step 0;
    ``l2_optimum_test_acc`` the test accuracy at the optimum for each L2 choice (None where
    there is no optimum), computed only at 10 points per class.
    Theory fields: the Softmax page's logits and temperature, the Logistic page's z1, z2.
    """

    settings: Settings | None = None
    steps: np.ndarray = field(default_factory=lambda: np.zeros(0))
    losses: np.ndarray = field(default_factory=lambda: np.zeros(0))
    diverged: bool = False
    stable_lr: float | None = None
    train_acc: float | None = None
    test_acc: float | None = None
    max_residual: float | None = None
    optimum_loss: float | None = None
    gd_steps_to_optimum: int | None = None
    optimizers_this_run: frozenset[str] = frozenset()
    l2_optimum_test_acc: tuple[tuple[float, float | None], ...] | None = None
    softmax_logits: tuple[float, ...] | None = None
    softmax_temperature: float | None = None
    logistic_z: tuple[float, float] | None = None


@dataclass(frozen=True)
class Challenge:
    key: str
    title: str
    page: str  # where it is played: "app.py" or "pages/x.py"
    goal: str
    why: str
    hint: str
    solved: Callable[[Snapshot], bool]


def _gauss(s: Snapshot) -> bool:
    return s.settings is not None and s.settings.source == "gauss"


def diverged(s: Snapshot) -> bool:
    """Gradient descent blew up, or its loss rose ``RISING_FRAMES`` frames in a row."""
    if s.settings is None or s.settings.optimizer != "gd":
        return False
    return s.diverged or _rising(s.losses)


def _rising(losses: np.ndarray) -> bool:
    """The loss rose ``RISING_FRAMES`` recorded frames in a row."""
    run = 0
    for rise in np.diff(losses) > 0:
        run = run + 1 if rise else 0
        if run >= RISING_FRAMES:
            return True
    return False


def tamed(s: Snapshot) -> bool:
    """Gradient descent with L2 >= 0.3 and lr <= 2/L, loss falling for the last frames."""
    if s.settings is None or s.settings.optimizer != "gd" or s.diverged:
        return False
    if s.settings.l2 < 0.3 or s.stable_lr is None or s.settings.lr > s.stable_lr:
        return False
    return _settled(s.losses)


def near_bound(s: Snapshot) -> bool:
    """Some training point's ||pi - y|| is within 1% of sqrt(2), after a run that settled
    (its last recorded losses never rose): exploding weights make every prediction one-hot,
    which is not the lesson. A drag while paused records no frame, so it keeps counting."""
    if s.diverged or not _settled(s.losses) or s.max_residual is None:
        return False  # (the residual, a pass over the data, is read last: see LazySnapshot)
    return s.max_residual >= 0.99 * BOUND


def _settled(losses: np.ndarray) -> bool:
    tail = losses[-(FALLING_FRAMES + 1) :]
    return tail.size == FALLING_FRAMES + 1 and bool(np.all(np.diff(tail) <= 0))


def steps_to(steps: np.ndarray, losses: np.ndarray, target: float) -> int | None:
    """The first recorded step whose loss is at or below ``target``."""
    hit = np.flatnonzero(losses <= target)
    return int(steps[hit[0]]) if hit.size else None


def momentum_wins(s: Snapshot) -> bool:
    """A momentum-only run from step 0 reached J* + tol in at most half GD's steps."""
    if s.settings is None or s.optimizers_this_run != frozenset({"momentum"}):
        return False
    if s.optimum_loss is None or s.gd_steps_to_optimum is None or s.steps.size == 0:
        return False
    if s.steps[0] != 0:
        return False
    reached = steps_to(s.steps, s.losses, s.optimum_loss + OPTIMUM_TOL)
    return reached is not None and 2 * reached <= s.gd_steps_to_optimum


def smallest_l2_found(s: Snapshot) -> bool:
    """10 points per class, trained to the optimum, test accuracy >= 90%, and no smaller L2
    choice reaches 90% at its optimum."""
    if not _gauss(s) or s.settings.n_per_class != 10 or s.l2_optimum_test_acc is None:
        return False
    if s.test_acc is None or s.test_acc < ACCURACY_GOAL or s.optimum_loss is None:
        return False
    if s.losses.size == 0 or s.losses[-1] > s.optimum_loss + OPTIMUM_TOL:
        return False
    smaller = [acc for l2, acc in s.l2_optimum_test_acc if l2 < s.settings.l2]
    return all(acc is None or acc < ACCURACY_GOAL for acc in smaller)


def inside_hull(point: np.ndarray, others: np.ndarray) -> bool:
    """True when ``point`` lies strictly inside the convex hull of ``others`` (M, 2)."""
    hull = _hull(others)
    if len(hull) < 3:
        return False
    edges = zip(hull, hull[1:] + hull[:1], strict=True)
    return all(_cross(a, b, point) > 1e-9 for a, b in edges)  # the hull is counter-clockwise


def _cross(o, u, v) -> float:
    return float((u[0] - o[0]) * (v[1] - o[1]) - (u[1] - o[1]) * (v[0] - o[0]))


def _hull(points: np.ndarray) -> list:
    """Andrew's monotone chain: the hull's vertices, counter-clockwise."""
    pts = sorted({(float(x), float(y)) for x, y in points})
    if len(pts) < 3:
        return pts
    lower: list = []
    upper: list = []
    for chain, seq in ((lower, pts), (upper, pts[::-1])):
        for p in seq:
            while len(chain) >= 2 and _cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
    return lower[:-1] + upper[:-1]


def surrounded(s: Snapshot) -> bool:
    """K >= 4 Gaussian classes, one centre inside the others' hull, trained 100+ steps."""
    if not _gauss(s) or s.settings.n_classes < 4 or s.steps.size == 0 or s.steps[-1] < 100:
        return False
    c = np.asarray(s.settings.centres, dtype=float)
    return any(inside_hull(c[k], np.delete(c, k, axis=0)) for k in range(c.shape[0]))


def one_hot_by_temperature(s: Snapshot) -> bool:
    """Softmax page: T < 1 makes the top probability >= 0.99 although at T = 1 it is < 0.99."""
    if s.softmax_logits is None or s.softmax_temperature is None:
        return False
    z = np.asarray(s.softmax_logits, dtype=float)
    t = float(s.softmax_temperature)
    if not 0 < t < 1 or z.size < 2:
        return False
    plain = np.exp(z - z.max())
    sharp = np.exp((z - z.max()) / t)
    return plain.max() / plain.sum() < 0.99 and sharp.max() / sharp.sum() >= 0.99


def sigmoid_example_shifted(s: Snapshot) -> bool:
    """Logistic page: softmax([z1, z2])_1 = 0.9526 (the slides' sigmoid(3)) with z2 != 0."""
    if s.logistic_z is None:
        return False
    z1, z2 = s.logistic_z
    p1 = 1.0 / (1.0 + math.exp(-(z1 - z2)))
    return abs(z2) > 1e-9 and round(p1, 4) == 0.9526


CHALLENGES: tuple[Challenge, ...] = (
    Challenge(
        "diverge",
        "Break gradient descent",
        "app.py",
        "Load the Strong L2 preset, play, then move only the learning rate until gradient "
        "descent diverges.",
        "The derivation notes' update W ← W − lr·(∇ + λW) shrinks W by the factor 1 − lr·λ "
        "each step; once lr·λ > 2 that factor is below −1 and the weights grow without bound.",
        "With L2 = 1, a learning rate above 2 is enough. Watch the loss curve, then the alert.",
        diverged,
    ),
    Challenge(
        "tame",
        "Tame it",
        "app.py",
        "Keep L2 at 0.3 or more, bring the learning rate below 2/L (the value under the "
        "slider), restore the weights and let the loss fall for 10 frames in a row.",
        "Below lr = 2/L, where L bounds the loss's curvature, gradient descent can never "
        "increase the loss: the step the derivation notes take is then always downhill.",
        "Press “Halve learning rate and restore” until the rate is below the sidebar's 2/L, "
        "or pick it on the slider, then Play.",
        tamed,
    ),
    Challenge(
        "bound",
        "Reach the bound of π − y",
        "app.py",
        "Make ‖π − y‖ of some training point come within 1% of its bound √2.",
        "The derivation notes prove ‖π − y‖ ≤ √2: the gradient with respect to the logits "
        "is bounded, it is largest only for a point that is confidently wrong.",
        "Train the Well separated preset for a while (low L2), pause, then drag one class's "
        "centre deep into another class's region: its points are now confidently wrong.",
        near_bound,
    ),
    Challenge(
        "momentum",
        "Beat gradient descent with momentum",
        "app.py",
        "With momentum, reach the optimum (training loss within 0.001 of J*) in at most half "
        "the steps that gradient descent needs from the same start.",
        "The NumPy notebook trains with plain gradient descent; momentum keeps a running sum "
        "of the same gradients (π − y)xᵀ and moves much faster along the long, flat valley.",
        "Choose Momentum, press Reset weights, then Play. Keep the learning rate: changing "
        "the optimiser mid-run does not count.",
        momentum_wins,
    ),
    Challenge(
        "small_data_l2",
        "The smallest L2 that generalises",
        "app.py",
        "With 10 points per class, find the smallest L2 at which the trained model keeps "
        "test accuracy at or above 90%, and train it to the optimum.",
        "The derivation notes add (λ/2)‖W‖² to the loss; with few points it is what keeps "
        "the weights, and so the boundaries, from fitting the noise of the training set.",
        "Set 10 points per class, try a seed or two and a larger spread; step the L2 slider "
        "down while the test accuracy stays at 90% or more. Momentum gets there faster.",
        smallest_l2_found,
    ),
    Challenge(
        "surround",
        "Surround a class",
        "app.py",
        "With 4 or more classes, drag one class's centre inside the others and train for 100 "
        "steps.",
        "In the d2l summary every logit is linear in x, so each class's region (where its "
        "logit is largest) is an intersection of half-planes: a convex polygon. The middle "
        "class gets a bounded polygon; a ring around it could never be one class.",
        "Load the One class surrounded preset, or set 4 classes and drag one centre into the "
        "middle.",
        surrounded,
    ),
    Challenge(
        "temperature",
        "Nearly one-hot, same argmax",
        "pages/softmax.py",
        "On the Softmax page, make the largest probability at least 0.99 with the temperature "
        "alone, starting from logits whose largest probability is below 0.99.",
        "The d2l summary picks the class with the largest probability: dividing the logits by "
        "T < 1 sharpens the probabilities towards one-hot, and the argmax never changes.",
        "Load the slides' worked example (z = 3, 4, 6), then move T below 1.",
        one_hot_by_temperature,
    ),
    Challenge(
        "sigmoid",
        "The sigmoid is a two-class softmax",
        "pages/logistic.py",
        "On the Logistic page, make softmax([z1, z2])₁ equal 0.9526, the slides' sigmoid "
        "example, with z2 different from 0.",
        "The slides show that softmax with K = 2 is the sigmoid of z1 − z2: only the "
        "difference of the logits matters, not the logits themselves.",
        "The slides' example is sigmoid(3). Any z1, z2 with z1 − z2 = 3 will do.",
        sigmoid_example_shifted,
    ),
)
BY_KEY = {c.key: c for c in CHALLENGES}


def newly_solved(snapshot: Snapshot, done: set[str] | frozenset[str]) -> list[str]:
    """Keys of the challenges that ``snapshot`` solves and are not in ``done`` yet."""
    return [c.key for c in CHALLENGES if c.key not in done and c.solved(snapshot)]


def next_open(done: set[str] | frozenset[str], after: str | None = None) -> str | None:
    """The first unsolved challenge after ``after`` (wrapping round), or None if all are."""
    keys = [c.key for c in CHALLENGES]
    start = keys.index(after) + 1 if after in keys else 0
    for key in keys[start:] + keys[:start]:
        if key not in done:
            return key
    return None
