"""wgpy.testing — compare wgpy with NumPy (in the style of ``cupy.testing``).

The decorators call a test function twice, once with ``xp=numpy`` and once with ``xp=wgpy``, and
check that both calls give the same result: values, shape and dtype, or the same kind of exception::

    from wgpy import testing

    @testing.numpy_wgpy_allclose()
    def test_add(xp):
        a = testing.shaped_arange((2, 3), xp, 'float32')
        return a + 1

Expected dtypes go through wgpy's 64-bit policy: with x64 off (the default), NumPy's float64, int64
and uint64 results are expected as float32, int32 and uint32 (see ``canonical_dtype_name``).
``shaped_arange`` and ``shaped_random`` apply the same policy to the arrays they make for NumPy, so
that the NumPy reference computes on the dtypes wgpy really holds.

Nothing here imports numpy at module import: inside Pyodide, where no numpy wheel exists, results
are compared with a recording made natively (golden record/replay, driven by
python/tests/conftest.py):

* natively, ``pytest --golden-out PATH`` records NumPy's result of every comparison, keyed by the
  test's node id and the comparison's order within the test;
* ``pytest --golden-in PATH`` skips the NumPy call and compares wgpy's result with the recording; a
  comparison without a recording fails.

Every comparison, live or replayed, goes through the same encoding (``encode_result``): dtype name,
shape and flat values as plain Python numbers, read with ``tolist()``.  A live NumPy result is
encoded, serialized to JSON and read back before it is compared, so what a recording holds is
exactly what a live run compares against.
"""

import functools
import inspect
import json
import math
import struct

__all__ = [
    'numpy_wgpy_allclose', 'numpy_wgpy_array_equal', 'shaped_arange', 'shaped_random',
    'assert_allclose', 'assert_array_equal', 'canonical_dtype_name', 'x64_enabled', 'dtype_name',
    'encode_result', 'compare_results', 'GoldenState', 'golden',
    'ALL_DTYPES', 'BOOL_DTYPES', 'SIGNED_DTYPES', 'UNSIGNED_DTYPES', 'INT_DTYPES', 'FLOAT_DTYPES',
    'NUMERIC_DTYPES', 'DTYPES_32', 'is_wgpy', 'xp_dtype', 'xp_array',
]

GOLDEN_FORMAT = 1

# ---- dtypes ------------------------------------------------------------------------------------
BOOL_DTYPES = ('bool',)
SIGNED_DTYPES = ('int8', 'int16', 'int32', 'int64')
UNSIGNED_DTYPES = ('uint8', 'uint16', 'uint32', 'uint64')
INT_DTYPES = SIGNED_DTYPES + UNSIGNED_DTYPES
FLOAT_DTYPES = ('float16', 'float32', 'float64')
NUMERIC_DTYPES = INT_DTYPES + FLOAT_DTYPES
ALL_DTYPES = BOOL_DTYPES + NUMERIC_DTYPES
# dtypes whose NumPy semantics wgpy keeps whatever the 64-bit policy is
DTYPES_32 = tuple(d for d in ALL_DTYPES if not d.endswith('64'))

_KIND = {'bool': 'b', 'float16': 'f', 'float32': 'f', 'float64': 'f', 'complex64': 'c',
         'complex128': 'c'}
_KIND.update({d: 'i' for d in SIGNED_DTYPES})
_KIND.update({d: 'u' for d in UNSIGNED_DTYPES})
_BITS = {'bool': 8, 'int8': 8, 'int16': 16, 'int32': 32, 'int64': 64, 'uint8': 8, 'uint16': 16,
         'uint32': 32, 'uint64': 64, 'float16': 16, 'float32': 32, 'float64': 64,
         'complex64': 64, 'complex128': 128}
_X64_OFF = {'float64': 'float32', 'int64': 'int32', 'uint64': 'uint32', 'complex128': 'complex64'}
# a complex dtype's values compare as pairs of its part dtype's
_PART = {'complex64': 'float32', 'complex128': 'float64'}

# Default tolerances by the dtype the compared values really have.
_RTOL = {'float16': 1e-3, 'float32': 1e-5, 'float64': 1e-9}
_ATOL = {'float16': 1e-3, 'float32': 1e-6, 'float64': 1e-12}


