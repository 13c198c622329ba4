"""NumPy conformance details (issue 14): comparisons with None, iteration of 0-d arrays, clip
without bounds, string fill values, and NumPy's ufunc exception classes (UFuncTypeError and its
subclasses, which wgpy raises as subclasses of NumPy's own when numpy is importable)."""

import pytest

from wgpy import testing
from wgpy.testing import numpy_wgpy_array_equal


def _f(xp, shape=(2, 3)):
    return testing.shaped_arange(shape, xp, 'float32')


def _i(xp, shape=(2, 3), dtype='int32'):
    return testing.shaped_arange(shape, xp, dtype)


# ---- comparison with None, strings and other objects: elementwise, a bool array ------------------
NONE_CASES = {
    'eq_none': lambda xp: _f(xp) == None,  # noqa: E711 (the point of the test)
    'ne_none': lambda xp: _f(xp) != None,  # noqa: E711
    'none_eq': lambda xp: None == _i(xp),  # noqa: E711
    'none_ne': lambda xp: None != _i(xp),  # noqa: E711
    'eq_none_0d': lambda xp: xp.asarray(1.5, dtype='float32') == None,  # noqa: E711
    'eq_none_empty': lambda xp: xp.zeros((0, 2), dtype='float32') == None,  # noqa: E711
    'eq_none_bool': lambda xp: _i(xp, (3,), 'bool') == None,  # noqa: E711
    'equal_none': lambda xp: xp.equal(_f(xp), None),
    'not_equal_none': lambda xp: xp.not_equal(None, _i(xp, (4,), 'uint8')),
    'eq_str': lambda xp: _i(xp) == 'a',
    'ne_str': lambda xp: _f(xp) != '1',
    'eq_object': lambda xp: _f(xp) == object(),
    'eq_view': lambda xp: _f(xp, (3, 4))[::2, 1:] == None,  # noqa: E711
}


@pytest.mark.parametrize('case', sorted(NONE_CASES))
@numpy_wgpy_array_equal()
def test_compare_with_none(xp, case):
    return NONE_CASES[case](xp)


def test_compare_with_none_is_an_array():
    import wgpy as wp
    a = wp.asarray([1.0, 2.0])
    r = a == None  # noqa: E711
    assert isinstance(r, wp.ndarray) and r.dtype == wp.bool_ and r.tolist() == [False, False]
    assert (a != None).tolist() == [True, True]  # noqa: E711
    assert not (None in wp.asarray([1, 2]))  # ndarray.__contains__ goes through == too


ORDER_ERRORS = {
    'lt_none': lambda xp: _f(xp) < None,
    'add_none': lambda xp: _i(xp) + None,
    'iadd_none': lambda xp: _iadd(_i(xp)),
    'lt_str': lambda xp: _f(xp) < 'a',
    'add_str': lambda xp: _f(xp) + 'a',
    'radd_str': lambda xp: 'a' + _i(xp),
    'mul_bytes': lambda xp: _i(xp) * b'x',
    'ufunc_str': lambda xp: xp.add(_f(xp), 'a'),
    'ufunc_str_first': lambda xp: xp.multiply('a', _f(xp)),
    'unary_str': lambda xp: xp.sqrt('a'),
    'equal_str': lambda xp: xp.equal(_f(xp), 'a'),
}


def _iadd(a):
    a += None
    return a


@pytest.mark.parametrize('case', sorted(ORDER_ERRORS))
@numpy_wgpy_array_equal(accept_error=True)
def test_operand_errors(xp, case):
    return ORDER_ERRORS[case](xp)


# ---- iteration ----------------------------------------------------------------------------
@numpy_wgpy_array_equal(accept_error=True)
def test_iter_0d_raises_at_iter(xp):
    iter(xp.asarray(1.0, dtype='float32'))  # no next(): NumPy raises here already
    return xp.asarray(0)


@numpy_wgpy_array_equal(accept_error=True)
def test_iter_0d_in_for(xp):
    out = []
    for x in xp.asarray(3, dtype='int32'):
        out.append(x)
    return xp.asarray(out)


