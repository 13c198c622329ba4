/* The bitonic sort and its users (core/src/api/sort.c) on cpu and through the command stream
 * (loopback): NaN last, stable argsort, sizes around powers of two, unique with a host read. */
#include "wgtest.h"
#include "wgpy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* The workgroup-memory tiles (cpu, loopback) and the gathers (webgl2's path, wg_set_sort_path 1)
 * run the same compare-exchanges: the same bits, also where the order leaves a choice (-0.0 and
 * 0.0, NaNs of other payloads), for sizes around the tiles (4096 values, 2048 with indices),
 * batches of rows, several dtypes. */
static void check_paths(int backend, int dt, int64_t rows, int64_t n) {
    wg_context *ctx = wg_context_new(backend);
    int64_t total = rows * n, shape[2] = {rows, n};
    int isz = dt == WG_FLOAT64 || dt == WG_INT64 ? 8 : dt == WG_INT16 ? 2 : dt == WG_UINT8 ? 1 : 4;
    unsigned char *v = malloc((size_t)(total * isz)), *r[2][2];
    uint32_t h = 12345;
    for (int64_t i = 0; i < total; i++) {
        h = h * 1664525u + 1013904223u;
        int key = (int)((h >> 8) % 50) - 25; /* many ties */
        if (dt == WG_FLOAT32) {
            float f = (float)key * 0.5f;
            uint32_t b;
            if (key == 0 && (h & 0x100)) f = -0.0f;
            memcpy(&b, &f, 4);
            if (key == 7) b = 0x7fc00000u | (h & 0xffu); /* NaNs with payloads */
            memcpy(v + i * 4, &b, 4);
        } else if (dt == WG_FLOAT64) {
            double d = key == 0 && (h & 0x100) ? -0.0 : key == 7 ? NAN : key * 0.25;
            memcpy(v + i * 8, &d, 8);
        } else if (dt == WG_INT64) {
            int64_t q = (int64_t)key * 3000000000LL;
            memcpy(v + i * 8, &q, 8);
        } else if (dt == WG_INT16) {
            int16_t q = (int16_t)(key * 1000);
            memcpy(v + i * 2, &q, 2);
        } else if (dt == WG_UINT8) {
            v[i] = (unsigned char)(key + 25);
        } else {
            int32_t q = key;
            memcpy(v + i * 4, &q, 4);
        }
    }
    if (dt == WG_FLOAT64 || dt == WG_INT64) wg_set_x64(ctx, 1);
    wg_array *x = wg_from_data(ctx, dt, 2, shape, v);
    int64_t launches[2];
    for (int path = 0; path < 2; path++) {
        WG_CHECK_EQ_INT(wg_set_sort_path(ctx, path ? 1 : 3), path ? 1 : 0);
        wg_array *s = NULL, *ix = NULL;
        int64_t c0[WG_NCOUNTERS], c1[WG_NCOUNTERS];
        wg_counters(ctx, c0);
        WG_CHECK_EQ_INT(wg_sort(ctx, x, -1, &s, NULL), WG_OK);
        r[path][0] = calloc((size_t)total, 8);
        r[path][1] = calloc((size_t)total, 8);
        if (s) WG_CHECK_EQ_INT(wg_read(ctx, s, r[path][0], total * isz), WG_OK);
        wg_counters(ctx, c1);
        launches[path] = c1[WG_COUNTER_KERNELS_LAUNCHED] - c0[WG_COUNTER_KERNELS_LAUNCHED];
        WG_CHECK_EQ_INT(wg_sort(ctx, x, -1, NULL, &ix), WG_OK);
        if (ix) WG_CHECK_EQ_INT(wg_read(ctx, ix, r[path][1], total * (dt == WG_FLOAT64 || dt == WG_INT64 ? 8 : 4)), WG_OK);
        if (s) wg_release(s);
        if (ix) wg_release(ix);
        wg_set_sort_path(ctx, 1);
    }
    /* the tiles ran: fewer passes (rows of 3 or more elements) */
    if (n >= 3) WG_CHECK(launches[0] < launches[1]);
    WG_CHECK(memcmp(r[0][0], r[1][0], (size_t)(total * isz)) == 0);
    WG_CHECK(memcmp(r[0][1], r[1][1], (size_t)total * 8) == 0);
    if (dt == WG_INT32) { /* and right: rows ascending, argsort stable */
        const int32_t *sv = (const int32_t *)r[0][0], *si = (const int32_t *)r[0][1];
        const int32_t *xv = (const int32_t *)v;
        for (int64_t rr = 0; rr < rows; rr++)
            for (int64_t c = 0; c < n; c++) {
                int64_t o = rr * n + c;
                WG_CHECK(sv[o] == xv[rr * n + si[o]]);
                if (c + 1 < n) {
                    WG_CHECK(sv[o] <= sv[o + 1]);
                    if (sv[o] == sv[o + 1]) WG_CHECK(si[o] < si[o + 1]);
                }
            }
    }
    for (int p = 0; p < 2; p++) {
        free(r[p][0]);
        free(r[p][1]);
    }
    free(v);
    wg_release(x);
    wg_context_free(ctx);
}

