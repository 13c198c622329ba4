/* Public API: elementwise operations, where, clip, astype, copy, assignment into views. */
#include "api.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAXOPS 3

static const char *dtype_repr(int dt) { return wgD_name(dt); }

/* the stem of NumPy's DType class of dt (numpy.dtypes.<stem>DType) */
static const char *dtype_class(int dt) {
    switch (dt) {
    case WG_BOOL: return "Bool";
    case WG_INT8: return "Int8";
    case WG_INT16: return "Int16";
    case WG_INT32: return "Int32";
    case WG_INT64: return "Int64";
    case WG_UINT8: return "UInt8";
    case WG_UINT16: return "UInt16";
    case WG_UINT32: return "UInt32";
    case WG_UINT64: return "UInt64";
    case WG_FLOAT16: return "Float16";
    case WG_FLOAT32: return "Float32";
    case WG_FLOAT64: return "Float64";
    case WG_COMPLEX64: return "Complex64";
    case WG_COMPLEX128: return "Complex128";
    default: return "?";
    }
}

/* Python scalars keep their kind but never choose a size: the loop dtype they are cast to must
 * hold them (NumPy 2 raises OverflowError otherwise). */
static int check_weak_fits(wg_context *ctx, wg_array *a, int to) {
    if (a->weak == WG_WEAK_INT && wgD_is_int(to) &&
        !wgD_value_fits(to, a->weak, a->value, a->value_unsigned)) {
        if (a->value_unsigned)
            return wgB_error(ctx, WG_ERR_OVERFLOW, "Python integer %llu out of bounds for %s",
                             (unsigned long long)a->value.u, dtype_repr(to));
        return wgB_error(ctx, WG_ERR_OVERFLOW, "Python integer %lld out of bounds for %s",
                         (long long)a->value.i, dtype_repr(to));
    }
    return WG_OK;
}

static int broadcast(wg_context *ctx, int n, wg_array **ins, wg_array *out, int *ndim,
                     int64_t *shape) {
    const wg_layout *ls[MAXOPS + 1];
    for (int i = 0; i < n; i++) ls[i] = &ins[i]->lay;
    int st = wgL_broadcast_shapes(ctx, n, ls, ndim, shape);
    if (st != WG_OK || !out) return st;
    int ondim;
    int64_t oshape[WG_MAX_NDIM];
    ls[n] = &out->lay;
    wg_clear_error(ctx);
    char a[128], b[128];
    if (wgL_broadcast_shapes(ctx, n + 1, ls, &ondim, oshape) != WG_OK || ondim != out->lay.ndim ||
        memcmp(oshape, out->lay.shape, sizeof(int64_t) * ondim)) {
        /* the inputs' broadcast shape: when the output does not broadcast with them either,
         * ondim/oshape were never written */
        ondim = *ndim;
        memcpy(oshape, shape, sizeof(int64_t) * (size_t)ondim);
        wg_clear_error(ctx);
        return wgB_error(ctx, WG_ERR_VALUE,
                         "non-broadcastable output operand with shape %s doesn't match the "
                         "broadcast shape %s",
                         wgP_shape_str(a, sizeof a, out->lay.ndim, out->lay.shape),
                         wgP_shape_str(b, sizeof b, ondim, oshape));
    }
    *ndim = ondim;
    memcpy(shape, oshape, sizeof(int64_t) * ondim);
    return WG_OK;
}

/* op(ins cast to loop dtypes) with each input loaded in the given inline mode */
static wg_node *make(wg_context *ctx, int op, int n, wg_array **ins, const int32_t *loop_in,
                     int out_dt, int ndim, const int64_t *shape, const int *mode) {
    wg_node *src[MAXOPS] = {NULL, NULL, NULL};
    for (int i = 0; i < n; i++) src[i] = wgG_cast(ctx, wgG_load(ctx, ins[i], mode[i]), loop_in[i]);
    if (op == WG_OP_CAST) return src[0];
    return wgG_op(ctx, op, out_dt, ndim, shape, src[0], src[1], src[2]);
}

/* Build op(ins cast to loop dtypes), fusing pending inputs.  An op written back over one of its
 * inputs (a += b) may also take that input's pending in-place write (composition), unless the
 * result would read the buffer both before and after that write.  When the fused DAG would be
 * too big for one kernel, the graph is cut: pending inputs run, and are read from memory. */
