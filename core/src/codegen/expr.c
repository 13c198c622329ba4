/* expr — the instruction-to-expression emitter shared by WGSL and GLSL ES 3.00 (expr.h).
 *
 * Every value is held in a type of its dtype's class: bool; int8/16/32 -> a 32-bit signed int;
 * uint8/16/32 -> a 32-bit unsigned int; float32 -> a 32-bit float.  Narrow integer results are
 * wrapped to their width after every operation (shift pairs / masks), so a chain computes exactly
 * what NumPy computes step by step.  Integer division, modulo, power and shifts go through prelude
 * functions with NumPy's semantics (floor division, the divisor's sign for the remainder, x // 0 ==
 * x % 0 == 0, shifts >= the width give 0 or -1).  NaN tests use bit patterns, never x != x
 * (compilers may assume no NaNs).  int64 exists in one place only: the index that ARGMIN/ARGMAX
 * fold to (the post program's ACC), held in a 32-bit int (buffers never exceed 2^31 elements). */
#include "expr.h"
#include "stmt.h"
#include "../base/context.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void wgC_put(wgC_sbuf *s, const char *fmt, ...) {
    if (s->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = s->cap - s->len;
        int n = vsnprintf(s->p ? s->p + s->len : NULL, s->p ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            s->oom = 1;
            return;
        }
        if (s->p && (size_t)n < room) {
            s->len += (size_t)n;
            return;
        }
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + (size_t)n + 1) cap *= 2;
        char *q = wgB_realloc(s->ctx, s->p, cap);
        if (!q) {
            s->oom = 1;
            return;
        }
        s->p = q;
        s->cap = cap;
    }
}

/* ---- dialects -------------------------------------------------------------------------------- */

/* A literal of the kernel's source (ir.h, param_const) as a constant of the shader: `ty(v)` in
 * both languages, so the compiler sees loop bounds and factors.  32-bit and narrower types only
 * (wider ones and float16 keep their argument words), and finite floats only (neither language
 * spells inf or NaN as a constant).  1 when written to out. */
static int const_literal(const wgC_gen *g, int s, char *out) {
    if (!g->k->param_const[s] || g->ctx->literals_as_words) return 0;
    int pd = g->k->param_dtype[s];
    wg_value v = g->k->param_value[s];
    const wgC_dialect *d = g->d;
    switch (pd) {
    case WG_BOOL: wgC_xfmt(out, "%s", v.i ? "true" : "false"); return 1;
    case WG_INT8: case WG_INT16: case WG_INT32:
        if (v.i == INT32_MIN) wgC_xfmt(out, "%s", d->int_min);
        else wgC_xfmt(out, "%s(%lld)", d->ty[1], (long long)v.i);
        return 1;
    case WG_UINT8: case WG_UINT16: case WG_UINT32:
        wgC_xfmt(out, "%s(%lluu)", d->ty[2], (unsigned long long)(v.u & 0xffffffffu));
        return 1;
    case WG_FLOAT32: {
        float f = (float)v.f;
        if (!isfinite(f) || (f == 0.0f && signbit(f))) return 0;
        char num[40];
        /* 17 digits: the exact value of f (WGSL refuses a decimal that needs rounding past
         * FLT_MAX, as 9 digits would spell it: 3.40282347e+38) */
        snprintf(num, sizeof num, "%.17g", (double)f);
        wgC_xfmt(out, "%s(%s%s)", d->ty[3], num, strpbrk(num, ".e") ? "" : ".0");
        return 1;
    }
    default: return 0;
    }
}

static void wgsl_load(char *out, unsigned i, char c, const char *idx) {
    if (c == 'b') wgC_xfmt(out, "(b_in%u[%s] != 0u)", i, idx);
    else wgC_xfmt(out, "b_in%u[%s]", i, idx); /* the binding's element type is the class's */
}

/* bindings are whole buffers, so arrayLength is the buffer's words */
static void wgsl_raw_len(char *out, unsigned slot, int is_out) {
    wgC_xfmt(out, "arrayLength(&b_%s%u)", is_out ? "out" : "in", slot);
}

static const char *wgsl_notimpl(int dt) {
    return dt == WG_FLOAT16 ? "float16 needs the adapter feature 'shader-f16', which this device "
                              "lacks"
                            : "64-bit dtypes are not supported by the webgpu backend";
}

const wgC_dialect wgC_wgsl_dialect = {
    "webgpu", {"bool", "i32", "u32", "f32"}, "i32", "u32", "f32",
    "bitcast<i32>", "bitcast<u32>", "bitcast<f32>", "bitcast<u32>",
    "round", "bitcast<i32>(0x80000000u)", 0, 0, wgsl_load, wgsl_notimpl,
    1, 0, wgsl_raw_len, 1, "subgroupShuffle", "subgroupBallot", 1,
};

/* textures hold raw 32-bit words (docs/webgl2.md); ld() fetches word e of a texture */
static void glsl_load(char *out, unsigned i, char c, const char *idx) {
    switch (c) {
    case 'b': wgC_xfmt(out, "(ld(t_in%u, %s) != 0u)", i, idx); break;
    case 'i': wgC_xfmt(out, "int(ld(t_in%u, %s))", i, idx); break;
    case 'u': wgC_xfmt(out, "ld(t_in%u, %s)", i, idx); break;
    default: wgC_xfmt(out, "uintBitsToFloat(ld(t_in%u, %s))", i, idx); break;
    }
}

