/*
 * stream — layer 9: the command stream the JavaScript executors run (docs/stream.md is the spec).
 *
 * The engine never calls JavaScript.  The "stream" backend records every backend call as a command
 * into a growable byte buffer owned by the context (ctx->stream).  After a sync point the Python
 * shell takes the bytes (wg_stream_data), a host executes them (reads write straight into wasm
 * memory at the address the READ command names), and the shell calls wg_stream_consumed.
 *
 * Format in one paragraph (the full tables are in docs/stream.md): a chunk is a 16-byte header
 * {"WGST", u16 major, u16 minor, u64 total length} followed by commands; a command is an 8-byte
 * frame {u16 opcode, u16 flags, u32 payload length} followed by its payload, padded with zeros to a
 * multiple of 8, so every command (and every int64 field) is 8-aligned relative to the chunk.  All
 * integers little-endian.  A reader skips a command whose opcode it does not know unless the
 * frame's REQUIRED flag is set, and ignores trailing payload bytes of known commands (fields added by a
 * newer minor version).
 *
 * "loopback" records exactly like "stream" and replays the bytes itself (replay.c, on the cpu
 * executor) at every read and flush, so the whole engine can run through the stream path natively.
 */
#ifndef WG_STREAM_H
#define WG_STREAM_H

#include "../array/array.h"
#include "../exec/backend.h"

/* ---- format constants (docs/stream.md) -------------------------------------------------- */
#define WGS_MAGIC "WGST"
#define WGS_VERSION_MAJOR 1
#define WGS_VERSION_MINOR 0
#define WGS_HEADER_BYTES 16
#define WGS_FRAME_BYTES 8
/* frame flags */
#define WGS_FLAG_REQUIRED 1 /* a reader that does not know the opcode must reject the stream */

enum {
    WGS_OP_CREATE_BUFFER = 1,
    WGS_OP_DESTROY_BUFFER = 2,
    WGS_OP_WRITE_BUFFER = 3,
    WGS_OP_READ_BUFFER = 4,
    WGS_OP_CREATE_KERNEL = 5,
    WGS_OP_DESTROY_KERNEL = 6,
    WGS_OP_DISPATCH = 7
};

/* A WRITE_BUFFER larger than this is recorded as several commands (frame lengths are u32). */
#define WGS_MAX_WRITE_CHUNK ((int64_t)1 << 28)

/* ---- a growable byte buffer with a sticky out-of-memory flag ---------------------------- */
typedef struct wgS_bytes {
    uint8_t *p;
    size_t len, cap;
    int oom; /* an append failed; the contents past the last good mark are garbage */
} wgS_bytes;

WG_INTERNAL void wgS_bytes_free(wgS_bytes *b);

/* ---- the encoder ------------------------------------------------------------------------- */
struct wgS_replay;

typedef struct wgS_idpool { /* uint32 ids: a counter plus a stack of released ids to reuse */
    uint32_t next;
    uint32_t *free_ids;
    size_t nfree, cap;
} wgS_idpool;

struct wg_stream {
    wgS_bytes buf;            /* [0, 16) the chunk header (patched on take), then commands */
    int64_t ncommands;        /* commands recorded since the last take */
    wgS_idpool buffers;       /* buffer handles */
    wgS_idpool kernels;       /* kernel ids */
    struct wgS_replay *replay; /* loopback: the executing side; NULL for "stream" */
    int64_t autoflush_bytes;  /* loopback: replay when this many bytes are pending (0: never) */
    int64_t max_write_chunk;  /* split WRITE_BUFFERs at this size (0: WGS_MAX_WRITE_CHUNK) */
};

/* The context's stream, created on first use (NULL and an error set on out-of-memory). */
WG_INTERNAL struct wg_stream *wgS_get(wg_context *ctx);
/* Free ctx->stream (and a loopback's replay state).  Call from wg_context_free after every buffer
 * and kernel has been released.  Safe when ctx->stream is NULL. */
WG_INTERNAL void wgS_free(wg_context *ctx);

/* Record one command each.  They return WG_OK, or WG_ERR_MEMORY (set in ctx) leaving the stream as
 * it was before the call.  Handles are the host's uint32 ids (0 is never a valid id). */
WG_INTERNAL int wgS_create_buffer(wg_context *ctx, struct wg_stream *s, uint32_t handle, int dtype,
                                  int64_t nbytes);
WG_INTERNAL int wgS_destroy_buffer(wg_context *ctx, struct wg_stream *s, uint32_t handle);
WG_INTERNAL int wgS_write_buffer(wg_context *ctx, struct wg_stream *s, uint32_t handle,
                                 int64_t byte_offset, const void *src, int64_t nbytes);