static wg_node *build(wg_context *ctx, int op, int n, wg_array **ins, const int32_t *loop_in,
                      int out_dt, int ndim, const int64_t *shape, wg_array *out) {
    int mode[MAXOPS] = {1, 1, 1}, self = 0;
    if (out && out->buf && out->buf->pending)
        for (int i = 0; i < n; i++)
            if (ins[i]->buf == out->buf && wgL_same(&ins[i]->lay, &out->lay)) {
                mode[i] = WG_INLINE_SELF;
                self = 1;
            }
    /* other pending readers of the target would run its write: settle them first */
    if (self && wgG_flush_readers(ctx, out->buf) != WG_OK) return NULL;
    wg_node *node = make(ctx, op, n, ins, loop_in, out_dt, ndim, shape, mode);
    if (node && self && wgG_mixed_versions(ctx, node, out->buf)) {
        wgG_node_release(ctx, node);
        for (int i = 0; i < n; i++) mode[i] = 1;
        node = make(ctx, op, n, ins, loop_in, out_dt, ndim, shape, mode);
    }
    if (!node || wgG_fits_one_kernel(ctx, node)) return node;
    wgG_node_release(ctx, node);
    wg_buffer *bufs[MAXOPS] = {NULL, NULL, NULL};
    for (int i = 0; i < n; i++) bufs[i] = ins[i]->buf;
    if (wgG_cut(ctx, ndim, shape, bufs, n) != WG_OK) return NULL;
    if (ctx->trace) {
        /* a trace's cut left each input a one-load write to fuse (write.c trace_cut) */
        for (int i = 0; i < n; i++) mode[i] = 1;
        node = make(ctx, op, n, ins, loop_in, out_dt, ndim, shape, mode);
        if (!node || wgG_fits_one_kernel(ctx, node)) return node;
        wgG_node_release(ctx, node);
    }
    for (int i = 0; i < n; i++) mode[i] = 0;
    return make(ctx, op, n, ins, loop_in, out_dt, ndim, shape, mode);
}

/* Store node into out (NumPy's out=, same_kind casting) or into a new array of dtype out_dt. */
static wg_array *store(wg_context *ctx, const char *name, wg_node *node, int out_dt, int ndim,
                       const int64_t *shape, wg_array *out) {
    if (!node) return NULL;
    if (!out) return wgP_out(ctx, wgP_materialize(ctx, out_dt, ndim, shape, node));
    if (!out->writeable || !out->buf) {
        wgG_node_release(ctx, node);
        wgB_error(ctx, WG_ERR_VALUE, "output array is read-only");
        return NULL;
    }
    if (!wgD_can_cast(out_dt, out->dtype, WG_CAST_SAME_KIND)) {
        wgG_node_release(ctx, node);
        wgB_error(ctx, WG_ERR_TYPE,
                  "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting "
                  "rule 'same_kind'",
                  name, dtype_repr(out_dt), dtype_repr(out->dtype));
        return NULL;
    }
    if (wgG_record_write(ctx, out->buf, &out->lay, wgG_cast(ctx, node, out->dtype)) != WG_OK)
        return NULL;
    wg_retain(out);
    return wgP_out(ctx, out);
}

static int is_compare(int op) { return op >= WG_OP_EQUAL && op <= WG_OP_GREATER_EQUAL; }

/* a OP b as b OP' a */
static int mirror_compare(int op) {
    return op == WG_OP_LESS            ? WG_OP_GREATER
           : op == WG_OP_GREATER       ? WG_OP_LESS
           : op == WG_OP_LESS_EQUAL    ? WG_OP_GREATER_EQUAL
           : op == WG_OP_GREATER_EQUAL ? WG_OP_LESS_EQUAL
                                       : op;
}

