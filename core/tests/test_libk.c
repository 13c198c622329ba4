/* Library kernels (core/src/api/libk.c): parsed once per context, run through the ukernel path,
 * freed with the context (ASan's leak check covers the cache). */
#include "wgtest.h"
#include "api/libk.h"

static const wgP_libk reverse_src = {
    .name = "test_reverse",
    .in_params = "raw T x, int32 n",
    .out_params = "T y",
    .operation = "y = x[n - 1 - i]",
    .preamble = "",
    .loop_prep = "",
};

WG_TEST(libk_cached_and_run) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wg_ukernel *k1 = wgP_libk_get(ctx, &reverse_src);
    wg_ukernel *k2 = wgP_libk_get(ctx, &reverse_src);
    WG_CHECK(k1 != NULL);
    WG_CHECK(k1 == k2);
    float v[5] = {1, 2, 3, 4, 5}, r[5] = {0};
    int64_t shape[1] = {5};
    wg_array *x = wg_from_data(ctx, WG_FLOAT32, 1, shape, v);
    wg_array *n = wgP_i32(ctx, 5);
    wg_array *y = wg_empty(ctx, WG_FLOAT32, 1, shape);
    wg_array *args[3] = {x, n, y};
    WG_CHECK_EQ_INT(wgP_libk_launch(ctx, &reverse_src, 3, args, -1, NULL), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, y, r, sizeof r), WG_OK);
    for (int i = 0; i < 5; i++) WG_CHECK(r[i] == v[4 - i]);
    wg_release(x);
    wg_release(n);
    wg_release(y);
    wg_context_free(ctx);
}
