"""numpy.fft (docs/fft.md): FFT of 2^20 complex64 points and rfft of 2^22 float32 points by wgpy's
library kernels, against numpy (pocketfft) in the same run natively, or alone on another backend.

    python bench/fft_bench.py [--fft N] [--rfft N] [--repeat R]                 # native: vs numpy
    scripts/wgpy --wheel W --backend webgpu run bench/fft_bench.py --small    # Pyodide + Dawn
    python bench/fft_bench.py --cupy                                          # CuPy (cuFFT)
    python bench/fft_bench.py --path passes|workgroup|auto|both   # the engine's FFT passes

wgpy's lines give the kernels launched per transform (the engine's counter around one call, the
twiddle tables already cached): with --path both, the per-pass launches ("passes", webgl2's
path) and the workgroup-memory passes ("workgroup", webgpu's default) in the same run.

Each timing is the best of R after a warm-up call (which compiles the kernels); wgpy's includes
the transform and a read back of one element (so the lazy kernels really run), not the transfer
of the result.  The ratio is numpy time / wgpy time (above 1: wgpy is faster).
"""
import argparse
import math

from _timing import best  # bench/_timing.py


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--fft', type=int, default=1 << 20, help='complex FFT points (2^20)')
    ap.add_argument('--rfft', type=int, default=1 << 22, help='rfft points (2^22)')
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--small', action='store_true', help='2^16 and 2^18 (software GPUs)')
    ap.add_argument('--cupy', action='store_true', help='time CuPy (cuFFT) instead of wgpy')
    ap.add_argument('--path', default='auto', choices=['auto', 'passes', 'workgroup', 'both'],
                    help="wgpy's FFT passes (docs/fft.md): both times each in the same run")
    a = ap.parse_args()
    nf, nr = (1 << 16, 1 << 18) if a.small else (a.fft, a.rfft)

    # the same inputs everywhere: sin of an arithmetic sequence (complex: its pairs)
    if a.cupy:
        import cupy as xp
        name = 'cupy'
    else:
        import wgpy as xp
        name = 'wgpy %s backend' % xp.get_backend_name()
    zx = xp.sin(xp.arange(2 * nf, dtype='float32') * 0.37).view(xp.complex64)
    rx = xp.sin(xp.arange(nr, dtype='float32') * 0.37)

    def run_fft():
        xp.fft.fft(zx)[:1].real.tolist()

    def run_rfft():
        xp.fft.rfft(rx)[:1].real.tolist()

    flops = lambda n: 5 * n * math.log2(n)  # noqa: E731  (the usual FFT flop count)

    def launches(fn, x):
        if a.cupy:
            return ''
        xp.sync()
        xp.reset_counters()
        fn(x)
        xp.sync()
        return ', %d launches' % xp.counters()['kernels_launched']

    paths = ['passes', 'workgroup'] if a.path == 'both' else [a.path]
    for path in paths:
        label = name
        if not a.cupy:
            xp.fft._set_fft_path(path)
            label = '%s (%s)' % (name, path)
        tf = best(run_fft, a.repeat, warm=1)
        tr = best(run_rfft, a.repeat, warm=1)
        print('%s: fft %d complex64: %.4f s (%.2f GFlop/s%s)'
              % (label, nf, tf, flops(nf) / tf / 1e9, launches(xp.fft.fft, zx)))
        print('%s: rfft %d float32: %.4f s (%.2f GFlop/s%s)'
              % (label, nr, tr, flops(nr) / 2 / tr / 1e9, launches(xp.fft.rfft, rx)))
    if a.cupy:
        return
    try:
        import numpy as np
    except ImportError:
        return
    nz = np.sin(np.arange(2 * nf, dtype=np.float32) * np.float32(0.37)).view(np.complex64)
    nrx = np.sin(np.arange(nr, dtype=np.float32) * np.float32(0.37))
    tnf = best(lambda: np.fft.fft(nz), a.repeat, warm=1)
    tnr = best(lambda: np.fft.rfft(nrx), a.repeat, warm=1)
    print('numpy: fft %d complex64: %.4f s   ratio numpy/wgpy %.3f' % (nf, tnf, tnf / tf))
    print('numpy: rfft %d float32: %.4f s   ratio numpy/wgpy %.3f' % (nr, tnr, tnr / tr))


if __name__ == '__main__':
    main()
