"""Broadcasting; strided, negative-stride and offset views as inputs; writes into views; in-place
operations ordered against pending (lazy) work; out= aliasing an input."""

import pytest

from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose, numpy_wgpy_array_equal


@pytest.mark.parametrize('sa,sb', [
    ((3, 1), (1, 4)), ((2, 3, 4), (4,)), ((5, 1, 3), (1, 4, 1)), ((), (3,)), ((0, 3), (1, 3)),
    ((2, 0), (2, 1)), ((1,), (0,)), ((2, 1, 1, 3), (4, 1)), ((1, 1), ()), ((3,), (3,)),
])
@numpy_wgpy_array_equal()
def test_broadcast_binary(xp, sa, sb):
    a = testing.shaped_arange(sa, xp, 'int32')
    b = testing.shaped_arange(sb, xp, 'int32', start=3)
    return (a + b, b - a, xp.maximum(a, b), a < b)


@pytest.mark.parametrize('sa,sb', [((3,), (4,)), ((2, 3), (3, 2)), ((2, 3, 4), (3, 1, 5)),
                                   ((0,), (2,))])
@numpy_wgpy_array_equal(accept_error=True)
def test_broadcast_incompatible(xp, sa, sb):
    return testing.shaped_arange(sa, xp, 'float32') + testing.shaped_arange(sb, xp, 'float32')


@numpy_wgpy_array_equal(accept_error=True)
def test_broadcast_shapes_func(xp):
    return (xp.broadcast_shapes((3, 1), (1, 4)), xp.broadcast_shapes((2, 1, 3), (5, 1), ()),)


def _views(xp):
    a = testing.shaped_arange((4, 6), xp, 'float32')
    return {
        'step': a[::2],
        'neg': a[::-1, ::-1],
        'offset': a[1:-1, 2:],
        'T': a.T[1:5],
        'col': a[:, 1],
        'newaxis': a[1:3, None, ::2],
        'negstep2': a[-1::-2, 5::-3],
        'broadcast': xp.broadcast_to(a[0], (3, 6)),
    }


VIEW_NAMES = ['step', 'neg', 'offset', 'T', 'col', 'newaxis', 'negstep2', 'broadcast']


@pytest.mark.parametrize('name', VIEW_NAMES)
@numpy_wgpy_allclose()
def test_views_as_inputs(xp, name):
    v = _views(xp)[name]
    return (v * 2 + 1, xp.sqrt(v), v.sum(), v.max(axis=0), v.astype('int16'), v.copy(),
            v + v[..., ::-1])


@pytest.mark.parametrize('name', VIEW_NAMES)
@numpy_wgpy_allclose()
def test_views_pairwise(xp, name):
    v = _views(xp)[name]
    return (v + v[..., ::-1] * 0.5, xp.where(v > 5, v, -v), v * v.T.T)


@numpy_wgpy_array_equal()
def test_write_slice_inplace(xp):
    a = testing.shaped_arange((6,), xp, 'int32')
    a[1:3] += 1
    a[::2] *= 10
    a[::-1][:2] -= 100
    return a


@numpy_wgpy_array_equal()
def test_write_through_transpose(xp):
    a = testing.shaped_arange((3, 4), xp, 'float32')
    b = a.T
    b[0] = 5
    b[1:, 2] = -1
    return (a, b)


@numpy_wgpy_array_equal()
def test_write_view_of_view(xp):
    a = testing.shaped_arange((4, 5), xp, 'int16')
    v = a[1:, ::-1]
    w = v[::2, 1:3]
    w[...] = 0
    v[0, 0] = 99
    return a


@numpy_wgpy_array_equal()
def test_assign_overlapping_self(xp):
    a = testing.shaped_arange((8,), xp, 'int32')
    a[1:] = a[:-1]
    b = testing.shaped_arange((8,), xp, 'int32')
    b[:-1] = b[1:]
    c = testing.shaped_arange((8,), xp, 'int32')
    c[::-1] = c
    d = testing.shaped_arange((3, 3), xp, 'int32')
    d[...] = d.T
    return (a, b, c, d)


