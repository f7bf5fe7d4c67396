"""Where a prediction sits in the probability simplex, for a ternary plot.

pi (N, K) lies on the simplex {p >= 0, sum p = 1}; y is one of its corners, and pi - y is the
arrow from that corner to pi. Its length is at most sqrt(2), the length of an edge (the
derivation notes' bound on ||pi - y||). For K > 3 a ternary plot shows three chosen classes
with pi renormalised over them: pi_S / sum_{k in S} pi_k, the model's prediction given that the
class is one of S.
"""

from __future__ import annotations

import numpy as np


def simplex_coordinates(probs, classes: tuple[int, int, int] | None = None) -> np.ndarray:
    """(N, 3) barycentric coordinates: pi of three classes, renormalised to sum to 1.

    ``classes`` defaults to (0, 1, 2). For K = 3 they are pi itself. A row whose three
    probabilities all underflow to 0 maps to the centre (1/3, 1/3, 1/3).
    """
    P = np.asarray(probs, dtype=np.float64)
    if P.ndim != 2 or P.shape[1] < 3:
        raise ValueError(f"probs must have shape (N, K) with K >= 3; got {P.shape}")
    cols = list(classes) if classes is not None else [0, 1, 2]
    if len(set(cols)) != 3 or not all(0 <= c < P.shape[1] for c in cols):
        raise ValueError(f"classes must be three distinct indices in [0, {P.shape[1]}); got {cols}")
    S = P[:, cols]
    if P.shape[1] == 3:
        return S.copy()  # already on the simplex; renormalising would only add rounding
    total = S.sum(axis=1, keepdims=True)
    out = np.full_like(S, 1 / 3)
    np.divide(S, total, out=out, where=total > 0)
    return out


def ternary_xy(coords) -> np.ndarray:
    """Barycentric (N, 3) -> Cartesian (N, 2) in the triangle with corners
    (0, 0), (1, 0), (1/2, sqrt(3)/2) for classes 1, 2, 3."""
    c = np.asarray(coords, dtype=np.float64)
    return np.stack([c[:, 1] + 0.5 * c[:, 2], (np.sqrt(3) / 2) * c[:, 2]], axis=1)
