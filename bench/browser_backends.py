"""Small workloads on whichever backend runs (issue 4: webgl2 vs webgpu vs cpu in the browser).

    node bench/browser-backends.mjs          # all three backends in headless Chromium, and the table
    scripts/wgpy run bench/browser_backends.py   # the cpu backend in Pyodide on Node (a check)

Workloads: float32 matmul 256 and 512 (`a @ a`), the Mandelbrot loop of bench/h100/wgpy_bench.py
at 256x256 with 100 iterations, and `x + y` over 1M float32.  Each is timed as a user sees it: the
operation(s) and one read that forces them (float(r[0, 0]), int(count.sum()), float(r[-1])).
Inputs are materialized first; each workload runs once to warm up (shader compilation, memory
pool), then REPS times, and the median counts.  Prints one JSON line: the backend, seconds per
workload, and checksums (equal on every backend) — nothing else goes to stdout.

Self-contained (no imports from the repository): the browser runner passes it as source text.
"""
import json
import sys
import time

import wgpy as wp

REPS = 5
BUDGET_S = 20.0  # per workload, after the warm-up: fewer repetitions (at least 3) past it


def median_time(fn):
    value = fn()  # warm-up
    times = []
    spent = 0.0
    while len(times) < REPS and (len(times) < 3 or spent < BUDGET_S):
        t0 = time.perf_counter()
        value = fn()
        dt = time.perf_counter() - t0
        times.append(dt)
        spent += dt
    times.sort()
    return times[len(times) // 2], value, len(times)


def mandelbrot(real, imag, n_iters):
    xs = wp.zeros((real.size, imag.size), dtype="float32")
    ys = wp.zeros((real.size, imag.size), dtype="float32")
    count = wp.zeros((real.size, imag.size), dtype="int32")
    for _ in range(n_iters):
        xs, ys = xs * xs - ys * ys + real, xs * ys * 2.0 + imag
        count += ((xs * xs + ys * ys) < 4.0).astype("int32")
    return count


def main():
    out = {"backend": wp.get_backend_name(), "seconds": {}, "checksum": {}, "reps": {}}

    def record(name, fn):
        t, v, k = median_time(fn)
        out["seconds"][name], out["checksum"][name], out["reps"][name] = t, v, k
        print(f"{name}: {t * 1e3:.2f} ms (median of {k}), checksum {v}", file=sys.stderr, flush=True)

    for n in (256, 512):
        a = ((wp.arange(n * n, dtype="float32") % 7.0) - 3.0).reshape(n, n)
        float(a[0, 0])  # materialize the input
        record(f"matmul_{n}", lambda: float((a @ a)[0, 0]))

    n = 256
    real = wp.linspace(-2.0, 0.5, n, dtype="float32").reshape(n, 1)
    imag = wp.linspace(-1.25, 1.25, n, dtype="float32").reshape(1, n)
    float(real[0, 0]), float(imag[0, 0])
    record("mandelbrot_256_x100", lambda: int(mandelbrot(real, imag, 100).sum()))

    m = 1 << 20
    x = wp.arange(m, dtype="float32")
    y = wp.ones(m, dtype="float32")
    float(x[-1]), float(y[-1])
    record("add_1M", lambda: float((x + y)[-1]))

    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
