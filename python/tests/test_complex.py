"""complex64 / complex128 (docs/complex.md): wgpy against numpy — creation, views, NumPy 2
promotion, every complex ufunc (branch cuts and special values included), reductions, matmul,
casting, printing and errors.  Runs under the golden replay: the data is built from Python
lists, never from numpy."""

import math
import warnings

import pytest

from wgpy import testing

eq = testing.numpy_wgpy_array_equal
close = testing.numpy_wgpy_allclose


def eq_err():
    return testing.numpy_wgpy_array_equal(accept_error=True)


VALS = [1 + 2j, -0.5 + 0.25j, 3 - 4j, -2 - 1j, 0.75 + 0j, 0 - 1.5j, 2.5 + 3.5j, -1.25 - 0.5j]
# inside the unit disc, away from every branch cut (arcsin, arccos, arctanh...)
SMALL = [0.5 + 0.25j, -0.3 + 0.1j, 0.2 - 0.6j, -0.4 - 0.3j, 0.1 + 0j, 0 - 0.45j, 0.6 + 0.5j,
         -0.25 - 0.5j]
NAN, INF = float('nan'), float('inf')
# special values: zeros of both signs, infinities, nan, points on the branch cuts
SPECIAL = [complex(0.0, 0.0), complex(-0.0, 0.0), complex(0.0, -0.0), complex(INF, 0.0),
           complex(-INF, 0.0), complex(0.0, INF), complex(1.0, NAN), complex(NAN, 1.0),
           complex(-4.0, 0.0), complex(-4.0, -0.0), complex(2.0, INF), complex(-INF, 3.0)]


def Z(xp, vals=VALS, dtype='complex64', shape=(2, 4)):
    a = testing.xp_array(xp, vals, dtype)
    return a.reshape(shape) if shape is not None else a


def R(xp, dtype='float32'):
    return testing.xp_array(xp, [0.5, -1.0, 2.0, 3.5], dtype)


# ---- creation, views, host data -------------------------------------------------------------
@eq()
def test_asarray_and_dtype(xp):
    a = Z(xp)
    return a, a.dtype, a.real, a.imag, a.shape, a.itemsize, a.nbytes


@eq()
def test_asarray_complex128_follows_policy(xp):
    # complex128 is complex64 with 64-bit types off, as float64 is float32
    return Z(xp, dtype='complex128'), xp.asarray([1 + 1j, 2])


@eq()
def test_creation_functions(xp):
    return (xp.zeros((2, 3), dtype='complex64'), xp.ones(3, dtype='complex64'),
            xp.full((2,), 1.5 - 2j, dtype='complex64'), xp.full((2, 2), 3, dtype='complex64'),
            xp.zeros_like(Z(xp)), xp.ones_like(Z(xp)), xp.full_like(Z(xp), 2j),
            xp.arange(4).astype('complex64'), xp.asarray(2 + 3j, dtype='complex64'),
            xp.arange(3, dtype='complex64'), xp.linspace(0, 1, 3, dtype='complex64'),
            xp.eye(2, dtype='complex64'), xp.identity(3, dtype='complex64'))


@eq()
def test_tolist_item_and_scalars(xp):
    a = Z(xp)
    return a.tolist(), a[0, 2].item(), complex(a[1, 1]), a[0, 0].tolist()


@eq()
def test_views_and_copies(xp):
    a = Z(xp)
    return (a.T, a[:, ::-2], a[1], a[None, :, 1:3], a.T.copy(), a.T.reshape(8), a.ravel(),
            xp.flip(a), xp.concatenate([a, a * 2]), xp.stack([a, a], axis=-1), a.copy(order='F'),
            xp.broadcast_to(a[0], (3, 4)).copy(), xp.diag(a[:, :2]), xp.transpose(a))


@eq()
def test_real_imag_are_views(xp):
    a = Z(xp)
    r, i = a.real, a.imag
    r[0, 0] = 10
    i[1, :] = -7
    a.real[0, 3] = 5.5
    b = Z(xp)
    b.imag = 2.0
    c = Z(xp)
    c.real = R(xp)
    return a, r, i, b, c, xp.real(a), xp.imag(a), xp.real(R(xp)), xp.imag(R(xp))


