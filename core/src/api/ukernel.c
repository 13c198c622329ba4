/* Public API: user kernels (CuPy's ElementwiseKernel and ReductionKernel, in CUDA-C).
 *
 * The source is parsed once (wg_ukernel_new_*); each call binds the placeholder types from its
 * arguments, lowers the body for those types (once per signature: a small cache on the kernel)
 * and dispatches the IR at once.  A user kernel is not a lazy node: it may write several outputs,
 * scatter into raw ones and read them back, which the one-write-per-buffer graph does not model;
 * running it means first running the pending writes it reads (its inputs), those that read what it
 * writes (rule 1 of docs/architecture.md) and those of its outputs (it may read them: in-out).
 * Its results are ordinary arrays from then on, so later operations fuse as usual. */
#include "api.h"
#include "../lang/lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct variant {
    struct variant *next;
    int key_len;
    int32_t key[3 * WGK_MAX_PARAMS + 5];
    wg_kernel_ir *ir;
    wgK_map map;
    wgG_kmemo memo; /* its kernel cache entry (graph.h) */
} variant;

struct wg_ukernel {
    wgK_def *def;
    variant *variants;
    struct wg_rawmodule *module; /* a RawModule's function: its __constant__ arrays (retained) */
    int contract;                /* wg_ukernel_set_contract */
};

void wg_ukernel_set_contract(wg_ukernel *k, int on) {
    if (k) k->contract = on != 0;
}

static void module_unref(struct wg_rawmodule *m);

static int new_kernel(wg_context *ctx, wgK_def *def, int st, wg_ukernel **out) {
    *out = NULL;
    if (st != WG_OK) return st;
    wg_ukernel *k = wgB_calloc(ctx, 1, sizeof *k);
    if (!k) {
        wgK_free(def);
        return WG_ERR_MEMORY;
    }
    k->def = def;
    *out = k;
    return WG_OK;
}

int wg_ukernel_elementwise(wg_context *ctx, const char *in_params, const char *out_params,
                           const char *operation, const char *name, const char *preamble,
                           const char *loop_prep, const char *after_loop, wg_ukernel **out) {
    wg_clear_error(ctx);
    wgK_def *def = NULL;
    int st = wgK_parse_elementwise(ctx, in_params, out_params, operation, name, preamble,
                                   loop_prep, after_loop, &def);
    return new_kernel(ctx, def, st, out);
}

int wg_ukernel_reduction(wg_context *ctx, const char *in_params, const char *out_params,
                         const char *map_expr, const char *reduce_expr, const char *post_map_expr,
                         const char *identity, const char *name, const char *reduce_type,
                         const char *preamble, wg_ukernel **out) {
    wg_clear_error(ctx);
    wgK_def *def = NULL;
    int st = wgK_parse_reduction(ctx, in_params, out_params, map_expr, reduce_expr, post_map_expr,
                                 identity, name, reduce_type, preamble, &def);
    return new_kernel(ctx, def, st, out);
}

void wg_ukernel_free(wg_ukernel *k) {
    if (!k) return;
    for (variant *v = k->variants, *nx; v; v = nx) {
        nx = v->next;
        wgI_free(v->ir);
        wgB_free(v);
    }
    wgK_free(k->def);
    module_unref(k->module);
    wgB_free(k);
}

int wg_set_inline_literals(wg_context *ctx, int on) {
    int old = !ctx->literals_as_words;
    if (on != old) {
        ctx->literals_as_words = !on;
        wgG_kcache_clear(ctx);  /* a cached kernel was generated the other way */
    }
    return old;
}

int wg_ukernel_nparams(wg_ukernel *k) { return wgK_nparams(k->def); }
int wg_ukernel_nin(wg_ukernel *k) { return wgK_nin(k->def); }

/* info[0] is_out, [1] is_raw, [2] dtype (-1: a placeholder), [3] the placeholder's letter */
const char *wg_ukernel_param(wg_ukernel *k, int i, int32_t *info) {
    if (i < 0 || i >= wgK_nparams(k->def)) return NULL;
    const wgK_param *p = wgK_param_at(k->def, i);
    info[0] = p->is_out;
    info[1] = p->is_raw;
    info[2] = p->dtype;
    info[3] = (unsigned char)p->placeholder;
    return p->name;
}

/* CuPy's argument kinds: arrays, numpy scalars (strong 0-d scalars here), Python scalars. */
static int is_scalar(const wg_array *a) { return a->weak != WG_WEAK_NONE || !a->buf; }

static void arg_kind(const wg_array *a, int *kind, int *dtype) {
    if (!is_scalar(a)) {
        *kind = WGK_ARG_ARRAY;
        *dtype = a->dtype;
    } else if (a->weak == WG_WEAK_NONE) {
        *kind = WGK_ARG_NUMPY_SCALAR;
        *dtype = a->dtype;
    } else {
        *kind = WGK_ARG_PY_SCALAR;
        *dtype = a->weak == WG_WEAK_BOOL ? WG_BOOL : a->weak == WG_WEAK_INT ? WG_INT64 : WG_FLOAT64;
    }
}

/* One call's view of the parameters. */
typedef struct call {
    wg_ukernel *uk;
    int np, nin, nargs;
    int pdt[WGK_MAX_PARAMS];
    int is_array[WGK_MAX_PARAMS];
    int raw_ndim[WGK_MAX_PARAMS];
    wg_array *arr[WGK_MAX_PARAMS + 1];   /* the array each parameter uses (retained), or NULL;
                                          * [WGK_PTR_POOL]: the pointer pool (devptr.c) */
    wg_array *scalar[WGK_MAX_PARAMS];    /* the scalar argument of a parameter, or NULL */
    wg_array *writeback[WGK_MAX_PARAMS]; /* raw outputs computed in a contiguous copy */
    int ndim;
    int64_t shape[WG_MAX_NDIM];
    int nred, keepdims;
    int perm[WG_MAX_NDIM];               /* reduction: launch dim -> input dim */
    wgK_rawcfg raw;                      /* a RawKernel's launch configuration */
} call;

