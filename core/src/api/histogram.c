/* Public API: digitize, bincount, histogram counting, interp, correlate (docs/contractions.md).
 *
 * Every algorithm is a library kernel (libk.h) or the engine's own fused operations, so it runs
 * on cpu, webgpu and webgl2 from one source:
 * - searches (digitize, a histogram's bin of each value, interp's interval) are binary searches
 *   over the raw edges array in an elementwise kernel: each point finds its own answer;
 * - counting (bincount, histogram) has two forms: a gather — output bin b is the sum over the
 *   data of (bin(x) == b) * w, one fused elementwise-and-reduce kernel over (bins, n) — which every
 *   backend runs (webgl2's fragments write only their own point), and an atomic scatter
 *   (atomicAdd into the counts, O(n)) on cpu and on webgpu for int32/uint32/float32 counts;
 * - correlate: each output point sums its overlap (a loop in the kernel).
 * No call reads the device (a read on the stream backends runs only when the shell executes
 * the stream): bincount's length (it depends on max(x)) comes from wg_bincount_length, a 0-d
 * array the shell reads with wg_read_size (counted as host_syncs_for_size), and the monotonicity NumPy requires
 * of digitize's bins and a histogram's edges from wg_monotonicity, read the same way. */
#include "api.h"
#include "libk.h"

#include <string.h>

/* NaN sorts last (NumPy's searchsorted order): a < b */
#define LT_PREAMBLE                                                                             \
    "template <typename U> __device__ bool wg_lt(U a, U b) { return a < b || (b != b && a == a); }\n"

static const wgP_libk digitize_src = {
    .name = "wg_digitize",
    .in_params = "T x, raw T bins, int32 n, int32 side_right, int32 dec",
    .out_params = "Y y",
    .operation = "int lo = 0; int hi = n;\n"
                 "while (lo < hi) { int mid = (lo + hi) >> 1;\n"
                 "  T v = bins[dec ? n - 1 - mid : mid];\n"
                 "  bool go = side_right ? !wg_lt(x, v) : wg_lt(v, x);\n"
                 "  if (go) lo = mid + 1; else hi = mid; }\n"
                 "y = (Y)(dec ? n - lo : lo);",
    .preamble = LT_PREAMBLE,
    .loop_prep = "",
};

/* the bin of x among n increasing edges (NumPy's histogram: the last bin is closed), or -1 */
static const wgP_libk hbin_src = {
    .name = "wg_histogram_bin",
    .in_params = "T x, raw T e, int32 n",
    .out_params = "int32 y",
    .operation = "if (!(x >= e[0] && x <= e[n - 1])) { y = -1; } else {\n"
                 "  int lo = 0; int hi = n;\n"
                 "  while (lo < hi) { int mid = (lo + hi) >> 1;\n"
                 "    if (e[mid] <= x) lo = mid + 1; else hi = mid; }\n"
                 "  int b = lo - 1; if (b > n - 2) b = n - 2; y = b; }",
    .preamble = "",
    .loop_prep = "",
};

/* the scatter form of counting: cpu, and webgpu for 32-bit counts */
static const wgP_libk count_atomic_src = {
    .name = "wg_bincount_atomic",
    .in_params = "I idx, W w, int32 nb",
    .out_params = "raw W c",
    .operation = "if (idx >= 0 && idx < nb) atomicAdd(&c[idx], w);",
    .preamble = "",
    .loop_prep = "",
};

