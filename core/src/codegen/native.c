/* native — the seed's native kernels (ir.h, "Native kernels"): the published wgpy's
 * ElementwiseKernel and ReductionKernel, whose bodies are WGSL (webgpu) or GLSL ES 3.00 (webgl2)
 * text.  The body is spliced into generated scaffolding that follows the ELEMENTWISE contract of
 * each executor (docs/webgpu.md, docs/webgl2.md: argument words, bindings or textures, one point
 * per output element), so the executors run it as any elementwise kernel.
 *
 * What the body sees, in either language (names as in the published wgpy):
 *   i                    the point's C-order index (i32 / int)
 *   <in>                 a non-raw input, read at the point, of its declared type
 *   <in>(e)              a raw input: element e of the array seen as C-contiguous
 *   <in>(i0, i1, ...)    a rawnd input: the element at that index
 *   <out>                the output's variable (zero at the start), stored when the body ends
 *   cmeta.<u> / <u>      a uniform (WGSL: in the struct cmeta; GLSL: a global), and
 *                        cmeta._ind_size / _ind_size (reductions: _in_ind_size, _out_ind_size)
 *   T, ...               type parameters: `alias T = f32;` / `#define T float`
 * Reductions: one point per output element folds the reduced dims serially, in C order:
 *   a = identity; for each reduced element { inputs read there; b = (map); a = (reduce); } post;
 * Reads outside an input's buffer give zero (never a fault).  Names the scaffolding uses:
 * everything starting with _wg, and the executors' own (wa, b_in<i>, b_out0, t_in<i>, ld, texel,
 * u_*, o_color, v_p). */
#include "expr.h"
#include "../base/context.h"

#include <stdio.h>
#include <string.h>

/* the value type of a dtype in the dialect (bool, i32/int, u32/uint, f32/float) */
static const char *vty(wgC_gen *g, int dt) { return wgC_ty(g->d, dt); }

/* the dtype a value of dt's class is held in */
static int vdt(int dt) {
    switch (wgC_cls(dt)) {
    case 'b': return WG_BOOL;
    case 'i': return WG_INT32;
    case 'u': return WG_UINT32;
    default: return WG_FLOAT32;
    }
}

static int is_wgsl(const wgC_gen *g) { return !g->d->c_decl; }

/* `var name: T = e;` / `T name = e;` */
static void var(wgC_gen *g, const char *ind, const char *type, const char *name, const char *e) {
    if (is_wgsl(g)) wgC_put(g->s, "%svar %s: %s = %s;\n", ind, name, type, e);
    else wgC_put(g->s, "%s%s %s = %s;\n", ind, type, name, e);
}

static const char *field(const wg_kernel_ir *k, int f) { return wgI_native_field(k, f); }

/* layout of native_text (ir.h) */
typedef struct layout {
    int nin, nuni, reduce;
    int f_in, f_out, f_uni, f_body, f_pre;
    /* param slots (ir.h's order) */
    int p_raw[WG_KMAX_IO];    /* raw: shape at p_raw, strides at p_raw + nd; rawnd: strides */
    int p_ext, p_rst[WG_KMAX_IO], p_size, p_uni;
} layout;

static int make_layout(wgC_gen *g, layout *L) {
    const wg_kernel_ir *k = g->k;
    memset(L, 0, sizeof *L);
    L->nin = k->ninputs;
    L->nuni = k->native_nuni;
    L->reduce = (k->native & WG_NATIVE_REDUCE) != 0;
    L->f_in = 1;
    L->f_out = 1 + 2 * L->nin;
    L->f_uni = L->f_out + 2;
    L->f_body = L->f_uni + 2 * L->nuni;
    L->f_pre = L->f_body + (L->reduce ? 5 : 1);
    int s = 0;
    for (int i = 0; i < L->nin; i++) {
        L->p_raw[i] = s;
        if (k->native_kind[i] == WG_NATIVE_RAW) s += 2 * k->native_ndim[i];
        else if (k->native_kind[i] == WG_NATIVE_RAWND) s += k->native_ndim[i];
    }
    L->p_ext = s;
    if (L->reduce) {
        s += k->native_nred;
        for (int i = 0; i < L->nin; i++) {
            L->p_rst[i] = s;
            if (k->native_kind[i] == WG_NATIVE_AT_POINT) s += k->native_nred;
        }
    }
    L->p_size = s;
    s += L->reduce ? 2 : 1;
    L->p_uni = s;
    s += L->nuni;
    if (s != k->nparams || k->noutputs != 1 || k->ninst != 0 || k->native_nred > WG_MAX_NDIM)
        return wgC_fail(g, WG_ERR_INTERNAL, "a native kernel's parameters do not match its inputs", 0);
    return 0;
}

