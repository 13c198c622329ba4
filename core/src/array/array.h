/*
 * array and memory — refcounted arrays (views) over refcounted buffers; the memory pool.
 *
 * A buffer is typed storage of nelem elements.  An array is a layout over a buffer (or, for a
 * Python scalar, an inline value with no buffer).  A buffer may have a pending write (graph layer):
 * then its contents are defined by a recorded computation that has not run yet.
 */
#ifndef WG_ARRAY_H
#define WG_ARRAY_H

#include "../layout/layout.h"

struct wg_write;

typedef struct wg_buffer {
    int refcount;
    int dtype;
    int64_t nelem;
    int64_t nbytes;         /* storage bytes (backend's storage rule; cpu: nelem*itemsize) */
    int64_t id;             /* unique per context, for debugging and the stream */
    void *host;             /* cpu backend: the bytes */
    uint32_t handle;        /* stream backend: the buffer id the host knows */
    int allocated;          /* storage exists */
    struct wg_write *pending; /* graph: the recorded write that defines its contents, or NULL */
    uint32_t version;       /* writes recorded so far: a load reads the version it was made at */
    int nreaders;           /* pending writes of other buffers that read this one */
    int failed;             /* the status of a write that failed to run: its contents are unknown,
                             * and reading them (or computing from them) raises instead */
    int64_t pool_bytes;     /* size class it was taken from */
    uint32_t pool_epoch;    /* the pool's epoch when it was taken (wgA_pool_forget) */
    uint32_t trace;         /* graph/capture.c: the stamp of the trace it was made in, or 0 */
    uint64_t vaddr;         /* device pointers (api/devptr.c): its address once `.data.ptr` was
                             * asked for (registered in the context until it is freed), or 0 */
} wg_buffer;

struct wg_array {
    int refcount;
    wg_context *ctx;
    int dtype;
    int weak;               /* wg_weak: a Python scalar (0-d, no buffer) */
    wg_layout lay;
    wg_buffer *buf;         /* NULL only for scalars */
    wg_value value;         /* scalars: the value (in the wg_value field of dtype's kind) */
    int value_unsigned;     /* scalars: value.u holds an integer above INT64_MAX */
    double value_imag;      /* complex scalars: the imaginary part (value.f is the real part) */
    /* complex results (api/complex.c): the lazy real and imaginary parts (shape + (1,)) that
     * the buffer's pending write pairs, valid while buf->version == cpart_version and that
     * write is pending: a later complex op reads them instead, so chains fuse */
    struct wg_array *cpart[2];
    uint32_t cpart_version;
    struct wg_array *base;  /* NumPy's .base: the array this is a view of, or NULL */
    int writeable;
    /* an index array whose bounds check passed (api/index.c): every element lies in
     * [checked_lo, checked_hi], valid while buf->version == checked_version, so using it again
     * as an index needs no read of its min and max (the read is a round trip to the GPU) */
    int checked;
    uint32_t checked_version;
    int64_t checked_lo, checked_hi;
};

/* Buffers */
WG_INTERNAL wg_buffer *wgA_buffer_new(wg_context *ctx, int dtype, int64_t nelem);
WG_INTERNAL void wgA_buffer_retain(wg_buffer *b);
WG_INTERNAL void wgA_buffer_release(wg_context *ctx, wg_buffer *b);
/* Make storage exist (through the pool). */
WG_INTERNAL int wgA_buffer_ensure(wg_context *ctx, wg_buffer *b);

/* Arrays */
WG_INTERNAL wg_array *wgA_new(wg_context *ctx, int dtype, const wg_layout *lay, wg_buffer *buf,
                              wg_array *base);
WG_INTERNAL wg_array *wgA_new_contiguous(wg_context *ctx, int dtype, int ndim,
                                         const int64_t *shape);
WG_INTERNAL wg_array *wgA_scalar(wg_context *ctx, int dtype, int weak, wg_value v,
                                 int is_unsigned);
WG_INTERNAL void wgA_write_info(wg_context *ctx, const wg_array *a);

/* The pool: caches freed storage by size class; a byte budget; statistics. */
typedef struct wg_pool {
    int64_t used, cached, peak, limit;
    int64_t n_allocs, n_reused;
    struct wg_pool_block *free_list; /* cached blocks */
    uint32_t epoch;                  /* wgA_pool_forget: blocks taken before it are not cached */
} wg_pool;

WG_INTERNAL int wgA_pool_take(wg_context *ctx, wg_buffer *b);
WG_INTERNAL void wgA_pool_give(wg_context *ctx, wg_buffer *b);
WG_INTERNAL void wgA_pool_trim(wg_context *ctx);
WG_INTERNAL void wgA_pool_forget(wg_context *ctx);

/* Device pointers (docs/cupy.md, "Device pointers"): each buffer whose address was asked for
 * holds a range [vaddr, vaddr + bytes) of a virtual address space, first fit above 64 KiB (so
 * values stay small: below 2^32 while the live ranges fit, as a uintp array needs with 64-bit
 * types off), stable while the buffer lives and given back when it is freed. */
WG_INTERNAL int wgA_ptr_addr(wg_context *ctx, wg_buffer *b, uint64_t *vaddr);
/* The live buffer whose range holds p (its end included: a one-past-the-end pointer), or NULL;
 * *byte_off: p - vaddr.  No reference is taken. */
WG_INTERNAL wg_buffer *wgA_ptr_lookup(wg_context *ctx, uint64_t p, int64_t *byte_off);
WG_INTERNAL void wgA_ptr_forget(wg_context *ctx, wg_buffer *b);
WG_INTERNAL void wgA_ptr_free_all(wg_context *ctx);

#endif
