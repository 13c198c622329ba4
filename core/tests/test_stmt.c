/*
 * Statement kernels (ir.h) on the cpu executor (exec/cpu_stmt.c) and their structural checks
 * (ir.c): loops with break and continue, if/else, early return, locals, raw gathers, scatters,
 * atomic adds and the flat point index, each at several block sizes (1 = one point at a time,
 * 7 = blocks that split divergent lanes, 1024), against values computed here in plain C.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wgtest.h"
#include "../src/base/context.h"
#include "../src/exec/cpu_internal.h"
#include "../src/array/array.h"

#define I(op, dt, arg, s0, s1) \
    ((wg_inst){(uint8_t)(WG_OP_##op), (uint8_t)(dt), (uint16_t)(arg), {(uint16_t)(s0), (uint16_t)(s1), 0}})
#define S(op) I(op, 0, 0, 0, 0)

static wg_context *sctx(void) {
    static wg_context ctx;
    memset(&ctx, 0, sizeof ctx);
    return &ctx;
}

typedef struct {
    wg_kernel_ir k;
    wg_kernel_args a;
    wg_buffer b[WG_KMAX_IO * 2];
} skern;

static void sbuf(wg_buffer *b, void *p, int64_t nbytes) {
    memset(b, 0, sizeof *b);
    b->host = p;
    b->nbytes = nbytes;
    b->allocated = 1;
}

/* n points, 1-D; inputs/outputs contiguous over the points unless raw (then nelem[] elements). */
static void kinit(skern *t, const wg_inst *prog, int ninst, int64_t n) {
    memset(t, 0, sizeof *t);
    t->k.kind = WG_K_ELEMENTWISE;
    t->k.stmt = 1;
    t->k.ndim = 1;
    t->k.inst = (wg_inst *)prog;
    t->k.ninst = ninst;
    t->a.shape[0] = n;
}
static void kin(skern *t, int dt, void *p, int raw, int64_t nelem) {
    int j = t->k.ninputs++;
    t->k.input_dtype[j] = (uint8_t)dt;
    t->k.input_raw[j] = (uint8_t)raw;
    sbuf(&t->b[j], p, nelem * wgD_itemsize(dt));
    t->a.in[j].buf = &t->b[j];
    t->a.in[j].strides[0] = raw ? 0 : 1;
}
static void kout(skern *t, int dt, void *p, int var, int64_t nelem) {
    int j = t->k.noutputs++;
    t->k.output_dtype[j] = (uint8_t)dt;
    t->k.output_raw[j] = var < 0;
    t->k.out_var[j] = (int16_t)var;
    sbuf(&t->b[WG_KMAX_IO + j], p, nelem * wgD_itemsize(dt));
    t->a.out[j].buf = &t->b[WG_KMAX_IO + j];
    t->a.out[j].strides[0] = var < 0 ? 0 : 1;
}
static void kvar(skern *t, int dt) { t->k.var_dtype[t->k.nvars++] = (uint8_t)dt; }

static const int blocks[] = {1, 7, 1024};

/* Collatz steps: c = 0; loop { if (x == 1) break; x = x%2 ? 3x+1 : x/2; c++ } — a while loop with a
 * data-dependent trip count and break (lanes leave at different iterations). */
