/* LSD radix sort of rows (docs/sorting.md, "The radix sort"): cpu, loopback and webgpu, the
 * backends with workgroup memory.  Library kernels in the kernel language, raw stores; atomics
 * only for counts (workgroup memory, and one global add per nonzero count a tile).
 *
 * Keys: each element becomes an order-preserving uint32 (float32 through its bits,
 * __float_as_uint; int8/16, uint8/16 and bool are widened to 32 bits first and keyed in their
 * own 8 or 16 bits): floats flip the sign bit (positive) or every bit (negative); with
 * positions every NaN becomes 0xffffffff (last, as NumPy) and -0.0 is keyed as 0.0 (NumPy's
 * stable argsort keeps equal values in their order); keys alone (a values-only sort of one
 * float32 row) keep every bit, so the last pass stores the values from the keys (WGR_KEY_FK);
 * integers add 2^(bits-1) (signed) and mask.
 * A pass sorts stably by one 8-bit digit, least significant first: 4 passes for 32-bit keys.
 * Batched rows (sort along an axis): the flat index rides along as the payload and ceil(log2
 * (batch) / 8) more passes sort by its row (the most significant digits), so every row comes
 * out sorted in place.  The last pass stores the result: the input at the payload (values)
 * or the payload (indices); a call that wants both gathers the values afterwards.
 *
 * Launches (tiles of 2048 or 4096 consecutive elements, a workgroup of 256 points a tile):
 *   a fill (g = 0); k_hist_*: the keys and every pass's digit counts in one read (pass 0's
 *   per tile, every pass's in total, g); then per pass: k_count8 (the tile counts; not pass 0),
 *   k_rowscan (one launch: the exclusive offsets of every (digit, tile), digit-major, from the
 *   global counts below the digit), k_scatter8 (the tile sorted stably by the digit in
 *   workgroup memory, stored at its digit's offsets; the last pass's k_scatter8_v / _i store
 *   the values or the indices instead).  docs/sorting.md, "The radix sort". */
#include "../array/array.h"
#include "libk.h"
#include "sort.h"

#include <stdlib.h>
#include <string.h>

/* Every index of these kernels' raw operands and workgroup arrays is inside them (tiles, digits
 * and counters by construction; tail elements tested against total), so they promise it
 * (__in_range(), ir.h in_range): the WGSL indexes directly instead of wrapping each access in a
 * range check (a select and a min a workgroup-memory read, a function call and two branches a
 * raw load: most of a scatter's ~9000 lines).  The warp variants keep the checks (their
 * workgroup-memory shuffles index other lanes).  WGPY_RADIX_CHECKED=1: the checked forms anyway
 * (wgr_lk), for before/after figures in one process. */
#define WGR_LP "__wg_block(256); __in_range()"
#define WGR_LPC "__wg_block(256)"
#define WGR_K(var, nm, in, out, op)                                                              \
    static const wgP_libk var = {.name = nm, .in_params = in, .out_params = out, .operation = op, \
                                 .preamble = "", .loop_prep = WGR_LP}

/* ---- 8-bit digits (docs/sorting.md, "The radix sort"): tiles of 256 * ep elements (ep = 8 or
 * 16: wgr_ep) ---- */
#define WGR_X8(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
#define WGR_X16(M) WGR_X8(M) M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15)

/* Keys (the text sets kv from x[q]).  float32 from the bits (__float_as_uint: no arithmetic,
 * so exact on every device; the float scalings they replaced were wrong on the H100,
 * docs/sorting.md "The H100's answer"): positive x: bits | 2^31, negative: ~bits, the usual
 * order-preserving flip.  With positions (argsort, and sorts that carry them, kf == 0): every
 * NaN keys as 0xffffffff and -0.0 as 0.0, so that equal values (NumPy: NaNs equal each other,
 * -0.0 equals 0.0) keep their order.  Keys alone (kf != 0): a bijection, so the last pass
 * stores the values themselves, bit for bit: the flip less 2^23 - 1 (mod 2^32), which takes
 * the negative NaNs, which the flip puts below -inf, to the top, after the positive ones; -0.0
 * keys just before 0.0.  Integers: signed ones shifted by 2^(bits-1), then masked to their
 * bits. */
#define WGR_KEY_F_(XQ)                                                                           \
    "fb = __float_as_uint(" XQ ");\n"                                                              \
    "if (kf != 0) kv = ((fb >> 31) != 0u ? ~fb : fb | 2147483648u) - 8388607u;\n"                \
    "else { if (fb == 2147483648u) fb = 0u;\n"                                                   \
    "  kv = (fb & 2147483647u) > 2139095040u ? 4294967295u : (fb >> 31) != 0u ? ~fb : fb | 2147483648u; }\n"
#define WGR_KEY_S_(XQ) "kv = ((unsigned int)((int)" XQ ") + bias) & mask;\n"
#define WGR_KEY_U_(XQ) "kv = ((unsigned int)" XQ ") & mask;\n"
#define WGR_KEY_F WGR_KEY_F_("x[q]")
#define WGR_KEY_S WGR_KEY_S_("x[q]")
#define WGR_KEY_U WGR_KEY_U_("x[q]")

/* The keys and all passes' digit counts in one read of the input (the one-sweep histogram):
 * each workgroup keys its tile (stored to k: the passes' input) and counts the digits of every
 * pass (nkp key passes; nrp row passes, the row of flat index q being q / n) in workgroup
 * memory, writes its pass-0 digit counts to hist0 (pass 0 needs no count launch) and adds its
 * nonzero counts into g (zeroed before: a fill): the global count of every digit of every
 * pass, from which each pass's row scan starts.  (The keys were an elementwise launch of their
 * own, one element a point: 0.21 ms of 2.35 at 2^24 on the H100, session 11.)
 * Each counter has 2^lc copies, side by side (counter j, copy r at j * 2^lc + r; point t counts
 * into copy t mod 2^lc): a workgroup-memory atomicAdd serializes the invocations that hit one
 * address, and a digit can be the same for a whole tile (the top byte of floats of one binade:
 * 2048 adds on one counter), so the copies cut that chain 2^lc-fold and put neighbouring points
 * on neighbouring banks.  As many copies as 16 KiB hold (lc from the host). */
#define WGR_HIST_IN "int32 total, int32 nb, int32 nkp, int32 nrp, int32 n, int32 lc, int32 ep, int32 wh"
#define WGR_HIST_OUT "raw uint32 k, raw uint32 hist0, raw int32 g"
#define WGR_HIST(KEY)                                                                            \
      "__shared__ int c[4096];\n"                                                                \
      "int t = i & 255; int b = i >> 8; int nc = 1 << lc; int r = t & (nc - 1);\n"               \
      "int nj = (nkp + nrp) * 256; unsigned int kv = 0u; unsigned int fb = 0u;\n"                \
      "for (int j = t; j < nj * nc; j += 256) c[j] = 0;\n"                                       \
      "__syncthreads();\n"                                                                       \
      "for (int e = 0; e < ep; e++) {\n"                                                         \
      "  int q = b * (ep * 256) + e * 256 + t;\n"                                                \
      "  if (q < total) {\n"                                                                     \
      KEY                                                                                        \
      "    k[q] = kv;\n"                                                                         \
      "    for (int s = 0; s < nkp; s++) atomicAdd(&c[((s * 256 + (int)((kv >> (unsigned int)(8 * s)) & 255u)) << lc) + r], 1);\n" \
      "    if (nrp > 0) { int rw = q / n;\n" /* the row: batches only (a division an element) */  \
      "      for (int s = 0; s < nrp; s++) atomicAdd(&c[(((nkp + s) * 256 + ((rw >> (8 * s)) & 255)) << lc) + r], 1); }\n" \
      "  }\n"                                                                                    \
      "}\n"                                                                                      \
      "__syncthreads();\n"                                                                       \
      "for (int j = t; j < nj; j += 256) {\n"                                                    \
      "  int v = 0;\n"                                                                           \
      "  for (int u = 0; u < nc; u++) v += c[(j << lc) + u];\n"                                  \
      "  if (j < 256 && b < nb && wh == 0) hist0[j * nb + b] = (unsigned int)v;\n"                         \
      "  if (v != 0) atomicAdd(&g[j], v);\n"                                                     \
      "}\n"                                                                                      \
      "if (wh != 0 && b < nb) for (int s = 0; s < nkp + nrp; s++) hist0[s * wh + (b + 1) * 256 + t] = 0u;\n"
WGR_K(k_hist_f, "wg_radix_hist_f", "raw T x, " WGR_HIST_IN ", int32 kf", WGR_HIST_OUT, WGR_HIST(WGR_KEY_F));
WGR_K(k_hist_s, "wg_radix_hist_s", "raw T x, " WGR_HIST_IN ", uint32 bias, uint32 mask", WGR_HIST_OUT,
      WGR_HIST(WGR_KEY_S));
WGR_K(k_hist_u, "wg_radix_hist_u", "raw T x, " WGR_HIST_IN ", uint32 mask", WGR_HIST_OUT, WGR_HIST(WGR_KEY_U));

/* k_hist_* with the tile's loads in flight together (session 16, WGPY_RADIX_COUNT as the counts
 * below): every point issues its ep loads (unrolled, one kernel per tile size) before zeroing
 * the counters, then keys, stores and counts them; the copies of a counter are summed rotated
 * by (j >> (5 - lc)), so a warp's 32 points read 32 banks (word j * 2^lc + u put 2^lc points
 * on one bank). */
