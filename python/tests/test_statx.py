"""ptp, average, nan* reductions, diff/ediff1d/trapezoid, products, and the real-dtype complex
functions (issue 10): wgpy against numpy."""

import pytest

from wgpy import testing
from wgpy.testing import shaped_arange, shaped_random

eq = testing.numpy_wgpy_array_equal
close = testing.numpy_wgpy_allclose


def eq_err():
    return testing.numpy_wgpy_array_equal(accept_error=True)


NAN = float('nan')


def M(xp, dtype='float32'):
    return testing.xp_array(xp, [[1.0, NAN, 3.0, -2.0], [NAN, NAN, NAN, NAN],
                                 [4.0, 5.0, -1.0, 0.5]], dtype)


def A(xp, dtype='float32'):
    return shaped_arange((3, 4), xp, dtype)


@pytest.mark.parametrize('dtype', ['float32', 'int16', 'uint8', 'int8'])
@eq()
def test_ptp(xp, dtype):
    a = shaped_random((3, 4), xp, dtype, seed=2)
    return xp.ptp(a), xp.ptp(a, axis=1), xp.ptp(a, 0, keepdims=True)


@pytest.mark.parametrize('dtype', ['float32', 'int16', 'bool'])
@close()
def test_average(xp, dtype):
    a = shaped_arange((3, 4), xp, dtype)
    w = xp.asarray([1.0, 2.0, 3.0, 4.0], dtype='float32')
    return (xp.average(a), xp.average(a, axis=1), xp.average(a, axis=1, weights=w),
            xp.average(a, weights=shaped_arange((3, 4), xp, 'int16'), returned=True),
            xp.average(a, axis=(0, 1), weights=shaped_arange((3, 4), xp, 'float32'),
                       keepdims=True),
            xp.average(a, axis=0, returned=True))


@pytest.mark.parametrize('case', range(3))
@eq_err()
def test_average_errors(xp, case):
    a = A(xp)
    if case == 0:
        return xp.average(a, weights=xp.asarray([1.0, 2.0, 3.0, 4.0]))
    if case == 1:
        return xp.average(a, axis=1, weights=xp.asarray([1.0, 2.0]))
    return xp.average(a, axis=1, weights=xp.asarray([1.0, -1.0, 0.0, 0.0]))


NANFUNCS = ['nansum', 'nanprod', 'nanmax', 'nanmin', 'nanmean', 'nanvar', 'nanstd']


@pytest.mark.parametrize('name', NANFUNCS)
@pytest.mark.parametrize('dtype', ['float32', 'float16'])
@close()
def test_nan_reductions(xp, name, dtype):
    f = getattr(xp, name)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        return f(M(xp, dtype)), f(M(xp, dtype), axis=1), f(M(xp, dtype), axis=0, keepdims=True)


@pytest.mark.parametrize('name', NANFUNCS)
@close()
def test_nan_reductions_int(xp, name):
    a = shaped_arange((3, 4), xp, 'int16')
    return getattr(xp, name)(a), getattr(xp, name)(a, axis=0)


@close()
def test_nanvar_ddof(xp):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        return xp.nanvar(M(xp), axis=1, ddof=1), xp.nanstd(M(xp), axis=0, ddof=2)


@eq()
def test_nanarg(xp):
    m = M(xp)
    return (xp.nanargmax(m), xp.nanargmin(m), xp.nanargmax(m[::2], axis=1),
            xp.nanargmin(m[::2], axis=1, keepdims=True), xp.nanargmax(A(xp, 'int16'), axis=0))


@pytest.mark.parametrize('name', ['nanargmax', 'nanargmin'])
@eq_err()
def test_nanarg_all_nan(xp, name):
    return getattr(xp, name)(M(xp), axis=1)


@pytest.mark.parametrize('dtype', ['float32', 'int16', 'uint8', 'bool'])
@eq()
def test_diff(xp, dtype):
    a = shaped_random((3, 5), xp, dtype, seed=1)
    return (xp.diff(a), xp.diff(a, 2, axis=0), xp.diff(a, axis=0, prepend=a[:1]),
            xp.diff(a, 0), xp.diff(a, append=a[:, -1:]))


@eq()
def test_diff_scalar_prepend(xp):
    return xp.diff(A(xp), prepend=0, append=xp.zeros((3, 1), dtype='float32'))


@pytest.mark.parametrize('case', range(3))
@eq_err()
def test_diff_errors(xp, case):
    if case == 0:
        return xp.diff(xp.asarray(1.0))
    if case == 1:
        return xp.diff(A(xp), -1)
    return xp.diff(A(xp), axis=2)


