"""CuPy's random numbers on a real GPU, timed as bench/h100/gpu_split.py times wgpy's: K calls in
a row, then one sync (per call: issue, sync, and the GPU time of CUDA events around the K calls).

    python3 bench/h100/random_cupy.py [K]
"""
import sys
import time

import cupy as cp


def main():
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    n = 16 << 20
    rs = cp.random.RandomState(0)
    g = cp.random.default_rng(0)
    wl = [('random normal 16M', lambda: rs.standard_normal(n, dtype='float32')),
          ('random uniform 16M', lambda: rs.random_sample(n, dtype='float32')),
          ('random integers 16M', lambda: rs.randint(0, 1000, n, dtype='int32')),
          ('Generator normal 16M', lambda: g.standard_normal(n, dtype='float32')),
          ('Generator uniform 16M', lambda: g.random(n, dtype='float32')),
          ('Generator integers 16M', lambda: g.integers(0, 1000, n, dtype='int32'))]
    for name, fn in wl:
        fn()
        cp.cuda.Device().synchronize()
        for _ in range(2):
            e0, e1 = cp.cuda.Event(), cp.cuda.Event()
            t0 = time.perf_counter()
            e0.record()
            res = [fn() for _ in range(k)]
            e1.record()
            t1 = time.perf_counter()
            e1.synchronize()
            t2 = time.perf_counter()
            gpu = cp.cuda.get_elapsed_time(e0, e1)
            del res
        print('cupy %-20s per call: issue %7.3f ms  sync %7.3f ms  GPU(events) %7.3f ms'
              % (name, (t1 - t0) * 1e3 / k, (t2 - t1) * 1e3 / k, gpu / k), flush=True)


if __name__ == '__main__':
    main()
