/* Random numbers (core/src/api/random.c): Philox4x32-10's known answer through the library
 * kernel, the call counter, permutations and the multi-kernel paths (ASan's leak check covers
 * the references they hand around). */
#include "wgtest.h"
#include "wgpy.h"

#include <stdlib.h>
#include <string.h>

WG_TEST(random_philox_known_answer) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    uint32_t st[4] = {0, 0, 0, 0}, r[3] = {0};
    int64_t shape[1] = {3};
    wg_array *y = wg_empty(ctx, WG_UINT32, 1, shape);
    WG_CHECK_EQ_INT(wg_random(ctx, "bits", st, 0, NULL, y), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, y, r, sizeof r), WG_OK);
    /* Random123's kat_vectors, counter 0, key 0: the raw words are the lanes of block 0 */
    WG_CHECK(r[0] == 0x6627e8d5u && r[1] == 0xe169c58du && r[2] == 0xbc57ac4cu);
    WG_CHECK(st[2] == 1 && st[3] == 0); /* the call counter advanced */
    st[2] = 0xffffffffu;
    WG_CHECK_EQ_INT(wg_random(ctx, "bits", st, 0, NULL, y), WG_OK);
    WG_CHECK(st[2] == 0 && st[3] == 1); /* the carry into the high word */
    WG_CHECK(wg_random(ctx, "nope", st, 0, NULL, y) == WG_ERR_VALUE);
    wg_clear_error(ctx);
    WG_CHECK(wg_random(ctx, "normal", st, 0, NULL, y) == WG_ERR_VALUE); /* 2 parameters */
    wg_clear_error(ctx);
    /* a cleared kernel cache (switching the literals' mode clears it) leaves the kernel's memo
     * of its cache entry stale: the launch looks the kernel up again (ASan: no freed entry) */
    memset(st, 0, sizeof st);
    int64_t c0[WG_NCOUNTERS], c1[WG_NCOUNTERS];
    wg_counters(ctx, c0);
    WG_CHECK_EQ_INT(wg_random(ctx, "bits", st, 0, NULL, y), WG_OK);
    wg_counters(ctx, c1);
    WG_CHECK(c1[WG_COUNTER_KERNEL_CACHE_HITS] == c0[WG_COUNTER_KERNEL_CACHE_HITS] + 1);
    wg_set_inline_literals(ctx, 0);
    memset(st, 0, sizeof st);
    WG_CHECK_EQ_INT(wg_random(ctx, "bits", st, 0, NULL, y), WG_OK);
    wg_counters(ctx, c0);
    WG_CHECK(c0[WG_COUNTER_KERNEL_CACHE_MISSES] == c1[WG_COUNTER_KERNEL_CACHE_MISSES] + 1);
    WG_CHECK_EQ_INT(wg_read(ctx, y, r, sizeof r), WG_OK);
    WG_CHECK(r[0] == 0x6627e8d5u);
    wg_set_inline_literals(ctx, 1);
    wg_release(y);
    wg_context_free(ctx);
}

/* The lane kernels' workgroup form (docs/random.md, "Coalesced stores") gives the block form's
 * words: 2201 raw words (three workgroups of 256 blocks, the last partial, a partial last block)
 * into a view at an odd offset of a larger array, nothing else written (ASan: the workgroup
 * array's padded indices stay inside it) */
WG_TEST(random_workgroup_form_same_words) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int64_t n = 2300, items[4] = {WG_IDX_SLICE, 3, 2204, 1};
    static uint32_t a[2300], b[2300];
    for (int path = 1; path <= 2; path++) {
        uint32_t st[4] = {12345, 6, 0, 0};
        wg_array *zero = wg_scalar(ctx, WG_UINT32, 0, 0, 1, 0.0);
        wg_array *buf = wg_full(ctx, WG_UINT32, 1, &n, zero);
        wg_array *v = wg_index(ctx, buf, 1, items);
        WG_CHECK(v != NULL);
        WG_CHECK_EQ_INT(wg_set_random_path(ctx, path), path == 1 ? 0 : 1);
        WG_CHECK_EQ_INT(wg_random(ctx, "bits", st, 0, NULL, v), WG_OK);
        WG_CHECK_EQ_INT(wg_read(ctx, buf, path == 1 ? a : b, sizeof a), WG_OK);
        wg_release(v);
        wg_release(buf);
        wg_release(zero);
    }
    WG_CHECK(memcmp(a, b, sizeof a) == 0);
    WG_CHECK(a[2] == 0 && a[3] != 0 && a[2203] != 0 && a[2204] == 0);
    wg_context_free(ctx);
}

