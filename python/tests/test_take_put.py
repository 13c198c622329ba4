"""take, take_along_axis, put, put_along_axis, choose and the ndarray methods (issue 10), against
numpy: axes, modes, out=, scalars, empty indices and the errors."""

import pytest

from wgpy import testing
from wgpy.testing import shaped_arange

eq = testing.numpy_wgpy_array_equal


def eq_err():
    return testing.numpy_wgpy_array_equal(accept_error=True)


def A(xp, dtype='float32'):
    return shaped_arange((3, 4, 5), xp, dtype)


def I(xp, v, dtype='int32'):
    return xp.asarray(v, dtype=dtype)


@pytest.mark.parametrize('axis', [None, 0, 1, 2, -1])
@pytest.mark.parametrize('mode', ['raise', 'wrap', 'clip'])
@eq()
def test_take(xp, axis, mode):
    idx = [0, 2, -1, 1] if mode == 'raise' else [0, 7, -9, 3, 60]
    return xp.take(A(xp), idx, axis=axis, mode=mode)


@eq()
def test_take_scalar_and_2d_index(xp):
    a = A(xp, 'int16')
    return (xp.take(a, 3), xp.take(a, 1, axis=1), xp.take(a, I(xp, [[0, 1], [2, 0]]), axis=0),
            a.take([4, 0], axis=-1), xp.take(a, I(xp, [], 'int32'), axis=1))


@eq()
def test_take_out(xp):
    out = xp.zeros((3, 2, 5), dtype='float32')
    r = xp.take(A(xp), [3, 0], axis=1, out=out)
    return r, out


@eq()
def test_take_bool_indices(xp):
    return xp.take(A(xp), [True, False, True], axis=0)


@pytest.mark.parametrize('case', range(6))
@eq_err()
def test_take_errors(xp, case):
    a = A(xp)
    if case == 0:
        return xp.take(a, [12], axis=1)
    if case == 1:
        return xp.take(a, [0], axis=3)
    if case == 2:
        return xp.take(a, I(xp, [0.5], 'float32'))
    if case == 3:
        return xp.take(a, [0], mode='bad')
    if case == 4:
        return xp.take(xp.zeros((0, 2), dtype='float32'), [0], axis=0, mode='wrap')
    return xp.take(a, [-61])


@pytest.mark.parametrize('axis', [0, 1, -1, None])
@eq()
def test_take_along_axis(xp, axis):
    a = shaped_arange((3, 4), xp, 'int32') * 7 % 5
    if axis is None:
        return xp.take_along_axis(a, I(xp, [11, 0, 5]), axis=None)
    return xp.take_along_axis(a, xp.argmax(a, axis=axis, keepdims=True), axis=axis), \
        xp.take_along_axis(a, I(xp, [[0], [2], [1]]) if axis == 1 or axis == -1 else
                           I(xp, [[2, 0, 1, 1]]), axis=axis)


@pytest.mark.parametrize('case', range(3))
@eq_err()
def test_take_along_axis_errors(xp, case):
    a = shaped_arange((3, 4), xp, 'int32')
    if case == 0:
        return xp.take_along_axis(a, I(xp, [0, 1]), axis=0)
    if case == 1:
        return xp.take_along_axis(a, I(xp, [[0.0]], 'float32'), axis=0)
    return xp.take_along_axis(a, I(xp, [[5]]), axis=0)


@pytest.mark.parametrize('mode', ['raise', 'wrap', 'clip'])
@eq()
def test_put(xp, mode):
    a = A(xp, 'int32')
    idx = [0, 5, 5, -1] if mode == 'raise' else [0, 70, -70, 5, 5]
    xp.put(a, idx, [9, 8, 7], mode=mode)  # v repeats; the last of a repeated index wins
    b = shaped_arange((4,), xp, 'float32')
    b.put(I(xp, [[1, 3]]), 0.5)
    return a, b


@eq()
def test_put_non_contiguous(xp):
    a = A(xp)
    v = a[:, ::2]
    xp.put(v, [0, 1, 29], [-1, -2, -3])
    return a, v


@eq_err()
def test_put_out_of_bounds(xp):
    a = A(xp)
    xp.put(a, [60], 1.0)
    return a


@pytest.mark.parametrize('axis', [0, 1, None])
@eq()
def test_put_along_axis(xp, axis):
    a = shaped_arange((3, 4), xp, 'float32')
    if axis is None:
        xp.put_along_axis(a, I(xp, [11, 0]), -1.0, axis=None)
    elif axis == 0:
        xp.put_along_axis(a, I(xp, [[2, 0, 1, 1]]), shaped_arange((1, 4), xp, 'float32') * 10,
                          axis=0)
    else:
        xp.put_along_axis(a, xp.argmax(a, axis=1, keepdims=True), 0.0, axis=1)
    return a


@pytest.mark.parametrize('mode', ['raise', 'wrap', 'clip'])
@eq()
def test_choose(xp, mode):
    c = I(xp, [[0, 1, 2], [2, 1, 0]]) if mode == 'raise' else I(xp, [[0, 4, -1], [2, 7, 0]])
    choices = [xp.zeros(3, dtype='float32'), shaped_arange((2, 3), xp, 'int16'), 5]
    return xp.choose(c, choices, mode=mode), c.choose(choices, mode=mode)


@eq()
def test_choose_out_and_array_choices(xp):
    c = I(xp, [1, 0, 1])
    out = xp.zeros(3, dtype='float32')
    xp.choose(c, shaped_arange((2, 3), xp, 'float32'), out=out)
    return out


@eq_err()
def test_choose_invalid(xp):
    return xp.choose(I(xp, [0, 3]), [I(xp, [1, 2]), I(xp, [3, 4])])
