"""Statistics and histograms (issue 10): digitize, bincount, histogram, histogram_bin_edges,
histogram2d, histogramdd, interp, correlate, convolve, cov, corrcoef.

The searches and the counting are the engine's library kernels (core/src/api/histogram.c: binary
searches over the raw edges, counting by a gather on every backend and by atomics on cpu/webgpu);
this file normalizes arguments and ports NumPy's Python-level logic (bin edges, estimators,
density, cov's weights).  Host reads, as NumPy's own code makes them: bincount's length
(counter host_syncs_for_size), digitize's and a histogram's monotonicity check of array bins, an
automatic histogram range (the data's min and max), the string bin estimators, and cov's
weight checks.
"""

import builtins as _b
import ctypes as _ct
import math as _math
import operator as _operator
import warnings as _warnings

from . import _core, _dtypes, _lib
from ._core import ndarray

__all__ = []
_export = _core.exporter(globals())
_ctx = _lib.ctx


def _f():
    import wgpy
    return wgpy


def _arr(a):
    return a if isinstance(a, ndarray) else _core.asarray_impl(a)


def _float_dt():
    return _dtypes.OBJS[_lib.canonical[_dtypes.code_of('float64')]]


def _gather():
    # WGPY_HIST_GATHER=1: count by the gather form on every backend (tests of that path)
    import os
    return 1 if os.environ.get('WGPY_HIST_GATHER', '') == '1' else 0


# ---- digitize, bincount -----------------------------------------------------------------------
def _monotonicity(bins):
    """NumPy's _monotonicity, computed on the device and read (one host read)."""
    return int(_core._wrap(_lib.wg_monotonicity(_ctx, bins._h)))


@_export
def digitize(x, bins, right=False):
    x, bins = _arr(x), _arr(bins)
    mono = _monotonicity(bins) if bins.ndim == 1 else 1  # the engine refuses other ranks
    return _core._wrap(_lib.wg_digitize(_ctx, x._h, bins._h, 1 if right else 0, mono))


@_export
def bincount(x, /, weights=None, minlength=0):
    x = _arr(x)
    if minlength is None:
        raise TypeError("'NoneType' object cannot be interpreted as an integer")
    minlength = _operator.index(minlength)
    w = None if weights is None else _arr(weights)
    wh = None if w is None else w._h
    from ._scan import read_count  # the one host read (counted: host_syncs_for_size)
    length = read_count(_core._wrap(_lib.wg_bincount_length(_ctx, x._h, wh, minlength)))
    return _core._wrap(_lib.wg_bincount(_ctx, x._h, wh, length, _gather()))


# ---- histograms -------------------------------------------------------------------------------
def _outer_edges(a, rng):
    """NumPy's _get_outer_edges: reads the data's min and max when no range is given."""
    if rng is not None:
        first, last = rng
        first, last = float(first), float(last)
        if first > last:
            raise ValueError('max must be larger than min in range parameter.')
        if not (_math.isfinite(first) and _math.isfinite(last)):
            raise ValueError('supplied range of [{}, {}] is not finite'.format(first, last))
    elif a.size == 0:
        first, last = 0.0, 1.0
    else:
        first, last = float(a.min()), float(a.max())
        if not (_math.isfinite(first) and _math.isfinite(last)):
            raise ValueError('autodetected range of [{}, {}] is not finite'.format(first, last))
    if first == last:
        first -= 0.5
        last += 0.5
    return first, last


def _edge_dtype(a):
    return a.dtype if a.dtype.kind == 'f' else _float_dt()


