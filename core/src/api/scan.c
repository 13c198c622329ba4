/* Parallel scans and compaction by library kernels (scan.h describes the algorithms). */
#include "scan.h"

#include <math.h>
#include <string.h>

#include "libk.h"

/* ---- the kernels -------------------------------------------------------------------------- */

/* The scan is a reduce-then-scan over segments of WGP_SCAN_SEG consecutive elements of a row
 * (scan.h): every kernel below runs one point per segment (a serial loop over the segment, in
 * registers: no workgroup memory) except the webgl2 downsweep, which runs one point per element.
 * A point t of the (M, nseg) segment space is row r = t / nseg, segment g = t - r * nseg: its
 * elements are x[r * n + g * SEG ..] (up to SEG of them, fewer in a row's last segment).  The
 * input x may be of another dtype X than the scan's T (a bool mask scanned in int32): each element
 * is converted as it is read, so no converted copy is ever written. */
#define SEG_STR2(x) #x
#define SEG_STR1(x) SEG_STR2(x)
#define SEG_STR SEG_STR1(WGP_SCAN_SEG) /* "16" in the kernels' sources */
#define SEG_HEAD                                                                                \
    "int t = (int)i; int r = t / nseg; int g = t - r * nseg;\n"                                 \
    "int b = r * n + g * " SEG_STR "; int e = b + min(" SEG_STR ", n - g * " SEG_STR ");\n"
/* (1) reduce: each segment's total */
#define REDUCE_BODY SEG_HEAD                                                                    \
    "T acc = (T)x[b];\n"                                                                        \
    "for (int k = b + 1; k < e; k++) acc = wg_op(acc, (T)x[k]);\n"                              \
    "s = acc;"
/* (3) downsweep, a serial run per segment (raw stores: cpu and webgpu): the exclusive prefix of
 * the segment (P: the inclusive scan of the segment totals) folded with each element in turn */
#define DOWN_BODY SEG_HEAD                                                                      \
    "T acc = g > 0 ? wg_op(P[t - 1], (T)x[b]) : (T)x[b];\n"                                     \
    "y[b] = acc;\n"                                                                             \
    "for (int k = b + 1; k < e; k++) { acc = wg_op(acc, (T)x[k]); y[k] = acc; }"
/* (3') the same as a gather (webgl2: a fragment writes only its own point): point i of the (M, n)
 * space folds its segment's prefix with its segment's elements up to itself (SEG / 2 reads on
 * average, from the texture cache) */
#define DOWNG_BODY                                                                              \
    "int t = (int)i; int r = t / n; int c = t - r * n; int g = c / " SEG_STR ";\n"              \
    "int b = t - (c - g * " SEG_STR ");\n"                                                      \
    "T acc = g > 0 ? wg_op(P[r * nseg + g - 1], (T)x[b]) : (T)x[b];\n"                           \
    "for (int k = b + 1; k <= t; k++) acc = wg_op(acc, (T)x[k]);\n"                              \
    "y = acc;"
/* ---- the workgroup-memory (tile) scan: cpu, loopback and webgpu ----------------------------- */

/* A tile is WGP_SCAN_TILE = 256 points x 8 elements.  Its elements are loaded coalesced (point t
 * reads t, t + 256, ...: neighbouring points read neighbouring elements) into workgroup memory,
 * then point t reads its own 8 contiguous elements into registers (8 independent reads, not a
 * chain of dependent workgroup-memory reads: on the H100 the tile kernels were latency-bound, about
 * 1 TB/s, with the serial chains) and runs them; the 256 points' totals are scanned by a
 * Hillis-Steele loop over two buffers (one barrier a step), and each element's inclusive value
 * *within the tile* is op(its point's exclusive prefix, its run value).  The workgroup array is
 * padded by one element every 32 (element e at e + e / 32) so that the 32 points of a warp reading
 * t * 8 + j hit 32 different banks.  A tile's total is the within-tile value of its last element,
 * and an element's result is op(the tile's exclusive prefix, its within-tile value): so the last
 * element of a tile is exactly the scanned total that the next tile starts from.
 * Workgroup memory: (2112 + 512) elements, 10.3 KiB in 4-byte types (WebGPU guarantees 16). */
#define TILE_STR SEG_STR1(WGP_SCAN_TILE)
#define TILE_PAD(e) "((" e ") + ((" e ") >> 5))"
/* the within-tile scan of chunk cb (len elements) of the row starting at rb: leaves each
 * element's within-tile value in sh (points past len hold garbage only they read) and point t's
 * last value in acc */
#define TILE_X8(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7)
#define TILE_LD(j) "T v" #j " = (T)x[rb + cb + " #j " * 256 + t];\n"
#define TILE_ST(j) "sh[" #j " * 264 + t + (t >> 5)] = v" #j ";\n"
/* a whole tile's 8 loads are issued before any store (8 reads in flight a point: a loop would
 * wait for each before the next), a partial one's in a guarded loop */
#define TILE_E(k) "T e" #k " = (T)0;\n"
#define TILE_RD(k) "e" #k " = sh[pb + " #k "];\n"
#define TILE_WB(k) "if (hp != 0) e" #k " = wg_op(pre, e" #k "); sh[pb + " #k "] = e" #k ";\n"
/* the loads, each point's run (acc: its total) and the points' scan: pre, point t's exclusive
 * prefix when hp */
#define TILE_LOADST                                                                             \
    "if (len == " TILE_STR ") {\n" TILE_X8(TILE_LD) TILE_X8(TILE_ST) "} else {\n"              \
    "for (int j = 0; j < 8; j++) { int e = j * 256 + t; if (e < len) sh[" TILE_PAD("e")        \
    "] = (T)x[rb + cb + e]; }\n}\n"
/* after the tile is in sh: each point's run and the points' scan */
#define TILE_SCAN TILE_SCAN_RD(TILE_RD)
#define TILE_SCAN_RD(RD)                                                                        \
    "int s0 = t * 8; int cnt = min(8, len - s0); int pb = s0 + (t >> 2);\n"                    \
    TILE_X8(TILE_E) "T acc = (T)0;\n"                                                           \
    "if (cnt == 8) {\n" TILE_X8(RD)                                                             \
    "  e1 = wg_op(e0, e1); e2 = wg_op(e1, e2); e3 = wg_op(e2, e3); e4 = wg_op(e3, e4);\n"       \
    "  e5 = wg_op(e4, e5); e6 = wg_op(e5, e6); e7 = wg_op(e6, e7); acc = e7;\n"                 \
    "} else if (cnt > 0) {\n"                                                                   \
    "  acc = sh[pb]; for (int k = 1; k < cnt; k++) { acc = wg_op(acc, sh[pb + k]); sh[pb + k] = acc; }\n" \
    "}\n"                                                                                       \
    "ts[t] = acc;\n"                                                                            \
    "__syncthreads();\n"                                                                        \
    "int src = 0;\n"                                                                            \
    "for (int off = 1; off < 256; off <<= 1) {\n"                                               \
    "  T v = ts[src + t]; if (t >= off) v = wg_op(ts[src + t - off], v);\n"                     \
    "  ts[256 - src + t] = v; src = 256 - src;\n"                                               \
    "  __syncthreads();\n"                                                                      \
    "}\n"                                                                                       \
    "int hp = t > 0 ? 1 : 0; T pre = hp != 0 ? ts[src + t - 1] : acc;\n"
#define TILE_RUN TILE_LOADST "__syncthreads();\n" TILE_SCAN
/* The rescan's run (session 14): a whole tile's points read their own 8 elements from memory
 * (neighbouring points 32 bytes apart: the L1 serves the rest of each line) instead of through
 * workgroup memory, one barrier and 16 workgroup accesses a point fewer (H200: launch (3) 0.119
 * -> 0.116 ms GPU at 16M, 0.128 -> 0.123 with the fused prefix); a partial tile as before.
 * The same values in the same order: the same bits. */
#define TILE_RDX(k) "e" #k " = (T)x[rb + cb + s0 + " #k "];\n"
#define TILE_LOADSTX                                                                            \
    "if (len < " TILE_STR ") {\n"                                                               \
    "for (int j = 0; j < 8; j++) { int e = j * 256 + t; if (e < len) sh[" TILE_PAD("e")        \
    "] = (T)x[rb + cb + e]; }\n}\n"
#define TILE_RUNX TILE_LOADSTX "__syncthreads();\n" TILE_SCAN_RD(TILE_RDX)
/* every element's within-tile value written back to sh (acc: point t's last) */
#define TILE_WBALL                                                                              \
    "if (cnt == 8) {\n" TILE_X8(TILE_WB) "  acc = e7;\n"                                        \
    "} else if (cnt > 0) {\n"                                                                   \
    "  for (int k = 0; k < cnt; k++) { T u = sh[pb + k]; if (hp != 0) u = wg_op(pre, u); sh[pb + k] = u; acc = u; }\n" \
    "}\n"
#define TILE_LOCAL TILE_RUN TILE_WBALL
#define TILE_DECL "__shared__ T sh[2112]; __shared__ T ts[512];\n"
/* (1) each block's total, for the tile scan of blocks of nch tiles (bl = nch * 2048 elements):
 * workgroup w is block g of row r (wpr blocks a row).  A reduction, not a scan: point t folds
 * the elements t, t + 256, ... of the block (8 independent coalesced loads at a time, folded
 * pairwise), then the 256 points' values by a halving tree in workgroup memory.  One read of the
 * data and 8 barriers a block; the block's scan (3) chains its tiles in turn, so in float its
 * last element may differ from this total in the last bits (cpu and webgpu agree: one order). */
