/*
 * ir — the one kernel IR.  Built-in ops, fused chains and (later) user kernels are all wg_kernel_ir.
 *
 * A kernel is a straight-line SSA program evaluated once per point of an iteration space, plus a
 * kind that says how points map to outputs:
 *
 *   ELEMENTWISE  iteration space = the output shape (ndim dims).  Each output j stores the value of
 *                instruction out_inst[j] at every point.
 *   REDUCE       iteration space = kept dims followed by reduced dims (ndim = nkeep + nred).  The
 *                program gives one value per point; rop folds it over the last nred dims; the
 *                `post` program (with ACC = the folded value) gives what is stored at each kept
 *                point.  ARGMIN/ARGMAX fold to the C-order index within the reduced dims (first
 *                occurrence wins; NaN counts as the extreme, as NumPy).  One output.
 *   MATMUL       iteration space = (batch..., M, N); args.k is the contraction length.  Input 0 is
 *                A with strides (batch..., m, k), input 1 is B with strides (batch..., k, n); both
 *                are converted to out dtype, multiplied and summed.  No program.
 *
 * Instructions reference earlier instructions by index.  Every instruction has a dtype: the dtype
 * its result is held in (ints wrap to their width, float16 rounds after every op), exactly as NumPy
 * computes a chain step by step.  Operand dtypes equal what the op expects (the IR builder inserts
 * CASTs): binary arithmetic has both operands and result of one dtype; comparisons and logical ops
 * have operands of one dtype and a BOOL result; isnan/isinf/isfinite give BOOL; WHERE takes a BOOL
 * condition and two operands of the result dtype; LEFT/RIGHT_SHIFT follow NumPy (shift >= width
 * gives 0, or -1 for a negative right-shifted value).
 *
 * Further rules every backend may rely on (the cpu executor rejects violations as WG_ERR_INTERNAL):
 * a REDUCE program's value is its instruction out_inst[0] (its last); ACC's dtype is what the fold
 * produces (acc_dtype; BOOL for ANY/ALL; INT64 for ARGMIN/ARGMAX); post programs hold ACC, PARAM,
 * LOAD and LOAD_AT leaves (no INDEX): LOAD reads an input at the kept point with the reduced
 * indices zero (a ReductionKernel's `out += ...` reads the output through an extra input whose
 * reduced strides are zero), LOAD_AT a raw input by element.  A REDUCE program and its post
 * program may read raw inputs (input_raw set) with LOAD_AT, as statement kernels do; the stream
 * carries input_raw for them (docs/stream.md).  wgI_free frees what wgI_clone made, the struct included.
 *
 * Runtime values (shapes, strides, offsets, scalar parameters) are wg_kernel_args, not part of the
 * kernel: a new shape or scalar reuses the compiled kernel.
 *
 * Statement kernels (stmt = 1; ELEMENTWISE only).  User kernels, gathers and scatters need control
 * flow and access by computed index.  The program stays one list of instructions, with structured
 * control flow as in WebAssembly: IF/ELSE/END and LOOP/CONTINUING/END bracket blocks; BREAK,
 * CONTINUE and RETURN jump; SET, STORE_AT and the block markers are statements (no value; their
 * dtype field is ignored).  A value defined inside a block may be used only later in that block or
 * in blocks nested in it; values that cross blocks go through locals (GET/SET, nvars locals of
 * var_dtype; every local starts at zero).  A straight-line program is the special case with no
 * statements, and today's fused chains are exactly that (stmt = 0).
 *
 * In a statement kernel, output j is not stored from out_inst: it gets the value of local
 * out_var[j] (cast to output_dtype[j]) when the point ends (the end of the program, or RETURN), or,
 * when out_var[j] < 0, it is a *raw* output written only by STORE_AT / ATOMIC_ADD.  Raw operands
 * (input_raw / output_raw set) are C-contiguous runs: their args strides are all zero and element
 * e of the run is at offset + e; LOAD_AT / OUT_LOAD_AT / STORE_AT / ATOMIC_ADD address them by e
 * (an integer of any dtype; the raw operand's shape, when a kernel needs it, is passed in params).
 * An element outside the buffer reads as zero and is not written (never a crash).  Non-raw
 * operands are read with LOAD at the current point, as in straight-line kernels.  LOAD_AT's dtype
 * is the input's dtype; ATOMIC_ADD's the output's.  CONTINUING may appear at most once in a LOOP,
 * directly in it; BREAK/CONTINUE/RETURN may not appear inside the CONTINUING part.
 * ATOMIC_MAX / ATOMIC_MIN (src1 the operand) and ATOMIC_CAS (src1 the comparand, src2 the new
 * value; compares the bits) follow ATOMIC_ADD: raw outputs, the output's dtype, the old value.
 * BARRIER (a statement) is CUDA's __syncthreads(): every point of the workgroup reaches it before
 * any goes on, and their raw-output writes before it are visible to their reads after it.  With
 * arg 1 (the kernel language's __wg_barrier()) it orders workgroup arrays only: for kernels whose
 * invocations never meet at a raw-output element across it (WGSL's storageBarrier() left out:
 * session 11's H100 profile suggests it costs about a memory round trip there, not yet measured).
 * in_range = 1 (a library kernel's `__in_range()`): its author vouches that every element index of
 * its raw operands and workgroup arrays is inside them, so a GPU generator may drop the per-access
 * range checks above (WGSL: a plain `b[i]`, Dawn's robustness clamp the only guard, which keeps a
 * broken promise from faulting but not from reading or writing the wrong element).  The cpu
 * executor keeps its checks.  The FFT's workgroup passes (docs/fft.md, session 14).
 * Arg 2: a warp exchange's barrier (lang/warp.c: SHARED_STORE a, t, v; BARRIER 2; SHARED_LOAD a,
 * e; BARRIER 2, four consecutive instructions), ordering workgroup memory as arg 1; a generator
 * for a device whose subgroups are CUDA's warps may run the four as one subgroup shuffle.  Args
 * 3 and 4: the same, the first and the later exchanges of a ballot (warp.c: the value stored
 * first is the lane's own bit, nonzero iff the predicate holds; the later ones are ORed into
 * it), which such a generator may run as one subgroup ballot (the later exchanges then read 0).
 * Workgroup kernels (wg_block = B > 0; statement kernels only, B <= 1024): the iteration space is
 * a whole number of workgroups of B consecutive points (C-order flat index / B); a GPU backend
 * runs each as one workgroup of B invocations and no more (no point past the space exists, so no
 * bounds check), which BARRIER needs (WGSL: control flow before a barrier must be uniform).  The
 * cpu executor runs whole workgroups in lock step when B divides its block (BARRIER is a no-op).
 * Workgroup arrays (nshared > 0; workgroup kernels only): CUDA's `__shared__` arrays.  Array a
 * holds shared_len[a] elements of shared_dtype[a] per workgroup, zero when the workgroup starts;
 * SHARED_LOAD a, e (dtype shared_dtype[a]; e any int) reads element e of its workgroup's copy and
 * SHARED_STORE a, e, v (a statement; v of shared_dtype[a]) writes it; an element outside
 * 0..shared_len-1 reads as zero and is not written.  They are no operands (no buffer, no
 * argument): WGSL declares `var<workgroup> wgsh<a>: array<T, len>`, the cpu executor keeps one
 * copy per workgroup of its block, webgl2 refuses them.  SHARED_ATOMIC_ADD/MAX/MIN a, e, v and
 * SHARED_ATOMIC_CAS a, e, cmp, v are ATOMIC_ADD/MAX/MIN/CAS on element e of array a (dtype
 * shared_dtype[a]; the old value; outside the array 0 and no update); WGSL declares an array that
 * any of them updates as atomic<i32>/atomic<u32> elements (docs/kernels.md).
 * What each backend runs: cpu everything; webgpu everything (the atomics on int32/uint32/float32
 * outputs); webgl2 no STORE_AT/ATOMIC_ADD/OUT_LOAD_AT/BARRIER (a fragment writes its own point only) —
 * codegen refuses those with NotImplementedError naming the construct.
 *
 * Native kernels (native != 0; ELEMENTWISE, ninst = 0): the published wgpy's ElementwiseKernel /
 * ReductionKernel, whose body is WGSL or GLSL ES 3.00 text that codegen splices into generated
 * scaffolding (codegen/native.c; docs/kernels.md, "The seed's native kernels").  One point per
 * output element.  native_text holds NUL-terminated fields: the kernel name; per input its name and
 * type spelling; the output's name and type; per uniform (native_nuni) its name and type; the body
 * (elementwise: operation; reduction: map, reduce, post-map, identity, reduce type); the preamble.
 * native_kind[i]: input i is read at the point (0), raw (1: name(flat index)) or rawnd (2:
 * name(i0, i1, ...)), native_ndim[i] its array's ndim.  Raw inputs' strides are zero in args (the
 * run starts at the offset).  The params, in this order: per raw input its shape then its strides
 * (rawnd: its strides); a reduction's reduced extents (native_nred), then per point input its
 * strides along them; the sizes (_ind_size, or _in_ind_size and _out_ind_size); the uniforms.
 * Only the backend of the body's language runs it; every other refuses (NotImplementedError).
 */