WG_TEST(stmt_loop_break) {
    enum { N = 50 };
    int32_t x[N], out[N], want[N];
    for (int t = 0; t < N; t++) {
        x[t] = t + 1;
        int32_t v = x[t], c = 0;
        while (v != 1) {
            v = v % 2 ? 3 * v + 1 : v / 2;
            c++;
        }
        want[t] = c;
    }
    const wg_inst p[] = {
        I(LOAD, WG_INT32, 0, 0, 0),        /* 0 x */
        I(SET, 0, 0, 0, 0),                /* 1 v = x */
        S(LOOP),                           /* 2 */
        I(GET, WG_INT32, 0, 0, 0),         /* 3 v */
        I(PARAM, WG_INT32, 0, 0, 0),       /* 4 1 */
        I(EQUAL, WG_BOOL, 0, 3, 4),        /* 5 v == 1 */
        I(IF, 0, 0, 5, 0),                 /* 6 */
        S(BREAK),                          /* 7 */
        S(END),                            /* 8 */
        I(PARAM, WG_INT32, 1, 0, 0),       /* 9 2 */
        I(REMAINDER, WG_INT32, 0, 3, 9),   /* 10 v % 2 */
        I(CAST, WG_BOOL, 0, 10, 0),        /* 11 */
        I(PARAM, WG_INT32, 2, 0, 0),       /* 12 3 */
        I(MULTIPLY, WG_INT32, 0, 3, 12),   /* 13 */
        I(ADD, WG_INT32, 0, 13, 4),        /* 14 3v+1 */
        I(FLOOR_DIVIDE, WG_INT32, 0, 3, 9),/* 15 v/2 */
        I(WHERE, WG_INT32, 0, 11, 14),     /* 16 (src2 set below) */
        I(SET, 0, 0, 16, 0),               /* 17 */
        I(GET, WG_INT32, 1, 0, 0),         /* 18 c */
        I(ADD, WG_INT32, 0, 18, 4),        /* 19 */
        I(SET, 0, 1, 19, 0),               /* 20 */
        S(END),                            /* 21 */
    };
    wg_inst q[sizeof p / sizeof p[0]];
    memcpy(q, p, sizeof p);
    q[16].src[2] = 15;
    for (size_t bi = 0; bi < sizeof blocks / sizeof blocks[0]; bi++) {
        skern t;
        kinit(&t, q, (int)(sizeof q / sizeof q[0]), N);
        kin(&t, WG_INT32, x, 0, N);
        kvar(&t, WG_INT32);
        kvar(&t, WG_INT32);
        kout(&t, WG_INT32, out, 1, N);
        t.k.nparams = 3;
        for (int j = 0; j < 3; j++) t.k.param_dtype[j] = WG_INT32;
        t.a.params[0].i = 1;
        t.a.params[1].i = 2;
        t.a.params[2].i = 3;
        memset(out, 0x55, sizeof out);
        wgX_set_stmt_block(blocks[bi]);
        WG_CHECK_EQ_INT(wgX_cpu_run(sctx(), &t.k, &t.a), WG_OK);
        for (int i = 0; i < N; i++) WG_CHECK_EQ_INT(out[i], want[i]);
    }
    wgX_set_stmt_block(WGX_BLK);
}

/* for (j = 0; j < x; j++) { if (j % 3 == 0) continue; s += j; } — CONTINUE goes to the step;
 * then if (s > 20) return with s, else s = -s: RETURN keeps the output's value so far. */
