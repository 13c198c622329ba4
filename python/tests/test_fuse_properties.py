"""wgpy.fuse, property-based (hypothesis, native only): random programs of ufuncs, reductions,
broadcasts, views and scalars, fused and called op by op, give the same bits over a trace and its
replays, on fresh inputs too; and the fused result equals NumPy's."""

import pytest

from wgpy import testing

pytestmark = pytest.mark.native_only

try:
    import numpy as np
    from hypothesis import HealthCheck, given, settings, strategies as st
except ImportError as e:  # Pyodide (no numpy), or hypothesis missing
    pytest.skip('native_only: %s' % e, allow_module_level=True)

import wgpy as wp

SETTINGS = settings(max_examples=40, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))

UNARY = ['negative', 'abs', 'square', 'sin', 'exp_small', 'sqrt_abs', 'floor']
BINARY = ['add', 'subtract', 'multiply', 'maximum', 'minimum', 'where_gt']
REDUCE = ['sum', 'max', 'mean', 'min']


def _unary(xp, name, a):
    if name == 'exp_small':
        return xp.exp(xp.tanh(a))
    if name == 'sqrt_abs':
        return xp.sqrt(xp.abs(a))
    return getattr(xp, name)(a)


def _binary(xp, name, a, b):
    if name == 'where_gt':
        return xp.where(a > b, a, b * 0.5)
    return getattr(xp, name)(a, b)


step = st.one_of(
    st.tuples(st.just('u'), st.sampled_from(UNARY), st.integers(0, 7)),
    st.tuples(st.just('b'), st.sampled_from(BINARY), st.integers(0, 7), st.integers(0, 7)),
    st.tuples(st.just('s'), st.sampled_from(BINARY[:5]), st.integers(0, 7),
              st.floats(-4, 4, allow_nan=False, width=32)),
    st.tuples(st.just('r'), st.sampled_from(REDUCE), st.integers(0, 7), st.integers(0, 1)),
    st.tuples(st.just('v'), st.sampled_from(['T', 'rev', 'row']), st.integers(0, 7)),
    st.tuples(st.just('c'), st.integers(0, 7)),   # a cast to float16->float32 round trip
)


def _program(steps):
    """A function of (x, y) that runs the steps over a growing list of values (each step reads
    earlier values by index modulo the list's length) and returns the last three."""
    def f(xp, x, y):
        vals = [x, y]
        for s in steps:
            kind = s[0]
            a = vals[s[2] % len(vals)] if kind in 'ubsr' else vals[s[-1] % len(vals)]
            if kind == 'u':
                r = _unary(xp, s[1], a)
            elif kind == 'b':
                b = vals[s[3] % len(vals)]
                r = _binary(xp, s[1], a, b)
            elif kind == 's':
                r = _binary(xp, s[1], a, float(s[3]))
            elif kind == 'r':
                if a.ndim == 0:
                    r = a * 1
                else:
                    r = getattr(a, s[1])(axis=s[3] % a.ndim, keepdims=True)
            elif kind == 'v':
                if a.ndim < 2:
                    r = a[::-1] if a.ndim else a + 0
                elif s[1] == 'T':
                    r = a.T
                elif s[1] == 'rev':
                    r = a[::-1, ::2]
                else:
                    r = a[1:2, :] + a[:1, :]
            else:
                r = a.astype('float16').astype('float32')
            vals.append(r)
        return tuple(v if v.ndim else v.reshape(1) for v in vals[-3:]) if len(vals) > 4 \
            else (vals[-1] * 1,)
    return f


def _bits(r):
    return [np.asarray(wp.asnumpy(a)).tobytes() for a in r]


@SETTINGS
@given(st.lists(step, min_size=1, max_size=12), st.sampled_from([(4, 6), (3, 1), (1, 5)]))
def test_fused_equals_op_by_op(steps, shape):
    prog = _program(steps)

    def f(x, y):
        return prog(wp, x, y)
    fused = wp.fuse(f)
    x = testing.shaped_random(shape, wp, 'float32', seed=1, scale=4) - 2
    y = testing.shaped_random(shape[::-1][::-1], wp, 'float32', seed=2, scale=4) - 1
    x2 = x * 0.5 + 1
    try:
        f(x, y)
    except (ValueError, NotImplementedError) as e:  # shapes that do not broadcast, float16
        with pytest.raises(type(e)):                    # on a backend without it: the same
            fused(x, y)
        return
    with np.errstate(all='ignore'):
        want = _bits(f(x, y))
        want2 = _bits(f(x2, y))
        before = wp.counters()
        assert _bits(fused(x, y)) == want      # the trace
        assert _bits(fused(x, y)) == want      # a replay
        assert _bits(fused(x2, y)) == want2    # a replay over other inputs
        after = wp.counters()
    assert after['fuse_eager'] == before['fuse_eager']
    assert after['fuse_replays'] - before['fuse_replays'] == 2
    # operations recorded onto a replay's outputs (a later replay's writes are stubs whose
    # graph is made when something fuses them: graph/capture.c wgG_expand), and a cut past the
    # fusion limit grouping them
    with np.errstate(all='ignore'):
        for _ in range(2):
            want3 = _bits([o * 2 + 1 for o in f(x2, y)])
            assert _bits([o * 2 + 1 for o in fused(x2, y)]) == want3
        outs = fused(x2, y)
        long = [o for o in outs]
        for _ in range(300):
            long = [o * 0.5 + 0.25 for o in long]
        ref = [o for o in f(x2, y)]
        for _ in range(300):
            ref = [o * 0.5 + 0.25 for o in ref]
        assert _bits(long) == _bits(ref)
    # and the values are NumPy's
    xn, yn = wp.asnumpy(x2), wp.asnumpy(y)
    with np.errstate(all='ignore'):
        ref = prog(np, xn, yn)
    for got, r in zip(fused(x2, y), ref):
        np.testing.assert_allclose(wp.asnumpy(got), np.asarray(r), rtol=2e-5, atol=2e-5)
