/* numpy.fft by library kernels (docs/fft.md).
 *
 * A transform runs over rows: the transformed axis is moved last and the array made
 * C-contiguous, so the work is M rows of n points.  Inside, a row is *planar*: one (M, n) array
 * of real parts and one of imaginary parts (every kernel has the two as outputs, so each point
 * of a pass computes one complex value and webgl2's fragments write only their own points).
 *
 *   load      input (complex pairs, real, or the half spectrum of irfft) -> planar (M, n), with
 *             numpy's crop / zero-pad to n and the Hermitian extension
 *   twiddles  w_n^j = exp(sign 2 pi i j / n), j < n: one table per transform, computed in-kernel
 *             from an exactly reduced angle (quadrant by integers, then sin/cos of [0, pi/2))
 *   passes    Stockham autosort, radix 4, 2, 3, 5 (powers of two up to 2^22 on webgpu: one or two
 *             dispatches of a workgroup-memory kernel, "Workgroup passes" below): output o of a
 *             pass of radix R after Ns
 *             (the product of the earlier radices) gathers R inputs x[j + s n/R] (j = q Ns + k,
 *             o = q Ns R + r Ns + k) and sums x_s w_{Ns R}^{s t}, t = o mod Ns R: the radix-R
 *             butterfly and the twiddle of the input in one table lookup per term
 *   Bluestein for sizes with another prime factor: chirp-z through a power-of-two FFT of
 *             m >= 2n - 1 points (chirp c_j = exp(sign pi i j^2 / n), j^2 reduced mod 2n exactly)
 *   store     planar -> the output (complex pairs or real parts), cropped to the output length,
 *             scaled by the norm and conjugated where asked
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../layout/layout.h"
#include "libk.h"

/* exp(sign * 2 pi i idx / L) for 0 <= idx < L < 2^29: the quadrant by integers (exact), then
 * sin/cos of an angle in [0, pi/2). */
#define TWIDDLE_PRE                                                                             \
    "template <typename U> __device__ void wg_tw(int idx, int L, U sg, U &c, U &s) {\n"         \
    "  int f = 4 * idx; int q = f / L; int rem = f - q * L;\n"                                  \
    "  U th = (U)1.5707963267948966 * ((U)rem / (U)L);\n"                                       \
    "  U a = cos(th); U b = sin(th);\n"                                                         \
    "  U cr = a; U ci = b;\n"                                                                   \
    "  if (q == 1) { cr = -b; ci = a; }\n"                                                      \
    "  if (q == 2) { cr = -a; ci = -b; }\n"                                                     \
    "  if (q == 3) { cr = b; ci = -a; }\n"                                                      \
    "  c = cr; s = sg * ci;\n"                                                                  \
    "}\n"

/* the workgroup kernels' preamble: wg_tw, the swizzle of their workgroup arrays' indices
 * (sw = 1: x xor its bits 5..9, a permutation within each 32-word row that spreads the radix-8
 * stores' stride-8 and the four-step's strided runs over the 32 banks), and with rf (rfft's
 * unpack fused into the last pass, WGF_RPOST) the order of a workgroup's batches: slots 2P and
 * 2P + 1 hold rows P and C - P (rows 0 and C / 2 for P = 0), whose points are each other's
 * partners Z_(h-k) */
#define WGF_PRE                                                                                 \
    TWIDDLE_PRE "__device__ int wg_sw(int a, int sw) { return a ^ (((a >> 5) & 31) * (sw & 1)); }\n" \
    "__device__ int wg_rp(int cc, int lC, int rf) {\n"                                          \
    "  if (rf == 0 || lC == 0) return cc;\n"                                                    \
    "  int P = cc >> 1;\n"                                                                      \
    "  if ((cc & 1) == 0) return P;\n"                                                          \
    "  return P == 0 ? (1 << (lC - 1)) : (1 << lC) - P;\n"                                      \
    "}\n"

/* the twiddle table of n points; sg = -1 forward, +1 inverse */
static const wgP_libk tw_src = {
    .name = "wg_fft_twiddles",
    .in_params = "T sg, int32 n",
    .out_params = "T wr, T wi",
    .operation = "T c = 0; T s = 0; wg_tw((int)i, n, sg, c, s); wr = c; wi = s;",
    .preamble = TWIDDLE_PRE,
    .loop_prep = "",
};

/* load: point (row, e) of the (M, n) planar rows from x's rows of nin points: complex pairs
 * (cplx) or real values.  herm: x holds the first n/2 + 1 points of a Hermitian row (irfft); a
 * point e > n/2 is the conjugate of x[n - e].  Points at or past nv (= min(nin, the points of
 * the row used)) are zero: numpy's crop / zero-pad.  cs = -1 conjugates. */
static const wgP_libk load_src = {
    .name = "wg_fft_load",
    .in_params = "raw X x, int32 nin, int32 nv, int32 n, int32 cplx, int32 herm, T cs",
    .out_params = "T yr, T yi",
    .operation = "int row = (int)i / n; int e = (int)i - row * n;\n"
                 "T re = 0; T im = 0; int src = e; T sg = 1;\n"
                 "if (herm != 0 && e > n / 2) { src = n - e; sg = -1; }\n"
                 "if (src < nv) {\n"
                 "  int p = row * nin + src;\n"
                 "  if (cplx == 0) { re = (T)x[p]; }\n"
                 "  else { re = (T)x[2 * p]; im = sg * (T)x[2 * p + 1]; }\n"
                 "}\n"
                 "yr = re; yi = cs * im;",
    .preamble = "",
    .loop_prep = "",
};

/* store: point p of the output.  cplx 1: (M, nout, 2) pairs; 0: (M, nout) real parts; 2: (M,
 * nout) reals packed two a complex point (even e: real part of point e / 2, odd: imaginary part;
 * irfft's half-length transform).  Reads the planar rows of n points. */
static const wgP_libk store_src = {
    .name = "wg_fft_store",
    .in_params = "raw T xr, raw T xi, int32 n, int32 nout, int32 cplx, T scale, T cs",
    .out_params = "T y",
    .operation = "int p = (int)i; int c = 0;\n"
                 "if (cplx == 1) { c = p - (p / 2) * 2; p = p / 2; }\n"
                 "int row = p / nout; int e = p - row * nout;\n"
                 "if (cplx == 2) { c = e - (e / 2) * 2; e = e / 2; }\n"
                 "int s = row * n + e;\n"
                 "y = (c != 0) ? ((cplx == 1 ? cs : (T)1) * scale) * xi[s] : scale * xr[s];",
    .preamble = "",
    .loop_prep = "",
};

/* rfft of even n = 2h by a complex FFT of h points: pack z_j = x_2j + i x_2j+1 (crop / zero-pad
 * to nv real points) ... */
static const wgP_libk rpack_src = {
    .name = "wg_fft_rpack",
    .in_params = "raw X x, int32 nin, int32 nv, int32 h",
    .out_params = "T yr, T yi",
    .operation = "int row = (int)i / h; int j = (int)i - row * h; int p = row * nin + 2 * j;\n"
                 "T re = 0; T im = 0;\n"
                 "if (2 * j < nv) re = (T)x[p];\n"
                 "if (2 * j + 1 < nv) im = (T)x[p + 1];\n"
                 "yr = re; yi = im;",
    .preamble = "",
    .loop_prep = "",
};
/* ... then X_k = (Z_k + conj Z_{h-k}) / 2 - i w^k (Z_k - conj Z_{h-k}) / 2, w = exp(-2 pi i / n),
 * k = 0..h: point p of the (M, h + 1, 2) pairs, scaled (scale) and conjugated (cs = -1) */
static const wgP_libk rpost_src = {
    .name = "wg_fft_rpost",
    .in_params = "raw T zr, raw T zi, int32 h, T scale, T cs",
    .out_params = "T y",
    .operation = "int p = (int)i; int c = p - (p / 2) * 2; p = p / 2;\n"
                 "int row = p / (h + 1); int k = p - row * (h + 1);\n"
                 "int ka = k < h ? k : 0; int kb = k > 0 ? h - k : 0;\n"
                 "T ar = zr[row * h + ka]; T ai = zi[row * h + ka];\n"
                 "T br = zr[row * h + kb]; T bi = -zi[row * h + kb];\n"
                 "T wc = 0; T ws = 0; wg_tw(k, 2 * h, (T)-1, wc, ws);\n"
                 "T dr = ar - br; T di = ai - bi;\n"
                 "T re = (T)0.5 * ((ar + br) + (wc * di + ws * dr));\n"
                 "T im = (T)0.5 * ((ai + bi) - (wc * dr - ws * di));\n"
                 "y = (c != 0) ? (scale * cs) * im : scale * re;",
    .preamble = TWIDDLE_PRE,
    .loop_prep = "",
};
/* the same from Z as complex pairs (the workgroup passes' result), one point X_k a thread (both
 * of its pairs' values: the unpack's loads, twiddle and arithmetic once, not once a value), h a
 * power of two: w^k = w_(2h >> ls)^(k >> ls) w^(k mod 2^ls), the products of a coarse table
 * (cr, ci) and a fine one (fr, fi), both correctly rounded values of exactly reduced angles,
 * in place of a software sin and cos (some 40 operations) for each of the 2^22 values of an
 * rfft of 2^22 */
static const wgP_libk rpost_pairs_src = {
    .name = "wg_fft_rpost_pairs",
    .in_params = "raw T z, raw T cr, raw T ci, raw T fr, raw T fi, int32 h, int32 ls, T scale, "
                 "T cs",
    .out_params = "raw T y",
    .operation = "int p = (int)i; int row = p / (h + 1); int k = p - row * (h + 1);\n"
                 "int ka = k < h ? k : 0; int kb = k > 0 ? h - k : 0;\n"
                 "T ar = z[2 * (row * h + ka)]; T ai = z[2 * (row * h + ka) + 1];\n"
                 "T br = z[2 * (row * h + kb)]; T bi = -z[2 * (row * h + kb) + 1];\n"
                 "int kh = k >> ls; int kl = k & ((1 << ls) - 1);\n"
                 "T xr = cr[kh]; T xi = ci[kh]; T ur = fr[kl]; T ui = fi[kl];\n"
                 "T wc = xr * ur - xi * ui; T ws = xr * ui + xi * ur;\n"
                 "T dr = ar - br; T di = ai - bi;\n"
                 "T re = (T)0.5 * ((ar + br) + (wc * di + ws * dr));\n"
                 "T im = (T)0.5 * ((ai + bi) - (wc * dr - ws * di));\n"
                 "y[2 * p] = scale * re; y[2 * p + 1] = (scale * cs) * im;",
    .preamble = "",
    .loop_prep = "",
};
/* irfft of even n = 2h by an inverse complex FFT of h points: from the half spectrum X_0..X_h
 * (rows of nin points, the first nv used, the rest zero; the imaginary parts of X_0 and X_h
 * ignored, as numpy's; cs = -1 conjugates: hfft), Z_k = (X_k + conj X_{h-k}) + i w^-k (X_k -
 * conj X_{h-k}), k < h; the reals come out packed (store's cplx 2) */
#define CPRE_BODY(TW)                                                                           \
    "int row = (int)i / h; int k = (int)i - row * h; int kb = h - k;\n"                         \
    "T ar = 0; T ai = 0; T br = 0; T bi = 0;\n"                                                 \
    "if (k < nv) { int p = row * nin + k;\n"                                                    \
    "  if (cplx != 0) { ar = (T)x[2 * p]; ai = cs * (T)x[2 * p + 1]; }\n"                       \
    "  else ar = (T)x[p]; }\n"                                                                  \
    "if (kb < nv) { int p = row * nin + kb;\n"                                                  \
    "  if (cplx != 0) { br = (T)x[2 * p]; bi = -cs * (T)x[2 * p + 1]; }\n"                      \
    "  else br = (T)x[p]; }\n"                                                                  \
    "if (k == 0) { ai = 0; bi = 0; }\n" TW                                                      \
    "T dr = ar - br; T di = ai - bi;\n"                                                         \
    "yr = (ar + br) - (wc * di + ws * dr);\n"                                                   \
    "yi = (ai + bi) + (wc * dr - ws * di);"
static const wgP_libk cpre_src = {
    .name = "wg_fft_cpre",
    .in_params = "raw X x, int32 nin, int32 nv, int32 h, int32 cplx, T cs",
    .out_params = "T yr, T yi",
    .operation = CPRE_BODY("T wc = 0; T ws = 0; wg_tw(k, 2 * h, (T)1, wc, ws);\n"),
    .preamble = TWIDDLE_PRE,
    .loop_prep = "",
};
/* the same for h a power of two (the workgroup path): w^-k from the tables of rpost_pairs (the
 * conjugate of their forward w^k) in place of a software sin and cos a point */
static const wgP_libk cpre_tab_src = {
    .name = "wg_fft_cpre_tab",
    .in_params = "raw X x, raw T cr, raw T ci, raw T fr, raw T fi, int32 nin, int32 nv, int32 h, "
                 "int32 cplx, T cs, int32 ls",
    .out_params = "T yr, T yi",
    .operation = CPRE_BODY("int kh = k >> ls; int kl = k & ((1 << ls) - 1);\n"
                           "T qr = cr[kh]; T qi = ci[kh]; T ur = fr[kl]; T ui = fi[kl];\n"
                           "T wc = qr * ur - qi * ui; T ws = -(qr * ui + qi * ur);\n"),
    .preamble = "",
    .loop_prep = "",
};

/* One Stockham pass of radix R over planar rows of n points (Ns: the product of the radices
 * before it, L = Ns R, st = n / R, tw = n / L; wr/wi: the table of n twiddles).  Three integer
 * divisions a point; the table index (s t mod L) tw by additions. */
#define PASS_HEAD                                                                               \
    "int row = (int)i / n; int o = (int)i - row * n;\n"                                         \
    "int q = o / L; int t = o - q * L; int kq = t / Ns; int k = t - kq * Ns;\n"                 \
    "int b = row * n + q * Ns + k;\n"                                                           \
    "T ar = xr[b]; T ai = xi[b]; int e = 0;\n"
#define PASS_TERM(S)                                                                            \
    "e += t; e = (e >= L) ? e - L : e;\n"                                                       \
    "{ T c = wr[e * tw]; T d = wi[e * tw];\n"                                                   \
    "  T u = xr[b + " #S " * st]; T v = xi[b + " #S " * st];\n"                                 \
    "  ar += u * c - v * d; ai += u * d + v * c; }\n"
#define PASS_SRC(RADIX, TERMS)                                                                  \
    static const wgP_libk pass##RADIX##_src = {                                                 \
        .name = "wg_fft_pass" #RADIX,                                                           \
        .in_params = "raw T xr, raw T xi, raw T wr, raw T wi, int32 n, int32 Ns, int32 L, "     \
                     "int32 st, int32 tw",                                                      \
        .out_params = "T yr, T yi",                                                             \
        .operation = PASS_HEAD TERMS "yr = ar; yi = ai;",                                       \
        .preamble = "",                                                                         \
        .loop_prep = "",                                                                        \
    };
PASS_SRC(2, PASS_TERM(1))
PASS_SRC(3, PASS_TERM(1) PASS_TERM(2))
PASS_SRC(4, PASS_TERM(1) PASS_TERM(2) PASS_TERM(3))
PASS_SRC(5, PASS_TERM(1) PASS_TERM(2) PASS_TERM(3) PASS_TERM(4))

/* The same passes as scatters (cpu and webgpu, which have raw stores; webgl2 runs the gathers):
 * point j of a row's n / R computes the radix-R butterfly of its R inputs once and stores its R
 * outputs, so each input is loaded once and the butterfly's roots (+-1, +-i) cost additions.
 * sg = -1 forward, +1 inverse. */
#define SPASS_HEAD                                                                              \
    "int row = (int)i / st; int j = (int)i - row * st; int jq = j / Ns; int k = j - jq * Ns;\n" \
    "int b = row * n + j; int o = row * n + jq * Ns * R + k;\n"                                 \
    "T a0r = xr[b]; T a0i = xi[b];\n"