/* the i32 / f32 / u32 word of parameter slot s */
static void param_word(wgC_gen *g, char *out, int s, int cls) {
    int w = wgC_w_param(g, s);
    const char *arg = "_wg_arg";
    switch (cls) {
    case 'i': wgC_xfmt(out, "%s(%s(%du))", g->d->i_of_u, arg, w); break;
    case 'f': wgC_xfmt(out, "%s(%s(%du))", g->d->f_of_u, arg, w); break;
    default: wgC_xfmt(out, "%s(%du)", arg, w); break;
    }
}

static int is_generic(const char *t) { return t[0] >= 'A' && t[0] <= 'Z' && t[1] == 0; }

/* the published types: f32/i32/u32/bool (WGSL), float/int/uint/bool (GLSL) */
static int type_cls(const wgC_gen *g, const char *t) {
    static const char *const w[4] = {"bool", "i32", "u32", "f32"};
    static const char *const c[4] = {"bool", "int", "uint", "float"};
    static const char cl[4] = {'b', 'i', 'u', 'f'};
    for (int q = 0; q < 4; q++)
        if (!strcmp(t, is_wgsl(g) ? w[q] : c[q])) return cl[q];
    return 0;
}

/* header: bindings or textures, the argument words, the executors' helpers */
static void header(wgC_gen *g, int any_raw) {
    const wg_kernel_ir *k = g->k;
    int nwords = wgC_wgsl_arg_words(k);
    const char *name = field(k, 0);
    if (is_wgsl(g)) {
        wgC_put(g->s, "// wgpy native kernel '%s' (WGSL%s): ndim %d, %d inputs, %d params, %d argument words\n",
                name, k->native & WG_NATIVE_REDUCE ? ", reduction" : "", k->ndim, k->ninputs,
                k->nparams, nwords);
        wgC_put(g->s, "@group(0) @binding(0) var<uniform> wa: array<vec4<u32>, %d>;\n", (nwords + 3) / 4);
        for (int i = 0; i < k->ninputs; i++) {
            char c = wgC_cls(k->input_dtype[i]);
            wgC_put(g->s, "@group(0) @binding(%d) var<storage, read> b_in%d: array<%s>;\n", 1 + i, i,
                    c == 'f' ? "f32" : c == 'i' ? "i32" : "u32");
        }
        char c = wgC_cls(k->output_dtype[0]);
        wgC_put(g->s, "@group(0) @binding(%d) var<storage, read_write> b_out0: array<%s>;\n",
                1 + k->ninputs, c == 'f' ? "f32" : c == 'i' ? "i32" : "u32");
        wgC_put(g->s, "fn _wg_arg(i: u32) -> u32 { return wa[i >> 2u][i & 3u]; }\n");
        return;
    }
    wgC_put(g->s, "#version 300 es\n"
                  "precision highp float;\nprecision highp int;\nprecision highp usampler2DArray;\n"
                  "// wgpy native kernel '%s' (GLSL ES 3.00%s): ndim %d, %d inputs, %d params, %d argument words\n"
                  "uniform highp uvec4 wa[%d];\n"
                  "uniform highp uint u_tw, u_th, u_vh, u_layer, u_mode, u_out, u_off, u_npts, u_vbase;\n",
            name, k->native & WG_NATIVE_REDUCE ? ", reduction" : "", k->ndim, k->ninputs, k->nparams,
            nwords, (nwords + 3) / 4);
    if (any_raw) wgC_put(g->s, "uniform highp uint u_inlen[%d];\n", WG_KMAX_IO);
    wgC_put(g->s, "flat in highp uint v_p;\n");
    for (int i = 0; i < k->ninputs; i++) wgC_put(g->s, "uniform highp usampler2DArray t_in%d;\n", i);
    wgC_put(g->s, "layout(location = 0) out highp uvec4 o_color;\n"
                  "uint _wg_arg(uint i) { return wa[i >> 2u][i & 3u]; }\n"
                  "ivec3 texel(uint e) {\n"
                  "  return ivec3(int(e %% u_tw), int((e / u_tw) %% u_th), int(e / (u_tw * u_th)));\n"
                  "}\n"
                  "uint ld(highp usampler2DArray t, int e) { return texelFetch(t, texel(uint(e)), 0).r; }\n");
}

