"""Atomics on `__shared__` arrays (workgroup memory; docs/kernels.md, "Atomics on __shared__
arrays"): the IR's SHARED_ATOMIC_ADD/MAX/MIN/CAS, and atomicSub/Exch/And/Or/Xor/Inc/Dec built
from them, compared with NumPy.  cpu and webgpu run them (WGSL workgroup arrays of atomic<i32> /
atomic<u32>, float32 by compare-and-swap loops on the bits); webgl2 refuses __shared__ memory
with the documented NotImplementedError naming the backend (a refusal the decorators accept)."""

import pytest

import wgpy as wp
from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose, numpy_wgpy_array_equal


def _np(xp):
    return not testing.is_wgpy(xp)


HIST = r'''
#define BINS 32
extern "C" __global__ void hist(const int* v, T* h, int n) {
    __shared__ T local[BINS];                 // one histogram per block, in workgroup memory
    int t = threadIdx.x;
    for (int b = t; b < BINS; b += blockDim.x) local[b] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + t; i < n; i += blockDim.x * gridDim.x)
        atomicAdd(&local[v[i]], (T)1);
    __syncthreads();
    for (int b = t; b < BINS; b += blockDim.x) atomicAdd(&h[b], local[b]);
}
'''


@pytest.mark.parametrize('dtype', ['int32', 'uint32', 'float32'])
@pytest.mark.parametrize('n, grid, block', [(5000, 4, 128), (100, 1, 16), (3000, 7, 64)])
@numpy_wgpy_array_equal()
def test_shared_histogram(xp, dtype, n, grid, block):
    """the classic: a per-block histogram with atomicAdd on a __shared__ array, then merged"""
    v = testing.shaped_random((n,), xp, 'int32', seed=13) % 32
    if _np(xp):
        return xp.bincount(v, minlength=32).astype(dtype)
    ctype = {'int32': 'int', 'uint32': 'unsigned int', 'float32': 'float'}[dtype]
    h = xp.zeros(32, dtype=dtype)
    wp.RawKernel(HIST.replace('T', ctype), 'hist')((grid,), (block,), (v, h, n))
    return h


RMW = r'''
extern "C" __global__ void rmw(const T* x, T* out, int* ticket) {
    __shared__ T s[8];
    __shared__ T mx;
    __shared__ T mn;
    __shared__ int next;
    int t = threadIdx.x, b = blockIdx.x;
    T v = x[b * blockDim.x + t];
    if (t == 0) { mx = v; mn = v; }
    if (t < 8) s[t] = (T)t;
    __syncthreads();
    atomicMax(&mx, v);
    atomicMin(&mn, v);
    atomicAdd(&s[t % 8], v);
    ticket[b * blockDim.x + t] = atomicAdd(&next, 1);   // the old values: 0 .. blockDim.x - 1
    atomicSub(&s[(t + 1) % 8], (T)1);
    __syncthreads();
    if (t < 8) out[b * 10 + t] = s[t];
    if (t == 0) { out[b * 10 + 8] = mx; out[b * 10 + 9] = mn; }
}
'''


