/*
 * graph — lazy computation.  Every operation becomes a node; a buffer's contents are defined by at
 * most one pending write (a node DAG + the view it writes).  Kernels are made only when a buffer's
 * contents are needed.  See docs/architecture.md, "The lazy graph", for the ordering rules.
 */
#ifndef WG_GRAPH_H
#define WG_GRAPH_H

#include "../array/array.h"
#include "../ir/ir.h"

enum { WG_N_ELEMENTWISE = 0, WG_N_REDUCE = 1, WG_N_MATMUL = 2 };

struct wg_node;
#define WG_NSUM_BUFS 16
/* past these a DAG fits no kernel anyway (wgG_fits_one_kernel's limits are below them) */
#define WG_NSUM_LOADS WG_KMAX_FUSED_IO
#define WG_NSUM_PARAMS WG_KMAX_FUSED_PARAMS
/* What wgG_measure and the write scan learn by walking a DAG, kept on an elementwise node built
 * over leaves and summarized sources (node.c summarize): a fused chain is measured and scanned
 * once per recorded operation, and walking it each time made a chain of k operations cost O(k^2)
 * up to the fusion limit.  loads and params are exact below the arrays' caps (past a cap they
 * only grow; the caps are above every limit they are compared with); nodes is exact where
 * `exact`, else an upper bound.  bufs: the distinct buffers loaded, in the order a walk meets
 * them. */
typedef struct wg_nsum {
    int nodes, exact, loads, params, nbufs;
    const struct wg_node *load_seen[WG_NSUM_LOADS];
    const struct wg_node *param_seen[WG_NSUM_PARAMS];
    wg_buffer *bufs[WG_NSUM_BUFS];
} wg_nsum;

typedef struct wg_node {
    int refcount;
    int kind;             /* WG_N_* */
    uint8_t op;           /* wg_op (ELEMENTWISE) */
    uint8_t dtype;        /* result dtype */
    uint16_t arg;         /* INDEX: dimension of this node's shape */
    int ndim;
    int64_t shape[WG_MAX_NDIM];
    struct wg_node *src[3];
    /* LOAD leaf: a view of a buffer, over this node's shape.  REDUCE: view.ndim/shape give the
     * reduced space (the input array's shape) */
    wg_buffer *buf;
    wg_layout view;
    uint32_t version;     /* LOAD: the buffer version read (buf->version when made) */
    /* PARAM leaf: a scalar value (a kernel argument) */
    wg_value value;
    /* REDUCE: src[0] is the value program over the input shape */
    int fold, nred;
    uint8_t acc_dtype;
    int64_t red_axes_mask;   /* axes of src[0]'s shape that are reduced */
    int post;                /* WG_POST_* */
    double post_scale;       /* divisor for MEAN / VAR */
    /* scheduling */
    uint32_t mark;           /* traversal stamp (ctx->mark) */
    int tmp;                 /* scratch for the traversal that set mark */
    wg_nsum *sum;            /* NULL: walk the DAG to learn its facts */
    int writes;              /* wg_writes whose node this is (write.c run_with_inlined) */
    struct wgG_lmemo *lmemo; /* a replayed write's root (capture.c): its template's lowering */
    struct wgG_stub *stub;   /* a replayed write's root whose DAG is not made yet (capture.c) */
} wg_node;

enum { WG_POST_NONE = 0, WG_POST_DIVIDE = 1, WG_POST_SQRT_DIVIDE = 2 };

typedef struct wg_write {
    wg_buffer *target;     /* not retained: the buffer owns its pending write */
    wg_layout view;        /* where in the target it writes */
    wg_node *node;         /* what it writes (dtype may differ: cast at the store) */
    int full;              /* covers every element of the target exactly once */
    int reads_self;        /* its DAG loads the target's previous contents (an in-place op):
                            * never inline it elsewhere, since whoever ran later would run this
                            * write first and then read the new contents through that load */
    int inlined;           /* its node was computed inside a kernel that ran while it stayed
                            * pending: later readers load the buffer instead of inlining it
                            * again (wgG_execute) */
    int nleaves;
    wg_buffer **leaves;    /* buffers read (retained) */
    struct wg_write *prev_pending, *next_pending; /* the context's pending list */
} wg_write;


