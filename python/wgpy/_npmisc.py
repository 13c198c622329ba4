"""NumPy's remaining module-level utilities (issue 10, breadth2): dtype utilities (isdtype,
issubdtype, min_scalar_type, mintypecode, common_type, typename), the floating-point error state
(geterr/seterr/errstate/geterrcall/seterrcall: recorded, never acted on -- wgpy's kernels do not
raise floating-point errors), printing (array2string, array_repr, array_str and the print
options), polynomials (poly, polymul, polydiv, polyfit; roots refuses: complex), piecewise,
unwrap, mask_indices, and the clear refusals frompyfunc and sort_complex.  Also ndarray.flat
(a flatiter), setflags, to_device, getfield and setfield.

The dtype utilities are pure Python over wgpy's dtype tables; everything that computes on arrays
runs on the device through wgpy's own functions.
"""

import math as _math
import operator as _operator
import warnings as _warnings

from . import _core, _dtypes, _lib
from ._core import ndarray

_np = _lib.np

__all__ = []
_export = _core.exporter(globals())


def _w():
    import wgpy
    return wgpy


def _arr(a):
    return a if isinstance(a, ndarray) else _core.asarray_impl(a)


def _dt(x):
    """wgpy's dtype object of a dtype-like or of an array/scalar's dtype."""
    if isinstance(x, ndarray):
        return x.dtype
    return _dtypes.OBJS[_dtypes.code_of(x)]


# ---- dtype utilities -------------------------------------------------------------------------
_ISDTYPE_KINDS = {'bool': 'b', 'signed integer': 'i', 'unsigned integer': 'u',
                  'integral': 'iu', 'real floating': 'f', 'complex floating': 'c',
                  'numeric': 'iufc'}


@_export
def isdtype(dtype, kind):
    """The array API's isdtype: dtype is a dtype object, kind a dtype, one of 'bool', 'signed
    integer', 'unsigned integer', 'integral', 'real floating', 'complex floating', 'numeric', or
    a tuple of those."""
    if isinstance(dtype, ndarray) or isinstance(dtype, (str, type)) and not (
            _np is not None and isinstance(dtype, type) and issubclass(dtype, _np.generic)):
        raise TypeError('dtype argument must be a NumPy dtype, but it is a %s.'
                        % type(dtype).__name__)
    d = _dt(dtype)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not kinds:
        raise TypeError('kind argument must be comprised of NumPy dtypes or strings only, '
                        'but is a tuple of length 0.')
    for k in kinds:
        if isinstance(k, str):
            if k not in _ISDTYPE_KINDS:
                raise ValueError('kind argument is a string, but %r is not a known kind name.'
                                 % k)
            if d.kind in _ISDTYPE_KINDS[k]:
                return True
        elif isinstance(k, tuple):
            raise TypeError('kind argument must be comprised of NumPy dtypes or strings only, '
                            'but it is a tuple.')
        else:
            if _dt(k) == d:
                return True
    return False


# abstract scalar types (numpy's, when numpy is present) -> the dtype kinds they cover
_ABSTRACT = {'generic': 'biufc', 'number': 'iufc', 'integer': 'iu', 'signedinteger': 'i',
             'unsignedinteger': 'u', 'inexact': 'fc', 'floating': 'f',
             'complexfloating': 'c'}


def _abstract_kinds(t):
    if _np is not None and isinstance(t, type) and issubclass(t, _np.generic):
        name = t.__name__
        if name in _ABSTRACT and getattr(_np, name, None) is t:
            return _ABSTRACT[name]
    return None


@_export
def issubdtype(arg1, arg2):
    """NumPy's issubdtype: arg2 may be a concrete dtype or (with numpy) an abstract scalar type
    such as numpy.floating or numpy.integer."""
    k1 = _abstract_kinds(arg1)
    k2 = _abstract_kinds(arg2)
    if k2 is not None:
        if k1 is not None:  # abstract in abstract: the kinds' inclusion
            return set(k1) <= set(k2)
        return _dt(arg1).kind in k2
    if k1 is not None:
        return False
    return _dt(arg1) == _dt(arg2)


def _fits_float16(v):
    return abs(v) <= 65504.0


