/* replay — the reference reader of the command stream (docs/stream.md): runs chunks on the cpu
 * executor.  It keeps its own tables handle -> host memory and id -> kernel IR, rebuilds kernels
 * from the serialized IR, dispatches, and performs READs into the destination address.  The JavaScript
 * executors follow the same steps.
 *
 * Every field is checked before use: a malformed stream (bad magic, another major version, a
 * truncated command, an unknown handle, an operand outside its buffer) is WG_ERR_BACKEND with a
 * message, never a crash.  The one thing a reader must trust is a READ's destination address. */
#include "stream.h"
#include "../base/context.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const uint8_t dtype_size[WG_NDTYPES] = {
#define WG_X_(E, name, size, kind) size,
    WG_DTYPES(WG_X_)
#undef WG_X_
};

static const char *op_name(unsigned op) {
    switch (op) {
    case WGS_OP_CREATE_BUFFER: return "CREATE_BUFFER";
    case WGS_OP_DESTROY_BUFFER: return "DESTROY_BUFFER";
    case WGS_OP_WRITE_BUFFER: return "WRITE_BUFFER";
    case WGS_OP_READ_BUFFER: return "READ_BUFFER";
    case WGS_OP_CREATE_KERNEL: return "CREATE_KERNEL";
    case WGS_OP_DESTROY_KERNEL: return "DESTROY_KERNEL";
    case WGS_OP_DISPATCH: return "DISPATCH";
    default: return "unknown";
    }
}

/* ---- a u32 -> pointer map (open addressing; key 0 is never a valid handle) ---------------- */
typedef struct map_slot {
    uint32_t key; /* 0: empty */
    uint8_t dead; /* a tombstone */
    void *val;
} map_slot;

typedef struct hmap {
    map_slot *slots;
    size_t cap, live, used; /* used = live + tombstones */
} hmap;

static size_t map_hash(uint32_t key, size_t cap) {
    return (size_t)((key * 2654435761u) ^ (key >> 16)) & (cap - 1);
}

static map_slot *map_find(const hmap *m, uint32_t key) {
    if (!m->cap || !key) return NULL;
    for (size_t i = map_hash(key, m->cap), n = 0; n < m->cap; i = (i + 1) & (m->cap - 1), n++) {
        map_slot *s = &m->slots[i];
        if (s->key == 0 && !s->dead) return NULL;
        if (s->key == key && !s->dead) return s;
    }
    return NULL;
}

static void *map_get(const hmap *m, uint32_t key) {
    map_slot *s = map_find(m, key);
    return s ? s->val : NULL;
}

static int map_grow(wg_context *ctx, hmap *m) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    if (m->live * 2 < m->cap) cap = m->cap; /* mostly tombstones: rehash in place */
    map_slot *ns = wgB_calloc(ctx, cap, sizeof *ns);
    if (!ns) return WG_ERR_MEMORY;
    for (size_t i = 0; i < m->cap; i++) {
        map_slot *s = &m->slots[i];
        if (s->key == 0 || s->dead) continue;
        size_t j = map_hash(s->key, cap);
        while (ns[j].key) j = (j + 1) & (cap - 1);
        ns[j] = *s;
    }
    wgB_free(m->slots);
    m->slots = ns;
    m->cap = cap;
    m->used = m->live;
    return WG_OK;
}

/* key must be absent */
static int map_put(wg_context *ctx, hmap *m, uint32_t key, void *val) {
    if ((m->used + 1) * 4 > m->cap * 3) {
        int rc = map_grow(ctx, m);
        if (rc) return rc;
    }
    size_t i = map_hash(key, m->cap);
    while (m->slots[i].key && !m->slots[i].dead) i = (i + 1) & (m->cap - 1);
    if (m->slots[i].key == 0) m->used++; /* a tombstone reused keeps `used` */
    m->slots[i].key = key;
    m->slots[i].dead = 0;
    m->slots[i].val = val;
    m->live++;
    return WG_OK;
}

static void map_del(hmap *m, map_slot *s) {
    s->dead = 1;
    s->val = NULL;
    m->live--;
}

