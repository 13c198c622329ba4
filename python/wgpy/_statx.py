"""wgpy's reductions and products beyond the engine's own (issue 10, no new kernel machinery):
ptp, average, the nan* reductions, diff, ediff1d, trapezoid, outer, inner, vdot, tensordot, kron,
cross, vecdot, matvec, vecmat, and the real-dtype forms of real, imag, conj, conjugate, angle,
real_if_close and astype.  Built from the engine's reductions, matmul, views and elementwise ops
(ports of NumPy's Python code where there is one).  The functions that must look at data to
raise NumPy's errors say so (average's zero weight sum, nanargmax/nanargmin's all-NaN slice).
"""

import builtins as _b
import math as _math
import operator as _operator
import warnings as _warnings

from . import _core, _dtypes, _lib
from ._core import ndarray

_np = _lib.np

__all__ = []
_export = _core.exporter(globals())


def _f():
    from . import _funcs
    return _funcs


def _m():
    from . import _manip
    return _manip


def _arr(a):
    return a if isinstance(a, ndarray) else _core.asarray_impl(a)


def _canon(code):
    return _dtypes.OBJS[_core._canonical[code]]


_out = _core._into_out


# ---- reductions -------------------------------------------------------------------------------
@_export
def ptp(a, axis=None, out=None, keepdims=False):
    a = _arr(a)
    return _f().subtract(a.max(axis, keepdims=keepdims), a.min(axis, keepdims=keepdims), out=out)


@_export
def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """NumPy's average.  With weights, NumPy's ZeroDivisionError for a zero weight sum reads one
    bool back."""
    F = _f()
    a = _arr(a)
    if axis is not None:
        axis = _m()._norm_axes(axis, a.ndim, 'axis')
    if weights is None:
        avg = a.mean(axis, keepdims=keepdims)
        scl = F.full((), a.size / _b.max(avg.size, 1), dtype=avg.dtype)
    else:
        wgt = _arr(weights)
        if a.shape != wgt.shape:
            if axis is None:
                raise TypeError('Axis must be specified when shapes of a and weights differ.')
            if wgt.shape != tuple(a.shape[ax] for ax in axis):
                raise ValueError('Shape of weights must be consistent with shape of a along '
                                 'specified axis.')
            wgt = wgt.transpose(_np_argsort(axis)).reshape(
                tuple(a.shape[ax] if ax in axis else 1 for ax in range(a.ndim)))
        if a.dtype.kind in 'biu':
            rdt = F.result_type(a.dtype, wgt.dtype, _canon(_dtypes.FLOAT64))
        else:
            rdt = F.result_type(a.dtype, wgt.dtype)
        scl = wgt.sum(axis=axis, dtype=rdt, keepdims=keepdims)
        if bool((scl == 0.0).any()):
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        avg = F.multiply(a, wgt, dtype=rdt).sum(axis, keepdims=keepdims) / scl
    if returned:
        if scl.shape != avg.shape:
            scl = F.broadcast_to(scl, avg.shape).copy()
        return avg, scl
    return avg


def _np_argsort(axis):
    return sorted(range(len(axis)), key=lambda i: axis[i])


def _replace_nan(a, val):
    a = _arr(a)
    if a.dtype.kind != 'f':
        return a, None
    mask = _f().isnan(a)
    return _f().where(mask, val, a), mask


@_export
def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    a, _ = _replace_nan(a, 0)
    return _f().sum(a, axis, dtype, out, keepdims, initial, where)


@_export
def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    a, _ = _replace_nan(a, 1)
    return _f().prod(a, axis, dtype, out, keepdims, initial, where)


def _nan_extreme(a, axis, out, keepdims, fill, fn):
    F = _f()
    a = _arr(a)
    if a.dtype.kind != 'f':
        return fn(a, axis=axis, out=out, keepdims=keepdims)
    mask = F.isnan(a)
    r = fn(F.where(mask, fill, a), axis=axis, keepdims=keepdims)
    # an all-NaN slice gives NaN (NumPy also warns: that would need a read back)
    r = F.where(mask.all(axis=axis, keepdims=keepdims), float('nan'), r).astype(a.dtype)
    return _out(r, out)