#define BREDUCE_LD(j) "T v" #j " = (T)x[b0 + c + " #j " * 256 + t];\n"
#define BREDUCE_BODY                                                                            \
    "__shared__ T ts[256];\n"                                                                   \
    "int t = (int)i & 255; int w = (int)i >> 8; int r = w / wpr; int g = w - r * wpr;\n"       \
    "int b0 = r * n + g * bl; int len = min(bl, n - g * bl); int c = 0; T acc = (T)0;\n"       \
    "for (; c + " TILE_STR " <= len; c += " TILE_STR ") {\n" TILE_X8(BREDUCE_LD)                \
    "  T u = wg_op(wg_op(wg_op(v0, v1), wg_op(v2, v3)), wg_op(wg_op(v4, v5), wg_op(v6, v7)));\n" \
    "  acc = c > 0 ? wg_op(acc, u) : u;\n"                                                     \
    "}\n"                                                                                       \
    "for (int e = c + t; e < len; e += 256) { T v = (T)x[b0 + e]; acc = e >= 256 ? wg_op(acc, v) : v; }\n" \
    "ts[t] = acc; int np = min(256, len);\n"                                                   \
    "__syncthreads();\n"                                                                        \
    "for (int off = 128; off > 0; off >>= 1) {\n"                                              \
    "  if (t < off && t + off < np) ts[t] = wg_op(ts[t], ts[t + off]);\n"                      \
    "  __syncthreads();\n"                                                                      \
    "}\n"                                                                                       \
    "if (t == 0) s[w] = ts[0];"
/* The prefix a workgroup starts from: usep 1, the inclusive scan P of the blocks' totals (part
 * g > 0 starts from P[w - 1]); usep 2, P the totals themselves, which the workgroup reduces up
 * to its own (g of them, L2-resident: 2048 at most, so launch (2) is not needed).  usep is the
 * same for every point (a uniform branch around the barriers). */
#define TSCAN_PREFIX                                                                            \
    "if (usep == 1 && g > 0) { carry = P[w - 1]; have = 1; }\n"                                 \
    "if (usep == 2) {\n"                                                                        \
    "  T a = (T)0; for (int k = t; k < g; k += 256) { T v = P[r * wpr + k]; a = k >= 256 ? wg_op(a, v) : v; }\n" \
    "  ts[t] = a; int np = min(256, g);\n"                                                     \
    "  __syncthreads();\n"                                                                      \
    "  for (int off = 128; off > 0; off >>= 1) {\n"                                            \
    "    if (t < off && t + off < np) ts[t] = wg_op(ts[t], ts[t + off]);\n"                    \
    "    __syncthreads();\n"                                                                    \
    "  }\n"                                                                                     \
    "  if (g > 0) { carry = ts[0]; have = 1; }\n"                                               \
    "  __syncthreads();\n"                                                                      \
    "}\n"
/* (2) and (3): workgroup w scans nch consecutive tiles (chunks) of row r = w / wpr, part g, in
 * turn, starting from the inclusive scan P of the tiles' totals (when usep: part g > 0 starts
 * from P[w - 1]), each chunk from the last result of the one before; coalesced stores.  (2) is
 * one workgroup a row over the row's tile totals (wpr 1, nch all of them), (3) one a tile. */
#define TSCAN_BODY TSCAN_BODY_RUN("", TILE_RUNX)
#define TSCAN_BODY_RUN(PRE, RUN) TILE_DECL                                                      \
    "int t = (int)i & 255; int w = (int)i >> 8; int r = w / wpr; int g = w - r * wpr;\n"       \
    "int rb = r * n; int have = 0; T carry = (T)0;\n"                                           \
    TSCAN_PREFIX PRE                                                                            \
    "for (int c = 0; c < nch; c++) {\n"                                                         \
    "  int cb = (g * nch + c) * " TILE_STR "; int len = min(" TILE_STR ", n - cb);\n"          \
    RUN TILE_WBALL                                                                              \
    "  __syncthreads();\n"                                                                      \
    "  for (int j = 0; j < 8; j++) { int e = j * 256 + t; if (e < len) {\n"                    \
    "    T v = sh[" TILE_PAD("e") "]; y[rb + cb + e] = have != 0 ? wg_op(carry, v) : v; } }\n" \
    "  if (len > 0) { T l = sh[" TILE_PAD("len - 1") "]; carry = have != 0 ? wg_op(carry, l) : l; have = 1; }\n" \
    "  __syncthreads();\n"                                                                      \
    "}"

/* TSCAN_BODY with the next tile's loads issued before this tile's scan (registers hold them
 * across the barriers: the loads' latency overlaps the scan's) */
/* (an if, not ?: -- a select that would load past the block's end on the last tile) */
#define TPF_LD(j) "if (" #j " * 256 + t < nl) v" #j " = (T)x[rb + nb + " #j " * 256 + t];\n"
#define TPF_ST(j) "if (" #j " * 256 + t < len) sh[" #j " * 264 + t + (t >> 5)] = v" #j ";\n"
#define TPF_DECL(j) "T v" #j " = (T)0;\n"
#define TSCANPF_BODY TILE_DECL                                                                  \
    "int t = (int)i & 255; int w = (int)i >> 8; int r = w / wpr; int g = w - r * wpr;\n"       \
    "int rb = r * n; int have = 0; T carry = (T)0;\n"                                           \
    TSCAN_PREFIX                                                                                \
    TILE_X8(TPF_DECL) "int nb = g * nch * " TILE_STR "; int nl = min(" TILE_STR ", n - nb);\n" \
    TILE_X8(TPF_LD)                                                                             \
    "for (int c = 0; c < nch; c++) {\n"                                                         \
    "  int cb = nb; int len = nl;\n"                                                            \
    TILE_X8(TPF_ST) "  __syncthreads();\n"                                                      \
    "  nb = cb + " TILE_STR "; nl = c + 1 < nch ? min(" TILE_STR ", n - nb) : 0;\n"             \
    TILE_X8(TPF_LD) TILE_SCAN TILE_WBALL                                                        \
    "  __syncthreads();\n"                                                                      \
    "  for (int j = 0; j < 8; j++) { int e = j * 256 + t; if (e < len) {\n"                    \
    "    T v = sh[" TILE_PAD("e") "]; y[rb + cb + e] = have != 0 ? wg_op(carry, v) : v; } }\n" \
    "  if (len > 0) { T l = sh[" TILE_PAD("len - 1") "]; carry = have != 0 ? wg_op(carry, l) : l; have = 1; }\n" \
    "  __syncthreads();\n"                                                                      \
    "}"

#define OP_PREAMBLE(EXPR) "template <typename U> __device__ U wg_op(U a, U b) { return (U)(" EXPR "); }\n"

#define SCAN_KERNELS(NAME, EXPR)                                                                \
    static const wgP_libk reduce_##NAME = {                                                     \
        .name = "wg_scan_reduce_" #NAME, .in_params = "raw X x, int32 n, int32 nseg",           \
        .out_params = "T s", .operation = REDUCE_BODY, .preamble = OP_PREAMBLE(EXPR),           \
        .loop_prep = ""};                                                                       \
    static const wgP_libk down_##NAME = {                                                       \
        .name = "wg_scan_down_" #NAME, .in_params = "raw X x, raw T P, int32 n, int32 nseg",    \
        .out_params = "raw T y", .operation = DOWN_BODY, .preamble = OP_PREAMBLE(EXPR),         \
        .loop_prep = ""};                                                                       \
    static const wgP_libk downg_##NAME = {                                                      \
        .name = "wg_scan_downg_" #NAME, .in_params = "raw X x, raw T P, int32 n, int32 nseg",   \
        .out_params = "T y", .operation = DOWNG_BODY, .preamble = OP_PREAMBLE(EXPR),            \
        .loop_prep = ""};                                                                       \
    static const wgP_libk breduce_##NAME = {                                                    \
        .name = "wg_scan_breduce_" #NAME, .in_params = "raw X x, int32 n, int32 wpr, int32 bl", \
        .out_params = "raw T s", .operation = BREDUCE_BODY, .preamble = OP_PREAMBLE(EXPR),      \
        .loop_prep = "__wg_block(256)"};                                                        \
    static const wgP_libk tscan_##NAME = {                                                      \
        .name = "wg_scan_tiles_" #NAME,                                                         \
        .in_params = "raw X x, raw T P, int32 n, int32 wpr, int32 nch, int32 usep",             \
        .out_params = "raw T y", .operation = TSCAN_BODY, .preamble = OP_PREAMBLE(EXPR),        \
        .loop_prep = "__wg_block(256)"};                                                        \
    static const wgP_libk tscanpf_##NAME = {                                                    \
        .name = "wg_scan_tilespf_" #NAME,                                                       \
        .in_params = "raw X x, raw T P, int32 n, int32 wpr, int32 nch, int32 usep",             \
        .out_params = "raw T y", .operation = TSCANPF_BODY, .preamble = OP_PREAMBLE(EXPR),      \
        .loop_prep = "__wg_block(256)"};                                                        \
    static const wgP_scan_ops ops_##NAME = {&reduce_##NAME, &down_##NAME, &downg_##NAME,       \
                                            &breduce_##NAME, &tscan_##NAME, &tscanpf_##NAME};

typedef struct {
    const wgP_libk *reduce, *down, *downg; /* the segment scan (webgl2, short rows) */
    const wgP_libk *breduce, *tscan, *tscanpf; /* the tile scan */
} wgP_scan_ops;

SCAN_KERNELS(add, "a + b")
SCAN_KERNELS(mul, "a * b")
/* NumPy's maximum/minimum propagate NaN (a != a only for NaN) */
SCAN_KERNELS(max, "(a != a) ? a : ((b != b) ? b : (a > b ? a : b))")
SCAN_KERNELS(min, "(a != a) ? a : ((b != b) ? b : (a < b ? a : b))")
SCAN_KERNELS(and, "a && b")
SCAN_KERNELS(or, "a || b")

/* exclusive forms: rows of m = n (exclusive) or n + 1 (with the initial value) */
static const wgP_libk shift_src = {
    .name = "wg_scan_shift",
    .in_params = "raw T inc, T init, int32 n, int32 m",
    .out_params = "T y",
    .operation = "int r = (int)(i / m); int c = (int)(i % m);\n"
                 "y = (c == 0) ? init : inc[r * n + c - 1];",
    .preamble = "",
    .loop_prep = "",
};

