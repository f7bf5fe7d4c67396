"""The optimiser race beside a playground run (issue 18, item 3), for the view.

``settings.race`` names two to four lanes (``settings.race_lanes``): optimisers at the current
learning rate, or learning rates of the current optimiser. They train on the session's
training data from the same start W0 (the trainer's seed; b0 = 0), in lockstep with the
playground's own frames: every frame, each lane takes ``speed`` steps (``softmax_core.race``).
A lane arrives at the first step whose objective J is within TOL of J(theta*), the optimum at
the current L2; the first lane to arrive wins (fewest steps). The race starts over whenever
what it compares changes (the data, the lanes, L2, the batch, the seed, or a new run).

Each frame carries every lane's model as the view draws it (restricted to the plotted plane,
like the playground's own) and its objective; each message carries the race's standing.
"""

from __future__ import annotations

import math

import numpy as np

from softmax_core import loss_and_gradients
from softmax_core.race import LaneSpec, Race

from .settings import race_lanes

TOL = 1e-3
MAX_HISTORY = 300


def _num(v: float) -> float | None:
    return round(float(v), 6) if math.isfinite(v) else None


class RaceRunner:
    """Holds the session's race (or none) and keeps it in step with the session."""

    def __init__(self) -> None:
        self.race: Race | None = None
        self.key: tuple | None = None
        self.target: float | None = None

    def sync(self, session) -> Race | None:
        """The race for the session's current settings: rebuilt when what it compares changed."""
        s = session.settings
        lanes = race_lanes(s)
        key = (
            session.run_id,
            session.data_version,
            s.race,
            s.lr,
            s.optimizer,
            s.l2,
            s.batch_size,
            s.seed,
        )
        if not lanes:
            self.race, self.key = None, key
            return None
        if key != self.key or self.race is None:
            Xtr, ytr, _, _ = session._train_test()
            value = session.optimum()
            self.target = None
            if not isinstance(value, str):
                W, b = value
                self.target = float(loss_and_gradients(W, b, Xtr, ytr, s.l2)[0])
            self.race = Race(
                Xtr,
                ytr,
                session.n_classes,
                [LaneSpec(opt, lr) for opt, lr in lanes],
                l2=s.l2,
                seed=s.seed,
                batch_size=s.batch_size or None,
                target=self.target,
                tol=TOL,
            )
            self.key = key
        return self.race

    def advance(self, session, n_steps: int) -> None:
        race = self.sync(session)
        if race is not None:
            race.step(n_steps)

    def frame_part(self, session) -> dict | None:
        """{"step", "lanes": [{"W", "b", "loss"}]} for one frame, or None without a race."""
        race = self.sync(session)
        if race is None:
            return None
        lanes = []
        for lane in race.lanes:
            W, b = lane.trainer.W, lane.trainer.b
            if session.plane is not None:
                W, b = session.plane.restrict(W, b)
            lanes.append(
                {
                    "W": np.round(W, 6).tolist(),
                    "b": np.round(b, 6).tolist(),
                    "loss": _num(lane.losses[-1]),
                }
            )
        return {"step": race.step_count, "lanes": lanes}

    def standing(self, session, include_history: bool) -> dict | None:
        """The race's labels, target, who arrived or diverged when, the winner; with
        ``include_history`` each lane's objective per step (at most MAX_HISTORY points)."""
        race = self.sync(session)
        if race is None:
            return None
        winner = race.winner()
        out = {
            "labels": [lane.spec.label for lane in race.lanes],
            "target": _num(self.target) if self.target is not None else None,
            "tol": TOL,
            "step": race.step_count,
            "arrived": [lane.arrived_at for lane in race.lanes],
            "diverged": [lane.diverged_at for lane in race.lanes],
            "winner": race.lanes.index(winner) if winner is not None else None,
            "text": standing_text(race, self.target),
            # what the view says until it has played to the winner's step ("Step s: " first)
            "waiting": waiting_text(self.target) if self.target is not None else None,
        }
        if include_history:
            n = len(race.lanes[0].losses)
            idx = np.unique(np.linspace(0, n - 1, min(n, MAX_HISTORY)).round().astype(int))
            out["history"] = {
                "step": idx.tolist(),
                "loss": [
                    [_num(lane.losses[i]) for i in idx if i < len(lane.losses)]
                    for lane in race.lanes
                ],
            }
        return out


def standing_text(race: Race, target: float | None) -> str:
    """One sentence: who won and at which step, or who is closest, or why there is no target."""
    if target is None:
        return (
            "No finite optimum here (L2 = 0 on separable classes), so no finish line: compare "
            "how fast the losses fall."
        )
    winner = race.winner()
    if winner is not None:
        return (
            f"{winner.spec.label} came within {TOL:g} of the optimum's loss "
            f"J(θ*) = {target:.4f} first, at step {winner.arrived_at}."
        )
    gaps = [
        (lane.losses[-1] - target, lane.spec.label)
        for lane in race.lanes
        if lane.diverged_at is None and math.isfinite(lane.losses[-1])
    ]
    if not gaps:
        return "Every lane diverged."
    gap, label = min(gaps)
    return f"Step {race.step_count}: {waiting_text(target)}; {label} is closest ({gap:.2g} above)."


def waiting_text(target: float) -> str:
    """No lane has reached the finish line J(theta*) within TOL yet (no full stop)."""
    return f"no lane within {TOL:g} of J(θ*) = {target:.4f} yet"
