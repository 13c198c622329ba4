/* stmt — statement kernels for WGSL and GLSL ES 3.00 (stmt.h has the shape of the code).
 *
 * One analysis (block structure, scoping, slots, what the backend can run) and one walker that
 * turns the instruction list into nested blocks; the dialect table (expr.c) holds the spellings.
 * The languages differ in structure in one place only, the loop: WGSL has `loop { body continuing
 * { step } }`; GLSL ES 3.00 has no such loop, so a LOOP becomes
 *
 *   for (bool lf<i> = true;; lf<i> = false) { if (!lf<i>) { step } body }
 *
 * where `continue` goes to `lf<i> = false` and then the step at the top, and `break` leaves.
 * The step comes before the body's text there, so in both languages the CONTINUING part sees
 * only values of the blocks around the LOOP (the body's values go through locals). */
#include "stmt.h"
#include "../base/context.h"
#include "../dtype/dtype.h"

#include <stdio.h>
#include <string.h>

/* SET, STORE_AT, the block markers and the jumps: no value */
static int is_statement(int op) {
    switch (op) {
    case WG_OP_SET: case WG_OP_IF: case WG_OP_ELSE: case WG_OP_LOOP: case WG_OP_CONTINUING:
    case WG_OP_END: case WG_OP_BREAK: case WG_OP_CONTINUE: case WG_OP_RETURN: case WG_OP_STORE_AT:
    case WG_OP_BARRIER: case WG_OP_SHARED_STORE:
        return 1;
    default: return 0;
    }
}

/* Fails with NotImplementedError for a construct the backend cannot run (webgl2: a fragment
 * writes only its own point).  The text names the construct and the backend. */
static int refuse(wgC_gen *g, const char *construct, const char *why) {
    if (!g->err)
        g->err = wgB_error(g->ctx, WG_ERR_NOTIMPL, "%s is not supported on the %s backend%s%s", construct,
                           g->d->backend, why ? ": " : "", why ? why : "");
    return g->err;
}

static int malformed(wgC_gen *g, int i, const char *what) {
    if (!g->err)
        g->err = wgB_error(g->ctx, WG_ERR_INTERNAL, "%s codegen: statement kernel, instruction %d: %s",
                           g->d->backend, i, what);
    return g->err;
}

/* ---- analysis ---------------------------------------------------------------------------------- */
typedef struct frame {
    int at;      /* the IF or LOOP */
    int second;  /* in its ELSE / CONTINUING part */
    int serial;  /* the block's serial (values defined in it carry it) */
} frame;

typedef struct scan {
    frame f[WG_KMAX_DEPTH + 1]; /* f[0] is the program's top level */
    int depth;
    int serials;
    int32_t *blk;               /* the serial of the block each value was defined in */
} scan;

static int in_scope(const scan *sc, int serial) {
    for (int d = 0; d <= sc->depth; d++)
        if (sc->f[d].serial == serial) return 1;
    return 0;
}

/* the innermost LOOP's frame, or -1 */
static int innermost_loop(const wg_kernel_ir *k, const scan *sc) {
    for (int d = sc->depth; d >= 1; d--)
        if (k->inst[sc->f[d].at].op == WG_OP_LOOP) return d;
    return -1;
}

/* a block marker, or a jump: updates the frames and st */
static int scan_block_op(wgC_gen *g, wgC_stmt *st, scan *sc, int i) {
    const wg_kernel_ir *k = g->k;
    int op = k->inst[i].op;
    frame *top = &sc->f[sc->depth];
    switch (op) {
    case WG_OP_IF: case WG_OP_LOOP:
        if (sc->depth >= WG_KMAX_DEPTH) return malformed(g, i, "blocks nested too deep");
        st->mid[i] = -1;
        sc->f[++sc->depth] = (frame){i, 0, ++sc->serials};
        return 0;
    case WG_OP_ELSE: case WG_OP_CONTINUING: {
        int want = op == WG_OP_ELSE ? WG_OP_IF : WG_OP_LOOP;
        if (sc->depth == 0 || k->inst[top->at].op != want || top->second)
            return malformed(g, i, op == WG_OP_ELSE ? "ELSE outside an IF" : "CONTINUING outside a LOOP");
        st->mid[top->at] = i;
        top->second = 1;
        top->serial = ++sc->serials; /* the second part does not see the first part's values */
        return 0;
    }
    case WG_OP_END:
        if (sc->depth == 0) return malformed(g, i, "END without a block");
        st->end[top->at] = i;
        sc->depth--;
        return 0;
    case WG_OP_BREAK: case WG_OP_CONTINUE: {
        int d = innermost_loop(k, sc);
        if (d < 0) return malformed(g, i, "BREAK or CONTINUE outside a LOOP");
        if (sc->f[d].second) return malformed(g, i, "BREAK or CONTINUE in a loop's CONTINUING part");
        return 0;
    }
    case WG_OP_RETURN:
        for (int d = 1; d <= sc->depth; d++)
            if (k->inst[sc->f[d].at].op == WG_OP_LOOP && sc->f[d].second)
                return malformed(g, i, "RETURN in a loop's CONTINUING part");
        return 0;
    default: return 0;
    }
}

