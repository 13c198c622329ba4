/* glsl — GLSL ES 3.00 vertex and fragment shaders from wg_kernel_ir, for the webgl2 backend
 * (docs/webgl2.md is the contract with js/src/webgl2/executor.mjs).
 *
 * Every buffer is an R32UI texture array of raw 32-bit words (the webgpu storage rule); a draw
 * renders one output's words.  The fragment's point p comes from gl_FragCoord (contiguous mode: the
 * output's words are the points in order) or from the vertex shader (scatter mode: one point
 * primitive per point, placed at the texel of its output word).  The fragment runs the kernel's
 * program for p and writes the value's bits to o_color.r.  Instructions become expressions in
 * expr.c (shared with WGSL); this file has the GLSL prelude, the uniforms and the kernel shapes.
 * Statement kernels (stmt = 1) run stmt.c's walker in the fragment, drawn as ELEMENTWISE kernels.
 *
 * GLSL ES 3.00 leaves % and / of negative ints undefined, so the prelude's integer division works
 * on magnitudes; +, -, * wrap in 32 bits (every implementation does two's complement). */
#include "expr.h"
#include "stmt.h"
#include "../base/context.h"

#include <stdio.h>
#include <string.h>

/* ---- the prelude: argument access, texture loads and NumPy-semantics helpers ------------------ */
static const char PRELUDE[] =
    /* word 3 is 0: a runtime value, so that no compiler folds a constant inf/NaN */
    "float f_inf() { return uintBitsToFloat(arg(3u) | 0x7f800000u); }\n"
    "float f_nan() { return uintBitsToFloat(arg(3u) | 0x7fc00000u); }\n"
    "bool isnan_f(float x) { return (floatBitsToUint(x) & 0x7fffffffu) > 0x7f800000u; }\n"
    "bool isinf_f(float x) { return (floatBitsToUint(x) & 0x7fffffffu) == 0x7f800000u; }\n"
    "bool isfin_f(float x) { return (floatBitsToUint(x) & 0x7fffffffu) < 0x7f800000u; }\n"
    "float copysign_f(float a, float b) {\n"
    "  return uintBitsToFloat((floatBitsToUint(a) & 0x7fffffffu) | (floatBitsToUint(b) & 0x80000000u));\n"
    "}\n"
    "float sign_f(float x) {\n"
    "  if (x > 0.0) { return 1.0; } if (x < 0.0) { return -1.0; } if (x == 0.0) { return 0.0; }\n"
    "  return x;\n"
    "}\n"
    "float max_f(float x, float y) { return (x > y || isnan_f(x)) ? x : y; }\n"
    "float min_f(float x, float y) { return (x < y || isnan_f(x)) ? x : y; }\n"
    "float fmax_f(float x, float y) { return (x >= y || isnan_f(y)) ? x : y; }\n"
    "float fmin_f(float x, float y) { return (x <= y || isnan_f(y)) ? x : y; }\n"
    "int f2i32(float x) {\n"
    "  if (x >= -2147483648.0 && x < 2147483648.0) { return int(x); }\n"
    "  return int(0x80000000u);\n"
    "}\n"
    "uint f2u32(float x) {\n"
    "  if (x >= 2147483648.0) {\n"
    "    float y = x - 2147483648.0;\n"
    "    if (y < 2147483648.0) { return uint(y) + 0x80000000u; }\n"
    "    return 0u;\n"
    "  }\n"
    "  return uint(f2i32(x));\n"
    "}\n"
    /* floor division and remainder from the magnitudes (uint / and % are defined) */
    "uint mag_i(int x) { return x < 0 ? 0u - uint(x) : uint(x); }\n"
    "int fdiv_i(int x, int y) {\n"
    "  if (y == 0) { return 0; }\n"
    "  if (y == -1) { return 0 - x; }\n"
    "  uint ax = mag_i(x); uint ay = mag_i(y);\n"
    "  uint q = ax / ay;\n"
    "  if ((x < 0) != (y < 0)) {\n"
    "    if (ax - q * ay != 0u) { q = q + 1u; }\n"
    "    return int(0u - q);\n"
    "  }\n"
    "  return int(q);\n"
    "}\n"
    "int rem_i(int x, int y) {\n"
    "  if (y == 0 || y == -1) { return 0; }\n"
    "  uint ay = mag_i(y);\n"
    "  uint r = mag_i(x) % ay;\n"
    "  if (r != 0u && ((x < 0) != (y < 0))) { r = ay - r; }\n"
    "  return y < 0 ? int(0u - r) : int(r);\n"
    "}\n"
    "uint fdiv_u(uint x, uint y) { if (y == 0u) { return 0u; } return x / y; }\n"
    "uint rem_u(uint x, uint y) { if (y == 0u) { return 0u; } return x % y; }\n"
    "uint pow_u(uint b0, uint e0) {\n"
    "  uint r = 1u; uint b = b0; uint e = e0;\n"
    "  while (e != 0u) { if ((e & 1u) != 0u) { r = r * b; } b = b * b; e = e >> 1u; }\n"
    "  return r;\n"
    "}\n"
    "int pow_i(int b, int e) {\n"
    "  if (e < 0) { return 0; }\n"
    "  return int(pow_u(uint(b), uint(e)));\n"
    "}\n"
    "int lsh_i(int x, int y, uint w) { if (uint(y) < w) { return x << uint(y); } return 0; }\n"
    "int rsh_i(int x, int y, uint w) {\n"
    "  if (uint(y) < w) { return x >> uint(y); }\n"
    "  return x < 0 ? -1 : 0;\n"
    "}\n"
    "uint lsh_u(uint x, uint y, uint w) { if (y < w) { return x << y; } return 0u; }\n"
    "uint rsh_u(uint x, uint y, uint w) { if (y < w) { return x >> y; } return 0u; }\n"
    /* NumPy's npy_divmod for floats: floor quotient, remainder with the divisor's sign */
    "vec2 divmod_f(float a, float b) {\n"
    "  if (isnan_f(a) || isnan_f(b)) { return vec2(f_nan(), f_nan()); }\n"
    "  if (b == 0.0) {\n"
    "    float q = f_nan();\n"
    "    if (a != 0.0) { q = copysign_f(f_inf(), a) * sign_f(copysign_f(1.0, b)); }\n"
    "    return vec2(q, f_nan());\n"
    "  }\n"
    "  if (isinf_f(a)) { return vec2(f_nan(), f_nan()); }\n"
    "  float m = a - b * trunc(a / b);\n"
    "  if (isinf_f(b)) { m = a; }\n"
    "  if (abs(m) >= abs(b)) { m = 0.0; }\n"
    "  float d = (a - m) / b;\n"
    "  if (m != 0.0) {\n"
    "    if ((b < 0.0) != (m < 0.0)) { m = m + b; d = d - 1.0; }\n"
    "  } else {\n"
    "    m = copysign_f(0.0, b);\n"
    "  }\n"
    "  float fd;\n"
    "  if (d != 0.0) {\n"
    "    fd = floor(d);\n"
    "    if (d - fd > 0.5) { fd = fd + 1.0; }\n"
    "  } else {\n"
    "    fd = copysign_f(0.0, a / b);\n"
    "  }\n"
    "  return vec2(fd, m);\n"
    "}\n"
    "float pow_f(float x, float y) {\n"
    "  if (y == 0.0 || x == 1.0) { return 1.0; }\n"
    "  if (isnan_f(x) || isnan_f(y)) { return f_nan(); }\n"
    "  float ax = abs(x);\n"
    "  bool yint = isfin_f(y) && trunc(y) == y;\n"
    "  bool odd = yint && abs(y) < 16777216.0 && trunc(y * 0.5) * 2.0 != y;\n"
    "  if (isinf_f(y)) {\n"
    "    if (ax == 1.0) { return 1.0; }\n"
    "    if ((ax > 1.0) == (y > 0.0)) { return f_inf(); }\n"
    "    return 0.0;\n"
    "  }\n"
    "  if (x == 0.0 || isinf_f(x)) {\n"
    "    float r = 0.0;\n"
    "    if ((y < 0.0) == (x == 0.0)) { r = f_inf(); }\n"
    "    if (odd) { r = copysign_f(r, x); }\n"
    "    return r;\n"
    "  }\n"
    "  if (x < 0.0 && !yint) { return f_nan(); }\n"
    "  float r;\n"
    "  if (yint && abs(y) <= 64.0) {\n"
    "    uint e = uint(abs(y)); float b = ax; r = 1.0;\n"
    "    while (e != 0u) { if ((e & 1u) != 0u) { r = r * b; } b = b * b; e = e >> 1u; }\n"
    "    if (y < 0.0) { r = 1.0 / r; }\n"
    "  } else {\n"
    "    r = pow(ax, y);\n"
    "  }\n"
    "  if (x < 0.0 && odd) { r = -r; }\n"
    "  return r;\n"
    "}\n"
    "float sqrt_f(float x) { if (x < 0.0) { return f_nan(); } return sqrt(x); }\n"
    "float log_f(float x) {\n"
    "  if (x < 0.0 || isnan_f(x)) { return f_nan(); } if (x == 0.0) { return -f_inf(); }\n"
    "  if (isinf_f(x)) { return x; } return log(x);\n"
    "}\n"
    "float log2_f(float x) {\n"
    "  if (x < 0.0 || isnan_f(x)) { return f_nan(); } if (x == 0.0) { return -f_inf(); }\n"
    "  if (isinf_f(x)) { return x; } return log2(x);\n"
    "}\n"
    "float log10_f(float x) { return log2_f(x) * 0.30102999566398120; }\n"
    "float log1p_f(float x) {\n"
    "  float u = 1.0 + x;\n"
    "  if (u == 1.0) { return x; }\n"
    "  if (isinf_f(u)) { return log_f(u); }\n"
    "  return log_f(u) * x / (u - 1.0);\n"
    "}\n"
    "float exp_f(float x) {\n"
    "  if (isnan_f(x)) { return x; } if (x > 88.72284) { return f_inf(); } if (x < -103.97209) { return 0.0; }\n"
    "  return exp(x);\n"
    "}\n"
    "float exp2_f(float x) {\n"
    "  if (isnan_f(x)) { return x; } if (x >= 128.0) { return f_inf(); } if (x < -150.0) { return 0.0; }\n"
    "  return exp2(x);\n"
    "}\n"
    "float expm1_f(float x) {\n"
    "  float u = exp_f(x);\n"
    "  if (u == 1.0) { return x; }\n"
    "  float um1 = u - 1.0;\n"
    "  if (um1 == -1.0) { return -1.0; }\n"
    "  if (isinf_f(u)) { return u; }\n"
    "  return um1 * x / log(u);\n"
    "}\n"
    /* hyperbolic functions: the builtins overflow inside (cosh(NaN) = inf, tanh(inf) = NaN) */
    "float sinh_f(float x) { if (!isfin_f(x)) { return x; } return sinh(x); }\n"
    "float cosh_f(float x) { if (!isfin_f(x)) { return abs(x); } return cosh(x); }\n"
    "float tanh_f(float x) {\n"
    "  if (isnan_f(x) || abs(x) < 1.0e-4) { return x; }\n"
    "  if (abs(x) > 9.1) { return copysign_f(1.0, x); }\n"
    "  return tanh(x);\n"
    "}\n"
    "float cbrt_f(float x) {\n"
    "  if (x == 0.0 || !isfin_f(x)) { return x; }\n"
    "  float r = pow(abs(x), 1.0 / 3.0);\n"
    "  r = r - (r * r * r - abs(x)) / (3.0 * r * r);\n"
    "  return copysign_f(r, x);\n"
    "}\n";

