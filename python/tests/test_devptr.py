"""Device pointers (docs/cupy.md, "Device pointers"): cupy's ndarray.data (a MemoryPointer whose
ptr names the engine buffer and offset), kernels that load through pointer values
(`reinterpret_cast<const T*>(p)[k]`, Chainer's pad_sequence), ndarray(memptr=), and cuBLAS's
batched LU / inverse over arrays of matrix pointers (Chainer's det and inv), compared with numpy
(replayed from the golden recording where numpy is absent)."""
import pytest

import wgpy as wp
from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose, numpy_wgpy_array_equal

import cupy
from cupy.cuda import cublas


def _np(xp):
    return not testing.is_wgpy(xp)


# ---- ndarray.data: the pointer values ------------------------------------------------------

def test_data_ptr_basics():
    x = wp.arange(12, dtype='float32').reshape(3, 4)
    d = x.data
    assert isinstance(d, cupy.cuda.memory.MemoryPointer)
    assert d.ptr != 0 and int(d) == d.ptr and d.device_id == 0
    assert x.data.ptr == d.ptr  # stable while the array lives
    assert d.mem.ptr == d.ptr and d.mem.size == 48
    # a view: its first element's address, in the same buffer's range
    assert x[1].data.ptr == d.ptr + 16
    assert x[2, 3:].data.ptr == d.ptr + 44
    assert x[1].data.mem.ptr == d.mem.ptr
    assert (d + 8).ptr == d.ptr + 8 and (8 + d).ptr == d.ptr + 8 and (d + 8 - 4).ptr == d.ptr + 4
    # another array: another range
    y = wp.zeros(100, dtype='int32')
    lo, hi = sorted([(d.mem.ptr, 48), (y.data.mem.ptr, 400)])
    assert lo[0] + lo[1] < hi[0]


def test_data_ptr_scalar_and_empty():
    z = wp.asarray(3.0, dtype='float32')
    assert z.data.ptr != 0
    e = wp.empty((0, 3), dtype='float32')
    assert e.data.ptr != 0 and e.data.mem.size == 0


def test_memptr_view_roundtrip():
    x = wp.arange(10, dtype='float32')
    v = cupy.ndarray((2, 3), 'float32', memptr=x.data + 8)
    assert v.tolist() == [[2.0, 3.0, 4.0], [5.0, 6.0, 7.0]]
    v[0, 0] = -1  # a view: writes reach x
    assert x[2].item() == -1
    s = cupy.ndarray((3,), 'float32', memptr=x.data, strides=(12,))
    assert s.tolist() == [0.0, 3.0, 6.0]
    with pytest.raises(ValueError):
        cupy.ndarray((11,), 'float32', memptr=x.data)  # past the array's end
    with pytest.raises(NotImplementedError):
        cupy.ndarray((2,), 'int32', memptr=x.data)  # another dtype than the array's


def test_memory_pointer_copies():
    x = wp.arange(6, dtype='float32')
    y = wp.zeros(6, dtype='float32')
    (y.data + 4).copy_from_device(x.data, 12)
    assert y.tolist() == [0.0, 0.0, 1.0, 2.0, 0.0, 0.0]  # x[0:3] at element 1
    y.data.memset(0, 24)
    assert y.tolist() == [0.0] * 6


def test_freed_pointer_is_refused():
    x = wp.arange(4, dtype='float32')
    p = x.data.ptr
    del x  # its range is given back: a pointer into no live array
    k = wp.ElementwiseKernel('P p', 'float32 y', 'y = reinterpret_cast<const float*>(p)[i]', 'kf')
    with pytest.raises(ValueError, match='does not point into a live array'):
        k(wp.full((4,), p, dtype='uintp'))


# ---- kernels loading through pointers --------------------------------------------------------

_PAD = wp.ElementwiseKernel(
    'P ptr, int32 length, T pad, int32 base, int32 max_length', 'T y',
    '''
    int d = i / base % max_length;
    if (d < length) {
      y = reinterpret_cast<const T*>(ptr)[i % (base * max_length)];
    } else {
      y = pad;
    }
    ''', 'pad_sequence_fwd')


def _pad_inputs(xp, lengths, tail, dtype):
    return [testing.shaped_arange((n,) + tail, xp, dtype) + 10 * j
            for j, n in enumerate(lengths)]


@pytest.mark.parametrize('dtype', ['float32', 'int32'])
@pytest.mark.parametrize('lengths,tail', [([2, 1, 5, 3], ()), ([2, 1, 5, 3], (3, 4)),
                                          ([0, 2], (2,)), ([4], ())])
@numpy_wgpy_array_equal()
def test_pad_sequence_kernel(xp, dtype, lengths, tail):
    # Chainer 5.4's PadSequence.forward on the GPU (functions/array/pad_sequence.py)
    xs = _pad_inputs(xp, lengths, tail, dtype)
    length = max(lengths)
    y = xp.full((len(xs), length) + tail, -7, dtype=dtype)
    if _np(xp):
        for i, x in enumerate(xs):
            y[i, :len(x)] = x
        return y
    ptr_shape = (Ellipsis,) + (None,) * xs[0].ndim
    ptrs = cupy.array([x.data for x in xs], 'P')[ptr_shape]
    lens = cupy.array([len(x) for x in xs], 'i')[ptr_shape]
    base = 1
    for d in tail:
        base *= d
    _PAD(ptrs, lens, -7, base, length, y)
    return y


