/* LSD radix sort of rows (docs/sorting.md, "The radix sort"): cpu, loopback and webgpu, the
 * backends with workgroup memory.  Library kernels in the kernel language, raw stores, no
 * atomics.
 *
 * Keys: each element becomes an order-preserving uint32 (read through a uint32 view of the
 * float32 / int32 / uint32 buffer; int8/16, uint8/16 and bool are widened to 32 bits first and
 * keyed in their own 8 or 16 bits): floats flip the sign bit (positive) or every bit (negative),
 * every NaN becomes 0xffffffff (last, as NumPy), and for argsort -0.0 is keyed as 0.0 (NumPy's
 * stable argsort keeps equal values in their order); integers add 2^(bits-1) (signed) and mask.
 * A pass sorts stably by one 4-bit digit, least significant first: 8 passes for 32-bit keys.
 * Batched rows (sort along an axis): the flat index rides along as the payload and ceil(log2
 * (batch) / 4) more passes sort by its row (the most significant digits), so every row comes
 * out sorted in place.  Values come back from the keys by the inverse transform (NaN payloads
 * become the canonical NaN); indices from the payload.
 *
 * A pass is three steps over tiles of WGR_T = 256 * WGR_E consecutive elements (one workgroup of
 * 256 points a tile, WGR_E elements a point, contiguous):
 *   (1) k_count: each point counts its elements' digits in a workgroup array (16 counts of 16
 *       bits in 8 words a point), the workgroup scans them (Hillis-Steele over the 256 points,
 *       8 words at a time) and writes the tile's 16 totals to hist[digit * nblocks + tile];
 *   (2) the engine's exclusive add-scan of hist (api/scan.h): digit-major order makes
 *       hist[d * nblocks + b] the number of elements before tile b's first element of digit d;
 *   (3) k_scatter: recounts and rescans as in (1), so each point knows how many elements of
 *       each digit precede its own in the tile, then walks its elements in order and stores
 *       each at its global offset + its running rank: a stable scatter. */
#include "../array/array.h"
#include "libk.h"
#include "scan.h"
#include "sort.h"

#include <math.h>
#include <stdlib.h>

#define WGR_E 16
#define WGR_T (256 * WGR_E)
#define WGR_STR_(x) #x
#define WGR_STR(x) WGR_STR_(x)

/* the digit of element q: of its key (mode 0) or of its row (mode 1: payload / n) */
#define WGR_DIGIT_K "int d = (int)((kv >> (unsigned int)sh) & 15u);\n"
#define WGR_DIGIT "int d = mode != 0 ? ((pv / n) >> sh) & 15 : (int)((kv >> (unsigned int)sh) & 15u);\n"

/* every point counts its elements' digits into its 8 words of cnt, keeps them (c0..c7), and the
 * workgroup scans cnt inclusively over the 256 points */
#define WGR_COUNT(LOAD, DIGIT)                                                                              \
    "__shared__ unsigned int cnt[2048];\n"                                                       \
    "int t = i & 255; int b = i >> 8; int base = b * " WGR_STR(WGR_T) " + t * " WGR_STR(WGR_E) ";\n" \
    "for (int e = 0; e < " WGR_STR(WGR_E) "; e++) {\n"                                           \
    "  int q = base + e;\n"                                                                      \
    "  if (q < total) {\n" LOAD DIGIT                                                    \
    "    cnt[(d >> 1) * 256 + t] += 1u << (unsigned int)((d & 1) << 4);\n"                      \
    "  }\n"                                                                                      \
    "}\n"                                                                                        \
    "unsigned int c0 = cnt[t]; unsigned int c1 = cnt[256 + t]; unsigned int c2 = cnt[512 + t];\n" \
    "unsigned int c3 = cnt[768 + t]; unsigned int c4 = cnt[1024 + t]; unsigned int c5 = cnt[1280 + t];\n" \
    "unsigned int c6 = cnt[1536 + t]; unsigned int c7 = cnt[1792 + t];\n"                        \
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
    "}\n"

#define WGR_HIST                                                                                 \
    "if (t < 16) {\n"                                                                            \
    "  unsigned int v = cnt[(t >> 1) * 256 + 255];\n"                                            \
    "  hist[t * nb + b] = (int)((v >> (unsigned int)((t & 1) << 4)) & 65535u);\n"                \
    "}\n"

/* after WGR_COUNT: the exclusive counts, the tile's global offsets, the stable scatter */
#define WGR_SCATTER(LOAD, DIGIT, STORE)                                                          \
    "__shared__ int gofs[16];\n"                                                                 \
    "if (t < 16) gofs[t] = ofs[t * nb + b];\n"                                                   \
    "cnt[t] -= c0; cnt[256 + t] -= c1; cnt[512 + t] -= c2; cnt[768 + t] -= c3;\n"                \
    "cnt[1024 + t] -= c4; cnt[1280 + t] -= c5; cnt[1536 + t] -= c6; cnt[1792 + t] -= c7;\n"      \
    "__syncthreads();\n"                                                                         \
    "for (int e = 0; e < " WGR_STR(WGR_E) "; e++) {\n"                                           \
    "  int q = base + e;\n"                                                                      \
    "  if (q < total) {\n" LOAD DIGIT                                                    \
    "    int w = (d >> 1) * 256 + t; unsigned int s = (unsigned int)((d & 1) << 4);\n"          \
    "    unsigned int cv = cnt[w];\n"                                                            \
    "    int pos = gofs[d] + (int)((cv >> s) & 65535u);\n"                                       \
    "    cnt[w] = cv + (1u << s);\n"                                                             \
    STORE                                                                                    \
    "  }\n"                                                                                      \
    "}\n"

