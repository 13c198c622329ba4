/* Parallel scans and compaction by library kernels (scan.h describes the algorithms). */
#include "scan.h"

#include <math.h>
#include <string.h>

#include "libk.h"

/* ---- the kernels -------------------------------------------------------------------------- */

/* (1) each point folds its block's elements up to itself */
#define LOCAL_BODY                                                                              \
    "int c = (int)(i % n); int s = c - c % B; int base = (int)i - c;\n"                          \
    "T acc = x[base + s];\n"                                                                    \
    "for (int j = s + 1; j <= c; j++) acc = wg_op(acc, x[base + j]);\n"                         \
    "y = acc;"
/* (4) each point combines its block's exclusive prefix (the scanned totals) with its own value */
#define PREFIX_BODY                                                                             \
    "int r = (int)(i / n); int c = (int)(i % n); int b = c / B;\n"                              \
    "T v = loc[i];\n"                                                                           \
    "if (b > 0) v = wg_op(P[r * nb + b - 1], v);\n"                                             \
    "y = v;"
#define OP_PREAMBLE(EXPR) "template <typename U> __device__ U wg_op(U a, U b) { return (U)(" EXPR "); }\n"

#define SCAN_KERNELS(NAME, EXPR)                                                                \
    static const wgP_libk local_##NAME = {                                                      \
        .name = "wg_scan_local_" #NAME, .in_params = "raw T x, int32 n, int32 B",               \
        .out_params = "T y", .operation = LOCAL_BODY, .preamble = OP_PREAMBLE(EXPR),            \
        .loop_prep = ""};                                                                       \
    static const wgP_libk prefix_##NAME = {                                                     \
        .name = "wg_scan_prefix_" #NAME,                                                        \
        .in_params = "raw T loc, raw T P, int32 n, int32 nb, int32 B", .out_params = "T y",     \
        .operation = PREFIX_BODY, .preamble = OP_PREAMBLE(EXPR), .loop_prep = ""};

SCAN_KERNELS(add, "a + b")
SCAN_KERNELS(mul, "a * b")
/* NumPy's maximum/minimum propagate NaN (a != a only for NaN) */
SCAN_KERNELS(max, "(a != a) ? a : ((b != b) ? b : (a > b ? a : b))")
SCAN_KERNELS(min, "(a != a) ? a : ((b != b) ? b : (a < b ? a : b))")
SCAN_KERNELS(and, "a && b")
SCAN_KERNELS(or, "a || b")

/* (2) the total of each block: the in-block scan at its last point */
static const wgP_libk totals_src = {
    .name = "wg_scan_totals",
    .in_params = "raw T loc, int32 n, int32 nb, int32 B",
    .out_params = "T t",
    .operation = "int r = (int)(i / nb); int b = (int)(i % nb);\n"
                 "int e = b * B + B; if (e > n) e = n;\n"
                 "t = loc[r * n + e - 1];",
    .preamble = "",
    .loop_prep = "",
};

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

/* compaction: output k is the smallest j with S[j] > k (S: the inclusive scan of the mask) */
static const wgP_libk compact_src = {
    .name = "wg_compact",
    .in_params = "raw I S, int32 n",
    .out_params = "I idx",
    .operation = "I k = (I)i + 1; int lo = 0; int hi = n - 1;\n"
                 "while (lo < hi) { int mid = lo + (hi - lo) / 2;\n"
                 "  if (S[mid] >= k) hi = mid; else lo = mid + 1; }\n"
                 "idx = (I)lo;",
    .preamble = "",
    .loop_prep = "",
};

/* ---- helpers ------------------------------------------------------------------------------ */

int wgP_index_dtype(wg_context *ctx) { return wgD_canonical(WG_INT64, ctx->x64); }