@eq()
def test_setitem(xp):
    a = Z(xp)
    a[0, 1] = 9 - 9j
    a[1] = 2.5
    a[:, 0] = xp.asarray([1j, -1j], dtype='complex64')
    b = xp.zeros(4, dtype='float32')
    c = xp.zeros(4, dtype='complex64')
    c[1:3] = R(xp)[:2]
    return a, b, c


# ---- promotion (NumPy 2, NEP 50) --------------------------------------------------------------
@pytest.mark.parametrize('other', ['float32', 'float64', 'int8', 'int32', 'uint8', 'bool',
                                   'float16', 'complex64', 'complex128', 'pyint', 'pyfloat',
                                   'pycomplex'])
@eq()
def test_promotion_table(xp, other):
    a = Z(xp)
    if other == 'pyint':
        b = 3
    elif other == 'pyfloat':
        b = 2.5
    elif other == 'pycomplex':
        b = 1 - 2j
    else:
        b = testing.xp_array(xp, [1, 0, 1, 1], other).reshape(1, 4)
    r = a + b
    return r, r.dtype, xp.result_type(a, b)


@pytest.mark.parametrize('dt', ['float32', 'float16', 'int8', 'int32', 'bool'])
@eq()
def test_python_complex_scalar_promotion(xp, dt):
    a = testing.xp_array(xp, [1, 0, 1], dt)
    r = a * 1j
    return r, r.dtype, 2j - a


@pytest.mark.native_only  # wgpy.complex64(...) is numpy's scalar type: absent without numpy
@eq()
def test_numpy_style_scalars(xp):
    a = Z(xp)
    return a * xp.complex64(1 + 1j), xp.complex64(2 - 1j) + a, a / xp.float32(2)


# ---- arithmetic --------------------------------------------------------------------------------
@pytest.mark.parametrize('op', ['add', 'subtract', 'multiply', 'true_divide', 'power'])
@close(rtol=2e-5, atol=1e-5)
def test_binary_complex_complex(xp, op):
    a = Z(xp)
    b = Z(xp, SMALL)
    f = getattr(xp, op)
    return f(a, b), f(b, a), f(a, R(xp)), f(R(xp), b), f(a, 2j), f(3, a), f(a[:1], b[1:, :])


@close(rtol=2e-5)
def test_operators_and_inplace(xp):
    a = Z(xp)
    b = Z(xp, SMALL)
    c = a.copy()
    c += b
    c *= 2j
    c -= 1
    c /= (1 + 1j)
    return a + b, a - b, a * b, a / b, -a, +a, a ** 2, a ** 3, a ** -2, a ** 0, 2 ** b, c, abs(a)


@close(rtol=2e-5, atol=1e-6)
def test_division_smith_and_zero(xp):
    a = Z(xp, [1 + 1j, 1e20 + 1e20j, 1e-20 + 1j, 5 - 2j], shape=None)
    b = Z(xp, [1e30 + 1e-30j, 1e20 + 1e-20j, 1j, 0.5e-30 + 2e-30j], shape=None)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        z = Z(xp, [1 + 1j], shape=None) / Z(xp, [0j], shape=None)
    return a / b, xp.isnan(z) | xp.isinf(z)


@close(rtol=1e-4, atol=1e-5)
def test_power_cases(xp):
    a = Z(xp, SMALL)
    b = Z(xp, VALS) * 0.25
    zero = xp.zeros(3, dtype='complex64')
    e = Z(xp, [2 + 0j, 0j, 1 + 1j], shape=None)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return a ** b, a ** 0.5, a ** (1 + 1j), a ** -1, zero ** e, a ** 2.0, xp.square(a)


# ---- unary ufuncs -------------------------------------------------------------------------------
UNARY = ['negative', 'positive', 'conjugate', 'absolute', 'sign', 'square', 'reciprocal', 'sqrt',
         'exp', 'exp2', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sin', 'cos', 'tan', 'arcsin',
         'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'arcsinh', 'arccosh', 'arctanh', 'rint',
         'isnan', 'isinf', 'isfinite', 'logical_not']


@pytest.mark.parametrize('name', UNARY)
@close(rtol=1e-4, atol=2e-6)
def test_unary_ufuncs(xp, name):
    f = getattr(xp, name)
    return f(Z(xp)), f(Z(xp, SMALL)), f(Z(xp, SMALL)[:, ::-1].T)


