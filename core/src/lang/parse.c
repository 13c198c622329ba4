/* parse — recursive descent from tokens to the AST: C statements and expressions as CuPy's kernel
 * snippets use them, and the __device__ functions of a preamble.  Which identifiers are type names
 * is known while parsing (placeholders, template parameters, C and NumPy type names), as in C. */
#include <stdlib.h>
#include <string.h>

#include "lang_int.h"

#define MAX_HEIGHT 400

typedef struct {
    wgK_pctx *P;
    const wgK_parser_cfg *cfg;
    const wgK_tok *t;
    int n, pos, depth;
    int ntnames;
    const wgK_tok *tnames[8];  /* template parameters of the function being parsed */
    int nvnames;               /* its template value parameters (`int N`) */
    int constant;              /* parsing a module-scope __constant__ declaration */
} parser;

static const wgK_tok *peek(parser *p) { return &p->t[p->pos < p->n ? p->pos : p->n - 1]; }
static const wgK_tok *peek2(parser *p) {
    return &p->t[p->pos + 1 < p->n ? p->pos + 1 : p->n - 1];
}
static const wgK_tok *next(parser *p) {
    const wgK_tok *t = peek(p);
    if (p->pos < p->n - 1) p->pos++;
    return t;
}
static int is_p(const wgK_tok *t, int punct) { return t->kind == TK_PUNCT && t->punct == punct; }
static int accept(parser *p, int punct) {
    if (!is_p(peek(p), punct)) return 0;
    next(p);
    return 1;
}
static int fail(parser *p, int status, const wgK_tok *t, const char *what) {
    return wgK_err_at(p->P, status, t, what);
}
static int expect(parser *p, int punct, const char *what) {
    if (accept(p, punct)) return WG_OK;
    return fail(p, WG_ERR_COMPILE, peek(p), what);
}

static wgK_node *mk(parser *p, int kind, const wgK_tok *tok, wgK_node *a, wgK_node *b,
                    wgK_node *c) {
    wgK_node *n = wgK_alloc(p->P, sizeof *n);
    if (!n) return NULL;
    n->kind = kind;
    n->tok = tok;
    n->a = a;
    n->b = b;
    n->c = c;
    n->array_len = -1;
    int h = 0;
    if (a && a->h > h) h = a->h;
    if (b && b->h > h) h = b->h;
    if (c && c->h > h) h = c->h;
    n->h = h + 1;
    if (n->h > MAX_HEIGHT) {
        fail(p, WG_ERR_COMPILE, tok, "expression too deeply nested");
        return NULL;
    }
    return n;
}

/* ---- types ---- */