#define WGRH_LOAD(e) "T x" #e " = (T)0; int q" #e " = bq + " #e " * 256 + t; if (q" #e " < total) x" #e " = x[q" #e "];\n"
#define WGRH_ADD(KEY, e)                                                                        \
      "q = q" #e ";\n"                                                                           \
      "if (q < total) {\n"                                                                       \
      KEY("x" #e)                                                                                \
      "  k[q] = kv;\n"                                                                           \
      "  for (int s = 0; s < nkp; s++) atomicAdd(&c[((s * 256 + (int)((kv >> (unsigned int)(8 * s)) & 255u)) << lc) + r], 1);\n" \
      "  if (nrp > 0) { int rw = q / n;\n"                                                       \
      "    for (int s = 0; s < nrp; s++) atomicAdd(&c[(((nkp + s) * 256 + ((rw >> (8 * s)) & 255)) << lc) + r], 1); }\n" \
      "}\n"
#define WGRH_ADD_F(e) WGRH_ADD(WGR_KEY_F_, e)
#define WGRH_ADD_S(e) WGRH_ADD(WGR_KEY_S_, e)
#define WGRH_ADD_U(e) WGRH_ADD(WGR_KEY_U_, e)
#define WGR_HISTU(X, TN, ADD, CN)                                                                \
      "__shared__ int c[" CN "];\n"                                                              \
      "int t = i & 255; int b = i >> 8; int nc = 1 << lc; int r = t & (nc - 1); int bq = b * " TN ";\n" \
      "int nj = (nkp + nrp) * 256; unsigned int kv = 0u; unsigned int fb = 0u; int q = 0;\n"      \
      X(WGRH_LOAD)                                                                               \
      "for (int j = t; j < nj * nc; j += 256) c[j] = 0;\n"                                       \
      "__syncthreads();\n"                                                                       \
      X(ADD)                                                                                     \
      "__syncthreads();\n"                                                                       \
      "int rs = 5 - lc;\n"                                                                       \
      "for (int j = t; j < nj; j += 256) {\n"                                                    \
      "  int v = 0;\n"                                                                           \
      "  for (int u = 0; u < nc; u++) v += c[(j << lc) + ((u + (j >> rs)) & (nc - 1))];\n"       \
      "  if (j < 256 && b < nb && wh == 0) hist0[j * nb + b] = (unsigned int)v;\n"              \
      "  if (v != 0) atomicAdd(&g[j], v);\n"                                                     \
      "}\n"                                                                                      \
      "if (wh != 0 && b < nb) for (int s = 0; s < nkp + nrp; s++) hist0[s * wh + (b + 1) * 256 + t] = 0u;\n"
/* [tile 2048, 4096][float32, signed, unsigned]; _c8: 8192 counters (32 KiB), twice the copies of
 * each, where the device's workgroup memory holds them (WGPY_RADIX_COUNT=2, the default there: a
 * float32 key's 4 passes get 8 copies a counter instead of 4; bench/sort.py's data put half a
 * tile's top digits on one value, 8 lanes of a warp on one address with 4 copies) */
#define WGR_HISTU_K(var, nm, X, TN, IN, ADD, CN) WGR_K(var, nm, "raw T x, " WGR_HIST_IN IN, WGR_HIST_OUT, WGR_HISTU(X, TN, ADD, CN))
WGR_HISTU_K(k_histu_f8, "wg_radix_histu_f8", WGR_X8, "2048", ", int32 kf", WGRH_ADD_F, "4096");
WGR_HISTU_K(k_histu_s8, "wg_radix_histu_s8", WGR_X8, "2048", ", uint32 bias, uint32 mask", WGRH_ADD_S, "4096");
WGR_HISTU_K(k_histu_u8, "wg_radix_histu_u8", WGR_X8, "2048", ", uint32 mask", WGRH_ADD_U, "4096");
WGR_HISTU_K(k_histu_f16, "wg_radix_histu_f16", WGR_X16, "4096", ", int32 kf", WGRH_ADD_F, "4096");
WGR_HISTU_K(k_histu_s16, "wg_radix_histu_s16", WGR_X16, "4096", ", uint32 bias, uint32 mask", WGRH_ADD_S, "4096");
WGR_HISTU_K(k_histu_u16, "wg_radix_histu_u16", WGR_X16, "4096", ", uint32 mask", WGRH_ADD_U, "4096");
WGR_HISTU_K(k_histu_f16c8, "wg_radix_histu_f16c8", WGR_X16, "4096", ", int32 kf", WGRH_ADD_F, "8192");
WGR_HISTU_K(k_histu_s16c8, "wg_radix_histu_s16c8", WGR_X16, "4096", ", uint32 bias, uint32 mask", WGRH_ADD_S, "8192");
WGR_HISTU_K(k_histu_u16c8, "wg_radix_histu_u16c8", WGR_X16, "4096", ", uint32 mask", WGRH_ADD_U, "8192");

/* The count launches run idle workgroups past the last tile (no counts, no stores: 1 for
 * k_count8, 2 for k_hist_*) so that their dispatches differ in shape from the scatters': GPU
 * timing (WGPY_GPU_TIMING, bench/h100/sort_profile.py) keys dispatches by shape, and with all
 * three at nb * 256 points it could not tell the counts' time from the scatters' (session 11). */
#define WGR_IDLE_COUNT 1
#define WGR_IDLE_HIST 2

/* a pass's tile counts (passes after the first): 256 counters in workgroup memory, 16 copies
 * each (as k_hist_*'s) */
WGR_K(k_count8, "wg_radix_count8", "raw uint32 k, int32 total, int32 sh, int32 nb, int32 ep",
      "raw uint32 hist",
      "__shared__ int c[4096];\n"
      "int t = i & 255; int b = i >> 8; int r = t & 15;\n"
      "for (int j = t; j < 4096; j += 256) c[j] = 0;\n"
      "__syncthreads();\n"
      "for (int e = 0; e < ep; e++) {\n"
      "  int q = b * (ep * 256) + e * 256 + t;\n"
      "  if (q < total) atomicAdd(&c[((int)((k[q] >> (unsigned int)sh) & 255u) << 4) + r], 1);\n"
      "}\n"
      "__syncthreads();\n"
      "int v = 0;\n"
      "for (int u = 0; u < 16; u++) v += c[(t << 4) + u];\n"
      "if (b < nb) hist[t * nb + b] = (unsigned int)v;\n");

/* The counts with the tile's loads in flight together (session 16, WGPY_RADIX_COUNT, default 1):
 * k_count8's loop (ep a runtime parameter) issues one key load, waits for it and adds it before
 * the next — 16 dependent round trips to memory a point, where the scatters issue their 16 loads
 * at once (H100, session 15: a count 0.135 ms at 2^24 against a memory floor of ~0.025).  Here
 * each point issues all its loads (unrolled: one kernel per tile size) before zeroing the
 * counters, and sums the 16 copies of its digit rotated by (t >> 1) — word 16t + ((u + t/2) mod
 * 16): the 32 points of a warp on 32 banks, where 16t + u put 16 points on one bank. */
#define WGRC_LOAD(e) "unsigned int v" #e " = 0u; int q" #e " = bq + " #e " * 256 + t; if (q" #e " < total) v" #e " = k[q" #e "];\n"
#define WGRC_ADD(e) "if (q" #e " < total) atomicAdd(&c[((int)((v" #e " >> (unsigned int)sh) & 255u) << 4) + r], 1);\n"
#define WGRC_COUNT(X, TN)                                                                        \
      "__shared__ int c[4096];\n"                                                                \
      "int t = i & 255; int b = i >> 8; int r = t & 15; int bq = b * " TN ";\n"                  \
      X(WGRC_LOAD)                                                                               \
      "for (int j = t; j < 4096; j += 256) c[j] = 0;\n"                                          \
      "__syncthreads();\n"                                                                       \
      X(WGRC_ADD)                                                                                \
      "__syncthreads();\n"                                                                       \
      "int v = 0; int ro = t >> 1;\n"                                                            \
      "for (int u = 0; u < 16; u++) v += c[(t << 4) + ((u + ro) & 15)];\n"                       \
      "if (b < nb) hist[t * nb + b] = (unsigned int)v;\n"
WGR_K(k_count8_8, "wg_radix_count8_8", "raw uint32 k, int32 total, int32 sh, int32 nb, int32 ep",
      "raw uint32 hist", WGRC_COUNT(WGR_X8, "2048"));
WGR_K(k_count8_16, "wg_radix_count8_16", "raw uint32 k, int32 total, int32 sh, int32 nb, int32 ep",
      "raw uint32 hist", WGRC_COUNT(WGR_X16, "4096"));

/* The exclusive scan of one pass's tile counts h (digit-major: h[v * nb + b]) in one launch:
 * each row v (digit) is scanned by tp = 2^lt points (each a contiguous chunk of the row; the
 * chunks' sums scanned in workgroup memory, segmented by row), 256 / tp rows a workgroup, tp
 * workgroups; every workgroup also scans the pass's 256 global digit counts (g[goff ..], from
 * k_hist_*) so that row v starts from the count of the digits below v: o[v * nb + b] is the
 * position of tile b's first element of digit v.  tp grows with nb (chunks of 16 or more, at
 * most 256 points a row), so a short sort runs few points (SwiftShader pays per point and
 * barrier). */
WGR_K(k_rowscan, "wg_radix_rowscan", "raw uint32 h, raw int32 g, int32 nb, int32 goff, int32 lt",
      "raw int32 o",
      "__shared__ int sa[256]; __shared__ int sb[256];\n"
      "int t = i & 255; int w = i >> 8; int tp = 1 << lt; int l = t & (tp - 1);\n"
      "int v = w * (256 >> lt) + (t >> lt);\n"
      "int cn = (nb + tp - 1) / tp; int j0 = l * cn; int j1 = j0 + cn; if (j1 > nb) j1 = nb;\n"
      "int s = 0;\n"
      "for (int j = j0; j < j1; j++) s += (int)h[v * nb + j];\n"
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
      "for (int j = j0; j < j1; j++) { int x = (int)h[v * nb + j]; o[v * nb + j] = run; run += x; }\n");

/* The scatter of one pass: the tile's T = 256 * ep elements (ep = 8 or 16 a point, contiguous:
 * k0.. in registers) are sorted stably by the pass's 8-bit digit in workgroup memory — two
 * rounds of a 4-bit split, each a count of the point's nibbles in 16 counters of 16 bits (8
 * words a point), a raking scan of those over the 256 points (WGR8_ROUND), the tile's nibble
 * bases added, and each element's rank; the keys (then the payloads) exchanged through buf —
 * then stored to the global offset of their digit in this tile, consecutive points writing
 * consecutive positions.  Elements past the end key as 0xffffffff: digit 255, after every real
 * element.  Two tile sizes (WGR_EP): 2048 (8 KiB of counters + 8 KiB of buf: WebGPU's
 * guaranteed 16 KiB) and 4096 (24 KiB, where the device's workgroup memory allows it: twice the
 * elements a workgroup for the same barriers and scans, and digit runs twice as long in the
 * stores).  The counters stay 16 bits: a point counts at most 16 of a nibble and a tile's
 * prefixes stay below 4096.
 * buf's exchange words are swizzled, word j at j ^ ((j >> 5) & 31) (each 32-word row's columns
 * xor'd with the row), so that a point's contiguous run (GETK: point t reads t * ep + e) hits 32
 * banks across a warp instead of 4 (ep 8) or 2 (ep 16). */
/* The scatters' barriers order workgroup memory only (__wg_barrier(): WGSL's workgroupBarrier()
 * alone): their points never meet at a storage word across one, except the statuses, which
 * only atomics touch.  A __syncthreads() would add a storageBarrier() to every one of them in
 * the one-sweep kernels, whose atomics on st count as reads of a raw output (codegen/stmt.c). */
#define WGR8_SW(j) "((" j ") ^ (((" j ") >> 5) & 31))"
#define WGR8_DECL(e) "unsigned int k" #e " = 4294967295u; int p" #e " = 0; int pos" #e " = 0; unsigned int d" #e " = 0u;\n"
#define WGR8_LOADK(e) "if (t * ep + " #e " < nv) k" #e " = k[base + t * ep + " #e "];\n"
#define WGR8_LOADP(e) "if (t * ep + " #e " < nv) p" #e " = p[base + t * ep + " #e "];\n"
/* pass 0's payloads are the identity (pid != 0): computed, not read (k_hist_* stores none) */
#define WGR8_PID(e) "p" #e " = base + t * ep + " #e ";\n"
/* the tile's loads through buf (tl != 0): a point's run of ep contiguous elements read straight
 * from storage is ep strided loads across a warp (each a 32-sector request); loaded coalesced
 * (element e * 256 + t) into buf and read back as runs (GETK/GETP) it is ep coalesced loads and
 * a conflict-free exchange (WGPY_RADIX_LOAD=0: the direct loads, for before/after figures) */
#define WGR8_TLK(e) "j = " #e " * 256 + t; if (j < nv) buf[" WGR8_SW("j") "] = k[base + j]; else buf[" WGR8_SW("j") "] = 4294967295u;\n"
#define WGR8_TLP(e) "j = " #e " * 256 + t; if (j < nv) buf[" WGR8_SW("j") "] = (unsigned int)p[base + j];\n"
#define WGR8_LOADK_ALL(X)                                                                        \
    "if (tl != 0) {\n" X(WGR8_TLK) "}\n"                                                          \
    "__wg_barrier();\n"                                                                         \
    "if (tl != 0) {\n" X(WGR8_GETK) "} else {\n" X(WGR8_LOADK) "}\n"
#define WGR8_LOADP_ALL(X)                                                                        \
    "__wg_barrier();\n"                                                                         \
    "if (tl != 0 && pid == 0) {\n" X(WGR8_TLP) "}\n"                                              \
    "__wg_barrier();\n"                                                                         \
    "if (pid != 0) {\n" X(WGR8_PID) "} else if (tl != 0) {\n" X(WGR8_GETP) "} else {\n" X(WGR8_LOADP) "}\n"
#define WGR8_DIG(e) "d" #e " = (k" #e " >> (unsigned int)sh) & 255u;\n"
#define WGR8_CNT(e, NIB) "dn = (int)(" NIB("d" #e) "); cnt[(dn >> 1) * 256 + tx] += 1u << (unsigned int)((dn & 1) << 4);\n"
#define WGR8_RANK(e, NIB) "dn = (int)(" NIB("d" #e) "); w = (dn >> 1) * 256 + tx; sf = (unsigned int)((dn & 1) << 4);\n" \
    "cv = cnt[w]; pos" #e " = (int)((cv >> sf) & 65535u); cnt[w] = cv + (1u << sf);\n"
#define WGR8_NLO(x) x " & 15u"
#define WGR8_NHI(x) x " >> 4u"
#define WGR8_CNT_LO(e) WGR8_CNT(e, WGR8_NLO)
#define WGR8_CNT_HI(e) WGR8_CNT(e, WGR8_NHI)
#define WGR8_RANK_LO(e) WGR8_RANK(e, WGR8_NLO)
#define WGR8_RANK_HI(e) WGR8_RANK(e, WGR8_NHI)
#define WGR8_PUTK(e) "buf[" WGR8_SW("pos" #e) "] = k" #e ";\n"
#define WGR8_PUTP(e) "buf[" WGR8_SW("pos" #e) "] = (unsigned int)p" #e ";\n"
#define WGR8_GETK(e) "k" #e " = buf[" WGR8_SW("t * ep + " #e) "];\n"
#define WGR8_GETP(e) "p" #e " = (int)buf[" WGR8_SW("t * ep + " #e) "];\n"
#define WGR8_GETK2(e) "k" #e " = buf[" WGR8_SW(#e " * 256 + t") "];\n"
#define WGR8_GETP2(e) "p" #e " = (int)buf[" WGR8_SW(#e " * 256 + t") "];\n"
/* the first element of each digit in the sorted tile records the digit's global offset minus
 * its position in the tile */
#define WGR8_START(e) "j = " #e " * 256 + t; jm = j > 0 ? j - 1 : 0;\n" \
    "if (j < nv) { if (j == 0 || ((buf[" WGR8_SW("jm") "] >> (unsigned int)sh) & 255u) != d" #e ") cnt[(int)d" #e "] = (unsigned int)(ofs[(int)d" #e " * nb + b] - j); }\n"
#define WGR8_OUTK(e) "j = " #e " * 256 + t; if (j < nv) { int ps = (int)cnt[(int)d" #e "] + j; y[ps] = k" #e "; }\n"
#define WGR8_OUTP(e) "j = " #e " * 256 + t; if (j < nv) { int ps = (int)cnt[(int)d" #e "] + j;\n" \
    "  y[ps] = nk != 0 ? (unsigned int)(p" #e " / nk) : k" #e "; yp[ps] = p" #e "; }\n"
/* One round of the tile's stable split by a 4-bit nibble.  Point t's 16 nibble counters, 16
 * bits each, are the 8 words cnt[w * 256 + tx] (word w: nibbles 2w, 2w + 1), tx = t ^ (t >> 5)
 * (a swizzle within each 32 words, so that both the points' own accesses and the scan's runs of
 * 8 columns hit 32 different banks).  The exclusive scan of each word's row over the 256 points
 * is a raking scan in 4 barriers (it was Hillis-Steele's, 18 barriers and ~190 workgroup-memory
 * accesses a point a round: the H100 ran a scatter pass at ~430 GB/s, docs/sorting.md): point
 * (rr, sg) = (t / 32, t % 32) sums row rr's columns 8 sg .. 8 sg + 7 into its slot rk of buf, 8
 * points scan the 32 sums of their row serially (buf[256 + rr]: the row's total), and point
 * (rr, sg) rewrites its 8 columns as exclusive prefixes plus the tile's base of the row's two
 * nibbles (every nibble below them, from the totals).  The slots are rotated by the row (rk =
 * 32 rr + (sg + rr) % 32) so that the 8 serial scanners read 8 banks, not one.  buf is free
 * then: the exchange of keys through it comes after the rank (and the previous exchange's reads
 * before a barrier). */
#define WGR8_SX(c) "((" c ") ^ ((" c ") >> 5))"
/* The serial parts load 8 words into a0..a7 before storing any: a loop of load, store, add was
 * a chain of 32 (or 8) dependent workgroup-memory round trips while the rest of the workgroup
 * waited at the barrier; the loads of a group of 8 now issue back to back. */
#define WGR_X8A(M, O) M(0, O) M(1, O) M(2, O) M(3, O) M(4, O) M(5, O) M(6, O) M(7, O)
#define WGR8_SLOAD(q, O) "a" #q " = buf[t * 32 + ((" O " + " #q " + t) & 31)];\n"
#define WGR8_SSTORE(q, O) "buf[t * 32 + ((" O " + " #q " + t) & 31)] = ra; ra += a" #q ";\n"
#define WGR8_SCAN8(O) WGR_X8A(WGR8_SLOAD, O) WGR_X8A(WGR8_SSTORE, O)
#define WGR8_CLOAD(q, O) "a" #q " = cnt[rr * 256 + " WGR8_SX("sg + " #q) "];\n"
#define WGR8_CSTORE(q, O) "cnt[rr * 256 + " WGR8_SX("sg + " #q) "] = ra; ra += a" #q ";\n"
/* The serial parts as loops (the form before the loads were grouped): the cpu executor runs the
 * grouped form's 8 locals and unrolled statements a third slower for the whole sort (2^16:
 * 0.22 against 0.34 s; it pays per statement and lane, and has no latency to hide), so its
 * scatters keep the loops (WGR_SCATTERS1's _cpu structs). */
#define WGR8_SER_U                                                                               \
    WGR8_SCAN8("0") WGR8_SCAN8("8") WGR8_SCAN8("16") WGR8_SCAN8("24")
#define WGR8_CSER_U WGR_X8A(WGR8_CLOAD, "") WGR_X8A(WGR8_CSTORE, "")
#define WGR8_SER_L                                                                               \
    "  for (int q = 0; q < 32; q++) { int ix = t * 32 + ((q + t) & 31); unsigned int av = buf[ix]; buf[ix] = ra; ra += av; }\n"
#define WGR8_CSER_L                                                                              \
    "for (int q = 0; q < 8; q++) { int ix = rr * 256 + " WGR8_SX("sg + q") "; unsigned int av = cnt[ix]; cnt[ix] = ra; ra += av; }\n"
/* the middle of a round (MID below), from the first barrier to ra, the point's exclusive prefix
 * plus the nibbles' base: the raking scan's, the 32 sums of a row scanned by one point (SER) */
#define WGR8_MID_R(SER)                                                                          \
    "ra = 0u;\n"                                                                                 \
    "for (int q = 0; q < 8; q++) ra += cnt[rr * 256 + " WGR8_SX("sg + q") "];\n"                 \
    "buf[rk] = ra;\n"                                                                            \
    "__wg_barrier();\n"                                                                         \
    "if (t < 8) {\n"                                                                             \
    "  ra = 0u;\n"                                                                               \
    SER                                                                                          \
    "  buf[256 + t] = ra;\n"                                                                     \
    "}\n"                                                                                        \
    "__wg_barrier();\n"                                                                         \
    "r = 0u;\n"                                                                                  \
    "for (int q = 0; q < rr; q++) { unsigned int sv = buf[256 + q]; r += (sv & 65535u) + (sv >> 16u); }\n" \
    "ra = buf[rk] + (r | ((r + (buf[256 + rr] & 65535u)) << 16u));\n"
/* ... and by warps (session 14): a row's 32 points (rr = t / 32) are one warp, so the row's scan
 * is the warp's inclusive scan by __shfl_up_sync (5 shuffles; lane 31 holds the row's total):
 * one barrier less and no serial part (8 points, 32 dependent steps, while 248 wait).  On a
 * device whose subgroups are warps the shuffles are subgroup operations (docs/kernels.md, "Warp
 * intrinsics"); elsewhere each is an exchange through workgroup memory with two barriers, exact
 * but slower than the raking scan, so only such devices take it by default (wgr_warp). */
#define WGR8_MID_W                                                                               \
    "ra = 0u;\n"                                                                                 \
    "for (int q = 0; q < 8; q++) ra += cnt[rr * 256 + " WGR8_SX("sg + q") "];\n"                 \
    "r = ra;\n"                                                                                  \
    "for (int o = 1; o < 32; o <<= 1) { cv = __shfl_up_sync(4294967295u, r, o); if ((t & 31) >= o) r += cv; }\n" \
    "if ((t & 31) == 31) buf[256 + rr] = r;\n"                                                   \
    "ra = r - ra;\n"                                                                             \
    "__wg_barrier();\n"                                                                         \
    "r = 0u;\n"                                                                                  \
    "for (int q = 0; q < rr; q++) { unsigned int sv = buf[256 + q]; r += (sv & 65535u) + (sv >> 16u); }\n" \
    "ra = ra + (r | ((r + (buf[256 + rr] & 65535u)) << 16u));\n"
#define WGR8_ROUND_(X, CNT, RANK, MID, CSER)                                                     \
    "cnt[tx] = 0u; cnt[256 + tx] = 0u; cnt[512 + tx] = 0u; cnt[768 + tx] = 0u;\n"                \
    "cnt[1024 + tx] = 0u; cnt[1280 + tx] = 0u; cnt[1536 + tx] = 0u; cnt[1792 + tx] = 0u;\n"      \
    X(CNT)                                                                                       \
    "__wg_barrier();\n"                                                                         \
    MID                                                                                          \
    CSER                                                                                         \
    "__wg_barrier();\n"                                                                         \
    X(RANK)
/* TN: the tile (buf's words), EP: elements a point, as C string literals */
#define WGR8_HEAD(X, TN, EP)                                                                     \
    "__shared__ unsigned int cnt[2048]; __shared__ unsigned int buf[" TN "];\n"                  \
    "int ep = " EP "; int t = i & 255; int b = i >> 8; int base = b * " TN ";\n"                 \
    "int tx = t ^ (t >> 5); int rr = t >> 5; int sg = (t & 31) * 8; int rk = rr * 32 + (((t & 31) + rr) & 31);\n" \
    "int nv = total - base; if (nv > " TN ") nv = " TN ";\n"                                     \
    "unsigned int r = 0u; unsigned int ra = 0u; int dn = 0; int w = 0; unsigned int sf = 0u; unsigned int cv = 0u;\n" \
    "int j = 0; int jm = 0;\n"                                                                   \
    "unsigned int a0 = 0u; unsigned int a1 = 0u; unsigned int a2 = 0u; unsigned int a3 = 0u;\n"  \
    "unsigned int a4 = 0u; unsigned int a5 = 0u; unsigned int a6 = 0u; unsigned int a7 = 0u;\n"  \
    X(WGR8_DECL)
/* keys alone, up to the store: the sorted tile's keys k0.. (elements e * 256 + t), cnt[d] their
 * digit's global offset minus its position in the tile */
#define WGR8_SORTK_(X, TN, EP, HX, H, LB, START, MID, CSER)                                                 \
    WGR8_HEAD(X, TN, EP) HX WGR8_LOADK_ALL(X) X(WGR8_DIG) H                                      \
    WGR8_ROUND_(X, WGR8_CNT_LO, WGR8_RANK_LO, MID, CSER)                                         \
    X(WGR8_PUTK) "__wg_barrier();\n" X(WGR8_GETK) X(WGR8_DIG) "__wg_barrier();\n"              \
    WGR8_ROUND_(X, WGR8_CNT_HI, WGR8_RANK_HI, MID, CSER) LB                                      \
    X(WGR8_PUTK) "__wg_barrier();\n" X(WGR8_GETK2) X(WGR8_DIG)                                  \
    X(START) "__wg_barrier();\n"
/* the same with the payload: keys k0.. and payloads p0.. */
#define WGR8_SORTP_(X, TN, EP, HX, H, LB, START, MID, CSER)                                                 \
    WGR8_HEAD(X, TN, EP) HX WGR8_LOADK_ALL(X) WGR8_LOADP_ALL(X) X(WGR8_DIG) H                    \
    WGR8_ROUND_(X, WGR8_CNT_LO, WGR8_RANK_LO, MID, CSER)                                         \
    X(WGR8_PUTK) "__wg_barrier();\n" X(WGR8_GETK) X(WGR8_DIG) "__wg_barrier();\n"              \
    X(WGR8_PUTP) "__wg_barrier();\n" X(WGR8_GETP) "__wg_barrier();\n"                          \
    WGR8_ROUND_(X, WGR8_CNT_HI, WGR8_RANK_HI, MID, CSER) LB                                      \
    X(WGR8_PUTK) "__wg_barrier();\n" X(WGR8_GETK2) X(WGR8_DIG)                                  \
    X(START) "__wg_barrier();\n"                                                                \
    X(WGR8_PUTP) "__wg_barrier();\n" X(WGR8_GETP2)
#define WGR8_SORTK(X, TN, EP, MID) WGR8_SORTK_(X, TN, EP, "", "", "", WGR8_START, MID, WGR8_CSER_U)
#define WGR8_SORTP(X, TN, EP, MID) WGR8_SORTP_(X, TN, EP, "", "", "", WGR8_START, MID, WGR8_CSER_U)

/* The tile ranked by warps in one round of 8 bits (session 14, WGPY_RADIX_WARP=2; CUB's warp
 * multi-split): warp w (rr) holds elements w * 32 ep + e * 32 + lane (coalesced loads, no pass
 * through buf), so the tile's order is (warp, element, lane).  For each of its ep elements a
 * point finds its peers (the lanes of its warp with the same digit: 8 ballots, one a bit), the
 * lowest peer adds their number to the warp's counter of the digit (cnt[w * 256 + d], an
 * atomicAdd whose old value is the warp's count of the digit so far) and shuffles that to its
 * peers; the rank is that plus the peers below the lane.  Then digit t's 8 warp counters
 * become exclusive prefixes plus the digit's base in the tile (a warp scan of the digits'
 * totals), each element's rank adds its warp's, and the keys (payloads) go through buf as in
 * the nibble rounds.  Against the two 4-bit rounds: one round, no per-point counter columns,
 * ~3x fewer workgroup-memory accesses.  Where warps are subgroups a ballot is one instruction;
 * elsewhere each is five exchanges (ten barriers): exact, slow, for tests. */
#define WGRM_LOADK(e) "j = rr * (32 * ep) + " #e " * 32 + ln; if (j < nv) k" #e " = k[base + j];\n"
#define WGRM_LOADP(e) "j = rr * (32 * ep) + " #e " * 32 + ln; if (pid != 0) p" #e " = base + j; else if (j < nv) p" #e " = p[base + j];\n"
#define WGRM_BIT(e, B) "cv = __ballot_sync(4294967295u, (d" #e " >> " #B "u) & 1u); pm &= ((d" #e " >> " #B "u) & 1u) != 0u ? cv : ~cv;\n"
#define WGRM_RANK(e)                                                                             \
    "pm = 4294967295u;\n"                                                                        \
    WGRM_BIT(e, 0) WGRM_BIT(e, 1) WGRM_BIT(e, 2) WGRM_BIT(e, 3)                                  \
    WGRM_BIT(e, 4) WGRM_BIT(e, 5) WGRM_BIT(e, 6) WGRM_BIT(e, 7)                                  \
    "ld = __ffs(pm) - 1; pr = 0u;\n"                                                             \
    "if (ln == ld) pr = atomicAdd(&cnt[(rr << 8) + (int)d" #e "], (unsigned int)__popc(pm));\n"  \
    "pr = __shfl_sync(4294967295u, pr, ld);\n"                                                   \
    "pos" #e " = (int)pr + __popc(pm & lt);\n"
#define WGRM_FIN(e) "pos" #e " += (int)cnt[(rr << 8) + (int)d" #e "];\n"
#define WGRM_DECL                                                                                \
    "__shared__ unsigned int wt[8];\n"                                                           \
    "int ln = t & 31; unsigned int lt = (1u << (unsigned int)ln) - 1u; unsigned int pm = 0u; unsigned int pr = 0u; int ld = 0;\n"
#define WGRM_RANKALL(X)                                                                          \
    "for (j = t; j < 2048; j += 256) cnt[j] = 0u;\n"                                             \
    "__wg_barrier();\n"                                                                         \
    X(WGRM_RANK)                                                                                 \
    "__wg_barrier();\n"                                                                         \
    "ra = 0u;\n"                                                                                 \
    "for (int q = 0; q < 8; q++) { cv = cnt[(q << 8) + t]; cnt[(q << 8) + t] = ra; ra += cv; }\n" \
    "r = ra;\n"                                                                                  \
    "for (int o = 1; o < 32; o <<= 1) { cv = __shfl_up_sync(4294967295u, r, o); if (ln >= o) r += cv; }\n" \
    "if (ln == 31) wt[rr] = r;\n"                                                                \
    "__wg_barrier();\n"                                                                         \
    "sf = 0u; for (int q = 0; q < rr; q++) sf += wt[q];\n"                                       \
    "r = r - ra + sf;\n"                                                                         \
    "for (int q = 0; q < 8; q++) cnt[(q << 8) + t] += r;\n"                                      \
    "__wg_barrier();\n"                                                                         \
    X(WGRM_FIN)
#define WGRM_SORTK(X, TN, EP)                                                                    \
    WGR8_HEAD(X, TN, EP) WGRM_DECL X(WGRM_LOADK) X(WGR8_DIG) WGRM_RANKALL(X)                               \
    X(WGR8_PUTK) "__wg_barrier();\n" X(WGR8_GETK2) X(WGR8_DIG)                                  \
    X(WGR8_START) "__wg_barrier();\n"
#define WGRM_SORTP(X, TN, EP)                                                                    \
    WGR8_HEAD(X, TN, EP) WGRM_DECL X(WGRM_LOADK) X(WGRM_LOADP) X(WGR8_DIG) WGRM_RANKALL(X)                 \
    X(WGR8_PUTK) "__wg_barrier();\n" X(WGR8_GETK2) X(WGR8_DIG)                                  \
    X(WGR8_START) "__wg_barrier();\n"                                                           \
    X(WGR8_PUTP) "__wg_barrier();\n" X(WGR8_GETP2)

/* One sweep a pass (session 13; docs/sorting.md, "One sweep"): the scatter finds its tile's
 * digit offsets itself, by a decoupled look-back over the tiles before it (CUB's onesweep), so
 * that a pass is one launch (no count launch, no row scan).  The status of (tile b, digit d) is
 * one word of st, row b + 1 (row 0: the pass's exclusive global digit bases, k_gscan), flag in
 * bits 30-31 (0 not yet, 1 the tile's count, 2 the inclusive prefix) and the value below: one
 * word, so a reader sees a whole state and relaxed atomics suffice.  The tile's counts (hc,
 * 4 copies a digit; a point's runs of one digit added once, so a tile of one digit costs 256
 * adds, not 4096) are published right after the keys are loaded, the look-back comes after the
 * tile's sort, when the tiles before have mostly published.  WebGPU promises no progress
 * between workgroups, so the look-back never waits: a point that finds a tile's word not yet
 * written counts that tile's digit itself from the pass's input keys (slow, rare) and goes on.
 * ap == 0 publishes no counts, only the prefixes, so that the look-backs mostly count: for the
 * tests (WGPY_RADIX_LOOKBACK=count). */
#define WGR8_HX(TN)                                                                              \
    "__shared__ unsigned int hc[1024];\n"                                                        \
    "unsigned int dp = 0u; unsigned int rc = 0u; unsigned int lv = 0u; unsigned int lx = 0u; unsigned int hv = 0u; int lj = 0;\n" \
    "for (j = t; j < 1024; j += 256) hc[j] = 0u;\n"
#define WGR8_HRUN(e)                                                                             \
    "if (" #e " > 0 && d" #e " != dp) { if (rc != 0u) atomicAdd(&hc[((int)dp << 2) + (t & 3)], rc); rc = 0u; }\n" \
    "dp = d" #e "; if (t * ep + " #e " < nv) rc += 1u;\n"
#define WGR8_H(X)                                                                                \
    X(WGR8_HRUN) "if (rc != 0u) atomicAdd(&hc[((int)dp << 2) + (t & 3)], rc);\n"                 \
    "__wg_barrier();\n"                                                                         \
    "hv = hc[t << 2] + hc[(t << 2) + 1] + hc[(t << 2) + 2] + hc[(t << 2) + 3];\n"                \
    "if (ap != 0) atomicAdd(&st[so + (b + 1) * 256 + t], 1073741824u + hv);\n"
/* digit t's global offset for this tile into hc[t] (read by WGR8_START1 after a barrier) */
#define WGR8_LB(TN)                                                                              \
    "lv = 0u; lj = b;\n"                                                                         \
    "while (lj >= 0) {\n"                                                                        \
    "  lx = atomicAdd(&st[so + lj * 256 + t], 0u);\n"                                            \
    "  if ((lx >> 30u) == 2u) { lv += lx & 1073741823u; break; }\n"                              \
    "  if ((lx >> 30u) == 1u) lv += lx & 1073741823u;\n"                                         \
    "  else { int q1 = lj * " TN "; if (q1 > total) q1 = total;\n"                               \
    "    for (int q = (lj - 1) * " TN "; q < q1; q++) if (((k[q] >> (unsigned int)sh) & 255u) == (unsigned int)t) lv += 1u; }\n" \
    "  lj--;\n"                                                                                  \
    "}\n"                                                                                        \
    "atomicAdd(&st[so + (b + 1) * 256 + t], (ap != 0 ? 1073741824u : 2147483648u + hv) + lv);\n" \
    "hc[t] = lv;\n"
/* The look-back as session 15 runs it (WGR8_SORTK1E / _P1E: by default): right after the tile
 * publishes its counts, before its sort, reading the words of 8 tiles before it at once (8
 * relaxed atomic loads in flight, CUB's windowed look-back), and re-reading a word still 0 up
 * to 64 times before counting that tile itself.  Why: session 14's H100 call measured the
 * late look-back (WGR8_LB, after the sort) at 11.8 ms a sort of 2^24 against 2.65 in session 13:
 * every resident tile ends its sort at about the same moment and then walks back one word at a
 * time (an L2 round trip each) through all the tiles that have only published counts (a
 * prefix appears only once a tile's own look-back is done), so a wave's look-backs are a chain
 * of ~resident-tiles round trips; looking back early lets the prefixes follow the tiles'
 * starts, and the window cuts the round trips 8-fold.  The spin is bounded, so a tile whose
 * predecessor is not running (no forward progress in WebGPU: SwiftShader's fibers) still ends,
 * by counting.  The barrier orders the hc reads of WGR8_H before hc[t] is written. */
#define WGR8_LBQ(TN, q)                                                                          \
    "if (lf == 0) {\n"                                                                          \
    "  lx = lw" #q ";\n"                                                                        \
    "  for (int sp = 0; sp < 64 && (lx >> 30u) == 0u; sp++) lx = atomicAdd(&st[so + lj * 256 + t], 0u);\n" \
    "  if ((lx >> 30u) == 0u) { int q1 = lj * " TN "; if (q1 > total) q1 = total;\n"          \
    "    for (int q = (lj - 1) * " TN "; q < q1; q++) if (((k[q] >> (unsigned int)sh) & 255u) == (unsigned int)t) lv += 1u; }\n" \
    "  else lv += lx & 1073741823u;\n"                                                          \
    "  if ((lx >> 30u) == 2u) lf = 1; else lj--;\n"                                             \
    "}\n"
#define WGR8_LBR(q) "lw" #q " = atomicAdd(&st[so + (lj >= " #q " ? lj - " #q " : 0) * 256 + t], 0u);\n"
#define WGR8_LBD(q) "unsigned int lw" #q " = 0u;\n"
#define WGR8_LBW(TN)                                                                             \
    WGR8_LBD(0) WGR8_LBD(1) WGR8_LBD(2) WGR8_LBD(3) WGR8_LBD(4) WGR8_LBD(5) WGR8_LBD(6) WGR8_LBD(7) \
    "int lf = 0; lv = 0u; lj = b;\n"                                                            \
    "while (lf == 0) {\n"                                                                       \
    WGR8_LBR(0) WGR8_LBR(1) WGR8_LBR(2) WGR8_LBR(3) WGR8_LBR(4) WGR8_LBR(5) WGR8_LBR(6) WGR8_LBR(7) \
    WGR8_LBQ(TN, 0) WGR8_LBQ(TN, 1) WGR8_LBQ(TN, 2) WGR8_LBQ(TN, 3)                               \
    WGR8_LBQ(TN, 4) WGR8_LBQ(TN, 5) WGR8_LBQ(TN, 6) WGR8_LBQ(TN, 7)                               \
    "}\n"                                                                                       \
    "atomicAdd(&st[so + (b + 1) * 256 + t], (ap != 0 ? 1073741824u : 2147483648u + hv) + lv);\n" \
    "__wg_barrier();\n"                                                                        \
    "hc[t] = lv;\n"
#define WGR8_START1(e) "j = " #e " * 256 + t; jm = j > 0 ? j - 1 : 0;\n" \
    "if (j < nv) { if (j == 0 || ((buf[" WGR8_SW("jm") "] >> (unsigned int)sh) & 255u) != d" #e ") cnt[(int)d" #e "] = hc[(int)d" #e "] - (unsigned int)j; }\n"
#define WGR8_SORTK1(X, TN, EP, MID, CSER) WGR8_SORTK_(X, TN, EP, WGR8_HX(TN), WGR8_H(X), WGR8_LB(TN), WGR8_START1, MID, CSER)
#define WGR8_SORTP1(X, TN, EP, MID, CSER) WGR8_SORTP_(X, TN, EP, WGR8_HX(TN), WGR8_H(X), WGR8_LB(TN), WGR8_START1, MID, CSER)
#define WGR8_SORTK1E(X, TN, EP, MID, CSER) WGR8_SORTK_(X, TN, EP, WGR8_HX(TN), WGR8_H(X) WGR8_LBW(TN), "", WGR8_START1, MID, CSER)
#define WGR8_SORTP1E(X, TN, EP, MID, CSER) WGR8_SORTP_(X, TN, EP, WGR8_HX(TN), WGR8_H(X) WGR8_LBW(TN), "", WGR8_START1, MID, CSER)
/* The last pass stores what the caller wants instead of keys and payloads, so nothing is stored
 * only to be read once more by a launch of its own: a values-only sort stores the input at the
 * payload (the gather, here: the values bit for bit, NaN payloads and -0.0 included), an
 * argsort the payload (its column p % nk for batches, nk != 0); keys alone the values from the
 * keys (wg_unkey, below). */
#define WGR8_OUTV(e) "j = " #e " * 256 + t; if (j < nv) { int ps = (int)cnt[(int)d" #e "] + j; y[ps] = x[p" #e "]; }\n"
#define WGR8_OUTI(e) "j = " #e " * 256 + t; if (j < nv) { int ps = (int)cnt[(int)d" #e "] + j;\n" \
    "  yp[ps] = nk != 0 ? p" #e " % nk : p" #e "; }\n"
/* keys alone of int32 (session 15): the key is the value plus 2^31 (mod 2^32), a bijection, so
 * the last pass stores the values from the keys as floats do (uint32 keys are the values: the
 * plain keys-alone scatter stores them) */
#define WGR8_OUTKI(e) "j = " #e " * 256 + t; if (j < nv) { int ps = (int)cnt[(int)d" #e "] + j; y[ps] = (int)(k" #e " ^ 2147483648u); }\n"
#define WGR8_OUTF(e) "j = " #e " * 256 + t; if (j < nv) { int ps = (int)cnt[(int)d" #e "] + j; y[ps] = wg_unkey(k" #e "); }\n"
/* the float32 of keys-alone key v (the inverse of WGR_KEY_FK, below): a preamble function of the
 * keys-alone last scatter */
#define WGR_UNKEY_FN \
    "__device__ float wg_unkey(unsigned int v) {\n" \
    "unsigned int w = v + 8388607u;\n" \
    "return __uint_as_float((w >> 31) != 0u ? w & 2147483647u : ~w);\n}\n"

/* One tile size's five scatters: keys alone (_k), with the payload (_p; nk != 0: the next passes
 * sort by row, so the key stored is the row p / nk), and the last pass's values (_v), indices
 * (_i) and keys-alone values (_kf). */
typedef struct {
    wgP_libk k, p, v, i, kf, ki;
} wgr_scatters;
#define WGR_SCATTERS_(var, NM, X, SK, SP, LP)                                                       \
    static const wgr_scatters var = {                                                            \
        .k = {.name = "wg_radix_scatter" NM "_k",                                                \
              .in_params = "raw uint32 k, raw int32 ofs, int32 total, int32 sh, int32 nb, int32 tl",        \
              .out_params = "raw uint32 y", .operation = SK X(WGR8_OUTK),      \
              .preamble = "", .loop_prep = LP},                                   \
        .p = {.name = "wg_radix_scatter" NM,                                                     \
              .in_params = "raw uint32 k, raw int32 p, raw int32 ofs, int32 total, int32 sh, int32 nb, int32 nk, int32 pid, int32 tl", \
              .out_params = "raw uint32 y, raw int32 yp", .operation = SP X(WGR8_OUTP), \
              .preamble = "", .loop_prep = LP},                                   \
        .v = {.name = "wg_radix_scatter" NM "_v",                                                \
              .in_params = "raw uint32 k, raw int32 p, raw T x, raw int32 ofs, int32 total, int32 sh, int32 nb, int32 pid, int32 tl", \
              .out_params = "raw T y", .operation = SP X(WGR8_OUTV),           \
              .preamble = "", .loop_prep = LP},                                   \
        .i = {.name = "wg_radix_scatter" NM "_i",                                                \
              .in_params = "raw uint32 k, raw int32 p, raw int32 ofs, int32 total, int32 sh, int32 nb, int32 nk, int32 pid, int32 tl", \
              .out_params = "raw int32 yp", .operation = SP X(WGR8_OUTI),      \
              .preamble = "", .loop_prep = LP},                                   \
        .kf = {.name = "wg_radix_scatter" NM "_kf",                                              \
               .in_params = "raw uint32 k, raw int32 ofs, int32 total, int32 sh, int32 nb, int32 tl",       \
               .out_params = "raw float32 y", .operation = SK X(WGR8_OUTF),    \
               .preamble = WGR_UNKEY_FN, .loop_prep = LP},                                       \
        .ki = {.name = "wg_radix_scatter" NM "_ki",                                              \
               .in_params = "raw uint32 k, raw int32 ofs, int32 total, int32 sh, int32 nb, int32 tl",       \
               .out_params = "raw int32 y", .operation = SK X(WGR8_OUTKI),    \
               .preamble = "", .loop_prep = LP}}
#define WGR_SCATTERS(var, NM, X, TN, EP, MID, LP) WGR_SCATTERS_(var, NM, X, WGR8_SORTK(X, TN, EP, MID), WGR8_SORTP(X, TN, EP, MID), LP)
WGR_SCATTERS(k_scat2048, "8", WGR_X8, "2048", "8", WGR8_MID_R(WGR8_SER_U), WGR_LP);
WGR_SCATTERS(k_scat4096, "16", WGR_X16, "4096", "16", WGR8_MID_R(WGR8_SER_U), WGR_LP);
/* the same with the rows scanned by warps (WGR8_MID_W) */
WGR_SCATTERS(k_scat2048w, "8w", WGR_X8, "2048", "8", WGR8_MID_W, WGR_LPC);
WGR_SCATTERS(k_scat4096w, "16w", WGR_X16, "4096", "16", WGR8_MID_W, WGR_LPC);
/* ranked by warps in one round (WGRM_SORTK / _P; WGPY_RADIX_WARP=2) */
WGR_SCATTERS_(k_scat2048m, "8m", WGR_X8, WGRM_SORTK(WGR_X8, "2048", "8"), WGRM_SORTP(WGR_X8, "2048", "8"), WGR_LPC);
WGR_SCATTERS_(k_scat4096m, "16m", WGR_X16, WGRM_SORTK(WGR_X16, "4096", "16"), WGRM_SORTP(WGR_X16, "4096", "16"), WGR_LPC);
/* the one-sweep scatters (WGR8_SORTK1 / _P1): the tile offsets from st instead of ofs; so: the
 * pass's first word of st */
#define WGR_SCATTERS1(var, NM, X, TN, EP, MID, CSER, LP, SK1, SP1)                                                        \
    static const wgr_scatters var = {                                                            \
        .k = {.name = "wg_radix_sweep" NM "_k",                                                  \
              .in_params = "raw uint32 k, int32 total, int32 sh, int32 so, int32 ap, int32 tl",            \
              .out_params = "raw uint32 y, raw uint32 st", .operation = SK1(X, TN, EP, MID, CSER) X(WGR8_OUTK), \
              .preamble = "", .loop_prep = LP},                                   \
        .p = {.name = "wg_radix_sweep" NM,                                                       \
              .in_params = "raw uint32 k, raw int32 p, int32 total, int32 sh, int32 so, int32 ap, int32 nk, int32 pid, int32 tl", \
              .out_params = "raw uint32 y, raw int32 yp, raw uint32 st", .operation = SP1(X, TN, EP, MID, CSER) X(WGR8_OUTP), \
              .preamble = "", .loop_prep = LP},                                   \
        .v = {.name = "wg_radix_sweep" NM "_v",                                                  \
              .in_params = "raw uint32 k, raw int32 p, raw T x, int32 total, int32 sh, int32 so, int32 ap, int32 pid, int32 tl", \
              .out_params = "raw T y, raw uint32 st", .operation = SP1(X, TN, EP, MID, CSER) X(WGR8_OUTV), \
              .preamble = "", .loop_prep = LP},                                   \
        .i = {.name = "wg_radix_sweep" NM "_i",                                                  \
              .in_params = "raw uint32 k, raw int32 p, int32 total, int32 sh, int32 so, int32 ap, int32 nk, int32 pid, int32 tl", \
              .out_params = "raw int32 yp, raw uint32 st", .operation = SP1(X, TN, EP, MID, CSER) X(WGR8_OUTI), \
              .preamble = "", .loop_prep = LP},                                   \
        .kf = {.name = "wg_radix_sweep" NM "_kf",                                                \
               .in_params = "raw uint32 k, int32 total, int32 sh, int32 so, int32 ap, int32 tl",           \
               .out_params = "raw float32 y, raw uint32 st", .operation = SK1(X, TN, EP, MID, CSER) X(WGR8_OUTF), \
               .preamble = WGR_UNKEY_FN, .loop_prep = LP},                                       \
        .ki = {.name = "wg_radix_sweep" NM "_ki",                                                \
               .in_params = "raw uint32 k, int32 total, int32 sh, int32 so, int32 ap, int32 tl",           \
               .out_params = "raw int32 y, raw uint32 st", .operation = SK1(X, TN, EP, MID, CSER) X(WGR8_OUTKI), \
               .preamble = "", .loop_prep = LP}}
WGR_SCATTERS1(k_sweep2048, "8", WGR_X8, "2048", "8", WGR8_MID_R(WGR8_SER_U), WGR8_CSER_U, WGR_LP, WGR8_SORTK1E, WGR8_SORTP1E);
WGR_SCATTERS1(k_sweep4096, "16", WGR_X16, "4096", "16", WGR8_MID_R(WGR8_SER_U), WGR8_CSER_U, WGR_LP, WGR8_SORTK1E, WGR8_SORTP1E);
WGR_SCATTERS1(k_sweep2048_cpu, "8c", WGR_X8, "2048", "8", WGR8_MID_R(WGR8_SER_L), WGR8_CSER_L, WGR_LPC, WGR8_SORTK1E, WGR8_SORTP1E);
WGR_SCATTERS1(k_sweep2048w, "8w", WGR_X8, "2048", "8", WGR8_MID_W, WGR8_CSER_U, WGR_LPC, WGR8_SORTK1E, WGR8_SORTP1E);
WGR_SCATTERS1(k_sweep4096w, "16w", WGR_X16, "4096", "16", WGR8_MID_W, WGR8_CSER_U, WGR_LPC, WGR8_SORTK1E, WGR8_SORTP1E);
/* session 14's one sweep (the look-back after the sort, one word a step: WGR8_LB), kept for the
 * before/after figures of WGPY_RADIX_LOOKBACK=late in one process */
WGR_SCATTERS1(k_sweep2048L, "8L", WGR_X8, "2048", "8", WGR8_MID_R(WGR8_SER_U), WGR8_CSER_U, WGR_LP, WGR8_SORTK1, WGR8_SORTP1);
WGR_SCATTERS1(k_sweep4096L, "16L", WGR_X16, "4096", "16", WGR8_MID_R(WGR8_SER_U), WGR8_CSER_U, WGR_LP, WGR8_SORTK1, WGR8_SORTP1);
/* the exclusive global digit bases of every pass (workgroup s: pass s's 256 counts of g) as
 * row 0 of the pass's statuses (flag 2: a prefix), where every look-back ends */
WGR_K(k_gscan, "wg_radix_gscan", "raw int32 g, int32 nb", "raw uint32 st",
      "__shared__ int sa[256];\n"
      "int t = i & 255; int s = i >> 8; int v = g[s * 256 + t]; int a = 0;\n"
      "sa[t] = v;\n"
      "__syncthreads();\n"
      "for (int off = 1; off < 256; off <<= 1) {\n"
      "  a = t >= off ? sa[t - off] : 0;\n"
      "  __syncthreads();\n"
      "  sa[t] += a;\n"
      "  __syncthreads();\n"
      "}\n"
      "st[s * (nb + 1) * 256 + t] = 2147483648u + (unsigned int)(sa[t] - v);\n");
/* workgroup memory of the 4096-element tile's scatter: cnt (2048 words) and buf (4096) */
#define WGR_BIG_BYTES (4 * (2048 + 4096))
#define WGR_E_(var, nm, in, out, op)                                                             \
    static const wgP_libk var = {.name = nm, .in_params = in, .out_params = out, .operation = op, \
                                 .preamble = "", .loop_prep = ""}

/* the values: the rows' elements at the sorted flat indices */
WGR_E_(k_gather, "wg_radix_gather", "raw T x, raw int32 p", "T y", "y = x[p[i]];");
/* the column of a flat index (batched rows) */
WGR_E_(k_col, "wg_radix_col", "raw int32 p, int32 n", "int32 c", "c = p[i] % n;");

/* k itself, or (WGPY_RADIX_CHECKED=1) a copy of an __in_range() kernel without the promise: the
 * checked accessors, for before/after figures in one process (bench/h100/s15_sort15.sh).  The
 * copies live as long as the process (the kernel cache is keyed by the description's address). */
static const wgP_libk *wgr_lk(const wgP_libk *k) {
    static struct { const wgP_libk *k; wgP_libk c; } cp[64];
    static int ncp;
    if (!wgB_env_int("WGPY_RADIX_CHECKED", 0) || strcmp(k->loop_prep, WGR_LP)) return k;
    for (int j = 0; j < ncp; j++)
        if (cp[j].k == k) return &cp[j].c;
    if (ncp == 64) return k;
    cp[ncp].k = k;
    cp[ncp].c = *k;
    cp[ncp].c.loop_prep = WGR_LPC;
    return &cp[ncp++].c;
}

static void rel(wg_array *a) {
    if (a) wg_release(a);
}

/* a pass's output replaces its input (keys or payload): *cur takes *next's reference */
static void adopt(wg_array **cur, wg_array **next) {
    wg_release(*cur);
    *cur = *next;
    *next = NULL;
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
    if (be == WG_BACKEND_CPU || be == WG_BACKEND_LOOPBACK)
        return wgB_env_int("WGPY_CPU_STMT_BLOCK", 0) % 256 == 0;
    return be == WG_BACKEND_WEBGPU;
}

/* Elements a point of the radix tiles: 16 (tiles of 4096) where the device's workgroup memory
 * holds the larger scatter (wg_set_workgroup_storage: the hosts pass the adapter's
 * maxComputeWorkgroupStorageSize; 48 KiB on the H100 through Dawn), else 8 (2048, within
 * WebGPU's guaranteed 16 KiB).  WGPY_RADIX_TILE=2048 or 4096 chooses, for before/after figures
 * in one process (bench/h100/s12_radix12.sh); a device without the memory then refuses the
 * kernel by name (the executor's check). */
static int wgr_ep(wg_context *ctx) {
    const char *e = getenv("WGPY_RADIX_TILE");
    if (e && *e) return atoi(e) == 4096 ? 16 : 8;
    return ctx->wg_storage >= WGR_BIG_BYTES ? 16 : 8;
}

/* The one-sweep scatters (WGR_SCATTERS1) need 4 KiB of workgroup memory more than the others
 * (their tile counts, hc).  By default only cpu and loopback take them (fewer launches and a
 * scatter with loops: docs/sorting.md, "Session 13"); on the H100 (session 13's mid-way call,
 * with a storageBarrier() at every barrier, since removed) their pass took 0.60 ms at 2^24
 * against 0.30 + 0.10 (count) + 0.03 (row scan) for the old passes, so webgpu keeps those
 * until the one sweep measures faster there.  WGPY_RADIX_ONESWEEP=1 takes them wherever the
 * device's memory allows, =0 nowhere (before/after figures in one process). */
static int wgr_sweep(wg_context *ctx, int ep, int64_t total) {
    int o = wgB_env_int("WGPY_RADIX_ONESWEEP", -1);
    if (o == 0) return 0;
    if (total >= ((int64_t)1 << 30)) return 0; /* a status word holds 30 bits of count */
    int be = ctx->backend_id;
    if (be == WG_BACKEND_CPU || be == WG_BACKEND_LOOPBACK) return 1;
    return o == 1 && ctx->wg_storage >= 4 * (1024 + 2048 + 256 * ep);
}

/* The scatters whose rows are scanned by warps (WGR8_MID_W): not by default — on the H100, with
 * the shuffles as subgroup operations, their pass was 0.01 ms slower at 2^24 (session 14);
 * WGPY_RADIX_WARP=1 takes them anywhere (the exact workgroup-memory shuffles: tests on cpu and
 * SwiftShader), =0 nowhere (before/after figures in one process); =2 the tiles ranked by warps
 * in one round (WGRM_SORTK; not the one sweep, which keeps its scatters), anywhere. */
static int wgr_warp(wg_context *ctx) {
    /* opt-in: measured slower on the H100 (docs/sorting.md "Session 14") */
    int w = wgB_env_int("WGPY_RADIX_WARP", 0);
    (void)ctx;
    return w == 2 ? 2 : w != 0;
}

/* The scatters load their tiles through workgroup memory (WGR8_TLK), unless WGPY_RADIX_LOAD=0
 * (the direct strided loads, for before/after figures in one process). */
static int wgr_tl(void) {
    return wgB_env_int("WGPY_RADIX_LOAD", 1) != 0;
}

/* keys alone, the last pass: the scatter that stores the values of dtype fdt from the keys */
static const wgP_libk *wgr_kv(const wgr_scatters *sc, int fdt) {
    return fdt == WG_FLOAT32 ? &sc->kf : fdt == WG_INT32 ? &sc->ki : &sc->k;
}

/* One pass of the one-sweep scatters (WGR_SCATTERS1): as pass() below, in one launch. */
static int sweep(wg_context *ctx, const wgr_scatters *sc, wg_array **k, wg_array **p, int64_t total,
                 int sh, int64_t so, int nk, wg_array **fv, wg_array *xv, wg_array **out, wg_array *st,
                 int pid, int fdt) {
    int64_t tn = 256 * (int64_t)(sc == &k_sweep4096 || sc == &k_sweep4096w || sc == &k_sweep4096L ? 16 : 8), nb = (total + tn - 1) / tn, sh1 = total;
    const char *e = getenv("WGPY_RADIX_LOOKBACK");
    wg_array *tt = wgP_i32(ctx, (int32_t)total), *ss = wgP_i32(ctx, sh), *oo = wgP_i32(ctx, (int32_t)so),
             *ap = wgP_i32(ctx, !(e && !strcmp(e, "count"))),
             *kk = wgP_i32(ctx, nk), *pi = wgP_i32(ctx, pid), *tl = wgP_i32(ctx, wgr_tl());
    wg_array *y = NULL, *yp = NULL;
    int st_ = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (!tt || !ss || !oo || !ap || !kk || !pi || !tl) goto done;
    if (out && p) {
        y = wg_empty(ctx, xv ? xv->dtype : WG_INT32, 1, &sh1);
        st_ = y ? WG_OK : ctx->status ? ctx->status : WG_ERR_MEMORY;
        if (!st_ && xv) {
            wg_array *args[11] = {*k, *p, xv, tt, ss, oo, ap, pi, tl, y, st};
            st_ = wgP_libk_launch(ctx, wgr_lk(&sc->v), 11, args, nb * 256, NULL);
        } else if (!st_) {
            wg_array *args[11] = {*k, *p, tt, ss, oo, ap, kk, pi, tl, y, st};
            st_ = wgP_libk_launch(ctx, wgr_lk(&sc->i), 11, args, nb * 256, NULL);
        }
        if (!st_) {
            *out = y;
            y = NULL;
        }
        goto done;
    }
    y = wg_empty(ctx, fv ? fdt : WG_UINT32, 1, &sh1);
    yp = p ? wg_empty(ctx, WG_INT32, 1, &sh1) : NULL;
    st_ = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (!y || (p && !yp)) goto done;
    if (fv) { /* keys alone, last pass: the values themselves */
        wg_array *args[8] = {*k, tt, ss, oo, ap, tl, y, st};
        st_ = wgP_libk_launch(ctx, wgr_lk(wgr_kv(sc, fdt)), 8, args, nb * 256, NULL);
        if (!st_) {
            *fv = y;
            y = NULL;
        }
        goto done;
    }
    if (p) {
        wg_array *args[12] = {*k, *p, tt, ss, oo, ap, kk, pi, tl, y, yp, st};
        st_ = wgP_libk_launch(ctx, wgr_lk(&sc->p), 12, args, nb * 256, NULL);
    } else {
        wg_array *args[8] = {*k, tt, ss, oo, ap, tl, y, st};
        st_ = wgP_libk_launch(ctx, wgr_lk(&sc->k), 8, args, nb * 256, NULL);
    }
    if (st_) goto done;
    adopt(k, &y);
    if (p) adopt(p, &yp);
done:
    rel(tt);
    rel(ss);
    rel(oo);
    rel(ap);
    rel(kk);
    rel(pi);
    rel(tl);
    rel(y);
    rel(yp);
    return st_;
}

/* One pass: sort (*k, *p) stably by the 8-bit digit of the key at shift sh.  hist0: the pass's
 * tile counts when k_hist_* made them (pass 0, whose payloads are the identity, computed in
 * the scatter: *p is then a placeholder), else NULL (a count launch); g, goff: the
 * global digit counts of the pass; nk != 0: store the row p / nk as the next passes' key.
 * Replaces *k and *p (p NULL: keys alone).  out (the last pass, with p): stores only the
 * result there instead: the values xv[p] (xv given) or the payload (p % nk where nk != 0). */
static int pass(wg_context *ctx, wg_array **k, wg_array **p, int64_t total, int sh,
                wg_array *hist0, wg_array *g, int goff, int nk, wg_array **fv, wg_array *xv,
                wg_array **out, int ep, wg_array *sw, int64_t so, int fdt) {
    int64_t tn = 256 * (int64_t)ep, nb = (total + tn - 1) / tn, hn = 256 * nb, sh1 = total;
    int cpu = ctx->backend_id == WG_BACKEND_CPU || ctx->backend_id == WG_BACKEND_LOOPBACK;
    int wp = wgr_warp(ctx);
    const char *lb = getenv("WGPY_RADIX_LOOKBACK");
    int late = lb && !strcmp(lb, "late") && !wp && !cpu;
    const wgr_scatters *sc = sw ? (late ? (ep == 16 ? &k_sweep4096L : &k_sweep2048L)
                                  : ep == 16 ? (wp ? &k_sweep4096w : &k_sweep4096)
                                  : wp ? &k_sweep2048w : cpu ? &k_sweep2048_cpu : &k_sweep2048)
                                : wp == 2 ? (ep == 16 ? &k_scat4096m : &k_scat2048m)
                                : ep == 16 ? (wp ? &k_scat4096w : &k_scat4096) : wp ? &k_scat2048w : &k_scat2048;
    /* one sweep (sw): no tile counts, no offsets; the scatters take so where the others take
     * ofs and nb, and the statuses sw as their last output */
    if (sw) return sweep(ctx, sc, k, p, total, sh, so, nk, fv, xv, out, sw, hist0 != NULL, fdt);
    wg_array *hist = hist0 ? (wg_retain(hist0), hist0) : wg_empty(ctx, WG_UINT32, 1, &hn);
    wg_array *tt = wgP_i32(ctx, (int32_t)total), *ss = wgP_i32(ctx, sh), *bb = wgP_i32(ctx, (int32_t)nb),
             *go = wgP_i32(ctx, goff), *kk = wgP_i32(ctx, nk), *pi = wgP_i32(ctx, hist0 != NULL),
             *ee = wgP_i32(ctx, ep), *tl = wgP_i32(ctx, wgr_tl());
    wg_array *ofs = NULL, *y = NULL, *yp = NULL;
    int st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (!hist || !tt || !ss || !bb || !go || !kk || !pi || !ee || !tl) goto done;
    st = WG_OK;
    if (!hist0) {
        wg_array *args[6] = {*k, tt, ss, bb, ee, hist};
        const wgP_libk *kc = !wgB_env_int("WGPY_RADIX_COUNT", 1) ? &k_count8 : ep == 16 ? &k_count8_16 : &k_count8_8;
        st = wgP_libk_launch(ctx, wgr_lk(kc), 6, args, (nb + WGR_IDLE_COUNT) * 256, NULL);
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
            st = wgP_libk_launch(ctx, wgr_lk(&k_rowscan), 6, args, (int64_t)256 << lt, NULL);
        }
        rel(ll);
        if (st) goto done;
    }
    if (out && p) {
        y = wg_empty(ctx, xv ? xv->dtype : WG_INT32, 1, &sh1);
        st = y ? WG_OK : ctx->status ? ctx->status : WG_ERR_MEMORY;
        if (!st && xv) {
            wg_array *args[10] = {*k, *p, xv, ofs, tt, ss, bb, pi, tl, y};
            st = wgP_libk_launch(ctx, wgr_lk(&sc->v), 10, args, nb * 256, NULL);
        } else if (!st) {
            wg_array *args[10] = {*k, *p, ofs, tt, ss, bb, kk, pi, tl, y};
            st = wgP_libk_launch(ctx, wgr_lk(&sc->i), 10, args, nb * 256, NULL);
        }
        if (!st) {
            *out = y;
            y = NULL;
        }
        goto done;
    }
    y = wg_empty(ctx, fv ? fdt : WG_UINT32, 1, &sh1);
    yp = p ? wg_empty(ctx, WG_INT32, 1, &sh1) : NULL;
    st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (!y || (p && !yp)) goto done;
    if (fv) { /* keys alone, last pass: the values themselves */
        wg_array *args[7] = {*k, ofs, tt, ss, bb, tl, y};
        st = wgP_libk_launch(ctx, wgr_lk(wgr_kv(sc, fdt)), 7, args, nb * 256, NULL);
        if (st) goto done;
        *fv = y;
        y = NULL;
        goto done;
    }
    if (p) {
        wg_array *args[11] = {*k, *p, ofs, tt, ss, bb, kk, pi, tl, y, yp};
        st = wgP_libk_launch(ctx, wgr_lk(&sc->p), 11, args, nb * 256, NULL);
    } else {
        wg_array *args[7] = {*k, ofs, tt, ss, bb, tl, y};
        st = wgP_libk_launch(ctx, wgr_lk(&sc->k), 7, args, nb * 256, NULL);
    }
    if (st) goto done;
    adopt(k, &y);
    if (p) adopt(p, &yp);
done:
    rel(hist);
    rel(tt);
    rel(ss);
    rel(bb);
    rel(go);
    rel(kk);
    rel(pi);
    rel(ee);
    rel(tl);
    rel(ofs);
    rel(y);
    rel(yp);
    return st;
}