static const wgP_libk interp_src = {
    .name = "wg_interp",
    .in_params = "T x, raw T xp, raw T fp, int32 n, T left, T right, int32 hl, int32 hr",
    .out_params = "T y",
    .operation =
        "T lv = hl ? left : fp[0]; T rv = hr ? right : fp[n - 1];\n"
        "if (x != x) { y = x; }\n"
        "else if (x > xp[n - 1]) { y = rv; }\n"
        "else if (x < xp[0]) { y = lv; }\n"
        "else if (x == xp[n - 1]) { y = fp[n - 1]; }\n"
        "else {\n"
        "  int lo = 0; int hi = n - 1;\n"  /* the last j with xp[j] <= x (j < n - 1) */
        "  while (hi - lo > 1) { int mid = (lo + hi) >> 1; if (xp[mid] <= x) lo = mid; else hi = mid; }\n"
        "  int j = lo;\n"
        "  T slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);\n"
        "  T r = slope * (x - xp[j]) + fp[j];\n"
        "  if (r != r) { r = slope * (x - xp[j + 1]) + fp[j + 1];\n"
        "    if (r != r && fp[j] == fp[j + 1]) r = fp[j]; }\n"
        "  y = r; }",
    .preamble = "",
    .loop_prep = "",
};

static const wgP_libk correlate_src = {
    .name = "wg_correlate",
    .in_params = "raw T a, raw T v, int32 n, int32 m, int32 start",
    .out_params = "T z",
    .operation = "int k = (int)i + start; T s = 0;\n"
                 "int j0 = (m - 1) - k; if (j0 < 0) j0 = 0;\n"
                 "int j1 = n + (m - 1) - k; if (j1 > m) j1 = m;\n"
                 "for (int j = j0; j < j1; j++) s += a[k - (m - 1) + j] * v[j];\n"
                 "z = s;",
    .preamble = "",
    .loop_prep = "",
};

/* ---- helpers ------------------------------------------------------------------------------ */
static int intp(wg_context *ctx) { return wgD_canonical(WG_INT64, ctx->x64); }

static wg_array *cast(wg_context *ctx, wg_array *a, int dt) {
    return wg_astype(ctx, a, dt, WG_CAST_UNSAFE, 0);
}

/* a 1-D array's elements [lo, hi) (a view) */
static wg_array *slice1(wg_context *ctx, wg_array *a, int64_t lo, int64_t hi) {
    int64_t it[4] = {WG_IDX_SLICE, lo, hi, 1};
    return wg_index(ctx, a, 1, it);
}

/* NumPy's _monotonicity as a 0-d int32 on the device: 1 increasing (or constant), -1
 * decreasing, 0 neither.  The shell reads it (a host read cannot happen inside a call on the
 * stream backends: their reads run when the shell executes the stream). */
wg_array *wg_monotonicity(wg_context *ctx, wg_array *bins) {
    if (bins->lay.ndim != 1) {
        wgB_error(ctx, WG_ERR_VALUE, "monotonicity: a 1-D array is needed");
        return NULL;
    }
    int64_t n = bins->lay.shape[0];
    if (n < 2) return wgP_out(ctx, wg_scalar(ctx, WG_INT32, WG_WEAK_NONE, 1, 0, 0.0));
    wg_array *lo = slice1(ctx, bins, 0, n - 1), *hi = slice1(ctx, bins, 1, n);
    wg_array *lt = lo && hi ? wg_binary(ctx, WG_OP_LESS, hi, lo, NULL, -1) : NULL;
    wg_array *gt = lt ? wg_binary(ctx, WG_OP_GREATER, hi, lo, NULL, -1) : NULL;
    wg_array *dn = gt ? wg_reduce(ctx, WG_REDUCE_ANY, lt, -1, NULL, 0, -1, 0, NULL) : NULL;
    wg_array *up = dn ? wg_reduce(ctx, WG_REDUCE_ANY, gt, -1, NULL, 0, -1, 0, NULL) : NULL;
    /* (1 - 2 dn) * (1 - dn up): 1, -1 (down only), 0 (both) */
    wg_array *one = up ? wgP_i32(ctx, 1) : NULL, *two = one ? wgP_i32(ctx, 2) : NULL;
    wg_array *t1 = two ? wg_binary(ctx, WG_OP_MULTIPLY, dn, two, NULL, WG_INT32) : NULL;
    wg_array *f1 = t1 ? wg_binary(ctx, WG_OP_SUBTRACT, one, t1, NULL, WG_INT32) : NULL;
    wg_array *t2 = f1 ? wg_binary(ctx, WG_OP_LOGICAL_AND, dn, up, NULL, -1) : NULL;
    wg_array *f2 = t2 ? wg_binary(ctx, WG_OP_SUBTRACT, one, t2, NULL, WG_INT32) : NULL;
    wg_array *r = f2 ? wg_binary(ctx, WG_OP_MULTIPLY, f1, f2, NULL, WG_INT32) : NULL;
    wg_array *all[] = {lo, hi, lt, gt, dn, up, one, two, t1, f1, t2, f2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) wg_release(all[i]);
    return wgP_out(ctx, r);
}

