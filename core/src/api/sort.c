/* Sorting, searching and the set operations' device parts (issue 10), as library kernels: one
 * source in the kernel language runs on cpu, webgpu and webgl2 (docs/sorting.md).
 *
 * The sort is bitonic.  Each row of n elements is padded to P = 2^p with a sentinel that sorts
 * last (NaN for floats, the largest value for integers; with indices, the padding's indices are
 * >= n, so it also loses every tie).  Stage k (2, 4, .., P) merges bitonic runs of k with steps
 * j = k/2, .., 1; a step is a gather: point i takes min or max of x[i] and x[i^j], ascending when
 * bit k of its column is clear.  A kernel fuses up to three consecutive steps of a stage (its point
 * loads the 8 elements of its group and keeps its own one), so a row of 2^24 takes 108 passes
 * rather than 300.  The comparison is NumPy's: NaN after every number; with an index payload,
 * ties go to the lower original index, so argsort is stable (kind='stable' is met). */
#include "sort.h"

#include "libk.h"
#include "scan.h"
#include "sort_steps.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WGS_PRE                                                                                  \
    "template <typename T> __device__ bool wg_lt(T a, T b) { return a < b || (b != b && a == a); }\n" \
    "template <typename T> __device__ void wg_cx(T &a, T &b, bool asc) {\n"                      \
    "  bool sw = asc ? wg_lt(b, a) : wg_lt(a, b);\n"                                             \
    "  if (sw) { T t = a; a = b; b = t; }\n"                                                     \
    "}\n"                                                                                        \
    "template <typename T> __device__ bool wg_lt2(T a, int ia, T b, int ib) {\n"                 \
    "  return wg_lt(a, b) || (!wg_lt(b, a) && ia < ib);\n"                                       \
    "}\n"                                                                                        \
    "template <typename T> __device__ void wg_cx2(T &a, int &ia, T &b, int &ib, bool asc) {\n"   \
    "  bool sw = asc ? wg_lt2(b, ib, a, ia) : wg_lt2(a, ia, b, ib);\n"                           \
    "  if (sw) { T t = a; a = b; b = t; int u = ia; ia = ib; ib = u; }\n"                        \
    "}\n"

#define LIBK(var, nm, in, out, op) \
    static const wgP_libk var = {.name = nm, .in_params = in, .out_params = out, .operation = op, \
                                 .preamble = WGS_PRE, .loop_prep = ""}

/* rows (batch, n) -> (batch, P), padded with s; c = column, r = row */
LIBK(k_pad, "wg_sort_pad", "raw T x, T s, int32 n, int32 m, int32 lp, int32 nb", "T y",
     "int c = i & m; int r = i >> lp; y = c < n && r < nb ? x[r * n + c] : s;");
LIBK(k_pad_i, "wg_sort_pad_idx", "raw T x, T s, int32 n, int32 m, int32 lp, int32 nb",
     "T y, int32 yi",
     "int c = i & m; int r = i >> lp; y = c < n && r < nb ? x[r * n + c] : s; yi = c;");
#define STEP_IN "raw T x, int32 j, int32 k, int32 m"
#define STEP_IN_I "raw T x, raw int32 xi, int32 j, int32 k, int32 m"
LIBK(k_step1f, "wg_sort_step1_f", STEP_IN, "T y", WGS_STEP1F);
LIBK(k_step2f, "wg_sort_step2_f", STEP_IN, "T y", WGS_STEP2F);
LIBK(k_step3f, "wg_sort_step3_f", STEP_IN, "T y", WGS_STEP3F);
LIBK(k_step1if, "wg_sort_step1_idx_f", STEP_IN_I, "T y, int32 yi", WGS_STEP1IF);
LIBK(k_step2if, "wg_sort_step2_idx_f", STEP_IN_I, "T y, int32 yi", WGS_STEP2IF);
LIBK(k_step3if, "wg_sort_step3_idx_f", STEP_IN_I, "T y, int32 yi", WGS_STEP3IF);
LIBK(k_step1, "wg_sort_step1_i", STEP_IN, "T y", WGS_STEP1);
LIBK(k_step2, "wg_sort_step2_i", STEP_IN, "T y", WGS_STEP2);
LIBK(k_step3, "wg_sort_step3_i", STEP_IN, "T y", WGS_STEP3);
LIBK(k_step1i, "wg_sort_step1_idx_i", STEP_IN_I, "T y, int32 yi", WGS_STEP1I);
LIBK(k_step2i, "wg_sort_step2_idx_i", STEP_IN_I, "T y, int32 yi", WGS_STEP2I);
LIBK(k_step3i, "wg_sort_step3_idx_i", STEP_IN_I, "T y, int32 yi", WGS_STEP3I);
/* the group kernels (tiles' path: raw stores): one point per group of 2^s elements */
#define GRP_IN "raw T x, int32 j, int32 k, int32 m, int32 lb"
#define GRP_IN_I "raw T x, raw int32 xi, int32 j, int32 k, int32 m, int32 lb"
LIBK(k_grp1f, "wg_sort_group1_f", GRP_IN, "raw T y", WGS_GROUP1F);
LIBK(k_grp2f, "wg_sort_group2_f", GRP_IN, "raw T y", WGS_GROUP2F);
LIBK(k_grp3f, "wg_sort_group3_f", GRP_IN, "raw T y", WGS_GROUP3F);
LIBK(k_grp4f, "wg_sort_group4_f", GRP_IN, "raw T y", WGS_GROUP4F);
LIBK(k_grp1if, "wg_sort_group1_idx_f", GRP_IN_I, "raw T y, raw int32 yi", WGS_GROUP1IF);
LIBK(k_grp2if, "wg_sort_group2_idx_f", GRP_IN_I, "raw T y, raw int32 yi", WGS_GROUP2IF);
LIBK(k_grp3if, "wg_sort_group3_idx_f", GRP_IN_I, "raw T y, raw int32 yi", WGS_GROUP3IF);
LIBK(k_grp4if, "wg_sort_group4_idx_f", GRP_IN_I, "raw T y, raw int32 yi", WGS_GROUP4IF);
LIBK(k_grp1, "wg_sort_group1_i", GRP_IN, "raw T y", WGS_GROUP1);
LIBK(k_grp2, "wg_sort_group2_i", GRP_IN, "raw T y", WGS_GROUP2);
LIBK(k_grp3, "wg_sort_group3_i", GRP_IN, "raw T y", WGS_GROUP3);
LIBK(k_grp4, "wg_sort_group4_i", GRP_IN, "raw T y", WGS_GROUP4);
LIBK(k_grp1i, "wg_sort_group1_idx_i", GRP_IN_I, "raw T y, raw int32 yi", WGS_GROUP1I);
LIBK(k_grp2i, "wg_sort_group2_idx_i", GRP_IN_I, "raw T y, raw int32 yi", WGS_GROUP2I);
LIBK(k_grp3i, "wg_sort_group3_idx_i", GRP_IN_I, "raw T y, raw int32 yi", WGS_GROUP3I);
LIBK(k_grp4i, "wg_sort_group4_idx_i", GRP_IN_I, "raw T y, raw int32 yi", WGS_GROUP4I);
static const wgP_libk *const k_groups[2][2][4] = {
    {{&k_grp1, &k_grp2, &k_grp3, &k_grp4}, {&k_grp1i, &k_grp2i, &k_grp3i, &k_grp4i}},
    {{&k_grp1f, &k_grp2f, &k_grp3f, &k_grp4f}, {&k_grp1if, &k_grp2if, &k_grp3if, &k_grp4if}}};
/* [float?][index?][fused steps - 1] */
static const wgP_libk *const k_steps[2][2][3] = {
    {{&k_step1, &k_step2, &k_step3}, {&k_step1i, &k_step2i, &k_step3i}},
    {{&k_step1f, &k_step2f, &k_step3f}, {&k_step1if, &k_step2if, &k_step3if}}};