/* compaction: output k is the smallest j with S[j] > k (S: the inclusive scan of the mask), by a
 * branchless binary search unrolled over 31 halving steps (no loop, no divergence: every output
 * point runs the same straight-line code; steps below 1 change nothing). top: the largest power
 * of two <= n. */
#define SEARCH_STEP "j = pos + s; pos = (j < n && S[j] < k) ? j : pos; s = s >> 1;\n"
#define SEARCH_STEP4 SEARCH_STEP SEARCH_STEP SEARCH_STEP SEARCH_STEP
static const wgP_libk compact_src = {
    .name = "wg_compact",
    .in_params = "raw I S, int32 n, int32 top",
    .out_params = "I idx",
    .operation = "I k = (I)i + 1; int pos = -1; int s = top; int j = 0;\n"
                 SEARCH_STEP4 SEARCH_STEP4 SEARCH_STEP4 SEARCH_STEP4 SEARCH_STEP4 SEARCH_STEP4
                 SEARCH_STEP4 SEARCH_STEP SEARCH_STEP SEARCH_STEP
                 "idx = (I)(pos + 1);",
    .preamble = "",
    .loop_prep = "",
};

/* compaction by a scatter (cpu and webgpu, which have raw stores; webgl2 runs the search): each
 * true element j writes its own index to position S[j] - 1.  One pass, no search. */
static const wgP_libk compact_scatter_src = {
    .name = "wg_compact_scatter",
    .in_params = "raw I S",
    .out_params = "raw I idx",
    .operation = "I s = S[i]; I p = (i > 0) ? S[i - 1] : (I)0;\n"
                 "if (s != p) idx[s - 1] = (I)i;",
    .preamble = "",
    .loop_prep = "",
};

/* ---- helpers ------------------------------------------------------------------------------ */

int wgP_index_dtype(wg_context *ctx) { return wgD_canonical(WG_INT64, ctx->x64); }

static const wgP_scan_ops *op_kernels(wg_context *ctx, int op) {
    switch (op) {
    case WG_OP_ADD: return &ops_add;
    case WG_OP_MULTIPLY: return &ops_mul;
    case WG_OP_MAXIMUM: return &ops_max;
    case WG_OP_MINIMUM: return &ops_min;
    case WG_OP_LOGICAL_AND: return &ops_and;
    case WG_OP_LOGICAL_OR: return &ops_or;
    default:
        wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: accumulate is not implemented for '%s'",
                  op >= 0 && op < WG_NOPS ? wg_op_name(op) : "?");
        return NULL;
    }
}

/* The identity of op in dtype dt, as a strong 0-d scalar (a new reference). */
static wg_array *identity_scalar(wg_context *ctx, int op, int dt) {
    int bits = 8 * wgD_size(dt);
    int lowest = op == WG_OP_MAXIMUM, highest = op == WG_OP_MINIMUM;
    if (op == WG_OP_ADD || op == WG_OP_LOGICAL_OR) return wg_scalar(ctx, dt, 0, 0, 0, 0.0);
    if (op == WG_OP_MULTIPLY || op == WG_OP_LOGICAL_AND) return wg_scalar(ctx, dt, 0, 1, 0, 1.0);
    if (dt == WG_BOOL) return wg_scalar(ctx, dt, 0, highest, 0, 0.0);
    if (wgD_is_float(dt)) return wg_scalar(ctx, dt, 0, 0, 0, lowest ? -INFINITY : INFINITY);
    if (wgD_is_unsigned(dt)) {
        uint64_t mx = bits == 64 ? UINT64_MAX : (((uint64_t)1 << bits) - 1);
        return wg_scalar(ctx, dt, 0, lowest ? 0 : (int64_t)mx, 1, 0.0);
    }
    int64_t mx = bits == 64 ? INT64_MAX : (int64_t)((((uint64_t)1) << (bits - 1)) - 1);
    return wg_scalar(ctx, dt, 0, lowest ? -mx - 1 : mx, 0, 0.0);
}

static int launch_into(wg_context *ctx, const wgP_libk *k, int nargs, wg_array **args) {
    return wgP_libk_launch(ctx, k, nargs, args, -1, NULL) == WG_OK ? WG_OK
           : ctx->status                                          ? ctx->status
                                                                  : WG_ERR_INTERNAL;
}

/* The gather forms run on webgl2 (a fragment writes only its own point); the C tests run them on
 * the cpu backend too (core/tests/test_scan.c sets backend_id). */
static int use_gather(const wg_context *ctx) { return ctx->backend_id == WG_BACKEND_WEBGL2; }

/* The tile scan's launch (2) or (3): tscan over x's rows of n into y (see TSCAN_BODY). */
static int tile_pass(wg_context *ctx, const wgP_scan_ops *ops, wg_array *x, wg_array *P,
                     wg_array *y, int64_t M, int64_t n, int64_t wpr, int64_t nch, int usep) {
    wg_array *vn = wgP_i32(ctx, (int32_t)n), *vw = wgP_i32(ctx, (int32_t)wpr);
    wg_array *vc = wgP_i32(ctx, (int32_t)nch), *vu = wgP_i32(ctx, usep);
    int st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (vn && vw && vc && vu) {
        wg_array *args[7] = {x, P, vn, vw, vc, vu, y};
        const wgP_libk *k = nch > 1 && ctx->scan_prefetch ? ops->tscanpf : ops->tscan;
        st = wgP_libk_launch(ctx, k, 7, args, M * wpr * 256, NULL);
        if (st && ctx->status) st = ctx->status;
    }
    wg_release(vn);
    wg_release(vw);
    wg_release(vc);
    wg_release(vu);
    return st;
}

/* The tile scan's block for rows of n: the tiles one workgroup of launch (3) scans in turn (and
 * launch (1) reduces).  Larger blocks mean fewer totals for (2) to scan (one workgroup a row, a
 * tile at a time) and fewer barriers a byte in (1); smaller ones more workgroups to fill a GPU.
 * The default keeps at least WGP_SCAN_MIN_BLOCKS blocks a row (up to WGP_SCAN_BLOCK_TILES tiles
 * a block), so that (2) scans one tile of totals up to 2048 * 2048 * 8 elements. */
static int64_t block_tiles(const wg_context *ctx, int64_t n) {
    if (ctx->scan_chunks > 0) return ctx->scan_chunks;
    int64_t bt = (n + WGP_SCAN_TILE - 1) / WGP_SCAN_TILE / WGP_SCAN_MIN_BLOCKS;
    return bt < 1 ? 1 : bt > WGP_SCAN_BLOCK_TILES ? WGP_SCAN_BLOCK_TILES : bt;
}

/* (1) and (2) of the tile scan: each block's total (M, nb), and those scanned (one workgroup a
 * row, looping over the row's totals a tile at a time) */
static wg_array *tile_totals(wg_context *ctx, const wgP_scan_ops *ops, wg_array *x, int dt,
                             int64_t M, int64_t n, int totals_only) {
    const int64_t TL = WGP_SCAN_TILE, BL = TL * block_tiles(ctx, n);
    int64_t nb = (n + BL - 1) / BL, tshape[2] = {M, nb};
    wg_array *tot = wg_empty(ctx, dt, 2, tshape), *P = NULL, *res = NULL;
    wg_array *vn = wgP_i32(ctx, (int32_t)n), *vw = wgP_i32(ctx, (int32_t)nb);
    wg_array *vb = wgP_i32(ctx, (int32_t)BL);
    if (!tot || !vn || !vw || !vb) goto done;
    wg_array *a1[5] = {x, vn, vw, vb, tot};
    if (wgP_libk_launch(ctx, ops->breduce, 5, a1, M * nb * 256, NULL) != WG_OK) goto done;
    if (nb == 1 || totals_only) {
        res = tot; /* one block: its total is its scan */
        tot = NULL;
        goto done;
    }
    P = wg_empty(ctx, dt, 2, tshape);
    if (!P || tile_pass(ctx, ops, tot, tot, P, M, nb, 1, (nb + TL - 1) / TL, 0)) goto done;
    res = P;
    P = NULL;
done:
    wg_release(tot);
    wg_release(P);
    wg_release(vn);
    wg_release(vw);
    wg_release(vb);
    return res;
}

/* The tile scan of x's rows (as scan_rows): (1) each block's total (M, nb), (2) one workgroup a
 * row scans its row's totals, (3) each block rescanned tile by tile from its exclusive prefix,
 * coalesced.  3 launches for any n up to 2^31 (1 for rows of one block). */
static wg_array *scan_tiles(wg_context *ctx, const wgP_scan_ops *ops, wg_array *x, int dt,
                            int64_t M, int64_t n) {
    const int64_t TL = WGP_SCAN_TILE, BT = block_tiles(ctx, n), BL = TL * BT;
    int64_t nb = (n + BL - 1) / BL, shape[2] = {M, n}, one = 1;
    /* a row of one block: as many tiles as it has, P never read */
    int64_t nch = nb == 1 ? (n + TL - 1) / TL : BT;
    /* usep 2 (wg_set_scan_block + 200): launch (3) reduces the block totals itself, no (2) */
    int fuse = ctx->scan_fuse && nb > 1 && nb <= TL;
    wg_array *y = wg_empty(ctx, dt, 2, shape), *res = NULL;
    wg_array *P = !y ? NULL : nb == 1 ? wg_empty(ctx, dt, 1, &one) : tile_totals(ctx, ops, x, dt, M, n, fuse);
    if (P && tile_pass(ctx, ops, x, P, y, M, n, nb, nch, nb == 1 ? 0 : fuse ? 2 : 1) == WG_OK) {
        res = y;
        y = NULL;
    }
    wg_release(P);
    wg_release(y);
    return res;
}

/* Rows for the tile scan: where it runs (not on webgl2: no workgroup memory), and not for many
 * short rows (a tile's 256 points would mostly idle; the segment scan takes 1-3 launches there). */
