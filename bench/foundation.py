"""Foundation figures (issue: the C engine and the cpu backend).

    python bench/foundation.py            # natively (CPython + native engine)
    scripts/wgpy run bench/foundation.py  # inside Pyodide on Node (wasm engine)

Prints, from one run:
  1. Python -> engine overhead per operation (µs): a tiny elementwise op recorded lazily, the same
     op forced to run (record + kernel + read), and a view (indexing) — each averaged over many calls.
  2. The seed's Mandelbrot loop at 512x512, 100 iterations: kernels launched per iteration and the
     cpu backend's time against numpy's in the same process (when numpy is importable).
"""
import os
import platform
import sys
import time

import wgpy as wp
from _timing import best_and_result  # bench/_timing.py

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
from mandelbrot import grid, mandelbrot  # noqa: E402  (the seed's loop, exactly as the example runs it)


def per_call_us(fn, n):
    fn()  # warm: compile the kernel, fill the pool
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n * 1e6


def overhead():
    a = wp.ones((4,), dtype="float32")
    b = wp.ones((4,), dtype="float32")
    n = 20000 if sys.platform != "emscripten" else 5000
    rec = per_call_us(lambda: a + b, n)
    scal = per_call_us(lambda: a * 2.0, n)
    run = per_call_us(lambda: (a + b).tolist(), n // 4)
    view = per_call_us(lambda: a[1:3], n)
    return rec, scal, run, view


def main():
    where = "pyodide" if sys.platform == "emscripten" else "native"
    print(f"wgpy foundation figures — {where}, Python {platform.python_version()}, "
          f"backend {wp.get_backend_name()}")
    rec, scal, run, view = overhead()
    print(f"overhead per op (µs): a+b recorded {rec:.2f}; a*2.0 recorded {scal:.2f}; "
          f"a[1:3] view {view:.2f}; (a+b).tolist() run+read {run:.2f}")

    n, iters = 512, 100
    real, imag = grid(wp, n)
    wp.reset_counters()
    t_wp, count = best_and_result(lambda: int(mandelbrot(real, imag, iters).sum()), 3)
    kern = wp.counters()["kernels_launched"] / 3
    print(f"mandelbrot {n}x{n}, {iters} iterations: {kern:.0f} kernels per run "
          f"({kern / iters:.2f} per iteration, goal <= 2); wgpy cpu {t_wp * 1e3:.0f} ms")
    a = wp.asarray([[float((i * 7 + j * 3) % 11) for j in range(512)] for i in range(512)],
                   dtype="float32")
    t_mm, _ = best_and_result(lambda: float((a @ a)[0, 0]), 3)
    x = wp.arange(1 << 22, dtype="float32")
    float(x[-1])  # materialize x, so the chain reads it from memory
    t_ch, _ = best_and_result(lambda: float(((x + 1.0) * x - x * 0.5)[-1]), 3)
    print(f"cpu: float32 matmul 512 {2 * 512 ** 3 / t_mm / 1e9:.1f} GFLOP/s; "
          f"fused (x+1)*x - x*0.5 over 4M float32 {t_ch * 1e3:.1f} ms (one kernel)")
    try:
        import numpy as np
    except ImportError:
        print("numpy not importable here: no same-run numpy time")
        return
    an, xn = wp.asnumpy(a), wp.asnumpy(x)
    assert np.array_equal(wp.asnumpy((x + 1.0) * x - x * 0.5), (xn + 1.0) * xn - xn * 0.5)
    t_mm_np, _ = best_and_result(lambda: float((an @ an)[0, 0]), 3)
    t_ch_np, _ = best_and_result(lambda: float(((xn + 1.0) * xn - xn * 0.5)[-1]), 3)
    print(f"numpy: matmul 512 {2 * 512 ** 3 / t_mm_np / 1e9:.1f} GFLOP/s (OpenBLAS), "
          f"wgpy/numpy throughput {t_mm_np / t_mm:.2f}; chain {t_ch_np * 1e3:.1f} ms, "
          f"wgpy/numpy time {t_ch / t_ch_np:.2f}")
    rn, inn = grid(np, n)
    with np.errstate(all="ignore"):
        t_np, ref = best_and_result(lambda: int(mandelbrot(rn, inn, iters).sum()), 3)
    print(f"numpy {t_np * 1e3:.0f} ms; wgpy cpu / numpy time = {t_wp / t_np:.2f} "
          f"(numpy/wgpy speedup {t_np / t_wp:.2f}x); checksums wgpy {count} numpy {ref}")


if __name__ == "__main__":
    main()