/* ---- the workgroup-memory sort (cpu, webgpu): docs/sorting.md "Tiles in workgroup memory" ----
 * A workgroup of WGS_B points owns one tile of WGS_T (values) or WGS_TI (values + indices)
 * consecutive elements of the padded rows: it loads the tile into workgroup arrays, runs the
 * bitonic network's stages k = k0 .. k1 (steps j = min(k/2, tile/2) .. 1) there, one barrier per
 * step, and stores it back: the same compare-exchanges as the gathers, in the same order, so the
 * results are bit for bit the gather path's (webgl2).  k0 = 2, k1 = min(tile, P): the tile's
 * rows sorted; k0 = k1 = k > tile: the steps of stage k below the tile, after the global ones. */
#define WGS_B 256
#define WGS_T 4096
#define WGS_TI 2048
#define WGS_TILE_LOOP(E, BODY)                                                                   \
    "for (int e = 0; e < " #E "; e++) { int c = t + e * 256; " BODY " }\n"
#define WGS_STAGES(TILE, PAIRS, CX)                                                              \
    "for (int k = k0; k <= k1; k <<= 1) {\n"                                                     \
    "  int j = k >> 1; if (j > " #TILE " / 2) j = " #TILE " / 2;\n"                              \
    "  for (; j > 0; j >>= 1) {\n"                                                               \
    "    for (int e = 0; e < " #PAIRS "; e++) {\n"                                               \
    "      int p = t + e * 256; int lo = ((p & ~(j - 1)) << 1) | (p & (j - 1)); int hi = lo | j;\n" \
    "      bool asc = ((base + lo) & m & k) == 0;\n"                                             \
    CX                                                                                           \
    "    }\n"                                                                                    \
    "    __syncthreads();\n"                                                                     \
    "  }\n"                                                                                      \
    "}\n"
#define WGS_LOCAL_BODY                                                                           \
    "__shared__ T sv[4096];\n"                                                                   \
    "int t = i & 255; int base = (i >> 8) << 12;\n"                                              \
    WGS_TILE_LOOP(16, "sv[c] = x[base + c];")                                                    \
    "__syncthreads();\n"                                                                         \
    WGS_STAGES(4096, 8,                                                                          \
               "      T a = sv[lo]; T b = sv[hi];\n"                                             \
               "      bool sw = asc ? wg_lt(b, a) : wg_lt(a, b);\n"                              \
               "      sv[lo] = sw ? b : a; sv[hi] = sw ? a : b;\n")                              \
    WGS_TILE_LOOP(16, "y[base + c] = sv[c];")
#define WGS_LOCAL_BODY_I                                                                         \
    "__shared__ T sv[2048];\n"                                                                   \
    "__shared__ int si[2048];\n"                                                                 \
    "int t = i & 255; int base = (i >> 8) << 11;\n"                                              \
    WGS_TILE_LOOP(8, "sv[c] = x[base + c]; si[c] = xi[base + c];")                               \
    "__syncthreads();\n"                                                                         \
    WGS_STAGES(2048, 4,                                                                          \
               "      T a = sv[lo]; T b = sv[hi]; int ia = si[lo]; int ib = si[hi];\n"           \
               "      bool sw = asc ? wg_lt2(b, ib, a, ia) : wg_lt2(a, ia, b, ib);\n"            \
               "      sv[lo] = sw ? b : a; sv[hi] = sw ? a : b;\n"                               \
               "      si[lo] = sw ? ib : ia; si[hi] = sw ? ia : ib;\n")                          \
    WGS_TILE_LOOP(8, "y[base + c] = sv[c]; yi[base + c] = si[c];")

static const wgP_libk k_local = {.name = "wg_sort_tile", .in_params = "raw T x, int32 k0, int32 k1, int32 m",
                                 .out_params = "raw T y", .operation = WGS_LOCAL_BODY,
                                 .preamble = WGS_PRE, .loop_prep = "__wg_block(256)"};
static const wgP_libk k_local_i = {.name = "wg_sort_tile_idx",
                                   .in_params = "raw T x, raw int32 xi, int32 k0, int32 k1, int32 m",
                                   .out_params = "raw T y, raw int32 yi",
                                   .operation = WGS_LOCAL_BODY_I, .preamble = WGS_PRE,
                                   .loop_prep = "__wg_block(256)"};

/* (batch, P) -> (batch, n): drop the padding */
LIBK(k_unpad, "wg_sort_unpad", "raw T x, int32 n, int32 lp", "T y",
     "int r = i / n; y = x[(r << lp) + (i - r * n)];");
/* take_along_axis on the last axis: x (batch, n), ix (batch, m) */
LIBK(k_take, "wg_sort_take", "raw T x, raw int32 ix, int32 n, int32 m", "T y",
     "int r = i / m; y = x[r * n + ix[i]];");
/* binary search of v in the sorted raw a[0, n) */
LIBK(k_search, "wg_searchsorted", "raw T a, T v, int32 n, int32 right", "int32 y",
     "int lo = 0; int hi = n;\n"
     "while (lo < hi) {\n"
     "  int mid = (lo + hi) >> 1; T am = a[mid];\n"
     "  bool go = right != 0 ? !wg_lt(v, am) : wg_lt(am, v);\n"
     "  if (go) lo = mid + 1; else hi = mid;\n"
     "}\n"
     "y = lo;");
/* the same for complex values, by parts: NumPy's lexicographic order (real, then imaginary) */
LIBK(k_csearch, "wg_searchsorted_complex",
     "raw T ar, raw T ai, T vr, T vi, int32 n, int32 right", "int32 y",
     "int lo = 0; int hi = n;\n"
     "while (lo < hi) {\n"
     "  int mid = (lo + hi) >> 1; T xr = ar[mid]; T xi = ai[mid];\n"
     "  bool a_lt_v = wg_lt(xr, vr) || (xr == vr && wg_lt(xi, vi));\n"
     "  bool v_lt_a = wg_lt(vr, xr) || (xr == vr && wg_lt(vi, xi));\n"
     "  bool go = right != 0 ? !v_lt_a : a_lt_v;\n"
     "  if (go) lo = mid + 1; else hi = mid;\n"
     "}\n"
     "y = lo;");
/* isin: v found in the sorted raw a[0, n)? (invert: the opposite) */
LIBK(k_isin, "wg_isin", "raw T a, T v, int32 n, int32 inv", "bool y",
     "int lo = 0; int hi = n;\n"
     "while (lo < hi) {\n"
     "  int mid = (lo + hi) >> 1;\n"
     "  if (wg_lt(a[mid], v)) lo = mid + 1; else hi = mid;\n"
     "}\n"
     "bool f = lo < n && a[lo] == v;\n"
     "y = f != (inv != 0);");
/* unique: row i (of m columns) of the sorted rows starts a new group? */
LIBK(k_flags, "wg_unique_flags", "raw T x, int32 m, int32 eqnan", "bool f",
     "bool d = i == 0;\n"
     "for (int c = 0; c < m && !d; c++) {\n"
     "  T a = x[i * m + c]; T b = x[(i - 1) * m + c];\n"
     "  if (!(a == b || (eqnan != 0 && a != a && b != b))) d = true;\n"
     "}\n"
     "f = d;");
/* unique: the size of each group from the groups' starts */
LIBK(k_counts, "wg_unique_counts", "raw int32 pos, int32 k, int32 n", "int32 c",
     "int e = i + 1 < k ? pos[i + 1] : n; c = e - pos[i];");
/* take rows: x (n, m) raw, rows ix: y (len(ix), m) */
LIBK(k_take_rows, "wg_take_rows", "raw T x, raw int32 ix, int32 m", "T y",
     "int r = i / m; y = x[ix[r] * m + (i - r * m)];");