static int tiles_ok(const wg_context *ctx) {
    if (use_gather(ctx) || ctx->scan_path == 1) return 0;
    /* auto: on a GPU only (the cpu executor runs the tiles' per-lane loops in lock step, and a
     * CPU implementation of WebGPU emulates every barrier point by point: both 10-25x slower
     * than the segment scan there, measured) */
    return ctx->scan_path == 2 || (ctx->backend_id == WG_BACKEND_WEBGPU && !ctx->adapter_cpu_like);
}

static int use_tiles(const wg_context *ctx, int64_t M, int64_t n) {
    return tiles_ok(ctx) && (M == 1 || n >= 256);
}

int wg_set_scan_path(wg_context *ctx, int path) {
    int old = ctx->scan_path;
    if (path >= 0 && path <= 2) ctx->scan_path = path;
    return old;
}

int wg_set_scan_block(wg_context *ctx, int tiles) {
    int old = ctx->scan_chunks + (ctx->scan_prefetch ? 100 : 0) + (ctx->scan_fuse ? 200 : 0);
    /* + 100 the prefetching rescan, + 200 no launch (2): to be measured on a GPU (wgpy.h) */
    int f = tiles / 100;
    tiles -= 100 * f;
    if (tiles >= 0 && tiles <= 64 && f <= 3) {
        ctx->scan_chunks = tiles;
        ctx->scan_prefetch = f & 1;
        ctx->scan_fuse = (f >> 1) & 1;
    }
    return old;
}

/* Inclusive scan in dtype dt of the rows of x (C-contiguous, M rows of n > 0 elements; x's own
 * dtype is converted element by element as it is read): a new (M, n) array, by the tile scan
 * where it applies, else the segment scan: segments of SEG:
 * (1) reduce each segment to its total, (2) scan the totals (M, nseg) recursively, (3) rescan each
 * segment from its exclusive prefix.  A row of n <= SEG is one segment: (3) alone. */
static wg_array *scan_rows(wg_context *ctx, const wgP_scan_ops *ops, wg_array *x, int dt,
                           int64_t M, int64_t n) {
    const int64_t S = WGP_SCAN_SEG;
    if (use_tiles(ctx, M, n)) return scan_tiles(ctx, ops, x, dt, M, n);
    int64_t nseg = (n + S - 1) / S, shape[2] = {M, n}, tshape[2] = {M, nseg};
    wg_array *tot = NULL, *P = NULL, *y = NULL, *vn = NULL, *vs = NULL, *res = NULL;
    vn = wgP_i32(ctx, (int32_t)n);
    vs = wgP_i32(ctx, (int32_t)nseg);
    y = wg_empty(ctx, dt, 2, shape);
    if (!vn || !vs || !y) goto done;
    if (nseg > 1) {
        tot = wg_empty(ctx, dt, 2, tshape);
        if (!tot) goto done;
        wg_array *a1[4] = {x, vn, vs, tot};
        if (launch_into(ctx, ops->reduce, 4, a1)) goto done;
        P = scan_rows(ctx, ops, tot, dt, M, nseg);
    } else {
        P = wg_empty(ctx, dt, 2, tshape); /* never read: every segment is its row's first */
    }
    if (!P) goto done;
    wg_array *a3[5] = {x, P, vn, vs, y};
    if (use_gather(ctx)) {
        if (launch_into(ctx, ops->downg, 5, a3)) goto done;
    } else if (wgP_libk_launch(ctx, ops->down, 5, a3, M * nseg, NULL) != WG_OK) {
        goto done;
    }
    res = y;
    y = NULL;
done:
    wg_release(tot);
    wg_release(P);
    wg_release(y);
    wg_release(vn);
    wg_release(vs);
    return res;
}

/* ---- scans -------------------------------------------------------------------------------- */

wg_array *wgP_scan(wg_context *ctx, int op, wg_array *a, int64_t axis, int dtype, int mode) {
    const wgP_scan_ops *ops = op_kernels(ctx, op);
    if (!ops) return NULL;
    if (op == WG_OP_LOGICAL_AND || op == WG_OP_LOGICAL_OR) dtype = WG_BOOL;
    if (dtype < 0) dtype = a->dtype;
    if (wgP_check_dtype(ctx, dtype)) return NULL;
    dtype = wgD_canonical(dtype, ctx->x64);
    int ndim = a->lay.ndim > 0 ? a->lay.ndim : 1;
    int64_t shp[WG_MAX_NDIM];
    if (a->lay.ndim) memcpy(shp, a->lay.shape, sizeof(int64_t) * (size_t)ndim);
    else shp[0] = 1;
    int ax = wgL_normalize_axis(ctx, axis, ndim);
    if (ax < 0) return NULL;
    int64_t n = shp[ax], size = 1, M = 1; /* M: the rows, the product of the other dims */
    for (int d = 0; d < ndim; d++) {
        size *= shp[d];
        if (d != ax) M *= shp[d];
    }
    int64_t m = mode == WGP_SCAN_INITIAL ? n + 1 : n;
    if (M * m >= INT32_MAX || size >= INT32_MAX)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: scans of 2**31 elements or more are not "
                         "supported"), NULL;
    /* the moved shape: the scanned axis last */
    int64_t mshape[WG_MAX_NDIM];
    for (int d = 0, k = 0; d < ndim; d++)
        if (d != ax) mshape[k++] = shp[d];
    mshape[ndim - 1] = m;

    wg_array *a1 = NULL, *mv = NULL, *cast = NULL, *xc = NULL, *inc = NULL, *y = NULL,
             *init = NULL, *vn = NULL, *vm = NULL, *r = NULL, *back = NULL,
             *res = NULL;
    int64_t src = ax, dst = ndim - 1;
    a1 = a->lay.ndim ? (wg_retain(a), a) : wg_reshape(ctx, a, 1, shp, 'C');
    if (!a1) goto done;
    mv = ax == ndim - 1 ? (wg_retain(a1), a1) : wg_moveaxis(ctx, a1, 1, &src, &dst);
    if (!mv) goto done;
    int64_t rshape[2] = {M, m};
    if (M == 0 || m == 0 || n == 0) {
        /* nothing to scan: an empty result, or (include_initial) rows of the identity */
        init = identity_scalar(ctx, op, dtype);
        y = init ? wg_full(ctx, dtype, 2, rshape, init) : NULL;
        if (!y) goto done;
    } else {
        /* the kernels convert a bool input (a mask) as they read it; other dtypes are cast here */
        cast = mv->dtype == dtype || mv->dtype == WG_BOOL
                   ? (wg_retain(mv), mv)
                   : wg_astype(ctx, mv, dtype, WG_CAST_UNSAFE, 0);
        if (!cast) goto done;
        xc = wgL_is_c_contiguous(&cast->lay) && cast->buf ? (wg_retain(cast), cast)
                                                          : wg_copy(ctx, cast, 'C');
        if (!xc) goto done;
        init = identity_scalar(ctx, op, dtype);
        inc = init ? scan_rows(ctx, ops, xc, dtype, M, n) : NULL;
        if (!inc) goto done;
        if (mode == WGP_SCAN_INCLUSIVE) {
            y = inc;
            inc = NULL;
        } else {
            vn = wgP_i32(ctx, (int32_t)n);
            vm = wgP_i32(ctx, (int32_t)m);
            y = wg_empty(ctx, dtype, 2, rshape);
            if (!init || !vn || !vm || !y) goto done;
            wg_array *args[5] = {inc, init, vn, vm, y};
            if (launch_into(ctx, &shift_src, 5, args)) goto done;
        }
    }
    r = wg_reshape(ctx, y, ndim, mshape, 'C');
    if (!r) goto done;
    if (ax == ndim - 1) {
        res = r;
        r = NULL;
    } else {
        back = wg_moveaxis(ctx, r, 1, &dst, &src);
        if (back) res = wg_copy(ctx, back, 'C');
    }
done:
    wg_release(a1);
    wg_release(mv);
    wg_release(cast);
    wg_release(xc);
    wg_release(inc);
    wg_release(y);
    wg_release(init);
    wg_release(vn);
    wg_release(vm);
    wg_release(r);
    wg_release(back);
    return res;
}

/* ---- compaction --------------------------------------------------------------------------- */

wg_array *wgP_mask_scan(wg_context *ctx, wg_array *mask) {
    int64_t n = wgL_size(&mask->lay);
    int it = wgP_index_dtype(ctx);
    wg_array *flat = NULL, *b = NULL, *res = NULL;
    flat = wg_reshape(ctx, mask, 1, &n, 'C');
    if (!flat) return NULL;
    if (flat->dtype != WG_BOOL) {
        wg_array *zero = wg_scalar(ctx, WG_BOOL, WG_WEAK_BOOL, 0, 0, 0.0);
        b = zero ? wg_binary(ctx, WG_OP_NOT_EQUAL, flat, zero, NULL, -1) : NULL;
        wg_release(zero);
    } else {
        b = flat;
        wg_retain(b);
    }
    if (b) res = wgP_scan(ctx, WG_OP_ADD, b, 0, it, WGP_SCAN_INCLUSIVE);
    wg_release(flat);
    wg_release(b);
    return res;
}

wg_array *wgP_compact(wg_context *ctx, wg_array *scan, int64_t count) {
    int64_t n = wgL_size(&scan->lay);
    if (count < 0 || count > n)
        return wgB_error(ctx, WG_ERR_VALUE, "wgpy: compaction count %lld out of range",
                         (long long)count), NULL;
    wg_array *idx = wg_empty(ctx, scan->dtype, 1, &count);
    if (!idx || count == 0) return idx;
    if (ctx->backend_id != WG_BACKEND_WEBGL2) {
        wg_array *sargs[2] = {scan, idx};
        if (wgP_libk_launch(ctx, &compact_scatter_src, 2, sargs, n, NULL) != WG_OK) {
            wg_release(idx);
            return NULL;
        }
        return idx;
    }
    int64_t top = 1;
    while (top * 2 <= n) top *= 2;
    wg_array *vn = wgP_i32(ctx, (int32_t)n), *vt = wgP_i32(ctx, (int32_t)top);
    wg_array *args[4] = {scan, vn, vt, idx};
    int st = vn && vt ? launch_into(ctx, &compact_src, 4, args) : WG_ERR_MEMORY;
    wg_release(vn);
    wg_release(vt);
    if (st) {
        wg_release(idx);
        return NULL;
    }
    return idx;
}

