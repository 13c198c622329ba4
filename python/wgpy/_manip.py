"""wgpy's joining, splitting and rearranging functions (NumPy's names and signatures; issue 10).

Everything here is built from the engine's views (wg_index, reshape, transpose, broadcast_to,
wg_diagonal) and from lazy copies: a result is a new array whose pieces are assigned (wg_assign)
into views of it, so the data stays on the device.  Index arguments (insert/delete positions,
split points, repeats) are Python values decided on the host; the few functions that must look at
device data say so in their docstring (trim_zeros, and the bounds checks of ravel_multi_index and
unravel_index in mode 'raise').

Several functions are ports of NumPy's own Python implementations (numpy/lib/_arraypad_impl.py,
_function_base_impl.py, _shape_base_impl.py, numpy/_core/shape_base.py; BSD-3-Clause), with
``numpy`` replaced by the engine's operations.
"""

import builtins as _b
import math as _math
import operator as _operator
import warnings as _warnings
from ctypes import c_int, c_int64, c_void_p

from . import _core, _dtypes, _lib
from ._core import ndarray, _wrap, _view
from ._lib import AxisError

_ctx = _lib.ctx
_np = _lib.np

__all__ = []
_export = _core.exporter(globals())


def _f():
    from . import _funcs
    return _funcs


# wg_diagonal is bound here rather than in _lib's table (one more entry point of the header)
_wg_diagonal = _lib.lib.wg_diagonal
_wg_diagonal.restype = c_void_p
_wg_diagonal.argtypes = [c_void_p, c_void_p, c_int64, c_int64, c_int64, c_int]


def _intp():
    return _dtypes.OBJS[_core._canonical[_dtypes.INT64]]


def _arr(a):
    return a if isinstance(a, ndarray) else _core.asarray_impl(a)


def _asarray(a, dtype=None, ndmin=0):
    return _core.asarray_impl(a, dtype, None, None, ndmin)


def _norm_axis(axis, ndim, argname=None):
    axis = _operator.index(axis)
    if not -ndim <= axis < ndim:
        msg = 'axis %d is out of bounds for array of dimension %d' % (axis, ndim)
        raise AxisError(msg if argname is None else '%s: %s' % (argname, msg))
    return axis + ndim if axis < 0 else axis


def _norm_axes(axis, ndim, argname=None):
    if type(axis) not in (tuple, list):
        try:
            axis = [_operator.index(axis)]
        except TypeError:
            axis = list(axis)
    ax = [_norm_axis(a, ndim, argname) for a in axis]
    if len(set(ax)) != len(ax):
        raise ValueError('repeated axis' if argname is None else
                         'repeated axis in `%s` argument' % argname)
    return tuple(ax)


def _at(sl, axis):
    return (slice(None),) * axis + (sl,) + (Ellipsis,)


def _new(shape, code):
    return _wrap(_lib.wg_empty(_ctx, code, len(shape), _lib.i64(_lib.buf0, shape)))


def _code(dtype):
    return _dtypes.requested(dtype)


def _to_host_ints(x, what='indices'):
    """Index values given as Python ints/sequences/numpy arrays/wgpy arrays -> (list of ints,
    ndim, is bool).  A wgpy array is read back (a sync point): its values decide shapes."""
    if isinstance(x, ndarray):
        kind = x.dtype.kind
        vals = x.tolist()
        nd = x.ndim
    elif _np is not None:
        arr = _np.asarray(x)
        kind, nd = arr.dtype.kind, arr.ndim
        vals = arr.tolist()
    else:
        shape, flat = _core._flatten(x)
        nd = len(shape)
        if flat and _b.all(type(v) is bool for v in flat):
            kind = 'b'
        elif _b.all(isinstance(v, int) for v in flat):
            kind = 'i'
        else:
            kind = 'f'
        vals = x if nd else (flat[0] if flat else x)
    return vals, nd, kind


def _flat_list(v):
    out = []

    def rec(x):
        if isinstance(x, list):
            for y in x:
                rec(y)
        else:
            out.append(x)
    rec(v)
    return out


# ---- joining ----------------------------------------------------------------------------------
def _concat(arrs, axis, out=None, dtype=None, casting='same_kind'):
    if out is not None and dtype is not None:
        raise TypeError('concatenate() only takes `out` or `dtype` as an argument, but both '
                        'were provided.')
    if not arrs:
        raise ValueError('need at least one array to concatenate')
    if axis is None:
        arrs = [a.ravel() for a in arrs]
        axis = 0
    nd = arrs[0].ndim
    if nd == 0:
        raise ValueError('zero-dimensional arrays cannot be concatenated')
    axis = _norm_axis(axis, nd)
    shape0 = arrs[0].shape
    total = 0
    for i, a in enumerate(arrs):
        if a.ndim != nd:
            raise ValueError('all the input arrays must have same number of dimensions, but the '
                             'array at index 0 has %d dimension(s) and the array at index %d has '
                             '%d dimension(s)' % (nd, i, a.ndim))
        for d in range(nd):
            if d != axis and a.shape[d] != shape0[d]:
                raise ValueError('all the input array dimensions except for the concatenation '
                                 'axis must match exactly, but along dimension %d, the array at '
                                 'index 0 has size %d and the array at index %d has size %d'
                                 % (d, shape0[d], i, a.shape[d]))
        total += a.shape[axis]
    shape = shape0[:axis] + (total,) + shape0[axis + 1:]
    F = _f()
    if out is not None:
        if not isinstance(out, ndarray):
            raise TypeError('wgpy: out must be a wgpy.ndarray, not %s' % type(out).__name__)
        if out.shape != shape:
            raise ValueError('Output array is the wrong shape')
        target = out.dtype
    elif dtype is not None:
        target = _dtypes.OBJS[_code(dtype)]
    else:
        target = F.result_type(*arrs)
    if casting != 'unsafe':
        for a in arrs:
            if not F.can_cast(a.dtype, target, casting):
                raise TypeError('Cannot cast array data from %r to %r according to the rule %r'
                                % (_np.dtype(a.dtype) if _np else a.dtype,
                                   _np.dtype(target) if _np else target, casting))
    r = out if out is not None else _new(shape, _code(target))
    o = 0
    for a in arrs:
        n = a.shape[axis]
        if n:
            r[_at(slice(o, o + n), axis)] = a
        o += n
    return r


def _seq_arrays(arrays, func='concatenate'):
    if isinstance(arrays, ndarray):
        if arrays.ndim == 0:
            raise ValueError('zero-dimensional arrays cannot be concatenated')
        return [arrays[i] for i in range(arrays.shape[0])]
    return [_arr(a) for a in arrays]


@_export
def concatenate(arrays, /, axis=0, out=None, *, dtype=None, casting='same_kind'):
    return _concat(_seq_arrays(arrays), axis, out, dtype, casting)


_export(concatenate, 'concat')


