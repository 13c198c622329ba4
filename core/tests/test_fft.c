#define _POSIX_C_SOURCE 200809L /* setenv: the FFT's A/B switch */
/* numpy.fft's engine (core/src/api/fft.c): the Stockham passes, Bluestein, rfft/irfft against a
 * direct DFT in double; errors; every backend's kernels run through the cpu and loopback
 * executors (the webgl2 gather forms are the only forms). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wgtest.h"
#include "wgpy.h"
#include "base/context.h"

/* the DFT of n complex points (pairs), sign -1 forward */
static void dft(const float *x, double *y, int n, int sign) {
    for (int k = 0; k < n; k++) {
        double re = 0, im = 0;
        for (int j = 0; j < n; j++) {
            double a = sign * 2.0 * 3.14159265358979323846 * (double)((long)j * k % n) / n;
            re += x[2 * j] * cos(a) - x[2 * j + 1] * sin(a);
            im += x[2 * j] * sin(a) + x[2 * j + 1] * cos(a);
        }
        y[2 * k] = re;
        y[2 * k + 1] = im;
    }
}

/* gather: run webgl2's gather passes on the cpu executor (the scatter passes run otherwise) */
static void check_c2c_as(int backend, int n, int inverse, int gather) {
    wg_context *ctx = wg_context_new(backend);
    if (gather) ctx->backend_id = WG_BACKEND_WEBGL2;
    float x[2 * 200], y[2 * 200];
    double ref[2 * 200];
    for (int j = 0; j < 2 * n; j++) x[j] = (float)sin(0.37 * j + 0.1) + (float)(j % 3) * 0.25f;
    int64_t shape[2] = {n, 2};
    wg_array *a = wg_from_data(ctx, WG_FLOAT32, 2, shape, x);
    wg_array *r = wg_fft(ctx, a, WG_FFT_C2C, INT64_MIN, -1, WG_FFT_NORM_BACKWARD,
                         WG_FFT_PAIRS | (inverse ? WG_FFT_INVERSE : 0));
    WG_CHECK(r != NULL);
    WG_CHECK_EQ_INT(wg_read(ctx, r, y, (int64_t)sizeof(float) * 2 * n), WG_OK);
    dft(x, ref, n, inverse ? 1 : -1);
    double mx = 0, err = 0;
    for (int j = 0; j < 2 * n; j++) {
        double want = inverse ? ref[j] / n : ref[j];
        mx = fmax(mx, fabs(want));
        err = fmax(err, fabs(y[j] - want));
    }
    /* float32: a few eps of the largest value, times log2(n) */
    WG_CHECK(err <= 8 * 1.2e-7 * mx * (1 + log2((double)n)));
    wg_release(a);
    wg_release(r);
    if (gather) ctx->backend_id = backend;
    wg_context_free(ctx);
}

static void check_c2c(int backend, int n, int inverse) {
    check_c2c_as(backend, n, inverse, 0);
    check_c2c_as(backend, n, inverse, 1);
}

WG_TEST(fft_c2c_sizes) {
    /* 1; radix 4, 2, 3, 5 and mixed; Bluestein (7, 17, 97, 194) */
    static const int sizes[] = {1, 2, 3, 4, 5, 6, 7, 8, 12, 15, 16, 17, 30, 60, 64, 97, 100, 194};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        check_c2c(WG_BACKEND_CPU, sizes[k], 0);
        check_c2c(WG_BACKEND_CPU, sizes[k], 1);
    }
    check_c2c(WG_BACKEND_LOOPBACK, 12, 0);
    check_c2c(WG_BACKEND_LOOPBACK, 7, 1);
}

/* rfft then irfft gives the input back: odd n (a full-length complex FFT) and even n (the
 * half-length packed transform) */
