"""An optimiser race: two to four training runs from the same weights, stepped in lockstep.

Every lane is a :class:`~softmax_core.trainer.Trainer` on the same data with the same seed,
so all start from the same W0 (drawn from the stream (seed, 0)) and b0 = 0; they differ only
in the optimiser and the learning rate. A lane "arrives" at the first step whose full-batch
objective is within ``tol`` of the optimum's objective J(theta*) (Goh, "Why Momentum Really
Works", Distill 2017, makes this comparison on a quadratic; here it is the softmax loss).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .trainer import DivergenceError, Trainer


@dataclass(frozen=True)
class LaneSpec:
    optimizer: str  # "gd", "sgd", "momentum", "adam"
    lr: float

    @property
    def label(self) -> str:
        return f"{self.optimizer} lr={self.lr:g}"


@dataclass
class Lane:
    spec: LaneSpec
    trainer: Trainer
    losses: list[float] = field(default_factory=list)  # objective before each step, then now
    arrived_at: int | None = None
    diverged_at: int | None = None


class Race:
    """Lanes that share data, L2, seed and start; ``step(n)`` advances every lane n steps."""

    def __init__(
        self,
        X,
        y,
        n_classes: int,
        specs: list[LaneSpec],
        *,
        l2: float,
        seed: int = 0,
        batch_size: int | None = None,
        target: float | None = None,
        tol: float = 1e-3,
    ) -> None:
        if not 2 <= len(specs) <= 4:
            raise ValueError(f"a race has 2 to 4 lanes; got {len(specs)}")
        self.target, self.tol = target, tol
        self.lanes = [
            Lane(
                spec,
                Trainer(
                    X,
                    y,
                    n_classes,
                    optimizer=spec.optimizer,
                    lr=spec.lr,
                    l2=l2,
                    batch_size=batch_size,
                    seed=seed,
                ),
            )
            for spec in specs
        ]
        for lane in self.lanes:
            self._record(lane)

    @property
    def step_count(self) -> int:
        return self.lanes[0].trainer.step_count

    def _record(self, lane: Lane) -> None:
        m = lane.trainer.evaluate()
        lane.losses.append(m.train_loss)
        if (
            lane.arrived_at is None
            and self.target is not None
            and m.train_loss - self.target <= self.tol
        ):
            lane.arrived_at = m.step

    def step(self, n_steps: int = 1) -> None:
        """Advance every lane that has not diverged by ``n_steps`` (lockstep)."""
        for _ in range(n_steps):
            for lane in self.lanes:
                if lane.diverged_at is not None:
                    continue
                try:
                    lane.trainer.step()
                except DivergenceError as err:
                    lane.diverged_at = err.step
                    continue
                self._record(lane)

    def winner(self) -> Lane | None:
        """The lane that arrived first (fewest steps; ties go to the earlier lane), if any."""
        arrived = [lane for lane in self.lanes if lane.arrived_at is not None]
        return min(arrived, key=lambda lane: lane.arrived_at) if arrived else None

    def params(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(lane.trainer.W.copy(), lane.trainer.b.copy()) for lane in self.lanes]
