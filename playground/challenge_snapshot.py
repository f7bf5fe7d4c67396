"""Build a challenges ``Snapshot`` from a ``PlaygroundSession`` (no Streamlit here).

The expensive parts are cached in a plain dict that the caller keeps (in the session state):
the gradient-descent reference run (a few hundred steps, about 0.1 s, once per data, lr and
l2) and the L2 table (one ``solve_optimum`` per L2 choice on 30 points, only at 10 points per
class). Everything else is one pass over the training points.
"""

from __future__ import annotations

import math

import numpy as np

from softmax_core import NoOptimumError, Trainer, solve_optimum

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


def playground_snapshot(session: PlaygroundSession, cache: dict) -> Snapshot:
    """The snapshot of the playground's live state; ``cache`` persists between calls."""
    s = session.settings
    with session.lock:
        h = session.history.as_dict()
        steps = h["step"]
        losses = h["train_ce"] + h["l2_term"]
        m = session.trainer.evaluate()
        residual = max_residual(session)
    optimizers = track_optimizers(cache.setdefault("optimizers", {}), session)
    data_key = (session.data_version, s.l2, session.n_classes)
    if cache.get("optimum_key") != data_key:
        cache["optimum_key"] = data_key
        cache["optimum_loss"] = _optimum_loss(session)
    optimum = cache["optimum_loss"]
    gd_steps = None
    if s.optimizer == "momentum" and optimum is not None:
        ref_key = (*data_key, s.lr, s.seed)
        if cache.get("gd_key") != ref_key:
            cache["gd_key"] = ref_key
            cache["gd_steps"] = gd_reference_steps(session, optimum + OPTIMUM_TOL)
        gd_steps = cache["gd_steps"]
    table = None
    if session.is_gauss and s.n_per_class == 10:
        table_key = (session.data_version, session.n_classes)
        if cache.get("l2_key") != table_key:
            cache["l2_key"] = table_key
            cache["l2_table"] = l2_table(session)
        table = cache["l2_table"]
    stable = session.stable_lr()
    return Snapshot(
        settings=s,
        steps=steps,
        losses=losses,
        diverged=session.divergence is not None,
        stable_lr=stable if math.isfinite(stable) else None,
        train_acc=m.train_acc,
        test_acc=m.test_acc if math.isfinite(m.test_acc) else None,
        max_residual=residual,
        optimum_loss=optimum,
        gd_steps_to_optimum=gd_steps,
        optimizers_this_run=optimizers,
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
