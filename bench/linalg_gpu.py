"""numpy.linalg's workloads on a GPU backend (no numpy needed: runs in Pyodide), or on CuPy.

    scripts/wgpy --wheel W --backend webgpu run bench/linalg_gpu.py     # wgpy over Dawn
    python3 bench/linalg_gpu.py --cupy                                  # CuPy (cuSOLVER)

The workloads of bench/linalg.py (and --large's 1024^2 ones), each timed as the call and one read
of one element, median of 3 after a warm-up.  Prints one line per workload.
"""
import sys
import time

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


def first(r):
    r = r[0] if isinstance(r, tuple) else r
    return float(r.ravel()[0])


work = []
for n in (256, 1024):
    a = mat(n)
    b = xp.ones((n,), dtype='float32')
    work.append(('solve %d^2' % n, lambda a=a, b=b: first(xp.linalg.solve(a, b))))
    work.append(('inv %d^2' % n, lambda a=a: first(xp.linalg.inv(a))))
    work.append(('cholesky %d^2' % n, lambda a=mat(n, spd=True): first(xp.linalg.cholesky(a))))
s = mat(128) - 128 * xp.eye(128, dtype='float32')
work.append(('svd 128^2', lambda: first(xp.linalg.svd(s))))
bi = mat(32, (64,))
work.append(('inv 64 x 32^2', lambda: first(xp.linalg.inv(bi))))
for label, fn in work:
    print('%-14s %-12s %10.4f s' % (name, label, timed(fn)), flush=True)
