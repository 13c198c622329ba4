/*
 * lower — type-check the AST for one call's dtypes and emit the kernel IR.
 *
 * C semantics kept: the usual arithmetic conversions (bool and small ints promote to int; int op
 * float is float; a double literal makes the expression double), truncating integer / and %
 * (built from NumPy's floor ops), short-circuit && || and ?: (an IF where an operand has side
 * effects; elsewhere both sides are evaluated, which is safe since raw reads out of bounds give
 * zero).  The 64-bit policy (wg_set_x64) applies to every C type: with it off, double, long long,
 * size_t, ptrdiff_t and `i` compute in their 32-bit counterparts, as every array does.
 *
 * Elementwise kernels are statement kernels (locals for C variables and non-raw outputs); one
 * without control flow or raw access holds only GET/SET besides value ops, which the api layer
 * replays as a fusable graph.  Non-raw outputs the body may read before it surely wrote them come
 * in as extra inputs (found by a first pass).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lower_int.h"

#define MAX_INST 60000

/* ---- emission ---- */

wgK_val wgK_fail(wgK_lw *L, int status, const wgK_node *n, const char *what) {
    wgK_err_at(L->P, status, n ? n->tok : NULL, what);
    return (wgK_val){-1, -1};
}

int wgK_emit(wgK_lw *L, int op, int dt, int arg, int a, int b, int c) {
    wg_kernel_ir *k = L->k;
    if (wgB_failed(L->ctx)) return -1;
    if (L->straight && wgI_op_is_stmt(op)) {
        wgB_error(L->ctx, WG_ERR_NOTIMPL, "%s: statements in a reduction's expressions are not supported",
                  L->d->name);
        return -1;
    }
    if (k->ninst >= MAX_INST) {
        wgB_error(L->ctx, WG_ERR_NOTIMPL, "%s: kernel too large", L->d->name);
        return -1;
    }
    if (k->ninst == L->cap) {
        int ncap = L->cap ? L->cap * 2 : 256;
        wg_inst *ni = wgB_realloc(L->ctx, k->inst, sizeof *ni * (size_t)ncap);
        if (!ni) return -1;
        k->inst = ni;
        L->cap = ncap;
    }
    wg_inst *in = &k->inst[k->ninst];
    in->op = (uint8_t)op;
    in->dtype = (uint8_t)dt;
    in->arg = (uint16_t)arg;
    in->src[0] = (uint16_t)(a < 0 ? 0 : a - L->base);
    in->src[1] = (uint16_t)(b < 0 ? 0 : b - L->base);
    in->src[2] = (uint16_t)(c < 0 ? 0 : c - L->base);
    return k->ninst++;
}

static int emit_stmt(wgK_lw *L, int op, int arg, int a, int b) {
    return wgK_emit(L, op, 0, arg, a, b, -1);
}

int wgK_canon(wgK_lw *L, int dt) { return wgD_canonical(dt, L->x64); }

static int add_param(wgK_lw *L, int dt, int what, int param, int dim, wg_value v) {
    wg_kernel_ir *k = L->k;
    for (int s = 0; s < k->nparams; s++) {
        if (k->param_dtype[s] != dt || L->map->p[s].what != what) continue;
        if (what == WGK_P_CONST ? L->map->p[s].value.u == v.u
                                : (L->map->p[s].param == param && L->map->p[s].dim == dim))
            return s;
    }
    if (k->nparams >= WG_KMAX_PARAMS) {
        wgB_error(L->ctx, WG_ERR_NOTIMPL, "%s: too many scalar parameters and constants (%d)",
                  L->d->name, WG_KMAX_PARAMS);
        return -1;
    }
    int s = k->nparams++;
    k->param_dtype[s] = (uint8_t)dt;
    L->map->p[s].what = what;
    L->map->p[s].param = param;
    L->map->p[s].dim = dim;
    L->map->p[s].value = v;
    return s;
}

static wgK_val param_val(wgK_lw *L, int dt, int what, int param, int dim) {
    wg_value v = {0};
    int s = add_param(L, dt, what, param, dim, v);
    if (s < 0) return (wgK_val){-1, -1};
    return (wgK_val){wgK_emit(L, WG_OP_PARAM, dt, s, -1, -1, -1), dt};
}

wgK_val wgK_const(wgK_lw *L, int dt, double f, int64_t i) {
    wg_value v;
    if (wgD_is_float(dt)) v.f = f;
    else if (dt == WG_BOOL) v.i = i != 0;
    else {
        wg_value src;
        src.i = i;
        v = wgD_convert(src, WG_INT64, dt);  /* wrap to the width, as C's conversion */
    }
    int s = add_param(L, dt, WGK_P_CONST, -1, 0, v);
    if (s < 0) return (wgK_val){-1, -1};
    L->k->param_const[s] = 1;
    L->k->param_value[s] = v;
    return (wgK_val){wgK_emit(L, WG_OP_PARAM, dt, s, -1, -1, -1), dt};
}

wgK_val wgK_cast(wgK_lw *L, wgK_val v, int dt) {
    if (!wgK_ok(v) || v.dt == dt) return v;
    return (wgK_val){wgK_emit(L, WG_OP_CAST, dt, 0, v.inst, -1, -1), dt};
}

wgK_val wgK_op1(wgK_lw *L, int op, wgK_val a) {
    if (!wgK_ok(a)) return a;
    int dt = wgI_op_gives_bool(op) ? WG_BOOL : a.dt;
    return (wgK_val){wgK_emit(L, op, dt, 0, a.inst, -1, -1), dt};
}

wgK_val wgK_op2(wgK_lw *L, int op, wgK_val a, wgK_val b) {
    if (!wgK_ok(a) || !wgK_ok(b)) return (wgK_val){-1, -1};
    int dt = wgI_op_gives_bool(op) ? WG_BOOL : a.dt;
    return (wgK_val){wgK_emit(L, op, dt, 0, a.inst, b.inst, -1), dt};
}

wgK_val wgK_where(wgK_lw *L, wgK_val c, wgK_val a, wgK_val b) {
    if (!wgK_ok(c) || !wgK_ok(a) || !wgK_ok(b)) return (wgK_val){-1, -1};
    return (wgK_val){wgK_emit(L, WG_OP_WHERE, a.dt, 0, c.inst, a.inst, b.inst), a.dt};
}

static wgK_val to_bool(wgK_lw *L, wgK_val v) { return wgK_cast(L, v, WG_BOOL); }

/* ---- C types ---- */

static int float_rank(int dt) { return dt == WG_FLOAT16 ? 1 : dt == WG_FLOAT32 ? 2 : 3; }

static int int_promote(int dt) {
    if (dt == WG_BOOL || dt == WG_INT8 || dt == WG_INT16 || dt == WG_UINT8 || dt == WG_UINT16)
        return WG_INT32;
    return dt;
}

int wgK_arith_type(wgK_lw *L, int a, int b) {
    if (wgD_is_float(a) || wgD_is_float(b)) {
        if (!wgD_is_float(a)) return wgK_canon(L, b);
        if (!wgD_is_float(b)) return wgK_canon(L, a);
        return wgK_canon(L, float_rank(a) >= float_rank(b) ? a : b);
    }
    a = int_promote(a);
    b = int_promote(b);
    if (a == b) return wgK_canon(L, a);
    int ra = wgD_size(a), rb = wgD_size(b);
    int r;
    if (wgD_is_signed(a) == wgD_is_signed(b)) r = ra >= rb ? a : b;
    else {
        int u = wgD_is_signed(a) ? b : a, s = wgD_is_signed(a) ? a : b;
        r = wgD_size(u) >= wgD_size(s) ? u : s;
    }
    return wgK_canon(L, r);
}

static wgK_frame *top_frame(wgK_lw *L) { return L->nframes ? &L->frames[L->nframes - 1] : NULL; }

static int resolve_type(wgK_lw *L, const wgK_type *ty, const wgK_node *at) {
    if (ty->is_ptr) return wgK_fail(L, WG_ERR_NOTIMPL, at, "pointers are not supported"), -1;
    if (ty->is_void) return wgK_fail(L, WG_ERR_COMPILE, at, "void is not a value type"), -1;
    if (ty->dtype >= 0) return wgK_canon(L, ty->dtype);
    const wgK_tok *nm = ty->name;
    wgK_frame *f = top_frame(L);
    if (f)
        for (int i = 0; i < f->f->ntparams; i++)
            if (f->f->tparams[i]->len == nm->len &&
                !memcmp(f->f->tparams[i]->text, nm->text, (size_t)nm->len)) {
                if (f->tdt[i] < 0) return wgK_fail(L, WG_ERR_COMPILE, at, "template parameter not deduced"), -1;
                return f->tdt[i];
            }
    const wgK_func *rf = L->d->kind == WGK_RAW ? L->d->raw_func : NULL;
    for (int i = 0; rf && !f && i < rf->ntparams; i++)  /* a template kernel's T (name<float>) */
        if (rf->tvalue_dt[i] < 0 && rf->tparams[i]->len == nm->len && !memcmp(rf->tparams[i]->text, nm->text, (size_t)nm->len))
            return wgK_canon(L, L->d->raw_tdt[i]);
    if (nm->len == 1)
        for (int i = 0; i < L->d->nparams; i++)
            if (L->d->params[i].dtype < 0 && L->d->params[i].placeholder == nm->text[0])
                return L->pdt[i];
    wgK_err_at(L->P, WG_ERR_COMPILE, nm, "unknown type");
    return -1;
}

/* ---- locals and symbols ---- */

static int alloc_var(wgK_lw *L, int dt, const wgK_node *at) {
    wg_kernel_ir *k = L->k;
    for (int v = 0; v < k->nvars; v++)
        if (!L->var_used[v] && k->var_dtype[v] == dt) {
            L->var_used[v] = 1;
            return v;
        }
    if (k->nvars >= WG_KMAX_VARS)
        return wgK_fail(L, WG_ERR_NOTIMPL, at, "too many local variables"), -1;
    k->var_dtype[k->nvars] = (uint8_t)dt;
    L->var_used[k->nvars] = 1;
    return k->nvars++;
}

static wgK_sym *push_sym(wgK_lw *L, const wgK_tok *name, int kind, int dt, const wgK_node *at) {
    if (L->nsyms >= WGK_MAX_SYMS) return wgK_fail(L, WG_ERR_NOTIMPL, at, "too many names"), NULL;
    wgK_sym *s = &L->syms[L->nsyms++];
    memset(s, 0, sizeof *s);
    s->name = name ? name->text : "";
    s->len = name ? name->len : 0;
    s->kind = kind;
    s->dt = dt;
    s->outj = -1;
    s->slot = -1;
    return s;
}

static void pop_syms(wgK_lw *L, int mark) {
    while (L->nsyms > mark) {
        wgK_sym *s = &L->syms[--L->nsyms];
        if (s->kind == S_LOCAL && s->owned) L->var_used[s->var] = 0;
        if (s->kind == S_ARRAY)
            for (int e = 0; e < s->n; e++) L->var_used[s->vars[e]] = 0;
    }
}

static wgK_sym *lookup(wgK_lw *L, const wgK_tok *t) {
    /* names with the reserved prefix __wg_ (RawKernel's thread geometry) are seen everywhere */
    int everywhere = t->len > 5 && !memcmp(t->text, "__wg_", 5);
    for (int i = L->nsyms - 1; i >= 0; i--) {
        if (L->nframes && i < L->floor && !everywhere) break;  /* a preamble function sees only its own names */
        wgK_sym *s = &L->syms[i];
        if (s->len == t->len && !memcmp(s->name, t->text, (size_t)t->len)) return s;
    }
    if (L->d->kind == WGK_RAW && !everywhere)  /* a module's __constant__ variable (def.c) */
        for (int k = 0; k < L->d->raw.nconst; k++)
            if ((int)strlen(L->d->raw.const_name[k]) == t->len &&
                !memcmp(L->d->raw.const_name[k], t->text, (size_t)t->len)) {
                char nm[32];
                snprintf(nm, sizeof nm, "__wg_c%d", k);
                wgK_tok h = {TK_IDENT, 0, nm, (int)strlen(nm), 0, 0, 0};
                return lookup(L, &h);
            }
    return NULL;
}

/* ---- lvalues ---- */