static void call_free(call *c) {
    for (int p = 0; p < c->np; p++) {
        if (c->arr[p]) wg_release(c->arr[p]);
        if (c->writeback[p]) wg_release(c->writeback[p]);
    }
    if (c->arr[WGK_PTR_POOL]) wg_release(c->arr[WGK_PTR_POOL]);
}

static const char *kname(const call *c) { return wgK_name(c->uk->def); }

/* A kernel that loads through device pointers: the pool of the buffers they name, and the
 * pointer arguments rewritten as element offsets into it (docs/cupy.md, "Device pointers"). */
static int pointer_pool(wg_context *ctx, call *c, const variant *v) {
    if (!v->map.pool_in) return WG_OK;
    wg_array *pa[WGK_MAX_PARAMS];
    int pp[WGK_MAX_PARAMS], n = 0;
    for (int p = 0; p < c->np; p++)
        if (v->map.ptr_param[p]) {
            if (!c->arr[p] || wgK_param_at(c->uk->def, p)->is_out)
                return wgB_error(ctx, WG_ERR_NOTIMPL, "%s: pointer parameter '%s' must be an "
                                 "input array", kname(c), wgK_param_at(c->uk->def, p)->name);
            pp[n] = p;
            pa[n++] = c->arr[p];
        }
    int st = wgP_ptr_pool(ctx, kname(c), v->map.pool_dtype, n, pa, &c->arr[WGK_PTR_POOL]);
    if (st == WG_PTRS_NEEDED) { /* info[0]: which arguments the caller must read */
        ctx->info[0] = 0;
        for (int q = 0; q < n; q++) ctx->info[0] |= (int64_t)1 << pp[q];
        return st;
    }
    if (st) return st;
    for (int q = 0; q < n; q++) {
        wg_release(c->arr[pp[q]]);
        c->arr[pp[q]] = pa[q];
    }
    return WG_OK;
}

static int bind_types(wg_context *ctx, call *c, wg_array *const *args) {
    int kind[WGK_MAX_PARAMS], dt[WGK_MAX_PARAMS];
    for (int i = 0; i < c->nargs; i++) {
        if (!args[i]) return wgB_error(ctx, WG_ERR_TYPE, "%s: argument %d is missing", kname(c), i);
        arg_kind(args[i], &kind[i], &dt[i]);
        const wgK_param *p = wgK_param_at(c->uk->def, i);
        if (kind[i] != WGK_ARG_ARRAY && (p->is_raw || p->is_out))
            return wgB_error(ctx, WG_ERR_TYPE, "%s: argument '%s' must be an ndarray (it is %s)",
                             kname(c), p->name, p->is_raw ? "a raw parameter" : "an output");
    }
    int st = wgK_bind(ctx, c->uk->def, c->nargs, kind, dt, c->pdt);
    if (st) return st;
    for (int p = 0; p < c->np; p++) {
        c->pdt[p] = wgD_canonical(c->pdt[p], ctx->x64);
        if ((st = wgP_check_dtype(ctx, c->pdt[p]))) return st;
    }
    return WG_OK;
}

/* The launch shape: the broadcast of the non-raw array arguments, or (size,). */
static int launch_shape(wg_context *ctx, call *c, wg_array *const *args, int64_t size) {
    const wg_layout *ls[WGK_MAX_PARAMS];
    int n = 0;
    for (int i = 0; i < c->nargs; i++)
        if (!is_scalar(args[i]) && !wgK_param_at(c->uk->def, i)->is_raw) ls[n++] = &args[i]->lay;
    if (n == 0) {
        if (size < 0)
            return wgB_error(ctx, WG_ERR_VALUE, "%s: Loop size is undecided (no non-raw array "
                             "argument; pass size=)", kname(c));
        c->ndim = 1;
        c->shape[0] = size;
        return WG_OK;
    }
    if (size >= 0)
        return wgB_error(ctx, WG_ERR_VALUE, "%s: Specified 'size' can be used only if all of the "
                         "ndarray are 'raw'", kname(c));
    return wgL_broadcast_shapes(ctx, n, ls, &c->ndim, c->shape);
}

/* Raw parameters see a C-contiguous run: views that are not get a contiguous copy (outputs are
 * copied back after the kernel). */
static int contiguous_raw(wg_context *ctx, call *c, int p) {
    wg_array *a = c->arr[p];
    if (wgL_is_c_contiguous(&a->lay)) return WG_OK;
    wg_array *copy = wg_copy(ctx, a, 'C');
    if (!copy) return ctx->status;
    if (wgK_param_at(c->uk->def, p)->is_out) c->writeback[p] = a;
    else wg_release(a);
    c->arr[p] = copy;
    return WG_OK;
}

static int gather_arrays(wg_context *ctx, call *c, wg_array *const *args, const int64_t *out_shape,
                         int out_ndim) {
    for (int p = 0; p < c->np; p++) {
        const wgK_param *pp = wgK_param_at(c->uk->def, p);
        wg_array *a = p < c->nargs ? args[p] : NULL;
        if (a && is_scalar(a)) {
            c->scalar[p] = a;
            continue;
        }
        if (!a) { /* an output not given */
            int nd = pp->is_raw ? c->ndim : out_ndim;
            a = wgA_new_contiguous(ctx, c->pdt[p], nd, pp->is_raw ? c->shape : out_shape);
            if (!a) return wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
        } else {
            wg_retain(a);
            if (pp->is_out && !pp->is_raw &&
                (a->lay.ndim != out_ndim ||
                 memcmp(a->lay.shape, out_shape, sizeof(int64_t) * (size_t)out_ndim))) {
                wg_release(a);
                return wgB_error(ctx, WG_ERR_VALUE, "%s: Out shape is mismatched (output '%s')",
                                 kname(c), pp->name);
            }
            if (pp->is_out && !a->writeable) {
                wg_release(a);
                return wgB_error(ctx, WG_ERR_VALUE, "%s: output '%s' is read-only", kname(c),
                                 pp->name);
            }
        }
        if (a->dtype != c->pdt[p]) {
            /* an input of another dtype than its parameter's (a concrete type, or one bound by
             * an earlier argument's numpy scalar) is cast as NumPy's same_kind allows */
            int have = a->dtype;
            wg_array *cast = pp->is_out ? NULL : wg_astype(ctx, a, c->pdt[p], WG_CAST_SAME_KIND, 0);
            wg_release(a);
            if (!cast)
                return wgB_failed(ctx) ? ctx->status
                                       : wgB_error(ctx, WG_ERR_TYPE, "%s: output '%s' is %s, "
                                                   "its parameter %s", kname(c), pp->name,
                                                   wgD_name(have), wgD_name(c->pdt[p]));
            a = cast;
        }
        c->arr[p] = a;
        c->is_array[p] = 1;
        if (pp->is_raw) {
            int st = contiguous_raw(ctx, c, p);
            if (st) return st;
            c->raw_ndim[p] = c->arr[p]->lay.ndim;
        }
    }
    return WG_OK;
}