@_export
def min_scalar_type(a, /):
    """NumPy's min_scalar_type: for a scalar the smallest dtype that holds its value (unsigned
    for a non-negative integer), for an array (ndim > 0) its dtype."""
    if isinstance(a, ndarray):
        if a.ndim > 0:
            return a.dtype
        a = a.item()
    if _np is not None and isinstance(a, _np.ndarray):
        return _np.min_scalar_type(a)
    if _np is not None and isinstance(a, _np.generic):
        a = a.item()
    D = _dtypes.dtype
    if isinstance(a, bool):
        return D('bool')
    if isinstance(a, int):
        if a >= 0:
            for n, hi in (('uint8', 2 ** 8), ('uint16', 2 ** 16), ('uint32', 2 ** 32),
                          ('uint64', 2 ** 64)):
                if a < hi:
                    return D(n)
        else:
            for n, lo in (('int8', 2 ** 7), ('int16', 2 ** 15), ('int32', 2 ** 31),
                          ('int64', 2 ** 63)):
                if -a <= lo:
                    return D(n)
        raise OverflowError('Python int too large to convert to C long')
    if isinstance(a, float):
        if a != a or a in (float('inf'), float('-inf')) or _fits_float16(a):
            return D('float16')
        if abs(a) <= 3.4028234663852886e38:
            return D('float32')
        return D('float64')
    if isinstance(a, complex):
        raise TypeError(_dtypes._COMPLEX_MSG)
    if isinstance(a, (list, tuple)):
        return _arr(a).dtype
    raise TypeError('min_scalar_type: cannot interpret %r' % (a,))


_TYPECODES_BY_ELSIZE = 'GDFgdfQqLlIiHhBb?'


@_export
def mintypecode(typechars, typeset='GDFgdf', default='d'):
    """NumPy's mintypecode: the character of the smallest-size type of typeset that all of
    typechars (characters or arrays) can be safely cast to."""
    codes = []
    for t in typechars:
        if isinstance(t, str):
            codes.append(t)
        else:
            codes.append(_dt(t).char)
    inter = set(t for t in codes if t in typeset)
    if not inter:
        return default
    if 'F' in inter and 'd' in inter:
        return 'D'
    return min(inter, key=_TYPECODES_BY_ELSIZE.index)


@_export
def common_type(*arrays):
    """NumPy's common_type: the floating scalar type of the arrays (integers count as float64;
    bool raises TypeError).  The answer is NumPy's, before wgpy's 64-bit policy."""
    prec = 0
    names = ('float16', 'float32', 'float64')
    for a in arrays:
        d = _dt(a)
        if d.kind in 'iu':
            p = 2
        elif d.kind == 'f':
            p = names.index(d.name)
        else:
            raise TypeError("can't get common type for non-numeric array")
        prec = max(prec, p)
    return _dtypes.TYPES[names[prec]]


_TYPENAMES = {'S1': 'character', '?': 'bool', 'b': 'signed char', 'B': 'unsigned char',
              'h': 'short', 'H': 'unsigned short', 'i': 'integer', 'I': 'unsigned integer',
              'l': 'long integer', 'L': 'unsigned long integer', 'q': 'long long integer',
              'Q': 'unsigned long long integer', 'f': 'single precision',
              'd': 'double precision', 'g': 'long precision', 'F': 'complex single precision',
              'D': 'complex double precision', 'G': 'complex long double precision',
              'S': 'string', 'U': 'unicode', 'V': 'void', 'O': 'object'}


@_export
def typename(char):
    """NumPy's typename: the description of a type character."""
    return _TYPENAMES[char]


# ---- floating-point error state (recorded only) ----------------------------------------------
_ERR_VALUES = ('ignore', 'warn', 'raise', 'call', 'print', 'log')
_err = {'divide': 'warn', 'over': 'warn', 'under': 'ignore', 'invalid': 'warn'}
_errcall = [None]


@_export
def geterr():
    """The floating-point error handling settings (NumPy's defaults at start).  wgpy's kernels
    never raise or warn on floating-point errors (GPUs have no such traps): the settings are
    kept for code that saves and restores them, and have no effect."""
    return dict(_err)


