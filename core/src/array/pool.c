/*
 * The memory pool (like CuPy's MemoryPool): freed storage is kept by size class and reused, so a
 * loop that makes and drops same-sized arrays allocates from the backend once.  A byte budget
 * bounds used + cached bytes; cached blocks are released first when the budget is tight.
 */
#include "../base/context.h"

#include <stdlib.h>

typedef struct wg_pool_block {
    struct wg_pool_block *next;
    int64_t bytes;
    void *host;
    uint32_t handle;
} wg_pool_block;

/* 512-byte granularity as CuPy; large blocks round to 1/8 of their power of two so that slowly
 * growing sizes still hit the cache. */
static int64_t size_class(int64_t n) {
    if (n <= 0) n = 1;
    int64_t c = (n + 511) & ~(int64_t)511;
    if (c > (1 << 20)) {
        int64_t p = 1;
        while (p < c) p <<= 1;
        int64_t step = p >> 3;
        c = (c + step - 1) / step * step;
    }
    return c;
}

static void backend_free_block(wg_context *ctx, wg_pool_block *blk) {
    wg_buffer tmp = {0};
    tmp.nbytes = blk->bytes;
    tmp.host = blk->host;
    tmp.handle = blk->handle;
    tmp.allocated = 1;
    ctx->backend->buffer_free(ctx, &tmp);
    ctx->pool.cached -= blk->bytes;
    wgB_free(blk);
}

void wgA_pool_trim(wg_context *ctx) {
    wg_pool_block *blk = ctx->pool.free_list;
    while (blk) {
        wg_pool_block *next = blk->next;
        backend_free_block(ctx, blk);
        blk = next;
    }
    ctx->pool.free_list = NULL;
}

/* An executor reported an error.  A buffer created in the failed chunk, or in a chunk handed
 * over before the report came (run ahead), may not exist on the device: its handle is valid to
 * the engine but fails every later use, with an error about that handle instead of the original
 * one.  Which buffers those are is not known here, so none is reused: the cached blocks are
 * released, and the blocks in use now are released when they are freed. */
void wgA_pool_forget(wg_context *ctx) {
    ctx->pool.epoch++;
    wgA_pool_trim(ctx);
}

int wgA_pool_take(wg_context *ctx, wg_buffer *b) {
    wg_pool *pool = &ctx->pool;
    int64_t dev = ctx->backend->device_bytes ? ctx->backend->device_bytes(ctx, b->dtype, b->nbytes)
                                             : b->nbytes;
    if (dev < 0) return wgB_error(ctx, WG_ERR_MEMORY, "wgpy: buffer of %lld bytes too large",
                                  (long long)b->nbytes);
    int64_t cls = size_class(dev);
    if (pool->limit > 0 && pool->used + cls > pool->limit)
        return wgB_error(ctx, WG_ERR_MEMORY,
                         "wgpy: out of memory allocating %lld bytes (pool limit %lld bytes, "
                         "%lld in use)",
                         (long long)b->nbytes, (long long)pool->limit, (long long)pool->used);
    /* Of the cached blocks of this class, the one with the lowest handle: a loop that makes and
     * drops the same arrays then gets the same buffers each time, whatever order the garbage
     * collector freed them in, so an executor's per-buffer-set caches (the webgpu executor's
     * bind groups) hit; the most recently freed one made them differ step after step. */
    wg_pool_block **best = NULL;
    for (wg_pool_block **pp = &pool->free_list; *pp; pp = &(*pp)->next)
        if ((*pp)->bytes == cls && (!best || (*pp)->handle < (*best)->handle)) best = pp;
    if (best) {
        wg_pool_block **pp = best, *blk = *pp;
        *pp = blk->next;
        b->host = blk->host;
        b->handle = blk->handle;
        b->pool_bytes = cls;
        b->pool_epoch = pool->epoch;
        b->allocated = 1;
        pool->cached -= cls;
        pool->used += cls;
        pool->n_reused++;
        if (pool->used > pool->peak) pool->peak = pool->used;
        wgB_free(blk);
        return WG_OK;
    }
    if (pool->limit > 0 && pool->used + pool->cached + cls > pool->limit) wgA_pool_trim(ctx);
    if (pool->limit > 0 && pool->used + cls > pool->limit)
        return wgB_error(ctx, WG_ERR_MEMORY,
                         "wgpy: out of memory allocating %lld bytes (pool limit %lld bytes, "
                         "%lld in use)",
                         (long long)b->nbytes, (long long)pool->limit, (long long)pool->used);
    wg_buffer tmp = *b;
    tmp.nbytes = cls;
    int st = ctx->backend->buffer_alloc(ctx, &tmp);
    if (st != WG_OK) {
        /* one retry after releasing the cache: the backend may just be full of cached blocks */
        if (!pool->free_list) return st;
        wg_clear_error(ctx);
        wgA_pool_trim(ctx);
        st = ctx->backend->buffer_alloc(ctx, &tmp);
        if (st != WG_OK) return st;
    }
    b->host = tmp.host;
    b->handle = tmp.handle;
    b->pool_bytes = cls;
    b->pool_epoch = pool->epoch;
    b->allocated = 1;
    pool->used += cls;
    pool->n_allocs++;
    if (pool->used > pool->peak) pool->peak = pool->used;
    return WG_OK;
}

void wgA_pool_give(wg_context *ctx, wg_buffer *b) {
    wg_pool *pool = &ctx->pool;
    pool->used -= b->pool_bytes;
    b->allocated = 0;
    /* a block from before wgA_pool_forget may be a handle the device never made */
    wg_pool_block *blk = b->pool_epoch == pool->epoch ? malloc(sizeof *blk) : NULL;
    if (!blk || (pool->limit > 0 && pool->used + pool->cached + b->pool_bytes > pool->limit)) {
        /* not cached: give it straight back */
        free(blk);
        wg_buffer tmp = *b;
        tmp.nbytes = b->pool_bytes;
        tmp.allocated = 1;
        ctx->backend->buffer_free(ctx, &tmp);
        return;
    }
    blk->bytes = b->pool_bytes;
    blk->host = b->host;
    blk->handle = b->handle;
    blk->next = pool->free_list;
    pool->free_list = blk;
    pool->cached += blk->bytes;
}
