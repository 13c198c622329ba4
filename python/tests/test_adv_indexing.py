"""Advanced (integer-array) indexing (issue 10): get, set and a[idx] op= v, against numpy:
NumPy's placement rule for the advanced dimensions, broadcasting of index arrays, ints mixed in,
negative indices, empty index arrays, dtypes, duplicates, and the errors."""

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


# ---- get --------------------------------------------------------------------------------------
GET_KEYS = {
    'list': lambda xp: ([2, 0, 2, -1],),
    'tuple_item': lambda xp: ((0, 1),),
    'array': lambda xp: (I(xp, [[1, 0], [2, 2]]),),
    'slice_then_array': lambda xp: (slice(None), I(xp, [3, 0, -4])),
    'array_last': lambda xp: (Ellipsis, I(xp, [4, 0])),
    'adjacent_pair': lambda xp: (slice(None), I(xp, [0, 3]), I(xp, [[1], [4]])),
    'separated_pair': lambda xp: (I(xp, [0, 2]), slice(1, 3), I(xp, [4, 1])),
    'int_and_array_adjacent': lambda xp: (1, I(xp, [2, 0])),
    'int_and_array_separated': lambda xp: (1, slice(None), I(xp, [2, 0, 1])),
    'array_int_array': lambda xp: (I(xp, [0, 2]), 1, I(xp, [3, 4])),
    'newaxis': lambda xp: (None, I(xp, [1, 2]), None, slice(None, None, -2)),
    'broadcast_three': lambda xp: (I(xp, [[0], [1], [2]]), I(xp, [[0, 1, 2, 3]]), I(xp, [0])),
    'empty_list': lambda xp: ([],),
    'empty_array_2d': lambda xp: (slice(None), I(xp, [[]])),
    'zero_d_array': lambda xp: (I(xp, 1), I(xp, [0, 3])),
    'negative': lambda xp: (I(xp, [-3, -1]), I(xp, [-4, -1]), I(xp, [-5, 4])),
    'strided_view': lambda xp: (slice(None, None, 2), I(xp, [3, 1]), slice(1, None, 2)),
}


@pytest.mark.parametrize('name', sorted(GET_KEYS))
@eq()
def test_get(xp, name):
    key = GET_KEYS[name](xp)
    r = A(xp)[key]
    return r, r.shape


@pytest.mark.parametrize('dtype', ['bool', 'int8', 'uint8', 'int16', 'int32', 'uint32',
                                   'float16', 'float32'])
@eq()
def test_get_dtypes(xp, dtype):
    return A(xp, dtype)[I(xp, [2, 0]), :, I(xp, [1, 4])]


@pytest.mark.parametrize('idx_dtype', ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32',
                                       'int64'])
@eq()
def test_get_index_dtypes(xp, idx_dtype):
    return A(xp)[:, I(xp, [3, 1, 0], idx_dtype)]


@eq()
def test_get_1d_and_0d_result(xp):
    a = shaped_arange((7,), xp, 'int32')
    return a[[6, 0, 6]], a[I(xp, [[1, 2], [3, 4]])], a[I(xp, [-7])]


@eq()
def test_get_of_view_and_pending(xp):
    a = A(xp) * 2 + 1            # pending work
    b = a.transpose(2, 0, 1)[1:]  # a strided view
    return b[I(xp, [0, 3]), I(xp, [2, 0])], a[I(xp, [1]), 2:, I(xp, [0, 4])]


@eq()
def test_get_result_is_a_copy(xp):
    a = A(xp)
    r = a[I(xp, [0, 1])]
    r[...] = -1
    return a, r


@eq()
def test_get_large(xp):
    a = shaped_arange((1000,), xp, 'float32')
    idx = (shaped_arange((3000,), xp, 'int32') * 7919) % 1000
    return a[idx]


ERR_KEYS = {
    'out_of_bounds': lambda xp: (I(xp, [0, 3]),),
    'out_of_bounds_neg': lambda xp: (slice(None), I(xp, [-5])),
    'out_of_bounds_second': lambda xp: (I(xp, [0]), I(xp, [9])),
    'int_out_of_bounds': lambda xp: (7, I(xp, [0])),
    'float_index': lambda xp: (I(xp, [0.0, 1.0], 'float32'),),
    'broadcast_mismatch': lambda xp: (I(xp, [0, 1]), I(xp, [0, 1, 2])),
    'too_many': lambda xp: (I(xp, [0]), 0, 0, I(xp, [0])),
    'two_ellipsis': lambda xp: (Ellipsis, I(xp, [0]), Ellipsis),
    'empty_axis': lambda xp: (slice(0, 0), I(xp, [1])),
}


@pytest.mark.parametrize('name', sorted(ERR_KEYS))
@eq_err()
def test_get_errors(xp, name):
    return A(xp)[ERR_KEYS[name](xp)]


