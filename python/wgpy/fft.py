"""wgpy.fft: numpy.fft on the device (docs/fft.md).

Every transform is one engine call per transformed axis (``wg_fft``, core/src/api/fft.c: Stockham
radix-8/4/2/3/5 passes and Bluestein's chirp-z as library kernels, on every backend).  This module
only normalizes arguments as NumPy 2 does (``n``, ``axis``, ``s``/``axes`` with NumPy's
deprecations, ``norm``, ``out``) and composes the n-dimensional transforms from the 1-d ones in
NumPy's order.  fftfreq/rfftfreq/fftshift/ifftshift are NumPy's compositions of wgpy's arange and
roll.

The engine takes complex arrays as they are (their float pairs: complex64 is NumPy's interleaved
layout) and returns complex results.  The ``_pairs`` namespace runs the same transforms on float
pairs (a trailing axis of 2; ``cplx`` says whether the input holds pairs), with pair results.
"""

import operator as _operator
import warnings as _warnings

import wgpy as _w

from . import _core, _lib

__all__ = ['fft', 'ifft', 'rfft', 'irfft', 'hfft', 'ihfft', 'fft2', 'ifft2', 'rfft2', 'irfft2',
           'fftn', 'ifftn', 'rfftn', 'irfftn', 'fftfreq', 'rfftfreq', 'fftshift', 'ifftshift']

C2C, R2C, C2R = 0, 1, 2  # wgpy.h WG_FFT_*
INVERSE, CONJ_IN, CONJ_OUT, PAIRS, COMPLEX_OUT = 1, 2, 4, 8, 16
_NORMS = {None: 0, 'backward': 0, 'ortho': 1, 'forward': 2}
_SWAP = {None: 'forward', 'backward': 'forward', 'ortho': 'ortho', 'forward': 'backward'}


def _set_fft_path(path):
    """The engine's FFT passes (docs/fft.md "Workgroup passes"): 'auto' (workgroup-memory passes
    on webgpu for powers of two up to 2**22, else one launch per radix pass), 'passes' (one launch
    per radix pass everywhere: webgl2's path) or 'workgroup' (the workgroup passes wherever they
    fit, the cpu backend included); returns the previous one.  For benchmarks and tests."""
    old = _lib.wg_set_fft_path(_lib.ctx, {'auto': 0, 'passes': 1, 'workgroup': 2}[path])
    return ('auto', 'passes', 'workgroup')[old]


def _norm(norm):
    try:
        return _NORMS[norm]
    except (KeyError, TypeError):
        raise ValueError('Invalid norm value %s; should be "backward","ortho" or "forward".'
                         % (norm,)) from None


def _swap(norm):
    try:
        return _SWAP[norm]
    except (KeyError, TypeError):
        raise ValueError('Invalid norm value %s; should be "backward", "ortho" or "forward".'
                         % (norm,)) from None


def _arr(a):
    return a if isinstance(a, _core.ndarray) else _w.asarray(a)


def _lshape(a, cplx):
    return a.shape[:-1] if cplx else a.shape


def _next(cplx):
    """What the input of a transform after the first is: pairs (pair mode), or complex arrays
    (cplx None: the public functions' complex mode)."""
    return None if cplx is None else True


def _n_arg(n):
    return _lib.IDX_NONE if n is None else _operator.index(n)  # INT64_MIN: the default


def _raw(a, cplx, kind, n, axis, norm, flags):
    """One engine transform of a: cplx True, a holds complex pairs (and so will the result);
    False, a is real (the result pairs); None, a is real or complex and so is the result (the
    public functions)."""
    flags |= PAIRS if cplx else COMPLEX_OUT if cplx is None else 0
    return _core._wrap(_lib.wg_fft(_lib.ctx, a._h, kind, _n_arg(n), _operator.index(axis),
                                   _norm(norm), flags))


# ---- the transforms ----------------------------------------------------------------------------
# Each takes (a, cplx, ...): cplx True/False, a pair-form array (complex pairs / reals) and a
# pair-form result; None, a real or complex array and a complex (or real) array result.


def _fft(a, cplx, n=None, axis=-1, norm=None):
    return _raw(a, cplx, C2C, n, axis, norm, 0)


def _ifft(a, cplx, n=None, axis=-1, norm=None):
    return _raw(a, cplx, C2C, n, axis, norm, INVERSE)


def _rfft(a, cplx, n=None, axis=-1, norm=None):
    return _raw(a, cplx, R2C, n, axis, norm, 0)


def _irfft(a, cplx, n=None, axis=-1, norm=None):
    return _raw(a, cplx, C2R, n, axis, norm, INVERSE)


def _hfft(a, cplx, n=None, axis=-1, norm=None):
    # numpy: irfft(conjugate(a), n, axis, norm=swap(norm))
    return _raw(a, cplx, C2R, n, axis, _swap(norm), INVERSE | CONJ_IN)


