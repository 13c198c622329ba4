"""Custom kernels against array operations (issue: the kernel language).

    python bench/kernels.py                                   # natively, cpu backend
    scripts/wgpy --backend webgpu run bench/kernels.py        # Pyodide on Node over Dawn
    python bench/kernels.py --stmt-block                      # + the cpu statement evaluator's
                                                              #   block size 1 (per point) vs 1024

Prints, from one run, the seed's Mandelbrot (500 iterations) as a CuPy ElementwiseKernel in
CUDA-C against the same loop written with array operations (the lazy graph fuses each iteration),
their counts' agreement, and the ratio of their times; with --stmt-block, the CUDA-C kernel's time
with the cpu executor evaluating one point at a time against blocks of 1024 points (subprocesses,
since the block size is read once per process: WGPY_CPU_STMT_BLOCK).
"""
import os
import subprocess
import sys

import wgpy as wp
from _timing import best_and_result  # bench/_timing.py

MANDEL_CUDA = '''
c = 0;
float x = 0.0f, y = 0.0f;
for (int k = 0; k < ITERS; k++) {
    float nx = x * x - y * y + real;
    float ny = x * y * 2.0f + imag;
    x = nx;
    y = ny;
    if (x * x + y * y < 4.0f) c = c + 1;
}
'''


def grid(n):
    xs = wp.linspace(-2.0, 0.5, n, dtype='float32')
    ys = wp.linspace(-1.2, 1.2, n, dtype='float32')
    real = xs[None, :] + wp.zeros((n, 1), dtype='float32')
    imag = ys[:, None] + wp.zeros((1, n), dtype='float32')
    return real, imag


def mandel_array(real, imag, iters):
    x = wp.zeros_like(real)
    y = wp.zeros_like(real)
    c = wp.zeros(real.shape, dtype='int32')
    for _ in range(iters):
        nx = x * x - y * y + real
        ny = x * y * 2.0 + imag
        x, y = nx, ny
        c += (x * x + y * y < 4.0)
    return c


def kernel_time(n, iters, reps):
    real, imag = grid(n)
    k = wp.ElementwiseKernel('float32 real, float32 imag', 'int32 c',
                             MANDEL_CUDA.replace('ITERS', str(iters)), 'mandelbrot')
    k(real, imag).tolist()  # compile
    return best_and_result(lambda: k(real, imag).tolist(), reps)


def main():
    n = int(os.environ.get('BENCH_N', '256'))
    iters = int(os.environ.get('BENCH_ITERS', '500'))
    reps = 3
    if '--only-kernel' in sys.argv:
        t, _ = kernel_time(n, iters, reps)
        print('%.6f' % t)
        return
    print('wgpy custom kernels — backend %s, %s, Mandelbrot %dx%d, %d iterations'
          % (wp.get_backend_name(), 'pyodide' if sys.platform == 'emscripten' else 'native',
             n, n, iters))
    tk, ck = kernel_time(n, iters, reps)
    real, imag = grid(n)
    mandel_array(real, imag, 2).tolist()
    ta, ca = best_and_result(lambda: mandel_array(real, imag, iters).tolist(), reps)
    same = ck == ca
    print('CUDA-C ElementwiseKernel: %.1f ms; array operations: %.1f ms; kernel / array time '
          '%.3f (below 1: the kernel is faster); counts equal: %s' % (tk * 1e3, ta * 1e3, tk / ta, same))
    if '--stmt-block' in sys.argv and wp.get_backend_name() == 'cpu':
        times = {}
        for blk in (1, 1024):
            env = dict(os.environ, WGPY_CPU_STMT_BLOCK=str(blk))
            out = subprocess.run([sys.executable, __file__, '--only-kernel'], env=env,
                                 capture_output=True, text=True, check=True).stdout
            times[blk] = float(out.strip().splitlines()[-1])
        print('cpu statement evaluator: per point %.1f ms, blocks of 1024 %.1f ms: blocks are '
              '%.2fx faster' % (times[1] * 1e3, times[1024] * 1e3, times[1] / times[1024]))


if __name__ == '__main__':
    main()
