"""Where a sync's time goes in the browser worker (issue 15, session 17): bench/peers/sync_probe.mjs
evaluates this in each wgpy worker and calls split(kind, n); one timed call of the workload with
its parts, by performance.now() in the worker (ms):

    eng    the engine's read call (lowering, the stream built), before the executor runs
    call   the executor's run(ptr, n) up to its returned Promise (decoding, encoding, submit);
           webgl2: the whole run (synchronous)
    wait   run_sync on that Promise: JSPI's suspend, the wait for the device, the resume
    total  the whole Python call (float(x.sum()) or the like; kinds sum, chain_sum, add, and
           tiny_fused: 1000 × `x + 1.0` under wp.fuse, read back whole)
plus the executor's own stats over the call (xrunMs, xsubmitMs, xwaitMs, xnudges)."""
import json

import js
import wgpy as wp
from wgpy import _lib

_now = js.performance.now
_T = {}
_IN = {}
_orig = {'eng': _lib._wg_read_engine, 'wait': _lib._wait}


def _eng(c, a, dst, nb):
    t = _now()
    rc = _orig['eng'](c, a, dst, nb)
    _T['eng'] = _T.get('eng', 0.0) + _now() - t
    return rc


def _wait(p):
    t = _now()
    _T['call'] = _T.get('call', 0.0) + t - _T.pop('t_call', t)
    r = _orig['wait'](p)
    _T['wait'] = _T.get('wait', 0.0) + _now() - t
    return r


_ex = _lib._executor
_run0 = _ex.run


def _run(p, n):
    t = _T['t_call'] = _now()
    r = _run0(p, n)
    if getattr(r, 'then', None) is None:  # synchronous (webgl2)
        _T['call'] = _T.get('call', 0.0) + _now() - _T.pop('t_call', t)
    return r


_lib._wg_read_engine = _eng
_lib._wait = _wait


class _Ex:
    """The executor seen by _lib, with run() timed."""
    def __getattr__(self, k):
        return getattr(_ex, k)

    def run(self, p, n):
        return _run(p, n)


_lib._executor = _Ex()


def _input(kind, n):
    key = (kind, n)
    if key not in _IN:
        x = wp.arange(n, dtype='float32') / float(n)
        float(x[0])
        _IN[key] = x
    return _IN[key]


_FUSED = []


def _tiny(x):
    for _ in range(1000):
        x = x + 1.0
    return x


def split(kind, n):
    x = _input(kind, n)
    if kind == 'tiny_fused' and not _FUSED:  # traced (and compiled) before the timed calls
        _FUSED.append(wp.fuse(_tiny))
        _FUSED[0](x).tolist()
    s0 = json.loads(_ex.stats())
    _T.clear()
    t = _now()
    if kind == 'sum':
        float(x.sum())
    elif kind == 'chain_sum':
        float(((x * 1.5 + 2.0) * x - x * 0.5).sum())
    elif kind == 'add':  # a one-op chain read back whole
        (x + 1.0).tolist()
    elif kind == 'tiny_fused':  # 1000 × `x + 1.0` under wp.fuse: one replay call and the read
        _FUSED[0](x).tolist()
    total = _now() - t
    s1 = json.loads(_ex.stats())
    r = {'total': total, 'eng': _T.get('eng', 0.0), 'call': _T.get('call', 0.0), 'wait': _T.get('wait', 0.0)}
    for k in ('runMs', 'submitMs', 'waitMs', 'nudges', 'readMs'):
        if k in s1:
            r['x' + k] = s1[k] - s0.get(k, 0)
    for k, v in s1.items():  # temporary probes in the executor (trace*)
        if k.startswith('trace'):
            r[k] = v - s0.get(k, 0)
    return json.dumps(r)


def host(n=200):
    """The host's pieces alone, µs a call (median of n): a JS call from Python (the executor's
    stats()), run_sync on a resolved Promise (JSPI's suspend and resume), x.sum() recorded (no
    read), wg_read's engine part after it."""
    from pyodide.ffi import run_sync
    x = _input('sum', 16)
    P = js.Promise
    out = {}

    def med(f):
        t = []
        for _ in range(n):
            t0 = _now()
            f()
            t.append(_now() - t0)
        t.sort()
        return round(t[len(t) // 2] * 1e3, 1)
    out['js_call'] = med(lambda: _ex.stats())
    out['js_noop'] = med(lambda: P.resolve(0))
    out['run_sync_resolved'] = med(lambda: run_sync(P.resolve(0)))
    out['record_sum'] = med(lambda: x.sum())
    return json.dumps(out)


def tiny(n=16, ops=1000):
    """Issue 15's tiny row split (session 17, eager17): ops × `z = z + 1` on n float32 recorded
    (record), then the read of one element (read), ms by performance.now() in the worker."""
    x = _input('sum', n)
    t0 = _now()
    z = x
    for _ in range(ops):
        z = z + 1
    t1 = _now()
    float(z[3])
    t2 = _now()
    return json.dumps({'record': t1 - t0, 'read': t2 - t1, 'total': t2 - t0})