#define WGR_LOAD "    unsigned int kv = k[q]; int pv = p[q];\n"
#define WGR_LOAD_K "    unsigned int kv = k[q];\n"
#define WGR_STORE "    y[pos] = kv; yp[pos] = pv;\n"
#define WGR_STORE_K "    y[pos] = kv;\n"

#define WGR_K(var, nm, in, out, op)                                                              \
    static const wgP_libk var = {.name = nm, .in_params = in, .out_params = out, .operation = op, \
                                 .preamble = "", .loop_prep = "__wg_block(256)"}

WGR_K(k_count, "wg_radix_count",
      "raw uint32 k, raw int32 p, int32 total, int32 sh, int32 nb, int32 mode, int32 n",
      "raw int32 hist", WGR_COUNT(WGR_LOAD, WGR_DIGIT) WGR_HIST);
/* keys alone (sort of one float32 row: the values come back from the keys) */
WGR_K(k_count_k, "wg_radix_count_k", "raw uint32 k, int32 total, int32 sh, int32 nb",
      "raw int32 hist", WGR_COUNT(WGR_LOAD_K, WGR_DIGIT_K) WGR_HIST);
WGR_K(k_scatter_k, "wg_radix_scatter_k", "raw uint32 k, raw int32 ofs, int32 total, int32 sh, int32 nb",
      "raw uint32 y", WGR_COUNT(WGR_LOAD_K, WGR_DIGIT_K) WGR_SCATTER(WGR_LOAD_K, WGR_DIGIT_K, WGR_STORE_K));
WGR_K(k_scatter, "wg_radix_scatter",
      "raw uint32 k, raw int32 p, raw int32 ofs, int32 total, int32 sh, int32 nb, int32 mode, "
      "int32 n",
      "raw uint32 y, raw int32 yp", WGR_COUNT(WGR_LOAD, WGR_DIGIT) WGR_SCATTER(WGR_LOAD, WGR_DIGIT, WGR_STORE));

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
WGR_E_(k_key_f, "wg_radix_key_f", "raw T x, int32 z", "uint32 k, int32 p", WGR_KEY_F "p = i;\n");
WGR_E_(k_key_fk, "wg_radix_key_fk", "raw T x, int32 z", "uint32 k", WGR_KEY_F);

/* the float32 value of key k (the inverse of WGR_KEY_F with z = 0; NaN keys give nanv) */
WGR_E_(k_unkey_f, "wg_radix_unkey_f", "raw uint32 k, float32 nanv, float32 infv", "float32 y",
    "unsigned int v = k[i]; bool neg = (v >> 31u) == 0u;\n"
    "unsigned int b = (neg ? ~v : v) & 2147483647u;\n"
    "unsigned int ex = b >> 23u; unsigned int m = b & 8388607u; float a = infv;\n"
    "if (ex == 0u) a = (float)m * 2.6469779601696886e-23f * 5.293955920339377e-23f;\n"
    "else if (ex < 255u) {\n"
    "  a = 1.0f + (float)m * 1.1920928955078125e-07f; int e = (int)ex - 127;\n"
    "  if (e >= 64) { a = a * 1.8446744073709552e+19f; e -= 64; }\n"
    "  if (e >= 32) { a = a * 4294967296.0f; e -= 32; }\n"
    "  if (e >= 16) { a = a * 65536.0f; e -= 16; }\n"
    "  if (e >= 8) { a = a * 256.0f; e -= 8; }\n"
    "  if (e >= 4) { a = a * 16.0f; e -= 4; }\n"
    "  if (e >= 2) { a = a * 4.0f; e -= 2; }\n"
    "  if (e >= 1) { a = a * 2.0f; e -= 1; }\n"
    "  if (e <= -64) { a = a * 5.421010862427522e-20f; e += 64; }\n"
    "  if (e <= -32) { a = a * 2.3283064365386963e-10f; e += 32; }\n"
    "  if (e <= -16) { a = a * 1.52587890625e-05f; e += 16; }\n"
    "  if (e <= -8) { a = a * 0.00390625f; e += 8; }\n"
    "  if (e <= -4) { a = a * 0.0625f; e += 4; }\n"
    "  if (e <= -2) { a = a * 0.25f; e += 2; }\n"
    "  if (e <= -1) { a = a * 0.5f; e += 1; }\n"
    "}\n"
    "y = v == 4294967295u ? nanv : (neg ? -a : a);\n");