WG_TEST(stmt_continue_return_else) {
    enum { N = 13 };
    int32_t x[N], out[N], want[N];
    for (int t = 0; t < N; t++) {
        x[t] = t;
        int32_t s = 0;
        for (int j = 0; j < x[t]; j++) {
            if (j % 3 == 0) continue;
            s += j;
        }
        want[t] = s > 20 ? s : (s % 2 ? 1000 + s : -s);
    }
    const wg_inst p[] = {
        I(LOAD, WG_INT32, 0, 0, 0),        /* 0 x */
        I(PARAM, WG_INT32, 0, 0, 0),       /* 1 0 */
        I(PARAM, WG_INT32, 1, 0, 0),       /* 2 1 */
        I(PARAM, WG_INT32, 2, 0, 0),       /* 3 3 */
        S(LOOP),                           /* 4 */
        I(GET, WG_INT32, 0, 0, 0),         /* 5 j */
        I(GREATER_EQUAL, WG_BOOL, 0, 5, 0),/* 6 j >= x */
        I(IF, 0, 0, 6, 0),                 /* 7 */
        S(BREAK),                          /* 8 */
        S(END),                            /* 9 */
        I(REMAINDER, WG_INT32, 0, 5, 3),   /* 10 j % 3 */
        I(EQUAL, WG_BOOL, 0, 10, 1),       /* 11 */
        I(IF, 0, 0, 11, 0),                /* 12 */
        S(CONTINUE),                       /* 13 */
        S(END),                            /* 14 */
        I(GET, WG_INT32, 1, 0, 0),         /* 15 s */
        I(ADD, WG_INT32, 0, 15, 5),        /* 16 */
        I(SET, 0, 1, 16, 0),               /* 17 s += j */
        S(CONTINUING),                     /* 18 */
        I(GET, WG_INT32, 0, 0, 0),         /* 19 */
        I(ADD, WG_INT32, 0, 19, 2),        /* 20 */
        I(SET, 0, 0, 20, 0),               /* 21 j++ */
        S(END),                            /* 22 */
        I(GET, WG_INT32, 1, 0, 0),         /* 23 s */
        I(PARAM, WG_INT32, 3, 0, 0),       /* 24 20 */
        I(GREATER, WG_BOOL, 0, 23, 24),    /* 25 */
        I(SET, 0, 2, 23, 0),               /* 26 out = s */
        I(IF, 0, 0, 25, 0),                /* 27 */
        S(RETURN),                         /* 28 */
        S(ELSE),                           /* 29 */
        I(NEGATIVE, WG_INT32, 0, 23, 0),   /* 30 */
        I(SET, 0, 2, 30, 0),               /* 31 out = -s */
        S(END),                            /* 32 */
        I(BITWISE_AND, WG_INT32, 0, 23, 1),/* 33 (src1 set below: s & 1) */
        I(CAST, WG_BOOL, 0, 33, 0),        /* 34 */
        I(IF, 0, 0, 34, 0),                /* 35 */
        I(PARAM, WG_INT32, 4, 0, 0),       /* 36 1000 */
        I(ADD, WG_INT32, 0, 36, 23),       /* 37 */
        I(SET, 0, 2, 37, 0),               /* 38 */
        S(END),                            /* 39 */
    };
    wg_inst q[sizeof p / sizeof p[0]];
    memcpy(q, p, sizeof p);
    q[33].src[1] = 2;
    q[11].src[1] = 1;
    for (size_t bi = 0; bi < sizeof blocks / sizeof blocks[0]; bi++) {
        skern t;
        kinit(&t, q, (int)(sizeof q / sizeof q[0]), N);
        kin(&t, WG_INT32, x, 0, N);
        for (int v = 0; v < 3; v++) kvar(&t, WG_INT32);
        kout(&t, WG_INT32, out, 2, N);
        t.k.nparams = 5;
        int64_t pv[5] = {0, 1, 3, 20, 1000};
        for (int j = 0; j < 5; j++) {
            t.k.param_dtype[j] = WG_INT32;
            t.a.params[j].i = pv[j];
        }
        wgX_set_stmt_block(blocks[bi]);
        WG_CHECK_EQ_INT(wgX_cpu_run(sctx(), &t.k, &t.a), WG_OK);
        for (int i = 0; i < N; i++) WG_CHECK_EQ_INT(out[i], want[i]);
    }
    wgX_set_stmt_block(WGX_BLK);
}

/* Raw access: out[i] = table[idx[i]] (out of range reads 0); scatter[idx[i]] = i (STORE_AT,
 * out of range not written); hist: atomicAdd(&hist[idx[i] % 4], 1.5f) and the int count. */
