/*
 * Lowering: a pending write (a node DAG + the view it writes) becomes one wg_kernel_ir plus its
 * runtime arguments.  Node shapes right-align to the iteration space (broadcasting); size-1 axes
 * read with stride 0.  Sizes, strides and scalars go to the arguments, so a new shape or a new
 * scalar reuses the compiled kernel.
 */
#include "../base/context.h"
#include "../dtype/dtype.h"

#include <string.h>

typedef struct {
    wg_context *ctx;
    wg_kernel_ir *k;
    wg_kernel_args *args;
    int cap;                         /* capacity of k->inst */
    int nspace;                      /* rank of the space node shapes align to */
    int dim_map[WG_MAX_NDIM];        /* space dim -> kernel dim */
    uint32_t mark;
    int *cse;                        /* emit_pure's table: instruction index + 1, 0 = empty */
    int cse_cap, cse_n;
} lower_t;

static int emit(lower_t *L, int op, int dtype, int arg, int a, int b, int c) {
    wg_kernel_ir *k = L->k;
    if (k->ninst == L->cap) {
        int ncap = L->cap ? L->cap * 2 : 64;
        wg_inst *ni = wgB_realloc(L->ctx, k->inst, sizeof *ni * ncap);
        if (!ni) return -1;
        k->inst = ni;
        L->cap = ncap;
    }
    if (k->ninst >= 65535) return wgB_error(L->ctx, WG_ERR_INTERNAL, "kernel too large"), -1;
    wg_inst *in = &k->inst[k->ninst];
    in->op = (uint8_t)op;
    in->dtype = (uint8_t)dtype;
    in->arg = (uint16_t)arg;
    in->src[0] = (uint16_t)(a < 0 ? 0 : a);
    in->src[1] = (uint16_t)(b < 0 ? 0 : b);
    in->src[2] = (uint16_t)(c < 0 ? 0 : c);
    return k->ninst++;
}

/* Common subexpressions: an instruction equal to one already emitted (same op, dtype, argument
 * and sources) is that one.  The graph shares a node only where the program shared it, so
 * `x * x - y * y` and a later `x * x + y * y` are separate nodes, as are the loads of one input
 * read twice (each `real` of the Mandelbrot loop): each would be computed again per point, and
 * a storage load is not something every compiler merges (SwiftShader runs each with its bounds
 * check).  Only for the pure operations of a DAG; the post program and statements never. */
static int pure_op(int op) {
    return op <= WG_OP_INDEX || op == WG_OP_LOAD_AT || op == WG_OP_LINEAR || op == WG_OP_BITCAST;
}

static uint32_t inst_hash(const wg_inst *in) {
    uint32_t h = 2166136261u;
    const uint32_t f[6] = {in->op, in->dtype, in->arg, in->src[0], in->src[1], in->src[2]};
    for (int i = 0; i < 6; i++) h = (h ^ f[i]) * 16777619u;
    return h;
}

static int cse_insert(lower_t *L, int idx) {
    if (2 * (L->cse_n + 1) > L->cse_cap) {
        int ncap = L->cse_cap ? 2 * L->cse_cap : 256;
        int *nt = wgB_calloc(L->ctx, (size_t)ncap, sizeof *nt);
        if (!nt) return -1;
        for (int i = 0; i < L->cse_cap; i++) {
            int e = L->cse[i];
            if (!e) continue;
            uint32_t j = inst_hash(&L->k->inst[e - 1]) & (uint32_t)(ncap - 1);
            while (nt[j]) j = (j + 1) & (uint32_t)(ncap - 1);
            nt[j] = e;
        }
        wgB_free(L->cse);
        L->cse = nt;
        L->cse_cap = ncap;
    }
    uint32_t j = inst_hash(&L->k->inst[idx]) & (uint32_t)(L->cse_cap - 1);
    while (L->cse[j]) j = (j + 1) & (uint32_t)(L->cse_cap - 1);
    L->cse[j] = idx + 1;
    L->cse_n++;
    return idx;
}

