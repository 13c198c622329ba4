/* lex — C tokens of one kernel text, with their line and column; the parse arena and the error
 * message format shared by the front end. */
#include <stdio.h>
#include <string.h>

#include "lang_int.h"

struct wgK_arena_blk {
    wgK_arena_blk *next;
    size_t used, cap;
    max_align_t data[];
};

#define ARENA_LIMIT ((size_t)64 << 20)

void *wgK_alloc(wgK_pctx *P, size_t n) {
    n = (n + 15) & ~(size_t)15;
    wgK_arena_blk *b = P->arena;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        if (P->arena_total + cap > ARENA_LIMIT) {
            wgB_error(P->ctx, WG_ERR_MEMORY, "%s: kernel source too large", P->name);
            return NULL;
        }
        b = wgB_malloc(P->ctx, sizeof *b + cap);
        if (!b) return NULL;
        b->next = P->arena;
        b->used = 0;
        b->cap = cap;
        P->arena = b;
        P->arena_total += cap;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

void wgK_arena_free(wgK_arena_blk *b) {
    while (b) {
        wgK_arena_blk *n = b->next;
        wgB_free(b);
        b = n;
    }
}

const char *wgK_src_name(int src) {
    static const char *const names[WGK_NSRC] = {"operation", "preamble", "loop_prep", "map_expr",
                                                "reduce_expr", "post_map_expr", "identity",
                                                "params"};
    return src >= 0 && src < WGK_NSRC ? names[src] : "?";
}

int wgK_err_at(wgK_pctx *P, int status, const wgK_tok *t, const char *what) {
    P->failed = 1;
    if (wgB_failed(P->ctx)) return status;
    if (!t) return wgB_error(P->ctx, status, "%s: %s", P->name, what);
    int len = t->kind == TK_EOF ? 0 : t->len;
    if (len > 80) len = 80;
    const char *in = t->src == WGK_SRC_OPERATION ? "" : " in ";
    const char *src = t->src == WGK_SRC_OPERATION ? "" : wgK_src_name(t->src);
    return wgB_error(P->ctx, status, "%s:%d:%d: %s%s%s: `%.*s`", P->name, t->line, t->col, what,
                     in, src, len, t->kind == TK_EOF ? "" : t->text);
}

int wgK_toks_push(wgK_pctx *P, wgK_toks *t, const wgK_tok *tok) {
    /* macro expansion may copy tokens many times over: bound the total work, not one list */
    if (++P->pushed > 8L * WGK_MAX_TOKENS)
        return wgK_err_at(P, WG_ERR_COMPILE, tok, "source too long after macro expansion");
    if (t->n == t->cap) {
        if (t->n >= WGK_MAX_TOKENS)
            return wgK_err_at(P, WG_ERR_COMPILE, tok, "source too long (tokens)");
        int ncap = t->cap ? t->cap * 2 : 256;
        wgK_tok *v = wgB_realloc(P->ctx, t->v, sizeof *v * (size_t)ncap);
        if (!v) return (P->failed = 1), WG_ERR_MEMORY;
        t->v = v;
        t->cap = ncap;
    }
    t->v[t->n++] = *tok;
    return WG_OK;
}

void wgK_toks_free(wgK_toks *t) {
    wgB_free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

int wgK_tok_is(const wgK_tok *t, const char *s) {
    size_t n = strlen(s);
    return (t->kind == TK_IDENT) && (size_t)t->len == n && !memcmp(t->text, s, n);
}

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alnum(int c) { return is_alpha(c) || is_digit(c); }

static const char *const puncts3[] = {"<<=", ">>=", "...", NULL};
static const char *const puncts2[] = {"++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
                                      "==", "!=", "<=", ">=", "&&", "||", "<<", ">>", "->", "::",
                                      "##", NULL};

typedef struct {
    const char *s;
    int pos, line, col, src;
} lexer;

static void advance(lexer *L, int n) {
    for (int k = 0; k < n && L->s[L->pos]; k++) {
        if (L->s[L->pos] == '\n') L->line++, L->col = 1;
        else L->col++;
        L->pos++;
    }
}

/* Skips blanks and comments; stops at a newline when in a directive.  Backslash-newline is a
 * blank (Python's non-raw strings usually remove them already). */
static int skip_blank(wgK_pctx *P, lexer *L, int in_directive) {
    for (;;) {
        char c = L->s[L->pos];
        if (c == '\\' && L->s[L->pos + 1] == '\n') advance(L, 2);
        else if (c == '\\' && L->s[L->pos + 1] == '\r' && L->s[L->pos + 2] == '\n') advance(L, 3);
        else if (c == '\n' && in_directive) return WG_OK;
        else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v')
            advance(L, 1);
        else if (c == '/' && L->s[L->pos + 1] == '/') {
            while (L->s[L->pos] && L->s[L->pos] != '\n') advance(L, 1);
        } else if (c == '/' && L->s[L->pos + 1] == '*') {
            wgK_tok t = {TK_PUNCT, 0, L->s + L->pos, 2, L->line, L->col, L->src};
            advance(L, 2);
            while (L->s[L->pos] && !(L->s[L->pos] == '*' && L->s[L->pos + 1] == '/')) advance(L, 1);
            if (!L->s[L->pos]) return wgK_err_at(P, WG_ERR_COMPILE, &t, "unterminated comment");
            advance(L, 2);
        } else return WG_OK;
    }
}

static int lex_number(wgK_pctx *P, lexer *L, wgK_tok *t) {
    const char *s = L->s + L->pos;
    int n = 0, is_float = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        n = 2;
        while (is_alnum(s[n])) n++;
    } else {
        while (is_digit(s[n])) n++;
        if (s[n] == '.') {
            is_float = 1;
            n++;
            while (is_digit(s[n])) n++;
        }
        if (s[n] == 'e' || s[n] == 'E') {
            int m = n + 1;
            if (s[m] == '+' || s[m] == '-') m++;
            if (!is_digit(s[m])) {
                t->text = s;
                t->len = m;
                return wgK_err_at(P, WG_ERR_COMPILE, t, "malformed exponent");
            }
            is_float = 1;
            n = m;
            while (is_digit(s[n])) n++;
        }
        while (is_alpha(s[n])) n++;  /* suffixes, checked by the parser */
    }
    t->kind = is_float ? TK_FLOAT : TK_INT;
    t->text = s;
    t->len = n;
    advance(L, n);
    return WG_OK;
}

static int lex_punct(wgK_pctx *P, lexer *L, wgK_tok *t) {
    const char *s = L->s + L->pos;
    t->kind = TK_PUNCT;
    t->text = s;
    for (int i = 0; puncts3[i]; i++)
        if (!strncmp(s, puncts3[i], 3)) {
            t->len = 3;
            t->punct = P3(s[0], s[1], s[2]);
            advance(L, 3);
            return WG_OK;
        }
    for (int i = 0; puncts2[i]; i++)
        if (!strncmp(s, puncts2[i], 2)) {
            t->len = 2;
            t->punct = P2(s[0], s[1]);
            advance(L, 2);
            return WG_OK;
        }
    if (strchr("+-*/%<>=!&|^~?:;,.()[]{}#", s[0])) {
        t->len = 1;
        t->punct = P1(s[0]);
        advance(L, 1);
        return WG_OK;
    }
    t->len = 1;
    if ((unsigned char)s[0] >= 0x80) {  /* show the whole UTF-8 sequence */
        int n = 1;
        while (n < 4 && ((unsigned char)s[n] & 0xc0) == 0x80) n++;
        t->len = n;
    }
    return wgK_err_at(P, WG_ERR_COMPILE, t, "unexpected character");
}

static int lex_string(wgK_pctx *P, lexer *L, wgK_tok *t) {
    const char *s = L->s + L->pos;
    char q = s[0];
    int n = 1;
    while (s[n] && s[n] != q && s[n] != '\n') n += (s[n] == '\\' && s[n + 1]) ? 2 : 1;
    t->text = s;
    t->len = n;
    if (s[n] != q) return wgK_err_at(P, WG_ERR_COMPILE, t, "unterminated literal");
    t->len = n + 1;
    t->kind = TK_STRING;
    advance(L, n + 1);
    return WG_OK;
}

int wgK_lex(wgK_pctx *P, const char *text, int src, wgK_toks *out) {
    lexer L = {text, 0, 1, 1, src};
    int in_directive = 0, at_line_start = 1, rc;
    for (;;) {
        int line0 = L.line;
        if ((rc = skip_blank(P, &L, in_directive)) != WG_OK) return rc;
        if (L.line != line0) at_line_start = 1;
        wgK_tok t = {TK_EOF, 0, L.s + L.pos, 0, L.line, L.col, src};
        char c = L.s[L.pos];
        if (in_directive && (c == '\n' || !c)) {
            t.kind = TK_PUNCT;
            t.punct = P1('\n');
            if ((rc = wgK_toks_push(P, out, &t)) != WG_OK) return rc;
            in_directive = 0;
            at_line_start = 1;
            if (c) advance(&L, 1);
            continue;
        }
        if (!c) return wgK_toks_push(P, out, &t);
        if (c == '#' && at_line_start) {
            t.kind = TK_HASH_LINE;
            t.len = 1;
            advance(&L, 1);
            in_directive = 1;
        } else if (is_alpha(c)) {
            int n = 0;
            while (is_alnum(L.s[L.pos + n])) n++;
            t.kind = TK_IDENT;
            t.len = n;
            advance(&L, n);
        } else if (is_digit(c) || (c == '.' && is_digit(L.s[L.pos + 1]))) {
            rc = lex_number(P, &L, &t);
        } else if (c == '"' || c == '\'') {
            rc = lex_string(P, &L, &t);
        } else {
            rc = lex_punct(P, &L, &t);
        }
        if (rc != WG_OK) return rc;
        at_line_start = 0;
        if ((rc = wgK_toks_push(P, out, &t)) != WG_OK) return rc;
    }
}