static int resolve(wg_context *ctx, int op, int n, wg_array **ins, int dtype, int32_t *loop_in,
                   int32_t *out_dt) {
    int32_t dts[MAXOPS], weak[MAXOPS];
    for (int i = 0; i < n; i++) {
        dts[i] = ins[i]->dtype;
        weak[i] = ins[i]->weak;
    }
    if (dtype >= 0) {
        /* dtype=: the loop runs in that dtype.  NumPy's order: a loop for it must exist, then
         * the Python scalars must fit it, then the inputs must cast to it with same_kind */
        int32_t dd[MAXOPS], wn[MAXOPS], li[MAXOPS], od;
        for (int i = 0; i < n; i++) {
            dd[i] = dtype;
            wn[i] = WG_WEAK_NONE;
        }
        if (wgD_resolve_ufunc(op, n, dd, wn, li, &od) != 0 || od != dtype) {
            if (dtype == WG_BOOL && (op == WG_OP_SUBTRACT || op == WG_OP_NEGATIVE)) {
                for (int i = 0; i < n; i++) dts[i] = WG_BOOL;
                goto no_loop; /* NumPy's own words for these */
            }
            return wgB_error(ctx, WG_ERR_TYPE,
                             "No loop matching the specified signature and casting was found for "
                             "ufunc %s", wg_op_name(op));
        }
        for (int i = 0; i < n; i++)
            if (check_weak_fits(ctx, ins[i], wgD_canonical(dtype, ctx->x64)) != WG_OK)
                return ctx->status;
        for (int i = 0; i < n; i++) {
            /* a Python scalar goes by its kind: a float into an integer or bool loop, an int
             * into a bool loop, are errors, as in NumPy */
            int from = ins[i]->weak ? wgD_weak_default(ins[i]->weak) : ins[i]->dtype;
            int bad = ins[i]->weak == WG_WEAK_INT     ? dtype == WG_BOOL
                      : ins[i]->weak == WG_WEAK_FLOAT ? !wgD_is_float(dtype) && !wgD_is_complex(dtype)
                      : ins[i]->weak == WG_WEAK_COMPLEX ? !wgD_is_complex(dtype)
                      : ins[i]->weak                  ? 0
                                    : !wgD_can_cast(from, dtype, WG_CAST_SAME_KIND);
            if (bad)
                return wgB_error(ctx, WG_ERR_TYPE,
                                 "Cannot cast ufunc '%s' input %d from dtype('%s') to dtype('%s') "
                                 "with casting rule 'same_kind'",
                                 wg_op_name(op), i, dtype_repr(from), dtype_repr(dtype));
            dts[i] = dtype;
            weak[i] = WG_WEAK_NONE;
        }
    }
    if (wgD_resolve_ufunc(op, n, dts, weak, loop_in, out_dt) != 0) {
    no_loop:;
        /* NumPy's own words where its message is not the generic one: boolean negative and
         * subtract, and the ufuncs whose resolver is the new-style one (positive, sign), whose
         * error is its _UFuncNoLoopError (the shell raises that class from these words) */
        int all_bool = 1;
        for (int i = 0; i < n; i++) all_bool &= dts[i] == WG_BOOL;
        if (all_bool && op == WG_OP_NEGATIVE)
            return wgB_error(ctx, WG_ERR_TYPE,
                             "The numpy boolean negative, the `-` operator, is not supported, use "
                             "the `~` operator or the logical_not function instead.");
        if (all_bool && op == WG_OP_SUBTRACT)
            return wgB_error(ctx, WG_ERR_TYPE,
                             "numpy boolean subtract, the `-` operator, is not supported, use the "
                             "bitwise_xor, the `^` operator, or the logical_xor function instead.");
        if (n == 1 && (op == WG_OP_POSITIVE || op == WG_OP_SIGN))
            return wgB_error(ctx, WG_ERR_TYPE,
                             "ufunc '%s' did not contain a loop with signature matching types "
                             "<class 'numpy.dtypes.%sDType'> -> None",
                             wg_op_name(op), dtype_class(dts[0]));
        char types[96] = "";
        size_t k = 0;
        for (int i = 0; i < n; i++)
            k += (size_t)snprintf(types + k, sizeof types - k, "%s%s", i ? ", " : "",
                                  ins[i]->weak == WG_WEAK_INT     ? "int"
                                  : ins[i]->weak == WG_WEAK_FLOAT ? "float"
                                  : ins[i]->weak == WG_WEAK_BOOL  ? "bool"
                                  : ins[i]->weak == WG_WEAK_COMPLEX ? "complex"
                                                                  : dtype_repr(ins[i]->dtype));
        return wgB_error(ctx, WG_ERR_TYPE,
                         "ufunc '%s' not supported for the input types (%s), and the inputs could "
                         "not be safely coerced to any supported types according to the casting "
                         "rule ''safe''",
                         wg_op_name(op), types);
    }
    if (dtype >= 0 && *out_dt != dtype)
        return wgB_error(ctx, WG_ERR_TYPE,
                         "No loop matching the specified signature and casting was found for "
                         "ufunc %s", wg_op_name(op));
    int compare = is_compare(op);
    for (int i = 0; i < n; i++) {
        loop_in[i] = wgD_canonical(loop_in[i], ctx->x64);
        if (compare && ins[i]->weak == WG_WEAK_INT &&
            !wgD_value_fits(loop_in[i], ins[i]->weak, ins[i]->value, ins[i]->value_unsigned)) {
            /* NumPy 2 compares an out-of-range Python int exactly (uint8 == -1 is False) rather
             * than raising: compare in a dtype that holds both sides */
            int wide = ins[i]->value_unsigned ? WG_UINT64 : WG_INT64;
            for (int j = 0; j < n; j++)
                if (!wgD_is_float(loop_in[j])) loop_in[j] = wide;
            continue;
        }
        if (check_weak_fits(ctx, ins[i], loop_in[i]) != WG_OK) return ctx->status;
    }
    *out_dt = wgD_canonical(*out_dt, ctx->x64);
    return WG_OK;
}

