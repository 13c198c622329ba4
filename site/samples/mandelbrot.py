"""Mandelbrot benchmark: kernel 'normal' (array operations), 'custom' (one CUDA-C
ElementwiseKernel: the seed's custom kernel, translated for every backend) or 'nop' (transfer
only); mode 'benchmark', 'verify' (mismatches against the cpu backend) or 'visualize'."""
import array

import pythonIO
import wgpy as wp
from common import on_cpu, sync, timed

cfg = pythonIO.config
n = int(cfg.get("grid", 256))
kernel = cfg.get("kernel", "normal")
mode = cfg.get("mode", "benchmark")
iters = int(cfg.get("iters", 100))
repeat = int(cfg.get("repeat", 3))
view = cfg.get("view", [-0.75, 0.0, 1.25])      # centre x, centre y, half width
backend = wp.get_backend_name()

MANDEL = wp.ElementwiseKernel(
    "float32 real, float32 imag, int32 n_iters", "int32 count",
    """
    float x = 0.0f, y = 0.0f;
    int c = 0;
    for (int i = 0; i < n_iters; i++) {
        float xn = x * x - y * y + real;
        y = 2.0f * x * y + imag;
        x = xn;
        if (x * x + y * y < 4.0f) c += 1;
    }
    count = c;
    """, "mandelbrot")


def grid():
    cx, cy, h = (float(v) for v in view)
    real = wp.linspace(cx - h, cx + h, n, dtype="float32").reshape(1, n)
    imag = wp.linspace(cy - h, cy + h, n, dtype="float32").reshape(n, 1)
    return real, imag


def compute(kind):
    real, imag = grid()
    if kind == "custom":
        return MANDEL(real, imag, iters)
    if kind == "nop":                       # transfer only: the counts' buffer, no iterations
        return wp.zeros((n, n), dtype="int32") + (real * 0).astype("int32")
    xs = wp.zeros((n, n), dtype="float32")
    ys = wp.zeros((n, n), dtype="float32")
    count = wp.zeros((n, n), dtype="int32")
    for _ in range(iters):
        xs, ys = xs * xs - ys * ys + real, xs * ys * 2.0 + imag
        count += ((xs * xs + ys * ys) < 4.0).astype("int32")
    return count


def colours(count):
    """HSV colouring on the device: hue from the escape count, black inside; packed RGBA."""
    t = count.astype("float32") * (1.0 / iters)
    h = (t ** 0.5) * 6.0
    r = wp.clip(abs(h - 3.0) - 1.0, 0.0, 1.0)
    g = wp.clip(2.0 - abs(h - 2.0), 0.0, 1.0)
    b = wp.clip(2.0 - abs(h - 4.0), 0.0, 1.0)
    inside = count >= iters
    v = wp.where(inside, 0.0, 1.0)
    ri = (r * v * 255.0).astype("int32")
    gi = (g * v * 255.0).astype("int32")
    bi = (b * v * 255.0).astype("int32")
    return ri | (gi << 8) | (bi << 16) | -16777216


print(f"backend: {backend}; grid {n}x{n}, {iters} iterations, kernel {kernel}, mode {mode}")
out = {"backend": backend, "grid": n, "kernel": kernel, "mode": mode}
if mode == "benchmark":
    def one():
        c = compute(kernel)
        sync(c)
        return c
    mean, std, c = timed(one, repeat, 1)
    out.update(mean_ms=mean, std_ms=std)
    print(f"{kernel}: {mean:.2f} ± {std:.2f} ms per image ({repeat} runs)")
elif mode == "verify":
    got = compute(kernel).reshape(-1).tolist()
    want = on_cpu(lambda: compute(kernel).reshape(-1).tolist())
    mism = sum(1 for p, q in zip(got, want) if p != q)
    out.update(mismatches=mism, points=n * n)
    print(f"verify: mismatches {mism} of {n * n} points against the cpu backend")
else:
    import time
    t0 = time.perf_counter()
    px = colours(compute(kernel)).reshape(-1).tolist()
    ms = (time.perf_counter() - t0) * 1e3
    out.update(render_ms=ms)
    pythonIO.emit("image", {"width": n, "height": n}, array.array("i", px).tobytes())
    print(f"rendered {n}x{n} in {ms:.1f} ms")
pythonIO.result = out
