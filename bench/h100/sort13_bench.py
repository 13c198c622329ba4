"""The radix sort's wall time per call, every rep printed, and (with WGPY_GPU_TIMING=1) the GPU
time per dispatch shape (session 13, issue 10; bench/h100/s13_sort13.sh).

    WGPY_BACKEND=webgpu [WGPY_GPU_TIMING=1] python3 bench/h100/sort13_bench.py [--reps R] [n ...]

Per size and op (float32 sort and argsort, bench/sort.py's data): the first call (compiles, pool),
then R calls each ending in a read of one element: min / median / max and every time, so a slow
run shows whether it is slow throughout (the device, clocks) or in some calls (allocation, a
compile, a read).  With GPU timing on: the GPU ms a call summed over its dispatches and per
dispatch shape (the executor keys them by kind and points)."""
import json
import sys
import time

import wgpy as wp
from wgpy import _sort


def gpu_stats():
    from wgpy import _remote
    ex = next(iter(_remote._open.values()), None)
    return json.loads(ex.stats()).get('gpuKernels', {}) if ex else {}


def data(n):
    x = wp.arange(n, dtype='float32')
    x = wp.sin(x * 12.9898) * 43758.5453
    return x - wp.floor(x)


def main():
    args = sys.argv[1:]
    reps = 10
    if '--reps' in args:
        k = args.index('--reps')
        reps = int(args[k + 1])
        del args[k:k + 2]
    sizes = [int(s) for s in args] or [1 << 20, 1 << 24]
    prof = bool(__import__('os').environ.get('WGPY_GPU_TIMING'))
    _sort._set_sort_path('radix')
    for n in sizes:
        x = data(n)
        wp.sync()
        for name, f in (('sort', wp.sort), ('argsort', wp.argsort)):
            t0 = time.perf_counter()
            float(f(x)[n - 1])
            first = time.perf_counter() - t0
            g0, c0 = gpu_stats() if prof else {}, wp.counters()['kernels_launched']
            ts = []
            for _ in range(reps):
                t0 = time.perf_counter()
                float(f(x)[n - 1])
                ts.append((time.perf_counter() - t0) * 1e3)
            c1 = wp.counters()['kernels_launched']
            s = sorted(ts)
            print('%-9d %-8s wall min %6.3f med %6.3f max %6.3f ms  first %7.1f  launches %d  | %s' % (
                n, name, s[0], s[len(s) // 2], s[-1], first * 1e3, (c1 - c0) // reps,
                ' '.join('%.2f' % t for t in ts)))
            if prof:
                g1 = gpu_stats()
                per = sorted(((v['ms'] - g0.get(k, {}).get('ms', 0)) / reps, k) for k, v in g1.items()
                             if v['n'] > g0.get(k, {}).get('n', 0))[::-1]
                print('      gpu %.3f ms a call: %s' % (sum(m for m, _ in per), ', '.join(
                    '%.3f %s' % (m, k.replace('elementwise main ', '')) for m, k in per)))
            sys.stdout.flush()
    _sort._set_sort_path('auto')


if __name__ == '__main__':
    main()
