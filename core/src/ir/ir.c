/* ir — structural hash, dump, clone and free of wg_kernel_ir. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ir.h"

static const char *const op_names[WG_NOPS] = {
#define WG_X_(E, name, arity) #name,
    WG_UNARY_OPS(WG_X_) WG_BINARY_OPS(WG_X_) WG_INTERNAL_OPS(WG_X_)
#undef WG_X_
};
static const unsigned char op_arity[WG_NOPS] = {
#define WG_X_(E, name, arity) arity,
    WG_UNARY_OPS(WG_X_) WG_BINARY_OPS(WG_X_) WG_INTERNAL_OPS(WG_X_)
#undef WG_X_
};
static const char *const dtype_names[WG_NDTYPES] = {
#define WG_X_(E, name, size, kind) #name,
    WG_DTYPES(WG_X_)
#undef WG_X_
};
static const char *const fold_names[] = {"sum", "prod", "min", "max", "argmin", "argmax", "any",
                                         "all"};
static const char *const kind_names[] = {"elementwise", "reduce", "matmul"};

static const char *op_name(int op) { return op >= 0 && op < WG_NOPS ? op_names[op] : "?"; }
static const char *dt_name(int dt) { return dt >= 0 && dt < WG_NDTYPES ? dtype_names[dt] : "?"; }

static uint64_t hash_i64(uint64_t h, int64_t v) { return wgB_hash(h, &v, sizeof v); }

static uint64_t hash_insts(uint64_t h, const wg_inst *in, int n) {
    h = hash_i64(h, n);
    for (int i = 0; i < n; i++) {
        unsigned char b[10];
        b[0] = in[i].op;
        b[1] = in[i].dtype;
        b[2] = (unsigned char)(in[i].arg & 0xff);
        b[3] = (unsigned char)(in[i].arg >> 8);
        /* sources an op does not read are not part of its structure */
        int ar = in[i].op < WG_NOPS ? op_arity[in[i].op] : 3;
        for (int s = 0; s < 3; s++) {
            uint16_t v = s < ar ? in[i].src[s] : 0;
            b[4 + 2 * s] = (unsigned char)(v & 0xff);
            b[5 + 2 * s] = (unsigned char)(v >> 8);
        }
        h = wgB_hash(h, b, sizeof b);
    }
    return h;
}

/* Everything that decides the code: kind, rank, operand dtypes, the program(s), the fold.
 * Not shapes, strides, offsets or parameter values (those are wg_kernel_args). */

const uint8_t wgI_op_arity[WG_NOPS] = {
#define WG_X_(E, name, arity) arity,
    WG_UNARY_OPS(WG_X_) WG_BINARY_OPS(WG_X_) WG_INTERNAL_OPS(WG_X_)
#undef WG_X_
};

int wgI_op_gives_bool(int op) {
    switch (op) {
    case WG_OP_EQUAL: case WG_OP_NOT_EQUAL: case WG_OP_LESS: case WG_OP_LESS_EQUAL:
    case WG_OP_GREATER: case WG_OP_GREATER_EQUAL: case WG_OP_LOGICAL_AND: case WG_OP_LOGICAL_OR:
    case WG_OP_LOGICAL_XOR: case WG_OP_LOGICAL_NOT: case WG_OP_ISNAN: case WG_OP_ISINF:
    case WG_OP_ISFINITE:
        return 1;
    default: return 0;
    }
}

int wgI_op_is_stmt(int op) {
    switch (op) {
    case WG_OP_SET: case WG_OP_IF: case WG_OP_ELSE: case WG_OP_LOOP: case WG_OP_CONTINUING:
    case WG_OP_END: case WG_OP_BREAK: case WG_OP_CONTINUE: case WG_OP_RETURN:
    case WG_OP_STORE_AT: case WG_OP_BARRIER: case WG_OP_SHARED_STORE:
        return 1;
    default: return 0;
    }
}