def _check_seq(arrays):
    if not hasattr(arrays, '__getitem__') or not hasattr(arrays, '__len__'):
        raise TypeError('arrays to stack must be passed as a "sequence" type such as list or '
                        'tuple.')


@_export
def stack(arrays, axis=0, out=None, *, dtype=None, casting='same_kind'):
    _check_seq(arrays)
    arrs = _seq_arrays(arrays)
    if not arrs:
        raise ValueError('need at least one array to stack')
    shp = arrs[0].shape
    if _b.any(a.shape != shp for a in arrs):
        raise ValueError('all input arrays must have the same shape')
    axis = _norm_axis(axis, len(shp) + 1)
    expanded = [a.reshape(shp[:axis] + (1,) + shp[axis:]) for a in arrs]
    return _concat(expanded, axis, out, dtype, casting)


def _each(arys, f):
    """f of every argument as an array: the one result, or a tuple of them (NumPy's atleast_*d)."""
    res = [f(_arr(a)) for a in arys]
    if len(res) == 1:
        return res[0]
    return tuple(res)


def _at1(a):
    return a.reshape(1) if a.ndim == 0 else a


def _at2(a):
    if a.ndim == 0:
        return a.reshape(1, 1)
    return a[None, :] if a.ndim == 1 else a


def _at3(a):
    if a.ndim == 0:
        return a.reshape(1, 1, 1)
    if a.ndim == 1:
        return a[None, :, None]
    return a[:, :, None] if a.ndim == 2 else a


@_export
def atleast_1d(*arys):
    return _each(arys, _at1)


@_export
def atleast_2d(*arys):
    return _each(arys, _at2)


@_export
def atleast_3d(*arys):
    return _each(arys, _at3)


def _as_list(tup):
    _check_seq(tup)
    return list(tup)


@_export
def vstack(tup, *, dtype=None, casting='same_kind'):
    arrs = [atleast_2d(a) for a in _as_list(tup)]
    return _concat(arrs, 0, None, dtype, casting)


@_export
def hstack(tup, *, dtype=None, casting='same_kind'):
    arrs = [atleast_1d(a) for a in _as_list(tup)]
    if arrs and arrs[0].ndim == 1:
        return _concat(arrs, 0, None, dtype, casting)
    return _concat(arrs, 1, None, dtype, casting)


@_export
def dstack(tup):
    arrs = [atleast_3d(a) for a in _as_list(tup)]
    return _concat(arrs, 2)


@_export
def row_stack(tup, *, dtype=None, casting='same_kind'):
    _warnings.warn('`row_stack` alias is deprecated. Use `np.vstack` directly.',
                   DeprecationWarning, stacklevel=2)
    return vstack(tup, dtype=dtype, casting=casting)


@_export
def column_stack(tup):
    arrs = []
    for v in _as_list(tup):
        a = _arr(v)
        if a.ndim < 2:
            a = _asarray(a, ndmin=2).T
        arrs.append(a)
    return _concat(arrs, 1)


def _block_format_index(index):
    return 'arrays' + ''.join('[%d]' % i for i in index if i is not None)


def _block_depths(arrays, parent_index=()):
    """(index of the first deepest element, max ndim of the leaves)."""
    parent_index = list(parent_index)
    if isinstance(arrays, tuple):
        raise TypeError('%s is a tuple. Only lists can be used to arrange blocks, and np.block '
                        'does not allow implicit conversion from tuple to ndarray.'
                        % _block_format_index(parent_index))
    if isinstance(arrays, list) and arrays:
        it = (_block_depths(a, parent_index + [i]) for i, a in enumerate(arrays))
        first_index, max_nd = next(it)
        for index, nd in it:
            max_nd = _b.max(max_nd, nd)
            if len(index) != len(first_index):
                raise ValueError('List depths are mismatched. First element was at depth %d, but '
                                 'there is an element at depth %d (%s)'
                                 % (len(first_index), len(index), _block_format_index(index)))
            if index[-1] is None:
                first_index = index
        return first_index, max_nd
    if isinstance(arrays, list):
        return parent_index + [None], 0
    return parent_index, _arr(arrays).ndim


def _block_rec(arrays, max_depth, result_ndim, depth=0):
    """(shape, [slices], [arrays]) as NumPy's _block_info_recursion."""
    if depth < max_depth:
        parts = [_block_rec(a, max_depth, result_ndim, depth + 1) for a in arrays]
        axis = result_ndim - max_depth + depth
        shapes = [p[0] for p in parts]
        first = shapes[0]
        for s in shapes:
            if s[:axis] != first[:axis] or s[axis + 1:] != first[axis + 1:]:
                raise ValueError('Mismatched array shapes in block along axis %d.' % axis)
        offs = [0]
        for s in shapes:
            offs.append(offs[-1] + s[axis])
        shape = first[:axis] + (offs[-1],) + first[axis + 1:]
        slices, arrs = [], []
        for i, (_, sls, ars) in enumerate(parts):
            slices += [(slice(offs[i], offs[i + 1]),) + s for s in sls]
            arrs += ars
        return shape, slices, arrs
    a = _asarray(arrays, ndmin=result_ndim)
    return a.shape, [()], [a]


@_export
def block(arrays):
    bottom, arr_ndim = _block_depths(arrays)
    list_ndim = len(bottom)
    if bottom and bottom[-1] is None:
        raise ValueError('List at %s cannot be empty' % _block_format_index(bottom))
    result_ndim = _b.max(arr_ndim, list_ndim)
    if list_ndim == 0:
        return _asarray(arrays, ndmin=result_ndim).copy()
    shape, slices, arrs = _block_rec(arrays, list_ndim, result_ndim)
    dt = _f().result_type(*arrs)
    r = _new(shape, _code(dt))
    for sl, a in zip(slices, arrs):
        if a.size:
            r[(Ellipsis,) + sl] = a
    return r


@_export
def append(arr, values, axis=None):
    arr = _arr(arr)
    values = _arr(values)
    if axis is None:
        if arr.ndim != 1:
            arr = arr.ravel()
        values = values.ravel()
        axis = arr.ndim - 1
    return _concat([arr, values], axis)


# ---- splitting --------------------------------------------------------------------------------
@_export
def array_split(ary, indices_or_sections, axis=0):
    ary = _arr(ary)
    try:
        ntotal = ary.shape[axis]
    except IndexError:
        raise IndexError('tuple index out of range') from None
    axis = _norm_axis(axis, ary.ndim)
    try:
        nsec = len(indices_or_sections) + 1
        div = [0] + list(indices_or_sections) + [ntotal]
    except TypeError:
        nsec = int(indices_or_sections)
        if nsec <= 0:
            raise ValueError('number sections must be larger than 0.') from None
        each, extras = divmod(ntotal, nsec)
        sizes = [0] + extras * [each + 1] + (nsec - extras) * [each]
        div = [0]
        for s in sizes[1:]:
            div.append(div[-1] + s)
    return [ary[_at(slice(div[i], div[i + 1]), axis)] for i in range(nsec)]


