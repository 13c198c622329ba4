"""wgpy.random: the Philox4x32-10 library kernels (core/src/api/random.c, docs/random.md).

* Same bits on every backend: the reference side of each comparison is this file's pure-Python
  Philox4x32-10 (checked against Random123's known-answer vectors), so the golden recording holds
  the generator's own words, uniforms and integers, not NumPy's numbers; the webgpu and webgl2
  replays compare their output with it exactly.  Distributions whose transforms use log, cos or
  pow are recorded from the native cpu backend and compared with a float32 tolerance.
* Statistics: for a fixed seed, every distribution's sample mean and variance against the
  closed forms (within 6 standard errors: the seeds are fixed, so a pass is deterministic; the
  bound leaves room for other backends' last-place differences), a Kolmogorov-Smirnov test
  against the closed-form CDF where there is one (D below 1.95/sqrt(n), the 0.1% critical value),
  chi-square tests against the pmf for the discrete ones (below the 0.1% critical value), and
  two-sample KS tests against NumPy's own generator natively.
* Errors: NumPy's exception types for invalid parameters, negative sizes and bad probabilities.
"""

import math
import struct

import pytest

import wgpy as wp
from wgpy import testing

M32 = 0xFFFFFFFF


# ---- a pure-Python Philox4x32-10 (Salmon et al., SC'11) ------------------------------------
def philox(ctr, key):
    c0, c1, c2, c3 = ctr
    k0, k1 = key
    for _ in range(10):
        p0 = 0xD2511F53 * c0
        p1 = 0xCD9E8D57 * c2
        c0, c1, c2, c3 = ((p1 >> 32) ^ c1 ^ k0) & M32, p1 & M32, ((p0 >> 32) ^ c3 ^ k1) & M32, \
            p0 & M32
        k0 = (k0 + 0x9E3779B9) & M32
        k1 = (k1 + 0xBB67AE85) & M32
    return c0, c1, c2, c3


def ref_block(seed, call, i, draw):
    return philox((i, draw, call & M32, call >> 32), (seed & M32, seed >> 32))


