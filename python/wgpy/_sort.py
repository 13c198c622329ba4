"""Sorting, searching, set operations and quantiles (NumPy's names and signatures; issue 10).

The engine does the work (core/src/api/sort.c, docs/sorting.md): a bitonic sort written as
library kernels, so it runs on cpu, webgpu and webgl2 from one source; searchsorted and isin are
binary searches per element; unique sorts, flags the starts of runs and compacts them (one read
of the number of unique values); quantiles sort and gather per row in one kernel.  This module
normalizes arguments and makes one engine call per operation; the set operations are NumPy's own
compositions (numpy/lib/_arraysetops_impl.py, BSD-3-Clause) of those calls.
"""

import builtins as _b
import collections as _collections
import operator as _operator
from ctypes import byref, c_int, c_void_p

from . import _core, _dtypes, _lib
from ._core import ndarray, _wrap

_ctx = _lib.ctx

__all__ = []
_export = _core.exporter(globals())

_KINDS = (None, 'quicksort', 'quick', 'mergesort', 'merge', 'heapsort', 'heap', 'stable')


def _f():
    import wgpy
    return wgpy


def _arr(a):
    return a if isinstance(a, ndarray) else _core.asarray_impl(a)


def _take(h):
    """Wrap a handle that an out-pointer received (the info block describes the last array the
    engine made, so rewrite it for this one)."""
    _lib.wg_info(_ctx, h)
    return _wrap(h)


def _check_kind(kind, order):
    if kind not in _KINDS:
        raise ValueError("sort kind must be one of 'quick', 'heap', or 'stable' (got %r)" % (kind,))
    if order is not None:
        raise ValueError('Cannot specify order when the array has no fields.')


def _sort_impl(a, axis, want):
    if axis is None:
        a = a.reshape(-1)
        axis = -1
    v, i = c_void_p(), c_void_p()
    _lib.check(_lib.wg_sort(_ctx, a._h, _operator.index(axis), byref(v) if want & 1 else None,
                            byref(i) if want & 2 else None))
    vs = _take(v.value) if want & 1 else None
    ix = _take(i.value) if want & 2 else None
    return vs if want == 1 else ix if want == 2 else (vs, ix)


def _set_sort_path(path):
    """The engine's sort (docs/sorting.md): 'auto' (the radix sort for long rows and the
    workgroup-memory tiles for short ones where the backend has workgroup memory, else gathers),
    'gather' (the webgl2 path everywhere), 'radix' (the radix sort wherever the backend and dtype
    allow it, else as 'auto') or 'tiles' (never the radix sort); returns the previous one.  For
    benchmarks and tests: the values are NumPy's on every path, the indices the stable argsort."""
    old = _lib.wg_set_sort_path(_ctx, {'auto': 0, 'gather': 1, 'radix': 2, 'tiles': 3}[path])
    return ('auto', 'gather', 'radix', 'tiles')[old]


@_export
def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """np.sort: NaN last; every kind is stable (the bitonic sort breaks ties on the index)."""
    _check_kind(kind, order)
    return _sort_impl(_arr(a), axis, 1)


@_export
def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """np.argsort (stable for every kind)."""
    _check_kind(kind, order)
    a = _arr(a)
    if a.ndim == 0 and axis is not None:  # NumPy: a 0-d array's argsort is [0]
        a = a.reshape(1)
    return _sort_impl(a, axis, 2)


def _m_sort(self, axis=-1, kind=None, order=None, *, stable=None):
    _check_kind(kind, order)
    if not self._flags & _lib.FLAG_WRITEABLE:
        raise ValueError('assignment destination is read-only')
    r = _sort_impl(self, axis, 1)
    _lib.check(_lib.wg_assign(_ctx, self._h, r._h))


def _m_argsort(self, axis=-1, kind=None, order=None, *, stable=None):
    return argsort(self, axis, kind, order)


def _kth_list(kth, n):
    if isinstance(kth, ndarray):
        kth = kth.tolist()
    ks = kth if isinstance(kth, (list, tuple)) else [kth]
    if not isinstance(ks, (list, tuple)):
        ks = [ks]
    out = []
    for k in ks:
        if isinstance(k, bool):
            raise TypeError('Partition index must be integer')
        k = _operator.index(k)
        if not -n <= k < n:
            raise ValueError('kth(=%d) out of bounds (%d)' % (k, n))
        out.append(k)
    return out


