"""A 1M gather on a GPU against CuPy (issue 10's gather goal: 0.8x CuPy): `a[idx]` with random
int32 idx into 1M float32, and `take` (CuPy's wraps; wgpy's default mode='raise' checks the
bounds, mode='wrap' does not).  Milliseconds per operation, as bench/h100/scan_bench.py times
them (wgpy: differential rounds of k operations, one sync and one read; CuPy: a synchronize).

    WGPY_BACKEND=webgpu python3 bench/h100/gather_bench.py     # wgpy (natively through Node)
    python3 bench/h100/gather_bench.py --cupy"""
import sys

import numpy as np

from scan_bench import per_op_wgpy


def main():
    n = 1 << 20
    rng = np.random.default_rng(0)
    a_h = rng.random(n, dtype=np.float32)
    idx_h = rng.integers(0, n, n).astype(np.int32)
    if '--cupy' in sys.argv:
        import cupy as xp
        import time

        def per_op(make, k=20, reps=5):
            for _ in range(2):
                make()
            xp.cuda.Device().synchronize()
            best = None
            for _ in range(reps):
                t0 = time.perf_counter()
                for _ in range(k):
                    make()
                xp.cuda.Device().synchronize()
                t = (time.perf_counter() - t0) / k
                best = t if best is None else min(best, t)
            return best
        name, extra = 'cupy', ()
    else:
        import wgpy as xp

        def per_op(make):
            return per_op_wgpy(xp, make, 20, 5)
        name = 'wgpy'
        extra = (('take_wrap_1M', lambda: xp.take(a, idx, mode='wrap')),)
    a, idx = xp.asarray(a_h), xp.asarray(idx_h)
    got = xp.take(a, idx)
    ok = np.array_equal(np.asarray(got.get() if hasattr(got, 'get') else got), a_h[idx_h])
    print(f'{name}: gather check {ok}', flush=True)
    for label, make in (('a[idx]_1M', lambda: a[idx]), ('take_1M', lambda: xp.take(a, idx))) + extra:
        t = per_op(make)
        print(f'{name} {label}: {t * 1e3:.4f} ms', flush=True)


if __name__ == '__main__':
    main()
