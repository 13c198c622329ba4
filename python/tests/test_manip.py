"""Joining, splitting and rearranging (issue 10): wgpy against numpy, values, dtypes and errors."""

import pytest

from wgpy import testing
from wgpy.testing import shaped_arange, shaped_random

eq = testing.numpy_wgpy_array_equal
def eq_err():
    return testing.numpy_wgpy_array_equal(accept_error=True)
close = testing.numpy_wgpy_allclose


def A(xp, dtype='float32'):
    return shaped_arange((3, 4), xp, dtype)


def B(xp, dtype='float32'):
    return shaped_arange((2, 3, 4), xp, dtype)


# ---- joining ----
@pytest.mark.parametrize('axis', [0, 1, -1, None])
@eq()
def test_concatenate(xp, axis):
    return xp.concatenate([A(xp), A(xp) * 2, A(xp)[:, :0] if axis in (1, -1) else A(xp)[:1]],
                          axis=axis)


@eq()
def test_concatenate_mixed_dtypes(xp):
    return xp.concatenate([A(xp, 'int8'), A(xp, 'float16'), A(xp, 'uint8')])


@eq()
def test_concatenate_dtype_and_out(xp):
    r = xp.concatenate([A(xp), A(xp)], axis=1, dtype='int16', casting='unsafe')
    out = xp.zeros((6, 4), dtype='float32')
    xp.concatenate((A(xp), A(xp) + 1), out=out)
    return r, out


@eq()
def test_concat_alias_and_array_input(xp):
    return xp.concat([A(xp)[0], A(xp)[1]]), xp.concatenate(A(xp))


@pytest.mark.parametrize('case', range(7))
@eq_err()
def test_concatenate_errors(xp, case):
    a = A(xp)
    if case == 0:
        return xp.concatenate([])
    if case == 1:
        return xp.concatenate([xp.asarray(1.0), xp.asarray(2.0)])
    if case == 2:
        return xp.concatenate([a, a[0]])
    if case == 3:
        return xp.concatenate([a, a.T])
    if case == 4:
        return xp.concatenate([a, a], axis=2)
    if case == 5:
        return xp.concatenate([a, a], out=xp.zeros((6, 4)), dtype='float32')
    return xp.concatenate([a + 0.5, a], dtype='int32')


@pytest.mark.parametrize('axis', [0, 1, 2, -1, -3])
@eq()
def test_stack(xp, axis):
    return xp.stack([A(xp), A(xp) * 3, A(xp) - 1], axis=axis)


@pytest.mark.parametrize('case', range(4))
@eq_err()
def test_stack_errors(xp, case):
    a = A(xp)
    if case == 0:
        return xp.stack([])
    if case == 1:
        return xp.stack([a, a.T])
    if case == 2:
        return xp.stack((x for x in [a, a]))
    return xp.stack([a, a], axis=3)


@eq()
def test_hvd_stack(xp):
    a1, a2 = xp.arange(3, dtype='int16'), xp.arange(3, 6, dtype='int16')
    return (xp.hstack([a1, a2]), xp.hstack([A(xp), A(xp)]), xp.vstack([a1, a2]),
            xp.vstack([A(xp), a1.astype('float32')[None].repeat(4, axis=1)[:, :4]]),
            xp.dstack([a1, a2]), xp.dstack([A(xp), A(xp)]), xp.column_stack([a1, a2]),
            xp.column_stack([A(xp)[:, :3].astype('int16'), a1]), xp.hstack([1, 2.5]),
            xp.vstack([A(xp), A(xp)], dtype='int32', casting='unsafe'))


@eq_err()
def test_hstack_generator(xp):
    return xp.hstack(x for x in [xp.arange(3)])


@eq()
def test_block(xp):
    a = A(xp)
    return (xp.block([[a, a[:, :1]], [xp.ones((1, 5), dtype='int16')]]),
            xp.block([a[0], a[1]]), xp.block([[1, 2], [3, 4]]), xp.block(a),
            xp.block([[[a]], [[a]]]))


@pytest.mark.parametrize('case', range(5))
@eq_err()
def test_block_errors(xp, case):
    a = A(xp)
    if case == 0:
        return xp.block((a, a))
    if case == 1:
        return xp.block([])
    if case == 2:
        return xp.block([[a], a])
    if case == 3:
        return xp.block([[]])
    return xp.block([[a, a[:2]]])


