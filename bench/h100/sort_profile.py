"""Where the radix sort's time goes on a GPU (issue 10): GPU time per kernel shape from the
executor's timestamps against the wall time of the whole call, natively through the Node + Dawn
host (docs/remote.md).

    WGPY_BACKEND=webgpu WGPY_GPU_TIMING=1 python3 bench/h100/sort_profile.py [--dtypes a,b] [n ...]

Per size and dtype (float32: 4 digit passes; int16: 2; uint8: 1), a radix `argsort` and `sort`:
wall ms per call (best of 5, ending in a read of one element), GPU ms per call summed over its
dispatches, and the GPU ms per dispatch shape.  The executor keys its timestamps by kind and
shape, not by kernel; since session 11 the count launches run idle workgroups past the last
tile so that their shapes differ: the scatters are the n/8-point dispatches (2^21 at 2^24),
the per-pass counts (k_count8) n/8 + 256 points, the all-digit count (k_hist_all) n/8 + 512
(before, all three were n/8 and only the dtypes' pass counts told them apart: float32 runs
1 + 3 counts and 4 scatters, int16 1 + 1 and 2, uint8 1 + 0 and 1).  The key kernel is the
n-point dispatch, the row scans the 256 << lt ones.
Wall much above GPU: the per-launch host cost; GPU time in the n/8 group: the kernels.
"""
import json
import sys
import time

import wgpy as wp
from wgpy import _sort


def executor():
    from wgpy import _remote
    return next(iter(_remote._open.values()), None)


def stats():
    ex = executor()
    return json.loads(ex.stats()).get('gpuKernels', {}) if ex else {}


def data(n, dtype):
    x = wp.arange(n, dtype='float32')
    x = wp.sin(x * 12.9898) * 43758.5453
    x = x - wp.floor(x)
    if dtype == 'int16':
        x = (x * 60000 - 30000).astype('int16')
    elif dtype == 'uint8':
        x = (x * 255).astype('uint8')
    return x


def main():
    args = sys.argv[1:]
    dtypes = ('float32', 'int16', 'uint8')
    if '--dtypes' in args:  # fewer dtypes (a device call's time is short)
        k = args.index('--dtypes')
        dtypes = tuple(args[k + 1].split(','))
        del args[k:k + 2]
    sizes = [int(s) for s in args] or [1 << 20, 1 << 24]
    _sort._set_sort_path('radix')
    print('backend: %s' % wp.get_backend_name())
    for n in sizes:
        for dtype in dtypes:
            x = data(n, dtype)
            wp.sync()
            for name, f in (('argsort', wp.argsort), ('sort', wp.sort)):
                float(f(x)[n - 1])  # compile, fill the pool
                g0, c0 = stats(), wp.counters()['kernels_launched']
                best, reps = None, 5
                for _ in range(reps):
                    t0 = time.perf_counter()
                    float(f(x)[n - 1])
                    dt = time.perf_counter() - t0
                    best = dt if best is None else min(best, dt)
                g1, c1 = stats(), wp.counters()['kernels_launched']
                per = sorted(((v['ms'] - g0.get(k, {}).get('ms', 0)) / reps, k) for k, v in g1.items()
                             if v['n'] > g0.get(k, {}).get('n', 0))[::-1]
                gpu = sum(ms for ms, _ in per)
                print('%-9d %-8s %-8s wall %8.3f ms  gpu %8.3f ms  launches %d' % (
                    n, dtype, name, best * 1e3, gpu, (c1 - c0) // reps))
                for ms, k in per:
                    print('      %8.3f ms  %s' % (ms, k))
                sys.stdout.flush()
    _sort._set_sort_path('auto')


if __name__ == '__main__':
    main()
