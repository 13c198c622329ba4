"""ElementwiseKernel with a WGSL (the webgpu backend) body, as the published wgpy's
wgpy_backends.webgpu.elementwise_kernel.  docs/kernels.md, "The seed's native kernels"."""

from wgpy_backends import _native

__all__ = ['ElementwiseKernel']


class ElementwiseKernel(_native.ElementwiseKernel):
    _lang = _native.WGSL
