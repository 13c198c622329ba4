/* Public API: array lifetime, metadata, creation, reading back. */
#include "api.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

wg_array *wgP_null_array(wg_context *ctx, const char *what) {
    wgB_error(ctx, WG_ERR_VALUE, "wgpy: %s has been released (its handle is NULL)", what);
    return NULL;
}

wg_array *wgP_out(wg_context *ctx, wg_array *a) {
    if (a) wgA_write_info(ctx, a);
    return a;
}

wg_array *wgP_into_out(wg_context *ctx, wg_array *r, wg_array *out) {
    if (r && out) {
        int st = wg_assign(ctx, out, r);
        wg_release(r);
        if (st != WG_OK) return NULL;
        wg_retain(out);
        r = out;
    }
    return wgP_out(ctx, r);
}

int wgP_check_dtype(wg_context *ctx, int dtype) {
    if (dtype < 0 || dtype >= WG_NDTYPES)
        return wgB_error(ctx, WG_ERR_TYPE, "wgpy: invalid dtype code %d", dtype);
    return WG_OK;
}

const char *wgP_shape_str(char *buf, size_t n, int ndim, const int64_t *shape) {
    size_t k = (size_t)snprintf(buf, n, "(");
    for (int i = 0; i < ndim && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, i ? ", %lld" : "%lld", (long long)shape[i]);
    if (k < n) snprintf(buf + k, n - k, ndim == 1 ? ",)" : ")");
    return buf;
}

void wg_retain(wg_array *a) {
    if (a) a->refcount++;
}

void wg_release(wg_array *a) {
    while (a && --a->refcount == 0) {
        wg_array *base = a->base;
        if (a->cpart[0]) {
            wg_release(a->cpart[0]);
            wg_release(a->cpart[1]);
        }
        wgA_buffer_release(a->ctx, a->buf);
        wgB_give(a->ctx, WGB_RC_ARRAY, a, sizeof *a);
        a = base;
    }
}

void wg_release_drain(wg_context *ctx) {
    int64_t *q = ctx->relq;
    if (!q) return;
    /* newest first, the count lowered before each release: wg_release never calls back into
     * the shell, but a finalizer that runs meanwhile (another entry) only appends */
    for (int64_t n = q[0]; n > 0; n = q[0]) {
        if (n > ctx->relq_cap) n = ctx->relq_cap; /* a corrupt count: release what fits */
        wg_array *a = (wg_array *)(intptr_t)q[n];
        q[0] = n - 1;
        wg_release(a);
    }
}

void wg_set_release_queue(wg_context *ctx, int64_t *q, int cap) {
    wg_release_drain(ctx);
    ctx->relq = cap > 0 ? q : NULL;
    ctx->relq_cap = q && cap > 0 ? cap : 0;
}

int wg_info(wg_context *ctx, wg_array *a) {
    wgA_write_info(ctx, a);
    return WG_OK;
}

int wg_shares_buffer(wg_array *a, wg_array *b) { return a->buf && a->buf == b->buf; }
int64_t wg_buffer_id(wg_array *a) { return a->buf ? a->buf->id : 0; }

wg_array *wgP_materialize(wg_context *ctx, int dtype, int ndim, const int64_t *shape,
                          wg_node *node) {
    if (!node) return NULL;
    if (wgD_is_complex(dtype)) {
        /* a real node (arange, eye, linspace... with a complex dtype): the real part */
        wg_array *re = wgP_materialize(ctx, wgD_part_dtype(dtype), ndim, shape,
                                       wgG_cast(ctx, node, wgD_part_dtype(dtype)));
        wg_array *c = re ? wgA_new_contiguous(ctx, dtype, ndim, shape) : NULL;
        if (c && wgP_cassign(ctx, c, re) != WG_OK) {
            wg_release(c);
            c = NULL;
        }
        wg_release(re);
        return c;
    }
    wg_array *r = wgA_new_contiguous(ctx, dtype, ndim, shape);
    if (!r) {
        wgG_node_release(ctx, node);
        return NULL;
    }
    if (wgG_record_write(ctx, r->buf, &r->lay, node) != WG_OK) {
        wg_release(r);
        return NULL;
    }
    return r;
}

