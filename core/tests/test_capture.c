/* Capture and replay (graph/capture.c): a traced function's work replayed over new inputs gives
 * what recording it op by op gives, with the same kernels; what a template cannot hold makes the
 * trace uncapturable; a replay over mismatched inputs asks for a new trace; an allocation-fault
 * sweep over trace and replay. */
#include "wgtest.h"
#include "base/base.h"
#include "base/context.h"
#include "graph/graph.h"

#include <string.h>

static wg_array *f32(wg_context *ctx, int n, const float *v) {
    int64_t shape[1] = {n};
    return wg_from_data(ctx, WG_FLOAT32, 1, shape, v);
}

static int64_t counter(wg_context *ctx, int which) {
    int64_t c[WG_NCOUNTERS];
    wg_counters(ctx, c);
    return c[which];
}

/* The function: n links of x = x * 0.5 + 1, then (x, x.sum()).  NULL on an error. */
static int fn(wg_context *ctx, wg_array *x, int n, wg_array **outs) {
    wg_array *half = wg_scalar(ctx, 0, WG_WEAK_FLOAT, 0, 0, 0.5);
    wg_array *one = wg_scalar(ctx, 0, WG_WEAK_FLOAT, 0, 0, 1.0);
    int ok = half && one;
    wg_retain(x);
    for (int i = 0; i < n && ok; i++) {
        wg_array *y = wg_binop(WG_OP_MULTIPLY, x, half);
        wg_array *z = y ? wg_binop(WG_OP_ADD, y, one) : NULL;
        wg_release(y);
        wg_release(x);
        x = z;
        ok = x != NULL;
    }
    outs[0] = x;
    outs[1] = ok ? wg_reduce(ctx, WG_REDUCE_SUM, x, -1, NULL, 0, -1, 0, NULL) : NULL;
    wg_release(half);
    wg_release(one);
    if (!outs[1]) {
        wg_release(outs[0]);
        outs[0] = NULL;
        return 0;
    }
    return 1;
}

static void check_same(wg_context *ctx, wg_array **a, wg_array **b, int n) {
    float va[64], vb[64], sa, sb;
    WG_CHECK_EQ_INT(wg_read(ctx, a[0], va, 4 * n), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, b[0], vb, 4 * n), WG_OK);
    WG_CHECK(!memcmp(va, vb, 4 * (size_t)n));
    WG_CHECK_EQ_INT(wg_read(ctx, a[1], &sa, 4), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, b[1], &sb, 4), WG_OK);
    WG_CHECK(!memcmp(&sa, &sb, 4));
}

