"""wgpy: NumPy/CuPy-compatible arrays computed by the wgpy engine (WebGPU, WebGL2 or the CPU).

    import wgpy as wp
    x = wp.asarray([1.0, 2.0, 2.5])
    y = wp.asnumpy(x * 2.0)          # or (x * 2.0).tolist() without numpy

The package is a thin shell over the C engine (libwgpy): dtype promotion, broadcasting, indexing
and type resolution happen there.  numpy is optional.  Environment:

    WGPY_LIBRARY      path of libwgpy.so (default: the one next to this file)
    WGPY_BACKEND      cpu (the default), webgpu or webgl2 (run by the JavaScript host's executor;
                      the browser host picks webgpu, else webgl2, else cpu by itself).
                      wgpy.set_backend(name) switches while no array exists;
                      wgpy.get_backend_name() says which one runs.
    WGPY_ENABLE_X64   1: real 64-bit dtypes (default off: float64 requests give float32)
"""

from . import _lib
from ._lib import AxisError
from . import _dtypes
from ._dtypes import dtype
from ._core import ndarray, Flags, Device
from . import _funcs
from ._funcs import *  # noqa: F401,F403  (NumPy's names: sum, min, max, abs... on purpose)
from ._manip import *  # noqa: F401,F403  (joining, splitting, rearranging: issue 10)
from ._mathx import *  # noqa: F401,F403  (elementwise extras: issue 10)
from ._create import *  # noqa: F401,F403  (creation and conversion extras: issue 10)
from ._statx import *  # noqa: F401,F403  (reductions and products extras: issue 10)
from ._sort import *  # noqa: F401,F403  (sorting, searching, set operations, quantiles: issue 10)
from ._contract import *  # noqa: F401,F403  (einsum, einsum_path: issue 10)
from ._histogram import *  # noqa: F401,F403  (statistics and histograms: issue 10)
from ._scan import *  # noqa: F401,F403  (scans, nonzero, boolean masks: issue 10)
from ._indexing import *  # noqa: F401,F403  (take/put/choose: issue 10)
from ._npmisc import *  # noqa: F401,F403  (dtype utilities, printing, polynomials: issue 10)
from ._io import *  # noqa: F401,F403  (.npy/.npz files, fromfile, the text formats)
from ._config import config, get_config, enable_x64, x64_enabled, set_backend
from ._kernel import (ElementwiseKernel, ReductionKernel, CompileException, fuse, memoize,
                      clear_memo)
from ._raw_kernel import RawKernel, RawModule
from ._ufunc import ufunc, ufuncify as _ufuncify

_ufuncify(globals())  # wgpy.add etc. become ufunc objects (issue 10)
from . import linalg  # noqa: E402  (numpy.linalg: docs/linalg.md)
from . import random  # numpy.random on the device (Philox library kernels; docs/random.md)
from . import fft  # noqa: E402  (numpy.fft: Stockham and Bluestein library kernels; docs/fft.md)

__version__ = '0.1.0'

# dtypes: numpy's scalar types when numpy is present (wgpy.float32 is numpy.float32), else
# wgpy's dtype objects.
for _n, _t in _dtypes.TYPES.items():
    globals()[_n] = _t
bool_ = _dtypes.TYPES['bool']
if _lib.np is not None:
    _np = _lib.np
    for _n in ('generic', 'number', 'integer', 'signedinteger', 'unsignedinteger', 'inexact',
               'floating', 'finfo', 'iinfo'):
        globals()[_n] = getattr(_np, _n)
    del _np
del _n, _t

newaxis = None
inf = float('inf')
nan = float('nan')
pi = 3.141592653589793
e = 2.718281828459045
euler_gamma = 0.5772156649015329


def set_x64(enabled=True):
    """Same as wgpy.config.enable_x64(enabled)."""
    enable_x64(enabled)


def isscalar(element):
    import numbers
    return isinstance(element, (numbers.Number, str, bytes)) or (
        _lib.np is not None and isinstance(element, _lib.np.generic))


def __getattr__(name):
    # wgpy.testing (written separately) loads on first use
    if name == 'testing':
        import importlib
        return importlib.import_module('.testing', __name__)
    raise AttributeError("module 'wgpy' has no attribute %r" % name)