#define SPASS_LOAD(S)                                                                           \
    "T a" #S "r = 0; T a" #S "i = 0;\n"                                                         \
    "{ int e = " #S " * k * tw; T c = wr[e]; T d = wi[e];\n"                                    \
    "  T u = xr[b + " #S " * st]; T v = xi[b + " #S " * st];\n"                                 \
    "  a" #S "r = u * c - v * d; a" #S "i = u * d + v * c; }\n"
static const wgP_libk spass4_src = {
    .name = "wg_fft_spass4",
    .in_params = "raw T xr, raw T xi, raw T wr, raw T wi, T sg, int32 n, int32 Ns, int32 st, "
                 "int32 tw",
    .out_params = "raw T yr, raw T yi",
    .operation = "const int R = 4;\n" SPASS_HEAD SPASS_LOAD(1) SPASS_LOAD(2) SPASS_LOAD(3)
                 "T s0r = a0r + a2r; T s0i = a0i + a2i; T d0r = a0r - a2r; T d0i = a0i - a2i;\n"
                 "T s1r = a1r + a3r; T s1i = a1i + a3i; T d1r = a1r - a3r; T d1i = a1i - a3i;\n"
                 /* w4 d1 = sg i d1 = sg (-d1i, d1r) */
                 "T er = -sg * d1i; T ei = sg * d1r;\n"
                 "yr[o] = s0r + s1r; yi[o] = s0i + s1i;\n"
                 "yr[o + Ns] = d0r + er; yi[o + Ns] = d0i + ei;\n"
                 "yr[o + 2 * Ns] = s0r - s1r; yi[o + 2 * Ns] = s0i - s1i;\n"
                 "yr[o + 3 * Ns] = d0r - er; yi[o + 3 * Ns] = d0i - ei;",
    .preamble = "",
    .loop_prep = "",
};
/* radix 8: two radix-4 butterflies (even and odd inputs) joined by w8^r = exp(sg i pi r / 4) */
#define BFLY4(P, B0, B1, B2, B3)                                                                \
    "T " P "s0r = " B0 "r + " B2 "r; T " P "s0i = " B0 "i + " B2 "i;\n"                          \
    "T " P "d0r = " B0 "r - " B2 "r; T " P "d0i = " B0 "i - " B2 "i;\n"                          \
    "T " P "s1r = " B1 "r + " B3 "r; T " P "s1i = " B1 "i + " B3 "i;\n"                          \
    "T " P "d1r = " B1 "r - " B3 "r; T " P "d1i = " B1 "i - " B3 "i;\n"                          \
    "T " P "er = -sg * " P "d1i; T " P "ei = sg * " P "d1r;\n"                                  \
    "T " P "0r = " P "s0r + " P "s1r; T " P "0i = " P "s0i + " P "s1i;\n"                       \
    "T " P "1r = " P "d0r + " P "er; T " P "1i = " P "d0i + " P "ei;\n"                         \
    "T " P "2r = " P "s0r - " P "s1r; T " P "2i = " P "s0i - " P "s1i;\n"                       \
    "T " P "3r = " P "d0r - " P "er; T " P "3i = " P "d0i - " P "ei;\n"
/* the radix-32 first stage's last step for column j: the radix-4 butterfly of Py j .. Sy j, its
 * four points to workgroup memory at u + a, b, c, d (literal numbers: WGF_SM stringifies them) */
