"""ReductionKernel with a GLSL ES 3.00 (the webgl2 backend) body, as the published wgpy's
wgpy_backends.webgl.reduction_kernel.  docs/kernels.md, "The seed's native kernels"."""

from wgpy_backends import _native

__all__ = ['ReductionKernel']


class ReductionKernel(_native.ReductionKernel):
    _lang = _native.GLSL
