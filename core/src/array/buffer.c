/* Buffers: typed, refcounted storage whose bytes come from the pool on first need. */
#include "../base/context.h"
#include "../dtype/dtype.h"

#include <stdlib.h>
#include <string.h>

wg_buffer *wgA_buffer_new(wg_context *ctx, int dtype, int64_t nelem) {
    if (wgD_is_complex(dtype)) {
        /* complex storage is float pairs (docs/complex.md): backends only ever see floats */
        if (ctx->backend->dtype_ok && !ctx->backend->dtype_ok(ctx, wgD_part_dtype(dtype))) {
            wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: %s arrays are not supported on the %s backend",
                      wgD_name(dtype), ctx->backend->name);
            return NULL;
        }
        dtype = wgD_part_dtype(dtype);
        nelem *= 2;
    }
    if (ctx->backend->dtype_ok && !ctx->backend->dtype_ok(ctx, dtype)) {
        wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: %s arrays are not supported on the %s backend%s",
                  wgD_name(dtype), ctx->backend->name,
                  dtype != WG_FLOAT16 ? ""
                  : strcmp(ctx->backend->name, "webgl2") == 0 ? " (it stores 32-bit words)"
                                                              : " (the device lacks 16-bit float support)");
        return NULL;
    }
    wg_buffer *b = wgB_take(ctx, WGB_RC_BUFFER, sizeof *b);
    if (!b) return NULL;
    b->refcount = 1;
    b->dtype = dtype;
    b->nelem = nelem;
    b->nbytes = nelem * wgD_size(dtype);
    b->id = ++ctx->next_buffer_id;
    b->trace = ctx->trace ? ctx->trace_stamp : 0;
    return b;
}

void wgA_buffer_retain(wg_buffer *b) {
    if (b) b->refcount++;
}

void wgA_buffer_release(wg_context *ctx, wg_buffer *b) {
    if (!b || --b->refcount > 0) return;
    /* No pending write can still be needed: a pending write of another buffer that reads this one
     * holds a reference to it.  Its own pending write is unobservable now: drop it unrun. */
    if (b->pending) wgG_drop_pending(ctx, b);
    if (b->vaddr) wgA_ptr_forget(ctx, b);
    if (b->allocated) wgA_pool_give(ctx, b);
    wgB_give(ctx, WGB_RC_BUFFER, b, sizeof *b);
}

int wgA_buffer_ensure(wg_context *ctx, wg_buffer *b) {
    if (b->allocated) return WG_OK;
    return wgA_pool_take(ctx, b);
}
