"""CuPy's (CUB's) sort and argsort on the same GPU as wgpy's webgpu runs: the baseline of issue 10
(sort >= 0.5x CuPy).  Data: bench/sort.py's floats in [0, 1); int32: the full range with ties
(bench/h100/sort15_bench.py's and sort16_bench.py's).

    python3 bench/h100/sort_cupy.py [--dtypes float32,int32] [--events] [n ...]

Without --dtypes: float32 only, one line 'n op ms' a case (bench/h100/sort_ratio.py reads it);
with it: 'n dtype op cupy ms' (sort15_cupy.py's lines).  --events: also the median GPU time of
the call by CUDA events ('gpu ms'), next to the best wall time of a call."""
import sys
import time

import cupy as cp


def timeit(fn, reps=10, warm=2):
    for _ in range(warm):
        fn()
    cp.cuda.Device().synchronize()
    best = None
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        cp.cuda.Device().synchronize()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best


def gpu_ms(fn, reps=10):
    ms = []
    for _ in range(reps):
        a, b = cp.cuda.Event(), cp.cuda.Event()
        a.record()
        fn()
        b.record()
        b.synchronize()
        ms.append(cp.cuda.get_elapsed_time(a, b))
    return sorted(ms)[len(ms) // 2]


def data(n, dt):
    x = cp.arange(n, dtype=cp.float32)
    x = cp.sin(x * 12.9898) * 43758.5453
    x = x - cp.floor(x)
    if dt == 'int32':
        return ((x * 4294967295.0 - 2147483648.0).astype(cp.int64) // 8 * 8).astype(cp.int32)
    return x


def main(argv):
    args = list(argv)
    dts, events = None, '--events' in args
    if events:
        args.remove('--events')
    if '--dtypes' in args:
        k = args.index('--dtypes')
        dts = args[k + 1].split(',')
        del args[k:k + 2]
    sizes = [int(s) for s in args] or [1 << 20, 1 << 24]
    print('cupy %s' % cp.__version__)
    for n in sizes:
        for dt in dts or ['float32']:
            v = data(n, dt)
            for op, f in (('sort', lambda: cp.sort(v)), ('argsort', lambda: cp.argsort(v))):
                w = timeit(f) * 1e3
                g = ('  gpu %8.3f ms' % gpu_ms(f)) if events else ''
                if dts is None:
                    print('%-10d %-8s %10.3f ms%s' % (n, op, w, g))
                else:
                    print('%-9d %-7s %-8s cupy %8.3f ms%s' % (n, dt, op, w, g))
            sys.stdout.flush()


if __name__ == '__main__':
    main(sys.argv[1:])
