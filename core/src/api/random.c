/* Random numbers on every backend (docs/random.md): Philox4x32-10, a counter-based generator, as
 * library kernels.  Output point i of a call computes its own words from the key (the seed) and
 * the counter (i, draw, call low, call high), where `draw` counts the Philox blocks that point has
 * used (rejection loops draw as many as they need) and `call` is the generator's call counter, so
 * a seed gives the same words on cpu, webgpu and webgl2 whatever the launch geometry.  The 32x32
 * -> 64-bit multiply is written with 16-bit halves (WGSL and GLSL ES 3.00 have no mulhi); uint32
 * arithmetic wraps identically on every backend. */
#include "api.h"
#include "libk.h"

#include <string.h>

/* ---- the shared preamble: Philox, uniforms, and the distributions other ones build on -------- */
/* A round.  The high words of the products by Philox's multipliers 0xD2511F53 and 0xCD9E8D57 are
 * wg_mulhi's formula written out with the multipliers' 16-bit halves as literals (0xD251 = 53841,
 * 0x1F53 = 8019; 0xCD9E = 52638, 0x8D57 = 36183): the same words, but no copies of the arguments
 * and no splitting of a constant in the kernel, which the cpu executor would run for every point
 * (GPU compilers fold them either way). */
#define MULHI_C(h, ah, al, x)                                                                     \
    "bl = " x " & 65535u; bh = " x " >> 16;"                                                      \
    "t = " ah " * bl + ((" al " * bl) >> 16); w = " al " * bh + (t & 65535u);"                   \
    h " = " ah " * bh + (t >> 16) + (w >> 16);"
#define ROUND_C                                                                                   \
    MULHI_C("h0", "53841u", "8019u", "c0") "l0 = 3528531795u * c0;"                             \
    MULHI_C("h1", "52638u", "36183u", "c2") "l1 = 3449720151u * c2;"                            \
    "c0 = h1 ^ c1 ^ k0; c1 = l1; c2 = h0 ^ c3 ^ k1; c3 = l0;"                                   \
    "k0 = k0 + 2654435769u; k1 = k1 + 3144134277u;\n"
/* the same round through wg_mulhi: four literals fewer, for the samplers that draw many blocks
 * (a kernel has at most 64 parameters and constants: noncentral_f is near it) */
#define ROUND                                                                                     \
    "h0 = wg_mulhi(3528531795u, c0); l0 = 3528531795u * c0;"                                    \
    "h1 = wg_mulhi(3449720151u, c2); l1 = 3449720151u * c2;"                                    \
    "c0 = h1 ^ c1 ^ k0; c1 = l1; c2 = h0 ^ c3 ^ k1; c3 = l0;"                                   \
    "k0 = k0 + 2654435769u; k1 = k1 + 3144134277u;\n"

