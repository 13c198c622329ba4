"""Issue 11's solve, inv (1024^2) and cholesky (2048^2) in one process (bench/issue11_bench.py's
inputs and timing: call + one-element read, median of 5 after a warm-up; back to back: rounds of
10 and 20 calls, bench/issue11_bench.py's pipelined_time), then, for wgpy, a check of the blocked
LU on random normal matrices (their pivots do swap rows, the benchmark's diagonally dominant ones
never do) against numpy in float64, and cholesky's ten calls one after another (the spread).

    WGPY_BACKEND=webgpu python3 bench/h100/lu12_bench.py [--small] [--cupy] [--tag NAME] [--nocheck]
        [--warm SECONDS]

--warm: first call the first workload back to back for that long (the H100 idles at a 345 MHz
clock and ramps up under load: a process's first measurements otherwise ran at the low clock).
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
    tag = argv[argv.index('--tag') + 1] if '--tag' in argv else kind
    small = '--small' in argv
    size = ib.SMALL if small else ib.FULL
    if '--warm' in argv:
        fn = ib.workloads(xp, size, kind)[1][1]  # solve (after the random numbers)
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < float(argv[argv.index('--warm') + 1]):
            for _ in range(5):
                fn()
            sync()
            ib.first(fn())
    for name, fn in ib.workloads(xp, size, kind):
        if not any(name.startswith(w) for w in ('solve %d' % size['solve'], 'inv %d^' % size['inv'],
                                                'cholesky')):
            continue
        t = ib.median_time(lambda: ib.first(fn()), reps=5)
        p = ib.pipelined_time(fn, sync, 10)
        print('%-8s %-15s call+read %7.2f ms  back-to-back %7.2f ms' % (tag, name, t * 1e3, p * 1e3),
              flush=True)
        if name.startswith('cholesky') and kind == 'wgpy':
            ts = []
            for _ in range(10):
                t0 = time.perf_counter()
                ib.first(fn())
                ts.append((time.perf_counter() - t0) * 1e3)
            print('%-8s cholesky ten calls: %s ms' % (tag, ' '.join('%.1f' % v for v in ts)))
    if kind != 'wgpy' or '--nocheck' in argv:
        return
    import numpy as np
    for n in ((64, 128) if small else (1024, 2048)):
        a = np.random.default_rng(n).standard_normal((n, n)).astype(np.float32)
        b = np.random.default_rng(n + 1).standard_normal((n, 3)).astype(np.float32)
        x = xp.asnumpy(xp.linalg.solve(xp.asarray(a), xp.asarray(b)))
        r = np.abs(a.astype(np.float64) @ x - b).max() / (np.abs(a).sum(1).max() * np.abs(x).max())
        s, ld = (float(v) for v in xp.linalg.slogdet(xp.asarray(a)))
        s0, ld0 = np.linalg.slogdet(a.astype(np.float64))
        msg = 'solve residual %.2g n*eps, slogdet %.6g (numpy %.6g), sign %s' % (
            r / (n * 2.0 ** -24), ld, ld0, 'ok' if s == s0 else 'WRONG')
        if n in (64, 1024):
            xi = xp.asnumpy(xp.linalg.inv(xp.asarray(a)))
            msg += ', inv residual %.2g n*eps' % (
                np.abs(a.astype(np.float64) @ xi - np.eye(n)).max() /
                (np.abs(a).sum(1).max() * np.abs(xi).max() * n * 2.0 ** -24))
        if n == 2048 or small:
            c = (a.astype(np.float64) @ a.T.astype(np.float64) / n + np.eye(n)).astype(np.float32)
            lc = xp.asnumpy(xp.linalg.cholesky(xp.asarray(c)))
            l0 = np.linalg.cholesky(c.astype(np.float64))
            msg += ', cholesky max|L - L64| %.2g' % (np.abs(lc - l0).max() / np.abs(l0).max())
        print('%-8s check %d^2: %s' % (tag, n, msg), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
