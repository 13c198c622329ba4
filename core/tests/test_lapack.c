/* numpy.linalg's decompositions (api/lapack.c) through the C API: results, the flags the
 * caller reads, a Jacobi sweep loop, and no leak on any path (ASan). */
#include <math.h>

#include "wgtest.h"
#include "api/libk.h"
#include "base/context.h"

static int32_t flag_of(wg_context *ctx, wg_array *f) {
    int32_t v = -1;
    WG_CHECK_EQ_INT(wg_read(ctx, f, &v, sizeof v), WG_OK);
    wg_release(f);
    return v;
}

WG_TEST(lapack_solve_inv_det) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    /* two 2x2 systems; the first needs a row swap */
    float a[8] = {0, 1, 2, 3, 4, 1, 1, 3}, b[4] = {1, 2, 5, 4}, x[4], d[2];
    int64_t sa[3] = {2, 2, 2}, sb[3] = {2, 2, 1};
    wg_array *A = wg_from_data(ctx, WG_FLOAT32, 3, sa, a);
    wg_array *B = wg_from_data(ctx, WG_FLOAT32, 3, sb, b);
    wg_array *X = NULL, *F = NULL;
    WG_CHECK_EQ_INT(wg_linalg_solve(ctx, A, B, &X, &F), WG_OK);
    WG_CHECK_EQ_INT(flag_of(ctx, F), 0);
    WG_CHECK_EQ_INT(wg_read(ctx, X, x, sizeof x), WG_OK);
    /* 0x + y = 1, 2x + 3y = 2 -> x = -0.5, y = 1; 4x + y = 5, x + 3y = 4 -> x = 1, y = 1 */
    WG_CHECK_NEAR(x[0], -0.5, 1e-6);
    WG_CHECK_NEAR(x[1], 1.0, 1e-6);
    WG_CHECK_NEAR(x[2], 1.0, 1e-6);
    WG_CHECK_NEAR(x[3], 1.0, 1e-6);
    wg_release(X);
    wg_array *D = NULL;
    WG_CHECK_EQ_INT(wg_linalg_det(ctx, A, 0, NULL, &D), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, D, d, sizeof d), WG_OK);
    WG_CHECK_NEAR(d[0], -2.0, 1e-6);
    WG_CHECK_NEAR(d[1], 11.0, 1e-5);
    wg_release(D);
    float s[4] = {1, 2, 2, 4};
    int64_t ss[2] = {2, 2};
    wg_array *S = wg_from_data(ctx, WG_FLOAT32, 2, ss, s);
    WG_CHECK_EQ_INT(wg_linalg_inv(ctx, S, &X, &F), WG_OK);
    WG_CHECK_EQ_INT(flag_of(ctx, F), 1); /* singular */
    wg_release(X);
    WG_CHECK_EQ_INT(wg_linalg_cholesky(ctx, S, 0, &X, &F), WG_OK);
    WG_CHECK_EQ_INT(flag_of(ctx, F), 1); /* not positive definite */
    wg_release(X);
    /* refused shapes: LinAlgError as WG_ERR_VALUE */
    int64_t s1[1] = {4};
    wg_array *V = wg_from_data(ctx, WG_FLOAT32, 1, s1, s);
    WG_CHECK_EQ_INT(wg_linalg_inv(ctx, V, &X, &F), WG_ERR_VALUE);
    WG_CHECK(X == NULL && F == NULL);
    wg_clear_error(ctx);
    wg_release(V);
    wg_release(S);
    wg_release(A);
    wg_release(B);
    wg_context_free(ctx);
}

