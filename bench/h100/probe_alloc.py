"""Does keeping results alive (new buffers from the backend each call) cost host time on a real
GPU?  k calls kept alive then one sync, against k calls each followed by a sync with the result
dropped after it (the pool reuses one buffer), natively through the Node + Dawn host.

    WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/probe_alloc.py"""
import time

import wgpy as xp


def main():
    a = xp.sin(xp.arange(1 << 20, dtype='float32') * 0.37)
    idx = ((xp.arange(1 << 20, dtype='int32') * 7919) % (1 << 20)).astype('int32')
    x = xp.sin(xp.arange(16 << 20, dtype='float32') * 0.001)
    float(a[0]); float(idx[0]); float(x[0])
    for name, fn in (('take wrap 1M', lambda: xp.take(a, idx, mode='wrap')),
                     ('a + 1 (1M)', lambda: a + 1),
                     ('x + 1 (16M)', lambda: x + 1),
                     ('cumsum 16M', lambda: xp.cumsum(x))):
        for k in (10, 40):
            for mode in ('alive', 'sync each'):
                best = None
                for _ in range(3):
                    t0 = time.perf_counter()
                    if mode == 'alive':
                        res = [fn() for _ in range(k)]
                        t1 = time.perf_counter()
                        xp.sync()
                        del res
                    else:
                        t1 = 0
                        for _ in range(k):
                            r = fn()
                            xp.sync()
                            del r
                    t = (time.perf_counter() - t0) / k
                    best = (t, (t1 - t0) / k if t1 else 0) if best is None or t < best[0] else best
                print('%-14s k=%-3d %-9s %8.3f ms per call (issue %.3f)' % (name, k, mode, best[0] * 1e3,
                                                                           best[1] * 1e3), flush=True)
    print(xp.memory_pool_stats())


if __name__ == '__main__':
    main()
