"""wgpy.random: numpy.random's legacy API (RandomState, seed, rand, ...) and its Generator API
(default_rng, Generator, Philox), drawn on the device by the engine's Philox4x32-10 library
kernels (core/src/api/random.c, docs/random.md).

A seed gives the same numbers on cpu, webgpu and webgl2 (bit for bit for the raw words, integers
and uniforms; to within the backends' last-place differences of log/cos/pow for the other
distributions), but not NumPy's numbers: the streams differ, as CuPy's do.  Results are wgpy
arrays; size=None gives a 0-d array (as CuPy), never a host scalar.  This module normalizes
arguments and checks parameters as NumPy does; every draw is one call into the engine.
"""

import ctypes
import math
import operator
import os
import time

from . import _lib, _dtypes
from ._core import ndarray

__all__ = [
    'RandomState', 'Generator', 'BitGenerator', 'Philox', 'SeedSequence', 'default_rng',
    'seed', 'get_state', 'set_state', 'rand', 'randn', 'randint', 'random_integers',
    'random_sample', 'random', 'ranf', 'sample', 'uniform', 'normal', 'standard_normal',
    'lognormal', 'exponential', 'standard_exponential', 'gamma', 'standard_gamma', 'beta',
    'chisquare', 'noncentral_chisquare', 'f', 'noncentral_f', 'standard_t', 'standard_cauchy',
    'logistic', 'laplace', 'gumbel', 'pareto', 'power', 'rayleigh', 'weibull', 'triangular',
    'wald', 'vonmises', 'binomial', 'negative_binomial', 'poisson', 'geometric',
    'hypergeometric', 'zipf', 'logseries', 'multinomial', 'multivariate_normal', 'dirichlet',
    'choice', 'permutation', 'shuffle', 'bytes', 'get_random_state', 'set_random_state',
    'get_bit_generator', 'set_bit_generator',
]

_M64 = (1 << 64) - 1
_PH = ctypes.c_void_p


def _splitmix64(x):
    x = (x + 0x9E3779B97F4A7C15) & _M64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return x, z ^ (z >> 31)


def _entropy():
    return int.from_bytes(os.urandom(8), 'little') ^ time.time_ns()


def _key_of(seed, legacy):
    """The 64-bit Philox key of a seed: an int in [0, 2**64) is the key itself; other ints,
    sequences of ints and None (fresh entropy) are folded with SplitMix64."""
    if seed is None:
        return _entropy() & _M64
    if isinstance(seed, SeedSequence):
        return seed.key
    if isinstance(seed, ndarray):
        seed = seed.tolist()
    if hasattr(seed, 'tolist') and not isinstance(seed, (list, tuple)):
        seed = seed.tolist()
    if isinstance(seed, bool) or isinstance(seed, float):
        raise TypeError('Cannot cast scalar from dtype(\'float64\') to dtype(\'int64\') '
                        'according to the rule \'safe\'' if isinstance(seed, float) else
                        'seed must be an int or a sequence of ints')
    try:
        v = operator.index(seed)
    except TypeError:
        v = None
    if v is not None:
        if v < 0:
            raise ValueError('Seed must be between 0 and 2**32 - 1' if legacy
                             else 'expected non-negative integer')
        if legacy and v > 0xFFFFFFFF:
            raise ValueError('Seed must be between 0 and 2**32 - 1')
        if v <= _M64:
            return v
        words = []
        while v:
            words.append(v & _M64)
            v >>= 64
    else:
        try:
            words = [operator.index(w) for w in seed]
        except TypeError:
            raise TypeError('seed must be an int, a sequence of ints, or None') from None
        if not words:
            raise ValueError('Seed must be non-empty')
        for w in words:
            if w < 0 or (legacy and w > 0xFFFFFFFF):
                raise ValueError('Seed must be between 0 and 2**32 - 1' if legacy
                                 else 'expected non-negative integer')
    h = len(words)
    for w in words:
        _, h = _splitmix64(h ^ (w & _M64))
    return h


def _child_key(key, j):
    """The key of child j of a SeedSequence whose key is key (SplitMix64 over the parent key,
    a spawn tag and j): the same for the same parent and j, different from the parent's."""
    _, h = _splitmix64(key ^ 0x5350415744534545)  # a tag: children differ from re-seeds
    _, h = _splitmix64(h ^ (j & _M64))
    return h


class SeedSequence:
    """A seed folded into a Philox key (numpy.random.SeedSequence's role; not its algorithm).
    spawn(n) gives children whose keys come from this key and their spawn_key (this one's
    plus their index), so spawning is reproducible for a seed."""

    def __init__(self, entropy=None, *, spawn_key=(), pool_size=4, n_children_spawned=0):
        self.entropy = _entropy() if entropy is None else entropy
        self.spawn_key = tuple(operator.index(j) for j in spawn_key)
        self.pool_size = pool_size
        self.n_children_spawned = operator.index(n_children_spawned)
        key = _key_of(self.entropy, False)
        for j in self.spawn_key:
            key = _child_key(key, j)
        self.key = key

    def __repr__(self):
        return 'SeedSequence(entropy=%r, spawn_key=%r)' % (self.entropy, self.spawn_key)

    def spawn(self, n_children):
        n = _n_children(n_children)
        first = self.n_children_spawned
        self.n_children_spawned += n
        return [SeedSequence(self.entropy, spawn_key=self.spawn_key + (first + j,),
                             pool_size=self.pool_size) for j in range(n)]


def _n_children(n):
    n = operator.index(n)
    if n < 0:  # NumPy: its uint32_t argument's conversion error
        raise OverflowError("can't convert negative value to uint32_t")
    return n


