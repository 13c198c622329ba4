/* LSD radix sort of rows (docs/sorting.md, "The radix sort"): cpu, loopback and webgpu, the
 * backends with workgroup memory.  Library kernels in the kernel language, raw stores; atomics
 * only for counts (workgroup memory, and one global add per nonzero count a tile).
 *
 * Keys: each element becomes an order-preserving uint32 (read through a uint32 view of the
 * float32 / int32 / uint32 buffer; int8/16, uint8/16 and bool are widened to 32 bits first and
 * keyed in their own 8 or 16 bits): floats flip the sign bit (positive) or every bit (negative),
 * every NaN becomes 0xffffffff (last, as NumPy), and for argsort -0.0 is keyed as 0.0 (NumPy's
 * stable argsort keeps equal values in their order); integers add 2^(bits-1) (signed) and mask.
 * A pass sorts stably by one 8-bit digit, least significant first: 4 passes for 32-bit keys.
 * Batched rows (sort along an axis): the flat index rides along as the payload and ceil(log2
 * (batch) / 8) more passes sort by its row (the most significant digits), so every row comes
 * out sorted in place.  The last pass stores the result: the input at the payload (values)
 * or the payload (indices); a call that wants both gathers the values afterwards.
 *
 * Launches (tiles of WGR8_T = 2048 consecutive elements, a workgroup of 256 points a tile):
 *   the key kernel (also zeroes g); k_hist_all: every pass's digit counts in one read (pass 0's
 *   per tile, every pass's in total, g); then per pass: k_count8 (the tile counts; not pass 0),
 *   k_rowscan (one launch: the exclusive offsets of every (digit, tile), digit-major, from the
 *   global counts below the digit), k_scatter8 (the tile sorted stably by the digit in
 *   workgroup memory, stored at its digit's offsets; the last pass's k_scatter8_v / _i store
 *   the values or the indices instead).  docs/sorting.md, "The radix sort". */
#include "../array/array.h"
#include "libk.h"
#include "sort.h"

#include <math.h>
#include <stdlib.h>

#define WGR_K(var, nm, in, out, op)                                                              \
    static const wgP_libk var = {.name = nm, .in_params = in, .out_params = out, .operation = op, \
                                 .preamble = "", .loop_prep = "__wg_block(256)"}

/* ---- 8-bit digits (docs/sorting.md, "The radix sort"): tiles of WGR8_T = 256 * 8 elements ---- */
#define WGR8_T 2048
#define WGR_X8(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)

/* All passes' digit counts in one read (the one-sweep histogram): each workgroup counts its
 * tile's digits of every pass (nkp key passes; nrp row passes, the row of flat index q being
 * q / n) in workgroup memory, writes its pass-0 digit counts to hist0 (pass 0 needs no count
 * launch) and adds its nonzero counts into g (zeroed by the key kernel): the global count of
 * every digit of every pass, from which each pass's row scan starts.
 * Each counter has 2^lc copies, side by side (counter j, copy r at j * 2^lc + r; point t counts
 * into copy t mod 2^lc): a workgroup-memory atomicAdd serializes the invocations that hit one
 * address, and a digit can be the same for a whole tile (the top byte of floats of one binade:
 * 2048 adds on one counter), so the copies cut that chain 2^lc-fold and put neighbouring points
 * on neighbouring banks.  As many copies as 16 KiB hold (lc from the host). */
WGR_K(k_hist_all, "wg_radix_hist_all",
      "raw uint32 k, int32 total, int32 nb, int32 nkp, int32 nrp, int32 n, int32 lc",
      "raw int32 hist0, raw int32 g",
      "__shared__ int c[4096];\n"
      "int t = i & 255; int b = i >> 8; int nc = 1 << lc; int r = t & (nc - 1);\n"
      "int nj = (nkp + nrp) * 256;\n"
      "for (int j = t; j < nj * nc; j += 256) c[j] = 0;\n"
      "__syncthreads();\n"
      "for (int e = 0; e < 8; e++) {\n"
      "  int q = b * 2048 + e * 256 + t;\n"
      "  if (q < total) {\n"
      "    unsigned int kv = k[q];\n"
      "    for (int s = 0; s < nkp; s++) atomicAdd(&c[((s * 256 + (int)((kv >> (unsigned int)(8 * s)) & 255u)) << lc) + r], 1);\n"
      "    int rw = q / n;\n"
      "    for (int s = 0; s < nrp; s++) atomicAdd(&c[(((nkp + s) * 256 + ((rw >> (8 * s)) & 255)) << lc) + r], 1);\n"
      "  }\n"
      "}\n"
      "__syncthreads();\n"
      "for (int j = t; j < nj; j += 256) {\n"
      "  int v = 0;\n"
      "  for (int u = 0; u < nc; u++) v += c[(j << lc) + u];\n"
      "  if (j < 256) hist0[j * nb + b] = v;\n"
      "  if (v != 0) atomicAdd(&g[j], v);\n"
      "}\n");

/* a pass's tile counts (passes after the first): 256 counters in workgroup memory, 16 copies
 * each (as k_hist_all's) */
WGR_K(k_count8, "wg_radix_count8", "raw uint32 k, int32 total, int32 sh, int32 nb",
      "raw int32 hist",
      "__shared__ int c[4096];\n"
      "int t = i & 255; int b = i >> 8; int r = t & 15;\n"
      "for (int j = t; j < 4096; j += 256) c[j] = 0;\n"
      "__syncthreads();\n"
      "for (int e = 0; e < 8; e++) {\n"
      "  int q = b * 2048 + e * 256 + t;\n"
      "  if (q < total) atomicAdd(&c[((int)((k[q] >> (unsigned int)sh) & 255u) << 4) + r], 1);\n"
      "}\n"
      "__syncthreads();\n"
      "int v = 0;\n"
      "for (int u = 0; u < 16; u++) v += c[(t << 4) + u];\n"
      "hist[t * nb + b] = v;\n");

