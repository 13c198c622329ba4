/* test_stream — layer 9: the command stream's byte layout (golden bytes), IR serialization, the
 * reference reader (replay) against the cpu executor, the loopback backend, the stream backend with
 * a simulated host, malformed input, fault injection, and a deterministic mutation loop. */
#include "wgtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/base/context.h"
#include "../src/array/array.h"
#include "../src/stream/stream.h"

/* ---- helpers ------------------------------------------------------------------------------ */
static wg_inst I(int op, int dt, int arg, int a, int b, int c) {
    wg_inst in;
    in.op = (uint8_t)op;
    in.dtype = (uint8_t)dt;
    in.arg = (uint16_t)arg;
    in.src[0] = (uint16_t)a;
    in.src[1] = (uint16_t)b;
    in.src[2] = (uint16_t)c;
    return in;
}

static int64_t dsize(int dt) { return wg_dtype_size(dt); }

static int contains(const char *s, const char *sub) { return s && strstr(s, sub) != NULL; }

static void dump_diff(const uint8_t *got, int64_t n, const uint8_t *want, int64_t m) {
    for (int64_t i = 0; i < (n > m ? n : m); i++) {
        int g = i < n ? got[i] : -1, w = i < m ? want[i] : -1;
        if (g != w) {
            fprintf(stderr, "  first difference at byte %lld: got %02x want %02x\n",
                    (long long)i, (unsigned)g & 0xff, (unsigned)w & 0xff);
            return;
        }
    }
}

/* Read hook that discards (the fuzz harness and the mutation loop use it). */
static int discard_read(void *user, uint64_t dst, const void *src, int64_t n) {
    (void)user;
    (void)dst;
    volatile uint8_t x = 0;
    if (n > 0) x ^= ((const uint8_t *)src)[0] ^ ((const uint8_t *)src)[n - 1];
    (void)x;
    return WG_OK;
}

/* Runs bytes on a fresh reader; returns the status (error cleared after copying the message). */
static int replay_once(const uint8_t *p, int64_t n, char *msg, size_t msgn) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wgS_replay *r = wgS_replay_new(ctx);
    wgS_replay_set_read_hook(r, discard_read, NULL);
    wgS_replay_set_limits(r, 1 << 20, 1 << 22);
    int rc = wgS_replay_run(ctx, r, p, n);
    if (msg) snprintf(msg, msgn, "%s", wg_last_error(ctx));
    if (rc) WG_CHECK_EQ_INT(wg_last_status(ctx), rc);
    wgS_replay_free(r);
    wg_context_free(ctx);
    return rc;
}

/* ---- golden bytes: the format, byte by byte (docs/stream.md shows the first) --------------- */
WG_TEST(stream_golden_buffers) {
    wg_context *ctx = wg_context_new(WG_BACKEND_STREAM);
    struct wg_stream *s = wgS_get(ctx);
    const uint8_t data[3] = {0xaa, 0xbb, 0xcc};
    WG_CHECK_EQ_INT(wgS_create_buffer(ctx, s, 1, WG_FLOAT32, 16), WG_OK);
    WG_CHECK_EQ_INT(wgS_write_buffer(ctx, s, 1, 4, data, 3), WG_OK);
    WG_CHECK_EQ_INT(wgS_read_buffer(ctx, s, 1, 0, 16, 0x1000), WG_OK);
    WG_CHECK_EQ_INT(wgS_destroy_buffer(ctx, s, 1), WG_OK);
    static const uint8_t want[] = {
        0x57, 0x47, 0x53, 0x54, 0x01, 0x00, 0x00, 0x00, /* "WGST", major 1, minor 0 */
        0x88, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* total length 136 */
        0x01, 0x00, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00, /* CREATE_BUFFER, REQUIRED, 16 bytes */
        0x01, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, /*   handle 1, float32 */
        0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   16 bytes */
        0x03, 0x00, 0x01, 0x00, 0x20, 0x00, 0x00, 0x00, /* WRITE_BUFFER, 32 bytes */
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   handle 1 */
        0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   byte offset 4 */
        0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   3 bytes */
        0xaa, 0xbb, 0xcc, 0x00, 0x00, 0x00, 0x00, 0x00, /*   data, zero padding */
        0x04, 0x00, 0x01, 0x00, 0x20, 0x00, 0x00, 0x00, /* READ_BUFFER, 32 bytes */
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   handle 1 */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   byte offset 0 */
        0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   16 bytes */
        0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   to address 0x1000 */
        0x02, 0x00, 0x01, 0x00, 0x08, 0x00, 0x00, 0x00, /* DESTROY_BUFFER, 8 bytes */
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   handle 1 */
    };
    int64_t n;
    const uint8_t *p = wg_stream_data(ctx, &n);
    WG_CHECK_EQ_INT(n, (int64_t)sizeof want);
    WG_CHECK(p && n == (int64_t)sizeof want && memcmp(p, want, sizeof want) == 0);
    if (p && (n != (int64_t)sizeof want || memcmp(p, want, sizeof want)))
        dump_diff(p, n, want, sizeof want);
    wg_stream_consumed(ctx);
    p = wg_stream_data(ctx, &n);
    WG_CHECK_EQ_INT(n, 0);
    wg_context_free(ctx);
}

WG_TEST(stream_golden_kernel) {
    /* op codes are wgpy.h's wg_op values: reordering them changes the format (a major version) */
    WG_CHECK_EQ_INT(WG_OP_MULTIPLY, 38);
    WG_CHECK_EQ_INT(WG_OP_CAST, 64);
    WG_CHECK_EQ_INT(WG_OP_LOAD, 66);
    WG_CHECK_EQ_INT(WG_OP_PARAM, 67);
    WG_CHECK_EQ_INT(WG_OP_ACC, 69);
    WG_CHECK_EQ_INT(WG_OP_GET, 70);     /* statement ops appended in stream 1.2 */
    WG_CHECK_EQ_INT(WG_OP_LINEAR, 84);
    WG_CHECK_EQ_INT(WG_OP_ATOMIC_MAX, 85);  /* atomics appended for RawKernel */
    WG_CHECK_EQ_INT(WG_OP_ATOMIC_CAS, 87);
    WG_CHECK_EQ_INT(WG_OP_BARRIER, 88);
    WG_CHECK_EQ_INT(WG_OP_SHARED_LOAD, 89);  /* workgroup arrays (stream 1.5, tag 5) */
    WG_CHECK_EQ_INT(WG_OP_SHARED_STORE, 90);
    WG_CHECK_EQ_INT(WG_OP_SHARED_ATOMIC_ADD, 91);  /* atomics on workgroup arrays */
    WG_CHECK_EQ_INT(WG_OP_SHARED_ATOMIC_CAS, 94);
    WG_CHECK_EQ_INT(WG_OP_BITCAST, 95);  /* CUDA's __float_as_uint and kin (session 11) */
    WG_CHECK_EQ_INT(WG_NOPS, 96);
    wg_context *ctx = wg_context_new(WG_BACKEND_STREAM);
    struct wg_stream *s = wgS_get(ctx);
    /* out = x * p, float32, 1-d */
    wg_inst prog[3] = {I(WG_OP_LOAD, WG_FLOAT32, 0, 0, 0, 0),
                       I(WG_OP_PARAM, WG_FLOAT32, 0, 0, 0, 0),
                       I(WG_OP_MULTIPLY, WG_FLOAT32, 0, 0, 1, 0)};
    wg_kernel_ir k;
    memset(&k, 0, sizeof k);
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = 1;
    k.ninputs = k.noutputs = k.nparams = 1;
    k.input_dtype[0] = k.output_dtype[0] = k.param_dtype[0] = WG_FLOAT32;
    k.out_inst[0] = 2;
    k.ninst = 3;
    k.inst = prog;
    wg_buffer x, y;
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    x.handle = 1;
    y.handle = 2;
    wg_kernel_args *a = calloc(1, sizeof *a);
    a->shape[0] = 4;
    a->in[0].buf = &x;
    a->in[0].strides[0] = 1;
    a->out[0].buf = &y;
    a->out[0].strides[0] = 1;
    a->params[0].f = 2.0;
    WG_CHECK_EQ_INT(wgS_create_kernel(ctx, s, 1, &k, 0, NULL, NULL), WG_OK);
    WG_CHECK_EQ_INT(wgS_dispatch(ctx, s, 1, &k, a), WG_OK);
    static const uint8_t want[] = {
        0x57, 0x47, 0x53, 0x54, 0x01, 0x00, 0x00, 0x00, /* "WGST" 1.0 */
        0xc8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 200 bytes */
        0x05, 0x00, 0x01, 0x00, 0x58, 0x00, 0x00, 0x00, /* CREATE_KERNEL, 88 bytes */
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   kernel id 1 */
        0x48, 0x00, 0x00, 0x00,                         /*   IR section: 72 bytes */
        0x00, 0x01, 0x01, 0x01,                         /*   ELEMENTWISE, ndim 1, 1 in, 1 out */
        0x01, 0x00, 0x00, 0x00,                         /*   1 param, fold/nred/acc 0 */
        0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   3 instructions, 0 post */
        0x00, 0x00, 0x00, 0x00,                         /*   reserved */
        0x02, 0x00, 0x0a, 0x0a, 0x0a, 0x00, 0x00, 0x00, /*   out_inst {2}; dtypes in/out/param
                                                             float32; padding */
        0x42, 0x0a, 0x00, 0x00, 0x00, 0x00,             /*   0: LOAD f32 input 0 */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,             /*      src 0 0 0, reserved */
        0x43, 0x0a, 0x00, 0x00, 0x00, 0x00,             /*   1: PARAM f32 param 0 */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x26, 0x0a, 0x00, 0x00, 0x00, 0x00,             /*   2: MULTIPLY f32, src (0, 1, 0) */
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,                         /*   padding to 8 */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   source section: 0 sources */
        0x07, 0x00, 0x01, 0x00, 0x50, 0x00, 0x00, 0x00, /* DISPATCH, 80 bytes */
        0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x01, 0x01, /*   kernel 1; ndim, in, out, params 1 */
        0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   shape (4) */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   k 0 */
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   input: buffer 1 */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*     offset 0 */
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*     strides (1) */
        0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*   output: buffer 2 */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*     offset 0 */
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /*     strides (1) */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, /*   param 0: 2.0 as a double */
    };
    int64_t n;
    const uint8_t *p = wg_stream_data(ctx, &n);
    WG_CHECK_EQ_INT(n, (int64_t)sizeof want);
    WG_CHECK(p && n == (int64_t)sizeof want && memcmp(p, want, sizeof want) == 0);
    if (p && (n != (int64_t)sizeof want || memcmp(p, want, sizeof want)))
        dump_diff(p, n, want, sizeof want);
    wg_stream_consumed(ctx);
    free(a);
    wg_context_free(ctx);
}