@eq()
def test_append(xp):
    a = A(xp, 'int32')
    return xp.append(a, [[1, 2, 3, 4]], axis=0), xp.append(a, [7, 8]), xp.append([1, 2], 3.5)


@eq_err()
def test_append_mismatch(xp):
    return xp.append(A(xp), [1, 2], axis=0)


@eq()
def test_atleast(xp):
    s, v, m = xp.asarray(3.0), xp.arange(3), A(xp)
    return (xp.atleast_1d(s), xp.atleast_1d(v, m), xp.atleast_2d(s), xp.atleast_2d(v),
            xp.atleast_2d(v, m), xp.atleast_3d(s), xp.atleast_3d(v), xp.atleast_3d(m),
            xp.atleast_3d(B(xp)), xp.atleast_1d(5))


# ---- splitting ----
@eq()
def test_split(xp):
    a = shaped_arange((6, 4), xp, 'int16')
    return (xp.split(a, 3), xp.split(a, [1, 3], axis=1), xp.split(a, [-2, 10]),
            xp.array_split(xp.arange(10), 3), xp.array_split(a, 4, axis=0),
            xp.array_split(a, [5, 1]), xp.hsplit(a, 2), xp.hsplit(xp.arange(4), 2),
            xp.vsplit(a, [2]), xp.dsplit(B(xp), [1, 3]), xp.unstack(a), xp.unstack(a, axis=-1))


@pytest.mark.parametrize('case', range(8))
@eq_err()
def test_split_errors(xp, case):
    a = shaped_arange((6, 4), xp, 'int16')
    if case == 0:
        return xp.split(a, 4)
    if case == 1:
        return xp.array_split(a, 0)
    if case == 2:
        return xp.array_split(a, 2, axis=3)
    if case == 3:
        return xp.hsplit(xp.asarray(1), 1)
    if case == 4:
        return xp.vsplit(xp.arange(3), 1)
    if case == 5:
        return xp.dsplit(a, 2)
    if case == 6:
        return xp.unstack(xp.asarray(1))
    return xp.unstack(a, axis=2)


# ---- repetition ----
@pytest.mark.parametrize('reps', [2, (2, 1), (1, 2, 3), (0, 2), (1, 1)])
@eq()
def test_tile(xp, reps):
    return xp.tile(A(xp, 'int8'), reps), xp.tile(xp.arange(3), reps)


@eq()
def test_tile_scalar(xp):
    return xp.tile(xp.asarray(5), 3), xp.tile(2.5, (2, 2))


@eq_err()
def test_tile_negative(xp):
    return xp.tile(A(xp), -1)


@pytest.mark.parametrize('args', [(2, None), (2, 1), (3, 0), ([1, 0, 3], 0), ([2, 1, 0, 1], 1),
                                  ([1, 1, 2, 2], -1), (0, None), ([1], 0), ([3] * 12, None)])
@eq()
def test_repeat(xp, args):
    reps, axis = args
    return xp.repeat(A(xp, 'int32'), reps, axis=axis), A(xp).repeat(reps, axis)


@eq()
def test_repeat_scalar_input(xp):
    return xp.repeat(3, 4), xp.repeat(xp.asarray(2.5), 2), xp.repeat(xp.zeros((0, 2)), 3, 0)


@pytest.mark.parametrize('case', range(4))
@eq_err()
def test_repeat_errors(xp, case):
    a = A(xp)
    if case == 0:
        return xp.repeat(a, -1)
    if case == 1:
        return xp.repeat(a, [1, 2], axis=0)
    if case == 2:
        return xp.repeat(a, [1, -2, 1], axis=0)
    return xp.repeat(a, 2, axis=2)


@pytest.mark.parametrize('shape', [(5, 7), 3, (2, 0), 30, ()])
@eq()
def test_resize(xp, shape):
    return xp.resize(A(xp, 'int16'), shape)


@eq_err()
def test_resize_negative(xp):
    return xp.resize(A(xp), (-1, 2))


@eq()
def test_resize_empty_input(xp):
    return xp.resize(xp.zeros((0,), dtype='int8'), (2, 3))


@eq()
def test_ndarray_resize(xp):
    a = xp.arange(6, dtype='float32')
    a.resize(2, 4)
    b = xp.arange(6, dtype='int32')
    b.resize((2, 2))
    return a, b


