/* Public API: the seed's native kernels — the published wgpy's ElementwiseKernel and
 * ReductionKernel, whose bodies are WGSL (webgpu) or GLSL ES 3.00 (webgl2) text
 * (docs/kernels.md, "The seed's native kernels").
 *
 * The parameter lists are parsed once, in the published syntax: `[raw|rawnd] <type> <name>` with
 * the language's types (f32 i32 u32 bool / float int uint bool) or a type parameter (one capital
 * letter), one output `<type> <name>`, uniforms `<type> <name>`.  A call binds the types, and
 * builds a native kernel IR (ir.h): no instructions, the body text and the parameters' names and
 * kinds, which codegen (codegen/native.c) turns into the backend's source.  The kernel cache keys
 * it like any IR (the text is part of the hash), and it is dispatched at once, one point per
 * output element, after the pending writes it reads or overwrites (as user kernels are:
 * api/ukernel.c).  Only the backend of the body's language can run it: every other refuses with
 * NotImplementedError naming the kernel and the backend, before any work. */
#include "api.h"
#include "../array/array.h"
#include "../graph/graph.h"
#include "../layout/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NK_NAME 64

typedef struct nparam {
    char name[NK_NAME];
    char type[8];   /* as written: "f32", "T", ... */
    int kind;       /* WG_NATIVE_AT_POINT / RAW / RAWND (inputs) */
} nparam;

struct wg_nkernel {
    int lang, reduce;
    int nin, nuni;
    nparam in[WG_KMAX_IO - 1];
    nparam out;
    nparam uni[WG_KMAX_PARAMS];
    char *text;         /* the IR's native_text */
    uint32_t text_len;
    char name[NK_NAME];
};

static const char *lang_name(int lang) { return lang == WG_NATIVE_WGSL ? "WGSL" : "GLSL ES 3.00"; }
static const char *kind_name(const wg_nkernel *k) {
    return k->reduce ? "ReductionKernel" : "ElementwiseKernel";
}

/* the dtype of a concrete type, or -1 (a type parameter), or -2 (unknown) */
static int type_dtype(int lang, const char *t) {
    static const char *const w[4] = {"bool", "i32", "u32", "f32"};
    static const char *const c[4] = {"bool", "int", "uint", "float"};
    static const int dt[4] = {WG_BOOL, WG_INT32, WG_UINT32, WG_FLOAT32};
    for (int q = 0; q < 4; q++)
        if (!strcmp(t, lang == WG_NATIVE_WGSL ? w[q] : c[q])) return dt[q];
    if (t[0] >= 'A' && t[0] <= 'Z' && !t[1]) return -1;
    return -2;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_ident(char c, int first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && ((c >= '0' && c <= '9') || c == '_'));
}

/* one word of [p, end): skips spaces; 0 when none */
static int word(const char **p, const char *end, char *out, size_t n) {
    while (*p < end && is_space(**p)) (*p)++;
    const char *s = *p;
    while (*p < end && !is_space(**p)) (*p)++;
    size_t len = (size_t)(*p - s);
    if (!len || len >= n) return 0;
    memcpy(out, s, len);
    out[len] = 0;
    return 1;
}

/* "[raw|rawnd] type name" (modifiers only when allow_raw); uniforms allow no bool */
static int parse_one(wg_context *ctx, int lang, const char *what, const char *all, const char *s,
                     const char *end, nparam *p, int allow_raw, int uniform) {
    char w[3][NK_NAME];
    int n = 0;
    const char *q = s;
    while (n < 3 && word(&q, end, w[n], sizeof w[n])) n++;
    char extra[4];
    if (n == 3 ? word(&q, end, extra, sizeof extra) : 0) n = 4;
    memset(p, 0, sizeof *p);
    if (n == 3 && allow_raw && (!strcmp(w[0], "raw") || !strcmp(w[0], "rawnd"))) {
        p->kind = !strcmp(w[0], "raw") ? WG_NATIVE_RAW : WG_NATIVE_RAWND;
        memmove(w[0], w[1], sizeof w[0]);
        memmove(w[1], w[2], sizeof w[1]);
        n = 2;
    }
    int dt = n == 2 ? type_dtype(lang, w[0]) : -2;
    if (n != 2 || dt == -2 || (uniform && dt < 0) || (uniform && dt == WG_BOOL) || !is_ident(w[1][0], 1) ||
        strlen(w[0]) >= sizeof p->type)
        return wgB_error(ctx, WG_ERR_VALUE, "syntax error in %s: '%s' (%s types: %s)", what, all,
                         lang_name(lang),
                         uniform ? (lang == WG_NATIVE_WGSL ? "f32, i32, u32" : "float, int, uint")
                                 : (lang == WG_NATIVE_WGSL ? "f32, i32, u32, bool or a type parameter T"
                                                           : "float, int, uint, bool or a type parameter T"));
    for (const char *c = w[1]; *c; c++)
        if (!is_ident(*c, 0))
            return wgB_error(ctx, WG_ERR_VALUE, "syntax error in %s: '%s' (bad name '%s')", what, all, w[1]);
    if (!strncmp(w[1], "_wg", 3))
        return wgB_error(ctx, WG_ERR_VALUE, "%s: the name '%s' is reserved (names starting with _wg)", what, w[1]);
    snprintf(p->name, sizeof p->name, "%s", w[1]);
    memcpy(p->type, w[0], strlen(w[0]) + 1); /* checked to fit above */
    return WG_OK;
}

