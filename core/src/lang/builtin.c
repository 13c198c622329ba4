/* builtin — CUDA's math library and the intrinsics kernels use, as IR ops where one exists and
 * built from IR ops otherwise (rsqrt, round half away from zero, fmod, fma, erf and its family as
 * rational approximations good to float32).  Overloads follow C++: an integer argument of a
 * floating function is double (float32 under the 64-bit-off policy); the `f` suffix and the
 * __ intrinsics are float. */
#include <math.h>
#include <string.h>

#include "lower_int.h"

typedef struct { const char *name; int op; } op_name;

static const op_name unary_ops[] = {
    {"exp", WG_OP_EXP}, {"exp2", WG_OP_EXP2}, {"expm1", WG_OP_EXPM1}, {"log", WG_OP_LOG},
    {"log2", WG_OP_LOG2}, {"log10", WG_OP_LOG10}, {"log1p", WG_OP_LOG1P}, {"sqrt", WG_OP_SQRT},
    {"cbrt", WG_OP_CBRT}, {"sin", WG_OP_SIN}, {"cos", WG_OP_COS}, {"tan", WG_OP_TAN},
    {"asin", WG_OP_ARCSIN}, {"acos", WG_OP_ARCCOS}, {"atan", WG_OP_ARCTAN}, {"sinh", WG_OP_SINH},
    {"cosh", WG_OP_COSH}, {"tanh", WG_OP_TANH}, {"asinh", WG_OP_ARCSINH},
    {"acosh", WG_OP_ARCCOSH}, {"atanh", WG_OP_ARCTANH}, {"floor", WG_OP_FLOOR},
    {"ceil", WG_OP_CEIL}, {"trunc", WG_OP_TRUNC}, {"rint", WG_OP_RINT}, {"nearbyint", WG_OP_RINT},
    {"fabs", WG_OP_ABSOLUTE}, {NULL, 0}};

static const op_name binary_ops[] = {
    {"pow", WG_OP_POWER}, {"atan2", WG_OP_ARCTAN2}, {"hypot", WG_OP_HYPOT},
    {"copysign", WG_OP_COPYSIGN}, {"fmax", WG_OP_FMAX}, {"fmin", WG_OP_FMIN},
    {"fdivide", WG_OP_TRUE_DIVIDE}, {NULL, 0}};

static const char *const custom_unary[] = {"rsqrt", "round", "erf", "erfc", "erfcx", "erfinv",
                                           "erfcinv", "normcdf", "normcdfinv", "exp10",
                                           "saturate", "lgamma", "tgamma", NULL};

static int find_op(const op_name *t, const char *s, size_t n) {
    for (int i = 0; t[i].name; i++)
        if (strlen(t[i].name) == n && !memcmp(t[i].name, s, n)) return t[i].op;
    return -1;
}

static int in_list(const char *const *t, const char *s, size_t n) {
    for (int i = 0; t[i]; i++)
        if (strlen(t[i]) == n && !memcmp(t[i], s, n)) return 1;
    return 0;
}

static int known(const char *s, size_t n) {
    return find_op(unary_ops, s, n) >= 0 || find_op(binary_ops, s, n) >= 0 ||
           in_list(custom_unary, s, n) || (n == 4 && !memcmp(s, "fmod", 4)) ||
           (n == 3 && !memcmp(s, "fma", 3));
}

/* The float dtype a math function computes in for argument dtype dt.  A half argument computes
 * in float and the result is a float: CUDA has no half overloads of the math library, and
 * CuPy's float16 converts implicitly to float (tanh(h) * 0.5f + 0.5f rounds once, where it is
 * stored; a chain of erf's approximation steps in half would round at each). */
static int float_type(wgK_lw *L, int dt, int f32) {
    if (f32) return WG_FLOAT32;
    if (wgD_is_float(dt)) return dt == WG_FLOAT16 ? WG_FLOAT32 : wgK_canon(L, dt);
    return wgK_canon(L, WG_FLOAT64);
}

static wgK_val K(wgK_lw *L, int dt, double v) { return wgK_const(L, dt, v, (int64_t)v); }

static wgK_val add(wgK_lw *L, wgK_val a, wgK_val b) { return wgK_op2(L, WG_OP_ADD, a, b); }
static wgK_val sub(wgK_lw *L, wgK_val a, wgK_val b) { return wgK_op2(L, WG_OP_SUBTRACT, a, b); }
static wgK_val mul(wgK_lw *L, wgK_val a, wgK_val b) { return wgK_op2(L, WG_OP_MULTIPLY, a, b); }