static variant *find_or_lower(wg_context *ctx, call *c) {
    variant probe;
    int n = 0;
    for (int p = 0; p < c->np; p++) {
        probe.key[n++] = c->pdt[p];
        probe.key[n++] = c->is_array[p];
        probe.key[n++] = c->raw_ndim[p];
    }
    probe.key[n++] = c->ndim;
    probe.key[n++] = c->nred;
    probe.key[n++] = c->raw.wg_block;
    probe.key[n++] = c->raw.pad_return;
    probe.key[n++] = c->raw.dsn_len;
    for (variant *v = c->uk->variants; v; v = v->next)
        if (v->key_len == n && !memcmp(v->key, probe.key, sizeof(int32_t) * (size_t)n)) return v;
    variant *v = wgB_calloc(ctx, 1, sizeof *v);
    if (!v) return NULL;
    memcpy(v->key, probe.key, sizeof(int32_t) * (size_t)n);
    v->key_len = n;
    if (wgK_lower_ex(ctx, c->uk->def, c->pdt, c->is_array, c->raw_ndim, c->ndim, c->nred,
                     wgK_kind(c->uk->def) == WGK_RAW ? &c->raw : NULL, &v->ir, &v->map)) {
        wgB_free(v);
        return NULL;
    }
    v->ir->contract = (uint8_t)c->uk->contract;
    ctx->counters[WG_COUNTER_USER_KERNEL_COMPILES]++;
    v->next = c->uk->variants;
    c->uk->variants = v;
    return v;
}

/* Strides of array a over the launch dims (right-aligned broadcasting; reductions permute). */
static void operand_strides(const call *c, const wg_array *a, int64_t *st) {
    memset(st, 0, sizeof(int64_t) * WG_MAX_NDIM);
    int off = c->ndim - a->lay.ndim;
    for (int d = 0; d < c->ndim; d++) {
        int src = c->nred ? c->perm[d] : d;
        int j = src - off;
        if (j >= 0 && a->lay.shape[j] != 1) st[d] = a->lay.strides[j];
    }
}

static int64_t raw_size(const wg_array *a) {
    int64_t n = 1;
    for (int d = 0; d < a->lay.ndim; d++) n *= a->lay.shape[d];
    return n;
}

static int fill_args(wg_context *ctx, call *c, const variant *v, wg_kernel_args *args) {
    const wg_kernel_ir *k = v->ir;
    int64_t points = 1;
    for (int d = 0; d < c->ndim; d++) {
        args->shape[d] = c->shape[c->nred ? c->perm[d] : d];
        points *= args->shape[d];
    }
    for (int i = 0; i < k->ninputs; i++) {
        wg_array *a = c->arr[v->map.in_param[i]];
        if (!a) return wgB_error(ctx, WG_ERR_INTERNAL, "%s: input %d has no array", kname(c), i);
        args->in[i].buf = a->buf;
        args->in[i].offset = a->lay.offset;
        if (k->kind == WG_K_REDUCE && k->noutputs == 1 && v->map.in_param[i] == v->map.out_param[0]) {
            /* the output read by `out += ...` (an in-out reduction): its strides over the kept
             * dims, zero over the reduced ones */
            memset(args->in[i].strides, 0, sizeof args->in[i].strides);
            for (int q = 0; q < c->ndim - c->nred; q++) {
                int jd = c->keepdims ? c->perm[q] : q;
                args->in[i].strides[q] = a->lay.shape[jd] == 1 ? 0 : a->lay.strides[jd];
            }
        } else if (!k->input_raw[i]) {
            operand_strides(c, a, args->in[i].strides);
        }
    }
    for (int j = 0; j < k->noutputs; j++) {
        wg_array *a = c->arr[v->map.out_param[j]];
        if (!a) return wgB_error(ctx, WG_ERR_INTERNAL, "%s: output %d has no array", kname(c), j);
        args->out[j].buf = a->buf;
        args->out[j].offset = a->lay.offset;
        if (k->kind == WG_K_REDUCE) {
            /* over the kept dims: with keepdims the output has every input dim, else only the
             * kept ones, in order */
            for (int q = 0; q < c->ndim - c->nred; q++) {
                int jd = c->keepdims ? c->perm[q] : q;
                args->out[j].strides[q] = a->lay.shape[jd] == 1 ? 0 : a->lay.strides[jd];
            }
        } else if (!k->output_raw[j]) {
            operand_strides(c, a, args->out[j].strides);
        }
    }
    for (int s = 0; s < k->nparams; s++) {
        int p = v->map.p[s].param, dt = k->param_dtype[s];
        wg_value val = {0};
        switch (v->map.p[s].what) {
        case WGK_P_SCALAR: {
            const wg_array *a = c->scalar[p];
            if (!a) return wgB_error(ctx, WG_ERR_INTERNAL, "%s: parameter %d is no scalar",
                                     kname(c), p);
            int from;
            int kind;
            arg_kind(a, &kind, &from);
            val = wgD_convert(a->value, a->value_unsigned ? WG_UINT64 : from, dt);
            break;
        }
        case WGK_P_SIZE: val.i = raw_size(c->arr[p]); break;
        case WGK_P_SHAPE: {
            const wg_array *a = c->arr[p];
            int d = v->map.p[s].dim;
            val.i = d >= 0 && d < a->lay.ndim ? a->lay.shape[d] : 1;
            break;
        }
        case WGK_P_IND_SIZE: val.i = points; break;
        case WGK_P_CONST: args->params[s] = v->map.p[s].value; continue;  /* held as dt */
        default: return wgB_error(ctx, WG_ERR_INTERNAL, "%s: bad parameter map", kname(c));
        }
        if (v->map.p[s].what != WGK_P_SCALAR) val = wgD_convert(val, WG_INT64, dt);
        args->params[s] = val;
    }
    return WG_OK;
}

