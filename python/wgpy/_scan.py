"""Scans and data-dependent compaction (issue 10): cumsum, cumprod, cumulative_sum/prod,
nancumsum/nancumprod, ufunc accumulate; nonzero, argwhere, flatnonzero, where(cond), compress,
extract, place, putmask and boolean-mask indexing ``a[mask]`` / ``a[mask] = v``.

The engine does the work (core/src/api/scan.c: parallel scans and compaction as library
kernels).  A result whose size depends on the data takes one host read of the count
(``wgpy.counters()['host_syncs_for_size']``; docs/scans.md lists the functions).  The mask
helpers (``mask_getitem``, ``mask_setitem``, ``flat_true_indices``) are what ``__getitem__`` /
``__setitem__`` call for a boolean-array key, and what a general advanced index calls for a mask
inside it.
"""

import operator as _operator
from ctypes import c_char

from . import _core, _dtypes, _lib
from ._core import ndarray, _wrap

_np = _lib.np
_ctx = _lib.ctx
_OP = _lib.OPS
_check = _lib.check

__all__ = []
_export = _core.exporter(globals())


def _arr(a):
    return a if isinstance(a, ndarray) else _core.asarray_impl(a)


def _f():
    from . import _funcs
    return _funcs


def _set_scan_path(path):
    """The engine's scan kernels (docs/scans.md "The tile scan"): 'auto' (the workgroup-memory
    tile scan on webgpu with a GPU adapter, else the segment scan), 'segments' (the per-point
    segment scan everywhere) or 'tiles' (the tile scan wherever there is workgroup memory, the cpu
    backend included; webgl2 keeps its gathers); returns the previous one.  For benchmarks and
    tests."""
    old = _lib.wg_set_scan_path(_ctx, {'auto': 0, 'segments': 1, 'tiles': 2}[path])
    return ('auto', 'segments', 'tiles')[old]


def _set_scan_block(tiles):
    """The tile scan's block in tiles of 2048 elements (0: the default; docs/scans.md): what one
    workgroup reduces and scans; + 100 the prefetching rescan, + 200 the fused prefix (no second
    launch).  Returns the previous setting.  For benchmarks and tests."""
    return _lib.wg_set_scan_block(_ctx, int(tiles))


def _count_nonzero(a):
    """A count read on the host (a sync point, counted in host_syncs_for_size)."""
    from . import _statx
    return read_count(_statx.count_nonzero(a))


# ---- scans ------------------------------------------------------------------------------------
def accumulate(op, a, axis=0, dtype=None, out=None, include_initial=False, skip_nan=False):
    """op.accumulate(a, axis, dtype, out) for op in add, multiply, maximum, minimum, logical_and,
    logical_or (a name or an op code): the ufunc objects' accumulate calls this."""
    code = _OP[op] if isinstance(op, str) else op
    a = _arr(a)
    if axis is None:
        a = a.ravel()
        axis = 0
    axis = _operator.index(axis)
    dt = _core.dtype_arg(dtype)
    o = None if out is None else _core._out_arg(out)
    h = _lib.wg_accumulate(_ctx, code, a._h, axis, dt, 1 if include_initial else 0,
                           1 if skip_nan else 0, None if o is None else o._h)
    return _wrap(h) if o is None else _core._done_out(h, o)


def _cum(op, a, axis, dtype, out, skip_nan=False):
    a = _arr(a)
    if axis is None or a.ndim == 0:
        if axis is not None:
            axis = _operator.index(axis)
            if axis not in (0, -1):
                raise _lib.AxisError('axis %d is out of bounds for array of dimension 1' % axis)
        a = a.ravel()
        axis = 0
    return accumulate(op, a, axis, dtype, out, False, skip_nan)


@_export
def cumsum(a, axis=None, dtype=None, out=None):
    return _cum('add', a, axis, dtype, out)


@_export
def cumprod(a, axis=None, dtype=None, out=None):
    return _cum('multiply', a, axis, dtype, out)


@_export
def nancumsum(a, axis=None, dtype=None, out=None):
    return _cum('add', a, axis, dtype, out, True)


