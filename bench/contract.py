"""Contraction figures (issue 10): einsum natively against numpy in the same run.

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/contract.py
    scripts/wgpy run bench/contract.py        # inside Pyodide (no numpy: wgpy times only)

For each case: wgpy's best-of-k time (record + run + the result's read, i.e. wp.asnumpy or
tolist), numpy's best-of-k time of np.einsum on the same data (optimize=False, numpy's default,
and optimize=True), and the ratio numpy / wgpy (> 1: wgpy is faster).  'bij,bjk->bik' lowers to
one batched matmul; 'ij,ij->i' to one fused multiply-and-sum reduction.
"""
import sys

import wgpy as wp
from _timing import best  # bench/_timing.py

try:
    import numpy as np
except ImportError:
    np = None

CASES = [
    ('bij,bjk->bik', [(64, 128, 128), (64, 128, 128)]),
    ('bij,bjk->bik', [(16, 256, 256), (16, 256, 256)]),
    ('ij,ij->i', [(4096, 256), (4096, 256)]),
    ('ij,ij->i', [(1 << 16, 64), (1 << 16, 64)]),
]


def main():
    k = 5
    print('einsum — %s, backend %s, best of %d (ms)' % (
        'pyodide' if sys.platform == 'emscripten' else 'native', wp.get_backend_name(), k))
    print('%-14s %-26s %10s %10s %10s %8s %8s' % ('subscripts', 'shapes', 'wgpy', 'np', 'np opt',
                                                  'np/wgpy', 'opt/wgpy'))
    for subs, shapes in CASES:
        if np is not None:
            rng = np.random.default_rng(0)
            host = [rng.standard_normal(s).astype(np.float32) for s in shapes]
            ops = [wp.asarray(h) for h in host]
        else:
            ops = [wp.ones(s, dtype='float32') for s in shapes]
        r = wp.einsum(subs, *ops)
        wp.asnumpy(r) if np is not None else r.tolist()   # warm: compile, pool
        tw = best(lambda: wp.asnumpy(wp.einsum(subs, *ops)) if np is not None
                  else wp.einsum(subs, *ops).tolist(), k)
        if np is not None:
            ok = np.allclose(wp.asnumpy(r), np.einsum(subs, *host), rtol=1e-3, atol=1e-3)
            tn = best(lambda: np.einsum(subs, *host), k)
            to = best(lambda: np.einsum(subs, *host, optimize=True), k)
            print('%-14s %-26s %10.2f %10.2f %10.2f %8.2f %8.2f%s' % (
                subs, 'x'.join(map(str, shapes[0])) + ' ' + 'x'.join(map(str, shapes[1])),
                tw * 1e3, tn * 1e3, to * 1e3, tn / tw, to / tw, '' if ok else '  MISMATCH'))
        else:
            print('%-14s %-26s %10.2f' % (subs, str(shapes), tw * 1e3))


if __name__ == '__main__':
    main()