/* The exclusive scan of one pass's tile counts h (digit-major: h[v * nb + b]) in one launch:
 * each row v (digit) is scanned by tp = 2^lt points (each a contiguous chunk of the row; the
 * chunks' sums scanned in workgroup memory, segmented by row), 256 / tp rows a workgroup, tp
 * workgroups; every workgroup also scans the pass's 256 global digit counts (g[goff ..], from
 * k_hist_all) so that row v starts from the count of the digits below v: o[v * nb + b] is the
 * position of tile b's first element of digit v.  tp grows with nb (chunks of 16 or more, at
 * most 256 points a row), so a short sort runs few points (SwiftShader pays per point and
 * barrier). */
WGR_K(k_rowscan, "wg_radix_rowscan", "raw int32 h, raw int32 g, int32 nb, int32 goff, int32 lt",
      "raw int32 o",
      "__shared__ int sa[256]; __shared__ int sb[256];\n"
      "int t = i & 255; int w = i >> 8; int tp = 1 << lt; int l = t & (tp - 1);\n"
      "int v = w * (256 >> lt) + (t >> lt);\n"
      "int cn = (nb + tp - 1) / tp; int j0 = l * cn; int j1 = j0 + cn; if (j1 > nb) j1 = nb;\n"
      "int s = 0;\n"
      "for (int j = j0; j < j1; j++) s += h[v * nb + j];\n"
      "sa[t] = s; sb[t] = g[goff + t];\n"
      "__syncthreads();\n"
      "for (int off = 1; off < 256; off <<= 1) {\n"
      "  int u = t - off;\n"
      "  int a0 = l >= off ? sa[u] : 0; int a1 = u >= 0 ? sb[u] : 0;\n"
      "  __syncthreads();\n"
      "  sa[t] += a0; sb[t] += a1;\n"
      "  __syncthreads();\n"
      "}\n"
      "int run = (v > 0 ? sb[v - 1] : 0) + sa[t] - s;\n"
      "for (int j = j0; j < j1; j++) { int x = h[v * nb + j]; o[v * nb + j] = run; run += x; }\n");

/* The scatter of one pass: the tile's 2048 elements (8 a point, contiguous: k0..k7 in
 * registers) are sorted stably by the pass's 8-bit digit in workgroup memory — two rounds of a
 * 4-bit split, each a count of the point's nibbles in 16 counters of 16 bits (8 words a point),
 * a Hillis-Steele scan of those over the 256 points, the tile's nibble bases added, and each
 * element's rank; the keys (then the payloads) exchanged through buf — then stored to the
 * global offset of their digit in this tile, consecutive points writing consecutive
 * positions.  Elements past the end key as 0xffffffff: digit 255, after every real element. */
#define WGR8_DECL(e) "unsigned int k" #e " = 4294967295u; int p" #e " = 0; int pos" #e " = 0; unsigned int d" #e " = 0u;\n"
#define WGR8_LOADK(e) "if (t * 8 + " #e " < nv) k" #e " = k[base + t * 8 + " #e "];\n"
#define WGR8_LOADP(e) "if (t * 8 + " #e " < nv) p" #e " = p[base + t * 8 + " #e "];\n"
#define WGR8_DIG(e) "d" #e " = (k" #e " >> (unsigned int)sh) & 255u;\n"
#define WGR8_CNT(e, NIB) "dn = (int)(" NIB("d" #e) "); cnt[(dn >> 1) * 256 + t] += 1u << (unsigned int)((dn & 1) << 4);\n"
#define WGR8_RANK(e, NIB) "dn = (int)(" NIB("d" #e) "); w = (dn >> 1) * 256 + t; sf = (unsigned int)((dn & 1) << 4);\n" \
    "cv = cnt[w]; pos" #e " = (int)((cv >> sf) & 65535u); cnt[w] = cv + (1u << sf);\n"
#define WGR8_NLO(x) x " & 15u"
#define WGR8_NHI(x) x " >> 4u"
#define WGR8_CNT_LO(e) WGR8_CNT(e, WGR8_NLO)
#define WGR8_CNT_HI(e) WGR8_CNT(e, WGR8_NHI)
#define WGR8_RANK_LO(e) WGR8_RANK(e, WGR8_NLO)
#define WGR8_RANK_HI(e) WGR8_RANK(e, WGR8_NHI)
#define WGR8_PUTK(e) "buf[pos" #e "] = k" #e ";\n"
#define WGR8_PUTP(e) "buf[pos" #e "] = (unsigned int)p" #e ";\n"
#define WGR8_GETK(e) "k" #e " = buf[t * 8 + " #e "];\n"
#define WGR8_GETP(e) "p" #e " = (int)buf[t * 8 + " #e "];\n"
#define WGR8_GETK2(e) "k" #e " = buf[" #e " * 256 + t];\n"
#define WGR8_GETP2(e) "p" #e " = (int)buf[" #e " * 256 + t];\n"
/* the first element of each digit in the sorted tile records the digit's global offset minus
 * its position in the tile */
#define WGR8_START(e) "j = " #e " * 256 + t; jm = j > 0 ? j - 1 : 0;\n" \
    "if (j < nv) { if (j == 0 || ((buf[jm] >> (unsigned int)sh) & 255u) != d" #e ") cnt[(int)d" #e "] = (unsigned int)(ofs[(int)d" #e " * nb + b] - j); }\n"