/* a texture's capacity exceeds its buffer (whole rows and layers), so the executor passes each
 * input buffer's words in u_inlen (docs/webgl2.md); webgl2 has no raw outputs */
static void glsl_raw_len(char *out, unsigned slot, int is_out) {
    (void)is_out;
    wgC_xfmt(out, "u_inlen[%u]", slot);
}

static const char *glsl_notimpl(int dt) {
    return dt == WG_FLOAT16 ? "float16 is not supported by the webgl2 backend"
                            : "64-bit dtypes are not supported by the webgl2 backend";
}

const wgC_dialect wgC_glsl_dialect = {
    "webgl2", {"bool", "int", "uint", "float"}, "int", "uint", "float",
    "int", "uint", "uintBitsToFloat", "floatBitsToUint",
    "roundEven", "int(0x80000000u)", 1, 1, glsl_load, glsl_notimpl,
    0, 1, glsl_raw_len, 0, NULL, NULL, 0,
};

int wgC_fail(wgC_gen *g, int status, const char *what, int dt) {
    if (!g->err) {
        if (status == WG_ERR_NOTIMPL)
            g->err = wgB_error(g->ctx, WG_ERR_NOTIMPL, "%s backend: %s (%s in %s)", g->d->backend,
                               g->d->notimpl(dt), wg_dtype_name(dt), what);
        else
            g->err = wgB_error(g->ctx, status, "%s codegen: %s", g->d->backend, what);
    }
    return g->err;
}

/* ---- scaffolding ----------------------------------------------------------------------------- */
int wgC_gen_begin(wgC_gen *g, wg_context *ctx, const wg_kernel_ir *k, wgC_sbuf *s,
                  const wgC_dialect *d) {
    *g = (wgC_gen){ctx, k, s, k->ndim, k->ndim, 0, d, 0, NULL};
    if (k->kind == WG_K_REDUCE) {
        g->nkeep = k->ndim - k->nred;
        g->out_nst = g->nkeep;
        if (k->noutputs != 1 || k->nred < 0 || k->nred > k->ndim)
            return g->err = wgB_error(ctx, WG_ERR_INTERNAL, "%s codegen: malformed reduction", d->backend);
    } else if (k->kind == WG_K_MATMUL) {
        if (k->ninputs != 2 || k->noutputs != 1 || k->ndim < 2)
            return g->err = wgB_error(ctx, WG_ERR_INTERNAL, "%s codegen: malformed matmul", d->backend);
    } else if (k->kind != WG_K_ELEMENTWISE) {
        return g->err = wgB_error(ctx, WG_ERR_INTERNAL, "%s codegen: unknown kernel kind %d", d->backend,
                                  k->kind);
    }
    for (int i = 0; i < k->ninputs; i++)
        if (!wgC_wgsl_dtype_ok(k->input_dtype[i])) return wgC_fail(g, WG_ERR_NOTIMPL, "an input", k->input_dtype[i]);
    for (int j = 0; j < k->noutputs; j++)
        if (!wgC_wgsl_dtype_ok(k->output_dtype[j]))
            return wgC_fail(g, WG_ERR_NOTIMPL, "an output", k->output_dtype[j]);
    /* 64-bit scalars and intermediates (they exist with x64 off: arange's float64 start/step,
     * int64 index arithmetic) are computed in 32 bits; 64-bit *buffers* are refused above and at
     * buffer creation. */
    for (int i = 0; i < k->nparams; i++)
        if (k->param_dtype[i] == WG_FLOAT16)
            return wgC_fail(g, WG_ERR_NOTIMPL, "a scalar parameter", k->param_dtype[i]);
    return 0;
}

void wgC_unravel(wgC_gen *g, const char *var, int d0, int d1, const char *indent, int assign) {
    if (d1 <= d0) return;
    const char *U = g->d->ty[2];
    char kv[16], kl[16]; /* declaration keywords: WGSL infers the type, GLSL names it */
    if (g->d->c_decl) {
        snprintf(kv, sizeof kv, "%s ", U);
        snprintf(kl, sizeof kl, "%s ", U);
    } else {
        snprintf(kv, sizeof kv, "var ");
        snprintf(kl, sizeof kl, "let ");
    }
    if (assign) kl[0] = 0;
    wgC_put(g->s, "%s%srem_%s = %s;\n", indent, kv, var, var);
    for (int d = d1 - 1; d > d0; d--)
        wgC_put(g->s, "%s%si%d = rem_%s %% arg(%du); rem_%s = rem_%s / arg(%du);\n", indent, kl, d,
                var, wgC_w_shape(g, d), var, var, wgC_w_shape(g, d));
    wgC_put(g->s, "%s%si%d = rem_%s;\n", indent, kl, d0, var);
}

void wgC_offset_terms(wgC_gen *g, int w, int d0, int d1) {
    for (int d = d0; d < d1; d++) wgC_put(g->s, " + ai(%du) * %s(i%d)", w + 1 + d, g->d->to_i, d);
}

