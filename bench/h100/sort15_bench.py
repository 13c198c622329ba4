"""Sort and argsort per call on a device, float32 and int32 (session 15, issue 10;
bench/h100/s15_sort15.sh): wall per call (each call ends in a read of one element) and, with
WGPY_GPU_TIMING=1 or ids, the GPU time a call summed over its dispatches and per dispatch key
(ids: the kernel's id in the key, so passes of one shape are told apart).

    WGPY_BACKEND=webgpu [WGPY_GPU_TIMING=ids] python3 bench/h100/sort15_bench.py [--reps R]
        [--dtypes float32,int32] [--check | --check-max N] [n ...]

--check: every result also against NumPy (sort bit for bit, stable argsort index for index), one
line per case; --check-max N: only at sizes up to N.  Data: bench/sort.py's (floats in [0, 1)); int32: the full range with ties."""
import json
import os
import sys
import time

import wgpy as wp
from wgpy import _sort


def gpu_stats():
    from wgpy import _remote
    ex = next(iter(_remote._open.values()), None)
    return json.loads(ex.stats()).get('gpuKernels', {}) if ex else {}


def data(n, dt):
    if dt == 'int32':
        x = wp.arange(n, dtype='float32')
        x = wp.sin(x * 12.9898) * 43758.5453
        x = (x - wp.floor(x)) * 4294967295.0 - 2147483648.0
        return (x.astype('int64') // 8 * 8).astype('int32')  # ties
    x = wp.arange(n, dtype='float32')
    x = wp.sin(x * 12.9898) * 43758.5453
    return x - wp.floor(x)


def main():
    args = sys.argv[1:]
    reps, dts, check = 8, ['float32', 'int32'], False
    if '--reps' in args:
        k = args.index('--reps')
        reps = int(args[k + 1])
        del args[k:k + 2]
    if '--dtypes' in args:
        k = args.index('--dtypes')
        dts = args[k + 1].split(',')
        del args[k:k + 2]
    cmax = None
    if '--check' in args:
        check = True
        args.remove('--check')
    if '--check-max' in args:  # check only the sizes up to this one
        k = args.index('--check-max')
        check, cmax = True, int(args[k + 1])
        del args[k:k + 2]
    sizes = [int(s) for s in args] or [1 << 20, 1 << 24]
    prof = bool(os.environ.get('WGPY_GPU_TIMING'))
    _sort._set_sort_path('radix')
    check0 = check
    for n in sizes:
        check = check0 and (cmax is None or n <= cmax)
        for dt in dts:
            x = data(n, dt)
            wp.sync()
            xn = wp.asnumpy(x) if check else None
            for name, f in (('sort', wp.sort), ('argsort', wp.argsort)):
                t0 = time.perf_counter()
                r = f(x)
                float(r[n - 1])
                first = time.perf_counter() - t0
                if check:
                    import numpy as np
                    got = wp.asnumpy(r)
                    want = np.sort(xn) if name == 'sort' else np.argsort(xn, kind='stable')
                    print('%-9d %-7s %-8s check %s' % (n, dt, name, 'ok' if np.array_equal(got, want) else 'WRONG'))
                del r
                g0, c0 = gpu_stats() if prof else {}, wp.counters()['kernels_launched']
                ts = []
                for _ in range(reps):
                    t0 = time.perf_counter()
                    float(f(x)[n - 1])
                    ts.append((time.perf_counter() - t0) * 1e3)
                c1 = wp.counters()['kernels_launched']
                s = sorted(ts)
                print('%-9d %-7s %-8s wall min %7.3f med %7.3f ms  first %7.1f  launches %d' % (
                    n, dt, name, s[0], s[len(s) // 2], first * 1e3, (c1 - c0) // reps))
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