#define WGR8_OUTK(e) "j = " #e " * 256 + t; if (j < nv) { int ps = (int)cnt[(int)d" #e "] + j; y[ps] = k" #e "; }\n"
#define WGR8_OUTP(e) "j = " #e " * 256 + t; if (j < nv) { int ps = (int)cnt[(int)d" #e "] + j;\n" \
    "  y[ps] = nk != 0 ? (unsigned int)(p" #e " / nk) : k" #e "; yp[ps] = p" #e "; }\n"
#define WGR8_ROUND(CNT, RANK)                                                                    \
    "cnt[t] = 0u; cnt[256 + t] = 0u; cnt[512 + t] = 0u; cnt[768 + t] = 0u;\n"                    \
    "cnt[1024 + t] = 0u; cnt[1280 + t] = 0u; cnt[1536 + t] = 0u; cnt[1792 + t] = 0u;\n"          \
    WGR_X8(CNT)                                                                                  \
    "c0 = cnt[t]; c1 = cnt[256 + t]; c2 = cnt[512 + t]; c3 = cnt[768 + t];\n"                    \
    "c4 = cnt[1024 + t]; c5 = cnt[1280 + t]; c6 = cnt[1536 + t]; c7 = cnt[1792 + t];\n"          \
    "__syncthreads();\n"                                                                         \
    "for (int off = 1; off < 256; off <<= 1) {\n"                                                \
    "  int u = t - off; bool h = u >= 0;\n"                                                      \
    "  unsigned int a0 = h ? cnt[u] : 0u; unsigned int a1 = h ? cnt[256 + u] : 0u;\n"            \
    "  unsigned int a2 = h ? cnt[512 + u] : 0u; unsigned int a3 = h ? cnt[768 + u] : 0u;\n"      \
    "  unsigned int a4 = h ? cnt[1024 + u] : 0u; unsigned int a5 = h ? cnt[1280 + u] : 0u;\n"    \
    "  unsigned int a6 = h ? cnt[1536 + u] : 0u; unsigned int a7 = h ? cnt[1792 + u] : 0u;\n"    \
    "  __syncthreads();\n"                                                                       \
    "  cnt[t] += a0; cnt[256 + t] += a1; cnt[512 + t] += a2; cnt[768 + t] += a3;\n"              \
    "  cnt[1024 + t] += a4; cnt[1280 + t] += a5; cnt[1536 + t] += a6; cnt[1792 + t] += a7;\n"    \
    "  __syncthreads();\n"                                                                       \
    "}\n"                                                                                        \
    "s0 = cnt[255]; s1 = cnt[511]; s2 = cnt[767]; s3 = cnt[1023];\n"                             \
    "s4 = cnt[1279]; s5 = cnt[1535]; s6 = cnt[1791]; s7 = cnt[2047];\n"                          \
    "__syncthreads();\n"                                                                         \
    "r = 0u;\n"                                                                                  \
    "b0 = r | ((r + (s0 & 65535u)) << 16u); r = r + (s0 & 65535u) + (s0 >> 16u);\n"              \
    "b1 = r | ((r + (s1 & 65535u)) << 16u); r = r + (s1 & 65535u) + (s1 >> 16u);\n"              \
    "b2 = r | ((r + (s2 & 65535u)) << 16u); r = r + (s2 & 65535u) + (s2 >> 16u);\n"              \
    "b3 = r | ((r + (s3 & 65535u)) << 16u); r = r + (s3 & 65535u) + (s3 >> 16u);\n"              \
    "b4 = r | ((r + (s4 & 65535u)) << 16u); r = r + (s4 & 65535u) + (s4 >> 16u);\n"              \
    "b5 = r | ((r + (s5 & 65535u)) << 16u); r = r + (s5 & 65535u) + (s5 >> 16u);\n"              \
    "b6 = r | ((r + (s6 & 65535u)) << 16u); r = r + (s6 & 65535u) + (s6 >> 16u);\n"              \
    "b7 = r | ((r + (s7 & 65535u)) << 16u);\n"                                                   \
    "cnt[t] = cnt[t] - c0 + b0; cnt[256 + t] = cnt[256 + t] - c1 + b1;\n"                        \
    "cnt[512 + t] = cnt[512 + t] - c2 + b2; cnt[768 + t] = cnt[768 + t] - c3 + b3;\n"            \
    "cnt[1024 + t] = cnt[1024 + t] - c4 + b4; cnt[1280 + t] = cnt[1280 + t] - c5 + b5;\n"        \
    "cnt[1536 + t] = cnt[1536 + t] - c6 + b6; cnt[1792 + t] = cnt[1792 + t] - c7 + b7;\n"        \
    WGR_X8(RANK)
#define WGR8_HEAD                                                                                \
    "__shared__ unsigned int cnt[2048]; __shared__ unsigned int buf[2048];\n"                    \
    "int t = i & 255; int b = i >> 8; int base = b * 2048;\n"                                    \
    "int nv = total - base; if (nv > 2048) nv = 2048;\n"                                         \
    "unsigned int c0 = 0u; unsigned int c1 = 0u; unsigned int c2 = 0u; unsigned int c3 = 0u;\n"  \
    "unsigned int c4 = 0u; unsigned int c5 = 0u; unsigned int c6 = 0u; unsigned int c7 = 0u;\n"  \
    "unsigned int s0 = 0u; unsigned int s1 = 0u; unsigned int s2 = 0u; unsigned int s3 = 0u;\n"  \
    "unsigned int s4 = 0u; unsigned int s5 = 0u; unsigned int s6 = 0u; unsigned int s7 = 0u;\n"  \
    "unsigned int b0 = 0u; unsigned int b1 = 0u; unsigned int b2 = 0u; unsigned int b3 = 0u;\n"  \
    "unsigned int b4 = 0u; unsigned int b5 = 0u; unsigned int b6 = 0u; unsigned int b7 = 0u;\n"  \
    "unsigned int r = 0u; int dn = 0; int w = 0; unsigned int sf = 0u; unsigned int cv = 0u;\n"  \
    "int j = 0; int jm = 0;\n"                                                                   \
    WGR_X8(WGR8_DECL)