/* quantile: s sorted rows (batch, n), q raw (nq), out (nq*batch) of F; methods as QMETHODS */
LIBK(k_quant, "wg_quantile",
     "raw T s, raw Q q, int32 n, int32 batch, int32 method, int32 nanmode", "F y",
     "int qi = i / batch; int r = i - qi * batch; int base = r * n;\n"
     "double qq = q[qi];\n"
     "int nv = n; bool nanrow = false;\n"
     "if (nanmode != 0) {\n"
     "  int lo = 0; int hi = n;\n"
     "  while (lo < hi) { int mid = (lo + hi) >> 1; T t = s[base + mid];\n"
     "    if (t != t) hi = mid; else lo = mid + 1; }\n"
     "  nv = lo; nanrow = nv == 0;\n"
     "} else { T t = s[base + n - 1]; nanrow = t != t; }\n"
     "double dn = (double)nv; double vi = 0.0; double g = 0.0; int pi = 0; int ni = 0;\n"
     "bool disc = method == 1 || method == 2 || method == 4 || method == 5 || method == 7;\n"
     "if (disc) {\n"
     "  double t = 0.0;\n"
     "  if (method == 1) t = floor((dn - 1.0) * qq);\n"
     "  else if (method == 2) t = ceil((dn - 1.0) * qq);\n"
     "  else if (method == 4) t = rint((dn - 1.0) * qq);\n"
     "  else {\n"
     "    double x = method == 5 ? dn * qq - 1.0 : dn * qq - 1.0 - 0.5;\n"
     "    double p = floor(x); double gm = x - p;\n"
     "    bool keep = method == 5 ? gm == 0.0 : (gm == 0.0 && (((int)p) & 1) == 1);\n"
     "    t = keep ? p : p + 1.0;\n"
     "  }\n"
     "  pi = (int)t; if (pi < 0) pi = 0; if (pi > nv - 1) pi = nv - 1;\n"
     "  ni = pi;\n"
     "} else {\n"
     "  double al = 1.0; double be = 1.0;\n"
     "  if (method == 8) { al = 0.0; be = 1.0; } else if (method == 9) { al = 0.5; be = 0.5; }\n"
     "  else if (method == 10) { al = 0.0; be = 0.0; }\n"
     "  else if (method == 11) { al = 1.0 / 3.0; be = 1.0 / 3.0; }\n"
     "  else if (method == 12) { al = 3.0 / 8.0; be = 3.0 / 8.0; }\n"
     "  if (method == 0) vi = (dn - 1.0) * qq;\n"
     "  else if (method == 3) vi = 0.5 * (floor((dn - 1.0) * qq) + ceil((dn - 1.0) * qq));\n"
     "  else if (method == 6) vi = dn * qq - 1.0;\n"
     "  else vi = dn * qq + (al + qq * (1.0 - al - be)) - 1.0;\n"
     "  double p = floor(vi); g = vi - p;\n"
     "  if (method == 3) g = (vi - floor(vi)) == 0.0 ? 0.0 : 0.5;\n"
     "  if (method == 6) g = g == 0.0 ? 0.5 : 1.0;\n"
     "  pi = (int)p; ni = pi + 1;\n"
     "  if (vi >= dn - 1.0) { pi = nv - 1; ni = nv - 1; }\n"
     "  if (vi < 0.0) { pi = 0; ni = 0; }\n"
     "}\n"
     "if (nanrow) { y = (F)s[base + n - 1]; }\n"
     "else if (disc) { y = (F)s[base + pi]; }\n"
     "else {\n"
     "  F a = (F)s[base + pi]; F b = (F)s[base + ni]; F gf = (F)g; F d = b - a;\n"
     "  F res = a + d * gf;\n"
     "  if (g >= 0.5) res = b - d * ((F)1 - gf);\n"
     "  y = res;\n"
     "}");

static int ilog2_ceil(int64_t n) {
    int p = 0;
    while (((int64_t)1 << p) < n) p++;
    return p;
}

/* A strong 0-d scalar of dtype dt that sorts after every value (NaN, or the largest value). */
static wg_array *sentinel(wg_context *ctx, int dt) {
    switch (dt) {
    case WG_INT8: return wg_scalar(ctx, dt, WG_WEAK_NONE, INT8_MAX, 0, 0);
    case WG_INT16: return wg_scalar(ctx, dt, WG_WEAK_NONE, INT16_MAX, 0, 0);
    case WG_INT32: return wg_scalar(ctx, dt, WG_WEAK_NONE, INT32_MAX, 0, 0);
    case WG_INT64: return wg_scalar(ctx, dt, WG_WEAK_NONE, INT64_MAX, 0, 0);
    case WG_UINT8: return wg_scalar(ctx, dt, WG_WEAK_NONE, UINT8_MAX, 0, 0);
    case WG_UINT16: return wg_scalar(ctx, dt, WG_WEAK_NONE, UINT16_MAX, 0, 0);
    case WG_UINT32: return wg_scalar(ctx, dt, WG_WEAK_NONE, UINT32_MAX, 0, 0);
    case WG_UINT64: return wg_scalar(ctx, dt, WG_WEAK_NONE, -1, 1, 0);
    default: return wg_scalar(ctx, dt, WG_WEAK_NONE, 0, 0, NAN);
    }
}

static void rel(wg_array *a) {
    if (a) wg_release(a);
}

/* A pass's end: where st is WG_OK, *y and *yi (where yi) take o and oi, releasing what they
 * held; else o and oi are released.  Returns st. */
static int take_pass(int st, wg_array **y, wg_array **yi, wg_array *o, wg_array *oi) {
    if (st != WG_OK) {
        rel(o);
        rel(oi);
        return st;
    }
    wg_release(*y);
    *y = o;
    if (yi) {
        wg_release(*yi);
        *yi = oi;
    }
    return WG_OK;
}

/* The workgroup-memory path (tiles, above) where the backend has workgroup memory and the
 * dtype fits its workgroup arrays: cpu (any dtype; not with WGPY_CPU_STMT_BLOCK breaking the
 * lock step of whole workgroups), webgpu (4-byte elements: no float16, no 64-bit types). */
static int use_tiles(wg_context *ctx, int dt) {
    if (ctx->sort_path == 1) return 0;
    int be = ctx->backend_id;
    if (be == WG_BACKEND_CPU || be == WG_BACKEND_LOOPBACK)
        return wgB_env_int("WGPY_CPU_STMT_BLOCK", 0) % WGS_B == 0;
    if (be == WG_BACKEND_WEBGPU)
        return dt != WG_FLOAT16 && dt != WG_INT64 && dt != WG_UINT64 && dt != WG_FLOAT64;
    return 0;
}

/* The radix sort (api/sort_radix.c) for rows longer than WGR_MIN_N (measured: docs/sorting.md,
 * "The radix sort"), where the backend has workgroup memory and the dtype has 32 bits or fewer;
 * sort path 2 takes it for any length, 3 never. */
#define WGR_MIN_N 16384
static int use_radix(wg_context *ctx, int dt, int64_t n) {
    if (ctx->sort_path == 1 || ctx->sort_path == 3) return 0;
    if (!wgP_radix_backend_ok(ctx) || !wgP_radix_dtype_ok(dt)) return 0;
    return ctx->sort_path == 2 || n >= WGR_MIN_N;
}

int wg_set_sort_path(wg_context *ctx, int path) {
    int old = ctx->sort_path;
    if (path >= 0 && path <= 3) ctx->sort_path = path;
    return old;
}

/* One launch of a tile kernel over the rows y (yi) of nall elements (a multiple of the tile):
 * stages k0 .. k1.  Replaces *y (*yi) by the result. */
static int tile_pass(wg_context *ctx, wg_array **y, wg_array **yi, int64_t nall, int64_t tile,
                     int64_t k0, int64_t k1, wg_array *mm) {
    int64_t sh = nall;
    wg_array *o = wg_empty(ctx, (*y)->dtype, 1, &sh);
    wg_array *oi = yi ? wg_empty(ctx, WG_INT32, 1, &sh) : NULL;
    wg_array *a0 = wgP_i32(ctx, (int32_t)k0), *a1 = wgP_i32(ctx, (int32_t)k1);
    int st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (o && (!yi || oi) && a0 && a1) {
        int64_t pts = nall / tile * WGS_B;
        if (yi) {
            wg_array *args[7] = {*y, *yi, a0, a1, mm, o, oi};
            st = wgP_libk_launch(ctx, &k_local_i, 7, args, pts, NULL);
        } else {
            wg_array *args[5] = {*y, a0, a1, mm, o};
            st = wgP_libk_launch(ctx, &k_local, 5, args, pts, NULL);
        }
    }
    rel(a0);
    rel(a1);
    return take_pass(st, y, yi, o, oi);
}