@pytest.mark.parametrize('name', ['sqrt', 'log', 'exp', 'absolute', 'isnan', 'isinf',
                                  'isfinite', 'negative', 'conjugate', 'sign', 'square'])
@close(rtol=1e-5, atol=1e-6)
def test_unary_special_values(xp, name):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return getattr(xp, name)(Z(xp, SPECIAL, shape=None))


@pytest.mark.parametrize('name', ['sqrt', 'log', 'arcsinh', 'arcsin', 'arctanh', 'arctan',
                                  'arccosh', 'arccos'])
@close(rtol=1e-4, atol=1e-5)
def test_branch_cuts(xp, name):
    # just off each branch cut, on both sides: the value jumps as in NumPy
    pts = [complex(-2.0, 1e-3), complex(-2.0, -1e-3), complex(1e-3, 2.0), complex(-1e-3, 2.0),
           complex(1e-3, -2.0), complex(-1e-3, -2.0), complex(2.0, 1e-3), complex(2.0, -1e-3),
           complex(0.5, 0.5), complex(-0.5, -0.5)]
    return getattr(xp, name)(Z(xp, pts, shape=None))


@close(rtol=1e-5, atol=1e-6)
def test_angle_abs_and_predicates(xp):
    a = Z(xp)
    return (xp.angle(a), xp.angle(a, deg=True), xp.abs(a), xp.iscomplex(a), xp.isreal(a),
            xp.iscomplex(R(xp)), xp.isreal(a * 0 + 1), xp.iscomplexobj(a), xp.isrealobj(a),
            xp.iscomplexobj(R(xp)), xp.real_if_close(a), xp.real_if_close(a.real + 0j))


# ---- comparisons, min/max ---------------------------------------------------------------------
@pytest.mark.parametrize('op', ['equal', 'not_equal', 'less', 'less_equal', 'greater',
                                'greater_equal', 'maximum', 'minimum', 'fmax', 'fmin',
                                'logical_and', 'logical_or', 'logical_xor'])
@eq()
def test_comparisons(xp, op):
    a = Z(xp, [1 + 1j, 1 + 2j, 2 + 0j, 0j, 1 - 1j, complex(NAN, 0), 3j, 1 + 1j], shape=None)
    b = Z(xp, [1 + 1j, 1 + 1j, 1 + 5j, 0j, 1 - 1j, 1 + 0j, complex(0, NAN), 2 + 1j], shape=None)
    f = getattr(xp, op)
    return f(a, b), f(b, a), f(a, 1 + 1j)


# ---- reductions ---------------------------------------------------------------------------------
@pytest.mark.parametrize('axis', [None, 0, 1, -1, (0, 1)])
@close(rtol=2e-5, atol=1e-5)
def test_reductions(xp, axis):
    a = Z(xp)
    return (a.sum(axis=axis), a.mean(axis=axis), a.prod(axis=axis), a.var(axis=axis),
            a.std(axis=axis), a.var(axis=axis, ddof=1), xp.any(a, axis=axis), xp.all(a, axis=axis),
            a.sum(axis=axis, keepdims=True), a.prod(axis=axis, keepdims=True))


@close(rtol=2e-5, atol=1e-5)
def test_reduction_odd_and_empty(xp):
    a = Z(xp, VALS * 2 + SMALL[:5], shape=(3, 7))
    e = xp.zeros((0, 3), dtype='complex64')
    return a.prod(axis=1), a.prod(), a.sum(axis=0), e.sum(axis=0), e.prod(axis=0), xp.sum(a, 1)


# ---- matmul and friends -------------------------------------------------------------------------
@close(rtol=2e-5, atol=1e-5)
def test_matmul(xp):
    a = Z(xp)
    b = Z(xp, SMALL, shape=(4, 2))
    r = testing.xp_array(xp, [1.0, 2.0, -1.0, 0.5, 3.0, 0.25, -2.0, 1.0], 'float32').reshape(4, 2)
    return (a @ b, xp.matmul(a, r), xp.matmul(r.T, b), xp.dot(a, b), xp.vdot(a, a),
            xp.vdot(a[0], b[:, 0]), xp.inner(a, a), a @ b[:, 0], xp.trace(a @ b),
            xp.einsum('ij,jk->ik', a, b), xp.tensordot(a, b, axes=1))


