/* The kernel cache (keyed by the IR's structural hash, checked for equality) and dispatch. */
#include "../base/context.h"
#include "../dtype/dtype.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct wg_kcache_entry {
    wg_kernel_ir *ir;
    void *handle;
} wg_kcache_entry;

static int consts_equal(const wg_kernel_ir *a, const wg_kernel_ir *b) {
    for (int s = 0; s < a->nparams && s < WG_KMAX_PARAMS; s++)
        if (a->param_const[s] && a->param_value[s].u != b->param_value[s].u) return 0;
    return 1;
}

static int ir_equal(const wg_kernel_ir *a, const wg_kernel_ir *b) {
    if (a->kind != b->kind || a->ndim != b->ndim || a->ninputs != b->ninputs ||
        a->noutputs != b->noutputs || a->nparams != b->nparams || a->ninst != b->ninst ||
        a->fold != b->fold || a->nred != b->nred || a->acc_dtype != b->acc_dtype ||
        a->npost != b->npost || a->wg_block != b->wg_block || a->in_range != b->in_range || a->contract != b->contract ||
        a->nshared != b->nshared || memcmp(a->shared_dtype, b->shared_dtype, sizeof a->shared_dtype) ||
        memcmp(a->shared_len, b->shared_len, sizeof a->shared_len))
        return 0;
    return !memcmp(a->input_dtype, b->input_dtype, (size_t)a->ninputs) &&
           !memcmp(a->output_dtype, b->output_dtype, (size_t)a->noutputs) &&
           !memcmp(a->param_dtype, b->param_dtype, (size_t)a->nparams) &&
           !memcmp(a->param_const, b->param_const, (size_t)a->nparams) &&
           consts_equal(a, b) &&
           !memcmp(a->out_inst, b->out_inst, sizeof(uint16_t) * a->noutputs) &&
           (!a->ninst || !memcmp(a->inst, b->inst, sizeof(wg_inst) * a->ninst)) &&
           (!a->npost || !memcmp(a->post, b->post, sizeof(wg_inst) * a->npost)) &&
           wgI_native_equal(a, b);
}

void wgG_kcache_clear(wg_context *ctx) {
    for (int i = 0; i < ctx->kcache_cap; i++) {
        wg_kcache_entry *e = ctx->kcache[i];
        if (!e) continue;
        if (ctx->backend->kernel_release) ctx->backend->kernel_release(ctx, e->handle);
        wgI_free(e->ir);
        wgB_free(e);
    }
    wgB_free(ctx->kcache);
    ctx->kcache = NULL;
    ctx->kcache_cap = ctx->kcache_len = 0;
    ctx->kcache_gen++;
}

/* Open addressing; the table is dropped whole when it fills (kernels recompile on demand). */
static int lookup(wg_context *ctx, wg_kernel_ir *k, wg_kcache_entry **out) {
    if (ctx->kcache_len * 2 >= ctx->kcache_cap) {
        if (ctx->kcache_cap >= 4096) wgG_kcache_clear(ctx);
        int ncap = ctx->kcache_cap ? ctx->kcache_cap * 2 : 64;
        wg_kcache_entry **nt = wgB_calloc(ctx, (size_t)ncap, sizeof *nt);
        if (!nt) return WG_ERR_MEMORY;
        for (int i = 0; i < ctx->kcache_cap; i++) {
            wg_kcache_entry *e = ctx->kcache[i];
            if (!e) continue;
            int j = (int)(e->ir->hash & (uint64_t)(ncap - 1));
            while (nt[j]) j = (j + 1) & (ncap - 1);
            nt[j] = e;
        }
        wgB_free(ctx->kcache);
        ctx->kcache = nt;
        ctx->kcache_cap = ncap;
    }
    int j = (int)(k->hash & (uint64_t)(ctx->kcache_cap - 1));
    for (; ctx->kcache[j]; j = (j + 1) & (ctx->kcache_cap - 1)) {
        wg_kcache_entry *e = ctx->kcache[j];
        if (e->ir->hash == k->hash && ir_equal(e->ir, k)) {
            ctx->counters[WG_COUNTER_KERNEL_CACHE_HITS]++;
            *out = e;
            return WG_OK;
        }
    }
    ctx->counters[WG_COUNTER_KERNEL_CACHE_MISSES]++;
    wg_kcache_entry *e = wgB_calloc(ctx, 1, sizeof *e);
    if (!e) return WG_ERR_MEMORY;
    e->ir = wgI_clone(ctx, k);
    if (!e->ir) { wgB_free(e); return WG_ERR_MEMORY; }
    int st = ctx->backend->kernel_prepare(ctx, e->ir, &e->handle);
    if (st != WG_OK) {
        wgI_free(e->ir);
        wgB_free(e);
        return st;
    }
    ctx->kcache[j] = e;
    ctx->kcache_len++;
    *out = e;
    return WG_OK;
}

