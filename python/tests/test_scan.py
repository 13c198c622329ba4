"""Scans (issue 10): cumsum, cumprod, cumulative_sum/prod, nancumsum/nancumprod, ufunc accumulate
(maximum/minimum/logical), against numpy: dtypes, axes, empty, 0-d, dtype=, out=, errors, and
sizes that cross the scan's blocks of 16 (one, two, three and four levels)."""

import pytest

from wgpy import testing
from wgpy.testing import ALL_DTYPES, shaped_arange, shaped_random

eq = testing.numpy_wgpy_array_equal
close = testing.numpy_wgpy_allclose


def eq_err():
    return testing.numpy_wgpy_array_equal(accept_error=True)


def R(xp, shape, dtype='float32', scale=10, seed=0, low=0):
    return shaped_random(shape, xp, dtype, seed=seed, scale=scale, low=low)


def _acc(xp, name, a, axis=0, **kw):
    """ufunc.accumulate: numpy's, or wgpy's entry point for the ufunc objects."""
    if testing.is_wgpy(xp):
        from wgpy import _scan
        return _scan.accumulate(name, a, axis, **kw)
    return getattr(xp, name).accumulate(a, axis, **kw)


@pytest.mark.parametrize('dtype', ALL_DTYPES)
@close(rtol={'float16': 2e-2})
def test_cumsum_dtypes(xp, dtype):
    a = R(xp, (5, 7), dtype, scale=6)
    return xp.cumsum(a), xp.cumsum(a, axis=0), xp.cumsum(a, axis=1)


@pytest.mark.parametrize('dtype', ALL_DTYPES)
@close(rtol={'float16': 2e-2})
def test_cumprod_dtypes(xp, dtype):
    a = R(xp, (3, 6), dtype, scale=3, low=1 if dtype != 'bool' else 0)
    return xp.cumprod(a, axis=-1), xp.cumprod(a, axis=0)


@pytest.mark.parametrize('axis', [0, 1, 2, -1, -2, -3, None])
@eq()
def test_cumsum_axes_3d(xp, axis):
    a = shaped_arange((3, 4, 5), xp, 'int32')
    return xp.cumsum(a, axis=axis), a.cumsum(axis=axis)


@pytest.mark.parametrize('n', [1, 2, 15, 16, 17, 255, 256, 257, 4097])
@eq()
def test_cumsum_sizes_int(xp, n):
    a = R(xp, n, 'int32', scale=100, low=-50)
    return xp.cumsum(a)


@pytest.mark.parametrize('n', [1, 255, 256, 257, 4097])
@close(rtol=1e-4)
def test_cumsum_sizes_float_columns(xp, n):
    a = R(xp, (n, 3), 'float32', seed=n)
    return xp.cumsum(a, axis=0), xp.cumsum(a[:, ::2], axis=0)


@pytest.mark.native_only
@pytest.mark.parametrize('n', [65537, 1 << 20])
def test_cumsum_large_native(n):
    import numpy as np
    import wgpy as wp
    a = (np.arange(n, dtype=np.int64) * 7919 % 201 - 100).astype(np.int32)
    assert np.array_equal(wp.cumsum(wp.asarray(a)).get(), np.cumsum(a).astype(np.int32))
    f = np.random.default_rng(0).random(n).astype(np.float32)
    np.testing.assert_allclose(wp.cumsum(wp.asarray(f)).get(), np.cumsum(f, dtype=np.float64),
                               rtol=1e-5)
    m = f > 0.5
    assert np.array_equal(wp.asarray(f)[wp.asarray(m)].get(), f[m])


@pytest.fixture
def tile_path():
    """The workgroup-memory tile scan forced (auto runs it only on webgpu with a GPU adapter;
    webgl2 has no workgroup memory and keeps its gathers): docs/scans.md "The tile scan"."""
    from wgpy import _scan
    old = _scan._set_scan_path('tiles')
    # blocks of 2 tiles: 4500 elements are 2 blocks, the second with a tile past the end
    old_block = _scan._set_scan_block(2)
    yield
    _scan._set_scan_path(old)
    _scan._set_scan_block(old_block)