class BitGenerator:
    """The generator's state: a 64-bit key and a 64-bit call counter; each draw call uses the
    next counter value, and point i of the call the Philox counter (i, draw, call).  Its
    seed_seq (the SeedSequence of its seed) spawns its children."""

    def __init__(self, seed=None):
        self._st = (ctypes.c_uint32 * 4)()
        self._seed(seed, False)

    @property
    def seed_seq(self):
        return self._seed_seq

    def spawn(self, n_children):
        """n_children new bit generators of this type, seeded by seed_seq.spawn(n_children)."""
        return [type(self)(ss) for ss in self._seed_seq.spawn(n_children)]

    def _seed(self, seed, legacy):
        if isinstance(seed, SeedSequence):
            self._seed_seq = seed
        else:
            if seed is None:
                seed = _entropy()
            else:
                _key_of(seed, legacy)  # the legacy checks
            self._seed_seq = SeedSequence(seed)
        key = self._seed_seq.key
        self._st[0] = key & 0xFFFFFFFF
        self._st[1] = key >> 32
        self._st[2] = 0
        self._st[3] = 0

    @property
    def state(self):
        return {'bit_generator': type(self).__name__,
                'state': {'key': self._st[0] | (self._st[1] << 32),
                          'counter': self._st[2] | (self._st[3] << 32)}}

    @state.setter
    def state(self, value):
        if not isinstance(value, dict) or value.get('bit_generator') != type(self).__name__:
            raise ValueError('state must be for a %s RNG' % type(self).__name__)
        st = value['state']
        key, ctr = int(st['key']), int(st['counter'])
        self._st[0], self._st[1] = key & 0xFFFFFFFF, (key >> 32) & 0xFFFFFFFF
        self._st[2], self._st[3] = ctr & 0xFFFFFFFF, (ctr >> 32) & 0xFFFFFFFF

    def random_raw(self, size=None):
        """Raw 32-bit Philox words (uint32; NumPy's random_raw gives uint64)."""
        return _draw(self, 'bits', (), size, 'uint32')


class Philox(BitGenerator):
    """Philox4x32-10 (Salmon et al. 2011), numpy.random.Philox's generator with 32-bit words."""


# ---- the draw ------------------------------------------------------------------------------


def _shape_of(size):
    if size is None:
        return None
    try:
        shape = (operator.index(size),)
    except TypeError:
        shape = tuple(operator.index(s) for s in size)
    if any(s < 0 for s in shape):
        raise ValueError('negative dimensions are not allowed')
    return shape


def _code(dtype):
    return _dtypes.requested(dtype)


def _param(v, code):
    from . import _funcs
    if isinstance(v, ndarray) and v.dtype == _dtypes.dtype(_lib.DTYPE_NAMES[code]):
        return v
    return _funcs.asarray(v, dtype=_lib.DTYPE_NAMES[code])


def _bcast(params, shape):
    from . import _funcs
    pshape = _funcs.broadcast_shapes(*[p.shape for p in params]) if params else ()
    if shape is None:
        return pshape
    if _funcs.broadcast_shapes(pshape, shape) != tuple(shape):
        raise ValueError('shape mismatch: objects cannot be broadcast to a single shape.  '
                         'Mismatch is between arg 0 with shape %s and arg 1 with shape %s.'
                         % (pshape, tuple(shape)))
    return tuple(shape)


def _empty(shape, code):
    from . import _funcs
    return _funcs.empty(shape, dtype=_lib.DTYPE_NAMES[code])


def _out_check(out, shape, code, size):
    if not isinstance(out, ndarray):
        raise TypeError('out must be a wgpy.ndarray')
    if out.dtype != _dtypes.dtype(_lib.DTYPE_NAMES[code]):
        raise TypeError('Supplied output array has the wrong type. Expected %s, got %s'
                        % (_lib.DTYPE_NAMES[code], out.dtype))
    if size is not None and tuple(out.shape) != tuple(shape):
        raise ValueError('size must match out.shape when used together')


def _draw(bitgen, dist, params, size, dtype, pcode=None, out=None):
    """One engine call: dist's parameters (device arrays of the float dtype pcode) broadcast
    to size (or to each other), into a new array of dtype (or out)."""
    code = _code(dtype)
    if pcode is None:
        pcode = code if _lib.DTYPE_KIND[code] == 'f' else _code(float)
    ps = [_param(p, pcode) for p in params]
    shape = _shape_of(size)
    if out is not None:
        _out_check(out, shape, code, size)
        if shape is None:
            shape = tuple(out.shape)
    shape = _bcast(ps, shape)
    res = out if out is not None else _empty(shape, code)
    if res.size:
        arr = (_PH * max(1, len(ps)))(*[p._h for p in ps])
        _lib.check(_lib.wg_random(_lib.ctx, dist.encode(), bitgen._st, len(ps),
                                  ctypes.cast(arr, _lib._PH), res._h))
    return res


def _set_random_path(path):
    """The kernel of the distributions that use every word of a block (docs/random.md,
    "Coalesced stores"): 'auto' (the workgroup form on webgpu with a GPU adapter, else the
    block form), 'block' or 'workgroup' (also on the cpu backend); the same numbers either way.
    Returns the previous one.  For tests and benchmarks."""
    old = _lib.wg_set_random_path(_lib.ctx, {'auto': 0, 'block': 1, 'workgroup': 2}[path])
    return ('auto', 'block', 'workgroup')[old]


# ---- parameter checks (NumPy's messages) --------------------------------------------------


def _any(cond):
    if isinstance(cond, ndarray):
        return bool(cond.any())
    return bool(cond)


def _val(x):
    if isinstance(x, (ndarray, int, float)):
        return x
    if hasattr(x, 'dtype') and hasattr(x, 'shape') and x.shape == ():
        return x.item()
    if isinstance(x, (list, tuple)) or hasattr(x, '__array__'):
        from . import _funcs
        return _funcs.asarray(x, dtype=float)
    return x


def _isnan(x):
    return x != x


def _check(cond, msg):
    if _any(cond):
        raise ValueError(msg)


_LT0 = lambda x: x < 0  # noqa: E731
_LE0 = lambda x: x <= 0  # noqa: E731


def _chk(name, x, pred, op):
    x = _val(x)
    _check(pred(x), '%s %s' % (name, op))
    return x


# ---- the legacy API ------------------------------------------------------------------------