/* Which ops of a statement kernel use `arg` as a slot, and of what. */
static int check_slot(wg_context *ctx, const wg_kernel_ir *k, int i, const wg_inst *in,
                      int status) {
    switch (in->op) {
    case WG_OP_GET: case WG_OP_SET:
        if (in->arg >= k->nvars)
            return wgB_error(ctx, status, "kernel IR: instruction %d uses local %u of %d", i,
                             in->arg, k->nvars);
        break;
    case WG_OP_LOAD: case WG_OP_LOAD_AT:
        if (in->arg >= k->ninputs || (in->op == WG_OP_LOAD_AT) != (k->input_raw[in->arg] != 0))
            return wgB_error(ctx, status, "kernel IR: instruction %d: %s of input %u (%d inputs; "
                             "LOAD_AT reads raw inputs, LOAD the others)", i,
                             in->op == WG_OP_LOAD ? "LOAD" : "LOAD_AT", in->arg, k->ninputs);
        break;
    case WG_OP_OUT_LOAD_AT: case WG_OP_STORE_AT: case WG_OP_ATOMIC_ADD:
    case WG_OP_ATOMIC_MAX: case WG_OP_ATOMIC_MIN: case WG_OP_ATOMIC_CAS:
        if (in->arg >= k->noutputs || !k->output_raw[in->arg])
            return wgB_error(ctx, status, "kernel IR: instruction %d addresses output %u, which "
                             "is not a raw output", i, in->arg);
        break;
    case WG_OP_SHARED_LOAD: case WG_OP_SHARED_STORE: case WG_OP_SHARED_ATOMIC_ADD:
    case WG_OP_SHARED_ATOMIC_MAX: case WG_OP_SHARED_ATOMIC_MIN: case WG_OP_SHARED_ATOMIC_CAS:
        if (in->arg >= k->nshared)
            return wgB_error(ctx, status, "kernel IR: instruction %d addresses workgroup array %u "
                             "of %d", i, in->arg, k->nshared);
        if (in->op != WG_OP_SHARED_STORE && in->dtype != k->shared_dtype[in->arg])
            return wgB_error(ctx, status, "kernel IR: instruction %d: SHARED_LOAD's dtype is not "
                             "its array's", i);
        break;
    case WG_OP_LINEAR:
        if (in->dtype != WG_INT32 && in->dtype != WG_INT64)
            return wgB_error(ctx, status, "kernel IR: instruction %d: LINEAR must be int32 or "
                             "int64", i);
        break;
    case WG_OP_ACC:
        return wgB_error(ctx, status, "kernel IR: instruction %d: ACC in a statement kernel", i);
    default: break;
    }
    return WG_OK;
}

