/* Graph nodes: construction, the load rule that fuses pending elementwise results, measuring. */
#include "../base/context.h"
#include "../dtype/dtype.h"

#include <string.h>

int wgG_same_load(const wg_node *a, const wg_node *b) {
    return a->buf == b->buf && a->ndim == b->ndim &&
           !memcmp(a->shape, b->shape, sizeof(int64_t) * a->ndim) && wgL_same(&a->view, &b->view);
}

int wgG_same_param(const wg_node *a, const wg_node *b) {
    return a->dtype == b->dtype && a->value.u == b->value.u;
}

static void count_distinct(const wg_node *n, const wg_node **seen, int *count, int cap,
                           int (*same)(const wg_node *, const wg_node *)) {
    int k = *count < cap ? *count : cap;
    for (int i = 0; i < k; i++)
        if (same(seen[i], n)) return;
    if (*count < cap) seen[*count] = n;
    (*count)++;
}

static int is_leaf(const wg_node *c) {
    return c->kind == WG_N_ELEMENTWISE && !c->src[0] && !c->src[1] && !c->src[2];
}

/* A kernel argument (a load, a scalar) is not counted against the fusion limit: the limit bounds
 * a kernel's operations, and arguments have limits of their own (distinct loads and scalars).
 * Counted, they halved what a chain with a scalar per operation fuses (x = x + 1: 128 links a
 * kernel instead of 256), and every extra kernel is a launch and a store and load of its result. */
static int is_argument(const wg_node *c) {
    return c->kind == WG_N_ELEMENTWISE && (c->op == WG_OP_LOAD || c->op == WG_OP_PARAM);
}

static int sum_add_buf(wg_nsum *s, wg_buffer *b) {
    for (int i = 0; i < s->nbufs; i++)
        if (s->bufs[i] == b) return 1;
    if (s->nbufs == WG_NSUM_BUFS) return 0;
    s->bufs[s->nbufs++] = b;
    return 1;
}

static void add_distinct(const wg_node *const *seen, int count, int cap, const wg_node **into,
                         int *into_count, int (*same)(const wg_node *, const wg_node *)) {
    int k = count < cap ? count : cap;
    for (int i = 0; i < k; i++) count_distinct(seen[i], into, into_count, cap, same);
    if (count > *into_count) *into_count = count; /* a union is no smaller than its parts */
}

/* Merge source c's facts into s (0: too many buffers to keep). */
static int sum_merge(wg_nsum *s, const wg_node *c) {
    if (c->sum) {
        const wg_nsum *m = c->sum;
        s->nodes += m->nodes;
        s->exact &= m->exact;
        add_distinct(m->load_seen, m->loads, WG_NSUM_LOADS, s->load_seen, &s->loads,
                     wgG_same_load);
        add_distinct(m->param_seen, m->params, WG_NSUM_PARAMS, s->param_seen, &s->params,
                     wgG_same_param);
        for (int i = 0; i < m->nbufs; i++)
            if (!sum_add_buf(s, m->bufs[i])) return 0;
        return 1;
    }
    s->nodes += !is_argument(c);
    if (c->op == WG_OP_LOAD)
        count_distinct(c, s->load_seen, &s->loads, WG_NSUM_LOADS, wgG_same_load);
    if (c->op == WG_OP_PARAM)
        count_distinct(c, s->param_seen, &s->params, WG_NSUM_PARAMS, wgG_same_param);
    return !c->buf || sum_add_buf(s, c->buf);
}

/* n's summary from its sources': leaves, and sources that have one.  Loads, parameters and
 * buffers merge exactly (they are compared by value or identity); the node count is a sum, exact
 * only when no two sources can share a node: at most one source that is not a leaf, and then
 * every leaf fresh (held by n alone: refcount 1, so in no other source's DAG).  Otherwise it is
 * an upper bound (wgG_measure walks when the bound is not enough).  Sources are merged in the
 * order a walk visits them (the last first), so bufs keep the walk's order.  Reductions,
 * matmuls and their consumers keep the walks; an allocation failure only leaves n without one. */