@close(rtol=1e-5)
def test_norm(xp):
    a = Z(xp)
    return (xp.linalg.norm(a), xp.linalg.norm(a, axis=1), xp.linalg.norm(a[0], ord=1),
            xp.linalg.norm(a, ord='fro'), xp.linalg.norm(a, ord=xp.inf, axis=0))


# ---- where, casting -----------------------------------------------------------------------------
@eq()
def test_where(xp):
    a = Z(xp)
    c = a.real > 0
    return xp.where(c, a, 0), xp.where(c, a, 1j), xp.where(c, 2.5, a), xp.where(c, a, R(xp))


@eq()
def test_astype(xp):
    a = Z(xp)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # NumPy's ComplexWarning
        re = a.astype('float32')
        i = a.astype('int16')
    return (re, i, a.astype('complex128'), R(xp).astype('complex64'),
            xp.asarray([1, 2, 3], dtype='int32').astype('complex64'), a.astype('complex64'),
            xp.asarray([True, False]).astype('complex64'))


@eq_err()
def test_astype_safe_refused(xp):
    return Z(xp).astype('float32', casting='same_kind')


@eq()
def test_can_cast_and_result_type(xp):
    return (xp.can_cast('complex64', 'complex128'), xp.can_cast('complex64', 'float64'),
            xp.can_cast('float32', 'complex64'), xp.can_cast('int32', 'complex64'),
            xp.can_cast('complex128', 'complex64', casting='same_kind'),
            xp.result_type('complex64', 'float64'), xp.result_type('float16', 'complex64'),
            xp.promote_types('int16', 'complex64'))


# ---- errors -------------------------------------------------------------------------------------
@pytest.mark.parametrize('name', ['floor_divide', 'remainder', 'arctan2', 'hypot', 'copysign',
                                  'bitwise_and', 'left_shift'])
@eq_err()
def test_unsupported_binary_raises(xp, name):
    return getattr(xp, name)(Z(xp), Z(xp))


@pytest.mark.parametrize('name', ['floor', 'ceil', 'trunc', 'cbrt', 'invert'])
@eq_err()
def test_unsupported_unary_raises(xp, name):
    return getattr(xp, name)(Z(xp))


@eq_err()
def test_complex_out_for_real_op_refused(xp):
    return xp.add(Z(xp), Z(xp), out=xp.zeros((2, 4), dtype='float32'))


@eq()
def test_real_result_into_complex_out(xp):
    out = xp.ones((4,), dtype='complex64')
    xp.add(R(xp), R(xp), out=out)
    out2 = xp.zeros((2, 4), dtype='complex64')
    xp.multiply(Z(xp), 2, out=out2)
    return out, out2


# ---- printing -----------------------------------------------------------------------------------
def test_repr_and_str():
    import wgpy as wp
    a = wp.asarray([1 + 2j, complex(3, -0.0)], dtype="complex64")
    assert repr(a) == 'array([1.+2.j, 3.-0.j], dtype=complex64)'
    assert str(a) == '[1.+2.j 3.-0.j]'
    assert repr(wp.zeros((0,), dtype='complex64')) == 'array([], dtype=complex64)'


# ---- pairs views for other modules (fft, eig) -----------------------------------------------
def test_pairs_views_roundtrip():
    import wgpy as wp
    from wgpy import _core, _lib
    a = wp.asarray([1 + 2j, 3 - 4j, 5j], dtype='complex64')
    p = _core._view(_lib.wg_complex_pairs(_core.ctx, a._h), a)
    assert p.shape == (3, 2) and p.dtype == wp.float32
    assert p.tolist() == [[1.0, 2.0], [3.0, -4.0], [0.0, 5.0]]
    p[1, 1] = 7.0  # writes through
    assert a.tolist()[1] == 3 + 7j
    back = _core._view(_lib.wg_pairs_complex(_core.ctx, p._h), p)
    assert back.dtype == wp.complex64 and back.tolist() == a.tolist()
    # eig's use: build complex from parts
    re = wp.asarray([1.0, 2.0], dtype='float32')
    im = wp.asarray([-1.0, 0.5], dtype='float32')
    z = re + 1j * im
    assert z.dtype == wp.complex64 and z.tolist() == [1 - 1j, 2 + 0.5j]