WGR_K(k_scatter8_k, "wg_radix_scatter8_k",
      "raw uint32 k, raw int32 ofs, int32 total, int32 sh, int32 nb", "raw uint32 y",
      WGR8_HEAD WGR_X8(WGR8_LOADK) WGR_X8(WGR8_DIG)
      WGR8_ROUND(WGR8_CNT_LO, WGR8_RANK_LO)
      WGR_X8(WGR8_PUTK) "__syncthreads();\n" WGR_X8(WGR8_GETK) WGR_X8(WGR8_DIG) "__syncthreads();\n"
      WGR8_ROUND(WGR8_CNT_HI, WGR8_RANK_HI)
      WGR_X8(WGR8_PUTK) "__syncthreads();\n" WGR_X8(WGR8_GETK2) WGR_X8(WGR8_DIG)
      WGR_X8(WGR8_START) "__syncthreads();\n" WGR_X8(WGR8_OUTK));
/* the tile sorted by the digit with its payload, up to the store: the keys k0..k7 and payloads
 * p0..p7 of the sorted tile's elements e * 256 + t, cnt[d] their digit's global offset minus
 * its position in the tile */
#define WGR8_SORTP                                                                               \
    WGR8_HEAD WGR_X8(WGR8_LOADK) WGR_X8(WGR8_LOADP) WGR_X8(WGR8_DIG)                             \
    WGR8_ROUND(WGR8_CNT_LO, WGR8_RANK_LO)                                                        \
    WGR_X8(WGR8_PUTK) "__syncthreads();\n" WGR_X8(WGR8_GETK) WGR_X8(WGR8_DIG) "__syncthreads();\n" \
    WGR_X8(WGR8_PUTP) "__syncthreads();\n" WGR_X8(WGR8_GETP) "__syncthreads();\n"               \
    WGR8_ROUND(WGR8_CNT_HI, WGR8_RANK_HI)                                                        \
    WGR_X8(WGR8_PUTK) "__syncthreads();\n" WGR_X8(WGR8_GETK2) WGR_X8(WGR8_DIG)                  \
    WGR_X8(WGR8_START) "__syncthreads();\n"                                                      \
    WGR_X8(WGR8_PUTP) "__syncthreads();\n" WGR_X8(WGR8_GETP2)
/* with the payload; nk != 0: the next passes sort by row, so the key stored is the row p / nk */
WGR_K(k_scatter8, "wg_radix_scatter8",
      "raw uint32 k, raw int32 p, raw int32 ofs, int32 total, int32 sh, int32 nb, int32 nk",
      "raw uint32 y, raw int32 yp", WGR8_SORTP WGR_X8(WGR8_OUTP));
/* The last pass stores what the caller wants instead of keys and payloads, so nothing is stored
 * only to be read once more by a launch of its own: a values-only sort stores the input at the
 * payload (the gather, here: the values bit for bit, NaN payloads and -0.0 included), an
 * argsort the payload (its column p % nk for batches, nk != 0). */
#define WGR8_OUTV(e) "j = " #e " * 256 + t; if (j < nv) { int ps = (int)cnt[(int)d" #e "] + j; y[ps] = x[p" #e "]; }\n"
#define WGR8_OUTI(e) "j = " #e " * 256 + t; if (j < nv) { int ps = (int)cnt[(int)d" #e "] + j;\n" \
    "  yp[ps] = nk != 0 ? p" #e " % nk : p" #e "; }\n"
WGR_K(k_scatter8_v, "wg_radix_scatter8_v",
      "raw uint32 k, raw int32 p, raw T x, raw int32 ofs, int32 total, int32 sh, int32 nb",
      "raw T y", WGR8_SORTP WGR_X8(WGR8_OUTV));
WGR_K(k_scatter8_i, "wg_radix_scatter8_i",
      "raw uint32 k, raw int32 p, raw int32 ofs, int32 total, int32 sh, int32 nb, int32 nk",
      "raw int32 yp", WGR8_SORTP WGR_X8(WGR8_OUTI));

#define WGR_E_(var, nm, in, out, op)                                                             \
    static const wgP_libk var = {.name = nm, .in_params = in, .out_params = out, .operation = op, \
                                 .preamble = "", .loop_prep = ""}

/* float32 keys from the value (the kernel language has no bit casts): |x|'s IEEE bits rebuilt
 * exactly by scaling with powers of two (exact) into [1, 2): exponent and 23 mantissa bits;
 * subnormals as |x| * 2^149.  NaN: 0xffffffff.  z != 0 (argsort): -0.0 keys as 0.0 (stable
 * ties); z = 0 (keys alone): -0.0 before 0.0, so the inverse gives each back. */
