"""ElementwiseKernel with a GLSL ES 3.00 (the webgl2 backend) body, as the published wgpy's
wgpy_backends.webgl.elementwise_kernel.  docs/kernels.md, "The seed's native kernels"."""

from wgpy_backends import _native

__all__ = ['ElementwiseKernel']


class ElementwiseKernel(_native.ElementwiseKernel):
    _lang = _native.GLSL
