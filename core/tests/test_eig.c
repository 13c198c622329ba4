/* linalg.eig (api/lapack.c, "eig") through the C API: the Hessenberg/Francis loop the caller
 * drives, eigenvalues of a block-diagonal matrix with a rotation (complex pair) and a real
 * pair, LAPACK's real eigenvector storage, the eigvals path (Z NULL), errors, no leaks. */
#include <math.h>

#include "wgtest.h"
#include "api/libk.h"

static int32_t eig_flag_of(wg_context *ctx, wg_array *f) {
    int32_t v = -99;
    WG_CHECK_EQ_INT(wg_read(ctx, f, &v, sizeof v), WG_OK);
    wg_release(f);
    return v;
}

/* Runs the whole loop; returns the number of sweep calls (or -1 on a bad flag). */
static int eig_run(wg_context *ctx, wg_array *A, int compute_v, wg_array **wr, wg_array **wi,
                   wg_array **vr, int32_t *cplx) {
    wg_array *H = NULL, *Z = NULL, *C = NULL, *F = NULL;
    WG_CHECK_EQ_INT(wg_linalg_eig_init(ctx, A, compute_v, &H, &Z, &C, &F), WG_OK);
    WG_CHECK(compute_v ? Z != NULL : Z == NULL);
    int32_t f = eig_flag_of(ctx, F);
    int calls = 0;
    while (f > 0 && calls < 200) {
        wg_array *H2 = NULL, *Z2 = NULL, *C2 = NULL;
        WG_CHECK_EQ_INT(wg_linalg_eig_sweep(ctx, H, Z, C, f - 1, 1, &H2, &Z2, &C2, &F), WG_OK);
        wg_release(H);
        wg_release(Z);
        wg_release(C);
        H = H2;
        Z = Z2;
        C = C2;
        f = eig_flag_of(ctx, F);
        calls++;
    }
    wg_array *CF = NULL;
    if (f == 0) {
        WG_CHECK_EQ_INT(wg_linalg_eig_finish(ctx, H, Z, wr, wi, vr, &CF), WG_OK);
        *cplx = eig_flag_of(ctx, CF);
    }
    wg_release(H);
    wg_release(Z);
    wg_release(C);
    return f == 0 ? calls : -1;
}