/* ---- nodes (node.c) ---------------------------------------------------------------------- */
WG_INTERNAL wg_node *wgG_node_new(wg_context *ctx, int kind, int op, int dtype, int ndim,
                                  const int64_t *shape);
WG_INTERNAL void wgG_node_retain(wg_node *n);
WG_INTERNAL void wgG_node_release(wg_context *ctx, wg_node *n);
/* The value of array a, as a node over a's shape.  inline_ok: a buffer whose pending write is a
 * whole elementwise result read through that same view gives the write's node itself (fusion). */
WG_INTERNAL wg_node *wgG_load(wg_context *ctx, wg_array *a, int inline_ok);
/* inline_ok values: 0 never, 1 whole elementwise results, WG_INLINE_SELF also in-place writes
 * (only for an op whose result is written back over that same array: composition) */
#define WG_INLINE_SELF 2
/* Does node read buf both before and after buf's pending write (not one kernel)? */
WG_INTERNAL int wgG_mixed_versions(wg_context *ctx, wg_node *n, wg_buffer *buf);
/* Rule 1 alone: run every other pending write that reads b. */
WG_INTERNAL int wgG_flush_readers(wg_context *ctx, wg_buffer *b);
WG_INTERNAL wg_node *wgG_param(wg_context *ctx, int dtype, wg_value v);
WG_INTERNAL wg_node *wgG_index(wg_context *ctx, int ndim, const int64_t *shape, int dim);
/* Elementwise op over srcs (consumed: the new node takes the caller's references). */
WG_INTERNAL wg_node *wgG_op(wg_context *ctx, int op, int dtype, int ndim, const int64_t *shape,
                            wg_node *a, wg_node *b, wg_node *c);
/* Cast to dtype (consumes n; returns n itself when the dtype already matches). */
WG_INTERNAL wg_node *wgG_cast(wg_context *ctx, wg_node *n, int dtype);
/* Distinct nodes, LOAD leaves and PARAM leaves in the DAG (stops counting past the caps).  nodes
 * may be an upper bound where that bound is at most `limit`: callers compare it with limit. */
WG_INTERNAL void wgG_measure(wg_context *ctx, wg_node *n, int limit, int *nodes, int *loads,
                             int *params);
WG_INTERNAL int wgG_same_load(const wg_node *a, const wg_node *b);
WG_INTERNAL int wgG_same_param(const wg_node *a, const wg_node *b);
/* Does the fused DAG stay within what one kernel may hold? */
WG_INTERNAL int wgG_fits_one_kernel(wg_context *ctx, wg_node *n);

/* ---- writes and scheduling (write.c) ------------------------------------------------------ */
/* Record "target[view] = node" (node broadcast to view's shape, cast to the target's dtype),
 * keeping every ordering rule; consumes node. */
WG_INTERNAL int wgG_record_write(wg_context *ctx, wg_buffer *target, const wg_layout *view,
                                 wg_node *node);
/* Run target's pending write (and, first, what it depends on). */
WG_INTERNAL int wgG_execute(wg_context *ctx, wg_buffer *target);
WG_INTERNAL int wgG_execute_all(wg_context *ctx);
/* A buffer dies: its pending write is dropped unrun (nobody can observe it). */
WG_INTERNAL void wgG_drop_pending(wg_context *ctx, wg_buffer *b);

/* ---- lowering and dispatch (lower.c, kcache.c) ------------------------------------------- */
WG_INTERNAL int wgG_run_write(wg_context *ctx, wg_write *w);
WG_INTERNAL int wgG_run_group(wg_context *ctx, wg_write **ws, int n);
/* A cut for size: run, in one multi-output kernel where possible, every pending whole-buffer
 * elementwise write over `shape` (live arrays whose DAGs share nodes), then the given buffers. */