def dtype_name(dt):
    """The NumPy name ('float32', ...) of a dtype-like object: a numpy or wgpy dtype, a scalar type
    (``numpy.float32``, ``wgpy.float32``) or a string."""
    if isinstance(dt, str):
        return dt
    name = getattr(dt, 'name', None)
    if isinstance(name, str):
        return name
    name = getattr(dt, '__name__', None)
    if isinstance(name, str):
        return name
    return str(dt)


def _wgpy():
    import wgpy
    return wgpy


def x64_enabled():
    """Whether wgpy's 64-bit types are on (DESIGN §5): ``wgpy.x64_enabled()``.

    HOOK: the one place that asks wgpy for its 64-bit policy."""
    return bool(_wgpy().x64_enabled())


def canonical_dtype_name(name):
    """The dtype wgpy gives an array requested as `name`, under the 64-bit policy now in force.

    HOOK: the one place that maps NumPy's dtypes to wgpy's."""
    name = dtype_name(name)
    if name in _X64_OFF and not x64_enabled():
        return _X64_OFF[name]
    return name


def is_wgpy(xp):
    """True when `xp` is the wgpy module (not numpy)."""
    return getattr(xp, '__name__', '') == 'wgpy'


def _dtype_limits(name):
    bits = _BITS[name]
    k = _KIND[name]
    if k == 'i':
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    if k == 'u':
        return 0, (1 << bits) - 1
    return None


def _make(values, shape, xp, dtype):
    """An xp array of `dtype` and `shape` from flat Python values (no numpy needed for wgpy)."""
    shape = tuple(shape)
    if not shape:
        return xp.asarray(values[0], dtype=dtype)
    a = xp.asarray(values, dtype=dtype)
    if a.shape != shape:
        a = a.reshape(shape)
    return a


def _prod(shape):
    n = 1
    for s in shape:
        n *= s
    return n


def xp_dtype(xp, dtype):
    """The dtype name to request from `xp`: for numpy, the dtype wgpy really gives under its 64-bit
    policy, so that the NumPy reference computes on the dtypes wgpy holds; for wgpy, `dtype`."""
    dtype = dtype_name(dtype)
    if not is_wgpy(xp):
        return canonical_dtype_name(dtype)
    return dtype


_array_dtype_for = xp_dtype


def xp_array(xp, values, dtype):
    """``xp.asarray(values, dtype=...)`` with the dtype from ``xp_dtype`` (no numpy needed)."""
    return xp.asarray(values, dtype=xp_dtype(xp, dtype))


def _shaped_args(shape, xp, dtype):
    """shaped_arange's and shaped_random's arguments: (xp, shape as a tuple, the array's dtype
    name, the number of elements, the dtype's kind)."""
    if xp is None:
        xp = _wgpy()
    if isinstance(shape, int):
        shape = (shape,)
    dtype = _array_dtype_for(xp, dtype)
    return xp, shape, dtype, _prod(shape), _KIND[dtype]


def shaped_arange(shape, xp=None, dtype='float32', start=1):
    """An array of `shape` holding start, start+1, ... (C order), wrapped into the dtype's range for
    integers (so that every dtype can hold it) and alternating True/False for bool."""
    xp, shape, dtype, n, k = _shaped_args(shape, xp, dtype)
    if k == 'b':
        vals = [(start + i) % 2 == 1 for i in range(n)]
    elif k == 'f':
        limit = 2048 if dtype == 'float16' else (1 << 24)
        vals = [float((start + i) % limit) for i in range(n)]
    else:
        lo, hi = _dtype_limits(dtype)
        span = min(hi, 127)
        vals = [(start + i) % (span + 1) for i in range(n)]
    return _make(vals, shape, xp, dtype)


class _SplitMix64:
    """A tiny deterministic PRNG (SplitMix64), the same in CPython and Pyodide."""

    _M = (1 << 64) - 1

    def __init__(self, seed):
        self.x = (seed * 0x2545F4914F6CDD1D + 0x632BE59BD9B4E019) & self._M

    def next(self):
        self.x = (self.x + 0x9E3779B97F4A7C15) & self._M
        z = self.x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self._M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self._M
        return z ^ (z >> 31)