/* sin, cos and tan: Cody-Waite reduction x = k pi/2 + r with pi/2 in five parts (the first four
 * of 8 bits, so k * part is exact for |k| < 2^16, |x| < ~1e5), then Cephes' minimax polynomials on
 * [-pi/4, pi/4].  atan2 (C's special values, signed zeros) from an atan polynomial on [0, 1] with
 * the argument folded at tan(pi/8), and pi/2, pi in two parts.  Drivers' builtins are ~2e-5
 * relative off (SwiftShader); these are within a few ulp.  Mirrored in wgsl.c.  Constants: pi/2 =
 * 201/2^7 + 253/2^19 + 170/2^27 + 136/2^37 + float(rest); pi/4, pi/2, pi = float + low part. */
static const char TRIG[] =
    "float trig_r(float x, float k) {\n"
    "  return ((((x - k * 1.5703125) - k * 4.8255920410156250e-4) - k * 1.2665987014770508e-6) -\n"
    "          k * 9.8953023552894592e-10) - k * 2.5633440682570896e-12;\n"
    "}\n"
    "float sin_poly(float r, float z) {\n"
    "  return ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;\n"
    "}\n"
    "float cos_poly(float z) {\n"
    "  return ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z -\n"
    "         0.5 * z + 1.0;\n"
    "}\n"
    "float sin_f(float x) {\n"
    "  if (!isfin_f(x)) { return f_nan(); }\n"
    "  if (abs(x) < 1.0e-4) { return x; }\n"
    "  float k = floor(x * 0.63661977236758134 + 0.5);\n"
    "  float r = trig_r(x, k);\n"
    "  float q = k - 4.0 * floor(k * 0.25);\n"
    "  float z = r * r;\n"
    "  float v = (q == 1.0 || q == 3.0) ? cos_poly(z) : sin_poly(r, z);\n"
    "  return q >= 2.0 ? -v : v;\n"
    "}\n"
    "float cos_f(float x) {\n"
    "  if (!isfin_f(x)) { return f_nan(); }\n"
    "  float k = floor(x * 0.63661977236758134 + 0.5);\n"
    "  float r = trig_r(x, k);\n"
    "  float q = k - 4.0 * floor(k * 0.25);\n"
    "  float z = r * r;\n"
    "  float v = (q == 1.0 || q == 3.0) ? sin_poly(r, z) : cos_poly(z);\n"
    "  return (q == 1.0 || q == 2.0) ? -v : v;\n"
    "}\n"
    "float tan_f(float x) {\n"
    "  if (!isfin_f(x)) { return f_nan(); }\n"
    "  if (abs(x) < 1.0e-4) { return x; }\n"
    "  float k = floor(x * 0.63661977236758134 + 0.5);\n"
    "  float r = trig_r(x, k);\n"
    "  float z = r * r;\n"
    "  float t = r;\n"
    "  if (z > 1.0e-8) {\n"
    "    t = (((((9.38540185543e-3 * z + 3.11992232697e-3) * z + 2.44301354525e-2) * z +\n"
    "          5.34112807005e-2) * z + 1.33387994085e-1) * z + 3.33331568548e-1) * z * r + r;\n"
    "  }\n"
    "  if (k - 2.0 * floor(k * 0.5) == 1.0) { t = -1.0 / t; }\n"
    "  return t;\n"
    "}\n"
    /* atan(t) for 0 <= t <= 1 */
    "float atan_core(float t) {\n"
    "  float y0 = 0.0; float lo = 0.0; float u = t;\n"
    "  if (t > 0.41421356237309505) { y0 = 0.78539818525314331; lo = -2.1855695e-8; u = (t - 1.0) / (t + 1.0); }\n"
    "  float z = u * u;\n"
    "  return y0 + (((((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z -\n"
    "                3.33329491539e-1) * z * u + lo) + u);\n"
    "}\n"
    "float atan2_f(float y, float x) {\n"
    "  if (isnan_f(x) || isnan_f(y)) { return f_nan(); }\n"
    "  float ax = abs(x); float ay = abs(y);\n"
    "  bool xneg = floatBitsToUint(x) >= 0x80000000u;\n"
    "  float r;\n"
    "  if (ay == 0.0) { r = xneg ? 3.1415927410125732 : 0.0; }\n"
    "  else if (ax == 0.0) { r = 1.5707963705062866; }\n"
    "  else if (isinf_f(ax) && isinf_f(ay)) { r = xneg ? 2.3561944961547852 : 0.78539818525314331; }\n"
    "  else if (isinf_f(ax)) { r = xneg ? 3.1415927410125732 : 0.0; }\n"
    "  else if (isinf_f(ay)) { r = 1.5707963705062866; }\n"
    "  else {\n"
    "    if (ay <= ax) { r = atan_core(ay / ax); }\n"
    "    else { r = (1.5707963705062866 - atan_core(ax / ay)) - 4.371139e-8; }\n"
    "    if (xneg) { r = (3.1415927410125732 - r) - 8.742278e-8; }\n"
    "  }\n"
    "  return copysign_f(r, y);\n"
    "}\n"
    "float atan_f(float x) { return atan2_f(x, 1.0); }\n";

