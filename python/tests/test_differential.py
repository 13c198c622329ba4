"""Differential test: random short programs run on NumPy and on wgpy, results compared.

Each program is a few lines of Python over `xp` (numpy or wgpy) and variables v0, v1, ...: arrays
made by ``testing.shaped_random``, views of them (slices, transposes, reshapes, broadcasts),
operators and in-place operators with arrays and Python scalars of mixed dtypes, ufuncs with
``out=``, assignments through views, reductions, casts, creation functions, and the errors that
random choices provoke (bad broadcasts, axes, casts, dtype combinations).  Every line runs in its
own ``try``: an exception becomes an event (its builtin exception types, and NumPy's ufunc error
class where it is one), so a program goes on after an error and both libraries must raise the
same kinds at the same lines.  The result compared is every variable at the end (which shows
writes through views) and the events.

The programs are generated from a fixed seed by ``testing``'s SplitMix64 (no numpy, no `random`),
so the same programs run everywhere: natively against numpy, and inside Pyodide or on the GPU
backends against numpy's recorded results (conftest's golden files).  The generator keeps a
model of every variable (shape, dtype, value interval, whether its bits are reproducible) so that
most lines are valid and so that values whose last bits may legitimately differ (transcendental
functions, reduction order, 64-bit arithmetic rounded to 32 bits under wgpy's default policy) are
compared within a tolerance and never fed to operations that would magnify a last-bit difference
(comparisons, floor, casts to integers).

Two documented differences are modelled on the NumPy side, not reported: wgpy returns 0-d arrays
where NumPy returns scalars (so NumPy's scalar results are made 0-d arrays, and full integer
indexing is written ``a[i, j, ...]``, a 0-d view in both), and NumPy's 64-bit results are cast
to the dtype wgpy's 64-bit policy gives (``testing.canonical_dtype_name``).

A failure prints the program as Python and the first difference.  ``WGPY_DIFF_PROGRAMS=N`` runs
N programs instead of the default (natively; a golden replay needs the recorded number), and
``WGPY_DIFF_SEED`` another seed.
"""

import math
import os
import re
import time

import pytest

from wgpy import testing

SEED = int(os.environ.get('WGPY_DIFF_SEED', '14'))
N_PROGRAMS = int(os.environ.get('WGPY_DIFF_PROGRAMS', '2400'))
PER_CHUNK = 40
# a third of the programs use float16 (refused by the webgpu and webgl2 backends: those programs
# are skipped there, one by one)
WIDE_EVERY = 3

STATS = {'programs': 0, 'lines': 0, 'seconds': 0.0, 'skipped': 0}

# ---- dtype model (NumPy's rules, x64 semantics; used only to steer the generator) --------------
PORTABLE = ('bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'int64',
            'float64')
WIDE = PORTABLE + ('float16',)
_BITS = {'bool': 8, 'int8': 8, 'uint8': 8, 'int16': 16, 'uint16': 16, 'int32': 32,
         'uint32': 32, 'int64': 64, 'uint64': 64, 'float16': 16, 'float32': 32, 'float64': 64}
_MANT = {'float16': 11, 'float32': 24, 'float64': 24}  # float64 may be float32 (64-bit policy)


def kind(dt):
    return 'b' if dt == 'bool' else dt[0] if dt[0] in 'iu' else 'f'


def bits(dt):
    return _BITS[dt]


def irange(dt):
    b = bits(dt)
    if kind(dt) == 'u':
        return 0, (1 << b) - 1
    if kind(dt) == 'b':
        return 0, 1
    return -(1 << (b - 1)), (1 << (b - 1)) - 1


def promote(a, b):
    if a == b:
        return a
    ka, kb = kind(a), kind(b)
    if ka == 'b':
        return b
    if kb == 'b':
        return a
    if ka == 'f' and kb == 'f':
        return a if bits(a) >= bits(b) else b
    if ka == 'f' or kb == 'f':
        fl, other = (a, b) if ka == 'f' else (b, a)
        need = {8: 16, 16: 32, 32: 64, 64: 64}[bits(other)]
        return 'float%d' % max(bits(fl), need)
    if ka == kb:
        return a if bits(a) >= bits(b) else b
    s, u = (a, b) if ka == 'i' else (b, a)
    if bits(s) > bits(u):
        return s
    if bits(u) == 64:
        return 'float64'
    return 'int%d' % (2 * bits(u))


def with_scalar(dt, sk):
    """dtype of array dt with a Python scalar of kind sk ('b', 'i', 'f') (NEP 50)."""
    k = kind(dt)
    if sk == 'b' or sk == k or (sk == 'i' and k in 'iu'):
        return dt
    if sk == 'i':
        return 'int64' if k == 'b' else dt
    return 'float64' if k in 'biu' else dt


def float_of(dt):
    """dtype of a float function (sqrt, sin, ...) of dt."""
    if kind(dt) == 'f':
        return dt
    return {8: 'float16', 16: 'float32', 32: 'float64', 64: 'float64'}[bits(dt)]


# ---- variables of the model --------------------------------------------------------------------
class V:
    """What the generator knows of a variable: shape, dtype, an interval holding its values, and
    whether its bits are reproducible (`exact`); frac: the fractional bits of a float on a grid
    (None: not on a known grid)."""
    __slots__ = ('shape', 'dt', 'lo', 'hi', 'exact', 'frac', 'ro', 'base', 'perm')

    def __init__(self, shape, dt, lo, hi, exact=True, frac=0, ro=False, base=None):
        self.shape = tuple(shape)
        self.dt = dt
        self.lo, self.hi = lo, hi
        self.exact = exact
        self.frac = frac
        self.ro = ro
        self.base = base
        self.perm = False  # NumPy may hold it in another memory order than C (see new())

    @property
    def size(self):
        return math.prod(self.shape)

    @property
    def finite(self):
        return -math.inf < self.lo and self.hi < math.inf

    def bound(self):
        return max(abs(self.lo), abs(self.hi))


def _clamp(v, dt):
    """v's interval after a result of dtype dt: integers wrap, floats overflow to inf."""
    if kind(dt) in 'iu':
        lo, hi = irange(dt)
        if not (lo <= v.lo and v.hi <= hi) or not v.finite:
            v.lo, v.hi = lo, hi
    elif kind(dt) == 'b':
        v.lo, v.hi = 0, 1
    else:
        top = 65504.0 if dt == 'float16' else 3.0e38
        if v.lo < -top:
            v.lo = -math.inf
        if v.hi > top:
            v.hi = math.inf
        m = _MANT[dt]
        if v.frac is not None and (v.bound() >= 2 ** (m - v.frac) or not v.finite):
            v.frac = None
    return v


def broadcast(*shapes):
    n = max(len(s) for s in shapes)
    out = []
    for i in range(n):
        d = 1
        for s in shapes:
            k = i - (n - len(s))
            if k < 0:
                continue
            if s[k] != 1:
                if d != 1 and d != s[k]:
                    return None
                d = s[k]
        out.append(d)
    return tuple(out)


# ---- the generator ---------------------------------------------------------------------------
BIN_OPS = [('+', 'add'), ('-', 'subtract'), ('*', 'multiply'), ('/', 'true_divide'),
           ('//', 'floor_divide'), ('%', 'remainder'), ('**', 'power'), ('&', 'bitwise_and'),
           ('|', 'bitwise_or'), ('^', 'bitwise_xor'), ('<<', 'left_shift'), ('>>', 'right_shift'),
           ('<', 'less'), ('<=', 'less_equal'), ('==', 'equal'), ('!=', 'not_equal'),
           ('>', 'greater'), ('>=', 'greater_equal')]