def shaped_random(shape, xp=None, dtype='float32', seed=0, scale=10, low=0):
    """A deterministic pseudo-random array: values in [low, low + scale).

    Integers are uniform; floats are multiples of a power of two small enough that every value is
    exact in float16 (so that no rounding of the inputs differs between NumPy and wgpy); bool is a
    fair coin.  No numpy randomness: the same values come out inside Pyodide."""
    xp, shape, dtype, n, k = _shaped_args(shape, xp, dtype)
    rng = _SplitMix64(seed)
    if k == 'b':
        vals = [bool(rng.next() >> 63) for _ in range(n)]
    elif k == 'f':
        top = max(abs(low), abs(low + scale), 1)
        frac_bits = max(0, 10 - int(math.ceil(top)).bit_length())
        denom = 1 << frac_bits
        steps = max(1, int(scale * denom))
        vals = [low + (rng.next() % steps) / denom for _ in range(n)]
    else:
        lo, hi = _dtype_limits(dtype)
        a = max(lo, int(low))
        b = min(hi, int(low) + max(1, int(scale)) - 1)
        vals = [a + rng.next() % (b - a + 1) for _ in range(n)]
    return _make(vals, shape, xp, dtype)


# ---- encoding results ----------------------------------------------------------------------------
# An encoded result (JSON-safe):
#   ["arr", dtype_name, [shape...], [flat values...]]   an array or a numpy/wgpy scalar
#   ["py", type_name, value]                             a Python scalar/str/None
#   ["seq", "tuple"|"list", [encoded...]]                a tuple or list
#   ["dtype", name]                                      a dtype object
#   ["err", type_name, [builtin exception names]]       the call raised
# Floats are numbers, or the strings "nan", "inf", "-inf".

def _enc_float(v):
    if v != v:
        return 'nan'
    if v in (math.inf, -math.inf):
        return 'inf' if v > 0 else '-inf'
    return v


def _dec_float(v):
    if isinstance(v, str):
        return float(v)
    return float(v)


def _flatten(x, out):
    if isinstance(x, (list, tuple)):
        for y in x:
            _flatten(y, out)
    else:
        out.append(x)
    return out


def _is_dtype_obj(r):
    return (not hasattr(r, 'tolist') and isinstance(getattr(r, 'name', None), str)
            and hasattr(r, 'itemsize') and hasattr(r, 'kind'))


def _is_array_like(r):
    return hasattr(r, 'shape') and hasattr(r, 'dtype') and hasattr(r, 'tolist')


def encode_result(r):
    """Encode a result (numpy or wgpy) as JSON-safe data.  Reads arrays with ``tolist()`` only."""
    if _is_array_like(r):
        name = dtype_name(r.dtype)
        shape = [int(s) for s in r.shape]
        flat = _flatten(r.tolist(), [])
        kind = _KIND.get(name)
        if kind == 'c':
            flat = [_enc_float(p) for v in flat for p in (complex(v).real, complex(v).imag)]
        elif kind == 'f':
            flat = [_enc_float(float(v)) for v in flat]
        elif kind == 'b':
            flat = [bool(v) for v in flat]
        elif kind in ('i', 'u'):
            flat = [int(v) for v in flat]
        return ['arr', name, shape, flat]
    if _is_dtype_obj(r) or isinstance(r, type) and r.__module__ in ('numpy', 'wgpy'):
        return ['dtype', dtype_name(r)]
    if isinstance(r, (tuple, list)):
        return ['seq', type(r).__name__, [encode_result(x) for x in r]]
    if r is None or isinstance(r, (bool, int, str)):
        return ['py', type(r).__name__, r]
    if isinstance(r, float):
        return ['py', 'float', _enc_float(r)]
    if isinstance(r, complex):
        return ['py', 'complex', [_enc_float(r.real), _enc_float(r.imag)]]
    raise TypeError('wgpy.testing: cannot compare a result of type %r' % type(r).__name__)


_GENERIC = ('BaseException', 'Exception', 'object')


