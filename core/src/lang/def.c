/* def — a parsed kernel: the parameter lists (CuPy's `[raw] type name`), the sources parsed once,
 * and the binding of placeholder types at a call (CuPy's _decide_params_type). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang_int.h"

static int numpy_dtype(const char *s, int len) {
    /* CuPy takes numpy.dtype(name) and requires name == dtype.name: only the canonical names */
    for (int dt = 0; dt <= WG_FLOAT64; dt++) { /* kernels are real-only (docs/complex.md) */
        const char *n = wgD_name(dt);
        if ((int)strlen(n) == len && !memcmp(n, s, (size_t)len)) return dt;
    }
    return -1;
}

static int param_error(wgK_def *d, const char *what, const char *text, int len) {
    d->P.failed = 1;
    return wgB_error(d->P.ctx, WG_ERR_COMPILE, "%s: %s: `%.*s`", d->name, what, len > 80 ? 80 : len, text);
}

/* One list of "[raw] type name" items, comma separated. */
static int parse_param_list(wgK_def *d, const char *text, int is_out) {
    wgK_toks toks = {0};
    int rc = wgK_lex(&d->P, text, WGK_SRC_PARAMS, &toks);
    int i = 0;
    while (rc == WG_OK && toks.v[i].kind != TK_EOF) {
        const wgK_tok *w[3];
        int nw = 0;
        while (toks.v[i].kind != TK_EOF && !(toks.v[i].kind == TK_PUNCT && toks.v[i].punct == ',')) {
            if (nw == 3 || toks.v[i].kind != TK_IDENT) {
                rc = param_error(d, "bad parameter", toks.v[i].text, toks.v[i].len);
                break;
            }
            w[nw++] = &toks.v[i++];
        }
        if (rc != WG_OK) break;
        if (toks.v[i].kind == TK_PUNCT) {
            i++;
            if (toks.v[i].kind == TK_EOF) {  /* "T x," */
                rc = param_error(d, "bad parameter", toks.v[i - 1].text, 1);
                break;
            }
        }
        int raw = nw == 3 && wgK_tok_is(w[0], "raw");
        if (nw != 2 + raw) {
            const wgK_tok *t = nw ? w[0] : &toks.v[i > 0 ? i - 1 : 0];
            rc = param_error(d, "bad parameter", t->text, nw ? (int)(w[nw - 1]->text + w[nw - 1]->len - t->text) : t->len);
            break;
        }
        const wgK_tok *ty = w[raw], *nm = w[raw + 1];
        if (d->nparams >= WGK_MAX_PARAMS) { rc = param_error(d, "too many parameters", nm->text, nm->len); break; }
        if (nm->len >= WGK_NAME_MAX || ty->len >= WGK_NAME_MAX) { rc = param_error(d, "name too long", nm->text, nm->len); break; }
        if (wgK_tok_is(nm, "i") || (nm->len > 4 && !memcmp(nm->text, "_raw", 4)) ||
            wgK_tok_is(nm, "_ind") || wgK_tok_is(nm, "_j")) { rc = param_error(d, "reserved parameter name", nm->text, nm->len); break; }
        for (int q = 0; q < d->nparams; q++)
            if ((int)strlen(d->params[q].name) == nm->len && !memcmp(d->params[q].name, nm->text, (size_t)nm->len))
                rc = param_error(d, "duplicate parameter name", nm->text, nm->len);
        if (rc != WG_OK) break;
        wgK_param *p = &d->params[d->nparams++];
        memset(p, 0, sizeof *p);
        memcpy(p->name, nm->text, (size_t)nm->len);
        p->is_out = is_out;
        p->is_raw = raw;
        p->dtype = ty->len == 1 ? -1 : numpy_dtype(ty->text, ty->len);
        if (ty->len == 1) p->placeholder = ty->text[0];
        else if (p->dtype < 0) { rc = param_error(d, "unknown type", ty->text, ty->len); break; }
    }
    wgK_toks_free(&toks);
    return rc;
}

static void parser_cfg(const wgK_def *d, wgK_parser_cfg *cfg) {
    static char letters[256][2];
    cfg->ntypes = 0;
    for (int i = 0; i < d->nparams; i++)
        if (d->params[i].dtype < 0) {
            unsigned char c = (unsigned char)d->params[i].placeholder;
            letters[c][0] = (char)c;  /* constant table: each entry is its own letter */
            letters[c][1] = 0;
            cfg->types[cfg->ntypes++] = letters[c];
        }
}

static int prepare(wgK_def *d, const char *const *texts, const int *srcs, int ntexts) {
    /* Macros defined in the preamble apply to the later texts: lex everything into the arena,
     * then preprocess in order with one macro table. */
    int rc = WG_OK;
    for (int k = 0; k < ntexts && rc == WG_OK; k++) {
        size_t n = strlen(texts[k] ? texts[k] : "");
        char *copy = wgK_alloc(&d->P, n + 1);
        if (!copy) return WG_ERR_MEMORY;
        memcpy(copy, texts[k] ? texts[k] : "", n);
        wgK_toks raw = {0};
        rc = wgK_lex(&d->P, copy, srcs[k], &raw);
        wgK_tok *keep = NULL;
        if (rc == WG_OK && (keep = wgK_alloc(&d->P, sizeof *keep * (size_t)raw.n)) == NULL)
            rc = WG_ERR_MEMORY;
        if (rc == WG_OK) {
            memcpy(keep, raw.v, sizeof *keep * (size_t)raw.n);
            wgK_toks kept = {keep, raw.n, raw.n};
            rc = wgK_pp(&d->P, &d->macros, &kept, &d->toks[srcs[k]]);
        }
        wgK_toks_free(&raw);
    }
    return rc;
}