int wgP_ensure_buffer(wg_context *ctx, wg_array *a) {
    if (a->buf) return WG_OK;
    if (wgD_is_complex(a->dtype)) return wgP_cscalar_buffer(ctx, a);
    wg_buffer *b = wgA_buffer_new(ctx, a->dtype, 1);
    if (!b) return WG_ERR_MEMORY;
    wg_node *n = wgG_load(ctx, a, 0);
    wgL_contiguous(&a->lay, 0, NULL, 'C');
    int st = wgG_record_write(ctx, b, &a->lay, n);
    if (st != WG_OK) {
        wgA_buffer_release(ctx, b);
        return st;
    }
    /* The scalar keeps its kind: a Python scalar stays weak for promotion (Python caches its
     * scalar objects, so one made strong here would change later expressions' dtypes); arrays
     * made from its storage (views, casts) are strong by themselves. */
    a->buf = b;
    return WG_OK;
}

static int check_shape(wg_context *ctx, int ndim, const int64_t *shape) {
    if (ndim < 0 || ndim > WG_MAX_NDIM)
        return wgB_error(ctx, WG_ERR_VALUE, "maximum supported dimension for an ndarray is %d, "
                         "found %d", WG_MAX_NDIM, ndim);
    for (int i = 0; i < ndim; i++)
        if (shape[i] < 0)
            return wgB_error(ctx, WG_ERR_VALUE, "negative dimensions are not allowed");
    return WG_OK;
}

wg_array *wg_empty(wg_context *ctx, int dtype, int ndim, const int64_t *shape) {
    wgP_drain(ctx);
    if (wgP_check_dtype(ctx, dtype) || check_shape(ctx, ndim, shape)) return NULL;
    return wgP_out(ctx, wgA_new_contiguous(ctx, dtype, ndim, shape));
}

static int upload(wg_context *ctx, wg_buffer *b, const void *data) {
    int st = wgA_buffer_ensure(ctx, b);
    if (ctx->trace) wgG_trace_break(ctx, "data was uploaded during the trace");
    if (st == WG_OK && b->nbytes)
        st = ctx->backend->buffer_write(ctx, b, 0, data, b->nbytes);
    ctx->counters[WG_COUNTER_BYTES_UPLOADED] += b->nbytes;
    return st;
}

wg_array *wg_from_data(wg_context *ctx, int dtype, int ndim, const int64_t *shape,
                       const void *data) {
    wgP_drain(ctx);
    if (wgP_check_dtype(ctx, dtype) || check_shape(ctx, ndim, shape)) return NULL;
    int cd = wgD_canonical(dtype, ctx->x64);
    if (cd != dtype && wgD_is_complex(dtype)) {
        /* complex128 under the 32-bit policy: the float64 pairs become float32 pairs */
        int64_t n = 2;
        for (int i = 0; i < ndim; i++) n *= shape[i];
        float *tmp = wgB_malloc(ctx, (size_t)(n * 4) + 1);
        if (!tmp) return NULL;
        const unsigned char *src = data;
        for (int64_t e = 0; e < n; e++) {
            double x;
            memcpy(&x, src + 8 * e, 8);
            tmp[e] = (float)x;
        }
        wg_array *a = wg_from_data(ctx, cd, ndim, shape, tmp);
        wgB_free(tmp);
        return a;
    }
    if (cd != dtype) {
        /* 64-bit host data under the 32-bit policy: convert while copying (NumPy's astype
         * semantics), so no backend ever holds a 64-bit array it was not asked to allow */
        int64_t n = 1;
        for (int i = 0; i < ndim; i++) n *= shape[i];
        unsigned char *tmp = wgB_malloc(ctx, (size_t)(n * wgD_size(cd)));
        if (!tmp) return NULL;
        const unsigned char *src = data;
        for (int64_t e = 0; e < n; e++)
            wgD_store(cd, tmp + e * wgD_size(cd),
                      wgD_convert(wgD_load(dtype, src + e * wgD_size(dtype)), dtype, cd));
        wg_array *a = wg_from_data(ctx, cd, ndim, shape, tmp);
        wgB_free(tmp);
        return a;
    }
    wg_array *a = wgA_new_contiguous(ctx, dtype, ndim, shape);
    if (a && upload(ctx, a->buf, data) != WG_OK) {
        wg_release(a);
        return NULL;
    }
    return wgP_out(ctx, a);
}

