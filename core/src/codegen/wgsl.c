/* wgsl — WGSL compute shaders from wg_kernel_ir (codegen.h and docs/webgpu.md are the contract).
 *
 * Instructions become expressions in expr.c (shared with GLSL, which has the value model: one
 * WGSL type per dtype class, narrow ints wrapped after every op, NumPy semantics in the prelude's
 * helper functions).  This file has the WGSL prelude, the bindings and the kernel shapes.
 *
 * Kernel shapes: ELEMENTWISE is one thread per point; REDUCE is a RED_WG-thread workgroup per (point,
 * slice) with a strided loop and a shared-memory tree, in one or two passes (gen_reduce); MATMUL
 * is a 256-thread workgroup per 64x64 output tile with K tiles in workgroup memory (gen_matmul).
 * Statement kernels (stmt = 1) are ELEMENTWISE too: stmt.c's walker and state, this file's
 * bindings (atomics) and raw output accessors (gen_stmt_kernel).
 * docs/webgpu.md has the dispatch rule the executor applies. */
#include "expr.h"
#include "stmt.h"
#include "../base/context.h"

#include <stdio.h>
#include <string.h>

/* The shared emitter (expr.c) under the short names this file has always used, in the WGSL
 * dialect. */
typedef wgC_sbuf sbuf;
typedef wgC_gen gen;
#define EXPR_MAX WGC_EXPR_MAX
#define sb_put wgC_put
#define xfmt wgC_xfmt
static inline __attribute__((unused)) char cls(int dt) { return wgC_cls(dt); }
static inline __attribute__((unused)) int width(int dt) { return wgC_width(dt); }
static inline __attribute__((unused)) const char *wty(int dt) { return wgC_ty(&wgC_wgsl_dialect, dt); }
static inline __attribute__((unused)) void wrap(char *out, const char *e, int dt) { wgC_wrap(out, e, dt); }
static inline __attribute__((unused)) void truth(char *out, const char *e, int dt) { wgC_truth(out, e, dt); }
static inline __attribute__((unused)) void cast_expr(char *out, const char *a, int sdt, int ddt) {
    wgC_cast(&wgC_wgsl_dialect, out, a, sdt, ddt);
}
static inline __attribute__((unused)) const char *zero_of(int dt) { return wgC_zero(dt); }
static inline __attribute__((unused)) const char *one_of(int dt) { return wgC_one(dt); }
static inline __attribute__((unused)) int fail(gen *g, int status, const char *what, int dt) {
    return wgC_fail(g, status, what, dt);
}
static inline __attribute__((unused)) int emit_program(gen *g, const wg_inst *prog, int n, const char *pfx, int is_post,
                               const char *indent) {
    return wgC_emit_program(g, prog, n, pfx, is_post, indent);
}
static inline __attribute__((unused)) int w_shape(const gen *g, int d) { return wgC_w_shape(g, d); }
static inline __attribute__((unused)) int w_in(const gen *g, int i) { return wgC_w_in(g, i); }
static inline __attribute__((unused)) int w_out(const gen *g, int j) { return wgC_w_out(g, j); }

/* ---- dtypes ---------------------------------------------------------------------------------- */
int wgC_wgsl_dtype_ok(int dt) {
    return dt == WG_BOOL || dt == WG_INT8 || dt == WG_INT16 || dt == WG_INT32 || dt == WG_UINT8 ||
           dt == WG_UINT16 || dt == WG_UINT32 || dt == WG_FLOAT32;
}

int wgC_wgsl_widened(int dt) {
    return dt == WG_BOOL || dt == WG_INT8 || dt == WG_INT16 || dt == WG_UINT8 || dt == WG_UINT16;
}

/* storage element type of a buffer viewed as dt */
static const char *sty(int dt) {
    switch (cls(dt)) {
    case 'b': return "u32";
    case 'i': return "i32";
    case 'u': return "u32";
    default: return "f32";
    }
}

