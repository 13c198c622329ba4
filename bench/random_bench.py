"""Random numbers (docs/random.md): normal of N float32 (default 16M) drawn by wgpy's Philox
library kernel against numpy's Generator (PCG64 + ziggurat) and legacy RandomState in the same run.

    python bench/random_bench.py [--n N] [--repeat R] [--dist normal|uniform|integers]

Prints each timing (best of R, after a warm-up call that compiles the kernel) and the ratio
numpy time / wgpy time (above 1: wgpy is faster).  wgpy's timing includes the draw and a read
back of the first element (so the lazy kernel really runs), not the transfer of the whole array.
"""
import argparse

import wgpy as wp
from _timing import best  # bench/_timing.py


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--n', type=int, default=16 * 1024 * 1024)
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--dist', default='normal', choices=('normal', 'uniform', 'integers'))
    a = ap.parse_args()
    n = a.n
    r = wp.random.RandomState(0)
    draw = {'normal': lambda m, n: m.standard_normal(n, dtype='float32'),
            'uniform': lambda m, n: m.random(n, dtype='float32'),
            'integers': lambda m, n: m.integers(0, 1000, n, dtype='int32')}[a.dist]

    def wg():
        x = draw(r, n) if a.dist == 'normal' else draw(wp.random.default_rng(0), n)
        x[:1].tolist()
    tw = best(wg, a.repeat, warm=1)
    print('wgpy %s backend: %s %d: %.3f s (%.1f M/s)'
          % (wp.get_backend_name(), a.dist, n, tw, n / tw / 1e6))
    try:
        import numpy as np
    except ImportError:
        return
    g = np.random.default_rng(0)
    tg = best(lambda: draw(g, n), a.repeat, warm=1)
    print('numpy Generator (%s): %.3f s   ratio numpy/wgpy %.3f' % (a.dist, tg, tg / tw))
    if a.dist == 'normal':
        rs = np.random.RandomState(0)
        tl = best(lambda: rs.standard_normal(n).astype(np.float32), a.repeat, warm=1)
        print('numpy RandomState.standard_normal + astype: %.3f s   ratio numpy/wgpy %.3f'
              % (tl, tl / tw))


if __name__ == '__main__':
    main()