static int result_dtype2(wg_context *ctx, wg_array *a, wg_array *b) {
    int32_t dts[2] = {a->dtype, b->dtype}, weak[2] = {0, 0};
    int dt = wgD_result_type(2, dts, weak);
    if (dt < 0) return wgB_error(ctx, WG_ERR_TYPE, "The DType could not be promoted");
    return wgD_canonical(dt, ctx->x64);
}

/* ---- digitize ------------------------------------------------------------------------------ */
wg_array *wg_digitize(wg_context *ctx, wg_array *x, wg_array *bins, int right, int mono) {
    if (bins->lay.ndim != 1)
        return wgB_error(ctx, WG_ERR_VALUE, "object of too small depth for desired array"),
               NULL;
    int dt = result_dtype2(ctx, x, bins);
    if (dt < 0) return NULL;
    if (dt == WG_BOOL) dt = wgD_canonical(WG_INT64, ctx->x64) == WG_INT64 ? WG_INT64 : WG_INT32;
    if (!mono) {
        wgB_error(ctx, WG_ERR_VALUE, "bins must be monotonically increasing or decreasing");
        return NULL;
    }
    wg_array *xc = cast(ctx, x, dt), *bc = xc ? cast(ctx, bins, dt) : NULL;
    wg_array *y = bc ? wg_empty(ctx, intp(ctx), x->lay.ndim, x->lay.shape) : NULL;
    wg_array *n = wgP_i32(ctx, (int32_t)bins->lay.shape[0]);
    wg_array *sr = wgP_i32(ctx, right ? 0 : 1), *dec = wgP_i32(ctx, mono < 0);
    int st = WG_ERR_MEMORY;
    if (y && n && sr && dec) {
        if (x->lay.ndim == 0 || wgL_size(&x->lay) > 0) {
            wg_array *args[6] = {xc, bc, n, sr, dec, y};
            st = wgP_libk_launch(ctx, &digitize_src, 6, args, -1, NULL);
        } else {
            st = WG_OK;
        }
    }
    wg_release(xc);
    wg_release(bc);
    wg_release(n);
    wg_release(sr);
    wg_release(dec);
    if (st != WG_OK) {
        wg_release(y);
        return NULL;
    }
    return wgP_out(ctx, y);
}

/* ---- counting ------------------------------------------------------------------------------ */
/* counts[b] = sum of w where idx == b, b in [0, nb): idx any shape (int), w NULL (ones) or
 * idx's shape; dt the counts' dtype.  gather: 1 the gather form, 0 the backend's choice. */
