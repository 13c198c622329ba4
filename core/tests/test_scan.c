/* Parallel scans and compaction (core/src/api/scan.c) against serial loops, on sizes that cross
 * the segment boundaries (WGP_SCAN_SEG = 16: one to four levels). */
#include <stdlib.h>

#include "wgtest.h"
#include "api/scan.h"
#include "base/context.h"

static const int64_t sizes[] = {1, 2, 15, 16, 17, 255, 256, 257, 4097, 65537};

WG_TEST(scan_add_int32_sizes) {
    for (int path = 1; path <= 2; path++) { /* the segment scan, the tile scan */
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wg_set_scan_path(ctx, path);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int64_t n = sizes[s];
        int32_t *v = malloc((size_t)n * 4), *r = malloc((size_t)(n + 1) * 4);
        for (int64_t k = 0; k < n; k++) v[k] = (int32_t)(k % 7) - 3;
        wg_array *x = wg_from_data(ctx, WG_INT32, 1, &n, v);
        for (int mode = 0; mode < 3; mode++) {
            wg_array *y = wgP_scan(ctx, WG_OP_ADD, x, -1, -1, mode);
            WG_CHECK(y != NULL);
            int64_t m = mode == WGP_SCAN_INITIAL ? n + 1 : n;
            WG_CHECK_EQ_INT(wg_read(ctx, y, r, m * 4), WG_OK);
            int32_t acc = 0;
            int ok = 1;
            for (int64_t k = 0; k < m; k++) {
                int32_t want = mode == WGP_SCAN_INCLUSIVE ? (acc += v[k]) : acc;
                if (mode != WGP_SCAN_INCLUSIVE && k < n) acc += v[k];
                if (r[k] != want) ok = 0;
            }
            WG_CHECK(ok);
            wg_release(y);
        }
        wg_release(x);
        free(v);
        free(r);
    }
    wg_context_free(ctx);
    }
}

WG_TEST(scan_max_axis0_2d) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int64_t shape[2] = {300, 3};
    float v[900], r[900];
    for (int k = 0; k < 900; k++) v[k] = (float)((k * 37) % 101);
    wg_array *x = wg_from_data(ctx, WG_FLOAT32, 2, shape, v);
    wg_array *y = wgP_scan(ctx, WG_OP_MAXIMUM, x, 0, -1, WGP_SCAN_INCLUSIVE);
    WG_CHECK(y != NULL);
    WG_CHECK_EQ_INT(wg_read(ctx, y, r, sizeof r), WG_OK);
    int ok = 1;
    for (int c = 0; c < 3; c++) {
        float acc = v[c];
        for (int k = 0; k < 300; k++) {
            if (v[k * 3 + c] > acc) acc = v[k * 3 + c];
            if (r[k * 3 + c] != acc) ok = 0;
        }
    }
    WG_CHECK(ok);
    wg_release(y);
    WG_CHECK(wgP_scan(ctx, WG_OP_ADD, x, 2, -1, 0) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_AXIS);
    wg_clear_error(ctx);
    WG_CHECK(wgP_scan(ctx, WG_OP_SUBTRACT, x, 0, -1, 0) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_NOTIMPL);
    wg_clear_error(ctx);
    wg_release(x);
    wg_context_free(ctx);
}

WG_TEST(compact_flat_indices) {
    for (int be = 0; be < 3; be++) { /* cpu, loopback (through the command stream), cpu tiles */
    wg_context *ctx = wg_context_new(be == 1 ? WG_BACKEND_LOOPBACK : WG_BACKEND_CPU);
    if (be == 2) wg_set_scan_path(ctx, 2);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int64_t n = sizes[s];
        uint8_t *m = malloc((size_t)n);
        int64_t want = 0;
        for (int64_t k = 0; k < n; k++) want += (m[k] = (uint8_t)((k * 2654435761u) % 5 < 2));
        wg_array *mask = wg_from_data(ctx, WG_BOOL, 1, &n, m);
        wg_array *sc = wgP_mask_scan(ctx, mask);
        WG_CHECK(sc != NULL);
        int32_t cnt = -1;
        wg_array *last = wg_index(ctx, sc, 1, (int64_t[4]){WG_IDX_INT, -1, 0, 0});
        WG_CHECK_EQ_INT(wg_read(ctx, last, &cnt, 4), WG_OK);
        WG_CHECK_EQ_INT(cnt, want);
        /* the scatter (cpu, webgpu), and the binary search that webgl2 runs, on this backend */
        wg_array *idx = wgP_compact(ctx, sc, cnt);
        int saved = ctx->backend_id;
        ctx->backend_id = WG_BACKEND_WEBGL2;
        wg_array *idx2 = wgP_compact(ctx, sc, cnt);
        ctx->backend_id = saved;
        WG_CHECK(idx2 != NULL);
        WG_CHECK(idx != NULL);
        int32_t *r = malloc((size_t)(cnt + 1) * 4);
        WG_CHECK_EQ_INT(wg_read(ctx, idx, r, cnt * 4), WG_OK);
        int ok = 1;
        for (int64_t k = 0, j = 0; k < n; k++)
            if (m[k] && r[j++] != k) ok = 0;
        WG_CHECK(ok);
        WG_CHECK_EQ_INT(wg_read(ctx, idx2, r, cnt * 4), WG_OK);
        for (int64_t k = 0, j = 0; k < n; k++)
            if (m[k] && r[j++] != k) ok = 0;
        WG_CHECK(ok);
        wg_release(idx2);
        wg_release(last);
        wg_release(idx);
        wg_release(sc);
        wg_release(mask);
        free(m);
        free(r);
    }
    wg_context_free(ctx);
    }
}

