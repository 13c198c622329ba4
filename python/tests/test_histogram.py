"""Statistics and histograms (issue 10) against numpy: digitize, bincount, histogram (int,
sequence and estimator bins, range, weights, density), histogram_bin_edges, histogram2d,
histogramdd, interp, correlate, convolve, cov, corrcoef — values, dtypes and NumPy's errors.
Counting runs by atomics on cpu/webgpu and by a gather everywhere; WGPY_HIST_GATHER=1 forces the
gather (test_gather_path)."""

import warnings

import pytest

from wgpy import testing
from wgpy.testing import shaped_arange, shaped_random

close = testing.numpy_wgpy_allclose
eq = testing.numpy_wgpy_array_equal

NAN = float('nan')


def err():
    return testing.numpy_wgpy_array_equal(accept_error=True)


def X(xp, n=50, dtype='float32', seed=0):
    return shaped_random((n,), xp, dtype, seed=seed, scale=8, low=-4)


def I(xp, n=40, seed=1):
    return shaped_random((n,), xp, 'int32', seed=seed, scale=10, low=0)


@pytest.mark.parametrize('right', [False, True])
@eq()
def test_digitize(xp, right):
    x = X(xp)
    return (xp.digitize(x, xp.asarray([-2.0, 0.0, 1.0, 3.0]), right=right),
            xp.digitize(x, xp.asarray([3.0, 1.0, 0.0, -2.0]), right=right),
            xp.digitize(xp.asarray([3.0, 1.0, 0.5, 0.0, -2.0, -5.0, NAN, float('inf')]),
                        xp.asarray([-2.0, 0.0, 1.0, 3.0]), right=right),
            xp.digitize(I(xp).reshape(5, 8), xp.asarray([2, 5, 7]), right=right),
            xp.digitize(xp.asarray([1.0, 1.0]), xp.asarray([1.0, 1.0, 1.0]), right=right),
            xp.digitize(xp.asarray(2.5), xp.asarray([1.0, 2.0, 3.0]), right=right))


@pytest.mark.parametrize('case', range(2))
@err()
def test_digitize_errors(xp, case):
    if case == 0:
        return xp.digitize(X(xp), xp.asarray([0.0, 2.0, 1.0]))
    return xp.digitize(X(xp), xp.asarray([[0.0, 2.0]]))


@eq()
def test_bincount(xp):
    x = I(xp)
    return (xp.bincount(x), xp.bincount(x, minlength=15), xp.bincount(x, minlength=2),
            xp.bincount(xp.asarray([], dtype='int32'), minlength=3),
            xp.bincount(xp.asarray([0, 0, 3], dtype='uint8')),
            xp.bincount(xp.asarray([5], dtype='int16')))


@close()
def test_bincount_weights(xp):
    x = I(xp)
    return (xp.bincount(x, weights=X(xp, 40)), xp.bincount(x, weights=x),
            xp.bincount(x, weights=X(xp, 40), minlength=20))


@pytest.mark.parametrize('case', range(5))
@err()
def test_bincount_errors(xp, case):
    if case == 0:
        return xp.bincount(xp.asarray([1, -1, 2]))
    if case == 1:
        return xp.bincount(xp.asarray([1.0, 2.0]))
    if case == 2:
        return xp.bincount(I(xp), minlength=-1)
    if case == 3:
        return xp.bincount(I(xp).reshape(4, 10))
    return xp.bincount(I(xp), weights=X(xp, 39))


def test_bincount_counts_one_host_sync():
    import wgpy as wp
    x = wp.asarray([1, 4, 2, 4])
    wp.sync()
    before = wp.counters()['host_syncs_for_size']
    wp.bincount(x)
    assert wp.counters()['host_syncs_for_size'] == before + 1


@pytest.mark.parametrize('bins', [10, 5, 1, [-3.0, -1.0, 0.0, 2.0, 5.0], 'sqrt', 'sturges',
                                  'rice', 'scott', 'doane', 'fd', 'auto'])
@close()
def test_histogram(xp, bins):
    x = X(xp)
    if isinstance(bins, list):
        bins = xp.asarray(bins)
    return xp.histogram(x, bins=bins), xp.histogram_bin_edges(x, bins=bins)


@close()
def test_histogram_range_weights_density(xp):
    x = X(xp)
    w = shaped_random((50,), xp, 'float32', seed=5, scale=2)
    return (xp.histogram(x, bins=5, range=(-2, 2)),
            xp.histogram(x, bins=7, weights=w),
            xp.histogram(x, bins=7, weights=w, density=True),
            xp.histogram(x, bins=7, density=True),
            xp.histogram(x.reshape(5, 10), bins=3),
            xp.histogram(I(xp), bins=4),
            xp.histogram(I(xp), bins=4, weights=I(xp, seed=3)),
            xp.histogram(xp.asarray([], dtype='float32'), bins=3),
            xp.histogram(xp.asarray([2.0, 2.0, 2.0]), bins=4),
            xp.histogram(x, bins=6, range=(-2, 2), density=True))


