"""Hypothesis properties of softmax, log-softmax and the softmax Jacobian.

Logits range up to 1e300 in size: far past where exp overflows (710), but their differences
stay inside float64, so the shift by the maximum must keep every result finite.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import softmax_core as sc

EPS = np.finfo(np.float64).eps
PROPS = settings(max_examples=60, deadline=None)


def logit_arrays(max_value: float = 1e300):
    """(rows, K) float64 arrays, K >= 1, finite entries of any size up to ``max_value``."""
    shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=6)
    elements = st.floats(-max_value, max_value, allow_nan=False, allow_infinity=False)
    return hnp.arrays(np.float64, shapes, elements=elements)


@PROPS
@given(logit_arrays())
def test_softmax_rows_are_distributions_without_overflow(z):
    p = sc.softmax(z)
    assert p.shape == z.shape
    assert np.all(np.isfinite(p))
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=0, atol=8 * EPS)
    # the largest logit always gets the largest probability (softmax is monotonic)
    np.testing.assert_array_equal(
        np.take_along_axis(p, z.argmax(axis=-1)[..., None], -1)[..., 0], p.max(axis=-1)
    )


@PROPS
@given(logit_arrays())
def test_log_softmax_is_finite_and_non_positive_at_any_size(z):
    lp = sc.log_softmax(z)
    assert np.all(np.isfinite(lp))
    assert np.all(lp <= 0)


@PROPS
@given(
    logit_arrays(max_value=1e6),
    st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)
def test_softmax_is_shift_invariant(z, c):
    # z + c rounds each logit by at most one ulp of |z| + |c|; p moves by at most that much
    tol = 4 * EPS * (np.max(np.abs(z)) + abs(c)) + 1e-15
    np.testing.assert_allclose(sc.softmax(z + c), sc.softmax(z), rtol=0, atol=tol)
    np.testing.assert_allclose(sc.log_softmax(z + c), sc.log_softmax(z), rtol=0, atol=4 * tol)


@PROPS
@given(logit_arrays(max_value=1e6))
def test_log_softmax_is_log_of_softmax_where_representable(z):
    p = sc.softmax(z)
    lp = sc.log_softmax(z)
    ok = p > 1e-300  # elsewhere log(softmax) is -inf or denormal while log_softmax is exact
    tol = 8 * EPS * (np.max(np.abs(z)) + 1.0)
    np.testing.assert_allclose(np.log(p[ok]), lp[ok], rtol=1e-12, atol=tol)
    np.testing.assert_allclose(np.exp(lp), p, rtol=1e-12, atol=1e-300)


@PROPS
@given(logit_arrays(max_value=1e3))
def test_softmax_jacobian_is_symmetric_with_rows_summing_to_zero(z):
    jac = sc.softmax_jacobian(sc.softmax(z))
    assert jac.shape == (*z.shape, z.shape[-1])
    np.testing.assert_array_equal(jac, np.swapaxes(jac, -1, -2))
    np.testing.assert_allclose(jac.sum(axis=-1), 0.0, rtol=0, atol=4 * EPS)
    # diagonal p(1 - p) >= 0: the Jacobian is positive semi-definite
    assert np.all(np.diagonal(jac, axis1=-2, axis2=-1) >= 0)


@PROPS
@given(logit_arrays(max_value=1e300).filter(lambda a: a.ndim == 2 and a.shape[1] >= 2))
def test_cross_entropy_finite_and_non_negative_at_huge_logits(z):
    y = np.arange(z.shape[0]) % z.shape[1]
    losses = sc.cross_entropy(z, y, reduction="none")
    assert np.all(np.isfinite(losses))
    assert np.all(losses >= 0)
    # logsumexp(z) - z_y, a different route (exact up to one ulp of the largest logit)
    tol = 4 * EPS * np.max(np.abs(z))
    expected = sc.logsumexp(z) - z[np.arange(z.shape[0]), y]
    np.testing.assert_allclose(losses, expected, rtol=1e-13, atol=tol)


@PROPS
@given(st.floats(-1e300, 1e300, allow_nan=False), st.floats(-1e300, 1e300, allow_nan=False))
def test_two_class_softmax_is_sigmoid_of_the_difference(z1, z2):
    np.testing.assert_allclose(
        sc.softmax([z1, z2])[0], sc.sigmoid(z1 - z2), rtol=1e-13, atol=1e-300
    )