WG_TEST(stmt_raw_gather_scatter_atomic) {
    enum { N = 9, T = 5 };
    float table[T] = {10, 11, 12, 13, 14};
    int32_t idx[N] = {0, 4, 2, 7, -1, 3, 3, 1, 4};
    float out[N], hist[4];
    int64_t scatter[T], count[4];
    const wg_inst p[] = {
        I(LOAD, WG_INT32, 0, 0, 0),          /* 0 idx[i] (non-raw: at the point) */
        I(LOAD_AT, WG_FLOAT32, 1, 0, 0),     /* 1 table[idx] */
        I(SET, 0, 0, 1, 0),                  /* 2 out = */
        I(LINEAR, WG_INT64, 0, 0, 0),        /* 3 i */
        I(STORE_AT, 0, 1, 0, 3),             /* 4 scatter[idx] = i */
        I(PARAM, WG_INT32, 0, 0, 0),         /* 5 4 */
        I(REMAINDER, WG_INT32, 0, 0, 5),     /* 6 idx % 4 (NumPy: non-negative) */
        I(PARAM, WG_FLOAT32, 1, 0, 0),       /* 7 1.5 */
        I(ATOMIC_ADD, WG_FLOAT32, 2, 6, 7),  /* 8 */
        I(PARAM, WG_INT64, 2, 0, 0),         /* 9 1 */
        I(ATOMIC_ADD, WG_INT64, 3, 6, 9),    /* 10 */
    };
    for (size_t bi = 0; bi < sizeof blocks / sizeof blocks[0]; bi++) {
        skern t;
        kinit(&t, p, (int)(sizeof p / sizeof p[0]), N);
        kin(&t, WG_INT32, idx, 0, N);
        kin(&t, WG_FLOAT32, table, 1, T);
        kvar(&t, WG_FLOAT32);
        kout(&t, WG_FLOAT32, out, 0, N);
        kout(&t, WG_INT64, scatter, -1, T);
        kout(&t, WG_FLOAT32, hist, -1, 4);
        kout(&t, WG_INT64, count, -1, 4);
        t.k.nparams = 3;
        t.k.param_dtype[0] = WG_INT32;
        t.k.param_dtype[1] = WG_FLOAT32;
        t.k.param_dtype[2] = WG_INT64;
        t.a.params[0].i = 4;
        t.a.params[1].f = 1.5;
        t.a.params[2].i = 1;
        for (int j = 0; j < T; j++) scatter[j] = -9;
        memset(hist, 0, sizeof hist);
        memset(count, 0, sizeof count);
        wgX_set_stmt_block(blocks[bi]);
        WG_CHECK_EQ_INT(wgX_cpu_run(sctx(), &t.k, &t.a), WG_OK);
        for (int i = 0; i < N; i++) {
            float w = idx[i] >= 0 && idx[i] < T ? table[idx[i]] : 0.0f;
            WG_CHECK_NEAR(out[i], w, 0);
        }
        /* the last point writing an element wins (points in order) */
        int64_t ws[T] = {0, 7, 2, 6, 8};
        for (int j = 0; j < T; j++) WG_CHECK_EQ_INT(scatter[j], ws[j]);
        int64_t wc[4] = {2, 1, 1, 5}; /* idx%4: 0,0,2,3,3,3,3,1,0 -> -1%4 = 3 */
        wc[0] = 3; wc[3] = 4;
        for (int j = 0; j < 4; j++) {
            WG_CHECK_EQ_INT(count[j], wc[j]);
            WG_CHECK_NEAR(hist[j], 1.5 * (double)wc[j], 0);
        }
    }
    wgX_set_stmt_block(WGX_BLK);
}

/* RawKernel's atomics: atomicMax/atomicMin on int32 and float32 raw outputs; atomicCAS(&c[0], 0,
 * i + 1): the first point in order wins, the others see its value as the old one. */