/* ---- the replay state --------------------------------------------------------------------- */
struct wgS_replay {
    hmap buffers; /* handle -> wg_buffer* (host memory owned here) */
    hmap kernels; /* id -> wg_kernel_ir* */
    wgS_read_hook hook;
    void *hook_user;
    int64_t max_buffer_bytes, max_points;
    wg_kernel_args args; /* scratch for DISPATCH (large: kept off the stack) */
    /* where we are, for messages */
    int64_t cmd_index, cmd_offset;
    unsigned cmd_op;
};

wgS_replay *wgS_replay_new(wg_context *ctx) { return wgB_calloc(ctx, 1, sizeof(wgS_replay)); }

static void free_buffer(wg_buffer *b) {
    if (!b) return;
    wgB_free(b->host);
    wgB_free(b);
}

void wgS_replay_free(wgS_replay *r) {
    if (!r) return;
    for (size_t i = 0; i < r->buffers.cap; i++)
        if (r->buffers.slots[i].key && !r->buffers.slots[i].dead)
            free_buffer(r->buffers.slots[i].val);
    for (size_t i = 0; i < r->kernels.cap; i++)
        if (r->kernels.slots[i].key && !r->kernels.slots[i].dead)
            wgS_ir_free(r->kernels.slots[i].val);
    wgB_free(r->buffers.slots);
    wgB_free(r->kernels.slots);
    wgB_free(r);
}

void wgS_replay_set_read_hook(wgS_replay *r, wgS_read_hook hook, void *user) {
    r->hook = hook;
    r->hook_user = user;
}

void wgS_replay_set_limits(wgS_replay *r, int64_t max_buffer_bytes, int64_t max_points) {
    r->max_buffer_bytes = max_buffer_bytes;
    r->max_points = max_points;
}

int64_t wgS_replay_nbuffers(const wgS_replay *r) { return (int64_t)r->buffers.live; }
int64_t wgS_replay_nkernels(const wgS_replay *r) { return (int64_t)r->kernels.live; }

