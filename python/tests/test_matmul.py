"""matmul / dot / @: 1-D, 2-D, batched and broadcast batches, dtypes, views, out=, errors."""

import pytest

from wgpy import testing
from wgpy.testing import ALL_DTYPES, numpy_wgpy_allclose, numpy_wgpy_array_equal

TOL = {'float16': 1e-2, 'default': 1e-5}

SHAPES = [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (5, 3, 4)),
    ((5, 2, 3), (3, 4)), ((3,), (5, 3, 4)), ((2, 1, 2, 3), (3, 3, 2)), ((1, 3), (3, 1)),
    ((0, 3), (3, 4)), ((2, 0), (0, 3)), ((4, 1), (1, 5)), ((1, 1), (1, 1)), ((7, 9), (9, 5)),
]


@pytest.mark.parametrize('sa,sb', SHAPES)
@numpy_wgpy_allclose()
def test_matmul_shapes(xp, sa, sb):
    a = testing.shaped_random(sa, xp, 'float32', seed=1, scale=4, low=-2)
    b = testing.shaped_random(sb, xp, 'float32', seed=2, scale=4, low=-2)
    return (xp.matmul(a, b), a @ b)


# webgl2 packs whole matrices per texture layer and keeps 4 x 4 output blocks in groups of four
# layers (docs/webgl2.md, MATMUL): A over several layers, a broadcast B over several, blocks in
# two groups, and a K past a layer's rows (the unpacked loop) -- many rows, little data
@pytest.mark.parametrize('sa,sb', [((5, 1000, 4), (5, 4, 3)), ((9, 8, 600), (600, 3)),
                                   ((2100, 8, 4), (2100, 4, 2)), ((2, 4099), (4099, 2))])
@numpy_wgpy_allclose(rtol=1e-4, atol=1e-3)
def test_matmul_many_rows(xp, sa, sb):
    a = testing.shaped_random(sa, xp, 'float32', seed=11, scale=4, low=-2)
    b = testing.shaped_random(sb, xp, 'float32', seed=12, scale=4, low=-2)
    return a @ b


# few outputs over a long K are split into partial products over K/S and their sum (api/linalg.c
# split_k: a convolution's weight gradient): plain, transposed operands, batches, 1-D operands
@pytest.mark.parametrize('sa,sb,ta,tb', [((4, 4096), (4096, 3), 0, 0), ((4096, 4), (4096, 3), 1, 0),
                                         ((4, 2048), (3, 2048), 0, 1), ((2, 3, 2048), (2, 2048, 2), 0, 0),
                                         ((3, 2048), (2, 1, 2048, 2), 0, 0), ((2048,), (2048, 3), 0, 0),
                                         ((3, 2048), (2048,), 0, 0), ((3072,), (3072,), 0, 0)])
@numpy_wgpy_allclose(rtol=1e-4, atol=1e-3)
def test_matmul_split_k(xp, sa, sb, ta, tb):
    a = testing.shaped_random(sa, xp, 'float32', seed=13, scale=2, low=-1)
    b = testing.shaped_random(sb, xp, 'float32', seed=14, scale=2, low=-1)
    return xp.matmul(a.T if ta else a, b.T if tb else b)


# webgl2 keeps a MATMUL operand's packed copy with its buffer until the buffer is written
# (docs/webgl2.md): the same products again, then the operands rewritten (in place, a slice of
# one, from the host) between products, each product against NumPy
@numpy_wgpy_allclose()
def test_matmul_operand_rewritten(xp):
    a = testing.shaped_random((6, 8), xp, 'float32', seed=21, scale=4, low=-2)
    b = testing.shaped_random((8, 5), xp, 'float32', seed=22, scale=4, low=-2)
    g = testing.shaped_random((6, 5), xp, 'float32', seed=23, scale=4, low=-2)
    r = [a @ b, a.T @ g, a @ b, a.T @ g]
    a += 1.0
    r += [a @ b, a.T @ g]
    a[2:4] = 0.5
    r += [a @ b, a.T @ g]
    b *= 2.0
    r += [a @ b, a @ b]
    a[1] = xp.asarray([0.25] * 8, dtype='float32')
    r += [a @ b, a.T @ g]
    return tuple(r)


def test_matmul_split_k_launches():
    import wgpy as wp
    a, b = wp.ones((4, 4096), dtype='float32'), wp.ones((4096, 3), dtype='float32')
    wp.sync()
    wp.reset_counters()
    r = a @ b
    assert r.tolist() == [[4096.0] * 3] * 4
    assert wp.counters()['kernels_launched'] == 2  # the partial products and their sum


