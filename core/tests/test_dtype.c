/* dtype layer: names, promotion, casting, NEP 50 result_type, ufunc resolution, 64-bit policy,
 * Python-int overflow.  Expected values were read from NumPy 2.4.6. */
#include "wgtest.h"

#include <string.h>

#include "../src/dtype/dtype.h"

WG_TEST(dtype_names_sizes_kinds) {
    WG_CHECK_EQ_STR(wgD_name(WG_BOOL), "bool");
    WG_CHECK_EQ_STR(wgD_name(WG_UINT16), "uint16");
    WG_CHECK_EQ_STR(wgD_name(WG_FLOAT64), "float64");
    WG_CHECK_EQ_STR(wgD_name(-1), NULL);
    WG_CHECK_EQ_STR(wgD_name(WG_NDTYPES), NULL);
    WG_CHECK_EQ_INT(wgD_size(WG_BOOL), 1);
    WG_CHECK_EQ_INT(wgD_size(WG_INT16), 2);
    WG_CHECK_EQ_INT(wgD_size(WG_UINT32), 4);
    WG_CHECK_EQ_INT(wgD_size(WG_FLOAT16), 2);
    WG_CHECK_EQ_INT(wgD_size(WG_FLOAT64), 8);
    WG_CHECK_EQ_INT(wgD_kind(WG_BOOL), 'b');
    WG_CHECK_EQ_INT(wgD_kind(WG_INT64), 'i');
    WG_CHECK_EQ_INT(wgD_kind(WG_UINT8), 'u');
    WG_CHECK_EQ_INT(wgD_kind(WG_FLOAT32), 'f');
    WG_CHECK_EQ_INT(wgD_weak_default(WG_WEAK_BOOL), WG_BOOL);
    WG_CHECK_EQ_INT(wgD_weak_default(WG_WEAK_INT), WG_INT64);
    WG_CHECK_EQ_INT(wgD_weak_default(WG_WEAK_FLOAT), WG_FLOAT64);
    WG_CHECK_EQ_INT(wgD_weak_default(WG_WEAK_NONE), -1);
    /* public wrappers */
    WG_CHECK_EQ_STR(wg_dtype_name(WG_INT8), "int8");
    WG_CHECK_EQ_INT(wg_dtype_size(WG_UINT64), 8);
    WG_CHECK_EQ_INT(wg_dtype_kind(WG_FLOAT16), 'f');
    WG_CHECK_EQ_INT(wg_dtype_size(99), 0);
}

WG_TEST(dtype_op_reduce_counter_names) {
    WG_CHECK_EQ_INT(wg_op_count(), WG_NOPS);
    WG_CHECK_EQ_STR(wg_op_name(WG_OP_NEGATIVE), "negative");
    WG_CHECK_EQ_STR(wg_op_name(WG_OP_TRUE_DIVIDE), "true_divide");
    WG_CHECK_EQ_STR(wg_op_name(WG_OP_RIGHT_SHIFT), "right_shift");
    WG_CHECK_EQ_STR(wg_op_name(WG_OP_CAST), "cast");
    WG_CHECK_EQ_STR(wg_op_name(WG_NOPS), NULL);
    WG_CHECK_EQ_STR(wg_op_name(-1), NULL);
    WG_CHECK_EQ_INT(wg_op_arity(WG_OP_SQRT), 1);
    WG_CHECK_EQ_INT(wg_op_arity(WG_OP_ADD), 2);
    WG_CHECK_EQ_INT(wg_op_arity(WG_OP_WHERE), 3);
    WG_CHECK_EQ_INT(wg_op_arity(WG_OP_LOAD), 0);
    WG_CHECK_EQ_INT(wg_op_arity(WG_NOPS), -1);
    WG_CHECK_EQ_INT(wg_reduce_count(), WG_NREDUCE);
    WG_CHECK_EQ_STR(wg_reduce_name(WG_REDUCE_SUM), "sum");
    WG_CHECK_EQ_STR(wg_reduce_name(WG_REDUCE_ARGMAX), "argmax");
    WG_CHECK_EQ_STR(wg_reduce_name(WG_REDUCE_STD), "std");
    WG_CHECK_EQ_STR(wg_reduce_name(WG_NREDUCE), NULL);
    WG_CHECK_EQ_INT(wg_counter_count(), WG_NCOUNTERS);
    WG_CHECK_EQ_STR(wg_counter_name(WG_COUNTER_KERNELS_LAUNCHED), "kernels_launched");
    WG_CHECK_EQ_STR(wg_counter_name(WG_COUNTER_FLUSHES), "flushes");
    WG_CHECK_EQ_STR(wg_counter_name(WG_NCOUNTERS), NULL);
}