/* slots and raw-ness of an operand-addressing instruction; what this backend can run */
static int scan_access(wgC_gen *g, wgC_stmt *st, int i) {
    const wg_kernel_ir *k = g->k;
    const wg_inst *in = &k->inst[i];
    switch (in->op) {
    case WG_OP_LOAD:
        if (in->arg >= k->ninputs || k->input_raw[in->arg])
            return malformed(g, i, "LOAD of a raw or missing input (raw inputs are read with LOAD_AT)");
        return 0;
    case WG_OP_LOAD_AT:
        if (in->arg >= k->ninputs || !k->input_raw[in->arg])
            return malformed(g, i, "LOAD_AT of an input that is not raw");
        return 0;
    case WG_OP_GET: case WG_OP_SET:
        if (in->arg >= k->nvars) return malformed(g, i, "local out of range");
        return 0;
    case WG_OP_BARRIER:
        if (g->d->own_point_only)
            return refuse(g, "__syncthreads() (a workgroup barrier)", "a fragment runs alone");
        if (!k->wg_block) return malformed(g, i, "BARRIER outside a workgroup kernel");
        return 0;
    case WG_OP_SHARED_LOAD: case WG_OP_SHARED_STORE:
        if (g->d->own_point_only)
            return refuse(g, "__shared__ memory (a workgroup array)", "a fragment runs alone");
        if (in->arg >= k->nshared || !k->wg_block) return malformed(g, i, "workgroup array out of range");
        if (k->shared_dtype[in->arg] == WG_FLOAT16 || wgD_size(k->shared_dtype[in->arg]) > 4)
            return wgC_fail(g, WG_ERR_NOTIMPL, "a __shared__ array", k->shared_dtype[in->arg]);
        return 0;
    case WG_OP_SHARED_ATOMIC_ADD: case WG_OP_SHARED_ATOMIC_MAX: case WG_OP_SHARED_ATOMIC_MIN:
    case WG_OP_SHARED_ATOMIC_CAS: {
        if (g->d->own_point_only)
            return refuse(g, "an atomic operation on __shared__ memory (a workgroup array)", "a fragment runs alone");
        if (in->arg >= k->nshared || !k->wg_block) return malformed(g, i, "workgroup array out of range");
        int sdt = k->shared_dtype[in->arg];
        if (sdt != WG_INT32 && sdt != WG_UINT32 && sdt != WG_FLOAT32) {
            if (!g->err)
                g->err = wgB_error(g->ctx, WG_ERR_NOTIMPL,
                                   "atomic operations on a %s __shared__ array are not supported on the %s backend "
                                   "(int32, uint32 and float32 are)", wg_dtype_name(sdt), g->d->backend);
            return g->err;
        }
        st->atomic_sh[in->arg] |= (uint8_t)(1 | (in->op == WG_OP_SHARED_ATOMIC_MAX ? 2 : in->op == WG_OP_SHARED_ATOMIC_MIN ? 4
                                                 : in->op == WG_OP_SHARED_ATOMIC_CAS ? 8 : 0));
        return 0;
    }
    case WG_OP_OUT_LOAD_AT: case WG_OP_STORE_AT: case WG_OP_ATOMIC_ADD:
    case WG_OP_ATOMIC_MAX: case WG_OP_ATOMIC_MIN: case WG_OP_ATOMIC_CAS:
        break;
    default: return 0;
    }
    if (g->d->own_point_only) {
        const char *what = in->op == WG_OP_STORE_AT    ? "scatter store (raw output write)"
                           : in->op == WG_OP_ATOMIC_ADD ? "atomic add (raw output update)"
                           : in->op == WG_OP_ATOMIC_MAX ? "atomic max (raw output update)"
                           : in->op == WG_OP_ATOMIC_MIN ? "atomic min (raw output update)"
                           : in->op == WG_OP_ATOMIC_CAS ? "atomic compare-and-swap (raw output update)"
                                                        : "raw output read (OUT_LOAD_AT)";
        return refuse(g, what, "a fragment writes only its own point");
    }
    if (in->arg >= k->noutputs || !k->output_raw[in->arg])
        return malformed(g, i, "raw access to an output that is not raw");
    if (in->op != WG_OP_STORE_AT && in->op != WG_OP_OUT_LOAD_AT) {
        int odt = k->output_dtype[in->arg];
        const char *what = in->op == WG_OP_ATOMIC_ADD ? "add" : in->op == WG_OP_ATOMIC_MAX ? "max"
                         : in->op == WG_OP_ATOMIC_MIN ? "min" : "compare-and-swap";
        if (odt != WG_INT32 && odt != WG_UINT32 && odt != WG_FLOAT32) {
            if (!g->err)
                g->err = wgB_error(g->ctx, WG_ERR_NOTIMPL,
                                   "atomic %s on a %s output is not supported on the %s backend (int32, uint32 "
                                   "and float32 are)", what, wg_dtype_name(odt), g->d->backend);
            return g->err;
        }
        /* bit 1: any atomic; 2: max, 4: min, 8: compare-and-swap (their helpers) */
        st->atomic_out[in->arg] |= (uint8_t)(1 | (in->op == WG_OP_ATOMIC_MAX ? 2 : in->op == WG_OP_ATOMIC_MIN ? 4
                                                  : in->op == WG_OP_ATOMIC_CAS ? 8 : 0));
    }
    return 0;
}

/* sources: defined before, values (not statements), in scope */
static int scan_sources(wgC_gen *g, const scan *sc, int i) {
    const wg_inst *in = &g->k->inst[i];
    for (int j = 0; j < wgI_op_arity[in->op]; j++) {
        int s = in->src[j];
        if (s >= i) return malformed(g, i, "operand not defined before use");
        if (is_statement(g->k->inst[s].op)) return malformed(g, i, "operand is a statement");
        if (!in_scope(sc, sc->blk[s])) return malformed(g, i, "operand used outside its block");
    }
    return 0;
}

static int scan_program(wgC_gen *g, wgC_stmt *st, scan *sc) {
    const wg_kernel_ir *k = g->k;
    for (int i = 0; i < k->ninst; i++) {
        const wg_inst *in = &k->inst[i];
        if (in->op >= WG_NOPS || in->dtype > WG_FLOAT64) return malformed(g, i, "bad instruction");
        if (in->op == WG_OP_ACC) return malformed(g, i, "ACC outside a post program");
        if (scan_sources(g, sc, i) || scan_access(g, st, i) || scan_block_op(g, st, sc, i))
            return g->err;
        sc->blk[i] = sc->f[sc->depth].serial;
        if (in->op == WG_OP_LOAD_AT || in->op == WG_OP_OUT_LOAD_AT || in->op == WG_OP_STORE_AT ||
            in->op == WG_OP_ATOMIC_ADD || in->op == WG_OP_ATOMIC_MAX || in->op == WG_OP_ATOMIC_MIN ||
            in->op == WG_OP_ATOMIC_CAS)
            st->any_raw = 1;
        if (in->op == WG_OP_OUT_LOAD_AT || in->op == WG_OP_ATOMIC_ADD || in->op == WG_OP_ATOMIC_MAX ||
            in->op == WG_OP_ATOMIC_MIN || in->op == WG_OP_ATOMIC_CAS)
            st->reads_out = 1;
    }
    if (sc->depth != 0) return malformed(g, k->ninst, "a block is not closed");
    return 0;
}

/* locals' dtypes, and where each output's value comes from */
static int check_vars_and_outputs(wgC_gen *g) {
    const wg_kernel_ir *k = g->k;
    if (k->kind != WG_K_ELEMENTWISE) return malformed(g, 0, "a statement kernel must be ELEMENTWISE");
    if (k->nvars < 0 || k->nvars > WG_KMAX_VARS) return malformed(g, 0, "bad number of locals");
    for (int v = 0; v < k->nvars; v++) {
        if (k->var_dtype[v] > WG_FLOAT64) return malformed(g, 0, "bad local dtype");
        /* 64-bit locals are held in 32 bits, as 64-bit intermediates are */
        if (k->var_dtype[v] == WG_FLOAT16) return wgC_fail(g, WG_ERR_NOTIMPL, "a local", WG_FLOAT16);
    }
    for (int j = 0; j < k->noutputs; j++) {
        if (k->out_var[j] >= k->nvars) return malformed(g, 0, "output local out of range");
        if ((k->out_var[j] < 0) != (k->output_raw[j] != 0))
            return malformed(g, 0, "an output is raw exactly when it has no local (out_var < 0)");
    }
    return 0;
}

int wgC_stmt_begin(wgC_gen *g, wgC_stmt *st) {
    const wg_kernel_ir *k = g->k;
    memset(st, 0, sizeof *st);
    if (check_vars_and_outputs(g)) return g->err;
    size_t n = (size_t)(k->ninst > 0 ? k->ninst : 1);
    st->end = wgB_malloc(g->ctx, n * sizeof *st->end);
    st->mid = wgB_malloc(g->ctx, n * sizeof *st->mid);
    scan sc;
    memset(&sc, 0, sizeof sc);
    sc.blk = wgB_malloc(g->ctx, n * sizeof *sc.blk);
    if (!st->end || !st->mid || !sc.blk) {
        wgB_free(sc.blk);
        if (!g->err) g->err = wgB_error(g->ctx, WG_ERR_MEMORY, "%s codegen: out of memory", g->d->backend);
        return g->err;
    }
    scan_program(g, st, &sc);
    wgB_free(sc.blk);
    if (g->err) return g->err;
    /* what the values can be (range.h): NULL, when out of memory or past the analysis' budget,
     * keeps every wrapper */
    g->rng = st->rng = wgC_ranges(g->ctx, k, st->end, st->mid);
    if (g->d->own_point_only)
        for (int j = 0; j < k->noutputs; j++)
            if (k->output_raw[j])
                return refuse(g, "a raw output (written by index)", "a fragment writes only its own point");
    return 0;
}