wg_array *wg_from_strided(wg_context *ctx, int dtype, int ndim, const int64_t *shape,
                          const int64_t *byte_strides, const void *data) {
    if (wgP_check_dtype(ctx, dtype) || check_shape(ctx, ndim, shape)) return NULL;
    int64_t isz = wgD_size(dtype), n = 1, expect = isz;
    int contiguous = 1;
    for (int i = ndim - 1; i >= 0; i--) {
        if (shape[i] != 1 && byte_strides[i] != expect) contiguous = 0;
        expect *= shape[i];
        n *= shape[i];
    }
    if (contiguous) return wg_from_data(ctx, dtype, ndim, shape, data);
    unsigned char *tmp = wgB_malloc(ctx, (size_t)(n * isz));
    if (!tmp) return NULL;
    int64_t idx[WG_MAX_NDIM] = {0};
    const unsigned char *src = data;
    for (int64_t e = 0; e < n; e++) {
        int64_t off = 0;
        for (int i = 0; i < ndim; i++) off += idx[i] * byte_strides[i];
        memcpy(tmp + e * isz, src + off, (size_t)isz);
        for (int i = ndim - 1; i >= 0; i--) {
            if (++idx[i] < shape[i]) break;
            idx[i] = 0;
        }
    }
    wg_array *a = wg_from_data(ctx, dtype, ndim, shape, tmp);
    wgB_free(tmp);
    return a;
}

wg_array *wg_scalar(wg_context *ctx, int dtype, int weak, int64_t ival, int is_unsigned,
                    double fval) {
    wg_value v;
    int kind_dtype;
    if (weak != WG_WEAK_NONE) {
        kind_dtype = wgD_weak_default(weak);
        dtype = kind_dtype;
    } else {
        if (wgP_check_dtype(ctx, dtype)) return NULL;
        kind_dtype = dtype;
    }
    if (wgD_is_float(kind_dtype)) v.f = fval;
    else if (is_unsigned) v.u = (uint64_t)ival;
    else v.i = ival;
    if (weak == WG_WEAK_NONE && !wgD_is_float(dtype)) {
        /* a strong integer/bool scalar: hold its value as its own dtype does */
        wg_value src = v;
        v = wgD_convert(src, is_unsigned ? WG_UINT64 : WG_INT64, dtype);
    } else if (weak == WG_WEAK_NONE) {
        v = wgD_convert(v, WG_FLOAT64, dtype);
    }
    return wgP_out(ctx, wgA_scalar(ctx, dtype, weak, v, is_unsigned));
}

wg_array *wg_full(wg_context *ctx, int dtype, int ndim, const int64_t *shape, wg_array *value) {
    wgP_drain(ctx);
    if (wgP_check_dtype(ctx, dtype) || check_shape(ctx, ndim, shape)) return NULL;
    if ((value->lay.ndim != 0 && value->buf) || wgD_is_complex(dtype) ||
        wgD_is_complex(value->dtype)) {
        /* an array fill value: broadcast it (NumPy's full accepts arrays) */
        wg_array *r = wgA_new_contiguous(ctx, dtype, ndim, shape);
        if (r && wg_assign(ctx, r, value) != WG_OK) { wg_release(r); r = NULL; }
        return wgP_out(ctx, r);
    }
    if (value->weak == WG_WEAK_INT && wgD_is_int(dtype) &&
        !wgD_value_fits(dtype, value->weak, value->value, value->value_unsigned)) {
        wgB_error(ctx, WG_ERR_OVERFLOW, "Python integer %lld out of bounds for %s",
                  (long long)value->value.i, wgD_name(dtype));
        return NULL;
    }
    wg_node *n = wgG_cast(ctx, wgG_load(ctx, value, 1), dtype);
    return wgP_out(ctx, wgP_materialize(ctx, dtype, ndim, shape, n));
}

