"""numpy.linalg's workloads on a GPU backend (no numpy needed: runs in Pyodide), or on CuPy.

    scripts/wgpy --wheel W --backend webgpu run bench/linalg_gpu.py     # wgpy over Dawn
    python3 bench/linalg_gpu.py --cupy                                  # CuPy (cuSOLVER)
    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/linalg_gpu.py --small

The workloads of bench/linalg.py (and --large's 1024^2 ones), each timed as the call and one read
of one element, median of 3 after a warm-up.  Prints one line per workload; for wgpy with the
kernels launched by one call, and (unless --blocked-only) the same workload on the per-column
gathers (wgpy.linalg._set_linalg_path('gathers'), webgl2's path: the engine before the blocked
factorizations) in the same run, with the ratio gathers time / blocked time.  --small: 256^2
(cholesky 256^2 too) and the batched inverse, the sizes SwiftShader and the cpu interpreter
finish in minutes; the default adds 1024^2 and cholesky 2048^2 (issue 11's sizes).
"""
import sys
import time

small = '--small' in sys.argv
if '--cupy' in sys.argv:
    import cupy as xp
    name = 'cupy'
else:
    import wgpy as xp
    name = 'wgpy ' + xp.config.backend


def mat(n, batch=(), spd=False):
    k = xp.arange(n * n * (batch[0] if batch else 1), dtype='float32')
    a = xp.sin(k * 0.7 + 0.3).reshape(batch + (n, n))
    if spd:
        return xp.matmul(a, xp.swapaxes(a, -1, -2)) + n * xp.eye(n, dtype='float32')
    return a + n * xp.eye(n, dtype='float32')


def timed(fn):
    fn()
    ts = []
    for _ in range(3):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return sorted(ts)[1]


def launches(fn):
    if name == 'cupy':
        return ''
    xp.reset_counters()
    fn()
    return '%6d launches' % xp.counters()['kernels_launched']


def first(r):
    r = r[0] if isinstance(r, tuple) else r
    return float(r.ravel()[0])


work = []
for n in (256,) if small else (256, 1024):
    a = mat(n)
    b = xp.ones((n,), dtype='float32')
    work.append(('solve %d^2' % n, lambda a=a, b=b: first(xp.linalg.solve(a, b))))
    work.append(('inv %d^2' % n, lambda a=a: first(xp.linalg.inv(a))))
for n in (256,) if small else (256, 2048):
    work.append(('cholesky %d^2' % n, lambda a=mat(n, spd=True): first(xp.linalg.cholesky(a))))
if not small:
    s = mat(128) - 128 * xp.eye(128, dtype='float32')
    work.append(('svd 128^2', lambda: first(xp.linalg.svd(s))))
bi = mat(32, (64,))
work.append(('inv 64 x 32^2', lambda: first(xp.linalg.inv(bi))))
ab = name != 'cupy' and '--blocked-only' not in sys.argv
for label, fn in work:
    t = timed(fn)
    line = '%-14s %-16s %10.4f s %s' % (name, label, t, launches(fn))
    if ab and not label.startswith('svd'):
        old = xp.linalg._set_linalg_path('gathers')
        tg = timed(fn)
        line += ' | gathers %10.4f s %s | gathers/blocked %6.1f' % (tg, launches(fn), tg / t)
        xp.linalg._set_linalg_path(old)
    print(line, flush=True)