/* The radix sort (wg_set_sort_path 2) against the gathers (1): argsort (stable on both) equal
 * index for index — NaNs of other payloads and -0.0/0.0 are ties, in their original order on
 * both — and the values bit for bit the input at those indices (the radix sort gathers them). */
static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* the workgroup memory check_radix's contexts are told (0: the default, 16 KiB: 2048-element
 * radix tiles; 49152, the H100's: 4096) */
static int radix_storage;

static void check_radix(int backend, int dt, int64_t rows, int64_t n) {
    wg_context *ctx = wg_context_new(backend);
    if (radix_storage) wg_set_workgroup_storage(ctx, radix_storage);
    int64_t total = rows * n, shape[2] = {rows, n};
    int isz = dt == WG_INT16 ? 2 : dt == WG_UINT8 ? 1 : 4;
    unsigned char *v = malloc((size_t)(total * isz)), *sv = calloc((size_t)total, 4);
    int32_t *ix[2] = {calloc((size_t)total, 4), calloc((size_t)total, 4)};
    uint32_t h = 777;
    for (int64_t i = 0; i < total; i++) {
        h = h * 1664525u + 1013904223u;
        int key = (int)((h >> 8) % 50) - 25;
        if (dt == WG_FLOAT32) {
            float f = key == 3 ? 1e-40f * (float)(h & 7) : key == 4 ? INFINITY : key == 5 ? -INFINITY
                      : key == 6 ? 3e38f : key == 8 ? -1e-30f : (float)key * 0.5f;
            uint32_t b;
            if (key == 0 && (h & 0x100)) f = -0.0f;
            memcpy(&b, &f, 4);
            if (key == 7) b = (h & 0x200 ? 0xffc00000u : 0x7fc00000u) | (h & 0xffu);
            memcpy(v + i * 4, &b, 4);
        } else if (dt == WG_INT16) {
            int16_t q = (int16_t)(key * 1000);
            memcpy(v + i * 2, &q, 2);
        } else if (dt == WG_UINT8) {
            v[i] = (unsigned char)(key + 25);
        } else {
            int32_t q = key * 80000000;
            memcpy(v + i * 4, &q, 4);
        }
    }
    wg_array *x = wg_from_data(ctx, dt, 2, shape, v);
    for (int path = 0; path < 2; path++) {
        wg_set_sort_path(ctx, path ? 1 : 2);
        wg_array *s = NULL, *ii = NULL;
        WG_CHECK_EQ_INT(wg_sort(ctx, x, -1, path ? NULL : &s, &ii), WG_OK);
        if (s) WG_CHECK_EQ_INT(wg_read(ctx, s, sv, total * isz), WG_OK);
        if (ii) WG_CHECK_EQ_INT(wg_read(ctx, ii, ix[path], total * 4), WG_OK);
        if (s) wg_release(s);
        if (ii) wg_release(ii);
    }
    WG_CHECK(memcmp(ix[0], ix[1], (size_t)total * 4) == 0);
    int bad = 0;
    for (int64_t r = 0; r < rows; r++)
        for (int64_t c = 0; c < n; c++) {
            int64_t j = ix[0][r * n + c];
            if (j < 0 || j >= n || memcmp(sv + (r * n + c) * isz, v + (r * n + j) * isz, (size_t)isz)) bad++;
        }
    WG_CHECK_EQ_INT(bad, 0);
    if (dt == WG_FLOAT32 && rows == 1) {
        /* values alone (keys alone, docs/sorting.md): the input's bits in the order of the
         * keys-alone keys, a bijection of the bits (NaN payloads kept; -0.0 before 0.0; negative
         * NaNs after positive ones, all after +inf) */
        wg_set_sort_path(ctx, 2);
        wg_array *s = NULL;
        WG_CHECK_EQ_INT(wg_sort(ctx, x, -1, &s, NULL), WG_OK);
        uint32_t *fv = calloc((size_t)total, 4), *want = calloc((size_t)total, 4);
        if (s) WG_CHECK_EQ_INT(wg_read(ctx, s, fv, total * 4), WG_OK);
        for (int64_t c = 0; c < n; c++) {
            uint32_t b;
            memcpy(&b, v + c * 4, 4);
            want[c] = ((b >> 31) ? ~b : b | 0x80000000u) - 0x7fffffu;
        }
        qsort(want, (size_t)n, 4, cmp_u32);
        for (int64_t c = 0; c < n; c++) {
            uint32_t w = want[c] + 0x7fffffu;
            if (fv[c] != ((w >> 31) ? w & 0x7fffffffu : ~w)) bad++;
        }
        WG_CHECK_EQ_INT(bad, 0);
        if (s) wg_release(s);
        s = NULL;
        /* its order is NumPy's: each value equal to (or, NaN, as NaN as) the stable argsort's */
        for (int64_t c = 0; c < n; c++) {
            float a, e;
            memcpy(&a, fv + c, 4);
            memcpy(&e, v + ix[0][c] * 4, 4);
            if (!(a == e || (a != a && e != e))) bad++;
        }
        WG_CHECK_EQ_INT(bad, 0);
        free(fv);
        free(want);
    }
    free(v);
    free(sv);
    free(ix[0]);
    free(ix[1]);
    wg_release(x);
    wg_context_free(ctx);
}

