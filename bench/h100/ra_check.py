"""What the run-ahead setting does to back-to-back GPU work (not a training step): 20 matmuls of
1024² float32, 20 sums of 16M, 20 cumsums of 1M, each round then one read; ms per operation,
best of 5 rounds.  Run it once per WGPY_RUN_AHEAD setting in the same call.

    WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/ra_check.py [N]"""
import sys
import time

import wgpy as wp


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
    a = wp.sin(wp.arange(n * n, dtype='float32')).reshape(n, n)
    b = wp.cos(wp.arange(n * n, dtype='float32')).reshape(n, n)
    x = wp.sin(wp.arange(16 * n * n, dtype='float32'))
    y = wp.sin(wp.arange(n * n, dtype='float32'))
    float(a[0, 0] + b[0, 0] + x[0] + y[0])
    out = []
    for name, op in (('matmul %d²' % n, lambda: a @ b), ('sum %dM' % (16 * n * n >> 20), lambda: x.sum()),
                     ('cumsum %dM' % (n * n >> 20), lambda: wp.cumsum(y))):
        best = None
        for _ in range(6):
            t0 = time.perf_counter()
            rs = [op() for _ in range(20)]
            s = rs[0].ravel()[0]
            for r in rs[1:]:  # every result observed (else lazy ones would never be computed)
                s = s + r.ravel()[0]
            float(s)
            t = (time.perf_counter() - t0) / 20
            best = t if best is None else min(best, t)
        out.append('%s %.3f' % (name, best * 1e3))
    print('ms/op: ' + ', '.join(out), flush=True)


if __name__ == '__main__':
    main()
