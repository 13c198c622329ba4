/*
 * wgpy.h — the one public header of the wgpy engine.
 *
 * Conventions (chosen so that ctypes, natively and inside Pyodide, can call every function):
 *   - opaque handles, no structs passed by value, no variadic functions;
 *   - functions that make an array return a new reference, or NULL on error;
 *   - functions that return int return WG_OK (0) or a negative status;
 *   - on error, wg_last_status()/wg_last_error() tell what happened; the Python layer maps the status
 *     to NumPy's exception types;
 *   - every array-making call also writes the new array's metadata into the context's info block
 *     (wg_info_block), so the Python layer learns shape/dtype/strides without another call.
 *
 * Arrays are lazy: an operation records work; the work runs when a result is observed (wg_read,
 * wg_sync) or when the scheduler decides to cut the graph.  Nothing here exposes that except the
 * counters.
 */
#ifndef WGPY_H
#define WGPY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define WG_API __declspec(dllexport)
#else
#define WG_API __attribute__((visibility("default")))
#endif

#define WG_ABI_VERSION 1
#define WG_MAX_NDIM 16

/* ---- status codes ------------------------------------------------------------------------ */
enum {
    WG_OK = 0,
    WG_ERR_TYPE = -1,      /* TypeError */
    WG_ERR_VALUE = -2,     /* ValueError */
    WG_ERR_INDEX = -3,     /* IndexError */
    WG_ERR_AXIS = -4,      /* numpy.exceptions.AxisError (a ValueError and an IndexError) */
    WG_ERR_MEMORY = -5,    /* MemoryError: allocation failed or the pool budget is exhausted */
    WG_ERR_NOTIMPL = -6,   /* NotImplementedError: this backend cannot do this operation */
    WG_ERR_OVERFLOW = -7,  /* OverflowError: a Python integer out of bounds for the dtype */
    WG_ERR_BACKEND = -8,   /* RuntimeError raised by the executor (device lost, compile error...) */
    WG_ERR_ZERODIV = -9,   /* ZeroDivisionError (only for Python-scalar style operations) */
    WG_ERR_INTERNAL = -10, /* a bug in wgpy: RuntimeError */
    WG_ERR_COMPILE = -11   /* a user kernel's source does not compile (CuPy's CompileException);
                            * the message is "<name>:<line>:<col>: <what>: `<text>`" */
};

/* ---- dtypes ------------------------------------------------------------------------------ */
/* Order matters: tables in core/src/dtype are indexed by these values. */
#define WG_DTYPES(X)                     \
    X(BOOL, bool, 1, 'b')                \
    X(INT8, int8, 1, 'i')                \
    X(INT16, int16, 2, 'i')              \
    X(INT32, int32, 4, 'i')              \
    X(INT64, int64, 8, 'i')              \
    X(UINT8, uint8, 1, 'u')              \
    X(UINT16, uint16, 2, 'u')            \
    X(UINT32, uint32, 4, 'u')            \
    X(UINT64, uint64, 8, 'u')            \
    X(FLOAT16, float16, 2, 'f')          \
    X(FLOAT32, float32, 4, 'f')          \
    X(FLOAT64, float64, 8, 'f')          \
    X(COMPLEX64, complex64, 8, 'c')      \
    X(COMPLEX128, complex128, 16, 'c')

typedef enum {
#define WG_X_(E, name, size, kind) WG_##E,
    WG_DTYPES(WG_X_)
#undef WG_X_
    WG_NDTYPES
} wg_dtype;

/* Python scalars are "weak" (NEP 50): their kind counts in promotion, their size does not. */
typedef enum {
    WG_WEAK_NONE = 0, WG_WEAK_BOOL = 1, WG_WEAK_INT = 2, WG_WEAK_FLOAT = 3, WG_WEAK_COMPLEX = 4
} wg_weak;

typedef enum {
    WG_CAST_NO = 0, WG_CAST_EQUIV = 1, WG_CAST_SAFE = 2, WG_CAST_SAME_KIND = 3, WG_CAST_UNSAFE = 4
} wg_casting;

/* ---- operations -------------------------------------------------------------------------- */
/* X(ENUM, numpy_name, arity).  Elementwise ops; names are NumPy's ufunc names. */
#define WG_UNARY_OPS(X)                                                                          \
    X(NEGATIVE, negative, 1) X(POSITIVE, positive, 1) X(ABSOLUTE, absolute, 1) X(SIGN, sign, 1)  \
    X(SQRT, sqrt, 1) X(CBRT, cbrt, 1) X(SQUARE, square, 1) X(RECIPROCAL, reciprocal, 1)          \
    X(EXP, exp, 1) X(EXP2, exp2, 1) X(EXPM1, expm1, 1) X(LOG, log, 1) X(LOG2, log2, 1)           \
    X(LOG10, log10, 1) X(LOG1P, log1p, 1) X(SIN, sin, 1) X(COS, cos, 1) X(TAN, tan, 1)           \
    X(ARCSIN, arcsin, 1) X(ARCCOS, arccos, 1) X(ARCTAN, arctan, 1) X(SINH, sinh, 1)              \
    X(COSH, cosh, 1) X(TANH, tanh, 1) X(ARCSINH, arcsinh, 1) X(ARCCOSH, arccosh, 1)              \
    X(ARCTANH, arctanh, 1) X(FLOOR, floor, 1) X(CEIL, ceil, 1) X(TRUNC, trunc, 1)                \
    X(RINT, rint, 1) X(ISNAN, isnan, 1) X(ISINF, isinf, 1) X(ISFINITE, isfinite, 1)              \
    X(LOGICAL_NOT, logical_not, 1) X(INVERT, invert, 1)

#define WG_BINARY_OPS(X)                                                                         \
    X(ADD, add, 2) X(SUBTRACT, subtract, 2) X(MULTIPLY, multiply, 2)                             \
    X(TRUE_DIVIDE, true_divide, 2) X(FLOOR_DIVIDE, floor_divide, 2) X(REMAINDER, remainder, 2)   \
    X(POWER, power, 2) X(ARCTAN2, arctan2, 2) X(HYPOT, hypot, 2) X(COPYSIGN, copysign, 2)        \
    X(MAXIMUM, maximum, 2) X(MINIMUM, minimum, 2) X(FMAX, fmax, 2) X(FMIN, fmin, 2)              \
    X(EQUAL, equal, 2) X(NOT_EQUAL, not_equal, 2) X(LESS, less, 2) X(LESS_EQUAL, less_equal, 2)  \
    X(GREATER, greater, 2) X(GREATER_EQUAL, greater_equal, 2)                                    \
    X(LOGICAL_AND, logical_and, 2) X(LOGICAL_OR, logical_or, 2) X(LOGICAL_XOR, logical_xor, 2)   \
    X(BITWISE_AND, bitwise_and, 2) X(BITWISE_OR, bitwise_or, 2) X(BITWISE_XOR, bitwise_xor, 2)   \
    X(LEFT_SHIFT, left_shift, 2) X(RIGHT_SHIFT, right_shift, 2)

/* Ops that only the engine creates (never resolved through the ufunc tables). */
#define WG_INTERNAL_OPS(X)                                                                        \
    X(CAST, cast, 1)          /* convert to the instruction's dtype (NumPy's unsafe astype) */    \
    X(WHERE, where, 3)        /* cond ? a : b */                                                  \
    X(LOAD, load, 0)          /* read input slot `arg` at the current index */                    \
    X(PARAM, param, 0)        /* scalar parameter slot `arg` (kernel argument, not a constant) */ \
    X(INDEX, index, 0)        /* the current index along dimension `arg` (int64) */               \
    X(ACC, acc, 0)            /* reduction epilogue: the reduced value */                       \
    /* statements and raw access (ir.h, "Statement kernels"): user kernels, gathers, scatters */  \
    X(GET, get, 0)            /* the value of local `arg` */                                    \
    X(SET, set, 1)            /* local `arg` = src0 (a statement) */                            \
    X(IF, if, 1)              /* if src0 (BOOL) { ... [ELSE ...] END */                         \
    X(ELSE, else, 0)                                                                            \
    X(LOOP, loop, 0)          /* loop { body [CONTINUING step] END }: repeats until BREAK */    \
    X(CONTINUING, continuing, 0) /* the loop's step: runs after the body and on CONTINUE */     \
    X(END, end, 0)            /* closes the innermost IF or LOOP */                             \
    X(BREAK, break, 0)        /* leaves the innermost LOOP */                                   \
    X(CONTINUE, continue, 0)  /* goes to the innermost LOOP's step (or its top) */              \
    X(RETURN, return, 0)      /* ends this point: outputs get their locals' current values */   \
    X(LOAD_AT, load_at, 1)    /* input `arg` at element src0 (any int) of its raw view */       \
    X(OUT_LOAD_AT, out_load_at, 1) /* output `arg` at element src0 (read of a raw output) */   \
    X(STORE_AT, store_at, 2)  /* output `arg` at element src0 = src1 (a statement) */           \
    X(ATOMIC_ADD, atomic_add, 2) /* output `arg` at src0 += src1 atomically; gives the old value */ \
    X(LINEAR, linear, 0)      /* C-order flat index of the current point (dtype int32/int64) */ \
    X(ATOMIC_MAX, atomic_max, 2) /* output `arg` at src0 = max(it, src1) atomically; gives the old */ \
    X(ATOMIC_MIN, atomic_min, 2) /* output `arg` at src0 = min(it, src1) atomically; gives the old */ \
    X(ATOMIC_CAS, atomic_cas, 3) /* output `arg` at src0: if it == src1, = src2; gives the old */ \
    X(BARRIER, barrier, 0)    /* __syncthreads(): the points of a workgroup wait (a statement) */ \
    X(SHARED_LOAD, shared_load, 1)  /* workgroup array `arg` at element src0 (ir.h, "Workgroup arrays") */ \
    X(SHARED_STORE, shared_store, 2) /* workgroup array `arg` at element src0 = src1 (a statement) */ \
    /* atomics on workgroup arrays (ir.h, "Workgroup arrays"): as ATOMIC_ADD/MAX/MIN/CAS, on  \
     * element src0 of workgroup array `arg`; each gives the old value */                    \
    X(SHARED_ATOMIC_ADD, shared_atomic_add, 2) X(SHARED_ATOMIC_MAX, shared_atomic_max, 2)    \
    X(SHARED_ATOMIC_MIN, shared_atomic_min, 2) X(SHARED_ATOMIC_CAS, shared_atomic_cas, 3)  \
    X(BITCAST, bitcast, 1)    /* src0's bits as the instruction's dtype (32-bit int/uint/float: \
                               * CUDA's __float_as_uint and kin) */

