"""One user's playground run: data, trainer, history and the frames sent to the browser.

The NumPy core is the single source of truth: every frame carries the parameters W, b and
the full-batch gradient computed here, and the loss, accuracy and norm shown beside them.
The browser only draws (regions, arrows and boundaries are drawn from these W and b).

A frame describes the state *before* the step(s) it is followed by: frame t holds theta_t,
J(theta_t) and dJ/dtheta at theta_t; then ``speed`` optimiser steps move to the next frame.

Real data (Iris, Wine, an uploaded CSV) has D >= 2 features. The model trains on all chosen
(and optionally standardised) features; the view shows the plane x = m + V p (``Plane``),
and each frame carries the model restricted to it: W_eff = V^T W (2, K), b_eff = b + W^T m,
which is exact on the plane. With the Gaussian classes the plane is the whole space (frames
carry W and b themselves), so that mode behaves exactly as before.

Two-dimensional data (the Gaussian classes, circle, xor, spiral) may add fixed features
(``settings.phi``): the model trains on phi(x) = (x1, x2, standardised f_j(x)), D = 2 + m,
with the mean and deviation of the training rows (softmax_core.feature_maps). ``X2`` holds
the points themselves (N, 2), ``X`` = phi(X2) what the model sees, ``fmap`` the map; the
frames carry W (D, K) and the view evaluates phi per pixel with ``fmap.to_json()``.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from softmax_core import (
    DivergenceError,
    FrameState,
    History,
    Trainer,
    make_gaussian_classes,
    split_mask,
)
from softmax_core.curved_data import make_curved
from softmax_core.datasets import Dataset, load_builtin, pca, standardisation
from softmax_core.feature_maps import IDENTITY, FeatureMap, fit_feature_map

from . import frame_pool
from .advice import WINDOW, Oscillation, loss_rises
from .frame_worker import Packed
from .landscape_view import ParamPath
from .race_view import RaceRunner
from .session_views import SessionViews
from .settings import CENTRE_LIMIT, CURVED_SOURCES, PLANAR_SOURCES, Settings
from .timeline import Segment, Timeline

HISTORY_FIELDS = ("train_ce", "l2_term", "test_ce", "train_acc", "test_acc", "w_norm")
VIEW = (-5.0, 5.0)  # the drawn square, in data units
VIEW_PAD = 0.15  # real data: margin around the points, as a fraction of their range


@dataclass(frozen=True)
class Plane:
    """The plotted plane x = m + V p in the model's feature space (D dims).

    V (D, 2) has orthonormal columns (two unit vectors, or the first two principal
    directions); m (D,) is the data mean, with the plotted coordinates zeroed when V picks two
    features. p = V^T (x - m) are a point's plotted coordinates. Restricted to the plane the
    logits are z = (V^T W)^T p + (b + W^T m): ``restrict`` returns that W_eff (2, K), b_eff (K,).
    """

    V: np.ndarray
    m: np.ndarray
    names: tuple[str, str]

    def project(self, X: np.ndarray) -> np.ndarray:
        return (X - self.m) @ self.V

    def restrict(self, W: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.V.T @ W, b + self.m @ W


@dataclass(frozen=True)
class Divergence:
    """Where training stopped: the step whose loss or weights became non-finite."""

    step: int
    reason: str
    lr: float
    l2: float


class PlaygroundSession(SessionViews):
    """Everything one browser tab trains and shows. Holds no Streamlit objects.

    What it shows beside the frames (optimum, stable lr, a point's details, arrows in the
    plane) is read-only and lives in ``SessionViews``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.history = History(HISTORY_FIELDS, capacity=2048)
        self.run_id = 0
        self.data_version = 0
        self.config_version = 0
        self.divergence: Divergence | None = None
        # full-batch gradient descent whose loss keeps rising (see playground.advice)
        self.oscillation: Oscillation | None = None
        self._recent: deque[tuple[int, float | None]] = deque(maxlen=WINDOW + 1)
        self.selected: int | None = None
        self.uploaded: Dataset | None = None
        # points the user drew or removed on 2-D data, replayed on every regeneration:
        # ("add", x, y, k) or ("remove", x, y) (the nearest point at that moment)
        self.edits: list[tuple] = []
        self.lock = threading.Lock()  # export downloads read the state from another thread
        self._optimum_cache: dict = {}
        self._stable_lr_cache: dict = {}
        self._best: tuple[float, np.ndarray, np.ndarray, int] | None = None
        self.param_path = ParamPath()  # theta of each frame of this run (the loss surface)
        self.race = RaceRunner()  # the optimiser race beside this run, if settings.race
        self.settings, self.notices = self.resolve(settings)
        self._make_data()
        self._new_trainer()

    # --- data and model ------------------------------------------------------------------
    @property
    def is_gauss(self) -> bool:
        return self.settings.source == "gauss"

    @property
    def is_planar(self) -> bool:
        """2-D data made here (Gaussian classes, circle, xor, spiral): phi applies."""
        return self.settings.source in PLANAR_SOURCES

    @property
    def is_curved(self) -> bool:
        """circle, xor or spiral: no centres to drag."""
        return self.settings.source in CURVED_SOURCES

    @property
    def n_classes(self) -> int:
        return self.settings.n_classes if self.is_planar else self.dataset.n_classes

    def source_dataset(self, source: str) -> Dataset | None:
        """The table behind ``source`` (None for the Gaussian classes or a missing upload)."""
        if source in ("iris", "wine"):
            return _builtin(source)
        if source == "upload":
            return self.uploaded
        return None

    def resolve(self, s: Settings) -> tuple[Settings, list[str]]:
        """``s`` made consistent with its data: an upload that is missing falls back to the
        Gaussian classes, and trained and plotted columns must exist. Returns notices."""
        notices: list[str] = []
        if s.source == "upload" and self.uploaded is None:
            s = s.with_(source="gauss")
            notices.append("No uploaded file yet: showing the Gaussian classes.")
        if s.source in ("circle", "xor") and s.n_classes != 2:
            s = s.with_(n_classes=2)  # these two have two classes by construction
        data = self.source_dataset(s.source)
        if data is None:  # pca is kept: it is the plane shown when real data comes back
            return s.with_(features=(), plot_x=0, plot_y=1), notices
        if s.phi:
            notices.append(
                "Features φ(x) apply to the 2-D data sets (Gaussian classes, circle, xor, "
                "spiral); this table trains on its own columns."
            )
            s = s.with_(phi=())
        d = data.n_features
        features = tuple(sorted({f for f in s.features if 0 <= f < d})) or tuple(range(d))
        if len(features) < 2:
            notices.append("Train on at least two features: using all of them.")
            features = tuple(range(d))
        if len(features) != len(s.features) and s.features:
            notices.append("Some chosen feature columns do not exist in this data set.")
        px, py = s.plot_x, s.plot_y
        if px not in features or py not in features or px == py:
            if s.plot_x != 0 or s.plot_y != 1:
                notices.append("The plotted columns must be two different trained features.")
            px, py = features[0], features[1]
        return s.with_(features=features, plot_x=px, plot_y=py), notices

    def _make_data(self) -> None:
        s = self.settings
        self.dataset = self.source_dataset(s.source)
        self.fmap: FeatureMap = IDENTITY
        self.X2 = None
        self.is_drawn = None
        if self.dataset is None:
            if self.is_curved:
                X2, self.y = make_curved(s.source, s.n_classes, s.n_per_class, s.noise, s.seed)
            else:
                X2, self.y = make_gaussian_classes(s.centres, s.n_per_class, s.spread, s.seed)
            self.is_test = split_mask(self.y, s.test_fraction, s.seed)
            X2 = self._replay_edits(X2)
            # the extra features are standardised on the training rows only
            self.fmap = fit_feature_map(X2[~self.is_test], s.phi)
            self.X2 = X2
            self.X = self.fmap.transform(X2) if s.phi else X2
            self.raw_mean = self.raw_scale = None
            self.shift = None
            self.plane = None
            self.P = X2
            self.view = (*VIEW, *VIEW)
            self.data_version += 1
            return
        raw = self.dataset.X[:, list(s.features)]
        self.y = self.dataset.y
        self.is_test = split_mask(self.y, s.test_fraction, s.seed)
        if s.standardise:
            # statistics of the training rows only: the test rows stay unseen
            self.raw_mean, self.raw_scale = standardisation(raw[~self.is_test])
            self.X0 = (raw - self.raw_mean) / self.raw_scale
        else:
            self.raw_mean = self.raw_scale = None
            self.X0 = raw.copy()
        self.shift = np.zeros((self.dataset.n_classes, raw.shape[1]))
        self.X = self.X0.copy()
        self._make_plane()

    def _make_plane(self) -> None:
        s = self.settings
        names = [self.dataset.feature_names[f] for f in s.features]
        suffix = " (standardised)" if s.standardise else ""
        if s.pca:
            m, V, _ = pca(self.X0, 2)
            labels = ("PC 1", "PC 2")
        else:
            i, j = s.features.index(s.plot_x), s.features.index(s.plot_y)
            V = np.zeros((self.X0.shape[1], 2))
            V[i, 0] = V[j, 1] = 1.0
            m = self.X0.mean(axis=0)
            m[[i, j]] = 0.0
            labels = (names[i] + suffix, names[j] + suffix)
        self.plane = Plane(V, m, labels)
        self.P = self.plane.project(self.X)
        lo, hi = self.P.min(axis=0), self.P.max(axis=0)
        pad = VIEW_PAD * np.maximum(hi - lo, 1e-6)
        self.view = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
        self.view = tuple(round(float(v), 6) for v in self.view)
        self.data_version += 1

    def _replay_edits(self, X2: np.ndarray) -> np.ndarray:
        """Apply the drawn points (training points) and removals to X2, y, is_test."""
        k_total = self.n_classes
        self.is_drawn = np.zeros(self.y.size, dtype=bool)
        for edit in self.edits:
            if edit[0] == "add" and edit[3] < k_total:
                X2 = np.vstack([X2, [edit[1:3]]])
                self.y = np.append(self.y, edit[3])
                self.is_test = np.append(self.is_test, False)
                self.is_drawn = np.append(self.is_drawn, True)
            elif edit[0] == "remove" and len(self.y) > 1:
                i = int(np.argmin(((X2 - np.array(edit[1:3])) ** 2).sum(axis=1)))
                keep = np.arange(len(self.y)) != i
                if np.unique(self.y[keep & ~self.is_test]).size < np.unique(self.y).size:
                    continue  # keep at least one training point of every class present
                X2, self.y, self.is_test = X2[keep], self.y[keep], self.is_test[keep]
                self.is_drawn = self.is_drawn[keep]
        return X2

    def edit_points(self, kind: str, x: float, y: float, k: int | None = None) -> bool:
        """Add a training point of class k at (x, y), or remove the point nearest to it
        (2-D data only; the view's "Add points" mode). The weights are kept."""
        if not self.is_planar or not (math.isfinite(x) and math.isfinite(y)):
            return False
        x = float(np.clip(x, *VIEW))
        y = float(np.clip(y, *VIEW))
        edit = ("add", round(x, 4), round(y, 4), int(k)) if kind == "add" else ("remove", x, y)
        with self.lock:
            self.edits.append(edit)
            self.selected = None
            self._make_data()
            self._refresh_trainer_data()
            self.config_version += 1
            self._record(new_data=True, new_batches=True)
        return True

    @property
    def drawn_points(self) -> list[tuple]:
        """The drawn points still there, (x, y, k) each (not in a link; in the data CSV)."""
        if getattr(self, "is_drawn", None) is None or self.X2 is None:
            return []
        rows = np.flatnonzero(self.is_drawn)
        return [(*map(float, self.X2[i]), int(self.y[i])) for i in rows]

    @property
    def n_drawn(self) -> int:
        return len(self.drawn_points)

    def centres_2d(self) -> list[list[float]]:
        """The draggable handles: the settings' centres, or each class's mean in the plane;
        none for circle, xor and spiral (their classes have no centre to move)."""
        if self.is_curved:
            return []
        if self.is_gauss:
            return [list(c) for c in self.settings.centres]
        means = [self.P[self.y == k].mean(axis=0) for k in range(self.n_classes)]
        return [[round(float(v), 6) for v in c] for c in means]

    def _train_test(self):
        train = ~self.is_test
        return self.X[train], self.y[train], self.X[self.is_test], self.y[self.is_test]

    def build_trainer(self, trainer_class: type = Trainer) -> Trainer:
        """A fresh ``trainer_class`` for this session's settings and train/test split (the
        frame benchmark passes an older engine's Trainer to compare the two)."""
        s = self.settings
        Xtr, ytr, Xte, yte = self._train_test()
        return trainer_class(
            Xtr,
            ytr,
            self.n_classes,
            optimizer=s.optimizer,
            lr=s.lr,
            l2=s.l2,
            batch_size=s.batch_size or None,
            seed=s.seed,
            X_test=Xte,
            y_test=yte,
        )

    def _new_trainer(self) -> None:
        self.trainer = self.build_trainer()
        self.run_id += 1
        self.history.clear()
        self._clear_warnings()
        self._best = None
        self._start_timeline()

    # --- the timeline the exports replay (playground.timeline) ---------------------------
    def _data_description(self) -> dict:
        """What rebuilds the current rows: ``kind`` "gauss" (centres, n_per_class, spread:
        regenerated), "points" (circle, xor, spiral or drawn points: the rows themselves, as
        arrays) or "table" (the split's standardisation and each class's drag); with
        phi_mean and phi_scale when a feature map is on (fitted to these training rows)."""
        s = self.settings
        d: dict = {"seed": int(s.seed), "test_fraction": float(s.test_fraction)}
        if self.dataset is not None:
            d["kind"] = "table"
            d["mean"] = None if self.raw_mean is None else self.raw_mean.tolist()
            d["scale"] = None if self.raw_scale is None else self.raw_scale.tolist()
            d["shift"] = self.shift.tolist()
            return d
        if self.is_gauss and not self.edits:
            d["kind"] = "gauss"
            d["centres"] = [list(map(float, c)) for c in s.centres]
            d["n_per_class"] = int(s.n_per_class)
            d["spread"] = float(s.spread)
        else:
            d["kind"] = "points"
            d["X"], d["y"], d["is_test"] = self.X2.copy(), self.y.copy(), self.is_test.copy()
        if self.fmap.tokens:
            d["phi_mean"] = self.fmap.mean.tolist()
            d["phi_scale"] = self.fmap.scale.tolist()
        return d

    def _segment(self, **flags) -> Segment:
        t = self.trainer
        return Segment(
            t.step_count,
            float(t.lr),
            float(t.l2),
            t.optimizer.name,
            t.batch_size,
            self._data_description(),
            **flags,
        )

    def _start_timeline(self) -> None:
        self.timeline = Timeline(
            self.trainer.seed,
            [self._segment(new_data=True, fresh_optimizer=True, new_batches=True)],
        )

    def _record(self, **flags) -> None:
        self.timeline.record(self._segment(**flags))

    def _clear_warnings(self) -> None:
        self.divergence = None
        self.oscillation = None
        self._recent.clear()

    def _refresh_trainer_data(self) -> None:
        Xtr, ytr, Xte, yte = self._train_test()
        self.trainer.set_data(Xtr, ytr, Xte, yte)

    def set_upload(self, data: Dataset) -> None:
        """Keep ``data`` as the uploaded table (used when the source is, or becomes, upload)."""
        self.uploaded = data
        if self.settings.source == "upload":
            self.settings = self.settings.with_(source="gauss")  # force a rebuild below
            self.apply(self.settings.with_(source="upload", features=(), plot_x=0, plot_y=1))

    def apply(self, new: Settings) -> list[str]:
        """Move to ``new`` settings, keeping the weights whenever the shape allows; returns
        notices when ``new`` had to be adjusted to its data (see ``resolve``).

        Gaussian K or the data source, trained columns or standardisation change: new data and
        new weights. Data settings: new points, weights kept. The plotted plane: new view only.
        lr, l2, optimiser, batch: training continues from the current weights.
        """
        new, notices = self.resolve(new)
        old, self.settings = self.settings, new
        if new == old:
            return notices
        with self.lock:
            self._apply(old, new)
        return notices

    def _apply(self, old: Settings, new: Settings) -> None:
        self.config_version += 1
        self.oscillation = None  # judged again under the new settings
        self._recent.clear()
        space = ("source", "features", "standardise", "phi")
        if any(getattr(new, k) != getattr(old, k) for k in space) or (
            self.is_planar and new.n_classes != old.n_classes
        ):
            self.selected = None
            if new.source != old.source or new.n_classes != old.n_classes:
                self.edits = []  # drawn points belong to the data they were drawn on
            self._make_data()
            self._new_trainer()
            return
        data_keys = ("seed", "test_fraction")
        if self.is_gauss:
            data_keys += ("centres", "n_per_class", "spread")
        elif self.is_curved:
            data_keys += ("n_per_class", "noise")
        new_data = any(getattr(new, k) != getattr(old, k) for k in data_keys)
        if new_data:
            if new.n_per_class != old.n_per_class or new.seed != old.seed:
                self.selected = None
            shift = self.shift
            self._make_data()
            if shift is not None:  # real data: a new split keeps the classes' drags
                self.shift = shift
                self._shift_classes()
            self._refresh_trainer_data()
        elif self.dataset is not None and (new.pca, new.plot_x, new.plot_y) != (
            old.pca,
            old.plot_x,
            old.plot_y,
        ):
            self._make_plane()
        self.trainer.lr = new.lr
        self.trainer.l2 = new.l2
        fresh = (new.optimizer, new.batch_size) != (old.optimizer, old.batch_size)
        if fresh:
            self.trainer.set_optimizer(new.optimizer, new.batch_size or None)
        self._record(new_data=new_data, fresh_optimizer=fresh, new_batches=new_data or fresh)

    def _shift_classes(self) -> None:
        """X = X0 + (class k's drag) for every row; the plane and view stay put."""
        self.X = self.X0 + self.shift[self.y]
        self.P = self.plane.project(self.X)
        self.data_version += 1

    def move_centre(self, k: int, x: float, y: float) -> Settings:
        """Put class k's centre at (x, y) (clamped to the view); returns the new settings.

        Gaussian classes: the centre is a setting, the class is regenerated around it. Real
        data: the class is translated by V d in feature space, d = (x, y) - its mean in the
        plane, so in the plane every point of the class moves by exactly d.
        """
        if self.is_curved or not (
            0 <= k < self.n_classes and math.isfinite(x) and math.isfinite(y)
        ):
            return self.settings
        if self.is_gauss:
            x = float(np.clip(x, -CENTRE_LIMIT, CENTRE_LIMIT))
            y = float(np.clip(y, -CENTRE_LIMIT, CENTRE_LIMIT))
            centres = list(self.settings.centres)
            centres[k] = (round(x, 3), round(y, 3))
            self.apply(self.settings.with_(centres=tuple(centres)))
            return self.settings
        x0, x1, y0, y1 = self.centre_box()
        target = np.array([np.clip(x, x0, x1), np.clip(y, y0, y1)])
        d = target - np.array(self.centres_2d()[k])
        with self.lock:
            self.shift[k] += self.plane.V @ d
            self._shift_classes()
            self._refresh_trainer_data()
            self.config_version += 1
            self._record(new_data=True, new_batches=True)
        return self.settings

    def centre_box(self) -> tuple[float, float, float, float]:
        """Where a handle may go: the Gaussian limit, or the view less a small margin."""
        if self.is_gauss:
            return (-CENTRE_LIMIT, CENTRE_LIMIT, -CENTRE_LIMIT, CENTRE_LIMIT)
        x0, x1, y0, y1 = self.view
        mx, my = 0.05 * (x1 - x0), 0.05 * (y1 - y0)
        return (x0 + mx, x1 - mx, y0 + my, y1 - my)

    def reset_weights(self) -> None:
        """Fresh small random weights (same seed), step 0, history cleared."""
        with self.lock:
            self.trainer.reset()
            self.run_id += 1
            self.config_version += 1
            self.history.clear()
            self._clear_warnings()
            self._best = None
            self._start_timeline()

    def restore_best(self) -> bool:
        """Back to the parameters with the lowest training loss seen; False if none."""
        if self._best is None:
            return False
        _, W, b, _ = self._best
        self.trainer.set_params(W, b)
        self.trainer.optimizer.reset()
        self._record(fresh_optimizer=True, restore=(W.tolist(), b.tolist()))
        self._clear_warnings()
        self.config_version += 1
        return True

    # --- training ------------------------------------------------------------------------
    def frame(self) -> dict:
        """The current state as one frame (also recorded in the history)."""
        t = self.trainer
        m, dW, db = t.evaluate_with_gradients()
        return self._frame_of(FrameState(m, t.W, t.b, dW, db))

    def _frame_of(self, state: FrameState, rounded: list | None = None, race: bool = True) -> dict:
        """A state of the trainer (``FrameState``) as a frame of the view; records it (the
        history, the best weights, the path on the loss surface). ``rounded``: its W, b, dW,
        db already rounded to lists (``_frames_of``); ``race`` False: no race runs beside."""
        m, W, b, dW, db = state
        if math.isfinite(m.train_loss) and (self._best is None or m.train_loss < self._best[0]):
            self._best = (m.train_loss, W.copy(), b.copy(), m.step)
        last = self.history.last_step
        if last is None or last < m.step:
            self.history.append(m.step, **{f: getattr(m, f) for f in HISTORY_FIELDS})
            loss = m.train_ce + m.l2_term
            self._recent.append((m.step, loss if math.isfinite(loss) else None))
        self.param_path.record(self.run_id, m.step, W, b)
        if rounded is None:
            if self.plane is not None:
                W, b = self.plane.restrict(W, b)
                dW, db = self.plane.restrict(dW, db)
            rounded = _rounded(W, b, dW, db)
        W, b, dW, db = rounded
        return {
            "step": m.step,
            "W": W,
            "b": b,
            "dW": dW,
            "db": db,
            "train_ce": _num(m.train_ce),
            "l2_term": _num(m.l2_term),
            "test_ce": _num(m.test_ce),
            "train_acc": _num(m.train_acc),
            "test_acc": _num(m.test_acc),
            "w_norm": _num(m.w_norm),
            "race": self.race.frame_part(self) if race else None,
        }

    def _frames_of(self, packed: Packed) -> list[dict]:
        """The frames of a frame worker's states, stacked (``frame_worker.Packed``): W, b,
        dW and db of all of them rounded in one call each (what ``_rounded`` does per frame,
        the same numbers). No race runs beside (``_advance`` asks workers only then)."""
        states = packed.states()
        if self.plane is not None:  # the plane's part of each, as frame() does
            return [self._frame_of(state, race=False) for state in states]
        lists = [
            np.round(a.astype(np.float64, copy=False), 6).tolist()
            for a in (packed.W, packed.b, packed.dW, packed.db)
        ]
        return [
            self._frame_of(state, rounded=[part[i] for part in lists], race=False)
            for i, state in enumerate(states)
        ]

    def advance(self, n_frames: int) -> list[dict]:
        """``n_frames`` frames, with ``speed`` optimiser steps after each. Stops early (and
        sets ``divergence``) when a step diverges; the last finite state is kept."""
        with self.lock:
            return self._advance(n_frames)

    def _advance(self, n_frames: int) -> list[dict]:
        frames = []
        if self.divergence is not None:
            return [self.frame()]
        n_frames = max(1, int(n_frames))
        # Without a race beside it the run's frames are one Trainer.run_frames: a frame
        # worker computes them in its own process, outside this server's GIL (frame_pool).
        computed = None
        if n_frames >= frame_pool.MIN_FRAMES and self.race.sync(self) is None:
            computed = frame_pool.run_frames(self.trainer, n_frames, self.settings.speed)
        if computed is not None:
            packed, err = computed
            frames = self._frames_of(packed)
            if err is not None:
                self.divergence = Divergence(err.step, err.reason, self.trainer.lr, self.trainer.l2)
            self._watch_the_loss()
            return frames
        for _ in range(n_frames):
            frames.append(self.frame())
            try:
                self.trainer.run(self.settings.speed)
            except DivergenceError as err:
                self.divergence = Divergence(err.step, err.reason, self.trainer.lr, self.trainer.l2)
                frames.append(self.frame())
                break
            finally:
                self.race.advance(self, self.settings.speed)  # lockstep with the frames
        self._watch_the_loss()
        return frames

    def _watch_the_loss(self) -> None:
        """Full-batch gradient descent whose loss rose again and again: remember where."""
        if self.oscillation is None and self.settings.optimizer == "gd" and self.divergence is None:
            steps, losses = zip(*self._recent, strict=True) if self._recent else ((), ())
            self.oscillation = loss_rises(steps, losses)

    def step_once(self) -> list[dict]:
        """Exactly one optimiser step (the Step button), as two frames: before and after."""
        if self.divergence is not None:
            return [self.frame()]
        with self.lock:
            before = self.frame()
            self.race.advance(self, 1)
            try:
                self.trainer.step()
            except DivergenceError as err:
                self.divergence = Divergence(err.step, err.reason, self.trainer.lr, self.trainer.l2)
            after = self.frame()
            self._watch_the_loss()
            return [before, after]

    def history_payload(self, max_points: int = 300) -> dict[str, list[float]]:
        data = self.history.as_dict(max_points)
        return {k: [_num(v) for v in vals] for k, vals in data.items()}


def _num(value: float) -> float | None:
    """JSON-safe float: NaN and inf become None."""
    v = float(value)
    return round(v, 6) if math.isfinite(v) else None


def _rounded(*arrays: np.ndarray) -> list[list]:
    """Each array rounded to 6 decimals as (nested) lists: one np.round for all of them
    (the per-call overhead, not the few numbers, is the cost of a frame's rounding)."""
    flat = np.concatenate([np.ravel(a) for a in arrays]).astype(np.float64, copy=False)
    values = np.round(flat, 6).tolist()
    out, start = [], 0
    for a in arrays:
        n = np.size(a)
        part = values[start : start + n]
        start += n
        if np.ndim(a) == 2:
            cols = np.shape(a)[1]
            part = [part[i : i + cols] for i in range(0, n, cols)]
        out.append(part)
    return out


@lru_cache(maxsize=4)
def _builtin(name: str) -> Dataset:
    """The bundled table, read once per process (it is only ever read, never mutated)."""
    return load_builtin(name)
