"""The wgpy/CuPy table from wgpy_bench.py's and cupy_baseline.py's JSON (seconds per workload).

    python3 bench/h100/ratios.py --wgpy W1.json [W2.json ...] --cupy C1.json [C2.json ...]

With several files per side (run.sh alternates the two scripts), each figure is the median over
them and the range is printed too.  A ratio is CuPy's time over wgpy's: the fraction of CuPy's
throughput wgpy reaches (> 1: faster)."""
import json
import sys

TARGETS = {"matmul_4096": 0.6, "add_64M": 0.8, "sum_64M": 0.8, "mandelbrot_1024": 1.0}
RATE = {"matmul_1024": (2 * 1024 ** 3, "TFLOP/s"), "matmul_2048": (2 * 2048 ** 3, "TFLOP/s"),
        "matmul_4096": (2 * 4096 ** 3, "TFLOP/s"), "matmul_8192": (2 * 8192 ** 3, "TFLOP/s"),
        "add_64M": (12 * 64 * 2 ** 20, "TB/s"), "sum_64M": (4 * 64 * 2 ** 20, "TB/s")}
# wgpy-only variants, each compared with CuPy's figure for the plain workload
VARIANTS = {"sum_64M_no_run_ahead": "sum_64M", "matmul_1024_no_run_ahead": "matmul_1024"}

def load(paths):
    runs = [json.load(open(p)) for p in paths]
    med, span = {}, {}
    for key in runs[0]:
        vals = sorted(r[key] for r in runs if isinstance(r.get(key), (int, float)))
        if vals:
            med[key], span[key] = vals[len(vals) // 2], (vals[0], vals[-1])
    return med, span, len(runs)


args = sys.argv[1:]
if not args or args[0] != "--wgpy" or "--cupy" not in args:
    sys.exit(__doc__)
cut = args.index("--cupy")
(wgpy, wspan, nw), (cupy, cspan, nc) = load(args[1:cut]), load(args[cut + 1:])
print(f"medians of {nw} wgpy and {nc} CuPy runs (ranges in the last column)\n")
print("| workload | wgpy | CuPy | wgpy / CuPy | target | ratio range |")
print("|---|---|---|---|---|---|")
rows = [(k, k) for k in cupy] + [(v, base) for v, base in VARIANTS.items() if base in cupy]
for key, base in rows:
    tc, tw = cupy[base], wgpy.get(key)
    if not isinstance(tw, (int, float)) or key.startswith("numpy"):
        continue
    if base in RATE:
        work, unit = RATE[base]
        cell = lambda t: f"{t * 1e3:.3f} ms ({work / t / 1e12:.2f} {unit})"
    else:
        cell = lambda t: f"{t * 1e3:.1f} ms"
    ratio = tc / tw
    target = TARGETS.get(key)
    mark = "" if target is None else (f"≥ {target:g}: {'met' if ratio >= target else 'NOT met'}")
    lo, hi = cspan[base][0] / wspan[key][1], cspan[base][1] / wspan[key][0]
    print(f"| {key} | {cell(tw)} | {cell(tc)} | {ratio:.3f} | {mark} | {lo:.2f}–{hi:.2f} |")
if "numpy_mandelbrot_1024" in cupy:
    print(f"\nnumpy (host CPU, native) Mandelbrot 1024² x100: {cupy['numpy_mandelbrot_1024'] * 1e3:.0f} ms; "
          f"wgpy is {cupy['numpy_mandelbrot_1024'] / wgpy['mandelbrot_1024']:.1f}x faster")