@_export
def nanmax(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    if initial is not None or where is not None:
        raise NotImplementedError('wgpy: nanmax(initial=, where=) is not supported')
    return _nan_extreme(a, axis, out, keepdims, float('-inf'), _f().amax)


@_export
def nanmin(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    if initial is not None or where is not None:
        raise NotImplementedError('wgpy: nanmin(initial=, where=) is not supported')
    return _nan_extreme(a, axis, out, keepdims, float('inf'), _f().amin)


def _nan_arg(a, axis, out, keepdims, fill, name):
    F = _f()
    a = _arr(a)
    if a.dtype.kind == 'f':
        mask = F.isnan(a)
        if a.size and bool(mask.all(axis=axis).any()):
            raise ValueError('All-NaN slice encountered')
        a = F.where(mask, fill, a)
    return getattr(a, name)(axis, out, keepdims=keepdims)


@_export
def nanargmax(a, axis=None, out=None, *, keepdims=False):
    """NumPy's nanargmax; its ValueError for an all-NaN slice reads one bool back."""
    return _nan_arg(a, axis, out, keepdims, float('-inf'), 'argmax')


@_export
def nanargmin(a, axis=None, out=None, *, keepdims=False):
    """NumPy's nanargmin; its ValueError for an all-NaN slice reads one bool back."""
    return _nan_arg(a, axis, out, keepdims, float('inf'), 'argmin')


def _count(mask, axis, keepdims):
    return (~mask).sum(axis=axis, dtype=_canon(_dtypes.INT64), keepdims=keepdims)


@_export
def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    F = _f()
    arr, mask = _replace_nan(a, 0)
    if mask is None:
        return F.mean(arr, axis, dtype, out, keepdims, where=where)
    if where is not None:
        raise NotImplementedError('wgpy: nanmean(where=) is not supported')
    cnt = _count(mask, axis, keepdims)
    tot = F.sum(arr, axis, dtype, None, keepdims)
    return _out((tot / cnt).astype(tot.dtype), out)


@_export
def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
           mean=None, correction=None):
    F = _f()
    arr, mask = _replace_nan(a, 0)
    if mask is None:
        if correction is not None:
            ddof = correction
        return F.var(arr, axis, dtype, out, ddof, keepdims, where=where)
    if where is not None or mean is not None:
        raise NotImplementedError('wgpy: nanvar(where=, mean=) is not supported')
    if correction is not None:
        if ddof != 0:
            raise ValueError("ddof and correction can't be provided simultaneously.")
        ddof = correction
    cnt = _count(mask, axis, True)
    avg = F.sum(arr, axis, dtype, None, True)
    avg = (avg / cnt).astype(avg.dtype)
    d = F.where(mask, 0, arr - avg)
    sqr = d * d
    var = F.sum(sqr, axis, dtype, None, keepdims)
    if var.ndim < cnt.ndim:
        cnt = cnt.squeeze(axis)
    dof = cnt - ddof
    var = F.where(dof <= 0, float('nan'), (var / dof)).astype(var.dtype)
    return _out(var, out)


@_export
def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
           mean=None, correction=None):
    v = nanvar(a, axis, dtype, None, ddof, keepdims, where=where, mean=mean,
               correction=correction)
    return _f().sqrt(v, out=out)


# ---- differences and integrals ----------------------------------------------------------------
_NOVALUE = object()


@_export
def diff(a, n=1, axis=-1, prepend=_NOVALUE, append=_NOVALUE):
    F = _f()
    M = _m()
    if n == 0:
        return a
    if n < 0:
        raise ValueError('order must be non-negative but got ' + repr(n))
    a = _arr(a)
    nd = a.ndim
    if nd == 0:
        raise ValueError('diff requires input that is at least one dimensional')
    axis = M._norm_axis(axis, nd)
    combined = []
    if prepend is not _NOVALUE:
        p = _arr(prepend)
        if p.ndim == 0:
            shape = list(a.shape)
            shape[axis] = 1
            p = F.broadcast_to(p, tuple(shape))
        combined.append(p)
    combined.append(a)
    if append is not _NOVALUE:
        p = _arr(append)
        if p.ndim == 0:
            shape = list(a.shape)
            shape[axis] = 1
            p = F.broadcast_to(p, tuple(shape))
        combined.append(p)
    if len(combined) > 1:
        a = M.concatenate(combined, axis)
    op = F.not_equal if a.dtype.kind == 'b' else F.subtract
    for _ in range(n):
        a = op(a[M._at(slice(1, None), axis)], a[M._at(slice(None, -1), axis)])
    return a