def _linspace(first, last, num, compute_dt, dtype):
    """NumPy's linspace(first, last, num) as histogram calls it: computed in compute_dt (the
    data's dtype when the ends are its min and max, float64 for a range of Python numbers) —
    arange * step + first, the last point set to last — and cast to dtype, so that the edges
    round as NumPy's do."""
    F = _f()
    f0 = F.asarray(first, dtype=compute_dt)
    f1 = F.asarray(last, dtype=compute_dt)
    y = F.arange(0, num, dtype=compute_dt)
    if num > 1:
        step = (f1 - f0) / (num - 1)
        y = y * step if float(step) != 0 else y / (num - 1) * (f1 - f0)
    y = y + f0
    if num > 1:
        y[-1] = f1
    return y.astype(dtype, copy=False)


def _masked_stats(a, first, last, rng):
    """(size, ptp, values kept) of the data inside the range (all of it without one)."""
    F = _f()
    if rng is None:
        return a.size, (float(a.max()) - float(a.min())) if a.size else 0.0, None
    keep = (a >= first) & (a <= last)
    n = int(keep.sum())
    if n == 0:
        return 0, 0.0, keep
    hi = float(F.where(keep, a, -_math.inf).max())
    lo = float(F.where(keep, a, _math.inf).min())
    return n, hi - lo, keep


def _estimate_width(name, a, first, last, rng):
    F = _f()
    n, ptp, keep = _masked_stats(a, first, last, rng)
    if n == 0:
        return 0.0
    x = a.astype(_float_dt())
    if name == 'sqrt':
        return ptp / _math.sqrt(n)
    if name == 'sturges':
        return ptp / (_math.log2(n) + 1.0)
    if name == 'rice':
        return ptp / (2.0 * n ** (1.0 / 3))
    mean = float(F.sum(x if keep is None else F.where(keep, x, 0.0))) / n
    dev = x - mean
    if keep is not None:
        dev = F.where(keep, dev, 0.0)
    std = _math.sqrt(float(F.sum(dev * dev)) / n)
    if name == 'scott':
        return (24.0 * _math.pi ** 0.5 / n) ** (1.0 / 3.0) * std
    if name == 'doane':
        if n > 2:
            sg1 = _math.sqrt(6.0 * (n - 2) / ((n + 1.0) * (n + 3)))
            if std > 0.0:
                t = dev / std
                g1 = float(F.sum(t * t * t)) / n
                return ptp / (1.0 + _math.log2(n) + _math.log2(1.0 + abs(g1) / sg1))
        return 0.0
    if name in ('fd', 'auto', 'stone'):
        import wgpy
        if name == 'stone' or not hasattr(wgpy, 'percentile'):
            raise NotImplementedError("wgpy: the histogram bin estimator %r is not implemented "
                                      "(it needs %s)" % (name, 'an optimization over bin counts'
                                                         if name == 'stone' else
                                                         'wgpy.percentile'))
        xs = x if keep is None else x[keep]
        q75, q25 = (float(v) for v in wgpy.percentile(xs, [75, 25]))
        fd = 2.0 * (q75 - q25) * n ** (-1.0 / 3.0)
        if name == 'fd':
            return fd
        sturges = ptp / (_math.log2(n) + 1.0)
        return _b.min(fd, sturges) if fd else sturges
    raise ValueError('{!r} is not a valid estimator for `bins`'.format(name))


def _bin_edges(a, bins, rng, weights):
    """(edges ndarray, whether they came from the user as an array)."""
    F = _f()
    if isinstance(bins, str):
        if weights is not None:
            raise TypeError('Automated estimation of the number of bins is not supported for '
                            'weighted data')
        first, last = _outer_edges(a, rng)
        width = _estimate_width(bins, a, first, last, rng)
        n = int(_math.ceil((last - first) / width)) if width else 1
        return _linspace(first, last, n + 1, _edge_dtype(a) if rng is None else _float_dt(),
                         _edge_dtype(a)), False
    if isinstance(bins, ndarray) or not _is_int(bins):
        e = _arr(bins)
        if e.ndim == 0 and not isinstance(bins, ndarray) and _is_int(bins):
            pass
        elif e.ndim != 1:
            raise ValueError('`bins` must be 1d, when an array')
        else:
            return e, True
    try:
        n = _operator.index(bins)
    except TypeError as e:
        raise TypeError('`bins` must be an integer, a string, or an array') from e
    if n < 1:
        raise ValueError('`bins` must be positive, when an integer')
    first, last = _outer_edges(a, rng)
    return _linspace(first, last, n + 1, _edge_dtype(a) if rng is None else _float_dt(),
                     _edge_dtype(a)), False