/* ---- dtypes and small expressions ------------------------------------------------------------ */
char wgC_cls(int dt) {
    switch (dt) {
    case WG_BOOL: return 'b';
    case WG_INT8: case WG_INT16: case WG_INT32: case WG_INT64: return 'i';
    case WG_UINT8: case WG_UINT16: case WG_UINT32: case WG_UINT64: return 'u';
    default: return 'f';
    }
}

static int cls_index(char c) { return c == 'b' ? 0 : c == 'i' ? 1 : c == 'u' ? 2 : 3; }

const char *wgC_ty(const wgC_dialect *d, int dt) { return d->ty[cls_index(wgC_cls(dt))]; }

int wgC_width(int dt) {
    switch (dt) {
    case WG_INT8: case WG_UINT8: return 8;
    case WG_INT16: case WG_UINT16: return 16;
    default: return 32;
    }
}

void wgC_xfmt(char *out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, WGC_EXPR_MAX, fmt, ap);
    va_end(ap);
}

void wgC_sel(const wgC_dialect *d, char *out, const char *f, const char *t, const char *c) {
    if (d->ternary) wgC_xfmt(out, "((%s) ? %s : %s)", c, t, f);
    else wgC_xfmt(out, "select(%s, %s, %s)", f, t, c);
}

void wgC_wrap(char *out, const char *e, int dt) {
    switch (dt) {
    case WG_INT8: wgC_xfmt(out, "((%s << 24u) >> 24u)", e); break;
    case WG_INT16: wgC_xfmt(out, "((%s << 16u) >> 16u)", e); break;
    case WG_UINT8: wgC_xfmt(out, "(%s & 0xffu)", e); break;
    case WG_UINT16: wgC_xfmt(out, "(%s & 0xffffu)", e); break;
    default: wgC_xfmt(out, "%s", e); break;
    }
}

void wgC_truth(char *out, const char *e, int dt) {
    switch (wgC_cls(dt)) {
    case 'b': wgC_xfmt(out, "%s", e); break;
    case 'i': wgC_xfmt(out, "(%s != 0)", e); break;
    case 'u': wgC_xfmt(out, "(%s != 0u)", e); break;
    default: wgC_xfmt(out, "(%s != 0.0 || isnan_f(%s))", e, e); break; /* NaN is true */
    }
}

const char *wgC_zero(int dt) {
    switch (wgC_cls(dt)) {
    case 'b': return "false";
    case 'i': return "0";
    case 'u': return "0u";
    default: return "0.0";
    }
}

const char *wgC_one(int dt) {
    switch (wgC_cls(dt)) {
    case 'b': return "true";
    case 'i': return "1";
    case 'u': return "1u";
    default: return "1.0";
    }
}

void wgC_cast(const wgC_dialect *d, char *out, const char *a, int sdt, int ddt) {
    char sc = wgC_cls(sdt), dc = wgC_cls(ddt), t[WGC_EXPR_MAX];
    if (sdt == ddt) {
        wgC_xfmt(out, "%s", a);
        return;
    }
    if (dc == 'b') {
        wgC_truth(out, a, sdt);
        return;
    }
    if (sc == 'b') {
        wgC_sel(d, out, wgC_zero(ddt), wgC_one(ddt), a);
        return;
    }
    if (dc == 'f') {
        if (sc == 'f') wgC_xfmt(out, "%s", a);
        else wgC_xfmt(out, "%s(%s)", d->to_f, a);
        return;
    }
    if (dc == 'i') {
        if (sc == 'i') wgC_xfmt(t, "%s", a);
        else if (sc == 'u') wgC_xfmt(t, "%s(%s)", d->i_of_u, a);
        else wgC_xfmt(t, "f2i32(%s)", a);
        wgC_wrap(out, t, ddt);
        return;
    }
    /* dc == 'u' */
    if (sc == 'u') wgC_xfmt(t, "%s", a);
    else if (sc == 'i') wgC_xfmt(t, "%s(%s)", d->u_of_i, a);
    else if (ddt == WG_UINT32) wgC_xfmt(t, "f2u32(%s)", a);
    else wgC_xfmt(t, "%s(f2i32(%s))", d->u_of_i, a);
    wgC_wrap(out, t, ddt);
}

void wgC_decl(wgC_gen *g, const char *indent, const char *type, const char *name, const char *e) {
    if (g->d->c_decl) wgC_put(g->s, "%s%s %s = %s;\n", indent, type, name, e);
    else wgC_put(g->s, "%slet %s: %s = %s;\n", indent, name, type, e);
}

/* ---- instructions ---------------------------------------------------------------------------- */
/* a * b + c as fma(a, b, c) where the kernel allows contraction (ir.h `contract`): float32 in
 * WGSL (GLSL ES 3.00 has no fma).  The product's own value stays declared for its other uses. */