static wg_array *wgP_bin_count(wg_context *ctx, wg_array *idx, wg_array *w, int64_t nb, int dt,
                                int gather) {
    int64_t shape[1] = {nb};
    int be = ctx->backend_id;
    int atomic_ok = be == WG_BACKEND_CPU || be == WG_BACKEND_LOOPBACK ||
                    (be == WG_BACKEND_WEBGPU &&
                     (dt == WG_INT32 || dt == WG_UINT32 || dt == WG_FLOAT32));
    if (nb > INT32_MAX) {
        wgB_error(ctx, WG_ERR_VALUE, "too many bins (%lld)", (long long)nb);
        return NULL;
    }
    int64_t n = wgL_size(&idx->lay);
    wg_array *one = w ? NULL : wg_scalar(ctx, dt, WG_WEAK_NONE, 1, 0, 1.0);
    wg_array *wc = w ? cast(ctx, w, dt) : one;
    if (!wc) return NULL;
    if (n == 0 || nb == 0) {
        wg_array *zero = wg_scalar(ctx, dt, WG_WEAK_NONE, 0, 0, 0.0);
        wg_array *r = zero ? wg_full(ctx, dt, 1, shape, zero) : NULL;
        wg_release(zero);
        wg_release(wc);
        return r;
    }
    if (!gather && atomic_ok) {
        wg_array *zero = wg_scalar(ctx, dt, WG_WEAK_NONE, 0, 0, 0.0);
        wg_array *c = zero ? wg_full(ctx, dt, 1, shape, zero) : NULL;
        wg_release(zero);
        wg_array *nbs = c ? wgP_i32(ctx, (int32_t)nb) : NULL;
        int st = ctx->status ? ctx->status : WG_ERR_MEMORY;
        if (nbs) {
            wg_array *args[4] = {idx, wc, nbs, c};
            st = wgP_libk_launch(ctx, &count_atomic_src, 4, args, -1, NULL);
        }
        wg_release(nbs);
        wg_release(wc);
        if (st != WG_OK) {
            wg_release(c);
            return NULL;
        }
        return c;
    }
    /* the gather: (nb, 1) == (1, n) -> where(eq, w, 0) summed over n (one fused reduction) */
    int64_t rs[2] = {1, n}, cs[2] = {nb, 1};
    wg_array *fi = wg_reshape(ctx, idx, 2, rs, 'C');
    wg_array *fw = fi && w ? wg_reshape(ctx, wc, 2, rs, 'C') : NULL;
    wg_array *ar = fi ? wg_arange(ctx, idx->dtype == WG_INT64 ? WG_INT64 : WG_INT32, 0, 1, nb)
                      : NULL;
    wg_array *arc = ar ? wg_reshape(ctx, ar, 2, cs, 'C') : NULL;
    wg_array *eq = arc ? wg_binary(ctx, WG_OP_EQUAL, arc, fi, NULL, -1) : NULL;
    wg_array *zero = eq ? wg_scalar(ctx, dt, WG_WEAK_NONE, 0, 0, 0.0) : NULL;
    wg_array *v = zero ? wg_where(ctx, eq, w ? fw : wc, zero, NULL) : NULL;
    int64_t ax = 1;
    wg_array *r = v ? wg_reduce(ctx, WG_REDUCE_SUM, v, 1, &ax, 0, dt, 0, NULL) : NULL;
    wg_array *all[] = {fi, fw, ar, arc, eq, zero, v, wc};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) wg_release(all[i]);
    return r;
}

static int bincount_check(wg_context *ctx, wg_array *x, wg_array *weights,
                          int64_t minlength) {
    if (minlength < 0) return wgB_error(ctx, WG_ERR_VALUE, "'minlength' must not be negative");
    if (x->lay.ndim != 1)
        return wgB_error(ctx, WG_ERR_VALUE, x->lay.ndim == 0
                                                ? "object of too small depth for desired array"
                                                : "object too deep for desired array");
    int64_t n = x->lay.shape[0];
    if (wg_dtype_kind(x->dtype) == 'f' || (x->dtype == WG_UINT64 && n > 0))
        return wgB_error(ctx, WG_ERR_TYPE,
                         "Cannot cast array data from dtype('%s') to dtype('int64') according "
                         "to the rule 'safe'", wg_dtype_name(x->dtype));
    if (weights && (weights->lay.ndim != 1 || weights->lay.shape[0] != n))
        return wgB_error(ctx, WG_ERR_VALUE, "The weights and list don't have the same length.");
    return WG_OK;
}