/* The keys of x (k), the global digit counts of every pass (g, zeroed) and pass 0's tile counts
 * (*hist0) — or, for the one sweep (sw: the statuses, rows of swn words a pass), no tile counts
 * but the statuses' rows 1.. zeroed (each workgroup its tile's; *hist0 is then sw) — in one launch of k_hist_f (float32; kf: keys alone), k_hist_s (signed: bias, mask)
 * or k_hist_u (unsigned, bool: mask). */
static int hist_all(wg_context *ctx, wg_array *x, int sgn, int kf, wg_array *bi, wg_array *mk,
                    wg_array *k, int64_t total, int nkp, int nrp, wg_array *nn, wg_array *g,
                    wg_array **hist0, int ep, wg_array *sw, int64_t swn) {
    int64_t tn = 256 * (int64_t)ep, nb = (total + tn - 1) / tn, hn = 256 * nb;
    *hist0 = sw ? (wg_retain(sw), sw) : wg_empty(ctx, WG_UINT32, 1, &hn);
    /* the kernels' form (WGPY_RADIX_COUNT): 0 the loops (k_hist_*), 1 the loads together
     * (k_histu_*: the default), 2 (tiles of 4096; asked for only: 32 KiB of workgroup memory)
     * the same with 8192 counters.  2 is slower everywhere measured: SwiftShader ~5x (65536
     * float32, 2.3 s against 0.43), the H100 2.5x for the kernel (session 19, 2^24 float32 in one
     * process: 0.352 ms against 0.141; the sort 1.40 against 1.19) */
    int u = wgB_env_int("WGPY_RADIX_COUNT", 1);
    int c8 = u == 2 && ep == 16, e16 = ep == 16;
    int lc = 0; /* copies of each counter: as many as the kernel's 4096 (8192) counters hold */
    while (lc < 4 && (nkp + nrp) * (256 << (lc + 1)) <= (c8 ? 8192 : 4096)) lc++;
    wg_array *tt = wgP_i32(ctx, (int32_t)total), *bb = wgP_i32(ctx, (int32_t)nb),
             *kp = wgP_i32(ctx, nkp), *rp = wgP_i32(ctx, nrp), *cc = wgP_i32(ctx, lc),
             *ee = wgP_i32(ctx, ep), *ff = wgP_i32(ctx, kf), *hw = wgP_i32(ctx, sw ? (int32_t)swn : 0);
    int st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (*hist0 && tt && bb && kp && rp && cc && ee && ff && hw) {
        int64_t np = (nb + WGR_IDLE_HIST) * 256;
        if (x->dtype == WG_FLOAT32) {
            wg_array *args[13] = {x, tt, bb, kp, rp, nn, cc, ee, hw, ff, k, *hist0, g};
            st = wgP_libk_launch(ctx, wgr_lk(!u ? &k_hist_f : c8 ? &k_histu_f16c8 : e16 ? &k_histu_f16 : &k_histu_f8), 13, args, np, NULL);
        } else if (sgn) {
            wg_array *args[14] = {x, tt, bb, kp, rp, nn, cc, ee, hw, bi, mk, k, *hist0, g};
            st = wgP_libk_launch(ctx, wgr_lk(!u ? &k_hist_s : c8 ? &k_histu_s16c8 : e16 ? &k_histu_s16 : &k_histu_s8), 14, args, np, NULL);
        } else {
            wg_array *args[13] = {x, tt, bb, kp, rp, nn, cc, ee, hw, mk, k, *hist0, g};
            st = wgP_libk_launch(ctx, wgr_lk(!u ? &k_hist_u : c8 ? &k_histu_u16c8 : e16 ? &k_histu_u16 : &k_histu_u8), 13, args, np, NULL);
        }
    }
    rel(hw);
    rel(ff);
    rel(ee);
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
    /* Keys alone: a values-only sort of one float32, int32 or uint32 row carries no positions (4
     * bytes an element less read and written by every pass, and no gather of the input) and its
     * last pass stores the values from the keys (the _kf / _ki / _k scatters; the keys are a
     * bijection of the bits; int32 and uint32 since session 15).  WGPY_RADIX_KEYS_ONLY=0 carries
     * positions anyway (the values gathered by the last pass), for before/after figures and for
     * checking one path against the other on a device (bench/h100/s11_radix11.sh). */
    int konly = (dt == WG_FLOAT32 || dt == WG_INT32 || dt == WG_UINT32) && batch == 1 && vals && !idx &&
                wgB_env_int("WGPY_RADIX_KEYS_ONLY", 1) != 0;
    int ep = wgr_ep(ctx);
    wg_array *k = NULL, *p = NULL, *nn = NULL, *bi = NULL, *mk = NULL, *flat = NULL;
    wg_array *h0 = NULL, *g = NULL, *sw = NULL;
    int st = WG_OK, osw = wgr_sweep(ctx, ep, total);
    int64_t nbt = (total + 256 * (int64_t)ep - 1) / (256 * (int64_t)ep), swn = 0;
    int64_t sh[1] = {total};
    flat = wg_reshape(ctx, rows, 1, sh, 'C');
    nn = wgP_i32(ctx, (int32_t)n);
    bi = u32(ctx, bias);
    mk = u32(ctx, mask);
    if (!flat || !nn || !bi || !mk) {
        st = ctx->status ? ctx->status : WG_ERR_MEMORY;
        goto done;
    }
    {
        /* passes: bits / 8 by the key, then (batches) one per 8 bits of the row */
        int nkp = bits / 8, nrp = 0;
        while (batch > 1 && ((int64_t)1 << (8 * nrp)) < batch) nrp++;
        int64_t gn = 256 * (int64_t)(nkp + nrp);
        wg_array *zero = wgP_i32(ctx, 0);
        g = zero ? wg_full(ctx, WG_INT32, 1, &gn, zero) : NULL; /* k_hist_* adds into it */
        rel(zero);
        k = wg_empty(ctx, WG_UINT32, 1, sh);
        /* positions: pass 0 computes the identity, so p starts as a placeholder (pass() replaces
         * it with the sorted payloads) */
        int64_t one = 1;
        p = konly ? NULL : wg_empty(ctx, WG_INT32, 1, &one);
        if (!g || !k || (!konly && !p)) {
            st = ctx->status ? ctx->status : WG_ERR_MEMORY;
            goto done;
        }
        if (osw) { /* the statuses of every pass: (nbt + 1) rows of 256 a pass (hist_all zeroes them) */
            swn = (nbt + 1) * 256;
            int64_t n2 = swn * (nkp + nrp);
            sw = wg_empty(ctx, WG_UINT32, 1, &n2);
            if (!sw) {
                st = ctx->status ? ctx->status : WG_ERR_MEMORY;
                goto done;
            }
        }
        st = hist_all(ctx, flat, sgn, konly, bi, mk, k, total, nkp, nrp, nn, g, &h0, ep, sw, swn);
        if (!st && osw) {
            wg_array *bb = wgP_i32(ctx, (int32_t)nbt);
            st = bb ? WG_OK : ctx->status ? ctx->status : WG_ERR_MEMORY;
            if (!st) {
                wg_array *args[3] = {g, bb, sw};
                st = wgP_libk_launch(ctx, wgr_lk(&k_gscan), 3, args, 256 * (int64_t)(nkp + nrp), NULL);
            }
            rel(bb);
        }
        /* the last pass stores the result itself when only one is wanted: a values-only sort
         * its values, an argsort its indices */
        int last_v = !konly && vals && !idx, last_i = idx && !vals;
        for (int s = 0; s < nkp + nrp && !st; s++) {
            int last = s == nkp + nrp - 1 && (last_v || last_i);
            st = pass(ctx, &k, konly ? NULL : &p, total, 8 * (s < nkp ? s : s - nkp), s ? NULL : h0, g,
                      256 * s, last ? (last_i && batch > 1 ? (int)n : 0) : s == nkp - 1 && nrp > 0 ? (int)n : 0,
                      konly && s == nkp - 1 ? vals : NULL, last_v ? flat : NULL,
                      last ? (last_v ? vals : idx) : NULL, ep, sw, swn * s, dt);
        }
        if (last_v || last_i || konly) goto done;
    }
    if (st) goto done;
    if (vals) {
        wg_array *args[2] = {flat, p};
        st = wgP_libk_launch(ctx, wgr_lk(&k_gather), 2, args, total, vals);
        if (st) goto done;
    }
    if (idx) {
        if (batch > 1) {
            wg_array *args[2] = {p, nn};
            st = wgP_libk_launch(ctx, wgr_lk(&k_col), 2, args, total, idx);
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
    rel(h0);
    rel(g);
    rel(sw);
    return st;
}