static int contracted(wgC_gen *g, char *t, const wg_inst *in, const char *pfx, const wg_inst *prog) {
    if (!g->k->contract || g->d->c_decl || in->dtype != WG_FLOAT32) return 0;
    for (int side = 0; side < 2; side++) {
        const wg_inst *m = &prog[in->src[side]];
        if (m->op != WG_OP_MULTIPLY || m->dtype != WG_FLOAT32) continue;
        const wg_inst *x = &prog[m->src[0]], *y = &prog[m->src[1]];
        if (x->dtype != WG_FLOAT32 || y->dtype != WG_FLOAT32) continue;
        unsigned ma = m->src[0], mb = m->src[1], o = in->src[1 - side];
        if (in->op == WG_OP_ADD)  /* m + o, o + m */
            wgC_xfmt(t, "fma(%s%u, %s%u, %s%u)", pfx, ma, pfx, mb, pfx, o);
        else if (side == 0)       /* m - o */
            wgC_xfmt(t, "fma(%s%u, %s%u, -%s%u)", pfx, ma, pfx, mb, pfx, o);
        else                      /* o - m */
            wgC_xfmt(t, "fma(-%s%u, %s%u, %s%u)", pfx, ma, pfx, mb, pfx, o);
        return 1;
    }
    return 0;
}

/* The expression of one instruction (its dtype is the result's).  Operands are the variables
 * pfx<src>.  Returns 0, or fails. */