void wgC_stmt_free(wgC_stmt *st) {
    wgB_free(st->end);
    wgB_free(st->mid);
    wgB_free(st->rng);
    st->end = st->mid = NULL;
    st->rng = NULL;
}

/* ---- the per-invocation state and the raw readers ------------------------------------------------ */
/* WGSL `var<private> name: T;` (zero-initialised by the language); GLSL `T name = zero;` (GLSL
 * leaves globals without an initializer undefined) */
static int is_output_var(const wg_kernel_ir *k, int v) {
    for (int j = 0; j < k->noutputs; j++)
        if (!k->output_raw[j] && k->out_var[j] == v) return 1;
    return 0;
}

/* Values that depend on nothing a kernel changes (parameters, non-raw inputs at the point) are
 * computed once at kbody's entry, not on every pass of a loop that uses them: a uniform word
 * read by a dynamic index and a storage load per iteration cost SwiftShader dearly. */
static int hoisted(const wg_kernel_ir *k, const wg_inst *in) {
    return in->op == WG_OP_PARAM || (in->op == WG_OP_LOAD && !k->input_raw[in->arg]);
}

/* Warp exchanges as subgroup shuffles (docs/kernels.md, "Warp intrinsics").  lang/warp.c lowers
 * a shuffle to four instructions, SHARED_STORE a, t, v; BARRIER 2; SHARED_LOAD a, e; BARRIER 2
 * (ir.h), e = t - lane + source lane.  Where the device's subgroups are exactly CUDA's warps
 * (wg_set_subgroups: 32 lanes, always; a one-dimensional workgroup of whole warps, so subgroup
 * s is invocations 32s .. 32s + 31 and its lane is t % 32) the four are one
 * subgroupShuffle(v, e % 32): no workgroup memory, no barrier.  s: the store's index. */
static int xchg_at(const wgC_gen *g, int s) {
    const wg_kernel_ir *k = g->k;
    if (!g->d->shuffle || !g->ctx->warp_subgroups || k->wg_block % 32 || s < 0 || s + 3 >= k->ninst)
        return 0;
    const wg_inst *in = &k->inst[s];
    return in->op == WG_OP_SHARED_STORE && in[1].op == WG_OP_BARRIER && in[1].arg >= 2 &&
           in[1].arg <= 4 && in[2].op == WG_OP_SHARED_LOAD && in[2].arg == in->arg &&
           in[3].op == WG_OP_BARRIER && in[3].arg == in[1].arg;
}

/* instruction i belongs to an exchange run as a shuffle */
static int in_xchg(const wgC_gen *g, int i) {
    switch (g->k->inst[i].op) {
    case WG_OP_SHARED_STORE: return xchg_at(g, i);
    case WG_OP_SHARED_LOAD: return xchg_at(g, i - 2);
    case WG_OP_BARRIER: return g->k->inst[i].arg >= 2 && (xchg_at(g, i - 1) || xchg_at(g, i - 3));
    default: return 0;
    }
}

int wgC_stmt_subgroups(const wgC_gen *g) {
    for (int i = 0; i < g->k->ninst; i++)
        if (xchg_at(g, i)) return 1;
    return 0;
}

/* workgroup array a is accessed only by exchanges run as shuffles: it is not declared */
static int shared_all_xchg(const wgC_gen *g, int a) {
    int any = 0;
    for (int i = 0; i < g->k->ninst; i++) {
        const wg_inst *in = &g->k->inst[i];
        switch (in->op) {
        case WG_OP_SHARED_LOAD: case WG_OP_SHARED_STORE: case WG_OP_SHARED_ATOMIC_ADD:
        case WG_OP_SHARED_ATOMIC_MAX: case WG_OP_SHARED_ATOMIC_MIN: case WG_OP_SHARED_ATOMIC_CAS:
            if (in->arg != a) break;
            if (!in_xchg(g, i)) return 0;
            any = 1;
            break;
        default: break;
        }
    }
    return any;
}

static void global(wgC_gen *g, const char *type, const char *name, const char *zero) {
    if (g->d->c_decl) wgC_put(g->s, "%s %s = %s;\n", type, name, zero);
    else wgC_put(g->s, "var<private> %s: %s;\n", name, type);
}

/* element e of a run at offset o (o >= 0) in a buffer of n words: its word, or n when outside
 * the buffer (computed without overflow for any e) */
static void pos_helpers(wgC_gen *g) {
    const wgC_dialect *d = g->d;
    const char *I = d->ty[1], *U = d->ty[2];
    const char *ti[3] = {I, I, U}, *tu[3] = {I, U, U}, *names[3] = {"o", "e", "n"};
    wgC_fn_head(g, U, "pos_i", 3, ti, names);
    wgC_put(g->s, "\n  if (e < 0) { if (e < -o) { return n; } return min(%s(o + e), n); }\n"
                  "  if (%s(e) >= n) { return n; }\n"
                  "  return min(%s(o) + %s(e), n);\n}\n",
            d->to_u, d->to_u, d->to_u, d->to_u);
    wgC_fn_head(g, U, "pos_u", 3, tu, names);
    wgC_put(g->s, "\n  if (e >= n) { return n; }\n  return min(%s(o) + e, n);\n}\n", d->to_u);
}

/* ldr_in<i>(x): raw input i's word x as a value of its dtype's class, zero outside the buffer */
static void raw_input_reader(wgC_gen *g, int i) {
    const wgC_dialect *d = g->d;
    int dt = g->k->input_dtype[i];
    char name[24], len[64], idx[24], val[WGC_EXPR_MAX];
    const char *types[1] = {d->ty[2]}, *names[1] = {"x"};
    snprintf(name, sizeof name, "ldr_in%d", i);
    d->raw_len(len, (unsigned)i, 0);
    snprintf(idx, sizeof idx, "%s(x)", d->to_i);
    d->load(val, (unsigned)i, wgC_cls(dt), idx);
    wgC_fn_head(g, wgC_ty(d, dt), name, 1, types, names);
    wgC_put(g->s, " if (x >= %s) { return %s; } return %s; }\n", len, wgC_zero(dt), val);
}

/* A workgroup array that atomics update (WGSL): its elements are atomic<i32> / atomic<u32>
 * (float32 as its bits), so every access goes through a helper: shld<a> / shst<a> (atomicLoad /
 * atomicStore), shadd<a>, shmax<a>, shmin<a>, shcas<a> (the old value); an element outside the
 * array reads as zero and is not written (ir.h).  float32 add/max/min are compare-and-swap loops
 * on the bits, as for raw outputs (wgsl.c raw_output_access); CAS compares the words and retries
 * WGSL's spurious weak failures.  Each loop leaves by `break` (naga: docs/browsers.md). */