def ref_lanes(seed, call, n, lanes, values):
    """The lane layout of the fast distributions: output j is lane j % lanes of block j // lanes
    (counter (j // lanes, 0, call)); values(words) gives a block's lanes."""
    out = []
    for q in range((n + lanes - 1) // lanes):
        out.extend(values(ref_block(seed, call, q, 0)))
    return out[:n]


def ref_words(seed, call, n):
    return ref_lanes(seed, call, n, 4, list)


# with 64-bit types on, default floats are float64 and take 53 bits from two words
X64 = testing.x64_enabled()
FLOAT = 'float64' if X64 else 'float32'
INT = 'int64' if X64 else 'int32'


def _u53(a, b, half=0.0):
    return ((a >> 5) * 67108864.0 + (b >> 6) + half) * 2.0 ** -53


def _u24(w, half=0.0):
    return ((w >> 8) + half) * 2.0 ** -24


def ref_uniform(seed, call, n, wide=X64, half=0.0):
    """[0, 1), or (0, 1) with half=0.5 (the closed-form transforms' grid)"""
    if wide:
        return ref_lanes(seed, call, n, 2,
                         lambda r: [_u53(r[0], r[1], half), _u53(r[2], r[3], half)])
    return ref_lanes(seed, call, n, 4, lambda r: [_u24(w, half) for w in r])


def _box_muller(u1, u2):
    rad, t = math.sqrt(-2.0 * math.log(u1)), 2 * math.pi * u2
    return [rad * math.cos(t), rad * math.sin(t)]


def ref_normal(seed, call, n, wide=X64):
    if wide:
        return ref_lanes(seed, call, n, 2,
                         lambda r: _box_muller(_u53(r[0], r[1], 0.5), _u53(r[2], r[3])))
    return ref_lanes(seed, call, n, 4, lambda r: _box_muller(_u24(r[0], 0.5), _u24(r[1])) +
                     _box_muller(_u24(r[2], 0.5), _u24(r[3])))


def ref_integers(seed, call, n, low, high):
    """floor(x * s / 2**64) of a 64-bit word x, two per block ((r0, r1), (r2, r3)): the engine's
    loop-free mapping."""
    s = high - low
    return ref_lanes(seed, call, n, 2, lambda r: [low + ((((r[0] << 32) | r[1]) * s) >> 64),
                                                  low + ((((r[2] << 32) | r[3]) * s) >> 64)])


def test_philox_known_answers():
    # Random123's kat_vectors for philox4x32_10
    assert philox((0, 0, 0, 0), (0, 0)) == (0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8)
    assert philox((M32,) * 4, (M32, M32)) == (0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd)
    assert philox((0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), (0xa4093822, 0x299f31d0)) \
        == (0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1)


def _np():
    import numpy
    return numpy


# distributions whose kernels loop around Philox: webgl2 refuses them (docs/random.md)
LOOPS = {'standard_gamma', 'gamma', 'beta', 'chisquare', 'f', 'standard_t', 'vonmises', 'poisson',
         'binomial', 'negative_binomial', 'hypergeometric', 'zipf', 'logseries',
         'noncentral_chisquare', 'noncentral_f', 'multinomial', 'dirichlet'}


def _refused_on_webgl2(name, draw):
    """On webgl2 a looping distribution raises NotImplementedError naming the backend."""
    base = name.replace('_small', '').replace('_large', '')
    if wp.get_backend_name() != 'webgl2' or base not in LOOPS:
        return False
    with pytest.raises(NotImplementedError, match='webgl2'):
        draw(wp.random.RandomState(0))
    return True


# ---- the same bits on every backend (golden: the reference above) ---------------------------
@testing.numpy_wgpy_array_equal()
def test_raw_words_are_philox(xp):
    if testing.is_wgpy(xp):
        return xp.random.Philox(0).random_raw(64)
    return _np().array(ref_words(0, 0, 64), dtype='uint32')


@testing.numpy_wgpy_array_equal()
def test_raw_words_second_call_large_seed(xp):
    seed = 0x0123456789ABCDEF
    if testing.is_wgpy(xp):
        bg = xp.random.Philox(seed)
        bg.random_raw(3)
        return bg.random_raw((5, 7))
    return _np().array(ref_words(seed, 1, 35), dtype='uint32').reshape(5, 7)


@testing.numpy_wgpy_array_equal()
def test_uniform_bits_same_everywhere(xp):
    if testing.is_wgpy(xp):
        return xp.random.RandomState(1234).random_sample((4, 50))
    return _np().array(ref_uniform(1234, 0, 200), dtype=FLOAT).reshape(4, 50)


@testing.numpy_wgpy_array_equal()
def test_rand_after_seed(xp):
    if testing.is_wgpy(xp):
        xp.random.seed(7)
        xp.random.rand(3)
        return xp.random.rand(10)
    return _np().array(ref_uniform(7, 1, 10), dtype=FLOAT)


@testing.numpy_wgpy_allclose(rtol=2e-5, atol=2e-5)
def test_normal_same_everywhere(xp):
    if testing.is_wgpy(xp):
        return xp.random.RandomState(5).standard_normal(300)
    return _np().array(ref_normal(5, 0, 300), dtype=FLOAT)


@testing.numpy_wgpy_allclose(rtol=2e-5, atol=2e-5)
def test_exponential_lanes(xp):
    """The closed-form transforms take the lane layout too: -log of the (0, 1) grid."""
    if testing.is_wgpy(xp):
        return xp.random.RandomState(12).standard_exponential(30)
    return _np().array([-math.log(u) for u in ref_uniform(12, 0, 30, half=0.5)], dtype=FLOAT)


@testing.numpy_wgpy_array_equal()
def test_integers_same_everywhere(xp):
    if testing.is_wgpy(xp):
        return xp.random.RandomState(3).randint(-7, 1000003, size=200)
    return _np().array(ref_integers(3, 0, 200, -7, 1000003), dtype=INT)


@testing.numpy_wgpy_array_equal()
def test_integers_small_range_int8(xp):
    if testing.is_wgpy(xp):
        return xp.random.RandomState(11).randint(-128, 127, size=100, dtype='int8')
    return _np().array(ref_integers(11, 0, 100, -128, 127), dtype='int8')


@testing.numpy_wgpy_array_equal()
def test_integers_uint32_full_range(xp):
    if testing.is_wgpy(xp):
        return xp.random.default_rng(9).integers(0, 2 ** 32, size=40, dtype='uint32')
    return _np().array(ref_integers(9, 0, 40, 0, 2 ** 32), dtype='uint32')


@testing.numpy_wgpy_array_equal()
def test_lanes_tail_into_a_view(xp):
    """Four lanes per block: 6 outputs (a partial last block) into a view of a larger array,
    contiguous or strided, leave its other elements alone."""
    if testing.is_wgpy(xp):
        buf = xp.full(12, 7.0, dtype=FLOAT)
        xp.random.default_rng(4).random(dtype=FLOAT, out=buf[1:7])
        strided = xp.full(12, 7.0, dtype=FLOAT)
        xp.random.default_rng(4).random(dtype=FLOAT, out=strided[::2])
        return xp.concatenate([buf, strided])
    u = ref_uniform(4, 0, 6)
    return _np().array([7.0] + u + [7.0] * 5 + [x for v in u for x in (v, 7.0)], dtype=FLOAT)


def test_lanes_workgroup_form():
    """The lane kernels' workgroup form (docs/random.md, "Coalesced stores": the lanes exchanged
    through workgroup memory, the default on a GPU), forced here on every backend (webgl2 keeps
    its gathers): the block form's numbers over three workgroups, the last partial and ending in
    a partial block, into a view of a larger array (nothing else written), and integers (two lanes
    a block)."""
    old = wp.random._set_random_path('workgroup')
    try:
        buf = wp.full(2300, 7.0, dtype=FLOAT)
        wp.random.default_rng(4).random(dtype=FLOAT, out=buf[3:2204])
        ints = wp.random.RandomState(3).randint(-7, 1000003, size=1101)
        nrm = wp.random.RandomState(5).standard_normal(2201).tolist()
        wp.random._set_random_path('block')
        nrm_block = wp.random.RandomState(5).standard_normal(2201).tolist()
    finally:
        wp.random._set_random_path(old)
    # an array parameter takes the gather form (one point per output): the same Box-Muller
    nrm_gather = wp.random.RandomState(5).normal(wp.zeros(2201, dtype=FLOAT), 1.0).tolist()
    assert buf.tolist() == [7.0] * 3 + ref_uniform(4, 0, 2201) + [7.0] * 96
    assert ints.tolist() == ref_integers(3, 0, 1101, -7, 1000003)
    assert nrm == nrm_block
    assert nrm == nrm_gather
    assert all(math.isclose(a, b, rel_tol=2e-5, abs_tol=2e-5)
               for a, b in zip(nrm, ref_normal(5, 0, 2201)))


@testing.numpy_wgpy_array_equal()
def test_choice_scalar_bounds_same_lanes(xp):
    """choice passes its bounds as host scalars, so it takes the one-point-per-output form:
    the same numbers as the block form's."""
    if testing.is_wgpy(xp):
        return xp.random.default_rng(6).choice(1000, 37)
    return _np().array(ref_integers(6, 0, 37, 0, 1000), dtype=INT)


@testing.numpy_wgpy_allclose(rtol=2e-5, atol=2e-5)
def test_normal_array_parameters_same_lanes(xp):
    """Array parameters take the one-point-per-output form: the same lanes."""
    if testing.is_wgpy(xp):
        return xp.random.RandomState(8).normal(xp.zeros((3, 3), dtype=FLOAT), 1.0)
    return _np().array(ref_normal(8, 0, 9), dtype=FLOAT).reshape(3, 3)


def _cpu_recorded(fn):
    """The reference side runs wgpy natively (the cpu backend) and records its values, so that
    the GPU backends' replays compare with the engine's own cpu results."""
    def test(xp):
        if testing.is_wgpy(xp):
            return fn(xp)
        return _np().asarray(fn(wp).get())
    return test


_RECORDED = [
    ('normal', lambda r: r.normal(wp.asarray([0.0, 10.0, -5.0]), 2.0, size=(20, 3))),
    ('exponential', lambda r: r.exponential(2.0, 100)),
    ('logistic', lambda r: r.logistic(1.0, 2.0, 100)),
    ('laplace', lambda r: r.laplace(1.0, 2.0, 100)),
    ('gumbel', lambda r: r.gumbel(1.0, 2.0, 100)),
    ('rayleigh', lambda r: r.rayleigh(2.0, 100)),
    ('uniform', lambda r: r.uniform(-3.0, 5.0, 100)),
    ('triangular', lambda r: r.triangular(0.0, 1.0, 3.0, 100)),
    ('lognormal', lambda r: r.lognormal(0.0, 0.5, 100)),
    ('permutation', lambda r: r.permutation(50)),
    ('choice', lambda r: r.choice(1000, 20, replace=False)),
    ('choice_p', lambda r: r.choice(4, 50, p=[0.1, 0.2, 0.3, 0.4])),
    ('geometric', lambda r: r.geometric(0.25, 100)),
    ('poisson_small', lambda r: r.poisson(3.0, 100)),
    ('binomial_small', lambda r: r.binomial(10, 0.3, 100)),
]


@pytest.mark.parametrize('name,fn', _RECORDED, ids=[n for n, _ in _RECORDED])
def test_recorded_cpu_values(name, fn):
    if _refused_on_webgl2(name, fn):
        return
    @testing.numpy_wgpy_allclose(rtol=1e-4, atol=1e-4)
    def check(xp):
        return _cpu_recorded(lambda m: fn(m.random.RandomState(2024)))(xp)
    check()


def _f32(x):
    return struct.unpack('f', struct.pack('f', x))[0]


def ref_normal_f32(seed, call, n):
    """float32 normals as the kernels define them (docs/random.md, "Session 16"), in double: u1 =
    (w >> 8) + 1/2 rounded to float32 (as wg_f24 rounds it), times 2^-24, and the exact angle."""
    def bm(a, b):
        rad, t = math.sqrt(-2.0 * math.log(_f32((a >> 8) + 0.5) * 2.0 ** -24)), 2 * math.pi * _u24(b)
        return [rad * math.cos(t), rad * math.sin(t)]
    return ref_lanes(seed, call, n, 4, lambda r: bm(r[0], r[1]) + bm(r[2], r[3]))


@testing.numpy_wgpy_allclose(rtol=1e-6, atol=1e-9)
def test_normals_to_a_few_ulps(xp):
    """float32 normals take only +, *, integer operations and sqrt (wg_bm24 and wg_log24,
    docs/random.md "Session 16"): a few ulps from the double-precision value on every backend,
    also next to the zeros of sine and cosine (the old form rounded the angle first: 1.6e-6) and
    where u1 is near 1 and the radius small (where the GPU backends' own log was up to 6e-5 off)."""
    if testing.is_wgpy(xp):
        return xp.random.default_rng(11).standard_normal(20000, dtype='float32')
    return _np().array(ref_normal_f32(11, 0, 20000), dtype='float32')


# ---- statistics ------------------------------------------------------------------------------
N = 20000
SE = 6.0  # standard errors allowed for a mean / variance check


def _host(a):
    return [float(v) for v in a.ravel().tolist()]


def _moments(xs):
    n = len(xs)
    m = math.fsum(xs) / n
    v = math.fsum((x - m) ** 2 for x in xs) / (n - 1)
    m4 = math.fsum((x - m) ** 4 for x in xs) / n
    return m, v, m4


def _check_moments(xs, mean, var):
    n = len(xs)
    m, v, m4 = _moments(xs)
    assert abs(m - mean) <= SE * math.sqrt(var / n) + 1e-6, (m, mean)
    se_v = math.sqrt(max(m4 - v * v, 1e-30) / n)
    assert abs(v - var) <= SE * se_v + 1e-6, (v, var)


def _ks(xs, cdf):
    xs = sorted(xs)
    n = len(xs)
    d = 0.0
    for i, x in enumerate(xs):
        c = cdf(x)
        d = max(d, c - i / n, (i + 1) / n - c)
    return d


KS_CRIT = 1.95  # the 0.1% critical value of sqrt(n) D


def _phi(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


_CONTINUOUS = [
    # name, draw, mean, variance, cdf (None: moments only)
    ('random', lambda r: r.random_sample(N), 0.5, 1 / 12, lambda x: min(max(x, 0), 1)),
    ('uniform', lambda r: r.uniform(2.0, 5.0, N), 3.5, 0.75, lambda x: min(max((x - 2) / 3, 0), 1)),
    ('standard_normal', lambda r: r.standard_normal(N), 0.0, 1.0, _phi),
    ('normal', lambda r: r.normal(3.0, 2.0, N), 3.0, 4.0, lambda x: _phi((x - 3) / 2)),
    ('lognormal', lambda r: r.lognormal(0.0, 0.5, N), math.exp(0.125),
     (math.exp(0.25) - 1) * math.exp(0.25),
     lambda x: _phi(math.log(x) / 0.5) if x > 0 else 0.0),
    ('standard_exponential', lambda r: r.standard_exponential(N), 1.0, 1.0,
     lambda x: 1 - math.exp(-x) if x > 0 else 0.0),
    ('exponential', lambda r: r.exponential(3.0, N), 3.0, 9.0,
     lambda x: 1 - math.exp(-x / 3) if x > 0 else 0.0),
    ('standard_gamma_small', lambda r: r.standard_gamma(0.5, N), 0.5, 0.5, None),
    ('standard_gamma', lambda r: r.standard_gamma(4.0, N), 4.0, 4.0, None),
    ('gamma', lambda r: r.gamma(2.5, 2.0, N), 5.0, 10.0, None),
    ('beta', lambda r: r.beta(2.0, 3.0, N), 0.4, 0.04, None),
    ('beta_small', lambda r: r.beta(0.5, 0.5, N), 0.5, 0.125,
     lambda x: 2 / math.pi * math.asin(math.sqrt(min(max(x, 0), 1)))),
    ('chisquare', lambda r: r.chisquare(5.0, N), 5.0, 10.0, None),
    ('noncentral_chisquare', lambda r: r.noncentral_chisquare(3.0, 2.0, N), 5.0, 14.0, None),
    ('f', lambda r: r.f(5.0, 10.0, N), 10 / 8, 2 * 100 * 13 / (5 * 64 * 6), None),
    ('noncentral_f', lambda r: r.noncentral_f(5.0, 12.0, 2.0, N), 12 * 7 / (5 * 10),
     2 * (12 / 5) ** 2 * ((7) ** 2 + (5 + 4) * 10) / (100 * 8), None),
    ('standard_t', lambda r: r.standard_t(10.0, N), 0.0, 10 / 8, None),
    ('logistic', lambda r: r.logistic(1.0, 2.0, N), 1.0, 4 * math.pi ** 2 / 3,
     lambda x: 1 / (1 + math.exp(-(x - 1) / 2))),
    ('laplace', lambda r: r.laplace(1.0, 2.0, N), 1.0, 8.0,
     lambda x: 0.5 * math.exp((x - 1) / 2) if x < 1 else 1 - 0.5 * math.exp(-(x - 1) / 2)),
    ('gumbel', lambda r: r.gumbel(1.0, 2.0, N), 1.0 + 2.0 * 0.5772156649015329,
     math.pi ** 2 / 6 * 4, lambda x: math.exp(-math.exp(-(x - 1) / 2))),
    ('pareto', lambda r: r.pareto(5.0, N), 0.25, 5 / (16 * 3),
     lambda x: 1 - (1 + x) ** -5 if x > 0 else 0.0),
    ('power', lambda r: r.power(3.0, N), 0.75, 3 / 80, lambda x: min(max(x, 0), 1) ** 3),
    ('rayleigh', lambda r: r.rayleigh(2.0, N), 2 * math.sqrt(math.pi / 2),
     (4 - math.pi) / 2 * 4, lambda x: 1 - math.exp(-x * x / 8) if x > 0 else 0.0),
    ('weibull', lambda r: r.weibull(2.0, N), math.gamma(1.5), 1 - math.gamma(1.5) ** 2,
     lambda x: 1 - math.exp(-x * x) if x > 0 else 0.0),
    ('triangular', lambda r: r.triangular(0.0, 1.0, 3.0, N), 4 / 3, (9 + 1 - 3) / 18,
     lambda x: 0.0 if x <= 0 else (x * x / 3 if x <= 1 else (1 - (3 - x) ** 2 / 6 if x < 3
                                                              else 1.0))),
    ('wald', lambda r: r.wald(2.0, 3.0, N), 2.0, 8 / 3, None),
    ('vonmises', lambda r: r.vonmises(0.5, 2.0, N), 0.5, None, None),
    ('standard_cauchy', lambda r: r.standard_cauchy(N), None, None,
     lambda x: 0.5 + math.atan(x) / math.pi),
]


@pytest.mark.parametrize('name,draw,mean,var,cdf', _CONTINUOUS, ids=[c[0] for c in _CONTINUOUS])
def test_continuous_statistics(name, draw, mean, var, cdf):
    if _refused_on_webgl2(name, draw):
        return
    xs = _host(draw(wp.random.RandomState(2026)))
    assert len(xs) == N and all(math.isfinite(x) for x in xs)
    if var is not None:
        _check_moments(xs, mean, var)
    if cdf is not None:
        d = _ks(xs, cdf)
        assert math.sqrt(N) * d < KS_CRIT, (name, d)
    if name == 'vonmises':
        assert all(-math.pi <= x <= math.pi for x in xs)
        c = math.fsum(math.cos(x - 0.5) for x in xs) / N
        # E cos(X - mu) = I1(kappa) / I0(kappa) = 0.6978 for kappa = 2
        assert abs(c - 0.697775) < 0.01


def _pmf_poisson(lam):
    return lambda k: math.exp(-lam + k * math.log(lam) - math.lgamma(k + 1))


def _pmf_binomial(n, p):
    return lambda k: math.comb(n, k) * p ** k * (1 - p) ** (n - k) if 0 <= k <= n else 0.0


def _pmf_nbinom(n, p):
    return lambda k: math.exp(math.lgamma(k + n) - math.lgamma(n) - math.lgamma(k + 1)
                              + n * math.log(p) + k * math.log1p(-p))


def _pmf_hyper(g, b, s):
    return lambda k: (math.comb(g, k) * math.comb(b, s - k) / math.comb(g + b, s)
                      if 0 <= k <= min(g, s) and s - k <= b else 0.0)


def _pmf_zipf(a):
    z = sum(k ** -a for k in range(1, 200000))
    return lambda k: k ** -a / z if k >= 1 else 0.0


def _pmf_logseries(p):
    return lambda k: -p ** k / (k * math.log1p(-p)) if k >= 1 else 0.0


_DISCRETE = [
    ('poisson_small', lambda r: r.poisson(3.0, N), _pmf_poisson(3.0), 3.0, 3.0),
    ('poisson_large', lambda r: r.poisson(60.0, N), _pmf_poisson(60.0), 60.0, 60.0),
    ('binomial_small', lambda r: r.binomial(10, 0.3, N), _pmf_binomial(10, 0.3), 3.0, 2.1),
    ('binomial_large', lambda r: r.binomial(200, 0.6, N), _pmf_binomial(200, 0.6), 120.0, 48.0),
    ('negative_binomial', lambda r: r.negative_binomial(3, 0.4, N), _pmf_nbinom(3, 0.4),
     4.5, 11.25),
    ('geometric', lambda r: r.geometric(0.25, N), lambda k: 0.75 ** (k - 1) * 0.25 if k >= 1
     else 0.0, 4.0, 12.0),
    ('hypergeometric', lambda r: r.hypergeometric(10, 20, 8, N), _pmf_hyper(10, 20, 8),
     8 / 3, 8 * (1 / 3) * (2 / 3) * 22 / 29),
    ('zipf', lambda r: r.zipf(3.0, N), _pmf_zipf(3.0), None, None),
    ('logseries', lambda r: r.logseries(0.6, N), _pmf_logseries(0.6),
     -0.6 / (0.4 * math.log(0.4)), None),
]

# the 0.1% critical values of chi-square with k degrees of freedom, k = 1..40
_CHI2_999 = [10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32, 26.12, 27.88, 29.59, 31.26, 32.91,
             34.53, 36.12, 37.70, 39.25, 40.79, 42.31, 43.82, 45.31, 46.80, 48.27, 49.73, 51.18,
             52.62, 54.05, 55.48, 56.89, 58.30, 59.70, 61.10, 62.49, 63.87, 65.25, 66.62, 67.99,
             69.35, 70.70, 72.05, 73.40]


def _chi2_crit(k):
    """The 0.1% critical value: the table up to 40 degrees of freedom, Wilson-Hilferty's
    approximation above."""
    if k <= 40:
        return _CHI2_999[k - 1]
    return k * (1 - 2 / (9 * k) + 3.0902 * math.sqrt(2 / (9 * k))) ** 3


def _chi2(xs, pmf):
    counts = {}
    for x in xs:
        counts[int(x)] = counts.get(int(x), 0) + 1
    n = len(xs)
    lo, hi = min(counts), max(counts)
    # bins with an expected count of at least 5; the tails pooled into the end bins
    bins, cur_e, cur_o = [], 0.0, 0
    for k in range(lo, hi + 1):
        cur_e += n * pmf(k)
        cur_o += counts.get(k, 0)
        if cur_e >= 5:
            bins.append([cur_e, cur_o])
            cur_e, cur_o = 0.0, 0
    if bins:
        bins[-1][0] += cur_e + n * max(0.0, 1 - sum(b[0] for b in bins) / n - cur_e / n)
        bins[-1][1] += cur_o
    stat = sum((o - e) ** 2 / e for e, o in bins)
    return stat, len(bins) - 1


@pytest.mark.parametrize('name,draw,pmf,mean,var', _DISCRETE, ids=[c[0] for c in _DISCRETE])
def test_discrete_statistics(name, draw, pmf, mean, var):
    if _refused_on_webgl2(name, draw):
        return
    a = draw(wp.random.RandomState(777))
    assert a.dtype.kind == 'i'
    xs = _host(a)
    assert all(x == int(x) for x in xs)
    if mean is not None:
        m = math.fsum(xs) / len(xs)
        sd = math.sqrt(var) if var else math.sqrt(_moments(xs)[1])
        assert abs(m - mean) <= SE * sd / math.sqrt(len(xs)), (m, mean)
    if var is not None:
        _check_moments(xs, mean, var)
    stat, dof = _chi2(xs, pmf)
    assert dof >= 1
    assert stat < _chi2_crit(dof), (name, stat, dof)


def test_integers_chi_square():
    xs = _host(wp.random.RandomState(5).randint(0, 10, size=N))
    counts = [xs.count(float(k)) for k in range(10)]
    stat = sum((c - N / 10) ** 2 / (N / 10) for c in counts)
    assert stat < _CHI2_999[8]


def test_permutation_is_uniform():
    r = wp.random.RandomState(99)
    counts = [[0] * 4 for _ in range(4)]
    for _ in range(400):
        for pos, v in enumerate(r.permutation(4).tolist()):
            counts[pos][v] += 1
    stat = sum((c - 100) ** 2 / 100 for row in counts for c in row)
    assert stat < _CHI2_999[8]  # 9 degrees of freedom
    p = wp.random.RandomState(1).permutation(1000).tolist()
    assert sorted(p) == list(range(1000))


def test_choice_without_replacement_distinct():
    r = wp.random.RandomState(4)
    c = r.choice(500, 200, replace=False).tolist()
    assert len(set(c)) == 200 and all(0 <= v < 500 for v in c)
    c = r.choice(6, 4, replace=False, p=[0.1, 0.0, 0.2, 0.3, 0.4, 0.0]).tolist()
    assert len(set(c)) == 4 and set(c) <= {0, 2, 3, 4}


def test_choice_with_p_frequencies():
    p = [0.1, 0.0, 0.2, 0.3, 0.4]
    xs = _host(wp.random.RandomState(8).choice(5, N, p=p))
    stat = sum((xs.count(float(k)) - N * p[k]) ** 2 / (N * p[k]) for k in (0, 2, 3, 4))
    assert xs.count(1.0) == 0
    assert stat < _CHI2_999[2]


def test_choice_of_array_and_shuffle():
    r = wp.random.RandomState(3)
    a = wp.arange(12).reshape(6, 2)
    c = r.permutation(a)
    rows = sorted(tuple(x) for x in c.tolist())
    assert rows == [(2 * k, 2 * k + 1) for k in range(6)]
    x = wp.arange(10)
    r.shuffle(x)
    assert sorted(x.tolist()) == list(range(10)) and x.tolist() != list(range(10))
    v = r.choice(wp.asarray([10, 20, 30]), size=(2, 2)).tolist()
    assert all(e in (10, 20, 30) for row in v for e in row)


# ---- Generator: axes, permuted, multivariate_hypergeometric, spawn (session 22) -------------
def test_generator_axis_choice_permutation_shuffle():
    g = wp.random.default_rng(21)
    x = wp.arange(24).reshape(2, 3, 4)
    # choice: the sample's dimensions replace the axis (NumPy's a.take(idx, axis))
    assert g.choice(x, 2, axis=1).shape == (2, 2, 4)
    assert g.choice(x, (2, 5), axis=-1).shape == (2, 3, 2, 5)
    assert g.choice(x, axis=2).shape == (2, 3)
    c = g.choice(x, 4, axis=2, replace=False, shuffle=False).tolist()
    cols = [[row[j] - row[0] for j in range(4)] for blk in c for row in blk]
    assert all(r == cols[0] for r in cols) and sorted(r + c[0][0][0] % 4 for r in cols[0]) \
        == list(range(4))
    assert g.choice(5, 3, axis=1).shape == (3,)  # an integer a ignores axis (NumPy)
    # permutation / shuffle along an axis move whole slices
    p = g.permutation(x, axis=-1)
    first = p[0, 0].tolist()
    assert sorted(first) == [0, 1, 2, 3]
    assert (p == x[:, :, wp.asarray(first)]).all()
    y = x.copy()
    g.shuffle(y, axis=1)
    rows = [y[0, k, 0].tolist() // 4 for k in range(3)]
    assert sorted(rows) == [0, 1, 2] and (y == x[:, wp.asarray(rows), :]).all()
    # each of the 3! orders about equally often along axis 1 (chi-square, 5 dof)
    counts = {}
    for _ in range(300):
        k = tuple(g.permutation(wp.arange(3).reshape(1, 3), axis=1)[0].tolist())
        counts[k] = counts.get(k, 0) + 1
    assert len(counts) == 6
    assert sum((v - 50) ** 2 / 50 for v in counts.values()) < 20.5


def test_generator_permuted():
    g = wp.random.default_rng(22)
    x = wp.zeros((400, 3), dtype='int32') + wp.arange(3, dtype='int32')
    r = g.permuted(x, axis=1)
    assert r.shape == x.shape and r.dtype == x.dtype
    rows = [tuple(v) for v in r.tolist()]
    assert all(sorted(v) == [0, 1, 2] for v in rows)
    counts = {}
    for v in rows:  # every row shuffled independently: all 6 orders, about equally often
        counts[v] = counts.get(v, 0) + 1
    assert len(counts) == 6 and sum((c - 400 / 6) ** 2 / (400 / 6)
                                    for c in counts.values()) < 20.5
    # axis 0: each column its own permutation of the column
    a = wp.arange(40).reshape(10, 4)
    r0 = g.permuted(a, axis=0).tolist()
    cols = [[row[j] for row in r0] for j in range(4)]
    assert all(sorted(c) == list(range(j, 40, 4)) for j, c in enumerate(cols))
    assert len({tuple(v // 4 for v in c) for c in cols}) > 1
    # axis=None: the flattened array permuted, shape kept
    f = g.permuted(a)
    assert f.shape == (10, 4) and sorted(f.reshape(-1).tolist()) == list(range(40))
    # out: a new array, or x itself (in place)
    b = a.copy()
    assert g.permuted(b, axis=-1, out=b) is b
    assert all(sorted(row) == list(range(4 * k, 4 * k + 4)) for k, row in enumerate(b.tolist()))
    o = wp.empty((10, 4), dtype=a.dtype)
    assert g.permuted(a, axis=1, out=o) is o
    assert g.permuted(wp.zeros((0, 3)), axis=1).shape == (0, 3)
    # reproducible for a seed
    assert wp.random.default_rng(5).permuted(a, axis=1).tolist() == \
        wp.random.default_rng(5).permuted(a, axis=1).tolist()


def test_multivariate_hypergeometric():
    if _refused_on_webgl2('hypergeometric', lambda r: wp.random.default_rng(0)
                          .multivariate_hypergeometric([1, 2], 1)):
        return
    g = wp.random.default_rng(23)
    colors = [5, 10, 0, 15]
    for method in ('marginals', 'count'):
        m = g.multivariate_hypergeometric(colors, 12, size=2000, method=method)
        assert m.shape == (2000, 4)
        assert m.dtype == g.hypergeometric(5, 5, 3).dtype
        assert (m.sum(axis=1) == 12).all()
        assert (m >= 0).all() and (m <= wp.asarray(colors)).all()
        means = m.astype('float32').mean(axis=0).tolist()
        # the mean of each color's count: nsample * colors / total; its standard error is
        # below 0.04 here (variance <= 12 * 18 / 29 * 0.25 per draw over 2000 draws), the
        # tolerance 0.2 is five of them
        for k, c in enumerate(colors):
            assert abs(means[k] - 12 * c / 30) < 0.2, (method, k, means)
    assert g.multivariate_hypergeometric([1, 2, 3], 4).shape == (3,)
    assert g.multivariate_hypergeometric([3, 4], 7).tolist() == [3, 4]
    assert g.multivariate_hypergeometric([10, 20, 30], 25, size=(2, 3)).shape == (2, 3, 3)
    assert g.multivariate_hypergeometric([1, 2], 1, size=0).shape == (0, 2)
    assert g.multivariate_hypergeometric([], 0).shape == (0,)


def test_spawn():
    kids = wp.random.default_rng(24).spawn(3)
    again = wp.random.default_rng(24).spawn(3)
    vals = [k.integers(0, 2 ** 31 - 1, size=8).tolist() for k in kids]
    assert vals == [k.integers(0, 2 ** 31 - 1, size=8).tolist() for k in again]
    parent = wp.random.default_rng(24).integers(0, 2 ** 31 - 1, size=8).tolist()
    assert len({tuple(v) for v in vals + [parent]}) == 4
    g = wp.random.default_rng(24)
    first, second = g.spawn(1), g.spawn(1)  # a counter: later spawns give new children
    assert first[0].random(4).tolist() != second[0].random(4).tolist()
    assert g.spawn(0) == []
    ss = wp.random.SeedSequence(7)
    kids = ss.spawn(2)
    assert [k.spawn_key for k in kids] == [(0,), (1,)] and ss.n_children_spawned == 2
    bg = wp.random.Philox(wp.random.SeedSequence(7)).spawn(2)
    assert [b.random_raw(4).tolist() for b in bg] == \
        [wp.random.Philox(k).random_raw(4).tolist() for k in kids]
    assert all(isinstance(k, wp.random.Generator) for k in wp.random.default_rng(1).spawn(2))


def test_integers_array_bounds():
    g = wp.random.default_rng(25)
    lo = wp.asarray([0, 10, -5])
    r = g.integers(lo, 20, size=(400, 3))
    assert r.shape == (400, 3)
    assert (r >= lo).all() and (r < 20).all()
    assert g.integers([1, 2], [[3], [50]]).shape == (2, 2)
    assert g.integers(wp.asarray(2), 5).shape == ()
    e = g.integers([2, 5], 5, endpoint=True, size=(50, 2)).tolist()
    assert {v for v, _ in e} == {2, 3, 4, 5} and {w for _, w in e} == {5}
    u = g.integers([0], [2 ** 32], dtype='uint32', size=50)
    assert u.dtype == wp.dtype('uint32') and u.shape == (50,)
    assert g.integers([], []).shape == (0,)
    # equal bounds as arrays: the scalar path's numbers (the same lanes)
    for dt in ('int32', 'uint16', 'int8'):
        a = wp.random.default_rng(7).integers(-3 if dt != 'uint16' else 3, 100, size=37,
                                              dtype=dt).tolist()
        b = wp.random.default_rng(7).integers([-3 if dt != 'uint16' else 3] * 37,
                                              wp.asarray(100), dtype=dt).tolist()
        assert a == b
    assert wp.random.RandomState(3).randint([1, 2], [[5], [9]]).shape == (2, 2)


_EXACT = [
    ('integers_array', lambda g: g.integers(wp.asarray([0, 10, -5]), [[20], [30]],
                                            size=(4, 2, 3))),
    ('integers_uint32', lambda g: g.integers([0, 7], [2 ** 32], dtype='uint32', size=(3, 2))),
    ('choice_axis', lambda g: g.choice(wp.arange(60).reshape(3, 4, 5), (2, 2), axis=1)),
    ('choice_axis_noreplace', lambda g: g.choice(wp.arange(60).reshape(3, 4, 5), 3, axis=-1,
                                                  replace=False)),
    ('choice_axis_p', lambda g: g.choice(wp.arange(60).reshape(3, 4, 5), 3, axis=2,
                                         p=[0.1, 0.2, 0.3, 0.2, 0.2])),
    ('permutation_axis', lambda g: g.permutation(wp.arange(60).reshape(3, 4, 5), axis=1)),
    ('permuted_axis', lambda g: g.permuted(wp.arange(60).reshape(3, 4, 5), axis=-1)),
    ('permuted_none', lambda g: g.permuted(wp.arange(60).reshape(3, 4, 5))),
    ('multivariate_hypergeometric', lambda g: g.multivariate_hypergeometric([3, 7, 0, 12], 9,
                                                                            size=(3, 2))),
    ('spawn', lambda g: wp.concatenate([k.integers(0, 1000, 4) for k in g.spawn(3)])),
]


@pytest.mark.parametrize('name,fn', _EXACT, ids=[n for n, _ in _EXACT])
def test_generator_extras_same_everywhere(name, fn):
    """The session-22 Generator methods give the cpu backend's numbers exactly (recorded
    natively, compared on the GPU backends' replays)."""
    if name == 'multivariate_hypergeometric' and _refused_on_webgl2(
            'hypergeometric', lambda r: fn(wp.random.default_rng(0))):
        return
    @testing.numpy_wgpy_array_equal()
    def check(xp):
        return _cpu_recorded(lambda m: fn(m.random.default_rng(2025)))(xp)
    check()


_GEN_ERRORS = [
    lambda g, xp: g.choice(xp.arange(12).reshape(3, 4), 2, axis=5),
    lambda g, xp: g.choice(xp.arange(12).reshape(3, 4), 5, axis=1, replace=False),
    lambda g, xp: g.choice(xp.arange(12).reshape(3, 4), 2, axis=1, p=[0.5, 0.5]),
    lambda g, xp: g.permutation(xp.arange(12).reshape(3, 4), axis=-3),
    lambda g, xp: g.permutation(xp.asarray(3.0)),
    lambda g, xp: g.shuffle(xp.arange(12).reshape(3, 4), axis=2),
    lambda g, xp: g.shuffle(xp.asarray(3.0)),
    lambda g, xp: g.permuted(xp.arange(12).reshape(3, 4), axis=2),
    lambda g, xp: g.permuted(xp.arange(12).reshape(3, 4), out=xp.empty((4, 3))),
    lambda g, xp: g.permuted(xp.arange(12).reshape(3, 4), out=[1]),
    lambda g, xp: g.permuted(xp.arange(12.0).reshape(3, 4), out=xp.empty((3, 4), 'int32')),
    lambda g, xp: g.permuted(xp.asarray(3.0)),
    lambda g, xp: g.multivariate_hypergeometric([1, -2, 3], 4),
    lambda g, xp: g.multivariate_hypergeometric([1, 2, 3], -1),
    lambda g, xp: g.multivariate_hypergeometric([1, 2, 3], 7),
    lambda g, xp: g.multivariate_hypergeometric([1, 2, 3], 4, method='x'),
    lambda g, xp: g.multivariate_hypergeometric([[1, 2, 3]], 4),
    lambda g, xp: g.multivariate_hypergeometric([1.5, 2], 1),
    lambda g, xp: g.multivariate_hypergeometric([1, 2], 1.5),
    lambda g, xp: g.multivariate_hypergeometric([10 ** 9, 10 ** 9], 1),
    lambda g, xp: g.spawn(-1),
    lambda g, xp: g.integers([1, 2], [0, 5]),
    lambda g, xp: g.integers([1, 2], [[1], [5]], endpoint=True),
    lambda g, xp: g.integers([-1, 2], [3, 5], dtype='uint8'),
    lambda g, xp: g.integers([1, 2], [3, 500], dtype='uint8'),
    lambda g, xp: g.integers(xp.asarray([1, 2]), 3, dtype='int8', size=3),
]


@pytest.mark.parametrize('k', range(len(_GEN_ERRORS)))
def test_generator_errors_like_numpy(k):
    @testing.numpy_wgpy_array_equal(accept_error=True)
    def check(xp):
        return _GEN_ERRORS[k](xp.random.default_rng(0), xp)
    check()


def test_multinomial():
    if _refused_on_webgl2('multinomial', lambda r: r.multinomial(5, [0.5, 0.5])):
        return
    r = wp.random.RandomState(6)
    m = r.multinomial(20, [0.2, 0.3, 0.5], size=5000)
    assert m.shape == (5000, 3)
    rows = m.tolist()
    assert all(sum(row) == 20 and min(row) >= 0 for row in rows)
    for j, p in enumerate([0.2, 0.3, 0.5]):
        col = [row[j] for row in rows]
        mean = sum(col) / len(col)
        assert abs(mean - 20 * p) < SE * math.sqrt(20 * p * (1 - p) / len(col))


def test_dirichlet():
    if _refused_on_webgl2('dirichlet', lambda r: r.dirichlet([1.0, 2.0])):
        return
    r = wp.random.RandomState(6)
    d = r.dirichlet([1.0, 2.0, 3.0], size=N)
    rows = d.tolist()
    assert all(abs(sum(row) - 1) < 1e-5 and min(row) >= 0 for row in rows)
    for j, a in enumerate([1.0, 2.0, 3.0]):
        col = [row[j] for row in rows]
        _check_moments(col, a / 6, a * (6 - a) / (36 * 7))


def test_multivariate_normal():
    r = wp.random.RandomState(10)
    cov = [[2.0, 0.8, 0.0], [0.8, 1.0, 0.3], [0.0, 0.3, 0.5]]
    x = r.multivariate_normal([1.0, -1.0, 0.0], cov, size=N)
    assert x.shape == (N, 3)
    rows = x.tolist()
    for i in range(3):
        col = [row[i] for row in rows]
        _check_moments(col, [1.0, -1.0, 0.0][i], cov[i][i])
        for j in range(3):
            mi = [1.0, -1.0, 0.0][i]
            mj = [1.0, -1.0, 0.0][j]
            c = math.fsum((row[i] - mi) * (row[j] - mj) for row in rows) / N
            assert abs(c - cov[i][j]) < 0.06
    # a semidefinite covariance (rank 1): both coordinates equal
    y = r.multivariate_normal([0.0, 0.0], [[1.0, 1.0], [1.0, 1.0]], size=100).tolist()
    assert all(abs(a - b) < 1e-4 for a, b in y)


@pytest.mark.native_only
@pytest.mark.parametrize('name,args', [
    ('standard_gamma', (0.5,)), ('gamma', (2.5, 2.0)), ('beta', (2.0, 3.0)),
    ('chisquare', (5.0,)), ('f', (5.0, 10.0)), ('standard_t', (4.0,)), ('wald', (2.0, 3.0)),
    ('vonmises', (0.5, 2.0)), ('noncentral_chisquare', (3.0, 2.0)),
    ('noncentral_f', (5.0, 12.0, 2.0)),
])
def test_two_sample_ks_against_numpy(name, args):
    if _refused_on_webgl2(name, lambda r: getattr(r, name)(*args, size=10)):
        return
    np = _np()
    a = np.sort(getattr(wp.random.RandomState(1), name)(*args, size=N).get().astype(float))
    b = np.sort(getattr(np.random.RandomState(1), name)(*args, size=N))
    allv = np.concatenate([a, b])
    d = np.max(np.abs(np.searchsorted(a, allv, 'right') / N - np.searchsorted(b, allv, 'right') / N))
    # the 0.1% critical value of the two-sample statistic: 1.95 sqrt(2 / N)
    assert d < 1.95 * math.sqrt(2 / N), (name, d)


# ---- API, state, dtypes ----------------------------------------------------------------------
def test_seed_reproducible_and_state():
    r1 = wp.random.RandomState(42)
    a = r1.rand(5).tolist()
    st = r1.get_state()
    b = r1.rand(5).tolist()
    r1.set_state(st)
    assert r1.rand(5).tolist() == b
    assert wp.random.RandomState(42).rand(5).tolist() == a
    assert a != b
    g = wp.random.default_rng(3)
    s = g.bit_generator.state
    x = g.standard_normal(4).tolist()
    g.bit_generator.state = s
    assert g.standard_normal(4).tolist() == x


def test_shapes_dtypes_and_scalars():
    r = wp.random.RandomState(0)
    assert r.rand().shape == ()
    assert r.rand(2, 3).shape == (2, 3)
    assert r.normal(size=(0, 4)).shape == (0, 4)
    assert r.normal(wp.zeros((3, 1)), wp.ones(4)).shape == (3, 4)
    assert r.randn(3).dtype == wp.dtype('float32') or testing.x64_enabled()
    assert r.randint(5, size=3, dtype='uint8').dtype == wp.dtype('uint8')
    g = wp.random.default_rng(0)
    assert g.random(3, dtype='float32').dtype == wp.dtype('float32')
    out = wp.empty((2, 2), dtype='float32')
    assert g.standard_normal(dtype='float32', out=out) is out
    assert len(wp.random.RandomState(1).bytes(10)) == 10


def test_module_functions_exist():
    names = ['seed', 'rand', 'randn', 'randint', 'random_integers', 'random_sample', 'random',
             'ranf', 'sample', 'uniform', 'normal', 'standard_normal', 'lognormal', 'exponential',
             'standard_exponential', 'gamma', 'standard_gamma', 'beta', 'chisquare',
             'noncentral_chisquare', 'f', 'noncentral_f', 'standard_t', 'standard_cauchy',
             'logistic', 'laplace', 'gumbel', 'pareto', 'power', 'rayleigh', 'weibull',
             'triangular', 'wald', 'vonmises', 'binomial', 'negative_binomial', 'poisson',
             'geometric', 'hypergeometric', 'zipf', 'logseries', 'multinomial',
             'multivariate_normal', 'dirichlet', 'choice', 'permutation', 'shuffle', 'bytes',
             'get_state', 'set_state', 'RandomState', 'Generator', 'default_rng', 'Philox']
    missing = [n for n in names if not hasattr(wp.random, n)]
    assert not missing


# ---- errors: NumPy's exception types ---------------------------------------------------------
_ERRORS = [
    lambda r: r.normal(0.0, -1.0), lambda r: r.exponential(-1.0), lambda r: r.gamma(-1.0),
    lambda r: r.beta(0.0, 1.0), lambda r: r.chisquare(0.0), lambda r: r.f(1.0, 0.0),
    lambda r: r.standard_t(0.0), lambda r: r.pareto(0.0), lambda r: r.power(-1.0),
    lambda r: r.weibull(-1.0), lambda r: r.rayleigh(-1.0), lambda r: r.lognormal(0.0, -1.0),
    lambda r: r.triangular(2.0, 1.0, 3.0), lambda r: r.triangular(1.0, 1.0, 1.0),
    lambda r: r.wald(0.0, 1.0), lambda r: r.vonmises(0.0, -1.0), lambda r: r.poisson(-1.0),
    lambda r: r.binomial(-1, 0.5), lambda r: r.binomial(1, 1.5),
    lambda r: r.negative_binomial(0, 0.5), lambda r: r.geometric(0.0),
    lambda r: r.hypergeometric(1, 1, 3), lambda r: r.zipf(1.0), lambda r: r.logseries(1.0),
    lambda r: r.normal(size=-1), lambda r: r.rand(-1), lambda r: r.randint(5, 2),
    lambda r: r.randint(0, 300, dtype='int8'), lambda r: r.choice(3, p=[0.5, 0.6, 0.1]),
    lambda r: r.choice(3, p=[0.5, 0.5]), lambda r: r.choice(3, p=[-0.5, 1.0, 0.5]),
    lambda r: r.choice(5, 6, replace=False), lambda r: r.choice(0, 1),
    lambda r: r.multinomial(-1, [0.5, 0.5]), lambda r: r.dirichlet([0.0, 1.0]),
    lambda r: r.beta(r.rand(3) - 2.0, 1.0), lambda r: r.uniform(0.0, float('inf')),
    lambda r: r.multivariate_normal([0.0, 0.0], [[1.0, 0.0]]),
]


@pytest.mark.parametrize('k', range(len(_ERRORS)))
def test_errors_like_numpy(k):
    @testing.numpy_wgpy_array_equal(accept_error=True)
    def check(xp):
        return _ERRORS[k](xp.random.RandomState(0))
    check()


@pytest.mark.parametrize('seed', [-1, 2 ** 32])
def test_bad_legacy_seed(seed):
    with pytest.raises(ValueError):
        wp.random.seed(seed)
    with pytest.raises(ValueError):
        wp.random.RandomState(seed)