static const char PRE[] =
    /* the high word of a * b from 16-bit halves (Hacker's Delight's mulhu): each partial sum
     * fits 32 bits, so four products and ten other operations, no carry compares */
    "__device__ unsigned int wg_mulhi(unsigned int a, unsigned int b) {\n"
    "  unsigned int al = a & 65535u, ah = a >> 16, bl = b & 65535u, bh = b >> 16;\n"
    "  unsigned int t = ah * bl + ((al * bl) >> 16);\n"
    "  unsigned int w = al * bh + (t & 65535u);\n"
    "  return ah * bh + (t >> 16) + (w >> 16);\n"
    "}\n"
    /* Philox4x32-10 of counter (c0, c1, c2, c3) and key (k0, k1) (Salmon et al., SC'11) */
    "__device__ void wg_philox(unsigned int c0, unsigned int c1, unsigned int c2,\n"
    "    unsigned int c3, unsigned int k0, unsigned int k1, unsigned int &r0, unsigned int &r1,\n"
    "    unsigned int &r2, unsigned int &r3) {\n"
    "  unsigned int h0, l0, h1, l1;\n"
    /* a loop, not ten copies: every distribution inlines this function at each of its draws,
     * and unrolled rounds made the samplers that nest draws (gamma in a rejection loop, in
     * chi-square, in F) shaders that SwiftShader took a minute to compile; with the trip count a
     * constant of the shader (docs/kernels.md) a GPU's compiler still unrolls it if that pays */
    "  for (int rnd = 0; rnd < 10; rnd++) {\n" ROUND "  }\n"
    "  r0 = c0; r1 = c1; r2 = c2; r3 = c3;\n"
    "}\n"
    /* the same words with ROUND_C's rounds: the lane kernels' Philox (a block per point) */
    "__device__ void wg_philox_c(unsigned int c0, unsigned int c1, unsigned int c2,\n"
    "    unsigned int c3, unsigned int k0, unsigned int k1, unsigned int &r0, unsigned int &r1,\n"
    "    unsigned int &r2, unsigned int &r3) {\n"
    "  unsigned int h0, l0, h1, l1, bl, bh, t, w;\n"
    "  for (int rnd = 0; rnd < 10; rnd++) {\n" ROUND_C "  }\n"
    "  r0 = c0; r1 = c1; r2 = c2; r3 = c3;\n"
    "}\n"
    /* the point's next block: counter (pt, n, c2, c3); n counts the point's blocks */
    "#define WG_BLOCK(r0, r1, r2, r3) wg_philox(_pt, _n, c2, c3, k0, k1, r0, r1, r2, r3); "
    "_n = _n + 1u\n"
    "#define WG_ST unsigned int &_n, unsigned int _pt, unsigned int c2, unsigned int c3, "
    "unsigned int k0, unsigned int k1, int wide, int lim\n"
    "#define WG_SA _n, _pt, c2, c3, k0, k1, wide, lim\n"
    /* [0, 1) from one word's top 24 bits (float32) or 53 bits of two (wide: float64); half =
     * 0.5 shifts the grid by half a step to (0, 1), so log and division never see 0 or 1 */
    "__device__ double wg_f24(unsigned int w, double half) {\n"
    "  return ((double)(w >> 8) + half) * 5.9604644775390625e-08;\n"
    "}\n"
    "__device__ double wg_f53(unsigned int a, unsigned int b, double half) {\n"
    "  return ((double)(a >> 5) * 67108864.0 + (double)(b >> 6) + half) * "
    "1.1102230246251565e-16;\n"
    "}\n"
    "__device__ double wg_u01(WG_ST) {\n"
    "  unsigned int r0, r1, r2, r3; WG_BLOCK(r0, r1, r2, r3);\n"
    "  return wide ? wg_f53(r0, r1, 0.0) : wg_f24(r0, 0.0);\n"
    "}\n"
    "__device__ double wg_u01o(WG_ST) {\n"
    "  unsigned int r0, r1, r2, r3; WG_BLOCK(r0, r1, r2, r3);\n"
    "  return wide ? wg_f53(r0, r1, 0.5) : wg_f24(r0, 0.5);\n"
    "}\n"
    /* Box-Muller: the pair (c, s) of independent standard normals of u1 in (0, 1], u2 in [0, 1) */
    "__device__ void wg_bm(double u1, double u2, double &c, double &s) {\n"
    "  double rad = sqrt(-2.0 * log(u1)), t = 6.283185307179586 * u2;\n"
    "  c = rad * cos(t); s = rad * sin(t);\n"
    "}\n"
    /* log(u1), u1 = wg_f24(a, 0.5) rounded to float32, by the same + and * on every backend
     * (WGSL's and GLSL's log promise only 2^-21 absolute near 1, where the radius is small, and
     * SwiftShader's was 6e-5 off there): u1's exponent e and mantissa f from its bits, f halved
     * (and e raised) above sqrt 2, then log(u1) = e ln 2 + log1p(y), y = f - 1 in [-0.293, 0.414]
     * exact, log1p(y) = y + y^2 Q(y) with Q a degree-8 fit of relative error (0.9 ulp in float32
     * over the interval), ln 2 in two parts (e ln2_hi exact).  Written to add few literals (a
     * kernel holds 64 parameters and constants; the normal kernels are near it): u1 2^24 rounded
     * by a cast, its exponent by an arithmetic shift, 2^-24 as e - 24. */
    "__device__ double wg_log24(unsigned int a) {\n"
    "  unsigned int b = __float_as_uint((float)((double)(a >> 8) + 0.5)), mant = b & 8388607u;\n"
    "  unsigned int big = mant > 3474675u ? 1u : 0u;\n"
    "  double y = (double)__uint_as_float(mant | (1065353216u - (big << 23))) - 1.0;\n"
    "  double e = (double)((((int)(b - 1065353216u)) >> 23) + (int)big - 24);\n"
    "  double q = (((((((-0.07623060792684555 * y + 0.12905503809452057) * y - "
    "0.1324298083782196) * y + 0.14181634783744812) * y - 0.16609056293964386) * y + "
    "0.20001985132694244) * y - 0.25001585483551025) * y + 0.33333325386047363) * y - "
    "0.49999988079071045;\n"
    "  return e * 0.693359375 + (e * -2.1219444e-4 + (y + y * y * q));\n"
    "}\n"
    /* Box-Muller of two raw words on the float32 grid (u1 = (a >> 8) + 1/2, u2 = b >> 8, in
     * 2^-24 steps), with the angle's sine and cosine from its integer (docs/random.md, "Session
     * 16"): 2 pi u2 is quadrant q = m >> 22 plus r 2^-22 of a quarter turn (m = b >> 8, r its
     * low 22 bits), folded to [0, pi/4] by r -> 2^22 - r when r >= 2^21 (exact), so the
     * polynomials (the cos_f / sin_f ones of the code generators, their domain) need no range
     * reduction, and quadrant and fold become a swap and two signs.  Only +, *, integer
     * operations and sqrt (the log is wg_log24's): every backend within an ulp or two of each
     * other and of the exact values. */
    "__device__ void wg_bm24(unsigned int a, unsigned int b, double &c, double &s) {\n"
    "  double rad = sqrt(-2.0 * wg_log24(a));\n"
    "  unsigned int m = b >> 8, q = m >> 22, r = m - (q << 22), fold = r >> 21;\n"
    "  double x = (double)(fold != 0u ? ((q + 1u) << 22) - m : r) * 3.7450702829239286e-07;\n"
    "  double z = x * x;\n"
    "  double sp = ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * x + x;\n"
    "  double cp = ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + "
    "4.166664568298827e-2) * z * z - 0.5 * z + 1.0;\n"
    "  unsigned int sw = (q & 1u) ^ fold;\n"
    "  double c0 = sw != 0u ? sp : cp, s0 = sw != 0u ? cp : sp;\n"
    "  c = rad * (q == 1u || q == 2u ? -c0 : c0); s = rad * (q >= 2u ? -s0 : s0);\n"
    "}\n"
    /* standard normal from one block (the cosine of the pair; for the samplers that draw a
     * variable number of blocks per point) */
    "__device__ double wg_normal(WG_ST) {\n"
    "  unsigned int r0, r1, r2, r3; WG_BLOCK(r0, r1, r2, r3);\n"
    "  double u1 = wide ? wg_f53(r0, r1, 0.5) : wg_f24(r0, 0.5);\n"
    "  double u2 = wide ? wg_f53(r2, r3, 0.0) : wg_f24(r1, 0.0);\n"
    "  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);\n"
    "}\n"
    /* word w (0..3) of a block */
    "__device__ unsigned int wg_pick(unsigned int r0, unsigned int r1, unsigned int r2, "
    "unsigned int r3, unsigned int w) {\n"
    "  return w == 0u ? r0 : (w == 1u ? r1 : (w == 2u ? r2 : r3));\n"
    "}\n"
    /* floor(x * s / 2^64) of the 64-bit word x = (hi, lo), exact in 32-bit halves; s = 0 means
     * 2^32 */
    "__device__ unsigned int wg_scale(unsigned int hi, unsigned int lo, unsigned int s) {\n"
    "  unsigned int r = hi;\n"
    "  if (s != 0u) {\n"
    "    unsigned int ahi = wg_mulhi(hi, s), alo = hi * s, b = wg_mulhi(lo, s);\n"
    "    unsigned int sum = alo + b;\n"
    "    r = ahi + (sum < alo ? 1u : 0u);\n"
    "  }\n"
    "  return r;\n"
    "}\n"
    "__device__ double wg_exponential(WG_ST) { return -log(wg_u01o(WG_SA)); }\n"
    /* Marsaglia and Tsang (2000); shape < 1 by the boost U^(1/shape) */
    "__device__ double wg_gamma(double shape, WG_ST) {\n"
    "  double res = 0.0;\n"
    "  if (shape == 1.0) {\n"
    "    res = wg_exponential(WG_SA);\n"
    "  } else if (shape > 0.0) {\n"
    "    double a = shape < 1.0 ? shape + 1.0 : shape;\n"
    "    double d = a - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);\n"
    "    for (int it = 0; it < lim; it++) {\n"
    "      double x = wg_normal(WG_SA), v = 1.0 + c * x;\n"
    "      if (v <= 0.0) continue;\n"
    "      v = v * v * v;\n"
    "      double u = wg_u01o(WG_SA);\n"
    "      if (u < 1.0 - 0.0331 * (x * x) * (x * x) || log(u) < 0.5 * x * x + d * (1.0 - v + "
    "log(v))) { res = d * v; break; }\n"
    "    }\n"
    "    if (shape < 1.0) res = res * pow(wg_u01o(WG_SA), 1.0 / shape);\n"
    "  } else if (shape < 0.0 || isnan(shape)) {\n"
    "    res = 0.0 / 0.0;\n"
    "  }\n"
    "  return res;\n"
    "}\n"
    /* Poisson: multiplication of uniforms below 10, Hormann's PTRS (1993) above, as NumPy */
    "__device__ double wg_poisson(double lam, WG_ST) {\n"
    "  double k = 0.0;\n"
    "  if (lam >= 10.0) {\n"
    "    double slam = sqrt(lam), loglam = log(lam);\n"
    "    double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;\n"
    "    double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2.0);\n"
    "    for (int it = 0; it < lim; it++) {\n"
    "      double U = wg_u01(WG_SA) - 0.5, V = wg_u01o(WG_SA);\n"
    "      double us = 0.5 - fabs(U);\n"
    "      k = floor((2.0 * a / us + b) * U + lam + 0.43);\n"
    "      if (us >= 0.07 && V <= vr) break;\n"
    "      if (k < 0.0 || (us < 0.013 && V > us)) continue;\n"
    "      if (log(V) + log(invalpha) - log(a / (us * us) + b) <= -lam + k * loglam - "
    "lgamma(k + 1.0)) break;\n"
    "    }\n"
    "  } else if (lam > 0.0) {\n"
    "    double enlam = exp(-lam), prod = 1.0;\n"
    "    for (int it = 0; it < lim; it++) {\n"
    "      prod = prod * wg_u01o(WG_SA);\n"
    "      if (prod <= enlam) break;\n"
    "      k = k + 1.0;\n"
    "    }\n"
    "  }\n"
    "  return k;\n"
    "}\n"
    /* Binomial: inversion when n * min(p, 1-p) < 30, else Hormann's BTRS (1993) */
    "__device__ double wg_binomial(double n, double p, WG_ST) {\n"
    "  double q = p > 0.5 ? 1.0 - p : p, k = 0.0;\n"
    "  if (n <= 0.0 || q <= 0.0) {\n"
    "    k = 0.0;\n"
    "  } else if (n * q < 30.0) {\n"
    "    double qn = pow(1.0 - q, n), r = q / (1.0 - q), g = r * (n + 1.0);\n"
    "    for (int rep = 0; rep < 1000; rep++) {\n"
    "      double px = qn, U = wg_u01(WG_SA);\n"
    "      k = 0.0;\n"
    "      int ok = 1;\n"
    "      while (U > px) {\n"
    "        k = k + 1.0;\n"
    "        if (k > n) { ok = 0; break; }\n"
    "        U = U - px;\n"
    "        px = px * (g / k - r);\n"
    "      }\n"
    "      if (ok) break;\n"
    "    }\n"
    "  } else {\n"
    "    double spq = sqrt(n * q * (1.0 - q));\n"
    "    double b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * q;\n"
    "    double c = n * q + 0.5, vr = 0.92 - 4.2 / b;\n"
    "    double alpha = (2.83 + 5.1 / b) * spq, lpq = log(q / (1.0 - q));\n"
    "    double m = floor((n + 1.0) * q), h = lgamma(m + 1.0) + lgamma(n - m + 1.0);\n"
    "    for (int it = 0; it < lim; it++) {\n"
    "      double U = wg_u01(WG_SA) - 0.5, V = wg_u01o(WG_SA);\n"
    "      double us = 0.5 - fabs(U);\n"
    "      k = floor((2.0 * a / us + b) * U + c);\n"
    "      if (k < 0.0 || k > n) continue;\n"
    "      if (us >= 0.07 && V <= vr) break;\n"
    "      V = log(V * alpha / (a / (us * us) + b));\n"
    "      if (V <= h - lgamma(k + 1.0) - lgamma(n - k + 1.0) + (k - m) * lpq) break;\n"
    "    }\n"
    "  }\n"
    "  if (p > 0.5) k = n - k;\n"
    "  return k;\n"
    "}\n";

