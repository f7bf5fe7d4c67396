"""The fast inner loop: loss and gradients of softmax regression, exact and allocation-free.

The math, for X (N, D), W (D, K), b (K,), labels y (N,) or targets Y (N, K), with the data
augmented by a row of ones, Xa = [X^T; 1] (D+1, N), and Wa = [W; b] (D+1, K):
    Z = Wa^T Xa                                (K, N) class-major logits
    l_i = log sum_k exp(z_ik - z_iy) = log1p(r_i),  r_i = sum_{k != y_i} exp(z_ik - z_iy)
    G = Xa (P - Y)^T / N,  dW = G[:D] + l2 W,  db = G[D]      (P - Y = residuals, (K, N))
    accuracy = (1/N) #{i : argmax_k z_ik = y_i}              (np.argmax: first maximal k)

Why it is computed this way (measured in docs/performance.md):
- shifting each sample's logits by its *label's* logit (not by the maximum) makes the loss
  log1p(r_i) with r_i a sum of exact exponentials: a confident sample's loss keeps full
  relative accuracy down to the smallest normal number (log(1 + r) would round it to 0). The
  label's own term exp(0) = 1 is left out of r by putting 0 there before summing, which is
  only done for a chunk where some r_i < 1 (for r >= 1, s - 1 is exact enough). Where a logit
  exceeds the label's by more than ~709 (exp overflows) those samples are redone with the
  maximum as the shift (``_exact_columns``): rare, and exact too;
- the residual at the label, p_y - 1 = -r / (1 + r), is written directly instead of
  subtracting 1 from a rounded p_y, so confident samples' gradients are exact as well;
- rows are processed in chunks of ``CHUNK`` samples in buffers that are allocated once and
  reused: a fresh (K, N) array page-faults on every call (300 us for 800 KB here), and a
  (K, 32768) chunk stays in the 2 MB L2 cache;
- an evaluation (loss and accuracy, as the playground's every frame needs for the training and
  the test set) is one pass: the accuracy is counted on the logits Z the loss is computed
  from, before they are shifted, and a pass without a gradient stops after the loss;
- the gradient is D + 1 matrix-vector products (residual rows times 1 / s_i times a row of
  Xa), which OpenBLAS runs 3-10x faster than one (K, N) x (N, D+1) gemm at small D.

``Workspace`` keeps a transposed, chunked copy of one data set (the trainer's); the public
``model.loss_and_gradients`` copies the caller's X chunk by chunk into thread-local scratch on
every call, so nothing it keeps can go stale when the caller edits X or y in place.
"""

from __future__ import annotations

import threading

import numpy as np

CHUNK = 32768  # samples per chunk: a (K, CHUNK) float64 block is 1.3 MB at K = 5
GEMV_MAX_ROWS = 5  # up to D + 1 = 5, D + 1 gemv calls beat one gemm for the gradient
# np.sum / ndarray.max are these reductions behind a Python wrapper (about 1 us a call, a
# few percent of a small data set's pass): the same arithmetic, bit for bit
_sum, _max, _min = np.add.reduce, np.maximum.reduce, np.minimum.reduce


class _Scratch:
    """Per-chunk buffers for D features, K classes and one dtype, reused across calls."""

    def __init__(self, d: int, k: int, dtype) -> None:
        self.d, self.k, self.dtype = d, k, np.dtype(dtype)
        self.z = np.empty(k * CHUNK, dtype=self.dtype)
        self.u = np.empty((d + 1) * CHUNK, dtype=self.dtype)
        self.xa = np.empty((d + 1) * CHUNK, dtype=self.dtype)
        self.s = np.empty(CHUNK, dtype=self.dtype)
        self.r = np.empty(CHUNK, dtype=self.dtype)
        self.flat = np.empty(CHUNK, dtype=np.intp)
        self.pred = np.empty(CHUNK, dtype=np.intp)
        self.hit = np.empty(CHUNK, dtype=bool)
        self.arange = np.arange(CHUNK, dtype=np.intp)


_local = threading.local()


def scratch(d: int, k: int, dtype) -> _Scratch:
    """This thread's buffers for (D, K, dtype); the last shape used is kept (a few MB)."""
    cur = getattr(_local, "scratch", None)
    if cur is None or (cur.d, cur.k, cur.dtype) != (d, k, np.dtype(dtype)):
        cur = _local.scratch = _Scratch(d, k, dtype)
    return cur


def augmented(W: np.ndarray, b: np.ndarray, dtype) -> np.ndarray:
    """Wa = [W; b], (D+1, K), in ``dtype``."""
    d, k = np.shape(W)
    Wa = np.empty((d + 1, k), dtype=dtype)
    Wa[:d] = W
    Wa[d] = b
    return Wa


