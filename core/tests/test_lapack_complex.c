/* numpy.linalg of complex matrices (api/lapack_complex.c) through the public wg_linalg_*
 * functions: results, flags, refused shapes, and no leak on any path (ASan). */
#include "wgtest.h"
#include "api/api.h"

#include <math.h>

static int32_t cflag_of(wg_context *ctx, wg_array *f) {
    int32_t v = -1;
    WG_CHECK_EQ_INT(wg_read(ctx, f, &v, sizeof v), WG_OK);
    wg_release(f);
    return v;
}

WG_TEST(lapack_complex_solve_inv_det_cholesky) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    /* A = [[1+2i, 3], [4i, 5-i]]: det = (1+2i)(5-i) - 12i = 7 - 3i (a row swap: |4i| > |1+2i|) */
    float a[8] = {1, 2, 3, 0, 0, 4, 5, -1}, d[2], x[4];
    int64_t sa[2] = {2, 2}, sb[2] = {2, 1};
    wg_array *A = wg_from_data(ctx, WG_COMPLEX64, 2, sa, a);
    wg_array *D = NULL, *S = NULL, *L = NULL, *X = NULL, *F = NULL;
    WG_CHECK_EQ_INT(wg_linalg_det(ctx, A, 0, NULL, &D), WG_OK);
    WG_CHECK_EQ_INT(D->dtype, WG_COMPLEX64);
    WG_CHECK_EQ_INT(wg_read(ctx, D, d, sizeof d), WG_OK);
    WG_CHECK_NEAR(d[0], 7.0, 1e-5);
    WG_CHECK_NEAR(d[1], -3.0, 1e-5);
    wg_release(D);
    WG_CHECK_EQ_INT(wg_linalg_det(ctx, A, 1, &S, &L), WG_OK);
    WG_CHECK_EQ_INT(L->dtype, WG_FLOAT32);
    WG_CHECK_EQ_INT(wg_read(ctx, S, d, sizeof d), WG_OK);
    WG_CHECK_NEAR(d[0], 7.0 / sqrt(58.0), 1e-6);
    WG_CHECK_NEAR(d[1], -3.0 / sqrt(58.0), 1e-6);
    WG_CHECK_EQ_INT(wg_read(ctx, L, d, sizeof(float)), WG_OK);
    WG_CHECK_NEAR(d[0], 0.5 * log(58.0), 1e-5);
    wg_release(S);
    wg_release(L);
    /* A x = b with x = (1, i): b = (1+2i + 3i, 4i + 5i + 1) = (1+5i, 1+9i) */
    float b[4] = {1, 5, 1, 9};
    wg_array *B = wg_from_data(ctx, WG_COMPLEX64, 2, sb, b);
    WG_CHECK_EQ_INT(wg_linalg_solve(ctx, A, B, &X, &F), WG_OK);
    WG_CHECK_EQ_INT(cflag_of(ctx, F), 0);
    WG_CHECK_EQ_INT(X->dtype, WG_COMPLEX64);
    WG_CHECK_EQ_INT(wg_read(ctx, X, x, sizeof x), WG_OK);
    WG_CHECK_NEAR(x[0], 1.0, 1e-5);
    WG_CHECK_NEAR(x[1], 0.0, 1e-5);
    WG_CHECK_NEAR(x[2], 0.0, 1e-5);
    WG_CHECK_NEAR(x[3], 1.0, 1e-5);
    wg_release(X);
    wg_release(B);
    /* inv(A) = [[5-i, -3], [-4i, 1+2i]] / (7-3i); A inv(A)'s (0, 0) element is 1 */
    float v[8];
    WG_CHECK_EQ_INT(wg_linalg_inv(ctx, A, &X, &F), WG_OK);
    WG_CHECK_EQ_INT(cflag_of(ctx, F), 0);
    WG_CHECK_EQ_INT(wg_read(ctx, X, v, sizeof v), WG_OK);
    /* (5-i)/(7-3i) = (5-i)(7+3i)/58 = (38+8i)/58 */
    WG_CHECK_NEAR(v[0], 38.0 / 58.0, 1e-5);
    WG_CHECK_NEAR(v[1], 8.0 / 58.0, 1e-5);
    wg_release(X);
    /* cholesky of the Hermitian [[4, 2i], [-2i, 5]] (lower read): L = [[2, 0], [-i, 2]] */
    float h[8] = {4, 7, 99, 99, 0, -2, 5, 3};
    wg_array *H = wg_from_data(ctx, WG_COMPLEX64, 2, sa, h);
    WG_CHECK_EQ_INT(wg_linalg_cholesky(ctx, H, 0, &X, &F), WG_OK);
    WG_CHECK_EQ_INT(cflag_of(ctx, F), 0);
    WG_CHECK_EQ_INT(wg_read(ctx, X, v, sizeof v), WG_OK);
    WG_CHECK_NEAR(v[0], 2.0, 1e-6);
    WG_CHECK_NEAR(v[1], 0.0, 1e-6);
    WG_CHECK_NEAR(v[2], 0.0, 1e-6);
    WG_CHECK_NEAR(v[4], 0.0, 1e-6);
    WG_CHECK_NEAR(v[5], -1.0, 1e-6);
    WG_CHECK_NEAR(v[6], 2.0, 1e-6);
    wg_release(X);
    wg_release(H);
    /* singular: the flag; not square: LinAlgError (WG_ERR_VALUE), nothing handed out */
    float z[8] = {0};
    wg_array *Z = wg_from_data(ctx, WG_COMPLEX64, 2, sa, z);
    WG_CHECK_EQ_INT(wg_linalg_inv(ctx, Z, &X, &F), WG_OK);
    WG_CHECK_EQ_INT(cflag_of(ctx, F), 1);
    wg_release(X);
    WG_CHECK_EQ_INT(wg_linalg_cholesky(ctx, Z, 1, &X, &F), WG_OK);
    WG_CHECK_EQ_INT(cflag_of(ctx, F), 1);
    wg_release(X);
    wg_release(Z);
    int64_t s23[2] = {2, 3};
    float r[12] = {0};
    wg_array *R = wg_from_data(ctx, WG_COMPLEX64, 2, s23, r);
    WG_CHECK_EQ_INT(wg_linalg_det(ctx, R, 0, NULL, &D), WG_ERR_VALUE);
    WG_CHECK(D == NULL);
    wg_clear_error(ctx);
    WG_CHECK_EQ_INT(wg_linalg_inv(ctx, R, &X, &F), WG_ERR_VALUE);
    WG_CHECK(X == NULL && F == NULL);
    wg_clear_error(ctx);
    wg_release(R);
    wg_release(A);
    wg_context_free(ctx);
}