static wgK_def *new_def(wg_context *ctx, const char *name, int kind) {
    wgK_def *d = wgB_calloc(ctx, 1, sizeof *d);
    if (!d) return NULL;
    d->P.ctx = ctx;
    d->kind = kind;
    snprintf(d->name, sizeof d->name, "%s", name && name[0] ? name : "kernel");
    d->P.name = d->name;
    d->reduce_type_dtype = -1;
    return d;
}

static int finish(wgK_def *d, int rc, wgK_def **out) {
    if (rc != WG_OK) {
        if (!wgB_failed(d->P.ctx)) wgB_error(d->P.ctx, rc, "%s: kernel definition failed", d->name);
        rc = wg_last_status(d->P.ctx);
        wgK_free(d);
        *out = NULL;
        return rc;
    }
    *out = d;
    return WG_OK;
}

static int parse_common(wgK_def *d, const char *in_params, const char *out_params) {
    int rc = parse_param_list(d, in_params ? in_params : "", 0);
    d->nin = d->nparams;
    if (rc == WG_OK) rc = parse_param_list(d, out_params ? out_params : "", 1);
    return rc;
}

static int parse_preamble(wgK_def *d, const wgK_parser_cfg *cfg) {
    return wgK_parse_preamble(&d->P, cfg, &d->toks[WGK_SRC_PREAMBLE], d->funcs, WGK_MAX_FUNCS,
                              &d->nfuncs);
}

int wgK_parse_elementwise(wg_context *ctx, const char *in_params, const char *out_params,
                          const char *operation, const char *name, const char *preamble,
                          const char *loop_prep, const char *after_loop, wgK_def **out) {
    wgK_def *d = new_def(ctx, name, WGK_ELEMENTWISE);
    if (!d) return *out = NULL, WG_ERR_MEMORY;
    int rc = parse_common(d, in_params, out_params);
    if (rc == WG_OK && after_loop && after_loop[0])
        rc = wgB_error(ctx, WG_ERR_NOTIMPL, "%s: after_loop is not supported", d->name);
    /* loop_prep runs once per thread in CuPy; here once per point before the operation */
    const char *texts[3] = {preamble, loop_prep, operation};
    const int srcs[3] = {WGK_SRC_PREAMBLE, WGK_SRC_LOOP_PREP, WGK_SRC_OPERATION};
    if (rc == WG_OK) rc = prepare(d, texts, srcs, 3);
    wgK_parser_cfg cfg;
    parser_cfg(d, &cfg);
    if (rc == WG_OK) rc = parse_preamble(d, &cfg);
    wgK_node *prep = NULL;
    if (rc == WG_OK) rc = wgK_parse_stmts(&d->P, &cfg, &d->toks[WGK_SRC_LOOP_PREP], &prep);
    if (rc == WG_OK) rc = wgK_parse_stmts(&d->P, &cfg, &d->toks[WGK_SRC_OPERATION], &d->body);
    if (rc == WG_OK && prep->a) {
        wgK_node *s = prep->a;
        while (s->next) s = s->next;
        s->next = d->body->a;
        d->body->a = prep->a;
    }
    return finish(d, rc, out);
}

static int parse_one_expr(wgK_def *d, const wgK_parser_cfg *cfg, int src, wgK_node **out) {
    if (d->toks[src].n <= 1) {
        *out = NULL;
        return wgB_error(d->P.ctx, WG_ERR_COMPILE, "%s: empty %s", d->name, wgK_src_name(src));
    }
    return wgK_parse_expr(&d->P, cfg, &d->toks[src], out);
}