static int emit_pure(lower_t *L, int op, int dtype, int arg, int a, int b, int c) {
    if (!pure_op(op)) return emit(L, op, dtype, arg, a, b, c);
    wg_inst want = {(uint8_t)op, (uint8_t)dtype, (uint16_t)arg,
                    {(uint16_t)(a < 0 ? 0 : a), (uint16_t)(b < 0 ? 0 : b), (uint16_t)(c < 0 ? 0 : c)}};
    if (L->cse_cap) {
        uint32_t j = inst_hash(&want) & (uint32_t)(L->cse_cap - 1);
        for (; L->cse[j]; j = (j + 1) & (uint32_t)(L->cse_cap - 1)) {
            const wg_inst *in = &L->k->inst[L->cse[j] - 1];
            if (in->op == want.op && in->dtype == want.dtype && in->arg == want.arg &&
                !memcmp(in->src, want.src, sizeof want.src))
                return L->cse[j] - 1;
        }
    }
    int idx = emit(L, op, dtype, arg, a, b, c);
    return idx < 0 ? -1 : cse_insert(L, idx);
}

static int add_param(lower_t *L, int dtype, wg_value v) {
    wg_kernel_ir *k = L->k;
    for (int i = 0; i < k->nparams; i++)
        if (k->param_dtype[i] == dtype && L->args->params[i].u == v.u) return i;
    if (k->nparams >= WG_KMAX_PARAMS)
        return wgB_error(L->ctx, WG_ERR_INTERNAL, "too many kernel parameters"), -1;
    int slot = k->nparams++;
    k->param_dtype[slot] = (uint8_t)dtype;
    L->args->params[slot] = v;
    return slot;
}

/* An input slot for (buffer, offset, strides over kernel dims), shared when identical. */
static int add_input(lower_t *L, wg_buffer *buf, int64_t offset, const int64_t *kstr) {
    wg_kernel_ir *k = L->k;
    for (int i = 0; i < k->ninputs; i++) {
        wg_operand *o = &L->args->in[i];
        if (o->buf == buf && o->offset == offset &&
            !memcmp(o->strides, kstr, sizeof(int64_t) * k->ndim))
            return i;
    }
    if (k->ninputs + k->noutputs >= WG_KMAX_IO)
        return wgB_error(L->ctx, WG_ERR_INTERNAL, "too many kernel inputs"), -1;
    int slot = k->ninputs++;
    k->input_dtype[slot] = (uint8_t)buf->dtype;
    L->args->in[slot].buf = buf;
    L->args->in[slot].offset = offset;
    memcpy(L->args->in[slot].strides, kstr, sizeof(int64_t) * WG_MAX_NDIM);
    return slot;
}

/* Strides of a leaf view (over the leaf's shape) in kernel dims. */
static void leaf_strides(lower_t *L, int ndim, const int64_t *shape, const int64_t *strides,
                         int64_t *kstr) {
    memset(kstr, 0, sizeof(int64_t) * WG_MAX_NDIM);
    int off = L->nspace - ndim;
    for (int j = 0; j < ndim; j++)
        if (shape[j] != 1) kstr[L->dim_map[j + off]] = strides[j];
}

static int lower_leaf(lower_t *L, wg_node *n) {
    if (n->op == WG_OP_LOAD) {
        int64_t kstr[WG_MAX_NDIM];
        leaf_strides(L, n->ndim, n->view.shape, n->view.strides, kstr);
        int slot = add_input(L, n->buf, n->view.offset, kstr);
        return slot < 0 ? -1 : emit_pure(L, WG_OP_LOAD, n->buf->dtype, slot, -1, -1, -1);
    }
    if (n->op == WG_OP_PARAM) {
        int slot = add_param(L, n->dtype, n->value);
        return slot < 0 ? -1 : emit_pure(L, WG_OP_PARAM, n->dtype, slot, -1, -1, -1);
    }
    /* INDEX along a node dim: a broadcast (size-1) dim always reads index 0 */
    int j = n->arg;
    if (n->shape[j] == 1) {
        wg_value zero = {0};
        int slot = add_param(L, n->dtype, zero);
        return slot < 0 ? -1 : emit_pure(L, WG_OP_PARAM, n->dtype, slot, -1, -1, -1);
    }
    return emit_pure(L, WG_OP_INDEX, n->dtype, L->dim_map[j + (L->nspace - n->ndim)], -1, -1, -1);
}

