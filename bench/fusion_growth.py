"""An in-place update that composes into a pending write every step (docs/benchmarks.md, "webgl2
matmul and the MLP step"): prints the kernel-cache misses per step, which should fall to 0 once
the step's kernels repeat.  On main at cc6e23f they stay at 2 (each step's kernels carry one more
gradient term: WGPY_DUMP_IR=1), until the fused DAG grows too big and is cut.

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/fusion_growth.py
"""
import wgpy
import cupy as wp

X = wp.arange(6 * 20, dtype='float32').reshape(6, 20) / 1e3
w1 = wp.arange(20 * 8, dtype='float32').reshape(20, 8) / 1e3
w2 = wp.arange(8 * 4, dtype='float32').reshape(8, 4) / 1e3
b1 = wp.zeros(8, dtype='float32')
for i in range(6):
    wgpy.reset_counters()
    z1 = X @ w1 + b1
    h1 = wp.maximum(z1, 0.0)
    z2 = h1 @ w2
    loss = z2.sum()
    g1 = (z2 @ w2.T) * (z1 > 0)
    b1 -= 0.01 * g1.sum(axis=0)
    float(loss)  # read after the update, as an MLP step returns its loss
    c = wgpy.counters()
    print('step %d: kernel cache misses %d, kernels %d' % (i, c['kernel_cache_misses'], c['kernels_launched']))
