"""s16_cupy.py — CuPy's side of bench/h100/s16_rng16.sh: GPU ms a call (CUDA events around 10 calls,
median of 3 rounds) of 16M float32 normals, uniforms and int32 integers in [0, 1000), by CuPy's
Generator (XORWOW, `default_rng`) and its RandomState (cuRAND), named as s16_rng16.py names wgpy's.

    python3 bench/h100/s16_cupy.py [N]
"""
import sys

import cupy as cp
from timing_tables import cupy_table


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16 << 20
    k = 10
    g = cp.random.default_rng(0)
    rs = cp.random.RandomState(0)
    wl = [('normal', lambda: g.standard_normal(n, dtype=cp.float32)),
          ('uniform', lambda: g.random(n, dtype=cp.float32)),
          ('randint', lambda: g.integers(0, 1000, n, dtype=cp.int32)),
          ('normal_RS', lambda: rs.standard_normal(n, dtype=cp.float32)),
          ('uniform_RS', lambda: rs.random_sample(n, dtype=cp.float32)),
          ('randint_RS', lambda: rs.randint(0, 1000, n, dtype=cp.int32))]
    cupy_table(wl, k, width=10)


if __name__ == '__main__':
    main()