WG_TEST(dtype_promote) {
    WG_CHECK_EQ_INT(wgD_promote(WG_INT8, WG_UINT8), WG_INT16);
    WG_CHECK_EQ_INT(wgD_promote(WG_INT64, WG_UINT64), WG_FLOAT64);
    WG_CHECK_EQ_INT(wgD_promote(WG_UINT64, WG_INT8), WG_FLOAT64);
    WG_CHECK_EQ_INT(wgD_promote(WG_UINT32, WG_INT32), WG_INT64);
    WG_CHECK_EQ_INT(wgD_promote(WG_FLOAT16, WG_INT16), WG_FLOAT32);
    WG_CHECK_EQ_INT(wgD_promote(WG_INT32, WG_FLOAT16), WG_FLOAT64);
    WG_CHECK_EQ_INT(wgD_promote(WG_UINT8, WG_FLOAT16), WG_FLOAT16);
    WG_CHECK_EQ_INT(wgD_promote(WG_INT32, WG_FLOAT32), WG_FLOAT64);
    WG_CHECK_EQ_INT(wgD_promote(WG_BOOL, WG_BOOL), WG_BOOL);
    WG_CHECK_EQ_INT(wgD_promote(-1, WG_BOOL), -1);
    WG_CHECK_EQ_INT(wg_promote_types(WG_UINT16, WG_INT8), WG_INT32);
    for (int a = 0; a < WG_NDTYPES; a++) {
        WG_CHECK_EQ_INT(wgD_promote(a, a), a);
        WG_CHECK_EQ_INT(wgD_promote(WG_BOOL, a), a);
        for (int b = 0; b < WG_NDTYPES; b++) {
            int p = wgD_promote(a, b);
            WG_CHECK_EQ_INT(p, wgD_promote(b, a));
            /* the promoted type holds both safely */
            WG_CHECK(wgD_can_cast(a, p, WG_CAST_SAFE) && wgD_can_cast(b, p, WG_CAST_SAFE));
        }
    }
}

WG_TEST(dtype_can_cast) {
    WG_CHECK_EQ_INT(wgD_can_cast(WG_INT8, WG_INT16, WG_CAST_SAFE), 1);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_INT16, WG_INT8, WG_CAST_SAFE), 0);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_INT16, WG_INT8, WG_CAST_SAME_KIND), 1);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_FLOAT64, WG_INT64, WG_CAST_SAME_KIND), 0);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_FLOAT64, WG_INT64, WG_CAST_UNSAFE), 1);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_UINT64, WG_INT64, WG_CAST_SAFE), 0);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_INT64, WG_FLOAT64, WG_CAST_SAFE), 1);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_UINT8, WG_INT8, WG_CAST_SAME_KIND), 1);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_INT8, WG_UINT8, WG_CAST_SAME_KIND), 0);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_INT64, WG_UINT64, WG_CAST_SAME_KIND), 0);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_BOOL, WG_FLOAT16, WG_CAST_SAFE), 1);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_FLOAT32, WG_BOOL, WG_CAST_SAME_KIND), 0);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_INT32, WG_INT32, WG_CAST_NO), 1);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_INT32, WG_INT64, WG_CAST_EQUIV), 0);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_UINT16, WG_FLOAT16, WG_CAST_SAFE), 0);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_UINT8, WG_FLOAT16, WG_CAST_SAFE), 1);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_INT32, WG_FLOAT32, WG_CAST_SAFE), 0);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_FLOAT64, WG_FLOAT16, WG_CAST_SAME_KIND), 1);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_FLOAT16, WG_FLOAT32, WG_CAST_SAFE), 1);
    WG_CHECK_EQ_INT(wgD_can_cast(WG_INT8, WG_INT8, 5), 0);
    WG_CHECK_EQ_INT(wg_can_cast(WG_INT8, WG_FLOAT16, WG_CAST_SAFE), 1);
    /* each casting kind allows at least what the stricter one does */
    for (int a = 0; a < WG_NDTYPES; a++)
        for (int b = 0; b < WG_NDTYPES; b++) {
            WG_CHECK_EQ_INT(wgD_can_cast(a, b, WG_CAST_NO), a == b);
            WG_CHECK_EQ_INT(wgD_can_cast(a, b, WG_CAST_UNSAFE), 1);
            for (int k = WG_CAST_NO; k < WG_CAST_UNSAFE; k++)
                WG_CHECK(!wgD_can_cast(a, b, k) || wgD_can_cast(a, b, k + 1));
        }
}

