/*
 * Capture and replay (wgpy.fuse; docs/architecture.md "Capture and replay").
 *
 * A trace records a function's work once as a template: the pending writes that the buffers made
 * during the trace hold when it ends, in the order they were recorded, their node DAGs flattened
 * into an array whose leaves name parameters (the traced inputs), outside buffers (kept
 * referenced) or intermediates (buffers made by the trace) instead of buffers.  A replay makes
 * new intermediates and records each write again over the new inputs, through wgG_record_write,
 * so that the graph afterwards is what recording the function op by op would have left, with no
 * operation crossing from Python.
 *
 * What a template cannot hold makes the trace uncapturable (wgG_trace_break): anything that runs
 * or reads during it (a kernel, an upload, a read, a sync: its result or its data would be baked
 * in), a write into a buffer from before the trace (replaying it would write the old array
 * again), an output that is not an array made by the trace, an intermediate a write reads at an
 * older version, a buffer made and written by the trace that neither an output nor a write reads
 * (it escaped: replays would not update it).  Tracing itself changes three things so that the
 * function's work stays pending: run-ahead is off, a cut for the fusion limit leaves the cut part
 * pending on its buffer (write.c wgG_cut), and arrays from before the trace are read from memory
 * rather than fused (node.c wgG_load).
 */
#include "../base/context.h"
#include "../dtype/dtype.h"

#include <string.h>

enum { LEAF_NONE = 0, LEAF_PARAM = 1, LEAF_CONST = 2, LEAF_BUF = 3 };
enum { T_TRACING = 0, T_CAPTURED = 1, T_UNCAPTURABLE = 2 };

typedef struct {
    int dtype, has_buf, weak, value_unsigned, alias;
    wg_layout lay;
    int64_t nelem;
    wg_value value;
    wg_buffer *traced; /* during the trace only (not retained: the caller holds the inputs) */
} tparam;

typedef struct {
    int dtype;
    int64_t nelem;
    int used; /* loaded by a template node or an output's */
    int written;
    wg_buffer *traced; /* during wg_trace_end only */
} tbuf;

/* A write root's summary (graph.h wg_nsum) with its nodes as template indices and its buffers
 * as leaf places: a replay gives the roots theirs and builds the other nodes without (only a
 * root is ever read by later operations: node.c summarize reads a node's sources' summaries). */
typedef struct {
    int valid, nodes, exact, loads, params, nbufs;
    int32_t load_idx[WG_NSUM_LOADS], param_idx[WG_NSUM_PARAMS];
    uint8_t buf_kind[WG_NSUM_BUFS];
    int32_t buf_idx[WG_NSUM_BUFS];
} tsum;

typedef struct {
    int target, root, upto;
    wg_layout view;
    tsum sum;
} twrite;

typedef struct {
    int kind, buf, dtype; /* kind LEAF_BUF: an intermediate; LEAF_PARAM, LEAF_CONST: a view of one */
    wg_layout lay;
} tout;

struct wg_trace {
    int refs; /* the caller's, and each replay stub's (wgG_stub) */
    uint8_t *stub_ok; /* per write: no other write's DAG shares its nodes (but shared leaves) */
    uint32_t stamp;
    int state;
    const char *reason;
    int64_t ahead_min, ahead_handoff;
    int nparams;
    tparam *params;
    int nbufs, capbufs;
    tbuf *bufs;
    int nconsts, capconsts;
    wg_buffer **consts;
    int nnodes, capnodes;
    wg_node *nodes;     /* copies: refcount, sum, marks unused; src/buf given by the arrays below */
    int32_t (*src)[3];  /* source indices, -1 none */
    uint8_t *leaf_kind; /* LEAF_* */
    int32_t *leaf_idx;
    /* the scalar and index leaves (no buffer: the same in every replay), made once and shared by
     * every replay's DAG (half of the tiny row's nodes are its `+ 1.0` scalars) */
    wg_node **shared;
    wgG_lmemo **memos; /* per write: its kept lowering */
    int nwrites;
    twrite *writes;
    int nouts;
    tout *outs;
    /* wg_trace_known: the outside buffers the caller can follow between calls (its cache key
     * holds their arrays); check_known: wg_trace_end refuses a template reading any other */
    int check_known, nknown;
    wg_buffer **known;
};

void wgG_trace_break(wg_context *ctx, const char *reason) {
    wg_trace *t = ctx->trace;
    if (t && t->state == T_TRACING && !t->reason) t->reason = reason;
}

int wg_tracing(wg_context *ctx) { return ctx->trace != NULL; }

void wg_trace_eager(wg_context *ctx) { ctx->counters[WG_COUNTER_FUSE_EAGER]++; }

