/* stream — the encoder, IR serialization, the "stream" and "loopback" backends, and the public
 * wg_stream_data / wg_stream_consumed.  The byte layout is specified in docs/stream.md. */
#include "stream.h"
#include "../base/context.h"
#include "../codegen/codegen.h"
#include "../dtype/dtype.h"

#include <string.h>

/* ---- little tables derived from the public X-macros (const: no state) -------------------- */

/* ---- growable bytes ----------------------------------------------------------------------- */
void wgS_bytes_free(wgS_bytes *b) {
    wgB_free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

static int bytes_reserve(wg_context *ctx, wgS_bytes *b, size_t extra) {
    if (b->oom) return 0;
    if (extra > SIZE_MAX - b->len) {
        b->oom = 1;
        wgB_error(ctx, WG_ERR_MEMORY, "command stream too large");
        return 0;
    }
    size_t need = b->len + extra;
    if (need <= b->cap) return 1;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    uint8_t *p = wgB_realloc(ctx, b->p, cap);
    if (!p) {
        b->oom = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

static void put_bytes(wg_context *ctx, wgS_bytes *b, const void *src, size_t n) {
    if (n == 0 || !bytes_reserve(ctx, b, n)) return;
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void put_zeros(wg_context *ctx, wgS_bytes *b, size_t n) {
    if (n == 0 || !bytes_reserve(ctx, b, n)) return;
    memset(b->p + b->len, 0, n);
    b->len += n;
}

static void put_u8(wg_context *ctx, wgS_bytes *b, unsigned v) {
    uint8_t t = (uint8_t)v;
    put_bytes(ctx, b, &t, 1);
}

static void put_u16(wg_context *ctx, wgS_bytes *b, unsigned v) {
    uint8_t t[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put_bytes(ctx, b, t, 2);
}

static void put_u32(wg_context *ctx, wgS_bytes *b, uint32_t v) {
    uint8_t t[4];
    for (int i = 0; i < 4; i++) t[i] = (uint8_t)(v >> (8 * i));
    put_bytes(ctx, b, t, 4);
}

static void put_u64(wg_context *ctx, wgS_bytes *b, uint64_t v) {
    uint8_t t[8];
    for (int i = 0; i < 8; i++) t[i] = (uint8_t)(v >> (8 * i));
    put_bytes(ctx, b, t, 8);
}

static void put_i64(wg_context *ctx, wgS_bytes *b, int64_t v) { put_u64(ctx, b, (uint64_t)v); }

static void pad8(wg_context *ctx, wgS_bytes *b) { put_zeros(ctx, b, (8 - b->len % 8) % 8); }

static void patch_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void patch_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static uint32_t get_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- id pools ------------------------------------------------------------------------------ */
static uint32_t idpool_take(wg_context *ctx, wgS_idpool *ip, const char *what) {
    if (ip->nfree) return ip->free_ids[--ip->nfree];
    if (ip->next == UINT32_MAX) {
        wgB_error(ctx, WG_ERR_MEMORY, "command stream: out of %s handles", what);
        return 0;
    }
    return ++ip->next; /* ids start at 1: 0 is never valid */
}

/* A released id is reused only when its DESTROY command was recorded; on failure it is leaked. */
static void idpool_give(wgS_idpool *ip, uint32_t id) {
    if (ip->nfree == ip->cap) {
        size_t cap = ip->cap ? ip->cap * 2 : 64;
        uint32_t *p = wgB_realloc(NULL, ip->free_ids, cap * sizeof *p);
        if (!p) return; /* leak the id: harmless */
        ip->free_ids = p;
        ip->cap = cap;
    }
    ip->free_ids[ip->nfree++] = id;
}

static void idpool_free(wgS_idpool *ip) {
    wgB_free(ip->free_ids);
    memset(ip, 0, sizeof *ip);
}

/* ---- the stream object ------------------------------------------------------------------- */
#define WGS_AUTOFLUSH_BYTES ((int64_t)64 << 20)

static struct wg_stream *get_stream(wg_context *ctx, int loopback) {
    struct wg_stream *s = ctx->stream;
    if (!s) {
        s = wgB_calloc(ctx, 1, sizeof *s);
        if (!s) return NULL;
        ctx->stream = s;
    }
    if (loopback && !s->replay) {
        s->replay = wgS_replay_new(ctx);
        if (!s->replay) return NULL;
        s->autoflush_bytes = WGS_AUTOFLUSH_BYTES;
    }
    return s;
}

struct wg_stream *wgS_get(wg_context *ctx) {
    return get_stream(ctx, ctx->backend == wgS_loopback_backend());
}

void wgS_free(wg_context *ctx) {
    struct wg_stream *s = ctx ? ctx->stream : NULL;
    if (!s) return;
    wgS_bytes_free(&s->buf);
    idpool_free(&s->buffers);
    idpool_free(&s->kernels);
    wgS_replay_free(s->replay);
    wgB_free(s);
    ctx->stream = NULL;
}

const uint8_t *wgS_take(struct wg_stream *s, int64_t *n) {
    if (!s || s->ncommands == 0 || s->buf.len < WGS_HEADER_BYTES) {
        *n = 0;
        return NULL;
    }
    patch_u64(s->buf.p + 8, (uint64_t)s->buf.len);
    *n = (int64_t)s->buf.len;
    return s->buf.p;
}

void wgS_reset(struct wg_stream *s) {
    if (!s) return;
    /* keep a modest buffer for the next chunk; give back what a big upload grew */
    if (s->buf.cap > ((size_t)16 << 20)) wgS_bytes_free(&s->buf);
    s->buf.len = 0;
    s->buf.oom = 0;
    s->ncommands = 0;
}

/* The webgpu and webgl2 backends: the stream backend plus shader sources in CREATE_KERNEL (WGSL;
 * GLSL ES 3.00), the webgpu storage rule (docs/webgpu.md: bool/int8/int16/uint8/uint16 widened to
 * 32 bits per element, converted here on WRITE; READ carries the dtype so that the host narrows)
 * and stream minor version 1. */
static int is_webgl2(wg_context *ctx) { return ctx->backend == wgS_webgl2_backend(); }
static int is_wide_gpu(wg_context *ctx) {
    return ctx->backend == wgS_webgpu_backend() || is_webgl2(ctx);
}

/* ---- command framing ---------------------------------------------------------------------- */
/* Starts a command; returns its offset in s->buf, or SIZE_MAX on out-of-memory. */
static size_t cmd_begin(wg_context *ctx, struct wg_stream *s, unsigned opcode, unsigned flags) {
    wgS_bytes *b = &s->buf;
    if (b->len == 0) { /* a fresh chunk: the header, its length patched by wgS_take */
        put_bytes(ctx, b, WGS_MAGIC, 4);
        put_u16(ctx, b, WGS_VERSION_MAJOR);
        /* the lowest minor version whose fields the chunk uses: READ's dtype (1.1) on webgpu and
         * webgl2 */
        put_u16(ctx, b, is_wide_gpu(ctx) ? 1 : WGS_VERSION_MINOR);
        put_u64(ctx, b, 0);
        if (b->oom) {
            b->len = 0;
            b->oom = 0;
            return SIZE_MAX;
        }
    }
    size_t mark = b->len;
    put_u16(ctx, b, opcode);
    put_u16(ctx, b, flags);
    put_u32(ctx, b, 0);
    return mark;
}

static int cmd_end(wg_context *ctx, struct wg_stream *s, size_t mark) {
    wgS_bytes *b = &s->buf;
    if (mark == SIZE_MAX) return WG_ERR_MEMORY;
    pad8(ctx, b);
    if (b->oom) {
        b->len = mark;
        b->oom = 0;
        return wgB_error(ctx, WG_ERR_MEMORY, "out of memory recording a command");
    }
    size_t payload = b->len - mark - WGS_FRAME_BYTES;
    if (payload > UINT32_MAX) {
        b->len = mark;
        return wgB_error(ctx, WG_ERR_VALUE, "command too large for the stream (%zu bytes)",
                         payload);
    }
    patch_u32(b->p + mark + 4, (uint32_t)payload);
    s->ncommands++;
    return WG_OK;
}

/* ---- commands ------------------------------------------------------------------------------ */
int wgS_create_buffer(wg_context *ctx, struct wg_stream *s, uint32_t handle, int dtype,
                      int64_t nbytes) {
    size_t m = cmd_begin(ctx, s, WGS_OP_CREATE_BUFFER, WGS_FLAG_REQUIRED);
    if (m != SIZE_MAX) {
        put_u32(ctx, &s->buf, handle);
        put_u8(ctx, &s->buf, (unsigned)dtype);
        put_zeros(ctx, &s->buf, 3);
        put_i64(ctx, &s->buf, nbytes);
    }
    return cmd_end(ctx, s, m);
}

/* A command whose payload is one id (a buffer handle, a kernel id) and 4 bytes of padding. */
static int put_id_cmd(wg_context *ctx, struct wg_stream *s, unsigned op, uint32_t id) {
    size_t m = cmd_begin(ctx, s, op, WGS_FLAG_REQUIRED);
    if (m != SIZE_MAX) {
        put_u32(ctx, &s->buf, id);
        put_u32(ctx, &s->buf, 0);
    }
    return cmd_end(ctx, s, m);
}

int wgS_destroy_buffer(wg_context *ctx, struct wg_stream *s, uint32_t handle) {
    return put_id_cmd(ctx, s, WGS_OP_DESTROY_BUFFER, handle);
}

int wgS_write_buffer(wg_context *ctx, struct wg_stream *s, uint32_t handle, int64_t byte_offset,
                     const void *src, int64_t nbytes) {
    if (nbytes < 0 || byte_offset < 0 || (nbytes > 0 && !src))
        return wgB_error(ctx, WG_ERR_INTERNAL, "stream write: bad offset, size or source");
    const uint8_t *p = src;
    int64_t done = 0;
    do { /* frame lengths are u32: big writes become several commands */
        int64_t n = nbytes - done;
        int64_t lim = s->max_write_chunk > 0 ? s->max_write_chunk : WGS_MAX_WRITE_CHUNK;
        if (n > lim) n = lim;
        size_t m = cmd_begin(ctx, s, WGS_OP_WRITE_BUFFER, WGS_FLAG_REQUIRED);
        if (m != SIZE_MAX) {
            put_u32(ctx, &s->buf, handle);
            put_u32(ctx, &s->buf, 0);
            put_i64(ctx, &s->buf, byte_offset + done);
            put_i64(ctx, &s->buf, n);
            if (n) put_bytes(ctx, &s->buf, p + done, (size_t)n);
        }
        int rc = cmd_end(ctx, s, m);
        if (rc) return rc;
        done += n;
    } while (done < nbytes);
    return WG_OK;
}

/* dtype >= 0 appends the 1.1 fields: u8 dtype, u8 storage (1: widened to 32 bits per element;
 * offset and nbytes then count device bytes, 4 per element), 6 reserved. */
static int record_read(wg_context *ctx, struct wg_stream *s, uint32_t handle, int64_t byte_offset,
                       int64_t nbytes, uint64_t dst_address, int dtype, int widened) {
    size_t m = cmd_begin(ctx, s, WGS_OP_READ_BUFFER, WGS_FLAG_REQUIRED);
    if (m != SIZE_MAX) {
        put_u32(ctx, &s->buf, handle);
        put_u32(ctx, &s->buf, 0);
        put_i64(ctx, &s->buf, byte_offset);
        put_i64(ctx, &s->buf, nbytes);
        put_u64(ctx, &s->buf, dst_address);
        if (dtype >= 0) {
            put_u8(ctx, &s->buf, (unsigned)dtype);
            put_u8(ctx, &s->buf, widened ? 1u : 0u);
            put_zeros(ctx, &s->buf, 6);
        }
    }
    return cmd_end(ctx, s, m);
}

int wgS_read_buffer(wg_context *ctx, struct wg_stream *s, uint32_t handle, int64_t byte_offset,
                    int64_t nbytes, uint64_t dst_address) {
    return record_read(ctx, s, handle, byte_offset, nbytes, dst_address, -1, 0);
}

int wgS_create_kernel(wg_context *ctx, struct wg_stream *s, uint32_t id, const wg_kernel_ir *k,
                      int nsources, const char *const *targets, const char *const *sources) {
    size_t m = cmd_begin(ctx, s, WGS_OP_CREATE_KERNEL, WGS_FLAG_REQUIRED);
    if (m != SIZE_MAX) {
        put_u32(ctx, &s->buf, id);
        put_u32(ctx, &s->buf, 0);
        wgS_ir_encode(ctx, &s->buf, k);
        put_u32(ctx, &s->buf, (uint32_t)(nsources > 0 ? nsources : 0));
        put_u32(ctx, &s->buf, 0);
        for (int i = 0; i < nsources; i++) {
            size_t tl = strlen(targets[i]), sl = strlen(sources[i]);
            if (tl > UINT32_MAX || sl > UINT32_MAX) {
                s->buf.len = m;
                return wgB_error(ctx, WG_ERR_VALUE, "kernel source too large for the stream");
            }
            put_u32(ctx, &s->buf, (uint32_t)tl);
            put_u32(ctx, &s->buf, (uint32_t)sl);
            put_bytes(ctx, &s->buf, targets[i], tl);
            put_bytes(ctx, &s->buf, sources[i], sl);
            pad8(ctx, &s->buf);
        }
    }
    return cmd_end(ctx, s, m);
}

int wgS_destroy_kernel(wg_context *ctx, struct wg_stream *s, uint32_t id) {
    return put_id_cmd(ctx, s, WGS_OP_DESTROY_KERNEL, id);
}

static void put_operand(wg_context *ctx, wgS_bytes *b, const wg_operand *o, int nstrides) {
    put_u32(ctx, b, o->buf->handle);
    put_u32(ctx, b, 0);
    put_i64(ctx, b, o->offset);
    for (int d = 0; d < nstrides; d++) put_i64(ctx, b, o->strides[d]);
}

int wgS_dispatch(wg_context *ctx, struct wg_stream *s, uint32_t id, const wg_kernel_ir *k,
                 const wg_kernel_args *args) {
    if (k->ndim < 0 || k->ndim > WG_MAX_NDIM || k->ninputs < 0 || k->ninputs > WG_KMAX_IO ||
        k->noutputs < 0 || k->noutputs > WG_KMAX_IO || k->nparams < 0 ||
        k->nparams > WG_KMAX_PARAMS ||
        (k->kind == WG_K_REDUCE && (k->nred < 0 || k->nred > k->ndim)))
        return wgB_error(ctx, WG_ERR_INTERNAL, "stream dispatch: malformed kernel");
    for (int i = 0; i < k->ninputs; i++)
        if (!args->in[i].buf || !args->in[i].buf->handle)
            return wgB_error(ctx, WG_ERR_INTERNAL, "stream dispatch: input %d has no buffer", i);
    for (int j = 0; j < k->noutputs; j++)
        if (!args->out[j].buf || !args->out[j].buf->handle)
            return wgB_error(ctx, WG_ERR_INTERNAL, "stream dispatch: output %d has no buffer", j);
    int out_ndim = k->kind == WG_K_REDUCE ? k->ndim - k->nred : k->ndim;
    size_t m = cmd_begin(ctx, s, WGS_OP_DISPATCH, WGS_FLAG_REQUIRED);
    if (m != SIZE_MAX) {
        wgS_bytes *b = &s->buf;
        put_u32(ctx, b, id);
        put_u8(ctx, b, (unsigned)k->ndim);
        put_u8(ctx, b, (unsigned)k->ninputs);
        put_u8(ctx, b, (unsigned)k->noutputs);
        put_u8(ctx, b, (unsigned)k->nparams);
        for (int d = 0; d < k->ndim; d++) put_i64(ctx, b, args->shape[d]);
        put_i64(ctx, b, args->k);
        for (int i = 0; i < k->ninputs; i++) put_operand(ctx, b, &args->in[i], k->ndim);
        for (int j = 0; j < k->noutputs; j++) put_operand(ctx, b, &args->out[j], out_ndim);
        for (int i = 0; i < k->nparams; i++) {
            uint64_t bits;
            memcpy(&bits, &args->params[i], 8);
            put_u64(ctx, b, bits);
        }
    }
    return cmd_end(ctx, s, m);
}

/* ---- IR serialization -------------------------------------------------------------------- */
static void put_inst(wg_context *ctx, wgS_bytes *b, const wg_inst *in) {
    put_u8(ctx, b, in->op);
    put_u8(ctx, b, in->dtype);
    put_u16(ctx, b, in->arg);
    for (int j = 0; j < 3; j++) put_u16(ctx, b, in->src[j]);
    put_u16(ctx, b, 0); /* reserved */
}

void wgS_ir_encode(wg_context *ctx, wgS_bytes *b, const wg_kernel_ir *k) {
    size_t start = b->len;
    int nin = k->ninputs, nout = k->noutputs, np = k->nparams;
    put_u32(ctx, b, 0); /* section length, patched below */
    put_u8(ctx, b, (unsigned)k->kind);
    put_u8(ctx, b, (unsigned)k->ndim);
    put_u8(ctx, b, (unsigned)nin);
    put_u8(ctx, b, (unsigned)nout);
    put_u8(ctx, b, (unsigned)np);
    put_u8(ctx, b, (unsigned)k->fold);
    put_u8(ctx, b, (unsigned)k->nred);
    put_u8(ctx, b, k->acc_dtype);
    put_u32(ctx, b, (uint32_t)k->ninst);
    put_u32(ctx, b, (uint32_t)k->npost);
    put_u32(ctx, b, 0);
    for (int j = 0; j < nout; j++) put_u16(ctx, b, k->out_inst[j]);
    put_bytes(ctx, b, k->input_dtype, (size_t)nin);
    put_bytes(ctx, b, k->output_dtype, (size_t)nout);
    put_bytes(ctx, b, k->param_dtype, (size_t)np);
    put_zeros(ctx, b, (8 - (b->len - start) % 8) % 8);
    for (int i = 0; i < k->ninst; i++) put_inst(ctx, b, &k->inst[i]);
    for (int i = 0; i < k->npost; i++) put_inst(ctx, b, &k->post[i]);
    put_zeros(ctx, b, (8 - (b->len - start) % 8) % 8);
    if (k->stmt) {
        /* stream 1.2: the statement kernel's fields, appended (docs/stream.md) */
        put_u32(ctx, b, 1);
        put_u32(ctx, b, (uint32_t)k->nvars);
        put_bytes(ctx, b, k->var_dtype, (size_t)k->nvars);
        for (int j = 0; j < nout; j++) put_u16(ctx, b, (uint16_t)k->out_var[j]);
        put_bytes(ctx, b, k->input_raw, (size_t)nin);
        put_bytes(ctx, b, k->output_raw, (size_t)nout);
        put_zeros(ctx, b, (8 - (b->len - start) % 8) % 8);
    } else if (k->kind == WG_K_REDUCE) {
        int any_raw = 0;
        for (int i = 0; i < nin; i++) any_raw |= k->input_raw[i] != 0;
        if (any_raw) {
            /* a reduction that reads raw inputs by element: which inputs are raw (docs/stream.md,
             * block tag 4) */
            put_u32(ctx, b, 4);
            put_u32(ctx, b, 0);
            put_bytes(ctx, b, k->input_raw, (size_t)nin);
            put_zeros(ctx, b, (8 - (b->len - start) % 8) % 8);
        }
    }
    if (k->native) {
        /* stream 1.3: a native kernel's fields, appended after the statement fields' place */
        put_u32(ctx, b, 2);
        put_u8(ctx, b, (unsigned)k->native);
        put_u8(ctx, b, (unsigned)k->native_nred);
        put_u8(ctx, b, (unsigned)k->native_nuni);
        put_u8(ctx, b, 0);
        put_u32(ctx, b, k->native_len);
        put_u32(ctx, b, 0);
        put_bytes(ctx, b, k->native_kind, (size_t)nin);
        put_bytes(ctx, b, k->native_ndim, (size_t)nin);
        put_bytes(ctx, b, k->native_text, k->native_len);
        put_zeros(ctx, b, (8 - (b->len - start) % 8) % 8);
    }
    if (k->wg_block) {
        /* stream 1.4: a workgroup kernel's points per workgroup, after the blocks above */
        put_u32(ctx, b, 3);
        put_u32(ctx, b, (uint32_t)k->wg_block);
    }
    if (k->nshared) {
        /* stream 1.5: the workgroup arrays (tag 5, after tag 3): count, then dtype and length */
        put_u32(ctx, b, 5);
        put_u32(ctx, b, (uint32_t)k->nshared);
        for (int a = 0; a < k->nshared; a++) {
            put_u32(ctx, b, k->shared_dtype[a]);
            put_u32(ctx, b, k->shared_len[a]);
        }
    }
    if (!b->oom) patch_u32(b->p + start, (uint32_t)(b->len - start));
}

void wgS_ir_free(wg_kernel_ir *k) {
    if (!k) return;
    wgB_free(k->native_text);
    wgB_free(k->inst);
    wgB_free(k->post);
    wgB_free(k);
}

#define IR_HEAD_BYTES 24
#define IR_MAX_INST 65536 /* instruction operands are u16 indices */
#define IR_INST_BYTES 12

static void get_inst(const uint8_t *p, wg_inst *in) {
    in->op = p[0];
    in->dtype = p[1];
    in->arg = get_u16(p + 2);
    for (int j = 0; j < 3; j++) in->src[j] = get_u16(p + 4 + 2 * j);
}

wg_kernel_ir *wgS_ir_decode(wg_context *ctx, const uint8_t *p, size_t n) {
    if (n < IR_HEAD_BYTES) {
        wgB_error(ctx, WG_ERR_BACKEND, "command stream: truncated kernel IR");
        return NULL;
    }
    uint32_t len = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                   (uint32_t)p[3] << 24;
    uint32_t ninst = (uint32_t)p[12] | (uint32_t)p[13] << 8 | (uint32_t)p[14] << 16 |
                     (uint32_t)p[15] << 24;
    uint32_t npost = (uint32_t)p[16] | (uint32_t)p[17] << 8 | (uint32_t)p[18] << 16 |
                     (uint32_t)p[19] << 24;
    int nin = p[6], nout = p[7], np = p[8];
    if (len > n || len < IR_HEAD_BYTES) {
        wgB_error(ctx, WG_ERR_BACKEND, "command stream: kernel IR length %u out of bounds",
                  (unsigned)len);
        return NULL;
    }
    if (nin > WG_KMAX_IO || nout > WG_KMAX_IO || np > WG_KMAX_PARAMS || ninst > IR_MAX_INST ||
        npost > IR_MAX_INST) {
        wgB_error(ctx, WG_ERR_BACKEND,
                  "command stream: kernel IR counts out of range (inputs %d, outputs %d, "
                  "params %d, instructions %u, post %u)",
                  nin, nout, np, (unsigned)ninst, (unsigned)npost);
        return NULL;
    }
    size_t vars = (size_t)IR_HEAD_BYTES + 3 * (size_t)nout + (size_t)nin + (size_t)np;
    vars += (8 - vars % 8) % 8;
    size_t need = vars + IR_INST_BYTES * ((size_t)ninst + npost);
    if (need > len) {
        wgB_error(ctx, WG_ERR_BACKEND, "command stream: truncated kernel IR (%zu of %u bytes)",
                  need, (unsigned)len);
        return NULL;
    }
    wg_kernel_ir *k = wgB_calloc(ctx, 1, sizeof *k);
    if (!k) return NULL;
    k->kind = p[4];
    k->ndim = p[5];
    k->ninputs = nin;
    k->noutputs = nout;
    k->nparams = np;
    k->fold = p[9];
    k->nred = p[10];
    k->acc_dtype = p[11];
    k->ninst = (int)ninst;
    k->npost = (int)npost;
    const uint8_t *q = p + IR_HEAD_BYTES;
    for (int j = 0; j < nout; j++, q += 2) k->out_inst[j] = get_u16(q);
    memcpy(k->input_dtype, q, (size_t)nin);
    q += nin;
    memcpy(k->output_dtype, q, (size_t)nout);
    q += nout;
    memcpy(k->param_dtype, q, (size_t)np);
    q = p + vars;
    if (ninst) {
        k->inst = wgB_malloc(ctx, ninst * sizeof *k->inst);
        if (!k->inst) goto fail;
        for (uint32_t i = 0; i < ninst; i++, q += IR_INST_BYTES) get_inst(q, &k->inst[i]);
    }
    if (npost) {
        k->post = wgB_malloc(ctx, npost * sizeof *k->post);
        if (!k->post) goto fail;
        for (uint32_t i = 0; i < npost; i++, q += IR_INST_BYTES) get_inst(q, &k->post[i]);
    }
    size_t ext = need + (8 - need % 8) % 8;
    if (len >= ext + 8 && get_u32(p + ext) == 1) {
        uint32_t nv = get_u32(p + ext + 4);
        size_t stmt_need = ext + 8 + (size_t)nv + 2 * (size_t)nout + (size_t)nin + (size_t)nout;
        if (nv > WG_KMAX_VARS || stmt_need > len) {
            wgB_error(ctx, WG_ERR_BACKEND, "command stream: malformed statement-kernel fields");
            goto fail;
        }
        const uint8_t *r = p + ext + 8;
        k->stmt = 1;
        k->nvars = (int)nv;
        memcpy(k->var_dtype, r, nv);
        r += nv;
        for (int j = 0; j < nout; j++, r += 2) k->out_var[j] = (int16_t)get_u16(r);
        memcpy(k->input_raw, r, (size_t)nin);
        r += nin;
        memcpy(k->output_raw, r, (size_t)nout);
        ext = stmt_need + (8 - stmt_need % 8) % 8;
    }
    if (len >= ext + 8 && get_u32(p + ext) == 4) {
        /* a reduction that reads raw inputs by element: which inputs are raw */
        if (ext + 8 + (size_t)nin > len) {
            wgB_error(ctx, WG_ERR_BACKEND, "command stream: malformed raw-input fields");
            goto fail;
        }
        memcpy(k->input_raw, p + ext + 8, (size_t)nin);
        size_t raw_need = ext + 8 + (size_t)nin;
        ext = raw_need + (8 - raw_need % 8) % 8;
    }
    if (len >= ext + 16 && get_u32(p + ext) == 2) {
        uint32_t tl = get_u32(p + ext + 8);
        size_t nat_need = ext + 16 + 2 * (size_t)nin + (size_t)tl;
        if (tl > len || nat_need > len || tl == 0 || p[ext + 16 + 2 * nin + tl - 1] != 0) {
            wgB_error(ctx, WG_ERR_BACKEND, "command stream: malformed native-kernel fields");
            goto fail;
        }
        k->native = p[ext + 4];
        k->native_nred = p[ext + 5];
        k->native_nuni = p[ext + 6];
        memcpy(k->native_kind, p + ext + 16, (size_t)nin);
        memcpy(k->native_ndim, p + ext + 16 + nin, (size_t)nin);
        k->native_len = tl;
        k->native_text = wgB_malloc(ctx, tl);
        if (!k->native_text) goto fail;
        memcpy(k->native_text, p + ext + 16 + 2 * nin, tl);
        ext = nat_need + (8 - nat_need % 8) % 8;
    }
    if (len >= ext + 8 && get_u32(p + ext) == 3) {
        uint32_t wb = get_u32(p + ext + 4);
        if (wb == 0 || wb > 1024) {
            wgB_error(ctx, WG_ERR_BACKEND, "command stream: malformed workgroup-kernel fields");
            goto fail;
        }
        k->wg_block = (int)wb;
        ext += 8;
        if (len >= ext + 8 && get_u32(p + ext) == 5) {
            uint32_t ns = get_u32(p + ext + 4);
            if (ns == 0 || ns > WG_KMAX_SHARED || len < ext + 8 + 8 * (size_t)ns) {
                wgB_error(ctx, WG_ERR_BACKEND, "command stream: malformed workgroup-array fields");
                goto fail;
            }
            k->nshared = (int)ns;
            for (uint32_t a = 0; a < ns; a++) {
                uint32_t dt = get_u32(p + ext + 8 + 8 * a);
                k->shared_dtype[a] = (uint8_t)(dt < 256 ? dt : 255);
                k->shared_len[a] = get_u32(p + ext + 12 + 8 * a);
            }
        }
    }
    if (wgS_ir_check(ctx, k, WG_ERR_BACKEND)) goto fail;
    return k;
fail:
    wgS_ir_free(k);
    return NULL;
}

/* One program (main or post): ops, dtypes, operand order, slot indices. */
static int check_program(wg_context *ctx, const wg_kernel_ir *k, const wg_inst *prog, int n,
                         int is_post, int status) {
    const char *which = is_post ? "post instruction" : "instruction";
    for (int i = 0; i < n; i++) {
        const wg_inst *in = &prog[i];
        if (in->op >= WG_NOPS)
            return wgB_error(ctx, status, "kernel IR: %s %d has unknown op %u", which, i, in->op);
        if (in->dtype > WG_FLOAT64) /* kernels are real-only (complex: api/complex.c) */
            return wgB_error(ctx, status, "kernel IR: %s %d has unknown dtype %u", which, i,
                             in->dtype);
        for (int j = 0; j < wgI_op_arity[in->op]; j++)
            if (in->src[j] >= i)
                return wgB_error(ctx, status,
                                 "kernel IR: %s %d uses operand %u that is not defined before it",
                                 which, i, in->src[j]);
        switch (in->op) {
        case WG_OP_LOAD: /* a post program LOADs inputs at the kept point (ir.h) */
            if (in->arg >= k->ninputs)
                return wgB_error(ctx, status, "kernel IR: %s %d loads input %u of %d", which, i,
                                 in->arg, k->ninputs);
            break;
        case WG_OP_PARAM:
            if (in->arg >= k->nparams)
                return wgB_error(ctx, status, "kernel IR: %s %d reads parameter %u of %d", which,
                                 i, in->arg, k->nparams);
            break;
        case WG_OP_INDEX:
            if (is_post || in->arg >= k->ndim)
                return wgB_error(ctx, status, "kernel IR: %s %d indexes dimension %u of %d",
                                 which, i, in->arg, is_post ? 0 : k->ndim);
            break;
        case WG_OP_ACC:
            if (!is_post)
                return wgB_error(ctx, status, "kernel IR: instruction %d: ACC outside a post "
                                 "program", i);
            break;
        default:
            break;
        }
    }
    return WG_OK;
}

int wgS_ir_check(wg_context *ctx, const wg_kernel_ir *k, int status) {
    if (k->kind != WG_K_ELEMENTWISE && k->kind != WG_K_REDUCE && k->kind != WG_K_MATMUL)
        return wgB_error(ctx, status, "kernel IR: unknown kind %d", k->kind);
    if (k->ndim < 0 || k->ndim > WG_MAX_NDIM)
        return wgB_error(ctx, status, "kernel IR: ndim %d out of range", k->ndim);
    if (k->ninputs < 0 || k->noutputs < 0 || k->ninputs + k->noutputs > WG_KMAX_IO ||
        k->nparams < 0 || k->nparams > WG_KMAX_PARAMS)
        return wgB_error(ctx, status, "kernel IR: %d inputs, %d outputs, %d params out of range",
                         k->ninputs, k->noutputs, k->nparams);
    if (k->ninst < 0 || k->ninst > IR_MAX_INST || k->npost < 0 || k->npost > IR_MAX_INST ||
        (k->ninst && !k->inst) || (k->npost && !k->post))
        return wgB_error(ctx, status, "kernel IR: bad instruction count");
    for (int i = 0; i < k->ninputs; i++)
        if (k->input_dtype[i] > WG_FLOAT64)
            return wgB_error(ctx, status, "kernel IR: input %d has unknown dtype %u", i,
                             k->input_dtype[i]);
    for (int j = 0; j < k->noutputs; j++)
        if (k->output_dtype[j] > WG_FLOAT64)
            return wgB_error(ctx, status, "kernel IR: output %d has unknown dtype %u", j,
                             k->output_dtype[j]);
    for (int i = 0; i < k->nparams; i++)
        if (k->param_dtype[i] > WG_FLOAT64)
            return wgB_error(ctx, status, "kernel IR: parameter %d has unknown dtype %u", i,
                             k->param_dtype[i]);
    if (k->native && k->kind != WG_K_ELEMENTWISE)
        return wgB_error(ctx, status, "kernel IR: a native kernel must be ELEMENTWISE");
    switch (k->kind) {
    case WG_K_ELEMENTWISE:
        if (k->native && (k->stmt || k->ninst != 0 || k->noutputs != 1 || !k->native_text ||
                          !k->native_len || k->native_text[k->native_len - 1] != 0 ||
                          !(k->native & WG_NATIVE_LANG) || (k->native & WG_NATIVE_LANG) == 3 ||
                          k->native_nred > WG_MAX_NDIM))
            return wgB_error(ctx, status, "kernel IR: a malformed native kernel");
        for (int j = 0; j < k->noutputs && !k->stmt && !k->native; j++)
            if (k->out_inst[j] >= k->ninst)
                return wgB_error(ctx, status, "kernel IR: output %d stores instruction %u of %d",
                                 j, k->out_inst[j], k->ninst);
        break;
    case WG_K_REDUCE:
        if (k->noutputs != 1 || k->ninst < 1 || k->npost < 1)
            return wgB_error(ctx, status, "kernel IR: a reduction needs one output, a program "
                             "and a post program");
        if (k->nred < 0 || k->nred > k->ndim)
            return wgB_error(ctx, status, "kernel IR: %d reduced dims of %d", k->nred, k->ndim);
        if (k->fold < WG_FOLD_SUM || k->fold > WG_FOLD_ALL)
            return wgB_error(ctx, status, "kernel IR: unknown fold %d", k->fold);
        if (k->acc_dtype > WG_FLOAT64)
            return wgB_error(ctx, status, "kernel IR: unknown accumulator dtype %u",
                             k->acc_dtype);
        if (k->out_inst[0] >= k->ninst)
            return wgB_error(ctx, status, "kernel IR: reduction value instruction %u of %d",
                             k->out_inst[0], k->ninst);
        break;
    case WG_K_MATMUL:
        if (k->ninputs != 2 || k->noutputs != 1 || k->ndim < 2)
            return wgB_error(ctx, status, "kernel IR: a matmul needs 2 inputs, 1 output and "
                             "at least 2 dims");
        break;
    }
    int rc = check_program(ctx, k, k->inst, k->ninst, 0, status);
    if (!rc && k->kind == WG_K_REDUCE) rc = check_program(ctx, k, k->post, k->npost, 1, status);
    if (!rc) rc = wgI_check_stmt(ctx, k, status);
    return rc;
}

/* ---- the backends ------------------------------------------------------------------------- */
static int is_loopback(wg_context *ctx) { return ctx->backend == wgS_loopback_backend(); }

/* Loopback: run what is pending through the reference reader, then drop it. */
static int loopback_replay(wg_context *ctx, struct wg_stream *s) {
    int64_t n;
    const uint8_t *p = wgS_take(s, &n);
    int rc = WG_OK;
    if (n > 0) rc = wgS_replay_run(ctx, s->replay, p, n);
    wgS_reset(s);
    return rc;
}

static int maybe_autoflush(wg_context *ctx, struct wg_stream *s) {
    if (s->replay && s->autoflush_bytes > 0 && (int64_t)s->buf.len >= s->autoflush_bytes)
        return loopback_replay(ctx, s);
    return WG_OK;
}

static int webgpu_dtype_check(wg_context *ctx, int dtype) {
    if (wgC_wgsl_dtype_ok(dtype)) return WG_OK;
    const char *be = ctx->backend->name;
    if (dtype == WG_FLOAT16)
        return wgB_error(ctx, WG_ERR_NOTIMPL, is_webgl2(ctx) ? "webgl2 backend: float16 is not "
                         "supported by the webgl2 backend" : "webgpu backend: float16 needs the "
                         "adapter feature 'shader-f16', which this device lacks");
    return wgB_error(ctx, WG_ERR_NOTIMPL, "%s backend: %s (64-bit dtypes are not supported "
                     "by the %s backend)", be, wg_dtype_name(dtype), be);
}

static int sb_buffer_alloc(wg_context *ctx, wg_buffer *buf) {
    struct wg_stream *s = wgS_get(ctx);
    if (!s) return WG_ERR_MEMORY;
    int64_t nbytes = buf->nbytes; /* device bytes: the pool asked wide_gpu_device_bytes */
    if (is_wide_gpu(ctx) && webgpu_dtype_check(ctx, buf->dtype)) return ctx->status;
    uint32_t h = idpool_take(ctx, &s->buffers, "buffer");
    if (!h) return WG_ERR_MEMORY;
    int rc = wgS_create_buffer(ctx, s, h, buf->dtype, nbytes);
    if (rc) {
        idpool_give(&s->buffers, h);
        return rc;
    }
    buf->handle = h;
    buf->host = NULL;
    return maybe_autoflush(ctx, s);
}

static void sb_buffer_free(wg_context *ctx, wg_buffer *buf) {
    struct wg_stream *s = wgS_get(ctx);
    if (!s || !buf->handle) return;
    if (wgS_destroy_buffer(ctx, s, buf->handle) == WG_OK) idpool_give(&s->buffers, buf->handle);
    buf->handle = 0;
}

static int sb_buffer_write(wg_context *ctx, wg_buffer *buf, int64_t byte_offset, const void *src,
                           int64_t nbytes) {
    struct wg_stream *s = wgS_get(ctx);
    if (!s) return WG_ERR_MEMORY;
    if (is_wide_gpu(ctx)) {
        if (webgpu_dtype_check(ctx, buf->dtype)) return ctx->status;
        if (wgC_wgsl_widened(buf->dtype)) { /* one 32-bit word per element */
            int sz = wgD_size(buf->dtype);
            int64_t n = nbytes / sz;
            if (n > (int64_t)(SIZE_MAX / 4)) return wgB_error(ctx, WG_ERR_MEMORY, "write too large");
            uint32_t *w = wgB_malloc(ctx, n ? (size_t)n * 4 : 4);
            if (!w) return WG_ERR_MEMORY;
            const uint8_t *p = src;
            for (int64_t i = 0; i < n; i++) {
                switch (buf->dtype) {
                case WG_BOOL: w[i] = p[i] != 0; break;
                case WG_INT8: w[i] = (uint32_t)(int32_t)(int8_t)p[i]; break;
                case WG_UINT8: w[i] = p[i]; break;
                case WG_INT16: {
                    int16_t v;
                    memcpy(&v, p + 2 * i, 2);
                    w[i] = (uint32_t)(int32_t)v;
                    break;
                }
                default: {
                    uint16_t v;
                    memcpy(&v, p + 2 * i, 2);
                    w[i] = v;
                    break;
                }
                }
            }
            int rc = wgS_write_buffer(ctx, s, buf->handle, byte_offset / sz * 4, w, n * 4);
            wgB_free(w);
            return rc;
        }
    }
    int rc = wgS_write_buffer(ctx, s, buf->handle, byte_offset, src, nbytes);
    return rc ? rc : maybe_autoflush(ctx, s);
}

static int sb_buffer_read(wg_context *ctx, wg_buffer *buf, int64_t byte_offset, void *dst,
                          int64_t nbytes) {
    struct wg_stream *s = wgS_get(ctx);
    if (!s) return WG_ERR_MEMORY;
    if (is_wide_gpu(ctx)) {
        if (webgpu_dtype_check(ctx, buf->dtype)) return ctx->status;
        int sz = wgD_size(buf->dtype), wide = wgC_wgsl_widened(buf->dtype);
        if (wide) {
            byte_offset = byte_offset / sz * 4;
            nbytes = nbytes / sz * 4;
        }
        return record_read(ctx, s, buf->handle, byte_offset, nbytes, (uint64_t)(uintptr_t)dst,
                           buf->dtype, wide);
    }
    int rc = wgS_read_buffer(ctx, s, buf->handle, byte_offset, nbytes, (uint64_t)(uintptr_t)dst);
    if (rc) return rc;
    return s->replay ? loopback_replay(ctx, s) : WG_OK;
}

static int sb_kernel_prepare(wg_context *ctx, const wg_kernel_ir *k, void **handle) {
    struct wg_stream *s = wgS_get(ctx);
    if (!s) return WG_ERR_MEMORY;
    int rc = wgS_ir_check(ctx, k, WG_ERR_INTERNAL);
    if (rc) return rc;
    /* sources: WGSL on webgpu; a vertex and a fragment shader on webgl2 */
    char *src[2] = {NULL, NULL};
    const char *targets[2] = {"wgsl", NULL};
    int nsrc = 0;
    if (k->native && !(ctx->backend == wgS_webgpu_backend() || is_webgl2(ctx)))
        return wgB_error(ctx, WG_ERR_NOTIMPL, "the native kernel '%s' (%s) cannot run on the %s "
                         "backend: no host of the plain stream generates code from it",
                         wgI_native_field(k, 0),
                         (k->native & WG_NATIVE_LANG) == WG_NATIVE_WGSL ? "WGSL" : "GLSL ES 3.00",
                         ctx->backend->name);
    if (ctx->backend == wgS_webgpu_backend()) {
        rc = wgC_wgsl(ctx, k, &src[0]);
        nsrc = 1;
    } else if (is_webgl2(ctx)) {
        rc = wgC_glsl(ctx, k, &src[0], &src[1]);
        targets[0] = "glsl-es-300-vs";
        targets[1] = "glsl-es-300-fs";
        nsrc = 2;
    }
    if (rc) return rc;
    uint32_t id = idpool_take(ctx, &s->kernels, "kernel");
    if (!id) {
        wgB_free(src[0]);
        wgB_free(src[1]);
        return WG_ERR_MEMORY;
    }
    rc = wgS_create_kernel(ctx, s, id, k, nsrc, targets, (const char *const *)src);
    wgB_free(src[0]);
    wgB_free(src[1]);
    if (rc) {
        idpool_give(&s->kernels, id);
        return rc;
    }
    *handle = (void *)(uintptr_t)id;
    return WG_OK;
}

static void sb_kernel_release(wg_context *ctx, void *handle) {
    struct wg_stream *s = wgS_get(ctx);
    uint32_t id = (uint32_t)(uintptr_t)handle;
    if (!s || !id) return;
    if (wgS_destroy_kernel(ctx, s, id) == WG_OK) idpool_give(&s->kernels, id);
}

static int sb_kernel_run(wg_context *ctx, void *handle, const wg_kernel_ir *k,
                         const wg_kernel_args *args) {
    struct wg_stream *s = wgS_get(ctx);
    if (!s) return WG_ERR_MEMORY;
    int rc = wgS_dispatch(ctx, s, (uint32_t)(uintptr_t)handle, k, args);
    return rc ? rc : maybe_autoflush(ctx, s);
}

static int sb_flush(wg_context *ctx) {
    struct wg_stream *s = wgS_get(ctx);
    if (!s) return WG_ERR_MEMORY;
    return s->replay ? loopback_replay(ctx, s) : WG_OK;
}

static const wg_backend stream_table = {
    "stream", sb_buffer_alloc, sb_buffer_free, sb_buffer_write, sb_buffer_read,
    sb_kernel_prepare, sb_kernel_release, sb_kernel_run, sb_flush, NULL, NULL,
};

/* The same functions: wgS_get gives a loopback context's stream a replay, and every function
 * above replays when the stream has one. */
static const wg_backend loopback_table = {
    "loopback", sb_buffer_alloc, sb_buffer_free, sb_buffer_write, sb_buffer_read,
    sb_kernel_prepare, sb_kernel_release, sb_kernel_run, sb_flush, NULL, NULL,
};

/* webgpu: the same functions; the backend switches on WGSL, the storage rule and version 1.1 */
static int webgpu_dtype_ok(wg_context *ctx, int dtype) {
    (void)ctx;
    return wgC_wgsl_dtype_ok(dtype);
}

/* the storage rule: widened dtypes take one 32-bit word per element (-1: too large) */
static int64_t wide_gpu_device_bytes(wg_context *ctx, int dtype, int64_t nbytes) {
    (void)ctx;
    if (!wgC_wgsl_widened(dtype)) return nbytes;
    int64_t n = nbytes / wgD_size(dtype);
    return n > INT64_MAX / 4 ? -1 : n * 4;
}

static const wg_backend webgpu_table = {
    "webgpu", sb_buffer_alloc, sb_buffer_free, sb_buffer_write, sb_buffer_read,
    sb_kernel_prepare, sb_kernel_release, sb_kernel_run, sb_flush, webgpu_dtype_ok,
    wide_gpu_device_bytes,
};

const wg_backend *wgS_stream_backend(void) { return &stream_table; }
/* webgl2: the same functions; is_webgl2() switches on GLSL (and, with webgpu, the storage rule and
 * version 1.1) */
static const wg_backend webgl2_table = {
    "webgl2", sb_buffer_alloc, sb_buffer_free, sb_buffer_write, sb_buffer_read,
    sb_kernel_prepare, sb_kernel_release, sb_kernel_run, sb_flush, webgpu_dtype_ok,
    wide_gpu_device_bytes,
};

const wg_backend *wgS_webgpu_backend(void) { return &webgpu_table; }
const wg_backend *wgS_webgl2_backend(void) { return &webgl2_table; }
const wg_backend *wgS_loopback_backend(void) { return &loopback_table; }

/* ---- public ------------------------------------------------------------------------------ */
WG_API const uint8_t *wg_stream_data(wg_context *ctx, int64_t *nbytes) {
    int64_t dummy;
    if (!nbytes) nbytes = &dummy;
    *nbytes = 0;
    if (!ctx) return NULL;
    if (ctx->info[WG_INFO_HANDOFF]) ctx->counters[WG_COUNTER_HANDOFFS]++;
    ctx->info[WG_INFO_HANDOFF] = 0; /* the host takes everything recorded so far */
    ctx->ahead_work = 0;
    if (!ctx->stream) return NULL;
    if (is_loopback(ctx) || ctx->stream->replay) { /* it runs its own commands: nothing left */
        loopback_replay(ctx, ctx->stream);
        return NULL;
    }
    return wgS_take(ctx->stream, nbytes);
}

WG_API void wg_stream_consumed(wg_context *ctx) {
    if (ctx && ctx->stream && !ctx->stream->replay) wgS_reset(ctx->stream);
}
