"""The Mandelbrot ElementwiseKernel's GPU time per launch (timestamps) against its wall time per
launch, in whichever host runs it (Pyodide on Node, or natively through the Node host):

    WGPY_GPU_TIMING=1 scripts/wgpy --wheel W --backend webgpu run bench/h100/kernel_gpu_time.py
    WGPY_GPU_TIMING=1 WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... python3 bench/h100/kernel_gpu_time.py

Separates a slow kernel from a slow host path when the two hosts' wall times differ."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mandel_kernel_src import SOURCE, PARAMS, grid  # noqa: E402

import wgpy as xp  # noqa: E402


def stats():
    try:
        import _wgpy_webgpu
        s = _wgpy_webgpu.stats()
    except ImportError:
        from wgpy import _lib
        s = _lib._executor.stats()
    s = json.loads(s) if isinstance(s, (str, bytes)) else s
    return s


real, imag = grid(xp)
k = xp.ElementwiseKernel(PARAMS[0], PARAMS[1], SOURCE, 'mandelbrot')
c = k(real, imag)
int(c[0, 0])
for _ in range(3):
    s0 = stats()
    t0 = time.perf_counter()
    for _ in range(50):
        c = k(real, imag)
    t1 = time.perf_counter()
    xp.sync()
    int(c[0, 0])
    t2 = time.perf_counter()
    s1 = stats()
    g = sum((s1.get('gpuMs') or {}).values()) - sum((s0.get('gpuMs') or {}).values())
    print('host %s: wall %.3f ms per launch (issue %.3f), GPU %.3f ms per launch, dispatches %d, '
          'submits %d, pipelines compiled %d'
          % ('pyodide' if sys.platform == 'emscripten' else 'native', (t2 - t0) / 50 * 1e3,
             (t1 - t0) / 50 * 1e3, g / 50, s1.get('dispatches', 0) - s0.get('dispatches', 0),
             s1.get('submits', 0) - s0.get('submits', 0),
             s1.get('pipelinesCompiled', 0) - s0.get('pipelinesCompiled', 0)),
          flush=True)
