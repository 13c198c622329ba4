"""median, percentile, quantile (all 13 methods), nanmedian, nanpercentile, nanquantile against
numpy (issue 10): a sort along the axis, then one kernel gathers and interpolates each quantile."""

import pytest

from wgpy import testing
from wgpy.testing import shaped_arange, shaped_random

close = testing.numpy_wgpy_allclose
eq = testing.numpy_wgpy_array_equal
def eq_err():
    return testing.numpy_wgpy_array_equal(accept_error=True)

METHODS = ['linear', 'lower', 'higher', 'midpoint', 'nearest', 'inverted_cdf',
           'averaged_inverted_cdf', 'closest_observation', 'interpolated_inverted_cdf', 'hazen',
           'weibull', 'median_unbiased', 'normal_unbiased']
QS = [0.0, 0.05, 0.1, 0.25, 1.0 / 3.0, 0.5, 0.6, 0.75, 0.9, 0.99, 1.0]


def with_nans(xp, x):
    m = xp.asarray([(i % 4) == 1 for i in range(x.size)]).reshape(x.shape)
    return xp.where(m, xp.asarray(float('nan'), dtype=x.dtype), x)


@pytest.mark.parametrize('method', METHODS)
@pytest.mark.parametrize('n', [1, 2, 5, 10, 33])
@close()
def test_quantile_methods(xp, method, n):
    x = shaped_random((3, n), xp, 'float32', seed=n, scale=100)
    return xp.quantile(x, QS, axis=1, method=method)


@pytest.mark.parametrize('method', METHODS)
@close()
def test_quantile_methods_int_input(xp, method):
    x = shaped_random((4, 9), xp, 'int32', seed=3, scale=50)
    return xp.quantile(x, [0.2, 0.5, 0.8], axis=0, method=method), \
        xp.quantile(x, 0.3, method=method)


@pytest.mark.parametrize('method', ['linear', 'lower', 'nearest', 'hazen'])
@close()
def test_percentile_methods(xp, method):
    x = shaped_random((5, 8), xp, 'float32', seed=4)
    return xp.percentile(x, [0, 12.5, 50, 99, 100], axis=-1, method=method), \
        xp.percentile(x, 40, method=method)


@pytest.mark.parametrize('axis', [None, 0, 1, 2, -1, (0, 2), (1, 2), (0, 1, 2)])
@pytest.mark.parametrize('keepdims', [False, True])
@close()
def test_quantile_axes_keepdims(xp, axis, keepdims):
    x = shaped_random((3, 4, 5), xp, 'float32', seed=5)
    return xp.quantile(x, 0.4, axis=axis, keepdims=keepdims), \
        xp.quantile(x, [0.1, 0.9], axis=axis, keepdims=keepdims), \
        xp.median(x, axis=axis, keepdims=keepdims)


@pytest.mark.parametrize('dtype', ['float16', 'float32', 'float64', 'int8', 'uint16', 'int32',
                                   'bool'])
@close()
def test_median_dtypes(xp, dtype):
    x = shaped_random((4, 7), xp, dtype, seed=6, scale=20)
    return xp.median(x), xp.median(x, axis=0), xp.median(x[:, :6], axis=1)


@close()
def test_quantile_q_array_dtype(xp):
    x = shaped_random((10,), xp, 'float32', seed=7)
    q32 = xp.asarray([0.25, 0.5], dtype='float32')
    return xp.quantile(x, q32), xp.quantile(x, xp.asarray([0.3, 0.7])), xp.quantile(x, 0.3), \
        xp.quantile(x, [[0.1, 0.2], [0.3, 0.4]]) if False else xp.quantile(x, (0.1, 0.2))


@close()
def test_quantile_with_nan_propagates(xp):
    x = with_nans(xp, shaped_random((3, 8), xp, 'float32', seed=8))
    return xp.quantile(x, [0.2, 0.5], axis=1), xp.median(x, axis=0), xp.percentile(x, 30)


@pytest.mark.parametrize('method', METHODS)
@close()
def test_nanquantile_methods(xp, method):
    x = with_nans(xp, shaped_random((4, 9), xp, 'float32', seed=9))
    return xp.nanquantile(x, [0.0, 0.3, 0.5, 1.0], axis=1, method=method)