@eq()
def test_ediff1d(xp):
    i = A(xp, 'int16')
    return (xp.ediff1d(i), xp.ediff1d(A(xp), to_begin=-99, to_end=[88, 77]),
            xp.ediff1d([1, 5, 2]), xp.ediff1d(i, to_end=xp.asarray([[1], [2]], dtype='int8')))


@eq_err()
def test_ediff1d_cast_error(xp):
    return xp.ediff1d(A(xp, 'int16'), to_begin=0.5)


@close()
def test_trapezoid(xp):
    a = A(xp)
    return (xp.trapezoid(a), xp.trapezoid(a, dx=0.5, axis=0),
            xp.trapezoid(a, x=xp.asarray([0.0, 1.0, 3.0, 6.0])),
            xp.trapezoid(a, x=a ** 2, axis=0), xp.trapezoid(A(xp, 'int16')))


@pytest.mark.parametrize('dtype', ['float32', 'int16', 'int8', 'bool'])
@eq()
def test_outer_kron(xp, dtype):
    a = shaped_arange((2, 3), xp, dtype)
    v = shaped_arange((3,), xp, dtype)
    return (xp.outer(v, a), xp.kron(a, a), xp.kron(v, a), xp.kron(a[0], v),
            xp.kron(xp.asarray(2, dtype=dtype), v))


@pytest.mark.parametrize('dtype', ['float32', 'int16'])
@close()
def test_tensordot_inner_vdot(xp, dtype):
    a = shaped_arange((3, 4), xp, dtype)
    b = shaped_arange((2, 3, 4), xp, dtype)
    c = shaped_arange((4, 3), xp, dtype)
    return (xp.tensordot(a, a.T, 1), xp.tensordot(b, c, ([1, 2], [1, 0])), xp.tensordot(a, a),
            xp.tensordot(b, a, axes=([1], [0])), xp.inner(a, a), xp.inner(a[0], a[1]),
            xp.inner(a, 2), xp.inner(b, a), xp.vdot(a, a), xp.tensordot(a, a, 0))


# Chainer's convolution: col (N, C, kh, kw, oh, ow) against W (out, C, kh, kw) over (1, 2, 3)
# (contracted axes in the middle of a C-ordered a: a batched matmul over views), W against gy over
# (0, 1) (contracted axes leading: a transposed view), gy against col over ((0, 2, 3), (0, 4, 5))
# (neither: transposed copies), and the same with a non-contiguous a
@pytest.mark.parametrize('dtype', ['float32', 'int16'])
@close()
def test_tensordot_axes_in_place(xp, dtype):
    col = shaped_random((2, 3, 2, 2, 3, 4), xp, dtype, seed=7, scale=3)
    w = shaped_random((5, 3, 2, 2), xp, dtype, seed=8, scale=3)
    gy = shaped_random((2, 5, 3, 4), xp, dtype, seed=9, scale=3)
    b = shaped_arange((4, 3, 5), xp, dtype)
    return (xp.tensordot(col, w, ((1, 2, 3), (1, 2, 3))), xp.tensordot(w, gy, (0, 1)),
            xp.tensordot(gy, col, ((0, 2, 3), (0, 4, 5))),
            xp.tensordot(col.transpose(1, 0, 2, 3, 4, 5), w, ((0, 2, 3), (1, 2, 3))),
            xp.tensordot(gy, b[:, :, 0], ((2,), (1,))), xp.tensordot(w.T, b, ((3,), (2,))),
            xp.tensordot(col, w, ((1, 2, 3), (1, 2, 3)))[:, 1:, ::2])


def test_tensordot_no_transposed_copy():
    # the convolution's forward contraction is one matmul over views of col: no copy kernel first
    import wgpy as wp
    col = wp.ones((2, 3, 2, 2, 3, 4), dtype='float32')
    w = wp.ones((5, 3, 2, 2), dtype='float32')
    wp.sync()
    wp.reset_counters()
    y = wp.tensordot(col, w, ((1, 2, 3), (1, 2, 3)))
    assert y.shape == (2, 3, 4, 5) and y.flags.c_contiguous
    assert y.tolist() == [[[[12.0] * 5] * 4] * 3] * 2
    assert wp.counters()['kernels_launched'] == 1
    gy = wp.ones((2, 5, 3, 4), dtype='float32')
    wp.sync()
    wp.reset_counters()
    g = wp.tensordot(w, gy, (0, 1))  # W's contracted axis leading: a view; gy's is copied
    assert g.shape == (3, 2, 2, 2, 3, 4) and float(g[1, 0, 1, 1, 2, 3]) == 5.0
    assert wp.counters()['kernels_launched'] == 2


