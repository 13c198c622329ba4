"""Scans and boolean masks on the H100 (issue 10): cumsum of 16M float32 and a[mask] of 16M
(about half true), wgpy over Dawn (webgpu, Pyodide on Node) and CuPy, in one device session.

    scripts/wgpy --wheel W --backend webgpu run bench/h100/scan_bench.py   # wgpy
    python3 bench/h100/scan_bench.py --cupy                                # CuPy

Each prints one line per workload: milliseconds per operation.  wgpy: differential rounds (k
operations, one sync and one read, minus a round of 1, over k - 1; fastest of 5), as
wgpy_bench.py does; a[mask] includes its one count read (CuPy's does too).  CuPy: timeit with a
device synchronize."""
import os
import sys
import time

N = int(os.environ.get('SCAN_N', 16 << 20))  # smaller for a check on SwiftShader


def per_op_wgpy(wp, make, k=10, reps=5):
    def round_of(m):
        t0 = time.perf_counter()
        res = [make() for _ in range(m)]
        wp.sync()
        float(res[-1].ravel()[0])
        return time.perf_counter() - t0
    round_of(k)
    t1 = min(round_of(1) for _ in range(reps))
    tk = min(round_of(k) for _ in range(reps))
    return max(tk - t1, 1e-9) / (k - 1)


def main():
    if '--cupy' in sys.argv:
        import cupy as xp

        def per_op(make, k=10, reps=5):
            for _ in range(2):
                make()
            xp.cuda.Device().synchronize()
            best = None
            for _ in range(reps):
                t0 = time.perf_counter()
                for _ in range(k):
                    make()
                xp.cuda.Device().synchronize()
                t = (time.perf_counter() - t0) / k
                best = t if best is None else min(best, t)
            return best
        name = 'cupy'
    else:
        import wgpy as xp

        def per_op(make, k=10, reps=5):
            return per_op_wgpy(xp, make, k, reps)
        name = 'wgpy'
    x = (xp.arange(N, dtype='float32') * 0.6180339887) % 1.0
    m = x > 0.5
    c = xp.cumsum(x)
    print(f'{name}: check cumsum[-1] = {float(c[-1]):.6g}, count = {int(m.sum())}', flush=True)
    for label, make in (('cumsum_16M', lambda: xp.cumsum(x)), ('mask_get_16M', lambda: x[m]),
                        ('nonzero_16M', lambda: xp.nonzero(m)[0])):
        t = per_op(make)
        print(f'{name} {label}: {t * 1e3:.3f} ms ({N * 4 / t / 1e9:.1f} GB/s of input)', flush=True)


if __name__ == '__main__':
    main()