@_export
def split(ary, indices_or_sections, axis=0):
    ary = _arr(ary)
    try:
        len(indices_or_sections)
    except TypeError:
        sections = indices_or_sections
        n = ary.shape[axis]
        if n % sections:
            raise ValueError('array split does not result in an equal division') from None
    return array_split(ary, indices_or_sections, axis)


@_export
def hsplit(ary, indices_or_sections):
    a = _arr(ary)
    if a.ndim == 0:
        raise ValueError('hsplit only works on arrays of 1 or more dimensions')
    return split(a, indices_or_sections, 1 if a.ndim > 1 else 0)


@_export
def vsplit(ary, indices_or_sections):
    a = _arr(ary)
    if a.ndim < 2:
        raise ValueError('vsplit only works on arrays of 2 or more dimensions')
    return split(a, indices_or_sections, 0)


@_export
def dsplit(ary, indices_or_sections):
    a = _arr(ary)
    if a.ndim < 3:
        raise ValueError('dsplit only works on arrays of 3 or more dimensions')
    return split(a, indices_or_sections, 2)


@_export
def unstack(x, /, *, axis=0):
    x = _arr(x)
    if x.ndim == 0:
        raise ValueError('Input array must be at least 1-d.')
    return tuple(_f().moveaxis(x, axis, 0))


# ---- repetition -------------------------------------------------------------------------------
@_export
def tile(A, reps):
    try:
        tup = tuple(reps)
    except TypeError:
        tup = (reps,)
    tup = tuple(_operator.index(t) for t in tup)
    d = len(tup)
    if _b.all(x == 1 for x in tup) and isinstance(A, ndarray):
        return _asarray(A, ndmin=d).copy()
    c = _asarray(A, ndmin=d)
    if d < c.ndim:
        tup = (1,) * (c.ndim - d) + tup
    if _b.any(t < 0 for t in tup):
        raise ValueError('negative dimensions are not allowed')
    out_shape = tuple(s * t for s, t in zip(c.shape, tup))
    r = _new(out_shape, c._dt)
    if 0 in out_shape:
        return r
    inter = []
    src = []
    for s, t in zip(c.shape, tup):
        inter += [t, s]
        src += [1, s]
    r.reshape(tuple(inter))[...] = c.reshape(tuple(src))
    return r


def _repeat_runs(n, reps):
    """[(start, stop, count)] runs of equal consecutive repeat counts."""
    runs = []
    i = 0
    while i < n:
        j = i
        while j + 1 < n and reps[j + 1] == reps[i]:
            j += 1
        runs.append((i, j + 1, reps[i]))
        i = j + 1
    return runs


@_export
def repeat(a, repeats, axis=None):
    """NumPy's repeat.  Per-element repeats are host values (a wgpy array of repeats is read
    back); each run of equal consecutive counts is one broadcast assignment."""
    a = _arr(a)
    if axis is None:
        a = a.ravel()
        axis = 0
    else:
        axis = _norm_axis(axis, a.ndim)
    n = a.shape[axis] if a.ndim else 1
    vals, nd, kind = _to_host_ints(repeats)
    if kind not in 'biu':
        raise TypeError("Cannot cast array data from dtype('float64') to dtype('int64') "
                        "according to the rule 'safe'")
    if nd == 0 or (nd == 1 and len(vals) == 1):
        r = int(vals if nd == 0 else vals[0])
        if r < 0:
            raise ValueError('repeats may not contain negative values.')
        reps = [r] * n
    else:
        if nd > 1:
            raise ValueError('object too deep for desired array')
        reps = [int(v) for v in vals]
        if len(reps) != n:
            raise ValueError('operands could not be broadcast together with shape (%d,) (%d,)'
                             % (n, len(reps)))
        if _b.any(v < 0 for v in reps):
            raise ValueError('repeats may not contain negative values.')
    shape = a.shape
    total = _b.sum(reps)
    out = _new(shape[:axis] + (total,) + shape[axis + 1:], a._dt)
    o = 0
    for s, e, r in _repeat_runs(n, reps):
        if r == 0 or e == s:
            continue
        k = e - s
        dst = out[_at(slice(o, o + k * r), axis)]
        dst.reshape(shape[:axis] + (k, r) + shape[axis + 1:])[...] = \
            a[_at(slice(s, e), axis)].reshape(shape[:axis] + (k, 1) + shape[axis + 1:])
        o += k * r
    return out


@_export
def resize(a, new_shape):
    if isinstance(new_shape, int):
        new_shape = (new_shape,)
    new_shape = tuple(_operator.index(s) for s in new_shape)
    a = _arr(a).ravel()
    new_size = 1
    for d in new_shape:
        if d < 0:
            raise ValueError('all elements of `new_shape` must be non-negative')
        new_size *= d
    if a.size == 0 or new_size == 0:
        return _f().zeros(new_shape, dtype=a.dtype)
    reps = -(-new_size // a.size)
    return tile(a, reps)[:new_size].reshape(new_shape)


# ---- rearranging ------------------------------------------------------------------------------
@_export
def flip(m, axis=None):
    m = _arr(m)
    if axis is None:
        return m[(slice(None, None, -1),) * m.ndim]
    axes = _norm_axes(axis, m.ndim)
    return m[tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(m.ndim))]


@_export
def fliplr(m):
    m = _arr(m)
    if m.ndim < 2:
        raise ValueError('Input must be >= 2-d.')
    return m[:, ::-1]


@_export
def flipud(m):
    m = _arr(m)
    if m.ndim < 1:
        raise ValueError('Input must be >= 1-d.')
    return m[::-1, ...]


def _pairs_broadcast(shift, axis):
    s = list(shift) if isinstance(shift, (tuple, list)) else [shift]
    ax = list(axis) if isinstance(axis, (tuple, list)) else [axis]
    if len(s) != len(ax):
        if len(s) == 1:
            s = s * len(ax)
        elif len(ax) == 1:
            ax = ax * len(s)
        else:
            raise ValueError("'shift' and 'axis' should be scalars or 1D sequences")
    return s, ax


@_export
def roll(a, shift, axis=None):
    a = _arr(a)
    if axis is None:
        return roll(a.ravel(), shift, 0).reshape(a.shape)
    shifts_l, axes_l = _pairs_broadcast(shift, axis)
    shifts = {ax: 0 for ax in range(a.ndim)}
    for sh, ax in zip(shifts_l, axes_l):
        ax = _norm_axis(ax, a.ndim)
        shifts[ax] += _operator.index(sh)
    rolls = [((slice(None), slice(None)),)] * a.ndim
    for ax, off in shifts.items():
        n = a.shape[ax] or 1
        off %= n
        if off:
            rolls[ax] = ((slice(None, -off), slice(off, None)),
                         (slice(-off, None), slice(None, off)))
    result = _new(a.shape, a._dt)
    import itertools
    for indices in itertools.product(*rolls):
        arr_index, res_index = zip(*indices)
        v = a[arr_index]
        if v.size:
            result[res_index] = v
    return result


