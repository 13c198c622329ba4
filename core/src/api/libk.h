/* Library kernels: the engine's own algorithms (gathers, scatters, scans, sorts, searches,
 * random numbers) written in the kernel language (CuPy's CUDA-C, docs/kernels.md).  One source
 * runs on every backend, through the same front end, IR and code generators as a user's
 * kernel; nothing is written twice in WGSL and GLSL.  Each source is parsed once per context
 * and cached there (keyed by the address of its static description). */
#ifndef WG_API_LIBK_H
#define WG_API_LIBK_H

#include "api.h"

/* A static description: an ElementwiseKernel (reduce_expr NULL) or a ReductionKernel. */
typedef struct wgP_libk {
    const char *name;
    const char *in_params, *out_params;
    const char *operation;                     /* elementwise: the body; reduction: map_expr */
    const char *preamble;                      /* "" when none */
    const char *loop_prep;                     /* "" when none (e.g. "__wg_block(256)") */
    const char *reduce_expr, *post_map_expr, *identity, *reduce_type; /* reductions only */
} wgP_libk;

/* The kernel of src, parsed on first use (NULL with the context's error on failure). */
WG_INTERNAL wg_ukernel *wgP_libk_get(wg_context *ctx, const wgP_libk *src);
/* Launch an elementwise library kernel: as wg_ukernel_launch.  outs may be NULL when every
 * output is passed in args (the references are then released here). */
WG_INTERNAL int wgP_libk_launch(wg_context *ctx, const wgP_libk *src, int nargs,
                                wg_array *const *args, int64_t size, wg_array **outs);
/* Launch a reduction library kernel: as wg_ukernel_reduce. */
WG_INTERNAL int wgP_libk_reduce(wg_context *ctx, const wgP_libk *src, int nargs,
                                wg_array *const *args, int naxes, const int64_t *axes,
                                int keepdims, wg_array **outs);
/* A strong int32 0-d scalar: an `int32` parameter of a library kernel (a new reference). */
WG_INTERNAL wg_array *wgP_i32(wg_context *ctx, int32_t v);
/* Drop the FFT's cached twiddle tables (api/fft.c; wg_context_free). */
WG_INTERNAL void wgP_fft_free(wg_context *ctx);
/* Drop every cached library kernel (wg_context_free). */
WG_INTERNAL void wgP_libk_free_all(wg_context *ctx);

#endif
