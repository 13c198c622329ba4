"""CUDA's warp intrinsics in RawKernels (docs/kernels.md, "Warp intrinsics"): __shfl_sync and its
up/down/xor forms, __ballot_sync, __any_sync, __all_sync, __activemask, __syncwarp, and the bit
intrinsics __popc, __ffs, __clz, compared with the NumPy computation of CUDA's 32-lane warps.
The exchanges go through workgroup memory: cpu and webgpu run them, webgl2 raises the documented
NotImplementedError naming the backend (a refusal the decorators accept)."""

import pytest

import wgpy as wp
from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose, numpy_wgpy_array_equal


def _np(xp):
    return not testing.is_wgpy(xp)


WARP_SUM = r'''
__device__ float warp_sum(float v) {
    for (int off = warpSize / 2; off > 0; off >>= 1)
        v += __shfl_down_sync(0xffffffff, v, off);
    return v;                                  // lane 0 holds the warp's sum
}

extern "C" __global__ void block_sum(const float* x, float* out, int n) {
    __shared__ float sums[32];
    int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
    int lane = t % warpSize, warp = t / warpSize;
    float v = warp_sum(i < n ? x[i] : 0.0f);
    if (lane == 0) sums[warp] = v;
    __syncthreads();
    // every thread takes part in the second round (the whole block reaches the shuffles)
    v = warp_sum(t < (blockDim.x + warpSize - 1) / warpSize ? sums[lane] : 0.0f);
    if (t == 0) out[blockIdx.x] = v;
}
'''


@pytest.mark.parametrize('n, block', [(1000, 128), (4096, 256), (50, 32), (300, 160)])
@numpy_wgpy_allclose(rtol=1e-5, atol=1e-5)
def test_warp_shuffle_block_sum(xp, n, block):
    x = testing.shaped_random((n,), xp, 'float32', seed=3)
    nb = (n + block - 1) // block
    if _np(xp):
        return xp.pad(x, (0, nb * block - n)).reshape(nb, block).sum(axis=1)
    out = xp.zeros(nb, dtype='float32')
    wp.RawKernel(WARP_SUM, 'block_sum')((nb,), (block,), (x, out, n))
    return out


SHUFFLES = r'''
extern "C" __global__ void shuffles(const T* x, T* o, int src, int delta, int width) {
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    T v = x[t];
    o[6 * t + 0] = __shfl_sync(0xffffffff, v, src);
    o[6 * t + 1] = __shfl_sync(0xffffffff, v, src, width);
    o[6 * t + 2] = __shfl_up_sync(0xffffffff, v, delta, width);
    o[6 * t + 3] = __shfl_down_sync(0xffffffff, v, delta, width);
    o[6 * t + 4] = __shfl_xor_sync(0xffffffff, v, delta, width);
    o[6 * t + 5] = __shfl_xor_sync(0xffffffff, v, 1);
}
'''


def _shuffles_np(xp, x, src, delta, width):
    n = x.shape[0]
    t = xp.arange(n)
    lane = t % 32
    base = t - lane
    seg = lane & ~(width - 1)

    def at(s):
        return x[base + s]

    up = lane - delta
    down = lane + delta
    xr = lane ^ delta
    cols = [at(xp.full(n, src % 32)), at(seg + src % width),
            at(xp.where(up < seg, lane, up)), at(xp.where(down >= seg + width, lane, down)),
            at(xp.where(xr >= seg + width, lane, xr)), at(lane ^ 1)]
    return xp.stack(cols, axis=1).reshape(-1)


@pytest.mark.parametrize('dtype', ['int32', 'float32', 'uint32'])
@pytest.mark.parametrize('src, delta, width', [(3, 2, 8), (37, 5, 32), (0, 1, 4), (31, 16, 16)])
@numpy_wgpy_array_equal()
def test_warp_shuffles(xp, dtype, src, delta, width):
    n = 128                                     # two blocks of 64: four whole warps
    x = testing.shaped_random((n,), xp, dtype, seed=11)
    if _np(xp):
        return _shuffles_np(xp, x, src, delta, width)
    ctype = {'int32': 'int', 'float32': 'float', 'uint32': 'unsigned int'}[dtype]
    o = xp.zeros(6 * n, dtype=dtype)
    wp.RawKernel(SHUFFLES.replace('T', ctype), 'shuffles')((2,), (64,), (x, o, src, delta, width))
    return o


