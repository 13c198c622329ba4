"""numpy.fft (docs/fft.md): FFT of 2^20 complex64 points and rfft of 2^22 float32 points by wgpy's
library kernels, against numpy (pocketfft) in the same run natively, or alone on another backend.

    python bench/fft_bench.py [--fft N] [--rfft N] [--repeat R]                 # native: vs numpy
    scripts/wgpy --wheel W --backend webgpu run bench/fft_bench.py --small    # Pyodide + Dawn
    python bench/fft_bench.py --cupy                                          # CuPy (cuFFT)

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

    tf = best(run_fft, a.repeat, warm=1)
    tr = best(run_rfft, a.repeat, warm=1)
    flops = lambda n: 5 * n * math.log2(n)  # noqa: E731  (the usual FFT flop count)
    print('%s: fft %d complex64: %.4f s (%.2f GFlop/s)' % (name, nf, tf, flops(nf) / tf / 1e9))
    print('%s: rfft %d float32: %.4f s (%.2f GFlop/s)' % (name, nr, tr, flops(nr) / 2 / tr / 1e9))
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