/* Run what the kernel reads and what reads what it writes, then dispatch. */
static int run(wg_context *ctx, call *c, variant *v) {
    wg_kernel_args *args = wgG_args_take(ctx);
    if (!args) return WG_ERR_MEMORY;
    int st = fill_args(ctx, c, v, args);
    for (int i = 0; i < v->ir->ninputs && !st; i++) st = wgG_execute(ctx, args->in[i].buf);
    for (int j = 0; j < v->ir->noutputs && !st; j++) {
        wg_buffer *b = args->out[j].buf;
        if (!(st = wgG_flush_readers(ctx, b))) st = wgG_execute(ctx, b);
    }
    for (int i = 0; i < v->ir->ninputs && !st; i++)
        if (args->in[i].buf->failed)
            st = wgB_error(ctx, args->in[i].buf->failed, "%s: an input failed to compute earlier",
                           kname(c));
    int64_t points = 1;
    for (int d = 0; d < c->ndim; d++) points *= args->shape[d];
    if (!st && points > 0) st = wgG_dispatch_memo(ctx, v->ir, args, &v->memo);
    if (st == WG_ERR_NOTIMPL || st == WG_ERR_BACKEND) {
        /* the backend's refusal or compile error, with the kernel's name in front */
        char msg[sizeof ctx->message];
        snprintf(msg, sizeof msg, "%s", ctx->message);
        wg_clear_error(ctx);
        wgB_error(ctx, st, "kernel '%s': %s", kname(c), msg);
    }
    for (int j = 0; j < v->ir->noutputs; j++) {
        wg_buffer *b = args->out[j].buf;
        b->version++;
        if (st && !b->failed) b->failed = st;
    }
    wgG_args_give(ctx, args);
    return st;
}

/* ---- the lazy path ------------------------------------------------------------------------
 * A kernel without control flow, raw access or the point index is a DAG of elementwise ops.
 * Recorded as lazy writes, it fuses with the operations around it like any ufunc: `k(x) * 2 + y`
 * is one kernel, and so is a chain of such kernels. */
static int straight_line(const wg_kernel_ir *k) {
    if (!k->stmt || k->kind != WG_K_ELEMENTWISE) return 0;
    for (int i = 0; i < k->ninputs; i++)
        if (k->input_raw[i]) return 0;
    for (int j = 0; j < k->noutputs; j++)
        if (k->output_raw[j]) return 0;
    for (int i = 0; i < k->ninst; i++) {
        int op = k->inst[i].op;
        if (op > WG_OP_ACC && op != WG_OP_GET && op != WG_OP_SET) return 0;
        if (op == WG_OP_INDEX || op == WG_OP_ACC) return 0;
    }
    return 1;
}

/* Does the DAG under n load buffer b?  (Marks visited nodes with a fresh stamp.) */
static int dag_reads(wg_context *ctx, wg_node *root, wg_buffer *b) {
    uint32_t mark = ++ctx->mark;
    wg_node *stack[256];
    int sp = 0, found = 0;
    stack[sp++] = root;
    while (sp && !found) {
        wg_node *n = stack[--sp];
        if (!n || n->mark == mark) continue;
        n->mark = mark;
        if (n->kind == WG_N_ELEMENTWISE && n->op == WG_OP_LOAD) found = n->buf == b;
        for (int q = 0; q < 3; q++)
            if (n->src[q]) {
                if (sp == 256) return 1; /* too deep to tell here: the caller runs it eagerly */
                stack[sp++] = n->src[q];
            }
    }
    return found;
}

static wg_node *zero_node(wg_context *ctx, int dt) {
    wg_value z = {0};
    return wgG_param(ctx, dt, z);
}

/* Replays the program as graph nodes; outs[j] receives output j's node (a reference). */
static int build_dag(wg_context *ctx, call *c, const variant *v, const wg_kernel_args *args,
                     int inline_ok, wg_node **outs) {
    const wg_kernel_ir *k = v->ir;
    wg_node **val = wgB_calloc(ctx, (size_t)k->ninst + (size_t)k->nvars + 1, sizeof *val);
    if (!val) return WG_ERR_MEMORY;
    wg_node **var = val + k->ninst;
    int st = WG_OK;
    for (int i = 0; i < k->ninst && !st; i++) {
        const wg_inst *in = &k->inst[i];
        wg_node *n = NULL;
        switch (in->op) {
        case WG_OP_LOAD:
            n = wgG_load(ctx, c->arr[v->map.in_param[in->arg]], inline_ok);
            break;
        case WG_OP_PARAM:
            n = wgG_param(ctx, in->dtype,
                          wgD_convert(args->params[in->arg], k->param_dtype[in->arg], in->dtype));
            break;
        case WG_OP_GET:
            if (!var[in->arg]) var[in->arg] = zero_node(ctx, k->var_dtype[in->arg]);
            n = var[in->arg];
            if (n) wgG_node_retain(n);
            break;
        case WG_OP_SET: {
            wg_node *x = val[in->src[0]];
            wgG_node_retain(x);
            if (var[in->arg]) wgG_node_release(ctx, var[in->arg]);
            var[in->arg] = x;
            continue;
        }
        case WG_OP_CAST:
            wgG_node_retain(val[in->src[0]]);
            n = wgG_cast(ctx, val[in->src[0]], in->dtype);
            break;
        default: {
            wg_node *s[3] = {NULL, NULL, NULL};
            for (int q = 0; q < wgI_op_arity[in->op]; q++) {
                s[q] = val[in->src[q]];
                wgG_node_retain(s[q]);
            }
            n = wgG_op(ctx, in->op, in->dtype, c->ndim, c->shape, s[0], s[1], s[2]);
            break;
        }
        }
        if (!n) st = wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
        val[i] = n;
    }
    for (int j = 0; j < k->noutputs && !st; j++) {
        int lv = k->out_var[j];
        if (!var[lv]) var[lv] = zero_node(ctx, k->var_dtype[lv]);
        if (!var[lv]) st = WG_ERR_MEMORY;
        else {
            wgG_node_retain(var[lv]);
            outs[j] = var[lv];
        }
    }
    for (int i = 0; i < k->ninst + k->nvars; i++)
        if (val[i]) wgG_node_release(ctx, val[i]);
    wgB_free(val);
    return st;
}

