"""Input checks for the public functions of ``softmax_core``.

Inputs are validated once, at the public boundary; a bad value raises a
``ValueError`` whose message names the argument and what was expected.
"""

from __future__ import annotations

import numpy as np


def float_dtype(*arrays) -> np.dtype:
    """float32 when every argument is a float32 array, else float64: the dtype policy of
    the public functions (float32 in, float32 out where that is cheap and exact enough)."""
    if arrays and all(getattr(a, "dtype", None) == np.float32 for a in arrays):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def as_float_array(
    value, name: str, ndim: int | None = None, *, dtype=np.float64, allow_inf: bool = False
) -> np.ndarray:
    """Convert ``value`` to a float array (float64 unless told), checking its number of
    dimensions and that it is finite (or, with ``allow_inf``, free of NaN only)."""
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric; got {type(value).__name__}: {exc}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array; got shape {arr.shape}")
    if allow_inf:
        if np.isnan(arr).any():
            raise ValueError(f"{name} must not contain NaN; it has {int(np.isnan(arr).sum())}")
    elif not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} must be finite; it has {bad} NaN or infinite value(s)")
    return arr


def check_features(X, name: str = "X") -> np.ndarray:
    """Return X as a finite float64 array of shape (N, D) with N >= 1 and D >= 1."""
    X = as_float_array(X, name, ndim=2)
    if X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"{name} must have shape (N, D) with N >= 1 and D >= 1; got {X.shape}")
    return X


def check_labels(y, n_samples: int, n_classes: int | None = None, name: str = "y") -> np.ndarray:
    """Return hard labels as int64 of shape (N,), or soft targets as float64 of shape (N, K).

    Hard labels must be whole numbers in [0, K). Soft targets must be non-negative rows that sum
    to 1 (within 1e-6). ``n_classes`` is inferred from hard labels as max(y) + 1 when not given.
    """
    arr = np.asarray(y)
    if arr.ndim == 1:
        if arr.shape[0] != n_samples:
            raise ValueError(
                f"{name} must have {n_samples} labels (one per row of X); got {arr.shape[0]}"
            )
        if arr.dtype.kind not in "iuf" and arr.dtype != bool:
            raise ValueError(f"{name} must hold integer class labels; got dtype {arr.dtype}")
        if arr.dtype.kind == "f" and (not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr))):
            raise ValueError(
                f"{name} must hold whole-number class labels; got {arr.dtype} "
                "values that are not whole numbers"
            )
        labels = arr.astype(np.int64)
        if labels.size and labels.min() < 0:
            raise ValueError(f"{name} must hold labels in [0, K); got {labels.min()}")
        if n_classes is not None and labels.size and labels.max() >= n_classes:
            raise ValueError(f"{name} must hold labels in [0, {n_classes}); got {labels.max()}")
        return labels
    if arr.ndim == 2:
        targets = as_float_array(arr, name, ndim=2)
        if targets.shape[0] != n_samples:
            raise ValueError(
                f"{name} must have {n_samples} rows (one per row of X); got {targets.shape[0]}"
            )
        if n_classes is not None and targets.shape[1] != n_classes:
            raise ValueError(
                f"{name} must have {n_classes} columns (one per class); got {targets.shape[1]}"
            )
        if np.any(targets < 0) or not np.allclose(targets.sum(axis=1), 1.0, atol=1e-6):
            raise ValueError(
                f"{name} as probability targets must have non-negative rows that sum to 1"
            )
        return targets
    raise ValueError(
        f"{name} must be integer labels of shape (N,) or probability targets of "
        f"shape (N, K); got shape {arr.shape}"
    )


def infer_n_classes(y: np.ndarray) -> int:
    """K for checked labels: the number of columns of soft targets, else max(y) + 1."""
    return int(y.shape[1]) if y.ndim == 2 else int(y.max()) + 1 if y.size else 0


def check_n_classes(n_classes: int, name: str = "K") -> int:
    """K must be a whole number >= 2: softmax over one class is always 1."""
    if isinstance(n_classes, bool) or int(n_classes) != n_classes or n_classes < 2:
        raise ValueError(
            f"{name} (number of classes) must be a whole number >= 2; got {n_classes!r}"
        )
    return int(n_classes)


def check_non_negative(value, name: str) -> float:
    """A finite scalar >= 0 (l2 strength, spread...)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number >= 0; got {value!r}") from None
    if not np.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
    return v


def check_positive(value, name: str) -> float:
    """A finite scalar > 0 (learning rate...)."""
    v = check_non_negative(value, name)
    if v == 0:
        raise ValueError(f"{name} must be > 0; got {value!r}")
    return v


def check_params(W, b, n_features: int, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """W must be finite with shape (D, K) and b with shape (K,)."""
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    if W.shape != (n_features, n_classes):
        raise ValueError(f"W must have shape (D, K) = ({n_features}, {n_classes}); got {W.shape}")
    if b.shape != (n_classes,):
        raise ValueError(f"b must have shape (K,) = ({n_classes},); got {b.shape}")
    return W, b
