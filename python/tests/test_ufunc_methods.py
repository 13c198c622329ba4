"""ufunc objects (issue 10): attributes, reduce (axis, dtype, out, keepdims, initial, where),
outer, at (unbuffered), reduceat, accumulate, and calls with out=, where=, dtype=, casting=."""

import pytest

import wgpy as wp
from wgpy import testing
from wgpy.testing import shaped_arange

eq = testing.numpy_wgpy_array_equal
close = testing.numpy_wgpy_allclose


def eq_err():
    return testing.numpy_wgpy_array_equal(accept_error=True)


def I(xp, v, dtype='int32'):
    return xp.asarray(v, dtype=dtype)


@pytest.mark.parametrize('name', ['add', 'multiply', 'maximum', 'logical_and', 'negative',
                                  'sqrt', 'isnan', 'bitwise_or', 'gcd', 'absolute', 'abs',
                                  'arctan2', 'true_divide', 'divide', 'heaviside'])
@eq()
def test_attributes(xp, name):
    u = getattr(xp, name)
    return u.nin, u.nout, u.nargs, u.identity, u.__name__, repr(u)


def test_is_ufunc():
    assert isinstance(wp.add, wp.ufunc) and wp.abs is wp.absolute and wp.add.ntypes > 0
    assert wp.add.types[0] == '??->?' and wp.add.signature is None


@pytest.mark.parametrize('name', ['add', 'multiply', 'maximum', 'minimum'])
@pytest.mark.parametrize('axis', [0, 1, -1, None, (0, 1)])
@pytest.mark.parametrize('keepdims', [False, True])
@close()
def test_reduce(xp, name, axis, keepdims):
    a = shaped_arange((3, 4), xp, 'float32') % 7 - 2
    return getattr(xp, name).reduce(a, axis=axis, keepdims=keepdims)


@eq()
def test_reduce_logical_and_dtype_out(xp):
    a = shaped_arange((3, 4), xp, 'int16') % 3
    out = xp.zeros(4, dtype='float32')
    xp.add.reduce(a, axis=0, out=out)
    return (xp.logical_and.reduce(a, axis=1), xp.logical_or.reduce(a == 0, axis=0),
            xp.add.reduce(a, dtype='float32'), out, xp.add.reduce(xp.asarray(3.0), axis=None))


@eq()
def test_reduce_initial_where(xp):
    a = shaped_arange((3, 4), xp, 'float32')
    w = xp.asarray([[True, False, True, True]] * 3)
    return (xp.add.reduce(a, axis=1, initial=10.0), xp.multiply.reduce(a, where=w, axis=0),
            xp.maximum.reduce(a, axis=0, initial=6.5), xp.minimum.reduce(a, axis=1, where=w,
                                                                          initial=100.0),
            xp.maximum.reduce(xp.zeros((0, 3), dtype='float32'), axis=0, initial=-1.0),
            xp.sum(a, where=w), xp.max(a, initial=100.0))


@pytest.mark.parametrize('case', range(3))
@eq_err()
def test_reduce_errors(xp, case):
    a = shaped_arange((3, 4), xp, 'float32')
    if case == 0:
        return xp.maximum.reduce(a, where=a > 2)
    if case == 1:
        return xp.maximum.reduce(xp.zeros((0,), dtype='float32'))
    return xp.negative.reduce(a)


@pytest.mark.parametrize('name', ['bitwise_and', 'bitwise_or', 'bitwise_xor', 'logical_xor'])
@pytest.mark.parametrize('dtype', ['int8', 'uint8', 'int32', 'uint32', 'bool'])
@pytest.mark.parametrize('axis', [0, 2, -1, None, (0, 2)])
@eq()
def test_reduce_bitwise(xp, name, dtype, axis):
    # 700 along the last axis: more than one pass of the engine's chunked fold (256 a pass)
    a = (shaped_arange((2, 3, 700), xp, 'int32') % 37 * 7).astype(dtype)
    return getattr(xp, name).reduce(a, axis=axis)


@eq()
def test_reduce_bitwise_options(xp):
    a = I(xp, [[3, 7, 5], [12, 10, 9]])
    w = xp.asarray([True, True, False])
    return (xp.bitwise_and.reduce(a, axis=1, where=w, keepdims=True),
            xp.bitwise_xor.reduce(a, axis=0, initial=8), xp.bitwise_or.reduce(a, axis=(0, 1)),
            xp.bitwise_and.reduce(xp.zeros((0,), dtype='int32')),
            xp.bitwise_or.reduce(xp.zeros((2, 0), dtype='uint8'), axis=1),
            xp.bitwise_xor.reduce(xp.asarray(5)), xp.logical_xor.reduce(a, axis=1),
            xp.bitwise_or.reduce(a, axis=1, dtype='int16'))


@pytest.mark.parametrize('dtype', ['int8', 'uint8', 'int32', 'float32'])
@pytest.mark.parametrize('axis', [0, 1, -1])
@close()
def test_reduce_subtract(xp, dtype, axis):
    a = (shaped_arange((4, 5), xp, 'int32') % 9 * 3).astype(dtype)
    return xp.subtract.reduce(a, axis=axis), xp.subtract.reduce(a, axis=axis, keepdims=True)


@eq()
def test_reduce_subtract_initial_where(xp):
    a = shaped_arange((3, 4), xp, 'int32')
    w = xp.asarray([True, False, True, True])
    return (xp.subtract.reduce(a, axis=1, initial=100, where=w),
            xp.subtract.reduce(a.ravel(), axis=None), xp.subtract.reduce(a, axis=(1,)))