int wgK_parse_reduction(wg_context *ctx, const char *in_params, const char *out_params,
                        const char *map_expr, const char *reduce_expr, const char *post_map_expr,
                        const char *identity, const char *name, const char *reduce_type,
                        const char *preamble, wgK_def **out) {
    wgK_def *d = new_def(ctx, name, WGK_REDUCTION);
    if (!d) return *out = NULL, WG_ERR_MEMORY;
    int rc = parse_common(d, in_params, out_params);
    const char *texts[5] = {preamble, map_expr, reduce_expr, post_map_expr, identity};
    const int srcs[5] = {WGK_SRC_PREAMBLE, WGK_SRC_MAP, WGK_SRC_REDUCE, WGK_SRC_POST,
                         WGK_SRC_IDENTITY};
    if (rc == WG_OK) rc = prepare(d, texts, srcs, 5);
    wgK_parser_cfg cfg;
    parser_cfg(d, &cfg);
    if (rc == WG_OK) rc = parse_preamble(d, &cfg);
    if (rc == WG_OK) rc = parse_one_expr(d, &cfg, WGK_SRC_MAP, &d->body);
    if (rc == WG_OK) rc = parse_one_expr(d, &cfg, WGK_SRC_REDUCE, &d->reduce);
    if (rc == WG_OK) rc = parse_one_expr(d, &cfg, WGK_SRC_POST, &d->post);
    /* identity=None: the fold starts from its first value */
    if (rc == WG_OK && d->toks[WGK_SRC_IDENTITY].n > 1)
        rc = parse_one_expr(d, &cfg, WGK_SRC_IDENTITY, &d->identity);
    if (rc == WG_OK && reduce_type && reduce_type[0]) {
        size_t n = strlen(reduce_type);
        int dt = wgK_builtin_type(reduce_type, (int)n);
        if (dt < 0 && n == 1) {
            int found = 0;
            for (int i = 0; i < d->nparams; i++)
                if (d->params[i].dtype < 0 && d->params[i].placeholder == reduce_type[0]) found = 1;
            if (!found) rc = wgB_error(ctx, WG_ERR_COMPILE, "%s: unknown reduce_type: `%s`", d->name, reduce_type);
            else d->reduce_type_dtype = -2 - (unsigned char)reduce_type[0];
        } else if (dt < 0) {
            rc = wgB_error(ctx, WG_ERR_COMPILE, "%s: unknown reduce_type: `%.40s`", d->name, reduce_type);
        } else d->reduce_type_dtype = dt;
    }
    if (rc == WG_OK && d->nparams - d->nin != 1)
        rc = wgB_error(ctx, WG_ERR_NOTIMPL, "%s: a ReductionKernel with %d outputs is not supported",
                       d->name, d->nparams - d->nin);
    return finish(d, rc, out);
}

void wgK_free(wgK_def *d) {
    if (!d) return;
    for (int i = 0; i < WGK_NSRC; i++) wgK_toks_free(&d->toks[i]);
    wgK_macros_free(d->macros);
    wgK_arena_free(d->P.arena);
    wgB_free(d);
}

int wgK_kind(const wgK_def *d) { return d->kind; }
const char *wgK_name(const wgK_def *d) { return d->name; }
int wgK_nparams(const wgK_def *d) { return d->nparams; }
int wgK_nin(const wgK_def *d) { return d->nin; }
const wgK_param *wgK_param_at(const wgK_def *d, int i) {
    return i >= 0 && i < d->nparams ? &d->params[i] : NULL;
}

/* ---- binding (CuPy's _decide_params_type_core) ---- */

static int bind_one(wg_context *ctx, const wgK_def *d, int i, int dtype, int *bound) {
    const wgK_param *p = &d->params[i];
    if (p->dtype >= 0) {
        if (dtype != p->dtype)
            return wgB_error(ctx, WG_ERR_TYPE, "Type is mismatched. %s %s %s", p->name,
                             wgD_name(dtype), wgD_name(p->dtype));
        return WG_OK;
    }
    int *b = &bound[(unsigned char)p->placeholder];
    if (*b >= 0 && *b != dtype)
        return wgB_error(ctx, WG_ERR_TYPE, "Type is mismatched. %s %s %s %c", p->name,
                         wgD_name(dtype), wgD_name(*b), p->placeholder);
    *b = dtype;
    return WG_OK;
}

int wgK_bind(wg_context *ctx, const wgK_def *d, int nargs, const int *kind, const int *dtype,
             int *param_dtype) {
    int nout = d->nparams - d->nin;
    if (nargs != d->nin && nargs != d->nparams)
        return wgB_error(ctx, WG_ERR_TYPE, "Wrong number of arguments for %s", d->name);
    int bound[256];
    for (int c = 0; c < 256; c++) bound[c] = -1;
    for (int j = 0; j < nout && nargs == d->nparams; j++) {
        int i = d->nin + j;
        if (kind[i] != WGK_ARG_ARRAY)
            return wgB_error(ctx, WG_ERR_TYPE, "Output arguments must be cupy.ndarray");
        int rc = bind_one(ctx, d, i, dtype[i], bound);
        if (rc != WG_OK) return rc;
    }
    for (int i = 0; i < d->nin; i++) {
        if (kind[i] == WGK_ARG_NONE)
            return wgB_error(ctx, WG_ERR_TYPE, "Argument %s of %s is None", d->params[i].name, d->name);
        /* only arrays bind (CuPy's in_ndarray_types: None for every scalar, numpy's too);
         * a scalar is cast to its parameter's type */
        if (kind[i] == WGK_ARG_PY_SCALAR || kind[i] == WGK_ARG_NUMPY_SCALAR) continue;
        int rc = bind_one(ctx, d, i, dtype[i], bound);
        if (rc != WG_OK) return rc;
    }
    /* scalars decide a placeholder only when nothing else did */
    for (int i = 0; i < d->nin; i++) {
        const wgK_param *p = &d->params[i];
        if (kind[i] != WGK_ARG_ARRAY && p->dtype < 0 && bound[(unsigned char)p->placeholder] < 0)
            bound[(unsigned char)p->placeholder] = dtype[i];
    }
    for (int i = 0; i < d->nparams; i++) {
        const wgK_param *p = &d->params[i];
        param_dtype[i] = p->dtype >= 0 ? p->dtype : bound[(unsigned char)p->placeholder];
        if (param_dtype[i] < 0)
            return wgB_error(ctx, WG_ERR_TYPE, "Cannot determine the type of %s (placeholder %c) of %s",
                             p->name, p->placeholder, d->name);
    }
    return WG_OK;
}

