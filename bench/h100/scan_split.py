"""Scans and masks per call on a GPU (issue 10): wall time per call back to back, the GPU time
the executor's timestamps give per call and per dispatch shape, and the launches, natively
through the Node + Dawn host (docs/remote.md):

    WGPY_BACKEND=webgpu WGPY_GPU_TIMING=1 python3 bench/h100/scan_split.py [k [n]]

Per workload: k calls in a row, one sync and one read; `wall` per call (fastest of 3 rounds),
`gpu` the sum of its dispatches' timestamps per call, then the GPU ms per call of each dispatch
shape (the executor keys timestamps by kind and shape, not by kernel)."""
import json
import sys
import time

import wgpy as wp


def executor():
    from wgpy import _remote
    return next(iter(_remote._open.values()), None)


def stats():
    ex = executor()
    return json.loads(ex.stats()).get('gpuKernels', {}) if ex else {}


def main():
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 16 << 20
    x = (wp.arange(n, dtype='float32') * 0.6180339887) % 1.0
    m = x > 0.5
    x1 = x[:n // 16].copy()
    rows = x.reshape(1024, n // 1024)
    wl = [('cumsum %dM f32' % (n >> 20), lambda: wp.cumsum(x)),
          ('cumsum n/16 f32', lambda: wp.cumsum(x1)),
          ('cumsum (1024,n/1024) ax1', lambda: wp.cumsum(rows, axis=1)),
          ('x[mask]', lambda: x[m]),
          ('nonzero', lambda: wp.nonzero(m)[0])]
    float(x[0])
    for name, fn in wl:
        float(fn().ravel()[0])
        wp.sync()
        best = None
        for _ in range(3):
            g0, c0 = stats(), wp.counters()['kernels_launched']
            t0 = time.perf_counter()
            res = [fn() for _ in range(k)]
            wp.sync()
            float(res[-1].ravel()[0])
            dt = (time.perf_counter() - t0) / k
            g1, c1 = stats(), wp.counters()['kernels_launched']
            del res
            if best is None or dt < best[0]:
                best = (dt, g0, g1, (c1 - c0) / k)
        dt, g0, g1, launches = best
        per = sorted(((v['ms'] - g0.get(s, {}).get('ms', 0)) / k, s) for s, v in g1.items()
                     if v['n'] > g0.get(s, {}).get('n', 0))[::-1]
        print('%-24s wall %7.3f ms  gpu %7.3f ms  launches %4.1f' % (
            name, dt * 1e3, sum(p for p, _ in per), launches), flush=True)
        for ms, s in per[:6]:
            print('      %7.3f ms  %s' % (ms, s), flush=True)


if __name__ == '__main__':
    main()