def test_x64_complex128(x64):
    import wgpy as wp
    if wp.get_backend_name() in ('webgpu', 'webgl2'):
        pytest.skip('complex128 needs float64 storage: cpu and loopback only')
    a = wp.asarray([1 + 2j, 1e-30 + 1j], dtype='complex128')
    assert a.dtype == wp.complex128
    b = a * a
    assert b.tolist()[0] == (1 + 2j) ** 2
    assert (a + wp.asarray([1.0], dtype='float32')).dtype == wp.complex128
    assert (wp.asarray([1 + 1j], dtype='complex64') * wp.asarray([2.0], dtype='float64')).dtype \
        == wp.complex128


# ---- property test ------------------------------------------------------------------------------
@pytest.mark.native_only
def test_arithmetic_property():
    hypothesis = pytest.importorskip('hypothesis')
    st = hypothesis.strategies
    import numpy as np
    import wgpy as wp

    fin = st.floats(-1e3, 1e3, allow_nan=False, width=32)
    cplx = st.builds(complex, fin, fin)

    @hypothesis.settings(max_examples=40, deadline=None)
    @hypothesis.given(st.lists(cplx, min_size=1, max_size=12), st.lists(cplx, min_size=1,
                                                                          max_size=12),
                      st.sampled_from(['add', 'subtract', 'multiply', 'true_divide']))
    def check(x, y, op):
        n = min(len(x), len(y))
        a = np.asarray(x[:n], dtype=np.complex64)
        b = np.asarray(y[:n], dtype=np.complex64)
        with np.errstate(all='ignore'):
            want = getattr(np, op)(a, b)
        got = getattr(wp, op)(wp.asarray(a), wp.asarray(b)).get()
        assert got.dtype == want.dtype
        ok = np.isclose(got, want, rtol=1e-5, atol=1e-4 * (1 + np.abs(want)))
        assert (ok | (np.isnan(want) & np.isnan(got))).all(), (a, b, op, got, want)

    check()


def test_no_nan_leak_math():
    assert math.isnan(float('nan'))


@pytest.mark.native_only
def test_formatter_without_numpy_matches_numpy():
    # the shell's own formatter (Pyodide without numpy) against numpy's repr/str
    import numpy as np
    import wgpy as wp
    from wgpy import _format
    for v in ([1 + 2j, complex(3, -0.0)], [1 + 2j, -0.5 + 0.25j, 3 - 4j], [[1j, 2], [3.5 - 1j, 0]]):
        a = wp.asarray(np.array(v, dtype=np.complex64))
        assert _format.array_repr(a) == repr(a.get())
        assert _format.array_str(a) == str(a.get())


# ---- indexing with arrays and masks -----------------------------------------------------------
@eq()
def test_advanced_and_mask_indexing(xp):
    a = Z(xp)
    i = xp.asarray([1, 0, 1])
    m = a.real > 0
    return (a[i], a[:, xp.asarray([3, 0])], a[i, xp.asarray([0, 1, 2])], xp.take(a, xp.asarray([7, 0, 3])),
            a[m], a[xp.asarray([True, False])], a[..., xp.asarray([0])], xp.nonzero(a * (a.real > 0)),
            xp.count_nonzero(a), xp.extract(m, a), xp.compress(xp.asarray([False, True]), a, axis=0))


@eq()
def test_advanced_and_mask_assignment(xp):
    a = Z(xp)
    a[xp.asarray([0, 1]), xp.asarray([1, 2])] = 9j
    a[0, xp.asarray([0, 3])] = xp.asarray([1.0, 2.0], dtype='float32')
    a[a.imag < 0] = 7 + 7j
    a[xp.asarray([False, True])] = 1.5
    b = xp.zeros(4, dtype='float32')
    return a, b


# ---- functions built on the above ---------------------------------------------------------------
@close(rtol=2e-5, atol=1e-5)
def test_library_functions(xp):
    a = Z(xp)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return (xp.round(a, 1), xp.nan_to_num(a), xp.average(a), xp.polyval(a[0], a[1]),
                xp.trapezoid(a), xp.kron(a[0], a[1]), xp.outer(a[0], a[1]), xp.pad(a, 1),
                xp.tril(a), xp.diff(a), xp.roll(a, 1), xp.isclose(a, a + 1e-3j), xp.sinc(a * 0.1),
                xp.cov(a), xp.corrcoef(a), xp.vecdot(a, a), xp.linalg.multi_dot([a, a.T, a]),
                xp.nansum(a), xp.allclose(a, a))