enum { LV_VAR, LV_RAW_OUT, LV_ARRAY_ELEM, LV_SHARED };
typedef struct {
    int kind, dt, var, outj, slot;
    wgK_val idx;
} lvalue;

static void note_read(wgK_lw *L, int outj) {
    if (outj >= 0 && !L->written[outj]) L->needs_load[outj] = 1;
}

static void note_write(wgK_lw *L, int outj) {
    if (outj >= 0 && L->cond_depth == 0) L->written[outj] = 1;
}

static wgK_val raw_index(wgK_lw *L, const wgK_sym *s, const wgK_node *ix);

static wgK_val int_index(wgK_lw *L, const wgK_node *n, wgK_val v);

/* a[i][j]...: the node under the chain of indexings, and how many there are */
static const wgK_node *chain_base(const wgK_node *n, int *depth) {
    int k = 0;
    while (n->kind == N_INDEX) {
        n = n->a;
        k++;
    }
    *depth = k;
    return n;
}

/* The element of __shared__ array s (a workgroup array, or a storage scratch) that the index
 * chain n names: C order over its dimensions; a scratch's block b has its own slice at b * len. */
static wgK_val shared_elem(wgK_lw *L, const wgK_sym *s, const wgK_node *n) {
    const wgK_node *ix[WGK_MAX_SHARED_RANK];
    int depth = 0;
    for (const wgK_node *q = n; q->kind == N_INDEX; q = q->a) {
        if (depth >= s->ndims) break;
        ix[depth++] = q->b;
    }
    int total;
    chain_base(n, &total);
    if (total != s->ndims) {
        char msg[120];
        snprintf(msg, sizeof msg, "a __shared__ array must be indexed with all of its %d dimensions", s->ndims);
        return wgK_fail(L, WG_ERR_NOTIMPL, n, msg);
    }
    if (s->ndims == 1 && !s->scratch_len) return int_index(L, ix[0], wgK_rv(L, ix[0]));
    int idt = wgK_canon(L, WG_INT64);
    wgK_val flat = s->ndims == 0 ? wgK_const(L, idt, 0, 0)  /* a __shared__ scalar */
                                 : wgK_cast(L, int_index(L, ix[depth - 1], wgK_rv(L, ix[depth - 1])), idt);
    for (int k = 1; k < s->ndims && wgK_ok(flat); k++) {
        wgK_val e = wgK_cast(L, int_index(L, ix[depth - 1 - k], wgK_rv(L, ix[depth - 1 - k])), idt);
        wgK_val dim = wgK_const(L, idt, s->dims[k], s->dims[k]);
        if (!wgK_ok(e) || !wgK_ok(dim)) return (wgK_val){-1, -1};
        flat = wgK_op2(L, WG_OP_ADD, wgK_op2(L, WG_OP_MULTIPLY, flat, dim), e);
    }
    if (s->scratch_len && wgK_ok(flat)) {
        wgK_tok sb = {TK_IDENT, 0, "__wg_sb", 7, 0, 0, 0};
        wgK_sym *b = lookup(L, &sb);
        if (!b || b->kind != S_LOCAL) return wgK_fail(L, WG_ERR_INTERNAL, n, "no block index");
        wgK_val bv = wgK_cast(L, (wgK_val){wgK_emit(L, WG_OP_GET, b->dt, b->var, -1, -1, -1), b->dt}, idt);
        wgK_val len = wgK_const(L, idt, (double)s->scratch_len, s->scratch_len);
        if (!wgK_ok(bv) || !wgK_ok(len)) return (wgK_val){-1, -1};
        flat = wgK_op2(L, WG_OP_ADD, wgK_op2(L, WG_OP_MULTIPLY, bv, len), flat);
    }
    return flat;
}

static int resolve_lvalue(wgK_lw *L, const wgK_node *n, lvalue *lv) {
    memset(lv, 0, sizeof *lv);
    lv->outj = -1;
    if (n->kind == N_INDEX) {  /* an element of a __shared__ array (any rank) */
        int depth;
        const wgK_node *base = chain_base(n, &depth);
        wgK_sym *s = base->kind == N_IDENT ? lookup(L, base->tok) : NULL;
        if (s && (s->kind == S_SHARED || (s->kind == S_RAW_OUT && s->scratch_len))) {
            lv->kind = s->kind == S_SHARED ? LV_SHARED : LV_RAW_OUT;
            lv->dt = s->dt;
            lv->slot = s->slot;
            lv->idx = shared_elem(L, s, n);
            return wgK_ok(lv->idx) ? 0 : -1;
        }
        if (depth > 1) return wgK_fail(L, WG_ERR_NOTIMPL, n, "indexing this expression is not supported"), -1;
    }
    if (n->kind == N_IDENT) {
        wgK_sym *s = lookup(L, n->tok);
        if (!s) return wgK_fail(L, WG_ERR_COMPILE, n, "undeclared identifier"), -1;
        if ((s->kind == S_SHARED || (s->kind == S_RAW_OUT && s->scratch_len)) && s->ndims == 0) {
            lv->kind = s->kind == S_SHARED ? LV_SHARED : LV_RAW_OUT;  /* a __shared__ scalar */
            lv->dt = s->dt;
            lv->slot = s->slot;
            lv->idx = shared_elem(L, s, n);
            return wgK_ok(lv->idx) ? 0 : -1;
        }
        if (s->kind != S_LOCAL)
            return wgK_fail(L, WG_ERR_COMPILE, n, "not assignable"), -1;
        lv->kind = LV_VAR;
        lv->dt = s->dt;
        lv->var = s->var;
        lv->outj = s->outj;
        return 0;
    }
    if (n->kind == N_INDEX && n->a->kind == N_IDENT) {
        wgK_sym *s = lookup(L, n->a->tok);
        if (!s) return wgK_fail(L, WG_ERR_COMPILE, n->a, "undeclared identifier"), -1;
        if (s->kind == S_ARRAY) {
            if (n->b->kind != N_INT || n->b->ival < 0 || n->b->ival >= s->n)
                return wgK_fail(L, WG_ERR_NOTIMPL, n->b, "local arrays take constant in-range indices only"), -1;
            lv->kind = LV_VAR;
            lv->dt = s->dt;
            lv->var = s->vars[n->b->ival];
            return 0;
        }
        if (s->kind == S_SHARED) {  /* a workgroup array (ir.h): the element in the workgroup's copy */
            lv->kind = LV_SHARED;
            lv->dt = s->dt;
            lv->slot = s->slot;
            lv->idx = int_index(L, n->b, wgK_rv(L, n->b));
            return wgK_ok(lv->idx) ? 0 : -1;
        }
        if (s->kind == S_RAW_OUT) {
            lv->kind = LV_RAW_OUT;
            lv->dt = s->dt;
            lv->slot = s->slot;
            lv->idx = raw_index(L, s, n->b);
            return wgK_ok(lv->idx) ? 0 : -1;
        }
        if (s->kind == S_RAW_IN)
            return wgK_fail(L, WG_ERR_NOTIMPL, n, "writing a raw input is not supported"), -1;
    }
    return wgK_fail(L, WG_ERR_COMPILE, n, "not assignable"), -1;
}

static wgK_val load_lv(wgK_lw *L, const lvalue *lv) {
    if (lv->kind == LV_RAW_OUT)
        return (wgK_val){wgK_emit(L, WG_OP_OUT_LOAD_AT, lv->dt, lv->slot, lv->idx.inst, -1, -1), lv->dt};
    if (lv->kind == LV_SHARED)
        return (wgK_val){wgK_emit(L, WG_OP_SHARED_LOAD, lv->dt, lv->slot, lv->idx.inst, -1, -1), lv->dt};
    note_read(L, lv->outj);
    return (wgK_val){wgK_emit(L, WG_OP_GET, lv->dt, lv->var, -1, -1, -1), lv->dt};
}

static wgK_val store_lv(wgK_lw *L, const lvalue *lv, wgK_val v) {
    v = wgK_cast(L, v, lv->dt);
    if (!wgK_ok(v)) return v;
    int r;
    if (lv->kind == LV_RAW_OUT) r = emit_stmt(L, WG_OP_STORE_AT, lv->slot, lv->idx.inst, v.inst);
    else if (lv->kind == LV_SHARED) r = emit_stmt(L, WG_OP_SHARED_STORE, lv->slot, lv->idx.inst, v.inst);
    else {
        r = emit_stmt(L, WG_OP_SET, lv->var, v.inst, -1);
        note_write(L, lv->outj);
    }
    return r < 0 ? (wgK_val){-1, -1} : v;
}

/* ---- expressions ---- */

/* Calls to math functions have no side effects; calls to preamble functions may. */
static int atomic_kind(const wgK_node *n);

static int is_pure(wgK_lw *L, const wgK_node *n) {
    if (!n) return 1;
    if (n->kind == N_ASSIGN || n->kind == N_PREINC || n->kind == N_POSTINC) return 0;
    if (n->kind == N_CALL) {
        for (int f = 0; f < L->d->nfuncs; f++)
            if (L->d->funcs[f].name->len == n->tok->len &&
                !memcmp(L->d->funcs[f].name->text, n->tok->text, (size_t)n->tok->len))
                return 0;
        if (atomic_kind(n)) return 0;
        for (const wgK_node *a = n->b; a; a = a->next)
            if (!is_pure(L, a)) return 0;
        return 1;
    }
    if (n->kind == N_MEMBER_CALL) {
        for (const wgK_node *a = n->b; a; a = a->next)
            if (!is_pure(L, a)) return 0;
        return is_pure(L, n->a);
    }
    return is_pure(L, n->a) && is_pure(L, n->b) && is_pure(L, n->c);
}

static wgK_val int_index(wgK_lw *L, const wgK_node *n, wgK_val v) {
    if (!wgK_ok(v)) return v;
    if (wgD_is_float(v.dt)) return wgK_fail(L, WG_ERR_COMPILE, n, "array subscript is not an integer");
    return wgK_cast(L, v, int_promote(v.dt));
}

static wgK_val raw_index(wgK_lw *L, const wgK_sym *s, const wgK_node *ix) {
    if (ix->kind == N_IDENT) {
        wgK_sym *a = lookup(L, ix->tok);
        if (a && a->kind == S_ARRAY) {
            /* x[ind]: ind holds one index per dimension (CuPy's CArray operator[](int (&)[ndim])) */
            int nd = L->raw_ndim[s->param];
            if (a->n != nd)
                return wgK_fail(L, WG_ERR_COMPILE, ix, "index array length differs from the array's ndim");
            int idt = wgK_canon(L, WG_INT64);
            wgK_val flat = {-1, -1};
            for (int d = 0; d < nd; d++) {
                wgK_val e = wgK_cast(L, (wgK_val){wgK_emit(L, WG_OP_GET, a->dt, a->vars[d], -1, -1, -1), a->dt}, idt);
                if (d == 0) flat = e;
                else {
                    wgK_val dim = param_val(L, idt, WGK_P_SHAPE, s->param, d);
                    flat = wgK_op2(L, WG_OP_ADD, wgK_op2(L, WG_OP_MULTIPLY, flat, dim), e);
                }
            }
            if (nd == 0) flat = wgK_const(L, idt, 0, 0);
            return flat;
        }
    }
    return int_index(L, ix, wgK_rv(L, ix));
}

static int add_io(wgK_lw *L, int is_out, int dt, int raw, int param);

/* `reinterpret_cast<const T*>(p)[k]`, `((const T*)p)[k]` (docs/cupy.md, "Device pointers"): p is
 * a parameter `P p` or an element `ps[j]` of a raw parameter; the launch rewrites its values
 * into element offsets of the pointer pool, so the load is LOAD_AT pool, p + k. */
