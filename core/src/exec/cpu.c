/*
 * cpu.c — the cpu backend: host buffers, and wgX_cpu_run, which runs wg_kernel_ir on host memory.
 * Elementwise kernels are here; reductions in cpu_reduce.c, matmul in cpu_matmul.c, the block
 * evaluator in cpu_eval.c.
 */
#include <stdlib.h>

#include "cpu_internal.h"
#include "../base/context.h"

/* ---- buffers --------------------------------------------------------------------------------- */
static int cpu_buffer_alloc(wg_context *ctx, wg_buffer *buf) {
    if (buf->nbytes < 0)
        return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: negative buffer size %lld",
                         (long long)buf->nbytes);
    if ((uint64_t)buf->nbytes > (uint64_t)SIZE_MAX - 256)
        return wgB_error(ctx, WG_ERR_MEMORY, "out of memory allocating %lld bytes",
                         (long long)buf->nbytes);
    void *p = wgX_alloc_aligned(ctx, (size_t)buf->nbytes);
    if (!p) return WG_ERR_MEMORY;
    buf->host = p;
    buf->allocated = 1;
    return WG_OK;
}

static void cpu_buffer_free(wg_context *ctx, wg_buffer *buf) {
    (void)ctx;
    wgX_free_aligned(buf->host);
    buf->host = NULL;
    buf->allocated = 0;
}

static int check_range(wg_context *ctx, wg_buffer *buf, int64_t off, int64_t n) {
    if (!buf || !buf->host)
        return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: buffer has no storage");
    if (off < 0 || n < 0 || off > buf->nbytes || n > buf->nbytes - off)
        return wgB_error(ctx, WG_ERR_INTERNAL,
                         "cpu: access of %lld bytes at %lld outside a buffer of %lld bytes",
                         (long long)n, (long long)off, (long long)buf->nbytes);
    return WG_OK;
}

static int cpu_buffer_write(wg_context *ctx, wg_buffer *buf, int64_t off, const void *src,
                            int64_t n) {
    int st = check_range(ctx, buf, off, n);
    if (st) return st;
    if (n) memcpy((char *)buf->host + off, src, (size_t)n);
    return WG_OK;
}

static int cpu_buffer_read(wg_context *ctx, wg_buffer *buf, int64_t off, void *dst, int64_t n) {
    int st = check_range(ctx, buf, off, n);
    if (st) return st;
    if (n) memcpy(dst, (const char *)buf->host + off, (size_t)n);
    return WG_OK;
}

static int refuse_native(wg_context *ctx, const wg_kernel_ir *k);

/* ---- kernels --------------------------------------------------------------------------------- */
/* The handle is a validated clone of the IR; runs use the IR the engine passes (the same
 * structure, by the cache's hash), or the clone when none is passed. */
static int cpu_kernel_prepare(wg_context *ctx, const wg_kernel_ir *k, void **handle) {
    *handle = NULL;
    if (!k) return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: no kernel");
    if (k->kind != WG_K_ELEMENTWISE && k->kind != WG_K_REDUCE && k->kind != WG_K_MATMUL)
        return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: unknown kernel kind %d", k->kind);
    if (k->native) return refuse_native(ctx, k);
    wg_kernel_ir *c = wgI_clone(ctx, k);
    if (!c) return wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
    *handle = c;
    return WG_OK;
}

static void cpu_kernel_release(wg_context *ctx, void *handle) {
    (void)ctx;
    if (handle) wgI_free((wg_kernel_ir *)handle);
}

static int cpu_kernel_run(wg_context *ctx, void *handle, const wg_kernel_ir *k,
                          const wg_kernel_args *args) {
    return wgX_cpu_run(ctx, k ? k : (const wg_kernel_ir *)handle, args);
}

static int cpu_flush(wg_context *ctx) {
    (void)ctx;
    return WG_OK;
}