WG_TEST(stmt_atomic_max_min_cas) {
    enum { N = 9 };
    int32_t x[N] = {5, -3, 17, 2, 9, -8, 4, 17, 0};
    int32_t mm[2], c[1], old[N];
    float fm[2];
    wg_inst p[] = {
        I(LOAD, WG_INT32, 0, 0, 0),          /* 0 x */
        I(PARAM, WG_INT32, 0, 0, 0),         /* 1 0 */
        I(PARAM, WG_INT32, 1, 0, 0),         /* 2 1 */
        I(ATOMIC_MAX, WG_INT32, 0, 1, 0),    /* 3 mm[0] = max(mm[0], x) */
        I(ATOMIC_MIN, WG_INT32, 0, 2, 0),    /* 4 mm[1] = min(mm[1], x) */
        I(CAST, WG_FLOAT32, 0, 0, 0),        /* 5 float(x) */
        I(ATOMIC_MAX, WG_FLOAT32, 1, 1, 5),  /* 6 */
        I(ATOMIC_MIN, WG_FLOAT32, 1, 2, 5),  /* 7 */
        I(LINEAR, WG_INT32, 0, 0, 0),        /* 8 i */
        I(ADD, WG_INT32, 0, 8, 2),           /* 9 i + 1 */
        I(ATOMIC_CAS, WG_INT32, 2, 1, 1),    /* 10 CAS(c[0], 0, i + 1) */
        I(SET, 0, 0, 10, 0),                 /* 11 old = */
    };
    p[10].src[2] = 9;
    for (size_t bi = 0; bi < sizeof blocks / sizeof blocks[0]; bi++) {
        skern t;
        kinit(&t, p, (int)(sizeof p / sizeof p[0]), N);
        kin(&t, WG_INT32, x, 0, N);
        kvar(&t, WG_INT32);
        kout(&t, WG_INT32, mm, -1, 2);
        kout(&t, WG_FLOAT32, fm, -1, 2);
        kout(&t, WG_INT32, c, -1, 1);
        kout(&t, WG_INT32, old, 0, N);
        t.k.nparams = 2;
        t.k.param_dtype[0] = t.k.param_dtype[1] = WG_INT32;
        t.a.params[0].i = 0;
        t.a.params[1].i = 1;
        mm[0] = -100, mm[1] = 100, fm[0] = -100, fm[1] = 100, c[0] = 0;
        wgX_set_stmt_block(blocks[bi]);
        wg_context *c0 = sctx();
        int rc = wgX_cpu_run(c0, &t.k, &t.a);
        if (rc) fprintf(stderr, "%s\n", wg_last_error(c0));
        WG_CHECK_EQ_INT(rc, WG_OK);
        WG_CHECK_EQ_INT(mm[0], 17);
        WG_CHECK_EQ_INT(mm[1], -8);
        WG_CHECK_NEAR(fm[0], 17, 0);
        WG_CHECK_NEAR(fm[1], -8, 0);
        WG_CHECK_EQ_INT(c[0], 1);
        for (int i = 0; i < N; i++) WG_CHECK_EQ_INT(old[i], i == 0 ? 0 : 1);
    }
    wgX_set_stmt_block(WGX_BLK);
}

/* LINEAR over a 2-D launch follows C order whatever the output's strides. */
WG_TEST(stmt_linear_2d) {
    int32_t out[12];
    const wg_inst p[] = {I(LINEAR, WG_INT32, 0, 0, 0), I(SET, 0, 0, 0, 0)};
    skern t;
    kinit(&t, p, 2, 0);
    t.k.ndim = 2;
    t.a.shape[0] = 3;
    t.a.shape[1] = 4;
    kvar(&t, WG_INT32);
    kout(&t, WG_INT32, out, 0, 12);
    t.a.out[0].strides[0] = 1; /* a transposed (F-order) output */
    t.a.out[0].strides[1] = 3;
    WG_CHECK_EQ_INT(wgX_cpu_run(sctx(), &t.k, &t.a), WG_OK);
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < 4; c++) WG_CHECK_EQ_INT(out[r + 3 * c], r * 4 + c);
}