def _is_int(v):
    try:
        _operator.index(v)
    except TypeError:
        return False
    return not isinstance(v, ndarray) or v.ndim == 0


def _counts(samples, edges, weights, checks, dtype):
    n = len(samples)
    if checks:
        for d, e in enumerate(edges):
            if e.ndim == 1 and _monotonicity(e) != 1:  # a step down (one host read)
                if n == 1:
                    raise ValueError('`bins` must increase monotonically, when an array')
                raise ValueError('`bins[{}]` must be monotonically increasing, when an array'
                                 .format(d))
    sh = (_ct.c_void_p * n)(*[s._h for s in samples])
    eh = (_ct.c_void_p * n)(*[e._h for e in edges])
    return _core._wrap(_lib.wg_histogramdd_counts(
        _ctx, n, sh, eh, None if weights is None else weights._h,
        -1 if dtype is None else _dtypes.code_of(dtype), _gather()))


def _complex_histogram(a, bins, rng, weights, edges_only=False):
    """NumPy's histogram of complex data (its code path, with NumPy's lexicographic complex
    order): integer bins give complex edges from the data's min to its max, each value's bin is
    the real part of (a - first) / (last - first) * bins truncated and then corrected by
    comparisons with the edges; array bins count by searchsorted over the sorted data.  Returns
    (counts, edges); string bins are NumPy's TypeError."""
    F = _f()
    if isinstance(bins, str):
        raise TypeError('a must be an array of real numbers')
    if isinstance(bins, ndarray) or not _is_int(bins):
        e = _arr(bins)
        if e.ndim != 1:
            raise ValueError('`bins` must be 1d, when an array')
        if edges_only:
            return None, e
        if e.size > 1 and bool(F.any(e[:-1] > e[1:])):
            raise ValueError('`bins` must increase monotonically, when an array')
        order = F.argsort(a)
        sa = a[order]
        cum = F.concatenate([F.searchsorted(sa, e[:-1], 'left'),
                             F.searchsorted(sa, e[-1:], 'right')])
        if weights is None:
            return F.diff(cum), e
        cw = F.concatenate([F.zeros((1,), dtype=weights.dtype), F.cumsum(weights[order])])
        return F.diff(cw[cum]), e
    try:
        nb = _operator.index(bins)
    except TypeError as err:
        raise TypeError('`bins` must be an integer, a string, or an array') from err
    if nb < 1:
        raise ValueError('`bins` must be positive, when an integer')
    if rng is not None:
        first, last = _outer_edges(a, rng)
    elif a.size == 0:
        first, last = 0.0, 1.0
    else:
        first, last = complex(a.min()), complex(a.max())
        if not all(_math.isfinite(v) for v in (first.real, first.imag, last.real, last.imag)):
            raise ValueError('autodetected range of [{}, {}] is not finite'.format(first, last))
        if first == last:
            first -= 0.5
            last += 0.5
    dt = a.dtype
    f0 = F.asarray(first, dtype=dt)
    f1 = F.asarray(last, dtype=dt)
    step = (f1 - f0) / nb
    edges = F.arange(nb + 1, dtype=_dtypes.OBJS[_lib.canonical[_dtypes.code_of(
        'float32' if dt == F.complex64 else 'float64')]]) * step + f0
    edges[-1] = f1
    if edges_only:
        return None, edges
    keep = (a >= f0) & (a <= f1)
    a = a[keep]
    w = None if weights is None else weights[keep]
    idx = F.real((a - f0) / (f1 - f0) * nb).astype('int32')
    idx = F.clip(F.where(idx == nb, nb - 1, idx), 0, nb - 1)
    idx = idx - (a < F.take(edges, idx)).astype('int32')
    idx = F.clip(idx, 0, nb - 1)
    idx = idx + ((a >= F.take(edges, idx + 1)) & (idx != nb - 1)).astype('int32')
    if w is not None and w.dtype.kind == 'c':
        n = (bincount(idx, F.real(w), minlength=nb) + 1j * bincount(idx, F.imag(w),
                                                                      minlength=nb))
        return n.astype(w.dtype), edges
    n = bincount(idx, w, minlength=nb)
    return (n if w is None else n.astype(w.dtype)), edges  # NumPy: counts of weights' dtype


