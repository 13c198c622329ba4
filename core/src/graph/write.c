/*
 * Pending writes and the rules that keep lazy evaluation equal to eager evaluation.
 *
 * A buffer has at most one pending write "target[view] = node".  Four rules (docs/architecture.md):
 *  1. WAR: before a buffer is written, every other pending write that reads it runs.
 *  2. Overlap: a write whose node reads the target through any other view than the written one
 *     is first evaluated into a temporary (NumPy makes the same copy for overlapping operands).
 *  3. Supersede: a write that covers the whole target and does not read it replaces the target's
 *     pending write, which then never runs (the old value is still fused into whoever read it).
 *     Any other write first runs the target's pending write.
 *  4. Dependencies: running a write first runs the pending writes of every buffer it reads.
 */
#include "../base/context.h"
#include "../dtype/dtype.h"

#include <stdlib.h>
#include <string.h>

/* Does the view hit every element of a buffer of nelem elements exactly once? */
static int covers_exactly(const wg_layout *v, int64_t nelem) {
    if (wgL_size(v) != nelem) return 0;
    int idx[WG_MAX_NDIM], n = 0;
    for (int i = 0; i < v->ndim; i++)
        if (v->shape[i] > 1) idx[n++] = i;
    /* sort the non-trivial axes by |stride| (insertion sort: n <= 16) */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && llabs(v->strides[idx[j]]) < llabs(v->strides[idx[j - 1]]); j--) {
            int t = idx[j]; idx[j] = idx[j - 1]; idx[j - 1] = t;
        }
    int64_t expect = 1;
    for (int i = 0; i < n; i++) {
        if (llabs(v->strides[idx[i]]) != expect) return 0;
        expect *= v->shape[idx[i]];
    }
    int64_t lo, hi;
    wgL_extent(v, &lo, &hi);
    return nelem == 0 || (lo == 0 && hi == nelem - 1);
}

/* A walk over the distinct nodes of a DAG (an explicit stack: deep chains): walk_start (0: out
 * of memory), walk_next for each node until NULL, walk_push_srcs for the nodes whose sources
 * are to be visited (0: out of memory), walk_end. */
typedef struct {
    wg_context *ctx;
    wg_node **stack;
    int sp, cap;
    uint32_t mark;
} dag_walk;

static int walk_start(dag_walk *w, wg_context *ctx, wg_node *root) {
    w->ctx = ctx;
    w->sp = 0;
    w->cap = 64;
    w->stack = wgB_malloc(ctx, sizeof *w->stack * w->cap);
    if (!w->stack) return 0;
    w->mark = ++ctx->mark;
    w->stack[w->sp++] = root;
    return 1;
}

static wg_node *walk_next(dag_walk *w) {
    while (w->sp) {
        wg_node *x = w->stack[--w->sp];
        if (!x || x->mark == w->mark) continue;
        x->mark = w->mark;
        return x;
    }
    return NULL;
}

static int walk_push_srcs(dag_walk *w, wg_node *x) {
    for (int i = 0; i < 3; i++) {
        if (!x->src[i]) continue;
        if (w->sp == w->cap) {
            wg_node **ns = wgB_realloc(w->ctx, w->stack, sizeof *ns * (w->cap *= 2));
            if (!ns) return 0;
            w->stack = ns;
        }
        w->stack[w->sp++] = x->src[i];
    }
    return 1;
}

static void walk_end(dag_walk *w) { wgB_free(w->stack); }

/* Collect distinct LOAD buffers of a DAG. */
static int collect_leaves(wg_context *ctx, wg_node *root, wg_buffer ***out, int *nout) {
    int cap = 8, n = 0;
    wg_buffer **bufs = wgB_malloc(ctx, sizeof *bufs * cap);
    dag_walk w = {0};
    if (!bufs || !walk_start(&w, ctx, root)) { wgB_free(bufs); return WG_ERR_MEMORY; }
    wg_node *x;
    while ((x = walk_next(&w))) {
        if (x->buf) {
            int seen = 0;
            for (int i = 0; i < n && !seen; i++) seen = bufs[i] == x->buf;
            if (!seen) {
                if (n == cap) {
                    wg_buffer **nb = wgB_realloc(ctx, bufs, sizeof *bufs * (cap *= 2));
                    if (!nb) goto oom;
                    bufs = nb;
                }
                bufs[n++] = x->buf;
                wgA_buffer_retain(x->buf);
            }
        }
        if (!walk_push_srcs(&w, x)) goto oom;
    }
    walk_end(&w);
    *out = bufs;
    *nout = n;
    return WG_OK;
oom:
    for (int i = 0; i < n; i++) wgA_buffer_release(ctx, bufs[i]);
    wgB_free(bufs);
    walk_end(&w);
    return WG_ERR_MEMORY;
}

