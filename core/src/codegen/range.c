/* range — interval facts of a statement kernel's integer values (range.h).
 *
 * An abstract interpretation over the structured program: an environment holds each local's
 * interval; a value instruction's interval follows from its operands'; SET updates the
 * environment; IF runs both parts from the environment refined by its condition (true, false) and
 * joins them; a LOOP runs its body and CONTINUING part until the environment at its head stops
 * growing (after a few passes a bound still moving jumps to the dtype's limit: widening), and
 * what follows it sees the join of its BREAKs.  A part that cannot fall through (BREAK,
 * CONTINUE, RETURN) contributes nothing to a join, which is how `if (!(k < n)) break;` bounds k in
 * the rest of a loop's body.  Every instruction keeps the interval of its last evaluation, the
 * one made from the loop heads' fixpoints, which covers every pass.
 *
 * Arithmetic is exact in int64 and a result outside the value's held type (ir.h: int64 in 32 bits
 * on the GPU generators) becomes the type's whole range, since the generated code wraps there. */
#include "range.h"
#include "../base/base.h"

#include <string.h>

#define R_BUDGET 4000000 /* instruction evaluations before the analysis gives up (nested loops) */
#define R_WIDEN 3        /* passes of a loop before its moving bounds widen */

typedef struct env {
    int dead;     /* no path reaches here */
    wgC_rng *v;   /* nvars */
} env;

typedef struct loopc {
    env brk, cont;
} loopc;

typedef struct rw {
    wg_context *ctx;
    const wg_kernel_ir *k;
    const int32_t *end, *mid;
    wgC_rng *val;
    loopc *loops[WG_KMAX_DEPTH + 1];
    int nloops;
    long budget;
    int fail;
} rw;

static const int64_t I32_LO = -2147483648LL, I32_HI = 2147483647LL, U32_HI = 4294967295LL;
static const wgC_rng UNKNOWN = {INT64_MIN, INT64_MAX};

/* the range a value of dtype dt can hold in the generated code; floats: unknown */
static wgC_rng limits(int dt) {
    switch (dt) {
    case WG_BOOL: return (wgC_rng){0, 1};
    case WG_INT8: return (wgC_rng){-128, 127};
    case WG_UINT8: return (wgC_rng){0, 255};
    case WG_INT16: return (wgC_rng){-32768, 32767};
    case WG_UINT16: return (wgC_rng){0, 65535};
    case WG_INT32: case WG_INT64: return (wgC_rng){I32_LO, I32_HI};
    case WG_UINT32: case WG_UINT64: return (wgC_rng){0, U32_HI};
    default: return UNKNOWN;
    }
}

static int is_int(int dt) { return dt != WG_BOOL && limits(dt).lo != INT64_MIN; }

/* r as a value of dt: itself where dt holds all of it, else dt's whole range */
static wgC_rng fit(wgC_rng r, int dt) {
    wgC_rng l = limits(dt);
    if (l.lo == INT64_MIN || r.lo == INT64_MIN) return l;
    return (r.lo >= l.lo && r.hi <= l.hi) ? r : l;
}

