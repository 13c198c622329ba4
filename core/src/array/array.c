/* Arrays: a layout over a buffer (or an inline scalar value); the info block. */
#include "../base/context.h"
#include "../dtype/dtype.h"

wg_array *wgA_new(wg_context *ctx, int dtype, const wg_layout *lay, wg_buffer *buf,
                  wg_array *base) {
    wg_array *a = wgB_take(ctx, WGB_RC_ARRAY, sizeof *a);
    if (!a) return NULL;
    a->refcount = 1;
    a->ctx = ctx;
    a->dtype = dtype;
    a->lay = *lay;
    a->buf = buf;
    wgA_buffer_retain(buf);
    /* NumPy's .base is the array that owns the memory, never a chain of views */
    if (base && base->base) base = base->base;
    a->base = base;
    if (base) base->refcount++;
    a->writeable = !wgL_has_broadcast(lay) && (!base || base->writeable);
    return a;
}

wg_array *wgA_new_contiguous(wg_context *ctx, int dtype, int ndim, const int64_t *shape) {
    wg_layout lay;
    wgL_contiguous(&lay, ndim, shape, 'C');
    int64_t n = wgL_size(&lay);
    wg_buffer *b = wgA_buffer_new(ctx, dtype, n);
    if (!b) return NULL;
    wg_array *a = wgA_new(ctx, dtype, &lay, b, NULL);
    wgA_buffer_release(ctx, b);
    return a;
}

wg_array *wgA_scalar(wg_context *ctx, int dtype, int weak, wg_value v, int is_unsigned) {
    wg_array *a = wgB_take(ctx, WGB_RC_ARRAY, sizeof *a);
    if (!a) return NULL;
    a->refcount = 1;
    a->ctx = ctx;
    a->dtype = dtype;
    a->weak = weak;
    a->lay.ndim = 0;
    a->value = v;
    a->value_unsigned = is_unsigned;
    a->writeable = 1;
    return a;
}

void wgA_write_info(wg_context *ctx, const wg_array *a) {
    int64_t *info = ctx->info;
    info[0] = a->dtype;
    info[1] = a->lay.ndim;
    info[2] = a->lay.offset;
    int flags = 0;
    if (wgL_is_c_contiguous(&a->lay)) flags |= WG_FLAG_C;
    if (wgL_is_f_contiguous(&a->lay)) flags |= WG_FLAG_F;
    if (!a->base) flags |= WG_FLAG_OWNDATA;
    if (a->writeable) flags |= WG_FLAG_WRITEABLE;
    info[3] = flags;
    info[4] = a->weak;
    for (int i = 0; i < a->lay.ndim; i++) {
        info[8 + i] = a->lay.shape[i];
        info[8 + WG_MAX_NDIM + i] = a->lay.strides[i];
    }
}