/* c[0] + x*(c[1] + x*(c[2] + ...)) */
static wgK_val horner(wgK_lw *L, wgK_val x, const double *c, int n) {
    wgK_val r = K(L, x.dt, c[n - 1]);
    for (int i = n - 2; i >= 0; i--) r = add(L, K(L, x.dt, c[i]), mul(L, x, r));
    return r;
}

/* erfc(z) = t * exp(-z*z + P(t)), t = 1 / (1 + z/2), z >= 0: Numerical Recipes' Chebyshev fit,
 * relative error < 1.2e-7.  With square = 0 it gives erfcx(z) = exp(z*z) erfc(z). */
static wgK_val erfc_pos(wgK_lw *L, wgK_val z, int square) {
    static const double c[10] = {-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
                                 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277};
    wgK_val one = K(L, z.dt, 1.0);
    wgK_val t = wgK_op2(L, WG_OP_TRUE_DIVIDE, one, add(L, one, mul(L, K(L, z.dt, 0.5), z)));
    wgK_val e = horner(L, t, c, 10);
    if (square) e = sub(L, e, mul(L, z, z));
    return mul(L, t, wgK_op1(L, WG_OP_EXP, e));
}

static wgK_val erfc_(wgK_lw *L, wgK_val x) {
    wgK_val r = erfc_pos(L, wgK_op1(L, WG_OP_ABSOLUTE, x), 1);
    wgK_val neg = wgK_op2(L, WG_OP_LESS, x, K(L, x.dt, 0));
    return wgK_where(L, neg, sub(L, K(L, x.dt, 2), r), r);
}

static wgK_val erf_(wgK_lw *L, wgK_val x) {
    /* near zero 1 - erfc loses the relative accuracy: Taylor series there */
    static const double c[6] = {1.1283791670955126, -0.37612638903183754, 0.11283791670955126,
                                -0.026866170645131252, 0.0052239776254421878,
                                -0.00085483270234508529};
    wgK_val small = mul(L, x, horner(L, mul(L, x, x), c, 6));
    wgK_val ax = wgK_op1(L, WG_OP_ABSOLUTE, x);
    wgK_val big = wgK_op2(L, WG_OP_COPYSIGN, sub(L, K(L, x.dt, 1), erfc_pos(L, ax, 1)), x);
    return wgK_where(L, wgK_op2(L, WG_OP_LESS, ax, K(L, x.dt, 0.5)), small, big);
}

static wgK_val erfcx_(wgK_lw *L, wgK_val x) {
    wgK_val r = erfc_pos(L, wgK_op1(L, WG_OP_ABSOLUTE, x), 0);
    wgK_val two_exp = mul(L, K(L, x.dt, 2), wgK_op1(L, WG_OP_EXP, mul(L, x, x)));
    wgK_val neg = wgK_op2(L, WG_OP_LESS, x, K(L, x.dt, 0));
    return wgK_where(L, neg, sub(L, two_exp, r), r);
}

/* M. Giles, "Approximating the erfinv function" (GPU Computing Gems), single precision. */
static wgK_val erfinv_(wgK_lw *L, wgK_val x) {
    static const double a[9] = {1.50140941, 0.246640727, -0.00417768164, -0.00125372503,
                                0.00021858087, -4.39150654e-06, -3.5233877e-06, 3.43273939e-07,
                                2.81022636e-08};
    static const double b[9] = {2.83297682, 1.00167406, 0.00943887047, -0.0076224613,
                                0.00573950773, -0.00367342844, 0.00134934322, 0.000100950558,
                                -0.000200214257};
    wgK_val one = K(L, x.dt, 1);
    wgK_val w = wgK_op1(L, WG_OP_NEGATIVE,
                        wgK_op1(L, WG_OP_LOG, mul(L, sub(L, one, x), add(L, one, x))));
    wgK_val p1 = horner(L, sub(L, w, K(L, x.dt, 2.5)), a, 9);
    wgK_val p2 = horner(L, sub(L, wgK_op1(L, WG_OP_SQRT, w), K(L, x.dt, 3)), b, 9);
    wgK_val p = wgK_where(L, wgK_op2(L, WG_OP_LESS, w, K(L, x.dt, 5)), p1, p2);
    return mul(L, p, x);
}

/* log|Gamma(x)| by Lanczos (g = 7, 9 terms), with the reflection formula below 1/2.  *sign_neg
 * receives Gamma(x) < 0 (for tgamma). */
