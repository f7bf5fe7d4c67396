"""The objective J(W, b) on a plane through parameter space, and a plane that shows a path.

Parameters are flattened as theta = (W.ravel(), b), W (D, K) row-major, b (K,): P = D K + K.
A plane is theta(a, c) = origin + a d1 + c d2 with orthonormal d1, d2 (P,).

Why this is cheap: logits are linear in theta, so on the plane
Z(a, c) = Z0 + a Z1 + c Z2 with Z0 = X W0 + b0, Z1 = X W1 + b1, Z2 = X W2 + b2 (each (N, K)),
the label term mean_i z_{i,y_i} is linear in (a, c) and the L2 term (l2/2)||W||^2 quadratic;
only mean_i logsumexp_k z_ik(a, c) needs every grid point, G^2 N K exponentials in float32.

Choosing the plane (Li et al., Visualizing the Loss Landscape of Neural Nets, 2018): the two
principal directions of the optimiser's path around the optimum, which show the path with as
little distortion as a plane can; the fraction of the path's variance they hold is reported.
A path too short for two directions falls back to (start - optimum) and the part of the
current gradient orthogonal to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray


def flatten(W: Array, b: Array) -> Array:
    """theta = (W.ravel(), b): (D K + K,), float64."""
    return np.concatenate([np.asarray(W, np.float64).ravel(), np.asarray(b, np.float64)])


def unflatten(theta: Array, n_features: int, n_classes: int) -> tuple[Array, Array]:
    """Inverse of :func:`flatten`: W (D, K), b (K,)."""
    theta = np.asarray(theta, np.float64)
    cut = n_features * n_classes
    return theta[:cut].reshape(n_features, n_classes), theta[cut:]


@dataclass(frozen=True)
class Plane:
    """theta(a, c) = origin + a d1 + c d2; ``explained`` = share of the path's variance in it."""

    origin: Array
    d1: Array
    d2: Array
    explained: float
    method: str  # "pca" or "start-gradient"

    def project(self, thetas: Array) -> Array:
        """(a, c) coordinates of parameter vectors (T, P) -> (T, 2), by orthogonal projection."""
        rel = np.atleast_2d(thetas) - self.origin
        return np.stack([rel @ self.d1, rel @ self.d2], axis=1)

    def point(self, a: float, c: float) -> Array:
        return self.origin + a * self.d1 + c * self.d2


def _unit(v: Array) -> Array | None:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 1e-12 else None


def path_plane(path: Array, origin: Array, gradient: Array | None = None) -> Plane:
    """The plane through ``origin`` (P,) spanned by the two principal directions of
    ``path - origin`` (T, P); ``explained`` is the share of sum ||theta_t - origin||^2 it holds.

    Falls back to (path[0] - origin, gradient orthogonalised) when the path spans fewer than two
    directions, and to coordinate axes when even that is degenerate.
    """
    path = np.atleast_2d(np.asarray(path, np.float64))
    origin = np.asarray(origin, np.float64)
    rel = path - origin
    total = float((rel * rel).sum())
    if path.shape[0] >= 3 and total > 0:
        _, s, vt = np.linalg.svd(rel, full_matrices=False)
        if s.size >= 2 and s[1] > 1e-9 * s[0]:
            explained = float((s[:2] ** 2).sum() / (s**2).sum())
            return Plane(origin, vt[0], vt[1], explained, "pca")
    p = origin.size
    d1 = _unit(rel[0]) if rel.size else None
    if d1 is None:
        d1 = np.eye(p)[0]
    d2 = None
    if gradient is not None:
        g = np.asarray(gradient, np.float64)
        d2 = _unit(g - (g @ d1) * d1)
    if d2 is None:
        for e in np.eye(p):
            d2 = _unit(e - (e @ d1) * d1)
            if d2 is not None:
                break
    coords = rel @ np.stack([d1, d2], axis=1)
    explained = float((coords**2).sum() / total) if total > 0 else 1.0
    return Plane(origin, d1, d2, explained, "start-gradient")