/* after TRIG (atan2_f) */
static const char PRELUDE_INV[] =
    /* inverse functions with their domains (drivers' builtins return garbage outside them) */
    "float asin_f(float x) {\n"
    "  if (!(abs(x) <= 1.0)) { return f_nan(); } return atan2_f(x, sqrt((1.0 - x) * (1.0 + x)));\n"
    "}\n"
    "float acos_f(float x) {\n"
    "  if (!(abs(x) <= 1.0)) { return f_nan(); } return atan2_f(sqrt((1.0 - x) * (1.0 + x)), x);\n"
    "}\n"
    "float asinh_f(float x) {\n"
    "  float a = abs(x);\n"
    "  if (!isfin_f(x) || a == 0.0) { return x; }\n"
    "  float r;\n"
    "  if (a > 1.0e18) { r = log(a) + 0.6931471805599453; }\n"
    "  else { r = log1p_f(a + a * a / (1.0 + sqrt(1.0 + a * a))); }\n"
    "  return copysign_f(r, x);\n"
    "}\n"
    "float acosh_f(float x) {\n"
    "  if (!(x >= 1.0)) { return f_nan(); } if (isinf_f(x)) { return x; }\n"
    "  if (x > 1.0e18) { return log(x) + 0.6931471805599453; }\n"
    "  float t = x - 1.0;\n"
    "  return log1p_f(t + sqrt(2.0 * t + t * t));\n"
    "}\n"
    "float atanh_f(float x) {\n"
    "  float a = abs(x);\n"
    "  if (!(a <= 1.0)) { return f_nan(); } if (a == 1.0) { return copysign_f(f_inf(), x); }\n"
    "  return copysign_f(0.5 * log1p_f(2.0 * a / (1.0 - a)), x);\n"
    "}\n"
    "float hypot_f(float x, float y) {\n"
    "  float a = abs(x); float b = abs(y);\n"
    "  if (isinf_f(a) || isinf_f(b)) { return f_inf(); }\n"
    "  if (isnan_f(a) || isnan_f(b)) { return f_nan(); }\n"
    "  float m = max(a, b);\n"
    "  if (m == 0.0) { return 0.0; }\n"
    "  float r = min(a, b) / m;\n"
    "  return m * sqrt(1.0 + r * r);\n"
    "}\n";

/* ---- generator --------------------------------------------------------------------------------- */
typedef wgC_gen gen;
#define D (&wgC_glsl_dialect)

/* outputs an ELEMENTWISE kernel writes in one draw at most: the draw buffers WebGL2 guarantees */
#define WGC_GLSL_MRT_MAX 4

/* the shared scaffolding (expr.c) under this file's names */
static void unravel(gen *g, const char *var, int d0, int d1, const char *indent) {
    wgC_unravel(g, var, d0, d1, indent, 0);
}

static void offset_terms(gen *g, int w, int d0, int d1) { wgC_offset_terms(g, w, d0, d1); }

/* the 32-bit word that stores value `val` (dtype vdt) as dtype odt */
static void word_of(char *out, const char *val, int vdt, int odt) {
    char e[WGC_EXPR_MAX];
    wgC_cast(D, e, val, vdt, odt);
    switch (wgC_cls(odt)) {
    case 'b': wgC_xfmt(out, "(%s ? 1u : 0u)", e); break;
    case 'i': wgC_xfmt(out, "uint(%s)", e); break;
    case 'u': wgC_xfmt(out, "%s", e); break;
    default: wgC_xfmt(out, "floatBitsToUint(%s)", e); break;
    }
}

/* the value of class c held in word w */
static void value_of(char *out, const char *w, int dt) {
    switch (wgC_cls(dt)) {
    case 'b': wgC_xfmt(out, "(%s != 0u)", w); break;
    case 'i': wgC_xfmt(out, "int(%s)", w); break;
    case 'u': wgC_xfmt(out, "%s", w); break;
    default: wgC_xfmt(out, "uintBitsToFloat(%s)", w); break;
    }
}

/* extents of the point space: ELEMENTWISE and MATMUL all dims, REDUCE the kept ones */
static int point_dims(const gen *g) { return g->k->kind == WG_K_REDUCE ? g->nkeep : g->k->ndim; }

/* Vertex shader: contiguous mode draws a triangle over the viewport; scatter mode puts point
 * u_vbase + gl_VertexID at the texel of its word of output u_out (outside the clip volume when that
 * texel is on another layer). */
static void gen_vertex(gen *g) {
    int nd = point_dims(g);
    wgC_put(g->s,
            "flat out highp uint v_p;\n"
            "void main() {\n"
            "  gl_PointSize = 1.0;\n"
            "  v_p = 0u;\n"
            "  uint id = uint(gl_VertexID);\n"
            "  if (u_mode == 0u) {\n"
            "    gl_Position = vec4(id == 1u ? 3.0 : -1.0, id == 2u ? 3.0 : -1.0, 0.0, 1.0);\n"
            "    return;\n"
            "  }\n"
            "  uint p = u_vbase + id;\n"
            "  v_p = p;\n"
            "  gl_Position = vec4(2.0, 2.0, 2.0, 1.0);\n"
            "  if (id >= u_npts) { return; }\n");
    unravel(g, "p", 0, nd, "  ");
    wgC_put(g->s, "  uint wo = %du + u_out * %du;\n  int o = ai(wo)", wgC_w_out(g, 0), 1 + g->out_nst);
    for (int d = 0; d < nd; d++) wgC_put(g->s, " + ai(wo + %du) * int(i%d)", 1 + d, d);
    wgC_put(g->s, ";\n"
                  "  uint e = uint(o);\n"
                  "  if (e / (u_tw * u_th) != u_layer) { return; }\n"
                  "  float x = float(e %% u_tw) + 0.5;\n"
                  "  float y = float((e / u_tw) %% u_th) + 0.5;\n"
                  "  gl_Position = vec4(x * 2.0 / float(u_tw) - 1.0, y * 2.0 / float(u_vh) - 1.0, 0.0, 1.0);\n"
                  "}\n");
}

/* Addressing variants of an ELEMENTWISE kernel (straight-line, no INDEX instruction, at least one
 * input): the executor compiles the kernel's fragment shader with `#define WG_IN<i> <kind>` per
 * input and `#define WG_MODE <u_mode>` after #version (a program per combination it draws, as
 * MATMUL's draw kinds), chosen per draw from the operands:
 *   WG_IN<i> 2  the input's words line up with the output's (both C-contiguous over the point
 *               space, one offset, a contiguous draw): the fragment's own texel (gl_FragCoord,
 *               u_layer), no index arithmetic;
 *            1  C-contiguous over the point space: word offset + p, no unravel;
 *            0  (the default) offset + Σ stride_d · i_d from the unravelled point.
 *   WG_MODE  the draw's mode as a constant: point() without the u_mode branch.
 * On SwiftShader a branch on a uniform costs both sides (its lanes run masked), and the unravel's
 * integer divisions run lane by lane: the MLP step's SGD update of 78,400 points drew in about
 * 2.6 ms generic and 1.6 with its inputs at the fragment's texel (raw WebGL2, one page,
 * interleaved; docs/webgl2.md).  Without the defines the shader is the generic one. */