static void shared_atomic_helpers(wgC_gen *g, const wgC_stmt *st, int a) {
    const wg_kernel_ir *k = g->k;
    int dt = k->shared_dtype[a], isf = dt == WG_FLOAT32;
    unsigned len = (unsigned)k->shared_len[a];
    const char *T = wgC_ty(g->d, dt), *Z = wgC_zero(dt);
    wgC_put(g->s, "var<workgroup> wgsh%d: array<%s, %u>;\n", a, dt == WG_INT32 ? "atomic<i32>" : "atomic<u32>", len);
    wgC_put(g->s, "fn shld%d(x: u32) -> %s { if (x >= %uu) { return %s; } return %s(atomicLoad(&wgsh%d[x])); }\n",
            a, T, len, Z, isf ? "bitcast<f32>" : "", a);
    wgC_put(g->s, "fn shst%d(x: u32, v: %s) { if (x < %uu) { atomicStore(&wgsh%d[x], %s(v)); } }\n",
            a, T, len, a, isf ? "bitcast<u32>" : "");
    char arr[24], bound[24], nadd[24], nmax[24], nmin[24], ncas[24];
    snprintf(arr, sizeof arr, "wgsh%d", a);
    snprintf(bound, sizeof bound, "%uu", len);
    snprintf(nadd, sizeof nadd, "shadd%d", a);
    snprintf(nmax, sizeof nmax, "shmax%d", a);
    snprintf(nmin, sizeof nmin, "shmin%d", a);
    snprintf(ncas, sizeof ncas, "shcas%d", a);
    const char *names[4] = {nadd, nmax, nmin, ncas};
    wgC_wgsl_atomic_rmw(g->s, arr, bound, names, st->atomic_sh[a], T, Z, isf);
}

void wgC_stmt_state(wgC_gen *g, const wgC_stmt *st) {
    const wg_kernel_ir *k = g->k;
    const char *I = g->d->ty[1], *U = g->d->ty[2];
    char name[24];
    global(g, U, "pt", "0u");
    for (int d = 0; d < k->ndim; d++) {
        snprintf(name, sizeof name, "i%d", d);
        global(g, U, name, "0u");
    }
    for (int i = 0; i < k->ninputs; i++) {
        snprintf(name, sizeof name, "o_in%d", i);
        global(g, I, name, "0");
    }
    for (int j = 0; j < k->noutputs; j++)
        if (k->output_raw[j]) {
            snprintf(name, sizeof name, "o_out%d", j);
            global(g, I, name, "0");
        }
    /* every local is kbody's own variable, which compilers keep in registers; an output's
     * local is copied at kbody's exits into its per-invocation global ol<v>, which main
     * stores (a global updated in a loop stays in memory on some compilers: SwiftShader, and
     * the Mandelbrot count on the H100's was one) */
    for (int v = 0; v < k->nvars; v++) {
        if (!is_output_var(k, v)) continue;
        snprintf(name, sizeof name, "ol%d", v);
        global(g, wgC_ty(g->d, k->var_dtype[v]), name, wgC_zero(k->var_dtype[v]));
    }
    /* workgroup arrays (ir.h): workgroup memory, in the locals' types (zero at the start) */
    for (int a = 0; a < k->nshared && !g->d->own_point_only; a++) {
        if (shared_all_xchg(g, a)) continue;
        if (st->atomic_sh[a]) {
            shared_atomic_helpers(g, st, a);
            continue;
        }
        wgC_put(g->s, "var<workgroup> wgsh%d: array<%s, %u>;\n", a,
                wgC_ty(g->d, k->shared_dtype[a]), (unsigned)k->shared_len[a]);
    }
    if (st->any_raw) pos_helpers(g);
    for (int i = 0; i < k->ninputs; i++)
        if (k->input_raw[i]) raw_input_reader(g, i);
}

int wgC_has_raw_input(const wg_kernel_ir *k) {
    for (int i = 0; i < k->ninputs; i++)
        if (k->input_raw[i]) return 1;
    return 0;
}

void wgC_raw_input_helpers(wgC_gen *g) {
    if (!wgC_has_raw_input(g->k)) return;
    pos_helpers(g);
    for (int i = 0; i < g->k->ninputs; i++)
        if (g->k->input_raw[i]) raw_input_reader(g, i);
}

void wgC_stmt_point(wgC_gen *g, const char *p, const char *indent) {
    const wg_kernel_ir *k = g->k;
    wgC_put(g->s, "%spt = %s;\n", indent, p);
    wgC_unravel(g, p, 0, k->ndim, indent, 1);
    for (int i = 0; i < k->ninputs; i++) {
        int w = wgC_w_in(g, i);
        wgC_put(g->s, "%so_in%d = ai(%du)", indent, i, w);
        /* a raw operand's strides are zero: its run starts at the offset */
        if (!k->input_raw[i]) wgC_offset_terms(g, w, 0, k->ndim);
        wgC_put(g->s, ";\n");
    }
    for (int j = 0; j < k->noutputs; j++)
        if (k->output_raw[j]) wgC_put(g->s, "%so_out%d = ai(%du);\n", indent, j, wgC_w_out(g, j));
}

/* at kbody's exits: the outputs' locals into the globals main stores (wgC_stmt_state) */
static void out_copies(wgC_gen *g, const char *ind) {
    for (int v = 0; v < g->k->nvars; v++)
        if (is_output_var(g->k, v)) wgC_put(g->s, "%sol%d = l%d;\n", ind, v, v);
}

/* ---- the walker -------------------------------------------------------------------------------- */
/* pos_i/pos_u(o_<kind><slot>, e, words): the word of element v<src> of a raw operand */
static int raw_pos_in(wgC_gen *g, char *out, const wg_inst *prog, const char *pfx, int i, int slot,
                      int is_out) {
    const wg_inst *in = &prog[i];
    int edt = prog[in->src[0]].dtype;
    char len[64], e[WGC_EXPR_MAX], v[32];
    g->d->raw_len(len, (unsigned)slot, is_out);
    snprintf(v, sizeof v, "%s%u", pfx, (unsigned)in->src[0]);
    switch (wgC_cls(edt)) {
    case 'i': wgC_xfmt(e, "%s", v); break;
    case 'u': wgC_xfmt(e, "%s", v); break;
    case 'b': wgC_cast(g->d, e, v, WG_BOOL, WG_UINT32); break;
    default: return malformed(g, i, "a raw element index must be an integer");
    }
    const char *o = is_out ? "out" : "in";
    if (g->rng && prog == g->k->inst && wgC_rng_in(g->rng[in->src[0]], 0, 2147483647)) {
        /* e proven in [0, 2^31) and o in [0, 2^31): the sum cannot wrap in u32, and where it is
         * n or more the accessor's check drops the access, as pos_*'s clamp to n did */
        wgC_xfmt(out, "(%s(o_%s%d) + %s(%s))", g->d->to_u, o, slot, g->d->to_u, e);
        return 0;
    }
    if (g->d->pos_wraps && wgC_cls(edt) == 'i') { /* expr.h pos_wraps: the same word, or >= n */
        wgC_xfmt(out, "%s(o_%s%d + %s)", g->d->u_of_i, o, slot, e);
        return 0;
    }
    wgC_xfmt(out, "pos_%c(o_%s%d, %s, %s)", wgC_cls(edt) == 'i' ? 'i' : 'u', o, slot, e, len);
    return 0;
}

static int raw_pos(wgC_gen *g, char *out, int i, int slot, int is_out) {
    return raw_pos_in(g, out, g->k->inst, "v", i, slot, is_out);
}