/* ---- fused compaction from the segment scan (wg_mask_segscan / wg_mask_select) ------------- */

/* The number of nonzero elements of each segment of SEG of the flat mask m (any dtype). */
static const wgP_libk seg_count_src = {
    .name = "wg_mask_seg_count",
    .in_params = "raw X m, int32 n",
    .out_params = "I s",
    .operation = "int b = (int)i * " SEG_STR "; int e = min(b + " SEG_STR ", n); I c = (I)0;\n"
                 "for (int k = b; k < e; k++) c += (m[k] != (X)0) ? (I)1 : (I)0;\n"
                 "s = c;",
    .preamble = "",
    .loop_prep = "",
};
/* cpu, webgpu: one point per segment walks its mask and writes each true element's index (or
 * value) at the next position from the segment's exclusive prefix (P: the inclusive scan of the
 * segment counts).  One read of the mask, no scan of the elements is ever written. */
#define SEL_HEAD                                                                                \
    "int t = (int)i; int b = t * " SEG_STR "; int e = min(b + " SEG_STR ", n);\n"               \
    "I o = t > 0 ? P[t - 1] : (I)0;\n"
static const wgP_libk sel_idx_src = {
    .name = "wg_mask_select_idx",
    .in_params = "raw X m, raw I P, int32 n",
    .out_params = "raw I y",
    .operation = SEL_HEAD "for (int k = b; k < e; k++) if (m[k] != (X)0) { y[o] = (I)k; o += 1; }",
    .preamble = "",
    .loop_prep = "",
};
static const wgP_libk sel_val_src = {
    .name = "wg_mask_select_val",
    .in_params = "raw X m, raw I P, raw T a, int32 n",
    .out_params = "raw T y",
    .operation = SEL_HEAD "for (int k = b; k < e; k++) if (m[k] != (X)0) { y[o] = a[k]; o += 1; }",
    .preamble = "",
    .loop_prep = "",
};
/* webgl2 (a gather): output point k finds its segment, the smallest g with P[g] > k, by a binary
 * search over the nseg segment counts (top: the largest power of two <= nseg), then walks that
 * segment's mask to its true element of rank k - P[g - 1]. */
#define SELG_BODY                                                                               \
    "I k = (I)i; int pos = -1;\n"                                                               \
    "for (int s = top; s > 0; s = s >> 1) { int j = pos + s; if (j < nseg && P[j] <= k) pos = j; }\n" \
    "int g = pos + 1; I r = k - (g > 0 ? P[g - 1] : (I)0);\n"                                   \
    "int b = g * " SEG_STR "; int e = min(b + " SEG_STR ", n); int f = b;\n"                    \
    "for (int q = b; q < e; q++) if (m[q] != (X)0) { if (r == (I)0) f = q; r -= (I)1; }\n"
static const wgP_libk selg_idx_src = {
    .name = "wg_mask_selectg_idx",
    .in_params = "raw X m, raw I P, int32 nseg, int32 top, int32 n",
    .out_params = "I y",
    .operation = SELG_BODY "y = (I)f;",
    .preamble = "",
    .loop_prep = "",
};
static const wgP_libk selg_val_src = {
    .name = "wg_mask_selectg_val",
    .in_params = "raw X m, raw I P, raw T a, int32 nseg, int32 top, int32 n",
    .out_params = "T y",
    .operation = SELG_BODY "y = a[f];",
    .preamble = "",
    .loop_prep = "",
};

/* The same by tiles (cpu, webgpu: a block of nch tiles a segment, P the inclusive scan of the
 * blocks' counts): workgroup w takes its block's tiles in turn, ranks a tile's elements by the
 * tile scan in workgroup memory (x: a bool mask, read as 0/1 in the index dtype T), then each
 * true element, read coalesced, goes to its rank from the tile's exclusive prefix o (the block's,
 * then advanced by each tile's count): neighbouring points read neighbouring elements and write
 * near each other.  TSEL_OPEN ... TSEL_CLOSE enclose the per-tile work. */
#define TSEL_OPEN TILE_DECL                                                                     \
    "int t = (int)i & 255; int w = (int)i >> 8; int rb = 0;\n"                                  \
    "T o = w > 0 ? P[w - 1] : (T)0;\n"                                                          \
    "for (int ch = 0; ch < nch; ch++) {\n"                                                      \
    "int cb = (w * nch + ch) * " TILE_STR "; int len = min(" TILE_STR ", n - cb);\n"           \
    TILE_LOCAL "__syncthreads();\n"
#define TSEL_CLOSE                                                                              \
    "if (len > 0) o += sh[" TILE_PAD("len - 1") "];\n"                                         \
    "__syncthreads();\n"                                                                        \
    "}"
/* the same with the next tile's loads issued before this tile's scan (as TSCANPF_BODY) */
#define TSELPF_OPEN TILE_DECL                                                                   \
    "int t = (int)i & 255; int w = (int)i >> 8; int rb = 0; int g = w;\n"                       \
    "T o = w > 0 ? P[w - 1] : (T)0;\n"                                                          \
    TILE_X8(TPF_DECL) "int nb = g * nch * " TILE_STR "; int nl = min(" TILE_STR ", n - nb);\n" \
    TILE_X8(TPF_LD)                                                                             \
    "for (int ch = 0; ch < nch; ch++) {\n"                                                      \
    "int cb = nb; int len = nl;\n"                                                              \
    TILE_X8(TPF_ST) "__syncthreads();\n"                                                        \
    "nb = cb + " TILE_STR "; nl = ch + 1 < nch ? min(" TILE_STR ", n - nb) : 0;\n"              \
    TILE_X8(TPF_LD) TILE_SCAN TILE_WBALL "__syncthreads();\n"
/* element e of the tile is true where its within-tile count steps up (no second read of the
 * mask); straight-line code for the 8 elements of a point */
#define TSEL_E(j, STORE)                                                                        \
    "{ int e = " #j " * 256 + t; T c = sh[" TILE_PAD("e") "];\n"                                \
    "  T p = e > 0 ? sh[" TILE_PAD("e - 1") "] : (T)0;\n"                                       \
    "  if (e < len && c != p) y[o + c - (T)1] = " STORE "; }\n"
#define TSEL_IDX(j) TSEL_E(j, "(T)(cb + e)")
#define TSEL_VAL(j) TSEL_E(j, "a[cb + e]")
/* the tile select kernels: plain or prefetching (TSELPF_OPEN), writing indices or values */
#define TSEL_KERNEL(var, nm, open, ins, out, body)                                               \
    static const wgP_libk var = {                                                                \
        .name = nm, .in_params = ins, .out_params = out,                                         \
        .operation = open TILE_X8(body) TSEL_CLOSE,                                              \
        .preamble = OP_PREAMBLE("a + b"), .loop_prep = "__wg_block(256)",                        \
    };
#define TSEL_IDX_IN "raw X x, raw T P, int32 n, int32 nch"
#define TSEL_VAL_IN "raw X x, raw T P, raw V a, int32 n, int32 nch"
TSEL_KERNEL(tsel_idx_src, "wg_mask_tselect_idx", TSEL_OPEN, TSEL_IDX_IN, "raw T y", TSEL_IDX)
TSEL_KERNEL(tsel_val_src, "wg_mask_tselect_val", TSEL_OPEN, TSEL_VAL_IN, "raw V y", TSEL_VAL)
TSEL_KERNEL(tselpf_idx_src, "wg_mask_tselectpf_idx", TSELPF_OPEN, TSEL_IDX_IN, "raw T y", TSEL_IDX)
TSEL_KERNEL(tselpf_val_src, "wg_mask_tselectpf_val", TSELPF_OPEN, TSEL_VAL_IN, "raw V y", TSEL_VAL)
/* a[mask] = v by tiles: every element of the tile's rows (C elements a row) takes v at its
 * row's rank when the row is true, else keeps a's */
static const wgP_libk tfill_src = {
    .name = "wg_mask_tfill",
    .in_params = "raw V a, raw X x, raw T P, raw V v, int32 n, int32 nch, int32 C, int32 L",
    .out_params = "raw V y",
    .operation = TSEL_OPEN "int q1 = len * C;\n"
                 "for (int q = t; q < q1; q += 256) { int rr = q / C; int c = q - rr * C; int at = (cb + rr) * C + c;\n"
                 "  if (x[cb + rr] != (X)0) y[at] = v[(int)((o + sh[" TILE_PAD("rr") "] - (T)1) % (T)L) * C + c];\n"
                 "  else y[at] = a[at]; }\n" TSEL_CLOSE,
    .preamble = OP_PREAMBLE("a + b"),
    .loop_prep = "__wg_block(256)",
};

/* The elements a segment of the compaction: a block where the tile kernels run, else SEG. */
static int64_t seg_len(const wg_context *ctx, int64_t n) {
    return tiles_ok(ctx) ? WGP_SCAN_TILE * block_tiles(ctx, n) : WGP_SCAN_SEG;
}

/* the flat mask (n,) as bool (the tile kernels read it as 0/1; a new reference) */
static wg_array *flat_bool(wg_context *ctx, wg_array *mask, int64_t n) {
    wg_array *flat = wg_reshape(ctx, mask, 1, &n, 'C');
    if (!flat || flat->dtype == WG_BOOL) return flat;
    wg_array *zero = wg_scalar(ctx, WG_BOOL, WG_WEAK_BOOL, 0, 0, 0.0);
    wg_array *b = zero ? wg_binary(ctx, WG_OP_NOT_EQUAL, flat, zero, NULL, -1) : NULL;
    wg_release(zero);
    wg_release(flat);
    return b;
}

