"""Where a sync point's time goes on a real GPU, natively through the Node + Dawn host: a tiny
op and its 4-byte read, a 1M sum and its read (medians of 200, ms), split by the executor's
stats into its run (encode, submit, wait) and, of that, the wait for the device (error scopes
and mapAsync); the rest is Python, the engine and the transport.

    WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/roundtrip_split.py"""
import json
import statistics
import time

import wgpy as wp
from wgpy import _lib


def stats():
    s = _lib._executor.stats()
    return json.loads(s) if isinstance(s, (str, bytes)) else s


def main():
    t16 = wp.ones(16, dtype='float32')
    a = wp.sin(wp.arange(1 << 20, dtype='float32'))
    float(a[0])
    for name, fn in (('tiny op + read', lambda: float((t16 + 1)[0])),
                     ('sum 1M + read', lambda: float(a.sum())),
                     ('read only', lambda: float(a[3]))):
        for _ in range(5):
            fn()
        ts = []
        s0 = stats()
        for _ in range(200):
            t0 = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t0)
        s1 = stats()
        runs = max(s1['runs'] - s0['runs'], 1)
        print('%-16s median %.3f ms  min %.3f  | executor per run: run %.3f ms, wait %.3f, submit %.3f (%d runs)' % (
            name, statistics.median(ts) * 1e3, min(ts) * 1e3, (s1['runMs'] - s0['runMs']) / runs,
            (s1['waitMs'] - s0['waitMs']) / runs, (s1['submitMs'] - s0['submitMs']) / runs, runs), flush=True)


if __name__ == '__main__':
    main()