int wgK_builtin_type(const char *s, int len) {
    static const struct { const char *name; int dt; } names[] = {
        {"bool", WG_BOOL}, {"char", WG_INT8}, {"short", WG_INT16}, {"int", WG_INT32},
        {"long", WG_INT64}, {"float", WG_FLOAT32}, {"double", WG_FLOAT64},
        {"size_t", WG_UINT64}, {"ptrdiff_t", WG_INT64},
        {"__half", WG_FLOAT16}, {"int8_t", WG_INT8}, {"int16_t", WG_INT16},
        {"int32_t", WG_INT32}, {"int64_t", WG_INT64}, {"uint8_t", WG_UINT8},
        {"uint16_t", WG_UINT16}, {"uint32_t", WG_UINT32}, {"uint64_t", WG_UINT64},
        {"int8", WG_INT8}, {"int16", WG_INT16}, {"int32", WG_INT32}, {"int64", WG_INT64},
        {"uint8", WG_UINT8}, {"uint16", WG_UINT16}, {"uint32", WG_UINT32},
        {"uint64", WG_UINT64}, {"float16", WG_FLOAT16}, {"float32", WG_FLOAT32},
        {"float64", WG_FLOAT64}, {"unsigned", WG_UINT32}, {"signed", WG_INT32},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if ((int)strlen(names[i].name) == len && !memcmp(names[i].name, s, (size_t)len))
            return names[i].dt;
    return -1;
}

static int is_qualifier(const wgK_tok *t) {
    return wgK_tok_is(t, "const") || wgK_tok_is(t, "volatile") || wgK_tok_is(t, "__restrict__") ||
           wgK_tok_is(t, "__restrict") || wgK_tok_is(t, "restrict") ||
           wgK_tok_is(t, "register") || wgK_tok_is(t, "__shared__");
}

static int is_type_name(parser *p, const wgK_tok *t) {
    if (t->kind != TK_IDENT) return 0;
    if (wgK_builtin_type(t->text, t->len) >= 0 || wgK_tok_is(t, "void")) return 1;
    for (int i = 0; i < p->ntnames; i++)
        if (p->tnames[i]->len == t->len && !memcmp(p->tnames[i]->text, t->text, (size_t)t->len))
            return 1;
    for (int i = 0; i < p->cfg->ntypes; i++)
        if ((int)strlen(p->cfg->types[i]) == t->len &&
            !memcmp(p->cfg->types[i], t->text, (size_t)t->len))
            return 1;
    return 0;
}

static int is_type_start(parser *p, const wgK_tok *t) {
    return is_qualifier(t) || is_type_name(p, t);
}

/* C's multi-word integer types: unsigned/signed/short/long combine with int/char. */
static int combine_words(int nunsigned, int nsigned, int nshort, int nlong, int base) {
    int dt = base;
    if (dt < 0 || dt == WG_INT32 || dt == WG_UINT32 || dt == WG_INT64 || dt == WG_INT16) {
        dt = nlong ? WG_INT64 : nshort ? WG_INT16 : WG_INT32;
    }
    if (nunsigned) {
        switch (dt) {
        case WG_INT8: return WG_UINT8;
        case WG_INT16: return WG_UINT16;
        case WG_INT32: return WG_UINT32;
        case WG_INT64: return WG_UINT64;
        default: return -1;
        }
    }
    (void)nsigned;
    return dt;
}

static int parse_type(parser *p, wgK_type *ty) {
    memset(ty, 0, sizeof *ty);
    ty->dtype = -1;
    int nunsigned = 0, nsigned = 0, nshort = 0, nlong = 0, base = -1, words = 0;
    const wgK_tok *first = peek(p);
    for (;;) {
        const wgK_tok *t = peek(p);
        if (is_qualifier(t)) {
            ty->is_const |= wgK_tok_is(t, "const");
            ty->is_shared |= wgK_tok_is(t, "__shared__");
            next(p);
        } else if (wgK_tok_is(t, "unsigned")) nunsigned++, words++, next(p);
        else if (wgK_tok_is(t, "signed")) nsigned++, words++, next(p);
        else if (wgK_tok_is(t, "short")) nshort++, words++, next(p);
        else if (wgK_tok_is(t, "long")) nlong++, words++, next(p);
        else if (base < 0 && !ty->name && !ty->is_void && is_type_name(p, t)) {
            if (wgK_tok_is(t, "void")) ty->is_void = 1;
            else if (wgK_builtin_type(t->text, t->len) >= 0) base = wgK_builtin_type(t->text, t->len);
            else ty->name = t;
            words++;
            next(p);
        } else break;
    }
    if (!words && first->kind == TK_IDENT && (peek2(p)->kind == TK_IDENT || is_p(peek2(p), '*') ||
                                              is_p(peek2(p), '&') || is_p(peek2(p), '<')))
        /* a name used as a type that is none of ours: CUDA's vector types (float2, dim3),
         * complex<T>, structs */
        return fail(p, WG_ERR_NOTIMPL, first, "this type is not supported");
    if (!words) return fail(p, WG_ERR_COMPILE, first, "expected a type");
    if (ty->name && (nunsigned || nsigned || nshort || nlong))
        return fail(p, WG_ERR_COMPILE, first, "bad type");
    if (!ty->name && !ty->is_void) {
        if (nunsigned || nsigned || nshort || nlong) base = combine_words(nunsigned, nsigned, nshort, nlong, base);
        if (base < 0) return fail(p, WG_ERR_COMPILE, first, "bad type");
        ty->dtype = base;
    }
    while (is_qualifier(peek(p))) next(p);
    if (accept(p, '*')) {
        ty->is_ptr = ty->ptr_depth = 1;
        for (;;) {
            if (accept(p, '*')) ty->ptr_depth++;
            else if (is_qualifier(peek(p))) next(p);
            else break;
        }
    }
    if (accept(p, '&')) ty->is_ref = 1;
    while (is_qualifier(peek(p))) next(p);
    return WG_OK;
}

/* ---- expressions ---- */

static wgK_node *expr(parser *p);
static wgK_node *assign_expr(parser *p);

static int enter(parser *p) {
    if (++p->depth > WGK_MAX_DEPTH) {
        fail(p, WG_ERR_COMPILE, peek(p), "nesting too deep");
        return 0;
    }
    return 1;
}

static int parse_int_literal(parser *p, const wgK_tok *t, wgK_node *n) {
    char buf[72];
    if (t->len >= (int)sizeof buf) return fail(p, WG_ERR_COMPILE, t, "literal too long");
    memcpy(buf, t->text, (size_t)t->len);
    buf[t->len] = 0;
    int len = t->len, is_u = 0, nl = 0;
    while (len > 0 && strchr("uUlL", buf[len - 1])) {
        if (buf[len - 1] == 'u' || buf[len - 1] == 'U') is_u++;
        else nl++;
        buf[--len] = 0;
    }
    if (is_u > 1 || nl > 2 || len == 0) return fail(p, WG_ERR_COMPILE, t, "bad integer literal");
    char *end;
    int base = (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) ? 16 : (buf[0] == '0' ? 8 : 10);
    unsigned long long v = strtoull(buf, &end, base);
    if (*end) return fail(p, WG_ERR_COMPILE, t, "bad integer literal");
    n->ival = (int64_t)v;
    if (is_u) n->lit_dtype = (nl || v > 0xffffffffULL) ? WG_UINT64 : WG_UINT32;
    else if (!nl && v <= 0x7fffffffULL) n->lit_dtype = WG_INT32;
    else if (v <= 0x7fffffffffffffffULL) n->lit_dtype = WG_INT64;
    else n->lit_dtype = WG_UINT64;
    return WG_OK;
}

static int parse_float_literal(parser *p, const wgK_tok *t, wgK_node *n) {
    char buf[72];
    if (t->len >= (int)sizeof buf) return fail(p, WG_ERR_COMPILE, t, "literal too long");
    memcpy(buf, t->text, (size_t)t->len);
    buf[t->len] = 0;
    int len = t->len;
    n->lit_dtype = WG_FLOAT64;
    if (buf[len - 1] == 'f' || buf[len - 1] == 'F') {
        n->lit_dtype = WG_FLOAT32;
        buf[--len] = 0;
    }
    char *end;
    n->fval = strtod(buf, &end);
    if (*end) return fail(p, WG_ERR_COMPILE, t, "bad floating literal");
    return WG_OK;
}

static wgK_node *args_list(parser *p, wgK_node *call) {
    /* after '(' */
    wgK_node **tail = &call->b;
    int count = 0;
    if (accept(p, ')')) return call;
    for (;;) {
        wgK_node *a = assign_expr(p);
        if (!a) return NULL;
        if (a->h + 1 > call->h) call->h = a->h + 1;
        *tail = a;
        tail = &a->next;
        if (++count > 64) return fail(p, WG_ERR_COMPILE, peek(p), "too many arguments"), NULL;
        if (accept(p, ')')) return call;
        if (expect(p, ',', "expected `,` or `)`") != WG_OK) return NULL;
    }
}

static wgK_node *cast_keyword(parser *p, const wgK_tok *t) {
    int reinterp = wgK_tok_is(t, "reinterpret_cast");
    if (wgK_tok_is(t, "const_cast") || wgK_tok_is(t, "dynamic_cast"))
        return fail(p, WG_ERR_NOTIMPL, t, "this cast is not supported"), NULL;
    if (expect(p, '<', "expected `<`") != WG_OK) return NULL;
    wgK_node *n = mk(p, N_CAST, t, NULL, NULL, NULL);
    if (!n || parse_type(p, &n->type) != WG_OK) return NULL;
    if (expect(p, '>', "expected `>`") != WG_OK || expect(p, '(', "expected `(`") != WG_OK)
        return NULL;
    n->a = expr(p);
    if (!n->a || expect(p, ')', "expected `)`") != WG_OK) return NULL;
    n->op = reinterp;
    n->h = n->a->h + 1;
    return n;
}

static wgK_node *primary(parser *p) {
    const wgK_tok *t = peek(p);
    wgK_node *n;
    if (t->kind == TK_INT || t->kind == TK_FLOAT) {
        next(p);
        n = mk(p, t->kind == TK_INT ? N_INT : N_FLOAT, t, NULL, NULL, NULL);
        if (!n) return NULL;
        int rc = t->kind == TK_INT ? parse_int_literal(p, t, n) : parse_float_literal(p, t, n);
        return rc == WG_OK ? n : NULL;
    }
    if (wgK_tok_is(t, "true") || wgK_tok_is(t, "false")) {
        next(p);
        n = mk(p, N_BOOL, t, NULL, NULL, NULL);
        if (n) n->ival = wgK_tok_is(t, "true"), n->lit_dtype = WG_BOOL;
        return n;
    }
    if (wgK_tok_is(t, "static_cast") || wgK_tok_is(t, "reinterpret_cast") ||
        wgK_tok_is(t, "const_cast") || wgK_tok_is(t, "dynamic_cast")) {
        next(p);
        return cast_keyword(p, t);
    }
    if (wgK_tok_is(t, "sizeof") || wgK_tok_is(t, "new") || wgK_tok_is(t, "delete") ||
        wgK_tok_is(t, "this"))
        return fail(p, WG_ERR_NOTIMPL, t, "this construct is not supported"), NULL;
    if (t->kind == TK_IDENT && is_type_name(p, t) && is_p(peek2(p), '(')) {
        /* functional cast T(x) */
        n = mk(p, N_CAST, t, NULL, NULL, NULL);
        if (!n || parse_type(p, &n->type) != WG_OK) return NULL;
        next(p);
        n->a = expr(p);
        if (!n->a || expect(p, ')', "expected `)`") != WG_OK) return NULL;
        n->h = n->a->h + 1;
        return n;
    }
    if (t->kind == TK_IDENT && !is_type_start(p, t)) {
        next(p);
        return mk(p, N_IDENT, t, NULL, NULL, NULL);
    }
    if (is_p(t, '(')) {
        next(p);
        n = expr(p);
        if (!n || expect(p, ')', "expected `)`") != WG_OK) return NULL;
        return n;
    }
    if (t->kind == TK_STRING)
        return fail(p, WG_ERR_NOTIMPL, t, "string and character literals are not supported"), NULL;
    return fail(p, WG_ERR_COMPILE, t, "expected an expression"), NULL;
}

static wgK_node *postfix(parser *p) {
    wgK_node *n = primary(p);
    while (n) {
        const wgK_tok *t = peek(p);
        if (accept(p, '(')) {
            if (n->kind != N_IDENT)
                return fail(p, WG_ERR_NOTIMPL, t, "calls through expressions are not supported"), NULL;
            n = mk(p, N_CALL, n->tok, NULL, NULL, NULL);
            if (!n) return NULL;
            n = args_list(p, n);
        } else if (accept(p, '[')) {
            wgK_node *i = expr(p);
            if (!i || expect(p, ']', "expected `]`") != WG_OK) return NULL;
            n = mk(p, N_INDEX, t, n, i, NULL);
        } else if (accept(p, '.')) {
            const wgK_tok *m = next(p);
            if (m->kind != TK_IDENT) return fail(p, WG_ERR_COMPILE, m, "expected a member name"), NULL;
            if (expect(p, '(', "member access other than a method call is not supported") != WG_OK)
                return NULL;
            n = mk(p, N_MEMBER_CALL, m, n, NULL, NULL);
            if (!n) return NULL;
            n = args_list(p, n);
        } else if (is_p(t, P2('-', '>'))) {
            return fail(p, WG_ERR_NOTIMPL, t, "`->` is not supported"), NULL;
        } else if (accept(p, P2('+', '+')) || accept(p, P2('-', '-'))) {
            n = mk(p, N_POSTINC, t, n, NULL, NULL);
            if (n) n->op = t->punct;
        } else break;
    }
    return n;
}

/* `(` type words `)`: a C cast (a parenthesised functional cast `(T(x))` is none).  Decided by
 * looking at the tokens only, so that no error is set on the way. */
static int looks_like_cast(parser *p) {
    if (!is_p(peek(p), '(') || !is_type_start(p, peek2(p))) return 0;
    int i = p->pos + 1;
    for (; i < p->n; i++) {
        const wgK_tok *t = &p->t[i];
        if (is_p(t, ')')) return 1;
        if (!(is_type_start(p, t) || is_p(t, '*') || is_p(t, '&'))) return 0;
    }
    return 0;
}

static wgK_node *unary(parser *p) {
    if (!enter(p)) return NULL;
    const wgK_tok *t = peek(p);
    wgK_node *n = NULL;
    if (looks_like_cast(p)) {
        next(p);
        n = mk(p, N_CAST, t, NULL, NULL, NULL);
        if (n && parse_type(p, &n->type) == WG_OK && expect(p, ')', "expected `)`") == WG_OK) {
            n->a = unary(p);
            if (n->a) n->h = n->a->h + 1;
            else n = NULL;
        } else n = NULL;
    } else if (t->kind == TK_PUNCT && (t->punct == '-' || t->punct == '+' || t->punct == '!' ||
                                       t->punct == '~')) {
        next(p);
        wgK_node *a = unary(p);
        n = a ? mk(p, N_UNARY, t, a, NULL, NULL) : NULL;
        if (n) n->op = t->punct;
    } else if (t->kind == TK_PUNCT && (t->punct == P2('+', '+') || t->punct == P2('-', '-'))) {
        next(p);
        wgK_node *a = unary(p);
        n = a ? mk(p, N_PREINC, t, a, NULL, NULL) : NULL;
        if (n) n->op = t->punct;
    } else if (is_p(t, '&') || is_p(t, '*')) {
        next(p);
        wgK_node *a = unary(p);
        n = a ? mk(p, is_p(t, '&') ? N_ADDR : N_DEREF, t, a, NULL, NULL) : NULL;
    } else {
        n = postfix(p);
    }
    p->depth--;
    return n;
}

static int binary_prec(const wgK_tok *t) {
    if (t->kind != TK_PUNCT) return 0;
    switch (t->punct) {
    case P2('|', '|'): return 1;
    case P2('&', '&'): return 2;
    case '|': return 3;
    case '^': return 4;
    case '&': return 5;
    case P2('=', '='): case P2('!', '='): return 6;
    case '<': case '>': case P2('<', '='): case P2('>', '='): return 7;
    case P2('<', '<'): case P2('>', '>'): return 8;
    case '+': case '-': return 9;
    case '*': case '/': case '%': return 10;
    default: return 0;
    }
}

static wgK_node *binary(parser *p, int min_prec) {
    if (!enter(p)) return NULL;
    wgK_node *lhs = unary(p);
    while (lhs) {
        const wgK_tok *t = peek(p);
        int prec = binary_prec(t);
        if (!prec || prec < min_prec) break;
        next(p);
        wgK_node *rhs = binary(p, prec + 1);
        lhs = rhs ? mk(p, N_BINARY, t, lhs, rhs, NULL) : NULL;
        if (lhs) lhs->op = t->punct;
    }
    p->depth--;
    return lhs;
}

static wgK_node *ternary(parser *p) {
    wgK_node *c = binary(p, 1);
    if (!c || !is_p(peek(p), '?')) return c;
    const wgK_tok *t = next(p);
    if (!enter(p)) return NULL;
    wgK_node *a = expr(p);
    wgK_node *b = NULL;
    if (a && expect(p, ':', "expected `:`") == WG_OK) b = assign_expr(p);
    p->depth--;
    return b ? mk(p, N_TERNARY, t, c, a, b) : NULL;
}

static int is_assign_op(const wgK_tok *t) {
    if (t->kind != TK_PUNCT) return 0;
    switch (t->punct) {
    case '=': case P2('+', '='): case P2('-', '='): case P2('*', '='): case P2('/', '='):
    case P2('%', '='): case P2('&', '='): case P2('|', '='): case P2('^', '='):
    case P3('<', '<', '='): case P3('>', '>', '='):
        return 1;
    default: return 0;
    }
}

static wgK_node *assign_expr(parser *p) {
    if (!enter(p)) return NULL;
    wgK_node *lhs = ternary(p);
    if (lhs && is_assign_op(peek(p))) {
        const wgK_tok *t = next(p);
        wgK_node *rhs = assign_expr(p);
        lhs = rhs ? mk(p, N_ASSIGN, t, lhs, rhs, NULL) : NULL;
        if (lhs) lhs->op = t->punct;
    }
    p->depth--;
    return lhs;
}

static wgK_node *expr(parser *p) {
    wgK_node *n = assign_expr(p);
    while (n && is_p(peek(p), ',')) {
        const wgK_tok *t = next(p);
        wgK_node *b = assign_expr(p);
        n = b ? mk(p, N_COMMA, t, n, b, NULL) : NULL;
    }
    return n;
}

/* ---- statements ---- */

static wgK_node *stmt(parser *p, int top);

static int end_stmt(parser *p, int top) {
    if (accept(p, ';')) return WG_OK;
    (void)top;
    if (peek(p)->kind == TK_EOF) return WG_OK;  /* CuPy appends `;` to the operation */
    return fail(p, WG_ERR_COMPILE, peek(p), "expected `;`");
}

static wgK_node *init_list(parser *p, const wgK_tok *t) {
    wgK_node *n = mk(p, N_INIT_LIST, t, NULL, NULL, NULL);
    if (!n) return NULL;
    wgK_node **tail = &n->a;
    int count = 0;
    if (accept(p, '}')) return n;
    for (;;) {
        wgK_node *e = assign_expr(p);
        if (!e) return NULL;
        if (e->h + 1 > n->h) n->h = e->h + 1;
        *tail = e;
        tail = &e->next;
        if (++count > (p->constant ? WGK_MAX_CONST : WGK_MAX_ARRAY))
            return fail(p, WG_ERR_NOTIMPL, t, p->constant ? "__constant__ array too large" : "local array too large"), NULL;
        n->ival = count;
        if (accept(p, '}')) return n;
        if (expect(p, ',', "expected `,` or `}`") != WG_OK) return NULL;
        if (accept(p, '}')) return n;
    }
}

/* The value of an integer constant expression (literals, + - * / % << >> & | ^ ~ and casts: a
 * `#define`d size is one after macro expansion); 0 if n is none. */
typedef int (*name_fn)(void *, const wgK_tok *, int64_t *);

static int const_int_n(const wgK_node *n, int64_t *v, int depth, name_fn name, void *arg);

int wgK_const_eval(const wgK_node *n, name_fn name, void *arg, int64_t *v) {
    return const_int_n(n, v, 0, name, arg);
}

static int const_int(const wgK_node *n, int64_t *v, int depth) {
    return const_int_n(n, v, depth, NULL, NULL);
}

static int const_int_n(const wgK_node *n, int64_t *v, int depth, name_fn name, void *arg) {
    int64_t a = 0, b = 0;
    if (!n || depth > 64) return 0;
    switch (n->kind) {
    case N_IDENT: return name && name(arg, n->tok, v) && *v >= -((int64_t)1 << 40) && *v <= ((int64_t)1 << 40);
    case N_INT: *v = n->ival; return n->ival >= 0 && n->ival <= ((int64_t)1 << 40);
    case N_CAST: return n->type.dtype >= 0 && !n->type.is_ptr && !wgD_is_float(n->type.dtype) &&
                        const_int_n(n->a, v, depth + 1, name, arg);
    case N_UNARY:
        if (!const_int_n(n->a, &a, depth + 1, name, arg)) return 0;
        *v = n->op == '-' ? -a : n->op == '+' ? a : n->op == '~' ? ~a : !a;
        return 1;
    case N_BINARY:
        if (!const_int_n(n->a, &a, depth + 1, name, arg) || !const_int_n(n->b, &b, depth + 1, name, arg)) return 0;
        if (a < -((int64_t)1 << 40) || a > ((int64_t)1 << 40) || b < -((int64_t)1 << 40) ||
            b > ((int64_t)1 << 40))
            return 0;
        switch (n->op) {
        case '+': *v = a + b; return 1;
        case '-': *v = a - b; return 1;
        case '*': *v = a * b; return 1;
        case '/': if (!b) return 0; *v = a / b; return 1;
        case '%': if (!b) return 0; *v = a % b; return 1;
        case P2('<', '<'): if (b < 0 || b > 40 || a < 0) return 0; *v = a << b; return 1;
        case P2('>', '>'): if (b < 0 || b > 63 || a < 0) return 0; *v = a >> b; return 1;
        case '&': *v = a & b; return 1;
        case '|': *v = a | b; return 1;
        case '^': *v = a ^ b; return 1;
        default: return 0;
        }
    default: return 0;
    }
}

static wgK_node *declarator(parser *p, const wgK_type *base) {
    wgK_type ty = *base;
    if (accept(p, '*')) ty.is_ptr = 1;
    if (accept(p, '&')) ty.is_ref = 1;
    const wgK_tok *name = next(p);
    if (name->kind != TK_IDENT) return fail(p, WG_ERR_COMPILE, name, "expected a name"), NULL;
    wgK_node *d = mk(p, N_DECL, name, NULL, NULL, NULL);
    if (!d) return NULL;
    d->type = ty;
    if (accept(p, '[')) {
        d->array_len = 0;
        if (ty.is_shared) {  /* a workgroup array: any rank, constant dimensions */
            int64_t total = 1;
            wgK_node *exprs[WGK_MAX_SHARED_RANK];
            int deferred = 0;
            for (;;) {
                if (is_p(peek(p), ']')) {
                    if (d->ndims) return fail(p, WG_ERR_COMPILE, peek(p), "only the first dimension may be left out"), NULL;
                    next(p);
                    total = 0;
                    if (!is_p(peek(p), '[')) break;
                    return fail(p, WG_ERR_NOTIMPL, peek(p), "extern __shared__ arrays have one dimension"), NULL;
                }
                const wgK_tok *at = peek(p);
                wgK_node *len = ternary(p);
                if (!len) return NULL;
                int64_t v = 0;
                int is_const = const_int(len, &v, 0);
                if (!is_const && p->nvnames) {  /* `s[N]`, N a template value: later (def.c) */
                    deferred = 1;
                    v = 1;
                } else if (!is_const || v < 1 || v > WGK_MAX_SHARED_LEN)
                    return fail(p, WG_ERR_NOTIMPL, at, "__shared__ array length must be an integer constant, 1 to 2^24"), NULL;
                if (d->ndims >= WGK_MAX_SHARED_RANK) return fail(p, WG_ERR_NOTIMPL, at, "too many dimensions"), NULL;
                exprs[d->ndims] = len;
                d->dims[d->ndims++] = (int)v;
                total *= v;
                if (total > WGK_MAX_SHARED_LEN)
                    return fail(p, WG_ERR_NOTIMPL, at, "__shared__ array length must be an integer constant, 1 to 2^24"), NULL;
                if (expect(p, ']', "expected `]`") != WG_OK) return NULL;
                if (!accept(p, '[')) break;
            }
            d->array_len = (int)total;
            if (deferred && d->ndims) {
                for (int k = 0; k + 1 < d->ndims; k++) exprs[k]->next = exprs[k + 1];
                exprs[d->ndims - 1]->next = NULL;
                d->dim_exprs = exprs[0];
            }
        } else {
            if (!is_p(peek(p), ']') && p->constant) {  /* __constant__ T c[n]: n a constant expression */
                const wgK_tok *at = peek(p);
                wgK_node *len = ternary(p);
                int64_t v = 0;
                if (!len) return NULL;
                if (!const_int(len, &v, 0) || v < 1 || v > WGK_MAX_CONST)
                    return fail(p, WG_ERR_NOTIMPL, at, "__constant__ array length must be an integer constant, 1 to 16384"), NULL;
                d->array_len = (int)v;
            } else if (!is_p(peek(p), ']')) {
                wgK_node *len = primary(p);
                if (!len) return NULL;
                if (len->kind != N_INT || len->ival < 1 || len->ival > WGK_MAX_ARRAY)
                    return fail(p, WG_ERR_NOTIMPL, len->tok, "local array length must be a small constant"), NULL;
                d->array_len = (int)len->ival;
            }
            if (expect(p, ']', "expected `]`") != WG_OK) return NULL;
            if (is_p(peek(p), '['))
                return fail(p, WG_ERR_NOTIMPL, peek(p), p->constant ? "multi-dimensional __constant__ arrays are not supported"
                                                                    : "multi-dimensional local arrays are not supported"), NULL;
        }
    }
    if (accept(p, '=')) {
        const wgK_tok *t = peek(p);
        d->a = accept(p, '{') ? init_list(p, t) : assign_expr(p);
        if (!d->a) return NULL;
        d->h = d->a->h + 1;
    } else if (is_p(peek(p), '(')) {
        return fail(p, WG_ERR_NOTIMPL, peek(p), "constructor-style initialisation is not supported"), NULL;
    }
    return d;
}

static wgK_node *declaration(parser *p, int top) {
    const wgK_tok *t = peek(p);
    wgK_type base;
    if (parse_type(p, &base) != WG_OK) return NULL;
    base.is_ptr = base.is_ref = 0;
    /* `T *x`, `T &x`: re-read the pointer/reference marks per declarator */
    int save = p->pos;
    while (save > 0 && (is_p(&p->t[save - 1], '*') || is_p(&p->t[save - 1], '&'))) save--;
    p->pos = save;
    wgK_node *block = mk(p, N_BLOCK, t, NULL, NULL, NULL);
    if (!block) return NULL;
    block->op = 1;  /* a declaration list: no scope of its own */
    wgK_node **tail = &block->a;
    for (;;) {
        wgK_node *d = declarator(p, &base);
        if (!d) return NULL;
        if (d->h + 1 > block->h) block->h = d->h + 1;
        *tail = d;
        tail = &d->next;
        if (!accept(p, ',')) break;
    }
    if (end_stmt(p, top) != WG_OK) return NULL;
    return block;
}

static wgK_node *block_stmts(parser *p, int top, int until_brace) {
    wgK_node *b = mk(p, N_BLOCK, peek(p), NULL, NULL, NULL);
    if (!b) return NULL;
    wgK_node **tail = &b->a;
    for (;;) {
        const wgK_tok *t = peek(p);
        if (t->kind == TK_EOF) {
            if (until_brace) return fail(p, WG_ERR_COMPILE, t, "expected `}`"), NULL;
            return b;
        }
        if (until_brace && accept(p, '}')) return b;
        wgK_node *s = stmt(p, top);
        if (!s) return NULL;
        if (s->h + 1 > b->h) b->h = s->h + 1;
        *tail = s;
        tail = &s->next;
    }
}

static wgK_node *paren_cond(parser *p) {
    if (expect(p, '(', "expected `(`") != WG_OK) return NULL;
    wgK_node *c = expr(p);
    if (!c || expect(p, ')', "expected `)`") != WG_OK) return NULL;
    return c;
}

static wgK_node *for_stmt(parser *p, const wgK_tok *t) {
    if (expect(p, '(', "expected `(`") != WG_OK) return NULL;
    wgK_node *init = NULL, *cond = NULL, *step = NULL;
    if (is_type_start(p, peek(p))) init = declaration(p, 0);
    else if (!accept(p, ';')) {
        init = expr(p);
        if (init) init = mk(p, N_EXPR_STMT, init->tok, init, NULL, NULL);
        if (init && expect(p, ';', "expected `;`") != WG_OK) return NULL;
    } else init = mk(p, N_EMPTY, t, NULL, NULL, NULL);
    if (!init) return NULL;
    if (!is_p(peek(p), ';') && !(cond = expr(p))) return NULL;
    if (expect(p, ';', "expected `;`") != WG_OK) return NULL;
    if (!is_p(peek(p), ')') && !(step = expr(p))) return NULL;
    if (expect(p, ')', "expected `)`") != WG_OK) return NULL;
    wgK_node *body = stmt(p, 0);
    if (!body) return NULL;
    wgK_node *n = mk(p, N_FOR, t, init, cond, step);
    if (n) {
        n->d = body;
        if (body->h + 1 > n->h) n->h = body->h + 1;
    }
    return n;
}

static wgK_node *stmt_inner(parser *p, int top) {
    const wgK_tok *t = peek(p);
    if (accept(p, ';')) return mk(p, N_EMPTY, t, NULL, NULL, NULL);
    if (accept(p, '{')) return block_stmts(p, 0, 1);
    if (wgK_tok_is(t, "if")) {
        next(p);
        wgK_node *c = paren_cond(p), *a = c ? stmt(p, 0) : NULL, *b = NULL;
        if (!a) return NULL;
        if (wgK_tok_is(peek(p), "else")) {
            next(p);
            if (!(b = stmt(p, 0))) return NULL;
        }
        return mk(p, N_IF, t, c, a, b);
    }
    if (wgK_tok_is(t, "for")) return next(p), for_stmt(p, t);
    if (wgK_tok_is(t, "while")) {
        next(p);
        wgK_node *c = paren_cond(p), *body = c ? stmt(p, 0) : NULL;
        return body ? mk(p, N_WHILE, t, c, body, NULL) : NULL;
    }
    if (wgK_tok_is(t, "do")) {
        next(p);
        wgK_node *body = stmt(p, 0);
        if (!body) return NULL;
        if (!wgK_tok_is(peek(p), "while")) return fail(p, WG_ERR_COMPILE, peek(p), "expected `while`"), NULL;
        next(p);
        wgK_node *c = paren_cond(p);
        if (!c || end_stmt(p, top) != WG_OK) return NULL;
        return mk(p, N_DO, t, c, body, NULL);
    }
    if (wgK_tok_is(t, "break") || wgK_tok_is(t, "continue")) {
        next(p);
        if (end_stmt(p, top) != WG_OK) return NULL;
        return mk(p, wgK_tok_is(t, "break") ? N_BREAK : N_CONTINUE, t, NULL, NULL, NULL);
    }
    if (wgK_tok_is(t, "return")) {
        next(p);
        wgK_node *v = NULL;
        if (!is_p(peek(p), ';') && peek(p)->kind != TK_EOF && !(v = expr(p))) return NULL;
        if (end_stmt(p, top) != WG_OK) return NULL;
        return mk(p, N_RETURN, t, v, NULL, NULL);
    }
    if (wgK_tok_is(t, "extern") && wgK_tok_is(peek2(p), "__shared__")) {
        /* extern __shared__ T a[]: dynamic shared memory (a RawKernel's shared_mem bytes) */
        next(p);
        wgK_node *dl = declaration(p, top);
        if (!dl) return NULL;
        for (wgK_node *d = dl->a; d; d = d->next) {
            d->type.is_extern = 1;
            if (d->array_len != 0)
                return fail(p, WG_ERR_COMPILE, d->tok, "extern __shared__ arrays are declared `T name[]`"), NULL;
        }
        return dl;
    }
    if (wgK_tok_is(t, "switch") || wgK_tok_is(t, "goto") || wgK_tok_is(t, "struct") ||
        wgK_tok_is(t, "class") || wgK_tok_is(t, "typedef") || wgK_tok_is(t, "union") ||
        wgK_tok_is(t, "enum") || wgK_tok_is(t, "asm") ||
        wgK_tok_is(t, "template") || wgK_tok_is(t, "using") || wgK_tok_is(t, "static"))
        return fail(p, WG_ERR_NOTIMPL, t, "statement is not supported"), NULL;
    if (is_type_start(p, t) && !(is_type_name(p, t) && is_p(peek2(p), '(')))
        return declaration(p, top);
    if (t->kind == TK_IDENT && peek2(p)->kind == TK_IDENT)  /* `float2 v;`: a type of CUDA's */
        return fail(p, WG_ERR_NOTIMPL, t, "this type is not supported"), NULL;
    wgK_node *e = expr(p);
    if (!e || end_stmt(p, top) != WG_OK) return NULL;
    return mk(p, N_EXPR_STMT, t, e, NULL, NULL);
}

static wgK_node *stmt(parser *p, int top) {
    if (!enter(p)) return NULL;
    wgK_node *s = stmt_inner(p, top);
    p->depth--;
    return s;
}

static void init_parser(parser *p, wgK_pctx *P, const wgK_parser_cfg *cfg, const wgK_toks *t) {
    memset(p, 0, sizeof *p);
    p->P = P;
    p->cfg = cfg;
    p->t = t->v;
    p->n = t->n;
}

int wgK_parse_stmts(wgK_pctx *P, const wgK_parser_cfg *cfg, const wgK_toks *t, wgK_node **out) {
    parser p;
    init_parser(&p, P, cfg, t);
    if (t->n == 0) return WG_ERR_INTERNAL;
    *out = block_stmts(&p, 1, 0);
    return *out ? WG_OK : (wgB_failed(P->ctx) ? wg_last_status(P->ctx) : WG_ERR_COMPILE);
}

int wgK_parse_expr(wgK_pctx *P, const wgK_parser_cfg *cfg, const wgK_toks *t, wgK_node **out) {
    parser p;
    init_parser(&p, P, cfg, t);
    if (t->n == 0) return WG_ERR_INTERNAL;
    *out = expr(&p);
    if (*out && peek(&p)->kind != TK_EOF) {
        fail(&p, WG_ERR_COMPILE, peek(&p), "unexpected text after the expression");
        *out = NULL;
    }
    return *out ? WG_OK : (wgB_failed(P->ctx) ? wg_last_status(P->ctx) : WG_ERR_COMPILE);
}

/* ---- preamble: [template <typename T, ...>] [__device__ ...] type name(params) { body } ---- */

static int skip_specifiers(parser *p, wgK_func *f) {
    static const char *const specs[] = {"__device__", "__host__", "__forceinline__", "inline",
                                        "__inline__", "static", "__noinline__", "__global__", NULL};
    int any = 0;
    for (;;) {
        int hit = 0;
        for (int i = 0; specs[i]; i++)
            if (wgK_tok_is(peek(p), specs[i])) hit = 1;
        if (wgK_tok_is(peek(p), "__launch_bounds__") && is_p(peek2(p), '(')) {
            next(p);
            int level = 0;
            do {  /* __launch_bounds__(...): a hint for CUDA's register allocation */
                const wgK_tok *t = next(p);
                if (t->kind == TK_EOF) return any;
                if (is_p(t, '(')) level++;
                else if (is_p(t, ')')) level--;
            } while (level > 0);
            any = 1;
            continue;
        }
        if (!hit) return any;
        if (wgK_tok_is(peek(p), "__global__")) f->is_global = 1;
        next(p);
        any = 1;
    }
}

static int template_params(parser *p, wgK_func *f) {
    if (expect(p, '<', "expected `<`") != WG_OK) return WG_ERR_COMPILE;
    for (;;) {
        const wgK_tok *kw = peek(p);
        int vdt = -1;
        if (wgK_tok_is(kw, "typename") || wgK_tok_is(kw, "class")) {
            next(p);
        } else {  /* a value parameter: `int N` (a RawModule name expression gives it) */
            wgK_type ty;
            if (!is_type_start(p, kw) || parse_type(p, &ty) != WG_OK || ty.dtype < 0 ||
                wgD_is_float(ty.dtype) || ty.is_ptr || ty.is_ref)
                return fail(p, WG_ERR_NOTIMPL, kw, "only type and integer template parameters are supported");
            vdt = ty.dtype;
        }
        const wgK_tok *name = next(p);
        if (name->kind != TK_IDENT || f->ntparams >= 8)
            return fail(p, WG_ERR_COMPILE, name, "bad template parameter");
        f->tvalue_dt[f->ntparams] = vdt;
        f->tparams[f->ntparams++] = name;
        if (accept(p, '>')) break;
        if (expect(p, ',', "expected `,` or `>`") != WG_OK) return WG_ERR_COMPILE;
    }
    return WG_OK;
}

static int function_params(parser *p, wgK_func *f) {
    if (expect(p, '(', "expected `(`") != WG_OK) return WG_ERR_COMPILE;
    if (wgK_tok_is(peek(p), "void") && is_p(peek2(p), ')')) next(p);
    if (accept(p, ')')) return WG_OK;
    for (;;) {
        if (f->nparams >= WGK_MAX_FUNC_PARAMS) return fail(p, WG_ERR_NOTIMPL, peek(p), "too many function parameters");
        if (parse_type(p, &f->ptype[f->nparams]) != WG_OK) return WG_ERR_COMPILE;
        const wgK_tok *name = next(p);
        if (name->kind != TK_IDENT) return fail(p, WG_ERR_COMPILE, name, "expected a parameter name");
        f->pname[f->nparams++] = name;
        if (accept(p, ')')) return WG_OK;
        if (expect(p, ',', "expected `,` or `)`") != WG_OK) return WG_ERR_COMPILE;
    }
}

static int function_def(parser *p, wgK_func *f) {
    memset(f, 0, sizeof *f);
    if (wgK_tok_is(peek(p), "template")) {
        next(p);
        if (template_params(p, f) != WG_OK) return WG_ERR_COMPILE;
    }
    skip_specifiers(p, f);
    p->ntnames = p->nvnames = 0;
    for (int i = 0; i < f->ntparams; i++) {
        if (f->tvalue_dt[i] < 0) p->tnames[p->ntnames++] = f->tparams[i];
        else p->nvnames++;
    }
    const wgK_tok *t = peek(p);
    if (!is_type_start(p, t))
        return fail(p, WG_ERR_NOTIMPL, t, "only __device__ functions and #define are supported in a preamble");
    if (parse_type(p, &f->ret) != WG_OK) return WG_ERR_COMPILE;
    skip_specifiers(p, f);
    f->name = next(p);
    if (f->name->kind != TK_IDENT) return fail(p, WG_ERR_COMPILE, f->name, "expected a function name");
    if (!is_p(peek(p), '('))
        return fail(p, WG_ERR_NOTIMPL, peek(p), "only __device__ functions and #define are supported in a preamble");
    if (function_params(p, f) != WG_OK) return WG_ERR_COMPILE;
    if (accept(p, ';')) return 1;  /* a prototype */
    if (expect(p, '{', "expected `{`") != WG_OK) return WG_ERR_COMPILE;
    f->body = block_stmts(p, 0, 1);
    p->ntnames = p->nvnames = 0;
    return f->body ? WG_OK : WG_ERR_COMPILE;
}

int wgK_parse_preamble(wgK_pctx *P, const wgK_parser_cfg *cfg, const wgK_toks *t, wgK_func *funcs,
                       int maxf, int *nfuncs) {
    parser p;
    init_parser(&p, P, cfg, t);
    *nfuncs = 0;
    while (peek(&p)->kind != TK_EOF) {
        if (accept(&p, ';')) continue;
        if (wgK_tok_is(peek(&p), "extern")) {
            return fail(&p, WG_ERR_NOTIMPL, peek(&p), "extern declarations are not supported in a preamble");
        }
        if (*nfuncs >= maxf) return fail(&p, WG_ERR_NOTIMPL, peek(&p), "too many preamble functions");
        int rc = function_def(&p, &funcs[*nfuncs]);
        if (rc < 0) return wgB_failed(P->ctx) ? wg_last_status(P->ctx) : rc;
        if (rc == WG_OK) (*nfuncs)++;
    }
    return WG_OK;
}

/* ---- a RawKernel's module: functions, `extern "C"` (blocks too) ---- */

int wgK_parse_module(wgK_pctx *P, const wgK_parser_cfg *cfg, const wgK_toks *t, wgK_func *funcs,
                     int maxf, int *nfuncs) {
    parser p;
    init_parser(&p, P, cfg, t);
    *nfuncs = 0;
    int blocks = 0;  /* open `extern "C" {` */
    while (peek(&p)->kind != TK_EOF) {
        if (accept(&p, ';')) continue;
        if (blocks && accept(&p, '}')) {
            blocks--;
            continue;
        }
        if (wgK_tok_is(peek(&p), "extern")) {
            const wgK_tok *e = next(&p);
            if (peek(&p)->kind != TK_STRING)
                return fail(&p, WG_ERR_NOTIMPL, e, "extern declarations are not supported (only extern \"C\")");
            next(&p);
            if (accept(&p, '{')) {
                if (++blocks > 16) return fail(&p, WG_ERR_COMPILE, e, "too many nested extern blocks");
                continue;
            }
        }
        const wgK_tok *at = peek(&p);
        if (*nfuncs >= maxf) return fail(&p, WG_ERR_NOTIMPL, at, "too many functions");
        int q = p.pos, constant = 0;  /* [static] [__device__] __constant__ [const] T c[n] = {...}; */
        while (q < p.n && (wgK_tok_is(&p.t[q], "static") || wgK_tok_is(&p.t[q], "__device__") ||
                           wgK_tok_is(&p.t[q], "__constant__") || wgK_tok_is(&p.t[q], "const")))
            constant |= wgK_tok_is(&p.t[q++], "__constant__");
        if (constant) {
            while (wgK_tok_is(peek(&p), "static") || wgK_tok_is(peek(&p), "__device__") ||
                   wgK_tok_is(peek(&p), "__constant__"))
                next(&p);
            wgK_func *c = &funcs[*nfuncs];
            memset(c, 0, sizeof *c);
            c->is_constant = 1;
            c->name = at;
            c->ret.dtype = -1;
            p.constant = 1;
            c->body = declaration(&p, 0);
            p.constant = 0;
            if (!c->body) return wgB_failed(P->ctx) ? wg_last_status(P->ctx) : WG_ERR_COMPILE;
            for (const wgK_node *d = c->body->a; d; d = d->next)
                if (d->type.is_ptr || d->type.is_ref || d->type.is_shared)
                    return fail(&p, WG_ERR_NOTIMPL, d->tok, "a __constant__ pointer or reference is not supported");
            (*nfuncs)++;
            continue;
        }
        int rc = function_def(&p, &funcs[*nfuncs]);
        if (rc < 0) return wgB_failed(P->ctx) ? wg_last_status(P->ctx) : rc;
        if (rc == WG_OK) (*nfuncs)++;
    }
    if (blocks) return fail(&p, WG_ERR_COMPILE, peek(&p), "expected `}` closing extern \"C\" {");
    return WG_OK;
}

/* A type at t->v[*pos] (a RawKernel's template argument in `name<float, int>`). */
int wgK_parse_type_at(wgK_pctx *P, const wgK_toks *t, int *pos, wgK_type *ty) {
    parser p;
    wgK_parser_cfg cfg = {0};
    init_parser(&p, P, &cfg, t);
    p.pos = *pos;
    int rc = parse_type(&p, ty);
    *pos = p.pos;
    return rc;
}