@_export
def seterr(all=None, divide=None, over=None, under=None, invalid=None):
    """Set the (recorded, ineffective: see geterr) error handling; returns the old settings."""
    old = geterr()
    new = {}
    for k, v in (('divide', divide), ('over', over), ('under', under), ('invalid', invalid)):
        v = v if v is not None else all
        if v is not None:
            if v not in _ERR_VALUES:
                raise ValueError('invalid error handling %r for %s (one of %s)'
                                 % (v, k, ', '.join(_ERR_VALUES)))
            new[k] = v
    _err.update(new)
    return old


@_export
def geterrcall():
    return _errcall[0]


@_export
def seterrcall(func):
    """Set the (recorded, never called: see geterr) floating-point error callback."""
    if func is not None and not callable(func):
        if not hasattr(func, 'write') or not callable(func.write):
            raise ValueError('Only callable can be used as callback')
    old = _errcall[0]
    _errcall[0] = func
    return old


_UNSET = object()


@_export
class errstate:
    """Context manager (and decorator) that sets the error state for its block (recorded only:
    see geterr)."""

    def __init__(self, *, call=_UNSET, all=None, divide=None, over=None, under=None,
                 invalid=None):
        self._call = call
        self._kw = dict(all=all, divide=divide, over=over, under=under, invalid=invalid)
        self._saved = []

    def __enter__(self):
        old = seterr(**self._kw)
        oldcall = seterrcall(self._call) if self._call is not _UNSET else _UNSET
        self._saved.append((old, oldcall))

    def __exit__(self, *exc):
        old, oldcall = self._saved.pop()
        _err.clear()
        _err.update(old)
        if oldcall is not _UNSET:
            _errcall[0] = oldcall

    def __call__(self, func):
        import functools

        @functools.wraps(func)
        def inner(*a, **k):
            with self:
                return func(*a, **k)
        return inner


# ---- printing -----------------------------------------------------------------------------------
# With numpy installed, ndarray's repr/str are numpy's, so the print options are numpy's own (as in
# CuPy).  Without numpy (Pyodide's minimal install) wgpy's _format prints; the options are kept
# but only numpy's defaults are honoured there (documented in docs/api-coverage.md).
_PRINT_DEFAULTS = {'edgeitems': 3, 'threshold': 1000, 'floatmode': 'maxprec', 'precision': 8,
                   'suppress': False, 'linewidth': 75, 'nanstr': 'nan', 'infstr': 'inf',
                   'sign': '-', 'formatter': None, 'legacy': False, 'override_repr': None}
_print = dict(_PRINT_DEFAULTS)


@_export
def get_printoptions():
    if _np is not None:
        return _np.get_printoptions()
    return dict(_print)


@_export
def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     suppress=None, nanstr=None, infstr=None, formatter=None, sign=None,
                     floatmode=None, *, legacy=None, override_repr=None):
    kw = dict(precision=precision, threshold=threshold, edgeitems=edgeitems,
              linewidth=linewidth, suppress=suppress, nanstr=nanstr, infstr=infstr,
              formatter=formatter, sign=sign, floatmode=floatmode, legacy=legacy,
              override_repr=override_repr)
    if _np is not None:
        kw = {k: v for k, v in kw.items() if v is not None}
        return _np.set_printoptions(**kw)
    for k, v in kw.items():
        if v is not None:
            _print[k] = v


@_export
class printoptions:
    """Context manager: set_printoptions for the block."""

    def __init__(self, *args, **kwargs):
        self._a, self._k = args, kwargs

    def __enter__(self):
        self._old = get_printoptions()
        set_printoptions(*self._a, **self._k)
        return get_printoptions()

    def __exit__(self, *exc):
        if _np is not None:
            _np.set_printoptions(**self._old)
        else:
            _print.clear()
            _print.update(self._old)


def _need_defaults(fn, **kw):
    bad = [k for k, v in kw.items() if v is not None]
    if bad:
        raise NotImplementedError('wgpy.%s: %s need numpy installed (wgpy prints with its own '
                                  'formatter without it)' % (fn, ', '.join(bad)))


