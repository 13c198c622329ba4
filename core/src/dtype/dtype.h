/* dtype — logical dtypes, NumPy 2 promotion (NEP 50 weak scalars), casting, ufunc type
 * resolution, the 64-bit policy, float16 conversion. */
#ifndef WG_DTYPE_H
#define WG_DTYPE_H

#include "../base/base.h"

WG_INTERNAL int wgD_size(int dt);
WG_INTERNAL int wgD_kind(int dt); /* 'b' 'i' 'u' 'f' 'c' */
WG_INTERNAL const char *wgD_name(int dt);
static inline int wgD_is_bool(int dt) { return dt == WG_BOOL; }
static inline int wgD_is_signed(int dt) { return dt >= WG_INT8 && dt <= WG_INT64; }
static inline int wgD_is_unsigned(int dt) { return dt >= WG_UINT8 && dt <= WG_UINT64; }
static inline int wgD_is_int(int dt) { return dt >= WG_INT8 && dt <= WG_UINT64; }
static inline int wgD_is_float(int dt) { return dt >= WG_FLOAT16 && dt <= WG_FLOAT64; }
/* complex64/complex128 (docs/complex.md): arrays only.  Their buffers hold float32/float64 pairs
 * (wgD_storage_dtype); kernels never see a complex dtype (api/complex.c composes real ops). */
static inline int wgD_is_complex(int dt) { return dt == WG_COMPLEX64 || dt == WG_COMPLEX128; }
/* the real dtype of a complex dtype's parts (complex64: float32); other dtypes: themselves */
static inline int wgD_part_dtype(int dt) {
    return dt == WG_COMPLEX64 ? WG_FLOAT32 : dt == WG_COMPLEX128 ? WG_FLOAT64 : dt;
}

/* The default dtype of a weak kind (bool, int64, float64, complex128) before the 64-bit policy. */
WG_INTERNAL int wgD_weak_default(int weak);

WG_INTERNAL int wgD_promote(int a, int b);          /* -1 when NumPy raises */
WG_INTERNAL int wgD_can_cast(int from, int to, int casting);
/* result_type with weak operands (NEP 50); -1 on no common type.  Not policy-canonicalized. */
WG_INTERNAL int wgD_result_type(int n, const int32_t *dtypes, const int32_t *weak);

/* 64-bit policy: with x64 off, int64->int32, uint64->uint32, float64->float32. */
WG_INTERNAL int wgD_canonical(int dt, int x64);

/* Ufunc loop resolution, from tables generated from NumPy (tools/gen_dtype_tables.py).
 * Given an elementwise op and its operands (dtype + weak kind), writes the dtypes the inputs are
 * cast to (loop_in[n]) and the output dtype.  Returns 0, or -1 when NumPy raises TypeError
 * ("ufunc 'x' not supported for the input types").  Not policy-canonicalized. */
WG_INTERNAL int wgD_resolve_ufunc(int op, int n, const int32_t *dtypes, const int32_t *weak,
                                  int32_t *loop_in, int32_t *out_dtype);

/* Does a Python scalar value fit dtype dt without overflow?  (OverflowError otherwise, as NumPy 2
 * does for weak integers.)  weak: wg_weak of the value.  dt is the loop dtype the value is cast to.
 * Note: NumPy 2 never raises for the comparison ops (equal ... greater_equal): uint8 array == -1 is
 * all False, < 300 all True; callers must not apply this check to them. */
WG_INTERNAL int wgD_value_fits(int dt, int weak, wg_value v, int is_unsigned);
WG_INTERNAL int wgD_int_range(int dt, int64_t *lo, int64_t *hi);

/* Scalar conversion with NumPy's (C's, with wrap-around) unsafe cast semantics. */
WG_INTERNAL wg_value wgD_convert(wg_value v, int from, int to);

/* IEEE half <-> float, round to nearest even. */
WG_INTERNAL float wgD_half_to_float(uint16_t h);
WG_INTERNAL uint16_t wgD_float_to_half(float f);

/* Load/store one element of dtype dt at p as a wg_value (floats as double). */
WG_INTERNAL wg_value wgD_load(int dt, const void *p);
WG_INTERNAL void wgD_store(int dt, void *p, wg_value v);

#endif