int wgI_check_stmt(wg_context *ctx, const wg_kernel_ir *k, int status) {
    if (!k->stmt) {
        if (k->wg_block)
            return wgB_error(ctx, status, "kernel IR: a workgroup size in a straight-line kernel");
        /* straight-line: the value ops; a REDUCE program and its post program may also read raw
         * inputs by element (LOAD_AT) */
        for (int pass = 0; pass < 2; pass++) {
            const wg_inst *prog = pass ? k->post : k->inst;
            int n = pass ? (k->kind == WG_K_REDUCE ? k->npost : 0) : k->ninst;
            for (int i = 0; i < n; i++) {
                const wg_inst *in = &prog[i];
                if (in->op == WG_OP_LOAD_AT && k->kind == WG_K_REDUCE) {
                    if (in->arg >= k->ninputs || !k->input_raw[in->arg])
                        return wgB_error(ctx, status, "kernel IR: instruction %d: LOAD_AT of input "
                                         "%u, which is not a raw input", i, in->arg);
                    continue;
                }
                if (in->op == WG_OP_LOAD && (in->arg >= k->ninputs || k->input_raw[in->arg]))
                    return wgB_error(ctx, status, "kernel IR: instruction %d: LOAD of a raw or "
                                     "missing input %u", i, in->arg);
                if (in->op > WG_OP_ACC && in->op != WG_OP_BITCAST) /* BITCAST: a value op */
                    return wgB_error(ctx, status, "kernel IR: instruction %d is a statement op in "
                                     "a straight-line kernel", i);
            }
        }
        return WG_OK;
    }
    if (k->kind != WG_K_ELEMENTWISE)
        return wgB_error(ctx, status, "kernel IR: statements in a non-elementwise kernel");
    if (k->wg_block < 0 || k->wg_block > 1024)
        return wgB_error(ctx, status, "kernel IR: workgroup of %d points", k->wg_block);
    if (k->nshared < 0 || k->nshared > WG_KMAX_SHARED || (k->nshared && !k->wg_block))
        return wgB_error(ctx, status, "kernel IR: %d workgroup arrays (workgroup kernels only, at "
                         "most %d)", k->nshared, WG_KMAX_SHARED);
    for (int a = 0; a < k->nshared; a++)
        if (k->shared_dtype[a] > WG_FLOAT64 || k->shared_len[a] == 0 ||
            k->shared_len[a] > (1u << 24))
            return wgB_error(ctx, status, "kernel IR: workgroup array %d: dtype %u, %u elements",
                             a, k->shared_dtype[a], k->shared_len[a]);
    if (k->nvars < 0 || k->nvars > WG_KMAX_VARS)
        return wgB_error(ctx, status, "kernel IR: %d locals", k->nvars);
    for (int v = 0; v < k->nvars; v++)
        if (k->var_dtype[v] > WG_FLOAT64)
            return wgB_error(ctx, status, "kernel IR: local %d has unknown dtype", v);
    for (int j = 0; j < k->noutputs; j++) {
        if (k->output_raw[j] ? k->out_var[j] != -1 : (k->out_var[j] < 0 || k->out_var[j] >= k->nvars))
            return wgB_error(ctx, status, "kernel IR: output %d: local %d (raw outputs have -1, "
                             "others a local)", j, k->out_var[j]);
    }
    /* Blocks: a stack of (kind, start, has_else/continuing).  A value may be used only while the
     * block that defined it is open: scope[i] = depth id of instruction i's block. */
    int *scope = wgB_malloc(ctx, sizeof(int) * (size_t)(k->ninst ? k->ninst : 1));
    if (!scope) return WG_ERR_MEMORY;
    int stack_op[WG_KMAX_DEPTH + 1], stack_id[WG_KMAX_DEPTH + 1], stack_part[WG_KMAX_DEPTH + 1];
    int depth = 0, next_id = 1, rc = WG_OK;
    stack_op[0] = -1;
    stack_id[0] = 0;
    stack_part[0] = 0;
    for (int i = 0; i < k->ninst && !rc; i++) {
        const wg_inst *in = &k->inst[i];
        scope[i] = stack_id[depth];
        if ((rc = check_slot(ctx, k, i, in, status))) break;
        for (int q = 0; q < wgI_op_arity[in->op]; q++) {
            int s = in->src[q];
            int open = 0;
            for (int d = 0; d <= depth && !open; d++) open = stack_id[d] == scope[s];
            if (!open || wgI_op_is_stmt(k->inst[s].op)) {
                rc = wgB_error(ctx, status, "kernel IR: instruction %d uses %d, which is a "
                               "statement or out of scope", i, s);
                break;
            }
        }
        if (rc) break;
        switch (in->op) {
        case WG_OP_IF: case WG_OP_LOOP:
            if (depth == WG_KMAX_DEPTH) {
                rc = wgB_error(ctx, status, "kernel IR: blocks nested deeper than %d",
                               WG_KMAX_DEPTH);
                break;
            }
            depth++;
            stack_op[depth] = in->op;
            stack_id[depth] = next_id++;
            stack_part[depth] = 0;
            break;
        case WG_OP_ELSE: case WG_OP_CONTINUING:
            if (depth == 0 || stack_op[depth] != (in->op == WG_OP_ELSE ? WG_OP_IF : WG_OP_LOOP) ||
                stack_part[depth]) {
                rc = wgB_error(ctx, status, "kernel IR: instruction %d: %s without its block", i,
                               in->op == WG_OP_ELSE ? "ELSE" : "CONTINUING");
                break;
            }
            stack_part[depth] = 1;
            stack_id[depth] = next_id++;  /* the other part sees none of the first's values */
            break;
        case WG_OP_END:
            if (depth == 0) {
                rc = wgB_error(ctx, status, "kernel IR: instruction %d: END without a block", i);
                break;
            }
            depth--;
            break;
        case WG_OP_BREAK: case WG_OP_CONTINUE: case WG_OP_RETURN: {
            int loop = 0;
            for (int d = depth; d > 0; d--) {
                if (stack_op[d] == WG_OP_LOOP && stack_part[d]) {
                    loop = -1;  /* inside a CONTINUING part */
                    break;
                }
                if (stack_op[d] == WG_OP_LOOP) {
                    loop = 1;
                    break;
                }
            }
            if (loop < 0 || (in->op != WG_OP_RETURN && !loop))
                rc = wgB_error(ctx, status, "kernel IR: instruction %d: a jump outside a loop "
                               "body", i);
            break;
        }
        default: break;
        }
    }
    if (!rc && depth != 0)
        rc = wgB_error(ctx, status, "kernel IR: %d blocks left open", depth);
    wgB_free(scope);
    return rc;
}