static int rt(int n, const int32_t *dt, const int32_t *wk) { return wgD_result_type(n, dt, wk); }

WG_TEST(dtype_result_type_nep50) {
    const int32_t N = 0, B = WG_WEAK_BOOL, I = WG_WEAK_INT, F = WG_WEAK_FLOAT;
    /* the dtype of a weak operand is ignored */
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){WG_INT8, 99}, (int32_t[]){N, I}), WG_INT8);
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){WG_INT8, 0}, (int32_t[]){N, F}), WG_FLOAT64);
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){WG_FLOAT16, 0}, (int32_t[]){N, F}), WG_FLOAT16);
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){WG_UINT8, 0}, (int32_t[]){N, I}), WG_UINT8);
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){WG_BOOL, 0}, (int32_t[]){N, I}), WG_INT64);
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){WG_BOOL, 0}, (int32_t[]){N, F}), WG_FLOAT64);
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){WG_INT16, 0}, (int32_t[]){N, B}), WG_INT16);
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){WG_FLOAT32, 0}, (int32_t[]){N, I}), WG_FLOAT32);
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){WG_UINT64, 0}, (int32_t[]){N, F}), WG_FLOAT64);
    /* all weak: the defaults */
    WG_CHECK_EQ_INT(rt(1, (int32_t[]){0}, (int32_t[]){I}), WG_INT64);
    WG_CHECK_EQ_INT(rt(1, (int32_t[]){0}, (int32_t[]){F}), WG_FLOAT64);
    WG_CHECK_EQ_INT(rt(1, (int32_t[]){0}, (int32_t[]){B}), WG_BOOL);
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){0, 0}, (int32_t[]){B, I}), WG_INT64);
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){0, 0}, (int32_t[]){I, F}), WG_FLOAT64);
    WG_CHECK_EQ_INT(rt(3, (int32_t[]){0, 0, 0}, (int32_t[]){I, I, I}), WG_INT64);
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){0, 0}, (int32_t[]){B, B}), WG_BOOL);
    /* strong only; weak == NULL means all strong */
    WG_CHECK_EQ_INT(rt(2, (int32_t[]){WG_INT8, WG_UINT8}, NULL), WG_INT16);
    WG_CHECK_EQ_INT(rt(1, (int32_t[]){WG_UINT16}, NULL), WG_UINT16);
    /* n-ary promotion is not a left fold of promote_types (NumPy's most-knowledgeable DType):
     * np.result_type(uint8, int8, float16) is float16, promote(int16, float16) is float32 */
    WG_CHECK_EQ_INT(rt(3, (int32_t[]){WG_UINT8, WG_INT8, WG_FLOAT16}, NULL), WG_FLOAT16);
    WG_CHECK_EQ_INT(rt(3, (int32_t[]){WG_UINT16, WG_INT8, WG_FLOAT16}, NULL), WG_FLOAT32);
    WG_CHECK_EQ_INT(rt(3, (int32_t[]){WG_UINT16, WG_INT8, WG_FLOAT32}, NULL), WG_FLOAT32);
    WG_CHECK_EQ_INT(rt(3, (int32_t[]){WG_INT8, WG_UINT8, 0}, (int32_t[]){N, N, I}), WG_INT16);
    WG_CHECK_EQ_INT(rt(3, (int32_t[]){WG_UINT8, WG_INT8, 0}, (int32_t[]){N, N, F}), WG_FLOAT64);
    WG_CHECK_EQ_INT(rt(3, (int32_t[]){WG_INT8, WG_FLOAT16, 0}, (int32_t[]){N, N, I}), WG_FLOAT16);
    WG_CHECK_EQ_INT(rt(4, (int32_t[]){WG_BOOL, 0, WG_INT8, 0}, (int32_t[]){N, I, N, B}), WG_INT8);
    /* errors */
    WG_CHECK_EQ_INT(rt(0, NULL, NULL), -1);
    WG_CHECK_EQ_INT(rt(1, (int32_t[]){WG_NDTYPES}, NULL), -1);
    WG_CHECK_EQ_INT(rt(1, (int32_t[]){0}, (int32_t[]){7}), -1);
    /* many operands */
    {
        int32_t dt[40], wk[40];
        for (int i = 0; i < 40; i++) { dt[i] = i % 3 ? WG_INT8 : WG_UINT8; wk[i] = i == 39 ? F : N; }
        WG_CHECK_EQ_INT(rt(39, dt, wk), WG_INT16);
        WG_CHECK_EQ_INT(rt(40, dt, wk), WG_FLOAT64);
    }
}