/* One pass of global gather steps j, j/2, .. (fuse of them) of stage k. */
static int step_pass(wg_context *ctx, int dt, wg_array **y, wg_array **yi, int64_t nall, int64_t j,
                     int64_t k, int fuse, wg_array *mm) {
    const wgP_libk *src = k_steps[wg_dtype_kind(dt) == 'f'][yi != NULL][fuse - 1];
    wg_array *jj = wgP_i32(ctx, (int32_t)j), *kk = wgP_i32(ctx, (int32_t)k);
    if (!jj || !kk) {
        rel(jj);
        rel(kk);
        return ctx->status ? ctx->status : WG_ERR_MEMORY;
    }
    wg_array *outs[2] = {NULL, NULL};
    int st;
    if (yi) {
        wg_array *args[5] = {*y, *yi, jj, kk, mm};
        st = wgP_libk_launch(ctx, src, 5, args, nall, outs);
    } else {
        wg_array *args[4] = {*y, jj, kk, mm};
        st = wgP_libk_launch(ctx, src, 4, args, nall, outs);
    }
    wg_release(jj);
    wg_release(kk);
    return take_pass(st, y, yi, outs[0], outs[1]);
}

/* One pass of the group kernel: steps j, j/2, .. (fuse of them, 1..4) of stage k, one point per
 * group of 2^fuse elements. */
static int group_pass(wg_context *ctx, int dt, wg_array **y, wg_array **yi, int64_t nall,
                      int64_t j, int64_t k, int fuse, wg_array *mm) {
    const wgP_libk *src = k_groups[wg_dtype_kind(dt) == 'f'][yi != NULL][fuse - 1];
    int lb = 0;
    while (((int64_t)1 << lb) < (j >> (fuse - 1))) lb++;
    int64_t sh = nall;
    wg_array *o = wg_empty(ctx, (*y)->dtype, 1, &sh);
    wg_array *oi = yi ? wg_empty(ctx, WG_INT32, 1, &sh) : NULL;
    wg_array *jj = wgP_i32(ctx, (int32_t)j), *kk = wgP_i32(ctx, (int32_t)k), *ll = wgP_i32(ctx, lb);
    int st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (o && (!yi || oi) && jj && kk && ll) {
        if (yi) {
            wg_array *args[8] = {*y, *yi, jj, kk, mm, ll, o, oi};
            st = wgP_libk_launch(ctx, src, 8, args, nall >> fuse, NULL);
        } else {
            wg_array *args[6] = {*y, jj, kk, mm, ll, o};
            st = wgP_libk_launch(ctx, src, 6, args, nall >> fuse, NULL);
        }
    }
    rel(jj);
    rel(kk);
    rel(ll);
    return take_pass(st, y, yi, o, oi);
}

int wgP_sort_rows(wg_context *ctx, wg_array *rows, wg_array **vals, wg_array **idx) {
    if (vals) *vals = NULL;
    if (idx) *idx = NULL;
    int nd = rows->lay.ndim;
    if (nd < 1) return wgB_error(ctx, WG_ERR_INTERNAL, "sort: a 0-d row");
    int64_t n = rows->lay.shape[nd - 1], batch = 1;
    for (int d = 0; d < nd - 1; d++) batch *= rows->lay.shape[d];
    int p = ilog2_ceil(n < 1 ? 1 : n);
    int64_t P = (int64_t)1 << p;
    int64_t total = batch * n;
    int is_bool = rows->dtype == WG_BOOL;
    int dt0 = is_bool ? WG_UINT8 : rows->dtype;
    /* tiles: the padded rows fill whole tiles (rows of sentinels added past the batch) */
    int tiles = total > 0 && use_tiles(ctx, dt0);
    int64_t tile = idx ? WGS_TI : WGS_T;
    int64_t nall = batch * P;
    if (tiles) nall = (nall + tile - 1) / tile * tile;
    if (nall > INT32_MAX || n > INT32_MAX)
        return wgB_error(ctx, WG_ERR_VALUE, "sort: %lld rows of %lld elements are more than the "
                         "sort's 32-bit indices can address", (long long)batch, (long long)n);
    wg_array *x = NULL, *s = NULL, *y = NULL, *yi = NULL;
    int st = WG_OK;
    if (total == 0) {
        int64_t sh = 0;
        if (vals) *vals = wg_empty(ctx, rows->dtype, 1, &sh);
        if (idx) *idx = wg_empty(ctx, WG_INT32, 1, &sh);
        return ((vals && !*vals) || (idx && !*idx)) ? ctx->status : WG_OK;
    }
    if (use_radix(ctx, rows->dtype, n)) {
        if (batch * n > INT32_MAX)
            return wgB_error(ctx, WG_ERR_VALUE, "sort: %lld rows of %lld elements are more than "
                             "the sort's 32-bit indices can address", (long long)batch, (long long)n);
        return wgP_radix_rows(ctx, rows, batch, n, vals, idx);
    }
    x = is_bool ? wg_astype(ctx, rows, WG_UINT8, WG_CAST_UNSAFE, 0) : (wg_retain(rows), rows);
    if (!x) return ctx->status;
    int dt = x->dtype;
    s = sentinel(ctx, dt);
    wg_array *nn = wgP_i32(ctx, (int32_t)n), *mm = wgP_i32(ctx, (int32_t)(P - 1)),
             *lp = wgP_i32(ctx, p), *nb = wgP_i32(ctx, (int32_t)batch);
    if (!s || !nn || !mm || !lp || !nb) {
        st = ctx->status ? ctx->status : WG_ERR_MEMORY;
        goto done;
    }
    {
        wg_array *args[6] = {x, s, nn, mm, lp, nb};
        wg_array *outs[2] = {NULL, NULL};
        st = wgP_libk_launch(ctx, idx ? &k_pad_i : &k_pad, 6, args, nall, outs);
        if (st) goto done;
        y = outs[0];
        yi = outs[1];
    }
    if (tiles) {
        /* stages up to the tile in one launch; then each larger stage: its global steps
         * (j >= tile) as fused gathers, the rest in one tile launch */
        if (P > 1) st = tile_pass(ctx, &y, idx ? &yi : NULL, nall, tile, 2, P < tile ? P : tile, mm);
        for (int64_t k = tile << 1; k <= P && !st; k <<= 1) {
            for (int64_t j = k >> 1; j >= tile && !st;) {
                int fuse = j >= 8 * tile ? 4 : j >= 4 * tile ? 3 : j >= 2 * tile ? 2 : 1;
                st = group_pass(ctx, dt, &y, idx ? &yi : NULL, nall, j, k, fuse, mm);
                j >>= fuse;
            }
            if (!st) st = tile_pass(ctx, &y, idx ? &yi : NULL, nall, tile, k, k, mm);
        }
    } else {
        for (int64_t k = 2; k <= P && !st; k <<= 1) {
            for (int64_t j = k >> 1; j >= 1 && !st;) {
                int fuse = j >= 4 ? 3 : j >= 2 ? 2 : 1;
                st = step_pass(ctx, dt, &y, idx ? &yi : NULL, nall, j, k, fuse, mm);
                j >>= fuse;
            }
        }
    }
    if (st) goto done;
    if (P != n || nall != total) { /* drop the padding */
        for (int w = 0; w < 2 && !st; w++) {
            wg_array **t = w ? &yi : &y;
            if (!*t || (w == 0 && !vals)) continue;
            wg_array *args[3] = {*t, nn, lp}, *o = NULL;
            st = wgP_libk_launch(ctx, &k_unpad, 3, args, total, &o);
            if (!st) {
                wg_release(*t);
                *t = o;
            }
        }
        if (st) goto done;
    }
    if (vals) {
        if (is_bool) {
            *vals = wg_astype(ctx, y, WG_BOOL, WG_CAST_UNSAFE, 1);
            if (!*vals) st = ctx->status;
        } else {
            *vals = y;
            y = NULL;
        }
    }
    if (idx) {
        *idx = yi;
        yi = NULL;
    }
done:
    rel(x);
    rel(s);
    rel(nn);
    rel(mm);
    rel(lp);
    rel(nb);
    rel(y);
    rel(yi);
    return st;
}