static wgK_val ptr_load(wgK_lw *L, const wgK_node *n) {
    const wgK_node *c = n->a, *o = c->a;
    if (c->type.is_ref || c->type.ptr_depth > 1 || c->type.is_void)
        return wgK_fail(L, WG_ERR_NOTIMPL, c, "this pointer cast is not supported");
    wgK_type et = c->type;
    et.is_ptr = 0;
    et.ptr_depth = 0;
    int dt = resolve_type(L, &et, c);
    if (dt < 0) return (wgK_val){-1, -1};
    wgK_sym *s = NULL;
    if (o->kind == N_IDENT) s = lookup(L, o->tok);
    else if (o->kind == N_INDEX && o->a->kind == N_IDENT) s = lookup(L, o->a->tok);
    if (!s || !((o->kind == N_IDENT && s->kind == S_IN) || (o->kind == N_INDEX && s->kind == S_RAW_IN)))
        return wgK_fail(L, WG_ERR_NOTIMPL, o, "a pointer must be a parameter (`P p`) or an "
                        "element of a raw parameter (`ps[j]`)");
    if (!L->is_array[s->param])
        return wgK_fail(L, WG_ERR_NOTIMPL, o, "a pointer passed as a scalar is not supported "
                        "(pass the pointers in an array)");
    wgK_val pv = wgK_rv(L, o);
    if (!wgK_ok(pv)) return pv;
    if (!wgD_is_int(pv.dt)) return wgK_fail(L, WG_ERR_COMPILE, o, "a pointer value must be an integer");
    wgK_map *M = L->map;
    if (M->pool_in && M->pool_dtype != dt)
        return wgK_fail(L, WG_ERR_NOTIMPL, c, "pointers to two element types in one kernel");
    if (!M->pool_in) {
        int slot = add_io(L, 0, dt, 1, WGK_PTR_POOL);
        if (slot < 0) return (wgK_val){-1, -1};
        M->pool_in = slot + 1;
        M->pool_dtype = dt;
    }
    M->ptr_param[s->param] = 1;
    int idt = wgK_canon(L, WG_INT64);
    wgK_val k = int_index(L, n->b, wgK_rv(L, n->b));
    if (!wgK_ok(k)) return k;
    wgK_val e = wgK_op2(L, WG_OP_ADD, wgK_cast(L, pv, idt), wgK_cast(L, k, idt));
    if (!wgK_ok(e)) return e;
    return (wgK_val){wgK_emit(L, WG_OP_LOAD_AT, dt, M->pool_in - 1, e.inst, -1, -1), dt};
}

static wgK_val index_expr(wgK_lw *L, const wgK_node *n) {
    const wgK_node *base = n->a;
    if (base->kind == N_CAST && base->type.is_ptr) return ptr_load(L, n);
    if (base->kind == N_MEMBER_CALL && wgK_tok_is(base->tok, "shape") && base->a->kind == N_IDENT) {
        wgK_sym *s = lookup(L, base->a->tok);
        if (!s || (s->kind != S_RAW_IN && s->kind != S_RAW_OUT))
            return wgK_fail(L, WG_ERR_COMPILE, base, "shape() of a non-raw parameter");
        if (n->b->kind != N_INT || n->b->ival < 0 || n->b->ival >= L->raw_ndim[s->param])
            return wgK_fail(L, WG_ERR_COMPILE, n->b, "shape() index must be a constant below ndim");
        return param_val(L, wgK_canon(L, WG_INT64), WGK_P_SHAPE, s->param, (int)n->b->ival);
    }
    if (base->kind == N_INDEX) {  /* a[i][j]: a __shared__ array of several dimensions */
        lvalue lv;
        if (resolve_lvalue(L, n, &lv) < 0) return (wgK_val){-1, -1};
        return load_lv(L, &lv);
    }
    if (base->kind != N_IDENT) return wgK_fail(L, WG_ERR_NOTIMPL, n, "indexing this expression is not supported");
    wgK_sym *s = lookup(L, base->tok);
    if (!s) return wgK_fail(L, WG_ERR_COMPILE, base, "undeclared identifier");
    if (s->kind == S_RAW_IN && s->zero_d) {
        /* a 0-d CArray reads its one element whatever the index; in a ReductionKernel it is a
         * raw input (element 0), which its post_map_expr may read too (docs/kernels.md) */
        if (!wgK_ok(wgK_rv(L, n->b))) return (wgK_val){-1, -1};
        if (L->straight) {
            wgK_val z = wgK_const(L, wgK_canon(L, WG_INT64), 0, 0);
            if (!wgK_ok(z)) return z;
            return (wgK_val){wgK_emit(L, WG_OP_LOAD_AT, s->dt, s->slot, z.inst, -1, -1), s->dt};
        }
        return (wgK_val){wgK_emit(L, WG_OP_LOAD, s->dt, s->slot, -1, -1, -1), s->dt};
    }
    if (s->kind == S_RAW_IN) {
        /* (a ReductionKernel's map_expr and post_map_expr read raw inputs by element too) */
        wgK_val ix = raw_index(L, s, n->b);
        if (!wgK_ok(ix)) return ix;
        return (wgK_val){wgK_emit(L, WG_OP_LOAD_AT, s->dt, s->slot, ix.inst, -1, -1), s->dt};
    }
    lvalue lv;
    if (resolve_lvalue(L, n, &lv) < 0) return (wgK_val){-1, -1};
    return load_lv(L, &lv);
}

/* `_j` of a full reduction: the C-order flat index of the point, from INDEX and the shape of
 * the first array input (CuPy's _j is over the broadcast input; equal unless it broadcasts). */
static wgK_val reduce_flat_index(wgK_lw *L, const wgK_node *n, int dt) {
    int src = -1;
    for (int p = 0; p < L->d->nin && src < 0; p++)
        if (L->is_array[p] && !L->d->params[p].is_raw) src = p;
    if (L->nred != L->ndim || src < 0)
        return wgK_fail(L, WG_ERR_NOTIMPL, n, "_j of a partial reduction is not supported");
    wgK_val flat = {-1, -1};
    for (int d = 0; d < L->ndim; d++) {
        wgK_val e = wgK_cast(L, (wgK_val){wgK_emit(L, WG_OP_INDEX, WG_INT64, d, -1, -1, -1), WG_INT64}, dt);
        flat = d == 0 ? e : wgK_op2(L, WG_OP_ADD, wgK_op2(L, WG_OP_MULTIPLY, flat, param_val(L, dt, WGK_P_SHAPE, src, d)), e);
    }
    return L->ndim ? flat : wgK_const(L, dt, 0, 0);
}

static wgK_val ident(wgK_lw *L, const wgK_node *n) {
    wgK_sym *s = lookup(L, n->tok);
    if (!s && L->d->kind == WGK_RAW && wgK_raw_builtin(n->tok) >= 0)  /* threadIdx.x ... */
        return wgK_rv(L, L->d->raw_geom[wgK_raw_builtin(n->tok)]);
    const wgK_func *rf = !s && L->d->kind == WGK_RAW && !L->nframes ? L->d->raw_func : NULL;
    for (int t = 0; rf && t < rf->ntparams; t++)  /* a template value parameter (`int N`) */
        if (rf->tvalue_dt[t] >= 0 && rf->tparams[t]->len == n->tok->len &&
            !memcmp(rf->tparams[t]->text, n->tok->text, (size_t)n->tok->len)) {
            int dt = wgK_canon(L, rf->tvalue_dt[t]);
            return wgK_const(L, dt, (double)L->d->raw_tval[t], L->d->raw_tval[t]);
        }
    if (!s) {
        static const struct { const char *name; int dt; double v; } consts[] = {
            {"INFINITY", WG_FLOAT32, INFINITY}, {"NAN", WG_FLOAT32, NAN},
            {"M_PI", WG_FLOAT64, 3.14159265358979323846}, {"M_E", WG_FLOAT64, 2.71828182845904523536},
            {"FLT_MAX", WG_FLOAT32, 3.402823466e38}, {"DBL_MAX", WG_FLOAT64, 1.7976931348623157e308},
            {"CUDART_INF_F", WG_FLOAT32, INFINITY}, {"CUDART_INF", WG_FLOAT64, INFINITY},
            {"CUDART_NAN_F", WG_FLOAT32, NAN}, {"CUDART_PI_F", WG_FLOAT32, 3.14159265358979323846},
        };
        for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
            if (wgK_tok_is(n->tok, consts[i].name))
                return wgK_const(L, wgK_canon(L, consts[i].dt), consts[i].v, 0);
        if (wgK_tok_is(n->tok, "INT_MAX")) return wgK_const(L, WG_INT32, 0, 2147483647);
        if (wgK_tok_is(n->tok, "INT_MIN")) return wgK_const(L, WG_INT32, 0, -2147483647 - 1);
        if (wgK_tok_is(n->tok, "NULL") || wgK_tok_is(n->tok, "nullptr"))
            return wgK_fail(L, WG_ERR_NOTIMPL, n, "pointers are not supported");
        return wgK_fail(L, WG_ERR_COMPILE, n, "undeclared identifier");
    }
    if ((s->kind == S_SHARED || (s->kind == S_RAW_OUT && s->scratch_len)) && s->ndims == 0) {
        lvalue lv;  /* a __shared__ scalar */
        if (resolve_lvalue(L, n, &lv) < 0) return (wgK_val){-1, -1};
        return load_lv(L, &lv);
    }
    switch (s->kind) {
    case S_LOCAL:
        note_read(L, s->outj);
        return (wgK_val){wgK_emit(L, WG_OP_GET, s->dt, s->var, -1, -1, -1), s->dt};
    case S_IN:
        if (L->in_post && s->slot >= 0)
            return wgK_fail(L, WG_ERR_NOTIMPL, n, "post_map_expr reading an array is not supported");
        if (s->slot < 0) return param_val(L, s->dt, WGK_P_SCALAR, s->param, 0);
        return (wgK_val){wgK_emit(L, WG_OP_LOAD, s->dt, s->slot, -1, -1, -1), s->dt};
    case S_I: case S_J:
        if (L->in_post) return wgK_fail(L, WG_ERR_NOTIMPL, n, "index in post_map_expr is not supported");
        if (s->kind == S_J) return reduce_flat_index(L, n, s->dt);
        if (L->straight) /* CuPy's ReductionKernel has _j, not i */
            return wgK_fail(L, WG_ERR_NOTIMPL, n, "i in a ReductionKernel is not supported (_j is)");
        return (wgK_val){wgK_emit(L, WG_OP_LINEAR, s->dt, 0, -1, -1, -1), s->dt};
    case S_VALUE:
        if (s->inst < 0) return (wgK_val){wgK_emit(L, WG_OP_ACC, s->dt, 0, -1, -1, -1), s->dt};
        return (wgK_val){s->inst, s->dt};
    case S_ARRAY: case S_SHARED: return wgK_fail(L, WG_ERR_COMPILE, n, "an array is not a value");
    default:
        if (s->kind == S_RAW_IN && L->d->kind == WGK_RAW && s->slot >= 0)
            for (int k = 0; k < L->d->raw.nconst; k++)
                if (L->d->raw.const_param[k] == s->param && L->d->raw.const_scalar[k]) {
                    wgK_val z = wgK_const(L, WG_INT32, 0, 0);  /* `__constant__ T c = v;` */
                    if (!wgK_ok(z)) return z;
                    return (wgK_val){wgK_emit(L, WG_OP_LOAD_AT, s->dt, s->slot, z.inst, -1, -1), s->dt};
                }
        return wgK_fail(L, WG_ERR_COMPILE, n, "a raw parameter is not a value (index it)");
    }
}

/* C's truncating integer division and remainder from NumPy's flooring ones. */
static wgK_val c_divmod(wgK_lw *L, wgK_val a, wgK_val b, int want_rem) {
    if (!wgD_is_signed(a.dt))
        return wgK_op2(L, want_rem ? WG_OP_REMAINDER : WG_OP_FLOOR_DIVIDE, a, b);
    wgK_val zero = wgK_const(L, a.dt, 0, 0);
    wgK_val r = wgK_op2(L, WG_OP_REMAINDER, a, b);
    wgK_val signs_differ = wgK_op2(L, WG_OP_NOT_EQUAL, wgK_op2(L, WG_OP_LESS, a, zero),
                                   wgK_op2(L, WG_OP_LESS, b, zero));
    wgK_val fix = wgK_op2(L, WG_OP_LOGICAL_AND, wgK_op2(L, WG_OP_NOT_EQUAL, r, zero), signs_differ);
    wgK_val fixn = wgK_cast(L, fix, a.dt);
    if (want_rem) return wgK_op2(L, WG_OP_SUBTRACT, r, wgK_op2(L, WG_OP_MULTIPLY, fixn, b));
    return wgK_op2(L, WG_OP_ADD, wgK_op2(L, WG_OP_FLOOR_DIVIDE, a, b), fixn);
}