@numpy_wgpy_array_equal()
def test_pointer_forms(xp):
    # ((const T*)p)[k] (C cast), a raw array of pointers read as ps[j], pointers into the middle
    # of an array and two pointers into one buffer
    a = testing.shaped_arange((10,), xp, 'float32')
    b = testing.shaped_arange((4,), xp, 'float32') * 100
    if _np(xp):
        return xp.stack([a[3:7], b, a[:4]]) + a[5]
    k = wp.ElementwiseKernel(
        'raw P ps, raw P q', 'float32 y',
        'int r = i / 4; int c = i % 4;\n'
        'y = ((const float*)ps[r])[c] + reinterpret_cast<const float*>(q[0])[0];', 'forms')
    ps = cupy.array([a[3:].data, b.data, a.data], 'P')
    q = cupy.array([a[5:].data.ptr], 'P')
    return k(ps, q, size=12).reshape(3, 4)


@numpy_wgpy_array_equal()
def test_raw_kernel_pointer_loads(xp):
    # a RawKernel reading through pointers held in a `const unsigned int*` array
    a = testing.shaped_arange((6,), xp, 'float32')
    b = testing.shaped_arange((3,), xp, 'float32') * 10
    if _np(xp):
        return xp.concatenate([a[3:], b])
    if wp.get_backend_name() == 'webgl2':
        pytest.skip('webgl2 runs no RawKernel that stores through a pointer (docs/kernels.md)')
    k = wp.RawKernel(r'''
    extern "C" __global__ void g(const unsigned int* ps, float* y, int n) {
      int t = blockDim.x * blockIdx.x + threadIdx.x;
      if (t < n) y[t] = ((const float*)ps[t / 3])[t % 3];
    }''', 'g')
    ps = cupy.array([a[3:].data, b.data], 'uint32')
    y = wp.zeros(6, dtype='float32')
    k((1,), (6,), (ps, y, 6))
    return y


def test_reduction_kernel_pointer_loads():
    x = wp.arange(4, dtype='float32')
    r = wp.ReductionKernel('P p', 'float32 s', 'reinterpret_cast<const float*>(p)[1]', 'a + b',
                           's = a', '0', 'ptr_sum')
    ptrs = cupy.array([x.data, x[2:].data, x[1:].data], 'P')
    assert r(ptrs).item() == 1.0 + 3.0 + 2.0
    assert r(ptrs[:, None], axis=1).tolist() == [1.0, 3.0, 2.0]


def test_pointer_errors():
    a = wp.arange(4, dtype='float32')
    k = wp.ElementwiseKernel('P p', 'T y', 'y = reinterpret_cast<const T*>(p)[0]', 'k1')
    with pytest.raises(NotImplementedError, match='float32 data, read as int32'):
        k(cupy.array([a.data], 'P'), wp.empty(1, 'int32'))
    with pytest.raises(ValueError, match='does not point into a live array'):
        k(wp.full((1,), 12345678, dtype='uintp'), wp.empty(1, 'float32'))
    k2 = wp.ElementwiseKernel('P p', 'float32 y', 'const float* q = (const float*)p; y = q[0]',
                              'k2')
    with pytest.raises(NotImplementedError):
        k2(cupy.array([a.data], 'P'))


# ---- cuBLAS getrfBatched / getriBatched through pointer arrays --------------------------------

def _mat_ptrs(a):
    # Chainer's functions/math/matmul.py _mat_ptrs
    if len(a) == 1:
        return cupy.full((1,), a.data.ptr, dtype='uintp')
    stride = a.strides[0]
    ptr = a.data.ptr
    return cupy.arange(ptr, ptr + stride * len(a), stride, dtype='uintp')


def _ref_getrf(m):
    """LAPACK's getrf on the column-major matrix whose memory is the row-major list m (so on
    m's transpose), in pure Python: (ipiv 1-based, info)."""
    n = len(m)
    a = [[float(m[c][r]) for c in range(n)] for r in range(n)]  # a = M = m^T
    ipiv, info = [], 0
    for k in range(n):
        p = max(range(k, n), key=lambda r: (abs(a[r][k]), -r))
        ipiv.append(p + 1)
        a[k], a[p] = a[p], a[k]
        if a[k][k] == 0:
            info = info or k + 1
            continue
        for r in range(k + 1, n):
            f = a[r][k] / a[k][k]
            for c in range(k, n):
                a[r][c] -= f * a[k][c]
    return ipiv, info


