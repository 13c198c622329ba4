"""unique (return_index/inverse/counts, axis, equal_nan), unique_all/counts/inverse/values, isin,
intersect1d (return_indices), union1d, setdiff1d, setxor1d against numpy (issue 10).  unique reads
one count back (the number of unique values); everything else stays on the device."""

import pytest

from wgpy import testing
from wgpy.testing import shaped_arange, shaped_random, ALL_DTYPES

eq = testing.numpy_wgpy_array_equal
def eq_err():
    return testing.numpy_wgpy_array_equal(accept_error=True)


def nanny(xp, dtype='float32'):
    nan = float('nan')
    return xp.asarray([2.0, nan, 1.0, 2.0, -0.0, 0.0, nan, 1.0, 3.5], dtype=dtype)


# ---- unique ----
@pytest.mark.parametrize('dtype', ALL_DTYPES)
@eq()
def test_unique_all_returns(xp, dtype):
    x = shaped_random((6, 7), xp, dtype, seed=1, scale=9)
    return xp.unique(x, return_index=True, return_inverse=True, return_counts=True)


@pytest.mark.parametrize('n', [1, 2, 3, 8, 9, 31, 32, 33, 257])
@eq()
def test_unique_sizes(xp, n):
    x = shaped_random((n,), xp, 'int32', seed=n, scale=n // 2 + 1)
    return xp.unique(x), xp.unique(x, return_counts=True)


@pytest.mark.parametrize('equal_nan', [True, False])
@eq()
def test_unique_nan(xp, equal_nan):
    return xp.unique(nanny(xp), return_index=True, return_inverse=True, return_counts=True,
                     equal_nan=equal_nan)


@pytest.mark.parametrize('axis', [0, 1, -1])
@eq()
def test_unique_axis(xp, axis):
    x = shaped_random((7, 5), xp, 'int32', seed=2, scale=2)
    x = xp.concatenate([x, x[:3]], axis=0)
    return xp.unique(x, return_index=True, return_inverse=True, return_counts=True, axis=axis)


@eq()
def test_unique_axis_3d(xp):
    x = shaped_random((3, 4, 2), xp, 'float32', seed=3, scale=2)
    return xp.unique(x, axis=1), xp.unique(x, axis=0, return_counts=True)


@pytest.mark.parametrize('shape', [(0,), (2, 0), (1,), ()])
@eq()
def test_unique_empty_and_small(xp, shape):
    x = xp.ones(shape, dtype='float32')
    return xp.unique(x, return_index=True, return_inverse=True, return_counts=True)


@eq_err()
def test_unique_bad_axis(xp):
    return xp.unique(shaped_arange((2, 3), xp), axis=2)


@eq()
def test_unique_all_family(xp):
    x = shaped_random((4, 6), xp, 'int16', seed=5, scale=5)
    a = xp.unique_all(x)
    c = xp.unique_counts(x)
    i = xp.unique_inverse(x)
    return (tuple(a), a.values, a.counts, tuple(c), c.counts, tuple(i), i.inverse_indices,
            xp.sort(xp.unique_values(x)))


@eq()
def test_unique_all_nan_not_equal(xp):
    a = xp.unique_all(nanny(xp))
    return a.values, a.indices, a.inverse_indices, a.counts


# ---- isin ----
@pytest.mark.parametrize('invert', [False, True])
@eq()
def test_isin(xp, invert):
    e = shaped_random((4, 5), xp, 'int32', seed=6, scale=10)
    t = xp.asarray([[3, 7], [1, 3]], dtype='int32')
    return xp.isin(e, t, invert=invert), xp.isin(e, [9], invert=invert), \
        xp.isin(e, t, assume_unique=True, invert=invert)


@eq()
def test_isin_mixed_dtypes_nan_empty(xp):
    e = nanny(xp)
    return (xp.isin(e, xp.asarray([1, 3], dtype='int8')), xp.isin(e, nanny(xp)),
            xp.isin(e, xp.zeros((0,), dtype='float32')),
            xp.isin(e, xp.zeros((0,), dtype='float32'), invert=True),
            xp.isin(xp.asarray(2), [1, 2]), xp.isin(e, [2.0], kind='sort'))


@eq_err()
def test_isin_bad_kind(xp):
    return xp.isin(xp.arange(3), [1], kind='hash')


# ---- set operations ----
def pair(xp, dtype='int32'):
    return (shaped_random((17,), xp, dtype, seed=7, scale=12),
            shaped_random((3, 4), xp, dtype, seed=8, scale=12))


@pytest.mark.parametrize('dtype', ['int32', 'float32', 'uint8', 'int16'])
@eq()
def test_setops(xp, dtype):
    a, b = pair(xp, dtype)
    return (xp.intersect1d(a, b), xp.union1d(a, b), xp.setdiff1d(a, b), xp.setxor1d(a, b),
            xp.intersect1d(a, b, return_indices=True))


@eq()
def test_setops_assume_unique(xp):
    a = xp.asarray([5, 1, 3, 9], dtype='int32')
    b = xp.asarray([3, 4, 9, 0], dtype='int32')
    return (xp.intersect1d(a, b, assume_unique=True), xp.setdiff1d(a, b, assume_unique=True),
            xp.setxor1d(a, b, assume_unique=True),
            xp.intersect1d(a, b, assume_unique=True, return_indices=True))


@eq()
def test_setops_nan_and_empty(xp):
    a = nanny(xp)
    e = xp.zeros((0,), dtype='float32')
    return (xp.intersect1d(a, a), xp.union1d(a, e), xp.setdiff1d(a, e), xp.setdiff1d(e, a),
            xp.setxor1d(e, e), xp.setxor1d(a, e), xp.intersect1d(e, a),
            xp.intersect1d(e, e, return_indices=True))


@eq()
def test_setops_mixed_dtypes(xp):
    a = xp.asarray([1, 2, 3], dtype='int8')
    b = xp.asarray([2.5, 3.0], dtype='float32')
    return xp.union1d(a, b), xp.intersect1d(a, b), xp.setdiff1d(a, b), xp.setxor1d(a, b)