wg_array *wg_bincount_length(wg_context *ctx, wg_array *x, wg_array *weights,
                             int64_t minlength) {
    if (bincount_check(ctx, x, weights, minlength) != WG_OK) return NULL;
    int dt = intp(ctx);
    if (x->lay.shape[0] == 0)
        return wgP_out(ctx, wg_scalar(ctx, dt, WG_WEAK_NONE, minlength, 0, 0.0));
    /* -1 when x has a negative element, else max(max(x) + 1, minlength) */
    wg_array *xc = cast(ctx, x, dt);
    wg_array *mx = xc ? wg_reduce(ctx, WG_REDUCE_MAX, xc, -1, NULL, 0, -1, 0, NULL) : NULL;
    wg_array *mn = mx ? wg_reduce(ctx, WG_REDUCE_MIN, xc, -1, NULL, 0, -1, 0, NULL) : NULL;
    wg_array *z = mn ? wg_scalar(ctx, dt, WG_WEAK_NONE, 0, 0, 0.0) : NULL;
    wg_array *one = z ? wg_scalar(ctx, dt, WG_WEAK_NONE, 1, 0, 0.0) : NULL;
    wg_array *ml = one ? wg_scalar(ctx, dt, WG_WEAK_NONE, minlength, 0, 0.0) : NULL;
    wg_array *neg = ml ? wg_binary(ctx, WG_OP_LESS, mn, z, NULL, -1) : NULL;
    wg_array *m1 = neg ? wg_scalar(ctx, dt, WG_WEAK_NONE, -1, 0, 0.0) : NULL;
    wg_array *len = m1 ? wg_binary(ctx, WG_OP_ADD, mx, one, NULL, dt) : NULL;
    wg_array *len2 = len ? wg_binary(ctx, WG_OP_MAXIMUM, len, ml, NULL, dt) : NULL;
    wg_array *v = len2 ? wg_where(ctx, neg, m1, len2, NULL) : NULL;
    wg_array *all[] = {xc, mx, mn, z, one, ml, neg, m1, len, len2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) wg_release(all[i]);
    return wgP_out(ctx, v);
}

wg_array *wg_bincount(wg_context *ctx, wg_array *x, wg_array *weights, int64_t length,
                      int gather) {
    if (bincount_check(ctx, x, weights, 0) != WG_OK) return NULL;
    if (length < 0) {
        wgB_error(ctx, WG_ERR_VALUE, "'list' argument must have no negative elements");
        return NULL;
    }
    int dt = weights ? wgD_canonical(WG_FLOAT64, ctx->x64) : intp(ctx);
    wg_array *ix = cast(ctx, x, x->dtype == WG_INT64 || x->dtype == WG_UINT32 ? WG_INT64
                                                                                : WG_INT32);
    if (ix && ix->dtype == WG_INT64 && !ctx->x64) {
        /* 64-bit types off: a value below the output's length fits int32 */
        wg_array *t = cast(ctx, ix, WG_INT32);
        wg_release(ix);
        ix = t;
    }
    if (!ix) return NULL;
    wg_array *r = wgP_bin_count(ctx, ix, weights, length, dt, gather);
    wg_release(ix);
    return wgP_out(ctx, r);
}

/* ---- histograms ---------------------------------------------------------------------------- */
/* The bin of every element of x among the increasing edges (int32, -1 outside). */
static wg_array *hist_bins(wg_context *ctx, wg_array *x, wg_array *edges, int dt) {
    wg_array *xc = cast(ctx, x, dt), *ec = xc ? cast(ctx, edges, dt) : NULL;
    wg_array *y = ec ? wg_empty(ctx, WG_INT32, x->lay.ndim, x->lay.shape) : NULL;
    wg_array *n = y ? wgP_i32(ctx, (int32_t)edges->lay.shape[0]) : NULL;
    int st = n ? WG_OK : (ctx->status ? ctx->status : WG_ERR_MEMORY);
    if (n && wgL_size(&x->lay) > 0) {
        wg_array *args[4] = {xc, ec, n, y};
        st = wgP_libk_launch(ctx, &hbin_src, 4, args, -1, NULL);
    }
    wg_release(xc);
    wg_release(ec);
    wg_release(n);
    if (st != WG_OK) {
        wg_release(y);
        return NULL;
    }
    return y;
}