/* 1: recorded lazily; 0: not possible here (run it eagerly); <0: an error. */
static int record_lazy(wg_context *ctx, call *c, const variant *v) {
    const wg_kernel_ir *k = v->ir;
    if (!straight_line(k) || c->ndim != v->ir->ndim) return 0;
    wg_kernel_args *args = wgG_args_take(ctx);
    if (!args) return WG_ERR_MEMORY;
    wg_node *outs[WG_KMAX_IO] = {NULL};
    int st = fill_args(ctx, c, v, args);
    if (!st) st = build_dag(ctx, c, v, args, 1, outs);
    /* Too big for one kernel with its inputs' pending work fused in (a body with many constants,
     * as an erf polynomial, after a long chain): cut the graph as a ufunc does — the inputs'
     * pending writes run and are loaded from memory; a body too big on its own runs eagerly. */
    int fits = 1;
    for (int j = 0; j < k->noutputs && !st; j++) fits &= wgG_fits_one_kernel(ctx, outs[j]);
    if (!st && !fits) {
        wg_buffer *bufs[WG_KMAX_IO];
        int nb = 0;
        for (int p = 0; p < c->nin; p++)
            if (c->arr[p] && c->arr[p]->buf) bufs[nb++] = c->arr[p]->buf;
        for (int j = 0; j < k->noutputs; j++) {
            wgG_node_release(ctx, outs[j]);
            outs[j] = NULL;
        }
        st = wgG_cut(ctx, c->ndim, c->shape, bufs, nb);
        if (!st) st = build_dag(ctx, c, v, args, 0, outs);
        fits = 1;
        for (int j = 0; j < k->noutputs && !st; j++) fits &= wgG_fits_one_kernel(ctx, outs[j]);
        if (!st && !fits) {
            for (int j = 0; j < k->noutputs; j++) wgG_node_release(ctx, outs[j]);
            wgG_args_give(ctx, args);
            return 0;
        }
    }
    wgG_args_give(ctx, args);
    /* An output whose value reads another output's buffer (momentum: p -= lr * m after m is
     * updated reads m's old contents in the DAG) would see the new contents once that other
     * write is recorded: such kernels run eagerly. */
    int lazy = !st;
    for (int j = 0; j < k->noutputs && lazy; j++)
        for (int q = 0; q < k->noutputs && lazy; q++) {
            wg_buffer *bq = c->arr[v->map.out_param[q]]->buf;
            if (q != j && (bq == c->arr[v->map.out_param[j]]->buf || dag_reads(ctx, outs[j], bq)))
                lazy = 0;
        }
    for (int j = 0; j < k->noutputs; j++) {
        wg_array *a = c->arr[v->map.out_param[j]];
        if (lazy && !st) st = wgG_record_write(ctx, a->buf, &a->lay, outs[j]);
        else if (outs[j]) wgG_node_release(ctx, outs[j]);
    }
    return st ? st : lazy;
}

static int finish(wg_context *ctx, call *c, wg_array **outs) {
    int st = WG_OK;
    for (int p = c->nin; p < c->np; p++) {
        if (c->writeback[p] && !st) st = wg_assign(ctx, c->writeback[p], c->arr[p]);
        wg_array *res = c->writeback[p] ? c->writeback[p] : c->arr[p];
        wg_retain(res);
        outs[p - c->nin] = res;
    }
    if (st)
        for (int p = c->nin; p < c->np; p++) {
            wg_release(outs[p - c->nin]);
            outs[p - c->nin] = NULL;
        }
    return st;
}

static int begin(wg_context *ctx, call *c, wg_ukernel *k, int nargs) {
    memset(c, 0, sizeof *c);
    wg_clear_error(ctx);
    c->uk = k;
    c->np = wgK_nparams(k->def);
    c->nin = wgK_nin(k->def);
    c->nargs = nargs;
    if (nargs != c->nin && nargs != c->np)
        return wgB_error(ctx, WG_ERR_TYPE, "Wrong number of arguments for '%s': %d given, %d "
                         "inputs%s expected", kname(c), nargs, c->nin,
                         c->np > c->nin ? " (optionally followed by the outputs)" : "");
    return WG_OK;
}

static int elementwise_call(wg_context *ctx, call *c, wg_array *const *args, int64_t size,
                            wg_array **outs);

int wg_ukernel_launch(wg_context *ctx, wg_ukernel *k, int nargs, wg_array *const *args,
                      int64_t size, wg_array **outs) {
    wgP_drain(ctx);
    call c;
    int st = begin(ctx, &c, k, nargs);
    if (!st && wgK_kind(k->def) != WGK_ELEMENTWISE)
        st = wgB_error(ctx, WG_ERR_TYPE, "'%s' is a %s kernel", kname(&c),
                       wgK_kind(k->def) == WGK_RAW ? "raw" : "reduction");
    if (!st) st = elementwise_call(ctx, &c, args, size, outs);
    /* the first output's metadata in the info block, as an array-making call's: the Python
     * layer wraps a kernel's one result without a wg_info call (one crossing less a launch) */
    if (!st && c.np > c.nin) wgA_write_info(ctx, outs[0]);
    call_free(&c);
    return st;
}