static wgK_val arith(wgK_lw *L, int op, wgK_val a, wgK_val b, const wgK_node *at) {
    if (!wgK_ok(a) || !wgK_ok(b)) return (wgK_val){-1, -1};
    if (op == P2('<', '<') || op == P2('>', '>')) {
        if (wgD_is_float(a.dt) || wgD_is_float(b.dt))
            return wgK_fail(L, WG_ERR_COMPILE, at, "invalid operands to a shift");
        int dt = wgK_canon(L, int_promote(a.dt));
        return wgK_op2(L, op == P2('<', '<') ? WG_OP_LEFT_SHIFT : WG_OP_RIGHT_SHIFT,
                       wgK_cast(L, a, dt), wgK_cast(L, b, dt));
    }
    int dt = wgK_arith_type(L, a.dt, b.dt);
    a = wgK_cast(L, a, dt);
    b = wgK_cast(L, b, dt);
    int isf = wgD_is_float(dt);
    switch (op) {
    case '+': return wgK_op2(L, WG_OP_ADD, a, b);
    case '-': return wgK_op2(L, WG_OP_SUBTRACT, a, b);
    case '*': return wgK_op2(L, WG_OP_MULTIPLY, a, b);
    case '/': return isf ? wgK_op2(L, WG_OP_TRUE_DIVIDE, a, b) : c_divmod(L, a, b, 0);
    case '%':
        if (isf) return wgK_fail(L, WG_ERR_COMPILE, at, "invalid operands to binary %");
        return c_divmod(L, a, b, 1);
    case '&': case '|': case '^':
        if (isf) return wgK_fail(L, WG_ERR_COMPILE, at, "invalid operands to a bitwise operator");
        return wgK_op2(L, op == '&' ? WG_OP_BITWISE_AND : op == '|' ? WG_OP_BITWISE_OR : WG_OP_BITWISE_XOR, a, b);
    case '<': return wgK_op2(L, WG_OP_LESS, a, b);
    case '>': return wgK_op2(L, WG_OP_GREATER, a, b);
    case P2('<', '='): return wgK_op2(L, WG_OP_LESS_EQUAL, a, b);
    case P2('>', '='): return wgK_op2(L, WG_OP_GREATER_EQUAL, a, b);
    case P2('=', '='): return wgK_op2(L, WG_OP_EQUAL, a, b);
    case P2('!', '='): return wgK_op2(L, WG_OP_NOT_EQUAL, a, b);
    default: return wgK_fail(L, WG_ERR_COMPILE, at, "unknown operator");
    }
}

static int lower_stmt(wgK_lw *L, const wgK_node *n);

/* a && b, a || b with side effects in b: evaluated under an IF through a temporary. */
static wgK_val logical(wgK_lw *L, const wgK_node *n) {
    int is_and = n->op == P2('&', '&');
    wgK_val a = to_bool(L, wgK_rv(L, n->a));
    if (is_pure(L, n->b)) {
        wgK_val b = to_bool(L, wgK_rv(L, n->b));
        return wgK_op2(L, is_and ? WG_OP_LOGICAL_AND : WG_OP_LOGICAL_OR, a, b);
    }
    int t = alloc_var(L, WG_BOOL, n);
    if (t < 0 || !wgK_ok(a)) return (wgK_val){-1, -1};
    emit_stmt(L, WG_OP_SET, t, a.inst, -1);
    wgK_val c = is_and ? a : wgK_op1(L, WG_OP_LOGICAL_NOT, a);
    emit_stmt(L, WG_OP_IF, 0, c.inst, -1);
    L->cond_depth++;
    wgK_val b = to_bool(L, wgK_rv(L, n->b));
    if (wgK_ok(b)) emit_stmt(L, WG_OP_SET, t, b.inst, -1);
    emit_stmt(L, WG_OP_END, 0, -1, -1);
    L->cond_depth--;
    wgK_val r = {wgK_emit(L, WG_OP_GET, WG_BOOL, t, -1, -1, -1), WG_BOOL};
    L->var_used[t] = 0;
    return wgK_ok(b) ? r : b;
}

static int ternary_type(wgK_lw *L, int a, int b) {
    if (a == b) return a;
    return wgK_arith_type(L, a, b);
}

static wgK_val ternary(wgK_lw *L, const wgK_node *n) {
    wgK_val c = to_bool(L, wgK_rv(L, n->a));
    if (!wgK_ok(c)) return c;
    if (is_pure(L, n->b) && is_pure(L, n->c)) {
        wgK_val a = wgK_rv(L, n->b), b = wgK_rv(L, n->c);
        if (!wgK_ok(a) || !wgK_ok(b)) return (wgK_val){-1, -1};
        int dt = ternary_type(L, a.dt, b.dt);
        return wgK_where(L, c, wgK_cast(L, a, dt), wgK_cast(L, b, dt));
    }
    /* The arms' type is needed before either is lowered: lower them in a probe?  C needs it
     * only for the result; we lower each arm into a temporary of the first arm's type, then
     * convert on the way out (arms of different types are rare in kernels with side effects). */
    emit_stmt(L, WG_OP_IF, 0, c.inst, -1);
    L->cond_depth++;
    wgK_val a = wgK_rv(L, n->b);
    int t = wgK_ok(a) ? alloc_var(L, a.dt, n) : -1;
    if (t >= 0) emit_stmt(L, WG_OP_SET, t, a.inst, -1);
    emit_stmt(L, WG_OP_ELSE, 0, -1, -1);
    wgK_val b = t >= 0 ? wgK_cast(L, wgK_rv(L, n->c), a.dt) : a;
    if (wgK_ok(b)) emit_stmt(L, WG_OP_SET, t, b.inst, -1);
    emit_stmt(L, WG_OP_END, 0, -1, -1);
    L->cond_depth--;
    if (!wgK_ok(b)) return b;
    wgK_val r = {wgK_emit(L, WG_OP_GET, a.dt, t, -1, -1, -1), a.dt};
    L->var_used[t] = 0;
    return r;
}

static wgK_val unary(wgK_lw *L, const wgK_node *n) {
    wgK_val a = wgK_rv(L, n->a);
    if (!wgK_ok(a)) return a;
    switch (n->op) {
    case '!': return wgK_op1(L, WG_OP_LOGICAL_NOT, to_bool(L, a));
    case '~':
        if (wgD_is_float(a.dt)) return wgK_fail(L, WG_ERR_COMPILE, n, "invalid operand to ~");
        return wgK_op1(L, WG_OP_INVERT, wgK_cast(L, a, wgK_canon(L, int_promote(a.dt))));
    case '-': return wgK_op1(L, WG_OP_NEGATIVE, wgK_cast(L, a, wgK_canon(L, int_promote(a.dt))));
    default: return wgK_cast(L, a, wgK_canon(L, int_promote(a.dt)));
    }
}

static wgK_val assign(wgK_lw *L, const wgK_node *n) {
    lvalue lv;
    if (n->op == '=') {
        wgK_val v = wgK_rv(L, n->b);
        if (!wgK_ok(v) || resolve_lvalue(L, n->a, &lv) < 0) return (wgK_val){-1, -1};
        return store_lv(L, &lv, v);
    }
    if (resolve_lvalue(L, n->a, &lv) < 0) return (wgK_val){-1, -1};
    wgK_val v = wgK_rv(L, n->b);
    wgK_val old = load_lv(L, &lv);
    int op = n->op == P3('<', '<', '=') ? P2('<', '<') : n->op == P3('>', '>', '=') ? P2('>', '>')
                                                                                 : (n->op & 0xff);
    return store_lv(L, &lv, arith(L, op, old, v, n));
}

static wgK_val incdec(wgK_lw *L, const wgK_node *n) {
    lvalue lv;
    if (resolve_lvalue(L, n->a, &lv) < 0) return (wgK_val){-1, -1};
    wgK_val old = load_lv(L, &lv);
    wgK_val one = wgK_const(L, lv.dt == WG_BOOL ? WG_INT32 : lv.dt, 1.0, 1);
    wgK_val nv = arith(L, n->op == P2('+', '+') ? '+' : '-', old, one, n);
    wgK_val st = store_lv(L, &lv, nv);
    if (!wgK_ok(st)) return st;
    return n->kind == N_PREINC ? st : old;
}

static wgK_val cast_expr(wgK_lw *L, const wgK_node *n) {
    if (n->type.is_ptr) return wgK_fail(L, WG_ERR_NOTIMPL, n, "pointer casts are not supported");
    if (n->type.is_ref) return wgK_fail(L, WG_ERR_NOTIMPL, n, "reference casts are not supported");
    int dt = resolve_type(L, &n->type, n);
    if (dt < 0) return (wgK_val){-1, -1};
    wgK_val v = wgK_rv(L, n->a);
    if (n->op == 1 && wgK_ok(v) && v.dt != dt)
        return wgK_fail(L, WG_ERR_NOTIMPL, n, "reinterpret_cast between value types is not supported");
    return wgK_cast(L, v, dt);
}

static wgK_val member_call(wgK_lw *L, const wgK_node *n) {
    if (n->a->kind != N_IDENT) return wgK_fail(L, WG_ERR_NOTIMPL, n, "method call is not supported");
    wgK_sym *s = lookup(L, n->a->tok);
    if (!s) return wgK_fail(L, WG_ERR_COMPILE, n->a, "undeclared identifier");
    int idt = wgK_canon(L, WG_INT64);
    if (wgK_tok_is(n->tok, "size") && !n->b) {
        if (s->kind == S_IND) return param_val(L, idt, WGK_P_IND_SIZE, -1, 0);
        if (s->kind == S_RAW_IN || s->kind == S_RAW_OUT) return param_val(L, idt, WGK_P_SIZE, s->param, 0);
    }
    if (wgK_tok_is(n->tok, "shape")) return wgK_fail(L, WG_ERR_NOTIMPL, n, "shape() other than shape()[k] is not supported");
    return wgK_fail(L, WG_ERR_NOTIMPL, n, "method call is not supported");
}

static const wgK_func *find_func(wgK_lw *L, const wgK_node *call, int nargs) {
    for (int f = 0; f < L->d->nfuncs; f++) {
        const wgK_func *fn = &L->d->funcs[f];
        if (fn->is_constant) continue;
        if (fn->name->len == call->tok->len && !memcmp(fn->name->text, call->tok->text, (size_t)call->tok->len) &&
            fn->nparams == nargs)
            return fn;
    }
    return NULL;
}

/* Does a return appear anywhere but as the body's last statement? */
static int inner_return(const wgK_node *s, int last) {
    if (!s) return 0;
    switch (s->kind) {
    case N_RETURN: return !last;
    case N_BLOCK:
        for (const wgK_node *c = s->a; c; c = c->next)
            if (inner_return(c, last && !c->next)) return 1;
        return 0;
    case N_IF: return inner_return(s->b, 0) || inner_return(s->c, 0);
    case N_FOR: return inner_return(s->d, 0);
    case N_WHILE: case N_DO: return inner_return(s->b, 0);
    default: return 0;
    }
}

static int bind_template(wgK_lw *L, const wgK_func *f, wgK_frame *fr, const wgK_type *pt, int dt,
                         const wgK_node *at) {
    if (pt->dtype >= 0 || !pt->name) return 0;
    for (int t = 0; t < f->ntparams; t++)
        if (f->tparams[t]->len == pt->name->len &&
            !memcmp(f->tparams[t]->text, pt->name->text, (size_t)pt->name->len)) {
            if (fr->tdt[t] >= 0 && fr->tdt[t] != dt)
                return wgK_fail(L, WG_ERR_COMPILE, at, "template argument deduction failed"), -1;
            fr->tdt[t] = dt;
        }
    return 0;
}

