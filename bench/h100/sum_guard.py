"""Issue 15's guard with run ahead on: back-to-back sums of 64M and 16M float32 (20 a round, every
result observed, then one read), ms a sum, best of ROUNDS; the same with --cupy (a device
synchronize in place of the read).  Also the executor's chunks and submits a round, which show
whether the sums went over one by one or together (python/wgpy/_remote.py, ready()).

    WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/sum_guard.py [ROUNDS] [--small] [--diff]
    python3 bench/h100/sum_guard.py [ROUNDS] --cupy [--diff]

--diff (session 20): differential rounds instead, as session 3's guard (bench/h100/wgpy_bench.py
per_op): the best round of K = 40 sums and the best round of 1, (t_K - t_1) / (K - 1) a sum, so
the fixed cost of a round (the first hand-off's latency, the read's round trip: ~0.5 ms on the
remote host, ~0.02 in CuPy) cancels.  Without it, 20 sums carry that cost: 0.12-0.18 ms a sum
where the kernels' GPU time is 0.105 (s20_sum20.sh)."""
import json
import sys
import time


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    rounds = int(args[0]) if args else 6
    sizes = (1 << 22, 1 << 20) if '--small' in sys.argv else (64 << 20, 16 << 20)
    cupy = '--cupy' in sys.argv
    if cupy:
        import cupy as xp
        sync = xp.cuda.Device().synchronize
    else:
        import wgpy as xp
        from wgpy import _lib

        def stats():
            return json.loads(_lib._executor.stats()) if _lib._executor else {}
    def sums(x, k):
        """Seconds for k sums of x back to back and one read (CuPy: a synchronize)."""
        t0 = time.perf_counter()
        rs = [x.sum() for _ in range(k)]
        if cupy:
            sync()
        else:
            s = rs[0].ravel()[0]
            for r in rs[1:]:  # every result observed (else lazy ones would never be computed)
                s = s + r.ravel()[0]
            float(s)
        return time.perf_counter() - t0

    out = []
    for n in sizes:
        x = xp.sin(xp.arange(n, dtype='float32'))
        float(x[0])
        if '--diff' in sys.argv:
            t = {}
            for k in (1, 40) * rounds:
                t[k] = min(t.get(k, 1e9), sums(x, k))
            d = (t[40] - t[1]) / 39
            out.append('sum %dM %.4f ms a sum %.0f GB/s (differential: round of 40 %.3f ms, of 1 %.3f ms)'
                       % (n >> 20, d * 1e3, n * 4 / d / 1e9, t[40] * 1e3, t[1] * 1e3))
            continue
        best, per = None, ''
        for _ in range(rounds):
            s0 = None if cupy else stats()
            t = sums(x, 20) / 20
            if best is None or t < best:
                best = t
                if not cupy:
                    s1 = stats()
                    per = ' (%d chunks, %d submits)' % (s1.get('runs', 0) - s0.get('runs', 0),
                                                      s1.get('submits', 0) - s0.get('submits', 0))
        gbs = n * 4 / best / 1e9
        out.append('sum %dM %.4f ms %.0f GB/s%s' % (n >> 20, best * 1e3, gbs, per))
    print('%s: %s' % ('cupy' if cupy else 'wgpy', '; '.join(out)), flush=True)


if __name__ == '__main__':
    main()
