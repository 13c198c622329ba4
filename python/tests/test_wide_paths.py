"""Shapes and views that select the GPU backends' wide kernels (webgpu's main_vec4 entry points:
four elements per thread, vec4 loads) and the ones just past their rules, so that both sides of
every rule are compared with numpy.  On cpu these are ordinary cases."""

import pytest

from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose, numpy_wgpy_array_equal


# (M, K, N): whole 128x128 tiles with K % 16 == 0 (no bounds tests), partial tiles with K and N
# multiples of 4 (vec4 with bounds tests), and N or K not a multiple of 4 (the generic tile)
@pytest.mark.parametrize('m,k,n', [(128, 32, 256), (256, 48, 128), (130, 20, 132), (129, 36, 260),
                                   (128, 30, 128), (64, 32, 130), (4, 4, 4)])
@numpy_wgpy_allclose(rtol=1e-4, atol=1e-4)
def test_matmul_tiles(xp, m, k, n):
    a = testing.shaped_random((m, k), xp, 'float32', seed=11, scale=2, low=-1)
    b = testing.shaped_random((k, n), xp, 'float32', seed=12, scale=2, low=-1)
    return a @ b


@numpy_wgpy_allclose(rtol=1e-4, atol=1e-4)
def test_matmul_wide_views(xp):
    a = testing.shaped_random((3, 132, 40), xp, 'float32', seed=13, scale=2, low=-1)
    b = testing.shaped_random((40, 136), xp, 'float32', seed=14, scale=2, low=-1)
    # aligned row views keep the vec4 rule; an offset of 1 or a transposed operand leaves it
    return (a @ b, a[1] @ b[:, 4:], a[:, 4:] @ b, a[:, :, 1:37] @ b[:36], a[0].T[:, :40] @ a[0, :40],
            b.T @ a[2].T)


@pytest.mark.parametrize('dtype', ['float32', 'int32', 'uint8', 'int16', 'bool'])
@numpy_wgpy_array_equal()
def test_elementwise_wide(xp, dtype):
    a = testing.shaped_random((8, 64), xp, dtype, seed=15, scale=50)
    b = testing.shaped_random((8, 64), xp, dtype, seed=16, scale=50)
    # contiguous and aligned (wide), offset by 4 (wide), offset by 1 and an odd length (generic)
    return (a + b, a[4:] * b[4:], xp.maximum(a.ravel()[1:], b.ravel()[:-1]),
            xp.minimum(a.ravel()[:511], b.ravel()[:511]), (a > b).astype(dtype),
            a.ravel()[4:260] == b.ravel()[8:264])


@numpy_wgpy_allclose(rtol=1e-5, atol=1e-4)
def test_elementwise_wide_index(xp):
    # a program that uses the element's index (arange), in the wide path
    return xp.arange(1024, dtype='float32') * 0.5 + xp.ones(1024, dtype='float32')


@pytest.mark.parametrize('dtype', ['float32', 'int32', 'uint8', 'bool'])
@numpy_wgpy_allclose(rtol=1e-5, atol=1e-3)
def test_reduce_wide(xp, dtype):
    a = testing.shaped_random((16, 1028), xp, dtype, seed=17, scale=20)
    big = testing.shaped_random((40000,), xp, dtype, seed=18, scale=20)
    return (a.sum(axis=1), a[:, 4:].max(axis=1), a[:, 1:].min(axis=1), a.argmax(axis=1),
            a[2:, :1024].argmin(axis=1), big.sum(), big[4:].argmax(), big[:39999].any(), (a > 3).all(axis=1),
            a.sum(axis=0))
