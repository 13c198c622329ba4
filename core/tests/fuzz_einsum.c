/* fuzz_einsum — einsum's subscripts parser (api/einsum.c) under hostile strings.
 *
 * Inside `make test-c` (ASan + UBSan) a deterministic mutation loop runs for about a second:
 * seeds are valid subscripts (ellipsis, repeated labels, implicit and explicit outputs), mutated
 * by byte flips, insertions from a small dictionary ("...", "->", ",", letters, '.', '-', '>',
 * non-ASCII bytes), deletions and duplications; each is parsed for 1-4 operands of random ranks.
 * Every input must give WG_OK or a clean error with a message; a spec that parses must be
 * consistent (labels in range, every output label in some input, no output label twice), and
 * for small ranks the contraction itself runs on the cpu backend against random shapes.
 * WGPY_FUZZ_SECONDS lengthens the run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wgtest.h"
#include "api/einsum.h"

static uint64_t rs = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return n ? (uint32_t)(rs % n) : 0;
}

static const char *const seeds[] = {
    "bij,bjk->bik", "ij,ij->i", "ii", "ii->i", "i,j->ij", "...ij,...jk->...ik", "iij->j",
    "ijk->kji", ",", "i,", "ab,bc,cd,de->ae", "iI", "...", "i...->...", "a...b,b...c->...ac",
    "ij,jk,kl->il", "->", "zZ,Zz", " i j , j k -> i k ",
};
static const char *const dict[] = {"...", "->", ",", "i", "j", "Z", ".", "-", ">", " ", "\xff",
                                   "..", "$", "ii", "...->...", ",,"};

#define BUF 96

static void mutate(char *dst, const char *src) {
    snprintf(dst, BUF, "%s", src);
    int nm = 1 + (int)rnd(4);
    for (int m = 0; m < nm; m++) {
        size_t len = strlen(dst);
        int what = (int)rnd(4);
        if (what == 0 && len) dst[rnd((uint32_t)len)] = (char)(rnd(95) + 32);
        else if (what == 1) {
            const char *w = dict[rnd(sizeof dict / sizeof dict[0])];
            size_t at = rnd((uint32_t)len + 1), wl = strlen(w);
            if (len + wl + 1 < BUF) {
                memmove(dst + at + wl, dst + at, len - at + 1);
                memcpy(dst + at, w, wl);
            }
        } else if (what == 2 && len) {
            size_t at = rnd((uint32_t)len);
            memmove(dst + at, dst + at + 1, len - at);
        } else if (len && 2 * len + 1 < BUF) {
            memmove(dst + len, dst, len + 1);
        }
    }
}

/* 1 when all is well */
static int one(wg_context *ctx, const char *subs) {
    int n = 1 + (int)rnd(4), nd[4];
    for (int i = 0; i < n; i++) nd[i] = (int)rnd(5);
    wgP_einsum_spec sp;
    wg_clear_error(ctx);
    int st = wgP_einsum_parse(ctx, subs, n, nd, &sp);
    if (st != WG_OK) {
        if (st > 0 || !wg_last_error(ctx) || !*wg_last_error(ctx)) {
            fprintf(stderr, "fuzz_einsum: %s: status %d without a message\n", subs, st);
            return 0;
        }
        return 1;
    }
    int seen[WG_EINSUM_NLABELS] = {0}, inout[WG_EINSUM_NLABELS] = {0};
    for (int i = 0; i < n; i++) {
        if (sp.nd[i] != nd[i]) {
            fprintf(stderr, "fuzz_einsum: %s: operand %d has %d labels for %d axes\n", subs, i,
                    sp.nd[i], nd[i]);
            return 0;
        }
        for (int d = 0; d < sp.nd[i]; d++) {
            if (sp.lab[i][d] < 0 || sp.lab[i][d] >= WG_EINSUM_NLABELS) return 0;
            seen[sp.lab[i][d]] = 1;
        }
    }
    for (int d = 0; d < sp.nout; d++) {
        int l = sp.out[d];
        if (l < 0 || l >= WG_EINSUM_NLABELS || !seen[l] || inout[l]) {
            fprintf(stderr, "fuzz_einsum: %s: bad output label %d\n", subs, l);
            return 0;
        }
        inout[l] = 1;
    }
    /* run it on small random shapes (size errors are fine) */
    wg_array *ops[4] = {0};
    for (int i = 0; i < n; i++) {
        int64_t shape[WG_MAX_NDIM];
        for (int d = 0; d < nd[i]; d++) shape[d] = 1 + (int64_t)rnd(3);
        wg_array *one = wg_scalar(ctx, WG_FLOAT32, WG_WEAK_NONE, 0, 0, 1.5);
        ops[i] = wg_full(ctx, WG_FLOAT32, nd[i], shape, one);
        wg_release(one);
    }
    wg_clear_error(ctx);
    wg_array *r = wg_einsum(ctx, subs, n, ops, -1, NULL, -1, WG_CAST_SAFE, NULL);
    int ok = 1;
    if (r) {
        if (r->lay.ndim != sp.nout) ok = 0;
        wg_sync(ctx);
        wg_release(r);
    } else if (!wg_last_error(ctx) || !*wg_last_error(ctx)) {
        ok = 0;
    }
    if (!ok) fprintf(stderr, "fuzz_einsum: %s: einsum failed without a message\n", subs);
    for (int i = 0; i < n; i++) wg_release(ops[i]);
    return ok;
}