def _builtin_bases(exc_type):
    import builtins
    found = []
    for c in exc_type.__mro__:
        if c.__name__ in _GENERIC:
            continue
        if getattr(builtins, c.__name__, None) is c:
            found.append(c)
    # keep the most specific ones
    keep = [c for c in found if not any(d is not c and issubclass(d, c) for d in found)]
    return [c.__name__ for c in keep]


def _error_name(cls):
    """An exception class's name; for NumPy's ufunc errors, whose subclasses all call themselves
    UFuncTypeError (numpy's _display_as_base), the subclass's own (its __qualname__)."""
    n = cls.__name__
    if n == 'UFuncTypeError':
        n = getattr(cls, '__qualname__', n).rsplit('.', 1)[-1]
    return n


def encode_error(e):
    return ['err', _error_name(type(e)), _builtin_bases(type(e))]


# NumPy's ufunc errors (numpy._core._exceptions): wgpy raises classes of the same names (NumPy's
# own, subclassed, when numpy is importable), so a test expecting one of these needs that name
_UFUNC_ERRORS = ('UFuncTypeError', '_UFuncNoLoopError', '_UFuncCastingError',
                 '_UFuncInputCastingError', '_UFuncOutputCastingError')


def _error_matches(expected, e):
    """wgpy's exception `e` matches numpy's recorded one when it is an instance of every builtin
    exception type numpy's is (numpy's AxisError: ValueError and IndexError), and, where numpy's
    is one of its ufunc errors (UFuncTypeError...), a class of the same name."""
    import builtins
    names = [_error_name(c) for c in type(e).__mro__]
    if expected[1] in _UFUNC_ERRORS and expected[1] not in names:
        return False
    if type(e).__name__ == expected[1] and not expected[2]:
        return True
    bases = [getattr(builtins, n) for n in expected[2]]
    return bool(bases) and all(isinstance(e, b) for b in bases)


def _describe(enc):
    k = enc[0]
    if k == 'arr':
        vals = enc[3]
        s = ', '.join(repr(v) for v in vals[:8]) + (', ...' if len(vals) > 8 else '')
        return 'array(dtype=%s, shape=%s, values=[%s])' % (enc[1], tuple(enc[2]), s)
    if k == 'py':
        return '%s %r' % (enc[1], enc[2])
    if k == 'seq':
        return '%s of %d' % (enc[1], len(enc[2]))
    if k == 'dtype':
        return 'dtype(%s)' % enc[1]
    if k == 'err':
        return '%s raised (a %s)' % (enc[1], '/'.join(enc[2]) or 'non-builtin exception')
    return repr(enc)


def _tol_for(spec, default, name):
    if isinstance(spec, dict):
        if name in spec:
            return spec[name]
        if 'default' in spec:
            return spec['default']
        return default.get(name, 0.0)
    if spec is None:
        return default.get(name, 0.0)
    # a number: never tighter than the dtype's precision
    return max(spec, default.get(name, 0.0))


def _round_to(name, v):
    """Round a Python float to dtype `name`'s precision (float32/float16); inf on overflow."""
    if v != v or v in (math.inf, -math.inf):
        return v
    code = {'float32': 'f', 'float16': 'e'}.get(name)
    if code is None:
        return v
    try:
        return struct.unpack(code, struct.pack(code, v))[0]
    except (OverflowError, struct.error):
        return math.copysign(math.inf, v)


def _cmp_values(exp_vals, act_vals, exp_name, act_name, exact, rtol, atol):
    """Compare flat value lists; returns a list of (index, expected, actual) mismatches."""
    bad = []
    exp_name, act_name = _PART.get(exp_name, exp_name), _PART.get(act_name, act_name)
    ek, ak = _KIND.get(exp_name, 'f'), _KIND.get(act_name, 'f')
    floats = ek == 'f' or ak == 'f'
    fname = act_name if ak == 'f' else canonical_dtype_name(exp_name)
    rt = _tol_for(rtol, _RTOL, fname)
    at = _tol_for(atol, _ATOL, fname)
    for i, (e, a) in enumerate(zip(exp_vals, act_vals)):
        if not floats:
            if ek == 'b' or ak == 'b':
                ok = bool(e) == bool(a)
            else:
                ok = int(e) == int(a)
        else:
            ef, af = _dec_float(e), _dec_float(a)
            if exact:
                ef = _round_to(fname, ef)
                ok = (ef == af) or (ef != ef and af != af)
            elif ef != ef or af != af:
                ok = ef != ef and af != af
            elif math.isinf(ef) or math.isinf(af):
                ok = ef == af
            else:
                ok = abs(af - ef) <= at + rt * abs(ef)
        if not ok:
            bad.append((i, e, a))
    return bad


