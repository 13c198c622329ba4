"""A 1M-element gather (issue 10): `a[idx]` with random int32 idx into 1M float32, wgpy natively
against numpy in the same run; also `a[idx] = v` (scatter), `wgpy.take(..., mode='wrap')` (no
bounds read) and `wgpy.add.at`.  Each is timed with the read of one element that forces it
(the engine's lazy work runs there), median of REPS after a warm-up.

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/gather.py [N]
"""
import sys
import time

import numpy as np

import wgpy as wp

REPS = 7


def median(fn):
    fn()
    ts = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 20
    rng = np.random.default_rng(0)
    a = rng.random(n, dtype=np.float32)
    idx = rng.integers(0, n, n).astype(np.int32)
    v = rng.random(n, dtype=np.float32)
    wa, widx, wv = wp.asarray(a), wp.asarray(idx), wp.asarray(v)
    wa.sum().item()
    rows = []

    def row(name, np_fn, wp_fn):
        tn, tw = median(np_fn), median(wp_fn)
        rows.append((name, tn, tw))

    row('a[idx] (gather)', lambda: a[idx][0], lambda: float(wa[widx][0]))
    row('take(a, idx, mode=wrap)', lambda: np.take(a, idx, mode='wrap')[0],
        lambda: float(wp.take(wa, widx, mode='wrap')[0]))
    b, wb = a.copy(), wa.copy()

    def np_set():
        b[idx] = v
        return b[0]

    def wp_set():
        wb[widx] = wv
        return float(wb[0])
    row('a[idx] = v (scatter)', np_set, wp_set)

    def np_at():
        np.add.at(b, idx, 1.0)
        return b[0]

    def wp_at():
        wp.add.at(wb, widx, 1.0)
        return float(wb[0])
    row('add.at(a, idx, 1)', np_at, wp_at)
    assert np.array_equal(wp.asnumpy(wa[widx]), a[idx])
    print('%d float32 elements, %d random int32 indices; backend %s' % (n, n,
                                                                         wp.get_backend_name()))
    print('%-26s %10s %10s %8s' % ('workload', 'numpy ms', 'wgpy ms', 'ratio'))
    for name, tn, tw in rows:
        print('%-26s %10.2f %10.2f %8.2f' % (name, tn * 1e3, tw * 1e3, tn / tw))
    print('(ratio = numpy time / wgpy time: above 1, wgpy is faster)')


if __name__ == '__main__':
    main()