static int64_t mn(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t mx(int64_t a, int64_t b) { return a > b ? a : b; }

static wgC_rng join(wgC_rng a, wgC_rng b) { return (wgC_rng){mn(a.lo, b.lo), mx(a.hi, b.hi)}; }

/* small enough that sums and products are exact in int64 */
static int small(wgC_rng r) { return r.lo >= -U32_HI && r.hi <= U32_HI; }

static int bits_of(int64_t v) { /* bits of a non-negative value */
    int n = 0;
    while (v > 0) { n++; v >>= 1; }
    return n;
}

static wgC_rng eval(const rw *w, const env *e, int i) {
    const wg_kernel_ir *k = w->k;
    const wg_inst *in = &k->inst[i];
    int dt = in->dtype, ar = wgI_op_arity[in->op];
    wgC_rng L = limits(dt);
    if (wgI_op_gives_bool(in->op)) return (wgC_rng){0, 1};
    if (L.lo == INT64_MIN) return UNKNOWN;
    wgC_rng a = ar > 0 ? w->val[in->src[0]] : L, b = ar > 1 ? w->val[in->src[1]] : L;
    int sa = ar > 0 ? k->inst[in->src[0]].dtype : dt;
    if (dt == WG_BOOL) return L;
    switch (in->op) {
    case WG_OP_PARAM: {
        if (in->arg >= k->nparams || !k->param_const[in->arg]) return L;
        int pd = k->param_dtype[in->arg];
        wgC_rng r;
        if (pd == WG_BOOL || pd == WG_UINT8 || pd == WG_UINT16 || pd == WG_UINT32 || pd == WG_UINT64) {
            uint64_t u = k->param_value[in->arg].u;
            if (u > (uint64_t)U32_HI) return L;
            r = (wgC_rng){(int64_t)u, (int64_t)u};
        } else if (is_int(pd)) {
            int64_t v = k->param_value[in->arg].i;
            r = (wgC_rng){v, v};
        } else {
            return L;
        }
        return fit(fit(r, pd), dt);
    }
    case WG_OP_GET: return fit(e->v[in->arg], dt);
    case WG_OP_CAST: case WG_OP_BITCAST:
        if (!is_int(sa) && sa != WG_BOOL) return L;
        return fit(a, dt);
    case WG_OP_POSITIVE: return fit(a, dt);
    case WG_OP_ADD: case WG_OP_SUBTRACT:
        if (!small(a) || !small(b)) return L;
        if (in->op == WG_OP_ADD) return fit((wgC_rng){a.lo + b.lo, a.hi + b.hi}, dt);
        return fit((wgC_rng){a.lo - b.hi, a.hi - b.lo}, dt);
    case WG_OP_NEGATIVE:
        if (!small(a)) return L;
        return fit((wgC_rng){-a.hi, -a.lo}, dt);
    case WG_OP_MULTIPLY: {
        if (a.lo < -I32_HI || a.hi > I32_HI + 1 || b.lo < -I32_HI || b.hi > I32_HI + 1) return L;
        int64_t c[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
        wgC_rng r = {c[0], c[0]};
        for (int j = 1; j < 4; j++) r = join(r, (wgC_rng){c[j], c[j]});
        return fit(r, dt);
    }
    case WG_OP_BITWISE_AND:
        if (a.lo >= 0 && b.lo >= 0) return fit((wgC_rng){0, mn(a.hi, b.hi)}, dt);
        if (a.lo >= 0) return fit((wgC_rng){0, a.hi}, dt);
        if (b.lo >= 0) return fit((wgC_rng){0, b.hi}, dt);
        return L;
    case WG_OP_BITWISE_OR: case WG_OP_BITWISE_XOR:
        if (a.lo >= 0 && b.lo >= 0 && small(a) && small(b))
            return fit((wgC_rng){0, ((int64_t)1 << bits_of(mx(a.hi, b.hi))) - 1}, dt);
        return L;
    case WG_OP_LEFT_SHIFT: { /* counts outside [0, width) give 0 (ir.h) */
        int wd = dt == WG_INT8 || dt == WG_UINT8 ? 8 : dt == WG_INT16 || dt == WG_UINT16 ? 16 : 32;
        if (a.lo < 0 || !small(a) || b.lo < 0 || b.hi >= wd) return L;
        if (b.hi > 32 || a.hi > (L.hi >> b.hi)) return L;
        return fit((wgC_rng){a.lo << b.lo, a.hi << b.hi}, dt);
    }
    case WG_OP_RIGHT_SHIFT: {
        int wd = dt == WG_INT8 || dt == WG_UINT8 ? 8 : dt == WG_INT16 || dt == WG_UINT16 ? 16 : 32;
        if (a.lo >= 0) { /* any count: a value from 0 to a.hi (a count outside: 0) */
            if (b.lo >= 0 && b.hi < wd) return fit((wgC_rng){a.lo >> b.hi, a.hi >> b.lo}, dt);
            return fit((wgC_rng){0, a.hi}, dt);
        }
        return L;
    }
    case WG_OP_REMAINDER: /* integer: the divisor's sign (NumPy), 0 by 0 */
        if (b.lo > 0) {
            wgC_rng r = {0, b.hi - 1};
            if (a.lo >= 0) r.hi = mn(r.hi, a.hi);
            return fit(r, dt);
        }
        return L;
    case WG_OP_FLOOR_DIVIDE:
        if (a.lo >= 0 && b.lo > 0) return fit((wgC_rng){a.lo / b.hi, a.hi / b.lo}, dt);
        return L;
    case WG_OP_MAXIMUM: case WG_OP_FMAX:
        return fit((wgC_rng){mx(a.lo, b.lo), mx(a.hi, b.hi)}, dt);
    case WG_OP_MINIMUM: case WG_OP_FMIN:
        return fit((wgC_rng){mn(a.lo, b.lo), mn(a.hi, b.hi)}, dt);
    case WG_OP_ABSOLUTE:
        if (a.lo >= 0) return fit(a, dt);
        if (!small(a)) return L;
        return fit((wgC_rng){a.hi < 0 ? -a.hi : 0, mx(-a.lo, a.hi)}, dt);
    case WG_OP_WHERE: return fit(join(b, w->val[in->src[2]]), dt);
    default: return L;
    }
}

/* ---- environments ------------------------------------------------------------------------------ */
static int env_new(rw *w, env *e) {
    int n = w->k->nvars > 0 ? w->k->nvars : 1;
    e->dead = 1;
    e->v = wgB_malloc(w->ctx, (size_t)n * sizeof *e->v);
    if (!e->v) w->fail = 1;
    return e->v != NULL;
}

static void env_free(env *e) {
    wgB_free(e->v);
    e->v = NULL;
}

static void env_copy(const rw *w, env *d, const env *s) {
    d->dead = s->dead;
    if (w->k->nvars) memcpy(d->v, s->v, (size_t)w->k->nvars * sizeof *d->v);
}

static void env_join(const rw *w, env *d, const env *s) {
    if (s->dead) return;
    if (d->dead) { env_copy(w, d, s); return; }
    for (int x = 0; x < w->k->nvars; x++) d->v[x] = join(d->v[x], s->v[x]);
}

static int env_same(const rw *w, const env *a, const env *b) {
    if (a->dead != b->dead) return 0;
    if (a->dead) return 1;
    for (int x = 0; x < w->k->nvars; x++)
        if (a->v[x].lo != b->v[x].lo || a->v[x].hi != b->v[x].hi) return 0;
    return 1;
}

/* n (the head after a pass) against o (before it): a bound still moving goes to the limit */
static void env_widen(const rw *w, env *n, const env *o) {
    if (n->dead || o->dead) return;
    for (int x = 0; x < w->k->nvars; x++) {
        wgC_rng l = limits(w->k->var_dtype[x]);
        if (n->v[x].lo < o->v[x].lo) n->v[x].lo = l.lo;
        if (n->v[x].hi > o->v[x].hi) n->v[x].hi = l.hi;
    }
}

/* ---- conditions ---------------------------------------------------------------------------------- */
/* the local whose value instruction v is (a GET, or a cast of one that keeps its value), with no
 * SET of it between v and instruction at; -1 when none */
static int local_of(const rw *w, int v, int at) {
    const wg_kernel_ir *k = w->k;
    int g = v;
    while ((k->inst[g].op == WG_OP_CAST || k->inst[g].op == WG_OP_BITCAST) &&
           is_int(k->inst[g].dtype) && is_int(k->inst[k->inst[g].src[0]].dtype)) {
        int s = k->inst[g].src[0];
        wgC_rng l = limits(k->inst[g].dtype);
        if (!wgC_rng_in(w->val[s], l.lo, l.hi)) return -1; /* the cast changes some value */
        g = s;
    }
    if (k->inst[g].op != WG_OP_GET) return -1;
    int x = k->inst[g].arg;
    wgC_rng lv = limits(k->var_dtype[x]), lg = limits(k->inst[g].dtype);
    /* the GET converts the local to its dtype: only where that keeps every value */
    if (!is_int(k->var_dtype[x]) || lv.lo < lg.lo || lv.hi > lg.hi) return -1;
    for (int j = g + 1; j < at; j++)
        if (k->inst[j].op == WG_OP_SET && k->inst[j].arg == x) return -1;
    return x;
}

/* a's value lies within r (where control passes): narrows its local */
static void narrow(const rw *w, env *e, int a, wgC_rng r, int at) {
    int x = local_of(w, a, at);
    if (x < 0 || e->dead) return;
    wgC_rng *c = &e->v[x];
    c->lo = mx(c->lo, r.lo);
    c->hi = mn(c->hi, r.hi);
    if (c->lo > c->hi) e->dead = 1; /* the condition cannot hold here */
}

/* control passes where value c (bool) is `truth` */
static void refine(const rw *w, env *e, int c, int truth, int at, int depth) {
    const wg_kernel_ir *k = w->k;
    const wg_inst *in = &k->inst[c];
    if (depth > 8 || e->dead) return;
    switch (in->op) {
    case WG_OP_LOGICAL_NOT:
        if (k->inst[in->src[0]].dtype == WG_BOOL) refine(w, e, in->src[0], !truth, at, depth + 1);
        return;
    case WG_OP_LOGICAL_AND: case WG_OP_LOGICAL_OR:
        if ((in->op == WG_OP_LOGICAL_AND) != truth) return;
        if (k->inst[in->src[0]].dtype == WG_BOOL) refine(w, e, in->src[0], truth, at, depth + 1);
        if (k->inst[in->src[1]].dtype == WG_BOOL) refine(w, e, in->src[1], truth, at, depth + 1);
        return;
    case WG_OP_LESS: case WG_OP_LESS_EQUAL: case WG_OP_GREATER: case WG_OP_GREATER_EQUAL:
    case WG_OP_EQUAL: case WG_OP_NOT_EQUAL: {
        int a = in->src[0], b = in->src[1], op = in->op;
        if (!is_int(k->inst[a].dtype)) return;
        if (!truth) { /* the negation: integers have no NaN */
            static const int neg[] = {WG_OP_NOT_EQUAL, WG_OP_EQUAL, WG_OP_GREATER_EQUAL, WG_OP_GREATER,
                                      WG_OP_LESS_EQUAL, WG_OP_LESS};
            op = neg[op - WG_OP_EQUAL];
        }
        wgC_rng ra = w->val[a], rb = w->val[b];
        switch (op) { /* a op b: each side's bound from the other's */
        case WG_OP_LESS:
            narrow(w, e, a, (wgC_rng){INT64_MIN, rb.hi - 1}, at);
            narrow(w, e, b, (wgC_rng){ra.lo + 1, INT64_MAX}, at);
            break;
        case WG_OP_LESS_EQUAL:
            narrow(w, e, a, (wgC_rng){INT64_MIN, rb.hi}, at);
            narrow(w, e, b, (wgC_rng){ra.lo, INT64_MAX}, at);
            break;
        case WG_OP_GREATER:
            narrow(w, e, a, (wgC_rng){rb.lo + 1, INT64_MAX}, at);
            narrow(w, e, b, (wgC_rng){INT64_MIN, ra.hi - 1}, at);
            break;
        case WG_OP_GREATER_EQUAL:
            narrow(w, e, a, (wgC_rng){rb.lo, INT64_MAX}, at);
            narrow(w, e, b, (wgC_rng){INT64_MIN, ra.hi}, at);
            break;
        case WG_OP_EQUAL:
            narrow(w, e, a, rb, at);
            narrow(w, e, b, ra, at);
            break;
        default: break;
        }
        return;
    }
    default: return;
    }
}

/* ---- the walk ------------------------------------------------------------------------------------ */
static void walk(rw *w, int from, int to, env *e);

static void walk_if(rw *w, int i, env *e) {
    const wg_kernel_ir *k = w->k;
    int mid = w->mid[i], end = w->end[i], c = k->inst[i].src[0];
    int isb = k->inst[c].dtype == WG_BOOL;
    env t, f;
    if (!env_new(w, &t) || !env_new(w, &f)) {
        env_free(&t);
        env_free(&f);
        return;
    }
    env_copy(w, &t, e);
    env_copy(w, &f, e);
    if (isb) {
        refine(w, &t, c, 1, i, 0);
        refine(w, &f, c, 0, i, 0);
    }
    walk(w, i + 1, mid >= 0 ? mid : end, &t);
    if (mid >= 0) walk(w, mid + 1, end, &f);
    env_copy(w, e, &t);
    env_join(w, e, &f);
    env_free(&t);
    env_free(&f);
}

static void walk_loop(rw *w, int i, env *e) {
    int mid = w->mid[i], end = w->end[i];
    env head, body, prev;
    loopc lc;
    int ok = env_new(w, &head) & env_new(w, &body) & env_new(w, &prev) & env_new(w, &lc.brk) &
             env_new(w, &lc.cont);
    if (ok && w->nloops <= WG_KMAX_DEPTH) {
        env_copy(w, &head, e);
        w->loops[w->nloops++] = &lc;
        for (int pass = 0; !w->fail; pass++) {
            lc.brk.dead = lc.cont.dead = 1;
            env_copy(w, &body, &head);
            walk(w, i + 1, mid >= 0 ? mid : end, &body);
            env_join(w, &body, &lc.cont); /* the CONTINUING part: after the body or a CONTINUE */
            if (mid >= 0) walk(w, mid + 1, end, &body);
            env_copy(w, &prev, &head);
            env_join(w, &head, &body);     /* the next pass starts from either */
            if (env_same(w, &head, &prev)) break; /* this pass ran from the fixpoint */
            if (pass >= R_WIDEN) env_widen(w, &head, &prev);
        }
        w->nloops--;
        env_copy(w, e, &lc.brk);
    } else {
        w->fail = 1;
    }
    env_free(&head);
    env_free(&body);
    env_free(&prev);
    env_free(&lc.brk);
    env_free(&lc.cont);
}

static void walk(rw *w, int from, int to, env *e) {
    const wg_kernel_ir *k = w->k;
    for (int i = from; i < to && !w->fail; i++) {
        const wg_inst *in = &k->inst[i];
        if (--w->budget < 0) { w->fail = 1; return; }
        switch (in->op) {
        case WG_OP_IF: walk_if(w, i, e); i = w->end[i]; break;
        case WG_OP_LOOP: walk_loop(w, i, e); i = w->end[i]; break;
        case WG_OP_BREAK:
            if (w->nloops) env_join(w, &w->loops[w->nloops - 1]->brk, e);
            e->dead = 1;
            return;
        case WG_OP_CONTINUE:
            if (w->nloops) env_join(w, &w->loops[w->nloops - 1]->cont, e);
            e->dead = 1;
            return;
        case WG_OP_RETURN: e->dead = 1; return;
        case WG_OP_SET:
            if (!e->dead) e->v[in->arg] = fit(w->val[in->src[0]], k->var_dtype[in->arg]);
            break;
        case WG_OP_ELSE: case WG_OP_CONTINUING: case WG_OP_END: w->fail = 1; return; /* not here */
        default:
            if (wgI_op_is_stmt(in->op)) break;
            /* where no path reaches, the value is never computed: any interval holds, and the
             * environment's may be stale, so take the whole range */
            w->val[i] = e->dead ? limits(in->dtype) : eval(w, e, i);
            break;
        }
    }
}

wgC_rng *wgC_ranges(wg_context *ctx, const wg_kernel_ir *k, const int32_t *end, const int32_t *mid) {
    if (!k->stmt || k->ninst <= 0) return NULL;
    rw w = {ctx, k, end, mid, NULL, {0}, 0, R_BUDGET, 0};
    w.val = wgB_malloc(ctx, (size_t)k->ninst * sizeof *w.val);
    env e = {0, NULL};
    if (!w.val || !env_new(&w, &e)) {
        wgB_free(w.val);
        env_free(&e);
        return NULL;
    }
    for (int i = 0; i < k->ninst; i++) w.val[i] = limits(k->inst[i].dtype);
    e.dead = 0;
    for (int x = 0; x < k->nvars; x++) e.v[x] = (wgC_rng){0, 0}; /* every local starts at zero */
    walk(&w, 0, k->ninst, &e);
    env_free(&e);
    if (w.fail) {
        wgB_free(w.val);
        return NULL;
    }
    return w.val;
}