/* ---- RawKernel / RawModule (docs/kernels.md, "RawKernel and RawModule") ---- */

const wgK_raw *wgK_raw_info(const wgK_def *d) { return d->kind == WGK_RAW ? &d->raw : NULL; }

/* `threadIdx . x` -> one identifier token "threadIdx.x" (before macro expansion, so that a
 * #define may use them); the lowering computes it (wgK_def.raw_geom). */
static const char *const geom_names[13] = {
    "threadIdx.x", "threadIdx.y", "threadIdx.z", "blockIdx.x", "blockIdx.y", "blockIdx.z",
    "blockDim.x", "blockDim.y", "blockDim.z", "gridDim.x", "gridDim.y", "gridDim.z", "warpSize"};
static const char *const geom_exprs[13] = {
    "(__wg_t % __wg_bx)", "((__wg_t / __wg_bx) % __wg_by)", "(__wg_t / (__wg_bx * __wg_by))",
    "(__wg_sb % __wg_gx)", "((__wg_sb / __wg_gx) % __wg_gy)", "(__wg_sb / (__wg_gx * __wg_gy))",
    "__wg_bx", "__wg_by", "__wg_bz", "__wg_gx", "__wg_gy", "__wg_gz", "32"};
static const char *const geom_params[WGK_RAW_NGEOM] = {
    "__wg_P", "__wg_nt", "__wg_bx", "__wg_by", "__wg_bz", "__wg_gx", "__wg_gy", "__wg_gz"};

static int merge_geometry(wgK_pctx *P, const wgK_toks *in, wgK_toks *out) {
    int rc = WG_OK;
    for (int i = 0; i < in->n && rc == WG_OK; i++) {
        const wgK_tok *t = &in->v[i];
        if (t->kind == TK_IDENT && i + 2 < in->n && in->v[i + 1].kind == TK_PUNCT &&
            in->v[i + 1].punct == '.' && in->v[i + 2].kind == TK_IDENT && in->v[i + 2].len == 1) {
            for (int g = 0; g < 12; g++) {
                const char *nm = geom_names[g];
                int base = (int)(strchr(nm, '.') - nm);
                if (t->len == base && !memcmp(t->text, nm, (size_t)base) &&
                    in->v[i + 2].text[0] == nm[base + 1]) {
                    wgK_tok m = *t;
                    m.text = nm;
                    m.len = (int)strlen(nm);
                    rc = wgK_toks_push(P, out, &m);
                    i += 2;
                    t = NULL;
                    break;
                }
            }
            if (!t) continue;
        }
        rc = wgK_toks_push(P, out, t);
    }
    return rc;
}

/* Lex a fixed text of the front end (the prologue, the geometry) and parse it. */
static int parse_fixed(wgK_def *d, const char *text, int is_expr, wgK_node **out) {
    wgK_toks raw = {0};
    int rc = wgK_lex(&d->P, text, WGK_SRC_LOOP_PREP, &raw);
    wgK_tok *keep = NULL;
    if (rc == WG_OK && (keep = wgK_alloc(&d->P, sizeof *keep * (size_t)raw.n)) == NULL)
        rc = WG_ERR_MEMORY;
    if (rc == WG_OK) {
        memcpy(keep, raw.v, sizeof *keep * (size_t)raw.n);
        wgK_toks kept = {keep, raw.n, raw.n};
        wgK_parser_cfg cfg = {0};
        rc = is_expr ? wgK_parse_expr(&d->P, &cfg, &kept, out) : wgK_parse_stmts(&d->P, &cfg, &kept, out);
    }
    wgK_toks_free(&raw);
    return rc;
}

static int resolve_param_type(wgK_def *d, const wgK_func *f, const wgK_type *ty);

/* A template value parameter of the kernel (`int N` of `name<float, 128>`). */
static int template_value(void *arg, const wgK_tok *t, int64_t *v) {
    const wgK_def *d = arg;
    const wgK_func *f = d->raw_func;
    for (int i = 0; f && i < f->ntparams; i++)
        if (f->tvalue_dt[i] >= 0 && f->tparams[i]->len == t->len &&
            !memcmp(f->tparams[i]->text, t->text, (size_t)t->len)) {
            *v = d->raw_tval[i];
            return 1;
        }
    return 0;
}

typedef struct {
    wgK_def *d;
    int natomic;
    const wgK_tok *atomic[64];   /* arrays named as &a[...] in an atomic call */
    int overflow;
} raw_scan;

static int is_atomic_call(const wgK_node *n) {
    static const char *const names[] = {"atomicAdd", "atomicSub", "atomicMax", "atomicMin",
                                        "atomicCAS", "atomicExch", "atomicAnd", "atomicOr",
                                        "atomicXor", "atomicInc", "atomicDec", NULL};
    for (int i = 0; names[i]; i++)
        if (wgK_tok_is(n->tok, names[i])) return 1;
    return 0;
}