static wgK_val lgamma_(wgK_lw *L, wgK_val x, wgK_val *sign_neg) {
    static const double c[9] = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
                                771.32342877765313, -176.61502916214059, 12.507343278686905,
                                -0.13857109526572012, 9.9843695780195716e-6,
                                1.5056327351493116e-7};
    wgK_val one = K(L, x.dt, 1), half = K(L, x.dt, 0.5), pi = K(L, x.dt, 3.14159265358979323846);
    wgK_val reflect = wgK_op2(L, WG_OP_LESS, x, half);
    wgK_val z = sub(L, wgK_where(L, reflect, sub(L, one, x), x), one);
    wgK_val a = K(L, x.dt, c[0]);
    for (int i = 1; i < 9; i++)
        a = add(L, a, wgK_op2(L, WG_OP_TRUE_DIVIDE, K(L, x.dt, c[i]), add(L, z, K(L, x.dt, i))));
    wgK_val t = add(L, z, K(L, x.dt, 7.5));
    wgK_val lg = add(L, K(L, x.dt, 0.91893853320467274), /* log(sqrt(2 pi)) */
                     add(L, sub(L, mul(L, add(L, z, half), wgK_op1(L, WG_OP_LOG, t)), t),
                         wgK_op1(L, WG_OP_LOG, a)));
    wgK_val s = wgK_op1(L, WG_OP_SIN, mul(L, pi, x));
    wgK_val refl = sub(L, wgK_op1(L, WG_OP_LOG, wgK_op2(L, WG_OP_TRUE_DIVIDE, pi, wgK_op1(L, WG_OP_ABSOLUTE, s))), lg);
    if (sign_neg) *sign_neg = wgK_op2(L, WG_OP_LOGICAL_AND, reflect, wgK_op2(L, WG_OP_LESS, s, K(L, x.dt, 0)));
    return wgK_where(L, reflect, refl, lg);
}

static wgK_val tgamma_(wgK_lw *L, wgK_val x) {
    wgK_val neg = {-1, -1};
    wgK_val e = wgK_op1(L, WG_OP_EXP, lgamma_(L, x, &neg));
    return wgK_where(L, neg, wgK_op1(L, WG_OP_NEGATIVE, e), e);
}

static wgK_val round_(wgK_lw *L, wgK_val x) {
    /* CUDA rounds half away from zero */
    wgK_val t = wgK_op1(L, WG_OP_TRUNC, x);
    wgK_val frac = wgK_op1(L, WG_OP_ABSOLUTE, sub(L, x, t));
    wgK_val step = wgK_op2(L, WG_OP_COPYSIGN, K(L, x.dt, 1), x);
    wgK_val up = wgK_op2(L, WG_OP_GREATER_EQUAL, frac, K(L, x.dt, 0.5));
    return add(L, t, wgK_where(L, up, step, K(L, x.dt, 0)));
}

static wgK_val fmod_(wgK_lw *L, wgK_val a, wgK_val b) {
    /* NumPy's remainder has the divisor's sign, C's fmod the dividend's */
    wgK_val r = wgK_op2(L, WG_OP_REMAINDER, a, b);
    wgK_val zero = K(L, a.dt, 0);
    wgK_val differ = wgK_op2(L, WG_OP_NOT_EQUAL, wgK_op2(L, WG_OP_LESS, r, zero),
                             wgK_op2(L, WG_OP_LESS, a, zero));
    wgK_val fix = wgK_op2(L, WG_OP_LOGICAL_AND, wgK_op2(L, WG_OP_NOT_EQUAL, r, zero), differ);
    return wgK_where(L, fix, sub(L, r, b), r);
}

static wgK_val custom(wgK_lw *L, const wgK_node *call, const char *s, size_t n, wgK_val x) {
#define IS(lit) (n == sizeof lit - 1 && !memcmp(s, lit, n))
    if (IS("rsqrt")) return wgK_op1(L, WG_OP_RECIPROCAL, wgK_op1(L, WG_OP_SQRT, x));
    if (IS("round")) return round_(L, x);
    if (IS("erf")) return erf_(L, x);
    if (IS("erfc")) return erfc_(L, x);
    if (IS("erfcx")) return erfcx_(L, x);
    if (IS("erfinv")) return erfinv_(L, x);
    if (IS("erfcinv")) return erfinv_(L, sub(L, K(L, x.dt, 1), x));
    if (IS("normcdf"))
        return mul(L, K(L, x.dt, 0.5), erfc_(L, mul(L, x, K(L, x.dt, -0.70710678118654752))));
    if (IS("normcdfinv"))
        return mul(L, K(L, x.dt, 1.4142135623730951),
                   erfinv_(L, sub(L, mul(L, K(L, x.dt, 2), x), K(L, x.dt, 1))));
    if (IS("exp10")) return wgK_op1(L, WG_OP_EXP, mul(L, x, K(L, x.dt, 2.302585092994046)));
    if (IS("lgamma")) return lgamma_(L, x, NULL);
    if (IS("tgamma")) return tgamma_(L, x);
    if (IS("saturate"))
        return wgK_op2(L, WG_OP_FMIN, wgK_op2(L, WG_OP_FMAX, x, K(L, x.dt, 0)), K(L, x.dt, 1));
#undef IS
    return wgK_fail(L, WG_ERR_NOTIMPL, call, "this math function is not supported");
}

