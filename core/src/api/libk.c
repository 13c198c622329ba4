/* Library kernels: parsed once per context, cached by the address of their description. */
#include "libk.h"

typedef struct libk_entry {
    struct libk_entry *next;
    const wgP_libk *src;
    wg_ukernel *k;
} libk_entry;

wg_ukernel *wgP_libk_get(wg_context *ctx, const wgP_libk *src) {
    for (libk_entry *e = ctx->libk; e; e = e->next)
        if (e->src == src) return e->k;
    wg_ukernel *k = NULL;
    int st = src->reduce_expr
                 ? wg_ukernel_reduction(ctx, src->in_params, src->out_params, src->operation,
                                        src->reduce_expr, src->post_map_expr, src->identity,
                                        src->name, src->reduce_type, src->preamble, &k)
                 : wg_ukernel_elementwise(ctx, src->in_params, src->out_params, src->operation,
                                          src->name, src->preamble, src->loop_prep, "", &k);
    if (st != WG_OK) return NULL; /* a bug in the engine's own source: the error names it */
    libk_entry *e = wgB_calloc(ctx, 1, sizeof *e);
    if (!e) {
        wg_ukernel_free(k);
        return NULL;
    }
    e->src = src;
    e->k = k;
    e->next = ctx->libk;
    ctx->libk = e;
    return k;
}

int wgP_libk_launch(wg_context *ctx, const wgP_libk *src, int nargs, wg_array *const *args,
                    int64_t size, wg_array **outs) {
    wg_ukernel *k = wgP_libk_get(ctx, src);
    if (!k) return ctx->status ? ctx->status : WG_ERR_MEMORY;
    wg_array *tmp[WG_KMAX_IO];
    int st = wg_ukernel_launch(ctx, k, nargs, args, size, outs ? outs : tmp);
    if (!outs && st == WG_OK)
        for (int i = 0; i < wg_ukernel_nparams(k) - wg_ukernel_nin(k); i++) wg_release(tmp[i]);
    return st;
}

int wgP_libk_reduce(wg_context *ctx, const wgP_libk *src, int nargs, wg_array *const *args,
                    int naxes, const int64_t *axes, int keepdims, wg_array **outs) {
    wg_ukernel *k = wgP_libk_get(ctx, src);
    if (!k) return ctx->status ? ctx->status : WG_ERR_MEMORY;
    return wg_ukernel_reduce(ctx, k, nargs, args, naxes, axes, keepdims, outs);
}

wg_array *wgP_i32(wg_context *ctx, int32_t v) {
    return wg_scalar(ctx, WG_INT32, WG_WEAK_NONE, v, 0, 0.0);
}

void wgP_libk_free_all(wg_context *ctx) {
    libk_entry *e = ctx->libk;
    while (e) {
        libk_entry *next = e->next;
        wg_ukernel_free(e->k);
        wgB_free(e);
        e = next;
    }
    ctx->libk = NULL;
}
