"""Where a round of k operations spends its time on the webgpu backend: issuing (Python), wp.sync
(the engine records the stream, the executor encodes and submits), and the read (the GPU runs,
then one 4-byte readback).  A diagnostic for wgpy_bench.py's per-op figures.

    WGPY_GPU_TIMING=1 scripts/wgpy --backend webgpu run bench/h100/overhead.py [small]"""
import json
import sys
import time

import wgpy as wp
import _wgpy_webgpu

small = len(sys.argv) > 1
n = (1 << 20) if small else (64 << 20)
m = 256 if small else 4096
x, y = wp.ones(n, dtype="float32"), wp.ones(n, dtype="float32")
a = wp.ones((m, m), dtype="float32")
float(x[0]), float(y[0]), float(a[0, 0])


def stats():
    s = json.loads(_wgpy_webgpu.stats())
    return s, sum(s.get("gpuMs", {}).values())


for name, make in [("add", lambda: x + y), ("sum", lambda: x.sum()), ("matmul", lambda: a @ a)]:
    for k in (1, 10, 10):
        s0, g0 = stats()
        t0 = time.perf_counter()
        res = [make() for _ in range(k)]
        t1 = time.perf_counter()
        wp.sync()
        t2 = time.perf_counter()
        float(res[-1].ravel()[0])
        t3 = time.perf_counter()
        s1, g1 = stats()
        print("%-6s k=%-2d issue %7.2f ms  sync %7.2f ms  read %7.2f ms  executor %7.2f ms  GPU %7.2f ms  runs %d dispatches %d"
              % (name, k, (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3, s1["runMs"] - s0["runMs"], g1 - g0,
                 s1["runs"] - s0["runs"], s1["dispatches"] - s0["dispatches"]), flush=True)
        del res
print(wp.memory_pool_stats())
