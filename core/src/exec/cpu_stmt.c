/*
 * cpu_stmt.c — statement kernels (ir.h) on the cpu executor.
 *
 * Blocks of points run SIMT-style, as ISPC and GPUs do: every value instruction is computed for
 * all points of the block with the same loops as straight-line programs (cpu_eval.c), and control
 * flow moves an active-lane mask.  IF narrows the mask, LOOP repeats while any lane is still in
 * it, BREAK/CONTINUE/RETURN take lanes out; when no lane is left in a block part, execution skips
 * to its end.  Only the statements with an effect look at the mask: SET, STORE_AT, ATOMIC_ADD.
 * Values computed for inactive lanes are never observed; every op is defined for every input
 * (NumPy semantics, no traps), and raw accesses are bounds-checked, so computing them is safe.
 *
 * Why blocks and not one point at a time: a divergence-free kernel (the usual user kernel, a
 * Mandelbrot loop) then runs the same vectorized loops as a fused chain; a block of one point is
 * the per-point evaluator, and bench/stmt_cpu.py measures both (docs/kernels.md).
 *
 * Locals live per lane (nvars * points * 8 bytes) and start at zero for every point.  Values are
 * not given reused slots as in straight-line programs: in a loop, a value defined before the loop
 * is read again on every iteration, so each value keeps its own slot.
 */
#include <stdlib.h>
#include <string.h>

#include "cpu_internal.h"
#include "../base/context.h"

static int stmt_block = 0;

void wgX_set_stmt_block(int points) {
    stmt_block = points < 1 ? 1 : points > WGX_BLK ? WGX_BLK : points;
}

/* WGPY_CPU_STMT_BLOCK=n (bench/stmt_cpu.py): points per block, 1 = the per-point evaluator. */
static int block_points(void) {
    if (stmt_block == 0) {
        const char *e = getenv("WGPY_CPU_STMT_BLOCK");
        wgX_set_stmt_block(e ? atoi(e) : WGX_BLK);
    }
    return stmt_block;
}

typedef struct frame {
    int op;           /* IF or LOOP */
    int start;        /* its instruction */
    uint8_t *entry;   /* lanes active when it was entered */
    uint8_t *cond;    /* IF: the condition; LOOP: lanes that left with BREAK */
    uint8_t *cont;    /* LOOP: lanes that took CONTINUE this iteration */
} frame;

typedef struct stmt_run {
    wgx_eval e;                  /* the value instructions' evaluator (compute, slots) */
    const wg_kernel_ir *k;
    int cap;
    int *match;                  /* IF -> ELSE or END, ELSE -> END, LOOP -> END, CONTINUING -> END,
                                  * END -> its IF/LOOP */
    int *part_end;               /* instruction i -> the ELSE/CONTINUING/END closing its part */
    char *vars;                  /* nvars * cap * 8 */
    uint8_t *masks;              /* (3 * depth + 2) * cap */
    uint8_t *ret;                /* lanes that took RETURN */
    frame fr[WG_KMAX_DEPTH + 1];
    const char *out_base[WG_KMAX_IO];
    int64_t in_nelem[WG_KMAX_IO], out_nelem[WG_KMAX_IO];  /* elements from the operand's offset */
    int64_t linear_stride[WG_MAX_NDIM];
    char *shared[WG_KMAX_SHARED];  /* workgroup arrays: one copy per workgroup of the block */
    char *shared_mem;
    size_t shared_bytes;
} stmt_run;

static int cls_size(int dt) { return wgD_class_size(wgD_class(dt)); }

static char *slot_of(stmt_run *r, int i) {
    return (char *)r->e.mem + (size_t)r->e.slot[i] * (size_t)r->cap * 8;
}

