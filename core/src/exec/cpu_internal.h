/*
 * cpu_internal.h — internals of the cpu executor (exec/cpu*.c) and the scalar conversion helpers
 * it shares with dtype/half.c and dtype/value.c.
 *
 *   cpu.c         the backend table (host buffers), argument checks, ELEMENTWISE kernels
 *   cpu_eval.c    iteration, the block evaluator, per-(op, class) loops, loads/stores/casts
 *   cpu_reduce.c  REDUCE kernels;  cpu_matmul.c  MATMUL kernels
 *
 * Evaluation (numexpr-style).  A program runs on blocks of up to WGX_BLK points: one tight loop
 * per instruction over the block, writing a per-instruction scratch slot (slots are reused when a
 * value dies).  A block is a list of runs ("segments") along the innermost iterated dim, so a
 * short inner dim still fills a block.  Before iterating, dims of length 1 are dropped, dims are
 * ordered by the output's strides, walked forwards where every operand steps backwards, and
 * merged where contiguous for every operand (not when the program reads INDEX).  Unit-stride
 * loads of float32/float64/int64/uint64 read the input in place; output 0 is computed in place
 * when it is a unit-stride run of its own type that shares no buffer with an input.
 *
 * Compute classes.  Every instruction's value is held in one of four C types while a block of
 * points is evaluated:
 *
 *     WGD_CI  int64_t   bool and signed ints (bool as 0/1)
 *     WGD_CU  uint64_t  unsigned ints
 *     WGD_CF  float     float16 and float32 (a float16 value is always an exact half)
 *     WGD_CD  double    float64
 *
 * After each instruction the result is wrapped to the instruction's dtype (int8 to 8 bits, bool to
 * 0/1, float16 rounded to half), so a chain computes exactly what NumPy computes step by step.
 * Integer arithmetic is done in uint64 (wrapping, no signed overflow).  float16/float32 math uses
 * the float libm functions (sinf ...), as NumPy's loops do; results can differ from NumPy's own
 * SIMD implementations by an ulp or two (exp, sin, tanh, cbrt...).  Everything else is bit-exact
 * with NumPy 2.4 (checked element by element against it): integer // and % (Python's floor
 * semantics, x // 0 == x % 0 == 0, INT_MIN // -1 wraps), float // and % (npy_divmod), int power
 * by squaring (a negative exponent fails the kernel with WG_ERR_VALUE, NumPy's message), shifts
 * (count >= width: 0, or -1 for a negative value shifted right), maximum/minimum (NaN propagates;
 * on ties the second operand, float16: the first), fmax/fmin, sign (NaN -> NaN, -0. -> 0.),
 * integer reciprocal (1.0/x in double, cast back), casts (below), float16 rounding.
 *
 * Reductions (REDUCE).  The program's value is its LAST instruction; it is cast to acc_dtype
 * (except for ANY/ALL, which test it against zero).  Two strategies, by a cost estimate:
 * A folds the reduced points of one kept point at a time; B walks the reduced points and folds
 * whole blocks of kept points elementwise (as NumPy does for a non-innermost axis).  Float sums
 * follow NumPy's order so that results are bit-identical in the common cases: when NumPy's inner
 * loop runs along a reduced axis (the input's smallest stride) each run is summed with NumPy's
 * pairwise algorithm and added to the accumulator; otherwise elements are added in order; a full
 * reduction whose axes do not merge is one pairwise run if it is at most 8192 long (NumPy's
 * buffer); float16 accumulators are rounded to float16 where NumPy stores them.  Min/max
 * propagate NaN; argmin/argmax give the first occurrence in C order over the reduced dims and
 * treat NaN as the extreme; empty MIN/MAX/ARG* fail with NumPy's ValueError messages.
 *
 * Matmul (MATMUL).  BLIS-style packing into MR x NR panels (conversion to the output dtype and any
 * strides happen while packing), a register-blocked micro-kernel (GCC/clang vector types, 6x8
 * floats / 4x4 doubles), dot/axpy loops for N < 4 / M < 4.  Integers wrap, bool is an or of ands,
 * float16 accumulates in float32 and rounds once.
 *
 * Float -> int conversion (NumPy's unsafe cast; C leaves out-of-range values undefined).  We pick
 * what NumPy 2.4 shows for *arrays* on x86-64 (SSE/AVX cvtt* semantics), measured:
 *     int64             NaN, +-inf, out of range -> INT64_MIN, else truncation
 *     int32             NaN, +-inf, out of range -> INT32_MIN, else truncation
 *     int8/16, uint8/16 the int32 result, truncated to the width (so 300.5 -> int8 44, 1e10 -> 0)
 *     uint64            x >= 2^63: x - 2^63 < 2^63 ? exact : 0; else the int64 result as unsigned
 *                       (NaN -> 2^63, -1.0 -> 2^64-1, +inf -> 0, -inf -> 2^63)
 *     uint32            the same at 32 bits (NaN -> 2^31, 5e9 -> 0, -1.0 -> 2^32-1), except that a
 *                       float16 source goes through int64 (NaN/inf -> 0), as NumPy's half loop does
 *     bool              x != 0 (NaN -> True)
 */