/* Post-order over the DAG with an explicit stack; n->tmp holds a node's instruction index. */
static int lower_dag(lower_t *L, wg_node *root) {
    int cap = 64, sp = 0, result = -1;
    if (root->stub && wgG_expand(L->ctx, root) != WG_OK) return -1; /* capture.c */
    wg_node **stack = wgB_malloc(L->ctx, sizeof *stack * cap);
    if (!stack) return -1;
    stack[sp++] = root;
    while (sp) {
        wg_node *n = stack[sp - 1];
        if (n->mark == L->mark) { sp--; continue; }
        int ready = 1;
        for (int i = 0; i < 3; i++) {
            wg_node *s = n->src[i];
            if (!s || s->mark == L->mark) continue;
            ready = 0;
            if (sp == cap) {
                wg_node **ns = wgB_realloc(L->ctx, stack, sizeof *stack * (cap *= 2));
                if (!ns) goto out;
                stack = ns;
            }
            stack[sp++] = s;
        }
        if (!ready) continue;
        sp--;
        int idx;
        if (!n->src[0]) idx = lower_leaf(L, n);
        else idx = emit_pure(L, n->op, n->dtype, n->arg, n->src[0]->tmp,
                        n->src[1] ? n->src[1]->tmp : -1, n->src[2] ? n->src[2]->tmp : -1);
        if (idx < 0) goto out;
        n->mark = L->mark;
        n->tmp = idx;
    }
    result = root->tmp;
out:
    wgB_free(stack);
    return result;
}

static void set_output(lower_t *L, wg_buffer *buf, const wg_layout *view) {
    wg_kernel_ir *k = L->k;
    int slot = k->noutputs++;
    k->output_dtype[slot] = (uint8_t)buf->dtype;
    L->args->out[slot].buf = buf;
    L->args->out[slot].offset = view->offset;
    memset(L->args->out[slot].strides, 0, sizeof L->args->out[slot].strides);
    memcpy(L->args->out[slot].strides, view->strides, sizeof(int64_t) * view->ndim);
}

static int lower_elementwise(lower_t *L, wg_write *w) {
    wg_kernel_ir *k = L->k;
    k->kind = WG_K_ELEMENTWISE;
    k->ndim = w->view.ndim;
    memcpy(L->args->shape, w->view.shape, sizeof(int64_t) * w->view.ndim);
    L->nspace = k->ndim;
    for (int d = 0; d < k->ndim; d++) L->dim_map[d] = d;
    int r = lower_dag(L, w->node);
    if (r < 0) return -1;
    if (w->node->dtype != w->target->dtype)
        r = emit_pure(L, WG_OP_CAST, w->target->dtype, 0, r, -1, -1);
    if (r < 0) return -1;
    k->out_inst[0] = (uint16_t)r;
    set_output(L, w->target, &w->view);
    return 0;
}

static int emit_post(lower_t *L, wg_node *n, int acc_dtype) {
    /* the post program is built in k->inst first, then moved to k->post */
    wg_kernel_ir *k = L->k;
    int fold_out = (n->fold == WG_FOLD_ARGMIN || n->fold == WG_FOLD_ARGMAX) ? WG_INT64 : acc_dtype;
    int base = k->ninst;
    int r = emit(L, WG_OP_ACC, fold_out, 0, -1, -1, -1);
    if (n->post != WG_POST_NONE) {
        /* the division runs in a float dtype even when the accumulator is an integer
         * (mean(dtype=int32) divides, then casts, as NumPy) */
        int fd = wgD_is_float(acc_dtype) ? acc_dtype : wgD_canonical(WG_FLOAT64, L->ctx->x64);
        if (fd != acc_dtype) r = emit(L, WG_OP_CAST, fd, 0, r - base, -1, -1);
        wg_value v;
        v.f = n->post_scale;
        int slot = add_param(L, fd, v);
        if (slot < 0 || r < 0) return -1;
        int p = emit(L, WG_OP_PARAM, fd, slot, -1, -1, -1);
        r = emit(L, WG_OP_TRUE_DIVIDE, fd, 0, r - base, p - base, -1);
        if (n->post == WG_POST_SQRT_DIVIDE && r >= 0)
            r = emit(L, WG_OP_SQRT, fd, 0, r - base, -1, -1);
    }
    if (r < 0) return -1;
    int last_dtype = k->inst[r].dtype;
    if (last_dtype != L->args->out[0].buf->dtype && k->noutputs)
        r = emit(L, WG_OP_CAST, k->output_dtype[0], 0, r - base, -1, -1);
    if (r < 0) return -1;
    k->npost = k->ninst - base;
    k->post = wgB_malloc(L->ctx, sizeof(wg_inst) * k->npost);
    if (!k->post) return -1;
    memcpy(k->post, k->inst + base, sizeof(wg_inst) * k->npost);
    k->ninst = base;
    return 0;
}

