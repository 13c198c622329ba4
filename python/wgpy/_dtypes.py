"""dtype objects and the mapping from anything dtype-like to the engine's dtype codes.

With numpy importable, wgpy's dtypes *are* numpy's (``x.dtype == np.float32`` holds, and
``wgpy.float32 is numpy.float32`` as in CuPy).  Without numpy, a small ``dtype`` class stands in.
The codes come from the engine's name table; promotion and casting rules stay in the engine.
"""

import os
import sys
import warnings

from . import _lib

np = _lib.np
NAMES = _lib.DTYPE_NAMES
CODES = _lib.DTYPES
SIZE = _lib.DTYPE_SIZE
KIND = _lib.DTYPE_KIND

# struct/memoryview format of each dtype (little-endian hosts: x86-64, wasm32)
STRUCT = [{'bool': '?', 'int8': 'b', 'int16': 'h', 'int32': 'i', 'int64': 'q', 'uint8': 'B',
           'uint16': 'H', 'uint32': 'I', 'uint64': 'Q', 'float16': 'e', 'float32': 'f',
           'float64': 'd', 'complex64': 'F', 'complex128': 'D'}[n] for n in NAMES]

BOOL = CODES['bool']
INT64 = CODES['int64']
UINT64 = CODES['uint64']
FLOAT64 = CODES['float64']
# default dtype of each weak kind (before the 64-bit policy)
WEAK_DEFAULT = {_lib.WEAK_BOOL: BOOL, _lib.WEAK_INT: INT64, _lib.WEAK_FLOAT: FLOAT64}

_COMPLEX_MSG = 'wgpy: this complex dtype is not supported (wgpy has complex64 and complex128)'

# Python's own types mean "the default type of that kind": no 64-bit warning for them.
COMPLEX128 = CODES['complex128']
WEAK_DEFAULT[_lib.WEAK_COMPLEX] = COMPLEX128
_PY_TYPES = {bool: BOOL, int: INT64, float: FLOAT64, complex: COMPLEX128}

if np is not None:
    OBJS = [np.dtype(n) for n in NAMES]
    dtype = np.dtype
    TYPES = {n: (np.bool_ if n == 'bool' else getattr(np, n)) for n in NAMES}
    # numpy dtype -> code (native byte order only; see _core for the others)
    NP_CODES = {d: i for i, d in enumerate(OBJS)}

    def _resolve(x):
        if x is bool or x is int or x is float or x is complex:
            return _PY_TYPES[x]
        try:
            d = np.dtype(x)
        except TypeError as e:
            raise TypeError(str(e)) from None
        c = CODES.get(d.name)
        if c is None:
            if d.kind == 'c':
                raise TypeError(_COMPLEX_MSG)
            raise TypeError('wgpy: dtype %s is not supported (wgpy has %s)'
                            % (d, ', '.join(NAMES)))
        return c
