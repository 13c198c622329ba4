"""Where a solve/inv/cholesky call's wall time goes (issue 11, session 14): ten calls back to back,
each split at its flag read (python/wgpy/linalg.py reads a one-element flag at the end of every
call): "record" is the engine call up to the read (Python, C, recording the launches; the host
may hand chunks to the GPU meanwhile), "wait" the read itself (the rest of the GPU work and the
round trip).  Also the counters per call (launches, kernel-cache misses, bytes moved), to show a
cost repeated per call (compiles, uploads).  After a warm-up of --warm seconds (the H100 idles
at a 345 MHz clock).

    WGPY_BACKEND=webgpu python3 bench/h100/lu14_split.py [--small | --tiny] [--tag NAME] [--warm S]
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import issue11_bench as ib  # noqa: E402
import wgpy as wp  # noqa: E402
from wgpy import linalg as la  # noqa: E402

_marks = []
_flag0 = la._flag


def _flag(f, message):
    _marks.append(time.perf_counter())
    _flag0(f, message)
    _marks.append(time.perf_counter())


def host_stats():
    """The Node host's executor counters (js/src/webgpu/executor.mjs stats: runs, submits,
    dispatches, runMs, enqueueMs, submitMs, waitMs, hostMs), numeric ones only; {} elsewhere."""
    try:
        import json
        from wgpy import _remote
        ex = next(iter(_remote._open.values()), None)
        return {k: v for k, v in json.loads(ex.stats()).items()
                if isinstance(v, (int, float))} if ex else {}
    except Exception:  # noqa: BLE001 (not the remote host)
        return {}


def main(argv):
    la._flag = _flag
    tag = argv[argv.index('--tag') + 1] if '--tag' in argv else 'wgpy'
    size = ib.SMALL if '--small' in argv else ib.FULL
    if '--tiny' in argv:  # 70^2: a panel and a narrow second (SwiftShader under load)
        size = dict(ib.SMALL, solve=70, inv=70, cholesky=70)
    wl = [w for w in ib.workloads(wp, size, 'wgpy')
          if any(w[0].startswith(p) for p in ('solve %d' % size['solve'], 'inv %d^' % size['inv'],
                                               'cholesky'))]
    if '--warm' in argv:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < float(argv[argv.index('--warm') + 1]):
            ib.first(wl[0][1]())
    for name, fn in wl:
        for _ in range(3):
            ib.first(fn())
        wp.sync()
        rec, wait, tot = [], [], []
        wp.reset_counters()
        h0 = host_stats()
        for _ in range(10):
            del _marks[:]
            t0 = time.perf_counter()
            fn()
            t1 = time.perf_counter()
            rec.append((_marks[0] - t0) * 1e3)
            wait.append((_marks[1] - _marks[0]) * 1e3)
            tot.append((t1 - t0) * 1e3)
        c = wp.counters()
        h1 = host_stats()
        med = lambda v: sorted(v)[len(v) // 2]  # noqa: E731
        print('%-6s %-15s ten calls: total %5.2f ms (med; min %5.2f) = record %5.2f + wait %5.2f | '
              'per call: launches %d, cache misses %d, uploaded %d B, downloaded %d B' % (
                  tag, name, med(tot), min(tot), med(rec), med(wait), c['kernels_launched'] // 10,
                  c['kernel_cache_misses'] // 10, c['bytes_uploaded'] // 10,
                  c['bytes_downloaded'] // 10), flush=True)
        if h1:
            print('       host per call: ' + ', '.join(
                '%s %.3g' % (k, (h1[k] - h0.get(k, 0)) / 10) for k in sorted(h1)
                if h1[k] != h0.get(k, 0)), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:])