WG_TEST(capture_replay_equals_op_by_op) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[40], w[40];
    for (int i = 0; i < 40; i++) v[i] = (float)i * 0.25f, w[i] = 3.0f - (float)i;
    wg_array *x = f32(ctx, 40, v), *x2 = f32(ctx, 40, w);
    wg_array *outs[2], *want[2], *got[2];
    /* 600 links: past the cpu's fusion limit, so the trace leaves cut parts pending */
    wg_trace *t = wg_trace_begin(ctx, 1, &x);
    WG_CHECK(t != NULL && wg_tracing(ctx));
    int64_t k0 = counter(ctx, WG_COUNTER_KERNELS_LAUNCHED);
    WG_CHECK_EQ_INT(fn(ctx, x, 600, outs), 1);
    WG_CHECK_EQ_INT(counter(ctx, WG_COUNTER_KERNELS_LAUNCHED), k0); /* nothing ran */
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 2, outs), 1);
    WG_CHECK(!wg_tracing(ctx));
    WG_CHECK(wg_trace_stat(t, 0) >= 4); /* the cut pieces and the sum */
    WG_CHECK(wg_trace_stat(t, 1) > 1200);
    WG_CHECK_EQ_INT(wg_trace_stat(t, 4), 2);
    WG_CHECK_EQ_INT(fn(ctx, x, 600, want), 1);
    check_same(ctx, outs, want, 40);
    for (int r = 0; r < 3; r++) { /* the first replay keeps its lowering, the others reuse it */
        wg_array *in = r == 1 ? x2 : x;
        wg_release(want[0]);
        wg_release(want[1]);
        WG_CHECK_EQ_INT(wg_sync(ctx), WG_OK);
        int64_t before = counter(ctx, WG_COUNTER_KERNELS_LAUNCHED);
        WG_CHECK_EQ_INT(fn(ctx, in, 600, want), 1);
        float tmp[40];
        WG_CHECK_EQ_INT(wg_read(ctx, want[0], tmp, sizeof tmp), WG_OK);
        WG_CHECK_EQ_INT(wg_read(ctx, want[1], tmp, 4), WG_OK);
        int64_t op_by_op = counter(ctx, WG_COUNTER_KERNELS_LAUNCHED) - before;
        before = counter(ctx, WG_COUNTER_KERNELS_LAUNCHED);
        WG_CHECK_EQ_INT(wg_trace_replay(ctx, t, 1, &in, 2, got), WG_OK);
        WG_CHECK_EQ_INT(wg_read(ctx, got[0], tmp, sizeof tmp), WG_OK);
        WG_CHECK_EQ_INT(wg_read(ctx, got[1], tmp, 4), WG_OK);
        WG_CHECK_EQ_INT(counter(ctx, WG_COUNTER_KERNELS_LAUNCHED) - before, op_by_op);
        check_same(ctx, got, want, 40);
        if (r == 2) { /* a stub replay, then an operation that fuses its output */
            wg_release(got[0]);
            wg_release(got[1]);
            WG_CHECK_EQ_INT(wg_trace_replay(ctx, t, 1, &in, 2, got), WG_OK);
            /* the chain's write is fused by the sum's: built in full, not a stub */
            WG_CHECK(got[0]->buf->pending && got[0]->buf->pending->node->stub == NULL);
            wg_array *sq = wg_binop(WG_OP_MULTIPLY, got[0], got[0]);
            wg_array *sq2 = wg_binop(WG_OP_MULTIPLY, want[0], want[0]);
            float a[40], b[40];
            WG_CHECK_EQ_INT(wg_read(ctx, sq, a, sizeof a), WG_OK);
            WG_CHECK_EQ_INT(wg_read(ctx, sq2, b, sizeof b), WG_OK);
            WG_CHECK(!memcmp(a, b, sizeof a));
            wg_release(sq);
            wg_release(sq2);
            check_same(ctx, got, want, 40);
        }
        wg_release(got[0]);
        wg_release(got[1]);
    }
    /* another shape: the template does not apply */
    wg_array *x3 = f32(ctx, 39, v);
    WG_CHECK_EQ_INT(wg_trace_replay(ctx, t, 1, &x3, 2, got), 1);
    WG_CHECK(got[0] == NULL);
    WG_CHECK_EQ_INT(wg_trace_replay(ctx, t, 2, outs, 2, got), 1); /* another input count */
    WG_CHECK_EQ_INT(counter(ctx, WG_COUNTER_FUSE_TRACES), 1);
    WG_CHECK_EQ_INT(counter(ctx, WG_COUNTER_FUSE_REPLAYS), 4);
    wg_trace_free(ctx, t);
    for (int i = 0; i < 2; i++) {
        wg_release(outs[i]);
        wg_release(want[i]);
    }
    wg_release(x);
    wg_release(x2);
    wg_release(x3);
    wg_context_free(ctx);
}

/* Later operations fuse onto a replay's outputs, and a pending input is read from memory. */
WG_TEST(capture_replay_outputs_fuse_onward) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[8];
    wg_array *x = f32(ctx, 8, v), *outs[2];
    wg_trace *t = wg_trace_begin(ctx, 1, &x);
    WG_CHECK_EQ_INT(fn(ctx, x, 3, outs), 1);
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 2, outs), 1);
    wg_release(outs[0]);
    wg_release(outs[1]);
    wg_array *two = wg_scalar(ctx, 0, WG_WEAK_FLOAT, 0, 0, 2.0);
    wg_array *px = wg_binop(WG_OP_MULTIPLY, x, two); /* pending */
    WG_CHECK_EQ_INT(wg_sync(ctx), WG_OK);
    wg_release(px);
    px = wg_binop(WG_OP_MULTIPLY, x, two);
    WG_CHECK_EQ_INT(wg_trace_replay(ctx, t, 1, &px, 2, outs), WG_OK);
    wg_array *r = wg_binop(WG_OP_ADD, outs[0], two);
    int64_t before = counter(ctx, WG_COUNTER_KERNELS_LAUNCHED);
    WG_CHECK_EQ_INT(wg_read(ctx, r, out, sizeof out), WG_OK);
    /* px's write, then the chain with r's add fused into it */
    WG_CHECK_EQ_INT(counter(ctx, WG_COUNTER_KERNELS_LAUNCHED) - before, 2);
    for (int i = 0; i < 8; i++) {
        float e = v[i] * 2;
        for (int k = 0; k < 3; k++) e = e * 0.5f + 1;
        WG_CHECK_NEAR(out[i], e + 2, 0);
    }
    wg_release(r);
    wg_release(outs[0]);
    wg_release(outs[1]);
    wg_release(px);
    wg_release(two);
    wg_release(x);
    wg_trace_free(ctx, t);
    wg_context_free(ctx);
}

