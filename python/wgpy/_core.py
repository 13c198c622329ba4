"""wgpy.ndarray and the conversions every function shares (Python values -> engine arrays, engine
arrays -> Python values).  Semantics (promotion, broadcasting, index resolution, casting) live in
the engine: this module only normalizes arguments into C calls and wraps the handles that come
back.
"""

import math
import operator
import struct
import warnings
from ctypes import c_char

from . import _dtypes, _lib
from ._lib import np

# ---- hot-path globals ---------------------------------------------------------------------
ctx = _lib.ctx
_info = _lib.info
_infov = _lib.info_view
_SHAPE_AT = tuple(st.unpack_from for st in _lib.info_shape)
_HANDOFF = _lib.INFO_HANDOFF
_hand_off = _lib.hand_off
_error = _lib.error
_check = _lib.check
_i64 = _lib.i64
_buf0 = _lib.buf0
_buf1 = _lib.buf1
_items = _lib.items
_release = _lib.fast('wg_release')
_wg_scalar = _lib.wg_scalar
_wg_unary = _lib.fast('wg_unary')
_wg_binary = _lib.fast('wg_binary')
# the operators' short forms: fewer, non-negative ctypes arguments (wgpy.h wg_binop)
_wg_unop = _lib.fast('wg_unop')
_wg_binop = _lib.fast('wg_binop')
_wg_binop_into = _lib.fast('wg_binop_into')
_wg_index = _lib.fast('wg_index')
_wg_assign = _lib.fast('wg_assign')
_wg_reduce = _lib.wg_reduce
_wg_matmul = _lib.fast('wg_matmul')
_wg_dot = _lib.fast('wg_dot')
_wg_read = _lib.wg_read
_wg_copy = _lib.fast('wg_copy')
_wg_astype = _lib.fast('wg_astype')
_wg_reshape = _lib.fast('wg_reshape')
_wg_transpose = _lib.fast('wg_transpose')
_wg_clip = _lib.fast('wg_clip')
_wg_from_strided = _lib.wg_from_strided
_wg_from_data = _lib.wg_from_data
_canonical = _lib.canonical

_OBJS = _dtypes.OBJS
_SIZE = _dtypes.SIZE
_KIND = _dtypes.KIND
_STRUCT = _dtypes.STRUCT
_NP_CODES = _dtypes.NP_CODES

_S0, _S1 = _lib.INFO_SHAPE, _lib.INFO_STRIDES
_SHAPE_OFF = _S0 * 8  # the shape's byte offset in the info block
_OWNDATA = _lib.FLAG_OWNDATA
_WRITEABLE = _lib.FLAG_WRITEABLE
_WEAK_BOOL, _WEAK_INT, _WEAK_FLOAT, _WEAK_NONE = (_lib.WEAK_BOOL, _lib.WEAK_INT,
                                                  _lib.WEAK_FLOAT, _lib.WEAK_NONE)
_UNSAFE = _lib.CASTING['unsafe']
_BOOL, _INT64, _UINT64, _FLOAT64 = _dtypes.BOOL, _dtypes.INT64, _dtypes.UINT64, _dtypes.FLOAT64
_OP = _lib.OPS
_POWER = _OP['power']
_EQUAL, _NOT_EQUAL = _OP['equal'], _OP['not_equal']
_RED = _lib.REDUCE
_STAT_REDUCTIONS = tuple(_RED[n] for n in ('mean', 'var', 'std') if n in _RED)
_new = object.__new__
_I64_MIN, _I64_MAX = -(1 << 63), (1 << 63) - 1
_TWO64 = 1 << 64
_COMPLEX_MSG = _dtypes._COMPLEX_MSG
_WEAK_COMPLEX = _lib.WEAK_COMPLEX
_wg_scalar_complex = _lib.wg_scalar_complex
_ADVANCED_MSG = 'wgpy: advanced (integer/boolean array) indexing is not supported yet'
_INDEX_MSG = ('only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer '
              'or boolean arrays are valid indices')
_ORD_C, _ORD_F = ord('C'), ord('F')


def exporter(namespace):
    """A decorator that puts a function into a module's namespace and its __all__ (the modules
    whose names wgpy re-exports: _funcs, _manip, _mathx, _statx, _create)."""
    names = namespace['__all__']

    def export(f, name=None):
        name = name or f.__name__
        namespace[name] = f
        if name not in names:
            names.append(name)
        return f
    return export


def _wrap(h):
    """A new ndarray owning the reference h, described by the info block the call just wrote."""
    if not h:
        raise _error()
    # the info block first: making the object may run the collector, and a finalizer there may
    # make an array, which rewrites the block
    info = _infov
    dt, flags, handoff = info[0], info[3], info[_HANDOFF]
    shape = _SHAPE_AT[info[1]](info, _SHAPE_OFF)
    a = _new(ndarray)
    a._h = h
    a._dt = dt
    a._flags = flags
    a._shape = shape
    a._est = None  # element strides: read on demand (ndarray.strides)
    a._base = None
    if handoff:
        _hand_off()
    return a


# ---- device pointers (cupy's ndarray.data, ndarray(memptr=); docs/cupy.md) ----------------------
def _data_ptr(a):
    """(ptr, buffer's address, buffer's bytes) of ndarray a (wg_data_ptr)."""
    import ctypes
    p, b, n = ctypes.c_uint64(), ctypes.c_uint64(), ctypes.c_int64()
    if _lib.wg_data_ptr(ctx, a._h, ctypes.byref(p), ctypes.byref(b), ctypes.byref(n)) < 0:
        raise _error()
    return p.value, b.value, n.value