#ifndef WG_IR_H
#define WG_IR_H

#include "../base/base.h"

#define WG_KMAX_IO 32      /* inputs + outputs of one kernel (webgpu binds at most 16 storage buffers, webgl2 samples 16 textures: codegen refuses more) */
/* the kernels the engine fuses itself (graph/) keep within 16 inputs + outputs, what every GPU
 * backend binds (webgpu's 16 storage buffers, webgl2's 16 textures) */
#define WG_KMAX_FUSED_IO 16
/* scalar parameters and constants of one kernel (the library kernels' random distributions need
 * more than 32 constants); the fusion of array operations keeps to WG_KMAX_FUSED_PARAMS */
#define WG_KMAX_PARAMS 64
#define WG_KMAX_FUSED_PARAMS 32
#define WG_KMAX_VARS 256   /* locals of a statement kernel (inlined preamble functions each bring their own) */
#define WG_KMAX_DEPTH 32   /* nesting of IF/LOOP blocks */
#define WG_KMAX_SHARED 16  /* workgroup arrays of one kernel */

enum { WG_K_ELEMENTWISE = 0, WG_K_REDUCE = 1, WG_K_MATMUL = 2 };

/* Fold operators of REDUCE kernels (MEAN/VAR/STD are built from SUM plus a post program). */
enum { WG_FOLD_SUM, WG_FOLD_PROD, WG_FOLD_MIN, WG_FOLD_MAX, WG_FOLD_ARGMIN, WG_FOLD_ARGMAX,
       WG_FOLD_ANY, WG_FOLD_ALL };