@numpy_wgpy_array_equal()
def test_lazy_order_inplace_after_read(xp):
    a = testing.shaped_arange((5,), xp, 'float32')
    b = a * 2          # pending work that reads a
    a += 1             # must not change b
    c = a + b
    a[0] = -1          # must not change c
    return (a, b, c)


@numpy_wgpy_array_equal()
def test_lazy_order_view_then_write(xp):
    a = testing.shaped_arange((3, 4), xp, 'int32')
    v = a[1:]
    c = v + 0          # reads the view before the write
    a[1, 1] = 100
    d = v + 0          # reads it after
    a[:] = 0
    return (c, d, v, a)


@numpy_wgpy_array_equal()
def test_lazy_order_chain(xp):
    a = testing.shaped_arange((4,), xp, 'int32')
    x = a * 2
    a *= 3
    y = a + x
    a[0] = -1
    x += a
    z = x - y
    return (x, y, z, a)


@numpy_wgpy_array_equal()
def test_lazy_order_repeated_writes(xp):
    a = xp.zeros((4,), dtype='int32')
    snapshots = []
    for i in range(5):
        a[i % 4] = i
        a += 1
        snapshots.append(a.copy())
    return tuple(snapshots) + (a,)


@numpy_wgpy_array_equal()
def test_out_aliases_reversed_input(xp):
    a = testing.shaped_arange((6,), xp, 'float32')
    r = xp.add(a, a[::-1], out=a)
    return (r is a, a)


@numpy_wgpy_array_equal()
def test_out_aliases_shifted_input(xp):
    a = testing.shaped_arange((6,), xp, 'int32')
    xp.subtract(a[1:], a[:-1], out=a[1:])
    b = testing.shaped_arange((6,), xp, 'int32')
    xp.multiply(b[:-1], 2, out=b[1:])
    return (a, b)


@numpy_wgpy_array_equal()
def test_out_aliases_transposed_input(xp):
    a = testing.shaped_arange((3, 3), xp, 'float32')
    xp.add(a, a.T, out=a)
    b = testing.shaped_arange((3, 3), xp, 'float32')
    xp.negative(b.T, out=b)
    return (a, b)


@numpy_wgpy_array_equal()
def test_out_same_as_input(xp):
    a = testing.shaped_arange((2, 3), xp, 'int16')
    xp.negative(a, out=a)
    xp.multiply(a, a, out=a)
    return a


@numpy_wgpy_array_equal()
def test_inplace_with_broadcast_and_view_rhs(xp):
    a = testing.shaped_arange((3, 4), xp, 'int32')
    a += a[0]
    a -= a[:, :1]
    a[1:] += a[:-1]
    return a


@numpy_wgpy_array_equal(accept_error=True)
def test_inplace_broadcast_to_bigger_fails(xp):
    a = testing.shaped_arange((4,), xp, 'int32')
    a += testing.shaped_arange((3, 4), xp, 'int32')
    return a


# webgl2 compiles an elementwise kernel per addressing of its inputs (docs/webgl2.md: an input at
# the output's words, C-contiguous at another offset, or anything else): each kind, mixed in one
# kernel, into outputs at offsets and views, two outputs at once, 1-D and 3-D
@numpy_wgpy_array_equal()
def test_elementwise_input_addressing(xp):
    a = testing.shaped_arange((6, 10), xp, 'float32')
    b = testing.shaped_arange((6, 10), xp, 'float32') * 0.5
    r = [a * 2.0 + b, a[1:] - b[:-1], a[:, 1:] * b[:, :-1], a + b[0], a.T + b.T, a[1:] + b[1:]]
    o = xp.zeros((6, 10), dtype='float32')
    o[1:] = a[:-1] + b[1:]
    o[:, ::2] = a[:, 1::2] - 1.0
    f = a.ravel()
    r += [o, f[3:] + f[:-3], f[7:] * 2.0]
    c = testing.shaped_arange((2, 3, 4), xp, 'int32')
    r += [c + c, c[1:] - c[:1], c[:, 1:] + c[:, :-1], c.transpose(2, 0, 1) * 3]
    x, y = a.copy(), b.copy()
    x, y = x * y + 1.0, x - y  # an elementwise kernel with two outputs
    r += [x, y]
    return tuple(r)
