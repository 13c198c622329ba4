"""wgpy's creation and conversion extras (issue 10): fromfunction, frombuffer, fromiter,
logspace, geomspace, require, may_share_memory, shares_memory, iterable, isfortran, and the
ndarray methods tobytes, tofile, dump, dumps.  NumPy's names, signatures and errors."""

import math as _math
from ctypes import c_char

from . import _core, _dtypes, _lib
from ._core import ndarray

_np = _lib.np

__all__ = []
_export = _core.exporter(globals())


def _f():
    from . import _funcs
    return _funcs


@_export
def fromfunction(function, shape, *, dtype=float, like=None, **kwargs):
    from . import _manip
    args = _manip.indices(shape, dtype=dtype)
    return function(*args, **kwargs)


@_export
def frombuffer(buffer, dtype=float, count=-1, offset=0, *, like=None):
    """The bytes of a host buffer (bytes, bytearray, memoryview, array.array...) as a new
    array (uploaded: wgpy arrays live on the device, so this is always a copy)."""
    code = _dtypes.code_of(dtype)
    size = _dtypes.SIZE[code]
    mv = memoryview(buffer).cast('B')
    n = len(mv)
    if offset < 0 or offset > n:
        raise ValueError('offset must be non-negative and no greater than buffer length (%d)'
                         % n)
    avail = n - offset
    if count < 0:
        if avail % size:
            raise ValueError('buffer size must be a multiple of element size')
        count = avail // size
    elif count * size > avail:
        raise ValueError('buffer is smaller than requested size')
    data = bytes(mv[offset:offset + count * size])
    a = _core._wrap(_lib.wg_from_data(_lib.ctx, code, 1, _lib.i64(_lib.buf0, (count,)),
                                      data if data else None))
    want = _dtypes.requested(dtype)
    if a._dt != want:
        a = a.astype(_dtypes.OBJS[want])
    return a


@_export
def fromiter(iter, dtype, count=-1, *, like=None):
    import itertools
    if count >= 0:
        vals = list(itertools.islice(iter, count))
        if len(vals) < count:
            raise ValueError('iterator too short: Expected %d but iterator had only %d items.'
                             % (count, len(vals)))
    else:
        vals = list(iter)
    if not vals:
        return _f().empty((0,), dtype=dtype)
    return _core.asarray_impl(vals, dtype)


@_export
def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    F = _f()
    y = F.linspace(start, stop, num=num, endpoint=endpoint, axis=axis)
    r = F.power(base, y)
    if dtype is None:
        return r
    return r.astype(dtype, copy=False)


@_export
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """NumPy's geomspace for real start/stop (wgpy has no complex dtypes)."""
    F = _f()
    if isinstance(start, complex) or isinstance(stop, complex):
        raise TypeError('wgpy: complex numbers are not supported')
    s0, s1 = float(start), float(stop)
    if s0 == 0 or s1 == 0:
        raise ValueError('Geometric sequence cannot include zero')
    dt = F.result_type(start, stop, float(num), F.zeros((), dtype) if dtype is not None else
                       0.0)
    if dtype is None:
        dtype = dt
    out_sign = 1.0
    if s0 < 0 and s1 < 0:
        s0, s1 = -s0, -s1
        out_sign = -1.0
    elif s0 < 0 or s1 < 0:
        raise ValueError('wgpy: geomspace of a negative and a positive bound needs complex '
                         'numbers')
    log0, log1 = _math.log10(s0), _math.log10(s1)
    result = logspace(log0, log1, num=num, endpoint=endpoint, base=10.0, dtype=dt, axis=axis)
    if num > 0:
        result[0] = s0
        if num > 1 and endpoint:
            result[-1] = s1
    result = result * out_sign
    if _dtypes.KIND[_dtypes.code_of(dtype)] in 'iu':
        result = F.floor(result)
    return result.astype(dtype, copy=False)


_REQ = {'C': 'C', 'C_CONTIGUOUS': 'C', 'CONTIGUOUS': 'C', 'F': 'F', 'F_CONTIGUOUS': 'F',
        'FORTRAN': 'F', 'A': 'A', 'ALIGNED': 'A', 'W': 'W', 'WRITEABLE': 'W', 'O': 'O',
        'OWNDATA': 'O', 'E': 'E', 'ENSUREARRAY': 'E'}


@_export
def require(a, dtype=None, requirements=None, *, like=None):
    F = _f()
    if not requirements:
        return F.asanyarray(a, dtype=dtype)
    if isinstance(requirements, str):
        requirements = [requirements]
    req = {_REQ[r.upper()] for r in requirements}
    if 'E' in req:
        req.discard('E')
    order = 'A'
    if req >= {'C', 'F'}:
        raise ValueError('Cannot specify both "C" and "F" order')
    elif 'C' in req:
        order = 'C'
        req.discard('C')
    elif 'F' in req:
        order = 'F'
        req.discard('F')
    arr = _core.asarray_impl(a, dtype, None, None if order == 'A' else order)
    if order == 'C' and arr.ndim > 1 and not arr.flags.c_contiguous:
        arr = arr.copy('C')
    for prop in req:
        if prop == 'W' and not arr.flags.writeable or prop == 'O' and not arr.flags.owndata:
            arr = arr.copy(order if order != 'A' else 'K')
            break
    return arr