/* type parameters, bound by the dtypes (each letter once) */
static void type_params(wgC_gen *g, const layout *L) {
    const wg_kernel_ir *k = g->k;
    char done[27] = {0};
    for (int i = 0; i <= L->nin; i++) {
        const char *t = i < L->nin ? field(k, L->f_in + 2 * i + 1) : field(k, L->f_out + 1);
        int dt = i < L->nin ? k->input_dtype[i] : k->output_dtype[0];
        if (!is_generic(t) || done[t[0] - 'A']) continue;
        done[t[0] - 'A'] = 1;
        if (is_wgsl(g)) wgC_put(g->s, "alias %s = %s;\n", t, vty(g, dt));
        else wgC_put(g->s, "#define %s %s\n", t, vty(g, dt));
    }
}

/* the uniforms and sizes: WGSL struct cmeta, GLSL globals (set at the start of main) */
static void uniforms_decl(wgC_gen *g, const layout *L) {
    const wg_kernel_ir *k = g->k;
    const char *sizes[2] = {L->reduce ? "_in_ind_size" : "_ind_size", "_out_ind_size"};
    int nsz = L->reduce ? 2 : 1;
    if (is_wgsl(g)) {
        wgC_put(g->s, "struct CMeta {\n");
        for (int q = 0; q < nsz; q++) wgC_put(g->s, "  %s: i32,\n", sizes[q]);
        for (int u = 0; u < L->nuni; u++)
            wgC_put(g->s, "  %s: %s,\n", field(k, L->f_uni + 2 * u), field(k, L->f_uni + 2 * u + 1));
        wgC_put(g->s, "}\nvar<private> cmeta: CMeta;\n");
        return;
    }
    for (int q = 0; q < nsz; q++) wgC_put(g->s, "int %s = 0;\n", sizes[q]);
    for (int u = 0; u < L->nuni; u++) {
        const char *t = field(k, L->f_uni + 2 * u + 1);
        wgC_put(g->s, "%s %s = %s;\n", t, field(k, L->f_uni + 2 * u),
                type_cls(g, t) == 'f' ? "0.0" : type_cls(g, t) == 'u' ? "0u" : "0");
    }
}

static void uniforms_set(wgC_gen *g, const layout *L) {
    const wg_kernel_ir *k = g->k;
    const char *sizes[2] = {L->reduce ? "_in_ind_size" : "_ind_size", "_out_ind_size"};
    int nsz = L->reduce ? 2 : 1;
    char w[WGC_EXPR_MAX];
    if (is_wgsl(g)) {
        wgC_put(g->s, "  cmeta = CMeta(");
        for (int q = 0; q < nsz + L->nuni; q++) {
            int cls = q < nsz ? 'i' : type_cls(g, field(k, L->f_uni + 2 * (q - nsz) + 1));
            param_word(g, w, L->p_size + q, cls);
            wgC_put(g->s, "%s%s", q ? ", " : "", w);
        }
        wgC_put(g->s, ");\n");
        return;
    }
    for (int q = 0; q < nsz + L->nuni; q++) {
        int cls = q < nsz ? 'i' : type_cls(g, field(k, L->f_uni + 2 * (q - nsz) + 1));
        param_word(g, w, L->p_size + q, cls);
        wgC_put(g->s, "  %s = %s;\n", q < nsz ? sizes[q] : field(k, L->f_uni + 2 * (q - nsz)), w);
    }
}

/* the value of input i's word at `o` (an i32 expression), zero outside its buffer */
static void bounded_load(wgC_gen *g, int i, const char *ind) {
    int dt = g->k->input_dtype[i];
    char len[64], val[WGC_EXPR_MAX];
    g->d->raw_len(len, (unsigned)i, 0);
    g->d->load(val, (unsigned)i, wgC_cls(dt), "_wg_o");
    wgC_put(g->s, "%sif (_wg_o < 0 || %s(_wg_o) >= %s) { return %s; }\n%sreturn %s;\n", ind,
            g->d->to_u, len, wgC_zero(vdt(dt)), ind, val);
}