@_export
def ediff1d(ary, to_end=None, to_begin=None):
    F = _f()
    M = _m()
    ary = _arr(ary).ravel()
    dt = ary.dtype
    parts = []
    for v, name in ((to_begin, 'to_begin'), (to_end, 'to_end')):
        if v is None:
            parts.append(None)
            continue
        w = _arr(v)
        if not F.can_cast(w, dt, casting='same_kind'):
            raise TypeError('dtype of `%s` must be compatible with input `ary` under the '
                            '`same_kind` rule.' % name)
        parts.append(w.astype(dt).ravel())
    d = ary[1:] - ary[:-1]
    seq = [p for p in (parts[0], d, parts[1]) if p is not None]
    return M.concatenate(seq) if len(seq) > 1 else d


@_export
def trapezoid(y, x=None, dx=1.0, axis=-1):
    F = _f()
    M = _m()
    y = _arr(y)
    nd = y.ndim
    axis = M._norm_axis(axis, nd)
    if x is None:
        d = dx
    else:
        x = _arr(x)
        if x.ndim == 1:
            d = diff(x)
            shape = [1] * nd
            shape[axis] = d.shape[0]
            d = d.reshape(tuple(shape))
        else:
            d = diff(x, axis=axis)
    s1 = y[M._at(slice(1, None), axis)]
    s2 = y[M._at(slice(None, -1), axis)]
    return F.sum(d * (s1 + s2) / 2.0, axis=axis)


# ---- products ---------------------------------------------------------------------------------
@_export
def outer(a, b, out=None):
    a, b = _arr(a), _arr(b)
    return _f().multiply(a.ravel()[:, None], b.ravel()[None, :], out=out)