def _partition(a, kth, axis, kind, order, want):
    if kind != 'introselect':
        raise ValueError("partition kind must be 'introselect' (got %r)" % (kind,))
    if order is not None:
        raise ValueError('Cannot specify order when the array has no fields.')
    a = _arr(a)
    if axis is None:
        a = a.reshape(-1)
        axis = -1
    nd = a.ndim
    ax = _operator.index(axis)
    if not -nd <= ax < nd:
        raise _lib.AxisError('axis %d is out of bounds for array of dimension %d' % (ax, nd))
    _kth_list(kth, a.shape[ax])
    # a sorted array is a partition for every kth
    return _sort_impl(a, ax, want)


@_export
def partition(a, kth, axis=-1, kind='introselect', order=None):
    """np.partition: the kth elements are where a sort puts them, smaller ones before, larger
    after (here: the whole axis sorted, which is one such arrangement)."""
    return _partition(a, kth, axis, kind, order, 1)


@_export
def argpartition(a, kth, axis=-1, kind='introselect', order=None):
    """np.argpartition (a stable argsort, one valid answer)."""
    return _partition(a, kth, axis, kind, order, 2)


def _m_partition(self, kth, axis=-1, kind='introselect', order=None):
    r = _partition(self, kth, axis, kind, order, 1)
    _lib.check(_lib.wg_assign(_ctx, self._h, r._h))


def _m_argpartition(self, kth, axis=-1, kind='introselect', order=None):
    return _partition(self, kth, axis, kind, order, 2)


@_export
def lexsort(keys, axis=-1):
    """np.lexsort: the last key is the primary one."""
    if isinstance(keys, ndarray):
        if keys.ndim == 0:
            raise TypeError('need sequence of keys with len > 0 in lexsort')
        ks = [keys[i] for i in range(keys.shape[0])]
    else:
        ks = [_arr(k) for k in keys]
    if not ks:
        raise TypeError('need sequence of keys with len > 0 in lexsort')
    hs = (c_void_p * len(ks))(*[k._h for k in ks])
    return _wrap(_lib.wg_lexsort(_ctx, len(ks), hs, _operator.index(axis)))


@_export
def searchsorted(a, v, side='left', sorter=None):
    """np.searchsorted: a binary search per element of v (a 1-D; sorted, or through sorter)."""
    if side not in ('left', 'right', 'l', 'r', 'L', 'R'):
        raise ValueError("search side must be 'left' or 'right' (got %r)" % (side,))
    a = _arr(a)
    v = v if isinstance(v, ndarray) else _core.asarray_impl(v)
    s = None if sorter is None else _arr(sorter)
    if s is not None and s.ndim == 1 and s.size and s.size == a.size and \
            s.dtype.kind in 'iu':  # one read: NumPy raises for a sorter index out of range
        if int(s.min()) < 0 or int(s.max()) >= a.size:
            raise ValueError('Sorter index out of range.')
    return _wrap(_lib.wg_searchsorted(_ctx, a._h, v._h, 1 if side[0] in 'rR' else 0,
                                      None if s is None else s._h))


def _m_searchsorted(self, v, side='left', sorter=None):
    return searchsorted(self, v, side, sorter)


# ---- unique and the set operations ------------------------------------------------------------

def _unique_rows(x2, equal_nan, want_index, want_inverse, want_counts):
    h = [c_void_p() for _ in range(4)]
    wants = (True, want_index, want_inverse, want_counts)
    state = (c_void_p * 3)()
    cnt = c_void_p()
    outs = [byref(h[i]) if wants[i] else None for i in range(4)]
    eqn = 1 if equal_nan else 0
    _lib.check(_lib.wg_unique(_ctx, x2._h, eqn, state, byref(cnt), -1, *outs))
    if cnt.value:  # the one host read: how many unique rows (the flags' scan ends with it)
        from . import _scan
        k = _scan.read_count(_take(cnt.value))
        _lib.check(_lib.wg_unique(_ctx, x2._h, eqn, state, byref(cnt), k, *outs))
    return [_take(h[i].value) if wants[i] else None for i in range(4)]


