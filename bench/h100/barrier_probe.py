"""What one workgroup barrier costs on this device (issue 11, session 14): the blocked LU's and
Cholesky's panel kernels are one workgroup walking a chain of steps with one to three barriers
each, and their steps cost ~4x what their instructions suggest.  One workgroup (256 or 64
threads) runs N steps of a workgroup-memory exchange (a store, a load of a neighbour's value),
with no barrier, with `__wg_barrier()` (WGSL workgroupBarrier) and with `__syncthreads()`
(storageBarrier + workgroupBarrier) between them; also the same with a global store by one
thread per step (as the LU panel's pivot record).  Wall time per launch (median of 5, after a
warm-up and a sync each) over N, in ns a step.

    WGPY_BACKEND=webgpu python3 bench/h100/barrier_probe.py [--steps N]
"""
import sys
import time

import wgpy as wp

SRC = r'''
extern "C" __global__ void probe(float* out, int steps) {
    __shared__ float s[256];
    int t = threadIdx.x;
    float v = (float)t;
    for (int j = 0; j < steps; j++) {
        s[t] = v;
        BAR1
        v = s[(t + 1) & (BLOCK - 1)] * 0.5f + 1.0f;
        STORE
        BAR2
    }
    out[blockIdx.x * BLOCK + t] = v;
}
'''


def kernel(block, bar, store):
    src = (SRC.replace('BLOCK', str(block)).replace('BAR1', bar).replace('BAR2', bar)
           .replace('STORE', 'if (t == 0) out[BLK + j % 64] = v;'.replace('BLK', str(block))
                    if store else ''))
    return wp.RawKernel(src, 'probe')


def main(argv):
    steps = int(argv[argv.index('--steps') + 1]) if '--steps' in argv else 4096
    out = wp.zeros((2048,), dtype='float32')
    for block in (256, 64):
        res = []
        for label, bar, store in (('none', '', False), ('wg', '__wg_barrier();', False),
                                  ('sync', '__syncthreads();', False),
                                  ('wg+gstore', '__wg_barrier();', True)):
            k = kernel(block, bar, store)
            args = (out, wp.int32(steps))
            k((1,), (block,), args)
            wp.sync()
            float(out[0])
            ts = []
            for _ in range(5):
                t0 = time.perf_counter()
                k((1,), (block,), args)
                float(out[0])
                ts.append(time.perf_counter() - t0)
            ts.sort()
            res.append('%s %.0f' % (label, ts[2] / steps * 1e9))
        print('barrier probe, block %d, %d steps of 2 barriers, ns a step: %s' % (
            block, steps, ', '.join(res)), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