def compare_results(expected, actual, exact=False, rtol=None, atol=None, type_check=True,
                    path='result'):
    """Compare two encoded results; returns a list of human-readable problems (empty: equal).

    `expected` is NumPy's (its dtype goes through ``canonical_dtype_name``), `actual` wgpy's."""
    problems = []
    ek, ak = expected[0], actual[0]
    if ek == 'err' or ak == 'err':
        if ek == 'err' and ak == 'err':
            return problems  # the caller checks the exception types
        problems.append('%s: expected %s, got %s' % (path, _describe(expected), _describe(actual)))
        return problems
    if ek != ak:
        problems.append('%s: expected %s, got %s' % (path, _describe(expected), _describe(actual)))
        return problems
    if ek == 'arr':
        _, ename, eshape, evals = expected
        _, aname, ashape, avals = actual
        want = canonical_dtype_name(ename)
        if type_check and aname != want:
            why = '' if want == ename else ' (numpy: %s, under the 64-bit policy)' % ename
            problems.append('%s: dtype: expected %s%s, got %s' % (path, want, why, aname))
        if list(eshape) != list(ashape):
            problems.append('%s: shape: expected %s, got %s' % (path, tuple(eshape), tuple(ashape)))
            return problems
        if len(evals) != len(avals):
            problems.append('%s: %d values expected, got %d' % (path, len(evals), len(avals)))
            return problems
        bad = _cmp_values(evals, avals, ename, aname, exact, rtol, atol)
        if bad:
            idx = ', '.join('[%d] expected %r got %r' % b for b in bad[:6])
            problems.append('%s: %d of %d values differ (%s, shape %s): %s%s' % (
                path, len(bad), len(evals), aname, tuple(eshape), idx,
                ', ...' if len(bad) > 6 else ''))
        return problems
    if ek == 'py':
        if type_check and expected[1] != actual[1]:
            problems.append('%s: type: expected %s, got %s' % (path, expected[1], actual[1]))
        e, a = expected[2], actual[2]
        if expected[1] == 'complex' and actual[1] == 'complex':
            if _cmp_values(e, a, 'float32', 'float32', exact, rtol, atol):
                problems.append('%s: expected %r, got %r' % (path, e, a))
        elif expected[1] == 'float' or actual[1] == 'float':
            if not isinstance(a, (int, float, str)) or isinstance(a, str) and a not in (
                    'nan', 'inf', '-inf'):
                problems.append('%s: expected %r, got %r' % (path, e, a))
            elif _cmp_values([e], [a], 'float32', 'float32', exact, rtol, atol):
                problems.append('%s: expected %r, got %r' % (path, e, a))
        elif e != a:
            problems.append('%s: expected %r, got %r' % (path, e, a))
        return problems
    if ek == 'seq':
        if type_check and expected[1] != actual[1]:
            problems.append('%s: expected a %s, got a %s' % (path, expected[1], actual[1]))
        if len(expected[2]) != len(actual[2]):
            problems.append('%s: expected %d items, got %d' % (path, len(expected[2]),
                                                               len(actual[2])))
            return problems
        for i, (e, a) in enumerate(zip(expected[2], actual[2])):
            problems += compare_results(e, a, exact, rtol, atol, type_check, '%s[%d]' % (path, i))
        return problems
    if ek == 'dtype':
        want = canonical_dtype_name(expected[1])
        if want != actual[1]:
            problems.append('%s: expected dtype %s, got %s' % (path, want, actual[1]))
        return problems
    problems.append('%s: cannot compare %r' % (path, expected))
    return problems


def _json_roundtrip(enc):
    return json.loads(json.dumps(enc, allow_nan=False))