/* A kernel whose indices are in range (ir.h in_range) on a robust dialect indexes raw operands
 * directly: `b_in<i>[o + e]` in place of ldr_in<i>(pos_i(o, e, n)), whose two range branches and
 * min ran on every access before the API's own clamp (the FFT's workgroup passes: 5-7 global
 * reads a butterfly).  Bool and atomic operands keep their helpers (their words are converted).
 * 1 and the element's word in out (an i32 expression), or 0: use the checked accessors. */
static int direct_pos(wgC_gen *g, char *out, const wg_inst *prog, const char *pfx, int i, int slot,
                      int is_out, const wgC_stmt *st) {
    const wg_kernel_ir *k = g->k;
    int dt = is_out ? k->output_dtype[slot] : k->input_dtype[slot];
    char ec = wgC_cls(prog[prog[i].src[0]].dtype);
    if (!k->in_range || !g->d->robust || wgC_cls(dt) == 'b' || (ec != 'i' && ec != 'u')) return 0;
    if (is_out && (!st || st->atomic_out[slot])) return 0;
    wgC_xfmt(out, "(o_%s%d + %s(%s%u))", is_out ? "out" : "in", slot, ec == 'u' ? g->d->to_i : "",
             pfx, (unsigned)prog[i].src[0]);
    return 1;
}

int wgC_load_at_expr(wgC_gen *g, char *out, const wg_inst *prog, int i, const char *pfx) {
    const wg_inst *in = &prog[i];
    char t[WGC_EXPR_MAX], pos[WGC_EXPR_MAX];
    if (in->arg >= g->k->ninputs || !g->k->input_raw[in->arg])
        return malformed(g, i, "LOAD_AT of an input that is not raw");
    if (direct_pos(g, pos, prog, pfx, i, in->arg, 0, NULL))
        g->d->load(t, (unsigned)in->arg, wgC_cls(g->k->input_dtype[in->arg]), pos);
    else if (raw_pos_in(g, pos, prog, pfx, i, in->arg, 0)) return g->err;
    else wgC_xfmt(t, "ldr_in%u(%s)", (unsigned)in->arg, pos);
    wgC_cast(g->d, out, t, g->k->input_dtype[in->arg], in->dtype);
    return 0;
}

/* the expression of value instruction i (its own ops here, the rest in expr.c) */
/* SHARED_LOAD / SHARED_STORE `in` (of k->inst) has an index proven in [0, len) (range.h): it
 * needs no check, the array's own length bounds it */
static int shared_index_ok(const wgC_gen *g, const wg_inst *in) {
    return g->rng && wgC_rng_in(g->rng[in->src[0]], 0, (int64_t)g->k->shared_len[in->arg] - 1);
}

/* does an atomic update workgroup array a (then all its accesses go through helpers)? */
static int shared_is_atomic(const wg_kernel_ir *k, int a) {
    for (int i = 0; i < k->ninst; i++)
        if (k->inst[i].arg == a && k->inst[i].op >= WG_OP_SHARED_ATOMIC_ADD && k->inst[i].op <= WG_OP_SHARED_ATOMIC_CAS)
            return 1;
    return 0;
}

static int value_expr(wgC_gen *g, char *out, int i) {
    const wg_kernel_ir *k = g->k;
    const wg_inst *in = &k->inst[i];
    const wgC_dialect *d = g->d;
    int dt = in->dtype;
    char t[WGC_EXPR_MAX], pos[WGC_EXPR_MAX], v[WGC_EXPR_MAX];
    if (dt == WG_FLOAT16) return wgC_fail(g, WG_ERR_NOTIMPL, "an instruction", dt);
    switch (in->op) {
    case WG_OP_GET:
        wgC_xfmt(t, "l%u", (unsigned)in->arg);
        wgC_cast(d, out, t, k->var_dtype[in->arg], dt);
        return 0;
    case WG_OP_LINEAR: /* int64 is held in 32 bits, as INDEX is */
        wgC_xfmt(t, "%s(pt)", d->to_i);
        wgC_cast(d, out, t, WG_INT32, dt == WG_INT64 ? WG_INT32 : dt);
        return 0;
    case WG_OP_LOAD_AT:
        if (direct_pos(g, pos, k->inst, "v", i, in->arg, 0, NULL))
            d->load(t, (unsigned)in->arg, wgC_cls(k->input_dtype[in->arg]), pos);
        else if (raw_pos(g, pos, i, in->arg, 0)) return g->err;
        else wgC_xfmt(t, "ldr_in%u(%s)", (unsigned)in->arg, pos);
        wgC_cast(d, out, t, k->input_dtype[in->arg], dt);
        return 0;
    case WG_OP_OUT_LOAD_AT:
        if (raw_pos(g, pos, i, in->arg, 1)) return g->err;
        wgC_xfmt(t, "ldr_out%u(%s)", (unsigned)in->arg, pos);
        wgC_cast(d, out, t, k->output_dtype[in->arg], dt);
        return 0;
    case WG_OP_ATOMIC_ADD: {
        int odt = k->output_dtype[in->arg];
        if (raw_pos(g, pos, i, in->arg, 1)) return g->err;
        wgC_xfmt(t, "v%u", (unsigned)in->src[1]);
        wgC_cast(d, v, t, k->inst[in->src[1]].dtype, odt);
        wgC_xfmt(t, "add_out%u(%s, %s)", (unsigned)in->arg, pos, v);
        wgC_cast(d, out, t, odt, dt);
        return 0;
    }
    case WG_OP_ATOMIC_MAX: case WG_OP_ATOMIC_MIN: {
        int odt = k->output_dtype[in->arg];
        if (raw_pos(g, pos, i, in->arg, 1)) return g->err;
        wgC_xfmt(t, "v%u", (unsigned)in->src[1]);
        wgC_cast(d, v, t, k->inst[in->src[1]].dtype, odt);
        wgC_xfmt(t, "%s_out%u(%s, %s)", in->op == WG_OP_ATOMIC_MAX ? "max" : "min",
                 (unsigned)in->arg, pos, v);
        wgC_cast(d, out, t, odt, dt);
        return 0;
    }
    case WG_OP_ATOMIC_CAS: {
        int odt = k->output_dtype[in->arg];
        char c[WGC_EXPR_MAX];
        if (raw_pos(g, pos, i, in->arg, 1)) return g->err;
        wgC_xfmt(t, "v%u", (unsigned)in->src[1]);
        wgC_cast(d, c, t, k->inst[in->src[1]].dtype, odt);
        wgC_xfmt(t, "v%u", (unsigned)in->src[2]);
        wgC_cast(d, v, t, k->inst[in->src[2]].dtype, odt);
        wgC_xfmt(t, "cas_out%u(%s, %s, %s)", (unsigned)in->arg, pos, c, v);
        wgC_cast(d, out, t, odt, dt);
        return 0;
    }
    case WG_OP_SHARED_LOAD: { /* an element outside the array reads as zero (ir.h) */
        unsigned len = (unsigned)k->shared_len[in->arg];
        char ix[WGC_EXPR_MAX];
        wgC_xfmt(t, "v%u", (unsigned)in->src[0]);
        wgC_cast(d, ix, t, k->inst[in->src[0]].dtype, WG_UINT32);
        if (in_xchg(g, i)) { /* the lane's source in its subgroup (the warp's lanes: e % 32) */
            const wg_inst *sv = &k->inst[k->inst[i - 2].src[1]];
            char x[WGC_EXPR_MAX];
            int mark = k->inst[i - 1].arg; /* 2 a shuffle, 3 / 4 a ballot's first / later (ir.h) */
            wgC_xfmt(v, "v%u", (unsigned)k->inst[i - 2].src[1]);
            wgC_cast(d, x, v, sv->dtype, k->shared_dtype[in->arg]);
            if (mark == 2) wgC_xfmt(t, "%s(%s, %s & 31u)", d->shuffle, x, ix);
            else if (mark == 3) wgC_xfmt(t, "%s(%s != %s).x", d->ballot, x, wgC_zero(k->shared_dtype[in->arg]));
            else wgC_xfmt(t, "%s", wgC_zero(k->shared_dtype[in->arg]));
            wgC_cast(d, out, t, k->shared_dtype[in->arg], dt);
            return 0;
        }
        if (shared_is_atomic(k, in->arg)) {  /* an atomic array: its helper */
            wgC_xfmt(t, "shld%u(%s)", (unsigned)in->arg, ix);
            wgC_cast(d, out, t, k->shared_dtype[in->arg], dt);
            return 0;
        }
        if (len == 1) wgC_xfmt(v, "wgsh%u[0]", (unsigned)in->arg);
        else wgC_xfmt(v, "wgsh%u[min(%s, %uu)]", (unsigned)in->arg, ix, len - 1);
        if ((k->in_range && d->robust) || shared_index_ok(g, in)) wgC_xfmt(t, "wgsh%u[%s]", (unsigned)in->arg, ix);
        else wgC_xfmt(t, "select(%s, %s, %s < %uu)", wgC_zero(k->shared_dtype[in->arg]), v, ix, len);
        wgC_cast(d, out, t, k->shared_dtype[in->arg], dt);
        return 0;
    }
    case WG_OP_SHARED_ATOMIC_ADD: case WG_OP_SHARED_ATOMIC_MAX: case WG_OP_SHARED_ATOMIC_MIN:
    case WG_OP_SHARED_ATOMIC_CAS: {
        int sdt = k->shared_dtype[in->arg];
        char ix[WGC_EXPR_MAX], c[WGC_EXPR_MAX];
        wgC_xfmt(t, "v%u", (unsigned)in->src[0]);
        wgC_cast(d, ix, t, k->inst[in->src[0]].dtype, WG_UINT32);
        wgC_xfmt(t, "v%u", (unsigned)in->src[1]);
        wgC_cast(d, v, t, k->inst[in->src[1]].dtype, sdt);
        if (in->op == WG_OP_SHARED_ATOMIC_CAS) {
            wgC_xfmt(t, "v%u", (unsigned)in->src[2]);
            wgC_cast(d, c, t, k->inst[in->src[2]].dtype, sdt);
            wgC_xfmt(t, "shcas%u(%s, %s, %s)", (unsigned)in->arg, ix, v, c);
        } else {
            wgC_xfmt(t, "sh%s%u(%s, %s)", in->op == WG_OP_SHARED_ATOMIC_ADD ? "add"
                     : in->op == WG_OP_SHARED_ATOMIC_MAX ? "max" : "min", (unsigned)in->arg, ix, v);
        }
        wgC_cast(d, out, t, sdt, dt);
        return 0;
    }
    default: return wgC_inst_expr(g, out, in, "v", k->inst, 0);
    }
}

