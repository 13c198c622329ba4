"""wgpy's module-level functions: creation, the ufuncs (generated from the engine's op table),
manipulation, reductions, dtype queries, counters and memory.  Each normalizes its arguments and
makes one or two engine calls; NumPy's names and signatures.

This module's namespace is wgpy's: it defines sum, min, max, any, all, abs, pow, round... so the
builtins are reached through ``_b``.
"""

import builtins as _b
import math as _math
import operator as _operator
import sys as _sys

from . import _core, _dtypes, _lib
from ._core import ndarray, operand as _operand, _wrap, _view

_ctx = _lib.ctx
_np = _lib.np
_i64 = _lib.i64
_buf0 = _lib.buf0
_buf1 = _lib.buf1
_canonical = _lib.canonical
_requested = _dtypes.requested
_OBJS = _dtypes.OBJS
_OP = _lib.OPS
_RED = _lib.REDUCE
_shape_arg = _core.shape_arg

__all__ = []
_export = _core.exporter(globals())


def _default_float():
    return _canonical[_dtypes.FLOAT64]


def _dtype_or(dtype, default):
    return default if dtype is None else _requested(dtype)


def _any_array(a):
    """An ndarray for a (asarray when it is not one)."""
    return a if isinstance(a, ndarray) else _core.asarray_impl(a)


# ---- creation -----------------------------------------------------------------------------
@_export
def array(obj, dtype=None, copy=True, order='K', subok=False, ndmin=0):
    return _core.asarray_impl(obj, dtype, copy, order, ndmin)


@_export
def asarray(a, dtype=None, order=None, *, copy=None):
    return _core.asarray_impl(a, dtype, copy, order)


@_export
def asanyarray(a, dtype=None, order=None):
    return _core.asarray_impl(a, dtype, None, order)


def _in_order(a, dtype, order, flag):
    """a as an array of ndim >= 1 (NumPy) that is contiguous in order 'C' or 'F' (flag: its
    FLAG_C or FLAG_F), copied where it is not."""
    a = _core.asarray_impl(a, dtype, ndmin=1)
    if len(a._shape) > 1 and not a._flags & flag:
        a = _wrap(_lib.wg_copy(_ctx, a._h, ord(order)))
    return a


@_export
def ascontiguousarray(a, dtype=None):
    return _in_order(a, dtype, 'C', _lib.FLAG_C)


@_export
def asfortranarray(a, dtype=None):
    return _in_order(a, dtype, 'F', _lib.FLAG_F)


@_export
def asnumpy(a, stream=None, order='C', out=None, blocking=True):
    """a as a numpy array (wgpy arrays are read back; anything else goes through numpy)."""
    if isinstance(a, ndarray):
        return a.get(order=order, out=out)
    if _np is None:
        raise RuntimeError('wgpy: numpy is not installed')
    r = _np.asarray(a, order=order)
    if out is not None:
        _np.copyto(out, r)
        return out
    return r


def _finish_order(a, order):
    if order in ('F', 'f') and len(a._shape) > 1:
        return _wrap(_lib.wg_copy(_ctx, a._h, ord('F')))
    if order not in (None, 'C', 'c', 'F', 'f', 'A', 'K'):
        raise ValueError("order must be one of 'C', 'F', 'A', or 'K' (got %r)" % (order,))
    return a


@_export
def empty(shape, dtype=None, order='C'):
    shp = _shape_arg(shape)
    code = _dtype_or(dtype, _default_float())
    return _finish_order(_wrap(_lib.wg_empty(_ctx, code, len(shp), _i64(_buf0, shp))), order)


def _full(shp, code, value):
    if isinstance(value, ndarray) and value._shape:
        a = _wrap(_lib.wg_empty(_ctx, code, len(shp), _i64(_buf0, shp)))
        _lib.check(_lib.wg_assign(_ctx, a._h, value._h))
        return a
    return _wrap(_lib.wg_full(_ctx, code, len(shp), _i64(_buf0, shp), value._h))


@_export
def zeros(shape, dtype=None, order='C'):
    shp = _shape_arg(shape)
    code = _dtype_or(dtype, _default_float())
    return _finish_order(_full(shp, code, _core._weak_int(0)), order)


@_export
def ones(shape, dtype=None, order='C'):
    shp = _shape_arg(shape)
    code = _dtype_or(dtype, _default_float())
    return _finish_order(_full(shp, code, _core._weak_int(1)), order)