int wgC_inst_expr(wgC_gen *g, char *out, const wg_inst *in, const char *pfx, const wg_inst *prog,
                  int is_post) {
    const wgC_dialect *d = g->d;
    char a[32] = "", b[32] = "", c[32] = "";
    char t[WGC_EXPR_MAX], u[WGC_EXPR_MAX], v[WGC_EXPR_MAX], w[WGC_EXPR_MAX];
    int dt = in->dtype, op = in->op;
    int ar = wg_op_arity(op);
    int sa = ar > 0 ? prog[in->src[0]].dtype : dt;
    int sb2 = ar > 1 ? prog[in->src[1]].dtype : dt;
    if (ar > 0) snprintf(a, sizeof a, "%s%u", pfx, (unsigned)in->src[0]);
    if (ar > 1) snprintf(b, sizeof b, "%s%u", pfx, (unsigned)in->src[1]);
    if (ar > 2) snprintf(c, sizeof c, "%s%u", pfx, (unsigned)in->src[2]);
    if (dt == WG_FLOAT16) return wgC_fail(g, WG_ERR_NOTIMPL, "an instruction", dt);
    char rc = wgC_cls(dt), sc = wgC_cls(sa);
    /* bool arithmetic (add = or, multiply = and, ...): compute on 0/1 in a uint */
    int boolarith = dt == WG_BOOL && !wgI_op_gives_bool(op) && op != WG_OP_CAST &&
                    op != WG_OP_WHERE && op != WG_OP_LOAD && op != WG_OP_PARAM &&
                    op != WG_OP_ACC && op != WG_OP_INVERT && op != WG_OP_INDEX;
    if (boolarith) rc = 'u';
    const char *A = a, *B = b;
    char ab[48], bb[48];
    if (boolarith) {
        snprintf(ab, sizeof ab, "%s(%s%u)", d->to_u, pfx, (unsigned)in->src[0]);
        snprintf(bb, sizeof bb, "%s(%s%u)", d->to_u, pfx, ar > 1 ? (unsigned)in->src[1] : 0u);
        A = ab;
        B = bb;
    }
    int wrapit = 1;
    switch (op) {
    case WG_OP_NEGATIVE:
        wgC_xfmt(t, rc == 'f' ? "(-%s)" : rc == 'i' ? "(0 - %s)" : "(0u - %s)", A);
        break;
    case WG_OP_POSITIVE: wgC_xfmt(t, "%s", A); break;
    case WG_OP_ABSOLUTE:
        if (rc == 'f') wgC_xfmt(t, "abs(%s)", A);
        else if (rc == 'i') {
            wgC_xfmt(u, "0 - %s", A);
            wgC_xfmt(v, "%s < 0", A);
            wgC_sel(d, t, A, u, v);
        } else wgC_xfmt(t, "%s", A);
        break;
    case WG_OP_SIGN:
        if (rc == 'f') wgC_xfmt(t, "sign_f(%s)", A);
        else if (rc == 'i') {
            wgC_xfmt(v, "%s < 0", A);
            wgC_sel(d, u, "0", "-1", v);
            wgC_xfmt(v, "%s > 0", A);
            wgC_sel(d, t, u, "1", v);
        } else {
            wgC_xfmt(v, "%s > 0u", A);
            wgC_sel(d, t, "0u", "1u", v);
        }
        break;
    case WG_OP_SQUARE: wgC_xfmt(t, "(%s * %s)", A, A); break;
    case WG_OP_RECIPROCAL:
        if (rc == 'f') wgC_xfmt(t, "(1.0 / %s)", A);
        else if (rc == 'i') {
            wgC_xfmt(v, "%s == 1 || %s == -1", A, A);
            wgC_sel(d, u, "0", A, v);
            wgC_xfmt(v, "%s == 0", A);
            wgC_sel(d, t, u, d->int_min, v);
        } else {
            wgC_xfmt(v, "%s == 1u", A);
            wgC_sel(d, t, "0u", "1u", v);
        }
        break;
#define FMATH(OP, FN)                                                                            \
    case OP:                                                                                     \
        if (rc != 'f') return wgC_fail(g, WG_ERR_INTERNAL, "float math on a non-float dtype", dt); \
        wgC_xfmt(t, FN "(%s)", A);                                                               \
        break;
    FMATH(WG_OP_SQRT, "sqrt_f")
    FMATH(WG_OP_CBRT, "cbrt_f")
    FMATH(WG_OP_EXP, "exp_f")
    FMATH(WG_OP_EXP2, "exp2_f")
    FMATH(WG_OP_EXPM1, "expm1_f")
    FMATH(WG_OP_LOG, "log_f")
    FMATH(WG_OP_LOG2, "log2_f")
    FMATH(WG_OP_LOG10, "log10_f")
    FMATH(WG_OP_LOG1P, "log1p_f")
    FMATH(WG_OP_SIN, "sin_f")
    FMATH(WG_OP_COS, "cos_f")
    FMATH(WG_OP_TAN, "tan_f")
    FMATH(WG_OP_ARCSIN, "asin_f")
    FMATH(WG_OP_ARCCOS, "acos_f")
    FMATH(WG_OP_ARCTAN, "atan_f")
    FMATH(WG_OP_SINH, "sinh_f")
    FMATH(WG_OP_COSH, "cosh_f")
    FMATH(WG_OP_TANH, "tanh_f")
    FMATH(WG_OP_ARCSINH, "asinh_f")
    FMATH(WG_OP_ARCCOSH, "acosh_f")
    FMATH(WG_OP_ARCTANH, "atanh_f")
#undef FMATH
    case WG_OP_FLOOR: wgC_xfmt(t, rc == 'f' ? "floor(%s)" : "%s", A); break;
    case WG_OP_CEIL: wgC_xfmt(t, rc == 'f' ? "ceil(%s)" : "%s", A); break;
    case WG_OP_TRUNC: wgC_xfmt(t, rc == 'f' ? "trunc(%s)" : "%s", A); break;
    case WG_OP_RINT:
        if (rc == 'f') wgC_xfmt(t, "%s(%s)", d->round_even, A);
        else wgC_xfmt(t, "%s", A);
        break;
    case WG_OP_ISNAN: wgC_xfmt(t, sc == 'f' ? "isnan_f(%s)" : "false", a); break;
    case WG_OP_ISINF: wgC_xfmt(t, sc == 'f' ? "isinf_f(%s)" : "false", a); break;
    case WG_OP_ISFINITE: wgC_xfmt(t, sc == 'f' ? "isfin_f(%s)" : "true", a); break;
    case WG_OP_LOGICAL_NOT: wgC_truth(u, a, sa); wgC_xfmt(t, "(!%s)", u); break;
    case WG_OP_INVERT: wgC_xfmt(t, rc == 'b' ? "(!%s)" : "(~%s)", a); break;
    case WG_OP_ADD:
    case WG_OP_SUBTRACT:
        if (contracted(g, t, in, pfx, prog)) break;
        wgC_xfmt(t, op == WG_OP_ADD ? "(%s + %s)" : "(%s - %s)", A, B);
        break;
    case WG_OP_MULTIPLY: wgC_xfmt(t, "(%s * %s)", A, B); break;
    case WG_OP_TRUE_DIVIDE:
        if (rc != 'f') return wgC_fail(g, WG_ERR_INTERNAL, "true_divide on a non-float dtype", dt);
        wgC_xfmt(t, "(%s / %s)", A, B);
        break;
    case WG_OP_FLOOR_DIVIDE: case WG_OP_REMAINDER: {
        int dv = op == WG_OP_FLOOR_DIVIDE;
        if ((rc == 'i' || rc == 'u') && !boolarith && g->rng && prog == g->k->inst &&
            wgC_rng_in(g->rng[in->src[0]], 0, INT64_MAX) && wgC_rng_in(g->rng[in->src[1]], 1, INT64_MAX)) {
            /* a dividend proven >= 0 and a divisor > 0 (range.h): floor and truncation agree and
             * no zero divisor needs NumPy's 0, so the language's own operator */
            wgC_xfmt(t, dv ? "(%s / %s)" : "(%s %% %s)", A, B);
        } else if (dv) {
            wgC_xfmt(t, rc == 'f' ? "divmod_f(%s, %s).x" : rc == 'i' ? "fdiv_i(%s, %s)" : "fdiv_u(%s, %s)", A, B);
        } else {
            wgC_xfmt(t, rc == 'f' ? "divmod_f(%s, %s).y" : rc == 'i' ? "rem_i(%s, %s)" : "rem_u(%s, %s)", A, B);
        }
        break;
    }
    case WG_OP_POWER:
        wgC_xfmt(t, rc == 'f' ? "pow_f(%s, %s)" : rc == 'i' ? "pow_i(%s, %s)" : "pow_u(%s, %s)", A, B);
        break;
    case WG_OP_ARCTAN2:
        if (rc != 'f') return wgC_fail(g, WG_ERR_INTERNAL, "arctan2 on a non-float dtype", dt);
        wgC_xfmt(t, "atan2_f(%s, %s)", A, B);
        break;
    case WG_OP_HYPOT:
        if (rc != 'f') return wgC_fail(g, WG_ERR_INTERNAL, "hypot on a non-float dtype", dt);
        wgC_xfmt(t, "hypot_f(%s, %s)", A, B);
        break;
    case WG_OP_COPYSIGN:
        if (rc != 'f') return wgC_fail(g, WG_ERR_INTERNAL, "copysign on a non-float dtype", dt);
        wgC_xfmt(t, "copysign_f(%s, %s)", A, B);
        break;
    case WG_OP_MAXIMUM: wgC_xfmt(t, rc == 'f' ? "max_f(%s, %s)" : "max(%s, %s)", A, B); break;
    case WG_OP_MINIMUM: wgC_xfmt(t, rc == 'f' ? "min_f(%s, %s)" : "min(%s, %s)", A, B); break;
    case WG_OP_FMAX: wgC_xfmt(t, rc == 'f' ? "fmax_f(%s, %s)" : "max(%s, %s)", A, B); break;
    case WG_OP_FMIN: wgC_xfmt(t, rc == 'f' ? "fmin_f(%s, %s)" : "min(%s, %s)", A, B); break;
    case WG_OP_EQUAL: case WG_OP_NOT_EQUAL: case WG_OP_LESS: case WG_OP_LESS_EQUAL:
    case WG_OP_GREATER: case WG_OP_GREATER_EQUAL: {
        static const char *const rel[] = {"==", "!=", "<", "<=", ">", ">="};
        const char *r = rel[op - WG_OP_EQUAL];
        /* Float (in)equality also compares the bit patterns (NaN excluded): Mesa's GLSL compiler
         * (llvmpipe: Firefox's and WebKitGTK's WebGL2) folds x == x + c to c == 0, false for
         * x = inf; integer compares of the bits are not folded (docs/browsers.md).  != also
         * treats NaN as unequal: drivers may compare ordered. */
        if (sc == 'f' && op == WG_OP_NOT_EQUAL)
            wgC_xfmt(t, "((%s != %s || isnan_f(%s) || isnan_f(%s)) && (%s(%s) != %s(%s) || isnan_f(%s)))",
                     a, b, a, b, d->u_of_f, a, d->u_of_f, b, a);
        else if (sc == 'f' && op == WG_OP_EQUAL)
            wgC_xfmt(t, "(%s == %s || (%s(%s) == %s(%s) && !isnan_f(%s)))", a, b, d->u_of_f, a, d->u_of_f, b, a);
        else if (sc == 'b' && op != WG_OP_EQUAL && op != WG_OP_NOT_EQUAL)
            wgC_xfmt(t, "(%s(%s) %s %s(%s))", d->to_u, a, r, d->to_u, b);
        else
            wgC_xfmt(t, "(%s %s %s)", a, r, b);
        wrapit = 0;
        break;
    }
    case WG_OP_LOGICAL_AND: case WG_OP_LOGICAL_OR: case WG_OP_LOGICAL_XOR:
        wgC_truth(u, a, sa);
        wgC_truth(v, b, sb2);
        wgC_xfmt(t, "(%s %s %s)", u,
                 op == WG_OP_LOGICAL_AND ? "&&" : op == WG_OP_LOGICAL_OR ? "||" : "!=", v);
        wrapit = 0;
        break;
    case WG_OP_BITWISE_AND: wgC_xfmt(t, "(%s & %s)", A, B); break;
    case WG_OP_BITWISE_OR: wgC_xfmt(t, "(%s | %s)", A, B); break;
    case WG_OP_BITWISE_XOR: wgC_xfmt(t, "(%s ^ %s)", A, B); break;
    case WG_OP_LEFT_SHIFT: case WG_OP_RIGHT_SHIFT: {
        int l = op == WG_OP_LEFT_SHIFT;
        if ((rc == 'i' || rc == 'u') && !boolarith && g->rng && prog == g->k->inst &&
            wgC_rng_in(g->rng[in->src[1]], 0, wgC_width(dt) - 1)) {
            /* a count proven in [0, width): C's rule and the language's agree, no helper (the
             * result is wrapped to a narrow width below, as the helper's was) */
            if (rc == 'i') wgC_xfmt(u, "%s(%s)", d->to_u, B);
            else wgC_xfmt(u, "%s", B);
            wgC_xfmt(t, l ? "(%s << %s)" : "(%s >> %s)", A, u);
        } else {
            wgC_xfmt(t, rc == 'i' ? (l ? "lsh_i(%s, %s, %du)" : "rsh_i(%s, %s, %du)")
                                  : (l ? "lsh_u(%s, %s, %du)" : "rsh_u(%s, %s, %du)"), A, B, wgC_width(dt));
        }
        break;
    }
    case WG_OP_CAST:
        if (sa == WG_FLOAT16) return wgC_fail(g, WG_ERR_NOTIMPL, "a cast", sa);
        wgC_cast(d, t, a, sa, dt);
        wrapit = 0;
        break;
    case WG_OP_WHERE: wgC_sel(d, t, c, b, a); wrapit = 0; break;
    case WG_OP_BITCAST: /* 32-bit classes only (the cpu executor's check); int <-> float via uint */
        if (sc == rc) wgC_xfmt(t, "%s", a);
        else if (sc == 'f') {
            wgC_xfmt(u, "%s(%s)", d->u_of_f, a);
            if (rc == 'i') wgC_xfmt(t, "%s(%s)", d->i_of_u, u);
            else wgC_xfmt(t, "%s", u);
        } else {
            if (sc == 'i') wgC_xfmt(u, "%s(%s)", d->u_of_i, a);
            else wgC_xfmt(u, "%s", a);
            if (rc == 'f') wgC_xfmt(t, "%s(%s)", d->f_of_u, u);
            else wgC_xfmt(t, "%s", u);
        }
        wrapit = 0;
        break;
    case WG_OP_LOAD: {
        /* (a REDUCE's post program reads the input at the kept point: o_in<i> there) */
        if ((is_post && g->k->kind != WG_K_REDUCE) || in->arg >= g->k->ninputs)
            return wgC_fail(g, WG_ERR_INTERNAL, "LOAD out of place", dt);
        int idt = g->k->input_dtype[in->arg];
        char idx[24];
        snprintf(idx, sizeof idx, "o_in%u", (unsigned)in->arg);
        d->load(t, in->arg, wgC_cls(idt), idx);
        if (idt != dt) {
            wgC_xfmt(u, "%s", t);
            wgC_cast(d, t, u, idt, dt);
        }
        wrapit = 0;
        break;
    }
    case WG_OP_PARAM: {
        if (in->arg >= g->k->nparams) return wgC_fail(g, WG_ERR_INTERNAL, "PARAM out of range", dt);
        int pd = g->k->param_dtype[in->arg];
        if (pd == WG_FLOAT16) return wgC_fail(g, WG_ERR_NOTIMPL, "a scalar parameter", pd);
        if (const_literal(g, in->arg, u)) {
            wgC_cast(d, t, u, pd, dt);
            wrapit = 0;
            break;
        }
        int wp = wgC_w_param(g, in->arg);
        switch (wgC_cls(pd)) {
        case 'b': wgC_xfmt(u, "(arg(%du) != 0u)", wp); break;
        case 'i': wgC_xfmt(u, "ai(%du)", wp); break;
        case 'u': wgC_xfmt(u, "arg(%du)", wp); break;
        default: wgC_xfmt(u, "%s(arg(%du))", d->f_of_u, wp); break;
        }
        wgC_cast(d, t, u, pd, dt);
        wrapit = 0;
        break;
    }
    case WG_OP_INDEX:
        if (is_post || in->arg >= g->k->ndim)
            return wgC_fail(g, WG_ERR_INTERNAL, "INDEX out of place", dt);
        wgC_xfmt(u, "%s(i%u)", d->to_i, (unsigned)in->arg);
        wgC_cast(d, t, u, WG_INT32, dt == WG_INT64 ? WG_INT32 : dt);
        wrapit = 0;
        break;
    case WG_OP_ACC:
        if (!is_post) return wgC_fail(g, WG_ERR_INTERNAL, "ACC outside a post program", dt);
        wgC_xfmt(t, "acc");
        wrapit = 0;
        break;
    default: return wgC_fail(g, WG_ERR_INTERNAL, "unknown op", dt);
    }
    if (boolarith) {
        wgC_xfmt(out, "(%s != 0u)", t);
        return 0;
    }
    if (wrapit) wgC_wrap(w, t, dt);
    else wgC_xfmt(w, "%s", t);
    wgC_xfmt(out, "%s", w);
    return 0;
}

