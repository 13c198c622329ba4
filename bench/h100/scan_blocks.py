"""The tile scan's block size and rescan form on a GPU (issue 10, docs/scans.md "The tile scan"):
for each setting of wgpy._scan._set_scan_block (tiles of 2048 a block; + 100: the rescan that
issues the next tile's loads before this tile's scan; + 200: the rescan reduces the block totals
itself, no launch (2)), per workload the wall time per call
(k calls back to back, one sync and one read; fastest of 3) and the GPU ms per call of each
dispatch shape (WGPY_GPU_TIMING=1: the executor keys timestamps by shape, not by kernel), and a
check against the default setting's result.

    WGPY_BACKEND=webgpu WGPY_GPU_TIMING=1 python3 bench/h100/scan_blocks.py [n] [settings...]

'segscan' is launches (1) and (2) alone (the mask's block counts and their scan, no read): the
reduce pass's cost apart from the rescan's."""
import json
import sys
import time

import wgpy as wp
from wgpy import _lib, _scan


def stats():
    from wgpy import _remote
    ex = next(iter(_remote._open.values()), None)
    return json.loads(ex.stats()).get('gpuKernels', {}) if ex else {}


def measure(fn, k=10):
    float(fn().ravel()[-1])
    wp.sync()
    best = None
    for _ in range(3):
        g0, c0 = stats(), wp.counters()['kernels_launched']
        t0 = time.perf_counter()
        res = [fn() for _ in range(k)]
        wp.sync()
        float(res[-1].ravel()[-1])
        dt = (time.perf_counter() - t0) / k
        g1, c1 = stats(), wp.counters()['kernels_launched']
        del res
        if best is None or dt < best[0]:
            best = (dt, g0, g1, (c1 - c0) / k)
    dt, g0, g1, launches = best
    per = sorted(((v['ms'] - g0.get(s, {}).get('ms', 0)) / k, s.replace('elementwise main ', ''))
                 for s, v in g1.items() if v['n'] > g0.get(s, {}).get('n', 0))[::-1]
    return dt, sum(p for p, _ in per), launches, per


def main():
    args = sys.argv[1:]
    n = int(args[0]) if args else 16 << 20
    settings = [int(a) for a in args[1:]] or [1, 2, 4, 8, 16, 104, 108, 201, 204, 208, 304]
    x = (wp.arange(n, dtype='float32') * 0.6180339887) % 1.0
    m = x > 0.5
    ref_c, ref_n = float(wp.cumsum(x)[-1]), int(m.sum())

    def segscan():
        return _scan._wrap(_lib.wg_mask_segscan(_scan._ctx, m._h, None))
    wl = (('cumsum', lambda: wp.cumsum(x)), ('a[mask]', lambda: x[m]),
          ('nonzero', lambda: wp.nonzero(m)[0]), ('segscan', segscan))
    import numpy as np
    xh = x.get()
    c64, n64 = float(np.cumsum(xh, dtype=np.float64)[-1]), int((xh > 0.5).sum())
    good = n64 == ref_n and abs(ref_c - c64) <= 1e-5 * abs(c64)
    print(f'n = {n}: cumsum[-1] {ref_c:.6g}, count {ref_n} (numpy: {c64:.6g}, {n64}: '
          f'{"ok" if good else "BAD"})', flush=True)
    for st in settings:
        _scan._set_scan_block(st)
        c, cnt = float(wp.cumsum(x)[-1]), int(x[m].size)
        ok = 'ok' if cnt == ref_n and abs(c - ref_c) <= 1e-5 * abs(ref_c) else f'BAD {c} {cnt}'
        print(f'-- block {st} ({ok})', flush=True)
        for name, fn in wl:
            dt, gpu, launches, per = measure(fn)
            print('  %-8s wall %6.3f gpu %6.3f  %s' % (
                name, dt * 1e3, gpu, '  '.join('%.3f[%s]' % p for p in per[:4])), flush=True)


if __name__ == '__main__':
    main()
