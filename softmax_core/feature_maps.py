"""Fixed feature maps phi: R^2 -> R^(2+m), so that a linear model draws curved boundaries.

The model stays softmax regression, z = W^T phi(x) + b with W (2 + m, K): it is linear in its
features, not in its inputs. phi(x) = (x1, x2, f_1(x), ..., f_m(x)), where each extra feature
is chosen from :data:`FEATURES` and standardised with the training set's mean and standard
deviation, (f(x) - mu) / sd, so that one learning rate serves every choice (an unscaled x1^2
on [-5, 5] would be 25 times larger than x1 and make the loss surface a narrow valley).
x1 and x2 are kept raw: with no extra feature the model is exactly the plain linear one.

Everything here is closed-form, so the browser can evaluate phi per pixel with the same
tokens, means and deviations (see :meth:`FeatureMap.to_json`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Feature:
    token: str  # URL token
    label: str  # plain text, e.g. "x1²"
    latex: str
    value: Callable[[Array, Array], Array]
    grad: Callable[[Array, Array], tuple[Array, Array]]  # (df/dx1, df/dx2)


FEATURES: dict[str, Feature] = {
    f.token: f
    for f in (
        Feature("x1sq", "x1²", r"x_1^2", lambda a, b: a * a, lambda a, b: (2 * a, 0 * b)),
        Feature("x2sq", "x2²", r"x_2^2", lambda a, b: b * b, lambda a, b: (0 * a, 2 * b)),
        Feature("x1x2", "x1·x2", r"x_1 x_2", lambda a, b: a * b, lambda a, b: (b, a)),
        Feature(
            "r2",
            "r² = x1² + x2²",
            r"x_1^2 + x_2^2",
            lambda a, b: a * a + b * b,
            lambda a, b: (2 * a, 2 * b),
        ),
        Feature(
            "sin1", "sin x1", r"\sin x_1", lambda a, b: np.sin(a), lambda a, b: (np.cos(a), 0 * b)
        ),
        Feature(
            "sin2", "sin x2", r"\sin x_2", lambda a, b: np.sin(b), lambda a, b: (0 * a, np.cos(b))
        ),
    )
}
MAX_PHI_TEXT = 200  # characters of a `phi` URL value that are read at all


def parse_tokens(text: str) -> tuple[tuple[str, ...], list[str]]:
    """Read a comma-separated list of feature tokens: (tokens in canonical order, notices).

    Unknown tokens, repeats and over-long text are dropped with a notice that names them;
    the result never fails.
    """
    notices: list[str] = []
    text = str(text)
    if len(text) > MAX_PHI_TEXT:
        notices.append(
            f"phi: the value was {len(text)} characters long; only known features are read."
        )
        text = text[:MAX_PHI_TEXT]
    seen: list[str] = []
    for raw in text.split(","):
        token = raw.strip().lower()
        if not token:
            continue
        if token not in FEATURES:
            notices.append(
                f"phi: unknown feature {raw.strip()[:20]!r} dropped (known: {', '.join(FEATURES)})."
            )
        elif token in seen:
            notices.append(f"phi: {token} given twice; kept once.")
        else:
            seen.append(token)
    return tuple(t for t in FEATURES if t in seen), notices


def raw_features(X: Array, tokens: tuple[str, ...]) -> Array:
    """The unstandardised extra features f_j(x) of ``tokens``: (N, m), float64."""
    X = np.asarray(X, dtype=np.float64)
    a, b = X[:, 0], X[:, 1]
    if not tokens:
        return np.empty((X.shape[0], 0))
    return np.stack([FEATURES[t].value(a, b) for t in tokens], axis=1)


@dataclass(frozen=True)
class FeatureMap:
    """phi(x) = (x1, x2, (f_j(x) - mean_j) / scale_j for j in tokens); D = 2 + m features."""

    tokens: tuple[str, ...]
    mean: Array  # (m,)
    scale: Array  # (m,), > 0

    @property
    def n_features(self) -> int:
        return 2 + len(self.tokens)

    @property
    def names(self) -> list[str]:
        return ["x1", "x2", *(FEATURES[t].label for t in self.tokens)]

    def transform(self, X: Array) -> Array:
        """phi(X): (N, 2) -> (N, 2 + m), float64."""
        X = np.asarray(X, dtype=np.float64)
        extra = (raw_features(X, self.tokens) - self.mean) / self.scale
        return np.concatenate([X[:, :2], extra], axis=1)

    def jacobian(self, X: Array) -> Array:
        """d phi / d x at each row: (N, 2 + m, 2). Rows 0, 1 are the identity."""
        X = np.asarray(X, dtype=np.float64)
        n = X.shape[0]
        J = np.zeros((n, self.n_features, 2))
        J[:, 0, 0] = 1.0
        J[:, 1, 1] = 1.0
        a, b = X[:, 0], X[:, 1]
        for j, token in enumerate(self.tokens):
            g1, g2 = FEATURES[token].grad(a, b)
            J[:, 2 + j, 0] = g1 / self.scale[j]
            J[:, 2 + j, 1] = g2 / self.scale[j]
        return J

    def to_json(self) -> dict:
        """What the browser needs to evaluate phi per pixel."""
        return {
            "tokens": list(self.tokens),
            "mean": [float(v) for v in self.mean],
            "scale": [float(v) for v in self.scale],
        }


IDENTITY = FeatureMap((), np.empty(0), np.empty(0))


def fit_feature_map(X_train: Array, tokens: tuple[str, ...]) -> FeatureMap:
    """The map with ``tokens`` standardised on ``X_train`` (N, 2): mean and population sd.

    A feature that is constant on the training set (sd below 1e-12 of its size) keeps scale 1,
    so phi stays finite.
    """
    extra = raw_features(X_train, tokens)
    if extra.shape[1] == 0:
        return IDENTITY
    mean = extra.mean(axis=0)
    sd = extra.std(axis=0)
    floor = 1e-12 * np.maximum(np.abs(extra).max(axis=0), 1.0)
    scale = np.where(sd > floor, sd, 1.0)
    return FeatureMap(tuple(tokens), mean, scale)


def input_directions(W: Array, fmap: FeatureMap, X: Array, residual: Array) -> Array:
    """-J_phi(x_i)^T W (pi_i - y_i) for every sample: (N, 2).

    The direction in the input plane along which sample i's loss falls fastest (the gradient
    of its loss with respect to x_i is J_phi(x_i)^T W (pi_i - y_i)). W (2 + m, K),
    residual (N, K). With no extra feature it is -W (pi_i - y_i), the plain model's arrow.
    """
    step = np.asarray(residual, dtype=np.float64) @ np.asarray(W, dtype=np.float64).T  # (N, D)
    return -np.einsum("nd,ndi->ni", step, fmap.jacobian(X))