/* raw: name(e) over the array seen as C-contiguous; rawnd: name(i0, i1, ...) */
static void raw_accessor(wgC_gen *g, const layout *L, int i) {
    const wg_kernel_ir *k = g->k;
    const char *name = field(k, L->f_in + 2 * i), *type = field(k, L->f_in + 2 * i + 1);
    int nd = k->native_ndim[i], raw = k->native_kind[i] == WG_NATIVE_RAW;
    const char *I = g->d->ty[1];
    char w[WGC_EXPR_MAX], sh[WGC_EXPR_MAX], nm[24];
    const char *types[WG_MAX_NDIM + 1];
    const char *names[WG_MAX_NDIM + 1];
    char nbuf[WG_MAX_NDIM][16];
    int np = raw ? 1 : nd;
    for (int d = 0; d < np; d++) {
        types[d] = I;
        if (raw) snprintf(nbuf[d], sizeof nbuf[d], "_wg_e");
        else snprintf(nbuf[d], sizeof nbuf[d], "idx%d", d);
        names[d] = nbuf[d];
    }
    /* the word loader, then the accessor in the parameter's type */
    snprintf(nm, sizeof nm, "_wg_ld%d", i);
    const char *oi[1] = {I}, *on[1] = {"_wg_o"};
    wgC_fn_head(g, vty(g, k->input_dtype[i]), nm, 1, oi, on);
    wgC_put(g->s, "\n");
    bounded_load(g, i, "  ");
    wgC_put(g->s, "}\n");
    wgC_fn_head(g, type, name, np, types, names);
    wgC_put(g->s, "\n");
    wgC_xfmt(w, "%s(_wg_arg(%du))", g->d->i_of_u, wgC_w_in(g, i));
    var(g, "  ", I, "_wg_o", w);
    int pst = L->p_raw[i] + (raw ? nd : 0);
    if (raw && nd == 0) wgC_put(g->s, "  _wg_o = _wg_o + _wg_e;\n");
    if (raw && nd > 0) {
        var(g, "  ", I, "_wg_t", "_wg_e");
        for (int d = nd - 1; d > 0; d--) {
            param_word(g, sh, L->p_raw[i] + d, 'i');
            param_word(g, w, pst + d, 'i');
            wgC_put(g->s, "  { let _wg_q = _wg_t / %s; _wg_o = _wg_o + (_wg_t - _wg_q * %s) * %s; _wg_t = _wg_q; }\n",
                    sh, sh, w);
        }
        param_word(g, w, pst, 'i');
        wgC_put(g->s, "  _wg_o = _wg_o + _wg_t * %s;\n", w);
    }
    for (int d = 0; !raw && d < nd; d++) {
        param_word(g, w, pst + d, 'i');
        wgC_put(g->s, "  _wg_o = _wg_o + idx%d * %s;\n", d, w);
    }
    wgC_put(g->s, "  return %s(%s(_wg_o));\n}\n", type, nm);
}

/* replaces WGSL's `let` (used above for brevity) in GLSL */
static void fix_let(wgC_gen *g, size_t from) {
    if (is_wgsl(g) || g->s->oom) return;
    for (char *p = g->s->p + from; (p = strstr(p, "{ let _wg_q")); p += 5) memcpy(p, "{ int", 5);
}

/* The point's indices _wg_i<d> (u32 / uint) from _wg_p; point inputs' words _wg_oin<i>. */
static void point_state(wgC_gen *g, const layout *L) {
    const wg_kernel_ir *k = g->k;
    const char *U = g->d->ty[2], *I = g->d->ty[1];
    char w[WGC_EXPR_MAX], nm[24];
    var(g, "  ", U, "_wg_r", "_wg_p");
    for (int d = k->ndim - 1; d >= 0; d--) {
        snprintf(nm, sizeof nm, "_wg_i%d", d);
        if (d > 0) {
            wgC_xfmt(w, "_wg_r %% _wg_arg(%du)", wgC_w_shape(g, d));
            var(g, "  ", U, nm, w);
            wgC_put(g->s, "  _wg_r = _wg_r / _wg_arg(%du);\n", wgC_w_shape(g, d));
        } else {
            var(g, "  ", U, nm, "_wg_r");
        }
    }
    for (int i = 0; i < L->nin; i++) {
        if (k->native_kind[i] != WG_NATIVE_AT_POINT) continue;
        int wi = wgC_w_in(g, i);
        wgC_put(g->s, "  %s _wg_oin%d = %s(_wg_arg(%du))", is_wgsl(g) ? "var" : I, i, g->d->i_of_u, wi);
        for (int d = 0; d < k->ndim; d++)
            wgC_put(g->s, " + %s(_wg_arg(%du)) * %s(_wg_i%d)", g->d->i_of_u, wi + 1 + d, g->d->to_i, d);
        wgC_put(g->s, ";\n");
    }
}