static int lower_reduce(lower_t *L, wg_write *w) {
    wg_kernel_ir *k = L->k;
    wg_node *n = w->node;
    wg_node *src = n->src[0];
    int nin = n->view.ndim, kd = 0;
    k->kind = WG_K_REDUCE;
    k->ndim = nin;
    k->fold = n->fold;
    k->acc_dtype = n->acc_dtype;
    L->nspace = nin;
    for (int pass = 0; pass < 2; pass++)
        for (int d = 0; d < nin; d++) {
            int reduced = (int)((n->red_axes_mask >> d) & 1);
            if (reduced != pass) continue;
            L->dim_map[d] = kd;
            L->args->shape[kd++] = n->view.shape[d];
        }
    k->nred = 0;
    for (int d = 0; d < nin; d++) k->nred += (int)((n->red_axes_mask >> d) & 1);
    int r = lower_dag(L, src);
    if (r < 0) return -1;
    k->out_inst[0] = (uint16_t)r;
    set_output(L, w->target, &w->view);
    return emit_post(L, n, n->acc_dtype);
}

static int lower_matmul(lower_t *L, wg_write *w) {
    wg_kernel_ir *k = L->k;
    wg_node *n = w->node, *A = n->src[0], *B = n->src[1];
    int nk = n->ndim, nb = nk - 2;
    k->kind = WG_K_MATMUL;
    k->ndim = nk;
    memcpy(L->args->shape, n->shape, sizeof(int64_t) * nk);
    L->args->k = A->view.shape[A->ndim - 1];
    wg_node *ops[2] = {A, B};
    for (int o = 0; o < 2; o++) {
        const wg_layout *v = &ops[o]->view;
        int64_t kstr[WG_MAX_NDIM] = {0};
        int vb = v->ndim - 2;
        for (int d = 0; d < nb; d++) {
            int j = d - (nb - vb);
            if (j >= 0 && v->shape[j] != 1) kstr[d] = v->strides[j];
        }
        kstr[nk - 2] = v->strides[v->ndim - 2];
        kstr[nk - 1] = v->strides[v->ndim - 1];
        if (k->ninputs >= 2) return wgB_error(L->ctx, WG_ERR_INTERNAL, "matmul inputs"), -1;
        int slot = k->ninputs++;
        k->input_dtype[slot] = (uint8_t)ops[o]->buf->dtype;
        L->args->in[slot].buf = ops[o]->buf;
        L->args->in[slot].offset = v->offset;
        memcpy(L->args->in[slot].strides, kstr, sizeof kstr);
    }
    set_output(L, w->target, &w->view);
    return 0;
}

wg_kernel_args *wgG_args_take(wg_context *ctx) {
    return wgB_take(ctx, WGB_RC_ARGS, sizeof(wg_kernel_args));
}

void wgG_args_give(wg_context *ctx, wg_kernel_args *a) {
    wgB_give(ctx, WGB_RC_ARGS, a, sizeof *a);
}

/* A fresh kernel and its arguments (the caller frees k.inst, k.post and gives the returned args
 * back: wgG_args_give). */
static wg_kernel_args *lower_begin(wg_context *ctx, lower_t *L, wg_kernel_ir *k) {
    memset(k, 0, sizeof *k);
    memset(L, 0, sizeof *L);
    wg_kernel_args *args = wgG_args_take(ctx);
    L->ctx = ctx;
    L->k = k;
    L->args = args;
    L->mark = ++ctx->mark;
    return args;
}

/* Several whole-buffer elementwise writes over one shape, as one kernel with several outputs:
 * DAG nodes they share are computed once.  Returns WG_ERR_NOTIMPL (nothing run, no error set)
 * when they do not fit one kernel. */
