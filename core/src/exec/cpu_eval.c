/*
 * cpu_eval.c — the block evaluator of the cpu executor.
 *
 * A program (straight-line SSA, ir.h) runs on a block of up to `cap` points at a time, one tight
 * loop per instruction (numexpr-style).  Each instruction's values live in a scratch slot of its
 * compute class (cpu_internal.h); slots are reused once a value is dead.  Loads of float32,
 * float64, int64 and uint64 along a unit stride read the input in place.
 *
 * The loops are stamped out by macros, one per (op, class); they use restrict pointers and plain
 * indexing so that gcc -O2 and clang -O2 -msimd128 vectorize them.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "cpu_internal.h"


static const char *const op_names[WG_NOPS] = {
#define WG_X_(E, name, arity) #name,
    WG_UNARY_OPS(WG_X_) WG_BINARY_OPS(WG_X_) WG_INTERNAL_OPS(WG_X_)
#undef WG_X_
};

/* ---- aligned scratch ---------------------------------------------------------------------- */
void *wgX_alloc_aligned(wg_context *ctx, size_t n) {
    char *raw = wgB_malloc(ctx, n + 64 + sizeof(void *));
    if (!raw) return NULL;
    uintptr_t a = ((uintptr_t)(raw + sizeof(void *)) + 63u) & ~(uintptr_t)63u;
    ((void **)a)[-1] = raw;
    return (void *)a;
}

void wgX_free_aligned(void *p) {
    if (p) wgB_free(((void **)p)[-1]);
}

/* ---- iteration ---------------------------------------------------------------------------- */
void wgX_iter_start(wgx_iter *it) {
    int64_t total = 1;
    for (int d = 0; d < it->nd; d++) {
        total *= it->shape[d];
        it->idx[d] = 0;
    }
    for (int o = 0; o < it->nops; o++) it->off[o] = it->start[o];
    it->left = total;
}

int wgX_iter_next(wgx_iter *it, wgx_block *b, int maxn) {
    int n = 0, ns = 0, nd = it->nd, nops = it->nops;
    while (n < maxn && it->left > 0) {
        int64_t inner = nd ? it->shape[nd - 1] : 1;
        int64_t pos = nd ? it->idx[nd - 1] : 0;
        int64_t run = inner - pos;
        if (run > maxn - n) run = maxn - n;
        b->seglen[ns] = (int)run;
        memcpy(b->segoff + (size_t)ns * nops, it->off, sizeof(int64_t) * (size_t)nops);
        if (b->segidx) memcpy(b->segidx + (size_t)ns * WG_MAX_NDIM, it->idx, sizeof(int64_t) * (size_t)nd);
        ns++;
        n += (int)run;
        it->left -= run;
        if (nd == 0) break;
        int d = nd - 1;
        it->idx[d] += run;
        for (int o = 0; o < nops; o++) it->off[o] += run * it->st[o][d];
        if (it->idx[d] < inner) continue;
        for (; d >= 0; d--) {
            /* carry: rewind dim d, step dim d-1 */
            for (int o = 0; o < nops; o++) it->off[o] -= it->shape[d] * it->st[o][d];
            it->idx[d] = 0;
            if (d == 0) break;
            it->idx[d - 1]++;
            for (int o = 0; o < nops; o++) it->off[o] += it->st[o][d - 1];
            if (it->idx[d - 1] < it->shape[d - 1]) break;
        }
    }
    b->n = n;
    b->nseg = ns;
    return n;
}

static int64_t abs64(int64_t x) { return x < 0 ? -x : x; }

void wgX_iter_simplify(wgx_iter *it, int key_op, int flip) {
    int nd = 0;
    for (int d = 0; d < it->nd; d++) {
        if (it->shape[d] == 1) continue;
        if (flip) {
            int neg = 0, pos = 0;
            for (int o = 0; o < it->nops; o++) {
                neg |= it->st[o][d] < 0;
                pos |= it->st[o][d] > 0;
            }
            if (neg && !pos) {
                for (int o = 0; o < it->nops; o++) {
                    it->start[o] += (it->shape[d] - 1) * it->st[o][d];
                    it->st[o][d] = -it->st[o][d];
                }
            }
        }
        it->shape[nd] = it->shape[d];
        it->dimid[nd] = it->dimid[d];
        for (int o = 0; o < it->nops; o++) it->st[o][nd] = it->st[o][d];
        nd++;
    }
    it->nd = nd;
    if (key_op >= 0) {
        /* stable insertion sort: descending |stride| of the key operand, ties keep order */
        for (int i = 1; i < nd; i++) {
            for (int j = i; j > 0 && abs64(it->st[key_op][j - 1]) < abs64(it->st[key_op][j]); j--) {
                int64_t t = it->shape[j]; it->shape[j] = it->shape[j - 1]; it->shape[j - 1] = t;
                int ti = it->dimid[j]; it->dimid[j] = it->dimid[j - 1]; it->dimid[j - 1] = ti;
                for (int o = 0; o < it->nops; o++) {
                    t = it->st[o][j]; it->st[o][j] = it->st[o][j - 1]; it->st[o][j - 1] = t;
                }
            }
        }
    }
    /* merge dim d-1 into d where every operand steps contiguously */
    int w = 0;
    for (int d = 0; d < nd; d++) {
        if (w > 0) {
            int ok = 1;
            for (int o = 0; o < it->nops && ok; o++)
                ok = it->st[o][w - 1] == it->st[o][d] * it->shape[d];
            if (ok) {
                it->shape[w - 1] *= it->shape[d];
                for (int o = 0; o < it->nops; o++) it->st[o][w - 1] = it->st[o][d];
                it->dimid[w - 1] = it->dimid[d];
                continue;
            }
        }
        it->shape[w] = it->shape[d];
        it->dimid[w] = it->dimid[d];
        for (int o = 0; o < it->nops; o++) it->st[o][w] = it->st[o][d];
        w++;
    }
    it->nd = w;
}

/* ---- loop functions ----------------------------------------------------------------------------
 * Every loop lives in a small function whose pointer parameters are restrict-qualified and typed:
 * gcc honours restrict only on parameters, and needs it to vectorize. */
#define UNUSED2(x, y) ((void)(x), (void)(y))

/* r[t] = EXPR(x = a[t]) */
#define FN1(NAME, TA, TR, EXPR)                                                                  \
    static void NAME(int n, const TA *restrict pa, TR *restrict pr) {                            \
        WGX_FOR(t, n, TA x = pa[t]; pr[t] = (TR)(EXPR););                                        \
    }
/* r[t] = EXPR(x = a[t], y = b[t]) */
#define FN2(NAME, TA, TR, EXPR)                                                                  \
    static void NAME(int n, const TA *restrict pa, const TA *restrict pb, TR *restrict pr) {     \
        WGX_FOR(t, n, TA x = pa[t]; TA y = pb[t]; UNUSED2(x, y); pr[t] = (TR)(EXPR););           \
    }

/* ---- loads, stores, casts ----------------------------------------------------------------- */
#define LDFN(NAME, TS, TD, EXPR)                                                                 \
    static void NAME(const TS *restrict s, int64_t stride, int n, TD *restrict d) {              \
        if (stride == 1) {                                                                       \
            WGX_FOR(t, n, TS x = s[t]; d[t] = (TD)(EXPR););                                      \
        } else {                                                                                 \
            for (int t = 0; t < n; t++) { TS x = s[t * stride]; d[t] = (TD)(EXPR); }             \
        }                                                                                        \
    }
