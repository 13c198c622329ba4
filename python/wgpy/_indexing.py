"""take, take_along_axis, put, put_along_axis, choose (issue 10): NumPy's names and signatures.

Each is one advanced-indexing call into the engine (wg_adv_get / wg_adv_set, core/src/api/
index.c): the gather or scatter runs on the device, and mode 'raise' checks the indices there
with one read of a bool (counter ``index_checks``).  Modes 'wrap' and 'clip' normalize the indices
in the same kernel and read nothing.
"""

import operator as _operator

from . import _core, _dtypes, _lib
from ._core import ndarray, _wrap
from ._lib import AxisError

_np = _lib.np

__all__ = []
_export = _core.exporter(globals())


def _f():
    from . import _funcs
    return _funcs


def _arr(a):
    return a if isinstance(a, ndarray) else _core.asarray_impl(a)


def _norm_axis(axis, ndim):
    axis = _operator.index(axis)
    if not -ndim <= axis < ndim:
        raise AxisError('axis %d is out of bounds for array of dimension %d' % (axis, ndim))
    return axis + ndim if axis < 0 else axis


def _int_indices(indices, what='indices'):
    """indices as an integer ndarray: lists convert to the index dtype, bools count as 0/1
    (NumPy's take), floats arrays are a TypeError (NumPy's same_kind cast to intp)."""
    if isinstance(indices, ndarray) or (_np is not None and isinstance(indices, _np.ndarray)):
        ind = _arr(indices)
        kind = _lib.DTYPE_KIND[ind._dt]
        if kind == 'f':
            raise TypeError("Cannot cast array data from dtype('%s') to dtype('int64') according "
                            "to the rule 'same_kind'" % _dtypes.OBJS[ind._dt].name)
        if kind == 'b':
            ind = ind.astype('int32')
        return ind
    ind = _core.asarray_impl(indices)
    if _lib.DTYPE_KIND[ind._dt] in 'fb':
        ind = ind.astype('int32')
    return ind


def _finish(r, out):
    if out is None:
        return r
    if not isinstance(out, ndarray):
        raise TypeError('output must be an array')
    if out.shape != r.shape:
        raise ValueError('output array does not match result of ndarray.take')
    out[...] = r
    return out


@_export
def take(a, indices, axis=None, out=None, mode='raise'):
    a = _arr(a)
    m = _core.mode_arg(mode)
    ind = _int_indices(indices)
    if axis is None:
        a = a if len(a._shape) == 1 else a.reshape(-1)
        ax = 0
    else:
        ax = _norm_axis(axis, a.ndim)
    if ax == 0 and m == 0 and ind._shape:
        return _finish(_core.adv_get_one(a, ind), out)  # the plain gather: a constant key
    key = (slice(None),) * ax + (ind,)
    return _finish(_wrap(_core._adv_get(a, key, m, force_last=True)), out)


def _along_axis_key(arr, indices, axis, fname):
    ind = indices if isinstance(indices, ndarray) else _core.asarray_impl(indices)
    if _lib.DTYPE_KIND[ind._dt] not in 'iu':
        raise IndexError('`indices` must be an integer array')
    if axis is None:
        if ind.ndim != 1:
            raise ValueError('when axis=None, `indices` must have a single dimension.')
        arr = arr.reshape(-1)
        axis = 0
    elif ind.ndim != arr.ndim:
        raise ValueError('`indices` and `arr` must have the same number of dimensions')
    ax = _norm_axis(axis, arr.ndim)
    key = []
    nd = arr.ndim
    for d in range(nd):
        if d == ax:
            key.append(ind)
        else:
            shp = [1] * nd
            shp[d] = arr.shape[d]
            key.append(_f().arange(arr.shape[d], dtype='int32').reshape(shp))
    return arr, tuple(key)


@_export
def take_along_axis(arr, indices, axis=-1):
    arr = _arr(arr)
    arr, key = _along_axis_key(arr, indices, axis, 'take_along_axis')
    return _wrap(_core._adv_get(arr, key, 0))


@_export
def put_along_axis(arr, indices, values, axis):
    if not isinstance(arr, ndarray):
        raise TypeError('put_along_axis: arr must be a wgpy array')
    if axis is None and arr.ndim != 1 and not arr.flags.c_contiguous:
        c = arr.copy()
        put_along_axis(c, indices, values, None)
        arr[...] = c
        return None
    a2, key = _along_axis_key(arr, indices, axis, 'put_along_axis')
    a2[key] = values
    return None


@_export
def put(a, ind, v, mode='raise'):
    if not isinstance(a, ndarray):
        raise TypeError('put() argument 1 must be wgpy.ndarray, not %s' % type(a).__name__)
    m = _core.mode_arg(mode)
    ind = _int_indices(ind).reshape(-1)
    v = _core.asarray_impl(v, a.dtype)  # NumPy casts v to a's dtype
    if ind.size == 0 or v.size == 0:
        return None
    if not a._flags & _lib.FLAG_WRITEABLE:
        raise ValueError('assignment destination is read-only')
    if not a._flags & _lib.FLAG_C:
        c = a.copy()
        put(c, ind, v, mode)
        a[...] = c
        return None
    vf = v.reshape(-1)
    if vf.size != ind.size:  # NumPy repeats v as needed: a gather in wrap mode
        cyc = _f().arange(ind.size, dtype='int32')
        vf = _wrap(_core._adv_get(vf, (cyc,), 1))
    _core._adv_set(a.reshape(-1), (ind,), vf, m, -1)
    return None


@_export
def choose(a, choices, out=None, mode='raise'):
    """NumPy's choose: the index array picks, per point, one of the broadcast choices.  The
    indices are checked or normalized by a gather of arange(n) (the engine's bounds check, one
    read in mode 'raise'); the choice is a fused chain of where()s."""
    a = _arr(a)
    if _lib.DTYPE_KIND[a._dt] not in 'iub':
        raise TypeError("Cannot cast array data from dtype('%s') to dtype('int64') according to "
                        "the rule 'safe'" % _dtypes.OBJS[a._dt].name)
    m = _core.mode_arg(mode)
    if isinstance(choices, ndarray):
        choices = [choices[i] for i in range(choices.shape[0])]
    choices = [_core.operand(c) if not isinstance(c, (list, tuple)) else _core.asarray_impl(c)
               for c in choices]
    n = len(choices)
    if n == 0:
        raise ValueError('0-length sequence.')
    fs = _f()
    try:
        k = take(fs.arange(n, dtype='int32'), a, mode=mode) if m != 1 else \
            take(fs.arange(n, dtype='int32'), a, mode='wrap')
    except IndexError:
        raise ValueError('invalid entry in choice array') from None
    shape = fs.broadcast_shapes(a.shape, *[c.shape for c in choices])
    r = choices[n - 1]
    for i in range(n - 2, -1, -1):
        r = fs.where(k == i, choices[i], r)
    r = fs.broadcast_to(r, shape).copy()  # the where chain promoted the choices (NEP 50)
    if out is not None:
        if out.shape != r.shape:
            raise ValueError('choose: invalid shape for output array.')
        out[...] = r
        return out
    return r


def _m_take(self, indices, axis=None, out=None, mode='raise'):
    return take(self, indices, axis, out, mode)


def _m_put(self, indices, values, mode='raise'):
    return put(self, indices, values, mode)


def _m_choose(self, choices, out=None, mode='raise'):
    return choose(self, choices, out, mode)


for _n, _fn in (('take', _m_take), ('put', _m_put), ('choose', _m_choose)):
    _fn.__name__ = _fn.__qualname__ = _n
    setattr(ndarray, _n, _fn)
del _n, _fn