#ifndef WG_CPU_INTERNAL_H
#define WG_CPU_INTERNAL_H

#include <string.h>

#include "../base/base.h"
#include "../dtype/dtype.h"
#include "../ir/ir.h"
#include "backend.h"

#include "../dtype/convert.h"

/* ---- 16-byte vectors (GCC/clang extension: SSE2 natively, simd128 in wasm) -------------------
 * Used where -O2 auto-vectorization is unreliable (register-resident accumulators).  Build with
 * -DWG_NO_VECTOR_EXT for plain C. */
#if defined(__GNUC__) && !defined(WG_NO_VECTOR_EXT)
#define WGX_VEC 1
typedef float wgx_v4f __attribute__((vector_size(16)));
typedef double wgx_v2d __attribute__((vector_size(16)));
typedef int32_t wgx_v4i __attribute__((vector_size(16)));
typedef int64_t wgx_v2l __attribute__((vector_size(16)));
static inline wgx_v4f wgX_ld4f(const float *p) { wgx_v4f v; memcpy(&v, p, 16); return v; }
static inline void wgX_st4f(float *p, wgx_v4f v) { memcpy(p, &v, 16); }
static inline wgx_v2d wgX_ld2d(const double *p) { wgx_v2d v; memcpy(&v, p, 16); return v; }
static inline void wgX_st2d(double *p, wgx_v2d v) { memcpy(p, &v, 16); }
/* m ? a : b, lane by lane (m: all-ones or zero lanes, as comparisons give) */
static inline wgx_v4f wgX_sel4f(wgx_v4i m, wgx_v4f a, wgx_v4f b) {
    return (wgx_v4f)(((wgx_v4i)a & m) | ((wgx_v4i)b & ~m));
}
static inline wgx_v2d wgX_sel2d(wgx_v2l m, wgx_v2d a, wgx_v2d b) {
    return (wgx_v2d)(((wgx_v2l)a & m) | ((wgx_v2l)b & ~m));
}
/* lane max/min for NaN-free data (which of two equal zeros comes back is unspecified) */
#if defined(__SSE2__) && !defined(__clang__)
static inline wgx_v4f wgX_max4f(wgx_v4f a, wgx_v4f b) { return __builtin_ia32_maxps(a, b); }
static inline wgx_v4f wgX_min4f(wgx_v4f a, wgx_v4f b) { return __builtin_ia32_minps(a, b); }
static inline wgx_v2d wgX_max2d(wgx_v2d a, wgx_v2d b) { return __builtin_ia32_maxpd(a, b); }
static inline wgx_v2d wgX_min2d(wgx_v2d a, wgx_v2d b) { return __builtin_ia32_minpd(a, b); }
#elif defined(__wasm_simd128__)
static inline wgx_v4f wgX_max4f(wgx_v4f a, wgx_v4f b) { return __builtin_wasm_pmax_f32x4(a, b); }
static inline wgx_v4f wgX_min4f(wgx_v4f a, wgx_v4f b) { return __builtin_wasm_pmin_f32x4(a, b); }
static inline wgx_v2d wgX_max2d(wgx_v2d a, wgx_v2d b) { return __builtin_wasm_pmax_f64x2(a, b); }
static inline wgx_v2d wgX_min2d(wgx_v2d a, wgx_v2d b) { return __builtin_wasm_pmin_f64x2(a, b); }
#else
static inline wgx_v4f wgX_max4f(wgx_v4f a, wgx_v4f b) { return wgX_sel4f((wgx_v4i)(a > b), a, b); }
static inline wgx_v4f wgX_min4f(wgx_v4f a, wgx_v4f b) { return wgX_sel4f((wgx_v4i)(a < b), a, b); }
static inline wgx_v2d wgX_max2d(wgx_v2d a, wgx_v2d b) { return wgX_sel2d((wgx_v2l)(a > b), a, b); }
static inline wgx_v2d wgX_min2d(wgx_v2d a, wgx_v2d b) { return wgX_sel2d((wgx_v2l)(a < b), a, b); }
#endif
#endif