const char *wg_trace_reason(const wg_trace *t) { return t && t->reason ? t->reason : ""; }

int64_t wg_trace_stat(const wg_trace *t, int what) {
    if (!t) return -1;
    switch (what) {
    case 0: return t->nwrites;
    case 1: return t->nnodes;
    case 2: return t->nconsts;
    case 3: return t->nbufs;
    case 4: return t->nouts;
    default: return -1;
    }
}

void wgG_lmemo_release(wg_context *ctx, wgG_lmemo *m) {
    if (!m || --m->refcount > 0) return;
    if (m->ir) wgI_free(m->ir);
    wgB_free(m->args);
    wgB_free(m);
    (void)ctx;
}

static void drop_template(wg_context *ctx, wg_trace *t) {
    for (int i = 0; t->memos && i < t->nwrites; i++) wgG_lmemo_release(ctx, t->memos[i]);
    wgB_free(t->memos);
    t->memos = NULL;
    wgB_free(t->stub_ok);
    t->stub_ok = NULL;
    for (int i = 0; t->shared && i < t->nnodes; i++) wgG_node_release(ctx, t->shared[i]);
    wgB_free(t->shared);
    t->shared = NULL;
    for (int i = 0; i < t->nconsts; i++) wgA_buffer_release(ctx, t->consts[i]);
    wgB_free(t->consts);
    wgB_free(t->nodes);
    wgB_free(t->src);
    wgB_free(t->leaf_kind);
    wgB_free(t->leaf_idx);
    wgB_free(t->writes);
    wgB_free(t->outs);
    wgB_free(t->bufs);
    t->consts = NULL;
    t->nodes = NULL;
    t->src = NULL;
    t->leaf_kind = NULL;
    t->leaf_idx = NULL;
    t->writes = NULL;
    t->outs = NULL;
    t->bufs = NULL;
    t->nconsts = t->nnodes = t->nwrites = t->nouts = t->nbufs = 0;
    t->capconsts = t->capnodes = t->capbufs = 0;
}

void wg_trace_free(wg_context *ctx, wg_trace *t) {
    if (!t) return;
    if (ctx->trace == t) {
        ctx->trace = NULL;
        ctx->ahead_min = t->ahead_min;
        ctx->ahead_handoff = t->ahead_handoff;
    }
    if (--t->refs > 0) return; /* replay stubs still read the template */
    drop_template(ctx, t);
    wgB_free(t->known);
    wgB_free(t->params);
    wgB_free(t);
}

wg_trace *wg_trace_begin(wg_context *ctx, int nin, wg_array **ins) {
    wgP_drain(ctx);
    if (ctx->trace) {
        wgB_error(ctx, WG_ERR_VALUE, "wg_trace_begin: a trace is already under way");
        return NULL;
    }
    if (nin < 0 || (nin && !ins)) {
        wgB_error(ctx, WG_ERR_VALUE, "wg_trace_begin: bad inputs");
        return NULL;
    }
    wg_trace *t = wgB_calloc(ctx, 1, sizeof *t);
    if (!t) return NULL;
    t->params = wgB_calloc(ctx, (size_t)(nin ? nin : 1), sizeof *t->params);
    if (!t->params) {
        wgB_free(t);
        return NULL;
    }
    t->nparams = nin;
    t->refs = 1;
    for (int i = 0; i < nin; i++) {
        tparam *p = &t->params[i];
        const wg_array *a = ins[i];
        if (!a) {
            wgB_error(ctx, WG_ERR_VALUE, "wg_trace_begin: input %d is NULL", i);
            wg_trace_free(ctx, t);
            return NULL;
        }
        p->dtype = a->dtype;
        p->has_buf = a->buf != NULL;
        p->weak = a->weak;
        p->value = a->value;
        p->value_unsigned = a->value_unsigned;
        p->lay = a->lay;
        p->nelem = a->buf ? a->buf->nelem : 0;
        p->traced = a->buf;
        p->alias = i;
        for (int j = 0; j < i && a->buf; j++)
            if (t->params[j].traced == a->buf) {
                p->alias = j;
                break;
            }
        if (wgD_is_complex(a->dtype) && !t->reason) t->reason = "a complex input";
    }
    t->stamp = ++ctx->trace_stamp ? ctx->trace_stamp : ++ctx->trace_stamp;
    t->ahead_min = ctx->ahead_min;
    t->ahead_handoff = ctx->ahead_handoff;
    ctx->ahead_min = 0; /* run-ahead would run the function's reductions during the trace */
    if (!ctx->lazy && !t->reason) t->reason = "lazy evaluation is off";
    ctx->trace = t;
    return t;
}