wg_array *wg_arange(wg_context *ctx, int dtype, double start, double step, int64_t n) {
    if (wgP_check_dtype(ctx, dtype)) return NULL;
    if (n < 0) n = 0;
    if (dtype == WG_BOOL && n > 2) {
        wgB_error(ctx, WG_ERR_TYPE,
                  "arange() is only supported for booleans when the result has at most length 2.");
        return NULL;
    }
    int64_t shape[1] = {n};
    /* ints count exactly in the integer dtype; floats as NumPy: start + i*step in double
     * precision (the canonical float when 64-bit types are off), then cast */
    /* computed in float64 whatever the 64-bit policy (which governs arrays, not intermediates):
     * NumPy computes these values in double precision and rounds once */
    int cd = wgD_is_float(dtype) || wgD_is_bool(dtype) ? WG_FLOAT64
                                                       : wgD_canonical(WG_INT64, ctx->x64);
    wg_value vs, vd;
    if (wgD_is_float(cd)) { vs.f = start; vd.f = step; }
    else { vs.i = (int64_t)start; vd.i = (int64_t)step; }
    wg_node *i = wgG_cast(ctx, wgG_index(ctx, 1, shape, 0), cd);
    wg_node *m = wgG_op(ctx, WG_OP_MULTIPLY, cd, 1, shape, i, wgG_param(ctx, cd, vd), NULL);
    wg_node *s = wgG_op(ctx, WG_OP_ADD, cd, 1, shape, wgG_param(ctx, cd, vs), m, NULL);
    return wgP_out(ctx, wgP_materialize(ctx, dtype, 1, shape, wgG_cast(ctx, s, dtype)));
}

wg_array *wg_linspace(wg_context *ctx, int dtype, double start, double stop, int64_t n,
                      int endpoint) {
    if (wgP_check_dtype(ctx, dtype)) return NULL;
    if (n < 0) {
        wgB_error(ctx, WG_ERR_VALUE, "Number of samples, %lld, must be non-negative.",
                  (long long)n);
        return NULL;
    }
    int64_t shape[1] = {n};
    int64_t div = endpoint ? n - 1 : n;
    int cd = WG_FLOAT64; /* as in arange: double precision, one rounding */
    wg_value vs, vstep, vstop, vlast;
    vs.f = start;
    vstep.f = div > 0 ? (stop - start) / (double)div : NAN;
    vstop.f = stop;
    vlast.i = n - 1;
    int it = wgD_canonical(WG_INT64, ctx->x64);
    wg_node *y;
    if (div > 0) {
        wg_node *i = wgG_cast(ctx, wgG_index(ctx, 1, shape, 0), cd);
        wg_node *m = wgG_op(ctx, WG_OP_MULTIPLY, cd, 1, shape, i, wgG_param(ctx, cd, vstep), NULL);
        y = wgG_op(ctx, WG_OP_ADD, cd, 1, shape, m, wgG_param(ctx, cd, vs), NULL);
    } else {
        /* NumPy: a single sample (or endpoint=False with n=1) is start */
        y = wgG_op(ctx, WG_OP_POSITIVE, cd, 1, shape, wgG_param(ctx, cd, vs), NULL, NULL);
    }
    if (endpoint && n > 1) {
        wg_node *is_last = wgG_op(ctx, WG_OP_EQUAL, WG_BOOL, 1, shape,
                                  wgG_index(ctx, 1, shape, 0), wgG_param(ctx, it, vlast), NULL);
        y = wgG_op(ctx, WG_OP_WHERE, cd, 1, shape, is_last, wgG_param(ctx, cd, vstop), y);
    }
    /* NumPy 2 rounds toward -inf for integer dtypes */
    if (wgD_is_int(dtype)) y = wgG_op(ctx, WG_OP_FLOOR, cd, 1, shape, y, NULL, NULL);
    return wgP_out(ctx, wgP_materialize(ctx, dtype, 1, shape, wgG_cast(ctx, y, dtype)));
}

