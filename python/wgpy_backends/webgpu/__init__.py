"""The published wgpy's wgpy_backends.webgpu: native kernels in WGSL (the webgpu backend)."""


def get_performance_metrics():
    """The seed's performance metrics call, for code written for it: here the engine's counters
    (wgpy.counters(): kernels launched, ops fused, bytes moved...; other keys than the seed's)."""
    import wgpy
    return dict(wgpy.counters())