@_export
def histogram_bin_edges(a, bins=10, range=None, weights=None):
    a = _arr(a).ravel()
    if weights is not None:
        w = _arr(weights)
        if w.shape != a.shape and w.size != a.size:
            raise ValueError('weights should have the same shape as a.')
    if a.dtype.kind == 'c':
        return _complex_histogram(a, bins, range, None, edges_only=True)[1]
    return _bin_edges(a, bins, range, weights)[0]


@_export
def histogram(a, bins=10, range=None, density=None, weights=None):
    a = _arr(a)
    w = None if weights is None else _arr(weights)
    if w is not None and w.shape != a.shape:
        raise ValueError('weights should have the same shape as a.')
    a = a.ravel()
    if w is not None:
        w = w.ravel()
    if a.dtype.kind == 'c':
        n, edges = _complex_histogram(a, bins, range, w)
    else:
        edges, given = _bin_edges(a, bins, range, w)
        n = _counts([a], [edges], w, given, None)
    if density:
        F = _f()
        db = (F.real(F.diff(edges)) if edges.dtype.kind == 'c' else F.diff(edges)).astype(
            _float_dt())
        return n / db / n.sum(), edges
    return n, edges


@_export
def histogramdd(sample, bins=10, range=None, density=None, weights=None):
    F = _f()
    if isinstance(sample, ndarray) or not isinstance(sample, (list, tuple)):
        s = _arr(sample)
        if s.ndim == 1:
            s = s[:, None]
        elif s.ndim != 2:
            s = F.atleast_2d(s).T if s.ndim < 2 else s
            if s.ndim != 2:
                raise ValueError('too many dimensions: the sample must be (N, D)')
        coords = [s[:, i] for i in _b.range(s.shape[1])]
    else:
        coords = [_arr(c) for c in sample]
        if any(c.ndim == 0 for c in coords):
            coords = [c.reshape((-1,)) for c in coords]
        if len({c.shape for c in coords}) > 1:
            raise ValueError('all the input array dimensions except for the concatenation axis '
                             'must match exactly')
        coords = [c.ravel() for c in coords]
    D = len(coords)
    try:
        M = len(bins)
        if M != D:
            raise ValueError('The dimension of bins must be equal to the dimension of the '
                             'sample x.')
    except TypeError:
        bins = D * [bins]
    if range is None:
        range = (None,) * D
    elif len(range) != D:
        raise ValueError('range argument must have one entry per dimension')
    w = None
    if weights is not None:
        w = _arr(weights)
        if w.ndim != 1 or (coords and w.shape[0] != coords[0].shape[0]):
            raise ValueError('weights should have the same shape as a.')
    edges, checks = [], False
    for i in _b.range(D):
        b = bins[i]
        if _is_int(b) and not isinstance(b, ndarray):
            if b < 1:
                raise ValueError('`bins[{}]` must be positive, when an integer'.format(i))
            first, last = _outer_edges(coords[i], range[i])
            # NumPy's linspace of the data's min and max (numpy scalars of its dtype), or of
            # the range's Python numbers (float64)
            edt = _edge_dtype(coords[i]) if range[i] is None else _float_dt()
            edges.append(_linspace(first, last, _operator.index(b) + 1, edt, edt))
        elif isinstance(b, (int, float)) or (isinstance(b, ndarray) and b.ndim == 0):
            raise TypeError('`bins[{}]` must be an integer, when a scalar'.format(i))
        else:
            e = _arr(b)
            if e.ndim != 1:
                raise ValueError('`bins[{}]` must be a scalar or 1d array'.format(i))
            edges.append(e)
            checks = True
    hist = _counts(coords, edges, w, checks, _float_dt())
    if density:
        s = hist.sum()
        for i in _b.range(D):
            shape = [1] * D
            shape[i] = edges[i].shape[0] - 1
            hist = hist / F.diff(edges[i]).astype(_float_dt()).reshape(tuple(shape))
        hist = hist / s
    return hist, edges


