/* Blocked Cholesky and LU for backends with workgroup memory (api/lapack_blocked.c;
 * docs/linalg.md "Blocked factorizations").  Every function works in place on a private,
 * C-contiguous flat array of B matrices of the working float dtype. */
#ifndef WG_API_LAPACK_BLOCKED_H
#define WG_API_LAPACK_BLOCKED_H

#include "api.h"

/* 1 when this context's backend runs the blocked factorizations (cpu, loopback and webgpu:
 * workgroup kernels); webgl2 keeps the per-step gathers of api/lapack.c. */
WG_INTERNAL int wgP_lapack_blocked(const wg_context *ctx);

/* Cholesky of (B, n, n) a: its lower triangle becomes L (the upper one is left as it was); a
 * pivot <= 0 puts -1 on L's diagonal there (api/lapack.c's flag reads it). */
WG_INTERNAL int wgP_chol_blocked(wg_context *ctx, wg_array *a, int64_t B, int64_t n);

/* LU with partial pivoting of (B, n, w) a (w >= n: right-hand sides ride along in columns
 * n..w-1): L's multipliers below the diagonal, U on and above it, the right-hand sides
 * L^-1 P b.  piv (B * n int32): step k's pivot row, 0-based; par (B int32): the permutation's
 * parity (both written, never read first: they may come uninitialized).  A zero pivot leaves
 * its column as it is (getrf). */
WG_INTERNAL int wgP_lu_blocked(wg_context *ctx, wg_array *a, int64_t B, int64_t n, int64_t w,
                               wg_array *piv, wg_array *par);

/* Back substitution after wgP_lu_blocked: columns n..w-1 of each (n, w) matrix become U^-1 of
 * them, in place. */
WG_INTERNAL int wgP_lu_back_blocked(wg_context *ctx, wg_array *lu, int64_t B, int64_t n,
                                    int64_t w);

/* api/lapack.c's diag_flag over one workgroup of 256 where the GPU's kernels run (a new int32
 * array of one element); NULL elsewhere (or with the context's error), for diag_flag. */
WG_INTERNAL wg_array *wgP_diag_flag_gpu(wg_context *ctx, wg_array *a, int64_t B, int64_t n,
                                        int64_t w, int mode);

#endif
