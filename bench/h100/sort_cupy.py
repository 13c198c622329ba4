"""CuPy's sort and argsort of float32 (CUB radix sort) on the same GPU as bench/sort.py's webgpu
run: the baseline of issue 10's 'sort >= 0.5x CuPy'.   python3 bench/h100/sort_cupy.py [n ...]"""
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
    for op, f in (('sort', lambda: cp.sort(x)), ('argsort', lambda: cp.argsort(x))):
        print('%-10d %-8s %10.3f ms' % (n, op, timeit(f) * 1e3))