@pytest.mark.parametrize('case', range(4))
@eq_err()
def test_products_errors(xp, case):
    a = A(xp)
    if case == 0:
        return xp.tensordot(a, a, ([0, 0], [1, 1]))
    if case == 1:
        return xp.tensordot(a, a, 1)
    if case == 2:
        return xp.inner(a, a.T)
    return xp.vdot(a, a[0])


@pytest.mark.parametrize('dtype', ['float32', 'int16'])
@eq()
def test_cross(xp, dtype):
    a = shaped_arange((4, 3), xp, dtype)
    b = shaped_random((4, 3), xp, dtype, seed=5)
    return (xp.cross(a, b), xp.cross(a[0], b[1]), xp.cross(a.T, b.T, axis=0),
            xp.cross(a, b, axisc=0), xp.cross(a[:, None, :], b[None, :, :]))


@eq()
def test_cross_2d_vectors(xp):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        a = xp.asarray([[1.0, 2.0], [3.0, 4.0]], dtype='float32')
        b = xp.asarray([[5.0, 6.0, 7.0], [8.0, 9.0, 1.0]], dtype='float32')
        return xp.cross(a, a[::-1]), xp.cross(a, b), xp.cross(b, a)


@pytest.mark.parametrize('case', range(3))
@eq_err()
def test_cross_errors(xp, case):
    if case == 0:
        return xp.cross(xp.asarray(1.0), xp.asarray([1.0, 2.0, 3.0]))
    if case == 1:
        return xp.cross(A(xp), A(xp))
    return xp.cross(A(xp)[:, :3], A(xp)[:, :3], axisa=2)


@pytest.mark.parametrize('dtype', ['float32', 'int16', 'int8', 'bool'])
@eq()
def test_vecdot_matvec_vecmat(xp, dtype):
    a = shaped_arange((3, 4), xp, dtype)
    v = shaped_arange((4,), xp, dtype, start=2)
    w = shaped_arange((3,), xp, dtype, start=3)
    return (xp.vecdot(a, a), xp.vecdot(a, v), xp.vecdot(a, a, axis=0), xp.matvec(a, v),
            xp.vecmat(w, a), xp.matvec(shaped_arange((2, 3, 4), xp, dtype), v))


@pytest.mark.parametrize('case', range(3))
@eq_err()
def test_vecdot_errors(xp, case):
    a = A(xp)
    if case == 0:
        return xp.vecdot(a, a[:, :3])
    if case == 1:
        return xp.vecdot(xp.asarray(1.0), a)
    return xp.matvec(a, xp.arange(3, dtype='float32'))


@eq()
def test_real_dtype_complex_functions(xp):
    a = A(xp)
    i8 = xp.asarray([-1, 2, 0], dtype='int8')
    return (xp.real(a), xp.imag(a), xp.conj(a), xp.conjugate(i8), a.imag, xp.real_if_close(a),
            xp.angle(xp.asarray([-1.0, 0.0, 2.0, -0.0], dtype='float32')),
            xp.angle(i8, deg=True), xp.astype(a, 'int16'), xp.astype(a, 'float32', copy=False))


@eq_err()
def test_astype_needs_array(xp):
    return xp.astype([1, 2], 'int16')


@pytest.mark.parametrize('dtype', ['float32', 'int16'])
@eq()
def test_select(xp, dtype):
    a = shaped_arange((3, 4), xp, dtype)
    return (xp.select([a < 3, a > 8], [a, a * 2], 42),
            xp.select([a < 3, xp.asarray(True)], [0.5, a]),
            xp.select([a > 100], [a]), xp.select([xp.asarray([True, False])], [1], 2))


@pytest.mark.parametrize('case', range(3))
@eq_err()
def test_select_errors(xp, case):
    a = A(xp)
    if case == 0:
        return xp.select([a > 1], [a, a])
    if case == 1:
        return xp.select([], [])
    return xp.select([a], [a])


@pytest.mark.parametrize('dtype', ['float32', 'int16', 'bool', 'uint8'])
@eq()
def test_count_nonzero(xp, dtype):
    a = shaped_random((3, 4), xp, dtype, seed=4, scale=3)
    return (xp.count_nonzero(a), xp.count_nonzero(a, axis=1),
            xp.count_nonzero(a, axis=0, keepdims=True), xp.count_nonzero(a, axis=(0, 1)))


@close()
def test_gradient(xp):
    a = shaped_arange((3, 4), xp, 'float32') ** 1.5
    return (xp.gradient(a), xp.gradient(a, 2.0, edge_order=2),
            xp.gradient(a, xp.asarray([0.0, 1.0, 3.0]), xp.asarray([0, 1, 2, 3]), edge_order=2),
            xp.gradient(shaped_arange((3, 4), xp, 'int16'), axis=1),
            xp.gradient(a, xp.asarray([0.0, 1.0, 3.0, 7.0]), axis=-1),
            xp.gradient(xp.asarray([1.0, 4.0, 9.0, 16.0], dtype='float32'), 0.5))