@_export
def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *,
           equal_nan=True, sorted=True):
    """np.unique (sorted; one host read of the number of unique values)."""
    ar = _arr(ar)
    if axis is None:
        flat = ar.reshape(-1, 1)
        vals, idx, inv, cnt = _unique_rows(flat, equal_nan, return_index, return_inverse,
                                           return_counts)
        vals = vals.reshape(-1)
        if inv is not None:
            inv = inv.reshape(ar.shape)
    else:
        nd = ar.ndim
        ax = _operator.index(axis)
        if not -nd <= ax < nd:
            raise _lib.AxisError('axis %d is out of bounds for array of dimension %d'
                                 % (ax, nd))
        ax %= nd
        moved = _f().moveaxis(ar, ax, 0)
        rest = moved.shape[1:]
        x2 = moved.reshape(moved.shape[0], -1) if moved.shape[0] else moved.reshape(0, _prod(rest))
        vals, idx, inv, cnt = _unique_rows(x2, equal_nan, return_index, return_inverse,
                                           return_counts)
        vals = _f().moveaxis(vals.reshape((vals.shape[0],) + rest), 0, ax)
    if not (return_index or return_inverse or return_counts):
        return vals
    r = [vals]
    if return_index:
        r.append(idx)
    if return_inverse:
        r.append(inv)
    if return_counts:
        r.append(cnt)
    return tuple(r)


def _prod(s):
    p = 1
    for x in s:
        p *= x
    return p


UniqueAllResult = _collections.namedtuple('UniqueAllResult',
                                          ['values', 'indices', 'inverse_indices', 'counts'])
UniqueCountsResult = _collections.namedtuple('UniqueCountsResult', ['values', 'counts'])
UniqueInverseResult = _collections.namedtuple('UniqueInverseResult',
                                              ['values', 'inverse_indices'])


@_export
def unique_all(x):
    return UniqueAllResult(*unique(x, True, True, True, equal_nan=False))


@_export
def unique_counts(x):
    return UniqueCountsResult(*unique(x, False, False, True, equal_nan=False))


@_export
def unique_inverse(x):
    return UniqueInverseResult(*unique(x, False, True, False, equal_nan=False))


@_export
def unique_values(x):
    """np.unique_values (NumPy's order is unspecified; wgpy's is sorted)."""
    return unique(x, equal_nan=False)


def _isin(element, test_elements, invert=False):
    e = _arr(element)
    t = _arr(test_elements)
    return _wrap(_lib.wg_isin(_ctx, e._h, t._h, 1 if invert else 0))


@_export
def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    """np.isin: a sort of test_elements and a binary search per element."""
    if kind not in (None, 'sort', 'table'):
        raise ValueError("Invalid kind: '%s'. Please use None, 'sort' or 'table'." % (kind,))
    return _isin(element, test_elements, invert)


def _compress1d(x, mask):
    """x[mask] for 1-D x and mask (one host read of the count)."""
    from . import _scan
    _, _, ix = _scan.flat_true_indices(mask)  # the one host read: the output's size
    return _gather1d(x, ix)


def _gather1d(x, ix):
    return _wrap(_lib.wg_take_last(_ctx, x._h, ix._h))


def _cat(a, b):
    return _f().concatenate((a, b))


@_export
def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    ar1, ar2 = _arr(ar1), _arr(ar2)
    if not assume_unique:
        if return_indices:
            ar1, ind1 = unique(ar1, return_index=True)
            ar2, ind2 = unique(ar2, return_index=True)
        else:
            ar1 = unique(ar1)
            ar2 = unique(ar2)
    else:
        ar1 = ar1.reshape(-1)
        ar2 = ar2.reshape(-1)
    aux = _cat(ar1, ar2)
    if return_indices:
        order = argsort(aux, kind='stable')
        aux = _gather1d(aux, order)
    else:
        aux = sort(aux)
    if aux.size == 0:
        mask = _f().zeros((0,), bool)
        low = aux
    else:
        low = aux[:-1]
        mask = aux[1:] == low
    int1d = _compress1d(low, mask)
    if return_indices:
        lowo = order[:-1] if aux.size else order
        i1 = _compress1d(lowo, mask)
        i2 = _compress1d(order[1:], mask) - ar1.size if aux.size else lowo
        if not assume_unique:
            i1 = _gather1d(ind1, i1)
            i2 = _gather1d(ind2, i2)
        return int1d, i1, i2
    return int1d


@_export
def union1d(ar1, ar2):
    return unique(_cat(_arr(ar1).reshape(-1), _arr(ar2).reshape(-1)))


@_export
def setdiff1d(ar1, ar2, assume_unique=False):
    ar1 = _arr(ar1)
    ar1 = ar1.reshape(-1) if assume_unique else unique(ar1)
    return _compress1d(ar1, _isin(ar1, ar2, invert=True))


