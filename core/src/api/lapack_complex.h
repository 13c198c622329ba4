/* numpy.linalg of complex matrices (api/lapack_complex.c; docs/linalg.md "Complex matrices"):
 * the complex paths of the public wg_linalg_* functions, which call these when an input is
 * complex.  Arguments and results as the public functions'. */
#ifndef WG_API_LAPACK_COMPLEX_H
#define WG_API_LAPACK_COMPLEX_H

#include "api.h"

/* Hand out a public linalg function's results (api/lapack.c): a NULL result fails the call;
 * on failure every result is released, else each is described in the info block. */
WG_INTERNAL int wgP_linalg_done(wg_context *ctx, int st, int n, wg_array **outs);

WG_INTERNAL int wgP_clinalg_solve(wg_context *ctx, wg_array *a, wg_array *b, wg_array **x,
                                  wg_array **flag);
WG_INTERNAL int wgP_clinalg_inv(wg_context *ctx, wg_array *a, wg_array **x, wg_array **flag);
WG_INTERNAL int wgP_clinalg_det(wg_context *ctx, wg_array *a, int logdet, wg_array **sign,
                                wg_array **val);
WG_INTERNAL int wgP_clinalg_cholesky(wg_context *ctx, wg_array *a, int upper, wg_array **l,
                                     wg_array **flag);
WG_INTERNAL int wgP_clinalg_qr(wg_context *ctx, wg_array *a, int mode, wg_array **q,
                               wg_array **r);
WG_INTERNAL int wgP_clinalg_eigh_init(wg_context *ctx, wg_array *a, int lower, int compute_v,
                                      wg_array **S, wg_array **V);

#endif