WG_TEST(lapack_complex_embedding) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    /* a (1, 2) complex matrix [[1+2i, 3-4i]]: emb is [[1, -2, 3, 4], [2, 1, -4, 3]] */
    float a[4] = {1, 2, 3, -4}, e[8], z[4];
    int64_t sa[2] = {1, 2};
    wg_array *A = wg_from_data(ctx, WG_COMPLEX64, 2, sa, a), *E = NULL, *Z = NULL, *P = NULL;
    WG_CHECK_EQ_INT(wg_linalg_cemb(ctx, A, 0, &E), WG_OK);
    WG_CHECK_EQ_INT(E->lay.shape[0], 2);
    WG_CHECK_EQ_INT(E->lay.shape[1], 4);
    WG_CHECK_EQ_INT(wg_read(ctx, E, e, sizeof e), WG_OK);
    float want[8] = {1, -2, 3, 4, 2, 1, -4, 3};
    for (int i = 0; i < 8; i++) WG_CHECK_NEAR(e[i], want[i], 0);
    /* back: the first column of each block, and the first row conjugated back */
    for (int mode = 0; mode <= 3; mode += 3) {
        WG_CHECK_EQ_INT(wg_linalg_cunemb(ctx, E, mode, -1, &Z), WG_OK);
        WG_CHECK_EQ_INT(Z->dtype, WG_COMPLEX64);
        WG_CHECK_EQ_INT(wg_read(ctx, Z, z, sizeof z), WG_OK);
        for (int i = 0; i < 4; i++) WG_CHECK_NEAR(z[i], a[i], 0);
        wg_release(Z);
    }
    /* the conjugate transpose: (2, 1) [[1-2i], [3+4i]] */
    WG_CHECK_EQ_INT(wg_linalg_cunemb(ctx, E, 2, -1, &Z), WG_OK);
    WG_CHECK_EQ_INT(Z->lay.shape[0], 2);
    WG_CHECK_EQ_INT(wg_read(ctx, Z, z, sizeof z), WG_OK);
    WG_CHECK_NEAR(z[1], -2, 0);
    WG_CHECK_NEAR(z[3], 4, 0);
    wg_release(Z);
    /* rows: (2, 2) [[1, 3], [2, -4]], and back */
    WG_CHECK_EQ_INT(wg_linalg_cemb(ctx, A, 3, &P), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, P, e, 4 * sizeof(float)), WG_OK);
    WG_CHECK_NEAR(e[1], 3, 0);
    WG_CHECK_NEAR(e[2], 2, 0);
    WG_CHECK_EQ_INT(wg_linalg_cunemb(ctx, P, 1, -1, &Z), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, Z, z, sizeof z), WG_OK);
    for (int i = 0; i < 4; i++) WG_CHECK_NEAR(z[i], a[i], 0);
    wg_release(Z);
    /* pair means of a row (1, 4): (1+2)/2, (3+(-4))/2 */
    WG_CHECK_EQ_INT(wg_linalg_cpair_mean(ctx, E, &Z), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, Z, z, 4 * sizeof(float)), WG_OK);
    WG_CHECK_NEAR(z[0], -0.5, 0);
    WG_CHECK_NEAR(z[1], 3.5, 0);
    wg_release(Z);
    /* not an embedding's shape: a ValueError, nothing handed out */
    int64_t s32[2] = {3, 2};
    float f6[6] = {0};
    wg_array *F = wg_from_data(ctx, WG_FLOAT32, 2, s32, f6);
    WG_CHECK_EQ_INT(wg_linalg_cunemb(ctx, F, 0, -1, &Z), WG_ERR_VALUE);
    WG_CHECK(Z == NULL);
    wg_clear_error(ctx);
    wg_release(F);
    wg_release(P);
    wg_release(E);
    wg_release(A);
    wg_context_free(ctx);
}

