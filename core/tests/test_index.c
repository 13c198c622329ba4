/* Advanced indexing (api/index.c): gathers, scatters, ufunc.at and the bounds check, on cpu and
 * through loopback; ASan's leak check covers every temporary of the index DAG. */
#include "wgtest.h"
#include "wgpy.h"

#include <string.h>

static void adv_roundtrip(int backend) {
    wg_context *ctx = wg_context_new(backend);
    float v[6] = {0, 1, 2, 3, 4, 5}, r[6] = {0};
    int32_t iv[3] = {2, -1, 0};
    int64_t shape[2] = {2, 3}, ishape[1] = {3};
    wg_array *a = wg_from_data(ctx, WG_FLOAT32, 2, shape, v);
    wg_array *idx = wg_from_data(ctx, WG_INT32, 1, ishape, iv);
    /* a[:, idx] */
    int64_t items[8] = {WG_IDX_SLICE, WG_IDX_NONE, WG_IDX_NONE, WG_IDX_NONE, WG_IDX_ARRAY, 0, 0, 0};
    wg_array *g = wg_adv_get(ctx, a, 2, items, 1, &idx, WG_MODE_RAISE);
    WG_CHECK(g != NULL);
    WG_CHECK_EQ_INT(wg_read(ctx, g, r, 6 * sizeof(float)), WG_OK);
    float want[6] = {2, 2, 0, 5, 5, 3};
    for (int i = 0; i < 6; i++) WG_CHECK(r[i] == want[i]);
    /* a[:, idx] = 9; then add.at(a, (1, idx), 1) with a repeated index */
    wg_array *nine = wg_scalar(ctx, WG_FLOAT32, WG_WEAK_FLOAT, 0, 0, 9.0);
    WG_CHECK_EQ_INT(wg_adv_set(ctx, a, 2, items, 1, &idx, nine, WG_MODE_RAISE, -1), WG_OK);
    int32_t dv[3] = {1, 1, 1};
    wg_array *dup = wg_from_data(ctx, WG_INT32, 1, ishape, dv);
    int64_t items2[8] = {WG_IDX_INT, 1, 0, 0, WG_IDX_ARRAY, 0, 0, 0};
    wg_array *one = wg_scalar(ctx, WG_FLOAT32, WG_WEAK_FLOAT, 0, 0, 1.0);
    WG_CHECK_EQ_INT(wg_adv_set(ctx, a, 2, items2, 1, &dup, one, WG_MODE_RAISE, WG_OP_ADD), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, a, r, sizeof r), WG_OK);
    float want2[6] = {9, 1, 9, 9, 7, 9};
    for (int i = 0; i < 6; i++) WG_CHECK(r[i] == want2[i]);
    /* out of bounds: IndexError, read on the way in */
    int32_t bad[3] = {0, 3, 1};
    wg_array *bi = wg_from_data(ctx, WG_INT32, 1, ishape, bad);
    wg_array *ok = wg_adv_bounds(ctx, a, 2, items, 1, &idx);
    wg_array *bs = wg_adv_bounds(ctx, a, 2, items, 1, &bi);
    int32_t kv[2] = {7, 7}, kb[2] = {0, 0};
    WG_CHECK_EQ_INT(wg_read(ctx, ok, kv, sizeof kv), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, bs, kb, sizeof kb), WG_OK);
    WG_CHECK(kv[0] == -1 && kb[0] == 0 && kb[1] == 3);
    WG_CHECK_EQ_INT(wg_adv_bounds_error(ctx, a, 2, items, 1, &bi, kb[0], kb[1]), WG_ERR_INDEX);
    WG_CHECK(strstr(wg_last_error(ctx), "index 3 is out of bounds for axis 1 with size 3") != NULL);
    wg_clear_error(ctx);
    wg_release(ok);
    wg_release(bs);
    wg_array *w = wg_adv_get(ctx, a, 2, items, 1, &bi, WG_MODE_WRAP);
    WG_CHECK(w != NULL);
    WG_CHECK_EQ_INT(wg_read(ctx, w, r, 6 * sizeof(float)), WG_OK);
    WG_CHECK(r[1] == 9 && r[4] == 9);
    wg_release(w);
    wg_release(bi);
    wg_release(one);
    wg_release(dup);
    wg_release(nine);
    wg_release(g);
    wg_release(idx);
    wg_release(a);
    wg_context_free(ctx);
}

WG_TEST(adv_index_cpu) { adv_roundtrip(WG_BACKEND_CPU); }
WG_TEST(adv_index_loopback) { adv_roundtrip(WG_BACKEND_LOOPBACK); }
