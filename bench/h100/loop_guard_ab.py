"""The fixed-shape kernels' loops before and after the counted form (docs/kernels.md, "Tint's loop
guard"): sum of 64M float32 and matmul 1024², per operation in rounds of 20 (one sync and one read
a round, differenced against a round of 10), on the library WGPY_LIBRARY names.

    WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=LIB python3 bench/h100/loop_guard_ab.py"""
import time

import wgpy as wp


def per_op(fn, k=10):
    def rnd(m):
        t0 = time.perf_counter()
        rs = [fn() for _ in range(m)]
        wp.sync()
        float(rs[-1].ravel()[0])
        return time.perf_counter() - t0
    rnd(2)
    return min((rnd(2 * k) - rnd(k)) / k for _ in range(5))


x = wp.sin(wp.arange(64 << 20, dtype='float32'))
a = wp.sin(wp.arange(1 << 20, dtype='float32')).reshape(1024, 1024)
t = per_op(lambda: x.sum())
print('sum 64M: %.3f ms (%.2f TB/s)' % (t * 1e3, (64 << 22) / t / 1e12))
t = per_op(lambda: a @ a)
print('matmul 1024^2: %.3f ms (%.2f TFLOP/s)' % (t * 1e3, 2 * 1024 ** 3 / t / 1e12))