@_export
def rollaxis(a, axis, start=0):
    a = _arr(a)
    n = a.ndim
    axis = _norm_axis(axis, n)
    if start < 0:
        start += n
    msg = "'%s' arg requires %d <= %s < %d, but %d was passed in"
    if not 0 <= start < n + 1:
        raise AxisError(msg % ('start', -n, 'start', n + 1, start))
    if axis < start:
        start -= 1
    if axis == start:
        return a[...]
    axes = list(range(n))
    axes.remove(axis)
    axes.insert(start, axis)
    return a.transpose(axes)


@_export
def rot90(m, k=1, axes=(0, 1)):
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError('len(axes) must be 2.')
    m = _arr(m)
    if axes[0] == axes[1] or abs(axes[0] - axes[1]) == m.ndim:
        raise ValueError('Axes must be different.')
    if axes[0] >= m.ndim or axes[0] < -m.ndim or axes[1] >= m.ndim or axes[1] < -m.ndim:
        raise ValueError('Axes={} out of range for array of ndim={}.'.format(axes, m.ndim))
    k %= 4
    if k == 0:
        return m[:]
    if k == 2:
        return flip(flip(m, axes[0]), axes[1])
    axes_list = list(range(m.ndim))
    axes_list[axes[0]], axes_list[axes[1]] = axes_list[axes[1]], axes_list[axes[0]]
    if k == 1:
        return flip(m, axes[1]).transpose(axes_list)
    return flip(m.transpose(axes_list), axes[1])


# ---- insert / delete ----------------------------------------------------------------------------
def _prep_axis(arr, axis):
    if axis is None:
        if arr.ndim != 1:
            arr = arr.ravel()
        return arr, arr.ndim - 1
    return arr, _norm_axis(axis, arr.ndim)


@_export
def delete(arr, obj, axis=None):
    """NumPy's delete; the positions are host values (a wgpy array of them is read back).  The
    kept runs are assigned into a new array."""
    arr = _arr(arr)
    arr, axis = _prep_axis(arr, axis)
    N = arr.shape[axis]
    if isinstance(obj, slice):
        keep = [True] * N
        for i in range(*obj.indices(N)):
            keep[i] = False
    else:
        if isinstance(obj, bool) or not isinstance(obj, (int, list, tuple, ndarray)) and not (
                _np is not None and isinstance(obj, (_np.ndarray, _np.generic))):
            try:
                obj = _operator.index(obj)
            except TypeError:
                pass
        vals, nd, kind = _to_host_ints(obj)
        if kind == 'b' and nd > 0:
            flat = _flat_list(vals)
            if nd != 1 or len(flat) != N:
                raise ValueError('boolean array argument obj to delete must be one dimensional '
                                 'and match the axis length of %d' % N)
            keep = [not v for v in flat]
        else:
            flat = _flat_list(vals) if nd else [vals]
            if kind not in 'iub' and flat:
                raise IndexError('arrays used as indices must be of integer (or boolean) type')
            keep = [True] * N
            for i in flat:
                i = int(i)
                if i < -N or i >= N:
                    raise IndexError('index %d is out of bounds for axis %d with size %d'
                                     % (i, axis, N))
                keep[i] = False
    return _keep_runs(arr, axis, keep)


def _keep_runs(arr, axis, keep):
    n = _b.sum(1 for k in keep if k)
    out = _new(arr.shape[:axis] + (n,) + arr.shape[axis + 1:], arr._dt)
    o = 0
    i = 0
    N = len(keep)
    while i < N:
        if not keep[i]:
            i += 1
            continue
        j = i
        while j < N and keep[j]:
            j += 1
        out[_at(slice(o, o + j - i), axis)] = arr[_at(slice(i, j), axis)]
        o += j - i
        i = j
    return out


@_export
def insert(arr, obj, values, axis=None):
    """NumPy's insert; the positions are host values (a wgpy array of them is read back)."""
    arr = _arr(arr)
    arr, axis = _prep_axis(arr, axis)
    ndim = arr.ndim
    N = arr.shape[axis]
    newshape = list(arr.shape)
    if isinstance(obj, slice):
        idx = list(range(*obj.indices(N)))
        scalar = False
    else:
        if isinstance(obj, float) or (_np is not None and isinstance(obj, _np.floating)):
            raise TypeError('slice indices must be integers or None or have an __index__ method')
        vals, nd, kind = _to_host_ints(obj)
        if kind == 'b' and nd:
            if nd != 1:
                raise ValueError('boolean array argument obj to insert must be one dimensional')
            idx = [i for i, v in enumerate(vals) if v]
            scalar = False
        else:
            if nd > 1:
                raise ValueError('index array argument obj to insert must be one dimensional or '
                                 'scalar')
            if kind not in 'iu' and not (nd and not vals):
                raise TypeError('slice indices must be integers or None or have an __index__ '
                                'method')
            scalar = nd == 0
            idx = [int(vals)] if scalar else [int(v) for v in vals]
    vcode = arr._dt
    if len(idx) == 1:
        index = idx[0]
        if index < -N or index > N:
            raise IndexError('index %s is out of bounds for axis %d with size %d'
                             % (obj, axis, N))
        if index < 0:
            index += N
        v = _asarray(values, _dtypes.OBJS[vcode], ndmin=ndim)
        if scalar:
            v = _f().moveaxis(v, 0, axis)
        numnew = v.shape[axis]
        newshape[axis] += numnew
        new = _new(tuple(newshape), vcode)
        if index:
            new[_at(slice(None, index), axis)] = arr[_at(slice(None, index), axis)]
        if numnew:
            new[_at(slice(index, index + numnew), axis)] = v
        if N - index:
            new[_at(slice(index + numnew, None), axis)] = arr[_at(slice(index, None), axis)]
        return new
    for i in idx:
        if i < -N or i > N:
            raise IndexError('index %d is out of bounds for axis %d with size %d' % (i, axis, N))
    idx = [i + N if i < 0 else i for i in idx]
    numnew = len(idx)
    order = sorted(range(numnew), key=lambda j: idx[j])  # stable, as mergesort
    final = list(idx)
    for rank, j in enumerate(order):
        final[j] = idx[j] + rank
    newshape[axis] += numnew
    new = _new(tuple(newshape), vcode)
    vshape = tuple(newshape[:axis]) + (numnew,) + tuple(newshape[axis + 1:])
    v = _asarray(values, _dtypes.OBJS[vcode])
    if numnew:
        v = _f().broadcast_to(v, vshape)
    old = [True] * newshape[axis]
    for j in range(numnew):
        old[final[j]] = False
    # the values: a later duplicate position wins, as NumPy's fancy assignment
    for j in range(numnew):
        new[_at(slice(final[j], final[j] + 1), axis)] = v[_at(slice(j, j + 1), axis)]
    o = 0
    i = 0
    M = len(old)
    while i < M:
        if not old[i]:
            i += 1
            continue
        k = i
        while k < M and old[k]:
            k += 1
        new[_at(slice(i, k), axis)] = arr[_at(slice(o, o + k - i), axis)]
        o += k - i
        i = k
    return new