/* A signed integer against an unsigned one with no common integer type that holds both (int64 vs
 * uint64; int32 vs uint32 when 64-bit types are off): compare exactly without one,
 *   s < u  ==  (s < 0) | (unsigned(s) < u),   s > u  ==  !(s < 0) & (unsigned(s) > u), ...
 * Returns NULL without error when the case does not apply. */
static wg_node *mixed_sign_compare(wg_context *ctx, int op, wg_array **ins, const int32_t *loop_in,
                                   int ndim, const int64_t *shape) {
    int d0 = ins[0]->dtype, d1 = ins[1]->dtype;
    if (ins[0]->weak || ins[1]->weak || !wgD_is_int(d0) || !wgD_is_int(d1) ||
        wgD_is_signed(d0) == wgD_is_signed(d1))
        return NULL;
    if (loop_in[0] == loop_in[1] && wgD_can_cast(d0, loop_in[0], WG_CAST_SAFE) &&
        wgD_can_cast(d1, loop_in[1], WG_CAST_SAFE))
        return NULL; /* one loop dtype holds both exactly */
    int si = wgD_is_signed(d0) ? 0 : 1;
    if (si == 1) op = mirror_compare(op); /* put the signed operand on the left */
    int sd = wgD_canonical(WG_INT64, ctx->x64), ud = wgD_canonical(WG_UINT64, ctx->x64);
    wg_node *sv = wgG_cast(ctx, wgG_load(ctx, ins[si], 1), sd);
    wg_node *uv = wgG_cast(ctx, wgG_load(ctx, ins[1 - si], 1), ud);
    if (!sv || !uv) {
        wgG_node_release(ctx, sv);
        wgG_node_release(ctx, uv);
        return NULL;
    }
    wg_value zero = {0};
    wgG_node_retain(sv);
    wg_node *neg = wgG_op(ctx, WG_OP_LESS, WG_BOOL, ndim, shape, sv, wgG_param(ctx, sd, zero), NULL);
    wg_node *cmp = wgG_op(ctx, op, WG_BOOL, ndim, shape, wgG_cast(ctx, sv, ud), uv, NULL);
    if (op == WG_OP_LESS || op == WG_OP_LESS_EQUAL || op == WG_OP_NOT_EQUAL)
        return wgG_op(ctx, WG_OP_LOGICAL_OR, WG_BOOL, ndim, shape, neg, cmp, NULL);
    wg_node *nonneg = wgG_op(ctx, WG_OP_LOGICAL_NOT, WG_BOOL, ndim, shape, neg, NULL, NULL);
    return wgG_op(ctx, WG_OP_LOGICAL_AND, WG_BOOL, ndim, shape, nonneg, cmp, NULL);
}

/* An integer (or bool) array against a Python int outside its dtype's range: NumPy 2 compares
 * exactly (int32 > 2**31 is False, uint8 != -1 True).  The answer is then the same as against the
 * range's nearest end with the comparison adjusted — v above the range: a < v, a <= v, a != v
 * hold for every a, which `a <= hi` says; the others never do, which `a > hi` says (below the
 * range: `a >= lo`, `a < lo`) — so the kernel runs in the array's own dtype on every backend
 * (webgpu and webgl2 have no 64-bit integers to widen to, and widening gave them wrong answers).
 * Returns 1 with *op2 and c[] set (c[1] a new scalar to release), 0 when it does not apply. */