wg_array *wgP_take_rows(wg_context *ctx, wg_array *x, wg_array *ix) {
    if (wgD_is_complex(x->dtype)) { /* each part, paired again */
        wg_array *re = wg_real(ctx, x), *im = re ? wg_imag(ctx, x) : NULL;
        wg_array *tr = im ? wgP_take_rows(ctx, re, ix) : NULL;
        wg_array *ti = tr ? wgP_take_rows(ctx, im, ix) : NULL;
        wg_array *r = ti ? wgP_cjoin(ctx, tr, ti, x->dtype) : NULL;
        wg_array *t[4] = {re, im, tr, ti};
        for (int k = 0; k < 4; k++) wg_release(t[k]);
        return r;
    }
    int nd = x->lay.ndim;
    int64_t n = x->lay.shape[nd - 1], m = ix->lay.shape[ix->lay.ndim - 1];
    int64_t total = 1;
    for (int d = 0; d < ix->lay.ndim; d++) total *= ix->lay.shape[d];
    if (total == 0) return wg_empty(ctx, x->dtype, 1, &total);
    wg_array *nn = wgP_i32(ctx, (int32_t)n), *mm = wgP_i32(ctx, (int32_t)m), *o = NULL;
    if (nn && mm) {
        wg_array *args[4] = {x, ix, nn, mm};
        if (wgP_libk_launch(ctx, &k_take, 4, args, total, &o)) o = NULL;
    }
    rel(nn);
    rel(mm);
    return o;
}

wg_array *wgP_search(wg_context *ctx, wg_array *a, wg_array *v, int right) {
    wg_array *nn = wgP_i32(ctx, (int32_t)a->lay.shape[0]), *rr = wgP_i32(ctx, right), *o = NULL;
    if (wgD_is_complex(a->dtype)) { /* the parts' float views (docs/complex.md) */
        wg_array *ar = wg_real(ctx, a), *ai = wg_imag(ctx, a), *vr = wg_real(ctx, v),
                 *vi = wg_imag(ctx, v);
        if (nn && rr && ar && ai && vr && vi) {
            wg_array *args[6] = {ar, ai, vr, vi, nn, rr};
            if (wgP_libk_launch(ctx, &k_csearch, 6, args, -1, &o)) o = NULL;
        }
        wg_array *t[6] = {ar, ai, vr, vi, nn, rr};
        for (int k = 0; k < 6; k++) rel(t[k]);
        return o;
    }
    if (nn && rr) {
        wg_array *args[4] = {a, v, nn, rr};
        if (wgP_libk_launch(ctx, &k_search, 4, args, -1, &o)) o = NULL;
    }
    rel(nn);
    rel(rr);
    return o;
}

/* ---- public entry points ------------------------------------------------------------------ */

static int norm_axis(wg_context *ctx, int64_t *axis, int ndim) {
    if (*axis < -ndim || *axis >= ndim)
        return wgB_error(ctx, WG_ERR_AXIS, "axis %lld is out of bounds for array of dimension %d",
                         (long long)*axis, ndim);
    if (*axis < 0) *axis += ndim;
    return WG_OK;
}

static int intp(wg_context *ctx) {
    return wgD_canonical(WG_INT64, ctx->x64);
}

/* (total,) flat rows of `moved`'s shape, moved back from the last axis to `axis`, C-contiguous,
 * cast to dt (-1: as is).  Consumes flat. */
static wg_array *unmove(wg_context *ctx, wg_array *flat, wg_array *moved, int64_t axis, int dt) {
    if (!flat) return NULL;
    int nd = moved->lay.ndim;
    wg_array *r = wg_reshape(ctx, flat, nd, moved->lay.shape, 'C');
    wg_release(flat);
    if (!r) return NULL;
    int64_t src = nd - 1, dst = axis;
    wg_array *b = wg_moveaxis(ctx, r, 1, &src, &dst);
    wg_release(r);
    if (!b) return NULL;
    if ((dt < 0 || dt == b->dtype) && b->buf != moved->buf && b->lay.offset == 0 &&
        wgL_is_c_contiguous(&b->lay) && wgL_size(&b->lay) == b->buf->nelem)
        return b; /* the sort's own buffer, already in order (the sorted axis was the last): a
                   * copy would cost a launch and a pass over the result for nothing */
    wg_array *c = (dt >= 0 && dt != b->dtype) ? wg_astype(ctx, b, dt, WG_CAST_UNSAFE, 1)
                                              : wg_copy(ctx, b, 'C');
    wg_release(b);
    return c;
}

int wg_sort(wg_context *ctx, wg_array *a, int64_t axis, wg_array **vals, wg_array **idx) {
    if (vals) *vals = NULL;
    if (idx) *idx = NULL;
    int nd = a->lay.ndim;
    if (norm_axis(ctx, &axis, nd)) return ctx->status;
    int64_t src = axis, dst = nd - 1;
    wg_array *moved = wg_moveaxis(ctx, a, 1, &src, &dst);
    if (!moved) return ctx->status;
    wg_array *v = NULL, *ix = NULL;
    int st;
    if (wgD_is_complex(a->dtype) && wgL_size(&a->lay) == 0) {
        /* nothing to order (the lexsort below refuses an empty key) */
        ix = wg_empty(ctx, intp(ctx), nd, moved->lay.shape);
        v = vals && ix ? wg_copy(ctx, moved, 'C') : NULL;
        st = ix && (!vals || v) ? WG_OK : (ctx->status ? ctx->status : WG_ERR_MEMORY);
        if (!idx) {
            rel(ix);
            ix = NULL;
        }
    } else if (wgD_is_complex(a->dtype)) {
        /* NumPy's complex order: lexicographic (real part, then imaginary part): a lexsort of
         * the parts, then each part gathered and paired again (docs/complex.md) */
        wg_array *re = wg_real(ctx, moved), *im = re ? wg_imag(ctx, moved) : NULL;
        wg_array *keys[2] = {im, re};
        ix = im ? wg_lexsort(ctx, 2, keys, -1) : NULL;
        if (ix && vals) {
            wg_array *vr = wg_take_last(ctx, re, ix), *vi = vr ? wg_take_last(ctx, im, ix) : NULL;
            v = vi ? wgP_cjoin(ctx, vr, vi, a->dtype) : NULL;
            rel(vr);
            rel(vi);
        }
        st = ix && (!vals || v) ? WG_OK : (ctx->status ? ctx->status : WG_ERR_MEMORY);
        rel(re);
        rel(im);
        if (!idx) {
            rel(ix);
            ix = NULL;
        }
    } else {
        st = wgP_sort_rows(ctx, moved, vals ? &v : NULL, idx ? &ix : NULL);
    }
    if (!st && vals) {
        *vals = unmove(ctx, v, moved, axis, -1);
        if (!*vals) st = ctx->status;
    }
    if (!st && idx) {
        *idx = unmove(ctx, ix, moved, axis, intp(ctx));
        ix = NULL;
        if (!*idx) st = ctx->status;
    } else {
        rel(ix);
    }
    if (st) {
        if (vals && *vals) wg_release(*vals);
        if (vals) *vals = NULL;
    }
    wg_release(moved);
    if (!st && vals) wgP_out(ctx, *vals);
    if (!st && idx) wgP_out(ctx, *idx);
    return st;
}