@_export
def array2string(a, max_line_width=None, precision=None, suppress_small=None, separator=' ',
                 prefix='', *, formatter=None, threshold=None, edgeitems=None, sign=None,
                 floatmode=None, suffix='', legacy=None):
    a = _arr(a)
    if _np is not None:
        return _np.array2string(_core.to_numpy(a), max_line_width, precision, suppress_small,
                                separator, prefix, formatter=formatter, threshold=threshold,
                                edgeitems=edgeitems, sign=sign, floatmode=floatmode,
                                suffix=suffix, legacy=legacy)
    _need_defaults('array2string', max_line_width=max_line_width, precision=precision,
                   suppress_small=suppress_small, formatter=formatter, threshold=threshold,
                   edgeitems=edgeitems, sign=sign, floatmode=floatmode, legacy=legacy)
    from . import _format
    strs, d = _format._parts(a)
    if a.size == 0:
        return '[]'
    return _format._layout(strs, a.shape, separator, len(prefix))


@_export
def array_repr(arr, max_line_width=None, precision=None, suppress_small=None):
    arr = _arr(arr)
    if _np is not None:
        return _np.array_repr(_core.to_numpy(arr), max_line_width, precision, suppress_small)
    _need_defaults('array_repr', max_line_width=max_line_width, precision=precision,
                   suppress_small=suppress_small)
    from . import _format
    return _format.array_repr(arr)


@_export
def array_str(a, max_line_width=None, precision=None, suppress_small=None):
    a = _arr(a)
    if _np is not None:
        return _np.array_str(_core.to_numpy(a), max_line_width, precision, suppress_small)
    _need_defaults('array_str', max_line_width=max_line_width, precision=precision,
                   suppress_small=suppress_small)
    from . import _format
    return _format.array_str(a)


# ---- polynomials ----------------------------------------------------------------------------
def _float_dt(d):
    return _dtypes.OBJS[_core._canonical[_dtypes.FLOAT64]] if d.kind in 'biu' else d


@_export
def poly(seq_of_zeros):
    """The coefficients of the polynomial with the given (real) roots.  A square matrix's
    characteristic polynomial needs its eigenvalues (complex in general): NotImplementedError."""
    W = _w()
    z = W.atleast_1d(_arr(seq_of_zeros))
    sh = z.shape
    if len(sh) == 2 and sh[0] == sh[1] and sh[0] != 0:
        raise NotImplementedError('wgpy.poly of a matrix needs its eigenvalues, complex in '
                                  'general: wgpy has no complex dtypes')
    if len(sh) != 1:
        raise ValueError('input must be 1d or non-empty square 2d array.')
    dt = _float_dt(z.dtype)
    a = W.ones((1,), dtype=dt)
    if sh[0] == 0:
        return 1.0  # NumPy's answer: a scalar
    one = W.ones((1,), dtype=dt)
    for k in range(sh[0]):
        a = W.convolve(a, W.concatenate((one, -z[k:k + 1].astype(dt))), mode='full')
    return a


@_export
def polymul(a1, a2):
    W = _w()
    return W.convolve(W.atleast_1d(_arr(a1)), W.atleast_1d(_arr(a2)))


@_export
def polydiv(u, v):
    """Quotient and remainder of polynomial division.  The remainder's leading zeros are trimmed
    as NumPy does, which reads its leading coefficients (one small read per trimmed zero)."""
    W = _w()
    u = W.atleast_1d(_arr(u))
    v = W.atleast_1d(_arr(v))
    dt = W.result_type(u.dtype, v.dtype, _float_dt(u.dtype))
    dt = _float_dt(_dt(dt))
    u = u.astype(dt)
    v = v.astype(dt)
    m = len(u) - 1
    n = len(v) - 1
    scale = 1.0 / v[0]
    q = W.zeros((max(m - n + 1, 1),), dtype=dt)
    r = u.copy()
    for k in range(0, m - n + 1):
        d = scale * r[k]
        q[k] = d
        r[k:k + n + 1] -= d * v
    while r.shape[-1] > 1 and bool(W.allclose(r[0], 0, rtol=1e-14)):
        r = r[1:]
    return q, r


_EPS = {'float16': 2.0 ** -10, 'float32': 2.0 ** -23, 'float64': 2.0 ** -52}