FUNC_BIN = ['maximum', 'minimum', 'fmax', 'fmin', 'logical_and', 'logical_or', 'logical_xor',
            'copysign', 'arctan2', 'hypot']
# discontinuous in their inputs: a last-bit difference can change the result entirely
FRAGILE = ('floor_divide', 'remainder', 'less', 'less_equal', 'equal', 'not_equal', 'greater',
           'greater_equal', 'logical_and', 'logical_or', 'logical_xor', 'bitwise_and',
           'bitwise_or', 'bitwise_xor', 'left_shift', 'right_shift', 'power')
EXACT_UNARY = ['negative', 'positive', 'absolute', 'floor', 'ceil', 'trunc', 'rint', 'sign',
               'square', 'sqrt', 'invert', 'logical_not', 'isnan', 'isinf', 'isfinite',
               'signbit', 'reciprocal']
INEXACT_UNARY = ['exp', 'log', 'sin', 'cos', 'tanh', 'exp2', 'log1p', 'arctan', 'cbrt']
REDUCTIONS = ['sum', 'prod', 'min', 'max', 'mean', 'argmin', 'argmax', 'any', 'all', 'var', 'std']
INT_SCALARS = [0, 1, 2, 3, -1, -2, 7, 100, 200, 300, -129, 70000, 2 ** 31, 2 ** 40]
FLOAT_SCALARS = [0.5, 1.5, -2.0, 0.25, 3.0, -0.75, 0.0, 1e30, float('inf'), float('nan')]
SHAPES = [(), (1,), (3,), (4,), (2, 3), (3, 1), (1, 4), (2, 1, 3), (2, 3, 4), (0,), (3, 0)]