/* every distribution kernel's first parameters, then its own (placeholders A, B, C) */
#define HEAD_W(wide) "uint32 k0, uint32 k1, uint32 c2, uint32 c3, int32 " wide ", int32 lim"
#define HEAD HEAD_W("wide")
#define PROLOG "unsigned int _pt = (unsigned int)i; unsigned int _n = 0u;\n"

#define DIST(nm, params, body)                                                                   \
    static const wgP_libk k_##nm = {                                                             \
        .name = "wg_random_" #nm,                                                                \
        .in_params = HEAD params,                                                                \
        .out_params = "T y",                                                                     \
        .operation = PROLOG body,                                                                \
        .preamble = PRE,                                                                         \
        .loop_prep = "",                                                                         \
    };

DIST(standard_gamma, ", A a", "y = wg_gamma(a, WG_SA);")
DIST(gamma, ", A a, B b", "y = b * wg_gamma(a, WG_SA);")
DIST(beta, ", A a, B b",
     "double x = wg_gamma(a, WG_SA), z = wg_gamma(b, WG_SA);\n"
     "double s = x + z;\n"
     /* both gammas underflow to 0 for tiny shapes: the limit is a Bernoulli(a / (a + b)) */
     "y = s > 0.0 ? x / s : (wg_u01(WG_SA) * (a + b) < a ? 1.0 : 0.0);")
DIST(chisquare, ", A a", "y = 2.0 * wg_gamma(0.5 * a, WG_SA);")
DIST(f, ", A a, B b",
     "double x = 2.0 * wg_gamma(0.5 * a, WG_SA), z = 2.0 * wg_gamma(0.5 * b, WG_SA);\n"
     "y = (x * b) / (z * a);")
DIST(standard_t, ", A a",
     "double z = wg_normal(WG_SA), c = 2.0 * wg_gamma(0.5 * a, WG_SA);\n"
     "y = z / sqrt(c / a);")
DIST(standard_cauchy, "", "double x = wg_normal(WG_SA), z = wg_normal(WG_SA); y = x / z;")
DIST(triangular, ", A a, B b, C c",
     "double u = wg_u01(WG_SA), base = c - a, lb = b - a, rb = c - b;\n"
     "double ratio = lb / base;\n"
     "y = u <= ratio ? a + sqrt(u * lb * base) : c - sqrt((1.0 - u) * rb * base);")
DIST(wald, ", A a, B b",
     "double n = wg_normal(WG_SA), yy = a * n * n, mu2l = a / (2.0 * b);\n"
     "double x = a + mu2l * (yy - sqrt(4.0 * b * yy + yy * yy));\n"
     "y = wg_u01(WG_SA) <= a / (a + x) ? x : a * a / x;")
/* Best and Fisher (1979), as NumPy; kappa < 1e-8: uniform on the circle */
DIST(vonmises, ", A a, B b",
     "double res;\n"
     "if (b < 1e-8) {\n"
     "  res = 3.141592653589793 * (2.0 * wg_u01(WG_SA) - 1.0);\n"
     "} else {\n"
     "  double s;\n"
     "  if (b > 1e-5) { double r = 1.0 + sqrt(1.0 + 4.0 * b * b); double rho = (r - sqrt(2.0 * r))"
     " / (2.0 * b); s = (1.0 + rho * rho) / (2.0 * rho); }\n"
     "  else { s = 1.0 / b + b; }\n"
     "  double W = 0.0;\n"
     "  for (int it = 0; it < lim; it++) {\n"
     "    double U = wg_u01(WG_SA), z = cos(3.141592653589793 * U);\n"
     "    W = (1.0 + s * z) / (s + z);\n"
     "    double Y = b * (s - W), V = wg_u01o(WG_SA);\n"
     "    if (Y * (2.0 - Y) - V >= 0.0 || log(Y / V) + 1.0 - Y >= 0.0) break;\n"
     "  }\n"
     "  double U = wg_u01(WG_SA);\n"
     "  res = acos(fmax(-1.0, fmin(1.0, W)));\n"
     "  if (U < 0.5) res = -res;\n"
     "  res = res + a;\n"
     "  double neg = res < 0.0 ? 1.0 : 0.0;\n"
     "  double m = fmod(fabs(res) + 3.141592653589793, 6.283185307179586) - 3.141592653589793;\n"
     "  res = neg > 0.0 ? -m : m;\n"
     "}\n"
     "y = res;")
DIST(poisson, ", A a", "y = wg_poisson(a, WG_SA);")
DIST(binomial, ", A a, B b", "y = wg_binomial((double)a, (double)b, WG_SA);")
DIST(negative_binomial, ", A a, B b",
     "double g = wg_gamma((double)a, WG_SA) * ((1.0 - b) / b);\n"
     "y = b >= 1.0 ? 0.0 : wg_poisson(g, WG_SA);")
/* the urn drawn ball by ball: O(min(nsample, total - nsample)) per point (docs/random.md) */
DIST(hypergeometric, ", A a, B b, C c",
     "double good = a, total = a + b;\n"
     "double m = c < total - c ? c : total - c, g = 0.0;\n"
     "for (int t = 0; (double)t < m; t++) {\n"
     "  if (wg_u01(WG_SA) * (total - (double)t) < good - g) g = g + 1.0;\n"
     "}\n"
     "y = c < total - c ? g : good - g;")
/* rejection from a Pareto-like envelope (Devroye), as NumPy */
DIST(zipf, ", A a",
     "double am1 = a - 1.0, b = pow(2.0, am1), X = 1.0;\n"
     "for (int it = 0; it < lim; it++) {\n"
     "  double U = wg_u01o(WG_SA), V = wg_u01(WG_SA);\n"
     "  X = floor(pow(U, -1.0 / am1));\n"
     "  if (X > 2147483647.0 || X < 1.0) continue;\n"
     "  double tt = pow(1.0 + 1.0 / X, am1);\n"
     "  if (V * X * (tt - 1.0) / (b - 1.0) <= tt / b) break;\n"
     "}\n"
     "y = X;")
/* Kemp's LK algorithm, as NumPy */
DIST(logseries, ", A a",
     "double r = log1p(-(double)a), res = 1.0;\n"
     "for (int it = 0; it < lim; it++) {\n"
     "  double V = wg_u01o(WG_SA);\n"
     "  if (V >= a) { res = 1.0; break; }\n"
     "  double U = wg_u01o(WG_SA), q = -expm1(r * U);\n"
     "  if (V <= q * q) { res = floor(1.0 + log(V) / log(q)); if (res < 1.0 || V == 0.0) "
     "continue; break; }\n"
     "  if (V >= q) { res = 1.0; break; }\n"
     "  res = 2.0; break;\n"
     "}\n"
     "y = res;")
DIST(noncentral_chisquare, ", A a, B b",
     "double res;\n"
     "if (b == 0.0) { res = 2.0 * wg_gamma(0.5 * a, WG_SA); }\n"
     "else if (a > 1.0) { double c = 2.0 * wg_gamma(0.5 * (a - 1.0), WG_SA);"
     " double n = wg_normal(WG_SA) + sqrt(b); res = c + n * n; }\n"
     "else { double k = wg_poisson(0.5 * b, WG_SA); res = 2.0 * wg_gamma(0.5 * a + k, WG_SA); }\n"
     "y = res;")
DIST(noncentral_f, ", A a, B b, C c",
     "double t;\n"
     "if (c == 0.0) { t = 2.0 * wg_gamma(0.5 * a, WG_SA); }\n"
     "else if (a > 1.0) { double q = 2.0 * wg_gamma(0.5 * (a - 1.0), WG_SA);"
     " double n = wg_normal(WG_SA) + sqrt(c); t = q + n * n; }\n"
     "else { double k = wg_poisson(0.5 * c, WG_SA); t = 2.0 * wg_gamma(0.5 * a + k, WG_SA); }\n"
     "double d = 2.0 * wg_gamma(0.5 * b, WG_SA);\n"
     "y = (t * b) / (d * a);")

/* ---- the distributions that use every word of a block ---------------------------------------
 * Output j (C order) of a call is lane j % L of Philox block (j / L, 0, call low, call high): L =
 * 4 float32 uniforms or normals (two Box-Muller pairs) or raw words per block, L = 2 float64
 * uniforms (53 bits of two words each) or normals (one pair), or integers (a 64-bit word each).
 * Two kernels compute these same numbers: the block form (one point per block, four consecutive
 * stores to a raw output: a quarter of the Philox work of one block per output) and the gather
 * form (one point per output, which computes its block and keeps its lane: webgl2, where a
 * fragment writes only its own point, and parameters that are arrays).  A distribution's `words`
 * sets all lanes v0..v3 from the block's words r0..r3, its `one` only lane l's v (the gather
 * form's, so that it costs no more than one block per output), both from the same helpers; XF(v)
 * maps a lane's value to the output with the parameters pa, pb (floats) or plo, prng (integers).
 * The golden tests compare both forms with the reference (webgl2 runs the gather form). */
