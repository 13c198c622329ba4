/* Public API: ndarray.byteswap (breadth2, issue 10).  Library kernels that reverse the bytes of
 * each element with integer shifts and masks; one source for every backend.  Floats are refused:
 * their swapped bytes are in general NaN payloads and subnormals, which GPU floats do not keep
 * (webgl2 flushes subnormals, NaNs may be canonicalized), and the kernel language has no bit
 * reinterpretation of a float (docs/api-coverage.md). */
#include "api.h"
#include "libk.h"

#define SWAP32 "u = (u >> 24) | ((u >> 8) & 0xff00u) | ((u << 8) & 0xff0000u) | (u << 24);\n"
#define SWAP64                                                                                   \
    "u = ((u >> 56) & 0xffull) | ((u >> 40) & 0xff00ull) | ((u >> 24) & 0xff0000ull)"           \
    " | ((u >> 8) & 0xff000000ull) | ((u << 8) & 0xff00000000ull)"                               \
    " | ((u << 24) & 0xff0000000000ull) | ((u << 40) & 0xff000000000000ull) | (u << 56);\n"

static const wgP_libk bswap16_src = {
    .name = "wg_byteswap16",
    .in_params = "T x",
    .out_params = "T y",
    .operation = "int v = (int)x;\n"
                 "int s = ((v & 0xff) << 8) | ((v >> 8) & 0xff);\n"
                 "y = (T)(s >= 32768 && (T)(-1) < (T)0 ? s - 65536 : s);",
    .preamble = "",
    .loop_prep = "",
};

static const wgP_libk bswap32_src = {
    .name = "wg_byteswap32",
    .in_params = "T x",
    .out_params = "T y",
    .operation = "unsigned int u = (unsigned int)x;\n" SWAP32 "y = (T)u;",
    .preamble = "",
    .loop_prep = "",
};

static const wgP_libk bswap64_src = {
    .name = "wg_byteswap64",
    .in_params = "T x",
    .out_params = "T y",
    .operation = "unsigned long long u = (unsigned long long)x;\n" SWAP64 "y = (T)u;",
    .preamble = "",
    .loop_prep = "",
};

wg_array *wg_byteswap(wg_context *ctx, wg_array *a) {
    const wgP_libk *k = NULL;
    int size = wgD_size(a->dtype);
    if (size == 1) return wg_copy(ctx, a, 'C');
    if (a->dtype == WG_FLOAT16 || a->dtype == WG_FLOAT32 || a->dtype == WG_FLOAT64) {
        wgB_error(ctx, WG_ERR_NOTIMPL,
                  "byteswap of %s is not supported: the swapped bytes are in general NaN "
                  "payloads or subnormals, which GPU floats do not keep (integer dtypes work)",
                  wgD_name(a->dtype));
        return NULL;
    }
    if (size == 2) k = &bswap16_src;
    else if (size == 4) k = &bswap32_src;
    else k = &bswap64_src;
    wg_array *y = wg_empty(ctx, a->dtype, a->lay.ndim, a->lay.shape);
    if (!y) return NULL;
    if (wgL_size(&a->lay) > 0) {
        wg_array *args[2] = {a, y};
        if (wgP_libk_launch(ctx, k, 2, args, -1, NULL) != WG_OK) {
            wg_release(y);
            return NULL;
        }
    }
    return wgP_out(ctx, y);
}