@pytest.mark.parametrize('dtype', ALL_DTYPES)
@numpy_wgpy_allclose(rtol=TOL, atol=TOL, accept_error=TypeError)
def test_matmul_dtypes(xp, dtype):
    a = testing.shaped_random((2, 3, 4), xp, dtype, seed=3, scale=3)
    b = testing.shaped_random((4, 5), xp, dtype, seed=4, scale=3)
    return (a @ b, xp.matmul(a[0], b[:, 1]))


@pytest.mark.parametrize('da,db', [('int8', 'float32'), ('uint8', 'int8'), ('bool', 'int16'),
                                   ('float16', 'float32'), ('int32', 'uint32'), ('bool', 'bool')])
@numpy_wgpy_allclose(accept_error=TypeError)
def test_matmul_mixed(xp, da, db):
    a = testing.shaped_random((3, 4), xp, da, seed=5, scale=3)
    b = testing.shaped_random((4, 2), xp, db, seed=6, scale=3)
    return a @ b


@numpy_wgpy_allclose()
def test_matmul_views(xp):
    a = testing.shaped_random((6, 5), xp, 'float32', seed=7, scale=4, low=-2)
    b = testing.shaped_random((5, 6), xp, 'float32', seed=8, scale=4, low=-2)
    return (a.T @ b.T, a[::2, ::-1] @ b[::-1, 1::2], a[1:4] @ b[:, :1], (a * 2 + 1) @ (b - 1),
            xp.broadcast_to(a[0], (3, 5)) @ b)


@numpy_wgpy_allclose()
def test_matmul_out(xp):
    a = testing.shaped_random((3, 4), xp, 'float32', seed=9, scale=4)
    b = testing.shaped_random((4, 2), xp, 'float32', seed=10, scale=4)
    out = xp.zeros((3, 2), dtype='float32')
    r = xp.matmul(a, b, out=out)
    return (r is out, out)


@numpy_wgpy_allclose(accept_error=True)
def test_matmul_out_aliases_input(xp):
    a = testing.shaped_random((3, 3), xp, 'float32', seed=11, scale=4)
    b = testing.shaped_random((3, 3), xp, 'float32', seed=12, scale=4)
    xp.matmul(a, b, out=a)
    return a


@pytest.mark.parametrize('sa,sb', [((2, 3), (2, 3)), ((3,), (4,)), ((), (3,)), ((3,), ()),
                                   ((2, 2, 3), (3, 3, 2)), ((2, 3), (4,)), ((4,), (2, 3))])
@numpy_wgpy_array_equal(accept_error=True)
def test_matmul_errors(xp, sa, sb):
    a = testing.shaped_arange(sa, xp, 'float32')
    b = testing.shaped_arange(sb, xp, 'float32')
    return a @ b


@pytest.mark.parametrize('sa,sb', [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
                                   ((2, 3, 4), (4, 5)), ((2, 3, 4), (2, 4, 3)), ((), (3,)),
                                   ((2, 3), ()), ((3,), (4,))])
@numpy_wgpy_allclose(accept_error=ValueError)
def test_dot(xp, sa, sb):
    # dot of N-D arrays sums over the last axis of a and the second-to-last of b
    a = testing.shaped_random(sa, xp, 'float32', seed=13, scale=4, low=-2)
    b = testing.shaped_random(sb, xp, 'float32', seed=14, scale=4, low=-2)
    return (xp.dot(a, b), a.dot(b))


@pytest.mark.parametrize('dtype', ['int8', 'int32', 'uint8', 'float16', 'bool'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_dot_dtypes(xp, dtype):
    a = testing.shaped_random((3, 4), xp, dtype, seed=15, scale=3)
    b = testing.shaped_random((4,), xp, dtype, seed=16, scale=3)
    return xp.dot(a, b)


@numpy_wgpy_array_equal()
def test_matmul_int_overflow_wraps(xp):
    a = testing.xp_array(xp, [[100, 100], [-100, 50]], 'int8')
    return (a @ a, xp.dot(a, a))


@pytest.mark.parametrize('m,k,n', [(3, 8, 20000), (2, 5, 6), (17, 9, 33), (4, 7, 1)])
@numpy_wgpy_array_equal()
def test_matmul_block_shapes(xp, m, k, n):
    # webgl2's packed matmul (docs/webgl2.md): K not a multiple of 4, N not a multiple of 4, N4 past
    # the texture width (one output row per texture row would not fit), a batch broadcast; small
    # integers in float32, so every summation order gives the exact result
    a = (xp.arange(m * k, dtype='float32').reshape(m, k) % 5) - 2
    b = (xp.arange(k * n, dtype='float32').reshape(k, n) % 7) - 3
    c = xp.broadcast_to(a, (2, m, k))
    return (a @ b, c @ b, a.T[:, :1].T @ b[:, ::-1])
