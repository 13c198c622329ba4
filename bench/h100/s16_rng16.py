"""s16_rng16.py — GPU ms a call of the lane random kernels at N (default 16M) through the library,
for bench/h100/s16_rng16.sh: one line per workload, `name GPU ms  bits <hash>`, the GPU time the
least of 5 rounds of 10 calls (WebGPU timestamps, WGPY_GPU_TIMING=1), the hash of the first 4096
values (uniform and randint: the same bits in main's library and this branch's; normal: this
branch's Box-Muller changes the last bits, docs/random.md "Session 16").

    WGPY_GPU_TIMING=1 WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/s16_rng16.py N
"""
import sys

import wgpy as wp
from timing_tables import wgpy_table


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16 << 20
    k, rounds = 10, 5
    rs = wp.random.RandomState(0)
    g = wp.random.default_rng(0)
    wl = [('normal', lambda: rs.standard_normal(n, dtype='float32')),
          ('uniform', lambda: rs.random_sample(n, dtype='float32')),
          ('randint', lambda: rs.randint(0, 1000, size=n, dtype='int32')),
          ('gen_normal', lambda: g.standard_normal(n, dtype='float32'))]
    wgpy_table(wl, k, rounds, width=10, reseed=lambda: rs.seed(0))


if __name__ == '__main__':
    main()