def test_sort_empty_complex():
    import wgpy as wp
    for shape in [(0,), (2, 0), (0, 3)]:
        z = wp.zeros(shape, dtype='complex64')
        assert wp.sort_complex(z).shape == shape and wp.argsort(z, axis=0).shape == shape


@close(rtol=2e-5, atol=1e-5)
def test_cumsum(xp):
    a = Z(xp)
    return xp.cumsum(a, axis=1), xp.cumsum(a, axis=0), xp.cumsum(a), a.cumsum(axis=-1)


def test_complex_warning_on_real_cast():
    import wgpy as wp
    from wgpy import _exceptions
    a = wp.asarray([1 + 2j], dtype='complex64')
    with pytest.warns(_exceptions.ComplexWarning):
        r = a.astype('float32')
    assert r.tolist() == [1.0]
    with pytest.raises(TypeError):
        float(a[0])


# ---- sorting (lexicographic: real part, then imaginary part) ----------------------------------
@pytest.mark.parametrize('axis', [-1, 0, None])
@eq()
def test_sort_and_argsort(xp, axis):
    a = Z(xp, [1 + 2j, 1 - 4j, -3, 0.5j, 2, 2 - 1j, -1 + 1j, 1 + 1j])
    b = a.copy()
    b.sort(axis=0)
    return xp.sort(a, axis=axis), xp.argsort(a, axis=axis), b


@eq()
def test_sort_complex(xp):
    return (xp.sort_complex(Z(xp, shape=None)), xp.sort_complex(xp.asarray([3, 1, 2], dtype='int8')),
            xp.sort_complex(xp.asarray([3.5, -1.0], dtype='float32')))


@pytest.mark.parametrize('case', range(5))
@eq_err()
def test_view_between_complex_and_float(xp, case):
    a = Z(xp)
    if case == 0:
        return a.view('float32'), a.view('float32').view('complex64')
    if case == 1:
        f = a.view('float32')
        f[0, 1] = 9.0  # writes through to a's imaginary part
        return a
    if case == 2:
        return a.T.view('float32')
    if case == 3:
        return a[0, 0].view('float32')
    return xp.zeros(3, dtype='float32').view('complex64')


@pytest.mark.parametrize('axis', [None, 0, 1])
@eq()
def test_min_max_lexicographic(xp, axis):
    a = Z(xp, [1 + 2j, 1 - 4j, -3, 0.5j, 2, 2 - 1j, -1 + 1j, 1 + 1j, 2, 2 + 3j, -1 + 1j, 7 + 1j],
          shape=(3, 4))
    return (a.max(axis=axis), a.min(axis=axis), xp.amax(a, axis=axis, keepdims=True),
            xp.ptp(a, axis=axis))


@eq_err()
def test_max_of_empty_raises(xp):
    return xp.zeros((0,), dtype='complex64').max()


@close(rtol=2e-5, atol=1e-5)
def test_fused_chains_see_later_writes(xp):
    # a complex result's lazy parts feed the next op (one kernel for a chain); a write into
    # the result in between must be seen
    a = Z(xp)
    b = Z(xp, SMALL)
    m = a * b
    m.real[0, 0] = 100.0
    r1 = m + 1
    n = a - b
    n += 2j
    r2 = n * a
    p = a / b
    q = p[:, ::-1] + p
    s = (a * b + a) / (b + 1)
    return r1, r2, q, s, s.conj() * 2


@pytest.mark.parametrize('mode', ['valid', 'same', 'full'])
@close(rtol=2e-5, atol=1e-5)
def test_correlate_convolve(xp, mode):
    a = Z(xp, shape=None)
    v = Z(xp, SMALL[:3], shape=None)
    f = testing.xp_array(xp, [1.0, -2.0, 3.0], 'float32')
    return (xp.correlate(a, v, mode), xp.convolve(a, v, mode), xp.correlate(f, a, mode),
            xp.correlate(a, f, mode), xp.convolve(v, a, mode))


@eq()
def test_where_complex_condition(xp):
    a = Z(xp, [1 + 2j, 0j, 3j, 0j], shape=None)
    return xp.where(a, 1, 2), xp.where(a, a, 5j)


