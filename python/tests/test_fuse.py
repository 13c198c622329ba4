"""wgpy.fuse (CuPy's fuse): the first call per input signature traces the function into an engine
template (graph/capture.c), later calls replay it with one engine call.  A replay must give what
the function called op by op gives, bit for bit (the same kernels); a function the trace cannot
capture runs op by op every call, with correct results.  Both sides are wgpy here (no numpy:
these run in Pyodide too); numpy's answer is checked through the golden mechanism where marked."""

import math

import pytest

import wgpy as wp
from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose, numpy_wgpy_array_equal


def _counts():
    c = wp.counters()
    return c['fuse_traces'], c['fuse_replays'], c['fuse_eager']


class Delta:
    def __enter__(self):
        self.before = _counts()
        return self

    def __exit__(self, *exc):
        after = _counts()
        self.traces, self.replays, self.eager = (a - b for a, b in zip(after, self.before))
        return False


def _bits(a):
    """The array's values as exact Python objects (floats compared by repr: -0.0, NaN)."""
    if isinstance(a, (tuple, list)):
        return [_bits(x) for x in a]
    return [repr(v) for v in a.ravel().tolist()]


def _same(f, *args, **kw):
    """f fused and f itself give the same bits on these arguments, over three calls (a trace and
    two replays); returns the fused calls' counter deltas."""
    fused = wp.fuse(f)
    want = _bits(f(*args, **kw))
    with Delta() as d:
        for _ in range(3):
            got = _bits(fused(*args, **kw))
            assert got == want
    return d


def _x(shape=(16,), dtype='float32', start=1):
    return testing.shaped_arange(shape, wp, dtype, start=start)


def test_tiny_row_traces_once_and_replays():
    def f(x):
        for _ in range(1000):
            x = x + 1
        return x
    d = _same(f, _x())
    assert (d.traces, d.replays, d.eager) == (1, 2, 0)


def test_replay_is_one_kernel_like_the_unfused_chain():
    def f(x):
        return ((x * 1.5 + 2) * x - x * 0.5).sum()
    fused = wp.fuse(f)
    x = _x((1000,))
    fused(x).tolist()
    for fn in (f, fused):
        wp.sync()
        before = wp.counters()['kernels_launched']
        fn(x).tolist()
        n = wp.counters()['kernels_launched'] - before
        if fn is f:
            want = n
    assert n == want == 1


def test_chains_reductions_broadcasts_and_scalars():
    def f(x, y, s):
        z = (x * s + y[None, :]) / (abs(x) + 1)
        m = z.max(axis=1, keepdims=True)
        return wp.exp(z - m).sum(axis=1), z.mean(), (z > 0).astype('int32') * 3
    x = _x((5, 7)) - 10
    y = _x((7,), start=-3)
    d = _same(f, x, y, 0.5)
    assert (d.traces, d.replays, d.eager) == (1, 2, 0)


def test_matmul_and_views_of_inputs():
    def f(a, b):
        h = wp.maximum(a @ b + 1, 0)
        return (h[:, 1:] - h[:, :-1]).T * 2, h.sum(axis=0)
    d = _same(f, _x((4, 6)) / 8, _x((6, 5)) / 8 - 1)
    assert d.eager == 0 and d.replays == 2


def test_long_chain_is_cut_pending_and_replays_every_piece():
    # past the fusion limit the trace leaves each cut part pending on its intermediate
    def f(x):
        for i in range(700):
            x = x * 0.999 + (i % 7)
        return x
    d = _same(f, _x((33,)))
    assert (d.traces, d.replays, d.eager) == (1, 2, 0)


def test_later_ops_fuse_onto_replayed_outputs():
    @wp.fuse
    def f(x):
        return x * 2 + 1
    x = _x((100,))
    for _ in range(3):  # the trace, a replay that keeps its lowering, one whose write is a stub
        f(x).tolist()
    want = ((x * 2 + 1) - 3).sum().tolist()
    for _ in range(2):
        wp.sync()
        before = wp.counters()['kernels_launched']
        r = (f(x) - 3).sum()
        assert r.tolist() == want
        assert wp.counters()['kernels_launched'] - before == 1


