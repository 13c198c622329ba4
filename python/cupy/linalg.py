"""cupy.linalg: wgpy.linalg (numpy.linalg on the GPU: docs/linalg.md), under CuPy's names."""
from wgpy.linalg import *  # noqa: F401,F403
from wgpy.linalg import LinAlgError  # noqa: F401
import wgpy as _wgpy

dot = _wgpy.dot