/* ---- hand-built kernels, each with its arguments and buffer contents --------------------- */
#define MAXB 5

typedef struct kcase {
    const char *name;
    wg_kernel_ir k;
    wg_inst prog[32], post[4];
    int nbufs;
    int dtype[MAXB];
    int64_t nelem[MAXB];
    uint8_t init[MAXB][512];   /* initial contents */
    wg_kernel_args args;       /* buf fields unset: in_buf/out_buf say which */
    int in_buf[WG_KMAX_IO], out_buf[WG_KMAX_IO];
} kcase;

static void fill_f32(uint8_t *p, int n, float base, float step) {
    for (int i = 0; i < n; i++) {
        float v = base + step * (float)i;
        memcpy(p + 4 * i, &v, 4);
    }
}

/* out0[i,j] = a[2-i, 3-j] * b[j] + 1.5 (float32); out1 = int32(out0) stored F-order */
static void case_elementwise(kcase *c) {
    memset(c, 0, sizeof *c);
    c->name = "elementwise";
    wg_kernel_ir *k = &c->k;
    c->prog[0] = I(WG_OP_LOAD, WG_FLOAT32, 0, 0, 0, 0);
    c->prog[1] = I(WG_OP_LOAD, WG_FLOAT32, 1, 0, 0, 0);
    c->prog[2] = I(WG_OP_MULTIPLY, WG_FLOAT32, 0, 0, 1, 0);
    c->prog[3] = I(WG_OP_PARAM, WG_FLOAT32, 0, 0, 0, 0);
    c->prog[4] = I(WG_OP_ADD, WG_FLOAT32, 0, 2, 3, 0);
    c->prog[5] = I(WG_OP_CAST, WG_INT32, 0, 4, 0, 0);
    k->kind = WG_K_ELEMENTWISE;
    k->ndim = 2;
    k->ninputs = 2;
    k->noutputs = 2;
    k->nparams = 1;
    k->input_dtype[0] = k->input_dtype[1] = WG_FLOAT32;
    k->output_dtype[0] = WG_FLOAT32;
    k->output_dtype[1] = WG_INT32;
    k->param_dtype[0] = WG_FLOAT32;
    k->out_inst[0] = 4;
    k->out_inst[1] = 5;
    k->ninst = 6;
    c->nbufs = 4;
    int dt[4] = {WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, WG_INT32};
    int64_t ne[4] = {12, 4, 12, 12};
    memcpy(c->dtype, dt, sizeof dt);
    memcpy(c->nelem, ne, sizeof ne);
    fill_f32(c->init[0], 12, -2.0f, 0.75f);
    fill_f32(c->init[1], 4, 1.0f, -0.5f);
    wg_kernel_args *a = &c->args;
    a->shape[0] = 3;
    a->shape[1] = 4;
    c->in_buf[0] = 0;
    a->in[0].offset = 11;
    a->in[0].strides[0] = -4;
    a->in[0].strides[1] = -1;
    c->in_buf[1] = 1;
    a->in[1].strides[0] = 0; /* broadcast over rows */
    a->in[1].strides[1] = 1;
    c->out_buf[0] = 2;
    a->out[0].strides[0] = 4;
    a->out[0].strides[1] = 1;
    c->out_buf[1] = 3;
    a->out[1].strides[0] = 1;
    a->out[1].strides[1] = 3;
    a->params[0].f = 1.5;
}

/* mean over the last axis of a (3, 5) float32 array: SUM + post ACC / 5 */
static void case_mean(kcase *c) {
    memset(c, 0, sizeof *c);
    c->name = "mean";
    wg_kernel_ir *k = &c->k;
    c->prog[0] = I(WG_OP_LOAD, WG_FLOAT32, 0, 0, 0, 0);
    c->post[0] = I(WG_OP_ACC, WG_FLOAT32, 0, 0, 0, 0);
    c->post[1] = I(WG_OP_PARAM, WG_FLOAT32, 0, 0, 0, 0);
    c->post[2] = I(WG_OP_TRUE_DIVIDE, WG_FLOAT32, 0, 0, 1, 0);
    k->kind = WG_K_REDUCE;
    k->ndim = 2;
    k->nred = 1;
    k->fold = WG_FOLD_SUM;
    k->acc_dtype = WG_FLOAT32;
    k->ninputs = k->noutputs = k->nparams = 1;
    k->input_dtype[0] = k->output_dtype[0] = k->param_dtype[0] = WG_FLOAT32;
    k->out_inst[0] = 0;
    k->ninst = 1;
    k->npost = 3;
    c->nbufs = 2;
    c->dtype[0] = c->dtype[1] = WG_FLOAT32;
    c->nelem[0] = 15;
    c->nelem[1] = 3;
    fill_f32(c->init[0], 15, 0.0f, 1.0f);
    wg_kernel_args *a = &c->args;
    a->shape[0] = 3;
    a->shape[1] = 5;
    a->in[0].strides[0] = 5;
    a->in[0].strides[1] = 1;
    c->out_buf[0] = 1;
    a->out[0].strides[0] = 1; /* over the kept dim only */
    a->params[0].f = 5.0;
}

/* argmax of int32 x[3,4,2] over axes (0, 1): kept = axis 2, reduced = (0, 1) */
static void case_argmax(kcase *c) {
    memset(c, 0, sizeof *c);
    c->name = "argmax";
    wg_kernel_ir *k = &c->k;
    c->prog[0] = I(WG_OP_LOAD, WG_INT32, 0, 0, 0, 0);
    c->post[0] = I(WG_OP_ACC, WG_INT64, 0, 0, 0, 0);
    k->kind = WG_K_REDUCE;
    k->ndim = 3;
    k->nred = 2;
    k->fold = WG_FOLD_ARGMAX;
    k->acc_dtype = WG_INT32;
    k->ninputs = k->noutputs = 1;
    k->input_dtype[0] = WG_INT32;
    k->output_dtype[0] = WG_INT64;
    k->ninst = 1;
    k->npost = 1;
    c->nbufs = 2;
    c->dtype[0] = WG_INT32;
    c->dtype[1] = WG_INT64;
    c->nelem[0] = 24;
    c->nelem[1] = 2;
    for (int i = 0; i < 24; i++) {
        int32_t v = (i * 7) % 11 - 5; /* column 0 peaks at i=22 (5), column 1 at i=9 (but 21 too) */
        memcpy(c->init[0] + 4 * i, &v, 4);
    }
    wg_kernel_args *a = &c->args;
    a->shape[0] = 2;
    a->shape[1] = 3;
    a->shape[2] = 4;
    a->in[0].strides[0] = 1;
    a->in[0].strides[1] = 8;
    a->in[0].strides[2] = 2;
    c->out_buf[0] = 1;
    a->out[0].strides[0] = 1;
}

/* batched matmul, float64: A (2,3,5) C-order, B stored transposed as (2,4,5) */
static void case_matmul(kcase *c) {
    memset(c, 0, sizeof *c);
    c->name = "matmul";
    wg_kernel_ir *k = &c->k;
    k->kind = WG_K_MATMUL;
    k->ndim = 3;
    k->ninputs = 2;
    k->noutputs = 1;
    k->input_dtype[0] = k->input_dtype[1] = k->output_dtype[0] = WG_FLOAT64;
    c->nbufs = 3;
    c->dtype[0] = c->dtype[1] = c->dtype[2] = WG_FLOAT64;
    c->nelem[0] = 30;
    c->nelem[1] = 40;
    c->nelem[2] = 24;
    for (int i = 0; i < 30; i++) {
        double v = 0.25 * i - 3;
        memcpy(c->init[0] + 8 * i, &v, 8);
    }
    for (int i = 0; i < 40; i++) {
        double v = 1.0 / (i + 1);
        memcpy(c->init[1] + 8 * i, &v, 8);
    }
    wg_kernel_args *a = &c->args;
    a->shape[0] = 2;
    a->shape[1] = 3;
    a->shape[2] = 4;
    a->k = 5;
    a->in[0].strides[0] = 15; /* (batch, m, k) */
    a->in[0].strides[1] = 5;
    a->in[0].strides[2] = 1;
    c->in_buf[1] = 1;
    a->in[1].strides[0] = 20; /* (batch, k, n) over B[b][n][k] */
    a->in[1].strides[1] = 1;
    a->in[1].strides[2] = 5;
    c->out_buf[0] = 2;
    a->out[0].strides[0] = 12;
    a->out[0].strides[1] = 4;
    a->out[0].strides[2] = 1;
}

