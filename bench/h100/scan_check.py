"""The scans and compactions against numpy on this device (the tile scan runs on a GPU adapter):
sizes across the tile (2048), the totals' chunk (2048 blocks) and blocks of several tiles, rows,
ops, masks; prints one line of failures (or 'all ok') and the launches of a 2^20 cumsum and
a[mask].

    WGPY_BACKEND=webgpu python3 bench/h100/scan_check.py"""
import numpy as np

import wgpy as wp


def main():
    rng = np.random.default_rng(0)
    bad = []

    def check(name, got, want):
        if not np.array_equal(np.asarray(got), want, equal_nan=True):
            bad.append(name)
    # 3 * 2048 * 2048 + 77: the default block is 3 tiles there (docs/scans.md "Blocks")
    for n in (1, 300, 2048, 2049, 70000, 2048 * 2048 + 77, 3 * 2048 * 2048 + 77):
        a = rng.integers(-5, 6, n).astype(np.int32)
        check(f'cumsum i32 {n}', wp.cumsum(wp.asarray(a)).get(), np.cumsum(a).astype(np.int32))
        f = rng.random(n).astype(np.float32)
        m = f > 0.6
        wf, wm = wp.asarray(f), wp.asarray(m)
        check(f'a[mask] {n}', wf[wm].get(), f[m])
        check(f'nonzero {n}', wp.nonzero(wm)[0].get(), np.nonzero(m)[0].astype(np.int32))
        g = f.copy()
        g[m] = -f[m]
        wg = wf.copy()
        wg[wm] = -wf[wm]
        check(f'a[mask]= {n}', wg.get(), g)
        c = wp.cumsum(wf).get().astype(np.float64)
        ref = np.cumsum(f.astype(np.float64))
        if n > 1 and np.abs(c - ref).max() > 1e-5 * ref[-1] + 1e-6:
            bad.append(f'cumsum f32 {n} error {np.abs(c - ref).max() / ref[-1]:.2e}')
    for shape, ax in (((3, 5000), 1), ((5000, 3), 0), ((7, 300), 1), ((4, 2049), -1)):
        a = rng.integers(-5, 6, shape).astype(np.int32)
        check(f'cumsum {shape} ax {ax}', wp.cumsum(wp.asarray(a), axis=ax).get(),
              np.cumsum(a, axis=ax).astype(np.int32))
    b = (rng.random(5000) * 2).astype(np.float32)
    b[3000] = np.nan
    for op in ('maximum', 'minimum'):
        check(op, getattr(wp, op).accumulate(wp.asarray(b)).get(), getattr(np, op).accumulate(b))
    bb = b > 0.01
    for op in ('logical_and', 'logical_or'):
        check(op, getattr(wp, op).accumulate(wp.asarray(bb)).get(), getattr(np, op).accumulate(bb))
    print('scan_check:', 'all ok' if not bad else 'FAILED ' + ', '.join(bad), flush=True)
    x = wp.asarray(rng.random(1 << 20).astype(np.float32))
    m = x > 0.5
    wp.sync()
    wp.reset_counters()
    wp.cumsum(x).get()
    k1 = wp.counters()['kernels_launched']
    wp.reset_counters()
    x[m].get()
    print(f'launches: cumsum 2^20 {k1}, a[mask] 2^20 {wp.counters()["kernels_launched"]}')


if __name__ == '__main__':
    main()
