/* The lazy graph through the public API: ordering rules, fusion, cuts, kernel reuse, and an
 * allocation-fault sweep (every allocation of a scenario is made to fail once). */
#include "wgtest.h"
#include "base/context.h"
#include "graph/graph.h"

#include <string.h>

static wg_array *f32(wg_context *ctx, int n, const float *v) {
    int64_t shape[1] = {n};
    return wg_from_data(ctx, WG_FLOAT32, 1, shape, v);
}

static wg_array *weak_f(wg_context *ctx, double x) {
    return wg_scalar(ctx, 0, WG_WEAK_FLOAT, 0, 0, x);
}

static int64_t kernels(wg_context *ctx) {
    int64_t c[WG_NCOUNTERS];
    wg_counters(ctx, c);
    return c[WG_COUNTER_KERNELS_LAUNCHED];
}

static void read_f32(wg_context *ctx, wg_array *a, float *out, int n) {
    WG_CHECK_EQ_INT(wg_read(ctx, a, out, (int64_t)n * 4), WG_OK);
}

WG_TEST(graph_chain_is_one_kernel) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[4] = {1, 2, 3, 4}, out[4];
    wg_array *a = f32(ctx, 4, v);
    wg_array *x = a;
    wg_retain(x);
    for (int i = 0; i < 10; i++) {
        wg_array *s = weak_f(ctx, 1.0);
        wg_array *y = wg_binary(ctx, WG_OP_ADD, x, s, NULL, -1);
        wg_release(s);
        wg_release(x);
        x = y;
    }
    wg_counters_reset(ctx);
    read_f32(ctx, x, out, 4);
    WG_CHECK_EQ_INT(kernels(ctx), 1);
    for (int i = 0; i < 4; i++) WG_CHECK_NEAR(out[i], v[i] + 10, 0);
    wg_release(x);
    wg_release(a);
    wg_context_free(ctx);
}

WG_TEST(graph_reduction_takes_its_producer) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[4] = {1, 2, 3, 4}, out;
    wg_array *a = f32(ctx, 4, v);
    wg_array *sq = wg_binary(ctx, WG_OP_MULTIPLY, a, a, NULL, -1);
    wg_array *s = wg_reduce(ctx, WG_REDUCE_SUM, sq, -1, NULL, 0, -1, 0, NULL);
    wg_counters_reset(ctx);
    read_f32(ctx, s, &out, 1);
    WG_CHECK_EQ_INT(kernels(ctx), 1);
    WG_CHECK_NEAR(out, 30, 0);
    wg_release(s);
    wg_release(sq);
    wg_release(a);
    wg_context_free(ctx);
}

/* b = a * 2; a += 1; c = a + b; a[0] = -1  — the NumPy answer for c is (a+1) + 2a */
WG_TEST(graph_write_after_read_and_inplace) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[3] = {1, 2, 3}, out[3];
    wg_array *a = f32(ctx, 3, v);
    wg_array *two = weak_f(ctx, 2), *one = weak_f(ctx, 1), *m1 = weak_f(ctx, -1);
    wg_array *b = wg_binary(ctx, WG_OP_MULTIPLY, a, two, NULL, -1);
    wg_array *r = wg_binary(ctx, WG_OP_ADD, a, one, a, -1);
    wg_release(r);
    wg_array *c = wg_binary(ctx, WG_OP_ADD, a, b, NULL, -1);
    int64_t idx[4] = {WG_IDX_INT, 0, 0, 0};
    wg_array *a0 = wg_index(ctx, a, 1, idx);
    WG_CHECK_EQ_INT(wg_assign(ctx, a0, m1), WG_OK);
    read_f32(ctx, c, out, 3);
    for (int i = 0; i < 3; i++) WG_CHECK_NEAR(out[i], (v[i] + 1) + 2 * v[i], 0);
    read_f32(ctx, a, out, 3);
    WG_CHECK_NEAR(out[0], -1, 0);
    WG_CHECK_NEAR(out[1], 3, 0);
    wg_array *all[] = {a, two, one, m1, b, c, a0};
    for (unsigned i = 0; i < sizeof all / sizeof *all; i++) wg_release(all[i]);
    wg_context_free(ctx);
}