else:
    NP_CODES = {}

    class dtype:
        """A data type (numpy.dtype's stand-in when numpy is not installed)."""
        __slots__ = ('name', 'itemsize', 'kind', 'char', 'str', '_code')

        def __new__(cls, obj, align=False, copy=False):
            return OBJS[code_of(obj)]

        def __repr__(self):
            return "dtype('%s')" % self.name

        def __str__(self):
            return self.name

        def __eq__(self, other):
            if other is self:
                return True
            try:  # not code_of: its cache holds dtype keys, whose hash is their name's
                return _resolve(other) == self._code
            except (TypeError, ValueError, RecursionError):
                return False

        def __ne__(self, other):
            return not self.__eq__(other)

        def __hash__(self):
            return hash(self.name)

        def __reduce__(self):
            return (dtype, (self.name,))

        @property
        def type(self):
            return self

        @property
        def isbuiltin(self):
            return 1

        @property
        def isnative(self):
            return True

        @property
        def byteorder(self):
            return '|' if self.itemsize == 1 else '='

    def _make(i):
        d = object.__new__(dtype)
        n = NAMES[i]
        d.name = n
        d.itemsize = SIZE[i]
        d.kind = KIND[i]
        d.char = STRUCT[i]
        d.str = ('|' if SIZE[i] == 1 else '<') + d.kind + str(SIZE[i])
        d._code = i
        return d

    OBJS = [_make(i) for i in range(len(NAMES))]
    TYPES = {n: OBJS[i] for i, n in enumerate(NAMES)}

    _ALIASES = {}
    for _i, _n in enumerate(NAMES):
        _ALIASES[_n] = _i
        _ALIASES[STRUCT[_i]] = _i
        _ALIASES[KIND[_i] + str(SIZE[_i])] = _i
    for _a, _n in {'bool_': 'bool', 'b1': 'bool', 'byte': 'int8', 'ubyte': 'uint8',
                   'short': 'int16', 'ushort': 'uint16', 'intc': 'int32', 'uintc': 'uint32',
                   'l': 'int64', 'L': 'uint64', 'long': 'int64', 'ulong': 'uint64',
                   'longlong': 'int64', 'ulonglong': 'uint64', 'int': 'int64',
                   'int_': 'int64', 'intp': 'int64', 'uint': 'uint64', 'uintp': 'uint64',
                   'p': 'int64', 'P': 'uint64', 'half': 'float16', 'single': 'float32',
                   'double': 'float64', 'float': 'float64', 'float_': 'float64',
                   'c8': 'complex64', 'c16': 'complex128', 'csingle': 'complex64',
                   'cdouble': 'complex128', 'complex': 'complex128',
                   'complex_': 'complex128', 'cfloat': 'complex128'}.items():
        if _n in CODES:
            _ALIASES[_a] = CODES[_n]

    def _resolve(x):
        if isinstance(x, dtype):
            return x._code
        if x is bool or x is int or x is float or x is complex:
            return _PY_TYPES[x]
        if isinstance(x, str):
            s = x.strip()
            if len(s) > 1 and s[0] in '<>=|':
                s = s[1:]
            c = _ALIASES.get(s)
            if c is not None:
                return c
            if s.startswith('complex') or s in ('c32', 'G', 'clongdouble'):
                raise TypeError(_COMPLEX_MSG)
            raise TypeError('data type %r not understood' % x)
        d = getattr(x, 'dtype', None)
        if d is not None and not isinstance(d, property):
            return _resolve(d)
        raise TypeError('Cannot interpret %r as a data type' % (x,))

_cache = {}


def code_of(x):
    """Engine code of a dtype-like (numpy dtype or type, string, Python type, wgpy dtype)."""
    try:
        return _cache[x]
    except KeyError:
        c = _resolve(x)
        _cache[x] = c
        return c
    except TypeError:  # unhashable
        return _resolve(x)


_warned = set()


def requested(x):
    """Code of an explicitly requested dtype under the 64-bit policy.  Asking for a 64-bit type
    with 64-bit types off gives the 32-bit one, with a UserWarning the first time."""
    c = code_of(x)
    k = _lib.canonical[c]
    if k != c and c not in _warned and not (x is int or x is float or x is bool):
        _warned.add(c)
        warnings.warn('wgpy: %s requested, but 64-bit types are disabled, so %s is used '
                      '(enable them with wgpy.config.enable_x64() or WGPY_ENABLE_X64=1)'
                      % (NAMES[c], NAMES[k]), UserWarning, stacklevel=_user_stacklevel())
    return k


_PKG_DIR = os.path.dirname(os.path.abspath(__file__))


def _user_stacklevel():
    """warnings.warn's stacklevel that names the first caller outside wgpy."""
    f = sys._getframe(1)  # requested()
    level = 1
    while f is not None and os.path.dirname(os.path.abspath(f.f_code.co_filename)) == _PKG_DIR:
        f = f.f_back
        level += 1
    return level


def reset_warnings():
    _warned.clear()
