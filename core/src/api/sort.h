/* Sorting and searching on every backend (api/sort.c): a bitonic sort written as library kernels
 * (each compare-exchange step is a gather: point i takes the min or max of x[i] and x[i^j]),
 * binary searches, and the gathers built on them.  Other api files use these (unique, median,
 * scatter on webgl2 as a sort).
 *
 * Order: NumPy's (NaN last; -0.0 == 0.0); argsort results are stable (ties broken on the original
 * index), so every sort here is stable.  Indices are int32 on the device (intp at the API). */
#ifndef WG_API_SORT_H
#define WG_API_SORT_H

#include "api.h"

/* Sort the rows of `rows` (any array; its last axis is sorted, the other axes are the batch).
 * vals (may be NULL): a new (batch*n) C-contiguous array of a's dtype, the sorted rows;
 * idx (may be NULL): a new (batch*n) int32 array, each row's stable argsort.
 * bool is sorted as uint8 internally and comes back as bool. */
WG_INTERNAL int wgP_sort_rows(wg_context *ctx, wg_array *rows, wg_array **vals, wg_array **idx);
/* take_along_axis on the last axis, without bounds checks: x (batch, n) any layout, ix (batch, m)
 * int32 with values in [0, n); gives (batch*m) of x's dtype. */
WG_INTERNAL wg_array *wgP_take_rows(wg_context *ctx, wg_array *x, wg_array *ix);
/* Binary search of every element of v in the sorted 1-D raw array a (same dtype as v):
 * int32 positions, v's shape; right: numpy's side='right'. */
WG_INTERNAL wg_array *wgP_search(wg_context *ctx, wg_array *a, wg_array *v, int right);

/* The LSD radix sort (api/sort_radix.c; docs/sorting.md "The radix sort"): as wgP_sort_rows for
 * rows (batch, n) of a dtype wgP_radix_dtype_ok accepts, on a backend wgP_radix_backend_ok
 * accepts (workgroup memory: cpu, loopback, webgpu).  Values equal NumPy's sort (NaNs come back
 * as the canonical NaN); indices are the stable argsort. */
WG_INTERNAL int wgP_radix_dtype_ok(int dt);
WG_INTERNAL int wgP_radix_backend_ok(wg_context *ctx);
WG_INTERNAL int wgP_radix_rows(wg_context *ctx, wg_array *rows, int64_t batch, int64_t n,
                               wg_array **vals, wg_array **idx);

#endif