static int op_kernels(wg_context *ctx, int op, const wgP_libk **local, const wgP_libk **prefix) {
    switch (op) {
    case WG_OP_ADD: *local = &local_add; *prefix = &prefix_add; return WG_OK;
    case WG_OP_MULTIPLY: *local = &local_mul; *prefix = &prefix_mul; return WG_OK;
    case WG_OP_MAXIMUM: *local = &local_max; *prefix = &prefix_max; return WG_OK;
    case WG_OP_MINIMUM: *local = &local_min; *prefix = &prefix_min; return WG_OK;
    case WG_OP_LOGICAL_AND: *local = &local_and; *prefix = &prefix_and; return WG_OK;
    case WG_OP_LOGICAL_OR: *local = &local_or; *prefix = &prefix_or; return WG_OK;
    default:
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: accumulate is not implemented for '%s'",
                         op >= 0 && op < WG_NOPS ? wg_op_name(op) : "?");
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

/* Inclusive scan of the rows of x (C-contiguous, M rows of n > 0 elements): a new (M, n) array. */
static wg_array *scan_rows(wg_context *ctx, const wgP_libk *local, const wgP_libk *prefix,
                           wg_array *x, int64_t M, int64_t n) {
    const int64_t B = WGP_SCAN_BLOCK;
    int64_t shape[2] = {M, n};
    wg_array *loc = wg_empty(ctx, x->dtype, 2, shape);
    wg_array *vn = wgP_i32(ctx, (int32_t)n), *vb = wgP_i32(ctx, (int32_t)B);
    wg_array *res = NULL, *tot = NULL, *P = NULL, *vnb = NULL, *y = NULL;
    if (!loc || !vn || !vb) goto done;
    wg_array *a1[4] = {x, vn, vb, loc};
    if (launch_into(ctx, local, 4, a1)) goto done;
    if (n <= B) {
        res = loc;
        loc = NULL;
        goto done;
    }
    int64_t nb = (n + B - 1) / B, tshape[2] = {M, nb};
    tot = wg_empty(ctx, x->dtype, 2, tshape);
    vnb = wgP_i32(ctx, (int32_t)nb);
    if (!tot || !vnb) goto done;
    wg_array *a2[5] = {loc, vn, vnb, vb, tot};
    if (launch_into(ctx, &totals_src, 5, a2)) goto done;
    P = scan_rows(ctx, local, prefix, tot, M, nb);
    if (!P) goto done;
    y = wg_empty(ctx, x->dtype, 2, shape);
    if (!y) goto done;
    wg_array *a3[6] = {loc, P, vn, vnb, vb, y};
    if (launch_into(ctx, prefix, 6, a3)) goto done;
    res = y;
    y = NULL;
done:
    wg_release(loc);
    wg_release(vn);
    wg_release(vb);
    wg_release(tot);
    wg_release(P);
    wg_release(vnb);
    wg_release(y);
    return res;
}

/* ---- scans -------------------------------------------------------------------------------- */

wg_array *wgP_scan(wg_context *ctx, int op, wg_array *a, int64_t axis, int dtype, int mode) {
    const wgP_libk *local = NULL, *prefix = NULL;
    if (op_kernels(ctx, op, &local, &prefix)) return NULL;
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
    int64_t n = shp[ax], size = 1;
    for (int d = 0; d < ndim; d++) size *= shp[d];
    int64_t m = mode == WGP_SCAN_INITIAL ? n + 1 : n;
    int64_t M = n ? size / n : 0;
    if (M * m >= INT32_MAX || size >= INT32_MAX)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: scans of 2**31 elements or more are not "
                         "supported"), NULL;
    /* the moved shape: the scanned axis last */
    int64_t mshape[WG_MAX_NDIM];
    for (int d = 0, k = 0; d < ndim; d++)
        if (d != ax) mshape[k++] = shp[d];
    mshape[ndim - 1] = m;

    wg_array *a1 = NULL, *mv = NULL, *cast = NULL, *xc = NULL, *inc = NULL, *y = NULL,
             *init = NULL, *vn = NULL, *vm = NULL, *r = NULL, *back = NULL, *res = NULL;
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
        cast = wg_astype(ctx, mv, dtype, WG_CAST_UNSAFE, 0);
        if (!cast) goto done;
        xc = wgL_is_c_contiguous(&cast->lay) && cast->buf ? (wg_retain(cast), cast)
                                                          : wg_copy(ctx, cast, 'C');
        if (!xc) goto done;
        inc = scan_rows(ctx, local, prefix, xc, M, n);
        if (!inc) goto done;
        if (mode == WGP_SCAN_INCLUSIVE) {
            y = inc;
            inc = NULL;
        } else {
            init = identity_scalar(ctx, op, dtype);
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
    wg_array *vn = wgP_i32(ctx, (int32_t)n);
    wg_array *args[3] = {scan, vn, idx};
    if (!vn || launch_into(ctx, &compact_src, 3, args)) {
        wg_release(vn);
        wg_release(idx);
        return NULL;
    }
    wg_release(vn);
    return idx;
}
