"""wgpy on a real GPU through Dawn: the issue-3 workloads, run inside Pyodide on Node.

    scripts/wgpy --backend webgpu run bench/h100/wgpy_bench.py OUT.json

matmul, add and sum: differential rounds of k and 1 operations (per_op); the Mandelbrot loop
and the chain: one run ending in one read, as a user runs them.  cupy_baseline.py measures CuPy in the same device session."""
import json
import sys
import time

import wgpy as wp


def gpu_ms():
    """GPU milliseconds spent in kernels so far (timestamps; WGPY_GPU_TIMING=1), else None."""
    try:
        import _wgpy_webgpu
    except ImportError:
        return None
    g = json.loads(_wgpy_webgpu.stats()).get("gpuMs")
    return sum(g.values()) if g else None


def per_op(make, k=20, reps=5):
    """(seconds per operation, GPU seconds per operation or None).

    Differential: rounds of k operations (issued, one submission by wp.sync, completed by one
    read) and rounds of 1; per operation = (fastest round of k - fastest round of 1) / (k - 1), so
    the fixed cost of a flush and a readback round trip cancels, and the minimum over `reps`
    rounds of each filters the noise of an idle GPU waking up.  A first round of k warms the
    pipelines and fills the memory pool, so the timed rounds reuse device buffers."""
    def round_of(m):
        t0 = time.perf_counter()
        res = [make() for _ in range(m)]
        wp.sync()
        float(res[-1].ravel()[0])
        return time.perf_counter() - t0
    round_of(k)
    t1, tk, gpu = [], [], []
    for _ in range(reps):
        t1.append(round_of(1))
        g0 = gpu_ms()
        tk.append(round_of(k))
        g1 = gpu_ms()
        if g0 is not None:
            gpu.append((g1 - g0) / k / 1e3)
    return max(min(tk) - min(t1), 1e-9) / (k - 1), (min(gpu) if gpu else None)


def fmt_gpu(s, scale=1.0, unit=""):
    return "" if s is None else f" (GPU time {s * 1e3:.3f} ms{'' if not unit else f', {scale / s / 1e12:.2f} {unit}'})"


def timeit(fn, reps=5, warm=1):
    for _ in range(warm):
        fn()
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t0) / reps


def mandelbrot(real, imag, n_iters):
    xs = wp.zeros((real.size, imag.size), dtype="float32")
    ys = wp.zeros((real.size, imag.size), dtype="float32")
    count = wp.zeros((real.size, imag.size), dtype="int32")
    for _ in range(n_iters):
        xs, ys = xs * xs - ys * ys + real, xs * ys * 2.0 + imag
        count += ((xs * xs + ys * ys) < 4.0).astype("int32")
    return count


def main():
    out = {"backend": wp.get_backend_name(), "run_ahead": list(wp.config.run_ahead or [])}
    for n in (1024, 2048, 4096, 8192):
        a = wp.ones((n, n), dtype="float32")
        t, g = per_op(lambda: a @ a, k=4 if n >= 8192 else 10 if n >= 4096 else 40)
        out[f"matmul_{n}"] = t
        out[f"matmul_{n}_gpu"] = g
        print(f"wgpy matmul {n}: {t * 1e3:.2f} ms, {2 * n ** 3 / t / 1e12:.2f} TFLOP/s"
              + fmt_gpu(g, 2 * n ** 3, "TFLOP/s"), flush=True)
        if n == 1024:  # the same without run ahead: one submission per round
            ra, wp.config.run_ahead = wp.config.run_ahead, None
            t, _ = per_op(lambda: a @ a, k=40)
            wp.config.run_ahead = ra
            out["matmul_1024_no_run_ahead"] = t
            print(f"wgpy matmul 1024, run ahead off: {t * 1e3:.2f} ms", flush=True)
    n = 64 << 20
    x, y = wp.ones(n, dtype="float32"), wp.ones(n, dtype="float32")
    float(x[0]), float(y[0])
    t, g = per_op(lambda: x + y, k=40)
    out["add_64M"], out["add_64M_gpu"] = t, g
    print(f"wgpy add 64M: {t * 1e3:.3f} ms, {3 * 4 * n / t / 1e12:.2f} TB/s" + fmt_gpu(g, 12 * n, "TB/s"),
          flush=True)
    t, g = per_op(lambda: x.sum(), k=100)
    out["sum_64M"], out["sum_64M_gpu"] = t, g
    print(f"wgpy sum 64M: {t * 1e3:.3f} ms, {4 * n / t / 1e12:.2f} TB/s" + fmt_gpu(g, 4 * n, "TB/s"),
          flush=True)
    # the same without run ahead (docs/architecture.md): the GPU starts only at wp.sync()
    ra, wp.config.run_ahead = wp.config.run_ahead, None
    t, _ = per_op(lambda: x.sum(), k=100)
    wp.config.run_ahead = ra
    out["sum_64M_no_run_ahead"] = t
    print(f"wgpy sum 64M, run ahead off: {t * 1e3:.3f} ms, {4 * n / t / 1e12:.2f} TB/s", flush=True)
    real = wp.linspace(-2.0, 0.5, 1024, dtype="float32").reshape(1024, 1)
    imag = wp.linspace(-1.25, 1.25, 1024, dtype="float32").reshape(1, 1024)
    wp.reset_counters()
    g0 = gpu_ms()
    t = timeit(lambda: int(mandelbrot(real, imag, 100).sum()), reps=3)
    g1 = gpu_ms()
    if g0 is not None:
        out["mandelbrot_1024_gpu"] = (g1 - g0) / 4 / 1e3
        print(f"  mandelbrot GPU time per run: {(g1 - g0) / 4:.2f} ms", flush=True)
    out["mandelbrot_1024"] = t
    out["mandelbrot_checksum"] = int(mandelbrot(real, imag, 100).sum())
    print(f"wgpy mandelbrot 1024^2 x100: {t * 1e3:.1f} ms "
          f"({wp.counters()['kernels_launched'] / 5:.0f} kernels per run)", flush=True)
    small = wp.ones(1024, dtype="float32")

    def chain():
        z = small
        for _ in range(2000):
            z = z * 1.0001 + 0.0001
        return float(z[0])
    t = timeit(chain, reps=3)
    out["chain_2000"] = t
    print(f"wgpy chain of 2000 small ops: {t * 1e3:.1f} ms", flush=True)
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
