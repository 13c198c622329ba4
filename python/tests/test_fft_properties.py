"""Property-based tests (hypothesis, native only) of wgpy.fft: random shapes, axes, n (crop and
pad, smooth and Bluestein sizes), norms and transforms against numpy's complex128 result, within
the float32 bound of test_fft.py (4 eps log2(n) of the result's scale), and the identities
ifft(fft(x)) = x, irfft(rfft(x), n) = x."""

import math

import pytest

pytestmark = pytest.mark.native_only

try:
    import numpy as np
    from hypothesis import HealthCheck, given, settings, strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as e:  # Pyodide (no numpy), or hypothesis missing
    pytest.skip('native_only: %s' % e, allow_module_level=True)

import wgpy as wp

SETTINGS = settings(max_examples=60, derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
EPS32 = 2.0 ** -23
NORMS = [None, 'backward', 'ortho', 'forward']


def to_pairs(z):
    return np.ascontiguousarray(np.stack([z.real, z.imag], axis=-1)).astype(np.float32)


@st.composite
def cases(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=24))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    n = draw(st.one_of(st.none(), st.integers(1, 70)))
    norm = draw(st.sampled_from(NORMS))
    name = draw(st.sampled_from(['fft', 'ifft', 'rfft', 'irfft', 'hfft', 'ihfft']))
    vals = draw(hnp.arrays(np.float32, shape + (2,),
                           elements=st.floats(-4, 4, width=32, allow_subnormal=False)))
    return shape, axis, n, norm, name, vals


@SETTINGS
@given(cases())
def test_1d_against_numpy(case):
    shape, axis, n, norm, name, vals = case
    cplx = name not in ('rfft', 'ihfft')
    x = (vals[..., 0] + 1j * vals[..., 1]) if cplx else vals[..., 0]
    try:
        want = getattr(np.fft, name)(x.astype(np.complex128 if cplx else np.float64), n, axis,
                                     norm)
    except ValueError as e:  # n resolves to < 1 (irfft/hfft of a length-1 axis)
        with pytest.raises(ValueError):
            getattr(wp.fft._pairs, name)(wp.asarray(vals if cplx else vals[..., 0]), cplx, n,
                                         axis, norm)
        assert 'Invalid number of FFT data points' in str(e)
        return
    got = wp.asnumpy(getattr(wp.fft._pairs, name)(wp.asarray(vals if cplx else vals[..., 0]),
                                                  cplx, n, axis, norm))
    want = to_pairs(want) if np.iscomplexobj(want) else want.astype(np.float32)
    assert got.shape == want.shape and got.dtype == np.float32
    npts = max(n or 0, x.shape[axis], 2)
    # the bound of test_fft.py, against the largest element (inputs are not of unit rms here)
    scale = max(float(np.abs(want).max()), float(np.abs(vals).max()), 1e-30)
    bound = 8 * EPS32 * max(1.0, math.log2(npts)) * scale
    assert float(np.abs(got - want).max()) <= bound


@SETTINGS
@given(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=40), st.integers(0, 1),
       st.sampled_from(NORMS))
def test_roundtrips(shape, which, norm):
    axis = -1
    r = np.sin(np.arange(int(np.prod(shape)), dtype=np.float32) * np.float32(0.7)).reshape(shape)
    n = shape[axis]
    if which == 0:  # ifft(fft(x)) == x on pairs
        p = wp.asarray(np.stack([r, np.cos(r)], axis=-1))
        back = wp.fft._pairs.ifft(wp.fft._pairs.fft(p, True, None, axis, norm), True, None, axis,
                                  norm)
        ref = wp.asnumpy(p)
    else:  # irfft(rfft(x), n) == x
        back = wp.fft._pairs.irfft(wp.fft._pairs.rfft(wp.asarray(r), False, None, axis, norm),
                                   True, n, axis, norm)
        ref = r
    tol = 8 * EPS32 * max(1.0, math.log2(max(n, 2))) * 2
    assert float(np.abs(wp.asnumpy(back) - ref).max()) <= tol