#define LANE_HEAD_W(wide, lg) HEAD_W(wide) ", int32 " lg ", int32 n"
#define LANE_HEAD LANE_HEAD_W("wide", "lg")
#define LANE(nm, gparams, bparams, gload, bload, words, one, XF)                               \
    static const wgP_libk k_##nm = {                                                             \
        .name = "wg_random_" #nm,                                                                \
        .in_params = LANE_HEAD gparams,                                                          \
        .out_params = "T y",                                                                     \
        .operation = gload "unsigned int l = (unsigned int)i & ((1u << lg) - 1u);\n"           \
                           "unsigned int r0, r1, r2, r3, q = (unsigned int)i >> lg;\n"           \
                           "wg_philox_c(q, 0u, c2, c3, k0, k1, r0, r1, r2, r3);\n"               \
                           one "y = " XF("v") ";",                                               \
        .preamble = PRE,                                                                         \
        .loop_prep = "",                                                                         \
    };                                                                                           \
    static const wgP_libk k_##nm##_block = {                                                     \
        .name = "wg_random_" #nm "_block",                                                       \
        .in_params = LANE_HEAD bparams,                                                          \
        .out_params = "raw T y",                                                                 \
        .operation = bload "int e = (int)i << lg;\n"                                           \
                           "unsigned int r0, r1, r2, r3;\n"                                      \
                           "wg_philox_c((unsigned int)i, 0u, c2, c3, k0, k1, r0, r1, r2, r3);\n" \
                           words                                                                 \
                           "y[e] = (T)(" XF("v0") ");\n"                                         \
                           "if (e + 1 < n) y[e + 1] = (T)(" XF("v1") ");\n"                      \
                           "if (lg == 2 && e + 2 < n) y[e + 2] = (T)(" XF("v2") ");\n"           \
                           "if (lg == 2 && e + 3 < n) y[e + 3] = (T)(" XF("v3") ");",            \
        .preamble = PRE,                                                                         \
        .loop_prep = "",                                                                         \
    };                                                                                           \
    WGFORM(nm, 256, "1088", bparams, bload, words, XF)

/* The block form with coalesced stores (docs/random.md, "Stores"): a workgroup of B points (B
 * blocks) puts its blocks' lanes in workgroup memory, then stores the workgroup's B * L outputs
 * with neighbouring points writing neighbouring words, where the block form's four stores a
 * point, 16 bytes apart across points, cost the H100 four times the memory transactions.  The
 * tile is padded by a word every 32 (element w at w + w / 32), so that the lanes' writes at
 * stride L do not fall in the same bank.  Same bits as the block form: the same values, cast
 * to T once, stored at the same positions.  `& (4 B - 1)` changes no w (t < B, lg <= 2) but lets the
 * code generators prove every index of sh in range (codegen/range.h: w <= 4 B + 2 after the lanes'
 * increments, so w + (w >> 5) <= 1058 < 1088 for B = 256: the tile is 1088 words, not the 1056 it
 * uses), so its accesses carry no bounds check; lg is a runtime word except in the four-lane form. */