/* The elementwise launch (ElementwiseKernel; a RawKernel's with c->raw set). */
static int elementwise_call(wg_context *ctx, call *c, wg_array *const *args, int64_t size,
                            wg_array **outs) {
    int st = bind_types(ctx, c, args);
    if (!st) st = launch_shape(ctx, c, args, size);
    if (!st) st = gather_arrays(ctx, c, args, c->shape, c->ndim);
    variant *v = NULL;
    if (!st && !(v = find_or_lower(ctx, c))) st = wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
    if (!st) st = pointer_pool(ctx, c, v);
    int lazy = 0;
    if (!st && ctx->lazy) {
        lazy = record_lazy(ctx, c, v);
        if (lazy < 0) st = lazy;
    }
    if (!st && !lazy) st = run(ctx, c, v);
    if (!st) st = finish(ctx, c, outs);
    return st;
}

/* ReductionKernel: the inputs broadcast together; axes (naxes < 0: all) are reduced, moved last. */
int wg_ukernel_reduce(wg_context *ctx, wg_ukernel *k, int nargs, wg_array *const *args,
                      int naxes, const int64_t *axes, int keepdims, wg_array **outs) {
    call c;
    int st = begin(ctx, &c, k, nargs);
    if (!st && wgK_kind(k->def) != WGK_REDUCTION)
        st = wgB_error(ctx, WG_ERR_TYPE, "'%s' is an elementwise kernel", kname(&c));
    if (!st) st = bind_types(ctx, &c, args);
    /* the input shape: non-raw inputs only (outputs have the reduced shape) */
    if (!st) {
        const wg_layout *ls[WGK_MAX_PARAMS];
        int n = 0;
        for (int i = 0; i < c.nin && i < nargs; i++)
            if (!is_scalar(args[i]) && !wgK_param_at(k->def, i)->is_raw) ls[n++] = &args[i]->lay;
        if (n == 0) st = wgB_error(ctx, WG_ERR_VALUE, "%s: no array to reduce", kname(&c));
        else st = wgL_broadcast_shapes(ctx, n, ls, &c.ndim, c.shape);
    }
    int64_t out_shape[WG_MAX_NDIM];
    int out_ndim = 0;
    if (!st) {
        int64_t mask = 0;
        st = wgL_axes_mask(ctx, naxes, axes, c.ndim, &mask);
        c.keepdims = keepdims != 0;
        int q = 0;
        for (int d = 0; d < c.ndim; d++)
            if (!((mask >> d) & 1)) c.perm[q++] = d;
        for (int d = 0; d < c.ndim; d++)
            if ((mask >> d) & 1) {
                c.perm[q++] = d;
                c.nred++;
            }
        for (int d = 0; d < c.ndim; d++) {
            if (!((mask >> d) & 1)) out_shape[out_ndim++] = c.shape[d];
            else if (keepdims) out_shape[out_ndim++] = 1;
        }
    }
    if (!st) st = gather_arrays(ctx, &c, args, out_shape, out_ndim);
    variant *v = NULL;
    if (!st && !(v = find_or_lower(ctx, &c))) st = wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
    if (!st) st = pointer_pool(ctx, &c, v);
    if (!st) st = run(ctx, &c, v);
    if (!st) st = finish(ctx, &c, outs);
    if (!st && c.np > c.nin) wgA_write_info(ctx, outs[0]); /* as wg_ukernel_launch's */
    call_free(&c);
    return st;
}

/* ---- RawKernel / RawModule (docs/kernels.md, "RawKernel and RawModule") ------------------ */

struct wg_rawmodule {
    wgK_def *def;   /* the whole source parsed (its __global__ functions) */
    char *code;
    char name[WGK_NAME_MAX];
    int refs;       /* the handle's and its functions' (wg_rawmodule_get_function) */
    /* its __constant__ variables' device arrays, made at the first launch or get_global and
     * read by every function's launches: CuPy's module globals, which the host may set */
    wg_array *consts[WGK_RAW_MAX_CONST];
};

static void module_unref(struct wg_rawmodule *m) {
    if (!m || --m->refs > 0) return;
    for (int c = 0; c < WGK_RAW_MAX_CONST; c++) wg_release(m->consts[c]);
    wgK_free(m->def);
    wgB_free(m->code);
    wgB_free(m);
}

/* A __constant__ variable's initial values as a new 1-d array of dtype dt. */
static wg_array *const_array(wg_context *ctx, const wgK_raw *R, int c, int dt) {
    int64_t len = R->const_len[c];
    size_t isz = (size_t)wgD_size(dt);
    char *buf = wgB_malloc(ctx, (size_t)len * isz);
    if (!buf) return NULL;
    for (int64_t j = 0; j < len; j++) {
        wg_value v;
        if (wgD_is_float(dt)) v.f = R->const_f[c][j];
        else v = wgD_convert((wg_value){.i = R->const_i[c][j]}, WG_INT64, dt);
        wgD_store(dt, buf + (size_t)j * isz, v);
    }
    wg_array *a = wg_from_data(ctx, dt, 1, &len, buf);
    wgB_free(buf);
    return a;
}

/* The module's array of the __constant__ named name (a borrowed reference), made on first use;
 * NULL with an error set when there is no such variable or the dtype no longer matches. */
static wg_array *module_const(wg_context *ctx, struct wg_rawmodule *m, const char *name, int dt) {
    const wgK_raw *R = wgK_raw_info(m->def);
    for (int c = 0; R && c < R->nconst; c++) {
        if (strcmp(R->const_name[c], name)) continue;
        int mdt = wgK_param_at(m->def, R->const_param[c])->dtype;
        if (dt >= 0 && mdt != dt) {
            wgB_error(ctx, WG_ERR_VALUE, "RawModule: __constant__ %s is %s in the module but %s "
                      "in this launch (64-bit types were switched since the module was made)",
                      name, wgD_name(mdt), wgD_name(dt));
            return NULL;
        }
        if (!m->consts[c]) m->consts[c] = const_array(ctx, R, c, mdt);
        return m->consts[c];
    }
    wgB_error(ctx, WG_ERR_VALUE, "RawModule.get_global: no __constant__ variable named '%s' "
              "(named symbol not found)", name);
    return NULL;
}

