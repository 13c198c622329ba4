/* Public API: reductions.  The elementwise producer of the reduced value fuses into the reduce
 * kernel; mean/var/std divide in the kernel's post program. */
#include "api.h"

#include <string.h>

static const int fold_of[WG_NREDUCE] = {
    [WG_REDUCE_SUM] = WG_FOLD_SUM,   [WG_REDUCE_PROD] = WG_FOLD_PROD,
    [WG_REDUCE_MIN] = WG_FOLD_MIN,   [WG_REDUCE_MAX] = WG_FOLD_MAX,
    [WG_REDUCE_ARGMIN] = WG_FOLD_ARGMIN, [WG_REDUCE_ARGMAX] = WG_FOLD_ARGMAX,
    [WG_REDUCE_ANY] = WG_FOLD_ANY,   [WG_REDUCE_ALL] = WG_FOLD_ALL,
    [WG_REDUCE_MEAN] = WG_FOLD_SUM,  [WG_REDUCE_VAR] = WG_FOLD_SUM, [WG_REDUCE_STD] = WG_FOLD_SUM,
};

/* NumPy's default accumulator for sum/prod: small ints widen to the platform integer. */
static int sum_dtype(int dt) {
    if (dt == WG_BOOL || (wgD_is_signed(dt) && dt != WG_INT64)) return WG_INT64;
    if (wgD_is_unsigned(dt) && dt != WG_UINT64) return WG_UINT64;
    return dt;
}

static int mean_dtype(int dt, int *acc) {
    if (!wgD_is_float(dt)) { *acc = WG_FLOAT64; return WG_FLOAT64; }
    if (dt == WG_FLOAT16) { *acc = WG_FLOAT32; return WG_FLOAT16; }
    *acc = dt;
    return dt;
}

typedef struct {
    int nin;
    int64_t mask;
    int64_t nred;          /* elements folded per output */
    int nkeep;
    int64_t keep_shape[WG_MAX_NDIM];
    int ndim_out;          /* with keepdims */
    int64_t out_shape[WG_MAX_NDIM];
} rshape;

static int reduce_shape(wg_context *ctx, const wg_array *a, int naxes, const int64_t *axes,
                        int keepdims, rshape *r) {
    memset(r, 0, sizeof *r);
    r->nin = a->lay.ndim;
    if (wgL_axes_mask(ctx, naxes, axes, r->nin, &r->mask)) return ctx->status;
    r->nred = 1;
    for (int d = 0; d < r->nin; d++) {
        if ((r->mask >> d) & 1) {
            r->nred *= a->lay.shape[d];
            if (keepdims) r->out_shape[r->ndim_out++] = 1;
        } else {
            r->keep_shape[r->nkeep++] = a->lay.shape[d];
            r->out_shape[r->ndim_out++] = a->lay.shape[d];
        }
    }
    return WG_OK;
}

/* The value DAG over a's shape, cast to vdtype; cut (a's pending work runs) if too big. */
static wg_node *value_dag(wg_context *ctx, wg_array *a, int vdtype) {
    wg_node *n = wgG_cast(ctx, wgG_load(ctx, a, 1), vdtype);
    if (!n || wgG_fits_one_kernel(ctx, n)) return n;
    wgG_node_release(ctx, n);
    wg_buffer *bufs[1] = {a->buf};
    if (wgG_cut(ctx, a->lay.ndim, a->lay.shape, bufs, 1) != WG_OK) return NULL;
    if (ctx->trace) { /* a one-load write to fuse (write.c trace_cut) */
        n = wgG_cast(ctx, wgG_load(ctx, a, 1), vdtype);
        if (!n || wgG_fits_one_kernel(ctx, n)) return n;
        wgG_node_release(ctx, n);
    }
    return wgG_cast(ctx, wgG_load(ctx, a, 0), vdtype);
}