static const wg_backend cpu_backend = {
    "cpu",
    cpu_buffer_alloc,
    cpu_buffer_free,
    cpu_buffer_write,
    cpu_buffer_read,
    cpu_kernel_prepare,
    cpu_kernel_release,
    cpu_kernel_run,
    cpu_flush,
    NULL, /* every dtype */
    NULL, /* device bytes = engine bytes */
};

const wg_backend *wgX_cpu_backend(void) { return &cpu_backend; }

/* ---- argument checks ------------------------------------------------------------------------- */
/* Every element an operand touches lies inside its buffer. */
static int check_operand(wg_context *ctx, const char *what, int j, const wg_operand *op, int dt,
                         int nd, const int64_t *shape, const int64_t *strides) {
    int64_t lo = op->offset, hi = op->offset;
    for (int d = 0; d < nd; d++) {
        if (shape[d] == 0) return WG_OK; /* touches nothing */
        int64_t ext = (shape[d] - 1) * strides[d];
        if (ext < 0) lo += ext;
        else hi += ext;
    }
    const wg_buffer *b = op->buf;
    if (!b || !b->host)
        return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: %s %d has no host storage", what, j);
    int64_t isz = wgD_itemsize(dt);
    if (lo < 0 || (hi + 1) * isz > b->nbytes)
        return wgB_error(ctx, WG_ERR_INTERNAL,
                         "cpu: %s %d reaches elements [%lld, %lld] of a %lld-byte buffer", what, j,
                         (long long)lo, (long long)hi, (long long)b->nbytes);
    return WG_OK;
}

int wgX_validate_args(wg_context *ctx, const wg_kernel_ir *k, const wg_kernel_args *args) {
    if (k->ndim < 0 || k->ndim > WG_MAX_NDIM || k->ninputs < 0 || k->noutputs < 0 ||
        k->ninputs + k->noutputs > WG_KMAX_IO || k->nparams < 0 || k->nparams > WG_KMAX_PARAMS)
        return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: bad kernel header (ndim %d, io %d+%d)",
                         k->ndim, k->ninputs, k->noutputs);
    for (int d = 0; d < k->ndim; d++)
        if (args->shape[d] < 0)
            return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: negative extent in dim %d", d);
    for (int j = 0; j < k->ninputs; j++)
        if (k->input_dtype[j] > WG_FLOAT64)
            return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: bad input dtype");
    for (int j = 0; j < k->noutputs; j++)
        if (k->output_dtype[j] > WG_FLOAT64)
            return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: bad output dtype");
    int st;
    if (k->kind == WG_K_MATMUL) {
        int nb = k->ndim - 2;
        if (nb < 0 || k->ninputs != 2 || k->noutputs != 1 || args->k < 0)
            return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: bad matmul kernel");
        int64_t sh[WG_MAX_NDIM];
        for (int d = 0; d < nb; d++) sh[d] = args->shape[d];
        sh[nb] = args->shape[nb];
        sh[nb + 1] = args->k;
        if ((st = check_operand(ctx, "input", 0, &args->in[0], k->input_dtype[0], k->ndim, sh,
                                args->in[0].strides)))
            return st;
        sh[nb] = args->k;
        sh[nb + 1] = args->shape[nb + 1];
        if ((st = check_operand(ctx, "input", 1, &args->in[1], k->input_dtype[1], k->ndim, sh,
                                args->in[1].strides)))
            return st;
        return check_operand(ctx, "output", 0, &args->out[0], k->output_dtype[0], k->ndim,
                             args->shape, args->out[0].strides);
    }
    int nout_dims = k->ndim;
    if (k->kind == WG_K_REDUCE) {
        if (k->nred < 0 || k->nred > k->ndim || k->noutputs != 1)
            return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: bad reduce kernel (nred %d)", k->nred);
        nout_dims = k->ndim - k->nred;
        /* an empty reduction writes every kept point */
    }
    int64_t total = 1;
    for (int d = 0; d < k->ndim; d++) total *= args->shape[d];
    for (int j = 0; j < k->ninputs; j++) {
        if (k->input_raw[j]) {
            /* a raw input is read only by bounds-checked gathers (outside reads zero): its offset
             * lies in the buffer, which may be empty (a guarded kernel over an empty array) */
            const wg_buffer *b = args->in[j].buf;
            if (!b || !b->host)
                return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: input %d has no host storage", j);
            if (args->in[j].offset < 0 ||
                args->in[j].offset * wgD_itemsize(k->input_dtype[j]) > b->nbytes)
                return wgB_error(ctx, WG_ERR_INTERNAL,
                                 "cpu: raw input %d starts at element %lld of a %lld-byte buffer",
                                 j, (long long)args->in[j].offset, (long long)b->nbytes);
            continue;
        }
        if ((st = check_operand(ctx, "input", j, &args->in[j], k->input_dtype[j], k->ndim,
                                args->shape, args->in[j].strides)))
            return st;
    }
    if (k->kind == WG_K_REDUCE) {
        int64_t kept = 1;
        for (int d = 0; d < nout_dims; d++) kept *= args->shape[d];
        if (kept == 0) return WG_OK;
    } else if (total == 0) {
        return WG_OK;
    }
    for (int j = 0; j < k->noutputs; j++)
        if ((st = check_operand(ctx, "output", j, &args->out[j], k->output_dtype[j], nout_dims,
                                args->shape, args->out[j].strides)))
            return st;
    return WG_OK;
}