/* np.add(a, a[::-1], out=a) must read a before writing it */
WG_TEST(graph_overlapping_out_uses_a_temporary) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[4] = {1, 2, 3, 4}, out[4];
    wg_array *a = f32(ctx, 4, v);
    int64_t rev[4] = {WG_IDX_SLICE, WG_IDX_NONE, WG_IDX_NONE, -1};
    wg_array *ra = wg_index(ctx, a, 1, rev);
    wg_array *r = wg_binary(ctx, WG_OP_ADD, a, ra, a, -1);
    read_f32(ctx, a, out, 4);
    for (int i = 0; i < 4; i++) WG_CHECK_NEAR(out[i], 5, 0);
    wg_release(r);
    wg_release(ra);
    wg_release(a);
    wg_context_free(ctx);
}

/* An unobserved intermediate is never computed; a superseded write never runs. */
WG_TEST(graph_dead_work_never_runs) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[4] = {1, 2, 3, 4}, out[4];
    wg_array *a = f32(ctx, 4, v);
    wg_array *dead = wg_binary(ctx, WG_OP_MULTIPLY, a, a, NULL, -1);
    wg_release(dead);
    wg_array *x = wg_binary(ctx, WG_OP_ADD, a, a, NULL, -1);
    wg_array *one = weak_f(ctx, 1);
    WG_CHECK_EQ_INT(wg_assign(ctx, x, one), WG_OK); /* supersedes a + a */
    wg_counters_reset(ctx);
    read_f32(ctx, x, out, 4);
    WG_CHECK_EQ_INT(kernels(ctx), 1);
    for (int i = 0; i < 4; i++) WG_CHECK_NEAR(out[i], 1, 0);
    wg_release(one);
    wg_release(x);
    wg_release(a);
    wg_context_free(ctx);
}

/* Past the fusion limit the graph is cut, results unchanged; a 2,000-op chain works. */
WG_TEST(graph_long_chain_is_cut) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[2] = {0, 1}, out[2];
    wg_array *a = f32(ctx, 2, v);
    wg_array *one = weak_f(ctx, 1);
    wg_array *x = a;
    wg_retain(x);
    for (int i = 0; i < 2000; i++) {
        wg_array *y = wg_binary(ctx, WG_OP_ADD, x, one, NULL, -1);
        wg_release(x);
        x = y;
    }
    read_f32(ctx, x, out, 2);
    WG_CHECK_NEAR(out[0], 2000, 0);
    WG_CHECK_NEAR(out[1], 2001, 0);
    int64_t c[WG_NCOUNTERS];
    wg_counters(ctx, c);
    /* the limit counts operations, not their arguments (the scalar of each link): about 256
     * links a kernel, not 128 */
    WG_CHECK(c[WG_COUNTER_KERNELS_LAUNCHED] >= 2000 / 256);
    WG_CHECK(c[WG_COUNTER_KERNELS_LAUNCHED] <= 2000 / 256 + 2);
    /* every link of the chain has the same structure: the cache compiles few kernels */
    WG_CHECK(c[WG_COUNTER_KERNEL_CACHE_MISSES] <= 3);
    wg_release(x);
    wg_release(one);
    wg_release(a);
    wg_context_free(ctx);
}

/* Lowering merges equal instructions (graph/lower.c, emit_pure): (x * x) + (x * x), from four
 * loads and two products the graph keeps apart, lowers to the IR of t + t with t = x * x shared,
 * so the second finds the first's kernel in the cache. */