@eq()
def test_unique(xp):
    a = Z(xp, [1 + 2j, 1 - 4j, 1 + 2j, -3, 0.5j, -3, 2 - 1j, 1 - 4j], shape=None)
    return (xp.unique(a, return_index=True, return_inverse=True, return_counts=True),
            xp.unique(a.reshape(4, 2), axis=0))


@eq()
def test_isin(xp):
    a = Z(xp, [1 + 2j, 1 - 4j, 1 + 2j, -3], shape=(2, 2))
    t = Z(xp, [1 + 2j, 5, -3], shape=None)
    r = testing.xp_array(xp, [1.0, 5.0, 7.0], 'float32')
    return xp.isin(a, t), xp.isin(a, t, invert=True), xp.isin(r, t), xp.isin(a, t[:0])


@pytest.mark.parametrize('axis', [None, 0, 1, -1])
@eq()
def test_argmin_argmax(xp, axis):
    a = Z(xp, [1 + 2j, 1 - 4j, 3, -3, 2, 2 + 1j, 7j, 2 + 1j, 5, complex(NAN, 0), 1, 9],
          shape=(3, 4))
    return xp.argmax(a, axis=axis), xp.argmin(a, axis=axis), xp.argmax(a[:2], axis=axis)


@eq()
def test_set_operations(xp):
    a = Z(xp, [1 + 2j, 1 - 4j, 3, -3, 3], shape=None)
    b = Z(xp, [3, 1 + 2j, 7j], shape=None)
    return (xp.intersect1d(a, b), xp.union1d(a, b), xp.setdiff1d(a, b), xp.setxor1d(a, b),
            xp.intersect1d(a, b, return_indices=True))


@eq()
def test_searchsorted(xp):
    a = xp.sort(Z(xp, shape=None))
    v = Z(xp, [1 + 2j, 0j, 3 - 4j, -5, 1 + 3j, 10j], shape=(2, 3))
    s = Z(xp, [3, 1 + 1j, -2], shape=None)
    return (xp.searchsorted(a, v), xp.searchsorted(a, v, side='right'), xp.searchsorted(a, 1 + 2j),
            xp.searchsorted(s, v, sorter=xp.argsort(s)))


def test_complex_into_real_array():
    # NumPy: a complex array warns ComplexWarning (real part kept); a Python complex is a
    # TypeError (float(1j)), also inside a list
    import wgpy as wp
    from wgpy import _exceptions
    a = wp.zeros(2, dtype='float32')
    with pytest.warns(_exceptions.ComplexWarning):
        a[:] = wp.asarray([1 + 1j, 2], dtype='complex64')
    assert a.tolist() == [1.0, 2.0]
    with pytest.raises(TypeError):
        a[0] = 1j
    with pytest.raises(TypeError):
        a[:] = [1j, 2]
    with pytest.raises(TypeError):
        wp.zeros(2, dtype='int32')[0] = 2j


@pytest.mark.parametrize('axis', [None, 0, 1])
@close(rtol=1e-6)
def test_median(xp, axis):
    a = Z(xp, [1 + 2j, 3, -1j, 2, 2j, 5], shape=(2, 3))
    return xp.median(a, axis=axis), xp.median(a, axis=axis, keepdims=True)


@eq_err()
def test_percentile_refuses_complex(xp):
    return xp.percentile(Z(xp), 50)


@pytest.mark.parametrize('name', ['arcsinh', 'arcsin', 'arccos', 'arccosh', 'arctanh', 'arctan'])
@close(rtol=1e-5, atol=1e-6)
def test_inverse_trig_far_from_the_disc(xp, name):
    # z^2 overflows float32 here: asinh switches to log(2z)
    return getattr(xp, name)(Z(xp, [1e20 + 0j, -1e20 + 1e19j, 1e30j, 3e25 - 2e25j], shape=None))


@pytest.mark.parametrize('axis', [None, 0, 1, -1])
@close(rtol=2e-5, atol=1e-6)
def test_cumprod(xp, axis):
    a = Z(xp, SMALL + VALS[:4], shape=(3, 4)) * 1.5
    return xp.cumprod(a, axis=axis), xp.multiply.accumulate(a, axis=0)