typedef enum {
#define WG_X_(E, name, arity) WG_OP_##E,
    WG_UNARY_OPS(WG_X_) WG_BINARY_OPS(WG_X_) WG_INTERNAL_OPS(WG_X_)
#undef WG_X_
    WG_NOPS
} wg_op;

#define WG_REDUCE_OPS(X)                                                                         \
    X(SUM, sum) X(PROD, prod) X(MIN, min) X(MAX, max) X(ARGMIN, argmin) X(ARGMAX, argmax)         \
    X(ANY, any) X(ALL, all) X(MEAN, mean) X(VAR, var) X(STD, std)

typedef enum {
#define WG_X_(E, name) WG_REDUCE_##E,
    WG_REDUCE_OPS(WG_X_)
#undef WG_X_
    WG_NREDUCE
} wg_reduce_op;

/* ---- basic-index items (wg_index): 4 int64 per item ------------------------------------ */
enum {
    WG_IDX_INT = 0,      /* {0, i, 0, 0} */
    WG_IDX_SLICE = 1,    /* {1, start, stop, step}; start/stop may be WG_IDX_NONE */
    WG_IDX_NEWAXIS = 2,  /* {2, 0, 0, 0} */
    WG_IDX_ELLIPSIS = 3  /* {3, 0, 0, 0} */
};
#define WG_IDX_NONE INT64_MIN

/* ---- backends ---------------------------------------------------------------------------- */
/* WEBGPU: the stream backend with WGSL in CREATE_KERNEL and the webgpu storage rule
 * (docs/webgpu.md); a JavaScript executor runs it.  WEBGL2: the same with GLSL ES 3.00 vertex and
 * fragment shaders in CREATE_KERNEL (docs/webgl2.md). */
enum {
    WG_BACKEND_CPU = 0, WG_BACKEND_STREAM = 1, WG_BACKEND_LOOPBACK = 2, WG_BACKEND_WEBGPU = 3,
    WG_BACKEND_WEBGL2 = 4
};

/* ---- the info block: written after every array-making call --------------------------------
 * int64 slots: [0]=dtype [1]=ndim [2]=offset(elements) [3]=flags [4]=weak
 *              [8 .. 8+ndim) = shape, [8+WG_MAX_NDIM .. +ndim) = strides in elements.
 *              [7] = hand-off due (run ahead, wg_set_run_ahead): the engine has recorded enough
 *                    GPU work that the host should hand the stream to its executor now, without
 *                    waiting; wg_stream_data clears it.
 * flags: bit0 C-contiguous, bit1 F-contiguous, bit2 owns its buffer (not a view),
 *        bit3 writeable (broadcast views are not). */
#define WG_INFO_SLOTS (8 + 2 * WG_MAX_NDIM)
enum { WG_INFO_HANDOFF = 7 };
enum { WG_FLAG_C = 1, WG_FLAG_F = 2, WG_FLAG_OWNDATA = 4, WG_FLAG_WRITEABLE = 8 };

/* ---- counters (wg_counters fills int64[WG_NCOUNTERS]) ----------------------------------- */
#define WG_COUNTERS(X)                                                                            \
    X(KERNELS_LAUNCHED, kernels_launched) X(OPS_RECORDED, ops_recorded) X(OPS_FUSED, ops_fused)   \
    X(BYTES_READ, bytes_read) X(BYTES_WRITTEN, bytes_written) X(BYTES_UPLOADED, bytes_uploaded)   \
    X(BYTES_DOWNLOADED, bytes_downloaded) X(KERNEL_CACHE_HITS, kernel_cache_hits)                  \
    X(KERNEL_CACHE_MISSES, kernel_cache_misses) X(FLUSHES, flushes)                                \
    X(OPS_RUN_AHEAD, ops_run_ahead) X(HANDOFFS, handoffs)                                         \
    X(USER_KERNEL_COMPILES, user_kernel_compiles)                                                 \
    X(HOST_SYNCS_FOR_SIZE, host_syncs_for_size) /* reads of a data-dependent size (nonzero...) */ \
    X(INDEX_CHECKS, index_checks) /* reads of an advanced index's bounds summary */           \
    X(FUSE_TRACES, fuse_traces) /* wg_trace_end that kept a template */                           \
    X(FUSE_REPLAYS, fuse_replays) /* wg_trace_replay that recorded a template's work */           \
    X(FUSE_EAGER, fuse_eager) /* fused calls run op by op: an uncapturable function */

typedef enum {
#define WG_X_(E, name) WG_COUNTER_##E,
    WG_COUNTERS(WG_X_)
#undef WG_X_
    WG_NCOUNTERS
} wg_counter;

/* pool statistics (wg_pool_stats fills int64[WG_NPOOLSTATS]) */
enum {
    WG_POOL_USED_BYTES, WG_POOL_FREE_BYTES, WG_POOL_TOTAL_BYTES, WG_POOL_LIMIT_BYTES,
    WG_POOL_N_ALLOCS, WG_POOL_N_REUSED, WG_POOL_PEAK_BYTES, WG_NPOOLSTATS
};

typedef struct wg_context wg_context;
typedef struct wg_array wg_array;

/* ---- context ----------------------------------------------------------------------------- */
WG_API int wg_abi_version(void);
WG_API wg_context *wg_context_new(int backend);
WG_API void wg_context_free(wg_context *ctx);
WG_API int wg_last_status(wg_context *ctx);
WG_API const char *wg_last_error(wg_context *ctx);
WG_API void wg_clear_error(wg_context *ctx);
WG_API int64_t *wg_info_block(wg_context *ctx);
/* A release queue in the caller's memory: q[0] is the number of handles waiting, q[1..q[0]]
 * the handles (wg_array pointers), at most cap (q holds cap + 1 values).  The shell's finalizer appends a handle instead
 * of calling wg_release (a crossing less per operation, docs/architecture.md); the engine
 * releases the waiting handles, newest first, first thing at its entries where liveness or
 * memory shows (elementwise operations, reductions, matmul, astype, assign, basic views, empty,
 * from_data, full, user kernel launches, sync, read, counters, the pool's statistics and
 * free_all, the trace calls)
 * and in wg_release_drain; an entry not listed sees the waiting arrays as alive (as if the shell
 * still held them) until the next listed one.  One queue may serve several contexts:
 * a handle is released into its own.  q NULL turns it off (after draining the old queue). */
WG_API void wg_set_release_queue(wg_context *ctx, int64_t *q, int cap);
WG_API void wg_release_drain(wg_context *ctx);
/* 64-bit policy (DESIGN §5): off by default: 64-bit requests give 32-bit arrays. */
WG_API void wg_set_x64(wg_context *ctx, int enabled);
WG_API int wg_get_x64(wg_context *ctx);
WG_API int wg_backend_id(wg_context *ctx);
WG_API const char *wg_backend_name(wg_context *ctx);
/* Largest number of operations fused into one kernel before the graph is cut (loads and scalars
 * not counted).  Default 256, or 1024 on webgl2 once wg_set_adapter_class says it is a CPU. */
WG_API void wg_set_fusion_limit(wg_context *ctx, int max_nodes);
WG_API void wg_set_lazy(wg_context *ctx, int lazy); /* 0: run every op at once (debugging) */
/* The device's binding limit (storage buffers per shader stage, or texture units), from the host:
 * fused kernels stay within it; default 16, clamped to [6, 16]. */
WG_API void wg_set_max_bindings(wg_context *ctx, int n);
/* The host's adapter: 0 a GPU (the default), 1 a CPU implementation of the API (SwiftShader:
 * WebGPU's fallback adapter, the webgpu executor's rule in js/src/webgpu/executor.mjs; a WebGL2
 * renderer named SwiftShader or llvmpipe, js/src/webgl2/executor.mjs).  Where an algorithm has
 * shapes that suit one or the other (the FFT's workgroup passes against its per-pass launches,
 * docs/fft.md; the fusion limit), the engine's automatic choice follows it. */