static wgK_val check_nargs(wgK_lw *L, const wgK_node *call, int nargs, int want) {
    if (nargs != want) return wgK_fail(L, WG_ERR_COMPILE, call, "wrong number of arguments");
    return (wgK_val){0, 0};
}

/* max, min, abs: integer overloads for integers */
static wgK_val generic(wgK_lw *L, const wgK_node *call, int is_max, int nargs, wgK_val *a) {
    if (!wgK_ok(check_nargs(L, call, nargs, 2))) return (wgK_val){-1, -1};
    int dt = wgK_arith_type(L, a[0].dt, a[1].dt);
    int op = wgD_is_float(dt) ? (is_max ? WG_OP_FMAX : WG_OP_FMIN)
                              : (is_max ? WG_OP_MAXIMUM : WG_OP_MINIMUM);
    return wgK_op2(L, op, wgK_cast(L, a[0], dt), wgK_cast(L, a[1], dt));
}

/* __float2int_rd and friends: round in the given mode, then convert. */
static wgK_val conversion(wgK_lw *L, const wgK_node *call, const char *s, size_t n, wgK_val x,
                          int *handled) {
    static const struct { const char *from; int dt; } types[] = {
        {"float", WG_FLOAT32}, {"double", WG_FLOAT64}, {"int", WG_INT32}, {"uint", WG_UINT32},
        {"ll", WG_INT64}, {"ull", WG_UINT64}};
    const char *two = memchr(s, '2', n);
    const char *us = two ? memchr(two, '_', n - (size_t)(two - s)) : NULL;
    if (!two || !us || (size_t)(s + n - us) != 3) return (wgK_val){-1, -1};
    int from = -1, to = -1;
    for (int i = 0; i < 6; i++) {
        if (strlen(types[i].from) == (size_t)(two - s) && !memcmp(types[i].from, s, (size_t)(two - s))) from = types[i].dt;
        if (strlen(types[i].from) == (size_t)(us - two - 1) && !memcmp(types[i].from, two + 1, (size_t)(us - two - 1))) to = types[i].dt;
    }
    if (from < 0 || to < 0) return (wgK_val){-1, -1};
    *handled = 1;
    int op = us[2] == 'd' && us[1] == 'r' ? WG_OP_FLOOR : us[2] == 'u' ? WG_OP_CEIL
           : us[2] == 'n' ? WG_OP_RINT : us[2] == 'z' ? WG_OP_TRUNC : -1;
    if (op < 0) return wgK_fail(L, WG_ERR_COMPILE, call, "unknown rounding mode");
    x = wgK_cast(L, x, wgK_canon(L, from));
    if (wgD_is_float(x.dt) && !wgD_is_float(to)) x = wgK_op1(L, op, x);
    return wgK_cast(L, x, wgK_canon(L, to));
}

/* __float_as_uint and kin: the argument converted (as C++ would) to the from type, its bits
 * reinterpreted (IR BITCAST: no arithmetic, so NaN payloads and -0.0 survive on every backend) */
static wgK_val bit_cast(wgK_lw *L, const wgK_node *call, const char *s, size_t n, int nargs,
                        wgK_val *a, int *handled) {
    static const struct { const char *name; int from, to; } casts[] = {
        {"__float_as_uint", WG_FLOAT32, WG_UINT32}, {"__float_as_int", WG_FLOAT32, WG_INT32},
        {"__uint_as_float", WG_UINT32, WG_FLOAT32}, {"__int_as_float", WG_INT32, WG_FLOAT32}};
    for (size_t c = 0; c < sizeof casts / sizeof casts[0]; c++) {
        if (strlen(casts[c].name) != n || memcmp(casts[c].name, s, n)) continue;
        *handled = 1;
        if (!wgK_ok(check_nargs(L, call, nargs, 1))) return (wgK_val){-1, -1};
        wgK_val x = wgK_cast(L, a[0], casts[c].from);
        if (!wgK_ok(x)) return x;
        return (wgK_val){wgK_emit(L, WG_OP_BITCAST, casts[c].to, 0, x.inst, -1, -1), casts[c].to};
    }
    *handled = 0;
    return (wgK_val){-1, -1};
}