static int clamp_weak_compare(wg_context *ctx, int op, wg_array **ins, int *op2, wg_array **c) {
    int w = ins[0]->weak == WG_WEAK_INT ? 0 : ins[1]->weak == WG_WEAK_INT ? 1 : -1;
    if (w < 0 || ins[1 - w]->weak != WG_WEAK_NONE) return 0;
    int dt = ins[1 - w]->dtype;
    if (!wgD_is_int(dt) && dt != WG_BOOL) return 0;
    wg_value v = ins[w]->value;
    int big = ins[w]->value_unsigned && v.u > (uint64_t)INT64_MAX; /* above every int64 */
    /* bool against a Python int: NumPy's loop is int64's, which such an int overflows */
    if (dt == WG_BOOL && big) return check_weak_fits(ctx, ins[w], WG_INT64) != WG_OK ? -1 : 0;
    int64_t lo = 0, hi = INT64_MAX;
    int above, below;
    if (dt == WG_UINT64) {
        above = 0;
        below = !ins[w]->value_unsigned && v.i < 0;
    } else if (dt == WG_INT64) {
        above = big;
        below = 0;
    } else {
        wgD_int_range(dt, &lo, &hi);
        above = big || v.i > hi;
        below = !big && v.i < lo;
    }
    if (!above && !below) return 0;
    if (w == 0) op = mirror_compare(op); /* v OP a: the array on the left */
    int holds = op == WG_OP_NOT_EQUAL ||
                (above ? op == WG_OP_LESS || op == WG_OP_LESS_EQUAL
                       : op == WG_OP_GREATER || op == WG_OP_GREATER_EQUAL);
    *op2 = above ? (holds ? WG_OP_LESS_EQUAL : WG_OP_GREATER) : (holds ? WG_OP_GREATER_EQUAL : WG_OP_LESS);
    c[0] = ins[1 - w];
    c[1] = wg_scalar(ctx, WG_INT64, WG_WEAK_INT, above ? hi : lo, 0, 0.0);
    return c[1] ? 1 : -1;
}

static wg_array *ufunc(wg_context *ctx, int op, int n, wg_array **ins, wg_array *out, int dtype) {
    wgP_drain(ctx);
    for (int i = 0; i < n; i++)
        if (!ins[i]) return wgP_null_array(ctx, "an operand");
    if (op < 0 || op >= WG_OP_CAST || wg_op_arity(op) != n) {
        wgB_error(ctx, WG_ERR_VALUE, "wgpy: invalid op %d", op);
        return NULL;
    }
    if (dtype >= 0 && wgP_check_dtype(ctx, dtype)) return NULL;
    if (is_compare(op) && n == 2) {
        int op2;
        wg_array *c[2];
        int k = clamp_weak_compare(ctx, op, ins, &op2, c);
        if (k < 0) return NULL;
        if (k) {
            wg_array *r = ufunc(ctx, op2, 2, c, out, dtype);
            wg_release(c[1]);
            return r;
        }
    }
    /* NumPy's order of errors: a read-only out, then the loop (no loop, a Python int out of
     * bounds), then out's casting, then the shapes, then the values (negative powers) */
    if (out && (!out->writeable || !out->buf)) {
        wgB_error(ctx, WG_ERR_VALUE, "output array is read-only");
        return NULL;
    }
    int32_t loop_in[MAXOPS], out_dt;
    if (resolve(ctx, op, n, ins, dtype, loop_in, &out_dt) != WG_OK) return NULL;
    if (out && !wgD_can_cast(out_dt, out->dtype, WG_CAST_SAME_KIND)) {
        wgB_error(ctx, WG_ERR_TYPE,
                  "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting "
                  "rule 'same_kind'",
                  wg_op_name(op), dtype_repr(out_dt), dtype_repr(out->dtype));
        return NULL;
    }
    int ndim;
    int64_t shape[WG_MAX_NDIM];
    if (broadcast(ctx, n, ins, out, &ndim, shape) != WG_OK) return NULL;
    int64_t count = 1;
    for (int d = 0; d < ndim; d++) count *= shape[d];
    /* NumPy's loop raises at the first negative exponent it meets: none for no elements */
    if (op == WG_OP_POWER && wgD_is_int(loop_in[1]) && ins[1]->weak == WG_WEAK_INT &&
        !ins[1]->value_unsigned && ins[1]->value.i < 0 && count > 0) {
        wgB_error(ctx, WG_ERR_VALUE, "Integers to negative integer powers are not allowed.");
        return NULL;
    }
    if (wgD_is_complex(loop_in[0]) || (n == 2 && wgD_is_complex(loop_in[1])) ||
        wgD_is_complex(out_dt))
        return wgP_cufunc(ctx, op, n, ins, loop_in[0], out_dt, ndim, shape, out);
    for (int i = 0; i < n; i++)
        if (wgD_is_complex(ins[i]->dtype)) {
            /* a complex operand of a real loop (logical_and's bool loop): cast it first */
            wg_array *c[MAXOPS] = {ins[0], n > 1 ? ins[1] : NULL, NULL};
            c[i] = wg_astype(ctx, ins[i], loop_in[i], WG_CAST_UNSAFE, 1);
            if (!c[i]) return NULL;
            wg_array *r = ufunc(ctx, op, n, c, out, dtype);
            wg_release(c[i]);
            return r;
        }
    if (out && wgD_is_complex(out->dtype)) {
        /* a real result into a complex out: compute, then assign (imaginary part 0) */
        return wgP_into_out(ctx, ufunc(ctx, op, n, ins, NULL, dtype), out);
    }
    wg_node *node = NULL;
    if (is_compare(op) && n == 2) node = mixed_sign_compare(ctx, op, ins, loop_in, ndim, shape);
    if (!node && wgB_failed(ctx)) return NULL;
    if (!node) node = build(ctx, op, n, ins, loop_in, out_dt, ndim, shape, out);
    return store(ctx, wg_op_name(op), node, out_dt, ndim, shape, out);
}

