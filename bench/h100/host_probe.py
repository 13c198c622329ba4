"""The host's cost per operation inside Pyodide (webgpu backend), and where the Mandelbrot loop of
wgpy_bench.py spends its time: recording (Python + engine, with the graph's cuts), wp.sync
(the executor encodes and submits), the read.  A diagnostic for the host-bound figures.
    scripts/wgpy --backend webgpu run bench/h100/host_probe.py [N]"""
import json
import sys
import time

import _wgpy_webgpu
import wgpy as wp

x = wp.ones((16, 16), dtype='float32')
y = wp.ones((16, 16), dtype='float32')
float(x[0, 0])


def per_call_us(f, n=3000):
    f()
    t0 = time.perf_counter()
    for _ in range(n):
        f()
    return (time.perf_counter() - t0) / n * 1e6


print('x * y, result dropped:   %.2f us' % per_call_us(lambda: x * y))
print('x * 2.0, result dropped: %.2f us' % per_call_us(lambda: x * 2.0))
print('x.shape (attribute):     %.2f us' % per_call_us(lambda: x.shape))

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
real = wp.linspace(-2.0, 0.5, N, dtype='float32').reshape(N, 1)
imag = wp.linspace(-1.25, 1.25, N, dtype='float32').reshape(1, N)


def mandelbrot():
    xs = wp.zeros((N, N), dtype='float32')
    ys = wp.zeros((N, N), dtype='float32')
    count = wp.zeros((N, N), dtype='int32')
    for _ in range(100):
        xs, ys = xs * xs - ys * ys + real, xs * ys * 2.0 + imag
        count += ((xs * xs + ys * ys) < 4.0).astype('int32')
    return count


for _ in range(4):
    s0 = json.loads(_wgpy_webgpu.stats())
    t0 = time.perf_counter()
    c = mandelbrot()
    t1 = time.perf_counter()
    s = c.sum()
    wp.sync()
    t2 = time.perf_counter()
    v = int(s)
    t3 = time.perf_counter()
    s1 = json.loads(_wgpy_webgpu.stats())
    d = {k: round(s1[k] - s0[k], 2) for k in ('runs', 'runMs', 'submitMs', 'waitMs', 'dispatches',
                                                 'bindGroupsMade', 'aliasCopies')}
    print('mandelbrot %d: record %.2f ms, sum + sync %.2f ms, read %.2f ms; executor %s'
          % (N, (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3, d), flush=True)