/* the segment scan's scatter forms (cpu, webgpu), gather forms (webgl2's, run here on cpu) and the
 * tile scan (forced on cpu),
 * against serial loops: a float sum, a max over rows, and the fused compaction (indices and
 * values) of an int mask (nonzero elements of several values) */
WG_TEST(scan_segments_scatter_and_gather) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int saved = ctx->backend_id;
    for (int gather = 0; gather < 3; gather++) { /* scatter, gather, tiles */
        wg_set_scan_path(ctx, gather == 2 ? 2 : 0);
        wg_set_scan_block(ctx, gather == 2 ? 3 : 0); /* blocks of 3 tiles: 65537 is 11 blocks */
        int64_t sl = gather == 2 ? WGP_SCAN_TILE * 3 : WGP_SCAN_SEG;
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            ctx->backend_id = gather == 1 ? WG_BACKEND_WEBGL2 : saved;
            int64_t n = sizes[s];
            float *v = malloc((size_t)n * 4), *r = malloc((size_t)n * 4);
            int32_t *m = malloc((size_t)n * 4), *ri = malloc((size_t)n * 4 + 4);
            int64_t want = 0;
            for (int64_t k = 0; k < n; k++) {
                v[k] = (float)((k * 37) % 11) - 5.0f;
                m[k] = (int32_t)((k * 2654435761u) % 7) - 4; /* zero for 1 value in 7 */
                m[k] = m[k] > 0 ? m[k] : 0;
                want += m[k] != 0;
            }
            wg_array *x = wg_from_data(ctx, WG_FLOAT32, 1, &n, v);
            wg_array *y = wgP_scan(ctx, WG_OP_ADD, x, 0, -1, WGP_SCAN_INCLUSIVE);
            WG_CHECK(y != NULL);
            WG_CHECK_EQ_INT(wg_read(ctx, y, r, n * 4), WG_OK);
            float acc = 0.0f; /* small integers: exact in any order */
            int ok = 1;
            for (int64_t k = 0; k < n; k++)
                if (r[k] != (acc += v[k])) ok = 0;
            WG_CHECK(ok);
            wg_release(y);
            /* fused compaction: the count, the indices, the values */
            wg_array *mask = wg_from_data(ctx, WG_INT32, 1, &n, m);
            wg_array *seg = wg_mask_segscan(ctx, mask, x);
            WG_CHECK(seg != NULL);
            WG_CHECK_EQ_INT(wgL_size(&seg->lay), (n + sl - 1) / sl);
            int32_t cnt = -1;
            WG_CHECK_EQ_INT(wg_read_size(ctx, seg, &cnt, 4), WG_OK);
            WG_CHECK_EQ_INT(cnt, want);
            wg_array *idx = wg_mask_select(ctx, mask, seg, cnt, NULL);
            wg_array *val = wg_mask_select(ctx, mask, seg, cnt, x);
            WG_CHECK(idx != NULL && val != NULL);
            WG_CHECK_EQ_INT(wg_read(ctx, idx, ri, cnt * 4), WG_OK);
            WG_CHECK_EQ_INT(wg_read(ctx, val, r, cnt * 4), WG_OK);
            for (int64_t k = 0, j = 0; k < n; k++)
                if (m[k] && (ri[j] != k || r[j++] != v[k])) ok = 0;
            WG_CHECK(ok);
            /* a wrong count or scan is an error, not a wrong answer */
            WG_CHECK(wg_mask_select(ctx, mask, seg, n + 1, NULL) == NULL);
            WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
            wg_clear_error(ctx);
            wg_release(idx);
            wg_release(val);
            wg_release(seg);
            wg_release(mask);
            wg_release(x);
            free(v);
            free(r);
            free(m);
            free(ri);
        }
    }
    ctx->backend_id = saved;
    wg_context_free(ctx);
}

WG_TEST(putmask_cyclic) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int64_t n = 6, two = 2;
    int32_t v[6] = {0, 1, 2, 3, 4, 5}, vals[2] = {10, 20}, r[6];
    uint8_t m[6] = {0, 0, 0, 1, 1, 1};
    wg_array *a = wg_from_data(ctx, WG_INT32, 1, &n, v);
    wg_array *mask = wg_from_data(ctx, WG_BOOL, 1, &n, m);
    wg_array *vv = wg_from_data(ctx, WG_INT32, 1, &two, vals);
    WG_CHECK_EQ_INT(wg_putmask(ctx, a, mask, vv), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, a, r, sizeof r), WG_OK);
    WG_CHECK(r[0] == 0 && r[2] == 2 && r[3] == 20 && r[4] == 10 && r[5] == 20);
    wg_release(a);
    wg_release(mask);
    wg_release(vv);
    wg_context_free(ctx);
}
