"""The custom-kernel Mandelbrot (CUDA-C ElementwiseKernel, 1024², 500 iterations) on wgpy or CuPy.

    scripts/wgpy --backend webgpu run bench/h100/kernel_bench.py wgpy OUT.json
    python3 bench/h100/kernel_bench.py cupy OUT.json
    scripts/wgpy --backend webgpu run bench/h100/kernel_bench.py wgpy-words OUT.json

wgpy-fmad / cupy-fmad: options=('--fmad=true',) (NVRTC's default; wgpy's opt-in contraction).
cupy-b64: CuPy launched with 64-thread blocks (wgpy's workgroup size). MANDEL_ITERS sets the
iterations (the slope over iterations separates per-iteration cost from fixed cost); MANDEL_REPS
the launches per timed round (10; more spread the round's one sync and read over more launches).
wgpy-words: the kernel's literals as argument words (the code generator before session 8),
against wgpy's default of shader constants (docs/kernels.md, "Literals as shader constants").

Runs of `reps` launches ended by one sync: seconds per launch (the fastest of 5 rounds), and the
sum of the counts (the two must agree)."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mandel_kernel_src import SOURCE, PARAMS, grid, N, ITERS  # noqa: E402


def main():
    which, out = sys.argv[1], sys.argv[2]
    launch = {}
    if which.startswith('cupy'):
        import cupy as xp
        if which == 'cupy-b64':  # CuPy with wgpy's 64-thread workgroups
            launch = {'block_size': 64}
        sync = xp.cuda.Device().synchronize
    else:
        import wgpy as xp
        sync = xp.sync
        if which.startswith('wgpy-words'):
            import wgpy._kernel
            wgpy._kernel._set_inline_literals(False)
    real, imag = grid(xp)
    opts = {'options': ('--fmad=true',)} if which.endswith('-fmad') else {}
    k = xp.ElementwiseKernel(PARAMS[0], PARAMS[1], SOURCE, 'mandelbrot', **opts)
    c = k(real, imag, **launch)
    total = int(c.sum())
    reps = int(os.environ.get('MANDEL_REPS', '10'))
    best = None
    for _ in range(5):
        sync()
        t0 = time.perf_counter()
        for _ in range(reps):
            c = k(real, imag, **launch)
        sync()
        int(c[0, 0])
        dt = (time.perf_counter() - t0) / reps
        best = dt if best is None else min(best, dt)
    print('%s mandelbrot kernel %dx%d, %d iterations: %.3f ms per launch; count sum %d'
          % (which, N, N, ITERS, best * 1e3, total), flush=True)
    with open(out, 'w') as f:
        json.dump({'which': which, 'seconds': best, 'count_sum': total}, f)


if __name__ == '__main__':
    main()