/* out[i] = i > p ? a[i] : -a[i]   (int16; INDEX, comparison, WHERE) */
static void case_where(kcase *c) {
    memset(c, 0, sizeof *c);
    c->name = "where";
    wg_kernel_ir *k = &c->k;
    c->prog[0] = I(WG_OP_INDEX, WG_INT64, 0, 0, 0, 0);
    c->prog[1] = I(WG_OP_PARAM, WG_INT64, 0, 0, 0, 0);
    c->prog[2] = I(WG_OP_GREATER, WG_BOOL, 0, 0, 1, 0);
    c->prog[3] = I(WG_OP_LOAD, WG_INT16, 0, 0, 0, 0);
    c->prog[4] = I(WG_OP_NEGATIVE, WG_INT16, 0, 3, 0, 0);
    c->prog[5] = I(WG_OP_WHERE, WG_INT16, 0, 2, 3, 4);
    k->kind = WG_K_ELEMENTWISE;
    k->ndim = 1;
    k->ninputs = k->noutputs = k->nparams = 1;
    k->input_dtype[0] = k->output_dtype[0] = WG_INT16;
    k->param_dtype[0] = WG_INT64;
    k->out_inst[0] = 5;
    k->ninst = 6;
    c->nbufs = 2;
    c->dtype[0] = c->dtype[1] = WG_INT16;
    c->nelem[0] = c->nelem[1] = 6;
    for (int i = 0; i < 6; i++) {
        int16_t v = (int16_t)(10 * i + 1);
        memcpy(c->init[0] + 2 * i, &v, 2);
    }
    wg_kernel_args *a = &c->args;
    a->shape[0] = 6;
    a->in[0].strides[0] = 1;
    c->out_buf[0] = 1;
    a->out[0].strides[0] = 1;
    a->params[0].i = 2;
}

/* A statement kernel: out0[i] = sum(table[0..n[i])) by a loop with break and a step, and
 * hist[n[i] % 2] += that sum by ATOMIC_ADD into a raw output. */
static void case_stmt(kcase *c) {
    memset(c, 0, sizeof *c);
    c->name = "stmt";
    wg_kernel_ir *k = &c->k;
    const wg_inst p[] = {
        I(WG_OP_LOAD, WG_INT32, 1, 0, 0, 0),           I(WG_OP_LOOP, 0, 0, 0, 0, 0),
        I(WG_OP_GET, WG_INT32, 0, 0, 0, 0),            I(WG_OP_GREATER_EQUAL, WG_BOOL, 0, 2, 0, 0),
        I(WG_OP_IF, 0, 0, 3, 0, 0),                    I(WG_OP_BREAK, 0, 0, 0, 0, 0),
        I(WG_OP_END, 0, 0, 0, 0, 0),                   I(WG_OP_LOAD_AT, WG_FLOAT32, 0, 2, 0, 0),
        I(WG_OP_GET, WG_FLOAT32, 1, 0, 0, 0),          I(WG_OP_ADD, WG_FLOAT32, 0, 8, 7, 0),
        I(WG_OP_SET, 0, 1, 9, 0, 0),                   I(WG_OP_CONTINUING, 0, 0, 0, 0, 0),
        I(WG_OP_GET, WG_INT32, 0, 0, 0, 0),            I(WG_OP_PARAM, WG_INT32, 0, 0, 0, 0),
        I(WG_OP_ADD, WG_INT32, 0, 12, 13, 0),          I(WG_OP_SET, 0, 0, 14, 0, 0),
        I(WG_OP_END, 0, 0, 0, 0, 0),                   I(WG_OP_GET, WG_FLOAT32, 1, 0, 0, 0),
        I(WG_OP_PARAM, WG_INT32, 1, 0, 0, 0),          I(WG_OP_REMAINDER, WG_INT32, 0, 0, 18, 0),
        I(WG_OP_ATOMIC_ADD, WG_FLOAT32, 1, 19, 17, 0),
    };
    memcpy(c->prog, p, sizeof p);
    k->kind = WG_K_ELEMENTWISE;
    k->stmt = 1;
    k->ndim = 1;
    k->ninputs = 2;
    k->noutputs = 2;
    k->nparams = 2;
    k->input_dtype[0] = WG_FLOAT32;
    k->input_dtype[1] = WG_INT32;
    k->input_raw[0] = 1;
    k->output_dtype[0] = k->output_dtype[1] = WG_FLOAT32;
    k->output_raw[1] = 1;
    k->param_dtype[0] = k->param_dtype[1] = WG_INT32;
    k->nvars = 2;
    k->var_dtype[0] = WG_INT32;
    k->var_dtype[1] = WG_FLOAT32;
    k->out_var[0] = 1;
    k->out_var[1] = -1;
    k->ninst = (int)(sizeof p / sizeof p[0]);
    c->nbufs = 4;
    c->dtype[0] = c->dtype[2] = c->dtype[3] = WG_FLOAT32;
    c->dtype[1] = WG_INT32;
    c->nelem[0] = 5;
    c->nelem[1] = 6;
    c->nelem[2] = 6;
    c->nelem[3] = 2;
    for (int i = 0; i < 5; i++) {
        float v = 1.5f * (float)i + 0.25f;
        memcpy(c->init[0] + 4 * i, &v, 4);
    }
    for (int i = 0; i < 6; i++) {
        int32_t v = i;
        memcpy(c->init[1] + 4 * i, &v, 4);
    }
    wg_kernel_args *a = &c->args;
    a->shape[0] = 6;
    c->in_buf[1] = 1;
    a->in[1].strides[0] = 1;
    c->out_buf[0] = 2;
    a->out[0].strides[0] = 1;
    c->out_buf[1] = 3;
    a->params[0].i = 1;
    a->params[1].i = 2;
}

/* The same as a workgroup kernel (wg_block = 3: the stream's tag 3 block) ending in a BARRIER. */
static void case_stmt_wg(kcase *c) {
    case_stmt(c);
    c->name = "stmt_wg";
    c->k.wg_block = 3;
    c->prog[c->k.ninst++] = I(WG_OP_BARRIER, 0, 0, 0, 0, 0);
}

/* stmt_wg with a workgroup array (tag 5): sh0 (int32[2]) per workgroup of 3 points;
 * sh0[x % 2] = x (x = in1 at the point: 0..5); BARRIER; out0's local = float(sh0[x % 2]).  The
 * points of a workgroup store in order (the last wins): workgroup 0 holds [2, 1], workgroup 1
 * [4, 5], so out0 = 2 1 2 5 4 5. */
static void case_stmt_shared(kcase *c) {
    case_stmt_wg(c);
    c->name = "stmt_shared";
    c->k.nshared = 1;
    c->k.shared_dtype[0] = WG_INT32;
    c->k.shared_len[0] = 2;
    int n = c->k.ninst;
    c->prog[n] = I(WG_OP_SHARED_STORE, 0, 0, 19, 0, 0);
    c->prog[n + 1] = I(WG_OP_BARRIER, 0, 0, 0, 0, 0);
    c->prog[n + 2] = I(WG_OP_SHARED_LOAD, WG_INT32, 0, 19, 0, 0);
    c->prog[n + 3] = I(WG_OP_CAST, WG_FLOAT32, 0, (uint16_t)(n + 2), 0, 0);
    c->prog[n + 4] = I(WG_OP_SET, 0, 1, (uint16_t)(n + 3), 0, 0);
    c->k.ninst = n + 5;
}

/* stmt_shared with an atomic: sh0[x % 2] += x by SHARED_ATOMIC_ADD (its old value unused);
 * BARRIER; out0's local = float(sh0[x % 2]): workgroup 0 holds [0 + 2, 1], workgroup 1
 * [4, 3 + 5], so out0 = 2 1 2 8 4 8. */
static void case_stmt_shared_atomic(kcase *c) {
    case_stmt_shared(c);
    c->name = "stmt_shared_atomic";
    int n = c->k.ninst - 5;
    c->prog[n] = I(WG_OP_SHARED_ATOMIC_ADD, WG_INT32, 0, 19, 0, 0);
}

typedef void (*case_fn)(kcase *);
static const case_fn all_cases[] = {case_elementwise, case_mean, case_argmax, case_matmul,
                                    case_where, case_stmt, case_stmt_wg, case_stmt_shared,
                                    case_stmt_shared_atomic};
#define NCASES ((int)(sizeof all_cases / sizeof all_cases[0]))

static kcase *make_case(int i) {
    kcase *c = malloc(sizeof *c);
    all_cases[i](c);
    c->k.inst = c->prog;
    c->k.post = c->k.npost ? c->post : NULL;
    if (!c->k.ninst) c->k.inst = NULL;
    return c;
}

static void bind(kcase *c, wg_kernel_args *a, wg_buffer *bufs) {
    *a = c->args;
    for (int i = 0; i < c->k.ninputs; i++) a->in[i].buf = &bufs[c->in_buf[i]];
    for (int j = 0; j < c->k.noutputs; j++) a->out[j].buf = &bufs[c->out_buf[j]];
}

