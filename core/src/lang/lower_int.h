/* The lowering's state, shared by lower.c (statements, expressions, kernels) and builtin.c (the
 * CUDA math library and intrinsics built from IR ops). */
#ifndef WG_LANG_LOWER_INT_H
#define WG_LANG_LOWER_INT_H

#include "lang_int.h"

typedef struct { int inst, dt; } wgK_val;   /* inst < 0: failed (error set) */

enum { S_LOCAL, S_ARRAY, S_IN, S_RAW_IN, S_RAW_OUT, S_I, S_J, S_VALUE, S_IND, S_SHARED };

typedef struct wgK_sym {
    const char *name;
    int len;
    int kind, dt;
    int var;            /* S_LOCAL: the IR local */
    int outj;           /* S_LOCAL bound to non-raw output param outj (-1: a plain local) */
    int owned;          /* the local is freed when the symbol goes out of scope */
    int n, vars[WGK_MAX_ARRAY];  /* S_ARRAY */
    int param, slot;    /* kernel parameter and its IR input/output slot (-1: a scalar);
                         * S_SHARED: the IR's workgroup array */
    int inst;           /* S_VALUE */
    int zero_d;         /* S_RAW_IN of a 0-d array: read with LOAD (it broadcasts) */
    int ndims, dims[WGK_MAX_SHARED_RANK];  /* a __shared__ array (S_SHARED, or S_RAW_OUT for a
                                            * storage scratch): its dimensions */
    int64_t scratch_len; /* a storage scratch: elements per block (block b's are at b * len) */
} wgK_sym;

typedef struct wgK_frame {
    const wgK_func *f;
    int tdt[8];             /* template bindings */
    int ret_var, ret_dt, wrapped, loop_depth0, floor0;
    int done_var;           /* wrapped: set by a return inside a loop of the function */
} wgK_frame;

typedef struct wgK_lw {
    wg_context *ctx;
    const wgK_def *d;
    wgK_pctx *P;
    wg_kernel_ir *k;
    wgK_map *map;
    int cap, base;
    const int *pdt, *is_array, *raw_ndim;
    int ndim, nred, x64;
    int straight;           /* no statements may be emitted (reduction programs) */
    int in_post;
    int needs_load[WGK_MAX_PARAMS], written[WGK_MAX_PARAMS];
    int cond_depth, loop_depth;
    int rdepth;             /* recursion of the lowering itself (inlining multiplies AST depth) */
    int var_used[WG_KMAX_VARS];
    int nsyms, floor;
    int psym[WGK_MAX_PARAMS];  /* symbol of each kernel parameter */
    wgK_sym syms[WGK_MAX_SYMS];
    int nframes;
    wgK_frame frames[WGK_MAX_INLINE];
    const wgK_rawcfg *raw;  /* a RawKernel's launch configuration */
    int warp_arr[WG_NDTYPES];  /* warp.c: 1 + the workgroup array that exchanges values of a
                                * dtype between the lanes of a warp (0: none yet) */
} wgK_lw;

WG_INTERNAL int wgK_emit(wgK_lw *L, int op, int dt, int arg, int a, int b, int c);
WG_INTERNAL wgK_val wgK_const(wgK_lw *L, int dt, double f, int64_t i);
WG_INTERNAL wgK_val wgK_cast(wgK_lw *L, wgK_val v, int dt);
WG_INTERNAL wgK_val wgK_op1(wgK_lw *L, int op, wgK_val a);            /* result dtype: a's (BOOL for tests) */
WG_INTERNAL wgK_val wgK_op2(wgK_lw *L, int op, wgK_val a, wgK_val b); /* a, b of one dtype */
WG_INTERNAL wgK_val wgK_where(wgK_lw *L, wgK_val c, wgK_val a, wgK_val b);
WG_INTERNAL int wgK_canon(wgK_lw *L, int dt);
WG_INTERNAL int wgK_arith_type(wgK_lw *L, int a, int b);    /* C's usual arithmetic conversions */
WG_INTERNAL wgK_val wgK_rv(wgK_lw *L, const wgK_node *n);
WG_INTERNAL wgK_val wgK_fail(wgK_lw *L, int status, const wgK_node *n, const char *what);
/* CUDA math and intrinsics; *handled = 0 when `name` is none of them. */
WG_INTERNAL wgK_val wgK_builtin(wgK_lw *L, const wgK_node *call, int nargs, wgK_val *args,
                                int *handled);

/* Warp intrinsics (__shfl*_sync, __ballot_sync, __any_sync, __all_sync, __activemask,
 * __syncwarp) and the bit intrinsics __popc, __ffs, __clz (warp.c); *handled = 0 when the call
 * is none of them. */
WG_INTERNAL wgK_val wgK_warp(wgK_lw *L, const wgK_node *call, int nargs, int *handled);

static inline int wgK_ok(wgK_val v) { return v.inst >= 0; }

#endif