@pytest.mark.parametrize('case', range(4))
@eq_err()
def test_gradient_errors(xp, case):
    a = A(xp)
    if case == 0:
        return xp.gradient(a, 1.0, 2.0, 3.0)
    if case == 1:
        return xp.gradient(a[:2], edge_order=2)
    if case == 2:
        return xp.gradient(a, xp.asarray([0.0, 1.0]), 1.0)
    return xp.gradient(a, edge_order=3)


@pytest.mark.parametrize('name', ['bartlett', 'blackman', 'hanning', 'hamming'])
@close()
def test_windows(xp, name):
    f = getattr(xp, name)
    return f(7), f(1), f(0), f(6), f(-2)


@close()
def test_kaiser(xp):
    return xp.kaiser(7, 14), xp.kaiser(1, 2), xp.kaiser(4, 0.5)


@close()
def test_apply_along_over_axes(xp):
    a = shaped_arange((3, 4), xp, 'float32')
    return (xp.apply_along_axis(lambda v: v * 2 + v.sum(), 1, a),
            xp.apply_along_axis(lambda v: xp.stack([v.min(), v.max()]), 0, a),
            xp.apply_along_axis(lambda v, k: v[:k], -1, a, 2),
            xp.apply_over_axes(xp.sum, a.reshape(3, 2, 2), [0, 2]),
            xp.apply_over_axes(xp.mean, a, 1))


@eq_err()
def test_apply_along_axis_empty(xp):
    return xp.apply_along_axis(lambda v: v, 1, xp.zeros((0, 3)))


@eq()
def test_polynomials(xp):
    return (xp.polyval(xp.asarray([3.0, 0.0, 1.0], dtype='float32'), xp.arange(4, dtype='float32')),
            xp.polyval([1, 2, 3], xp.asarray([[1, 2]], dtype='int16')),
            xp.polyadd([1, 2], [9, 5, 4]), xp.polysub(xp.asarray([1.0, 2.0, 3.0]), [1]),
            xp.polyder(xp.asarray([1.0, 1.0, 1.0, 1.0])), xp.polyder([1, 2, 3, 4], 2),
            xp.polyder([1, 2], 0), xp.polyint(xp.asarray([1.0, 1.0, 1.0])),
            xp.polyint([1, 2, 3], 2, k=[4, 5]), xp.polyint([1, 2], 3, k=2))


@pytest.mark.parametrize('case', range(3))
@eq_err()
def test_polynomial_errors(xp, case):
    if case == 0:
        return xp.polyder([1, 2], -1)
    if case == 1:
        return xp.polyint([1, 2], -1)
    return xp.polyint([1, 2], 3, k=[1, 2])


@pytest.mark.parametrize('bitorder', ['big', 'little'])
@eq()
def test_packbits_unpackbits(xp, bitorder):
    a = shaped_arange((2, 3, 4), xp, 'int16') % 3
    u = xp.asarray([[2, 255, 17], [7, 0, 128]], dtype='uint8')
    return (xp.packbits(a, bitorder=bitorder), xp.packbits(a, axis=-1, bitorder=bitorder),
            xp.packbits(a, axis=0, bitorder=bitorder),
            xp.packbits(xp.asarray([True, False, True]), bitorder=bitorder),
            xp.unpackbits(u, bitorder=bitorder), xp.unpackbits(u, axis=1, bitorder=bitorder),
            xp.unpackbits(u, axis=0, count=11, bitorder=bitorder),
            xp.unpackbits(u, count=-3, bitorder=bitorder),
            xp.unpackbits(u, axis=1, count=30, bitorder=bitorder))


@pytest.mark.parametrize('case', range(3))
@eq_err()
def test_packbits_errors(xp, case):
    if case == 0:
        return xp.packbits(xp.asarray([1.0]))
    if case == 1:
        return xp.unpackbits(xp.asarray([1, 2], dtype='int16'))
    return xp.packbits(xp.asarray([1, 0]), bitorder='middle')


@eq_err()
def test_asarray_chkfinite(xp):
    return xp.asarray_chkfinite([1.0, float('inf')])


@eq()
def test_asarray_chkfinite_ok_and_reprs(xp):
    return (xp.asarray_chkfinite([1.0, 2.0]), xp.asarray_chkfinite([1, 2], dtype='int16'),
            xp.binary_repr(-3, 8), xp.binary_repr(10), xp.binary_repr(0, 4), xp.binary_repr(-8),
            xp.base_repr(-255, 16, 3), xp.base_repr(5), xp.base_repr(0, 7))