/* Jump targets of the block markers, and for every instruction the marker that ends its part. */
static void match_blocks(stmt_run *r) {
    const wg_inst *in = r->k->inst;
    int stack[WG_KMAX_DEPTH + 1], part[WG_KMAX_DEPTH + 1], depth = 0;
    for (int i = 0; i < r->k->ninst; i++) {
        int op = in[i].op;
        if (op == WG_OP_IF || op == WG_OP_LOOP) {
            stack[++depth] = i;
            part[depth] = i;
        } else if (op == WG_OP_ELSE || op == WG_OP_CONTINUING) {
            r->match[part[depth]] = i;
            part[depth] = i;
        } else if (op == WG_OP_END) {
            r->match[part[depth]] = i;
            r->match[i] = stack[depth];
            depth--;
        }
    }
    /* part_end, walking backwards with a stack of the terminators of the open parts.  A marker
     * that opens a part (IF, ELSE, LOOP, CONTINUING) skips to that part's terminator. */
    int term[WG_KMAX_DEPTH + 2], sp = 0;
    term[0] = r->k->ninst;  /* top level: the end of the program */
    for (int i = r->k->ninst - 1; i >= 0; i--) {
        int op = in[i].op;
        if (op == WG_OP_END) {
            r->part_end[i] = term[sp];
            term[++sp] = i;
        } else if (op == WG_OP_ELSE || op == WG_OP_CONTINUING) {
            r->part_end[i] = r->match[i];
            term[sp] = i;
        } else if (op == WG_OP_IF || op == WG_OP_LOOP) {
            sp--;
            r->part_end[i] = r->match[i];
        } else {
            r->part_end[i] = term[sp];
        }
    }
}

static int any(const uint8_t *m, int n) {
    uint64_t acc = 0;  /* eight lanes a word */
    int t = 0;
    for (; t + 8 <= n; t += 8) {
        uint64_t w;
        memcpy(&w, m + t, 8);
        acc |= w;
    }
    for (; t < n; t++) acc |= m[t];
    return acc != 0;
}

/* The ops after which the active mask may have emptied. */
static int narrows(int op) {
    switch (op) {
    case WG_OP_IF: case WG_OP_ELSE: case WG_OP_CONTINUING: case WG_OP_BREAK:
    case WG_OP_CONTINUE: case WG_OP_RETURN:
        return 1;
    default: return 0;
    }
}

/* The innermost LOOP frame at or below depth d, or NULL. */
static frame *inner_loop(stmt_run *r, int d) {
    for (; d > 0; d--)
        if (r->fr[d].op == WG_OP_LOOP) return &r->fr[d];
    return NULL;
}

/* m = entry minus the lanes that left (BREAK/CONTINUE of the innermost loop, RETURN).  Masks
 * hold 0 or 1, so this is byte arithmetic the compiler vectorizes. */
static void rejoin(stmt_run *r, uint8_t *restrict m, const uint8_t *restrict entry, int d, int n,
                   int with_cont) {
    frame *L = inner_loop(r, d);
    const uint8_t *restrict ret = r->ret;
    if (!L) {
        WGX_FOR(t, n, m[t] = entry[t] & (uint8_t)(ret[t] ^ 1););
        return;
    }
    const uint8_t *restrict brk = L->cond, *restrict cont = L->cont;
    if (with_cont)
        WGX_FOR(t, n, m[t] = entry[t] & (uint8_t)((ret[t] | brk[t] | cont[t]) ^ 1););
    else
        WGX_FOR(t, n, m[t] = entry[t] & (uint8_t)((ret[t] | brk[t]) ^ 1););
}

static int64_t index_at(const void *v, int dt, int t) {
    if (wgD_class(dt) == WGD_CU) return (int64_t)((const uint64_t *)v)[t];
    return ((const int64_t *)v)[t];
}

static void linear_values(stmt_run *r, const wgx_block *b, int dt, int n, void *out) {
    int64_t *o = (int64_t *)out;
    int nd = r->k->ndim, pos = 0;
    for (int s = 0; s < b->nseg; s++) {
        const int64_t *si = b->segidx + (size_t)s * WG_MAX_NDIM;
        int64_t base = 0;
        for (int d = 0; d < nd; d++) base += si[d] * r->linear_stride[d];
        for (int t = 0; t < b->seglen[s]; t++) o[pos + t] = base + t;
        pos += b->seglen[s];
    }
    if (dt != WG_INT64) wgX_wrap_block(dt, n, o);
}