@close()
def test_nan_functions(xp):
    x = with_nans(xp, shaped_random((5, 6), xp, 'float32', seed=10))
    return (xp.nanmedian(x), xp.nanmedian(x, axis=0), xp.nanmedian(x, axis=1, keepdims=True),
            xp.nanpercentile(x, [10, 90], axis=1), xp.nanquantile(x, 0.5),
            xp.nanmedian(shaped_arange((3, 4), xp, 'int32'), axis=1))


@close()
def test_nanmedian_all_nan_row(xp):
    nan = float('nan')
    x = xp.asarray([[nan, nan, nan], [1.0, nan, 3.0]], dtype='float32')
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        # (a list q: NumPy's dtype then follows the first row's path, float32 for an all-NaN row)
        return xp.nanmedian(x, axis=1), xp.nanquantile(x, 0.0, axis=1), xp.nanquantile(x, 1.0, axis=1)


@close()
def test_quantile_out(xp):
    x = shaped_random((4, 6), xp, 'float32', seed=11)
    o = xp.zeros((4,), dtype='float32')
    r = xp.median(x, axis=1, out=o)
    o2 = xp.zeros((2, 6), dtype='float32')
    xp.quantile(x, [0.25, 0.75], axis=0, out=o2)
    return o, r is o, o2


@pytest.mark.parametrize('call', ['q_high', 'q_low', 'p_high', 'method', 'axis', 'empty',
                                  'q_2d'])
@eq_err()
def test_quantile_errors(xp, call):
    x = shaped_arange((3, 4), xp)
    if call == 'q_high':
        return xp.quantile(x, 1.5)
    if call == 'q_low':
        return xp.quantile(x, [0.5, -0.1])
    if call == 'p_high':
        return xp.percentile(x, 101)
    if call == 'method':
        return xp.quantile(x, 0.5, method='bogus')
    if call == 'axis':
        return xp.quantile(x, 0.5, axis=2)
    if call == 'empty':
        return xp.quantile(xp.zeros((0,)), 0.5)
    return xp.quantile(x, [[0.5]])


# ---- weights (inverted_cdf only, as NumPy) ----
@pytest.mark.parametrize('axis', [None, 0, 1, -1])
@eq()
def test_quantile_weights(xp, axis):
    x = shaped_random((4, 6), xp, 'float32', seed=12)
    w = shaped_random((4, 6), xp, 'float32', seed=13, scale=3)  # zeros among them
    r = [xp.quantile(x, [0.0, 0.2, 0.5, 0.9, 1.0], axis=axis, method='inverted_cdf', weights=w),
         xp.percentile(x, 40, axis=axis, method='inverted_cdf', weights=w)]
    if axis is not None:
        w1 = shaped_random((x.shape[axis],), xp, 'int32', seed=14, scale=4) + 1
        r.append(xp.quantile(x, 0.3, axis=axis, method='inverted_cdf', weights=w1))
    return tuple(r)


@eq()
def test_quantile_weights_nan_and_int(xp):
    nan = float('nan')
    x = xp.asarray([[3.0, 1.0, 2.0, 5.0], [nan, 1.0, 2.0, 3.0]], dtype='float32')
    w = xp.asarray([1.0, 2.0, 0.0, 1.0], dtype='float32')
    xi = xp.asarray([4, 1, 3, 2], dtype='int32')
    return (xp.quantile(x, [0.2, 0.5, 1.0], axis=1, method='inverted_cdf', weights=w),
            xp.quantile(xi, 0.5, method='inverted_cdf', weights=xp.ones(4)))


@pytest.mark.parametrize('call', ['method', 'negative', 'shape', 'zeros'])
@eq_err()
def test_quantile_weights_errors(xp, call):
    x = shaped_arange((2, 4), xp)
    w = xp.ones((4,), dtype='float32')
    if call == 'method':
        return xp.quantile(x, 0.5, axis=1, weights=w)
    if call == 'negative':
        return xp.quantile(x, 0.5, axis=1, method='inverted_cdf', weights=-w)
    if call == 'shape':
        return xp.quantile(x, 0.5, axis=1, method='inverted_cdf', weights=w[:3])
    return xp.quantile(x, 0.5, axis=1, method='inverted_cdf', weights=w * 0)
