"""s16_rng16.py — GPU ms a call of the lane random kernels at N (default 16M) through the library,
for bench/h100/s16_rng16.sh: one line per workload, `name GPU ms  bits <hash>`, the GPU time the
least of 5 rounds of 10 calls (WebGPU timestamps, WGPY_GPU_TIMING=1), the hash of the first 4096
values (uniform and randint: the same bits in main's library and this branch's; normal: this
branch's Box-Muller changes the last bits, docs/random.md "Session 16").

    WGPY_GPU_TIMING=1 WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/s16_rng16.py N
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


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16 << 20
    k, rounds = 10, 5
    rs = wp.random.RandomState(0)
    g = wp.random.default_rng(0)
    wl = [('normal', lambda: rs.standard_normal(n, dtype='float32')),
          ('uniform', lambda: rs.random_sample(n, dtype='float32')),
          ('randint', lambda: rs.randint(0, 1000, size=n, dtype='int32')),
          ('gen_normal', lambda: g.standard_normal(n, dtype='float32'))]
    for name, fn in wl:
        try:
            rs.seed(0)
            first = fn()
            h = hashlib.sha1(repr(first[:4096].tolist()).encode()).hexdigest()[:10]
            del first
            ts = []
            for _ in range(rounds):
                g0 = gpu_ms()
                res = [fn() for _ in range(k)]
                wp.sync()
                ts.append((gpu_ms() - g0) / k)
                del res
            print('%-10s GPU %8.4f ms  bits %s' % (name, min(ts), h), flush=True)
        except Exception as e:  # one workload's failure does not hide the others
            print('%-10s error %s' % (name, str(e).splitlines()[0][:80]), flush=True)


if __name__ == '__main__':
    main()