def hard_chunk(
    Wa: np.ndarray, xa: np.ndarray, flat: np.ndarray, sc: _Scratch, G, labels=None
) -> tuple[float, int]:
    """One chunk's summed loss, and its number of correct predictions when ``labels`` is
    given (0 otherwise); adds its residual products to G (D+1, K) unless G is None.

    xa: (D+1, m) augmented data; flat: (m,) offsets y_i * m + i of the labels in a (K, m)
    block; labels: (m,) the y_i themselves. A prediction is argmax_k z_ik of the chunk's
    logits (np.argmax's ties: the first maximal class), taken before the logits are shifted:
    the same count as a separate pass would give. Overwrites the scratch buffers.
    """
    # Non-finite data or overflowing logits only make the result non-finite; the callers
    # check that once (and name the culprit), so the warnings on the way are silenced.
    with np.errstate(all="ignore"):
        return _hard_chunk(Wa, xa, flat, sc, G, labels)


def _hard_chunk(Wa, xa, flat, sc: _Scratch, G, labels) -> tuple[float, int]:
    k, m = Wa.shape[1], xa.shape[1]
    z = sc.z[: k * m].reshape(k, m)
    s, r = sc.s[:m], sc.r[:m]
    np.matmul(Wa.T, xa, out=z)
    hits = 0
    if labels is not None:
        pred = z.argmax(axis=0, out=sc.pred[:m])
        hits = int(np.count_nonzero(np.equal(pred, labels, out=sc.hit[:m])))
    zflat = z.reshape(-1)
    zflat.take(flat, out=r)  # the label's logit z_iy
    np.subtract(z, r, out=z)
    np.exp(z, out=z)
    _sum(z, axis=0, out=s)  # s_i = 1 + r_i, rounded
    np.subtract(s, 1.0, out=r)
    loss = 0.0
    bad = None
    if not _max(r) < np.inf:  # a logit beyond the label's by ~709, or NaN: redo exactly
        bad = np.flatnonzero(~np.isfinite(r))
        losses, resid = _exact_columns(Wa.T @ xa[:, bad], flat[bad] // m)
        loss += float(losses.sum())
        if G is not None:
            G += (xa[:, bad].astype(np.float64) @ resid.T).astype(G.dtype)
        z[:, bad] = 0.0
        r[bad] = 0.0
    if _min(r) < 1.0:  # small losses: r_i without the label's 1, summed exactly
        zflat[flat] = 0.0
        _sum(z, axis=0, out=r)
        if G is not None:
            np.add(r, 1.0, out=s)
    loss += float(_sum(np.log1p(r), dtype=np.float64))
    if G is None:  # the loss only (an evaluation)
        return loss, hits
    if bad is not None:
        s[bad] = np.inf  # 1 / s = 0: these columns add nothing more to G
    np.negative(r, out=r)
    zflat[flat] = r  # (p_y - 1) s = -r at the label
    np.reciprocal(s, out=s)
    u = sc.u[: (xa.shape[0]) * m].reshape(xa.shape[0], m)
    np.multiply(xa, s, out=u)
    if xa.shape[0] <= GEMV_MAX_ROWS:
        for j in range(xa.shape[0]):
            G[j] += z @ u[j]
    else:
        G += u @ z.T
    return loss, hits


def _exact_columns(Z: np.ndarray, labels=None, Y=None) -> tuple[np.ndarray, np.ndarray]:
    """Per-sample losses (M,) and residuals P - Y (K, M) from logits Z (K, M), shifted by
    each column's maximum: l = sum_k y_k [(max z - z_k) + log1p(r)], where r sums exp(z_k -
    max z) over all but one maximal entry. Exact for any finite logits; float64."""
    Z = np.asarray(Z, dtype=np.float64)
    k, m = Z.shape
    if Y is None:
        Y = np.zeros((k, m))
        Y[labels, np.arange(m)] = 1.0
    with np.errstate(over="ignore", invalid="ignore"):
        gap = Z.max(axis=0) - Z  # >= 0, exactly 0 at the maxima
    E = np.exp(-gap)
    top = np.argmax(Z, axis=0)
    E[top, np.arange(m)] = 0.0
    r = E.sum(axis=0)
    lse = np.log1p(r)  # logsumexp(z) - max z
    terms = np.where(Y > 0, Y * (gap + lse), 0.0)  # 0 * inf gap counts as 0
    E[top, np.arange(m)] = 1.0
    resid = E / (1.0 + r) - Y
    return terms.sum(axis=0), resid


def soft_pass(Wa: np.ndarray, Xa: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    """(summed loss, G (D+1, K)) for probability targets Y (N, K), in float64."""
    with np.errstate(all="ignore"):
        losses, resid = _exact_columns(Wa.T.astype(np.float64) @ Xa, Y=Y.T)
        return float(losses.sum()), Xa @ resid.T


class Workspace:
    """A data set (X, y) kept transposed and chunked, with buffers for loss and gradients.

    Inputs are trusted here (the public functions validate them). ``dtype`` is float64 for
    exactness or float32 for speed on large data sets; the data are copied, so the caller may
    change X and y afterwards. ``load`` swaps in new rows of the same shape (mini-batches).
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, n_classes: int, dtype=np.float64) -> None:
        self.dtype = np.dtype(dtype)
        n, d = np.shape(X)
        self.n_samples, self.n_features, self.n_classes = n, d, n_classes
        self.load(X, y)

    def load(self, X: np.ndarray, y: np.ndarray) -> None:
        """Put new rows in place: X (N, D), y labels (N,) or probability targets (N, K)."""
        X = np.asarray(X)
        n, d = X.shape
        self.n_samples = n
        self.hard = np.ndim(y) == 1
        if self.hard:
            self.labels = np.asarray(y, dtype=np.intp).copy()
            self.chunks = []
            for a in range(0, n, CHUNK):
                m = min(CHUNK, n - a)
                xa = np.empty((d + 1, m), dtype=self.dtype)
                xa[:d] = X[a : a + m].T
                xa[d] = 1.0
                labels = self.labels[a : a + m]
                self.chunks.append((xa, labels * m + np.arange(m), labels))
        else:
            self.Xa = np.vstack([np.asarray(X, dtype=np.float64).T, np.ones((1, n))])
            self.Y = np.array(y, dtype=np.float64)

    def cross_entropy(self, W: np.ndarray, b: np.ndarray) -> float:
        """Mean cross-entropy at (W, b), accurate to a few ulps relative to itself: the loss
        of ``loss_and_gradients(W, b, 0.0)`` bit for bit, without forming the gradient."""
        if not self.hard:
            return self.loss_and_gradients(W, b, 0.0)[0]
        total, _, _ = self._hard_pass(W, b, gradients=False, count=False)
        return total / self.n_samples + 0.0

    def loss_and_gradients(
        self, W: np.ndarray, b: np.ndarray, l2: float
    ) -> tuple[float, np.ndarray, np.ndarray]:
        """(loss, dW (D, K), db (K,)) at (W, b); the gradients in the workspace's dtype."""
        if self.hard:
            total, G, _ = self._hard_pass(W, b, gradients=True, count=False)
        else:
            total, G = soft_pass(augmented(W, b, np.float64), self.Xa, self.Y)
            G = G.astype(self.dtype, copy=False)
        return finish(total, G, W, l2, self.n_samples, self.dtype)

    def loss_gradients_and_accuracy(
        self, W: np.ndarray, b: np.ndarray, l2: float
    ) -> tuple[float, np.ndarray, np.ndarray, float]:
        """``loss_and_gradients(W, b, l2)`` and ``accuracy(W, b)`` from one pass: the
        accuracy counts argmax_k z_ik == y_i on the logits Z = Wa^T Xa that the loss is
        computed from. Both bit-identical to the separate calls. Hard labels only."""
        self._need_labels()
        total, G, hits = self._hard_pass(W, b, gradients=True, count=True)
        return *finish(total, G, W, l2, self.n_samples, self.dtype), hits / self.n_samples

    def loss_and_accuracy(self, W: np.ndarray, b: np.ndarray) -> tuple[float, float]:
        """(``cross_entropy(W, b)``, ``accuracy(W, b)``) from one pass over the data, no
        gradient: what an evaluation (the test set's metrics) needs. Hard labels only."""
        self._need_labels()
        total, _, hits = self._hard_pass(W, b, gradients=False, count=True)
        return total / self.n_samples + 0.0, hits / self.n_samples

    def accuracy(self, W: np.ndarray, b: np.ndarray) -> float:
        """Fraction of samples whose largest logit is their label's (np.argmax's ties)."""
        self._need_labels()
        Wa = augmented(W, b, self.dtype)
        hits = 0
        for xa, _, labels in self.chunks:
            hits += int(np.count_nonzero(np.argmax(Wa.T @ xa, axis=0) == labels))
        return hits / self.n_samples

    def _need_labels(self) -> None:
        if not self.hard:
            raise ValueError("accuracy needs integer labels; this workspace has soft targets")

    def _hard_pass(self, W, b, *, gradients: bool, count: bool):
        """(summed loss, G (D+1, K) or None, number of correct predictions or 0)."""
        d, k = self.n_features, self.n_classes
        Wa = augmented(W, b, self.dtype)
        G = np.zeros((d + 1, k), dtype=self.dtype) if gradients else None
        sc = scratch(d, k, self.dtype)
        total, hits = 0.0, 0
        for xa, flat, labels in self.chunks:
            loss, h = hard_chunk(Wa, xa, flat, sc, G, labels if count else None)
            total += loss
            hits += h
        return total, G, hits


def finish(total: float, G: np.ndarray, W, l2: float, n: int, dtype):
    """Mean loss + (l2/2)||W||^2 (never -0.0) and (dW, db) from the summed loss and G."""
    G *= 1.0 / n
    dW, db = G[:-1], G[-1].copy()
    loss = total / n
    if l2:
        dW += l2 * np.asarray(W, dtype=dtype)
        loss += 0.5 * l2 * float(np.vdot(W, W))
    return loss + 0.0, dW, db