LDFN(ld_b, uint8_t, int64_t, x != 0)
LDFN(ld_i8, int8_t, int64_t, x)
LDFN(ld_i16, int16_t, int64_t, x)
LDFN(ld_i32, int32_t, int64_t, x)
LDFN(ld_i64, int64_t, int64_t, x)
LDFN(ld_u8, uint8_t, uint64_t, x)
LDFN(ld_u16, uint16_t, uint64_t, x)
LDFN(ld_u32, uint32_t, uint64_t, x)
LDFN(ld_u64, uint64_t, uint64_t, x)
LDFN(ld_f16, uint16_t, float, wgD_h2f(x))
LDFN(ld_f32, float, float, x)
LDFN(ld_f64, double, double, x)

void wgX_load_conv(int dt, const char *p, int64_t stride, int n, void *dst) {
    switch (dt) {
    case WG_BOOL: ld_b((const uint8_t *)p, stride, n, dst); break;
    case WG_INT8: ld_i8((const int8_t *)p, stride, n, dst); break;
    case WG_INT16: ld_i16((const int16_t *)p, stride, n, dst); break;
    case WG_INT32: ld_i32((const int32_t *)p, stride, n, dst); break;
    case WG_INT64: ld_i64((const int64_t *)p, stride, n, dst); break;
    case WG_UINT8: ld_u8((const uint8_t *)p, stride, n, dst); break;
    case WG_UINT16: ld_u16((const uint16_t *)p, stride, n, dst); break;
    case WG_UINT32: ld_u32((const uint32_t *)p, stride, n, dst); break;
    case WG_UINT64: ld_u64((const uint64_t *)p, stride, n, dst); break;
    case WG_FLOAT16: ld_f16((const uint16_t *)p, stride, n, dst); break;
    case WG_FLOAT32: ld_f32((const float *)p, stride, n, dst); break;
    default: ld_f64((const double *)p, stride, n, dst); break;
    }
}

/* Gathers (raw LOAD_AT): d[t] = element ix[t] of s, converted to the compute class; an index
 * outside [0, lim) reads zero.  One loop per dtype (a per-lane wgX_load_conv call costs 5x). */
#define GAFN(NAME, TS, TD, EXPR)                                                                 \
    static void NAME(const TS *restrict s, int64_t lim, const int64_t *restrict ix, int n,      \
                     TD *restrict d) {                                                          \
        for (int t = 0; t < n; t++) {                                                            \
            int64_t e = ix[t];                                                                   \
            TS x = (e >= 0 && e < lim) ? s[e] : (TS)0;                                           \
            d[t] = (TD)(EXPR);                                                                   \
        }                                                                                        \
    }
GAFN(ga_b, uint8_t, int64_t, x != 0)
GAFN(ga_i8, int8_t, int64_t, x)
GAFN(ga_i16, int16_t, int64_t, x)
GAFN(ga_i32, int32_t, int64_t, x)
GAFN(ga_i64, int64_t, int64_t, x)
GAFN(ga_u8, uint8_t, uint64_t, x)
GAFN(ga_u16, uint16_t, uint64_t, x)
GAFN(ga_u32, uint32_t, uint64_t, x)
GAFN(ga_u64, uint64_t, uint64_t, x)
GAFN(ga_f16, uint16_t, float, wgD_h2f(x))
GAFN(ga_f32, float, float, x)
GAFN(ga_f64, double, double, x)

void wgX_gather_conv(int dt, const char *p, int64_t lim, const int64_t *ix, int n, void *dst) {
    switch (dt) {
    case WG_BOOL: ga_b((const uint8_t *)p, lim, ix, n, dst); break;
    case WG_INT8: ga_i8((const int8_t *)p, lim, ix, n, dst); break;
    case WG_INT16: ga_i16((const int16_t *)p, lim, ix, n, dst); break;
    case WG_INT32: ga_i32((const int32_t *)p, lim, ix, n, dst); break;
    case WG_INT64: ga_i64((const int64_t *)p, lim, ix, n, dst); break;
    case WG_UINT8: ga_u8((const uint8_t *)p, lim, ix, n, dst); break;
    case WG_UINT16: ga_u16((const uint16_t *)p, lim, ix, n, dst); break;
    case WG_UINT32: ga_u32((const uint32_t *)p, lim, ix, n, dst); break;
    case WG_UINT64: ga_u64((const uint64_t *)p, lim, ix, n, dst); break;
    case WG_FLOAT16: ga_f16((const uint16_t *)p, lim, ix, n, dst); break;
    case WG_FLOAT32: ga_f32((const float *)p, lim, ix, n, dst); break;
    default: ga_f64((const double *)p, lim, ix, n, dst); break;
    }
}

#define STFN(NAME, TS, TD, EXPR)                                                                 \
    static void NAME(const TS *restrict s, int64_t stride, int n, TD *restrict d) {              \
        if (stride == 1) {                                                                       \
            WGX_FOR(t, n, TS x = s[t]; d[t] = (TD)(EXPR););                                      \
        } else {                                                                                 \
            for (int t = 0; t < n; t++) { TS x = s[t]; d[t * stride] = (TD)(EXPR); }             \
        }                                                                                        \
    }
STFN(st_b, int64_t, uint8_t, x != 0)
STFN(st_i8, int64_t, int8_t, x)
STFN(st_i16, int64_t, int16_t, x)
STFN(st_i32, int64_t, int32_t, x)
STFN(st_i64, int64_t, int64_t, x)
STFN(st_u8, uint64_t, uint8_t, x)
STFN(st_u16, uint64_t, uint16_t, x)
STFN(st_u32, uint64_t, uint32_t, x)
STFN(st_u64, uint64_t, uint64_t, x)
STFN(st_f16, float, uint16_t, wgD_f2h(x))
STFN(st_f32, float, float, x)
STFN(st_f64, double, double, x)

void wgX_store_conv(int dt, char *p, int64_t stride, int n, const void *src) {
    switch (dt) {
    case WG_BOOL: st_b(src, stride, n, (uint8_t *)p); break;
    case WG_INT8: st_i8(src, stride, n, (int8_t *)p); break;
    case WG_INT16: st_i16(src, stride, n, (int16_t *)p); break;
    case WG_INT32: st_i32(src, stride, n, (int32_t *)p); break;
    case WG_INT64: st_i64(src, stride, n, (int64_t *)p); break;
    case WG_UINT8: st_u8(src, stride, n, (uint8_t *)p); break;
    case WG_UINT16: st_u16(src, stride, n, (uint16_t *)p); break;
    case WG_UINT32: st_u32(src, stride, n, (uint32_t *)p); break;
    case WG_UINT64: st_u64(src, stride, n, (uint64_t *)p); break;
    case WG_FLOAT16: st_f16(src, stride, n, (uint16_t *)p); break;
    case WG_FLOAT32: st_f32(src, stride, n, (float *)p); break;
    default: st_f64(src, stride, n, (double *)p); break;
    }
}