def test_new_inputs_new_values():
    @wp.fuse
    def f(x, y):
        return x * y - 1
    a, b = _x(), _x(start=5)
    assert _bits(f(a, b)) == _bits(a * b - 1)
    c = b * 3
    assert _bits(f(c, a)) == _bits(c * a - 1)  # a pending input: read from memory
    assert _bits(f(a, a)) == _bits(a * a - 1)  # the same buffer twice: traced again


def test_new_shape_or_dtype_retraces():
    @wp.fuse
    def f(x):
        return x * x + x
    with Delta() as d:
        f(_x((4,))).tolist()
        f(_x((4,))).tolist()
        f(_x((5,))).tolist()
        f(_x((4,), 'int32')).tolist()
        f(_x((4,))).tolist()
    assert (d.traces, d.replays) == (3, 2)
    assert f(_x((5,), 'int32')).tolist() == [2, 6, 12, 20, 30]


def test_layout_change_retraces():
    @wp.fuse
    def f(x):
        return x + 1
    a = _x((4, 6))
    with Delta() as d:
        r1 = f(a)
        r2 = f(a.T.T)        # the same layout: a replay
        r3 = f(a[:, ::2])    # same dtype and shape, another layout: traced again
        r4 = f(a[:, 1::2])   # another offset: traced again
    assert d.traces == 3 and d.replays == 1
    assert r1.tolist() == r2.tolist() == (a + 1).tolist()
    assert r3.tolist() == (a[:, ::2] + 1).tolist()
    assert r4.tolist() == (a[:, 1::2] + 1).tolist()


def test_scalar_arguments_are_part_of_the_key():
    @wp.fuse
    def f(x, s):
        return x * s
    x = _x((3,))
    assert f(x, 2.0).tolist() == [2.0, 4.0, 6.0]
    assert f(x, 3.0).tolist() == [3.0, 6.0, 9.0]
    assert f(x, 3).tolist() == [3.0, 6.0, 9.0]
    assert _bits(f(x, -0.0)) == _bits(x * -0.0)
    assert f(x, 2.0).tolist() == [2.0, 4.0, 6.0]
    assert f(x, s=4.0).tolist() == [4.0, 8.0, 12.0]


def test_closure_array_rebinding_traces_again():
    w = _x((3,))

    @wp.fuse
    def f(x):
        return x + w
    x = _x((3,))
    assert f(x).tolist() == [2.0, 4.0, 6.0]
    assert f(x).tolist() == [2.0, 4.0, 6.0]
    w = w * 10  # noqa: F841 (read by f through its closure)
    assert f(x).tolist() == [11.0, 22.0, 33.0]


def test_closure_array_updated_in_place_is_read_at_each_replay():
    w = _x((3,))

    @wp.fuse
    def f(x):
        return x * w
    x = _x((3,))
    assert f(x).tolist() == [1.0, 4.0, 9.0]
    w += 1
    assert f(x).tolist() == [2.0, 6.0, 12.0]
    w *= 2
    assert f(x).tolist() == [4.0, 12.0, 24.0]


@pytest.mark.parametrize('via', ['attribute', 'container'])
def test_array_reached_through_an_attribute_or_a_container_is_never_stale(via):
    # the cache key follows closure cells and globals only: a function reading an array through
    # an attribute or a container runs op by op, so rebinding that array is always seen
    class Holder:
        pass
    h, d = Holder(), {}
    h.w = d['w'] = _x((3,))

    @wp.fuse
    def f(x):
        return x + (h.w if via == 'attribute' else d['w'])
    x = _x((3,))
    with Delta() as c:
        assert f(x).tolist() == [2.0, 4.0, 6.0]
        h.w = d['w'] = _x((3,)) * 10
        assert f(x).tolist() == [11.0, 22.0, 33.0]
    assert (c.traces, c.replays, c.eager) == (0, 0, 2)


@pytest.mark.parametrize('case', ['read', 'inplace_input', 'inplace_closure', 'not_array',
                                  'sort', 'random', 'upload', 'escapes'])
