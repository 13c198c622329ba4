/* def — a parsed kernel: the parameter lists (CuPy's `[raw] type name`), the sources parsed once,
 * and the binding of placeholder types at a call (CuPy's _decide_params_type). */
#include <stdio.h>
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
        if (kind[i] == WGK_ARG_PY_SCALAR) continue;
        if (kind[i] == WGK_ARG_NUMPY_SCALAR && d->params[i].dtype >= 0) continue;  /* cast */
        int rc = bind_one(ctx, d, i, dtype[i], bound);
        if (rc != WG_OK) return rc;
    }
    /* Python scalars decide a placeholder only when nothing else did */
    for (int i = 0; i < d->nin; i++) {
        const wgK_param *p = &d->params[i];
        if (kind[i] == WGK_ARG_PY_SCALAR && p->dtype < 0 && bound[(unsigned char)p->placeholder] < 0)
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