def _ihfft(a, cplx, n=None, axis=-1, norm=None):
    # numpy: conjugate(rfft(a, n, axis, norm=swap(norm)))
    return _raw(a, cplx, R2C, n, axis, _swap(norm), CONJ_OUT)


def _cook_nd_args(shape, s, axes, invreal=False):
    """numpy.fft's _cook_nd_args (NumPy 2: its deprecations and errors)."""
    if s is None:
        shapeless = True
        if axes is None:
            s = list(shape)
        else:
            axes = [_operator.index(ax) for ax in axes]
            for ax in axes:
                if not -len(shape) <= ax < len(shape):
                    raise IndexError('index %d is out of bounds for axis 0 with size %d'
                                     % (ax, len(shape)))
            s = [shape[ax] for ax in axes]
    else:
        shapeless = False
    s = list(s)
    if axes is None:
        if not shapeless:
            _warnings.warn(
                '`axes` should not be `None` if `s` is not `None` (Deprecated in NumPy 2.0). In '
                'a future version of NumPy, this will raise an error and `s[i]` will correspond '
                'to the size along the transformed axis specified by `axes[i]`. To retain '
                'current behaviour, pass a sequence [0, ..., k-1] to `axes` for an array of '
                'dimension k.', DeprecationWarning, stacklevel=4)
        axes = list(range(-len(s), 0))
    axes = [_operator.index(ax) for ax in axes]
    if len(s) != len(axes):
        raise ValueError('Shape and axes have different lengths.')
    if invreal and shapeless:
        s[-1] = (shape[axes[-1]] - 1) * 2
    if None in s:
        _warnings.warn(
            'Passing an array containing `None` values to `s` is deprecated in NumPy 2.0 and '
            'will raise an error in a future version of NumPy. To use the default behaviour of '
            'the corresponding 1-D transform, pass the value matching the default for its `n` '
            'parameter. To use the default behaviour for every axis, the `s` argument can be '
            'omitted.', DeprecationWarning, stacklevel=4)
    s = [shape[ax] if sz == -1 else sz for sz, ax in zip(s, axes)]
    return s, axes


def _fftn(a, cplx, s=None, axes=None, norm=None, inverse=False):
    s, axes = _cook_nd_args(_lshape(a, cplx), s, axes)
    if not axes:
        return a  # numpy returns its input (asarray) untouched
    for ii in reversed(range(len(axes))):
        a = _raw(a, cplx, C2C, s[ii], axes[ii], norm, INVERSE if inverse else 0)
        cplx = _next(cplx)
    return a


def _rfftn(a, cplx, s=None, axes=None, norm=None):
    s, axes = _cook_nd_args(_lshape(a, cplx), s, axes)
    if not axes:
        raise IndexError('list index out of range')
    a = _raw(a, cplx, R2C, s[-1], axes[-1], norm, 0)
    for ii in range(len(axes) - 2, -1, -1):
        a = _raw(a, _next(cplx), C2C, s[ii], axes[ii], norm, 0)
    return a


def _irfftn(a, cplx, s=None, axes=None, norm=None):
    s, axes = _cook_nd_args(_lshape(a, cplx), s, axes, invreal=True)
    if not axes:
        raise IndexError('list index out of range')
    for ii in range(len(axes) - 1):
        a = _raw(a, cplx, C2C, s[ii], axes[ii], norm, INVERSE)
        cplx = _next(cplx)
    return _raw(a, cplx, C2R, s[-1], axes[-1], norm, INVERSE)


class _PairsAPI:
    """The transforms on float pairs (``x[..., 0]`` real, ``x[..., 1]`` imaginary parts): each
    function takes the array, then ``cplx`` (True: the input holds pairs; False: it is real),
    then NumPy's arguments, and returns pairs (or a real array: irfft, hfft, irfftn...)."""
    fft = staticmethod(_fft)
    ifft = staticmethod(_ifft)
    rfft = staticmethod(_rfft)
    irfft = staticmethod(_irfft)
    hfft = staticmethod(_hfft)
    ihfft = staticmethod(_ihfft)

    @staticmethod
    def fftn(a, cplx, s=None, axes=None, norm=None):
        return _fftn(a, cplx, s, axes, norm)

    @staticmethod
    def ifftn(a, cplx, s=None, axes=None, norm=None):
        return _fftn(a, cplx, s, axes, norm, True)

    rfftn = staticmethod(_rfftn)
    irfftn = staticmethod(_irfftn)

    @staticmethod
    def fft2(a, cplx, s=None, axes=(-2, -1), norm=None):
        return _fftn(a, cplx, s, axes, norm)

    @staticmethod
    def ifft2(a, cplx, s=None, axes=(-2, -1), norm=None):
        return _fftn(a, cplx, s, axes, norm, True)

    @staticmethod
    def rfft2(a, cplx, s=None, axes=(-2, -1), norm=None):
        return _rfftn(a, cplx, s, axes, norm)

    @staticmethod
    def irfft2(a, cplx, s=None, axes=(-2, -1), norm=None):
        return _irfftn(a, cplx, s, axes, norm)


