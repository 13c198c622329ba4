"""Sort figures (issue 10): sort and argsort of 1M and 16M float32, wgpy against numpy in the same
run, with the ratio (numpy time / wgpy time: above 1 means wgpy is faster).

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/sort.py [sizes...]
    WGPY_BACKEND=webgpu ... (on a machine with a GPU: the same bitonic kernels on the device)

wgpy's figure includes reading the result back (wg_read), so the whole sort is timed; numpy's is
np.sort / np.argsort(kind='stable').  The cpu backend runs the bitonic sort's library kernels in
its statement executor: O(n log^2 n) compare-exchanges against numpy's O(n log n) radix/timsort
and SIMD quicksort, so numpy wins there; the design target is a GPU.
"""
import sys
import time

import numpy as np

import wgpy as wp


def best_of(k, fn):
    best = None
    for _ in range(k):
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best


def main():
    sizes = [int(s) for s in sys.argv[1:]] or [1 << 20, 1 << 24]
    print('backend: %s' % wp.get_backend_name())
    print('%-10s %-8s %12s %12s %9s' % ('n', 'op', 'numpy ms', 'wgpy ms', 'ratio'))
    for n in sizes:
        x = np.random.default_rng(0).standard_normal(n).astype(np.float32)
        xw = wp.asarray(x)
        reps = 3 if n <= (1 << 20) else 1
        for op in ('sort', 'argsort'):
            if op == 'sort':
                tn = best_of(reps, lambda: np.sort(x))
                fw = lambda: wp.asnumpy(wp.sort(xw))  # noqa: E731
                ok = np.array_equal(wp.asnumpy(wp.sort(xw)), np.sort(x))
            else:
                tn = best_of(reps, lambda: np.argsort(x, kind='stable'))
                fw = lambda: wp.asnumpy(wp.argsort(xw))  # noqa: E731
                ok = np.array_equal(wp.asnumpy(wp.argsort(xw)), np.argsort(x, kind='stable'))
            tw = best_of(reps, fw)
            print('%-10d %-8s %12.1f %12.1f %9.3f%s' % (n, op, tn * 1e3, tw * 1e3, tn / tw,
                                                       '' if ok else '  WRONG RESULT'))
            sys.stdout.flush()


if __name__ == '__main__':
    main()