/* result_type over two strong operands is promote_types; one strong and one weak operand give
 * what the binary ufunc tables say for add (generated independently from NumPy). */
WG_TEST(dtype_result_type_agrees_with_tables) {
    for (int a = 0; a < WG_NDTYPES; a++) {
        for (int b = 0; b < WG_NDTYPES; b++)
            WG_CHECK_EQ_INT(rt(2, (int32_t[]){a, b}, NULL), wgD_promote(a, b));
        for (int w = WG_WEAK_BOOL; w <= WG_WEAK_FLOAT; w++) {
            int32_t in[2], out = -1;
            WG_CHECK_EQ_INT(wgD_resolve_ufunc(WG_OP_ADD, 2, (int32_t[]){a, 0}, (int32_t[]){0, w}, in, &out), 0);
            WG_CHECK_EQ_INT(rt(2, (int32_t[]){a, 0}, (int32_t[]){0, w}), out);
            WG_CHECK_EQ_INT(rt(2, (int32_t[]){0, a}, (int32_t[]){w, 0}), out);
        }
    }
}

WG_TEST(dtype_canonical) {
    WG_CHECK_EQ_INT(wgD_canonical(WG_INT64, 0), WG_INT32);
    WG_CHECK_EQ_INT(wgD_canonical(WG_UINT64, 0), WG_UINT32);
    WG_CHECK_EQ_INT(wgD_canonical(WG_FLOAT64, 0), WG_FLOAT32);
    WG_CHECK_EQ_INT(wgD_canonical(WG_INT16, 0), WG_INT16);
    WG_CHECK_EQ_INT(wgD_canonical(WG_FLOAT16, 0), WG_FLOAT16);
    WG_CHECK_EQ_INT(wgD_canonical(WG_BOOL, 0), WG_BOOL);
    for (int a = 0; a < WG_NDTYPES; a++) WG_CHECK_EQ_INT(wgD_canonical(a, 1), a);
}

/* Expected values: numpy.<op>.resolve_dtypes(...) in NumPy 2.4.6 (weak int/float passed as the
 * Python types int/float, a weak bool as np.dtype(bool)). */