/* ---- the prelude: argument access and NumPy-semantics helpers --------------------------------- */
static const char PRELUDE[] =
    "fn arg(i: u32) -> u32 { return wa[i >> 2u][i & 3u]; }\n"
    "fn ai(i: u32) -> i32 { return bitcast<i32>(wa[i >> 2u][i & 3u]); }\n"
    /* word 3 is 0: a runtime value, so that no compiler folds (and rejects) a constant inf/NaN */
    "fn f_inf() -> f32 { return bitcast<f32>(arg(3u) | 0x7f800000u); }\n"
    "fn f_nan() -> f32 { return bitcast<f32>(arg(3u) | 0x7fc00000u); }\n"
    "fn isnan_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }\n"
    "fn isinf_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }\n"
    "fn isfin_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) < 0x7f800000u; }\n"
    "fn copysign_f(a: f32, b: f32) -> f32 {\n"
    "  return bitcast<f32>((bitcast<u32>(a) & 0x7fffffffu) | (bitcast<u32>(b) & 0x80000000u));\n"
    "}\n"
    "fn sign_f(x: f32) -> f32 {\n"
    "  if (x > 0.0) { return 1.0; } if (x < 0.0) { return -1.0; } if (x == 0.0) { return 0.0; }\n"
    "  return x;\n"
    "}\n"
    "fn max_f(x: f32, y: f32) -> f32 { return select(y, x, x > y || isnan_f(x)); }\n"
    "fn min_f(x: f32, y: f32) -> f32 { return select(y, x, x < y || isnan_f(x)); }\n"
    "fn fmax_f(x: f32, y: f32) -> f32 { return select(y, x, x >= y || isnan_f(y)); }\n"
    "fn fmin_f(x: f32, y: f32) -> f32 { return select(y, x, x <= y || isnan_f(y)); }\n"
    "fn f2i32(x: f32) -> i32 {\n"
    "  if (x >= -2147483648.0 && x < 2147483648.0) { return i32(x); }\n"
    "  return bitcast<i32>(0x80000000u);\n"
    "}\n"
    "fn f2u32(x: f32) -> u32 {\n"
    "  if (x >= 2147483648.0) {\n"
    "    let y = x - 2147483648.0;\n"
    "    if (y < 2147483648.0) { return u32(y) + 0x80000000u; }\n"
    "    return 0u;\n"
    "  }\n"
    "  return bitcast<u32>(f2i32(x));\n"
    "}\n"
    "fn fdiv_i(x: i32, y: i32) -> i32 {\n"
    "  if (y == 0) { return 0; }\n"
    "  if (y == -1) { return 0 - x; }\n"
    "  var q = x / y;\n"
    "  if ((x % y != 0) && ((x < 0) != (y < 0))) { q = q - 1; }\n"
    "  return q;\n"
    "}\n"
    "fn rem_i(x: i32, y: i32) -> i32 {\n"
    "  if (y == 0 || y == -1) { return 0; }\n"
    "  var r = x % y;\n"
    "  if (r != 0 && ((r < 0) != (y < 0))) { r = r + y; }\n"
    "  return r;\n"
    "}\n"
    "fn fdiv_u(x: u32, y: u32) -> u32 { if (y == 0u) { return 0u; } return x / y; }\n"
    "fn rem_u(x: u32, y: u32) -> u32 { if (y == 0u) { return 0u; } return x % y; }\n"
    "fn pow_u(b0: u32, e0: u32) -> u32 {\n"
    "  var r = 1u; var b = b0; var e = e0;\n"
    "  loop { if (e == 0u) { break; } if ((e & 1u) != 0u) { r = r * b; } b = b * b; e = e >> 1u; }\n"
    "  return r;\n"
    "}\n"
    "fn pow_i(b: i32, e: i32) -> i32 {\n"
    "  if (e < 0) { return 0; }\n"
    "  return bitcast<i32>(pow_u(bitcast<u32>(b), bitcast<u32>(e)));\n"
    "}\n"
    "fn lsh_i(x: i32, y: i32, w: u32) -> i32 { if (bitcast<u32>(y) < w) { return x << bitcast<u32>(y); } return 0; }\n"
    "fn rsh_i(x: i32, y: i32, w: u32) -> i32 {\n"
    "  if (bitcast<u32>(y) < w) { return x >> bitcast<u32>(y); }\n"
    "  return select(0, -1, x < 0);\n"
    "}\n"
    "fn lsh_u(x: u32, y: u32, w: u32) -> u32 { if (y < w) { return x << y; } return 0u; }\n"
    "fn rsh_u(x: u32, y: u32, w: u32) -> u32 { if (y < w) { return x >> y; } return 0u; }\n"
    /* NumPy's npy_divmod for floats: floor quotient, remainder with the divisor's sign */
    "fn divmod_f(a: f32, b: f32) -> vec2<f32> {\n"
    "  if (isnan_f(a) || isnan_f(b)) { return vec2<f32>(f_nan(), f_nan()); }\n"
    "  if (b == 0.0) {\n"
    "    var q = f_nan();\n"
    "    if (a != 0.0) { q = copysign_f(f_inf(), a) * sign_f(copysign_f(1.0, b)); }\n"
    "    return vec2<f32>(q, f_nan());\n"
    "  }\n"
    "  if (isinf_f(a)) { return vec2<f32>(f_nan(), f_nan()); }\n"
    "  var m = a - b * trunc(a / b);\n"
    "  if (isinf_f(b)) { m = a; }\n"
    "  if (abs(m) >= abs(b)) { m = 0.0; }\n"
    "  var d = (a - m) / b;\n"
    "  if (m != 0.0) {\n"
    "    if ((b < 0.0) != (m < 0.0)) { m = m + b; d = d - 1.0; }\n"
    "  } else {\n"
    "    m = copysign_f(0.0, b);\n"
    "  }\n"
    "  var fd: f32;\n"
    "  if (d != 0.0) {\n"
    "    fd = floor(d);\n"
    "    if (d - fd > 0.5) { fd = fd + 1.0; }\n"
    "  } else {\n"
    "    fd = copysign_f(0.0, a / b);\n"
    "  }\n"
    "  return vec2<f32>(fd, m);\n"
    "}\n"
    "fn pow_f(x: f32, y: f32) -> f32 {\n"
    "  if (y == 0.0 || x == 1.0) { return 1.0; }\n"
    "  if (isnan_f(x) || isnan_f(y)) { return f_nan(); }\n"
    "  let ax = abs(x);\n"
    "  let yint = isfin_f(y) && trunc(y) == y;\n"
    "  let odd = yint && abs(y) < 16777216.0 && trunc(y * 0.5) * 2.0 != y;\n"
    "  if (isinf_f(y)) {\n"
    "    if (ax == 1.0) { return 1.0; }\n"
    "    if ((ax > 1.0) == (y > 0.0)) { return f_inf(); }\n"
    "    return 0.0;\n"
    "  }\n"
    "  if (x == 0.0 || isinf_f(x)) {\n"
    "    var r = 0.0;\n"
    "    if ((y < 0.0) == (x == 0.0)) { r = f_inf(); }\n"
    "    if (odd) { r = copysign_f(r, x); }\n"
    "    return r;\n"
    "  }\n"
    "  if (x < 0.0 && !yint) { return f_nan(); }\n"
    "  var r: f32;\n"
    "  if (yint && abs(y) <= 64.0) {\n"
    "    var e = u32(abs(y)); var b = ax; r = 1.0;\n"
    "    loop { if (e == 0u) { break; } if ((e & 1u) != 0u) { r = r * b; } b = b * b; e = e >> 1u; }\n"
    "    if (y < 0.0) { r = 1.0 / r; }\n"
    "  } else {\n"
    "    r = pow(ax, y);\n"
    "  }\n"
    "  if (x < 0.0 && odd) { r = -r; }\n"
    "  return r;\n"
    "}\n"
    "fn sqrt_f(x: f32) -> f32 { if (x < 0.0) { return f_nan(); } return sqrt(x); }\n"
    "fn log_f(x: f32) -> f32 {\n"
    "  if (x < 0.0 || isnan_f(x)) { return f_nan(); } if (x == 0.0) { return -f_inf(); }\n"
    "  if (isinf_f(x)) { return x; } return log(x);\n"
    "}\n"
    "fn log2_f(x: f32) -> f32 {\n"
    "  if (x < 0.0 || isnan_f(x)) { return f_nan(); } if (x == 0.0) { return -f_inf(); }\n"
    "  if (isinf_f(x)) { return x; } return log2(x);\n"
    "}\n"
    "fn log10_f(x: f32) -> f32 { return log2_f(x) * 0.30102999566398120; }\n"
    "fn log1p_f(x: f32) -> f32 {\n"
    "  let u = 1.0 + x;\n"
    "  if (u == 1.0) { return x; }\n"
    "  if (isinf_f(u)) { return log_f(u); }\n"
    "  return log_f(u) * x / (u - 1.0);\n"
    "}\n"
    "fn exp_f(x: f32) -> f32 {\n"
    "  if (isnan_f(x)) { return x; } if (x > 88.72284) { return f_inf(); } if (x < -103.97209) { return 0.0; }\n"
    "  return exp(x);\n"
    "}\n"
    "fn exp2_f(x: f32) -> f32 {\n"
    "  if (isnan_f(x)) { return x; } if (x >= 128.0) { return f_inf(); } if (x < -150.0) { return 0.0; }\n"
    "  return exp2(x);\n"
    "}\n"
    "fn expm1_f(x: f32) -> f32 {\n"
    "  let u = exp_f(x);\n"
    "  if (u == 1.0) { return x; }\n"
    "  let um1 = u - 1.0;\n"
    "  if (um1 == -1.0) { return -1.0; }\n"
    "  if (isinf_f(u)) { return u; }\n"
    "  return um1 * x / log(u);\n"
    "}\n"
    /* hyperbolic functions: the builtins overflow inside (cosh(NaN) = inf, tanh(inf) = NaN) */
    "fn sinh_f(x: f32) -> f32 { if (!isfin_f(x)) { return x; } return sinh(x); }\n"
    "fn cosh_f(x: f32) -> f32 { if (!isfin_f(x)) { return abs(x); } return cosh(x); }\n"
    "fn tanh_f(x: f32) -> f32 {\n"
    "  if (isnan_f(x) || abs(x) < 1.0e-4) { return x; }\n"
    "  if (abs(x) > 9.1) { return copysign_f(1.0, x); }\n"
    "  return tanh(x);\n"
    "}\n"
    "fn cbrt_f(x: f32) -> f32 {\n"
    "  if (x == 0.0 || !isfin_f(x)) { return x; }\n"
    "  var r = pow(abs(x), 1.0 / 3.0);\n"
    "  r = r - (r * r * r - abs(x)) / (3.0 * r * r);\n"
    "  return copysign_f(r, x);\n"
    "}\n"
    /* sin, cos and tan: Cody-Waite reduction x = k pi/2 + r with pi/2 in five parts (the first
     * four of 8 bits, so k * part is exact for |k| < 2^16, |x| < ~1e5), then Cephes' minimax
     * polynomials on [-pi/4, pi/4].  atan2 (C's special values, signed zeros) from an atan
     * polynomial on [0, 1] with the argument folded at tan(pi/8), and pi/2, pi in two parts.
     * Drivers' builtins are ~2e-5 relative off (SwiftShader); these are within a few ulp.
     * Mirrored in glsl.c. */
    "fn trig_r(x: f32, k: f32) -> f32 {\n"
    "  return ((((x - k * 1.5703125) - k * 4.8255920410156250e-4) - k * 1.2665987014770508e-6) -\n"
    "          k * 9.8953023552894592e-10) - k * 2.5633440682570896e-12;\n"
    "}\n"
    "fn sin_poly(r: f32, z: f32) -> f32 {\n"
    "  return ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;\n"
    "}\n"
    "fn cos_poly(z: f32) -> f32 {\n"
    "  return ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z -\n"
    "         0.5 * z + 1.0;\n"
    "}\n"
    "fn sin_f(x: f32) -> f32 {\n"
    "  if (!isfin_f(x)) { return f_nan(); }\n"
    "  if (abs(x) < 1.0e-4) { return x; }\n"
    "  let k = floor(x * 0.63661977236758134 + 0.5);\n"
    "  let r = trig_r(x, k);\n"
    "  let q = k - 4.0 * floor(k * 0.25);\n"
    "  let z = r * r;\n"
    "  let v = select(sin_poly(r, z), cos_poly(z), q == 1.0 || q == 3.0);\n"
    "  return select(v, -v, q >= 2.0);\n"
    "}\n"
    "fn cos_f(x: f32) -> f32 {\n"
    "  if (!isfin_f(x)) { return f_nan(); }\n"
    "  let k = floor(x * 0.63661977236758134 + 0.5);\n"
    "  let r = trig_r(x, k);\n"
    "  let q = k - 4.0 * floor(k * 0.25);\n"
    "  let z = r * r;\n"
    "  let v = select(cos_poly(z), sin_poly(r, z), q == 1.0 || q == 3.0);\n"
    "  return select(v, -v, q == 1.0 || q == 2.0);\n"
    "}\n"
    "fn tan_f(x: f32) -> f32 {\n"
    "  if (!isfin_f(x)) { return f_nan(); }\n"
    "  if (abs(x) < 1.0e-4) { return x; }\n"
    "  let k = floor(x * 0.63661977236758134 + 0.5);\n"
    "  let r = trig_r(x, k);\n"
    "  let z = r * r;\n"
    "  var t = r;\n"
    "  if (z > 1.0e-8) {\n"
    "    t = (((((9.38540185543e-3 * z + 3.11992232697e-3) * z + 2.44301354525e-2) * z +\n"
    "          5.34112807005e-2) * z + 1.33387994085e-1) * z + 3.33331568548e-1) * z * r + r;\n"
    "  }\n"
    "  if (k - 2.0 * floor(k * 0.5) == 1.0) { t = -1.0 / t; }\n"
    "  return t;\n"
    "}\n"
    /* atan(t) for 0 <= t <= 1 */
    "fn atan_core(t: f32) -> f32 {\n"
    "  var y0: f32 = 0.0; var lo: f32 = 0.0; var u = t;\n"
    "  if (t > 0.41421356237309505) { y0 = 0.78539818525314331; lo = -2.1855695e-8; u = (t - 1.0) / (t + 1.0); }\n"
    "  let z = u * u;\n"
    "  return y0 + (((((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z -\n"
    "                3.33329491539e-1) * z * u + lo) + u);\n"
    "}\n"
    "fn atan2_f(y: f32, x: f32) -> f32 {\n"
    "  if (isnan_f(x) || isnan_f(y)) { return f_nan(); }\n"
    "  let ax = abs(x); let ay = abs(y);\n"
    "  let xneg = bitcast<u32>(x) >= 0x80000000u;\n"
    "  var r: f32;\n"
    "  if (ay == 0.0) { r = select(0.0, 3.1415927410125732, xneg); }\n"
    "  else if (ax == 0.0) { r = 1.5707963705062866; }\n"
    "  else if (isinf_f(ax) && isinf_f(ay)) { r = select(0.78539818525314331, 2.3561944961547852, xneg); }\n"
    "  else if (isinf_f(ax)) { r = select(0.0, 3.1415927410125732, xneg); }\n"
    "  else if (isinf_f(ay)) { r = 1.5707963705062866; }\n"
    "  else {\n"
    "    if (ay <= ax) { r = atan_core(ay / ax); }\n"
    "    else { r = (1.5707963705062866 - atan_core(ax / ay)) - 4.371139e-8; }\n"
    "    if (xneg) { r = (3.1415927410125732 - r) - 8.742278e-8; }\n"
    "  }\n"
    "  return copysign_f(r, y);\n"
    "}\n"
    "fn atan_f(x: f32) -> f32 { return atan2_f(x, 1.0); }\n"
    /* inverse functions with their domains (drivers' builtins return garbage outside them) */
    "fn asin_f(x: f32) -> f32 {\n"
    "  if (!(abs(x) <= 1.0)) { return f_nan(); } return atan2_f(x, sqrt((1.0 - x) * (1.0 + x)));\n"
    "}\n"
    "fn acos_f(x: f32) -> f32 {\n"
    "  if (!(abs(x) <= 1.0)) { return f_nan(); } return atan2_f(sqrt((1.0 - x) * (1.0 + x)), x);\n"
    "}\n"
    "fn asinh_f(x: f32) -> f32 {\n"
    "  let a = abs(x);\n"
    "  if (!isfin_f(x) || a == 0.0) { return x; }\n"
    "  var r: f32;\n"
    "  if (a > 1.0e18) { r = log(a) + 0.6931471805599453; }\n"
    "  else { r = log1p_f(a + a * a / (1.0 + sqrt(1.0 + a * a))); }\n"
    "  return copysign_f(r, x);\n"
    "}\n"
    "fn acosh_f(x: f32) -> f32 {\n"
    "  if (!(x >= 1.0)) { return f_nan(); } if (isinf_f(x)) { return x; }\n"
    "  if (x > 1.0e18) { return log(x) + 0.6931471805599453; }\n"
    "  let t = x - 1.0;\n"
    "  return log1p_f(t + sqrt(2.0 * t + t * t));\n"
    "}\n"
    "fn atanh_f(x: f32) -> f32 {\n"
    "  let a = abs(x);\n"
    "  if (!(a <= 1.0)) { return f_nan(); } if (a == 1.0) { return copysign_f(f_inf(), x); }\n"
    "  return copysign_f(0.5 * log1p_f(2.0 * a / (1.0 - a)), x);\n"
    "}\n"
    "fn hypot_f(x: f32, y: f32) -> f32 {\n"
    "  let a = abs(x); let b = abs(y);\n"
    "  if (isinf_f(a) || isinf_f(b)) { return f_inf(); }\n"
    "  if (isnan_f(a) || isnan_f(b)) { return f_nan(); }\n"
    "  let m = max(a, b);\n"
    "  if (m == 0.0) { return 0.0; }\n"
    "  let r = min(a, b) / m;\n"
    "  return m * sqrt(1.0 + r * r);\n"
    "}\n";

