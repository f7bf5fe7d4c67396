"""The fast inner loop: loss and gradients of softmax regression with preallocated buffers.

Layout (why it is fast, measured in docs/performance.md):
- logits are kept class-major, Z of shape (K, N), so the max and the sum over classes run
  across K long rows instead of N short ones (2-5x faster than (N, K) in NumPy);
- every buffer is allocated once per data set and reused, so a step does not page-fault;
- the targets never touch the (K, N) buffer: their part of the gradient, X^T Y and Y^T 1,
  and of the loss, sum_i y_i . z_i = <W, X^T Y> + b . Y^T 1, are linear in the data and are
  computed once per data set (class sums S and class counts). A step only forms P;
- the weight gradient X^T P^T = Xt P^T is one gemm ``Xt @ P.T`` or, for D <= 4, D
  matrix-vector products P @ Xt[d]. With OpenBLAS 0.3.31 (Haswell kernels) the obvious
  ``P @ X`` ran 4-10x slower at D = 784 in float64, and gemm 2-5x slower than gemv at D = 2.

The math, for X (N, D), W (D, K), b (K,), labels y (N,) or targets Y (N, K):
    Z = W^T X^T + b                                  (K, N)
    P = softmax(Z) over classes                      (K, N)
    S = X^T Y (D, K), c = Y^T 1 (K,)                 once per data set
    loss = mean_i logsumexp(Z[:, i]) - (<W, S> + b . c) / N + (l2 / 2) ||W||^2
    dW = (Xt P^T - S) / N + l2 W                     (D, K)   = X^T (P^T - Y) / N + l2 W
    db = (P 1 - c) / N                               (K,)     = mean_i (pi_i - y_i)
"""

from __future__ import annotations

import numpy as np

GEMV_MAX_FEATURES = 4  # up to this D, D gemv calls beat one gemm for the weight gradient


class Workspace:
    """Buffers for loss and gradients on one data set (X, y); ``load`` swaps in new rows.

    Inputs are trusted here (the public functions validate them). ``dtype`` is float64 for
    exactness or float32 for speed on large data sets. After a forward pass ``Z`` holds the
    probabilities P (K, N).
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, n_classes: int, dtype=np.float64) -> None:
        self.dtype = np.dtype(dtype)
        n, d = np.shape(X)
        self.n_samples, self.n_features, self.n_classes = n, d, n_classes
        self.Xt = np.empty((d, n), dtype=self.dtype)  # X^T: only the transpose is stored
        self.Z = np.empty((n_classes, n), dtype=self.dtype)
        self.zmax = np.empty(n, dtype=self.dtype)
        self.zsum = np.empty(n, dtype=self.dtype)
        self.gW = np.empty((d, n_classes), dtype=self.dtype)
        self.db = np.empty(n_classes, dtype=self.dtype)
        self.load(X, y)

    @property
    def X(self) -> np.ndarray:
        """The data (N, D), a view of ``Xt``."""
        return self.Xt.T

    def load(self, X: np.ndarray, y: np.ndarray) -> None:
        """Put new rows of the same shape in place (mini-batches): X (N, D), y (N,) or (N, K).

        The class sums S = X^T Y and counts are taken in float64 from the float64 inputs.
        """
        X64 = np.asarray(X, dtype=np.float64)
        self.Xt[...] = X64.T
        self.hard = np.ndim(y) == 1
        if self.hard:
            self.labels = np.asarray(y, dtype=np.intp)
            k = self.n_classes
            self.counts = np.bincount(self.labels, minlength=k).astype(np.float64)
            if self.n_features <= 16:
                self.S = np.stack(
                    [np.bincount(self.labels, weights=col, minlength=k) for col in X64.T]
                ).reshape(self.n_features, k)
            else:
                onehot = np.zeros((k, self.n_samples))
                onehot[self.labels, np.arange(self.n_samples)] = 1.0
                self.S = (onehot @ X64).T
        else:
            Y = np.asarray(y, dtype=np.float64)
            self._soft_targets = Y
            self.counts = Y.sum(axis=0)
            self.S = X64.T @ Y
        self._S = self.S.astype(self.dtype)
        self._counts = self.counts.astype(self.dtype)

    def logits_into_buffer(self, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Z = W^T X^T + b, written into the (K, N) buffer and returned."""
        np.matmul(W.T, self.Xt, out=self.Z)
        self.Z += b[:, None]
        return self.Z

    def cross_entropy(self, W: np.ndarray, b: np.ndarray) -> float:
        """Mean cross-entropy only; leaves softmax(Z) in the buffer."""
        return self._forward(W, b)

    def loss_and_gradients(
        self, W: np.ndarray, b: np.ndarray, l2: float
    ) -> tuple[float, np.ndarray, np.ndarray]:
        """(loss, dW, db) at (W, b); afterwards ``self.Z`` holds the probabilities P."""
        ce = self._forward(W, b)
        P = self.Z
        if self.n_features <= GEMV_MAX_FEATURES:
            for d in range(self.n_features):
                np.matmul(P, self.Xt[d], out=self.gW[d])
        else:
            np.matmul(self.Xt, P.T, out=self.gW)
        np.sum(P, axis=1, out=self.db)
        inv_n = 1.0 / self.n_samples
        dW = (self.gW - self._S) * inv_n
        db = (self.db - self._counts) * inv_n
        loss = ce
        if l2:
            dW += l2 * W
            loss += 0.5 * l2 * float(np.vdot(W, W))
        return loss, dW, db

    def _forward(self, W: np.ndarray, b: np.ndarray) -> float:
        """Fill Z with softmax probabilities (K, N); return the mean cross-entropy."""
        Z = self.logits_into_buffer(W, b)
        np.max(Z, axis=0, out=self.zmax)
        Z -= self.zmax
        np.exp(Z, out=Z)
        np.sum(Z, axis=0, out=self.zsum)
        np.reciprocal(self.zsum, out=self.zsum)  # one division per sample, then K products
        Z *= self.zsum
        # sum_i logsumexp(z_i) = sum_i zmax_i - log(1 / zsum_i); minus sum_i y_i . z_i
        np.log(self.zsum, out=self.zsum)
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is handled below
            total = float(self.zmax.sum(dtype=np.float64)) - float(self.zsum.sum(dtype=np.float64))
            total -= float(np.vdot(W, self.S)) + float(np.dot(b, self.counts))
        if not np.isfinite(total):
            # The three sums above can each overflow (inf - inf) at logits near 1e308 even
            # when every per-sample loss is finite: sum those instead (rare, slower path).
            return self._per_sample_mean_loss(W, b)
        return total / self.n_samples

    def _per_sample_mean_loss(self, W: np.ndarray, b: np.ndarray) -> float:
        """mean_i [(zmax_i - y_i . z_i) + log sum_k exp(z_ik - zmax_i)], summed per sample;
        leaves P in ``Z`` as ``_forward`` does."""
        with np.errstate(over="ignore", invalid="ignore"):
            Z = self.logits_into_buffer(W, b)
            if self.hard:
                ztrue = Z[self.labels, np.arange(self.n_samples)]
            else:
                ztrue = np.einsum("kn,nk->n", Z, np.asarray(self._soft_targets))
            zmax = Z.max(axis=0)
            Z -= zmax
            np.exp(Z, out=Z)
            zsum = Z.sum(axis=0)
            Z /= zsum
            losses = (zmax - ztrue) + np.log(zsum)
        return float(np.mean(losses, dtype=np.float64))