typedef struct wg_inst {
    uint8_t op;     /* wg_op */
    uint8_t dtype;  /* result dtype */
    uint16_t arg;   /* LOAD: input slot; PARAM: param slot; INDEX: dimension */
    uint16_t src[3];
} wg_inst;

typedef struct wg_kernel_ir {
    int kind;
    int ndim;
    int ninputs, noutputs, nparams;
    uint8_t input_dtype[WG_KMAX_IO];
    uint8_t output_dtype[WG_KMAX_IO];
    uint8_t param_dtype[WG_KMAX_PARAMS];
    /* 1: parameter s is a literal of the kernel's source (the CUDA-C front end's constants), whose
     * value param_value[s] is part of the kernel: code generators may write it into the shader as
     * a constant (a loop bound the compiler sees can be unrolled; a runtime word cannot), and it
     * counts in the hash and the cache's equality.  The launch still passes it in the argument
     * words, so an executor that reads parameters (cpu) needs no change. */
    uint8_t param_const[WG_KMAX_PARAMS];
    wg_value param_value[WG_KMAX_PARAMS];
    uint16_t out_inst[WG_KMAX_IO];  /* ELEMENTWISE: instruction stored to output j */
    /* 1: float32 a * b + c may be one fused multiply-add (CUDA's --fmad=true, a user kernel's
     * option; docs/kernels.md "Contraction"): the WGSL generator writes fma() */
    uint8_t contract;
    /* statement kernels (stmt = 1): see above */
    int stmt;
    int nvars;
    uint8_t var_dtype[WG_KMAX_VARS];
    int16_t out_var[WG_KMAX_IO];     /* local stored to output j at the end; -1: raw output */
    uint8_t input_raw[WG_KMAX_IO];   /* 1: input j is raw (read with LOAD_AT only) */
    uint8_t output_raw[WG_KMAX_IO];  /* 1: output j is raw (STORE_AT / ATOMIC_ADD / OUT_LOAD_AT) */
    int wg_block;                    /* workgroup kernels: points per workgroup (0: none) */
    int in_range;                    /* 1: every raw and workgroup-array index is in range (below) */
    int nshared;                     /* workgroup arrays (above): their dtypes and elements */
    uint8_t shared_dtype[WG_KMAX_SHARED];
    uint32_t shared_len[WG_KMAX_SHARED];
    int ninst;
    wg_inst *inst;
    /* REDUCE */
    int fold;          /* WG_FOLD_* */
    int nred;          /* the last nred dims are reduced */
    uint8_t acc_dtype; /* dtype the fold accumulates in (argmin/argmax: the value dtype) */
    int npost;         /* post program: ACC gives the folded value (acc_dtype; int64 for arg*) */
    wg_inst *post;     /* its last instruction is stored */
    /* native kernels (native != 0): see above */
    int native;                      /* 0, or WG_NATIVE_WGSL / WG_NATIVE_GLSL, | WG_NATIVE_REDUCE */
    int native_nred, native_nuni;
    uint8_t native_kind[WG_KMAX_IO];
    uint8_t native_ndim[WG_KMAX_IO];
    uint32_t native_len;             /* bytes of native_text, the last NUL included */
    char *native_text;               /* owned by the IR (wgI_clone copies, wgI_free frees) */
    uint64_t hash;     /* structural hash (wgI_hash) */
} wg_kernel_ir;