/* Versions of `b` the DAG loads: bit 0 the version before b's pending write, bit 1 after it. */
static int load_versions(wg_context *ctx, wg_node *root, wg_buffer *b) {
    int bits = 0;
    dag_walk w;
    if (!walk_start(&w, ctx, root)) return 3;
    wg_node *x;
    while ((x = walk_next(&w))) {
        if (x->buf == b && x->op == WG_OP_LOAD)
            bits |= (b->pending && x->version != b->version) ? 1 : 2;
        if (!walk_push_srcs(&w, x)) {
            bits = 3;
            break;
        }
    }
    walk_end(&w);
    return bits;
}

/* What wgG_record_write needs to know of a new write's DAG, in one walk (a fused chain is walked
 * once per recorded operation, and three walks were a fifth of a small operation's time):
 * load_versions' bits for `target`; other: a LOAD of target through a view other than `view`
 * (or from a reduction or matmul), reads_any: any LOAD of target; collect_leaves' buffers
 * (retained).  WG_OK, or WG_ERR_MEMORY. */
typedef struct {
    int versions, other, reads_any;
    wg_buffer **leaves;
    int nleaves;
} dag_facts;

static int scan_write(wg_context *ctx, wg_node *root, wg_buffer *target, const wg_layout *view,
                      dag_facts *f) {
    memset(f, 0, sizeof *f);
    const wg_nsum *s = root->sum;
    int known = s != NULL;
    for (int i = 0; known && i < s->nbufs; i++) known = s->bufs[i] != target;
    if (known) {
        /* the DAG does not read the target: its leaves are all there is to learn */
        f->leaves = wgB_malloc(ctx, sizeof *f->leaves * (size_t)(s->nbufs ? s->nbufs : 1));
        if (!f->leaves) return WG_ERR_MEMORY;
        for (int i = 0; i < s->nbufs; i++) {
            f->leaves[i] = s->bufs[i];
            wgA_buffer_retain(s->bufs[i]);
        }
        f->nleaves = s->nbufs;
        return WG_OK;
    }
    int cap = 8;
    f->leaves = wgB_malloc(ctx, sizeof *f->leaves * cap);
    dag_walk w = {0};
    if (!f->leaves || !walk_start(&w, ctx, root)) {
        wgB_free(f->leaves);
        f->leaves = NULL;
        return WG_ERR_MEMORY;
    }
    wg_node *x;
    while ((x = walk_next(&w))) {
        if (x->buf == target) {
            f->reads_any = 1;
            if (x->kind != WG_N_ELEMENTWISE || root->kind != WG_N_ELEMENTWISE ||
                !wgL_same(&x->view, view))
                f->other = 1;
            if (x->op == WG_OP_LOAD)
                f->versions |= (target->pending && x->version != target->version) ? 1 : 2;
        }
        if (x->buf) {
            int seen = 0;
            for (int i = 0; i < f->nleaves && !seen; i++) seen = f->leaves[i] == x->buf;
            if (!seen) {
                if (f->nleaves == cap) {
                    wg_buffer **nb = wgB_realloc(ctx, f->leaves, sizeof *nb * (cap *= 2));
                    if (!nb) goto oom;
                    f->leaves = nb;
                }
                f->leaves[f->nleaves++] = x->buf;
                wgA_buffer_retain(x->buf);
            }
        }
        if (!walk_push_srcs(&w, x)) goto oom;
    }
    walk_end(&w);
    return WG_OK;
oom:
    walk_end(&w);
    for (int i = 0; i < f->nleaves; i++) wgA_buffer_release(ctx, f->leaves[i]);
    wgB_free(f->leaves);
    f->leaves = NULL;
    f->nleaves = 0;
    return WG_ERR_MEMORY;
}

int wgG_mixed_versions(wg_context *ctx, wg_node *n, wg_buffer *buf) {
    return buf->pending && load_versions(ctx, n, buf) == 3;
}

