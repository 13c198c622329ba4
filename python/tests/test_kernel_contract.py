"""Fused multiply-add in user kernels (docs/kernels.md, "Contraction"): CUDA's --fmad=true is
NVRTC's default, wgpy's is off (results equal numpy's on every backend); options=('--fmad=true',)
lets webgpu compute float32 a * b + c as one fma (rounded once), so results agree with numpy's
within a float32 rounding, and the kernel with the option is a different kernel."""

import pytest

import wgpy as wp
from wgpy import testing
from wgpy._kernel import _contracts
from wgpy.testing import numpy_wgpy_allclose, numpy_wgpy_array_equal

HORNER = '''
float acc = 0.0f;
for (int k = 0; k < 6; k++) acc = acc * x + c[k % 3];
y = acc - x * x;
'''


def _np(xp):
    return not testing.is_wgpy(xp)


def _want(xp, x):
    c = xp.array([0.5, -1.25, 2.0], dtype='float32')
    acc = xp.zeros_like(x)
    for k in range(6):
        acc = acc * x + c[k % 3]
    return acc - x * x


@pytest.mark.parametrize('options', [(), ('--fmad=true',), ('-use_fast_math',)])
@numpy_wgpy_allclose(rtol=2e-6, atol=2e-6)
def test_contracted_kernel_agrees_with_numpy(xp, options):
    x = testing.shaped_random((300,), xp, 'float32', seed=7) * 2 - 1
    if _np(xp):
        return _want(xp, x)
    k = wp.ElementwiseKernel('float32 x, raw float32 c', 'float32 y', HORNER, 'horner',
                             options=options)
    return k(x, wp.asarray([0.5, -1.25, 2.0], dtype='float32'))


@numpy_wgpy_array_equal()
def test_default_is_not_contracted(xp):
    # x * x - 1 for x = 1 + 2^-12: exact (1 + 2^-11 + 2^-24) - 1 rounds differently from the
    # product rounded first; without the option every backend gives numpy's value
    x = xp.full((4,), 1 + 2.0 ** -12, dtype='float32')
    if _np(xp):
        return x * x - xp.float32(1)
    k = wp.ElementwiseKernel('float32 x', 'float32 y',
                             'float t = 0.0f; for (int i = 0; i < 1; i++) t = x * x - 1.0f; y = t;',
                             'sq_minus_one')
    return k(x)


def test_option_parsing():
    assert not _contracts(())
    assert _contracts(('--fmad=true',)) and _contracts('--use_fast_math')
    assert not _contracts(('--fmad=true', '--fmad=false'))   # the last one wins, as NVRTC's
    assert _contracts(['-std=c++11', '--fmad=true'])


def test_raw_kernel_option_is_its_own_kernel():
    src = r'''extern "C" __global__ void f(const float* x, float* y, int n) {
        int i = blockIdx.x * blockDim.x + threadIdx.x;
        if (i < n) y[i] = x[i] * x[i] - 1.0f;
    }'''
    x = wp.full((64,), 1 + 2.0 ** -12, dtype='float32')
    plain, fused = wp.RawKernel(src, 'f'), wp.RawKernel(src, 'f', options=('--fmad=true',))
    assert plain._f is not fused._f                       # not the same cached function
    y0, y1 = wp.zeros(64, dtype='float32'), wp.zeros(64, dtype='float32')
    try:
        plain((1,), (64,), (x, y0, 64))
        fused((1,), (64,), (x, y1, 64))
    except NotImplementedError as e:                      # webgl2: RawKernels' pointer writes
        assert 'webgl2' in str(e)
        return
    exact = (1 + 2.0 ** -12) ** 2 - 1                     # 2^-11 + 2^-24
    assert y0.tolist() == [2.0 ** -11] * 64               # rounded product, then the subtraction
    if wp.get_backend_name() == 'webgpu':
        # fma() (SPIR-V's Fma) may round once or twice: Vulkan lets it (SwiftShader rounds
        # twice, NVIDIA once); core/tests/test_codegen.c checks that fma() is written
        assert y1.tolist() in ([exact] * 64, y0.tolist())
    else:
        assert y1.tolist() == y0.tolist()                 # cpu and webgl2 never contract
