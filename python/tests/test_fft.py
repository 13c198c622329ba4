"""numpy.fft (wgpy.fft, docs/fft.md): the 14 transforms against numpy — every size class of the
engine (1; radix 4, 2, 3, 5 and mixed Stockham passes; Bluestein for other primes), every norm,
axes, n crop/pad, s/axes of the n-d transforms with NumPy 2's deprecations, dtypes, empty
arrays and errors — and fftfreq, rfftfreq, fftshift, ifftshift.

Most cases run through ``wgpy.fft._pairs`` on float pairs (a trailing axis of 2, NumPy's
interleaved layout of complex64; numpy's complex results are compared as
``stack([real, imag], -1)``): the same engine path as the public functions, which are tested on
complex arrays at the end.  numpy's side is computed in complex128 from the float32 input and
rounded to the dtype NumPy itself returns (complex64 for float32 input), so the reference's own
error is below float32's half ulp.

Accuracy bound (float32): every element of a transform of n points of an input of rms r within
    4 * eps * max(1, log2 n) * sqrt(n) * r * scale
(eps = 2**-23, scale the norm's factor: 1, 1/n or 1/sqrt(n)), i.e. a relative error of
~4 log2(n) eps of the result's rms.  The engine's measured errors are 0.3 to 2.5 eps of the
largest value for n up to 4096 (docs/fft.md).
"""

import math

import pytest

from wgpy import testing

EPS32 = 2.0 ** -23
RMS = 0.82  # shaped_random(scale=2, low=-1) complex pairs: |x| rms sqrt(2/3)


def pairs(xp, shape, cplx=True, seed=0, dtype='float32'):
    """A deterministic input: complex pairs (shape + (2,)) or a real array."""
    return testing.shaped_random(tuple(shape) + ((2,) if cplx else ()), xp, dtype, seed=seed,
                                 scale=2, low=-1)


def np_pairs(r):
    """numpy's result as wgpy's pair form (complex: a trailing axis of (real, imag))."""
    import numpy as np
    if np.iscomplexobj(r):
        return np.ascontiguousarray(np.stack([r.real, r.imag], axis=-1))
    return r


def xfft(xp, name, p, cplx, *args, **kwargs):
    """name(x, ...) of the input p (pairs when cplx): wgpy's pair transforms, or numpy's in
    complex128 rounded to the dtype NumPy returns for p's dtype."""
    if testing.is_wgpy(xp):
        return getattr(xp.fft._pairs, name)(p, cplx, *args, **kwargs)
    import numpy as np
    x = (p[..., 0] + 1j * p[..., 1]).astype(np.result_type(p.dtype, np.complex64)) if cplx else p
    want = getattr(np.fft, name)(x, *args, **kwargs).dtype
    r = getattr(np.fft, name)(x.astype(np.complex128) if cplx else x.astype(np.float64),
                              *args, **kwargs)
    return np_pairs(r.astype(want))


def check(func, n, scale=1.0, rms=RMS, accept_error=False):
    """Compare func(xp) between numpy (or the golden recording) and wgpy within the bound of the
    module's docstring for a transform of n points."""
    atol = 4 * EPS32 * max(1.0, math.log2(max(n, 1))) * math.sqrt(max(n, 1)) * rms * scale
    testing._run_comparison(func, (), {}, 'xp', False, 1e-5, atol, True, accept_error)


def norm_scale(norm, n, inverse):
    if norm == 'ortho':
        return 1 / math.sqrt(n)
    if (norm == 'forward') != bool(inverse):
        return 1 / n
    return 1.0


SIZES = [1, 2, 3, 5, 7, 8, 12, 15, 16, 17, 64, 97, 100, 128, 243, 1000, 1024, 4096]


@pytest.mark.parametrize('n', SIZES)
@pytest.mark.parametrize('name', ['fft', 'ifft'])
def test_c2c_sizes(name, n):
    check(lambda xp: xfft(xp, name, pairs(xp, (n,)), True), n,
          norm_scale(None, n, name == 'ifft'))


@pytest.fixture(params=['passes', 'workgroup'])
def fft_path(request):
    """The engine's FFT passes (docs/fft.md "Workgroup passes"): 'workgroup' forces the
    workgroup-memory passes wherever they fit (the cpu backend included; webgl2 has none and
    keeps its per-pass gathers), 'passes' one launch per radix pass."""
    import wgpy
    old = wgpy.fft._set_fft_path(request.param)
    yield request.param
    wgpy.fft._set_fft_path(old)