@_export
def full(shape, fill_value, dtype=None, order='C'):
    shp = _shape_arg(shape)
    if isinstance(fill_value, (str, bytes)):
        if dtype is None:
            raise TypeError('wgpy: arrays of dtype %s are not supported (wgpy holds numbers)'
                            % _core._dtype_repr(fill_value)[7:-2])
        code = _requested(dtype)
        return _finish_order(_full(shp, code, _operand(_core.from_string(fill_value, code))),
                             order)
    v = _operand(fill_value)
    code = _canonical[v._dt] if dtype is None else _requested(dtype)
    return _finish_order(_full(shp, code, v), order)


def _like(a, dtype, shape):
    if isinstance(a, ndarray):
        code = a._dt if dtype is None else _requested(dtype)
        shp = a._shape if shape is None else _shape_arg(shape)
    elif _np is not None and isinstance(a, (_np.ndarray, _np.generic)):
        code = _canonical[_dtypes.code_of(a.dtype)] if dtype is None else _requested(dtype)
        shp = a.shape if shape is None else _shape_arg(shape)
    else:
        a = _core.asarray_impl(a)
        return _like(a, dtype, shape)
    return code, shp


@_export
def empty_like(prototype, dtype=None, order='K', subok=None, shape=None):
    code, shp = _like(prototype, dtype, shape)
    return _wrap(_lib.wg_empty(_ctx, code, len(shp), _i64(_buf0, shp)))


@_export
def zeros_like(a, dtype=None, order='K', subok=None, shape=None):
    code, shp = _like(a, dtype, shape)
    return _full(shp, code, _core._weak_int(0))


@_export
def ones_like(a, dtype=None, order='K', subok=None, shape=None):
    code, shp = _like(a, dtype, shape)
    return _full(shp, code, _core._weak_int(1))


@_export
def full_like(a, fill_value, dtype=None, order='K', subok=None, shape=None):
    code, shp = _like(a, dtype, shape)
    if isinstance(fill_value, (str, bytes)):
        fill_value = _core.from_string(fill_value, code)
    return _full(shp, code, _operand(fill_value))


def _scalar_kind(v, what):
    """(dtype code, weak kind, value) of a scalar argument (arange/linspace)."""
    if isinstance(v, ndarray):
        if v._shape:
            raise TypeError('wgpy: %s must be a scalar' % what)
        return v._dt, _lib.WEAK_NONE, v.item()
    if _np is not None and isinstance(v, _np.generic):
        if v.dtype.kind == 'c':
            raise TypeError(_dtypes._COMPLEX_MSG)
        return _dtypes.code_of(v.dtype), _lib.WEAK_NONE, v.item()
    if isinstance(v, bool):
        return _dtypes.BOOL, _lib.WEAK_BOOL, v
    if isinstance(v, int):
        return _dtypes.INT64, _lib.WEAK_INT, int(v)
    if isinstance(v, float):
        return _dtypes.FLOAT64, _lib.WEAK_FLOAT, float(v)
    if isinstance(v, complex):
        raise TypeError(_dtypes._COMPLEX_MSG)
    try:
        return _dtypes.INT64, _lib.WEAK_INT, _operator.index(v)
    except TypeError:
        pass
    return _dtypes.FLOAT64, _lib.WEAK_FLOAT, float(v)


def _result_code(kinds):
    n = len(kinds)
    dts, wks = _lib.i32a, _lib.i32b
    for i, (d, w) in enumerate(kinds):
        dts[i] = d
        wks[i] = w
    r = _lib.wg_result_type(_ctx, n, dts, wks)
    if r < 0:
        raise _lib.error()
    return r