static int64_t touched(const wg_kernel_args *a, int ndim) {
    int64_t n = 1;
    for (int d = 0; d < ndim; d++) n *= a->shape[d];
    return n;
}

int wgG_dispatch(wg_context *ctx, const wg_kernel_ir *k_in, const wg_kernel_args *args) {
    return wgG_dispatch_memo(ctx, k_in, args, NULL);
}

int wgG_dispatch_memo(wg_context *ctx, const wg_kernel_ir *k_in, const wg_kernel_args *args,
                      wgG_kmemo *memo) {
    if (ctx->dump_ir) {
        char text[8192];
        wgI_dump(k_in, text, sizeof text);
        fprintf(stderr, "%s\n", text);
    }
    const wg_kernel_ir k = *k_in;
    wg_kcache_entry *e;
    int st = WG_OK;
    if (memo && memo->entry && memo->gen == ctx->kcache_gen + 1) {
        e = memo->entry;
        ctx->counters[WG_COUNTER_KERNEL_CACHE_HITS]++;
    } else {
        wg_kernel_ir kh = k;
        kh.hash = wgI_hash(&kh);
        if ((st = lookup(ctx, &kh, &e)) != WG_OK) return st;
        if (memo) {
            memo->entry = e;
            memo->gen = ctx->kcache_gen + 1;
        }
    }
    for (int i = 0; i < k.ninputs; i++)
        if ((st = wgA_buffer_ensure(ctx, args->in[i].buf)) != WG_OK) return st;
    for (int i = 0; i < k.noutputs; i++)
        if ((st = wgA_buffer_ensure(ctx, args->out[i].buf)) != WG_OK) return st;
    if (ctx->trace) wgG_trace_break(ctx, "a kernel ran during the trace");
    st = ctx->backend->kernel_run(ctx, e->handle, e->ir, args);
    if (st != WG_OK) return st;
    ctx->counters[WG_COUNTER_KERNELS_LAUNCHED]++;
    int compute = 0;
    for (int i = 0; i < k.ninst; i++) {
        int op = k.inst[i].op;
        if (op != WG_OP_LOAD && op != WG_OP_PARAM && op != WG_OP_INDEX && op != WG_OP_CAST)
            compute++;
    }
    ctx->counters[WG_COUNTER_OPS_FUSED] += compute;
    int64_t pts = touched(args, k.ndim);
    for (int i = 0; i < k.ninputs; i++)
        ctx->counters[WG_COUNTER_BYTES_READ] += pts * wgD_size(k.input_dtype[i]);
    int64_t outpts = pts;
    if (k.kind == WG_K_REDUCE) outpts = touched(args, k.ndim - k.nred);
    for (int i = 0; i < k.noutputs; i++)
        ctx->counters[WG_COUNTER_BYTES_WRITTEN] += outpts * wgD_size(k.output_dtype[i]);
    return WG_OK;
}