int wg_rawmodule_new(wg_context *ctx, const char *code, const char *name, wg_rawmodule **out) {
    wg_clear_error(ctx);
    *out = NULL;
    if (!code) return wgB_error(ctx, WG_ERR_TYPE, "RawModule: no source");
    wgK_def *def = NULL;
    int st = wgK_parse_raw(ctx, code, NULL, name && name[0] ? name : "module", &def);
    if (st) return st;
    wg_rawmodule *m = wgB_calloc(ctx, 1, sizeof *m);
    size_t n = strlen(code);
    char *copy = m ? wgB_malloc(ctx, n + 1) : NULL;
    if (!copy) {
        wgB_free(m);
        wgK_free(def);
        return WG_ERR_MEMORY;
    }
    memcpy(copy, code, n + 1);
    m->def = def;
    m->code = copy;
    m->refs = 1;
    snprintf(m->name, sizeof m->name, "%s", name && name[0] ? name : "module");
    *out = m;
    return WG_OK;
}

void wg_rawmodule_free(wg_rawmodule *m) { module_unref(m); }

int wg_rawmodule_get_global(wg_context *ctx, wg_rawmodule *m, const char *name, wg_array **out) {
    wg_clear_error(ctx);
    *out = NULL;
    if (!name) return wgB_error(ctx, WG_ERR_TYPE, "RawModule.get_global: no name");
    wg_array *a = module_const(ctx, m, name, -1);
    if (!a) return wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
    wg_retain(a);
    *out = wgP_out(ctx, a); /* the info block describes it, as for every array handed out */
    return WG_OK;
}

int wg_rawmodule_nfunctions(wg_rawmodule *m) { return wgK_raw_info(m->def)->nglobals; }

const char *wg_rawmodule_function(wg_rawmodule *m, int i) {
    const wgK_raw *R = wgK_raw_info(m->def);
    return i >= 0 && i < R->nglobals ? R->globals[i] : NULL;
}

int wg_rawmodule_get_function(wg_context *ctx, wg_rawmodule *m, const char *name,
                              wg_ukernel **out) {
    wg_clear_error(ctx);
    *out = NULL;
    if (!name) return wgB_error(ctx, WG_ERR_TYPE, "RawModule: no function name");
    wgK_def *def = NULL;
    int st = wgK_parse_raw(ctx, m->code, name, name, &def);
    st = new_kernel(ctx, def, st, out);
    if (st == WG_OK) {
        (*out)->module = m;
        m->refs++;
    }
    return st;
}

/* Lower k once for a cpu configuration: its compile errors (the first launch's, on any
 * backend; CuPy's RawKernel.compile()). */
int wg_rawkernel_compile(wg_context *ctx, wg_ukernel *k) {
    wg_clear_error(ctx);
    const wgK_raw *R = wgK_raw_info(k->def);
    if (!R) return wgB_error(ctx, WG_ERR_TYPE, "'%s' is not a RawKernel", wgK_name(k->def));
    int np = wgK_nparams(k->def), pdt[WGK_MAX_PARAMS], arr[WGK_MAX_PARAMS], rnd[WGK_MAX_PARAMS];
    for (int p = 0; p < np; p++) {
        const wgK_param *pp = wgK_param_at(k->def, p);
        pdt[p] = wgD_canonical(pp->dtype, ctx->x64);
        arr[p] = pp->is_raw;
        rnd[p] = pp->is_raw;
    }
    wgK_rawcfg cfg = {R->wg_arrays ? 32 : 0, 1, 1};
    wg_kernel_ir *ir = NULL;
    wgK_map map;
    int st = wgK_lower_ex(ctx, k->def, pdt, arr, rnd, 1, 0, &cfg, &ir, &map);
    wgI_free(ir);
    return st;
}

int wg_rawkernel_info(wg_ukernel *k, int64_t *info) {
    const wgK_raw *R = wgK_raw_info(k->def);
    if (!R) return WG_ERR_TYPE;
    info[0] = R->nargs;
    info[1] = R->static_bytes;
    info[2] = R->uses_sync;
    info[3] = R->nshared;
    info[4] = R->dynamic;
    return WG_OK;
}

static int is_backend(wg_context *ctx, const char *name) {
    return ctx->backend && !strcmp(ctx->backend->name, name);
}