static wg_node *reduce_node(wg_context *ctx, wg_node *src, const wg_array *a, const rshape *r,
                            int fold, int acc, int result_dtype, int post, double scale) {
    if (!src) return NULL;
    wg_node *n = wgG_node_new(ctx, WG_N_REDUCE, 0, result_dtype, r->nkeep, r->keep_shape);
    if (!n) { wgG_node_release(ctx, src); return NULL; }
    n->src[0] = src;
    /* the reduced space is the array's shape; src may be smaller (it broadcasts) */
    wgL_contiguous(&n->view, a->lay.ndim, a->lay.shape, 'C');
    n->fold = fold;
    n->acc_dtype = (uint8_t)acc;
    n->red_axes_mask = r->mask;
    n->post = post;
    n->post_scale = scale;
    return n;
}

/* Write node (over the kept shape) into out or a new array shaped with/without kept 1-dims. */
static wg_array *finish(wg_context *ctx, wg_node *node, int out_dtype, const rshape *r,
                        int keepdims, wg_array *out) {
    if (!node) return NULL;
    char s1[128], s2[128];
    if (out) {
        if (!out->writeable || !out->buf) {
            wgG_node_release(ctx, node);
            wgB_error(ctx, WG_ERR_VALUE, "output array is read-only");
            return NULL;
        }
        if (out->lay.ndim != r->ndim_out ||
            memcmp(out->lay.shape, r->out_shape, sizeof(int64_t) * r->ndim_out)) {
            wgG_node_release(ctx, node);
            wgB_error(ctx, WG_ERR_VALUE, "output parameter for reduction operation has the wrong "
                      "shape: expected %s, got %s",
                      wgP_shape_str(s1, sizeof s1, r->ndim_out, r->out_shape),
                      wgP_shape_str(s2, sizeof s2, out->lay.ndim, out->lay.shape));
            return NULL;
        }
        /* the kernel writes over the kept dims only */
        wg_layout v = out->lay;
        if (keepdims) {
            v.ndim = 0;
            for (int d = 0; d < out->lay.ndim; d++)
                if (!((r->mask >> d) & 1)) {
                    v.shape[v.ndim] = out->lay.shape[d];
                    v.strides[v.ndim++] = out->lay.strides[d];
                }
        }
        if (wgG_record_write(ctx, out->buf, &v, node) != WG_OK) return NULL;
        wg_retain(out);
        return wgP_out(ctx, out);
    }
    wg_array *res = wgP_materialize(ctx, out_dtype, r->nkeep, r->keep_shape, node);
    if (!res || !keepdims) return wgP_out(ctx, res);
    wg_layout l;
    wgL_contiguous(&l, r->ndim_out, r->out_shape, 'C');
    wg_array *v = wgA_new(ctx, out_dtype, &l, res->buf, NULL);
    wg_release(res);
    return wgP_out(ctx, v);
}

wg_array *wg_reduce_of(int rop, wg_array *a, int naxes, const int64_t *axes, int keepdims) {
    return a ? wg_reduce(a->ctx, rop, a, naxes, axes, keepdims, -1, 0, NULL) : NULL;
}

