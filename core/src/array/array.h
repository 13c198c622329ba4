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
    struct wg_array *base;  /* NumPy's .base: the array this is a view of, or NULL */
    int writeable;
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
} wg_pool;

WG_INTERNAL int wgA_pool_take(wg_context *ctx, wg_buffer *b);
WG_INTERNAL void wgA_pool_give(wg_context *ctx, wg_buffer *b);
WG_INTERNAL void wgA_pool_trim(wg_context *ctx);

#endif