@numpy_wgpy_array_equal()
def test_iter_nd(xp):
    a = _f(xp, (3, 2))
    return tuple(list(a)) + tuple(list(a[0])) + (len(list(iter(xp.zeros((0, 2))))),)


# ---- clip without bounds (NumPy 2.4: positive(a, out=out)) ---------------------------------
CLIP_CASES = {
    'func': lambda xp: xp.clip(_f(xp)),
    'method': lambda xp: _i(xp).clip(),
    'nones': lambda xp: xp.clip(_i(xp, (5,), 'int8'), None, None),
    'keywords': lambda xp: xp.clip(_f(xp), min=None, max=None),
    'view': lambda xp: xp.clip(_f(xp, (4, 4))[::2, ::-1]),
    'uint': lambda xp: xp.clip(_i(xp, (3,), 'uint16')),
    'float16': lambda xp: xp.clip(testing.shaped_arange((3,), xp, 'float16')),
    'bool': lambda xp: xp.clip(_i(xp, (3,), 'bool')),  # no positive loop for bool
    'out': lambda xp: _clip_out(xp, 'float32', 'float32'),
    'out_wider': lambda xp: _clip_out(xp, 'int8', 'float16'),
    'out_narrower': lambda xp: _clip_out(xp, 'float32', 'int32'),
    'vanished_bounds_out_narrower': lambda xp: _clip_out(xp, 'int8', 'bool', -1000, None),
    'vanished_bounds_out': lambda xp: _clip_out(xp, 'int8', 'int16', -1000, 1000),
    'vanished_bounds': lambda xp: xp.clip(_i(xp, (3,), 'int8'), -1000, 1000),
    'is_copy': lambda xp: _clip_copy(xp),
}


def _clip_out(xp, dt, odt, lo=None, hi=None):
    a = _i(xp, (2, 2), dt)
    o = xp.zeros((2, 2), dtype=odt)
    r = xp.clip(a, lo, hi, out=o)
    return r is o, o


def _clip_copy(xp):
    a = _f(xp, (3,))
    r = xp.clip(a)
    a[0] = 100
    return r, a


@pytest.mark.parametrize('case', sorted(CLIP_CASES))
@numpy_wgpy_array_equal(accept_error=True)
def test_clip_without_bounds(xp, case):
    return CLIP_CASES[case](xp)


# ---- string fill values: converted as NumPy converts them ----------------------------------
FILL_CASES = {
    'float_bad': lambda xp: xp.full((2,), 'x', dtype='float32'),
    'float_ok': lambda xp: xp.full((2,), '1.5', dtype='float32'),
    'float_inf': lambda xp: xp.full((2,), 'inf', dtype='float32'),
    'float_empty': lambda xp: xp.full((2,), '', dtype='float32'),
    'float_bytes': lambda xp: xp.full((2,), b'2.5', dtype='float32'),
    'float_bytes_bad': lambda xp: xp.full((2,), b'x', dtype='float32'),
    'float16': lambda xp: xp.full((2,), '0.25', dtype='float16'),
    'int_ok': lambda xp: xp.full((2, 2), ' 7 ', dtype='int32'),
    'int_float_text': lambda xp: xp.full((2,), '3.5', dtype='int32'),
    'int_underscore': lambda xp: xp.full((2,), '1_000', dtype='int16'),
    'int_overflow': lambda xp: xp.full((2,), '300', dtype='uint8'),
    'int_hex': lambda xp: xp.full((2,), '0x10', dtype='int32'),
    'bool_text': lambda xp: xp.full((2,), 'False', dtype='bool'),  # non-empty: True
    'bool_empty': lambda xp: xp.full((2,), '', dtype='bool'),
    'full_like': lambda xp: xp.full_like(_f(xp), '2.5'),
    'full_like_bad': lambda xp: xp.full_like(_i(xp), 'x'),
    'fill': lambda xp: _fill(xp, '4'),
    'fill_bad': lambda xp: _fill(xp, 'four'),
    'setitem': lambda xp: _setitem(xp, '2.5'),
    'setitem_bad': lambda xp: _setitem(xp, 'x'),
}


def _fill(xp, v):
    a = _f(xp)
    a.fill(v)
    return a