/* Runs the case directly on the cpu executor: the buffers' final contents in out[b]. */
static int run_direct(kcase *c, uint8_t out[MAXB][512]) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wg_buffer bufs[MAXB];
    memset(bufs, 0, sizeof bufs);
    for (int b = 0; b < c->nbufs; b++) {
        bufs[b].dtype = c->dtype[b];
        bufs[b].nelem = c->nelem[b];
        bufs[b].nbytes = c->nelem[b] * dsize(c->dtype[b]);
        bufs[b].host = out[b];
        memcpy(out[b], c->init[b], 512);
    }
    wg_kernel_args *a = malloc(sizeof *a);
    bind(c, a, bufs);
    int rc = wgX_cpu_run(ctx, &c->k, a);
    if (rc) fprintf(stderr, "  %s direct: %s\n", c->name, wg_last_error(ctx));
    free(a);
    wg_context_free(ctx);
    return rc;
}

/* The same through a backend table on ctx (loopback: executes; stream: records). */
static int run_backend(wg_context *ctx, kcase *c, uint8_t out[MAXB][512]) {
    const wg_backend *be = ctx->backend;
    wg_buffer bufs[MAXB];
    memset(bufs, 0, sizeof bufs);
    int rc = WG_OK;
    for (int b = 0; b < c->nbufs && !rc; b++) {
        bufs[b].dtype = c->dtype[b];
        bufs[b].nelem = c->nelem[b];
        bufs[b].nbytes = c->nelem[b] * dsize(c->dtype[b]);
        rc = be->buffer_alloc(ctx, &bufs[b]);
        if (!rc) rc = be->buffer_write(ctx, &bufs[b], 0, c->init[b], bufs[b].nbytes);
    }
    void *h = NULL;
    if (!rc) rc = be->kernel_prepare(ctx, &c->k, &h);
    wg_kernel_args *a = malloc(sizeof *a);
    bind(c, a, bufs);
    if (!rc) rc = be->kernel_run(ctx, h, &c->k, a);
    for (int b = 0; b < c->nbufs && !rc; b++) {
        rc = be->buffer_read(ctx, &bufs[b], 0, out[b], bufs[b].nbytes);
    }
    if (h) be->kernel_release(ctx, h);
    for (int b = 0; b < c->nbufs; b++)
        if (bufs[b].handle) be->buffer_free(ctx, &bufs[b]);
    free(a);
    return rc;
}

static int same_buffers(kcase *c, uint8_t x[MAXB][512], uint8_t y[MAXB][512]) {
    int ok = 1;
    for (int b = 0; b < c->nbufs; b++)
        if (memcmp(x[b], y[b], (size_t)(c->nelem[b] * dsize(c->dtype[b])))) {
            fprintf(stderr, "  %s: buffer %d differs\n", c->name, b);
            ok = 0;
        }
    return ok;
}

/* ---- IR serialization round trip ---------------------------------------------------------- */
static int ir_equal(const wg_kernel_ir *a, const wg_kernel_ir *b) {
    if (a->kind != b->kind || a->ndim != b->ndim || a->ninputs != b->ninputs ||
        a->noutputs != b->noutputs || a->nparams != b->nparams || a->ninst != b->ninst ||
        a->npost != b->npost || a->wg_block != b->wg_block)
        return 0;
    if (memcmp(a->input_dtype, b->input_dtype, (size_t)a->ninputs) ||
        memcmp(a->output_dtype, b->output_dtype, (size_t)a->noutputs) ||
        memcmp(a->param_dtype, b->param_dtype, (size_t)a->nparams) ||
        memcmp(a->out_inst, b->out_inst, sizeof(uint16_t) * (size_t)a->noutputs))
        return 0;
    for (int i = 0; i < a->ninst; i++)
        if (memcmp(&a->inst[i], &b->inst[i], sizeof(wg_inst))) return 0;
    if (a->stmt != b->stmt || a->nvars != b->nvars ||
        memcmp(a->var_dtype, b->var_dtype, (size_t)a->nvars) ||
        (a->stmt && (memcmp(a->out_var, b->out_var, sizeof(int16_t) * (size_t)a->noutputs) ||
                     memcmp(a->input_raw, b->input_raw, (size_t)a->ninputs) ||
                     memcmp(a->output_raw, b->output_raw, (size_t)a->noutputs))))
        return 0;
    if (a->wg_block != b->wg_block || a->nshared != b->nshared ||
        memcmp(a->shared_dtype, b->shared_dtype, (size_t)a->nshared) ||
        memcmp(a->shared_len, b->shared_len, sizeof(uint32_t) * (size_t)a->nshared))
        return 0;
    if (a->kind == WG_K_REDUCE) {
        if (a->fold != b->fold || a->nred != b->nred || a->acc_dtype != b->acc_dtype) return 0;
        for (int i = 0; i < a->npost; i++)
            if (memcmp(&a->post[i], &b->post[i], sizeof(wg_inst))) return 0;
    }
    return 1;
}

WG_TEST(stream_ir_roundtrip) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    for (int i = 0; i < NCASES; i++) {
        kcase *c = make_case(i);
        wgS_bytes b = {0};
        wgS_ir_encode(ctx, &b, &c->k);
        WG_CHECK(!b.oom);
        WG_CHECK_EQ_INT(b.len % 8, 0);
        wg_kernel_ir *d = wgS_ir_decode(ctx, b.p, b.len);
        WG_CHECK(d != NULL);
        if (d) {
            WG_CHECK(ir_equal(&c->k, d));
            WG_CHECK(wgI_hash(&c->k) == wgI_hash(d));
            /* and once more: encoding the decoded kernel gives the same bytes */
            wgS_bytes b2 = {0};
            wgS_ir_encode(ctx, &b2, d);
            WG_CHECK(b2.len == b.len && memcmp(b.p, b2.p, b.len) == 0);
            wgS_bytes_free(&b2);
        }
        if (!d) fprintf(stderr, "  %s: %s\n", c->name, wg_last_error(ctx));
        /* every strict prefix fails cleanly */
        for (size_t n = 0; n < b.len; n++) {
            wg_kernel_ir *t = wgS_ir_decode(ctx, b.p, n);
            WG_CHECK(t == NULL);
            WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_BACKEND);
            wg_clear_error(ctx);
            wgS_ir_free(t);
        }
        wgS_ir_free(d);
        wgS_bytes_free(&b);
        free(c);
    }
    wg_context_free(ctx);
}

/* ---- the loopback backend against the cpu executor -------------------------------------- */
WG_TEST(stream_loopback_matches_cpu) {
    for (int i = 0; i < NCASES; i++) {
        kcase *c = make_case(i);
        static uint8_t direct[MAXB][512], loop[MAXB][512];
        memset(direct, 0, sizeof direct);
        memset(loop, 0, sizeof loop);
        WG_CHECK_EQ_INT(run_direct(c, direct), WG_OK);
        wg_context *ctx = wg_context_new(WG_BACKEND_LOOPBACK);
        WG_CHECK_EQ_STR(wg_backend_name(ctx), "loopback");
        int rc = run_backend(ctx, c, loop);
        if (rc) fprintf(stderr, "  %s loopback: %s\n", c->name, wg_last_error(ctx));
        WG_CHECK_EQ_INT(rc, WG_OK);
        WG_CHECK(same_buffers(c, direct, loop));
        WG_CHECK_EQ_INT(wg_sync(ctx), WG_OK);
        /* everything released on the host side too */
        WG_CHECK_EQ_INT(wgS_replay_nbuffers(ctx->stream->replay), 0);
        WG_CHECK_EQ_INT(wgS_replay_nkernels(ctx->stream->replay), 0);
        wg_context_free(ctx);
        free(c);
    }
}

/* The results are right, not only equal (spot checks of each case). */
WG_TEST(stream_loopback_values) {
    static uint8_t out[MAXB][512];
    kcase *c = make_case(0);
    wg_context *ctx = wg_context_new(WG_BACKEND_LOOPBACK);
    WG_CHECK_EQ_INT(run_backend(ctx, c, out), WG_OK);
    float a[12], b[4], o[12];
    int32_t oi[12];
    memcpy(a, c->init[0], sizeof a);
    memcpy(b, c->init[1], sizeof b);
    memcpy(o, out[2], sizeof o);
    memcpy(oi, out[3], sizeof oi);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) {
            float want = a[11 - 4 * i - j] * b[j] + 1.5f;
            WG_CHECK(o[4 * i + j] == want);
            if (o[4 * i + j] != want)
                fprintf(stderr, "  [%d,%d] a=%g b=%g: got %g, want %g\n", i, j,
                        (double)a[11 - 4 * i - j], (double)b[j], (double)o[4 * i + j],
                        (double)want);
            WG_CHECK_EQ_INT(oi[i + 3 * j], (int32_t)want);
        }
    free(c);
    c = make_case(1);
    WG_CHECK_EQ_INT(run_backend(ctx, c, out), WG_OK);
    float m[3];
    memcpy(m, out[1], sizeof m);
    WG_CHECK(m[0] == 2.0f && m[1] == 7.0f && m[2] == 12.0f);
    free(c);
    c = make_case(2);
    WG_CHECK_EQ_INT(run_backend(ctx, c, out), WG_OK);
    int64_t am[2];
    memcpy(am, out[1], sizeof am);
    for (int col = 0; col < 2; col++) { /* reference argmax, first occurrence in C order */
        int32_t x[24];
        memcpy(x, c->init[0], sizeof x);
        int best = 0;
        for (int r = 0; r < 12; r++)
            if (x[2 * r + col] > x[2 * best + col]) best = r;
        WG_CHECK_EQ_INT(am[col], best);
    }
    free(c);
    c = make_case(3);
    WG_CHECK_EQ_INT(run_backend(ctx, c, out), WG_OK);
    double A[30], B[40], C[24];
    memcpy(A, c->init[0], sizeof A);
    memcpy(B, c->init[1], sizeof B);
    memcpy(C, out[2], sizeof C);
    for (int bt = 0; bt < 2; bt++)
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) {
                double s = 0;
                for (int kk = 0; kk < 5; kk++)
                    s += A[15 * bt + 5 * i + kk] * B[20 * bt + 5 * j + kk];
                WG_CHECK_NEAR(C[12 * bt + 4 * i + j], s, 1e-12);
            }
    free(c);
    c = make_case(4);
    WG_CHECK_EQ_INT(run_backend(ctx, c, out), WG_OK);
    int16_t w[6];
    memcpy(w, out[1], sizeof w);
    for (int i = 0; i < 6; i++) WG_CHECK_EQ_INT(w[i], i > 2 ? 10 * i + 1 : -(10 * i + 1));
    free(c);
    wg_context_free(ctx);
}