wgK_val wgK_builtin(wgK_lw *L, const wgK_node *call, int nargs, wgK_val *a, int *handled) {
    const char *s = call->tok->text;
    size_t n = (size_t)call->tok->len;
    int f32 = 0;
    *handled = 1;
    if (n == 3 && (!memcmp(s, "max", 3) || !memcmp(s, "min", 3))) return generic(L, call, s[1] == 'a', nargs, a);
    if (n == 3 && !memcmp(s, "abs", 3)) {
        if (!wgK_ok(check_nargs(L, call, nargs, 1))) return (wgK_val){-1, -1};
        return wgK_op1(L, WG_OP_ABSOLUTE, wgK_cast(L, a[0], wgK_arith_type(L, a[0].dt, a[0].dt)));
    }
    if ((n == 5 && !memcmp(s, "isnan", 5)) || (n == 5 && !memcmp(s, "isinf", 5)) ||
        (n == 8 && !memcmp(s, "isfinite", 8)) || (n == 7 && !memcmp(s, "signbit", 7))) {
        if (!wgK_ok(check_nargs(L, call, nargs, 1))) return (wgK_val){-1, -1};
        wgK_val x = wgK_cast(L, a[0], float_type(L, a[0].dt, 0));
        if (s[0] == 's')
            return wgK_op2(L, WG_OP_LESS, wgK_op2(L, WG_OP_COPYSIGN, K(L, x.dt, 1), x), K(L, x.dt, 0));
        return wgK_op1(L, s[2] == 'n' ? WG_OP_ISNAN : s[2] == 'i' ? WG_OP_ISINF : WG_OP_ISFINITE, x);
    }
    if (n > 2 && s[0] == '_' && s[1] == '_') {
        wgK_val bc = bit_cast(L, call, s, n, nargs, a, handled);
        if (*handled) return bc;
        *handled = 1;
        wgK_val r = nargs == 1 ? conversion(L, call, s + 2, n - 2, a[0], handled) : (wgK_val){-1, -1};
        if (*handled && (wgK_ok(r) || wgB_failed(L->ctx))) return r;
        *handled = 1;
        s += 2;
        n -= 2;
        if (n > 1 && s[n - 1] == 'f' && !(n == 3 && !memcmp(s, "erf", 3))) n--;
        f32 = 1;
    } else if (!known(s, n) && n > 1 && s[n - 1] == 'f' && known(s, n - 1)) {
        n--;
        f32 = 1;
    }
    int op = find_op(unary_ops, s, n);
    if (op >= 0 || in_list(custom_unary, s, n)) {
        if (!wgK_ok(check_nargs(L, call, nargs, 1))) return (wgK_val){-1, -1};
        wgK_val x = wgK_cast(L, a[0], float_type(L, a[0].dt, f32));
        return op >= 0 ? wgK_op1(L, op, x) : custom(L, call, s, n, x);
    }
    op = find_op(binary_ops, s, n);
    int is_fmod = n == 4 && !memcmp(s, "fmod", 4);
    if (op >= 0 || is_fmod) {
        if (!wgK_ok(check_nargs(L, call, nargs, 2))) return (wgK_val){-1, -1};
        int dt = float_type(L, wgK_arith_type(L, a[0].dt, a[1].dt), f32);
        wgK_val x = wgK_cast(L, a[0], dt), y = wgK_cast(L, a[1], dt);
        return is_fmod ? fmod_(L, x, y) : wgK_op2(L, op, x, y);
    }
    if (n == 3 && !memcmp(s, "fma", 3)) {
        if (!wgK_ok(check_nargs(L, call, nargs, 3))) return (wgK_val){-1, -1};
        int dt = float_type(L, wgK_arith_type(L, wgK_arith_type(L, a[0].dt, a[1].dt), a[2].dt), f32);
        return add(L, mul(L, wgK_cast(L, a[0], dt), wgK_cast(L, a[1], dt)), wgK_cast(L, a[2], dt));
    }
    *handled = 0;
    return (wgK_val){-1, -1};
}
