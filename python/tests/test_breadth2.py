"""Issue 10, breadth2: ndarray.flat/setflags/to_device/byteswap/getfield/setfield, dtype
utilities, the error state, printing, polynomials, piecewise, unwrap, mask_indices and the
refusals -- against numpy (golden replay where numpy is absent)."""

import math

import pytest

import wgpy
from wgpy import testing
from wgpy.testing import shaped_arange

eq = testing.numpy_wgpy_array_equal
close = testing.numpy_wgpy_allclose


def eq_err():
    return testing.numpy_wgpy_array_equal(accept_error=True)


def A(xp, dtype='float32'):
    return shaped_arange((3, 4), xp, dtype)


# ---- ndarray.flat ------------------------------------------------------------------------------
@pytest.mark.parametrize('key', [0, 5, -1, slice(2, 9, 3), slice(None), [1, 3, 11]])
@eq()
def test_flat_get(xp, key):
    a = A(xp)
    return a.flat[key], a.T.flat[key]


@eq()
def test_flat_get_bool_and_len(xp):
    a = A(xp, 'int32')
    m = xp.arange(12) % 3 == 0
    return a.flat[m], len(a.flat), len(xp.zeros((0, 3)).flat)


@pytest.mark.parametrize('transposed', [False, True])
@eq()
def test_flat_set(xp, transposed):
    a = A(xp)
    t = a.T if transposed else a
    t.flat[1] = -1
    t.flat[3:7] = xp.asarray([10, 20, 30, 40], dtype='float32')
    t.flat[[8, 9, 10]] = [7, 8]  # NumPy repeats the values
    t.flat[::5] = 100
    return a


@eq()
def test_flat_assign_whole(xp):
    a = A(xp, 'int16')
    a.flat = 3
    b = A(xp)
    b.T.flat = xp.arange(12)
    return a, b


@eq()
def test_flat_iter_and_copy(xp):
    a = A(xp).T
    vals = [float(v) for v in a.flat]
    f = a.flat
    next(f)
    next(f)
    return xp.asarray(vals, dtype='float32'), a.flat.copy(), f.index, f.coords, f.base is a


@eq_err()
def test_flat_out_of_bounds(xp):
    return A(xp).flat[12]


@eq_err()
def test_flat_read_only(xp):
    a = A(xp)
    a.setflags(write=False)
    a.flat[0] = 1
    return a


# ---- setflags ----------------------------------------------------------------------------------
@eq()
def test_setflags_roundtrip(xp):
    a = A(xp)
    a.setflags(write=False)
    ro = a.flags.writeable
    view_ro = a[1:].flags.writeable
    a.setflags(write=True)
    a[0, 0] = 42
    return ro, view_ro, a.flags.writeable, a


@eq_err()
def test_setflags_readonly_assign(xp):
    a = A(xp)
    a.setflags(write=False)
    a[0] = 1
    return a


@eq_err()
def test_setflags_readonly_out(xp):
    a = A(xp)
    a.setflags(write=False)
    return xp.add(a, 1, out=a)


@eq_err()
def test_setflags_view_of_readonly(xp):
    a = A(xp)
    a.setflags(write=False)
    v = a[1:]
    v.setflags(write=True)
    return v


def test_setflags_broadcast():
    # NumPy lets a broadcast view be made writeable (its elements alias); wgpy refuses clearly
    b = wgpy.broadcast_to(wgpy.arange(3), (2, 3))
    with pytest.raises(ValueError, match='WRITEABLE'):
        b.setflags(write=True)
    b.setflags(write=False)
    assert not b.flags.writeable


@eq_err()
def test_setflags_uic(xp):
    A(xp).setflags(uic=True)


# ---- to_device, getfield, setfield -------------------------------------------------------------
def test_to_device():
    a = wgpy.arange(3)
    assert a.to_device(a.device) is a
    assert a.to_device(wgpy.Device()) is a
    assert a.to_device(wgpy.get_backend_name()) is a
    with pytest.raises(ValueError):
        a.to_device('tpu')
    with pytest.raises(ValueError):
        a.to_device(a.device, stream=1)