/* A replay's writes that nothing else in the template shares are stubs once their lowering is
 * kept; a load that fuses one makes its graph; the results equal op by op. */
WG_TEST(capture_stub_writes_expand_when_fused) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[16], a[16], b[16];
    for (int i = 0; i < 16; i++) v[i] = (float)i - 4.5f;
    wg_array *x = f32(ctx, 16, v), *outs[2], *got[2], *want[2];
    wg_trace *t = wg_trace_begin(ctx, 1, &x);
    WG_CHECK_EQ_INT(fn(ctx, x, 700, outs), 1); /* cut pieces: each its own write */
    wg_release(outs[1]);
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 1, outs), 1);
    WG_CHECK_EQ_INT(wg_read(ctx, outs[0], a, sizeof a), WG_OK);
    wg_release(outs[0]);
    for (int r = 0; r < 3; r++) {
        WG_CHECK_EQ_INT(wg_trace_replay(ctx, t, 1, &x, 1, got), WG_OK);
        int stub = got[0]->buf->pending && got[0]->buf->pending->node->stub != NULL;
        WG_CHECK_EQ_INT(stub, r > 0); /* the first replay keeps the lowering */
        wg_array *y = r == 2 ? wg_binop(WG_OP_MULTIPLY, got[0], got[0]) : got[0];
        if (r == 2) WG_CHECK(got[0]->buf->pending && !got[0]->buf->pending->node->stub);
        WG_CHECK_EQ_INT(fn(ctx, x, 700, want), 1);
        wg_array *wy = r == 2 ? wg_binop(WG_OP_MULTIPLY, want[0], want[0]) : want[0];
        WG_CHECK_EQ_INT(wg_read(ctx, y, a, sizeof a), WG_OK);
        WG_CHECK_EQ_INT(wg_read(ctx, wy, b, sizeof b), WG_OK);
        WG_CHECK(!memcmp(a, b, sizeof a));
        if (r == 2) {
            wg_release(y);
            wg_release(wy);
        }
        wg_release(got[0]);
        wg_release(want[0]);
        wg_release(want[1]);
    }
    /* a template freed while a stub is pending stays until the stub goes */
    WG_CHECK_EQ_INT(wg_trace_replay(ctx, t, 1, &x, 1, got), WG_OK);
    wg_trace_free(ctx, t);
    WG_CHECK_EQ_INT(wg_read(ctx, got[0], a, sizeof a), WG_OK);
    WG_CHECK_EQ_INT(fn(ctx, x, 700, want), 1);
    WG_CHECK_EQ_INT(wg_read(ctx, want[0], b, sizeof b), WG_OK);
    WG_CHECK(!memcmp(a, b, sizeof a));
    wg_release(got[0]);
    wg_release(want[0]);
    wg_release(want[1]);
    wg_release(x);
    wg_context_free(ctx);
}

static int64_t eager(wg_context *ctx) { return counter(ctx, WG_COUNTER_FUSE_EAGER); }

