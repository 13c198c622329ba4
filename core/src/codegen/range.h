/* range — what a statement kernel's integer values can be, so that the code generators leave out
 * the safety wrappers a value cannot need (docs/kernels.md, "Range facts").
 *
 * For every instruction of a statement kernel's program the analysis gives an interval [lo, hi]
 * that holds every value the instruction takes in the *generated* code (32-bit classes: int64 and
 * uint64 are held in 32 bits, narrow ints wrapped to their width), at every point and on every
 * pass of a loop.  Facts come from literals (param_const), masks (x & 255), remainders by a
 * positive divisor, shifts and divisions of non-negative values, bounded sums and products, locals
 * followed through the program's structured control flow (SET/GET, IF refined by its condition:
 * `if (t < 256)`, `if (!(k < n)) break;`, LOOP to a fixpoint with widening) and the loop counters
 * that follow.  Whatever is not proven is the dtype's whole range (or unknown for floats), so a
 * generator that uses an interval only to drop a check that can never fire keeps every kernel's
 * results, out-of-range accesses included, what they were.
 *
 * Used by (codegen): shifts by a count proven in [0, width) are plain shifts (no C-rule helper);
 * integer floor divisions and remainders of a value proven >= 0 by one proven > 0 are the
 * language's / and %;
 * workgroup-array indices proven in [0, len) index directly (no select/min/if); raw positions of
 * element indices proven in [0, 2^31) are `u32(o) + u32(e)` (no pos_i/pos_u clamp; the
 * accessor's buffer check stays: an upper bound against a buffer's runtime length is never
 * proven). */
#ifndef WG_CODEGEN_RANGE_H
#define WG_CODEGEN_RANGE_H

#include "../ir/ir.h"

typedef struct wgC_rng {
    int64_t lo, hi; /* float values, and anything not analysed: lo > hi never, lo = INT64_MIN */
} wgC_rng;

/* Intervals for k->inst[0 .. ninst) of a statement kernel whose blocks are end[] / mid[] (stmt.c's
 * analysis: IF, LOOP -> its END; ELSE / CONTINUING or -1).  NULL when out of memory or when the
 * program is too large to analyse within a fixed budget (then nothing is proven); free with
 * wgB_free. */
WG_INTERNAL wgC_rng *wgC_ranges(wg_context *ctx, const wg_kernel_ir *k, const int32_t *end,
                                const int32_t *mid);
/* 1 when r lies within [lo, hi] */
static inline int wgC_rng_in(wgC_rng r, int64_t lo, int64_t hi) { return r.lo >= lo && r.hi <= hi; }

#endif