uint64_t wgI_hash(const wg_kernel_ir *k) {
    uint64_t h = WG_HASH_SEED;
    int64_t head[7] = {k->kind, k->ndim, k->ninputs, k->noutputs, k->nparams, k->ninst, k->contract};
    h = wgB_hash(h, head, sizeof head);
    int nin = k->ninputs > 0 && k->ninputs <= WG_KMAX_IO ? k->ninputs : 0;
    int nout = k->noutputs > 0 && k->noutputs <= WG_KMAX_IO ? k->noutputs : 0;
    int npar = k->nparams > 0 && k->nparams <= WG_KMAX_PARAMS ? k->nparams : 0;
    h = wgB_hash(h, k->input_dtype, (size_t)nin);
    h = wgB_hash(h, k->output_dtype, (size_t)nout);
    h = wgB_hash(h, k->param_dtype, (size_t)npar);
    for (int j = 0; j < npar; j++)
        if (k->param_const[j]) h = hash_i64(hash_i64(h, 0x4c + j), k->param_value[j].i);
    if (k->kind == WG_K_ELEMENTWISE && !k->stmt)
        for (int j = 0; j < nout; j++) h = hash_i64(h, k->out_inst[j]);
    if (k->stmt) {
        int nv = k->nvars > 0 && k->nvars <= WG_KMAX_VARS ? k->nvars : 0;
        h = hash_i64(h, 0x5374 + nv);
        h = wgB_hash(h, k->var_dtype, (size_t)nv);
        for (int j = 0; j < nout; j++) h = hash_i64(h, k->out_var[j]);
        h = wgB_hash(h, k->input_raw, (size_t)nin);
        h = wgB_hash(h, k->output_raw, (size_t)nout);
        if (k->wg_block) h = hash_i64(h, 0x5767 + (int64_t)k->wg_block);
        if (k->in_range) h = hash_i64(h, 0x4952);
        for (int a = 0; a < k->nshared && a < WG_KMAX_SHARED; a++)
            h = hash_i64(h, 0x5368 + ((int64_t)k->shared_dtype[a] << 32) + k->shared_len[a]);
    }
    if (k->native) {
        int64_t nat[3] = {k->native, k->native_nred, k->native_nuni};
        h = wgB_hash(h, nat, sizeof nat);
        h = wgB_hash(h, k->native_kind, (size_t)nin);
        h = wgB_hash(h, k->native_ndim, (size_t)nin);
        if (k->native_text) h = wgB_hash(h, k->native_text, k->native_len);
    }
    if (k->inst && k->ninst > 0) h = hash_insts(h, k->inst, k->ninst);
    if (k->kind == WG_K_REDUCE) {
        int64_t red[3] = {k->fold, k->nred, k->acc_dtype};
        h = wgB_hash(h, red, sizeof red);
        h = hash_i64(h, k->npost);
        if (k->post && k->npost > 0) h = hash_insts(h, k->post, k->npost);
    }
    return h;
}

/* snprintf-style appending */
typedef struct {
    char *buf;
    size_t n, len;
} sbuf;

static void put(sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *dst = s->len < s->n ? s->buf + s->len : NULL;
    size_t room = s->len < s->n ? s->n - s->len : 0;
    int w = vsnprintf(dst, room, fmt, ap);
    va_end(ap);
    if (w > 0) s->len += (size_t)w;
}