def _setitem(xp, v):
    a = _f(xp)
    a[0, 1] = v
    a[1] = v
    return a


@pytest.mark.parametrize('case', sorted(FILL_CASES))
@numpy_wgpy_array_equal(accept_error=True)
def test_string_fill_values(xp, case):
    return FILL_CASES[case](xp)


def test_full_of_a_string_without_dtype():
    """NumPy makes a string array; wgpy holds numbers only and says so (a TypeError)."""
    import wgpy as wp
    with pytest.raises(TypeError, match='<U1'):
        wp.full((2,), 'x')


# ---- NumPy's ufunc exception classes -----------------------------------------------------------
UFUNC_ERRORS = {
    'iadd_int_float': ('_UFuncOutputCastingError', lambda xp: _iadd_float(xp)),
    'add_out_int': ('_UFuncOutputCastingError',
                    lambda xp: xp.add(_i(xp), 1.5, out=_i(xp))),
    'sqrt_out_int': ('_UFuncOutputCastingError', lambda xp: xp.sqrt(_i(xp), out=_i(xp))),
    'itruediv_int': ('_UFuncOutputCastingError', lambda xp: _itruediv(xp)),
    'add_dtype_int': ('_UFuncInputCastingError',
                      lambda xp: xp.add(_f(xp), _f(xp), dtype='int32')),
    'add_str': ('_UFuncNoLoopError', lambda xp: _i(xp) + 'a'),
    'less_str': ('_UFuncNoLoopError', lambda xp: _f(xp) < 'a'),
    'positive_bool': ('_UFuncNoLoopError', lambda xp: xp.positive(_i(xp, (2,), 'bool'))),
    'sign_bool': ('_UFuncNoLoopError', lambda xp: xp.sign(_i(xp, (2,), 'bool'))),
    'clip_bool': ('_UFuncNoLoopError', lambda xp: xp.clip(_i(xp, (2,), 'bool'))),
}


def _iadd_float(xp):
    a = _i(xp)
    a += _f(xp)
    return a


def _itruediv(xp):
    a = _i(xp)
    a /= 2
    return a


@pytest.mark.parametrize('case', sorted(UFUNC_ERRORS))
@numpy_wgpy_array_equal(accept_error=True)
def test_ufunc_errors_compare(xp, case):
    """The testing decorators require a class of numpy's name for numpy's ufunc errors."""
    return UFUNC_ERRORS[case][1](xp)


@pytest.mark.parametrize('case', sorted(UFUNC_ERRORS))
def test_ufunc_error_classes(case):
    """Everywhere (numpy or not): wgpy's exception has NumPy's class name, is a TypeError and a
    UFuncTypeError, and keeps NumPy's message."""
    import wgpy as wp
    from wgpy import _exceptions
    name, f = UFUNC_ERRORS[case]
    with pytest.raises(TypeError) as ei:
        f(wp)
    e = ei.value
    assert type(e).__qualname__ == name and type(e).__name__ == 'UFuncTypeError'  # as NumPy's
    assert isinstance(e, _exceptions.UFuncTypeError)
    msg = str(e)
    if 'Casting' in name:
        assert msg.startswith("Cannot cast ufunc '") and "casting rule 'same_kind'" in msg
        assert isinstance(e, _exceptions.UFuncCastingError)
        assert e.casting == 'same_kind' and e.ufunc_name in msg
    else:
        assert 'did not contain a loop with signature matching types' in msg


@pytest.mark.native_only
@pytest.mark.parametrize('case', sorted(UFUNC_ERRORS))
def test_ufunc_errors_are_numpys(case):
    """With numpy importable, code catching NumPy's classes catches wgpy's errors."""
    import numpy as np
    import wgpy as wp
    if wp._lib.np is None:
        pytest.skip('wgpy runs without numpy here (WGPY_NO_NUMPY)')
    exc = np._core._exceptions
    name, f = UFUNC_ERRORS[case]
    with pytest.raises(getattr(exc, name)) as ei:
        f(wp)
    assert isinstance(ei.value, exc.UFuncTypeError)
    with pytest.raises(getattr(exc, name)) as en:
        f(np)
    assert type(ei.value).__name__ == type(en.value).__name__
    assert type(ei.value).__qualname__ == type(en.value).__qualname__
    if name == '_UFuncOutputCastingError':
        assert ei.value.to == en.value.to and ei.value.out_i == en.value.out_i
        assert ei.value.ufunc.nin == en.value.ufunc.nin