WG_TEST(graph_lowering_merges_common_subexpressions) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[4] = {1, 2, 3, -4}, out[4];
    wg_array *x = f32(ctx, 4, v);
    wg_array *a = wg_binary(ctx, WG_OP_MULTIPLY, x, x, NULL, -1);
    wg_array *b = wg_binary(ctx, WG_OP_MULTIPLY, x, x, NULL, -1);
    wg_array *r = wg_binary(ctx, WG_OP_ADD, a, b, NULL, -1);
    wg_release(a);
    wg_release(b);
    read_f32(ctx, r, out, 4);
    for (int i = 0; i < 4; i++) WG_CHECK_NEAR(out[i], 2 * v[i] * v[i], 0);
    int64_t c[WG_NCOUNTERS];
    wg_counters_reset(ctx);
    wg_array *t = wg_binary(ctx, WG_OP_MULTIPLY, x, x, NULL, -1);
    wg_array *r2 = wg_binary(ctx, WG_OP_ADD, t, t, NULL, -1);
    wg_release(t);
    read_f32(ctx, r2, out, 4);
    for (int i = 0; i < 4; i++) WG_CHECK_NEAR(out[i], 2 * v[i] * v[i], 0);
    wg_counters(ctx, c);
    WG_CHECK_EQ_INT((int)c[WG_COUNTER_KERNELS_LAUNCHED], 1);
    WG_CHECK_EQ_INT((int)c[WG_COUNTER_KERNEL_CACHE_MISSES], 0);
    wg_release(r);
    wg_release(r2);
    wg_release(x);
    wg_context_free(ctx);
}

/* The adapter class moves the default limit on webgl2 and webgpu only (python/tests/
 * test_laziness.py checks those backends): the cpu backend keeps 256 under either class. */
static int64_t chain_kernels(wg_context *ctx, int links) {
    float v[2] = {0, 1}, out[2];
    wg_array *x = f32(ctx, 2, v), *one = weak_f(ctx, 1);
    wg_counters_reset(ctx);
    for (int i = 0; i < links; i++) {
        wg_array *y = wg_binary(ctx, WG_OP_ADD, x, one, NULL, -1);
        wg_release(x);
        x = y;
    }
    read_f32(ctx, x, out, 2);
    WG_CHECK_NEAR(out[1], links + 1, 0);
    wg_release(x);
    wg_release(one);
    return kernels(ctx);
}

WG_TEST(graph_adapter_class_keeps_cpu_limit) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    WG_CHECK(chain_kernels(ctx, 2000) >= 8);
    wg_set_adapter_class(ctx, 1);
    WG_CHECK(chain_kernels(ctx, 2000) >= 8);
    wg_set_fusion_limit(ctx, 1000);
    int64_t k = chain_kernels(ctx, 2000);
    WG_CHECK(k >= 2 && k <= 3);
    wg_context_free(ctx);
}

/* A node's summary (graph.h wg_nsum) says what a walk of its DAG finds: loads, parameters and
 * buffers the same, nodes the same where exact and never fewer where a bound; over chains,
 * shared sources (x * x, y + x), pending fills (leaves shared by readers) and scalars. */
static void check_summary(wg_context *ctx, wg_array *a, int nbufs) {
    wg_write *w = a->buf->pending;
    WG_CHECK(w != NULL);
    if (!w) return;
    wg_node *n = w->node;
    WG_CHECK(n->sum != NULL);
    if (!n->sum) return;
    int sn, sl, sp, wn, wl, wp;
    wg_nsum *keep = n->sum, copy = *n->sum;
    wgG_measure(ctx, n, 1 << 30, &sn, &sl, &sp);
    n->sum = NULL;
    wgG_measure(ctx, n, 1 << 30, &wn, &wl, &wp);
    n->sum = keep;
    WG_CHECK_EQ_INT(sl, wl);
    WG_CHECK_EQ_INT(sp, wp);
    if (copy.exact) WG_CHECK_EQ_INT(sn, wn);
    else WG_CHECK(sn >= wn);
    WG_CHECK_EQ_INT(w->nleaves, nbufs);
}

