"""RawKernel atomics on a __shared__ array: workgroup atomics (SHARED_ATOMIC_ADD) against the
storage scratch they replaced (WGPY_RAW_SHARED_SCRATCH=1), on the current backend (docs/kernels.md,
"Atomics on __shared__ arrays").  Run natively, or in Node: scripts/wgpy --backend webgpu run
bench/raw_shared_atomics.py; once with WGPY_RAW_SHARED_SCRATCH=1 and once without."""
import time, os, wgpy as wp
SRC = r'''
#define BINS 32
extern "C" __global__ void hist(const int* v, int* h, int n) {
    __shared__ int local[BINS];
    int t = threadIdx.x;
    for (int b = t; b < BINS; b += blockDim.x) local[b] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + t; i < n; i += blockDim.x * gridDim.x)
        atomicAdd(&local[v[i]], 1);
    __syncthreads();
    for (int b = t; b < BINS; b += blockDim.x) atomicAdd(&h[b], local[b]);
}
'''
n = 1 << 20
v = (wp.arange(n, dtype='int32') * 7919) % 32
k = wp.RawKernel(SRC, 'hist')
h = wp.zeros(32, dtype='int32')
k((64,), (256,), (v, h, n)); int(h[0])
ts = []
for r in range(5):
    h = wp.zeros(32, dtype='int32')
    t0 = time.perf_counter(); k((64,), (256,), (v, h, n)); int(h.sum()); ts.append(time.perf_counter() - t0)
print('scratch' if os.environ.get('WGPY_RAW_SHARED_SCRATCH') == '1' else 'workgroup', wp.get_backend_name(), 'min %.1f ms' % (min(ts) * 1e3), int(h.sum()) == n)