wg_array *wg_histogramdd_counts(wg_context *ctx, int ndim, wg_array *const *samples,
                                wg_array *const *edges, wg_array *weights,
                                int dtype, int gather) {
    if (ndim < 1 || ndim > WG_MAX_NDIM) {
        wgB_error(ctx, WG_ERR_VALUE, "histogramdd: %d dimensions (1 to %d)", ndim, WG_MAX_NDIM);
        return NULL;
    }
    int64_t nb[WG_MAX_NDIM], total = 1;
    for (int d = 0; d < ndim; d++) {
        if (edges[d]->lay.ndim != 1 || edges[d]->lay.shape[0] < 2) {
            wgB_error(ctx, WG_ERR_VALUE, "`bins` must be 1d, with at least 2 edges (dimension %d)",
                      d);
            return NULL;
        }
        if (samples[d]->lay.ndim != samples[0]->lay.ndim ||
            memcmp(samples[d]->lay.shape, samples[0]->lay.shape,
                   sizeof(int64_t) * (size_t)samples[0]->lay.ndim)) {
            wgB_error(ctx, WG_ERR_VALUE, "histogramdd: the samples' coordinates differ in shape");
            return NULL;
        }
        nb[d] = edges[d]->lay.shape[0] - 1;
        total *= nb[d];
        if (total > INT32_MAX) {
            wgB_error(ctx, WG_ERR_VALUE, "histogramdd: too many bins");
            return NULL;
        }
    }
    if (weights && (weights->lay.ndim != samples[0]->lay.ndim ||
                    memcmp(weights->lay.shape, samples[0]->lay.shape,
                           sizeof(int64_t) * (size_t)weights->lay.ndim))) {
        wgB_error(ctx, WG_ERR_VALUE, "weights should have the same shape as a.");
        return NULL;
    }
    int dt = dtype >= 0 ? wgD_canonical(dtype, ctx->x64)
                        : (weights ? wgD_canonical(weights->dtype, ctx->x64) : intp(ctx));
    /* flat = ((b0 * nb1 + b1) * nb2 + b2) ..., -1 when any coordinate is outside */
    wg_array *flat = NULL, *bad = NULL;
    int st = WG_OK;
    for (int d = 0; d < ndim && st == WG_OK; d++) {
        int sdt = result_dtype2(ctx, samples[d], edges[d]);
        if (sdt < 0) {
            st = ctx->status;
            break;
        }
        if (wg_dtype_kind(sdt) != 'f') sdt = wgD_canonical(WG_FLOAT64, ctx->x64);
        wg_array *b = hist_bins(ctx, samples[d], edges[d], sdt);
        if (!b) {
            st = ctx->status;
            break;
        }
        wg_array *z = wgP_i32(ctx, 0);
        wg_array *neg = z ? wg_binary(ctx, WG_OP_LESS, b, z, NULL, -1) : NULL;
        wg_release(z);
        if (!flat) {
            flat = b;
            bad = neg;
        } else {
            wg_array *m = wgP_i32(ctx, (int32_t)nb[d]);
            wg_array *t = m ? wg_binary(ctx, WG_OP_MULTIPLY, flat, m, NULL, WG_INT32) : NULL;
            wg_array *f2 = t ? wg_binary(ctx, WG_OP_ADD, t, b, NULL, WG_INT32) : NULL;
            wg_array *b2 = neg ? wg_binary(ctx, WG_OP_LOGICAL_OR, bad, neg, NULL, -1) : NULL;
            wg_release(m);
            wg_release(t);
            wg_release(b);
            wg_release(neg);
            wg_release(flat);
            wg_release(bad);
            flat = f2;
            bad = b2;
        }
        if (!flat || !bad) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    }
    wg_array *idx = NULL;
    if (st == WG_OK) {
        wg_array *m1 = wgP_i32(ctx, -1);
        idx = m1 ? wg_where(ctx, bad, m1, flat, NULL) : NULL;
        wg_release(m1);
    }
    wg_release(flat);
    wg_release(bad);
    if (!idx) return NULL;
    /* float weights accumulate in float64 (float32 with 64-bit types off) and are rounded to
     * the counts' dtype once, as NumPy's bincount-then-astype */
    int acc = wg_dtype_kind(dt) == 'f' ? wgD_canonical(WG_FLOAT64, ctx->x64) : dt;
    wg_array *c = wgP_bin_count(ctx, idx, weights, total, acc, gather);
    wg_release(idx);
    if (c && acc != dt) {
        wg_array *t = wg_astype(ctx, c, dt, WG_CAST_UNSAFE, 1);
        wg_release(c);
        c = t;
    }
    if (!c) return NULL;
    if (ndim == 1) return wgP_out(ctx, c);
    wg_array *r = wg_reshape(ctx, c, ndim, nb, 'C');
    wg_release(c);
    return wgP_out(ctx, r);
}