/* the inclusive scan of the segment counts of mask.ravel() != 0: (nseg,) in the index dtype */
static wg_array *mask_segscan(wg_context *ctx, wg_array *mask) {
    int64_t n = wgL_size(&mask->lay), nseg = (n + seg_len(ctx, n) - 1) / seg_len(ctx, n);
    int it = wgP_index_dtype(ctx);
    if (nseg == 0) return wg_empty(ctx, it, 1, &nseg);
    if (tiles_ok(ctx)) { /* (1) and (2) of the tile scan over the mask as 0/1 */
        wg_array *b = flat_bool(ctx, mask, n);
        wg_array *P = b ? tile_totals(ctx, &ops_add, b, it, 1, n, 0) : NULL;
        wg_array *res = P ? wg_reshape(ctx, P, 1, &nseg, 'C') : NULL;
        wg_release(b);
        wg_release(P);
        return res;
    }
    wg_array *flat = wg_reshape(ctx, mask, 1, &n, 'C');
    wg_array *cnt = flat ? wg_empty(ctx, it, 1, &nseg) : NULL;
    wg_array *vn = wgP_i32(ctx, (int32_t)n), *res = NULL;
    if (cnt && vn) {
        wg_array *args[3] = {flat, vn, cnt};
        if (launch_into(ctx, &seg_count_src, 3, args) == WG_OK) {
            wg_array *rows = wg_reshape(ctx, cnt, 2, (int64_t[2]){1, nseg}, 'C');
            wg_array *sc = rows ? scan_rows(ctx, &ops_add, rows, it, 1, nseg) : NULL;
            res = sc ? wg_reshape(ctx, sc, 1, &nseg, 'C') : NULL;
            wg_release(rows);
            wg_release(sc);
        }
    }
    wg_release(flat);
    wg_release(cnt);
    wg_release(vn);
    return res;
}

static wg_array *mask_select(wg_context *ctx, wg_array *mask, wg_array *P, int64_t count,
                             wg_array *a) {
    int64_t n = wgL_size(&mask->lay), nseg = (n + seg_len(ctx, n) - 1) / seg_len(ctx, n);
    if (wgL_size(&P->lay) != nseg || count < 0 || count > n)
        return wgB_error(ctx, WG_ERR_VALUE, "wg_mask_select: a segment scan of %lld entries and "
                         "a count of %lld for a mask of %lld", (long long)wgL_size(&P->lay),
                         (long long)count, (long long)n), NULL;
    if (a && wgL_size(&a->lay) != n)
        return wgB_error(ctx, WG_ERR_VALUE, "wg_mask_select: the array and the mask differ in "
                         "size"), NULL;
    wg_array *y = wg_empty(ctx, a ? a->dtype : P->dtype, 1, &count);
    if (!y || count == 0) return y;
    int tl = tiles_ok(ctx);
    wg_array *flat = !tl ? wg_reshape(ctx, mask, 1, &n, 'C') : flat_bool(ctx, mask, n);
    wg_array *af = a ? wg_reshape(ctx, a, 1, &n, 'C') : NULL;
    wg_array *vn = wgP_i32(ctx, (int32_t)n), *vs = wgP_i32(ctx, (int32_t)nseg), *vt = NULL;
    int st = WG_ERR_MEMORY;
    if (flat && vn && vs && (!a || af)) {
        if (tl) {
            vt = wgP_i32(ctx, (int32_t)block_tiles(ctx, n));
            wg_array *ai[5] = {flat, P, vn, vt, y}, *av[6] = {flat, P, af, vn, vt, y};
            int pf = ctx->scan_prefetch && block_tiles(ctx, n) > 1;
            const wgP_libk *kv = pf ? &tselpf_val_src : &tsel_val_src;
            const wgP_libk *ki = pf ? &tselpf_idx_src : &tsel_idx_src;
            st = !vt ? WG_ERR_MEMORY
                     : wgP_libk_launch(ctx, a ? kv : ki, a ? 6 : 5, a ? av : ai, nseg * 256, NULL);
        } else if (!use_gather(ctx)) {
            wg_array *ai[4] = {flat, P, vn, y}, *av[5] = {flat, P, af, vn, y};
            st = wgP_libk_launch(ctx, a ? &sel_val_src : &sel_idx_src, a ? 5 : 4, a ? av : ai,
                                 nseg, NULL);
        } else {
            int64_t top = 1;
            while (top * 2 <= nseg) top *= 2;
            vt = wgP_i32(ctx, (int32_t)top);
            wg_array *ai[6] = {flat, P, vs, vt, vn, y}, *av[7] = {flat, P, af, vs, vt, vn, y};
            st = vt ? launch_into(ctx, a ? &selg_val_src : &selg_idx_src, a ? 7 : 6, a ? av : ai)
                    : WG_ERR_MEMORY;
        }
        if (st && ctx->status) st = ctx->status;
    }
    wg_release(flat);
    wg_release(af);
    wg_release(vn);
    wg_release(vs);
    wg_release(vt);
    if (st) {
        wg_release(y);
        return NULL;
    }
    return y;
}

/* ---- public entry points (wgpy.h, "Scans and compaction") --------------------------------- */

/* NumPy's accumulator for add/multiply: small ints widen to the default int (as sum/prod). */
static int acc_dtype(int op, int dt) {
    if (op == WG_OP_LOGICAL_AND || op == WG_OP_LOGICAL_OR) return WG_BOOL;
    if (op != WG_OP_ADD && op != WG_OP_MULTIPLY) return dt;
    if (dt == WG_BOOL || (wgD_is_signed(dt) && dt != WG_INT64)) return WG_INT64;
    if (wgD_is_unsigned(dt) && dt != WG_UINT64) return WG_UINT64;
    return dt;
}

wg_array *wg_accumulate(wg_context *ctx, int op, wg_array *a, int64_t axis, int dtype,
                        int include_initial, int nan_as_identity, wg_array *out) {
    if (wgD_is_complex(a->dtype) || (dtype >= 0 && wgD_is_complex(dtype))) {
        /* cumsum of complex: the pairs scanned along the same axis (the pair axis is last) */
        if (nan_as_identity && (wgD_is_complex(a->dtype) || wgD_is_float(a->dtype))) {
            /* nancumsum/nancumprod of complex (NumPy's): an element with a NaN in either part
             * counts as the identity (0 or 1), then the ordinary complex scan */
            wg_array *isn = wg_unary(ctx, WG_OP_ISNAN, a, NULL, -1);
            wg_array *id = isn ? identity_scalar(ctx, op, wgD_is_complex(a->dtype)
                                                              ? wgD_part_dtype(a->dtype)
                                                              : a->dtype)
                               : NULL;
            wg_array *t = id ? wg_where(ctx, isn, id, a, NULL) : NULL;
            wg_release(isn);
            wg_release(id);
            if (!t) return NULL;
            wg_array *r = wg_accumulate(ctx, op, t, axis, dtype, include_initial, 0, out);
            wg_release(t);
            return r;
        }
        int cdt = dtype >= 0 ? wgD_canonical(dtype, ctx->x64) : a->dtype;
        if (op == WG_OP_MULTIPLY && !nan_as_identity && !include_initial && wgD_is_complex(cdt)) {
            wg_array *r = wgP_ccumprod(ctx, a, axis, cdt);
            return wgP_into_out(ctx, r, out);
        }
        if (op != WG_OP_ADD || nan_as_identity || !wgD_is_complex(cdt))
            return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: this accumulation is not supported for "
                             "complex arrays (cumsum is)"), NULL;
        int ax = wgL_normalize_axis(ctx, axis, a->lay.ndim);
        if (ax < 0) return NULL;
        wg_array *c = a->dtype == cdt ? (wg_retain(a), a) : wg_astype(ctx, a, cdt, WG_CAST_UNSAFE, 1);
        wg_array *pv = c ? wg_complex_pairs(ctx, c) : NULL;
        wg_array *s = pv ? wgP_scan(ctx, op, pv, ax, wgD_part_dtype(cdt),
                                    include_initial ? WGP_SCAN_INITIAL : WGP_SCAN_INCLUSIVE)
                         : NULL;
        wg_array *r = s ? wg_pairs_complex(ctx, s) : NULL;
        wg_release(c);
        wg_release(pv);
        wg_release(s);
        return wgP_into_out(ctx, r, out);
    }
    if (dtype < 0) dtype = acc_dtype(op, a->dtype); /* then cast into out, as NumPy */
    if (wgP_check_dtype(ctx, dtype)) return NULL;
    wg_array *src = a, *tmp = NULL;
    if (nan_as_identity && wgD_is_float(a->dtype)) {
        /* nancumsum/nancumprod: NaN counts as the identity (0 for add, 1 for multiply) */
        wg_array *isn = wg_unary(ctx, WG_OP_ISNAN, a, NULL, -1);
        wg_array *id = isn ? identity_scalar(ctx, op, a->dtype) : NULL;
        tmp = id ? wg_where(ctx, isn, id, a, NULL) : NULL;
        wg_release(isn);
        wg_release(id);
        if (!tmp) return NULL;
        src = tmp;
    }
    wg_array *r = wgP_scan(ctx, op, src, axis, dtype,
                           include_initial ? WGP_SCAN_INITIAL : WGP_SCAN_INCLUSIVE);
    wg_release(tmp);
    if (!r || !out) return wgP_out(ctx, r);
    int same = out->lay.ndim == r->lay.ndim;
    for (int d = 0; same && d < r->lay.ndim; d++) same = out->lay.shape[d] == r->lay.shape[d];
    if (!same) {
        wg_release(r);
        return wgB_error(ctx, WG_ERR_VALUE, "provided out is the wrong size for the accumulation."),
               NULL;
    }
    return wgP_into_out(ctx, r, out);
}

static int check_mask_shape(wg_context *ctx, const wg_array *mask, const wg_array *target) {
    if (mask->lay.ndim > target->lay.ndim)
        return wgB_error(ctx, WG_ERR_INDEX, "too many indices for array: array is %d-dimensional, "
                         "but %d were indexed", target->lay.ndim, mask->lay.ndim);
    for (int d = 0; d < mask->lay.ndim; d++)
        if (mask->lay.shape[d] != target->lay.shape[d])
            return wgB_error(ctx, WG_ERR_INDEX, "boolean index did not match indexed array along "
                             "axis %d; size of axis is %lld but size of corresponding boolean axis "
                             "is %lld", d, (long long)target->lay.shape[d],
                             (long long)mask->lay.shape[d]);
    return WG_OK;
}

