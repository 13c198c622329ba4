"""pytest plugin for Chainer's tests on the webgpu and webgl2 backends (tools/run_chainer_tests.sh
loads it when WGPY_BACKEND is one of them): deselects the parameterizations that use float16 or
float64.  WebGPU's float16 needs the device's shader-f16 feature (SwiftShader lacks it) and WebGL2
has none; neither has float64, which wgpy then gives as float32 with a warning, failing Chainer's
dtype checks by design (docs/chainer.md).  The float32 cases are the ones a browser trains with."""

import numpy

_DROPPED = {numpy.dtype('float16'), numpy.dtype('float64')}


def _is_dropped(v):
    try:
        if isinstance(v, (type, numpy.dtype, str)) and numpy.dtype(v) in _DROPPED:
            return True
    except TypeError:
        return False
    if isinstance(v, (tuple, list)):
        return any(_is_dropped(e) for e in v)
    return False


def pytest_collection_modifyitems(config, items):
    keep, drop = [], []
    for item in items:
        cls = getattr(item, 'cls', None)
        params = vars(cls).values() if cls is not None else ()
        (drop if any(_is_dropped(v) for v in params) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
