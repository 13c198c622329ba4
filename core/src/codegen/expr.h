/* expr — what the WGSL (wgsl.c) and GLSL ES 3.00 (glsl.c) generators share: a string builder, the
 * generator state, and the instruction-to-expression emitter.  The two languages differ in a few
 * spellings only (type names, select, bit casts, declarations, how an input is loaded); a dialect
 * table holds those, so one emitter gives both languages the same NumPy semantics.  Each language
 * keeps its own prelude of helper functions (with the same names and meanings: fdiv_i, rem_i,
 * divmod_f, isnan_f, f_inf, sin_f, atan2_f, ...) and its own kernel shapes. */
#ifndef WG_CODEGEN_EXPR_H
#define WG_CODEGEN_EXPR_H

#include "codegen.h"
#include "range.h"

/* ---- a string builder ------------------------------------------------------------------------ */
typedef struct wgC_sbuf {
    wg_context *ctx;
    char *p;
    size_t len, cap;
    int oom;
} wgC_sbuf;

WG_INTERNAL void wgC_put(wgC_sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- dialects -------------------------------------------------------------------------------- */
typedef struct wgC_dialect {
    const char *backend;           /* names the backend in messages: "webgpu", "webgl2" */
    const char *ty[4];             /* value types of the classes bool, int, uint, float */
    const char *to_i, *to_u, *to_f;            /* value conversions: i32 / int, ... */
    const char *i_of_u, *u_of_i, *f_of_u, *u_of_f; /* bit casts: bitcast<i32> / int, ... */
    const char *round_even;        /* half-to-even rounding: WGSL round, GLSL roundEven */
    const char *int_min;           /* the int32 -2^31 (no literal spells it in either language) */
    int ternary;                   /* 1: (c ? t : f)   0: select(f, t, c) */
    int c_decl;                    /* 1: `T v = e;`    0: `let v: T = e;` */
    /* input i at word idx (an expression: o_in<i> at the point), as a value of class c ('b', 'i',
     * 'u', 'f') */
    void (*load)(char *out, unsigned i, char c, const char *idx);
    /* why dtype dt cannot be held (NotImplementedError text) */
    const char *(*notimpl)(int dt);
    /* statement kernels (stmt.c) */
    int loop_continuing;           /* 1: `loop { body continuing { step } }` (WGSL); 0: a `for`
                                    * with a first-pass flag, the step at the top (GLSL) */
    int own_point_only;            /* 1: a kernel writes only its point's output words (webgl2:
                                    * a fragment), so no scatter store, atomics or raw outputs */
    /* words in raw operand `slot` (input, or output when is_out), as a u32 expression */
    void (*raw_len)(char *out, unsigned slot, int is_out);
    /* 1: the API itself keeps an out-of-range buffer or workgroup-array access from faulting
     * (WebGPU's robustness: Dawn clamps the index), so a kernel whose indices are in range (ir.h
     * in_range) may index directly; 0: every access keeps its own range check (GLSL's texelFetch
     * outside a texture is undefined) */
    int robust;
    /* a subgroup's shuffle (WGSL's subgroupShuffle), where the language has one: warp exchanges
     * on a device whose subgroups are CUDA's warps (stmt.c); NULL: none */
    const char *shuffle;
    const char *ballot;            /* and its ballot (subgroupBallot: the lanes' bits, .x the first 32) */
    /* 1: a raw operand holds fewer than 2^31 words (WebGPU: the hosts request bindings of at most
     * 2^33 - 4 bytes, js/src/node/webgpu-host.mjs, js/src/browser/gpu-devices.js), so the word
     * of element e of a run at offset o may be bitcast<u32>(o + e) in wrapping i32 arithmetic:
     * wherever o + e is outside [0, n) — negative, or wrapped past 2^31 — the word is >= 2^31 >= n
     * and the accessor's own check (x < n) drops the access, as pos_i's clamp to n did (stmt.c) */
    int pos_wraps;
} wgC_dialect;

WG_INTERNAL extern const wgC_dialect wgC_wgsl_dialect;
WG_INTERNAL extern const wgC_dialect wgC_glsl_dialect;

/* ---- generator state ------------------------------------------------------------------------- */
typedef struct wgC_gen {
    wg_context *ctx;
    const wg_kernel_ir *k;
    wgC_sbuf *s;
    int nkeep;      /* REDUCE: kept dims; others: ndim */
    int out_nst;    /* strides per output operand */
    int err;
    const wgC_dialect *d;
    int params_hoisted; /* 1: the program's PARAMs are declared before a loop (wgC_emit_params):
                         * wgC_emit_program skips them */
    /* statement kernels: the intervals of k->inst's values (range.h), NULL when none are known */
    const wgC_rng *rng;
} wgC_gen;

/* argument words (docs/webgpu.md): shape d, input i's offset, output j's offset, parameter i */
static inline int wgC_w_shape(const wgC_gen *g, int d) { (void)g; return 4 + d; }
static inline int wgC_w_in(const wgC_gen *g, int i) { return 4 + g->k->ndim + i * (1 + g->k->ndim); }
static inline int wgC_w_out(const wgC_gen *g, int j) {
    return 4 + g->k->ndim + g->k->ninputs * (1 + g->k->ndim) + j * (1 + g->out_nst);
}
static inline int wgC_w_param(const wgC_gen *g, int i) { return wgC_w_out(g, g->k->noutputs) + i; }

/* ---- scaffolding shared by the kernel shapes of both languages ------------------------------- */
/* The generator state for k in dialect d, writing to s; the kind's shape checked, and every
 * operand and parameter dtype one the storage rule holds.  0, or the failure (g->err). */
WG_INTERNAL int wgC_gen_begin(wgC_gen *g, wg_context *ctx, const wg_kernel_ir *k, wgC_sbuf *s,
                              const wgC_dialect *d);
/* Index variables i<d> for dims [d0, d1) from the linear value in `var` (C order), through a
 * mutable rem_<var>: declared (`let i1 = ...` / `uint i1 = ...`), or, with assign, assigned to
 * i<d> that exist already (statement kernels' per-invocation state). */
WG_INTERNAL void wgC_unravel(wgC_gen *g, const char *var, int d0, int d1, const char *indent,
                             int assign);
/* " + ai(stride) * i32(i<d>)" for dims [d0, d1) of the operand whose offset word is w */
WG_INTERNAL void wgC_offset_terms(wgC_gen *g, int w, int d0, int d1);

/* Records the first failure (WG_ERR_NOTIMPL names dtype dt and the backend); returns it. */
WG_INTERNAL int wgC_fail(wgC_gen *g, int status, const char *what, int dt);

/* ---- expressions ----------------------------------------------------------------------------- */
#define WGC_EXPR_MAX 512

/* snprintf into a WGC_EXPR_MAX buffer (expressions are short: operands are variable names) */
WG_INTERNAL void wgC_xfmt(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* class of a dtype: 'b', 'i', 'u', 'f'; int64 counts as 'i', uint64 as 'u' */
WG_INTERNAL char wgC_cls(int dt);
WG_INTERNAL int wgC_width(int dt);                       /* 8, 16 or 32 */
WG_INTERNAL const char *wgC_ty(const wgC_dialect *d, int dt); /* the value type of dt's class */
WG_INTERNAL const char *wgC_zero(int dt);
WG_INTERNAL const char *wgC_one(int dt);
/* select(f, t, c) in the dialect */
WG_INTERNAL void wgC_sel(const wgC_dialect *d, char *out, const char *f, const char *t, const char *c);
/* e wrapped to dt's width (narrow ints) */
WG_INTERNAL void wgC_wrap(char *out, const char *e, int dt);
/* e of dtype dt as bool (NaN is true) */
WG_INTERNAL void wgC_truth(char *out, const char *e, int dt);
/* NumPy's astype(unsafe) from sdt to ddt, with the cpu executor's float -> int results */
WG_INTERNAL void wgC_cast(const wgC_dialect *d, char *out, const char *a, int sdt, int ddt);
/* `indent let name: T = e;` or `indent T name = e;` */
WG_INTERNAL void wgC_decl(wgC_gen *g, const char *indent, const char *type, const char *name,
                          const char *e);
/* Declares pfx<i> for every instruction of prog; 0, or fails. */
/* The expression of one value instruction of prog (its operands are the variables pfx<src>);
 * 0, or fails.  Statement kernels' own ops (GET, LOAD_AT, ...) are stmt.c's. */
/* A REDUCE's program runs once per reduced element: its PARAMs (uniform loads) declared once
 * before the loop as pfx<i>, and g->params_hoisted set, so that wgC_emit_program skips them. */
WG_INTERNAL int wgC_emit_params(wgC_gen *g, const wg_inst *prog, int n, const char *pfx, const char *indent);
WG_INTERNAL int wgC_inst_expr(wgC_gen *g, char *out, const wg_inst *in, const char *pfx,
                              const wg_inst *prog, int is_post);
/* `fn name(a: T, ...) -> R {` or `R name(T a, ...) {` (ret NULL or "void": no result) */
WG_INTERNAL void wgC_fn_head(wgC_gen *g, const char *ret, const char *name, int np,
                             const char *const *types, const char *const *names);
WG_INTERNAL int wgC_emit_program(wgC_gen *g, const wg_inst *prog, int n, const char *pfx, int is_post,
                                 const char *indent);

/* ---- reductions ------------------------------------------------------------------------------ */
/* Emits comb(a, b) (folds) or better(va, ia, vb, ib) (arg folds: does b replace a?); sets
 * *acc_is_bool (ANY/ALL accumulate in bool).  0, or fails. */
WG_INTERNAL int wgC_reduce_helpers(wgC_gen *g, int *acc_is_bool);
/* The fold's identity (arg folds: a placeholder value; the index -1 marks "empty"). */
WG_INTERNAL const char *wgC_reduce_identity(const wgC_dialect *d, const wg_kernel_ir *k);

/* ---- native kernels (native.c) ---------------------------------------------------------- */
/* The whole WGSL module (dialect WGSL) or fragment shader (GLSL) of a native kernel (ir.h); a body
 * in the other language fails with NotImplementedError naming the kernel and the backend. */
WG_INTERNAL int wgC_native(wgC_gen *g);

#endif
