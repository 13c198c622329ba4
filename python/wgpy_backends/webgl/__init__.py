"""The published wgpy's wgpy_backends.webgl: native kernels in GLSL ES 3.00 (the webgl2 backend)."""


def get_performance_metrics():
    """The seed's performance metrics call, for code written for it: here the engine's counters
    (wgpy.counters(): kernels launched, ops fused, bytes moved...; other keys than the seed's)."""
    import wgpy
    return dict(wgpy.counters())