#define WGR_KEY_F \
    "float xf = (float)x[i]; unsigned int v = 4294967295u;\n" \
    "if (xf == xf) {\n" \
    "  float a = fabsf(xf); unsigned int bits = 0u;\n" \
    "  if (isinf(a)) bits = 2139095040u;\n" \
    "  else if (a < 1.1754943508222875e-38f) bits = (unsigned int)(a * 3.777893186295716e+22f * 1.888946593147858e+22f);\n" \
    "  else {\n" \
    "    int e = 0;\n" \
    "    if (a >= 1.8446744073709552e+19f) { a = a * 5.421010862427522e-20f; e += 64; }\n" \
    "    if (a >= 4294967296.0f) { a = a * 2.3283064365386963e-10f; e += 32; }\n" \
    "    if (a >= 65536.0f) { a = a * 1.52587890625e-05f; e += 16; }\n" \
    "    if (a >= 256.0f) { a = a * 0.00390625f; e += 8; }\n" \
    "    if (a >= 16.0f) { a = a * 0.0625f; e += 4; }\n" \
    "    if (a >= 4.0f) { a = a * 0.25f; e += 2; }\n" \
    "    if (a >= 2.0f) { a = a * 0.5f; e += 1; }\n" \
    "    if (a < 1.0842021724855044e-19f) { a = a * 1.8446744073709552e+19f; e -= 64; }\n" \
    "    if (a < 4.656612873077393e-10f) { a = a * 4294967296.0f; e -= 32; }\n" \
    "    if (a < 3.0517578125e-05f) { a = a * 65536.0f; e -= 16; }\n" \
    "    if (a < 0.0078125f) { a = a * 256.0f; e -= 8; }\n" \
    "    if (a < 0.125f) { a = a * 16.0f; e -= 4; }\n" \
    "    if (a < 0.5f) { a = a * 4.0f; e -= 2; }\n" \
    "    if (a < 1.0f) { a = a * 2.0f; e -= 1; }\n" \
    "    bits = ((unsigned int)(e + 127) << 23u) | (unsigned int)((a - 1.0f) * 8388608.0f);\n" \
    "  }\n" \
    "  bits = bits | 2147483648u; v = (z != 0 ? xf < 0.0f : signbit(xf)) ? ~bits : bits;\n" \
    "}\n" \
    "k = v;\n"
WGR_E_(k_key_f, "wg_radix_key_f", "raw T x, int32 z, int32 gn", "uint32 k, int32 p, raw int32 g",
       WGR_KEY_F "p = i;\n" "for (int jz = (int)i; jz < gn; jz += (int)_ind.size()) g[jz] = 0;\n");
WGR_E_(k_key_fk, "wg_radix_key_fk", "raw T x, int32 z, int32 gn", "uint32 k, raw int32 g",
       WGR_KEY_F "for (int jz = (int)i; jz < gn; jz += (int)_ind.size()) g[jz] = 0;\n");

/* the float32 value of key v (the inverse of WGR_KEY_F with z = 0; NaN keys give nanv): a
 * preamble function of the keys-alone last scatter */
#define WGR_UNKEY_FN \
    "__device__ float wg_unkey(unsigned int v, float nanv, float infv) {\n" \
    "bool uneg = (v >> 31u) == 0u;\n" \
    "unsigned int ub = (uneg ? ~v : v) & 2147483647u;\n" \
    "unsigned int uex = ub >> 23u; unsigned int um = ub & 8388607u; float ua = infv;\n" \
    "if (uex == 0u) ua = (float)um * 2.6469779601696886e-23f * 5.293955920339377e-23f;\n" \
    "else if (uex < 255u) {\n" \
    "  ua = 1.0f + (float)um * 1.1920928955078125e-07f; int ue = (int)uex - 127;\n" \
    "  if (ue >= 64) { ua = ua * 1.8446744073709552e+19f; ue -= 64; }\n" \
    "  if (ue >= 32) { ua = ua * 4294967296.0f; ue -= 32; }\n" \
    "  if (ue >= 16) { ua = ua * 65536.0f; ue -= 16; }\n" \
    "  if (ue >= 8) { ua = ua * 256.0f; ue -= 8; }\n" \
    "  if (ue >= 4) { ua = ua * 16.0f; ue -= 4; }\n" \
    "  if (ue >= 2) { ua = ua * 4.0f; ue -= 2; }\n" \
    "  if (ue >= 1) { ua = ua * 2.0f; ue -= 1; }\n" \
    "  if (ue <= -64) { ua = ua * 5.421010862427522e-20f; ue += 64; }\n" \
    "  if (ue <= -32) { ua = ua * 2.3283064365386963e-10f; ue += 32; }\n" \
    "  if (ue <= -16) { ua = ua * 1.52587890625e-05f; ue += 16; }\n" \
    "  if (ue <= -8) { ua = ua * 0.00390625f; ue += 8; }\n" \
    "  if (ue <= -4) { ua = ua * 0.0625f; ue += 4; }\n" \
    "  if (ue <= -2) { ua = ua * 0.25f; ue += 2; }\n" \
    "  if (ue <= -1) { ua = ua * 0.5f; ue += 1; }\n" \
    "}\n" \
    "return v == 4294967295u ? nanv : (uneg ? -ua : ua);\n}\n"