static wgK_val inline_call(wgK_lw *L, const wgK_func *f, const wgK_node *call) {
    if (L->nframes >= WGK_MAX_INLINE)
        return wgK_fail(L, WG_ERR_COMPILE, call, "function calls nested too deeply (recursion?)");
    wgK_frame fr;
    memset(&fr, 0, sizeof fr);
    fr.f = f;
    for (int t = 0; t < 8; t++) fr.tdt[t] = -1;
    wgK_val vals[WGK_MAX_FUNC_PARAMS];
    lvalue refs[WGK_MAX_FUNC_PARAMS];
    int k = 0;
    for (const wgK_node *a = call->b; a; a = a->next, k++) {
        if (f->ptype[k].is_ref) {
            if (resolve_lvalue(L, a, &refs[k]) < 0) return (wgK_val){-1, -1};
            if (refs[k].kind != LV_VAR)
                return wgK_fail(L, WG_ERR_NOTIMPL, a, "reference to a raw element is not supported");
            if (bind_template(L, f, &fr, &f->ptype[k], refs[k].dt, a) < 0) return (wgK_val){-1, -1};
            note_read(L, refs[k].outj);
        } else {
            vals[k] = wgK_rv(L, a);
            if (!wgK_ok(vals[k])) return vals[k];
            if (bind_template(L, f, &fr, &f->ptype[k], vals[k].dt, a) < 0) return (wgK_val){-1, -1};
        }
    }
    int mark = L->nsyms, floor0 = L->floor;
    fr.floor0 = floor0;
    fr.loop_depth0 = L->loop_depth;
    L->frames[L->nframes++] = fr;
    wgK_frame *F = &L->frames[L->nframes - 1];
    L->floor = L->nsyms;
    wgK_val result = {-1, -1};
    int ok = 1;
    for (k = 0; k < f->nparams && ok; k++) {
        int dt = resolve_type(L, &f->ptype[k], call);
        wgK_sym *s = dt >= 0 ? push_sym(L, f->pname[k], S_LOCAL, dt, call) : NULL;
        if (!s) { ok = 0; break; }
        if (f->ptype[k].is_ref) {
            if (refs[k].dt != dt) { wgK_fail(L, WG_ERR_COMPILE, call, "reference parameter type mismatch"); ok = 0; break; }
            s->var = refs[k].var;
            s->outj = refs[k].outj;
        } else {
            s->var = alloc_var(L, dt, call);
            s->owned = 1;
            wgK_val v = wgK_cast(L, vals[k], dt);
            if (s->var < 0 || !wgK_ok(v) || emit_stmt(L, WG_OP_SET, s->var, v.inst, -1) < 0) { ok = 0; break; }
        }
    }
    F->ret_var = -1;
    if (ok && !f->ret.is_void) {
        F->ret_dt = resolve_type(L, &f->ret, call);
        F->ret_var = F->ret_dt >= 0 ? alloc_var(L, F->ret_dt, call) : -1;
        ok = F->ret_var >= 0;
    }
    F->done_var = -1;
    if (ok) {
        F->wrapped = inner_return(f->body, 1);
        if (F->wrapped) {
            wgK_val zero = wgK_const(L, WG_BOOL, 0, 0);
            F->done_var = wgK_ok(zero) ? alloc_var(L, WG_BOOL, call) : -1;
            ok = F->done_var >= 0 && emit_stmt(L, WG_OP_SET, F->done_var, zero.inst, -1) >= 0;
        }
        if (ok && F->wrapped) {
            emit_stmt(L, WG_OP_LOOP, 0, -1, -1);
            L->cond_depth++;
            ok = lower_stmt(L, f->body) == WG_OK;
            emit_stmt(L, WG_OP_BREAK, 0, -1, -1);
            emit_stmt(L, WG_OP_END, 0, -1, -1);
            L->cond_depth--;
        } else if (ok) {
            ok = lower_stmt(L, f->body) == WG_OK;
        }
    }
    if (F->done_var >= 0) L->var_used[F->done_var] = 0;
    if (ok && F->ret_var >= 0) {
        result = (wgK_val){wgK_emit(L, WG_OP_GET, F->ret_dt, F->ret_var, -1, -1, -1), F->ret_dt};
        L->var_used[F->ret_var] = 0;
    } else if (ok) {
        result = wgK_const(L, WG_INT32, 0, 0);  /* a void call's "value", never used */
    }
    pop_syms(L, mark);
    L->floor = floor0;
    L->nframes--;
    return result;
}

/* atomicAdd/atomicSub/atomicMax/atomicMin(&raw_out[e], v), atomicCAS(&raw_out[e], cmp, v) */
static int atomic_kind(const wgK_node *n) {
    static const char *const names[] = {"atomicAdd", "atomicSub", "atomicMax", "atomicMin",
                                        "atomicCAS", "atomicExch", "atomicAnd", "atomicOr",
                                        "atomicXor", "atomicInc", "atomicDec", NULL};
    for (int i = 0; names[i]; i++)
        if (wgK_tok_is(n->tok, names[i])) return i + 1;
    return 0;
}

static int enter_loop(wgK_lw *L, const wgK_node *n);
static void leave_loop(wgK_lw *L);

/* atomicExch/And/Or/Xor/Inc/Dec on an integer element: a compare-and-swap loop (the IR's
 * ATOMIC_CAS, which compares the bits; every backend with CAS runs it):
 *   old = p[e]; loop { prev = CAS(p[e], old, f(old, v)); if (prev == old) break; old = prev; } */
static wgK_val atomic_cas_loop(wgK_lw *L, const wgK_node *call, int kind, const wgK_sym *s,
                               wgK_val ix, wgK_val val) {
    int dt = s->dt, sh = s->kind == S_SHARED;  /* a workgroup array, or a raw output */
    if (wgD_is_float(dt) || dt == WG_BOOL || ((kind == 10 || kind == 11) && dt != WG_UINT32))
        return wgK_fail(L, WG_ERR_NOTIMPL, call, kind >= 10 ? "atomicInc/atomicDec take an unsigned int element"
                                                             : "this atomic operation on a non-integer element is not supported");
    int ov = alloc_var(L, dt, call);
    if (ov < 0) return (wgK_val){-1, -1};
    int first = wgK_emit(L, sh ? WG_OP_SHARED_LOAD : WG_OP_OUT_LOAD_AT, dt, s->slot, ix.inst, -1, -1);
    emit_stmt(L, WG_OP_SET, ov, first, -1);
    if (enter_loop(L, call) != WG_OK) return (wgK_val){-1, -1};
    wgK_val o = {wgK_emit(L, WG_OP_GET, dt, ov, -1, -1, -1), dt};
    wgK_val nv = val;
    if (kind == 7) nv = wgK_op2(L, WG_OP_BITWISE_AND, o, val);
    else if (kind == 8) nv = wgK_op2(L, WG_OP_BITWISE_OR, o, val);
    else if (kind == 9) nv = wgK_op2(L, WG_OP_BITWISE_XOR, o, val);
    else if (kind == 10 || kind == 11) {
        /* Inc: old >= v ? 0 : old + 1;  Dec: (old == 0 || old > v) ? v : old - 1 */
        wgK_val zero = wgK_const(L, dt, 0, 0), one = wgK_const(L, dt, 1, 1);
        if (kind == 10)
            nv = wgK_where(L, wgK_op2(L, WG_OP_GREATER_EQUAL, o, val), zero, wgK_op2(L, WG_OP_ADD, o, one));
        else
            nv = wgK_where(L, wgK_op2(L, WG_OP_LOGICAL_OR, wgK_op2(L, WG_OP_EQUAL, o, zero),
                                      wgK_op2(L, WG_OP_GREATER, o, val)),
                           val, wgK_op2(L, WG_OP_SUBTRACT, o, one));
    }
    if (!wgK_ok(nv)) return nv;
    wgK_val prev = {wgK_emit(L, sh ? WG_OP_SHARED_ATOMIC_CAS : WG_OP_ATOMIC_CAS, dt, s->slot, ix.inst, o.inst, nv.inst), dt};
    wgK_val eq = wgK_op2(L, WG_OP_EQUAL, prev, o);
    if (!wgK_ok(eq)) return eq;
    emit_stmt(L, WG_OP_IF, 0, eq.inst, -1);
    emit_stmt(L, WG_OP_BREAK, 0, -1, -1);
    emit_stmt(L, WG_OP_END, 0, -1, -1);
    emit_stmt(L, WG_OP_SET, ov, prev.inst, -1);
    leave_loop(L);
    wgK_val r = {wgK_emit(L, WG_OP_GET, dt, ov, -1, -1, -1), dt};
    L->var_used[ov] = 0;
    return r;
}

static wgK_val atomic_rmw(wgK_lw *L, const wgK_node *call, int kind) {
    static const char *const names[] = {"", "atomicAdd", "atomicSub", "atomicMax", "atomicMin",
                                        "atomicCAS", "atomicExch", "atomicAnd", "atomicOr",
                                        "atomicXor", "atomicInc", "atomicDec"};
    char msg[96];
    const wgK_node *p = call->b, *v = p ? p->next : NULL, *v2 = v ? v->next : NULL;
    if (kind == 5 ? (!v2 || v2->next) : (!v || v->next)) {
        snprintf(msg, sizeof msg, "%s takes %s arguments", names[kind], kind == 5 ? "three" : "two");
        return wgK_fail(L, WG_ERR_COMPILE, call, msg);
    }
    snprintf(msg, sizeof msg, "%s needs &raw_output[index]", names[kind]);
    int depth = 0;
    const wgK_node *base = p->kind == N_ADDR ? chain_base(p->a, &depth) : NULL;
    if (!base || base->kind != N_IDENT)
        return wgK_fail(L, WG_ERR_NOTIMPL, p, msg);
    wgK_sym *s = lookup(L, base->tok);
    int sh = s && s->kind == S_SHARED;  /* a workgroup array: the SHARED_ATOMIC ops (ir.h) */
    if (!s || (!sh && (s->kind != S_RAW_OUT || (depth != 1 && !s->scratch_len))))
        return wgK_fail(L, WG_ERR_NOTIMPL, p, msg);
    wgK_val ix = sh || s->scratch_len ? shared_elem(L, s, p->a) : raw_index(L, s, p->a->b);
    wgK_val val = wgK_cast(L, wgK_rv(L, v), s->dt);
    wgK_val val2 = kind == 5 ? wgK_cast(L, wgK_rv(L, v2), s->dt) : val;
    if (!wgK_ok(ix) || !wgK_ok(val) || !wgK_ok(val2)) return (wgK_val){-1, -1};
    if (L->straight) return wgK_fail(L, WG_ERR_NOTIMPL, call, "an atomic operation in a reduction");
    if (kind >= 6) return atomic_cas_loop(L, call, kind, s, ix, val);
    int op = WG_OP_ATOMIC_ADD;
    if (kind == 2) {  /* atomicSub(p, v) is atomicAdd(p, -v) (wrapping, as CUDA's) */
        wgK_val zero = wgK_const(L, s->dt, 0, 0);
        if (!wgK_ok(zero)) return (wgK_val){-1, -1};
        val.inst = wgK_emit(L, WG_OP_SUBTRACT, s->dt, 0, zero.inst, val.inst, -1);
    } else if (kind == 3) op = WG_OP_ATOMIC_MAX;
    else if (kind == 4) op = WG_OP_ATOMIC_MIN;
    else if (kind == 5) op = WG_OP_ATOMIC_CAS;
    if (sh)
        op = op == WG_OP_ATOMIC_ADD ? WG_OP_SHARED_ATOMIC_ADD : op == WG_OP_ATOMIC_MAX ? WG_OP_SHARED_ATOMIC_MAX
           : op == WG_OP_ATOMIC_MIN ? WG_OP_SHARED_ATOMIC_MIN : WG_OP_SHARED_ATOMIC_CAS;
    return (wgK_val){wgK_emit(L, op, s->dt, s->slot, ix.inst, val.inst,
                              kind == 5 ? val2.inst : -1), s->dt};
}

