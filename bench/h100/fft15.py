"""FFT per call for bench/h100/s15_fft15.sh and s16_fft16.sh (docs/fft.md "Session 15", "16"): fft
and ifft 2^LG complex64, rfft and irfft of 2^(LG+2) float32, fft2 of 2^(LG/2) squared complex64,
and batched rows along the last axis (batch: 2^(LG-10) rows of 1024 points, one workgroup pass
with the radix-16 first stage; batch2k: 2^(LG-11) rows of 2048, the radix-32 first stage; rowsM:
M rows of 1024, how one pass's time scales with its work; copy: x + 1 on 2^(LG+1) float32, the
bytes fft 2^LG reads and writes, a bandwidth floor); K calls kept alive, one sync, one read,
fastest of 3 rounds.  Per call: issue (Python and the engine recording), sync (encoded,
submitted, waited for) and, with WGPY_GPU_TIMING=ids, the GPU time of each kernel (its dispatch
shape and the executor's kernel id: the four-step's two passes apart); CuPy's with --cupy (CUDA
events).  --check: the largest error against numpy's complex128 transforms, relative to max |X|,
at 2^LG and a few smaller sizes.  --gpu-like: tell the engine the adapter is a GPU (SwiftShader's
auto path takes the per-pass launches and 2048-point tiles; a local check of the H100's kernels).

    WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/fft15.py K LG [CASES] [--cupy|--check] [--gpu-like]
"""
import json
import sys
import time


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    k = int(args[0]) if args else 20
    lg = int(args[1]) if len(args) > 1 else 20
    only = args[2].split(',') if len(args) > 2 else None
    cupy = '--cupy' in sys.argv
    if cupy:
        import cupy as xp
        sync = xp.cuda.Device().synchronize
    else:
        import wgpy as xp
        from wgpy import _lib
        sync = xp.sync
        if '--gpu-like' in sys.argv:
            _lib.wg_set_adapter_class(_lib._ctx_ptr, 0)
            xp.fft._set_fft_path('workgroup')
    if '--check' in sys.argv:
        import numpy as np
        rng = np.random.default_rng(0)
        worst = 0.0
        for n in sorted({1 << lg, 1 << min(lg, 13), 1 << min(lg, 10)}, reverse=True):
            x = (rng.random(n) - .5 + 1j * (rng.random(n) - .5)).astype(np.complex64)
            r = (rng.random(4 * n) - .5).astype(np.float32)
            h = np.fft.rfft(r.astype(np.float64)).astype(np.complex64)
            s = 1 << (max(lg, 8) // 2)
            q = (rng.random((s, s)) - .5).astype(np.complex64)
            b = (rng.random((max(n >> 10, 1), 1024)) - .5).astype(np.complex64)
            b2 = (rng.random((max(n >> 11, 1), 2048)) - .5).astype(np.complex64)
            cases = (('fft', lambda: xp.fft.fft(xp.asarray(x)), np.fft.fft(x.astype(np.complex128))),
                     ('ifft', lambda: xp.fft.ifft(xp.asarray(x)), np.fft.ifft(x.astype(np.complex128))),
                     ('rfft(4n)', lambda: xp.fft.rfft(xp.asarray(r)), np.fft.rfft(r.astype(np.float64))),
                     ('irfft(4n)', lambda: xp.fft.irfft(xp.asarray(h)), np.fft.irfft(h.astype(np.complex128))),
                     ('fft2', lambda: xp.fft.fft2(xp.asarray(q)), np.fft.fft2(q.astype(np.complex128))),
                     ('batch', lambda: xp.fft.fft(xp.asarray(b)), np.fft.fft(b.astype(np.complex128))),
                     ('batch2k', lambda: xp.fft.fft(xp.asarray(b2)),
                      np.fft.fft(b2.astype(np.complex128))))
            out = []
            for name, fn, ref in cases:
                got = np.asarray(fn().get())
                e = np.abs(got - ref).max() / np.abs(ref).max()
                worst = max(worst, e)
                out.append('%s %.2e' % (name, e))
            print('check n=%d  %s' % (n, '  '.join(out)), flush=True)
        print('check worst %.2e %s' % (worst, 'OK' if worst < 1e-6 else 'BAD'), flush=True)
        return
    s = 1 << (lg // 2)
    c = xp.sin(xp.arange(1 << lg, dtype='float32') * 0.01).astype('complex64')
    r = xp.sin(xp.arange(1 << (lg + 2), dtype='float32') * 0.01)
    hr = xp.fft.rfft(r)
    q = xp.sin(xp.arange(s * s, dtype='float32') * 0.01).astype('complex64').reshape(s, s)
    bt = c.reshape(max((1 << lg) >> 10, 1), -1)
    bt2 = c.reshape(max((1 << lg) >> 11, 1), -1)

    def gpu():
        if cupy:
            return {}
        st = _lib._executor.stats()
        st = json.loads(st) if isinstance(st, (str, bytes)) else st
        return st.get('gpuKernels') or {}
    f8 = xp.sin(xp.arange(2 << lg, dtype='float32') * 0.01)  # the bytes of fft's complex input
    rows = {}
    for tag in only or ():  # rowsM: M rows of 1024 points (how a single pass's time scales)
        if tag.startswith('rows') and tag[4:].isdigit():
            m = int(tag[4:])
            rows[tag] = xp.sin(xp.arange(m << 10, dtype='float32') * 0.01).astype('complex64').reshape(m, 1024)
    cases = [('copy', 'x + 1 f32 2^%d' % (lg + 1), lambda: f8 + 1.0)]
    cases += [(tag, 'fft %dx1024 rows' % a.shape[0], lambda a=a: xp.fft.fft(a)) for tag, a in rows.items()]
    cases += (('fft', 'fft 2^%d c64' % lg, lambda: xp.fft.fft(c)),
             ('ifft', 'ifft 2^%d c64' % lg, lambda: xp.fft.ifft(c)),
             ('rfft', 'rfft 2^%d f32' % (lg + 2), lambda: xp.fft.rfft(r)),
             ('irfft', 'irfft 2^%d' % (lg + 2), lambda: xp.fft.irfft(hr)),
             ('fft2', 'fft2 %dx%d c64' % (s, s), lambda: xp.fft.fft2(q)),
             ('batch', 'fft %dx%d rows' % bt.shape, lambda: xp.fft.fft(bt)),
             ('batch2k', 'fft %dx%d rows' % bt2.shape, lambda: xp.fft.fft(bt2)))
    for tag, name, fn in cases:
        if only and tag not in only:
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
            float(res[-1].ravel()[0].real)
            t2 = time.perf_counter()
            g1 = gpu()
            ev = xp.cuda.get_elapsed_time(e0, e1) / k if cupy else None
            del res
            gsum = sum(v['ms'] - g0.get(key, {}).get('ms', 0) for key, v in g1.items())
            score = ev if cupy else (gsum if g1 else t2 - t0)
            if best is None or score < best[0]:
                best = (score, t2 - t0, t1 - t0, t2 - t1, g0, g1, ev)
        _, tt, ti, ts, g0, g1, ev = best
        per = sorted(((v['ms'] - g0.get(key, {}).get('ms', 0)) / k,
                      (v['n'] - g0.get(key, {}).get('n', 0)) / k, key)
                     for key, v in g1.items() if v['n'] > g0.get(key, {}).get('n', 0))[::-1]
        gtxt = ('  GPU(events) %.4f' % ev) if cupy else (
            '  GPU %.4f' % sum(p[0] for p in per) if per else '')
        print('%-15s per call %.4f ms (issue %.4f, sync+read %.4f)%s' % (
            name, tt * 1e3 / k, ti * 1e3 / k, ts * 1e3 / k, gtxt), flush=True)
        for ms, cnt, key in per[:5]:
            print('      %8.4f ms x%-4.1f %s' % (ms, cnt, key.replace('elementwise ', '')[:50]))


if __name__ == '__main__':
    main()