/* the last pass of keys alone stores the values themselves (no inverse-transform launch) */
#define WGR8_OUTF(e) "j = " #e " * 256 + t; if (j < nv) { int ps = (int)cnt[(int)d" #e "] + j; y[ps] = wg_unkey(k" #e ", nanv, infv); }\n"
static const wgP_libk k_scatter8_kf = {
    .name = "wg_radix_scatter8_kf",
    .in_params = "raw uint32 k, raw int32 ofs, int32 total, int32 sh, int32 nb, float32 nanv, float32 infv",
    .out_params = "raw float32 y",
    .operation = WGR8_HEAD WGR_X8(WGR8_LOADK) WGR_X8(WGR8_DIG)
      WGR8_ROUND(WGR8_CNT_LO, WGR8_RANK_LO)
      WGR_X8(WGR8_PUTK) "__syncthreads();\n" WGR_X8(WGR8_GETK) WGR_X8(WGR8_DIG) "__syncthreads();\n"
      WGR8_ROUND(WGR8_CNT_HI, WGR8_RANK_HI)
      WGR_X8(WGR8_PUTK) "__syncthreads();\n" WGR_X8(WGR8_GETK2) WGR_X8(WGR8_DIG)
      WGR_X8(WGR8_START) "__syncthreads();\n" WGR_X8(WGR8_OUTF),
    .preamble = WGR_UNKEY_FN, .loop_prep = "__wg_block(256)"};
/* the values from sorted keys in a launch of its own (WGPY_RADIX_KEYS_ONLY=2, below) */
static const wgP_libk k_unkey = {.name = "wg_radix_unkey", .in_params = "raw uint32 k, float32 nanv, float32 infv",
                                 .out_params = "float32 y", .operation = "y = wg_unkey(k[i], nanv, infv);",
                                 .preamble = WGR_UNKEY_FN, .loop_prep = ""};
/* integer keys: signed ones shifted by 2^(bits-1), then masked to their bits */
WGR_E_(k_key_s, "wg_radix_key_s", "raw T x, uint32 bias, uint32 mask, int32 gn",
       "uint32 k, int32 p, raw int32 g",
       "k = ((unsigned int)((int)x[i]) + bias) & mask; p = i;\n" "for (int jz = (int)i; jz < gn; jz += (int)_ind.size()) g[jz] = 0;\n");
WGR_E_(k_key_u, "wg_radix_key_u", "raw T x, uint32 mask, int32 gn", "uint32 k, int32 p, raw int32 g",
       "k = ((unsigned int)x[i]) & mask; p = i;\n" "for (int jz = (int)i; jz < gn; jz += (int)_ind.size()) g[jz] = 0;\n");
/* the values: the rows' elements at the sorted flat indices */
WGR_E_(k_gather, "wg_radix_gather", "raw T x, raw int32 p", "T y", "y = x[p[i]];");
/* the column of a flat index (batched rows) */
WGR_E_(k_col, "wg_radix_col", "raw int32 p, int32 n", "int32 c", "c = p[i] % n;");

static void rel(wg_array *a) {
    if (a) wg_release(a);
}

static wg_array *u32(wg_context *ctx, uint32_t v) {
    return wg_scalar(ctx, WG_UINT32, WG_WEAK_NONE, (int64_t)v, 1, 0);
}

int wgP_radix_dtype_ok(int dt) {
    switch (dt) {
    case WG_FLOAT32: case WG_INT32: case WG_UINT32: case WG_INT16: case WG_UINT16:
    case WG_INT8: case WG_UINT8: case WG_BOOL:
        return 1;
    default: return 0;
    }
}

int wgP_radix_backend_ok(wg_context *ctx) {
    int be = ctx->backend_id;
    if (be == WG_BACKEND_CPU || be == WG_BACKEND_LOOPBACK) {
        const char *e = getenv("WGPY_CPU_STMT_BLOCK");
        return !(e && *e && atoi(e) % 256 != 0);
    }
    return be == WG_BACKEND_WEBGPU;
}

/* One pass: sort (*k, *p) stably by the 8-bit digit of the key at shift sh.  hist0: the pass's
 * tile counts when k_hist_all made them (pass 0), else NULL (a count launch); g, goff: the
 * global digit counts of the pass; nk != 0: store the row p / nk as the next passes' key.
 * Replaces *k and *p (p NULL: keys alone).  out (the last pass, with p): stores only the
 * result there instead: the values xv[p] (xv given) or the payload (p % nk where nk != 0). */