static int grow(wg_context *ctx, void **p, int *cap, int need, size_t size) {
    if (need <= *cap) return 1;
    int ncap = *cap ? *cap * 2 : 16;
    while (ncap < need) ncap *= 2;
    void *np = wgB_realloc(ctx, *p, size * (size_t)ncap);
    if (!np) return 0;
    *p = np;
    *cap = ncap;
    return 1;
}

/* The intermediate slot of a buffer made by the trace (-1: out of memory). */
static int buf_slot(wg_context *ctx, wg_trace *t, wg_buffer *b) {
    for (int i = 0; i < t->nbufs; i++)
        if (t->bufs[i].traced == b) return i;
    if (!grow(ctx, (void **)&t->bufs, &t->capbufs, t->nbufs + 1, sizeof *t->bufs)) return -1;
    tbuf *s = &t->bufs[t->nbufs];
    memset(s, 0, sizeof *s);
    s->dtype = b->dtype;
    s->nelem = b->nelem;
    s->traced = b;
    return t->nbufs++;
}

/* Give a buffer a template reads (a leaf's, an output's) its place: *kind LEAF_*, *idx; 1, or 0
 * out of memory, -1 uncapturable.  version: the version read. */
static int classify(wg_context *ctx, wg_trace *t, wg_buffer *b, uint32_t version, int *kind,
                    int *idx) {
    if (b->trace == t->stamp) {
        if (version != b->version) {
            t->reason = "a buffer made by the trace is read at an older version";
            return -1;
        }
        int s = buf_slot(ctx, t, b);
        if (s < 0) return 0;
        t->bufs[s].used = 1;
        *kind = LEAF_BUF;
        *idx = s;
        return 1;
    }
    for (int i = 0; i < t->nparams; i++)
        if (t->params[i].traced == b) {
            *kind = LEAF_PARAM;
            *idx = t->params[i].alias;
            return 1;
        }
    *kind = LEAF_CONST;
    for (int i = 0; i < t->nconsts; i++)
        if (t->consts[i] == b) {
            *idx = i;
            return 1;
        }
    if (!grow(ctx, (void **)&t->consts, &t->capconsts, t->nconsts + 1, sizeof *t->consts))
        return 0;
    wgA_buffer_retain(b);
    t->consts[t->nconsts] = b;
    *idx = t->nconsts++;
    return 1;
}

/* Append n's DAG to the template in post order (sources first); 0 out of memory, -1
 * uncapturable.  Nodes already in it (mark == mark) keep their index (node->tmp). */
static int flatten(wg_context *ctx, wg_trace *t, wg_node *root, uint32_t mark) {
    int cap = 64, sp = 0, st = 1;
    wg_node **stack = wgB_malloc(ctx, sizeof *stack * (size_t)cap);
    if (!stack) return 0;
    stack[sp++] = root;
    while (sp && st == 1) {
        wg_node *x = stack[sp - 1];
        if (x->mark == mark) {
            sp--;
            continue;
        }
        int pushed = 0;
        for (int i = 0; i < 3; i++) {
            wg_node *c = x->src[i];
            if (!c || c->mark == mark) continue;
            if (sp == cap) {
                wg_node **ns = wgB_realloc(ctx, stack, sizeof *ns * (size_t)(cap *= 2));
                if (!ns) { st = 0; break; }
                stack = ns;
            }
            stack[sp++] = c;
            pushed = 1;
        }
        if (pushed || st != 1) continue;
        sp--;
        int k = t->nnodes, c0 = t->capnodes;
        if (!grow(ctx, (void **)&t->nodes, &t->capnodes, k + 1, sizeof *t->nodes)) { st = 0; break; }
        int c1 = c0, c2 = c0, c3 = c0;
        if (!grow(ctx, (void **)&t->src, &c1, t->capnodes, sizeof *t->src) ||
            !grow(ctx, (void **)&t->leaf_kind, &c2, t->capnodes, sizeof *t->leaf_kind) ||
            !grow(ctx, (void **)&t->leaf_idx, &c3, t->capnodes, sizeof *t->leaf_idx)) {
            st = 0;
            break;
        }
        t->nodes[k] = *x;
        for (int i = 0; i < 3; i++) t->src[k][i] = x->src[i] ? x->src[i]->tmp : -1;
        t->leaf_kind[k] = LEAF_NONE;
        t->leaf_idx[k] = -1;
        t->nnodes++;
        x->mark = mark;
        x->tmp = k;
        if (x->buf) {
            int kind = LEAF_NONE, idx = -1;
            st = classify(ctx, t, x->buf, x->version, &kind, &idx);
            t->leaf_kind[k] = (uint8_t)kind;
            t->leaf_idx[k] = idx;
        }
    }
    wgB_free(stack);
    return st;
}

