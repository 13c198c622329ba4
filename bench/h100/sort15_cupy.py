"""CuPy's (CUB's) sort and argsort of float32 and int32, the same data as sort15_bench.py: the
baseline of issue 10 (sort >= 0.5x CuPy).   python3 bench/h100/sort15_cupy.py [n ...]"""
import sys
import time

import cupy as cp


def timeit(fn, reps=10, warm=2):
    for _ in range(warm):
        fn()
    cp.cuda.Device().synchronize()
    best = None
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        cp.cuda.Device().synchronize()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best


sizes = [int(s) for s in sys.argv[1:]] or [1 << 20, 1 << 24]
print('cupy %s' % cp.__version__)
for n in sizes:
    x = cp.arange(n, dtype=cp.float32)
    x = cp.sin(x * 12.9898) * 43758.5453
    x = x - cp.floor(x)
    xi = ((x * 4294967295.0 - 2147483648.0).astype(cp.int64) // 8 * 8).astype(cp.int32)
    for dt, v in (('float32', x), ('int32', xi)):
        for op, f in (('sort', lambda: cp.sort(v)), ('argsort', lambda: cp.argsort(v))):
            print('%-9d %-7s %-8s cupy %8.3f ms' % (n, dt, op, timeit(f) * 1e3))