wg_array *wg_eye(wg_context *ctx, int dtype, int64_t n, int64_t m, int64_t k) {
    if (wgP_check_dtype(ctx, dtype)) return NULL;
    if (n < 0 || m < 0) {
        wgB_error(ctx, WG_ERR_VALUE, "negative dimensions are not allowed");
        return NULL;
    }
    int64_t shape[2] = {n, m};
    int it = wgD_canonical(WG_INT64, ctx->x64);
    wg_value vk;
    vk.i = k;
    wg_node *d = wgG_op(ctx, WG_OP_SUBTRACT, it, 2, shape, wgG_index(ctx, 2, shape, 1),
                        wgG_index(ctx, 2, shape, 0), NULL);
    wg_node *on = wgG_op(ctx, WG_OP_EQUAL, WG_BOOL, 2, shape, d, wgG_param(ctx, it, vk), NULL);
    return wgP_out(ctx, wgP_materialize(ctx, dtype, 2, shape, wgG_cast(ctx, on, dtype)));
}

int wg_read(wg_context *ctx, wg_array *a, void *dst, int64_t nbytes) {
    wgP_drain(ctx);
    if (!a) return wgP_null_array(ctx, "the read array"), ctx->status;
    if (wgD_is_complex(a->dtype)) return wgP_cread(ctx, a, dst, nbytes);
    int64_t isz = wgD_size(a->dtype), n = wgL_size(&a->lay);
    if (nbytes != n * isz)
        return wgB_error(ctx, WG_ERR_VALUE, "wg_read: %lld bytes given for %lld",
                         (long long)nbytes, (long long)(n * isz));
    if (!a->buf) {
        wgD_store(a->dtype, dst, a->value);
        return WG_OK;
    }
    if (n == 0) return WG_OK;
    if (ctx->trace) wgG_trace_break(ctx, "an array was read during the trace");
    wg_buffer *src = a->buf;
    int64_t off = a->lay.offset;
    wg_array *tmp = NULL;
    if (!wgL_is_c_contiguous(&a->lay)) {
        /* gather on the device: one kernel, then one contiguous transfer */
        wg_node *ld = wgG_load(ctx, a, 1);
        tmp = wgP_materialize(ctx, a->dtype, a->lay.ndim, a->lay.shape, ld);
        if (!tmp) return ctx->status ? ctx->status : WG_ERR_MEMORY;
        src = tmp->buf;
        off = 0;
    }
    int st = wgG_execute(ctx, src);
    if (st == WG_OK && src->failed)
        st = wgB_error(ctx, src->failed, "wgpy: this array's computation failed earlier");
    if (st == WG_OK) st = wgA_buffer_ensure(ctx, src);
    if (st == WG_OK) st = ctx->backend->buffer_read(ctx, src, off * isz, dst, nbytes);
    ctx->counters[WG_COUNTER_BYTES_DOWNLOADED] += nbytes;
    wg_release(tmp);
    return st;
}

/* ---- array flags: ndarray.setflags (breadth2) --------------------------------------------- */
int wg_set_writeable(wg_context *ctx, wg_array *a, int write) {
    if (write && (wgL_has_broadcast(&a->lay) || (a->base && !a->base->writeable)))
        return wgB_error(ctx, WG_ERR_VALUE, "cannot set WRITEABLE flag to True of this array");
    a->writeable = write ? 1 : 0;
    wgA_write_info(ctx, a);
    return WG_OK;
}