@_export
def setxor1d(ar1, ar2, assume_unique=False):
    ar1, ar2 = _arr(ar1), _arr(ar2)
    if not assume_unique:
        ar1 = unique(ar1)
        ar2 = unique(ar2)
    aux = _cat(ar1.reshape(-1), ar2.reshape(-1))
    if aux.size == 0:
        return aux
    aux = sort(aux)
    t = _f().ones((1,), bool)
    flag = _cat(_cat(t, aux[1:] != aux[:-1]), t)
    return _compress1d(aux, flag[1:] & flag[:-1])


# ---- quantiles --------------------------------------------------------------------------------

_METHODS = ('linear', 'lower', 'higher', 'midpoint', 'nearest', 'inverted_cdf',
            'averaged_inverted_cdf', 'closest_observation', 'interpolated_inverted_cdf', 'hazen',
            'weibull', 'median_unbiased', 'normal_unbiased')
_DISCRETE = ('lower', 'higher', 'nearest', 'inverted_cdf', 'closest_observation')


def _code(dt):
    return _dtypes.code_of(dt)


def _q_array(q, scale):
    """q as a wgpy array of quantiles in [0, 1], its weakness (a Python scalar) and its dtype."""
    weak = isinstance(q, (int, float)) and not isinstance(q, bool)
    if isinstance(q, ndarray):
        qa = q
        if scale != 1:
            qa = qa / scale
        if qa.size:
            lo, hi = float(qa.min()), float(qa.max())  # one read: NumPy's range check
            bad = not (lo >= 0 and hi <= 1)
        else:
            bad = False
        qcode = _code(q.dtype)
    else:
        qh = q.tolist() if hasattr(q, 'tolist') else q
        def flat(x):
            return [z for y in x for z in flat(y)] if isinstance(x, (list, tuple)) else [x]
        vals = flat(qh)
        vals = [float(v) / scale for v in vals]
        bad = any(not (0 <= v <= 1) for v in vals)
        qa = _core.asarray_impl(qh)
        if scale != 1:
            qa = qa / scale
        qcode = _code(qa.dtype) if not weak else None
    if bad:
        raise ValueError('Percentiles must be in the range [0, 100]' if scale == 100 else
                         'Quantiles must be in the range [0, 1]')
    return qa, weak, qcode


def _quantile(a, q, axis, out, method, keepdims, ignore_nan, scale=1, weights=None,
              interpolation=None):
    if interpolation is not None:
        method = interpolation
    if method not in _METHODS:
        raise ValueError('%r is not a valid method. Use one of: %s' % (method, _METHODS))
    if weights is not None and method != 'inverted_cdf':
        raise ValueError("Only method 'inverted_cdf' supports weights. Got: %s." % method)
    a = _arr(a)
    qa, weak, qcode = _q_array(q, scale)
    nd = a.ndim
    acode = _code(a.dtype)
    kind = _lib.wg_dtype_kind(acode)
    F64 = _dtypes.code_of('float64')
    if method in _DISCRETE:
        oc = acode
    else:
        oc = acode if kind == ord('f') else F64
        if not weak and qcode is not None:
            oc = _lib.wg_promote_types(oc, qcode)
    oc = _lib.canonical[oc]
    if ignore_nan and kind != ord('f'):
        ignore_nan = False
    if axis is None:
        axes = tuple(range(nd))
    else:
        axes = axis if isinstance(axis, (tuple, list)) else (axis,)
        axes = tuple(_operator.index(x) for x in axes)
        for x in axes:
            if not -nd <= x < nd:
                raise _lib.AxisError('axis %d is out of bounds for array of dimension %d'
                                     % (x, nd))
        axes = tuple(x % nd for x in axes)
        if len(set(axes)) != len(axes):
            raise ValueError('duplicate value in axis')
    keep = [d for d in range(nd) if d not in axes]

    def rows(x):  # the reduced axes moved last and merged
        if nd == 0:
            return x.reshape(1)
        x = _f().transpose(x, keep + list(axes))
        return x.reshape(tuple(a.shape[d] for d in keep) + (_prod(a.shape[d] for d in axes),))
    b = rows(a)
    if b.shape[-1] == 0:
        raise IndexError('index -1 is out of bounds for axis 0 with size 0')
    if weights is not None:
        r = _weighted_inverted_cdf(a, b, _arr(weights), axis, axes, rows, qa, ignore_nan)
    else:
        r = _wrap(_lib.wg_quantile(_ctx, b._h, -1, qa._h, _METHODS.index(method),
                                   1 if ignore_nan else 0, oc))
    if keepdims:
        shp = qa.shape + tuple(1 if d in axes else a.shape[d] for d in range(nd))
        r = r.reshape(shp)
    if out is not None:
        out[...] = r
        return out
    return r


