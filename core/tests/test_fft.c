/* numpy.fft's engine (core/src/api/fft.c): the Stockham passes, Bluestein, rfft/irfft against a
 * direct DFT in double; errors; every backend's kernels run through the cpu and loopback
 * executors (the webgl2 gather forms are the only forms). */
#include <math.h>
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