/* max/min of two class values (CUDA's atomicMax/atomicMin: a NaN operand gives the other) */
#define PICK_(T, a, b, gt) (gt ? (*(const T *)(b) > *(const T *)(a) || *(const T *)(a) != *(const T *)(a) ? \
                                  *(const T *)(b) : *(const T *)(a))                                    \
                               : (*(const T *)(b) < *(const T *)(a) || *(const T *)(a) != *(const T *)(a) ? \
                                  *(const T *)(b) : *(const T *)(a)))

/* ATOMIC_ADD/MAX/MIN/CAS on one element: returns the old value in *old (class representation);
 * v2 is CAS's new value (v its comparand). */
static void atomic_one(int op, int dt, char *p, const char *v, const char *v2, char *old) {
    char sum[8];
    wgX_load_conv(dt, p, 1, 1, old);
    int c = wgD_class(dt);
    if (op == WG_OP_ATOMIC_CAS) {
        if (memcmp(old, v, (size_t)cls_size(dt))) return;
        memcpy(sum, v2, (size_t)cls_size(dt));
    } else if (op == WG_OP_ATOMIC_MAX || op == WG_OP_ATOMIC_MIN) {
        int gt = op == WG_OP_ATOMIC_MAX;
        switch (c) {
        case WGD_CI: *(int64_t *)sum = PICK_(int64_t, old, v, gt); break;
        case WGD_CU: *(uint64_t *)sum = PICK_(uint64_t, old, v, gt); break;
        case WGD_CF: *(float *)sum = PICK_(float, old, v, gt); break;
        default: *(double *)sum = PICK_(double, old, v, gt); break;
        }
    } else {
        switch (c) {
        case WGD_CI: *(int64_t *)sum = (int64_t)((uint64_t) * (int64_t *)old + (uint64_t) * (const int64_t *)v); break;
        case WGD_CU: *(uint64_t *)sum = *(uint64_t *)old + *(const uint64_t *)v; break;
        case WGD_CF: *(float *)sum = *(float *)old + *(const float *)v; break;
        default: *(double *)sum = *(double *)old + *(const double *)v; break;
        }
    }
    wgX_wrap_block(dt, 1, sum);
    char tmp[8];
    wgX_store_value(dt, dt, p, 1, 1, sum, tmp);
}

/* The effectful raw accesses, lane by lane in lane order. */
static void raw_access(stmt_run *r, int i, int n, const uint8_t *m) {
    const wg_inst *in = &r->k->inst[i];
    const void *idx = r->e.val[in->src[0]];
    int idt = r->k->inst[in->src[0]].dtype, a = in->arg;
    if (in->op == WG_OP_LOAD_AT || in->op == WG_OP_OUT_LOAD_AT) {
        int dt = in->dtype, cs = cls_size(dt), isz = wgD_itemsize(dt);
        int out = in->op == WG_OP_OUT_LOAD_AT;
        const char *base = out ? r->out_base[a] : r->e.in_base[a];
        int64_t lim = out ? r->out_nelem[a] : r->in_nelem[a];
        char *dst = slot_of(r, i);
        (void)cs;
        (void)isz;
        /* index classes are 8 bytes; an unsigned index above INT64_MAX reads as negative */
        wgX_gather_conv(dt, base, lim, (const int64_t *)idx, n, dst);
        r->e.val[i] = dst;
        return;
    }
    int dt = r->k->output_dtype[a], cs = cls_size(dt), isz = wgD_itemsize(dt);
    const char *v = r->e.val[in->src[1]];
    char *old = in->op != WG_OP_STORE_AT ? slot_of(r, i) : NULL;
    const char *v2 = in->op == WG_OP_ATOMIC_CAS ? r->e.val[in->src[2]] : NULL;
    if (old) memset(old, 0, (size_t)n * (size_t)cs);
    int ic = wgD_class(idt);
    if (!old && (dt == WG_FLOAT32 || dt == WG_FLOAT64) && cs == isz &&
        (ic == WGD_CI || ic == WGD_CU)) {
        /* a plain store of float32/float64 values (their class is the element's layout) by an
         * 8-byte index: one tight loop (a negative index, as unsigned, is past the end) */
        const uint64_t *ix = (const uint64_t *)idx;
        uint64_t lim = (uint64_t)r->out_nelem[a];
        if (isz == 4) {
            float *o = (float *)r->out_base[a];
            const float *vv = (const float *)v;
            for (int t = 0; t < n; t++)
                if (m[t] && ix[t] < lim) o[ix[t]] = vv[t];
        } else {
            double *o = (double *)r->out_base[a];
            const double *vv = (const double *)v;
            for (int t = 0; t < n; t++)
                if (m[t] && ix[t] < lim) o[ix[t]] = vv[t];
        }
        return;
    }
    for (int t = 0; t < n; t++) {
        int64_t e = index_at(idx, idt, t);
        if (!m[t] || e < 0 || e >= r->out_nelem[a]) continue;
        char *p = (char *)r->out_base[a] + e * isz;
        if (old) {
            atomic_one(in->op, dt, p, v + (size_t)t * cs, v2 ? v2 + (size_t)t * cs : NULL,
                       old + (size_t)t * cs);
        } else {
            char tmp[8];
            wgX_store_value(dt, dt, p, 1, 1, v + (size_t)t * cs, tmp);
        }
    }
    if (old) r->e.val[i] = old;
}