# ---- rearranging ----
@pytest.mark.parametrize('axis', [None, 0, 1, -1, (0, 2), ()])
@eq()
def test_flip(xp, axis):
    return xp.flip(B(xp), axis)


@eq()
def test_fliplr_flipud(xp):
    return xp.fliplr(A(xp)), xp.flipud(A(xp)), xp.flipud(xp.arange(4)), xp.fliplr(B(xp))


@pytest.mark.parametrize('case', range(3))
@eq_err()
def test_flip_errors(xp, case):
    if case == 0:
        return xp.flip(A(xp), 2)
    if case == 1:
        return xp.fliplr(xp.arange(3))
    return xp.flipud(xp.asarray(1))


@pytest.mark.parametrize('args', [(1, None), (-7, None), (1, 0), (2, -1), ((1, -2), (0, 2)),
                                  ((1, 1), 1), (5, (0, 1)), (0, 1), (100, 2)])
@eq()
def test_roll(xp, args):
    shift, axis = args
    return xp.roll(B(xp, 'int16'), shift, axis)


@pytest.mark.parametrize('case', range(2))
@eq_err()
def test_roll_errors(xp, case):
    if case == 0:
        return xp.roll(A(xp), (1, 2, 3), axis=(0, 1))
    return xp.roll(A(xp), 1, axis=5)


@pytest.mark.parametrize('args', [(2, 0), (0, 3), (1, 0), (-1, 0), (0, -1), (2, 3)])
@eq()
def test_rollaxis(xp, args):
    return xp.rollaxis(B(xp), *args)


@pytest.mark.parametrize('args', [(0, 5), (3, 0)])
@eq_err()
def test_rollaxis_errors(xp, args):
    return xp.rollaxis(B(xp), *args)


@pytest.mark.parametrize('k', [0, 1, 2, 3, -1, 6])
@eq()
def test_rot90(xp, k):
    return xp.rot90(A(xp), k), xp.rot90(B(xp), k, axes=(2, 0))


@pytest.mark.parametrize('axes', [(0, 0), (0,), (0, 3), (1, -2)])
@eq_err()
def test_rot90_errors(xp, axes):
    return xp.rot90(A(xp), 1, axes)


# ---- insert / delete ----
@pytest.mark.parametrize('args', [
    (1, 99, 1), (0, [[1], [2], [3]], 1), (4, 7, 1), (-1, 5, 0), ([1], [5, 6, 7, 8], 0),
    ([1, 1, 3, -1], [7, 8, 9, 10], 1), ([2, 0], 9, 0), (slice(None, None, 2), 0, 1),
    (3, 9, None), ([], 5, 0), ([0, 0], [[1, 2, 3, 4], [5, 6, 7, 8]], 0)])
@eq()
def test_insert(xp, args):
    obj, values, axis = args
    return xp.insert(A(xp, 'int32'), obj, values, axis=axis)


@pytest.mark.parametrize('case', range(4))
@eq_err()
def test_insert_errors(xp, case):
    a = A(xp, 'int32')
    if case == 0:
        return xp.insert(a, 5, 9, axis=1)
    if case == 1:
        return xp.insert(a, [0, 9], 9, axis=1)
    if case == 2:
        return xp.insert(a, 1, 9, axis=2)
    return xp.insert(a, [[1]], 9, axis=1)


@pytest.mark.parametrize('args', [(1, 1), ([0, 2], 1), (slice(1, None, 2), None), (-1, 0),
                                  ([True, False, True], 0), ([], 0), (slice(None, None, -2), 1),
                                  ([1, 1, -3], 1), (slice(5, 1), 0)])
@eq()
def test_delete(xp, args):
    obj, axis = args
    return xp.delete(A(xp, 'float32'), obj, axis=axis)


@pytest.mark.parametrize('case', range(4))
@eq_err()
def test_delete_errors(xp, case):
    a = A(xp, 'int32')
    if case == 0:
        return xp.delete(a, 7, axis=1)
    if case == 1:
        return xp.delete(a, [0, 4], axis=1)
    if case == 2:
        return xp.delete(a, [True, False], axis=1)
    return xp.delete(a, 0, axis=-3)