WG_API void wg_set_adapter_class(wg_context *ctx, int cls);
/* The device's workgroup memory in bytes (maxComputeWorkgroupStorageSize), from the host; default
 * and minimum 16384 (WebGPU's guarantee).  Library kernels with larger tiles where it allows
 * (the radix sort, docs/sorting.md) follow it. */
WG_API void wg_set_workgroup_storage(wg_context *ctx, int bytes);
/* The device's maxComputeInvocationsPerWorkgroup, from the host; default and minimum 256
 * (WebGPU's guarantee).  The FFT's workgroup passes run 512 threads a tile where it allows. */
WG_API void wg_set_workgroup_invocations(wg_context *ctx, int n);
/* The device's subgroup sizes (min, max), from a host that enabled WebGPU's `subgroups` feature;
 * where both are 32, CUDA's warp intrinsics run as subgroup operations (docs/kernels.md, "Warp
 * intrinsics"), elsewhere through workgroup memory.  WGPY_SUBGROUPS=0 refuses them. */
WG_API void wg_set_subgroups(wg_context *ctx, int min_size, int max_size);
/* Run ahead (docs/architecture.md): a reduction or matmul whose work is at least min_work (input
 * elements; a matmul counts M*N*K/64) is run when recorded rather than at the next sync point,
 * since nothing recorded later can fuse into it; once handoff_work of such work is recorded, the
 * info block's WG_INFO_HANDOFF slot asks the host to hand the stream over, so that the GPU works
 * while Python records the next operations.  min_work <= 0: off (the default). */
WG_API void wg_set_run_ahead(wg_context *ctx, int64_t min_work, int64_t handoff_work);

/* ---- names, so that no layer above C keeps its own copy of these tables ------------------ */
WG_API int wg_op_count(void);
WG_API const char *wg_op_name(int op);
WG_API int wg_op_arity(int op);
WG_API int wg_reduce_count(void);
WG_API const char *wg_reduce_name(int rop);
WG_API const char *wg_dtype_name(int dtype);
WG_API int wg_dtype_size(int dtype);
WG_API int wg_dtype_kind(int dtype); /* 'b', 'i', 'u', 'f', 'c' */
WG_API int wg_counter_count(void);
WG_API const char *wg_counter_name(int c);

/* ---- dtype rules ------------------------------------------------------------------------- */
WG_API int wg_promote_types(int a, int b);              /* NumPy's promote_types, or -1 */
WG_API int wg_can_cast(int from, int to, int casting);  /* 1/0 */
/* result_type over n operands: dtypes[i] with weak[i] (wg_weak); -1 on error. */
WG_API int wg_result_type(wg_context *ctx, int n, const int32_t *dtypes, const int32_t *weak);
/* the dtype an array requested as `dtype` gets under the current 64-bit policy */
WG_API int wg_canonical_dtype(wg_context *ctx, int dtype);
/* the output dtype of an elementwise op for the given operand dtypes/weak kinds, or -1 */
WG_API int wg_op_result_dtype(wg_context *ctx, int op, int n, const int32_t *dtypes,
                              const int32_t *weak);

/* ---- arrays: lifetime and metadata ------------------------------------------------------ */
WG_API void wg_retain(wg_array *a);
WG_API void wg_release(wg_array *a);
WG_API int wg_info(wg_context *ctx, wg_array *a); /* (re)writes the info block for `a` */
/* Nonzero when a and b may share memory (same buffer). */
WG_API int wg_shares_buffer(wg_array *a, wg_array *b);
WG_API int64_t wg_buffer_id(wg_array *a);

/* ---- creation ---------------------------------------------------------------------------- */
WG_API wg_array *wg_empty(wg_context *ctx, int dtype, int ndim, const int64_t *shape);
/* Copy of `data` (C-contiguous, the dtype's NumPy layout) with the given shape. */
WG_API wg_array *wg_from_data(wg_context *ctx, int dtype, int ndim, const int64_t *shape,
                              const void *data);
/* Copy of strided host data: byte strides, any sign (numpy arrays of any layout). */
WG_API wg_array *wg_from_strided(wg_context *ctx, int dtype, int ndim, const int64_t *shape,
                                 const int64_t *byte_strides, const void *data);
/* A 0-d array holding a Python scalar: weak is wg_weak (WG_WEAK_NONE for a strong scalar of
 * `dtype`).  ival carries bool/int values (bit pattern of uint64 when is_unsigned), fval floats. */
WG_API wg_array *wg_scalar(wg_context *ctx, int dtype, int weak, int64_t ival, int is_unsigned,
                           double fval);
WG_API wg_array *wg_full(wg_context *ctx, int dtype, int ndim, const int64_t *shape,
                         wg_array *value);
WG_API wg_array *wg_arange(wg_context *ctx, int dtype, double start, double step, int64_t n);
WG_API wg_array *wg_linspace(wg_context *ctx, int dtype, double start, double stop, int64_t n,
                             int endpoint);
WG_API wg_array *wg_eye(wg_context *ctx, int dtype, int64_t n, int64_t m, int64_t k);

/* ---- reading back ------------------------------------------------------------------------ */
/* Writes the array C-contiguously into dst (nbytes = size*itemsize).  A sync point. */
WG_API int wg_read(wg_context *ctx, wg_array *a, void *dst, int64_t nbytes);
WG_API int wg_sync(wg_context *ctx);

/* ---- capture and replay (graph/capture.c; wgpy.fuse, docs/architecture.md "Capture and replay")
 * wg_trace_begin starts recording a template of the work the next operations record over the
 * given input arrays (the traced function's parameters); the operations run as usual (lazily)
 * and their results are real.  While tracing, run-ahead is off, a cut for the fusion limit leaves
 * the cut part pending on its intermediate, and inputs' and other outside arrays' pending writes
 * are read from memory instead of fused.  wg_trace_end(outs) ends it: 1 the template is kept
 * (the pending writes of the buffers made during the trace, in order, over parameters, outside
 * buffers (kept referenced), scalars and intermediates), 0 uncapturable (a read, sync, upload or
 * kernel that ran during the trace, a write into an array from before it, an output that is not
 * an array made by the trace...: wg_trace_reason says which), <0 an error.  Either way tracing
 * has ended.  wg_trace_replay records the template's writes over new inputs into new buffers and
 * returns the new outputs in outs (new references; the info block describes outs[0]): the graph
 * is then as if the function had been recorded op by op.  1: the inputs do not match the traced ones (dtype, layout, buffer
 * size, which inputs share a buffer, a buffer-less input's value): trace again.  One trace at a
 * time per context (a second wg_trace_begin while tracing is WG_ERR_VALUE). */
typedef struct wg_trace wg_trace;
WG_API wg_trace *wg_trace_begin(wg_context *ctx, int nin, wg_array **ins);
WG_API int wg_trace_end(wg_context *ctx, wg_trace *t, int nout, wg_array **outs);
/* Declares, before wg_trace_end, the outside arrays the caller follows between calls (Python's
 * fuse: closure cells and globals, whose identities are in its cache key).  Once called,
 * wg_trace_end makes a trace that reads any other array from before it uncapturable: an array
 * reached through an attribute or a container may be another one at the next call. */
WG_API int wg_trace_known(wg_context *ctx, wg_trace *t, int n, wg_array **arrays);
WG_API const char *wg_trace_reason(const wg_trace *t);
/* what: 0 writes, 1 nodes, 2 outside buffers, 3 intermediate buffers, 4 outputs */
WG_API int64_t wg_trace_stat(const wg_trace *t, int what);
WG_API int wg_trace_replay(wg_context *ctx, wg_trace *t, int nin, wg_array **ins, int nout,
                           wg_array **outs);
WG_API void wg_trace_free(wg_context *ctx, wg_trace *t);
/* Counts a fused call that ran op by op (counter fuse_eager). */
WG_API void wg_trace_eager(wg_context *ctx);
/* Is a trace under way? */
WG_API int wg_tracing(wg_context *ctx);

/* ---- views (no data moves) --------------------------------------------------------------- */
/* nitems index items, 4 int64 each (see WG_IDX_*). */
WG_API wg_array *wg_index(wg_context *ctx, wg_array *a, int nitems, const int64_t *items);
WG_API wg_array *wg_transpose(wg_context *ctx, wg_array *a, int naxes, const int64_t *axes);
WG_API wg_array *wg_swapaxes(wg_context *ctx, wg_array *a, int64_t a1, int64_t a2);
WG_API wg_array *wg_moveaxis(wg_context *ctx, wg_array *a, int n, const int64_t *src,
                             const int64_t *dst);
/* np.diagonal: axis1 and axis2 removed, the diagonal (offset k) appended as the last axis; a
 * strided view.  writeable = 0 gives NumPy's read-only view, 1 a writeable one (fill_diagonal). */
WG_API wg_array *wg_diagonal(wg_context *ctx, wg_array *a, int64_t offset, int64_t axis1,
                             int64_t axis2, int writeable);
/* shape may hold one -1.  order: 'C' or 'F'.  A view where possible, else a (lazy) copy. */
WG_API wg_array *wg_reshape(wg_context *ctx, wg_array *a, int ndim, const int64_t *shape,
                            int order);