@_export
def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """Least-squares polynomial fit through wgpy.linalg.lstsq (NumPy's algorithm: scaled
    Vandermonde columns)."""
    W = _w()
    from . import linalg
    order = _operator.index(deg) + 1
    x = _arr(x)
    y = _arr(y)
    dt = _float_dt(W.result_type(x.dtype, y.dtype))
    x = x.astype(dt)
    y = y.astype(dt)
    if deg < 0:
        raise ValueError('expected deg >= 0')
    if x.ndim != 1:
        raise TypeError('expected 1D vector for x')
    if x.size == 0:
        raise TypeError('expected non-empty vector for x')
    if y.ndim < 1 or y.ndim > 2:
        raise TypeError('expected 1D or 2D array for y')
    if x.shape[0] != y.shape[0]:
        raise TypeError('expected x and y to have same length')
    if rcond is None:
        rcond = len(x) * _EPS[_dt(dt).name]
    lhs = W.vander(x, order)
    rhs = y
    if w is not None:
        w = _arr(w).astype(dt)
        if w.ndim != 1:
            raise TypeError('expected a 1-d array for weights')
        if w.shape[0] != y.shape[0]:
            raise TypeError('expected w and y to have the same length')
        lhs = lhs * w[:, None]
        rhs = rhs * (w if rhs.ndim == 1 else w[:, None])
    scale = W.sqrt((lhs * lhs).sum(axis=0))
    lhs = lhs / scale
    c, resids, rank, s = linalg.lstsq(lhs, rhs, float(rcond))
    c = (c.T / scale).T
    rank_i = int(rank)
    if rank_i != order and not full:
        msg = 'Polyfit may be poorly conditioned'
        cat = _np.exceptions.RankWarning if _np is not None else UserWarning
        _warnings.warn(msg, cat, stacklevel=2)
    if full:
        return c, resids, rank, s, rcond
    if cov:
        Vbase = linalg.inv(lhs.T @ lhs)
        Vbase = Vbase / W.outer(scale, scale)
        if cov == 'unscaled':
            fac = 1
        else:
            if len(x) <= order:
                raise ValueError('the number of data points must exceed order to scale the '
                                 'covariance matrix')
            fac = resids / (len(x) - order)
        if y.ndim == 1:
            return c, Vbase * fac
        return c, Vbase[:, :, None] * fac
    return c


@_export
def roots(p):
    raise NotImplementedError('wgpy.roots: the roots are the eigenvalues of the companion '
                              'matrix, complex in general, and wgpy has no complex dtypes '
                              '(nor eigvals); use numpy.roots on wgpy.asnumpy(p)')


# ---- piecewise, unwrap, mask_indices ---------------------------------------------------------
@_export
def piecewise(x, condlist, funclist, *args, **kw):
    """NumPy's piecewise: funclist[k] (a callable or a value) where condlist[k]; the callables
    see x[cond] (boolean-mask gets: one count read each, as wgpy's masks)."""
    W = _w()
    x = _arr(x)
    n2 = len(funclist)
    if (isinstance(condlist, (bool, int)) or isinstance(condlist, ndarray) and condlist.ndim == 0
            or (isinstance(condlist, list) and condlist
                and not isinstance(condlist[0], (list, ndarray)) and x.ndim != 0)):
        condlist = [condlist]
    if isinstance(condlist, ndarray):
        cl = condlist.astype(bool)
    else:
        cl = W.stack([W.asarray(c).astype(bool) for c in condlist]) if len(condlist) else \
            W.zeros((0,) + x.shape, dtype=bool)
    if cl.ndim == x.ndim:  # a single condition array of x's shape
        cl = cl[None]
    n = cl.shape[0]
    if n == n2 - 1:
        condelse = ~W.any(cl, axis=0, keepdims=True)
        cl = W.concatenate([cl, condelse], axis=0)
        n += 1
    elif n != n2:
        raise ValueError('with %d condition(s), either %d or %d functions are expected'
                         % (n, n, n + 1))
    y = W.zeros_like(x)
    for k in range(n):
        cond = W.broadcast_to(cl[k], x.shape) if cl[k].shape != x.shape else cl[k]
        func = funclist[k]
        if not callable(func):
            y = W.where(cond, W.asarray(func, dtype=y.dtype) if not isinstance(func, ndarray)
                        else func.astype(y.dtype), y)
        else:
            if x.ndim == 0:
                if bool(cond):
                    y = W.asarray(func(x, *args, **kw)).astype(y.dtype)
                continue
            vals = x[cond]
            if vals.size > 0:
                y[cond] = func(vals, *args, **kw)
    return y