@_export
def histogram2d(x, y, bins=10, range=None, density=None, weights=None):
    x, y = _arr(x), _arr(y)
    if x.shape[:1] != y.shape[:1] or x.ndim != 1 or y.ndim != 1:
        raise ValueError('x and y must have the same length.')
    try:
        N = len(bins)
    except TypeError:
        N = 1
    if N != 1 and N != 2:
        xedges = yedges = _arr(bins)
        bins = [xedges, yedges]
    hist, edges = histogramdd([x, y], bins, range, density, weights)
    return hist, edges[0], edges[1]


# ---- interp, correlate, convolve ----------------------------------------------------------------
@_export
def interp(x, xp, fp, left=None, right=None, period=None):
    F = _f()
    x, xp, fp = _arr(x), _arr(xp), _arr(fp)
    for v in (x, xp, fp):
        if v.dtype.kind not in 'biuf':
            raise TypeError('interp: real arrays only')
    if period is not None:
        if period == 0:
            raise ValueError('period must be a non-zero value')
        import wgpy
        if not (hasattr(wgpy, 'argsort') and hasattr(wgpy, 'take')):
            raise NotImplementedError('wgpy: interp(period=) needs wgpy.argsort and wgpy.take')
        period = abs(period)
        left = right = None
        if xp.ndim != 1 or fp.ndim != 1:
            raise ValueError('Data points must be 1-D sequences')
        if xp.shape[0] != fp.shape[0]:
            raise ValueError('fp and xp are not of the same length')
        dt = _float_dt()
        x = F.remainder(x.astype(dt), period)
        xp = F.remainder(xp.astype(dt), period)
        order = wgpy.argsort(xp)
        xp = wgpy.take(xp, order)
        fp = wgpy.take(fp.astype(dt), order)
        xp = wgpy.concatenate((xp[-1:] - period, xp, xp[0:1] + period))
        fp = wgpy.concatenate((fp[-1:], fp, fp[0:1]))
    lh = None if left is None else _arr(left)
    rh = None if right is None else _arr(right)
    return _core._wrap(_lib.wg_interp(_ctx, x._h, xp._h, fp._h, None if lh is None else lh._h,
                                      None if rh is None else rh._h))


_MODES = {'valid': 0, 'v': 0, 'same': 1, 's': 1, 'full': 2, 'f': 2}


def _mode(mode):
    try:
        return _MODES[mode]
    except (KeyError, TypeError):
        raise ValueError("mode must be one of 'valid', 'same', or 'full' (got %r)" % (mode,))


@_export
def correlate(a, v, mode='valid'):
    a, v = _arr(a), _arr(v)
    return _core._wrap(_lib.wg_correlate(_ctx, a._h, v._h, _mode(mode)))


@_export
def convolve(a, v, mode='full'):
    a, v = _arr(a), _arr(v)
    if a.ndim == 1 and v.ndim == 1:
        if v.shape[0] > a.shape[0]:
            a, v = v, a
        if a.shape[0] == 0:
            raise ValueError('a cannot be empty')
        if v.shape[0] == 0:
            raise ValueError('v cannot be empty')
        v = v[::-1]
        if v.dtype.kind == 'c':
            v = v.conj()  # correlate conjugates v; convolution does not
    return _core._wrap(_lib.wg_correlate(_ctx, a._h, v._h, _mode(mode)))


