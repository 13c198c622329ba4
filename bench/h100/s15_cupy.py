"""s15_cupy.py — CuPy's side of bench/h100/s15_wgsl15.sh: GPU ms a call (CUDA events around K calls,
median of 3 rounds) of the same workloads, named as s15_wgsl15.py names wgpy's.

    python3 bench/h100/s15_cupy.py [N]
"""
import sys

import cupy as cp
from timing_tables import cupy_table


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16 << 20
    k = 10
    x = cp.sin(cp.arange(n, dtype=cp.float32) * 0.001)
    c = cp.sin(cp.arange(n // 16, dtype=cp.float32) * 0.01).astype(cp.complex64)
    m = 1024
    a = cp.random.RandomState(1).standard_normal((m, m), dtype=cp.float32) + m * cp.eye(m, dtype=cp.float32)
    b = cp.ones((m, 1), dtype=cp.float32)
    g = cp.random.default_rng(0)
    rs = cp.random.RandomState(0)
    wl = [('normal', lambda: g.standard_normal(n, dtype=cp.float32)),
          ('uniform', lambda: g.random(n, dtype=cp.float32)),
          ('normal_RandomState', lambda: rs.standard_normal(n, dtype=cp.float32)),
          ('cumsum', lambda: cp.cumsum(x)),
          ('sort', lambda: cp.sort(x)),
          ('fft', lambda: cp.fft.fft(c)),
          ('solve', lambda: cp.linalg.solve(a, b)),
          ('mask', lambda: x[x > 0.5]),
          ('add', lambda: x + 1.0),
          ('sum', lambda: x.sum())]
    cupy_table(wl, k, width=8)


if __name__ == '__main__':
    main()
