"""Sort figures (issue 10): sort and argsort of 1M and 16M float32.

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/sort.py [n ...]
    scripts/wgpy --backend webgpu run bench/sort.py [n ...]      # Pyodide on Node, over Dawn
    python3 bench/h100/sort_cupy.py [n ...]                      # CuPy on the same GPU

Natively (the cpu backend), numpy's np.sort / np.argsort(kind='stable') are timed in the same run
and the ratio printed (numpy time / wgpy time: above 1 means wgpy is faster).  wgpy's time is a
whole call ending in a read of one element of the result (so the sort has run), the best of
`reps`; the input is made on the device.  The cpu backend runs the bitonic sort's library kernels
in its statement executor: O(n log^2 n) compare-exchanges against numpy's O(n log n) radix sort /
SIMD quicksort, so numpy wins there; the target is a GPU.  Also printed: process cpu seconds (the
machine this runs on may be shared) and passes (kernels launched).

Each figure comes once per `path`, from the same run: gather (the bitonic sort in gathers alone,
what webgl2 runs), tiles (the bitonic sort with tiles in workgroup memory), radix (the LSD radix
sort, cpu and webgpu) and auto (the engine's choice by size; docs/sorting.md).  The default is
tiles and radix; --path gather,tiles,radix,auto picks (comma-separated).  The results of every
path are checked equal to the first's.  --reps N: the best of N (default 3, 2 from 2^21 on).
"""
import sys
import time

import wgpy as wp

try:
    import numpy as np
except ImportError:
    np = None


def best_of(k, fn):
    best = cpu = None
    for _ in range(k):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        if best is None or dt < best:
            best, cpu = dt, dc
    return best, cpu


def data(n):
    x = wp.arange(n, dtype='float32')
    x = wp.sin(x * 12.9898) * 43758.5453
    return x - wp.floor(x)


def main():
    args = sys.argv[1:]
    paths = ['tiles', 'radix']
    if '--path' in args:
        k = args.index('--path')
        paths = args[k + 1].split(',')
        del args[k:k + 2]
    reps_arg = None
    if '--reps' in args:  # best of this many (default 3, 2 from 2^21 on)
        k = args.index('--reps')
        reps_arg = int(args[k + 1])
        del args[k:k + 2]
    sizes = [int(s) for s in args] or [1 << 20, 1 << 24]
    from wgpy import _sort
    print('backend: %s' % wp.get_backend_name())
    print('%-10s %-8s %-7s %10s %10s %8s %8s %7s' % ('n', 'op', 'path', 'numpy ms', 'wgpy ms',
                                                     'ratio', 'wgpy cpu', 'passes'))
    for n in sizes:
        xw = data(n)
        wp.sync()
        xn = wp.asnumpy(xw) if np is not None else None
        reps = reps_arg or (3 if n <= (1 << 20) else 2)
        for op, path in [(o, p) for o in ('sort', 'argsort') for p in paths]:
            _sort._set_sort_path(path)
            f = wp.sort if op == 'sort' else wp.argsort
            float(f(xw)[n - 1])  # warm: compile the kernels, fill the pool
            c0 = wp.counters()['kernels_launched'] if hasattr(wp, 'counters') else 0
            tw, cw = best_of(reps, lambda: float(f(xw)[n - 1]))
            c1 = wp.counters()['kernels_launched'] if hasattr(wp, 'counters') else 0
            passes = (c1 - c0) // reps
            if xn is not None:
                nreps = reps if wp.get_backend_name() == 'cpu' else 1  # a GPU's ratio to numpy means little
                if op == 'sort':
                    tn, _ = best_of(nreps, lambda: np.sort(xn))
                    ok = np.array_equal(wp.asnumpy(f(xw)), np.sort(xn))
                else:
                    tn, _ = best_of(nreps, lambda: np.argsort(xn, kind='stable'))
                    ok = np.array_equal(wp.asnumpy(f(xw)), np.argsort(xn, kind='stable'))
                print('%-10d %-8s %-7s %10.1f %10.1f %8.3f %8.2f %7d%s' % (
                    n, op, path, tn * 1e3, tw * 1e3, tn / tw, cw, passes, '' if ok else '  WRONG'))
            else:  # no numpy (Pyodide): check the order on the device
                r = f(xw)
                s = r if op == 'sort' else xw[r]
                ok = bool((s[1:] >= s[:-1]).all())
                if op == 'argsort':  # stable: equal keys keep their order
                    ok = ok and bool(((s[1:] != s[:-1]) | (r[1:] > r[:-1])).all())
                if len(paths) >= 2:  # the paths agree
                    if path == paths[0]:
                        first = r
                    else:
                        ok = ok and bool((first == r).all())
                print('%-10d %-8s %-7s %10s %10.2f %8s %8.2f %7d%s' % (
                    n, op, path, '-', tw * 1e3, '-', cw, passes, '' if ok else '  WRONG'))
            sys.stdout.flush()
    _sort._set_sort_path('auto')


if __name__ == '__main__':
    main()
