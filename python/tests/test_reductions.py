"""Reductions: sum, prod, min, max, mean, var, std (ddof), argmin, argmax, any, all over axis
None/int/negative/tuple, keepdims, dtype=, out=, empty arrays, NaN propagation."""

import pytest

from wgpy import testing
from wgpy.testing import ALL_DTYPES, numpy_wgpy_allclose, numpy_wgpy_array_equal

REDUCTIONS = ['sum', 'prod', 'min', 'max', 'mean', 'var', 'std', 'argmin', 'argmax', 'any', 'all']
AXES = [None, 0, 1, -1, (0, 2), (2, 0), (), (0, 1, 2), -3]
# float16 sums may round differently by summation order
TOL = {'float16': 1e-2, 'default': 1e-5}


def _input(xp, name, dtype, shape=(2, 3, 4), seed=0):
    if name == 'prod':
        # values in {1, 2}: products of 24 of them fit every integer dtype's accumulator
        return testing.shaped_random(shape, xp, dtype, seed=seed, scale=2, low=1)
    return testing.shaped_random(shape, xp, dtype, seed=seed, scale=10)


@pytest.mark.parametrize('dtype', ALL_DTYPES)
@pytest.mark.parametrize('name', REDUCTIONS)
@numpy_wgpy_allclose(rtol=TOL, atol=TOL, accept_error=True)
def test_reduce_all_axes_none(xp, name, dtype):
    a = _input(xp, name, dtype)
    return (getattr(xp, name)(a), getattr(a, name)())


@pytest.mark.parametrize('axis', AXES)
@pytest.mark.parametrize('dtype', ['int8', 'uint16', 'int32', 'float16', 'float32', 'bool'])
@pytest.mark.parametrize('name', REDUCTIONS)
@numpy_wgpy_allclose(rtol=TOL, atol=TOL, accept_error=True)
def test_reduce_axis(xp, name, dtype, axis):
    # tuple axes for argmin/argmax raise TypeError in NumPy
    a = _input(xp, name, dtype, seed=1)
    return getattr(xp, name)(a, axis=axis)


@pytest.mark.parametrize('axis', [None, 1, (0, 2), -1])
@pytest.mark.parametrize('name', REDUCTIONS)
@numpy_wgpy_allclose(accept_error=True)
def test_reduce_keepdims(xp, name, axis):
    a = _input(xp, name, 'float32', seed=2)
    return getattr(a, name)(axis=axis, keepdims=True)


@pytest.mark.parametrize('name', REDUCTIONS)
@numpy_wgpy_allclose(accept_error=True)
def test_reduce_views(xp, name):
    a = _input(xp, name, 'float32', shape=(4, 5, 6), seed=3)
    v = a[::-1, 1:4, ::2].transpose(2, 0, 1)
    return (getattr(v, name)(), getattr(v, name)(axis=1), getattr(a[:, 2], name)(axis=0))