/* ---- the stream backend with a simulated host -------------------------------------------- */
/* The host loop of docs/stream.md: take the bytes, execute, consumed. */
static int host_run(wg_context *ctx, wgS_replay *host) {
    int64_t n;
    const uint8_t *p = wg_stream_data(ctx, &n);
    int rc = n ? wgS_replay_run(ctx, host, p, n) : WG_OK;
    wg_stream_consumed(ctx);
    return rc;
}

WG_TEST(stream_backend_with_host) {
    for (int i = 0; i < NCASES; i++) {
        kcase *c = make_case(i);
        static uint8_t direct[MAXB][512], hosted[MAXB][512];
        memset(direct, 0, sizeof direct);
        memset(hosted, 0xee, sizeof hosted);
        WG_CHECK_EQ_INT(run_direct(c, direct), WG_OK);
        wg_context *ctx = wg_context_new(WG_BACKEND_STREAM);
        wgS_replay *host = wgS_replay_new(ctx);
        WG_CHECK_EQ_INT(run_backend(ctx, c, hosted), WG_OK);
        /* nothing has run yet: the reads are recorded, the destinations untouched */
        WG_CHECK(hosted[0][0] == 0xee);
        WG_CHECK_EQ_INT(host_run(ctx, host), WG_OK);
        WG_CHECK(same_buffers(c, direct, hosted));
        WG_CHECK_EQ_INT(wgS_replay_nbuffers(host), 0);
        WG_CHECK_EQ_INT(wgS_replay_nkernels(host), 0);
        wgS_replay_free(host);
        wg_context_free(ctx);
        free(c);
    }
}

/* ---- the whole engine through the stream path --------------------------------------------- */
/* A small script of engine calls; every result is appended to out.  host: the stream backend's
 * simulated host (NULL for cpu/loopback). */
static int engine_script(wg_context *ctx, wgS_replay *host, uint8_t *out, int64_t *nout) {
    int64_t pos = 0;
    float av[12], bv[4];
    for (int i = 0; i < 12; i++) av[i] = 0.5f * (float)i - 2.0f;
    for (int i = 0; i < 4; i++) bv[i] = (float)(i + 1);
    int64_t sa[2] = {3, 4}, sb[1] = {4}, sm[2] = {4, 2};
    wg_array *a = wg_from_data(ctx, WG_FLOAT32, 2, sa, av);
    wg_array *b = wg_from_data(ctx, WG_FLOAT32, 1, sb, bv);
    float mv[8];
    for (int i = 0; i < 8; i++) mv[i] = 1.0f / (float)(i + 1);
    wg_array *m = wg_from_data(ctx, WG_FLOAT32, 2, sm, mv);
    if (!a || !b || !m) return wg_last_status(ctx);
    wg_array *r[6] = {0};
    r[0] = wg_binary(ctx, WG_OP_ADD, a, b, NULL, -1);                       /* broadcast */
    wg_array *e = r[0] ? wg_unary(ctx, WG_OP_EXP, r[0], NULL, -1) : NULL;
    int64_t ax1 = 1;
    r[1] = e ? wg_reduce(ctx, WG_REDUCE_SUM, e, 1, &ax1, 0, -1, 0, NULL) : NULL;
    r[2] = wg_matmul(ctx, a, m, NULL);                                         /* (3,4)@(4,2) */
    r[3] = wg_transpose(ctx, a, 0, NULL);                           /* read non-contiguous */
    r[4] = wg_reduce(ctx, WG_REDUCE_ARGMAX, a, -1, NULL, 0, -1, 0, NULL);
    r[5] = wg_reduce(ctx, WG_REDUCE_STD, a, 1, &ax1, 0, -1, 0, NULL);
    int rc = WG_OK;
    for (int i = 0; i < 6 && rc == WG_OK; i++) {
        if (!r[i]) {
            rc = wg_last_status(ctx);
            break;
        }
        wg_info(ctx, r[i]);
        int64_t *info = wg_info_block(ctx);
        int64_t size = 1;
        for (int d = 0; d < info[1]; d++) size *= info[8 + d];
        int64_t nb = size * wg_dtype_size((int)info[0]);
        rc = wg_read(ctx, r[i], out + pos, nb);
        if (rc == WG_OK && host) rc = host_run(ctx, host);
        pos += nb;
    }
    for (int i = 0; i < 6; i++) wg_release(r[i]);
    wg_release(e);
    wg_release(a);
    wg_release(b);
    wg_release(m);
    *nout = pos;
    return rc;
}

WG_TEST(stream_engine_loopback_and_host) {
    static uint8_t ref[4096], got[4096];
    int64_t nref = 0, ngot = 0;
    wg_context *cpu = wg_context_new(WG_BACKEND_CPU);
    WG_CHECK_EQ_INT(engine_script(cpu, NULL, ref, &nref), WG_OK);
    if (wg_last_status(cpu)) fprintf(stderr, "  cpu: %s\n", wg_last_error(cpu));
    wg_context_free(cpu);
    WG_CHECK(nref > 0);

    wg_context *lb = wg_context_new(WG_BACKEND_LOOPBACK);
    memset(got, 0, sizeof got);
    int rc = engine_script(lb, NULL, got, &ngot);
    if (rc) fprintf(stderr, "  loopback: %s\n", wg_last_error(lb));
    WG_CHECK_EQ_INT(rc, WG_OK);
    WG_CHECK_EQ_INT(ngot, nref);
    WG_CHECK(memcmp(ref, got, (size_t)nref) == 0);
    wg_context_free(lb);

    wg_context *st = wg_context_new(WG_BACKEND_STREAM);
    wgS_replay *host = wgS_replay_new(st);
    memset(got, 0, sizeof got);
    rc = engine_script(st, host, got, &ngot);
    if (rc) fprintf(stderr, "  stream: %s\n", wg_last_error(st));
    WG_CHECK_EQ_INT(rc, WG_OK);
    WG_CHECK_EQ_INT(ngot, nref);
    WG_CHECK(memcmp(ref, got, (size_t)nref) == 0);
    /* dropping everything leaves the host with nothing */
    wg_pool_free_all(st);
    WG_CHECK_EQ_INT(wg_sync(st), WG_OK);
    WG_CHECK_EQ_INT(host_run(st, host), WG_OK);
    WG_CHECK_EQ_INT(wgS_replay_nbuffers(host), 0);
    wgS_replay_free(host);
    wg_context_free(st);
}

/* ---- the public functions, handles, splitting, auto-flush -------------------------------- */
WG_TEST(stream_public_functions) {
    int64_t n = 77;
    wg_context *cpu = wg_context_new(WG_BACKEND_CPU);
    WG_CHECK(wg_stream_data(cpu, &n) == NULL);
    WG_CHECK_EQ_INT(n, 0);
    wg_stream_consumed(cpu);
    wg_context_free(cpu);
    WG_CHECK(wg_stream_data(NULL, &n) == NULL);
    wg_context *st = wg_context_new(WG_BACKEND_STREAM);
    WG_CHECK_EQ_STR(wg_backend_name(st), "stream");
    n = 77;
    WG_CHECK(wg_stream_data(st, &n) == NULL); /* nothing recorded yet */
    WG_CHECK_EQ_INT(n, 0);
    int64_t shape[1] = {3};
    float v[3] = {1, 2, 3}, back[3] = {0};
    wg_array *a = wg_from_data(st, WG_FLOAT32, 1, shape, v);
    WG_CHECK_EQ_INT(wg_read(st, a, back, sizeof back), WG_OK);
    const uint8_t *p = wg_stream_data(st, &n);
    WG_CHECK(p != NULL && n > WGS_HEADER_BYTES);
    WG_CHECK(back[0] == 0); /* not executed yet */
    wgS_replay *host = wgS_replay_new(st);
    WG_CHECK_EQ_INT(wgS_replay_run(st, host, p, n), WG_OK);
    WG_CHECK(back[0] == 1 && back[1] == 2 && back[2] == 3);
    wg_stream_consumed(st);
    WG_CHECK(wg_stream_data(st, &n) == NULL && n == 0);
    wg_release(a);
    wgS_replay_free(host);
    wg_context_free(st);
    /* loopback: the data is there when wg_read returns, and nothing is left for a host */
    wg_context *lb = wg_context_new(WG_BACKEND_LOOPBACK);
    a = wg_from_data(lb, WG_FLOAT32, 1, shape, v);
    memset(back, 0, sizeof back);
    WG_CHECK_EQ_INT(wg_read(lb, a, back, sizeof back), WG_OK);
    WG_CHECK(back[0] == 1 && back[1] == 2 && back[2] == 3);
    n = 77;
    WG_CHECK(wg_stream_data(lb, &n) == NULL && n == 0);
    wg_release(a);
    wg_context_free(lb);
}