def test_to_device_cpu():
    np = pytest.importorskip('numpy')
    a = wgpy.arange(3, dtype='float32')
    r = a.to_device('cpu')
    if wgpy.get_backend_name() != 'cpu':
        assert isinstance(r, np.ndarray)
    np.testing.assert_array_equal(wgpy.asnumpy(a), np.asarray(r))


@eq()
def test_getfield_setfield(xp):
    a = A(xp, 'int32')
    f = a.getfield('int32', 0)
    a.setfield(7, 'int32')
    return f, a


@eq_err()
def test_getfield_bad_offset(xp):
    return A(xp, 'int32').getfield('int32', 4)


# ---- byteswap --------------------------------------------------------------------------------
@pytest.mark.parametrize('dtype', ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32'])
@eq()
def test_byteswap(xp, dtype):
    x = xp.asarray([0, 1, 2, 127, 5, 300, 65535, 1000000, 77777], dtype='int32').astype(dtype)
    y = x.reshape(3, 3).T
    return x.byteswap(), y.byteswap(), xp.zeros((0,), dtype).byteswap()


@eq()
def test_byteswap_negative_and_inplace(xp):
    x = xp.asarray([-1, -2, -300, -32768, 32767], dtype='int16')
    y = xp.asarray([-1, -2, -300, -70000, 2 ** 31 - 1], dtype='int32')
    r = y.byteswap(inplace=True)
    return x.byteswap(), y, r


def test_byteswap_float_refused():
    with pytest.raises(NotImplementedError, match='byteswap of float32'):
        wgpy.ones(3, dtype='float32').byteswap()


# ---- dtype utilities ---------------------------------------------------------------------------
@pytest.mark.parametrize('dt', ['bool', 'int8', 'uint16', 'int32', 'float16', 'float32'])
@pytest.mark.parametrize('kind', ['bool', 'signed integer', 'unsigned integer', 'integral',
                                  'real floating', 'complex floating', 'numeric',
                                  ('bool', 'real floating'), 'int8', 'float32'])
@eq()
def test_isdtype(xp, dt, kind):
    if kind in ('int8', 'float32'):
        kind = xp.dtype(kind)
    return xp.isdtype(xp.dtype(dt), kind)


@eq_err()
def test_isdtype_errors(xp):
    return xp.isdtype(xp.dtype('int8'), 'nope')


@pytest.mark.parametrize('pair', [('int8', 'int8'), ('int8', 'int16'), ('f4', 'float32'),
                                  ('uint8', 'u1'), ('float16', 'f2')])
@eq()
def test_issubdtype_concrete(xp, pair):
    return xp.issubdtype(pair[0], pair[1])


def test_issubdtype_abstract():
    np = pytest.importorskip('numpy')
    for t in ('bool', 'int8', 'uint32', 'float16', 'float32', 'int64'):
        for ab in (np.generic, np.number, np.integer, np.signedinteger, np.unsignedinteger,
                   np.inexact, np.floating, np.complexfloating, np.bool_, np.float32):
            assert wgpy.issubdtype(t, ab) == np.issubdtype(t, ab), (t, ab)
    assert wgpy.issubdtype(np.floating, np.inexact) and not wgpy.issubdtype(np.number,
                                                                            np.integer)


@pytest.mark.parametrize('v', [0, 1, 255, 256, 65535, 65536, -1, -128, -129, -40000,
                               True, 1.0, 1e5, -0.5, float('inf')])
@eq()
def test_min_scalar_type(xp, v):
    return xp.min_scalar_type(v)


def test_min_scalar_type_64bit():
    # dtype answers are NumPy's, before wgpy's 64-bit array policy
    assert wgpy.min_scalar_type(2 ** 32) == wgpy.dtype('uint64')
    assert wgpy.min_scalar_type(-2 ** 40) == wgpy.dtype('int64')
    assert wgpy.min_scalar_type(1e39) == wgpy.dtype('float64')
    with pytest.raises(OverflowError):
        wgpy.min_scalar_type(2 ** 64)


@eq()
def test_min_scalar_type_array(xp):
    return xp.min_scalar_type(xp.arange(3, dtype='int16'))


@pytest.mark.parametrize('chars', [['d', 'f'], ['f'], ['F', 'd'], ['i', 'b'], ['e'], 'fdg'])
@eq()
def test_mintypecode(xp, chars):
    return xp.mintypecode(chars), xp.mintypecode(chars, typeset='fdF', default='q')


@eq()
def test_mintypecode_arrays(xp):
    return xp.mintypecode([xp.ones(2, dtype='float32'), 'f'])


@pytest.mark.parametrize('dts', [('float32',), ('float16',), ('int8',), ('float16', 'float32'),
                                 ('int32', 'float16')])
@eq()
def test_common_type(xp, dts):
    return xp.dtype(xp.common_type(*[xp.ones(2, dtype=d) for d in dts])).name


@eq_err()
def test_common_type_bool(xp):
    return xp.common_type(xp.ones(2, dtype=bool))


@pytest.mark.parametrize('c', ['?', 'b', 'B', 'h', 'i', 'l', 'q', 'f', 'd', 'F', 'S1', 'O'])
@eq()
def test_typename(xp, c):
    return xp.typename(c)


# ---- error state -----------------------------------------------------------------------------
def _errs(xp):
    e = xp.geterr()
    return [e[k] for k in ('divide', 'over', 'under', 'invalid')]


@eq()
def test_errstate(xp):
    with xp.errstate(all='warn', under='ignore'):
        return _errstate(xp)


def _errstate(xp):
    before = _errs(xp)
    with xp.errstate(all='ignore', invalid='raise'):
        inside = _errs(xp)
    old = xp.seterr(divide='raise')
    set_ = _errs(xp)
    xp.seterr(**old)

    @xp.errstate(over='ignore')
    def f():
        return _errs(xp)
    return before, inside, set_, _errs(xp), f()


@eq_err()
def test_seterr_bad(xp):
    return xp.seterr(divide='loudly')


@eq()
def test_errcall(xp):
    def cb(kind, flag):
        pass
    old = xp.seterrcall(cb)
    got = xp.geterrcall() is cb
    xp.seterrcall(old)
    with xp.errstate(call=cb):
        inner = xp.geterrcall() is cb
    return got, inner, xp.geterrcall() is None


def test_no_fp_errors_raised():
    with wgpy.errstate(all='raise'):
        r = wgpy.asarray([1.0, 0.0]) / 0.0  # documented: recorded, never acted on
    assert math.isinf(float(r[0])) and math.isnan(float(r[1]))


# ---- printing ----------------------------------------------------------------------------------
@pytest.mark.parametrize('dtype', ['float32', 'int32', 'bool'])
@eq()
def test_print_functions(xp, dtype):
    a = A(xp, dtype)
    return (xp.array_repr(a), xp.array_str(a), xp.array2string(a),
            xp.array2string(a, separator=', '), xp.array_repr(xp.zeros((0,), dtype)))


def test_printoptions_numpy():
    np = pytest.importorskip('numpy')
    a = wgpy.asarray([1.0 / 3, 2.0], dtype='float32')
    with wgpy.printoptions(precision=3):
        assert wgpy.get_printoptions()['precision'] == 3
        assert repr(a) == repr(np.asarray([1.0 / 3, 2.0], dtype='float32').round(3))
        assert wgpy.array2string(a, precision=2) == '[0.33 2.  ]'
    assert wgpy.get_printoptions()['precision'] == 8


# ---- polynomials -------------------------------------------------------------------------------
@pytest.mark.parametrize('zeros', [[1, 2, 3], [0.5], [], [-1.5, 2, 2]])
@close()
def test_poly(xp, zeros):
    return xp.poly(xp.asarray(zeros, dtype='float32'))


@close()
def test_polymul(xp):
    f = 'float32'
    return (xp.polymul(xp.asarray([1.0, 2, 3], dtype=f), xp.asarray([2.0, -1], dtype=f)),
            xp.polymul(xp.asarray([1, 2], dtype='int32'), xp.asarray([3], dtype='int32')))


@pytest.mark.parametrize('uv', [([1.0, -3, 2], [1.0, -1]), ([3.0, 5, 2, 1], [2.0, 1]),
                                ([1.0, 2], [1.0, 2, 3]), ([4.0, 0, -1], [2.0])])
@close()
def test_polydiv(xp, uv):
    return xp.polydiv(xp.asarray(uv[0], dtype='float32'), xp.asarray(uv[1], dtype='float32'))


@pytest.mark.parametrize('deg', [1, 2, 3])
@close(rtol=1e-3, atol=1e-3)
def test_polyfit(xp, deg):
    x = xp.linspace(-1, 1, 20, dtype='float32')
    y = 0.5 * x ** 3 - x + 2 + 0.01 * xp.sin(7 * x)
    return xp.polyfit(x, y, deg)


@close(rtol=1e-3, atol=1e-3)
def test_polyfit_weights_2d(xp):
    x = xp.linspace(0, 2, 15, dtype='float32')
    y = xp.stack([x ** 2 + 1, 2 * x - 1], axis=1)
    w = xp.linspace(1, 2, 15, dtype='float32')
    return xp.polyfit(x, y, 2, w=w)


@eq_err()
def test_polyfit_errors(xp):
    return xp.polyfit(xp.ones((2, 2)), xp.ones(2), 1)


def test_roots_refused():
    with pytest.raises(NotImplementedError, match='complex'):
        wgpy.roots(wgpy.asarray([1.0, -3, 2]))


# ---- piecewise, unwrap, mask_indices -------------------------------------------------------
@close()
def test_piecewise(xp):
    x = xp.linspace(-2.5, 2.5, 6, dtype='float32')
    r1 = xp.piecewise(x, [x < 0, x >= 0], [-1, 1])
    r2 = xp.piecewise(x, [x < 0, x >= 0], [lambda v: -v, lambda v: v])
    r3 = xp.piecewise(x, [x < -1, (x > 0) & (x < 2)], [lambda v: v * 10, lambda v: v + 0.5, 7])
    return r1, r2, r3


@eq_err()
def test_piecewise_count_mismatch(xp):
    x = xp.arange(3, dtype='float32')
    return xp.piecewise(x, [x < 1, x > 1], [1, 2, 3, 4])


@pytest.mark.parametrize('axis', [-1, 0])
@close(rtol=1e-4, atol=1e-4)
def test_unwrap(xp, axis):
    p = xp.linspace(0, 6 * math.pi, 12, dtype='float32').reshape(3, 4) % (2 * math.pi)
    return xp.unwrap(p, axis=axis), xp.unwrap(p, discont=4.0, axis=axis)


@eq()
def test_unwrap_int_period(xp):
    p = xp.asarray([0, 3, 6, 1, 4, 7, 2], dtype='int32')
    return xp.unwrap(p, period=8), xp.unwrap(xp.asarray([1, 5, 1, 5], dtype='int32'), period=4)


@pytest.mark.parametrize('k', [0, 1, -1])
@eq()
def test_mask_indices(xp, k):
    return xp.mask_indices(4, xp.triu, k) + xp.mask_indices(3, xp.tril, k)


# ---- refusals ------------------------------------------------------------------------------
def test_refusals():
    with pytest.raises(NotImplementedError, match='frompyfunc'):
        wgpy.frompyfunc(lambda v: v, 1, 1)
    with pytest.raises(NotImplementedError, match='complex'):
        wgpy.poly(wgpy.eye(2))