static void summarize(wg_context *ctx, wg_node *n) {
    int inner = 0, shared_leaf = 0;
    for (int i = 0; i < 3; i++) {
        const wg_node *c = n->src[i];
        if (!c || (i && c == n->src[i - 1]) || (i == 2 && c == n->src[0])) continue;
        if (is_leaf(c)) shared_leaf |= c->refcount > 1;
        else if (c->sum) inner++;
        else return;
    }
    /* (a failed allocation leaves n without one and sets no error: NULL context) */
    wg_nsum *s = ctx && ctx->nrecycle[WGB_RC_NSUM] ? wgB_take(ctx, WGB_RC_NSUM, sizeof *s)
                                           : wgB_malloc(NULL, sizeof *s);
    if (!s) return;
    s->nodes = 1;
    s->loads = s->params = s->nbufs = 0;
    s->exact = inner == 0 || (inner == 1 && !shared_leaf);
    for (int i = 2; i >= 0; i--) {
        const wg_node *c = n->src[i];
        int again = 0;
        for (int j = i + 1; j < 3; j++) again |= n->src[j] == c;
        if (!c || again) continue;
        if (!sum_merge(s, c)) {
            wgB_give(ctx, WGB_RC_NSUM, s, sizeof *s);
            return;
        }
    }
    if (s->nodes > (1 << 24)) s->nodes = 1 << 24; /* a bound, kept from overflowing */
    n->sum = s;
}

wg_node *wgG_node_new(wg_context *ctx, int kind, int op, int dtype, int ndim,
                      const int64_t *shape) {
    wg_node *n = wgB_take(ctx, WGB_RC_NODE, sizeof *n);
    if (!n) return NULL;
    n->refcount = 1;
    n->kind = kind;
    n->op = (uint8_t)op;
    n->dtype = (uint8_t)dtype;
    n->ndim = ndim;
    if (ndim) memcpy(n->shape, shape, sizeof(int64_t) * ndim);
    return n;
}

void wgG_node_retain(wg_node *n) {
    if (n) n->refcount++;
}

void wgG_node_release(wg_context *ctx, wg_node *n) {
    /* iterative over the first source to keep deep chains (2,000 ops) off the C stack */
    while (n && --n->refcount == 0) {
        wg_node *next = n->src[0];
        wgG_node_release(ctx, n->src[1]);
        wgG_node_release(ctx, n->src[2]);
        if (n->buf) wgA_buffer_release(ctx, n->buf);
        if (n->lmemo) wgG_lmemo_release(ctx, n->lmemo);
        if (n->stub) wgG_stub_free(ctx, n->stub);
        wgB_give(ctx, WGB_RC_NSUM, n->sum, sizeof *n->sum);
        wgB_give(ctx, WGB_RC_NODE, n, sizeof *n);
        n = next;
    }
}

wg_node *wgG_param(wg_context *ctx, int dtype, wg_value v) {
    wg_node *n = wgG_node_new(ctx, WG_N_ELEMENTWISE, WG_OP_PARAM, dtype, 0, NULL);
    if (n) n->value = v;
    return n;
}

wg_node *wgG_index(wg_context *ctx, int ndim, const int64_t *shape, int dim) {
    wg_node *n = wgG_node_new(ctx, WG_N_ELEMENTWISE, WG_OP_INDEX,
                              wgD_canonical(WG_INT64, ctx->x64), ndim, shape);
    if (n) n->arg = (uint16_t)dim;
    return n;
}

/* Composing an in-place op onto a pending write that a pending reader has fused too (its node
 * held elsewhere: refcount > 1) computes that write in both kernels; repeated each step — a
 * parameter updated in place (b -= lr * g) whose write the next step's forward fuses before
 * the next update composes it — the write's DAG grows one layer a step and every step compiles
 * a new kernel until the fusion limit cuts it (bench/fusion_growth.py).  So a shared write is
 * composed only while it is a single operation on its operands (at most 4 nodes: duplicating
 * that is cheaper than a launch, and `y = a * 3; z = y + 1; y -= 1` stays 2 kernels); a bigger
 * one is read from memory, its write running first.  A write that reads its own target is not
 * fused by readers, so it is never shared this way. */
static int shared_composition(wg_context *ctx, const wg_write *w, int inline_ok) {
    if (inline_ok != WG_INLINE_SELF || w->reads_self || w->node->refcount <= 1) return 0;
    int nodes, loads, params;
    wgG_measure(ctx, w->node, 4, &nodes, &loads, &params);
    return nodes + loads + params > 4; /* operations and their distinct arguments */
}