/* SHARED_LOAD / SHARED_STORE: lane t is in workgroup t / wg_block of the block (blocks hold
 * whole workgroups); an element outside the array reads as zero and is not written. */
static void shared_access(stmt_run *r, int i, int n, const uint8_t *m) {
    const wg_inst *in = &r->k->inst[i];
    int a = in->arg, dt = r->k->shared_dtype[a], cs = cls_size(dt), isz = wgD_itemsize(dt);
    int64_t len = (int64_t)r->k->shared_len[a];
    int wb = r->k->wg_block;
    const void *idx = r->e.val[in->src[0]];
    int idt = r->k->inst[in->src[0]].dtype;
    char *base = r->shared[a];
    if (in->op == WG_OP_SHARED_LOAD) {
        char *dst = slot_of(r, i);
        for (int t = 0; t < n; t++) {
            int64_t e = index_at(idx, idt, t);
            if (e < 0 || e >= len) memset(dst + (size_t)t * cs, 0, (size_t)cs);
            else wgX_load_conv(dt, base + ((t / wb) * len + e) * isz, 1, 1, dst + (size_t)t * cs);
        }
        r->e.val[i] = dst;
        return;
    }
    const char *v = r->e.val[in->src[1]];
    if (in->op != WG_OP_SHARED_STORE) {  /* the atomics: lane by lane, in lane order */
        static const int aop[4] = {WG_OP_ATOMIC_ADD, WG_OP_ATOMIC_MAX, WG_OP_ATOMIC_MIN, WG_OP_ATOMIC_CAS};
        int op = aop[in->op - WG_OP_SHARED_ATOMIC_ADD];
        const char *v2 = op == WG_OP_ATOMIC_CAS ? r->e.val[in->src[2]] : NULL;
        char *old = slot_of(r, i);
        memset(old, 0, (size_t)n * (size_t)cs);  /* an element outside the array: 0, no update */
        for (int t = 0; t < n; t++) {
            int64_t e = index_at(idx, idt, t);
            if (!m[t] || e < 0 || e >= len) continue;
            atomic_one(op, dt, base + ((t / wb) * len + e) * isz, v + (size_t)t * cs,
                       v2 ? v2 + (size_t)t * cs : NULL, old + (size_t)t * cs);
        }
        r->e.val[i] = old;
        return;
    }
    for (int t = 0; t < n; t++) {
        int64_t e = index_at(idx, idt, t);
        if (!m[t] || e < 0 || e >= len) continue;
        char tmp[8];
        wgX_store_value(dt, dt, base + ((t / wb) * len + e) * isz, 1, 1, v + (size_t)t * cs, tmp);
    }
}

