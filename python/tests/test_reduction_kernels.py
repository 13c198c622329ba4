"""ReductionKernels that read raw parameters (map_expr and post_map_expr), compared with the NumPy
expression each one computes: Chainer's softmax cross entropy (crossent_fwd), a raw table read at
a computed element (hierarchical softmax's max_length), and the refusals that remain
(docs/kernels.md, "ReductionKernel")."""

import pytest

import wgpy as wp
from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose, numpy_wgpy_array_equal


def _r(*args, **kw):
    return wp.ReductionKernel(*args, **kw)


def _np(xp):
    return not testing.is_wgpy(xp)


# chainer/functions/loss/softmax_cross_entropy.py, crossent_fwd (Chainer 5.4), verbatim
CROSSENT = ('S t, raw T log_y, int32 n_channel, raw T coeff, S ignore_label', 'T out',
            't == ignore_label ? T(0) : log_y[_j * n_channel + t]', 'a + b',
            'out = a * -coeff[0]', '0', 'crossent_fwd')


def _log_softmax(xp, n, c):
    x = testing.shaped_random((n, c), xp, 'float32', seed=5, scale=4)
    m = x.max(axis=1, keepdims=True)
    z = x - m
    return z - xp.log(xp.exp(z).sum(axis=1, keepdims=True))


@pytest.mark.parametrize('n,c', [(8, 10), (37, 3), (1, 5)])
@numpy_wgpy_allclose(rtol=1e-5, atol=1e-5)
def test_crossent_fwd(xp, n, c):
    log_y = _log_softmax(xp, n, c)
    t = (testing.shaped_arange((n,), xp, 'int32') * 7) % c
    if n > 2:
        t[2] = -1  # ignore_label
    valid = (t != -1)
    coeff = xp.asarray(1.0 / max(int(valid.sum()), 1), dtype='float32')
    if _np(xp):
        picked = log_y[xp.arange(n), xp.where(valid, t, 0)]
        return (-(xp.where(valid, picked, 0).sum()) * coeff).astype('float32')
    return _r(*CROSSENT)(t, log_y, c, coeff, -1)


@numpy_wgpy_allclose(rtol=1e-5, atol=1e-5)
def test_crossent_fwd_reduced_view(xp):
    # Chainer passes log_y.reduced_view() and a 0-d coeff; a strided log_y is made contiguous
    n, c = 6, 4
    big = _log_softmax(xp, n, 2 * c)
    log_y = big[:, ::2]
    t = testing.shaped_arange((n,), xp, 'int32') % c
    coeff = xp.asarray(0.5, dtype='float32')
    if _np(xp):
        return (-log_y[xp.arange(n), t].sum() * coeff).astype('float32')
    return _r(*CROSSENT)(t, log_y, c, coeff, -1)


@numpy_wgpy_array_equal()
def test_hierarchical_softmax_max_length(xp):
    # chainer/links/loss/hierarchical_softmax.py, binary_hierarchical_softmax_max_length
    begins = xp.asarray([0, 3, 4, 9, 11, 17], dtype='int32')
    t = xp.asarray([0, 2, 4, 1], dtype='int32')
    if _np(xp):
        return (begins[t + 1] - begins[t]).max()
    r = _r('T t, raw T begins', 'T out', 'begins[t + 1] - begins[t]', 'max(a, b)', 'out = a',
           '0', 'binary_hierarchical_softmax_max_length')
    return r(t, begins)


@numpy_wgpy_allclose()
def test_raw_gather_partial_reduction(xp):
    # a raw table read at an index computed from a non-raw input, summed along one axis
    table = testing.shaped_arange((7,), xp, 'float32')
    idx = (testing.shaped_arange((3, 5), xp, 'int32') * 3) % 7
    scale = xp.asarray(2.0, dtype='float32')
    if _np(xp):
        return (table[idx].sum(axis=1) * 2.0 + 1.0).astype('float32')
    r = _r('S idx, raw T table, raw T scale', 'T y', 'table[idx]', 'a + b',
           'y = a * scale[0] + T(1)', '0', 'gather_sum')
    return r(idx, table, scale, axis=1)


