"""cupyx over wgpy: scatter_add, rsqrt, get_runtime_info, and cupyx.scipy (special, linalg)."""
import numbers as _numbers

import wgpy as _wgpy
from wgpy import ElementwiseKernel as _EK

from . import scipy  # noqa: F401

_kernels = {}


def _k(name, in_params, out_params, op):
    k = _kernels.get(name)
    if k is None:
        k = _kernels[name] = _EK(in_params, out_params, op, 'cupyx_' + name)
    return k


def rsqrt(x, out=None):
    """1 / sqrt(x), elementwise."""
    x = _wgpy.asarray(x)
    if x.dtype.kind != 'f':
        x = x.astype(float)
    k = _k('rsqrt', 'T x', 'T y', 'y = rsqrt(x)')
    return k(x) if out is None else k(x, out)


def _is_int_array(s):
    if isinstance(s, _wgpy.ndarray):
        return s.dtype.kind in 'iu'
    if type(s).__module__ == 'numpy':
        return getattr(s, 'ndim', 0) >= 1 and s.dtype.kind in 'iu'
    if isinstance(s, (list, tuple)):
        return len(s) > 0 and all(isinstance(v, _numbers.Integral) and not isinstance(v, bool)
                                  for v in s)
    return False


def scatter_add(a, slices, value):
    """a[slices] += value, where repeated indices add up (numpy.add.at).

    Basic indices (ints, slices, Ellipsis, None) need no atomics: the view is updated in place.
    One integer-array index on axis 0 followed by full slices goes through an ElementwiseKernel
    with atomicAdd on a raw output (cpu: every dtype; webgpu: int32/uint32/float32; webgl2 has no
    atomics).  Anything else raises NotImplementedError naming the index form.
    """
    if not isinstance(a, _wgpy.ndarray):
        raise TypeError('scatter_add: a must be a cupy.ndarray, not %s' % type(a).__name__)
    key = slices if isinstance(slices, tuple) else (slices,)
    arrays = [i for i, s in enumerate(key) if _is_int_array(s)]
    if not arrays:
        if any(isinstance(s, (bool,)) or not (s is None or s is Ellipsis or isinstance(
                s, (slice, _numbers.Integral))) for s in key):
            raise NotImplementedError('wgpy: scatter_add with index %r is not supported' % (key,))
        view = a[key]
        view += value  # a basic-index view: no element repeats
        return
    if arrays != [0] or any(not (isinstance(s, slice) and s == slice(None)) for s in key[1:]):
        raise NotImplementedError(
            'wgpy: scatter_add supports one integer-array index on axis 0 followed by full '
            'slices, not %r (no advanced indexing in wgpy yet)' % (key,))
    backend = _wgpy.get_backend_name()
    if backend == 'webgl2':
        raise NotImplementedError('wgpy: scatter_add needs atomicAdd, which the webgl2 backend '
                                  'does not have')
    idx = _wgpy.asarray(key[0])
    if idx.ndim != 1:
        raise NotImplementedError('wgpy: scatter_add with a %d-d index array' % idx.ndim)
    idx = idx.astype('int32')
    n0 = a.shape[0]
    inner = 1
    for d in a.shape[1:]:
        inner *= d
    v = _wgpy.broadcast_to(_wgpy.asarray(value, dtype=a.dtype), (idx.shape[0],) + a.shape[1:])
    target = a if a._c_contiguous else _wgpy.ascontiguousarray(a)
    k = _k('scatter_add', 'T v, raw int32 idx, int32 inner, int32 n0', 'raw T a',
           'int r = idx[i / inner]; r = r < 0 ? r + n0 : r; '
           'if (r >= 0 && r < n0) atomicAdd(&a[r * inner + i % inner], v);')
    k(v, idx, inner, n0, target)
    if target is not a:
        a[...] = target


def get_runtime_info():
    """What CuPy's get_runtime_info reports, for wgpy: version, backend, the engine's pool."""
    return _RuntimeInfo()


class _RuntimeInfo:
    def __init__(self):
        self.cupy_version = 'wgpy ' + _wgpy.__version__
        self.backend = _wgpy.get_backend_name()
        self.memory_pool = _wgpy.memory_pool_stats()
        self.cuda_runtime_version = None
        self.cudnn_version = None

    def __str__(self):
        return ('CuPy Version          : %s\nBackend               : %s\nMemory pool           : %r\n'
                % (self.cupy_version, self.backend, self.memory_pool))