WG_TEST(graph_summaries_match_walks) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[3] = {1, 2, 3}, out[3];
    int64_t shape[1] = {3};
    wg_array *a = f32(ctx, 3, v), *b = f32(ctx, 3, v);
    wg_array *one = weak_f(ctx, 1), *two = weak_f(ctx, 2);
    wg_array *fill = wg_full(ctx, WG_FLOAT32, 1, shape, two); /* pending */
    wg_array *x = wg_binary(ctx, WG_OP_ADD, a, one, NULL, -1);
    for (int i = 0; i < 5; i++) {
        wg_array *y = wg_binary(ctx, i & 1 ? WG_OP_MULTIPLY : WG_OP_ADD, x, i & 1 ? two : one,
                                NULL, -1);
        wg_release(x);
        x = y;
    }
    check_summary(ctx, x, 1);
    wg_array *sq = wg_binary(ctx, WG_OP_MULTIPLY, x, x, NULL, -1); /* one source twice */
    check_summary(ctx, sq, 1);
    wg_array *m = wg_binary(ctx, WG_OP_ADD, sq, x, NULL, -1);      /* sources sharing nodes */
    check_summary(ctx, m, 1);
    wg_array *f = wg_binary(ctx, WG_OP_MULTIPLY, fill, fill, NULL, -1); /* a shared leaf */
    check_summary(ctx, f, 0);
    wg_array *g = wg_binary(ctx, WG_OP_SUBTRACT, m, b, NULL, -1);
    wg_array *h = wg_binary(ctx, WG_OP_ADD, g, f, NULL, -1);
    check_summary(ctx, h, 2);
    read_f32(ctx, h, out, 3);
    for (int i = 0; i < 3; i++) {
        float xv = ((v[i] + 2) * 2 + 1) * 2 + 1;
        WG_CHECK_NEAR(out[i], xv * xv + xv - v[i] + 4, 1e-3);
    }
    wg_array *all[] = {a, b, fill, one, two, x, sq, m, f, g, h};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) wg_release(all[i]);
    wg_context_free(ctx);
}

/* A new shape or a new scalar reuses the compiled kernel. */
WG_TEST(graph_kernel_cache_reuse) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[6] = {1, 2, 3, 4, 5, 6}, out[6];
    for (int n = 2; n <= 6; n += 2) {
        wg_array *a = f32(ctx, n, v);
        wg_array *s = weak_f(ctx, n);
        wg_array *r = wg_binary(ctx, WG_OP_MULTIPLY, a, s, NULL, -1);
        read_f32(ctx, r, out, n);
        WG_CHECK_NEAR(out[n - 1], v[n - 1] * n, 0);
        wg_release(r);
        wg_release(s);
        wg_release(a);
    }
    int64_t c[WG_NCOUNTERS];
    wg_counters(ctx, c);
    WG_CHECK_EQ_INT(c[WG_COUNTER_KERNEL_CACHE_MISSES], 1);
    WG_CHECK_EQ_INT(c[WG_COUNTER_KERNEL_CACHE_HITS], 2);
    wg_context_free(ctx);
}

/* Run ahead: a reduction or matmul at or above min_work runs when recorded (an elementwise op
 * never does); the hand-off slot is set once handoff_work is reached, and wg_stream_data clears
 * it (loopback: replaying what is pending). */
