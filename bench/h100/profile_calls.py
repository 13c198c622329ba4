"""GPU time per dispatch shape for issue 10's and 11's slow calls on a real GPU, next to each call's
wall time (k calls, one sync and one read), natively through the Node + Dawn host:

    WGPY_GPU_TIMING=1 WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... \\
        python3 bench/h100/profile_calls.py [--only name,name] [--top 8]
    python3 bench/h100/profile_calls.py --cupy [--only ...]      # CuPy's time per call, same data

Per call: wall ms per call, the GPU ms per call summed over its dispatches, dispatches per call,
then the dispatch shapes (the executor's `stats.gpuKernels`: kind, entry point and grid, not the
kernel's name) that take the most GPU time.  Where the GPU sum is far below the wall time the
host is the cost; where it is close, the kernels named are."""
import json
import sys
import time


def workloads(xp):
    n = 16 << 20
    x = xp.sin(xp.arange(n, dtype='float32') * 0.001)
    mask = x > 0.5
    a = xp.sin(xp.arange(1 << 20, dtype='float32') * 0.37)
    idx = ((xp.arange(1 << 20, dtype='int32') * 7919) % (1 << 20)).astype('int32')
    m1 = xp.sin(xp.arange(1024 * 1024, dtype='float32') * 0.77).reshape(1024, 1024)
    spd = m1 @ m1.T / 1024 + xp.eye(1024, dtype='float32')
    m2 = xp.sin(xp.arange(2048 * 2048, dtype='float32') * 0.77).reshape(2048, 2048)
    spd2 = m2 @ m2.T / 2048 + xp.eye(2048, dtype='float32')
    b = xp.sin(xp.arange(1024, dtype='float32'))
    e1 = xp.sin(xp.arange(64 * 128 * 128, dtype='float32')).reshape(64, 128, 128)
    e2 = xp.sin(xp.arange(4096 * 256, dtype='float32')).reshape(4096, 256)
    return [
        ('cumsum16M', 10, lambda: xp.cumsum(x)),
        ('mask_get16M', 10, lambda: x[mask]),
        ('nonzero16M', 10, lambda: xp.nonzero(mask)[0]),
        ('gather1M', 20, lambda: a[idx]),
        ('take_wrap1M', 20, lambda: xp.take(a, idx, mode='wrap') if xp.__name__ == 'wgpy' else xp.take(a, idx)),
        ('einsum_bij', 10, lambda: xp.einsum('bij,bjk->bik', e1, e1)),
        ('einsum_ij_i', 20, lambda: xp.einsum('ij,ij->i', e2, e2)),
        ('sort16M', 3, lambda: xp.sort(x)),
        ('argsort16M', 3, lambda: xp.argsort(x)),
        ('cholesky2048', 2, lambda: xp.linalg.cholesky(spd2)),
        ('solve1024', 2, lambda: xp.linalg.solve(spd, b)),
        ('inv1024', 2, lambda: xp.linalg.inv(spd)),
        ('normal16M', 10, lambda: xp.random.standard_normal(n, dtype='float32')),
        ('fft1M', 10, lambda: xp.fft.fft(x[:1 << 20].astype('complex64'))),
    ]


def first(r):
    r = r.ravel()[0]
    return float(r.real) if 'complex' in str(r.dtype) else float(r)


def main():
    args = sys.argv[1:]
    only = None
    if '--only' in args:
        only = set(args[args.index('--only') + 1].split(','))
    top = int(args[args.index('--top') + 1]) if '--top' in args else 8
    if '--cupy' in args:
        import cupy as xp
        for name, k, fn in workloads(xp):
            if only and name not in only:
                continue
            fn()
            xp.cuda.Device().synchronize()
            best = None
            for _ in range(3):
                t0 = time.perf_counter()
                for _ in range(k):
                    fn()
                xp.cuda.Device().synchronize()
                t = (time.perf_counter() - t0) / k
                best = t if best is None else min(best, t)
            print('cupy %-14s %9.3f ms per call' % (name, best * 1e3), flush=True)
        return
    import wgpy as xp
    from wgpy import _lib

    def stats():
        s = _lib._executor.stats()
        s = json.loads(s) if isinstance(s, (str, bytes)) else s
        return s.get('gpuKernels') or {}, s.get('dispatches', 0)
    for name, k, fn in workloads(xp):
        if only and name not in only:
            continue
        first(fn())
        best = None
        for _ in range(2):
            g0, d0 = stats()
            t0 = time.perf_counter()
            res = [fn() for _ in range(k)]
            xp.sync()
            first(res[-1])
            t = (time.perf_counter() - t0) / k
            g1, d1 = stats()
            del res
            if best is None or t < best[0]:
                best = (t, g0, g1, d1 - d0)
        t, g0, g1, d = best
        per = sorted(((v['ms'] - g0.get(key, {}).get('ms', 0)) / k,
                      (v['n'] - g0.get(key, {}).get('n', 0)) / k, key)
                     for key, v in g1.items() if v['n'] > g0.get(key, {}).get('n', 0))[::-1]
        print('wgpy %-14s %9.3f ms per call  GPU %8.3f ms  dispatches %6.1f' % (
            name, t * 1e3, sum(p[0] for p in per), d / k), flush=True)
        for ms, cnt, key in per[:top]:
            print('        %8.3f ms  x%-5.1f %s' % (ms, cnt, key))


if __name__ == '__main__':
    main()