int wgC_wgsl_arg_words(const wg_kernel_ir *k) {
    int nst = k->kind == WG_K_REDUCE ? k->ndim - k->nred : k->ndim;
    /* REDUCE: two more words at the end, slices and phase (gen_reduce) */
    return 4 + k->ndim + k->ninputs * (1 + k->ndim) + k->noutputs * (1 + nst) + k->nparams +
           (k->kind == WG_K_REDUCE ? 2 : 0);
}

/* the shared scaffolding (expr.c) under this file's names */
static void unravel(gen *g, const char *var, int d0, int d1, const char *indent) {
    wgC_unravel(g, var, d0, d1, indent, 0);
}

static void offset_terms(gen *g, int w, int d0, int d1) { wgC_offset_terms(g, w, d0, d1); }

static void store_out(gen *g, int j, const char *val, int vdt, const char *indent) {
    int odt = g->k->output_dtype[j];
    char e[EXPR_MAX], t[EXPR_MAX];
    cast_expr(e, val, vdt, odt);
    if (cls(odt) == 'b') xfmt(t, "select(0u, 1u, %s)", e);
    else xfmt(t, "%s", e);
    sb_put(g->s, "%sb_out%d[o_out%d] = %s;\n", indent, j, j, t);
}

static void gen_elementwise(gen *g) {
    const wg_kernel_ir *k = g->k;
    unravel(g, "p", 0, k->ndim, "  ");
    for (int i = 0; i < k->ninputs; i++) {
        sb_put(g->s, "  let o_in%d = ai(%du)", i, w_in(g, i));
        offset_terms(g, w_in(g, i), 0, k->ndim);
        sb_put(g->s, ";\n");
    }
    for (int j = 0; j < k->noutputs; j++) {
        sb_put(g->s, "  let o_out%d = ai(%du)", j, w_out(g, j));
        offset_terms(g, w_out(g, j), 0, k->ndim);
        sb_put(g->s, ";\n");
    }
    if (emit_program(g, k->inst, k->ninst, "v", 0, "  ")) return;
    for (int j = 0; j < k->noutputs; j++) {
        char name[32];
        if (k->out_inst[j] >= k->ninst) {
            fail(g, WG_ERR_INTERNAL, "output instruction out of range", 0);
            return;
        }
        snprintf(name, sizeof name, "v%u", (unsigned)k->out_inst[j]);
        store_out(g, j, name, k->inst[k->out_inst[j]].dtype, "  ");
    }
}

/* ELEMENTWISE, the entry point `main_vec4`: four consecutive points per thread, for dispatches whose
 * operands are all contiguous and 16-byte aligned (the executor's rule, docs/webgpu.md).  Each input
 * is read as one vec4 of its storage type into a local array that shadows its binding, so that the
 * program's loads `b_in<i>[o_in<i>]` read lane o_in<i>; the program runs once per lane; each output
 * is collected in a local array that shadows its binding and written as one vec4.  Wide loads and
 * stores are what a bandwidth-bound kernel needs (bench/h100/kernel_probe.mjs: 2x on an H100). */
static int uses_index(const wg_kernel_ir *k) {
    for (int i = 0; i < k->ninst; i++)
        if (k->inst[i].op == WG_OP_INDEX) return 1;
    return 0;
}

/* a REDUCE whose post program reads an input (`out += ...`): no vec4 entry, which would bind the
 * input both as b_in<i>v and b_in<i> */
static int post_loads(const wg_kernel_ir *k) {
    for (int i = 0; i < k->npost; i++)
        if (k->post[i].op == WG_OP_LOAD) return 1;
    return 0;
}

static void gen_elementwise_vec4(gen *g) {
    const wg_kernel_ir *k = g->k;
    if (g->err) return;
    int index = uses_index(k);
    for (int i = 0; i < k->ninputs; i++)
        sb_put(g->s, "@group(0) @binding(%d) var<storage, read> b_in%dv: array<vec4<%s>>;\n", 1 + i, i,
               sty(k->input_dtype[i]));
    for (int j = 0; j < k->noutputs; j++)
        sb_put(g->s, "@group(0) @binding(%d) var<storage, read_write> b_out%dv: array<vec4<%s>>;\n",
               1 + k->ninputs + j, j, sty(k->output_dtype[j]));
    sb_put(g->s, "@compute @workgroup_size(%d)\nfn main_vec4(@builtin(global_invocation_id) gid: vec3<u32>) {\n"
                 "  let p0 = (gid.x + gid.y * arg(2u)) * 4u;\n  if (p0 >= arg(0u)) { return; }\n",
           WGC_WGSL_WORKGROUP);
    for (int i = 0; i < k->ninputs; i++) {
        const char *t = sty(k->input_dtype[i]);
        sb_put(g->s, "  let q_in%d = b_in%dv[(u32(ai(%du)) + p0) / 4u];\n"
                     "  let b_in%d = array<%s, 4>(q_in%d.x, q_in%d.y, q_in%d.z, q_in%d.w);\n",
               i, i, w_in(g, i), i, t, i, i, i, i);
    }
    for (int j = 0; j < k->noutputs; j++)
        sb_put(g->s, "  var b_out%d: array<%s, 4>;\n", j, sty(k->output_dtype[j]));
    for (int lane = 0; lane < 4; lane++) {
        sb_put(g->s, "  {\n");
        if (index) {
            sb_put(g->s, "    let p = p0 + %du;\n", lane);
            unravel(g, "p", 0, k->ndim, "    ");
        }
        for (int i = 0; i < k->ninputs; i++) sb_put(g->s, "    let o_in%d = %d;\n", i, lane);
        for (int j = 0; j < k->noutputs; j++) sb_put(g->s, "    let o_out%d = %d;\n", j, lane);
        if (emit_program(g, k->inst, k->ninst, "v", 0, "    ")) return;
        for (int j = 0; j < k->noutputs; j++) {
            char name[32];
            snprintf(name, sizeof name, "v%u", (unsigned)k->out_inst[j]);
            store_out(g, j, name, k->inst[k->out_inst[j]].dtype, "    ");
        }
        sb_put(g->s, "  }\n");
    }
    for (int j = 0; j < k->noutputs; j++)
        sb_put(g->s, "  b_out%dv[(u32(ai(%du)) + p0) / 4u] = vec4<%s>(b_out%d[0], b_out%d[1], b_out%d[2], b_out%d[3]);\n",
               j, w_out(g, j), sty(k->output_dtype[j]), j, j, j, j);
    sb_put(g->s, "}\n");
}

/* ---- REDUCE: one workgroup of WGC_WGSL_RED_WG threads per task --------------------------------
 * Words (after the parameters): slices S, phase.  Phase 0: task g = (point p = g / S, slice
 * s = g % S); the workgroup folds reduced indices [s*chunk, min((s+1)*chunk, nr)) (chunk =
 * ceil(nr / S) rounded up to a multiple of the workgroup size; a strided loop per thread, then a
 * shared-memory tree).  With S == 1 it runs the post program and stores; with S > 1 it writes its
 * partial (value bits, index) to b_part[2g], b_part[2g + 1], and phase 1 (task = point) folds the S
 * partials of its point the same way and finishes.  The combine operators are associative (and,
 * for arg reductions, a total order with the lower index breaking ties), so any tree order gives
 * NumPy's answer (float sums: up to rounding). */
static void part_load(char *out, const char *idx, int adt) {
    switch (cls(adt)) {
    case 'b': xfmt(out, "(b_part[%s] != 0u)", idx); break;
    case 'i': xfmt(out, "bitcast<i32>(b_part[%s])", idx); break;
    case 'u': xfmt(out, "b_part[%s]", idx); break;
    default: xfmt(out, "bitcast<f32>(b_part[%s])", idx); break;
    }
}

static void part_bits(char *out, const char *v, int adt) {
    switch (cls(adt)) {
    case 'b': xfmt(out, "select(0u, 1u, %s)", v); break;
    case 'u': xfmt(out, "%s", v); break;
    default: xfmt(out, "bitcast<u32>(%s)", v); break;
    }
}

/* the reduce helpers: comb(a, b) (folds), or better(va, ia, vb, ib) (arg folds: b replaces a) */
static int reduce_helpers(gen *g, int *acc_is_bool) { return wgC_reduce_helpers(g, acc_is_bool); }

static const char *reduce_identity(const wg_kernel_ir *k) {
    return wgC_reduce_identity(&wgC_wgsl_dialect, k);
}

/* Whether REDUCE's per-element program only reads (loads and casts: sum, max, mean of an input),
 * the memory-bound folds that several loads a step serve.  Other programs keep one load a step:
 * their body is emitted 4 x loads times, and SwiftShader's compiler (the GPU class forced on a
 * CPU adapter, as the webgpu tests do) ran out of memory on count_nonzero's 16 copies of its
 * NaN-aware comparison. */
static int red_loads_only(const wg_kernel_ir *k) {
    if (k->ninst > WGC_WGSL_RED_LOADS_MAX) return 0;
    for (int i = 0; i < k->ninst; i++)
        if (k->inst[i].op != WG_OP_LOAD && k->inst[i].op != WG_OP_CAST) return 0;
    return 1;
}

/* gen_reduce's vec4 step, in two parts so that several steps' loads can be issued together:
 * the loads `q<j>_in<i>` of each input's vec4 at element r + off·4·RED_WG (off < 0: at r itself,
 * the one-load loop), then the four lanes' folds of step j, in index order */
static void red_vec4_loads(gen *g, int j, int off) {
    for (int i = 0; i < g->k->ninputs; i++) {
        char at[48];
        if (off > 0) snprintf(at, sizeof at, "r + %du * st4", off);
        else snprintf(at, sizeof at, "r");
        sb_put(g->s, "      let q%d_in%d = b_in%dv[u32(base_in%d + i32(%s)) / 4u];\n", j, i, i, i, at);
    }
}
static int red_vec4_folds(gen *g, int j, const char *x, int isarg, int lanes) {
    const wg_kernel_ir *k = g->k;
    const char *ind = "          ";
    sb_put(g->s, "      {\n");
    for (int i = 0; i < k->ninputs; i++)
        sb_put(g->s, "        let b_in%d = array<%s, 4>(q%d_in%d.x, q%d_in%d.y, q%d_in%d.z, q%d_in%d.w);\n",
               i, sty(k->input_dtype[i]), j, i, j, i, j, i, j, i);
    for (int lane = 0; lane < 4; lane++) {
        sb_put(g->s, "        {\n");
        for (int i = 0; i < k->ninputs; i++) sb_put(g->s, "%slet o_in%d = %d;\n", ind, i, lane);
        if (emit_program(g, k->inst, k->ninst, "v", 0, ind)) return 1;
        sb_put(g->s, "%slet x = %s;\n", ind, x);
        if (isarg)
            sb_put(g->s, "%sif (better(ta, ti, x, i32(r + %du))) { ta = x; ti = i32(r + %du); }\n", ind,
                   lane, lane);
        else if (lanes && lane) sb_put(g->s, "%sta%d = comb(ta%d, x);\n", ind, lane, lane);
        else sb_put(g->s, "%sta = comb(ta, x);\n", ind);
        sb_put(g->s, "        }\n");
    }
    sb_put(g->s, "      }\n");
    return 0;
}