def test_uncapturable_functions_run_op_by_op(case):
    kept = []
    w = _x((4,))

    def f(x):
        if case == 'read':
            return x * float(x.sum())
        if case == 'inplace_input':
            x += 1
            return x * 2
        if case == 'inplace_closure':
            w[...] = x
            return x + 1
        if case == 'not_array':
            return 3
        if case == 'sort':
            return wp.sort(x * -1)
        if case == 'random':
            return x + wp.random.rand(4).astype('float32')
        if case == 'upload':
            return x + wp.asarray([1.0, 2.0, 3.0, 4.0], dtype='float32')
        if case == 'escapes':
            y = x * 5
            kept.append(y)
            return y + 1
    fused = wp.fuse(f)
    x1, x2 = _x((4,)), _x((4,))
    with Delta() as d:
        for _ in range(3):
            a = fused(x1)
            b = f(x2)
            if case == 'random':
                assert a.shape == b.shape
                continue
            assert _bits(a) == _bits(b) if not isinstance(a, int) else a == b
            assert _bits(x1) == _bits(x2)
            if case == 'escapes':
                assert _bits(kept[-1]) == _bits(kept[-2])
    assert d.traces == 0 and d.replays == 0 and d.eager == 3


def test_errors_raise_as_unfused():
    @wp.fuse
    def f(x, y):
        return x + y
    with pytest.raises(ValueError):
        f(_x((3,)), _x((4,)))
    with pytest.raises(ValueError):
        f(_x((3,)), _x((4,)))
    assert f(_x((3,)), _x((3,))).tolist() == [2.0, 4.0, 6.0]


def test_exception_in_the_function_ends_the_trace():
    @wp.fuse
    def f(x, fail):
        y = x * 2
        if fail:
            raise KeyError('boom')
        return y
    with pytest.raises(KeyError):
        f(_x((3,)), True)
    assert f(_x((3,)), False).tolist() == [2.0, 4.0, 6.0]
    assert (_x((3,)) + 1).tolist() == [2.0, 3.0, 4.0]  # not tracing any more
    assert f(_x((3,)), False).tolist() == [2.0, 4.0, 6.0]


def test_nested_fused_functions_are_captured_in_the_outer_trace():
    @wp.fuse
    def inner(x):
        return x * 3

    @wp.fuse
    def outer(x):
        return inner(x) + inner(x + 1)
    x = _x((4,))
    with Delta() as d:
        r = [outer(x).tolist() for _ in range(3)]
    assert r[0] == r[1] == r[2] == (x * 3 + (x + 1) * 3).tolist()
    assert (d.traces, d.replays) == (1, 2)


def test_outputs_that_are_inputs_or_their_views():
    w = _x((2, 3))

    @wp.fuse
    def f(x, y):
        return x, y.T, x[:, ::2] * 2, w[0]
    a, b = _x((2, 3)), _x((3, 2), start=7)
    with Delta() as d:
        for _ in range(2):
            r = f(a, b)
            assert r[0].tolist() == a.tolist() and r[1].tolist() == b.T.tolist()
            assert r[2].tolist() == (a[:, ::2] * 2).tolist() and r[3].tolist() == w[0].tolist()
        r = f(b.T, a.T)  # the same layouts? no: b.T is a transposed view: traced again
        assert r[0].tolist() == b.T.tolist() and r[1].tolist() == a.tolist()
    assert (d.traces, d.replays, d.eager) == (2, 1, 0)


def test_tuple_and_list_results_keep_their_form():
    @wp.fuse
    def f(x):
        return [x + 1, x - 1]

    @wp.fuse
    def g(x):
        y = x * 2
        return y, y[1:]
    x = _x((4,))
    for _ in range(2):
        r = f(x)
        assert isinstance(r, list) and r[0].tolist() == [2.0, 3.0, 4.0, 5.0]
        a, b = g(x)
        assert a.tolist() == [2.0, 4.0, 6.0, 8.0] and b.tolist() == [4.0, 6.0, 8.0]
        assert a.shape == (4,) and b.shape == (3,)


def test_call_forms_and_numpy_inputs():
    @wp.fuse(kernel_name='k')
    def f(a):
        return a * 2
    assert f(3) == 6
    assert f.__name__ == 'f'
    assert f(_x((2,))).tolist() == [2.0, 4.0]