static void unlink_pending(wg_context *ctx, wg_write *w) {
    if (w->prev_pending) w->prev_pending->next_pending = w->next_pending;
    else ctx->pending_head = w->next_pending;
    if (w->next_pending) w->next_pending->prev_pending = w->prev_pending;
    w->prev_pending = w->next_pending = NULL;
    if (w->target->pending == w) w->target->pending = NULL;
}

static void free_write(wg_context *ctx, wg_write *w) {
    w->node->writes--;
    wgG_node_release(ctx, w->node);
    for (int i = 0; i < w->nleaves; i++) {
        if (w->leaves[i] != w->target) w->leaves[i]->nreaders--;
        wgA_buffer_release(ctx, w->leaves[i]);
    }
    wgB_free(w->leaves);
    wgB_give(ctx, WGB_RC_WRITE, w, sizeof *w);
}

void wgG_drop_pending(wg_context *ctx, wg_buffer *b) {
    wg_write *w = b->pending;
    if (!w) return;
    unlink_pending(ctx, w);
    free_write(ctx, w);
}

static int write_reads(const wg_write *w, const wg_buffer *b) {
    for (int i = 0; i < w->nleaves; i++)
        if (w->leaves[i] == b) return 1;
    return 0;
}

static int groupable(const wg_write *w, int ndim, const int64_t *shape);

/* Run w, whose dependencies have run.  Other pending writes whose nodes w inlined (a reader
 * fused them while they stayed pending: their buffers are still alive) would otherwise be
 * computed again by whoever reads them next, and an in-place update that composes such a write
 * (momentum's v = m * v - lr * g, inlined each step into p += v) would grow by one layer per
 * step, recomputing every earlier step.  So: those of w's shape are stored by w's own kernel (a
 * multi-output group: no extra kernel, one more store each); the others are marked inlined, so
 * that later readers load their buffers (running them at most once more) instead of inlining
 * them again. */
static int run_with_inlined(wg_context *ctx, wg_write *w) {
    enum { MAXG = 8 };
    wg_write *group[MAXG];
    int ng = 0, any = 0;
    for (wg_write *p = ctx->pending_head; p && !any; p = p->next_pending)
        any = p != w && p->full && !p->reads_self && p->node->kind == WG_N_ELEMENTWISE;
    if (!any) return wgG_run_write(ctx, w);
    /* only a node that is some other write's node can be one; when the walk meets none, the
     * pending list (a sync's worth of writes, each run in turn: quadratic) is not scanned */
    dag_walk dw;
    if (!walk_start(&dw, ctx, w->node)) return WG_ERR_MEMORY;
    wg_node *x;
    int roots = 0;
    while ((x = walk_next(&dw))) {
        roots += x->writes - (x == w->node);
        if (!walk_push_srcs(&dw, x)) {
            walk_end(&dw);
            return WG_ERR_MEMORY;
        }
    }
    walk_end(&dw);
    if (!roots) return wgG_run_write(ctx, w);
    uint32_t mark = dw.mark;
    int can_group = w->full && w->node->kind == WG_N_ELEMENTWISE;
    group[ng++] = w;
    for (wg_write *p = ctx->pending_head; p; p = p->next_pending) {
        if (p == w || p->node->mark != mark || !p->full || p->reads_self ||
            p->node->kind != WG_N_ELEMENTWISE)
            continue;
        if (can_group && ng < MAXG && groupable(p, w->view.ndim, w->view.shape) &&
            !write_reads(p, w->target) && !write_reads(w, p->target))
            group[ng++] = p;
        else
            p->inlined = 1;
    }
    if (ng >= 2) {
        int r = wgG_run_group(ctx, group, ng);
        if (r == WG_OK) {
            for (int i = 1; i < ng; i++) {
                unlink_pending(ctx, group[i]);
                free_write(ctx, group[i]);
            }
            return WG_OK;
        }
        if (r != WG_ERR_NOTIMPL) return r;
        for (int i = 1; i < ng; i++) group[i]->inlined = 1;
    }
    return wgG_run_write(ctx, w);
}