static int emit_block(wgC_gen *g, const wgC_stmt *st, int from, int to, int depth);

/* If-conversion: an IF whose parts hold only a few cheap, pure value instructions and SETs of
 * locals (`if (x * x + y * y < 4.0f) c = c + 1;`) becomes straight-line code: the values are
 * computed whatever the condition, and each SET is `l = select(l, new, c)` (the ELSE part's
 * `select(new, l, c)`).  Where the condition is false those values only reach selects that drop
 * them, so the results are the branch's; a SIMD machine runs no divergent branch (SwiftShader: 2
 * to 3 times faster on the Mandelbrot kernel; docs/kernels.md, "Statement-kernel WGSL"). */
#define WGC_IFCONV_MAX 12
static int cheap_pure(int op) {
    switch (op) {
    case WG_OP_ADD: case WG_OP_SUBTRACT: case WG_OP_MULTIPLY: case WG_OP_NEGATIVE:
    case WG_OP_POSITIVE: case WG_OP_ABSOLUTE: case WG_OP_MAXIMUM: case WG_OP_MINIMUM:
    case WG_OP_FMAX: case WG_OP_FMIN: case WG_OP_EQUAL: case WG_OP_NOT_EQUAL: case WG_OP_LESS:
    case WG_OP_LESS_EQUAL: case WG_OP_GREATER: case WG_OP_GREATER_EQUAL: case WG_OP_LOGICAL_AND:
    case WG_OP_LOGICAL_OR: case WG_OP_LOGICAL_XOR: case WG_OP_LOGICAL_NOT: case WG_OP_BITWISE_AND:
    case WG_OP_BITWISE_OR: case WG_OP_BITWISE_XOR: case WG_OP_INVERT: case WG_OP_CAST: case WG_OP_BITCAST:
    case WG_OP_WHERE: case WG_OP_GET: case WG_OP_PARAM: case WG_OP_LOAD: case WG_OP_SET:
        return 1;
    default: return 0;
    }
}

static int if_convertible(const wg_kernel_ir *k, const wgC_stmt *st, int i) {
    int mid = st->mid[i], end = st->end[i], n = 0;
    for (int j = i + 1; j < end; j++) {
        if (j == mid) continue;
        if (!cheap_pure(k->inst[j].op) || k->inst[j].dtype == WG_FLOAT16) return 0;
        if (k->inst[j].op != WG_OP_PARAM && k->inst[j].op != WG_OP_LOAD && ++n > WGC_IFCONV_MAX) return 0;
    }
    return 1;
}

/* IF c { then } [ELSE { else }] END */
static int emit_if(wgC_gen *g, const wgC_stmt *st, int i, int depth) {
    const wg_kernel_ir *k = g->k;
    int mid = st->mid[i], end = st->end[i], ind = 2 * depth;
    char c[WGC_EXPR_MAX], v[32];
    snprintf(v, sizeof v, "v%u", (unsigned)k->inst[i].src[0]);
    wgC_cast(g->d, c, v, k->inst[k->inst[i].src[0]].dtype, WG_BOOL);
    if (if_convertible(k, st, i)) {
        char e[WGC_EXPR_MAX], t[WGC_EXPR_MAX], l[24], name[24], sp[4 * WG_KMAX_DEPTH + 8];
        snprintf(sp, sizeof sp, "%*s", ind, "");
        for (int j = i + 1; j < end; j++) {
            const wg_inst *in = &k->inst[j];
            if (j == mid || hoisted(k, in)) continue;
            if (in->op == WG_OP_SET) {
                snprintf(name, sizeof name, "v%u", (unsigned)in->src[0]);
                wgC_cast(g->d, e, name, k->inst[in->src[0]].dtype, k->var_dtype[in->arg]);
                snprintf(l, sizeof l, "l%u", (unsigned)in->arg);
                if (mid >= 0 && j > mid) wgC_sel(g->d, t, e, l, c);
                else wgC_sel(g->d, t, l, e, c);
                wgC_put(g->s, "%*s%s = %s;\n", ind, "", l, t);
                continue;
            }
            if (value_expr(g, e, j)) return g->err;
            snprintf(name, sizeof name, "v%d", j);
            wgC_decl(g, sp, wgC_ty(g->d, in->dtype), name, e);
        }
        return 0;
    }
    wgC_put(g->s, "%*sif (%s) {\n", ind, "", c);
    if (emit_block(g, st, i + 1, mid >= 0 ? mid : end, depth + 1)) return g->err;
    if (mid >= 0) {
        wgC_put(g->s, "%*s} else {\n", ind, "");
        if (emit_block(g, st, mid + 1, end, depth + 1)) return g->err;
    }
    wgC_put(g->s, "%*s}\n", ind, "");
    return 0;
}