/* one element's fold at index r by strides (main's scalar loop, main_pt's): the element's offsets,
 * the program, and the fold of its value x (arg folds keep the first occurrence) */
static int red_scalar_fold(gen *g, const char *x, int isarg, const char *ind) {
    const wg_kernel_ir *k = g->k;
    int nkeep = k->ndim - k->nred;
    unravel(g, "r", nkeep, k->ndim, ind);
    for (int i = 0; i < k->ninputs; i++) {
        sb_put(g->s, "%slet o_in%d = base_in%d", ind, i, i);
        offset_terms(g, w_in(g, i), nkeep, k->ndim);
        sb_put(g->s, ";\n");
    }
    if (emit_program(g, k->inst, k->ninst, "v", 0, ind)) return 1;
    sb_put(g->s, "%slet x = %s;\n", ind, x);
    if (isarg) sb_put(g->s, "%sif (better(ta, ti, x, i32(r))) { ta = x; ti = i32(r); }\n", ind);
    else sb_put(g->s, "%sta = comb(ta, x);\n", ind);
    return 0;
}

/* vec4: the entry point `main_vec4`, for inputs contiguous over the reduced dims with 16-byte
 * aligned rows (the executor's rule, docs/webgpu.md): each thread folds 4 consecutive reduced
 * elements per step from one vec4 load per input (local arrays shadow the bindings, as in
 * gen_elementwise_vec4), in index order, so arg folds keep the first occurrence. */
static void gen_reduce(gen *g, int vec4) {
    const wg_kernel_ir *k = g->k;
    int nkeep = k->ndim - k->nred, fold = k->fold, adt = k->acc_dtype;
    int isarg = fold == WG_FOLD_ARGMIN || fold == WG_FOLD_ARGMAX, accb = 0;
    int wS = wgC_wgsl_arg_words(k) - 2, W = WGC_WGSL_RED_WG;
    if (adt == WG_FLOAT16) {
        fail(g, WG_ERR_NOTIMPL, "a reduction's accumulator", adt);
        return;
    }
    if (k->out_inst[0] >= k->ninst) {
        fail(g, WG_ERR_INTERNAL, "reduction value out of range", 0);
        return;
    }
    if (k->npost < 1) {
        fail(g, WG_ERR_INTERNAL, "a reduction without a post program", 0);
        return;
    }
    if (vec4) {
        accb = fold == WG_FOLD_ANY || fold == WG_FOLD_ALL; /* helpers and shared arrays exist */
        for (int i = 0; i < k->ninputs; i++)
            sb_put(g->s, "@group(0) @binding(%d) var<storage, read> b_in%dv: array<vec4<%s>>;\n", 1 + i,
                   i, sty(k->input_dtype[i]));
    } else if (reduce_helpers(g, &accb)) {
        return;
    } else {
        wgC_raw_input_helpers(g); /* a raw input read by element (LOAD_AT) */
    }
    const char *T = accb ? "bool" : wty(adt);
    if (!vec4) {
    /* the workgroup size: a pipeline-overridable constant, so that the executor sizes the shape to
     * the adapter (docs/webgpu.md, Geometry: fewer threads where the adapter is a CPU) */
    sb_put(g->s, "override RED_WG: u32 = %du;\n", W);
    sb_put(g->s, "var<workgroup> sh_v: array<%s, RED_WG>;\n", T);
    if (isarg) sb_put(g->s, "var<workgroup> sh_i: array<i32, RED_WG>;\n");
    }
    sb_put(g->s, "@compute @workgroup_size(RED_WG)\n"
                 "fn main%s(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {\n"
                 "  let g = wid.x + wid.y * arg(2u);\n"
                 "  let ns = arg(%du);\n  let phase = arg(%du);\n"
                 "  var ntask = arg(0u);\n  if (phase == 0u) { ntask = ntask * ns; }\n"
                 "  if (g >= ntask) { return; }\n"
                 "  var p = g;\n  var s = 0u;\n  if (phase == 0u) { p = g / ns; s = g %% ns; }\n",
           vec4 ? "_vec4" : "", wS, wS + 1);
    sb_put(g->s, "  var ta: %s = %s;\n", T, reduce_identity(k));
    if (isarg) sb_put(g->s, "  var ti: i32 = -1;\n");
    sb_put(g->s, "  if (phase == 0u) {\n");
    unravel(g, "p", 0, nkeep, "    ");
    for (int i = 0; i < k->ninputs; i++) {
        sb_put(g->s, "    let base_in%d = ai(%du)", i, w_in(g, i));
        offset_terms(g, w_in(g, i), 0, nkeep);
        sb_put(g->s, ";\n");
    }
    /* On a CPU adapter each thread folds a long serial segment (docs/webgpu.md, Geometry: 8192
     * float32 for 1M on 2 cores), so the wide loop keeps one accumulator per lane (ta, ta1..3),
     * combined after the loop: a quarter of the serial chain's rounding at the same cost (the
     * combine is associative; arg folds keep one pair, their order rule needs no lanes). */
    if (wgC_emit_params(g, k->inst, k->ninst, "v", "    ")) return; /* once, not per element */
    int lanes = vec4 && !isarg && g->ctx->adapter_cpu_like;
    if (lanes) sb_put(g->s, "    var ta1 = ta;\n    var ta2 = ta;\n    var ta3 = ta;\n");
    int U = 1; /* vec4 loads a step (GPU adapters, sum-like folds of short programs) */
    if (vec4 && !isarg && !lanes && red_loads_only(k))
        U = g->ctx->red_loads ? g->ctx->red_loads : WGC_WGSL_RED_LOADS;
    sb_put(g->s, "    let nr = arg(1u);\n"
                 "    let chunk = ((nr / ns + select(0u, 1u, nr %% ns != 0u)) + RED_WG - 1u) / RED_WG * RED_WG;\n"
                 "    let lo = s * chunk;\n    let hi = min(lo + chunk, nr);\n");
    char val[32], x[EXPR_MAX], y[EXPR_MAX];
    snprintf(val, sizeof val, "v%u", (unsigned)k->out_inst[0]);
    int vdt = k->inst[k->out_inst[0]].dtype;
    if (accb) truth(x, val, vdt);
    else cast_expr(x, val, vdt, adt);
    if (U > 1) {
        /* U loads of the thread's next U vec4s, then their folds in index order; a tail of
         * single steps (counted loops with a literal bound, as below) */
        sb_put(g->s, "    let st4 = 4u * RED_WG;\n    var r = lo + lid * 4u;\n"
                     "    for (var it: u32 = 0u; it < 4294967295u; it = it + 1u) {\n"
                     "      if (r + %du * st4 >= hi) { break; }\n", U - 1);
        for (int j = 0; j < U; j++) red_vec4_loads(g, j, j);
        for (int j = 0; j < U; j++)
            if (red_vec4_folds(g, j, x, isarg, lanes)) return;
        sb_put(g->s, "      r = r + %du * st4;\n    }\n"
                     "    for (var it: u32 = 0u; it < %du; it = it + 1u) {\n"
                     "      if (r >= hi) { break; }\n", U, U - 1);
        red_vec4_loads(g, 0, 0);
        if (red_vec4_folds(g, 0, x, isarg, lanes)) return;
        sb_put(g->s, "      r = r + st4;\n");
    } else {
        /* counted loops with a literal bound: Tint guards any other loop (stmt.c "counted
         * loop"); the break keeps the trip count */
        sb_put(g->s, "    for (var it: u32 = 0u; it < 4294967295u; it = it + 1u) {\n"
                     "      let r = lo + lid%s + it * %sRED_WG;\n      if (r >= hi) { break; }\n",
               vec4 ? " * 4u" : "", vec4 ? "4u * " : "");
        if (vec4) {
            red_vec4_loads(g, 0, -1);
            if (red_vec4_folds(g, 0, x, isarg, lanes)) return;
        } else if (red_scalar_fold(g, x, isarg, "      ")) {
            return;
        }
    }
    sb_put(g->s, "    }\n");
    g->params_hoisted = 0;
    if (lanes) sb_put(g->s, "    ta = comb(comb(ta, ta1), comb(ta2, ta3));\n");
    sb_put(g->s, "  } else {\n    let pb = p * ns;\n"
                 "    for (var t: u32 = lid; t < ns; t = t + RED_WG) {\n");
    part_load(y, "2u * (pb + t)", accb ? WG_BOOL : adt);
    sb_put(g->s, "      let y = %s;\n", y);
    if (isarg)
        sb_put(g->s, "      let yi = bitcast<i32>(b_part[2u * (pb + t) + 1u]);\n"
                     "      if (better(ta, ti, y, yi)) { ta = y; ti = yi; }\n");
    else sb_put(g->s, "      ta = comb(ta, y);\n");
    sb_put(g->s, "    }\n  }\n  sh_v[lid] = ta;\n");
    if (isarg) sb_put(g->s, "  sh_i[lid] = ti;\n");
    sb_put(g->s, "  workgroupBarrier();\n  for (var st: u32 = RED_WG / 2u; st > 0u; st = st >> 1u) {\n"
                 "    if (lid < st) {\n");
    if (isarg)
        sb_put(g->s, "      if (better(sh_v[lid], sh_i[lid], sh_v[lid + st], sh_i[lid + st])) {\n"
                     "        sh_v[lid] = sh_v[lid + st]; sh_i[lid] = sh_i[lid + st];\n      }\n");
    else sb_put(g->s, "      sh_v[lid] = comb(sh_v[lid], sh_v[lid + st]);\n");
    sb_put(g->s, "    }\n    workgroupBarrier();\n  }\n  if (lid != 0u) { return; }\n");
    part_bits(y, "sh_v[0u]", accb ? WG_BOOL : adt);
    sb_put(g->s, "  if (phase == 0u && ns > 1u) {\n    b_part[2u * g] = %s;\n", y);
    if (isarg) sb_put(g->s, "    b_part[2u * g + 1u] = bitcast<u32>(sh_i[0u]);\n");
    sb_put(g->s, "    return;\n  }\n");
    if (isarg) sb_put(g->s, "  let acc: i32 = max(sh_i[0u], 0);\n");
    else sb_put(g->s, "  let acc: %s = sh_v[0u];\n", T);
    unravel(g, "p", 0, nkeep, "  ");
    sb_put(g->s, "  let o_out0 = ai(%du)", w_out(g, 0));
    offset_terms(g, w_out(g, 0), 0, nkeep);
    sb_put(g->s, ";\n");
    for (int i = 0; i < k->ninputs; i++) { /* inputs at the kept point (raw: their runs) */
        sb_put(g->s, "  let o_in%d = ai(%du)", i, w_in(g, i));
        if (!k->input_raw[i]) offset_terms(g, w_in(g, i), 0, nkeep);
        sb_put(g->s, ";\n");
    }
    if (emit_program(g, k->post, k->npost, "w", 1, "  ")) return;
    snprintf(val, sizeof val, "w%d", k->npost - 1);
    int pdt = k->post[k->npost - 1].dtype;
    if (pdt == WG_FLOAT16) {
        fail(g, WG_ERR_NOTIMPL, "a reduction's result", pdt);
        return;
    }
    store_out(g, 0, val, pdt, "  ");
}

