/* pp — the part of the C preprocessor kernel sources use: #define (object- and function-like,
 * one line, as Python delivers backslash-continued macros), #undef, #pragma (ignored).  Expansion
 * works on tokens; a macro is not re-expanded inside its own expansion, and depth and output size
 * are capped so that a hostile source cannot blow up. */
#include <stdlib.h>
#include <string.h>

#include "lang_int.h"

#define MAX_MACROS 256
#define MAX_MACRO_PARAMS 16

typedef struct {
    const wgK_tok *name;
    int fn, nparams, active;
    const wgK_tok *params[MAX_MACRO_PARAMS];
    const wgK_tok *body;  /* tokens in the caller's list (kept alive by the def) */
    int nbody;
} macro;

#define MAX_COND 32

struct wgK_macros {
    int n;
    macro m[MAX_MACROS];
    /* #if/#ifdef/#ifndef nesting: each level is active or not, and whether a branch was taken */
    int ncond;
    unsigned char cond_active[MAX_COND], cond_taken[MAX_COND], cond_else[MAX_COND];
};

static int cond_live(const wgK_macros *M) {
    for (int i = 0; i < M->ncond; i++)
        if (!M->cond_active[i]) return 0;
    return 1;
}

void wgK_macros_free(wgK_macros *m) { wgB_free(m); }

static int same_name(const wgK_tok *a, const wgK_tok *b) {
    return a->len == b->len && !memcmp(a->text, b->text, (size_t)a->len);
}

static macro *find(wgK_macros *M, const wgK_tok *t) {
    if (t->kind != TK_IDENT) return NULL;
    for (int i = M->n - 1; i >= 0; i--)
        if (same_name(M->m[i].name, t)) return &M->m[i];
    return NULL;
}

static int expand(wgK_pctx *P, wgK_macros *M, const wgK_tok *in, int n, wgK_toks *out, int depth);

/* The arguments of a call at in[*pos] == '(' : ranges [start[k], end[k]). */
static int collect_args(wgK_pctx *P, const wgK_tok *in, int n, int *pos, int *start, int *end,
                        int *nargs, const wgK_tok *at) {
    int level = 0, k = 0, i = *pos + 1;
    start[0] = i;
    for (; i < n; i++) {
        int p = in[i].kind == TK_PUNCT ? in[i].punct : 0;
        if (p == '(') level++;
        else if (p == ')' && level > 0) level--;
        else if ((p == ')' || p == ',') && level == 0) {
            if (k >= MAX_MACRO_PARAMS)
                return wgK_err_at(P, WG_ERR_COMPILE, at, "too many macro arguments");
            end[k++] = i;
            if (p == ')') break;
            start[k] = i + 1;
        }
    }
    if (i >= n) return wgK_err_at(P, WG_ERR_COMPILE, at, "unterminated macro call");
    if (k == 1 && end[0] == start[0]) k = 0;  /* M() */
    *nargs = k;
    *pos = i;
    return WG_OK;
}

static int expand_fn(wgK_pctx *P, wgK_macros *M, macro *m, const wgK_tok *in, int n, int *pos,
                     wgK_toks *out, int depth) {
    int start[MAX_MACRO_PARAMS], end[MAX_MACRO_PARAMS], nargs = 0, rc;
    const wgK_tok *at = &in[*pos];
    *pos += 1;
    if ((rc = collect_args(P, in, n, pos, start, end, &nargs, at)) != WG_OK) return rc;
    if (nargs != m->nparams)
        return wgK_err_at(P, WG_ERR_COMPILE, at, "wrong number of macro arguments");
    wgK_toks body = {0};
    for (int b = 0; b < m->nbody && rc == WG_OK; b++) {
        const wgK_tok *t = &m->body[b];
        int q = -1;
        for (int k = 0; k < m->nparams; k++)
            if (t->kind == TK_IDENT && same_name(t, m->params[k])) q = k;
        if (t->kind == TK_PUNCT && (t->punct == '#' || t->punct == P2('#', '#')))
            rc = wgK_err_at(P, WG_ERR_NOTIMPL, t, "macro operator # / ## is not supported");
        else if (q < 0) rc = wgK_toks_push(P, &body, t);
        else rc = expand(P, M, in + start[q], end[q] - start[q], &body, depth + 1);
    }
    if (rc == WG_OK) {
        m->active = 1;
        rc = expand(P, M, body.v, body.n, out, depth + 1);
        m->active = 0;
    }
    wgK_toks_free(&body);
    return rc;
}