@pytest.mark.parametrize('args', [('fb', None), ('f', None), ('b', None), ('fb', 0), ('fb', 1)])
@eq()
def test_trim_zeros(xp, args):
    trim, axis = args
    v = xp.asarray([0, 0, 1, 2, 0, 3, 0], dtype='int16')
    m = xp.asarray([[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]], dtype='float32')
    r = xp.trim_zeros(m, trim, axis=axis)
    if axis is None:
        return xp.trim_zeros(v, trim), r, xp.trim_zeros(xp.zeros(3), trim)
    return r


@eq_err()
def test_trim_zeros_bad_trim(xp):
    return xp.trim_zeros(xp.arange(3), 'x')


# ---- pad ----
PAD_MODES = ['constant', 'edge', 'linear_ramp', 'maximum', 'mean', 'minimum', 'reflect',
             'symmetric', 'wrap']


@pytest.mark.parametrize('mode', PAD_MODES)
@pytest.mark.parametrize('width', [((2, 5), (3, 1)), 2, (1, 3), ((0, 0), (4, 0))])
@close()
def test_pad_modes(xp, mode, width):
    return xp.pad(shaped_random((3, 4), xp, 'float32', seed=3), width, mode)


@pytest.mark.parametrize('mode', PAD_MODES)
@eq()
def test_pad_wide(xp, mode):
    # pads wider than the array: reflect/symmetric/wrap repeat
    return xp.pad(xp.arange(3, dtype='int32') * 3 + 1, (7, 8), mode)


@pytest.mark.parametrize('mode', ['reflect', 'symmetric'])
@eq()
def test_pad_odd(xp, mode):
    return (xp.pad(xp.arange(4, dtype='float32') ** 2, (5, 6), mode, reflect_type='odd'),
            xp.pad(xp.asarray([[5.0]]), 2, mode))


@eq()
def test_pad_kwargs(xp):
    a = A(xp, 'int16')
    return (xp.pad(a, ((1, 2), (3, 4)), constant_values=((1, 2), (3, 4))),
            xp.pad(a, 2, 'constant', constant_values=7),
            xp.pad(a, 1, 'maximum', stat_length=2),
            xp.pad(a, (2, 3), 'minimum', stat_length=((1, 2), (2, 1))),
            xp.pad(a.astype('float32'), 2, 'mean', stat_length=3),
            xp.pad(a, {1: (1, 2)}),
            xp.pad(xp.arange(3), ((2, 1),)))


@eq()
def test_pad_linear_ramp(xp):
    a = xp.asarray([[4.0, 8.0], [1.0, 2.0]], dtype='float32')
    return (xp.pad(a, (2, 4), 'linear_ramp', end_values=(0, 16)),
            xp.pad(xp.asarray([10, 20], dtype='int32'), 4, 'linear_ramp', end_values=(1, 3)))


@eq()
def test_pad_empty_mode(xp):
    r = xp.pad(A(xp), 2, 'empty')
    return r.shape, r.dtype, r[2:-2, 2:-2]


@eq()
def test_pad_zero_size(xp):
    return xp.pad(xp.zeros((0, 3)), 1), xp.pad(xp.zeros((0, 3)), ((0, 0), (1, 1)), 'edge')


@pytest.mark.parametrize('case', range(7))
@eq_err()
def test_pad_errors(xp, case):
    a = A(xp)
    if case == 0:
        return xp.pad(a, -1)
    if case == 1:
        return xp.pad(a, 1.5)
    if case == 2:
        return xp.pad(a, 1, 'nope')
    if case == 3:
        return xp.pad(a, 1, 'edge', constant_values=2)
    if case == 4:
        return xp.pad(xp.zeros((0, 3)), 1, 'edge')
    if case == 5:
        return xp.pad(a, 1, 'maximum', stat_length=0)
    return xp.pad(a, ((1, 2), (3, 4), (5, 6)))


# ---- diagonals and triangles ----
@pytest.mark.parametrize('args', [(0, 0, 1), (1, 0, 1), (-1, 0, 1), (2, 1, 0), (0, 0, 2),
                                  (1, -1, 0), (9, 0, 1), (-9, 1, 2)])
@eq()
def test_diagonal(xp, args):
    return xp.diagonal(B(xp), *args), B(xp).diagonal(*args), xp.diagonal(A(xp), args[0])


@eq()
def test_diagonal_is_readonly_view(xp):
    a = A(xp)
    d = a.diagonal()
    return d.flags.writeable, d.flags.owndata