WG_TEST(lapack_eigh_svd_qr) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float a[9] = {2, 1, 0, 1, 2, 0, 0, 0, 5}, w[3], sv[2];
    int64_t sa[2] = {3, 3};
    wg_array *A = wg_from_data(ctx, WG_FLOAT32, 2, sa, a);
    wg_array *S = NULL, *V = NULL, *F = NULL;
    WG_CHECK_EQ_INT(wg_linalg_eigh_init(ctx, A, 1, 1, &S, &V), WG_OK);
    int sweeps = 0, f = 1;
    while (f && sweeps < 20) {
        wg_array *S2 = NULL, *V2 = NULL;
        WG_CHECK_EQ_INT(wg_linalg_eigh_sweep(ctx, S, V, &S2, &V2, &F), WG_OK);
        wg_release(S);
        wg_release(V);
        S = S2;
        V = V2;
        f = flag_of(ctx, F);
        sweeps++;
    }
    WG_CHECK_EQ_INT(f, 0);
    wg_array *W = NULL, *VS = NULL;
    WG_CHECK_EQ_INT(wg_linalg_eigh_finish(ctx, S, V, &W, &VS), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, W, w, sizeof w), WG_OK);
    WG_CHECK_NEAR(w[0], 1.0, 1e-5);
    WG_CHECK_NEAR(w[1], 3.0, 1e-5);
    WG_CHECK_NEAR(w[2], 5.0, 1e-5);
    wg_release(W);
    wg_release(VS);
    wg_release(S);
    wg_release(V);
    /* svd of a 3x2 */
    float m[6] = {3, 0, 0, 4, 0, 0};
    int64_t sm[2] = {3, 2};
    wg_array *M = wg_from_data(ctx, WG_FLOAT32, 2, sm, m);
    wg_array *G = NULL, *U = NULL, *SV = NULL, *VH = NULL;
    WG_CHECK_EQ_INT(wg_linalg_svd_init(ctx, M, 1, &G), WG_OK);
    for (f = 1, sweeps = 0; f && sweeps < 20; sweeps++) {
        wg_array *G2 = NULL;
        WG_CHECK_EQ_INT(wg_linalg_svd_sweep(ctx, G, 3, &G2, &F), WG_OK);
        wg_release(G);
        G = G2;
        f = flag_of(ctx, F);
    }
    WG_CHECK_EQ_INT(wg_linalg_svd_finish(ctx, M, G, 1, 1, &U, &SV, &VH), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, SV, sv, sizeof sv), WG_OK);
    WG_CHECK_NEAR(sv[0], 4.0, 1e-6);
    WG_CHECK_NEAR(sv[1], 3.0, 1e-6);
    WG_CHECK_EQ_INT((int)U->lay.shape[1], 3);
    wg_release(U);
    wg_release(SV);
    wg_release(VH);
    wg_release(G);
    /* qr complete */
    wg_array *Q = NULL, *R = NULL;
    WG_CHECK_EQ_INT(wg_linalg_qr(ctx, M, 1, &Q, &R), WG_OK);
    WG_CHECK_EQ_INT((int)Q->lay.shape[0], 3);
    WG_CHECK_EQ_INT((int)R->lay.shape[0], 3);
    wg_release(Q);
    wg_release(R);
    wg_release(M);
    wg_release(A);
    wg_context_free(ctx);
}

/* The blocked factorizations (api/lapack_blocked.c: cpu's default) against the per-column
 * gathers (webgl2's, run here on the cpu executor): two matrices of 130 (panels of 64, 64, 2)
 * whose pivots cross panels, three right-hand sides, a singular one, and a launch count that
 * grows with n / 64, not n. */
static void linalg_run(wg_context *ctx, int gather, wg_array *A, wg_array *Bm, wg_array *S,
                       float *x, float *l, float *d, int32_t *fl) {
    int keep = ctx->backend_id, keep_path = wg_set_linalg_path(ctx, gather == 2 ? 2 : 0);
    if (gather == 1) ctx->backend_id = WG_BACKEND_WEBGL2;
    wg_array *X = NULL, *F = NULL, *L = NULL, *G = NULL, *D = NULL, *Sg = NULL;
    WG_CHECK_EQ_INT(wg_linalg_solve(ctx, A, Bm, &X, &F), WG_OK);
    WG_CHECK_EQ_INT(wg_linalg_cholesky(ctx, S, 0, &L, &G), WG_OK);
    WG_CHECK_EQ_INT(wg_linalg_det(ctx, A, 1, &Sg, &D), WG_OK); /* slogdet: no overflow */
    if (X && L && D) {
        WG_CHECK_EQ_INT(wg_read(ctx, X, x, (int64_t)sizeof(float) * 2 * 130 * 3), WG_OK);
        WG_CHECK_EQ_INT(wg_read(ctx, L, l, (int64_t)sizeof(float) * 2 * 130 * 130), WG_OK);
        WG_CHECK_EQ_INT(wg_read(ctx, D, d, (int64_t)sizeof(float) * 2), WG_OK);
        WG_CHECK_EQ_INT(wg_read(ctx, Sg, d + 2, (int64_t)sizeof(float) * 2), WG_OK);
        fl[0] = flag_of(ctx, F);
        fl[1] = flag_of(ctx, G);
    }
    wg_release(X);
    wg_release(L);
    wg_release(D);
    wg_release(Sg);
    ctx->backend_id = keep;
    wg_set_linalg_path(ctx, keep_path);
}