WG_TEST(capture_uncapturable) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[4] = {1, 2, 3, 4}, out[4];
    wg_array *x = f32(ctx, 4, v), *one = wg_scalar(ctx, 0, WG_WEAK_FLOAT, 0, 0, 1.0);
    /* a read during the trace */
    wg_trace *t = wg_trace_begin(ctx, 1, &x);
    wg_array *y = wg_binop(WG_OP_ADD, x, one);
    WG_CHECK_EQ_INT(wg_read(ctx, y, out, sizeof out), WG_OK);
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 1, &y), 0);
    WG_CHECK(strstr(wg_trace_reason(t), "read") != NULL);
    WG_CHECK_EQ_INT(eager(ctx), 1);
    WG_CHECK_EQ_INT(wg_trace_replay(ctx, t, 1, &x, 1, &y) < 0, 1);
    wg_clear_error(ctx);
    wg_trace_free(ctx, t);
    wg_release(y);
    /* a write into an input */
    t = wg_trace_begin(ctx, 1, &x);
    WG_CHECK(wg_binop_into(WG_OP_ADD, x, one, x) != NULL);
    wg_release(x);
    y = wg_binop(WG_OP_ADD, x, one);
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 1, &y), 0);
    WG_CHECK(strstr(wg_trace_reason(t), "write into an array from before") != NULL);
    wg_trace_free(ctx, t);
    wg_release(y);
    /* an output that is an input is a view of it; a scalar output (no buffer) cannot be
     * captured; nor an upload */
    t = wg_trace_begin(ctx, 1, &x);
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 1, &x), 1);
    WG_CHECK_EQ_INT(wg_trace_replay(ctx, t, 1, &one, 1, &y), 1); /* another input kind */
    WG_CHECK_EQ_INT(wg_trace_replay(ctx, t, 1, &x, 1, &y), WG_OK);
    WG_CHECK(y != x && y->buf == x->buf);
    wg_release(y);
    wg_trace_free(ctx, t);
    t = wg_trace_begin(ctx, 1, &x);
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 1, &one), 0);
    WG_CHECK(strstr(wg_trace_reason(t), "buffer") != NULL);
    wg_trace_free(ctx, t);
    t = wg_trace_begin(ctx, 1, &x);
    y = f32(ctx, 4, v);
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 1, &y), 0);
    WG_CHECK(strstr(wg_trace_reason(t), "upload") != NULL);
    wg_trace_free(ctx, t);
    wg_release(y);
    /* an intermediate that escapes (alive, written, neither returned nor read) */
    t = wg_trace_begin(ctx, 1, &x);
    wg_array *esc = wg_binop(WG_OP_MULTIPLY, x, one);
    y = wg_binop(WG_OP_ADD, x, one);
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 1, &y), 0);
    WG_CHECK(strstr(wg_trace_reason(t), "outlives") != NULL);
    wg_trace_free(ctx, t);
    /* one trace at a time; a trace freed while under way ends it */
    t = wg_trace_begin(ctx, 1, &x);
    WG_CHECK(wg_trace_begin(ctx, 1, &x) == NULL);
    wg_clear_error(ctx);
    wg_trace_free(ctx, t);
    WG_CHECK(!wg_tracing(ctx));
    WG_CHECK_EQ_INT(eager(ctx), 5);
    WG_CHECK_EQ_INT(wg_read(ctx, esc, out, sizeof out), WG_OK);
    for (int i = 0; i < 4; i++) WG_CHECK_NEAR(out[i], v[i] + 1, 0);
    wg_release(esc);
    wg_release(y);
    wg_release(one);
    wg_release(x);
    wg_context_free(ctx);
}