# ---- golden record / replay ---------------------------------------------------------------------
class GoldenState:
    """Where the decorators take NumPy's results from: a live NumPy call ('compare', the default),
    optionally recorded; or a recording ('replay').  python/tests/conftest.py drives it."""

    def __init__(self):
        self.mode = 'compare'
        self.recording = None      # dict key -> [encoded, ...] when recording
        self.records = None        # dict key -> [encoded, ...] when replaying
        self.meta = {}
        self.key = None            # the running test's key
        self.use_golden = True     # False: always compare live (native_only tests)
        self.index = 0

    def begin(self, key, use_golden=True):
        """A test starts.  use_golden=False (native_only tests): its comparisons are neither
        recorded nor replayed; they always call numpy."""
        self.key = key
        self.index = 0
        self.use_golden = use_golden

    @property
    def replaying(self):
        return self.mode == 'replay' and self.use_golden

    def end(self):
        self.key = None
        self.index = 0
        self.use_golden = True

    def next_slot(self):
        i = self.index
        self.index += 1
        return i

    def record(self, slot, enc):
        if self.recording is None or self.key is None or not self.use_golden:
            return
        lst = self.recording.setdefault(self.key, [])
        if len(lst) == slot:
            lst.append(enc)
        elif len(lst) > slot:
            lst[slot] = enc  # a rerun of the same test

    def lookup(self, slot):
        if self.key is None:
            raise AssertionError('wgpy.testing: replay mode outside a pytest test')
        lst = (self.records or {}).get(self.key)
        if lst is None:
            raise AssertionError(
                'no golden record for %s: record it natively with '
                '`pytest python/tests --golden-out PATH` (numpy installed)' % self.key)
        if slot >= len(lst):
            raise AssertionError('no golden record for comparison #%d of %s (the recording has %d)'
                                 % (slot + 1, self.key, len(lst)))
        return lst[slot]

    def dump(self, path, meta):
        data = {'format': GOLDEN_FORMAT}
        data.update(meta)
        data['records'] = {k: self.recording[k] for k in sorted(self.recording)}
        with open(path, 'w') as f:
            json.dump(data, f, allow_nan=False, separators=(',', ':'))
            f.write('\n')

    def load(self, path):
        with open(path) as f:
            data = json.load(f)
        if data.get('format') != GOLDEN_FORMAT:
            raise ValueError('%s: golden format %r, expected %r' % (path, data.get('format'),
                                                                    GOLDEN_FORMAT))
        self.records = data.pop('records')
        self.meta = data
        self.mode = 'replay'
        return data


golden = GoldenState()


def _numpy():
    import numpy
    return numpy


def _accepts(accept_error, e):
    if accept_error is True:
        return True
    if not accept_error:
        return False
    return isinstance(e, accept_error)


def _call(func, args, kwargs, name, xp):
    kw = dict(kwargs)
    kw[name] = xp
    return func(*args, **kw)


def _expected_outcome(func, args, kwargs, name, accept_error, slot):
    if golden.replaying:
        return golden.lookup(slot)
    try:
        np = _numpy()
    except ImportError:
        raise AssertionError('numpy is not importable and no golden recording was given: run '
                             'with --golden-in PATH (recorded natively with --golden-out PATH)')
    try:
        with np.errstate(all='ignore'):
            r = _call(func, args, kwargs, name, np)
            enc = encode_result(r)
    except Exception as e:
        if not _accepts(accept_error, e):
            raise
        enc = encode_error(e)
    enc = _json_roundtrip(enc)
    golden.record(slot, enc)
    return enc


def _skip_if_backend_refuses(wp, e):
    """A NotImplementedError that names the current backend is a documented refusal (float16
    on a device without it, 64-bit types on webgpu): report the test as skipped, with the
    engine's reason, rather than as passed or failed."""
    backend = wp.get_backend_name()
    if isinstance(e, NotImplementedError) and backend != 'cpu' and \
            ('the %s backend' % backend) in str(e):
        import pytest
        pytest.skip('%s: %s' % (backend, e))


