"""cupy: CuPy's names over wgpy, with no semantics of their own (DESIGN.md §9, docs/cupy.md).

Everything of wgpy's namespace is here; cupy.ndarray *is* wgpy.ndarray.  What CuPy has and wgpy
lacks as a concept (devices, streams, pools, random) is a small implementation over wgpy's single
engine context in cupy.cuda / cupy.random.  There is no cupy.cudnn: Chainer then uses its own
kernels.
"""
import sys as _sys

import wgpy as _wgpy
from wgpy import *  # noqa: F401,F403
from wgpy import (ndarray, asnumpy, ElementwiseKernel, ReductionKernel, RawKernel,  # noqa: F401
                  RawModule, fuse, memoize, clear_memo, MemoryPool, get_default_memory_pool)

# cupy's own submodules: imported by name, since `from . import random` would keep the attribute
# the star import set (wgpy.random, which lacks CuPy's reset_states and friends)
import importlib as _importlib  # noqa: E402
for _m in ('cuda', 'random', 'linalg', 'fft', 'testing'):
    globals()[_m] = _importlib.import_module(__name__ + '.' + _m)
del _m
from .cuda.memory import get_default_pinned_memory_pool  # noqa: E402,F401

for _n in dir(_wgpy):  # wgpy's dtypes and constants the star import may not carry
    if not _n.startswith('_') and _n not in globals():
        globals()[_n] = getattr(_wgpy, _n)
del _n

__version__ = '5.4.0'  # the CuPy API level Chainer 5.4.0 was written against


def get_array_module(*args):
    """cupy (this module) if any argument is a cupy/wgpy ndarray, else numpy."""
    for a in args:
        if isinstance(a, ndarray):
            return _sys.modules[__name__]
    try:
        import numpy
    except ImportError:  # Pyodide without numpy: there is only us
        return _sys.modules[__name__]
    return numpy


def is_available():
    return True


def show_config():
    print(cuda.runtime_info())


def _ndarray_scatter_add(self, slices, value):
    """CuPy 5's ndarray.scatter_add (Chainer's get_item backward calls it): cupyx.scatter_add."""
    import cupyx
    cupyx.scatter_add(self, slices, value)


# cupy.ndarray is wgpy.ndarray: CuPy's method goes onto the one class when cupy is imported
ndarray.scatter_add = _ndarray_scatter_add
# CuPy's ndarray.data (a MemoryPointer; NumPy's is a memoryview, which wgpy's arrays do not have)
ndarray.data = property(cuda.memory._ndarray_data)


class RawModule(_wgpy.RawModule):
    """CuPy's RawModule: wgpy's, with get_global giving a MemoryPointer as CuPy's does."""

    def get_global(self, name):
        try:
            a = self._global_array(name)
        except ValueError as e:
            raise cuda.driver.CUDADriverError('CUDA_ERROR_NOT_FOUND: named symbol not found '
                                              '(%s)' % e) from None
        return cuda.memory._ndarray_data(a)


class broadcast:
    """numpy/CuPy's broadcast object: the common shape of the arguments and their broadcast views
    (wgpy.broadcast_arrays)."""

    def __init__(self, *arrays):
        arrs = [a if isinstance(a, ndarray) else _wgpy.asarray(a) for a in arrays]
        self.values = tuple(_wgpy.broadcast_arrays(*arrs))
        self.shape = self.values[0].shape if self.values else ()
        self.nd = self.ndim = len(self.shape)
        size = 1
        for d in self.shape:
            size *= d
        self.size = size
