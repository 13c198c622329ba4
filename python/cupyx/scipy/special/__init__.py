"""cupyx.scipy.special as wgpy ElementwiseKernels in CUDA-C (the engine's math library: erf,
erfc, erfcx, erfinv, erfcinv, normcdf, normcdfinv, lgamma, tgamma; digamma, Hurwitz zeta and the
Bessel functions i0/i1 as preamble device functions).  Integer inputs compute in the default float
type (float32 unless 64-bit types are on) and float16 in float32, as CuPy's f->f/d->d ufuncs do."""
import wgpy as _wgpy
from wgpy import ElementwiseKernel as _EK

_kernels = {}


def _kernel(name, params, op, preamble=''):
    k = _kernels.get(name)
    if k is None:
        k = _kernels[name] = _EK(params, 'T y', op, 'cupyx_special_' + name, preamble=preamble)
    return k


def _fl(x):
    """CuPy's loops are f->f and d->d: float16 computes (and comes back) in float32, integers
    in the default float type."""
    x = _wgpy.asarray(x)
    if x.dtype.kind != 'f':
        x = x.astype(float)
    elif x.dtype == _wgpy.float16:
        x = x.astype(_wgpy.float32)
    return x


def _unary(name, op, preamble=''):
    def f(x, out=None):
        x = _fl(x)
        k = _kernel(name, 'T x', op, preamble)
        return k(x) if out is None else k(x, out)
    f.__name__ = name
    f.__doc__ = 'cupyx.scipy.special.%s: y = %s' % (name, op)
    return f


def _binary(name, op, preamble=''):
    def f(a, b, out=None):
        a, b = _fl(a), _fl(b)
        if a.dtype != b.dtype:
            t = _wgpy.result_type(a, b)
            a, b = a.astype(t), b.astype(t)
        k = _kernel(name, 'T a, T b', op, preamble)
        return k(a, b) if out is None else k(a, b, out)
    f.__name__ = name
    return f


_PI = '3.141592653589793'

_DIGAMMA = '''
template <typename F> __device__ F _wg_digamma(F x) {
    F r = 0;
    bool pole = x <= 0 && floor(x) == x;
    if (x < 0) { r = -(F)%(pi)s / tan((F)%(pi)s * x); x = 1 - x; }
    for (int j = 0; j < 6; j++) { if (x < 6) { r -= 1 / x; x += 1; } }
    F z = 1 / (x * x);
    r += log(x) - (F)0.5 / x - z * ((F)(1.0 / 12) - z * ((F)(1.0 / 120) - z * ((F)(1.0 / 252)
         - z * ((F)(1.0 / 240) - z * (F)(1.0 / 132)))));
    return pole ? (F)NAN : r;
}
''' % {'pi': _PI}

_ZA = [12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
       7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
       -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18]


def _zeta_src():
    em = []
    for i, A in enumerate(_ZA):
        em.append('a *= s + k; b /= w; t = a * b / (F)(%r); r += t; k += 1; a *= s + k; '
                  'b /= w; k += 1;' % A)
    return '''
template <typename F> __device__ F _wg_zeta(F s, F q) {
    F r = pow(q, -s);
    F a = q;
    F b = 0;
    for (int j = 0; j < 9; j++) { a += 1; b = pow(a, -s); r += b; }
    F w = a;
    r += b * w / (s - 1);
    r -= (F)0.5 * b;
    F t = 0;
    F k = 0;
    a = 1;
    %s
    bool bad = s < 1 || (q <= 0 && floor(q) == q);
    return s == 1 ? (F)INFINITY : (bad ? (F)NAN : r);
}
''' % '\n    '.join(em)


_BESSEL = '''
template <typename F> __device__ F _wg_i0(F x) {
    F q = x * x / 4;
    F t = 1;
    F r = 1;
    for (int k = 1; k < 120; k++) { t *= q / (F)(k * k); r += t; }
    return r;
}
template <typename F> __device__ F _wg_i1(F x) {
    F q = x * x / 4;
    F t = x / 2;
    F r = t;
    for (int k = 1; k < 120; k++) { t *= q / (F)(k * (k + 1)); r += t; }
    return r;
}
'''

erf = _unary('erf', 'y = erf(x)')
erfc = _unary('erfc', 'y = erfc(x)')
erfcx = _unary('erfcx', 'y = erfcx(x)')
erfinv = _unary('erfinv', 'y = erfinv(x)')
erfcinv = _unary('erfcinv', 'y = erfcinv(x)')
ndtr = _unary('ndtr', 'y = normcdf(x)')
ndtri = _unary('ndtri', 'y = normcdfinv(x)')
log_ndtr = _unary('log_ndtr', 'T t = x * (T)0.7071067811865476; '
                  'y = x < -1 ? log(erfcx(-t) / 2) - t * t : log1p(-erfc(t) / 2)')
expit = _unary('expit', 'y = 1 / (1 + exp(-x))')
logit = _unary('logit', 'y = log(x / (1 - x))')
log_expit = _unary('log_expit', 'y = x < 0 ? x - log1p(exp(x)) : -log1p(exp(-x))')
gammaln = _unary('gammaln', 'y = lgamma(x)')
gamma = _unary('gamma', 'y = tgamma(x)')
rgamma = _unary('rgamma', 'y = (x <= 0 && floor(x) == x) ? (T)0 : 1 / tgamma(x)')
digamma = _unary('digamma', 'y = _wg_digamma(x)', _DIGAMMA)
psi = digamma
i0 = _unary('i0', 'y = _wg_i0(fabs(x))', _BESSEL)
i1 = _unary('i1', 'y = _wg_i1(x)', _BESSEL)
sinc = _unary('sinc', 'T p = (T)%s * x; y = x == 0 ? (T)1 : sin(p) / p' % _PI)
entr = _unary('entr', 'y = x > 0 ? -x * log(x) : (x == 0 ? (T)0 : (T)-INFINITY)')
exp2 = _unary('exp2', 'y = exp2(x)')
exp10 = _unary('exp10', 'y = exp10(x)')
expm1 = _unary('expm1', 'y = expm1(x)')
log1p = _unary('log1p', 'y = log1p(x)')
cbrt = _unary('cbrt', 'y = cbrt(x)')
zeta = _binary('zeta', 'y = _wg_zeta(a, b)', _zeta_src())
xlogy = _binary('xlogy', 'y = a == 0 && !isnan(b) ? (T)0 : a * log(b)')
xlog1py = _binary('xlog1py', 'y = a == 0 && !isnan(b) ? (T)0 : a * log1p(b)')


def polygamma(n, x):
    """polygamma(n, x) = (-1)^(n+1) n! zeta(n+1, x), digamma where n == 0; n and x broadcast
    elementwise (CuPy's composition)."""
    x = _fl(x)
    n = _wgpy.asarray(n)
    nf = n.astype(x.dtype)
    fac2 = _wgpy.power(-1.0, nf + 1) * gamma(nf + 1) * zeta(nf + 1, x)
    return _wgpy.where(n == 0, digamma(x), fac2)