static int ew_variants(const wg_kernel_ir *k) {
    if (k->kind != WG_K_ELEMENTWISE || k->stmt || k->native || k->ninputs == 0) return 0;
    for (int i = 0; i < k->ninst; i++)
        if (k->inst[i].op == WG_OP_INDEX) return 0;
    return 1;
}

static void gen_elementwise(gen *g) {
    const wg_kernel_ir *k = g->k;
    int var = ew_variants(k);
    if (var) {
        wgC_put(g->s, "#if ");
        for (int i = 0; i < k->ninputs; i++) wgC_put(g->s, "%sWG_IN%d == 0", i ? " || " : "", i);
        wgC_put(g->s, "\n");
    }
    unravel(g, "p", 0, k->ndim, "  ");
    if (var) wgC_put(g->s, "#endif\n");
    for (int i = 0; i < k->ninputs; i++) {
        if (var)
            wgC_put(g->s, "#if WG_IN%d == 2\n  ivec3 o_in%d = ivec3(int(gl_FragCoord.x), int(gl_FragCoord.y), int(u_layer));\n"
                          "#elif WG_IN%d == 1\n  int o_in%d = ai(%du) + int(p);\n#else\n", i, i, i, i, wgC_w_in(g, i));
        wgC_put(g->s, "  int o_in%d = ai(%du)", i, wgC_w_in(g, i));
        offset_terms(g, wgC_w_in(g, i), 0, k->ndim);
        wgC_put(g->s, ";\n");
        if (var) wgC_put(g->s, "#endif\n");
    }
    if (wgC_emit_program(g, k->inst, k->ninst, "v", 0, "  ")) return;
    wgC_put(g->s, "  uint res = 0u;\n");
    for (int j = 0; j < k->noutputs; j++) {
        char name[32], w[WGC_EXPR_MAX];
        if (k->out_inst[j] >= k->ninst) {
            wgC_fail(g, WG_ERR_INTERNAL, "output instruction out of range", 0);
            return;
        }
        snprintf(name, sizeof name, "v%u", (unsigned)k->out_inst[j]);
        word_of(w, name, k->inst[k->out_inst[j]].dtype, k->output_dtype[j]);
        if (k->noutputs == 1) wgC_put(g->s, "  res = %s;\n", w);
        else wgC_put(g->s, "  if (u_out == %du) { res = %s; }\n", j, w);
        /* every output at its own location too, for a draw with several render targets */
        if (j && k->noutputs <= WGC_GLSL_MRT_MAX) wgC_put(g->s, "  o_m%d = uvec4(%s, 0u, 0u, 0u);\n", j, w);
    }
    wgC_put(g->s, "  o_color = uvec4(res, 0u, 0u, 0u);\n");
}

/* a statement kernel or REDUCE reading an input by index (LOAD_AT) */
static int has_raw_input(const wg_kernel_ir *k) {
    if (!k->stmt && k->kind != WG_K_REDUCE) return 0;
    for (int i = 0; i < k->ninputs; i++)
        if (k->input_raw[i]) return 1;
    return 0;
}

/* REDUCE: each fragment folds serially, in index order.  Words after the parameters: slices S and
 * phase.  Phase 0 with S == 1 folds point p's elements and finishes; with S > 1 fragment g folds
 * slice g % S of point g / S into the partials texture (value bits, index); phase 1 folds point
 * p's S partials in order and finishes. */

/* Phase 0 walks its inputs along their texture rows when the kernel has one reduced dim, no raw
 * input and a short program (WGC_GLSL_WALK_MAX instructions: the program is written five times),
 * and, at run time, every input's reduced stride is in [0, TW): each input keeps the texel centre
 * of its element r (o_in<i> is then a vec3, read by ld()'s texture() overload) and steps it by
 * stride / TW, four elements a step while the four lie in the row, and recomputes it from the
 * index when it leaves the row.  On SwiftShader the per-element index-to-texel arithmetic and
 * texelFetch were most of a sum's time; texture() at texel centres is cheaper (as for MATMUL),
 * and four independent fetches an iteration cut the loop's overhead: x.sum() of 1M, phase 0
 * 11-22 → 5-7 ms (bench/webgl2_reduce_probe.mjs, walk4tex against cur).  Folds stay serial in
 * index order, so results are bit for bit those of the index loop. */
#define WGC_GLSL_WALK_MAX 48

/* one element of phase 0 at reduced index `rv` (a uint expression): its indices, its inputs'
 * elements (walk: the texel centres q_in<i> stepped e times), the program and the fold */
static int reduce_elem(gen *g, const char *rv, int walk, int e, const char *indent) {
    const wg_kernel_ir *k = g->k;
    int nkeep = g->nkeep, fold = k->fold, adt = k->acc_dtype;
    int isarg = fold == WG_FOLD_ARGMIN || fold == WG_FOLD_ARGMAX;
    int accb = fold == WG_FOLD_ANY || fold == WG_FOLD_ALL;
    char x[WGC_EXPR_MAX], val[32], in2[24];
    snprintf(in2, sizeof in2, "%s  ", indent);
    wgC_put(g->s, "%s{\n%s  uint rk = %s;\n", indent, indent, rv);
    unravel(g, "rk", nkeep, k->ndim, in2);
    for (int i = 0; i < k->ninputs; i++) {
        if (walk && e) wgC_put(g->s, "%s  vec3 o_in%d = q_in%d + vec3(%d.0 * dq_in%d, 0.0, 0.0);\n", indent, i, i, e, i);
        else if (walk) wgC_put(g->s, "%s  vec3 o_in%d = q_in%d;\n", indent, i, i);
        else {
            wgC_put(g->s, "%s  int o_in%d = base_in%d", indent, i, i);
            offset_terms(g, wgC_w_in(g, i), nkeep, k->ndim);
            wgC_put(g->s, ";\n");
        }
    }
    if (wgC_emit_program(g, k->inst, k->ninst, "v", 0, in2)) return g->err;
    snprintf(val, sizeof val, "v%u", (unsigned)k->out_inst[0]);
    int vdt = k->inst[k->out_inst[0]].dtype;
    if (accb) wgC_truth(x, val, vdt);
    else wgC_cast(D, x, val, vdt, adt);
    wgC_put(g->s, "%s  %s x = %s;\n", indent, wgC_ty(D, accb ? WG_BOOL : adt), x);
    if (isarg) wgC_put(g->s, "%s  if (better(ta, ti, x, int(rk))) { ta = x; ti = int(rk); }\n", indent);
    else wgC_put(g->s, "%s  ta = comb(ta, x);\n", indent);
    wgC_put(g->s, "%s}\n", indent);
    return 0;
}

/* the walk (above): q_in<i> for element r of every input, from the index */
static void walk_place(gen *g, const char *indent) {
    for (int i = 0; i < g->k->ninputs; i++)
        wgC_put(g->s, "%sq_in%d = vec3((vec2(texel(uint(base_in%d + st_in%d * int(r))).xy) + 0.5) * iv_in%d,\n"
                      "%s             float(texel(uint(base_in%d + st_in%d * int(r))).z));\n",
                indent, i, i, i, i, indent, i, i);
}

