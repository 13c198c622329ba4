"""peers13 on the H100 (bench/h100/s13_peers13.sh): the GPU paths its change touches, old and new
library through the same Python.  The change: lowering merges equal instructions (every kernel's
IR; graph/lower.c), so sum, add and matmul should not move and the Mandelbrot loop's kernels get
shorter.  One line per workload: ms per operation (differential rounds, wgpy_bench.per_op), and
the Mandelbrot 1024^2 x 100 per run with its kernel count.  --cupy: CuPy's figures, same shapes."""
import os
import sys
import time

# S13_SMALL=1: small sizes, to check the script on SwiftShader before the device run
MM, N, MB, IT = (128, 1 << 16, 64, 10) if os.environ.get("S13_SMALL") else (4096, 64 << 20, 1024, 100)
sys.path.insert(0, __file__.rsplit("/", 1)[0])

if "--cupy" in sys.argv:
    import cupy as cp
    from cupy_baseline import timeit, mandelbrot
    a = cp.ones((4096, 4096), cp.float32)
    n = 64 << 20
    x, y = cp.ones(n, cp.float32), cp.ones(n, cp.float32)
    print("cupy: matmul 4096 %.3f ms, add 64M %.3f ms, sum 64M %.3f ms" % (
        timeit(lambda: a @ a, reps=5) * 1e3, timeit(lambda: x + y) * 1e3, timeit(lambda: x.sum()) * 1e3))
    real = cp.linspace(-2.0, 0.5, 1024, dtype=cp.float32).reshape(1024, 1)
    imag = cp.linspace(-1.25, 1.25, 1024, dtype=cp.float32).reshape(1, 1024)
    print("cupy: mandelbrot 1024^2 x100 %.1f ms" % (timeit(lambda: mandelbrot(cp, real, imag, 100), reps=3, warm=1) * 1e3))
    sys.exit(0)

import wgpy as wp
from wgpy_bench import per_op, timeit, mandelbrot

a = wp.ones((MM, MM), dtype="float32")
tm, _ = per_op(lambda: a @ a, k=10)
n = N
x, y = wp.ones(n, dtype="float32"), wp.ones(n, dtype="float32")
float(x[0]), float(y[0])
ta, _ = per_op(lambda: x + y, k=40)
ts, _ = per_op(lambda: x.sum(), k=100)
print("wgpy: matmul %d %.3f ms, add %dM %.3f ms, sum %dM %.3f ms" % (MM, tm * 1e3, N >> 20, ta * 1e3, N >> 20, ts * 1e3), flush=True)
real = wp.linspace(-2.0, 0.5, MB, dtype="float32").reshape(MB, 1)
imag = wp.linspace(-1.25, 1.25, MB, dtype="float32").reshape(1, MB)
t0 = time.perf_counter()
chk = int(mandelbrot(real, imag, IT).sum())
first = time.perf_counter() - t0
wp.reset_counters()
t = timeit(lambda: int(mandelbrot(real, imag, IT).sum()), reps=3, warm=0)
print("wgpy: mandelbrot %d^2 x%d %.1f ms (first run %.0f ms), %.0f kernels a run, checksum %d" % (
    MB, IT, t * 1e3, first * 1e3, wp.counters()["kernels_launched"] / 3, chk), flush=True)