class Gen:
    def __init__(self, seed, index):
        self.rng = testing._SplitMix64(seed * 1000003 + index)
        self.vars = []      # V or None (a line that may fail: its variable is unknown)
        self.lines = []     # (target variable index or None, 'stmt'|'expr', code)
        self.dtypes = WIDE if index % WIDE_EVERY == WIDE_EVERY - 1 else PORTABLE

    # -- randomness --
    def r(self, n):
        return self.rng.next() % n

    def coin(self, p=0.5):
        return self.r(1 << 20) < p * (1 << 20)

    def pick(self, seq):
        return seq[self.r(len(seq))]

    def live(self, pred=None):
        c = [i for i, v in enumerate(self.vars) if v is not None and (pred is None or pred(v))]
        return self.pick(c) if c else None

    # -- emitting lines --
    def new(self, code, v):
        """A line `vI = code` whose value the model says is v.  perm: NumPy's value may be in a
        memory order other than C (a transpose, an order='F' copy, or an elementwise result of
        one: NumPy's results keep their inputs' order, wgpy's are C-contiguous), so that a
        reshape or ravel of it is a copy in one library and a view in the other."""
        if v is not None and not code.endswith('.copy()'):
            v.perm = v.perm or any(
                w in code for w in ('.T', '.swapaxes(', "order='F'", 'transpose', 'moveaxis')) \
                or any(self.vars[int(u[1:])] is not None and self.vars[int(u[1:])].perm
                       for u in _NAMES.findall(code))
        i = len(self.vars)
        self.vars.append(v)
        self.lines.append((i, 'stmt', 'v%d = %s' % (i, code)))
        return i

    def stmt(self, code, target=None):
        self.lines.append((target, 'stmt', code))

    def expr(self, code):
        self.lines.append((None, 'expr', code))

    # -- inputs --
    def shape_like(self, shape):
        """A shape that broadcasts with `shape` (mostly), or any shape."""
        c = self.r(10)
        if c < 3 or not shape:
            return self.pick(SHAPES)
        if c < 6:
            k = self.r(len(shape) + 1)
            return shape[k:]
        if c < 9:
            return tuple(1 if self.coin(0.4) else d for d in shape)
        return (1,) + tuple(shape)

    def make_input(self, shape=None, dt=None):
        shape = self.pick(SHAPES) if shape is None else shape
        dt = dt or self.pick(self.dtypes)
        k = kind(dt)
        low = 0 if k in 'bu' or self.coin(0.5) else -self.pick([3, 8, 50])
        scale = self.pick([4, 10, 100]) if k != 'b' else 2
        if k in 'iu':
            lo_r, hi_r = irange(dt)
            low = max(low, lo_r)
            scale = min(scale, hi_r - low + 1)
        seed = self.r(1000)
        code = 'testing.shaped_random(%r, xp, %r, seed=%d, scale=%d, low=%d)' % (
            shape, dt, seed, scale, low)
        frac = 0
        if k == 'f':
            top = max(abs(low), abs(low + scale), 1)
            frac = max(0, 10 - int(math.ceil(top)).bit_length())
        lo, hi = (0, 1) if k == 'b' else (low, low + scale)
        return self.new(code, V(shape, dt, lo, hi, True, frac))

    def scalar(self, dt=None):
        """(code, kind, value) of a Python scalar operand."""
        c = self.r(10)
        if c < 5:
            v = self.pick(INT_SCALARS[:8]) if self.coin(0.8) else self.pick(INT_SCALARS)
            return repr(v), 'i', v
        if c < 9:
            v = self.pick(FLOAT_SCALARS[:7]) if self.coin(0.85) else self.pick(FLOAT_SCALARS)
            return ("float('%s')" % v if v != v or v in (math.inf, -math.inf) else repr(v)), 'f', v
        v = self.coin()
        return repr(v), 'b', v

    def operand(self, a):
        """The right operand of a binary operation with variable a: (code, V-like model)."""
        c = self.r(10)
        if c < 4:
            code, sk, val = self.scalar()
            if sk == 'i':
                dt = with_scalar(self.vars[a].dt, 'i')
                if kind(dt) in 'iub' and not -2 ** 31 <= val < 2 ** 31:
                    # fits NumPy's int64 but not int32, wgpy's under its 64-bit policy
                    code, val = '7', 7
                lo, hi = irange(dt) if kind(dt) in 'iu' else (-math.inf, math.inf)
                if not lo <= val <= hi:
                    return code, None  # OverflowError expected
            fv = float(val)
            m = V((), with_scalar(self.vars[a].dt, sk), min(fv, 0) if fv == fv else -math.inf,
                  max(fv, 0) if fv == fv else math.inf, _f32_exact(fv), 2 if sk == 'f' else 0)
            m.dt = None  # weak
            m.base = sk
            return code, m
        if c < 9:
            b = self.live() if self.coin(0.6) else None
            if b is None or broadcast(self.vars[a].shape, self.vars[b].shape) is None:
                if self.coin(0.85):
                    b = self.make_input(self.shape_like(self.vars[a].shape))
            if b is None:
                b = self.make_input()
            return 'v%d' % b, self.vars[b]
        # a list
        n = self.vars[a].shape[-1] if self.vars[a].shape else 2
        vals = [self.pick([1, 2, 0, -1, 3]) for _ in range(n)]
        if self.coin(0.3):
            vals = [float(x) / 2 for x in vals]
        m = V((n,), 'float64' if not vals or isinstance(vals[0], float) else 'int64',
              min(vals + [0]), max(vals + [0]), True, 1)
        return repr(vals), m

    # -- result models --
    def result_dt(self, a, b):
        if b.dt is None:  # weak scalar
            return with_scalar(a.dt, b.base)
        if a.dt is None:
            return with_scalar(b.dt, a.base)
        return promote(a.dt, b.dt)

    def binary_model(self, name, a, b):
        """The model of name(a, b), or None if the generator expects an error."""
        shape = broadcast(a.shape, b.shape)
        if shape is None:
            return None
        dt = self.result_dt(a, b)
        k = kind(dt)
        if _policy_wraps(name, dt, a, b):
            return SKIP
        exact = a.exact and b.exact
        # an integer entering a float64 loop, beyond float32's integers: rounding may differ
        # under the 64-bit policy
        if _int_to_f64(a, dt) or _int_to_f64(b, dt):
            exact = False
        fr = None if a.frac is None or b.frac is None else max(a.frac, b.frac)
        fin = a.finite and b.finite
        if name in ('less', 'less_equal', 'equal', 'not_equal', 'greater', 'greater_equal',
                    'logical_and', 'logical_or', 'logical_xor'):
            return V(shape, 'bool', 0, 1, exact, 0)
        if name in ('bitwise_and', 'bitwise_or', 'bitwise_xor', 'left_shift', 'right_shift'):
            if k == 'f':
                return None
            if dt == 'bool' and name in ('left_shift', 'right_shift'):
                dt = 'int8'
            v = V(shape, dt, *irange(dt), exact=exact, frac=0)
            if name == 'bitwise_and' and a.lo >= 0 and b.lo >= 0:
                v.lo, v.hi = 0, min(a.hi, b.hi)
            return v
        if name in ('add', 'subtract'):
            if dt == 'bool' and name == 'subtract':
                return None
            if dt == 'bool':
                return V(shape, dt, 0, 1, exact, 0)
            if name == 'add':
                lo, hi = a.lo + b.lo, a.hi + b.hi
            else:
                lo, hi = a.lo - b.hi, a.hi - b.lo
            if not fin:
                lo, hi = -math.inf, math.inf
            return _clamp(V(shape, dt, lo, hi, exact, fr), dt)
        if name == 'multiply':
            if not fin:
                return V(shape, dt, -math.inf, math.inf, exact, None)
            ps = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
            f2 = None if fr is None else a.frac + b.frac
            if dt == 'bool':
                return V(shape, dt, 0, 1, exact, 0)
            return _clamp(V(shape, dt, min(ps), max(ps), exact, f2), dt)
        if name == 'true_divide':
            if kind(dt) != 'f':
                dt = 'float64'
            return V(shape, dt, -math.inf, math.inf, exact, None)
        if name in ('floor_divide', 'remainder'):
            if dt == 'bool':
                dt = 'int8'
            if kind(dt) in 'iu':
                return V(shape, dt, *irange(dt), exact=exact, frac=0)
            return V(shape, dt, -math.inf, math.inf, exact, fr if name == 'remainder' else 0)
        if name == 'power':
            if dt == 'bool':
                dt = 'int8'
            if kind(dt) in 'iu':
                if b.lo < 0 and kind(b.dt or 'i') in 'iu' and b.base != 'f':
                    return None  # negative integer powers raise
                return V(shape, dt, *irange(dt), exact=exact, frac=0)
            return V(shape, dt, -math.inf, math.inf, False, None)
        if name in ('maximum', 'minimum', 'fmax', 'fmin'):
            return V(shape, dt, min(a.lo, b.lo), max(a.hi, b.hi), exact, fr)
        if name in ('copysign', 'arctan2', 'hypot'):
            if kind(dt) != 'f':
                dt = float_of(dt)
            ex = exact and name == 'copysign'
            return V(shape, dt, -a.bound() if name == 'copysign' else -4,
                     a.bound() if name == 'copysign' else max(a.bound(), b.bound(), 4),
                     ex, fr if ex else None)
        return None

    # -- statements --
    def step(self):
        c = self.r(100)
        a = self.live()
        if a is None:
            self.make_input()
            return
        va = self.vars[a]
        steps = ((16, self.binary, (a, 'op')), (23, self.binary, (a, 'func')),
                 (32, self.inplace, (a,)), (37, self.out_call, (a,)), (46, self.unary, (a,)),
                 (58, self.view, (a,)), (65, self.setitem, (a,)), (74, self.reduce, (a,)),
                 (77, self.astype, (a,)), (80, self.where_clip, (a,)), (82, self.matmul, (a,)),
                 (85, self.create, ()), (88, self.query, (a, va)), (100, self.misc, (a,)))
        for top, f, args in steps:
            if c < top:
                f(*args)
                return

    def binary(self, a, how):
        va = self.vars[a]
        if how == 'op':
            sym, name = self.pick(BIN_OPS)
        else:
            name = self.pick(FUNC_BIN + [n for _, n in BIN_OPS])
        code_b, vb = self.operand(a)
        m = None if vb is None else self.binary_model(name, va, vb)
        if m is SKIP or _fragile(name, va, vb, m):
            return  # values whose last bits may differ, into a discontinuous operation
        if how == 'op':
            if self.coin(0.2) and vb is not None and vb.dt is None:
                code = '%s %s v%d' % (code_b, sym, a)  # reflected
                if m is not None:
                    m = self.binary_model(name, vb, va)
                    if m is SKIP:
                        return
            else:
                code = 'v%d %s %s' % (a, sym, code_b)
        else:
            code = 'xp.%s(v%d, %s)' % (name, a, code_b)
        self.new(code, m)

    def inplace(self, a):
        va = self.vars[a]
        sym, name = self.pick(BIN_OPS[:12])
        code_b, vb = self.operand(a)
        m = None if vb is None else self.binary_model(name, va, vb)
        if m is SKIP or _fragile(name, va, vb, m) or _undefined_out(name, va, vb):
            return
        self.stmt('v%d %s= %s' % (a, sym, code_b), a)
        self._after_write(a, vb, m, va.shape)

    def _after_write(self, a, vb, m, shape):
        """The model after a write of m's values into a[...] (shape: the written view's), which
        raises when the model says so: a broadcast, a read-only target, a cast that same_kind
        refuses.  Where the model cannot tell (m None for another reason), a's values become
        unknown."""
        va = self.vars[a]
        if vb is None or va.ro:
            return
        if vb.shape is not None and broadcast(shape, vb.shape) != shape:
            return
        if m is None:
            self._written(a, _unknown(va, exact=False))
            return
        if broadcast(m.shape, shape) != shape or not _same_kind(m.dt, va.dt):
            return
        self._written(a, m)

    def _written(self, a, m):
        """Variable a (and what shares its memory) now holds values of model m (merged with its
        own where only part of it was written)."""
        va = self.vars[a]
        nv = V(va.shape, va.dt, m.lo, m.hi, m.exact, m.frac, va.ro, va.base)
        nv.perm = va.perm
        _clamp(nv, va.dt)
        if kind(va.dt) in 'iu' and kind(m.dt or va.dt) == 'f':
            nv.exact = nv.exact and m.finite and irange(va.dt)[0] <= m.lo and \
                m.hi <= irange(va.dt)[1]
        self.vars[a] = nv
        root = va.base if va.base is not None else a
        for j, v in enumerate(self.vars):
            if v is not None and j != a and (j == root or v.base == root):
                self.vars[j] = _merge(v, nv)

    def out_call(self, a):
        va = self.vars[a]
        name = self.pick([n for _, n in BIN_OPS[:7]] + ['maximum', 'minimum'])
        code_b, vb = self.operand(a)
        o = self.live(lambda v: not v.ro and v.size > 0) if self.coin(0.6) else a
        if o is None:
            o = a
        m = None if vb is None else self.binary_model(name, va, vb)
        if m is SKIP or _fragile(name, va, vb, m) or _undefined_out(name, va, vb):
            return
        self.stmt('xp.%s(v%d, %s, out=v%d)' % (name, a, code_b, o), o)
        if vb is not None and broadcast(va.shape, vb.shape) is None:
            return
        self._after_write(o, vb, m, self.vars[o].shape)

    def unary(self, a):
        va = self.vars[a]
        if self.coin(0.25):
            sym, name = self.pick([('-', 'negative'), ('+', 'positive'), ('abs', 'absolute'),
                                   ('~', 'invert')])
            code = 'abs(v%d)' % a if sym == 'abs' else '%sv%d' % (sym, a)
        else:
            name = self.pick(EXACT_UNARY * 2 + INEXACT_UNARY)
            code = 'xp.%s(v%d)' % (name, a)
        k = kind(va.dt)
        dt = va.dt
        m = None
        b = va.bound()
        if name in ('negative', 'positive', 'absolute'):
            if k == 'b' and name != 'absolute':
                m = None
            else:
                lo, hi = (-va.hi, -va.lo) if name == 'negative' else \
                    (va.lo, va.hi) if name == 'positive' else (0, b)
                m = _clamp(V(va.shape, dt, lo, hi, va.exact, va.frac), dt)
        elif name == 'invert':
            m = V(va.shape, dt, *irange(dt), exact=va.exact, frac=0) if k != 'f' else None
        elif name in ('floor', 'ceil', 'trunc', 'rint', 'sign'):
            if not va.exact and k == 'f':
                return
            if name == 'sign' and k == 'b':
                m = None
            else:
                m = V(va.shape, dt, min(va.lo - 1, -1), max(va.hi + 1, 1), va.exact, 0)
                if not va.finite:
                    m.lo, m.hi = -math.inf, math.inf
        elif name in ('logical_not', 'isnan', 'isinf', 'isfinite', 'signbit'):
            if not va.exact and k == 'f':
                return
            dt = 'bool'
            m = V(va.shape, dt, 0, 1, va.exact, 0)
        elif name == 'square':
            dt = 'int8' if k == 'b' else dt
            m = _clamp(V(va.shape, dt, 0, b * b, va.exact,
                         None if va.frac is None else 2 * va.frac), dt)
        elif name == 'sqrt':
            dt = float_of(dt)
            m = V(va.shape, dt, -math.inf if va.lo < 0 else 0, math.sqrt(b) + 1 if
                  b < math.inf else math.inf, va.exact and not _int_to_f64(va, dt), None)
        elif name == 'reciprocal':
            m = V(va.shape, dt, -math.inf, math.inf, va.exact and k == 'f', None)
            if k != 'f':
                return  # integer reciprocal of 0 is undefined behaviour in NumPy
        else:
            if not va.bound() < 2 ** 20:
                return  # large arguments: float32 and float64 (or a rounded integer) part ways
            dt = float_of(dt)
            m = V(va.shape, dt, -math.inf, math.inf, False, None)
            if name in ('sin', 'cos', 'tanh', 'arctan'):
                m.lo, m.hi = -2, 2
        if m is not None:
            m.dt = dt
        self.new(code, m)

    # -- views --
    def key(self, shape, allow_none=True):
        """(code, resulting shape or None for an expected IndexError, all-integer) of a basic
        index for shape."""
        items, out = [], []
        nd = len(shape)
        use = nd if self.coin(0.7) else self.r(nd + 1)
        all_int = True
        for d in range(use):
            if allow_none and self.coin(0.1):
                items.append('None')
                out.append(1)
                all_int = False
            n = shape[d]
            c = self.r(10)
            if c < 3 and n > 0:
                items.append(str(self.r(n) - (n if self.coin(0.3) else 0)))
                continue
            all_int = False
            if c < 6:
                items.append(':')
                out.append(n)
            elif c < 8:
                start = self.r(n + 1) if n else 0
                stop = start + self.r(n + 1 - start) if n else 0
                items.append('%d:%d' % (start, stop))
                out.append(max(0, stop - start))
            elif c < 9:
                items.append('::-1')
                out.append(n)
            else:
                st = self.pick([2, 3, -2])
                items.append('::%d' % st)
                out.append(-(-n // abs(st)))
        out += list(shape[use:])
        if all_int and use == nd:
            items.append('...')  # a 0-d view in both (NumPy would give a scalar)
        elif self.coin(0.15):
            items.append('...')
        shape_out = tuple(out)
        if not items:
            items.append('...')
        if use == nd and self.coin(0.03):
            items.append('0')  # too many indices (or one more integer index)
            shape_out = None
        return ', '.join(items), shape_out, all_int

    def view(self, a):
        va = self.vars[a]
        s = va.shape
        c = self.r(12)
        root = va.base if va.base is not None else a
        ro = va.ro
        if c < 4:
            code, shape, _ = self.key(s)
            if self.coin(0.03) and s:
                code, shape = '%d' % (s[0] + 5), None  # out of range
            m = None if shape is None else V(shape, va.dt, va.lo, va.hi, va.exact, va.frac, ro,
                                            root)
            self.new('v%d[%s]' % (a, code), m)
            return
        if c < 5:
            self.new('v%d.T' % a, V(s[::-1], va.dt, va.lo, va.hi, va.exact, va.frac, ro, root))
            return
        if c < 6 and len(s) >= 2:
            i, j = self.r(len(s)), self.r(len(s)) - len(s) * self.r(2)
            sh = list(s)
            sh[i], sh[j] = sh[j], sh[i]
            self.new('v%d.swapaxes(%d, %d)' % (a, i, j),
                     V(sh, va.dt, va.lo, va.hi, va.exact, va.frac, ro, root))
            return
        if c < 8:
            if va.perm:
                return  # a view in one library, a copy in the other (see new())
            n = va.size
            opts = [(n,), (-1,)]
            for d in (2, 3, 4):
                if n % d == 0 and n:
                    opts += [(d, n // d), (n // d, -1), (1, d, -1)]
            opts.append((n + 1,))  # a size mismatch
            shp = self.pick(opts)
            order = self.pick(["", "", ", order='F'"])
            real = tuple(n // -math.prod(shp) if x == -1 and n else x for x in shp)
            real = tuple(0 if x == -1 else x for x in real)
            ok = math.prod(real) == n and shp != (n + 1,)
            # reshape may copy (non-contiguous): the model stops tracking sharing there
            # a view or a copy (non-contiguous): modelled as sharing, which only loses precision
            m = V(real, va.dt, va.lo, va.hi, va.exact, va.frac, ro, root) if ok else None
            self.new('v%d.reshape(%s%s)' % (a, repr(shp) if len(shp) != 1 else shp[0], order),
                     m)
            return
        if c < 9:
            shp = self.shape_like(s)
            target = broadcast(s, shp)
            if target is None or target != broadcast(target, s):
                m = None
            else:
                m = V(target, va.dt, va.lo, va.hi, va.exact, va.frac, True, root)
            self.new('xp.broadcast_to(v%d, %r)' % (a, target or shp), m)
            return
        if c < 10:
            ax = self.r(len(s) + 2) - 1
            nd = len(s) + 1
            ok = -nd <= ax < nd
            shp = list(s)
            if ok:
                shp.insert(ax % nd, 1)
            self.new('xp.expand_dims(v%d, %d)' % (a, ax),
                     V(shp, va.dt, va.lo, va.hi, va.exact, va.frac, ro, root) if ok else None)
            return
        if c < 11:
            self.new('v%d.squeeze()' % a, V(tuple(d for d in s if d != 1), va.dt, va.lo, va.hi,
                                             va.exact, va.frac, ro, root))
            return
        if self.coin() or va.perm:
            self.new('v%d.copy()' % a, V(s, va.dt, va.lo, va.hi, va.exact, va.frac))
        else:
            self.new('v%d.ravel()' % a, V((va.size,), va.dt, va.lo, va.hi, va.exact, va.frac, ro,
                                          root))

    def setitem(self, a):
        va = self.vars[a]
        code, shape, _ = self.key(va.shape, allow_none=False)
        c = self.r(10)
        if c < 5:
            vcode, sk, val = self.scalar()
            fv = float(val)
            m = V((), va.dt, min(fv, 0), max(fv, 0), True, 2)
            if fv != fv or fv in (math.inf, -math.inf):
                m.lo, m.hi = -math.inf, math.inf
            if kind(va.dt) in 'iu' and (sk == 'i' or sk == 'f' and fv - fv == 0) and not (
                    irange(va.dt)[0] <= int(val) <= irange(va.dt)[1]):
                m = None  # OverflowError (a Python float converts with int() first)
            elif kind(va.dt) in 'iu' and sk == 'f':
                m = None if fv - fv != 0 else V((), va.dt, int(fv), int(fv), True, 0)
        else:
            if shape is None:
                shape = va.shape
            shp = self.shape_like(shape)
            b = self.live(lambda v: v.shape == shp)
            if b is None:
                b = self.make_input(shp)
            vcode, m = 'v%d' % b, self.vars[b]
            if broadcast(shape, m.shape) != shape:
                m = None
            elif kind(va.dt) in 'iu' and kind(m.dt) == 'f' and not (
                    m.exact and irange(va.dt)[0] < m.lo and m.hi < irange(va.dt)[1]):
                return  # NaN, inf or out of range into integers: undefined behaviour in NumPy
        self.stmt('v%d[%s] = %s' % (a, code, vcode), a)
        if va.ro or shape is None:
            return
        if m is None:
            return
        if kind(va.dt) in 'iu' and (kind(m.dt or 'i') == 'f' or not m.finite):
            nm = V(va.shape, va.dt, *irange(va.dt), exact=False, frac=0)
            if m.finite and m.exact and irange(va.dt)[0] <= m.lo and m.hi <= irange(va.dt)[1]:
                nm = V(va.shape, va.dt, m.lo, m.hi, True, 0)
            m = nm
        merged = _merge(va, m)
        self._written(a, merged)

    def reduce(self, a):
        va = self.vars[a]
        name = self.pick(REDUCTIONS)
        nd = len(va.shape)
        c = self.r(10)
        if c < 3 or nd == 0:
            axis, kept = None, ()
        elif c < 8:
            ax = self.r(nd + 1) - (nd if self.coin(0.3) else 0)
            axis = ax
            kept = tuple(d for i, d in enumerate(va.shape) if i != ax % nd) if -nd <= ax < nd \
                else None
        else:
            axes = tuple(sorted(set(self.r(nd) for _ in range(2))))
            axis = axes
            kept = tuple(d for i, d in enumerate(va.shape) if i not in axes)
            if name in ('argmin', 'argmax'):
                kept = None
        keep = self.coin(0.2)
        args = []
        if axis is not None:
            args.append('axis=%r' % (axis,))
        if keep:
            args.append('keepdims=True')
        form = self.r(2)
        code = ('v%d.%s(%s)' % (a, name, ', '.join(args)) if form else
                'xp.%s(v%d%s)' % (name, a, ''.join(', ' + x for x in args)))
        if kept is None:
            self.new(code, None)
            return
        if keep:
            if axis is None:
                kept = (1,) * nd
            else:
                axs = axis if isinstance(axis, tuple) else (axis,)
                kept = tuple(1 if i in [x % nd for x in axs] else d
                             for i, d in enumerate(va.shape))
        n = va.size // max(1, math.prod(kept)) if va.size else 0
        k = kind(va.dt)
        if name in ('min', 'max', 'argmin', 'argmax') and n == 0 and va.size == 0:
            self.new(code, None)
            return
        if name in ('argmin', 'argmax') and not va.exact:
            return
        if name in ('any', 'all'):
            if not va.exact and k == 'f':
                return
            m = V(kept, 'bool', 0, 1, va.exact, 0)
        elif name in ('argmin', 'argmax'):
            m = V(kept, 'int64', 0, max(n, 1), True, 0)
        elif name in ('min', 'max'):
            m = V(kept, va.dt, va.lo, va.hi, va.exact, va.frac)
        elif name in ('sum', 'prod'):
            dt = va.dt if k == 'f' else 'int64' if k in 'bi' or bits(va.dt) < 64 else 'uint64'
            if k == 'u' and bits(va.dt) < 64:
                dt = 'uint64'
            b = va.bound()
            if name == 'sum':
                lo, hi = va.lo * n if va.lo < 0 else 0, va.hi * n if va.hi > 0 else 0
                fr = va.frac
            else:
                hi = b ** n if n < 64 and b < 1e30 else math.inf
                lo = -hi
                fr = None if va.frac is None else va.frac * n
            if not va.finite:
                lo, hi = -math.inf, math.inf
            m = _clamp(V(kept, dt, lo, hi, va.exact, fr), dt)
            if k == 'f' and (m.frac is None or not m.finite):
                m.exact = False  # the order of the additions shows
        elif name == 'mean':
            dt = va.dt if k == 'f' else 'float64'
            m = V(kept, dt, va.lo, va.hi, False, None)
        else:
            if va.bound() > 1000 or va.dt == 'float16':
                # the cancellation in float32 (wgpy's float64 by default) shows; NumPy's float16
                # var accumulates in float16, wgpy's closer to exact (a float16 ulp apart)
                return
            dt = va.dt if k == 'f' else 'float64'
            m = V(kept, dt, 0, va.bound() ** 2 if va.finite else math.inf, False, None)
        self.new(code, m)

    def astype(self, a):
        va = self.vars[a]
        dt = self.pick(self.dtypes)
        code = 'v%d.astype(%r)' % (a, dt)
        if self.coin(0.1):
            code = 'v%d.astype(%r, casting=%r)' % (a, dt, self.pick(['safe', 'same_kind']))
            self.new(code, None)
            return
        k, kf = kind(dt), kind(va.dt)
        m = V(va.shape, dt, va.lo, va.hi, va.exact, va.frac)
        if k in 'iu' and kf == 'f':
            lo, hi = irange(dt)
            # float -> int outside the target's range (or NaN, inf) is undefined behaviour
            if not (va.exact and va.finite and lo <= va.lo and va.hi <= hi) and \
                    not (kind(dt) == 'i' and bits(dt) == 64 and va.finite and va.exact and
                         -2 ** 31 <= va.lo and va.hi < 2 ** 31):
                return
            m.frac = 0
        if k == 'b':
            if not va.exact:
                return
            m = V(va.shape, 'bool', 0, 1, True, 0)
        _clamp(m, dt)  # conversions are correctly rounded: the bits stay reproducible
        self.new(code, m)

    def where_clip(self, a):
        va = self.vars[a]
        if self.coin():
            c = self.live(lambda v: v.dt == 'bool' and v.exact)
            if c is None:
                c_code = 'v%d > %d' % (a, self.r(5))
                if kind(va.dt) == 'f' and not va.exact:
                    return
                cshape = va.shape
            else:
                c_code, cshape = 'v%d' % c, self.vars[c].shape
            code_b, vb = self.operand(a)
            shape = None if vb is None else broadcast(cshape, va.shape, vb.shape)
            m = None
            if shape is not None:
                dt = self.result_dt(va, vb)
                m = V(shape, dt, min(va.lo, vb.lo), max(va.hi, vb.hi), va.exact and vb.exact,
                      None if va.frac is None or vb.frac is None else max(va.frac, vb.frac))
            self.new('xp.where(%s, v%d, %s)' % (c_code, a, code_b), m)
        else:
            lo = self.pick(['None', '1', '0.5', '-2', 'v%d' % a])
            hi = self.pick(['None', '5', '2.5', '100', '-1'])
            m = None
            if not (lo == 'None' and hi == 'None') and kind(va.dt) != 'b':
                dt = va.dt
                if '.' in lo + hi and kind(dt) != 'f':
                    dt = 'float64'
                m = V(va.shape, dt, min(va.lo, -2), max(va.hi, 100), va.exact, va.frac)
            elif kind(va.dt) != 'b':
                m = V(va.shape, va.dt, va.lo, va.hi, va.exact, va.frac)
            self.new('xp.clip(v%d, %s, %s)' % (a, lo, hi), m)

    def matmul(self, a):
        """a @ b: compared (within the tolerance), never used afterwards (not modelled)."""
        va = self.vars[a]
        s = va.shape
        k = s[-1] if s else 2
        shp = self.pick([(k,), (k, 2), (k, 3), (1, k, 2), (k + 1, 2)])
        b = self.make_input(shp, self.pick(self.dtypes))
        self.new(self.pick(['v%d @ v%d', 'xp.matmul(v%d, v%d)', 'xp.dot(v%d, v%d)']) % (a, b),
                 None)

    def create(self):
        c = self.r(6)
        dt = self.pick(self.dtypes)
        shp = self.pick(SHAPES)
        if c == 0:
            self.new('xp.zeros(%r, dtype=%r)' % (shp, dt), V(shp, dt, 0, 0, True, 0))
        elif c == 1:
            self.new('xp.ones(%r, dtype=%r)' % (shp, dt), V(shp, dt, 0, 1, True, 0))
        elif c == 2:
            code, sk, val = self.scalar()
            if sk == 'i' and kind(dt) in 'iub' and not -2 ** 31 <= val < 2 ** 31:
                code, val = '7', 7  # beyond int32: the 64-bit policy's int64 cannot hold it
            if sk == 'f' and kind(dt) in 'iu' and not -2 ** 31 < float(val) < 2 ** 31:
                return  # NaN, inf or out of range into integers: undefined behaviour in NumPy
            m = None
            if sk != 'f' or kind(dt) == 'f':
                fv = float(val)
                m = V(shp, dt, min(fv, 0), max(fv, 0), True, 2)
                if fv != fv:
                    m.lo, m.hi = -math.inf, math.inf
                _clamp(m, dt)
                if sk == 'i' and kind(dt) in 'iu' and not (irange(dt)[0] <= val <= irange(dt)[1]):
                    m = None
            self.new('xp.full(%r, %s, dtype=%r)' % (shp, code, dt), m)
        elif c == 3:
            n = self.r(12)
            lo, hi = irange(dt) if kind(dt) in 'iu' else (0, 1e9)
            m = V((n,), dt, 0, n, True, 0) if n <= hi and kind(dt) != 'b' else None
            self.new('xp.arange(%d, dtype=%r)' % (n, dt), m)
        elif c == 4:
            n = self.r(8)
            self.new('xp.linspace(-1, 2, %d)' % n, V((n,), 'float64', -1, 2, False, None))
        else:
            n, k = self.r(4) + 1, self.r(3) - 1
            self.new('xp.eye(%d, %d, k=%d, dtype=%r)' % (n, n + 1, k, dt),
                     V((n, n + 1), dt, 0, 1, True, 0))

    def query(self, a, va):
        c = self.r(6)
        if c == 0:
            self.expr('v%d.shape, v%d.ndim, v%d.size, str(v%d.dtype)' % (a, a, a, a))
        elif c == 1:
            if kind(va.dt) != 'f' or va.exact:
                self.expr('bool(v%d)' % a)
        elif c == 2:
            self.expr('len(v%d)' % a)
        elif c == 3:
            if kind(va.dt) != 'f' or va.exact:
                self.expr('v%d.item()' % a)
        elif c == 4:
            self.expr('v%d.tolist()' % a)
        elif kind(va.dt) != 'f' or va.exact:
            self.expr('(%d in v%d)' % (self.r(4), a))

    def misc(self, a):
        """The rest of the API a new user reaches for: dtype= and out= of ufuncs and
        reductions, arrays from nested lists, axes arguments, comparisons with None, copyto,
        fill, the *_like functions, dtype queries.  What these make is compared but not used
        afterwards (not modelled); what they write into becomes unknown to the model."""
        va = self.vars[a]
        dt = self.pick(self.dtypes)
        # a 64-bit type asked for is a 32-bit one in wgpy by default, where NumPy's reference
        # holds the 32-bit type already: casts to it (can_cast, copy=False) are not comparable
        dt32 = self.pick([d for d in self.dtypes if not d.endswith('64')])
        c = self.r(24)
        if c >= 16:
            self.misc2(a, va, c - 16, dt32)
            return
        if c == 0:
            name = self.pick(['add', 'multiply', 'subtract', 'maximum', 'true_divide'])
            code_b, vb = self.operand(a)
            if vb is not None and (not va.exact or not vb.exact) or \
                    code_b.lstrip('-').isdigit() and abs(int(code_b)) >= 2 ** 31:
                return
            self.new('xp.%s(v%d, %s, dtype=%r)' % (name, a, code_b, dt), None)
        elif c == 1:
            name = self.pick(['negative', 'absolute', 'square', 'sqrt', 'floor', 'sign', 'rint'])
            if not va.exact or name == 'sqrt' and kind(va.dt) in 'iu':
                return
            o = self.live(lambda v: not v.ro and v.size > 0)
            if o is None:
                return
            if kind(self.vars[o].dt) in 'iu' and (kind(va.dt) == 'f' or name == 'sqrt'):
                o = a  # a float result into integers: a casting error, or undefined (NaN)
            self.stmt('xp.%s(v%d, out=v%d)' % (name, a, o), o)
            self._written(o, _unknown(self.vars[o], exact=False))
        elif c == 2:
            name = self.pick(['sum', 'max', 'min', 'prod', 'mean', 'any', 'all'])
            axis = self.r(len(va.shape)) if va.shape else None
            # (mean with an integer dtype= divides in float64: float32 under the policy)
            extra = ', dtype=%r' % dt if name in ('sum', 'prod') and self.coin() else ''
            if extra and kind(dt) in 'iub' and (kind(va.dt) == 'f' or name == 'mean' and
                                                va.size == 0):
                return  # float (a NaN mean) to integers: undefined behaviour in NumPy
            self.new('v%d.%s(axis=%r%s)' % (a, name, axis, extra), None)
        elif c == 3:
            rows = self.r(3) + 1
            vals = [[self.pick([0, 1, -2, 2.5, True, 7]) for _ in range(2)] for _ in range(rows)]
            if self.coin(0.1):
                vals[-1] = vals[-1][:1]  # ragged
            args = '' if self.coin() else ', dtype=%r' % dt
            if args and kind(dt) in 'ub' or args and any(
                    isinstance(x, float) for r in vals for x in r) and kind(dt) != 'f':
                args = ''
            self.new('xp.asarray(%r%s)' % (vals, args),
                     None if args or self.coin(0.5) else None)
        elif c == 4 and va.shape:
            nd = len(va.shape)
            axes = list(range(nd))
            for i in range(nd - 1, 0, -1):
                j = self.r(i + 1)
                axes[i], axes[j] = axes[j], axes[i]
            form = self.r(3)
            if form == 0:
                code = 'v%d.transpose(%s)' % (a, ', '.join(map(str, axes)))
            elif form == 1:
                code = 'xp.transpose(v%d, %r)' % (a, tuple(axes))
            else:
                code = 'xp.moveaxis(v%d, %d, %d)' % (a, self.r(nd), -1 - self.r(nd))
            self.new(code, None)
        elif c == 5:
            ax = self.r(len(va.shape) + 1) - 1
            self.new('v%d.squeeze(axis=%d)' % (a, ax), None)
        elif c == 6:
            self.new(self.pick(['v%d == None', 'v%d != None', 'None == v%d']) % a, None)
        elif c == 7:
            b = self.live(lambda v: broadcast(v.shape, va.shape) == va.shape)
            if b is None or va.ro:
                return
            vb = self.vars[b]
            if kind(va.dt) in 'iu' and kind(vb.dt) == 'f' or not vb.exact:
                return
            self.stmt('xp.copyto(v%d, v%d)' % (a, b), a)
            self._written(a, _unknown(va, exact=False))
        elif c == 8:
            if va.ro:
                return
            code, sk, val = self.scalar()
            if kind(va.dt) in 'iu' and sk == 'f':
                return
            self.stmt('v%d.fill(%s)' % (a, code), a)
            self._written(a, _unknown(va, exact=False))
        elif c == 9:
            name = self.pick(['zeros_like', 'ones_like'])
            extra = ', dtype=%r' % dt if self.coin() else ''
            self.new('xp.%s(v%d%s)' % (name, a, extra), None)
        elif c == 10:
            b = self.live()
            self.expr(self.pick(['xp.result_type(v%d, v%d)' % (a, b),
                                 'xp.result_type(v%d, 1.5)' % a,
                                 'xp.result_type(v%d, 7)' % a,
                                 'xp.can_cast(v%d.dtype, %r)' % (a, dt32),
                                 'xp.can_cast(v%d.dtype, %r, casting=%r)' % (
                                     a, dt32, self.pick(['same_kind', 'unsafe', 'no'])),
                                 'xp.promote_types(v%d.dtype, %r)' % (a, dt)]))
        elif c == 11:
            if kind(va.dt) == 'f' and not va.exact:
                return
            self.expr(self.pick(['float(v%d)', 'int(v%d)', 'v%d.item(0)', 'v%d.item(-1)',
                                 'list(v%d.shape)', 'v%d.flatten().tolist()']) % a)
        elif c == 12:
            code_b, vb = self.operand(a)
            if vb is None or m_skip(self, 'floor_divide', va, vb):
                return
            self.new('xp.divmod(v%d, %s)[%d]' % (a, code_b, self.r(2)), None)
        elif c == 13:
            if kind(va.dt) == 'f' and kind(dt32) in 'iu':
                return  # NaN, inf or out of range into integers: undefined behaviour in NumPy
            self.new('v%d.astype(%r, copy=False)' % (a, dt32), None)
        elif c == 14:
            # not 'A' or 'K': wgpy's results are C-contiguous where NumPy's keep their inputs'
            # memory order, which these orders show
            if not va.perm:
                self.new('v%d.ravel(order=%r)' % (a, self.pick(['F', 'C'])), None)
        else:
            b = self.live()
            if b is None or _policy_wraps('maximum', promote(va.dt, self.vars[b].dt), va,
                                          self.vars[b]):
                return
            self.new('xp.clip(v%d, v%d, %s)' % (a, b, self.pick(['None', '3', 'v%d' % b])),
                     None)

    def misc2(self, a, va, c, dt32):
        """More of the API: conversions, ddof, arange and linspace arguments, out= of
        reductions, where with scalars, wide slices, divmod, keyword bounds."""
        if c == 0:
            self.new(self.pick(['xp.asarray(v%d)', 'xp.array(v%d)', 'xp.ascontiguousarray(v%d)',
                                'xp.asarray(v%d, dtype=%r)' % (a, dt32) if False else
                                'xp.array(v%d, copy=True)']) % a, None)
        elif c == 1:
            if kind(va.dt) == 'f' and not va.exact or va.bound() > 1000:
                return
            self.new('v%d.%s(ddof=%d%s)' % (a, self.pick(['std', 'var']), self.r(3),
                                            ', axis=0' if va.shape and self.coin() else ''),
                     None)
        elif c == 2:
            start, stop = self.pick([0, 1, -3, 2.5, -1.5]), self.pick([5, -2, 4.5, 0, 10])
            step = self.pick([1, 2, -1, 0.5, -0.75, 3])
            n = (stop - start) / step
            if n < 0 or n > 40:
                self.new('xp.arange(%r, %r, %r)' % (start, stop, step), None)
                return
            extra = ', dtype=%r' % dt32 if self.coin(0.3) and kind(dt32) != 'b' else ''
            if extra and (isinstance(start, float) or isinstance(step, float) or
                          isinstance(stop, float)):
                extra = ''  # a float range into integers rounds the length differently
            self.new('xp.arange(%r, %r, %r%s)' % (start, stop, step, extra), None)
        elif c == 3:
            # (retstep's step is NumPy's float64 scalar, a Python float in wgpy: not compared)
            self.new('xp.linspace(%r, %r, %d, endpoint=%r, retstep=True)[0]' % (
                self.pick([0, -1, 2.5]), self.pick([1, 4, -2.5]), self.r(6),
                self.coin()), None)
        elif c == 4 and va.shape:
            name = self.pick(['sum', 'max', 'min', 'prod', 'any', 'all'])
            o = self.live(lambda v: v.shape == va.shape[1:] and not v.ro)
            if o is None:
                return
            vo = self.vars[o]
            if name in ('sum', 'prod', 'max', 'min') and (
                    kind(va.dt) == 'f' and kind(vo.dt) in 'iub' or not va.exact):
                return  # float into integers: a casting error or undefined behaviour
            self.stmt('xp.%s(v%d, axis=0, out=v%d)' % (name, a, o), o)
            self._written(o, _unknown(vo, exact=False))
        elif c == 5:
            cnd = self.live(lambda v: v.dt == 'bool' and v.exact)
            if cnd is None:
                return
            self.new('xp.where(v%d, %s, %s)' % (cnd, self.scalar()[0], self.scalar()[0]), None)
        elif c == 6 and va.shape:
            self.new('v%d[%s]' % (a, self.pick(['-100:100', '::-3', '5:-5:-1', '-1:',
                                                  ':0', '1::2', '-2::-1'])), None)
        elif c == 7:
            code_b, vb = self.operand(a)
            if vb is None or m_skip(self, 'floor_divide', va, vb):
                return
            self.new('divmod(v%d, %s)[%d]' % (a, code_b, self.r(2)), None)

    def program(self, n_steps):
        for _ in range(1 + self.r(3)):
            self.make_input()
        for _ in range(n_steps):
            self.step()
        return self.lines


def _same_kind(src, dst):
    """NumPy's can_cast(src, dst, 'same_kind') for the model's dtypes (bool < integers <
    floats; any size within a kind)."""
    if src is None or dst is None:
        return True
    order = {'b': 0, 'u': 1, 'i': 1, 'f': 2}
    return order[kind(src)] <= order[kind(dst)]


SKIP = V((), 'bool', 0, 0)  # binary_model: an operation not to generate


def _policy_wraps(name, dt, a, b):
    """A uint32 beyond int32's range in an int64 loop: with 64-bit types off the loop is int32
    and the operand wraps, so wgpy's result is NumPy's only for the operations that commute with
    wrapping (+, -, *, bitwise and/or/xor) and for comparisons (which wgpy makes exact); the
    others are not generated."""
    if dt != 'int64' or name in ('add', 'subtract', 'multiply', 'bitwise_and', 'bitwise_or',
                                 'bitwise_xor', 'less',
                                 'less_equal', 'equal', 'not_equal', 'greater', 'greater_equal'):
        return False
    return any(x.dt in ('uint32', 'uint64') and x.hi >= 2 ** 31 for x in (a, b))


def m_skip(g, name, a, b):
    """Whether the generator leaves name(a, b) out (see binary())."""
    m = g.binary_model(name, a, b)
    return m is SKIP or _fragile(name, a, b, m)


def _fragile(name, a, b, m):
    """A discontinuous operation on values whose last bits may differ."""
    if name not in FRAGILE or b is None:
        return False
    return not a.exact or not b.exact or (m is not None and not m.exact)


def _undefined_out(name, a, b):
    """An integer power with possibly negative exponents into out= / in place: NumPy raises from
    inside its loop and leaves out partly written (with what its buffers held)."""
    return name == 'power' and b is not None and b.lo < 0 and \
        kind(a.dt or 'i') in 'biu' and kind(b.dt or b.base or 'i') in 'biu'


def _f32_exact(x):
    """Whether the Python float x is a float32 (a weak float wgpy may compute in float32 under
    its 64-bit policy, where NumPy computes in float64)."""
    import struct
    if x != x or x in (math.inf, -math.inf):
        return True
    try:
        return struct.unpack('<f', struct.pack('<f', x))[0] == x
    except OverflowError:
        return False


def _int_to_f64(v, dt):
    """An integer beyond float32's integers going into a float64 result: NumPy converts it
    exactly, wgpy under its 64-bit policy rounds it to float32 first."""
    return v.dt is not None and kind(v.dt) in 'iu' and kind(dt) == 'f' and bits(dt) == 64 and \
        v.bound() >= 2 ** 24


def _merge(v, m):
    """v after some of its elements took values of model m."""
    r = V(v.shape, v.dt, min(v.lo, m.lo), max(v.hi, m.hi), v.exact and m.exact,
          None if v.frac is None or m.frac is None else max(v.frac, m.frac), v.ro, v.base)
    r.perm = v.perm
    return r


def _unknown(v, exact=True):
    r = V(v.shape, v.dt, -math.inf, math.inf, v.exact and exact, None, v.ro, v.base)
    r.perm = v.perm
    return r


def generate(seed, index):
    """Program `index` of `seed`: a list of (target, 'stmt'|'expr', code)."""
    g = Gen(seed, index)
    return g.program(4 + g.r(9))


def source(lines):
    """The program as Python (xp: numpy or wgpy; testing: wgpy.testing)."""
    out = []
    for _, how, code in lines:
        out.append(code if how == 'stmt' else 'print(%s)' % code)
    return '\n'.join(out)


# ---- running a program -------------------------------------------------------------------------
_ERROR_KINDS = ('TypeError', 'ValueError', 'IndexError', 'KeyError', 'OverflowError',
                'ZeroDivisionError', 'AttributeError', 'RuntimeError', 'MemoryError')


def describe_error(e):
    """An exception as compared here: the builtin types it is (AxisError: ValueError and
    IndexError) and the name of NumPy's ufunc error class where it is one."""
    import builtins
    names = [n for n in _ERROR_KINDS if isinstance(e, getattr(builtins, n))]
    u = testing._error_name(type(e))
    if u in testing._UFUNC_ERRORS:
        names.append(u)
    return 'raised ' + '/'.join(names or [type(e).__name__])


def _to_numpy_policy(np, r):
    """NumPy's result as wgpy holds it: 0-d arrays for scalars, dtypes under the 64-bit
    policy."""
    if isinstance(r, np.generic):
        r = np.asarray(r)
    if isinstance(r, np.ndarray):
        want = testing.canonical_dtype_name(r.dtype.name)
        if want != r.dtype.name:
            r = r.astype(want)
    return r


_NAMES = re.compile(r'\bv\d+\b')


def run(lines, xp):
    """Run a program on xp; returns (variables, events).  Warnings (NumPy's RuntimeWarnings of
    empty means, wgpy's of 64-bit requests) are the programs' business: not shown."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return _run(lines, xp)


def _run(lines, xp):
    wg = testing.is_wgpy(xp)
    np = None if wg else xp
    ns = {'xp': xp, 'testing': testing, 'float': float}
    events = []
    for ln, (target, how, code) in enumerate(lines):
        used = _NAMES.findall(code.split(' = ', 1)[1] if code.startswith('v%s = ' % target)
                              else code)
        if any(ns.get(u, 0) is None for u in used):
            # a variable whose line raised: NumPy would take None as an object array
            events.append('line %d: skipped' % (ln + 1))
            if target is not None and code.startswith('v%d = ' % target):
                ns['v%d' % target] = None
            continue
        try:
            if how == 'expr':
                r = eval(code, ns)
                if np is not None:
                    r = _plain(np, r)
                events.append(r)
                continue
            exec(code, ns)
            if target is not None and np is not None:
                name = 'v%d' % target
                if name in ns:
                    ns[name] = _to_numpy_policy(np, ns[name])
        except NotImplementedError:
            if wg:
                raise  # wgpy cannot do this: the test reports it (or skips on a GPU backend)
            events.append('line %d: raised NotImplementedError' % (ln + 1))
        except Exception as e:
            events.append('line %d: %s' % (ln + 1, describe_error(e)))
            if target is not None and how == 'stmt' and code.startswith('v%d = ' % target):
                ns['v%d' % target] = None
    n = 1 + max([t for t, _, _ in lines if t is not None] + [0])
    return [ns.get('v%d' % i) for i in range(n)], events


def _plain(np, r):
    """NumPy's scalars in a query's result as the Python values wgpy gives."""
    if isinstance(r, tuple):
        return tuple(_plain(np, x) for x in r)
    if isinstance(r, np.generic):
        return r.item()
    return r


def _compare_program(xp, lines):
    vs, events = run(lines, xp)
    return tuple(vs) + tuple(events)


_check = testing.numpy_wgpy_allclose(rtol={'float16': 1e-2, 'default': 1e-4},
                                     atol={'float16': 1e-2, 'default': 1e-4})(_compare_program)


def _chunks():
    n = -(-N_PROGRAMS // PER_CHUNK)
    return list(range(n))


# On the GPU backends (webgpu, webgl2: on SwiftShader in `make test`) a program costs a third of a
# second to a second (its reads): they run the first GPU_CHUNKS chunks only.
GPU_CHUNKS = 1


@pytest.mark.parametrize('chunk', _chunks())
def test_random_programs(chunk):
    import wgpy
    if chunk >= GPU_CHUNKS and wgpy.get_backend_name() in ('webgpu', 'webgl2'):
        pytest.skip('the %s backend runs the first %d programs (their reads cost up to ~1 s each '
                    'on SwiftShader)' % (wgpy.get_backend_name(), GPU_CHUNKS * PER_CHUNK))
    t0 = time.perf_counter()
    done = 0
    try:
        for i in range(chunk * PER_CHUNK, min(N_PROGRAMS, (chunk + 1) * PER_CHUNK)):
            lines = generate(SEED, i)
            try:
                _check(lines=lines)
            except pytest.skip.Exception:
                # the backend refuses a dtype this program uses (float16 on webgpu, webgl2)
                STATS['skipped'] += 1
                continue
            except AssertionError as e:
                raise AssertionError('random program %d (seed %d) differs:\n%s\n\n%s' % (
                    i, SEED, _indent(source(lines)), e)) from None
            done += 1
            STATS['lines'] += len(lines)
    finally:
        STATS['programs'] += done
        STATS['seconds'] += time.perf_counter() - t0


def _indent(s):
    return '\n'.join('    ' + x for x in s.split('\n'))


def test_generator_is_deterministic():
    assert generate(SEED, 7) == generate(SEED, 7)
    assert generate(SEED, 7) != generate(SEED, 8)
    assert source(generate(1, 0)).startswith('v0 = testing.shaped_random(')
