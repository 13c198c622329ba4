"""Where a scan's time goes on the H100 (webgpu over Dawn): per-operation times (differential
rounds, as scan_bench.py) of an elementwise op and of cumsum at several sizes, with the launches
per operation.   scripts/wgpy --wheel W --backend webgpu run bench/h100/scan_probe.py"""
import sys
sys.path.insert(0, 'bench/h100')
import wgpy as wp
from scan_bench import per_op_wgpy

for n in (1 << 20, 1 << 22, 1 << 24):
    x = (wp.arange(n, dtype='float32') * 0.6180339887) % 1.0
    m = x > 0.5
    for label, make in (('x+1', lambda: x + 1.0), ('cumsum', lambda: wp.cumsum(x)),
                        ('cumsum_bool', lambda: wp.cumsum(m, dtype='int32')),
                        ('sum', lambda: x.sum())):
        c0 = wp.counters()['kernels_launched']
        make().ravel()[0].item() if False else float(make().ravel()[-1])
        c1 = wp.counters()['kernels_launched']
        t = per_op_wgpy(wp, make, k=6, reps=3)
        print(f'n={n:9d} {label:12s} {t * 1e3:8.3f} ms  launches {c1 - c0}', flush=True)
