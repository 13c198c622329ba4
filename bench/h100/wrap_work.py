"""wrap_work.py — GPU ms a call (timestamps, WGPY_GPU_TIMING=1) of workloads whose kernels come
from the engine's WGSL generator, for bench/h100/wrap_probe.sh (the safety wrappers' cost).
    WGPY_GPU_TIMING=1 WGPY_BACKEND=webgpu ... python3 bench/h100/wrap_work.py [N]"""
import json
import sys

import wgpy as wp
from wgpy import _lib


def gpu():
    s = _lib._executor.stats()
    s = json.loads(s) if isinstance(s, (str, bytes)) else s
    return sum((s.get('gpuMs') or {}).values())


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16 << 20
    k = 10
    x = wp.sin(wp.arange(n, dtype='float32') * 0.001)
    c = wp.sin(wp.arange(n // 16, dtype='float32') * 0.01).astype('complex64')
    r = wp.sin(wp.arange(n // 4, dtype='float32') * 0.01)
    m = 1024 if n >= 1 << 20 else 64
    a = wp.random.RandomState(1).standard_normal((m, m), dtype='float32') + m * wp.eye(m, dtype='float32')
    b = wp.ones((m, 1), dtype='float32')
    rs = wp.random.RandomState(0)
    wl = [('normal', lambda: rs.standard_normal(n, dtype='float32')),
          ('uniform', lambda: rs.random_sample(n, dtype='float32')),
          ('fft', lambda: wp.fft.fft(c)), ('rfft', lambda: wp.fft.rfft(r)),
          ('sort', lambda: wp.sort(x)), ('argsort', lambda: wp.argsort(x)),
          ('cumsum', lambda: wp.cumsum(x)), ('mask', lambda: x[x > 0.5]),
          ('add', lambda: x + 1.0), ('sum', lambda: x.sum()), ('solve', lambda: wp.linalg.solve(a, b))]
    out = []
    for name, fn in wl:
        ok = ''
        try:
            res = fn()
            wp.sync()
            float(res.ravel()[0].real if 'complex' in str(res.dtype) else res.ravel()[0])
            g0 = gpu()
            res = [fn() for _ in range(k)]
            wp.sync()
            g = (gpu() - g0) / k
            if name == 'sort':
                v = res[-1][::max(1, n // 4096)].tolist()
                ok = ' sorted' if all(p <= q for p, q in zip(v, v[1:])) else ' NOT SORTED'
            out.append('%s %.4f%s' % (name, g, ok))
        except Exception as e:  # a patch that breaks a kernel says so and the rest still run
            out.append('%s error %s' % (name, str(e).splitlines()[0][:60]))
    print('  '.join(out), flush=True)


if __name__ == '__main__':
    main()
