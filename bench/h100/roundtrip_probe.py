"""The host's fixed costs of a sync point on the webgpu backend: a 4-byte read with nothing
pending, a read after one small kernel, and an empty wp.sync() (each the mean of 200; ms).
    scripts/wgpy --backend webgpu run bench/h100/roundtrip_probe.py"""
import json
import time

import _wgpy_webgpu
import wgpy as wp

x = wp.arange(1024, dtype='float32')
float(x[0])
y = x + 1.0
float(y[0])


def mean_ms(f, n=200):
    f()
    t0 = time.perf_counter()
    for _ in range(n):
        f()
    return (time.perf_counter() - t0) / n * 1e3


s0 = json.loads(_wgpy_webgpu.stats())
print('read, nothing pending:   %.3f ms' % mean_ms(lambda: float(x[3])))
print('one kernel, then read:   %.3f ms' % mean_ms(lambda: float((x * 2.0)[3])))
print('small sum, then read:    %.3f ms' % mean_ms(lambda: float(x.sum())))
print('wp.sync(), nothing:      %.3f ms' % mean_ms(wp.sync))
s1 = json.loads(_wgpy_webgpu.stats())
runs = s1['runs'] - s0['runs']
print('executor: %d runs, %.3f ms each, of which %.3f ms awaiting the device (error scopes, '
      'mapAsync)' % (runs, (s1['runMs'] - s0['runMs']) / runs, (s1['waitMs'] - s0['waitMs']) / runs))