wg_node *wgG_load(wg_context *ctx, wg_array *a, int inline_ok) {
    if (wgD_is_complex(a->dtype)) {
        /* kernels are real-only: complex operations are composed from the parts' float views
         * (api/complex.c); an operation that reaches here has no complex version yet */
        wgB_error(ctx, WG_ERR_TYPE, "wgpy: this operation does not support complex arrays yet");
        return NULL;
    }
    if (!a->buf) {
        /* a Python scalar or a 0-d constant: a kernel parameter, never a buffer */
        wg_value v = a->value;
        if (a->weak) v = wgD_convert(v, wgD_weak_default(a->weak), a->dtype);
        return wgG_param(ctx, a->dtype, v);
    }
    wg_write *w = a->buf->pending;
    /* a trace (capture.c) reads arrays from before it from memory: its template is replayed over
     * other inputs, and an outside array's pending write may change between replays */
    if (ctx->trace && a->buf->trace != ctx->trace_stamp) w = NULL;
    int cand = inline_ok && w && w->full && !w->inlined &&
               (!w->reads_self || inline_ok == WG_INLINE_SELF) &&
               w->node->kind == WG_N_ELEMENTWISE && wgL_same(&w->view, &a->lay);
    /* a replay's stub root gets its DAG before anything measures or takes it */
    if (cand && w->node->stub && wgG_expand(ctx, w->node) != WG_OK) return NULL;
    if (cand && !shared_composition(ctx, w, inline_ok)) {
        wgG_node_retain(w->node);
        return wgG_cast(ctx, w->node, a->buf->dtype);
    }
    wg_node *n = wgG_node_new(ctx, WG_N_ELEMENTWISE, WG_OP_LOAD, a->buf->dtype, a->lay.ndim,
                              a->lay.shape);
    if (!n) return NULL;
    n->buf = a->buf;
    wgA_buffer_retain(a->buf);
    n->view = a->lay;
    n->version = a->buf->version;
    return n;
}

wg_node *wgG_op(wg_context *ctx, int op, int dtype, int ndim, const int64_t *shape, wg_node *a,
                wg_node *b, wg_node *c) {
    wg_node *n = NULL;
    if (a && (wg_op_arity(op) < 2 || b) && (wg_op_arity(op) < 3 || c))
        n = wgG_node_new(ctx, WG_N_ELEMENTWISE, op, dtype, ndim, shape);
    if (!n) {
        wgG_node_release(ctx, a);
        wgG_node_release(ctx, b);
        wgG_node_release(ctx, c);
        return NULL;
    }
    n->src[0] = a;
    n->src[1] = b;
    n->src[2] = c;
    summarize(ctx, n);
    ctx->counters[WG_COUNTER_OPS_RECORDED]++;
    return n;
}

wg_node *wgG_cast(wg_context *ctx, wg_node *n, int dtype) {
    /* nodes are real: a cast "to complex" gives the real part's dtype, and whoever stores it
     * pairs it with a zero imaginary part (wgP_materialize, docs/complex.md) */
    if (wgD_is_complex(dtype)) dtype = wgD_part_dtype(dtype);
    if (!n || n->dtype == dtype) return n;
    if (n->op == WG_OP_PARAM && n->kind == WG_N_ELEMENTWISE && n->refcount == 1) {
        /* fold the cast into the parameter: one kernel argument less to convert per element */
        n->value = wgD_convert(n->value, n->dtype, dtype);
        n->dtype = (uint8_t)dtype;
        return n;
    }
    wg_node *c = wgG_node_new(ctx, WG_N_ELEMENTWISE, WG_OP_CAST, dtype, n->ndim, n->shape);
    if (!c) {
        wgG_node_release(ctx, n);
        return NULL;
    }
    c->src[0] = n;
    summarize(ctx, c);
    return c;
}

/* Iterative DFS with an explicit stack: fused DAGs can be thousands of nodes deep. */
typedef struct {
    int nodes, loads, params;
    int cap;
    /* distinct kernel arguments: lowering shares a slot between equal loads and equal scalars */
    const wg_node *load_seen[WG_KMAX_IO];
    const wg_node *param_seen[WG_KMAX_PARAMS];
} measure_t;