@pytest.mark.parametrize('case', range(6))
@err()
def test_histogram_errors(xp, case):
    x = X(xp)
    if case == 0:
        return xp.histogram(x, bins=0)
    if case == 1:
        return xp.histogram(x, bins=xp.asarray([0.0, 2.0, 1.0]))
    if case == 2:
        return xp.histogram(x, range=(2, 1))
    if case == 3:
        return xp.histogram(x, bins='nope')
    if case == 4:
        return xp.histogram(x, weights=X(xp, 49))
    return xp.histogram(xp.asarray([1.0, float('inf')]))


@close()
def test_histogram2d(xp):
    x, y = X(xp, 25), X(xp, 25, seed=2)
    w = shaped_random((25,), xp, 'float32', seed=5, scale=2)
    return (xp.histogram2d(x, y, bins=4),
            xp.histogram2d(x, y, bins=[3, xp.asarray([-2.0, 0.0, 2.0])], density=True),
            xp.histogram2d(x, y, bins=xp.asarray([-3.0, 0.0, 1.0, 3.0]), weights=w),
            xp.histogram2d(x, y, bins=(2, 5), range=[(-1, 1), (0, 4)]))


@close()
def test_histogramdd(xp):
    s = X(xp, 48).reshape(16, 3)
    w = shaped_arange((16,), xp, 'float32')
    return (xp.histogramdd(s, bins=(2, 3, 4)),
            xp.histogramdd(s, bins=3, weights=w, range=[(-1, 1), None, (0, 3)]),
            xp.histogramdd(s, bins=2, density=True),
            xp.histogramdd(X(xp, 10), bins=4),
            xp.histogramdd([X(xp, 10), X(xp, 10, seed=4)], bins=[2, 3]))


@pytest.mark.parametrize('case', range(4))
@err()
def test_histogramdd_errors(xp, case):
    s = X(xp, 48).reshape(16, 3)
    if case == 0:
        return xp.histogramdd(s, bins=(2, 3))
    if case == 1:
        return xp.histogramdd(s, bins=(2, 0, 3))
    if case == 2:
        return xp.histogramdd(s, bins=[2, 2, xp.asarray([1.0, 0.0])])
    return xp.histogram2d(X(xp, 5), X(xp, 6))


@close()
def test_interp(xp):
    x = X(xp)
    xp_ = xp.asarray([0.0, 1.0, 2.5, 4.0])
    fp = xp.asarray([1.0, -1.0, 3.0, 0.0])
    return (xp.interp(x, xp_, fp), xp.interp(x, xp_, fp, left=-9, right=9.5),
            xp.interp(xp.asarray([NAN, 0.0, 4.0, 1.0]), xp_, fp),
            xp.interp(2.0, xp_, fp), xp.interp(x.reshape(5, 10), xp_, fp, left=0.5),
            xp.interp(shaped_arange((6,), xp, 'int32'), xp.asarray([1, 3, 5]),
                      xp.asarray([2, 0, 1])),
            xp.interp(xp.asarray([-180.0, -170.0, -185.0, 185.0, -10.0, -5.0, 0.0, 365.0, 10.0]),
                      xp.asarray([350.0, 10.0, 50.0, 190.0]), xp.asarray([1.0, 2.0, 3.0, 4.0]),
                      period=360))


@pytest.mark.parametrize('case', range(3))
@err()
def test_interp_errors(xp, case):
    if case == 0:
        return xp.interp(X(xp), xp.asarray([0.0, 1.0]), xp.asarray([1.0, 2.0, 3.0]))
    if case == 1:
        return xp.interp(X(xp), xp.asarray([], dtype='float32'), xp.asarray([], dtype='float32'))
    return xp.interp(X(xp), xp.asarray([0.0, 1.0]), xp.asarray([1.0, 2.0]), period=0)


@pytest.mark.parametrize('mode', ['valid', 'same', 'full'])
@pytest.mark.parametrize('na,nv', [(5, 3), (3, 5), (4, 6), (6, 4), (1, 1), (7, 7)])
@close()
def test_correlate_convolve(xp, mode, na, nv):
    a = X(xp, na, seed=1)
    v = X(xp, nv, seed=2)
    return xp.correlate(a, v, mode), xp.convolve(a, v, mode)


@eq()
def test_correlate_dtypes(xp):
    a = shaped_arange((5,), xp, 'int16')
    v = shaped_arange((3,), xp, 'int8')
    return xp.correlate(a, v, 'full'), xp.convolve(a, v), xp.correlate(a, v)