def test_ufunc_error_pickles():
    import pickle
    import wgpy as wp
    with pytest.raises(TypeError) as ei:
        _iadd_float(wp)
    e2 = pickle.loads(pickle.dumps(ei.value))
    assert type(e2) is type(ei.value) and str(e2) == str(ei.value)


# ---- NumPy's own words for boolean negative / subtract -----------------------------------------
def test_bool_negative_subtract_messages():
    import wgpy as wp
    b = wp.asarray([True, False])
    with pytest.raises(TypeError, match='boolean negative'):
        -b
    with pytest.raises(TypeError, match='boolean subtract'):
        b - b


# ---- found by the differential test (test_differential.py) -------------------------------------
def _ro(xp):
    return xp.broadcast_to(_f(xp, (3,)), (2, 3))


ORDER_CASES = {
    # NumPy's order of ufunc errors: read-only out, loop, Python ints, out casting, shapes
    'readonly_before_loop': lambda xp: xp.bitwise_or(_ro(xp), 1, out=_ro(xp)),
    'readonly_before_cast': lambda xp: xp.add(_i(xp, (3,), 'int8'), 1.5, out=_ro(xp)),
    'overflow_before_out_cast': lambda xp: xp.add(_i(xp, (2,), 'int8'), 300,
                                                  out=xp.zeros(2, dtype='bool')),
    'cast_before_shapes': lambda xp: xp.true_divide(_i(xp, (0,)), _i(xp, (0,)),
                                                    out=xp.zeros((3, 1), dtype='bool')),
    'loop_before_shapes': lambda xp: xp.bitwise_or(_f(xp), 1, out=xp.zeros(4)),
    'inplace_0d_broadcast': lambda xp: _inplace_0d(xp),
    'setitem_readonly_first': lambda xp: _setitem_ro(xp),
    # dtype=: a loop for it, then Python scalars that must fit, then input casting
    'dtype_no_loop': lambda xp: xp.sqrt(_f(xp), dtype='int8'),
    'dtype_no_loop_bitwise': lambda xp: xp.bitwise_and(_f(xp), 1, dtype='float32'),
    'dtype_bool_subtract': lambda xp: xp.subtract(_f(xp), 2, dtype='bool'),
    'dtype_overflow_first': lambda xp: xp.subtract(_f(xp), 300, dtype='int8'),
    'dtype_input_cast': lambda xp: xp.add(_f(xp), 1.5, dtype='int8'),
    'dtype_pyfloat_into_int': lambda xp: xp.subtract(_i(xp, (4,), 'uint8'), 3.0, dtype='int32'),
    'dtype_pyint_into_bool': lambda xp: xp.add(_i(xp, (4,), 'bool'), 3, dtype='bool'),
    'dtype_pyint_ok': lambda xp: xp.add(_i(xp, (4,), 'uint8'), 3, dtype='uint8'),
    'dtype_pybool_ok': lambda xp: xp.add(_i(xp, (4,), 'bool'), True, dtype='bool'),
    # negative integer powers: at the operation, after the errors NumPy finds first, and none
    # for no elements
    'neg_power_array': lambda xp: xp.power(_i(xp, (3,)), xp.asarray([1, -1, 2], dtype='int32')),
    'neg_power_list': lambda xp: _i(xp, (3,)) ** [1, -1, 2],
    'neg_power_inplace_list': lambda xp: _ipow(xp, [1, -1, 2]),
    'neg_power_empty': lambda xp: xp.power(_i(xp, (0,)), -1),
    'neg_power_empty_array': lambda xp: xp.power(_i(xp, (0, 3)), xp.asarray([-1, 2, 3])),
    'neg_power_bool_empty': lambda xp: xp.power(xp.zeros(0, dtype='bool'), -1),
    'neg_power_out_cast_first': lambda xp: xp.power(_i(xp, (2,), 'int8'),
                                                    xp.asarray([-1, 2], dtype='int8'),
                                                    out=xp.zeros(2, dtype='bool')),
}