/* The pool hands out the cached block of the lowest handle of its class, whatever order the
 * blocks were freed in: a loop then gets the same buffers each time (the webgpu executor caches
 * bind groups per buffer set).  Freed a, b, c: the last freed (c) is not the one reused. */
WG_TEST(stream_pool_reuses_lowest_handle) {
    wg_context *ctx = wg_context_new(WG_BACKEND_STREAM);
    wg_buffer b[4];
    memset(b, 0, sizeof b);
    for (int i = 0; i < 4; i++) b[i].nbytes = 64;
    for (int i = 0; i < 3; i++) WG_CHECK_EQ_INT(wgA_pool_take(ctx, &b[i]), WG_OK);
    uint32_t lowest = b[0].handle < b[1].handle ? b[0].handle : b[1].handle;
    if (b[2].handle < lowest) lowest = b[2].handle;
    wgA_pool_give(ctx, &b[1]);
    wgA_pool_give(ctx, &b[0]);
    wgA_pool_give(ctx, &b[2]);
    WG_CHECK_EQ_INT(wgA_pool_take(ctx, &b[3]), WG_OK);
    WG_CHECK_EQ_INT(b[3].handle, lowest);
    wgA_pool_give(ctx, &b[3]);
    wg_context_free(ctx);
}

WG_TEST(stream_handles_reused) {
    wg_context *ctx = wg_context_new(WG_BACKEND_STREAM);
    const wg_backend *be = ctx->backend;
    wg_buffer x, y, z;
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    memset(&z, 0, sizeof z);
    x.nbytes = y.nbytes = z.nbytes = 8;
    WG_CHECK_EQ_INT(be->buffer_alloc(ctx, &x), WG_OK);
    WG_CHECK_EQ_INT(be->buffer_alloc(ctx, &y), WG_OK);
    WG_CHECK_EQ_INT(x.handle, 1);
    WG_CHECK_EQ_INT(y.handle, 2);
    WG_CHECK(x.host == NULL);
    be->buffer_free(ctx, &x);
    WG_CHECK_EQ_INT(x.handle, 0);
    WG_CHECK_EQ_INT(be->buffer_alloc(ctx, &z), WG_OK);
    WG_CHECK_EQ_INT(z.handle, 1); /* reused after its DESTROY */
    kcase *c = make_case(4);
    void *h1 = NULL, *h2 = NULL;
    WG_CHECK_EQ_INT(be->kernel_prepare(ctx, &c->k, &h1), WG_OK);
    WG_CHECK(h1 == (void *)(uintptr_t)1);
    be->kernel_release(ctx, h1);
    WG_CHECK_EQ_INT(be->kernel_prepare(ctx, &c->k, &h2), WG_OK);
    WG_CHECK(h2 == (void *)(uintptr_t)1);
    be->kernel_release(ctx, h2);
    be->buffer_free(ctx, &y);
    be->buffer_free(ctx, &z);
    /* the sequence is valid: a host ends with nothing */
    wgS_replay *host = wgS_replay_new(ctx);
    WG_CHECK_EQ_INT(host_run(ctx, host), WG_OK);
    WG_CHECK_EQ_INT(wgS_replay_nbuffers(host), 0);
    WG_CHECK_EQ_INT(wgS_replay_nkernels(host), 0);
    wgS_replay_free(host);
    free(c);
    wg_context_free(ctx);
}

WG_TEST(stream_write_split_and_autoflush) {
    wg_context *ctx = wg_context_new(WG_BACKEND_STREAM);
    struct wg_stream *s = wgS_get(ctx);
    s->max_write_chunk = 8;
    const wg_backend *be = ctx->backend;
    wg_buffer x;
    memset(&x, 0, sizeof x);
    x.dtype = WG_UINT8;
    x.nbytes = 20;
    uint8_t data[20], back[20] = {0};
    for (int i = 0; i < 20; i++) data[i] = (uint8_t)(i * 13);
    WG_CHECK_EQ_INT(be->buffer_alloc(ctx, &x), WG_OK);
    WG_CHECK_EQ_INT(be->buffer_write(ctx, &x, 0, data, 20), WG_OK);
    WG_CHECK_EQ_INT(s->ncommands, 4); /* CREATE + 3 WRITEs (8, 8, 4) */
    WG_CHECK_EQ_INT(be->buffer_read(ctx, &x, 0, back, 20), WG_OK);
    wgS_replay *host = wgS_replay_new(ctx);
    WG_CHECK_EQ_INT(host_run(ctx, host), WG_OK);
    WG_CHECK(memcmp(data, back, 20) == 0);
    be->buffer_free(ctx, &x);
    wgS_replay_free(host);
    wg_context_free(ctx);

    /* loopback replays by itself once enough bytes are pending */
    ctx = wg_context_new(WG_BACKEND_LOOPBACK);
    be = ctx->backend;
    memset(&x, 0, sizeof x);
    x.dtype = WG_UINT8;
    x.nbytes = 20;
    WG_CHECK_EQ_INT(be->buffer_alloc(ctx, &x), WG_OK);
    ctx->stream->autoflush_bytes = 64;
    for (int i = 0; i < 10; i++) {
        WG_CHECK_EQ_INT(be->buffer_write(ctx, &x, i, data + i, 1), WG_OK);
        WG_CHECK(ctx->stream->buf.len < 64 + 40);
    }
    WG_CHECK(wgS_replay_nbuffers(ctx->stream->replay) == 1);
    memset(back, 0, sizeof back);
    WG_CHECK_EQ_INT(be->buffer_read(ctx, &x, 0, back, 10), WG_OK);
    WG_CHECK(memcmp(data, back, 10) == 0);
    be->buffer_free(ctx, &x);
    wg_context_free(ctx);
}

/* ---- malformed input ---------------------------------------------------------------------- */
/* A valid stream of every command: buffers, a write, a kernel, a dispatch, a read, destroys. */
static uint8_t *valid_stream(int64_t *n, int64_t *bounds, int *nbounds) {
    wg_context *ctx = wg_context_new(WG_BACKEND_STREAM);
    static uint8_t sink[MAXB][512];
    kcase *c = make_case(0);
    run_backend(ctx, c, sink);
    free(c);
    const uint8_t *p = wg_stream_data(ctx, n);
    uint8_t *copy = malloc((size_t)*n);
    memcpy(copy, p, (size_t)*n);
    if (bounds) { /* command boundaries */
        int nb = 0;
        int64_t pos = WGS_HEADER_BYTES;
        while (pos <= *n) {
            bounds[nb++] = pos;
            if (pos == *n) break;
            uint32_t len;
            memcpy(&len, copy + pos + 4, 4); /* little-endian hosts only: fine for the tests */
            pos += 8 + len;
        }
        *nbounds = nb;
    }
    wg_context_free(ctx);
    return copy;
}

static void set_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

WG_TEST(stream_valid_stream_replays) {
    int64_t n;
    uint8_t *p = valid_stream(&n, NULL, NULL);
    char msg[512];
    WG_CHECK_EQ_INT(replay_once(p, n, msg, sizeof msg), WG_OK);
    if (msg[0]) fprintf(stderr, "  %s\n", msg);
    /* two chunks back to back are one stream */
    uint8_t *two = malloc((size_t)(2 * n));
    memcpy(two, p, (size_t)n);
    memcpy(two + n, p, (size_t)n);
    WG_CHECK_EQ_INT(replay_once(two, 2 * n, NULL, 0), WG_OK);
    free(two);
    free(p);
}

