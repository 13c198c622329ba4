"""CUDA's warp intrinsics on a device (session 14; docs/kernels.md "Warp intrinsics"): where the
host reports subgroups of exactly 32 lanes (wg_set_subgroups) they run as WGSL subgroup
operations, elsewhere through workgroup memory.  Checks shuffles (every form, widths), ballots
and a warp scan against NumPy's model of 32-lane warps, then times a shuffle-heavy kernel.

    WGPY_BACKEND=webgpu [WGPY_SUBGROUPS=0] python3 bench/h100/warp_check.py [n [reps]]

Prints the host's subgroup sizes, whether the engine takes subgroups (sizes 32/32 and
WGPY_SUBGROUPS not 0), 'ok' or 'WRONG' per case, and the kernel's ms per call."""
import os
import time

import numpy as np
import wgpy as wp
from wgpy import _lib

SHUF = r'''
extern "C" __global__ void shuf(const int* x, int* o, int src, int delta, int width) {
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    int v = x[t];
    o[5 * t + 0] = __shfl_sync(0xffffffff, v, src, width);
    o[5 * t + 1] = __shfl_up_sync(0xffffffff, v, delta, width);
    o[5 * t + 2] = __shfl_down_sync(0xffffffff, v, delta, width);
    o[5 * t + 3] = __shfl_xor_sync(0xffffffff, v, delta, width);
    o[5 * t + 4] = __ballot_sync(0xffffffff, v & 1);
}
'''
SCAN = r'''
extern "C" __global__ void wscan(const unsigned int* x, unsigned int* o, int reps) {
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    unsigned int v = x[t], s = 0u;
    for (int r = 0; r < reps; r++) {
        unsigned int c = v + (unsigned int)r;
        for (int off = 1; off < 32; off <<= 1) {
            unsigned int y = __shfl_up_sync(0xffffffff, c, off);
            if ((threadIdx.x & 31) >= off) c += y;
        }
        s += c;
    }
    o[t] = s;
}
'''


def model(x, src, delta, width):
    n = x.shape[0]
    t = np.arange(n)
    lane = t % 32
    base = t - lane
    seg = lane & ~(width - 1)
    up, down, xr = lane - delta, lane + delta, lane ^ delta
    cols = [x[base + seg + src % width], x[base + np.where(up < seg, lane, up)],
            x[base + np.where(down >= seg + width, lane, down)],
            x[base + np.where(xr >= seg + width, lane, xr)]]
    bits = (x & 1).astype(np.uint64) << lane.astype(np.uint64)
    bal = np.add.reduceat(bits, np.arange(0, n, 32)).astype(np.uint32).view(np.int32)
    cols.append(np.repeat(bal, 32))
    return np.stack(cols, axis=1).reshape(-1)


def main(n=1 << 20, reps=64):
    sg = getattr(_lib._executor, 'subgroups', None)
    e = os.environ.get('WGPY_SUBGROUPS', '')
    taken = bool(sg) and list(sg) == [32, 32] and e != '0'
    print('subgroups %s  engine takes them: %s' % (sg, 'yes' if taken else 'no'))
    rng = np.random.default_rng(5)
    ok = True
    for block in (64, 256):
        m = 4 * block
        x = rng.integers(-1000, 1000, m).astype(np.int32)
        for src, delta, width in ((3, 2, 8), (37, 5, 32), (0, 1, 4), (31, 16, 16)):
            o = wp.zeros(5 * m, dtype='int32')
            wp.RawKernel(SHUF, 'shuf')((m // block,), (block,), (wp.asarray(x), o, src, delta, width))
            r = np.array_equal(wp.asnumpy(o), model(x, src, delta, width))
            ok &= r
            if not r:
                print('  WRONG: shuffles block %d src %d delta %d width %d' % (block, src, delta, width))
    xu = rng.integers(0, 1000, n).astype(np.uint32)
    o = wp.zeros(n, dtype='uint32')
    k = wp.RawKernel(SCAN, 'wscan')
    k((n // 256,), (256,), (wp.asarray(xu), o, 2))
    c0 = xu.reshape(-1, 32)
    want = (np.cumsum(c0, axis=1) * 2 + np.arange(1, 33, dtype=np.uint32)).reshape(-1)  # r = 0, 1
    r = np.array_equal(wp.asnumpy(o), want.astype(np.uint32))
    ok &= r
    print('warp intrinsics (shuffles, ballots, scan) %s' % ('ok' if ok else 'WRONG'))
    xw = wp.asarray(xu)
    k((n // 256,), (256,), (xw, o, reps))
    float(o[0])
    ts = []
    for _ in range(5):
        t0 = time.perf_counter()
        k((n // 256,), (256,), (xw, o, reps))
        float(o[0])
        ts.append((time.perf_counter() - t0) * 1e3)
    print('warp scan kernel (%d threads, %d scans of 5 shuffles each): %.3f ms a call (best of 5)'
          % (n, reps, min(ts)))


if __name__ == '__main__':
    import sys
    main(*[int(a) for a in sys.argv[1:3]])