/* The recipe of root's summary (none where it has none); 0 out of memory, -1 uncapturable. */
static int keep_sum(wg_context *ctx, wg_trace *t, const wg_node *root, uint32_t mark, tsum *ts) {
    const wg_nsum *s = root->sum;
    memset(ts, 0, sizeof *ts);
    if (!s) return 1;
    int nl = s->loads < WG_NSUM_LOADS ? s->loads : WG_NSUM_LOADS;
    int np = s->params < WG_NSUM_PARAMS ? s->params : WG_NSUM_PARAMS;
    for (int i = 0; i < nl; i++) {
        if (s->load_seen[i]->mark != mark) return 1; /* not in the template: no recipe */
        ts->load_idx[i] = s->load_seen[i]->tmp;
    }
    for (int i = 0; i < np; i++) {
        if (s->param_seen[i]->mark != mark) return 1;
        ts->param_idx[i] = s->param_seen[i]->tmp;
    }
    for (int i = 0; i < s->nbufs; i++) {
        int kind = LEAF_NONE, idx = -1;
        wg_buffer *b = s->bufs[i];
        int r = classify(ctx, t, b, b->trace == t->stamp ? b->version : 0, &kind, &idx);
        if (r <= 0) return r;
        ts->buf_kind[i] = (uint8_t)kind;
        ts->buf_idx[i] = idx;
    }
    ts->nodes = s->nodes;
    ts->exact = s->exact;
    ts->loads = s->loads;
    ts->params = s->params;
    ts->nbufs = s->nbufs;
    ts->valid = 1;
    return 1;
}

int wg_trace_known(wg_context *ctx, wg_trace *t, int n, wg_array **arrays) {
    if (!t || ctx->trace != t || n < 0 || (n && !arrays))
        return wgB_error(ctx, WG_ERR_VALUE, "wg_trace_known: not the trace under way, or bad arrays");
    wgB_free(t->known);
    t->known = n ? wgB_malloc(ctx, sizeof *t->known * (size_t)n) : NULL;
    if (n && !t->known) return wgB_error(ctx, WG_ERR_MEMORY, "wgpy: out of memory");
    for (int i = 0; i < n; i++) t->known[i] = arrays[i] ? arrays[i]->buf : NULL;
    t->nknown = n;
    t->check_known = 1;
    return 0;
}

/* Is every outside buffer the template reads one the caller declared (wg_trace_known)? */
static int consts_known(const wg_trace *t) {
    for (int i = 0; t->check_known && i < t->nconsts; i++) {
        int ok = 0;
        for (int j = 0; j < t->nknown && !ok; j++) ok = t->known[j] == t->consts[i];
        if (!ok) return 0;
    }
    return 1;
}

