"""Issue 11's linear algebra in one process (session 15): solve and inv 1024^2, cholesky 2048^2,
the batched inverse 64 x 32^2 (call + one-element read, median of 5 after a warm-up; ten back to
back: bench/issue11_bench.py's pipelined_time) and svd 512^2 (call + read, median of 3: seconds a
call on wgpy, so no back-to-back rounds); bench/issue11_bench.py's inputs.  With --check instead: the
blocked LU on random normal matrices (their pivots swap rows; the benchmark's diagonally dominant
ones never do) and cholesky against numpy in float64.

    WGPY_BACKEND=webgpu python3 bench/h100/lu15_bench.py [--small] [--cupy] [--tag NAME]
        [--tiny] [--check] [--warm SECONDS] [--gpu] [--nosvd]

--warm: first call solve back to back for that long (the H100 idles at a 345 MHz clock and
ramps up under load).  --gpu: the GPU's blocked kernels on any adapter
(wgpy.linalg._set_linalg_path('gpu'): SwiftShader runs the CPU-like ones by default).  --tiny:
70^2 (a panel and a narrow second), svd 16^2, 4 x 32^2, one timed call, rounds of 1 and 2.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import issue11_bench as ib  # noqa: E402


def main(argv):
    if '--cupy' in argv:
        import cupy as xp
        kind, sync = 'cupy', lambda: xp.cuda.Device().synchronize()
    else:
        import wgpy as xp
        kind, sync = 'wgpy', xp.sync
        if '--gpu' in argv:
            xp.linalg._set_linalg_path('gpu')
    tag = argv[argv.index('--tag') + 1] if '--tag' in argv else kind
    small = '--small' in argv or '--tiny' in argv
    size = ib.SMALL if small else ib.FULL
    k, reps = 10, 5
    if '--tiny' in argv:  # SwiftShader with the GPU's kernels: seconds a call at 256^2
        size, k, reps = dict(ib.SMALL, solve=70, inv=70, cholesky=70, svd=16, batch=4), 1, 1
    wl = dict(ib.workloads(xp, size, kind))
    names = ['solve %d^2' % size['solve'], 'inv %d^2' % size['inv'],
             'cholesky %d^2' % size['cholesky'], 'inv %d x 32^2' % size['batch']]
    if '--nosvd' not in argv:
        names.append('svd %d^2' % size['svd'])
    if '--check' in argv:  # the check alone
        names = []
    if '--warm' in argv and float(argv[argv.index('--warm') + 1]) > 0:
        fn = wl[names[0]]
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < float(argv[argv.index('--warm') + 1]):
            for _ in range(5):
                fn()
            sync()
            ib.first(fn())
    for name in names:
        fn = wl[name]
        if name.startswith('svd'):
            t = ib.median_time(lambda: ib.first(fn()), reps=min(3, reps))
            print('%-8s %-15s call+read %7.2f ms' % (tag, name, t * 1e3), flush=True)
            continue
        t = ib.median_time(lambda: ib.first(fn()), reps=reps)
        p = ib.pipelined_time(fn, sync, k)
        print('%-8s %-15s call+read %7.2f ms  back-to-back %7.2f ms' % (tag, name, t * 1e3, p * 1e3),
              flush=True)
    if kind != 'wgpy' or '--check' not in argv:
        return
    import numpy as np
    for n in ((70, 130) if '--tiny' in argv else (130, 300) if small else (1024, 2048)):
        a = np.random.default_rng(n).standard_normal((n, n)).astype(np.float32)
        b = np.random.default_rng(n + 1).standard_normal((n, 3)).astype(np.float32)
        x = xp.asnumpy(xp.linalg.solve(xp.asarray(a), xp.asarray(b)))
        r = np.abs(a.astype(np.float64) @ x - b).max() / (np.abs(a).sum(1).max() * np.abs(x).max())
        s, ld = (float(v) for v in xp.linalg.slogdet(xp.asarray(a)))
        s0, ld0 = np.linalg.slogdet(a.astype(np.float64))
        msg = 'solve residual %.2g n*eps, slogdet %.6g (numpy %.6g), sign %s' % (
            r / (n * 2.0 ** -24), ld, ld0, 'ok' if s == s0 else 'WRONG')
        xi = xp.asnumpy(xp.linalg.inv(xp.asarray(a)))
        msg += ', inv residual %.2g n*eps' % (
            np.abs(a.astype(np.float64) @ xi - np.eye(n)).max() /
            (np.abs(a).sum(1).max() * np.abs(xi).max() * n * 2.0 ** -24))
        c = (a.astype(np.float64) @ a.T.astype(np.float64) / n + np.eye(n)).astype(np.float32)
        lc = xp.asnumpy(xp.linalg.cholesky(xp.asarray(c)))
        l0 = np.linalg.cholesky(c.astype(np.float64))
        msg += ', cholesky max|L - L64| %.2g' % (np.abs(lc - l0).max() / np.abs(l0).max())
        print('%-8s check %d^2: %s' % (tag, n, msg), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