@close(rtol=1e-5)
def test_tile_scan(xp, tile_path):
    """The tile scan and the compaction by tiles: 4500 elements (three tiles: the totals' scan
    and the last tile's tail), rows of one tile each."""
    a = R(xp, 4500, 'int32', scale=100, low=-50)
    f = R(xp, (3, 300), 'float32')
    m = a > 0
    return xp.cumsum(a), xp.cumsum(f, axis=1), a[m]


@close(rtol=1e-5)
def test_tile_scan_index_select_and_fill(xp, tile_path):
    """nonzero and a[mask] = v by tiles: left to cpu and loopback (on SwiftShader each workgroup
    kernel takes seconds to compile; the same kernels run on webgpu in test_tile_scan's a[m]).
    A test of its own, so that the results' count never depends on the backend (the Pyodide
    runs compare with results recorded natively on cpu)."""
    import wgpy
    if wgpy.get_backend_name() == 'webgpu':
        pytest.skip('the tile select and fill: cpu and loopback (SwiftShader compiles them slowly)')
    a = R(xp, 4500, 'int32', scale=100, low=-50)
    m = a > 0
    g = a.copy()
    g[m] = -a[m]
    return xp.nonzero(m)[0], g


@pytest.mark.native_only
def test_tile_scan_launches(tile_path):
    """cumsum of 2**20 is 3 launches with the tiles (reduce, the totals' scan, the rescan); a[mask]
    3 and one host read (tile counts, their scan, the select)."""
    import numpy as np
    import wgpy as wp
    if wp.get_backend_name() not in ('cpu', 'loopback'):
        pytest.skip('2**20 elements: SwiftShader runs the tiles slowly (the cpu run counts them)')
    x = wp.asarray(np.arange(1 << 20, dtype=np.float32) % 7)
    m = x > 3
    wp.sync()
    wp.reset_counters()
    c = wp.cumsum(x)
    c.get()
    assert wp.counters()['kernels_launched'] == 3
    wp.reset_counters()
    s = x[m]
    assert wp.counters()['kernels_launched'] == 3 and wp.counters()['host_syncs_for_size'] == 1
    assert float(s.sum().get()) == float((x.get()[m.get()]).sum())


@pytest.mark.parametrize('dtype', ['int8', 'uint8', 'bool', 'float16', 'int16'])
@eq()
def test_cumsum_default_dtype(xp, dtype):
    # small ints and bool accumulate in the default int (uint: the default uint)
    a = R(xp, 9, dtype, scale=3)
    return xp.cumsum(a).dtype, xp.cumprod(a).dtype, xp.nancumsum(a).dtype


@eq()
def test_cumsum_dtype_arg(xp):
    a = shaped_arange((4, 5), xp, 'int32')
    return (xp.cumsum(a, dtype='float32'), xp.cumsum(a, axis=1, dtype='int8'),
            xp.cumprod(a % 3 + 1, dtype='int16', axis=0))


@eq()
def test_cumsum_out(xp):
    a = shaped_arange((3, 4), xp, 'int8') * 20
    o8 = xp.zeros((3, 4), dtype='int8')  # computed in out's dtype (wraps as numpy's)
    r = xp.cumsum(a, axis=1, out=o8)
    of = xp.zeros(12, dtype='float32')
    xp.cumsum(a, out=of)
    oi = xp.zeros((3, 4), dtype='int32')
    xp.cumsum(a.astype('float32') + 0.5, axis=0, out=oi)  # float into int out: unsafe, as numpy
    return r is o8, o8, of, oi


@pytest.mark.parametrize('case', range(5))
@eq_err()
def test_cumsum_errors(xp, case):
    a = shaped_arange((3, 4), xp, 'float32')
    if case == 0:
        return xp.cumsum(a, axis=2)
    if case == 1:
        return xp.cumprod(a, axis=-3)
    if case == 2:
        return xp.cumsum(a, out=xp.zeros(11, dtype='float32'))
    if case == 3:
        return xp.cumulative_sum(a)
    return xp.cumsum(a, axis=1, out=xp.zeros((4, 3), dtype='float32'))