/* ---- the block evaluator (cpu_eval.c) ------------------------------------------------------- */
#define WGX_BLK 1024        /* points per block: elementwise kernels, reductions along an axis */
#define WGX_CAP 4096        /* most points per block: reductions across an axis (strategy B) */
#define WGX_MAXOPS (2 * WG_KMAX_IO)

/* A block: up to WGX_BLK (or WGX_CAP) points as runs (segments) along the iterator's innermost
 * dim. */
typedef struct wgx_block {
    int n;                   /* points */
    int nseg;
    int *seglen;             /* [max points] */
    int64_t *segoff;         /* [max points * nops]: operand offsets (elements) at segment start */
    int64_t *segidx;         /* [max points * WG_MAX_NDIM] multi-index at segment start, or NULL */
} wgx_block;

/* Iteration over some dims (innermost last) for nops operands. */
typedef struct wgx_iter {
    int nd;
    int nops;
    int64_t shape[WG_MAX_NDIM];
    int dimid[WG_MAX_NDIM];                  /* kernel dimension of each iterated dim */
    int64_t st[WGX_MAXOPS][WG_MAX_NDIM];     /* element strides */
    int64_t start[WGX_MAXOPS];               /* offset of the first point (flipped dims) */
    /* state */
    int64_t idx[WG_MAX_NDIM];
    int64_t off[WGX_MAXOPS];
    int64_t left;                            /* points not yet handed out */
} wgx_iter;

WG_INTERNAL void wgX_iter_start(wgx_iter *it);
/* Hands out the next block (<= maxn points); returns its size (0 at the end). */
WG_INTERNAL int wgX_iter_next(wgx_iter *it, wgx_block *b, int maxn);
/* Drops length-1 dims; with flip, walks dims backwards where no operand has a positive stride
 * (NumPy's iterator does this, so memory is read forwards); sorts dims by descending |stride| of
 * operand key_op if key_op >= 0; merges dims that are contiguous for every operand.  Changes the
 * order points are visited in: not used when the program reads INDEX. */
WG_INTERNAL void wgX_iter_simplify(wgx_iter *it, int key_op, int flip);

typedef struct wgx_eval {
    const wg_kernel_ir *k;
    const wg_kernel_args *args;
    const wg_inst *inst;
    int ninst;
    int *slot;               /* scratch slot per instruction, -1: none */
    uint8_t *keep;           /* instruction value must stay (output / last) */
    int nslots;
    int cap;                 /* points per slot (the largest block evaluated) */
    void *mem;               /* slots: nslots * cap * 8 bytes, 64-aligned */
    const void **val;        /* per instruction: where its block values are */
    int has_index;
    int bad_power;           /* an integer raised to a negative power was seen */
    /* leaves */
    const char *in_base[WG_KMAX_IO];  /* input buffers at their offsets */
    int64_t in_nelem[WG_KMAX_IO];     /* raw inputs (LOAD_AT): elements from the offset */
    const int64_t *in_inner;          /* inner stride per input (the iterator's innermost dim) */
    const wgx_iter *it;               /* the iterator blocks come from (INDEX, operand count) */
    int inner_dim;                    /* kernel dim of the block's runs (INDEX), -1 none */
    const int64_t *fixed_idx;         /* multi-index of the dims not in the block (INDEX) */
    const void *acc;                  /* ACC leaf values (post programs) */
    int direct_inst;                  /* this instruction computes straight into direct_ptr */
    void *direct_ptr;                 /* (an output's memory for the block), or NULL */
    void *freeme;
} wgx_eval;

/* Validates a program and prepares it (slots of cap points).  post: ACC leaves allowed,
 * LOAD/INDEX not. */