static int reduce_walk(gen *g) {
    const wg_kernel_ir *k = g->k;
    int n = k->ninputs;
    wgC_put(g->s, "    bool walk = true;\n");
    for (int i = 0; i < n; i++)
        wgC_put(g->s, "    int st_in%d = ai(%du);\n    walk = walk && st_in%d >= 0 && st_in%d < int(u_tw);\n",
                i, wgC_w_in(g, i) + 1 + g->nkeep, i, i);
    wgC_put(g->s, "    if (walk) {\n      uint r = lo;\n");
    for (int i = 0; i < n; i++)
        wgC_put(g->s, "      vec2 iv_in%d = 1.0 / vec2(textureSize(t_in%d, 0).xy);\n"
                      "      float dq_in%d = float(st_in%d) * iv_in%d.x;\n"
                      "      float lim_in%d = 1.0 - 3.0 * dq_in%d;\n"
                      "      vec3 q_in%d;\n", i, i, i, i, i, i, i, i);
    walk_place(g, "      ");
    wgC_put(g->s, "      while (r < hi) {\n        if (r + 4u <= hi");
    for (int i = 0; i < n; i++) wgC_put(g->s, " && q_in%d.x < lim_in%d", i, i);
    wgC_put(g->s, ") {\n");
    for (int e = 0; e < 4; e++) {
        char rv[16];
        snprintf(rv, sizeof rv, e ? "r + %du" : "r", e);
        if (reduce_elem(g, rv, 1, e, "          ")) return g->err;
    }
    for (int i = 0; i < n; i++) wgC_put(g->s, "          q_in%d.x += 4.0 * dq_in%d;\n", i, i);
    wgC_put(g->s, "          r += 4u;\n        } else {\n");
    if (reduce_elem(g, "r", 1, 0, "          ")) return g->err;
    for (int i = 0; i < n; i++) wgC_put(g->s, "          q_in%d.x += dq_in%d;\n", i, i);
    wgC_put(g->s, "          r += 1u;\n        }\n        if (r < hi && (");
    for (int i = 0; i < n; i++) wgC_put(g->s, "%sq_in%d.x >= 1.0", i ? " || " : "", i);
    wgC_put(g->s, ")) {\n");
    walk_place(g, "          ");
    wgC_put(g->s, "        }\n      }\n    } else {\n");
    return 0;
}

static void gen_reduce(gen *g) {
    const wg_kernel_ir *k = g->k;
    int nkeep = g->nkeep, fold = k->fold, adt = k->acc_dtype, accb = 0;
    int isarg = fold == WG_FOLD_ARGMIN || fold == WG_FOLD_ARGMAX;
    int wS = wgC_wgsl_arg_words(k) - 2;
    if (adt == WG_FLOAT16) {
        wgC_fail(g, WG_ERR_NOTIMPL, "a reduction's accumulator", adt);
        return;
    }
    if (k->out_inst[0] >= k->ninst) {
        wgC_fail(g, WG_ERR_INTERNAL, "reduction value out of range", 0);
        return;
    }
    if (k->npost < 1) {
        wgC_fail(g, WG_ERR_INTERNAL, "a reduction without a post program", 0);
        return;
    }
    accb = fold == WG_FOLD_ANY || fold == WG_FOLD_ALL;
    int vt = accb ? WG_BOOL : adt; /* the dtype the accumulator is held as */
    const char *T = wgC_ty(D, vt);
    int walk = k->ndim - nkeep == 1 && k->ninputs > 0 && !has_raw_input(k) && k->ninst <= WGC_GLSL_WALK_MAX;
    char y[WGC_EXPR_MAX], val[32];
    wgC_put(g->s, "  uint ns = arg(%du);\n  uint phase = arg(%du);\n  uint s = 0u;\n"
                  "  if (phase == 0u && ns > 1u) {\n"
                  /* partial g is texel (g %% PW, g / PW) of rows PW = 2^u_pwsh wide (ld_part) */
                  "    p = ((p >> u_tsh) << u_pwsh) | (p & (u_tw - 1u));\n"
                  "    if (p >= arg(0u) * ns) { o_color = uvec4(0u); return; }\n"
                  "    s = p %% ns; p = p / ns;\n"
                  "  }\n",
            wS, wS + 1);
    wgC_put(g->s, "  %s ta = %s;\n", T, wgC_reduce_identity(D, k));
    if (isarg) wgC_put(g->s, "  int ti = -1;\n");
    wgC_put(g->s, "  if (phase == 0u) {\n");
    unravel(g, "p", 0, nkeep, "    ");
    for (int i = 0; i < k->ninputs; i++) {
        wgC_put(g->s, "    int base_in%d = ai(%du)", i, wgC_w_in(g, i));
        offset_terms(g, wgC_w_in(g, i), 0, nkeep);
        wgC_put(g->s, ";\n");
    }
    wgC_put(g->s, "    uint nr = arg(1u);\n"
                  "    uint chunk = nr / ns + (nr %% ns != 0u ? 1u : 0u);\n"
                  "    uint lo = s * chunk;\n    uint hi = min(lo + chunk, nr);\n");
    if (walk && reduce_walk(g)) return;
    wgC_put(g->s, "    for (uint r = lo; r < hi; r++) {\n");
    if (reduce_elem(g, "r", 0, 0, "      ")) return;
    wgC_put(g->s, "    }\n%s  } else {\n"
                  "    for (uint t = 0u; t < ns; t++) {\n"
                  "      uvec2 pw = ld_part(p * ns + t);\n", walk ? "    }\n" : "");
    value_of(y, "pw.x", vt);
    wgC_put(g->s, "      %s y = %s;\n", T, y);
    if (isarg)
        wgC_put(g->s, "      int yi = int(pw.y);\n"
                      "      if (better(ta, ti, y, yi)) { ta = y; ti = yi; }\n");
    else wgC_put(g->s, "      ta = comb(ta, y);\n");
    wgC_put(g->s, "    }\n  }\n");
    word_of(y, "ta", vt, vt);
    wgC_put(g->s, "  if (phase == 0u && ns > 1u) {\n    o_color = uvec4(%s, %s, 0u, 0u);\n    return;\n  }\n",
            y, isarg ? "uint(ti)" : "0u");
    if (isarg) wgC_put(g->s, "  int acc = max(ti, 0);\n");
    else wgC_put(g->s, "  %s acc = ta;\n", T);
    if (k->ninputs) unravel(g, "p", 0, nkeep, "  ");
    for (int i = 0; i < k->ninputs; i++) { /* inputs at the kept point (raw: their runs) */
        wgC_put(g->s, "  int o_in%d = ai(%du)", i, wgC_w_in(g, i));
        if (!k->input_raw[i]) offset_terms(g, wgC_w_in(g, i), 0, nkeep);
        wgC_put(g->s, ";\n");
    }
    if (wgC_emit_program(g, k->post, k->npost, "w", 1, "  ")) return;
    snprintf(val, sizeof val, "w%d", k->npost - 1);
    int pdt = k->post[k->npost - 1].dtype;
    if (pdt == WG_FLOAT16) {
        wgC_fail(g, WG_ERR_NOTIMPL, "a reduction's result", pdt);
        return;
    }
    word_of(y, val, pdt, k->output_dtype[0]);
    wgC_put(g->s, "  o_color = uvec4(%s, 0u, 0u, 0u);\n", y);
}

/* MATMUL: one fragment per output element.  Elements are converted to the output dtype when
 * loaded (bool: 0/1 in a uint, OR of ANDs); ints wrap in 32 bits and are wrapped to the output's
 * width at the end.  Two shapes, chosen per dispatch by the executor with the uniform u_mm:
 * - u_mm = 0: a serial loop over K unrolled by 4, a texel fetch per element of A and of B.
 * - packed: u_mm = 1 draws A into an RGBA32UI temporary, texel (batch, i, kk) = A[i, 4kk..4kk+3];
 *   u_mm = 2 draws B the same way along its columns, texel (batch, j, kk) = B[4kk..4kk+3, j]
 *   (the converted values' words, 0 past K); u_mm = 3 is the product reading four elements of
 *   A and of B per fetch (t_pa, t_pb): a quarter of the fetches, the same serial order over K. */
/* cv[s]: operand s's element at index variable e<s> (el: at `el`), converted to the output dtype */
static void mm_setup(gen *g, int el, char cv[2][WGC_EXPR_MAX]) {
    char t[WGC_EXPR_MAX], l[WGC_EXPR_MAX];
    const wg_kernel_ir *k = g->k;
    int odt = k->output_dtype[0], isb = wgC_cls(odt) == 'b';
    for (int s = 0; s < 2; s++) {
        if (el) wgC_xfmt(t, "ld(t_in%d, el)", s);
        else wgC_xfmt(t, "ld(t_in%d, e%d)", s, s);
        value_of(l, t, k->input_dtype[s]);
        if (isb) {
            char b[WGC_EXPR_MAX];
            wgC_cast(D, b, l, k->input_dtype[s], WG_BOOL);
            wgC_xfmt(cv[s], "(%s ? 1u : 0u)", b);
        } else wgC_cast(D, cv[s], l, k->input_dtype[s], odt);
    }
}