/* ---- elementwise ----------------------------------------------------------------------------- */
int wgX_run_elementwise(wg_context *ctx, const wg_kernel_ir *k, const wg_kernel_args *args) {
    int nin = k->ninputs, nout = k->noutputs, nops = nin + nout;
    int64_t total = 1;
    for (int d = 0; d < k->ndim; d++) total *= args->shape[d];
    for (int j = 0; j < nout; j++)
        if (k->out_inst[j] >= k->ninst)
            return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: output %d reads instruction %d of %d", j,
                             k->out_inst[j], k->ninst);
    wgx_eval e;
    int cap = total < WGX_BLK ? (int)(total > 0 ? total : 1) : WGX_BLK;
    int st = wgX_eval_init(ctx, &e, k, args, k->inst, k->ninst, 0, nout, k->out_inst, cap);
    if (st) return st;
    if (total == 0 || nout == 0) {
        wgX_eval_free(&e);
        return WG_OK;
    }

    wgx_iter it;
    memset(&it, 0, sizeof it);
    it.nd = k->ndim;
    it.nops = nops;
    for (int d = 0; d < k->ndim; d++) {
        it.shape[d] = args->shape[d];
        it.dimid[d] = d;
        for (int j = 0; j < nin; j++) it.st[j][d] = args->in[j].strides[d];
        for (int j = 0; j < nout; j++) it.st[nin + j][d] = args->out[j].strides[d];
    }
    if (!e.has_index) wgX_iter_simplify(&it, nin, 1);

    /* scratch: block segments, and a cast buffer for stores */
    size_t segbytes = ((size_t)cap * (sizeof(int) + sizeof(int64_t) * (size_t)nops) + 63) & ~(size_t)63;
    size_t idxbytes = e.has_index ? (size_t)cap * WG_MAX_NDIM * sizeof(int64_t) : 0;
    char *scratch = wgX_alloc_aligned(ctx, (size_t)cap * 8 + segbytes + idxbytes);
    if (!scratch) {
        wgX_eval_free(&e);
        return WG_ERR_MEMORY;
    }
    void *tmp = scratch;
    wgx_block b;
    b.segoff = (int64_t *)(scratch + (size_t)cap * 8);
    b.seglen = (int *)(b.segoff + (size_t)cap * nops);
    b.segidx = e.has_index ? (int64_t *)(scratch + (size_t)cap * 8 + segbytes) : NULL;

    int64_t inner[WGX_MAXOPS];
    for (int o = 0; o < nops; o++) inner[o] = it.nd ? it.st[o][it.nd - 1] : 0;
    char *out_base[WG_KMAX_IO];
    for (int j = 0; j < nin; j++)
        e.in_base[j] = (const char *)args->in[j].buf->host +
                       args->in[j].offset * wgD_itemsize(k->input_dtype[j]);
    for (int j = 0; j < nout; j++)
        out_base[j] = (char *)args->out[j].buf->host +
                      args->out[j].offset * wgD_itemsize(k->output_dtype[j]);
    e.in_inner = inner;
    e.it = &it;
    e.inner_dim = it.nd ? it.dimid[it.nd - 1] : -1;

    /* Output 0 may be computed in place of a scratch slot (saving a copy) when it is a unit-stride
     * run of the value's own storage type, written by a computing op, and shares no buffer with
     * an input (the loops' restrict pointers promise that). */
    int direct = -1;
    {
        int vi = k->out_inst[0], op = k->inst[vi].op, odt = k->output_dtype[0];
        int ok = inner[nin] == 1 && k->inst[vi].dtype == odt && op != WG_OP_LOAD &&
                 op != WG_OP_PARAM && op != WG_OP_INDEX &&
                 (odt == WG_FLOAT32 || odt == WG_FLOAT64 || odt == WG_INT64 || odt == WG_UINT64);
        for (int j = 0; j < nin && ok; j++) ok = args->in[j].buf != args->out[0].buf;
        for (int j = 1; j < nout && ok; j++) ok = k->out_inst[j] != vi;
        if (ok) direct = vi;
    }
    e.direct_inst = direct;

    wgX_iter_start(&it);
    while (wgX_iter_next(&it, &b, cap) > 0) {
        e.direct_ptr = (direct >= 0 && b.nseg == 1)
                           ? out_base[0] + b.segoff[nin] * wgD_itemsize(k->output_dtype[0])
                           : NULL;
        wgX_eval_block(&e, &b, NULL);
        for (int j = 0; j < nout; j++) {
            int vi = k->out_inst[j];
            if (j == 0 && e.direct_ptr) continue; /* already there */
            wgX_store_block(k->inst[vi].dtype, k->output_dtype[j], out_base[j], inner[nin + j], &b,
                            nops, nin + j, e.val[vi], tmp);
        }
    }
    wgX_free_aligned(scratch);
    int bad = e.bad_power;
    wgX_eval_free(&e);
    if (bad)
        return wgB_error(ctx, WG_ERR_VALUE, "Integers to negative integer powers are not allowed.");
    return WG_OK;
}