@eq_err()
def test_get_into_empty_axis(xp):
    return xp.zeros((0, 3), dtype='float32')[I(xp, [0])]


@eq()
def test_get_empty_index_into_empty_axis(xp):
    return xp.zeros((0, 3), dtype='float32')[I(xp, [], 'int32')]


def test_index_checks_counted():
    import wgpy as wp
    a = wp.arange(10)
    wp.reset_counters()
    a[wp.asarray([1, 2])]
    a[[0, 1], ...] = 5
    assert wp.counters()['index_checks'] == 2
    wp.take(a, [1, 20], mode='wrap')  # wrap and clip read nothing
    assert wp.counters()['index_checks'] == 2


def test_checked_index_array_is_not_read_again():
    # an index array that passed its check is not checked again until its buffer is written;
    # a smaller axis, another dtype's view or a write brings the check (and NumPy's error) back
    import wgpy as wp
    a = wp.arange(10) * 2
    idx = wp.asarray([1, 9, -10], dtype='int32')
    wp.reset_counters()
    assert a[idx].tolist() == [2, 18, 0]
    assert a[idx].tolist() == [2, 18, 0]
    assert wp.take(a, idx).tolist() == [2, 18, 0]
    assert wp.counters()['index_checks'] == 1
    with pytest.raises(IndexError, match='index 9 is out of bounds for axis 0 with size 5'):
        a[:5][idx]
    assert wp.counters()['index_checks'] == 2
    idx[1] = 10  # the write makes the earlier check stale
    with pytest.raises(IndexError, match='index 10 is out of bounds for axis 0 with size 10'):
        a[idx]
    assert wp.counters()['index_checks'] == 3
    v = idx[:1]  # a view of the written buffer is checked on its own
    assert a[v].tolist() == [2]
    idx2 = wp.asarray([3, 4], dtype='int16')
    b = wp.zeros(10)
    b[idx2] = 1.0
    b[idx2] += 1.0
    assert b.tolist()[3:5] == [2.0, 2.0]
    assert wp.counters()['index_checks'] == 5
    for write in (lambda p: p.__setitem__(wp.asarray([1], dtype='int32'), 50),  # a scatter
                  lambda p: wp.add.at(p, wp.asarray([1], dtype='int32'), 50),
                  lambda p: p.__iadd__(50)):
        p = wp.asarray([0, 1, 2], dtype='int32')
        assert a[p].tolist() == [0, 2, 4]
        write(p)
        with pytest.raises(IndexError, match='out of bounds for axis 0 with size 10'):
            a[p]


# ---- set ------------------------------------------------------------------------------------
SET_CASES = {
    'scalar': lambda xp: ((I(xp, [0, 2]),), 7),
    'scalar_float_into_int': lambda xp: ((slice(None), I(xp, [1])), 2.75),
    'array_broadcast': lambda xp: ((slice(None), I(xp, [0, 3])), shaped_arange((2, 5), xp)),
    'separated': lambda xp: ((I(xp, [0, 2]), slice(1, 3), I(xp, [4, 1])),
                             shaped_arange((2, 2), xp) * 10),
    'int_mixed': lambda xp: ((1, slice(None), I(xp, [2, 0, 1])), shaped_arange((3, 4), xp)),
    'duplicates_last_wins': lambda xp: ((I(xp, [1, 1, 0, 1]),), shaped_arange((4, 1, 1), xp)),
    'duplicates_2d': lambda xp: ((I(xp, [0, 0]), I(xp, [2, 2]), I(xp, [3, 3])),
                                 xp.asarray([5.0, 6.0])),
    'negative': lambda xp: ((I(xp, [-1]), Ellipsis, I(xp, [-5])), -1),
    'list_value': lambda xp: (([2, 0],), [[[1.5]]]),
    'empty_index': lambda xp: ((I(xp, [], 'int32'),), 3),
    'strided': lambda xp: ((slice(None, None, 2), I(xp, [3, 1]), slice(1, None, 2)),
                           shaped_arange((2, 2, 2), xp)),
}


@pytest.mark.parametrize('name', sorted(SET_CASES))
@pytest.mark.parametrize('dtype', ['float32', 'int32'])
@eq()
def test_set(xp, name, dtype):
    a = A(xp, dtype)
    key, v = SET_CASES[name](xp)
    a[key] = v
    return a


@pytest.mark.parametrize('dtype', ['bool', 'int8', 'uint16', 'float16'])
@eq()
def test_set_dtypes(xp, dtype):
    a = A(xp, dtype)
    a[I(xp, [2, 0]), :, I(xp, [1, 4])] = shaped_arange((2, 4), xp, 'int32')
    return a


@eq()
def test_set_into_view_and_pending(xp):
    base = A(xp) + 0.5
    v = base[1:, ::-1]
    v[I(xp, [0, 1]), I(xp, [3, 0])] = 100
    return base, v