static wgK_val call_expr(wgK_lw *L, const wgK_node *n) {
    int nargs = 0;
    for (const wgK_node *a = n->b; a; a = a->next) nargs++;
    const wgK_func *f = find_func(L, n, nargs);
    if (f) return inline_call(L, f, n);
    if (atomic_kind(n)) return atomic_rmw(L, n, atomic_kind(n));
    /* BARRIER (ir.h, "Workgroup kernels"); __wg_barrier() is its workgroup-memory-only form */
    if (wgK_tok_is(n->tok, "__syncthreads") || wgK_tok_is(n->tok, "__wg_barrier")) {
        int wgm = wgK_tok_is(n->tok, "__wg_barrier");
        if (nargs)
            return wgK_fail(L, WG_ERR_COMPILE, n,
                            wgm ? "__wg_barrier takes no arguments" : "__syncthreads takes no arguments");
        if (L->straight)
            return wgK_fail(L, WG_ERR_NOTIMPL, n,
                            wgm ? "__wg_barrier() in a reduction" : "__syncthreads() in a reduction");
        emit_stmt(L, WG_OP_BARRIER, wgm, -1, -1);
        return wgK_const(L, WG_INT32, 0, 0);
    }
    if (wgK_tok_is(n->tok, "__wg_block")) {  /* __wg_block(B): a workgroup kernel of B points */
        if (nargs != 1 || n->b->kind != N_INT || n->b->ival < 1 || n->b->ival > 1024)
            return wgK_fail(L, WG_ERR_COMPILE, n, "__wg_block takes an integer literal, 1 to 1024");
        if (L->straight) return wgK_fail(L, WG_ERR_NOTIMPL, n, "__wg_block in a reduction");
        L->k->wg_block = (int)n->b->ival;
        return wgK_const(L, WG_INT32, 0, 0);
    }
    if (wgK_tok_is(n->tok, "__in_range")) {  /* __in_range(): ir.h's in_range, a library kernel's promise */
        if (nargs) return wgK_fail(L, WG_ERR_COMPILE, n, "__in_range takes no arguments");
        L->k->in_range = 1;
        return wgK_const(L, WG_INT32, 0, 0);
    }
    if (wgK_tok_is(n->tok, "assert")) return wgK_const(L, WG_INT32, 0, 0);  /* no asserts here */
    if (wgK_tok_is(n->tok, "__ldg") && nargs == 1 && n->b->kind == N_ADDR)
        return wgK_rv(L, n->b->a);  /* CUDA's read-only cache load: the element itself */
    {
        int warp = 0;  /* __shfl_sync and the other warp intrinsics, __popc/__ffs/__clz (warp.c) */
        wgK_val w = wgK_warp(L, n, nargs, &warp);
        if (warp) return w;
    }
    wgK_val args[8];
    if (nargs > 8) return wgK_fail(L, WG_ERR_COMPILE, n, "too many arguments");
    int k = 0;
    for (const wgK_node *a = n->b; a; a = a->next) {
        if (a->kind == N_ADDR) return wgK_fail(L, WG_ERR_NOTIMPL, a, "address-of is not supported here");
        args[k] = wgK_rv(L, a);
        if (!wgK_ok(args[k++])) return (wgK_val){-1, -1};
    }
    int handled = 0;
    wgK_val r = wgK_builtin(L, n, nargs, args, &handled);
    if (!handled) {
        for (int q = 0; q < L->d->nfuncs; q++)
            if (L->d->funcs[q].name->len == n->tok->len &&
                !memcmp(L->d->funcs[q].name->text, n->tok->text, (size_t)n->tok->len))
                return wgK_fail(L, WG_ERR_COMPILE, n, "no function with this number of arguments");
        return wgK_fail(L, WG_ERR_NOTIMPL, n, "unknown function");
    }
    return r;
}

#define MAX_RDEPTH 400

static wgK_val rv_node(wgK_lw *L, const wgK_node *n);

wgK_val wgK_rv(wgK_lw *L, const wgK_node *n) {
    if (wgB_failed(L->ctx)) return (wgK_val){-1, -1};
    if (L->rdepth >= MAX_RDEPTH) return wgK_fail(L, WG_ERR_COMPILE, n, "nesting too deep");
    L->rdepth++;
    wgK_val v = rv_node(L, n);
    L->rdepth--;
    return v;
}

static wgK_val rv_node(wgK_lw *L, const wgK_node *n) {
    switch (n->kind) {
    case N_INT: return wgK_const(L, wgK_canon(L, n->lit_dtype), (double)n->ival, n->ival);
    case N_FLOAT: return wgK_const(L, wgK_canon(L, n->lit_dtype), n->fval, 0);
    case N_BOOL: return wgK_const(L, WG_BOOL, 0, n->ival);
    case N_IDENT: return ident(L, n);
    case N_UNARY: return unary(L, n);
    case N_BINARY:
        if (n->op == P2('&', '&') || n->op == P2('|', '|')) return logical(L, n);
        {
            wgK_val a = wgK_rv(L, n->a);
            wgK_val b = wgK_rv(L, n->b);
            return arith(L, n->op, a, b, n);
        }
    case N_ASSIGN: return assign(L, n);
    case N_PREINC: case N_POSTINC: return incdec(L, n);
    case N_TERNARY: return ternary(L, n);
    case N_CALL: return call_expr(L, n);
    case N_INDEX: return index_expr(L, n);
    case N_MEMBER_CALL: return member_call(L, n);
    case N_CAST: return cast_expr(L, n);
    case N_COMMA: {
        wgK_val a = wgK_rv(L, n->a);
        return wgK_ok(a) ? wgK_rv(L, n->b) : a;
    }
    case N_ADDR: return wgK_fail(L, WG_ERR_NOTIMPL, n, "address-of is not supported here");
    case N_DEREF: return wgK_fail(L, WG_ERR_NOTIMPL, n, "pointers are not supported");
    default: return wgK_fail(L, WG_ERR_COMPILE, n, "expected an expression");
    }
}

/* ---- statements ---- */

static int st(wgK_lw *L) { return wgB_failed(L->ctx) ? wg_last_status(L->ctx) : WG_OK; }

static int decl_one(wgK_lw *L, const wgK_node *d) {
    if (d->type.is_ref) return wgK_fail(L, WG_ERR_NOTIMPL, d, "reference variables are not supported"), st(L);
    int dt = resolve_type(L, &d->type, d);
    if (dt < 0) return st(L);
    if (d->type.is_shared) {  /* __shared__ T a[n]: a workgroup array (ir.h) */
        wg_kernel_ir *k = L->k;
        if (d->array_len == -3)
            return wgK_fail(L, WG_ERR_NOTIMPL, d, "__shared__ array length must be an integer constant, 1 to 2^24"), st(L);
        int len = d->array_len < 0 ? 1 : d->array_len;  /* a scalar: one element, no dims */
        if (d->type.is_extern) {  /* its length: the launch's shared_mem bytes */
            if (!L->raw) return wgK_fail(L, WG_ERR_NOTIMPL, d, "extern __shared__ arrays need a RawKernel"), st(L);
            len = L->raw->dsn_len > 0 ? L->raw->dsn_len : 1;
        }
        if (len == 0 || d->a)
            return wgK_fail(L, WG_ERR_COMPILE, d, "a __shared__ array needs a constant length and no initialiser"), st(L);
        if (d->scratch && L->d->kind == WGK_RAW) {
            /* an array an atomic updates: a storage scratch (a raw output, one slice per block) */
            int p = L->d->raw.scratch_param[d->scratch - 1];
            const wgK_sym *ps = &L->syms[L->psym[p]];
            wgK_sym *s = push_sym(L, d->tok, S_RAW_OUT, ps->dt, d);
            if (!s) return st(L);
            s->param = p;
            s->slot = ps->slot;
            s->scratch_len = len;
            s->ndims = d->type.is_extern ? 1 : d->array_len < 0 ? 0 : d->ndims;
            for (int q = 0; q < s->ndims; q++) s->dims[q] = d->type.is_extern ? len : d->dims[q];
            return st(L);
        }
        if (L->straight || !k->wg_block)
            return wgK_fail(L, WG_ERR_NOTIMPL, d, "__shared__ arrays need a workgroup kernel (a RawKernel)"), st(L);
        if (k->nshared >= WG_KMAX_SHARED)
            return wgK_fail(L, WG_ERR_NOTIMPL, d, "too many __shared__ arrays"), st(L);
        wgK_sym *s = push_sym(L, d->tok, S_SHARED, dt, d);
        if (!s) return st(L);
        s->slot = k->nshared;
        s->n = len;
        s->ndims = d->array_len < 0 ? 0 : d->type.is_extern || !d->ndims ? 1 : d->ndims;
        for (int q = 0; q < s->ndims; q++) s->dims[q] = d->type.is_extern || !d->ndims ? len : d->dims[q];
        k->shared_dtype[k->nshared] = (uint8_t)dt;
        k->shared_len[k->nshared++] = (uint32_t)len;
        return st(L);
    }
    if (d->array_len >= 0) {
        const wgK_node *init = d->a;
        if (init && init->kind != N_INIT_LIST) return wgK_fail(L, WG_ERR_COMPILE, d, "array needs a brace initialiser"), st(L);
        int n = d->array_len ? d->array_len : (init ? (int)init->ival : 0);
        if (n <= 0 || (init && init->ival > n))
            return wgK_fail(L, WG_ERR_COMPILE, d, "bad array length"), st(L);
        wgK_val vals[WGK_MAX_ARRAY];
        const wgK_node *e = init ? init->a : NULL;
        for (int i = 0; i < n; i++, e = e ? e->next : NULL) {
            vals[i] = e ? wgK_cast(L, wgK_rv(L, e), dt) : wgK_const(L, dt, 0, 0);
            if (!wgK_ok(vals[i])) return st(L);
        }
        wgK_sym *s = push_sym(L, d->tok, S_ARRAY, dt, d);
        if (!s) return st(L);
        s->n = 0;
        for (int i = 0; i < n; i++) {
            int v = alloc_var(L, dt, d);
            if (v < 0) return st(L);
            s->vars[s->n++] = v;
            emit_stmt(L, WG_OP_SET, v, vals[i].inst, -1);
        }
        return st(L);
    }
    wgK_val v = {-1, -1};
    if (d->a) {
        if (d->a->kind == N_INIT_LIST) return wgK_fail(L, WG_ERR_NOTIMPL, d->a, "brace initialiser of a scalar"), st(L);
        v = wgK_cast(L, wgK_rv(L, d->a), dt);
        if (!wgK_ok(v)) return st(L);
    }
    int var = alloc_var(L, dt, d);
    if (var < 0) return st(L);
    wgK_sym *s = push_sym(L, d->tok, S_LOCAL, dt, d);
    if (!s) return st(L);
    s->var = var;
    s->owned = 1;
    /* a reused local is not zero: C leaves it indeterminate, but give it a defined value */
    if (!d->a) v = wgK_const(L, dt, 0, 0);
    emit_stmt(L, WG_OP_SET, var, v.inst, -1);
    return st(L);
}

static int break_if_false(wgK_lw *L, const wgK_node *cond) {
    wgK_val c = to_bool(L, wgK_rv(L, cond));
    wgK_val nc = wgK_op1(L, WG_OP_LOGICAL_NOT, c);
    if (!wgK_ok(nc)) return st(L);
    emit_stmt(L, WG_OP_IF, 0, nc.inst, -1);
    emit_stmt(L, WG_OP_BREAK, 0, -1, -1);
    emit_stmt(L, WG_OP_END, 0, -1, -1);
    return st(L);
}

static int enter_loop(wgK_lw *L, const wgK_node *n) {
    if (L->loop_depth + L->cond_depth >= WG_KMAX_DEPTH - 2)
        return wgK_fail(L, WG_ERR_NOTIMPL, n, "blocks nested too deeply"), st(L);
    L->loop_depth++;
    L->cond_depth++;
    return emit_stmt(L, WG_OP_LOOP, 0, -1, -1) < 0 ? st(L) : WG_OK;
}

static void leave_loop(wgK_lw *L) {
    emit_stmt(L, WG_OP_END, 0, -1, -1);
    L->loop_depth--;
    L->cond_depth--;
    /* a return inside this loop of a preamble function: leave the enclosing loops too, up to
     * the function's wrapper loop */
    wgK_frame *f = top_frame(L);
    if (f && f->done_var >= 0 && L->loop_depth >= f->loop_depth0) {
        int g = wgK_emit(L, WG_OP_GET, WG_BOOL, f->done_var, -1, -1, -1);
        emit_stmt(L, WG_OP_IF, 0, g, -1);
        emit_stmt(L, WG_OP_BREAK, 0, -1, -1);
        emit_stmt(L, WG_OP_END, 0, -1, -1);
    }
}

static int lower_for(wgK_lw *L, const wgK_node *n) {
    int mark = L->nsyms, rc;
    if ((rc = lower_stmt(L, n->a)) != WG_OK) return rc;
    if ((rc = enter_loop(L, n)) != WG_OK) return rc;
    if (n->b && (rc = break_if_false(L, n->b)) != WG_OK) return rc;
    if ((rc = lower_stmt(L, n->d)) != WG_OK) return rc;
    if (n->c) {
        emit_stmt(L, WG_OP_CONTINUING, 0, -1, -1);
        wgK_rv(L, n->c);
    }
    leave_loop(L);
    pop_syms(L, mark);
    return st(L);
}