def _inplace_0d(xp):
    a = xp.asarray(3, dtype='uint32')
    a ^= [0, 3]
    return a


def _setitem_ro(xp):
    _ro(xp)[::-1, 0, 5] = 2  # too many indices too: read-only is said first
    return 0


def _ipow(xp, e):
    a = _i(xp, (3,))
    a **= e
    return a


@pytest.mark.parametrize('case', sorted(ORDER_CASES))
@numpy_wgpy_array_equal(accept_error=True)
def test_error_order(xp, case):
    return ORDER_CASES[case](xp)


@numpy_wgpy_array_equal(accept_error=True)
def test_neg_power_raises_before_any_read(xp):
    """The error comes at the operation: nothing is left pending to fail a later read."""
    a = _i(xp, (3,))
    try:
        a **= xp.asarray([1, -1, 2], dtype='int32')
    except ValueError:
        pass
    return a + 1


PYFLOAT_INTO_INT = [('uint16', -2.0), ('uint16', 70000.0), ('int8', 127.9), ('int8', 128.0),
                    ('int8', -128.9), ('int32', 1e30), ('uint8', -0.5), ('uint32', 4294967295.0),
                    ('bool', -2.0), ('int16', float('inf')), ('int16', float('nan'))]


@pytest.mark.parametrize('how', ['setitem', 'slice', 'fill'])
@pytest.mark.parametrize('dt,value', PYFLOAT_INTO_INT)
@numpy_wgpy_array_equal(accept_error=True)
def test_python_float_into_integers(xp, how, dt, value):
    """A Python float assigned into an integer array converts with int() and must then fit, as
    any Python int (NumPy 2: OverflowError)."""
    a = xp.zeros(3, dtype=dt)
    if how == 'setitem':
        a[1] = value
    elif how == 'slice':
        a[:] = value
    else:
        a.fill(value)
    return a


@pytest.mark.parametrize('dt,value', [('uint16', -2.0), ('int8', 128.0), ('int32', 1e30)])
@numpy_wgpy_array_equal()
def test_full_python_float_wraps(xp, dt, value):
    """full() casts unsafely: no error there (NumPy's copyto(casting='unsafe'))."""
    return xp.full(3, value, dtype=dt)


ASTYPE_CASES = {
    'uint32_float64_safe': lambda xp: _i(xp, (3,), 'uint32').astype('float64', casting='safe'),
    'int32_float64_safe': lambda xp: _i(xp, (3,), 'int32').astype('float64', casting='safe'),
    'int8_float64_same_kind': lambda xp: _i(xp, (3,), 'int8').astype('float64',
                                                                      casting='same_kind'),
    'uint32_int8_safe': lambda xp: _i(xp, (3,), 'uint32').astype('int8', casting='safe'),
    'float_int_same_kind': lambda xp: _f(xp).astype('int32', casting='same_kind'),
    'float32_no': lambda xp: _f(xp).astype('float32', casting='no'),
}


@pytest.mark.parametrize('case', sorted(ASTYPE_CASES))
@numpy_wgpy_array_equal(accept_error=True)
def test_astype_casting_rule(xp, case):
    """The casting rule judges the dtype asked for (float64 from uint32 is safe, though the
    64-bit policy makes it float32)."""
    return ASTYPE_CASES[case](xp)


@pytest.mark.parametrize('sa,sb', [((1, 3, 0), (1, 0, 2)), ((2, 0), (3, 0, 4)), ((0, 2), (4, 2, 3)),
                                   ((2, 3), (4, 3, 5)), ((2, 3, 0), (0, 0, 1))])
@numpy_wgpy_array_equal(accept_error=True)
def test_dot_nd_empty_contraction(xp, sa, sb):
    return xp.dot(testing.shaped_arange(sa, xp, 'float32'), testing.shaped_arange(sb, xp,
                                                                                 'float32'))


