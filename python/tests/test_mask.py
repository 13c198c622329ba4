"""Data-dependent compaction (issue 10): nonzero, argwhere, flatnonzero, where(cond), compress,
extract, place, putmask, boolean-mask get and set ``a[mask]``, against numpy; the one host read
of a count (``counters()['host_syncs_for_size']``); hypothesis properties for mask get/set."""

import pytest

from wgpy import testing
from wgpy.testing import ALL_DTYPES, shaped_arange, shaped_random

eq = testing.numpy_wgpy_array_equal


def eq_err():
    return testing.numpy_wgpy_array_equal(accept_error=True)


def A(xp, shape=(3, 4, 5), dtype='int32'):
    return shaped_arange(shape, xp, dtype)


def M(xp, shape, seed=0):
    return shaped_random(shape, xp, 'bool', seed=seed)


# ---- nonzero and friends ----------------------------------------------------------------------
@pytest.mark.parametrize('shape', [(7,), (3, 4), (2, 3, 4), (0,), (2, 0, 3), (1, 1)])
@eq()
def test_nonzero_shapes(xp, shape):
    m = M(xp, shape, seed=len(shape))
    return (xp.nonzero(m), m.nonzero(), xp.argwhere(m), xp.flatnonzero(m), xp.where(m),
            xp.count_nonzero(m))


@pytest.mark.parametrize('dtype', ALL_DTYPES)
@eq()
def test_nonzero_dtypes(xp, dtype):
    a = shaped_random((4, 5), xp, dtype, scale=3, seed=2)
    return xp.nonzero(a), xp.argwhere(a), xp.flatnonzero(a)


@pytest.mark.parametrize('n', [1, 15, 16, 17, 255, 256, 257, 4097])
@eq()
def test_nonzero_sizes(xp, n):
    m = M(xp, n, seed=n)
    return xp.flatnonzero(m), xp.flatnonzero(~m), xp.nonzero(xp.zeros(n, dtype='bool'))


# the compaction walks segments of 16 (docs/scans.md): sizes around 16 and its powers, a float
# mask converted as it is read (NaN is true, -0.0 false), and a[mask] over a full mask (values
# selected in the compaction's pass), over leading dims (rows) and of several dtypes
@pytest.mark.parametrize('n', [1, 16, 17, 33, 257, 4095, 4097])
@eq()
def test_compaction_segments(xp, n):
    f = shaped_random((n,), xp, 'float32', seed=n)
    fm = xp.where(f > 0.6, f, xp.where(f > 0.3, f * -0.0, f * float('inf') * 0.0))  # -0.0, NaN
    fm = xp.where(f < 0.1, f * 0.0, fm)
    m = f > 0.5
    a2 = shaped_arange((n, 3), xp, 'int32')
    g, g2, p = f.copy(), a2.copy(), f.copy()
    g[m] = f[m] * 2  # values in order: each true position's rank from the segment scan
    g2[m] = a2[m] + 1
    xp.place(p, fm, xp.asarray([1.5, 2.5, 3.5], dtype='float32'))
    return (xp.flatnonzero(fm), xp.nonzero(fm), f[m], f[~m], a2[m], a2[m, 1:],
            xp.arange(n, dtype='uint8')[m], (f > 2)[m], xp.extract(m, f), xp.compress(m, a2, 0),
            g, g2, p)


@eq()
def test_nonzero_all_and_none(xp):
    t = xp.ones((3, 5), dtype='bool')
    return xp.nonzero(t), xp.nonzero(~t), xp.argwhere(~t), xp.argwhere(xp.asarray(3))


@pytest.mark.parametrize('case', range(2))
@eq_err()
def test_nonzero_errors(xp, case):
    if case == 0:
        return xp.nonzero(xp.asarray(1))
    return xp.where(xp.ones(3, dtype='bool'), 1)


# ---- a[mask] ------------------------------------------------------------------------------------
@pytest.mark.parametrize('k', [1, 2, 3])
@pytest.mark.parametrize('dtype', ['int32', 'float32', 'bool', 'uint8', 'int16', 'float16'])
@eq()
def test_mask_get(xp, k, dtype):
    a = A(xp, (3, 4, 5), dtype)
    m = M(xp, (3, 4, 5)[:k], seed=k)
    return a[m], a[~m], a[(m,)]


@eq()
def test_mask_get_views_and_lists(xp):
    a = A(xp, (6, 8), 'float32')
    v = a[::2, 1::2]  # a strided view
    m = M(xp, (3, 4), seed=5)
    return v[m], a[[True, False, True, False, False, True]], v.T[m.T], a[a > 20]


@eq()
def test_mask_get_empty(xp):
    a = A(xp, (0, 4), 'int32')
    b = A(xp, (3, 4), 'int32')
    return (a[xp.zeros(0, dtype='bool')], b[xp.zeros((3, 4), dtype='bool')],
            b[xp.zeros(3, dtype='bool')], A(xp, (3, 0))[xp.ones(3, dtype='bool')])


