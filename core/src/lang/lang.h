/*
 * lang — the CUDA-C front end: CuPy's kernel language (ElementwiseKernel, ReductionKernel and
 * RawKernel/RawModule sources) parsed, type-checked and lowered to the one kernel IR (ir.h,
 * including its statement and workgroup kernels).  Uses only base, dtype and ir.  docs/kernels.md is the user-facing
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

enum { WGK_ELEMENTWISE = 0, WGK_REDUCTION = 1, WGK_RAW = 2 };

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
/* ---- RawKernel / RawModule (docs/kernels.md, "RawKernel and RawModule") ----
 * A CUDA-C source with `extern "C" __global__` functions.  The def of one of them is an
 * elementwise kernel over the launch's threads (nblocks x P points, P the block's thread count,
 * padded where the configuration says): its parameters are the function's ins (`const T*`: raw
 * inputs; scalars: concrete inputs), the launch geometry (WGK_RAW_NGEOM uint32 inputs named
 * __wg_P, __wg_nt, __wg_bx, __wg_by, __wg_bz, __wg_gx, __wg_gy, __wg_gz), then its outs (`T*`: raw
 * outputs) and one raw output per storage scratch (a `__shared__` array an atomic updates:
 * nblocks x len zeros, one slice per block). */
#define WGK_RAW_NGEOM 8
#define WGK_RAW_MAX_GLOBALS 64
#define WGK_RAW_MAX_CONST 8
typedef struct wgK_raw {
    int nargs;                       /* the function's parameters, as the launch's args */
    int arg_param[WGK_MAX_PARAMS];   /* arg i -> def parameter */
    int arg_ptr[WGK_MAX_PARAMS];     /* arg i is a pointer (an array) */
    int geom_param;                  /* the first geometry parameter */
    int uses_sync;                   /* __syncthreads() anywhere in the source's functions */
    int uses_warp;                   /* warp intrinsics exchanging values (warp.c) */
    int nshared;                     /* __shared__ declarations of the kernel */
    int wg_arrays;                   /* some of them are workgroup arrays (not scratches) */
    int dynamic;                     /* some are `extern __shared__` */
    int dynamic_dtype;               /* the dtype of the first extern one (shared_mem's unit) */
    int64_t static_bytes;            /* bytes of the static ones (shared_size_bytes) */
    int nscratch;
    int scratch_param[WG_KMAX_SHARED];
    int64_t scratch_len[WG_KMAX_SHARED];  /* elements per block; 0: extern (dsn_len) */
    int nconst;                      /* module-scope __constant__ variables: hidden raw inputs
                                      * (after the geometry), their values uploaded at launch */
    int const_param[WGK_RAW_MAX_CONST];
    int const_scalar[WGK_RAW_MAX_CONST];      /* `__constant__ T c = v;`: read as element 0 */
    int64_t const_len[WGK_RAW_MAX_CONST];
    char const_name[WGK_RAW_MAX_CONST][WGK_NAME_MAX];
    double *const_f[WGK_RAW_MAX_CONST];       /* the values (a float dtype) ... */
    int64_t *const_i[WGK_RAW_MAX_CONST];      /* ... or an integer one; missing ones are 0 */
    int nglobals;                    /* every __global__ function of the source */
    char globals[WGK_RAW_MAX_GLOBALS][WGK_NAME_MAX];
} wgK_raw;

/* One launch configuration (part of the lowered variant's key). */
typedef struct wgK_rawcfg {
    int wg_block;     /* > 0: a workgroup kernel of wg_block points */
    int pad_return;   /* threads past the block's count end at once */
    int dsn_len;      /* elements of each `extern __shared__` array */
} wgK_rawcfg;

/* Parse `code`; name = the __global__ function (NULL: the whole module only, for its list of
 * functions).  msg_name names the kernel in messages. */
WG_INTERNAL int wgK_parse_raw(wg_context *ctx, const char *code, const char *name,
                              const char *msg_name, wgK_def **out);
WG_INTERNAL const wgK_raw *wgK_raw_info(const wgK_def *d);

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
    /* Device pointers (docs/cupy.md): `reinterpret_cast<const T*>(p)[k]` / `((T*)p)[k]` on a
     * pointer value p read from parameter q (`P p`, or `raw P ps` as ps[j]) loads element p + k
     * of the pointer pool, IR input pool_in - 1 (in_param WGK_PTR_POOL), of dtype pool_dtype:
     * the launch packs the buffers the pointers name into it and gives every ptr_param[q] array
     * the pointers rewritten as element offsets into it.  pool_in 0: no pointer load. */
    int pool_in, pool_dtype;
    unsigned char ptr_param[WGK_MAX_PARAMS];
} wgK_map;
#define WGK_PTR_POOL WGK_MAX_PARAMS

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
/* The same with a RawKernel's launch configuration (NULL for other kernels). */
WG_INTERNAL int wgK_lower_ex(wg_context *ctx, const wgK_def *d, const int *param_dtype,
                             const int *is_array, const int *raw_ndim, int ndim, int nred,
                             const wgK_rawcfg *cfg, wg_kernel_ir **out, wgK_map *map);

#endif
