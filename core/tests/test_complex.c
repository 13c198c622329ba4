/* Complex dtypes (api/complex.c, docs/complex.md): float-pair storage, ops composed from real
 * ones (one fused kernel each), reductions, matmul, the guard, on cpu and through the loopback
 * stream (so the JavaScript hosts' command format never sees a complex dtype).  ASan's leak
 * check covers the builder's temporaries. */
#include "wgtest.h"
#include "api/api.h"

#include <math.h>
#include <string.h>

static int close_to(float a, float b) { return fabsf(a - b) <= 1e-5f * (1 + fabsf(b)); }

static void run_basic(int backend) {
    wg_context *ctx = wg_context_new(backend);
    float v[8] = {1, 2, 3, -4, -0.5f, 0.25f, 0, 1.5f}; /* 1+2j, 3-4j, -0.5+0.25j, 1.5j */
    int64_t shape[1] = {4};
    wg_array *a = wg_from_data(ctx, WG_COMPLEX64, 1, shape, v);
    WG_CHECK(a != NULL);
    /* a * a: one kernel */
    int64_t before[WG_NCOUNTERS], after[WG_NCOUNTERS];
    wg_counters(ctx, before);
    wg_array *p = wg_binary(ctx, WG_OP_MULTIPLY, a, a, NULL, -1);
    float r[8];
    WG_CHECK_EQ_INT(wg_read(ctx, p, r, sizeof r), WG_OK);
    wg_counters(ctx, after);
    WG_CHECK_EQ_INT(after[WG_COUNTER_KERNELS_LAUNCHED] - before[WG_COUNTER_KERNELS_LAUNCHED], 1);
    for (int k = 0; k < 4; k++) {
        float x = v[2 * k], y = v[2 * k + 1];
        WG_CHECK(close_to(r[2 * k], x * x - y * y));
        WG_CHECK(close_to(r[2 * k + 1], 2 * x * y));
    }
    /* a Python complex scalar (weak) keeps complex64 */
    wg_array *s = wg_scalar_complex(ctx, 0, 1, 0.0, 1.0);
    wg_array *q = wg_binary(ctx, WG_OP_ADD, a, s, NULL, -1);
    WG_CHECK(q && q->dtype == WG_COMPLEX64);
    WG_CHECK_EQ_INT(wg_read(ctx, q, r, sizeof r), WG_OK);
    WG_CHECK(close_to(r[1], 3) && close_to(r[0], 1) && close_to(r[7], 2.5f));
    /* absolute: a real result */
    wg_array *m = wg_unary(ctx, WG_OP_ABSOLUTE, a, NULL, -1);
    WG_CHECK(m && m->dtype == WG_FLOAT32);
    float ab[4];
    WG_CHECK_EQ_INT(wg_read(ctx, m, ab, sizeof ab), WG_OK);
    WG_CHECK(close_to(ab[1], 5));
    /* sum and prod */
    wg_array *su = wg_reduce(ctx, WG_REDUCE_SUM, a, -1, NULL, 0, -1, 0, NULL);
    wg_array *pr = wg_reduce(ctx, WG_REDUCE_PROD, a, -1, NULL, 0, -1, 0, NULL);
    float sv[2], pv[2];
    WG_CHECK_EQ_INT(wg_read(ctx, su, sv, sizeof sv), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, pr, pv, sizeof pv), WG_OK);
    WG_CHECK(close_to(sv[0], 3.5f) && close_to(sv[1], -0.25f));
    /* (1+2j)(3-4j) = 11+2j; * (-0.5+0.25j) = -6+1.75j; * 1.5j = -2.625-9j */
    WG_CHECK(close_to(pv[0], -2.625f) && close_to(pv[1], -9.0f));
    /* the real/imag views write through */
    wg_array *im = wg_imag(ctx, a);
    wg_array *z = wg_scalar(ctx, WG_FLOAT32, 0, 0, 0, 7.0);
    WG_CHECK_EQ_INT(wg_assign(ctx, im, z), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, a, r, sizeof r), WG_OK);
    WG_CHECK(r[1] == 7 && r[3] == 7 && r[0] == 1 && r[2] == 3);
    /* no kernel ever carries a complex dtype: an unsupported path raises, never reads pairs */
    int64_t ax = 0;
    wg_array *mx = wg_accumulate(ctx, WG_OP_MAXIMUM, a, 0, -1, 0, 0, NULL);
    WG_CHECK(mx == NULL && wg_last_status(ctx) == WG_ERR_NOTIMPL);
    wg_clear_error(ctx);
    /* nancumsum: (1+7j), (4+14j) */
    mx = wg_accumulate(ctx, WG_OP_ADD, a, 0, -1, 0, 1, NULL);
    WG_CHECK_EQ_INT(wg_read(ctx, mx, r, sizeof r), WG_OK);
    WG_CHECK(close_to(r[2], 4) && close_to(r[3], 14));
    wg_release(mx);
    /* cumprod: (1+7j)(3+7j) = -46+28j */
    mx = wg_accumulate(ctx, WG_OP_MULTIPLY, a, 0, -1, 0, 0, NULL);
    WG_CHECK_EQ_INT(wg_read(ctx, mx, r, sizeof r), WG_OK);
    WG_CHECK(close_to(r[2], -46) && close_to(r[3], 28));
    wg_release(mx);
    /* argmax: the first position of the lexicographic maximum */
    mx = wg_reduce(ctx, WG_REDUCE_ARGMAX, a, 1, &ax, 0, -1, 0, NULL);
    int32_t am = -1;
    WG_CHECK_EQ_INT(wg_read(ctx, mx, &am, sizeof am), WG_OK);
    WG_CHECK_EQ_INT(am, 1);
    wg_release(mx);
    /* max: NumPy's lexicographic order (3+7j is the largest real part) */
    mx = wg_reduce(ctx, WG_REDUCE_MAX, a, 1, &ax, 0, -1, 0, NULL);
    float mv[2];
    WG_CHECK_EQ_INT(wg_read(ctx, mx, mv, sizeof mv), WG_OK);
    WG_CHECK(mv[0] == 3 && mv[1] == 7);
    wg_release(mx);
    wg_array *outs[] = {a, p, s, q, m, su, pr, im, z};
    for (size_t k = 0; k < sizeof outs / sizeof *outs; k++) wg_release(outs[k]);
    wg_context_free(ctx);
}