int wgG_run_group(wg_context *ctx, wg_write **ws, int n) {
    wg_kernel_ir k;
    lower_t L;
    wg_kernel_args *args = lower_begin(ctx, &L, &k);
    if (!args) return WG_ERR_MEMORY;
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = ws[0]->view.ndim;
    memcpy(args->shape, ws[0]->view.shape, sizeof(int64_t) * k.ndim);
    L.nspace = k.ndim;
    for (int d = 0; d < k.ndim; d++) L.dim_map[d] = d;
    int st = WG_OK, saved = ctx->status;
    for (int i = 0; i < n && st == WG_OK; i++) {
        if (k.ninputs + k.noutputs >= ctx->max_bindings) { st = WG_ERR_NOTIMPL; break; }
        int r = lower_dag(&L, ws[i]->node);
        if (r >= 0 && ws[i]->node->dtype != ws[i]->target->dtype)
            r = emit_pure(&L, WG_OP_CAST, ws[i]->target->dtype, 0, r, -1, -1);
        if (r < 0) { st = WG_ERR_NOTIMPL; break; }
        k.out_inst[k.noutputs] = (uint16_t)r;
        set_output(&L, ws[i]->target, &ws[i]->view);
    }
    if (st == WG_OK && k.ninputs + k.noutputs > ctx->max_bindings) st = WG_ERR_NOTIMPL;
    if (st == WG_ERR_NOTIMPL && saved == WG_OK) wg_clear_error(ctx); /* limits: not an error */
    if (st == WG_OK) st = wgG_dispatch(ctx, &k, args);
    wgB_free(k.inst);
    wgB_free(L.cse);
    wgG_args_give(ctx, args);
    return st;
}

/* A replayed write whose template kept its lowering (capture.c): the kept IR and arguments with
 * this write's buffers, no lowering, hashing or comparing.  1: not applicable. */
static int memo_usable(const wgG_lmemo *m, const wg_write *w) {
    return m->state == 1 && !w->reads_self && w->nleaves == m->nleaves &&
           w->target->dtype == m->target_dtype && wgL_same(&w->view, &m->view) &&
           w->view.offset == m->view.offset;
}

static int run_memo(wg_context *ctx, wg_write *w, wgG_lmemo *m) {
    wg_kernel_args *args = wgG_args_take(ctx);
    if (!args) return WG_ERR_MEMORY;
    memcpy(args, m->args, sizeof *args);
    for (int i = 0; i < m->ir->ninputs; i++) args->in[i].buf = w->leaves[m->in_leaf[i]];
    args->out[0].buf = w->target;
    int st = wgG_dispatch_memo(ctx, m->ir, args, &m->km);
    wgG_args_give(ctx, args);
    return st;
}

/* Keep a first lowering for the replays to come (state -1 where it cannot be reused). */
static void memo_keep(wg_context *ctx, wgG_lmemo *m, const wg_write *w, const wg_kernel_ir *k,
                      const wg_kernel_args *args) {
    m->state = -1;
    if (w->reads_self || k->noutputs != 1 || args->out[0].buf != w->target) return;
    for (int i = 0; i < k->ninputs; i++) {
        int j = 0;
        while (j < w->nleaves && w->leaves[j] != args->in[i].buf) j++;
        if (j == w->nleaves) return;
        for (int q = j + 1; q < w->nleaves; q++)
            if (w->leaves[q] == args->in[i].buf) return; /* not one leaf: ambiguous */
        m->in_leaf[i] = (int16_t)j;
    }
    m->ir = wgI_clone(ctx, k);
    m->args = wgB_malloc(ctx, sizeof *m->args);
    if (!m->ir || !m->args) {
        if (m->ir) wgI_free(m->ir);
        wgB_free(m->args);
        m->ir = NULL;
        m->args = NULL;
        wg_clear_error(ctx); /* only a lost shortcut */
        return;
    }
    memcpy(m->args, args, sizeof *args);
    m->nleaves = w->nleaves;
    m->view = w->view;
    m->target_dtype = w->target->dtype;
    m->state = 1;
}

int wgG_run_write(wg_context *ctx, wg_write *w) {
    if (wgL_size(&w->view) == 0) return WG_OK; /* nothing to compute */
    wgG_lmemo *m = w->node->lmemo;
    if (m && memo_usable(m, w)) return run_memo(ctx, w, m);
    wg_kernel_ir k;
    lower_t L;
    wg_kernel_args *args = lower_begin(ctx, &L, &k);
    if (!args) return WG_ERR_MEMORY;
    int r;
    switch (w->node->kind) {
    case WG_N_REDUCE: r = lower_reduce(&L, w); break;
    case WG_N_MATMUL: r = lower_matmul(&L, w); break;
    default: r = lower_elementwise(&L, w); break;
    }
    int st = r < 0 ? (wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY) : wgG_dispatch(ctx, &k, args);
    if (st == WG_OK && m && m->state == 0) memo_keep(ctx, m, w, &k, args);
    wgB_free(k.inst);
    wgB_free(k.post);
    wgB_free(L.cse);
    wgG_args_give(ctx, args);
    return st;
}