/* REDUCE, the entry point `main_pt`: one invocation per kept point folds its reduced elements in
 * index order, without workgroup memory or barriers (64 invocations per workgroup; words[2] is the
 * workgroups in x, as for `main`).  For CPU adapters, where a workgroup's tree costs a switch of
 * every invocation per level, when the reduced length is short (the executor's rule, docs/webgpu.md).
 * Emitted after `main`, whose helpers (comb, better, raw loads) it uses. */
static void gen_reduce_pt(gen *g) {
    const wg_kernel_ir *k = g->k;
    int nkeep = k->ndim - k->nred, fold = k->fold, adt = k->acc_dtype;
    int isarg = fold == WG_FOLD_ARGMIN || fold == WG_FOLD_ARGMAX;
    int accb = fold == WG_FOLD_ANY || fold == WG_FOLD_ALL;
    const char *T = accb ? "bool" : wty(adt);
    sb_put(g->s, "@compute @workgroup_size(%d)\n"
                 "fn main_pt(@builtin(global_invocation_id) gid: vec3<u32>) {\n"
                 "  let p = gid.x + gid.y * arg(2u) * %du;\n"
                 "  if (p >= arg(0u)) { return; }\n",
           WGC_WGSL_RED_PT_WG, WGC_WGSL_RED_PT_WG);
    sb_put(g->s, "  var ta: %s = %s;\n", T, reduce_identity(k));
    if (isarg) sb_put(g->s, "  var ti: i32 = -1;\n");
    unravel(g, "p", 0, nkeep, "  ");
    for (int i = 0; i < k->ninputs; i++) {
        sb_put(g->s, "  let base_in%d = ai(%du)", i, w_in(g, i));
        offset_terms(g, w_in(g, i), 0, nkeep);
        sb_put(g->s, ";\n");
    }
    if (wgC_emit_params(g, k->inst, k->ninst, "v", "  ")) return; /* once, not per element */
    sb_put(g->s, "  let nr = arg(1u);\n  for (var r: u32 = 0u; r < 4294967295u; r = r + 1u) {\n"
                 "    if (r >= nr) { break; }\n");
    char val[32], x[EXPR_MAX];
    snprintf(val, sizeof val, "v%u", (unsigned)k->out_inst[0]);
    int vdt = k->inst[k->out_inst[0]].dtype;
    if (accb) truth(x, val, vdt);
    else cast_expr(x, val, vdt, adt);
    if (red_scalar_fold(g, x, isarg, "    ")) return;
    sb_put(g->s, "  }\n");
    g->params_hoisted = 0;
    if (isarg) sb_put(g->s, "  let acc: i32 = max(ti, 0);\n");
    else sb_put(g->s, "  let acc: %s = ta;\n", T);
    sb_put(g->s, "  let o_out0 = ai(%du)", w_out(g, 0));
    offset_terms(g, w_out(g, 0), 0, nkeep);
    sb_put(g->s, ";\n");
    for (int i = 0; i < k->ninputs; i++) { /* inputs at the kept point (raw: their runs) */
        sb_put(g->s, "  let o_in%d = ai(%du)", i, w_in(g, i));
        if (!k->input_raw[i]) offset_terms(g, w_in(g, i), 0, nkeep);
        sb_put(g->s, ";\n");
    }
    if (emit_program(g, k->post, k->npost, "w", 1, "  ")) return;
    snprintf(val, sizeof val, "w%d", k->npost - 1);
    store_out(g, 0, val, k->post[k->npost - 1].dtype, "  ");
    sb_put(g->s, "}\n");
}

/* ---- MATMUL: a 64x64 output tile per workgroup of 256 threads, 4x4 outputs per thread, K tiles of
 * 16 through workgroup memory.  Task g = (batch, tile row, tile column), tile column fastest.
 * Thread (tx, ty) = (lid % 16, lid / 16) owns rows ty + 16i and columns tx + 16j.  Elements are
 * converted to the output dtype when loaded (bool: 0/1 in u32, OR of ANDs). */
static void gen_matmul(gen *g) {
    const wg_kernel_ir *k = g->k;
    int nd = k->ndim, odt = k->output_dtype[0];
    int isb = cls(odt) == 'b';
    const char *T = isb ? "u32" : wty(odt), *Z = isb ? "0u" : zero_of(odt);
    sb_put(g->s, "var<workgroup> sa: array<%s, %d>;\nvar<workgroup> sb: array<%s, %d>;\n", T,
           16 * 65, T, 16 * 64);
    sb_put(g->s, "@compute @workgroup_size(256)\n"
                 "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {\n"
                 "  let g = wid.x + wid.y * arg(2u);\n"
                 "  let M = arg(%du);\n  let N = arg(%du);\n  let K = arg(1u);\n"
                 "  let tiles_n = (N + 63u) / 64u;\n  let tiles_m = (M + 63u) / 64u;\n"
                 "  let nbatch = arg(0u) / (M * N);\n"
                 "  if (g >= nbatch * tiles_m * tiles_n) { return; }\n"
                 "  let tn = g %% tiles_n;\n  let tm = (g / tiles_n) %% tiles_m;\n  let bt = g / (tiles_n * tiles_m);\n",
           w_shape(g, nd - 2), w_shape(g, nd - 1));
    unravel(g, "bt", 0, nd - 2, "  ");
    const char *names[3] = {"oa", "ob", "oc"};
    for (int s = 0; s < 3; s++) {
        int w = s < 2 ? w_in(g, s) : w_out(g, 0);
        sb_put(g->s, "  let %s = ai(%du)", names[s], w);
        offset_terms(g, w, 0, nd - 2);
        sb_put(g->s, ";\n  let %s_r = ai(%du);\n  let %s_c = ai(%du);\n", names[s], w + 1 + nd - 2,
               names[s], w + 1 + nd - 1);
    }
    sb_put(g->s, "  let tx = lid %% 16u;\n  let ty = lid / 16u;\n  let m0 = tm * 64u;\n  let n0 = tn * 64u;\n");
    for (int i = 0; i < 16; i++) sb_put(g->s, "  var c%d: %s = %s;\n", i, T, Z);
    char la[EXPR_MAX], lb[EXPR_MAX], ca[EXPR_MAX], cb[EXPR_MAX], t[EXPR_MAX];
    for (int s = 0; s < 2; s++) {
        int idt = k->input_dtype[s];
        char *l = s ? lb : la, *cc = s ? cb : ca;
        const char *ix = s ? "ob + i32(bk) * ob_r + i32(bn) * ob_c" : "oa + i32(am) * oa_r + i32(ak) * oa_c";
        if (cls(idt) == 'b') xfmt(l, "(b_in%d[%s] != 0u)", s, ix);
        else xfmt(l, "b_in%d[%s]", s, ix);
        if (isb) {
            cast_expr(t, l, idt, WG_BOOL);
            xfmt(cc, "select(0u, 1u, %s)", t);
        } else cast_expr(cc, l, idt, odt);
    }
    sb_put(g->s,
           "  for (var k0: u32 = 0u; k0 < K; k0 = k0 + 16u) {\n"
           "    for (var l: u32 = 0u; l < 4u; l = l + 1u) {\n"
           "      let e = lid + l * 256u;\n"
           "      let am = m0 + e / 16u;\n      let ak = k0 + e %% 16u;\n"
           "      var va: %s = %s;\n"
           "      if (am < M && ak < K) { va = %s; }\n"
           "      sa[(e %% 16u) * 65u + e / 16u] = va;\n"
           "      let bk = k0 + e / 64u;\n      let bn = n0 + e %% 64u;\n"
           "      var vb: %s = %s;\n"
           "      if (bk < K && bn < N) { vb = %s; }\n"
           "      sb[e] = vb;\n"
           "    }\n"
           "    workgroupBarrier();\n"
           "    for (var kk: u32 = 0u; kk < 16u; kk = kk + 1u) {\n",
           T, Z, ca, T, Z, cb);
    for (int i = 0; i < 4; i++) sb_put(g->s, "      let a%d = sa[kk * 65u + ty + %du];\n", i, 16 * i);
    for (int j = 0; j < 4; j++) sb_put(g->s, "      let b%d = sb[kk * 64u + tx + %du];\n", j, 16 * j);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            if (isb) sb_put(g->s, "      c%d = c%d | (a%d & b%d);\n", 4 * i + j, 4 * i + j, i, j);
            else sb_put(g->s, "      c%d = c%d + a%d * b%d;\n", 4 * i + j, 4 * i + j, i, j);
        }
    sb_put(g->s, "    }\n    workgroupBarrier();\n  }\n");
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            char cn[16], w[EXPR_MAX];
            snprintf(cn, sizeof cn, "c%d", 4 * i + j);
            sb_put(g->s, "  if (m0 + ty + %du < M && n0 + tx + %du < N) {\n"
                         "    let o_out0 = oc + i32(m0 + ty + %du) * oc_r + i32(n0 + tx + %du) * oc_c;\n",
                   16 * i, 16 * j, 16 * i, 16 * j);
            if (isb) xfmt(w, "(%s != 0u)", cn);
            else wrap(w, cn, odt);
            sb_put(g->s, "    let res = %s;\n", w);
            store_out(g, 0, "res", isb ? WG_BOOL : odt, "    ");
            sb_put(g->s, "  }\n");
        }
}
/* ---- MATMUL, the entry point `main_reg`: for CPU implementations of WebGPU (SwiftShader; the
 * executor's rule, docs/webgpu.md).  No workgroup memory and no barriers (on a CPU a barrier switches
 * every invocation of the workgroup): each invocation computes an 8x4 block of outputs straight from
 * the operands, by their strides (transposed operands cost no copy), with 8 + 4 loads and 32
 * multiply-adds per step of k, in the same order as `main` (c = c + a * b over k = 0, 1, ...).
 * Workgroups of 64 invocations; task t = (batch, block row, block column), block column fastest.
 * Rows and columns past the edge load the last row or column (their results are not stored). */