WG_INTERNAL int wgX_eval_init(wg_context *ctx, wgx_eval *e, const wg_kernel_ir *k,
                              const wg_kernel_args *args, const wg_inst *inst, int ninst,
                              int post, int nkeep_outputs, const uint16_t *keep_insts, int cap);
WG_INTERNAL void wgX_eval_free(wgx_eval *e);
/* Evaluates the program on block b (input offsets in segoff + extra[] per input, may be NULL). */
WG_INTERNAL void wgX_eval_block(wgx_eval *e, const wgx_block *b, const int64_t *extra);
/* Evaluates a post program on the n kept points of block kb (from iterator kit): ACC leaves are
 * acc; LOAD reads an input at the kept point (e->in_inner: the inputs' inner strides over kit). */
WG_INTERNAL void wgX_eval_post(wgx_eval *e, int n, const void *acc, const wgx_block *kb,
                               const wgx_iter *kit);

/* One instruction's values on n points (a, b, c: its operands' values), and whether the result
 * must then be wrapped to its dtype (wgX_wrap_block).  Shared by the statement evaluator. */
WG_INTERNAL void wgX_compute(wgx_eval *e, const wg_inst *in, int n, const void *a, const void *b,
                             const void *c, void *r);
WG_INTERNAL int wgX_needs_wrap(int op, int dt);
WG_INTERNAL void wgX_fill_index(wgx_eval *e, const wgx_block *b, const wgx_iter *it, int dim,
                                int dt, void *out);
/* Operand dtypes and slots of value instruction i (statement ops: see cpu_stmt.c). */
WG_INTERNAL int wgX_check_inst(wg_context *ctx, const wg_kernel_ir *k, const wg_inst *inst, int i,
                               int post);
/* Statement kernels (ir.h): blocks of points run SIMT-style under active-lane masks. */
WG_INTERNAL int wgX_run_stmt(wg_context *ctx, const wg_kernel_ir *k, const wg_kernel_args *args);
WG_INTERNAL void wgX_set_stmt_block(int points);  /* tests and benchmarks: points per block */

/* conversions on blocks */
WG_INTERNAL void wgX_cast_block(int sdt, int ddt, int n, const void *src, void *dst);
WG_INTERNAL void wgX_wrap_block(int dt, int n, void *v);
WG_INTERNAL void wgX_load_conv(int dt, const char *p, int64_t stride, int n, void *dst);
/* d[t] = element ix[t] of p (0 outside [0, lim)), converted to the compute class. */
WG_INTERNAL void wgX_gather_conv(int dt, const char *p, int64_t lim, const int64_t *ix, int n,
                                 void *dst);
WG_INTERNAL void wgX_store_conv(int dt, char *p, int64_t stride, int n, const void *src);
/* Stores n values (class of dtype vdt) to output dtype odt at p with stride, converting. */
WG_INTERNAL void wgX_store_value(int vdt, int odt, char *p, int64_t stride, int n, const void *src,
                                 void *tmp);
/* Stores block b's values v (class of vdt, one per point, in segment order) to operand op (of
 * nops) of every segment: base (dtype odt) at the segment's offset, with the innermost stride. */
WG_INTERNAL void wgX_store_block(int vdt, int odt, char *base, int64_t stride, const wgx_block *b,
                                 int nops, int op, const char *v, void *tmp);
/* A scalar as a value of dtype dt in dt's class, written to *dst (8 bytes max). */
WG_INTERNAL void wgX_scalar_to_class(int dt, wg_value v, void *dst);

/* ---- kernels (cpu.c, cpu_reduce.c, cpu_matmul.c) -------------------------------------------- */
WG_INTERNAL int wgX_validate_args(wg_context *ctx, const wg_kernel_ir *k,
                                  const wg_kernel_args *args);
WG_INTERNAL int wgX_run_elementwise(wg_context *ctx, const wg_kernel_ir *k,
                                    const wg_kernel_args *args);
WG_INTERNAL int wgX_run_reduce(wg_context *ctx, const wg_kernel_ir *k, const wg_kernel_args *args);
WG_INTERNAL int wgX_run_matmul(wg_context *ctx, const wg_kernel_ir *k, const wg_kernel_args *args);

/* 64-byte aligned scratch memory from wgB_malloc (freed with wgX_free_aligned) */
WG_INTERNAL void *wgX_alloc_aligned(wg_context *ctx, size_t n);
WG_INTERNAL void wgX_free_aligned(void *p);

#endif