/* ---- entry ----------------------------------------------------------------------------------- */
/* A native kernel's body is WGSL or GLSL text: only the GPU backend of its language runs it. */
static int refuse_native(wg_context *ctx, const wg_kernel_ir *k) {
    return wgB_error(ctx, WG_ERR_NOTIMPL, "%s '%s' is written in %s, which the cpu backend cannot "
                     "run (it runs on the %s backend)",
                     k->native & WG_NATIVE_REDUCE ? "ReductionKernel" : "ElementwiseKernel",
                     wgI_native_field(k, 0),
                     (k->native & WG_NATIVE_LANG) == WG_NATIVE_WGSL ? "WGSL" : "GLSL ES 3.00",
                     (k->native & WG_NATIVE_LANG) == WG_NATIVE_WGSL ? "webgpu" : "webgl2");
}

int wgX_cpu_run(wg_context *ctx, const wg_kernel_ir *k, const wg_kernel_args *args) {
    if (!k || !args) return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: no kernel or arguments");
    if (k->native) return refuse_native(ctx, k);
    int st = wgX_validate_args(ctx, k, args);
    if (st) return st;
    switch (k->kind) {
    case WG_K_ELEMENTWISE: return k->stmt ? wgX_run_stmt(ctx, k, args) : wgX_run_elementwise(ctx, k, args);
    case WG_K_REDUCE: return wgX_run_reduce(ctx, k, args);
    case WG_K_MATMUL: return wgX_run_matmul(ctx, k, args);
    default: return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: unknown kernel kind %d", k->kind);
    }
}