int wg_trace_end(wg_context *ctx, wg_trace *t, int nout, wg_array **outs) {
    wgP_drain(ctx);
    if (!t || ctx->trace != t)
        return wgB_error(ctx, WG_ERR_VALUE, "wg_trace_end: not the trace under way");
    ctx->trace = NULL;
    ctx->ahead_min = t->ahead_min;
    ctx->ahead_handoff = t->ahead_handoff;
    int st = 1;
    wg_write **ws = NULL;
    if (!t->reason && nout < 1) t->reason = "the function returned no arrays";
    for (int i = 0; i < nout && !t->reason; i++) {
        const wg_array *a = outs[i];
        if (!a || !a->buf)
            t->reason = "an output is not an array with a buffer";
        else if (wgD_is_complex(a->dtype))
            t->reason = "a complex output";
    }
    if (t->reason) goto uncapturable;
    /* the trace's pending writes, oldest first (the list is newest first) */
    int nw = 0;
    for (wg_write *w = ctx->pending_head; w; w = w->next_pending) nw += w->target->trace == t->stamp;
    ws = wgB_malloc(ctx, sizeof *ws * (size_t)(nw ? nw : 1));
    t->writes = wgB_calloc(ctx, (size_t)(nw ? nw : 1), sizeof *t->writes);
    t->outs = wgB_calloc(ctx, (size_t)nout, sizeof *t->outs);
    if (!ws || !t->writes || !t->outs) goto oom;
    int k = nw;
    for (wg_write *w = ctx->pending_head; w; w = w->next_pending)
        if (w->target->trace == t->stamp) ws[--k] = w;
    uint32_t mark = ++ctx->mark;
    for (int i = 0; i < nw; i++) {
        wg_write *w = ws[i];
        if (w->reads_self || w->inlined) {
            t->reason = "a write reads its own target";
            goto uncapturable;
        }
        int s = buf_slot(ctx, t, w->target);
        if (s < 0) goto oom;
        t->bufs[s].written = 1;
        int r = flatten(ctx, t, w->node, mark);
        if (r == 0) goto oom;
        if (r < 0) goto uncapturable;
        twrite *tw = &t->writes[t->nwrites++];
        tw->target = s;
        tw->view = w->view;
        tw->root = w->node->tmp;
        tw->upto = t->nnodes;
        r = keep_sum(ctx, t, w->node, mark, &tw->sum);
        if (r == 0) goto oom;
        if (r < 0) goto uncapturable;
    }
    for (int i = 0; i < nout; i++) {
        /* an output is an intermediate, or a view of an input or of an outside array */
        int r = classify(ctx, t, outs[i]->buf, outs[i]->buf->version, &t->outs[i].kind,
                         &t->outs[i].buf);
        if (r == 0) goto oom;
        if (r < 0) goto uncapturable;
        t->outs[i].dtype = outs[i]->dtype;
        t->outs[i].lay = outs[i]->lay;
    }
    t->nouts = nout;
    /* an array reached through an attribute or a container: a later call may reach another one
     * there, which the caller's cache key would not see (a replay would read the old array) */
    if (!consts_known(t)) {
        t->reason = "it reads an array that is neither an argument nor a closure or global "
                    "variable (an attribute's or a container's: pass it as an argument)";
        goto uncapturable;
    }
    for (int i = 0; i < t->nbufs; i++)
        if (t->bufs[i].written && !t->bufs[i].used) {
            t->reason = "an array the function wrote outlives it without being returned";
            goto uncapturable;
        }
    t->shared = wgB_calloc(ctx, (size_t)(t->nnodes ? t->nnodes : 1), sizeof *t->shared);
    t->memos = wgB_calloc(ctx, (size_t)(t->nwrites ? t->nwrites : 1), sizeof *t->memos);
    if (!t->shared || !t->memos) goto oom;
    for (int i = 0; i < t->nwrites; i++) {
        if (!(t->memos[i] = wgB_calloc(ctx, 1, sizeof *t->memos[i]))) goto oom;
        t->memos[i]->refcount = 1;
    }
    for (int i = 0; i < t->nnodes; i++) {
        const wg_node *x = &t->nodes[i];
        if (x->kind == WG_N_ELEMENTWISE && (x->op == WG_OP_PARAM || x->op == WG_OP_INDEX)) {
            wg_node *none[3] = {NULL, NULL, NULL};
            if (!(t->shared[i] = wgG_node_copy(ctx, x, none, NULL))) goto oom;
        }
    }
    /* a write whose DAG takes nodes of an earlier write's, and that earlier write, are built in
     * full at a replay (a stub's nodes are made only when it is expanded) */
    t->stub_ok = wgB_malloc(ctx, (size_t)(t->nwrites ? t->nwrites : 1));
    if (!t->stub_ok) goto oom;
    memset(t->stub_ok, 1, (size_t)(t->nwrites ? t->nwrites : 1));
    for (int w = 0, start = 0; w < t->nwrites; start = t->writes[w++].upto) {
        int r = t->writes[w].root;
        for (int i = start; i <= t->writes[w].upto && i < t->nnodes + 1; i++) {
            int srcs[3] = {-1, -1, -1};
            if (i < t->writes[w].upto)
                for (int j = 0; j < 3; j++) srcs[j] = t->src[i][j];
            else
                srcs[0] = r; /* the root itself may be an earlier write's node */
            for (int j = 0; j < 3; j++) {
                int sj = srcs[j];
                if (sj < 0 || sj >= start || t->shared[sj]) continue;
                t->stub_ok[w] = 0;
                for (int q = 0; q < w; q++) /* the write whose range holds sj */
                    if (sj >= (q ? t->writes[q - 1].upto : 0) && sj < t->writes[q].upto)
                        t->stub_ok[q] = 0;
            }
        }
    }
    for (int i = 0; i < t->nbufs; i++) t->bufs[i].traced = NULL;
    for (int i = 0; i < t->nparams; i++) t->params[i].traced = NULL;
    wgB_free(ws);
    wgB_free(t->known);
    t->known = NULL;
    t->state = T_CAPTURED;
    ctx->counters[WG_COUNTER_FUSE_TRACES]++;
    return st;
oom:
    st = wgB_error(ctx, WG_ERR_MEMORY, "wgpy: out of memory capturing a trace");
    t->reason = "out of memory";
uncapturable:
    wgB_free(ws);
    wgB_free(t->known);
    t->known = NULL;
    drop_template(ctx, t);
    for (int i = 0; i < t->nparams; i++) t->params[i].traced = NULL;
    t->state = T_UNCAPTURABLE;
    if (st == 1) {
        ctx->counters[WG_COUNTER_FUSE_EAGER]++;
        st = 0;
    }
    return st;
}