static void load_at_point(stmt_run *r, const wgx_block *b, int i, int n) {
    const wg_inst *in = &r->k->inst[i];
    int a = in->arg, dt = in->dtype, isz = wgD_itemsize(dt), cs = cls_size(dt);
    int nops = r->e.it->nops, pos = 0;
    char *out = slot_of(r, i);
    for (int s = 0; s < b->nseg; s++) {
        const char *p = r->e.in_base[a] + b->segoff[(size_t)s * nops + a] * isz;
        wgX_load_conv(dt, p, r->e.in_inner[a], b->seglen[s], out + (size_t)pos * cs);
        pos += b->seglen[s];
    }
    (void)n;
    r->e.val[i] = out;
}

/* v[t] = m[t] ? src[t] : v[t], as selects the compiler vectorizes (a SET under a mask). */
static void set_masked4(int n, const uint8_t *restrict m, const void *restrict src, void *restrict dst) {
    const uint32_t *restrict s = src;
    uint32_t *restrict d = dst;
    WGX_FOR(t, n, uint32_t k = 0u - (uint32_t)m[t]; d[t] = (s[t] & k) | (d[t] & ~k););
}
static void set_masked8(int n, const uint8_t *restrict m, const void *restrict src, void *restrict dst) {
    const uint64_t *restrict s = src;
    uint64_t *restrict d = dst;
    WGX_FOR(t, n, uint64_t k = 0u - (uint64_t)m[t]; d[t] = (s[t] & k) | (d[t] & ~k););
}