wg_array *wg_unary(wg_context *ctx, int op, wg_array *a, wg_array *out, int dtype) {
    return ufunc(ctx, op, 1, &a, out, dtype);
}

wg_array *wg_binary(wg_context *ctx, int op, wg_array *a, wg_array *b, wg_array *out,
                    int dtype) {
    wg_array *ins[2] = {a, b};
    return ufunc(ctx, op, 2, ins, out, dtype);
}

/* The short forms take the context from an operand; with a NULL one (a released array's
 * handle) the other's holds the error, and with none there is no context: NULL, no error. */
#define CTX2(a, b) ((a) ? (a)->ctx : (b) ? (b)->ctx : NULL)

wg_array *wg_unop(int op, wg_array *a) { return a ? wg_unary(a->ctx, op, a, NULL, -1) : NULL; }

wg_array *wg_binop(int op, wg_array *a, wg_array *b) {
    wg_context *c = CTX2(a, b);
    return c ? wg_binary(c, op, a, b, NULL, -1) : NULL;
}

wg_array *wg_binop_into(int op, wg_array *a, wg_array *b, wg_array *out) {
    wg_context *c = CTX2(a, b);
    return c ? wg_binary(c, op, a, b, out, -1) : NULL;
}

#define DEFINE_BINOP_FORM(E, name, arity)                                                       \
    wg_array *wg_binop_##name(wg_array *a, wg_array *b) {                                        \
        wg_context *c = CTX2(a, b);                                                              \
        return c ? wg_binary(c, WG_OP_##E, a, b, NULL, -1) : NULL;                               \
    }
WG_BINARY_OPS(DEFINE_BINOP_FORM)
#undef DEFINE_BINOP_FORM

wg_array *wg_where(wg_context *ctx, wg_array *cond, wg_array *a, wg_array *b, wg_array *out) {
    if (wgD_is_complex(cond->dtype)) { /* a complex condition: nonzero, as NumPy's bool cast */
        wg_array *c = wg_astype(ctx, cond, WG_BOOL, WG_CAST_UNSAFE, 1);
        wg_array *r = c ? wg_where(ctx, c, a, b, out) : NULL;
        wg_release(c);
        return r;
    }
    int32_t dts[2] = {a->dtype, b->dtype}, weak[2] = {a->weak, b->weak};
    int dt = wgD_result_type(2, dts, weak);
    if (dt < 0) {
        wgB_error(ctx, WG_ERR_TYPE, "The DType could not be promoted");
        return NULL;
    }
    dt = wgD_canonical(dt, ctx->x64);
    /* NumPy's where converts an out-of-range Python int with wrap-around, not OverflowError */
    wg_array *ins[3] = {cond, a, b};
    int32_t loop_in[3] = {WG_BOOL, dt, dt};
    int ndim;
    int64_t shape[WG_MAX_NDIM];
    if (broadcast(ctx, 3, ins, out, &ndim, shape) != WG_OK) return NULL;
    if (wgD_is_complex(dt) || (out && wgD_is_complex(out->dtype))) {
        if (!wgD_is_complex(dt)) dt = out->dtype;
        return wgP_cwhere(ctx, cond, a, b, dt, ndim, shape, out);
    }
    wg_node *node = build(ctx, WG_OP_WHERE, 3, ins, loop_in, dt, ndim, shape, out);
    return store(ctx, "where", node, dt, ndim, shape, out);
}