@eq()
def test_mask_scalar_bool(xp):
    a = A(xp, (2, 3), 'float32')
    s = xp.asarray(5, dtype='int32')
    r = (a[True], a[False], s[True], s[False], a[xp.asarray(True)])
    a[True] = 7
    b = A(xp, (2, 3), 'float32')
    b[False] = 9
    return r + (a, b)


@eq()
def test_mask_scalar_bool_in_tuple(xp):
    # a 0-d boolean alone in a tuple is the bare one (Chainer's get_item makes keys tuples)
    a = A(xp, (2, 3), 'float32')
    s = xp.asarray(5.0, dtype='float32')
    r = (a[(True,)], a[(xp.asarray(False),)], s[(xp.asarray(True),)], s[(xp.asarray(False),)])
    s[(xp.asarray(True),)] = 3
    a[(xp.asarray(False),)] = 9
    return r + (s, a)


@pytest.mark.parametrize('case', range(5))
@eq()
def test_mask_empty_mismatch(xp, case):
    # NumPy lets a boolean index of size 0 mismatch the dims it indexes (its nonzero() arrays,
    # all empty, index instead)
    a = A(xp, (4, 3, 2), 'float32')
    e1, e2 = xp.zeros(0, dtype='bool'), xp.zeros((0, 3), dtype='bool')
    key = [e1, e2, (slice(None), e1), (e1, 0), (Ellipsis, e1)][case]
    r = a[key]
    a[key] = 5
    return r, a


@pytest.mark.parametrize('case', range(4))
@eq_err()
def test_mask_get_errors(xp, case):
    a = A(xp, (3, 4), 'int32')
    if case == 0:
        return a[xp.ones(4, dtype='bool')]
    if case == 1:
        return a[xp.ones((3, 5), dtype='bool')]
    if case == 2:
        return a[xp.ones((3, 4, 1), dtype='bool')]
    return a[xp.ones((4, 3), dtype='bool')]


@pytest.mark.parametrize('case', range(7))
@eq()
def test_mask_set(xp, case):
    a = A(xp, (3, 4, 5), 'float32')
    m = M(xp, (3, 4), seed=9)
    m3 = M(xp, (3, 4, 5), seed=10)
    if case == 0:
        a[m] = 0
    elif case == 1:
        a[m3] = -1.5
    elif case == 2:
        a[m] = xp.arange(5, dtype='float32')  # one row for every true position
    elif case == 3:
        n = int(xp.count_nonzero(m))  # (a count read)
        a[m] = xp.arange(n * 5, dtype='float32').reshape(n, 5)  # rows in order
    elif case == 4:
        n = int(xp.count_nonzero(m3))
        a[m3] = xp.arange(n, dtype='float32') * 2
    elif case == 5:
        n = int(xp.count_nonzero(m))
        a[m] = xp.arange(n, dtype='float32').reshape(n, 1)  # broadcast along the row
    else:
        a[a > 30] = xp.asarray(7, dtype='int32')
    return a


@eq()
def test_mask_set_dtypes_and_views(xp):
    a = A(xp, (4, 6), 'int16')
    v = a[1:, ::2]
    m = M(xp, (3, 3), seed=4)
    v[m] = 2.7  # an unsafe cast, as numpy's setitem
    b = A(xp, (5,), 'bool')
    b[xp.asarray([True, True, False, False, True])] = xp.asarray([False, True, False])
    c = A(xp, (4,), 'uint8')
    c[[True, False, True, False]] = [200, 201]
    return a, b, c


@pytest.mark.parametrize('case', range(4))
@eq_err()
def test_mask_set_errors(xp, case):
    a = A(xp, (3, 4), 'int32')
    m = xp.asarray([True, False, True])
    if case == 0:
        a[m] = xp.arange(3 * 4).reshape(3, 4)  # 3 rows for 2 true positions
    elif case == 1:
        a[xp.ones(4, dtype='bool')] = 1
    elif case == 2:
        a[m] = xp.arange(3)  # does not broadcast to rows of 4
    else:
        xp.broadcast_to(a, (2, 3, 4))[xp.ones((2, 3), dtype='bool')] = 1
    return a


def test_host_syncs_for_size():
    import wgpy as wp
    a = wp.arange(20, dtype='float32').reshape(4, 5)
    m = a > 7
    c0 = wp.counters()['host_syncs_for_size']
    a[m] = 0  # a scalar value: elementwise, no read
    assert wp.counters()['host_syncs_for_size'] == c0
    r = a[a < 5]
    assert wp.counters()['host_syncs_for_size'] == c0 + 1
    wp.nonzero(m)
    assert wp.counters()['host_syncs_for_size'] == c0 + 2
    wp.cumsum(a)
    wp.putmask(a, m, wp.asarray([1.0, 2.0]))
    assert wp.counters()['host_syncs_for_size'] == c0 + 2
    assert r.shape == (17,)