/* Visits every node of a statement list (the AST's heights are bounded by the parser). */
static void scan_nodes(raw_scan *S, const wgK_node *n, int pass, int depth) {
    for (; n; n = n->next) {
        if (depth > 2000) return;
        if (n->kind == N_CALL) {
            if (wgK_tok_is(n->tok, "__syncthreads") || wgK_tok_is(n->tok, "__wg_barrier"))
                S->d->raw.uses_sync = 1;
            if (wgK_is_warp_exchange(n->tok)) {  /* warp.c: barriers, and a workgroup array for
                                                   * __shfl*_sync, __ballot_sync... */
                S->d->raw.uses_sync = 1;
                if (wgK_is_warp_exchange(n->tok) == 1) S->d->raw.uses_warp = S->d->raw.wg_arrays = 1;
            }
            if (pass == 0 && is_atomic_call(n) && n->b && n->b->kind == N_ADDR) {
                const wgK_node *b = n->b->a;
                while (b && b->kind == N_INDEX) b = b->a;
                if (b && b->kind == N_IDENT) {
                    if (S->natomic < 64) S->atomic[S->natomic++] = b->tok;
                    else S->overflow = 1;
                }
            }
        }
        if (pass == 1 && n->kind == N_DECL && n->type.is_shared) {
            wgK_def *d = S->d;
            wgK_raw *R = &d->raw;
            wgK_node *decl = (wgK_node *)n;  /* the def's own AST (arena) */
            R->nshared++;
            if (n->dim_exprs) {  /* dimensions that name the kernel's template values */
                int64_t total = 1, v = 0;
                int k = 0, ok = 1;
                for (const wgK_node *e = n->dim_exprs; e && k < WGK_MAX_SHARED_RANK; e = e->next, k++) {
                    ok = ok && wgK_const_eval(e, template_value, d, &v) && v >= 1 && v <= WGK_MAX_SHARED_LEN;
                    if (ok) decl->dims[k] = (int)v, total *= v;
                    if (total > WGK_MAX_SHARED_LEN) ok = 0;
                }
                decl->array_len = ok ? (int)total : -3;  /* -3: the lowering refuses it */
                decl->dim_exprs = NULL;
            }
            int dt = d->raw_func ? resolve_param_type(d, d->raw_func, &n->type) : n->type.dtype;
            /* an array an atomic updates is a workgroup array of atomics (SHARED_ATOMIC ops);
             * WGPY_RAW_SHARED_SCRATCH=1 keeps it a storage scratch (an hidden raw output), as
             * before workgroup atomics: bench/ and the tests compare the two */
            const char *env = getenv("WGPY_RAW_SHARED_SCRATCH");
            int scratch = env && env[0] == '1' && S->overflow;
            for (int a = 0; a < S->natomic && env && env[0] == '1'; a++)
                if (S->atomic[a]->len == n->tok->len &&
                    !memcmp(S->atomic[a]->text, n->tok->text, (size_t)n->tok->len))
                    scratch = 1;
            if (n->type.is_extern && !R->dynamic) {
                R->dynamic = 1;
                R->dynamic_dtype = dt >= 0 ? dt : WG_FLOAT32;
            }
            if (!n->type.is_extern && n->array_len != 0 && dt >= 0)  /* (-1: a scalar) */
                R->static_bytes += (int64_t)(n->array_len < 0 ? 1 : n->array_len) * (int64_t)wgD_size(dt);
            if (scratch && dt >= 0 && R->nscratch < WG_KMAX_SHARED && d->nparams < WGK_MAX_PARAMS) {
                wgK_param *p = &d->params[d->nparams];
                memset(p, 0, sizeof *p);
                snprintf(p->name, sizeof p->name, "__wg_scr%d", R->nscratch);
                p->is_out = p->is_raw = 1;
                p->dtype = dt;
                R->scratch_param[R->nscratch] = d->nparams++;
                R->scratch_len[R->nscratch] = n->type.is_extern ? 0 : n->array_len < 0 ? 1 : n->array_len;
                decl->scratch = ++R->nscratch;
            } else if (!scratch) {
                R->wg_arrays = 1;
            }
        }
        if (n->a) scan_nodes(S, n->a, pass, depth + 1);
        if (n->b) scan_nodes(S, n->b, pass, depth + 1);
        if (n->c) scan_nodes(S, n->c, pass, depth + 1);
        if (n->d) scan_nodes(S, n->d, pass, depth + 1);
    }
}

/* name<T1, T2...>: the template arguments of a RawModule's name expression (types, or integers
 * for the function's value parameters). */
