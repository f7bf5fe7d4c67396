"""What a playground session shows beside its frames, computed from its state, read-only.

``SessionViews`` is the base of ``PlaygroundSession`` (playground/session.py): the optimum
at the current L2, the largest stable gradient-descent learning rate, one point's
x, z, pi, y and pi - y for the inspector, the optimum and the gradient arrows restricted to
the plotted plane, and the model's classes. It reads ``trainer``, ``X``, ``y``, ``is_test``,
``plane``, ``settings``, ``n_classes`` and ``data_version`` of the session and writes only
its own caches (``_optimum_cache``, ``_stable_lr_cache``).
"""

from __future__ import annotations

import numpy as np

from softmax_core import NoOptimumError, gd_stable_learning_rate, softmax, solve_optimum
from softmax_core.feature_maps import input_directions


class SessionViews:
    """Read-only views of a ``PlaygroundSession``'s state (see the module docstring)."""

    def optimum(self) -> tuple[np.ndarray, np.ndarray] | str:
        """(W*, b*) of the training data at the current l2, or why there is none."""
        key = (self.data_version, self.settings.l2, self.n_classes)
        if key not in self._optimum_cache:
            Xtr, ytr, _, _ = self._train_test()
            try:
                value = solve_optimum(
                    Xtr, ytr, self.settings.l2, n_classes=self.n_classes, max_iter=60
                )
            except NoOptimumError:
                value = (
                    "No finite optimum: with l2 = 0 these classes are separable, so the "
                    "loss keeps falling as the weights grow. Add some L2."
                )
            self._optimum_cache = {key: value}
        return self._optimum_cache[key]

    def stable_lr(self) -> float:
        """Gradient descent never increases the loss below this learning rate (2 / L).
        Cached per data version and l2: every timed run of a playing tab asks (the advice
        and its fix buttons), and the eigenvalue behind it was 3 % of a loaded server's
        samples (60 students)."""
        key = (self.data_version, self.settings.l2, self.X.shape)
        if key not in self._stable_lr_cache:
            Xtr, _, _, _ = self._train_test()
            self._stable_lr_cache = {key: gd_stable_learning_rate(Xtr, self.settings.l2)}
        return self._stable_lr_cache[key]

    def point_details(self, index: int) -> dict | None:
        """x, z = W^T x + b, pi = softmax(z), y (one-hot), pi - y and the loss of sample
        ``index`` (in the full data set) at the current parameters."""
        if index is None or not 0 <= index < self.X.shape[0]:
            return None
        t = self.trainer
        x = self.X[index]
        z = x @ t.W + t.b
        pi = softmax(z)
        y = np.zeros(self.n_classes)
        y[self.y[index]] = 1.0
        residual = pi - y
        fmap = getattr(self, "fmap", None)
        mapped = fmap is not None and bool(fmap.tokens)
        # with a feature map, x is phi(point) and the arrow lives in the plane:
        # -J_phi(point)^T W (pi - y) (softmax_core.feature_maps.input_directions)
        input_gradient = (
            -input_directions(t.W, fmap, self.X2[index : index + 1], residual[None])[0]
            if mapped
            else t.W @ residual
        )
        return {
            "feature_names": list(fmap.names) if mapped else None,
            "point": self.X2[index].copy() if mapped else None,
            "index": int(index),
            "label": int(self.y[index]),
            "is_test": bool(self.is_test[index]),
            "x": x,
            "z": z,
            "pi": pi,
            "y": y,
            "residual": residual,
            "loss": float(np.logaddexp.reduce(z) - z[self.y[index]]),
            "input_gradient": input_gradient,
            "W": t.W.copy(),
            "b": t.b.copy(),
        }

    def optimum_in_plane(self) -> tuple[np.ndarray, np.ndarray] | str:
        """``optimum`` as the view draws it: restricted to the plotted plane."""
        value = self.optimum()
        if isinstance(value, str) or self.plane is None:
            return value
        return self.plane.restrict(*value)

    def plane_arrows(self) -> np.ndarray | None:
        """Each point's arrow -V^T W (pi_i - y_i) in the plane, pi_i from its full feature
        vector (N, 2); None when the plane is the whole space (the view computes them)."""
        if self.plane is None or self.X.shape[1] == 2:
            return None
        t = self.trainer
        with np.errstate(all="ignore"):
            z = self.X @ t.W + t.b
            z -= z.max(axis=1, keepdims=True)
            pi = np.exp(z)
            pi /= pi.sum(axis=1, keepdims=True)
        pi[np.arange(self.y.size), self.y] -= 1.0
        return -(pi @ t.W.T) @ self.plane.V

    def predict(self) -> np.ndarray:
        """The current model's class for every row of the data (N,)."""
        return np.argmax(self.X @ self.trainer.W + self.trainer.b, axis=1)