/* -1: a leak or a wrong value; 0: an allocation failed (reported); 1: clean. */
static int fault_scenario(void) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    if (!ctx) return 0;
    float v[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[8];
    int res = 1;
    wg_array *x = f32(ctx, 8, v), *outs[2] = {NULL, NULL}, *got[2] = {NULL, NULL};
    wg_trace *t = x ? wg_trace_begin(ctx, 1, &x) : NULL;
    if (!t) { res = 0; goto done; }
    int ok = fn(ctx, x, 300, outs);
    int r = wg_trace_end(ctx, t, ok ? 2 : 0, outs);
    if (!ok || r != 1) { res = 0; goto done; }
    if (wg_trace_replay(ctx, t, 1, &x, 2, got) != WG_OK) { res = 0; goto done; }
    if (wg_read(ctx, got[0], out, sizeof out) != WG_OK) { res = 0; goto done; }
    for (int i = 0; i < 8; i++) {
        float e = v[i];
        for (int k = 0; k < 300; k++) e = e * 0.5f + 1;
        if (out[i] != e) res = -1;
    }
    /* a second replay: its writes are stubs (the first kept their lowering); an operation that
     * fuses the output makes its graph (wgG_expand) */
    wg_release(got[0]);
    wg_release(got[1]);
    got[0] = got[1] = NULL;
    if (wg_trace_replay(ctx, t, 1, &x, 2, got) != WG_OK) { res = 0; goto done; }
    wg_array *z = wg_binop(WG_OP_MULTIPLY, got[0], got[0]);
    if (!z) { res = 0; goto done; }
    int rs = wg_read(ctx, z, out, sizeof out);
    wg_release(z);
    if (rs != WG_OK) { res = 0; goto done; }
    for (int i = 0; i < 8 && res == 1; i++) {
        float e = v[i];
        for (int k = 0; k < 300; k++) e = e * 0.5f + 1;
        if (out[i] != e * e) res = -1;
    }
done:
    wg_trace_free(ctx, t);
    for (int i = 0; i < 2; i++) {
        wg_release(outs[i]);
        wg_release(got[i]);
    }
    wg_release(x);
    wg_context_free(ctx);
    return res;
}

WG_TEST(capture_allocation_fault_sweep) {
    WG_CHECK_EQ_INT(fault_scenario(), 1);
    int n, clean = 0;
    for (n = 0; n < 20000 && !clean; n++) {
        wgB_fail_after(n);
        int r = fault_scenario();
        WG_CHECK(r != -1);
        clean = r == 1;
        wgB_fail_after(-1);
    }
    WG_CHECK(clean);
}

/* wg_trace_known: a template may read the outside arrays the caller declared (and their views),
 * and no other; without the call every outside array is allowed (the C API's default). */
WG_TEST(capture_known_outside_arrays) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[4] = {1, 2, 3, 4}, out[4];
    wg_array *x = f32(ctx, 4, v), *w = f32(ctx, 4, v), *u = f32(ctx, 4, v);
    WG_CHECK_EQ_INT(wg_sync(ctx), WG_OK); /* the uploads ran before the traces */
    /* declared: captured, and a replay reads w as it is then */
    wg_trace *t = wg_trace_begin(ctx, 1, &x);
    wg_array *y = wg_binop(WG_OP_ADD, x, w);
    WG_CHECK_EQ_INT(wg_trace_known(ctx, t, 1, &w), 0);
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 1, &y), 1);
    WG_CHECK_EQ_INT(wg_trace_stat(t, 2), 1);
    wg_release(y);
    WG_CHECK_EQ_INT(wg_trace_replay(ctx, t, 1, &x, 1, &y), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, y, out, sizeof out), WG_OK);
    WG_CHECK(out[0] == 2 && out[3] == 8);
    wg_release(y);
    wg_trace_free(ctx, t);
    /* another outside array than the declared one: uncapturable, and said why */
    t = wg_trace_begin(ctx, 1, &x);
    y = wg_binop(WG_OP_ADD, x, u);
    WG_CHECK_EQ_INT(wg_trace_known(ctx, t, 1, &w), 0);
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 1, &y), 0);
    WG_CHECK(strstr(wg_trace_reason(t), "attribute") != NULL);
    wg_trace_free(ctx, t);
    wg_release(y);
    /* none declared (n = 0) refuses every outside array; not called allows them */
    t = wg_trace_begin(ctx, 1, &x);
    y = wg_binop(WG_OP_ADD, x, w);
    WG_CHECK_EQ_INT(wg_trace_known(ctx, t, 0, NULL), 0);
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 1, &y), 0);
    wg_trace_free(ctx, t);
    wg_release(y);
    t = wg_trace_begin(ctx, 1, &x);
    y = wg_binop(WG_OP_ADD, x, u);
    WG_CHECK_EQ_INT(wg_trace_end(ctx, t, 1, &y), 1);
    wg_trace_free(ctx, t);
    wg_release(y);
    /* not the trace under way */
    WG_CHECK(wg_trace_known(ctx, NULL, 0, NULL) < 0);
    wg_clear_error(ctx);
    wg_release(x);
    wg_release(w);
    wg_release(u);
    wg_context_free(ctx);
}