/* naxes = -1: every length-1 axis */
WG_API wg_array *wg_squeeze(wg_context *ctx, wg_array *a, int naxes, const int64_t *axes);
WG_API wg_array *wg_expand_dims(wg_context *ctx, wg_array *a, int naxes, const int64_t *axes);
WG_API wg_array *wg_broadcast_to(wg_context *ctx, wg_array *a, int ndim, const int64_t *shape);
/* The broadcast shape of n arrays, written to out_shape; returns its ndim or <0. */
WG_API int wg_broadcast_shapes(wg_context *ctx, int n, wg_array *const *arrays,
                               int64_t *out_shape);

/* ---- computation (all lazy) -------------------------------------------------------------- */
/* out may be NULL (a new array) or an array to write into (NumPy's out=; may alias inputs).
 * dtype: -1, or the requested output/loop dtype (NumPy's dtype=). */
WG_API wg_array *wg_unary(wg_context *ctx, int op, wg_array *a, wg_array *out, int dtype);
WG_API wg_array *wg_binary(wg_context *ctx, int op, wg_array *a, wg_array *b, wg_array *out,
                           int dtype);
/* The operators' short forms (x + y, -x, x += y): no dtype=, the context is a's.  They exist for
 * the host's per-call cost: in Pyodide a ctypes call costs ~0.1 us an argument and ~0.2 us more
 * for each negative int, so wg_binary(ctx, op, a, b, NULL, -1) took 1.3 us before the engine did
 * anything and wg_binop(op, a, b) takes 0.6 (docs/architecture.md, "The host cost of one
 * operation"). */
WG_API wg_array *wg_unop(int op, wg_array *a);
WG_API wg_array *wg_binop(int op, wg_array *a, wg_array *b);
WG_API wg_array *wg_binop_into(int op, wg_array *a, wg_array *b, wg_array *out);
/* wg_index(a's context, a, ...): the basic index's short form, for x[i] / x[2:] in C */
WG_API wg_array *wg_index_of(wg_array *a, int nitems, const int64_t *items);
/* wg_reduce(a's context, rop, a, naxes, axes, keepdims, no dtype, ddof 0, no out): x.sum(),
 * x.max(axis=1) in C */
WG_API wg_array *wg_reduce_of(int rop, wg_array *a, int naxes, const int64_t *axes, int keepdims);
/* And one function per binary ufunc, wg_binop_<numpy name>(a, b) (wg_binop_add(x, y) is x + y):
 * the operators' two-argument forms, ~0.12 us less a call than wg_binop's three in Pyodide
 * (docs/architecture.md, "The host cost of one operation", session 17). */
#define WG_DECLARE_BINOP_FORM(E, name, arity) WG_API wg_array *wg_binop_##name(wg_array *a, wg_array *b);
WG_BINARY_OPS(WG_DECLARE_BINOP_FORM)
#undef WG_DECLARE_BINOP_FORM
WG_API wg_array *wg_where(wg_context *ctx, wg_array *cond, wg_array *a, wg_array *b,
                          wg_array *out);
WG_API wg_array *wg_clip(wg_context *ctx, wg_array *a, wg_array *lo, wg_array *hi,
                         wg_array *out);
WG_API wg_array *wg_astype(wg_context *ctx, wg_array *a, int dtype, int casting, int copy);
/* A new C-contiguous (order 'C') or F-contiguous ('F') copy. */
WG_API wg_array *wg_copy(wg_context *ctx, wg_array *a, int order);
/* dst[...] = src with broadcasting and an unsafe cast: the write into a view. */
WG_API int wg_assign(wg_context *ctx, wg_array *dst, wg_array *src);
/* axes: naxes entries, or naxes = -1 for all axes.  ddof for var/std.  dtype -1 = default. */
WG_API wg_array *wg_reduce(wg_context *ctx, int rop, wg_array *a, int naxes, const int64_t *axes,
                           int keepdims, int dtype, int64_t ddof, wg_array *out);
WG_API wg_array *wg_matmul(wg_context *ctx, wg_array *a, wg_array *b, wg_array *out);
WG_API wg_array *wg_dot(wg_context *ctx, wg_array *a, wg_array *b, wg_array *out);

/* ---- complex dtypes (docs/complex.md) ---------------------------------------------------- */
/* complex64/complex128 arrays hold float32/float64 pairs (NumPy's layout); kernels stay real.
 * wg_scalar_complex: a complex scalar (weak != 0: a Python complex, NEP 50; dtype ignored).
 * wg_real/wg_imag: NumPy's .real/.imag (views of a complex array; a real array's .real is a view
 * of it, its .imag read-only zeros).  wg_complex_pairs: the float view (..., 2) of a complex
 * array (writeable where the array is); wg_pairs_complex: the complex view of a float32/float64
 * array whose last axis has length 2 and stride 1 (other strides even). */
WG_API wg_array *wg_scalar_complex(wg_context *ctx, int dtype, int weak, double re, double im);
WG_API wg_array *wg_real(wg_context *ctx, wg_array *a);
WG_API wg_array *wg_imag(wg_context *ctx, wg_array *a);
WG_API wg_array *wg_complex_pairs(wg_context *ctx, wg_array *a);
WG_API wg_array *wg_pairs_complex(wg_context *ctx, wg_array *f);
/* NumPy's conjugate (a copy for real dtypes; bool and integers keep their dtype) */
WG_API wg_array *wg_conjugate(wg_context *ctx, wg_array *a, wg_array *out);

/* ---- user kernels (CuPy's kernel language; docs/kernels.md) ----------------------------- */
/* A kernel is parsed once; a syntax error is WG_ERR_COMPILE.  Each call binds the placeholder
 * types from its arguments (a 0-d scalar from wg_scalar is a Python scalar when weak, a numpy
 * scalar when strong), lowers the body once per type signature (counter user_kernel_compiles)
 * and runs it.  Empty strings for the optional parts. */
typedef struct wg_ukernel wg_ukernel;
WG_API int wg_ukernel_elementwise(wg_context *ctx, const char *in_params, const char *out_params,
                                  const char *operation, const char *name, const char *preamble,
                                  const char *loop_prep, const char *after_loop, wg_ukernel **out);
WG_API int wg_ukernel_reduction(wg_context *ctx, const char *in_params, const char *out_params,
                                const char *map_expr, const char *reduce_expr,
                                const char *post_map_expr, const char *identity, const char *name,
                                const char *reduce_type, const char *preamble, wg_ukernel **out);
WG_API void wg_ukernel_free(wg_ukernel *k);
WG_API int wg_ukernel_nparams(wg_ukernel *k);   /* in params, then out params */
WG_API int wg_ukernel_nin(wg_ukernel *k);
/* The name of parameter i; info[4] = {is_out, is_raw, dtype or -1, placeholder letter}. */
WG_API const char *wg_ukernel_param(wg_ukernel *k, int i, int32_t *info);
/* args: the in params' arguments, optionally followed by every out param's array; size >= 0
 * only when no non-raw array decides the launch shape.  outs[nout] receive the outputs (new
 * references); the info block describes outs[0] (wg_ukernel_reduce's too). */
WG_API int wg_ukernel_launch(wg_context *ctx, wg_ukernel *k, int nargs, wg_array *const *args,
                             int64_t size, wg_array **outs);
/* A ReductionKernel: naxes = -1 reduces every axis. */
WG_API int wg_ukernel_reduce(wg_context *ctx, wg_ukernel *k, int nargs, wg_array *const *args,
                             int naxes, const int64_t *axes, int keepdims, wg_array **outs);

/* ---- RawKernel / RawModule: CUDA-C `__global__` functions (the front end in C; docs/kernels.md,
 * "RawKernel and RawModule") ------------------------------------------------------------- */
/* A source parsed once: its `__global__` functions (`extern "C"`, `__device__` helpers,
 * #define).  A syntax error is WG_ERR_COMPILE "<name>:<line>:<col>: <what>: `<text>`" (name:
 * the kernel's, or "module").  get_function parses the source again for one function (an
 * unknown name is WG_ERR_VALUE); the result is a wg_ukernel launched by wg_rawkernel_launch. */
typedef struct wg_rawmodule wg_rawmodule;
WG_API int wg_rawmodule_new(wg_context *ctx, const char *code, const char *name,
                            wg_rawmodule **out);
WG_API void wg_rawmodule_free(wg_rawmodule *m);
/* 1: the kernel's float32 a * b + c may be computed as one fused multiply-add on webgpu (CUDA's
 * default --fmad=true; CuPy's options=('--fmad=true',)): faster, and rounded once instead of
 * twice, so results may differ from numpy's in the last bit.  0 (the default): never. */
WG_API void wg_ukernel_set_contract(wg_ukernel *k, int on);
/* The module's device array of the `__constant__` variable `name` (a new reference; 1-d, its
 * length and dtype; a scalar is one element): what the host writes there, every launch of the
 * module's functions reads (CuPy's RawModule.get_global).  WG_ERR_VALUE: no such variable. */
WG_API int wg_rawmodule_get_global(wg_context *ctx, wg_rawmodule *m, const char *name,
                                   wg_array **out);