@eq()
def test_set_reads_itself(xp):
    a = A(xp)
    a[I(xp, [0, 1])] = a[I(xp, [2, 2])] * 2  # the value reads the target
    return a


@eq_err()
def test_set_shape_mismatch(xp):
    a = A(xp)
    a[I(xp, [0, 1])] = shaped_arange((3,), xp)
    return a


@eq_err()
def test_set_out_of_bounds(xp):
    a = A(xp)
    a[:, I(xp, [4])] = 1
    return a


@eq_err()
def test_set_read_only(xp):
    a = xp.broadcast_to(shaped_arange((5,), xp), (3, 5))
    a[I(xp, [0])] = 1
    return a


# ---- augmented: NumPy's get, op, set (no accumulation over duplicates) -----------------------
@pytest.mark.parametrize('op', ['+=', '-=', '*=', '//=', '|='])
@eq()
def test_augmented(xp, op):
    a = A(xp, 'int32')
    idx = (I(xp, [0, 2, 0]), slice(None), I(xp, [1, 1, 1]))
    v = shaped_arange((3, 4), xp, 'int32')
    if op == '+=':
        a[idx] += v
    elif op == '-=':
        a[idx] -= v
    elif op == '*=':
        a[idx] *= v
    elif op == '//=':
        a[idx] //= v
    else:
        a[idx] |= v
    return a


@eq()
def test_augmented_list_index_duplicates(xp):
    a = shaped_arange((5,), xp, 'float32')
    a[[0, 0, 4]] += 1
    return a


# ---- hypothesis: random shapes, random integer-array indices, get and set ---------------------
try:
    from hypothesis import HealthCheck, given, settings, strategies as st
    from hypothesis.extra import numpy as hnp
    HAVE_HYPOTHESIS = True
except ImportError:
    HAVE_HYPOTHESIS = False

if HAVE_HYPOTHESIS:
    SETTINGS = settings(max_examples=60, derandomize=True, deadline=None, database=None,
                        suppress_health_check=list(HealthCheck))

    @st.composite
    def adv_index(draw):
        shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5))
        key = []
        nd = len(shape)
        bshape = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3))
        nadv = 0
        for d in range(nd):
            kind = draw(st.sampled_from(['array', 'slice', 'int', 'none']))
            if kind == 'array' or (d == nd - 1 and nadv == 0):
                sub = bshape[draw(st.integers(0, len(bshape))):]
                vals = draw(hnp.arrays('int32', sub, elements=st.integers(-shape[d],
                                                                           shape[d] - 1)))
                key.append(('array', (vals.ravel().tolist(), sub)))
                nadv += 1
            elif kind == 'slice':
                s = draw(st.slices(shape[d]))
                key.append(('slice', (s.start, s.stop, s.step)))
            elif kind == 'int':
                key.append(('int', draw(st.integers(-shape[d], shape[d] - 1))))
            else:
                key.append(('none', None))
                key.append(('slice', (None, None, None)))
        return shape, key

    def _key(xp, key):
        out = []
        for kind, v in key:
            if kind == 'array':
                out.append(xp.asarray(v[0], dtype='int32').reshape(v[1]))
            elif kind == 'slice':
                out.append(slice(*v))
            elif kind == 'int':
                out.append(v)
            else:
                out.append(None)
        return tuple(out)

    @pytest.mark.native_only
    @SETTINGS
    @given(adv_index())
    def test_adv_get_property(case):
        shape, key = case

        def fn(xp):
            r = shaped_arange(shape, xp, 'int32')[_key(xp, key)]
            return r, r.shape
        eq()(fn)()

    @pytest.mark.native_only
    @SETTINGS
    @given(adv_index(), st.booleans())
    def test_adv_set_property(case, scalar):
        shape, key = case

        def fn(xp):
            a = shaped_arange(shape, xp, 'int32')
            k = _key(xp, key)
            rshape = a[k].shape
            # values distinct per position, so duplicates show which one won
            a[k] = -5 if scalar else -shaped_arange(rshape, xp, 'int32')
            return a
        eq()(fn)()

    @pytest.mark.native_only
    @SETTINGS
    @given(hnp.array_shapes(min_dims=1, max_dims=1, min_side=1, max_side=8),
           st.lists(st.integers(0, 7), min_size=0, max_size=20))
    def test_adv_duplicates_property(shape, idx):
        idx = [i % shape[0] for i in idx]

        def fn(xp):
            a = shaped_arange(shape, xp, 'float32')
            a[xp.asarray(idx, dtype='int32')] = shaped_arange((len(idx),), xp, 'float32') * 10
            b = shaped_arange(shape, xp, 'float32')
            b[xp.asarray(idx, dtype='int32')] += 1
            c = shaped_arange(shape, xp, 'float32')
            xp.add.at(c, xp.asarray(idx, dtype='int32'), 1)
            return a, b, c
        eq()(fn)()