/* A malformed-stream error naming the command and its byte offset. */
static int bad(wg_context *ctx, const wgS_replay *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(wg_context *ctx, const wgS_replay *r, const char *fmt, ...) {
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return wgB_error(ctx, WG_ERR_BACKEND, "command stream: %s (command %lld, %s, at byte %lld)",
                     msg, (long long)r->cmd_index, op_name(r->cmd_op),
                     (long long)r->cmd_offset);
}

/* ---- a bounds-checked little-endian reader ---------------------------------------------- */
typedef struct rd {
    const uint8_t *p;
    size_t n, pos;
    int short_; /* a read ran past the end */
} rd;

static const uint8_t *rd_take(rd *x, size_t k) {
    if (x->short_ || k > x->n - x->pos) {
        x->short_ = 1;
        return NULL;
    }
    const uint8_t *q = x->p + x->pos;
    x->pos += k;
    return q;
}

static uint64_t rd_le(rd *x, int k) {
    const uint8_t *q = rd_take(x, (size_t)k);
    uint64_t v = 0;
    if (q)
        for (int i = k - 1; i >= 0; i--) v = v << 8 | q[i];
    return v;
}

static uint32_t rd_u8(rd *x) { return (uint32_t)rd_le(x, 1); }
static uint32_t rd_u32(rd *x) { return (uint32_t)rd_le(x, 4); }
static uint64_t rd_u64(rd *x) { return rd_le(x, 8); }
static int64_t rd_i64(rd *x) {
    uint64_t u = rd_le(x, 8);
    int64_t v;
    memcpy(&v, &u, 8); /* two's complement, without an implementation-defined conversion */
    return v;
}

static int truncated(wg_context *ctx, const wgS_replay *r) {
    return bad(ctx, r, "truncated command");
}

static wg_buffer *get_buffer(wg_context *ctx, wgS_replay *r, uint32_t h) {
    wg_buffer *b = map_get(&r->buffers, h);
    if (!b) bad(ctx, r, "unknown buffer handle %u", (unsigned)h);
    return b;
}

/* ---- commands ------------------------------------------------------------------------------ */
static int do_create_buffer(wg_context *ctx, wgS_replay *r, rd *x) {
    uint32_t h = rd_u32(x);
    uint32_t dtype = rd_u8(x);
    rd_take(x, 3);
    int64_t nbytes = rd_i64(x);
    if (x->short_) return truncated(ctx, r);
    if (h == 0) return bad(ctx, r, "buffer handle 0 is invalid");
    if (map_get(&r->buffers, h)) return bad(ctx, r, "buffer handle %u already exists", (unsigned)h);
    /* buffers are real: a complex array's storage is float pairs (docs/complex.md) */
    if (dtype > WG_FLOAT64) return bad(ctx, r, "unknown dtype %u", (unsigned)dtype);
    if (nbytes < 0 || (uint64_t)nbytes > SIZE_MAX / 2)
        return bad(ctx, r, "buffer size %lld out of range", (long long)nbytes);
    if (r->max_buffer_bytes > 0 && nbytes > r->max_buffer_bytes)
        return bad(ctx, r, "buffer size %lld over the reader's limit %lld", (long long)nbytes,
                   (long long)r->max_buffer_bytes);
    wg_buffer *b = wgB_calloc(ctx, 1, sizeof *b);
    if (!b) return WG_ERR_MEMORY;
    b->host = wgB_calloc(ctx, 1, (size_t)nbytes); /* zeroed: reads of never-written memory are
                                                     deterministic */
    if (!b->host) {
        wgB_free(b);
        return WG_ERR_MEMORY;
    }
    b->refcount = 1;
    b->dtype = (int)dtype;
    b->nbytes = nbytes;
    b->nelem = nbytes / dtype_size[dtype];
    b->handle = h;
    b->allocated = 1;
    b->id = h;
    int rc = map_put(ctx, &r->buffers, h, b);
    if (rc) free_buffer(b);
    return rc;
}

static int do_destroy_buffer(wg_context *ctx, wgS_replay *r, rd *x) {
    uint32_t h = rd_u32(x);
    if (x->short_) return truncated(ctx, r);
    map_slot *s = map_find(&r->buffers, h);
    if (!s) return bad(ctx, r, "unknown buffer handle %u", (unsigned)h);
    free_buffer(s->val);
    map_del(&r->buffers, s);
    return WG_OK;
}

/* [off, off+n) within the buffer */
static int check_range(wg_context *ctx, wgS_replay *r, const wg_buffer *b, int64_t off,
                       int64_t n) {
    if (off < 0 || n < 0 || n > b->nbytes || off > b->nbytes - n)
        return bad(ctx, r, "bytes [%lld, +%lld) outside buffer %u of %lld bytes", (long long)off,
                   (long long)n, (unsigned)b->handle, (long long)b->nbytes);
    return WG_OK;
}

static int do_write_buffer(wg_context *ctx, wgS_replay *r, rd *x) {
    uint32_t h = rd_u32(x);
    rd_u32(x);
    int64_t off = rd_i64(x), n = rd_i64(x);
    if (x->short_) return truncated(ctx, r);
    wg_buffer *b = get_buffer(ctx, r, h);
    if (!b) return WG_ERR_BACKEND;
    int rc = check_range(ctx, r, b, off, n);
    if (rc) return rc;
    const uint8_t *src = rd_take(x, (size_t)n);
    if (!src) return truncated(ctx, r);
    if (n) memcpy((uint8_t *)b->host + off, src, (size_t)n);
    return WG_OK;
}

static int do_read_buffer(wg_context *ctx, wgS_replay *r, rd *x) {
    uint32_t h = rd_u32(x);
    rd_u32(x);
    int64_t off = rd_i64(x), n = rd_i64(x);
    uint64_t dst = rd_u64(x);
    if (x->short_) return truncated(ctx, r);
    wg_buffer *b = get_buffer(ctx, r, h);
    if (!b) return WG_ERR_BACKEND;
    int rc = check_range(ctx, r, b, off, n);
    if (rc) return rc;
    const uint8_t *src = (const uint8_t *)b->host + off;
    if (r->hook) {
        rc = r->hook(r->hook_user, dst, src, n);
        return rc ? wgB_error(ctx, rc, "command stream: read hook failed") : WG_OK;
    }
    if (n == 0) return WG_OK;
    if (dst == 0 || dst > (uint64_t)UINTPTR_MAX || (uint64_t)n - 1 > (uint64_t)UINTPTR_MAX - dst)
        return bad(ctx, r, "read destination address 0x%llx invalid", (unsigned long long)dst);
    memcpy((void *)(uintptr_t)dst, src, (size_t)n);
    return WG_OK;
}

static int do_create_kernel(wg_context *ctx, wgS_replay *r, rd *x) {
    uint32_t id = rd_u32(x);
    rd_u32(x);
    if (x->short_) return truncated(ctx, r);
    if (id == 0) return bad(ctx, r, "kernel id 0 is invalid");
    if (map_get(&r->kernels, id)) return bad(ctx, r, "kernel id %u already exists", (unsigned)id);
    /* the IR section, self-delimited by its first u32 */
    rd peek = *x;
    uint32_t irlen = rd_u32(&peek);
    if (peek.short_ || irlen > x->n - x->pos) return truncated(ctx, r);
    wg_kernel_ir *k = wgS_ir_decode(ctx, x->p + x->pos, irlen);
    if (!k) {
        if (wgB_failed(ctx) && ctx->status == WG_ERR_BACKEND) {
            /* add where it happened to the decoder's message */
            char msg[sizeof ctx->message];
            memcpy(msg, ctx->message, sizeof msg);
            ctx->status = WG_OK;
            return bad(ctx, r, "%s", msg);
        }
        return wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
    }
    x->pos += irlen;
    /* the source section: checked for shape, not used by this reader */
    uint32_t nsrc = rd_u32(x);
    rd_u32(x);
    for (uint32_t i = 0; i < nsrc && !x->short_; i++) {
        uint32_t tl = rd_u32(x), sl = rd_u32(x);
        rd_take(x, tl);
        rd_take(x, sl);
        rd_take(x, (8 - x->pos % 8) % 8);
    }
    if (x->short_) {
        wgS_ir_free(k);
        return truncated(ctx, r);
    }
    int rc = map_put(ctx, &r->kernels, id, k);
    if (rc) wgS_ir_free(k);
    return rc;
}

static int do_destroy_kernel(wg_context *ctx, wgS_replay *r, rd *x) {
    uint32_t id = rd_u32(x);
    if (x->short_) return truncated(ctx, r);
    map_slot *s = map_find(&r->kernels, id);
    if (!s) return bad(ctx, r, "unknown kernel id %u", (unsigned)id);
    wgS_ir_free(s->val);
    map_del(&r->kernels, s);
    return WG_OK;
}

/* The elements an operand touches, [offset + sum of negative spans, offset + sum of positive
 * spans], must lie in its buffer.  ext[d] are the extents of its nd dims. */
static int check_operand(wg_context *ctx, wgS_replay *r, const char *what, int index,
                         const wg_operand *o, int dtype, int nd, const int64_t *ext) {
    /* offset + stride * (extent - 1) summed over dims must be representable, even for an empty
     * operand (no executor then has to be careful about overflow) */
    int64_t lo = o->offset, hi = o->offset;
    int empty = 0;
    for (int d = 0; d < nd; d++) {
        int64_t span;
        if (__builtin_mul_overflow(o->strides[d], ext[d] - 1, &span) ||
            __builtin_add_overflow(span < 0 ? lo : hi, span, span < 0 ? &lo : &hi))
            return bad(ctx, r, "%s %d: offset and strides overflow int64", what, index);
        empty |= ext[d] == 0;
    }
    int64_t size = dtype_size[dtype];
    if (empty) { /* touches nothing, but executors compute its base address: keep it in range */
        if (o->offset < 0 || o->offset > o->buf->nbytes / size)
            return bad(ctx, r, "%s %d: offset %lld outside buffer %u (%lld elements)", what,
                       index, (long long)o->offset, (unsigned)o->buf->handle,
                       (long long)(o->buf->nbytes / size));
        return WG_OK;
    }
    if (lo < 0 || hi >= o->buf->nbytes / size)
        return bad(ctx, r,
                   "%s %d touches elements [%lld, %lld] of buffer %u, which holds %lld of %lld "
                   "bytes",
                   what, index, (long long)lo, (long long)hi, (unsigned)o->buf->handle,
                   (long long)(o->buf->nbytes / size), (long long)size);
    return WG_OK;
}

static int read_operand(wg_context *ctx, wgS_replay *r, rd *x, wg_operand *o, int nstrides) {
    uint32_t h = rd_u32(x);
    rd_u32(x);
    o->offset = rd_i64(x);
    for (int d = 0; d < nstrides; d++) o->strides[d] = rd_i64(x);
    if (x->short_) return truncated(ctx, r);
    o->buf = get_buffer(ctx, r, h);
    return o->buf ? WG_OK : WG_ERR_BACKEND;
}

static int do_dispatch(wg_context *ctx, wgS_replay *r, rd *x) {
    uint32_t id = rd_u32(x);
    int ndim = (int)rd_u8(x), nin = (int)rd_u8(x), nout = (int)rd_u8(x), np = (int)rd_u8(x);
    if (x->short_) return truncated(ctx, r);
    const wg_kernel_ir *k = map_get(&r->kernels, id);
    if (!k) return bad(ctx, r, "unknown kernel id %u", (unsigned)id);
    if (ndim != k->ndim || nin != k->ninputs || nout != k->noutputs || np != k->nparams)
        return bad(ctx, r,
                   "dispatch (ndim %d, %d inputs, %d outputs, %d params) does not match kernel "
                   "%u (%d, %d, %d, %d)",
                   ndim, nin, nout, np, (unsigned)id, k->ndim, k->ninputs, k->noutputs,
                   k->nparams);
    wg_kernel_args *a = &r->args;
    memset(a, 0, sizeof *a);
    for (int d = 0; d < ndim; d++) a->shape[d] = rd_i64(x);
    a->k = rd_i64(x);
    if (x->short_) return truncated(ctx, r);
    /* the product of the non-zero extents must fit in int64 (no executor overflows counting) */
    int64_t points = 1;
    for (int d = 0; d <= ndim; d++) {
        int64_t e = d < ndim ? a->shape[d] : (k->kind == WG_K_MATMUL ? a->k : 1);
        if (e < 0) return bad(ctx, r, "negative extent %lld", (long long)e);
        if (e > 0 && __builtin_mul_overflow(points, e, &points))
            return bad(ctx, r, "the iteration space overflows int64");
    }
    if (r->max_points > 0 && points > r->max_points)
        return bad(ctx, r, "dispatch of %lld points over the reader's limit %lld",
                   (long long)points, (long long)r->max_points);
    int out_nd = k->kind == WG_K_REDUCE ? ndim - k->nred : ndim;
    int rc;
    for (int i = 0; i < nin; i++)
        if ((rc = read_operand(ctx, r, x, &a->in[i], ndim))) return rc;
    for (int j = 0; j < nout; j++)
        if ((rc = read_operand(ctx, r, x, &a->out[j], out_nd))) return rc;
    for (int i = 0; i < np; i++) {
        uint64_t bits = rd_u64(x);
        memcpy(&a->params[i], &bits, 8);
    }
    if (x->short_) return truncated(ctx, r);
    /* bounds of every operand */
    int64_t ext[WG_MAX_NDIM];
    for (int i = 0; i < nin; i++) {
        memcpy(ext, a->shape, sizeof ext);
        if (k->kind == WG_K_MATMUL) { /* A: (batch..., M, K)   B: (batch..., K, N) */
            if (i == 0) ext[ndim - 1] = a->k;
            else ext[ndim - 2] = a->k;
        }
        if ((rc = check_operand(ctx, r, "input", i, &a->in[i], k->input_dtype[i], ndim, ext)))
            return rc;
    }
    for (int j = 0; j < nout; j++)
        if ((rc = check_operand(ctx, r, "output", j, &a->out[j], k->output_dtype[j], out_nd,
                                a->shape)))
            return rc;
    rc = wgX_cpu_run(ctx, k, a);
    if (rc && !wgB_failed(ctx)) wgB_error(ctx, rc, "cpu executor failed (status %d)", rc);
    if (rc == WG_ERR_INTERNAL) {
        /* the executor found the kernel malformed: from a stream, that is a malformed stream */
        char msg[sizeof ctx->message];
        memcpy(msg, ctx->message, sizeof msg);
        ctx->status = WG_OK;
        return bad(ctx, r, "%s", msg);
    }
    return rc;
}

/* ---- the chunk loop ----------------------------------------------------------------------- */
static int run_chunk(wg_context *ctx, wgS_replay *r, const uint8_t *p, uint64_t len,
                     int64_t base) {
    size_t pos = WGS_HEADER_BYTES;
    while (pos < len) {
        r->cmd_offset = base + (int64_t)pos;
        r->cmd_op = 0;
        if (len - pos < WGS_FRAME_BYTES) return bad(ctx, r, "truncated command frame");
        rd fr = {p + pos, WGS_FRAME_BYTES, 0, 0};
        unsigned op = (unsigned)rd_le(&fr, 2), flags = (unsigned)rd_le(&fr, 2);
        uint32_t plen = rd_u32(&fr);
        r->cmd_op = op;
        if (plen > len - pos - WGS_FRAME_BYTES)
            return bad(ctx, r, "payload of %u bytes runs past the end of the chunk",
                       (unsigned)plen);
        rd x = {p + pos + WGS_FRAME_BYTES, plen, 0, 0};
        int rc;
        switch (op) {
        case WGS_OP_CREATE_BUFFER: rc = do_create_buffer(ctx, r, &x); break;
        case WGS_OP_DESTROY_BUFFER: rc = do_destroy_buffer(ctx, r, &x); break;
        case WGS_OP_WRITE_BUFFER: rc = do_write_buffer(ctx, r, &x); break;
        case WGS_OP_READ_BUFFER: rc = do_read_buffer(ctx, r, &x); break;
        case WGS_OP_CREATE_KERNEL: rc = do_create_kernel(ctx, r, &x); break;
        case WGS_OP_DESTROY_KERNEL: rc = do_destroy_kernel(ctx, r, &x); break;
        case WGS_OP_DISPATCH: rc = do_dispatch(ctx, r, &x); break;
        default:
            rc = (flags & WGS_FLAG_REQUIRED)
                     ? bad(ctx, r, "unknown required opcode %u (a newer writer?)", op)
                     : WG_OK; /* an optional command this reader does not know: skip it */
        }
        if (rc) return rc;
        pos += WGS_FRAME_BYTES + (size_t)plen;
        r->cmd_index++;
    }
    return WG_OK;
}

int wgS_replay_run(wg_context *ctx, wgS_replay *r, const uint8_t *data, int64_t n) {
    if (n < 0 || (n > 0 && !data))
        return wgB_error(ctx, WG_ERR_BACKEND, "command stream: no data");
    int64_t pos = 0;
    r->cmd_index = 0;
    while (pos < n) {
        const uint8_t *p = data + pos;
        uint64_t left = (uint64_t)(n - pos);
        r->cmd_offset = pos;
        r->cmd_op = 0;
        if (left < WGS_HEADER_BYTES)
            return wgB_error(ctx, WG_ERR_BACKEND,
                             "command stream: truncated chunk header (%llu bytes at byte %lld)",
                             (unsigned long long)left, (long long)pos);
        if (memcmp(p, WGS_MAGIC, 4) != 0)
            return wgB_error(ctx, WG_ERR_BACKEND,
                             "command stream: bad magic at byte %lld (expected 'WGST')",
                             (long long)pos);
        unsigned major = (unsigned)(p[4] | p[5] << 8), minor = (unsigned)(p[6] | p[7] << 8);
        if (major != WGS_VERSION_MAJOR)
            return wgB_error(ctx, WG_ERR_BACKEND,
                             "command stream: version %u.%u, this reader supports major "
                             "version %d",
                             major, minor, WGS_VERSION_MAJOR);
        rd lx = {p + 8, 8, 0, 0};
        uint64_t len = rd_u64(&lx);
        if (len < WGS_HEADER_BYTES || len > left)
            return wgB_error(ctx, WG_ERR_BACKEND,
                             "command stream: chunk length %llu at byte %lld, but %llu bytes "
                             "remain",
                             (unsigned long long)len, (long long)pos, (unsigned long long)left);
        int rc = run_chunk(ctx, r, p, len, pos);
        if (rc) return rc;
        pos += (int64_t)len;
    }
    return WG_OK;
}