VOTES = r'''
extern "C" __global__ void votes(const int* x, unsigned int* o) {
    int t = threadIdx.x;
    int v = x[blockIdx.x * blockDim.x + t];
    int r = 5 * (blockIdx.x * blockDim.x + t);
    o[r] = __ballot_sync(0xffffffff, v & 1);
    o[r + 1] = __any_sync(__activemask(), v > 40);
    o[r + 2] = __all_sync(__activemask(), v >= 2);
    o[r + 3] = __activemask();
    __syncwarp();
    o[r + 4] = __popc(__ballot_sync(0xffffffff, v > 25));
}
'''


@pytest.mark.parametrize('block', [48, 64, 100])
@numpy_wgpy_array_equal()
def test_warp_votes(xp, block):
    """a partial last warp (48 = 32 + 16 threads): its missing lanes are not in the masks"""
    nb = 2
    n = nb * block
    x = testing.shaped_random((n,), xp, 'int32', seed=4) % 50
    if _np(xp):
        t = xp.arange(n) % block
        warp_of = (xp.arange(n) // block) * 64 + t // 32   # a global warp id
        lane = t % 32
        out = xp.zeros((n, 5), dtype='uint32')
        for w in xp.unique(warp_of):
            m = warp_of == w
            lanes = lane[m]
            vals = x[m]
            bits = lambda p: int(sum(1 << int(l) for l, q in zip(lanes, p) if q))
            out[m, 0] = bits(vals & 1)
            out[m, 1] = int((vals > 40).any())
            out[m, 2] = int((vals >= 2).all())
            out[m, 3] = bits(xp.ones(len(vals), bool))
            out[m, 4] = bin(bits(vals > 25)).count('1')
        return out.reshape(-1)
    o = xp.zeros(5 * n, dtype='uint32')
    wp.RawKernel(VOTES, 'votes')((nb,), (block,), (x, o))
    return o


BITS = r'''
extern "C" __global__ void bits(const unsigned int* x, int* o, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) o[i] = __popc(x[i]) + 100 * __ffs(x[i]) + 10000 * __clz(x[i]);
}
'''


@numpy_wgpy_array_equal()
def test_popc_ffs_clz(xp):
    """bit intrinsics are expressions (no workgroup memory): they also work in Elementwise and
    Reduction kernels; this RawKernel writes through a pointer, which webgl2 refuses"""
    vals = [0, 1, 2, 3, 0x80000000, 0xffffffff, 0x00010000, 0x7fffffff, 12345678, 0x40000001]
    x = xp.array(vals, dtype='uint32')
    if _np(xp):
        out = []
        for v in vals:
            popc = bin(v).count('1')
            ffs = (v & -v).bit_length() if v else 0
            clz = 32 - v.bit_length()
            out.append(popc + 100 * ffs + 10000 * clz)
        return xp.array(out, dtype='int32')
    o = xp.zeros(len(vals), dtype='int32')
    wp.RawKernel(BITS, 'bits')((1,), (32,), (x, o, len(vals)))
    return o


def test_warp_intrinsics_refused_on_webgl2():
    if wp.get_backend_name() in ('cpu', 'loopback', 'webgpu'):
        pytest.skip('the cpu and webgpu backends run warp intrinsics')
    k = wp.RawKernel(SHUFFLES.replace('T', 'float'), 'shuffles')
    x = wp.zeros(64, dtype='float32')
    o = wp.zeros(6 * 64, dtype='float32')
    with pytest.raises(NotImplementedError, match='warp intrinsics.*the %s backend' % wp.get_backend_name()):
        k((1,), (64,), (x, o, 1, 1, 32))


def test_warp_intrinsic_errors():
    bad = wp.RawKernel(r'''
    extern "C" __global__ void f(float* o) { o[threadIdx.x] = __shfl_sync(0xffffffff, 1.0f); }''', 'f')
    with pytest.raises(wp.CompileException if hasattr(wp, 'CompileException') else Exception,
                       match='__shfl_sync takes 3'):
        bad.compile()
    ek = wp.ElementwiseKernel('float32 x', 'float32 y', 'y = __shfl_sync(0xffffffff, x, 0)', 'shf')
    with pytest.raises(NotImplementedError, match='warp intrinsics need a RawKernel'):
        ek(wp.zeros(4, dtype='float32'))


CONSTANTS = r'''
#define N 5
__constant__ float coef[N] = {1.0f, -2.0f, 0.5f, 3, 1e-1f};   // Horner's coefficients
static __constant__ int offs[] = {0, 1, -1};
__constant__ double scale = 2.5;                                // float32 with x64 off
__constant__ unsigned int pad[8] = {7};                         // the rest are 0

__device__ float poly(float x) {                                // a helper reads them too
    float r = 0.0f;
    for (int k = N - 1; k >= 0; k--) r = r * x + coef[k];
    return r;
}

extern "C" __global__ void k(const float* x, float* y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = poly(x[i]) * scale + offs[i % 3] + pad[i % 8];
}
'''


@pytest.mark.parametrize('n', [1, 100, 300])
@numpy_wgpy_allclose(rtol=1e-5, atol=1e-5)
def test_constant_arrays(xp, n):
    """module-scope __constant__ arrays and scalars with initialisers, read in the kernel and
    in a __device__ helper; no shared memory: cpu and webgpu run them (webgl2 refuses the
    kernel's pointer writes, as for every RawKernel)"""
    x = testing.shaped_random((n,), xp, 'float32', seed=2) * 2 - 1
    if _np(xp):
        c = xp.array([1, -2, .5, 3, .1], dtype='float32')
        i = xp.arange(n)
        return ((((c[4] * x + c[3]) * x + c[2]) * x + c[1]) * x + c[0]) * xp.float32(2.5) + \
            xp.array([0, 1, -1], dtype='float32')[i % 3] + xp.where(i % 8 == 0, 7, 0).astype('float32')
    y = xp.zeros(n, dtype='float32')
    wp.RawModule(code=CONSTANTS).get_function('k')(((n + 127) // 128,), (128,), (x, y, n))
    return y


def test_constant_errors():
    def compile_(src):
        wp.RawKernel(src + '\nextern "C" __global__ void f(float* y) { y[0] = c[0]; }', 'f').compile()

    with pytest.raises(wp.CompileException, match='an array needs a brace initialiser'):
        compile_('__constant__ float c[2] = 3;')
    with pytest.raises(wp.CompileException, match='too many initialisers'):
        compile_('__constant__ float c[2] = {1, 2, 3};')
    with pytest.raises(NotImplementedError, match='must be a constant number'):
        compile_('__constant__ float c[2] = {1, sinf(2)};')
    with pytest.raises(NotImplementedError, match='multi-dimensional __constant__'):
        compile_('__constant__ float c[2][2];')
    with pytest.raises(wp.CompileException, match='not assignable'):
        wp.RawKernel('__constant__ float c = 1;\nextern "C" __global__ void f(float* y) { c = 2; }',
                     'f').compile()


@numpy_wgpy_array_equal()
def test_bit_intrinsics_in_elementwise_kernel(xp):
    """__popc/__ffs/__clz are expressions: an ElementwiseKernel uses them on every backend"""
    vals = [0, 1, 6, 0x80000000, 0xffffffff, 0x00010000, 0x7fffffff, 12345678]
    x = xp.array(vals, dtype='uint32')
    if _np(xp):
        return xp.array([bin(v).count('1') + 100 * ((v & -v).bit_length() if v else 0) +
                         10000 * (32 - v.bit_length()) for v in vals], dtype='int32')
    k = wp.ElementwiseKernel('uint32 x', 'int32 y', 'y = __popc(x) + 100 * __ffs(x) + 10000 * __clz(x)',
                             'bits_ew')
    return k(x)
