"""The published wgpy's wgpy_backends.webgpu: native kernels in WGSL (the webgpu backend)."""