WG_TEST(lapack_complex_qr) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    /* [[3], [4i]]: zgeqr2's beta = -sign(3) * 5, so R = [[-5]] and Q = [[-0.6], [-0.8i]] */
    float a[4] = {3, 0, 0, 4}, q[4], r[2], t[2];
    int64_t sa[2] = {2, 1};
    wg_array *A = wg_from_data(ctx, WG_COMPLEX64, 2, sa, a), *Q = NULL, *R = NULL;
    WG_CHECK_EQ_INT(wg_linalg_qr(ctx, A, 0, &Q, &R), WG_OK);
    WG_CHECK_EQ_INT(Q->dtype, WG_COMPLEX64);
    WG_CHECK_EQ_INT(wg_read(ctx, Q, q, sizeof q), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, R, r, sizeof r), WG_OK);
    WG_CHECK_NEAR(r[0], -5, 1e-5);
    WG_CHECK_NEAR(r[1], 0, 1e-6);
    WG_CHECK_NEAR(q[0], -0.6, 1e-6);
    WG_CHECK_NEAR(q[1], 0, 1e-6);
    WG_CHECK_NEAR(q[2], 0, 1e-6);
    WG_CHECK_NEAR(q[3], -0.8, 1e-6);
    wg_release(Q);
    wg_release(R);
    /* raw: tau = (beta - alpha) / beta = 1.6 */
    WG_CHECK_EQ_INT(wg_linalg_qr(ctx, A, 3, &Q, &R), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, R, t, sizeof t), WG_OK);
    WG_CHECK_NEAR(t[0], 1.6, 1e-6);
    WG_CHECK_NEAR(t[1], 0, 1e-6);
    wg_release(Q);
    wg_release(R);
    /* complete: Q is 2 x 2 */
    WG_CHECK_EQ_INT(wg_linalg_qr(ctx, A, 1, &Q, &R), WG_OK);
    WG_CHECK_EQ_INT(Q->lay.shape[1], 2);
    WG_CHECK_EQ_INT(R->lay.shape[0], 2);
    wg_release(Q);
    wg_release(R);
    wg_release(A);
    wg_context_free(ctx);
}

WG_TEST(lapack_complex_eig_results) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    /* dgeev's wr = (0, 0, 2), wi = (1, -1, 0), vr columns (a, b) of the pair and a real one */
    float wr[3] = {0, 0, 2}, wi[3] = {1, -1, 0}, vr[9] = {1, 2, 0, 3, 4, 0, 0, 0, 5}, v[18];
    int64_t s1[1] = {3}, s2[2] = {3, 3};
    wg_array *WR = wg_from_data(ctx, WG_FLOAT32, 1, s1, wr);
    wg_array *WI = wg_from_data(ctx, WG_FLOAT32, 1, s1, wi);
    wg_array *VR = wg_from_data(ctx, WG_FLOAT32, 2, s2, vr), *W = NULL, *V = NULL;
    WG_CHECK_EQ_INT(wg_linalg_eig_complex(ctx, WR, WI, VR, &W, &V), WG_OK);
    WG_CHECK_EQ_INT(W->dtype, WG_COMPLEX64);
    WG_CHECK_EQ_INT(wg_read(ctx, V, v, sizeof v), WG_OK);
    /* row 0: (1 + 2i, 1 - 2i, 0); row 1: (3 + 4i, 3 - 4i, 0); row 2: (0, 0, 5) */
    float want[18] = {1, 2, 1, -2, 0, 0, 3, 4, 3, -4, 0, 0, 0, 0, 0, 0, 5, 0};
    for (int i = 0; i < 18; i++) WG_CHECK_NEAR(v[i], want[i], 0);
    WG_CHECK_EQ_INT(wg_read(ctx, W, v, 6 * sizeof(float)), WG_OK);
    WG_CHECK_NEAR(v[1], 1, 0);
    WG_CHECK_NEAR(v[3], -1, 0);
    WG_CHECK_NEAR(v[4], 2, 0);
    wg_release(W);
    wg_release(V);
    WG_CHECK_EQ_INT(wg_linalg_eig_complex(ctx, WR, VR, NULL, &W, NULL), WG_ERR_VALUE);
    WG_CHECK(W == NULL);
    wg_clear_error(ctx);
    wg_release(WR);
    wg_release(WI);
    wg_release(VR);
    wg_context_free(ctx);
}