#define WGF_R32_COL(J, A, B, C, D)                                                              \
    "    {\n" BFLY4("F", "Py" #J, "Qy" #J, "Ry" #J, "Sy" #J)                                   \
    WGF_SM(A, "F0r", "F0i") WGF_SM(B, "F1r", "F1i")                                             \
    WGF_SM(C, "F2r", "F2i") WGF_SM(D, "F3r", "F3i") "    }\n"
static const wgP_libk spass8_src = {
    .name = "wg_fft_spass8",
    .in_params = "raw T xr, raw T xi, raw T wr, raw T wi, T sg, int32 n, int32 Ns, int32 st, "
                 "int32 tw",
    .out_params = "raw T yr, raw T yi",
    .operation = "const int R = 8;\n" SPASS_HEAD SPASS_LOAD(1) SPASS_LOAD(2) SPASS_LOAD(3)
                 SPASS_LOAD(4) SPASS_LOAD(5) SPASS_LOAD(6) SPASS_LOAD(7)
                 BFLY4("E", "a0", "a2", "a4", "a6") BFLY4("O", "a1", "a3", "a5", "a7")
                 "const T h = (T)0.70710678118654752;\n"
                 /* w8 O1 = (O1r - sg O1i, O1i + sg O1r) h; w8^2 O2 = sg i O2; w8^3 O3 =
                  * (-O3r - sg O3i, -O3i + sg O3r) h */
                 "T t1r = h * (O1r - sg * O1i); T t1i = h * (O1i + sg * O1r);\n"
                 "T t2r = -sg * O2i; T t2i = sg * O2r;\n"
                 "T t3r = h * (-O3r - sg * O3i); T t3i = h * (-O3i + sg * O3r);\n"
                 "yr[o] = E0r + O0r; yi[o] = E0i + O0i;\n"
                 "yr[o + Ns] = E1r + t1r; yi[o + Ns] = E1i + t1i;\n"
                 "yr[o + 2 * Ns] = E2r + t2r; yi[o + 2 * Ns] = E2i + t2i;\n"
                 "yr[o + 3 * Ns] = E3r + t3r; yi[o + 3 * Ns] = E3i + t3i;\n"
                 "yr[o + 4 * Ns] = E0r - O0r; yi[o + 4 * Ns] = E0i - O0i;\n"
                 "yr[o + 5 * Ns] = E1r - t1r; yi[o + 5 * Ns] = E1i - t1i;\n"
                 "yr[o + 6 * Ns] = E2r - t2r; yi[o + 6 * Ns] = E2i - t2i;\n"
                 "yr[o + 7 * Ns] = E3r - t3r; yi[o + 7 * Ns] = E3i - t3i;",
    .preamble = "",
    .loop_prep = "",
};
static const wgP_libk spass2_src = {
    .name = "wg_fft_spass2",
    .in_params = "raw T xr, raw T xi, raw T wr, raw T wi, T sg, int32 n, int32 Ns, int32 st, "
                 "int32 tw",
    .out_params = "raw T yr, raw T yi",
    .operation = "const int R = 2;\n" SPASS_HEAD SPASS_LOAD(1)
                 "yr[o] = a0r + a1r; yi[o] = a0i + a1i;\n"
                 "yr[o + Ns] = a0r - a1r; yi[o + Ns] = a0i - a1i;",
    .preamble = "",
    .loop_prep = "",
};

/* ---- workgroup passes (cpu and webgpu; docs/fft.md "Workgroup passes") -------------------- */
/* One dispatch transforms batches of L = 2^lg <= 2048 points in workgroup memory: 256 threads a
 * workgroup hold a tile of 2^lgP points (2048, or 4096 where the device's workgroup memory holds
 * them; G = 2^lgP / L batches) in planar workgroup arrays and run the Stockham stages: the first
 * (radix 2^f1, f1 = 1, 2 or 3 as lg mod 3; Ns = 1, no twiddles) as the points come from global
 * memory, then radix-8 stages in place (each thread loads its 2^lgP / 2048 butterflies into
 * registers, waits, stores, waits), the last of them straight to global memory.  Batch b of nb is
 * (r, c) = (b / C, b mod C), C = 2^lC; its point j is read at r n + c ci + j cj and its output k
 * written at r n + c co + k ck (the four-step's transposes are these index maps), multiplied by
 * w_ntw^(c k) when ntw > 0.  Adjacent threads take adjacent points where the stride is 1 (cj, ck)
 * and adjacent batches where it is not, so the four-step's strided accesses come in runs of G.
 * wr/wi: the forward table of L twiddles (sg = +1 conjugates it); fr/fi: the four-step's fine
 * table.  LOAD reads point jj of batch (r, c) into re, im; STORE writes u, v as output k. */
/* radix 16 (the first stage where lg mod 3 is 1: lg = 4 + 3 m, one in-place stage fewer than a
 * radix-2 first stage and 16 loads a thread issued together): with s = s1 + 4 s2 and r = r1 +
 * 4 r2, four radix-4 butterflies over s2 (Y[s1][r1], prefixes P, Q, R, S for s1 = 0..3), the
 * twiddles w16^(s1 r1) (constants: w16 = exp(sg i pi / 8)), then four radix-4 butterflies over
 * s1 (prefixes F0..F3 for r1 = 0..3), whose output r2 is X[r1 + 4 r2] */
#define WGF_CMK(D, A, WR, WI)                                                                   \
    "    T " D "r = " A "r * (" WR ") - " A "i * (" WI "); T " D "i = " A "r * (" WI ") + " A "i * (" WR ");\n"
#define WGF_BF16                                                                                \
    BFLY4("P", "a0", "a4", "a8", "a12") BFLY4("Q", "a1", "a5", "a9", "a13")                       \
    BFLY4("R", "a2", "a6", "a10", "a14") BFLY4("S", "a3", "a7", "a11", "a15")                     \
    "    const T c16 = (T)0.92387953251128674; const T s16 = (T)0.38268343236508977;\n"           \
    "    const T h16 = (T)0.70710678118654752;\n"                                               \
    WGF_CMK("Qt1", "Q1", "c16", "sg * s16") WGF_CMK("Qt2", "Q2", "h16", "sg * h16")              \
    WGF_CMK("Qt3", "Q3", "s16", "sg * c16") WGF_CMK("Rt1", "R1", "h16", "sg * h16")              \
    "    T Rt2r = -sg * R2i; T Rt2i = sg * R2r;\n"                                              \
    WGF_CMK("Rt3", "R3", "-h16", "sg * h16") WGF_CMK("St1", "S1", "s16", "sg * c16")             \
    WGF_CMK("St2", "S2", "-h16", "sg * h16") WGF_CMK("St3", "S3", "-c16", "-sg * s16")           \
    BFLY4("F0", "P0", "Q0", "R0", "S0") BFLY4("F1", "P1", "Qt1", "Rt1", "St1")                    \
    BFLY4("F2", "P2", "Qt2", "Rt2", "St2") BFLY4("F3", "P3", "Qt3", "Rt3", "St3")                 \
    WGF_SM(0, "F00r", "F00i") WGF_SM(1, "F10r", "F10i") WGF_SM(2, "F20r", "F20i")               \
    WGF_SM(3, "F30r", "F30i") WGF_SM(4, "F01r", "F01i") WGF_SM(5, "F11r", "F11i")               \
    WGF_SM(6, "F21r", "F21i") WGF_SM(7, "F31r", "F31i") WGF_SM(8, "F02r", "F02i")               \
    WGF_SM(9, "F12r", "F12i") WGF_SM(10, "F22r", "F22i") WGF_SM(11, "F32r", "F32i")             \
    WGF_SM(12, "F03r", "F03i") WGF_SM(13, "F13r", "F13i") WGF_SM(14, "F23r", "F23i")            \
    WGF_SM(15, "F33r", "F33i")
/* radix 32 (the first stage where lg mod 3 is 2: lg = 5 + 3 m, 2^11 for rfft 2^22's row pass: two
 * in-place stages fewer than a radix-4 first stage): s = s1 + 4 s2, r = r1 + 8 r2; for each s1 a
 * block loads its 8 inputs and runs a radix-8 butterfly over s2 into Y[s1][r1] (P, Q, R, S for s1
 * = 0..3: blocks keep the kernel within its local variables), times the constants w32^(s1 r1);
 * then for each r1 a radix-4 butterfly over s1, whose output r2 is X[r1 + 8 r2] */
#define BFLY8(Y, B0, B1, B2, B3, B4, B5, B6, B7)                                                    \
    BFLY4("E", B0, B2, B4, B6) BFLY4("O", B1, B3, B5, B7)                                           \
    "    T t1r = h32 * (O1r - sg * O1i); T t1i = h32 * (O1i + sg * O1r);\n"                         \
    "    T t2r = -sg * O2i; T t2i = sg * O2r;\n"                                                    \
    "    T t3r = h32 * (-O3r - sg * O3i); T t3i = h32 * (-O3i + sg * O3r);\n"                       \
    "    " Y "0r = E0r + O0r; " Y "0i = E0i + O0i; " Y "1r = E1r + t1r; " Y "1i = E1i + t1i;\n"     \
    "    " Y "2r = E2r + t2r; " Y "2i = E2i + t2i; " Y "3r = E3r + t3r; " Y "3i = E3i + t3i;\n"     \
    "    " Y "4r = E0r - O0r; " Y "4i = E0i - O0i; " Y "5r = E1r - t1r; " Y "5i = E1i - t1i;\n"     \
    "    " Y "6r = E2r - t2r; " Y "6i = E2i - t2i; " Y "7r = E3r - t3r; " Y "7i = E3i - t3i;\n"
#define WGF_BF32(LOAD)                                                                              \
    "    const T h32 = (T)0.70710678118654752;\n"                                                   \
    "    T Py0r = 0; T Py0i = 0; T Py1r = 0; T Py1i = 0;\n"                                         \
    "    T Py2r = 0; T Py2i = 0; T Py3r = 0; T Py3i = 0;\n"                                         \
    "    T Py4r = 0; T Py4i = 0; T Py5r = 0; T Py5i = 0;\n"                                         \
    "    T Py6r = 0; T Py6i = 0; T Py7r = 0; T Py7i = 0;\n"                                         \
    "    T Qy0r = 0; T Qy0i = 0; T Qy1r = 0; T Qy1i = 0;\n"                                         \
    "    T Qy2r = 0; T Qy2i = 0; T Qy3r = 0; T Qy3i = 0;\n"                                         \
    "    T Qy4r = 0; T Qy4i = 0; T Qy5r = 0; T Qy5i = 0;\n"                                         \
    "    T Qy6r = 0; T Qy6i = 0; T Qy7r = 0; T Qy7i = 0;\n"                                         \
    "    T Ry0r = 0; T Ry0i = 0; T Ry1r = 0; T Ry1i = 0;\n"                                         \
    "    T Ry2r = 0; T Ry2i = 0; T Ry3r = 0; T Ry3i = 0;\n"                                         \
    "    T Ry4r = 0; T Ry4i = 0; T Ry5r = 0; T Ry5i = 0;\n"                                         \
    "    T Ry6r = 0; T Ry6i = 0; T Ry7r = 0; T Ry7i = 0;\n"                                         \
    "    T Sy0r = 0; T Sy0i = 0; T Sy1r = 0; T Sy1i = 0;\n"                                         \
    "    T Sy2r = 0; T Sy2i = 0; T Sy3r = 0; T Sy3i = 0;\n"                                         \
    "    T Sy4r = 0; T Sy4i = 0; T Sy5r = 0; T Sy5i = 0;\n"                                         \
    "    T Sy6r = 0; T Sy6i = 0; T Sy7r = 0; T Sy7i = 0;\n"                                         \
    "    {\n" WGF_LD(LOAD, 0) WGF_LD(LOAD, 4) WGF_LD(LOAD, 8) WGF_LD(LOAD, 12)                      \
    WGF_LD(LOAD, 16) WGF_LD(LOAD, 20) WGF_LD(LOAD, 24) WGF_LD(LOAD, 28)                             \
    BFLY8("Py", "a0", "a4", "a8", "a12", "a16", "a20", "a24", "a28") "    }\n"                      \
    "    {\n" WGF_LD(LOAD, 1) WGF_LD(LOAD, 5) WGF_LD(LOAD, 9) WGF_LD(LOAD, 13)                      \
    WGF_LD(LOAD, 17) WGF_LD(LOAD, 21) WGF_LD(LOAD, 25) WGF_LD(LOAD, 29)                             \
    BFLY8("Qy", "a1", "a5", "a9", "a13", "a17", "a21", "a25", "a29") "    }\n"                      \
    "    {\n" WGF_LD(LOAD, 2) WGF_LD(LOAD, 6) WGF_LD(LOAD, 10) WGF_LD(LOAD, 14)                     \
    WGF_LD(LOAD, 18) WGF_LD(LOAD, 22) WGF_LD(LOAD, 26) WGF_LD(LOAD, 30)                             \
    BFLY8("Ry", "a2", "a6", "a10", "a14", "a18", "a22", "a26", "a30") "    }\n"                     \
    "    {\n" WGF_LD(LOAD, 3) WGF_LD(LOAD, 7) WGF_LD(LOAD, 11) WGF_LD(LOAD, 15)                     \
    WGF_LD(LOAD, 19) WGF_LD(LOAD, 23) WGF_LD(LOAD, 27) WGF_LD(LOAD, 31)                             \
    BFLY8("Sy", "a3", "a7", "a11", "a15", "a19", "a23", "a27", "a31") "    }\n"                     \
    "    { T tc = (T)0.98078528040323043; T ts = sg * ((T)0.19509032201612825);\n"                  \
    "      T tx = Qy1r * tc - Qy1i * ts; Qy1i = Qy1r * ts + Qy1i * tc; Qy1r = tx; }\n"              \
    "    { T tc = (T)0.92387953251128674; T ts = sg * ((T)0.38268343236508978);\n"                  \
    "      T tx = Qy2r * tc - Qy2i * ts; Qy2i = Qy2r * ts + Qy2i * tc; Qy2r = tx; }\n"              \
    "    { T tc = (T)0.83146961230254524; T ts = sg * ((T)0.55557023301960218);\n"                  \
    "      T tx = Qy3r * tc - Qy3i * ts; Qy3i = Qy3r * ts + Qy3i * tc; Qy3r = tx; }\n"              \
    "    { T tc = (T)0.70710678118654757; T ts = sg * ((T)0.70710678118654746);\n"                  \
    "      T tx = Qy4r * tc - Qy4i * ts; Qy4i = Qy4r * ts + Qy4i * tc; Qy4r = tx; }\n"              \
    "    { T tc = (T)0.55557023301960229; T ts = sg * ((T)0.83146961230254524);\n"                  \
    "      T tx = Qy5r * tc - Qy5i * ts; Qy5i = Qy5r * ts + Qy5i * tc; Qy5r = tx; }\n"              \
    "    { T tc = (T)0.38268343236508984; T ts = sg * ((T)0.92387953251128674);\n"                  \
    "      T tx = Qy6r * tc - Qy6i * ts; Qy6i = Qy6r * ts + Qy6i * tc; Qy6r = tx; }\n"              \
    "    { T tc = (T)0.19509032201612833; T ts = sg * ((T)0.98078528040323043);\n"                  \
    "      T tx = Qy7r * tc - Qy7i * ts; Qy7i = Qy7r * ts + Qy7i * tc; Qy7r = tx; }\n"              \
    "    { T tc = (T)0.92387953251128674; T ts = sg * ((T)0.38268343236508978);\n"                  \
    "      T tx = Ry1r * tc - Ry1i * ts; Ry1i = Ry1r * ts + Ry1i * tc; Ry1r = tx; }\n"              \
    "    { T tc = (T)0.70710678118654757; T ts = sg * ((T)0.70710678118654746);\n"                  \
    "      T tx = Ry2r * tc - Ry2i * ts; Ry2i = Ry2r * ts + Ry2i * tc; Ry2r = tx; }\n"              \
    "    { T tc = (T)0.38268343236508984; T ts = sg * ((T)0.92387953251128674);\n"                  \
    "      T tx = Ry3r * tc - Ry3i * ts; Ry3i = Ry3r * ts + Ry3i * tc; Ry3r = tx; }\n"              \
    "    { T tx = -sg * Ry4i; Ry4i = sg * Ry4r; Ry4r = tx; }\n"                                       \
    "    { T tc = -(T)0.38268343236508973; T ts = sg * ((T)0.92387953251128674);\n"                 \
    "      T tx = Ry5r * tc - Ry5i * ts; Ry5i = Ry5r * ts + Ry5i * tc; Ry5r = tx; }\n"              \
    "    { T tc = -(T)0.70710678118654746; T ts = sg * ((T)0.70710678118654757);\n"                 \
    "      T tx = Ry6r * tc - Ry6i * ts; Ry6i = Ry6r * ts + Ry6i * tc; Ry6r = tx; }\n"              \
    "    { T tc = -(T)0.92387953251128674; T ts = sg * ((T)0.38268343236508989);\n"                 \
    "      T tx = Ry7r * tc - Ry7i * ts; Ry7i = Ry7r * ts + Ry7i * tc; Ry7r = tx; }\n"              \
    "    { T tc = (T)0.83146961230254524; T ts = sg * ((T)0.55557023301960218);\n"                  \
    "      T tx = Sy1r * tc - Sy1i * ts; Sy1i = Sy1r * ts + Sy1i * tc; Sy1r = tx; }\n"              \
    "    { T tc = (T)0.38268343236508984; T ts = sg * ((T)0.92387953251128674);\n"                  \
    "      T tx = Sy2r * tc - Sy2i * ts; Sy2i = Sy2r * ts + Sy2i * tc; Sy2r = tx; }\n"              \
    "    { T tc = -(T)0.19509032201612819; T ts = sg * ((T)0.98078528040323043);\n"                 \
    "      T tx = Sy3r * tc - Sy3i * ts; Sy3i = Sy3r * ts + Sy3i * tc; Sy3r = tx; }\n"              \
    "    { T tc = -(T)0.70710678118654746; T ts = sg * ((T)0.70710678118654757);\n"                 \
    "      T tx = Sy4r * tc - Sy4i * ts; Sy4i = Sy4r * ts + Sy4i * tc; Sy4r = tx; }\n"              \
    "    { T tc = -(T)0.98078528040323043; T ts = sg * ((T)0.19509032201612861);\n"                 \
    "      T tx = Sy5r * tc - Sy5i * ts; Sy5i = Sy5r * ts + Sy5i * tc; Sy5r = tx; }\n"              \
    "    { T tc = -(T)0.92387953251128685; T ts = sg * (-(T)0.38268343236508967);\n"                \
    "      T tx = Sy6r * tc - Sy6i * ts; Sy6i = Sy6r * ts + Sy6i * tc; Sy6r = tx; }\n"              \
    "    { T tc = -(T)0.55557023301960218; T ts = sg * (-(T)0.83146961230254524);\n"                \
    "      T tx = Sy7r * tc - Sy7i * ts; Sy7i = Sy7r * ts + Sy7i * tc; Sy7r = tx; }\n"              \
    WGF_R32_COL(0, 0, 8, 16, 24)                                                                    \
    WGF_R32_COL(1, 1, 9, 17, 25)                                                                    \
    WGF_R32_COL(2, 2, 10, 18, 26)                                                                   \
    WGF_R32_COL(3, 3, 11, 19, 27)                                                                   \
    WGF_R32_COL(4, 4, 12, 20, 28)                                                                   \
    WGF_R32_COL(5, 5, 13, 21, 29)                                                                   \
    WGF_R32_COL(6, 6, 14, 22, 30)                                                                   \
    WGF_R32_COL(7, 7, 15, 23, 31)
/* the first stage's radix-2^f1 butterfly of a0.. (inputs j + s L / 2^f1) to points u + r */
#define WGF_LD(LOAD, S)                                                                         \
    "    T a" #S "r = 0; T a" #S "i = 0;\n"                                                     \
    "    { int jj = j + " #S " * (1 << lq); T re = 0; T im = 0;\n" LOAD                         \
    "      a" #S "r = re; a" #S "i = im; }\n"
#define WGF_SM(R, VR, VI) "    sr[wg_sw(u + " #R ", sw)] = " VR "; si[wg_sw(u + " #R ", sw)] = " VI ";\n"
#define WGF_FIRST(LOAD)                                                                         \
    "    /*{f1=1*/ if (f1 == 1) {\n" WGF_LD(LOAD, 0) WGF_LD(LOAD, 1)                             \
    WGF_SM(0, "a0r + a1r", "a0i + a1i") WGF_SM(1, "a0r - a1r", "a0i - a1i")                      \
    "    } /*}*/ /*{f1=2*/ if (f1 == 2) {\n" WGF_LD(LOAD, 0) WGF_LD(LOAD, 1) WGF_LD(LOAD, 2) WGF_LD(LOAD, 3) \
    BFLY4("E", "a0", "a1", "a2", "a3")                                                          \
    WGF_SM(0, "E0r", "E0i") WGF_SM(1, "E1r", "E1i") WGF_SM(2, "E2r", "E2i") WGF_SM(3, "E3r", "E3i") \
    "    } /*}*/ /*{f1=3*/ if (f1 == 3) {\n" WGF_LD(LOAD, 0) WGF_LD(LOAD, 1) WGF_LD(LOAD, 2)       \
    WGF_LD(LOAD, 3)                                                                             \
    WGF_LD(LOAD, 4) WGF_LD(LOAD, 5) WGF_LD(LOAD, 6) WGF_LD(LOAD, 7)                              \
    WGF_BF8                                                                                     \
    WGF_SM(0, "E0r + O0r", "E0i + O0i") WGF_SM(1, "E1r + t1r", "E1i + t1i")                      \
    WGF_SM(2, "E2r + t2r", "E2i + t2i") WGF_SM(3, "E3r + t3r", "E3i + t3i")                      \
    WGF_SM(4, "E0r - O0r", "E0i - O0i") WGF_SM(5, "E1r - t1r", "E1i - t1i")                      \
    WGF_SM(6, "E2r - t2r", "E2i - t2i") WGF_SM(7, "E3r - t3r", "E3i - t3i")                      \
    "    } /*}*/ /*{f4=1*/ if (f1 == 4) {\n" WGF_LD(LOAD, 0) WGF_LD(LOAD, 1) WGF_LD(LOAD, 2)      \
    WGF_LD(LOAD, 3) WGF_LD(LOAD, 4) WGF_LD(LOAD, 5) WGF_LD(LOAD, 6) WGF_LD(LOAD, 7)              \
    WGF_LD(LOAD, 8) WGF_LD(LOAD, 9) WGF_LD(LOAD, 10) WGF_LD(LOAD, 11) WGF_LD(LOAD, 12)           \
    WGF_LD(LOAD, 13) WGF_LD(LOAD, 14) WGF_LD(LOAD, 15) WGF_BF16                                     \
    "    } /*}*/ /*{f5=1*/ if (f1 == 5) {\n"                                                        \
    WGF_BF32(LOAD) "    } /*}*/\n"
/* radix 8 from a0..a7: two radix-4 butterflies joined by w8^r (as spass8); outputs r = 0..7 are
 * E0+O0, E1+t1, E2+t2, E3+t3, E0-O0, E1-t1, E2-t2, E3-t3 */
#define WGF_BF8                                                                                 \
    BFLY4("E", "a0", "a2", "a4", "a6") BFLY4("O", "a1", "a3", "a5", "a7")                         \
    "  const T h8 = (T)0.70710678118654752;\n"                                                  \
    "  T t1r = h8 * (O1r - sg * O1i); T t1i = h8 * (O1i + sg * O1r);\n"                          \
    "  T t2r = -sg * O2i; T t2i = sg * O2r;\n"                                                  \
    "  T t3r = h8 * (-O3r - sg * O3i); T t3i = h8 * (-O3i + sg * O3r);\n"
/* A radix-8 stage's butterfly at k8 (its twiddles w^(s k8 tw)), inputs b8 + s q8.  Twiddles: three
 * table loads (s = 1, 2, 4) and four complex products (w^3 = w w^2, w^5 = w w^4, w^6 = w^2 w^4,
 * w^7 = w^3 w^4: one or two roundings more) in place of seven loads, each a bounds-checked
 * global read in the generated code (H100, GPU a call: fft 2^20 0.0714 -> 0.0667 ms, rfft
 * 2^22 0.193 -> 0.182) */
#define WGF_TWL(S)                                                                              \
    "  { int e = " #S " * k8 * tw; w" #S "r = wr[e]; w" #S "i = -sg * wi[e]; }\n"
#define WGF_TWM(D, A, B)                                                                        \
    "  w" D "r = w" A "r * w" B "r - w" A "i * w" B "i; w" D "i = w" A "r * w" B "i + w" A "i * w" B "r;\n"
#define WGF_TW8(S)                                                                              \
    "  T a" #S "r = 0; T a" #S "i = 0;\n"                                                       \
    "  { T u = sr[wg_sw(b8 + " #S " * q8, sw)]; T v = si[wg_sw(b8 + " #S " * q8, sw)];\n"       \
    "    a" #S "r = u * w" #S "r - v * w" #S "i; a" #S "i = u * w" #S "i + v * w" #S "r; }\n"
#define WGF_R8                                                                                  \
    "  T w1r = 0; T w1i = 0; T w2r = 0; T w2i = 0; T w3r = 0; T w3i = 0; T w4r = 0; T w4i = 0;\n" \
    "  T w5r = 0; T w5i = 0; T w6r = 0; T w6i = 0; T w7r = 0; T w7i = 0;\n"                       \
    WGF_TWL(1) WGF_TWL(2) WGF_TWL(4)                                                            \
    WGF_TWM("3", "1", "2") WGF_TWM("5", "1", "4") WGF_TWM("6", "2", "4") WGF_TWM("7", "3", "4")  \
    "  T a0r = sr[wg_sw(b8, sw)]; T a0i = si[wg_sw(b8, sw)];\n"                                  \
    WGF_TW8(1) WGF_TW8(2) WGF_TW8(3) WGF_TW8(4) WGF_TW8(5) WGF_TW8(6) WGF_TW8(7) WGF_BF8
/* an in-place stage's butterfly E (0, or 1 with 4096-point tiles): its outputs kept in c<r><E>
 * across the barrier */
#define WGF_C(R, E) "T c" #R "r" E " = 0; T c" #R "i" E " = 0; "
#define WGF_CS(R, E, VR, VI) "  c" #R "r" E " = " VR "; c" #R "i" E " = " VI ";\n"
#define WGF_R8_LOAD(E)                                                                          \
    "  int o8" E " = 0; " WGF_C(0, E) WGF_C(1, E) WGF_C(2, E) WGF_C(3, E) "\n  "                 \
    WGF_C(4, E) WGF_C(5, E) WGF_C(6, E) WGF_C(7, E) "\n"                                         \
    "  if (" E " == 0 || lgP - lgT == 4) {\n"                                                         \
    "  int t8 = t + " E " * NT;\n"                                                               \
    "  int l8 = t8 >> (lg - 3); int j8 = t8 & (q8 - 1); int jq8 = j8 >> lns;\n"                  \
    "  int k8 = j8 - (jq8 << lns); int b8 = (l8 << lg) + j8;\n"                                  \
    "  o8" E " = (l8 << lg) + (jq8 << (lns + 3)) + k8;\n" WGF_R8                                 \
    WGF_CS(0, E, "E0r + O0r", "E0i + O0i") WGF_CS(1, E, "E1r + t1r", "E1i + t1i")                \
    WGF_CS(2, E, "E2r + t2r", "E2i + t2i") WGF_CS(3, E, "E3r + t3r", "E3i + t3i")                \
    WGF_CS(4, E, "E0r - O0r", "E0i - O0i") WGF_CS(5, E, "E1r - t1r", "E1i - t1i")                \
    WGF_CS(6, E, "E2r - t2r", "E2i - t2i") WGF_CS(7, E, "E3r - t3r", "E3i - t3i")                \
    "  }\n"
#define WGF_ST(R, E)                                                                            \
    "  sr[wg_sw(o8" E " + " #R " * Ns, sw)] = c" #R "r" E "; si[wg_sw(o8" E " + " #R " * Ns, sw)] = c" #R "i" E ";\n"
#define WGF_R8_STORE(E)                                                                         \
    "  if (" E " == 0 || lgP - lgT == 4) {\n"                                                         \
    WGF_ST(0, E) WGF_ST(1, E) WGF_ST(2, E) WGF_ST(3, E)                                          \
    WGF_ST(4, E) WGF_ST(5, E) WGF_ST(6, E) WGF_ST(7, E) "  }\n"
/* output k of batch (r, c) = (u, v), times w_ntw^(c k) (the four-step's twiddle: w_n1^(m >> s)
 * from the stage table times w_n^(m mod 2^s) from the fine one, m = c k), through STORE */
#define WGF_OUT(STORE)                                                                          \
    "    if (ntw > 0) { int m = c * k; int mh = m >> (lntw - lg); int ml = m & ((ntw >> lg) - 1);\n" \
    "      T br = wr[mh]; T bi = wi[mh]; T ar = fr[ml]; T ai = fi[ml];\n"                        \
    "      T wc = br * ar - bi * ai; T ws = -sg * (br * ai + bi * ar);\n"                        \
    "      T u2 = u * wc - v * ws; v = u * ws + v * wc; u = u2; }\n"                             \
    STORE
/* the last stage's output R of its butterfly: times the four-step's twiddle from the tables
 * (WGF_OUT) or, with sw's bit 3 (WGF_TWINC), the product z_R made for the butterfly's 8 outputs */
#define WGF_GO(R, STORE, VR, VI)                                                                \
    "    { int k = j8 + " #R " * q8; T u = " VR "; T v = " VI ";\n"                              \
    "    /*{tinc=1*/ if (ntw > 0 && (sw & 8) != 0) {\n"                                          \
    "      T u2 = u * z" #R "r - v * z" #R "i; v = u * z" #R "i + v * z" #R "r; u = u2; } /*}*/\n" \
    "    /*{tinc=0*/ if ((sw & 8) == 0) {\n"                                                   \
    "    /*{tpre=1*/ if ((sw & 32) != 0 && ntw > 0) {\n"                                         \
    "      T u2 = u * p" #R "r - v * p" #R "i; v = u * p" #R "i + v * p" #R "r; u = u2; } /*}*/\n" \
    "    /*{tpre=0*/ if ((sw & 32) == 0) {\n" WGF_OUT("") "    } /*}*/\n"                       \
    "    } /*}*/\n" STORE "    }\n"
/* The four-step's twiddles w_n^(c k) of a last-stage butterfly's outputs k = j8 + R q8, R < 8,
 * from two table products (z = w^(c j8), s1 = w^(c q8)) and six more (s2 = s1 s1, s4 = s2 s2,
 * s3 = s1 s2, s5 = s1 s4, s6 = s2 s4, s7 = s3 s4; z_R = z s_R: 8 of the tables' 32 reads, up to
 * four roundings instead of one; an A/B aid, WGPY_FFT_TWINC=1) */
#define WGF_TWP(D, M)                                                                           \
    "      { int m = " M "; int mh = m >> (lntw - lg); int ml = m & ((ntw >> lg) - 1);\n"        \
    "        T br = wr[mh]; T bi = wi[mh]; T ar = fr[ml]; T ai = fi[ml];\n"                      \
    "        " D "r = br * ar - bi * ai; " D "i = -sg * (br * ai + bi * ar); }\n"
#define WGF_ZM(D, A, B) "      " D "r = " A "r * " B "r - " A "i * " B "i; " D "i = " A "r * " B "i + " A "i * " B "r;\n"
#define WGF_TWINC                                                                               \
    "    /*{tinc=1*/ T z0r = 1; T z0i = 0; T z1r = 1; T z1i = 0; T z2r = 1; T z2i = 0;\n"        \
    "    T z3r = 1; T z3i = 0; T z4r = 1; T z4i = 0; T z5r = 1; T z5i = 0; T z6r = 1; T z6i = 0;\n" \
    "    T z7r = 1; T z7i = 0; /*}*/ /*{tinc=1*/ if (ntw > 0 && (sw & 8) != 0) {\n"              \
    "      T s1r = 0; T s1i = 0; T s2r = 0; T s2i = 0; T s4r = 0; T s4i = 0; T s3r = 0; T s3i = 0;\n" \
    WGF_TWP("z0", "c * j8") WGF_TWP("s1", "c * q8") WGF_ZM("s2", "s1", "s1") WGF_ZM("s4", "s2", "s2") \
    WGF_ZM("s3", "s1", "s2") WGF_ZM("z1", "z0", "s1") WGF_ZM("z2", "z0", "s2")                   \
    WGF_ZM("z3", "z0", "s3") WGF_ZM("z4", "z0", "s4") WGF_ZM("z5", "z1", "s4")                   \
    WGF_ZM("z6", "z2", "s4") WGF_ZM("z7", "z3", "s4") "    } /*}*/\n"
/* The four-step's twiddles of the last stage's 8 outputs read before the first barrier (sw's bit
 * 5; with one butterfly a thread, lgP - lgT = 3): the same products of the same table entries as
 * WGF_OUT, so the same bits, but the 32 table reads a thread are issued while the workgroup waits
 * at its barriers rather than after the last butterfly (an A/B aid, WGPY_FFT_TWPRE=1) */
#define WGF_TWPRE(RF)                                                                           \
    "/*{tpre=1*/ T p0r = 1; T p0i = 0; T p1r = 1; T p1i = 0; T p2r = 1; T p2i = 0;\n"            \
    "T p3r = 1; T p3i = 0; T p4r = 1; T p4i = 0; T p5r = 1; T p5i = 0; T p6r = 1; T p6i = 0;\n"   \
    "T p7r = 1; T p7i = 0;\n"                                                                   \
    "if ((sw & 32) != 0 && (sw & 8) == 0 && ntw > 0 && " RF " == 0 && lg > f1) {\n"              \
    "  int l8 = t & (G - 1); int j8 = t >> lgG;\n"                                             \
    "  if (ck == 1) { l8 = t >> (lg - 3); j8 = t & (q8 - 1); }\n"                               \
    "  int c = (g * G + l8) & ((1 << lC) - 1);\n"                                              \
    WGF_TWP("p0", "c * j8") WGF_TWP("p1", "c * (j8 + q8)") WGF_TWP("p2", "c * (j8 + 2 * q8)")    \
    WGF_TWP("p3", "c * (j8 + 3 * q8)") WGF_TWP("p4", "c * (j8 + 4 * q8)")                        \
    WGF_TWP("p5", "c * (j8 + 5 * q8)") WGF_TWP("p6", "c * (j8 + 6 * q8)")                        \
    WGF_TWP("p7", "c * (j8 + 7 * q8)") "} /*}*/\n"
/* rfft's unpack in the last pass (rf; every stage in place first): X_k = (Z_k + conj Z_(h-k)) / 2
 * - i w^k (Z_k - conj Z_(h-k)) / 2 for k = c + C k2 (and X_h = Re Z_0 - Im Z_0 from row 0), the
 * partner in the paired slot (wg_rp) or the same row; w_2h^k = w_2h^c (fr: the first C points of
 * w_2h) w_L^(k2 >> 1) (the stage table) (w_2L = (w1c, w1s) for odd k2) */
#define WGF_RPOST(STORE)                                                                        \
    "  for (int e = 0; e < (((sw & 64) != 0 ? 2 : 1) << (lgP - lgT)); e++) {\n"                 \
    "    int idx = t + e * NT; int s2 = 0;\n"                                                    \
    "    if ((sw & 64) != 0) { s2 = idx & 1; idx = idx >> 1; }\n"                                \
    "    int lb = idx >> lg; int k2 = idx & (L - 1);\n"                                          \
    "    if ((sw & 16) != 0 && ck != 1) { lb = idx & (G - 1); k2 = idx >> lgG; }\n"              \
    "    int b = g * G + lb;\n"                                                                  \
    "    if (b < nb) { int r = b >> lC; int cc = b & ((1 << lC) - 1); int c = wg_rp(cc, lC, 1);\n" \
    "      int P = cc >> 1; int lbp = lb; int k2p = L - 1 - k2;\n"                               \
    "      if (lC > 0 && P > 0) lbp = lb ^ 1;\n"                                                 \
    "      if (P == 0 && (cc & 1) == 0) k2p = (L - k2) & (L - 1);\n"                             \
    "      T ar = sr[wg_sw((lb << lg) + k2, sw)]; T ai = si[wg_sw((lb << lg) + k2, sw)];\n"      \
    "      T br = sr[wg_sw((lbp << lg) + k2p, sw)]; T bi = -si[wg_sw((lbp << lg) + k2p, sw)];\n" \
    "      T qr = fr[c]; T qi = fi[c]; T pr = wr[k2 >> 1]; T pi = wi[k2 >> 1];\n"                \
    "      T wc = qr * pr - qi * pi; T ws = qr * pi + qi * pr;\n"                                \
    "      if ((k2 & 1) != 0) { T w2 = wc * w1c - ws * w1s; ws = wc * w1s + ws * w1c; wc = w2; }\n" \
    "      T dr = ar - br; T di = ai - bi;\n"                                                    \
    "      { int k = k2; T u = (T)0.5 * ((ar + br) + (wc * di + ws * dr));\n"                   \
    "        T v = (T)0.5 * ((ai + bi) - (wc * dr - ws * di));\n" STORE "      }\n"              \
    "      if (c == 0 && k2 == 0) { int k = L; T u = ar - ai; T v = 0;\n" STORE "      }\n"      \
    "    }\n"                                                                                    \
    "  }\n"
/* The last stage in place, then the pairs stored a float a thread (sw's bit 6, an A/B aid:
 * WGPY_FFT_ST2=1): lanes 2m and 2m + 1 store the real and imaginary part of one point, so a
 * warp's store covers 16 points' 128 bytes (runs of G points: whole 32-byte sectors) where the
 * fused last stage's two stores of 32 points each write half of every sector they touch; costs
 * a barrier and a round trip through the workgroup arrays.  Same values, same bits. */
#define WGF_ST2                                                                                 \
    "  for (int e = 0; e < (2 << (lgP - lgT)); e++) {\n"                                        \
    "    int f2 = t + e * NT; int s2 = f2 & 1; int idx = f2 >> 1;\n"                            \
    "    int lb = idx & (G - 1); int k = idx >> lgG;\n"                                         \
    "    if (ck == 1) { lb = idx >> lg; k = idx & (L - 1); }\n"                                 \
    "    int b = g * G + lb;\n"                                                                  \
    "    if (b < nb) { int r = b >> lC; int c = b & ((1 << lC) - 1);\n"                          \
    "    T u = sr[wg_sw((lb << lg) + k, sw)]; T v = si[wg_sw((lb << lg) + k, sw)];\n"            \
    WGF_OUT("")                                                                                 \
    "    int a = r * nout + c * co + k * ck; T val = scale * u;\n"                              \
    "    if (s2 != 0) val = (cso * scale) * v;\n"                                               \
    "    y[2 * a + s2] = val;\n"                                                                 \
    "    }\n"                                                                                    \
    "  }\n"
#define WGF_BODY(LOAD, STORE, RF, POST) WGF_BODY2(LOAD, STORE, RF, POST, "")
#define WGF_BODY2(LOAD, STORE, RF, POST, ST2)                                                   \
    "__shared__ T sr[2048];\n"                                                                   \
    "__shared__ T si[2048];\n"                                                                   \
    "int NT = 1 << lgT; int t = (int)i & (NT - 1); int g = (int)i >> lgT;\n"                      \
    "int L = 1 << lg; int lgG = lgP - lg; int G = 1 << lgG; int q8 = L >> 3;\n"                 \
    "int rem = lg - (lg / 3) * 3; int f1 = rem == 0 ? 3 : rem;\n"                              \
    "if (f1 == 1 && lg >= 4 && (sw & 2) != 0) f1 = 4;\n"                                        \
    "if (f1 == 2 && lg >= 5 && (sw & 4) != 0) f1 = 5;\n"                                        \
    "int lq = lg - f1; int ne = lgP - lgT - f1;\n"                                              \
    "for (int e = 0; e < (1 << (ne < 0 ? 0 : ne)); e++) {\n"                                    \
    "  int idx = t + e * NT; int lb = idx & (G - 1); int j = idx >> lgG;\n"                      \
    "  if (idx < (1 << (lgP - f1))) {\n"                                                         \
    "  if (cj == 1) { lb = idx >> lq; j = idx & ((1 << lq) - 1); }\n"                            \
    "  int b = g * G + lb;\n"                                                                    \
    "  if (b < nb) { int r = b >> lC; int c = wg_rp(b & ((1 << lC) - 1), lC, " RF ");\n"     \
    "    int u = (lb << lg) + (j << f1);\n"                                                    \
    WGF_FIRST(LOAD)                                                                             \
    "  }\n"                                                                                      \
    "  }\n"                                                                                      \
    "}\n"                                                                                        \
    WGF_TWPRE(RF)                                                                               \
    "__syncthreads();\n"                                                                         \
    "for (int lns = f1; lns < lg - (" RF " != 0 || (sw & 64) != 0 ? 0 : 3); lns += 3) {\n"      \
    "  int Ns = 1 << lns; int tw = 1 << (lg - 3 - lns);\n"                                       \
    WGF_R8_LOAD("0") "/*{two=1*/" WGF_R8_LOAD("1") "/*}*/"                                     \
    "  __syncthreads();\n"                                                                       \
    WGF_R8_STORE("0") "/*{two=1*/" WGF_R8_STORE("1") "/*}*/"                                   \
    "  __syncthreads();\n"                                                                       \
    "}\n"                                                                                        \
    "/*{rf=1*/ if (" RF " != 0) {\n" POST "} /*}*/\n"                                          \
    "/*{rf=0*/ /*{st2=1*/ /*{last=1*/ if (" RF " == 0 && lg > f1 && (sw & 64) != 0) {\n" ST2    \
    "} /*}*/ /*}*/ /*}*/\n"                                                                     \
    "/*{rf=0*/ /*{st2=0*/ /*{last=1*/ if (" RF " == 0 && lg > f1 && (sw & 64) == 0) {\n"        \
    "  int tw = 1;\n"                                                                           \
    "  for (int e8 = 0; e8 < (1 << (lgP - lgT - 3)); e8++) {\n"                                       \
    "    int t8 = t + e8 * NT; int l8 = t8 & (G - 1); int j8 = t8 >> lgG;\n"                      \
    "    if (ck == 1) { l8 = t8 >> (lg - 3); j8 = t8 & (q8 - 1); }\n"                            \
    "    int b = g * G + l8;\n"                                                                  \
    "    if (b < nb) { int r = b >> lC; int c = b & ((1 << lC) - 1);\n"                          \
    "    int k8 = j8; int b8 = (l8 << lg) + j8;\n" WGF_R8 WGF_TWINC                              \
    WGF_GO(0, STORE, "E0r + O0r", "E0i + O0i") WGF_GO(1, STORE, "E1r + t1r", "E1i + t1i")        \
    WGF_GO(2, STORE, "E2r + t2r", "E2i + t2i") WGF_GO(3, STORE, "E3r + t3r", "E3i + t3i")        \
    WGF_GO(4, STORE, "E0r - O0r", "E0i - O0i") WGF_GO(5, STORE, "E1r - t1r", "E1i - t1i")        \
    WGF_GO(6, STORE, "E2r - t2r", "E2i - t2i") WGF_GO(7, STORE, "E3r - t3r", "E3i - t3i")        \
    "    }\n"                                                                                    \
    "  }\n"                                                                                      \
    "} /*}*/ /*}*/ /*}*/\n"                                                                      \
    "/*{rf=0*/ /*{last=0*/ if (" RF " == 0 && lg <= f1) {\n"                                     \
    "  for (int e = 0; e < (1 << (lgP - lgT)); e++) {\n"                                           \
    "    int idx = t + e * NT; int lb = idx & (G - 1); int k = idx >> lgG;\n"                    \
    "    if (ck == 1) { lb = idx >> lg; k = idx & (L - 1); }\n"                                  \
    "    int b = g * G + lb;\n"                                                                  \
    "    if (b < nb) { int r = b >> lC; int c = b & ((1 << lC) - 1);\n"                          \
    "    T u = sr[wg_sw((lb << lg) + k, sw)]; T v = si[wg_sw((lb << lg) + k, sw)];\n"            \
    WGF_OUT(STORE)                                                                              \
    "    }\n"                                                                                    \
    "  }\n"                                                                                      \
    "} /*}*/ /*}*/\n"
/* output k of batch (r, c) as pairs of rows of nout, scaled, conjugated by cso = -1 */
#define WGF_PAIRS_STORE                                                                         \
    "    int a = r * nout + c * co + k * ck; y[2 * a] = scale * u;\n"                           \
    "    y[2 * a + 1] = (cso * scale) * v;\n"
/* the same, one float a thread with sw's bit 6 (WGF_ST2): lane s2 of a pair stores the real
 * (0) or imaginary (1) part */
#define WGF_PAIRS_STORE1                                                                        \
    "    int a = r * nout + c * co + k * ck;\n"                                                  \
    "    if ((sw & 64) == 0) { y[2 * a] = scale * u; y[2 * a + 1] = (cso * scale) * v; }\n"      \
    "    else { T val = scale * u; if (s2 != 0) val = (cso * scale) * v; y[2 * a + s2] = val; }\n"
/* Every index the passes form is in range (rows of n points, tiles of 2^lgP, tables of their
 * lengths), so the WGSL reads and writes them directly (ir.h in_range) */
#define WGF_PREP "__wg_block(256); __in_range()"
/* planar rows of n points in and out (the real transforms' half-length FFTs, Bluestein) */
static const wgP_libk wgpass_src = {
    .name = "wg_fft_wgpass",
    .in_params = "raw T xr, raw T xi, raw T wr, raw T wi, raw T fr, raw T fi, T sg, int32 lg, "
                 "int32 nb, int32 lC, int32 n, int32 ci, int32 cj, int32 co, int32 ck, int32 ntw, "
                 "int32 lntw, int32 sw, int32 lgP, int32 lgT",
    .out_params = "raw T yr, raw T yi",
    .operation = WGF_BODY("      int a = r * n + c * ci + jj * cj; re = xr[a]; im = xi[a];\n",
                          "    int a = r * n + c * co + k * ck; yr[a] = u; yi[a] = v;\n", "0", ""),
    .preamble = WGF_PRE,
    .loop_prep = WGF_PREP,
};
/* planar rows in, rows of nout complex pairs out (scaled, conjugated by cso = -1): the last
 * pass of irfft's half-length transform, whose pairs are the n reals */
static const wgP_libk wgpass_p2q_src = {
    .name = "wg_fft_wgpass_p2q",
    .in_params = "raw T xr, raw T xi, raw T wr, raw T wi, raw T fr, raw T fi, T sg, int32 lg, "
                 "int32 nb, int32 lC, int32 n, int32 ci, int32 cj, int32 co, int32 ck, int32 ntw, "
                 "int32 lntw, int32 nout, T scale, T cso, int32 sw, int32 lgP, int32 lgT",
    .out_params = "raw T y",
    .operation = WGF_BODY2("      int a = r * n + c * ci + jj * cj; re = xr[a]; im = xi[a];\n",
                           WGF_PAIRS_STORE, "0", "", WGF_ST2),
    .preamble = WGF_PRE,
    .loop_prep = WGF_PREP,
};
/* C2C fused with the load and the store: x's rows of nin points (complex pairs when cplx is 1,
 * reals when 0; cplx 2: nin reals packed two a point, rfft's half-length transform; points at or
 * past nv read as zero: numpy's crop / zero-pad; cs = -1 conjugates) in,
 * rows of nout complex pairs out (scaled by scale, conjugated by cso = -1); rf: rfft's unpack
 * fused into the store (WGF_RPOST; fr, fi the first C points of w_2h, (w1c, w1s) = w_2L) */
static const wgP_libk wgpass_pairs_src = {
    .name = "wg_fft_wgpass_pairs",
    .in_params = "raw X x, raw T wr, raw T wi, raw T fr, raw T fi, T sg, int32 lg, int32 nb, "
                 "int32 lC, int32 nin, int32 nv, int32 cplx, T cs, int32 ci, int32 cj, int32 co, "
                 "int32 ck, int32 ntw, int32 lntw, int32 nout, T scale, T cso, int32 rf, T w1c, "
                 "T w1s, int32 pd, int32 sw, int32 lgP, int32 lgT",
    .out_params = "raw T y",
    .operation = WGF_BODY2(
        "      int off = c * ci + jj * cj;\n"
        "      /*{pd=1*/ if (pd != 0) {\n"
        "      if (cplx == 2) { int p = r * nin + 2 * off;\n"
        "        if (2 * off < nv) re = (T)x[p]; if (2 * off + 1 < nv) im = (T)x[p + 1]; }\n"
        "      else if (off < nv) { int p = r * nin + off;\n"
        "        if (cplx != 0) { re = (T)x[2 * p]; im = cs * (T)x[2 * p + 1]; } else re = (T)x[p]; }\n"
        "      } /*}*/ /*{pd=0*/ if (pd == 0) {\n"
        "      if (cplx == 2) { int p = r * nin + 2 * off; re = (T)x[p]; im = (T)x[p + 1]; }\n"
        "      else { int p = r * nin + off;\n"
        "        if (cplx != 0) { re = (T)x[2 * p]; im = cs * (T)x[2 * p + 1]; } else re = (T)x[p]; }\n"
        "      } /*}*/\n",
        WGF_PAIRS_STORE, "rf", WGF_RPOST(WGF_PAIRS_STORE1), WGF_ST2),
    .preamble = WGF_PRE,
    .loop_prep = WGF_PREP,
};

/* (j * j) mod m2 for 0 <= j, m2 < 2^29 without overflow (double and add over j's bits) */
#define CHIRP_PRE                                                                               \
    TWIDDLE_PRE                                                                                 \
    "__device__ int wg_sqmod(int j, int m2) {\n"                                                \
    "  int a = j % m2; int bb = j; int r = 0;\n"                                                \
    "  while (bb > 0) {\n"                                                                      \
    "    if ((bb & 1) != 0) { r += a; if (r >= m2) r -= m2; }\n"                                \
    "    a += a; if (a >= m2) a -= m2; bb = bb >> 1;\n"                                         \
    "  }\n"                                                                                     \
    "  return r;\n"                                                                             \
    "}\n"

/* Bluestein (1): a = x c zero-padded to m points (rows of n planar points in, (M, m) out) */
static const wgP_libk bs_a_src = {
    .name = "wg_fft_bluestein_a",
    .in_params = "raw T xr, raw T xi, T sg, int32 n, int32 m",
    .out_params = "T yr, T yi",
    .operation = "int row = (int)i / m; int j = (int)i - row * m; T re = 0; T im = 0;\n"
                 "if (j < n) {\n"
                 "  T c = 0; T s = 0; wg_tw(wg_sqmod(j, 2 * n), 2 * n, sg, c, s);\n"
                 "  T u = xr[row * n + j]; T v = xi[row * n + j];\n"
                 "  re = u * c - v * s; im = u * s + v * c;\n"
                 "}\n"
                 "yr = re; yi = im;",
    .preamble = CHIRP_PRE,
    .loop_prep = "",
};
/* Bluestein (2): the conjugate chirp, wrapped: b_j = conj(c_j), b_{m-j} = conj(c_j) */
static const wgP_libk bs_b_src = {
    .name = "wg_fft_bluestein_b",
    .in_params = "T sg, int32 n, int32 m",
    .out_params = "T yr, T yi",
    .operation = "int j = (int)i; int k = -1;\n"
                 "if (j < n) k = j; else if (j > m - n) k = m - j;\n"
                 "T re = 0; T im = 0;\n"
                 "if (k >= 0) { T c = 0; T s = 0; wg_tw(wg_sqmod(k, 2 * n), 2 * n, sg, c, s);\n"
                 "  re = c; im = -s; }\n"
                 "yr = re; yi = im;",
    .preamble = CHIRP_PRE,
    .loop_prep = "",
};
/* Bluestein (3): the pointwise product A B (B: one row of m, every row of A) */
static const wgP_libk bs_mul_src = {
    .name = "wg_fft_bluestein_mul",
    .in_params = "raw T ar, raw T ai, raw T br, raw T bi, int32 m",
    .out_params = "T yr, T yi",
    .operation = "int p = (int)i; int j = p % m;\n"
                 "T u = ar[p]; T v = ai[p]; T c = br[j]; T d = bi[j];\n"
                 "yr = u * c - v * d; yi = u * d + v * c;",
    .preamble = "",
    .loop_prep = "",
};
/* Bluestein (4): y_k = c_k conv_k / m for k < n (conv: rows of m) */
static const wgP_libk bs_out_src = {
    .name = "wg_fft_bluestein_out",
    .in_params = "raw T xr, raw T xi, T sg, T inv_m, int32 n, int32 m",
    .out_params = "T yr, T yi",
    .operation = "int row = (int)i / n; int k = (int)i - row * n;\n"
                 "T c = 0; T s = 0; wg_tw(wg_sqmod(k, 2 * n), 2 * n, sg, c, s);\n"
                 "T u = inv_m * xr[row * m + k]; T v = inv_m * xi[row * m + k];\n"
                 "yr = u * c - v * s; yi = u * s + v * c;",
    .preamble = CHIRP_PRE,
    .loop_prep = "",
};

/* ---- helpers ------------------------------------------------------------------------------ */

static wg_array *tscalar(wg_context *ctx, int dt, double v) {
    return wg_scalar(ctx, dt, WG_WEAK_NONE, 0, 0, v);
}

/* launch a kernel with two planar outputs of shape (M, n) into *yr, *yi (new references) */
static int launch2(wg_context *ctx, const wgP_libk *k, int nin, wg_array **ins, int dt,
                   int64_t M, int64_t n, wg_array **yr, wg_array **yi) {
    int64_t shape[2] = {M, n};
    wg_array *args[WG_KMAX_IO];
    *yr = wg_empty(ctx, dt, 2, shape);
    *yi = wg_empty(ctx, dt, 2, shape);
    if (!*yr || !*yi) return ctx->status ? ctx->status : WG_ERR_MEMORY;
    for (int a = 0; a < nin; a++) {
        if (!ins[a]) return ctx->status ? ctx->status : WG_ERR_MEMORY;
        args[a] = ins[a];
    }
    args[nin] = *yr;
    args[nin + 1] = *yi;
    int st = wgP_libk_launch(ctx, k, nin + 2, args, -1, NULL);
    return st == WG_OK ? WG_OK : ctx->status ? ctx->status : WG_ERR_INTERNAL;
}

static void release_all(wg_array **a, int n) {
    for (int k = 0; k < n; k++) {
        wg_release(a[k]);
        a[k] = NULL;
    }
}

/* n's factors 8 (when eight: the scatter passes), 4, 2, 3, 5 in pass order; returns the number
 * of passes, or -1 if n has another prime factor */
static int radices(int64_t n, int *r, int eight) {
    int np = 0;
    while (eight && n % 8 == 0) r[np++] = 8, n /= 8;
    while (n % 4 == 0) r[np++] = 4, n /= 4;
    while (n % 2 == 0) r[np++] = 2, n /= 2;
    while (n % 3 == 0) r[np++] = 3, n /= 3;
    while (n % 5 == 0) r[np++] = 5, n /= 5;
    return n == 1 ? np : -1;
}

/* The gather forms only on webgl2 (a fragment writes only its own point); the C tests run them on
 * the cpu backend too (core/tests/test_fft.c sets backend_id). */
static int use_gather(const wg_context *ctx) { return ctx->backend_id == WG_BACKEND_WEBGL2; }

/* The DFT of M planar rows of n points (sign -1 forward, +1 inverse; unnormalized), in place of
 * *xr / *xi (the references are replaced). */
static int dft_rows(wg_context *ctx, int dt, int64_t M, int64_t n, double sign, wg_array **xr,
                    wg_array **xi);

static int stockham(wg_context *ctx, int dt, int64_t M, int64_t n, double sign, const int *rad,
                    int np, wg_array **xr, wg_array **xi) {
    wg_array *t[4] = {tscalar(ctx, dt, sign), wgP_i32(ctx, (int32_t)n), NULL, NULL};
    wg_array *wr = NULL, *wi = NULL, *yr = NULL, *yi = NULL;
    int st = launch2(ctx, &tw_src, 2, t, dt, 1, n, &wr, &wi);
    int64_t Ns = 1;
    for (int p = 0; p < np && st == WG_OK; p++) {
        const wgP_libk *k = rad[p] == 4   ? &pass4_src
                            : rad[p] == 2 ? &pass2_src
                            : rad[p] == 3 ? &pass3_src
                                          : &pass5_src;
        int64_t L = Ns * rad[p];
        wg_array *v[4] = {wgP_i32(ctx, (int32_t)Ns), wgP_i32(ctx, (int32_t)L),
                          wgP_i32(ctx, (int32_t)(n / rad[p])), wgP_i32(ctx, (int32_t)(n / L))};
        if (!use_gather(ctx) && (rad[p] == 8 || rad[p] == 4 || rad[p] == 2)) {
            /* the scatter form: M n / R points, each storing R outputs */
            int64_t shape[2] = {M, n};
            yr = wg_empty(ctx, dt, 2, shape);
            yi = wg_empty(ctx, dt, 2, shape);
            wg_array *args[11] = {*xr, *xi, wr, wi, t[0], t[1], v[0], v[2], v[3], yr, yi};
            const wgP_libk *sk = rad[p] == 8   ? &spass8_src
                                 : rad[p] == 4 ? &spass4_src
                                               : &spass2_src;
            st = !yr || !yi || !v[0] || !v[2] || !v[3]
                     ? WG_ERR_MEMORY
                     : wgP_libk_launch(ctx, sk, 11, args, M * (n / rad[p]), NULL);
        } else {
            wg_array *ins[9] = {*xr, *xi, wr, wi, t[1], v[0], v[1], v[2], v[3]};
            st = launch2(ctx, k, 9, ins, dt, M, n, &yr, &yi);
        }
        release_all(v, 4);
        if (st != WG_OK) break;
        wg_release(*xr);
        wg_release(*xi);
        *xr = yr;
        *xi = yi;
        yr = yi = NULL;
        Ns *= rad[p];
    }
    wg_release(yr);
    wg_release(yi);
    wg_release(wr);
    wg_release(wi);
    release_all(t, 2);
    return st;
}

/* ---- workgroup passes: the driver --------------------------------------------------------- */

/* A workgroup kernel specialized for one shape.  The generic kernels take their log sizes and
 * strides as argument words: the GPU's compiler then sees neither the stage loops' trip counts
 * nor the shift amounts (in WGSL each shift is a guarded call), so it can neither unroll the
 * stages nor fold the index arithmetic.  A specialization writes those values into the source as
 * literals (shader constants, docs/kernels.md "Literals as shader constants") and renames the
 * parameters they replace, so a launch passes the same arguments to either form.  The sources
 * live in the context (libk caches a kernel by its description's address, so they are never
 * replaced); past FFT_SPEC_MAX shapes the generic kernel runs. */
#define FFT_SPEC_MAX 64
#define FFT_SPEC_NV 20
typedef struct wgP_fft_spec {
    struct wgP_fft_spec *next;
    const wgP_libk *base;
    int nv;
    double v[FFT_SPEC_NV];
    wgP_libk src;
    char *in_params, *operation;
} wgP_fft_spec;

/* is the parameter `decl` ("TYPE NAME") one of names[0..nv)?  its index, or -1 */
static int spec_index(const char *decl, size_t len, const char *const *names, int nv) {
    size_t b = len;
    while (b > 0 && decl[b - 1] != ' ') b--;
    for (int k = 0; k < nv; k++)
        if (strlen(names[k]) == len - b && !memcmp(decl + b, names[k], len - b)) return k;
    return -1;
}

/* The value of a region's key (below) in a specialization; INT_MIN when not known.  Besides the
 * parameters: f1 (the first stage's log radix, from lg), last (1 when a radix-8 stage follows
 * it). */
static int region_key(const char *key, size_t len, const char *const *names, const double *vals,
                      int nv) {
    int kl = spec_index("int32 lg", 8, names, nv);
    int ks = spec_index("int32 sw", 8, names, nv);
    int lg = kl >= 0 ? (int)vals[kl] : -1, f1 = lg < 0 ? -1 : lg % 3 ? lg % 3 : 3;
    if (f1 == 1 && lg >= 4) f1 = ks < 0 ? -1 : ((int)vals[ks] & 2) ? 4 : 1; /* radix 2 or 16 */
    if (f1 == 2 && lg >= 5) f1 = ks < 0 ? -1 : ((int)vals[ks] & 4) ? 5 : 2; /* radix 4 or 32 */
    if (len == 2 && (key[1] == '4' || key[1] == '5') && key[0] == 'f') {
        /* the radix-16 and radix-32 first stages: off where sw is known without their bit (the
         * generic kernel's copy, sw = 0, whose constants would pass the kernel's limit) */
        if (ks >= 0 && !((int)vals[ks] & (key[1] == '4' ? 2 : 4))) return 0;
        return f1 < 0 ? INT_MIN : f1 == key[1] - '0';
    }
    if (len == 2 && !memcmp(key, "f1", 2)) return f1 < 0 ? INT_MIN : f1;
    if (len == 4 && !memcmp(key, "tinc", 4)) return ks < 0 ? INT_MIN : ((int)vals[ks] & 8) != 0;
    if (len == 4 && !memcmp(key, "tpre", 4)) return ks < 0 ? INT_MIN : ((int)vals[ks] & 32) != 0;
    if (len == 3 && !memcmp(key, "st2", 3)) return ks < 0 ? INT_MIN : ((int)vals[ks] & 64) != 0;
    if (len == 4 && !memcmp(key, "last", 4)) return f1 < 0 ? INT_MIN : lg > f1;
    if (len == 3 && !memcmp(key, "two", 3)) { /* two butterflies a thread in a radix-8 stage */
        int kp = spec_index("int32 lgP", 9, names, nv), kt = spec_index("int32 lgT", 9, names, nv);
        return kp < 0 || kt < 0 ? INT_MIN : (int)vals[kp] - (int)vals[kt] == 4;
    }
    for (int k = 0; k < nv; k++)
        if (strlen(names[k]) == len && !memcmp(names[k], key, len)) return (int)vals[k];
    return INT_MIN;
}

/* Blank the regions `/ *{key=v* / ... / *}* /` (comments to the generic kernel) whose key is known
 * and not v: the specialization's source then holds only the branches its constants take, so
 * its IR, and the shader every test run compiles on SwiftShader, stay small (the branches all
 * sizes share -- the first stage's three radices, the second butterfly of a 4096-point tile,
 * rfft's unpack -- made the 2^20 FFT's kernels 8173 IR instructions). */
static void strip_regions(char *op, const char *const *names, const double *vals, int nv) {
    for (char *p = op; (p = strstr(p, "/*{"));) {
        char *eq = strchr(p, '='), *end = strstr(p, "*/");
        if (!eq || !end || eq > end) return;
        int want = atoi(eq + 1), have = region_key(p + 3, (size_t)(eq - p - 3), names, vals, nv);
        char *q = end + 2;
        for (int depth = 1; depth > 0 && *q; q++) {
            if (!strncmp(q, "/*{", 3)) depth++;
            else if (!strncmp(q, "/*}*/", 5) && --depth == 0) q += 4;
        }
        if (have != INT_MIN && have != want) memset(p, ' ', (size_t)(q - p));
        p = end + 2;
    }
}

/* base with names[k] = vals[k] (int32 or T parameters) as literals; the generic base when the
 * context holds FFT_SPEC_MAX specializations; NULL (the context's error) when out of memory */
static const wgP_libk *spec_src(wg_context *ctx, const wgP_libk *base, const char *const *names,
                                const double *vals, int nv, int force) {
    for (wgP_fft_spec *e = ctx->fft_spec; e; e = e->next)
        if (e->base == base && e->nv == nv && !memcmp(e->v, vals, (size_t)nv * sizeof *vals))
            return &e->src;
    if ((ctx->fft_nspec >= FFT_SPEC_MAX && !force) || nv > FFT_SPEC_NV) return base;
    size_t lp = strlen(base->in_params), lo = strlen(base->operation);
    wgP_fft_spec *e = wgB_calloc(ctx, 1, sizeof *e);
    char *ip = wgB_calloc(ctx, lp + 3 * (size_t)nv + 1, 1);
    char *op = wgB_calloc(ctx, lo + 64 * (size_t)nv + 1, 1);
    if (!e || !ip || !op) {
        wgB_free(e);
        wgB_free(ip);
        wgB_free(op);
        return NULL;
    }
    size_t o = 0, w = 0;
    for (const char *p = base->in_params; *p;) {
        const char *q = strchr(p, ',');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        while (len > 0 && *p == ' ') p++, len--;
        memcpy(ip + w, p, len);
        w += len;
        int k = spec_index(p, len, names, nv);
        if (k >= 0) {
            memcpy(ip + w, "_l", 2);
            w += 2;
            o += (size_t)snprintf(op + o, 64, strncmp(p, "int32", 5) ? "T %s = (T)%.17g;\n"
                                                                      : "int %s = %.0f;\n",
                                  names[k], vals[k]);
        }
        if (!q) break;
        ip[w++] = ',';
        ip[w++] = ' ';
        p = q + 1;
    }
    memcpy(op + o, base->operation, lo + 1);
    strip_regions(op + o, names, vals, nv);
    e->src = *base;
    /* a tile of 2^lgP points (the base's 2048): the workgroup arrays' size */
    int k = spec_index("int32 lgP", 9, names, nv);
    if (k >= 0 && vals[k] != 11) {
        for (char *a = op; (a = strstr(a, "[2048]")); a += 6)
            snprintf(a + 1, 5, "%d", 1 << (int)vals[k]), a[5] = ']';
    }
    k = spec_index("int32 lgT", 9, names, nv);
    int big = k >= 0 && vals[k] == 9, chk = getenv("WGPY_FFT_CHECKED") != NULL; /* A/B: session 13's checks */
    e->src.loop_prep = big ? (chk ? "__wg_block(512)" : "__wg_block(512); __in_range()")
                           : (chk ? "__wg_block(256)" : WGF_PREP);
    e->base = base;
    e->nv = nv;
    memcpy(e->v, vals, (size_t)nv * sizeof *vals);
    e->src.in_params = e->in_params = ip;
    e->src.operation = e->operation = op;
    e->next = ctx->fft_spec;
    ctx->fft_spec = e;
    ctx->fft_nspec++;
    return &e->src;
}

/* log2 of a power of two */
static int ilog2(int64_t v) {
    int l = 0;
    while (((int64_t)1 << l) < v) l++;
    return l;
}

int wg_set_fft_path(wg_context *ctx, int path) {
    int old = ctx->fft_path;
    if (path >= 0 && path <= 2) ctx->fft_path = path;
    return old;
}

void wgP_fft_free(wg_context *ctx) {
    while (ctx->fft_spec) {
        wgP_fft_spec *e = ctx->fft_spec;
        ctx->fft_spec = e->next;
        wgB_free(e->in_params);
        wgB_free(e->operation);
        wgB_free(e);
    }
    ctx->fft_nspec = 0;
    for (int k = 0; k < 8; k++) {
        wg_release(ctx->fft_tw[k][0]);
        wg_release(ctx->fft_tw[k][1]);
        ctx->fft_tw[k][0] = ctx->fft_tw[k][1] = NULL;
        ctx->fft_tw_key[k] = 0;
    }
}

/* The forward twiddle table w_n^j, j < L (L <= n, L <= 2048; *wr, *wi: new references), cached
 * in the context: 8 tables at most, replaced in turn.  L = n: a pass's stages; L < n: the fine
 * half of the four-step's twiddles w_n^(c k) = w_L'^(m >> s) w_n^(m mod 2^s) (m = c k, the
 * coarse half from the pass's own table), one complex product in place of a sin and a cos a
 * point. */
static int twiddles(wg_context *ctx, int dt, int64_t n, int64_t L, wg_array **wr, wg_array **wi) {
    int64_t key = ((L << 23) + n) * 64 + dt + 1;
    for (int k = 0; k < 8; k++)
        if (ctx->fft_tw_key[k] == key) {
            wg_retain(*wr = ctx->fft_tw[k][0]);
            wg_retain(*wi = ctx->fft_tw[k][1]);
            return WG_OK;
        }
    wg_array *t[2] = {tscalar(ctx, dt, -1.0), wgP_i32(ctx, (int32_t)n)};
    int st = launch2(ctx, &tw_src, 2, t, dt, 1, L, wr, wi);
    release_all(t, 2);
    if (st != WG_OK) return st;
    int k = ctx->fft_tw_next;
    ctx->fft_tw_next = (k + 1) % 8;
    wg_release(ctx->fft_tw[k][0]);
    wg_release(ctx->fft_tw[k][1]);
    wg_retain(ctx->fft_tw[k][0] = *wr);
    wg_retain(ctx->fft_tw[k][1] = *wi);
    ctx->fft_tw_key[k] = key;
    return WG_OK;
}

/* the stage table of 2^lg points and, for a four-step's first pass (ntw > 0), the fine table of
 * ntw / 2^lg points (else the stage table again: the kernel does not read it) */
static int pass_tables(wg_context *ctx, int dt, int lg, int64_t ntw, wg_array **w) {
    int64_t L = (int64_t)1 << lg;
    int st = twiddles(ctx, dt, L, L, &w[0], &w[1]);
    if (st != WG_OK) return st;
    if (ntw > 0) {
        st = twiddles(ctx, dt, ntw, ntw / L, &w[2], &w[3]);
        if (st != WG_OK) {
            wg_release(w[0]);
            wg_release(w[1]);
        }
        return st;
    }
    wg_retain(w[2] = w[0]);
    wg_retain(w[3] = w[1]);
    return WG_OK;
}

/* The points of a pass's workgroup tile, log2: 4096 (planar pairs of 32 KiB in float32, 512
 * threads) where the device's workgroup memory holds them (wg_set_workgroup_storage: the hosts
 * pass the adapter's maxComputeWorkgroupStorageSize; 48 KiB on the H100 through Dawn), else 2048
 * (16 KiB, WebGPU's guarantee).  G = 4096 / L batches a workgroup make the four-step's strided
 * loads and stores runs of 4 points (a 32-byte sector of pairs) instead of 2: on the H100 the
 * 2^20 FFT's GPU time 0.081 -> 0.067 ms with the swizzle (docs/fft.md). */
static int tile_lg(const wg_context *ctx, int dt) {
    int64_t bytes = 2 * 4096 * (int64_t)wgD_size(dt);
    /* a CPU implementation (SwiftShader) emulates the workgroup: a larger tile only makes the
     * shaders the webgpu tests compile and run there slower (10 of them: 168 -> 260 s) */
    const char *e = getenv("WGPY_FFT_LGP"); /* A/B aid: 11 forces the 2048-point tile */
    if (e && atoi(e) == 11) return 11;
    return ctx->wg_storage >= bytes && !ctx->adapter_cpu_like ? 12 : 11;
}

/* The threads of a workgroup, log2: at the 4096-point tile 512 (one radix-8 butterfly a thread a
 * stage) where the device allows (wg_set_workgroup_invocations; the H100's Dawn device: 1024),
 * else 256 (WebGPU's guarantee: two butterflies a thread).  WGPY_FFT_NT=256 or 512 (an A/B aid)
 * picks one within the device's limit. */
static int threads_lg(const wg_context *ctx, int lgP) {
    const char *e = getenv("WGPY_FFT_NT");
    int want = e ? atoi(e) : 512;
    return lgP == 12 && want == 512 && ctx->wg_invocations >= 512 ? 9 : 8;
}

/* The workgroup arrays' swizzle (WGF_PRE), always on: it changes where values sit, not what
 * they are, and took the radix-8 stores' bank conflicts off the H100's critical path */
static int swizzle(void) {
    const char *e = getenv("WGPY_FFT_R16"), *f = getenv("WGPY_FFT_R32"); /* A/B aids: 0 keeps */
    const char *g = getenv("WGPY_FFT_TWINC"); /* A/B aid: 1 makes the four-step's twiddles */
    const char *h = getenv("WGPY_FFT_RMAP"); /* A/B aid: 1 maps rfft's fused unpack by batch */
    const char *p = getenv("WGPY_FFT_TWPRE"); /* A/B aid: 1 reads the four-step's twiddles early */
    const char *q = getenv("WGPY_FFT_ST2"); /* A/B aid: 1 stores the pairs a float a thread */
    return 1 | (e && atoi(e) == 0 ? 0 : 2) | (f && atoi(f) == 0 ? 0 : 4) | /* radix 2 / 4 first */
           (g && atoi(g) == 1 ? 8 : 0) | (h && atoi(h) == 1 ? 16 : 0) | (p && atoi(p) == 1 ? 32 : 0) |
           (q && atoi(q) == 1 ? 64 : 0);
}

/* Launch base specialized (names[nv - 3..nv - 1] are "sw", "lgP" and "lgT": the swizzle, the
 * tile and the workgroup's threads; args[slot..slot + 2] their arguments) over nb batches of 2^lg
 * points; the generic kernel (no swizzle, 2048-point tiles, 256 threads) past the
 * specializations' limit */
static int wg_launch(wg_context *ctx, const wgP_libk *base, const char *const *names,
                     double *vals, int nv, wg_array **args, int nargs, int slot, int lg,
                     int64_t nb, int dt) {
    int lgP = tile_lg(ctx, dt), sw = swizzle(), lgT = threads_lg(ctx, lgP);
    if (lgP - lgT != 3 || !(sw & 1) || (sw & 64)) sw &= ~32; /* TWPRE: one butterfly a thread */
    if (base == &wgpass_src) sw &= ~64; /* ST2: the kernels that store pairs */
    const wgP_libk *k;
    for (;; lgP = 11, sw = 0, lgT = 8) {
        vals[nv - 3] = sw;
        vals[nv - 2] = lgP;
        vals[nv - 1] = lgT;
        if (!(k = spec_src(ctx, base, names, vals, nv, 0))) return WG_ERR_MEMORY;
        if (k != base || (lgP == 11 && sw == 0 && lgT == 8)) break;
    }
    if (k == base) { /* the generic kernel, less the first stages that sw = 0 never takes (one
                      * copy a kernel, past the specializations' limit) */
        static const char *const gn[] = {"sw"};
        static const double gv[] = {0};
        if (!(k = spec_src(ctx, base, gn, gv, 1, 1))) return WG_ERR_MEMORY;
    }
    args[slot] = wgP_i32(ctx, sw);
    args[slot + 1] = wgP_i32(ctx, lgP);
    args[slot + 2] = wgP_i32(ctx, lgT);
    int64_t G = ((int64_t)1 << lgP) >> lg;
    int st = args[slot] && args[slot + 1] && args[slot + 2]
                 ? wgP_libk_launch(ctx, k, nargs, args, ((nb + G - 1) / G) << lgT, NULL)
                 : WG_ERR_MEMORY;
    release_all(args + slot, 3);
    return st;
}

/* The workgroup passes apply: a backend with workgroup memory, float32 (float64 on cpu), n a
 * power of two from 2 to 2^22 (two passes of at most 2048 points each) */
static int use_wg(const wg_context *ctx, int dt, int64_t n) {
    if (ctx->fft_path == 1 || use_gather(ctx)) return 0;
    if (ctx->fft_path == 0 && ((ctx->backend_id != WG_BACKEND_WEBGPU &&
                                ctx->backend_id != WG_BACKEND_LOOPBACK) || ctx->adapter_cpu_like))
        return 0; /* auto: the cpu's interpreter and SwiftShader run the per-pass launches faster */
    if (dt != WG_FLOAT32 && !(dt == WG_FLOAT64 && ctx->backend_id == WG_BACKEND_CPU)) return 0;
    return n >= 2 && n <= ((int64_t)1 << 22) && (n & (n - 1)) == 0;
}

/* one workgroup pass: batches of L = 2^lg points (see wgpass_src) from *xr, *xi into new rows */
static int wg_pass(wg_context *ctx, int dt, int64_t M, int64_t n, double sign, int lg, int64_t C,
                   int64_t ci, int64_t cj, int64_t co, int64_t ck, int64_t ntw, wg_array **xr,
                   wg_array **xi) {
    int64_t nb = M * C;
    int64_t shape[2] = {M, n};
    wg_array *w[4] = {NULL, NULL, NULL, NULL};
    int st = pass_tables(ctx, dt, lg, ntw, w);
    if (st != WG_OK) return st;
    wg_array *yr = wg_empty(ctx, dt, 2, shape), *yi = wg_empty(ctx, dt, 2, shape);
    wg_array *v[11] = {tscalar(ctx, dt, sign), wgP_i32(ctx, lg), wgP_i32(ctx, (int32_t)nb),
                       wgP_i32(ctx, ilog2(C)), wgP_i32(ctx, (int32_t)n),
                       wgP_i32(ctx, (int32_t)ci), wgP_i32(ctx, (int32_t)cj),
                       wgP_i32(ctx, (int32_t)co), wgP_i32(ctx, (int32_t)ck),
                       wgP_i32(ctx, (int32_t)ntw), wgP_i32(ctx, ntw > 0 ? ilog2(ntw) : 0)};
    st = yr && yi ? WG_OK : WG_ERR_MEMORY;
    for (int k = 0; k < 11; k++)
        if (!v[k]) st = WG_ERR_MEMORY;
    if (st == WG_OK) {
        wg_array *args[22] = {*xr, *xi, w[0], w[1], w[2], w[3], v[0], v[1], v[2], v[3], v[4],
                              v[5], v[6], v[7], v[8], v[9], v[10], NULL, NULL, NULL, yr, yi};
        static const char *const names[] = {"sg", "lg", "lC",  "n",    "ci",  "cj", "co",
                                            "ck", "ntw", "lntw", "sw", "lgP", "lgT"};
        double vals[] = {sign,       lg,         ilog2(C),    (double)n,
                         (double)ci, (double)cj, (double)co,  (double)ck,
                         (double)ntw, (double)(ntw > 0 ? ilog2(ntw) : 0), 0, 0, 0};
        st = wg_launch(ctx, &wgpass_src, names, vals, 13, args, 22, 17, lg, nb, dt);
    }
    release_all(v, 11);
    release_all(w, 4);
    if (st != WG_OK) {
        wg_release(yr);
        wg_release(yi);
        return ctx->status ? ctx->status : WG_ERR_INTERNAL;
    }
    wg_release(*xr);
    wg_release(*xi);
    *xr = yr;
    *xi = yi;
    return WG_OK;
}

/* The four-step's column length n1 = 2^l1 for n = 2^lg > 2048: lg / 2, or WGPY_FFT_SPLIT's l1
 * where it keeps both lengths within 2 .. 2048 (a benchmark's aid: which split coalesces best
 * on a GPU, bench/h100/s12_fft12.sh) */
static int split_l1(int lg) {
    const char *e = getenv("WGPY_FFT_SPLIT");
    int l1 = e ? atoi(e) : 0;
    return l1 >= lg - 11 && l1 >= 1 && l1 <= 11 && lg - l1 >= 1 ? l1 : lg / 2;
}

/* n = 2^lg <= 2048: one pass; larger (up to 2^22): the four-step, n = n1 n2 with j = n2 j1 + j2,
 * k = k1 + n1 k2 -- the n2 columns' FFTs of n1 points (strided loads, the twiddles w_n^(j2 k1)
 * fused into the store), then the n1 rows' FFTs of n2 points stored transposed */
static int wg_rows(wg_context *ctx, int dt, int64_t M, int64_t n, double sign, wg_array **xr,
                   wg_array **xi) {
    int lg = 0;
    while (((int64_t)1 << lg) < n) lg++;
    if (lg <= 11) return wg_pass(ctx, dt, M, n, sign, lg, 1, 0, 1, 0, 1, 0, xr, xi);
    int l1 = split_l1(lg), l2 = lg - l1;
    int64_t n1 = (int64_t)1 << l1, n2 = (int64_t)1 << l2;
    int st = wg_pass(ctx, dt, M, n, sign, l1, n2, 1, n2, 1, n2, n, xr, xi);
    if (st == WG_OK) st = wg_pass(ctx, dt, M, n, sign, l2, n1, n2, 1, 1, n1, 0, xr, xi);
    return st;
}

/* one fused pass (see wgpass_pairs_src): x's pairs or reals into y's pairs (raw output); rfn > 0
 * (= 2h, rfft's length): the last pass with rfft's unpack fused */
static int pairs_pass(wg_context *ctx, int dt, wg_array *x, wg_array *y, double sign, int lg,
                      int64_t nb, int64_t C, int64_t nin, int64_t nv, int cplx, double cs,
                      int64_t ci, int64_t cj, int64_t co, int64_t ck, int64_t ntw, int64_t nout,
                      double scale, double cso, int64_t rfn) {
    int lntw = ntw > 0 ? ilog2(ntw) : 0;
    wg_array *w[4] = {NULL, NULL, NULL, NULL};
    int st = pass_tables(ctx, dt, lg, ntw, w);
    if (st != WG_OK) return st;
    if (rfn > 0) { /* the first C points of w_2h in place of the fine table */
        wg_release(w[2]);
        wg_release(w[3]);
        w[2] = w[3] = NULL;
        st = twiddles(ctx, dt, rfn, C, &w[2], &w[3]);
    }
    double th = 3.14159265358979323846 / (double)((int64_t)1 << lg);
    double w1c = rfn > 0 ? cos(th) : 0.0, w1s = rfn > 0 ? -sin(th) : 0.0;
    /* pd = 0: every point the load reads is inside the row (no crop or zero-pad: nv covers
     * the transform's points, off = c ci + jj cj < 2^lg C), so the load drops its nv checks */
    int64_t npts = ((int64_t)1 << lg) * C;
    const char *pe = getenv("WGPY_FFT_PD"); /* A/B aid: 1 keeps session 15's checks */
    int pd = (pe && atoi(pe) == 1) || nv < (cplx == 2 ? 2 : 1) * npts;
    wg_array *v[21] = {tscalar(ctx, dt, sign),        wgP_i32(ctx, lg),
                       wgP_i32(ctx, (int32_t)nb),     wgP_i32(ctx, ilog2(C)),
                       wgP_i32(ctx, (int32_t)nin),    wgP_i32(ctx, (int32_t)nv),
                       wgP_i32(ctx, cplx),            tscalar(ctx, dt, cs),
                       wgP_i32(ctx, (int32_t)ci),     wgP_i32(ctx, (int32_t)cj),
                       wgP_i32(ctx, (int32_t)co),     wgP_i32(ctx, (int32_t)ck),
                       wgP_i32(ctx, (int32_t)ntw),    wgP_i32(ctx, lntw),
                       wgP_i32(ctx, (int32_t)nout),   tscalar(ctx, dt, scale),
                       tscalar(ctx, dt, cso),         wgP_i32(ctx, rfn > 0),
                       tscalar(ctx, dt, w1c),         tscalar(ctx, dt, w1s),
                       wgP_i32(ctx, pd)};
    for (int k = 0; k < 21; k++)
        if (!v[k]) st = WG_ERR_MEMORY;
    if (st == WG_OK) {
        wg_array *args[30] = {x, w[0], w[1], w[2], w[3]};
        for (int k = 0; k < 21; k++) args[5 + k] = v[k];
        args[29] = y;
        static const char *const names[] = {"sg",  "lg",   "lC",  "cplx", "cs",  "ci",  "cj",
                                            "co",  "ck",   "ntw", "lntw", "cso", "rf",  "w1c",
                                            "w1s", "pd",   "sw",  "lgP",  "lgT"};
        double vals[] = {sign,       lg,         ilog2(C),    cplx, cs,       (double)ci,
                         (double)cj, (double)co, (double)ck,  (double)ntw, lntw, cso,
                         rfn > 0,    w1c,        w1s,         pd,   0,    0,    0};
        st = wg_launch(ctx, &wgpass_pairs_src, names, vals, 19, args, 30, 26, lg, nb, dt);
    }
    release_all(v, 21);
    release_all(w, 4);
    return st == WG_OK ? WG_OK : ctx->status ? ctx->status : WG_ERR_INTERNAL;
}

/* rfft's unpack fused into the last pass: its workgroups must hold row pairs (C > 1: G >= 2
 * batches), and WGPY_FFT_RFUSE=0 (an A/B aid, bench/h100/s13_fft13.sh) keeps the separate
 * unpack */
static int rfuse_ok(const wg_context *ctx, int dt, int64_t h) {
    const char *e = getenv("WGPY_FFT_RFUSE");
    if (e && atoi(e) == 0) return 0;
    int lg = ilog2(h);
    return lg <= 11 || tile_lg(ctx, dt) - (lg - split_l1(lg)) >= 1;
}

/* C2C of M rows of n = 2^lg points by the fused passes: x's rows of nin points (pairs when
 * cplx, else reals; nv of them used) into y (M, nout, 2), scaled and conjugated on the way;
 * rf: rfft's unpack fused into the last pass (n = h, nout = h + 1) */
static int wg_c2c(wg_context *ctx, int dt, int64_t M, int64_t n, double sign, wg_array *x,
                  int64_t nin, int64_t nv, int cplx, double cs, double scale, double cso,
                  wg_array *y, int64_t nout, int rf) {
    int lg = 0;
    while (((int64_t)1 << lg) < n) lg++;
    if (lg <= 11)
        return pairs_pass(ctx, dt, x, y, sign, lg, M, 1, nin, nv, cplx, cs, 0, 1, 0, 1, 0, nout,
                          scale, cso, rf ? 2 * n : 0);
    int l1 = split_l1(lg), l2 = lg - l1;
    int64_t n1 = (int64_t)1 << l1, n2 = (int64_t)1 << l2, shape[3] = {M, n, 2};
    wg_array *tmp = wg_empty(ctx, dt, 3, shape);
    if (!tmp) return ctx->status ? ctx->status : WG_ERR_MEMORY;
    int st = pairs_pass(ctx, dt, x, tmp, sign, l1, M * n2, n2, nin, nv, cplx, cs, 1, n2, 1, n2,
                        n, n, 1.0, 1.0, 0);
    if (st == WG_OK)
        st = pairs_pass(ctx, dt, tmp, y, sign, l2, M * n1, n1, n, n, 1, 1.0, n2, 1, 1, n1, 0,
                        nout, scale, cso, rf ? 2 * n : 0);
    wg_release(tmp);
    return st;
}

/* irfft's half-length transform from planar rows (cpre's) straight into y, the (M, n) reals
 * seen as (M, h, 2) pairs (scaled): the last pass writes pairs (wgpass_p2q_src) */
static int wg_c2r_tail(wg_context *ctx, int dt, int64_t M, int64_t h, double sign, wg_array **xr,
                       wg_array **xi, wg_array *y, double scale) {
    int lg = 0;
    while (((int64_t)1 << lg) < h) lg++;
    int64_t C = 1, ci = 0, cj = 1, co = 0, ck = 1;
    int l2 = lg;
    if (lg > 11) { /* the four-step's column pass, then its row pass writes the pairs */
        int l1 = split_l1(lg);
        l2 = lg - l1;
        int64_t n1 = (int64_t)1 << l1, n2 = (int64_t)1 << l2;
        int st = wg_pass(ctx, dt, M, h, sign, l1, n2, 1, n2, 1, n2, h, xr, xi);
        if (st != WG_OK) return st;
        C = n1, ci = n2, cj = 1, co = 1, ck = n1;
    }
    int64_t nb = M * C;
    wg_array *w[4] = {NULL, NULL, NULL, NULL};
    int st = pass_tables(ctx, dt, l2, 0, w);
    if (st != WG_OK) return st;
    wg_array *v[14] = {tscalar(ctx, dt, sign),     wgP_i32(ctx, l2),
                       wgP_i32(ctx, (int32_t)nb),  wgP_i32(ctx, ilog2(C)),
                       wgP_i32(ctx, (int32_t)h),   wgP_i32(ctx, (int32_t)ci),
                       wgP_i32(ctx, (int32_t)cj),  wgP_i32(ctx, (int32_t)co),
                       wgP_i32(ctx, (int32_t)ck),  wgP_i32(ctx, 0),
                       wgP_i32(ctx, 0),            wgP_i32(ctx, (int32_t)h),
                       tscalar(ctx, dt, scale),    tscalar(ctx, dt, 1.0)};
    for (int k = 0; k < 14; k++)
        if (!v[k]) st = WG_ERR_MEMORY;
    if (st == WG_OK) {
        wg_array *args[24] = {*xr, *xi, w[0], w[1], w[2], w[3]};
        for (int k = 0; k < 14; k++) args[6 + k] = v[k];
        args[23] = y;
        static const char *const names[] = {"sg", "lg", "lC",  "n",    "ci",  "cj", "co",
                                            "ck", "ntw", "lntw", "sw", "lgP", "lgT"};
        double vals[] = {sign,       l2,         ilog2(C),   (double)h, (double)ci, (double)cj,
                         (double)co, (double)ck, 0.0,        0.0,       0,   0,   0};
        st = wg_launch(ctx, &wgpass_p2q_src, names, vals, 13, args, 24, 20, l2, nb, dt);
    }
    release_all(v, 14);
    release_all(w, 4);
    return st == WG_OK ? WG_OK : ctx->status ? ctx->status : WG_ERR_INTERNAL;
}

static int bluestein(wg_context *ctx, int dt, int64_t M, int64_t n, double sign, wg_array **xr,
                     wg_array **xi) {
    int64_t m = 1;
    while (m < 2 * n - 1) m *= 2;
    if (M * m >= INT32_MAX || 2 * n >= (1 << 29))
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: an FFT of %lld points (not a product of "
                         "2, 3 and 5) with %lld rows is too large", (long long)n, (long long)M);
    wg_array *s[4] = {tscalar(ctx, dt, sign), wgP_i32(ctx, (int32_t)n), wgP_i32(ctx, (int32_t)m),
                      tscalar(ctx, dt, 1.0 / (double)m)};
    wg_array *ar = NULL, *ai = NULL, *br = NULL, *bi = NULL, *pr = NULL, *pi = NULL;
    wg_array *ins[6] = {*xr, *xi, s[0], s[1], s[2], NULL};
    int st = launch2(ctx, &bs_a_src, 5, ins, dt, M, m, &ar, &ai);
    if (st == WG_OK) st = launch2(ctx, &bs_b_src, 3, s, dt, 1, m, &br, &bi);
    if (st == WG_OK) st = dft_rows(ctx, dt, M, m, -1.0, &ar, &ai);
    if (st == WG_OK) st = dft_rows(ctx, dt, 1, m, -1.0, &br, &bi);
    if (st == WG_OK) {
        wg_array *mi[5] = {ar, ai, br, bi, s[2]};
        st = launch2(ctx, &bs_mul_src, 5, mi, dt, M, m, &pr, &pi);
    }
    if (st == WG_OK) st = dft_rows(ctx, dt, M, m, 1.0, &pr, &pi);
    if (st == WG_OK) {
        wg_array *oi[6] = {pr, pi, s[0], s[3], s[1], s[2]};
        wg_array *yr = NULL, *yi = NULL;
        st = launch2(ctx, &bs_out_src, 6, oi, dt, M, n, &yr, &yi);
        if (st == WG_OK) {
            wg_release(*xr);
            wg_release(*xi);
            *xr = yr;
            *xi = yi;
        } else {
            wg_release(yr);
            wg_release(yi);
        }
    }
    wg_array *all[6] = {ar, ai, br, bi, pr, pi};
    release_all(all, 6);
    release_all(s, 4);
    return st;
}

static int dft_rows(wg_context *ctx, int dt, int64_t M, int64_t n, double sign, wg_array **xr,
                    wg_array **xi) {
    int rad[64];
    int np = radices(n, rad, !use_gather(ctx)); /* radix 8: scatter passes only */
    if (n == 1) return WG_OK;
    if (np < 0) return bluestein(ctx, dt, M, n, sign, xr, xi);
    if (use_wg(ctx, dt, n)) return wg_rows(ctx, dt, M, n, sign, xr, xi);
    return stockham(ctx, dt, M, n, sign, rad, np, xr, xi);
}

/* rfft's unpack of the workgroup passes' pairs z (M rows of h = 2^lg points) into y (M, h + 1,
 * 2): the twiddles w_2h^k from two cached tables of at most 2048 points (rpost_pairs_src) */
/* w_2h^k = w_(2h >> ls)^(k >> ls) w_2h^(k mod 2^ls) for h a power of two: the coarse table in
 * w[0], w[1], the fine one in w[2], w[3] (new references), *ls */
static int split_tables(wg_context *ctx, int dt, int64_t h, wg_array **w, int *ls) {
    int l2h = ilog2(2 * h);
    *ls = l2h > 11 ? l2h - 11 : 0;
    int st = twiddles(ctx, dt, (2 * h) >> *ls, (2 * h) >> *ls, &w[0], &w[1]);
    if (st == WG_OK && *ls > 0) {
        st = twiddles(ctx, dt, 2 * h, (int64_t)1 << *ls, &w[2], &w[3]);
    } else if (st == WG_OK) { /* the fine factor is w^0 = 1, any table's first entry */
        wg_retain(w[2] = w[0]);
        wg_retain(w[3] = w[1]);
    }
    return st;
}

static int rpost_pairs(wg_context *ctx, int dt, wg_array *z, int64_t M, int64_t h,
                       wg_array *scale, wg_array *cs, wg_array *y) {
    wg_array *w[4] = {NULL, NULL, NULL, NULL};
    int ls = 0, st = split_tables(ctx, dt, h, w, &ls);
    wg_array *v[2] = {wgP_i32(ctx, (int32_t)h), wgP_i32(ctx, ls)};
    if (st == WG_OK && (!v[0] || !v[1])) st = WG_ERR_MEMORY;
    if (st == WG_OK) {
        wg_array *args[10] = {z, w[0], w[1], w[2], w[3], v[0], v[1], scale, cs, y};
        st = wgP_libk_launch(ctx, &rpost_pairs_src, 10, args, M * (h + 1), NULL);
    }
    release_all(v, 2);
    release_all(w, 4);
    return st == WG_OK ? WG_OK : ctx->status ? ctx->status : WG_ERR_INTERNAL;
}

/* ---- the public entry --------------------------------------------------------------------- */

/* wg_fft on float pairs (or real input); the result without its info block */
static wg_array *fft_pairs(wg_context *ctx, wg_array *x, int kind, int64_t n, int64_t axis,
                           int norm, int flags) {
    int cin = (flags & WG_FFT_PAIRS) != 0; /* x holds complex pairs */
    int inverse = (flags & WG_FFT_INVERSE) != 0;
    if (kind < WG_FFT_C2C || kind > WG_FFT_C2R || norm < 0 || norm > 2)
        return wgB_error(ctx, WG_ERR_VALUE, "wgpy: wg_fft: bad kind or norm"), NULL;
    int cout = kind != WG_FFT_C2R;
    int xd = x->dtype;
    if (cin && kind == WG_FFT_R2C)
        return wgB_error(ctx, WG_ERR_TYPE, "ufunc 'rfft' not supported for complex input: "
                         "rfft takes real input"), NULL;
    if (cin && (!wgD_is_float(xd) || x->lay.ndim < 1 || x->lay.shape[x->lay.ndim - 1] != 2))
        return wgB_error(ctx, WG_ERR_VALUE, "wgpy: FFT pairs need a float array with a trailing "
                         "axis of 2"), NULL;
    if (!cin && (xd < 0 || xd > WG_FLOAT64))
        return wgB_error(ctx, WG_ERR_TYPE, "wgpy: FFT of an unsupported dtype"), NULL;
    int ndim = x->lay.ndim - (cin ? 1 : 0); /* the logical dims (without the pair axis) */
    if (axis < -ndim || axis >= ndim)
        return wgB_error(ctx, WG_ERR_AXIS, "axis %lld is out of bounds for array of dimension %d",
                         (long long)axis, ndim), NULL;
    int ax = (int)(axis < 0 ? axis + ndim : axis);
    int64_t nax = x->lay.shape[ax];
    if (n == INT64_MIN) n = kind == WG_FFT_C2R ? 2 * (nax - 1) : nax;
    if (n < 1)
        return wgB_error(ctx, WG_ERR_VALUE, "Invalid number of FFT data points (%lld) specified.",
                         (long long)n), NULL;
    /* the working dtype: NumPy 2 keeps single precision (float16 and float32 compute in
     * float32); float64, integers and bools compute in float64, which the 64-bit policy may
     * make float32 */
    int dt = (xd == WG_FLOAT32 || xd == WG_FLOAT16) ? WG_FLOAT32 : WG_FLOAT64;
    dt = wgD_canonical(dt, ctx->x64);
    if (wgP_check_dtype(ctx, dt)) return NULL;
    /* the lengths: nax in, n transformed, nout out, nv valid input points */
    int64_t nrow_in = kind == WG_FFT_C2R ? n / 2 + 1 : n; /* points of the input row used */
    int64_t nv = nax < nrow_in ? nax : nrow_in;
    int64_t nout = kind == WG_FFT_R2C ? n / 2 + 1 : n;
    int64_t M = 1;
    for (int d = 0; d < ndim; d++)
        if (d != ax) M *= x->lay.shape[d];
    if (n >= (1 << 28) || M * n * 2 >= INT32_MAX || M * nax * 2 >= INT32_MAX)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: FFTs of 2**30 values or more are not "
                         "supported"), NULL;
    /* the result's shape: the input's with the axis' length nout (and the pair axis) */
    int64_t rshape[WG_MAX_NDIM + 1], mshape[WG_MAX_NDIM + 1];
    int rnd = ndim + (cout ? 1 : 0);
    if (rnd > WG_MAX_NDIM)
        return wgB_error(ctx, WG_ERR_VALUE, "wgpy: FFT result of more than %d dimensions",
                         WG_MAX_NDIM), NULL;
    for (int d = 0; d < ndim; d++) rshape[d] = d == ax ? nout : x->lay.shape[d];
    if (cout) rshape[ndim] = 2;
    for (int d = 0, k = 0; d < ndim; d++)
        if (d != ax) mshape[k++] = rshape[d];
    mshape[ndim - 1] = nout;
    if (cout) mshape[ndim] = 2;
    /* irfft/hfft of float16 give float16, as NumPy's (computed in float32) */
    int rdt = (!cout && xd == WG_FLOAT16) ? WG_FLOAT16 : dt;
    if (M == 0) return wg_empty(ctx, rdt, rnd, rshape);

    double scale = 1.0;
    int scaled = norm == 1 ? 1 : inverse ? norm == 0 : norm == 2;
    if (scaled) scale = norm == 1 ? 1.0 / sqrt((double)n) : 1.0 / (double)n;

    wg_array *mv = NULL, *xc = NULL, *xr = NULL, *xi = NULL, *y = NULL, *r = NULL,
             *res = NULL, *back = NULL, *fin = NULL;
    wg_array *s[9] = {0};
    int64_t src = ax, dst = ndim - 1;
    if (kind == WG_FFT_C2C && ax != ndim - 1 && nax == n && n <= 2048 && use_wg(ctx, dt, n) &&
        wgL_is_c_contiguous(&x->lay) && x->buf) {
        /* along a middle axis whose inner length C is a power of two: one workgroup pass reads
         * the columns in place (point j of column (r, c) at (r n + j) C + c, runs of G adjacent
         * columns, as the four-step's first pass) and writes them in place, with no moveaxis
         * copy either way (fft2's second axis: two transposes a call before session 14) */
        int64_t C = 1;
        for (int d = ax + 1; d < ndim; d++) C *= x->lay.shape[d];
        if ((C & (C - 1)) == 0) {
            y = wg_empty(ctx, dt, rnd, rshape);
            if (!y || pairs_pass(ctx, dt, x, y, inverse ? 1.0 : -1.0, ilog2(n), M, C, n * C,
                                 n * C, cin, (flags & WG_FFT_CONJ_IN) ? -1.0 : 1.0, 1, C, 1, C,
                                 0, n * C, scale, (flags & WG_FFT_CONJ_OUT) ? -1.0 : 1.0,
                                 0) != WG_OK)
                goto done;
            res = y;
            y = NULL;
            goto done;
        }
    }
    mv = ax == ndim - 1 ? (wg_retain(x), x) : wg_moveaxis(ctx, x, 1, &src, &dst);
    if (!mv) goto done;
    if (nax == 0) { /* nothing to read: zeros (n >= 1 points of zero input) */
        int64_t one = 1;
        xc = wg_empty(ctx, dt, 1, &one);
    } else {
        xc = wgL_is_c_contiguous(&mv->lay) && mv->buf ? (wg_retain(mv), mv)
                                                      : wg_copy(ctx, mv, 'C');
    }
    if (!xc) goto done;
    /* real transforms of even n: a complex FFT of h = n / 2 points (packed pairs of reals) */
    int half = kind != WG_FFT_C2C && n % 2 == 0;
    int64_t h = half ? n / 2 : n; /* the complex transform's length */
    int64_t oshape[3] = {M, nout, 2};
    y = wg_empty(ctx, dt, cout ? 3 : 2, oshape);
    s[0] = wgP_i32(ctx, (int32_t)nax);
    s[1] = wgP_i32(ctx, (int32_t)nv);
    s[2] = wgP_i32(ctx, (int32_t)h);
    s[3] = wgP_i32(ctx, cin);
    s[4] = tscalar(ctx, dt, (flags & WG_FFT_CONJ_IN) ? -1.0 : 1.0);
    s[5] = tscalar(ctx, dt, (flags & WG_FFT_CONJ_OUT) ? -1.0 : 1.0);
    s[6] = tscalar(ctx, dt, scale);
    s[7] = wgP_i32(ctx, (int32_t)nout);
    for (int k = 0; k < 8; k++)
        if (!s[k]) goto done;
    if (!y) goto done;
    if (kind == WG_FFT_C2C && use_wg(ctx, dt, n)) { /* the fused workgroup passes */
        if (wg_c2c(ctx, dt, M, n, inverse ? 1.0 : -1.0, xc, nax, nv, cin,
                   (flags & WG_FFT_CONJ_IN) ? -1.0 : 1.0, scale,
                   (flags & WG_FFT_CONJ_OUT) ? -1.0 : 1.0, y, n, 0) != WG_OK)
            goto done;
        goto reshape;
    }
    if (half && kind == WG_FFT_R2C && use_wg(ctx, dt, h) && !inverse && rfuse_ok(ctx, dt, h)) {
        /* rfft: the reals packed two a point read by the workgroup passes, unpacked by the last */
        if (wg_c2c(ctx, dt, M, h, -1.0, xc, nax, nv, 2, 1.0, scale,
                   (flags & WG_FFT_CONJ_OUT) ? -1.0 : 1.0, y, h + 1, 1) != WG_OK)
            goto done;
        goto reshape;
    }
    if (half && kind == WG_FFT_R2C && use_wg(ctx, dt, h)) {
        /* rfft: the reals packed two a point read by the workgroup passes, then the unpack */
        int64_t zshape[3] = {M, h, 2};
        wg_array *z = wg_empty(ctx, dt, 3, zshape);
        int st = z ? wg_c2c(ctx, dt, M, h, inverse ? 1.0 : -1.0, xc, nax, nv, 2, 1.0, 1.0, 1.0,
                            z, h, 0)
                   : WG_ERR_MEMORY;
        if (st == WG_OK) st = rpost_pairs(ctx, dt, z, M, h, s[6], s[5], y);
        wg_release(z);
        if (st != WG_OK) goto done;
        goto reshape;
    }
    if (half && kind == WG_FFT_C2R && use_wg(ctx, dt, h)) {
        /* irfft: the Hermitian pre-step (table twiddles), then the workgroup passes write the
         * reals */
        wg_array *w[4] = {NULL, NULL, NULL, NULL};
        int ls = 0, st = split_tables(ctx, dt, h, w, &ls);
        s[8] = wgP_i32(ctx, ls);
        wg_array *ins[11] = {xc, w[0], w[1], w[2], w[3], s[0], s[1], s[2], s[3], s[4], s[8]};
        if (st == WG_OK) st = launch2(ctx, &cpre_tab_src, 11, ins, dt, M, h, &xr, &xi);
        release_all(w, 4);
        if (st != WG_OK) goto done;
        if (wg_c2r_tail(ctx, dt, M, h, inverse ? 1.0 : -1.0, &xr, &xi, y, scale) != WG_OK)
            goto done;
        goto reshape;
    }
    if (half && kind == WG_FFT_R2C) {
        wg_array *ins[4] = {xc, s[0], s[1], s[2]};
        if (launch2(ctx, &rpack_src, 4, ins, dt, M, h, &xr, &xi) != WG_OK) goto done;
    } else if (half) {
        wg_array *ins[6] = {xc, s[0], s[1], s[2], s[3], s[4]};
        if (launch2(ctx, &cpre_src, 6, ins, dt, M, h, &xr, &xi) != WG_OK) goto done;
    } else {
        s[8] = wgP_i32(ctx, kind == WG_FFT_C2R);
        wg_array *ins[7] = {xc, s[0], s[1], s[2], s[3], s[8], s[4]};
        if (launch2(ctx, &load_src, 7, ins, dt, M, n, &xr, &xi) != WG_OK) goto done;
    }
    if (dft_rows(ctx, dt, M, h, inverse ? 1.0 : -1.0, &xr, &xi) != WG_OK) goto done;
    {
        int st;
        if (half && kind == WG_FFT_R2C) {
            wg_array *args[6] = {xr, xi, s[2], s[6], s[5], y};
            st = wgP_libk_launch(ctx, &rpost_src, 6, args, -1, NULL);
        } else {
            wg_array *md = wgP_i32(ctx, half ? 2 : cout);
            wg_array *args[8] = {xr, xi, s[2], s[7], md, s[6], s[5], y};
            st = md ? wgP_libk_launch(ctx, &store_src, 8, args, -1, NULL) : WG_ERR_MEMORY;
            wg_release(md);
        }
        if (st != WG_OK) goto done;
    }
reshape:
    r = wg_reshape(ctx, y, rnd, mshape, 'C');
    if (!r) goto done;
    if (ax == ndim - 1) {
        fin = r;
        r = NULL;
    } else {
        back = wg_moveaxis(ctx, r, 1, &dst, &src);
        if (back) fin = wg_copy(ctx, back, 'C');
    }
    if (fin && rdt != dt) {
        res = wg_astype(ctx, fin, rdt, WG_CAST_UNSAFE, 1);
    } else {
        res = fin;
        fin = NULL;
    }
done:
    release_all(s, 9);
    wg_release(mv);
    wg_release(xc);
    wg_release(xr);
    wg_release(xi);
    wg_release(y);
    wg_release(r);
    wg_release(back);
    wg_release(fin);
    return res;
}

wg_array *wg_fft(wg_context *ctx, wg_array *x, int kind, int64_t n, int64_t axis, int norm,
                 int flags) {
    wg_array *xp = NULL, *r, *res;
    if (wg_dtype_kind(x->dtype) == 'c') { /* complex input: its float pairs (a view) */
        if (flags & WG_FFT_PAIRS)
            return wgB_error(ctx, WG_ERR_TYPE, "wgpy: WG_FFT_PAIRS with complex input"), NULL;
        if (!(xp = wg_complex_pairs(ctx, x))) return NULL;
        flags |= WG_FFT_PAIRS;
    }
    r = fft_pairs(ctx, xp ? xp : x, kind, n, axis, norm, flags);
    wg_release(xp);
    if (r && (flags & WG_FFT_COMPLEX_OUT) && kind != WG_FFT_C2R) {
        res = wg_pairs_complex(ctx, r); /* the complex view of the result's pairs */
        wg_release(r);
    } else {
        res = r;
    }
    return wgP_out(ctx, res);
}