WG_API int wg_rawmodule_nfunctions(wg_rawmodule *m);
WG_API const char *wg_rawmodule_function(wg_rawmodule *m, int i);
WG_API int wg_rawmodule_get_function(wg_context *ctx, wg_rawmodule *m, const char *name,
                                     wg_ukernel **out);
/* info[5] = {parameters, bytes of the static __shared__ arrays, uses __syncthreads(),
 * __shared__ declarations, has an extern __shared__ array}. */
WG_API int wg_rawkernel_info(wg_ukernel *k, int64_t *info);
/* Lowers the kernel once (a cpu configuration): its compile errors without a launch. */
WG_API int wg_rawkernel_compile(wg_context *ctx, wg_ukernel *k);
/* k(grid, block, args, shared_mem): grid[3], block[3] (CUDA's limits: ValueError), args the
 * function's parameters in order (arrays for pointers, scalars for scalars: TypeError),
 * shared_mem the bytes of the extern __shared__ arrays.  Pointer arguments are written in
 * place. */
WG_API int wg_rawkernel_launch(wg_context *ctx, wg_ukernel *k, const int64_t *grid,
                               const int64_t *block, int64_t shared_mem, int nargs,
                               wg_array *const *args);

/* ---- the seed's native kernels (WGSL / GLSL ES 3.00 bodies; docs/kernels.md) ------------- */
/* The published wgpy's ElementwiseKernel / ReductionKernel: parameter lists in its syntax
 * (`[raw|rawnd] f32 x`, type parameters, one output, uniforms `f32 scale`), a body in the
 * language lang (WG_LANG_WGSL: the webgpu backend runs it; WG_LANG_GLSL: webgl2).  A syntax error
 * in a list is WG_ERR_VALUE; the body is compiled by the backend.  Any other backend refuses a
 * call with WG_ERR_NOTIMPL naming the kernel and the backend. */
enum { WG_LANG_WGSL = 1, WG_LANG_GLSL = 2 };
typedef struct wg_nkernel wg_nkernel;
WG_API int wg_nkernel_elementwise(wg_context *ctx, int lang, const char *in_params,
                                  const char *out_params, const char *operation, const char *name,
                                  const char *uniforms, const char *preamble, wg_nkernel **out);
WG_API int wg_nkernel_reduction(wg_context *ctx, int lang, const char *in_params,
                                const char *out_params, const char *map_expr,
                                const char *reduce_expr, const char *post_map_expr,
                                const char *identity, const char *name, const char *reduce_type,
                                const char *uniforms, const char *preamble, wg_nkernel **out);
WG_API void wg_nkernel_free(wg_nkernel *k);
WG_API int wg_nkernel_nin(const wg_nkernel *k);
WG_API int wg_nkernel_nuniforms(const wg_nkernel *k);
WG_API const char *wg_nkernel_uniform(const wg_nkernel *k, int i); /* uniform i's name */
/* args: the inputs, optionally followed by the output array; uniforms: one value per uniform,
 * in declaration order (NULL when none).  *out receives the output (a new reference). */
WG_API int wg_nkernel_launch(wg_context *ctx, wg_nkernel *k, int nargs, wg_array *const *args,
                             const double *uniforms, wg_array **out);
/* A ReductionKernel over axes (naxes = -1: every axis). */
WG_API int wg_nkernel_reduce(wg_context *ctx, wg_nkernel *k, int nargs, wg_array *const *args,
                             const double *uniforms, int naxes, const int64_t *axes, int keepdims,
                             wg_array **out);

/* ---- sorting, searching, set operations and quantiles (api/sort.c; docs/sorting.md) ------ */
/* Sort along axis (NumPy's order: NaN last; stable).  vals and/or idx (NULL: not wanted) get the
 * sorted array and the argsort (intp), new C-contiguous arrays of a's shape. */
WG_API int wg_sort(wg_context *ctx, wg_array *a, int64_t axis, wg_array **vals, wg_array **idx);
/* np.lexsort: the last key is the primary one; keys of one shape; intp indices. */
WG_API wg_array *wg_lexsort(wg_context *ctx, int nkeys, wg_array *const *keys, int64_t axis);
/* np.searchsorted for a 1-D a (sorted, or sorted through sorter, which may be NULL; the caller
 * checks sorter's values are in [0, len(a))). */
WG_API wg_array *wg_searchsorted(wg_context *ctx, wg_array *a, wg_array *v, int right,
                                 wg_array *sorter);
/* np.isin(element, test, invert=invert): a bool array of element's shape. */
WG_API wg_array *wg_isin(wg_context *ctx, wg_array *element, wg_array *test, int invert);
/* np.unique of the rows of a 2-D x (n, m) (m = 1: of the elements), in two calls around the one
 * host read a data-dependent size needs.  First call with state[3] = {NULL, NULL, NULL}:
 * *nunique gets the inclusive scan of the groups' start flags (api/scan.h), whose last element,
 * read with wg_read_size, is the number k of unique rows; state gets the sort's results — or, for
 * an empty x, *nunique stays NULL and the outputs are made at once.  Second call, same state and
 * k: values (k, m), the first index, the inverse and the counts (intp), each made when its
 * pointer is non-NULL; the state is released. */
WG_API int wg_unique(wg_context *ctx, wg_array *x, int equal_nan, wg_array **state,
                     wg_array **nunique, int64_t k, wg_array **values, wg_array **index,
                     wg_array **inverse, wg_array **counts);
/* Quantiles q (any shape, in [0, 1]) along one axis: shape q.shape + a.shape without axis, of
 * out_dtype.  method: 0 linear, 1 lower, 2 higher, 3 midpoint, 4 nearest, 5 inverted_cdf,
 * 6 averaged_inverted_cdf, 7 closest_observation, 8 interpolated_inverted_cdf, 9 hazen,
 * 10 weibull, 11 median_unbiased, 12 normal_unbiased.  ignore_nan: nanquantile. */
WG_API wg_array *wg_quantile(wg_context *ctx, wg_array *a, int64_t axis, wg_array *q, int method,
                             int ignore_nan, int out_dtype);
/* take_along_axis(x, ix, -1) for indices already in range (the caller checks them). */
WG_API wg_array *wg_take_last(wg_context *ctx, wg_array *x, wg_array *ix);
/* ---- contractions, statistics and histograms (issue 10; docs/contractions.md) ------------- */
/* np.einsum: subs as NumPy's (ellipsis, repeated labels, implicit output); nsteps < 0: the
 * greedy order, else path[2 * s], path[2 * s + 1] are step s's pair (NumPy's convention: the
 * result goes last).  dtype -1: the operands' result type; casting checks a given dtype. */
WG_API wg_array *wg_einsum(wg_context *ctx, const char *subs, int n, wg_array *const *ops,
                           int nsteps, const int32_t *path, int dtype, int casting,
                           wg_array *out);
/* einsum_path: the greedy pairs into path (2 * (n - 1) int32; may be NULL) and the explicit
 * subscripts into norm (ellipsis axes as '.'); returns the number of steps or < 0. */
WG_API int wg_einsum_path(wg_context *ctx, const char *subs, int n, wg_array *const *ops,
                          int32_t *path, char *norm, int64_t norm_cap);

/* NumPy's _monotonicity of 1-D bins as a 0-d int32 (1 increasing or constant, -1 decreasing,
 * 0 neither), for the shell to read before digitize or a histogram with array bins. */
WG_API wg_array *wg_monotonicity(wg_context *ctx, wg_array *bins);
/* np.digitize (right: 0/1); mono: wg_monotonicity's value (0 raises NumPy's ValueError).  intp. */
WG_API wg_array *wg_digitize(wg_context *ctx, wg_array *x, wg_array *bins, int right, int mono);
/* np.bincount in two calls: wg_bincount_length checks the arguments and gives a 0-d intp, -1
 * when x (1-D ints) has a negative element, else max(max(x) + 1, minlength); the shell reads it
 * with wg_read_size (counter host_syncs_for_size) and passes it as length to wg_bincount (-1 raises NumPy's
 * ValueError).  weights NULL or x's length.  gather: 1 forces the gather form of counting. */
WG_API wg_array *wg_bincount_length(wg_context *ctx, wg_array *x, wg_array *weights,
                                    int64_t minlength);
WG_API wg_array *wg_bincount(wg_context *ctx, wg_array *x, wg_array *weights, int64_t length,
                             int gather);
/* Histogram counts of ndim coordinate arrays (same shape) in the bins of ndim 1-D increasing
 * edge arrays (NumPy's rule: each last bin closed, values outside dropped; the shell checks the
 * edges with wg_monotonicity).  weights NULL or the samples' shape; dtype -1: weights' dtype or
 * intp.  The result has shape (len(edges[d]) - 1, ...). */
WG_API wg_array *wg_histogramdd_counts(wg_context *ctx, int ndim, wg_array *const *samples,
                                       wg_array *const *edges, wg_array *weights, int dtype,
                                       int gather);
/* np.interp without period (the shell reduces period to this); left/right: 0-d or NULL. */
WG_API wg_array *wg_interp(wg_context *ctx, wg_array *x, wg_array *xp, wg_array *fp,
                           wg_array *left, wg_array *right);
