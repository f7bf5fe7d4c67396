"""One user's playground run: data, trainer, history and the frames sent to the browser.

The NumPy core is the single source of truth: every frame carries the parameters W, b and
the full-batch gradient computed here, and the loss, accuracy and norm shown beside them.
The browser only draws (regions, arrows and boundaries are drawn from these W and b).

A frame describes the state *before* the step(s) it is followed by: frame t holds theta_t,
J(theta_t) and dJ/dtheta at theta_t; then ``speed`` optimiser steps move to the next frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from softmax_core import (
    DivergenceError,
    History,
    NoOptimumError,
    Trainer,
    gd_stable_learning_rate,
    make_gaussian_classes,
    softmax,
    solve_optimum,
    split_mask,
)

from .settings import CENTRE_LIMIT, Settings

HISTORY_FIELDS = ("train_ce", "l2_term", "test_ce", "train_acc", "test_acc", "w_norm")
VIEW = (-5.0, 5.0)  # the drawn square, in data units


@dataclass(frozen=True)
class Divergence:
    """Where training stopped: the step whose loss or weights became non-finite."""

    step: int
    reason: str
    lr: float
    l2: float


class PlaygroundSession:
    """Everything one browser tab trains and shows. Holds no Streamlit objects."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.history = History(HISTORY_FIELDS, capacity=2048)
        self.run_id = 0
        self.data_version = 0
        self.config_version = 0
        self.divergence: Divergence | None = None
        self.selected: int | None = None
        self._optimum_cache: dict = {}
        self._best: tuple[float, np.ndarray, np.ndarray, int] | None = None
        self._make_data()
        self._new_trainer()

    # --- data and model ------------------------------------------------------------------
    def _make_data(self) -> None:
        s = self.settings
        self.X, self.y = make_gaussian_classes(s.centres, s.n_per_class, s.spread, s.seed)
        self.is_test = split_mask(self.y, s.test_fraction, s.seed)
        self.data_version += 1

    def _train_test(self):
        train = ~self.is_test
        return self.X[train], self.y[train], self.X[self.is_test], self.y[self.is_test]

    def _new_trainer(self) -> None:
        s = self.settings
        Xtr, ytr, Xte, yte = self._train_test()
        self.trainer = Trainer(
            Xtr,
            ytr,
            s.n_classes,
            optimizer=s.optimizer,
            lr=s.lr,
            l2=s.l2,
            batch_size=s.batch_size or None,
            seed=s.seed,
            X_test=Xte,
            y_test=yte,
        )
        self.run_id += 1
        self.history.clear()
        self.divergence = None
        self._best = None

    def _refresh_trainer_data(self) -> None:
        Xtr, ytr, Xte, yte = self._train_test()
        self.trainer.set_data(Xtr, ytr, Xte, yte)

    def apply(self, new: Settings) -> None:
        """Move to ``new`` settings, keeping the weights whenever the shape allows.

        K changes: new data and new weights. Data settings: new points, weights kept.
        lr, l2, optimiser, batch: training continues from the current weights.
        """
        old, self.settings = self.settings, new
        if new == old:
            return
        self.config_version += 1
        if new.n_classes != old.n_classes:
            self.selected = None
            self._make_data()
            self._new_trainer()
            return
        data_keys = ("centres", "n_per_class", "spread", "seed", "test_fraction")
        if any(getattr(new, k) != getattr(old, k) for k in data_keys):
            if new.n_per_class != old.n_per_class or new.seed != old.seed:
                self.selected = None
            self._make_data()
            self._refresh_trainer_data()
        self.trainer.lr = new.lr
        self.trainer.l2 = new.l2
        if (new.optimizer, new.batch_size) != (old.optimizer, old.batch_size):
            self.trainer.set_optimizer(new.optimizer, new.batch_size or None)

    def move_centre(self, k: int, x: float, y: float) -> Settings:
        """Put class k's centre at (x, y) (clamped to the view); returns the new settings."""
        if not (0 <= k < self.settings.n_classes and math.isfinite(x) and math.isfinite(y)):
            return self.settings
        x = float(np.clip(x, -CENTRE_LIMIT, CENTRE_LIMIT))
        y = float(np.clip(y, -CENTRE_LIMIT, CENTRE_LIMIT))
        centres = list(self.settings.centres)
        centres[k] = (round(x, 3), round(y, 3))
        self.apply(self.settings.with_(centres=tuple(centres)))
        return self.settings

    def reset_weights(self) -> None:
        """Fresh small random weights (same seed), step 0, history cleared."""
        self.trainer.reset()
        self.run_id += 1
        self.config_version += 1
        self.history.clear()
        self.divergence = None
        self._best = None

    def restore_best(self) -> bool:
        """Back to the parameters with the lowest training loss seen; False if none."""
        if self._best is None:
            return False
        _, W, b, _ = self._best
        self.trainer.set_params(W, b)
        self.trainer.optimizer.reset()
        self.divergence = None
        self.config_version += 1
        return True

    # --- training ------------------------------------------------------------------------
    def frame(self) -> dict:
        """The current state as one frame (also recorded in the history)."""
        t = self.trainer
        m = t.evaluate()
        with np.errstate(all="ignore"):
            _, dW, db = t.gradients()
        if math.isfinite(m.train_loss) and (self._best is None or m.train_loss < self._best[0]):
            self._best = (m.train_loss, t.W.copy(), t.b.copy(), m.step)
        if len(self.history) == 0 or self.history.column("step")[-1] < m.step:
            self.history.append(m.step, **{f: getattr(m, f) for f in HISTORY_FIELDS})
        return {
            "step": m.step,
            "W": _rounded(t.W),
            "b": _rounded(t.b),
            "dW": _rounded(dW),
            "db": _rounded(db),
            "train_ce": _num(m.train_ce),
            "l2_term": _num(m.l2_term),
            "test_ce": _num(m.test_ce),
            "train_acc": _num(m.train_acc),
            "test_acc": _num(m.test_acc),
            "w_norm": _num(m.w_norm),
        }

    def advance(self, n_frames: int) -> list[dict]:
        """``n_frames`` frames, with ``speed`` optimiser steps after each. Stops early (and
        sets ``divergence``) when a step diverges; the last finite state is kept."""
        frames = []
        if self.divergence is not None:
            return [self.frame()]
        for _ in range(max(1, int(n_frames))):
            frames.append(self.frame())
            try:
                self.trainer.run(self.settings.speed)
            except DivergenceError as err:
                self.divergence = Divergence(err.step, err.reason, self.trainer.lr, self.trainer.l2)
                frames.append(self.frame())
                break
        return frames

    def step_once(self) -> list[dict]:
        """Exactly one optimiser step (the Step button), as two frames: before and after."""
        if self.divergence is not None:
            return [self.frame()]
        before = self.frame()
        try:
            self.trainer.step()
        except DivergenceError as err:
            self.divergence = Divergence(err.step, err.reason, self.trainer.lr, self.trainer.l2)
        return [before, self.frame()]

    # --- things to show ------------------------------------------------------------------
    def optimum(self) -> tuple[np.ndarray, np.ndarray] | str:
        """(W*, b*) of the training data at the current l2, or why there is none."""
        key = (self.data_version, self.settings.l2, self.settings.n_classes)
        if key not in self._optimum_cache:
            Xtr, ytr, _, _ = self._train_test()
            try:
                value = solve_optimum(
                    Xtr, ytr, self.settings.l2, n_classes=self.settings.n_classes, max_iter=60
                )
            except NoOptimumError:
                value = (
                    "No finite optimum: with l2 = 0 these classes are separable, so the "
                    "loss keeps falling as the weights grow. Add some L2."
                )
            self._optimum_cache = {key: value}
        return self._optimum_cache[key]

    def stable_lr(self) -> float:
        """Gradient descent never increases the loss below this learning rate (2 / L)."""
        Xtr, _, _, _ = self._train_test()
        return gd_stable_learning_rate(Xtr, self.settings.l2)

    def point_details(self, index: int) -> dict | None:
        """x, z = W^T x + b, pi = softmax(z), y (one-hot), pi - y and the loss of sample
        ``index`` (in the full data set) at the current parameters."""
        if index is None or not 0 <= index < self.X.shape[0]:
            return None
        t = self.trainer
        x = self.X[index]
        z = x @ t.W + t.b
        pi = softmax(z)
        y = np.zeros(self.settings.n_classes)
        y[self.y[index]] = 1.0
        residual = pi - y
        return {
            "index": int(index),
            "label": int(self.y[index]),
            "is_test": bool(self.is_test[index]),
            "x": x,
            "z": z,
            "pi": pi,
            "y": y,
            "residual": residual,
            "loss": float(np.logaddexp.reduce(z) - z[self.y[index]]),
            "input_gradient": t.W @ residual,
            "W": t.W.copy(),
            "b": t.b.copy(),
        }

    def history_payload(self, max_points: int = 300) -> dict[str, list[float]]:
        data = self.history.as_dict(max_points)
        return {k: [_num(v) for v in vals] for k, vals in data.items()}


def _num(value: float) -> float | None:
    """JSON-safe float: NaN and inf become None."""
    v = float(value)
    return round(v, 6) if math.isfinite(v) else None


def _rounded(arr: np.ndarray) -> list:
    return np.round(np.asarray(arr, dtype=np.float64), 6).tolist()