static const struct {
    int op, n;
    int32_t dt[2], wk[2];
    int status;
    int32_t in0, in1, out;
} ufunc_cases[] = {
    {WG_OP_SQRT, 1, {WG_INT8, 0}, {0, 0}, 0, WG_FLOAT16, 0, WG_FLOAT16},
    {WG_OP_SQRT, 1, {WG_INT16, 0}, {0, 0}, 0, WG_FLOAT32, 0, WG_FLOAT32},
    {WG_OP_SQRT, 1, {WG_UINT32, 0}, {0, 0}, 0, WG_FLOAT64, 0, WG_FLOAT64},
    {WG_OP_SQRT, 1, {0, 0}, {WG_WEAK_INT, 0}, 0, WG_FLOAT64, 0, WG_FLOAT64},
    {WG_OP_SQRT, 1, {0, 0}, {WG_WEAK_BOOL, 0}, 0, WG_FLOAT16, 0, WG_FLOAT16},
    {WG_OP_FLOOR, 1, {WG_INT8, 0}, {0, 0}, 0, WG_INT8, 0, WG_INT8},
    {WG_OP_FLOOR, 1, {0, 0}, {WG_WEAK_INT, 0}, 0, WG_INT64, 0, WG_INT64},
    {WG_OP_RINT, 1, {WG_UINT8, 0}, {0, 0}, 0, WG_FLOAT16, 0, WG_FLOAT16},
    {WG_OP_NEGATIVE, 1, {WG_BOOL, 0}, {0, 0}, -1, 0, 0, 0},
    {WG_OP_NEGATIVE, 1, {0, 0}, {WG_WEAK_BOOL, 0}, -1, 0, 0, 0},
    {WG_OP_INVERT, 1, {WG_FLOAT32, 0}, {0, 0}, -1, 0, 0, 0},
    {WG_OP_INVERT, 1, {WG_BOOL, 0}, {0, 0}, 0, WG_BOOL, 0, WG_BOOL},
    {WG_OP_ISNAN, 1, {WG_INT16, 0}, {0, 0}, 0, WG_INT16, 0, WG_BOOL},
    {WG_OP_LOGICAL_NOT, 1, {WG_FLOAT32, 0}, {0, 0}, 0, WG_FLOAT32, 0, WG_BOOL},
    {WG_OP_SQUARE, 1, {WG_BOOL, 0}, {0, 0}, 0, WG_INT8, 0, WG_INT8},
    {WG_OP_RECIPROCAL, 1, {0, 0}, {WG_WEAK_BOOL, 0}, 0, WG_INT8, 0, WG_INT8},
    {WG_OP_ABSOLUTE, 1, {0, 0}, {WG_WEAK_FLOAT, 0}, 0, WG_FLOAT64, 0, WG_FLOAT64},
    {WG_OP_SIGN, 1, {WG_UINT64, 0}, {0, 0}, 0, WG_UINT64, 0, WG_UINT64},
    {WG_OP_TRUE_DIVIDE, 2, {WG_INT8, WG_INT8}, {0, 0}, 0, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64},
    {WG_OP_TRUE_DIVIDE, 2, {WG_FLOAT16, 0}, {0, WG_WEAK_INT}, 0, WG_FLOAT16, WG_FLOAT16, WG_FLOAT16},
    {WG_OP_TRUE_DIVIDE, 2, {0, 0}, {WG_WEAK_INT, WG_WEAK_INT}, 0, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64},
    {WG_OP_ADD, 2, {WG_INT8, 0}, {0, WG_WEAK_INT}, 0, WG_INT8, WG_INT8, WG_INT8},
    {WG_OP_ADD, 2, {WG_UINT8, 0}, {0, WG_WEAK_INT}, 0, WG_UINT8, WG_UINT8, WG_UINT8},
    {WG_OP_ADD, 2, {WG_INT8, 0}, {0, WG_WEAK_FLOAT}, 0, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64},
    {WG_OP_ADD, 2, {WG_FLOAT16, 0}, {0, WG_WEAK_FLOAT}, 0, WG_FLOAT16, WG_FLOAT16, WG_FLOAT16},
    {WG_OP_ADD, 2, {WG_BOOL, 0}, {0, WG_WEAK_INT}, 0, WG_INT64, WG_INT64, WG_INT64},
    {WG_OP_ADD, 2, {0, 0}, {WG_WEAK_INT, WG_WEAK_FLOAT}, 0, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64},
    {WG_OP_ADD, 2, {0, 0}, {WG_WEAK_BOOL, WG_WEAK_BOOL}, 0, WG_BOOL, WG_BOOL, WG_BOOL},
    {WG_OP_ADD, 2, {WG_INT64, WG_UINT64}, {0, 0}, 0, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64},
    {WG_OP_SUBTRACT, 2, {WG_BOOL, WG_BOOL}, {0, 0}, -1, 0, 0, 0},
    {WG_OP_SUBTRACT, 2, {WG_BOOL, 0}, {0, WG_WEAK_BOOL}, -1, 0, 0, 0},
    {WG_OP_POWER, 2, {WG_BOOL, WG_BOOL}, {0, 0}, 0, WG_INT8, WG_INT8, WG_INT8},
    {WG_OP_POWER, 2, {WG_INT8, 0}, {0, WG_WEAK_FLOAT}, 0, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64},
    {WG_OP_LEFT_SHIFT, 2, {0, WG_INT8}, {WG_WEAK_FLOAT, 0}, -1, 0, 0, 0},
    {WG_OP_LEFT_SHIFT, 2, {WG_BOOL, WG_BOOL}, {0, 0}, 0, WG_INT8, WG_INT8, WG_INT8},
    {WG_OP_RIGHT_SHIFT, 2, {WG_UINT8, 0}, {0, WG_WEAK_INT}, 0, WG_UINT8, WG_UINT8, WG_UINT8},
    {WG_OP_BITWISE_AND, 2, {WG_INT64, WG_UINT64}, {0, 0}, -1, 0, 0, 0},
    {WG_OP_BITWISE_OR, 2, {WG_BOOL, 0}, {0, WG_WEAK_INT}, 0, WG_INT64, WG_INT64, WG_INT64},
    {WG_OP_EQUAL, 2, {WG_INT64, WG_UINT64}, {0, 0}, 0, WG_INT64, WG_UINT64, WG_BOOL},
    {WG_OP_LESS, 2, {WG_INT8, WG_UINT64}, {0, 0}, 0, WG_INT64, WG_UINT64, WG_BOOL},
    /* NumPy uses its object loop for two Python ints; the table records int64 */
    {WG_OP_EQUAL, 2, {0, 0}, {WG_WEAK_INT, WG_WEAK_INT}, 0, WG_INT64, WG_INT64, WG_BOOL},
    {WG_OP_GREATER, 2, {WG_UINT8, 0}, {0, WG_WEAK_INT}, 0, WG_UINT8, WG_UINT8, WG_BOOL},
    {WG_OP_LESS_EQUAL, 2, {WG_FLOAT16, WG_INT16}, {0, 0}, 0, WG_FLOAT32, WG_FLOAT32, WG_BOOL},
    {WG_OP_LOGICAL_AND, 2, {WG_INT8, WG_INT8}, {0, 0}, 0, WG_INT8, WG_INT8, WG_BOOL},
    {WG_OP_LOGICAL_AND, 2, {WG_INT8, WG_INT16}, {0, 0}, 0, WG_BOOL, WG_BOOL, WG_BOOL},
    {WG_OP_LOGICAL_XOR, 2, {WG_FLOAT32, 0}, {0, WG_WEAK_INT}, 0, WG_BOOL, WG_BOOL, WG_BOOL},
    {WG_OP_MAXIMUM, 2, {WG_UINT8, WG_INT8}, {0, 0}, 0, WG_INT16, WG_INT16, WG_INT16},
    {WG_OP_FMIN, 2, {WG_FLOAT16, 0}, {0, WG_WEAK_FLOAT}, 0, WG_FLOAT16, WG_FLOAT16, WG_FLOAT16},
    {WG_OP_ARCTAN2, 2, {WG_INT8, WG_UINT8}, {0, 0}, 0, WG_FLOAT16, WG_FLOAT16, WG_FLOAT16},
    {WG_OP_HYPOT, 2, {WG_BOOL, 0}, {0, WG_WEAK_INT}, 0, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64},
    {WG_OP_COPYSIGN, 2, {WG_INT16, WG_INT16}, {0, 0}, 0, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32},
    {WG_OP_FLOOR_DIVIDE, 2, {WG_BOOL, WG_BOOL}, {0, 0}, 0, WG_INT8, WG_INT8, WG_INT8},
    {WG_OP_REMAINDER, 2, {WG_UINT64, WG_INT64}, {0, 0}, 0, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64},
};