def test_mandelbrot_loop():
    def step(zr, zi, cr, ci, count):
        for _ in range(10):
            zr2 = zr * zr
            zi2 = zi * zi
            inside = (zr2 + zi2) <= 4.0
            zi = wp.where(inside, 2 * zr * zi + ci, zi)
            zr = wp.where(inside, zr2 - zi2 + cr, zr)
            count = count + inside.astype('int32')
        return zr, zi, count
    n = 12
    cr = (wp.arange(n, dtype='float32')[None, :] - 8) / 4 + wp.zeros((n, 1), dtype='float32')
    ci = (wp.arange(n, dtype='float32')[:, None] - 6) / 5 + wp.zeros((1, n), dtype='float32')
    z = wp.zeros((n, n), dtype='float32')
    c = wp.zeros((n, n), dtype='int32')
    d = _same(step, z, z, cr, ci, c)
    assert d.eager == 0


@numpy_wgpy_allclose(rtol=1e-5)
def test_fused_mlp_step_matches_numpy(xp):
    def step(x, w1, w2, t, lr):
        h = xp.maximum(x @ w1, 0)
        y = h @ w2
        g = (y - t) / x.shape[0]
        gw2 = h.T @ g
        gh = (g @ w2.T) * (h > 0)
        gw1 = x.T @ gh
        return w1 - lr * gw1, w2 - lr * gw2, ((y - t) ** 2).mean()
    fused = wp.fuse(step)
    x = testing.shaped_random((8, 6), xp, 'float32', seed=1) / 10
    t = testing.shaped_random((8, 3), xp, 'float32', seed=2) / 10
    w1 = testing.shaped_random((6, 5), xp, 'float32', seed=3) / 10
    w2 = testing.shaped_random((5, 3), xp, 'float32', seed=4) / 10
    losses = []
    with Delta() as d:
        for _ in range(3):
            w1, w2, loss = fused(x, w1, w2, t, 0.1)
            losses.append(loss)
    if xp is wp:  # the matmuls' operand loads are captured too
        assert (d.traces, d.replays, d.eager) == (1, 2, 0)
    return w1, w2, xp.stack(losses)


@numpy_wgpy_array_equal()
def test_fused_chain_matches_numpy(xp):
    @wp.fuse
    def f(x):
        for _ in range(50):
            x = x + 1
        return (x * 2).sum(), x
    x = testing.shaped_arange((16,), xp, 'float32')
    r = [f(x) for _ in range(3)]
    return r[0][0], r[2][0], r[2][1]


def test_fused_mean_of_float_input_is_exact():
    x = _x((10,))

    @wp.fuse
    def f(a):
        return a.mean()
    assert [f(x).tolist() for _ in range(3)] == [5.5] * 3
    assert math.isclose(f(x * 2).tolist(), 11.0)


def test_inplace_accumulator_past_the_fusion_limit():
    # the peers' Mandelbrot loop: count += ... on a chain past the fusion limit; the trace's cut
    # moves the cut part to an intermediate instead of running it (write.c trace_cut)
    def mandel(real, imag, iters):
        xs = wp.zeros((real.size, imag.size), dtype='float32')
        ys = wp.zeros((real.size, imag.size), dtype='float32')
        count = wp.zeros((real.size, imag.size), dtype='int32')
        for _ in range(iters):
            xs, ys = xs * xs - ys * ys + real, xs * ys * 2.0 + imag
            count += ((xs * xs + ys * ys) < 4.0).astype('int32')
        return count.sum(), count
    n = 10
    real = wp.linspace(-2.0, 0.5, n, dtype='float32').reshape(n, 1)
    imag = wp.linspace(-1.25, 1.25, n, dtype='float32').reshape(1, n)
    d = _same(mandel, real, imag, 60)
    assert (d.traces, d.replays, d.eager) == (1, 2, 0)


def test_long_chain_recorded_onto_replayed_outputs():
    # a replay gives its write roots their summaries (and no other node one): what is recorded
    # onto them fuses and cuts as onto the function's own results
    def f(x):
        y = x * 0.5
        for _ in range(300):
            y = y + 0.25
        return y
    fused = wp.fuse(f)
    x = _x((8,))
    fused(x).tolist()
    runs = []
    for fn in (f, fused, f, fused):
        wp.sync()
        before = wp.counters()['kernels_launched']
        y = fn(x)
        for _ in range(700):
            y = y * 1.0 + 1.0
        runs.append((_bits(y.sum() + y), wp.counters()['kernels_launched'] - before))
    assert runs[0] == runs[1] == runs[2] == runs[3]