WG_TEST(eig_block_diagonal_similarity) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    /* A = S D S^-1 with D = diag(rot(2 +- 3i), 1, -4) and S = I + upper ones: eigenvalues
     * 2 +- 3i, 1, -4 */
    float a[16] = {0};
    float d[16] = {2, -3, 0, 0, 3, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, -4};
    float s[16] = {1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1};
    float si[16] = {1, -1, 0, 0, 0, 1, -1, 0, 0, 0, 1, -1, 0, 0, 0, 1};
    float t[16] = {0};
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++)
            for (int k = 0; k < 4; k++) t[r * 4 + c] += s[r * 4 + k] * d[k * 4 + c];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++)
            for (int k = 0; k < 4; k++) a[r * 4 + c] += t[r * 4 + k] * si[k * 4 + c];
    int64_t sa[2] = {4, 4};
    wg_array *A = wg_from_data(ctx, WG_FLOAT32, 2, sa, a);
    wg_array *WR = NULL, *WI = NULL, *VR = NULL;
    int32_t cplx = -1;
    WG_CHECK(eig_run(ctx, A, 1, &WR, &WI, &VR, &cplx) >= 0);
    WG_CHECK_EQ_INT(cplx, 1);
    float wr[4], wi[4], v[16];
    WG_CHECK_EQ_INT(wg_read(ctx, WR, wr, sizeof wr), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, WI, wi, sizeof wi), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, VR, v, sizeof v), WG_OK);
    int seen_pair = 0, seen1 = 0, seen4 = 0;
    for (int j = 0; j < 4; j++) {
        if (wi[j] > 0) {
            WG_CHECK_NEAR(wr[j], 2.0, 1e-4);
            WG_CHECK_NEAR(wi[j], 3.0, 1e-4);
            WG_CHECK(j + 1 < 4);
            WG_CHECK_NEAR(wi[j + 1], -3.0, 1e-4);
            seen_pair++;
            /* A (x + iy) = (wr + i wi)(x + iy): A x = wr x - wi y */
            for (int r = 0; r < 4; r++) {
                double ax = 0;
                for (int k = 0; k < 4; k++) ax += a[r * 4 + k] * v[k * 4 + j];
                WG_CHECK_NEAR(ax, wr[j] * v[r * 4 + j] - wi[j] * v[r * 4 + j + 1], 1e-4);
            }
        } else if (wi[j] == 0) {
            if (fabs(wr[j] - 1.0) < 1e-4) seen1++;
            if (fabs(wr[j] + 4.0) < 1e-4) seen4++;
            double nrm = 0;
            for (int r = 0; r < 4; r++) nrm += (double)v[r * 4 + j] * v[r * 4 + j];
            WG_CHECK_NEAR(nrm, 1.0, 1e-5);
        }
    }
    WG_CHECK_EQ_INT(seen_pair, 1);
    WG_CHECK_EQ_INT(seen1, 1);
    WG_CHECK_EQ_INT(seen4, 1);
    wg_release(WR);
    wg_release(WI);
    wg_release(VR);
    /* eigvals: no Z, no vectors */
    WR = WI = VR = NULL;
    WG_CHECK(eig_run(ctx, A, 0, &WR, &WI, &VR, &cplx) >= 0);
    WG_CHECK(VR == NULL);
    WG_CHECK_EQ_INT(cplx, 1);
    wg_release(WR);
    wg_release(WI);
    wg_release(A);
    /* the companion matrix of (x-1)(x-2)(x-3)(x^2+1): Francis sweeps needed */
    float cm[25] = {6, -12, 12, -11, 6, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0};
    int64_t s5[2] = {5, 5};
    A = wg_from_data(ctx, WG_FLOAT32, 2, s5, cm);
    WR = WI = VR = NULL;
    WG_CHECK(eig_run(ctx, A, 1, &WR, &WI, &VR, &cplx) >= 1);
    WG_CHECK_EQ_INT(cplx, 1);
    float r5[5], i5[5];
    WG_CHECK_EQ_INT(wg_read(ctx, WR, r5, sizeof r5), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, WI, i5, sizeof i5), WG_OK);
    int found[5] = {0, 0, 0, 0, 0}; /* 1, 2, 3, i, -i */
    for (int j = 0; j < 5; j++) {
        for (int q = 0; q < 3; q++)
            if (fabs(r5[j] - (q + 1)) < 1e-3 && fabs(i5[j]) < 1e-3) found[q]++;
        if (fabs(r5[j]) < 1e-3 && fabs(i5[j] - 1) < 1e-3) found[3]++;
        if (fabs(r5[j]) < 1e-3 && fabs(i5[j] + 1) < 1e-3) found[4]++;
    }
    for (int q = 0; q < 5; q++) WG_CHECK_EQ_INT(found[q], 1);
    wg_release(WR);
    wg_release(WI);
    wg_release(VR);
    wg_release(A);
    wg_context_free(ctx);
}

WG_TEST(eig_errors_and_nan) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float a[6] = {1, 2, 3, 4, 5, 6};
    int64_t s23[2] = {2, 3}, s22[2] = {2, 2};
    wg_array *A = wg_from_data(ctx, WG_FLOAT32, 2, s23, a);
    wg_array *H = NULL, *Z = NULL, *C = NULL, *F = NULL;
    WG_CHECK_EQ_INT(wg_linalg_eig_init(ctx, A, 1, &H, &Z, &C, &F), WG_ERR_VALUE);
    WG_CHECK(H == NULL && Z == NULL && C == NULL && F == NULL);
    wg_clear_error(ctx);
    wg_release(A);
    float b[4] = {1, NAN, 0, 1};
    wg_array *B = wg_from_data(ctx, WG_FLOAT32, 2, s22, b);
    WG_CHECK_EQ_INT(wg_linalg_eig_init(ctx, B, 0, &H, &Z, &C, &F), WG_OK);
    WG_CHECK_EQ_INT(eig_flag_of(ctx, F), -1);
    wg_release(H);
    wg_release(C);
    wg_release(B);
    wg_context_free(ctx);
}
