/* Public API: ufunc.reduce of bitwise_and, bitwise_or and bitwise_xor over integers and bools.
 * The IR's reduction folds are sum, product, max, min, any and all; these three are folded by a
 * library kernel instead: the reduced axes are moved last (a view: raw operands index in logical
 * C order over any strides), and each pass folds runs of up to CHUNK elements per output point,
 * until one value per output is left.  A gather per output point, so every backend runs it. */
#include "libk.h"

#include <string.h>

#define CHUNK 256

#define BITWISE_FOLD(NAME, OPER, IDENTITY)                                                     \
    static const wgP_libk NAME##_src = {                                                       \
        .name = "wg_reduce_" #NAME,                                                             \
        .in_params = "raw T x, int32 K, int32 C, int32 nb",                                     \
        .out_params = "T y",                                                                    \
        .operation = "int m = (int)(i / nb); int b = (int)(i % nb);\n"                         \
                     "int e = (b + 1) * C; if (e > K) e = K;\n"                                 \
                     "T acc = " IDENTITY ";\n"                                                  \
                     "for (int k = b * C; k < e; k++) acc = acc " OPER " x[m * K + k];\n"      \
                     "y = acc;",                                                                \
        .preamble = "", .loop_prep = ""};

/* all ones is the identity of & for every integer type and bool: T(-1) */
BITWISE_FOLD(bitwise_and, "&", "T(-1)")
BITWISE_FOLD(bitwise_or, "|", "T(0)")
BITWISE_FOLD(bitwise_xor, "^", "T(0)")

/* One pass: y (M * nb) from x viewed as (M, K). */
static wg_array *fold_pass(wg_context *ctx, const wgP_libk *src, wg_array *x, int64_t M,
                           int64_t K, int64_t *nb_out) {
    int64_t nb = K > CHUNK ? (K + CHUNK - 1) / CHUNK : 1;
    wg_array *sK = wgP_i32(ctx, (int32_t)K), *sC = wgP_i32(ctx, CHUNK), *snb = wgP_i32(ctx, (int32_t)nb);
    wg_array *y = NULL;
    if (sK && sC && snb) {
        wg_array *args[4] = {x, sK, sC, snb};
        if (wgP_libk_launch(ctx, src, 4, args, M * nb, &y) != WG_OK) y = NULL;
    }
    wg_release(sK);
    wg_release(sC);
    wg_release(snb);
    *nb_out = nb;
    return y;
}

wg_array *wg_bitwise_reduce(wg_context *ctx, int op, wg_array *a, int naxes, const int64_t *axes,
                            int keepdims) {
    const wgP_libk *src = op == WG_OP_BITWISE_AND   ? &bitwise_and_src
                          : op == WG_OP_BITWISE_OR  ? &bitwise_or_src
                          : op == WG_OP_BITWISE_XOR ? &bitwise_xor_src
                                                    : NULL;
    if (!src) {
        wgB_error(ctx, WG_ERR_VALUE, "wg_bitwise_reduce: op %d is not a bitwise op", op);
        return NULL;
    }
    if (wgD_is_float(a->dtype)) {
        wgB_error(ctx, WG_ERR_TYPE,
                  "ufunc '%s' not supported for the input types, and the inputs could not be "
                  "safely coerced to any supported types according to the casting rule ''safe''",
                  src->name + strlen("wg_reduce_"));
        return NULL;
    }
    int nd = a->lay.ndim;
    int64_t mask;
    if (wgL_axes_mask(ctx, naxes, axes, nd, &mask)) return NULL;
    int64_t perm[WG_MAX_NDIM], oshape[WG_MAX_NDIM], M = 1, K = 1;
    int np = 0, no = 0;
    for (int d = 0; d < nd; d++)
        if (!((mask >> d) & 1)) {
            perm[np++] = d;
            M *= a->lay.shape[d];
            oshape[no++] = a->lay.shape[d];
        } else if (keepdims) {
            oshape[no++] = 1;
        }
    for (int d = 0; d < nd; d++)
        if ((mask >> d) & 1) {
            perm[np++] = d;
            K *= a->lay.shape[d];
        }
    if (M * (K > 0 ? K : 1) > INT32_MAX) {
        wgB_error(ctx, WG_ERR_NOTIMPL, "%s.reduce: arrays of 2^31 elements or more",
                  src->name + strlen("wg_reduce_"));
        return NULL;
    }
    if (M == 0) return wg_empty(ctx, a->dtype, no, oshape);
    wg_array *x;
    if (K == 0) { /* nothing to fold: the identity; a one-element operand the kernel never reads */
        int64_t one = 1;
        x = wg_empty(ctx, a->dtype, 1, &one);
    } else {
        x = nd ? wg_transpose(ctx, a, nd, perm) : (wg_retain(a), a);
    }
    while (x) {
        int64_t nb;
        wg_array *y = fold_pass(ctx, src, x, M, K, &nb);
        wg_release(x);
        x = y;
        if (nb == 1) break;
        K = nb;
    }
    if (!x) return NULL;
    wg_array *r = wg_reshape(ctx, x, no, oshape, 'C');
    wg_release(x);
    return r;
}
