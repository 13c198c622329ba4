/* dtype: names and sizes, NumPy 2 promotion with NEP 50 weak Python scalars, casting, ufunc loop
 * resolution, the 64-bit policy.  promote_types, can_cast and the ufunc loops come from NumPy
 * through the generated tables in tables.c (tools/gen_dtype_tables.py); result_type replays
 * NumPy's n-ary algorithm over them (checked against np.result_type for every combination of up
 * to 4 operands drawn from the 12 dtypes and the 3 weak kinds). */
#include "dtype.h"

#define WG_X_(E, name, arity) +1
enum { NUNARY = 0 WG_UNARY_OPS(WG_X_), NBINARY = 0 WG_BINARY_OPS(WG_X_) };
#undef WG_X_

/* Defined in tables.c (generated). */
enum { NCODES = WG_NDTYPES + 4 }; /* the dtypes, then weak bool/int/float/complex */
WG_INTERNAL extern const int8_t wgD_tab_promote[WG_NDTYPES][WG_NDTYPES];
WG_INTERNAL extern const uint16_t wgD_tab_can_cast[5][WG_NDTYPES];
WG_INTERNAL extern const uint8_t wgD_tab_unary[NUNARY][NCODES][2];
WG_INTERNAL extern const uint8_t wgD_tab_binary[NBINARY][NCODES][NCODES][3];

_Static_assert(WG_NDTYPES == 14, "tables.c assumes 14 dtypes");
_Static_assert(WG_CAST_NO == 0 && WG_CAST_UNSAFE == 4, "can_cast table order");

static const struct { const char *name; int size; int kind; } dtype_info[WG_NDTYPES] = {
#define WG_X_(E, name, size, kind) {#name, size, kind},
    WG_DTYPES(WG_X_)
#undef WG_X_
};

static int valid_dtype(int dt) { return dt >= 0 && dt < WG_NDTYPES; }

int wgD_size(int dt) { return valid_dtype(dt) ? dtype_info[dt].size : 0; }
int wgD_kind(int dt) { return valid_dtype(dt) ? dtype_info[dt].kind : 0; }
const char *wgD_name(int dt) { return valid_dtype(dt) ? dtype_info[dt].name : NULL; }

int wgD_weak_default(int weak) {
    switch (weak) {
    case WG_WEAK_BOOL: return WG_BOOL;
    case WG_WEAK_INT: return WG_INT64;
    case WG_WEAK_FLOAT: return WG_FLOAT64;
    case WG_WEAK_COMPLEX: return WG_COMPLEX128;
    default: return -1;
    }
}

int wgD_promote(int a, int b) {
    if (!valid_dtype(a) || !valid_dtype(b)) return -1;
    return wgD_tab_promote[a][b];
}

int wgD_can_cast(int from, int to, int casting) {
    if (!valid_dtype(from) || !valid_dtype(to) || casting < WG_CAST_NO || casting > WG_CAST_UNSAFE)
        return 0;
    return (wgD_tab_can_cast[casting][from] >> to) & 1;
}

/* ---- result_type ------------------------------------------------------------------------
 * NumPy 2's PyArray_ResultType over DType classes: the 12 concrete dtypes plus the abstract
 * Python int and Python float (NEP 50 weak scalars; a Python bool is NumPy's bool).  n-ary
 * promotion is not a left fold of promote_types (uint8, int8, float16 gives float16, while
 * promote(promote(uint8, int8), float16) is float32): NumPy picks the "most knowledgeable" DType
 * and promotes every other one with it (PyArray_PromoteDTypeSequence), which is replicated here. */

enum { CLS_PYINT = WG_NDTYPES, CLS_PYFLOAT, CLS_PYCOMPLEX, CLS_NOTIMPL = -2, CLS_NONE = -1 };

/* NumPy's legacy type numbers (LP64), which decide who handles a promotion. */
static int type_num(int dt) {
    static const int8_t num[WG_NDTYPES] = {0, 1, 3, 5, 7, 2, 4, 6, 8, 23, 11, 12, 14, 15};
    return num[dt];
}

/* NPY_DT_CALL_common_dtype(a, b): default_builtin_common_dtype for concrete dtypes,
 * int_common_dtype / float_common_dtype for the abstract Python ones. */
/* complex_common_dtype with a concrete dtype: bool and ints give complex128, float16/float32
 * complex64 (the Python complex takes the float's precision), complex dtypes stay. */
static int pycomplex_with(int a) {
    if (wgD_is_complex(a)) return a;
    if (a == WG_FLOAT16 || a == WG_FLOAT32) return WG_COMPLEX64;
    return WG_COMPLEX128;
}

