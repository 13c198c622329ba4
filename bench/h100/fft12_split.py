"""FFT and random normals per call, for bench/h100/s12_fft12.sh (docs/fft.md "On the H100"):
K calls kept alive, one sync, one read; three rounds, the fastest kept.  Per call: issue (Python
and the engine recording), sync (the stream encoded, submitted and waited for), and with
WGPY_GPU_TIMING=1 the GPU time of each dispatch shape.  Same for CuPy with --cupy (CUDA events).

    WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/fft12_split.py [K] [ONLY] [--cupy | --words]
"""
import json
import sys
import time


def workloads(xp, cupy):
    c = xp.sin(xp.arange(1 << 20, dtype='float32') * 0.01).astype('complex64')
    r = xp.sin(xp.arange(1 << 22, dtype='float32') * 0.01)
    rs = xp.random.RandomState(0)
    wl = [('fft 2^20 c64', lambda: xp.fft.fft(c)),
          ('rfft 2^22 f32', lambda: xp.fft.rfft(r)),
          ('ifft 2^20 c64', lambda: xp.fft.ifft(c)),
          ('normal 16M f32', lambda: rs.standard_normal(16 << 20, dtype='float32'))]
    if cupy:
        g = xp.random.default_rng(0)
        wl.append(('Generator normal 16M', lambda: g.standard_normal(16 << 20, dtype='float32')))
    return wl


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    cupy = '--cupy' in sys.argv
    k = int(args[0]) if args else 20
    only = args[1] if len(args) > 1 else ''
    if cupy:
        import cupy as xp
        sync = xp.cuda.Device().synchronize
    else:
        import wgpy as xp
        from wgpy import _lib
        sync = xp.sync
        if '--words' in sys.argv:  # the kernels' literals as argument words: no shape constants
            xp._kernel._set_inline_literals(False)

    def gpu():
        if cupy:
            return {}
        s = _lib._executor.stats()
        s = json.loads(s) if isinstance(s, (str, bytes)) else s
        return s.get('gpuKernels') or {}
    for name, fn in workloads(xp, cupy):
        if only not in name:
            continue
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
            t2 = time.perf_counter()
            float(res[-1].ravel()[0].real)
            g1 = gpu()
            ev = xp.cuda.get_elapsed_time(e0, e1) / k if cupy else None
            del res
            if best is None or t2 - t0 < best[0]:
                best = (t2 - t0, t1 - t0, t2 - t1, g0, g1, ev)
        tt, ti, ts, g0, g1, ev = best
        per = sorted(((v['ms'] - g0.get(key, {}).get('ms', 0)) / k,
                      (v['n'] - g0.get(key, {}).get('n', 0)) / k, key)
                     for key, v in g1.items() if v['n'] > g0.get(key, {}).get('n', 0))[::-1]
        gtxt = ('  GPU(events) %.3f' % ev) if cupy else ('  GPU %.3f' % sum(p[0] for p in per) if per else '')
        print('%-4s %-20s per call %.3f ms (issue %.3f, sync %.3f)%s' % (
            'cupy' if cupy else 'wgpy', name, tt * 1e3 / k, ti * 1e3 / k, ts * 1e3 / k, gtxt), flush=True)
        for ms, cnt, key in per[:4]:
            print('        %8.4f ms  x%-4.1f %s' % (ms, cnt, key))


if __name__ == '__main__':
    main()