/* Runs the program on block b; m is the active mask (all lanes on entry). */
static void run_block(stmt_run *r, const wgx_block *b, uint8_t *m) {
    const wg_kernel_ir *k = r->k;
    const wg_inst *inst = k->inst;
    int n = b->n, d = 0, cap = r->cap;
    if (n <= 0 || n > cap) return;
    memset(r->ret, 0, (size_t)n);
    memset(r->vars, 0, (size_t)k->nvars * (size_t)cap * 8);
    int pc = 0;
    while (pc < k->ninst) {
        const wg_inst *in = &inst[pc];
        int op = in->op;
        switch (op) {
        case WG_OP_IF: {
            frame *f = &r->fr[++d];
            f->op = op;
            f->start = pc;
            memcpy(f->entry, m, (size_t)n);
            const int64_t *restrict c = r->e.val[in->src[0]];
            uint8_t *restrict cond = f->cond;
            WGX_FOR(t, n, cond[t] = (uint8_t)(c[t] != 0); m[t] &= cond[t];);
            break;
        }
        case WG_OP_ELSE: {
            frame *f = &r->fr[d];
            rejoin(r, m, f->entry, d - 1, n, 1);
            for (int t = 0; t < n; t++) m[t] &= (uint8_t)(f->cond[t] ^ 1);
            break;
        }
        case WG_OP_LOOP: {
            frame *f = &r->fr[++d];
            f->op = op;
            f->start = pc;
            memcpy(f->entry, m, (size_t)n);
            memset(f->cond, 0, (size_t)n);
            memset(f->cont, 0, (size_t)n);
            break;
        }
        case WG_OP_CONTINUING: {
            frame *f = &r->fr[d];
            memset(f->cont, 0, (size_t)n);
            rejoin(r, m, f->entry, d, n, 0);
            break;
        }
        case WG_OP_END: {
            frame *f = &r->fr[d];
            if (f->op == WG_OP_LOOP) {
                memset(f->cont, 0, (size_t)n);
                rejoin(r, m, f->entry, d, n, 0);
                if (any(m, n)) {
                    pc = f->start + 1;
                    continue;
                }
                d--;
                rejoin(r, m, f->entry, d, n, 1);
            } else {
                d--;
                rejoin(r, m, f->entry, d, n, 1);
            }
            break;
        }
        case WG_OP_BREAK: case WG_OP_CONTINUE: case WG_OP_RETURN: {
            frame *L = inner_loop(r, d);
            uint8_t *into = op == WG_OP_RETURN || !L ? r->ret : op == WG_OP_BREAK ? L->cond : L->cont;
            for (int t = 0; t < n; t++) into[t] |= m[t];
            memset(m, 0, (size_t)n);
            break;
        }
        case WG_OP_SET: {
            char *v = r->vars + (size_t)in->arg * (size_t)cap * 8;
            const void *src = r->e.val[in->src[0]];
            if (cls_size(k->var_dtype[in->arg]) == 4) set_masked4(n, m, src, v);
            else set_masked8(n, m, src, v);
            break;
        }
        case WG_OP_GET: {
            int cs = cls_size(in->dtype);
            char *out = slot_of(r, pc);
            memcpy(out, r->vars + (size_t)in->arg * (size_t)cap * 8, (size_t)n * (size_t)cs);
            r->e.val[pc] = out;
            break;
        }
        case WG_OP_LOAD_AT: case WG_OP_OUT_LOAD_AT: case WG_OP_STORE_AT: case WG_OP_ATOMIC_ADD:
        case WG_OP_ATOMIC_MAX: case WG_OP_ATOMIC_MIN: case WG_OP_ATOMIC_CAS:
            raw_access(r, pc, n, m);
            break;
        case WG_OP_SHARED_LOAD: case WG_OP_SHARED_STORE: case WG_OP_SHARED_ATOMIC_ADD:
        case WG_OP_SHARED_ATOMIC_MAX: case WG_OP_SHARED_ATOMIC_MIN: case WG_OP_SHARED_ATOMIC_CAS:
            shared_access(r, pc, n, m);
            break;
        case WG_OP_BARRIER:
            break; /* the points of a block run in lock step (whole workgroups: Python pads them) */
        case WG_OP_LINEAR:
            linear_values(r, b, in->dtype, n, slot_of(r, pc));
            r->e.val[pc] = slot_of(r, pc);
            break;
        case WG_OP_LOAD:
            load_at_point(r, b, pc, n);
            break;
        case WG_OP_PARAM:
            break; /* filled once */
        case WG_OP_INDEX:
            wgX_fill_index(&r->e, b, r->e.it, in->arg, in->dtype, slot_of(r, pc));
            r->e.val[pc] = slot_of(r, pc);
            break;
        default: {
            int ar = wgI_op_arity[op];
            const void *a = ar > 0 ? r->e.val[in->src[0]] : NULL;
            const void *bb = ar > 1 ? r->e.val[in->src[1]] : NULL;
            const void *c = ar > 2 ? r->e.val[in->src[2]] : NULL;
            char *out = slot_of(r, pc);
            wgX_compute(&r->e, in, n, a, bb, c, out);
            if (wgX_needs_wrap(op, in->dtype)) wgX_wrap_block(in->dtype, n, out);
            r->e.val[pc] = out;
            break;
        }
        }
        /* no lane left in this part: go to the marker that ends it */
        if (narrows(op) && !any(m, n)) {
            pc = r->part_end[pc];
            continue;
        }
        pc++;
    }
}