enum { WG_NATIVE_WGSL = 1, WG_NATIVE_GLSL = 2, WG_NATIVE_LANG = 3, WG_NATIVE_REDUCE = 4 };
enum { WG_NATIVE_AT_POINT = 0, WG_NATIVE_RAW = 1, WG_NATIVE_RAWND = 2 };
/* field f (0-based) of native_text, or "" when there are fewer fields */
WG_INTERNAL const char *wgI_native_field(const wg_kernel_ir *k, int f);
/* 1 when the native fields of a and b are equal (both not native: 1) */
WG_INTERNAL int wgI_native_equal(const wg_kernel_ir *a, const wg_kernel_ir *b);

struct wg_buffer;

typedef struct wg_operand {
    struct wg_buffer *buf;
    int64_t offset;                   /* elements */
    int64_t strides[WG_MAX_NDIM];     /* elements, over the kernel's iteration dims */
} wg_operand;

typedef struct wg_kernel_args {
    int64_t shape[WG_MAX_NDIM];       /* iteration space */
    int64_t k;                        /* MATMUL contraction length */
    wg_operand in[WG_KMAX_IO];
    wg_operand out[WG_KMAX_IO];       /* REDUCE: strides over the kept dims only */
    wg_value params[WG_KMAX_PARAMS];  /* held as in wg_value: ints in .i/.u, floats in .f */
} wg_kernel_args;

/* Op properties every backend relies on, derived once from wgpy.h's X-macros. */
WG_INTERNAL extern const uint8_t wgI_op_arity[WG_NOPS];
/* Does the op give BOOL whatever its operands (comparisons, logical ops, isnan/isinf/isfinite)? */
WG_INTERNAL int wgI_op_gives_bool(int op);

/* Is op a statement (no value: SET, STORE_AT, the block markers and jumps)? */
WG_INTERNAL int wgI_op_is_stmt(int op);
/* Structural checks of a statement program (block nesting, scoping of values, slot ranges);
 * WG_OK or an error with `status`.  Straight-line programs pass trivially. */
WG_INTERNAL int wgI_check_stmt(wg_context *ctx, const wg_kernel_ir *k, int status);
WG_INTERNAL uint64_t wgI_hash(const wg_kernel_ir *k);
/* Human-readable dump (debugging and tests); returns bytes written (snprintf-style). */
WG_INTERNAL int wgI_dump(const wg_kernel_ir *k, char *buf, size_t n);
WG_INTERNAL void wgI_free(wg_kernel_ir *k);
WG_INTERNAL wg_kernel_ir *wgI_clone(wg_context *ctx, const wg_kernel_ir *k);

#endif
