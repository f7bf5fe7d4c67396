"""One tab's digits run: the split, the trainer, its history, the optimum and what they show.

Like the playground (docs/architecture.md), the server computes and the browser plays back:
``advance(n)`` returns n frames, each the ten templates (W as float32, base64) and the
metrics of one state, with ``speed`` optimiser steps between frames. Every number shown
comes from here; the view only paints. Holds no Streamlit objects.
"""

from __future__ import annotations

import base64
import math
import threading
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from softmax_core import (
    DivergenceError,
    History,
    NoOptimumError,
    Trainer,
    confusion_matrix,
    predict_proba,
    solve_optimum,
)
from softmax_core.digits import N_CLASSES, DigitsSplit, split_digits

HISTORY_FIELDS = ("train_ce", "l2_term", "test_ce", "train_acc", "test_acc")
TEST_FRACTION = 0.2
SPLIT_SEED = 0


@dataclass(frozen=True)
class DigitsSettings:
    """The page's defaults reach >= 93% test accuracy in about 3 s of Play (100 momentum
    steps at 30 steps a second); measured 93.6% at step 100, 95.0% at 200."""

    lr: float = 0.1
    l2: float = 0.001
    optimizer: str = "momentum"
    batch_size: int = 0  # 0 = full batch
    speed: int = 2  # optimiser steps per frame; 15 frames a second

    def with_(self, **changes) -> DigitsSettings:
        return replace(self, **changes)


@lru_cache(maxsize=2)
def digits_split(test_fraction: float = TEST_FRACTION, seed: int = SPLIT_SEED) -> DigitsSplit:
    """The split, read once per process (its arrays are only ever read)."""
    return split_digits(test_fraction, seed)


@lru_cache(maxsize=8)
def digits_optimum(l2: float) -> tuple[np.ndarray, np.ndarray] | str:
    """The optimum of the fixed split at ``l2``, solved once per process (read-only arrays)."""
    data = digits_split()
    try:
        W, b = solve_optimum(data.X_train, data.y_train, l2, n_classes=N_CLASSES)
    except NoOptimumError:
        return (
            "No finite optimum at L2 = 0: the 64 pixels separate the training digits "
            "perfectly, so the loss keeps falling as the weights grow. Add some L2."
        )
    W.flags.writeable = False
    b.flags.writeable = False
    return W, b


class DigitsSession:
    """Everything one browser tab trains and shows on the Digits page."""

    def __init__(self, settings: DigitsSettings | None = None) -> None:
        self.settings = settings or DigitsSettings()
        self.data = digits_split()
        self.history = History(HISTORY_FIELDS, capacity=2048)
        self.run_id = 0
        self.config_version = 0
        self.diverged: str | None = None
        self.lock = threading.Lock()
        s = self.settings
        self.trainer = Trainer(
            self.data.X_train,
            self.data.y_train,
            N_CLASSES,
            optimizer=s.optimizer,
            lr=s.lr,
            l2=s.l2,
            batch_size=s.batch_size or None,
            X_test=self.data.X_test,
            y_test=self.data.y_test,
        )

    # --- settings ----------------------------------------------------------------------
    def apply(self, new: DigitsSettings) -> None:
        """Change settings; the weights are kept (training continues from where it is)."""
        old, self.settings = self.settings, new
        t = self.trainer
        t.lr, t.l2 = new.lr, new.l2
        if (new.optimizer, new.batch_size) != (old.optimizer, old.batch_size):
            t.set_optimizer(new.optimizer, new.batch_size or None)
        if new != old:
            self.config_version += 1

    def reset(self) -> None:
        """Fresh small random weights, step 0, history cleared, optimiser state forgotten."""
        with self.lock:
            self.trainer.reset()
            self.history.clear()
            self.diverged = None
            self.run_id += 1
            self.config_version += 1

    # --- training ----------------------------------------------------------------------
    def frame(self) -> dict:
        """The current state: step, metrics (recorded in the history) and the templates."""
        t = self.trainer
        m = t.evaluate()
        if self.history.last_step is None or self.history.last_step < m.step:
            self.history.append(m.step, **{f: getattr(m, f) for f in HISTORY_FIELDS})
        W = np.ascontiguousarray(t.W.T, dtype=np.float32)  # (K, 64): row k is template k
        return {
            "step": m.step,
            "W": base64.b64encode(W.tobytes()).decode("ascii"),
            "scale": _num(float(np.max(np.abs(W)))),
            **{f: _num(getattr(m, f)) for f in HISTORY_FIELDS},
        }

    def advance(self, n_frames: int) -> list[dict]:
        """``n_frames`` frames with ``speed`` steps after each; stops at a divergence."""
        with self.lock:
            frames = []
            if self.diverged is not None:
                return [self.frame()]
            for _ in range(max(1, int(n_frames))):
                frames.append(self.frame())
                try:
                    self.trainer.run(self.settings.speed)
                except DivergenceError as err:
                    self.diverged = str(err)
                    frames.append(self.frame())
                    break
            return frames

    def step_once(self) -> list[dict]:
        """Exactly one optimiser step (the Step button): the frames before and after it."""
        with self.lock:
            before = self.frame()
            if self.diverged is None:
                try:
                    self.trainer.step()
                except DivergenceError as err:
                    self.diverged = str(err)
            return [before, self.frame()]

    def history_payload(self, max_points: int = 300) -> dict[str, list[float | None]]:
        data = self.history.as_dict(max_points)
        return {k: [_num(v) for v in vals] for k, vals in data.items()}

    # --- models to show ----------------------------------------------------------------
    def live_params(self) -> tuple[np.ndarray, np.ndarray]:
        with self.lock:
            return self.trainer.W.copy(), self.trainer.b.copy()

    def optimum(self) -> tuple[np.ndarray, np.ndarray] | str:
        """(W*, b*) on the training set at the current l2 (``solve_optimum``: Newton's method,
        exact to its tolerance), or a sentence saying why there is none."""
        return digits_optimum(self.settings.l2)

    def params(self, model: str) -> tuple[np.ndarray, np.ndarray] | str:
        """The live weights ("live") or the optimum's ("optimum")."""
        return self.live_params() if model == "live" else self.optimum()

    def test_probs(self, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        """pi (N_test, 10) of the test images."""
        return predict_proba(W, b, self.data.X_test)

    def test_confusion(self, probs: np.ndarray) -> np.ndarray:
        """C (10, 10): C[i, j] = test images of digit i predicted as j."""
        return confusion_matrix(self.data.y_test, probs.argmax(axis=1), N_CLASSES)


def accuracy_on_test(session: DigitsSession, W: np.ndarray, b: np.ndarray) -> float:
    probs = session.test_probs(W, b)
    return float(np.mean(probs.argmax(axis=1) == session.data.y_test))


def cell_members(
    y_true: np.ndarray, probs: np.ndarray, true_digit: int, predicted: int
) -> np.ndarray:
    """Indices (into the test set) of the images of ``true_digit`` predicted as
    ``predicted``, most confident first."""
    pred = probs.argmax(axis=1)
    rows = np.flatnonzero((y_true == true_digit) & (pred == predicted))
    return rows[np.argsort(-probs[rows, predicted], kind="stable")]


def _num(value: float) -> float | None:
    """JSON-safe float: NaN and inf become None."""
    v = float(value)
    return round(v, 6) if math.isfinite(v) else None
