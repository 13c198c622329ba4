/* dtype/convert.h — how values of each dtype are held and converted, bit-exact with NumPy:
 * compute classes, float16 <-> float, NumPy's float -> integer casts.  Inline, so that the cpu
 * executor's loops vectorize them; dtype/value.c builds the scalar conversions on them.
 * The float -> int rules are documented at the top of exec/cpu_internal.h. */
#ifndef WG_DTYPE_CONVERT_H
#define WG_DTYPE_CONVERT_H

#include <string.h>

#include "dtype.h"

/* ---- scalar conversions (defined in half.c and value.c) ------------------------------------ */
/* double -> half with one rounding (NumPy's npy_double_to_half), not through float. */
WG_INTERNAL uint16_t wgD_double_to_half(double d);
/* NumPy's float -> integer cast of x (a value of float dtype `from`) to integer/bool dtype `to`. */
WG_INTERNAL wg_value wgD_float_to_int(double x, int from, int to);
/* Wraps an integer bit pattern to dtype `to` (sign-extends signed, zero-extends unsigned, bool
 * gives 0/1); the result is in .i for bool/signed and .u for unsigned. */
WG_INTERNAL wg_value wgD_wrap_int(uint64_t bits, int to);

/* ---- inline half conversion (bit-exact with NumPy's npy_half routines) ---------------------- */
static inline uint32_t wgD_f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static inline float wgD_u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

static inline float wgD_h2f(uint16_t h) {
    /* exponent adjust by one multiply: exact for normals and subnormals */
    uint32_t o = (uint32_t)(h & 0x7fffu) << 13;
    float f = wgD_u2f(o) * 0x1p112f;
    o = wgD_f2u(f);
    if (f >= 65536.0f) o |= 255u << 23;             /* was inf/nan */
    o |= (uint32_t)(h & 0x8000u) << 16;
    return wgD_u2f(o);
}

static inline uint16_t wgD_f2h(float f) {
    uint32_t x = wgD_f2u(f);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t o;
    x &= 0x7fffffffu;
    if (x >= 0x47800000u) {                          /* >= 65536: inf or nan */
        if (x > 0x7f800000u) {
            o = 0x7c00u + ((x & 0x007fffffu) >> 13);
            if (o == 0x7c00u) o++;                   /* keep it a NaN */
        } else {
            o = 0x7c00u;
        }
    } else if (x < 0x38800000u) {                    /* < 2^-14: subnormal half or zero */
        /* adding 0.5 aligns the half's subnormal ulp at the float's ulp: the FPU rounds (RNE) */
        float fx = wgD_u2f(x) + 0.5f;
        o = wgD_f2u(fx) - 0x3f000000u;
    } else {
        uint32_t odd = (x >> 13) & 1u;
        x += 0xc8000fffu + odd;                      /* rebias exponent (-112 << 23), round */
        o = x >> 13;
    }
    return (uint16_t)(o | sign);
}

/* round a float to the nearest half value (the float16 "wrap") */
static inline float wgD_round_half(float f) { return wgD_h2f(wgD_f2h(f)); }

/* ---- float -> int with NumPy's x86 results (see the top comment) ---------------------------- */
static inline int32_t wgD_cvt_i32(double x) {
    return (x > -2147483649.0 && x < 2147483648.0) ? (int32_t)x : INT32_MIN;
}
static inline int64_t wgD_cvt_i64(double x) {
    return (x >= -9223372036854775808.0 && x < 9223372036854775808.0) ? (int64_t)x : INT64_MIN;
}
/* x: a value of float dtype `from`; returns the bits of the `to` value (signed: sign-extended,
 * bool: 0/1) */
static inline uint64_t wgD_f2i(double x, int from, int to) {
    switch (to) {
    case WG_BOOL: return x != 0;
    case WG_INT8: return (uint64_t)(int64_t)(int8_t)wgD_cvt_i32(x);
    case WG_INT16: return (uint64_t)(int64_t)(int16_t)wgD_cvt_i32(x);
    case WG_INT32: return (uint64_t)(int64_t)wgD_cvt_i32(x);
    case WG_UINT8: return (uint8_t)(uint32_t)wgD_cvt_i32(x);
    case WG_UINT16: return (uint16_t)(uint32_t)wgD_cvt_i32(x);
    case WG_UINT32:
        if (from == WG_FLOAT16) return (uint32_t)(uint64_t)wgD_cvt_i64(x);
        if (x >= 2147483648.0) {
            double y = x - 2147483648.0;
            return y < 2147483648.0 ? (uint64_t)(uint32_t)y + 2147483648u : 0;
        }
        return (uint32_t)wgD_cvt_i32(x);
    case WG_UINT64:
        if (x >= 9223372036854775808.0) {
            double y = x - 9223372036854775808.0;
            return y < 9223372036854775808.0 ? (uint64_t)y + 9223372036854775808u : 0;
        }
        return (uint64_t)wgD_cvt_i64(x);
    default: return (uint64_t)wgD_cvt_i64(x); /* INT64 */
    }
}

/* ---- compute classes ------------------------------------------------------------------------ */
enum { WGD_CI = 0, WGD_CU = 1, WGD_CF = 2, WGD_CD = 3 };

static inline int wgD_class(int dt) {
    if (dt <= WG_INT64) return WGD_CI;
    if (dt <= WG_UINT64) return WGD_CU;
    if (dt == WG_FLOAT64) return WGD_CD;
    return WGD_CF;
}
static inline int wgD_class_size(int cls) { return cls == WGD_CF ? 4 : 8; }

/* itemsize of each dtype's storage (kept here: the cpu files do not link the dtype tables) */
static inline int wgD_itemsize(int dt) {
    static const unsigned char sz[WG_NDTYPES] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 2, 4, 8, 8, 16};
    return (dt >= 0 && dt < WG_NDTYPES) ? sz[dt] : 0;
}
/* bit width of an integer dtype (bool: 8) */
static inline int wgD_bits(int dt) { return 8 * wgD_itemsize(dt); }

/* for (int i = 0; i < n; i++) { body } — in chunks of 8, because gcc -O2's cheap cost model never
 * vectorizes a loop whose trip count is unknown, but does vectorize the unrolled chunk (SLP).
 * clang -O2 vectorizes either form. */
#define WGX_FOR(i, n, ...)                                                                       \
    do {                                                                                         \
        int i##_t = 0, i##_n = (n);                                                              \
        for (; i##_t + 8 <= i##_n; i##_t += 8)                                                   \
            for (int i##_u = 0; i##_u < 8; i##_u++) {                                            \
                int i = i##_t + i##_u;                                                           \
                __VA_ARGS__                                                                      \
            }                                                                                    \
        for (; i##_t < i##_n; i##_t++) {                                                         \
            int i = i##_t;                                                                       \
            __VA_ARGS__                                                                          \
        }                                                                                        \
    } while (0)

#endif
