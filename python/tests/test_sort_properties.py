"""Property-based tests (hypothesis, native only) of the bitonic sort and its users: sort, argsort
(stable), unique (all returns) and searchsorted on random shapes, dtypes and axes, with many
duplicates, NaN and infinities, against numpy."""

import pytest

from wgpy import testing

pytestmark = pytest.mark.native_only

try:
    import numpy as np
    from hypothesis import HealthCheck, given, settings, strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as e:  # Pyodide (no numpy), or hypothesis missing
    pytest.skip('native_only: %s' % e, allow_module_level=True)

SETTINGS = settings(max_examples=40, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
DTYPES = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float16', 'float32']


@st.composite
def arrays(draw, min_dims=1, max_dims=3, max_side=40):
    dt = draw(st.sampled_from(DTYPES))
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=0,
                                  max_side=max_side))
    if dt == 'bool':
        elems = st.booleans()
    elif dt.startswith(('int', 'uint')):
        info = np.iinfo(dt)
        # few distinct values (duplicates), plus the extremes
        elems = st.one_of(st.integers(0, 5), st.sampled_from([int(info.min), int(info.max)]))
    else:
        elems = st.one_of(st.sampled_from([0.0, -0.0, 1.5, -2.0, 3.0]),
                          st.just(float('nan')), st.just(float('inf')),
                          st.just(float('-inf')), st.floats(-100, 100, width=16))
    return draw(hnp.arrays(dt, shape, elements=elems))


def check(fn, **kw):
    testing.numpy_wgpy_array_equal(**kw)(fn)()


@SETTINGS
@given(arrays(), st.integers(-3, 2))
def test_sort_argsort_property(a, axis):
    if not -a.ndim <= axis < a.ndim:
        axis = -1
    check(lambda xp: (xp.sort(xp.asarray(a), axis=axis),
                      xp.argsort(xp.asarray(a), axis=axis, kind='stable')))


@SETTINGS
@given(arrays(max_dims=2))
def test_unique_property(a):
    check(lambda xp: xp.unique(xp.asarray(a), return_index=True, return_inverse=True,
                               return_counts=True))


@SETTINGS
@given(arrays(min_dims=2, max_dims=2, max_side=12), st.integers(0, 1))
def test_unique_axis_property(a, axis):
    if a.dtype.kind == 'f':  # NumPy's axis unique of floats compares bytes (-0.0 != 0.0)
        a = np.nan_to_num(a, nan=7.0) + 0.0
    check(lambda xp: xp.unique(xp.asarray(a), return_index=True, return_inverse=True,
                               return_counts=True, axis=axis))


@SETTINGS
@given(arrays(min_dims=1, max_dims=1, max_side=70), arrays(max_dims=2, max_side=8),
       st.sampled_from(['left', 'right']))
def test_searchsorted_property(a, v, side):
    a = np.sort(a)
    if a.dtype.kind != v.dtype.kind or a.dtype.kind in 'iu':
        # mixed int kinds promote to int64, which is int32 with 64-bit types off (by design)
        v = v.astype(a.dtype)
    check(lambda xp: xp.searchsorted(xp.asarray(a), xp.asarray(v), side=side))