wg_array *wg_lexsort(wg_context *ctx, int nkeys, wg_array *const *keys, int64_t axis) {
    if (nkeys < 1) {
        wgB_error(ctx, WG_ERR_TYPE, "need sequence of keys with len > 0 in lexsort");
        return NULL;
    }
    wg_array *k0 = keys[0];
    int nd = k0->lay.ndim;
    for (int i = 1; i < nkeys; i++)
        if (keys[i]->lay.ndim != nd ||
            memcmp(keys[i]->lay.shape, k0->lay.shape, sizeof(int64_t) * (size_t)nd)) {
            wgB_error(ctx, WG_ERR_VALUE, "all keys need to be the same shape");
            return NULL;
        }
    if (nd == 0) { /* NumPy: a 0-d key is one element: index 0 */
        wg_array *zero = wg_scalar(ctx, intp(ctx), WG_WEAK_NONE, 0, 0, 0);
        wg_array *z = zero ? wg_full(ctx, intp(ctx), 0, NULL, zero) : NULL;
        rel(zero);
        return z ? wgP_out(ctx, z) : NULL;
    }
    if (norm_axis(ctx, &axis, nd)) return NULL;
    int64_t src = axis, dst = nd - 1;
    /* sort by the least significant key first, then stably by each more significant one */
    wg_array *perm = NULL, *moved = NULL;
    for (int i = 0; i < nkeys; i++) {
        wg_array *mk = wg_moveaxis(ctx, keys[i], 1, &src, &dst);
        if (!mk) goto fail;
        if (!moved) {
            moved = mk;
            wg_retain(moved);
        }
        wg_array *kk = mk;
        if (perm) {
            int64_t sh[2] = {-1, mk->lay.shape[nd - 1]};
            wg_array *ps = wg_reshape(ctx, perm, 2, sh, 'C');
            kk = ps ? wgP_take_rows(ctx, mk, ps) : NULL;
            rel(ps);
            wg_release(mk);
            if (!kk) goto fail;
            wg_array *k2 = wg_reshape(ctx, kk, 2, sh, 'C');
            wg_release(kk);
            kk = k2;
            if (!kk) goto fail;
        }
        wg_array *p = NULL;
        int st = wgP_sort_rows(ctx, kk, NULL, &p);
        wg_release(kk);
        if (st) goto fail;
        if (perm) {
            int64_t sh[2] = {-1, moved->lay.shape[nd - 1]};
            wg_array *ps = wg_reshape(ctx, perm, 2, sh, 'C');
            wg_array *pp = wg_reshape(ctx, p, 2, sh, 'C');
            wg_array *np = ps && pp ? wgP_take_rows(ctx, ps, pp) : NULL;
            rel(ps);
            rel(pp);
            wg_release(p);
            wg_release(perm);
            perm = np;
            if (!perm) goto fail;
        } else {
            perm = p;
        }
    }
    {
        wg_array *r = unmove(ctx, perm, moved, axis, intp(ctx));
        wg_release(moved);
        return r ? wgP_out(ctx, r) : NULL;
    }
fail:
    rel(perm);
    rel(moved);
    return NULL;
}

/* The common dtype of two arrays for comparing them (NumPy's searchsorted/isin), canonical. */
static int common_dtype(wg_context *ctx, wg_array *a, wg_array *v) {
    int32_t dts[2] = {a->dtype, v->dtype}, weak[2] = {a->weak, v->weak};
    int dt = wgD_result_type(2, dts, weak);
    if (dt < 0) {
        wgB_error(ctx, WG_ERR_TYPE, "The DType could not be promoted");
        return -1;
    }
    return wgD_canonical(dt, ctx->x64);
}

static wg_array *as_dtype(wg_context *ctx, wg_array *a, int dt) {
    if (a->dtype == dt && !a->weak) {
        wg_retain(a);
        return a;
    }
    return wg_astype(ctx, a, dt, WG_CAST_UNSAFE, 0);
}

wg_array *wg_searchsorted(wg_context *ctx, wg_array *a, wg_array *v, int right,
                          wg_array *sorter) {
    if (a->lay.ndim != 1) {
        wgB_error(ctx, WG_ERR_VALUE, "object too deep for desired array");
        return NULL;
    }
    if (a->lay.shape[0] > INT32_MAX) {
        wgB_error(ctx, WG_ERR_VALUE, "searchsorted: more elements than 32-bit indices address");
        return NULL;
    }
    if (sorter) {
        if (sorter->lay.ndim != 1 || sorter->lay.shape[0] != a->lay.shape[0]) {
            wgB_error(ctx, WG_ERR_VALUE, "sorter.size must equal a.size");
            return NULL;
        }
        if (wg_dtype_kind(sorter->dtype) != 'i' && wg_dtype_kind(sorter->dtype) != 'u') {
            wgB_error(ctx, WG_ERR_TYPE, "Cannot cast array data from dtype('%s') to "
                      "dtype('int64') according to the rule 'safe'", wg_dtype_name(sorter->dtype));
            return NULL;
        }
    }
    int dt = common_dtype(ctx, a, v);
    if (dt < 0) return NULL;
    if (a->lay.shape[0] == 0) { /* every position is 0 */
        wg_array *zero = wg_scalar(ctx, intp(ctx), WG_WEAK_NONE, 0, 0, 0);
        wg_array *z = zero ? wg_full(ctx, intp(ctx), v->lay.ndim, v->lay.shape, zero) : NULL;
        rel(zero);
        return z ? wgP_out(ctx, z) : NULL;
    }
    wg_array *aa = as_dtype(ctx, a, dt), *vv = aa ? as_dtype(ctx, v, dt) : NULL;
    wg_array *r = NULL;
    if (!vv) goto done;
    if (sorter && a->lay.shape[0] > 0) { /* a[sorter] (the caller checked sorter's bounds) */
        int64_t n = a->lay.shape[0];
        wg_array *si = as_dtype(ctx, sorter, WG_INT32);
        if (!si) goto done;
        int64_t sh[2] = {1, n};
        wg_array *s2 = wg_reshape(ctx, si, 2, sh, 'C');
        wg_release(si);
        wg_array *g = s2 ? wgP_take_rows(ctx, aa, s2) : NULL;
        rel(s2);
        if (!g) goto done;
        wg_release(aa);
        aa = g;
    }
    {
        wg_array *pos = wgP_search(ctx, aa, vv, right);
        if (pos) {
            r = wg_astype(ctx, pos, intp(ctx), WG_CAST_UNSAFE, 0);
            wg_release(pos);
        }
    }
done:
    rel(aa);
    rel(vv);
    return r ? wgP_out(ctx, r) : NULL;
}

wg_array *wg_isin(wg_context *ctx, wg_array *element, wg_array *test, int invert) {
    if (wgD_is_complex(element->dtype) || wgD_is_complex(test->dtype)) {
        /* complex: any(element[..., None] == test.ravel()), one fused reduction (NumPy's own
         * method for short tests; O(n m) work, no sort of complex keys) */
        int64_t ax = element->lay.ndim, n = wgL_size(&test->lay);
        wg_array *e = wg_expand_dims(ctx, element, 1, &ax);
        wg_array *t = e ? wg_reshape(ctx, test, 1, &n, 'C') : NULL;
        wg_array *eq = t ? wg_binary(ctx, WG_OP_EQUAL, e, t, NULL, -1) : NULL;
        int64_t last = -1;
        wg_array *r = eq ? wg_reduce(ctx, WG_REDUCE_ANY, eq, 1, &last, 0, -1, 0, NULL) : NULL;
        if (r && invert) {
            wg_array *nr = wg_unary(ctx, WG_OP_LOGICAL_NOT, r, NULL, -1);
            wg_release(r);
            r = nr;
        }
        wg_release(e);
        wg_release(t);
        wg_release(eq);
        return r;
    }
    int dt = common_dtype(ctx, element, test);
    if (dt < 0) return NULL;
    wg_array *t = as_dtype(ctx, test, dt), *e = t ? as_dtype(ctx, element, dt) : NULL;
    wg_array *r = NULL, *sorted = NULL;
    if (!e) goto done;
    int64_t n = 1;
    for (int d = 0; d < t->lay.ndim; d++) n *= t->lay.shape[d];
    if (n == 0) { /* nothing is in an empty set */
        wg_array *f = wg_scalar(ctx, WG_BOOL, WG_WEAK_NONE, invert != 0, 0, 0);
        r = f ? wg_full(ctx, WG_BOOL, e->lay.ndim, e->lay.shape, f) : NULL;
        rel(f);
        goto done;
    }
    {
        int64_t sh = n;
        wg_array *flat = wg_reshape(ctx, t, 1, &sh, 'C');
        if (!flat) goto done;
        int st = wgP_sort_rows(ctx, flat, &sorted, NULL);
        wg_release(flat);
        if (st) goto done;
    }
    {
        wg_array *nn = wgP_i32(ctx, (int32_t)n), *inv = wgP_i32(ctx, invert != 0);
        if (nn && inv) {
            wg_array *args[4] = {sorted, e, nn, inv};
            if (wgP_libk_launch(ctx, &k_isin, 4, args, -1, &r)) r = NULL;
        }
        rel(nn);
        rel(inv);
    }
done:
    rel(t);
    rel(e);
    rel(sorted);
    return r ? wgP_out(ctx, r) : NULL;
}

