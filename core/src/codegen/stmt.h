/* stmt — statement kernels (ir.h, "Statement kernels") for both languages: one analysis, one
 * statement walker and the per-invocation scaffolding that WGSL (wgsl.c) and GLSL (glsl.c) share.
 * Each language keeps only what differs: its bindings or textures, the entry point and how an
 * output word is stored.
 *
 * The shape of a generated statement kernel, in either language:
 *
 *   per-invocation state (WGSL var<private>, GLSL globals):
 *     pt                 the point (LINEAR), u32
 *     i<d>               its index along dim d (INDEX), u32
 *     o_in<i>            input i's element at the point (raw: the run's offset), i32
 *     o_out<j>           raw output j's offset, i32
 *     l<k>               local k, zero at the start of every point
 *   pos_i / pos_u        element e of a run at offset o -> its word, or n (the buffer's words)
 *                        when outside the buffer
 *   ldr_in<i>(x)         raw input i's word x as a value (0 outside the buffer)
 *   (wgsl.c adds ldr_out<j>, str_out<j>, add_out<j> for raw outputs)
 *   kbody()              the program: value instructions are `let`s / consts in their block,
 *                        IF/LOOP are blocks, RETURN is `return;`
 *   main                 computes the point, sets the state (wgC_stmt_point), calls kbody() and
 *                        stores each non-raw output j from local out_var[j]
 *
 * Running the program as a function of its own is what makes RETURN simple: the point ends but
 * main still stores the outputs from the locals' current values. */
#ifndef WG_CODEGEN_STMT_H
#define WG_CODEGEN_STMT_H

#include "expr.h"

typedef struct wgC_stmt {
    int32_t *end;                   /* IF, LOOP: the index of its END */
    int32_t *mid;                   /* IF: its ELSE, LOOP: its CONTINUING; -1 when none */
    uint8_t atomic_out[WG_KMAX_IO]; /* output j is the target of an atomic (bits 2/4/8: max/min/cas) */
    int any_raw;                    /* some operand is raw (the pos_* helpers are needed) */
    int reads_out;                  /* some instruction reads a raw output (OUT_LOAD_AT, atomics) */
    uint8_t atomic_sh[WG_KMAX_SHARED]; /* workgroup array a is updated atomically (bits as atomic_out) */
    wgC_rng *rng;                   /* the values' intervals (range.h; g->rng points here), or NULL */
} wgC_stmt;

/* 1 when some warp exchange of g's kernel runs as a subgroup shuffle (the device's subgroups are
 * CUDA's warps: wg_set_subgroups; WGSL): the shader then needs `enable subgroups;` */
WG_INTERNAL int wgC_stmt_subgroups(const wgC_gen *g);
/* Checks k (a statement kernel) for this dialect and analyses its blocks into st.  0, or fails
 * (WG_ERR_NOTIMPL for what the backend cannot run, naming the construct and the backend;
 * WG_ERR_INTERNAL for a malformed program).  wgC_stmt_free releases st either way. */
WG_INTERNAL int wgC_stmt_begin(wgC_gen *g, wgC_stmt *st);
WG_INTERNAL void wgC_stmt_free(wgC_stmt *st);

/* The per-invocation state, the pos_* helpers and the raw input readers (above). */
WG_INTERNAL void wgC_stmt_state(wgC_gen *g, const wgC_stmt *st);
/* `kbody()`: the program.  0, or fails. */
WG_INTERNAL int wgC_stmt_body(wgC_gen *g, const wgC_stmt *st);
/* Raw inputs outside statement kernels (a REDUCE program or post program reads them by element,
 * ir.h): does k have one; the pos_* helpers and ldr_in<i> readers at module scope (nothing when
 * none); the expression of LOAD_AT instruction i of prog (operands named pfx<src>), reading
 * raw input slot s at its run's offset o_in<s>, which the caller declares. */
WG_INTERNAL int wgC_has_raw_input(const wg_kernel_ir *k);
/* WGSL's read-modify-write helpers over an array `arr` of atomic words whose elements below the
 * u32 expression `bound` exist (wgsl.c): fn names[0] (add) always, names[1..3] (max, min, cas)
 * where flags has bit 2, 4, 8; raw outputs and workgroup arrays share them. */
WG_INTERNAL void wgC_wgsl_atomic_rmw(wgC_sbuf *s, const char *arr, const char *bound,
                                     const char *const names[4], int flags, const char *T,
                                     const char *Z, int isf);
WG_INTERNAL void wgC_raw_input_helpers(wgC_gen *g);
WG_INTERNAL int wgC_load_at_expr(wgC_gen *g, char *out, const wg_inst *prog, int i, const char *pfx);
/* In main: sets the state for point `p` (a u32 variable). */
WG_INTERNAL void wgC_stmt_point(wgC_gen *g, const char *p, const char *indent);

#endif