/* Do the inputs match the traced ones? */
static int inputs_match(const wg_trace *t, int nin, wg_array **ins) {
    if (nin != t->nparams) return 0;
    for (int i = 0; i < nin; i++) {
        const tparam *p = &t->params[i];
        const wg_array *a = ins[i];
        if (!a || a->dtype != p->dtype || (a->buf != NULL) != p->has_buf) return 0;
        if (!a->buf) {
            if (a->weak != p->weak || a->value.u != p->value.u ||
                a->value_unsigned != p->value_unsigned)
                return 0;
            continue;
        }
        if (a->buf->nelem != p->nelem || !wgL_same(&a->lay, &p->lay) ||
            a->lay.offset != p->lay.offset)
            return 0;
        int alias = i;
        for (int j = 0; j < i; j++)
            if (ins[j]->buf == a->buf) {
                alias = j;
                break;
            }
        if (alias != p->alias) return 0;
    }
    return 1;
}

/* A replay's stub root: what its DAG is made of when it is needed (wgG_expand). */
struct wgG_stub {
    wg_trace *t;
    int write;
    wg_buffer **pbufs; /* per parameter: its buffer (retained; NULL: none) */
    wg_buffer **ibufs; /* per intermediate slot (retained) */
    int npre;
    int32_t pre_idx[WG_NSUM_LOADS];
    wg_node *pre[WG_NSUM_LOADS]; /* the loads the root's summary names (retained) */
};

void wgG_stub_free(wg_context *ctx, wgG_stub_t *s) {
    if (!s) return;
    for (int i = 0; i < s->npre; i++) wgG_node_release(ctx, s->pre[i]);
    for (int i = 0; s->pbufs && i < s->t->nparams; i++) wgA_buffer_release(ctx, s->pbufs[i]);
    for (int i = 0; s->ibufs && i < s->t->nbufs; i++) wgA_buffer_release(ctx, s->ibufs[i]);
    wgB_free(s->pbufs);
    wgB_free(s->ibufs);
    wg_trace_free(ctx, s->t);
    wgB_free(s);
}

/* Template node i over the given buffers (sources from built, else the shared leaves). */
static wg_node *make_node(wg_context *ctx, const wg_trace *t, int i, wg_node **built,
                          wg_buffer *const *pbufs, wg_buffer *const *ibufs) {
    if (t->shared[i]) {
        wgG_node_retain(t->shared[i]);
        return t->shared[i];
    }
    wg_node *src[3] = {NULL, NULL, NULL};
    for (int j = 0; j < 3; j++) {
        int sj = t->src[i][j];
        if (sj < 0) continue;
        src[j] = built[sj] ? built[sj] : t->shared[sj];
        wgG_node_retain(src[j]);
    }
    wg_buffer *b = NULL;
    int li = t->leaf_idx[i];
    switch (t->leaf_kind[i]) {
    case LEAF_PARAM: b = pbufs[li]; break;
    case LEAF_CONST: b = t->consts[li]; break;
    case LEAF_BUF: b = ibufs[li]; break;
    default: break;
    }
    return wgG_node_copy(ctx, &t->nodes[i], src, b);
}

int wgG_expand(wg_context *ctx, wg_node *n) {
    wgG_stub_t *s = n->stub;
    if (!s) return WG_OK;
    const wg_trace *t = s->t;
    const twrite *tw = &t->writes[s->write];
    int start = s->write ? t->writes[s->write - 1].upto : 0, st = WG_OK;
    wg_node **built = wgB_calloc(ctx, (size_t)t->nnodes, sizeof *built);
    if (!built) return WG_ERR_MEMORY;
    for (int k = 0; k < s->npre; k++) {
        built[s->pre_idx[k]] = s->pre[k];
        wgG_node_retain(s->pre[k]);
    }
    for (int i = start; i < tw->root && st == WG_OK; i++) {
        if (built[i] || t->shared[i]) continue;
        if (!(built[i] = make_node(ctx, t, i, built, s->pbufs, s->ibufs))) st = WG_ERR_MEMORY;
    }
    if (st == WG_OK) {
        for (int j = 0; j < 3; j++) {
            int sj = t->src[tw->root][j];
            if (sj < 0) continue;
            n->src[j] = built[sj] ? built[sj] : t->shared[sj];
            wgG_node_retain(n->src[j]);
        }
        n->stub = NULL;
        wgG_stub_free(ctx, s);
    }
    for (int i = 0; i < t->nnodes; i++) wgG_node_release(ctx, built[i]);
    wgB_free(built);
    return st == WG_OK ? WG_OK : wgB_error(ctx, st, "wgpy: out of memory making a replay's graph");
}