/* np.correlate of 1-D a and v; mode 0 valid, 1 same, 2 full. */
WG_API wg_array *wg_correlate(wg_context *ctx, wg_array *a, wg_array *v, int mode);
/* ---- numpy.linalg: decompositions (api/lapack.c; docs/linalg.md) ------------------------ */
/* Stacks of matrices (..., m, n) of any real dtype; float32 computes in float32, others in
 * float64 (float32 under the 64-bit-off policy); float16 is a TypeError.  NumPy's LinAlgError is
 * WG_ERR_VALUE with a message starting "LinAlgError: ".  Results are new references.
 * The engine reads nothing back: *flag (one int32) is for the caller to read — nonzero: solve
 * and inv met a zero pivot ("Singular matrix"), cholesky a pivot <= 0 ("Matrix is not positive
 * definite"); a Jacobi sweep's flag: 0 converged, 1 not yet, 2 NaN. */
/* b: (..., n, k) with a's batch dims (the caller broadcasts and adds k = 1 for a vector). */
WG_API int wg_linalg_solve(wg_context *ctx, wg_array *a, wg_array *b, wg_array **x,
                           wg_array **flag);
WG_API int wg_linalg_inv(wg_context *ctx, wg_array *a, wg_array **x, wg_array **flag);
/* logdet 0: *val = det (sign unused, may be NULL); 1: *sign, *val = slogdet. */
WG_API int wg_linalg_det(wg_context *ctx, wg_array *a, int logdet, wg_array **sign,
                         wg_array **val);
WG_API int wg_linalg_cholesky(wg_context *ctx, wg_array *a, int upper, wg_array **l,
                              wg_array **flag);
/* mode 0 reduced, 1 complete, 2 r (q stays NULL), 3 raw (q = h, r = tau). */
WG_API int wg_linalg_qr(wg_context *ctx, wg_array *a, int mode, wg_array **q, wg_array **r);
/* eigh: init (S: the symmetric matrix from UPLO's triangle, V: identity when compute_v, else
 * NULL), sweeps until the flag reads 0, finish (eigenvalues ascending, vectors as columns). */
WG_API int wg_linalg_eigh_init(wg_context *ctx, wg_array *a, int lower, int compute_v,
                               wg_array **S, wg_array **V);
WG_API int wg_linalg_eigh_sweep(wg_context *ctx, wg_array *S, wg_array *V, wg_array **S2,
                                wg_array **V2, wg_array **flag);
WG_API int wg_linalg_eigh_finish(wg_context *ctx, wg_array *S, wg_array *V, wg_array **w,
                                 wg_array **vs);
/* svd: init (G: the columns of A, or of A^T when wide, over V's rows when compute_uv), sweeps
 * (mt: A's rows in G: max(m, n)), finish (singular values descending; u and vh stay NULL
 * when compute_uv is 0). */
WG_API int wg_linalg_svd_init(wg_context *ctx, wg_array *a, int compute_uv, wg_array **G);
WG_API int wg_linalg_svd_sweep(wg_context *ctx, wg_array *G, int64_t mt, wg_array **G2,
                               wg_array **flag);
WG_API int wg_linalg_svd_finish(wg_context *ctx, wg_array *a, wg_array *G, int full,
                                int compute_uv, wg_array **u, wg_array **s, wg_array **vh);
/* ---- complex matrices' real embedding (api/lapack_complex.c; docs/linalg.md "Complex
 * matrices").  wg_linalg_solve, _inv, _det and _cholesky take complex arrays themselves; these
 * are the pieces python/wgpy/linalg.py composes for the other complex paths.
 * wg_linalg_cemb: (..., m, n) complex (a real a: its complex dtype) -> (..., 2m, 2n) real with
 *   2 x 2 blocks [[re, -im], [im, re]]; mode 0 a itself, 1 (2) the Hermitian matrix of a's lower
 *   (upper) triangle with the diagonal's real part, 3 the rows interleaved ((..., 2m, n)).
 * wg_linalg_cunemb: the inverse, (..., R, W) float -> complex: mode 0 the first column of each
 *   block ((R/2, W/2)), 1 interleaved rows ((R/2, W)), 2 the conjugate transpose of mode 0's
 *   ((W/2, R/2)), 3 the first row of each block conjugated back ((R/2, W/2)); ncols >= 0 keeps
 *   the first ncols columns.
 * wg_linalg_cpair_mean: (..., 2k) -> (..., k), the mean of each pair (emb's eigenvalues and
 *   singular values come twice). */
WG_API int wg_linalg_cemb(wg_context *ctx, wg_array *a, int mode, wg_array **e);
WG_API int wg_linalg_cunemb(wg_context *ctx, wg_array *x, int mode, int64_t ncols, wg_array **z);
WG_API int wg_linalg_cpair_mean(wg_context *ctx, wg_array *x, wg_array **y);
/* eig's complex results from LAPACK dgeev's real ones (wg_linalg_eig_finish's wr, wi, vr):
 * w = wr + i wi; v (vr and v not NULL) pairs the columns of complex-conjugate eigenvalues. */
/* eigh of complex (Hermitian) matrices: wg_linalg_eigh_init takes them (the Jacobi iteration
 * then runs on emb(H)); wg_linalg_ceigh_finish gives the eigenvalues (the pairs' means) and,
 * with V, the eigenvectors read off emb(H)'s and an int32 flag: 1 when they are not unitary (a
 * repeated eigenvalue: emb's real eigenvectors mix its complex directions), for the caller to
 * read and then ask wg_linalg_ceigh_vectors, which picks n orthonormal eigenvectors from all 2n
 * candidates by pivoted Gram-Schmidt, ordered by eigenvalue. */
WG_API int wg_linalg_ceigh_finish(wg_context *ctx, wg_array *S, wg_array *V, wg_array **w,
                                  wg_array **v, wg_array **flag);
WG_API int wg_linalg_ceigh_vectors(wg_context *ctx, wg_array *S, wg_array *V, wg_array **v);
WG_API int wg_linalg_eig_complex(wg_context *ctx, wg_array *wr, wg_array *wi, wg_array *vr,
                                 wg_array **w, wg_array **v);

/* ---- scans and compaction (api/scan.c; docs/scans.md) ---------------------------------- */
/* ufunc.accumulate, cumsum, cumprod, cumulative_sum/prod, nancumsum/nancumprod: op (WG_OP_ADD,
 * MULTIPLY, MAXIMUM, MINIMUM, LOGICAL_AND, LOGICAL_OR) along axis (0-d a is shape (1,)), computed
 * in dtype (-1: NumPy's: add/multiply widen bool and small ints
 * to the default int; logical ops give bool).  include_initial: the identity first (length + 1).
 * nan_as_identity: NaN counts as op's identity.  out (may be NULL) gets the result, cast unsafe. */
WG_API wg_array *wg_accumulate(wg_context *ctx, int op, wg_array *a, int64_t axis, int dtype,
                               int include_initial, int nan_as_identity, wg_array *out);
/* Data-dependent sizes take three calls, because on executor backends a read lands only when the
 * host runs the stream: (1) wg_mask_scan: the inclusive scan of mask.ravel() != 0 in the index
 * dtype (int64; int32 with 64-bit types off); target (may be NULL): check that mask matches its
 * leading dims (IndexError as NumPy's); (2) wg_read_size: read the count (the scan's last element,
 * nbytes = the index dtype's size) -- the one host sync, counted in host_syncs_for_size; (3)
 * wg_compact: the flat C-order indices of the count true elements (a binary search of the scan). */
WG_API wg_array *wg_mask_scan(wg_context *ctx, wg_array *mask, wg_array *target);
WG_API int wg_read_size(wg_context *ctx, wg_array *scan, void *dst, int64_t nbytes);
WG_API wg_array *wg_compact(wg_context *ctx, wg_array *scan, int64_t count);
/* ---- compaction from the segment scan (scanperf; api/scan.c, docs/scans.md) ---------------
 * The fused form of the three calls above, for a[mask], nonzero and the like: (1)
 * wg_mask_segscan: the inclusive scan of the counts of mask.ravel() != 0 per segment of
 * WGP_SCAN_SEG (16) elements, or of a block of tiles where the tile scan runs (wg_set_scan_path,
 * wg_set_scan_block),
 * (ceil(size / segment),) in the index dtype (its last element is the
 * count: read it with wg_read_size; target as wg_mask_scan's); (2) wg_mask_select: with a NULL,
 * the flat C-order indices of the count true elements of mask; with a (a's size = mask's size),
 * a.ravel()[mask.ravel() != 0] -- one pass over the mask, no per-element scan written. */
WG_API wg_array *wg_mask_segscan(wg_context *ctx, wg_array *mask, wg_array *target);
WG_API wg_array *wg_mask_select(wg_context *ctx, wg_array *mask, wg_array *segscan, int64_t count,
                                wg_array *a);
/* a[mask] = values in order (place: cyclically), as wg_mask_fill, given the mask itself and its
 * segment scan (wg_mask_segscan) instead of the per-element scan. */
WG_API int wg_mask_fill_seg(wg_context *ctx, wg_array *a, wg_array *mask, wg_array *segscan,
                            wg_array *values, int mask_ndim);
/* argwhere: (count, ndim) coordinates of flat indices idx in an array of shape. */
WG_API wg_array *wg_unravel_coords(wg_context *ctx, wg_array *idx, int ndim, const int64_t *shape);
/* a[mask] given the mask's flat true indices (mask covering a's first mask_ndim dims):
 * shape (count,) + a.shape[mask_ndim:]. */