@pytest.mark.parametrize('n', [2, 8, 32, 512, 2048])
@pytest.mark.parametrize('name', ['fft', 'ifft', 'rfft', 'irfft'])
def test_workgroup_passes(fft_path, name, n):
    """Both FFT paths against numpy, one workgroup pass (n <= 2048, odd and even log2 n, several
    rows a workgroup): rows along the last axis and along axis 0 (strided), crop and pad (the
    fused load).  Sizes kept small: the golden replay records every result."""
    cplx = name != 'rfft'
    inverse = name.startswith('i')
    rms = RMS if cplx else 0.58
    m = n // 2 + 1 if name == 'irfft' else n
    check(lambda xp: xfft(xp, name, pairs(xp, (3 if n <= 512 else 1, m), cplx), cplx, n), n,
          norm_scale(None, n, inverse), rms=rms)
    if n <= 512:
        check(lambda xp: xfft(xp, name, pairs(xp, (m, 3), cplx, seed=1), cplx, n, 0, 'ortho'),
              n, norm_scale('ortho', n, inverse), rms=rms)
    if name == 'ifft' and n == 8:  # a middle axis of power-of-two inner length: in place (one shader)
        check(lambda xp: xfft(xp, name, pairs(xp, (2, n, 4), seed=3), True, n, 1), n,
              norm_scale(None, n, inverse))
    if name in ('fft', 'ifft') and n <= 512:
        for k in (n // 2 + 1, n + 3):
            check(lambda xp: xfft(xp, name, pairs(xp, (2, k), seed=2), True, n), n,
                  norm_scale(None, n, inverse))


@pytest.mark.parametrize('name', ['fft', 'irfft'])
def test_workgroup_four_step(name):
    """The four-step (a column pass with the twiddles fused into its store, a row pass stored
    transposed): fft of 8192 = 64 x 128 points (C2C, fused load and store), irfft of 8192 (a
    planar complex transform of 4096 = 64 x 64).  The per-pass path's 4096 is test_c2c_sizes'."""
    import wgpy
    old = wgpy.fft._set_fft_path('workgroup')
    try:
        n = 8192
        m = n // 2 + 1 if name == 'irfft' else n
        check(lambda xp: xfft(xp, name, pairs(xp, (m,)), True, n), n,
              norm_scale(None, n, name == 'irfft'))
    finally:
        wgpy.fft._set_fft_path(old)


@pytest.mark.parametrize('n', [1, 2, 3, 8, 17, 100, 243, 1024])
def test_c2c_batched_rows(n):
    # several rows in one dispatch: (3, n) along the last axis, and along axis 0
    check(lambda xp: xfft(xp, 'fft', pairs(xp, (3, n)), True), n)
    check(lambda xp: xfft(xp, 'fft', pairs(xp, (n, 3), seed=1), True, None, 0), n)


@pytest.mark.parametrize('n', [1, 2, 3, 4, 5, 7, 12, 17, 64, 100, 243, 1000])
def test_rfft_irfft_sizes(n):
    check(lambda xp: xfft(xp, 'rfft', pairs(xp, (2, n), cplx=False), False), n, rms=0.58)
    # irfft of n points from n//2 + 1 complex ones
    check(lambda xp: xfft(xp, 'irfft', pairs(xp, (2, n // 2 + 1)), True, n), n, 1 / n)


@pytest.mark.parametrize('norm', [None, 'backward', 'ortho', 'forward'])
@pytest.mark.parametrize('name,cplx,inverse', [
    ('fft', True, False), ('ifft', True, True), ('fft', False, False), ('ifft', False, True),
    ('rfft', False, False), ('irfft', True, True), ('irfft', False, True),
    ('hfft', True, False), ('hfft', False, False), ('ihfft', False, True)])
@pytest.mark.parametrize('n', [12, 7])
def test_norms(name, cplx, inverse, norm, n):
    # hfft / ihfft scale as the direction they are named for (numpy swaps the norm)
    check(lambda xp: xfft(xp, name, pairs(xp, (3, n), cplx), cplx, n, -1, norm), n,
          norm_scale(norm, n, inverse))


@pytest.mark.parametrize('shape,axis', [((3, 5, 8), 0), ((3, 5, 8), 1), ((3, 5, 8), -1),
                                        ((3, 5, 8), -3), ((4, 1, 6), 1), ((2, 3, 4, 5), 2)])
@pytest.mark.parametrize('name', ['fft', 'ifft', 'rfft', 'irfft', 'hfft', 'ihfft'])
def test_axes(name, shape, axis):
    cplx = name not in ('rfft', 'ihfft')
    n = shape[axis]  # irfft/hfft of a length-1 axis: n = 0, numpy's ValueError
    check(lambda xp: xfft(xp, name, pairs(xp, shape, cplx), cplx, None, axis), 2 * n,
          accept_error=True)


@pytest.mark.parametrize('n', [1, 3, 4, 6, 9, 16, 25])
@pytest.mark.parametrize('name', ['fft', 'ifft', 'rfft', 'irfft', 'hfft', 'ihfft'])
def test_n_crop_pad(name, n):
    # the input has 8 points along axis 1: n < 8 crops, n > 8 zero-pads
    cplx = name not in ('rfft', 'ihfft')
    check(lambda xp: xfft(xp, name, pairs(xp, (2, 8, 3), cplx), cplx, n, 1), 2 * n)


@pytest.mark.parametrize('name,cplx', [('fftn', True), ('ifftn', True), ('fft2', True),
                                       ('ifft2', True), ('rfftn', False), ('rfft2', False),
                                       ('irfftn', True), ('irfft2', True), ('fftn', False)])
@pytest.mark.parametrize('s,axes', [(None, None), (None, (0, 2)), ((5, 4), (2, 0)),
                                    ((3, 7, 2), (0, 1, 2)), (None, (-1,)), ((6,), (1,)),
                                    (None, (1, 1))])
@pytest.mark.parametrize('norm', [None, 'ortho'])
def test_nd(name, cplx, s, axes, norm):
    if name.endswith('2') and axes is None:
        axes = (-2, -1)
    kw = {'s': s, 'axes': axes, 'norm': norm}
    check(lambda xp: xfft(xp, name, pairs(xp, (4, 6, 5), cplx), cplx, **kw), 120)


def test_nd_axes_empty_returns_input():
    import wgpy as wp
    a = pairs(wp, (3, 4))
    assert wp.fft._pairs.fftn(a, True, axes=()) is a
    assert wp.fft.fftn(a[..., 0], axes=()) is not None


@pytest.mark.parametrize('call', [
    lambda F, a: F.fftn(a, True, s=(3, 4)),                    # s without axes
    lambda F, a: F.fftn(a, True, s=(3, None), axes=(0, 1)),    # None in s
    lambda F, a: F.irfftn(a, True, s=(3, 4)),
])
def test_nd_deprecations(call):
    """NumPy 2.0's DeprecationWarnings (wgpy warns as numpy does; the result is numpy's)."""
    import wgpy as wp
    with pytest.warns(DeprecationWarning):
        call(wp.fft._pairs, pairs(wp, (3, 4)))


@pytest.mark.parametrize('dt', ['int32', 'bool', 'float16', 'int8', 'uint8'])
@pytest.mark.parametrize('name', ['fft', 'rfft', 'irfft', 'hfft', 'ihfft'])
def test_real_input_dtypes(dt, name):
    """Real input of any dtype: float16/float32 compute in float32 (NumPy 2 keeps single
    precision; irfft/hfft of float16 give float16), the others in float64 (float32 under the
    64-bit-off policy)."""
    def f(xp):
        x = testing.shaped_random((2, 6), xp, dt, seed=3, scale=4)
        return xfft(xp, name, x, False)
    check(f, 12, rms=3.0, accept_error=False)


@pytest.mark.parametrize('shape,n,axis', [((0, 4), None, -1), ((0, 4), 8, -1), ((3, 0), 5, 1),
                                          ((2, 0, 3), 4, 1)])
@pytest.mark.parametrize('name', ['fft', 'rfft', 'irfft'])
def test_empty(name, shape, n, axis):
    cplx = name != 'rfft'
    check(lambda xp: xfft(xp, name, pairs(xp, shape, cplx), cplx, n, axis), 8)


@pytest.mark.parametrize('call', [
    lambda xp, a, r: xfft(xp, 'fft', a, True, 0),                  # n < 1
    lambda xp, a, r: xfft(xp, 'ifft', a, True, -3),
    lambda xp, a, r: xfft(xp, 'rfft', r, False, 0),
    lambda xp, a, r: xfft(xp, 'irfft', a[:1], True),               # n = 2 (1 - 1) = 0
    lambda xp, a, r: xfft(xp, 'fft', a, True, None, 1),            # axis out of range
    lambda xp, a, r: xfft(xp, 'fft', a, True, 4, -2),
    lambda xp, a, r: xfft(xp, 'rfft', r, False, None, 5),
    lambda xp, a, r: xfft(xp, 'fft', a, True, None, -1, 'bad'),    # norm
    lambda xp, a, r: xfft(xp, 'hfft', a, True, None, -1, 'Ortho'),
    lambda xp, a, r: xfft(xp, 'rfft', a, True),                    # rfft of complex input
    lambda xp, a, r: xfft(xp, 'fftn', a, True, (2, 3), (0,)),      # s and axes lengths
    lambda xp, a, r: xfft(xp, 'fftn', a, True, None, (3,)),        # axes out of range
    lambda xp, a, r: xfft(xp, 'rfftn', r, False, None, ()),        # no axes
    lambda xp, a, r: xfft(xp, 'fft', a, True, 2.0),                # n not an integer
])
def test_errors(call):
    @testing.numpy_wgpy_allclose(accept_error=True)
    def run(xp):
        return call(xp, pairs(xp, (6,)), pairs(xp, (6,), cplx=False))
    run()


# ---- public functions that need no complex dtype ---------------------------------------------


@pytest.mark.parametrize('n', [1, 2, 5, 8, 9])
@pytest.mark.parametrize('d', [1.0, 0.1, 2])
@testing.numpy_wgpy_allclose()
def test_fftfreq(xp, n, d):
    return xp.fft.fftfreq(n, d), xp.fft.rfftfreq(n, d)


@testing.numpy_wgpy_allclose(accept_error=True)
def test_fftfreq_errors(xp):
    return xp.fft.fftfreq(5.0)


def test_fftfreq_device():
    import wgpy as wp
    assert wp.fft.fftfreq(4, device='cpu').shape == (4,)
    assert wp.fft.rfftfreq(4, device=wp.Device()).shape == (3,)
    with pytest.raises(ValueError):
        wp.fft.fftfreq(4, device='gpu7')


@pytest.mark.parametrize('shape,axes', [((5,), None), ((4, 7), None), ((4, 7), 0), ((4, 7), 1),
                                        ((4, 7), (0, 1)), ((3, 4, 5), (-1, 0)), ((0, 3), None)])
@testing.numpy_wgpy_array_equal()
def test_fftshift(xp, shape, axes):
    a = testing.shaped_arange(shape, xp, 'float32')
    return xp.fft.fftshift(a, axes), xp.fft.ifftshift(a, axes), \
        xp.fft.ifftshift(xp.fft.fftshift(a, axes), axes)


@pytest.mark.parametrize('name,n', [('irfft', None), ('irfft', 9), ('hfft', None), ('hfft', 5)])
@testing.numpy_wgpy_allclose(rtol=1e-5, atol=1e-5)
def test_public_real_results(xp, name, n):
    """irfft and hfft of real input give real results: the public functions run today."""
    a = testing.shaped_random((3, 6), xp, 'float32', seed=4, scale=2, low=-1)
    return getattr(xp.fft, name)(a, n)


def test_public_out():
    import wgpy as wp
    a = testing.shaped_random((3, 6), wp, 'float32', seed=4, scale=2, low=-1)
    out = wp.zeros((3, 10), dtype='float32')
    r = wp.fft.irfft(a, out=out)
    assert r is out
    with pytest.raises(ValueError):
        wp.fft.irfft(a, out=wp.zeros((3, 9), dtype='float32'))


def test_cupy_fft_names():
    import cupy
    import wgpy as wp
    names = ['fft', 'ifft', 'rfft', 'irfft', 'hfft', 'ihfft', 'fft2', 'ifft2', 'rfft2', 'irfft2',
             'fftn', 'ifftn', 'rfftn', 'irfftn', 'fftfreq', 'rfftfreq', 'fftshift', 'ifftshift']
    assert sorted(wp.fft.__all__) == sorted(names)
    for name in names:
        assert getattr(cupy.fft, name) is getattr(wp.fft, name)


# ---- the public functions on complex arrays (once wgpy has complex dtypes) --------------------


def _has_complex():
    from wgpy import _lib
    return 'complex64' in _lib.DTYPE_NAMES


needs_complex = pytest.mark.skipif(not _has_complex(), reason='wgpy has no complex dtypes yet')


@needs_complex
@pytest.mark.parametrize('name,cplx,args', [
    ('fft', True, ()), ('ifft', True, (7, 0, 'ortho')), ('fft', False, (None, 1)),
    ('rfft', False, (None, -1, 'forward')), ('irfft', True, (9,)), ('hfft', True, ()),
    ('ihfft', False, ()), ('fftn', True, ()), ('ifftn', True, ((3, 5), (0, 2))),
    ('fft2', False, ()), ('ifft2', True, ()), ('rfftn', False, ()), ('rfft2', False, ((3, 6),)),
    ('irfftn', True, ()), ('irfft2', True, ((4, 6), (0, 1))), ('fft', True, (None, -1, 'ortho')),
    ('ifft', False, (12, 1, 'forward')), ('hfft', True, (7, 0, 'ortho')),
    ('ihfft', False, (None, 0, 'forward')), ('fftn', True, (None, None, 'forward'))])
def test_public_complex(name, cplx, args):
    def f(xp):
        p = pairs(xp, (4, 5, 6), cplx)
        x = (p[..., 0] + 1j * p[..., 1]).astype('complex64') if cplx else p
        return getattr(xp.fft, name)(x, *args)
    check(f, 120)


@pytest.mark.skipif(not testing.x64_enabled(), reason='64-bit types are off (WGPY_ENABLE_X64=1)')
@pytest.mark.parametrize('n', [12, 97, 1000, 4096])
@pytest.mark.parametrize('name,cplx', [('fft', True), ('ifft', True), ('rfft', False),
                                       ('irfft', True)])
def test_float64_accuracy(name, cplx, n):
    """With 64-bit types on, float64 input computes in float64 (cpu): the same bound with
    float64's eps (2**-52), and float64's own rtol (1e-9)."""
    def f(xp):
        p = pairs(xp, (n,), cplx, dtype='float64')
        return xfft(xp, name, p, cplx, n)
    scale = 1 / n if name.startswith('i') else 1.0
    atol = 4 * 2.0 ** -52 * math.log2(n) * math.sqrt(n) * RMS * scale
    testing._run_comparison(f, (), {}, 'xp', False, None, atol, True, False)


@needs_complex
@pytest.mark.filterwarnings('ignore:wgpy. complex128 requested')  # the 64-bit-off policy's notice
@pytest.mark.parametrize('dt', ['complex64', 'complex128'])
def test_public_complex_dtypes(dt):
    """complex128 input computes in float64 where 64-bit types are on (complex64 otherwise)."""
    def f(xp):
        p = pairs(xp, (3, 16))
        return xp.fft.ifft((p[..., 0] + 1j * p[..., 1]).astype(dt), None, 0)
    check(f, 16, 1 / 3)


@needs_complex
def test_public_out_complex():
    import wgpy as wp
    p = pairs(wp, (2, 8))
    x = (p[..., 0] + 1j * p[..., 1]).astype('complex64')
    out = wp.zeros((2, 8), dtype='complex64')
    assert wp.fft.fft(x, out=out) is out
    testing.assert_allclose(out, wp.fft.fft(x), rtol=1e-6, atol=1e-6)
    assert wp.fft.fftn(x, axes=()) is x  # numpy returns its input
    with pytest.raises(ValueError):
        wp.fft.fft(x, out=wp.zeros((2, 7), dtype='complex64'))


@needs_complex
@testing.numpy_wgpy_array_equal()
def test_fftshift_complex(xp):
    a = testing.shaped_arange((4, 5), xp, 'float32')
    z = (a + 1j * a[::-1]).astype('complex64')
    return xp.fft.fftshift(z), xp.fft.ifftshift(z, axes=0)


@pytest.mark.parametrize('view', ['reversed', 'step2', 'transposed', 'broadcast'])
@pytest.mark.parametrize('name,cplx', [('fft', True), ('rfft', False), ('irfft', True)])
def test_views(name, cplx, view):
    """Strided, reversed, transposed and broadcast inputs (copied to rows by the engine)."""
    def f(xp):
        p = pairs(xp, (6, 10), cplx)
        if view == 'reversed':
            p = p[::-1, ::-1]
        elif view == 'step2':
            p = p[::2, 1::2]
        elif view == 'transposed':
            p = xp.swapaxes(p, 0, 1)
        else:
            p = xp.broadcast_to(p[:1], p.shape)
        return xfft(xp, name, p, cplx, None, 0)
    check(f, 20)
