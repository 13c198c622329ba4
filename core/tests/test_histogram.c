/* Counting (api/histogram.c): the atomic scatter and the gather give the same bincount; digitize
 * on increasing and decreasing bins; the host read of bincount is counted. */
#include "wgtest.h"
#include "api/api.h"

WG_TEST(histogram_bincount_both_forms) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int32_t xv[11] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
    float wv[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    int64_t shape[1] = {11};
    wg_array *x = wg_from_data(ctx, WG_INT32, 1, shape, xv);
    wg_array *w = wg_from_data(ctx, WG_FLOAT32, 1, shape, wv);
    int64_t c0[WG_NCOUNTERS], c1[WG_NCOUNTERS];
    wg_counters(ctx, c0);
    for (int gather = 0; gather < 2; gather++) {
        wg_array *l0 = wg_bincount_length(ctx, x, NULL, 12), *l1 = wg_bincount_length(ctx, x, w, 0);
        WG_CHECK(l0 != NULL && l1 != NULL);
        int32_t n0 = 0, n1 = 0;
        WG_CHECK_EQ_INT(wg_read_size(ctx, l0, &n0, 4), WG_OK);
        WG_CHECK_EQ_INT(wg_read_size(ctx, l1, &n1, 4), WG_OK);
        WG_CHECK_EQ_INT(n0, 12);
        WG_CHECK_EQ_INT(n1, 10);
        wg_release(l0);
        wg_release(l1);
        wg_array *c = wg_bincount(ctx, x, NULL, n0, gather);
        wg_array *cw = wg_bincount(ctx, x, w, n1, gather);
        WG_CHECK(c != NULL && cw != NULL);
        WG_CHECK_EQ_INT((int)c->lay.shape[0], 12);
        WG_CHECK_EQ_INT((int)cw->lay.shape[0], 10);
        int32_t cv[12];
        float wr[10];
        WG_CHECK_EQ_INT(wg_read(ctx, c, cv, sizeof cv), WG_OK);
        WG_CHECK_EQ_INT(wg_read(ctx, cw, wr, sizeof wr), WG_OK);
        int32_t ec[12] = {0, 2, 1, 2, 1, 3, 1, 0, 0, 1, 0, 0};
        float ew[10] = {0, 6, 7, 11, 3, 25, 8, 0, 0, 6};
        for (int i = 0; i < 12; i++) WG_CHECK_EQ_INT(cv[i], ec[i]);
        for (int i = 0; i < 10; i++) WG_CHECK(wr[i] == ew[i]);
        wg_release(c);
        wg_release(cw);
    }
    wg_counters(ctx, c1);
    WG_CHECK_EQ_INT((int)(c1[WG_COUNTER_HOST_SYNCS_FOR_SIZE] - c0[WG_COUNTER_HOST_SYNCS_FOR_SIZE]),
                    4);
    wg_release(x);
    wg_release(w);
    wg_context_free(ctx);
}

WG_TEST(histogram_digitize) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float xv[5] = {-1, 0, 0.5, 1, 7}, inc[3] = {0, 1, 2}, dec[3] = {2, 1, 0};
    int64_t s5[1] = {5}, s3[1] = {3};
    wg_array *x = wg_from_data(ctx, WG_FLOAT32, 1, s5, xv);
    wg_array *bi = wg_from_data(ctx, WG_FLOAT32, 1, s3, inc);
    wg_array *bd = wg_from_data(ctx, WG_FLOAT32, 1, s3, dec);
    wg_array *mi = wg_monotonicity(ctx, bi), *md = wg_monotonicity(ctx, bd);
    wg_array *mx = wg_monotonicity(ctx, x); /* -1, 0, 0.5, 1, 7: increasing */
    int32_t vi = 0, vd = 0, vx = 0;
    WG_CHECK_EQ_INT(wg_read(ctx, mi, &vi, 4), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, md, &vd, 4), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, mx, &vx, 4), WG_OK);
    WG_CHECK_EQ_INT(vi, 1);
    WG_CHECK_EQ_INT(vd, -1);
    WG_CHECK_EQ_INT(vx, 1);
    wg_release(mi);
    wg_release(md);
    wg_release(mx);
    float zz[3] = {0, 2, 1};
    wg_array *bz = wg_from_data(ctx, WG_FLOAT32, 1, s3, zz), *mz = wg_monotonicity(ctx, bz);
    int32_t vz = 5;
    WG_CHECK_EQ_INT(wg_read(ctx, mz, &vz, 4), WG_OK);
    WG_CHECK_EQ_INT(vz, 0);
    WG_CHECK(wg_digitize(ctx, x, bz, 0, 0) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
    wg_clear_error(ctx);
    wg_release(bz);
    wg_release(mz);
    wg_array *r1 = wg_digitize(ctx, x, bi, 0, 1), *r2 = wg_digitize(ctx, x, bd, 1, -1);
    WG_CHECK(r1 && r2);
    int32_t v1[5], v2[5];
    WG_CHECK_EQ_INT(wg_read(ctx, r1, v1, sizeof v1), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, r2, v2, sizeof v2), WG_OK);
    int32_t e1[5] = {0, 1, 1, 2, 3}, e2[5] = {3, 3, 2, 2, 0};
    for (int i = 0; i < 5; i++) {
        WG_CHECK_EQ_INT(v1[i], e1[i]);
        WG_CHECK_EQ_INT(v2[i], e2[i]);
    }
    wg_array *rows[5] = {x, bi, bd, r1, r2};
    for (int i = 0; i < 5; i++) wg_release(rows[i]);
    wg_context_free(ctx);
}