static void dump_insts(sbuf *s, const wg_inst *in, int n, const char *pfx) {
    for (int i = 0; i < n; i++) {
        int op = in[i].op;
        put(s, "  %s%d = %s %s", pfx, i, op_name(op), dt_name(in[i].dtype));
        switch (op) {
        case WG_OP_LOAD: put(s, " in%d", in[i].arg); break;
        case WG_OP_GET: put(s, " l%d", in[i].arg); break;
        case WG_OP_SET: put(s, " l%d %s%d", in[i].arg, pfx, in[i].src[0]); break;
        case WG_OP_LOAD_AT: put(s, " in%d %s%d", in[i].arg, pfx, in[i].src[0]); break;
        case WG_OP_OUT_LOAD_AT: put(s, " out%d %s%d", in[i].arg, pfx, in[i].src[0]); break;
        case WG_OP_SHARED_LOAD: put(s, " sh%d %s%d", in[i].arg, pfx, in[i].src[0]); break;
        case WG_OP_SHARED_STORE: case WG_OP_SHARED_ATOMIC_ADD: case WG_OP_SHARED_ATOMIC_MAX:
        case WG_OP_SHARED_ATOMIC_MIN:
            put(s, " sh%d %s%d %s%d", in[i].arg, pfx, in[i].src[0], pfx, in[i].src[1]);
            break;
        case WG_OP_SHARED_ATOMIC_CAS:
            put(s, " sh%d %s%d %s%d %s%d", in[i].arg, pfx, in[i].src[0], pfx, in[i].src[1], pfx,
                in[i].src[2]);
            break;
        case WG_OP_STORE_AT: case WG_OP_ATOMIC_ADD: case WG_OP_ATOMIC_MAX: case WG_OP_ATOMIC_MIN:
            put(s, " out%d %s%d %s%d", in[i].arg, pfx, in[i].src[0], pfx, in[i].src[1]);
            break;
        case WG_OP_ATOMIC_CAS:
            put(s, " out%d %s%d %s%d %s%d", in[i].arg, pfx, in[i].src[0], pfx, in[i].src[1], pfx,
                in[i].src[2]);
            break;
        case WG_OP_PARAM: put(s, " p%d", in[i].arg); break;
        case WG_OP_INDEX: put(s, " dim%d", in[i].arg); break;
        case WG_OP_ACC: break;
        default: {
            int ar = op < WG_NOPS ? op_arity[op] : 0;
            for (int q = 0; q < ar; q++) put(s, " %s%d", pfx, in[i].src[q]);
            break;
        }
        }
        put(s, "\n");
    }
}