WG_TEST(sort_radix_equal_gathers) {
    static const int64_t cases[][2] = {{1, 1},    {1, 2},    {1, 5},  {1, 4095}, {1, 4096},
                                       {1, 4097}, {1, 10000}, {3, 5}, {7, 1000}, {600, 3},
                                       {17, 300}, {3, 3000}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        check_radix(WG_BACKEND_CPU, c % 2 ? WG_INT32 : WG_FLOAT32, cases[c][0], cases[c][1]);
    int dts[] = {WG_FLOAT32, WG_INT32, WG_INT16, WG_UINT8};
    for (size_t d = 0; d < sizeof dts / sizeof *dts; d++) check_radix(WG_BACKEND_CPU, dts[d], 2, 5000);
    check_radix(WG_BACKEND_LOOPBACK, WG_FLOAT32, 2, 4099);
    /* a device with 48 KiB of workgroup memory: 4096-element tiles (one partial tile, several,
     * batches crossing tiles; 16-bit keys) */
    radix_storage = 49152;
    check_radix(WG_BACKEND_CPU, WG_FLOAT32, 1, 10000);
    check_radix(WG_BACKEND_CPU, WG_INT32, 3, 3000);
    check_radix(WG_BACKEND_CPU, WG_INT16, 2, 5000);
    check_radix(WG_BACKEND_LOOPBACK, WG_FLOAT32, 1, 4099);
    radix_storage = 0;
    /* the automatic choice: rows of 16384 and more take the radix sort (the same launches as
     * path 2), shorter ones the tiles (as path 3) */
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int64_t ns[2] = {20000, 3000};
    for (int k = 0; k < 2; k++) {
        int64_t n = ns[k], launches[2];
        wg_array *x = wg_arange(ctx, WG_FLOAT32, 0, 1, n);
        int32_t *got = malloc((size_t)n * 4);
        WG_CHECK_EQ_INT(wg_read(ctx, x, got, n * 4), WG_OK); /* x computed before counting */
        for (int path = 0; path < 2; path++) {
            wg_set_sort_path(ctx, path ? (k ? 3 : 2) : 0);
            wg_array *ii = NULL;
            int64_t c0[WG_NCOUNTERS], c1[WG_NCOUNTERS];
            wg_counters(ctx, c0);
            WG_CHECK_EQ_INT(wg_sort(ctx, x, -1, NULL, &ii), WG_OK);
            WG_CHECK_EQ_INT(wg_read(ctx, ii, got, n * 4), WG_OK);
            wg_counters(ctx, c1);
            launches[path] = c1[WG_COUNTER_KERNELS_LAUNCHED] - c0[WG_COUNTER_KERNELS_LAUNCHED];
            for (int64_t i = 0; i < n; i++) WG_CHECK(got[i] == i);
            wg_release(ii);
        }
        WG_CHECK_EQ_INT(launches[0], launches[1]);
        free(got);
        wg_release(x);
    }
    wg_context_free(ctx);
}

WG_TEST(sort_tiles_equal_gathers) {
    static const int64_t cases[][2] = {{1, 1},    {1, 2},    {1, 5},   {1, 2047}, {1, 2048},
                                       {1, 2049}, {1, 4095}, {1, 4096}, {1, 4097}, {1, 8195},
                                       {3, 5},    {7, 1000}, {600, 3}, {3, 3000}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        check_paths(WG_BACKEND_CPU, c % 2 ? WG_INT32 : WG_FLOAT32, cases[c][0], cases[c][1]);
    int dts[] = {WG_FLOAT32, WG_INT32, WG_INT16, WG_UINT8, WG_FLOAT64, WG_INT64};
    for (size_t d = 0; d < sizeof dts / sizeof *dts; d++) check_paths(WG_BACKEND_CPU, dts[d], 2, 4200);
    check_paths(WG_BACKEND_LOOPBACK, WG_FLOAT32, 2, 4099);
    check_paths(WG_BACKEND_CPU, WG_INT32, 1, 16385); /* argsort: a group kernel of 4 steps */
}