/* Write w of a replay as a stub root (its kept lowering runs it; wgG_expand makes its DAG if
 * anything needs it), or NULL where it cannot be one (then built in full). */
static wg_node *make_stub(wg_context *ctx, wg_trace *t, int w, wg_array **ins, wg_buffer **bufs) {
    const twrite *tw = &t->writes[w];
    int r = tw->root;
    if (!t->stub_ok[w] || !tw->sum.valid || t->memos[w]->state != 1 || t->shared[r] ||
        r != tw->upto - 1 || t->nodes[r].kind != WG_N_ELEMENTWISE || t->src[r][0] < 0)
        return NULL;
    for (int i = 0; i < tw->sum.params && i < WG_NSUM_PARAMS; i++)
        if (!t->shared[tw->sum.param_idx[i]]) return NULL;
    wgG_stub_t *s = wgB_calloc(NULL, 1, sizeof *s);
    if (!s) return NULL;
    s->t = t;
    t->refs++;
    s->write = w;
    s->pbufs = wgB_calloc(NULL, (size_t)(t->nparams ? t->nparams : 1), sizeof *s->pbufs);
    s->ibufs = wgB_calloc(NULL, (size_t)(t->nbufs ? t->nbufs : 1), sizeof *s->ibufs);
    if (!s->pbufs || !s->ibufs) { wgG_stub_free(ctx, s); return NULL; }
    for (int i = 0; i < t->nparams; i++) {
        s->pbufs[i] = ins[i]->buf;
        wgA_buffer_retain(s->pbufs[i]);
    }
    for (int i = 0; i < t->nbufs; i++) {
        s->ibufs[i] = bufs[i];
        wgA_buffer_retain(bufs[i]);
    }
    const tsum *ts = &tw->sum;
    for (int k = 0; k < ts->loads && k < WG_NSUM_LOADS; k++) {
        int i = ts->load_idx[k], seen = 0;
        for (int q = 0; q < s->npre; q++) seen |= s->pre_idx[q] == i;
        if (seen) continue;
        wg_node *none[3] = {NULL, NULL, NULL};
        wg_node *ld = t->src[i][0] < 0 ? make_node(ctx, t, i, none, s->pbufs, s->ibufs) : NULL;
        if (!ld) { wgG_stub_free(ctx, s); return NULL; }
        s->pre_idx[s->npre] = i;
        s->pre[s->npre++] = ld;
    }
    wg_node *none[3] = {NULL, NULL, NULL};
    wg_node *n = wgG_node_copy(ctx, &t->nodes[r], none, NULL);
    wg_nsum *ns = n ? wgG_nsum_new(ctx) : NULL;
    if (!ns) {
        wgG_node_release(ctx, n);
        wgG_stub_free(ctx, s);
        wg_clear_error(ctx);
        return NULL;
    }
    n->stub = s;
    n->sum = ns;
    ns->nodes = ts->nodes;
    ns->exact = ts->exact;
    ns->loads = ts->loads;
    ns->params = ts->params;
    ns->nbufs = ts->nbufs;
    for (int k = 0; k < ts->loads && k < WG_NSUM_LOADS; k++)
        for (int q = 0; q < s->npre; q++)
            if (s->pre_idx[q] == ts->load_idx[k]) ns->load_seen[k] = s->pre[q];
    for (int k = 0; k < ts->params && k < WG_NSUM_PARAMS; k++)
        ns->param_seen[k] = t->shared[ts->param_idx[k]];
    for (int k = 0; k < ts->nbufs; k++) {
        int li = ts->buf_idx[k];
        ns->bufs[k] = ts->buf_kind[k] == LEAF_PARAM ? s->pbufs[li]
                      : ts->buf_kind[k] == LEAF_CONST ? t->consts[li] : bufs[li];
    }
    n->lmemo = t->memos[w];
    n->lmemo->refcount++;
    return n;
}