@pytest.mark.parametrize('case', range(5))
@eq_err()
def test_reduce_fold_errors(xp, case):
    a = shaped_arange((3, 4), xp, 'float32')
    if case == 0:
        return xp.bitwise_and.reduce(a)        # TypeError: floats
    if case == 1:
        return xp.subtract.reduce(a > 2)       # TypeError: boolean subtract
    if case == 2:
        return xp.subtract.reduce(a, axis=None)  # ValueError: not reorderable
    if case == 3:
        return xp.subtract.reduce(xp.zeros((0,), dtype='float32'))  # no identity
    return xp.subtract.reduce(a, where=a > 2)  # a where mask needs initial


@eq()
def test_outer(xp):
    a = I(xp, [1, 2, 3])
    b = shaped_arange((2, 2), xp, 'int32')
    return xp.add.outer(a, b), xp.multiply.outer(a, a), xp.less.outer(a, I(xp, [2]))


@pytest.mark.parametrize('axis', [0, 1])
@eq()
def test_reduceat(xp, axis):
    a = shaped_arange((6, 5), xp, 'float32')
    idx = [0, 3, 1, 4] if axis == 0 else [0, 2, 2, 4]
    return xp.add.reduceat(a, idx, axis=axis), xp.maximum.reduceat(a, idx, axis=axis)


@pytest.mark.parametrize('name', ['add', 'subtract', 'multiply', 'maximum', 'minimum',
                                  'bitwise_or', 'bitwise_xor'])
@eq()
def test_at(xp, name):
    a = shaped_arange((5,), xp, 'int32')
    getattr(xp, name).at(a, I(xp, [0, 1, 1, 4, 1]), I(xp, [3, 5, 6, 2, 7]))
    b = shaped_arange((3, 4), xp, 'int32')
    getattr(xp, name).at(b, (I(xp, [0, 0, 2]), slice(1, 3)), 2)
    return a, b


@eq()
def test_at_float_and_unary(xp):
    a = shaped_arange((6,), xp, 'float32')
    xp.add.at(a, [0, 0, 5, 0], 0.5)
    xp.maximum.at(a, [2, 2], I(xp, [10, 3], 'float32'))
    xp.negative.at(a, [1, 1])
    xp.add.at(a, 3, 1.0)
    return a


@pytest.mark.parametrize('flag', [True, False])
@eq()
def test_at_scalar_bool(xp, flag):
    # a lone 0-d boolean index: a new axis of length 1 or 0 (Chainer's get_item backward)
    s = xp.asarray(2.0, dtype='float32')
    xp.add.at(s, (xp.asarray(flag),), xp.ones(1, dtype='float32'))
    a = shaped_arange((2, 3), xp, 'float32')
    xp.multiply.at(a, flag, 3.0)
    return s, a


@eq()
def test_at_basic_key_with_ellipsis(xp):
    a = shaped_arange((3, 4), xp, 'float32')
    xp.add.at(a, (Ellipsis, 1), 2.0)
    xp.add.at(a, (0, Ellipsis), 1.0)
    xp.add.at(a, (slice(None, 2), Ellipsis), shaped_arange((2, 4), xp, 'float32'))
    xp.multiply.at(a, (2, slice(1, 3)), 3.0)
    return a


@eq_err()
def test_at_errors(xp):
    a = shaped_arange((3,), xp, 'int32')
    xp.add.at(a, [0, 3], 1)
    return a


@eq()
def test_call_where_out_dtype_casting(xp):
    a = shaped_arange((4,), xp, 'float32')
    out = xp.full(4, -1.0, dtype='float32')
    xp.add(a, 1, out=out, where=I(xp, [1, 0, 1, 0], 'bool'))
    o2 = xp.zeros(4, dtype='float32')
    xp.multiply(a, 2, out=(o2,), casting='unsafe')
    return out, o2, xp.add(a, a, dtype='float32'), xp.negative(a, where=a > 2, out=a.copy())


@eq_err()
def test_call_casting_error(xp):
    a = shaped_arange((4,), xp, 'int32')
    return xp.add(a, xp.asarray(1.5, dtype='float32'), out=a, casting='safe')


@pytest.mark.parametrize('name', ['add', 'multiply', 'maximum', 'minimum', 'logical_or'])
@pytest.mark.parametrize('axis', [0, 1, -1])
@eq()
def test_accumulate(xp, name, axis):
    a = shaped_arange((3, 4), xp, 'int32') % 5 - 1
    return getattr(xp, name).accumulate(a, axis=axis)


@eq()
def test_accumulate_dtype_out(xp):
    a = shaped_arange((5,), xp, 'int16')
    out = xp.zeros(5, dtype='float32')
    xp.add.accumulate(a, out=out)
    return xp.multiply.accumulate(a, dtype='float32'), out


@pytest.mark.parametrize('case', range(2))
@eq_err()
def test_accumulate_errors(xp, case):
    if case == 0:
        return xp.add.accumulate(xp.asarray(3.0))
    return xp.add.accumulate(shaped_arange((2, 2), xp), axis=2)


@pytest.mark.parametrize('case', range(3))
@eq()
def test_mask_in_general_index(xp, case):
    a = shaped_arange((3, 4, 5), xp, 'float32')
    m = xp.asarray([True, False, True])
    if case == 0:
        return a[m, 1:], a[1, xp.asarray([True, False, True, True])]
    if case == 1:
        return a[:, shaped_arange((4, 5), xp, 'int32') % 3 == 0], a[m, 2, [0, 4]]
    a[m, 1:] = -1
    a[[True, False, True], 0, 0] += 1
    return a


@eq_err()
def test_mask_in_general_index_mismatch(xp):
    return shaped_arange((3, 4), xp)[xp.asarray([True, False]), 0]