int wgI_dump(const wg_kernel_ir *k, char *buf, size_t n) {
    sbuf s = {buf, n, 0};
    if (n) buf[0] = 0;
    const char *kind = k->kind >= 0 && k->kind <= 2 ? kind_names[k->kind] : "?";
    put(&s, "kernel %s ndim=%d hash=%016llx\n", kind, k->ndim, (unsigned long long)wgI_hash(k));
    put(&s, "  in:");
    for (int j = 0; j < k->ninputs && j < WG_KMAX_IO; j++) put(&s, " %s", dt_name(k->input_dtype[j]));
    put(&s, "\n  out:");
    for (int j = 0; j < k->noutputs && j < WG_KMAX_IO; j++) put(&s, " %s", dt_name(k->output_dtype[j]));
    put(&s, "\n  params:");
    for (int j = 0; j < k->nparams && j < WG_KMAX_PARAMS; j++)
    {
        put(&s, " %s", dt_name(k->param_dtype[j]));
        if (k->param_const[j]) put(&s, "=0x%llx", (unsigned long long)k->param_value[j].u);
    }
    put(&s, "\n");
    if (k->inst) dump_insts(&s, k->inst, k->ninst, "%");
    if (k->kind == WG_K_ELEMENTWISE && k->stmt) {
        put(&s, "  locals:");
        for (int v = 0; v < k->nvars && v < WG_KMAX_VARS; v++) put(&s, " %s", dt_name(k->var_dtype[v]));
        put(&s, "\n");
        if (k->wg_block) put(&s, "  workgroup %d\n", k->wg_block);
        if (k->in_range) put(&s, "  in range\n");
        for (int a = 0; a < k->nshared && a < WG_KMAX_SHARED; a++)
            put(&s, "  shared%d %s[%u]\n", a, dt_name(k->shared_dtype[a]), k->shared_len[a]);
        for (int j = 0; j < k->noutputs && j < WG_KMAX_IO; j++) {
            if (k->output_raw[j]) put(&s, "  out%d raw\n", j);
            else put(&s, "  out%d <- l%d\n", j, k->out_var[j]);
        }
    } else if (k->kind == WG_K_ELEMENTWISE && k->native) {
        put(&s, "  native %s%s '%s'\n", (k->native & WG_NATIVE_LANG) == WG_NATIVE_WGSL ? "WGSL" : "GLSL",
            k->native & WG_NATIVE_REDUCE ? " reduction" : "", wgI_native_field(k, 0));
    } else if (k->kind == WG_K_ELEMENTWISE) {
        for (int j = 0; j < k->noutputs && j < WG_KMAX_IO; j++)
            put(&s, "  out%d <- %%%d\n", j, k->out_inst[j]);
    } else if (k->kind == WG_K_REDUCE) {
        const char *f = k->fold >= 0 && k->fold <= WG_FOLD_ALL ? fold_names[k->fold] : "?";
        put(&s, "  fold %s over last %d dims, acc %s\n", f, k->nred, dt_name(k->acc_dtype));
        if (k->post && k->npost > 0) dump_insts(&s, k->post, k->npost, "$");
    }
    if (s.len > (size_t)0x7fffffff) return 0x7fffffff;
    return (int)s.len;
}

const char *wgI_native_field(const wg_kernel_ir *k, int f) {
    const char *p = k->native_text, *end = p ? p + k->native_len : NULL;
    if (!p || !k->native_len || end[-1] != 0) return "";
    for (; f > 0 && p < end; f--) p += strlen(p) + 1;
    return p < end ? p : "";
}

int wgI_native_equal(const wg_kernel_ir *a, const wg_kernel_ir *b) {
    if (a->native != b->native) return 0;
    if (!a->native) return 1;
    int n = a->ninputs > 0 && a->ninputs <= WG_KMAX_IO ? a->ninputs : 0;
    return a->native_nred == b->native_nred && a->native_nuni == b->native_nuni &&
           a->native_len == b->native_len && !memcmp(a->native_kind, b->native_kind, (size_t)n) &&
           !memcmp(a->native_ndim, b->native_ndim, (size_t)n) &&
           (!a->native_len || !memcmp(a->native_text, b->native_text, a->native_len));
}

void wgI_free(wg_kernel_ir *k) {
    if (!k) return;
    wgB_free(k->native_text);
    wgB_free(k->inst);
    wgB_free(k->post);
    wgB_free(k);
}

wg_kernel_ir *wgI_clone(wg_context *ctx, const wg_kernel_ir *k) {
    wg_kernel_ir *c = wgB_malloc(ctx, sizeof *c);
    if (!c) return NULL;
    *c = *k;
    c->inst = NULL;
    c->post = NULL;
    c->native_text = NULL;
    if (k->native_text && k->native_len) {
        c->native_text = wgB_malloc(ctx, k->native_len);
        if (!c->native_text) {
            wgI_free(c);
            return NULL;
        }
        memcpy(c->native_text, k->native_text, k->native_len);
    }
    if (k->inst && k->ninst > 0) {
        c->inst = wgB_malloc(ctx, sizeof(wg_inst) * (size_t)k->ninst);
        if (!c->inst) {
            wgI_free(c);
            return NULL;
        }
        memcpy(c->inst, k->inst, sizeof(wg_inst) * (size_t)k->ninst);
    }
    if (k->post && k->npost > 0) {
        c->post = wgB_malloc(ctx, sizeof(wg_inst) * (size_t)k->npost);
        if (!c->post) {
            wgI_free(c);
            return NULL;
        }
        memcpy(c->post, k->post, sizeof(wg_inst) * (size_t)k->npost);
    }
    c->hash = wgI_hash(c);
    return c;
}
