/* Public API: views.  No data moves; the result shares the buffer (and its pending write). */
#include "api.h"

#include <string.h>

static wg_array *view_of(wg_context *ctx, wg_array *a, int st, const wg_layout *lay) {
    if (st != WG_OK) return NULL;
    wg_array *v = wgA_new(ctx, a->dtype, lay, a->buf, a);
    if (v && !a->writeable) v->writeable = 0;
    return wgP_out(ctx, v);
}

/* Views need storage: a scalar operand gets a buffer first. */
#define NEED_BUFFER(ctx, a)                                       \
    do {                                                          \
        if (wgP_ensure_buffer(ctx, a) != WG_OK) return NULL;      \
    } while (0)

wg_array *wg_index(wg_context *ctx, wg_array *a, int nitems, const int64_t *items) {
    wgP_drain(ctx);
    if (!a) return wgP_null_array(ctx, "the indexed array");
    NEED_BUFFER(ctx, a);
    wg_layout l;
    return view_of(ctx, a, wgL_index(ctx, &a->lay, nitems, items, &l), &l);
}

wg_array *wg_index_of(wg_array *a, int nitems, const int64_t *items) {
    return a ? wg_index(a->ctx, a, nitems, items) : NULL;
}

wg_array *wg_transpose(wg_context *ctx, wg_array *a, int naxes, const int64_t *axes) {
    wgP_drain(ctx);
    NEED_BUFFER(ctx, a);
    wg_layout l;
    return view_of(ctx, a, wgL_transpose(ctx, &a->lay, naxes, naxes < 0 ? NULL : axes, &l), &l);
}

wg_array *wg_swapaxes(wg_context *ctx, wg_array *a, int64_t a1, int64_t a2) {
    wgP_drain(ctx);
    NEED_BUFFER(ctx, a);
    wg_layout l;
    return view_of(ctx, a, wgL_swapaxes(ctx, &a->lay, a1, a2, &l), &l);
}

wg_array *wg_moveaxis(wg_context *ctx, wg_array *a, int n, const int64_t *src,
                      const int64_t *dst) {
    NEED_BUFFER(ctx, a);
    wg_layout l;
    return view_of(ctx, a, wgL_moveaxis(ctx, &a->lay, n, src, dst, &l), &l);
}

wg_array *wg_diagonal(wg_context *ctx, wg_array *a, int64_t offset, int64_t axis1,
                      int64_t axis2, int writeable) {
    NEED_BUFFER(ctx, a);
    wg_layout l;
    wg_array *v = view_of(ctx, a, wgL_diagonal(ctx, &a->lay, offset, axis1, axis2, &l), &l);
    if (v && !writeable) {
        v->writeable = 0; /* NumPy's diagonal is a read-only view */
        wgA_write_info(ctx, v);
    }
    return v;
}

wg_array *wg_reshape(wg_context *ctx, wg_array *a, int ndim, const int64_t *shape, int order) {
    wgP_drain(ctx);
    NEED_BUFFER(ctx, a);
    if (ndim < 0 || ndim > WG_MAX_NDIM) {
        wgB_error(ctx, WG_ERR_VALUE, "maximum supported dimension for an ndarray is %d",
                  WG_MAX_NDIM);
        return NULL;
    }
    if (order != 'C' && order != 'F') order = 'C';
    int64_t resolved[WG_MAX_NDIM];
    if (wgL_resolve_shape(ctx, wgL_size(&a->lay), ndim, shape, resolved) != WG_OK) return NULL;
    wg_layout l;
    if (wgL_reshape_view(&a->lay, ndim, resolved, order, &l)) return view_of(ctx, a, WG_OK, &l);
    /* not expressible as a view: copy in the requested order, then view that */
    wg_array *c = wg_copy(ctx, a, order);
    if (!c) return NULL;
    wg_array *r = NULL;
    if (wgL_reshape_view(&c->lay, ndim, resolved, order, &l)) {
        r = wgA_new(ctx, c->dtype, &l, c->buf, NULL);
    } else {
        wgB_error(ctx, WG_ERR_INTERNAL, "reshape of a contiguous copy failed");
    }
    wg_release(c);
    return wgP_out(ctx, r);
}

wg_array *wg_squeeze(wg_context *ctx, wg_array *a, int naxes, const int64_t *axes) {
    wgP_drain(ctx);
    NEED_BUFFER(ctx, a);
    wg_layout l;
    return view_of(ctx, a, wgL_squeeze(ctx, &a->lay, naxes, naxes < 0 ? NULL : axes, &l), &l);
}

wg_array *wg_expand_dims(wg_context *ctx, wg_array *a, int naxes, const int64_t *axes) {
    wgP_drain(ctx);
    NEED_BUFFER(ctx, a);
    wg_layout l;
    return view_of(ctx, a, wgL_expand_dims(ctx, &a->lay, naxes, axes, &l), &l);
}

wg_array *wg_broadcast_to(wg_context *ctx, wg_array *a, int ndim, const int64_t *shape) {
    wgP_drain(ctx);
    NEED_BUFFER(ctx, a);
    wg_layout l;
    wg_array *v = view_of(ctx, a, wgL_broadcast_to(ctx, &a->lay, ndim, shape, &l), &l);
    if (v) {
        v->writeable = 0; /* NumPy's broadcast_to returns a read-only view */
        wgA_write_info(ctx, v);
    }
    return v;
}

int wg_broadcast_shapes(wg_context *ctx, int n, wg_array *const *arrays, int64_t *out_shape) {
    const wg_layout *ls[64];
    if (n > 64) return wgB_error(ctx, WG_ERR_VALUE, "too many arrays to broadcast");
    for (int i = 0; i < n; i++) ls[i] = &arrays[i]->lay;
    int ndim;
    int st = wgL_broadcast_shapes(ctx, n, ls, &ndim, out_shape);
    return st != WG_OK ? st : ndim;
}