@numpy_wgpy_allclose()
def test_raw_out_of_range_reads_zero(xp):
    # an element outside the raw input's storage reads as zero (never a crash); just past the
    # array's end is inside the pooled block (undefined, as in CUDA), so the test reads far out
    table = testing.shaped_arange((4,), xp, 'float32')
    idx = xp.asarray([0, 3, 1 << 24, -(1 << 24), -1], dtype='int32')
    if _np(xp):
        return xp.asarray(float(1 + 4), dtype='float32')
    r = _r('S idx, raw T table', 'T y', 'table[idx]', 'a + b', 'y = a', '0', 'gather_oob')
    return r(idx, table)


# ---- post_map_expr that adds into the output (an in-out reduction) -------------------------

@pytest.mark.parametrize('axis', [0, 1])
@numpy_wgpy_allclose()
def test_post_adds_into_output(xp, axis):
    x = testing.shaped_arange((4, 6), xp, 'float32')
    y = testing.shaped_random((6,) if axis == 0 else (4,), xp, 'float32', seed=2)
    if _np(xp):
        return y + x.sum(axis=axis)
    r = _r('T x', 'T y', 'x', 'a + b', 'y += a', '0', 'add_into')
    r(x, y, axis=axis)
    return y


@numpy_wgpy_allclose()
def test_post_adds_into_output_keepdims_strided(xp):
    x = testing.shaped_random((3, 5, 4), xp, 'float32', seed=4)
    base = testing.shaped_random((3, 1, 8), xp, 'float32', seed=6)
    y = base[:, :, ::2]  # the output is a strided view: written in place
    if _np(xp):
        y += x.sum(axis=1, keepdims=True) * 0.5
        return base
    r = _r('T x', 'T y', 'x', 'a + b', 'y += a * T(0.5)', '0', 'add_into_half')
    r(x, y, axis=1, keepdims=True)
    return base


@numpy_wgpy_allclose(rtol=1e-5, atol=1e-5)
def test_logsumexp_impl(xp):
    # chainer/functions/loss/ctc.py, logsumexp_impl: y holds the max beforehand
    x = testing.shaped_random((5, 7), xp, 'float32', seed=8, scale=3)
    vmax = x.max(axis=1, keepdims=True)
    if _np(xp):
        return vmax[:, 0] + xp.log(xp.exp(x - vmax).sum(axis=1))
    y = vmax[:, 0].copy()
    r = _r('T x, T vmax', 'T y', 'exp(x - vmax)', 'a + b', 'y += log(a)', '0', 'logsumexp_impl')
    r(x, vmax, y, axis=1)
    return y


@numpy_wgpy_allclose(rtol=1e-5, atol=1e-5)
def test_numerical_grad_kernel_1(xp):
    # chainer/gradient_check.py, numerical_grad_kernel_1: a full reduction into a 0-d output
    y1 = testing.shaped_random((4, 3), xp, 'float32', seed=1)
    y2 = testing.shaped_random((4, 3), xp, 'float32', seed=2)
    gy = testing.shaped_random((4, 3), xp, 'float32', seed=3)
    gxi = xp.asarray(1.5, dtype='float32')
    if _np(xp):
        return (gxi + ((y1 - y2) * gy).sum() / (0.01 * 2)).astype('float32')
    r = _r('T y1, T y2, U gy, T eps', 'V gxi', '(y1 - y2) * gy', 'a + b', 'gxi += a / (eps * 2)',
           '0', 'numerical_grad_kernel_1')
    r(y1, y2, gy, 0.01, gxi)
    return gxi


# ---- more than 16 array parameters (WG_KMAX_IO is 32) ---------------------------------------

def _backend():
    return wp.get_backend_name()


_IN12 = ', '.join('T x%d' % i for i in range(12))
_OUT8 = ', '.join('T y%d' % j for j in range(8))
_BODY8 = '; '.join('y%d = x%d * x%d + x%d' % (j, j, j + 1, j + 4) for j in range(8))


def _twelve(xp):
    return [testing.shaped_random((3, 5), xp, 'float32', seed=i) for i in range(12)]