WG_TEST(random_permutation_and_friends) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    uint32_t st[4] = {7, 0, 0, 0};
    int64_t n = 50;
    int32_t p[50], seen[50] = {0};
    wg_array *y = wg_empty(ctx, WG_INT32, 1, &n);
    WG_CHECK_EQ_INT(wg_random_permutation(ctx, st, y), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, y, p, sizeof p), WG_OK);
    for (int i = 0; i < 50; i++) {
        WG_CHECK(p[i] >= 0 && p[i] < 50);
        if (p[i] >= 0 && p[i] < 50) seen[p[i]]++;
    }
    for (int i = 0; i < 50; i++) WG_CHECK(seen[i] == 1);
    /* rows of a 2-d array in that order */
    int64_t xs[2] = {50, 2};
    wg_array *x = wg_arange(ctx, WG_FLOAT32, 0, 1, 100);
    wg_array *x2 = wg_reshape(ctx, x, 2, xs, 'C');
    wg_array *t = wg_random_take_rows(ctx, x2, y);
    float tv[100];
    WG_CHECK(t != NULL);
    WG_CHECK_EQ_INT(wg_read(ctx, t, tv, sizeof tv), WG_OK);
    for (int i = 0; i < 50; i++) WG_CHECK(tv[2 * i] == 2.0f * p[i] && tv[2 * i + 1] == 2.0f * p[i] + 1);
    /* choice without replacement, weighted */
    float pw[5] = {0.1f, 0.0f, 0.2f, 0.3f, 0.4f};
    int64_t five = 5, three = 3;
    wg_array *pa = wg_from_data(ctx, WG_FLOAT32, 1, &five, pw);
    wg_array *c = wg_empty(ctx, WG_INT32, 1, &three);
    int32_t cv[3];
    WG_CHECK_EQ_INT(wg_random_choice(ctx, st, 5, pa, 0, c), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, c, cv, sizeof cv), WG_OK);
    WG_CHECK(cv[0] != cv[1] && cv[1] != cv[2] && cv[0] != cv[2]);
    for (int i = 0; i < 3; i++) WG_CHECK(cv[i] != 1 && cv[i] >= 0 && cv[i] < 5);
    /* multivariate normal of a 2x2 covariance, dirichlet and multinomial run and free */
    float mv[2] = {0, 0}, cov[4] = {2, 1, 1, 2};
    int64_t two = 2, s22[2] = {2, 2}, s42[2] = {4, 2};
    wg_array *m = wg_from_data(ctx, WG_FLOAT32, 1, &two, mv);
    wg_array *cv2 = wg_from_data(ctx, WG_FLOAT32, 2, s22, cov);
    wg_array *o = wg_empty(ctx, WG_FLOAT32, 2, s42);
    WG_CHECK_EQ_INT(wg_random_multivariate_normal(ctx, st, m, cv2, o), WG_OK);
    WG_CHECK_EQ_INT(wg_random_dirichlet(ctx, st, m, o), WG_OK); /* alpha 0: NaN rows, no crash */
    wg_array *oi = wg_empty(ctx, WG_INT32, 2, s42);
    int32_t mn[8];
    WG_CHECK_EQ_INT(wg_random_multinomial(ctx, st, 10, m, oi), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, oi, mn, sizeof mn), WG_OK);
    for (int i = 0; i < 4; i++) WG_CHECK(mn[2 * i] + mn[2 * i + 1] == 10);
    wg_release(oi);
    wg_release(o);
    wg_release(cv2);
    wg_release(m);
    wg_release(c);
    wg_release(pa);
    wg_release(t);
    wg_release(x2);
    wg_release(x);
    wg_release(y);
    wg_context_free(ctx);
}

/* the kernel source ("wgsl" record of the CREATE_KERNEL) in the context's stream */
static char *wgsl_in_stream(wg_context *ctx) {
    int64_t n = 0;
    const uint8_t *p = wg_stream_data(ctx, &n);
    for (int64_t i = 8; p && i + 4 <= n; i++) {
        uint32_t a, b;
        memcpy(&a, p + i - 8, 4);
        memcpy(&b, p + i - 4, 4);
        if (a == 4 && !memcmp(p + i, "wgsl", 4) && i + 4 + b <= n) {
            char *s = malloc(b + 1);
            memcpy(s, p + i + 4, b);
            s[b] = 0;
            return s;
        }
    }
    return NULL;
}

static int count_of(const char *s, const char *what) {
    int c = 0;
    for (const char *q = s; q && (q = strstr(q, what)) != NULL; q += strlen(what)) c++;
    return c;
}

/* The lane kernels' WGSL (docs/random.md, "Session 16"): in the block and workgroup forms,
 * Philox's rounds are the counted `for` that Tint leaves without its iteration guard (a
 * `loop {` gets one: session 14's workgroup form had it), and the float32 normals call no
 * log_f, sin_f or cos_f (wg_bm24, wg_log24): the one call of each left is the float64 branch's
 * wg_bm (`wide`, a runtime word). */
WG_TEST(random_lane_kernels_wgsl) {
    static const char *dists[] = {"standard_normal", "random"};
    for (int path = 1; path <= 2; path++)
        for (int d = 0; d < 2; d++) {
            wg_context *ctx = wg_context_new(WG_BACKEND_WEBGPU);
            wg_set_random_path(ctx, path);
            uint32_t st[4] = {1, 0, 0, 0};
            int64_t shape[1] = {4096};
            wg_array *y = wg_empty(ctx, WG_FLOAT32, 1, shape);
            WG_CHECK_EQ_INT(wg_random(ctx, dists[d], st, 0, NULL, y), WG_OK);
            char *s = wgsl_in_stream(ctx);
            const char *body = s ? strstr(s, "fn kbody(") : NULL;
            WG_CHECK(body != NULL);
            WG_CHECK_EQ_INT(count_of(body, "for (var ct"), 1);
            WG_CHECK_EQ_INT(count_of(body, "loop {"), 0);
            /* the workgroup form of float32 has `lg` and `wide` as literals (session 21): the
             * shifts by lg need no guard, where a runtime word gets lsh_i's */
            if (path == 2) WG_CHECK_EQ_INT(count_of(body, "lsh_i("), 0);
            if (d == 0) {
                WG_CHECK_EQ_INT(count_of(body, "log_f("), 1);
                WG_CHECK_EQ_INT(count_of(body, "cos_f("), 1);
                WG_CHECK_EQ_INT(count_of(body, "sin_f("), 1);
            }
            free(s);
            wg_release(y);
            wg_context_free(ctx);
        }
}