int wgC_emit_program(wgC_gen *g, const wg_inst *prog, int n, const char *pfx, int is_post,
                     const char *indent) {
    char e[WGC_EXPR_MAX], name[32];
    for (int i = 0; i < n; i++) {
        const wg_inst *in = &prog[i];
        if (in->op >= WG_NOPS || in->dtype > WG_FLOAT64)
            return wgC_fail(g, WG_ERR_INTERNAL, "bad instruction", 0);
        for (int j = 0; j < wg_op_arity(in->op); j++)
            if (in->src[j] >= i)
                return wgC_fail(g, WG_ERR_INTERNAL, "operand not defined before use", 0);
        if (in->op == WG_OP_PARAM && g->params_hoisted) continue; /* declared before the loop */
        if (in->op == WG_OP_LOAD_AT && !g->k->stmt) { /* a REDUCE's raw input (stmt.c) */
            if (wgC_load_at_expr(g, e, prog, i, pfx)) return g->err;
        } else if (wgC_inst_expr(g, e, in, pfx, prog, is_post)) {
            return g->err;
        }
        snprintf(name, sizeof name, "%s%d", pfx, i);
        wgC_decl(g, indent, wgC_ty(g->d, in->dtype), name, e);
    }
    return 0;
}

/* Tint keeps a uniform load where the program has it, and nothing promises that a driver moves
 * it out of the loop: SwiftShader's kernel of the 1M chain + sum (3 parameters) ran in 3.08 ms
 * against 3.61 with the loads per lane (minima, Node + Dawn, docs/benchmarks.md "Session 15"). */