wg_array *wg_mask_scan(wg_context *ctx, wg_array *mask, wg_array *target) {
    if (wgD_is_complex(mask->dtype)) { /* a complex mask: nonzero (either part) */
        wg_array *m = wg_astype(ctx, mask, WG_BOOL, WG_CAST_UNSAFE, 1);
        wg_array *r = m ? wg_mask_scan(ctx, m, target) : NULL;
        wg_release(m);
        return r;
    }
    if (target && check_mask_shape(ctx, mask, target)) return NULL;
    if (wgL_size(&mask->lay) >= INT32_MAX)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: masks of 2**31 elements or more are not "
                         "supported"), NULL;
    return wgP_out(ctx, wgP_mask_scan(ctx, mask));
}

int wg_read_size(wg_context *ctx, wg_array *scan, void *dst, int64_t nbytes) {
    int64_t n = wgL_size(&scan->lay);
    if (n == 0) {
        if (nbytes != wgD_size(scan->dtype))
            return wgB_error(ctx, WG_ERR_VALUE, "wg_read_size: %lld bytes", (long long)nbytes);
        memset(dst, 0, (size_t)nbytes);
        return WG_OK;
    }
    int64_t item[4] = {WG_IDX_INT, -1, 0, 0};
    int64_t flat = n;
    wg_array *f = wg_reshape(ctx, scan, 1, &flat, 'C');
    wg_array *last = f ? wg_index(ctx, f, 1, item) : NULL;
    int st = last ? wg_read(ctx, last, dst, nbytes) : ctx->status;
    wg_release(f);
    wg_release(last);
    if (st == WG_OK) ctx->counters[WG_COUNTER_HOST_SYNCS_FOR_SIZE]++;
    return st;
}

wg_array *wg_mask_segscan(wg_context *ctx, wg_array *mask, wg_array *target) {
    if (wgD_is_complex(mask->dtype)) { /* a complex mask: nonzero (either part) */
        wg_array *m = wg_astype(ctx, mask, WG_BOOL, WG_CAST_UNSAFE, 1);
        wg_array *r = m ? wg_mask_segscan(ctx, m, target) : NULL;
        wg_release(m);
        return r;
    }
    if (target && check_mask_shape(ctx, mask, target)) return NULL;
    if (wgL_size(&mask->lay) >= INT32_MAX)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: masks of 2**31 elements or more are not "
                         "supported"), NULL;
    return wgP_out(ctx, mask_segscan(ctx, mask));
}

wg_array *wg_mask_select(wg_context *ctx, wg_array *mask, wg_array *segscan, int64_t count,
                         wg_array *a) {
    if (wgD_is_complex(mask->dtype)) { /* a complex mask: nonzero (either part) */
        wg_array *m = wg_astype(ctx, mask, WG_BOOL, WG_CAST_UNSAFE, 1);
        wg_array *r = m ? wg_mask_select(ctx, m, segscan, count, a) : NULL;
        wg_release(m);
        return r;
    }
    if (a && wgD_is_complex(a->dtype)) {
        /* each part selected, then paired again (api/complex.c) */
        wg_array *re = wg_real(ctx, a), *im = re ? wg_imag(ctx, a) : NULL;
        wg_array *sr = im ? mask_select(ctx, mask, segscan, count, re) : NULL;
        wg_array *si = sr ? mask_select(ctx, mask, segscan, count, im) : NULL;
        wg_array *r = si ? wgP_cjoin(ctx, sr, si, a->dtype) : NULL;
        wg_release(re);
        wg_release(im);
        wg_release(sr);
        wg_release(si);
        return wgP_out(ctx, r);
    }
    wg_array *r = mask_select(ctx, mask, segscan, count, a);
    /* count was read just now (the host waited for the device), so the device is idle: with run
     * ahead on, the host hands the selection over at once, and it runs while the host records
     * what follows instead of after the next sync point's submission (a[mask], nonzero) */
    if (r && ctx->ahead_handoff > 0) ctx->info[WG_INFO_HANDOFF] = 1;
    return wgP_out(ctx, r);
}

wg_array *wg_compact(wg_context *ctx, wg_array *scan, int64_t count) {
    return wgP_out(ctx, wgP_compact(ctx, scan, count));
}

static const wgP_libk coords_src = {
    .name = "wg_unravel_coords",
    .in_params = "raw I idx, raw I dims, int32 nd",
    .out_params = "I c",
    .operation = "int r = (int)(i / nd); int d = (int)(i % nd); I f = idx[r];\n"
                 "for (int k = nd - 1; k > d; k--) f = f / dims[k];\n"
                 "c = f % dims[d];",
    .preamble = "",
    .loop_prep = "",
};

wg_array *wg_unravel_coords(wg_context *ctx, wg_array *idx, int ndim, const int64_t *shape) {
    int64_t count = wgL_size(&idx->lay), oshape[2] = {count, ndim};
    int it = idx->dtype;
    wg_array *y = wg_empty(ctx, it, 2, oshape);
    if (!y || count == 0 || ndim == 0) return wgP_out(ctx, y);
    int64_t dims64[WG_MAX_NDIM];
    int32_t dims32[WG_MAX_NDIM];
    for (int d = 0; d < ndim; d++) {
        dims64[d] = shape[d];
        dims32[d] = (int32_t)shape[d];
    }
    int64_t nd = ndim;
    wg_array *dims = wg_from_data(ctx, it, 1, &nd, it == WG_INT64 ? (void *)dims64 : (void *)dims32);
    wg_array *vnd = wgP_i32(ctx, ndim);
    wg_array *args[4] = {idx, dims, vnd, y};
    int st = dims && vnd ? launch_into(ctx, &coords_src, 4, args) : WG_ERR_MEMORY;
    wg_release(dims);
    wg_release(vnd);
    if (st) {
        wg_release(y);
        return NULL;
    }
    return wgP_out(ctx, y);
}

static const wgP_libk take_src = {
    .name = "wg_mask_take",
    .in_params = "raw T a, raw I idx, int32 C",
    .out_params = "T y",
    .operation = "int r = (int)(i / C); int c = (int)(i % C);\n"
                 "y = a[(int)idx[r] * C + c];",
    .preamble = "",
    .loop_prep = "",
};

/* the same for rows of one element (a mask over all of a's dims): no division */
static const wgP_libk take1_src = {
    .name = "wg_mask_take1",
    .in_params = "raw T a, I idx",
    .out_params = "T y",
    .operation = "y = a[idx];",
    .preamble = "",
    .loop_prep = "",
};

/* C: the elements of a past its first k dims, when a's first k dims are flattened (rows). */
static int64_t row_len(const wg_array *a, int k) {
    int64_t C = 1;
    for (int d = k; d < a->lay.ndim; d++) C *= a->lay.shape[d];
    return C;
}

wg_array *wg_mask_take(wg_context *ctx, wg_array *a, wg_array *idx, int mask_ndim) {
    if (mask_ndim < 0 || mask_ndim > a->lay.ndim)
        return wgB_error(ctx, WG_ERR_INDEX, "too many indices for array"), NULL;
    if (wgD_is_complex(a->dtype)) {
        wg_array *pv = wg_complex_pairs(ctx, a);
        wg_array *r = pv ? wg_mask_take(ctx, pv, idx, mask_ndim) : NULL;
        wg_array *c = r ? wg_pairs_complex(ctx, r) : NULL;
        wg_release(pv);
        wg_release(r);
        return c;
    }
    int64_t count = wgL_size(&idx->lay), C = row_len(a, mask_ndim);
    int64_t shape[WG_MAX_NDIM];
    int nd = 1 + a->lay.ndim - mask_ndim;
    if (nd > WG_MAX_NDIM) return wgB_error(ctx, WG_ERR_VALUE, "too many dimensions"), NULL;
    shape[0] = count;
    for (int d = mask_ndim; d < a->lay.ndim; d++) shape[1 + d - mask_ndim] = a->lay.shape[d];
    if (wgL_size(&a->lay) >= INT32_MAX)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: boolean-mask indexing of 2**31 elements or "
                         "more is not supported"), NULL;
    wg_array *y = wg_empty(ctx, a->dtype, nd, shape);
    if (!y || count == 0 || C == 0) return wgP_out(ctx, y);
    if (C == 1) {
        wg_array *flat = wg_reshape(ctx, idx, nd, shape, 'C'); /* idx has count elements */
        wg_array *args1[3] = {a, flat, y};
        int st1 = flat ? launch_into(ctx, &take1_src, 3, args1) : WG_ERR_MEMORY;
        wg_release(flat);
        if (st1) {
            wg_release(y);
            return NULL;
        }
        return wgP_out(ctx, y);
    }
    wg_array *vc = wgP_i32(ctx, (int32_t)C);
    wg_array *args[4] = {a, idx, vc, y};
    int st = vc ? launch_into(ctx, &take_src, 4, args) : WG_ERR_MEMORY;
    wg_release(vc);
    if (st) {
        wg_release(y);
        return NULL;
    }
    return wgP_out(ctx, y);
}

static const wgP_libk fill_src = {
    .name = "wg_mask_fill",
    .in_params = "raw T a, raw I S, raw T v, int32 C, int32 L",
    .out_params = "T y",
    .operation = "int r = (int)(i / C); int c = (int)(i % C);\n"
                 "I s = S[r]; I p = r > 0 ? S[r - 1] : (I)0;\n"
                 "if (s != p) y = v[(int)((s - 1) % L) * C + c]; else y = a[i];",
    .preamble = "",
    .loop_prep = "",
};

/* the same from the segment scan P (wg_mask_segscan) and the mask m: a true row r's rank is its
 * segment's exclusive prefix plus the true rows of its segment before it (up to 15 reads) */
