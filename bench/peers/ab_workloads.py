"""Timed workloads for bench/peers/ab_options.mjs: each t_* function runs one operation and the read
of its result in a wgpy worker and returns its milliseconds (inputs are made and materialized on
first use, not timed)."""
import time

import wgpy as wp

_IN = {}


def _ramp(n, m=None):
    key = (n, m)
    if key not in _IN:
        x = wp.arange(n * (m or 1), dtype='float32') / float(n * (m or 1))
        if m:
            x = x.reshape(n, m)
        float(x.ravel()[0])  # runs the pending write
        _IN[key] = x
    return _IN[key]


def _ms(f):
    t = time.perf_counter()
    f()
    return (time.perf_counter() - t) * 1e3


def t_sum(n):
    x = _ramp(n)
    return _ms(lambda: float(x.sum()))


def t_chain_sum(n):
    x = _ramp(n)
    return _ms(lambda: float(((x * 1.5 + 2.0) * x - x * 0.5).sum()))


def t_rows(n, m):
    a = _ramp(n, m)
    return _ms(lambda: float(a.sum(axis=1)[0]))


def t_mm(n):
    if ('mm', n) not in _IN:
        _IN['mm', n] = _ramp(n, n) * 7.0 - 3.0
        float(_IN['mm', n][0, 0])
    a = _IN['mm', n]
    return _ms(lambda: float((a @ a)[n - 1, n - 1]))


_NEW = [0]


def t_compile(k=4):
    """A kernel not seen before (a chain of k unary operations picked by a counter), run once:
    its first call, with the WGSL compiled (a first call's cost)."""
    x = _ramp(1024)
    ops = [wp.sin, wp.cos, wp.exp, wp.tanh, wp.sqrt, wp.abs]
    i = _NEW[0] = _NEW[0] + 1
    def f():
        y = x
        j = i
        for _ in range(k):
            y = ops[j % 6](y)
            j //= 6
        float(y.sum())
    return _ms(f)


def t_mandel(n=256, iters=50):
    """The peers' Mandelbrot (one fused kernel and its sum, read as a scalar)."""
    if ('mb', n) not in _IN:
        real = wp.linspace(-2.0, 0.5, n, dtype='float32').reshape(n, 1)
        imag = wp.linspace(-1.25, 1.25, n, dtype='float32').reshape(1, n)
        float(real[0, 0]), float(imag[0, 0])
        _IN['mb', n] = (real, imag)
    real, imag = _IN['mb', n]

    def f():
        xs = wp.zeros((n, n), dtype='float32')
        ys = wp.zeros((n, n), dtype='float32')
        count = wp.zeros((n, n), dtype='int32')
        for _ in range(iters):
            xs, ys = xs * xs - ys * ys + real, xs * ys * 2.0 + imag
            count += ((xs * xs + ys * ys) < 4.0).astype('int32')
        int(count.sum())
    return _ms(f)


_FUSED = {}


def t_tiny_fused(ops=1000, n=16):
    """1000 × `x = x + 1.0` on 16 float32 under wp.fuse (traced at the first call), and the read."""
    if ops not in _FUSED:
        def f(x):
            for _ in range(ops):
                x = x + 1.0
            return x
        _FUSED[ops] = wp.fuse(f)
        _FUSED[ops](_ramp(n)).tolist()
    fn, x = _FUSED[ops], _ramp(n)
    return _ms(lambda: fn(x).tolist())