/* a comma-separated list; returns the count or an error (< 0) */
static int parse_list(wg_context *ctx, int lang, const char *what, const char *s, nparam *ps, int max,
                      int allow_raw, int uniform) {
    if (!s) s = "";
    const char *p = s;
    while (*p && is_space(*p)) p++;
    if (!*p) return 0;
    int n = 0;
    for (const char *a = s;;) {
        const char *b = strchr(a, ',');
        const char *e = b ? b : a + strlen(a);
        if (n == max) return wgB_error(ctx, WG_ERR_VALUE, "%s: more than %d parameters", what, max);
        int st = parse_one(ctx, lang, what, s, a, e, &ps[n], allow_raw, uniform);
        if (st) return st;
        n++;
        if (!b) break;
        a = b + 1;
    }
    return n;
}

static int append(char **buf, size_t *len, size_t *cap, const char *s) {
    size_t n = strlen(s) + 1;
    if (*len + n > *cap) {
        size_t nc = (*len + n) * 2;
        char *nb = realloc(*buf, nc);
        if (!nb) return 0;
        *buf = nb;
        *cap = nc;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    return 1;
}

static int build(wg_context *ctx, int lang, int reduce, const char *in_params, const char *out_params,
                 const char *const *body, int nbody, const char *name, const char *uniforms,
                 const char *preamble, wg_nkernel **out) {
    *out = NULL;
    wg_clear_error(ctx);
    if (lang != WG_NATIVE_WGSL && lang != WG_NATIVE_GLSL)
        return wgB_error(ctx, WG_ERR_VALUE, "native kernel: unknown language %d", lang);
    wg_nkernel *k = wgB_calloc(ctx, 1, sizeof *k);
    if (!k) return WG_ERR_MEMORY;
    k->lang = lang;
    k->reduce = reduce;
    snprintf(k->name, sizeof k->name, "%s", name && name[0] ? name : "kernel");
    int st = WG_OK, n;
    if ((n = parse_list(ctx, lang, "in_params", in_params, k->in, WG_KMAX_IO - 1, 1, 0)) < 0) st = n;
    else k->nin = n;
    nparam outs[2];
    if (!st && (n = parse_list(ctx, lang, "out_params", out_params, outs, 2, 0, 0)) < 0) st = n;
    else if (!st && n != 1)
        st = wgB_error(ctx, WG_ERR_VALUE, "out_params: one output parameter is supported ('%s')",
                       out_params ? out_params : "");
    else if (!st) k->out = outs[0];
    if (!st && (n = parse_list(ctx, lang, "uniforms", uniforms, k->uni, WG_KMAX_PARAMS, 0, 1)) < 0) st = n;
    else if (!st) k->nuni = n;
    /* the IR's text (ir.h): name; inputs' names and types; the output's; uniforms'; body; preamble */
    char *t = NULL;
    size_t len = 0, cap = 0;
    int ok = !st;
    if (ok) ok = append(&t, &len, &cap, k->name);
    for (int i = 0; ok && i < k->nin; i++)
        ok = append(&t, &len, &cap, k->in[i].name) && append(&t, &len, &cap, k->in[i].type);
    if (ok) ok = append(&t, &len, &cap, k->out.name) && append(&t, &len, &cap, k->out.type);
    for (int u = 0; ok && u < k->nuni; u++)
        ok = append(&t, &len, &cap, k->uni[u].name) && append(&t, &len, &cap, k->uni[u].type);
    for (int b = 0; ok && b < nbody; b++) ok = append(&t, &len, &cap, body[b] ? body[b] : "");
    if (ok) ok = append(&t, &len, &cap, preamble ? preamble : "");
    if (!st && !ok) st = wgB_error(ctx, WG_ERR_MEMORY, "native kernel: out of memory");
    if (!st) {
        k->text = wgB_malloc(ctx, len);
        if (!k->text) st = WG_ERR_MEMORY;
        else {
            memcpy(k->text, t, len);
            k->text_len = (uint32_t)len;
        }
    }
    free(t);
    if (st) {
        wgB_free(k->text);
        wgB_free(k);
        return st;
    }
    *out = k;
    return WG_OK;
}

int wg_nkernel_elementwise(wg_context *ctx, int lang, const char *in_params, const char *out_params,
                           const char *operation, const char *name, const char *uniforms,
                           const char *preamble, wg_nkernel **out) {
    const char *body[1] = {operation};
    return build(ctx, lang, 0, in_params, out_params, body, 1, name, uniforms, preamble, out);
}

int wg_nkernel_reduction(wg_context *ctx, int lang, const char *in_params, const char *out_params,
                         const char *map_expr, const char *reduce_expr, const char *post_map_expr,
                         const char *identity, const char *name, const char *reduce_type,
                         const char *uniforms, const char *preamble, wg_nkernel **out) {
    const char *body[5] = {map_expr, reduce_expr, post_map_expr, identity, reduce_type};
    return build(ctx, lang, 1, in_params, out_params, body, 5, name, uniforms, preamble, out);
}

void wg_nkernel_free(wg_nkernel *k) {
    if (!k) return;
    wgB_free(k->text);
    wgB_free(k);
}

int wg_nkernel_nin(const wg_nkernel *k) { return k->nin; }
int wg_nkernel_nuniforms(const wg_nkernel *k) { return k->nuni; }
const char *wg_nkernel_uniform(const wg_nkernel *k, int i) {
    return i >= 0 && i < k->nuni ? k->uni[i].name : NULL;
}

/* ---- a call ------------------------------------------------------------------------------------ */
typedef struct ncall {
    const wg_nkernel *k;
    wg_array *arr[WG_KMAX_IO];      /* inputs (retained), then the output */
    int bound[26];                  /* type parameter -> dtype + 1 */
    int ndim;
    int64_t shape[WG_MAX_NDIM];     /* the broadcast shape of the point inputs */
} ncall;

static void ncall_free(ncall *c) {
    for (int i = 0; i < WG_KMAX_IO; i++)
        if (c->arr[i]) wg_release(c->arr[i]);
}

/* The backend must be the one of the body's language. */
static int check_backend(wg_context *ctx, const wg_nkernel *k) {
    const char *want = k->lang == WG_NATIVE_WGSL ? "webgpu" : "webgl2";
    const char *have = ctx->backend ? ctx->backend->name : "?";
    if (!strcmp(want, have)) return WG_OK;
    return wgB_error(ctx, WG_ERR_NOTIMPL, "%s '%s' is written in %s, which the %s backend cannot run "
                     "(it runs on the %s backend)", kind_name(k), k->name, lang_name(k->lang), have, want);
}

/* the dtype a parameter of type t takes for an argument of dtype have (binding type parameters) */
static int param_dtype(wg_context *ctx, ncall *c, const nparam *p, int have, int *want) {
    int dt = type_dtype(c->k->lang, p->type);
    if (dt >= 0) {
        *want = dt;
        return WG_OK;
    }
    int slot = p->type[0] - 'A';
    have = wgD_canonical(have, ctx->x64);
    if (!c->bound[slot]) c->bound[slot] = have + 1;
    else if (c->bound[slot] != have + 1)
        return wgB_error(ctx, WG_ERR_TYPE, "%s: type parameter %s is bound to %s and %s ('%s')", c->k->name,
                         p->type, wg_dtype_name(c->bound[slot] - 1), wg_dtype_name(have), p->name);
    *want = have;
    return WG_OK;
}

/* same class as the parameter's concrete type: used as is (int8 for i32: the words hold it) */
static int same_class(int a, int b) {
    int ca = a == WG_BOOL ? 0 : a <= WG_INT64 ? 1 : a <= WG_UINT64 ? 2 : 3;
    int cb = b == WG_BOOL ? 0 : b <= WG_INT64 ? 1 : b <= WG_UINT64 ? 2 : 3;
    return ca == cb && a != WG_INT64 && a != WG_UINT64 && a != WG_FLOAT64 && a != WG_FLOAT16;
}

static int bind_inputs(wg_context *ctx, ncall *c, int nargs, wg_array *const *args) {
    const wg_nkernel *k = c->k;
    for (int i = 0; i < k->nin; i++) {
        wg_array *a = args[i];
        if (!a) return wgB_error(ctx, WG_ERR_TYPE, "%s: argument %d is missing", k->name, i);
        int want, st = param_dtype(ctx, c, &k->in[i], a->dtype, &want);
        if (st) return st;
        int concrete = type_dtype(k->lang, k->in[i].type) >= 0;
        if (a->buf && (concrete ? same_class(a->dtype, want) : a->dtype == want)) {
            wg_retain(a);
            c->arr[i] = a;
            continue;
        }
        /* another class: cast as NumPy's same_kind allows; a scalar: its value as that dtype */
        wg_array *use;
        if (a->buf) use = wg_astype(ctx, a, want, WG_CAST_SAME_KIND, 1);
        else {
            int from = a->weak == WG_WEAK_NONE ? a->dtype
                       : a->weak == WG_WEAK_BOOL ? WG_BOOL
                       : a->weak == WG_WEAK_INT ? (a->value_unsigned ? WG_UINT64 : WG_INT64)
                                                : WG_FLOAT64;
            use = wgA_scalar(ctx, want, WG_WEAK_NONE, wgD_convert(a->value, from, want), 0);
        }
        if (!use) return wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
        c->arr[i] = use;
        if (!use->buf && (st = wgP_ensure_buffer(ctx, use))) return st;
    }
    (void)nargs;
    return WG_OK;
}

static int point_shape(wg_context *ctx, ncall *c) {
    const wg_layout *ls[WG_KMAX_IO];
    int n = 0;
    for (int i = 0; i < c->k->nin; i++)
        if (c->k->in[i].kind == WG_NATIVE_AT_POINT) ls[n++] = &c->arr[i]->lay;
    if (!n) {
        c->ndim = 0;
        return WG_OK;
    }
    return wgL_broadcast_shapes(ctx, n, ls, &c->ndim, c->shape);
}

/* the output: given (its shape must be out_shape; its dtype binds or matches), or allocated */
static int bind_output(wg_context *ctx, ncall *c, wg_array *given, int ndim, const int64_t *shape) {
    const wg_nkernel *k = c->k;
    int odt = type_dtype(k->lang, k->out.type);
    if (given) {
        if (given->lay.ndim != ndim || memcmp(given->lay.shape, shape, sizeof(int64_t) * (size_t)ndim))
            return wgB_error(ctx, WG_ERR_VALUE, "%s: Out shape is mismatched (output '%s')", k->name, k->out.name);
        if (!given->buf || !given->writeable)
            return wgB_error(ctx, WG_ERR_VALUE, "%s: output '%s' must be a writeable array", k->name, k->out.name);
        int want, st = param_dtype(ctx, c, &k->out, given->dtype, &want);
        if (st) return st;
        if (odt >= 0 ? !same_class(given->dtype, odt) : given->dtype != want)
            return wgB_error(ctx, WG_ERR_TYPE, "%s: output '%s' is %s, its parameter %s", k->name, k->out.name,
                             wg_dtype_name(given->dtype), k->out.type);
        wg_retain(given);
        c->arr[k->nin] = given;
        return WG_OK;
    }
    if (odt < 0) {
        int b = c->bound[k->out.type[0] - 'A'];
        if (!b)
            return wgB_error(ctx, WG_ERR_TYPE, "%s: the output type %s is not bound by any input (pass the "
                             "output array)", k->name, k->out.type);
        odt = b - 1;
    }
    int st = wgP_check_dtype(ctx, odt);
    if (st) return st;
    wg_array *a = wgA_new_contiguous(ctx, odt, ndim, shape);
    if (!a) return wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
    c->arr[k->nin] = a;
    return WG_OK;
}

/* strides of a over the dims dims[0..n) of a broadcast space of rank nd (right-aligned) */
static void bstrides(const wg_array *a, int nd, const int *dims, int n, int64_t *out) {
    int off = nd - a->lay.ndim;
    for (int q = 0; q < n; q++) {
        int j = dims[q] - off;
        out[q] = j >= 0 && a->lay.shape[j] != 1 ? a->lay.strides[j] : 0;
    }
}

static int add_param(wg_context *ctx, const wg_nkernel *k, wg_kernel_ir *ir, wg_kernel_args *args, int dt,
                     wg_value v) {
    if (ir->nparams == WG_KMAX_PARAMS)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "%s: more than %d kernel parameters (raw inputs' shapes and "
                         "strides, reduced dims, sizes and uniforms)", k->name, WG_KMAX_PARAMS);
    ir->param_dtype[ir->nparams] = (uint8_t)dt;
    args->params[ir->nparams++] = v;
    return WG_OK;
}