/* The counted-loop form for WGSL.  Tint (Dawn's compiler, Chromium's too) guards every loop it
 * cannot prove finite with a 64-bit iteration counter — a compare, a decrement and a carry on each
 * pass, about 40% more work in a 10-operation body such as the Mandelbrot iteration (its slope on
 * the H100: 0.67 µs against NVRTC's 0.49 per 1k iterations).  Its proof accepts one shape only:
 * `for (var k = init; k < bound; k = k + 1)` with k stored nowhere else and, in the Dawn of the
 * `webgpu` npm package, bound a literal (a `let`, even of a constant, keeps the guard: measured).
 * A LOOP of that shape in the IR (the C front end's `for (int k = a; k < b; k++)`) is written so,
 * its bound as the literal when it is one, else as the type's largest value with `if (!(k < b))
 * { break; }` first in the body (one compare where the guard cost five operations); the local
 * keeps its value by a copy at the top of each pass.  The
 * shape, instruction by instruction (hoisted parameters may come between):
 *   body:       a = GET x; c = LESS a, b; n = LOGICAL_NOT c; IF n BREAK END
 *   continuing: a2 = GET x; s = ADD a2, one; SET x s          (one: the literal 1)
 * with x an int32 or uint32 local read nowhere outside the body (so the copy made at the top of
 * a pass is all that is ever seen) and set nowhere else inside it, b defined before the LOOP,
 * and a, c, n used only by the shape.  Returns the first instruction of the rest of the body, or
 * -1 when the loop has another shape. */
typedef struct counted { int x, bound, rest; } counted;

static int next_real(const wg_kernel_ir *k, int j, int to) {
    while (j < to && hoisted(k, &k->inst[j])) j++;
    return j;
}

static int is_literal_one(const wg_kernel_ir *k, int j) {
    const wg_inst *in = &k->inst[j];
    if (in->op != WG_OP_PARAM || in->arg >= k->nparams || !k->param_const[in->arg]) return 0;
    int pd = k->param_dtype[in->arg];
    if (pd == WG_INT32) return k->param_value[in->arg].i == 1;
    if (pd == WG_UINT32) return k->param_value[in->arg].u == 1;
    return 0;
}

static int counted_form(const wgC_gen *g, const wgC_stmt *st, int i, counted *c) {
    const wg_kernel_ir *k = g->k;
    int mid = st->mid[i], end = st->end[i];
    if (mid < 0) return -1;
    int a = next_real(k, i + 1, mid), lt = next_real(k, a + 1, mid), nt = next_real(k, lt + 1, mid);
    int f = next_real(k, nt + 1, mid), br = next_real(k, f + 1, mid), fe = next_real(k, br + 1, mid);
    if (fe >= mid) return -1;
    const wg_inst *A = &k->inst[a], *L = &k->inst[lt], *N = &k->inst[nt], *F = &k->inst[f];
    if (A->op != WG_OP_GET || L->op != WG_OP_LESS || L->src[0] != a || N->op != WG_OP_LOGICAL_NOT ||
        N->src[0] != lt || F->op != WG_OP_IF || F->src[0] != nt || k->inst[br].op != WG_OP_BREAK ||
        k->inst[fe].op != WG_OP_END || st->end[f] != fe)
        return -1;
    int x = A->arg, xd = k->var_dtype[x], b = L->src[1];
    if ((xd != WG_INT32 && xd != WG_UINT32) || A->dtype != xd || k->inst[b].dtype != xd) return -1;
    if (b > i && !hoisted(k, &k->inst[b])) return -1;
    /* continuing: GET x, ADD 1, SET x and nothing else */
    int g2 = next_real(k, mid + 1, end), ad = next_real(k, g2 + 1, end), sx = next_real(k, ad + 1, end);
    if (sx >= end || next_real(k, sx + 1, end) != end) return -1;
    const wg_inst *G2 = &k->inst[g2], *AD = &k->inst[ad], *SX = &k->inst[sx];
    if (G2->op != WG_OP_GET || G2->arg != x || AD->op != WG_OP_ADD || AD->dtype != xd ||
        AD->src[0] != g2 || !is_literal_one(k, AD->src[1]) || SX->op != WG_OP_SET || SX->arg != x ||
        SX->src[0] != ad)
        return -1;
    for (int j = 0; j < k->ninst; j++) {
        const wg_inst *in = &k->inst[j];
        if (in->op == WG_OP_GET && in->arg == x && (j <= i || j >= mid) && j != g2) return -1;
        if (in->op == WG_OP_SET && in->arg == x && j > i && j < end && j != sx) return -1;
        if (j == lt || j == nt || j == f) continue; /* statements too: a SET could name a */
        for (int s = 0; s < wgI_op_arity[in->op]; s++)
            if (in->src[s] == a || in->src[s] == lt || in->src[s] == nt) return -1;
    }
    for (int v = 0; v < k->noutputs; v++)
        if (!k->output_raw[v] && k->out_var[v] == x) return -1;
    c->x = x;
    c->bound = b;
    c->rest = fe + 1;
    return c->rest;
}

/* LOOP body [CONTINUING step] END, in the dialect's loop form (the file's comment) */
static int emit_loop(wgC_gen *g, const wgC_stmt *st, int i, int depth) {
    int mid = st->mid[i], end = st->end[i], ind = 2 * depth;
    int body_end = mid >= 0 ? mid : end;
    counted c;
    if (g->d->loop_continuing && counted_form(g, st, i, &c) >= 0) {
        const wg_kernel_ir *k = g->k;
        const wg_inst *b = &k->inst[c.bound];
        const char *T = wgC_ty(g->d, k->var_dtype[c.x]);
        char lim[WGC_EXPR_MAX];
        int literal = b->op == WG_OP_PARAM && k->param_const[b->arg] && !g->ctx->literals_as_words;
        if (literal) {
            if (value_expr(g, lim, c.bound)) return g->err;
        } else { /* the type's largest value: implied by `ct < bound`, so the same trip count */
            snprintf(lim, sizeof lim, "%s", k->var_dtype[c.x] == WG_INT32 ? "2147483647" : "4294967295u");
        }
        wgC_put(g->s, "%*sfor (var ct%d: %s = l%d; ct%d < %s; ct%d = ct%d + 1) {\n", ind, "", i, T, c.x, i,
                lim, i, i);
        if (!literal) wgC_put(g->s, "%*sif (!(ct%d < v%d)) { break; }\n", ind + 2, "", i, c.bound);
        wgC_put(g->s, "%*sl%d = ct%d;\n", ind + 2, "", c.x, i);
        if (emit_block(g, st, c.rest, mid, depth + 1)) return g->err;
        wgC_put(g->s, "%*s}\n", ind, "");
        return 0;
    }
    if (g->d->loop_continuing) {
        wgC_put(g->s, "%*sloop {\n", ind, "");
        if (emit_block(g, st, i + 1, body_end, depth + 1)) return g->err;
        if (mid >= 0) {
            wgC_put(g->s, "%*scontinuing {\n", ind + 2, "");
            if (emit_block(g, st, mid + 1, end, depth + 2)) return g->err;
            wgC_put(g->s, "%*s}\n", ind + 2, "");
        }
    } else {
        wgC_put(g->s, "%*sfor (bool lf%d = true;; lf%d = false) {\n", ind, "", i, i);
        if (mid >= 0) {
            wgC_put(g->s, "%*sif (!lf%d) {\n", ind + 2, "", i);
            if (emit_block(g, st, mid + 1, end, depth + 2)) return g->err;
            wgC_put(g->s, "%*s}\n", ind + 2, "");
        }
        if (emit_block(g, st, i + 1, body_end, depth + 1)) return g->err;
    }
    wgC_put(g->s, "%*s}\n", ind, "");
    return 0;
}