@_export
def trim_zeros(filt, trim='fb', axis=None):
    """NumPy's trim_zeros.  Reads back from the device: the bounds of the nonzero values decide
    the result's shape (one small reduction per axis, one read)."""
    f = _arr(filt)
    trim = trim.lower()
    if trim not in {'fb', 'bf', 'f', 'b'}:
        raise ValueError('unexpected character(s) in `trim`: %r' % (trim,))
    if axis is None:
        axes = tuple(range(f.ndim))
    else:
        axes = _norm_axes(axis, f.ndim, 'axis')
    if not axes:
        return filt
    nz = f != 0
    F = _f()
    stats = []
    for ax in range(f.ndim):
        other = tuple(d for d in range(f.ndim) if d != ax)
        col = nz.any(axis=other) if other else nz
        n = f.shape[ax]
        if n == 0:
            stats += [F.zeros((), _intp()), F.zeros((), _intp())]
            continue
        first = col.argmax()
        last = (n - 1) - col[::-1].argmax()
        stats += [first, last]
    anyv = nz.any() if f.size else F.zeros((), 'bool')
    if f.ndim:
        vals = stack([s.astype(_intp()) for s in stats] + [anyv.astype(_intp())]).tolist()
    else:
        vals = [anyv.item()]
    if not vals[-1]:
        start = stop = [0] * f.ndim
    else:
        start = [vals[2 * d] if 'f' in trim else None for d in range(f.ndim)]
        stop = [vals[2 * d + 1] + 1 if 'b' in trim else None for d in range(f.ndim)]
    sl = tuple(slice(start[d], stop[d]) if d in axes else slice(None) for d in range(f.ndim))
    if not isinstance(filt, ndarray):
        filt = f
    if len(sl) == 1:
        return filt[sl[0]]
    return filt[sl]


# ---- pad --------------------------------------------------------------------------------------
def _host_nested(x):
    """x (scalar, nested sequences, numpy or wgpy array) -> (shape, flat list)."""
    if isinstance(x, ndarray):
        return x.shape, _flat_list(x.tolist()) if x.ndim else [x.item()]
    if _np is not None:
        a = _np.asarray(x)
        return a.shape, a.ravel().tolist()
    return _core._flatten(x)


def _as_pairs(x, ndim, as_index=False):
    if x is None:
        return ((None, None),) * ndim
    shape, flat = _host_nested(x)
    if as_index:
        flat = [round(v) if isinstance(v, float) else int(v) for v in flat]
    if len(shape) < 3:
        if len(flat) == 1:
            if as_index and flat[0] < 0:
                raise ValueError("index can't contain negative values")
            return ((flat[0], flat[0]),) * ndim
        if len(flat) == 2 and tuple(shape) != (2, 1):
            if as_index and (flat[0] < 0 or flat[1] < 0):
                raise ValueError("index can't contain negative values")
            return ((flat[0], flat[1]),) * ndim
    if as_index and flat and min(flat) < 0:
        raise ValueError("index can't contain negative values")
    # broadcast shape to (ndim, 2)
    shape = tuple(shape)
    if len(shape) > 2 or (len(shape) == 2 and shape[0] not in (1, ndim)) or \
            (shape and shape[-1] not in (1, 2)):
        raise ValueError('operands could not be broadcast together with remapped shapes '
                         '[original->remapped]: %s  and requested shape (%d,2)'
                         % (shape, ndim))
    rows = shape[0] if len(shape) == 2 else 1
    cols = shape[-1] if shape else 1
    out = []
    for i in range(ndim):
        r = i if rows > 1 else 0
        pair = [flat[r * cols + (c if cols > 1 else 0)] for c in range(2)]
        out.append(pair)
    return out


def _pad_width_pairs(array, pad_width):
    if isinstance(pad_width, dict):
        seq = [(0, 0)] * array.ndim
        for ax, w in pad_width.items():
            if isinstance(w, int):
                seq[ax] = (w, w)
            elif isinstance(w, tuple) and len(w) == 2:
                seq[ax] = (int(w[0]), int(w[1]))
            else:
                raise TypeError('invalid pad width %r' % (w,))
        pad_width = seq
    shape, flat = _host_nested(pad_width)
    if not _b.all(isinstance(v, int) and not isinstance(v, bool) for v in flat) or not flat:
        raise TypeError('`pad_width` must be of integral type.')
    return _as_pairs(pad_width, array.ndim, as_index=True)


def _view_roi(array, original_area_slice, axis):
    axis += 1
    return array[(slice(None),) * axis + original_area_slice[axis:]]


def _set_pad_area(padded, axis, width_pair, value_pair):
    if width_pair[0]:
        padded[_at(slice(None, width_pair[0]), axis)] = value_pair[0]
    if width_pair[1]:
        padded[_at(slice(padded.shape[axis] - width_pair[1], None), axis)] = value_pair[1]


def _get_edges(padded, axis, width_pair):
    li = width_pair[0]
    left = padded[_at(slice(li, li + 1), axis)]
    ri = padded.shape[axis] - width_pair[1]
    right = padded[_at(slice(ri - 1, ri), axis)]
    return left, right


def _ramp(end_value, edge, width, axis, code):
    """np.linspace(end_value, edge, width, endpoint=False, axis=axis) in dtype code."""
    F = _f()
    if width == 0:
        shp = list(edge.shape)
        shp[axis] = 0
        return _new(tuple(shp), code)
    fl = _core._canonical[_dtypes.FLOAT64]
    start = _core.asarray_impl(end_value)
    stop = edge.astype(F.result_type(edge, start, 1.0))
    delta = stop - start
    shp = [1] * edge.ndim
    shp[axis] = width
    y = F.arange(width, dtype=_dtypes.OBJS[fl]).reshape(tuple(shp))
    step = delta / width
    y = F.where(step == 0, y / width * delta, y * step) + start
    if _dtypes.KIND[code] in 'iu':
        y = F.floor(y)
    return y.astype(_dtypes.OBJS[code])


def _round_if_needed(x, code):
    if _dtypes.KIND[code] in 'iu':
        return _f().rint(x)
    return x


def _get_stats(padded, axis, width_pair, length_pair, stat):
    li = width_pair[0]
    ri = padded.shape[axis] - width_pair[1]
    max_length = ri - li
    ll, rl = length_pair
    if ll is None or max_length < ll:
        ll = max_length
    if rl is None or max_length < rl:
        rl = max_length
    if (ll == 0 or rl == 0) and stat in ('maximum', 'minimum'):
        raise ValueError('stat_length of 0 yields no value for padding')
    F = _f()
    fn = {'maximum': F.amax, 'minimum': F.amin, 'mean': F.mean}[stat]
    left = fn(padded[_at(slice(li, li + ll), axis)], axis=axis, keepdims=True)
    left = _round_if_needed(left, padded._dt)
    if ll == rl == max_length:
        return left, left
    right = fn(padded[_at(slice(ri - rl, ri), axis)], axis=axis, keepdims=True)
    return left, _round_if_needed(right, padded._dt)


