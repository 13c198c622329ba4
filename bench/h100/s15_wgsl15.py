"""s15_wgsl15.py — GPU ms a call of the kernels the WGSL generator's range facts change (docs/kernels.md,
"Range facts"), for bench/h100/s15_wgsl15.sh: one line per workload, `name GPU ms  bits <hash>`,
the GPU time the least of 5 rounds of 10 calls (WebGPU timestamps, WGPY_GPU_TIMING=1), the hash
of the result's first 4096 elements (old and new libraries must agree bit for bit).

    WGPY_GPU_TIMING=1 WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/s15_wgsl15.py N [ONLY]
"""
import sys

import wgpy as wp
from timing_tables import wgpy_table


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16 << 20
    only = sys.argv[2].split(',') if len(sys.argv) > 2 else None
    k, rounds = 10, 5
    x = wp.sin(wp.arange(n, dtype='float32') * 0.001)
    c = wp.sin(wp.arange(max(n // 16, 1024), dtype='float32') * 0.01).astype('complex64')
    m = 1024 if n >= 1 << 20 else 64
    a = wp.random.RandomState(1).standard_normal((m, m), dtype='float32') + m * wp.eye(m, dtype='float32')
    b = wp.ones((m, 1), dtype='float32')
    rs = wp.random.RandomState(0)
    def workgroup_form(fn):  # docs/random.md: GPU adapters' default, forced (CPU adapters: block)
        def f():
            wp.random._set_random_path('workgroup')
            try:
                return fn()
            finally:
                wp.random._set_random_path('auto')
        return f
    wl = [('normal', lambda: rs.standard_normal(n, dtype='float32')),
          ('normalwg', workgroup_form(lambda: rs.standard_normal(n, dtype='float32'))),
          ('uniform', lambda: rs.random_sample(n, dtype='float32')),
          ('cumsum', lambda: wp.cumsum(x)),
          ('sort', lambda: wp.sort(x)),
          ('fft', lambda: wp.fft.fft(c)),
          ('solve', lambda: wp.linalg.solve(a, b)),
          ('mask', lambda: x[x > 0.5]),
          ('add', lambda: x + 1.0),
          ('sum', lambda: x.sum())]
    float(x[0])
    wgpy_table(wl, k, rounds, width=8, reseed=lambda: rs.seed(0), only=only)


if __name__ == '__main__':
    main()