@pytest.mark.parametrize('case', range(3))
@err()
def test_correlate_errors(xp, case):
    if case == 0:
        return xp.correlate(xp.asarray([], dtype='float32'), X(xp, 3))
    if case == 1:
        return xp.convolve(X(xp, 3), X(xp, 3), mode='bad')
    return xp.convolve(X(xp, 3), xp.asarray([], dtype='float32'))


@close(rtol=1e-4, atol=1e-5)
def test_cov(xp):
    m = X(xp, 18).reshape(3, 6)
    return (xp.cov(m), xp.cov(m, rowvar=False, bias=True), xp.cov(m[0], m[1]),
            xp.cov(m, fweights=xp.asarray([1, 2, 1, 3, 1, 1]),
                   aweights=xp.asarray([0.5, 1.0, 1.0, 2.0, 1.0, 0.25])),
            xp.cov(m, ddof=0), xp.cov(m, aweights=xp.asarray([0.5, 1.0, 1.0, 2.0, 1.0, 0.25])),
            xp.cov(m, fweights=xp.asarray([1, 2, 1, 3, 1, 1]), ddof=2),
            xp.cov(shaped_arange((2, 4), xp, 'int16')), xp.cov(m, dtype='float32'))


@close(rtol=1e-4, atol=1e-5)
def test_corrcoef(xp):
    m = X(xp, 18).reshape(3, 6)
    return (xp.corrcoef(m), xp.corrcoef(m[0], m[2]), xp.corrcoef(m, rowvar=False),
            xp.corrcoef(m[0]))


@pytest.mark.parametrize('case', range(5))
@err()
def test_cov_errors(xp, case):
    m = X(xp, 18).reshape(3, 6)
    if case == 0:
        return xp.cov(m.reshape(1, 3, 6))
    if case == 1:
        return xp.cov(m, fweights=xp.asarray([1.5, 1, 1, 1, 1, 1]))
    if case == 2:
        return xp.cov(m, aweights=xp.asarray([-1.0, 1, 1, 1, 1, 1]))
    if case == 3:
        return xp.cov(m, ddof=1.5)
    return xp.cov(m, fweights=xp.asarray([1, 1, 1]))


@close()
def test_cov_dof_warning(xp):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        return xp.cov(xp.asarray([[1.0], [2.0]]))


@pytest.mark.parametrize('gather', ['0', '1'])
def test_gather_path(monkeypatch, gather):
    """Both counting forms agree (the gather is what webgl2 runs)."""
    import wgpy as wp
    monkeypatch.setenv('WGPY_HIST_GATHER', gather)
    x = wp.asarray([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
    w = wp.asarray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0])
    assert wp.bincount(x).tolist() == [0, 2, 1, 2, 1, 3, 1, 0, 0, 1]
    assert wp.bincount(x, weights=w).tolist() == [0, 6, 7, 11, 3, 25, 8, 0, 0, 6]
    h, _ = wp.histogram(x, bins=3)
    assert h.tolist() == [5, 5, 1]


# ---- complex data (NumPy's path: complex edges, its lexicographic order) -------------------

def Z(xp, n=40, seed=11):
    re = shaped_random((n,), xp, 'float32', seed=seed, scale=4, low=-2)
    im = shaped_random((n,), xp, 'float32', seed=seed + 1, scale=4, low=-2)
    return re + im * 1j


@pytest.mark.parametrize('bins', [1, 3, 7, [-3.0, -1.0, 0.0, 2.0, 5.0], 'complex_edges'])
@close()
def test_histogram_complex(xp, bins):
    z = Z(xp)
    if bins == 'complex_edges':
        bins = xp.asarray([-2 + 1j, -1, 1j, 1 - 1j, 3], dtype='complex64')
    elif isinstance(bins, list):
        bins = xp.asarray(bins)
    w = shaped_random((40,), xp, 'float32', seed=5, scale=2)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # NumPy's ComplexWarning (density, index casts)
        return (xp.histogram(z, bins=bins), xp.histogram_bin_edges(z, bins=bins),
                xp.histogram(z, bins=bins, weights=w), xp.histogram(z, bins=bins, weights=w + 1j),
                xp.histogram(z, bins=bins, density=True)
                if not isinstance(bins, int) or bins != 1 else 0)


@close()
def test_histogram_complex_edge_cases(xp):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return (xp.histogram(xp.asarray([], dtype='complex64'), bins=3),
                xp.histogram(xp.asarray([1j, 1j], dtype='complex64'), bins=3),
                xp.histogram(Z(xp), bins=4, range=(-1, 1)))


@err()
def test_histogram_complex_string_bins(xp):
    return xp.histogram(Z(xp), bins='auto')