/* `type name = <input i at word expression o>;` for the point inputs */
static void point_inputs(wgC_gen *g, const layout *L, const char *ind, const char *extra) {
    const wg_kernel_ir *k = g->k;
    char o[WGC_EXPR_MAX], val[WGC_EXPR_MAX];
    for (int i = 0; i < L->nin; i++) {
        if (k->native_kind[i] != WG_NATIVE_AT_POINT) continue;
        wgC_xfmt(o, "_wg_oin%d%s", i, extra ? extra : "");
        if (extra) {
            /* along the reduced dims: + strides (params) * _wg_red<d> */
            char t[WGC_EXPR_MAX], w[64];
            for (int d = 0; d < k->native_nred; d++) {
                param_word(g, w, L->p_rst[i] + d, 'i');
                wgC_xfmt(t, "%s + %s * _wg_red%d", o, w, d);
                memcpy(o, t, sizeof o);
            }
        }
        g->d->load(val, (unsigned)i, wgC_cls(k->input_dtype[i]), o);
        var(g, ind, field(k, L->f_in + 2 * i + 1), field(k, L->f_in + 2 * i), val);
    }
}

/* the body of main after the point's state: the user's code and the store */
static void main_body(wgC_gen *g, const layout *L) {
    const wg_kernel_ir *k = g->k;
    const char *oname = field(k, L->f_out), *otype = field(k, L->f_out + 1);
    int odt = k->output_dtype[0], ovt = vdt(odt);
    char e[WGC_EXPR_MAX], w[WGC_EXPR_MAX];
    var(g, "  ", g->d->ty[1], "i", is_wgsl(g) ? "i32(_wg_p)" : "int(_wg_p)");
    var(g, "  ", otype, oname, wgC_zero(ovt));
    if (!L->reduce) {
        point_inputs(g, L, "  ", NULL);
        wgC_put(g->s, "  {\n%s\n;\n  }\n", field(k, L->f_body));
    } else {
        const char *rt = field(k, L->f_body + 4);
        if (!rt[0]) rt = vty(g, odt);
        char id[WGC_EXPR_MAX];
        const char *ident = field(k, L->f_body + 3);
        wgC_xfmt(id, "%s(%s)", rt, ident[0] ? ident : "0");
        var(g, "  ", rt, "a", id);
        if (is_wgsl(g)) wgC_put(g->s, "  var b: %s;\n", rt);
        else wgC_put(g->s, "  %s b;\n", rt);
        int nr = k->native_nred;
        for (int d = 0; d < nr; d++) {
            param_word(g, w, L->p_ext + d, 'i');
            if (is_wgsl(g))
                wgC_put(g->s, "%*sfor (var _wg_red%d: i32 = 0; _wg_red%d < %s; _wg_red%d = _wg_red%d + 1) {\n",
                        2 + 2 * d, "", d, d, w, d, d);
            else
                wgC_put(g->s, "%*sfor (int _wg_red%d = 0; _wg_red%d < %s; _wg_red%d++) {\n", 2 + 2 * d, "",
                        d, d, w, d);
        }
        char ind[2 * WG_MAX_NDIM + 8];
        snprintf(ind, sizeof ind, "%*s", 2 + 2 * nr, "");
        point_inputs(g, L, ind, "");
        wgC_put(g->s, "%sb = (%s);\n%sa = (%s);\n", ind, field(k, L->f_body), ind, field(k, L->f_body + 1));
        for (int d = nr - 1; d >= 0; d--) wgC_put(g->s, "%*s}\n", 2 + 2 * d, "");
        wgC_put(g->s, "  {\n%s\n;\n  }\n", field(k, L->f_body + 2));
    }
    /* the output's word: the variable's value as the output dtype */
    /* (the api layer binds the output's dtype to the class of its declared type) */
    wgC_cast(g->d, e, oname, ovt, odt);
    if (is_wgsl(g)) {
        char t[WGC_EXPR_MAX];
        if (wgC_cls(odt) == 'b') wgC_xfmt(t, "select(0u, 1u, %s)", e);
        else wgC_xfmt(t, "%s", e);
        wgC_put(g->s, "  let _wg_w = %s(_wg_arg(%du))", g->d->i_of_u, wgC_w_out(g, 0));
        for (int d = 0; d < k->ndim; d++)
            wgC_put(g->s, " + %s(_wg_arg(%du)) * i32(_wg_i%d)", g->d->i_of_u, wgC_w_out(g, 0) + 1 + d, d);
        wgC_put(g->s, ";\n  b_out0[_wg_w] = %s;\n", t);
    } else {
        switch (wgC_cls(odt)) {
        case 'b': wgC_xfmt(w, "(%s ? 1u : 0u)", e); break;
        case 'i': wgC_xfmt(w, "uint(%s)", e); break;
        case 'u': wgC_xfmt(w, "%s", e); break;
        default: wgC_xfmt(w, "floatBitsToUint(%s)", e); break;
        }
        wgC_put(g->s, "  o_color = uvec4(%s, 0u, 0u, 0u);\n", w);
    }
}

