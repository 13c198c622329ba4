"""Scans and masks on wgpy's backends in Pyodide (no numpy needed): cumsum, a[mask] and nonzero of
n float32, each ending in one read, best of k.

    scripts/wgpy --backend webgpu run bench/scan_backends.py [N]   # Dawn in Node (SwiftShader here)
    scripts/wgpy --backend cpu run bench/scan_backends.py [N]      # the wasm cpu executor
"""
import sys

import wgpy as wp
from _timing import best  # bench/_timing.py


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 20
    x = (wp.arange(n, dtype='float32') * 0.6180339887) % 1.0
    m = x > 0.5
    rows = (('cumsum', lambda: float(wp.cumsum(x)[-1])),
            ('a[mask]', lambda: float(x[m][-1])),
            ('nonzero', lambda: int(wp.nonzero(m)[0][-1])))
    print(f'wgpy {wp.get_backend_name()} (Pyodide {sys.platform}), n = {n}')
    for name, fn in rows:
        fn()  # compile, fill the pool
        print(f'{name:8s} {best(fn, 3) * 1e3:9.1f} ms', flush=True)


if __name__ == '__main__':
    main()