@_export
def nancumprod(a, axis=None, dtype=None, out=None):
    return _cum('multiply', a, axis, dtype, out, True)


def _cumulative(op, x, axis, dtype, out, include_initial):
    x = _arr(x)
    if x.ndim == 0:
        x = x.ravel()
    if axis is None:
        if x.ndim > 1:
            raise ValueError('For arrays which have more than one dimension ``axis`` argument '
                             'is required.')
        axis = 0
    return accumulate(op, x, axis, dtype, out, include_initial)


@_export
def cumulative_sum(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    return _cumulative('add', x, axis, dtype, out, include_initial)


@_export
def cumulative_prod(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    return _cumulative('multiply', x, axis, dtype, out, include_initial)


def _m_cumsum(self, axis=None, dtype=None, out=None):
    return _cum('add', self, axis, dtype, out)


def _m_cumprod(self, axis=None, dtype=None, out=None):
    return _cum('multiply', self, axis, dtype, out)


ndarray.cumsum = _m_cumsum
ndarray.cumprod = _m_cumprod


# ---- compaction -------------------------------------------------------------------------------
def read_count(scan):
    """The count a mask's scan ends with: the one host read of a data-dependent size
    (counted in host_syncs_for_size); on executor backends the stream runs here."""
    n = _dtypes.SIZE[scan._dt]
    buf = (c_char * n)()
    _check(_lib.wg_read_size(_ctx, scan._h, buf, n))
    _lib.run_stream()
    return int.from_bytes(bytes(buf), 'little', signed=True)


def flat_true_indices(mask, target=None):
    """(segscan, count, idx): the scan of the mask's per-segment counts, its count of true
    elements (one host read) and the flat C-order indices of the true elements (int64; int32 with
    64-bit types off).  target: check that mask matches target's leading dims (NumPy's
    IndexError)."""
    seg = _wrap(_lib.wg_mask_segscan(_ctx, mask._h, None if target is None else target._h))
    count = read_count(seg)
    idx = _wrap(_lib.wg_mask_select(_ctx, mask._h, seg._h, count, None))
    return seg, count, idx


def _coords(idx, shape):
    n = len(shape)
    return _wrap(_lib.wg_unravel_coords(_ctx, idx._h, n, _core._i64(_core._buf0, shape)
                                        if n else None))


@_export
def nonzero(a):
    a = _arr(a)
    if a.ndim == 0:
        raise ValueError('Calling nonzero on 0d arrays is not allowed. Use '
                         'np.atleast_1d(scalar).nonzero() instead. If the context of this error '
                         'is of the form `arr[nonzero(cond)]`, just use `arr[cond]`.')
    _, _, idx = flat_true_indices(a)
    if a.ndim == 1:
        return (idx,)
    c = _coords(idx, a.shape)
    return tuple(c[:, k] for k in range(a.ndim))


@_export
def argwhere(a):
    a = _arr(a)
    _, _, idx = flat_true_indices(a)
    return _coords(idx, a.shape)


@_export
def flatnonzero(a):
    return flat_true_indices(_arr(a))[2]


def where1(condition):
    """where(condition) with one argument: nonzero(asarray(condition))."""
    return nonzero(condition)


def _m_nonzero(self):
    return nonzero(self)


ndarray.nonzero = _m_nonzero


def mask_getitem(a, mask):
    """a[mask] for a boolean mask covering a's leading dims: shape (count,) + a.shape[mask.ndim:]."""
    if mask.ndim == a.ndim:  # one element per true position: selected in the compaction's pass
        seg = _wrap(_lib.wg_mask_segscan(_ctx, mask._h, a._h))
        count = read_count(seg)
        return _wrap(_lib.wg_mask_select(_ctx, mask._h, seg._h, count, a._h))
    _, _, idx = flat_true_indices(mask, a)
    return _wrap(_lib.wg_mask_take(_ctx, a._h, idx._h, mask.ndim))


def mask_setitem(a, mask, value):
    """a[mask] = value: a value that broadcasts to a.shape[mask.ndim:] is one elementwise write
    (no host read); an array of count rows fills the true positions in order (one read)."""
    if not a._flags & _lib.FLAG_WRITEABLE:
        raise ValueError('assignment destination is read-only')
    v = _arr(value) if not isinstance(value, (int, float, bool)) else _core.operand(value)
    nrest = a.ndim - mask.ndim
    if v.ndim <= nrest or v.shape[v.ndim - nrest - 1] == 1:
        _check(_lib.wg_mask_assign(_ctx, a._h, mask._h, v._h))
        return
    seg = _wrap(_lib.wg_mask_segscan(_ctx, mask._h, a._h))
    count = read_count(seg)
    lead = v.shape[v.ndim - nrest - 1]
    if lead != count:
        raise ValueError('NumPy boolean array indexing assignment cannot assign %d input values '
                         'to the %d output values where the mask is true' % (lead, count))
    if count == 0:
        return
    vb = _f().broadcast_to(v, (count,) + tuple(a.shape[mask.ndim:]))
    _check(_lib.wg_mask_fill_seg(_ctx, a._h, mask._h, seg._h, vb._h, mask.ndim))


def _mask_key(key):
    """The boolean mask array a key is (a bool array, a list of bools, or a 1-tuple of one),
    or None."""
    if type(key) is tuple:
        if len(key) != 1:
            return None
        key = key[0]
    if isinstance(key, ndarray):
        return key if key._dt == _dtypes.BOOL and key.ndim > 0 else None
    if _np is not None and isinstance(key, _np.ndarray):
        return _core.asarray_impl(key) if key.dtype == _np.bool_ and key.ndim > 0 else None
    if type(key) is list and key and all(type(k) is bool for k in key):
        return _core.asarray_impl(key)
    return None


_basic_getitem = ndarray.__getitem__
_basic_setitem = ndarray.__setitem__
_SIMPLE = (int, slice)
# the types of a basic index's items (bool is not int here: a[True] is an advanced index)
_BASIC_ITEMS = frozenset((int, slice, type(None), type(Ellipsis)))
_view, _index_handle = _core._view, _core._index_handle


def _scalar_bool_key(key):
    """True/False for a key that is a scalar boolean, bare or alone in a tuple (a[True],
    a[(False,)]: a new axis of length 1 or 0)."""
    if type(key) is tuple and len(key) == 1:
        key = key[0]
    if type(key) is bool:
        return key
    if isinstance(key, ndarray) and key.ndim == 0 and key._dt == _dtypes.BOOL:
        return bool(key)
    if _np is not None and isinstance(key, (_np.bool_, _np.ndarray)) and key.ndim == 0 \
            and key.dtype == _np.bool_:
        return bool(key)
    return None


def _empty_mismatch(m, a):
    """NumPy lets a boolean index of size 0 mismatch the dims it indexes: it is then its nonzero()
    index arrays (all empty), the advanced-indexing path's."""
    return m.size == 0 and tuple(m.shape) != tuple(a.shape[:m.ndim])


def _getitem(self, key):
    t = type(key)
    if t in _SIMPLE:
        return _basic_getitem(self, key)
    if t is tuple:
        # a tuple of ints, slices, None and Ellipsis (Chainer's batch normalization: x[None, :,
        # None, None], 20 a CNN step): the view straight away, without the mask, boolean and
        # advanced-index tests that such a key cannot meet
        for k in key:
            if type(k) not in _BASIC_ITEMS:
                break
        else:
            return _view(_index_handle(self, key), self)
    if type(key) is _core.ndarray and key._shape and _lib.DTYPE_KIND[key._dt] in 'iu':
        return _core.adv_get_one(self, key)  # a[idx]: the gather, without the key's encoding
    m = _mask_key(key)
    if m is not None and _empty_mismatch(m, self):
        return _basic_getitem(self, key)
    if m is not None:
        return mask_getitem(self, m)
    b = _scalar_bool_key(key)
    if b is not None:  # NumPy: a copy with a new leading axis of length 1 (True) or 0 (False)
        v = _basic_getitem(self, None)
        return (v if b else v[:0]).copy()
    return _basic_getitem(self, key)


def _setitem(self, key, value):
    if type(key) in _SIMPLE:
        return _basic_setitem(self, key, value)
    b = _scalar_bool_key(key)
    if b is not None:
        if b:
            _basic_setitem(self, None, value)
        return None
    m = _mask_key(key)
    if m is not None and _empty_mismatch(m, self):
        return _basic_setitem(self, key, value)
    if m is not None:
        if type(value) is list or type(value) is tuple:
            value = _core.asarray_impl(value, _dtypes.OBJS[self._dt])
        return mask_setitem(self, m, value)
    return _basic_setitem(self, key, value)


# the C __getitem__ where fastops is loaded: basic keys in C, any other through _getitem
_core._GETITEM[0] = _getitem
ndarray.__getitem__ = _core._fast_getitem if _core._fast_getitem is not None else _getitem
ndarray.__setitem__ = _setitem


# ---- compress, extract, place, putmask ------------------------------------------------------------
def _bool1d(cond, name):
    c = _arr(cond)
    if c.ndim != 1:
        raise ValueError('condition must be a 1-d array' if name == 'compress'
                         else '%s: condition must be 1-d' % name)
    return c


@_export
def compress(condition, a, axis=None, out=None):
    a = _arr(a)
    c = _arr(condition)
    if c.ndim != 1:
        raise ValueError('condition must be a 1-d array')
    if axis is None:
        a = a.ravel()
        axis = 0
    F = _f()
    ax = _operator.index(axis)
    if not -a.ndim <= ax < a.ndim:
        raise _lib.AxisError('axis %d is out of bounds for array of dimension %d' % (ax, a.ndim))
    ax %= a.ndim
    n = a.shape[ax]
    if c.dtype.kind != 'b':
        c = c != 0
    if c.shape[0] > n:
        extra = c[n:]
        if _count_nonzero(extra):
            raise IndexError('index %d is out of bounds for axis %d with size %d'
                             % (n, ax, n))
        c = c[:n]
    m = F.moveaxis(a, ax, 0)
    if c.shape[0] < n:
        m = m[:c.shape[0]]
    r = F.moveaxis(mask_getitem(m, c), 0, ax)
    if out is not None:
        o = _core._out_arg(out)
        if o.shape != r.shape:
            raise ValueError('output array does not match result of compress')
        o[...] = r
        return o
    return r.copy() if ax else r


@_export
def extract(condition, arr):
    return compress(_arr(condition).ravel(), _arr(arr).ravel())


@_export
def place(arr, mask, vals):
    if not isinstance(arr, ndarray):
        raise TypeError('argument 1 must be wgpy.ndarray, not %s' % type(arr).__name__)
    m = _arr(mask)
    if m.size != arr.size:
        raise ValueError('place: mask and data must be the same size')
    if isinstance(vals, ndarray) or (_np is not None and isinstance(vals, _np.ndarray)):
        v = _arr(vals).astype(_dtypes.OBJS[arr._dt], casting='safe', copy=False)  # numpy's rule
    else:
        v = _core.asarray_impl(vals, _dtypes.OBJS[arr._dt])
    v = v.ravel()
    m = m.reshape(arr.shape) if m.shape != arr.shape else m
    if v.size == 0:
        if _count_nonzero(m):  # NumPy's error needs to know whether any is true
            raise ValueError('Cannot insert from an empty array!')
        return None
    seg = _wrap(_lib.wg_mask_segscan(_ctx, m._h, None))
    _check(_lib.wg_mask_fill_seg(_ctx, arr._h, m._h, seg._h, v._h, arr.ndim))
    return None


@_export
def putmask(a, mask, values):
    if not isinstance(a, ndarray):
        raise TypeError('argument a of putmask must be a wgpy.ndarray')
    m = _arr(mask)
    if m.size != a.size:
        raise ValueError('putmask: mask and data must be the same size')
    if m.shape != a.shape:
        m = m.reshape(a.shape)
    v = values if isinstance(values, ndarray) else _core.asarray_impl(values)
    v = v.ravel()  # (kept alive across the call)
    _check(_lib.wg_putmask(_ctx, a._h, m._h, v._h))
    return None


def _m_compress(self, condition, axis=None, out=None):
    return compress(condition, self, axis, out)


ndarray.compress = _m_compress