WG_TEST(stream_malformed_header) {
    int64_t n;
    uint8_t *p = valid_stream(&n, NULL, NULL);
    char msg[512];
    uint8_t *q = malloc((size_t)n);
    memcpy(q, p, (size_t)n);
    q[0] = 'X';
    WG_CHECK_EQ_INT(replay_once(q, n, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "bad magic"));
    memcpy(q, p, (size_t)n);
    q[4] = 2;
    WG_CHECK_EQ_INT(replay_once(q, n, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "version 2.0, this reader supports major version 1"));
    memcpy(q, p, (size_t)n);
    q[6] = 7; /* a newer minor version is accepted */
    WG_CHECK_EQ_INT(replay_once(q, n, msg, sizeof msg), WG_OK);
    memcpy(q, p, (size_t)n);
    set_u64(q + 8, (uint64_t)n + 8);
    WG_CHECK_EQ_INT(replay_once(q, n, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "chunk length"));
    set_u64(q + 8, 3);
    WG_CHECK_EQ_INT(replay_once(q, n, msg, sizeof msg), WG_ERR_BACKEND);
    set_u64(q + 8, UINT64_MAX);
    WG_CHECK_EQ_INT(replay_once(q, n, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK_EQ_INT(replay_once(q, 5, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "truncated chunk header"));
    WG_CHECK_EQ_INT(replay_once(q, 0, msg, sizeof msg), WG_OK); /* nothing to do */
    free(q);
    free(p);
}

WG_TEST(stream_malformed_truncations) {
    int64_t n, bounds[64];
    int nb;
    uint8_t *p = valid_stream(&n, bounds, &nb);
    uint8_t *q = malloc((size_t)n);
    int ok = 0, bad = 0;
    for (int64_t cut = 0; cut < n; cut++) {
        /* the bytes end early, the header still says n */
        WG_CHECK_EQ_INT(replay_once(p, cut, NULL, 0), cut == 0 ? WG_OK : WG_ERR_BACKEND);
        /* the header says cut: fine exactly at a command boundary, else a truncated command */
        if (cut < WGS_HEADER_BYTES) continue;
        memcpy(q, p, (size_t)cut);
        set_u64(q + 8, (uint64_t)cut);
        int at_boundary = 0;
        for (int i = 0; i < nb; i++) at_boundary |= bounds[i] == cut;
        int rc = replay_once(q, cut, NULL, 0);
        WG_CHECK_EQ_INT(rc, at_boundary ? WG_OK : WG_ERR_BACKEND);
        if (rc) bad++;
        else ok++;
    }
    WG_CHECK(ok >= 5 && bad > 100);
    free(q);
    free(p);
}

/* Builds a chunk from raw commands. */
typedef struct craft {
    uint8_t b[2048];
    size_t n;
} craft;

static void craft_begin(craft *c) {
    memset(c, 0, sizeof *c);
    memcpy(c->b, "WGST\x01\x00\x00\x00", 8);
    c->n = 16;
}

static void craft_cmd(craft *c, unsigned op, unsigned flags, const void *payload, size_t len) {
    uint8_t *f = c->b + c->n;
    f[0] = (uint8_t)op;
    f[1] = (uint8_t)(op >> 8);
    f[2] = (uint8_t)flags;
    f[3] = (uint8_t)(flags >> 8);
    f[4] = (uint8_t)len;
    f[5] = (uint8_t)(len >> 8);
    f[6] = f[7] = 0;
    memcpy(f + 8, payload, len);
    c->n += 8 + len;
}

static int craft_run(craft *c, char *msg, size_t msgn) {
    set_u64(c->b + 8, c->n);
    return replay_once(c->b, (int64_t)c->n, msg, msgn);
}

static void create_payload(uint8_t *p, uint32_t h, int dt, int64_t nbytes) {
    memset(p, 0, 16);
    memcpy(p, &h, 4);
    p[4] = (uint8_t)dt;
    set_u64(p + 8, (uint64_t)nbytes);
}

static void rw_payload(uint8_t *p, uint32_t h, int64_t off, int64_t n, uint64_t dst) {
    memset(p, 0, 32);
    memcpy(p, &h, 4);
    set_u64(p + 8, (uint64_t)off);
    set_u64(p + 16, (uint64_t)n);
    set_u64(p + 24, dst);
}

WG_TEST(stream_malformed_commands) {
    char msg[512];
    craft c;
    uint8_t pl[64];
    /* unknown buffer handle */
    craft_begin(&c);
    rw_payload(pl, 9, 0, 4, 0x1000);
    craft_cmd(&c, WGS_OP_READ_BUFFER, 1, pl, 32);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "unknown buffer handle 9"));
    WG_CHECK(contains(msg, "READ_BUFFER"));
    /* handle 0, duplicate handle, bad dtype, negative size, over the limit */
    craft_begin(&c);
    create_payload(pl, 0, WG_FLOAT32, 16);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 16);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "handle 0"));
    craft_begin(&c);
    create_payload(pl, 3, WG_FLOAT32, 16);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 16);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 16);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "already exists"));
    WG_CHECK(contains(msg, "command 1,"));
    craft_begin(&c);
    create_payload(pl, 3, 12, 16);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 16);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "unknown dtype"));
    craft_begin(&c);
    create_payload(pl, 3, WG_FLOAT32, -16);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 16);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    craft_begin(&c);
    create_payload(pl, 3, WG_FLOAT32, (int64_t)1 << 40);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 16);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "limit"));
    /* out-of-range write and read, a write whose data is cut short */
    craft_begin(&c);
    create_payload(pl, 3, WG_FLOAT32, 16);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 16);
    rw_payload(pl, 3, 12, 8, 0);
    craft_cmd(&c, WGS_OP_WRITE_BUFFER, 1, pl, 32);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "outside buffer 3"));
    craft_begin(&c);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 0); /* empty payload */
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "truncated"));
    craft_begin(&c);
    create_payload(pl, 3, WG_FLOAT32, 16);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 16);
    rw_payload(pl, 3, 0, 16, 0);
    craft_cmd(&c, WGS_OP_WRITE_BUFFER, 1, pl, 32); /* says 16 bytes, carries 8 */
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "truncated"));
    craft_begin(&c);
    create_payload(pl, 3, WG_FLOAT32, 16);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 16);
    rw_payload(pl, 3, -4, 8, 0x1000);
    craft_cmd(&c, WGS_OP_READ_BUFFER, 1, pl, 32);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    /* destroying twice */
    craft_begin(&c);
    create_payload(pl, 3, WG_FLOAT32, 16);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 16);
    craft_cmd(&c, WGS_OP_DESTROY_BUFFER, 1, pl, 8);
    craft_cmd(&c, WGS_OP_DESTROY_BUFFER, 1, pl, 8);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "unknown buffer handle 3"));
    /* unknown kernels */
    craft_begin(&c);
    memset(pl, 0, 16);
    pl[0] = 42;
    craft_cmd(&c, WGS_OP_DESTROY_KERNEL, 1, pl, 8);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "unknown kernel id 42"));
    craft_begin(&c);
    craft_cmd(&c, WGS_OP_DISPATCH, 1, pl, 16);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "unknown kernel id 42"));
    /* unknown opcodes: required rejects, optional is skipped */
    craft_begin(&c);
    craft_cmd(&c, 99, 1, pl, 8);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "unknown required opcode 99"));
    craft_begin(&c);
    craft_cmd(&c, 99, 0, pl, 8);
    create_payload(pl, 3, WG_FLOAT32, 16);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 16);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_OK);
    /* a payload longer than the reader knows (fields of a newer minor version) is fine */
    craft_begin(&c);
    create_payload(pl, 3, WG_FLOAT32, 16);
    memset(pl + 16, 0x5a, 8);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 24);
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_OK);
    /* a frame whose payload runs past the chunk */
    craft_begin(&c);
    craft_cmd(&c, WGS_OP_CREATE_BUFFER, 1, pl, 16);
    c.b[16 + 4] = 200;
    WG_CHECK_EQ_INT(craft_run(&c, msg, sizeof msg), WG_ERR_BACKEND);
    WG_CHECK(contains(msg, "past the end"));
}

/* Records a kernel and a dispatch with the encoder, after corrupting them with `mutate`. */
static int run_kernel_case(kcase *c, void (*mutate)(kcase *), char *msg, size_t msgn) {
    wg_context *ctx = wg_context_new(WG_BACKEND_STREAM);
    struct wg_stream *s = wgS_get(ctx);
    wg_buffer bufs[MAXB];
    memset(bufs, 0, sizeof bufs);
    for (int b = 0; b < c->nbufs; b++) {
        bufs[b].handle = (uint32_t)(b + 1);
        wgS_create_buffer(ctx, s, bufs[b].handle, c->dtype[b], c->nelem[b] * dsize(c->dtype[b]));
    }
    if (mutate) mutate(c);
    wg_kernel_args *a = malloc(sizeof *a);
    bind(c, a, bufs);
    wgS_create_kernel(ctx, s, 7, &c->k, 0, NULL, NULL);
    wgS_dispatch(ctx, s, 7, &c->k, a);
    int64_t n;
    const uint8_t *p = wg_stream_data(ctx, &n);
    int rc = replay_once(p, n, msg, msgn);
    free(a);
    wg_context_free(ctx);
    return rc;
}

static void mut_src_forward(kcase *c) { c->prog[2].src[1] = 4; }
static void mut_load_slot(kcase *c) { c->prog[0].arg = 5; }
static void mut_acc_in_main(kcase *c) { c->prog[0].op = WG_OP_ACC; }
static void mut_bad_op(kcase *c) { c->prog[1].op = 200; }
static void mut_out_inst(kcase *c) { c->k.out_inst[1] = 6; }
static void mut_offset(kcase *c) { c->args.in[0].offset = 12; }       /* past the end */
static void mut_negative(kcase *c) { c->args.in[0].offset = 10; }     /* reads index -1 */
static void mut_shape(kcase *c) { c->args.shape[1] = -4; }
static void mut_stride_overflow(kcase *c) { c->args.out[0].strides[0] = INT64_MAX / 2; }
static void mut_empty_overflow(kcase *c) {
    c->args.shape[1] = 0;
    c->args.in[0].strides[0] = INT64_MAX / 2;
}
static void mut_empty_offset(kcase *c) {
    c->args.shape[1] = 0;
    c->args.in[1].offset = (int64_t)1 << 62;
}
static void mut_space_overflow(kcase *c) { c->args.shape[0] = c->args.shape[1] = (int64_t)1 << 40; }
static void mut_out_stride(kcase *c) { c->args.out[1].strides[1] = 4; } /* int32 out of 12 */
static void mut_reduce_out(kcase *c) { c->args.out[0].offset = 1; }    /* mean: 3 outputs */
static void mut_matmul_k(kcase *c) { c->args.k = 6; }                  /* A has 5 per row */