static int add_int(wg_context *ctx, const wg_nkernel *k, wg_kernel_ir *ir, wg_kernel_args *args, int64_t x) {
    if (x > INT32_MAX || x < INT32_MIN)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "%s: a size or stride beyond 32 bits", k->name);
    wg_value v = {.i = x};
    return add_param(ctx, k, ir, args, WG_INT32, v);
}

/* kept: the point dims (nk of them, over the broadcast space of rank c->ndim); red: reduced */
static int run(wg_context *ctx, ncall *c, const double *uniforms, int nk, const int *kept, int nr,
               const int *red, const int *out_dims) {
    const wg_nkernel *k = c->k;
    wg_kernel_ir ir;
    memset(&ir, 0, sizeof ir);
    wg_kernel_args *args = wgG_args_take(ctx);
    if (!args) return WG_ERR_MEMORY;
    ir.kind = WG_K_ELEMENTWISE;
    ir.ndim = nk;
    ir.ninputs = k->nin;
    ir.noutputs = 1;
    ir.native = k->lang | (k->reduce ? WG_NATIVE_REDUCE : 0);
    ir.native_nred = nr;
    ir.native_nuni = k->nuni;
    ir.native_text = k->text;
    ir.native_len = k->text_len;
    int64_t points = 1, in_points = 1;
    for (int q = 0; q < nk; q++) {
        args->shape[q] = c->shape[kept[q]];
        points *= args->shape[q];
    }
    for (int d = 0; d < c->ndim; d++) in_points *= c->shape[d];
    int st = WG_OK;
    for (int i = 0; i < k->nin && !st; i++) {
        wg_array *a = c->arr[i];
        ir.input_dtype[i] = (uint8_t)a->dtype;
        ir.native_kind[i] = (uint8_t)k->in[i].kind;
        ir.native_ndim[i] = (uint8_t)(k->in[i].kind == WG_NATIVE_AT_POINT ? 0 : a->lay.ndim);
        args->in[i].buf = a->buf;
        args->in[i].offset = a->lay.offset;
        if (k->in[i].kind == WG_NATIVE_AT_POINT) bstrides(a, c->ndim, kept, nk, args->in[i].strides);
        if (k->in[i].kind == WG_NATIVE_RAW)
            for (int d = 0; d < a->lay.ndim && !st; d++) st = add_int(ctx, k, &ir, args, a->lay.shape[d]);
        for (int d = 0; k->in[i].kind != WG_NATIVE_AT_POINT && d < a->lay.ndim && !st; d++)
            st = add_int(ctx, k, &ir, args, a->lay.strides[d]);
    }
    if (k->reduce) {
        for (int q = 0; q < nr && !st; q++) st = add_int(ctx, k, &ir, args, c->shape[red[q]]);
        for (int i = 0; i < k->nin && !st; i++) {
            if (k->in[i].kind != WG_NATIVE_AT_POINT) continue;
            int64_t rs[WG_MAX_NDIM];
            bstrides(c->arr[i], c->ndim, red, nr, rs);
            for (int q = 0; q < nr && !st; q++) st = add_int(ctx, k, &ir, args, rs[q]);
        }
        if (!st) st = add_int(ctx, k, &ir, args, in_points);
    }
    if (!st) st = add_int(ctx, k, &ir, args, points); /* _ind_size / _out_ind_size */
    for (int u = 0; u < k->nuni && !st; u++) {
        int dt = type_dtype(k->lang, k->uni[u].type);
        double x = uniforms ? uniforms[u] : 0.0;
        wg_value v;
        if (dt == WG_FLOAT32) v.f = x;
        else if (dt == WG_INT32) v.i = (int64_t)x;
        else v.u = (uint64_t)(int64_t)x;
        st = add_param(ctx, k, &ir, args, dt, v);
    }
    wg_array *o = c->arr[k->nin];
    ir.output_dtype[0] = (uint8_t)o->dtype;
    args->out[0].buf = o->buf;
    args->out[0].offset = o->lay.offset;
    for (int q = 0; q < nk; q++) {
        int jd = out_dims[q];
        args->out[0].strides[q] = o->lay.shape[jd] == 1 ? 0 : o->lay.strides[jd];
    }
    /* what it reads runs first, and so does what reads (or writes) what it writes */
    for (int i = 0; i < k->nin && !st; i++) st = wgG_execute(ctx, args->in[i].buf);
    if (!st && !(st = wgG_flush_readers(ctx, o->buf))) st = wgG_execute(ctx, o->buf);
    for (int i = 0; i < k->nin && !st; i++)
        if (args->in[i].buf->failed)
            st = wgB_error(ctx, args->in[i].buf->failed, "%s: an input failed to compute earlier", k->name);
    if (!st && points > 0) st = wgG_dispatch(ctx, &ir, args);
    o->buf->version++;
    if (st && !o->buf->failed) o->buf->failed = st;
    wgG_args_give(ctx, args);
    return st;
}

