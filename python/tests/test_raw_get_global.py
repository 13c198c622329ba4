"""RawModule.get_global (docs/kernels.md, "`__constant__` variables"): the module's __constant__
variables as device memory the host writes and every launch of the module's functions reads;
under `import cupy` a MemoryPointer, as CuPy's.  cpu and webgpu run RawKernels; webgl2 refuses
their pointer writes (the decorators accept that documented NotImplementedError)."""

import pytest

import wgpy as wp
from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose

MODULE = r'''
__constant__ float coef[4] = {1.0f, 2.0f, 3.0f, 4.0f};
__constant__ int shift = 7;

extern "C" __global__ void scale(const float* x, float* y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = coef[i % 4] * x[i] + shift;
}

extern "C" __global__ void pick(float* y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) y[i] = coef[3 - i % 4];
}
'''


def _np(xp):
    return not testing.is_wgpy(xp)


@pytest.mark.parametrize('n', [5, 130])
@numpy_wgpy_allclose(rtol=1e-6, atol=1e-6)
def test_get_global_sets_what_launches_read(xp, n):
    x = testing.shaped_random((n,), xp, 'float32', seed=4)
    if _np(xp):
        i = xp.arange(n)
        before = xp.array([1, 2, 3, 4], dtype='float32')[i % 4] * x + 7
        c = xp.array([10, -20, 30.5, 40], dtype='float32')
        after = c[i % 4] * x - 3
        return xp.concatenate([before, after, c[3 - i % 4]])
    mod = wp.RawModule(code=MODULE)
    scale, pick = mod.get_function('scale'), mod.get_function('pick')
    g = ((n + 63) // 64,)
    y0 = wp.zeros(n, dtype='float32')
    scale(g, (64,), (x, y0, n))
    coef = mod.get_global('coef')
    assert coef.shape == (4,) and coef.dtype == wp.float32
    assert coef.tolist() == [1.0, 2.0, 3.0, 4.0]      # the initialisers
    coef[...] = wp.asarray([10, -20, 30.5, 40], dtype='float32')
    s = mod.get_global('shift')                        # a scalar: one element
    assert s.shape == (1,) and s.dtype == wp.int32 and s.tolist() == [7]
    s[0] = -3
    y1 = wp.zeros(n, dtype='float32')
    scale(g, (64,), (x, y1, n))
    y2 = wp.zeros(n, dtype='float32')
    pick(g, (64,), (y2, n))                            # another function: the same globals
    return wp.concatenate([y0, y1, y2])


def test_get_global_is_per_module():
    a, b = wp.RawModule(code=MODULE), wp.RawModule(code=MODULE)
    a.get_global('coef')[...] = 0
    assert b.get_global('coef').tolist() == [1.0, 2.0, 3.0, 4.0]
    assert a.get_global('coef').tolist() == [0.0, 0.0, 0.0, 0.0]


def test_get_global_unknown_name():
    mod = wp.RawModule(code=MODULE)
    with pytest.raises(ValueError, match="no __constant__ variable named 'nope'"):
        mod.get_global('nope')
    with pytest.raises(TypeError):
        mod.get_global(3)


def test_get_global_outlives_the_module_handle():
    mod = wp.RawModule(code=MODULE)
    f = mod.get_function('pick')
    coef = mod.get_global('coef')
    coef[...] = 5
    del mod                                            # the function keeps the module's globals
    y = wp.zeros(4, dtype='float32')
    try:
        f((1,), (4,), (y, 4))
    except NotImplementedError as e:                   # webgl2: RawKernels write through pointers
        assert 'webgl2' in str(e)
        return
    assert y.tolist() == [5.0] * 4


def test_cupy_get_global_memory_pointer():
    cupy = pytest.importorskip('cupy')
    mod = cupy.RawModule(code=MODULE)
    ptr = mod.get_global('coef')
    assert isinstance(ptr, cupy.cuda.memory.MemoryPointer) and ptr.ptr != 0
    view = cupy.ndarray((4,), cupy.float32, ptr)       # CuPy's idiom for setting a global
    view[...] = cupy.asarray([2, 4, 6, 8], dtype='float32')
    assert mod.get_global('coef').ptr == ptr.ptr
    y = cupy.zeros(4, dtype='float32')
    try:
        mod.get_function('pick')((1,), (4,), (y, 4))
    except NotImplementedError as e:
        assert 'webgl2' in str(e)
        return
    assert y.tolist() == [8.0, 6.0, 4.0, 2.0]
    with pytest.raises(cupy.cuda.driver.CUDADriverError, match='named symbol not found'):
        mod.get_global('nope')