static int template_args(wgK_def *d, const wgK_func *f, const char *name, int *ntargs) {
    const char *lt = strchr(name, '<');
    *ntargs = 0;
    if (!lt) return WG_OK;
    wgK_toks t = {0};
    int rc = wgK_lex(&d->P, lt + 1, WGK_SRC_PARAMS, &t), pos = 0;
    for (;;) {
        if (rc != WG_OK) break;
        if (*ntargs >= 8) {
            rc = wgB_error(d->P.ctx, WG_ERR_VALUE, "bad name expression '%s'", name);
            break;
        }
        if (*ntargs < f->ntparams && f->tvalue_dt[*ntargs] >= 0) {  /* an integer: `128`, `-1` */
            int neg = pos < t.n && t.v[pos].kind == TK_PUNCT && t.v[pos].punct == '-';
            const wgK_tok *it = &t.v[pos + neg < t.n ? pos + neg : t.n - 1];
            if (it->kind != TK_INT) {
                rc = wgB_error(d->P.ctx, WG_ERR_VALUE, "%s: template argument %d must be an integer", name, *ntargs + 1);
                break;
            }
            int64_t v = (int64_t)strtoll(it->text, NULL, 0);
            d->raw_tval[*ntargs] = neg ? -v : v;
            d->raw_tdt[*ntargs] = f->tvalue_dt[*ntargs];
            (*ntargs)++;
            pos += neg + 1;
        } else {
            wgK_type ty;
            if ((rc = wgK_parse_type_at(&d->P, &t, &pos, &ty)) != WG_OK) break;
            if (ty.dtype < 0 || ty.is_ptr || ty.is_ref) {
                rc = wgB_error(d->P.ctx, WG_ERR_NOTIMPL, "%s: template arguments must be numeric types or integers", name);
                break;
            }
            d->raw_tdt[(*ntargs)++] = ty.dtype;
        }
        const wgK_tok *sep = &t.v[pos < t.n ? pos : t.n - 1];
        pos++;
        if (sep->kind == TK_PUNCT && sep->punct == ',') continue;
        if (sep->kind == TK_PUNCT && sep->punct == '>' && t.v[pos < t.n ? pos : t.n - 1].kind == TK_EOF) break;
        rc = wgB_error(d->P.ctx, WG_ERR_VALUE, "bad name expression '%s'", name);
    }
    wgK_toks_free(&t);
    return rc;
}

static int resolve_param_type(wgK_def *d, const wgK_func *f, const wgK_type *ty) {
    if (ty->dtype >= 0 || !ty->name) return ty->dtype;
    for (int i = 0; i < f->ntparams; i++)
        if (f->tvalue_dt[i] < 0)
        if (f->tparams[i]->len == ty->name->len &&
            !memcmp(f->tparams[i]->text, ty->name->text, (size_t)ty->name->len))
            return d->raw_tdt[i];
    return -1;
}

/* A __constant__ initialiser's element: a number, `-`/`+` of one, a cast of one, or + - * / of
 * two (the #define'd names are expanded already); 0 when it is none of them. */
static int const_number(const wgK_node *n, double *f, int64_t *i, int depth) {
    double fa, fb;
    int64_t ia, ib;
    if (!n || depth > 64) return 0;
    switch (n->kind) {
    case N_INT: *i = n->ival, *f = (double)n->ival; return 1;
    case N_FLOAT: *f = n->fval, *i = (int64_t)n->fval; return 1;
    case N_BOOL: *i = n->ival, *f = (double)n->ival; return 1;
    case N_CAST: return const_number(n->a, f, i, depth + 1);
    case N_UNARY:
        if (!const_number(n->a, f, i, depth + 1)) return 0;
        if (n->op == '-') *f = -*f, *i = (int64_t)(0 - (uint64_t)*i);
        else if (n->op != '+') return 0;
        return 1;
    case N_BINARY:
        if (!const_number(n->a, &fa, &ia, depth + 1) || !const_number(n->b, &fb, &ib, depth + 1)) return 0;
        if (n->op == '+') *f = fa + fb, *i = (int64_t)((uint64_t)ia + (uint64_t)ib);
        else if (n->op == '-') *f = fa - fb, *i = (int64_t)((uint64_t)ia - (uint64_t)ib);
        else if (n->op == '*') *f = fa * fb, *i = (int64_t)((uint64_t)ia * (uint64_t)ib);
        else if (n->op == '/' && ib != 0 && !(ia == INT64_MIN && ib == -1)) *f = fa / fb, *i = ia / ib;
        else return 0;
        return 1;
    default: return 0;
    }
}

/* The module's `__constant__` variables: each a hidden raw input named __wg_c<k> (a RawKernel
 * reads it as a `const T*`; wgK_raw.const_name maps the source's name to it) and its values. */