@_export
def unwrap(p, discont=None, axis=-1, *, period=2 * _math.pi):
    """NumPy's unwrap: differences beyond discont are corrected by multiples of period (a
    cumulative sum of the corrections along axis, on the device)."""
    W = _w()
    p = _arr(p)
    nd = p.ndim
    dd = W.diff(p, axis=axis)
    if discont is None:
        discont = period / 2
    sl = [slice(None)] * nd
    sl[axis] = slice(1, None)
    sl = tuple(sl)
    dt = _dt(W.result_type(dd, period))
    if dt.kind in 'iu':
        interval_high, rem = divmod(period, 2)
        ambiguous = rem == 0
    else:
        interval_high = period / 2
        ambiguous = True
    interval_low = -interval_high
    ddmod = W.mod(dd - interval_low, period) + interval_low
    if ambiguous:
        ddmod = W.where((ddmod == interval_low) & (dd > 0), W.asarray(interval_high, dtype=dt),
                        ddmod).astype(ddmod.dtype)
    ph = ddmod - dd
    ph = W.where(W.abs(dd) < discont, W.zeros((), dtype=ph.dtype), ph)
    up = W.array(p, copy=True, dtype=dt)
    up[sl] = p[sl] + W.cumsum(ph, axis=axis)
    return up


@_export
def mask_indices(n, mask_func, k=0):
    W = _w()
    m = W.ones((n, n), dtype=int)
    a = mask_func(m, k)
    return W.nonzero(a != 0)


# ---- clear refusals --------------------------------------------------------------------------
@_export
def frompyfunc(func, /, nin, nout, *, identity=None):
    raise NotImplementedError('wgpy.frompyfunc: a Python function per element cannot run on '
                              'the device; write the function with wgpy operations, or as a '
                              'wgpy.ElementwiseKernel')


@_export
def sort_complex(a):
    """NumPy's sort_complex: sorted (lexicographically for complex), as a complex array
    (complex64 for small integers, complex128 otherwise, as NumPy)."""
    import wgpy
    b = wgpy.sort(_arr(a))
    if b.dtype.kind != 'c':
        b = b.astype('complex64' if b.dtype.name in ('int8', 'int16', 'uint8', 'uint16')
                     else 'complex128')
    return b


# ---- ndarray: flat, setflags, to_device, getfield, setfield --------------------------------
class flatiter:
    """ndarray.flat: the array as 1-d in C order.  Indexing gets (0-d arrays for integers,
    copies for slices and arrays) and sets (values repeated as NumPy does), iteration, len,
    copy().  Everything runs on the device; a non-contiguous base is written back through a
    C-order copy."""
    __slots__ = ('_a', '_i')

    def __init__(self, a):
        self._a = a
        self._i = 0

    @property
    def base(self):
        return self._a

    @property
    def index(self):
        return self._i

    @property
    def coords(self):
        i, out = self._i, []
        for s in reversed(self._a.shape):
            out.append(i % s if s else 0)
            i = i // s if s else 0
        return tuple(reversed(out))

    def __len__(self):
        return self._a.size

    def __iter__(self):
        return self

    def __next__(self):
        if self._i >= self._a.size:
            raise StopIteration
        v = self._a.reshape(-1)[self._i] if self._a.flags.c_contiguous else \
            self._a.ravel()[self._i]
        self._i += 1
        return v

    def copy(self):
        return self._a.flatten()

    def __array__(self, dtype=None, copy=None):
        r = _core.to_numpy(self._a.ravel())
        return r if dtype is None else r.astype(dtype)

    def _flat_view(self):
        a = self._a
        return a.reshape(-1) if a.flags.c_contiguous else None

    def __getitem__(self, key):
        if isinstance(key, tuple):
            if len(key) != 1:
                raise IndexError('unsupported iterator index')
            key = key[0]
        v = self._flat_view()
        r = (v if v is not None else self._a.ravel())[key]
        if isinstance(key, slice) or isinstance(key, (list, ndarray)) or key is Ellipsis:
            r = r.copy() if v is not None else r
        return r

    def __setitem__(self, key, value):
        W = _w()
        a = self._a
        if not a.flags.writeable:
            raise ValueError('assignment destination is read-only')
        if isinstance(key, tuple):
            if len(key) != 1:
                raise IndexError('unsupported iterator index')
            key = key[0]
        v = self._flat_view()
        tgt = v if v is not None else a.ravel()
        val = _arr(value)
        n = tgt[key].size if not isinstance(key, int) else 1
        if not isinstance(key, int) and val.ndim > 0 and val.size != n:
            if val.size == 0:
                return
            val = W.resize(val.ravel(), (n,))  # NumPy repeats the values along the target
        elif val.ndim > 0 and not isinstance(key, int):
            val = val.ravel()
        elif isinstance(key, int) and val.size >= 1 and val.ndim > 0:
            val = val.ravel()[0]
        tgt[key] = val
        if v is None:
            a[...] = tgt.reshape(a.shape)

    def __repr__(self):
        return '<wgpy.flatiter of %r>' % (self._a,)


