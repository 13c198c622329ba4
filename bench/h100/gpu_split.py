"""Host time against GPU time per call for the workloads whose H100 ratios are far from CuPy's
(issues 10 and 11): k calls in a row, then one sync and one read.  Natively through the Node +
Dawn host with GPU timestamps:

    WGPY_GPU_TIMING=1 WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/gpu_split.py [K [ONLY [N]]]

(K calls per round, default 20; ONLY: run the workloads whose name has that substring; N: the
16M workloads' size, for a quick try on SwiftShader.)

Per call: `issue` (Python and the engine recording), `sync` (the stream sent, encoded, submitted
and waited for), `GPU` (the sum of the dispatches' timestamps) and the dispatches.  When GPU is
close to issue + sync the kernels are the cost; when it is far below, the host is."""
import json
import sys
import time

import wgpy as wp
from wgpy import _lib


def gpu_ms():
    s = _lib._executor.stats()
    s = json.loads(s) if isinstance(s, (str, bytes)) else s
    return sum((s.get('gpuMs') or {}).values()), s.get('dispatches', 0)


def main():
    k = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    only = sys.argv[2] if len(sys.argv) > 2 else ''
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 16 << 20
    x = wp.sin(wp.arange(n, dtype='float32') * 0.001)
    c = wp.sin(wp.arange(1 << 20, dtype='float32') * 0.01).astype('complex64')
    r = wp.sin(wp.arange(1 << 22, dtype='float32') * 0.01)
    mask = x > 0.5
    rs = wp.random.RandomState(0)
    wl = [('random normal 16M', lambda: rs.standard_normal(n, dtype='float32')),
          ('random uniform 16M', lambda: rs.random_sample(n)),
          ('random integers 16M', lambda: rs.randint(0, 1000, n, dtype='int32')),
          ('fft 2^20 complex64', lambda: wp.fft.fft(c)),
          ('rfft 2^22 float32', lambda: wp.fft.rfft(r)),
          ('cumsum 16M', lambda: wp.cumsum(x)),
          ('x[mask] 16M', lambda: x[mask]),
          ('argsort 16M', lambda: wp.argsort(x)),
          ('sort 16M', lambda: wp.sort(x)),
          ('x + 1, 16 elements', lambda: x[:16] + 1)]
    float(x[0])
    for name, fn in wl:
        if only not in name:
            continue
        fn()
        wp.sync()
        for _ in range(2):
            g0, d0 = gpu_ms()
            t0 = time.perf_counter()
            res = [fn() for _ in range(k)]
            t1 = time.perf_counter()
            wp.sync()
            t2 = time.perf_counter()
            float(res[-1].ravel()[0].real if 'complex' in str(res[-1].dtype) else res[-1].ravel()[0])
            g1, d1 = gpu_ms()
            del res
        print('%-20s per call: issue %7.3f ms  sync %7.3f ms  GPU %7.3f ms  dispatches %5.1f'
              % (name, (t1 - t0) * 1e3 / k, (t2 - t1) * 1e3 / k, (g1 - g0) / k, (d1 - d0) / k), flush=True)


if __name__ == '__main__':
    main()
