"""Scans and boolean masks (issue 10): cumsum of 16M float32 and the boolean-mask get ``a[mask]`` of
16M float32 (half the mask true), wgpy against numpy in the same run.

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/bench_scan.py [--n N]

Prints each time (best of k, including the final read for wgpy: the work is lazy) and the ratio
numpy_time / wgpy_time (above 1: wgpy is faster), in wall-clock time and in this process's CPU
time (both single-threaded here; CPU time is the fairer figure on a shared, loaded machine).  ``--backend`` picks wgpy's backend natively
(cpu, loopback).
"""
import argparse
import platform
import sys
import time

import wgpy as wp


def best_of(k, fn):
    """(best wall time, best CPU time) of k runs."""
    bw = bc = None
    for _ in range(k):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        dw, dc = time.perf_counter() - t0, time.process_time() - c0
        bw = dw if bw is None else min(bw, dw)
        bc = dc if bc is None else min(bc, dc)
    return bw, bc


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--n', type=int, default=1 << 24)
    p.add_argument('--repeat', type=int, default=3)
    p.add_argument('--backend', default=None)
    args = p.parse_args()
    if args.backend:
        wp.set_backend(args.backend)
    import numpy as np
    n = args.n
    rng = np.random.default_rng(0)
    x = rng.random(n, dtype=np.float32)
    m = x > 0.5
    wx, wm = wp.asarray(x), wp.asarray(m)
    wp.cumsum(wx).get()  # warm: compile the kernels, fill the pool
    wx[wm].get()
    print(f"wgpy scans — native, Python {platform.python_version()}, numpy {np.__version__}, "
          f"backend {wp.get_backend_name()}, n = {n}")
    rows = [
        ('cumsum float32', lambda: np.cumsum(x), lambda: wp.cumsum(wx).get()),
        ('a[mask] float32', lambda: x[m], lambda: wx[wm].get()),
        ('nonzero (1-d)', lambda: np.nonzero(m), lambda: wp.nonzero(wm)[0].get()),
    ]
    for name, fnp, fwp in rows:
        (tn, cn), (tw, cw) = best_of(args.repeat, fnp), best_of(args.repeat, fwp)
        print(f"{name:16s} wall: numpy {tn * 1e3:7.1f} ms, wgpy-{wp.get_backend_name()} "
              f"{tw * 1e3:7.1f} ms, ratio {tn / tw:5.3f} | cpu time: numpy {cn * 1e3:7.1f} ms, "
              f"wgpy {cw * 1e3:7.1f} ms, ratio {cn / cw:5.3f}")
    r = wp.cumsum(wx).get()
    err = float(np.max(np.abs(r - np.cumsum(x, dtype=np.float64))) / n)
    print(f"cumsum max |error| / n vs float64: wgpy {err:.2e}, numpy float32 "
          f"{float(np.max(np.abs(np.cumsum(x) - np.cumsum(x, dtype=np.float64)))) / n:.2e}")
    sys.stdout.flush()


if __name__ == '__main__':
    main()