@pytest.mark.parametrize('dtype', ALL_DTYPES)
@pytest.mark.parametrize('name', ['sum', 'prod', 'mean'])
@pytest.mark.parametrize('in_dtype', ['bool', 'int8', 'uint8', 'int32', 'float16'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL, accept_error=True)
def test_reduce_dtype_arg(xp, in_dtype, name, dtype):
    a = _input(xp, name, in_dtype, shape=(3, 4), seed=4)
    return (getattr(xp, name)(a, dtype=dtype), getattr(a, name)(axis=0, dtype=dtype))


@numpy_wgpy_array_equal()
def test_sum_dtype_wraps(xp):
    a = testing.xp_array(xp, [100, 100, 100, 50], 'int8')
    return (a.sum(dtype='int8'), a.sum(), a.astype('uint8').sum(dtype='uint8'))


@pytest.mark.parametrize('ddof', [0, 1, 2, 3, 4])
@pytest.mark.parametrize('name', ['var', 'std'])
@numpy_wgpy_allclose(accept_error=True)
def test_ddof(xp, name, ddof):
    a = _input(xp, name, 'float32', shape=(3, 4), seed=5)
    return (getattr(a, name)(ddof=ddof), getattr(a, name)(axis=0, ddof=ddof),
            getattr(xp, name)(a, axis=1, ddof=ddof))


@pytest.mark.parametrize('axis', [None, 0, 1])
@pytest.mark.parametrize('name', REDUCTIONS)
@numpy_wgpy_allclose(accept_error=True)
def test_empty_arrays(xp, name, axis):
    # min/max/argmin/argmax of nothing raise ValueError; sum is 0, prod 1, mean nan, any False...
    a = xp.zeros((0, 3), dtype='float32')
    return getattr(a, name)(axis=axis)


@pytest.mark.parametrize('name', REDUCTIONS)
@numpy_wgpy_allclose(accept_error=True)
def test_zero_d(xp, name):
    a = xp.asarray(2.5, dtype='float32')
    return (getattr(a, name)(), getattr(xp, name)(a, axis=None))


@pytest.mark.parametrize('dtype', ['float16', 'float32', 'float64'])
@pytest.mark.parametrize('name', REDUCTIONS)
@numpy_wgpy_allclose(accept_error=True)
def test_nan_propagation(xp, name, dtype):
    nan, inf = float('nan'), float('inf')
    a = testing.xp_array(xp, [[1.0, nan, 3.0, nan], [inf, 2.0, -inf, 0.5], [0.0, 1.0, 2.0, 3.0]],
                         dtype)
    return (getattr(a, name)(), getattr(a, name)(axis=0), getattr(a, name)(axis=1))


@pytest.mark.parametrize('name', ['argmin', 'argmax', 'min', 'max'])
@numpy_wgpy_array_equal()
def test_ties_first_occurrence(xp, name):
    a = testing.xp_array(xp, [[3, 1, 3, 1], [2, 2, 2, 2], [0, 5, 5, 0]], 'int16')
    return (getattr(a, name)(), getattr(a, name)(axis=0), getattr(a, name)(axis=1))


@pytest.mark.parametrize('name', ['argmin', 'argmax'])
@numpy_wgpy_array_equal()
def test_arg_keepdims_and_flat(xp, name):
    a = _input(xp, name, 'float32', seed=6)
    return (getattr(a, name)(axis=1, keepdims=True), getattr(a.T, name)(),
            getattr(a[:, ::-1], name)(axis=-1))


@pytest.mark.parametrize('axis', [3, -4, (0, 0), (0, 3), 1.0])
@pytest.mark.parametrize('name', ['sum', 'max', 'argmax', 'mean', 'any'])
@numpy_wgpy_array_equal(accept_error=True)
def test_bad_axis(xp, name, axis):
    a = _input(xp, name, 'float32')
    return getattr(a, name)(axis=axis)


@pytest.mark.parametrize('name', ['sum', 'max', 'mean', 'any', 'prod'])
@numpy_wgpy_allclose(accept_error=True)
def test_reduce_out(xp, name):
    a = _input(xp, name, 'float32', shape=(3, 4), seed=7)
    out = xp.zeros((4,), dtype='bool' if name == 'any' else 'float32')
    r = getattr(xp, name)(a, axis=0, out=out)
    return (r is out, out)


@pytest.mark.parametrize('dtype', ['bool', 'int8', 'float32'])
@numpy_wgpy_array_equal()
def test_any_all_values(xp, dtype):
    a = testing.xp_array(xp, [[0, 0, 1], [1, 1, 1], [0, 0, 0]], dtype)
    return (a.any(), a.all(), a.any(axis=0), a.all(axis=1), xp.any(a[2]), xp.all(a[1]))


@numpy_wgpy_allclose()
def test_reduce_of_expression(xp):
    a = _input(xp, 'sum', 'float32', shape=(5, 6), seed=8)
    b = _input(xp, 'sum', 'float32', shape=(6,), seed=9)
    return ((a * b + 1).sum(axis=1), (a - b).max(), xp.sqrt(a * a).mean(axis=0),
            ((a > 5) & (b < 5)).sum())


@numpy_wgpy_array_equal()
def test_reduce_across_texture_rows(xp):
    # webgl2 stores 4096 words a texture row and walks a reduced axis along the rows, four
    # elements a step (docs/webgl2.md, REDUCE): offsets that are not multiples of 4, two inputs
    # out of step, rows crossed, two passes (more than 4096 elements), a stride of 3, a stride
    # past a row (5000) and a negative one (the index loop)
    a = xp.arange(9001, dtype='int32') % 7
    b = xp.arange(9001, dtype='int32') % 97
    c = (xp.arange(9000, dtype='int32') % 11).reshape(3000, 3)
    d = (xp.arange(15000, dtype='int32') % 5).reshape(3, 5000)
    return (a[3:].sum(), (a[1:] * a[:-1]).sum(), a[::-1].sum(), b[5:].argmax(), b[2:].argmin(),
            c.sum(axis=0), c[1:].max(axis=0), d.sum(axis=0)[4090:4110], (a[:4099] + 1).prod(dtype='bool'))