/* ---- interp -------------------------------------------------------------------------------- */
wg_array *wg_interp(wg_context *ctx, wg_array *x, wg_array *xp, wg_array *fp, wg_array *left,
                    wg_array *right) {
    if (xp->lay.ndim != 1 || fp->lay.ndim != 1) {
        wgB_error(ctx, WG_ERR_VALUE, xp->lay.ndim == 0 || fp->lay.ndim == 0
                                         ? "object of too small depth for desired array"
                                         : "object too deep for desired array");
        return NULL;
    }
    if (xp->lay.shape[0] != fp->lay.shape[0]) {
        wgB_error(ctx, WG_ERR_VALUE, "fp and xp are not of the same length.");
        return NULL;
    }
    if (xp->lay.shape[0] == 0) {
        wgB_error(ctx, WG_ERR_VALUE, "array of sample points is empty");
        return NULL;
    }
    int dt = wgD_canonical(WG_FLOAT64, ctx->x64);
    wg_array *xc = cast(ctx, x, dt), *xpc = cast(ctx, xp, dt), *fpc = cast(ctx, fp, dt);
    wg_array *l = left ? cast(ctx, left, dt) : wg_scalar(ctx, dt, WG_WEAK_NONE, 0, 0, 0.0);
    wg_array *r = right ? cast(ctx, right, dt) : wg_scalar(ctx, dt, WG_WEAK_NONE, 0, 0, 0.0);
    wg_array *n = wgP_i32(ctx, (int32_t)xp->lay.shape[0]);
    wg_array *hl = wgP_i32(ctx, left != NULL), *hr = wgP_i32(ctx, right != NULL);
    wg_array *y = wg_empty(ctx, dt, x->lay.ndim, x->lay.shape);
    int st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (xc && xpc && fpc && l && r && n && hl && hr && y) {
        if (l->lay.ndim || r->lay.ndim) {
            st = wgB_error(ctx, WG_ERR_VALUE, "interp: left and right must be scalars");
        } else if (wgL_size(&x->lay) > 0 || x->lay.ndim == 0) {
            wg_array *args[9] = {xc, xpc, fpc, n, l, r, hl, hr, y};
            st = wgP_libk_launch(ctx, &interp_src, 9, args, -1, NULL);
        } else {
            st = WG_OK;
        }
    }
    wg_array *all[] = {xc, xpc, fpc, l, r, n, hl, hr};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) wg_release(all[i]);
    if (st != WG_OK) {
        wg_release(y);
        return NULL;
    }
    return wgP_out(ctx, y);
}