static void check_roundtrip(int n) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float x[2 * 16], back[2 * 16];
    for (int j = 0; j < 2 * n; j++) x[j] = (float)cos(0.5 * j) * (float)(j + 1);
    int64_t shape[2] = {2, n};
    wg_array *a = wg_from_data(ctx, WG_FLOAT32, 2, shape, x);
    wg_array *f = wg_fft(ctx, a, WG_FFT_R2C, INT64_MIN, 1, WG_FFT_NORM_ORTHO, 0);
    WG_CHECK(f != NULL);
    wg_array *b = wg_fft(ctx, f, WG_FFT_C2R, n, 1, WG_FFT_NORM_ORTHO,
                         WG_FFT_PAIRS | WG_FFT_INVERSE);
    WG_CHECK(b != NULL);
    WG_CHECK_EQ_INT(wg_read(ctx, b, back, (int64_t)sizeof(float) * 2 * n), WG_OK);
    for (int j = 0; j < 2 * n; j++) WG_CHECK_NEAR(back[j], x[j], 1e-4 * (j + 1));
    wg_release(a);
    wg_release(f);
    wg_release(b);
    wg_context_free(ctx);
}

WG_TEST(fft_rfft_irfft_roundtrip) {
    check_roundtrip(9);
    check_roundtrip(8);
    check_roundtrip(2);
    check_roundtrip(1);
    check_roundtrip(14);
}

