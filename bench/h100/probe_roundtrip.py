import time, json, sys
import wgpy as xp
from wgpy import _lib
n = 16 << 20
x = xp.sin(xp.arange(n, dtype='float32') * 0.001)
mask = x > 0.5
a = xp.sin(xp.arange(1 << 20, dtype='float32') * 0.37)
idx = ((xp.arange(1 << 20, dtype='int32') * 7919) % (1 << 20)).astype('int32')
t16 = xp.ones(16, dtype='float32')
float(x[0]); float(a[0]); float(idx[0])
def per(name, fn, k=20):
    fn()
    ts = []
    for _ in range(k):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    ts.sort()
    print('%-34s median %8.3f ms  min %8.3f' % (name, ts[k//2]*1e3, ts[0]*1e3), flush=True)
per('tiny add + read', lambda: float((t16 + 1)[0]))
per('sum of a (1M) read', lambda: float(a.sum()))
per('idx.min() read', lambda: int(idx.min()))
per('a[idx][0] read', lambda: float(a[idx][0]))
per('take wrap read', lambda: float(xp.take(a, idx, mode='wrap')[0]))
per('mask.sum() read', lambda: int(mask.sum()))
per('x[mask][0] read', lambda: float(x[mask][0]))
per('cumsum(x)[0] read', lambda: float(xp.cumsum(x)[0]))
per('x+1 (16M) [0] read', lambda: float((x + 1)[0]))
per('sync only after x+1 16M', lambda: ((x + 1), xp.sync()))
s = _lib._executor.stats(); s = json.loads(s) if isinstance(s, (str, bytes)) else s
print({k: v for k, v in s.items() if k not in ('gpuKernels',)})