@pytest.mark.parametrize('case', range(4))
@eq_err()
def test_diagonal_errors(xp, case):
    if case == 0:
        return xp.arange(3).diagonal()
    if case == 1:
        return A(xp).diagonal(0, 1, 1)
    if case == 2:
        return A(xp).diagonal(0, 0, 2)
    d = A(xp).diagonal()
    d[0] = 5
    return d


@pytest.mark.parametrize('args', [(0, 0, 1), (1, 0, 2), (-1, 2, 1)])
@eq()
def test_trace(xp, args):
    return (xp.trace(B(xp, 'int16'), *args), B(xp).trace(*args),
            xp.trace(A(xp, 'uint8'), args[0], dtype='float32'))


@pytest.mark.parametrize('k', [0, 1, -2, 5])
@eq()
def test_diag_diagflat(xp, k):
    return (xp.diag(xp.arange(3, dtype='int8') + 1, k), xp.diag(A(xp), k),
            xp.diagflat([[1, 2], [3, 4]], k), xp.diag(xp.zeros(0), k))


@pytest.mark.parametrize('case', range(2))
@eq_err()
def test_diag_errors(xp, case):
    return xp.diag(xp.asarray(1) if case == 0 else B(xp))


@pytest.mark.parametrize('args', [((3, 3), 5, False), ((5, 3), [1, 2], True),
                                  ((5, 3), [1, 2], False), ((3, 5), [1, 2, 3, 4], False),
                                  ((3, 3, 3), 4, False), ((2, 2, 2, 2), [7, 8], False),
                                  ((9, 2), 1, True)])
@eq()
def test_fill_diagonal(xp, args):
    shape, val, wrap = args
    a = xp.zeros(shape, dtype='int32')
    r = xp.fill_diagonal(a, val, wrap=wrap)
    return r is None, a


@pytest.mark.parametrize('case', range(2))
@eq_err()
def test_fill_diagonal_errors(xp, case):
    a = xp.zeros(3) if case == 0 else xp.zeros((3, 4, 3))
    xp.fill_diagonal(a, 1)
    return a


@pytest.mark.parametrize('args', [(3,), (3, 5, 1), (4, 2, -1), (0,), (3, 0), (2, 3, 9)])
@eq()
def test_tri(xp, args):
    return xp.tri(*args), xp.tri(*args, dtype='int8'), xp.tri(*args, dtype=bool)


@pytest.mark.parametrize('k', [0, 1, -1, -5])
@eq()
def test_tril_triu(xp, k):
    return (xp.tril(A(xp), k), xp.triu(A(xp, 'int16'), k), xp.tril(B(xp), k),
            xp.triu(B(xp, 'uint8'), k), xp.tril(xp.arange(3), k))


@pytest.mark.parametrize('args', [(3,), (3, 1), (4, -1, 2), (3, 0, 5), (0,)])
@eq()
def test_tri_indices(xp, args):
    return xp.tril_indices(*args), xp.triu_indices(*args)


@eq()
def test_tri_indices_from(xp):
    a = A(xp)
    return (xp.tril_indices_from(a), xp.triu_indices_from(a, 1), xp.diag_indices(3),
            xp.diag_indices(2, 3), xp.diag_indices_from(xp.zeros((3, 3, 3))))


@pytest.mark.parametrize('case', range(4))
@eq_err()
def test_tri_indices_errors(xp, case):
    if case == 0:
        return xp.tril_indices_from(xp.zeros(3))
    if case == 1:
        return xp.triu_indices_from(B(xp))
    if case == 2:
        return xp.diag_indices_from(xp.zeros(3))
    return xp.diag_indices_from(A(xp))


@eq()
def test_indices(xp):
    return (xp.indices((2, 3)), xp.indices((2, 3, 4), dtype='float32'),
            xp.indices((3, 2), sparse=True), xp.indices(()), xp.indices((0, 2)))


@pytest.mark.parametrize('indexing', ['xy', 'ij'])
@pytest.mark.parametrize('sparse', [False, True])
@eq()
def test_meshgrid(xp, indexing, sparse):
    x, y, z = xp.arange(3), xp.arange(2, dtype='float32'), xp.asarray([5, 6, 7, 8], dtype='int8')
    return (xp.meshgrid(x, y, indexing=indexing, sparse=sparse),
            xp.meshgrid(x, y, z, indexing=indexing, sparse=sparse),
            xp.meshgrid(x, indexing=indexing, sparse=sparse), xp.meshgrid())