WG_TEST(fft_errors) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float x[6] = {1, 2, 3, 4, 5, 6};
    int64_t shape[2] = {3, 2};
    wg_array *a = wg_from_data(ctx, WG_FLOAT32, 2, shape, x);
    WG_CHECK(wg_fft(ctx, a, WG_FFT_C2C, 0, -1, 0, WG_FFT_PAIRS) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
    wg_clear_error(ctx);
    WG_CHECK(wg_fft(ctx, a, WG_FFT_C2C, -1, -1, 0, WG_FFT_PAIRS) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
    wg_clear_error(ctx);
    WG_CHECK(wg_fft(ctx, a, WG_FFT_C2C, INT64_MIN, 1, 0, WG_FFT_PAIRS) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_AXIS);
    wg_clear_error(ctx);
    WG_CHECK(wg_fft(ctx, a, WG_FFT_R2C, INT64_MIN, -1, 0, WG_FFT_PAIRS) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_TYPE);
    wg_clear_error(ctx);
    wg_release(a);
    wg_context_free(ctx);
}

/* ---- the workgroup passes (docs/fft.md "Workgroup passes") ---------------------------------- */

/* kind's transform of x (M rows of n; complex: pairs) with the given FFT path; the result's
 * values into out (count: *len) and the kernels launched */
static int64_t run_path(wg_context *ctx, int path, int dt, const double *x, int64_t M, int64_t n,
                        int kind, int inverse, int norm, double *out, int64_t *len) {
    wg_set_fft_path(ctx, path);
    int cplx = kind != WG_FFT_R2C;
    int64_t nin = kind == WG_FFT_C2R ? n / 2 + 1 : n;
    int64_t shape[3] = {M, nin, 2};
    wg_array *a64 = wg_from_data(ctx, WG_FLOAT64, cplx ? 3 : 2, shape, x);
    wg_array *a = dt == WG_FLOAT64 ? (wg_retain(a64), a64) : wg_astype(ctx, a64, dt, WG_CAST_UNSAFE, 1);
    int64_t c0[WG_NCOUNTERS], c1[WG_NCOUNTERS];
    wg_sync(ctx);
    wg_counters(ctx, c0);
    wg_array *r = wg_fft(ctx, a, kind, n, -1, norm,
                         (cplx ? WG_FFT_PAIRS : 0) | (inverse ? WG_FFT_INVERSE : 0));
    WG_CHECK(r != NULL);
    wg_sync(ctx);
    wg_counters(ctx, c1);
    wg_array *r64 = wg_astype(ctx, r, WG_FLOAT64, WG_CAST_UNSAFE, 1);
    *len = kind == WG_FFT_C2C ? M * n * 2 : kind == WG_FFT_R2C ? M * (n / 2 + 1) * 2 : M * n;
    WG_CHECK_EQ_INT(wg_read(ctx, r64, out, *len * (int64_t)sizeof(double)), WG_OK);
    wg_release(a64);
    wg_release(a);
    wg_release(r);
    wg_release(r64);
    return c1[WG_COUNTER_KERNELS_LAUNCHED] - c0[WG_COUNTER_KERNELS_LAUNCHED];
}

/* the workgroup passes against the per-pass launches: close to a few float rounding errors per
 * pass (they round differently: radix 4/2 in workgroup memory against radix 8/4/2 launches) */
static void check_wg_in(wg_context *ctx, int dt, int64_t M, int64_t n, int kind, int inverse,
                        int norm, int64_t max_wg_launches) {
    int64_t nin = kind == WG_FFT_C2R ? n / 2 + 1 : n, nx = M * nin * 2;
    double *x = malloc(sizeof(double) * (size_t)nx);
    double *y0 = malloc(sizeof(double) * (size_t)(M * n * 2 + 2 * M));
    double *y1 = malloc(sizeof(double) * (size_t)(M * n * 2 + 2 * M));
    for (int64_t j = 0; j < nx; j++) x[j] = sin(0.37 * (double)j + 0.1) + (double)(j % 5) * 0.2;
    int64_t l0 = 0, l1 = 0;
    int64_t k0 = run_path(ctx, 1, dt, x, M, n, kind, inverse, norm, y0, &l0);
    int64_t k1 = run_path(ctx, 2, dt, x, M, n, kind, inverse, norm, y1, &l1);
    WG_CHECK_EQ_INT(l0, l1);
    double mx = 0, err = 0;
    for (int64_t j = 0; j < l0; j++) {
        mx = fmax(mx, fabs(y0[j]));
        err = fmax(err, fabs(y1[j] - y0[j]));
    }
    double eps = dt == WG_FLOAT64 ? 2.2e-16 : 1.2e-7;
    WG_CHECK(err <= 4 * eps * mx * (1 + log2((double)n)));
    WG_CHECK(k1 <= k0);
    /* the twiddle tables cached: a second call launches only the passes (C2C: 1 up to 2048
     * points, 2 beyond) and the real transforms' one pre- or post-step */
    int64_t k2 = run_path(ctx, 2, dt, x, M, n, kind, inverse, norm, y1, &l1);
    WG_CHECK(k2 <= k1);
    if (max_wg_launches > 0) WG_CHECK_EQ_INT(k2, max_wg_launches);
    free(x);
    free(y0);
    free(y1);
}

static void check_wg(int backend, int dt, int64_t M, int64_t n, int kind, int inverse, int norm,
                     int64_t max_wg_launches) {
    wg_context *ctx = wg_context_new(backend);
    wg_set_x64(ctx, 1); /* float64 in and out of the test (float32 inputs compute in float32) */
    check_wg_in(ctx, dt, M, n, kind, inverse, norm, max_wg_launches);
    wg_context_free(ctx);
}

WG_TEST(fft_workgroup_passes) {
    /* one pass (n <= 2048: odd and even log2 n, several rows a workgroup), the four-step */
    static const int64_t sizes[] = {2, 4, 8, 32, 64, 512, 2048, 4096, 8192, 32768};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        int64_t n = sizes[k], M = n <= 64 ? 5 : 1;
        check_wg(WG_BACKEND_CPU, WG_FLOAT32, M, n, WG_FFT_C2C, 0, WG_FFT_NORM_BACKWARD,
                 n <= 2048 ? 1 : 2);
        check_wg(WG_BACKEND_CPU, WG_FLOAT32, M, n, WG_FFT_C2C, 1, WG_FFT_NORM_ORTHO, 0);
        /* rfft: packed reals into the passes, the last of which unpacks; irfft: the pre-step,
         * then the passes write the reals */
        check_wg(WG_BACKEND_CPU, WG_FLOAT32, M, 2 * n, WG_FFT_R2C, 0, WG_FFT_NORM_FORWARD,
                 n <= 2048 ? 1 : 2);
        check_wg(WG_BACKEND_CPU, WG_FLOAT32, M, 2 * n, WG_FFT_C2R, 1, WG_FFT_NORM_BACKWARD,
                 n <= 2048 ? 2 : 3);
    }
    /* float64 (cpu), the stream's replay, Bluestein's power-of-two transforms */
    check_wg(WG_BACKEND_CPU, WG_FLOAT64, 3, 1024, WG_FFT_C2C, 0, WG_FFT_NORM_BACKWARD, 0);
    check_wg(WG_BACKEND_CPU, WG_FLOAT64, 1, 8192, WG_FFT_C2C, 1, WG_FFT_NORM_BACKWARD, 0);
    check_wg(WG_BACKEND_LOOPBACK, WG_FLOAT32, 2, 16, WG_FFT_C2C, 0, WG_FFT_NORM_BACKWARD, 0);
    check_wg(WG_BACKEND_LOOPBACK, WG_FLOAT32, 1, 4096, WG_FFT_R2C, 0, WG_FFT_NORM_BACKWARD, 0);
    check_wg(WG_BACKEND_CPU, WG_FLOAT32, 2, 97, WG_FFT_C2C, 0, WG_FFT_NORM_BACKWARD, 0);
    check_wg(WG_BACKEND_CPU, WG_FLOAT32, 1, 1000, WG_FFT_C2C, 1, WG_FFT_NORM_BACKWARD, 0);
    /* 4096-point tiles, where the device's workgroup memory holds 32 KiB (the H100's 48 KiB):
     * a part-filled last workgroup (3 rows of 1024), the four-step, rfft's fused unpack (rows of
     * 4096 points paired, two a workgroup), irfft */
    wg_context *big = wg_context_new(WG_BACKEND_CPU);
    wg_set_x64(big, 1);
    wg_set_workgroup_storage(big, 49152);
    check_wg_in(big, WG_FLOAT32, 3, 1024, WG_FFT_C2C, 0, WG_FFT_NORM_BACKWARD, 1);
    check_wg_in(big, WG_FLOAT32, 1, 8192, WG_FFT_C2C, 1, WG_FFT_NORM_ORTHO, 2);
    check_wg_in(big, WG_FLOAT32, 2, 16384, WG_FFT_R2C, 0, WG_FFT_NORM_BACKWARD, 2);
    check_wg_in(big, WG_FLOAT32, 1, 16384, WG_FFT_C2R, 1, WG_FFT_NORM_BACKWARD, 3);
    /* rfft's separate unpack (WGPY_FFT_RFUSE=0, the A/B aid; by default where a workgroup cannot
     * hold a row pair: 2^22 complex points with 2048-point tiles) */
    setenv("WGPY_FFT_RFUSE", "0", 1);
    check_wg_in(big, WG_FLOAT32, 2, 16384, WG_FFT_R2C, 0, WG_FFT_NORM_ORTHO, 3);
    check_wg_in(big, WG_FLOAT32, 1, 64, WG_FFT_R2C, 0, WG_FFT_NORM_BACKWARD, 2);
    unsetenv("WGPY_FFT_RFUSE");
    /* 512 threads a 4096-point tile where the device allows them (one butterfly a thread) */
    wg_set_workgroup_invocations(big, 1024);
    check_wg_in(big, WG_FLOAT32, 3, 1024, WG_FFT_C2C, 0, WG_FFT_NORM_BACKWARD, 1);
    /* the radix-32 first stage (2^11: 2 rows a tile, one loading thread in four) and, with the
     * A/B aids, the radix-2 and radix-4 first stages they replace (2^10, 2^11) */
    check_wg_in(big, WG_FLOAT32, 3, 2048, WG_FFT_C2C, 1, WG_FFT_NORM_ORTHO, 1);
    setenv("WGPY_FFT_R16", "0", 1);
    setenv("WGPY_FFT_R32", "0", 1);
    check_wg_in(big, WG_FLOAT32, 3, 1024, WG_FFT_C2C, 0, WG_FFT_NORM_BACKWARD, 1);
    check_wg_in(big, WG_FLOAT32, 1, 2048, WG_FFT_C2C, 0, WG_FFT_NORM_BACKWARD, 1);
    unsetenv("WGPY_FFT_R16");
    unsetenv("WGPY_FFT_R32");
    /* the four-step's twiddles made by products (WGPY_FFT_TWINC=1, an A/B aid): fft and rfft */
    setenv("WGPY_FFT_TWINC", "1", 1);
    check_wg_in(big, WG_FLOAT32, 1, 32768, WG_FFT_C2C, 0, WG_FFT_NORM_BACKWARD, 2);
    check_wg_in(big, WG_FLOAT32, 2, 16384, WG_FFT_R2C, 0, WG_FFT_NORM_BACKWARD, 2);
    unsetenv("WGPY_FFT_TWINC");
    /* session 16's A/B aids: the four-step's twiddles read before the first barrier
     * (WGPY_FFT_TWPRE=1; fft 2^15 and rfft's first pass); rfft's fused unpack stored by batch
     * (WGPY_FFT_RMAP=1, with the column length 2^7 and 2^5: 4 and 16 rows a tile) and the fused
     * load's crop/pad checks kept where they are idle (WGPY_FFT_PD=1) */
    setenv("WGPY_FFT_TWPRE", "1", 1);
    check_wg_in(big, WG_FLOAT32, 1, 32768, WG_FFT_C2C, 0, WG_FFT_NORM_BACKWARD, 2);
    check_wg_in(big, WG_FLOAT32, 2, 16384, WG_FFT_R2C, 0, WG_FFT_NORM_BACKWARD, 2);
    unsetenv("WGPY_FFT_TWPRE");
    setenv("WGPY_FFT_RMAP", "1", 1);
    setenv("WGPY_FFT_SPLIT", "7", 1);
    check_wg_in(big, WG_FLOAT32, 2, 32768, WG_FFT_R2C, 0, WG_FFT_NORM_BACKWARD, 2);
    setenv("WGPY_FFT_SPLIT", "5", 1);
    check_wg_in(big, WG_FLOAT32, 1, 32768, WG_FFT_R2C, 0, WG_FFT_NORM_ORTHO, 2);
    unsetenv("WGPY_FFT_SPLIT");
    unsetenv("WGPY_FFT_RMAP");
    /* the pairs stored a float a thread after the last stage in place (WGPY_FFT_ST2=1): the
     * one pass, the four-step, rfft's fused unpack (and by batch), irfft's last pass */
    setenv("WGPY_FFT_ST2", "1", 1);
    check_wg_in(big, WG_FLOAT32, 3, 1024, WG_FFT_C2C, 0, WG_FFT_NORM_BACKWARD, 1);
    check_wg_in(big, WG_FLOAT32, 1, 32768, WG_FFT_C2C, 1, WG_FFT_NORM_ORTHO, 2);
    check_wg_in(big, WG_FLOAT32, 2, 16384, WG_FFT_R2C, 0, WG_FFT_NORM_FORWARD, 2);
    check_wg_in(big, WG_FLOAT32, 1, 16384, WG_FFT_C2R, 1, WG_FFT_NORM_BACKWARD, 3);
    setenv("WGPY_FFT_RMAP", "1", 1);
    check_wg_in(big, WG_FLOAT32, 2, 16384, WG_FFT_R2C, 0, WG_FFT_NORM_BACKWARD, 2);
    unsetenv("WGPY_FFT_RMAP");
    unsetenv("WGPY_FFT_ST2");
    setenv("WGPY_FFT_PD", "1", 1);
    check_wg_in(big, WG_FLOAT32, 1, 8192, WG_FFT_C2C, 1, WG_FFT_NORM_ORTHO, 2);
    check_wg_in(big, WG_FLOAT32, 2, 16384, WG_FFT_R2C, 0, WG_FFT_NORM_BACKWARD, 2);
    unsetenv("WGPY_FFT_PD");
    check_wg_in(big, WG_FLOAT32, 2, 16384, WG_FFT_R2C, 0, WG_FFT_NORM_BACKWARD, 2);
    check_wg_in(big, WG_FLOAT32, 1, 16384, WG_FFT_C2R, 1, WG_FFT_NORM_BACKWARD, 3);
    wg_context_free(big);
}

WG_TEST(fft_workgroup_many_shapes) {
    /* each shape runs a kernel specialized for it (its sizes and strides as shader constants);
     * a context keeps 64 specializations, then runs the generic kernels: 78 shapes in one
     * context, the later ones through the generic kernels, all against the per-pass launches */
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wg_set_x64(ctx, 1);
    for (int inv = 0; inv < 2; inv++)
        for (int lg = 1; lg <= 12; lg++) {
            int64_t n = (int64_t)1 << lg;
            check_wg_in(ctx, WG_FLOAT32, 2, n, WG_FFT_C2C, inv, WG_FFT_NORM_BACKWARD, 0);
            check_wg_in(ctx, WG_FLOAT32, 1, 2 * n, WG_FFT_R2C, inv, WG_FFT_NORM_ORTHO, 0);
            check_wg_in(ctx, WG_FLOAT32, 1, 2 * n, WG_FFT_C2R, inv, WG_FFT_NORM_FORWARD, 0);
        }
    wg_context_free(ctx);
}
