"""Accuracy of wgpy's float32 normals (docs/random.md, "Session 16"): N standard normals of a
Generator against the Box-Muller of the same Philox words computed by numpy in double (the raw
words of a second Generator of the same seed and call: the lane layout makes block j the same in
both), with u1 rounded to float32 as the kernels round it, so what is measured is the kernels'
log, sqrt, sine and cosine.  Prints the error in ulps of the float32 result (mean, max, the share
above 1 ulp) and the largest absolute error.

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/random_accuracy.py [N]
    (WGPY_BACKEND=webgpu / webgl2 for the GPU backends)
"""
import sys

import numpy as np

import wgpy as wp


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 22
    n -= n % 4
    raw = np.asarray(wp.asnumpy(wp.random.default_rng(11).bit_generator.random_raw(n)), dtype=np.uint64)
    z = wp.asnumpy(wp.random.default_rng(11).standard_normal(n, dtype='float32')).astype(np.float64)
    r = raw.reshape(-1, 4)
    out = []
    for a, b in ((0, 1), (2, 3)):
        u1 = (((r[:, a] >> 8).astype(np.float32) + np.float32(0.5)) * np.float32(2.0 ** -24)).astype(np.float64)
        t = 2 * np.pi * (r[:, b] >> 8).astype(np.float64) * 2.0 ** -24
        rad = np.sqrt(-2 * np.log(u1))
        out += [rad * np.cos(t), rad * np.sin(t)]
    ref = np.stack(out, 1).ravel()
    err = np.abs(z - ref)
    ulps = err / np.spacing(np.abs(ref).astype(np.float32)).astype(np.float64)
    print('%d normals: error mean %.3f ulp, max %.2f ulp, %.2f%% above 1 ulp; max absolute %.3g'
          % (n, ulps.mean(), ulps.max(), 100 * (ulps > 1).mean(), err.max()))


if __name__ == '__main__':
    main()