WG_TEST(fuzz_einsum_mutations) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    static char buf[BUF];
    int tried = 0, failures = 0;
    const char *secs = getenv("WGPY_FUZZ_SECONDS");
    clock_t end = clock() + (secs ? atoi(secs) : 1) * CLOCKS_PER_SEC;
    size_t ns = sizeof seeds / sizeof seeds[0];
    while ((clock() < end || tried < 200) && failures < 5) {
        mutate(buf, seeds[rnd((uint32_t)ns)]);
        if (!one(ctx, buf)) failures++;
        tried++;
    }
    for (size_t s = 0; s < ns; s++)
        if (!one(ctx, seeds[s])) failures++;
    printf("  fuzz_einsum: %d inputs\n", tried);
    WG_CHECK_EQ_INT(failures, 0);
    wg_context_free(ctx);
}

/* The parser's labels, implicit output and errors; a contraction against a loop. */
WG_TEST(einsum_parse_and_run) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wgP_einsum_spec sp;
    int nd[2] = {3, 2};
    WG_CHECK_EQ_INT(wgP_einsum_parse(ctx, "...ij,jk", 2, nd, &sp), WG_OK);
    WG_CHECK_EQ_INT(sp.nell, 1);
    WG_CHECK_EQ_INT(sp.nout, 3); /* ellipsis, i, k */
    WG_CHECK_EQ_INT(sp.out[0], 52);
    WG_CHECK_EQ_INT(sp.out[1], 26 + 8);
    WG_CHECK_EQ_INT(sp.out[2], 26 + 10);
    int nd2[2] = {2, 2};
    WG_CHECK_EQ_INT(wgP_einsum_parse(ctx, "ij,jk->kk", 2, nd2, &sp), WG_ERR_VALUE);
    WG_CHECK(strstr(wg_last_error(ctx), "output subscript 'k' multiple times") != NULL);
    wg_clear_error(ctx);
    /* 'bij,bjk->bik' over (2,3,4) x (2,4,5) */
    float a[24], b[40], r[30];
    for (int i = 0; i < 24; i++) a[i] = (float)(i % 7) - 3;
    for (int i = 0; i < 40; i++) b[i] = (float)(i % 5) - 2;
    int64_t sa[3] = {2, 3, 4}, sb[3] = {2, 4, 5};
    wg_array *ops[2] = {wg_from_data(ctx, WG_FLOAT32, 3, sa, a),
                        wg_from_data(ctx, WG_FLOAT32, 3, sb, b)};
    wg_array *x = wg_einsum(ctx, "bij,bjk->bik", 2, ops, -1, NULL, -1, WG_CAST_SAFE, NULL);
    WG_CHECK(x != NULL);
    WG_CHECK_EQ_INT(wg_read(ctx, x, r, sizeof r), WG_OK);
    int bad = 0;
    for (int bb = 0; bb < 2; bb++)
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 5; k++) {
                float s = 0;
                for (int j = 0; j < 4; j++) s += a[bb * 12 + i * 4 + j] * b[bb * 20 + j * 5 + k];
                bad += r[bb * 15 + i * 5 + k] != s;
            }
    WG_CHECK_EQ_INT(bad, 0);
    wg_release(x);
    wg_release(ops[0]);
    wg_release(ops[1]);
    wg_context_free(ctx);
}