def _extent(a):
    """(buffer id, lowest element, highest element, offsets) of an ndarray's view."""
    _lib.wg_info(_lib.ctx, a._h)
    info = _lib.info
    off = info[2]
    nd = len(a._shape)
    strides = list(info[_lib.INFO_STRIDES:_lib.INFO_STRIDES + nd])
    lo = hi = off
    for n, s in zip(a._shape, strides):
        if n == 0:
            return None
        if s > 0:
            hi += (n - 1) * s
        else:
            lo += (n - 1) * s
    return off, lo, hi, strides


@_export
def may_share_memory(a, b, /, max_work=None):
    """Whether a and b are views of one engine buffer whose element ranges overlap (NumPy's
    bounds test)."""
    if not isinstance(a, ndarray) or not isinstance(b, ndarray):
        return False
    if not _lib.wg_shares_buffer(a._h, b._h):
        return False
    ea, eb = _extent(a), _extent(b)
    if ea is None or eb is None:
        return False
    return not (ea[2] < eb[1] or eb[2] < ea[1])


@_export
def shares_memory(a, b, /, max_work=None):
    """Exact: whether some element is in both views (a host computation over the two views'
    offsets, from their layouts: no data is read)."""
    if not may_share_memory(a, b):
        return False
    (oa, _, _, sa), (ob, _, _, sb) = _extent(a), _extent(b)

    def offsets(off, shape, strides):
        out = {off}
        for n, s in zip(shape, strides):
            out = {o + i * s for o in out for i in range(n)}
        return out
    small, big = sorted([(oa, a._shape, sa), (ob, b._shape, sb)], key=lambda t: _math.prod(t[1]))
    if _math.prod(big[1]) > 1 << 22:
        return True  # too large to enumerate: the bounds overlap (NumPy would say TooHardError)
    return not offsets(*small).isdisjoint(offsets(*big))


@_export
def iterable(y):
    try:
        iter(y)
    except TypeError:
        return False
    return True


@_export
def isfortran(a):
    return bool(a.flags.f_contiguous and not a.flags.c_contiguous)


def _m_tobytes(self, order='C'):
    """The data's bytes in C (or F) order: a read back from the device."""
    a = self
    if order in ('F', 'f') or (order in ('A', 'a') and isfortran(self)):
        a = self.transpose()
    elif order not in ('C', 'c', 'A', 'a', 'K', 'k', None):
        raise ValueError("order must be one of 'C', 'F', 'A', or 'K' (got %r)" % (order,))
    nbytes = a.nbytes
    buf = bytearray(nbytes)
    _lib.check(_lib.wg_read(_lib.ctx, a._h,
                            (c_char * nbytes).from_buffer(buf) if nbytes else None, nbytes))
    return bytes(buf)


def _m_tofile(self, fid, sep='', format='%s'):
    if sep:
        vals = self.ravel().tolist()
        text = sep.join(format % v for v in vals)
        data = text.encode()
    else:
        data = _m_tobytes(self)
    if isinstance(fid, (str, bytes)) or hasattr(fid, '__fspath__'):
        with open(fid, 'wb') as f:
            f.write(data)
    else:
        fid.write(data)


def _m_dumps(self):
    import pickle
    return pickle.dumps(self, protocol=2)


def _m_dump(self, file):
    import pickle
    if isinstance(file, (str, bytes)) or hasattr(file, '__fspath__'):
        with open(file, 'wb') as f:
            pickle.dump(self, f, protocol=2)
    else:
        pickle.dump(self, file, protocol=2)


for _n, _fn in (('tobytes', _m_tobytes), ('tofile', _m_tofile), ('dumps', _m_dumps),
                ('dump', _m_dump)):
    _fn.__name__ = _fn.__qualname__ = _n
    setattr(ndarray, _n, _fn)
del _n, _fn


@_export
def asarray_chkfinite(a, dtype=None, order=None):
    """asarray, then NumPy's ValueError for inf or NaN (a read back of one bool)."""
    F = _f()
    a = F.asarray(a, dtype=dtype, order=order)
    if a.dtype.kind == 'f' and not bool(F.isfinite(a).all()):
        raise ValueError('array must not contain infs or NaNs')
    return a


@_export
def binary_repr(num, width=None):
    import operator

    def insufficient(width, binwidth):
        if width is not None and width < binwidth:
            raise ValueError('Insufficient bit width=%r provided for binwidth=%r'
                             % (width, binwidth))
    num = operator.index(num)
    if num == 0:
        return '0' * (width or 1)
    if num > 0:
        binary = '%s' % format(num, 'b')
        binwidth = len(binary)
        outwidth = binwidth if width is None else max(binwidth, width)
        insufficient(width, binwidth)
        return binary.zfill(outwidth)
    if width is None:
        return '-' + format(-num, 'b')
    poswidth = len(format(-num, 'b'))
    if 2 ** (poswidth - 1) == -num:
        poswidth -= 1
    twocomp = 2 ** (poswidth + 1) + num
    binary = format(twocomp, 'b')
    binwidth = len(binary)
    outwidth = max(binwidth, width)
    insufficient(width, binwidth)
    return '1' * (outwidth - binwidth) + binary


@_export
def base_repr(number, base=2, padding=0):
    digits = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
    if base > len(digits):
        raise ValueError('Bases greater than 36 not handled in base_repr.')
    if base < 2:
        raise ValueError('Bases less than 2 not handled in base_repr.')
    num = abs(int(number))
    res = []
    while num:
        res.append(digits[num % base])
        num //= base
    if padding:
        res.append('0' * padding)
    if number < 0:
        res.append('-')
    return ''.join(reversed(res or '0'))
