"""Bad input raises NumPy's exception types: TypeError for unsupported dtype combinations and
unknown dtypes, ValueError for bad shapes, IndexError, AxisError (a ValueError and an IndexError),
OverflowError for out-of-bounds Python ints."""

import pytest

from wgpy import testing
from wgpy.testing import numpy_wgpy_array_equal


def _f(xp):
    return testing.shaped_arange((2, 3), xp, 'float32')


def _i(xp):
    return testing.shaped_arange((2, 3), xp, 'int32')


def _b(xp):
    return testing.shaped_arange((2, 3), xp, 'bool')


CASES = {
    # TypeError: no loop for these dtypes
    'bitwise_and_float': lambda xp: xp.bitwise_and(_f(xp), _f(xp)),
    'invert_float': lambda xp: ~_f(xp),
    'shift_float': lambda xp: _f(xp) << 1,
    'negative_bool': lambda xp: -_b(xp),
    'subtract_bool': lambda xp: _b(xp) - _b(xp),
    'sign_bool': lambda xp: xp.sign(_b(xp)),
    'float_or_int': lambda xp: _f(xp) | _i(xp),
    # TypeError: casting
    'int_iadd_float': lambda xp: xp.add(_i(xp), 1.5, out=_i(xp)),
    'int_out_of_float': lambda xp: xp.sqrt(_i(xp), out=_i(xp)),
    'dtype_arg_cast': lambda xp: xp.add(_f(xp), _f(xp), dtype='int32'),
    'astype_safe': lambda xp: _f(xp).astype('int32', casting='safe'),
    # TypeError: unknown dtypes
    'dtype_garbage': lambda xp: xp.zeros(3, dtype='float31'),
    'dtype_garbage_astype': lambda xp: _f(xp).astype('not a dtype'),
    # ValueError: shapes
    'reshape_size': lambda xp: _f(xp).reshape(4, 2),
    'reshape_two_unknown': lambda xp: _f(xp).reshape(-1, -1),
    'negative_dim': lambda xp: xp.zeros((2, -1)),
    'broadcast': lambda xp: _f(xp) + xp.zeros((3, 2)),
    'matmul_mismatch': lambda xp: _f(xp) @ _f(xp),
    'matmul_0d': lambda xp: xp.matmul(xp.asarray(1.0), _f(xp)),
    'ragged': lambda xp: xp.asarray([[1, 2], [3]]),
    'transpose_repeat': lambda xp: _f(xp).transpose(0, 0),
    'transpose_count': lambda xp: _f(xp).transpose(0, 1, 2),
    'squeeze_not_one': lambda xp: _f(xp).squeeze(axis=1),
    'max_empty': lambda xp: xp.zeros(0).max(),
    'argmin_empty': lambda xp: xp.zeros((0, 2)).argmin(),
    'bool_ambiguous': lambda xp: bool(_f(xp)),
    'where_broadcast': lambda xp: xp.where(_b(xp), _f(xp), xp.zeros(4)),
    'assign_shape': lambda xp: _f(xp).__setitem__(0, xp.zeros(2)),
    'negative_power': lambda xp: _i(xp) ** -1,
    'item_size': lambda xp: _f(xp).item(),
    'casting_name': lambda xp: _f(xp).astype('int32', casting='sometimes'),
    'linspace_num': lambda xp: xp.linspace(0, 1, -3),
    # IndexError
    'too_many_indices': lambda xp: _f(xp)[0, 0, 0],
    'index_oob': lambda xp: _f(xp)[2],
    'index_oob_neg': lambda xp: _f(xp)[:, -4],
    'two_ellipses': lambda xp: _f(xp)[..., ...],
    'float_index': lambda xp: _f(xp)[0.5],
    'set_oob': lambda xp: _f(xp).__setitem__((0, 3), 1),
    'index_0d': lambda xp: xp.asarray(1.0)[0],
    # AxisError
    'sum_axis': lambda xp: _f(xp).sum(axis=2),
    'sum_axis_neg': lambda xp: _f(xp).sum(axis=-3),
    'argmax_axis': lambda xp: _f(xp).argmax(axis=5),
    'swapaxes_axis': lambda xp: _f(xp).swapaxes(0, 2),
    'expand_dims_axis': lambda xp: xp.expand_dims(_f(xp), 4),
    'squeeze_axis': lambda xp: _f(xp).squeeze(axis=3),
    'moveaxis_axis': lambda xp: xp.moveaxis(_f(xp), 0, 2),
    'mean_axis_dup': lambda xp: _f(xp).mean(axis=(0, 0)),
    # OverflowError (NEP 50)
    'u8_plus_300': lambda xp: testing.shaped_arange((3,), xp, 'uint8') + 300,
    'u8_minus_lit': lambda xp: testing.shaped_arange((3,), xp, 'uint8') * -1,
    'i8_full': lambda xp: xp.full(3, 200, dtype='int8'),
    'i16_asarray': lambda xp: xp.asarray([1, 40000], dtype='int16'),
    'u16_setitem': lambda xp: testing.shaped_arange((3,), xp, 'uint16').__setitem__(0, -5),
}


@pytest.mark.parametrize('case', list(CASES))
@numpy_wgpy_array_equal(accept_error=True)
def test_error(xp, case):
    r = CASES[case](xp)
    # every case raises in NumPy; this only runs for wgpy when it fails to raise
    return r


@pytest.mark.native_only
def test_every_case_raises_in_numpy():
    # the table above is about errors: each case must raise in NumPy (natively checked)
    np = pytest.importorskip('numpy')
    import warnings
    for name, f in CASES.items():
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            try:
                f(np)
            except Exception:
                continue
        raise AssertionError('case %r does not raise in numpy' % name)


def test_axis_error_is_value_and_index_error():
    import wgpy as wp
    a = wp.zeros((2, 3))
    with pytest.raises(ValueError):
        a.sum(axis=3)
    with pytest.raises(IndexError):
        a.sum(axis=3)
    assert issubclass(wp.AxisError, ValueError) and issubclass(wp.AxisError, IndexError)
    try:
        np = __import__('numpy')
    except ImportError:
        return
    assert wp.AxisError is np.exceptions.AxisError


@pytest.mark.parametrize('dt', ['clongdouble', 'object', 'U3', 'datetime64[s]'])
def test_unsupported_dtype_raises_type_error(dt):
    # dtypes NumPy has and wgpy does not: a TypeError naming the dtype, never a silent substitute
    import wgpy as wp
    with pytest.raises(TypeError):
        wp.zeros(3, dtype=dt)


@pytest.mark.parametrize('obj', ['abc', [1, None], [1, 'a'], object()])
def test_unsupported_python_input_raises_type_error(obj):
    import wgpy as wp
    with pytest.raises((TypeError, ValueError)):
        wp.asarray(obj)


def test_error_messages_are_clear():
    import wgpy as wp
    a = wp.zeros((2, 3), dtype='float32')
    with pytest.raises(ValueError, match='broadcast|shape'):
        a + wp.zeros((3, 2))
    with pytest.raises(IndexError, match='out of bounds|index'):
        a[5]
    with pytest.raises(TypeError, match='bitwise_and|not supported|float32'):
        wp.bitwise_and(a, a)


def test_out_that_broadcasts_with_nothing_raises_value_error():
    # the message names the inputs' broadcast shape (regression: it read an unset shape)
    import wgpy as wp
    with pytest.raises(ValueError, match=r'non-broadcastable output operand with shape \(2, 4\)'):
        wp.add(wp.ones(3), 1, out=wp.ones((2, 4)))
