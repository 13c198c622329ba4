"""s15_wgsl15.py — GPU ms a call of the kernels the WGSL generator's range facts change (docs/kernels.md,
"Range facts"), for bench/h100/s15_wgsl15.sh: one line per workload, `name GPU ms  bits <hash>`,
the GPU time the least of 5 rounds of 10 calls (WebGPU timestamps, WGPY_GPU_TIMING=1), the hash
of the result's first 4096 elements (old and new libraries must agree bit for bit).

    WGPY_GPU_TIMING=1 WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/s15_wgsl15.py N [ONLY]
"""
import hashlib
import json
import sys

import wgpy as wp
from wgpy import _lib


def gpu_ms():
    s = _lib._executor.stats()
    s = json.loads(s) if isinstance(s, (str, bytes)) else s
    return sum((s.get('gpuMs') or {}).values())


def bits(a):
    v = a.ravel()[:4096]
    if 'complex' in str(v.dtype):
        v = wp.concatenate([v.real, v.imag])
    return hashlib.sha1(repr(v.tolist()).encode()).hexdigest()[:10]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16 << 20
    only = sys.argv[2].split(',') if len(sys.argv) > 2 else None
    k, rounds = 10, 5
    x = wp.sin(wp.arange(n, dtype='float32') * 0.001)
    c = wp.sin(wp.arange(max(n // 16, 1024), dtype='float32') * 0.01).astype('complex64')
    m = 1024 if n >= 1 << 20 else 64
    a = wp.random.RandomState(1).standard_normal((m, m), dtype='float32') + m * wp.eye(m, dtype='float32')
    b = wp.ones((m, 1), dtype='float32')
    rs = wp.random.RandomState(0)
    def workgroup_form(fn):  # docs/random.md: GPU adapters' default, forced (CPU adapters: block)
        def f():
            wp.random._set_random_path('workgroup')
            try:
                return fn()
            finally:
                wp.random._set_random_path('auto')
        return f
    wl = [('normal', lambda: rs.standard_normal(n, dtype='float32')),
          ('normalwg', workgroup_form(lambda: rs.standard_normal(n, dtype='float32'))),
          ('uniform', lambda: rs.random_sample(n, dtype='float32')),
          ('cumsum', lambda: wp.cumsum(x)),
          ('sort', lambda: wp.sort(x)),
          ('fft', lambda: wp.fft.fft(c)),
          ('solve', lambda: wp.linalg.solve(a, b)),
          ('mask', lambda: x[x > 0.5]),
          ('add', lambda: x + 1.0),
          ('sum', lambda: x.sum())]
    float(x[0])
    for name, fn in wl:
        if only and name not in only:
            continue
        try:
            rs.seed(0)
            first = fn()
            h = bits(first)
            del first
            ts = []
            for _ in range(rounds):
                g0 = gpu_ms()
                res = [fn() for _ in range(k)]
                wp.sync()
                ts.append((gpu_ms() - g0) / k)
                del res
            print('%-8s GPU %8.4f ms  bits %s' % (name, min(ts), h), flush=True)
        except Exception as e:  # one workload's failure does not hide the others
            print('%-8s error %s' % (name, str(e).splitlines()[0][:80]), flush=True)


if __name__ == '__main__':
    main()