static const wgP_libk fill_seg_src = {
    .name = "wg_mask_fill_seg",
    .in_params = "raw T a, raw X m, raw I P, raw T v, int32 C, int32 L",
    .out_params = "T y",
    .operation = "int r = (int)(i / C); int c = (int)(i % C);\n"
                 "if (m[r] != (X)0) {\n"
                 "  int g = r / " SEG_STR "; I o = g > 0 ? P[g - 1] : (I)0;\n"
                 "  for (int q = g * " SEG_STR "; q < r; q++) o += (m[q] != (X)0) ? (I)1 : (I)0;\n"
                 "  y = v[(int)(o % L) * C + c];\n"
                 "} else y = a[i];",
    .preamble = "",
    .loop_prep = "",
};

/* wg_mask_fill (scan: the per-element scan S, mask NULL) and wg_mask_fill_seg (scan: the segment
 * scan P of mask) */
static int mask_fill(wg_context *ctx, wg_array *a, wg_array *mask, wg_array *scan,
                     wg_array *values, int mask_ndim) {
    if (!a->writeable) return wgB_error(ctx, WG_ERR_VALUE, "assignment destination is read-only");
    if (mask_ndim < 0 || mask_ndim > a->lay.ndim)
        return wgB_error(ctx, WG_ERR_INDEX, "too many indices for array");
    int64_t C = row_len(a, mask_ndim), nv = wgL_size(&values->lay);
    int64_t size = wgL_size(&a->lay);
    if (size == 0 || C == 0) return WG_OK;
    if (nv == 0) return wgB_error(ctx, WG_ERR_VALUE, "Cannot insert from an empty array!");
    if (size >= INT32_MAX || nv >= INT32_MAX)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: boolean-mask assignment of 2**31 elements "
                         "or more is not supported");
    int64_t L = C == 1 ? nv : nv / C;
    if (C != 1 && nv % C)
        return wgB_error(ctx, WG_ERR_VALUE, "wg_mask_fill: %lld values for rows of %lld",
                         (long long)nv, (long long)C);
    wg_array *v = wg_astype(ctx, values, a->dtype, WG_CAST_UNSAFE, 0);
    wg_array *y = v ? wg_empty(ctx, a->dtype, a->lay.ndim, a->lay.shape) : NULL;
    wg_array *vc = wgP_i32(ctx, (int32_t)C), *vl = wgP_i32(ctx, (int32_t)L);
    int st = WG_ERR_MEMORY;
    int64_t nm = mask ? wgL_size(&mask->lay) : 0;
    wg_array *mf = mask ? wg_reshape(ctx, mask, 1, &nm, 'C') : NULL;
    int64_t sl = seg_len(ctx, nm), nt = (nm + sl - 1) / sl;
    int tl = mask && tiles_ok(ctx);
    if (tl) { /* the tile kernel reads the mask as 0/1 */
        wg_release(mf);
        mf = flat_bool(ctx, mask, nm);
    }
    if (mask && (nm * C != size || wgL_size(&scan->lay) != nt))
        st = wgB_error(ctx, WG_ERR_VALUE, "wg_mask_fill_seg: the mask or its segment scan does "
                       "not match the array");
    else if (v && y && vc && vl && (!mask || mf)) {
        wg_array *args[6] = {a, scan, v, vc, vl, y}, *sargs[7] = {a, mf, scan, v, vc, vl, y};
        wg_array *vn = tl ? wgP_i32(ctx, (int32_t)nm) : NULL;
        wg_array *vb = tl ? wgP_i32(ctx, (int32_t)block_tiles(ctx, nm)) : NULL;
        wg_array *targs[9] = {a, mf, scan, v, vn, vb, vc, vl, y};
        st = !mask ? launch_into(ctx, &fill_src, 6, args)
             : !tl ? launch_into(ctx, &fill_seg_src, 7, sargs)
             : !vn || !vb ? WG_ERR_MEMORY
                   : wgP_libk_launch(ctx, &tfill_src, 9, targs, nt * 256, NULL);
        if (st && ctx->status) st = ctx->status;
        wg_release(vn);
        wg_release(vb);
        if (st == WG_OK) st = wg_assign(ctx, a, y);
    } else if (ctx->status) {
        st = ctx->status;
    }
    wg_release(mf);
    wg_release(v);
    wg_release(y);
    wg_release(vc);
    wg_release(vl);
    return st;
}

int wg_mask_fill(wg_context *ctx, wg_array *a, wg_array *scan, wg_array *values, int mask_ndim) {
    return mask_fill(ctx, a, NULL, scan, values, mask_ndim);
}

int wg_mask_fill_seg(wg_context *ctx, wg_array *a, wg_array *mask, wg_array *segscan,
                     wg_array *values, int mask_ndim) {
    return mask_fill(ctx, a, mask, segscan, values, mask_ndim);
}

static const wgP_libk putmask_src = {
    .name = "wg_putmask",
    .in_params = "T a, bool m, raw T v, int32 L",
    .out_params = "T y",
    .operation = "y = m ? v[(int)(i % L)] : a;",
    .preamble = "",
    .loop_prep = "",
};

int wg_putmask(wg_context *ctx, wg_array *a, wg_array *mask, wg_array *values) {
    if (!a->writeable) return wgB_error(ctx, WG_ERR_VALUE, "assignment destination is read-only");
    int same = mask->lay.ndim == a->lay.ndim;
    for (int d = 0; same && d < a->lay.ndim; d++) same = mask->lay.shape[d] == a->lay.shape[d];
    if (!same) return wgB_error(ctx, WG_ERR_VALUE, "putmask: mask and data must be the same size");
    int64_t size = wgL_size(&a->lay), nv = wgL_size(&values->lay);
    if (size == 0) return WG_OK;
    if (nv == 0) return WG_OK; /* NumPy: nothing to put */
    if (size >= INT32_MAX || nv >= INT32_MAX)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: putmask of 2**31 elements or more is not "
                         "supported");
    wg_array *v = wg_astype(ctx, values, a->dtype, WG_CAST_UNSAFE, 0);
    wg_array *m = wg_astype(ctx, mask, WG_BOOL, WG_CAST_UNSAFE, 0);
    wg_array *y = v && m ? wg_empty(ctx, a->dtype, a->lay.ndim, a->lay.shape) : NULL;
    wg_array *vl = wgP_i32(ctx, (int32_t)nv);
    int st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (y && vl) {
        wg_array *args[5] = {a, m, v, vl, y};
        st = launch_into(ctx, &putmask_src, 5, args);
        if (st == WG_OK) st = wg_assign(ctx, a, y);
    }
    wg_release(v);
    wg_release(m);
    wg_release(y);
    wg_release(vl);
    return st;
}

int wg_mask_assign(wg_context *ctx, wg_array *a, wg_array *mask, wg_array *value) {
    if (!a->writeable) return wgB_error(ctx, WG_ERR_VALUE, "assignment destination is read-only");
    if (check_mask_shape(ctx, mask, a)) return ctx->status;
    if (wgD_is_complex(a->dtype) || wgD_is_complex(value->dtype)) {
        /* complex: the values as a's dtype, assigned through the pairs views (the pair axis
         * is one more trailing axis the mask does not cover) */
        if (!wgD_is_complex(a->dtype)) {
            wg_array *re = wg_real(ctx, value);
            int st = re ? wg_mask_assign(ctx, a, mask, re) : ctx->status;
            wg_release(re);
            return st;
        }
        wg_array *v = wg_astype(ctx, value, a->dtype, WG_CAST_UNSAFE, 1);
        wg_array *pa = v ? wg_complex_pairs(ctx, a) : NULL, *pv = pa ? wg_complex_pairs(ctx, v) : NULL;
        int st = pv ? wg_mask_assign(ctx, pa, mask, pv) : ctx->status;
        wg_release(v);
        wg_release(pa);
        wg_release(pv);
        return st;
    }
    int k = mask->lay.ndim, nrest = a->lay.ndim - k;
    /* value broadcasts to a.shape[k:] (leading length-1 dims dropped) */
    int vd = value->lay.ndim;
    for (int d = 0; d < vd - nrest; d++)
        if (value->lay.shape[d] != 1)
            return wgB_error(ctx, WG_ERR_VALUE, "NumPy boolean array indexing assignment cannot "
                             "assign %lld input values to the output values where the mask is "
                             "true", (long long)value->lay.shape[d]);
    int64_t vshape[WG_MAX_NDIM], mshape[WG_MAX_NDIM];
    int vn = vd > nrest ? nrest : vd;
    for (int d = 0; d < vn; d++) vshape[d] = value->lay.shape[vd - vn + d];
    for (int d = 0; d < a->lay.ndim; d++) mshape[d] = d < k ? mask->lay.shape[d] : 1;
    wg_array *v = NULL, *vb = NULL, *mb = NULL, *mbool = NULL, *r = NULL;
    int st = WG_OK;
    v = vd > vn ? wg_reshape(ctx, value, vn, vshape, 'C') : (wg_retain(value), value);
    if (v && (v->dtype != a->dtype || !v->buf)) {
        /* the value as a's dtype, by the assignment's own conversion rules (a Python scalar is
         * converted as NumPy's setitem does; nothing of a 64-bit dtype reaches the device) */
        vb = wg_empty(ctx, a->dtype, vn, vshape);
        if (vb && wg_assign(ctx, vb, v) != WG_OK) {
            wg_release(vb);
            vb = NULL;
        }
    } else if (v) {
        wg_retain(v);
        vb = v;
    }
    mbool = vb ? wg_astype(ctx, mask, WG_BOOL, WG_CAST_UNSAFE, 0) : NULL;
    mb = mbool ? wg_reshape(ctx, mbool, a->lay.ndim, mshape, 'C') : NULL;
    r = mb ? wg_where(ctx, mb, vb, a, a) : NULL;
    if (!r) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    wg_release(v);
    wg_release(vb);
    wg_release(mbool);
    wg_release(mb);
    wg_release(r);
    return st;
}