/* the base element e<s> and K stride k<s> of operand s at indices i<d> (batch dims, and A's row
 * i<nd-2> or B's column i<nd-1>) */
static void mm_base(gen *g, int nd, int s, const char *indent) {
    int wi = wgC_w_in(g, s);
    int fixed = s == 0 ? nd - 2 : nd - 1, kdim = s == 0 ? nd - 1 : nd - 2;
    wgC_put(g->s, "%sint e%d = ai(%du)", indent, s, wi);
    offset_terms(g, wi, 0, nd - 2);
    offset_terms(g, wi, fixed, fixed + 1);
    wgC_put(g->s, ";\n%sint k%d = ai(%du);\n", indent, s, wi + 1 + kdim);
}

static void gen_matmul(gen *g) {
    const wg_kernel_ir *k = g->k;
    int nd = k->ndim, odt = k->output_dtype[0];
    int isb = wgC_cls(odt) == 'b';
    char cls = isb ? 'u' : wgC_cls(odt);
    const char *T = isb ? "uint" : wgC_ty(D, odt), *Z = isb ? "0u" : wgC_zero(odt);
    const char *T4 = cls == 'f' ? "vec4" : cls == 'i' ? "ivec4" : "uvec4";
    /* a value's word, four values' words, and four words as T4 */
    const char *wfmt = cls == 'f' ? "floatBitsToUint(%s)" : cls == 'i' ? "uint(%s)" : "%s";
    const char *vfmt = cls == 'f' ? "uintBitsToFloat(%s)" : cls == 'i' ? "ivec4(%s)" : "%s";
    char cv[2][WGC_EXPR_MAX], cvp[2][WGC_EXPR_MAX];
    char t[WGC_EXPR_MAX], w[WGC_EXPR_MAX], ld[96];
    mm_setup(g, 0, cv);
    mm_setup(g, 1, cvp);
    int wB = wgC_w_in(g, 1);
    wgC_put(g->s, "  uint K = arg(1u);\n  uint K4 = (K + 3u) / 4u;\n"
                  "  uint M = arg(%du);\n  uint N = arg(%du);\n  uint N4 = (N + 3u) / 4u;\n",
            wgC_w_shape(g, nd - 2), wgC_w_shape(g, nd - 1));
    /* the packing draws, each a 2-D draw over one layer u_mb.w of its temporary (fragment x, y):
     * u_mm 1, A along K: texel (kk, y) of layer L = A[b, i, 4kk..4kk+3] with b·M + i =
     * L·u_mb.x·M + y; u_mm 2, B along N: texel (jj, y) = B[b, k, 4jj..4jj+3], b·K + k =
     * L·u_mb.y·K + y.  u_mb.x, u_mb.y: the batches per layer (whole matrices per layer, so a
     * product reads each operand's rows in one layer) */
    wgC_put(g->s, "  uint fx = uint(gl_FragCoord.x), fy = uint(gl_FragCoord.y);\n"
                  "  if (u_mm == 1u || u_mm == 2u) {\n    uvec4 o = uvec4(0u);\n");
    for (int s = 0; s < 2; s++) {
        wgC_put(g->s, "    if (u_mm == %du) {\n", s + 1);
        if (s == 0) {
            wgC_put(g->s, "      uint kk = fx;\n      uint q = u_mb.w * u_mb.x * M + fy;\n");
            unravel(g, "q", 0, nd - 1, "      ");
            mm_base(g, nd, 0, "      ");
            wgC_put(g->s, "      uint kc = kk * 4u;\n      int st = k0;\n      int el = e0 + int(kc) * k0;\n");
        } else {
            wgC_put(g->s, "      uint jj = fx;\n      uint q = u_mb.w * u_mb.y * K + fy;\n"
                          "      uint i%d = q %% K;\n      q = q / K;\n", nd - 2);
            unravel(g, "q", 0, nd - 2, "      ");
            wgC_put(g->s, "      int e1 = ai(%du)", wB);
            offset_terms(g, wB, 0, nd - 1);
            wgC_put(g->s, ";\n      uint kc = jj * 4u;\n      int st = ai(%du);\n"
                          "      int el = e1 + int(kc) * st;\n", wB + 1 + nd - 1);
        }
        for (int c = 0; c < 4; c++) {
            char word[WGC_EXPR_MAX];
            wgC_xfmt(word, wfmt, cvp[s]);
            wgC_put(g->s, "      if (kc + %du < %s) { o[%d] = %s; }\n", c, s ? "N" : "K", c, word);
            if (c < 3) wgC_put(g->s, "      el += st;\n");
        }
        wgC_put(g->s, "    }\n");
    }
    wgC_put(g->s, "    o_color = o;\n    return;\n  }\n");
    /* u_mm 3: a block of 4 × 4 outputs, rows i0..i0+3 and columns 4jj..4jj+3 of batch b, into
     * four render targets (row i0 + r into o_color / o_c<r>): per four steps of K four fetches
     * of A and four of B for 64 products (SwiftShader's cost is the fetch: a 1 × 4 block with one
     * fetch of A, 4.3× slower at 512², bench/webgl2_mm_probe.mjs).  Fragment (jj, y) of layer
     * group u_mb.w (layers 4w..4w+3): b = w·u_mb.z + y / M4, i0 = 4·(y % M4).  Each output is
     * summed in the serial order over K; the partial last step folds only K % 4 elements (A is 0
     * past K, but B's rows past K belong to another matrix).  Rows past M compute garbage that
     * no output reads.  Fetches are texture() at texel centres (NEAREST, one level): cheaper than
     * texelFetch on SwiftShader under ANGLE. */
    /* WG_MR rows a block (the executor's #define: 8 where MAX_DRAW_BUFFERS allows, else 4); rows
     * 4..7 are in #if blocks, so that a context with four draw buffers compiles the 4-row shape */
    wgC_put(g->s, "  if (u_mm == 3u) {\n"
                  "    uint MR = (M + uint(WG_MR) - 1u) / uint(WG_MR);\n"
                  "    uint b = u_mb.w * u_mb.z + fy / MR;\n    uint i0 = (fy %% MR) * uint(WG_MR);\n"
                  "    vec2 ia = 1.0 / vec2(textureSize(t_pa, 0).xy);\n"
                  "    vec2 ib = 1.0 / vec2(textureSize(t_pb, 0).xy);\n"
                  "    float la = float(b / u_mb.x), lb = float(b / u_mb.y);\n"
                  "    float ya = float((b %% u_mb.x) * M + i0) + 0.5;\n"
                  "    uint yb = (b %% u_mb.y) * K;\n"
                  "    float bx = (float(fx) + 0.5) * ib.x;\n"
                  "    uint KF = K / 4u;\n");
    for (int r = 0; r < 8; r++) {
        if (r == 4) wgC_put(g->s, "#if WG_MR == 8\n");
        wgC_put(g->s, "    float ay%d = (ya + %d.0) * ia.y;\n    %s c%d = %s(0);\n", r, r, T4, r, T4);
        if (r == 7) wgC_put(g->s, "#endif\n");
    }
    for (int tail = 0; tail < 2; tail++) {
        if (!tail) wgC_put(g->s, "    for (uint kk = 0u; kk < KF; kk++) {\n");
        else wgC_put(g->s, "    if (KF < K4) {\n      uint kk = KF;\n");
        wgC_put(g->s, "      float ax = (float(kk) + 0.5) * ia.x;\n"
                      "      float by = (float(yb + kk * 4u) + 0.5) * ib.y;\n");
        for (int r = 0; r < 8; r++) {
            if (r == 4) wgC_put(g->s, "#if WG_MR == 8\n");
            snprintf(ld, sizeof ld, "texture(t_pa, vec3(ax, ay%d, la))", r);
            wgC_xfmt(t, vfmt, ld);
            wgC_put(g->s, "      %s a%d = %s;\n", T4, r, t);
            if (r == 7) wgC_put(g->s, "#endif\n");
        }
        for (int c = 0; c < 4 - tail; c++) { /* a partial step has at most 3 elements */
            if (c) snprintf(ld, sizeof ld, "texture(t_pb, vec3(bx, by + %d.0 * ib.y, lb))", c);
            else snprintf(ld, sizeof ld, "texture(t_pb, vec3(bx, by, lb))");
            wgC_xfmt(t, vfmt, ld);
            if (tail && c) wgC_put(g->s, "      if (K %% 4u > %du) {\n", c);
            wgC_put(g->s, "      %s b%d = %s;\n", T4, c, t);
            for (int r = 0; r < 8; r++) {
                if (r == 4) wgC_put(g->s, "#if WG_MR == 8\n");
                if (isb) wgC_put(g->s, "      c%d = c%d | (uvec4(a%d[%d]) & b%d);\n", r, r, r, c, c);
                else wgC_put(g->s, "      c%d = c%d + a%d[%d] * b%d;\n", r, r, r, c, c);
                if (r == 7) wgC_put(g->s, "#endif\n");
            }
            if (tail && c) wgC_put(g->s, "      }\n");
        }
        wgC_put(g->s, "    }\n");
    }
    {
        const char *of = cls == 'f' ? "floatBitsToUint(%s)" : cls == 'i' ? "uvec4(%s)" : "%s";
        for (int r = 0; r < 8; r++) {
            char c[8], w8[32];
            snprintf(c, sizeof c, "c%d", r);
            wgC_xfmt(w8, of, c);
            if (r == 4) wgC_put(g->s, "#if WG_MR == 8\n");
            if (r) wgC_put(g->s, "    o_c%d = %s;\n", r, w8);
            else wgC_put(g->s, "    o_color = %s;\n", w8);
            if (r == 7) wgC_put(g->s, "#endif\n");
        }
        wgC_put(g->s, "    return;\n  }\n");
    }
    wgC_put(g->s, "  %s c = %s;\n", T, Z);
    /* u_mm 4: output p from its block's texel; else the unpacked loop */
    /* u_mm 4: output p = (b, i, j) from component j % 4 of its block's texel: layer
     * R·(b / u_mb.z) + i % R, row (b % u_mb.z)·MR + i / R, column j / 4 (R = WG_MR) */
    /* WG_MM1B: the executor's variant for one matrix (no batch): b = g = 0, one division */
    wgC_put(g->s, "  if (u_mm == 4u) {\n    uint q = udq(p, max(N, 1u));\n    uint j = p - q * max(N, 1u);\n"
                  "#ifdef WG_MM1B\n    uint b = 0u;\n    uint i = q;\n    uint g = 0u;\n#else\n"
                  "    uint b = udq(q, max(M, 1u));\n    uint i = q - b * max(M, 1u);\n"
                  "    uint g = udq(b, u_mb.z);\n#endif\n    uint R = uint(WG_MR);\n"
                  "    ivec3 tc = ivec3(int(j / 4u), int((b - g * u_mb.z) * ((M + R - 1u) / R) + i / R),\n"
                  "                     int(g * R + i %% R));\n");
    snprintf(ld, sizeof ld, "texelFetch(t_pc, tc, 0)");
    wgC_xfmt(t, vfmt, ld);
    wgC_put(g->s, "    c = %s[j %% 4u];\n  } else {\n", t);
    unravel(g, "p", 0, nd, "  ");
    mm_base(g, nd, 0, "  ");
    mm_base(g, nd, 1, "  ");
    const char *step = isb ? "    c = c | (%s & %s); e0 += k0; e1 += k1;\n"
                           : "    c = c + %s * %s; e0 += k0; e1 += k1;\n";
    wgC_put(g->s, "  uint kk = 0u;\n  while (kk + 4u <= K) {\n");
    for (int u = 0; u < 4; u++) wgC_put(g->s, step, cv[0], cv[1]);
    wgC_put(g->s, "    kk += 4u;\n  }\n  while (kk < K) {\n");
    wgC_put(g->s, step, cv[0], cv[1]);
    wgC_put(g->s, "    kk += 1u;\n  }\n  }\n");
    if (isb) wgC_xfmt(t, "(c != 0u)");
    else wgC_wrap(t, "c", odt);
    word_of(w, t, isb ? WG_BOOL : odt, odt);
    wgC_put(g->s, "  o_color = uvec4(%s, 0u, 0u, 0u);\n", w);
}