/* do body while (c): loop { if (!first) { if (!c) break; } body } continuing { first = false }
 * so that `continue` in the body reaches the condition, as in C. */
static int lower_do(wgK_lw *L, const wgK_node *n) {
    wgK_val one = wgK_const(L, WG_BOOL, 0, 1), zero = wgK_const(L, WG_BOOL, 0, 0);
    int first = wgK_ok(one) && wgK_ok(zero) ? alloc_var(L, WG_BOOL, n) : -1;
    if (first < 0) return st(L);
    emit_stmt(L, WG_OP_SET, first, one.inst, -1);
    int rc = enter_loop(L, n);
    if (rc != WG_OK) return rc;
    wgK_val f = {wgK_emit(L, WG_OP_GET, WG_BOOL, first, -1, -1, -1), WG_BOOL};
    wgK_val nf = wgK_op1(L, WG_OP_LOGICAL_NOT, f);
    if (!wgK_ok(nf)) return st(L);
    emit_stmt(L, WG_OP_IF, 0, nf.inst, -1);
    L->cond_depth++;
    rc = break_if_false(L, n->a);
    L->cond_depth--;
    emit_stmt(L, WG_OP_END, 0, -1, -1);
    int mark = L->nsyms;
    if (rc == WG_OK) rc = lower_stmt(L, n->b);
    pop_syms(L, mark);
    emit_stmt(L, WG_OP_CONTINUING, 0, -1, -1);
    emit_stmt(L, WG_OP_SET, first, zero.inst, -1);
    leave_loop(L);
    L->var_used[first] = 0;
    return rc == WG_OK ? st(L) : rc;
}

static int lower_if(wgK_lw *L, const wgK_node *n) {
    wgK_val c = to_bool(L, wgK_rv(L, n->a));
    if (!wgK_ok(c)) return st(L);
    if (L->loop_depth + L->cond_depth >= WG_KMAX_DEPTH - 2)
        return wgK_fail(L, WG_ERR_NOTIMPL, n, "blocks nested too deeply"), st(L);
    emit_stmt(L, WG_OP_IF, 0, c.inst, -1);
    L->cond_depth++;
    int mark = L->nsyms;
    int rc = lower_stmt(L, n->b);
    pop_syms(L, mark);
    if (rc == WG_OK && n->c) {
        emit_stmt(L, WG_OP_ELSE, 0, -1, -1);
        rc = lower_stmt(L, n->c);
        pop_syms(L, mark);
    }
    emit_stmt(L, WG_OP_END, 0, -1, -1);
    L->cond_depth--;
    return rc == WG_OK ? st(L) : rc;
}

/* An early end of the point: outputs not surely written keep their values (loaded). */
static void end_point(wgK_lw *L) {
    for (int p = 0; p < L->d->nparams; p++)
        if (!L->written[p]) L->needs_load[p] = 1;
    emit_stmt(L, WG_OP_RETURN, 0, -1, -1);
}

static int lower_jump(wgK_lw *L, const wgK_node *n) {
    wgK_frame *f = top_frame(L);
    int depth0 = f ? f->loop_depth0 : 0;
    if (n->kind == N_BREAK) {
        if (L->loop_depth <= depth0) return wgK_fail(L, WG_ERR_COMPILE, n, "break outside a loop"), st(L);
        emit_stmt(L, WG_OP_BREAK, 0, -1, -1);
        return st(L);
    }
    if (n->kind == N_CONTINUE) {
        if (L->loop_depth > depth0) {
            emit_stmt(L, WG_OP_CONTINUE, 0, -1, -1);
        } else if (!f) end_point(L);  /* CuPy's grid-stride loop: skip to the next point */
        else return wgK_fail(L, WG_ERR_COMPILE, n, "continue outside a loop"), st(L);
        return st(L);
    }
    /* return */
    if (!f) {
        if (n->a) return wgK_fail(L, WG_ERR_COMPILE, n, "return with a value in a kernel"), st(L);
        end_point(L);
        return st(L);
    }
    if (f->ret_var >= 0) {
        if (!n->a) return wgK_fail(L, WG_ERR_COMPILE, n, "return without a value"), st(L);
        wgK_val v = wgK_cast(L, wgK_rv(L, n->a), f->ret_dt);
        if (!wgK_ok(v)) return st(L);
        emit_stmt(L, WG_OP_SET, f->ret_var, v.inst, -1);
    } else if (n->a) {
        wgK_rv(L, n->a);
    }
    if (f->wrapped) {
        if (L->loop_depth > f->loop_depth0) {
            wgK_val one = wgK_const(L, WG_BOOL, 0, 1);
            if (!wgK_ok(one)) return st(L);
            emit_stmt(L, WG_OP_SET, f->done_var, one.inst, -1);
        }
        emit_stmt(L, WG_OP_BREAK, 0, -1, -1);
    }
    return st(L);
}

static int lower_stmt_node(wgK_lw *L, const wgK_node *n);

static int lower_stmt(wgK_lw *L, const wgK_node *n) {
    if (wgB_failed(L->ctx)) return wg_last_status(L->ctx);
    if (L->rdepth >= MAX_RDEPTH) return wgK_fail(L, WG_ERR_COMPILE, n, "nesting too deep"), st(L);
    L->rdepth++;
    int rc = lower_stmt_node(L, n);
    L->rdepth--;
    return rc;
}

static int lower_stmt_node(wgK_lw *L, const wgK_node *n) {
    switch (n->kind) {
    case N_BLOCK: {
        int mark = L->nsyms;
        for (const wgK_node *s = n->a; s; s = s->next) {
            int rc = n->op == 1 ? decl_one(L, s) : lower_stmt(L, s);
            if (rc != WG_OK) return rc;
        }
        if (n->op != 1) pop_syms(L, mark);
        return st(L);
    }
    case N_EXPR_STMT: wgK_rv(L, n->a); return st(L);
    case N_IF: return lower_if(L, n);
    case N_FOR: return lower_for(L, n);
    case N_WHILE: {
        int rc = enter_loop(L, n);
        if (rc == WG_OK) rc = break_if_false(L, n->a);
        int mark = L->nsyms;
        if (rc == WG_OK) rc = lower_stmt(L, n->b);
        pop_syms(L, mark);
        leave_loop(L);
        return rc == WG_OK ? st(L) : rc;
    }
    case N_DO: return lower_do(L, n);
    case N_BREAK: case N_CONTINUE: case N_RETURN: return lower_jump(L, n);
    case N_EMPTY: return WG_OK;
    default: return wgK_fail(L, WG_ERR_COMPILE, n, "expected a statement"), st(L);
    }
}

/* ---- kernels ---- */

static const wgK_tok *name_tok(wgK_lw *L, const char *s) {
    wgK_tok *t = wgK_alloc(L->P, sizeof *t);
    if (!t) return NULL;
    t->kind = TK_IDENT;
    t->text = s;
    t->len = (int)strlen(s);
    return t;
}

static int add_io(wgK_lw *L, int is_out, int dt, int raw, int param) {
    wg_kernel_ir *k = L->k;
    if (k->ninputs + k->noutputs >= WG_KMAX_IO)
        return wgB_error(L->ctx, WG_ERR_NOTIMPL, "%s: more than %d array parameters", L->d->name,
                         WG_KMAX_IO), -1;
    if (is_out) {
        int j = k->noutputs++;
        k->output_dtype[j] = (uint8_t)dt;
        k->output_raw[j] = (uint8_t)raw;
        k->out_var[j] = -1;
        L->map->out_param[j] = param;
        return j;
    }
    int j = k->ninputs++;
    k->input_dtype[j] = (uint8_t)dt;
    k->input_raw[j] = (uint8_t)raw;
    L->map->in_param[j] = param;
    return j;
}

/* The kernel's parameters as symbols, and their IR slots. */
static int bind_params(wgK_lw *L) {
    const wgK_def *d = L->d;
    wg_kernel_ir *k = L->k;
    for (int p = 0; p < d->nparams; p++) {
        const wgK_param *pp = &d->params[p];
        int dt = L->pdt[p];
        if (dt == WG_COMPLEX64 || dt == WG_COMPLEX128)
            return wgB_error(L->ctx, WG_ERR_NOTIMPL,
                             "%s: parameter %s is complex: wgpy kernels are real-only (pass its "
                             ".real and .imag views)", d->name, pp->name);
        if (dt < 0 || dt >= WG_NDTYPES) return wgB_error(L->ctx, WG_ERR_INTERNAL, "bad parameter dtype");
        if ((pp->is_raw || pp->is_out) && !L->is_array[p])
            return wgB_error(L->ctx, WG_ERR_TYPE, "%s: parameter %s needs an array", d->name, pp->name);
        int kind = pp->is_raw ? (pp->is_out ? S_RAW_OUT : S_RAW_IN) : (pp->is_out ? S_LOCAL : S_IN);
        wgK_sym *s = push_sym(L, name_tok(L, pp->name), kind, dt, NULL);
        if (!s) return st(L);
        L->psym[p] = L->nsyms - 1;
        s->param = p;
        if (kind == S_IN && !L->is_array[p]) continue;
        s->zero_d = kind == S_RAW_IN && L->raw_ndim[p] == 0;
        s->slot = add_io(L, pp->is_out, dt, pp->is_raw && (!s->zero_d || L->straight), p);
        if (s->slot < 0) return st(L);
        if (kind == S_LOCAL) {
            s->outj = p;
            s->var = alloc_var(L, dt, NULL);
            if (s->var < 0) return st(L);
            k->out_var[s->slot] = (int16_t)s->var;
        }
    }
    for (int p = 0; p < d->nparams; p++) {
        wgK_sym *s = &L->syms[L->psym[p]];
        if (s->kind == S_LOCAL && L->needs_load[p]) {
            int j = add_io(L, 0, s->dt, 0, p);
            if (j < 0) return st(L);
            int v = wgK_emit(L, WG_OP_LOAD, s->dt, j, -1, -1, -1);
            emit_stmt(L, WG_OP_SET, s->var, v, -1);
        }
    }
    return st(L);
}

static int builtin_syms(wgK_lw *L) {
    if (L->d->kind == WGK_RAW)  /* CUDA has no `i`: the prologue's point index */
        return push_sym(L, name_tok(L, "__wg_i"), S_I, wgK_canon(L, WG_INT64), NULL) ? WG_OK : st(L);
    wgK_sym *s = push_sym(L, name_tok(L, "i"), S_I, wgK_canon(L, WG_INT64), NULL);
    if (s) s = push_sym(L, name_tok(L, "_ind"), S_IND, 0, NULL);
    if (s && L->d->kind == WGK_REDUCTION) s = push_sym(L, name_tok(L, "_j"), S_J, wgK_canon(L, WG_INT64), NULL);
    return s ? WG_OK : st(L);
}

static void reset_ir(wgK_lw *L) {
    wgB_free(L->k->inst);
    wgB_free(L->k->post);
    memset(L->k, 0, sizeof *L->k);
    memset(L->map, 0, sizeof *L->map);
    memset(L->var_used, 0, sizeof L->var_used);
    memset(L->warp_arr, 0, sizeof L->warp_arr);
    L->cap = 0;
    L->nsyms = L->floor = L->nframes = L->cond_depth = L->loop_depth = 0;
    L->base = 0;
}

static int lower_elementwise_pass(wgK_lw *L) {
    wg_kernel_ir *k = L->k;
    k->kind = WG_K_ELEMENTWISE;
    k->ndim = L->ndim;
    k->stmt = 1;
    int rc = builtin_syms(L);
    if (rc == WG_OK) rc = bind_params(L);
    L->floor = 0;
    if (rc == WG_OK && L->d->kind == WGK_RAW) {
        /* a RawKernel: the thread's index in its block and its block's (the prologue), the
         * padding threads' end when the block is padded, then the function's body */
        k->wg_block = L->raw->wg_block;
        for (const wgK_node *q = L->d->raw_prep->a; q && rc == WG_OK; q = q->next) rc = lower_stmt(L, q);
        if (L->raw->pad_return)
            for (const wgK_node *q = L->d->raw_pad->a; q && rc == WG_OK; q = q->next) rc = lower_stmt(L, q);
    }
    if (rc == WG_OK) rc = lower_stmt(L, L->d->body);
    if (rc == WG_OK)
        for (int p = 0; p < L->d->nparams; p++)
            if (!L->written[p]) L->needs_load[p] = 1;
    return rc;
}