@pytest.mark.parametrize('dtype', ['int32', 'float32'])
@numpy_wgpy_allclose(rtol=1e-5, atol=1e-4)
def test_shared_add_sub_max_min(xp, dtype):
    nb, nt = 3, 64
    x = (testing.shaped_random((nb * nt,), xp, 'int32', seed=21) % 100 - 50).astype(dtype)
    if _np(xp):
        xb = x.reshape(nb, nt)
        s = xp.arange(8, dtype=dtype)[None, :] + xb.reshape(nb, nt // 8, 8).sum(axis=1, dtype=dtype) - nt // 8
        out = xp.concatenate([s, xb.max(axis=1)[:, None], xb.min(axis=1)[:, None]], axis=1)
        return out.reshape(-1), xp.tile(xp.arange(nt, dtype='int32'), nb)
    ctype = 'int' if dtype == 'int32' else 'float'
    out = xp.zeros(nb * 10, dtype=dtype)
    ticket = xp.full(nb * nt, -1, dtype='int32')
    wp.RawKernel(RMW.replace('T', ctype), 'rmw')((nb,), (nt,), (x, out, ticket))
    return out, xp.sort(ticket.reshape(nb, nt), axis=1).reshape(-1)


CASLOOP = r'''
extern "C" __global__ void bits(const unsigned int* x, unsigned int* out) {
    __shared__ unsigned int a[4];
    __shared__ unsigned int cnt;
    __shared__ int winner;
    int t = threadIdx.x;
    unsigned int v = x[blockIdx.x * blockDim.x + t];
    if (t == 0) { a[0] = 0u; a[1] = 0xffffffffu; a[2] = 0u; a[3] = 7u; cnt = 0u; winner = -1; }
    __syncthreads();
    atomicOr(&a[0], v);
    atomicAnd(&a[1], v | 0x0f0f0000u);
    atomicXor(&a[2], v);
    atomicInc(&cnt, 1000u);
    atomicDec(&a[3], 5u);
    atomicCAS(&winner, -1, t == 17 ? 17 : -1);   // only thread 17 swaps -1 for itself
    atomicExch(&a[3], a[3]);
    __syncthreads();
    if (t < 4) out[blockIdx.x * 6 + t] = a[t];
    if (t == 0) { out[blockIdx.x * 6 + 4] = cnt; out[blockIdx.x * 6 + 5] = (unsigned int)winner; }
}
'''


@numpy_wgpy_array_equal()
def test_shared_cas_loop_atomics(xp):
    """atomicOr/And/Xor/Inc/Dec/Exch (compare-and-swap loops on SHARED_ATOMIC_CAS) and atomicCAS
    on __shared__ arrays and scalars"""
    nb, nt = 2, 48
    x = testing.shaped_random((nb * nt,), xp, 'uint32', seed=5)
    if _np(xp):
        out = []
        for b in range(nb):
            v = [int(q) for q in x[b * nt:(b + 1) * nt]]
            o = a1 = xo = 0
            a1 = 0xffffffff
            for q in v:
                o |= q
                a1 &= q | 0x0f0f0000
                xo ^= q
            d = 7                                 # 48 decrements with wrap at 5: 7 -> 6 ... 0 -> 5
            for _ in range(nt):
                d = 5 if (d == 0 or d > 5) else d - 1
            out += [o, a1, xo, d, nt, 17]
        return xp.array(out, dtype='uint32')
    out = xp.zeros(nb * 6, dtype='uint32')
    wp.RawKernel(CASLOOP, 'bits')((nb,), (nt,), (x, out))
    return out


def test_shared_atomics_refusals():
    """an int16 __shared__ array updated atomically: cpu runs it, webgpu (int32, uint32 and
    float32 atomics) and webgl2 (no workgroup memory) refuse, naming the backend"""
    be = wp.get_backend_name()
    k = wp.RawKernel(r'''
    extern "C" __global__ void f(short* y) {
        __shared__ short s[4];
        atomicAdd(&s[threadIdx.x & 3], (short)1);
        __syncthreads();
        if (threadIdx.x < 4) y[threadIdx.x] = s[threadIdx.x];
    }''', 'f')
    y = wp.zeros(4, dtype='int16')
    if be in ('cpu', 'loopback'):                # every dtype on cpu; int32/uint32/float32 on webgpu
        k((1,), (8,), (y,))
        assert y.tolist() == [2, 2, 2, 2]
    else:
        with pytest.raises(NotImplementedError, match='the %s backend' % be):
            k((1,), (8,), (y,))


def test_storage_scratch_lowering_agrees(monkeypatch):
    """WGPY_RAW_SHARED_SCRATCH=1 (read when the source is parsed) keeps the older lowering of an
    atomically updated __shared__ array (a hidden storage buffer); both give the same counts"""
    if wp.get_backend_name() not in ('cpu', 'loopback', 'webgpu'):
        pytest.skip('__shared__ runs on cpu and webgpu')
    n = 4000
    v = (wp.arange(n, dtype='int32') * 7919) % 32
    got = []
    for env in ('1', '0'):
        monkeypatch.setenv('WGPY_RAW_SHARED_SCRATCH', env)
        src = HIST.replace('T', 'int') + '// lowering %s\n' % env   # a source of its own: no cache
        k = wp.RawKernel(src, 'hist')
        h = wp.zeros(32, dtype='int32')
        k((3,), (64,), (v, h, n))
        got.append(h.tolist())
    assert got[0] == got[1]
    assert sum(got[0]) == n and min(got[0]) == n // 32