def _get_flat(self):
    return flatiter(self)


def _set_flat(self, value):
    flatiter(self)[...] = value


ndarray.flat = property(_get_flat, _set_flat, doc=flatiter.__doc__)


def _setflags(self, write=None, align=None, uic=None):
    """NumPy's setflags: write= makes the array read-only (False) or writeable again (True, a
    ValueError for broadcast views and views of read-only arrays); align is always true here;
    uic (WRITEBACKIFCOPY) cannot be set."""
    if uic:
        raise ValueError('cannot set WRITEBACKIFCOPY flag to True')
    if align is not None and not align:
        raise ValueError('cannot set ALIGNED flag to False: wgpy arrays are always aligned')
    if write is not None:
        _core._check(_lib.wg_set_writeable(_core.ctx, self._h, 1 if write else 0))
        self._flags = _lib.info[3]


def _to_device(self, device, /, *, stream=None):
    """The array API's to_device: wgpy's device (self.device, wgpy.Device(), or the name of the
    backend that runs) returns the array itself; 'cpu' returns a numpy array (a host copy, with
    numpy installed)."""
    if stream is not None:
        raise ValueError('wgpy: to_device(stream=) is not supported')
    if isinstance(device, _core.Device) or (isinstance(device, str) and device ==
                                             _core.DEVICE.name):
        return self
    if device == 'cpu':
        if _np is None:
            raise ValueError("wgpy: to_device('cpu') gives a numpy array, and numpy is not "
                             "installed")
        return _core.to_numpy(self)
    raise ValueError('wgpy: unsupported device %r (wgpy has its device %r and \'cpu\')'
                     % (device, _core.DEVICE))


def _getfield(self, dtype, offset=0):
    """NumPy's getfield for a field of the element's own type and size (offset 0): a view."""
    d = _dt(dtype)
    offset = _operator.index(offset)
    if offset < 0 or offset + d.itemsize > self.itemsize:
        raise ValueError('Need 0 <= offset <= %d for requested type but received offset = %d'
                         % (self.itemsize - d.itemsize, offset))
    if d == self.dtype and offset == 0:
        return self.view()
    raise NotImplementedError('wgpy: getfield of another type or offset needs view(dtype), '
                              'which wgpy does not have')


def _setfield(self, val, dtype, offset=0):
    f = _getfield(self, dtype, offset)
    f[...] = val


def _byteswap(self, inplace=False):
    """NumPy's byteswap: the bytes of each element reversed, on the device (library kernels) for
    integer and bool dtypes; floats raise NotImplementedError (their swapped bytes are NaN
    payloads and subnormals that GPU floats do not keep).  inplace=True writes them back into
    the array."""
    r = _core._wrap(_lib.wg_byteswap(_core.ctx, self._h))
    if inplace:
        self[...] = r
        return self
    return r


ndarray.byteswap = _byteswap
ndarray.setflags = _setflags
ndarray.to_device = _to_device
ndarray.getfield = _getfield
ndarray.setfield = _setfield