static int expand(wgK_pctx *P, wgK_macros *M, const wgK_tok *in, int n, wgK_toks *out, int depth) {
    if (depth > WGK_MAX_MACRO_DEPTH)
        return wgK_err_at(P, WG_ERR_COMPILE, n ? &in[0] : NULL, "macro expansion too deep");
    int rc = WG_OK;
    for (int i = 0; i < n && rc == WG_OK; i++) {
        macro *m = find(M, &in[i]);
        if (!m || m->active) {
            rc = wgK_toks_push(P, out, &in[i]);
        } else if (m->fn) {
            if (i + 1 < n && in[i + 1].kind == TK_PUNCT && in[i + 1].punct == '(')
                rc = expand_fn(P, M, m, in, n, &i, out, depth);
            else rc = wgK_toks_push(P, out, &in[i]);
        } else {
            m->active = 1;
            rc = expand(P, M, m->body, m->nbody, out, depth + 1);
            m->active = 0;
        }
    }
    return rc;
}

static int is_nl(const wgK_tok *t) { return t->kind == TK_PUNCT && t->punct == P1('\n'); }

static int define(wgK_pctx *P, wgK_macros *M, const wgK_tok *v, int n, int *pos) {
    int i = *pos;
    if (i >= n || v[i].kind != TK_IDENT)
        return wgK_err_at(P, WG_ERR_COMPILE, i < n ? &v[i] : NULL, "expected a macro name");
    if (M->n >= MAX_MACROS) return wgK_err_at(P, WG_ERR_COMPILE, &v[i], "too many macros");
    macro *m = &M->m[M->n];
    memset(m, 0, sizeof *m);
    m->name = &v[i++];
    if (i < n && v[i].kind == TK_PUNCT && v[i].punct == '(' &&
        v[i].text == m->name->text + m->name->len) {
        m->fn = 1;
        i++;
        while (i < n && !(v[i].kind == TK_PUNCT && v[i].punct == ')')) {
            if (v[i].kind == TK_PUNCT && v[i].punct == ',') { i++; continue; }
            if (v[i].kind != TK_IDENT || m->nparams >= MAX_MACRO_PARAMS)
                return wgK_err_at(P, WG_ERR_COMPILE, &v[i], "bad macro parameter");
            m->params[m->nparams++] = &v[i++];
        }
        if (i >= n) return wgK_err_at(P, WG_ERR_COMPILE, m->name, "unterminated macro parameters");
        i++;
    }
    m->body = &v[i];
    while (i < n && !is_nl(&v[i]) && v[i].kind != TK_EOF) i++;
    m->nbody = (int)(&v[i] - m->body);
    *pos = i;
    M->n++;
    return WG_OK;
}

/* The value of an #if condition at v[*i]: an integer literal, a macro whose body is one (an
 * undefined name is 0, as in C), defined(X), defined X, each under any number of `!`; *ok = 0
 * for anything else, or for more text after it on the line (no operators here). */
static long cond_value(wgK_macros *M, const wgK_tok *v, int n, int i, int *ok) {
    int nots = 0;
    long val = 0;
    *ok = 0;
    while (i < n && v[i].kind == TK_PUNCT && v[i].punct == '!') nots++, i++;
    if (i < n && wgK_tok_is(&v[i], "defined")) {
        int j = i + 1, paren = j < n && v[j].kind == TK_PUNCT && v[j].punct == '(';
        if (paren) j++;
        if (j >= n || v[j].kind != TK_IDENT) return 0;
        val = find(M, &v[j]) != NULL;
        if (paren && !(j + 1 < n && v[j + 1].kind == TK_PUNCT && v[j + 1].punct == ')')) return 0;
        i = j + 1 + paren;
    } else if (i < n && (v[i].kind == TK_IDENT || v[i].kind == TK_INT)) {
        const wgK_tok *t = &v[i++];
        if (t->kind == TK_IDENT) {
            macro *m = find(M, t);
            if (m && (m->fn || m->nbody != 1 || m->body[0].kind != TK_INT)) return 0;
            t = m ? &m->body[0] : NULL;
        }
        val = t ? strtol(t->text, NULL, 0) : 0;
    } else return 0;
    if (i < n && !is_nl(&v[i]) && v[i].kind != TK_EOF) return 0;
    *ok = 1;
    return nots % 2 ? !val : nots ? !!val : val;
}