def _ptr_view(ptr, dtype, nbytes, shape=None, strides=None):
    """A view over the array that ptr points into: dtype None is that array's; shape None is
    nbytes // itemsize elements; strides in bytes (None: C order)."""
    if dtype is None:
        probe = _wrap(_lib.wg_ptr_view(ctx, int(ptr), -1, 1, _i64(_buf0, (0,)), _i64(_lib.buf1, (0,))))
        dtype = probe.dtype
    code = _dtypes.requested(dtype)
    isz = _lib.wg_dtype_size(code)
    if shape is None:
        shape = (nbytes // isz,)
    shape = tuple(int(d) for d in shape)
    if strides is None:
        st, acc = [], isz
        for d in reversed(shape):
            st.append(acc)
            acc *= max(d, 1)
        strides = tuple(reversed(st))
    return _wrap(_lib.wg_ptr_view(ctx, int(ptr), code, len(shape), _i64(_buf0, shape),
                                  _i64(_lib.buf1, tuple(int(s) for s in strides))))


def _view(h, parent):
    a = _wrap(h)
    if not a._flags & _OWNDATA:
        b = parent._base
        a._base = parent if b is None else b
    return a


def _done_out(h, out):
    """Finish a call that wrote into `out`: drop the extra reference, give `out` back."""
    if not h:
        raise _error()
    _release(h)
    if _info[_HANDOFF]:
        _hand_off()
    return out


def _out_arg(out):
    if type(out) is tuple:
        if len(out) != 1:
            raise ValueError('wgpy: out must be a single array here')
        out = out[0]
    if not isinstance(out, ndarray):
        raise TypeError('wgpy: out must be a wgpy.ndarray, not %s' % type(out).__name__)
    return out


def _into_out(r, out):
    """r handed out through out=: r itself where out is None, else r assigned into out, and out."""
    if out is None:
        return r
    o = _out_arg(out)
    _check(_wg_assign(ctx, o._h, r._h))
    return o


# ---- Python scalars -> engine scalars (cached: they are immutable 0-d values) ---------------
_scache = {}
_SCACHE_MAX = 512


def _cached(key, make):
    a = _scache.get(key)
    if a is None:
        a = make()
        if len(_scache) >= _SCACHE_MAX:
            _scache.clear()
        _scache[key] = a
    return a


def clear_scalar_cache():
    _scache.clear()
    _icache.clear()


# the keys of the zeros in _scache: 0.0 == -0.0 as dict keys, so a zero is not its own key
# (fastops.c looks a zero up under these too)
_ZERO_KEYS = ('+0.0', '-0.0')


def _weak_float(v):
    key = v if v else _ZERO_KEYS[math.copysign(1.0, v) < 0]
    a = _scache.get(key)
    if a is None:
        a = _cached(key, lambda: _wrap(_wg_scalar(ctx, _FLOAT64, _WEAK_FLOAT, 0, 0, v)))
    return a


def _mk_weak_int(v):
    if _I64_MIN <= v <= _I64_MAX:
        return _wrap(_wg_scalar(ctx, _INT64, _WEAK_INT, v, 0, 0.0))
    if 0 <= v < _TWO64:
        return _wrap(_wg_scalar(ctx, _UINT64, _WEAK_INT, v - _TWO64, 1, 0.0))
    raise OverflowError('Python int too large to convert to C long')


# Python ints (type int exactly, never bool) keyed by themselves in a dict of their own: an
# operator's fast path looks one up without building the ('i', v) key that _scache would need
# (1 == 1.0 == True share a hash there) and two calls more than x + 1.0's path
_icache = {}


def _weak_int(v):
    a = _icache.get(v)
    if a is None:
        a = _mk_weak_int(v)
        if len(_icache) >= _SCACHE_MAX:
            _icache.clear()
        _icache[v] = a
    return a


def _weak_bool(v):
    key = ('b', v is True)
    a = _scache.get(key)
    if a is None:
        a = _cached(key, lambda: _wrap(_wg_scalar(ctx, _BOOL, _WEAK_BOOL, 1 if v else 0, 0,
                                                  0.0)))
    return a


def _weak_complex(v):
    key = ('c', v.real, v.imag, math.copysign(1.0, v.real), math.copysign(1.0, v.imag))
    a = _scache.get(key)
    if a is None:
        a = _cached(key, lambda: _wrap(_wg_scalar_complex(ctx, 0, _WEAK_COMPLEX, v.real,
                                                          v.imag)))
    return a


def _np_scalar(x):
    """A numpy scalar: strong (it keeps its dtype, under the 64-bit policy)."""
    d = x.dtype
    k = d.kind
    code = _canonical[_dtypes.code_of(d)]
    if k == 'c':
        v = complex(x)
        return _wrap(_wg_scalar_complex(ctx, code, _WEAK_NONE, v.real, v.imag))
    if k == 'f':
        return _wrap(_wg_scalar(ctx, code, _WEAK_NONE, 0, 0, float(x)))
    v = int(x)
    if v > _I64_MAX:
        return _wrap(_wg_scalar(ctx, code, _WEAK_NONE, v - _TWO64, 1, 0.0))
    return _wrap(_wg_scalar(ctx, code, _WEAK_NONE, v, 0, 0.0))


def _operand(x):
    """x as something with a handle (an ndarray, possibly an engine scalar), or None when wgpy
    does not take this type (operators then return NotImplemented)."""
    t = type(x)
    if t is ndarray:
        return x
    if t is float:
        return _weak_float(x)
    if t is int:
        return _weak_int(x)
    if t is bool:
        return _weak_bool(x)
    if t is complex:
        return _weak_complex(x)
    if isinstance(x, ndarray):
        return x
    if np is not None:
        if isinstance(x, np.ndarray):
            return _from_numpy(x)
        if isinstance(x, np.generic):
            return _np_scalar(x)
    if isinstance(x, bool):
        return _weak_bool(bool(x))
    if isinstance(x, int):
        return _weak_int(int(x))
    if isinstance(x, float):
        return _weak_float(float(x))
    if isinstance(x, complex):
        return _weak_complex(complex(x))
    if isinstance(x, (list, tuple)):
        return asarray(x)
    if np is not None and (hasattr(x, '__array__') or hasattr(x, '__array_interface__')):
        return _from_numpy(np.asarray(x))
    return None


def operand(x):
    """_operand, raising TypeError for what wgpy cannot take (module functions)."""
    a = _operand(x)
    if a is None:
        raise TypeError('wgpy: unsupported operand type %s' % type(x).__name__)
    return a


def _dtype_repr(x):
    """NumPy's repr of the dtype an operand has (for the messages of errors NumPy raises)."""
    if isinstance(x, str):
        return "dtype('<U%d')" % len(x)
    if isinstance(x, bytes):
        return "dtype('S%d')" % len(x)
    a = _operand(x)
    return 'dtype(%r)' % (_OBJS[a._dt].name if a is not None else type(x).__name__)


def _check_no_str(name, *xs):
    """NumPy's ufuncs have no loop for a string operand: _UFuncNoLoopError (a UFuncTypeError),
    as NumPy raises it.  wgpy holds no strings, so this is all it can say about them."""
    for x in xs:
        if isinstance(x, (str, bytes)):
            from . import _exceptions
            raise _exceptions.no_loop(name, [_dtype_repr(y) for y in xs])


def _object_operand(name, x, out):
    """An operand NumPy could only hold as an object (None, an arbitrary object) for a ufunc
    writing into `out` (in-place operators, out=): NumPy's object loop cannot cast its output to
    out's dtype, a _UFuncOutputCastingError.  wgpy holds no objects; the same error."""
    if x is None or _not_comparable(x) and not isinstance(x, (str, bytes)):
        from . import _exceptions
        raise _exceptions.UFuncOutputCastingError(
            "Cannot cast ufunc '%s' output from dtype('O') to dtype('%s') with casting rule "
            "'same_kind'" % (name, _OBJS[out._dt].name), ufunc_name=name, casting='same_kind',
            from_='O', to=_OBJS[out._dt], out_i=_lib.OP_ARITY[_OP[name]])


def _bool_full(shape, value):
    """A new bool array of shape, every element value (== / != against what wgpy holds no
    dtype for: NumPy compares elementwise as objects, and no number equals None or a string)."""
    return _wrap(_lib.wg_full(ctx, _BOOL, len(shape), _i64(_buf0, shape), _weak_bool(value)._h))


def _not_comparable(x):
    """True for a right operand of == / != that NumPy compares as a Python object, element by
    element, with every element unequal (None, a str, an object without numeric meaning).  An
    object that opts out of NumPy's operators (__array_ufunc__ = None) keeps Python's protocol."""
    if getattr(type(x), '__array_ufunc__', 0) is None:
        return False
    return not isinstance(x, (list, tuple, complex))


def from_string(value, code):
    """A str/bytes fill value for an array of dtype `code`, converted as NumPy does (int(),
    float(), and for bool: non-empty is True); None when value is not a string."""
    if isinstance(value, bytes):
        value = value.decode('ascii')
    elif not isinstance(value, str):
        return None
    k = _KIND[code]
    if k == 'f':
        return float(value)
    if k == 'b':
        return len(value) > 0
    return int(value)


# ---- host data -> arrays ------------------------------------------------------------------
if np is not None:
    _NP_INT_IS_64 = np.dtype(int).itemsize == 8


def _from_numpy(arr):
    d = arr.dtype
    code = _NP_CODES.get(d)
    if code is None:
        if d.kind in 'biufc' and not d.isnative:
            arr = arr.astype(d.newbyteorder('='))
            code = _NP_CODES.get(arr.dtype)
        if code is None:
            raise TypeError('wgpy: arrays of dtype %s are not supported' % d)
    nd = arr.ndim
    shape = _i64(_buf0, arr.shape)
    strides = _i64(_buf1, arr.strides)
    # the engine converts 64-bit host data to the policy's dtype as it copies
    return _wrap(_wg_from_strided(ctx, code, nd, shape, strides, arr.ctypes.data))


def _ragged(ndim, shape):
    return ValueError('setting an array element with a sequence. The requested array has an '
                      'inhomogeneous shape after %d dimensions. The detected shape was %s + '
                      'inhomogeneous part.' % (ndim, tuple(shape)))


def _flatten(obj):
    """Nested lists/tuples -> (shape, flat list of Python scalars)."""
    shape = []
    level = [obj]
    while level:
        for i, x in enumerate(level):
            if isinstance(x, ndarray):
                level[i] = x.tolist()
        seq = [isinstance(x, (list, tuple)) for x in level]
        if all(seq):
            n = len(level[0])
            for x in level:
                if len(x) != n:
                    raise _ragged(len(shape) + 1, shape + [n])
            shape.append(n)
            level = [y for x in level for y in x]
        elif any(seq):
            raise _ragged(len(shape), shape)
        else:
            break
    return tuple(shape), level


def _from_python(obj, req):
    """Lists/tuples/scalars without numpy: pack in the natural 64-bit type of their kind, let the
    engine convert to the dtype it chose (wg_result_type over the elements' weak kinds)."""
    shape, flat = _flatten(obj)
    kinds = set()
    big = neg = False
    for j, v in enumerate(flat):
        t = type(v)
        if t is float:
            kinds.add(_WEAK_FLOAT)
        elif t is bool:
            kinds.add(_WEAK_BOOL)
        elif t is int:
            kinds.add(_WEAK_INT)
            if v > _I64_MAX:
                big = True
            elif v < 0:
                neg = True
        elif isinstance(v, complex):
            kinds.add(_WEAK_COMPLEX)
        elif isinstance(v, bool):
            kinds.add(_WEAK_BOOL)
        elif isinstance(v, int):
            kinds.add(_WEAK_INT)
        elif isinstance(v, float):
            kinds.add(_WEAK_FLOAT)
        elif hasattr(t, '__index__'):  # an integer object (CuPy's MemoryPointer), as numpy takes it
            v = flat[j] = t.__index__(v)
            kinds.add(_WEAK_INT)
            if v > _I64_MAX:
                big = True
            elif v < 0:
                neg = True
        else:
            raise TypeError('wgpy: cannot make an array from a %s' % type(v).__name__)
    if kinds:
        ks = sorted(kinds)
        n = len(ks)
        dts = _lib.i32a
        wks = _lib.i32b
        for i, k in enumerate(ks):
            dts[i] = _dtypes.WEAK_DEFAULT[k]
            wks[i] = k
        inferred = _lib.wg_result_type(ctx, n, dts, wks)
        if inferred < 0:
            raise _error()
    else:
        inferred = _FLOAT64  # NumPy's default for an empty list
    kind = _KIND[inferred]
    if kind == 'c':
        nat, fmt = _dtypes.COMPLEX128, 'd'
        vals = [p for v in flat for p in (complex(v).real, complex(v).imag)]
    elif kind == 'f':
        nat, fmt, vals = _FLOAT64, 'd', [float(v) for v in flat]
    elif kind == 'b':
        nat, fmt, vals = _BOOL, '?', flat
    else:
        vals = [int(v) for v in flat]
        if big:
            if neg:
                raise OverflowError('Python int too large to convert to C long')
            nat, fmt = _UINT64, 'Q'
            inferred = _UINT64
        else:
            nat, fmt = _INT64, 'q'
    want = req if req is not None else _canonical[inferred]
    if kind == 'c' and _KIND[want] in 'iuf':  # as numpy: float(1j) is a TypeError
        raise TypeError('%s() argument must be a string or a real number, not \'complex\''
                        % ('float' if _KIND[want] == 'f' else 'int'))
    if kind not in 'fc' and _KIND[want] in 'iu' and vals:
        # Python ints must fit the integer dtype they become (NumPy 2 raises OverflowError)
        bits = 8 * _SIZE[want]
        lo, hi = (0, (1 << bits) - 1) if _KIND[want] == 'u' else (-(1 << (bits - 1)),
                                                                 (1 << (bits - 1)) - 1)
        for v in (min(vals), max(vals)):
            if not lo <= v <= hi:
                raise OverflowError('Python integer %d out of bounds for %s'
                                    % (v, _OBJS[want].name))
    try:
        data = struct.pack('<%d%s' % (len(vals), fmt), *vals)
    except struct.error as e:
        raise OverflowError(str(e)) from None
    a = _wrap(_wg_from_data(ctx, nat, len(shape), _i64(_buf0, shape), data))
    if a._dt != want:
        a = _wrap(_wg_astype(ctx, a._h, want, _UNSAFE, 0))
    return a


def asarray_impl(obj, dtype=None, copy=None, order=None, ndmin=0):
    req = None if dtype is None else _dtypes.requested(dtype)
    if isinstance(obj, ndarray):
        a = obj
        if req is not None and req != a._dt:
            if copy is False:
                raise ValueError('Unable to avoid copy while creating an array as requested.')
            a = _wrap(_wg_astype(ctx, a._h, req, _UNSAFE, 1))
        elif copy:
            a = _wrap(_wg_copy(ctx, a._h, order_char(order, a)))
    else:
        if copy is False:  # host data always crosses to the engine: a copy
            raise ValueError('Unable to avoid copy while creating an array as requested.')
        if np is None:
            a = _from_python(obj, req)
        elif isinstance(obj, np.ndarray):
            a = _from_numpy(obj)
        else:
            arr = np.asarray(obj, dtype=None if req is None else _OBJS[req])
            if req is None and arr.dtype.kind in 'iu' and not isinstance(obj, np.generic):
                # Python ints become the canonical int dtype and must fit it (NEP 50: an
                # OverflowError, never a wrapped value); numpy checks when asked for that dtype
                code = _NP_CODES.get(arr.dtype)
                if code is not None:
                    if not _NP_INT_IS_64 and arr.dtype == np.dtype(int):
                        code = _INT64  # wasm32 numpy makes Python ints int32
                    want = _OBJS[_canonical[code]]
                    if want != arr.dtype:
                        arr = np.asarray(obj, dtype=want)
            a = _from_numpy(arr)
        if req is not None and req != a._dt:
            a = _wrap(_wg_astype(ctx, a._h, req, _UNSAFE, 0))
    if order == 'F' and len(a._shape) > 1 and not a._flags & _lib.FLAG_F:
        a = _wrap(_wg_copy(ctx, a._h, _ORD_F))
    if ndmin > len(a._shape):
        shp = (1,) * (ndmin - len(a._shape)) + a._shape
        a = _view(_wg_reshape(ctx, a._h, len(shp), _i64(_buf0, shp), _ORD_C), a)
    return a


def asarray(obj, dtype=None):
    return asarray_impl(obj, dtype)


# ---- arrays -> host data ------------------------------------------------------------------
def _nest(flat, shape):
    if not shape:
        return flat[0]
    if 0 in shape:
        def build(s):
            # reached only while the leading dims are nonzero: a 1-d tail is the empty one
            return [] if len(s) == 1 else [build(s[1:]) for _ in range(s[0])]
        return build(shape)
    for d in reversed(shape[1:]):
        flat = [flat[i:i + d] for i in range(0, len(flat), d)]
    return flat


def _read_flat(a):
    """The array's elements, C order, as a flat list of Python scalars (no numpy needed)."""
    code = a._dt
    n = math.prod(a._shape)
    nbytes = n * _SIZE[code]
    buf = bytearray(nbytes)
    _check(_wg_read(ctx, a._h, (c_char * nbytes).from_buffer(buf) if nbytes else None, nbytes))
    fmt = _STRUCT[code]
    if fmt == 'e':
        return list(struct.unpack('<%de' % n, buf))
    if fmt in 'FD':
        parts = memoryview(buf).cast('f' if fmt == 'F' else 'd').tolist()
        return [complex(parts[i], parts[i + 1]) for i in range(0, 2 * n, 2)]
    return memoryview(buf).cast(fmt).tolist()


def to_numpy(a, out=None):
    if np is None:
        raise RuntimeError('wgpy: numpy is not installed (use .tolist() instead)')
    if out is not None and (out.shape != a._shape or out.dtype != _OBJS[a._dt]
                            or not out.flags.c_contiguous or not out.flags.writeable):
        tmp = to_numpy(a)
        np.copyto(out, tmp)
        return out
    if out is None:
        out = np.empty(a._shape, dtype=_OBJS[a._dt])
    _check(_wg_read(ctx, a._h, out.ctypes.data, out.nbytes))
    return out


# ---- indexing -----------------------------------------------------------------------------
def _slice_bound(v):
    if v is None:
        return _lib.IDX_NONE
    if type(v) is not int:
        try:
            v = operator.index(v)
        except TypeError:
            raise TypeError('slice indices must be integers or None or have an __index__ '
                            'method') from None
    if v > _I64_MAX:
        return _I64_MAX
    if v <= _I64_MIN:
        return _I64_MIN + 1
    return v


def _encode_index(key):
    """Basic-index items, 4 int64 each (wgpy.h WG_IDX_*), as a flat list."""
    if type(key) is not tuple:
        key = (key,)
    out = []
    for k in key:
        t = type(k)
        if t is int:
            if not _I64_MIN <= k <= _I64_MAX:
                raise IndexError(_INDEX_MSG)
            out += (0, k, 0, 0)
        elif t is slice:
            step = k.step
            out += (1, _slice_bound(k.start), _slice_bound(k.stop),
                    1 if step is None else _slice_bound(step))
        elif k is None:
            out += (2, 0, 0, 0)
        elif k is Ellipsis:
            out += (3, 0, 0, 0)
        elif t is bool or t is list or (np is not None and isinstance(k, np.bool_)):
            raise NotImplementedError(_ADVANCED_MSG)
        elif isinstance(k, ndarray) or (np is not None and isinstance(k, np.ndarray)):
            if k.ndim == 0 and k.dtype.kind in 'iu':
                out += (0, int(k), 0, 0)
            else:
                raise NotImplementedError(_ADVANCED_MSG)
        elif isinstance(k, tuple):
            raise NotImplementedError(_ADVANCED_MSG)
        else:
            try:
                i = operator.index(k)
            except TypeError:
                raise IndexError(_INDEX_MSG) from None
            if not _I64_MIN <= i <= _I64_MAX:
                raise IndexError(_INDEX_MSG)
            out += (0, i, 0, 0)
    return out


def _index_handle(a, key):
    """wg_index(a, key): a new reference to the view (raises on error)."""
    if type(key) is int and _I64_MIN <= key <= _I64_MAX:
        it = _items
        it[0] = 0
        it[1] = key
        h = _wg_index(ctx, a._h, 1, it)
    else:
        flat = _encode_index(key)
        n = len(flat)
        if n <= len(_items):
            _items[:n] = flat
            it = _items
        else:
            it = (_lib.c_int64 * n)(*flat)
        h = _wg_index(ctx, a._h, n // 4, it)
    if not h:
        raise _error()
    return h


# ---- advanced indexing (integer arrays; api/index.c) ---------------------------------------
_MODES = {'raise': 0, 'wrap': 1, 'clip': 2}
_MASK_MSG = ('wgpy: boolean array indices are not supported yet (they become index arrays '
             'through nonzero)')


def _adv_item(k):
    t = type(k)
    if t is list or t is tuple or t is bool:
        return True
    if t is ndarray or isinstance(k, ndarray):
        return k._shape != () or k._dt == _BOOL
    if np is not None and isinstance(k, (np.ndarray, np.bool_)):
        return k.ndim != 0 or k.dtype == np.bool_
    return False


def _is_advanced(key):
    if type(key) is tuple:
        for k in key:
            if _adv_item(k):
                return True
        return False
    return _adv_item(key)


def _index_array(k, allow_mask=False):
    """An index item as an integer ndarray (lists, tuples, numpy arrays, 0-d arrays, ints); with
    allow_mask, a boolean array comes back as it is (the caller expands it through nonzero)."""
    if type(k) is bool or (np is not None and isinstance(k, np.bool_)):
        raise NotImplementedError(_MASK_MSG)
    if not isinstance(k, ndarray):
        k = asarray_impl(k)
        if k._dt != _BOOL and _lib.DTYPE_KIND[k._dt] == 'f' and k.size == 0:
            k = k.astype('int32')  # NumPy: an empty list indexes as intp
    if k._dt == _BOOL and not (allow_mask and k._shape):
        raise NotImplementedError(_MASK_MSG)
    return k


def _consumed(k):
    """How many of the array's dims an index item takes (None/Ellipsis: 0 here)."""
    if k is None or k is Ellipsis:
        return 0
    if _adv_item(k):
        t = type(k)
        if isinstance(k, ndarray):
            return k.ndim if k._dt == _BOOL else 1
        if np is not None and isinstance(k, np.ndarray):
            return k.ndim if k.dtype == np.bool_ else 1
        if t is list and k and all(type(x) is bool for x in k):
            return 1
    return 1


def _encode_adv(key, force_last=False, shape=None):
    """(items, arrays) for wg_adv_*: advanced items become WG_IDX_ARRAY {4, k, 0, 0}; with
    force_last, the last item is an index array even when it is a 0-d one (take).  A boolean
    array among them becomes its nonzero() index arrays (one host read of its count, counted in
    host_syncs_for_size), after NumPy's check of its shape against the dims it indexes."""
    if type(key) is not tuple:
        key = (key,)
    items, arrays = [], []
    last = len(key) - 1
    axis = 0
    nd = len(shape) if shape is not None else 0
    total = 0
    for k in key:
        total += _consumed(k)
    for i, k in enumerate(key):
        if k is Ellipsis:
            axis += nd - total
        if (force_last and i == last) or _adv_item(k):
            arr = _index_array(k, allow_mask=shape is not None)
            if arr._dt == _BOOL:
                for j in range(arr.ndim):  # (NumPy lets an empty mask's shape mismatch)
                    if axis + j >= nd or (arr._shape[j] != shape[axis + j] and arr.size):
                        if axis + j >= nd:
                            raise IndexError('too many indices for array: array is '
                                             '%d-dimensional, but %d were indexed' % (nd, total))
                        raise IndexError('boolean index did not match indexed array along axis '
                                         '%d; size of axis is %d but size of corresponding '
                                         'boolean axis is %d' % (axis + j, shape[axis + j],
                                                                 arr._shape[j]))
                from . import _scan
                for c in _scan.nonzero(arr):
                    items += (4, len(arrays), 0, 0)
                    arrays.append(c)
                axis += arr.ndim
                continue
            items += (4, len(arrays), 0, 0)
            arrays.append(arr)
        else:
            items += _encode_index((k,))
        axis += 0 if k is Ellipsis else (_consumed(k) if k is not None else 0)
    return items, arrays


def _adv_args(key, force_last, shape=None):
    items, arrays = _encode_adv(key, force_last, shape)
    it = (_lib.c_int64 * max(len(items), 1))(*items)
    hs = (_lib.c_void_p * max(len(arrays), 1))(*[x._h for x in arrays])
    return len(items) // 4, it, len(arrays), hs, arrays


def _adv_check(a, n, it, na, hs):
    """Mode raise: the engine's bounds summary [k, value], read here (one read; the stream
    backends' reads run through the host), and NumPy's IndexError when k >= 0.  Index arrays
    that passed a check and have not been written since need none (wg_adv_bounds_known)."""
    if _lib.wg_adv_bounds_known(ctx, a._h, n, it, na, hs):
        return
    h = _lib.wg_adv_bounds(ctx, a._h, n, it, na, hs)
    if not h:
        raise _error()
    k, v = _wrap(h).tolist()
    _check(_lib.wg_adv_bounds_error(ctx, a._h, n, it, na, hs, k, v))


_ONE_ARRAY = (_lib.c_int64 * 4)(4, 0, 0, 0)  # the key (index array 0,): WG_IDX_ARRAY


def adv_get_one(a, k):
    """a[k] for one integer index array k, the common gather: the key's encoding is constant."""
    hs = (_lib.c_void_p * 1)(k._h)
    if not _lib.wg_adv_bounds_known(ctx, a._h, 1, _ONE_ARRAY, 1, hs):
        _adv_check(a, 1, _ONE_ARRAY, 1, hs)
    h = _lib.wg_adv_get(ctx, a._h, 1, _ONE_ARRAY, 1, hs, 0)
    if not h:
        raise _error()
    return _wrap(h)


def _adv_get(a, key, mode, force_last=False):
    """wg_adv_get(a, key): a new reference (raises on error)."""
    n, it, na, hs, keep = _adv_args(key, force_last, a._shape)
    if mode == 0 and na:
        _adv_check(a, n, it, na, hs)
    h = _lib.wg_adv_get(ctx, a._h, n, it, na, hs, mode)
    if not h:
        raise _error()
    return h


def _adv_set(a, key, v, mode, op, force_last=False):
    """wg_adv_set: a[key] = v (op -1) or ufunc.at (op: a binary op code)."""
    n, it, na, hs, keep = _adv_args(key, force_last, a._shape)
    if mode == 0 and na:
        _adv_check(a, n, it, na, hs)
    _check(_lib.wg_adv_set(ctx, a._h, n, it, na, hs, v._h, mode, op))


def mode_arg(mode):
    try:
        return _MODES[mode]
    except (KeyError, TypeError):
        raise ValueError("clipmode must be one of 'clip', 'raise', or 'wrap'") from None


# ---- argument normalization ---------------------------------------------------------------
def shape_arg(shape):
    t = type(shape)
    if t is int:
        return (shape,)
    if t is tuple:
        for s in shape:
            if type(s) is not int:
                return tuple(operator.index(s) for s in shape)
        return shape
    try:
        return (operator.index(shape),)
    except TypeError:
        pass
    return tuple(operator.index(s) for s in shape)


def axes_arg(axis):
    """axis (int, sequence or None) -> (naxes, int64 buffer or None); None means all axes."""
    if axis is None:
        return -1, None
    if type(axis) is int:
        _buf0[0] = axis
        return 1, _buf0
    if isinstance(axis, (tuple, list)):
        ax = [operator.index(x) for x in axis]
        return len(ax), _i64(_buf0, ax)
    _buf0[0] = operator.index(axis)
    return 1, _buf0


def order_char(order, a=None, allow_k=True):
    if order is None or order == 'C' or order == 'c':
        return _ORD_C
    if order == 'F' or order == 'f':
        return _ORD_F
    if order in ('A', 'a', 'K', 'k'):
        if order in ('K', 'k') and not allow_k:
            raise ValueError("order 'K' is not permitted for reshaping")
        if a is not None and a._flags & _lib.FLAG_F and not a._flags & _lib.FLAG_C:
            return _ORD_F
        return _ORD_C
    raise ValueError("order must be one of 'C', 'F', 'A', or 'K' (got %r)" % (order,))


def dtype_arg(dtype):
    return -1 if dtype is None else _dtypes.requested(dtype)


_MASKED_FILL = {'sum': 0, 'prod': 1, 'any': False, 'all': True}
_INITIAL_OP = {'sum': 'add', 'prod': 'multiply', 'max': 'maximum', 'min': 'minimum'}
_UFUNC_OF = {'sum': 'add', 'prod': 'multiply', 'max': 'maximum', 'min': 'minimum',
             'any': 'logical_or', 'all': 'logical_and'}


def _reduce_masked(rop, a, axis, dtype, out, keepdims, ddof, initial, where):
    """initial= and where= (issue 10, ufunc.reduce): masked points become the reduction's
    identity (or `initial`) through a fused where(); `initial` joins the result elementwise."""
    name = _lib.REDUCE_NAMES[rop]
    if name not in _UFUNC_OF or (initial is not None and name in ('any', 'all')):
        raise NotImplementedError('wgpy: %s with %s is not supported yet'
                                  % (name, 'initial=' if initial is not None else 'where='))
    if initial is not None and (isinstance(initial, ndarray) or type(initial) not in
                                (int, float, bool)):
        initial = operand(initial).item() if operand(initial).ndim == 0 else initial
    if where is not None and where is not True:
        fill = _MASKED_FILL.get(name, initial)
        if fill is None:
            raise ValueError("reduction operation '%s' does not have an identity, so to use a "
                             "where mask one has to specify 'initial'" % _UFUNC_OF[name])
        w = operand(where)
        h = _lib.wg_where(ctx, w._h, a._h, operand(fill)._h, None)
        a2 = _wrap(h)
        if a2._dt != a._dt:
            a2 = a2.astype(_OBJS[a._dt])
        if a2._shape != a._shape:
            raise ValueError('operands could not be broadcast together with shapes %s %s'
                             % (a._shape, w._shape))
        a = a2
    naxes, ax = axes_arg(axis)
    empty = a.size == 0 if naxes < 0 else any(
        a._shape[int(x) % max(a.ndim, 1)] == 0 for x in (axis if isinstance(axis, (tuple, list))
                                                          else (axis,)) if a.ndim)
    if initial is not None and name in ('max', 'min') and empty:
        shp = reduce_impl(_lib.REDUCE['sum'], a, axis, None, None, keepdims).shape
        from . import _funcs
        r = _funcs.full(shp, initial, dtype=_OBJS[a._dt])
    else:
        r = reduce_impl(rop, a, axis, dtype, None, keepdims, ddof)
        if initial is not None:
            # a 0-d array of r's dtype (a Python float is float64, which a device may lack)
            i0 = _wrap(_lib.wg_full(ctx, r._dt, 0, None, operand(initial)._h))
            r = _wrap(_wg_binary(ctx, _OP[_INITIAL_OP[name]], r._h, i0._h, None, -1))
    return _into_out(r, out)


def reduce_impl(rop, a, axis, dtype, out, keepdims, ddof=0, initial=None, where=None):
    if initial is not None or (where is not None and where is not True):
        return _reduce_masked(rop, a, axis, dtype, out, keepdims, ddof, initial, where)
    if not a._shape and axis is not None and not isinstance(axis, (tuple, list)) and \
            rop not in _STAT_REDUCTIONS and operator.index(axis) in (0, -1):
        axis = None  # NumPy: a 0-d array takes one integer axis 0 or -1 (not mean/var/std)
    naxes, ax = axes_arg(axis)
    dt = -1 if dtype is None else _dtypes.requested(dtype)
    if out is None:
        return _wrap(_wg_reduce(ctx, rop, a._h, naxes, ax, 1 if keepdims else 0, dt, int(ddof),
                                None))
    o = _out_arg(out)
    return _done_out(_wg_reduce(ctx, rop, a._h, naxes, ax, 1 if keepdims else 0, dt, int(ddof),
                                o._h), o)


def clip_impl(a, lo, hi, out):
    lo = None if lo is None else operand(lo)
    hi = None if hi is None else operand(hi)
    lh = None if lo is None else lo._h
    hh = None if hi is None else hi._h
    if out is None:
        return _wrap(_wg_clip(ctx, a._h, lh, hh, None))
    o = _out_arg(out)
    return _done_out(_wg_clip(ctx, a._h, lh, hh, o._h), o)


def unary_impl(code, x, out=None, dtype=None):
    if isinstance(x, (str, bytes)):
        _check_no_str(_lib.OP_NAMES[code], x)
    a = operand(x)
    dt = -1 if dtype is None else _dtypes.requested(dtype)
    if out is None:
        return _wrap(_wg_unop(code, a._h) if dt < 0 else _wg_unary(ctx, code, a._h, None, dt))
    o = _out_arg(out)
    return _done_out(_wg_unary(ctx, code, a._h, o._h, dt), o)


_NEG_POWER = 'Integers to negative integer powers are not allowed.'


def _int_power_guard(base, exp, dtype=None, out=None):
    """A kernel cannot raise when it is recorded (and a GPU kernel cannot raise at all): before
    an integer power with an array exponent, look for a negative exponent here and raise NumPy's
    ValueError at the operation, as NumPy does, rather than at a later read (the engine checks a
    Python-int exponent itself).  Costs one small reduction and a one-byte read, for integer
    powers with array exponents only."""
    if not isinstance(exp, ndarray) or exp.dtype.kind != 'i':
        return
    from . import _funcs
    try:
        loop = _funcs.result_type(base, exp) if dtype is None else \
            _dtypes.OBJS[_dtypes.code_of(dtype)]
    except TypeError:
        return  # the operation raises its own error
    shapes = [_funcs.shape(base), exp._shape]
    try:
        empty = math.prod(_funcs.broadcast_shapes(*shapes)) == 0
    except ValueError:
        return  # the operation raises its own error
    if loop.kind in 'iu' and not empty and bool((exp < 0).any()):
        # NumPy finds negative powers when its loop runs (so not for no elements): the errors it
        # finds before come first
        if out is not None:
            o = _out_arg(out)
            if not o._flags & _lib.FLAG_WRITEABLE:
                raise ValueError('output array is read-only')
            if not _funcs.can_cast(loop, o.dtype, 'same_kind'):
                from . import _exceptions
                raise _exceptions.classify(
                    "Cannot cast ufunc 'power' output from dtype('%s') to dtype('%s') with "
                    "casting rule 'same_kind'" % (loop.name, o.dtype.name))
            shapes.append(o._shape)
        _funcs.broadcast_shapes(*shapes)  # raises NumPy's ValueError for shapes that mismatch
        if out is not None and _funcs.broadcast_shapes(*shapes) != o._shape:
            raise ValueError('non-broadcastable output operand with shape %s doesn\'t match the '
                             'broadcast shape %s' % (o._shape, _funcs.broadcast_shapes(*shapes)))
        raise ValueError(_NEG_POWER)


def binary_impl(code, x1, x2, out=None, dtype=None):
    if code == _POWER:
        _int_power_guard(x1, x2 if type(x2) in (int, float, bool) or x2 is None or
                         isinstance(x2, (ndarray, str, bytes)) else _operand(x2), dtype, out)
    t1, t2 = type(x1), type(x2)
    if t1 is str or t2 is str or t1 is bytes or t2 is bytes:
        _check_no_str(_lib.OP_NAMES[code], x1, x2)
    if (x2 is None or x1 is None) and (code == _EQUAL or code == _NOT_EQUAL):
        # NumPy compares with None as objects: every element unequal
        a = operand(x1 if x2 is None else x2)
        return _into_out(_bool_full(a._shape, code == _NOT_EQUAL), out)
    a = x1 if t1 is ndarray else _operand(x1)
    b = x2 if t2 is ndarray else _operand(x2)
    if a is None or b is None:
        bad = x1 if a is None else x2
        if out is not None:
            _object_operand(_lib.OP_NAMES[code], bad, _out_arg(out))
        operand(bad)  # raises
    dt = -1 if dtype is None else _dtypes.requested(dtype)
    if out is None:
        return _wrap(_wg_binop(code, a._h, b._h) if dt < 0
                     else _wg_binary(ctx, code, a._h, b._h, None, dt))
    o = _out_arg(out)
    return _done_out(_wg_binary(ctx, code, a._h, b._h, o._h, dt), o)


def _complex_into_real(value, code):
    """NumPy: a Python complex into a real array is a TypeError; a complex array or numpy
    scalar warns ComplexWarning and keeps the real part."""
    if isinstance(value, complex) and not (np is not None and isinstance(value, np.generic)):
        raise TypeError('%s() argument must be a string or a real number, not \'complex\''
                        % ('float' if _KIND[code] == 'f' else 'int'))
    from . import _exceptions
    warnings.warn('Casting complex values to real discards the imaginary part',
                  _exceptions.ComplexWarning, stacklevel=3)


def conj_impl(a, out):
    """NumPy's conjugate: the complex conjugate; a copy for real dtypes."""
    o = _out_arg(out)._h if out is not None else None
    h = _lib.wg_conjugate(ctx, a._h, o)
    return _done_out(h, out) if out is not None else _wrap(h)


def matmul_impl(x1, x2, out=None, dot=False):
    a = operand(x1)
    b = operand(x2)
    f = _wg_dot if dot else _wg_matmul
    if out is None:
        return _wrap(f(ctx, a._h, b._h, None))
    o = _out_arg(out)
    return _done_out(f(ctx, a._h, b._h, o._h), o)


# ---- small attribute objects -------------------------------------------------------------
class Flags:
    """ndarray.flags: c_contiguous, f_contiguous, owndata, writeable (read-only)."""
    __slots__ = ('_f',)
    _KEYS = {'C_CONTIGUOUS': 1, 'CONTIGUOUS': 1, 'C': 1, 'F_CONTIGUOUS': 2, 'FORTRAN': 2, 'F': 2,
             'OWNDATA': 4, 'O': 4, 'WRITEABLE': 8, 'W': 8}

    def __init__(self, f):
        self._f = f

    c_contiguous = property(lambda self: bool(self._f & 1))
    f_contiguous = property(lambda self: bool(self._f & 2))
    owndata = property(lambda self: bool(self._f & 4))
    writeable = property(lambda self: bool(self._f & 8))
    contiguous = c_contiguous
    fortran = property(lambda self: bool(self._f & 2) and not self._f & 1)

    def __getitem__(self, key):
        try:
            return bool(self._f & self._KEYS[key.upper()])
        except (KeyError, AttributeError):
            raise KeyError(key) from None

    def __eq__(self, other):
        return isinstance(other, Flags) and other._f == self._f

    def __repr__(self):
        return ''.join('  %s : %s\n' % (k, self[k]) for k in
                       ('C_CONTIGUOUS', 'F_CONTIGUOUS', 'OWNDATA', 'WRITEABLE'))


class Device:
    """The device an array lives on (one per process: the engine's context)."""
    __slots__ = ()
    id = 0
    compute_capability = '00'  # CuPy's attribute; no CUDA architecture here

    def __init__(self, device=None):
        # CuPy's Device(id): only the one device (0) exists
        if device is not None and not isinstance(device, Device) and int(device) != 0:
            raise ValueError('wgpy has one device (id 0), not %r' % (device,))

    @property
    def name(self):
        return _lib.wg_backend_name(ctx).decode()

    def synchronize(self):
        _check(_lib.wg_sync(ctx))

    use = synchronize

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __eq__(self, other):
        return isinstance(other, Device)

    def __hash__(self):
        return 0

    def __int__(self):
        return 0

    def __repr__(self):
        return '<wgpy Device 0 (%s)>' % self.name


DEVICE = Device()
_UFUNCS = {}  # numpy ufunc name -> wgpy function (filled by _funcs), for __array_ufunc__


# ---- the array ----------------------------------------------------------------------------
class ndarray:
    """An n-dimensional array whose data the wgpy engine holds (CuPy's ndarray over wgpy).

    ``ndarray(shape, dtype=float)`` makes an uninitialized array, as in NumPy and CuPy; the
    usual ways in are wgpy.asarray / wgpy.array and the creation functions.
    """
    __slots__ = ('_h', '_dt', '_shape', '_est', '_flags', '_base', '__weakref__')
    __array_priority__ = 100.0
    __hash__ = None

    def __init__(self, shape, dtype=float, memptr=None, strides=None, order='C'):
        shp = shape_arg(shape)
        if memptr is not None:  # CuPy's view over device memory (a MemoryPointer or its address)
            a = _ptr_view(int(memptr), dtype, 0, shp, strides)
            self._h, self._dt, self._shape, self._est = a._h, a._dt, a._shape, a._est
            self._flags, self._base = a._flags, None
            a._h = None
            return
        if strides is not None:
            raise NotImplementedError('wgpy: ndarray(strides=) without memptr= is not supported')
        h = _lib.wg_empty(ctx, _dtypes.requested(dtype), len(shp), _i64(_buf0, shp))
        if h and order_char(order) == _ORD_F and len(shp) > 1:
            h2 = _wg_copy(ctx, h, _ORD_F)
            _release(h)
            h = h2
        a = _wrap(h)
        self._h, self._dt, self._shape, self._est = a._h, a._dt, a._shape, a._est
        self._flags, self._base = a._flags, None
        a._h = None

    def __del__(self, _rel=_release, _q=_lib.relq_view, _cap=_lib.RELQ_CAP):
        try:
            h = self._h
        except AttributeError:
            return
        if h:
            self._h = None
            # into the release queue (the engine releases it at its next entry), or released
            # now where the queue is full or off
            n = _q[0]
            if n < _cap:
                n += 1
                _q[n] = h
                _q[0] = n
            else:
                _rel(h)

    # -- attributes --
    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return _OBJS[self._dt]

    @property
    def ndim(self):
        return len(self._shape)

    @property
    def size(self):
        return math.prod(self._shape)

    @property
    def itemsize(self):
        return _SIZE[self._dt]

    @property
    def nbytes(self):
        return math.prod(self._shape) * _SIZE[self._dt]

    @property
    def strides(self):
        est = self._est
        if est is None:
            _lib.wg_info(ctx, self._h)
            est = self._est = tuple(_info[_S1:_S1 + len(self._shape)])
        s = _SIZE[self._dt]
        return tuple(x * s for x in est)

    @property
    def flags(self):
        return Flags(self._flags)

    @property
    def base(self):
        return self._base

    # a class attribute, not a property: Chainer reads it twice an array in
    # get_device_from_array (~140 times a CNN step); read-only through the instance (__slots__)
    device = DEVICE

    @property
    def T(self):
        return self.transpose()

    @property
    def mT(self):
        if len(self._shape) < 2:
            raise ValueError('matrix transpose with ndim < 2 is undefined')
        return self.swapaxes(-1, -2)

    @property
    def real(self):
        return _view(_lib.wg_real(ctx, self._h), self)

    @real.setter
    def real(self, value):
        dst, src = self.real, operand(value)  # both alive across the call
        _check(_wg_assign(ctx, dst._h, src._h))

    @property
    def imag(self):
        if _KIND[self._dt] != 'c':
            return _wrap(_lib.wg_imag(ctx, self._h))
        return _view(_lib.wg_imag(ctx, self._h), self)

    @imag.setter
    def imag(self, value):
        if _KIND[self._dt] != 'c':
            raise TypeError('array does not have imaginary part to set')
        dst, src = self.imag, operand(value)
        _check(_wg_assign(ctx, dst._h, src._h))

    @property
    def _c_contiguous(self):
        return Flags(self._flags)['C_CONTIGUOUS']

    def reduced_view(self, dtype=None):
        """CuPy's view with contiguous axes merged; wgpy's kernels take any strides, so the
        array itself serves."""
        return self

    # -- conversion --
    def get(self, stream=None, order='C', out=None, blocking=True):
        """The data as a numpy array (CuPy's name)."""
        r = to_numpy(self, out)
        if order == 'F' and out is None:
            r = np.asfortranarray(r)
        return r

    def set(self, arr, stream=None):
        """Overwrite the data with arr (same shape) from the host."""
        src = operand(arr)
        if src._shape != self._shape:
            raise ValueError('Shape mismatch. Old shape: %s, new shape: %s'
                             % (self._shape, src._shape))
        _check(_wg_assign(ctx, self._h, src._h))

    def tolist(self):
        if np is not None:
            return to_numpy(self).tolist()
        return _nest(_read_flat(self), self._shape)

    def item(self, *args):
        a = self
        if args:
            idx = args[0] if len(args) == 1 else args
            if type(idx) is not tuple:
                a = self.reshape(-1)[operator.index(idx)]  # a flat index
            else:
                if len(idx) != len(self._shape):
                    raise ValueError('incorrect number of indices for array')
                a = self[tuple(operator.index(i) for i in idx)]
        if math.prod(a._shape) != 1:
            raise ValueError('can only convert an array of size 1 to a Python scalar')
        return _read_flat(a)[0]

    def __array__(self, dtype=None, copy=None):
        if copy is False:
            raise ValueError('wgpy: cannot make a numpy array without copying: the data is held '
                             'by the engine')
        r = to_numpy(self)
        if dtype is not None and r.dtype != dtype:
            r = r.astype(dtype)
        return r

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        f = _UFUNCS.get(ufunc.__name__) if method == '__call__' else None
        if f is None:
            return NotImplemented
        out = kwargs.pop('out', None)
        if out is not None:
            outs = out if type(out) is tuple else (out,)
            for o in outs:
                if o is not None and not isinstance(o, ndarray):
                    raise TypeError('wgpy: cannot write a wgpy result into %s in place; '
                                    'convert with wgpy.asnumpy() first' % type(o).__name__)
            out = outs[0] if len(outs) == 1 else outs
        dtype = kwargs.pop('dtype', None)
        if kwargs:
            return NotImplemented
        return f(*inputs, out=out, dtype=dtype)

    def __repr__(self):
        if np is not None:
            return repr(to_numpy(self))
        from . import _format
        return _format.array_repr(self)

    def __str__(self):
        if np is not None:
            return str(to_numpy(self))
        from . import _format
        return _format.array_str(self)

    def __format__(self, spec):
        if not self._shape:
            return format(self.item(), spec)
        return object.__format__(self, spec)

    def __len__(self):
        if not self._shape:
            raise TypeError('len() of unsized object')
        return self._shape[0]

    def __iter__(self):
        if not self._shape:  # at iter(), as NumPy: not at the first next()
            raise TypeError('iteration over a 0-d array')
        return (self[i] for i in range(self._shape[0]))

    def __contains__(self, value):
        return bool((self == value).any())

    def __bool__(self):
        n = math.prod(self._shape)
        if n == 1:
            return bool(_read_flat(self)[0])
        if n == 0:
            raise ValueError('The truth value of an empty array is ambiguous. Use `array.size > '
                             '0` to check that an array is not empty.')
        raise ValueError('The truth value of an array with more than one element is ambiguous. '
                         'Use a.any() or a.all()')

    def _scalar_value(self):
        if self._shape:
            raise TypeError('only 0-dimensional arrays can be converted to Python scalars')
        return _read_flat(self)[0]

    def __float__(self):
        return float(self._scalar_value())

    def __int__(self):
        return int(self._scalar_value())

    def __index__(self):
        if self._shape or _KIND[self._dt] not in 'iu':
            raise TypeError('only integer scalar arrays can be converted to a scalar index')
        return _read_flat(self)[0]

    def __complex__(self):
        return complex(self._scalar_value())

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()

    def __reduce__(self):
        if np is not None:
            return (_rebuild, (to_numpy(self),))
        return (_rebuild, (self.tolist(), _OBJS[self._dt].name))

    # -- indexing --
    def __getitem__(self, key):
        t = type(key)
        if t is not int and t is not slice and _is_advanced(key):
            return _wrap(_adv_get(self, key, 0))
        return _view(_index_handle(self, key), self)

    def __setitem__(self, key, value):
        if not self._flags & _WRITEABLE:  # NumPy says so before it looks at key or value
            raise ValueError('assignment destination is read-only')
        if type(value) is list or type(value) is tuple:
            v = asarray_impl(value, _OBJS[self._dt])  # as NumPy: converted to the target dtype
        elif isinstance(value, (str, bytes)):
            v = operand(from_string(value, self._dt))
        else:
            v = operand(value)
        if _KIND[v._dt] == 'c' and _KIND[self._dt] in 'iuf':
            _complex_into_real(value, self._dt)
        if key is Ellipsis:
            _check(_wg_assign(ctx, self._h, v._h))
            return
        t = type(key)
        if t is not int and t is not slice and _is_advanced(key):
            _adv_set(self, key, v, 0, -1)
            return
        h = _index_handle(self, key)
        rc = _wg_assign(ctx, h, v._h)
        _release(h)
        _check(rc)

    # -- copies, casts, views --
    def copy(self, order='C'):
        return _wrap(_wg_copy(ctx, self._h, order_char(order, self)))

    def astype(self, dtype, order='K', casting='unsafe', subok=True, copy=True):
        code = _dtypes.requested(dtype)
        try:
            cst = _lib.CASTING[casting]
        except KeyError:
            raise ValueError("casting must be one of 'no', 'equiv', 'safe', 'same_kind', or "
                             "'unsafe'") from None
        if _KIND[self._dt] == 'c' and _KIND[code] in 'iuf':
            from . import _exceptions
            warnings.warn('Casting complex values to real discards the imaginary part',
                          _exceptions.ComplexWarning, stacklevel=2)
        if not copy and code == self._dt:
            r = self
        else:
            # the engine judges `casting` by the dtype asked for, then applies the 64-bit policy
            r = _wrap(_wg_astype(ctx, self._h, _dtypes.code_of(dtype), cst, 1 if copy else 0))
        if order in ('C', 'F'):
            o = order_char(order)
            if len(r._shape) > 1 and not r._flags & (_lib.FLAG_C if o == _ORD_C else _lib.FLAG_F):
                r = _wrap(_wg_copy(ctx, r._h, o))
        return r

    def view(self, dtype=None):
        if dtype is None or _dtypes.code_of(dtype) == self._dt:
            return _view(_index_handle(self, Ellipsis), self)
        code = _dtypes.code_of(dtype)
        part = {'complex64': 'float32', 'complex128': 'float64'}
        src, dst = _OBJS[self._dt].name, _OBJS[code].name
        if part.get(src) == dst or part.get(dst) == src:
            # complex <-> its float pairs (NumPy's layout): the last axis doubles or halves
            shp = self._shape
            if not shp:
                raise ValueError('Changing the dtype of a 0d array is only supported if the '
                                 'itemsize is unchanged')
            if shp[-1] != 1 and self.strides[-1] != _SIZE[self._dt]:
                raise ValueError('To change to a dtype of a different size, the last axis must '
                                 'be contiguous')
            if part.get(src) == dst:
                p = _view(_lib.wg_complex_pairs(ctx, self._h), self)
                return p.reshape(shp[:-1] + (2 * shp[-1],))
            if shp[-1] % 2:
                raise ValueError('When changing to a larger dtype, its size must be a divisor of '
                                 'the total size in bytes of the last axis of the array.')
            p = self.reshape(shp[:-1] + (shp[-1] // 2, 2))
            return _view(_lib.wg_pairs_complex(ctx, p._h), self)
        raise NotImplementedError('wgpy: view(dtype) is supported between a complex dtype and '
                                  'its float parts only')

    def fill(self, value):
        if isinstance(value, (str, bytes)):
            value = from_string(value, self._dt)
        _check(_wg_assign(ctx, self._h, operand(value)._h))

    def reshape(self, *shape, order='C'):
        if len(shape) == 1:
            shape = shape[0]
        shp = shape_arg(shape)
        return _view(_wg_reshape(ctx, self._h, len(shp), _i64(_buf0, shp),
                                 order_char(order, self, allow_k=False)), self)

    def transpose(self, *axes):
        if not axes or (len(axes) == 1 and axes[0] is None):
            return _view(_wg_transpose(ctx, self._h, -1, None), self)  # reversed
        if len(axes) == 1 and not isinstance(axes[0], int):
            axes = axes[0]
        ax = [operator.index(x) for x in axes]
        return _view(_wg_transpose(ctx, self._h, len(ax), _i64(_buf0, ax)), self)

    def swapaxes(self, axis1, axis2):
        return _view(_lib.wg_swapaxes(ctx, self._h, operator.index(axis1),
                                      operator.index(axis2)), self)

    def _keep_order(self):
        """self with its axes in memory order (NumPy's order='K': by decreasing |stride|, each
        axis read in its own direction)."""
        st = self.strides
        perm = sorted(range(len(st)), key=lambda i: -abs(st[i]))
        return self if perm == list(range(len(st))) else self.transpose(perm)

    def ravel(self, order='C'):
        """A view when the array is contiguous in `order`, else a copy (NumPy's ravel; a
        reshape(-1) may be a view where ravel copies)."""
        f = self._flags
        o = order_char(order, self)
        if order in ('K', 'k') and not f & (_lib.FLAG_C | _lib.FLAG_F):
            return self._keep_order().flatten()
        if order in ('K', 'k') and f & _lib.FLAG_F and not f & _lib.FLAG_C:
            o = _ORD_F
        _buf0[0] = -1
        v = _view(_wg_reshape(ctx, self._h, 1, _buf0, o), self)
        if not f & (_lib.FLAG_C if o == _ORD_C else _lib.FLAG_F):
            return _wrap(_wg_copy(ctx, v._h, _ORD_C))
        return v

    def flatten(self, order='C'):
        if order in ('K', 'k') and not self._flags & (_lib.FLAG_C | _lib.FLAG_F):
            return self._keep_order().flatten()
        _buf0[0] = -1
        v = _wrap(_wg_reshape(ctx, self._h, 1, _buf0, order_char(order, self)))
        return _wrap(_wg_copy(ctx, v._h, _ORD_C))

    def squeeze(self, axis=None):
        if not self._shape and axis is not None and not isinstance(axis, (tuple, list)) and \
                operator.index(axis) in (0, -1):
            axis = None  # NumPy: a 0-d array takes one integer axis 0 or -1
        naxes, ax = axes_arg(axis)
        return _view(_lib.wg_squeeze(ctx, self._h, naxes, ax), self)

    # -- reductions --
    def sum(self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
        return reduce_impl(_RED['sum'], self, axis, dtype, out, keepdims, 0, initial, where)

    def prod(self, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
        return reduce_impl(_RED['prod'], self, axis, dtype, out, keepdims, 0, initial, where)

    def min(self, axis=None, out=None, keepdims=False, initial=None, where=None):
        return reduce_impl(_RED['min'], self, axis, None, out, keepdims, 0, initial, where)

    def max(self, axis=None, out=None, keepdims=False, initial=None, where=None):
        return reduce_impl(_RED['max'], self, axis, None, out, keepdims, 0, initial, where)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False, where=None):
        return reduce_impl(_RED['mean'], self, axis, dtype, out, keepdims, 0, None, where)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
        return reduce_impl(_RED['var'], self, axis, dtype, out, keepdims, ddof, None, where)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=None):
        return reduce_impl(_RED['std'], self, axis, dtype, out, keepdims, ddof, None, where)

    def argmin(self, axis=None, out=None, keepdims=False):
        if axis is not None:
            axis = operator.index(axis)  # NumPy: one axis, never a tuple
        return reduce_impl(_RED['argmin'], self, axis, None, out, keepdims)

    def argmax(self, axis=None, out=None, keepdims=False):
        if axis is not None:
            axis = operator.index(axis)
        return reduce_impl(_RED['argmax'], self, axis, None, out, keepdims)

    def any(self, axis=None, out=None, keepdims=False, where=None):
        return reduce_impl(_RED['any'], self, axis, None, out, keepdims, 0, None, where)

    def all(self, axis=None, out=None, keepdims=False, where=None):
        return reduce_impl(_RED['all'], self, axis, None, out, keepdims, 0, None, where)

    # -- other computation --
    def clip(self, min=None, max=None, out=None):
        return clip_impl(self, min, max, out)

    def dot(self, b, out=None):
        return matmul_impl(self, b, out, dot=True)

    def conj(self):
        return conj_impl(self, None)

    conjugate = conj

    # -- operators (the binary and in-place ones are generated below) --
    def __neg__(self):
        return _wrap(_wg_unop(_OP['negative'], self._h))

    def __pos__(self):
        return _wrap(_wg_unop(_OP['positive'], self._h))

    def __abs__(self):
        return _wrap(_wg_unop(_OP['absolute'], self._h))

    def __invert__(self):
        return _wrap(_wg_unop(_OP['invert'], self._h))

    def __matmul__(self, other):
        o = _operand(other)
        if o is None:
            return NotImplemented
        return _wrap(_wg_matmul(ctx, self._h, o._h, None))

    def __rmatmul__(self, other):
        o = _operand(other)
        if o is None:
            return NotImplemented
        return _wrap(_wg_matmul(ctx, o._h, self._h, None))

    def __imatmul__(self, other):
        o = _operand(other)
        if o is None:
            return NotImplemented
        return _done_out(_wg_matmul(ctx, self._h, o._h, self._h), self)

    def __divmod__(self, other):
        o = _operand(other)
        if o is None:
            return NotImplemented
        return (_wrap(_wg_binop(_OP['floor_divide'], self._h, o._h)),
                _wrap(_wg_binop(_OP['remainder'], self._h, o._h)))

    def __rdivmod__(self, other):
        o = _operand(other)
        if o is None:
            return NotImplemented
        return (_wrap(_wg_binop(_OP['floor_divide'], o._h, self._h)),
                _wrap(_wg_binop(_OP['remainder'], o._h, self._h)))

    def __pow__(self, other, mod=None):
        if mod is not None:
            return NotImplemented
        if type(other) is int and other == 2:
            # NumPy's `**` operator sends a Python 2 to square (its fast_scalar_power), which
            # shows only in the dtype: bool ** 2 is int8 there, not int64
            return _wrap(_wg_unop(_OP['square'], self._h))
        o = _operand(other)
        if o is None:
            return NotImplemented
        _int_power_guard(self, other if type(other) in (int, float, bool) else o)
        return _wrap(_wg_binop(_OP['power'], self._h, o._h))

    def __rpow__(self, other, mod=None):
        if mod is not None:
            return NotImplemented
        o = _operand(other)
        if o is None:
            return NotImplemented
        _int_power_guard(other, self)
        return _wrap(_wg_binop(_OP['power'], o._h, self._h))


def _rebuild(data, dtype=None):
    return asarray_impl(data, dtype)


# ndarray.__getitem__ in full (_scan's: masks, advanced indices): the C one's way for the keys it
# does not handle itself (python/ext/fastops.c: ints, slices, None, Ellipsis and tuples of them)
_GETITEM = [None]


def _getitem_slow(self, key):
    return _GETITEM[0](self, key)


def _load_fastops():
    """The C fast operators (python/ext/fastops.c): (operator, wrap, ufunc_call, set_info,
    __del__, __getitem__), or None where libwgpy_fastops.so is not there or WGPY_FASTOPS=0.  Their
    configuration comes from here and _lib: the ndarray class (its slots found by a probe whose
    slots hold distinct objects), the info block's slot numbers, the error and hand-off
    callables, the engine's function addresses, the scalar caches, the release queue."""
    if _lib.fastops_init is None:
        return None
    probe = _new(ndarray)
    sentinels = tuple(object() for _ in range(6))
    probe._h, probe._dt, probe._flags, probe._shape, probe._est, probe._base = sentinels
    addrs = [0] * (max(_lib.BINOP_FORMS) + 1)
    for code, f in _lib.BINOP_FORMS.items():
        addrs[code] = _lib.address_of(f)
    import ctypes
    try:
        return _lib.fastops_init((
            ndarray, probe, sentinels, ndarray.__basicsize__, ctypes.addressof(_lib.info),
            (0, 1, 3, _S0, _HANDOFF), _lib.MAX_NDIM, _hand_off, _error,
            _lib.address_of(_lib.lib.wg_release), tuple(addrs), _scache, _icache,
            ctypes.addressof(_lib.relq), _lib.RELQ_CAP, _lib.relq,
            _lib.address_of(_lib.lib.wg_binop_into), _lib.address_of(_lib.lib.wg_unop),
            _ZERO_KEYS,
            (_lib.address_of(_lib.lib.wg_index_of), _getitem_slow, slice, Ellipsis,
             slice(11, 22, 33), _lib.IDX_NONE, _OWNDATA,
             _lib.address_of(_lib.lib.wg_reduce_of))))
    finally:
        probe._h = None  # (its __del__ would queue the sentinel for release)


_fastops = _load_fastops()
if _fastops is not None:
    # _wrap: the C one from here on; _fast_ufunc_call: used by _ufunc
    (_fast_operator, _wrap, _fast_ufunc_call, _fast_set_info, ndarray.__del__,
     _fast_getitem) = _fastops
else:
    _fast_operator = _fast_ufunc_call = _fast_set_info = _fast_getitem = None


def _make_binops():
    names = _lib.OP_NAMES

    # the ndarray test before _operand's call: the most common operand, one call less per op
    # then a Python float or int whose weak scalar is cached (x + 1.0, x + 1): _operand's two
    # calls skipped (nonzero floats are their own keys in _scache, see _weak_float; ints are
    # keys of _icache)
    # and _wrap's body inline (the operators are the hottest path: a Python call less an
    # operation, ~0.09 µs in Pyodide; _wrap is the one definition, keep the two in step)
    def binary(code, swap=False):
        # swap: the reflected operator (other OP self)
        binop = _lib.BINOP_FORMS[code]

        def op(self, other):
            t = type(other)
            o = (other if t is ndarray else _scache.get(other) if t is float
                 else _icache.get(other) if t is int else None)
            if o is None:
                o = _operand(other)
            if o is None:
                if swap:
                    _check_no_str(names[code], other, self)
                else:
                    _check_no_str(names[code], self, other)
                return NotImplemented
            h = binop(o._h, self._h) if swap else binop(self._h, o._h)
            if not h:
                raise _error()
            info = _infov  # (read before the object is made: see _wrap)
            dt, flags, shape, handoff = (info[0], info[3], _SHAPE_AT[info[1]](info, _SHAPE_OFF),
                                         info[_HANDOFF])
            a = _new(ndarray)
            a._h = h
            a._dt = dt
            a._flags = flags
            a._shape = shape
            a._est = None
            a._base = None
            if handoff:
                _hand_off()
            return a
        return op

    def compare_eq(code, value):
        # NumPy compares with what it holds only as an object (None, a str) elementwise: all
        # unequal, a bool array (== None is all False, != None all True), never a Python bool
        def op(self, other):
            o = _operand(other)
            if o is None:
                if _not_comparable(other):
                    return _bool_full(self._shape, value)
                return NotImplemented
            return _wrap(_wg_binop(code, self._h, o._h))
        return op

    def inplace(code):
        def op(self, other):
            o = other if type(other) is ndarray else _operand(other)
            if o is None:
                _check_no_str(names[code], self, other)
                _object_operand(names[code], other, self)  # in-place operators never defer
                return NotImplemented
            if code == _POWER:
                _int_power_guard(self, other if type(other) in (int, float, bool) else o, None,
                                 self)
            h = _wg_binop_into(code, self._h, o._h, self._h)
            if not h:
                raise _error()
            _release(h)
            return self
        return op

    arith = {'add': 'add', 'sub': 'subtract', 'mul': 'multiply', 'truediv': 'true_divide',
             'floordiv': 'floor_divide', 'mod': 'remainder', 'and': 'bitwise_and',
             'or': 'bitwise_or', 'xor': 'bitwise_xor', 'lshift': 'left_shift',
             'rshift': 'right_shift'}
    def install(name, f, code=None, mode=0):
        f.__name__ = f.__qualname__ = name
        if code is not None and _fast_operator is not None:
            # the C operator (python/ext/fastops.c): ndarray and cached-scalar operands in C,
            # any other operand through f; mode 0 self OP other, 1 reflected, 2 in place, 3 unary
            f = _fast_operator(name, code, mode, f)
        setattr(ndarray, name, f)

    for py, op in arith.items():
        code = _OP[op]
        install('__%s__' % py, binary(code), code)
        install('__r%s__' % py, binary(code, True), code, 1)
        install('__i%s__' % py, inplace(code), code, 2)
    install('__ipow__', inplace(_OP['power']))
    for py, op in {'eq': 'equal', 'ne': 'not_equal', 'lt': 'less', 'le': 'less_equal',
                   'gt': 'greater', 'ge': 'greater_equal'}.items():
        if py in ('eq', 'ne'):
            install('__%s__' % py, compare_eq(_OP[op], py == 'ne'))
        else:
            install('__%s__' % py, binary(_OP[op]), _OP[op])
    if _fast_operator is not None:
        # the unary operators (mode 3) and the reductions' methods (mode 4: a call with at most
        # axis, None or an int, and keepdims) in C; their Python definitions above stay the
        # slow path and the path without the module
        for py, op in {'neg': 'negative', 'pos': 'positive', 'abs': 'absolute',
                       'invert': 'invert'}.items():
            name = '__%s__' % py
            setattr(ndarray, name, _fast_operator(name, _OP[op], 3, ndarray.__dict__[name]))
        for name in ('sum', 'prod', 'min', 'max', 'mean', 'var', 'std', 'argmin', 'argmax',
                     'any', 'all'):
            setattr(ndarray, name, _fast_operator(name, _RED[name], 4, ndarray.__dict__[name]))


_make_binops()