WG_TEST(graph_run_ahead) {
    wg_context *ctx = wg_context_new(WG_BACKEND_LOOPBACK);
    float v[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[8];
    int64_t *info = wg_info_block(ctx), c[WG_NCOUNTERS];
    wg_array *a = f32(ctx, 8, v);
    read_f32(ctx, a, out, 8);
    wg_set_run_ahead(ctx, 8, 20);
    wg_counters_reset(ctx);
    wg_array *s = weak_f(ctx, 2.0);
    wg_array *b = wg_binary(ctx, WG_OP_MULTIPLY, a, s, NULL, -1);
    WG_CHECK_EQ_INT(kernels(ctx), 0);                         /* elementwise: still lazy */
    wg_array *r1 = wg_reduce(ctx, WG_REDUCE_SUM, b, -1, NULL, 0, -1, 0, NULL);
    WG_CHECK_EQ_INT(kernels(ctx), 1);                         /* 8 elements: ran, fused */
    WG_CHECK_EQ_INT(info[WG_INFO_HANDOFF], 0);                /* 8 < 20 */
    int64_t two[2] = {2, 4};
    wg_array *m = wg_reshape(ctx, a, 2, two, 'C');
    wg_array *r2 = wg_reduce(ctx, WG_REDUCE_MAX, m, 1, (int64_t[]){1}, 0, -1, 0, NULL);
    WG_CHECK_EQ_INT(info[WG_INFO_HANDOFF], 0);                /* 16 < 20 */
    wg_array *r3 = wg_reduce(ctx, WG_REDUCE_MIN, a, -1, NULL, 0, -1, 0, NULL);
    WG_CHECK_EQ_INT(info[WG_INFO_HANDOFF], 1);                /* 24 >= 20 */
    wg_counters(ctx, c);
    WG_CHECK_EQ_INT(c[WG_COUNTER_OPS_RUN_AHEAD], 3);
    int64_t n = -1;
    WG_CHECK(wg_stream_data(ctx, &n) == NULL && n == 0);      /* loopback: replayed */
    WG_CHECK_EQ_INT(info[WG_INFO_HANDOFF], 0);
    wg_counters(ctx, c);
    WG_CHECK_EQ_INT(c[WG_COUNTER_HANDOFFS], 1);
    /* a small matmul (2x4 @ 4x2: 16 / 64 = 0 units) stays lazy */
    int64_t t2[2] = {4, 2};
    wg_array *mt = wg_reshape(ctx, a, 2, t2, 'C');
    wg_array *p = wg_matmul(ctx, m, mt, NULL);
    wg_counters(ctx, c);
    WG_CHECK_EQ_INT(c[WG_COUNTER_OPS_RUN_AHEAD], 3);
    read_f32(ctx, r1, out, 1);
    WG_CHECK_NEAR(out[0], 72, 0);
    read_f32(ctx, r2, out, 2);
    WG_CHECK_NEAR(out[0], 4, 0);
    WG_CHECK_NEAR(out[1], 8, 0);
    read_f32(ctx, r3, out, 1);
    WG_CHECK_NEAR(out[0], 1, 0);
    read_f32(ctx, p, out, 4);
    WG_CHECK_NEAR(out[0], 1 * 1 + 2 * 3 + 3 * 5 + 4 * 7, 0);
    /* off: nothing runs ahead */
    wg_set_run_ahead(ctx, 0, 0);
    wg_array *r4 = wg_reduce(ctx, WG_REDUCE_SUM, a, -1, NULL, 0, -1, 0, NULL);
    wg_counters(ctx, c);
    WG_CHECK_EQ_INT(c[WG_COUNTER_OPS_RUN_AHEAD], 3);
    wg_array *all[] = {s, b, r1, m, r2, r3, mt, p, r4, a};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) wg_release(all[i]);
    wg_context_free(ctx);
}

/* After an executor's error no block allocated before it is reused (its handle may be one the
 * device never made): cached blocks are released at once, live ones when freed; later blocks are
 * cached as usual. */