/* Run one buffer's pending write after its dependencies, without recursion (chains can be long). */
int wgG_execute(wg_context *ctx, wg_buffer *target) {
    if (!target->pending) return WG_OK;
    int cap = 16, sp = 0, st = WG_OK;
    wg_buffer **stack = wgB_malloc(ctx, sizeof *stack * cap);
    if (!stack) return WG_ERR_MEMORY;
    wgA_buffer_retain(target);
    stack[sp++] = target;
    while (sp && st == WG_OK) {
        wg_buffer *b = stack[sp - 1];
        wg_write *w = b->pending;
        if (!w) { wgA_buffer_release(ctx, b); sp--; continue; }
        wg_buffer *dep = NULL;
        int dep_failed = 0;
        for (int i = 0; i < w->nleaves && !dep; i++) {
            if (w->leaves[i] != b && w->leaves[i]->pending) dep = w->leaves[i];
            if (w->leaves[i]->failed) dep_failed = w->leaves[i]->failed;
        }
        if (!dep && dep_failed) {
            /* computed from contents that never came to be: fail too, never compute garbage */
            unlink_pending(ctx, w);
            free_write(ctx, w);
            b->failed = dep_failed;
            st = wgB_error(ctx, dep_failed, "wgpy: an array this one is computed from failed to "
                           "compute earlier");
            break;
        }
        if (dep) {
            if (sp == cap) {
                wg_buffer **ns = wgB_realloc(ctx, stack, sizeof *stack * (cap *= 2));
                if (!ns) { st = WG_ERR_MEMORY; break; }
                stack = ns;
            }
            wgA_buffer_retain(dep);
            stack[sp++] = dep;
            continue;
        }
        unlink_pending(ctx, w);
        st = run_with_inlined(ctx, w);
        free_write(ctx, w);
        b->failed = st == WG_OK ? 0 : st; /* a failed write leaves its target unknown */
        wgA_buffer_release(ctx, b);
        sp--;
    }
    while (sp) wgA_buffer_release(ctx, stack[--sp]);
    wgB_free(stack);
    return st;
}

int wgG_execute_all(wg_context *ctx) {
    while (ctx->pending_head) {
        int st = wgG_execute(ctx, ctx->pending_head->target);
        if (st != WG_OK) return st;
    }
    return WG_OK;
}

/* Rule 1: run every other pending write that reads b. */
int wgG_flush_readers(wg_context *ctx, wg_buffer *b) {
    /* the common case, nobody reads b, costs nothing however much work is pending */
    while (b->nreaders > 0) {
        wg_write *w = ctx->pending_head;
        while (w && (w->target == b || !write_reads(w, b))) w = w->next_pending;
        if (!w) return WG_OK;
        int st = wgG_execute(ctx, w->target);
        if (st != WG_OK) return st;
    }
    return WG_OK;
}

/* Run ahead: the work of a reduction or matmul node in input elements, or 0 for what may still
 * fuse into later operations (elementwise).  A matmul counts M*N*K / 64: on the H100 a product of
 * M*N*K/16 takes about as long as streaming that many elements, but independent products that
 * share a submission overlap on the GPU, which a hand-off between them prevents (1024^2 products
 * handed off every four ran at a third of their batched throughput: docs/benchmarks.md). */
static int64_t ahead_work(const wg_node *n) {
    int64_t w = 1;
    if (n->kind == WG_N_REDUCE) {
        for (int i = 0; i < n->view.ndim; i++) w *= n->view.shape[i]; /* the input's shape */
        return w;
    }
    if (n->kind == WG_N_MATMUL) {
        const wg_node *a = n->src[0];
        for (int i = 0; i < n->ndim; i++) w *= n->shape[i];
        return a->ndim ? w * a->shape[a->ndim - 1] / 64 : 0;
    }
    return 0;
}