static int conditional(wgK_pctx *P, wgK_macros *M, const wgK_tok *v, int n, int i) {
    const wgK_tok *kw = &v[i];
    int live = cond_live(M);
    if (wgK_tok_is(kw, "if") || wgK_tok_is(kw, "ifdef") || wgK_tok_is(kw, "ifndef")) {
        if (M->ncond >= MAX_COND) return wgK_err_at(P, WG_ERR_COMPILE, kw, "#if nested too deeply");
        int ok = 1, val = 0;
        if (wgK_tok_is(kw, "if")) {
            val = live ? cond_value(M, v, n, i + 1, &ok) != 0 : 0;
            if (live && !ok)
                return wgK_err_at(P, WG_ERR_NOTIMPL, kw, "#if takes an integer, a macro or defined(NAME) here (no operators)");
        } else {
            if (i + 1 >= n || v[i + 1].kind != TK_IDENT)
                return wgK_err_at(P, WG_ERR_COMPILE, kw, "expected a macro name");
            val = (find(M, &v[i + 1]) != NULL) == wgK_tok_is(kw, "ifdef");
        }
        M->cond_active[M->ncond] = (unsigned char)val;
        M->cond_taken[M->ncond] = (unsigned char)val;
        M->cond_else[M->ncond++] = 0;
        return WG_OK;
    }
    if (!M->ncond) return wgK_err_at(P, WG_ERR_COMPILE, kw, "#else/#elif/#endif without #if");
    int top = M->ncond - 1;
    if (wgK_tok_is(kw, "endif")) {
        M->ncond--;
        return WG_OK;
    }
    if (M->cond_else[top]) return wgK_err_at(P, WG_ERR_COMPILE, kw, "#else/#elif after #else");
    if (wgK_tok_is(kw, "else")) {
        M->cond_else[top] = 1;
        M->cond_active[top] = !M->cond_taken[top];
        M->cond_taken[top] = 1;
        return WG_OK;
    }
    /* #elif */
    M->ncond--;
    int outer = cond_live(M);
    M->ncond++;
    int ok = 1, val = 0;
    if (outer && !M->cond_taken[top]) {
        val = cond_value(M, v, n, i + 1, &ok) != 0;
        if (!ok) return wgK_err_at(P, WG_ERR_NOTIMPL, kw, "#elif takes an integer, a macro or defined(NAME) here");
    }
    M->cond_active[top] = (unsigned char)val;
    M->cond_taken[top] |= (unsigned char)val;
    return WG_OK;
}

static int is_conditional(const wgK_tok *t) {
    return wgK_tok_is(t, "if") || wgK_tok_is(t, "ifdef") || wgK_tok_is(t, "ifndef") ||
           wgK_tok_is(t, "elif") || wgK_tok_is(t, "else") || wgK_tok_is(t, "endif");
}

static int directive(wgK_pctx *P, wgK_macros *M, const wgK_tok *v, int n, int *pos) {
    int i = *pos + 1, rc = WG_OK;
    if (i < n && v[i].kind == TK_IDENT && is_conditional(&v[i])) {
        rc = conditional(P, M, v, n, i);
    } else if (!cond_live(M)) {
        /* a directive in a branch not taken: skipped */
    } else if (i < n && wgK_tok_is(&v[i], "define")) {
        i++;
        rc = define(P, M, v, n, &i);
    } else if (i < n && wgK_tok_is(&v[i], "undef")) {
        i++;
        macro *m = i < n ? find(M, &v[i]) : NULL;
        if (m) *m = M->m[--M->n];
    } else if (i < n && P->raw && wgK_tok_is(&v[i], "include")) {
        /* a RawKernel's #include <cuda_fp16.h> etc.: what they declare is built in */
    } else if (i < n && !is_nl(&v[i]) && !wgK_tok_is(&v[i], "pragma")) {
        rc = wgK_err_at(P, WG_ERR_NOTIMPL, &v[i], "preprocessor directive is not supported");
    }
    while (rc == WG_OK && i < n && !is_nl(&v[i]) && v[i].kind != TK_EOF) i++;
    *pos = i;  /* at the newline; the caller steps over it */
    return rc;
}

int wgK_pp(wgK_pctx *P, wgK_macros **mp, const wgK_toks *in, wgK_toks *out) {
    if (!*mp) {
        *mp = wgB_calloc(P->ctx, 1, sizeof **mp);
        if (!*mp) return (P->failed = 1), WG_ERR_MEMORY;
    }
    wgK_macros *M = *mp;
    int i = 0, rc = WG_OK;
    while (i < in->n && rc == WG_OK) {
        if (in->v[i].kind == TK_HASH_LINE) {
            rc = directive(P, M, in->v, in->n, &i);
            i++;
            continue;
        }
        int j = i;
        while (j < in->n && in->v[j].kind != TK_HASH_LINE) j++;
        if (cond_live(M)) rc = expand(P, M, in->v + i, j - i, out, 0);
        else if (j >= in->n && in->n && in->v[in->n - 1].kind == TK_EOF)
            rc = wgK_toks_push(P, out, &in->v[in->n - 1]);  /* the end stays */
        i = j;
    }
    if (rc == WG_OK && M->ncond && in->n && in->v[in->n - 1].kind == TK_EOF)
        rc = wgK_err_at(P, WG_ERR_COMPILE, &in->v[in->n - 1], "#if without #endif");
    return rc;
}
