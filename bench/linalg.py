"""numpy.linalg on wgpy against numpy, in the same run (docs/linalg.md, "Speed").

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/linalg.py [--large]

Workloads: solve (one right-hand side) and inv at 256^2, cholesky and svd at 128^2, a batched
inverse of 64 x (32 x 32); --large adds solve/inv/cholesky at 1024^2 (minutes on the cpu
backend: its statement-kernel interpreter runs the n launches of n^2 points one by one).
Each workload is timed as a user sees it — the call and one read that forces it — after a
warm-up, median of up to REPS runs within a budget.  Prints one line per workload: wgpy's and
numpy's seconds and wgpy/numpy (how many times slower wgpy is).
"""
import sys
import time

import numpy as np

import wgpy as wp

REPS = 3
BUDGET_S = 30.0


def median_time(fn):
    fn()  # warm-up: kernel parsing and lowering, the memory pool
    times = []
    spent = 0.0
    while len(times) < REPS and (not times or spent < BUDGET_S):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        times.append(dt)
        spent += dt
    times.sort()
    return times[len(times) // 2]


def workloads(large):
    rng = np.random.default_rng(0)

    def gen(n, batch=()):
        a = rng.standard_normal(batch + (n, n)).astype(np.float32)
        return a + n * np.eye(n, dtype=np.float32)

    def spd(n):
        a = rng.standard_normal((n, n)).astype(np.float32)
        return a @ a.T + n * np.eye(n, dtype=np.float32)

    out = []
    for n in (256,) + ((1024,) if large else ()):
        a = gen(n)
        b = rng.standard_normal((n,)).astype(np.float32)
        out.append(('solve %d^2' % n, 'solve', (a, b)))
        out.append(('inv %d^2' % n, 'inv', (a,)))
    for n in (128,) + ((1024,) if large else ()):
        out.append(('cholesky %d^2' % n, 'cholesky', (spd(n),)))
    out.append(('svd 128^2', 'svd', (rng.standard_normal((128, 128)).astype(np.float32),)))
    out.append(('inv 64 x 32^2', 'inv', (gen(32, (64,)),)))
    return out


def main():
    large = '--large' in sys.argv
    print('wgpy backend %s vs numpy %s (float32)' % (wp.config.backend, np.__version__))
    for name, fn, args in workloads(large):
        wargs = [wp.asarray(x) for x in args]
        wf = getattr(wp.linalg, fn)
        nf = getattr(np.linalg, fn)

        def run_w():
            r = wf(*wargs)
            r = r[0] if isinstance(r, tuple) else r
            return float(r.ravel()[0])

        def run_n():
            r = nf(*args)
            r = r[0] if isinstance(r, tuple) else r
            return float(r.ravel()[0])

        tw = median_time(run_w)
        tn = median_time(run_n)
        print('%-16s wgpy %9.4f s   numpy %9.5f s   wgpy/numpy %8.1f' % (name, tw, tn, tw / tn),
              flush=True)


if __name__ == '__main__':
    main()