int wgG_record_write(wg_context *ctx, wg_buffer *target, const wg_layout *view, wg_node *node) {
    int st = WG_OK;
    dag_facts facts = {0}; /* its leaves are retained until the write takes them */
    if (!node) return wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
    if (ctx->trace && target->trace != ctx->trace_stamp)
        wgG_trace_break(ctx, "a write into an array from before the trace (an input, a closure "
                        "array)");
    wgA_buffer_retain(target);

    st = wgG_flush_readers(ctx, target);
    if (st != WG_OK) goto fail;
    st = scan_write(ctx, node, target, view, &facts);
    if (st != WG_OK) goto fail;
    /* Composition: a node that loads the target as it was *before* its pending write has that
     * write inlined (an in-place op over an in-place op): the old write is superseded below. */
    int composes = target->pending && facts.versions == 1;

    int reads_target = facts.reads_any;
    if (facts.other) {
        for (int i = 0; i < facts.nleaves; i++) wgA_buffer_release(ctx, facts.leaves[i]);
        wgB_free(facts.leaves);
        facts.leaves = NULL;
        facts.nleaves = 0;
        /* Rule 2: evaluate into a temporary first (over the node's own shape) */
        wg_layout tl;
        wgL_contiguous(&tl, node->ndim, node->shape, 'C');
        wg_buffer *tmp = wgA_buffer_new(ctx, node->dtype, wgL_size(&tl));
        if (!tmp) { st = WG_ERR_MEMORY; goto fail; }
        wg_node *load = wgG_node_new(ctx, WG_N_ELEMENTWISE, WG_OP_LOAD, node->dtype, node->ndim,
                                     node->shape);
        if (!load) { wgA_buffer_release(ctx, tmp); st = WG_ERR_MEMORY; goto fail; }
        load->buf = tmp;
        wgA_buffer_retain(tmp);
        load->view = tl;
        st = wgG_record_write(ctx, tmp, &tl, node);
        node = NULL;
        if (st == WG_OK) st = wgG_execute(ctx, tmp);
        wgA_buffer_release(ctx, tmp);
        node = load;
        if (st != WG_OK) goto fail;
        reads_target = 0;
        st = collect_leaves(ctx, node, &facts.leaves, &facts.nleaves);
        if (st != WG_OK) goto fail;
    }

    int full = covers_exactly(view, target->nelem);
    if (target->pending) {
        /* Rule 3 */
        if (full && (!reads_target || composes)) wgG_drop_pending(ctx, target);
        else if ((st = wgG_execute(ctx, target)) != WG_OK) goto fail;
    }

    wg_write *w = wgB_take(ctx, WGB_RC_WRITE, sizeof *w);
    if (!w) { st = WG_ERR_MEMORY; goto fail; }
    w->target = target;
    w->view = *view;
    w->node = node;
    node->writes++;
    w->full = full;
    w->reads_self = reads_target;
    w->leaves = facts.leaves;
    w->nleaves = facts.nleaves;
    facts.leaves = NULL;
    facts.nleaves = 0;
    for (int i = 0; i < w->nleaves; i++)
        if (w->leaves[i] != target) w->leaves[i]->nreaders++;
    node = NULL;
    w->next_pending = ctx->pending_head;
    if (ctx->pending_head) ctx->pending_head->prev_pending = w;
    ctx->pending_head = w;
    target->pending = w;
    target->version++;

    int64_t work = ctx->lazy && ctx->ahead_min > 0 ? ahead_work(w->node) : 0;
    if (!ctx->lazy) {
        st = wgG_execute(ctx, target);
    } else if (work >= ctx->ahead_min && work > 0) {
        /* nothing recorded later can fuse into it, so running it now loses nothing and lets
         * the GPU start on it while Python records what follows */
        st = wgG_execute(ctx, target);
        ctx->counters[WG_COUNTER_OPS_RUN_AHEAD]++;
        ctx->ahead_work += work;
        if (ctx->ahead_handoff > 0 && ctx->ahead_work >= ctx->ahead_handoff)
            ctx->info[WG_INFO_HANDOFF] = 1;
    }
    wgA_buffer_release(ctx, target);
    return st;
fail:
    for (int i = 0; i < facts.nleaves; i++) wgA_buffer_release(ctx, facts.leaves[i]);
    wgB_free(facts.leaves);
    wgG_node_release(ctx, node);
    wgA_buffer_release(ctx, target);
    return st;
}

/* Is w a whole-buffer elementwise write over exactly this shape? */
static int groupable(const wg_write *w, int ndim, const int64_t *shape) {
    return w->full && !w->reads_self && w->node->kind == WG_N_ELEMENTWISE && w->view.ndim == ndim &&
           !memcmp(w->view.shape, shape, sizeof(int64_t) * ndim);
}

/* A cut during a trace (capture.c) runs nothing: each input buffer B whose pending write is a
 * whole elementwise result made by the trace has that write moved to a new intermediate T, and B
 * is given the write "B = T" in its place, which the caller's operation then fuses (a load of T:
 * the cut part stays pending on T and runs before its reader, as any dependency).  An in-place
 * update of B after a cut (count += ..., whose new DAG would read B's old pending write) then
 * supersedes B's one-load write instead of running the old one.  Other inputs stay as they are:
 * the caller loads them from memory. */
