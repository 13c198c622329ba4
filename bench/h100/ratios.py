"""The wgpy/CuPy table from wgpy_bench.py's and cupy_baseline.py's JSON (seconds per workload).

A ratio is CuPy's time over wgpy's: the fraction of CuPy's throughput wgpy reaches (> 1: faster)."""
import json
import sys

TARGETS = {"matmul_4096": 0.6, "add_64M": 0.8, "sum_64M": 0.8, "mandelbrot_1024": 1.0}
RATE = {"matmul_1024": (2 * 1024 ** 3, "TFLOP/s"), "matmul_2048": (2 * 2048 ** 3, "TFLOP/s"),
        "matmul_4096": (2 * 4096 ** 3, "TFLOP/s"), "matmul_8192": (2 * 8192 ** 3, "TFLOP/s"),
        "add_64M": (12 * 64 * 2 ** 20, "TB/s"), "sum_64M": (4 * 64 * 2 ** 20, "TB/s")}

wgpy, cupy = (json.load(open(p)) for p in sys.argv[1:3])
print("| workload | wgpy | CuPy | wgpy / CuPy | target |")
print("|---|---|---|---|---|")
for key, tc in cupy.items():
    tw = wgpy.get(key)
    if not isinstance(tw, (int, float)) or key.startswith("numpy"):
        continue
    if key in RATE:
        work, unit = RATE[key]
        cell = lambda t: f"{t * 1e3:.3f} ms ({work / t / 1e12:.2f} {unit})"
    else:
        cell = lambda t: f"{t * 1e3:.1f} ms"
    ratio = tc / tw
    target = TARGETS.get(key)
    mark = "" if target is None else (f"≥ {target:g}: {'met' if ratio >= target else 'NOT met'}")
    print(f"| {key} | {cell(tw)} | {cell(tc)} | {ratio:.3f} | {mark} |")
if "numpy_mandelbrot_1024" in cupy:
    print(f"\nnumpy (host CPU, native) Mandelbrot 1024² x100: {cupy['numpy_mandelbrot_1024'] * 1e3:.0f} ms; "
          f"wgpy is {cupy['numpy_mandelbrot_1024'] / wgpy['mandelbrot_1024']:.1f}x faster")