static void gen_matmul_reg(gen *g) {
    const wg_kernel_ir *k = g->k;
    int nd = k->ndim, odt = k->output_dtype[0];
    int isb = cls(odt) == 'b';
    const char *T = isb ? "u32" : wty(odt), *Z = isb ? "0u" : zero_of(odt);
    sb_put(g->s, "@compute @workgroup_size(%d)\n"
                 "fn main_reg(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {\n"
                 "  let t = (wid.x + wid.y * arg(2u)) * %du + lid;\n"
                 "  let M = arg(%du);\n  let N = arg(%du);\n  let K = arg(1u);\n"
                 "  let nbn = (N + %du) / %du;\n  let nbm = (M + %du) / %du;\n"
                 "  let nbatch = arg(0u) / (M * N);\n"
                 "  if (t >= nbatch * nbm * nbn) { return; }\n"
                 "  let tn = t %% nbn;\n  let tm = (t / nbn) %% nbm;\n  let bt = t / (nbn * nbm);\n",
           WGC_WGSL_MM_REG_WG, WGC_WGSL_MM_REG_WG, w_shape(g, nd - 2), w_shape(g, nd - 1),
           WGC_WGSL_MM_REG_N - 1, WGC_WGSL_MM_REG_N, WGC_WGSL_MM_REG_M - 1, WGC_WGSL_MM_REG_M);
    unravel(g, "bt", 0, nd - 2, "  ");
    const char *names[3] = {"oa", "ob", "oc"};
    for (int s = 0; s < 3; s++) {
        int w = s < 2 ? w_in(g, s) : w_out(g, 0);
        sb_put(g->s, "  let %s = ai(%du)", names[s], w);
        offset_terms(g, w, 0, nd - 2);
        sb_put(g->s, ";\n  let %s_r = ai(%du);\n  let %s_c = ai(%du);\n", names[s], w + 1 + nd - 2,
               names[s], w + 1 + nd - 1);
    }
    sb_put(g->s, "  let m0 = tm * %du;\n  let n0 = tn * %du;\n", WGC_WGSL_MM_REG_M, WGC_WGSL_MM_REG_N);
    for (int i = 0; i < WGC_WGSL_MM_REG_M; i++)
        sb_put(g->s, "  let ra%d = oa + i32(min(m0 + %du, M - 1u)) * oa_r;\n", i, i);
    for (int j = 0; j < WGC_WGSL_MM_REG_N; j++)
        sb_put(g->s, "  let rb%d = ob + i32(min(n0 + %du, N - 1u)) * ob_c;\n", j, j);
    for (int i = 0; i < WGC_WGSL_MM_REG_M; i++)
        for (int j = 0; j < WGC_WGSL_MM_REG_N; j++) sb_put(g->s, "  var c%d_%d: %s = %s;\n", i, j, T, Z);
    sb_put(g->s, "  for (var k: u32 = 0u; k < 4294967295u; k = k + 1u) {\n    if (k >= K) { break; }\n"
                 "    let ka = i32(k) * oa_c;\n    let kb = i32(k) * ob_r;\n");
    char l[EXPR_MAX], c[EXPR_MAX], t[EXPR_MAX], ix[64];
    for (int s = 0; s < 2; s++) {
        int idt = k->input_dtype[s];
        for (int i = 0; i < (s ? WGC_WGSL_MM_REG_N : WGC_WGSL_MM_REG_M); i++) {
            snprintf(ix, sizeof ix, s ? "rb%d + kb" : "ra%d + ka", i);
            if (cls(idt) == 'b') xfmt(l, "(b_in%d[%s] != 0u)", s, ix);
            else xfmt(l, "b_in%d[%s]", s, ix);
            if (isb) {
                cast_expr(t, l, idt, WG_BOOL);
                xfmt(c, "select(0u, 1u, %s)", t);
            } else cast_expr(c, l, idt, odt);
            sb_put(g->s, "    let %c%d = %s;\n", s ? 'b' : 'a', i, c);
        }
    }
    for (int i = 0; i < WGC_WGSL_MM_REG_M; i++)
        for (int j = 0; j < WGC_WGSL_MM_REG_N; j++) {
            if (isb) sb_put(g->s, "    c%d_%d = c%d_%d | (a%d & b%d);\n", i, j, i, j, i, j);
            else sb_put(g->s, "    c%d_%d = c%d_%d + a%d * b%d;\n", i, j, i, j, i, j);
        }
    sb_put(g->s, "  }\n");
    for (int i = 0; i < WGC_WGSL_MM_REG_M; i++)
        for (int j = 0; j < WGC_WGSL_MM_REG_N; j++) {
            char cn[32], w[EXPR_MAX];
            snprintf(cn, sizeof cn, "c%d_%d", i, j);
            sb_put(g->s, "  if (m0 + %du < M && n0 + %du < N) {\n"
                         "    let o_out0 = oc + i32(m0 + %du) * oc_r + i32(n0 + %du) * oc_c;\n",
                   i, j, i, j);
            if (isb) xfmt(w, "(%s != 0u)", cn);
            else wrap(w, cn, odt);
            sb_put(g->s, "    let res = %s;\n", w);
            store_out(g, 0, "res", isb ? WG_BOOL : odt, "    ");
            sb_put(g->s, "  }\n");
        }
    sb_put(g->s, "}\n");
}

/* MATMUL on a CPU adapter with float32 operands (the executor checks the strides): `main_reg4`,
 * main_reg's 8x4 block per invocation with vec4 loads, each output summed in main_reg's order (k
 * ascending).  SwiftShader bounds-checks every storage load, which the scalar loop pays 1.5 times
 * per product.  Three forms by which stride of the operands is 1 (C's rows contiguous in all):
 *   form 0, `main_reg4`:  A along k, B along n — a vec4 of A's row per block row and one of B's 4
 *                         columns per k: 12 loads per 4 steps of k instead of 48;
 *   form 1, `main_reg4a`: A along m (a transposed A, `X.T @ g`) — two vec4 of A's column and one
 *                         of B's row per k: 3 loads per step instead of 12;
 *   form 2, `main_reg4b`: B along k (a transposed B, `g @ w.T`) — four vec4 of B's columns per 4
 *                         steps of k, transposed in registers, and A as in form 0: 12 instead of 48. */
_Static_assert(WGC_WGSL_MM_REG4_M == 8, "main_reg4a reads a block's 8 rows as two vec4");
static void gen_matmul_reg4(gen *g, int form) {
    const wg_kernel_ir *k = g->k;
    int nd = k->ndim, BM = WGC_WGSL_MM_REG4_M;
    static const char *const entry[3] = {"main_reg4", "main_reg4a", "main_reg4b"};
    sb_put(g->s, "@compute @workgroup_size(%d)\n"
                 "fn %s(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {\n"
                 "  let t = (wid.x + wid.y * arg(2u)) * %du + lid;\n"
                 "  let M = arg(%du);\n  let N = arg(%du);\n  let K = arg(1u);\n  let K4 = K / 4u;\n"
                 "  let nbn = N / 4u;\n  let nbm = (M + %du) / %du;\n"
                 "  let nbatch = arg(0u) / (M * N);\n"
                 "  if (t >= nbatch * nbm * nbn) { return; }\n"
                 "  let tn = t %% nbn;\n  let tm = (t / nbn) %% nbm;\n  let bt = t / (nbn * nbm);\n",
           WGC_WGSL_MM_REG_WG, entry[form], WGC_WGSL_MM_REG_WG, w_shape(g, nd - 2), w_shape(g, nd - 1),
           BM - 1, BM);
    unravel(g, "bt", 0, nd - 2, "  ");
    const char *names[3] = {"oa", "ob", "oc"};
    for (int s = 0; s < 3; s++) { /* element offsets and strides (the unit one aside: multiples of 4) */
        int w = s < 2 ? w_in(g, s) : w_out(g, 0);
        sb_put(g->s, "  let %s = u32(ai(%du)", names[s], w);
        offset_terms(g, w, 0, nd - 2);
        sb_put(g->s, ");\n  let %s_r = u32(ai(%du));\n  let %s_c = u32(ai(%du));\n", names[s], w + 1 + nd - 2,
               names[s], w + 1 + nd - 1);
    }
    sb_put(g->s, "  let m0 = tm * %du;\n  let n0 = tn * 4u;\n", BM);
    for (int i = 0; i < BM; i++) sb_put(g->s, "  var c%d = vec4<f32>(0.0);\n", i);
    if (form == 1) {
        /* rows past M read past A's column (or are clamped at the buffer's end): not stored */
        sb_put(g->s, "  for (var k: u32 = 0u; k < 4294967295u; k = k + 1u) {\n    if (k >= K) { break; }\n"
                     "    let ka = (oa + m0 + k * oa_c) / 4u;\n"
                     "    let av0 = b_in0v[ka];\n    let av1 = b_in0v[ka + 1u];\n"
                     "    let b = b_in1v[(ob + k * ob_r + n0) / 4u];\n");
        for (int i = 0; i < BM; i++) sb_put(g->s, "    c%d = c%d + av%d.%c * b;\n", i, i, i / 4, "xyzw"[i % 4]);
    } else {
        /* rows past M read row M - 1 (their sums are not stored): no test in the loop */
        for (int i = 0; i < BM; i++)
            sb_put(g->s, "  let ra%d = (oa + min(m0 + %du, M - 1u) * oa_r) / 4u;\n", i, i);
        if (form == 0)
            sb_put(g->s, "  let rb = (ob + n0) / 4u;\n  let rs = ob_r / 4u;\n"
                         "  for (var k: u32 = 0u; k < 4294967295u; k = k + 1u) {\n    if (k >= K4) { break; }\n"
                         "    let kb = rb + k * 4u * rs;\n"
                         "    let b0 = b_in1v[kb];\n    let b1 = b_in1v[kb + rs];\n"
                         "    let b2 = b_in1v[kb + 2u * rs];\n    let b3 = b_in1v[kb + 3u * rs];\n");
        else {
            for (int j = 0; j < 4; j++) sb_put(g->s, "  let rb%d = (ob + (n0 + %du) * ob_c) / 4u;\n", j, j);
            sb_put(g->s, "  for (var k: u32 = 0u; k < 4294967295u; k = k + 1u) {\n    if (k >= K4) { break; }\n"
                         "    let q0 = b_in1v[rb0 + k];\n    let q1 = b_in1v[rb1 + k];\n"
                         "    let q2 = b_in1v[rb2 + k];\n    let q3 = b_in1v[rb3 + k];\n");
            for (int d = 0; d < 4; d++)
                sb_put(g->s, "    let b%d = vec4<f32>(q0.%c, q1.%c, q2.%c, q3.%c);\n", d, "xyzw"[d], "xyzw"[d],
                       "xyzw"[d], "xyzw"[d]);
        }
        for (int i = 0; i < BM; i++)
            sb_put(g->s, "    let a%d = b_in0v[ra%d + k];\n"
                         "    c%d = c%d + a%d.x * b0;\n    c%d = c%d + a%d.y * b1;\n"
                         "    c%d = c%d + a%d.z * b2;\n    c%d = c%d + a%d.w * b3;\n",
                   i, i, i, i, i, i, i, i, i, i, i, i, i, i);
    }
    sb_put(g->s, "  }\n");
    for (int i = 0; i < BM; i++)
        sb_put(g->s, "  if (m0 + %du < M) { b_out0v[(oc + (m0 + %du) * oc_r + n0) / 4u] = c%d; }\n", i, i, i);
    sb_put(g->s, "}\n");
}

