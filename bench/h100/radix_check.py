"""The radix sort's float32 keys on a device (issue 10; docs/sorting.md "Keys alone"): sort and
stable argsort of random bit patterns (NaNs of both signs with payloads, subnormals, -0.0, +-inf
all occur) and of data with many ties, against NumPy.

    WGPY_BACKEND=webgpu [WGPY_RADIX_KEYS_ONLY=0|1] python3 bench/h100/radix_check.py [n ...]

sort: the values in NumPy's order (NaN equal to NaN, -0.0 to 0.0) and, bit for bit, a permutation
of the input (keys alone stores the values from the keys: NaN payloads must survive);
argsort: index for index NumPy's stable argsort.  Prints one line per case, 'ok' or 'WRONG'."""
import sys

import numpy as np
import wgpy as wp
from wgpy import _sort


def cases(n):
    rng = np.random.default_rng(n)
    bits = rng.integers(0, 2 ** 32, n, dtype=np.uint64).astype(np.uint32)
    yield 'bits', bits.view(np.float32).copy()
    t = rng.integers(-50, 50, n).astype(np.float32) * np.float32(0.25)
    t[::97] = -0.0
    t[::101] = np.float32('nan')
    t[5::103] = np.uint32(0xffc01234).view(np.float32)
    t[7::107] = np.float32(1e-41)
    yield 'ties', t


def main():
    sizes = [int(s) for s in sys.argv[1:]] or [1 << 20, 1 << 24]
    _sort._set_sort_path('radix')
    for n in sizes:
        for name, x in cases(n):
            xw = wp.asarray(x)
            s = wp.asnumpy(wp.sort(xw))
            e = np.sort(x)
            order = np.array_equal(s, e, equal_nan=True)
            perm = np.array_equal(np.sort(s.view(np.uint32)), np.sort(x.view(np.uint32)))
            a = wp.asnumpy(wp.argsort(xw))
            stable = np.array_equal(a, np.argsort(x, kind='stable'))
            bad = [] if order else ['order']
            bad += [] if perm else ['bits']
            bad += [] if stable else ['argsort']
            print('%-9d %-5s nan %6d  sort %s  argsort %s%s' % (
                n, name, int(np.isnan(x).sum()), 'ok' if order and perm else 'WRONG',
                'ok' if stable else 'WRONG', ('  (' + ', '.join(bad) + ')') if bad else ''))
            sys.stdout.flush()
    _sort._set_sort_path('auto')


if __name__ == '__main__':
    main()