/* The structural checks refuse malformed programs with a message, never run them. */
WG_TEST(stmt_check_rejects) {
    wg_context *c = sctx();
    int32_t o[1];
    struct { wg_inst p[6]; int n; const char *why; } bad[] = {
        {{S(LOOP), S(BREAK)}, 2, "left open"},
        {{S(END)}, 1, "END without"},
        {{S(BREAK)}, 1, "outside a loop"},
        {{S(ELSE)}, 1, "ELSE without"},
        {{I(PARAM, WG_BOOL, 0, 0, 0), I(IF, 0, 0, 0, 0), I(PARAM, WG_INT32, 1, 0, 0), S(END),
          I(SET, 0, 0, 2, 0)}, 5, "out of scope"},
        {{S(LOOP), S(CONTINUING), S(BREAK), S(END)}, 4, "outside a loop body"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        skern t;
        kinit(&t, bad[i].p, bad[i].n, 1);
        kvar(&t, WG_INT32);
        kout(&t, WG_INT32, o, 0, 1);
        t.k.nparams = 2;
        t.k.param_dtype[0] = WG_BOOL;
        t.k.param_dtype[1] = WG_INT32;
        c->status = 0;
        c->message[0] = 0;
        WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), WG_ERR_INTERNAL);
        if (!strstr(c->message, bad[i].why)) wgt_fail(__FILE__, __LINE__, "%zu: %s", i, c->message);
    }
}

/* A workgroup kernel (wg_block = 4; ir.h) on cpu: each point writes its value to a raw scratch,
 * BARRIER, then reads its neighbour's (LINEAR ^ 1): exact when the executor's block holds whole
 * workgroups (lanes in lock step; BARRIER is a no-op).  The checks refuse bad workgroup sizes. */
WG_TEST(stmt_barrier_workgroup) {
    enum { N = 12 };
    int32_t x[N], scratch[N], out[N];
    for (int i = 0; i < N; i++) x[i] = 10 * i + 3;
    const wg_inst p[] = {
        I(LOAD, WG_INT32, 0, 0, 0),        /* 0 x */
        I(LINEAR, WG_INT32, 0, 0, 0),      /* 1 i */
        I(STORE_AT, 0, 0, 1, 0),           /* 2 scratch[i] = x */
        S(BARRIER),                        /* 3 */
        I(PARAM, WG_INT32, 0, 0, 0),       /* 4 1 */
        I(BITWISE_XOR, WG_INT32, 0, 1, 4), /* 5 i ^ 1 */
        I(OUT_LOAD_AT, WG_INT32, 0, 5, 0), /* 6 scratch[i ^ 1] */
        I(SET, 0, 0, 6, 0),                /* 7 */
    };
    skern t;
    kinit(&t, p, (int)(sizeof p / sizeof p[0]), N);
    kin(&t, WG_INT32, x, 0, N);
    kvar(&t, WG_INT32);
    kout(&t, WG_INT32, scratch, -1, N);
    kout(&t, WG_INT32, out, 0, N);
    t.k.nparams = 1;
    t.k.param_dtype[0] = WG_INT32;
    t.a.params[0].i = 1;
    t.k.wg_block = 4;
    wg_context *c = sctx();
    int rc = wgX_cpu_run(c, &t.k, &t.a);
    if (rc) fprintf(stderr, "%s\n", wg_last_error(c));
    WG_CHECK_EQ_INT(rc, WG_OK);
    for (int i = 0; i < N; i++) WG_CHECK_EQ_INT(out[i], x[i ^ 1]);
    char dump[2048];
    wgI_dump(&t.k, dump, sizeof dump);
    WG_CHECK(strstr(dump, "  workgroup 4\n") != NULL);
    WG_CHECK(strstr(dump, "= barrier") != NULL);
    uint64_t h4 = wgI_hash(&t.k);
    t.k.wg_block = 8;
    WG_CHECK(wgI_hash(&t.k) != h4);
    t.k.wg_block = 1025;
    c->status = 0;
    c->message[0] = 0;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), WG_ERR_INTERNAL);
    WG_CHECK(strstr(c->message, "workgroup of 1025 points") != NULL);
}