WG_TEST(graph_pool_forgets_blocks_after_an_executor_error) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int64_t shape[1] = {1024}, st[WG_NPOOLSTATS];
    float out[1024];
    wg_array *a = wg_empty(ctx, WG_FLOAT32, 1, shape), *b = wg_empty(ctx, WG_FLOAT32, 1, shape);
    wg_read(ctx, a, out, sizeof out);
    wg_read(ctx, b, out, sizeof out);
    wg_release(a);
    wg_pool_stats(ctx, st);
    WG_CHECK_EQ_INT(st[WG_POOL_FREE_BYTES], 4096);
    wg_executor_failed(ctx);
    wg_pool_stats(ctx, st);
    WG_CHECK_EQ_INT(st[WG_POOL_FREE_BYTES], 0);
    wg_release(b); /* taken before the error: released, not cached */
    wg_pool_stats(ctx, st);
    WG_CHECK_EQ_INT(st[WG_POOL_FREE_BYTES], 0);
    WG_CHECK_EQ_INT(st[WG_POOL_USED_BYTES], 0);
    wg_array *c = wg_empty(ctx, WG_FLOAT32, 1, shape);
    wg_read(ctx, c, out, sizeof out);
    wg_release(c); /* taken after it: cached */
    wg_pool_stats(ctx, st);
    WG_CHECK_EQ_INT(st[WG_POOL_FREE_BYTES], 4096);
    WG_CHECK_EQ_INT(st[WG_POOL_N_ALLOCS], 3);
    wg_context_free(ctx);
}

/* The pool reuses storage and honours its budget with MemoryError. */
WG_TEST(graph_pool_reuse_and_limit) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int64_t shape[1] = {1024}, st[WG_NPOOLSTATS];
    for (int i = 0; i < 5; i++) {
        wg_array *a = wg_empty(ctx, WG_FLOAT32, 1, shape);
        float out[1024];
        wg_read(ctx, a, out, sizeof out);
        wg_release(a);
    }
    wg_pool_stats(ctx, st);
    WG_CHECK_EQ_INT(st[WG_POOL_N_ALLOCS], 1);
    WG_CHECK_EQ_INT(st[WG_POOL_N_REUSED], 4);
    wg_pool_set_limit(ctx, 1000);
    wg_array *a = wg_empty(ctx, WG_FLOAT32, 1, shape);
    float out[1024];
    WG_CHECK_EQ_INT(wg_read(ctx, a, out, sizeof out), WG_ERR_MEMORY);
    WG_CHECK(strstr(wg_last_error(ctx), "out of memory") != NULL);
    wg_release(a);
    wg_context_free(ctx);
}

/* A scenario touching most of the engine, run with its n-th allocation failing, for every n
 * until it runs clean: no crash, no leak (ASan), and the failure is reported, not ignored. */
static int scenario(void) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    if (!ctx) return -1;
    float v[6] = {1, 2, 3, 4, 5, 6}, out[6];
    int64_t shape[2] = {2, 3};
    int ok = 1;
    wg_array *a = wg_from_data(ctx, WG_FLOAT32, 2, shape, v);
    wg_array *s = weak_f(ctx, 2);
    wg_array *b = a && s ? wg_binary(ctx, WG_OP_MULTIPLY, a, s, NULL, -1) : NULL;
    wg_array *t = b ? wg_transpose(ctx, b, -1, NULL) : NULL;
    wg_array *m = a && t ? wg_matmul(ctx, a, t, NULL) : NULL;
    int64_t ax = 1;
    wg_array *r = b ? wg_reduce(ctx, WG_REDUCE_VAR, b, 1, &ax, 0, -1, 0, NULL) : NULL;
    wg_array *c = r ? wg_copy(ctx, r, 'C') : NULL;
    ok = a && s && b && t && m && r && c;
    if (ok) ok = wg_read(ctx, m, out, 16) == WG_OK && wg_read(ctx, c, out, 8) == WG_OK;
    if (!ok && wg_last_status(ctx) == WG_OK) ok = -2; /* failed without saying why */
    wg_array *all[] = {a, s, b, t, m, r, c};
    for (unsigned i = 0; i < sizeof all / sizeof *all; i++) wg_release(all[i]);
    wg_context_free(ctx);
    return ok;
}

WG_TEST(graph_allocation_fault_sweep) {
    WG_CHECK_EQ_INT(scenario(), 1);
    int n, clean = 0;
    for (n = 0; n < 2000 && !clean; n++) {
        wgB_fail_after(n);
        int r = scenario();
        WG_CHECK(r != -2);
        clean = r == 1;
        wgB_fail_after(-1);
    }
    WG_CHECK(clean); /* the sweep reached a run with no failure left to inject */
}