int wgC_native(wgC_gen *g) {
    const wg_kernel_ir *k = g->k;
    int lang = k->native & WG_NATIVE_LANG;
    int mine = is_wgsl(g) ? WG_NATIVE_WGSL : WG_NATIVE_GLSL;
    if (lang != mine)
        return g->err = wgB_error(g->ctx, WG_ERR_NOTIMPL,
                                  "%s '%s' is written in %s, which the %s backend cannot run (it runs on "
                                  "the %s backend; the %s backend needs %s)",
                                  k->native & WG_NATIVE_REDUCE ? "ReductionKernel" : "ElementwiseKernel",
                                  field(k, 0), lang == WG_NATIVE_WGSL ? "WGSL" : "GLSL ES 3.00",
                                  g->d->backend, lang == WG_NATIVE_WGSL ? "webgpu" : "webgl2",
                                  g->d->backend, is_wgsl(g) ? "WGSL" : "GLSL ES 3.00");
    layout L;
    if (make_layout(g, &L)) return g->err;
    for (int i = 0; i < L.nin; i++)
        if (k->native_kind[i] > WG_NATIVE_RAWND || k->native_ndim[i] > WG_MAX_NDIM)
            return wgC_fail(g, WG_ERR_INTERNAL, "a native kernel's input kind", 0);
    int any_raw = 0;
    for (int i = 0; i < L.nin; i++) any_raw |= k->native_kind[i] != WG_NATIVE_AT_POINT;
    header(g, any_raw);
    type_params(g, &L);
    uniforms_decl(g, &L);
    wgC_put(g->s, "// preamble\n%s\n// end of the preamble\n", field(k, L.f_pre));
    size_t from = g->s->len;
    for (int i = 0; i < L.nin; i++)
        if (k->native_kind[i] != WG_NATIVE_AT_POINT) raw_accessor(g, &L, i);
    fix_let(g, from);
    if (is_wgsl(g)) {
        wgC_put(g->s, "@compute @workgroup_size(%d)\nfn main(@builtin(global_invocation_id) _wg_gid: vec3<u32>) {\n"
                      "  let _wg_p = _wg_gid.x + _wg_gid.y * _wg_arg(2u);\n  if (_wg_p >= _wg_arg(0u)) { return; }\n",
                WGC_WGSL_WORKGROUP);
    } else {
        /* the fragment's point (contiguous mode: its word less u_off; discarded outside the range) */
        wgC_put(g->s, "void main() {\n"
                      "  uint _wg_p = u_mode != 0u ? v_p : u_layer * u_tw * u_th + uint(gl_FragCoord.y) * u_tw + "
                      "uint(gl_FragCoord.x) - u_off;\n"
                      "  if (u_mode == 0u && _wg_p >= u_npts) { discard; }\n");
    }
    uniforms_set(g, &L);
    point_state(g, &L);
    main_body(g, &L);
    wgC_put(g->s, "}\n");
    return g->err;
}