@eq()
def test_cumsum_empty_and_0d(xp):
    e = xp.zeros((0,), dtype='float32')
    e2 = xp.zeros((2, 0, 3), dtype='int32')
    s = xp.asarray(5, dtype='int32')
    return (xp.cumsum(e), xp.cumprod(e), xp.cumsum(e2, axis=1), xp.cumsum(e2, axis=2),
            xp.cumsum(e2), xp.cumsum(s), xp.cumprod(s), s.cumsum(),
            xp.cumulative_sum(e, include_initial=True),
            xp.cumulative_prod(e2, axis=1, include_initial=True))


@pytest.mark.parametrize('axis', [0, 1, -1])
@eq()
def test_cumulative(xp, axis):
    a = R(xp, (4, 6), 'int32', scale=5, low=-2)
    return (xp.cumulative_sum(a, axis=axis), xp.cumulative_sum(a, axis=axis, include_initial=True),
            xp.cumulative_prod(a, axis=axis, include_initial=True, dtype='int32'),
            xp.cumulative_sum(a[0], include_initial=True))


@eq()
def test_nancum(xp):
    a = R(xp, (4, 5), 'float32', seed=3)
    a = xp.where(a > 6, xp.asarray(float('nan'), dtype='float32'), a)
    b = R(xp, 7, 'int32', scale=4)
    return (xp.nancumsum(a), xp.nancumsum(a, axis=0), xp.nancumprod(a / 4, axis=1),
            xp.nancumsum(b), xp.nancumprod(b + 1))


@pytest.mark.parametrize('name', ['maximum', 'minimum', 'add', 'multiply'])
@pytest.mark.parametrize('dtype', ['int8', 'uint16', 'int32', 'float32', 'bool'])
@close()
def test_accumulate(xp, name, dtype):
    a = R(xp, (33, 3), dtype, scale=5, seed=7)
    return _acc(xp, name, a, 0), _acc(xp, name, a, 1), _acc(xp, name, a[:, 0], 0)


@eq()
def test_accumulate_nan_and_logical(xp):
    a = xp.asarray([1.0, 3.0, float('nan'), 5.0, 2.0], dtype='float32')
    b = xp.asarray([True, True, False, True])
    return (_acc(xp, 'maximum', a), _acc(xp, 'minimum', a), _acc(xp, 'logical_and', b),
            _acc(xp, 'logical_or', ~b), _acc(xp, 'add', b), _acc(xp, 'add', a, dtype='float32'))


@eq()
def test_cumsum_signed_zero(xp):
    # -0.0 + -0.0 is -0.0: the blocks' padding must not turn it into +0.0
    a = xp.asarray([-0.0] * 20 + [1.0, -1.0, -0.0], dtype='float32')
    return xp.copysign(xp.ones(23, dtype='float32'), xp.cumsum(a))


@pytest.mark.native_only
def test_scan_property():
    """Random shapes (including empty and long axes), axes and ops, exact on integers."""
    try:
        from hypothesis import HealthCheck, given, settings, strategies as st
        from hypothesis.extra import numpy as hnp
    except ImportError as e:
        pytest.skip('hypothesis: %s' % e)
    import numpy as np
    import wgpy as wp

    @settings(max_examples=80, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=40), st.data())
    def prop(shape, data):
        ax = data.draw(st.integers(-len(shape), len(shape) - 1))
        dt = data.draw(st.sampled_from(['int32', 'int8', 'uint8', 'int16']))
        a = data.draw(hnp.arrays(dt, shape, elements=st.integers(-3, 3) if dt != 'uint8'
                                 else st.integers(0, 3)))
        w = wp.asarray(a)
        assert np.array_equal(wp.cumsum(w, axis=ax).get(), np.cumsum(a, axis=ax).astype(
            wp.cumsum(w, axis=ax).dtype))
        for name in ('maximum', 'minimum'):
            got = wp._scan.accumulate(name, w, ax).get()
            assert np.array_equal(got, getattr(np, name).accumulate(a, axis=ax)), name
        got = wp.cumulative_prod(w, axis=ax, include_initial=True, dtype='int32').get()
        assert np.array_equal(got, np.cumulative_prod(a, axis=ax, include_initial=True,
                                                      dtype='int32'))

    prop()