/* The release queue (wg_set_release_queue): handles appended there are released at the next
 * elementwise operation, before it records, so a chain with every release queued fuses exactly as
 * one released at once (one kernel, the intermediates never written); a sync, counters and
 * wg_release_drain drain it; wg_binop_<name> is wg_binop(WG_OP_<NAME>). */
WG_TEST(graph_release_queue) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int64_t q[5] = {0};
    wg_set_release_queue(ctx, q, 4);
    float v[4] = {1, 2, 3, 4}, out[4];
    wg_array *a = f32(ctx, 4, v);
    wg_array *one = weak_f(ctx, 1.0);
    wg_array *x = a;
    wg_retain(x);
    int64_t c0[WG_NCOUNTERS], c1[WG_NCOUNTERS];
    wg_counters(ctx, c0);
    for (int i = 0; i < 100; i++) {
        wg_array *y = (i & 1) ? wg_binop_add(x, one) : wg_binop(WG_OP_ADD, x, one);
        WG_CHECK(y != NULL);
        WG_CHECK_EQ_INT(q[0], 0); /* the operation drained the queue first */
        q[++q[0]] = (int64_t)(intptr_t)x; /* the shell's finalizer */
        x = y;
    }
    WG_CHECK_EQ_INT(q[0], 1);
    read_f32(ctx, x, out, 4); /* the read drains too */
    WG_CHECK_EQ_INT(q[0], 0);
    for (int i = 0; i < 4; i++) WG_CHECK_NEAR(out[i], v[i] + 100, 0);
    wg_counters(ctx, c1);
    WG_CHECK_EQ_INT(c1[WG_COUNTER_KERNELS_LAUNCHED] - c0[WG_COUNTER_KERNELS_LAUNCHED], 1);
    /* a full queue's handles, then counters and an explicit drain */
    wg_array *ts[4];
    for (int i = 0; i < 4; i++) {
        ts[i] = wg_binop_multiply(x, one);
        WG_CHECK(ts[i] != NULL);
    }
    for (int i = 0; i < 4; i++) q[++q[0]] = (int64_t)(intptr_t)ts[i];
    WG_CHECK_EQ_INT(q[0], 4);
    wg_counters(ctx, c1);
    WG_CHECK_EQ_INT(q[0], 0);
    wg_array *t = wg_binop_less(x, one);
    WG_CHECK(t != NULL);
    WG_CHECK_EQ_INT(wg_info(ctx, t), WG_OK);
    WG_CHECK_EQ_INT(ctx->info[0], WG_BOOL);
    q[++q[0]] = (int64_t)(intptr_t)t;
    wg_release_drain(ctx);
    WG_CHECK_EQ_INT(q[0], 0);
    wg_set_release_queue(ctx, NULL, 0);
    wg_release(x);
    wg_release(one);
    wg_release(a);
    wg_context_free(ctx);
}

/* The operators' short forms (wg_unop, wg_binop, wg_binop_into: the context is the operand's) give
 * what wg_unary / wg_binary give, errors included; the engine's per-operation objects released by a
 * chain come back through the context's recycle lists (base.c wgB_take/wgB_give) zeroed. */