WG_API wg_array *wg_mask_take(wg_context *ctx, wg_array *a, wg_array *idx, int mask_ndim);
/* a[mask] = values in order (place: cyclically): the rows of a (its first mask_ndim dims
 * flattened) whose mask is true, given the mask's scan, take the rows of values (C-contiguous
 * rows of a.shape[mask_ndim:] elements; the k-th true row takes row k % nrows). */
WG_API int wg_mask_fill(wg_context *ctx, wg_array *a, wg_array *scan, wg_array *values,
                        int mask_ndim);
/* a[mask] = value where value broadcasts to a.shape[mask.ndim:] (no count needed: elementwise). */
WG_API int wg_mask_assign(wg_context *ctx, wg_array *a, wg_array *mask, wg_array *value);
/* np.putmask: a.flat[k] = values.flat[k % values.size] where mask.flat[k] (mask: a's shape). */
WG_API int wg_putmask(wg_context *ctx, wg_array *a, wg_array *mask, wg_array *values);

/* ---- advanced indexing: integer arrays, take/put, ufunc.at (issue 10; api/index.c) ------- */
/* An index item {WG_IDX_ARRAY, k, 0, 0} names arrays[k], an integer index array; the other items
 * are wg_index's.  An int among arrays counts as a 0-d index array (NumPy's placement rule). */
enum { WG_IDX_ARRAY = 4 };
/* mode: what an out-of-bounds index does (NumPy's take/put `mode`). */
enum { WG_MODE_RAISE = 0, WG_MODE_WRAP = 1, WG_MODE_CLIP = 2 };
/* Mode raise: the indices are checked before the gather or scatter, by the caller (a kernel cannot
 * raise; on the stream backends only the host can read): wg_adv_bounds gives a lazy int array
 * [k, value] (k = -1: all in bounds; else index array k holds `value`, out of bounds), counted in
 * index_checks; read it and pass it to wg_adv_bounds_error: NumPy's IndexError when k >= 0,
 * and when k < 0 the index arrays are recorded as checked for their buffers' current contents,
 * so wg_adv_bounds_known (1: no read needed) lets the next use of an unchanged index array skip
 * the check and its read. */
WG_API int wg_adv_bounds_known(wg_context *ctx, wg_array *a, int nitems, const int64_t *items,
                               int narrays, wg_array *const *arrays);
WG_API wg_array *wg_adv_bounds(wg_context *ctx, wg_array *a, int nitems, const int64_t *items,
                               int narrays, wg_array *const *arrays);
WG_API int wg_adv_bounds_error(wg_context *ctx, wg_array *a, int nitems, const int64_t *items,
                               int narrays, wg_array *const *arrays, int64_t k, int64_t value);
/* a[items]: a new array (a gather); mode raise assumes the check above was made. */
WG_API wg_array *wg_adv_get(wg_context *ctx, wg_array *a, int nitems, const int64_t *items,
                            int narrays, wg_array *const *arrays, int mode);
/* op = -1: a[items] = value (broadcast, cast unsafely; a repeated index: the last value wins, as
 * NumPy, on every backend).  op = a binary wg_op: ufunc.at, unbuffered
 * (every occurrence of a repeated index applies; the value is cast to a's dtype first). */
WG_API int wg_adv_set(wg_context *ctx, wg_array *a, int nitems, const int64_t *items,
                      int narrays, wg_array *const *arrays, wg_array *value, int mode, int op);
/* ---- random numbers (Philox4x32-10 library kernels; core/src/api/random.c, docs/random.md) -- */
/* Fill out (any dtype the distribution gives: float32/float64, integers; "bits": uint32) with
 * draws of distribution dist ("random", "normal", "gamma", "binomial", "integers", ...; the
 * table in random.c).  state[4] = {key low, key high, call counter low, high}: the key is the
 * seed, the counter advances by one per call (on success).  params: the distribution's nparams
 * parameter arrays, broadcastable to out's shape.  Point i of the call uses the Philox counter
 * (i, draw, counter low, counter high), so the words are the same on every backend. */
WG_API int wg_random(wg_context *ctx, const char *dist, uint32_t *state, int nparams,
                     wg_array *const *params, wg_array *out);
/* Which kernel draws the distributions that use every word of a Philox block (docs/random.md,
 * "Coalesced stores"), where parameters are single values: 0 (the default) the workgroup form on
 * webgpu with a GPU adapter, else the block form; 1 the block form; 2 the workgroup form (the
 * cpu backend included: for tests).  The same numbers either way; webgl2 keeps its gathers.
 * Other values leave it.  Returns the old one. */
WG_API int wg_set_random_path(wg_context *ctx, int path);

/* A random permutation of 0..n-1 into out (1-d, any integer dtype, length n). */
WG_API int wg_random_permutation(wg_context *ctx, uint32_t *state, wg_array *out);
/* Draw out's size indices in [0, n): with replacement or not, with probabilities p (1-d float,
 * length n, summing to 1) or uniformly (p NULL).  Without replacement and p: the largest
 * Efraimidis-Spirakis keys log(U)/p.  Gathers of O(n) per output point (docs/random.md). */
WG_API int wg_random_choice(wg_context *ctx, uint32_t *state, int64_t n, wg_array *p,
                            int replace, wg_array *out);
/* x's rows (axis 0) in the order of idx (1-d integer): shuffle, permutation and choice of arrays. */
WG_API wg_array *wg_random_take_rows(wg_context *ctx, wg_array *x, wg_array *idx);
/* out (..., k), integer: counts of n trials over the k categories of pvals (1-d float). */
WG_API int wg_random_multinomial(wg_context *ctx, uint32_t *state, int64_t n, wg_array *pvals,
                                 wg_array *out);
/* out (..., k), float: Dirichlet(alpha) draws (normalized gammas). */
WG_API int wg_random_dirichlet(wg_context *ctx, uint32_t *state, wg_array *alpha, wg_array *out);
/* out (..., d): mean + L z with L cov's Cholesky factor (a gather kernel per column; a
 * semidefinite cov's null directions get zero columns), all of out's dtype. */
WG_API int wg_random_multivariate_normal(wg_context *ctx, uint32_t *state, wg_array *mean,
                                         wg_array *cov, wg_array *out);

/* ---- array flags and bytes: ndarray.setflags, byteswap (breadth2, issue 10; docs/api-coverage.md) ----------- */
/* NumPy's setflags(write=): 0 makes a read-only (its later views are read-only too); 1 makes it
 * writeable again unless it is a broadcast view or a view of a read-only array (ValueError).
 * Rewrites the info block. */
WG_API int wg_set_writeable(wg_context *ctx, wg_array *a, int write);
/* ndarray.byteswap: a new C-contiguous array with the bytes of each element reversed (library
 * kernels, api/bswap.c; integer and bool dtypes; floats: NotImplementedError). */
WG_API wg_array *wg_byteswap(wg_context *ctx, wg_array *a);

/* ---- bitwise folds: ufunc.reduce of bitwise_and/or/xor (api/bitreduce.c) ----------------- */
/* op: WG_OP_BITWISE_AND, _OR or _XOR over an integer or bool array (TypeError for floats, as
 * NumPy's); axes as wg_reduce (naxes -1: all); the result keeps a's dtype; an empty reduction
 * gives the identity (all ones for and, zero for or/xor). */
WG_API wg_array *wg_bitwise_reduce(wg_context *ctx, int op, wg_array *a, int naxes,
                                   const int64_t *axes, int keepdims);

/* ---- linalg.eig / eigvals (api/lapack.c; docs/linalg.md "eig") ------------------------- */
/* Real square stacks: init (Hessenberg reduction H = Q^T A Q, Z = Q when compute_v, else Z
 * stays NULL; ctrl: int32 (B*4) per-matrix (lo, hi, its, size); flag: 1 int32, the largest
 * active block size of the stack: 0 converged, -1 a NaN/infinity, -2 no convergence),
 * sweeps (nsweeps Francis double-shift sweeps of `steps` bulge steps each: steps = flag - 1),
 * finish (wr, wi: the eigenvalues' real and imaginary parts in Schur order; vr: LAPACK's real
 * eigenvectors (a complex pair as columns v_j +- i v_j+1), unit 2-norm, only when Z is given;
 * cflag: 1 int32, 1 when any wi != 0). */
WG_API int wg_linalg_eig_init(wg_context *ctx, wg_array *a, int compute_v, wg_array **H,
                              wg_array **Z, wg_array **ctrl, wg_array **flag);
WG_API int wg_linalg_eig_sweep(wg_context *ctx, wg_array *H, wg_array *Z, wg_array *ctrl,
                               int64_t steps, int nsweeps, wg_array **H2, wg_array **Z2,
                               wg_array **ctrl2, wg_array **flag);
WG_API int wg_linalg_eig_finish(wg_context *ctx, wg_array *H, wg_array *Z, wg_array **wr,
                                wg_array **wi, wg_array **vr, wg_array **cflag);

/* ---- FFT: numpy.fft (library kernels: Stockham radix 4/2/3/5, Bluestein; api/fft.c,
 * docs/fft.md) ------------------------------------------------------------------------------ */
