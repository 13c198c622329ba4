"""Where the blocked LU and Cholesky spend their GPU time (issue 11): for solve and inv 1024^2 and
cholesky 2048^2 (bench/issue11_bench.py's inputs), the wall time of a call and a read (best of 3),
the GPU time summed over its dispatches (the executor's timestamps), the launches, and the GPU ms
per dispatch key (kind, entry point, workgroups: the executor keys by shape, not by kernel, so the
panel kernels of different sizes are separate lines).  Natively through the Node + Dawn host:

    WGPY_BACKEND=webgpu WGPY_GPU_TIMING=1 python3 bench/h100/linalg_profile.py [--small | --tiny] [--top K]
        [--noflag]

--noflag: read the flags but raise nothing (for measurement-only kernel variants that compute
wrong factors).
"""
import json
import sys
import time

import wgpy as wp


def stats():
    from wgpy import _remote
    ex = next(iter(_remote._open.values()), None)
    return json.loads(ex.stats()).get('gpuKernels', {}) if ex else {}


def mat(n, spd=False):
    k = wp.arange(n * n, dtype='float32')
    a = wp.sin(k * 0.7 + 0.3).reshape((n, n))
    if spd:
        return wp.matmul(a, wp.swapaxes(a, -1, -2)) + n * wp.eye(n, dtype='float32')
    return a + n * wp.eye(n, dtype='float32')


def main(argv):
    small = '--small' in argv
    top = int(argv[argv.index('--top') + 1]) if '--top' in argv else 6
    if '--noflag' in argv:
        wp.linalg._flag = lambda f, message: f.tolist()
    s, c = (70, 70) if '--tiny' in argv else (256, 256) if small else (1024, 2048)
    a, b, sp = mat(s), wp.ones((s,), dtype='float32'), mat(c, spd=True)
    wl = [('solve %d^2' % s, lambda: wp.linalg.solve(a, b)), ('inv %d^2' % s, lambda: wp.linalg.inv(a)),
          ('cholesky %d^2' % c, lambda: wp.linalg.cholesky(sp))]
    for name, fn in wl:
        float(fn().ravel()[0])
        wp.sync()
        g0, c0 = stats(), wp.counters()['kernels_launched']
        best, reps = None, 3
        for _ in range(reps):
            t0 = time.perf_counter()
            float(fn().ravel()[0])
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        g1, c1 = stats(), wp.counters()['kernels_launched']
        per = sorted(((v['ms'] - g0.get(k, {}).get('ms', 0)) / reps,
                      (v['n'] - g0.get(k, {}).get('n', 0)) // reps, k) for k, v in g1.items()
                     if v['n'] > g0.get(k, {}).get('n', 0))[::-1]
        gpu = sum(p[0] for p in per)
        print('%-15s wall %7.2f ms  gpu %7.2f ms  launches %d' % (name, best * 1e3, gpu, (c1 - c0) // reps))
        for ms, n, k in per[:top]:
            print('    %7.3f ms  x%-4d %s' % (ms, n, k))
        sys.stdout.flush()


if __name__ == '__main__':
    main(sys.argv[1:])