static int begin(wg_context *ctx, ncall *c, const wg_nkernel *k, int nargs) {
    memset(c, 0, sizeof *c);
    wg_clear_error(ctx);
    c->k = k;
    if (nargs != k->nin && nargs != k->nin + 1)
        return wgB_error(ctx, WG_ERR_TYPE, "Wrong number of arguments for '%s': %d given, %d inputs "
                         "(optionally followed by the output) expected", k->name, nargs, k->nin);
    return check_backend(ctx, k);
}

static int finish(ncall *c, int st, wg_array **out) {
    if (!st) {
        *out = c->arr[c->k->nin];
        c->arr[c->k->nin] = NULL;
    }
    ncall_free(c);
    return st;
}

int wg_nkernel_launch(wg_context *ctx, wg_nkernel *k, int nargs, wg_array *const *args,
                      const double *uniforms, wg_array **out) {
    ncall c;
    *out = NULL;
    int st = begin(ctx, &c, k, nargs);
    if (!st && k->reduce) st = wgB_error(ctx, WG_ERR_TYPE, "'%s' is a reduction kernel", k->name);
    if (!st) st = bind_inputs(ctx, &c, nargs, args);
    if (!st) st = point_shape(ctx, &c);
    if (!st) st = bind_output(ctx, &c, nargs > k->nin ? args[k->nin] : NULL, c.ndim, c.shape);
    int dims[WG_MAX_NDIM];
    for (int d = 0; d < WG_MAX_NDIM; d++) dims[d] = d;
    if (!st) st = run(ctx, &c, uniforms, c.ndim, dims, 0, NULL, dims);
    return finish(&c, st, out);
}