/* ---- correlate ----------------------------------------------------------------------------- */
wg_array *wg_correlate(wg_context *ctx, wg_array *a, wg_array *v, int mode) {
    if (a->lay.ndim != 1 || v->lay.ndim != 1) {
        wgB_error(ctx, WG_ERR_VALUE, a->lay.ndim == 0 || v->lay.ndim == 0
                                         ? "object of too small depth for desired array"
                                         : "object too deep for desired array");
        return NULL;
    }
    int64_t n = a->lay.shape[0], m = v->lay.shape[0];
    if (n == 0 || m == 0) {
        wgB_error(ctx, WG_ERR_VALUE, n == 0 ? "a cannot be empty" : "v cannot be empty");
        return NULL;
    }
    if (mode < 0 || mode > 2) {
        wgB_error(ctx, WG_ERR_VALUE, "mode must be 0 (valid), 1 (same) or 2 (full)");
        return NULL;
    }
    if (n + m > INT32_MAX) {
        wgB_error(ctx, WG_ERR_VALUE, "correlate: inputs too long");
        return NULL;
    }
    if (wgD_is_complex(a->dtype) || wgD_is_complex(v->dtype)) {
        /* sum_n a[n+k] conj(v[n]) from four real correlations of the parts (api/complex.c) */
        int32_t dts[2] = {a->dtype, v->dtype}, weak[2] = {0, 0};
        int cdt = wgD_canonical(wgD_result_type(2, dts, weak), ctx->x64);
        int p = wgD_part_dtype(cdt);
        wg_array *ar = wg_real(ctx, a), *ai = ar ? wg_imag(ctx, a) : NULL;
        wg_array *vr = ai ? wg_real(ctx, v) : NULL, *vi = vr ? wg_imag(ctx, v) : NULL;
        wg_array *x[4] = {ar, ai, vr, vi}, *c[4] = {NULL, NULL, NULL, NULL}, *res = NULL;
        for (int k = 0; k < 4 && vi; k++) {
            c[k] = x[k]->dtype == p ? (wg_retain(x[k]), x[k])
                                    : wg_astype(ctx, x[k], p, WG_CAST_UNSAFE, 1);
            if (!c[k]) break;
        }
        if (c[3]) {
            wg_array *rr = wg_correlate(ctx, c[0], c[2], mode);
            wg_array *ii = rr ? wg_correlate(ctx, c[1], c[3], mode) : NULL;
            wg_array *ir = ii ? wg_correlate(ctx, c[1], c[2], mode) : NULL;
            wg_array *ri = ir ? wg_correlate(ctx, c[0], c[3], mode) : NULL;
            wg_array *re = ri ? wg_binary(ctx, WG_OP_ADD, rr, ii, NULL, -1) : NULL;
            wg_array *im = re ? wg_binary(ctx, WG_OP_SUBTRACT, ir, ri, NULL, -1) : NULL;
            res = im ? wgP_cjoin(ctx, re, im, cdt) : NULL;
            wg_array *t[6] = {rr, ii, ir, ri, re, im};
            for (int k = 0; k < 6; k++) wg_release(t[k]);
        }
        for (int k = 0; k < 4; k++) {
            wg_release(x[k]);
            wg_release(c[k]);
        }
        return wgP_out(ctx, res);
    }
    int dt = result_dtype2(ctx, a, v);
    if (dt < 0) return NULL;
    int64_t mn = n < m ? n : m, mx = n < m ? m : n, start, len;
    if (mode == 0) start = mn - 1, len = mx - mn + 1;
    else if (mode == 2) start = 0, len = n + m - 1;
    else {
        len = mx;
        /* NumPy centres the shorter operand; when v is the longer one it correlates (v, a)
         * and reverses the result */
        start = n >= m ? (mn - 1) - mn / 2 : mn / 2;
    }
    wg_array *ac = cast(ctx, a, dt), *vc = cast(ctx, v, dt);
    wg_array *ns = wgP_i32(ctx, (int32_t)n), *ms = wgP_i32(ctx, (int32_t)m);
    wg_array *ss = wgP_i32(ctx, (int32_t)start);
    int64_t shape[1] = {len};
    wg_array *z = wg_empty(ctx, dt, 1, shape);
    int st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (ac && vc && ns && ms && ss && z) {
        wg_array *args[6] = {ac, vc, ns, ms, ss, z};
        st = wgP_libk_launch(ctx, &correlate_src, 6, args, -1, NULL);
    }
    wg_array *all[] = {ac, vc, ns, ms, ss};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) wg_release(all[i]);
    if (st != WG_OK) {
        wg_release(z);
        return NULL;
    }
    return wgP_out(ctx, z);
}
