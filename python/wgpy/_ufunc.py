"""ufunc objects (issue 10): ``wgpy.add`` and every other ufunc wgpy exports is a ``wgpy.ufunc``
with NumPy's attributes (nin, nout, nargs, ntypes, types, identity, __name__, signature) and
methods (reduce, accumulate, reduceat, outer, at).

One definition per ufunc: the object wraps the function defined where it always was (the engine's
op table in _funcs, the extras in _mathx); calling it calls that function (out=, dtype=), with
where= and casting= handled here.  The methods are built from the engine's reductions, scans,
views and advanced indexing (``at`` is wg_adv_set with the op: an atomic scatter on cpu/webgpu,
a gather formulation on webgl2; see docs/indexing.md).
"""

import operator as _operator

from . import _core, _dtypes, _lib
from ._core import ndarray

_np = _lib.np
_OP = _lib.OPS
_NOVALUE = object()

# name: (nin, nout, identity, types) -- NumPy 2.4.6's ufuncs that wgpy has, loops over wgpy's dtypes
_TABLE = {
    'abs': (1, 1, None, '?->? b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q e->e f->f d->d'),
    'absolute': (1, 1, None, '?->? b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q e->e f->f d->d'),
    'acos': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'acosh': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'add': (2, 1, 0, '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d'),
    'arccos': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'arccosh': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'arcsin': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'arcsinh': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'arctan': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'arctan2': (2, 1, None, 'ee->e ff->f dd->d'),
    'arctanh': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'asin': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'asinh': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'atan': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'atan2': (2, 1, None, 'ee->e ff->f dd->d'),
    'atanh': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'bitwise_and': (2, 1, -1, '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q'),
    'bitwise_count': (1, 1, None, 'b->B B->B h->B H->B i->B I->B l->B L->B q->B Q->B'),
    'bitwise_invert': (1, 1, None, '?->? b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q'),
    'bitwise_left_shift': (2, 1, None, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q'),
    'bitwise_not': (1, 1, None, '?->? b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q'),
    'bitwise_or': (2, 1, 0, '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q'),
    'bitwise_right_shift': (2, 1, None, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q'),
    'bitwise_xor': (2, 1, 0, '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q'),
    'cbrt': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'ceil': (1, 1, None, '?->? b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q e->e f->f d->d f->f d->d'),
    'conj': (1, 1, None, 'b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q e->e f->f d->d'),
    'conjugate': (1, 1, None, 'b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q e->e f->f d->d'),
    'copysign': (2, 1, None, 'ee->e ff->f dd->d'),
    'cos': (1, 1, None, 'e->e f->f d->d'),
    'cosh': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'deg2rad': (1, 1, None, 'e->e f->f d->d'),
    'degrees': (1, 1, None, 'e->e f->f d->d'),
    'divide': (2, 1, None, 'ee->e ff->f dd->d'),
    'divmod': (2, 2, None, 'bb->bb BB->BB hh->hh HH->HH ii->ii II->II ll->ll LL->LL qq->qq QQ->QQ ee->ee ff->ff dd->dd'),
    'equal': (2, 1, None, '??->? bb->? BB->? hh->? HH->? ii->? II->? ll->? LL->? qq->? QQ->? qQ->? Qq->? ee->? ff->? dd->?'),
    'exp': (1, 1, None, 'e->e f->f d->d f->f d->d'),
    'exp2': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'expm1': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'fabs': (1, 1, None, 'e->e f->f d->d'),
    'float_power': (2, 1, None, 'dd->d'),
    'floor': (1, 1, None, '?->? b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q e->e f->f d->d f->f d->d'),
    'floor_divide': (2, 1, None, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d'),
    'fmax': (2, 1, None, '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d'),
    'fmin': (2, 1, None, '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d'),
    'fmod': (2, 1, None, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d'),
    'frexp': (1, 2, None, 'e->ei f->fi d->di'),
    'gcd': (2, 1, 0, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q'),
    'greater': (2, 1, None, '??->? bb->? BB->? hh->? HH->? ii->? II->? ll->? LL->? qq->? QQ->? qQ->? Qq->? ee->? ff->? dd->?'),
    'greater_equal': (2, 1, None, '??->? bb->? BB->? hh->? HH->? ii->? II->? ll->? LL->? qq->? QQ->? qQ->? Qq->? ee->? ff->? dd->?'),
    'heaviside': (2, 1, None, 'ee->e ff->f dd->d'),
    'hypot': (2, 1, 0, 'ee->e ff->f dd->d'),
    'invert': (1, 1, None, '?->? b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q'),
    'isfinite': (1, 1, None, '?->? b->? B->? h->? H->? i->? I->? l->? L->? q->? Q->? e->? f->? d->?'),
    'isinf': (1, 1, None, '?->? b->? B->? h->? H->? i->? I->? l->? L->? q->? Q->? e->? f->? d->?'),
    'isnan': (1, 1, None, '?->? b->? B->? h->? H->? i->? I->? l->? L->? q->? Q->? e->? f->? d->?'),
    'lcm': (2, 1, None, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q'),
    'ldexp': (2, 1, None, 'ei->e fi->f el->e fl->f di->d dl->d'),
    'left_shift': (2, 1, None, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q'),
    'less': (2, 1, None, '??->? bb->? BB->? hh->? HH->? ii->? II->? ll->? LL->? qq->? QQ->? qQ->? Qq->? ee->? ff->? dd->?'),
    'less_equal': (2, 1, None, '??->? bb->? BB->? hh->? HH->? ii->? II->? ll->? LL->? qq->? QQ->? qQ->? Qq->? ee->? ff->? dd->?'),
    'log': (1, 1, None, 'e->e f->f d->d f->f d->d'),
    'log10': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'log1p': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'log2': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'logaddexp': (2, 1, float('-inf'), 'ee->e ff->f dd->d'),
    'logaddexp2': (2, 1, float('-inf'), 'ee->e ff->f dd->d'),
    'logical_and': (2, 1, True, '??->? bb->? BB->? hh->? HH->? ii->? II->? ll->? LL->? qq->? QQ->? ee->? ff->? dd->?'),
    'logical_not': (1, 1, None, '?->? b->? B->? h->? H->? i->? I->? l->? L->? q->? Q->? e->? f->? d->?'),
    'logical_or': (2, 1, False, '??->? bb->? BB->? hh->? HH->? ii->? II->? ll->? LL->? qq->? QQ->? ee->? ff->? dd->?'),
    'logical_xor': (2, 1, False, '??->? bb->? BB->? hh->? HH->? ii->? II->? ll->? LL->? qq->? QQ->? ee->? ff->? dd->?'),
    'maximum': (2, 1, None, '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d'),
    'minimum': (2, 1, None, '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d'),
    'mod': (2, 1, None, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d'),
    'modf': (1, 2, None, 'e->ee f->ff d->dd'),
    'multiply': (2, 1, 1, '??->? bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d'),
    'negative': (1, 1, None, 'b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q e->e f->f d->d'),
    'nextafter': (2, 1, None, 'ee->e ff->f dd->d'),
    'not_equal': (2, 1, None, '??->? bb->? BB->? hh->? HH->? ii->? II->? ll->? LL->? qq->? QQ->? qQ->? Qq->? ee->? ff->? dd->?'),
    'positive': (1, 1, None, 'b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q e->e f->f d->d'),
    'pow': (2, 1, None, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d ee->e ff->f dd->d'),
    'power': (2, 1, None, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d ee->e ff->f dd->d'),
    'rad2deg': (1, 1, None, 'e->e f->f d->d'),
    'radians': (1, 1, None, 'e->e f->f d->d'),
    'reciprocal': (1, 1, None, 'b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q e->e f->f d->d'),
    'remainder': (2, 1, None, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d'),
    'right_shift': (2, 1, None, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q'),
    'rint': (1, 1, None, 'e->e f->f d->d f->f d->d'),
    'sign': (1, 1, None, 'b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q e->e f->f d->d'),
    'signbit': (1, 1, None, 'e->? f->? d->?'),
    'sin': (1, 1, None, 'e->e f->f d->d'),
    'sinh': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'spacing': (1, 1, None, 'e->e f->f d->d'),
    'sqrt': (1, 1, None, 'e->e f->f d->d f->f d->d'),
    'square': (1, 1, None, 'b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q e->e f->f d->d'),
    'subtract': (2, 1, None, 'bb->b BB->B hh->h HH->H ii->i II->I ll->l LL->L qq->q QQ->Q ee->e ff->f dd->d'),
    'tan': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'tanh': (1, 1, None, 'e->e f->f d->d e->e f->f d->d'),
    'true_divide': (2, 1, None, 'ee->e ff->f dd->d'),
    'trunc': (1, 1, None, '?->? b->b B->B h->h H->H i->i I->I l->l L->L q->q Q->Q e->e f->f d->d f->f d->d'),
}

# the reductions that ufunc.reduce maps onto (wg_reduce)
_REDUCE = {'add': 'sum', 'multiply': 'prod', 'maximum': 'max', 'minimum': 'min',
           'logical_and': 'all', 'logical_or': 'any'}
# NaN-ignoring folds (statx's nanmax/nanmin)
_REDUCE_NAN = {'fmax': 'nanmax', 'fmin': 'nanmin'}
_ACCUMULATE = ('add', 'multiply', 'maximum', 'minimum', 'logical_and', 'logical_or')


def _f():
    from . import _funcs
    return _funcs


class ufunc:
    """NumPy's ufunc: an elementwise function with nin inputs and nout outputs."""

    def __init__(self, name, func, nin, nout, identity, types):
        self.__name__ = self.__qualname__ = name
        self._func = func
        self.nin, self.nout, self.nargs = nin, nout, nin + nout
        self.identity = identity
        self.types = types.split() if types else []
        self.ntypes = len(self.types)
        self.signature = None
        self._op = _OP.get(name) if name in _OP else _OP.get(_ALIASES.get(name, ''))
        self.__doc__ = getattr(func, '__doc__', None)

    def __repr__(self):
        return "<ufunc '%s'>" % self.__name__

    def __call__(self, *args, out=None, where=True, casting='same_kind', order='K', dtype=None,
                 subok=True, signature=None):
        if where is True and casting == 'same_kind':
            if out is None:
                return self._func(*args) if dtype is None else self._func(*args, dtype=dtype)
            if dtype is None:
                return self._func(*args, out=out)
            return self._func(*args, out=out, dtype=dtype)
        return self._general(args, out, where, casting, dtype)

    def _general(self, args, out, where, casting, dtype):
        if casting not in _lib.CASTING:
            raise ValueError("casting must be one of 'no', 'equiv', 'safe', 'same_kind', or "
                             "'unsafe'")
        if type(out) is tuple:
            out = out[0] if len(out) == 1 else out
        r = self._func(*args) if dtype is None else self._func(*args, dtype=dtype)
        fs = _f()
        rs = r if isinstance(r, tuple) else (r,)
        if out is not None:
            for o, y in zip(out if isinstance(out, tuple) else (out,), rs):
                if not fs.can_cast(y.dtype, o.dtype, casting):
                    raise _cast_error(self.__name__, 'output', y.dtype, o.dtype, casting)
        if casting != 'unsafe':
            for x in args:
                if type(x) in (int, float, bool):
                    continue  # Python scalars are weak: they take the loop's type
                xd = _core.operand(x).dtype
                for y in rs:
                    if y.dtype.kind != 'b' and not fs.can_cast(xd, y.dtype, casting):
                        raise _cast_error(self.__name__, 'input', xd, y.dtype, casting)
        if out is None:
            if where is True:
                return r
            # NumPy leaves unselected points uninitialized; wgpy gives zeros there
            outs = tuple(fs.zeros(y.shape, y.dtype) for y in rs)
        else:
            outs = out if isinstance(out, tuple) else (out,)
            for o, y in zip(outs, rs):
                if not fs.can_cast(y.dtype, o.dtype, casting):
                    raise _cast_error(self.__name__, 'output', y.dtype, o.dtype, casting)
        for o, y in zip(outs, rs):
            o[...] = y if where is True else fs.where(where, y, o)
        return outs if isinstance(r, tuple) else outs[0]

    # -- methods --
    def _binary_only(self, method):
        if self.nin != 2 or self.nout != 1:
            raise ValueError('%s only supported for binary functions' % method)

    def reduce(self, array, axis=0, dtype=None, out=None, keepdims=False, initial=_NOVALUE,
               where=True):
        self._binary_only('reduce')
        name = _ALIASES.get(self.__name__, self.__name__)
        fs = _f()
        a = array if isinstance(array, ndarray) else _core.asarray_impl(array)
        if type(out) is tuple:
            out = out[0]
        red = _REDUCE.get(name)
        init = None if initial is _NOVALUE else initial
        if red is not None:
            wh = None if where is True else where
            if red in ('any', 'all'):
                if init is not None:
                    r = fs.logical_or(getattr(fs, red)(a, axis, None, keepdims, where=wh), init) \
                        if red == 'any' else \
                        fs.logical_and(getattr(fs, red)(a, axis, None, keepdims, where=wh), init)
                    return _to_out(r, out)
                return getattr(fs, red)(a, axis, out, keepdims, where=wh)
            if red in ('max', 'min'):
                if dtype is not None:
                    a = a.astype(dtype)
                return getattr(fs, red)(a, axis, out, keepdims, initial=init, where=wh)
            return getattr(fs, red)(a, axis, dtype, out, keepdims, initial=init, where=wh)
        if name in _REDUCE_NAN and init is None and where is True:
            if dtype is not None:
                a = a.astype(dtype)
            import wgpy
            return getattr(wgpy, _REDUCE_NAN[name])(a, axis=axis, out=out, keepdims=keepdims)
        if name in _BITWISE_FOLDS:
            return _bitwise_reduce(self, name, a, axis, dtype, out, keepdims, init, where)
        if name == 'subtract':
            return _subtract_reduce(a, axis, dtype, out, keepdims, init, where)
        raise NotImplementedError('wgpy: %s.reduce is not supported (%s is not associative or '
                                  'has no reduction in wgpy)' % (self.__name__, self.__name__))

    def accumulate(self, array, axis=0, dtype=None, out=None):
        """The engine's parallel scan (wg_accumulate, api/scan.c) for add, multiply, maximum,
        minimum, logical_and and logical_or."""
        self._binary_only('accumulate')
        name = _ALIASES.get(self.__name__, self.__name__)
        if name not in _ACCUMULATE:
            raise NotImplementedError('wgpy: %s.accumulate is not supported (the engine scans '
                                      '%s)' % (self.__name__, ', '.join(sorted(_ACCUMULATE))))
        a = array if isinstance(array, ndarray) else _core.asarray_impl(array)
        if axis is None:
            raise TypeError("'NoneType' object cannot be interpreted as an integer")
        if a.ndim == 0:
            raise TypeError('cannot accumulate on a scalar')
        from . import _scan
        return _scan.accumulate(name, a, axis=_norm_axis(axis, a.ndim), dtype=dtype, out=out)

    def reduceat(self, array, indices, axis=0, dtype=None, out=None):
        """NumPy's reduceat: for each i, reduce(a[indices[i]:indices[i+1]]) along axis, or
        a[indices[i]] where indices[i] >= indices[i+1]; the last runs to the end.  The segments
        are Python-side slices of the device array: one reduction per segment (indices are read
        from the host when they are a device array: one read)."""
        self._binary_only('reduceat')
        a = array if isinstance(array, ndarray) else _core.asarray_impl(array)
        ax = _norm_axis(axis, a.ndim)
        if isinstance(indices, ndarray):
            indices = indices.tolist()
        idx = [_operator.index(i) for i in (indices if isinstance(indices, (list, tuple))
                                             else list(indices))]
        n = a.shape[ax]
        for i in idx:
            if not 0 <= i < n:
                raise IndexError('index %d out-of-bounds in %s.reduceat [0, %d)'
                                 % (i, self.__name__, n))
        fs = _f()
        pieces = []
        pre = (slice(None),) * ax
        for k, s in enumerate(idx):
            e = idx[k + 1] if k + 1 < len(idx) else n
            if s < e:
                pieces.append(self.reduce(a[pre + (slice(s, e),)], axis=ax, dtype=dtype,
                                          keepdims=True))
            else:
                p = a[pre + (slice(s, s + 1),)]
                pieces.append(p if dtype is None else p.astype(dtype))
        if not pieces:
            shp = list(a.shape)
            shp[ax] = 0
            r = fs.empty(tuple(shp), a.dtype if dtype is None else dtype)
        else:
            import wgpy
            r = wgpy.concatenate(pieces, axis=ax)
        return _to_out(r, out)

    def outer(self, A, B, /, **kwargs):
        self._binary_only('outer')
        a = A if isinstance(A, ndarray) else _core.asarray_impl(A)
        b = B if isinstance(B, ndarray) else _core.asarray_impl(B)
        a2 = a.reshape(a.shape + (1,) * b.ndim)
        return self(a2, b, **kwargs)

    def at(self, a, indices, b=None, /):
        """Unbuffered in-place a[indices] op= b: every occurrence of a repeated index applies
        (wg_adv_set with the op)."""
        if not isinstance(a, ndarray):
            raise TypeError('wgpy: %s.at needs a wgpy array' % self.__name__)
        if self.nin == 1:
            if b is not None:
                raise ValueError('too many operands for unary ufunc.at')
            return _unary_at(self, a, indices)
        if b is None:
            raise ValueError('second operand needed for ufunc')
        name = _ALIASES.get(self.__name__, self.__name__)
        op = _OP.get(name)
        if op is None:
            raise NotImplementedError('wgpy: %s.at is not supported' % self.__name__)
        v = _core.asarray_impl(b) if type(b) in (list, tuple) else _core.operand(b)
        key = indices if type(indices) is tuple else (indices,)
        if len(key) == 1 and _scalar_bool(key[0]) is not None:
            # a lone 0-d boolean (NumPy): a new leading axis, indexed by [0] (True) or [] (False)
            a = a[None]
            key = (_core.asarray_impl([0] if _scalar_bool(key[0]) else [], 'int32'),)
        # every item is an index array or a basic item; a lone int indexes as a 0-d array
        if not _core._is_advanced(key) and all(
                type(k) in (slice, type(None), type(Ellipsis), int) or
                (not isinstance(k, ndarray) and hasattr(k, '__index__')) for k in key):
            # only basic items (host ints, slices): nothing repeats, a view takes the op
            if not any(k is Ellipsis for k in key):
                key = key + (Ellipsis,)  # a view even when the ints index every dim
            a_ = a[key]
            a_[...] = self(a_, v)
            return None
        if not _core._is_advanced(key):
            key = tuple(k if type(k) in (slice, type(None), type(Ellipsis)) else
                        _core.asarray_impl(k) for k in key)
            if not any(isinstance(k, ndarray) for k in key):
                if not any(k is Ellipsis for k in key):
                    key = key + (Ellipsis,)  # a view even when the ints index every dim
                a_ = a[key]
                a_[...] = self(a_, v)
                return None
        _core._adv_set(a, key, v, 0, op, force_last=not _core._is_advanced(key))
        return None


def _scalar_bool(k):
    """True/False for a 0-d boolean index item (Python, NumPy or wgpy), else None."""
    if type(k) is bool:
        return k
    if isinstance(k, ndarray):
        return bool(k) if k.ndim == 0 and k.dtype.kind == 'b' else None
    if getattr(k, 'ndim', None) == 0 and getattr(getattr(k, 'dtype', None), 'kind', '') == 'b':
        return bool(k)
    return None


_BITWISE_FOLDS = ('bitwise_and', 'bitwise_or', 'bitwise_xor', 'logical_xor')


def _bitwise_reduce(uf, name, a, axis, dtype, out, keepdims, init, where):
    """bitwise_and/or/xor.reduce (the engine's library reductions, wg_bitwise_reduce);
    logical_xor.reduce is bitwise_xor of a != 0."""
    fs = _f()
    if name == 'logical_xor':
        a = fs.not_equal(a, 0)
        name = 'bitwise_xor'
    elif dtype is not None:
        a = a.astype(dtype)
    if where is not True:
        ident = -1 if name == 'bitwise_and' else 0
        a = fs.where(where, a, _core.asarray_impl(ident).astype(a.dtype))
    if not a.shape and axis is not None and not isinstance(axis, (tuple, list)) and \
            _operator.index(axis) in (0, -1):
        axis = None
    naxes, ax = _core.axes_arg(axis)
    r = _core._wrap(_lib.wg_bitwise_reduce(_core.ctx, _OP[name], a._h, naxes, ax,
                                           1 if keepdims else 0))
    if init is not None:
        r = uf(r, init)
    return _to_out(r, out)


def _subtract_reduce(a, axis, dtype, out, keepdims, init, where):
    """subtract.reduce: a[0] - a[1] - ... = a[0] - sum(a[1:]) along one axis (in a's dtype, so
    integers wrap as NumPy's fold does; floats round as a sum does, not as the serial fold)."""
    fs = _f()
    if a.dtype.kind == 'b':
        raise TypeError('numpy boolean subtract, the `-` operator, is not supported, use the '
                        'bitwise_xor, the `^` operator, or the logical_xor function instead.')
    if isinstance(axis, (tuple, list)):
        if len(axis) != 1:
            raise ValueError("reduction operation 'subtract' is not reorderable, so at most one "
                             "axis may be specified")
        axis = axis[0]
    if axis is None:
        if a.ndim > 1:
            raise ValueError("reduction operation 'subtract' is not reorderable, so at most one "
                             "axis may be specified")
        a = a.ravel()
        axis = 0
    if dtype is not None:
        a = a.astype(dtype)
    ax = _norm_axis(axis, max(a.ndim, 1))
    if a.ndim == 0:
        a = a.reshape(1)
    if init is None:
        if where is not True:
            raise ValueError("reduction operation 'subtract' does not have an identity, so to "
                             "use a where mask one has to specify 'initial'")
        if a.shape[ax] == 0:
            raise ValueError('zero-size array to reduction operation subtract which has no '
                             'identity')
        pre = (slice(None),) * ax
        r = fs.subtract(a[pre + (0,)], fs.sum(a[pre + (slice(1, None),)], axis=ax,
                                              dtype=a.dtype))
    else:
        b = a if where is True else fs.where(where, a, _core.asarray_impl(0).astype(a.dtype))
        r = fs.subtract(init, fs.sum(b, axis=ax, dtype=a.dtype))
    if keepdims:
        r = fs.expand_dims(r, ax)
    return _to_out(r, out)


def _unary_at(uf, a, indices):
    """A unary ufunc.at applies once per occurrence: the index is read (one read) and applied
    in rounds of distinct positions (round r: every index's r-th occurrence)."""
    if type(indices) is tuple:
        if len(indices) != 1:
            raise NotImplementedError('wgpy: %s.at with a tuple index (unary ufuncs take one '
                                      'index array)' % uf.__name__)
        indices = indices[0]
    if type(indices) is slice:
        a[indices] = uf(a[indices])
        return None
    idx = indices.tolist() if isinstance(indices, ndarray) else indices
    if not isinstance(idx, list):
        idx = [idx]
    n = a.shape[0] if a.ndim else 0
    seen, rounds = {}, []
    for i in _flatten(idx):
        j = _operator.index(i)
        if not -n <= j < n:
            raise IndexError('index %d is out of bounds for axis 0 with size %d' % (j, n))
        j %= n
        r = seen.get(j, 0)
        seen[j] = r + 1
        if r == len(rounds):
            rounds.append([])
        rounds[r].append(j)
    for rnd in rounds:
        k = _core.asarray_impl(rnd, 'int32')
        a[k] = uf(a[k])
    return None


def _flatten(x):
    if isinstance(x, (list, tuple)):
        for y in x:
            yield from _flatten(y)
    else:
        yield x


def _norm_axis(axis, ndim):
    axis = _operator.index(axis)
    if not -ndim <= axis < ndim:
        raise _lib.AxisError('axis %d is out of bounds for array of dimension %d' % (axis, ndim))
    return axis + ndim if axis < 0 else axis


def _to_out(r, out):
    if out is None:
        return r
    out[...] = r
    return out


def _cast_error(name, what, frm, to, casting):
    from ._exceptions import classify
    msg = ("Cannot cast ufunc '%s' %s from %r to %r with casting rule %r"
           % (name, what, frm, to, casting))
    return classify(msg) or TypeError(msg)


_ALIASES = {'abs': 'absolute', 'divide': 'true_divide', 'mod': 'remainder', 'pow': 'power',
            'bitwise_not': 'invert', 'bitwise_invert': 'invert',
            'bitwise_left_shift': 'left_shift', 'bitwise_right_shift': 'right_shift',
            'acos': 'arccos', 'asin': 'arcsin', 'atan': 'arctan', 'acosh': 'arccosh',
            'asinh': 'arcsinh', 'atanh': 'arctanh', 'atan2': 'arctan2', 'conj': 'conjugate'}


# The plain call u(x) / u(x1, x2) of the ufuncs that are the engine op alone, in C where the fast
# operators are loaded (python/ext/fastops.c: ndarray and cached-scalar operands; any other call
# goes to ufunc.__call__ above): {ufunc: (nin, op code)}, filled by ufuncify.
_FAST_CALLS = {}
if _core._fast_ufunc_call is not None:
    ufunc.__call__ = _core._fast_ufunc_call(ufunc, _FAST_CALLS, ufunc.__call__)


def ufuncify(namespace):
    """Replace every function of `namespace` named as one of NumPy's ufuncs by a ufunc object
    wrapping it (aliases share the object, as numpy.abs is numpy.absolute)."""
    made = {}
    for name, (nin, nout, ident, types) in _TABLE.items():
        f = namespace.get(name)
        if f is None or isinstance(f, ufunc):
            continue
        u = made.get(id(f))
        if u is None:
            canon = _ALIASES.get(name, name)
            canon = 'divide' if canon == 'true_divide' else canon  # NumPy 2's __name__
            u = made[id(f)] = ufunc(canon if canon in _TABLE else name, f, nin, nout, ident,
                                    types)
            code = getattr(f, '_wgpy_op', None)
            if code is not None and nout == 1:
                _FAST_CALLS[u] = (nin, code)
        namespace[name] = u
