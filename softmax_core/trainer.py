"""A training run that can be stepped, paused, retargeted and inspected: what the app animates.

The trainer owns the parameters W (D, K) and b (K,), an optimiser with its state, the
mini-batch sampler and the data. Changing the learning rate, l2, the optimiser or the data
keeps the parameters (training continues from where it is). Divergence is detected, not hidden:
a step whose loss or gradient or new parameters are not finite raises ``DivergenceError``, and
the trainer keeps the last finite parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .engine import Workspace
from .optimizers import MiniBatches, make_optimizer
from .validation import (
    check_features,
    check_labels,
    check_n_classes,
    check_non_negative,
    check_positive,
)


class DivergenceError(ArithmeticError):
    """A step produced a non-finite loss, gradient or parameter; the trainer kept the last
    finite parameters. ``step`` is the index of the step that failed."""

    def __init__(self, step: int, reason: str) -> None:
        super().__init__(f"training diverged at step {step}: {reason}")
        self.step = step
        self.reason = reason


@dataclass(frozen=True)
class Metrics:
    """Numbers of one state of the model: mean cross-entropy apart from the L2 term."""

    step: int
    train_ce: float
    l2_term: float
    train_acc: float
    test_ce: float
    test_acc: float
    w_norm: float

    @property
    def train_loss(self) -> float:
        return self.train_ce + self.l2_term


class FrameState(NamedTuple):
    """One state of a run as an animation shows it: its metrics, W (D, K) and b (K,)
    (copies), and the full-batch gradient dW (D, K), db (K,) of the regularised loss there."""

    metrics: Metrics
    W: np.ndarray
    b: np.ndarray
    dW: np.ndarray
    db: np.ndarray


class Trainer:
    """Softmax regression trained by ``optimizer`` ("gd", "sgd", "momentum", "adam").

    X: (N, D) training inputs, y: (N,) labels in [0, K). ``batch_size`` None means the full
    batch ("gd" always uses it). ``seed`` drives the initial weights and the batch order.
    Initial W is N(0, init_scale^2) per entry, b = 0.
    """

    def __init__(
        self,
        X,
        y,
        n_classes: int,
        *,
        optimizer: str = "gd",
        lr: float = 0.1,
        l2: float = 0.0,
        batch_size: int | None = None,
        seed: int = 0,
        init_scale: float = 0.01,
        X_test=None,
        y_test=None,
        dtype=np.float64,
    ) -> None:
        self.n_classes = check_n_classes(n_classes)
        self.dtype = np.dtype(dtype)
        self.lr = check_positive(lr, "lr")
        self.l2 = check_non_negative(l2, "l2")
        self.seed = int(seed)
        self._rng = np.random.default_rng([self.seed, 1])
        self.set_data(X, y, X_test, y_test)
        init = np.random.default_rng([self.seed, 0]).standard_normal((self.n_features, n_classes))
        self.W = (init * init_scale).astype(self.dtype)
        self.b = np.zeros(n_classes, dtype=self.dtype)
        self.step_count = 0
        self.diverged_at: int | None = None
        self.set_optimizer(optimizer, batch_size)

    # --- configuration -------------------------------------------------------------------
    def set_data(self, X, y, X_test=None, y_test=None) -> None:
        """Replace the data (same D and K); parameters and optimiser state are kept."""
        X = check_features(X)
        labels = check_labels(y, X.shape[0], self.n_classes)
        if labels.ndim != 1:
            raise ValueError("y must be integer labels of shape (N,) for the trainer")
        if hasattr(self, "n_features") and X.shape[1] != self.n_features:
            raise ValueError(f"X must keep D = {self.n_features} features; got {X.shape[1]}")
        self.n_features = X.shape[1]
        self.X, self.y = X, labels
        self._full = Workspace(X, labels, self.n_classes, self.dtype)
        self._batch_ws: dict[int, Workspace] = {}
        if X_test is not None and y_test is not None and len(y_test) > 0:
            Xt = check_features(X_test, "X_test")
            yt = check_labels(y_test, Xt.shape[0], self.n_classes, "y_test")
            self._test = Workspace(Xt, yt, self.n_classes, self.dtype)
        else:
            self._test = None
        if hasattr(self, "batch_size"):
            self._make_batches()

    def set_optimizer(self, name: str, batch_size: int | None = None) -> None:
        """Switch optimiser (its state starts fresh) and batch size; parameters are kept."""
        self.optimizer = make_optimizer(name)
        if batch_size is not None and (int(batch_size) != batch_size or batch_size < 1):
            raise ValueError(f"batch_size must be a whole number >= 1 or None; got {batch_size}")
        self.batch_size = None if name == "gd" or batch_size is None else int(batch_size)
        self._make_batches()

    def _make_batches(self) -> None:
        n = self.X.shape[0]
        if self.batch_size is None or self.batch_size >= n:
            self._batches = None
        else:
            self._batches = MiniBatches(n, self.batch_size, self._rng)

    def set_params(self, W, b) -> None:
        """Set W (D, K) and b (K,) (copied); clears a divergence."""
        self.W = np.array(W, dtype=self.dtype).reshape(self.n_features, self.n_classes)
        self.b = np.array(b, dtype=self.dtype).reshape(self.n_classes)
        self.diverged_at = None

    def reset(self, seed: int | None = None) -> None:
        """New small random weights, zero bias, step 0, fresh optimiser state and batch
        order: the same state as a new Trainer with this seed (so a run after a reset can be
        replayed from its seed alone)."""
        if seed is not None:
            self.seed = int(seed)
        self._rng = np.random.default_rng([self.seed, 1])
        init = np.random.default_rng([self.seed, 0]).standard_normal(self.W.shape)
        self.set_params(init * 0.01, np.zeros(self.n_classes))
        self.step_count = 0
        self.optimizer.reset()
        self._make_batches()

    # --- training ------------------------------------------------------------------------
    def step(self) -> float:
        """One update; returns the loss (on this step's batch) at the parameters before it.

        Raises DivergenceError (parameters unchanged) when the loss, the gradient or the
        updated parameters are not finite.
        """
        reused = self._reuse_full_pass() if self._batches is None else None
        if reused is not None:
            loss, dW, db = reused
        else:
            ws = self._full if self._batches is None else self._batch_workspace()
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                loss, dW, db = ws.loss_and_gradients(self.W, self.b, self.l2)
        index = self.step_count
        # ndarray.all rather than np.all: the same test without np.all's Python wrapper
        if not (np.isfinite(loss) and np.isfinite(dW).all() and np.isfinite(db).all()):
            self._diverge(index, "the loss or its gradient is not finite")
        old_W, old_b = self.W.copy(), self.b.copy()
        with np.errstate(over="ignore", invalid="ignore"):
            self.optimizer.update([self.W, self.b], [dW, db], self.lr)
        if not (np.isfinite(self.W).all() and np.isfinite(self.b).all()):
            self.W, self.b = old_W, old_b
            self._diverge(index, "the updated weights are not finite")
        self.step_count += 1
        return loss

    def _reuse_full_pass(self):
        """(loss, dW, db) of the full-batch pass that ``evaluate_with_gradients`` just made,
        if the parameters and data are still the ones it saw, else None.

        The playground evaluates every frame's metrics and gradient and then steps: with full
        batches both are the same pass at the same weights, so the step takes it (half the
        passes per frame). Same arithmetic as ``Workspace.loss_and_gradients``: bit-identical.
        """
        cached, self._last_pass = getattr(self, "_last_pass", None), None
        if cached is None:
            return None
        ws, W, b, ce, dW, db = cached
        if ws is not self._full or not (np.array_equal(W, self.W) and np.array_equal(b, self.b)):
            return None
        loss = ce
        if self.l2:
            with np.errstate(over="ignore", invalid="ignore"):
                dW = dW + self.l2 * self.W
                loss += 0.5 * self.l2 * float(np.vdot(self.W, self.W))
        return loss, dW, db

    def run(self, n_steps: int) -> np.ndarray:
        """``n_steps`` updates; returns their losses (N,). Stops at divergence (raises)."""
        losses = np.empty(n_steps)
        for i in range(n_steps):
            losses[i] = self.step()
        return losses

    def run_frames(
        self, n_frames: int, steps_per_frame: int
    ) -> tuple[list[FrameState], DivergenceError | None]:
        """An animation of the run: for each of ``n_frames`` frames the state (``FrameState``:
        ``evaluate_with_gradients`` and the parameters), then ``steps_per_frame`` updates.

        A step that diverges ends it: one more frame at the last finite parameters, and the
        ``DivergenceError`` is returned instead of raised (the frames before it are kept). The
        same calls in the same order as a loop of ``evaluate_with_gradients`` and ``run``, so
        the numbers are the same bit for bit wherever it runs (the playground's frame workers
        run it in another process: ``playground/frame_pool.py``)."""
        states: list[FrameState] = []
        for _ in range(max(1, int(n_frames))):
            states.append(self._frame_state())
            try:
                self.run(steps_per_frame)
            except DivergenceError as err:
                states.append(self._frame_state())
                return states, err
        return states, None

    def _frame_state(self) -> FrameState:
        m, dW, db = self.evaluate_with_gradients()
        return FrameState(m, self.W.copy(), self.b.copy(), dW, db)

    def _diverge(self, step: int, reason: str) -> None:
        self.diverged_at = step
        raise DivergenceError(step, reason)

    def _batch_workspace(self) -> Workspace:
        rows = self._batches.next()
        ws = self._batch_ws.get(rows.size)
        if ws is None:
            ws = Workspace(self.X[rows], self.y[rows], self.n_classes, self.dtype)
            self._batch_ws[rows.size] = ws
        else:
            ws.load(self.X[rows], self.y[rows])
        return ws

    # --- inspection ----------------------------------------------------------------------
    def evaluate(self) -> Metrics:
        """Cross-entropy and accuracy on the training and test sets at the current state."""
        return self._evaluate(with_gradients=False)[0]

    def evaluate_with_gradients(self) -> tuple[Metrics, np.ndarray, np.ndarray]:
        """``evaluate()`` and the full-batch (dW, db) of the regularised loss, from one pass
        over the training set (what the playground shows for every frame)."""
        return self._evaluate(with_gradients=True)

    def _evaluate(self, with_gradients: bool):
        """Two passes: the training set's (cross-entropy, accuracy, and with_gradients the
        gradient too) and the test set's (cross-entropy and accuracy, no gradient). Each
        accuracy is argmax_k z_ik == y_i on the logits z_i = W^T x_i + b that its pass
        computes the loss from; the values equal those of separate passes bit for bit."""
        grads = (None, None)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if with_gradients:  # l2 = 0 here so that the pass returns the bare cross-entropy
                train_ce, dW, db, train_acc = self._full.loss_gradients_and_accuracy(
                    self.W, self.b, 0.0
                )
                self._last_pass = (self._full, self.W.copy(), self.b.copy(), train_ce, dW, db)
                grads = (dW + self.l2 * self.W if self.l2 else dW.copy(), db.copy())
            else:
                train_ce, train_acc = self._full.loss_and_accuracy(self.W, self.b)
            if self._test is not None:
                test_ce, test_acc = self._test.loss_and_accuracy(self.W, self.b)
            else:
                test_ce = test_acc = float("nan")
            sq = float(np.vdot(self.W, self.W))
        metrics = Metrics(
            step=self.step_count,
            train_ce=train_ce,
            l2_term=0.5 * self.l2 * sq,
            train_acc=train_acc,
            test_ce=test_ce,
            test_acc=test_acc,
            w_norm=float(np.sqrt(sq)),
        )
        return metrics, *grads