@_export
def tensordot(a, b, axes=2):
    try:
        iter(axes)
    except Exception:
        axes_a = list(range(-axes, 0))
        axes_b = list(range(axes))
    else:
        axes_a, axes_b = axes
    try:
        na = len(axes_a)
        axes_a = list(axes_a)
    except TypeError:
        axes_a = [axes_a]
        na = 1
    try:
        nb = len(axes_b)
        axes_b = list(axes_b)
    except TypeError:
        axes_b = [axes_b]
        nb = 1
    if len(set(axes_a)) != len(axes_a) or len(set(axes_b)) != len(axes_b):
        raise ValueError('duplicate axes are not allowed in tensordot')
    a, b = _arr(a), _arr(b)
    as_, nda, bs, ndb = a.shape, a.ndim, b.shape, b.ndim
    equal = na == nb
    if equal:
        for k in range(na):
            if as_[axes_a[k]] != bs[axes_b[k]]:
                equal = False
                break
            if axes_a[k] < 0:
                axes_a[k] += nda
            if axes_b[k] < 0:
                axes_b[k] += ndb
    if not equal:
        raise ValueError('shape-mismatch for sum')
    # a as (M, K) and b as (K, N), then one matmul.  A transpose that leaves the axes in place is
    # skipped, and b with its contracted axes last (Chainer's convolution: W (out, in, kh, kw)
    # against axes (1, 2, 3)) is the view b.reshape(N, K).T, not a transposed copy: one kernel
    # and two wrapped arrays less; the sums run over K in the same order.
    notin = [k for k in range(ndb) if k not in axes_b]
    oldb = [bs[ax] for ax in notin]
    n = _math.prod(oldb)
    kk = _math.prod([bs[ax] for ax in axes_b])
    perm = axes_b + notin
    ident = list(range(ndb))
    if perm == ident:
        bt = b.reshape(kk, n)
    elif notin + axes_b == ident:
        bt = b.reshape(n, kk).T
    else:
        bt = b.transpose(perm).reshape(kk, n)
    notin = [k for k in range(nda) if k not in axes_a]
    olda = [as_[ax] for ax in notin]
    m = _math.prod(olda)
    perm = notin + axes_a
    i = axes_a[0] if na else 0
    if perm == list(range(nda)):
        at = a.reshape(m, kk)
    elif not a._flags & _lib.FLAG_C or axes_a != list(range(i, i + na)):
        at = a.transpose(perm).reshape(m, kk)
    elif i == 0:  # contracted axes leading (a convolution's W against gy): a view, no copy
        at = a.reshape(kk, m).T
    else:
        # contracted axes in the middle (Chainer's convolution: col (N, C, kh, kw, oh, ow) against
        # axes (1, 2, 3)): a batch of (M, K) views, one batched matmul, no transposed copy of a
        # (the sums run over K in the same order); the result is C-ordered as olda + oldb
        nb = _math.prod(as_[:i])
        at = a.reshape(nb, kk, m // nb if nb else 0).transpose(0, 2, 1)
        return _core.matmul_impl(at, bt).reshape(tuple(olda + oldb))
    return _core.matmul_impl(at, bt, None, dot=True).reshape(tuple(olda + oldb))


@_export
def inner(a, b, /):
    a, b = _arr(a), _arr(b)
    if a.ndim == 0 or b.ndim == 0:
        return _f().multiply(a, b)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError('shapes %s and %s not aligned: %d (dim %d) != %d (dim %d)'
                         % (a.shape, b.shape, a.shape[-1], a.ndim - 1, b.shape[-1],
                            b.ndim - 1))
    return tensordot(a, b, ([-1], [-1]))


@_export
def vdot(a, b, /):
    a, b = _arr(a).ravel(), _arr(b).ravel()
    if a.shape != b.shape:
        raise ValueError('vdot: inputs have different sizes: %d and %d' % (a.size, b.size))
    if a.dtype.kind == 'c':
        a = a.conj()  # NumPy's vdot conjugates its first argument
    return _f().dot(a, b)


@_export
def kron(a, b):
    a, b = _arr(a), _arr(b)
    nd = _b.max(a.ndim, b.ndim)
    if nd == 0:
        return _f().multiply(a, b)
    a = a.reshape((1,) * (nd - a.ndim) + a.shape)
    b = b.reshape((1,) * (nd - b.ndim) + b.shape)
    ai, bi = [], []
    for d in range(nd):
        ai += [slice(None), None]
        bi += [None, slice(None)]
    r = _f().multiply(a[tuple(ai)], b[tuple(bi)])
    return r.reshape(tuple(x * y for x, y in zip(a.shape, b.shape)))


@_export
def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    F = _f()
    M = _m()
    if axis is not None:
        axisa, axisb, axisc = (axis,) * 3
    a, b = _arr(a), _arr(b)
    if a.ndim < 1 or b.ndim < 1:
        raise ValueError('At least one array has zero dimension')
    axisa = M._norm_axis(axisa, a.ndim, 'axisa')
    axisb = M._norm_axis(axisb, b.ndim, 'axisb')
    a = F.moveaxis(a, axisa, -1)
    b = F.moveaxis(b, axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError('incompatible dimensions for cross product\n(dimension must be 2 or 3)')
    if a.shape[-1] == 2 or b.shape[-1] == 2:
        _warnings.warn('Arrays of 2-dimensional vectors are deprecated. Use arrays of '
                       '3-dimensional vectors instead. (deprecated in NumPy 2.0)',
                       DeprecationWarning, stacklevel=2)
    dt = F.promote_types(a.dtype, b.dtype)
    a, b = a.astype(dt), b.astype(dt)
    a0, a1 = a[..., 0], a[..., 1]
    b0, b1 = b[..., 0], b[..., 1]
    a2 = a[..., 2] if a.shape[-1] == 3 else None
    b2 = b[..., 2] if b.shape[-1] == 3 else None
    if a2 is None and b2 is None:
        return a0 * b1 - a1 * b0
    if a2 is None:
        c = [a1 * b2, -(a0 * b2), a0 * b1 - a1 * b0]
    elif b2 is None:
        c = [-(a2 * b1), a2 * b0, a0 * b1 - a1 * b0]
    else:
        c = [a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0]
    shape = F.broadcast_shapes(a0.shape, b0.shape) + (3,)
    axisc = M._norm_axis(axisc, len(shape), 'axisc')
    cp = F.empty(shape, dtype=dt)
    for i in range(3):
        cp[..., i] = c[i]
    return F.moveaxis(cp, -1, axisc)


def _gufunc_dtype(x1, x2):
    return _f().result_type(x1, x2)


@_export
def vecdot(x1, x2, /, *, axis=-1, out=None):
    """NumPy's vecdot for real dtypes: sum over `axis` of x1 * x2, in the operands' result dtype
    (integers are not widened, as the gufunc's loops)."""
    F = _f()
    a, b = _arr(x1), _arr(x2)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError('vecdot: Input operand %d does not have enough dimensions (has 0, '
                         'gufunc core with signature (n),(n)->() requires 1)'
                         % (0 if a.ndim == 0 else 1))
    a = F.moveaxis(a, axis, -1)
    b = F.moveaxis(b, axis, -1)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError('vecdot: Input operand 1 has a mismatch in its core dimension 0, with '
                         'gufunc signature (n),(n)->() (size %d is different from %d)'
                         % (b.shape[-1], a.shape[-1]))
    dt = _gufunc_dtype(a, b)
    if a.dtype.kind == 'c':
        a = a.conj()  # NumPy's vecdot conjugates its first argument
    if dt.kind == 'b':
        r = (a & b).any(axis=-1)
    else:
        r = F.multiply(a, b, dtype=dt).sum(axis=-1, dtype=dt)
    return _out(r, out)


@_export
def matvec(x1, x2, /, out=None):
    a, b = _arr(x1), _arr(x2)
    if a.ndim < 2 or b.ndim < 1:
        raise ValueError('matvec: Input operand %d does not have enough dimensions'
                         % (0 if a.ndim < 2 else 1))
    return _out(_f().matmul(a, b[..., None])[..., 0], out)


@_export
def vecmat(x1, x2, /, out=None):
    a, b = _arr(x1), _arr(x2)
    if a.ndim < 1 or b.ndim < 2:
        raise ValueError('vecmat: Input operand %d does not have enough dimensions'
                         % (0 if a.ndim < 1 else 1))
    return _out(_f().matmul(a[..., None, :], b)[..., 0, :], out)


# ---- the complex-number functions (docs/complex.md) -------------------------------------------
@_export
def real(val):
    """NumPy's real: a view of a complex array's real part; a real array itself."""
    return (val if isinstance(val, ndarray) else _arr(val)).real


@_export
def imag(val):
    return (val if isinstance(val, ndarray) else _arr(val)).imag


@_export
def conjugate(x, /, out=None):
    a = x if isinstance(x, ndarray) else _core.operand(x)
    return _core.conj_impl(a, out)


_export(conjugate, 'conj')


@_export
def angle(z, deg=False):
    F = _f()
    a = _arr(z)
    if a.dtype.kind == 'c':
        r = F.arctan2(a.imag, a.real)
    else:
        r = F.arctan2(0, a)
    if deg:
        r = r * (180.0 / _math.pi)
    return r


@_export
def real_if_close(a, tol=100):
    a = _arr(a)
    if a.dtype.kind != 'c':
        return a
    if tol > 1:
        tol = tol * (1.1920928955078125e-07 if a.dtype.itemsize == 8 else 2.220446049250313e-16)
    if bool((abs(a.imag) < tol).all()):
        return a.real.copy()
    return a


@_export
def astype(x, dtype, /, *, copy=True, device=None):
    if not isinstance(x, ndarray):
        raise TypeError('Input should be a NumPy array. It is a %s instead.' % type(x).__name__)
    return x.astype(dtype, copy=copy)




# ---- selection, counting, gradients, windows, applying Python functions ---------------------
@_export
def select(condlist, choicelist, default=0):
    """NumPy's select: a chain of where (the first true condition wins)."""
    F = _f()
    if len(condlist) != len(choicelist):
        raise ValueError('list of cases must be same length as list of conditions')
    if len(condlist) == 0:
        raise ValueError('select with an empty condition list is not possible')
    choices = [c if type(c) in (int, float, bool) else _arr(c) for c in choicelist]
    choices.append(default if type(default) in (int, float, bool) else _arr(default))
    dt = F.result_type(*choices)
    conds = [_arr(c) for c in condlist]
    for i, c in enumerate(conds):
        if c.dtype.kind != 'b':
            raise TypeError('invalid entry %d in condlist: should be boolean ndarray' % i)
    conds = list(F.broadcast_arrays(*conds))
    arrs = [c if isinstance(c, ndarray) else F.asarray(c, dtype=dt) for c in choices]
    shape = F.broadcast_shapes(conds[0].shape, *[a.shape for a in arrs])
    result = F.broadcast_to(arrs[-1].astype(dt), shape)
    for cond, choice in zip(conds[::-1], arrs[-2::-1]):
        result = F.where(cond, choice.astype(dt), result)
    if result.shape != shape:
        result = F.broadcast_to(result, shape)
    return result.copy() if not result.flags.owndata else result


@_export
def count_nonzero(a, axis=None, *, keepdims=False):
    a = _arr(a)
    nz = a != 0 if a.dtype.kind != 'b' else a
    return nz.sum(axis=axis, dtype=_canon(_dtypes.INT64), keepdims=keepdims)


@_export
def gradient(f, *varargs, axis=None, edge_order=1):
    """NumPy's gradient (a port): central differences inside, one-sided at the edges.  Spacing
    given as 1-d coordinates is checked for uniformity as NumPy does (a read back of one bool
    when they are a wgpy array)."""
    F = _f()
    M = _m()
    f = _arr(f)
    N = f.ndim
    axes = tuple(range(N)) if axis is None else M._norm_axes(axis, N)
    len_axes = len(axes)
    n = len(varargs)
    if n == 0:
        dx = [1.0] * len_axes
    elif n == 1 and F.ndim(varargs[0]) == 0:
        dx = list(varargs) * len_axes
    elif n == len_axes:
        dx = list(varargs)
        for i, distances in enumerate(dx):
            if F.ndim(distances) == 0:
                continue
            d = _arr(distances)
            if d.ndim != 1:
                raise ValueError('distances must be either scalars or 1d')
            if len(d) != f.shape[axes[i]]:
                raise ValueError('when 1d, distances must match the length of the corresponding '
                                 'dimension')
            if d.dtype.kind in 'iub':
                d = d.astype(_canon(_dtypes.FLOAT64))
            diffx = diff(d)
            if bool((diffx == diffx[0]).all()):
                diffx = diffx[0]
            dx[i] = diffx
    else:
        raise TypeError('invalid number of arguments')
    if edge_order > 2:
        raise ValueError("'edge_order' greater than 2 not supported")
    otype = f.dtype
    if otype.kind != 'f':
        f = f.astype(_canon(_dtypes.FLOAT64))
        otype = f.dtype
    outvals = []
    for ax, ax_dx in zip(axes, dx):
        if f.shape[ax] < edge_order + 1:
            raise ValueError('Shape of array too small to calculate a numerical gradient, at '
                             'least (edge_order + 1) elements are required.')
        out = F.empty(f.shape, dtype=otype)
        uniform = F.ndim(ax_dx) == 0

        def at(sl, _ax=ax):
            return M._at(sl, _ax)
        if uniform:
            out[at(slice(1, -1))] = (f[at(slice(2, None))] - f[at(slice(None, -2))]) / \
                (2.0 * ax_dx)
        else:
            dx1 = ax_dx[0:-1]
            dx2 = ax_dx[1:]
            a = -dx2 / (dx1 * (dx1 + dx2))
            b = (dx2 - dx1) / (dx1 * dx2)
            c = dx1 / (dx2 * (dx1 + dx2))
            shape = [1] * N
            shape[ax] = -1
            a, b, c = a.reshape(shape), b.reshape(shape), c.reshape(shape)
            out[at(slice(1, -1))] = a * f[at(slice(None, -2))] + b * f[at(slice(1, -1))] + \
                c * f[at(slice(2, None))]
        if edge_order == 1:
            dx_0 = ax_dx if uniform else ax_dx[0]
            out[at(0)] = (f[at(1)] - f[at(0)]) / dx_0
            dx_n = ax_dx if uniform else ax_dx[-1]
            out[at(-1)] = (f[at(-1)] - f[at(-2)]) / dx_n
        else:
            if uniform:
                a, b, c = -1.5 / ax_dx, 2.0 / ax_dx, -0.5 / ax_dx
            else:
                dx1, dx2 = ax_dx[0], ax_dx[1]
                a = -(2.0 * dx1 + dx2) / (dx1 * (dx1 + dx2))
                b = (dx1 + dx2) / (dx1 * dx2)
                c = -dx1 / (dx2 * (dx1 + dx2))
            out[at(0)] = a * f[at(0)] + b * f[at(1)] + c * f[at(2)]
            if uniform:
                a, b, c = 0.5 / ax_dx, -2.0 / ax_dx, 1.5 / ax_dx
            else:
                dx1, dx2 = ax_dx[-2], ax_dx[-1]
                a = dx2 / (dx1 * (dx1 + dx2))
                b = -(dx2 + dx1) / (dx1 * dx2)
                c = (2.0 * dx2 + dx1) / (dx2 * (dx1 + dx2))
            out[at(-1)] = a * f[at(-3)] + b * f[at(-2)] + c * f[at(-1)]
        outvals.append(out)
    if len_axes == 1:
        return outvals[0]
    return tuple(outvals)


def _window(M, body):
    F = _f()
    fl = _canon(_dtypes.FLOAT64)
    M = float(M)
    if M < 1:
        return F.zeros((0,), dtype=fl)
    if M == 1:
        return F.ones(1, dtype=fl)
    n = F.arange(1 - M, M, 2, dtype=fl)
    return body(F, n, M)


@_export
def bartlett(M):
    return _window(M, lambda F, n, M: F.where(n <= 0, 1 + n / (M - 1), 1 - n / (M - 1)))


@_export
def blackman(M):
    return _window(M, lambda F, n, M: 0.42 + 0.5 * F.cos(_math.pi * n / (M - 1))
                   + 0.08 * F.cos(2.0 * _math.pi * n / (M - 1)))


@_export
def hanning(M):
    return _window(M, lambda F, n, M: 0.5 + 0.5 * F.cos(_math.pi * n / (M - 1)))


@_export
def hamming(M):
    return _window(M, lambda F, n, M: 0.54 + 0.46 * F.cos(_math.pi * n / (M - 1)))


@_export
def kaiser(M, beta):
    F = _f()
    from . import _mathx
    fl = _canon(_dtypes.FLOAT64)
    M, beta = float(M), float(beta)
    if M == 1:
        return F.ones(1, dtype=fl)
    n = F.arange(0, M, dtype=fl)
    alpha = (M - 1) / 2.0
    return _mathx.i0(beta * F.sqrt(1 - ((n - alpha) / alpha) ** 2.0)) / \
        _mathx.i0(F.asarray(beta, dtype=fl))


@_export
def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """NumPy's apply_along_axis: func1d is Python, called once per 1-d slice (a view); the
    results are assigned into one new array."""
    F = _f()
    M = _m()
    arr = _arr(arr)
    nd = arr.ndim
    axis = M._norm_axis(axis, nd)
    dims = list(range(nd))
    view = arr.transpose(dims[:axis] + dims[axis + 1:] + [axis])
    import itertools
    inds = (ind + (Ellipsis,) for ind in itertools.product(*(range(s) for s in view.shape[:-1])))
    try:
        ind0 = next(inds)
    except StopIteration:
        raise ValueError('Cannot apply_along_axis when any iteration dimensions are 0') from None
    res = _arr(func1d(view[ind0], *args, **kwargs))
    buff = F.zeros(view.shape[:-1] + res.shape, dtype=res.dtype)
    bd = list(range(buff.ndim))
    perm = bd[0:axis] + bd[buff.ndim - res.ndim:buff.ndim] + bd[axis:buff.ndim - res.ndim]
    buff[ind0] = res
    for ind in inds:
        buff[ind] = _arr(func1d(view[ind], *args, **kwargs))
    return buff.transpose(perm)


@_export
def apply_over_axes(func, a, axes):
    F = _f()
    val = _arr(a)
    N = val.ndim
    if F.ndim(axes) == 0:
        axes = (axes,)
    for ax in axes:
        if ax < 0:
            ax = N + ax
        res = func(val, ax)
        if res.ndim == val.ndim:
            val = res
        else:
            res = F.expand_dims(res, ax)
            if res.ndim == val.ndim:
                val = res
            else:
                raise ValueError('function is not returning an array of the correct shape')
    return val


# ---- polynomials (the coefficient count is a host value) -------------------------------------
@_export
def polyval(p, x):
    F = _f()
    p = _arr(p)
    x = _arr(x)
    y = F.zeros_like(x)
    for i in range(p.shape[0] if p.ndim else 1):
        y = y * x + (p[i] if p.ndim else p)
    return y


def _poly_pair(a1, a2, op):
    F = _f()
    M = _m()
    a1, a2 = M.atleast_1d(a1), M.atleast_1d(a2)
    d = len(a2) - len(a1)
    if d > 0:
        a1 = M.concatenate((F.zeros(d, a1.dtype), a1))
    elif d < 0:
        a2 = M.concatenate((F.zeros(-d, a2.dtype), a2))
    return op(a1, a2)


@_export
def polyadd(a1, a2):
    return _poly_pair(a1, a2, _f().add)


@_export
def polysub(a1, a2):
    return _poly_pair(a1, a2, _f().subtract)


@_export
def polyder(p, m=1):
    F = _f()
    m = int(m)
    if m < 0:
        raise ValueError('Order of derivative must be positive (see polyint)')
    p = _arr(p)
    if m == 0:
        return p
    n = len(p) - 1
    return polyder(p[:-1] * F.arange(n, 0, -1), m - 1)


@_export
def polyint(p, m=1, k=None):
    F = _f()
    M = _m()
    m = int(m)
    if m < 0:
        raise ValueError('Order of integral must be positive (see polyder)')
    fl = _canon(_dtypes.FLOAT64)
    k = F.zeros(m, fl) if k is None else M.atleast_1d(k)
    if len(k) == 1 and m > 1:
        k = k[0] * F.ones(m, fl)
    if len(k) < m:
        raise ValueError('k must be a scalar or a rank-1 array of length 1 or >m.')
    p = _arr(p)
    if m == 0:
        return p
    y = M.concatenate((p / F.arange(len(p), 0, -1), M.atleast_1d(k[0])))
    return polyint(y, m - 1, k=k[1:])


# ---- bits --------------------------------------------------------------------------------------
@_export
def packbits(a, /, axis=None, bitorder='big'):
    F = _f()
    M = _m()
    a = _arr(a)
    if a.dtype.kind not in 'biu':
        raise TypeError('Expected an input array of integer or boolean data type')
    if bitorder not in ('big', 'little'):
        raise ValueError("'order' must be either 'little' or 'big'")
    if axis is None:
        a = a.ravel()
        axis = 0
    else:
        axis = M._norm_axis(axis, a.ndim)
    bits = (a != 0).astype('uint8')
    n = a.shape[axis]
    pad = -n % 8
    if pad:
        shp = list(a.shape)
        shp[axis] = pad
        bits = M.concatenate((bits, F.zeros(tuple(shp), 'uint8')), axis=axis)
    n8 = (n + pad) // 8
    shp = a.shape[:axis] + (n8, 8) + a.shape[axis + 1:]
    w = [128, 64, 32, 16, 8, 4, 2, 1] if bitorder == 'big' else [1, 2, 4, 8, 16, 32, 64, 128]
    wshape = [1] * len(shp)
    wshape[axis + 1] = 8
    weights = F.asarray(w, dtype='uint8').reshape(tuple(wshape))
    return (bits.reshape(shp) * weights).sum(axis=axis + 1, dtype='uint8')


@_export
def unpackbits(a, /, axis=None, count=None, bitorder='big'):
    M = _m()
    F = _f()
    a = _arr(a)
    if a.dtype.name != 'uint8':
        raise TypeError('Expected an input array of unsigned byte data type')
    if bitorder not in ('big', 'little'):
        raise ValueError("'order' must be either 'little' or 'big'")
    if axis is None:
        a = a.ravel()
        axis = 0
    else:
        axis = M._norm_axis(axis, a.ndim)
    sh = [7, 6, 5, 4, 3, 2, 1, 0] if bitorder == 'big' else [0, 1, 2, 3, 4, 5, 6, 7]
    sshape = [1] * (a.ndim + 1)
    sshape[axis + 1] = 8
    shifts = F.asarray(sh, dtype='uint8').reshape(tuple(sshape))
    x = a.reshape(a.shape[:axis + 1] + (1,) + a.shape[axis + 1:])
    bits = (x >> shifts) & 1
    n = a.shape[axis] * 8
    bits = bits.reshape(a.shape[:axis] + (n,) + a.shape[axis + 1:])
    if count is None:
        return bits
    count = _operator.index(count)
    if count < 0:
        count = _b.max(n + count, 0)
    if count <= n:
        return bits[M._at(slice(0, count), axis)]
    shp = list(bits.shape)
    shp[axis] = count - n
    return M.concatenate((bits, F.zeros(tuple(shp), 'uint8')), axis=axis)