/* ---- MATMUL, the vec4 entry point `main_vec4`: float32 operands whose rows are contiguous and
 * 16-byte aligned (docs/webgpu.md gives the executor's rule).  A 128x128 output tile per workgroup
 * of 256 threads, 8x8 outputs per thread held as 16 vec4 accumulators, K tiles of 16 through
 * workgroup memory (A stored k-major so that a thread reads its 8 rows as two vec4), vec4 loads
 * and stores.  The shape chosen by bench/h100/kernel_probe.mjs: 34 TFLOP/s at 4096 on an H100,
 * against 25 for the 64x64 generic tile. */
int wgC_wgsl_has_vec4_matmul(const wg_kernel_ir *k) {
    return k->kind == WG_K_MATMUL && k->ninputs == 2 && k->noutputs == 1 &&
           k->input_dtype[0] == WG_FLOAT32 && k->input_dtype[1] == WG_FLOAT32 &&
           k->output_dtype[0] == WG_FLOAT32;
}

/* exact: the entry point `main_vec4x` for M and N multiples of 128 and K of 16 — no bounds tests. */
static void gen_matmul_vec4(gen *g, int exact) {
    const wg_kernel_ir *k = g->k;
    int nd = k->ndim;
    if (!exact)
        sb_put(g->s, "var<workgroup> mv_a: array<vec4<f32>, 512>;\nvar<workgroup> mv_b: array<vec4<f32>, 512>;\n");
    sb_put(g->s, "@compute @workgroup_size(256)\n"
                 "fn main_vec4%s(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {\n"
                 "  let g = wid.x + wid.y * arg(2u);\n"
                 "  let M = arg(%du);\n  let N = arg(%du);\n  let K = arg(1u);\n"
                 "  let tiles_n = (N + 127u) / 128u;\n  let tiles_m = (M + 127u) / 128u;\n"
                 "  let nbatch = arg(0u) / (M * N);\n"
                 "  if (g >= nbatch * tiles_m * tiles_n) { return; }\n"
                 "  let tn = g %% tiles_n;\n  let tm = (g / tiles_n) %% tiles_m;\n  let bt = g / (tiles_n * tiles_m);\n",
           exact ? "x" : "", w_shape(g, nd - 2), w_shape(g, nd - 1));
    unravel(g, "bt", 0, nd - 2, "  ");
    const char *names[3] = {"oa", "ob", "oc"};
    for (int s = 0; s < 3; s++) { /* element offsets and row strides, all multiples of 4 */
        int w = s < 2 ? w_in(g, s) : w_out(g, 0);
        sb_put(g->s, "  let %s = u32(ai(%du)", names[s], w);
        offset_terms(g, w, 0, nd - 2);
        sb_put(g->s, ");\n  let %s_r = u32(ai(%du));\n", names[s], w + 1 + nd - 2);
    }
    sb_put(g->s,
           "  let tx = lid %% 16u;\n  let ty = lid / 16u;\n  let m0 = tm * 128u;\n  let n0 = tn * 128u;\n"
           "  let zero4 = vec4<f32>(0.0);\n");
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 2; j++) sb_put(g->s, "  var c%d_%d = zero4;\n", i, j);
    sb_put(g->s,
           "  for (var k0: u32 = 0u; k0 < K; k0 = k0 + 16u) {\n"
           /* A tile 128 x 16: 512 quads, two per thread; stored transposed, mv_a[k * 32 + m / 4][m % 4] */
           "    for (var l: u32 = 0u; l < 2u; l = l + 1u) {\n"
           "      let e = lid + l * 256u;\n      let r = e / 4u;\n      let kq = (e %% 4u) * 4u;\n"
           "      var v = zero4;\n"
           "      %s{ v = b_in0v[(oa + (m0 + r) * oa_r + k0 + kq) / 4u]; }\n"
           "      let base = kq * 32u + r / 4u;\n      let lane = r %% 4u;\n"
           "      mv_a[base][lane] = v.x;\n      mv_a[base + 32u][lane] = v.y;\n"
           "      mv_a[base + 64u][lane] = v.z;\n      mv_a[base + 96u][lane] = v.w;\n"
           /* B tile 16 x 128: 512 quads, two per thread */
           "      let br = e / 32u;\n      let cq = e %% 32u;\n"
           "      var u = zero4;\n"
           "      %s{ u = b_in1v[(ob + (k0 + br) * ob_r + n0) / 4u + cq]; }\n"
           "      mv_b[e] = u;\n"
           "    }\n"
           "    workgroupBarrier();\n"
           "    for (var kk: u32 = 0u; kk < 16u; kk = kk + 1u) {\n"
           "      let a0 = mv_a[kk * 32u + ty * 2u];\n      let a1 = mv_a[kk * 32u + ty * 2u + 1u];\n"
           "      let b0 = mv_b[kk * 32u + tx * 2u];\n      let b1 = mv_b[kk * 32u + tx * 2u + 1u];\n",
           exact ? "" : "if (m0 + r < M && k0 + kq < K) ",
           exact ? "" : "if (k0 + br < K && n0 + cq * 4u < N) ");
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 2; j++)
            sb_put(g->s, "      c%d_%d = fma(vec4<f32>(a%d[%d]), b%d, c%d_%d);\n", i, j, i / 4, i % 4, j, i, j);
    sb_put(g->s, "    }\n    workgroupBarrier();\n  }\n");
    for (int i = 0; i < 8; i++) {
        if (!exact) sb_put(g->s, "  if (m0 + ty * 8u + %du < M) {\n", i);
        for (int j = 0; j < 2; j++) {
            if (!exact) sb_put(g->s, "    if (n0 + tx * 8u + %du < N) ", 4 * j);
            sb_put(g->s, "{ b_out0v[(oc + (m0 + ty * 8u + %du) * oc_r + n0 + tx * 8u) / 4u + %du] = c%d_%d; }\n",
                   i, j, i, j);
        }
        if (!exact) sb_put(g->s, "  }\n");
    }
    sb_put(g->s, "}\n");
}

/* ---- statement kernels (stmt.h): one thread per point, the entry point `main` only ---------------
 * The walker and the per-invocation state are stmt.c's, shared with GLSL.  What is WGSL's own:
 * outputs that ATOMIC_ADD updates are bound as atomics (float32 as atomic<u32>, added by a
 * compare-and-swap loop on the bits), and the raw output accessors ldr_out<j>, str_out<j>,
 * add_out<j> (word x; outside the buffer a read gives 0 and nothing is written). */
static const char *out_elem_type(const wgC_stmt *st, int j, int dt) {
    if (!st->atomic_out[j]) return sty(dt);
    return dt == WG_INT32 ? "atomic<i32>" : "atomic<u32>";
}

static void raw_output_access(gen *g, const wgC_stmt *st, int j) {
    int dt = g->k->output_dtype[j], at = st->atomic_out[j] != 0, isf = cls(dt) == 'f';
    const char *T = wty(dt), *Z = zero_of(dt);
    char word[EXPR_MAX], val[EXPR_MAX], put[EXPR_MAX];
    if (at) xfmt(word, "atomicLoad(&b_out%d[x])", j);
    else xfmt(word, "b_out%d[x]", j);
    if (cls(dt) == 'b') xfmt(val, "(%s != 0u)", word);
    else if (at && isf) xfmt(val, "bitcast<f32>(%s)", word);
    else xfmt(val, "%s", word);
    if (cls(dt) == 'b') xfmt(put, "select(0u, 1u, v)");
    else if (at && isf) xfmt(put, "bitcast<u32>(v)");
    else xfmt(put, "v");
    sb_put(g->s, "fn ldr_out%d(x: u32) -> %s { if (x >= arrayLength(&b_out%d)) { return %s; } return %s; }\n",
           j, T, j, Z, val);
    if (at)
        sb_put(g->s, "fn str_out%d(x: u32, v: %s) { if (x < arrayLength(&b_out%d)) { atomicStore(&b_out%d[x], %s); } }\n",
               j, T, j, j, put);
    else
        sb_put(g->s, "fn str_out%d(x: u32, v: %s) { if (x < arrayLength(&b_out%d)) { b_out%d[x] = %s; } }\n",
               j, T, j, j, put);
    if (!at) return;
    char arr[24], bound[48], nmax[24], nmin[24], ncas[24], nadd[24];
    snprintf(arr, sizeof arr, "b_out%d", j);
    snprintf(bound, sizeof bound, "arrayLength(&b_out%d)", j);
    snprintf(nadd, sizeof nadd, "add_out%d", j);
    snprintf(nmax, sizeof nmax, "max_out%d", j);
    snprintf(nmin, sizeof nmin, "min_out%d", j);
    snprintf(ncas, sizeof ncas, "cas_out%d", j);
    const char *names[4] = {nadd, nmax, nmin, ncas};
    wgC_wgsl_atomic_rmw(g->s, arr, bound, names, st->atomic_out[j], T, Z, isf);
}

/* atomicAdd always, atomicMax/atomicMin/atomicCAS where flags has bit 2/4/8: native on i32/u32;
 * f32 by a compare-and-swap loop on the bits (WGSL has no float atomics); CAS compares the words
 * (the bits, for f32) and retries spurious weak failures.  Each loop leaves by `break` and the
 * function ends in a return: naga (Firefox's WGSL compiler) rejects a function whose last
 * statement is a `loop` without one, although the WGSL spec's behaviour analysis (and Tint)
 * accept it (docs/browsers.md).  Raw outputs (above) and workgroup arrays (stmt.c) share it. */