static int setup(wg_context *ctx, stmt_run *r, const wg_kernel_ir *k, const wg_kernel_args *args,
                 int cap) {
    memset(r, 0, sizeof *r);
    r->k = k;
    r->cap = cap;
    int st = wgI_check_stmt(ctx, k, WG_ERR_INTERNAL);
    if (st) return st;
    wgx_eval *e = &r->e;
    e->k = k;
    e->args = args;
    e->inst = k->inst;
    e->ninst = k->ninst;
    e->cap = cap;
    e->inner_dim = -1;
    e->direct_inst = -1;
    if (k->ninst <= 0 || k->ninst > 65535)
        return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: empty or oversized program (%d)", k->ninst);
    for (int i = 0; i < k->ninst; i++)
        if ((st = wgX_check_inst(ctx, k, k->inst, i, 0))) return st;
    size_t nn = (size_t)k->ninst;
    char *mem = wgB_calloc(ctx, nn, sizeof(void *) + 3 * sizeof(int));
    if (!mem) return WG_ERR_MEMORY;
    e->freeme = mem;
    e->val = (const void **)mem;
    e->slot = (int *)(mem + nn * sizeof(void *));
    r->match = e->slot + nn;
    r->part_end = r->match + nn;
    int nslots = 0;
    for (int i = 0; i < k->ninst; i++) {
        int op = k->inst[i].op;
        e->slot[i] = wgI_op_is_stmt(op) ? -1 : nslots++;
    }
    e->nslots = nslots;
    size_t slot_bytes = (size_t)(nslots ? nslots : 1) * (size_t)cap * 8;
    size_t var_bytes = (size_t)k->nvars * (size_t)cap * 8;
    size_t mask_bytes = (size_t)(3 * (WG_KMAX_DEPTH + 1) + 2) * (size_t)cap;
    e->mem = wgX_alloc_aligned(ctx, slot_bytes + var_bytes + mask_bytes);
    if (!e->mem) return WG_ERR_MEMORY;
    r->vars = (char *)e->mem + slot_bytes;
    uint8_t *mk = (uint8_t *)r->vars + var_bytes;
    for (int f = 0; f <= WG_KMAX_DEPTH; f++) {
        r->fr[f].entry = mk + (size_t)(3 * f) * (size_t)cap;
        r->fr[f].cond = mk + (size_t)(3 * f + 1) * (size_t)cap;
        r->fr[f].cont = mk + (size_t)(3 * f + 2) * (size_t)cap;
    }
    r->ret = mk + (size_t)(3 * (WG_KMAX_DEPTH + 1)) * (size_t)cap;
    match_blocks(r);
    for (int i = 0; i < k->ninst; i++) {
        if (k->inst[i].op != WG_OP_PARAM) continue;
        int dt = k->inst[i].dtype, pd = k->param_dtype[k->inst[i].arg];
        wg_value v = wgD_convert(args->params[k->inst[i].arg], pd, dt);
        char *p = slot_of(r, i);
        int cs = cls_size(dt);
        wgX_scalar_to_class(dt, v, p);
        for (int t = 1; t < cap; t++) memcpy(p + (size_t)t * cs, p, (size_t)cs);
        e->val[i] = p;
    }
    return WG_OK;
}