/* instructions [from, to) of one block, at nesting depth (indent 2 * depth) */
static int emit_block(wgC_gen *g, const wgC_stmt *st, int from, int to, int depth) {
    const wg_kernel_ir *k = g->k;
    /* a CONTINUING part nests two levels deeper than its LOOP */
    char e[WGC_EXPR_MAX], t[WGC_EXPR_MAX], pos[WGC_EXPR_MAX], name[24], ind[4 * WG_KMAX_DEPTH + 8];
    snprintf(ind, sizeof ind, "%*s", 2 * depth, "");
    for (int i = from; i < to; i++) {
        const wg_inst *in = &k->inst[i];
        if ((in->op == WG_OP_BARRIER || in->op == WG_OP_SHARED_STORE) && in_xchg(g, i))
            continue; /* a warp exchange run as a subgroup shuffle (its SHARED_LOAD) */
        switch (in->op) {
        case WG_OP_IF:
            if (emit_if(g, st, i, depth)) return g->err;
            i = st->end[i];
            break;
        case WG_OP_LOOP:
            if (emit_loop(g, st, i, depth)) return g->err;
            i = st->end[i];
            break;
        /* the rest of the block cannot run, and its values are used nowhere else (scoping):
         * it is left out, so that no compiler warns about unreachable code */
        case WG_OP_BREAK: wgC_put(g->s, "%sbreak;\n", ind); return 0;
        case WG_OP_CONTINUE: wgC_put(g->s, "%scontinue;\n", ind); return 0;
        case WG_OP_RETURN:
            out_copies(g, ind);
            wgC_put(g->s, "%sreturn;\n", ind);
            return 0;
        case WG_OP_BARRIER: /* raw outputs are storage: both memories, and the control barrier;
                             * workgroup arrays need only workgroupBarrier().  Only a kernel that
                             * reads its raw outputs can see another point's storage write (inputs
                             * are read-only bindings, never the same buffer as an output in one
                             * dispatch), so the others skip storageBarrier(), itself a second
                             * control barrier (the radix sort's scatter had two a __syncthreads).
                             * arg 1 (__wg_barrier()): the kernel orders workgroup memory only */
            if (st->reads_out && in->arg == 0) wgC_put(g->s, "%sstorageBarrier();\n", ind);
            wgC_put(g->s, "%sworkgroupBarrier();\n", ind);
            break;
        case WG_OP_SHARED_STORE: { /* not written outside the array (ir.h) */
            char ix[WGC_EXPR_MAX];
            snprintf(name, sizeof name, "v%u", (unsigned)in->src[0]);
            wgC_cast(g->d, ix, name, k->inst[in->src[0]].dtype, WG_UINT32);
            snprintf(name, sizeof name, "v%u", (unsigned)in->src[1]);
            wgC_cast(g->d, t, name, k->inst[in->src[1]].dtype, k->shared_dtype[in->arg]);
            if (st->atomic_sh[in->arg])  /* an atomic array: its helper */
                wgC_put(g->s, "%sshst%u(%s, %s);\n", ind, (unsigned)in->arg, ix, t);
            else if ((k->in_range && g->d->robust) || shared_index_ok(g, in)) /* in_range: the API's clamp only */
                wgC_put(g->s, "%swgsh%u[%s] = %s;\n", ind, (unsigned)in->arg, ix, t);
            else if (k->shared_len[in->arg] == 1)
                wgC_put(g->s, "%sif (%s == 0u) { wgsh%u[0] = %s; }\n", ind, ix, (unsigned)in->arg, t);
            else
                wgC_put(g->s, "%sif (%s < %uu) { wgsh%u[%s] = %s; }\n", ind, ix,
                        (unsigned)k->shared_len[in->arg], (unsigned)in->arg, ix, t);
            break;
        }
        case WG_OP_SET:
            snprintf(name, sizeof name, "v%u", (unsigned)in->src[0]);
            wgC_cast(g->d, e, name, k->inst[in->src[0]].dtype, k->var_dtype[in->arg]);
            wgC_put(g->s, "%sl%u = %s;\n", ind, (unsigned)in->arg, e);
            break;
        case WG_OP_STORE_AT: {
            int direct = direct_pos(g, pos, k->inst, "v", i, in->arg, 1, st);
            if (!direct && raw_pos(g, pos, i, in->arg, 1)) return g->err;
            snprintf(name, sizeof name, "v%u", (unsigned)in->src[1]);
            wgC_cast(g->d, t, name, k->inst[in->src[1]].dtype, k->output_dtype[in->arg]);
            if (direct) wgC_put(g->s, "%sb_out%u[%s] = %s;\n", ind, (unsigned)in->arg, pos, t);
            else wgC_put(g->s, "%sstr_out%u(%s, %s);\n", ind, (unsigned)in->arg, pos, t);
            break;
        }
        case WG_OP_ELSE: case WG_OP_CONTINUING: case WG_OP_END:
            return malformed(g, i, "block marker out of place"); /* the analysis makes this unreachable */
        default:
            if (hoisted(k, in)) break; /* declared at kbody's entry */
            if (value_expr(g, e, i)) return g->err;
            snprintf(name, sizeof name, "v%d", i);
            wgC_decl(g, ind, wgC_ty(g->d, in->dtype), name, e);
            break;
        }
    }
    return 0;
}

int wgC_stmt_body(wgC_gen *g, const wgC_stmt *st) {
    const wg_kernel_ir *k = g->k;
    char e[WGC_EXPR_MAX], name[24];
    wgC_fn_head(g, NULL, "kbody", 0, NULL, NULL);
    wgC_put(g->s, "\n");
    for (int v = 0; v < k->nvars; v++) {
        const char *ty = wgC_ty(g->d, k->var_dtype[v]), *z = wgC_zero(k->var_dtype[v]);
        if (g->d->c_decl) wgC_put(g->s, "  %s l%d = %s;\n", ty, v, z);
        else wgC_put(g->s, "  var l%d: %s = %s;\n", v, ty, z);
    }
    for (int i = 0; i < k->ninst; i++) {
        if (!hoisted(k, &k->inst[i])) continue;
        if (value_expr(g, e, i)) return g->err;
        snprintf(name, sizeof name, "v%d", i);
        wgC_decl(g, "  ", wgC_ty(g->d, k->inst[i].dtype), name, e);
    }
    if (emit_block(g, st, 0, k->ninst, 1)) return g->err;
    out_copies(g, "  ");
    wgC_put(g->s, "}\n");
    return 0;
}