/* np.unique of the rows of a 2-D array x (n, m): m = 1 for the flat unique.  First call with
 * state[3] all NULL: sorts, flags the starts of groups and gives their number as the 0-d int32
 * *nunique (state gets the sorted rows, the permutation, the flags); the caller reads it (a host
 * sync, which on a stream backend only the host can do) and calls again with the same state and
 * k = the number: outs [0] the unique rows (k, m), [1] the first index of each (k,), [2] inverse
 * (n,), [3] counts (k,), each made when its slot is non-NULL; the state is released. */
int wg_unique(wg_context *ctx, wg_array *x, int equal_nan, wg_array **state, wg_array **nunique,
              int64_t k, wg_array **values, wg_array **index, wg_array **inverse,
              wg_array **counts) {
    if (wgD_is_complex(x->dtype) && x->lay.ndim == 2) {
        /* complex rows are float rows of twice the length (re0, im0, re1, ...): the same
         * lexicographic order; the values come back paired again (docs/complex.md) */
        wg_array *pv = wg_complex_pairs(ctx, x);
        int64_t sh[2] = {x->lay.shape[0], 2 * x->lay.shape[1]};
        wg_array *xf = pv ? wg_reshape(ctx, pv, 2, sh, 'C') : NULL;
        wg_release(pv);
        if (!xf) return ctx->status;
        int st = wg_unique(ctx, xf, equal_nan, state, nunique, k, values, index, inverse, counts);
        wg_release(xf);
        if (st == WG_OK && values && *values) {
            wg_array *f = *values;
            int64_t s3[3] = {f->lay.shape[0], x->lay.shape[1], 2};
            wg_array *f3 = wg_reshape(ctx, f, 3, s3, 'C');
            wg_array *c = f3 ? wg_pairs_complex(ctx, f3) : NULL;
            wg_release(f3);
            wg_release(f);
            *values = c;
            if (!c) st = ctx->status;
        }
        return st;
    }
    wg_array **outs[4] = {values, index, inverse, counts};
    for (int i = 0; i < 4; i++)
        if (outs[i]) *outs[i] = NULL;
    *nunique = NULL;
    if (x->lay.ndim != 2) return wgB_error(ctx, WG_ERR_INTERNAL, "unique: rows expected");
    int64_t n = x->lay.shape[0], m = x->lay.shape[1];
    int ip = intp(ctx);
    if (n > INT32_MAX || n * m > INT32_MAX)
        return wgB_error(ctx, WG_ERR_VALUE, "unique: more elements than 32-bit indices address");
    if (n == 0 || m == 0) {
        int64_t sh[2] = {n == 0 ? 0 : 1, m}, z = 0, nsh = n;
        if (n > 0 && m == 0) { /* NumPy: one (empty) unique row */
            sh[0] = 1;
        }
        if (values) *values = wg_empty(ctx, x->dtype, 2, sh);
        wg_array *zero = wg_scalar(ctx, ip, WG_WEAK_NONE, 0, 0, 0);
        wg_array *cnt = wg_scalar(ctx, ip, WG_WEAK_NONE, n, 0, 0);
        z = sh[0];
        if (index) *index = wg_full(ctx, ip, 1, &z, zero);
        if (inverse) *inverse = wg_full(ctx, ip, 1, &nsh, zero);
        if (counts) *counts = wg_full(ctx, ip, 1, &z, cnt);
        rel(zero);
        rel(cnt);
        for (int i = 0; i < 4; i++)
            if (outs[i] && *outs[i]) wgP_out(ctx, *outs[i]);
        return ctx->status;
    }
    int st = WG_OK;
    wg_array *perm = NULL, *sorted = NULL, *flags = NULL, *pos = NULL, *mm = NULL, *eq = NULL;
    if (state[0]) { /* the second call */
        sorted = state[0];
        perm = state[1];
        flags = state[2];
        state[0] = state[1] = state[2] = NULL;
        mm = wgP_i32(ctx, (int32_t)m);
        goto finish;
    }
    /* the sort: rows lexicographically (the last column first, stably up to the first one) */
    if (m == 1) {
        int64_t sh[2] = {1, n};
        wg_array *row = wg_reshape(ctx, x, 2, sh, 'C');
        if (!row) return ctx->status;
        st = wgP_sort_rows(ctx, row, &sorted, &perm);
        wg_release(row);
        if (st) goto done;
    } else {
        wg_array *cols = wg_transpose(ctx, x, 0, NULL);
        if (!cols) return ctx->status;
        wg_array *keys[WG_MAX_NDIM];
        int64_t nk = m;
        /* lexsort of the columns, last key = first column: built column by column */
        (void)keys;
        for (int64_t c = m - 1; c >= 0; c--) {
            int64_t item[8] = {WG_IDX_INT, c, 0, 0, WG_IDX_SLICE, WG_IDX_NONE, WG_IDX_NONE, 1};
            wg_array *col = wg_index(ctx, cols, 2, item);
            if (!col) {
                st = ctx->status;
                break;
            }
            int64_t sh[2] = {1, n};
            wg_array *key = col;
            if (perm) {
                wg_array *c2 = wg_reshape(ctx, col, 2, sh, 'C');
                wg_array *p2 = c2 ? wg_reshape(ctx, perm, 2, sh, 'C') : NULL;
                key = p2 ? wgP_take_rows(ctx, c2, p2) : NULL;
                rel(c2);
                rel(p2);
                wg_release(col);
                if (!key) {
                    st = ctx->status;
                    break;
                }
            }
            wg_array *p = NULL;
            wg_array *k2 = wg_reshape(ctx, key, 2, sh, 'C');
            wg_release(key);
            st = k2 ? wgP_sort_rows(ctx, k2, NULL, &p) : ctx->status;
            rel(k2);
            if (st) break;
            if (perm) {
                wg_array *p1 = wg_reshape(ctx, perm, 2, sh, 'C');
                wg_array *p2 = p1 ? wg_reshape(ctx, p, 2, sh, 'C') : NULL;
                wg_array *np_ = p2 ? wgP_take_rows(ctx, p1, p2) : NULL;
                rel(p1);
                rel(p2);
                wg_release(p);
                wg_release(perm);
                perm = np_;
                if (!perm) {
                    st = ctx->status;
                    break;
                }
            } else {
                perm = p;
            }
        }
        (void)nk;
        wg_release(cols);
        if (st) goto done;
        mm = wgP_i32(ctx, (int32_t)m);
        wg_array *args[3] = {x, perm, mm};
        st = wgP_libk_launch(ctx, &k_take_rows, 3, args, n * m, &sorted);
        rel(mm);
        mm = NULL;
        if (st) goto done;
    }
    mm = wgP_i32(ctx, (int32_t)m);
    eq = wgP_i32(ctx, equal_nan != 0);
    {
        wg_array *args[3] = {sorted, mm, eq};
        st = wgP_libk_launch(ctx, &k_flags, 3, args, n, &flags);
        if (st) goto done;
    }
    /* the flags' inclusive scan (api/scan.h): its last element is the count the host reads */
    *nunique = wgP_mask_scan(ctx, flags);
    if (!*nunique) goto fail;
    wgP_out(ctx, *nunique);
    state[0] = sorted;
    state[1] = perm;
    state[2] = *nunique;
    wg_retain(*nunique);
    sorted = perm = NULL;
    goto done;
finish:
    {
        wg_array *p = wgP_compact(ctx, flags, k); /* flags holds the scan here */
        pos = p ? as_dtype(ctx, p, WG_INT32) : NULL;
        rel(p);
    }
    if (!pos) {
        st = ctx->status;
        goto done;
    }
    if (values) {
        wg_array *args[3] = {sorted, pos, mm}, *o = NULL;
        st = wgP_libk_launch(ctx, &k_take_rows, 3, args, k * m, &o);
        if (st) goto done;
        int64_t sh[2] = {k, m};
        *values = wg_reshape(ctx, o, 2, sh, 'C');
        wg_release(o);
        if (!*values) goto fail;
    }
    if (index) {
        int64_t sh[2] = {1, n}, sk[2] = {1, k};
        wg_array *p1 = wg_reshape(ctx, perm, 2, sh, 'C'), *p2 = wg_reshape(ctx, pos, 2, sk, 'C');
        wg_array *g = p1 && p2 ? wgP_take_rows(ctx, p1, p2) : NULL;
        rel(p1);
        rel(p2);
        *index = g ? wg_astype(ctx, g, ip, WG_CAST_UNSAFE, 1) : NULL;
        rel(g);
        if (!*index) goto fail;
    }
    if (counts) {
        wg_array *kk = wgP_i32(ctx, (int32_t)k), *nn = wgP_i32(ctx, (int32_t)n), *o = NULL;
        wg_array *args[3] = {pos, kk, nn};
        st = kk && nn ? wgP_libk_launch(ctx, &k_counts, 3, args, k, &o) : ctx->status;
        rel(kk);
        rel(nn);
        if (st) goto done;
        *counts = wg_astype(ctx, o, ip, WG_CAST_UNSAFE, 1);
        wg_release(o);
        if (!*counts) goto fail;
    }
    if (inverse) {
        /* element p sits at sorted position t = perm^-1[p]; its group is the last start <= t */
        wg_array *invp = NULL;
        int64_t sh[2] = {1, n};
        wg_array *p1 = wg_reshape(ctx, perm, 2, sh, 'C');
        st = p1 ? wgP_sort_rows(ctx, p1, NULL, &invp) : ctx->status;
        rel(p1);
        if (st) goto done;
        wg_array *g = wgP_search(ctx, pos, invp, 1);
        wg_release(invp);
        if (!g) goto fail;
        wg_array *one = wg_scalar(ctx, WG_INT32, WG_WEAK_INT, 1, 0, 0);
        wg_array *g1 = one ? wg_binary(ctx, WG_OP_SUBTRACT, g, one, NULL, -1) : NULL;
        rel(one);
        wg_release(g);
        *inverse = g1 ? wg_astype(ctx, g1, ip, WG_CAST_UNSAFE, 1) : NULL;
        rel(g1);
        if (!*inverse) goto fail;
    }
    goto done;
fail:
    st = ctx->status ? ctx->status : WG_ERR_MEMORY;
done:
    rel(perm);
    rel(sorted);
    rel(flags);
    rel(pos);
    rel(mm);
    rel(eq);
    for (int i = 0; i < 4; i++) {
        if (!outs[i] || !*outs[i]) continue;
        if (st) {
            wg_release(*outs[i]);
            *outs[i] = NULL;
        } else {
            wgP_out(ctx, *outs[i]);
        }
    }
    return st;
}