WG_TEST(lapack_blocked_matches_gathers) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    enum { N = 130 };
    static float a[2 * N * N], s[2 * N * N], b[2 * N * 3], x[3][2 * N * 3], l[3][2 * N * N];
    float d[3][4];
    int32_t fl[3][2];
    for (int m = 0; m < 2; m++)
        for (int r = 0; r < N; r++)
            for (int c = 0; c < N; c++) {
                float v = (float)sin(0.37 * (r * N + c) + m) + (r == (c + 70) % N ? 3.0f : 0.0f);
                a[(m * N + r) * N + c] = v;
                s[(m * N + r) * N + c] = (float)(0.5 * cos(0.11 * (r - c) * (r + c + 1))) +
                                         (r == c ? (float)N : 0.0f);
            }
    for (int j = 0; j < 2 * N * 3; j++) b[j] = (float)cos(0.3 * j);
    int64_t sa[3] = {2, N, N}, sb[3] = {2, N, 3};
    wg_array *A = wg_from_data(ctx, WG_FLOAT32, 3, sa, a);
    wg_array *Bm = wg_from_data(ctx, WG_FLOAT32, 3, sb, b);
    wg_array *S = wg_from_data(ctx, WG_FLOAT32, 3, sa, s);
    /* g: 0 blocked (the cpu backend: the CPU-like devices' kernels), 1 the gathers, 2 blocked
     * with the GPU's kernels (wg_set_linalg_path 2) */
    for (int g = 0; g < 3; g++) linalg_run(ctx, g, A, Bm, S, x[g], l[g], d[g], fl[g]);
    for (int g = 0; g < 3; g++) {
        WG_CHECK_EQ_INT(fl[g][0], 0);
        WG_CHECK_EQ_INT(fl[g][1], 0);
    }
    for (int g = 0; g < 3; g += 2) {
        double ex = 0, el = 0, mx = 0, ml = 0;
        for (int j = 0; j < 2 * N * 3; j++) {
            ex = fmax(ex, fabs(x[g][j] - x[1][j]));
            mx = fmax(mx, fabs(x[1][j]));
        }
        for (int j = 0; j < 2 * N * N; j++) {
            el = fmax(el, fabs(l[g][j] - l[1][j]));
            ml = fmax(ml, fabs(l[1][j]));
        }
        WG_CHECK(ex <= 1e-4 * mx);
        WG_CHECK(el <= 1e-5 * ml);
        WG_CHECK_NEAR(d[g][0], d[1][0], 1e-4 * fabs(d[1][0]));
        WG_CHECK_NEAR(d[g][1], d[1][1], 1e-4 * fabs(d[1][1]));
        WG_CHECK(d[g][2] == d[1][2] && d[g][3] == d[1][3]); /* the signs */
    }
    /* column 100 of the second matrix zero: a zero pivot in panel 2 on both paths (a copied
     * row would not do: whether its pivot comes out exactly 0 depends on the order of the
     * sums, for the blocked path as for LAPACK's) */
    for (int r = 0; r < N; r++) a[(N + r) * N + 100] = 0;
    wg_release(A);
    A = wg_from_data(ctx, WG_FLOAT32, 3, sa, a);
    for (int g = 0; g < 3; g++) {
        linalg_run(ctx, g, A, Bm, S, x[g], l[g], d[g], fl[g]);
        WG_CHECK_EQ_INT(fl[g][0], 1);
    }
    /* launches: n / 64 panels of a few each, not n (the gathers: 2n + 2 for solve) */
    wg_array *E = wg_eye(ctx, WG_FLOAT32, 256, 256, 0), *b1 = wg_eye(ctx, WG_FLOAT32, 256, 1, 0);
    wg_array *X = NULL, *F = NULL;
    WG_CHECK_EQ_INT(wg_sync(ctx), WG_OK);
    int64_t c0 = ctx->counters[WG_COUNTER_KERNELS_LAUNCHED];
    WG_CHECK_EQ_INT(wg_linalg_solve(ctx, E, b1, &X, &F), WG_OK);
    WG_CHECK_EQ_INT(flag_of(ctx, F), 0);
    WG_CHECK(ctx->counters[WG_COUNTER_KERNELS_LAUNCHED] - c0 <= 256 / 8);
    wg_release(X);
    wg_release(E);
    wg_release(b1);
    wg_release(A);
    wg_release(Bm);
    wg_release(S);
    wg_context_free(ctx);
}