static void measure(wg_context *ctx, wg_node *root, measure_t *m) {
    wg_node *stack_local[256];
    wg_node **stack = stack_local;
    int cap = 256, sp = 0;
    uint32_t mark = ++ctx->mark;
    stack[sp++] = root;
    while (sp > 0) {
        wg_node *n = stack[--sp];
        if (!n || n->mark == mark) continue;
        n->mark = mark;
        m->nodes += !is_argument(n);
        if (n->op == WG_OP_LOAD && n->kind == WG_N_ELEMENTWISE)
            count_distinct(n, m->load_seen, &m->loads, WG_KMAX_IO, wgG_same_load);
        if (n->op == WG_OP_PARAM && n->kind == WG_N_ELEMENTWISE)
            count_distinct(n, m->param_seen, &m->params, WG_KMAX_PARAMS, wgG_same_param);
        if (m->nodes > m->cap) break;
        if (n->kind != WG_N_ELEMENTWISE) continue; /* a reduce/matmul is its own kernel */
        for (int i = 0; i < 3; i++) {
            if (!n->src[i]) continue;
            if (sp == cap) {
                int ncap = cap * 2;
                wg_node **ns = wgB_malloc(NULL, sizeof(wg_node *) * ncap);
                if (!ns) { m->nodes = m->cap + 1; goto out; }
                memcpy(ns, stack, sizeof(wg_node *) * sp);
                if (stack != stack_local) wgB_free(stack);
                stack = ns;
                cap = ncap;
            }
            stack[sp++] = n->src[i];
        }
    }
out:
    if (stack != stack_local) wgB_free(stack);
}

void wgG_measure(wg_context *ctx, wg_node *n, int limit, int *nodes, int *loads, int *params) {
    wg_nsum *s = n->sum;
    if (s && (s->exact || s->nodes <= limit)) {
        *nodes = s->nodes;
        *loads = s->loads;
        *params = s->params;
        return;
    }
    if (is_leaf(n)) { /* an operand read from memory (a reduction's, a matmul's): no walk */
        *nodes = 1;
        *loads = n->op == WG_OP_LOAD;
        *params = n->op == WG_OP_PARAM;
        return;
    }
    measure_t m;
    memset(&m, 0, sizeof m);
    m.cap = ctx->fusion_limit + 1;
    measure(ctx, n, &m);
    *nodes = m.nodes;
    *loads = m.loads;
    *params = m.params;
    if (s && m.nodes < m.cap) {
        s->nodes = m.nodes; /* counted: the next node built on this one starts exact */
        s->exact = 1;
    }
}

int wgG_fits_one_kernel(wg_context *ctx, wg_node *n) {
    int nodes, loads, params;
    wgG_measure(ctx, n, ctx->fusion_limit, &nodes, &loads, &params);
    /* keep one output slot free and leave room for the store's cast; the host's device may bind
     * fewer buffers than the engine's kernels hold (max_bindings: 12 on SwiftShader's webgpu) */
    int io = ctx->max_bindings < WG_KMAX_FUSED_IO ? ctx->max_bindings : WG_KMAX_FUSED_IO;
    return nodes <= ctx->fusion_limit && loads <= io - 4 && params <= WG_KMAX_FUSED_PARAMS - 4;
}

wg_node *wgG_node_copy(wg_context *ctx, const wg_node *proto, wg_node *const *src,
                       wg_buffer *buf) {
    wg_node *n = wgB_take(ctx, WGB_RC_NODE, sizeof *n);
    if (!n) {
        for (int i = 0; i < 3; i++) wgG_node_release(ctx, src[i]);
        return NULL;
    }
    *n = *proto;
    n->refcount = 1;
    n->mark = 0;
    n->tmp = 0;
    n->sum = NULL;
    n->writes = 0;
    n->lmemo = NULL;
    n->stub = NULL;
    for (int i = 0; i < 3; i++) n->src[i] = src[i];
    n->buf = buf;
    if (buf) {
        wgA_buffer_retain(buf);
        n->version = buf->version;
    }
    return n;
}

wg_nsum *wgG_nsum_new(wg_context *ctx) {
    wg_nsum *s = ctx->nrecycle[WGB_RC_NSUM] ? wgB_take(ctx, WGB_RC_NSUM, sizeof *s)
                                           : wgB_malloc(NULL, sizeof *s);
    if (s) memset(s, 0, sizeof *s);
    return s;
}