_pairs = _PairsAPI()


# ---- the public functions: complex arrays in and out ------------------------------------------


def _done(r, out):
    if out is None:
        return r
    if not isinstance(out, _core.ndarray):
        raise TypeError('out must be a wgpy ndarray')
    if out.shape != r.shape:
        raise ValueError('output array has wrong shape.')
    out[...] = r
    return out


def _public(fn):
    def call(a, *args, out=None, **kwargs):
        a = _arr(a)
        return _done(fn(a, None, *args, **kwargs), out)
    return call


def fft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.fft: the 1-d discrete Fourier transform."""
    return _public(_fft)(a, n, axis, norm, out=out)


def ifft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.ifft: the 1-d inverse discrete Fourier transform."""
    return _public(_ifft)(a, n, axis, norm, out=out)


def rfft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.rfft: the 1-d transform of real input (n//2 + 1 points)."""
    return _public(_rfft)(a, n, axis, norm, out=out)


def irfft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.irfft: the inverse of rfft (n real points; default 2 (len - 1))."""
    return _public(_irfft)(a, n, axis, norm, out=out)


def hfft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.hfft: the transform of a Hermitian-symmetric signal (real result)."""
    return _public(_hfft)(a, n, axis, norm, out=out)


def ihfft(a, n=None, axis=-1, norm=None, out=None):
    """numpy.fft.ihfft: the inverse of hfft."""
    return _public(_ihfft)(a, n, axis, norm, out=out)


def fftn(a, s=None, axes=None, norm=None, out=None):
    """numpy.fft.fftn."""
    return _public(_pairs.fftn)(a, s, axes, norm, out=out)


def ifftn(a, s=None, axes=None, norm=None, out=None):
    """numpy.fft.ifftn."""
    return _public(_pairs.ifftn)(a, s, axes, norm, out=out)


def fft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """numpy.fft.fft2."""
    return _public(_pairs.fftn)(a, s, axes, norm, out=out)


def ifft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """numpy.fft.ifft2."""
    return _public(_pairs.ifftn)(a, s, axes, norm, out=out)


def rfftn(a, s=None, axes=None, norm=None, out=None):
    """numpy.fft.rfftn."""
    return _public(_rfftn)(a, s, axes, norm, out=out)


def irfftn(a, s=None, axes=None, norm=None, out=None):
    """numpy.fft.irfftn."""
    return _public(_irfftn)(a, s, axes, norm, out=out)


def rfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """numpy.fft.rfft2."""
    return _public(_rfftn)(a, s, axes, norm, out=out)


def irfft2(a, s=None, axes=(-2, -1), norm=None, out=None):
    """numpy.fft.irfft2."""
    return _public(_irfftn)(a, s, axes, norm, out=out)


# ---- frequencies and shifts (NumPy's compositions) --------------------------------------------


def _device(device):
    if device is None or device == 'cpu' or isinstance(device, _core.Device):
        return
    raise ValueError('Device not understood. Only "cpu" is allowed, but received: %s' % (device,))


def fftfreq(n, d=1.0, device=None):
    """numpy.fft.fftfreq: the sample frequencies [0, 1, ..., -(n//2), ..., -1] / (d n)."""
    if not isinstance(n, int) and not (_lib.np is not None and isinstance(n, _lib.np.integer)):
        raise ValueError('n should be an integer')
    _device(device)
    n = int(n)
    val = 1.0 / (n * d)
    N = (n - 1) // 2 + 1
    results = _w.concatenate([_w.arange(0, N),
                              _w.arange(-(n // 2), 0)])
    return results * val


def rfftfreq(n, d=1.0, device=None):
    """numpy.fft.rfftfreq: the sample frequencies [0, 1, ..., n//2] / (d n)."""
    if not isinstance(n, int) and not (_lib.np is not None and isinstance(n, _lib.np.integer)):
        raise ValueError('n should be an integer')
    _device(device)
    n = int(n)
    val = 1.0 / (n * d)
    return _w.arange(0, n // 2 + 1) * val


def fftshift(x, axes=None):
    """numpy.fft.fftshift: the zero frequency moved to the centre (a roll by n//2)."""
    x = _arr(x)
    if axes is None:
        axes = tuple(range(x.ndim))
        shift = [dim // 2 for dim in x.shape]
    elif isinstance(axes, int):
        shift = x.shape[axes] // 2
    else:
        shift = [x.shape[ax] // 2 for ax in axes]
    return _w.roll(x, shift, axes)


def ifftshift(x, axes=None):
    """numpy.fft.ifftshift: the inverse of fftshift."""
    x = _arr(x)
    if axes is None:
        axes = tuple(range(x.ndim))
        shift = [-(dim // 2) for dim in x.shape]
    elif isinstance(axes, int):
        shift = -(x.shape[axes] // 2)
    else:
        shift = [-(x.shape[ax] // 2) for ax in axes]
    return _w.roll(x, shift, axes)