wg_array *wg_clip(wg_context *ctx, wg_array *a, wg_array *lo, wg_array *hi, wg_array *out) {
    /* NumPy 2.4: without bounds, clip is positive(a, out=out) (bool has no loop for it) */
    if (!lo && !hi) return wg_unary(ctx, WG_OP_POSITIVE, a, out, -1);
    /* NumPy 2: a Python-int bound beyond the array's range on the side it cannot bind (a lower
     * bound below the minimum, an upper bound above the maximum) is no bound at all */
    if (lo && lo->weak == WG_WEAK_INT && wgD_is_int(a->dtype) &&
        !wgD_value_fits(a->dtype, WG_WEAK_INT, lo->value, lo->value_unsigned) &&
        !lo->value_unsigned && lo->value.i < 0)
        lo = NULL;
    if (hi && hi->weak == WG_WEAK_INT && wgD_is_int(a->dtype) &&
        !wgD_value_fits(a->dtype, WG_WEAK_INT, hi->value, hi->value_unsigned) &&
        (hi->value_unsigned || hi->value.i > 0))
        hi = NULL;
    if (!lo && !hi) {
        /* both bounds vanished: the values themselves, in the array's own dtype (NumPy 2.4:
         * positive(a, out=out), so same_kind casting into out) */
        if (!out || wgD_can_cast(a->dtype, out->dtype, WG_CAST_SAME_KIND)) {
            if (!out) return wg_astype(ctx, a, a->dtype, WG_CAST_UNSAFE, 1);
            if (wg_assign(ctx, out, a) != WG_OK) return NULL;
            wg_retain(out);
            return wgP_out(ctx, out);
        }
        wgB_error(ctx, WG_ERR_TYPE,
                  "Cannot cast ufunc 'positive' output from dtype('%s') to dtype('%s') with "
                  "casting rule 'same_kind'", dtype_repr(a->dtype), dtype_repr(out->dtype));
        return NULL;
    }
    if (!lo || !hi) {
        wg_array *bound = lo ? lo : hi;
        return wg_binary(ctx, lo ? WG_OP_MAXIMUM : WG_OP_MINIMUM, a, bound, out, -1);
    }
    /* minimum(maximum(a, lo), hi) in the dtype all three promote to; NaN propagates as NumPy */
    wg_array *t = wg_binary(ctx, WG_OP_MAXIMUM, a, lo, NULL, -1);
    if (!t) return NULL;
    int32_t dts[3] = {a->dtype, lo->dtype, hi->dtype}, weak[3] = {a->weak, lo->weak, hi->weak};
    int dt = wgD_result_type(3, dts, weak);
    wg_array *r = NULL;
    if (dt >= 0) {
        dt = wgD_canonical(dt, ctx->x64);
        r = wg_binary(ctx, WG_OP_MINIMUM, t, hi, out, out ? -1 : dt);
    } else {
        wgB_error(ctx, WG_ERR_TYPE, "The DType could not be promoted");
    }
    wg_release(t);
    return r;
}

static wg_array *copy_as(wg_context *ctx, wg_array *a, int dtype, int order) {
    if (wgP_ensure_buffer(ctx, a) != WG_OK) return NULL;
    if (order == 'K' || order == 'A')
        order = (wgL_is_f_contiguous(&a->lay) && !wgL_is_c_contiguous(&a->lay)) ? 'F' : 'C';
    wg_layout lay;
    wgL_contiguous(&lay, a->lay.ndim, a->lay.shape, order);
    wg_buffer *b = wgA_buffer_new(ctx, dtype, wgL_size(&lay));
    if (!b) return NULL;
    wg_array *r = wgA_new(ctx, dtype, &lay, b, NULL);
    wgA_buffer_release(ctx, b);
    if (!r) return NULL;
    if (wgD_is_complex(dtype) || wgD_is_complex(a->dtype)) {
        /* complex: the parts' views are assigned (api/complex.c) */
        if (wgP_cassign(ctx, r, a) != WG_OK) {
            wg_release(r);
            return NULL;
        }
        return wgP_out(ctx, r);
    }
    wg_array *ins[1] = {a};
    int32_t loop_in[1] = {a->dtype};
    wg_node *n = build(ctx, WG_OP_CAST, 1, ins, loop_in, a->dtype, a->lay.ndim, a->lay.shape, NULL);
    if (!n || wgG_record_write(ctx, b, &lay, wgG_cast(ctx, n, dtype)) != WG_OK) {
        wg_release(r);
        return NULL;
    }
    return wgP_out(ctx, r);
}