wg_array *wg_reduce(wg_context *ctx, int rop, wg_array *a, int naxes, const int64_t *axes,
                    int keepdims, int dtype, int64_t ddof, wg_array *out) {
    wgP_drain(ctx);
    if (!a) return wgP_null_array(ctx, "the reduced array");
    if (rop < 0 || rop >= WG_NREDUCE) {
        wgB_error(ctx, WG_ERR_VALUE, "wgpy: invalid reduction %d", rop);
        return NULL;
    }
    if (dtype >= 0 && wgP_check_dtype(ctx, dtype)) return NULL;
    if (wgD_is_complex(a->dtype))
        return wgP_creduce(ctx, rop, a, naxes, axes, keepdims, dtype, ddof, out);
    int is_arg = rop == WG_REDUCE_ARGMIN || rop == WG_REDUCE_ARGMAX;
    if (is_arg && (naxes > 1 || naxes == 0)) {
        wgB_error(ctx, WG_ERR_TYPE, "'tuple' object cannot be interpreted as an integer");
        return NULL;
    }
    rshape r;
    if (reduce_shape(ctx, a, naxes, axes, keepdims, &r) != WG_OK) return NULL;
    int x64 = ctx->x64, in = a->weak ? wgD_weak_default(a->weak) : a->dtype;
    int fold = fold_of[rop];
    if (r.nred == 0 && (rop == WG_REDUCE_MIN || rop == WG_REDUCE_MAX || is_arg)) {
        if (is_arg)
            wgB_error(ctx, WG_ERR_VALUE, "attempt to get %s of an empty sequence",
                      wg_reduce_name(rop));
        else
            wgB_error(ctx, WG_ERR_VALUE,
                      "zero-size array to reduction operation %s which has no identity",
                      rop == WG_REDUCE_MIN ? "minimum" : "maximum");
        return NULL;
    }
    int acc, out_dt, post = WG_POST_NONE;
    double scale = 1.0;
    switch (rop) {
    case WG_REDUCE_SUM:
    case WG_REDUCE_PROD:
        acc = out_dt = dtype >= 0 ? dtype : sum_dtype(in);
        break;
    case WG_REDUCE_MIN:
    case WG_REDUCE_MAX:
        acc = out_dt = in;
        break;
    case WG_REDUCE_ARGMIN:
    case WG_REDUCE_ARGMAX:
        acc = in;
        out_dt = WG_INT64;
        break;
    case WG_REDUCE_ANY:
    case WG_REDUCE_ALL:
        acc = out_dt = WG_BOOL;
        break;
    default: /* mean, var, std */
        if (dtype >= 0) acc = out_dt = dtype;
        else out_dt = mean_dtype(in, &acc);
        post = rop == WG_REDUCE_STD ? WG_POST_SQRT_DIVIDE : WG_POST_DIVIDE;
        break;
    }
    acc = wgD_canonical(acc, x64);
    out_dt = wgD_canonical(out_dt, x64);
    int vdtype = is_arg ? in : acc;

    if (rop == WG_REDUCE_VAR || rop == WG_REDUCE_STD) {
        /* two passes (numerically stable): mean, then the mean of squared deviations */
        rshape rk;
        reduce_shape(ctx, a, naxes, axes, 1, &rk);
        wg_node *mn = reduce_node(ctx, value_dag(ctx, a, acc), a, &r, WG_FOLD_SUM, acc, acc,
                                  WG_POST_DIVIDE, (double)r.nred);
        wg_array *m = finish(ctx, mn, acc, &rk, 1, NULL);
        if (!m) return NULL;
        int64_t keep_in[WG_MAX_NDIM];
        memcpy(keep_in, a->lay.shape, sizeof(int64_t) * a->lay.ndim);
        wg_node *x = value_dag(ctx, a, acc);
        wg_node *dev = wgG_op(ctx, WG_OP_SUBTRACT, acc, a->lay.ndim, keep_in, x,
                              wgG_load(ctx, m, 0), NULL);
        wg_node *sq = NULL;
        if (dev) {
            wgG_node_retain(dev);
            sq = wgG_op(ctx, WG_OP_MULTIPLY, acc, a->lay.ndim, keep_in, dev, dev, NULL);
        }
        wg_release(m);
        double dof = (double)r.nred - (double)ddof;
        wg_node *vn = reduce_node(ctx, sq, a, &r, WG_FOLD_SUM, acc, acc, post, dof > 0 ? dof : 0.0);
        return finish(ctx, vn, out_dt, &r, keepdims, out);
    }
    if (rop == WG_REDUCE_MEAN) scale = (double)r.nred;
    int result = is_arg ? wgD_canonical(WG_INT64, x64) : acc;
    if (is_arg) out_dt = result;
    wg_node *n = reduce_node(ctx, value_dag(ctx, a, vdtype), a, &r, fold, acc, result, post, scale);
    return finish(ctx, n, out_dt, &r, keepdims, out);
}
