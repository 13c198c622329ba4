/*
 * The backend table: everything an executor must provide.  The engine decides what to compute;
 * a backend only stores bytes and runs wg_kernel_ir.  cpu (exec/cpu*.c) runs IR in C; stream
 * (stream/) records commands for the JavaScript executors.
 */
#ifndef WG_BACKEND_H
#define WG_BACKEND_H

#include "../ir/ir.h"

struct wg_buffer;

typedef struct wg_backend {
    const char *name;
    /* storage for buf->nbytes bytes; sets buf->host (cpu) or buf->handle (stream) */
    int (*buffer_alloc)(wg_context *ctx, struct wg_buffer *buf);
    void (*buffer_free)(wg_context *ctx, struct wg_buffer *buf);
    int (*buffer_write)(wg_context *ctx, struct wg_buffer *buf, int64_t byte_offset,
                        const void *src, int64_t nbytes);
    /* a sync point: everything submitted before it has run */
    int (*buffer_read)(wg_context *ctx, struct wg_buffer *buf, int64_t byte_offset, void *dst,
                       int64_t nbytes);
    /* compile (the engine caches the result by wgI_hash); *handle is backend-owned */
    int (*kernel_prepare)(wg_context *ctx, const wg_kernel_ir *k, void **handle);
    void (*kernel_release)(wg_context *ctx, void *handle);
    /* k is the cached IR the handle was prepared from (a backend may use either) */
    int (*kernel_run)(wg_context *ctx, void *handle, const wg_kernel_ir *k,
                      const wg_kernel_args *args);
    int (*flush)(wg_context *ctx);
    /* Can this backend hold arrays of dtype?  NULL: every dtype.  Asked when a buffer is made, so
     * an unsupported dtype fails at the operation that asks for it, with NotImplementedError. */
    int (*dtype_ok)(wg_context *ctx, int dtype);
    /* Bytes the device stores for nbytes of an array of dtype (NULL: nbytes).  The memory pool
     * sizes and reuses blocks by device bytes, so a backend that widens narrow dtypes (webgpu:
     * one 32-bit word per element) neither wastes nor overruns a reused block. */
    int64_t (*device_bytes)(wg_context *ctx, int dtype, int64_t nbytes);
} wg_backend;

WG_INTERNAL const wg_backend *wgX_cpu_backend(void);
/* Runs one kernel on host memory: the cpu executor's entry (also used by tests directly).
 * Operands' buffers must have `host` set. */
WG_INTERNAL int wgX_cpu_run(wg_context *ctx, const wg_kernel_ir *k, const wg_kernel_args *args);

#endif