# ---- cov, corrcoef ------------------------------------------------------------------------------
@_export
def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *,
        dtype=None):
    """NumPy's cov (a port); with weights, their checks read one value each."""
    F = _f()
    if ddof is not None and ddof != int(ddof):
        raise ValueError('ddof must be integer')
    m = _arr(m)
    if m.ndim > 2:
        raise ValueError('m has more than 2 dimensions')
    if y is not None:
        y = _arr(y)
        if y.ndim > 2:
            raise ValueError('y has more than 2 dimensions')
    if dtype is None:
        dtype = F.result_type(m, 'float64') if y is None else F.result_type(m, y, 'float64')
    X = F.array(m, ndmin=2, dtype=dtype)
    if not rowvar and m.ndim != 1:
        X = X.T
    if X.shape[0] == 0:
        return F.empty((0, 0), dtype=X.dtype)
    if y is not None:
        y = F.array(y, ndmin=2, dtype=dtype)
        if not rowvar and y.shape[0] != 1:
            y = y.T
        X = F.concatenate((X, y), axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    w = None
    fdt = _float_dt()
    if fweights is not None:
        fweights = F.asarray(fweights, dtype=fdt)
        if not bool(F.all(fweights == F.around(fweights))):
            raise TypeError('fweights must be integer')
        if fweights.ndim > 1:
            raise RuntimeError('cannot handle multidimensional fweights')
        if fweights.shape[0] != X.shape[1]:
            raise RuntimeError('incompatible numbers of samples and fweights')
        if bool(F.any(fweights < 0)):
            raise ValueError('fweights cannot be negative')
        w = fweights
    if aweights is not None:
        aweights = F.asarray(aweights, dtype=fdt)
        if aweights.ndim > 1:
            raise RuntimeError('cannot handle multidimensional aweights')
        if aweights.shape[0] != X.shape[1]:
            raise RuntimeError('incompatible numbers of samples and aweights')
        if bool(F.any(aweights < 0)):
            raise ValueError('aweights cannot be negative')
        w = aweights if w is None else w * aweights
    avg, w_sum = F.average(X, axis=1, weights=w, returned=True)
    w_sum = w_sum[0]
    if w is None:
        fact = X.shape[1] - ddof
    elif ddof == 0:
        fact = w_sum
    elif aweights is None:
        fact = w_sum - ddof
    else:
        fact = w_sum - ddof * F.sum(w * aweights) / w_sum
    if w is None:
        if fact <= 0:
            _warnings.warn('Degrees of freedom <= 0 for slice', RuntimeWarning, stacklevel=2)
            fact = 0.0
    else:
        # device-side: NumPy sets fact to 0 (a division by zero below) and warns
        f = float(fact)
        if f <= 0:
            _warnings.warn('Degrees of freedom <= 0 for slice', RuntimeWarning, stacklevel=2)
            fact = 0.0
    X = X - avg[:, None]
    X_T = X.T if w is None else (X * w).T
    if X_T.dtype.kind == 'c':
        X_T = X_T.conj()  # NumPy: dot(X, X_T.conj())
    c = F.dot(X, X_T)
    if isinstance(fact, ndarray):
        c = c / fact
    else:
        c = c * (1.0 / fact if fact else _math.inf)
    return c.squeeze()


@_export
def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    F = _f()
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    d = F.diagonal(c)
    stddev = F.sqrt(d.real)
    c = c / stddev[:, None]
    c = c / stddev[None, :]
    if c.dtype.kind == 'c':  # NumPy clips each part
        c = c.copy()
        c.real = F.clip(c.real, -1, 1)
        c.imag = F.clip(c.imag, -1, 1)
        return c
    return F.clip(c, -1, 1)