@eq_err()
def test_meshgrid_bad_indexing(xp):
    return xp.meshgrid(xp.arange(2), indexing='q')


@eq()
def test_ix(xp):
    return (xp.ix_([0, 1], [2, 4]), xp.ix_(xp.arange(3)), xp.ix_([True, False, True], [1]),
            xp.ix_([]))


@eq_err()
def test_ix_2d(xp):
    return xp.ix_(A(xp))


@pytest.mark.parametrize('args', [('raise', 'C'), ('raise', 'F'), ('wrap', 'C'), ('clip', 'C'),
                                  (('clip', 'wrap'), 'C')])
@eq()
def test_ravel_multi_index(xp, args):
    mode, order = args
    if mode == 'raise':
        idx = (xp.asarray([1, 2, 0]), xp.asarray([3, 0, 1]))
    else:
        idx = (xp.asarray([1, 5, -1]), xp.asarray([3, 7, -2]))
    return xp.ravel_multi_index(idx, (3, 4), mode=mode, order=order)


@pytest.mark.parametrize('case', range(3))
@eq_err()
def test_ravel_multi_index_errors(xp, case):
    if case == 0:
        return xp.ravel_multi_index((xp.asarray([1, 5]), xp.asarray([1, 1])), (3, 3))
    if case == 1:
        return xp.ravel_multi_index((xp.asarray([1]), xp.asarray([1])), (3, 3), mode='x')
    return xp.ravel_multi_index((xp.asarray([1]),), (3, 3))


@pytest.mark.parametrize('order', ['C', 'F'])
@eq()
def test_unravel_index(xp, order):
    return (xp.unravel_index(xp.asarray([5, 11, 0]), (3, 4), order=order),
            xp.unravel_index(xp.asarray(7), (2, 3, 2), order=order),
            xp.unravel_index(xp.asarray([[1, 2], [3, 4]]), (5,), order=order))


@pytest.mark.parametrize('idx', [[1, 10], [-1]])
@eq_err()
def test_unravel_index_errors(xp, idx):
    return xp.unravel_index(xp.asarray(idx), (3, 3))


@pytest.mark.parametrize('args', [(None, False), (4, False), (2, True), (0, False), (5, True)])
@eq()
def test_vander(xp, args):
    N, inc = args
    return (xp.vander(xp.asarray([1, 2, 3], dtype='int32'), N, inc),
            xp.vander(xp.asarray([0.5, -2.0], dtype='float32'), N, inc))


@eq_err()
def test_vander_2d(xp):
    return xp.vander(A(xp))


@eq()
def test_views_share_data(xp):
    a = xp.arange(12, dtype='float32').reshape(3, 4)
    f = xp.flip(a, 0)
    s = xp.split(a, 2, axis=1)[1]
    a[0, 3] = 100
    return f, s, xp.diagonal(a, 2)


@eq()
def test_stack_out(xp):
    out = xp.zeros((2, 3, 4), dtype='float32')
    r = xp.stack([A(xp), A(xp) + 1], axis=0, out=out)
    return r is out, out


@eq()
def test_indices_given_as_wgpy_arrays(xp):
    # positions and repeats given as device arrays are read back (they decide shapes)
    a = A(xp, 'int16')
    return (xp.delete(a, xp.asarray([0, 2]), axis=1), xp.insert(a, xp.asarray([1, 3]), 9, axis=1),
            xp.repeat(a, xp.asarray([1, 0, 2]), axis=0), xp.delete(a, xp.asarray(1), axis=0))


@pytest.mark.parametrize('case', range(14))
@eq_err()
def test_zero_d_and_empty(xp, case):
    s = xp.asarray(3.5, dtype='float32')
    e = xp.zeros((0, 3), dtype='int16')
    return [lambda: xp.flip(s), lambda: xp.roll(s, 1), lambda: xp.tile(e, (2, 2)),
            lambda: xp.roll(e, 2, axis=1), lambda: xp.rot90(e), lambda: xp.pad(s, 1),
            lambda: xp.repeat(s, 3), lambda: xp.append(e, e, axis=0),
            lambda: xp.delete(e, 0, axis=1), lambda: xp.insert(e, 1, 5, axis=1),
            lambda: xp.split(e, 3, axis=1), lambda: xp.diagonal(e), lambda: xp.trace(e),
            lambda: xp.tril(e)][case]()