static int common_dtype(int a, int b) {
    if (b == CLS_PYCOMPLEX && a < WG_NDTYPES) return pycomplex_with(a);
    if (a == CLS_PYCOMPLEX) return b < WG_NDTYPES ? pycomplex_with(b) : CLS_PYCOMPLEX;
    if (a < WG_NDTYPES) {
        if (b == CLS_PYINT)
            return wgD_is_int(a) || wgD_is_float(a) || wgD_is_complex(a) ? a : CLS_NOTIMPL;
        if (b == CLS_PYFLOAT) return wgD_is_float(a) || wgD_is_complex(a) ? a : CLS_NOTIMPL;
        if (type_num(b) > type_num(a)) return CLS_NOTIMPL;
        return wgD_promote(a, b) >= 0 ? wgD_promote(a, b) : CLS_NOTIMPL;
    }
    if (b == CLS_PYCOMPLEX) return CLS_PYCOMPLEX;
    if (a == CLS_PYINT) return b == WG_BOOL ? WG_INT64 : CLS_NOTIMPL;
    if (b < WG_NDTYPES) return b == WG_BOOL || wgD_is_int(b) ? WG_FLOAT64 : CLS_NOTIMPL;
    return b == CLS_PYINT ? CLS_PYFLOAT : CLS_NOTIMPL;
}

/* PyArray_CommonDType */
static int common_dtype2(int a, int b) {
    int r;
    if (a == b) return a;
    r = common_dtype(a, b);
    return r != CLS_NOTIMPL ? r : common_dtype(b, a);
}

/* reduce_dtypes_to_most_knowledgeable: leaves the main DType in dt[0]. */
static int reduce_most_knowledgeable(int length, int *dt) {
    int half = length / 2, res = CLS_NOTIMPL;
    for (int low = 0; low < half; low++) {
        int high = length - 1 - low;
        res = dt[high] == dt[low] ? dt[low] : common_dtype(dt[low], dt[high]);
        if (res == CLS_NOTIMPL) {
            int t = dt[low];
            dt[low] = dt[high];
            dt[high] = t;
        } else if (res == dt[low]) {
            dt[high] = CLS_NONE;
        }
    }
    return length == 2 ? res : reduce_most_knowledgeable(length - half, dt);
}

int wgD_result_type(int n, const int32_t *dtypes, const int32_t *weak) {
    /* NumPy's result depends only on the set of operand DTypes (checked exhaustively against
     * np.result_type for up to 4 operands), so repeats are dropped: at most 14 classes remain. */
    int dt[WG_NDTYPES + 2], m = 0, result, main_dt, start;
    if (n <= 0) return -1;
    for (int i = 0; i < n; i++) {
        int w = weak ? weak[i] : WG_WEAK_NONE, c, seen = 0;
        if (w == WG_WEAK_NONE) {
            if (!valid_dtype(dtypes[i])) return -1;
            c = dtypes[i];
        } else if (w == WG_WEAK_BOOL) {
            c = WG_BOOL;
        } else if (w == WG_WEAK_INT) {
            c = CLS_PYINT;
        } else if (w == WG_WEAK_FLOAT) {
            c = CLS_PYFLOAT;
        } else if (w == WG_WEAK_COMPLEX) {
            c = CLS_PYCOMPLEX;
        } else {
            return -1;
        }
        for (int j = 0; j < m; j++) seen |= dt[j] == c;
        if (!seen) dt[m++] = c;
    }
    n = m;
    if (n == 1) { /* a single operand is its own dtype (a weak one: its default) */
        result = dt[0];
    } else {
        result = reduce_most_knowledgeable(n, dt);
        main_dt = dt[0];
        start = 2;
        if (result == CLS_NOTIMPL) {
            result = CLS_NONE;
            start = 1;
        }
        for (int i = start; i < n; i++) {
            int promo;
            if (dt[i] == CLS_NONE) continue;
            promo = common_dtype(main_dt, dt[i]);
            if (promo == CLS_NOTIMPL) return -1;
            result = result == CLS_NONE ? promo : common_dtype2(result, promo);
            if (result == CLS_NOTIMPL) return -1;
        }
        if (result == CLS_NONE) return -1;
    }
    if (result == CLS_PYINT) return WG_INT64;
    if (result == CLS_PYFLOAT) return WG_FLOAT64;
    if (result == CLS_PYCOMPLEX) return WG_COMPLEX128;
    return result;
}

int wgD_canonical(int dt, int x64) {
    if (x64) return dt;
    switch (dt) {
    case WG_INT64: return WG_INT32;
    case WG_UINT64: return WG_UINT32;
    case WG_FLOAT64: return WG_FLOAT32;
    case WG_COMPLEX128: return WG_COMPLEX64;
    default: return dt;
    }
}

/* Operand code of the tables: a strong dtype, or WG_NDTYPES.. a weak bool/int/float/complex. */
static int operand_code(int32_t dtype, int32_t weak) {
    if (weak == WG_WEAK_NONE) return valid_dtype(dtype) ? dtype : -1;
    if (weak >= WG_WEAK_BOOL && weak <= WG_WEAK_COMPLEX) return WG_NDTYPES - 1 + weak;
    return -1;
}