static int pass(wg_context *ctx, wg_array **k, wg_array **p, int64_t total, int sh,
                wg_array *hist0, wg_array *g, int goff, int nk, wg_array **fv, wg_array *xv,
                wg_array **out) {
    int64_t nb = (total + WGR8_T - 1) / WGR8_T, hn = 256 * nb, sh1 = total;
    wg_array *hist = hist0 ? (wg_retain(hist0), hist0) : wg_empty(ctx, WG_INT32, 1, &hn);
    wg_array *tt = wgP_i32(ctx, (int32_t)total), *ss = wgP_i32(ctx, sh), *bb = wgP_i32(ctx, (int32_t)nb),
             *go = wgP_i32(ctx, goff), *kk = wgP_i32(ctx, nk);
    wg_array *ofs = NULL, *y = NULL, *yp = NULL;
    int st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (!hist || !tt || !ss || !bb || !go || !kk) goto done;
    st = WG_OK;
    if (!hist0) {
        wg_array *args[5] = {*k, tt, ss, bb, hist};
        st = wgP_libk_launch(ctx, &k_count8, 5, args, nb * 256, NULL);
        if (st) goto done;
    }
    ofs = wg_empty(ctx, WG_INT32, 1, &hn);
    if (!ofs) {
        st = ctx->status ? ctx->status : WG_ERR_MEMORY;
        goto done;
    }
    {
        int lt = 0; /* 2^lt points a row: chunks of at least 16 tile counts, at most 256 points */
        while (lt < 8 && ((int64_t)16 << lt) < nb) lt++;
        wg_array *ll = wgP_i32(ctx, lt);
        st = ll ? WG_OK : ctx->status ? ctx->status : WG_ERR_MEMORY;
        if (!st) {
            wg_array *args[6] = {hist, g, bb, go, ll, ofs};
            st = wgP_libk_launch(ctx, &k_rowscan, 6, args, (int64_t)256 << lt, NULL);
        }
        rel(ll);
        if (st) goto done;
    }
    if (out && p) {
        y = wg_empty(ctx, xv ? xv->dtype : WG_INT32, 1, &sh1);
        st = y ? WG_OK : ctx->status ? ctx->status : WG_ERR_MEMORY;
        if (!st && xv) {
            wg_array *args[8] = {*k, *p, xv, ofs, tt, ss, bb, y};
            st = wgP_libk_launch(ctx, &k_scatter8_v, 8, args, nb * 256, NULL);
        } else if (!st) {
            wg_array *args[8] = {*k, *p, ofs, tt, ss, bb, kk, y};
            st = wgP_libk_launch(ctx, &k_scatter8_i, 8, args, nb * 256, NULL);
        }
        if (!st) {
            *out = y;
            y = NULL;
        }
        goto done;
    }
    y = wg_empty(ctx, fv ? WG_FLOAT32 : WG_UINT32, 1, &sh1);
    yp = p ? wg_empty(ctx, WG_INT32, 1, &sh1) : NULL;
    st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (!y || (p && !yp)) goto done;
    if (fv) { /* keys alone, last pass: the values themselves */
        wg_array *nv = wg_scalar(ctx, WG_FLOAT32, WG_WEAK_NONE, 0, 0, NAN);
        wg_array *iv = wg_scalar(ctx, WG_FLOAT32, WG_WEAK_NONE, 0, 0, INFINITY);
        st = nv && iv ? WG_OK : ctx->status ? ctx->status : WG_ERR_MEMORY;
        if (!st) {
            wg_array *args[8] = {*k, ofs, tt, ss, bb, nv, iv, y};
            st = wgP_libk_launch(ctx, &k_scatter8_kf, 8, args, nb * 256, NULL);
        }
        rel(nv);
        rel(iv);
        if (st) goto done;
        *fv = y;
        y = NULL;
        goto done;
    }
    if (p) {
        wg_array *args[9] = {*k, *p, ofs, tt, ss, bb, kk, y, yp};
        st = wgP_libk_launch(ctx, &k_scatter8, 9, args, nb * 256, NULL);
    } else {
        wg_array *args[6] = {*k, ofs, tt, ss, bb, y};
        st = wgP_libk_launch(ctx, &k_scatter8_k, 6, args, nb * 256, NULL);
    }
    if (st) goto done;
    wg_release(*k);
    *k = y;
    y = NULL;
    if (p) {
        wg_release(*p);
        *p = yp;
        yp = NULL;
    }
done:
    rel(hist);
    rel(tt);
    rel(ss);
    rel(bb);
    rel(go);
    rel(kk);
    rel(ofs);
    rel(y);
    rel(yp);
    return st;
}

/* The global digit counts of every pass (g, zeroed by the key kernel) and pass 0's tile counts
 * (*hist0), in one launch of k_hist_all. */
static int hist_all(wg_context *ctx, wg_array *k, int64_t total, int nkp, int nrp, wg_array *nn,
                    wg_array *g, wg_array **hist0) {
    int64_t nb = (total + WGR8_T - 1) / WGR8_T, hn = 256 * nb;
    *hist0 = wg_empty(ctx, WG_INT32, 1, &hn);
    int lc = 0; /* copies of each counter: as many as k_hist_all's 4096 counters hold */
    while (lc < 4 && (nkp + nrp) * (256 << (lc + 1)) <= 4096) lc++;
    wg_array *tt = wgP_i32(ctx, (int32_t)total), *bb = wgP_i32(ctx, (int32_t)nb),
             *kp = wgP_i32(ctx, nkp), *rp = wgP_i32(ctx, nrp), *cc = wgP_i32(ctx, lc);
    int st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (*hist0 && tt && bb && kp && rp && cc) {
        wg_array *args[9] = {k, tt, bb, kp, rp, nn, cc, *hist0, g};
        st = wgP_libk_launch(ctx, &k_hist_all, 9, args, nb * 256, NULL);
    }
    rel(cc);
    rel(tt);
    rel(bb);
    rel(kp);
    rel(rp);
    return st;
}