/* eigh of a complex Hermitian matrix: init, Jacobi sweeps until the flag reads 0, finish */
static void ceigh_run(wg_context *ctx, float *h, float *w, float *v, int repeated) {
    int64_t sa[2] = {2, 2};
    wg_array *A = wg_from_data(ctx, WG_COMPLEX64, 2, sa, h), *S = NULL, *V = NULL;
    WG_CHECK_EQ_INT(wg_linalg_eigh_init(ctx, A, 1, 1, &S, &V), WG_OK);
    WG_CHECK_EQ_INT(S->lay.shape[0], 4); /* the Jacobi iteration runs on emb(H) */
    for (int it = 0; it < 40; it++) {
        wg_array *S2 = NULL, *V2 = NULL, *F = NULL;
        WG_CHECK_EQ_INT(wg_linalg_eigh_sweep(ctx, S, V, &S2, &V2, &F), WG_OK);
        wg_release(S);
        wg_release(V);
        S = S2;
        V = V2;
        if (cflag_of(ctx, F) == 0) break;
    }
    wg_array *W = NULL, *Z = NULL, *F = NULL;
    WG_CHECK_EQ_INT(wg_linalg_ceigh_finish(ctx, S, V, &W, &Z, &F), WG_OK);
    WG_CHECK_EQ_INT(W->dtype, WG_FLOAT32);
    WG_CHECK_EQ_INT(wg_read(ctx, W, w, 2 * sizeof(float)), WG_OK);
    int f = cflag_of(ctx, F);
    if (!repeated) WG_CHECK_EQ_INT(f, 0);
    if (f) {
        wg_release(Z);
        WG_CHECK_EQ_INT(wg_linalg_ceigh_vectors(ctx, S, V, &Z), WG_OK);
    }
    WG_CHECK_EQ_INT(wg_read(ctx, Z, v, 8 * sizeof(float)), WG_OK);
    wg_release(W);
    wg_release(Z);
    wg_release(S);
    wg_release(V);
    wg_release(A);
}

WG_TEST(lapack_complex_eigh) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    /* [[2, i], [-i, 2]] (lower read: -i): eigenvalues 1 and 3 */
    float h[8] = {2, 0, 9, 9, 0, -1, 2, 0}, w[2], v[8];
    ceigh_run(ctx, h, w, v, 0);
    WG_CHECK_NEAR(w[0], 1, 1e-5);
    WG_CHECK_NEAR(w[1], 3, 1e-5);
    /* |v| of each component is 1/sqrt(2) */
    WG_CHECK_NEAR(v[0] * v[0] + v[1] * v[1], 0.5, 1e-5);
    WG_CHECK_NEAR(v[6] * v[6] + v[7] * v[7], 0.5, 1e-5);
    /* 2I: a repeated eigenvalue; the vectors are orthonormal either way */
    float h2[8] = {2, 0, 0, 0, 0, 0, 2, 0};
    ceigh_run(ctx, h2, w, v, 1);
    WG_CHECK_NEAR(w[0], 2, 1e-6);
    WG_CHECK_NEAR(w[1], 2, 1e-6);
    float dot_r = v[0] * v[2] + v[1] * v[3] + v[4] * v[6] + v[5] * v[7];
    float dot_i = v[0] * v[3] - v[1] * v[2] + v[4] * v[7] - v[5] * v[6];
    WG_CHECK_NEAR(dot_r, 0, 1e-6);
    WG_CHECK_NEAR(dot_i, 0, 1e-6);
    WG_CHECK_NEAR(v[0] * v[0] + v[1] * v[1] + v[4] * v[4] + v[5] * v[5], 1, 1e-6);
    wg_context_free(ctx);
}