@pytest.mark.parametrize('dtype', ['float32', 'float16', 'int8', 'uint8', 'bool'])
@numpy_wgpy_array_equal()
def test_signbit(xp, dtype):
    a = testing.shaped_random((3, 4), xp, dtype, seed=3, scale=10, low=0 if dtype in (
        'uint8', 'bool') else -5)
    r = (xp.signbit(a), xp.signbit(a[::-1, 1:]))
    if dtype.startswith('float'):
        z = xp.asarray([0.0, -0.0, float('inf'), -float('inf')], dtype=dtype)
        o = xp.zeros(4, dtype='bool')
        r += (xp.signbit(z), xp.signbit(z, out=o), o)
    return r


ZERO_D_AXIS = ['sum', 'prod', 'min', 'max', 'any', 'all', 'argmin', 'argmax', 'mean', 'var',
               'std', 'squeeze']


@pytest.mark.parametrize('axis', [0, -1, 1, (0,), (-1,)])
@pytest.mark.parametrize('name', ZERO_D_AXIS)
@numpy_wgpy_array_equal(accept_error=True)
def test_0d_axis(xp, name, axis):
    """NumPy lets a 0-d array take one integer axis 0 or -1 (not a tuple; not mean/var/std)."""
    a = xp.asarray(5, dtype='int32')
    if name in ('argmin', 'argmax') and isinstance(axis, tuple):
        return 0
    return getattr(a, name)(axis=axis)


RAVEL_VIEWS = {
    'strided_1d': lambda xp: xp.arange(12, dtype='int32')[::3],
    'c': lambda xp: xp.arange(12, dtype='int32').reshape(3, 4),
    'f': lambda xp: xp.arange(12, dtype='int32').reshape(3, 4).T,
    'reversed_t': lambda xp: xp.arange(12, dtype='int32').reshape(3, 4).T[::-1],
    'strided_t': lambda xp: xp.arange(12, dtype='int32').reshape(3, 4)[::2].T,
    'strided_rev_t': lambda xp: xp.arange(12, dtype='int32').reshape(3, 4)[::2, ::-1].T,
    'cols': lambda xp: xp.arange(12, dtype='int32').reshape(3, 4)[:, 1:3],
    '0d': lambda xp: xp.asarray(3, dtype='int32'),
}


@pytest.mark.parametrize('order', ['C', 'F', 'A', 'K'])
@pytest.mark.parametrize('case', sorted(RAVEL_VIEWS))
@numpy_wgpy_array_equal()
def test_ravel_copies_unless_contiguous(xp, case, order):
    """ravel is a view only when the array is contiguous in the order asked for ('K': memory
    order); a write into the source shows which."""
    a = RAVEL_VIEWS[case](xp)
    r = a.ravel(order=order)
    f = a.flatten(order=order)
    before = r.copy()
    a[...] = -1
    return before, r, f


ARANGE_INT = [(-3, -2, 1), (0, 300, 100), (250, 260, 5), (-1, 3, 1), (200, 100, -50), (0.5, 3, 1),
              (-2.5, 2, 1), (120, 140, 10), (120, 130, 10), (0.5, 200.5, 150), (127.9, 130, 1),
              (0, 2, 1), (0, 3, 1), (1, 0, -1)]


@pytest.mark.parametrize('dtype', ['uint8', 'int8', 'bool'])
@pytest.mark.parametrize('args', ARANGE_INT)
@numpy_wgpy_array_equal(accept_error=True)
def test_arange_first_values_must_fit(xp, args, dtype):
    """NumPy stores arange's first two values as Python ints (OverflowError when they do not
    fit), then wraps; bool ranges hold at most two values."""
    return xp.arange(*args, dtype=dtype)


@pytest.mark.parametrize('name', ['ascontiguousarray', 'asfortranarray'])
@pytest.mark.parametrize('src', ['0d', 'scalar', '2d'])
@numpy_wgpy_array_equal()
def test_as_contiguous_ndim_at_least_1(xp, name, src):
    a = {'0d': lambda: xp.asarray(3, dtype='int32'), 'scalar': lambda: 2.5,
         '2d': lambda: _f(xp).T}[src]()
    r = getattr(xp, name)(a)
    return r, r.flags.c_contiguous, r.flags.f_contiguous