WG_TEST(stream_malformed_kernels) {
    char msg[512];
    struct {
        int ci;
        void (*mut)(kcase *);
        const char *want;
    } cases[] = {
        {0, NULL, NULL},
        {0, mut_src_forward, "not defined before it"},
        {0, mut_load_slot, "loads input 5"},
        {0, mut_acc_in_main, "ACC outside"},
        {0, mut_bad_op, "unknown op 200"},
        {0, mut_out_inst, "stores instruction 6"},
        {0, mut_offset, "input 0 touches"},
        {0, mut_negative, "input 0 touches elements [-1"},
        {0, mut_shape, "negative extent"},
        {0, mut_stride_overflow, "output 0"},
        {0, mut_out_stride, "output 1 touches"},
        {0, mut_empty_overflow, "input 0: offset and strides overflow int64"},
        {0, mut_empty_offset, "input 1: offset 4611686018427387904 outside buffer 2"},
        {0, mut_space_overflow, "iteration space overflows int64"},
        {1, NULL, NULL},
        {1, mut_reduce_out, "output 0 touches"},
        {3, NULL, NULL},
        {3, mut_matmul_k, "input 0 touches"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        kcase *c = make_case(cases[i].ci);
        int rc = run_kernel_case(c, cases[i].mut, msg, sizeof msg);
        if (!cases[i].want) {
            WG_CHECK_EQ_INT(rc, WG_OK);
        } else {
            WG_CHECK_EQ_INT(rc, WG_ERR_BACKEND);
            if (!contains(msg, cases[i].want))
                wgt_fail(__FILE__, __LINE__, "case %zu: \"%s\" not in \"%s\"", i, cases[i].want,
                         msg);
        }
        free(c);
    }
}

/* A deterministic mutation loop over valid streams (the libFuzzer target is fuzz_stream.c):
 * every outcome is OK or a clean error, never a crash (ASan/UBSan watch). */
static uint64_t rng_next(uint64_t *s) {
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

WG_TEST(stream_mutation_loop) {
    int64_t n1, n2;
    uint8_t *seeds[2];
    seeds[0] = valid_stream(&n1, NULL, NULL);
    {
        /* the engine's own stream for a few operations */
        wg_context *st = wg_context_new(WG_BACKEND_STREAM);
        static uint8_t out[4096];
        int64_t nout;
        engine_script(st, NULL, out, &nout); /* no host: everything stays in one chunk */
        const uint8_t *p = wg_stream_data(st, &n2);
        seeds[1] = malloc((size_t)n2);
        memcpy(seeds[1], p, (size_t)n2);
        wg_context_free(st);
    }
    int64_t ns[2] = {n1, n2};
    uint64_t rng = 0x9e3779b97f4a7c15ULL;
    int counts[3] = {0, 0, 0};
    uint8_t *buf = malloc((size_t)(n1 > n2 ? n1 : n2) + 64);
    for (int it = 0; it < 4000; it++) {
        int si = (int)(rng_next(&rng) % 2);
        int64_t n = ns[si];
        memcpy(buf, seeds[si], (size_t)n);
        int nmut = 1 + (int)(rng_next(&rng) % 4);
        for (int m = 0; m < nmut; m++) {
            uint64_t r = rng_next(&rng);
            if (n <= 16) break;
            int64_t at = 16 + (int64_t)(r % (uint64_t)(n - 16));
            switch ((r >> 32) % 5) {
            case 0: buf[at] ^= (uint8_t)(1u << ((r >> 40) % 8)); break;
            case 1: buf[at] = (uint8_t)(r >> 48); break;
            case 2: { /* an interesting 32-bit value */
                static const uint32_t vals[] = {0, 1, 0xffffffffu, 0x7fffffffu, 0x80000000u, 16,
                                                255, 65535};
                uint32_t v = vals[(r >> 40) % 8];
                if (at + 4 <= n) memcpy(buf + at, &v, 4);
                break;
            }
            case 3: { /* an interesting 64-bit value */
                static const int64_t vals[] = {-1, INT64_MAX, INT64_MIN, 1 << 20, 3, -8};
                int64_t v = vals[(r >> 40) % 6];
                if (at + 8 <= n) memcpy(buf + at, &v, 8);
                break;
            }
            case 4: n = at; set_u64(buf + 8, (uint64_t)n); break; /* truncate */
            }
        }
        int rc = replay_once(buf, n, NULL, 0);
        WG_CHECK(rc == WG_OK || rc == WG_ERR_BACKEND || rc == WG_ERR_MEMORY ||
                 rc == WG_ERR_VALUE || rc == WG_ERR_TYPE || rc == WG_ERR_NOTIMPL);
        counts[rc == WG_OK ? 0 : rc == WG_ERR_BACKEND ? 1 : 2]++;
    }
    WG_CHECK(counts[0] > 50 && counts[1] > 1000);
    free(buf);
    free(seeds[0]);
    free(seeds[1]);
}

/* ---- out-of-memory at every allocation ---------------------------------------------------- */
WG_TEST(stream_fault_injection) {
    for (int backend = WG_BACKEND_STREAM; backend <= WG_BACKEND_LOOPBACK; backend++) {
        int completed = 0;
        for (long fail = 0; fail < 200 && !completed; fail++) {
            wg_context *ctx = wg_context_new(backend);
            kcase *c = make_case(1);
            static uint8_t out[MAXB][512];
            wgB_fail_after(fail);
            int rc = run_backend(ctx, c, out);
            wgB_fail_after(-1);
            WG_CHECK(rc == WG_OK || rc == WG_ERR_MEMORY);
            if (rc == WG_OK) completed = 1;
            if (rc) WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_MEMORY);
            wg_clear_error(ctx);
            /* what was recorded is still a valid stream */
            if (backend == WG_BACKEND_STREAM) {
                int64_t n;
                const uint8_t *p = wg_stream_data(ctx, &n);
                WG_CHECK_EQ_INT(replay_once(p, n, NULL, 0), WG_OK);
            }
            free(c);
            wg_context_free(ctx);
        }
        WG_CHECK(completed);
    }
}

/* The reader's handle tables: many handles, sparse values, destroy and re-create. */
WG_TEST(stream_replay_many_handles) {
    wg_context *ctx = wg_context_new(WG_BACKEND_STREAM);
    struct wg_stream *s = wgS_get(ctx);
    wgS_replay *host = wgS_replay_new(ctx);
    const int N = 3000;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            uint32_t h = (uint32_t)i * 2654435761u + 1;
            if (h == 0) h = 1;
            if (round == 0 || i % 2 == 0) wgS_create_buffer(ctx, s, h, WG_UINT8, i % 5);
        }
        int64_t n;
        const uint8_t *p = wg_stream_data(ctx, &n);
        WG_CHECK_EQ_INT(wgS_replay_run(ctx, host, p, n), WG_OK);
        wg_stream_consumed(ctx);
        WG_CHECK_EQ_INT(wgS_replay_nbuffers(host), N);
        for (int i = 0; i < N; i += 2) wgS_destroy_buffer(ctx, s, (uint32_t)i * 2654435761u + 1);
        p = wg_stream_data(ctx, &n);
        WG_CHECK_EQ_INT(wgS_replay_run(ctx, host, p, n), WG_OK);
        wg_stream_consumed(ctx);
        WG_CHECK_EQ_INT(wgS_replay_nbuffers(host), N / 2);
    }
    if (wg_last_status(ctx)) fprintf(stderr, "  %s\n", wg_last_error(ctx));
    wgS_replay_free(host);
    wg_context_free(ctx);
}

/* The workgroup array of stmt_shared: one copy per workgroup, on the cpu executor directly and
 * through the loopback stream (its tag 5 block). */
WG_TEST(stream_workgroup_array_values) {
    kcase *c = NULL;
    for (int i = 0; i < NCASES; i++) {
        kcase *t = make_case(i);
        if (!strcmp(t->name, "stmt_shared")) c = t;
        else free(t);
    }
    WG_CHECK(c != NULL);
    if (!c) return;
    static uint8_t direct[MAXB][512];
    WG_CHECK_EQ_INT(run_direct(c, direct), WG_OK);
    const float want[6] = {2, 1, 2, 5, 4, 5};
    for (int i = 0; i < 6; i++) {
        float v;
        memcpy(&v, direct[2] + 4 * i, 4);
        WG_CHECK(v == want[i]);
    }
    free(c);
}

/* SHARED_ATOMIC_ADD (stmt_shared_atomic): per-workgroup sums, directly and through the stream. */
WG_TEST(stream_workgroup_atomic_values) {
    kcase *c = NULL;
    for (int i = 0; i < NCASES; i++) {
        kcase *t = make_case(i);
        if (!strcmp(t->name, "stmt_shared_atomic")) c = t;
        else free(t);
    }
    WG_CHECK(c != NULL);
    if (!c) return;
    static uint8_t direct[MAXB][512];
    WG_CHECK_EQ_INT(run_direct(c, direct), WG_OK);
    const float want[6] = {2, 1, 2, 8, 4, 8};
    for (int i = 0; i < 6; i++) {
        float v;
        memcpy(&v, direct[2] + 4 * i, 4);
        WG_CHECK(v == want[i]);
    }
    free(c);
}