/* ---- statement kernels (stmt.h): the program runs in kbody() over the per-invocation state;
 * main stores output u_out from its local.  Raw outputs, STORE_AT, ATOMIC_ADD and OUT_LOAD_AT
 * were refused (wgC_stmt_begin): a fragment writes only its own point. */

static void gen_stmt_main(gen *g) {
    const wg_kernel_ir *k = g->k;
    wgC_stmt_point(g, "p", "  ");
    wgC_put(g->s, "  kbody();\n  uint res = 0u;\n");
    for (int j = 0; j < k->noutputs; j++) {
        char name[24], w[WGC_EXPR_MAX];
        snprintf(name, sizeof name, "ol%d", k->out_var[j]);
        word_of(w, name, k->var_dtype[k->out_var[j]], k->output_dtype[j]);
        if (k->noutputs == 1) wgC_put(g->s, "  res = %s;\n", w);
        else wgC_put(g->s, "  if (u_out == %du) { res = %s; }\n", j, w);
    }
    wgC_put(g->s, "  o_color = uvec4(res, 0u, 0u, 0u);\n  }\n");
}

/* ---- the two shaders ------------------------------------------------------------------------- */
static void put_common(gen *g, int nwords) {
    const wg_kernel_ir *k = g->k;
    wgC_put(g->s, "#version 300 es\n"
                  "precision highp float;\nprecision highp int;\nprecision highp usampler2DArray;\n"
                  "// wgpy kernel: kind %d, ndim %d, %d inputs, %d outputs, %d params, %d argument words\n"
                  "uniform highp uvec4 wa[%d];\n"
                  "uniform highp uint u_tw, u_th, u_vh, u_layer, u_mode, u_out, u_off, u_npts, u_vbase;\n"
                  "uniform highp uint u_tsh;\n"
                  "uint arg(uint i) { return wa[i >> 2u][i & 3u]; }\n"
                  "int ai(uint i) { return int(wa[i >> 2u][i & 3u]); }\n",
            k->kind, k->ndim, k->ninputs, k->noutputs, k->nparams, nwords, (nwords + 3) / 4);
    if (has_raw_input(k)) /* words of each input's buffer: reads past it give 0 (stmt.c) */
        wgC_put(g->s, "uniform highp uint u_inlen[%d];\n", WGC_GLSL_MAX_TEXTURES);
}