def _run_comparison(func, args, kwargs, name, exact, rtol, atol, type_check, accept_error):
    slot = golden.next_slot()
    expected = _expected_outcome(func, args, kwargs, name, accept_error, slot)
    wp = _wgpy()
    try:
        r = _call(func, args, kwargs, name, wp)
        actual = encode_result(r)
    except Exception as e:
        if expected[0] == 'err' and _error_matches(expected, e):
            return
        _skip_if_backend_refuses(wp, e)
        if expected[0] == 'err':
            raise AssertionError('numpy raised %s; wgpy raised %s: %s' % (
                _describe(expected), type(e).__name__, e)) from e
        if hasattr(e, 'add_note'):
            e.add_note('wgpy.testing: numpy returned %s' % _describe(expected))
        raise
    problems = compare_results(expected, actual, exact=exact, rtol=rtol, atol=atol,
                               type_check=type_check)
    if problems:
        raise AssertionError('wgpy differs from numpy:\n  ' + '\n  '.join(problems))


def _decorator(exact, rtol, atol, type_check, accept_error, name):
    def decorator(func):
        sig = inspect.signature(func)
        if name not in sig.parameters:
            raise TypeError('%s has no parameter %r' % (func.__name__, name))
        params = [p for p in sig.parameters.values() if p.name != name]

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            _run_comparison(func, args, kwargs, name, exact, rtol, atol, type_check, accept_error)

        wrapper.__signature__ = sig.replace(parameters=params)
        return wrapper
    return decorator


def numpy_wgpy_allclose(rtol=None, atol=None, type_check=True, accept_error=False, name='xp'):
    """Decorator: the test returns an array (or scalar, tuple, ...) for ``xp`` numpy and wgpy; the
    results must be close: same shape, same dtype (NumPy's under wgpy's 64-bit policy, when
    `type_check`), values within ``atol + rtol * |expected|`` (NaN matches NaN, inf matches inf).

    rtol/atol: None (the default: by the compared dtype, float16 1e-3/1e-3, float32 1e-5/1e-6,
    float64 1e-9/1e-12), a number (used, but never tighter than that default), or a dict from
    dtype name (or 'default') to a number.  Integers and bools compare exactly.

    accept_error: False (an exception fails the test), True (if NumPy raises, wgpy must raise the
    same kind: an instance of each builtin exception type NumPy's is), or an exception type/tuple
    (only those of NumPy's exceptions are accepted)."""
    return _decorator(False, rtol, atol, type_check, accept_error, name)


def numpy_wgpy_array_equal(type_check=True, accept_error=False, name='xp'):
    """Decorator like ``numpy_wgpy_allclose`` with exact equality (NumPy's float64 values are
    rounded to float32 first where the 64-bit policy makes wgpy's array float32)."""
    return _decorator(True, None, None, type_check, accept_error, name)


def _encode_desired(desired, actual):
    """Encode `desired`; nested lists/scalars take `actual`'s dtype (and need no numpy)."""
    if _is_array_like(desired) or not _is_array_like(actual):
        return encode_result(desired)
    shape = []
    x = desired
    while isinstance(x, (list, tuple)):
        shape.append(len(x))
        x = x[0] if x else None
    name = dtype_name(actual.dtype)
    flat = _flatten(desired, [])
    kind = _KIND.get(name)
    if kind == 'f':
        flat = [_enc_float(float(v)) for v in flat]
    elif kind == 'b':
        flat = [bool(v) for v in flat]
    else:
        flat = [int(v) for v in flat]
    return ['arr', name, shape, flat]


def _assert(actual, desired, exact, rtol, atol, type_check):
    problems = compare_results(_encode_desired(desired, actual), encode_result(actual), exact=exact,
                               rtol=rtol, atol=atol, type_check=type_check)
    if problems:
        raise AssertionError('arrays differ:\n  ' + '\n  '.join(problems))


def assert_allclose(actual, desired, rtol=None, atol=None, type_check=False):
    """Assert that `actual` (wgpy or numpy) is close to `desired` (wgpy, numpy, or nested lists with
    a dtype when `type_check`).  Works without numpy."""
    _assert(actual, desired, False, rtol, atol, type_check)


def assert_array_equal(actual, desired, type_check=False):
    _assert(actual, desired, True, None, None, type_check)