/* int class -> int dtype; one set per source class */
#define I2I(S, TS)                                                                               \
    FN1(cv_##S##_b, TS, int64_t, x != 0)                                                         \
    FN1(cv_##S##_i8, TS, int64_t, (int8_t)x)                                                     \
    FN1(cv_##S##_i16, TS, int64_t, (int16_t)x)                                                   \
    FN1(cv_##S##_i32, TS, int64_t, (int32_t)x)                                                   \
    FN1(cv_##S##_i64, TS, int64_t, (int64_t)x)                                                   \
    FN1(cv_##S##_u8, TS, uint64_t, (uint8_t)x)                                                   \
    FN1(cv_##S##_u16, TS, uint64_t, (uint16_t)x)                                                 \
    FN1(cv_##S##_u32, TS, uint64_t, (uint32_t)x)                                                 \
    FN1(cv_##S##_u64, TS, uint64_t, (uint64_t)x)                                                 \
    FN1(cv_##S##_f32, TS, float, (float)x)                                                       \
    FN1(cv_##S##_f16, TS, float, wgD_round_half((float)x))                                       \
    FN1(cv_##S##_f64, TS, double, (double)x)
I2I(i, int64_t)
I2I(u, uint64_t)
FN1(cv_f_b, float, int64_t, x != 0)
FN1(cv_d_b, double, int64_t, x != 0)
FN1(cv_f_f64, float, double, (double)x)
FN1(cv_f_f16, float, float, wgD_round_half(x))
FN1(cv_d_f32, double, float, (float)x)
FN1(cv_d_f16, double, float, wgD_h2f(wgD_double_to_half(x)))

static void cv_float_int(int n, const float *restrict s, uint64_t *restrict d, int sdt, int ddt) {
    for (int t = 0; t < n; t++) d[t] = wgD_f2i((double)s[t], sdt, ddt);
}
static void cv_double_int(int n, const double *restrict s, uint64_t *restrict d, int sdt, int ddt) {
    for (int t = 0; t < n; t++) d[t] = wgD_f2i(s[t], sdt, ddt);
}

#define I2I_CALL(S)                                                                              \
    switch (ddt) {                                                                               \
    case WG_BOOL: cv_##S##_b(n, src, dst); break;                                                \
    case WG_INT8: cv_##S##_i8(n, src, dst); break;                                               \
    case WG_INT16: cv_##S##_i16(n, src, dst); break;                                             \
    case WG_INT32: cv_##S##_i32(n, src, dst); break;                                             \
    case WG_INT64: cv_##S##_i64(n, src, dst); break;                                             \
    case WG_UINT8: cv_##S##_u8(n, src, dst); break;                                              \
    case WG_UINT16: cv_##S##_u16(n, src, dst); break;                                            \
    case WG_UINT32: cv_##S##_u32(n, src, dst); break;                                            \
    case WG_UINT64: cv_##S##_u64(n, src, dst); break;                                            \
    case WG_FLOAT16: cv_##S##_f16(n, src, dst); break;                                           \
    case WG_FLOAT32: cv_##S##_f32(n, src, dst); break;                                           \
    default: cv_##S##_f64(n, src, dst); break;                                                   \
    }

void wgX_cast_block(int sdt, int ddt, int n, const void *src, void *dst) {
    int sc = wgD_class(sdt), dc = wgD_class(ddt);
    if (sdt == ddt || (sdt == WG_FLOAT16 && ddt == WG_FLOAT32)) {
        if (src != dst) memcpy(dst, src, (size_t)n * (size_t)wgD_class_size(sc));
        return;
    }
    if (sc == WGD_CI) { I2I_CALL(i) return; }
    if (sc == WGD_CU) { I2I_CALL(u) return; }
    if (dc == WGD_CI || dc == WGD_CU) {
        if (ddt == WG_BOOL) {
            if (sc == WGD_CF) cv_f_b(n, src, dst);
            else cv_d_b(n, src, dst);
        } else if (sc == WGD_CF) {
            cv_float_int(n, src, dst, sdt, ddt);
        } else {
            cv_double_int(n, src, dst, sdt, ddt);
        }
        return;
    }
    if (sc == WGD_CF) {
        if (dc == WGD_CD) cv_f_f64(n, src, dst);
        else cv_f_f16(n, src, dst); /* float32 -> float16 (the reverse copied above) */
    } else {
        if (ddt == WG_FLOAT32) cv_d_f32(n, src, dst);
        else cv_d_f16(n, src, dst);
    }
}

#define WRFN(NAME, T, EXPR)                                                                      \
    static void NAME(int n, T *restrict v) { WGX_FOR(t, n, T x = v[t]; v[t] = (T)(EXPR);); }
WRFN(wr_b, int64_t, x != 0)
WRFN(wr_i8, int64_t, (int8_t)x)
WRFN(wr_i16, int64_t, (int16_t)x)
WRFN(wr_i32, int64_t, (int32_t)x)
WRFN(wr_u8, uint64_t, (uint8_t)x)
WRFN(wr_u16, uint64_t, (uint16_t)x)
WRFN(wr_u32, uint64_t, (uint32_t)x)
WRFN(wr_f16, float, wgD_round_half(x))

void wgX_wrap_block(int dt, int n, void *v) {
    switch (dt) {
    case WG_BOOL: wr_b(n, v); break;
    case WG_INT8: wr_i8(n, v); break;
    case WG_INT16: wr_i16(n, v); break;
    case WG_INT32: wr_i32(n, v); break;
    case WG_UINT8: wr_u8(n, v); break;
    case WG_UINT16: wr_u16(n, v); break;
    case WG_UINT32: wr_u32(n, v); break;
    case WG_FLOAT16: wr_f16(n, v); break;
    default: break;
    }
}

void wgX_store_value(int vdt, int odt, char *p, int64_t stride, int n, const void *src,
                     void *tmp) {
    if (vdt != odt) {
        wgX_cast_block(vdt, odt, n, src, tmp);
        src = tmp;
    }
    wgX_store_conv(odt, p, stride, n, src);
}

void wgX_store_block(int vdt, int odt, char *base, int64_t stride, const wgx_block *b, int nops,
                     int op, const char *v, void *tmp) {
    int osz = wgD_itemsize(odt), cs = wgD_class_size(wgD_class(vdt));
    int pos = 0;
    for (int s = 0; s < b->nseg; s++) {
        char *p = base + b->segoff[(size_t)s * nops + op] * osz;
        wgX_store_value(vdt, odt, p, stride, b->seglen[s], v + (size_t)pos * cs, tmp);
        pos += b->seglen[s];
    }
}

void wgX_scalar_to_class(int dt, wg_value v, void *dst) {
    v = wgD_convert(v, dt, dt); /* normalize: wrap ints, round float16 */
    switch (wgD_class(dt)) {
    case WGD_CI: memcpy(dst, &v.i, 8); break;
    case WGD_CU: memcpy(dst, &v.u, 8); break;
    case WGD_CF: { float f = (float)v.f; memcpy(dst, &f, 4); break; }
    default: memcpy(dst, &v.f, 8); break;
    }
}

/* ---- scalar semantics that need more than an expression ----------------------------------- */
static inline int64_t i_floordiv(int64_t x, int64_t y) {
    if (y == 0) return 0;
    if (y == -1) return (int64_t)(0 - (uint64_t)x); /* INT64_MIN // -1 wraps, as NumPy */
    int64_t q = x / y;
    if ((x % y != 0) && ((x < 0) != (y < 0))) q--;
    return q;
}

static inline int64_t i_rem(int64_t x, int64_t y) {
    if (y == 0 || y == -1) return 0;
    int64_t r = x % y;
    if (r != 0 && ((r < 0) != (y < 0))) r += y;
    return r;
}

static inline uint64_t u_pow(uint64_t b, uint64_t e) {
    uint64_t r = 1;
    while (e) {
        if (e & 1) r *= b;
        b *= b;
        e >>= 1;
    }
    return r;
}

/* NumPy's npy_divmod: floor division with a remainder that has the divisor's sign. */
#define DIVMOD_FN(NAME, T, FMOD, FLOOR, COPYSIGN)                                                \
    static inline T NAME(T a, T b, T *modulus) {                                                 \
        T mod = FMOD(a, b);                                                                      \
        if (!b) {                                                                                \
            *modulus = mod;                                                                      \
            return a / b;                                                                        \
        }                                                                                        \
        T div = (a - mod) / b;                                                                   \
        if (mod) {                                                                               \
            if (isless(b, (T)0) != isless(mod, (T)0)) {                                          \
                mod += b;                                                                        \
                div -= (T)1;                                                                     \
            }                                                                                    \
        } else {                                                                                 \
            mod = COPYSIGN((T)0, b);                                                             \
        }                                                                                        \
        T fdiv;                                                                                  \
        if (div) {                                                                               \
            fdiv = FLOOR(div);                                                                   \
            if (isgreater(div - fdiv, (T)0.5)) fdiv += (T)1;                                     \
        } else {                                                                                 \
            fdiv = COPYSIGN((T)0, a / b);                                                        \
        }                                                                                        \
        *modulus = mod;                                                                          \
        return fdiv;                                                                             \
    }
DIVMOD_FN(divmod_f, float, fmodf, floorf, copysignf)
DIVMOD_FN(divmod_d, double, fmod, floor, copysign)

static inline float fdiv_f(float a, float b) { float m; return divmod_f(a, b, &m); }
static inline double fdiv_d(double a, double b) { double m; return divmod_d(a, b, &m); }
static inline float frem_f(float a, float b) { float m; divmod_f(a, b, &m); return m; }
static inline double frem_d(double a, double b) { double m; divmod_d(a, b, &m); return m; }

#define IADD(x, y) ((int64_t)((uint64_t)(x) + (uint64_t)(y)))
#define ISUB(x, y) ((int64_t)((uint64_t)(x) - (uint64_t)(y)))
#define IMUL(x, y) ((int64_t)((uint64_t)(x) * (uint64_t)(y)))

/* ---- op loops: one function per (op, class) ------------------------------------------------- */
/* same class in and out */
#define OP1_4(N, EI, EU, EF, ED)                                                                 \
    FN1(N##_i, int64_t, int64_t, EI) FN1(N##_u, uint64_t, uint64_t, EU)                          \
    FN1(N##_f, float, float, EF) FN1(N##_d, double, double, ED)
#define OP2_4(N, EI, EU, EF, ED)                                                                 \
    FN2(N##_i, int64_t, int64_t, EI) FN2(N##_u, uint64_t, uint64_t, EU)                          \
    FN2(N##_f, float, float, EF) FN2(N##_d, double, double, ED)
/* float classes only; libm float versions for float16/float32, as NumPy */
#define OP1_M(N, FF, FD) FN1(N##_f, float, float, FF(x)) FN1(N##_d, double, double, FD(x))
#define OP2_M(N, FF, FD) FN2(N##_f, float, float, FF(x, y)) FN2(N##_d, double, double, FD(x, y))
/* int classes only */
#define OP2_IU(N, EI, EU) FN2(N##_i, int64_t, int64_t, EI) FN2(N##_u, uint64_t, uint64_t, EU)
/* any class in, bool (int64 0/1) out; the same expression for every class */
#define OP1_B(N, E)                                                                              \
    FN1(N##_i, int64_t, int64_t, E) FN1(N##_u, uint64_t, int64_t, E)                             \
    FN1(N##_f, float, int64_t, E) FN1(N##_d, double, int64_t, E)
#define OP2_B(N, E)                                                                              \
    FN2(N##_i, int64_t, int64_t, E) FN2(N##_u, uint64_t, int64_t, E)                             \
    FN2(N##_f, float, int64_t, E) FN2(N##_d, double, int64_t, E)

OP1_4(neg, ISUB(0, x), 0 - x, -x, -x)
OP1_4(pos, x, x, x, x)
OP1_4(abs, x < 0 ? ISUB(0, x) : x, x, fabsf(x), fabs(x))
OP1_4(sign, (x > 0) - (x < 0), x > 0, x > 0 ? 1.0f : x < 0 ? -1.0f : x == 0 ? 0.0f : x,
      x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : x)
OP1_4(square, IMUL(x, x), x * x, x * x, x * x)
OP1_4(floor, x, x, floorf(x), floor(x))
OP1_4(ceil, x, x, ceilf(x), ceil(x))
OP1_4(trunc, x, x, truncf(x), trunc(x))
OP1_4(rint, x, x, rintf(x), rint(x))
FN1(recip_f, float, float, 1.0f / x)
FN1(recip_d, double, double, 1.0 / x)
OP1_M(sqrt, sqrtf, sqrt)
OP1_M(cbrt, cbrtf, cbrt)
OP1_M(exp, expf, exp)
OP1_M(exp2, exp2f, exp2)
OP1_M(expm1, expm1f, expm1)
OP1_M(log, logf, log)
OP1_M(log2, log2f, log2)
OP1_M(log10, log10f, log10)
OP1_M(log1p, log1pf, log1p)
OP1_M(sin, sinf, sin)
OP1_M(cos, cosf, cos)
OP1_M(tan, tanf, tan)
OP1_M(asin, asinf, asin)
OP1_M(acos, acosf, acos)
OP1_M(atan, atanf, atan)
OP1_M(sinh, sinhf, sinh)
OP1_M(cosh, coshf, cosh)
OP1_M(tanh, tanhf, tanh)
OP1_M(asinh, asinhf, asinh)
OP1_M(acosh, acoshf, acosh)
OP1_M(atanh, atanhf, atanh)
FN1(isnan_f, float, int64_t, x != x)
FN1(isnan_d, double, int64_t, x != x)
FN1(isinf_f, float, int64_t, fabsf(x) == INFINITY)
FN1(isinf_d, double, int64_t, fabs(x) == INFINITY)
FN1(isfin_f, float, int64_t, fabsf(x) < INFINITY)
FN1(isfin_d, double, int64_t, fabs(x) < INFINITY)
OP1_B(lnot, x == 0)
FN1(inv_b, int64_t, int64_t, x == 0)
FN1(inv_i, int64_t, int64_t, ~x)
FN1(inv_u, uint64_t, uint64_t, ~x)

OP2_4(add, IADD(x, y), x + y, x + y, x + y)
OP2_4(sub, ISUB(x, y), x - y, x - y, x - y)
OP2_4(mul, IMUL(x, y), x * y, x * y, x * y)
FN2(div_f, float, float, x / y)
FN2(div_d, double, double, x / y)
OP2_4(floordiv, i_floordiv(x, y), y ? x / y : 0, fdiv_f(x, y), fdiv_d(x, y))
OP2_4(rem, i_rem(x, y), y ? x % y : 0, frem_f(x, y), frem_d(x, y))
FN2(pow_u, uint64_t, uint64_t, u_pow(x, y))
FN2(pow_f, float, float, powf(x, y))
FN2(pow_d, double, double, pow(x, y))
OP2_M(atan2, atan2f, atan2)
OP2_M(hypot, hypotf, hypot)
OP2_M(copysign, copysignf, copysign)
/* NumPy: maximum/minimum propagate NaN (the first operand's) and give the second operand when
 * equal (float16: the first); fmax/fmin ignore NaN */
OP2_4(max, x > y ? x : y, x > y ? x : y, (x > y || x != x) ? x : y, (x > y || x != x) ? x : y)
OP2_4(min, x < y ? x : y, x < y ? x : y, (x < y || x != x) ? x : y, (x < y || x != x) ? x : y)
FN2(max_h, float, float, (x >= y || x != x) ? x : y)
FN2(min_h, float, float, (x <= y || x != x) ? x : y)
OP2_4(fmax, x > y ? x : y, x > y ? x : y, (x >= y || y != y) ? x : y, (x >= y || y != y) ? x : y)
OP2_4(fmin, x < y ? x : y, x < y ? x : y, (x <= y || y != y) ? x : y, (x <= y || y != y) ? x : y)
OP2_B(eq, x == y)
OP2_B(ne, x != y)
OP2_B(lt, x < y)
OP2_B(le, x <= y)
OP2_B(gt, x > y)
OP2_B(ge, x >= y)
OP2_B(land, (x != 0) & (y != 0))
OP2_B(lor, (x != 0) | (y != 0))
OP2_B(lxor, (x != 0) ^ (y != 0))
OP2_IU(band, x & y, x & y)
OP2_IU(bor, x | y, x | y)
OP2_IU(bxor, x ^ y, x ^ y)

/* ops with a dtype-dependent parameter */
static void recip_i(int n, const int64_t *restrict pa, int64_t *restrict pr, int dt) {
    /* NumPy's integer loop computes 1.0/x in double and casts back */
    for (int t = 0; t < n; t++) pr[t] = (int64_t)wgD_f2i(1.0 / (double)pa[t], WG_FLOAT64, dt);
}
static void recip_u(int n, const uint64_t *restrict pa, uint64_t *restrict pr, int dt) {
    for (int t = 0; t < n; t++) pr[t] = wgD_f2i(1.0 / (double)pa[t], WG_FLOAT64, dt);
}
static int pow_i(int n, const int64_t *restrict pa, const int64_t *restrict pb,
                 int64_t *restrict pr) {
    int bad = 0;
    for (int t = 0; t < n; t++) {
        int64_t y = pb[t];
        bad |= y < 0;
        pr[t] = y < 0 ? 0 : (int64_t)u_pow((uint64_t)pa[t], (uint64_t)y);
    }
    return bad;
}
/* shifts: a count >= the width gives 0 (or -1 for a negative right-shifted value) */
static void lsh_i(int n, const int64_t *restrict pa, const int64_t *restrict pb,
                  int64_t *restrict pr, uint64_t w) {
    WGX_FOR(t, n, int64_t x = pa[t]; int64_t y = pb[t];
            pr[t] = (uint64_t)y < w ? (int64_t)((uint64_t)x << (y & 63)) : 0;);
}
static void rsh_i(int n, const int64_t *restrict pa, const int64_t *restrict pb,
                  int64_t *restrict pr, uint64_t w) {
    WGX_FOR(t, n, int64_t x = pa[t]; int64_t y = pb[t];
            pr[t] = (uint64_t)y < w ? x >> (y & 63) : (x < 0 ? -1 : 0););
}
static void lsh_u(int n, const uint64_t *restrict pa, const uint64_t *restrict pb,
                  uint64_t *restrict pr, uint64_t w) {
    WGX_FOR(t, n, uint64_t x = pa[t]; uint64_t y = pb[t]; pr[t] = y < w ? x << (y & 63) : 0;);
}
static void rsh_u(int n, const uint64_t *restrict pa, const uint64_t *restrict pb,
                  uint64_t *restrict pr, uint64_t w) {
    WGX_FOR(t, n, uint64_t x = pa[t]; uint64_t y = pb[t]; pr[t] = y < w ? x >> (y & 63) : 0;);
}
#define WHEREFN(NAME, T)                                                                         \
    static void NAME(int n, const int64_t *restrict pc, const T *restrict px,                    \
                     const T *restrict py, T *restrict pr) {                                     \
        WGX_FOR(t, n, pr[t] = pc[t] ? px[t] : py[t];);                                           \
    }
WHEREFN(where_i, int64_t)
WHEREFN(where_u, uint64_t)
WHEREFN(where_f, float)
WHEREFN(where_d, double)

static void fill_i64(int n, int64_t *restrict pr, int64_t v) { WGX_FOR(t, n, pr[t] = v;); }

/* BITCAST between the 32-bit dtypes, whose block values are int64 (int32), uint64 (uint32) and
 * float (float32): through the 32 bits, so NaN payloads and -0.0 pass unchanged */
static void bitcast32(int n, int sc, int rc, const void *a, void *r) {
    for (int t = 0; t < n; t++) {
        uint32_t u;
        if (sc == WGD_CF) memcpy(&u, (const float *)a + t, 4);
        else u = (uint32_t)((const uint64_t *)a)[t];
        if (rc == WGD_CF) memcpy((float *)r + t, &u, 4);
        else if (rc == WGD_CI) ((int64_t *)r)[t] = (int32_t)u;
        else ((uint64_t *)r)[t] = u;
    }
}

/* dispatch by the result class rc (C4/CFD/CIU) or the operand class sc (CB) */
#define C4_1(N)                                                                                  \
    switch (rc) {                                                                                \
    case WGD_CI: N##_i(n, a, r); break;                                                          \
    case WGD_CU: N##_u(n, a, r); break;                                                          \
    case WGD_CF: N##_f(n, a, r); break;                                                          \
    default: N##_d(n, a, r); break;                                                              \
    }
#define C4_2(N)                                                                                  \
    switch (rc) {                                                                                \
    case WGD_CI: N##_i(n, a, b, r); break;                                                       \
    case WGD_CU: N##_u(n, a, b, r); break;                                                       \
    case WGD_CF: N##_f(n, a, b, r); break;                                                       \
    default: N##_d(n, a, b, r); break;                                                           \
    }
#define CB_1(N)                                                                                  \
    switch (sc) {                                                                                \
    case WGD_CI: N##_i(n, a, r); break;                                                          \
    case WGD_CU: N##_u(n, a, r); break;                                                          \
    case WGD_CF: N##_f(n, a, r); break;                                                          \
    default: N##_d(n, a, r); break;                                                              \
    }
#define CB_2(N)                                                                                  \
    switch (sc) {                                                                                \
    case WGD_CI: N##_i(n, a, b, r); break;                                                       \
    case WGD_CU: N##_u(n, a, b, r); break;                                                       \
    case WGD_CF: N##_f(n, a, b, r); break;                                                       \
    default: N##_d(n, a, b, r); break;                                                           \
    }
#define CFD_1(N)                                                                                 \
    if (rc == WGD_CF) N##_f(n, a, r);                                                            \
    else N##_d(n, a, r);
#define CFD_2(N)                                                                                 \
    if (rc == WGD_CF) N##_f(n, a, b, r);                                                         \
    else N##_d(n, a, b, r);
#define CIU_2(N)                                                                                 \
    if (rc == WGD_CI) N##_i(n, a, b, r);                                                         \
    else N##_u(n, a, b, r);

void wgX_compute(wgx_eval *e, const wg_inst *in, int n, const void *a, const void *b,
                 const void *c, void *r) {
    int dt = in->dtype;
    int rc = wgD_class(dt);
    int sdt = e->inst[in->src[0]].dtype;
    int sc = wgD_class(sdt);
    uint64_t w = (uint64_t)wgD_bits(dt);
    switch (in->op) {
    /* unary */
    case WG_OP_NEGATIVE: C4_1(neg); break;
    case WG_OP_POSITIVE: C4_1(pos); break;
    case WG_OP_ABSOLUTE: C4_1(abs); break;
    case WG_OP_SIGN: C4_1(sign); break;
    case WG_OP_SQRT: CFD_1(sqrt); break;
    case WG_OP_CBRT: CFD_1(cbrt); break;
    case WG_OP_SQUARE: C4_1(square); break;
    case WG_OP_RECIPROCAL:
        if (rc == WGD_CI) recip_i(n, a, r, dt);
        else if (rc == WGD_CU) recip_u(n, a, r, dt);
        else CFD_1(recip);
        break;
    case WG_OP_EXP: CFD_1(exp); break;
    case WG_OP_EXP2: CFD_1(exp2); break;
    case WG_OP_EXPM1: CFD_1(expm1); break;
    case WG_OP_LOG: CFD_1(log); break;
    case WG_OP_LOG2: CFD_1(log2); break;
    case WG_OP_LOG10: CFD_1(log10); break;
    case WG_OP_LOG1P: CFD_1(log1p); break;
    case WG_OP_SIN: CFD_1(sin); break;
    case WG_OP_COS: CFD_1(cos); break;
    case WG_OP_TAN: CFD_1(tan); break;
    case WG_OP_ARCSIN: CFD_1(asin); break;
    case WG_OP_ARCCOS: CFD_1(acos); break;
    case WG_OP_ARCTAN: CFD_1(atan); break;
    case WG_OP_SINH: CFD_1(sinh); break;
    case WG_OP_COSH: CFD_1(cosh); break;
    case WG_OP_TANH: CFD_1(tanh); break;
    case WG_OP_ARCSINH: CFD_1(asinh); break;
    case WG_OP_ARCCOSH: CFD_1(acosh); break;
    case WG_OP_ARCTANH: CFD_1(atanh); break;
    case WG_OP_FLOOR: C4_1(floor); break;
    case WG_OP_CEIL: C4_1(ceil); break;
    case WG_OP_TRUNC: C4_1(trunc); break;
    case WG_OP_RINT: C4_1(rint); break;
    case WG_OP_ISNAN:
    case WG_OP_ISINF:
    case WG_OP_ISFINITE:
        if (sc == WGD_CF) {
            if (in->op == WG_OP_ISNAN) isnan_f(n, a, r);
            else if (in->op == WG_OP_ISINF) isinf_f(n, a, r);
            else isfin_f(n, a, r);
        } else if (sc == WGD_CD) {
            if (in->op == WG_OP_ISNAN) isnan_d(n, a, r);
            else if (in->op == WG_OP_ISINF) isinf_d(n, a, r);
            else isfin_d(n, a, r);
        } else {
            fill_i64(n, r, in->op == WG_OP_ISFINITE);
        }
        break;
    case WG_OP_LOGICAL_NOT: CB_1(lnot); break;
    case WG_OP_INVERT:
        if (dt == WG_BOOL) inv_b(n, a, r);
        else if (rc == WGD_CI) inv_i(n, a, r);
        else inv_u(n, a, r);
        break;
    /* binary arithmetic */
    case WG_OP_ADD: C4_2(add); break;
    case WG_OP_SUBTRACT: C4_2(sub); break;
    case WG_OP_MULTIPLY: C4_2(mul); break;
    case WG_OP_TRUE_DIVIDE: CFD_2(div); break;
    case WG_OP_FLOOR_DIVIDE: C4_2(floordiv); break;
    case WG_OP_REMAINDER: C4_2(rem); break;
    case WG_OP_POWER:
        if (rc == WGD_CI) {
            if (pow_i(n, a, b, r)) e->bad_power = 1;
        } else {
            switch (rc) {
            case WGD_CU: pow_u(n, a, b, r); break;
            case WGD_CF: pow_f(n, a, b, r); break;
            default: pow_d(n, a, b, r); break;
            }
        }
        break;
    case WG_OP_ARCTAN2: CFD_2(atan2); break;
    case WG_OP_HYPOT: CFD_2(hypot); break;
    case WG_OP_COPYSIGN: CFD_2(copysign); break;
    case WG_OP_MAXIMUM:
        if (dt == WG_FLOAT16) max_h(n, a, b, r);
        else C4_2(max);
        break;
    case WG_OP_MINIMUM:
        if (dt == WG_FLOAT16) min_h(n, a, b, r);
        else C4_2(min);
        break;
    case WG_OP_FMAX: C4_2(fmax); break;
    case WG_OP_FMIN: C4_2(fmin); break;
    /* comparisons and logic: bool results */
    case WG_OP_EQUAL: CB_2(eq); break;
    case WG_OP_NOT_EQUAL: CB_2(ne); break;
    case WG_OP_LESS: CB_2(lt); break;
    case WG_OP_LESS_EQUAL: CB_2(le); break;
    case WG_OP_GREATER: CB_2(gt); break;
    case WG_OP_GREATER_EQUAL: CB_2(ge); break;
    case WG_OP_LOGICAL_AND: CB_2(land); break;
    case WG_OP_LOGICAL_OR: CB_2(lor); break;
    case WG_OP_LOGICAL_XOR: CB_2(lxor); break;
    /* bits */
    case WG_OP_BITWISE_AND: CIU_2(band); break;
    case WG_OP_BITWISE_OR: CIU_2(bor); break;
    case WG_OP_BITWISE_XOR: CIU_2(bxor); break;
    case WG_OP_LEFT_SHIFT:
        if (rc == WGD_CI) lsh_i(n, a, b, r, w);
        else lsh_u(n, a, b, r, w);
        break;
    case WG_OP_RIGHT_SHIFT:
        if (rc == WGD_CI) rsh_i(n, a, b, r, w);
        else rsh_u(n, a, b, r, w);
        break;
    /* internal */
    case WG_OP_CAST: wgX_cast_block(sdt, dt, n, a, r); break;
    case WG_OP_BITCAST: bitcast32(n, sc, rc, a, r); break;
    case WG_OP_WHERE:
        switch (rc) {
        case WGD_CI: where_i(n, a, b, c, r); break;
        case WGD_CU: where_u(n, a, b, c, r); break;
        case WGD_CF: where_f(n, a, b, c, r); break;
        default: where_d(n, a, b, c, r); break;
        }
        break;
    default: break;
    }
}

/* Does the op's result need wrapping to a narrow dtype (int8 .. int32, uint8 .. uint32, bool,
 * float16)?  Not when the op cannot leave the operands' range. */
int wgX_needs_wrap(int op, int dt) {
    if (dt == WG_INT64 || dt == WG_UINT64 || dt == WG_FLOAT32 || dt == WG_FLOAT64) return 0;
    switch (op) {
    case WG_OP_POSITIVE: case WG_OP_MAXIMUM: case WG_OP_MINIMUM: case WG_OP_FMAX: case WG_OP_FMIN:
    case WG_OP_WHERE: case WG_OP_CAST: case WG_OP_LOAD: case WG_OP_PARAM: case WG_OP_ACC:
    case WG_OP_EQUAL: case WG_OP_NOT_EQUAL: case WG_OP_LESS: case WG_OP_LESS_EQUAL:
    case WG_OP_GREATER: case WG_OP_GREATER_EQUAL: case WG_OP_LOGICAL_AND: case WG_OP_LOGICAL_OR:
    case WG_OP_LOGICAL_XOR: case WG_OP_LOGICAL_NOT: case WG_OP_ISNAN: case WG_OP_ISINF:
    case WG_OP_ISFINITE: case WG_OP_BITWISE_AND: case WG_OP_BITWISE_OR: case WG_OP_BITWISE_XOR:
    case WG_OP_FLOOR: case WG_OP_CEIL: case WG_OP_TRUNC: case WG_OP_SIGN:
        return 0;
    case WG_OP_INVERT: return wgD_class(dt) == WGD_CU;
    default: return 1;
    }
}

/* ---- validation ---------------------------------------------------------------------------- */
static int is_float_math(int op) {
    switch (op) {
    case WG_OP_SQRT: case WG_OP_CBRT: case WG_OP_EXP: case WG_OP_EXP2: case WG_OP_EXPM1:
    case WG_OP_LOG: case WG_OP_LOG2: case WG_OP_LOG10: case WG_OP_LOG1P: case WG_OP_SIN:
    case WG_OP_COS: case WG_OP_TAN: case WG_OP_ARCSIN: case WG_OP_ARCCOS: case WG_OP_ARCTAN:
    case WG_OP_SINH: case WG_OP_COSH: case WG_OP_TANH: case WG_OP_ARCSINH: case WG_OP_ARCCOSH:
    case WG_OP_ARCTANH: case WG_OP_TRUE_DIVIDE: case WG_OP_ARCTAN2: case WG_OP_HYPOT:
    case WG_OP_COPYSIGN:
        return 1;
    default: return 0;
    }
}


int wgX_check_inst(wg_context *ctx, const wg_kernel_ir *k, const wg_inst *inst, int i,
                   int post) {
    const wg_inst *in = &inst[i];
    if (in->op >= WG_NOPS || in->dtype > WG_FLOAT64)
        return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: instruction %d: bad op %d or dtype %d", i,
                         in->op, in->dtype);
    const char *name = op_names[in->op];
    int ar = wgI_op_arity[in->op];
    for (int s = 0; s < ar; s++)
        if (in->src[s] >= i)
            return wgB_error(ctx, WG_ERR_INTERNAL,
                             "cpu: instruction %d (%s) uses %d, not an earlier instruction", i,
                             name, in->src[s]);
    int rc = wgD_class(in->dtype);
    int s0 = ar > 0 ? inst[in->src[0]].dtype : -1;
    int s1 = ar > 1 ? inst[in->src[1]].dtype : -1;
    int ok = 1;
    switch (in->op) {
    case WG_OP_LOAD: /* post programs of REDUCE: the input at the kept point (ir.h) */
        ok = (!post || k->kind == WG_K_REDUCE) && in->arg < k->ninputs &&
             in->dtype == k->input_dtype[in->arg];
        break;
    case WG_OP_PARAM: ok = in->arg < k->nparams && k->param_dtype[in->arg] <= WG_FLOAT64; break;
    case WG_OP_INDEX: ok = !post && in->arg < k->ndim; break;
    case WG_OP_ACC: ok = post; break;
    case WG_OP_CAST: break;
    case WG_OP_BITCAST:
        ok = (in->dtype == WG_INT32 || in->dtype == WG_UINT32 || in->dtype == WG_FLOAT32) &&
             (s0 == WG_INT32 || s0 == WG_UINT32 || s0 == WG_FLOAT32);
        break;
    /* statement kernels (structure checked by wgI_check_stmt) */
    case WG_OP_GET: ok = k->stmt && in->arg < k->nvars && in->dtype == k->var_dtype[in->arg]; break;
    case WG_OP_SET: ok = k->stmt && in->arg < k->nvars && s0 == k->var_dtype[in->arg]; break;
    case WG_OP_IF: ok = k->stmt && s0 == WG_BOOL; break;
    case WG_OP_ELSE: case WG_OP_LOOP: case WG_OP_CONTINUING: case WG_OP_END: case WG_OP_BREAK:
    case WG_OP_CONTINUE: case WG_OP_RETURN: case WG_OP_BARRIER:
        ok = k->stmt;
        break;
    case WG_OP_LINEAR: ok = k->stmt && (in->dtype == WG_INT32 || in->dtype == WG_INT64); break;
    case WG_OP_LOAD_AT: /* statement kernels; REDUCE programs and post programs (a gather) */
        ok = (k->stmt || (k->kind == WG_K_REDUCE && k->input_raw[in->arg < WG_KMAX_IO ? in->arg : 0])) &&
             in->arg < k->ninputs && in->dtype == k->input_dtype[in->arg] &&
             (wgD_class(s0) == WGD_CI || wgD_class(s0) == WGD_CU);
        break;
    case WG_OP_SHARED_LOAD: case WG_OP_SHARED_STORE:
        ok = k->stmt && in->arg < k->nshared &&
             (in->op == WG_OP_SHARED_STORE ? s1 == k->shared_dtype[in->arg]
                                           : in->dtype == k->shared_dtype[in->arg]) &&
             (wgD_class(s0) == WGD_CI || wgD_class(s0) == WGD_CU);
        break;
    case WG_OP_SHARED_ATOMIC_ADD: case WG_OP_SHARED_ATOMIC_MAX: case WG_OP_SHARED_ATOMIC_MIN:
    case WG_OP_SHARED_ATOMIC_CAS:
        ok = k->stmt && in->arg < k->nshared && s1 == k->shared_dtype[in->arg] && in->dtype == s1 &&
             (in->op != WG_OP_SHARED_ATOMIC_CAS || inst[in->src[2]].dtype == s1) &&
             (wgD_class(s0) == WGD_CI || wgD_class(s0) == WGD_CU);
        break;
    case WG_OP_OUT_LOAD_AT:
        ok = k->stmt && in->arg < k->noutputs && in->dtype == k->output_dtype[in->arg] &&
             (wgD_class(s0) == WGD_CI || wgD_class(s0) == WGD_CU);
        break;
    case WG_OP_ATOMIC_CAS:
        ok = k->stmt && in->arg < k->noutputs && s1 == k->output_dtype[in->arg] &&
             inst[in->src[2]].dtype == s1 && in->dtype == s1 &&
             (wgD_class(s0) == WGD_CI || wgD_class(s0) == WGD_CU);
        break;
    case WG_OP_STORE_AT: case WG_OP_ATOMIC_ADD: case WG_OP_ATOMIC_MAX: case WG_OP_ATOMIC_MIN:
        ok = k->stmt && in->arg < k->noutputs && s1 == k->output_dtype[in->arg] &&
             (wgD_class(s0) == WGD_CI || wgD_class(s0) == WGD_CU) &&
             (in->op == WG_OP_STORE_AT || in->dtype == k->output_dtype[in->arg]);
        break;
    case WG_OP_WHERE:
        ok = s0 == WG_BOOL && wgD_class(s1) == rc && wgD_class(inst[in->src[2]].dtype) == rc;
        break;
    case WG_OP_INVERT: case WG_OP_BITWISE_AND: case WG_OP_BITWISE_OR: case WG_OP_BITWISE_XOR:
    case WG_OP_LEFT_SHIFT: case WG_OP_RIGHT_SHIFT:
        ok = (rc == WGD_CI || rc == WGD_CU) && wgD_class(s0) == rc && (ar < 2 || wgD_class(s1) == rc);
        break;
    default:
        if (wgI_op_gives_bool(in->op)) {
            ok = in->dtype == WG_BOOL && (ar < 2 || wgD_class(s0) == wgD_class(s1));
        } else {
            ok = wgD_class(s0) == rc && (ar < 2 || wgD_class(s1) == rc);
            if (is_float_math(in->op)) ok = ok && (rc == WGD_CF || rc == WGD_CD);
        }
        break;
    }
    if (!ok)
        return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: instruction %d (%s, dtype %d, arg %d) is not valid",
                         i, name, in->dtype, in->arg);
    return WG_OK;
}

/* ---- program setup --------------------------------------------------------------------------- */
int wgX_eval_init(wg_context *ctx, wgx_eval *e, const wg_kernel_ir *k, const wg_kernel_args *args,
                  const wg_inst *inst, int ninst, int post, int nkeep, const uint16_t *keep_insts,
                  int cap) {
    memset(e, 0, sizeof *e);
    e->cap = cap;
    e->k = k;
    e->args = args;
    e->inst = inst;
    e->ninst = ninst;
    e->inner_dim = -1;
    e->direct_inst = -1;
    if (ninst <= 0 || ninst > 65535 || !inst)
        return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: empty or oversized program (%d)", ninst);
    for (int i = 0; i < ninst; i++) {
        int st = wgX_check_inst(ctx, k, inst, i, post);
        if (st) return st;
        if (inst[i].op == WG_OP_INDEX) e->has_index = 1;
    }
    size_t nn = (size_t)ninst;
    char *mem = wgB_malloc(ctx, nn * (sizeof(void *) + 3 * sizeof(int) + sizeof(uint8_t)));
    if (!mem) return WG_ERR_MEMORY;
    e->freeme = mem;
    e->val = (const void **)mem;
    int *last = (int *)(mem + nn * sizeof(void *));
    e->slot = last + nn;
    int *freelist = last + 2 * nn;
    e->keep = (uint8_t *)(last + 3 * nn);
    for (int i = 0; i < ninst; i++) {
        last[i] = -1;
        e->keep[i] = 0;
        e->val[i] = NULL;
        int ar = wgI_op_arity[inst[i].op];
        for (int s = 0; s < ar; s++) last[inst[i].src[s]] = i;
    }
    for (int j = 0; j < nkeep; j++) {
        if (keep_insts[j] >= ninst) {
            wgX_eval_free(e);
            return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: output instruction %d out of range",
                             keep_insts[j]);
        }
        e->keep[keep_insts[j]] = 1;
    }
    /* slots: a free list; an instruction never gets the slot of one of its own operands */
    int nfree = 0, nslots = 0;
    for (int i = 0; i < ninst; i++) {
        int op = inst[i].op;
        if (op == WG_OP_ACC) { e->slot[i] = -1; continue; }
        if (op == WG_OP_PARAM) last[i] = INT_MAX; /* filled once, never reused */
        if (e->keep[i]) last[i] = INT_MAX;
        int s;
        if (nfree > 0 && op != WG_OP_PARAM) s = freelist[--nfree]; /* a PARAM slot is filled once */
        else s = nslots++;
        e->slot[i] = s;
        int ar = wgI_op_arity[op];
        for (int q = 0; q < ar; q++) {
            int src = inst[i].src[q];
            int dup = 0;
            for (int q2 = 0; q2 < q; q2++) dup |= inst[i].src[q2] == src;
            if (!dup && last[src] == i && e->slot[src] >= 0) freelist[nfree++] = e->slot[src];
        }
        if (last[i] < 0) freelist[nfree++] = s; /* never read */
    }
    e->nslots = nslots;
    e->mem = wgX_alloc_aligned(ctx, (size_t)(nslots ? nslots : 1) * (size_t)cap * 8);
    if (!e->mem) {
        wgX_eval_free(e);
        return WG_ERR_MEMORY;
    }
    /* PARAM slots hold the value, cap times */
    for (int i = 0; i < ninst; i++) {
        if (inst[i].op != WG_OP_PARAM) continue;
        int dt = inst[i].dtype, pd = k->param_dtype[inst[i].arg];
        wg_value v = wgD_convert(args->params[inst[i].arg], pd, dt);
        char *p = (char *)e->mem + (size_t)e->slot[i] * (size_t)cap * 8;
        int cs = wgD_class_size(wgD_class(dt));
        wgX_scalar_to_class(dt, v, p);
        for (int t = 1; t < cap; t++) memcpy(p + (size_t)t * cs, p, (size_t)cs);
        e->val[i] = p;
    }
    return WG_OK;
}

void wgX_eval_free(wgx_eval *e) {
    wgX_free_aligned(e->mem);
    wgB_free(e->freeme);
    e->mem = NULL;
    e->freeme = NULL;
}

/* ---- evaluation ------------------------------------------------------------------------------ */
static int direct_load(int dt) {
    return dt == WG_FLOAT32 || dt == WG_FLOAT64 || dt == WG_INT64 || dt == WG_UINT64;
}

void wgX_fill_index(wgx_eval *e, const wgx_block *b, const wgx_iter *it, int dim, int dt,
                    void *out) {
    int64_t *tmp = (int64_t *)out;
    int pos = 0;
    int inner = it && it->nd > 0 ? it->dimid[it->nd - 1] : -1;
    int where = -1;
    if (it)
        for (int j = 0; j < it->nd; j++)
            if (it->dimid[j] == dim) where = j;
    for (int s = 0; s < b->nseg; s++) {
        int len = b->seglen[s];
        const int64_t *si = b->segidx ? b->segidx + (size_t)s * WG_MAX_NDIM : NULL;
        if (dim == inner && si) {
            int64_t st = si[it->nd - 1];
            for (int t = 0; t < len; t++) tmp[pos + t] = st + t;
        } else {
            int64_t v = (where >= 0 && si) ? si[where] : (e->fixed_idx ? e->fixed_idx[dim] : 0);
            for (int t = 0; t < len; t++) tmp[pos + t] = v;
        }
        pos += len;
    }
    if (dt != WG_INT64) {
        /* the index as the instruction's dtype, through a cast (in place is fine: 8-byte classes
         * read before write; float writes 4 bytes behind the read position) */
        int64_t *src = tmp;
        switch (wgD_class(dt)) {
        case WGD_CI: wgX_wrap_block(dt, b->n, src); break;
        case WGD_CU: wgX_wrap_block(dt, b->n, src); break;
        case WGD_CF: {
            float *f = (float *)out;
            for (int t = 0; t < b->n; t++) {
                int64_t x = src[t];
                f[t] = (float)x;
            }
            if (dt == WG_FLOAT16) wgX_wrap_block(dt, b->n, f);
            break;
        }
        default: {
            double *d = (double *)out;
            for (int t = 0; t < b->n; t++) {
                int64_t x = src[t];
                d[t] = (double)x;
            }
            break;
        }
        }
    }
}

static void run_program(wgx_eval *e, const wgx_block *b, const wgx_iter *it, const int64_t *extra,
                        int n) {
    const wg_inst *inst = e->inst;
    char *mem = (char *)e->mem;
    for (int i = 0; i < e->ninst; i++) {
        const wg_inst *in = &inst[i];
        void *out = e->slot[i] >= 0 ? mem + (size_t)e->slot[i] * (size_t)e->cap * 8 : NULL;
        if (i == e->direct_inst && e->direct_ptr) out = e->direct_ptr;
        switch (in->op) {
        case WG_OP_LOAD: {
            int a = in->arg, dt = in->dtype, isz = wgD_itemsize(dt);
            int64_t st = e->in_inner[a];
            int64_t ex = extra ? extra[a] : 0;
            int nops = it->nops;
            if (b->nseg == 1) {
                const char *p = e->in_base[a] + (b->segoff[a] + ex) * isz;
                if (st == 1 && direct_load(dt)) {
                    e->val[i] = p;
                    continue;
                }
                wgX_load_conv(dt, p, st, n, out);
            } else {
                int cs = wgD_class_size(wgD_class(dt)), pos = 0;
                for (int s = 0; s < b->nseg; s++) {
                    const char *p = e->in_base[a] + (b->segoff[(size_t)s * nops + a] + ex) * isz;
                    wgX_load_conv(dt, p, st, b->seglen[s], (char *)out + (size_t)pos * cs);
                    pos += b->seglen[s];
                }
            }
            e->val[i] = out;
            continue;
        }
        case WG_OP_LOAD_AT: { /* a gather per lane; outside the buffer reads zero */
            int a = in->arg, dt = in->dtype, isz = wgD_itemsize(dt), cs = wgD_class_size(wgD_class(dt));
            const void *iv = e->val[in->src[0]];
            int signed_ix = wgD_class(inst[in->src[0]].dtype) == WGD_CI;
            int64_t lim = e->in_nelem[a];
            (void)signed_ix; (void)isz; (void)cs;
            /* an unsigned index above INT64_MAX reads as negative: outside, zero */
            wgX_gather_conv(dt, e->in_base[a], lim, (const int64_t *)iv, n, out);
            e->val[i] = out;
            continue;
        }
        case WG_OP_PARAM: continue; /* filled at init */
        case WG_OP_INDEX:
            wgX_fill_index(e, b, it, in->arg, in->dtype, out);
            e->val[i] = out;
            continue;
        case WG_OP_ACC: e->val[i] = e->acc; continue;
        default: break;
        }
        int ar = wgI_op_arity[in->op];
        const void *a = ar > 0 ? e->val[in->src[0]] : NULL;
        const void *bb = ar > 1 ? e->val[in->src[1]] : NULL;
        const void *c = ar > 2 ? e->val[in->src[2]] : NULL;
        wgX_compute(e, in, n, a, bb, c, out);
        if (wgX_needs_wrap(in->op, in->dtype)) wgX_wrap_block(in->dtype, n, out);
        e->val[i] = out;
    }
}

void wgX_eval_block(wgx_eval *e, const wgx_block *b, const int64_t *extra) {
    run_program(e, b, e->it, extra, b->n);
}

void wgX_eval_post(wgx_eval *e, int n, const void *acc, const wgx_block *kb, const wgx_iter *kit) {
    e->acc = acc;
    run_program(e, kb, kit, NULL, n);
}
