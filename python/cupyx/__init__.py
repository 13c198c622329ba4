"""cupyx over wgpy: scatter_add/max/min, rsqrt, get_runtime_info, and cupyx.scipy (special, linalg)."""

import wgpy as _wgpy
from wgpy import ElementwiseKernel as _EK

from . import scipy  # noqa: F401

_kernels = {}


def _k(name, in_params, out_params, op):
    k = _kernels.get(name)
    if k is None:
        k = _kernels[name] = _EK(in_params, out_params, op, 'cupyx_' + name)
    return k


def rsqrt(x, out=None, dtype=None):
    """1 / sqrt(x), elementwise (CuPy's ufunc: loops e->e, f->f, d->d; dtype= picks the loop)."""
    x = _wgpy.asarray(x)
    if dtype is not None:
        dtype = _wgpy.dtype(dtype)
        if dtype.kind != 'f':
            raise TypeError('rsqrt: no loop for dtype %s (float16, float32, float64)' % dtype)
        x = x.astype(dtype, copy=False)
    elif x.dtype.kind != 'f':
        x = x.astype(float)
    k = _k('rsqrt', 'T x', 'T y', 'y = rsqrt(x)')
    return k(x) if out is None else k(x, out)


def scatter_add(a, slices, value):
    """a[slices] += value, where repeated indices add up: numpy.add.at, i.e. wgpy.add.at
    (any index form; an atomic scatter on cpu/webgpu, a gather formulation on webgl2)."""
    if not isinstance(a, _wgpy.ndarray):
        raise TypeError('scatter_add: a must be a cupy.ndarray, not %s' % type(a).__name__)
    _wgpy.add.at(a, slices, value)


def scatter_max(a, slices, value):
    """a[slices] = maximum(a[slices], value), repeated indices included (wgpy.maximum.at)."""
    _wgpy.maximum.at(a, slices, value)


def scatter_min(a, slices, value):
    """a[slices] = minimum(a[slices], value), repeated indices included (wgpy.minimum.at)."""
    _wgpy.minimum.at(a, slices, value)


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
