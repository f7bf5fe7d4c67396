"""Build a challenges ``Snapshot`` from a ``PlaygroundSession`` (no Streamlit here).

The expensive parts are cached in a plain dict that the caller keeps (in the session state):
the gradient-descent reference run (a few hundred steps, about 0.1 s, once per data, lr and
l2) and the L2 table (one ``solve_optimum`` per L2 choice on 30 points, only at 10 points per
class). Everything else is one pass over the training points.

The live playground checks its challenges on every run of its fragment (about one a second per
playing tab, 40 a second on a loaded replica), so the snapshot is lazy (``LazySnapshot``): a
field is computed when a detector first reads it, and the detectors read their cheap
conditions (the optimiser, the settings) first. A student playing gradient descent costs a copy
of the loss history per run, not an evaluation, a residual pass and the optimum J* after every
drag (measured at 40 students: the eager snapshot was 8.6 % of the server's GIL time).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from softmax_core import Metrics, NoOptimumError, Trainer, solve_optimum

from .challenges import OPTIMUM_TOL, Snapshot
from .session import PlaygroundSession
from .settings import L2_CHOICES

GD_REFERENCE_CAP = 5000  # steps; beyond this gradient descent "never" gets there


def track_optimizers(memory: dict, session: PlaygroundSession) -> frozenset[str]:
    """Every optimiser used in the current run (``memory`` is kept between calls)."""
    key = session.run_id
    if memory.get("run_id") != key or session.trainer.step_count == 0:
        memory["run_id"] = key
        memory["optimizers"] = set()
    memory["optimizers"].add(session.settings.optimizer)
    return frozenset(memory["optimizers"])


def _optimum_loss(session: PlaygroundSession) -> float | None:
    value = session.optimum()
    if isinstance(value, str):
        return None
    W, b = value
    Xtr, ytr, _, _ = session._train_test()
    z = Xtr @ W + b
    ce = float(np.mean(np.logaddexp.reduce(z, axis=1) - z[np.arange(ytr.size), ytr]))
    return ce + 0.5 * session.settings.l2 * float(np.vdot(W, W))


def gd_reference_steps(session: PlaygroundSession, target: float) -> int:
    """Steps plain gradient descent takes from the run's initial weights (same data, lr and
    l2) until its training loss is at or below ``target``; ``GD_REFERENCE_CAP`` if never."""
    Xtr, ytr, _, _ = session._train_test()
    s = session.settings
    trainer = Trainer(Xtr, ytr, session.n_classes, optimizer="gd", lr=s.lr, l2=s.l2, seed=s.seed)
    for _ in range(GD_REFERENCE_CAP):
        if trainer.evaluate().train_loss <= target:
            return trainer.step_count
        trainer.step()
    return GD_REFERENCE_CAP


def l2_table(session: PlaygroundSession) -> tuple[tuple[float, float | None], ...]:
    """Test accuracy at the optimum for every L2 choice (None where there is none)."""
    Xtr, ytr, Xte, yte = session._train_test()
    rows = []
    for l2 in L2_CHOICES:
        try:
            W, b = solve_optimum(Xtr, ytr, l2, n_classes=session.n_classes, max_iter=60)
        except NoOptimumError:
            rows.append((l2, None))
            continue
        acc = float(np.mean(np.argmax(Xte @ W + b, axis=1) == yte)) if yte.size else None
        rows.append((l2, acc))
    return tuple(rows)


def max_residual(session: PlaygroundSession) -> float:
    """The largest ||pi_i - y_i|| over the training points at the current weights."""
    Xtr, ytr, _, _ = session._train_test()
    t = session.trainer
    with np.errstate(all="ignore"):
        z = Xtr @ t.W + t.b
        z -= z.max(axis=1, keepdims=True)
        pi = np.exp(z)
        pi /= pi.sum(axis=1, keepdims=True)
    pi[np.arange(ytr.size), ytr] -= 1.0
    norms = np.linalg.norm(pi, axis=1)
    return float(norms.max()) if norms.size and np.all(np.isfinite(norms)) else 0.0


class LazySnapshot:
    """A ``Snapshot`` whose fields are computed on first read: ``fields`` maps a field's
    name to a function of nothing that computes it; the other fields are ``base``'s."""

    def __init__(self, base: Snapshot, **fields) -> None:
        self._base, self._fields, self._values = base, fields, {}

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._fields:
            if name not in self._values:
                self._values[name] = self._fields[name]()
            return self._values[name]
        return getattr(self._base, name)


def playground_snapshot(session: PlaygroundSession, cache: dict) -> LazySnapshot:
    """The snapshot of the playground's live state; ``cache`` persists between calls. The
    optimisers of the run are noted now (every call); the rest is computed when read."""
    s = session.settings
    optimizers = track_optimizers(cache.setdefault("optimizers", {}), session)
    data_key = (session.data_version, s.l2, session.n_classes)

    @functools.cache
    def history() -> tuple[np.ndarray, np.ndarray]:
        with session.lock:
            h = session.history.as_dict()
        return h["step"], h["train_ce"] + h["l2_term"]

    @functools.cache
    def evaluated() -> Metrics:
        with session.lock:
            return session.trainer.evaluate()

    def residual() -> float:
        with session.lock:
            return max_residual(session)

    def optimum() -> float | None:
        if cache.get("optimum_key") != data_key:
            cache["optimum_key"] = data_key
            cache["optimum_loss"] = _optimum_loss(session)
        return cache["optimum_loss"]

    def gd_steps() -> int | None:
        target = optimum() if s.optimizer == "momentum" else None
        if target is None:
            return None
        ref_key = (*data_key, s.lr, s.seed)
        if cache.get("gd_key") != ref_key:
            cache["gd_key"] = ref_key
            cache["gd_steps"] = gd_reference_steps(session, target + OPTIMUM_TOL)
        return cache["gd_steps"]

    def table():
        if not (session.is_gauss and s.n_per_class == 10):
            return None
        table_key = (session.data_version, session.n_classes)
        if cache.get("l2_key") != table_key:
            cache["l2_key"] = table_key
            cache["l2_table"] = l2_table(session)
        return cache["l2_table"]

    def stable() -> float | None:
        value = session.stable_lr()
        return value if math.isfinite(value) else None

    def test_acc() -> float | None:
        value = evaluated().test_acc
        return value if math.isfinite(value) else None

    base = Snapshot(
        settings=s, diverged=session.divergence is not None, optimizers_this_run=optimizers
    )
    return LazySnapshot(
        base,
        steps=lambda: history()[0],
        losses=lambda: history()[1],
        stable_lr=stable,
        train_acc=lambda: evaluated().train_acc,
        test_acc=test_acc,
        max_residual=residual,
        optimum_loss=optimum,
        gd_steps_to_optimum=gd_steps,
        l2_optimum_test_acc=table,
    )


def theory_snapshot(state) -> Snapshot:
    """The Softmax and Logistic pages' inputs from a session-state mapping (absent: None)."""
    logits = temperature = pair = None
    try:
        if "softmax_k" in state and "softmax_temperature" in state:
            k = int(state["softmax_k"])
            logits = tuple(float(state[f"softmax_z{i}"]) for i in range(k))
            temperature = float(state["softmax_temperature"])
        if "logit_z1" in state and "logit_z2" in state:
            pair = (float(state["logit_z1"]), float(state["logit_z2"]))
    except (KeyError, TypeError, ValueError):
        pass
    return Snapshot(softmax_logits=logits, softmax_temperature=temperature, logistic_z=pair)