WG_INTERNAL int wgS_read_buffer(wg_context *ctx, struct wg_stream *s, uint32_t handle,
                                int64_t byte_offset, int64_t nbytes, uint64_t dst_address);
/* nsources (target name, source text) pairs; 0 until code generation exists. */
WG_INTERNAL int wgS_create_kernel(wg_context *ctx, struct wg_stream *s, uint32_t id,
                                  const wg_kernel_ir *k, int nsources,
                                  const char *const *targets, const char *const *sources);
WG_INTERNAL int wgS_destroy_kernel(wg_context *ctx, struct wg_stream *s, uint32_t id);
/* Buffer handles are taken from args->in[i].buf->handle / args->out[j].buf->handle. */
WG_INTERNAL int wgS_dispatch(wg_context *ctx, struct wg_stream *s, uint32_t id,
                             const wg_kernel_ir *k, const wg_kernel_args *args);

/* The recorded chunk (header patched): *n = 0 when no command is pending.  wgS_reset drops it. */
WG_INTERNAL const uint8_t *wgS_take(struct wg_stream *s, int64_t *n);
WG_INTERNAL void wgS_reset(struct wg_stream *s);

/* ---- IR serialization (the IR section of CREATE_KERNEL) -------------------------------- */
/* Append the IR section of k to b (its length is a multiple of 8). */
WG_INTERNAL void wgS_ir_encode(wg_context *ctx, wgS_bytes *b, const wg_kernel_ir *k);
/* Decode and validate an IR section of n bytes into a new kernel (free with wgS_ir_free).
 * Returns NULL with WG_ERR_BACKEND (malformed) or WG_ERR_MEMORY set in ctx. */
WG_INTERNAL wg_kernel_ir *wgS_ir_decode(wg_context *ctx, const uint8_t *p, size_t n);
WG_INTERNAL void wgS_ir_free(wg_kernel_ir *k);
/* Structural validation of a kernel: every index in range, every operand defined before use,
 * counts within the IR's limits.  WG_OK, or `status` (WG_ERR_BACKEND for a stream, WG_ERR_INTERNAL
 * for the engine's own kernels) with a message set in ctx. */
WG_INTERNAL int wgS_ir_check(wg_context *ctx, const wg_kernel_ir *k, int status);

/* ---- the reference reader (replay.c) ---------------------------------------------------- */
typedef struct wgS_replay wgS_replay;

/* What a READ does with its bytes: by default memcpy to the destination address.  A hook (tests,
 * fuzzing) gets them instead; it returns WG_OK or a status. */
typedef int (*wgS_read_hook)(void *user, uint64_t dst_address, const void *src, int64_t nbytes);

WG_INTERNAL wgS_replay *wgS_replay_new(wg_context *ctx);
WG_INTERNAL void wgS_replay_free(wgS_replay *r);
WG_INTERNAL void wgS_replay_set_read_hook(wgS_replay *r, wgS_read_hook hook, void *user);
/* Limits for untrusted input (fuzzing): the largest buffer, and the most points one dispatch may
 * iterate (product of its shape, times k for MATMUL).  0 = no limit (the default). */
WG_INTERNAL void wgS_replay_set_limits(wgS_replay *r, int64_t max_buffer_bytes,
                                       int64_t max_points);
/* Execute n bytes: one or more chunks back to back.  Commands run in order; on the first error the
 * rest is not run and the status (WG_ERR_BACKEND for a malformed stream, or the executor's) is
 * returned with a message in ctx.  State (buffers, kernels) persists across calls. */
WG_INTERNAL int wgS_replay_run(wg_context *ctx, wgS_replay *r, const uint8_t *data, int64_t n);
/* Live objects in the replay's tables (tests). */
WG_INTERNAL int64_t wgS_replay_nbuffers(const wgS_replay *r);
WG_INTERNAL int64_t wgS_replay_nkernels(const wgS_replay *r);

/* ---- the backends ------------------------------------------------------------------------- */
WG_INTERNAL const wg_backend *wgS_stream_backend(void);
WG_INTERNAL const wg_backend *wgS_loopback_backend(void);
/* the stream backend with WGSL in CREATE_KERNEL and the webgpu storage rule (docs/webgpu.md) */
WG_INTERNAL const wg_backend *wgS_webgpu_backend(void);
/* the same with GLSL ES 3.00 shaders in CREATE_KERNEL (docs/webgl2.md) */
WG_INTERNAL const wg_backend *wgS_webgl2_backend(void);

#endif