def loss_surface(X: Array, y: Array, l2: float, plane: Plane, a_values: Array, c_values: Array):
    """J(theta(a, c)) = mean cross-entropy + (l2/2)||W||^2 on the grid: (len(c), len(a)).

    Row i is c = c_values[i], column j is a = a_values[j]. X (N, D), y (N,) labels in [0, K).
    Exact up to float32 rounding of the log-sum-exp term (relative error about 1e-6).
    """
    X = np.asarray(X, np.float64)
    y = np.asarray(y)
    n, d = X.shape
    k = plane.origin.size // (d + 1)
    rows = np.arange(n)
    Z = []
    lin = []
    for v in (plane.origin, plane.d1, plane.d2):
        W, b = unflatten(v, d, k)
        z = X @ W + b
        Z.append(z)
        lin.append(z[rows, y].mean())
    a = np.asarray(a_values, np.float64)
    c = np.asarray(c_values, np.float64)
    # logsumexp over K of Z0 + a Z1 + c Z2, class-major, in float32, shifted by the max.
    Z0, Z1, Z2 = (z.T.astype(np.float32) for z in Z)  # (K, N)
    a32 = a.astype(np.float32)
    base = Z0[:, None, :] + a32[None, :, None] * Z1[:, None, :]  # (K, G_a, N)
    lse = np.empty((c.size, a.size))
    # Rows of c in chunks of about 0.5 MB a buffer, which stay in cache (1.9x faster than
    # the whole grid at once at 60 x 60 x 600); preallocated, reused for every chunk.
    rows = max(1, 131_072 // (a.size * n))
    zmax = np.empty((rows, a.size, n), np.float32)
    buf = np.empty_like(zmax)
    total = np.empty_like(zmax)
    # The shift only has to keep exp from overflowing while the largest term stays above
    # float32's underflow (e^-87). A cheap upper bound of max_k z_k, the sum of each part's
    # max, is that close whenever the parts' spreads over k add up to less than 60 (almost
    # always: it is 2x faster); otherwise pass 1 computes the exact max.
    spread = lambda z: float((z.max(axis=0) - z.min(axis=0)).max())  # noqa: E731
    loose = spread(Z0) + np.abs(a).max() * spread(Z1) + np.abs(c).max() * spread(Z2)
    bound0 = Z0.max(axis=0)
    bound1 = np.maximum(a32[:, None] * Z1.max(axis=0), a32[:, None] * Z1.min(axis=0))
    for start in range(0, c.size, rows):
        g = min(rows, c.size - start)
        cc = c[start : start + g].astype(np.float32)[:, None, None]
        zm, pl, tot = zmax[:g], buf[:g], total[:g]
        if loose < 60:
            np.maximum(cc * Z2.max(axis=0), cc * Z2.min(axis=0), out=zm)
            zm += bound0 + bound1
        else:
            for j in range(k):  # pass 1: the exact max over classes
                np.multiply(cc, Z2[j], out=pl)
                pl += base[j]
                if j == 0:
                    zm[...] = pl
                else:
                    np.maximum(zm, pl, out=zm)
        tot.fill(0)
        for j in range(k):  # pass 2: sum of exp(z - shift)
            np.multiply(cc, Z2[j], out=pl)
            pl += base[j]
            pl -= zm
            np.exp(pl, out=pl)
            tot += pl
        np.log(tot, out=tot)
        tot += zm
        lse[start : start + g] = tot.mean(axis=2, dtype=np.float64)
    label = lin[0] + a[None, :] * lin[1] + c[:, None] * lin[2]
    Ws = [unflatten(v, d, k)[0].ravel() for v in (plane.origin, plane.d1, plane.d2)]
    w0, w1, w2 = Ws
    l2_term = (
        0.5
        * l2
        * (
            w0 @ w0
            + 2 * a[None, :] * (w0 @ w1)
            + 2 * c[:, None] * (w0 @ w2)
            + a[None, :] ** 2 * (w1 @ w1)
            + 2 * a[None, :] * c[:, None] * (w1 @ w2)
            + c[:, None] ** 2 * (w2 @ w2)
        )
    )
    return lse - label + l2_term
