/* einsum's subscripts, parsed (api/einsum.c; fuzzed by core/tests/fuzz_einsum.c). */
#ifndef WG_API_EINSUM_H
#define WG_API_EINSUM_H

#include "api.h"

#define WG_EINSUM_MAX_OPS 32
#define WG_EINSUM_NLABELS (52 + WG_MAX_NDIM) /* letters, then the ellipsis axes */

typedef struct wgP_einsum_spec {
    int n;                                   /* operands */
    int nd[WG_EINSUM_MAX_OPS];               /* each operand's ndim */
    int8_t lab[WG_EINSUM_MAX_OPS][WG_MAX_NDIM]; /* each axis' label */
    int nout, nell;                          /* output labels; axes the ellipsis stands for */
    int8_t out[WG_MAX_NDIM];
} wgP_einsum_spec;

/* Parse subs for n operands of ndims[i] dimensions (NumPy's errors as WG_ERR_VALUE). */
WG_INTERNAL int wgP_einsum_parse(wg_context *ctx, const char *subs, int n, const int *ndims,
                                 wgP_einsum_spec *sp);
/* Each label's length (size[WG_EINSUM_NLABELS], -1 unused); a length 1 broadcasts. */
WG_INTERNAL int wgP_einsum_sizes(wg_context *ctx, const wgP_einsum_spec *sp,
                                 const int64_t *const *shapes, int64_t *size);
/* The greedy pairwise order: pairs into path[2 * step]; returns the number of steps (n - 1). */
WG_INTERNAL int wgP_einsum_greedy(const wgP_einsum_spec *sp, const int64_t *size, int32_t *path);
/* A label's letter ('.' for an ellipsis axis). */
WG_INTERNAL char wgP_einsum_char(int label);

#endif
