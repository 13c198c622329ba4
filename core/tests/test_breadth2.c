/* breadth2 (issue 10): wg_set_writeable (ndarray.setflags) and wg_byteswap. */
#include "wgtest.h"

#include "api/api.h"


WG_TEST(breadth2_set_writeable) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int64_t shape[1] = {4};
    wg_array *a = wg_empty(ctx, WG_INT32, 1, shape);
    WG_CHECK_EQ_INT(wg_set_writeable(ctx, a, 0), WG_OK);
    WG_CHECK(!(wg_info_block(ctx)[3] & WG_FLAG_WRITEABLE));
    wg_array *one = wg_from_data(ctx, WG_INT32, 1, shape, (int32_t[4]){1, 2, 3, 4});
    WG_CHECK(wg_assign(ctx, a, one) < 0); /* read-only: ValueError */
    wg_clear_error(ctx);
    /* a view of a read-only array is read-only and cannot be made writeable */
    int64_t items[4] = {WG_IDX_SLICE, 1, 4, 1};
    wg_array *v = wg_index(ctx, a, 1, items);
    WG_CHECK(v != NULL);
    WG_CHECK(!(wg_info_block(ctx)[3] & WG_FLAG_WRITEABLE));
    WG_CHECK(wg_set_writeable(ctx, v, 1) < 0);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
    wg_clear_error(ctx);
    WG_CHECK_EQ_INT(wg_set_writeable(ctx, a, 1), WG_OK);
    WG_CHECK(wg_info_block(ctx)[3] & WG_FLAG_WRITEABLE);
    WG_CHECK_EQ_INT(wg_assign(ctx, a, one), WG_OK);
    wg_release(v);
    wg_release(one);
    wg_release(a);
    wg_context_free(ctx);
}

WG_TEST(breadth2_byteswap) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int64_t shape[1] = {3};
    uint32_t v32[3] = {0x11223344u, 1u, 0xff000000u}, r32[3] = {0};
    wg_array *a = wg_from_data(ctx, WG_UINT32, 1, shape, v32);
    wg_array *b = wg_byteswap(ctx, a);
    WG_CHECK(b != NULL);
    WG_CHECK_EQ_INT(wg_read(ctx, b, r32, sizeof r32), WG_OK);
    WG_CHECK(r32[0] == 0x44332211u && r32[1] == 0x01000000u && r32[2] == 0xffu);
    int16_t v16[3] = {0x0102, -2, 0x7f80}, r16[3] = {0};
    wg_array *c = wg_from_data(ctx, WG_INT16, 1, shape, v16);
    wg_array *d = wg_byteswap(ctx, c);
    WG_CHECK(d != NULL);
    WG_CHECK_EQ_INT(wg_read(ctx, d, r16, sizeof r16), WG_OK);
    WG_CHECK(r16[0] == 0x0201 && r16[1] == (int16_t)0xfeff && r16[2] == (int16_t)0x807f);
    float vf[3] = {1, 2, 3};
    wg_array *f = wg_from_data(ctx, WG_FLOAT32, 1, shape, vf);
    WG_CHECK(wg_byteswap(ctx, f) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_NOTIMPL);
    wg_clear_error(ctx);
    wg_release(a);
    wg_release(b);
    wg_release(c);
    wg_release(d);
    wg_release(f);
    wg_context_free(ctx);
}