def _set_reflect_both(padded, axis, width_pair, method, original_period, include_edge=False):
    left_pad, right_pad = width_pair
    old_length = padded.shape[axis] - right_pad - left_pad
    if include_edge:
        old_length = old_length // original_period * original_period
        edge_offset = 1
    else:
        old_length = (old_length - 1) // (original_period - 1) * (original_period - 1) + 1
        edge_offset = 0
        old_length -= 1
    if left_pad > 0:
        chunk_length = min(old_length, left_pad)
        stop = left_pad - edge_offset
        start = stop + chunk_length
        chunk = padded[_at(slice(start, stop if stop >= 0 else None, -1), axis)]
        if method == 'odd':
            chunk = 2 * padded[_at(slice(left_pad, left_pad + 1), axis)] - chunk
        padded[_at(slice(left_pad - chunk_length, left_pad), axis)] = chunk
        left_pad -= chunk_length
    if right_pad > 0:
        chunk_length = min(old_length, right_pad)
        start = -right_pad + edge_offset - 2
        stop = start - chunk_length
        chunk = padded[_at(slice(start, stop, -1), axis)]
        if method == 'odd':
            chunk = 2 * padded[_at(slice(-right_pad - 1, -right_pad), axis)] - chunk
        start = padded.shape[axis] - right_pad
        padded[_at(slice(start, start + chunk_length), axis)] = chunk
        right_pad -= chunk_length
    return left_pad, right_pad


def _set_wrap_both(padded, axis, width_pair, original_period):
    left_pad, right_pad = width_pair
    period = padded.shape[axis] - right_pad - left_pad
    period = period // original_period * original_period
    new_left = new_right = 0
    if left_pad > 0:
        end = left_pad + period
        chunk = padded[_at(slice(end - min(period, left_pad), end), axis)]
        if left_pad > period:
            area = _at(slice(left_pad - period, left_pad), axis)
            new_left = left_pad - period
        else:
            area = _at(slice(None, left_pad), axis)
        padded[area] = chunk
    if right_pad > 0:
        start = -right_pad - period
        chunk = padded[_at(slice(start, start + min(period, right_pad)), axis)]
        if right_pad > period:
            area = _at(slice(-right_pad, -right_pad + period), axis)
            new_right = right_pad - period
        else:
            area = _at(slice(-right_pad, None), axis)
        padded[area] = chunk
    return new_left, new_right


_PAD_KWARGS = {
    'empty': [], 'edge': [], 'wrap': [], 'constant': ['constant_values'],
    'linear_ramp': ['end_values'], 'maximum': ['stat_length'], 'mean': ['stat_length'],
    'median': ['stat_length'], 'minimum': ['stat_length'], 'reflect': ['reflect_type'],
    'symmetric': ['reflect_type'],
}


@_export
def pad(array, pad_width, mode='constant', **kwargs):
    """NumPy's pad (a port of numpy/lib/_arraypad_impl.py): the padded array is a new array, the
    original assigned into its middle and each axis's pad areas assigned from views of it.
    mode='median' needs a sort and a callable mode runs Python per 1-d vector: both refused."""
    array = _arr(array)
    pad_width = _pad_width_pairs(array, pad_width)
    if callable(mode):
        raise NotImplementedError('wgpy: pad() with a function as mode is not supported')
    try:
        unsupported = set(kwargs) - set(_PAD_KWARGS[mode])
    except (KeyError, TypeError):
        raise ValueError("mode '%s' is not supported" % (mode,)) from None
    if unsupported:
        raise ValueError("unsupported keyword arguments for mode '%s': %s" % (mode, unsupported))
    if mode == 'median':
        raise NotImplementedError("wgpy: pad(mode='median') needs a sort (not available yet)")
    new_shape = tuple(l + s + r for s, (l, r) in zip(array.shape, pad_width))
    padded = _new(new_shape, array._dt)
    orig = tuple(slice(l, l + s) for s, (l, r) in zip(array.shape, pad_width))
    if array.size:
        padded[orig] = array
    axes = range(padded.ndim)
    if mode == 'constant':
        values = _as_pairs(kwargs.get('constant_values', 0), padded.ndim)
        for axis, wp, vp in zip(axes, pad_width, values):
            roi = _view_roi(padded, orig, axis)
            _set_pad_area(roi, axis, wp, vp)
    elif mode == 'empty':
        pass
    elif array.size == 0:
        for axis, wp in zip(axes, pad_width):
            if array.shape[axis] == 0 and _b.any(wp):
                raise ValueError("can't extend empty axis %d using modes other than 'constant' "
                                 "or 'empty'" % axis)
    elif mode == 'edge':
        for axis, wp in zip(axes, pad_width):
            roi = _view_roi(padded, orig, axis)
            _set_pad_area(roi, axis, wp, _get_edges(roi, axis, wp))
    elif mode == 'linear_ramp':
        ends = _as_pairs(kwargs.get('end_values', 0), padded.ndim)
        for axis, wp, vp in zip(axes, pad_width, ends):
            roi = _view_roi(padded, orig, axis)
            le, re = _get_edges(roi, axis, wp)
            lr = _ramp(vp[0], le, wp[0], axis, padded._dt)
            rr = _ramp(vp[1], re, wp[1], axis, padded._dt)[_at(slice(None, None, -1), axis)]
            _set_pad_area(roi, axis, wp, (lr, rr))
    elif mode in ('maximum', 'minimum', 'mean'):
        length = _as_pairs(kwargs.get('stat_length'), padded.ndim, as_index=True)
        for axis, wp, lp in zip(axes, pad_width, length):
            roi = _view_roi(padded, orig, axis)
            _set_pad_area(roi, axis, wp, _get_stats(roi, axis, wp, lp, mode))
    elif mode in ('reflect', 'symmetric'):
        method = kwargs.get('reflect_type', 'even')
        include_edge = mode == 'symmetric'
        for axis, (li, ri) in zip(axes, pad_width):
            if array.shape[axis] == 1 and (li > 0 or ri > 0):
                _set_pad_area(padded, axis, (li, ri), _get_edges(padded, axis, (li, ri)))
                continue
            roi = _view_roi(padded, orig, axis)
            while li > 0 or ri > 0:
                li, ri = _set_reflect_both(roi, axis, (li, ri), method, array.shape[axis],
                                           include_edge)
    elif mode == 'wrap':
        for axis, (li, ri) in zip(axes, pad_width):
            roi = _view_roi(padded, orig, axis)
            period = padded.shape[axis] - ri - li
            while li > 0 or ri > 0:
                li, ri = _set_wrap_both(roi, axis, (li, ri), period)
    return padded