/* st: the analysis of a statement kernel, else NULL */
static void gen_fragment(gen *g, const wgC_stmt *st) {
    const wg_kernel_ir *k = g->k;
    wgC_put(g->s, "flat in highp uint v_p;\n");
    for (int i = 0; i < k->ninputs; i++) wgC_put(g->s, "uniform highp usampler2DArray t_in%d;\n", i);
    if (k->kind == WG_K_REDUCE) wgC_put(g->s, "uniform highp usampler2DArray t_part;\n");
    if (k->kind == WG_K_MATMUL) /* the packed operands and the draw's shape (gen_matmul) */
        wgC_put(g->s, "uniform highp usampler2DArray t_pa;\nuniform highp usampler2DArray t_pb;\n"
                      "uniform highp usampler2DArray t_pc;\nuniform highp uvec4 u_mb;\n"
                      /* the executor compiles a program per draw kind (WG_MM defined after
                       * #version): the whole kernel in each draw ran the output's unpacking
                       * 10x slower than an elementwise copy on SwiftShader */
                      "#ifdef WG_MM\nconst uint u_mm = WG_MM;\n#else\nuniform highp uint u_mm;\n#endif\n"
                      /* the product's rows a block (gen_matmul): the executor defines it with WG_MM */
                      "#ifndef WG_MR\n#define WG_MR 4\n#endif\n"
                      "layout(location = 1) out highp uvec4 o_c1;\nlayout(location = 2) out highp uvec4 o_c2;\n"
                      "layout(location = 3) out highp uvec4 o_c3;\n"
                      "#if WG_MR == 8\n"
                      "layout(location = 4) out highp uvec4 o_c4;\nlayout(location = 5) out highp uvec4 o_c5;\n"
                      "layout(location = 6) out highp uvec4 o_c6;\nlayout(location = 7) out highp uvec4 o_c7;\n"
                      "#endif\n");
    if (k->kind == WG_K_MATMUL) /* the unpacking draw's divisions: on SwiftShader an integer
                                 * division is a scalar loop over the lanes, a float one a vector
                                 * instruction; below 2^24 the float quotient is off by at most one */
        /* WG_UDQ24: the executor's variant for a draw whose operands are all below 2^24 (a
         * branch costs both sides on SwiftShader: without it the integer division ran anyway) */
        wgC_put(g->s, "uint udq(uint a, uint b) {\n"
                      "#ifndef WG_UDQ24\n"
                      "  if (a >= 16777216u || b >= 16777216u) { return a / b; }\n"
                      "#endif\n"
                      "  uint q = uint(float(a) / float(b));\n"
                      "  if (q * b > a) { q -= 1u; } else if (a - q * b >= b) { q += 1u; }\n"
                      "  return q;\n}\n");
    /* ELEMENTWISE with 2..WGC_GLSL_MRT_MAX outputs: output j also at location j, so that the
     * executor draws them all at once into as many render targets when their words line up (one
     * draw instead of one per output, each running the whole program); a draw with one target
     * keeps only location 0, output u_out */
    if (!st && k->kind == WG_K_ELEMENTWISE && k->noutputs > 1 && k->noutputs <= WGC_GLSL_MRT_MAX)
        for (int j = 1; j < k->noutputs; j++) wgC_put(g->s, "layout(location = %d) out highp uvec4 o_m%d;\n", j, j);
    wgC_put(g->s,
            "layout(location = 0) out highp uvec4 o_color;\n"
            /* word e of a texture array: x = e %% TW, y = (e / TW) %% TH, layer = e / (TW * TH);
             * TW = TH = 2^u_tsh, so shifts and masks (an integer division per coordinate was
             * most of a texel fetch's cost on SwiftShader) */
            "ivec3 texel(uint e) {\n"
            "  return ivec3(int(e & (u_tw - 1u)), int((e >> u_tsh) & (u_th - 1u)), int(e >> (u_tsh + u_tsh)));\n"
            "}\n"
            "uint ld(highp usampler2DArray t, int e) { return texelFetch(t, texel(uint(e)), 0).r; }\n");
    if (k->kind == WG_K_REDUCE) /* a walked input (gen_reduce): the texel centre, NEAREST */
        wgC_put(g->s, "uint ld(highp usampler2DArray t, vec3 q) { return texture(t, q).r; }\n");
    if (k->kind == WG_K_REDUCE)
        wgC_put(g->s, "uniform highp uint u_pwsh;\n"
                      "uvec2 ld_part(uint e) {\n"
                      "  uint pm = (1u << u_pwsh) - 1u;\n"
                      "  ivec3 c = ivec3(int(e & pm), int((e >> u_pwsh) & (u_th - 1u)), int(e >> (u_pwsh + u_tsh)));\n"
                      "  return texelFetch(t_part, c, 0).rg;\n"
                      "}\n");
    if (!st && ew_variants(k)) { /* the addressing variants' defaults (gen_elementwise): generic */
        for (int i = 0; i < k->ninputs; i++) wgC_put(g->s, "#ifndef WG_IN%d\n#define WG_IN%d 0\n#endif\n", i, i);
        wgC_put(g->s, "uint ld(highp usampler2DArray t, ivec3 c) { return texelFetch(t, c, 0).r; }\n");
    }
    wgC_put(g->s, "%s%s%s", PRELUDE, TRIG, PRELUDE_INV);
    /* the fragment's point (contiguous mode: its word less u_off; discarded outside the range) */
    wgC_put(g->s,
            /* WG_MODE: the executor's variant for one mode (gen_elementwise, MATMUL's draw kinds) */
            "uint point() {\n"
            "#ifdef WG_MODE\n#if WG_MODE != 0\n  return v_p;\n#endif\n#else\n"
            "  if (u_mode != 0u) { return v_p; }\n"
            "#endif\n"
            "  return u_layer * u_tw * u_th + uint(gl_FragCoord.y) * u_tw + uint(gl_FragCoord.x) - u_off;\n"
            "}\n");
    if (k->kind == WG_K_REDUCE) {
        int accb;
        if (wgC_reduce_helpers(g, &accb)) return;
        wgC_raw_input_helpers(g); /* a raw input read by element (LOAD_AT) */
    }
    if (st) {
        wgC_stmt_state(g, st);
        if (wgC_stmt_body(g, st)) return;
    }
    /* a word below u_off wraps to a point >= u_npts (words are < 2^32).  No kernel runs its body
     * on such a point: `discard` may only demote the fragment to a helper lane that goes on
     * running (SwiftShader does), so the body sits in an else branch.  A statement kernel's loops
     * would otherwise run on the garbage the point reads (a Collatz loop on 0 never ends), and the
     * loops of MATMUL and REDUCE would run in full in every discarded quad of the viewport (a
     * 4096-wide row for a handful of points: most of a small matmul's or a reduction's time on
     * SwiftShader); a quad whose lanes are all discarded skips the branch. */
    wgC_put(g->s, "void main() {\n"
                  "  uint p = point();\n"
                  "  if (p >= u_npts) { discard; } else {\n");
    switch (st ? -1 : k->kind) {
    case -1: gen_stmt_main(g); break;
    case WG_K_ELEMENTWISE: gen_elementwise(g); break;
    case WG_K_REDUCE: gen_reduce(g); break;
    default: gen_matmul(g); break;
    }
    if (!st) wgC_put(g->s, "  }\n");
    wgC_put(g->s, "}\n");
}

int wgC_glsl(wg_context *ctx, const wg_kernel_ir *k, char **vs, char **fs) {
    *vs = *fs = NULL;
    wgC_sbuf sv = {ctx, NULL, 0, 0, 0}, sf = {ctx, NULL, 0, 0, 0};
    gen g;
    if (wgC_gen_begin(&g, ctx, k, &sv, D)) return g.err;
    int ntex = k->ninputs + (k->kind == WG_K_REDUCE) + 3 * (k->kind == WG_K_MATMUL);
    int lim = ctx->max_bindings < WGC_GLSL_MAX_TEXTURES ? ctx->max_bindings : WGC_GLSL_MAX_TEXTURES;
    if (ntex > lim)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "a kernel sampling %d textures (%d array inputs%s): "
                         "the webgl2 backend samples at most %d (MAX_TEXTURE_IMAGE_UNITS)", ntex,
                         k->ninputs, k->kind == WG_K_REDUCE ? " and the partials" : k->kind == WG_K_MATMUL ? " and the packed operands" : "", lim);
    wgC_stmt st;
    if (k->stmt && wgC_stmt_begin(&g, &st)) { /* refusals before any text */
        wgC_stmt_free(&st);
        return g.err;
    }
    int nwords = wgC_wgsl_arg_words(k);
    if (k->native && (k->native & WG_NATIVE_LANG) != WG_NATIVE_GLSL) { /* the refusal, before any text */
        wgC_native(&g);
        return g.err;
    }
    put_common(&g, nwords);
    gen_vertex(&g);
    g.s = &sf;
    if (k->native) wgC_native(&g); /* the fragment: native.c */
    else put_common(&g, nwords);
    if (!k->native) gen_fragment(&g, k->stmt ? &st : NULL);
    if (k->stmt) wgC_stmt_free(&st);
    if (g.err || sv.oom || sf.oom) {
        wgB_free(sv.p);
        wgB_free(sf.p);
        if (g.err) return g.err;
        return wgB_error(ctx, WG_ERR_MEMORY, "webgl2 codegen: out of memory");
    }
    *vs = sv.p;
    *fs = sf.p;
    return WG_OK;
}