int wg_nkernel_reduce(wg_context *ctx, wg_nkernel *k, int nargs, wg_array *const *args,
                      const double *uniforms, int naxes, const int64_t *axes, int keepdims, wg_array **out) {
    ncall c;
    *out = NULL;
    int st = begin(ctx, &c, k, nargs);
    if (!st && !k->reduce) st = wgB_error(ctx, WG_ERR_TYPE, "'%s' is an elementwise kernel", k->name);
    if (!st) st = bind_inputs(ctx, &c, nargs, args);
    if (!st) st = point_shape(ctx, &c);
    int64_t mask = 0;
    if (!st) st = wgL_axes_mask(ctx, naxes, axes, c.ndim, &mask);
    int kept[WG_MAX_NDIM], red[WG_MAX_NDIM], odims[WG_MAX_NDIM], nk = 0, nr = 0, ond = 0;
    int64_t oshape[WG_MAX_NDIM];
    for (int d = 0; d < c.ndim && !st; d++) {
        if ((mask >> d) & 1) {
            red[nr++] = d;
            if (keepdims) oshape[ond++] = 1;
        } else {
            odims[nk] = ond;
            kept[nk++] = d;
            oshape[ond++] = c.shape[d];
        }
    }
    if (!st) st = bind_output(ctx, &c, nargs > k->nin ? args[k->nin] : NULL, ond, oshape);
    if (!st) st = run(ctx, &c, uniforms, nk, kept, nr, red, odims);
    return finish(&c, st, out);
}