int wgC_emit_params(wgC_gen *g, const wg_inst *prog, int n, const char *pfx, const char *indent) {
    char e[WGC_EXPR_MAX], name[32];
    for (int i = 0; i < n; i++) {
        if (prog[i].op != WG_OP_PARAM) continue;
        if (wgC_inst_expr(g, e, &prog[i], pfx, prog, 0)) return g->err;
        snprintf(name, sizeof name, "%s%d", pfx, i);
        wgC_decl(g, indent, wgC_ty(g->d, prog[i].dtype), name, e);
    }
    g->params_hoisted = 1;
    return 0;
}

/* ---- reductions ------------------------------------------------------------------------------ */
/* `fn name(a: T, ...) -> R {` or `R name(T a, ...) {`; params are "type name" pairs */
void wgC_fn_head(wgC_gen *g, const char *ret, const char *name, int np, const char *const *types,
                 const char *const *names) {
    int none = !ret || strcmp(ret, "void") == 0;
    if (g->d->c_decl) wgC_put(g->s, "%s %s(", none ? "void" : ret, name);
    else wgC_put(g->s, "fn %s(", name);
    for (int i = 0; i < np; i++) {
        if (g->d->c_decl) wgC_put(g->s, "%s%s %s", i ? ", " : "", types[i], names[i]);
        else wgC_put(g->s, "%s%s: %s", i ? ", " : "", names[i], types[i]);
    }
    if (g->d->c_decl || none) wgC_put(g->s, ") {");
    else wgC_put(g->s, ") -> %s {", ret);
}