void wgC_wgsl_atomic_rmw(wgC_sbuf *s, const char *arr, const char *bound, const char *const names[4],
                         int flags, const char *T, const char *Z, int isf) {
    sb_put(s, "fn %s(x: u32, v: %s) -> %s {\n  if (x >= %s) { return %s; }\n", names[0], T, T, bound, Z);
    if (!isf)
        sb_put(s, "  return atomicAdd(&%s[x], v);\n}\n", arr);
    else
        sb_put(s, "  var old = atomicLoad(&%s[x]);\n"
                  "  loop {\n"
                  "    let r = atomicCompareExchangeWeak(&%s[x], old, bitcast<u32>(bitcast<f32>(old) + v));\n"
                  "    if (r.exchanged) { break; }\n"
                  "    old = r.old_value;\n"
                  "  }\n  return bitcast<f32>(old);\n}\n", arr, arr);
    for (int mx = 0; mx < 2; mx++) {
        if (!(flags & (mx ? 2 : 4))) continue;
        sb_put(s, "fn %s(x: u32, v: %s) -> %s {\n  if (x >= %s) { return %s; }\n", names[mx ? 1 : 2],
               T, T, bound, Z);
        if (!isf)
            sb_put(s, "  return atomic%s(&%s[x], v);\n}\n", mx ? "Max" : "Min", arr);
        else
            sb_put(s, "  var old = atomicLoad(&%s[x]);\n"
                      "  loop {\n"
                      "    if (!(v %s bitcast<f32>(old))) { break; }\n"
                      "    let r = atomicCompareExchangeWeak(&%s[x], old, bitcast<u32>(v));\n"
                      "    if (r.exchanged) { break; }\n"
                      "    old = r.old_value;\n"
                      "  }\n  return bitcast<f32>(old);\n}\n", arr, mx ? ">" : "<", arr);
    }
    if (flags & 8)
        sb_put(s, "fn %s(x: u32, c: %s, v: %s) -> %s {\n  if (x >= %s) { return %s; }\n"
                  "  let cw = %s; let vw = %s;\n  var ow = cw;\n"
                  "  loop {\n"
                  "    let r = atomicCompareExchangeWeak(&%s[x], cw, vw);\n"
                  "    if (r.exchanged || r.old_value != cw) { ow = r.old_value; break; }\n"
                  "  }\n  return %s;\n}\n", names[3], T, T, T, bound, Z,
               isf ? "bitcast<u32>(c)" : "c", isf ? "bitcast<u32>(v)" : "v", arr,
               isf ? "bitcast<f32>(ow)" : "ow");
}

/* after the prelude: state, accessors, kbody and main; outputs stored from their locals */
static void gen_stmt_kernel(gen *g, const wgC_stmt *st) {
    const wg_kernel_ir *k = g->k;
    wgC_stmt_state(g, st);
    for (int j = 0; j < k->noutputs; j++)
        if (k->output_raw[j]) raw_output_access(g, st, j);
    if (wgC_stmt_body(g, st)) return;
    /* a workgroup kernel (ir.h) runs as whole workgroups of wg_block points: the bounds check
     * is per workgroup (workgroup_id is uniform), so that kbody's barriers stay uniform */
    if (k->wg_block)
        sb_put(g->s, "@compute @workgroup_size(%d)\nfn main(@builtin(global_invocation_id) gid: vec3<u32>, "
                     "@builtin(workgroup_id) wid: vec3<u32>) {\n"
                     "  let p = gid.x + gid.y * arg(2u);\n"
                     "  if ((wid.x + wid.y * (arg(2u) / %du)) * %du >= arg(0u)) { return; }\n",
               k->wg_block, k->wg_block, k->wg_block);
    else
        sb_put(g->s, "@compute @workgroup_size(%d)\nfn main(@builtin(global_invocation_id) gid: vec3<u32>) {\n"
                     "  let p = gid.x + gid.y * arg(2u);\n  if (p >= arg(0u)) { return; }\n",
               WGC_WGSL_WORKGROUP);
    wgC_stmt_point(g, "p", "  ");
    sb_put(g->s, "  kbody();\n");
    for (int j = 0; j < k->noutputs; j++) {
        if (k->output_raw[j]) continue;
        char name[24];
        sb_put(g->s, "  let o_out%d = ai(%du)", j, w_out(g, j));
        offset_terms(g, w_out(g, j), 0, k->ndim);
        sb_put(g->s, ";\n");
        snprintf(name, sizeof name, "ol%d", k->out_var[j]);
        store_out(g, j, name, k->var_dtype[k->out_var[j]], "  ");
    }
    sb_put(g->s, "}\n");
}

/* hands over the text, or frees it on a failure */
static int finish(gen *g, char **out) {
    if (g->err || g->s->oom) {
        wgB_free(g->s->p);
        if (g->err) return g->err;
        return wgB_error(g->ctx, WG_ERR_MEMORY, "webgpu codegen: out of memory");
    }
    *out = g->s->p;
    return WG_OK;
}

static int wgsl_stmt(gen *g, int nwords) {
    const wg_kernel_ir *k = g->k;
    wgC_stmt st;
    if (wgC_stmt_begin(g, &st)) {
        wgC_stmt_free(&st);
        return g->err;
    }
    /* warp exchanges as subgroup shuffles (stmt.c): the extension, and WGSL's subgroup
     * uniformity analysis off — a shuffle is reached by whole workgroups (the barriers of its
     * workgroup-memory form require that), which the analysis cannot see through the values */
    if (wgC_stmt_subgroups(g))
        sb_put(g->s, "enable subgroups;\ndiagnostic(off, subgroup_uniformity);\n");
    sb_put(g->s, "// wgpy kernel: kind %d, ndim %d, %d inputs, %d outputs, %d params, %d argument words\n"
                 "// statement kernel: %d locals, %d instructions\n",
           k->kind, k->ndim, k->ninputs, k->noutputs, k->nparams, nwords, k->nvars, k->ninst);
    sb_put(g->s, "@group(0) @binding(0) var<uniform> wa: array<vec4<u32>, %d>;\n", (nwords + 3) / 4);
    for (int i = 0; i < k->ninputs; i++)
        sb_put(g->s, "@group(0) @binding(%d) var<storage, read> b_in%d: array<%s>;\n", 1 + i, i,
               sty(k->input_dtype[i]));
    for (int j = 0; j < k->noutputs; j++)
        sb_put(g->s, "@group(0) @binding(%d) var<storage, read_write> b_out%d: array<%s>;\n",
               1 + k->ninputs + j, j, out_elem_type(&st, j, k->output_dtype[j]));
    sb_put(g->s, "%s", PRELUDE);
    gen_stmt_kernel(g, &st);
    wgC_stmt_free(&st);
    return g->err;
}

int wgC_wgsl(wg_context *ctx, const wg_kernel_ir *k, char **out) {
    *out = NULL;
    sbuf s = {ctx, NULL, 0, 0, 0};
    gen g;
    if (wgC_gen_begin(&g, ctx, k, &s, &wgC_wgsl_dialect)) return g.err;
    int nsb = k->ninputs + k->noutputs + (k->kind == WG_K_REDUCE);
    int lim = ctx->max_bindings < WGC_WGSL_MAX_STORAGE ? ctx->max_bindings : WGC_WGSL_MAX_STORAGE;
    if (nsb > lim)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "a kernel binding %d storage buffers (%d inputs, %d "
                         "outputs%s): the webgpu backend binds at most %d per shader stage "
                         "(maxStorageBuffersPerShaderStage)", nsb, k->ninputs, k->noutputs,
                         k->kind == WG_K_REDUCE ? ", the partials" : "", lim);
    int nwords = wgC_wgsl_arg_words(k);
    if (k->native) {
        wgC_native(&g);
        return finish(&g, out);
    }
    if (k->stmt) {
        wgsl_stmt(&g, nwords);
        return finish(&g, out);
    }
    sb_put(&s, "// wgpy kernel: kind %d, ndim %d, %d inputs, %d outputs, %d params, %d argument words\n",
           k->kind, k->ndim, k->ninputs, k->noutputs, k->nparams, nwords);
    sb_put(&s, "@group(0) @binding(0) var<uniform> wa: array<vec4<u32>, %d>;\n", (nwords + 3) / 4);
    for (int i = 0; i < k->ninputs; i++)
        sb_put(&s, "@group(0) @binding(%d) var<storage, read> b_in%d: array<%s>;\n", 1 + i, i,
               sty(k->input_dtype[i]));
    for (int j = 0; j < k->noutputs; j++)
        sb_put(&s, "@group(0) @binding(%d) var<storage, read_write> b_out%d: array<%s>;\n",
               1 + k->ninputs + j, j, sty(k->output_dtype[j]));
    if (k->kind == WG_K_REDUCE) /* partials of a two-pass reduction (2 words each) */
        sb_put(&s, "@group(0) @binding(%d) var<storage, read_write> b_part: array<u32>;\n",
               1 + k->ninputs + k->noutputs);
    sb_put(&s, "%s", PRELUDE);
    switch (k->kind) {
    case WG_K_ELEMENTWISE:
        sb_put(&s, "@compute @workgroup_size(%d)\nfn main(@builtin(global_invocation_id) gid: vec3<u32>) {\n",
               WGC_WGSL_WORKGROUP);
        sb_put(&s, "  let p = gid.x + gid.y * arg(2u);\n  if (p >= arg(0u)) { return; }\n");
        gen_elementwise(&g);
        break;
    case WG_K_REDUCE: gen_reduce(&g, 0); break;
    default: gen_matmul(&g); break;
    }
    sb_put(&s, "}\n");
    if (k->kind == WG_K_REDUCE && !g.err) gen_reduce_pt(&g);
    int long_cpu = ctx->adapter_cpu_like && k->ninst > WGC_WGSL_CPU_VEC4_MAX;
    if (k->kind == WG_K_ELEMENTWISE && !long_cpu) gen_elementwise_vec4(&g);
    if (k->kind == WG_K_REDUCE && !g.err && !uses_index(k) && !wgC_has_raw_input(k) &&
        !post_loads(k) && !long_cpu) {
        gen_reduce(&g, 1);
        sb_put(&s, "}\n");
    }
    if (k->kind == WG_K_MATMUL && !g.err) gen_matmul_reg(&g);
    if (wgC_wgsl_has_vec4_matmul(k)) { /* the same buffers viewed as vec4 (docs/webgpu.md) */
        sb_put(&s, "@group(0) @binding(1) var<storage, read> b_in0v: array<vec4<f32>>;\n"
                   "@group(0) @binding(2) var<storage, read> b_in1v: array<vec4<f32>>;\n"
                   "@group(0) @binding(3) var<storage, read_write> b_out0v: array<vec4<f32>>;\n");
        gen_matmul_vec4(&g, 0);
        gen_matmul_vec4(&g, 1);
        if (ctx->adapter_cpu_like)
            for (int form = 0; form < 3; form++) gen_matmul_reg4(&g, form);
    }
    return finish(&g, out);
}