/* integer keys: signed ones shifted by 2^(bits-1), then masked to their bits */
WGR_E_(k_key_s, "wg_radix_key_s", "raw T x, uint32 bias, uint32 mask", "uint32 k, int32 p",
       "k = ((unsigned int)((int)x[i]) + bias) & mask; p = i;");
WGR_E_(k_key_u, "wg_radix_key_u", "raw T x, uint32 mask", "uint32 k, int32 p",
       "k = ((unsigned int)x[i]) & mask; p = i;");
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

/* One pass: sort (*k, *p) stably by the 4-bit digit at shift sh (of the key, or mode 1: of the
 * row p / n).  Replaces *k and *p (p NULL: keys alone, mode 0). */
static int pass(wg_context *ctx, wg_array **k, wg_array **p, int64_t total, int sh, int mode,
                wg_array *nn) {
    int64_t nb = (total + WGR_T - 1) / WGR_T, hn = 16 * nb, sh1 = total;
    wg_array *hist = wg_empty(ctx, WG_INT32, 1, &hn);
    wg_array *tt = wgP_i32(ctx, (int32_t)total), *ss = wgP_i32(ctx, sh), *bb = wgP_i32(ctx, (int32_t)nb),
             *mm = wgP_i32(ctx, mode);
    wg_array *ofs = NULL, *y = NULL, *yp = NULL;
    int st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (!hist || !tt || !ss || !bb || !mm) goto done;
    if (p) {
        wg_array *args[8] = {*k, *p, tt, ss, bb, mm, nn, hist};
        st = wgP_libk_launch(ctx, &k_count, 8, args, nb * 256, NULL);
    } else {
        wg_array *args[5] = {*k, tt, ss, bb, hist};
        st = wgP_libk_launch(ctx, &k_count_k, 5, args, nb * 256, NULL);
    }
    if (st) goto done;
    ofs = wgP_scan(ctx, WG_OP_ADD, hist, 0, WG_INT32, WGP_SCAN_EXCLUSIVE);
    if (!ofs) {
        st = ctx->status ? ctx->status : WG_ERR_MEMORY;
        goto done;
    }
    y = wg_empty(ctx, WG_UINT32, 1, &sh1);
    yp = p ? wg_empty(ctx, WG_INT32, 1, &sh1) : NULL;
    st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (!y || (p && !yp)) goto done;
    if (p) {
        wg_array *args[10] = {*k, *p, ofs, tt, ss, bb, mm, nn, y, yp};
        st = wgP_libk_launch(ctx, &k_scatter, 10, args, nb * 256, NULL);
    } else {
        wg_array *args[6] = {*k, ofs, tt, ss, bb, y};
        st = wgP_libk_launch(ctx, &k_scatter_k, 6, args, nb * 256, NULL);
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
    rel(mm);
    rel(ofs);
    rel(y);
    rel(yp);
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
    /* keys alone: a values-only sort of one float32 row (the inverse transform gives the values) */
    int konly = dt == WG_FLOAT32 && batch == 1 && !idx;
    wg_array *k = NULL, *p = NULL, *nn = NULL, *bi = NULL, *mk = NULL, *flat = NULL, *zz = NULL;
    int st = WG_OK;
    int64_t sh[1] = {total};
    flat = wg_reshape(ctx, rows, 1, sh, 'C');
    nn = wgP_i32(ctx, (int32_t)n);
    bi = u32(ctx, bias);
    mk = u32(ctx, mask);
    zz = wgP_i32(ctx, !konly);
    if (!flat || !nn || !bi || !mk || !zz) {
        st = ctx->status ? ctx->status : WG_ERR_MEMORY;
        goto done;
    }
    {
        wg_array *outs[2] = {NULL, NULL};
        if (dt == WG_FLOAT32) {
            wg_array *args[2] = {flat, zz};
            st = wgP_libk_launch(ctx, konly ? &k_key_fk : &k_key_f, 2, args, total, outs);
        } else if (sgn) {
            wg_array *args[3] = {flat, bi, mk};
            st = wgP_libk_launch(ctx, &k_key_s, 3, args, total, outs);
        } else {
            wg_array *args[2] = {flat, mk};
            st = wgP_libk_launch(ctx, &k_key_u, 2, args, total, outs);
        }
        if (st) goto done;
        k = outs[0];
        p = outs[1];
    }
    for (int s = 0; s < bits && !st; s += 4) st = pass(ctx, &k, konly ? NULL : &p, total, s, 0, nn);
    for (int s = 0; batch > 1 && ((int64_t)1 << s) < batch && !st; s += 4)
        st = pass(ctx, &k, &p, total, s, 1, nn);
    if (st) goto done;
    if (vals && konly) {
        wg_array *nv = wg_scalar(ctx, WG_FLOAT32, WG_WEAK_NONE, 0, 0, NAN);
        wg_array *iv = wg_scalar(ctx, WG_FLOAT32, WG_WEAK_NONE, 0, 0, INFINITY);
        st = nv && iv ? WG_OK : ctx->status ? ctx->status : WG_ERR_MEMORY;
        if (!st) {
            wg_array *args[3] = {k, nv, iv};
            st = wgP_libk_launch(ctx, &k_unkey_f, 3, args, total, vals);
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
    return st;
}