int wgC_reduce_helpers(wgC_gen *g, int *acc_is_bool) {
    const wg_kernel_ir *k = g->k;
    const wgC_dialect *d = g->d;
    int fold = k->fold, adt = k->acc_dtype;
    char c = wgC_cls(adt), e[WGC_EXPR_MAX], w[WGC_EXPR_MAX], x[WGC_EXPR_MAX];
    const char *T = wgC_ty(d, adt), *I = d->ty[1];
    *acc_is_bool = fold == WG_FOLD_ANY || fold == WG_FOLD_ALL;
    if (*acc_is_bool) T = d->ty[0];
    switch (fold) {
    case WG_FOLD_SUM: case WG_FOLD_PROD:
        if (c == 'b') wgC_xfmt(w, fold == WG_FOLD_SUM ? "(a || b)" : "(a && b)");
        else {
            wgC_xfmt(e, fold == WG_FOLD_SUM ? "(a + b)" : "(a * b)");
            wgC_wrap(w, e, adt);
        }
        break;
    case WG_FOLD_ANY: wgC_xfmt(w, "(a || b)"); break;
    case WG_FOLD_ALL: wgC_xfmt(w, "(a && b)"); break;
    case WG_FOLD_MAX: case WG_FOLD_MIN: {
        const char *gt = fold == WG_FOLD_MAX ? ">" : "<";
        if (c == 'f') {
            wgC_xfmt(x, "!isnan_f(a) && (isnan_f(b) || b %s a)", gt);
            wgC_sel(d, w, "a", "b", x);
        } else if (c == 'b') wgC_xfmt(w, fold == WG_FOLD_MAX ? "(a || b)" : "(a && b)");
        else {
            wgC_xfmt(x, "b %s a", gt);
            wgC_sel(d, w, "a", "b", x);
        }
        break;
    }
    case WG_FOLD_ARGMAX: case WG_FOLD_ARGMIN: {
        const char *gt = fold == WG_FOLD_ARGMAX ? ">" : "<";
        const char *types[4] = {T, I, T, I}, *names[4] = {"va", "ia", "vb", "ib"};
        wgC_fn_head(g, d->ty[0], "better", 4, types, names);
        wgC_put(g->s, "\n  if (ib < 0) { return false; } if (ia < 0) { return true; }\n");
        if (c == 'f')
            wgC_put(g->s, "  if (isnan_f(va)) { return isnan_f(vb) && ib < ia; }\n"
                          "  if (isnan_f(vb)) { return true; }\n");
        if (c == 'b') wgC_put(g->s, "  if (%s(vb) %s %s(va)) { return true; }\n", d->to_u, gt, d->to_u);
        else wgC_put(g->s, "  if (vb %s va) { return true; }\n", gt);
        wgC_put(g->s, "  return vb == va && ib < ia;\n}\n");
        return 0;
    }
    default: return wgC_fail(g, WG_ERR_INTERNAL, "unknown fold", 0);
    }
    const char *types[2] = {T, T}, *names[2] = {"a", "b"};
    wgC_fn_head(g, T, "comb", 2, types, names);
    wgC_put(g->s, " return %s; }\n", w);
    return 0;
}

const char *wgC_reduce_identity(const wgC_dialect *d, const wg_kernel_ir *k) {
    int adt = k->acc_dtype;
    char c = wgC_cls(adt);
    switch (k->fold) {
    case WG_FOLD_ANY: return "false";
    case WG_FOLD_ALL: return "true";
    case WG_FOLD_SUM: return wgC_zero(adt);
    case WG_FOLD_PROD: return wgC_one(adt);
    case WG_FOLD_MIN:
        return c == 'f' ? "f_inf()" : c == 'i' ? "2147483647" : c == 'u' ? "0xffffffffu" : "true";
    case WG_FOLD_MAX:
        return c == 'f' ? "(-f_inf())" : c == 'i' ? d->int_min : c == 'u' ? "0u" : "false";
    default: return wgC_zero(adt); /* arg folds: the index -1 marks "empty" */
    }
}