enum { WG_FFT_C2C = 0, WG_FFT_R2C = 1, WG_FFT_C2R = 2 };
enum { WG_FFT_NORM_BACKWARD = 0, WG_FFT_NORM_ORTHO = 1, WG_FFT_NORM_FORWARD = 2 };
enum {
    WG_FFT_INVERSE = 1, WG_FFT_CONJ_IN = 2, WG_FFT_CONJ_OUT = 4, WG_FFT_PAIRS = 8,
    WG_FFT_COMPLEX_OUT = 16
};
/* The 1-d transform of x along axis, with n points (INT64_MIN: the axis' length, or 2 (len - 1)
 * for C2R), NumPy's crop / zero-pad of the input to n (C2R: to n/2 + 1), norm as above (scaled by
 * 1/n or 1/sqrt(n) as NumPy's direction rules), flags: WG_FFT_INVERSE (exp(+2 pi i jk/n)),
 * WG_FFT_CONJ_IN / _CONJ_OUT (conjugate the input / output: hfft, ihfft), WG_FFT_PAIRS (x holds
 * complex values as float pairs: a trailing axis of 2), WG_FFT_COMPLEX_OUT (a complex result
 * is a complex64/complex128 array; without it, float pairs).  A complex x is always taken as
 * complex (its pairs).  C2C: complex in and out; R2C: real
 * in, n/2 + 1 complex out (rfft); C2R: the first n/2 + 1 points of a Hermitian row in, n real
 * out (irfft).  The result is a new C-contiguous array of float32 (float64 with 64-bit types on
 * for float64 and integer input).  Errors: n < 1 ValueError, a bad axis IndexError. */
WG_API wg_array *wg_fft(wg_context *ctx, wg_array *x, int kind, int64_t n, int64_t axis,
                        int norm, int flags);

/* ---- sort tuning (api/sort.c; docs/sorting.md, "Tiles in workgroup memory") ------------ */
/* Which sort the engine runs: 0 (the default) where the backend has workgroup memory (cpu,
 * webgpu): the radix sort for rows of 16384+ elements of 32-bit-or-narrower dtypes (not
 * float16), else the workgroup-memory tiles where the dtype fits, else the gathers; 1 the
 * gathers only (the webgl2 path: for comparisons and benchmarks); 2 the radix sort wherever the
 * backend and dtype allow it (else as 0); 3 never the radix sort.  Other values leave it.
 * Returns the old one (docs/sorting.md, "The radix sort"). */
WG_API int wg_set_sort_path(wg_context *ctx, int path);

/* ---- literals in generated shaders (codegen/expr.c; docs/kernels.md, "Statement-kernel WGSL") -- */
/* 1 (the default): the literals of a kernel's source are constants of its WGSL/GLSL, so the GPU's
 * compiler sees trip counts and factors; 0: they are read from the argument words, as the array
 * operations' scalars are (for A/B benchmarks).  Clears the kernel cache.  Returns the old one. */
WG_API int wg_set_inline_literals(wg_context *ctx, int on);

/* ---- device pointers (api/devptr.c, array/ptrreg.c; docs/cupy.md, "Device pointers") ------
 * CuPy's `ndarray.data.ptr`: a nonzero address in a virtual address space in which each buffer
 * whose address was asked for holds a range, stable while the buffer lives (given back when it is
 * freed).  *ptr: the array's first element; *mem_ptr / *mem_size: its buffer's range (CuPy's
 * MemoryPointer.mem).  Kernels load through such values (`reinterpret_cast<const T*>(p)[k]`). */
WG_API int wg_data_ptr(wg_context *ctx, wg_array *a, uint64_t *ptr, uint64_t *mem_ptr,
                       int64_t *mem_size);
/* A view of dtype (-1: that array's) over the array that ptr points into (byte strides >= 0, a
 * multiple of the itemsize); ValueError when ptr names no live array or the view passes its end,
 * NotImplementedError when that array holds another dtype. */
WG_API wg_array *wg_ptr_view(wg_context *ctx, uint64_t ptr, int dtype, int ndim,
                             const int64_t *shape, const int64_t *byte_strides);
/* A kernel launch (wg_ukernel_launch, wg_ukernel_reduce, wg_rawkernel_launch) whose kernel loads
 * through pointers, on a backend whose reads arrive only after the host runs the stream
 * (webgpu, webgl2, a remote executor), returns WG_PTRS_NEEDED without running: bit j of
 * info[0] says argument j holds pointers.  The caller reads those arrays (C order, as uint64,
 * in argument order), gives the values with wg_set_pointer_values and launches again (the next
 * pointer pool consumes them; n = -1 drops them).  The cpu backend reads them itself. */
enum { WG_PTRS_NEEDED = 1 };
WG_API int wg_set_pointer_values(wg_context *ctx, int64_t n, const uint64_t *vals);
/* cuBLAS's <t>getrfBatched / <t>getriBatched (dtype float32 or float64): a_ptrs / c_ptrs are the
 * `batch` matrix pointers (the caller reads cuBLAS's device array of them: column-major
 * matrices, leading dimension lda / ldc), pivots points to
 * batch * n ints (1-based, LAPACK's row interchanges), info to batch ints (0, or the 1-based
 * index of the first zero pivot); pivots and info may be 0 (getrf without pivoting is not
 * supported).  The engine's LU (api/lapack.c); results written through the pointers. */
WG_API int wg_cublas_getrf_batched(wg_context *ctx, int dtype, int n, const uint64_t *a_ptrs,
                                   int lda, uint64_t pivots, uint64_t info, int batch);
WG_API int wg_cublas_getri_batched(wg_context *ctx, int dtype, int n, const uint64_t *a_ptrs,
                                   int lda, uint64_t pivots, const uint64_t *c_ptrs, int ldc,
                                   uint64_t info, int batch);
/* ---- FFT workgroup passes (api/fft.c; docs/fft.md, "Workgroup passes") ------------------ */
/* Which FFT passes the engine runs: 0 (the default) the workgroup-memory passes on webgpu (and
 * loopback) where the size is a power of two up to 2^22 and the dtype fits, else one launch per
 * radix pass; 1 the per-pass launches only (webgl2's path); 2 the workgroup passes wherever they
 * fit, the cpu backend included (for tests and comparisons).  Other values leave it.  Returns the
 * old one. */
WG_API int wg_set_fft_path(wg_context *ctx, int path);

/* ---- scans' and compactions' kernels (api/scan.c; docs/scans.md "The tile scan") ---------- */
/* Which scan the engine runs: 0 (the default) the workgroup-memory tile scan on webgpu with a
 * GPU adapter (not a CPU implementation: wg_set_adapter_class), else the per-point segment scan;
 * 1 the segment scan everywhere; 2 the tile scan wherever there is workgroup memory (cpu and
 * loopback included: for tests and comparisons; webgl2 keeps its gathers).  Other values leave
 * it.  Returns the old one. */
WG_API int wg_set_scan_path(wg_context *ctx, int path);
/* The tile scan's block, in tiles of 2048 elements (1 to 64; 0: the default, by the row's
 * length): one workgroup reduces a block, and scans it a tile at a time; the compactions'
 * segments are blocks.  Plus 100: the prefetching rescan and select (the next tile's loads
 * before this tile's scan); plus 200: the rescan folds the block totals itself (no launch 2;
 * at most 2048 blocks a row).  Both off by default, not yet measured on a GPU (docs/scans.md).
 * Other values leave it.  Returns the old one.  For benchmarks and tests. */
WG_API int wg_set_scan_block(wg_context *ctx, int tiles);

/* ---- blocked factorizations (api/lapack_blocked.c; docs/linalg.md "Blocked factorizations") */
/* Which LU and Cholesky the engine runs: 0 (the default) the blocked ones wherever kernels have
 * workgroup memory (every backend but webgl2; a GPU's kernels on webgpu over a GPU adapter, the
 * CPU-like devices' elsewhere), 1 the per-column gathers only (webgl2's path), 2 blocked with
 * the GPU's kernels on any backend (1 and 2: for tests and comparisons).  Other values leave it.
 * Returns the old one. */
WG_API int wg_set_linalg_path(wg_context *ctx, int path);

/* ---- counters and memory ----------------------------------------------------------------- */
WG_API void wg_counters(wg_context *ctx, int64_t *out);
WG_API void wg_counters_reset(wg_context *ctx);
WG_API void wg_pool_stats(wg_context *ctx, int64_t *out);
WG_API void wg_pool_set_limit(wg_context *ctx, int64_t bytes); /* 0: no limit */
WG_API void wg_pool_free_all(wg_context *ctx);                 /* drop cached free blocks */

/* ---- the command stream (backend WG_BACKEND_STREAM; see docs/stream.md) ------------------- */
/* The bytes recorded since the last take; the host executes them, then calls wg_stream_done. */
WG_API const uint8_t *wg_stream_data(wg_context *ctx, int64_t *nbytes);
WG_API void wg_stream_consumed(wg_context *ctx);
/* The host's executor reported an error for a chunk (or for one handed over before it): a buffer
 * it was to create may not exist on the device, so no buffer allocated until now is reused by
 * the memory pool (cached ones are released now, the others when freed). */
WG_API void wg_executor_failed(wg_context *ctx);

#ifdef __cplusplus
}
#endif
#endif