int wg_rawkernel_launch(wg_context *ctx, wg_ukernel *k, const int64_t *grid, const int64_t *block,
                        int64_t shared_mem, int nargs, wg_array *const *args) {
    static const int64_t gmax[3] = {2147483647, 65535, 65535}, bmax[3] = {1024, 1024, 64};
    wg_clear_error(ctx);
    const wgK_raw *R = wgK_raw_info(k->def);
    const char *name = wgK_name(k->def);
    if (!R) return wgB_error(ctx, WG_ERR_TYPE, "'%s' is not a RawKernel", name);
    for (int d = 0; d < 3; d++) {
        if (grid[d] < 1 || grid[d] > gmax[d])
            return wgB_error(ctx, WG_ERR_VALUE, "grid.%c = %lld is out of range (1 to %lld)",
                             "xyz"[d], (long long)grid[d], (long long)gmax[d]);
        if (block[d] < 1 || block[d] > bmax[d])
            return wgB_error(ctx, WG_ERR_VALUE, "block.%c = %lld is out of range (1 to %lld)",
                             "xyz"[d], (long long)block[d], (long long)bmax[d]);
    }
    int64_t nt = block[0] * block[1] * block[2];
    if (nt > 1024)
        return wgB_error(ctx, WG_ERR_VALUE, "block (%lld, %lld, %lld) has %lld threads; at most "
                         "1024 are allowed", (long long)block[0], (long long)block[1],
                         (long long)block[2], (long long)nt);
    if (shared_mem < 0) return wgB_error(ctx, WG_ERR_VALUE, "shared_mem must be a non-negative int");
    if (nargs != R->nargs)
        return wgB_error(ctx, WG_ERR_TYPE, "Wrong number of arguments for '%s': %d given, %d "
                         "expected", name, nargs, R->nargs);
    for (int i = 0; i < nargs; i++) {
        const wgK_param *p = wgK_param_at(k->def, R->arg_param[i]);
        if (!args[i]) return wgB_error(ctx, WG_ERR_TYPE, "%s: argument %s is missing", name, p->name);
        if (R->arg_ptr[i] && is_scalar(args[i]))
            return wgB_error(ctx, WG_ERR_TYPE, "%s: argument %s must be an ndarray (%s*), not a "
                             "scalar", name, p->name, wgD_name(p->dtype));
        if (!R->arg_ptr[i] && !is_scalar(args[i]))
            return wgB_error(ctx, WG_ERR_TYPE, "%s: argument %s is a scalar parameter (%s), not "
                             "an array", name, p->name, wgD_name(p->dtype));
    }
    /* The iteration space: nblocks x P points (docs/kernels.md). */
    int sync = R->uses_sync || R->nshared;
    wgK_rawcfg cfg = {0, 0, 0};
    if (R->dynamic) {
        int64_t len = shared_mem / wgD_size(R->dynamic_dtype);
        cfg.dsn_len = (int)(len < 1 ? 1 : len > (1 << 24) ? (1 << 24) : len);
    }
    int64_t P = nt;
    if (sync && is_backend(ctx, "webgpu")) {
        cfg.wg_block = (int)nt;  /* one workgroup per CUDA block; no padding, no early return */
    } else if (sync) {
        if (!is_backend(ctx, "cpu") && !is_backend(ctx, "loopback")) {
            int cst = wg_rawkernel_compile(ctx, k);  /* a compile error first, as on any backend */
            if (cst) return cst;
            return wgB_error(ctx, WG_ERR_NOTIMPL, "RawKernel %s: %s is not supported on the %s "
                             "backend", name,
                             R->nshared ? "__shared__ memory"
                             : R->uses_warp ? "warp intrinsics (__shfl_sync, __ballot_sync...: workgroup memory)"
                                            : "__syncthreads()",
                             ctx->backend ? ctx->backend->name : "?");
        }
        const char *env = getenv("WGPY_CPU_STMT_BLOCK");
        if (env && env[0] && strtol(env, NULL, 10) < 1024)
            return wgB_error(ctx, WG_ERR_NOTIMPL, "RawKernel %s: __shared__/__syncthreads() need "
                             "WGPY_CPU_STMT_BLOCK unset", name);
        /* a block of the cpu executor (1024 points) holds whole CUDA blocks, whose threads then
         * run in lock step: the block padded to a power of two */
        P = 1;
        while (P < nt) P *= 2;
        cfg.pad_return = P != nt;
        if (R->wg_arrays) cfg.wg_block = (int)P;
    }
    int64_t nblocks = grid[0] * grid[1] * grid[2];
    if (nblocks > ((int64_t)1 << 52) / P)
        return wgB_error(ctx, WG_ERR_VALUE, "RawKernel %s: %lld blocks of %lld threads are too "
                         "many", name, (long long)nblocks, (long long)nt);
    const wgK_def *d = k->def;
    int np = wgK_nparams(d);
    wg_array *full[WGK_MAX_PARAMS] = {0};
    wg_array *made[WGK_MAX_PARAMS] = {0};
    int nmade = 0, st = WG_OK;
    for (int i = 0; i < nargs; i++) full[R->arg_param[i]] = args[i];
    const int64_t geom[WGK_RAW_NGEOM] = {P, nt, block[0], block[1], block[2], grid[0], grid[1], grid[2]};
    for (int g = 0; g < WGK_RAW_NGEOM && !st; g++) {
        wg_array *a = wg_scalar(ctx, WG_UINT32, WG_WEAK_NONE, geom[g], 1, 0.0);
        if (!a) st = wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
        else full[R->geom_param + g] = made[nmade++] = a;
    }
    for (int c = 0; c < R->nconst && !st; c++) {  /* the module's __constant__ values */
        int p = R->const_param[c];
        int dt = wgK_param_at(d, p)->dtype;  /* as a `const T*` argument of that type */
        if (k->module) {  /* the module's own array: what get_global set is what it reads */
            wg_array *a = module_const(ctx, k->module, R->const_name[c], dt);
            if (!a) st = wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
            else full[p] = a;
            continue;
        }
        wg_array *a = const_array(ctx, R, c, dt);
        if (!a) st = wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
        else full[p] = made[nmade++] = a;
    }
    for (int s = 0; s < R->nscratch && !st; s++) {
        int p = R->scratch_param[s];
        int64_t len = R->scratch_len[s] ? R->scratch_len[s] : (cfg.dsn_len > 0 ? cfg.dsn_len : 1);
        int64_t shape[1] = {nblocks * len};
        int dt = wgD_canonical(wgK_param_at(d, p)->dtype, ctx->x64);
        wg_array *zero = wg_scalar(ctx, dt, WG_WEAK_NONE, 0, 0, 0.0);
        wg_array *a = zero ? wg_full(ctx, dt, 1, shape, zero) : NULL;
        if (zero) wg_release(zero);
        if (!a) st = wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
        else full[p] = made[nmade++] = a;
    }
    wg_array *outs[WGK_MAX_PARAMS] = {0};
    call c;
    if (!st) st = begin(ctx, &c, k, np);
    if (!st) {
        c.raw = cfg;
        st = elementwise_call(ctx, &c, full, nblocks * P, outs);
        call_free(&c);
    }
    for (int j = 0; j < np - wgK_nin(d); j++)
        if (outs[j]) wg_release(outs[j]);
    for (int i = 0; i < nmade; i++) wg_release(made[i]);
    return st;
}