WG_TEST(graph_short_forms_and_recycling) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[4] = {1, 2, 3, 4}, out[4];
    wg_array *a = f32(ctx, 4, v);
    wg_array *one = weak_f(ctx, 1.0);
    wg_array *x = a;
    wg_retain(x);
    for (int i = 0; i < 300; i++) { /* past the fusion limit: cuts run kernels on the way */
        wg_array *y = wg_binop(WG_OP_ADD, x, one);
        WG_CHECK(y != NULL);
        wg_release(x);
        x = y;
    }
    WG_CHECK(ctx->nrecycle[WGB_RC_ARRAY] > 0 && ctx->nrecycle[WGB_RC_NODE] > 0 &&
             ctx->nrecycle[WGB_RC_WRITE] > 0 && ctx->nrecycle[WGB_RC_BUFFER] > 0);
    int before = ctx->nrecycle[WGB_RC_ARRAY];
    wg_array *n = wg_unop(WG_OP_NEGATIVE, x); /* takes a recycled array (and nodes) */
    WG_CHECK(ctx->nrecycle[WGB_RC_ARRAY] < before);
    WG_CHECK_EQ_INT(wg_info(ctx, n), WG_OK);
    WG_CHECK_EQ_INT(ctx->info[0], WG_FLOAT32);
    WG_CHECK_EQ_INT(ctx->info[1], 1);
    WG_CHECK_EQ_INT(ctx->info[4], 0); /* weak: a recycled array's fields start at zero */
    wg_array *r = wg_binop_into(WG_OP_ADD, n, one, n); /* n += 1 */
    WG_CHECK(r == n);
    wg_release(r);
    read_f32(ctx, n, out, 4);
    for (int i = 0; i < 4; i++) WG_CHECK_NEAR(out[i], -(v[i] + 300) + 1, 0);
    read_f32(ctx, x, out, 4);
    for (int i = 0; i < 4; i++) WG_CHECK_NEAR(out[i], v[i] + 300, 0);
    WG_CHECK(wg_binop(-1, x, one) == NULL); /* errors land in the operand's context */
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
    wg_clear_error(ctx);
    WG_CHECK(wg_unop(WG_OP_ADD, x) == NULL); /* a binary op with one operand */
    WG_CHECK(wg_last_status(ctx) != WG_OK);
    wg_clear_error(ctx);
    wg_release(n);
    wg_release(x);
    wg_release(one);
    wg_release(a);
    wg_context_free(ctx);
}

/* A NULL array argument (a released array's handle reaching the engine) is an error, never a
 * dereference: the operators' short forms, the ufunc forms, basic indexing, reductions, reads.
 * The short forms with no other operand have no context to hold an error: NULL alone. */
WG_TEST(graph_null_arrays_are_errors) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int64_t shape[1] = {4}, item[4] = {0, 1, 0, 0};
    float out[4];
    wg_array *a = wg_empty(ctx, WG_FLOAT32, 1, shape);
    WG_CHECK(wg_binop_add(NULL, a) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
    WG_CHECK(strstr(wg_last_error(ctx), "released") != NULL);
    wg_clear_error(ctx);
    WG_CHECK(wg_binop_into(WG_OP_ADD, a, NULL, a) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
    wg_clear_error(ctx);
    WG_CHECK(wg_binop(WG_OP_ADD, NULL, NULL) == NULL);
    WG_CHECK(wg_unop(WG_OP_NEGATIVE, NULL) == NULL);
    WG_CHECK(wg_index_of(NULL, 1, item) == NULL);
    WG_CHECK(wg_reduce_of(WG_REDUCE_SUM, NULL, -1, NULL, 0) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_OK);
    WG_CHECK(wg_unary(ctx, WG_OP_NEGATIVE, NULL, NULL, -1) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
    wg_clear_error(ctx);
    WG_CHECK(wg_index(ctx, NULL, 1, item) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
    wg_clear_error(ctx);
    WG_CHECK(wg_reduce(ctx, WG_REDUCE_SUM, NULL, -1, NULL, 0, -1, 0, NULL) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
    wg_clear_error(ctx);
    WG_CHECK_EQ_INT(wg_read(ctx, NULL, out, sizeof out), WG_ERR_VALUE);
    wg_clear_error(ctx);
    /* and the context still works */
    wg_array *b = wg_binop_add(a, a);
    WG_CHECK(b != NULL);
    WG_CHECK_EQ_INT(wg_read(ctx, b, out, sizeof out), WG_OK);
    wg_release(b);
    wg_release(a);
    wg_context_free(ctx);
}