@_export
def arange(start, stop=None, step=None, dtype=None):
    if stop is None:
        start, stop = 0, start
    args = [_scalar_kind(start, 'start'), _scalar_kind(stop, 'stop')]
    if step is not None:
        args.append(_scalar_kind(step, 'step'))
    vals = [v for _, _, v in args]
    s0, s1 = vals[0], vals[1]
    st = vals[2] if step is not None else 1
    if dtype is None:
        code = _canonical[_result_code([(d, w) for d, w, _ in args])]
    else:
        code = _requested(dtype)
    if _b.all(type(v) in (int, bool) for v in (s0, s1, st)):
        s0, s1, st = int(s0), int(s1), int(st)
        if st == 0:
            raise ZeroDivisionError('division by zero')
        n = -((s0 - s1) // st)
    else:
        if st == 0:
            raise ZeroDivisionError('division by zero')
        q = (s1 - s0) / st
        if q != q:
            raise ValueError('arange: cannot compute length')
        n = _math.ceil(q)
    n = _b.max(n, 0)
    k = _lib.DTYPE_KIND[code]
    if k == 'b' and n > 2:
        raise TypeError('arange() is only supported for booleans when the result has at most '
                        'length 2.')
    if k in 'iu':
        # NumPy stores the first two values as Python ints (which must fit), and fills the rest
        # by adding the step in the dtype (wrapping)
        bits = 8 * _lib.DTYPE_SIZE[code]
        lo, hi = (0, (1 << bits) - 1) if k == 'u' else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
        for v in (s0, s0 + st)[:_b.min(n, 2)]:
            iv = int(v)
            if not lo <= iv <= hi:
                raise OverflowError('Python integer %d out of bounds for %s' % (iv,
                                                                                _OBJS[code].name))
    return _wrap(_lib.wg_arange(_ctx, code, float(s0), float(st), n))


@_export
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    if axis != 0:
        raise NotImplementedError('wgpy: linspace(axis=) is not supported')
    num = _operator.index(num)
    if num < 0:
        raise ValueError('Number of samples, %d, must be non-negative.' % num)
    k0, k1 = _scalar_kind(start, 'start'), _scalar_kind(stop, 'stop')
    if dtype is None:
        code = _canonical[_result_code([k0[:2], k1[:2], (_dtypes.FLOAT64, _lib.WEAK_FLOAT)])]
    else:
        code = _requested(dtype)
    s0, s1 = float(k0[2]), float(k1[2])
    r = _wrap(_lib.wg_linspace(_ctx, code, s0, s1, num, 1 if endpoint else 0))
    if retstep:
        div = num - 1 if endpoint else num
        return r, ((s1 - s0) / div if div > 0 else float('nan'))
    return r


@_export
def eye(N, M=None, k=0, dtype=None, order='C'):
    code = _dtype_or(dtype, _default_float())
    n = _operator.index(N)
    m = n if M is None else _operator.index(M)
    return _finish_order(_wrap(_lib.wg_eye(_ctx, code, n, m, _operator.index(k))), order)


@_export
def identity(n, dtype=None):
    return eye(n, dtype=dtype)


@_export
def copy(a, order='K'):
    return _any_array(a).copy(order)


# ---- ufuncs (generated from the engine's op table) ---------------------------------------
def _make_unary(code, name):
    impl = _core.unary_impl

    def f(x, /, out=None, *, dtype=None):
        return impl(code, x, out, dtype)
    f.__name__ = f.__qualname__ = name
    f._wgpy_op = code  # the plain call is the engine op alone (_ufunc: the C call path)
    f.__doc__ = '%s(x, /, out=None, *, dtype=None): NumPy\'s %s, elementwise.' % (name, name)
    return f


def _make_binary(code, name):
    impl = _core.binary_impl

    def f(x1, x2, /, out=None, *, dtype=None):
        return impl(code, x1, x2, out, dtype)
    f.__name__ = f.__qualname__ = name
    if code != _OP['power']:  # (power checks integer exponents first)
        f._wgpy_op = code
    f.__doc__ = ('%s(x1, x2, /, out=None, *, dtype=None): NumPy\'s %s, elementwise with '
                 'broadcasting.' % (name, name))
    return f


for _name in _lib.UNARY_OPS:
    _export(_make_unary(_OP[_name], _name))
for _name in _lib.BINARY_OPS:
    _export(_make_binary(_OP[_name], _name))

# NumPy's other names for the same ufuncs
_ALIASES = {'abs': 'absolute', 'divide': 'true_divide', 'mod': 'remainder', 'pow': 'power',
            'bitwise_not': 'invert', 'bitwise_invert': 'invert',
            'bitwise_left_shift': 'left_shift', 'bitwise_right_shift': 'right_shift',
            'acos': 'arccos', 'asin': 'arcsin', 'atan': 'arctan', 'acosh': 'arccosh',
            'asinh': 'arcsinh', 'atanh': 'arctanh', 'atan2': 'arctan2'}
for _alias, _name in _ALIASES.items():
    if _name in globals():
        globals()[_alias] = globals()[_name]
        __all__.append(_alias)


@_export
def signbit(x, /, out=None, *, dtype=None):
    """NumPy's signbit: True where the sign bit is set (-0.0 and NaNs with the bit included)."""
    a = _operand(x)
    if dtype is not None and _requested(dtype) != _dtypes.BOOL:
        raise TypeError('No loop matching the specified signature and casting was found for '
                        'ufunc signbit')
    if _lib.DTYPE_KIND[a._dt] == 'f':
        a = copysign(1, a)  # keeps the sign bit of zeros and NaNs
    return less(a, 0, out=out)


@_export
def matmul(x1, x2, /, out=None, *, dtype=None):
    r = _core.matmul_impl(x1, x2, out)
    if dtype is not None:
        r = r.astype(dtype, copy=False)
    return r


@_export
def dot(a, b, out=None):
    return _core.matmul_impl(a, b, out, dot=True)


@_export
def divmod(x1, x2, /, out1=None, out2=None, *, out=(None, None), dtype=None):
    o1, o2 = (out1, out2) if out is None or out == (None, None) else out
    return (_core.binary_impl(_OP['floor_divide'], x1, x2, o1, dtype),
            _core.binary_impl(_OP['remainder'], x1, x2, o2, dtype))


@_export
def where(condition, x=None, y=None):
    if x is None and y is None:
        from . import _scan
        return _scan.where1(condition)
    if x is None or y is None:
        raise ValueError('either both or neither of x and y should be given')
    c, a, b = _operand(condition), _operand(x), _operand(y)
    return _wrap(_lib.wg_where(_ctx, c._h, a._h, b._h, None))


_NOVALUE = object()


@_export
def clip(a, a_min=_NOVALUE, a_max=_NOVALUE, out=None, *, min=_NOVALUE, max=_NOVALUE):
    lo = min if a_min is _NOVALUE else a_min
    hi = max if a_max is _NOVALUE else a_max
    lo = None if lo is _NOVALUE else lo
    hi = None if hi is _NOVALUE else hi
    return _core.clip_impl(_operand(a), lo, hi, out)


# ---- manipulation ---------------------------------------------------------------------
@_export
def reshape(a, shape=None, order='C', *, newshape=None, copy=None):
    if shape is None:
        shape = newshape
    r = _any_array(a).reshape(shape, order=order)
    if copy:
        r = r.copy()
    return r


@_export
def transpose(a, axes=None):
    a = _any_array(a)
    return a.transpose() if axes is None else a.transpose(axes)


@_export
def permute_dims(a, axes=None):
    return transpose(a, axes)


@_export
def matrix_transpose(x, /):
    return _any_array(x).mT


@_export
def swapaxes(a, axis1, axis2):
    return _any_array(a).swapaxes(axis1, axis2)


@_export
def moveaxis(a, source, destination):
    a = _any_array(a)
    src = [_operator.index(source)] if not isinstance(source, (tuple, list)) else \
        [_operator.index(s) for s in source]
    dst = [_operator.index(destination)] if not isinstance(destination, (tuple, list)) else \
        [_operator.index(s) for s in destination]
    if len(src) != len(dst):
        raise ValueError('`source` and `destination` arguments must have the same number of '
                         'elements')
    return _view(_lib.wg_moveaxis(_ctx, a._h, len(src), _i64(_buf0, src), _i64(_buf1, dst)), a)


@_export
def squeeze(a, axis=None):
    return _any_array(a).squeeze(axis)


@_export
def expand_dims(a, axis):
    a = _any_array(a)
    naxes, ax = _core.axes_arg(axis)
    return _view(_lib.wg_expand_dims(_ctx, a._h, naxes, ax), a)


@_export
def ravel(a, order='C'):
    return _any_array(a).ravel(order)


@_export
def broadcast_to(array, shape, subok=False):
    a = _any_array(array)
    shp = _shape_arg(shape)
    return _view(_lib.wg_broadcast_to(_ctx, a._h, len(shp), _i64(_buf0, shp)), a)


def _broadcast_shape(handles):
    n = len(handles)
    arr = (_lib.c_void_p * _b.max(n, 1))(*handles)
    nd = _lib.check(_lib.wg_broadcast_shapes(_ctx, n, arr, _buf1))
    return tuple(_buf1[:nd])


_shape_template = []


@_export
def broadcast_shapes(*shapes):
    if not _shape_template:
        _shape_template.append(_wrap(_lib.wg_empty(_ctx, _dtypes.BOOL, 0, None)))
    t = _shape_template[0]
    views = [broadcast_to(t, s) for s in shapes]
    return _broadcast_shape([v._h for v in views])


@_export
def broadcast_arrays(*args, subok=False):
    arrs = [_any_array(a) for a in args]
    shp = _broadcast_shape([a._h for a in arrs])
    return tuple(a if a._shape == shp else broadcast_to(a, shp) for a in arrs)


@_export
def copyto(dst, src, casting='same_kind', where=True):
    if where is not True:
        raise NotImplementedError('wgpy: copyto(where=) is not supported yet')
    if not isinstance(dst, ndarray):
        raise TypeError('copyto() argument 1 must be a wgpy.ndarray, not %s'
                        % type(dst).__name__)
    s = _operand(src)
    if (type(src) not in (bool, int, float) and casting != 'unsafe'
            and not can_cast(s, dst, casting)):
        raise TypeError('Cannot cast array data from %s to %s according to the rule %r'
                        % (s.dtype, dst.dtype, casting))
    _lib.check(_lib.wg_assign(_ctx, dst._h, s._h))


@_export
def shape(a):
    return tuple(a.shape) if hasattr(a, 'shape') else _any_array(a).shape


@_export
def ndim(a):
    return a.ndim if hasattr(a, 'ndim') else _any_array(a).ndim


@_export
def size(a, axis=None):
    s = a.shape if hasattr(a, 'shape') else _any_array(a).shape
    if axis is None:
        return _math.prod(s)
    return s[axis]


# ---- reductions ---------------------------------------------------------------------------
def _red(name, a, axis=None, dtype=None, out=None, keepdims=False, ddof=0, initial=None,
         where=None):
    return _core.reduce_impl(_RED[name], _any_array(a), axis, dtype, out, keepdims, ddof,
                             initial, where)


@_export
def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    return _red('sum', a, axis, dtype, out, keepdims, 0, initial, where)


@_export
def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    return _red('prod', a, axis, dtype, out, keepdims, 0, initial, where)


@_export
def amin(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    return _red('min', a, axis, None, out, keepdims, 0, initial, where)


@_export
def amax(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    return _red('max', a, axis, None, out, keepdims, 0, initial, where)


_export(amin, 'min')
_export(amax, 'max')


@_export
def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    return _red('mean', a, axis, dtype, out, keepdims, 0, None, where)


@_export
def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None):
    return _red('var', a, axis, dtype, out, keepdims, ddof, None, where)


@_export
def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None):
    return _red('std', a, axis, dtype, out, keepdims, ddof, None, where)


@_export
def argmin(a, axis=None, out=None, *, keepdims=False):
    return _any_array(a).argmin(axis, out, keepdims)


@_export
def argmax(a, axis=None, out=None, *, keepdims=False):
    return _any_array(a).argmax(axis, out, keepdims)


@_export
def any(a, axis=None, out=None, keepdims=False, *, where=None):
    return _red('any', a, axis, None, out, keepdims, 0, None, where)


@_export
def all(a, axis=None, out=None, keepdims=False, *, where=None):
    return _red('all', a, axis, None, out, keepdims, 0, None, where)


# ---- dtype queries --------------------------------------------------------------------------
def _strong_code(x):
    """Engine code of an array's or dtype's type, under the 64-bit policy (as the dtype an array
    of it would have; no warning: these are queries)."""
    if isinstance(x, ndarray):
        return x._dt
    if _np is not None and isinstance(x, (_np.ndarray, _np.generic)):
        return _canonical[_dtypes.code_of(x.dtype)]
    return _canonical[_dtypes.code_of(x)]


@_export
def result_type(*arrays_and_dtypes):
    """NumPy's result_type: arrays and dtypes are strong, Python scalars weak (NEP 50)."""
    kinds = []
    for x in arrays_and_dtypes:
        t = type(x)
        if t is bool:
            kinds.append((_dtypes.BOOL, _lib.WEAK_BOOL))
        elif t is int:
            kinds.append((_dtypes.INT64, _lib.WEAK_INT))
        elif t is float:
            kinds.append((_dtypes.FLOAT64, _lib.WEAK_FLOAT))
        elif t is complex:
            kinds.append((_dtypes.COMPLEX128, _lib.WEAK_COMPLEX))
        else:
            kinds.append((_strong_code(x), _lib.WEAK_NONE))
    if len(kinds) > len(_lib.i32a):
        raise ValueError('wgpy: too many arguments to result_type')
    return _OBJS[_result_code(kinds)]


@_export
def can_cast(from_, to, casting='safe'):
    if type(from_) in (bool, int, float, complex):
        raise TypeError('can_cast() does not support Python ints, floats, and complex because '
                        'the result used to depend on the value.\nThis change was part of '
                        'adopting NEP 50, we may explicitly allow them again in the future.')
    try:
        c = _lib.CASTING[casting]
    except KeyError:
        raise ValueError("casting must be one of 'no', 'equiv', 'safe', 'same_kind', or "
                         "'unsafe'") from None
    return _b.bool(_lib.wg_can_cast(_strong_code(from_), _strong_code(to), c))


@_export
def promote_types(type1, type2):
    a, b = _strong_code(type1), _strong_code(type2)
    r = _lib.wg_promote_types(a, b)
    if r < 0:
        raise TypeError('The DTypes %s and %s do not have a common DType'
                        % (_OBJS[a], _OBJS[b]))
    return _OBJS[_canonical[r]]


@_export
def get_array_module(*args):
    """wgpy if any argument is a wgpy.ndarray, else numpy (wgpy when numpy is missing)."""
    for a in args:
        if isinstance(a, ndarray):
            return _sys.modules['wgpy']
    return _np if _np is not None else _sys.modules['wgpy']


# ---- runtime: sync, counters, memory ----------------------------------------------------------
@_export
def sync():
    """Run everything recorded so far (a sync point)."""
    _lib.check(_lib.wg_sync(_ctx))


@_export
def counters():
    """The engine's counters (kernels launched, ops fused, bytes moved...) as a dict."""
    n = len(_lib.COUNTER_NAMES)
    buf = (_lib.c_int64 * _b.max(n, 1))()
    _lib.wg_counters(_ctx, buf)
    return {name: buf[i] for i, name in enumerate(_lib.COUNTER_NAMES)}


@_export
def reset_counters():
    _lib.wg_counters_reset(_ctx)


@_export
def get_backend_name():
    return _lib.wg_backend_name(_ctx).decode()


@_export
def memory_pool_stats():
    """The engine's memory pool: used/free/total/limit/peak bytes, allocations, reuses."""
    buf = (_lib.c_int64 * len(_lib.POOL_STATS))()
    _lib.wg_pool_stats(_ctx, buf)
    return {name: buf[i] for i, name in enumerate(_lib.POOL_STATS)}


class MemoryPool:
    """CuPy's MemoryPool interface over the engine's one pool."""

    def used_bytes(self):
        return memory_pool_stats()['used_bytes']

    def free_bytes(self):
        return memory_pool_stats()['free_bytes']

    def total_bytes(self):
        return memory_pool_stats()['total_bytes']

    def get_limit(self):
        return memory_pool_stats()['limit_bytes']

    def set_limit(self, size=None, fraction=None):
        if fraction is not None:
            raise NotImplementedError('wgpy: set_limit(fraction=) is not supported')
        _lib.wg_pool_set_limit(_ctx, int(size or 0))

    def free_all_blocks(self, stream=None):
        _lib.wg_pool_free_all(_ctx)

    def n_free_blocks(self):
        return 0

    def __repr__(self):
        return '<wgpy MemoryPool %r>' % (memory_pool_stats(),)


_POOL = MemoryPool()
_export(MemoryPool, 'MemoryPool')


@_export
def get_default_memory_pool():
    return _POOL


# ---- numpy ufunc dispatch table (ndarray.__array_ufunc__) --------------------------------
for _name in _lib.UNARY_OPS + _lib.BINARY_OPS:
    _core._UFUNCS[_name] = globals()[_name]
_core._UFUNCS.update({'matmul': matmul, 'divmod': divmod, 'signbit': signbit})
for _alias, _name in _ALIASES.items():  # numpy ufuncs whose __name__ is the alias
    if _name in _core._UFUNCS:
        _core._UFUNCS.setdefault(_alias, _core._UFUNCS[_name])