WG_INTERNAL int wgG_cut(wg_context *ctx, int ndim, const int64_t *shape, wg_buffer **bufs, int n);
WG_INTERNAL int wgG_dispatch(wg_context *ctx, const wg_kernel_ir *k, const wg_kernel_args *args);
/* A zeroed wg_kernel_args for one kernel's lowering (NULL and an error when out of memory), and
 * back when done: freed blocks wait in the context's recycle list (base.h wgB_take/wgB_give,
 * WGB_RC_ARGS) for the next kernels, where a 9.9 KB calloc a kernel was a large-bin request to
 * glibc, each one consolidating its fastbins. */
WG_INTERNAL wg_kernel_args *wgG_args_take(wg_context *ctx);
WG_INTERNAL void wgG_args_give(wg_context *ctx, wg_kernel_args *a);
/* A caller's memo of the cache entry its kernel IR found: a kernel whose IR never changes (a
 * user or library kernel's variant) dispatches through it without hashing and comparing the IR
 * again (hundreds of instructions for a library kernel: most of the engine's time per launch),
 * until the cache is next cleared.  Zero-initialized by the caller. */
typedef struct wgG_kmemo {
    struct wg_kcache_entry *entry;
    uint64_t gen; /* ctx->kcache_gen + 1 when entry was found */
} wgG_kmemo;
WG_INTERNAL int wgG_dispatch_memo(wg_context *ctx, const wg_kernel_ir *k,
                                  const wg_kernel_args *args, wgG_kmemo *memo);
WG_INTERNAL void wgG_kcache_clear(wg_context *ctx);

/* ---- capture and replay (capture.c) ------------------------------------------------------- */
/* The kernel a template's write lowered to the first time it ran, kept for its later replays:
 * the same DAG over the same pattern of leaf buffers lowers to the same IR and arguments, but
 * for the buffers.  Refcounted: the template and each replayed root hold it. */
typedef struct wgG_lmemo {
    int refcount;
    int state;                       /* 0 not yet lowered, 1 kept, -1 not reusable */
    wg_kernel_ir *ir;
    wg_kernel_args *args;
    int nleaves;                     /* the write's leaves (write.c scan_write order) */
    int16_t in_leaf[WG_KMAX_IO];     /* each kernel input's buffer: its index in the leaves */
    wg_layout view;                  /* the write's view and its target's dtype */
    int target_dtype;
    wgG_kmemo km;
} wgG_lmemo;
WG_INTERNAL void wgG_lmemo_release(wg_context *ctx, wgG_lmemo *m);
/* A replayed write's root made without its DAG (its kept lowering runs it without one): the DAG
 * is made when something needs it — a load that fuses the write, a lowering (expand first) — so a
 * stub is only ever a pending write's node, never another node's source. */
WG_INTERNAL int wgG_expand(wg_context *ctx, wg_node *n);
typedef struct wgG_stub wgG_stub_t;
WG_INTERNAL void wgG_stub_free(wg_context *ctx, wgG_stub_t *s);
/* The trace under way cannot be captured (reason: a static string); the first reason is kept. */
WG_INTERNAL void wgG_trace_break(wg_context *ctx, const char *reason);
/* A copy of node proto for a replay: its sources (consumed) and buffer (retained) given,
 * version the buffer's current one, no summary (capture.c gives write roots theirs). */
WG_INTERNAL wg_node *wgG_node_copy(wg_context *ctx, const wg_node *proto, wg_node *const *src,
                                   wg_buffer *buf);
/* A zeroed summary for n to fill (NULL: out of memory; n then has none). */
WG_INTERNAL wg_nsum *wgG_nsum_new(wg_context *ctx);

#endif