def test_selection_after_its_count_read_is_handed_off_with_run_ahead():
    # the count was just read, so the device is idle: with run ahead on, the selection goes to
    # it at once (wg_mask_select sets the hand-off slot) rather than at the next sync point
    import wgpy as wp
    from wgpy import _lib
    if _lib._enqueue is None and wp.get_backend_name() != 'loopback':
        pytest.skip('no run ahead on this backend')
    old = wp.config.run_ahead
    wp.config.run_ahead = (1 << 40, 1 << 40)  # on, but no reduction reaches its thresholds
    try:
        a = wp.arange(20, dtype='float32')
        m = a > 7
        h0 = wp.counters()['handoffs']
        r = a[m]
        assert wp.counters()['handoffs'] == h0 + 1
        assert r.tolist() == list(range(8, 20))  # tolist: Pyodide has no numpy
    finally:
        wp.config.run_ahead = old


# ---- compress, extract, place, putmask -------------------------------------------------------------
@pytest.mark.parametrize('axis', [None, 0, 1, 2, -1])
@eq()
def test_compress(xp, axis):
    a = A(xp, (3, 4, 5), 'float32')
    n = 60 if axis is None else a.shape[axis]
    c = M(xp, n, seed=3)
    return (xp.compress(c, a, axis=axis), a.compress(c[:2], axis=axis),
            xp.compress(xp.zeros(n, dtype='bool'), a, axis=axis))


@pytest.mark.parametrize('case', range(5))
@eq_err()
def test_compress_errors_and_out(xp, case):
    a = A(xp, (3, 4), 'int32')
    if case == 0:
        return xp.compress([True, False, True, True, True], a, axis=1)  # a true beyond the axis
    if case == 1:
        return xp.compress([True, False, True, False, False, False], a, axis=0)  # false beyond
    if case == 2:
        return xp.compress(xp.ones((2, 2), dtype='bool'), a)
    if case == 3:
        return xp.compress([1, 0, 1], a, axis=2)
    out = xp.zeros((2, 4), dtype='int32')
    r = xp.compress([1, 0, 1], a, axis=0, out=out)
    return r is out, out


@eq()
def test_extract(xp):
    a = A(xp, (3, 4), 'float32')
    return xp.extract(a % 3 == 0, a), xp.extract(xp.zeros((3, 4)), a), xp.extract([1, 0, 1], a)


@pytest.mark.parametrize('case', range(5))
@eq_err()
def test_place(xp, case):
    a = A(xp, (3, 4), 'int32')
    if case == 0:
        xp.place(a, a % 2 == 0, [10, 20, 30, 40])
    elif case == 1:
        xp.place(a, a > 5, xp.asarray([-1.5, 2.5]))  # cyclic, cast to a's dtype
    elif case == 2:
        xp.place(a, a > 100, [])  # nothing true: nothing to take
    elif case == 3:
        xp.place(a, a > 5, [])
    else:
        xp.place(a, xp.ones(5, dtype='bool'), [1])
    return a


@pytest.mark.parametrize('case', range(4))
@eq_err()
def test_putmask(xp, case):
    a = A(xp, (3, 4), 'float32')
    if case == 0:
        xp.putmask(a, a > 4, xp.asarray([100.0, 200.0, 300.0], dtype='float32'))
    elif case == 1:
        xp.putmask(a, a % 2 == 0, -a)
    elif case == 2:
        xp.putmask(a[:, 1:3], xp.ones((3, 2), dtype='bool'), 7)
    else:
        xp.putmask(a, xp.ones(5, dtype='bool'), 1)
    return a


# ---- properties (hypothesis, native only) ----------------------------------------------------------
@pytest.mark.native_only
def test_mask_get_set_property():
    try:
        from hypothesis import HealthCheck, given, settings, strategies as st
        from hypothesis.extra import numpy as hnp
    except ImportError as e:
        pytest.skip('hypothesis: %s' % e)
    import numpy as np
    import wgpy as wp

    @settings(max_examples=80, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=7), st.data())
    def prop(shape, data):
        k = data.draw(st.integers(1, len(shape)))
        mask = data.draw(hnp.arrays(np.bool_, shape[:k]))
        dt = data.draw(st.sampled_from(['int32', 'float32', 'uint8', 'bool', 'int16']))
        a = (np.arange(int(np.prod(shape))).reshape(shape) % 97).astype(dt)
        w = wp.asarray(a)
        assert np.array_equal(w[wp.asarray(mask)].get(), a[mask])
        assert np.array_equal(wp.argwhere(wp.asarray(mask)).get(), np.argwhere(mask))
        # set: a scalar, then the true positions in order
        w[wp.asarray(mask)] = 1
        a[mask] = 1
        assert np.array_equal(w.get(), a)
        vals = (np.arange(int(mask.sum()) * int(np.prod(shape[k:]))) % 5).astype(dt)
        vals = vals.reshape((int(mask.sum()),) + shape[k:])
        w[wp.asarray(mask)] = wp.asarray(vals)
        a[mask] = vals
        assert np.array_equal(w.get(), a)

    prop()