WG_TEST(complex_chain_fuses) {
    /* ((a * a) + a) * a: the parts of each pending result feed the next op: one kernel */
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float v[4] = {1, 2, -0.5f, 3};
    int64_t shape[1] = {2};
    wg_array *a = wg_from_data(ctx, WG_COMPLEX64, 1, shape, v);
    int64_t before[WG_NCOUNTERS], after[WG_NCOUNTERS];
    wg_counters(ctx, before);
    wg_array *m = wg_binary(ctx, WG_OP_MULTIPLY, a, a, NULL, -1);
    wg_array *s = wg_binary(ctx, WG_OP_ADD, m, a, NULL, -1);
    wg_array *p = wg_binary(ctx, WG_OP_MULTIPLY, s, a, NULL, -1);
    float r[4];
    WG_CHECK_EQ_INT(wg_read(ctx, p, r, sizeof r), WG_OK);
    wg_counters(ctx, after);
    WG_CHECK_EQ_INT(after[WG_COUNTER_KERNELS_LAUNCHED] - before[WG_COUNTER_KERNELS_LAUNCHED], 1);
    /* (1+2j): (1+2j)^2 = -3+4j; + (1+2j) = -2+6j; * (1+2j) = -2-4j+6j-12 = -14+2j */
    WG_CHECK(close_to(r[0], -14) && close_to(r[1], 2));
    /* a write into m between two ops is seen by the next one */
    wg_array *re = wg_real(ctx, m);
    wg_array *z = wg_scalar(ctx, WG_FLOAT32, 0, 0, 0, 0.0);
    WG_CHECK_EQ_INT(wg_assign(ctx, re, z), WG_OK);
    wg_array *q = wg_binary(ctx, WG_OP_ADD, m, a, NULL, -1);
    WG_CHECK_EQ_INT(wg_read(ctx, q, r, sizeof r), WG_OK);
    WG_CHECK(close_to(r[0], 1) && close_to(r[1], 6));
    wg_array *outs[] = {a, m, s, p, re, z, q};
    for (size_t k = 0; k < sizeof outs / sizeof *outs; k++) wg_release(outs[k]);
    wg_context_free(ctx);
}

WG_TEST(complex_cpu) { run_basic(WG_BACKEND_CPU); }
WG_TEST(complex_loopback) { run_basic(WG_BACKEND_LOOPBACK); }

WG_TEST(complex_matmul_and_policy) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    /* complex128 data under the 32-bit policy becomes complex64 */
    double d[8] = {1, 1, 2, 0, 0, -1, 3, 2};
    int64_t shape[2] = {2, 2};
    wg_array *a = wg_from_data(ctx, WG_COMPLEX128, 2, shape, d);
    WG_CHECK(a && a->dtype == WG_COMPLEX64);
    wg_array *c = wg_matmul(ctx, a, a, NULL);
    float r[8];
    WG_CHECK_EQ_INT(wg_read(ctx, c, r, sizeof r), WG_OK);
    /* [[1+j, 2], [-j, 3+2j]]^2 = [[2j - 2j, 2+2j + 6+4j], [(-j)(1+j) + (3+2j)(-j), -2j + 5+12j]] */
    WG_CHECK(close_to(r[0], 0) && close_to(r[1], 0));
    WG_CHECK(close_to(r[2], 8) && close_to(r[3], 6));
    WG_CHECK(close_to(r[4], 3) && close_to(r[5], -4));
    WG_CHECK(close_to(r[6], 5) && close_to(r[7], 10));
    wg_release(a);
    wg_release(c);
    wg_context_free(ctx);
}