int wgD_resolve_ufunc(int op, int n, const int32_t *dtypes, const int32_t *weak, int32_t *loop_in,
                      int32_t *out_dtype) {
    const uint8_t *e;
    int c0, c1;
    if (op >= 0 && op < NUNARY && n == 1) {
        if ((c0 = operand_code(dtypes[0], weak ? weak[0] : 0)) < 0) return -1;
        e = wgD_tab_unary[op][c0];
    } else if (op >= NUNARY && op < NUNARY + NBINARY && n == 2) {
        if ((c0 = operand_code(dtypes[0], weak ? weak[0] : 0)) < 0) return -1;
        if ((c1 = operand_code(dtypes[1], weak ? weak[1] : 0)) < 0) return -1;
        e = wgD_tab_binary[op - NUNARY][c0][c1];
    } else {
        return -1;
    }
    if (e[0] == 0xFF) return -1;
    for (int i = 0; i < n; i++) loop_in[i] = e[i];
    *out_dtype = e[n];
    return 0;
}

/* NumPy 2 converts a Python int operand to the loop's dtype and raises OverflowError ("Python
 * integer 300 out of bounds for uint8") when it does not fit.  Bools always fit; floats never raise
 * (they round, or become inf); an int into a float dtype never raises here (the Python layer
 * handles ints beyond 64 bits); any int converts to bool (nonzero is True). */
int wgD_value_fits(int dt, int weak, wg_value v, int is_unsigned) {
    int64_t lo, hi;
    if (weak != WG_WEAK_INT || !wgD_is_int(dt)) return 1;
    if (dt == WG_UINT64) return is_unsigned || v.i >= 0;
    if (is_unsigned && v.u > (uint64_t)INT64_MAX) return 0;
    if (dt == WG_INT64 || !wgD_int_range(dt, &lo, &hi)) return 1;
    return v.i >= lo && v.i <= hi;
}

/* The values of an integer dtype narrower than 64 bits, or bool's 0 and 1: 1 with [*lo, *hi],
 * 0 for any other dtype (int64 and uint64 reach past int64_t's one side or the other). */
int wgD_int_range(int dt, int64_t *lo, int64_t *hi) {
    *lo = 0;
    switch (dt) {
    case WG_BOOL: *hi = 1; return 1;
    case WG_INT8: *lo = INT8_MIN; *hi = INT8_MAX; return 1;
    case WG_INT16: *lo = INT16_MIN; *hi = INT16_MAX; return 1;
    case WG_INT32: *lo = INT32_MIN; *hi = INT32_MAX; return 1;
    case WG_UINT8: *hi = UINT8_MAX; return 1;
    case WG_UINT16: *hi = UINT16_MAX; return 1;
    case WG_UINT32: *hi = UINT32_MAX; return 1;
    default: return 0;
    }
}

/* ---- public wrappers (wgpy.h) ------------------------------------------------------------ */

int wg_promote_types(int a, int b) { return wgD_promote(a, b); }
int wg_can_cast(int from, int to, int casting) { return wgD_can_cast(from, to, casting); }
const char *wg_dtype_name(int dtype) { return wgD_name(dtype); }
int wg_dtype_size(int dtype) { return wgD_size(dtype); }
int wg_dtype_kind(int dtype) { return wgD_kind(dtype); }

static const struct { const char *name; int arity; } op_info[WG_NOPS] = {
#define WG_X_(E, name, arity) {#name, arity},
    WG_UNARY_OPS(WG_X_) WG_BINARY_OPS(WG_X_) WG_INTERNAL_OPS(WG_X_)
#undef WG_X_
};

int wg_op_count(void) { return WG_NOPS; }
const char *wg_op_name(int op) { return op >= 0 && op < WG_NOPS ? op_info[op].name : NULL; }
int wg_op_arity(int op) { return op >= 0 && op < WG_NOPS ? op_info[op].arity : -1; }

static const char *const reduce_names[WG_NREDUCE] = {
#define WG_X_(E, name) #name,
    WG_REDUCE_OPS(WG_X_)
#undef WG_X_
};

int wg_reduce_count(void) { return WG_NREDUCE; }
const char *wg_reduce_name(int rop) { return rop >= 0 && rop < WG_NREDUCE ? reduce_names[rop] : NULL; }

static const char *const counter_names[WG_NCOUNTERS] = {
#define WG_X_(E, name) #name,
    WG_COUNTERS(WG_X_)
#undef WG_X_
};

int wg_counter_count(void) { return WG_NCOUNTERS; }
const char *wg_counter_name(int c) { return c >= 0 && c < WG_NCOUNTERS ? counter_names[c] : NULL; }
