/* The bitonic sort and its users (core/src/api/sort.c) on cpu and through the command stream
 * (loopback): NaN last, stable argsort, sizes around powers of two, unique with a host read. */
#include "wgtest.h"
#include "wgpy.h"

#include <math.h>

static void check_sort(int backend, int n) {
    wg_context *ctx = wg_context_new(backend);
    float v[300];
    for (int i = 0; i < n; i++) v[i] = (float)((i * 7919) % 13) - 6.0f;
    if (n > 3) v[n / 2] = NAN;
    int64_t shape[1] = {n};
    wg_array *x = wg_from_data(ctx, WG_FLOAT32, 1, shape, v);
    wg_array *s = NULL, *ix = NULL;
    WG_CHECK_EQ_INT(wg_sort(ctx, x, -1, &s, &ix), WG_OK);
    float r[300];
    int32_t p[300];
    WG_CHECK_EQ_INT(wg_read(ctx, s, r, (int64_t)sizeof(float) * n), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, ix, p, (int64_t)sizeof(int32_t) * n), WG_OK);
    for (int i = 0; i + 1 < n; i++) {
        WG_CHECK(isnan(r[i + 1]) || r[i] <= r[i + 1]);
        /* stable: equal keys keep their order */
        if (!isnan(r[i]) && r[i] == r[i + 1]) WG_CHECK(p[i] < p[i + 1]);
    }
    for (int i = 0; i < n; i++)
        WG_CHECK((isnan(r[i]) && isnan(v[p[i]])) || r[i] == v[p[i]]);
    if (n > 3) WG_CHECK(isnan(r[n - 1]));
    wg_release(x);
    wg_release(s);
    wg_release(ix);
    wg_context_free(ctx);
}

WG_TEST(sort_bitonic_sizes) {
    int sizes[] = {1, 2, 3, 7, 8, 9, 31, 32, 33, 255, 256, 257};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        check_sort(WG_BACKEND_CPU, sizes[i]);
        check_sort(WG_BACKEND_LOOPBACK, sizes[i]);
    }
}

WG_TEST(sort_unique_counts) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int32_t v[10] = {3, 1, 3, 2, 1, 3, 0, 0, 2, 3};
    int64_t shape[2] = {10, 1};
    wg_array *x = wg_from_data(ctx, WG_INT32, 2, shape, v);
    wg_array *u = NULL, *c = NULL, *state[3] = {NULL, NULL, NULL}, *nu = NULL;
    WG_CHECK_EQ_INT(wg_unique(ctx, x, 1, state, &nu, -1, &u, NULL, NULL, &c), WG_OK);
    WG_CHECK(nu != NULL && u == NULL);
    int32_t k = 0; /* the index dtype: int32 with 64-bit types off */
    WG_CHECK_EQ_INT(wg_read_size(ctx, nu, &k, sizeof k), WG_OK);
    WG_CHECK(k == 4);
    wg_release(nu);
    WG_CHECK_EQ_INT(wg_unique(ctx, x, 1, state, &nu, k, &u, NULL, NULL, &c), WG_OK);
    WG_CHECK(state[0] == NULL);
    int32_t ru[4], rc[4];
    WG_CHECK_EQ_INT(wg_read(ctx, u, ru, sizeof ru), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, c, rc, sizeof rc), WG_OK);
    for (int i = 0; i < 4; i++) WG_CHECK(ru[i] == i);
    WG_CHECK(rc[0] == 2 && rc[1] == 2 && rc[2] == 2 && rc[3] == 4);
    wg_release(x);
    wg_release(u);
    wg_release(c);
    wg_context_free(ctx);
}
