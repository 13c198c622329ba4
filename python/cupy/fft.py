"""cupy.fft: wgpy.fft (numpy.fft on the device: docs/fft.md), under CuPy's names."""
from wgpy.fft import *  # noqa: F401,F403
from wgpy.fft import __all__  # noqa: F401
