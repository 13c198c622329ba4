"""Scans and masks: launches and bytes per operation (deterministic: they predict a GPU's time,
where SwiftShader's or the cpu executor's wall time does not), then the wall time (best of k).

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/scan_passes.py [N]
    scripts/wgpy --backend webgpu run bench/scan_passes.py [N]     # Dawn in Node (SwiftShader)

--path tiles / segments forces the scan's kernels (docs/scans.md "The tile scan"; default auto).

No numpy needed (runs in Pyodide).  Counters: wgpy.counters() deltas over one operation ending
in a one-element read: the kernels launched, the bytes of their non-raw operands (the engine's
bytes_read / bytes_written count a kernel's points times its point inputs' and outputs' sizes; a
raw operand's gathers are not counted: docs/scans.md models the scan's bytes) and the host reads
of a data-dependent size."""
import sys

import wgpy as wp
from _timing import best  # bench/_timing.py


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    for a in sys.argv[1:]:
        if a.startswith('--path='):
            wp._scan._set_scan_path(a.split('=', 1)[1])
    n = int(args[0]) if args else 1 << 20
    x = (wp.arange(n, dtype='float32') * 0.6180339887) % 1.0
    m = x > 0.5
    float(x[-1]), bool(m[-1])
    rows = (('cumsum', lambda: float(wp.cumsum(x)[-1])),
            ('a[mask]', lambda: float(x[m][-1])),
            ('nonzero', lambda: int(wp.nonzero(m)[0][-1])))
    path = wp._scan._set_scan_path('auto')
    wp._scan._set_scan_path(path)
    print(f'wgpy {wp.get_backend_name()} ({sys.platform}), n = {n} float32, scan path {path}')
    for name, fn in rows:
        fn()  # compile, fill the pool
        c0 = wp.counters()
        fn()
        c1 = wp.counters()
        d = {k: c1[k] - c0[k] for k in ('kernels_launched', 'bytes_read', 'bytes_written',
                                        'host_syncs_for_size')}
        t = best(fn, 3)
        print(f"{name:8s} {t * 1e3:9.1f} ms  launches {d['kernels_launched']:3d}  "
              f"non-raw read {d['bytes_read'] / 2**20:7.1f} MiB, written {d['bytes_written'] / 2**20:7.1f} MiB  "
              f"size reads {d['host_syncs_for_size']}", flush=True)


if __name__ == '__main__':
    main()