wg_array *wg_astype(wg_context *ctx, wg_array *a, int dtype, int casting, int copy) {
    wgP_drain(ctx);
    if (wgP_check_dtype(ctx, dtype)) return NULL;
    /* the casting rule judges the dtype asked for, or the one the 64-bit policy gives for it
     * (uint32 to float64 is safe, though float64 becomes float32 with 64-bit types off; a
     * float32 array may be one asked for as float64, so float64 is 'no' cast for it) */
    int asked = dtype;
    dtype = wgD_canonical(dtype, ctx->x64);
    if (!wgD_can_cast(a->dtype, asked, casting) && !wgD_can_cast(a->dtype, dtype, casting)) {
        static const char *rules[] = {"no", "equiv", "safe", "same_kind", "unsafe"};
        wgB_error(ctx, WG_ERR_TYPE,
                  "Cannot cast array data from dtype('%s') to dtype('%s') according to the rule "
                  "'%s'",
                  dtype_repr(a->dtype), dtype_repr(asked),
                  casting >= 0 && casting <= 4 ? rules[casting] : "?");
        return NULL;
    }
    if (!copy && dtype == a->dtype && a->buf) {
        wg_retain(a);
        return wgP_out(ctx, a);
    }
    return copy_as(ctx, a, dtype, 'K');
}

wg_array *wg_copy(wg_context *ctx, wg_array *a, int order) {
    return copy_as(ctx, a, a->dtype, order);
}

wg_array *wgP_assign_src(wg_context *ctx, wg_array *src, const wg_array *dst) {
    wg_array *s = src;
    wg_retain(s);
    /* NumPy lets the source carry extra leading length-1 axes */
    while (s->lay.ndim > dst->lay.ndim && s->lay.shape[0] == 1) {
        int64_t ax = 0;
        wg_array *v = wg_squeeze(ctx, s, 1, &ax);
        wg_release(s);
        if (!v) return NULL;
        s = v;
    }
    wg_layout bl;
    if (wgL_broadcast_to(ctx, &s->lay, dst->lay.ndim, dst->lay.shape, &bl) != WG_OK) {
        char a[128], b[128];
        wg_clear_error(ctx);
        wgB_error(ctx, WG_ERR_VALUE, "could not broadcast input array from shape %s into shape %s",
                  wgP_shape_str(a, sizeof a, src->lay.ndim, src->lay.shape),
                  wgP_shape_str(b, sizeof b, dst->lay.ndim, dst->lay.shape));
        wg_release(s);
        return NULL;
    }
    return s;
}

int wg_assign(wg_context *ctx, wg_array *dst, wg_array *src) {
    wgP_drain(ctx);
    if (!dst->writeable) return wgB_error(ctx, WG_ERR_VALUE, "assignment destination is read-only");
    if (wgD_is_complex(dst->dtype) || wgD_is_complex(src->dtype))
        return wgP_cassign(ctx, dst, src);
    if (src->weak == WG_WEAK_FLOAT && !wgD_is_float(dst->dtype) && dst->dtype != WG_BOOL) {
        /* NumPy converts a Python float for an integer array with int(), which refuses these */
        double f = src->value.f;
        if (f != f) return wgB_error(ctx, WG_ERR_VALUE, "cannot convert float NaN to integer");
        if (f - f != 0) return wgB_error(ctx, WG_ERR_OVERFLOW, "cannot convert float infinity to integer");
        /* ... and then the Python int must fit the dtype, as any Python int (NEP 50) */
        double t = trunc(f);
        int big_unsigned = dst->dtype == WG_UINT64 && t >= 9223372036854775808.0 &&
                           t < 18446744073709551616.0;
        if (!big_unsigned) {
            if (t < -9223372036854775808.0 || t >= 9223372036854775808.0)
                return wgB_error(ctx, WG_ERR_OVERFLOW, "Python int too large to convert to C long");
            wg_value v;
            v.i = (int64_t)t;
            if (!wgD_value_fits(dst->dtype, WG_WEAK_INT, v, 0))
                return wgB_error(ctx, WG_ERR_OVERFLOW, "Python integer %lld out of bounds for %s",
                                 (long long)v.i, dtype_repr(dst->dtype));
        }
    }
    int st = wgP_ensure_buffer(ctx, dst);
    if (st != WG_OK) return st;
    if (check_weak_fits(ctx, src, dst->dtype) != WG_OK) return ctx->status;
    wg_array *s = wgP_assign_src(ctx, src, dst);
    if (!s) return ctx->status;
    wg_array *ins[1] = {s};
    int32_t loop_in[1] = {s->weak ? wgD_weak_default(s->weak) : s->dtype};
    wg_node *n = build(ctx, WG_OP_CAST, 1, ins, loop_in, loop_in[0], dst->lay.ndim, dst->lay.shape, NULL);
    wg_release(s);
    if (!n) return ctx->status ? ctx->status : WG_ERR_MEMORY;
    return wgG_record_write(ctx, dst->buf, &dst->lay, wgG_cast(ctx, n, dst->dtype));
}
