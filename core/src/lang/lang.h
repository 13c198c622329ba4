/*
 * lang — the CUDA-C front end: CuPy's kernel language (ElementwiseKernel, ReductionKernel and,
 * later, RawKernel sources) parsed, type-checked and lowered to the one kernel IR (ir.h, including
 * its statement kernels).  Uses only base, dtype and ir.  docs/kernels.md is the user-facing
 * description.
 *
 * Two steps, because types are known only at a call:
 *   1. wgK_parse_*: the parameter lists and the source are parsed once (a syntax error is
 *      WG_ERR_COMPILE, message "<name>:<line>:<col>: <what>: `<text>`", line/col counted in the
 *      text given for `operation`, or in the preamble/map/reduce text named in <what>).
 *   2. wgK_bind + wgK_lower, per call: placeholder types are bound from the arguments (CuPy's
 *      rules), then the body is type-checked and lowered to IR for those dtypes and for which
 *      parameters got arrays.  The api layer caches the IR by (def, bound dtypes, arg kinds).
 */
#ifndef WG_LANG_H
#define WG_LANG_H

#include "../ir/ir.h"

#define WGK_MAX_PARAMS 32
#define WGK_NAME_MAX 64

enum { WGK_ELEMENTWISE = 0, WGK_REDUCTION = 1 };

typedef struct wgK_param {
    char name[WGK_NAME_MAX];
    int is_out;        /* listed in out_params */
    int is_raw;        /* `raw T x` */
    int dtype;         /* a concrete dtype (float32, int32, bool...), or -1: placeholder */
    char placeholder;  /* the type letter (or name) when dtype == -1: 'T', 'S', ... */
} wgK_param;

typedef struct wgK_def wgK_def;   /* a parsed kernel; opaque */

/* Argument kinds at a call (CuPy binds placeholders from arrays only — its in_ndarray_types are
 * None for scalars —; a numpy scalar binds a placeholder, with its dtype, and a Python scalar,
 * as numpy.dtype(type(x)), only when no array does). */
enum { WGK_ARG_ARRAY = 0, WGK_ARG_NUMPY_SCALAR = 1, WGK_ARG_PY_SCALAR = 2, WGK_ARG_NONE = 3 };

/* ElementwiseKernel(in_params, out_params, operation, name, preamble, loop_prep, after_loop).
 * Empty strings for the optional parts.  *out is freed with wgK_free. */
WG_INTERNAL int wgK_parse_elementwise(wg_context *ctx, const char *in_params,
                                      const char *out_params, const char *operation,
                                      const char *name, const char *preamble,
                                      const char *loop_prep, const char *after_loop,
                                      wgK_def **out);
/* ReductionKernel(in_params, out_params, map_expr, reduce_expr, post_map_expr, identity, name,
 * reduce_type, preamble). */
WG_INTERNAL int wgK_parse_reduction(wg_context *ctx, const char *in_params,
                                    const char *out_params, const char *map_expr,
                                    const char *reduce_expr, const char *post_map_expr,
                                    const char *identity, const char *name,
                                    const char *reduce_type, const char *preamble,
                                    wgK_def **out);
WG_INTERNAL void wgK_free(wgK_def *d);
WG_INTERNAL int wgK_kind(const wgK_def *d);
WG_INTERNAL const char *wgK_name(const wgK_def *d);
WG_INTERNAL int wgK_nparams(const wgK_def *d);          /* in params first, then out params */
WG_INTERNAL int wgK_nin(const wgK_def *d);
WG_INTERNAL const wgK_param *wgK_param_at(const wgK_def *d, int i);

/* Bind placeholders.  nargs = number of arguments given (in params, optionally followed by out
 * params); kind[i] = WGK_ARG_*, dtype[i] = the argument's dtype (for Python scalars: int -> INT64,
 * float -> FLOAT64, bool -> BOOL, before the 64-bit policy, which the caller applies to the
 * results).  Writes the dtype of every parameter (in and out) to param_dtype[wgK_nparams(d)].
 * TypeError as CuPy: wrong argument count ("Wrong number of arguments for <kernel>"), a
 * placeholder bound to two different dtypes ("Type is mismatched. <param> <dtype given>
 * <dtype bound> <T>", CuPy's order), a concrete parameter given an array of another dtype
 * ("Type is mismatched. <param> <dtype given> <dtype>"), an output type that cannot be decided. */
WG_INTERNAL int wgK_bind(wg_context *ctx, const wgK_def *d, int nargs, const int *kind,
                         const int *dtype, int *param_dtype);

/* Where each IR operand and parameter of a lowered kernel comes from. */
enum {
    WGK_P_SCALAR = 0,   /* the scalar value of parameter `param` (cast to the IR param dtype) */
    WGK_P_SIZE = 1,     /* the element count of raw parameter `param` (`x.size()`) */
    WGK_P_SHAPE = 2,    /* dimension `dim` of array parameter `param` (`x.shape()[dim]`; also `_j`) */
    WGK_P_IND_SIZE = 3, /* the number of points of the launch (`_ind.size()`) */
    WGK_P_CONST = 4     /* a constant of the source (a literal): `value` (as wg_value holds it) */
};
typedef struct wgK_map {
    int in_param[WG_KMAX_IO];    /* IR input i reads the array of kernel parameter in_param[i]
                                  * (an out parameter here: an in-out output's current values) */
    int out_param[WG_KMAX_IO];   /* IR output j writes the array of parameter out_param[j] */
    struct { int what, param, dim; wg_value value; } p[WG_KMAX_PARAMS];  /* IR param slot -> its value */
} wgK_map;

/* Lower for one call.  param_dtype: from wgK_bind (after the 64-bit policy).  is_array[i]: did
 * parameter i get an array (an in param given a scalar becomes an IR param).  raw_ndim[i]: the
 * ndim of the array given to a raw parameter (0 otherwise).  ndim: the launch's rank (the
 * broadcast shape of the non-raw arrays; 1 for a size= launch).  For a reduction, nred: how many
 * trailing dims of the launch are reduced.  Writes a new IR (*out, freed with wgI_free) and the
 * map.  Errors: WG_ERR_COMPILE for type errors in the source (undeclared names, bad operand
 * types), WG_ERR_NOTIMPL for what the front end does not translate (naming the construct). */
WG_INTERNAL int wgK_lower(wg_context *ctx, const wgK_def *d, const int *param_dtype,
                          const int *is_array, const int *raw_ndim, int ndim, int nred,
                          wg_kernel_ir **out, wgK_map *map);

#endif