int wgP_radix_rows(wg_context *ctx, wg_array *rows, int64_t batch, int64_t n, wg_array **vals,
                   wg_array **idx) {
    int dt = rows->dtype, bits = 32, sgn = 0;
    switch (dt) {
    case WG_FLOAT32: break;
    case WG_INT32: sgn = 1; break;
    case WG_UINT32: break;
    case WG_INT16: sgn = 1; bits = 16; break;
    case WG_UINT16: bits = 16; break;
    case WG_INT8: sgn = 1; bits = 8; break;
    default: bits = 8; break; /* uint8, bool */
    }
    uint32_t mask = bits == 32 ? 0xffffffffu : ((1u << bits) - 1u);
    uint32_t bias = sgn ? (uint32_t)1 << (bits - 1) : 0;
    int64_t total = batch * n;
    /* Keys alone (a values-only sort of one float32 row whose last scatter stores the values,
     * k_scatter8_kf) gave wrong values on the H100 at 2^20 and 2^24 (session 9,
     * bench/h100/run_session9b.sh: "sort radix WRONG"; argsort, with positions, was right)
     * while every test passes on SwiftShader and cpu; a review found no race in its kernels
     * (docs/sorting.md).  So every sort carries positions.  WGPY_RADIX_KEYS_ONLY tells the
     * possible causes apart on a device (bench/h100/run_sort_check.sh), for a values-only sort
     * of one float32 row: 1 the keys-alone path as it was; 2 the passes with positions and the
     * keys of the keys-alone path (-0.0 before 0.0), the values by the inverse transform of the
     * sorted keys in a launch of its own (the transforms' arithmetic without the keys-alone
     * passes); 3 the keys-alone passes, every one storing keys (k_scatter8_k), and that
     * inverse-transform launch (the keys-alone passes without k_scatter8_kf).  Not for use:
     * NaN payloads come back canonical. */
    const char *ko = getenv("WGPY_RADIX_KEYS_ONLY");
    int kmode = ko && dt == WG_FLOAT32 && batch == 1 && vals && !idx ? atoi(ko) : 0;
    int konly = kmode == 1 || kmode == 3;
    wg_array *k = NULL, *p = NULL, *nn = NULL, *bi = NULL, *mk = NULL, *flat = NULL, *zz = NULL;
    wg_array *h0 = NULL, *g = NULL;
    int st = WG_OK;
    int64_t sh[1] = {total};
    flat = wg_reshape(ctx, rows, 1, sh, 'C');
    nn = wgP_i32(ctx, (int32_t)n);
    bi = u32(ctx, bias);
    mk = u32(ctx, mask);
    zz = wgP_i32(ctx, !kmode);
    if (!flat || !nn || !bi || !mk || !zz) {
        st = ctx->status ? ctx->status : WG_ERR_MEMORY;
        goto done;
    }
    {
        /* passes: bits / 8 by the key, then (batches) one per 8 bits of the row */
        int nkp = bits / 8, nrp = 0;
        while (batch > 1 && ((int64_t)1 << (8 * nrp)) < batch) nrp++;
        int64_t gn = 256 * (int64_t)(nkp + nrp);
        g = wg_empty(ctx, WG_INT32, 1, &gn);
        k = wg_empty(ctx, WG_UINT32, 1, sh);
        p = konly ? NULL : wg_empty(ctx, WG_INT32, 1, sh);
        wg_array *gg = wgP_i32(ctx, (int32_t)gn);
        if (!g || !k || (!konly && !p) || !gg) {
            rel(gg);
            st = ctx->status ? ctx->status : WG_ERR_MEMORY;
            goto done;
        }
        /* the keys (and the identity payload); the key kernel also zeroes g */
        if (dt == WG_FLOAT32 && konly) {
            wg_array *args[5] = {flat, zz, gg, k, g};
            st = wgP_libk_launch(ctx, &k_key_fk, 5, args, -1, NULL);
        } else if (dt == WG_FLOAT32) {
            wg_array *args[6] = {flat, zz, gg, k, p, g};
            st = wgP_libk_launch(ctx, &k_key_f, 6, args, -1, NULL);
        } else if (sgn) {
            wg_array *args[7] = {flat, bi, mk, gg, k, p, g};
            st = wgP_libk_launch(ctx, &k_key_s, 7, args, -1, NULL);
        } else {
            wg_array *args[6] = {flat, mk, gg, k, p, g};
            st = wgP_libk_launch(ctx, &k_key_u, 6, args, -1, NULL);
        }
        rel(gg);
        if (!st) st = hist_all(ctx, k, total, nkp, nrp, nn, g, &h0);
        /* the last pass stores the result itself when only one is wanted: a values-only sort
         * its values, an argsort its indices */
        int last_v = !kmode && vals && !idx, last_i = !kmode && idx && !vals;
        for (int s = 0; s < nkp + nrp && !st; s++) {
            int last = s == nkp + nrp - 1 && (last_v || last_i);
            st = pass(ctx, &k, konly ? NULL : &p, total, 8 * (s < nkp ? s : s - nkp), s ? NULL : h0, g,
                      256 * s, last ? (last_i && batch > 1 ? (int)n : 0) : s == nkp - 1 && nrp > 0 ? (int)n : 0,
                      kmode == 1 && s == nkp - 1 ? vals : NULL, last_v ? flat : NULL,
                      last ? (last_v ? vals : idx) : NULL);
        }
        if (last_v || last_i) goto done;
    }
    if (st) goto done;
    if (vals && kmode == 1) {
        /* the last pass stored the values (k_scatter8_kf) */
    } else if (vals && (kmode == 2 || kmode == 3)) {
        wg_array *nv = wg_scalar(ctx, WG_FLOAT32, WG_WEAK_NONE, 0, 0, NAN);
        wg_array *iv = wg_scalar(ctx, WG_FLOAT32, WG_WEAK_NONE, 0, 0, INFINITY);
        st = nv && iv ? WG_OK : ctx->status ? ctx->status : WG_ERR_MEMORY;
        if (!st) {
            wg_array *args[3] = {k, nv, iv};
            st = wgP_libk_launch(ctx, &k_unkey, 3, args, total, vals);
        }
        rel(nv);
        rel(iv);
        if (st) goto done;
    } else if (vals) {
        wg_array *args[2] = {flat, p};
        st = wgP_libk_launch(ctx, &k_gather, 2, args, total, vals);
        if (st) goto done;
    }
    if (idx) {
        if (batch > 1) {
            wg_array *args[2] = {p, nn};
            st = wgP_libk_launch(ctx, &k_col, 2, args, total, idx);
        } else {
            *idx = p;
            p = NULL;
        }
    }
done:
    if (st && vals && *vals) {
        wg_release(*vals);
        *vals = NULL;
    }
    rel(flat);
    rel(k);
    rel(p);
    rel(nn);
    rel(bi);
    rel(mk);
    rel(zz);
    rel(h0);
    rel(g);
    return st;
}