static int const_params(wgK_def *d) {
    wgK_raw *R = &d->raw;
    for (int q = 0; q < d->nfuncs; q++) {
        if (!d->funcs[q].is_constant) continue;
        for (const wgK_node *n = d->funcs[q].body->a; n; n = n->next) {
            if (R->nconst >= WGK_RAW_MAX_CONST || d->nparams >= WGK_MAX_PARAMS)
                return wgK_err_at(&d->P, WG_ERR_NOTIMPL, n->tok, "too many __constant__ variables");
            if (n->tok->len >= WGK_NAME_MAX) return wgK_err_at(&d->P, WG_ERR_COMPILE, n->tok, "name too long");
            int dt = n->type.dtype;
            if (dt < 0 || n->type.name)
                return wgK_err_at(&d->P, WG_ERR_NOTIMPL, n->tok, "a __constant__ variable needs a built-in type");
            const wgK_node *init = n->a;
            int64_t len = n->array_len < 0 ? 1 : n->array_len ? n->array_len : (init && init->kind == N_INIT_LIST ? init->ival : 0);
            if (len < 1) return wgK_err_at(&d->P, WG_ERR_COMPILE, n->tok, "a __constant__ array needs a length");
            if (init && (n->array_len < 0) == (init->kind == N_INIT_LIST))
                return wgK_err_at(&d->P, WG_ERR_COMPILE, n->tok, n->array_len < 0 ? "a scalar needs a value, not a list"
                                                                                 : "an array needs a brace initialiser");
            if (init && init->kind == N_INIT_LIST && init->ival > len)
                return wgK_err_at(&d->P, WG_ERR_COMPILE, n->tok, "too many initialisers");
            int k = R->nconst;
            double *fv = wgK_alloc(&d->P, (size_t)len * sizeof(double));
            int64_t *iv = fv ? wgK_alloc(&d->P, (size_t)len * sizeof(int64_t)) : NULL;
            if (!iv) return WG_ERR_MEMORY;
            const wgK_node *e = init && init->kind == N_INIT_LIST ? init->a : init;
            for (int64_t j = 0; e && j < len; j++, e = init->kind == N_INIT_LIST ? e->next : NULL)
                if (!const_number(e, &fv[j], &iv[j], 0))
                    return wgK_err_at(&d->P, WG_ERR_NOTIMPL, e->tok, "a __constant__ initialiser must be a constant number");
            wgK_param *p = &d->params[d->nparams];
            memset(p, 0, sizeof *p);
            snprintf(p->name, sizeof p->name, "__wg_c%d", k);
            p->is_raw = 1;
            p->dtype = wgD_canonical(dt, wg_get_x64(d->P.ctx));  /* double: float32 with x64 off */
            memcpy(R->const_name[k], n->tok->text, (size_t)n->tok->len);
            R->const_name[k][n->tok->len] = 0;
            R->const_param[k] = d->nparams++;
            R->const_scalar[k] = n->array_len < 0;
            R->const_len[k] = len;
            R->const_f[k] = fv;
            R->const_i[k] = iv;
            R->nconst++;
            d->nin++;
        }
    }
    return WG_OK;
}

static int raw_params(wgK_def *d, const wgK_func *f, const char *name) {
    wgK_raw *R = &d->raw;
    int ntargs = 0;
    int rc = template_args(d, f, name, &ntargs);
    if (rc != WG_OK) return rc;
    if (ntargs != f->ntparams) {
        if (!f->ntparams)
            return wgB_error(d->P.ctx, WG_ERR_VALUE, "%s: %.*s is not a template", name, f->name->len, f->name->text);
        return wgB_error(d->P.ctx, WG_ERR_NOTIMPL, "%s: a template __global__ function is launched "
                         "by a name expression with its %d template arguments (RawModule's "
                         "name_expressions, e.g. '%.*s<float>')", name, f->ntparams, f->name->len, f->name->text);
    }
    if (f->nparams + WGK_RAW_NGEOM > WGK_MAX_PARAMS)
        return wgK_err_at(&d->P, WG_ERR_NOTIMPL, f->name, "too many parameters");
    R->nargs = f->nparams;
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 1) {  /* the launch geometry, after the ins */
            d->nin = d->nparams + WGK_RAW_NGEOM;
            R->geom_param = d->nparams;
            for (int g = 0; g < WGK_RAW_NGEOM; g++) {
                wgK_param *p = &d->params[d->nparams++];
                memset(p, 0, sizeof *p);
                snprintf(p->name, sizeof p->name, "%s", geom_params[g]);
                p->dtype = WG_UINT32;
            }
            rc = const_params(d);  /* the module's __constant__ variables, inputs too */
            if (rc != WG_OK) return rc;
            continue;
        }
        for (int k = 0; k < f->nparams; k++) {
            const wgK_type *ty = &f->ptype[k];
            const wgK_tok *nm = f->pname[k];
            int is_out = ty->is_ptr && !ty->is_const;
            if ((pass == 2) != is_out) continue;
            if (ty->is_ref || ty->ptr_depth > 1 || (ty->is_void && ty->is_ptr))
                return wgK_err_at(&d->P, WG_ERR_NOTIMPL, nm, "only scalar and pointer (T*) parameters are supported");
            int dt = resolve_param_type(d, f, ty);
            if (dt < 0 || ty->is_void)
                return wgK_err_at(&d->P, WG_ERR_COMPILE, nm, "unknown parameter type");
            if (nm->len >= WGK_NAME_MAX)
                return wgK_err_at(&d->P, WG_ERR_COMPILE, nm, "name too long");
            for (int q = 0; q < d->nparams; q++)
                if ((int)strlen(d->params[q].name) == nm->len &&
                    !memcmp(d->params[q].name, nm->text, (size_t)nm->len))
                    return wgK_err_at(&d->P, WG_ERR_COMPILE, nm, "duplicate parameter name");
            wgK_param *p = &d->params[d->nparams];
            memset(p, 0, sizeof *p);
            memcpy(p->name, nm->text, (size_t)nm->len);
            p->is_out = is_out;
            p->is_raw = ty->is_ptr;
            p->dtype = dt;
            R->arg_param[k] = d->nparams++;
            R->arg_ptr[k] = ty->is_ptr;
        }
    }
    return WG_OK;
}