class RandomState:
    """numpy.random.RandomState's methods on the device (a Philox stream, not MT19937)."""

    _legacy = True

    def __init__(self, seed=None):
        self._bitgen = Philox.__new__(Philox)
        self._bitgen._st = (ctypes.c_uint32 * 4)()
        self._bitgen._seed(seed, self._legacy)

    def seed(self, seed=None):
        self._bitgen._seed(seed, self._legacy)

    def get_state(self, legacy=True):
        """('Philox', uint32 words [key low, key high, counter low, counter high], 0, 0, 0.0)
        as a tuple (legacy=True), else the bit generator's state dict."""
        if not legacy:
            return self._bitgen.state
        return ('Philox', list(self._bitgen._st), 0, 0, 0.0)

    def set_state(self, state):
        if isinstance(state, dict):
            self._bitgen.state = state
            return
        if not isinstance(state, (tuple, list)) or len(state) < 2 or state[0] != 'Philox':
            raise ValueError('state must be a tuple (\'Philox\', key/counter words, ...) or a '
                             'dict from get_state(legacy=False)')
        words = list(state[1].tolist() if hasattr(state[1], 'tolist') else state[1])
        if len(words) != 4:
            raise ValueError('state must have 4 words')
        for j in range(4):
            self._bitgen._st[j] = int(words[j]) & 0xFFFFFFFF

    def _d(self, dist, params, size, dtype, out=None):
        return _draw(self._bitgen, dist, params, size, dtype, out=out)

    # uniform and normal
    def random_sample(self, size=None, dtype=float):
        return self._d('random', (), size, dtype)

    def random(self, size=None, dtype=float):
        return self._d('random', (), size, dtype)

    ranf = sample = random_sample

    def rand(self, *args, dtype=float):
        return self._d('random', (), args if args else None, dtype)

    def randn(self, *args, dtype=float):
        return self._d('standard_normal', (), args if args else None, dtype)

    def standard_normal(self, size=None, dtype=float):
        return self._d('standard_normal', (), size, dtype)

    def normal(self, loc=0.0, scale=1.0, size=None, dtype=float):
        scale = _chk('scale', scale, _LT0, '< 0')
        return self._d('normal', (_val(loc), scale), size, dtype)

    def uniform(self, low=0.0, high=1.0, size=None, dtype=float):
        low, high = _val(low), _val(high)
        d = high - low
        if isinstance(d, ndarray):
            from . import _funcs
            if _any(~_funcs.isfinite(d)):
                raise OverflowError('Range exceeds valid bounds')
        elif not math.isfinite(d):
            raise OverflowError('Range exceeds valid bounds')
        return self._d('uniform', (low, high), size, dtype)

    def lognormal(self, mean=0.0, sigma=1.0, size=None, dtype=float):
        sigma = _chk('sigma', sigma, _LT0, '< 0')
        return self._d('lognormal', (_val(mean), sigma), size, dtype)

    def standard_exponential(self, size=None, dtype=float):
        return self._d('standard_exponential', (), size, dtype)

    def exponential(self, scale=1.0, size=None, dtype=float):
        scale = _chk('scale', scale, _LT0, '< 0')
        return self._d('exponential', (scale,), size, dtype)

    def standard_gamma(self, shape, size=None, dtype=float):
        shape = _chk('shape', shape, _LT0, '< 0')
        return self._d('standard_gamma', (shape,), size, dtype)

    def gamma(self, shape, scale=1.0, size=None, dtype=float):
        shape = _chk('shape', shape, _LT0, '< 0')
        scale = _chk('scale', scale, _LT0, '< 0')
        return self._d('gamma', (shape, scale), size, dtype)

    def beta(self, a, b, size=None, dtype=float):
        a = _chk('a', a, _LE0, '<= 0')
        b = _chk('b', b, _LE0, '<= 0')
        return self._d('beta', (a, b), size, dtype)

    def chisquare(self, df, size=None, dtype=float):
        df = _chk('df', df, _LE0, '<= 0')
        return self._d('chisquare', (df,), size, dtype)

    def noncentral_chisquare(self, df, nonc, size=None, dtype=float):
        df = _chk('df', df, _LE0, '<= 0')
        nonc = _chk('nonc', nonc, _LT0, '< 0')
        return self._d('noncentral_chisquare', (df, nonc), size, dtype)

    def f(self, dfnum, dfden, size=None, dtype=float):
        dfnum = _chk('dfnum', dfnum, _LE0, '<= 0')
        dfden = _chk('dfden', dfden, _LE0, '<= 0')
        return self._d('f', (dfnum, dfden), size, dtype)

    def noncentral_f(self, dfnum, dfden, nonc, size=None, dtype=float):
        dfnum = _chk('dfnum', dfnum, _LE0, '<= 0')
        dfden = _chk('dfden', dfden, _LE0, '<= 0')
        nonc = _chk('nonc', nonc, _LT0, '< 0')
        return self._d('noncentral_f', (dfnum, dfden, nonc), size, dtype)

    def standard_t(self, df, size=None, dtype=float):
        df = _chk('df', df, _LE0, '<= 0')
        return self._d('standard_t', (df,), size, dtype)

    def standard_cauchy(self, size=None, dtype=float):
        return self._d('standard_cauchy', (), size, dtype)

    def logistic(self, loc=0.0, scale=1.0, size=None, dtype=float):
        scale = _chk('scale', scale, _LT0, '< 0')
        return self._d('logistic', (_val(loc), scale), size, dtype)

    def laplace(self, loc=0.0, scale=1.0, size=None, dtype=float):
        scale = _chk('scale', scale, _LT0, '< 0')
        return self._d('laplace', (_val(loc), scale), size, dtype)

    def gumbel(self, loc=0.0, scale=1.0, size=None, dtype=float):
        scale = _chk('scale', scale, _LT0, '< 0')
        return self._d('gumbel', (_val(loc), scale), size, dtype)

    def pareto(self, a, size=None, dtype=float):
        a = _chk('a', a, _LE0, '<= 0')
        return self._d('pareto', (a,), size, dtype)

    def power(self, a, size=None, dtype=float):
        a = _chk('a', a, _LE0, '<= 0')
        return self._d('power', (a,), size, dtype)

    def rayleigh(self, scale=1.0, size=None, dtype=float):
        scale = _chk('scale', scale, _LT0, '< 0')
        return self._d('rayleigh', (scale,), size, dtype)

    def weibull(self, a, size=None, dtype=float):
        a = _chk('a', a, _LT0, '< 0')
        return self._d('weibull', (a,), size, dtype)

    def triangular(self, left, mode, right, size=None, dtype=float):
        left, mode, right = _val(left), _val(mode), _val(right)
        _check(left > mode, 'left > mode')
        _check(mode > right, 'mode > right')
        _check(left == right, 'left == right')
        return self._d('triangular', (left, mode, right), size, dtype)

    def wald(self, mean, scale, size=None, dtype=float):
        mean = _chk('mean', mean, _LE0, '<= 0')
        scale = _chk('scale', scale, _LE0, '<= 0')
        return self._d('wald', (mean, scale), size, dtype)

    def vonmises(self, mu, kappa, size=None, dtype=float):
        kappa = _chk('kappa', kappa, _LT0, '< 0')
        return self._d('vonmises', (_val(mu), kappa), size, dtype)

    # discrete
    def poisson(self, lam=1.0, size=None, dtype=int):
        lam = _val(lam)
        _check((lam < 0) | _isnan(lam) if isinstance(lam, ndarray) else (lam < 0 or lam != lam),
               'lam < 0 or lam is NaN')
        _check(lam > 9.223372006484771e18, 'lam value too large')
        return self._d('poisson', (lam,), size, dtype)

    def binomial(self, n, p, size=None, dtype=int):
        n = _chk('n', n, _LT0, '< 0')
        p = _val(p)
        _check((p < 0) | (p > 1) | _isnan(p) if isinstance(p, ndarray)
               else (p < 0 or p > 1 or p != p), 'p < 0, p > 1 or p is NaN')
        return self._d('binomial', (n, p), size, dtype)

    def negative_binomial(self, n, p, size=None, dtype=int):
        n = _chk('n', n, _LE0, '<= 0')
        p = _val(p)
        if self._legacy:
            _check((p < 0) | (p > 1) | _isnan(p) if isinstance(p, ndarray)
                   else (p < 0 or p > 1 or p != p), 'p < 0, p > 1 or p is NaN')
        else:
            _check((p <= 0) | (p > 1) | _isnan(p) if isinstance(p, ndarray)
                   else (p <= 0 or p > 1 or p != p), 'p <= 0, p > 1 or p contains NaNs')
        return self._d('negative_binomial', (n, p), size, dtype)

    def geometric(self, p, size=None, dtype=int):
        p = _val(p)
        _check((p <= 0) | (p > 1) | _isnan(p) if isinstance(p, ndarray)
               else (p <= 0 or p > 1 or p != p), 'p <= 0, p > 1 or p contains NaNs')
        return self._d('geometric', (p,), size, dtype)

    def hypergeometric(self, ngood, nbad, nsample, size=None, dtype=int):
        ngood, nbad, nsample = _val(ngood), _val(nbad), _val(nsample)
        if self._legacy:
            _check(nsample < 1, 'nsample < 1 or nsample is NaN')
        else:
            _check(nsample < 0, 'nsample < 0')
        _check(ngood + nbad < nsample, 'ngood + nbad < nsample')
        _check(ngood < 0, 'ngood < 0')
        _check(nbad < 0, 'nbad < 0')
        return self._d('hypergeometric', (ngood, nbad, nsample), size, dtype)

    def zipf(self, a, size=None, dtype=int):
        a = _val(a)
        _check((a <= 1) | _isnan(a) if isinstance(a, ndarray) else (a <= 1 or a != a),
               'a <= 1 or a is NaN')
        return self._d('zipf', (a,), size, dtype)

    def logseries(self, p, size=None, dtype=int):
        p = _val(p)
        _check((p < 0) | (p >= 1) | _isnan(p) if isinstance(p, ndarray)
               else (p < 0 or p >= 1 or p != p), 'p < 0, p >= 1 or p is NaN')
        return self._d('logseries', (p,), size, dtype)

    # integers
    def _integers(self, low, high, size, dtype, endpoint, legacy_name):
        if high is None:
            low, high = 0, low
        code = _code(dtype)
        name = _lib.DTYPE_NAMES[code]
        if _lib.DTYPE_KIND[code] not in 'iu':
            raise TypeError('Unsupported dtype %r for %s' % (name, legacy_name))
        bits = 8 * _lib.DTYPE_SIZE[code]
        lo_lim = 0 if _lib.DTYPE_KIND[code] == 'u' else -(1 << (bits - 1))
        hi_lim = (1 << bits) - 1 if _lib.DTYPE_KIND[code] == 'u' else (1 << (bits - 1)) - 1
        if _arraylike(low) or _arraylike(high):
            return self._integers_array(low, high, size, code, endpoint, legacy_name, lo_lim,
                                        hi_lim)
        low, high = operator.index(low), operator.index(high)
        top = high if endpoint else high - 1
        if low < lo_lim:
            raise ValueError('low is out of bounds for %s' % name)
        if top > hi_lim:
            raise ValueError('high is out of bounds for %s' % name)
        if low > top:
            raise ValueError('low > high' if endpoint else 'low >= high')
        if top - low > 0xFFFFFFFF:
            raise NotImplementedError('%s: ranges wider than 2**32 are not supported' %
                                      legacy_name)
        if low < -(1 << 31) or top > 0xFFFFFFFF or (low < 0 and top > 0x7FFFFFFF):
            raise NotImplementedError('%s: bounds outside int32 or uint32 are not supported'
                                      % legacy_name)
        dist = 'integers_u' if low >= 0 else 'integers'
        shape = _shape_of(size)
        res = _empty(() if shape is None else shape, code)
        if res.size:
            from . import _funcs
            lo = _funcs.asarray(low & 0xFFFFFFFF, dtype='uint32')
            rng = _funcs.asarray((top - low) & 0xFFFFFFFF, dtype='uint32')
            arr = (_PH * 2)(lo._h, rng._h)
            _lib.check(_lib.wg_random(_lib.ctx, dist.encode(), self._bitgen._st, 2,
                                      ctypes.cast(arr, _lib._PH), res._h))
        return res

    def _integers_array(self, low, high, size, code, endpoint, legacy_name, lo_lim, hi_lim):
        """integers with array bounds (NumPy's broadcasting of low, high and size): the
        engine's 'integers' kernels take a low word and a range word per point (their gather
        form), so the bounds become two uint32 device arrays.  NumPy's checks are one device
        reduction read each; the values are the scalar path's for equal bounds."""
        name = _lib.DTYPE_NAMES[code]
        closed = endpoint
        if not endpoint and not isinstance(high, ndarray):
            # host bounds: high - 1 on the host, so that uint32's high of 2**32 fits 32 bits
            top = _host_ints(high)
            if top is not None:
                high, closed = top - 1, True
        lo, hi = _bound_array(low, 'low', name), _bound_array(high, 'high', name)
        if _beyond(lo, lo_lim, False):
            raise ValueError('low is out of bounds for %s' % name)
        if _beyond(hi, hi_lim if closed else hi_lim + 1, True):
            raise ValueError('high is out of bounds for %s' % name)
        if _any(lo > hi if closed else lo >= hi):
            raise ValueError('low > high' if endpoint else 'low >= high')
        unsigned = _lib.DTYPE_KIND[code] == 'u'
        dist = 'integers_u' if unsigned else 'integers'
        if _lib.DTYPE_SIZE[code] > 4:
            # 64-bit outputs: the kernels draw from ranges of at most 2**32 values, within
            # int32 or uint32 (the scalar path's limits)
            top = hi if closed else hi - 1
            if _beyond(lo, -(1 << 31), False) or _beyond(top, 0xFFFFFFFF, True) or \
                    _beyond(top - lo, 0xFFFFFFFF, True):
                raise NotImplementedError('%s: bounds outside int32 or uint32 (or ranges wider '
                                          'than 2**32) are not supported' % legacy_name)
            if not unsigned and not _beyond(lo, 0, False):
                dist = 'integers_u'
            elif not unsigned and _beyond(top, 0x7FFFFFFF, True):
                raise NotImplementedError('%s: negative low bounds with high bounds above '
                                          '2**31 in one call are not supported' % legacy_name)
        lo_u, hi_u = _as_u32(lo), _as_u32(hi)
        rng = hi_u - lo_u if closed else hi_u - lo_u - 1  # uint32 arithmetic wraps
        shape = _bcast([lo_u, rng], _shape_of(size))
        res = _empty(shape, code)
        if res.size:
            arr = (_PH * 2)(lo_u._h, rng._h)
            _lib.check(_lib.wg_random(_lib.ctx, dist.encode(), self._bitgen._st, 2,
                                      ctypes.cast(arr, _lib._PH), res._h))
        return res

    def randint(self, low, high=None, size=None, dtype=int):
        return self._integers(low, high, size, dtype, False, 'randint')

    def random_integers(self, low, high=None, size=None):
        if high is None:
            low, high = 1, low
        return self._integers(low, high, size, int, True, 'random_integers')

    def tomaxint(self, size=None):
        return self._integers(0, (1 << 31) - 1, size, int, True, 'tomaxint')

    # multivariate
    def multinomial(self, n, pvals, size=None, dtype=int):
        from . import _funcs
        n = operator.index(n)
        if n < 0:
            raise ValueError('n < 0')
        pv = _funcs.asarray(pvals, dtype=float)
        if pv.ndim != 1:
            raise ValueError('object of too small depth for desired array' if pv.ndim == 0
                             else 'object too deep for desired array')
        _check((pv < 0) | (pv > 1) | _isnan(pv), 'pvals < 0, pvals > 1 or pvals contains NaNs')
        if pv.shape[0] > 1:
            _check(float(pv[:-1].sum().tolist()) > 1.0 + 1e-6, 'sum(pvals[:-1]) > 1.0')
        shape = _shape_of(size)
        shape = (() if shape is None else shape) + (pv.shape[0],)
        out = _empty(shape, _code(dtype))
        if out.size:
            _lib.check(_lib.wg_random_multinomial(_lib.ctx, self._bitgen._st, n, pv._h, out._h))
        return out

    def dirichlet(self, alpha, size=None, dtype=float):
        from . import _funcs
        a = _funcs.asarray(alpha, dtype=_lib.DTYPE_NAMES[_code(dtype)])
        if a.ndim != 1:
            raise ValueError('alpha must be a one-dimensional array')
        _check((a <= 0) | _isnan(a), 'alpha <= 0')
        shape = _shape_of(size)
        shape = (() if shape is None else shape) + (a.shape[0],)
        out = _empty(shape, _code(dtype))
        if out.size:
            _lib.check(_lib.wg_random_dirichlet(_lib.ctx, self._bitgen._st, a._h, out._h))
        return out

    def multivariate_normal(self, mean, cov, size=None, check_valid='warn', tol=1e-8,
                            dtype=float):
        from . import _funcs
        if check_valid not in ('warn', 'raise', 'ignore'):
            raise ValueError('check_valid must equal \'warn\', \'raise\', or \'ignore\'')
        dn = _lib.DTYPE_NAMES[_code(dtype)]
        m = _funcs.asarray(mean, dtype=dn)
        c = _funcs.asarray(cov, dtype=dn)
        if m.ndim != 1:
            raise ValueError('mean must be 1 dimensional')
        if c.ndim != 2 or c.shape[0] != c.shape[1]:
            raise ValueError('cov must be 2 dimensional and square')
        if m.shape[0] != c.shape[0]:
            raise ValueError('mean and cov must have same length')
        shape = _shape_of(size)
        shape = (() if shape is None else shape) + (m.shape[0],)
        out = _empty(shape, _code(dtype))
        if out.size:
            _lib.check(_lib.wg_random_multivariate_normal(_lib.ctx, self._bitgen._st, m._h,
                                                          c._h, out._h))
        return out

    # sampling and permutations
    def _choice(self, a, size, replace, p, legacy=True, axis=0):
        from . import _funcs
        if isinstance(a, ndarray) or not _isint(a):
            arr = _funcs.asarray(a)
            if arr.ndim == 0:
                raise ValueError('a must be 1-dimensional or an integer')
            if legacy and arr.ndim != 1:
                raise ValueError('a must be 1-dimensional')
            axis = _norm_axis(axis, arr.ndim)
            n = arr.shape[axis]
        else:
            arr = None
            n = operator.index(a)
        shape = _shape_of(size)
        m = 1 if shape is None else math.prod(shape)
        if n <= 0 and m != 0:
            if arr is None and n < 0:
                raise ValueError('a must be greater than 0' if legacy
                                 else 'a must be a positive integer unless no samples are taken')
            raise ValueError('a must be greater than 0 unless no samples are taken' if legacy
                             else 'a cannot be empty unless no samples are taken')
        pa = None
        if p is not None:
            pa = _funcs.asarray(p, dtype=float)
            if pa.ndim != 1:
                raise ValueError('\'p\' must be 1-dimensional' if legacy
                                 else 'p must be 1-dimensional')
            if pa.shape[0] != n:
                raise ValueError('\'a\' and \'p\' must have same size' if legacy
                                 else 'a and p must have same size')
            _check(_isnan(pa), 'probabilities contain NaN' if legacy
                   else 'Probabilities contain NaN')
            _check(pa < 0, 'probabilities are not non-negative' if legacy
                   else 'Probabilities are not non-negative')
            tot = float(pa.sum().tolist())
            atol = max(1e-8, 16 * 1.1920929e-07 if pa.dtype.itemsize == 4 else 1e-8)
            if abs(tot - 1.0) > atol * max(1, n ** 0.5):
                raise ValueError('probabilities do not sum to 1' if legacy else
                                 'Probabilities do not sum to 1. See Notes section of docstring '
                                 'for more information.')
            if not replace and int((pa > 0).sum().tolist()) < m:
                raise ValueError('Fewer non-zero entries in p than size')
        if not replace and m > n:
            raise ValueError('Cannot take a larger sample than population when \'replace=False\''
                             if legacy else 'Cannot take a larger sample than population when '
                             'replace is False')
        idx = _empty((m,), _code(int))
        if m:
            _lib.check(_lib.wg_random_choice(_lib.ctx, self._bitgen._st, n,
                                             None if pa is None else pa._h, int(bool(replace)),
                                             idx._h))
        if arr is not None and axis != 0:
            # NumPy's a.take(idx, axis): the sample's dimensions replace the axis
            from . import _indexing
            return _indexing.take(arr, idx.reshape(() if shape is None else tuple(shape)),
                                  axis=axis)
        res = idx if arr is None else _take_rows(arr, idx)
        if shape is None:
            return res.reshape(res.shape[1:])
        return res.reshape(tuple(shape) + tuple(res.shape[1:]))

    def choice(self, a, size=None, replace=True, p=None):
        return self._choice(a, size, replace, p, True)

    def _perm_idx(self, n):
        idx = _empty((n,), _code(int))
        if n:
            _lib.check(_lib.wg_random_permutation(_lib.ctx, self._bitgen._st, idx._h))
        return idx

    def permutation(self, x):
        from . import _funcs
        if _isint(x):
            return self._perm_idx(operator.index(x))
        arr = _funcs.asarray(x)
        if arr.ndim == 0:
            raise IndexError('x must be an integer or at least 1-dimensional')
        return _take_rows(arr, self._perm_idx(arr.shape[0]))

    def shuffle(self, x):
        if not isinstance(x, ndarray):
            raise TypeError('shuffle: x must be a wgpy.ndarray')
        if x.ndim == 0:
            raise TypeError('object of type %r has no len()' % type(x).__name__)
        x[...] = _take_rows(x, self._perm_idx(x.shape[0]))

    def bytes(self, length):
        length = operator.index(length)
        if length < 0:
            raise ValueError('negative dimensions are not allowed')
        words = _draw(self._bitgen, 'bits', (), ((length + 3) // 4,), 'uint32').tolist()
        return b''.join(int(w).to_bytes(4, 'little') for w in words)[:length]


def _isint(x):
    if isinstance(x, (bool, float)) or isinstance(x, ndarray):
        return False
    try:
        operator.index(x)
        return True
    except TypeError:
        return False


def _arraylike(x):
    """An array bound of integers/randint: a wgpy array, a sequence or a host array that is
    not 0-d (NumPy scalars take the scalar path)."""
    if isinstance(x, (ndarray, list, tuple)):
        return True
    return hasattr(x, '__array__') and getattr(x, 'shape', ()) != ()


def _beyond(a, bound, above):
    """Whether any element of a is above bound (above) or below it, for a Python int bound
    that may lie outside a's integer dtype: such a bound is decided here, without a device
    read (the engine answers such comparisons exactly too, elementwise.c clamp_weak_compare)."""
    code = _code(a.dtype)
    if _lib.DTYPE_KIND[code] in 'iu':
        bits = 8 * _lib.DTYPE_SIZE[code]
        lo = 0 if _lib.DTYPE_KIND[code] == 'u' else -(1 << (bits - 1))
        hi = lo + (1 << bits) - 1
        if (above and bound >= hi) or (not above and bound <= lo):
            return False
        if (above and bound < lo) or (not above and bound > hi):
            return a.size > 0
    return _any(a > bound if above else a < bound)


def _host_ints(x):
    """A host integer bound as a NumPy int64 array (without NumPy, as in Pyodide: _PyInts, nested
    lists of Python ints), else None (floats, bools, huge values)."""
    if isinstance(x, _PyInts):
        return x
    try:
        import numpy
    except ImportError:
        return _PyInts.of(x)
    try:
        h = numpy.asarray(x)
    except (OverflowError, ValueError, TypeError):
        return None
    if h.dtype.kind == 'i' or (h.dtype.kind == 'u' and (h.size == 0 or h.max() < 1 << 63)):
        return h.astype(numpy.int64)
    return None


class _PyInts:
    """A host bound of Python ints in nested lists: what _integers_array and _bound_array ask of
    an int64 array (h - 1, min, max, size, the values for asarray) where NumPy is not loaded."""

    def __init__(self, v, flat):
        self.v, self._flat = v, flat

    @classmethod
    def of(cls, x):
        flat = []

        def conv(y):
            if isinstance(y, (list, tuple)):
                return [conv(z) for z in y]
            if isinstance(y, bool) or not _isint(y):
                raise TypeError
            flat.append(operator.index(y))
            return flat[-1]
        try:
            v = conv(x)
        except TypeError:
            return None
        if any(not -(1 << 63) <= f < (1 << 63) for f in flat):
            return None
        return cls(v, flat)

    def __sub__(self, k):
        def sub(y):
            return [sub(z) for z in y] if isinstance(y, list) else y - k
        return _PyInts(sub(self.v), [f - k for f in self._flat])

    @property
    def size(self):
        return len(self._flat)

    def min(self):
        return min(self._flat)

    def max(self):
        return max(self._flat)


def _bound_array(x, what, name):
    """A bound as a device array of integers or floats.  Host integers go up as int32, else
    uint32 (64-bit types off) or int64; values beyond those are out of bounds for every dtype
    the kernels can fill."""
    from . import _funcs
    if isinstance(x, ndarray):
        a = x
    else:
        h = _host_ints(x)
        if h is None:
            try:
                a = _funcs.asarray(x)
            except OverflowError:
                raise ValueError('%s is out of bounds for %s' % (what, name)) from None
        else:
            lo, hi = (int(h.min()), int(h.max())) if h.size else (0, 0)
            if isinstance(h, _PyInts):
                h = h.v
            if -(1 << 31) <= lo and hi < (1 << 31):
                a = _funcs.asarray(h, dtype='int32')
            elif _lib.wg_get_x64(_lib.ctx):
                a = _funcs.asarray(h)
            elif 0 <= lo and hi <= 0xFFFFFFFF:
                a = _funcs.asarray(h, dtype='uint32')
            else:
                raise ValueError('%s is out of bounds for %s' % (what, name))
    kind = _lib.DTYPE_KIND[_code(a.dtype)]
    if kind == 'b':
        a = a.astype('int32')
    elif kind not in 'iuf':
        raise TypeError('Unsupported bound dtype %s' % a.dtype)
    return a


def _as_u32(a):
    """a's values (checked to lie in int32 or uint32) as uint32 words, modulo 2**32: floats
    truncate toward zero as NumPy's cast does."""
    from . import _funcs
    if _lib.DTYPE_KIND[_code(a.dtype)] == 'f':
        return _funcs.where(a < 0, a.astype('int32').astype('uint32'), a.astype('uint32'))
    return a.astype('uint32')


def _norm_axis(axis, ndim):
    from ._indexing import _norm_axis as norm
    return norm(axis, ndim)


def _take_rows(arr, idx):
    from ._core import _wrap
    return _wrap(_lib.wg_random_take_rows(_lib.ctx, arr._h, idx._h))


# ---- the Generator API ---------------------------------------------------------------------


class Generator(RandomState):
    """numpy.random.Generator's methods (random, integers, standard_normal(dtype=, out=), ...)
    over a bit generator (Philox)."""

    _legacy = False

    def __init__(self, bit_generator=None):
        if bit_generator is None:
            bit_generator = Philox()
        if not isinstance(bit_generator, BitGenerator):
            raise TypeError('Generator needs a wgpy.random BitGenerator (Philox)')
        self._bitgen = bit_generator

    @property
    def bit_generator(self):
        return self._bitgen

    def __repr__(self):
        return 'Generator(%s)' % type(self._bitgen).__name__

    def random(self, size=None, dtype=float, out=None):
        _floats_only(dtype, 'random')
        return self._d('random', (), size, dtype, out)

    def standard_normal(self, size=None, dtype=float, out=None):
        _floats_only(dtype, 'standard_normal')
        return self._d('standard_normal', (), size, dtype, out)

    def standard_exponential(self, size=None, dtype=float, method='zig', out=None):
        if method not in ('zig', 'inv'):
            raise ValueError('\'method\' argument must be either \'zig\' or \'inv\'')
        _floats_only(dtype, 'standard_exponential')
        return self._d('standard_exponential', (), size, dtype, out)

    def standard_gamma(self, shape, size=None, dtype=float, out=None):
        _floats_only(dtype, 'standard_gamma')
        shape = _chk('shape', shape, _LT0, '< 0')
        return self._d('standard_gamma', (shape,), size, dtype, out)

    def integers(self, low, high=None, size=None, dtype=int, endpoint=False):
        return self._integers(low, high, size, dtype, endpoint, 'integers')

    def choice(self, a, size=None, replace=True, p=None, axis=0, shuffle=True):
        """numpy.random.Generator.choice.  axis picks the axis of an array a that the sample
        indexes (its dimensions replace that axis, as NumPy's a.take(idx, axis)); an integer
        a ignores it, as NumPy.  shuffle=False is accepted: NumPy then lets the order of a
        sample without replacement be any order, and the order here is already random."""
        return self._choice(a, size, replace, p, False, axis)

    def permutation(self, x, axis=0):
        """numpy.random.Generator.permutation: a permuted copy along axis (an integer x:
        a permuted arange, axis ignored as NumPy)."""
        from . import _funcs, _indexing
        if _isint(x):
            return self._perm_idx(operator.index(x))
        arr = _funcs.asarray(x)
        ax = _norm_axis(axis, arr.ndim)
        perm = self._perm_idx(arr.shape[ax])
        if ax == 0:
            return _take_rows(arr, perm)
        return _indexing.take(arr, perm, axis=ax)

    def shuffle(self, x, axis=0):
        """numpy.random.Generator.shuffle: x (a wgpy.ndarray) permuted in place along axis."""
        if not isinstance(x, ndarray):
            raise TypeError('shuffle: x must be a wgpy.ndarray')
        if x.ndim == 0:
            raise TypeError('len() of unsized object')
        ax = _norm_axis(axis, x.ndim)
        if x.size == 0:
            return
        if ax == 0:
            return RandomState.shuffle(self, x)
        from . import _indexing
        x[...] = _indexing.take(x, self._perm_idx(x.shape[ax]), axis=ax)

    def permuted(self, x, axis=None, out=None):
        """numpy.random.Generator.permuted: each 1-D slice of x along axis permuted
        independently (axis=None: the flattened array, shape kept), into a new array or out
        (which may be x).  On the device: a random uint32 key per element from the bit
        generator, a stable argsort of the keys along the axis (ties keep their order, so the
        result is the same on every backend) and a gather by the sorted indices; the stream
        differs from NumPy's."""
        from . import _funcs, _indexing, _sort
        arr = x if isinstance(x, ndarray) else _funcs.asarray(x)
        if out is not None:
            if not isinstance(out, ndarray):
                raise TypeError('out must be a wgpy.ndarray')
            if not out.flags.writeable:
                raise ValueError('out is read-only')
            if tuple(out.shape) != tuple(arr.shape):
                raise ValueError('out must have the same shape as x')
            if not _funcs.can_cast(arr.dtype, out.dtype, 'safe'):
                raise TypeError('Cannot cast array data from %r to %r according to the rule '
                                "'safe'" % (arr.dtype, out.dtype))
        if axis is None:
            if arr.ndim == 0:
                raise TypeError('len() of unsized object')
            flat = arr.reshape(-1)
            res = _take_rows(flat, self._perm_idx(flat.shape[0])).reshape(arr.shape)
        else:
            ax = _norm_axis(axis, arr.ndim)
            if arr.size == 0:
                res = arr.copy()
            else:
                keys = _draw(self._bitgen, 'bits', (), arr.shape, 'uint32')
                idx = _sort.argsort(keys, axis=ax)  # stable for every kind
                res = _indexing.take_along_axis(arr, idx, axis=ax)
        if out is None:
            return res
        out[...] = res
        return out

    def multivariate_hypergeometric(self, colors, nsample, size=None, method='marginals'):
        """numpy.random.Generator.multivariate_hypergeometric: size + (len(colors),) counts
        (wgpy's default integer dtype, as hypergeometric's) whose rows sum to nsample.  Both
        methods run NumPy's 'marginals' algorithm on the device: color i's count is a
        hypergeometric draw (colors[i] good, sum(colors[i+1:]) bad, the rest of the sample),
        one engine call per color over all of size's points, with array parameters; method
        'count' is accepted and gives the same distribution (NumPy's 'count' draws the sample
        ball by ball, which is the same law).  NumPy's limit of 10**9 balls for 'marginals'
        holds for both here (the sampler draws in float64)."""
        from . import _funcs, _scan
        if method not in ('count', 'marginals'):
            raise ValueError('method must be "count" or "marginals".')
        try:
            nsample = operator.index(nsample)
        except TypeError:
            raise ValueError('nsample must be an integer') from None
        if nsample < 0:
            raise ValueError('nsample must be nonnegative.')
        bad = ('colors must be a one-dimensional sequence of nonnegative integers not '
               'exceeding %d.' % (2 ** 63 - 1))
        try:
            c = colors if isinstance(colors, ndarray) else _funcs.asarray(colors)
        except (OverflowError, ValueError, TypeError):
            raise ValueError(bad) from None
        if c.ndim != 1 or (c.size and _lib.DTYPE_KIND[_code(c.dtype)] not in 'iu'):
            raise ValueError(bad)
        k = c.shape[0]
        shape = _shape_of(size)
        shape = (() if shape is None else tuple(shape)) + (k,)
        code = _code(int)
        if k == 0:
            return _funcs.zeros(shape, dtype=_lib.DTYPE_NAMES[code])
        _check(c < 0, bad)
        # two reads: the sum in floats (no wrapping), then exactly (below 10**9 < 2**31)
        if float(c.astype(_lib.DTYPE_NAMES[_code(float)]).sum().tolist()) >= 1000000000:
            raise ValueError('When method is "marginals", sum(colors) must be less than '
                             '1000000000.' if method == 'marginals' else 'sum(colors) must '
                             'be less than 1000000000 (wgpy draws both methods by marginals)')
        total = int(c.sum().tolist())
        if nsample > total:
            raise ValueError('nsample > sum(colors)')
        out = _funcs.zeros(shape, dtype=_lib.DTYPE_NAMES[code])
        if out.size == 0:
            return out
        # the balls after color i: sum(colors[i+1:]) (a reversed cumulative sum)
        after = total - _scan.cumsum(c)
        pts = shape[:-1]
        rest = _funcs.full(pts, nsample, dtype=_lib.DTYPE_NAMES[code])
        for i in range(k - 1):
            d = _draw(self._bitgen, 'hypergeometric', (c[i], after[i], rest), pts, int)
            out[..., i] = d
            rest = rest - d
        out[..., k - 1] = rest
        return out

    def spawn(self, n_children):
        """numpy.random.Generator.spawn: n_children new Generators whose bit generators come
        from the bit generator's SeedSequence's children (BitGenerator.spawn)."""
        return [type(self)(bg) for bg in self._bitgen.spawn(n_children)]


def _floats_only(dtype, name):
    code = _code(dtype)
    if _lib.DTYPE_KIND[code] != 'f' or _lib.DTYPE_SIZE[code] < 4:
        raise TypeError('Unsupported dtype %r for %s' % (_lib.DTYPE_NAMES[code], name))


def default_rng(seed=None):
    """A Generator over Philox seeded with seed (an int, a sequence of ints, a SeedSequence, a
    BitGenerator or a Generator, which is returned as it is)."""
    if isinstance(seed, Generator):
        return seed
    if isinstance(seed, BitGenerator):
        return Generator(seed)
    return Generator(Philox(seed))


# ---- the module-level functions: one global RandomState ------------------------------------

_STATE = None


def get_random_state():
    global _STATE
    if _STATE is None:
        _STATE = RandomState()
    return _STATE


def set_random_state(rs):
    global _STATE
    if rs is not None and not isinstance(rs, RandomState):
        raise TypeError('set_random_state needs a wgpy.random.RandomState')
    _STATE = rs


def seed(seed=None):
    get_random_state().seed(seed)


def get_bit_generator():
    """The bit generator (Philox) of the module's RandomState."""
    return get_random_state()._bitgen


def set_bit_generator(bitgen):
    """Make bitgen (a wgpy.random BitGenerator) the module's RandomState's generator."""
    if not isinstance(bitgen, BitGenerator):
        raise TypeError('set_bit_generator needs a wgpy.random BitGenerator (Philox)')
    get_random_state()._bitgen = bitgen


def _module_fn(name):
    def fn(*args, **kwargs):
        return getattr(get_random_state(), name)(*args, **kwargs)
    fn.__name__ = name
    fn.__qualname__ = name
    fn.__doc__ = 'numpy.random.%s on the module\'s RandomState (see RandomState.%s).' % (
        name, name)
    return fn


for _name in __all__:
    if _name not in globals() and hasattr(RandomState, _name):
        globals()[_name] = _module_fn(_name)
del _name
