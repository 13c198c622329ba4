"""Where a sync point's time goes on a real GPU, natively through the Node + Dawn host: a tiny
op and its 4-byte read, a 1M sum and its read, a read alone, and a STATS frame (the pipes and
the two processes' wake-ups, no GPU), medians of 200 (ms).  Per RUN from the executor's stats:
host (request read to reply written, in Node), and of that run (encode, submit, wait), wait
(error scopes and mapAsync) and submit; wall - host is Python, the engine and the pipes.

    WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/roundtrip_split.py"""
import json
import statistics
import sys
import time

import wgpy as wp
from wgpy import _lib


def stats():
    s = _lib._executor.stats()
    return json.loads(s) if isinstance(s, (str, bytes)) else s


def main():
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    t16 = wp.ones(16, dtype='float32')
    a = wp.sin(wp.arange(1 << 20, dtype='float32'))
    float(a[0])
    ex = _lib._executor
    print('spin_us %s' % getattr(ex, 'spin_us', '(none)'))
    for name, fn in (('tiny op + read', lambda: float((t16 + 1)[0])),
                     ('sum 1M + read', lambda: float(a.sum())),
                     ('read only', lambda: float(a[3])),
                     ('STATS frame', ex.stats)):
        for _ in range(5):
            fn()
        ts = []
        s0 = stats()
        for _ in range(k):
            t0 = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t0)
        s1 = stats()
        runs = max(s1['runs'] - s0['runs'], 1)
        d = lambda key: (s1.get(key, 0) - s0.get(key, 0)) / runs  # noqa: E731
        print('%-15s median %.3f ms  min %.3f | per run: host %.3f, run %.3f, wait %.3f, '
              'submit %.3f (%d runs)' % (name, statistics.median(ts) * 1e3, min(ts) * 1e3,
                                         d('hostMs'), d('runMs'), d('waitMs'), d('submitMs'),
                                         s1['runs'] - s0['runs']), flush=True)


if __name__ == '__main__':
    main()