wg_array *wg_quantile(wg_context *ctx, wg_array *a, int64_t axis, wg_array *q, int method,
                      int ignore_nan, int out_dtype) {
    int nd = a->lay.ndim;
    if (wgD_is_complex(a->dtype)) { /* NumPy's words (median of complex: the shell sorts) */
        wgB_error(ctx, WG_ERR_TYPE, "a must be an array of real numbers");
        return NULL;
    }
    if (method < 0 || method > 12) {
        wgB_error(ctx, WG_ERR_VALUE, "quantile: invalid method %d", method);
        return NULL;
    }
    if (norm_axis(ctx, &axis, nd)) return NULL;
    int64_t src = axis, dst = nd - 1;
    int64_t n = a->lay.shape[axis], batch = 1, nq = 1;
    for (int d = 0; d < nd; d++)
        if (d != axis) batch *= a->lay.shape[d];
    for (int d = 0; d < q->lay.ndim; d++) nq *= q->lay.shape[d];
    int64_t osh[2 * WG_MAX_NDIM];
    int ond = 0;
    for (int d = 0; d < q->lay.ndim; d++) osh[ond++] = q->lay.shape[d];
    for (int d = 0; d < nd; d++)
        if (d != axis) osh[ond++] = a->lay.shape[d];
    if (ond > WG_MAX_NDIM) {
        wgB_error(ctx, WG_ERR_VALUE, "quantile: too many dimensions");
        return NULL;
    }
    if (n == 0 && batch * nq > 0) {
        wgB_error(ctx, WG_ERR_VALUE, "quantile: cannot take a quantile of an empty axis");
        return NULL;
    }
    if (batch * nq == 0) return wgP_out(ctx, wg_empty(ctx, out_dtype, ond, osh));
    wg_array *moved = wg_moveaxis(ctx, a, 1, &src, &dst);
    if (!moved) return NULL;
    wg_array *sorted = NULL, *qq = NULL, *o = NULL, *res = NULL;
    int st = wgP_sort_rows(ctx, moved, &sorted, NULL);
    wg_release(moved);
    if (st) return NULL;
    qq = as_dtype(ctx, q, wgD_canonical(WG_FLOAT64, ctx->x64));
    int64_t tot = nq * batch;
    o = qq ? wg_empty(ctx, out_dtype, 1, &tot) : NULL;
    if (o) {
        wg_array *pn = wgP_i32(ctx, (int32_t)n), *pb = wgP_i32(ctx, (int32_t)batch),
                 *pm = wgP_i32(ctx, method), *pz = wgP_i32(ctx, ignore_nan != 0);
        wg_array *args[7] = {sorted, qq, pn, pb, pm, pz, o}, *got = NULL;
        st = pn && pb && pm && pz ? wgP_libk_launch(ctx, &k_quant, 7, args, -1, &got)
                                  : ctx->status;
        rel(pn);
        rel(pb);
        rel(pm);
        rel(pz);
        rel(got);
        if (!st) res = wg_reshape(ctx, o, ond, osh, 'C');
    }
    rel(sorted);
    rel(qq);
    rel(o);
    return res ? wgP_out(ctx, res) : NULL;
}

wg_array *wg_take_last(wg_context *ctx, wg_array *x, wg_array *ix) {
    /* take_along_axis(x, ix, -1) for in-range indices (the caller checks them) */
    if (wgD_is_complex(x->dtype)) { /* each part, paired again */
        wg_array *re = wg_real(ctx, x), *im = re ? wg_imag(ctx, x) : NULL;
        wg_array *tr = im ? wg_take_last(ctx, re, ix) : NULL;
        wg_array *ti = tr ? wg_take_last(ctx, im, ix) : NULL;
        wg_array *r = ti ? wgP_cjoin(ctx, tr, ti, x->dtype) : NULL;
        wg_array *t[4] = {re, im, tr, ti};
        for (int k = 0; k < 4; k++) wg_release(t[k]);
        return wgP_out(ctx, r);
    }
    int nd = x->lay.ndim;
    if (nd < 1 || ix->lay.ndim != nd ||
        memcmp(x->lay.shape, ix->lay.shape, sizeof(int64_t) * (size_t)(nd - 1))) {
        wgB_error(ctx, WG_ERR_VALUE, "take_last: shapes do not match");
        return NULL;
    }
    wg_array *i32 = as_dtype(ctx, ix, WG_INT32);
    if (!i32) return NULL;
    wg_array *g = wgP_take_rows(ctx, x, i32);
    wg_release(i32);
    if (!g) return NULL;
    wg_array *r = wg_reshape(ctx, g, nd, ix->lay.shape, 'C');
    wg_release(g);
    return r ? wgP_out(ctx, r) : NULL;
}