static int lower_elementwise(wgK_lw *L) {
    /* pass 1 finds the outputs read before surely written; pass 2 loads them first */
    int rc = lower_elementwise_pass(L);
    if (rc != WG_OK) return rc;
    int needs[WGK_MAX_PARAMS];
    memcpy(needs, L->needs_load, sizeof needs);
    reset_ir(L);
    memcpy(L->needs_load, needs, sizeof needs);
    memset(L->written, 0, sizeof L->written);
    for (int p = 0; p < WGK_MAX_PARAMS; p++) L->written[p] = 1;  /* no more discovery */
    rc = lower_elementwise_pass(L);
    if (rc == WG_OK) rc = wgI_check_stmt(L->ctx, L->k, WG_ERR_INTERNAL);
    return rc;
}

/* ---- reductions ---- */

static int is_ident(const wgK_node *n, const char *s) { return n && n->kind == N_IDENT && wgK_tok_is(n->tok, s); }

static int is_ab(const wgK_node *x, const wgK_node *y) {
    return (is_ident(x, "a") && is_ident(y, "b")) || (is_ident(x, "b") && is_ident(y, "a"));
}

/* reduce_expr as a fold: a + b, a * b, max(a, b), min(a, b), a > b ? a : b ... */
static int fold_of(const wgK_node *r) {
    if (r->kind == N_BINARY && is_ab(r->a, r->b)) {
        if (r->op == '+') return WG_FOLD_SUM;
        if (r->op == '*') return WG_FOLD_PROD;
    }
    if (r->kind == N_CALL && r->b && r->b->next && !r->b->next->next && is_ab(r->b, r->b->next)) {
        if (wgK_tok_is(r->tok, "max") || wgK_tok_is(r->tok, "fmax") || wgK_tok_is(r->tok, "fmaxf")) return WG_FOLD_MAX;
        if (wgK_tok_is(r->tok, "min") || wgK_tok_is(r->tok, "fmin") || wgK_tok_is(r->tok, "fminf")) return WG_FOLD_MIN;
    }
    if (r->kind == N_TERNARY && r->a->kind == N_BINARY && is_ab(r->a->a, r->a->b) &&
        is_ab(r->b, r->c)) {
        int x_is_p = r->b->tok->text[0] == r->a->a->tok->text[0];
        int op = r->a->op;
        if (op == '>' || op == P2('>', '=')) return x_is_p ? WG_FOLD_MAX : WG_FOLD_MIN;
        if (op == '<' || op == P2('<', '=')) return x_is_p ? WG_FOLD_MIN : WG_FOLD_MAX;
    }
    return -1;
}

/* identity: a constant expression (literal, unary minus, casts, INFINITY) */
static int const_value(const wgK_node *n, double *v) {
    switch (n->kind) {
    case N_INT: case N_BOOL: *v = (double)n->ival; return 1;
    case N_FLOAT: *v = n->fval; return 1;
    case N_UNARY:
        if (!const_value(n->a, v)) return 0;
        if (n->op == '-') *v = -*v;
        return n->op == '-' || n->op == '+';
    case N_CAST: return const_value(n->a, v);
    case N_BINARY: {
        double a, b;
        if (!const_value(n->a, &a) || !const_value(n->b, &b) || n->op != '/') return 0;
        *v = a / b;
        return 1;
    }
    case N_IDENT:
        if (wgK_tok_is(n->tok, "INFINITY") || wgK_tok_is(n->tok, "CUDART_INF_F") || wgK_tok_is(n->tok, "CUDART_INF")) {
            *v = INFINITY;
            return 1;
        }
        return 0;
    default: return 0;
    }
}

static int finish_program_value(wgK_lw *L, wgK_val v, int dt) {
    v = wgK_cast(L, v, dt);
    if (!wgK_ok(v)) return -1;
    if (v.inst != L->k->ninst - 1) v.inst = wgK_emit(L, WG_OP_CAST, dt, 0, v.inst, -1, -1);
    return v.inst;
}

static int lower_post(wgK_lw *L, int out_param, int fold, double ident) {
    wg_kernel_ir *k = L->k;
    const wgK_def *d = L->d;
    L->base = k->ninst;
    L->in_post = 1;
    int acc = wgK_emit(L, WG_OP_ACC, k->acc_dtype, 0, -1, -1, -1);
    wgK_val a = {acc, k->acc_dtype};
    /* CuPy folds the identity in too; a non-neutral identity is applied after the fold */
    if (!wgD_is_float(k->acc_dtype) && !(ident > -9.2e18 && ident < 9.2e18)) {
        if (isinf(ident) && (fold == WG_FOLD_MAX || fold == WG_FOLD_MIN)) ident = fold == WG_FOLD_MAX ? -INFINITY : INFINITY;
        else return wgK_fail(L, WG_ERR_NOTIMPL, L->d->identity, "identity out of range"), st(L);
    }
    int neutral = (fold == WG_FOLD_SUM && ident == 0) || (fold == WG_FOLD_PROD && ident == 1) ||
                  (fold == WG_FOLD_MAX && ident == -INFINITY) || (fold == WG_FOLD_MIN && ident == INFINITY);
    if (!neutral) {
        wgK_val c = wgK_const(L, k->acc_dtype, ident, (int64_t)ident);
        int op = fold == WG_FOLD_SUM ? WG_OP_ADD : fold == WG_FOLD_PROD ? WG_OP_MULTIPLY
               : wgD_is_float(k->acc_dtype) ? (fold == WG_FOLD_MAX ? WG_OP_FMAX : WG_OP_FMIN)
               : (fold == WG_FOLD_MAX ? WG_OP_MAXIMUM : WG_OP_MINIMUM);
        a = wgK_op2(L, op, a, c);
    }
    wgK_sym *s = push_sym(L, name_tok(L, "a"), S_VALUE, k->acc_dtype, NULL);
    if (!s || !wgK_ok(a)) return st(L);
    s->inst = neutral ? -1 : a.inst;
    const wgK_node *p = d->post;
    if (p->kind != N_ASSIGN || !is_ident(p->a, d->params[out_param].name))
        return wgK_fail(L, WG_ERR_NOTIMPL, p, "post_map_expr must be `out = expression` or "
                        "`out op= expression`"), st(L);
    wgK_val v = wgK_rv(L, p->b);
    if (!wgK_ok(v)) return st(L);
    if (p->op != '=') {
        /* `out += expression`: the output's current value is an extra input, which the post
         * program LOADs at the kept point (an in-out reduction: ir.h, docs/kernels.md) */
        int odt = k->output_dtype[0];
        int j = add_io(L, 0, odt, 0, out_param);
        if (j < 0) return st(L);
        wgK_val old = {wgK_emit(L, WG_OP_LOAD, odt, j, -1, -1, -1), odt};
        int op = p->op == P3('<', '<', '=') ? P2('<', '<') : p->op == P3('>', '>', '=') ? P2('>', '>')
                                                                                     : (p->op & 0xff);
        v = arith(L, op, old, v, p);
        if (!wgK_ok(v)) return st(L);
    }
    int r = finish_program_value(L, v, k->output_dtype[0]);
    if (r < 0) return st(L);
    k->npost = k->ninst - L->base;
    k->post = wgB_malloc(L->ctx, sizeof(wg_inst) * (size_t)k->npost);
    if (!k->post) return st(L);
    memcpy(k->post, k->inst + L->base, sizeof(wg_inst) * (size_t)k->npost);
    k->ninst = L->base;
    L->base = 0;
    return WG_OK;
}

static int reduce_dtype(wgK_lw *L, int out_param) {
    int rt = L->d->reduce_type_dtype;
    if (rt >= 0) return wgK_canon(L, rt);
    if (rt <= -2) {
        char c = (char)(-2 - rt);
        for (int i = 0; i < L->d->nparams; i++)
            if (L->d->params[i].dtype < 0 && L->d->params[i].placeholder == c) return L->pdt[i];
    }
    return L->pdt[out_param];
}

static int lower_reduction(wgK_lw *L) {
    wg_kernel_ir *k = L->k;
    const wgK_def *d = L->d;
    int out_param = d->nin;
    k->kind = WG_K_REDUCE;
    k->ndim = L->ndim;
    k->nred = L->nred;
    L->straight = 1;
    int fold = fold_of(d->reduce);
    if (fold < 0)
        return wgK_fail(L, WG_ERR_NOTIMPL, d->reduce, "reduce_expr is not a sum, product, max or min"), st(L);
    double ident = fold == WG_FOLD_SUM ? 0 : fold == WG_FOLD_PROD ? 1
                 : fold == WG_FOLD_MAX ? -INFINITY : INFINITY;
    if (d->identity && !const_value(d->identity, &ident))
        return wgK_fail(L, WG_ERR_NOTIMPL, d->identity, "identity must be a constant"), st(L);
    k->fold = fold;
    k->acc_dtype = (uint8_t)reduce_dtype(L, out_param);
    int rc = builtin_syms(L);
    if (rc == WG_OK) rc = bind_params(L);
    if (rc != WG_OK) return rc;
    if (d->params[out_param].is_raw)
        return wgB_error(L->ctx, WG_ERR_NOTIMPL, "%s: a raw output of a ReductionKernel", d->name);
    L->syms[L->psym[out_param]].kind = S_ARRAY;  /* the output is not visible in map_expr */
    L->syms[L->psym[out_param]].n = 0;
    k->nvars = 0;
    k->out_var[0] = 0;
    wgK_val v = wgK_rv(L, d->body);
    if (!wgK_ok(v)) return st(L);
    int r = finish_program_value(L, v, k->acc_dtype);
    if (r < 0) return st(L);
    k->out_inst[0] = (uint16_t)r;
    return lower_post(L, out_param, fold, ident);
}

int wgK_lower(wg_context *ctx, const wgK_def *d, const int *param_dtype, const int *is_array,
              const int *raw_ndim, int ndim, int nred, wg_kernel_ir **out, wgK_map *map) {
    return wgK_lower_ex(ctx, d, param_dtype, is_array, raw_ndim, ndim, nred, NULL, out, map);
}

int wgK_lower_ex(wg_context *ctx, const wgK_def *d, const int *param_dtype, const int *is_array,
                 const int *raw_ndim, int ndim, int nred, const wgK_rawcfg *cfg,
                 wg_kernel_ir **out, wgK_map *map) {
    static const wgK_rawcfg plain = {0, 0, 1};
    *out = NULL;
    if (ndim < 0 || ndim > WG_MAX_NDIM || nred < 0 || nred > ndim)
        return wgB_error(ctx, WG_ERR_INTERNAL, "wgK_lower: bad rank");
    wgK_lw *L = wgB_calloc(ctx, 1, sizeof *L);
    wg_kernel_ir *k = wgB_calloc(ctx, 1, sizeof *k);
    if (!L || !k) {
        wgB_free(L);
        wgB_free(k);
        return WG_ERR_MEMORY;
    }
    /* the lowering allocates its helper names in a scratch arena, not the def's */
    wgK_pctx scratch = {ctx, d->name, NULL, 0, 0, 0, 0};
    L->ctx = ctx;
    L->d = d;
    L->P = &scratch;
    L->k = k;
    L->map = map;
    L->pdt = param_dtype;
    L->is_array = is_array;
    L->raw_ndim = raw_ndim;
    L->ndim = ndim;
    L->nred = nred;
    L->x64 = wg_get_x64(ctx);
    L->raw = d->kind == WGK_RAW ? (cfg ? cfg : &plain) : NULL;
    memset(map, 0, sizeof *map);
    int rc = d->kind == WGK_REDUCTION ? lower_reduction(L) : lower_elementwise(L);
    if (rc == WG_OK && wgB_failed(ctx)) rc = wg_last_status(ctx);
    if (rc == WG_OK) {
        k->hash = wgI_hash(k);
        *out = k;
    } else {
        wgI_free(k);
    }
    wgK_arena_free(scratch.arena);
    wgB_free(L);
    return rc;
}
