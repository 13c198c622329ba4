"""The radix sort of integer dtypes on a device against NumPy (session 14): sort and stable argsort
of int32 / int16 / uint8 / uint32 with ties and extremes, and a batch of rows.

    WGPY_BACKEND=webgpu python3 bench/h100/sort14_ints.py [n]"""
import sys

import numpy as np
import wgpy as wp
from wgpy import _sort


def main(n):
    _sort._set_sort_path('radix')
    rng = np.random.default_rng(n)
    for dt in ('int32', 'int16', 'uint8', 'uint32'):
        info = np.iinfo(dt)
        x = rng.integers(info.min, info.max, n, endpoint=True).astype(dt)
        x[::7] = 3
        x[1::11] = info.min
        x[2::13] = info.max
        xw = wp.asarray(x)
        s = np.array_equal(wp.asnumpy(wp.sort(xw)), np.sort(x))
        a = np.array_equal(wp.asnumpy(wp.argsort(xw)), np.argsort(x, kind='stable'))
        print('%-7s %d sort %s argsort %s' % (dt, n, 'ok' if s else 'WRONG', 'ok' if a else 'WRONG'))
    x = rng.standard_normal((5, n // 5)).astype(np.float32)
    x[:, ::9] = 0.5
    a = np.array_equal(wp.asnumpy(wp.argsort(wp.asarray(x), axis=1)), np.argsort(x, axis=1, kind='stable'))
    s = np.array_equal(wp.asnumpy(wp.sort(wp.asarray(x), axis=0)), np.sort(x, axis=0))
    print('batch   5 x %d argsort(axis=1) %s sort(axis=0) %s' % (n // 5, 'ok' if a else 'WRONG', 'ok' if s else 'WRONG'))
    _sort._set_sort_path('auto')


if __name__ == '__main__':
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 20)