@pytest.mark.parametrize('j', [0, 7])
@numpy_wgpy_allclose()
def test_twenty_array_params_elementwise(xp, j):
    xs = _twelve(xp)
    if _np(xp):
        return xs[j] * xs[j + 1] + xs[j + 4]
    # (a kernel without control flow runs as fused elementwise nodes, split as the backend needs)
    ys = wp.ElementwiseKernel(_IN12, _OUT8, _BODY8, 'twenty')(*xs)
    return ys[j]


_IN19 = ', '.join('T x%d' % i for i in range(19))
_SUM19 = ' + '.join('x%d' % i for i in range(19))


@pytest.mark.parametrize('axis', [None, 1])
@numpy_wgpy_allclose(rtol=1e-5, atol=1e-5)
def test_twenty_array_params_reduction(xp, axis):
    xs = [testing.shaped_random((4, 6), xp, 'float32', seed=i) for i in range(19)]
    if _np(xp):
        t = xs[0]
        for x in xs[1:]:
            t = t + x
        return t.sum(axis=axis)
    if _backend() != 'cpu':
        pytest.skip('20 buffers or textures: refused on GPU backends (test_twenty_array_params_refused)')
    r = _r(_IN19, 'T y', _SUM19, 'a + b', 'y = a', '0', 'sum19')
    return r(*xs, axis=axis)


def test_twenty_array_params_refused():
    if _backend() not in ('webgpu', 'webgl2'):
        pytest.skip('the cpu backend runs them')
    xs = [wp.ones((2, 3), dtype='float32') for _ in range(19)]
    r = _r(_IN19, 'T y', _SUM19, 'a + b', 'y = a', '0', 'sum19')
    with pytest.raises(NotImplementedError, match='the %s backend' % _backend()):
        r(*xs).tolist()  # (refused when the kernel is prepared; tolist() would sync)
    limit = 'maxStorageBuffersPerShaderStage' if _backend() == 'webgpu' else 'MAX_TEXTURE_IMAGE_UNITS'
    with pytest.raises(NotImplementedError, match=limit):
        r(*xs, axis=1)


def test_reduction_refusals_name_the_construct():
    x = wp.ones((2, 3), dtype='float32')
    with pytest.raises(NotImplementedError, match='i in a ReductionKernel'):
        _r('T x', 'T y', 'x + i', 'a + b', 'y = a', '0', 'ri')(x, axis=1)
    with pytest.raises(NotImplementedError, match='_j of a partial reduction'):
        _r('T x', 'T y', 'x + _j', 'a + b', 'y = a', '0', 'rj')(x, axis=1)
    with pytest.raises(NotImplementedError, match='post_map_expr reading an array'):
        _r('T x, T z', 'T y', 'x', 'a + b', 'y = a + z', '0', 'rz')(x, x, axis=1)


# ---- large enough that GPU backends fold in slices (two passes: the post program runs in the
# second) ------------------------------------------------------------------------------------

@numpy_wgpy_allclose(rtol=1e-4, atol=1e-4)
def test_crossent_fwd_two_pass(xp):
    n, c = 10000, 5
    log_y = _log_softmax(xp, n, c)
    t = (testing.shaped_arange((n,), xp, 'int32') * 7) % c
    coeff = xp.asarray(1.0 / n, dtype='float32')
    if _np(xp):
        return (-(log_y[xp.arange(n), t].astype('float64').sum()) * coeff).astype('float32')
    return _r(*CROSSENT)(t, log_y, c, coeff, -1)


@numpy_wgpy_allclose(rtol=1e-4, atol=1e-3)
def test_post_adds_into_output_two_pass(xp):
    x = testing.shaped_random((2, 20000), xp, 'float32', seed=9, scale=1)
    y = xp.asarray([10.0, -3.0], dtype='float32')
    scale = xp.asarray(0.25, dtype='float32')
    if _np(xp):
        return (y + x.astype('float64').sum(axis=1) * 0.25).astype('float32')
    r = _r('T x, raw T scale', 'T y', 'x', 'a + b', 'y += a * scale[0]', '0', 'add_into_scaled')
    r(x, scale, y, axis=1)
    return y