# ---- diagonals and triangles ------------------------------------------------------------------
def _diag_view(a, offset=0, axis1=0, axis2=1, writeable=False):
    h = _wg_diagonal(_ctx, a._h, _operator.index(offset), _operator.index(axis1),
                     _operator.index(axis2), 1 if writeable else 0)
    return _view(h, a)


@_export
def diagonal(a, offset=0, axis1=0, axis2=1):
    """NumPy's diagonal: a read-only strided view (the engine's wg_diagonal)."""
    return _diag_view(_arr(a), offset, axis1, axis2)


@_export
def trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    d = _diag_view(_arr(a), offset, axis1, axis2)
    return _f().sum(d, axis=-1, dtype=dtype, out=out)


@_export
def diag(v, k=0):
    v = _arr(v)
    k = _operator.index(k)
    if v.ndim == 1:
        n = v.shape[0] + abs(k)
        res = _f().zeros((n, n), dtype=v.dtype)
        if v.shape[0]:
            _diag_view(res, k, 0, 1, writeable=True)[...] = v
        return res
    if v.ndim == 2:
        return _diag_view(v, k, 0, 1)
    raise ValueError('Input must be 1- or 2-d.')


@_export
def diagflat(v, k=0):
    v = _arr(v).ravel()
    return diag(v, k)


@_export
def fill_diagonal(a, val, wrap=False):
    """NumPy's fill_diagonal, through a writeable diagonal view (in place, on the device).
    val is cycled as NumPy's flat assignment does."""
    if not isinstance(a, ndarray):
        raise TypeError('wgpy: fill_diagonal needs a wgpy.ndarray')
    if a.ndim < 2:
        raise ValueError('array must be at least 2-d')
    if a.ndim > 2 and _b.any(s != a.shape[0] for s in a.shape):
        raise ValueError('All dimensions of input must be of equal length')
    if a.ndim == 2:
        n, m = a.shape
        blocks = [0] if not wrap or n <= m else list(range(0, n, m + 1))
        views = [_diag_view(a[r:r + m], 0, 0, 1, True) for r in blocks]
    else:
        # the main diagonal of an n-cube: a[i, i, ..., i]
        v = a
        while v.ndim > 1:
            v = _diag_view(v, 0, 0, 1, True)
            v = v if v.ndim == 1 else _f().moveaxis(v, -1, 0)
        views = [v]
    count = _b.sum(v.size for v in views)
    if not count:
        return None
    vv = _arr(val)
    if vv.size == 1 or vv.ndim == 0:
        src = [vv.reshape(())] * len(views)
        for dst, s in zip(views, src):
            dst[...] = s
        return None
    flat = resize(vv, count)
    o = 0
    for dst in views:
        dst[...] = flat[o:o + dst.size]
        o += dst.size
    return None


@_export
def tri(N, M=None, k=0, dtype=float, *, like=None):
    F = _f()
    N = _operator.index(N)
    M = N if M is None else _operator.index(M)
    k = _operator.index(k)
    code = _code(dtype)
    if N < 0 or M < 0:
        raise ValueError('negative dimensions are not allowed')
    ib = _core._canonical[_dtypes.INT64]
    rows = F.arange(N, dtype=_dtypes.OBJS[ib]).reshape(N, 1)
    cols = F.arange(-k, M - k, dtype=_dtypes.OBJS[ib]).reshape(1, M) if M else \
        _new((1, 0), ib)
    m = rows >= cols
    return m.astype(_dtypes.OBJS[code], copy=False)


@_export
def tril(m, k=0):
    m = _arr(m)
    mask = tri(*m.shape[-2:], k=k, dtype=bool)
    return _f().where(mask, m, _f().zeros(1, m.dtype))


@_export
def triu(m, k=0):
    m = _arr(m)
    mask = tri(*m.shape[-2:], k=_operator.index(k) - 1, dtype=bool)
    return _f().where(mask, _f().zeros(1, m.dtype), m)


def _int_array(vals, shape=None):
    code = _core._canonical[_dtypes.INT64]
    if not vals:
        return _new((0,) if shape is None else shape, code)
    a = _core.asarray_impl(vals, _dtypes.OBJS[code])
    return a if shape is None else a.reshape(shape)


def _tri_positions(n, k, m, lower):
    m = n if m is None else m
    rows, cols = [], []
    for i in range(n):
        for j in range(m):
            if (j - i <= k) if lower else (j - i >= k):
                rows.append(i)
                cols.append(j)
    return _int_array(rows), _int_array(cols)


@_export
def tril_indices(n, k=0, m=None):
    """Index arrays computed on the host (they depend on n, k, m only) and uploaded."""
    return _tri_positions(_operator.index(n), _operator.index(k),
                          None if m is None else _operator.index(m), True)


@_export
def triu_indices(n, k=0, m=None):
    return _tri_positions(_operator.index(n), _operator.index(k),
                          None if m is None else _operator.index(m), False)


@_export
def tril_indices_from(arr, k=0):
    arr = _arr(arr)
    if arr.ndim != 2:
        raise ValueError('input array must be 2-d')
    return tril_indices(arr.shape[-2], k=k, m=arr.shape[-1])


@_export
def triu_indices_from(arr, k=0):
    arr = _arr(arr)
    if arr.ndim != 2:
        raise ValueError('input array must be 2-d')
    return triu_indices(arr.shape[-2], k=k, m=arr.shape[-1])


@_export
def diag_indices(n, ndim=2):
    idx = _f().arange(n)
    return (idx,) * ndim


@_export
def diag_indices_from(arr):
    arr = _arr(arr)
    if not arr.ndim >= 2:
        raise ValueError('input array must be at least 2-d')
    if _b.any(s != arr.shape[0] for s in arr.shape):
        raise ValueError('All dimensions of input must be of equal length')
    return diag_indices(arr.shape[0], arr.ndim)


@_export
def indices(dimensions, dtype=int, sparse=False):
    F = _f()
    dimensions = tuple(_operator.index(d) for d in dimensions)
    N = len(dimensions)
    shape = (1,) * N
    code = _code(dtype)
    if sparse:
        res = ()
    else:
        res = _new((N,) + dimensions, code)
    for i, dim in enumerate(dimensions):
        idx = F.arange(dim, dtype=_dtypes.OBJS[code]).reshape(shape[:i] + (dim,) + shape[i + 1:])
        if sparse:
            res = res + (idx,)
        elif res.size:
            res[i] = idx
    return res


@_export
def meshgrid(*xi, copy=True, sparse=False, indexing='xy'):
    ndim = len(xi)
    if indexing not in ['xy', 'ij']:
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    s0 = (1,) * ndim
    output = [_arr(x).reshape(s0[:i] + (-1,) + s0[i + 1:]) for i, x in enumerate(xi)]
    if indexing == 'xy' and ndim > 1:
        output[0] = output[0].reshape((1, -1) + s0[2:])
        output[1] = output[1].reshape((-1, 1) + s0[2:])
    if not sparse:
        output = _f().broadcast_arrays(*output)
    if copy:
        output = tuple(x.copy() for x in output)
    return tuple(output) if not isinstance(output, tuple) else output


