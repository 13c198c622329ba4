"""The published wgpy's wgpy_backends.webgl: native kernels in GLSL ES 3.00 (the webgl2 backend)."""