int wgK_parse_raw(wg_context *ctx, const char *code, const char *name, const char *msg_name,
                  wgK_def **out) {
    wgK_def *d = new_def(ctx, msg_name && msg_name[0] ? msg_name : name, WGK_RAW);
    if (!d) return *out = NULL, WG_ERR_MEMORY;
    d->P.raw = 1;
    size_t n = strlen(code ? code : "");
    char *copy = wgK_alloc(&d->P, n + 1);
    int rc = copy ? WG_OK : WG_ERR_MEMORY;
    wgK_toks lexed = {0}, merged = {0};
    if (rc == WG_OK) {
        memcpy(copy, code ? code : "", n);
        rc = wgK_lex(&d->P, copy, WGK_SRC_OPERATION, &lexed);
    }
    if (rc == WG_OK) rc = merge_geometry(&d->P, &lexed, &merged);
    wgK_tok *keep = NULL;
    if (rc == WG_OK && (keep = wgK_alloc(&d->P, sizeof *keep * (size_t)merged.n)) == NULL)
        rc = WG_ERR_MEMORY;
    if (rc == WG_OK) {
        /* NVRTC's predefined macros (a source may test them) */
        static const char predefined[] = "#define __CUDACC__ 1\n#define __CUDACC_RTC__ 1\n"
                                         "#define __CUDA_ARCH__ 700\n";
        wgK_toks pre = {0}, none = {0};
        rc = wgK_lex(&d->P, predefined, WGK_SRC_LOOP_PREP, &pre);
        wgK_tok *pk = rc == WG_OK ? wgK_alloc(&d->P, sizeof *pk * (size_t)pre.n) : NULL;
        if (rc == WG_OK && !pk) rc = WG_ERR_MEMORY;
        if (rc == WG_OK) {
            memcpy(pk, pre.v, sizeof *pk * (size_t)pre.n);
            wgK_toks kept = {pk, pre.n, pre.n};
            rc = wgK_pp(&d->P, &d->macros, &kept, &none);
        }
        wgK_toks_free(&pre);
        wgK_toks_free(&none);
    }
    if (rc == WG_OK) {
        memcpy(keep, merged.v, sizeof *keep * (size_t)merged.n);
        wgK_toks kept = {keep, merged.n, merged.n};
        rc = wgK_pp(&d->P, &d->macros, &kept, &d->toks[WGK_SRC_OPERATION]);
    }
    wgK_toks_free(&lexed);
    wgK_toks_free(&merged);
    wgK_parser_cfg cfg = {0};
    if (rc == WG_OK)
        rc = wgK_parse_module(&d->P, &cfg, &d->toks[WGK_SRC_OPERATION], d->funcs, WGK_MAX_FUNCS,
                              &d->nfuncs);
    const wgK_func *f = NULL;
    for (int i = 0; rc == WG_OK && i < d->nfuncs; i++) {
        const wgK_func *g = &d->funcs[i];
        if (!g->is_global) continue;
        if (g->name->len >= WGK_NAME_MAX) {
            rc = wgK_err_at(&d->P, WG_ERR_COMPILE, g->name, "name too long");
            break;
        }
        if (d->raw.nglobals < WGK_RAW_MAX_GLOBALS) {
            memcpy(d->raw.globals[d->raw.nglobals], g->name->text, (size_t)g->name->len);
            d->raw.nglobals++;
        }
        if (name && g->name->len == (int)strcspn(name, " <") && !memcmp(g->name->text, name, (size_t)g->name->len))
            f = g;
    }
    /* the module alone (no function named): its __constant__ variables' names, types and
     * values, for the module's arrays of them (RawModule.get_global) */
    if (rc == WG_OK && !name) rc = const_params(d);
    if (rc == WG_OK && name) {
        if (!f)
            rc = wgB_error(ctx, WG_ERR_VALUE, "RawKernel: no __global__ function named '%s' in the source", name);
        if (rc == WG_OK && f->ret.dtype >= 0)
            rc = wgK_err_at(&d->P, WG_ERR_COMPILE, f->name, "a __global__ function returns void");
        if (rc == WG_OK) rc = raw_params(d, f, name);
        if (rc == WG_OK) {
            d->body = f->body;
            d->raw_func = f;
            /* the kernel's and its __device__ helpers' __syncthreads(), __shared__ declarations
             * and atomics (the other __global__ functions are not part of it) */
            raw_scan S = {d, 0, {0}, 0};
            for (int pass = 0; pass < 2; pass++)
                for (int i = 0; i < d->nfuncs; i++)
                    if (&d->funcs[i] == f || !d->funcs[i].is_global) scan_nodes(&S, d->funcs[i].body, pass, 0);
        }
        if (rc == WG_OK)
            rc = parse_fixed(d, "const unsigned int __wg_t = (unsigned int)(__wg_i % __wg_P); "
                                "const unsigned int __wg_sb = (unsigned int)(__wg_i / __wg_P);",
                             0, &d->raw_prep);
        if (rc == WG_OK) rc = parse_fixed(d, "if (__wg_t >= __wg_nt) return;", 0, &d->raw_pad);
        for (int g = 0; g < 13 && rc == WG_OK; g++)
            rc = parse_fixed(d, geom_exprs[g], 1, &d->raw_geom[g]);
    }
    return finish(d, rc, out);
}

/* The geometry builtin a token names (merge_geometry's), or -1. */
int wgK_raw_builtin(const wgK_tok *t) {
    for (int g = 0; g < 13; g++)
        if (t->text == geom_names[g] || wgK_tok_is(t, geom_names[g])) return g;
    return -1;
}