def _weighted_inverted_cdf(a, b, w, axis, axes, rows, qa, ignore_nan):
    """NumPy's weighted inverted_cdf: sort each row with its weights, the normalized cumulative
    weights (a scan), and for each q the first element whose cdf reaches it (a count of the cdf
    values below q: the rows' searchsorted, left).  Reads: the weights' minimum and the cdf's
    validity (NumPy's two ValueErrors)."""
    f = _f()
    if w.shape != a.shape:
        if axis is None or len(axes) != 1 or w.ndim != 1 or w.shape[0] != a.shape[axes[0]]:
            raise ValueError('Shape of weights must be consistent with shape of a along '
                             'specified axis.')
        shp = [1] * a.ndim
        shp[axes[0]] = w.shape[0]
        w = f.broadcast_to(w.reshape(shp), a.shape)
    if w.size and float(w.min()) < 0:
        raise ValueError('Weights must be non-negative.')
    wb = rows(w)
    if ignore_nan and b.dtype.kind == 'f':  # nanquantile: NaNs weigh nothing
        wb = f.where(f.isnan(b), 0, wb)
    order = argsort(b, axis=-1)
    bs = _wrap(_lib.wg_take_last(_ctx, b._h, order._h))
    ws = _wrap(_lib.wg_take_last(_ctx, wb._h, order._h))
    cdf = f.cumsum(ws, axis=-1, dtype='float64')
    cdf = cdf / cdf[..., -1:]
    if bool(f.isnan(cdf[..., -1]).any()):
        raise ValueError('Weights included NaN, inf or were all zero.')
    cdf = f.where(cdf == 0, -1.0, cdf)  # q = 0 picks the first element of positive weight
    qf = qa.reshape(-1)
    n = b.shape[-1]
    idx = (cdf[..., None, :] < qf.reshape(-1, 1)).sum(axis=-1)
    idx = f.minimum(idx, n - 1)
    r = _wrap(_lib.wg_take_last(_ctx, bs._h, idx._h))
    if b.dtype.kind == 'f' and not ignore_nan:
        last = bs[..., -1:]
        r = f.where(f.isnan(last), last, r)
    r = f.moveaxis(r, -1, 0)
    return r.reshape(qa.shape + r.shape[1:])


@_export
def quantile(a, q, axis=None, out=None, overwrite_input=False, method='linear', keepdims=False,
             *, weights=None, interpolation=None):
    """np.quantile (every method): a sort along the axis and one gather-and-interpolate kernel."""
    return _quantile(a, q, axis, out, method, keepdims, False, 1, weights, interpolation)


@_export
def percentile(a, q, axis=None, out=None, overwrite_input=False, method='linear',
               keepdims=False, *, weights=None, interpolation=None):
    return _quantile(a, q, axis, out, method, keepdims, False, 100, weights, interpolation)


@_export
def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method='linear',
                keepdims=False, *, weights=None, interpolation=None):
    return _quantile(a, q, axis, out, method, keepdims, True, 1, weights, interpolation)


@_export
def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method='linear',
                  keepdims=False, *, weights=None, interpolation=None):
    return _quantile(a, q, axis, out, method, keepdims, True, 100, weights, interpolation)


@_export
def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    a = _arr(a)
    if a.dtype.kind == 'c' and (axis is None or isinstance(axis, int)):
        # NumPy's median of complex values: the mean of the middle ones in lexicographic order
        F = _f()
        nd = a.ndim
        s = sort(a, axis=axis)
        ax = -1 if axis is None else axis
        n = s.shape[ax]
        if n == 0:
            return _quantile(a, 0.5, axis, out, 'linear', keepdims, False)
        r = F.take(s, F.asarray([(n - 1) // 2, n // 2]), axis=ax).mean(axis=ax)
        if keepdims:
            r = r.reshape((1,) * nd) if axis is None else F.expand_dims(r, axis)
        if out is not None:
            out[...] = r
            return out
        return r
    return _quantile(a, 0.5, axis, out, 'linear', keepdims, False)


@_export
def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return _quantile(a, 0.5, axis, out, 'linear', keepdims, True)


for _n, _fn in (('sort', _m_sort), ('argsort', _m_argsort), ('partition', _m_partition),
                ('argpartition', _m_argpartition), ('searchsorted', _m_searchsorted)):
    _fn.__name__ = _fn.__qualname__ = _n
    setattr(ndarray, _n, _fn)
del _n, _fn
