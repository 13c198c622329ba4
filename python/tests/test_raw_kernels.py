"""CuPy's RawKernel and RawModule: `__global__` CUDA-C functions launched as k(grid, block, args),
compared with the NumPy computation each kernel does (docs/kernels.md, section "RawKernel").
Kernels with __shared__ memory or __syncthreads() run on cpu and webgpu (one workgroup per CUDA
block); webgl2 raises the documented NotImplementedError naming the backend (a refusal the
decorators accept)."""

import pytest

import wgpy as wp
from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose, numpy_wgpy_array_equal


def _np(xp):
    return not testing.is_wgpy(xp)


VADD = r'''
extern "C" __global__
void vadd(const float* x, const float* y, float* z, int n) {
    int i = blockDim.x * blockIdx.x + threadIdx.x;   // one thread per element
    if (i < n) {
        z[i] = x[i] + y[i];
    }
}
'''


@pytest.mark.parametrize('n', [1, 100, 1000])
@numpy_wgpy_allclose()
def test_vector_add(xp, n):
    x = testing.shaped_arange((n,), xp, 'float32')
    y = testing.shaped_random((n,), xp, 'float32')
    if _np(xp):
        return x + y
    z = xp.zeros(n, dtype='float32')
    k = wp.RawKernel(VADD, 'vadd')
    k(((n + 127) // 128,), (128,), (x, y, z, n))
    return z


@numpy_wgpy_allclose()
def test_grid_stride_loop(xp):
    n = 3000
    x = testing.shaped_arange((n,), xp, 'float32')
    if _np(xp):
        return x * 2 + 1
    k = wp.RawKernel(r'''
    extern "C" __global__ void axpb(const float* x, float* y, float a, float b,
                                    unsigned int n) {
        for (unsigned int i = blockIdx.x * blockDim.x + threadIdx.x; i < n;
             i += blockDim.x * gridDim.x)
            y[i] = a * x[i] + b;
    }''', 'axpb')
    y = xp.zeros(n, dtype='float32')
    k((5,), (64,), (x, y, 2.0, 1.0, n))
    return y


@numpy_wgpy_array_equal()
def test_thread_and_block_indices_3d(xp):
    grid, block = (2, 3, 2), (4, 2, 3)
    nb, nt = 2 * 3 * 2, 4 * 2 * 3
    if _np(xp):
        import numpy
        out = numpy.zeros((nb * nt, 6), dtype='int32')
        for bz in range(2):
            for by in range(3):
                for bx in range(2):
                    for tz in range(3):
                        for ty in range(2):
                            for tx in range(4):
                                b = (bz * 3 + by) * 2 + bx
                                t = (tz * 2 + ty) * 4 + tx
                                out[b * nt + t] = (tx, ty, tz, bx, by, bz)
        return xp.asarray(out)
    k = wp.RawKernel(r'''
    extern "C" __global__ void ids(int* out) {
        int b = (blockIdx.z * gridDim.y + blockIdx.y) * gridDim.x + blockIdx.x;
        int t = (threadIdx.z * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x;
        int r = (b * blockDim.x * blockDim.y * blockDim.z + t) * 6;
        out[r] = threadIdx.x; out[r + 1] = threadIdx.y; out[r + 2] = threadIdx.z;
        out[r + 3] = blockIdx.x; out[r + 4] = blockIdx.y; out[r + 5] = blockIdx.z;
    }''', 'ids')
    out = xp.zeros((nb * nt, 6), dtype='int32')
    k(grid, block, (out,))
    return out


BLOCK_SUM = r'''
extern "C" __global__ void block_sum(const float* x, float* out, int n) {
    __shared__ float s[128];
    unsigned int t = threadIdx.x;
    unsigned int i = blockIdx.x * blockDim.x + t;
    s[t] = i < n ? x[i] : 0.0f;
    __syncthreads();
    for (unsigned int k = blockDim.x / 2; k > 0; k >>= 1) {
        if (t < k) {
            s[t] += s[t + k];
        }
        __syncthreads();
    }
    if (t == 0) out[blockIdx.x] = s[0];
}
'''


@numpy_wgpy_allclose(rtol=1e-5)
def test_block_reduction_shared(xp):
    n = 1000
    x = testing.shaped_random((n,), xp, 'float32')
    nb = (n + 127) // 128
    if _np(xp):
        pad = xp.zeros(nb * 128, dtype='float32')
        pad[:n] = x
        return pad.reshape(nb, 128).sum(axis=1)
    out = xp.zeros(nb, dtype='float32')
    wp.RawKernel(BLOCK_SUM, 'block_sum')((nb,), (128,), (x, out, n))
    return out


@numpy_wgpy_allclose(rtol=1e-5)
def test_block_reduction_odd_block(xp):
    """A block of 96 threads (not a power of two; padded in the cpu executor's blocks)."""
    n = 500
    x = testing.shaped_arange((n,), xp, 'float32')
    nb = (n + 95) // 96
    if _np(xp):
        pad = xp.zeros(nb * 96, dtype='float32')
        pad[:n] = x
        return pad.reshape(nb, 96).sum(axis=1)
    k = wp.RawKernel(r'''
    extern "C" __global__ void bsum(const float* x, float* out, int n) {
        __shared__ float s[96];
        int t = threadIdx.x;
        int i = blockIdx.x * blockDim.x + t;
        s[t] = i < n ? x[i] : 0.0f;
        __syncthreads();
        if (t == 0) {
            float acc = 0;
            for (int j = 0; j < blockDim.x; j++) acc += s[j];
            out[blockIdx.x] = acc;
        }
    }''', 'bsum')
    out = xp.zeros(nb, dtype='float32')
    k(nb, 96, (x, out, n))
    return out


@numpy_wgpy_array_equal()
def test_transpose_shared_tiles(xp):
    rows, cols = 40, 70
    a = testing.shaped_arange((rows, cols), xp, 'float32')
    if _np(xp):
        return a.T.copy()
    k = wp.RawKernel(r'''
    #define TILE 16
    extern "C" __global__ void transpose(const float* in, float* out, int rows, int cols) {
        __shared__ float tile[TILE][TILE + 1];
        int x = blockIdx.x * TILE + threadIdx.x;
        int y = blockIdx.y * TILE + threadIdx.y;
        if (x < cols && y < rows) tile[threadIdx.y][threadIdx.x] = in[y * cols + x];
        __syncthreads();
        x = blockIdx.y * TILE + threadIdx.x;
        y = blockIdx.x * TILE + threadIdx.y;
        if (x < rows && y < cols) out[y * rows + x] = tile[threadIdx.x][threadIdx.y];
    }''', 'transpose')
    out = xp.zeros((cols, rows), dtype='float32')
    k(((cols + 15) // 16, (rows + 15) // 16), (16, 16), (a, out, rows, cols))
    return out


@numpy_wgpy_array_equal()
def test_dynamic_shared_memory(xp):
    n = 256
    x = testing.shaped_arange((n,), xp, 'int32')
    if _np(xp):
        return x.reshape(4, 64)[:, ::-1].reshape(-1).copy()
    k = wp.RawKernel(r'''
    extern "C" __global__ void rev(const int* x, int* y) {
        extern __shared__ int buf[];
        int t = threadIdx.x, o = blockIdx.x * blockDim.x;
        buf[t] = x[o + t];
        __syncthreads();
        y[o + t] = buf[blockDim.x - 1 - t];
    }''', 'rev')
    y = xp.zeros(n, dtype='int32')
    k((4,), (64,), (x, y), shared_mem=64 * 4)
    return y


@numpy_wgpy_allclose(rtol=1e-5)
def test_block_reduction_2d_grid_256(xp):
    """Blocks of 256 threads (WebGPU's guaranteed workgroup size) on a 2-D grid."""
    gx, gy, nt = 3, 2, 256
    n = gx * gy * nt - 100
    x = testing.shaped_random((n,), xp, 'float32')
    if _np(xp):
        pad = xp.zeros(gx * gy * nt, dtype='float32')
        pad[:n] = x
        return pad.reshape(gx * gy, nt).sum(axis=1)
    k = wp.RawKernel(r'''
    extern "C" __global__ void bsum2(const float* x, float* out, int n) {
        __shared__ float s[256];
        unsigned int t = threadIdx.x;
        unsigned int b = blockIdx.y * gridDim.x + blockIdx.x;
        unsigned int i = b * blockDim.x + t;
        s[t] = i < n ? x[i] : 0.0f;
        __syncthreads();
        for (unsigned int k = blockDim.x / 2; k > 0; k >>= 1) {
            if (t < k) s[t] += s[t + k];
            __syncthreads();
        }
        if (t == 0) out[b] = s[0];
    }''', 'bsum2')
    out = xp.zeros(gx * gy, dtype='float32')
    k((gx, gy), (nt,), (x, out, n))
    return out


@numpy_wgpy_array_equal()
def test_shared_many_blocks(xp):
    """More blocks than one dispatch dimension holds (65535): the blocks past the grid that
    a 2-D dispatch rounds up to do nothing."""
    n = 70000
    x = testing.shaped_arange((n,), xp, 'int32')
    if _np(xp):
        return x * 2 + 1
    k = wp.RawKernel(r'''
    extern "C" __global__ void dbl(const int* x, int* y) {
        __shared__ int s[1];
        s[0] = x[blockIdx.x] * 2;
        __syncthreads();
        y[blockIdx.x] = s[0] + 1;
    }''', 'dbl')
    y = xp.full(n, -7, dtype='int32')
    k((n,), (1,), (x, y))
    return y


@pytest.mark.parametrize('dtype', ['int32', 'float32'])
@numpy_wgpy_allclose()
def test_atomic_add_histogram(xp, dtype):
    n = 2000
    v = testing.shaped_random((n,), xp, 'int32', seed=5) % 16
    if _np(xp):
        return xp.bincount(v, minlength=16).astype(dtype)
    ctype = 'int' if dtype == 'int32' else 'float'
    k = wp.RawKernel(r'''
    extern "C" __global__ void hist(const int* v, T* h, int n) {
        int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i < n) atomicAdd(&h[v[i]], (T)1);
    }'''.replace('T', ctype), 'hist')
    h = xp.zeros(16, dtype=dtype)
    k(((n + 255) // 256,), (256,), (v, h, n))
    return h


MODULE = r'''
__device__ float sq(float v) { return v * v; }

extern "C" {
__global__ void square(const float* x, float* y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = sq(x[i]);
}

__global__ void scale(float* y, float a, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    y[i] *= a;
}
}
'''


@numpy_wgpy_allclose()
def test_raw_module_two_functions(xp):
    n = 300
    x = testing.shaped_arange((n,), xp, 'float32')
    if _np(xp):
        return x * x * 3
    mod = wp.RawModule(code=MODULE)
    y = xp.zeros(n, dtype='float32')
    sq = mod.get_function('square')
    assert mod.get_function('square') is sq
    sq((3,), (128,), (x, y, n))
    mod.get_function('scale')((3,), (128,), (y, 3.0, n))
    return y


@numpy_wgpy_allclose()
def test_strided_argument_is_copied(xp):
    a = testing.shaped_arange((6, 8), xp, 'float32')
    if _np(xp):
        r = a.copy()
        r[:, ::2] += 1
        return r
    k = wp.RawKernel(r'''
    extern "C" __global__ void inc(float* y, int n) {
        int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i < n) y[i] = y[i] + 1.0f;
    }''', 'inc')
    view = a[:, ::2]
    k((1,), (32,), (view, 24))
    return a


# ---- attributes and errors ----------------------------------------------------------------

def test_attributes():
    k = wp.RawKernel(BLOCK_SUM, 'block_sum')
    assert k.max_threads_per_block == 1024
    assert k.attributes['max_threads_per_block'] == 1024
    assert k.shared_size_bytes == 128 * 4
    assert k.name == 'block_sum'


def test_syntax_error_line_col():
    code = 'extern "C" __global__ void bad(float* y) {\n    int i = threadIdx.x;\n    y[i] = (1 +;\n}'
    with pytest.raises(wp.CompileException) as e:
        wp.RawKernel(code, 'bad')
    assert 'bad:3:' in str(e.value)


def test_unknown_function_name():
    with pytest.raises(AttributeError):
        wp.RawKernel(VADD, 'nope')
    with pytest.raises(ValueError):
        wp.RawKernel(VADD + '\0garbage', 'vadd')


def test_wrong_argument_count_and_type():
    if wp.get_backend_name() == 'webgl2':
        pytest.skip('webgl2 refuses a RawKernel that writes through a pointer before its '
                    'arguments are checked')
    k = wp.RawKernel(VADD, 'vadd')
    x = wp.zeros(4, dtype='float32')
    with pytest.raises(TypeError):
        k((1,), (4,), (x, x, x))
    with pytest.raises(TypeError):
        k((1,), (4,), (x, x, wp.zeros(4, dtype='int32'), 4))
    with pytest.raises(TypeError):
        k((1,), (4,), (x, x, 4, 4))
    with pytest.raises(TypeError):
        k((1,), (4,), (x, x, x, x))
    with pytest.raises(TypeError):
        k((1,), (4,), [x, x, x, 'four'])
    with pytest.raises(TypeError):
        k((1,), (4,), x)
    with pytest.raises(TypeError):  # a host array: the kernel's writes would be lost
        k((1,), (4,), (x, x, [0.0] * 4, 4))
    try:
        import numpy
    except ImportError:
        return
    with pytest.raises(TypeError):
        k((1,), (4,), (x, x, numpy.zeros(4, dtype='float32'), 4))
    k((1,), (4,), (x, x, x, numpy.int32(4)))  # numpy scalars are scalars


def test_bad_launch_geometry():
    k = wp.RawKernel(VADD, 'vadd')
    x = wp.zeros(4, dtype='float32')
    with pytest.raises(ValueError):
        k((1,), (2048,), (x, x, x, 4))
    with pytest.raises(ValueError):
        k((1,), (64, 32), (x, x, x, 4))
    with pytest.raises(ValueError):
        k((0,), (4,), (x, x, x, 4))
    with pytest.raises(TypeError):
        k((1, 1, 1, 1), (4,), (x, x, x, 4))
    with pytest.raises(TypeError):
        k((1,), 'four', (x, x, x, 4))


def test_shared_refused_elsewhere():
    if wp.get_backend_name() in ('cpu', 'loopback', 'webgpu'):
        pytest.skip('the cpu and webgpu backends run __shared__ kernels')
    k = wp.RawKernel(BLOCK_SUM, 'block_sum')
    x = wp.zeros(128, dtype='float32')
    with pytest.raises(NotImplementedError, match='the %s backend' % wp.get_backend_name()):
        k((1,), (128,), (x, x, 128))


ATOMICS = r'''
extern "C" __global__ void extremes(const int* x, int* m, float* fm, unsigned int* first,
                                    int* count, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    atomicMax(&m[0], x[i]);
    atomicMin(&m[1], x[i]);
    atomicMax(&fm[0], x[i] * 0.5f);
    atomicMin(&fm[1], x[i] * 0.5f);
    atomicSub(&count[1], 2);
    if (atomicCAS(&first[0], 0u, 1u) == 0u) atomicAdd(&count[0], 1);
}
'''


@numpy_wgpy_allclose()
def test_atomic_max_min_cas(xp):
    n = 777
    x = testing.shaped_random((n,), xp, 'int32', seed=9) - 4
    if _np(xp):
        return (xp.array([x.max(), x.min()], dtype='int32'),
                xp.array([x.max() * 0.5, x.min() * 0.5], dtype='float32'),
                xp.array([1], dtype='uint32'), xp.array([1, -2 * n], dtype='int32'))
    m = xp.array([-1000, 1000], dtype='int32')
    fm = xp.array([-1000, 1000], dtype='float32')
    first = xp.zeros(1, dtype='uint32')
    count = xp.zeros(2, dtype='int32')
    wp.RawKernel(ATOMICS, 'extremes')(((n + 127) // 128,), (128,), (x, m, fm, first, count, n))
    return m, fm, first, count


@numpy_wgpy_allclose()
def test_device_function_sees_thread_indices(xp):
    n = 200
    x = testing.shaped_arange((n,), xp, 'float32')
    if _np(xp):
        return x * 3
    k = wp.RawKernel(r'''
    __device__ __forceinline__ int global_id() { return blockIdx.x * blockDim.x + threadIdx.x; }
    template <typename T> __device__ T triple(T v) { return v * (T)3; }
    extern "C" __global__ void f(const float* __restrict__ x, float* __restrict__ y, int n) {
        int i = global_id();
        if (i < n) y[i] = triple(x[i]);
    }''', 'f')
    y = xp.zeros(n, dtype='float32')
    k((4,), (64,), (x, y, n))
    return y


def test_preamble_error_names_source_line():
    code = ('\n__device__ float g(float v) {\n    return v + undefined_name;\n}\n'
            'extern "C" __global__ void f(float* y) { y[0] = g(1.0f); }\n')
    with pytest.raises(wp.CompileException) as e:  # raised when compiled: at the first call
        wp.RawKernel(code, 'f')((1,), (1,), (wp.zeros(1, dtype='float32'),))
    assert str(e.value).startswith('f:3:16: '), str(e.value)


# ---- workgroup arrays (`__shared__` in workgroup memory: docs/kernels.md) --------------------

BLOCK_SUM_MAX = r'''
#define NT 256
extern "C" __global__ void sum_max(const int* x, int* sums, int* maxs, int n) {
    __shared__ int s[2][NT];             // row 0: sums, row 1: maxima (a 2-D shared array)
    unsigned int t = threadIdx.x;
    int acc = 0, mx = -2147483647 - 1;
    // each thread first folds a strided run of its block's part (a grid-stride loop)
    for (int i = blockIdx.x * NT * 3 + t; i < min(n, (int)(blockIdx.x + 1) * NT * 3); i += NT) {
        acc += x[i];
        mx = max(mx, x[i]);
    }
    s[0][t] = acc;
    s[1][t] = mx;
    __syncthreads();
    for (unsigned int k = blockDim.x / 2; k > 0; k >>= 1) {   // the tree: a uniform loop
        if (t < k) {
            s[0][t] += s[0][t + k];
            s[1][t] = max(s[1][t], s[1][t + k]);
        }
        __syncthreads();
    }
    if (t == 0) {
        sums[blockIdx.x] = s[0][0];
        maxs[blockIdx.x] = s[1][0];
    }
}
'''


@pytest.mark.parametrize('n', [1, 700, 5000])
@numpy_wgpy_array_equal()
def test_block_reduction_tree_sum_max(xp, n):
    """A block reduction of two quantities through a 2-D __shared__ array, the tree's barriers
    in a loop whose condition is uniform."""
    x = testing.shaped_random((n,), xp, 'int32', seed=3) - 5
    per = 256 * 3
    nb = (n + per - 1) // per
    if _np(xp):
        pad = xp.zeros(nb * per, dtype='int32')
        pad[:n] = x
        mpad = xp.full(nb * per, -2 ** 31, dtype='int32')
        mpad[:n] = x
        return pad.reshape(nb, per).sum(axis=1).astype('int32'), mpad.reshape(nb, per).max(axis=1)
    sums = xp.zeros(nb, dtype='int32')
    maxs = xp.zeros(nb, dtype='int32')
    wp.RawKernel(BLOCK_SUM_MAX, 'sum_max')((nb,), (256,), (x, sums, maxs, n))
    return sums, maxs


BLOCK_SCAN = r'''
extern "C" __global__ void block_scan(const int* x, int* y, int* totals, int n) {
    extern __shared__ int buf[];          // two halves of blockDim.x: ping-pong (Hillis-Steele)
    int t = threadIdx.x, nt = blockDim.x;
    int i = blockIdx.x * nt + t;
    int src = 0;
    buf[t] = i < n ? x[i] : 0;
    __syncthreads();
    for (int d = 1; d < nt; d *= 2) {     // uniform: d and nt are the same in every thread
        int dst = 1 - src;
        int v = buf[src * nt + t];
        if (t >= d) v += buf[src * nt + t - d];
        buf[dst * nt + t] = v;
        src = dst;
        __syncthreads();
    }
    if (i < n) y[i] = buf[src * nt + t];
    if (t == nt - 1) totals[blockIdx.x] = buf[src * nt + t];
}
'''


@pytest.mark.parametrize('nt', [64, 256])
@numpy_wgpy_array_equal()
def test_block_scan_inclusive(xp, nt):
    """An inclusive scan of each block (Hillis-Steele, double-buffered in an extern __shared__
    array of shared_mem bytes), against numpy's cumsum per block."""
    n = 1000
    x = testing.shaped_random((n,), xp, 'int32', seed=11) - 4
    nb = (n + nt - 1) // nt
    if _np(xp):
        pad = xp.zeros(nb * nt, dtype='int32')
        pad[:n] = x
        c = xp.cumsum(pad.reshape(nb, nt), axis=1).astype('int32')
        return c.reshape(-1)[:n], c[:, -1].copy()
    y = xp.zeros(n, dtype='int32')
    totals = xp.zeros(nb, dtype='int32')
    wp.RawKernel(BLOCK_SCAN, 'block_scan')((nb,), (nt,), (x, y, totals, n),
                                           shared_mem=2 * nt * 4)
    return y, totals


BLOCK_SCAN_FLOAT = r'''
#define NT 128
extern "C" __global__ void scan_excl(const float* x, float* y, int n) {
    __shared__ float s[NT];               // Blelloch: up-sweep, then down-sweep (exclusive)
    int t = threadIdx.x, i = blockIdx.x * NT + t;
    s[t] = i < n ? x[i] : 0.0f;
    __syncthreads();
    for (int off = 1; off < NT; off <<= 1) {
        int k = (t + 1) * off * 2 - 1;
        if (k < NT) s[k] += s[k - off];
        __syncthreads();
    }
    if (t == 0) s[NT - 1] = 0.0f;
    __syncthreads();
    for (int off = NT / 2; off >= 1; off >>= 1) {
        int k = (t + 1) * off * 2 - 1;
        if (k < NT) {
            float a = s[k - off];
            s[k - off] = s[k];
            s[k] += a;
        }
        __syncthreads();
    }
    if (i < n) y[i] = s[t];
}
'''


@numpy_wgpy_allclose(rtol=1e-5, atol=1e-5)
def test_block_scan_exclusive_float(xp):
    """Blelloch's exclusive scan per block of 128 (float32), compared with numpy."""
    n = 500
    x = testing.shaped_random((n,), xp, 'float32', seed=4)
    nb = (n + 127) // 128
    if _np(xp):
        pad = xp.zeros(nb * 128, dtype='float32')
        pad[:n] = x
        c = xp.cumsum(pad.reshape(nb, 128), axis=1) - pad.reshape(nb, 128)
        return c.reshape(-1)[:n].astype('float32')
    y = xp.zeros(n, dtype='float32')
    wp.RawKernel(BLOCK_SCAN_FLOAT, 'scan_excl')((nb,), (128,), (x, y, n))
    return y


@numpy_wgpy_array_equal()
def test_shared_histogram_atomics(xp):
    """atomicAdd on a __shared__ array (a per-block histogram, then merged): workgroup atomics
    (SHARED_ATOMIC_ADD) next to a plain workgroup array."""
    n = 3000
    v = testing.shaped_random((n,), xp, 'int32', seed=8) % 16
    if _np(xp):
        return xp.bincount(v, minlength=16).astype('int32')
    k = wp.RawKernel(r'''
    extern "C" __global__ void hist(const int* v, int* h, int n) {
        __shared__ int local[16];
        __shared__ int seen[1];
        int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
        if (t < 16) local[t] = 0;
        if (t == 0) seen[0] = 1;
        __syncthreads();
        if (i < n) atomicAdd(&local[v[i]], seen[0]);
        __syncthreads();
        if (t < 16) atomicAdd(&h[t], local[t]);
    }''', 'hist')
    h = xp.zeros(16, dtype='int32')
    k(((n + 127) // 128,), (128,), (v, h, n))
    return h


def test_shared_out_of_range_reads_zero():
    """An element outside a workgroup array reads as zero and is not written (CUDA leaves it
    undefined; never a crash)."""
    k = wp.RawKernel(r'''
    extern "C" __global__ void oob(int* y) {
        __shared__ int s[4];
        int t = threadIdx.x;
        s[t] = t + 1;          // threads 4..7 write outside: dropped
        __syncthreads();
        y[blockIdx.x * 8 + t] = s[t] + s[t - 4] * 10;
    }''', 'oob')
    if wp.get_backend_name() not in ('cpu', 'loopback', 'webgpu'):
        pytest.skip('__shared__ runs on cpu and webgpu')
    y = wp.zeros(16, dtype='int32')
    k((2,), (8,), (y,))
    want = [1, 2, 3, 4, 10, 20, 30, 40] * 2
    assert y.tolist() == want


def test_shared_size_attribute_and_limit():
    """shared_size_bytes counts the static arrays; 64 KiB of them runs on cpu and exceeds any
    webgpu device's workgroup memory (WebGPU guarantees 16 KiB; GPUs give 32 or 48 KiB) with a
    clear error (CUDA's static limit is 48 KiB too)."""
    k = wp.RawKernel(r'''
    extern "C" __global__ void big(float* y) {
        __shared__ float s[16384];
        int t = threadIdx.x;
        s[t * 256] = t;
        __syncthreads();
        y[t] = s[(t ^ 1) * 256];
    }''', 'big')
    assert k.shared_size_bytes == 65536
    backend = wp.get_backend_name()
    if backend not in ('cpu', 'loopback', 'webgpu'):
        pytest.skip('__shared__ runs on cpu and webgpu')
    y = wp.zeros(64, dtype='float32')
    if backend == 'webgpu':
        with pytest.raises(RuntimeError, match='maxComputeWorkgroupStorageSize'):
            k((1,), (64,), (y,))
            y.tolist()
        return
    k((1,), (64,), (y,))
    assert y.tolist() == [float(t ^ 1) for t in range(64)]


def test_shared_declaration_errors():
    """__shared__ outside a RawKernel (an ElementwiseKernel has no workgroups) is refused by
    name; an initialiser is a compile error; a 2-D array indexed by one subscript is refused."""
    x = wp.zeros(4, dtype='int32')
    e = wp.ElementwiseKernel('int32 a', 'int32 b', '__shared__ int s[4]; b = a;', 'ew_shared')
    with pytest.raises(NotImplementedError, match='workgroup kernel'):
        e(x)
    k2 = wp.RawKernel(r'''
    extern "C" __global__ void s2(int* y) {
        __shared__ int s[2] = {1, 2};
        y[threadIdx.x] = s[0];
    }''', 's2')
    with pytest.raises(wp.CompileException, match='no initialiser'):
        k2((1,), (4,), (x,))

    k3 = wp.RawKernel(r'''
    extern "C" __global__ void s3(int* y) {
        __shared__ int s[2][4];
        y[threadIdx.x] = s[1];
    }''', 's3')
    with pytest.raises(NotImplementedError, match='all of its 2 dimensions'):
        k3((1,), (4,), (x,))


# ---- the C front end's grammar (core/src/lang: docs/kernels.md) ------------------------------

@numpy_wgpy_array_equal()
def test_shared_scalars(xp):
    """`__shared__ T x;` scalars: one in workgroup memory (a block's maximum, written by thread
    0), one updated by atomics (a storage scratch: the block's count of odd elements)."""
    n = 1000
    x = testing.shaped_random((n,), xp, 'int32', seed=21)
    nb = (n + 127) // 128
    if _np(xp):
        pad = xp.zeros(nb * 128, dtype='int32')
        pad[:n] = x
        odd = (pad.reshape(nb, 128) % 2 == 1).sum(axis=1).astype('int32')
        return pad.reshape(nb, 128).max(axis=1) * 1000 + odd
    k = wp.RawKernel(r'''
    extern "C" __global__ void bmax(const int* x, int* out, int n) {
        __shared__ int best;
        __shared__ int odd;
        int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
        int v = i < n ? x[i] : 0;
        if (t == 0) { best = -1; }
        __syncthreads();
        for (int k = 0; k < blockDim.x; k++) {   // thread 0 folds the block's values one by one
            if (t == k && v > best) best = v;
            __syncthreads();
        }
        if (v % 2 == 1) atomicAdd(&odd, 1);
        __syncthreads();
        if (t == 0) out[blockIdx.x] = best * 1000 + odd;
    }''', 'bmax')
    out = xp.zeros(nb, dtype='int32')
    k((nb,), (128,), (x, out, n))
    return out


TEMPLATE_MODULE = r'''
#include <cuda_fp16.h>
template <typename T, typename S>
__global__ void axpy(const T* x, T* y, S a, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = (T)(a * x[i]) + y[i];
}
'''


@pytest.mark.parametrize('dtype', ['float32', 'int32'])
@numpy_wgpy_allclose()
def test_template_kernel_name_expressions(xp, dtype):
    """A template __global__ function instantiated by RawModule's name_expressions."""
    n = 300
    x = testing.shaped_arange((n,), xp, dtype)
    y = testing.shaped_arange((n,), xp, dtype) * 2
    if _np(xp):
        return (x * 3 + y).astype(dtype)
    c = 'float' if dtype == 'float32' else 'int'
    name = 'axpy<%s, %s>' % (c, c)
    mod = wp.RawModule(code=TEMPLATE_MODULE, name_expressions=[name])
    mod.get_function(name)((3,), (128,), (x, y, 3, n))
    return y


TEMPLATE_BLOCK = r'''
template <typename T, int BLOCK>
__global__ void bsum(const T* x, T* out, int n) {
    __shared__ T s[BLOCK][2];            // sized by the template's value parameter
    int t = threadIdx.x, i = blockIdx.x * BLOCK + t;
    s[t][0] = i < n ? x[i] : (T)0;
    __syncthreads();
    for (int k = BLOCK / 2; k > 0; k >>= 1) {
        if (t < k) s[t][0] += s[t + k][0];
        __syncthreads();
    }
    if (t == 0) out[blockIdx.x] = s[0][0];
}
'''


@pytest.mark.parametrize('dtype,block', [('float32', 64), ('int32', 128)])
@numpy_wgpy_allclose(rtol=1e-5)
def test_template_value_parameter(xp, dtype, block):
    """`template <typename T, int BLOCK>`: an integer template argument of the name expression
    sizes a __shared__ array and bounds the tree's loop."""
    n = 1000
    x = testing.shaped_arange((n,), xp, dtype)
    nb = (n + block - 1) // block
    if _np(xp):
        pad = xp.zeros(nb * block, dtype=dtype)
        pad[:n] = x
        return pad.reshape(nb, block).sum(axis=1).astype(dtype)
    c = 'float' if dtype == 'float32' else 'int'
    name = 'bsum<%s, %d>' % (c, block)
    k = wp.RawModule(code=TEMPLATE_BLOCK, name_expressions=[name]).get_function(name)
    assert k.shared_size_bytes == block * 2 * 4
    out = xp.zeros(nb, dtype=dtype)
    k((nb,), (block,), (x, out, n))
    return out


def test_template_kernel_errors():
    mod = wp.RawModule(code=TEMPLATE_MODULE)
    with pytest.raises(NotImplementedError, match='name expression'):
        mod.get_function('axpy')
    with pytest.raises(AttributeError):
        mod.get_function('nope<float>')
    with pytest.raises(ValueError, match='not a template'):
        wp.RawModule(code=VADD).get_function('vadd<float>')
    with pytest.raises(ValueError, match='must be an integer'):
        wp.RawModule(code=TEMPLATE_BLOCK).get_function('bsum<float, float>')


@numpy_wgpy_array_equal()
def test_shared_3d_constant_expressions(xp):
    """A 3-D __shared__ array whose sizes are constant expressions of #defines, a block of
    (4, 2, 2) threads each writing and reading one element through three subscripts."""
    x = testing.shaped_arange((3 * 16,), xp, 'int32')
    if _np(xp):
        return (x.reshape(3, 2, 2, 4)[:, ::-1, ::-1, ::-1] + 0).reshape(-1)
    k = wp.RawKernel(r'''
    #define BX 4
    #define BY (BX / 2)
    extern "C" __global__ void __launch_bounds__(16) flip(const int* __restrict__ x,
                                                        int* __restrict y) {
        __shared__ int s[BY][BY * 2 - 2][(BX + 4) >> 1];
        unsigned int tx = threadIdx.x, ty = threadIdx.y, tz = threadIdx.z;
        unsigned int o = blockIdx.x * 16 + (tz * 2 + ty) * 4 + tx;
        s[tz][ty][tx] = x[o];
        __syncthreads();
        y[o] = s[1 - tz][1 - ty][3 - tx];
    }''', 'flip')
    y = xp.zeros(3 * 16, dtype='int32')
    k((3,), (4, 2, 2), (x, y))
    return y


@pytest.mark.parametrize('dtype', ['int32', 'uint32'])
@numpy_wgpy_array_equal()
def test_atomic_exch_and_or_xor(xp, dtype):
    """atomicExch/And/Or/Xor (compare-and-swap loops in the IR): results that do not depend on
    the order of the threads."""
    n = 500
    v = testing.shaped_random((n,), xp, dtype, seed=13) % 64
    if _np(xp):
        import numpy
        a = numpy.asarray(v)
        andv = numpy.bitwise_and.reduce(a | 64)
        orv = numpy.bitwise_or.reduce(a)
        xorv = numpy.bitwise_xor.reduce(a)
        return xp.array([7, andv, orv, xorv], dtype=dtype)
    c = 'int' if dtype == 'int32' else 'unsigned int'
    k = wp.RawKernel(r'''
    extern "C" __global__ void bits(const T* v, T* r, int n) {
        int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i >= n) return;
        atomicExch(&r[0], (T)7);
        atomicAnd(&r[1], v[i] | 64);
        atomicOr(&r[2], v[i]);
        atomicXor(&r[3], v[i]);
    }'''.replace('T', c), 'bits')
    r = xp.array([0, -1 if dtype == 'int32' else 2 ** 32 - 1, 0, 0], dtype=dtype)
    k(((n + 127) // 128,), (128,), (v, r, n))
    return r


@numpy_wgpy_array_equal()
def test_atomic_inc_dec(xp):
    """atomicInc wraps at its bound (a ring counter), atomicDec counts down and wraps to its
    bound at 0; the totals do not depend on the order of the threads."""
    n = 300
    if _np(xp):
        # 0 -> ... -> 6 -> 0 ...: n % 7;  100 -> 0 after 100, then 1000, then 1000 - 199
        return xp.array([n % 7, 1000 - (n - 101)], dtype='uint32')
    k = wp.RawKernel(r'''
    extern "C" __global__ void ring(unsigned int* c, int n) {
        int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i < n) {
            atomicInc(&c[0], 6u);
            atomicDec(&c[1], 1000u);
        }
    }''', 'ring')
    c = xp.array([0, 100], dtype='uint32')
    k((3,), (128,), (c, n))
    return c


def test_compile_reports_errors_without_a_launch():
    """compile() lowers the kernel: a CompileException (with kernel:line:col) or a refusal of a
    construct, before any launch; a good kernel compiles; RawModule.compile() compiles every
    function and the name expressions."""
    k = wp.RawKernel('''extern "C" __global__ void u(float* y) {
    y[0] = undefined_name;
}''', 'u')
    with pytest.raises(wp.CompileException, match='u:2:12: undeclared identifier'):
        k.compile()
    wp.RawKernel(VADD, 'vadd').compile()
    mod = wp.RawModule(code=MODULE + TEMPLATE_MODULE, name_expressions=['axpy<float, int>'])
    mod.compile()
    bad = wp.RawModule(code=MODULE + '''
__global__ void warp(int* y) { y[threadIdx.x] = __reduce_add_sync(0xffffffff, 1); }''')
    with pytest.raises(NotImplementedError, match='warp:17:49: unknown function'):
        bad.compile()


def test_same_source_compiles_once():
    """RawKernels of the same source and name share the engine's kernel and its lowered
    variants: a second RawKernel object does not lower again."""
    if wp.get_backend_name() == 'webgl2':
        pytest.skip('webgl2 refuses raw outputs (a fragment writes only its own point)')
    n = 64
    x = wp.arange(n, dtype='float32')
    y = wp.zeros(n, dtype='float32')
    wp.RawKernel(VADD, 'vadd')((1,), (64,), (x, x, y, n))
    before = wp.counters()['user_kernel_compiles']
    wp.RawKernel(VADD, 'vadd')((1,), (64,), (x, x, y, n))
    assert wp.counters()['user_kernel_compiles'] == before
    assert y.tolist() == [2.0 * i for i in range(n)]


@numpy_wgpy_allclose()
def test_syncthreads_in_a_device_function(xp):
    """A __device__ helper's __syncthreads() makes the kernel a barrier kernel (its reads of
    the other threads' writes see them)."""
    n = 256
    x = testing.shaped_arange((n,), xp, 'float32')
    if _np(xp):
        return x.reshape(4, 64)[:, ::-1].reshape(-1) * 2
    k = wp.RawKernel('''
    __device__ void sync_all() { __syncthreads(); }
    extern "C" __global__ void rev2(float* y) {
        int t = threadIdx.x, o = blockIdx.x * blockDim.x;
        float v = y[o + t];
        sync_all();
        y[o + blockDim.x - 1 - t] = v * 2.0f;
    }''', 'rev2')
    y = x.copy()
    k((4,), (64,), (y,))
    return y


COND = r'''
#ifndef GUARD
#define GUARD
#define MODE 1
#if 0
this is not C at all {{{
#elif defined(GUARD)
#ifdef __CUDACC_RTC__
#include <cuda.h>
#else
#define MODE 0
#endif
#endif
#if MODE
#define SCALE 3
#else
#define SCALE 5
#endif
extern "C" __global__ void cond(const float* x, float* y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
#if !defined(NOPE)
    if (i < n) y[i] = SCALE * __ldg(&x[i]);
#else
    if (i < n) y[i] = -1;
#endif
}
#endif
'''


@numpy_wgpy_allclose()
def test_conditional_compilation(xp):
    """#if/#ifdef/#ifndef/#elif/#else/#endif (an include guard, a branch that is not C, macros
    chosen by conditions) in a RawKernel source."""
    n = 100
    x = testing.shaped_arange((n,), xp, 'float32')
    if _np(xp):
        return x * 3
    y = xp.zeros(n, dtype='float32')
    wp.RawKernel(COND, 'cond')((1,), (128,), (x, y, n))
    return y


def test_conditional_compilation_errors():
    for src, what in [('#if MODE == 2\n#endif\n', NotImplementedError),
                      ('#ifdef X\n', wp.CompileException),
                      ('#endif\n', wp.CompileException),
                      ('#if 1\n#else\n#else\n#endif\n', wp.CompileException)]:
        with pytest.raises(what):
            wp.RawModule(code=src + VADD)


def test_many_parameters():
    """A __global__ function of 22 parameters (with the launch's 8 geometry ones, 30 of the
    engine's 32)."""
    names = ['a%d' % i for i in range(20)]
    k = wp.RawKernel('extern "C" __global__ void many(const int* x, int* y, %s) {\n'
                     '    y[threadIdx.x] = x[threadIdx.x] + %s;\n}'
                     % (', '.join('int ' + n for n in names), ' + '.join(names)), 'many')
    if wp.get_backend_name() == 'webgl2':
        pytest.skip('webgl2 refuses raw outputs (a fragment writes only its own point)')
    x = wp.arange(4, dtype='int32')
    y = wp.zeros(4, dtype='int32')
    k((1,), (4,), (x, y) + tuple(range(20)))
    assert y.tolist() == [190 + i for i in range(4)]


def test_unsupported_types_are_refused_by_name():
    """CUDA's vector types and complex<T> are NotImplementedError naming the type and its place
    (valid CUDA that wgpy does not translate), not a syntax error."""
    for src, where in [('extern "C" __global__ void f(complex<float>* x) { }', 'f:1:30: '),
                       ('extern "C" __global__ void f(float* x) {\n    float2 v;\n}', 'f:2:5: ')]:
        with pytest.raises(NotImplementedError, match=where + 'this type is not supported'):
            wp.RawKernel(src, 'f').compile()


def test_kernel_write_makes_an_index_check_stale():
    # an index array that passed a bounds check, then written by a RawKernel: the next use as
    # an index is checked again (api/index.c keeps the check per buffer version)
    if wp.get_backend_name() == 'webgl2':
        pytest.skip('a RawKernel scatter store: webgl2 refuses it (a fragment writes only its point)')
    a = wp.arange(10, dtype='float32')
    p = wp.asarray([0, 1, 2], dtype='int32')
    assert a[p].tolist() == [0.0, 1.0, 2.0]
    k = wp.RawKernel(r'''extern "C" __global__ void f(int* p, int n) {
        int i = threadIdx.x; if (i < n) p[i] = 77; }''', 'f')
    k((1,), (3,), (p, 3))
    with pytest.raises(IndexError, match='index 77 is out of bounds for axis 0 with size 10'):
        a[p]