@_export
def ix_(*args):
    """NumPy's ix_.  A boolean mask given as host data (list, numpy) becomes its positions on the
    host; a wgpy boolean array would need nonzero on the device: refused for now."""
    out = []
    nd = len(args)
    for k, new in enumerate(args):
        if isinstance(new, ndarray):
            if new.ndim != 1:
                raise ValueError('Cross index must be 1 dimensional')
            if new.dtype.kind == 'b':
                raise NotImplementedError('wgpy: ix_ of a boolean wgpy array needs nonzero '
                                          '(not available yet)')
            a = new if new.size else _int_array([])
        else:
            vals, n, kind = _to_host_ints(new)
            if n != 1:
                raise ValueError('Cross index must be 1 dimensional')
            if kind == 'b':
                a = _int_array([i for i, v in enumerate(vals) if v])
            elif not vals:
                a = _int_array([])
            else:
                a = _asarray(new)
        out.append(a.reshape((1,) * k + (a.size,) + (1,) * (nd - k - 1)))
    return tuple(out)


def _check_any(cond):
    """bool(cond.any()): a device reduction read back (one sync)."""
    return bool(cond.any())


@_export
def ravel_multi_index(multi_index, dims, mode='raise', order='C'):
    """NumPy's ravel_multi_index, elementwise on the device.  mode 'raise' reads back one bool
    (whether any index is out of range)."""
    F = _f()
    dims = tuple(_operator.index(d) for d in (dims if isinstance(dims, (tuple, list))
                                                else (dims,)))
    idx = [_arr(i) for i in multi_index]
    if len(idx) != len(dims):
        raise ValueError('parameter multi_index must be a sequence of length %d' % len(dims))
    modes = mode if isinstance(mode, (tuple, list)) else [mode] * len(dims)
    for m in modes:
        if m not in ('raise', 'wrap', 'clip'):
            raise ValueError("clipmode must be one of 'clip', 'raise', or 'wrap' (got %r)" % (m,))
    if order not in ('C', 'F'):
        raise ValueError("only 'C' or 'F' order is permitted")
    for i in idx:
        if i.dtype.kind not in 'iu':
            raise TypeError("only int indices permitted")
    ib = _dtypes.OBJS[_core._canonical[_dtypes.INT64]]
    strides = [1] * len(dims)
    if order == 'C':
        for d in range(len(dims) - 2, -1, -1):
            strides[d] = strides[d + 1] * dims[d + 1]
    else:
        for d in range(1, len(dims)):
            strides[d] = strides[d - 1] * dims[d - 1]
    res = None
    bad = None
    for i, d, s, m in zip(idx, dims, strides, modes):
        i = i.astype(ib)
        if m == 'wrap':
            i = F.remainder(i, d) if d else i
        elif m == 'clip':
            i = F.clip(i, 0, d - 1)
        else:
            b = (i < 0) | (i >= d)
            bad = b if bad is None else bad | b
        t = i * s
        res = t if res is None else res + t
    if bad is not None and bad.size and _check_any(bad):
        raise ValueError('invalid entry in coordinates array')
    return res


@_export
def unravel_index(indices, shape, order='C'):
    """NumPy's unravel_index, elementwise on the device; reads back one bool (whether any index
    is out of range) for NumPy's ValueError."""
    F = _f()
    shape = tuple(_operator.index(d) for d in (shape if isinstance(shape, (tuple, list))
                                                 else (shape,)))
    if order not in ('C', 'F'):
        raise ValueError("only 'C' or 'F' order is permitted")
    ind = _arr(indices)
    if ind.dtype.kind not in 'iu':
        raise TypeError("only int indices permitted")
    size = _math.prod(shape)
    ib = _dtypes.OBJS[_core._canonical[_dtypes.INT64]]
    ind = ind.astype(ib)
    if ind.size:
        bad = (ind < 0) | (ind >= size)
        if _check_any(bad):
            if ind.ndim == 0:
                v = ind.item()
            else:
                first = int(bad.ravel().argmax())
                v = ind.ravel()[first].item()
            raise ValueError('index %d is out of bounds for array with size %d' % (v, size))
    out = [None] * len(shape)
    rem = ind
    dims = range(len(shape) - 1, -1, -1) if order == 'C' else range(len(shape))
    for d in dims:
        n = shape[d]
        out[d] = F.remainder(rem, n) if n else rem
        rem = F.floor_divide(rem, n) if n else rem
    return tuple(out)


@_export
def vander(x, N=None, increasing=False):
    x = _arr(x)
    if x.ndim != 1:
        raise ValueError('x must be a one-dimensional array or sequence.')
    if N is None:
        N = len(x)
    F = _f()
    code = _code(F.promote_types(x.dtype, 'int64'))
    v = _new((len(x), N), code)
    tmp = v[:, ::-1] if not increasing else v
    if N > 0:
        tmp[:, 0] = 1
    if N > 1:
        xc = x.astype(_dtypes.OBJS[code])
        acc = xc
        tmp[:, 1] = acc
        for i in range(2, N):
            acc = acc * xc
            tmp[:, i] = acc
    return v


# ---- ndarray methods ----------------------------------------------------------------------------
def _m_repeat(self, repeats, axis=None):
    return repeat(self, repeats, axis)


def _m_diagonal(self, offset=0, axis1=0, axis2=1):
    return _diag_view(self, offset, axis1, axis2)


def _m_trace(self, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    return trace(self, offset, axis1, axis2, dtype, out)


def _m_resize(self, *new_shape, refcheck=True):
    """In place, as NumPy's ndarray.resize: the array must own its data; new elements are 0."""
    if len(new_shape) == 1 and not isinstance(new_shape[0], int):
        new_shape = tuple(new_shape[0]) if new_shape[0] is not None else ()
    shp = tuple(_operator.index(s) for s in new_shape)
    if _b.any(s < 0 for s in shp):
        raise ValueError('negative dimensions not allowed')
    if self._base is not None or not self.flags.owndata:
        raise ValueError('cannot resize this array: it does not own its data')
    if not self.flags.c_contiguous:
        raise ValueError('resize only works on single-segment arrays')
    new = _f().zeros(shp, self.dtype)
    n = _b.min(self.size, new.size)
    if n:
        new.reshape(-1)[:n] = self.reshape(-1)[:n]
    old = self._h
    self._h, self._shape, self._est, self._flags = new._h, new._shape, None, new._flags
    new._h = old
    return None


for _n, _fn in (('repeat', _m_repeat), ('diagonal', _m_diagonal), ('trace', _m_trace),
                ('resize', _m_resize)):
    _fn.__name__ = _fn.__qualname__ = _n
    setattr(ndarray, _n, _fn)
del _n, _fn