int wg_trace_replay(wg_context *ctx, wg_trace *t, int nin, wg_array **ins, int nout,
                    wg_array **outs) {
    wgP_drain(ctx);
    if (!t || t->state != T_CAPTURED)
        return wgB_error(ctx, WG_ERR_VALUE, "wg_trace_replay: the trace holds no template");
    if (nout != t->nouts)
        return wgB_error(ctx, WG_ERR_VALUE, "wg_trace_replay: %d outputs asked, %d traced", nout,
                         t->nouts);
    for (int i = 0; i < nout; i++) outs[i] = NULL;
    if (ctx->trace || !inputs_match(t, nin, ins)) return 1;
    int st = WG_OK;
    wg_buffer **bufs = wgB_calloc(ctx, (size_t)(t->nbufs ? t->nbufs : 1), sizeof *bufs);
    wg_node **built = wgB_calloc(ctx, (size_t)(t->nnodes ? t->nnodes : 1), sizeof *built);
    wg_buffer **pbufs = wgB_calloc(ctx, (size_t)(nin ? nin : 1), sizeof *pbufs);
    if (!bufs || !built || !pbufs) { st = WG_ERR_MEMORY; goto done; }
    for (int i = 0; i < nin; i++) pbufs[i] = ins[i]->buf;
    for (int i = 0; i < t->nbufs && st == WG_OK; i++) {
        bufs[i] = wgA_buffer_new(ctx, t->bufs[i].dtype, t->bufs[i].nelem);
        if (!bufs[i]) st = wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
    }
    int next = 0;
    for (int w = 0; w < t->nwrites && st == WG_OK; w++) {
        const twrite *tw = &t->writes[w];
        wg_node *stub = make_stub(ctx, t, w, ins, bufs);
        if (stub) {
            next = tw->upto;
            st = wgG_record_write(ctx, bufs[tw->target], &tw->view, stub);
            continue;
        }
        for (; next < tw->upto && st == WG_OK; next++)
            if (!(built[next] = make_node(ctx, t, next, built, pbufs, bufs))) st = WG_ERR_MEMORY;
        if (st != WG_OK) break;
        wg_node *root = built[tw->root];
        if (tw->sum.valid && !root->sum && !t->shared[tw->root] &&
            (root->sum = wgG_nsum_new(ctx))) {
            const tsum *ts = &tw->sum;
            wg_nsum *ns = root->sum;
            ns->nodes = ts->nodes;
            ns->exact = ts->exact;
            ns->loads = ts->loads;
            ns->params = ts->params;
            ns->nbufs = ts->nbufs;
            for (int i = 0; i < ts->loads && i < WG_NSUM_LOADS; i++)
                ns->load_seen[i] = built[ts->load_idx[i]];
            for (int i = 0; i < ts->params && i < WG_NSUM_PARAMS; i++)
                ns->param_seen[i] = built[ts->param_idx[i]];
            for (int i = 0; i < ts->nbufs; i++) {
                int li = ts->buf_idx[i];
                ns->bufs[i] = ts->buf_kind[i] == LEAF_PARAM ? ins[li]->buf
                              : ts->buf_kind[i] == LEAF_CONST ? t->consts[li] : bufs[li];
            }
        }
        if (!t->shared[tw->root] && !root->lmemo && t->memos[w]->state >= 0) {
            root->lmemo = t->memos[w];
            root->lmemo->refcount++;
        }
        wgG_node_retain(root);
        st = wgG_record_write(ctx, bufs[tw->target], &tw->view, root);
    }
    for (int i = 0; i < nout && st == WG_OK; i++) {
        const tout *o = &t->outs[i];
        wg_buffer *b = o->kind == LEAF_PARAM ? ins[o->buf]->buf
                       : o->kind == LEAF_CONST ? t->consts[o->buf] : bufs[o->buf];
        outs[i] = wgA_new(ctx, o->dtype, &o->lay, b, NULL);
        if (!outs[i]) st = WG_ERR_MEMORY;
    }
    if (st == WG_OK) {
        ctx->counters[WG_COUNTER_FUSE_REPLAYS]++;
        if (nout) wgA_write_info(ctx, outs[0]); /* the info block describes the first output */
    }
done:
    if (built)
        for (int i = 0; i < t->nnodes; i++) wgG_node_release(ctx, built[i]);
    if (bufs)
        for (int i = 0; i < t->nbufs; i++) wgA_buffer_release(ctx, bufs[i]);
    wgB_free(built);
    wgB_free(bufs);
    wgB_free(pbufs);
    if (st != WG_OK) {
        for (int i = 0; i < nout; i++) {
            if (outs[i]) wg_release(outs[i]);
            outs[i] = NULL;
        }
        if (st == WG_ERR_MEMORY && !wgB_failed(ctx))
            st = wgB_error(ctx, WG_ERR_MEMORY, "wgpy: out of memory replaying a trace");
    }
    return st;
}