int wgX_run_stmt(wg_context *ctx, const wg_kernel_ir *k, const wg_kernel_args *args) {
    int nin = k->ninputs, nout = k->noutputs, nops = nin + nout;
    int64_t total = 1;
    for (int d = 0; d < k->ndim; d++) total *= args->shape[d];
    int bp = block_points();
    int cap = total < bp ? (int)(total > 0 ? total : 1) : bp;
    stmt_run *r = wgB_malloc(ctx, sizeof *r);
    if (!r) return WG_ERR_MEMORY;
    int st = setup(ctx, r, k, args, cap);
    if (st || total == 0) goto done;

    /* The iterator visits points in C order (no reordering: LINEAR and STORE_AT order follow
     * the points' order, as the GPU's point numbering does). */
    wgx_iter it;
    memset(&it, 0, sizeof it);
    it.nd = k->ndim;
    it.nops = nops;
    int64_t stride = 1;
    for (int d = k->ndim - 1; d >= 0; d--) {
        r->linear_stride[d] = stride;
        stride *= args->shape[d];
    }
    for (int d = 0; d < k->ndim; d++) {
        it.shape[d] = args->shape[d];
        it.dimid[d] = d;
        for (int j = 0; j < nin; j++) it.st[j][d] = args->in[j].strides[d];
        for (int j = 0; j < nout; j++) it.st[nin + j][d] = args->out[j].strides[d];
    }
    /* scratch: a cast buffer for stores, the mask, block segments, segment multi-indices */
    size_t headbytes = ((size_t)cap * 9 + 63) & ~(size_t)63;
    size_t segbytes = ((size_t)cap * (sizeof(int) + sizeof(int64_t) * (size_t)nops) + 63) & ~(size_t)63;
    size_t idxbytes = (size_t)cap * WG_MAX_NDIM * sizeof(int64_t);
    char *scratch = wgX_alloc_aligned(ctx, headbytes + segbytes + idxbytes);
    if (!scratch) {
        st = WG_ERR_MEMORY;
        goto done;
    }
    void *tmp = scratch;
    uint8_t *mask = (uint8_t *)scratch + (size_t)cap * 8;
    wgx_block b;
    b.segoff = (int64_t *)(scratch + headbytes);
    b.seglen = (int *)(b.segoff + (size_t)cap * nops);
    b.segidx = (int64_t *)(scratch + headbytes + segbytes);
    int64_t inner[WGX_MAXOPS];
    for (int o = 0; o < nops; o++) inner[o] = it.nd ? it.st[o][it.nd - 1] : 0;
    char *out_base[WG_KMAX_IO];
    for (int j = 0; j < nin; j++) {
        int isz = wgD_itemsize(k->input_dtype[j]);
        r->e.in_base[j] = (const char *)args->in[j].buf->host + args->in[j].offset * isz;
        r->in_nelem[j] = args->in[j].buf->nbytes / isz - args->in[j].offset;
    }
    for (int j = 0; j < nout; j++) {
        int isz = wgD_itemsize(k->output_dtype[j]);
        out_base[j] = (char *)args->out[j].buf->host + args->out[j].offset * isz;
        r->out_base[j] = out_base[j];
        r->out_nelem[j] = args->out[j].buf->nbytes / isz - args->out[j].offset;
    }
    if (k->nshared) {
        /* workgroup arrays: each block of the executor holds whole workgroups (lock step) */
        if (cap % k->wg_block) {
            st = wgB_error(ctx, WG_ERR_NOTIMPL, "cpu: __shared__ arrays need blocks of whole "
                           "workgroups (%d points a block, workgroups of %d; leave "
                           "WGPY_CPU_STMT_BLOCK unset)", cap, k->wg_block);
            wgX_free_aligned(scratch);
            goto done;
        }
        size_t off[WG_KMAX_SHARED], tot = 0, groups = (size_t)(cap / k->wg_block);
        for (int a = 0; a < k->nshared; a++) {
            off[a] = tot;
            tot += (groups * k->shared_len[a] * (size_t)wgD_itemsize(k->shared_dtype[a]) + 63) & ~(size_t)63;
        }
        r->shared_mem = wgX_alloc_aligned(ctx, tot);
        if (!r->shared_mem) {
            st = WG_ERR_MEMORY;
            wgX_free_aligned(scratch);
            goto done;
        }
        r->shared_bytes = tot;
        for (int a = 0; a < k->nshared; a++) r->shared[a] = r->shared_mem + off[a];
    }
    r->e.in_inner = inner;
    r->e.it = &it;
    r->e.inner_dim = it.nd ? it.dimid[it.nd - 1] : -1;

    wgX_iter_start(&it);
    while (wgX_iter_next(&it, &b, cap) > 0) {
        memset(mask, 1, (size_t)b.n);
        if (r->shared_mem) memset(r->shared_mem, 0, r->shared_bytes);  /* zero, as WGSL's */
        run_block(r, &b, mask);
        for (int j = 0; j < nout; j++) {
            if (k->output_raw[j]) continue;
            wgX_store_block(k->var_dtype[k->out_var[j]], k->output_dtype[j], out_base[j],
                            inner[nin + j], &b, nops, nin + j,
                            r->vars + (size_t)k->out_var[j] * (size_t)cap * 8, tmp);
        }
    }
    wgX_free_aligned(scratch);
    if (r->e.bad_power)
        st = wgB_error(ctx, WG_ERR_VALUE, "Integers to negative integer powers are not allowed.");
done:
    if (r->shared_mem) wgX_free_aligned(r->shared_mem);
    wgX_eval_free(&r->e);
    wgB_free(r);
    return st;
}
