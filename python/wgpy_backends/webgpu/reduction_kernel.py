"""ReductionKernel with a WGSL (the webgpu backend) body, as the published wgpy's
wgpy_backends.webgpu.reduction_kernel.  docs/kernels.md, "The seed's native kernels"."""

from wgpy_backends import _native

__all__ = ['ReductionKernel']


class ReductionKernel(_native.ReductionKernel):
    _lang = _native.WGSL
