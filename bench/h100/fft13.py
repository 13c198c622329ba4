"""FFT per call for bench/h100/s13_fft13.sh (docs/fft.md "Session 13"): fft of 2^LG complex64 and
rfft of 2^(LG+2) float32, K calls kept alive, one sync, one read, fastest of 3 rounds.  Per call:
issue (Python and the engine recording), sync (encoded, submitted, waited for) and, with
WGPY_GPU_TIMING=1, the GPU time of each dispatch shape; CuPy's with --cupy (CUDA events).
--check: the largest error against numpy's complex128 transform, relative to max |X|.
--wg: force the workgroup passes (SwiftShader's auto path takes the per-pass launches).

    WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/fft13.py K LG [--cupy|--check|--wg]
"""
import json
import sys
import time


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    k = int(args[0]) if args else 20
    lg = int(args[1]) if len(args) > 1 else 20
    cupy = '--cupy' in sys.argv
    if cupy:
        import cupy as xp
        sync = xp.cuda.Device().synchronize
    else:
        import wgpy as xp
        from wgpy import _lib
        sync = xp.sync
        if '--wg' in sys.argv:
            xp.fft._set_fft_path('workgroup')
    if '--check' in sys.argv:
        import numpy as np
        rng = np.random.default_rng(0)
        for n in (1 << lg, 1 << 13, 1 << 10):
            x = (rng.random(n) - .5 + 1j * (rng.random(n) - .5)).astype(np.complex64)
            ref = np.fft.fft(x.astype(np.complex128))
            got = xp.fft.fft(xp.asarray(x)).get()
            r = (rng.random(4 * n) - .5).astype(np.float32)
            rr = np.fft.rfft(r.astype(np.float64))
            gr = xp.fft.rfft(xp.asarray(r)).get()
            print('check n=%d fft %.2e  rfft(4n) %.2e' % (
                n, np.abs(got - ref).max() / np.abs(ref).max(),
                np.abs(gr - rr).max() / np.abs(rr).max()), flush=True)
        return
    c = xp.sin(xp.arange(1 << lg, dtype='float32') * 0.01).astype('complex64')
    r = xp.sin(xp.arange(1 << (lg + 2), dtype='float32') * 0.01)

    def gpu():
        if cupy:
            return {}
        s = _lib._executor.stats()
        s = json.loads(s) if isinstance(s, (str, bytes)) else s
        return s.get('gpuKernels') or {}
    for name, fn in (('fft 2^%d c64' % lg, lambda: xp.fft.fft(c)),
                     ('rfft 2^%d f32' % (lg + 2), lambda: xp.fft.rfft(r))):
        fn()
        sync()
        best = None
        for _ in range(3):
            g0 = gpu()
            if cupy:
                e0, e1 = xp.cuda.Event(), xp.cuda.Event()
                e0.record()
            t0 = time.perf_counter()
            res = [fn() for _ in range(k)]
            t1 = time.perf_counter()
            if cupy:
                e1.record()
            sync()
            float(res[-1].ravel()[0].real)
            t2 = time.perf_counter()
            g1 = gpu()
            ev = xp.cuda.get_elapsed_time(e0, e1) / k if cupy else None
            del res
            if best is None or t2 - t0 < best[0]:
                best = (t2 - t0, t1 - t0, t2 - t1, g0, g1, ev)
        tt, ti, ts, g0, g1, ev = best
        per = sorted(((v['ms'] - g0.get(key, {}).get('ms', 0)) / k,
                      (v['n'] - g0.get(key, {}).get('n', 0)) / k, key)
                     for key, v in g1.items() if v['n'] > g0.get(key, {}).get('n', 0))[::-1]
        gtxt = ('  GPU(events) %.4f' % ev) if cupy else (
            '  GPU %.4f' % sum(p[0] for p in per) if per else '')
        print('%-14s per call %.4f ms (issue %.4f, sync+read %.4f)%s' % (
            name, tt * 1e3 / k, ti * 1e3 / k, ts * 1e3 / k, gtxt), flush=True)
        for ms, cnt, key in per[:4]:
            print('      %8.4f ms x%-4.1f %s' % (ms, cnt, key[:60]))


if __name__ == '__main__':
    main()