WG_TEST(dtype_resolve_ufunc_samples) {
    for (size_t i = 0; i < sizeof ufunc_cases / sizeof ufunc_cases[0]; i++) {
        int32_t in[2] = {-7, -7}, out = -7;
        int st = wgD_resolve_ufunc(ufunc_cases[i].op, ufunc_cases[i].n, ufunc_cases[i].dt,
                                   ufunc_cases[i].wk, in, &out);
        WG_CHECK_EQ_INT(st, ufunc_cases[i].status);
        if (st != 0 || ufunc_cases[i].status != 0) continue;
        WG_CHECK_EQ_INT(in[0], ufunc_cases[i].in0);
        if (ufunc_cases[i].n == 2) WG_CHECK_EQ_INT(in[1], ufunc_cases[i].in1);
        WG_CHECK_EQ_INT(out, ufunc_cases[i].out);
        if (st != ufunc_cases[i].status || out != ufunc_cases[i].out)
            wgt_fail(__FILE__, __LINE__, "case %zu (%s)", i, wg_op_name(ufunc_cases[i].op));
    }
}

WG_TEST(dtype_resolve_ufunc_edges) {
    int32_t in[2], out;
    /* wrong arity, internal ops, bad operands */
    WG_CHECK_EQ_INT(wgD_resolve_ufunc(WG_OP_ADD, 1, (int32_t[]){WG_INT8}, NULL, in, &out), -1);
    WG_CHECK_EQ_INT(wgD_resolve_ufunc(WG_OP_SQRT, 2, (int32_t[]){WG_INT8, WG_INT8}, NULL, in, &out), -1);
    WG_CHECK_EQ_INT(wgD_resolve_ufunc(WG_OP_CAST, 1, (int32_t[]){WG_INT8}, NULL, in, &out), -1);
    WG_CHECK_EQ_INT(wgD_resolve_ufunc(WG_OP_WHERE, 3, (int32_t[]){0, 0, 0}, NULL, in, &out), -1);
    WG_CHECK_EQ_INT(wgD_resolve_ufunc(-1, 1, (int32_t[]){WG_INT8}, NULL, in, &out), -1);
    WG_CHECK_EQ_INT(wgD_resolve_ufunc(WG_OP_SQRT, 1, (int32_t[]){WG_NDTYPES}, NULL, in, &out), -1);
    WG_CHECK_EQ_INT(wgD_resolve_ufunc(WG_OP_SQRT, 1, (int32_t[]){0}, (int32_t[]){5}, in, &out), -1);
    /* a weak Python complex (NEP 50): float32 + 1j is complex64, int8 + 1j complex128 */
    WG_CHECK_EQ_INT(wgD_resolve_ufunc(WG_OP_ADD, 2, (int32_t[]){WG_FLOAT32, 0},
                                      (int32_t[]){0, WG_WEAK_COMPLEX}, in, &out), 0);
    WG_CHECK_EQ_INT(out, WG_COMPLEX64);
    WG_CHECK_EQ_INT(wgD_resolve_ufunc(WG_OP_ADD, 2, (int32_t[]){WG_INT8, 0},
                                      (int32_t[]){0, WG_WEAK_COMPLEX}, in, &out), 0);
    WG_CHECK_EQ_INT(out, WG_COMPLEX128);
    WG_CHECK_EQ_INT(wgD_resolve_ufunc(WG_OP_ABSOLUTE, 1, (int32_t[]){WG_COMPLEX64}, NULL, in, &out), 0);
    WG_CHECK_EQ_INT(out, WG_FLOAT32);
    WG_CHECK_EQ_INT(wgD_canonical(WG_COMPLEX128, 0), WG_COMPLEX64);
    WG_CHECK_EQ_INT(wgD_result_type(2, (int32_t[]){WG_FLOAT16, 0},
                                    (int32_t[]){0, WG_WEAK_COMPLEX}), WG_COMPLEX64);
    WG_CHECK_EQ_INT(wgD_result_type(2, (int32_t[]){WG_INT64, 0},
                                    (int32_t[]){WG_WEAK_FLOAT, WG_WEAK_COMPLEX}), WG_COMPLEX128);
    WG_CHECK_EQ_INT(wgD_result_type(2, (int32_t[]){WG_COMPLEX64, WG_FLOAT64}, NULL), WG_COMPLEX128);
    /* weak == NULL: all strong */
    WG_CHECK_EQ_INT(wgD_resolve_ufunc(WG_OP_MULTIPLY, 2, (int32_t[]){WG_INT8, WG_UINT8}, NULL, in, &out), 0);
    WG_CHECK_EQ_INT(out, WG_INT16);
    /* every resolved loop takes its inputs without an unsafe cast of a strong operand, and every
     * binary op is resolved for float64 except the bitwise/shift ones */
    for (int op = 0; op < WG_OP_CAST; op++) {
        int n = wg_op_arity(op);
        int32_t dt[2] = {WG_FLOAT64, WG_FLOAT64};
        int st = wgD_resolve_ufunc(op, n, dt, NULL, in, &out);
        int bitwise = op == WG_OP_INVERT || (op >= WG_OP_BITWISE_AND && op <= WG_OP_RIGHT_SHIFT);
        WG_CHECK_EQ_INT(st, bitwise ? -1 : 0);
        for (int a = 0; a < WG_NDTYPES; a++)
            for (int b = 0; b < WG_NDTYPES; b++) {
                int32_t d2[2] = {a, b};
                if (wgD_resolve_ufunc(op, n, d2, NULL, in, &out) != 0) continue;
                /* logical ops cast to bool (NumPy's logical promoter): an unsafe cast */
                if (op == WG_OP_LOGICAL_AND || op == WG_OP_LOGICAL_OR || op == WG_OP_LOGICAL_XOR)
                    continue;
                for (int k = 0; k < n; k++) WG_CHECK(wgD_can_cast(d2[k], in[k], WG_CAST_SAFE));
            }
    }
}