_MATS = [[[4.0, 3.0, 2.0], [2.0, 1.0, 3.0], [3.0, 2.0, 1.0]],
         [[1.0, 2.0, 0.5], [3.0, -1.0, 2.0], [0.0, 4.0, 1.0]],
         [[0.5, 0.0, 2.0], [1.0, 1.0, 1.0], [2.0, -3.0, 0.25]]]


@pytest.mark.parametrize('batch', [1, 3])
@numpy_wgpy_allclose(rtol=1e-4, atol=1e-5)
def test_getrf_batched_det(xp, batch):
    # Chainer's functions/math/det.py _det_gpu
    a0 = xp.asarray(_MATS[:batch], dtype='float32')
    if _np(xp):
        return xp.linalg.det(a0)
    a = a0.copy()
    n = a.shape[1]
    p = cupy.zeros((batch, n), dtype='int32')
    info = cupy.zeros(batch, dtype='intp')
    ap = _mat_ptrs(a)
    cublas.sgetrfBatched(cupy.cuda.Device().cublas_handle, n, ap.data.ptr, n, p.data.ptr,
                         info.data.ptr, batch)
    det = cupy.prod(a.diagonal(axis1=1, axis2=2), axis=1)
    rng = cupy.arange(1, n + 1, dtype='int32')
    parity = cupy.sum(p != rng, axis=1) % 2
    assert info.tolist() == [0] * batch
    return det * (1.0 - 2.0 * parity.astype('float32'))


def test_getrf_batched_pivots_and_info():
    mats = _MATS + [[[0.0, 0.0, 0.0], [1.0, 2.0, 3.0], [2.0, 4.0, 7.0]],
                    [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 1.0, 1.0]]]
    a = wp.asarray(mats, dtype='float32')
    p = wp.zeros((len(mats), 3), dtype='int32')
    info = wp.full(len(mats), -5, dtype='int32')
    ap = _mat_ptrs(a)  # alive through the call (a pointer to a freed array names no memory)
    cublas.sgetrfBatched(0, 3, ap.data.ptr, 3, p.data.ptr, info.data.ptr, len(mats))
    ref = [_ref_getrf(m) for m in mats]
    assert p.tolist() == [r[0] for r in ref]
    assert info.tolist() == [r[1] for r in ref]
    assert info.tolist()[:3] == [0, 0, 0] and info.tolist()[4] != 0


@pytest.mark.parametrize('batch', [1, 3])
@numpy_wgpy_allclose(rtol=1e-4, atol=1e-5)
def test_getri_batched_inverse(xp, batch):
    # Chainer's functions/math/inv.py _inv_gpu
    b = xp.asarray(_MATS[:batch], dtype='float32')
    if _np(xp):
        return xp.linalg.inv(b)
    a = b.copy()
    n = a.shape[1]
    p = cupy.empty((n, batch), dtype='int32')
    c = cupy.empty_like(a)
    info = cupy.empty(batch, dtype='int32')
    ap, cp = _mat_ptrs(a), _mat_ptrs(c)
    cublas.sgetrfBatched(0, n, ap.data.ptr, n, p.data.ptr, info.data.ptr, batch)
    cublas.sgetriBatched(0, n, ap.data.ptr, n, p.data.ptr, cp.data.ptr, n, info.data.ptr, batch)
    assert info.tolist() == [0] * batch
    return c


def test_getri_batched_singular_info():
    a = wp.asarray([[[1.0, 2.0], [2.0, 4.0]]], dtype='float32')
    c = wp.empty_like(a)
    p = wp.empty((1, 2), dtype='int32')
    info = wp.empty(1, dtype='int32')
    ap, cp = _mat_ptrs(a), _mat_ptrs(c)
    cublas.sgetrfBatched(0, 2, ap.data.ptr, 2, p.data.ptr, info.data.ptr, 1)
    assert info.tolist() == [2]
    cublas.sgetriBatched(0, 2, ap.data.ptr, 2, p.data.ptr, cp.data.ptr, 2, info.data.ptr, 1)
    assert info.tolist() == [2]


def test_cublas_errors():
    a = wp.ones((1, 2, 2), dtype='float32')
    p = wp.empty(2, dtype='int32')
    info = wp.empty(1, dtype='int32')
    ap = _mat_ptrs(a)
    with pytest.raises(ValueError):  # lda < n: CUBLAS_STATUS_INVALID_VALUE
        cublas.sgetrfBatched(0, 2, ap.data.ptr, 1, p.data.ptr, info.data.ptr, 1)
    with pytest.raises(ValueError, match='does not point into a live array'):
        cublas.sgetrfBatched(0, 2, 12345678, 2, p.data.ptr, info.data.ptr, 1)
    with pytest.raises(ValueError):  # 3 x 3 matrices pass the end of a's 2 x 2
        cublas.sgetrfBatched(0, 3, ap.data.ptr, 3, p.data.ptr, info.data.ptr, 1)
    if testing.x64_enabled():  # float32 data read as float64
        with pytest.raises(NotImplementedError, match='float32 data, read as float64'):
            cublas.dgetrfBatched(0, 2, ap.data.ptr, 2, p.data.ptr, info.data.ptr, 1)
