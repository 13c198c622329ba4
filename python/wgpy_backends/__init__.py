"""The published wgpy's backend-specific kernel modules, under its import paths, so that code
written for it runs unchanged: ElementwiseKernel and ReductionKernel whose bodies are WGSL
(wgpy_backends.webgpu) or GLSL ES 3.00 (wgpy_backends.webgl).  The engine builds the scaffolding
around the body (core/src/codegen/native.c); docs/kernels.md, "The seed's native kernels".
"""