static wg_value iv(int64_t i) { wg_value v; v.i = i; return v; }
static wg_value uv(uint64_t u) { wg_value v; v.u = u; return v; }
static wg_value fv(double f) { wg_value v; v.f = f; return v; }

WG_TEST(dtype_value_fits) {
    const int I = WG_WEAK_INT;
    WG_CHECK_EQ_INT(wgD_value_fits(WG_UINT8, I, iv(255), 0), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_UINT8, I, iv(300), 0), 0);  /* uint8 array + 300 */
    WG_CHECK_EQ_INT(wgD_value_fits(WG_UINT8, I, iv(-1), 0), 0);   /* uint8 array + (-1) */
    WG_CHECK_EQ_INT(wgD_value_fits(WG_INT8, I, iv(-128), 0), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_INT8, I, iv(-129), 0), 0);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_INT8, I, iv(127), 0), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_INT8, I, iv(128), 0), 0);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_INT16, I, iv(32768), 0), 0);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_UINT16, I, iv(65535), 0), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_INT32, I, iv(INT32_MIN), 0), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_INT32, I, iv((int64_t)INT32_MAX + 1), 0), 0);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_UINT32, I, iv(UINT32_MAX), 0), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_UINT32, I, iv((int64_t)UINT32_MAX + 1), 0), 0);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_INT64, I, iv(INT64_MIN), 0), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_INT64, I, uv((uint64_t)1 << 63), 1), 0); /* 2**63 */
    WG_CHECK_EQ_INT(wgD_value_fits(WG_UINT64, I, uv(UINT64_MAX), 1), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_UINT64, I, iv(-1), 0), 0);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_UINT8, I, uv(200), 1), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_UINT8, I, uv(UINT64_MAX), 1), 0);
    /* ints into float or bool loops, and weak floats/bools, never raise */
    WG_CHECK_EQ_INT(wgD_value_fits(WG_FLOAT16, I, iv(100000), 0), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_BOOL, I, iv(300), 0), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_FLOAT16, WG_WEAK_FLOAT, fv(1e300), 0), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_UINT8, WG_WEAK_FLOAT, fv(-1.5), 0), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_UINT8, WG_WEAK_BOOL, iv(1), 0), 1);
    WG_CHECK_EQ_INT(wgD_value_fits(WG_INT8, WG_WEAK_NONE, iv(1000), 0), 1);
}