#define WGFORM(nm, B, SH, bparams, bload, words, XF)                                             \
    WGFORM_K(k_##nm##_wg, "wg_random_" #nm "_wg" #B, LANE_HEAD bparams, "", B, SH, bload, words, XF) \
    WGFORM_K(k_##nm##_wg4, "wg_random_" #nm "_wg" #B "_lanes4", LANE_HEAD_W("wide_s", "lg_s") bparams, \
             SPEC_LANES4, B, SH, bload, words, XF)
/* four lanes a block, not wide (float32 and narrower, raw words): `wide` and `lg` written as
 * literals (their parameters renamed), so the GPU's compiler drops the float64 branch and the
 * lane tests (docs/random.md, "Session 21") */
#define SPEC_LANES4 "int wide = 0, lg = 2;\n"
#define WGFORM_K(id, nmstr, params, spec, B, SH, bload, words, XF)                                \
    static const wgP_libk id = {                                                                 \
        .name = nmstr,                                                                           \
        .in_params = params,                                                                     \
        .out_params = "raw T y",                                                                 \
        .operation = spec bload "__shared__ T sh[" SH "];\n"                                     \
                           "int t = (int)i & (" #B " - 1), w = (t << lg) & (4 * " #B " - 1);\n"  \
                           "int base = ((int)i - t) << lg, u = t;\n"                             \
                           "unsigned int r0, r1, r2, r3;\n"                                      \
                           "wg_philox_c((unsigned int)i, 0u, c2, c3, k0, k1, r0, r1, r2, r3);\n" \
                           words                                                                 \
                           "sh[w + (w >> 5)] = (T)(" XF("v0") ");\n"                            \
                           "w = w + 1; sh[w + (w >> 5)] = (T)(" XF("v1") ");\n"                 \
                           "if (lg == 2) {\n"                                                    \
                           "  w = w + 1; sh[w + (w >> 5)] = (T)(" XF("v2") ");\n"               \
                           "  w = w + 1; sh[w + (w >> 5)] = (T)(" XF("v3") ");\n"               \
                           "}\n"                                                                 \
                           "__syncthreads();\n"                                                  \
                           "u = t;\n"                                                            \
                           "if (base + u < n) y[base + u] = sh[u + (u >> 5)];\n"                 \
                           "u = t + " #B ";\n"                                                   \
                           "if (base + u < n) y[base + u] = sh[u + (u >> 5)];\n"                 \
                           "if (lg == 2) {\n"                                                    \
                           "  u = t + 2 * " #B ";\n"                                             \
                           "  if (base + u < n) y[base + u] = sh[u + (u >> 5)];\n"               \
                           "  u = t + 3 * " #B ";\n"                                             \
                           "  if (base + u < n) y[base + u] = sh[u + (u >> 5)];\n"               \
                           "}\n",                                                                \
        .preamble = PRE,                                                                         \
        .loop_prep = "__wg_block(" #B "); __in_range()",                                         \
    };

#define GLOAD_A "double pa = a;\n"
#define BLOAD_A "double pa = a[0];\n"
#define GLOAD_AB "double pa = a, pb = b;\n"
#define BLOAD_AB "double pa = a[0], pb = b[0];\n"
#define GLOAD_INT "unsigned int plo = lo, prng = rng;\n"
#define BLOAD_INT "unsigned int plo = lo[0], prng = rng[0];\n"
#define WORDS_RAW "unsigned int v0 = r0, v1 = r1, v2 = r2, v3 = r3;\n"
#define WORDS_U01                                                                                \
    "double v0, v1, v2 = 0.0, v3 = 0.0;\n"                                                       \
    "if (wide != 0) { v0 = wg_f53(r0, r1, 0.0); v1 = wg_f53(r2, r3, 0.0); }\n"                   \
    "else { v0 = wg_f24(r0, 0.0); v1 = wg_f24(r1, 0.0); v2 = wg_f24(r2, 0.0); "                 \
    "v3 = wg_f24(r3, 0.0); }\n"
/* the same grids shifted by half a step, (0, 1): for the transforms that take a log */
#define WORDS_U01O                                                                               \
    "double v0, v1, v2 = 0.0, v3 = 0.0;\n"                                                       \
    "if (wide != 0) { v0 = wg_f53(r0, r1, 0.5); v1 = wg_f53(r2, r3, 0.5); }\n"                   \
    "else { v0 = wg_f24(r0, 0.5); v1 = wg_f24(r1, 0.5); v2 = wg_f24(r2, 0.5); "                 \
    "v3 = wg_f24(r3, 0.5); }\n"
#define WORDS_NORMAL                                                                             \
    "double v0, v1, v2 = 0.0, v3 = 0.0;\n"                                                       \
    "if (wide != 0) { wg_bm(wg_f53(r0, r1, 0.5), wg_f53(r2, r3, 0.0), v0, v1); }\n"              \
    "else { wg_bm24(r0, r1, v0, v1); wg_bm24(r2, r3, v2, v3); }\n"
/* integers in [lo, lo + rng] (rng = high - low - 1 as uint32; s = rng + 1, 0 meaning 2^32):
 * floor(x * s / 2^64) of a 64-bit word x, with no loop (a rejection loop around Philox does not
 * build on webgl2).  Its bias is below s / 2^64 <= 2^-32 (Lemire's rejection would remove it);
 * the sum wraps to the output's dtype. */
#define WORDS_INT                                                                                \
    "unsigned int s = prng + 1u;\n"                                                              \
    "unsigned int v0 = wg_scale(r0, r1, s), v1 = wg_scale(r2, r3, s), v2 = 0u, v3 = 0u;\n"
#define ONE_RAW "unsigned int v = wg_pick(r0, r1, r2, r3, l);\n"
#define ONE_U01                                                                                  \
    "double v = wide != 0 ? wg_f53(wg_pick(r0, r1, r2, r3, 2u * l), "                           \
    "wg_pick(r0, r1, r2, r3, 2u * l + 1u), 0.0) : wg_f24(wg_pick(r0, r1, r2, r3, l), 0.0);\n"
#define ONE_U01O                                                                                 \
    "double v = wide != 0 ? wg_f53(wg_pick(r0, r1, r2, r3, 2u * l), "                          \
    "wg_pick(r0, r1, r2, r3, 2u * l + 1u), 0.5) : wg_f24(wg_pick(r0, r1, r2, r3, l), 0.5);\n"
/* float32: lane l is the cosine (l even) or sine of the pair of words (l & 2, (l & 2) + 1);
 * float64: of the one pair of 53-bit uniforms */
#define ONE_NORMAL                                                                               \
    "double c, sn;\n"                                                                           \
    "if (wide != 0) { wg_bm(wg_f53(r0, r1, 0.5), wg_f53(r2, r3, 0.0), c, sn); }\n"              \
    "else { wg_bm24(wg_pick(r0, r1, r2, r3, l & 2u), wg_pick(r0, r1, r2, r3, (l & 2u) + 1u), "   \
    "c, sn); }\n"                                                                                \
    "double v = (l & 1u) != 0u ? sn : c;\n"
#define ONE_INT                                                                                  \
    "unsigned int v = wg_scale(wg_pick(r0, r1, r2, r3, 2u * l), "                                \
    "wg_pick(r0, r1, r2, r3, 2u * l + 1u), prng + 1u);\n"
#define XF_ID(v) v
#define XF_UNIFORM(v) "pa + (pb - pa) * " v
#define XF_NORMAL(v) "pa + pb * " v
#define XF_LOGNORMAL(v) "exp(pa + pb * " v ")"
/* the closed-form transforms of a uniform u in (0, 1), as NumPy's formulas (an exponential is
 * -log(u)) */
#define XF_STDEXP(v) "-log(" v ")"
#define XF_EXPONENTIAL(v) "pa * -log(" v ")"
#define XF_LOGISTIC(v) "pa + pb * log(" v " / (1.0 - " v "))"
#define XF_LAPLACE(v)                                                                            \
    "(" v " < 0.5 ? pa + pb * log(" v " + " v ") : pa - pb * log(2.0 - " v " - " v "))"
#define XF_GUMBEL(v) "pa - pb * log(-log(" v "))"
#define XF_PARETO(v) "expm1(-log(" v ") / pa)"
#define XF_POWER(v) "pow(-expm1(log(" v ")), 1.0 / pa)"
#define XF_RAYLEIGH(v) "pa * sqrt(2.0 * -log(" v "))"
#define XF_WEIBULL(v) "(pa == 0.0 ? 0.0 : pow(-log(" v "), 1.0 / pa))"
#define XF_GEOMETRIC(v) "(pa >= 1.0 ? 1.0 : ceil(log(" v ") / log1p(-pa)))"
#define XF_INT(v) "(T)(int)(plo + " v ")"
#define XF_UINT(v) "(T)(plo + " v ")"

LANE(bits, "", "", "", "", WORDS_RAW, ONE_RAW, XF_ID)
LANE(random, "", "", "", "", WORDS_U01, ONE_U01, XF_ID)
LANE(uniform, ", A a, B b", ", raw A a, raw B b", GLOAD_AB, BLOAD_AB, WORDS_U01, ONE_U01,
     XF_UNIFORM)
LANE(standard_normal, "", "", "", "", WORDS_NORMAL, ONE_NORMAL, XF_ID)
LANE(normal, ", A a, B b", ", raw A a, raw B b", GLOAD_AB, BLOAD_AB, WORDS_NORMAL, ONE_NORMAL,
     XF_NORMAL)
LANE(lognormal, ", A a, B b", ", raw A a, raw B b", GLOAD_AB, BLOAD_AB, WORDS_NORMAL, ONE_NORMAL,
     XF_LOGNORMAL)
LANE(standard_exponential, "", "", "", "", WORDS_U01O, ONE_U01O, XF_STDEXP)
LANE(exponential, ", A a", ", raw A a", GLOAD_A, BLOAD_A, WORDS_U01O, ONE_U01O, XF_EXPONENTIAL)
LANE(logistic, ", A a, B b", ", raw A a, raw B b", GLOAD_AB, BLOAD_AB, WORDS_U01O, ONE_U01O,
     XF_LOGISTIC)
LANE(laplace, ", A a, B b", ", raw A a, raw B b", GLOAD_AB, BLOAD_AB, WORDS_U01O, ONE_U01O,
     XF_LAPLACE)
LANE(gumbel, ", A a, B b", ", raw A a, raw B b", GLOAD_AB, BLOAD_AB, WORDS_U01O, ONE_U01O,
     XF_GUMBEL)
LANE(pareto, ", A a", ", raw A a", GLOAD_A, BLOAD_A, WORDS_U01O, ONE_U01O, XF_PARETO)
LANE(power, ", A a", ", raw A a", GLOAD_A, BLOAD_A, WORDS_U01O, ONE_U01O, XF_POWER)
LANE(rayleigh, ", A a", ", raw A a", GLOAD_A, BLOAD_A, WORDS_U01O, ONE_U01O, XF_RAYLEIGH)
LANE(weibull, ", A a", ", raw A a", GLOAD_A, BLOAD_A, WORDS_U01O, ONE_U01O, XF_WEIBULL)
LANE(geometric, ", A a", ", raw A a", GLOAD_A, BLOAD_A, WORDS_U01O, ONE_U01O, XF_GEOMETRIC)
LANE(integers, ", uint32 lo, uint32 rng", ", raw uint32 lo, raw uint32 rng", GLOAD_INT, BLOAD_INT,
     WORDS_INT, ONE_INT, XF_INT)
LANE(integers_u, ", uint32 lo, uint32 rng", ", raw uint32 lo, raw uint32 rng", GLOAD_INT,
     BLOAD_INT, WORDS_INT, ONE_INT, XF_UINT)

/* the bound of every rejection loop (a runtime parameter, not a literal: a literal trip count
 * made webgl2's shader compiler (ANGLE on SwiftShader) unroll the loop and run out of memory) */
#define LOOP_LIMIT 1000000

typedef struct {
    const char *name;
    const wgP_libk *k;
    int nparams;
    int loops; /* a rejection loop around Philox: refused on webgl2 (docs/random.md) */
    const wgP_libk *block; /* the block form of a LANE distribution, else NULL */
    const wgP_libk *wg;    /* its workgroup form (coalesced stores), else NULL */
    const wgP_libk *wg4;   /* the same for four narrow lanes a block, specialized */
    int lanes, lanes_wide; /* its outputs per block: float32 (or integer), float64 */
} dist_entry;

#define E(nm, np) {#nm, &k_##nm, np, 0, NULL, NULL, NULL, 0, 0}
#define L(nm, np) {#nm, &k_##nm, np, 1, NULL, NULL, NULL, 0, 0}
#define W(nm, np, l, lw) {#nm, &k_##nm, np, 0, &k_##nm##_block, &k_##nm##_wg, &k_##nm##_wg4, l, lw}
static const dist_entry DISTS[] = {
    W(bits, 0, 4, 4),    W(random, 0, 4, 2),  W(uniform, 2, 4, 2), W(standard_normal, 0, 4, 2),
    W(normal, 2, 4, 2),  W(lognormal, 2, 4, 2), W(standard_exponential, 0, 4, 2),
    W(exponential, 1, 4, 2), L(standard_gamma, 1), L(gamma, 2),      L(beta, 2),
    L(chisquare, 1),     L(f, 2),             L(standard_t, 1),    E(standard_cauchy, 0),
    W(logistic, 2, 4, 2), W(laplace, 2, 4, 2), W(gumbel, 2, 4, 2), W(pareto, 1, 4, 2),
    W(power, 1, 4, 2),   W(rayleigh, 1, 4, 2), W(weibull, 1, 4, 2), E(triangular, 3),
    E(wald, 2),          L(vonmises, 2),      L(poisson, 1),       L(binomial, 2),
    L(negative_binomial, 2), W(geometric, 1, 4, 2), L(hypergeometric, 3), L(zipf, 1),
    L(logseries, 1),     L(noncentral_chisquare, 2), L(noncentral_f, 3), W(integers, 2, 2, 2),
    W(integers_u, 2, 2, 2),
};
#undef E
#undef L
#undef W

/* webgl2 refuses the kernels that loop around Philox: ANGLE's compiler on SwiftShader exhausts
 * memory on them (webgpu and cpu run them). */
static int refuse_loops(wg_context *ctx, const char *what) {
    if (ctx->backend_id != WG_BACKEND_WEBGL2) return WG_OK;
    return wgB_error(ctx, WG_ERR_NOTIMPL,
                     "random.%s is not supported on the webgl2 backend (its rejection loop around "
                     "the Philox generator does not build there; it runs on cpu and webgpu)", what);
}

/* Advance the 64-bit call counter (state[2] low word, state[3] high word). */
static void next_call(uint32_t *state) {
    if (++state[2] == 0) state[3]++;
}

static wg_array *u32(wg_context *ctx, uint32_t v) {
    return wg_scalar(ctx, WG_UINT32, WG_WEAK_NONE, (int64_t)v, 1, 0.0);
}

static int fail(wg_context *ctx) { return ctx->status ? ctx->status : WG_ERR_MEMORY; }

/* run k over out's points: args (new references, released here) then out (borrowed) */
static int run_k(wg_context *ctx, const wgP_libk *k, int n, wg_array **args, wg_array *out) {
    int st = WG_OK;
    for (int j = 0; j < n; j++)
        if (!args[j]) st = fail(ctx);
    if (!st) {
        args[n] = out;
        st = wgP_libk_launch(ctx, k, n + 1, args, -1, NULL);
    }
    for (int j = 0; j < n; j++)
        if (args[j]) wg_release(args[j]);
    return st;
}

/* Launch kernel k with the generator's head, extra (ints after the head), params (broadcast to
 * out) and out. */
static int launch(wg_context *ctx, const wgP_libk *k, const uint32_t *state, int wide, int nextra,
                  const int32_t *extra, int nparams, wg_array *const *params, wg_array *out) {
    wg_array *args[16] = {0};
    int n = 0;
    for (int j = 0; j < 4; j++) args[n++] = u32(ctx, state[j]);
    args[n++] = wgP_i32(ctx, wide);
    args[n++] = wgP_i32(ctx, LOOP_LIMIT);
    for (int j = 0; j < nextra; j++) args[n++] = wgP_i32(ctx, extra[j]);
    for (int j = 0; j < nparams; j++)
        args[n++] = wg_broadcast_to(ctx, params[j], out->lay.ndim, out->lay.shape);
    return run_k(ctx, k, n, args, out);
}

/* The block form of a LANE distribution: one point per Philox block, its lanes stored to out (a
 * raw output: a view gets a contiguous copy, written back); each parameter is one value. */
static int launch_block(wg_context *ctx, const dist_entry *d, const uint32_t *state, int wide,
                        int lanes, int nparams, wg_array *const *params, wg_array *out) {
    int64_t n = wgL_size(&out->lay);
    wg_array *args[16] = {0};
    int na = 0, st = WG_OK;
    for (int j = 0; j < 4; j++) args[na++] = u32(ctx, state[j]);
    args[na++] = wgP_i32(ctx, wide);
    args[na++] = wgP_i32(ctx, LOOP_LIMIT);
    args[na++] = wgP_i32(ctx, lanes == 4 ? 2 : 1); /* lg: log2 of the lanes */
    args[na++] = wgP_i32(ctx, (int32_t)n);
    for (int j = 0; j < nparams; j++) {
        wg_retain(params[j]);
        args[na++] = params[j];
    }
    for (int j = 0; j < na; j++)
        if (!args[j]) st = fail(ctx);
    if (!st) {
        /* the workgroup form on a GPU (docs/random.md, "Coalesced stores"): the cpu executor
         * and CPU implementations of WebGPU run its barrier point by point, slower there */
        int wg = ctx->random_path == 2 || (ctx->random_path == 0 &&
                 ctx->backend_id == WG_BACKEND_WEBGPU && !ctx->adapter_cpu_like);
        const wgP_libk *k = !wg ? d->block : (!wide && lanes == 4 ? d->wg4 : d->wg);
        int64_t pts = (n + lanes - 1) / lanes, b = wg ? 256 : 1; /* whole workgroups */
        args[na] = out;
        st = wgP_libk_launch(ctx, k, na + 1, args, (pts + b - 1) / b * b, NULL);
    }
    for (int j = 0; j < na; j++)
        if (args[j]) wg_release(args[j]);
    return st;
}

int wg_set_random_path(wg_context *ctx, int path) {
    int old = ctx->random_path;
    if (path >= 0 && path <= 2) ctx->random_path = path;
    return old;
}

/* The block form needs raw stores (not on webgl2) and parameters of one value each, on the
 * device (a raw parameter is an array) */
static int block_form_fits(wg_context *ctx, int nparams, wg_array *const *params) {
    if (ctx->backend_id == WG_BACKEND_WEBGL2) return 0;
    for (int j = 0; j < nparams; j++) {
        if (wgL_size(&params[j]->lay) != 1 || !params[j]->buf || params[j]->weak != WG_WEAK_NONE)
            return 0;
    }
    return 1;
}

int wg_random(wg_context *ctx, const char *dist, uint32_t *state, int nparams,
              wg_array *const *params, wg_array *out) {
    const dist_entry *d = NULL;
    for (size_t j = 0; j < sizeof DISTS / sizeof DISTS[0]; j++)
        if (!strcmp(DISTS[j].name, dist)) d = &DISTS[j];
    if (!d) return wgB_error(ctx, WG_ERR_VALUE, "random: no distribution '%s'", dist);
    if (nparams != d->nparams)
        return wgB_error(ctx, WG_ERR_VALUE, "random: '%s' takes %d parameters, not %d", dist,
                         d->nparams, nparams);
    if (d->loops && refuse_loops(ctx, dist)) return ctx->status;
    int wide = out->dtype == WG_FLOAT64 || (ctx->x64 && out->dtype != WG_FLOAT32);
    int st;
    if (d->block) {
        /* the lane layout indexes outputs and blocks with 32-bit ints (the workgroup form's
         * last workgroup indexes up to 255 outputs past the end) */
        if (wgL_size(&out->lay) > INT32_MAX - 256)
            return wgB_error(ctx, WG_ERR_VALUE, "random.%s: more than 2**31 - 257 outputs in one "
                             "call", dist);
        int lanes = wide ? d->lanes_wide : d->lanes;
        int32_t extra[2] = {lanes == 4 ? 2 : 1, (int32_t)wgL_size(&out->lay)};
        st = block_form_fits(ctx, nparams, params)
                 ? launch_block(ctx, d, state, wide, lanes, nparams, params, out)
                 : launch(ctx, d->k, state, wide, 2, extra, nparams, params, out);
    } else {
        st = launch(ctx, d->k, state, wide, 0, NULL, nparams, params, out);
    }
    if (!st) next_call(state);
    return st;
}

/* ---- kernels beyond one draw per point --------------------------------------------------------- */
/* two 32-bit words per point: the sort keys of a random permutation */
static const wgP_libk k_keys = {
    .name = "wg_random_keys",
    .in_params = HEAD,
    .out_params = "uint32 y, uint32 z",
    .operation = PROLOG "unsigned int r0, r1, r2, r3; WG_BLOCK(r0, r1, r2, r3); y = r0; z = r1;",
    .preamble = PRE,
    .loop_prep = "",
};
/* the rank of point i's key (a, b) among n: a gather, O(n) per point (ties: by index) */
static const wgP_libk k_rank2 = {
    .name = "wg_random_rank2",
    .in_params = "raw uint32 a, raw uint32 b, int32 n",
    .out_params = "T y",
    .operation = "unsigned int ka = a[i], kb = b[i]; int c = 0;\n"
                 "for (int j = 0; j < n; j++) {\n"
                 "  unsigned int aj = a[j], bj = b[j];\n"
                 "  if (aj < ka || (aj == ka && (bj < kb || (bj == kb && j < i)))) c++;\n"
                 "}\n"
                 "y = c;",
    .preamble = "",
    .loop_prep = "",
};
/* the rank of point i's key in decreasing order (ties: by index) */
static const wgP_libk k_rankdesc = {
    .name = "wg_random_rankdesc",
    .in_params = "raw P a, int32 n",
    .out_params = "T y",
    .operation = "P ka = a[i]; int c = 0;\n"
                 "for (int j = 0; j < n; j++) {\n"
                 "  P aj = a[j];\n"
                 "  if (aj > ka || (aj == ka && j < i)) c++;\n"
                 "}\n"
                 "y = c;",
    .preamble = "",
    .loop_prep = "",
};
/* y[r] = the i whose rank is r (the inverse of a permutation's first entries) */
static const wgP_libk k_select = {
    .name = "wg_random_select",
    .in_params = "raw I r, int32 n",
    .out_params = "T y",
    .operation = "int v = 0;\n"
                 "for (int j = 0; j < n; j++) { if ((int)r[j] == (int)i) { v = j; break; } }\n"
                 "y = v;",
    .preamble = "",
    .loop_prep = "",
};
/* Efraimidis-Spirakis keys log(U) / p: the size largest are a weighted sample without
 * replacement; p = 0 never comes before a positive p */
static const wgP_libk k_eskeys = {
    .name = "wg_random_eskeys",
    .in_params = HEAD ", P p",
    .out_params = "P y",
    .operation = PROLOG "double u = wg_u01o(WG_SA);\n"
                        "y = p > 0.0 ? log(u) / p : -1.0 / 0.0;",
    .preamble = PRE,
    .loop_prep = "",
};
/* an index drawn with probabilities p (n entries): the first j whose running sum passes U */
static const wgP_libk k_choice_p = {
    .name = "wg_random_choice_p",
    .in_params = HEAD ", raw P p, int32 n",
    .out_params = "T y",
    .operation = PROLOG "double u = wg_u01(WG_SA), acc = 0.0; int idx = -1, last = 0;\n"
                        "for (int j = 0; j < n; j++) {\n"
                        "  double pj = p[j];\n"
                        "  if (pj > 0.0) last = j;\n"
                        "  acc = acc + pj;\n"
                        "  if (u < acc) { idx = j; break; }\n"
                        "}\n"
                        "y = idx < 0 ? last : idx;",
    .preamble = PRE,
    .loop_prep = "",
};
/* rows of x (row elements each) in the order idx: y[r, :] = x[idx[r], :] */
static const wgP_libk k_take_rows = {
    .name = "wg_random_take_rows",
    .in_params = "raw T x, raw I idx, int32 row",
    .out_params = "T y",
    .operation = "int r = (int)i / row; y = x[(int)idx[r] * row + (int)i % row];",
    .preamble = "",
    .loop_prep = "",
};
/* multinomial: point (row, j) replays its row's conditional binomials up to category j; the
 * row's category t draws from the Philox blocks (row, t * 2^20 + ...) */
static const wgP_libk k_multinomial = {
    .name = "wg_random_multinomial",
    .in_params = HEAD ", raw P pv, int32 k, int32 nn",
    .out_params = "T y",
    .operation = "unsigned int _pt = (unsigned int)((int)i / k); unsigned int _n = 0u;\n"
                 "int j = (int)i % k; double rem = (double)nn, remp = 1.0, x = 0.0;\n"
                 "for (int t = 0; t < k; t++) {\n"
                 "  if (t > j) break;\n"
                 "  double pt = pv[t];\n"
                 "  if (t == k - 1) { x = rem; }\n"
                 "  else {\n"
                 "    _n = (unsigned int)t * 1048576u;\n"
                 "    double q = remp > 0.0 ? fmin(fmax(pt / remp, 0.0), 1.0) : 0.0;\n"
                 "    x = rem > 0.0 ? wg_binomial(rem, q, WG_SA) : 0.0;\n"
                 "  }\n"
                 "  rem = rem - x; remp = remp - pt;\n"
                 "}\n"
                 "y = x;",
    .preamble = PRE,
    .loop_prep = "",
};
/* a row's entries divided by the row's sum (Dirichlet from gammas) */
static const wgP_libk k_rownorm = {
    .name = "wg_random_rownorm",
    .in_params = "raw T g, int32 k",
    .out_params = "T y",
    .operation = "int r = (int)i / k; double s = 0.0;\n"
                 "for (int j = 0; j < k; j++) s = s + g[r * k + j];\n"
                 "y = g[i] / s;",
    .preamble = "",
    .loop_prep = "",
};
/* column col of the Cholesky factor of a (d x d, symmetric positive semidefinite), the other
 * entries copied from l: one launch per column, a gather over the d*d entries.  A pivot that is
 * not positive (a semidefinite a) gives a zero column, as an LDL^T factorization would. */
static const wgP_libk k_chol_col = {
    .name = "wg_random_chol_col",
    .in_params = "raw T a, raw T l, int32 d, int32 col",
    .out_params = "T y",
    .operation = "int r = (int)i / d, c = (int)i % d;\n"
                 "double v = 0.0;\n"
                 "if (c != col) { v = l[i]; }\n"
                 "else if (r >= col) {\n"
                 "  double diag = a[col * d + col], s = a[r * d + col];\n"
                 "  for (int j = 0; j < col; j++) {\n"
                 "    diag = diag - l[col * d + j] * l[col * d + j];\n"
                 "    s = s - l[r * d + j] * l[col * d + j];\n"
                 "  }\n"
                 "  double scale = fabs(a[col * d + col]);\n"
                 "  if (diag > 1e-6 * scale && diag > 0.0) v = r == col ? sqrt(diag) : s / sqrt(diag);\n"
                 "}\n"
                 "y = v;",
    .preamble = "",
    .loop_prep = "",
};
/* y[row, c] = mean[c] + sum_j l[c, j] z[row, j] */
static const wgP_libk k_mvn = {
    .name = "wg_random_mvn",
    .in_params = "raw T z, raw T l, raw T mean, int32 d",
    .out_params = "T y",
    .operation = "int r = (int)i / d, c = (int)i % d;\n"
                 "double s = mean[c];\n"
                 "for (int j = 0; j < d; j++) { if (j > c) break; s = s + l[c * d + j] * z[r * d + j]; }\n"
                 "y = s;",
    .preamble = "",
    .loop_prep = "",
};

static wg_array *vec(wg_context *ctx, int dtype, int64_t n) {
    return wg_empty(ctx, dtype, 1, &n);
}

#define NHEAD 6
static void head(wg_context *ctx, const uint32_t *state, int wide, wg_array **args) {
    for (int j = 0; j < 4; j++) args[j] = u32(ctx, state[j]);
    args[4] = wgP_i32(ctx, wide);
    args[5] = wgP_i32(ctx, LOOP_LIMIT);
}

static int check_1d_int(wg_context *ctx, wg_array *out, const char *what) {
    if (!wgD_is_int(out->dtype))
        return wgB_error(ctx, WG_ERR_TYPE, "random.%s: the output must have an integer dtype",
                         what);
    return WG_OK;
}

/* the ranks of n random keys, for the first m of them (m <= n) into out (m points) */
static int ranks(wg_context *ctx, uint32_t *state, int64_t n, wg_array *out) {
    if (n > INT32_MAX) return wgB_error(ctx, WG_ERR_VALUE, "random: more than 2**31 - 1 items");
    wg_array *ka = vec(ctx, WG_UINT32, n), *kb = vec(ctx, WG_UINT32, n);
    int st = ka && kb ? WG_OK : fail(ctx);
    if (!st) {
        wg_array *args[12];
        head(ctx, state, 0, args);
        args[NHEAD] = ka;
        args[NHEAD + 1] = kb;
        int ok = 1;
        for (int j = 0; j < NHEAD; j++) ok &= args[j] != NULL;
        st = ok ? wgP_libk_launch(ctx, &k_keys, NHEAD + 2, args, -1, NULL) : fail(ctx);
        for (int j = 0; j < NHEAD; j++)
            if (args[j]) wg_release(args[j]);
        if (!st) next_call(state);
    }
    if (!st) {
        wg_retain(ka);
        wg_retain(kb);
        wg_array *args[4] = {ka, kb, wgP_i32(ctx, (int32_t)n)};
        st = run_k(ctx, &k_rank2, 3, args, out);
    }
    if (ka) wg_release(ka);
    if (kb) wg_release(kb);
    return st;
}

int wg_random_permutation(wg_context *ctx, uint32_t *state, wg_array *out) {
    if (out->lay.ndim != 1) return wgB_error(ctx, WG_ERR_VALUE, "random.permutation: 1-d output");
    int st = check_1d_int(ctx, out, "permutation");
    return st ? st : ranks(ctx, state, out->lay.shape[0], out);
}

int wg_random_choice(wg_context *ctx, uint32_t *state, int64_t n, wg_array *p, int replace,
                     wg_array *out) {
    int st = check_1d_int(ctx, out, "choice");
    if (st) return st;
    int64_t m = wgL_size(&out->lay);
    if (n > INT32_MAX) return wgB_error(ctx, WG_ERR_VALUE, "random.choice: more than 2**31 - 1 items");
    if (!replace && m > n)
        return wgB_error(ctx, WG_ERR_VALUE,
                         "Cannot take a larger sample than population when 'replace=False'");
    if (p && (p->lay.ndim != 1 || p->lay.shape[0] != n))
        return wgB_error(ctx, WG_ERR_VALUE, "'a' and 'p' must have same size");
    if (p && !wgD_is_float(p->dtype))
        return wgB_error(ctx, WG_ERR_TYPE, "random.choice: p must be floating point");
    if (!p && replace) { /* integers in [0, n) */
        wg_array *lo = u32(ctx, 0), *rng = u32(ctx, (uint32_t)(n - 1));
        wg_array *ps[2] = {lo, rng};
        st = lo && rng ? wg_random(ctx, "integers_u", state, 2, ps, out) : fail(ctx);
        if (lo) wg_release(lo);
        if (rng) wg_release(rng);
        return st;
    }
    if (!p) return ranks(ctx, state, n, out); /* the first m entries of a permutation */
    if (replace) {
        wg_array *args[12];
        head(ctx, state, p->dtype == WG_FLOAT64, args);
        wg_retain(p);
        args[NHEAD] = p;
        args[NHEAD + 1] = wgP_i32(ctx, (int32_t)n);
        st = run_k(ctx, &k_choice_p, NHEAD + 2, args, out);
        if (!st) next_call(state);
        return st;
    }
    /* without replacement: the m largest Efraimidis-Spirakis keys, in decreasing order */
    wg_array *keys = vec(ctx, p->dtype, n), *rk = vec(ctx, WG_INT32, n);
    st = keys && rk ? WG_OK : fail(ctx);
    if (!st) {
        wg_array *args[12];
        head(ctx, state, p->dtype == WG_FLOAT64, args);
        wg_retain(p);
        args[NHEAD] = p;
        st = run_k(ctx, &k_eskeys, NHEAD + 1, args, keys);
        if (!st) next_call(state);
    }
    if (!st) {
        wg_retain(keys);
        wg_array *args[4] = {keys, wgP_i32(ctx, (int32_t)n)};
        st = run_k(ctx, &k_rankdesc, 2, args, rk);
    }
    if (!st) {
        wg_retain(rk);
        wg_array *args[4] = {rk, wgP_i32(ctx, (int32_t)n)};
        st = run_k(ctx, &k_select, 2, args, out);
    }
    if (keys) wg_release(keys);
    if (rk) wg_release(rk);
    return st;
}

wg_array *wg_random_take_rows(wg_context *ctx, wg_array *x, wg_array *idx) {
    if (x->lay.ndim < 1 || idx->lay.ndim != 1 || !wgD_is_int(idx->dtype)) {
        wgB_error(ctx, WG_ERR_VALUE, "random: take_rows needs an array of 1 or more dimensions "
                                     "and a 1-d integer index");
        return NULL;
    }
    int64_t shape[WG_MAX_NDIM];
    memcpy(shape, x->lay.shape, sizeof shape[0] * (size_t)x->lay.ndim);
    shape[0] = idx->lay.shape[0];
    int64_t row = 1;
    for (int j = 1; j < x->lay.ndim; j++) row *= x->lay.shape[j];
    if (row > INT32_MAX) {
        wgB_error(ctx, WG_ERR_VALUE, "random: rows too large");
        return NULL;
    }
    wg_array *out = wg_empty(ctx, x->dtype, x->lay.ndim, shape);
    if (!out) return NULL;
    if (wgL_size(&out->lay) == 0) return wgP_out(ctx, out);
    wg_retain(x);
    wg_retain(idx);
    wg_array *args[4] = {x, idx, wgP_i32(ctx, (int32_t)row)};
    if (run_k(ctx, &k_take_rows, 3, args, out)) {
        wg_release(out);
        return NULL;
    }
    return wgP_out(ctx, out);
}

int wg_random_multinomial(wg_context *ctx, uint32_t *state, int64_t n, wg_array *pvals,
                          wg_array *out) {
    if (pvals->lay.ndim != 1 || out->lay.ndim < 1 ||
        out->lay.shape[out->lay.ndim - 1] != pvals->lay.shape[0])
        return wgB_error(ctx, WG_ERR_VALUE, "random.multinomial: pvals must be 1-d and the "
                                            "output's last axis as long");
    if (n < 0 || n > INT32_MAX) return wgB_error(ctx, WG_ERR_VALUE, "n < 0");
    int st = check_1d_int(ctx, out, "multinomial");
    if (!st) st = refuse_loops(ctx, "multinomial");
    if (st || wgL_size(&out->lay) == 0) return st;
    wg_array *args[12];
    head(ctx, state, pvals->dtype == WG_FLOAT64, args);
    wg_retain(pvals);
    args[NHEAD] = pvals;
    args[NHEAD + 1] = wgP_i32(ctx, (int32_t)pvals->lay.shape[0]);
    args[NHEAD + 2] = wgP_i32(ctx, (int32_t)n);
    st = run_k(ctx, &k_multinomial, NHEAD + 3, args, out);
    if (!st) next_call(state);
    return st;
}

int wg_random_dirichlet(wg_context *ctx, uint32_t *state, wg_array *alpha, wg_array *out) {
    if (alpha->lay.ndim != 1 || out->lay.ndim < 1 ||
        out->lay.shape[out->lay.ndim - 1] != alpha->lay.shape[0] || !wgD_is_float(out->dtype))
        return wgB_error(ctx, WG_ERR_VALUE, "random.dirichlet: alpha must be 1-d and the "
                                            "output's last axis as long");
    if (wgL_size(&out->lay) == 0) return WG_OK;
    wg_array *g = wg_empty(ctx, out->dtype, out->lay.ndim, out->lay.shape);
    if (!g) return fail(ctx);
    int st = wg_random(ctx, "standard_gamma", state, 1, &alpha, g);
    if (!st) {
        wg_array *args[4] = {g, wgP_i32(ctx, (int32_t)alpha->lay.shape[0])};
        return run_k(ctx, &k_rownorm, 2, args, out); /* releases g */
    }
    wg_release(g);
    return st;
}

int wg_random_multivariate_normal(wg_context *ctx, uint32_t *state, wg_array *mean,
                                  wg_array *cov, wg_array *out) {
    int nd = out->lay.ndim;
    if (mean->lay.ndim != 1 || cov->lay.ndim != 2 || nd < 1 ||
        cov->lay.shape[0] != mean->lay.shape[0] || cov->lay.shape[1] != mean->lay.shape[0] ||
        out->lay.shape[nd - 1] != mean->lay.shape[0])
        return wgB_error(ctx, WG_ERR_VALUE,
                         "mean and cov must have same length, cov must be 2 dimensional and "
                         "square");
    if (!wgD_is_float(out->dtype) || mean->dtype != out->dtype || cov->dtype != out->dtype)
        return wgB_error(ctx, WG_ERR_TYPE, "random.multivariate_normal: mean, cov and the output "
                                           "must have the same floating dtype");
    int64_t d = mean->lay.shape[0];
    if (d > 46340) return wgB_error(ctx, WG_ERR_VALUE, "random.multivariate_normal: cov too large");
    if (wgL_size(&out->lay) == 0) return WG_OK;
    int64_t dd[2] = {d, d};
    wg_array *zero = wgP_i32(ctx, 0);
    wg_array *l = zero ? wg_full(ctx, out->dtype, 2, dd, zero) : NULL;
    if (zero) wg_release(zero);
    int st = l ? WG_OK : fail(ctx);
    for (int64_t c = 0; c < d && !st; c++) {
        wg_array *nl = wg_empty(ctx, out->dtype, 2, dd);
        if (!nl) {
            st = fail(ctx);
            break;
        }
        wg_retain(cov);
        wg_array *args[6] = {cov, l, wgP_i32(ctx, (int32_t)d), wgP_i32(ctx, (int32_t)c)};
        st = run_k(ctx, &k_chol_col, 4, args, nl); /* releases cov's and l's references */
        l = nl;
    }
    wg_array *z = st ? NULL : wg_empty(ctx, out->dtype, nd, out->lay.shape);
    if (!st && !z) st = fail(ctx);
    if (!st) st = wg_random(ctx, "standard_normal", state, 0, NULL, z);
    if (!st) {
        wg_retain(mean);
        wg_array *args[6] = {z, l, mean, wgP_i32(ctx, (int32_t)d)};
        return run_k(ctx, &k_mvn, 4, args, out); /* releases z, l, mean */
    }
    if (z) wg_release(z);
    if (l) wg_release(l);
    return st;
}