static int trace_cut(wg_context *ctx, wg_buffer **bufs, int n) {
    for (int i = 0; i < n; i++) {
        wg_buffer *b = bufs[i];
        wg_write *w = b ? b->pending : NULL;
        int again = 0;
        for (int j = 0; j < i; j++) again |= bufs[j] == b;
        if (!w || again || b->trace != ctx->trace_stamp || !w->full || w->reads_self ||
            w->node->kind != WG_N_ELEMENTWISE || b->nreaders > 0)
            continue;
        wg_layout view = w->view;
        wg_buffer *t = wgA_buffer_new(ctx, b->dtype, b->nelem);
        if (!t) return ctx->status ? ctx->status : WG_ERR_MEMORY;
        wgG_node_retain(w->node);
        int st = wgG_record_write(ctx, t, &view, w->node);
        wg_node *ld = st == WG_OK ? wgG_node_new(ctx, WG_N_ELEMENTWISE, WG_OP_LOAD, t->dtype,
                                                  view.ndim, view.shape)
                                  : NULL;
        if (ld) {
            ld->buf = t;
            wgA_buffer_retain(t);
            ld->view = view;
            ld->version = t->version;
            st = wgG_record_write(ctx, b, &view, ld);
        } else if (st == WG_OK) {
            st = WG_ERR_MEMORY;
        }
        wgA_buffer_release(ctx, t);
        if (st != WG_OK) return st;
    }
    return WG_OK;
}

int wgG_cut(wg_context *ctx, int ndim, const int64_t *shape, wg_buffer **bufs, int n) {
    enum { MAXG = 8 };
    wg_write *group[MAXG];
    int ng = 0, st = WG_OK;
    if (ctx->trace) return trace_cut(ctx, bufs, n);
    for (wg_write *w = ctx->pending_head; w && ng < MAXG; w = w->next_pending)
        if (groupable(w, ndim, shape)) group[ng++] = w;
    /* members may not read each other, and their own inputs' pending work runs first */
    for (int i = 0; i < ng; i++)
        for (int j = 0; j < ng; j++)
            if (i != j && group[i] && group[j] && write_reads(group[i], group[j]->target)) {
                group[i] = NULL;
                break;
            }
    int m = 0;
    for (int i = 0; i < ng; i++)
        if (group[i]) group[m++] = group[i];
    ng = m;
    if (ng >= 2) {
        /* The members' inputs with pending work, collected before any runs: running one may run
         * (and free) a member, so the members' leaf lists are not read after that. */
        wg_buffer **deps = NULL;
        int ndeps = 0, cap = 0;
        for (int i = 0; i < ng && st == WG_OK; i++)
            for (int l = 0; l < group[i]->nleaves && st == WG_OK; l++) {
                wg_buffer *leaf = group[i]->leaves[l];
                int member = 0;
                for (int j = 0; j < ng; j++) member |= leaf == group[j]->target;
                if (member || !leaf->pending) continue;
                if (ndeps == cap) {
                    int ncap = cap ? 2 * cap : 16;
                    wg_buffer **nd = wgB_realloc(ctx, deps, sizeof *nd * (size_t)ncap);
                    if (!nd) { st = WG_ERR_MEMORY; break; }
                    deps = nd;
                    cap = ncap;
                }
                wgA_buffer_retain(leaf);
                deps[ndeps++] = leaf;
            }
        for (int d = 0; d < ndeps; d++) {
            if (st == WG_OK) st = wgG_execute(ctx, deps[d]);
            wgA_buffer_release(ctx, deps[d]);
        }
        wgB_free(deps);
        /* running dependencies may have run members already */
        m = 0;
        for (int i = 0; i < ng; i++) {
            int alive = 0;
            for (wg_write *w = ctx->pending_head; w; w = w->next_pending) alive |= w == group[i];
            if (alive) group[m++] = group[i];
        }
        ng = m;
        if (st == WG_OK && ng >= 2) {
            int r = wgG_run_group(ctx, group, ng);
            if (r == WG_OK) {
                for (int i = 0; i < ng; i++) {
                    unlink_pending(ctx, group[i]);
                    free_write(ctx, group[i]);
                }
            } else if (r != WG_ERR_NOTIMPL) {
                st = r;
            }
        }
    }
    for (int i = 0; i < n && st == WG_OK; i++)
        if (bufs[i]) st = wgG_execute(ctx, bufs[i]);
    return st;
}
