/*
 * cpu_reduce.c — REDUCE kernels on the cpu.
 *
 * Iteration space: kept dims, then nred reduced dims.  The program's value is its last
 * instruction (cast to acc_dtype for SUM/PROD/MIN/MAX/ARG*); it is folded over the reduced dims
 * at each kept point, then the post program (ACC = the folded value) gives what is stored.
 *
 * Two strategies, chosen by a cost estimate:
 *   A  "inner": per kept point, evaluate the program over the reduced points in blocks and fold
 *      each block (floats: pairwise within a block, pairwise across blocks).  A plain sum of a
 *      float array runs NumPy's own pairwise summation on the array, so `x.sum()` and
 *      `x.sum(axis=-1)` give NumPy's bits.
 *   B  "outer": per block of kept points, walk the reduced points and fold whole blocks
 *      elementwise (acc[j] += v[j]), as NumPy does for a reduction over a non-innermost axis.
 */
#include <math.h>
#include <stdint.h>

#include "cpu_internal.h"
#include "../array/array.h"

static int64_t iabs64(int64_t x) { return x < 0 ? -x : x; }

/* ---- NumPy's pairwise summation (numpy/_core/src/umath/loops_utils.h.src) -------------------- */
#define PW_BLOCK 128
#define PAIRWISE_FN(NAME, TS, TA, CONV)                                                          \
    static TA NAME(const TS *a, int64_t n, int64_t s) {                                          \
        if (n < 8) {                                                                             \
            TA res = 0;                                                                          \
            for (int64_t i = 0; i < n; i++) res += CONV(a[i * s]);                               \
            return res;                                                                          \
        } else if (n <= PW_BLOCK) {                                                              \
            TA r[8];                                                                             \
            int64_t i;                                                                           \
            for (int j = 0; j < 8; j++) r[j] = CONV(a[j * s]);                                   \
            if (s == 1) {                                                                        \
                for (i = 8; i < n - (n % 8); i += 8)                                             \
                    for (int j = 0; j < 8; j++) r[j] += CONV(a[i + j]);                          \
            } else {                                                                             \
                for (i = 8; i < n - (n % 8); i += 8)                                             \
                    for (int j = 0; j < 8; j++) r[j] += CONV(a[(i + j) * s]);                    \
            }                                                                                    \
            TA res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));          \
            for (; i < n; i++) res += CONV(a[i * s]);                                            \
            return res;                                                                          \
        } else {                                                                                 \
            int64_t n2 = n / 2;                                                                  \
            n2 -= n2 % 8;                                                                        \
            return NAME(a, n2, s) + NAME(a + n2 * s, n - n2, s);                                 \
        }                                                                                        \
    }
#define CONV_ID(x) (x)
PAIRWISE_FN(pw_float, float, float, CONV_ID)
PAIRWISE_FN(pw_double, double, double, CONV_ID)
PAIRWISE_FN(pw_half, uint16_t, float, wgD_h2f)

/* pairwise across blocks: a binary counter of partial sums */
typedef struct {
    double v[64];
    int lvl[64];
    int sp;
} cascade;

static void casc_push(cascade *c, double x, int is_float) {
    c->v[c->sp] = x;
    c->lvl[c->sp] = 0;
    c->sp++;
    while (c->sp >= 2 && c->lvl[c->sp - 1] == c->lvl[c->sp - 2]) {
        double s = c->v[c->sp - 2] + c->v[c->sp - 1];
        c->v[c->sp - 2] = is_float ? (double)(float)s : s; /* float sums stay float */
        c->lvl[c->sp - 2]++;
        c->sp--;
    }
}

static double casc_total(const cascade *c, int is_float) {
    double t = 0;
    if (c->sp == 0) return 0;
    t = c->v[c->sp - 1];
    for (int i = c->sp - 2; i >= 0; i--) {
        t = c->v[i] + t;
        if (is_float) t = (double)(float)t;
    }
    return t;
}

static uint64_t usum(int n, const uint64_t *restrict x) {
    uint64_t a[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int t = 0;
    for (; t + 8 <= n; t += 8)
        for (int u = 0; u < 8; u++) a[u] += x[t + u];
    for (; t < n; t++) a[0] += x[t];
    return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

/* ---- fold state for strategy A ------------------------------------------------------------- */
/* Float sums follow NumPy's order: when NumPy's innermost loop runs along a reduced axis (the
 * input's smallest stride), each run of that axis is summed pairwise and added to the
 * accumulator ("runs"); otherwise NumPy adds element by element in iteration order
 * ("sequential").  float16 accumulators are rounded to float16 where NumPy stores them: after
 * each run, or after each element. */
typedef struct {
    int have;       /* min/max/arg: a first value was seen */
    int64_t bi;     /* arg: best index */
    int64_t mi;     /* best / min / max (class I) */
    uint64_t mu;    /* class U, and int sums/products */
    float mf;       /* class F: sum, product, best */
    double md;
    int64_t flag;   /* any / all */
    /* float sums and products */
    int runs;       /* NumPy's inner loop is along the reduced run */
    int half;       /* the accumulator is float16 */
    int64_t rin;    /* run length (the innermost reduced dim) */
    cascade run;    /* pairwise partial sums of a run longer than RUNMAX */
    void *rbuf;     /* a run of at most RUNMAX values split over blocks, gathered */
    int64_t rlen;
    float rpf;      /* product of the current run */
    double rpd;
} foldA;

#define RUNMAX 8192 /* NumPy's buffer size: also the longest run it ever sums pairwise whole */

static void foldA_init(foldA *s, int fold, int runs, int half, int64_t rin, void *rbuf) {
    s->rbuf = rbuf;
    s->rlen = 0;
    s->have = 0;
    s->bi = 0;
    s->run.sp = 0;
    s->flag = fold == WG_FOLD_ALL;
    s->mu = fold == WG_FOLD_PROD ? 1 : 0;
    s->mf = fold == WG_FOLD_PROD ? 1.0f : 0.0f;
    s->md = fold == WG_FOLD_PROD ? 1.0 : 0.0;
    s->mi = 0;
    s->runs = runs;
    s->half = half;
    s->rin = rin > 0 ? rin : 1;
    s->rpf = 0.0f;
    s->rpd = 0.0;
}

static void add_part(foldA *s, int cls, double part) {
    if (cls == WGD_CF) {
        float f = s->mf + (float)part;
        s->mf = s->half ? wgD_round_half(f) : f;
    } else {
        s->md += part;
    }
}

/* float SUM / PROD of n values (class cls) that start at reduced point `base` */
static void foldA_float(foldA *s, int fold, int cls, int n, const void *v, int64_t base) {
    const float *vf = (const float *)v;
    const double *vd = (const double *)v;
    int t = 0;
    while (t < n) {
        int64_t start = (base + t) % s->rin;
        int len = n - t;
        if (s->runs && s->rin - start < len) len = (int)(s->rin - start);
        int end = s->runs && start + len == s->rin;
        if (fold == WG_FOLD_SUM) {
            if (s->runs) {
                double part = 0;
                if (start == 0 && end)
                    part = cls == WGD_CF ? (double)pw_float(vf + t, len, 1) : pw_double(vd + t, len, 1);
                else if (s->rin > RUNMAX)
                    part = cls == WGD_CF ? (double)pw_float(vf + t, len, 1) : pw_double(vd + t, len, 1);
                if (start == 0 && end) {
                    add_part(s, cls, part);
                } else if (s->rin <= RUNMAX) {
                    int cs = wgD_class_size(cls);
                    memcpy((char *)s->rbuf + (size_t)s->rlen * cs, (const char *)v + (size_t)t * cs,
                           (size_t)len * cs);
                    s->rlen += len;
                    if (end) {
                        add_part(s, cls, cls == WGD_CF ? (double)pw_float((const float *)s->rbuf, s->rlen, 1)
                                                       : pw_double((const double *)s->rbuf, s->rlen, 1));
                        s->rlen = 0;
                    }
                } else {
                    casc_push(&s->run, part, cls == WGD_CF);
                    if (end) {
                        add_part(s, cls, casc_total(&s->run, cls == WGD_CF));
                        s->run.sp = 0;
                    }
                }
            } else if (cls == WGD_CF) {
                float a = s->mf;
                if (s->half) for (int q = t; q < t + len; q++) a = wgD_round_half(a + vf[q]);
                else for (int q = t; q < t + len; q++) a += vf[q];
                s->mf = a;
            } else {
                double a = s->md;
                for (int q = t; q < t + len; q++) a += vd[q];
                s->md = a;
            }
        } else { /* PROD: NumPy multiplies in order; float16 rounds where it stores */
            if (cls == WGD_CF) {
                if (s->runs) {
                    if (start == 0) s->rpf = s->mf;
                    float p = s->rpf;
                    for (int q = t; q < t + len; q++) p *= vf[q];
                    s->rpf = p;
                    if (end) s->mf = s->half ? wgD_round_half(p) : p;
                } else {
                    float a = s->mf;
                    if (s->half) for (int q = t; q < t + len; q++) a = wgD_round_half(a * vf[q]);
                    else for (int q = t; q < t + len; q++) a *= vf[q];
                    s->mf = a;
                }
            } else {
                double a = s->md;
                for (int q = t; q < t + len; q++) a *= vd[q];
                s->md = a;
            }
        }
        t += len;
    }
}

/* Vectorizable scans for min/max/argmin/argmax in strategy A: L independent lanes.
 * KEEP(m, x): the running value m stays over x (NaN propagates: a NaN m stays, a NaN x wins). */
#define KEEP_MAX(m, x) (((m) > (x)) | ((m) != (m)))
#define KEEP_MIN(m, x) (((m) < (x)) | ((m) != (m)))
#define KEEP_IMAX(m, x) ((m) > (x))
#define KEEP_IMIN(m, x) ((m) < (x))
#define SCANFN(NAME, T, KEEP, L)                                                                 \
    static T NAME(int n, const T *restrict x, T m0) {                                            \
        if (n < 2 * L) {                                                                         \
            for (int t = 0; t < n; t++) m0 = KEEP(m0, x[t]) ? m0 : x[t];                         \
            return m0;                                                                           \
        }                                                                                        \
        T m[L];                                                                                  \
        for (int u = 0; u < L; u++) m[u] = m0;                                                   \
        int t = 0;                                                                               \
        for (; t + L <= n; t += L)                                                               \
            for (int u = 0; u < L; u++) {                                                        \
                T v = x[t + u];                                                                  \
                m[u] = KEEP(m[u], v) ? m[u] : v;                                                 \
            }                                                                                    \
        T r = m[0];                                                                              \
        for (int u = 1; u < L; u++) r = KEEP(r, m[u]) ? r : m[u];                                \
        for (; t < n; t++) r = KEEP(r, x[t]) ? r : x[t];                                         \
        return r;                                                                                \
    }
/* floats: a plain max/min per lane (maxps/minps) plus a lane sum of v - v, which turns NaN only
 * when a NaN or an infinity went by; then the exact NaN-propagating scan decides */
#define SCANFN_F(NAME, T, OP, EXACT, L)                                                          \
    static T NAME(int n, const T *restrict x, T m0) {                                            \
        if (m0 != m0) return m0;                                                                 \
        T ma[L], mb[L], za[L], zb[L];                                                            \
        for (int u = 0; u < L; u++) { ma[u] = mb[u] = m0; za[u] = zb[u] = 0; }                   \
        int t = 0;                                                                               \
        for (; t + 2 * L <= n; t += 2 * L) {                                                     \
            for (int u = 0; u < L; u++) {                                                        \
                T v = x[t + u];                                                                  \
                ma[u] = ma[u] OP v ? ma[u] : v;                                                  \
                za[u] += v - v;                                                                  \
            }                                                                                    \
            for (int u = 0; u < L; u++) {                                                        \
                T v = x[t + L + u];                                                              \
                mb[u] = mb[u] OP v ? mb[u] : v;                                                  \
                zb[u] += v - v;                                                                  \
            }                                                                                    \
        }                                                                                        \
        T zz = 0;                                                                                \
        for (int u = 0; u < L; u++) zz += za[u] + zb[u];                                         \
        if (zz != zz) return EXACT(n, x, m0);                                                    \
        T r = ma[0];                                                                             \
        for (int u = 0; u < L; u++) {                                                            \
            r = r OP ma[u] ? r : ma[u];                                                          \
            r = r OP mb[u] ? r : mb[u];                                                          \
        }                                                                                        \
        return EXACT(n - t, x + t, r); /* the tail */                                            \
    }
/* lanes: enough independent chains to hide the compare latency */
SCANFN(smax_i, int64_t, KEEP_IMAX, 8)
SCANFN(smax_u, uint64_t, KEEP_IMAX, 8)
SCANFN(smax_f_exact, float, KEEP_MAX, 32)
SCANFN(smax_d_exact, double, KEEP_MAX, 16)
SCANFN(smin_i, int64_t, KEEP_IMIN, 8)
SCANFN(smin_u, uint64_t, KEEP_IMIN, 8)
SCANFN(smin_f_exact, float, KEEP_MIN, 32)
SCANFN(smin_d_exact, double, KEEP_MIN, 16)
#ifdef WGX_VEC
/* the same with vector registers: four accumulators of 16 bytes */
#define VSCAN(NAME, T, V, W, LD, VOP, OP, EXACT)                                                 \
    static T NAME(int n, const T *restrict x, T m0) {                                            \
        if (m0 != m0) return m0;                                                                 \
        V z = {0}, a0 = z + m0, a1 = a0, a2 = a0, a3 = a0, s0 = z, s1 = z, s2 = z, s3 = z;       \
        int t = 0;                                                                               \
        for (; t + 4 * W <= n; t += 4 * W) {                                                     \
            V v0 = LD(x + t), v1 = LD(x + t + W), v2 = LD(x + t + 2 * W), v3 = LD(x + t + 3 * W); \
            a0 = VOP(a0, v0);                                                                    \
            a1 = VOP(a1, v1);                                                                    \
            a2 = VOP(a2, v2);                                                                    \
            a3 = VOP(a3, v3);                                                                    \
            s0 += v0 - v0;                                                                       \
            s1 += v1 - v1;                                                                       \
            s2 += v2 - v2;                                                                       \
            s3 += v3 - v3;                                                                       \
        }                                                                                        \
        V s = (s0 + s1) + (s2 + s3);                                                             \
        T r = m0;                                                                                \
        for (int u = 0; u < W; u++) {                                                            \
            if (s[u] != s[u]) return EXACT(n, x, m0);                                            \
            r = r OP a0[u] ? r : a0[u];                                                          \
            r = r OP a1[u] ? r : a1[u];                                                          \
            r = r OP a2[u] ? r : a2[u];                                                          \
            r = r OP a3[u] ? r : a3[u];                                                          \
        }                                                                                        \
        return t < n ? EXACT(n - t, x + t, r) : r; /* the tail */                                \
    }
VSCAN(smax_f, float, wgx_v4f, 4, wgX_ld4f, wgX_max4f, >, smax_f_exact)
VSCAN(smin_f, float, wgx_v4f, 4, wgX_ld4f, wgX_min4f, <, smin_f_exact)
VSCAN(smax_d, double, wgx_v2d, 2, wgX_ld2d, wgX_max2d, >, smax_d_exact)
VSCAN(smin_d, double, wgx_v2d, 2, wgX_ld2d, wgX_min2d, <, smin_d_exact)
#else
SCANFN_F(smax_f, float, >, smax_f_exact, 8)
SCANFN_F(smax_d, double, >, smax_d_exact, 4)
SCANFN_F(smin_f, float, <, smin_f_exact, 8)
SCANFN_F(smin_d, double, <, smin_d_exact, 4)
#endif

/* first t with x[t] == m (m NaN: the first NaN) */
#define FINDFN(NAME, T)                                                                          \
    static int NAME(int n, const T *restrict x, T m) {                                           \
        int nan = m != m, t = 0;                                                                 \
        for (; t + 8 <= n; t += 8) {                                                             \
            int hit = 0;                                                                         \
            for (int u = 0; u < 8; u++) hit |= nan ? x[t + u] != x[t + u] : x[t + u] == m;       \
            if (hit) break;                                                                      \
        }                                                                                        \
        for (; t < n; t++)                                                                       \
            if (nan ? x[t] != x[t] : x[t] == m) return t;                                        \
        return n - 1;                                                                            \
    }
FINDFN(find_i, int64_t)
FINDFN(find_u, uint64_t)
FINDFN(find_f, float)
FINDFN(find_d, double)

/* min/max: fold the block into the running value */
#define FOLD_MM(T, M, SCAN)                                                                      \
    do {                                                                                         \
        const T *x_ = (const T *)v;                                                              \
        if (!s->have) { M = x_[0]; s->have = 1; }                                                \
        M = SCAN(n, x_, M);                                                                      \
    } while (0)
/* argmin/argmax: the block's extreme and its first index; it replaces the running best only when
 * strictly better (or a first NaN) */
#define FOLD_ARG(T, M, SCAN, FIND, BETTER)                                                       \
    do {                                                                                         \
        const T *x_ = (const T *)v;                                                              \
        T m0 = M;                                                                                \
        if (s->have && m0 != m0) break; /* a NaN was seen: it stays */                           \
        T bm = SCAN(n, x_, x_[0]);                                                               \
        if (!s->have || (BETTER)) {                                                              \
            M = bm;                                                                              \
            s->bi = base + FIND(n, x_, bm);                                                      \
            s->have = 1;                                                                         \
        }                                                                                        \
    } while (0)

static void foldA_block(foldA *s, int fold, int cls, int n, const void *v, int64_t base) {
    if (n <= 0) return;
    switch (fold) {
    case WG_FOLD_SUM:
    case WG_FOLD_PROD:
        if (cls == WGD_CF || cls == WGD_CD) {
            foldA_float(s, fold, cls, n, v, base);
        } else if (fold == WG_FOLD_SUM) {
            s->mu += usum(n, v);
        } else {
            const uint64_t *x = (const uint64_t *)v;
            uint64_t p = s->mu;
            for (int t = 0; t < n; t++) p *= x[t];
            s->mu = p;
        }
        break;
    case WG_FOLD_MAX:
        switch (cls) {
        case WGD_CI: FOLD_MM(int64_t, s->mi, smax_i); break;
        case WGD_CU: FOLD_MM(uint64_t, s->mu, smax_u); break;
        case WGD_CF: FOLD_MM(float, s->mf, smax_f); break;
        default: FOLD_MM(double, s->md, smax_d); break;
        }
        break;
    case WG_FOLD_MIN:
        switch (cls) {
        case WGD_CI: FOLD_MM(int64_t, s->mi, smin_i); break;
        case WGD_CU: FOLD_MM(uint64_t, s->mu, smin_u); break;
        case WGD_CF: FOLD_MM(float, s->mf, smin_f); break;
        default: FOLD_MM(double, s->md, smin_d); break;
        }
        break;
    case WG_FOLD_ARGMAX:
        switch (cls) {
        case WGD_CI: FOLD_ARG(int64_t, s->mi, smax_i, find_i, bm > m0); break;
        case WGD_CU: FOLD_ARG(uint64_t, s->mu, smax_u, find_u, bm > m0); break;
        case WGD_CF: FOLD_ARG(float, s->mf, smax_f, find_f, bm > m0 || bm != bm); break;
        default: FOLD_ARG(double, s->md, smax_d, find_d, bm > m0 || bm != bm); break;
        }
        break;
    case WG_FOLD_ARGMIN:
        switch (cls) {
        case WGD_CI: FOLD_ARG(int64_t, s->mi, smin_i, find_i, bm < m0); break;
        case WGD_CU: FOLD_ARG(uint64_t, s->mu, smin_u, find_u, bm < m0); break;
        case WGD_CF: FOLD_ARG(float, s->mf, smin_f, find_f, bm < m0 || bm != bm); break;
        default: FOLD_ARG(double, s->md, smin_d, find_d, bm < m0 || bm != bm); break;
        }
        break;
    case WG_FOLD_ANY:
    case WG_FOLD_ALL: {
        int64_t any = 0, all = 1;
#define TRUTH(T)                                                                                 \
    do {                                                                                         \
        const T *restrict x_ = (const T *)v;                                                     \
        for (int t = 0; t < n; t++) { int64_t b_ = x_[t] != 0; any |= b_; all &= b_; }           \
    } while (0)
        switch (cls) {
        case WGD_CI: TRUTH(int64_t); break;
        case WGD_CU: TRUTH(uint64_t); break;
        case WGD_CF: TRUTH(float); break;
        default: TRUTH(double); break;
        }
#undef TRUTH
        if (fold == WG_FOLD_ANY) s->flag |= any;
        else s->flag &= all;
        break;
    }
    default: break;
    }
}

/* the folded value (class of the folded dtype) to *dst */
static void foldA_result(const foldA *s, int fold, int cls, void *dst) {
    switch (fold) {
    case WG_FOLD_ARGMAX:
    case WG_FOLD_ARGMIN: memcpy(dst, &s->bi, 8); return;
    case WG_FOLD_ANY:
    case WG_FOLD_ALL: memcpy(dst, &s->flag, 8); return;
    default: break;
    }
    switch (cls) {
    case WGD_CI:
        if (fold == WG_FOLD_SUM || fold == WG_FOLD_PROD) memcpy(dst, &s->mu, 8);
        else memcpy(dst, &s->mi, 8);
        break;
    case WGD_CU: memcpy(dst, &s->mu, 8); break;
    case WGD_CF: memcpy(dst, &s->mf, 4); break;
    default: memcpy(dst, &s->md, 8); break;
    }
}

/* ---- strategy B: fold a block of kept points elementwise ------------------------------------ */
static void foldB_identity(int fold, int cls, int n, void *acc) {
    if (fold == WG_FOLD_SUM || fold == WG_FOLD_ANY) {
        memset(acc, 0, (size_t)n * (size_t)wgD_class_size(cls));
    } else if (fold == WG_FOLD_ALL) {
        int64_t *a = (int64_t *)acc;
        for (int t = 0; t < n; t++) a[t] = 1;
    } else if (fold == WG_FOLD_PROD) {
        if (cls == WGD_CF) { float *a = (float *)acc; for (int t = 0; t < n; t++) a[t] = 1.0f; }
        else if (cls == WGD_CD) { double *a = (double *)acc; for (int t = 0; t < n; t++) a[t] = 1.0; }
        else { uint64_t *a = (uint64_t *)acc; for (int t = 0; t < n; t++) a[t] = 1; }
    }
}

/* acc[t] = EXPR(m = acc[t], x = v[t]), one function per (fold, class) */
#define FBFN(NAME, T, EXPR)                                                                      \
    static void NAME(int n, T *restrict acc, const T *restrict v) {                              \
        WGX_FOR(t, n, T m = acc[t]; T x = v[t]; acc[t] = (EXPR););                               \
    }
#define FB4(N, EI, EU, EF, ED)                                                                   \
    FBFN(N##_i, int64_t, EI) FBFN(N##_u, uint64_t, EU) FBFN(N##_f, float, EF)                    \
    FBFN(N##_d, double, ED)
FB4(fb_sum, (int64_t)((uint64_t)m + (uint64_t)x), m + x, m + x, m + x)
FB4(fb_prod, (int64_t)((uint64_t)m * (uint64_t)x), m * x, m * x, m * x)
FB4(fb_max, m > x ? m : x, m > x ? m : x, (m > x || m != m) ? m : x, (m > x || m != m) ? m : x)
FB4(fb_min, m < x ? m : x, m < x ? m : x, (m < x || m != m) ? m : x, (m < x || m != m) ? m : x)

/* argmin/argmax: the index r replaces idx[t] where v[t] is better (first occurrence and NaN win) */
#define FBARG(NAME, T, BETTER)                                                                   \
    static void NAME(int n, T *restrict acc, const T *restrict v, int64_t *restrict idx,         \
                     int64_t r) {                                                                \
        WGX_FOR(t, n, T m = acc[t]; T x = v[t]; int b_ = (BETTER); acc[t] = b_ ? x : m;          \
                idx[t] = b_ ? r : idx[t];);                                                      \
    }
FBARG(fb_argmax_i, int64_t, x > m)
FBARG(fb_argmax_u, uint64_t, x > m)
FBARG(fb_argmax_f, float, m == m && (x > m || x != x))
FBARG(fb_argmax_d, double, m == m && (x > m || x != x))
FBARG(fb_argmin_i, int64_t, x < m)
FBARG(fb_argmin_u, uint64_t, x < m)
FBARG(fb_argmin_f, float, m == m && (x < m || x != x))
FBARG(fb_argmin_d, double, m == m && (x < m || x != x))

#define FBTRUTH(NAME, T, OP)                                                                     \
    static void NAME(int n, int64_t *restrict acc, const T *restrict v) {                        \
        WGX_FOR(t, n, acc[t] OP (v[t] != 0););                                                   \
    }
FBTRUTH(fb_any_i, int64_t, |=)
FBTRUTH(fb_any_u, uint64_t, |=)
FBTRUTH(fb_any_f, float, |=)
FBTRUTH(fb_any_d, double, |=)
FBTRUTH(fb_all_i, int64_t, &=)
FBTRUTH(fb_all_u, uint64_t, &=)
FBTRUTH(fb_all_f, float, &=)
FBTRUTH(fb_all_d, double, &=)

#define FBCALL(N, ...)                                                                           \
    switch (cls) {                                                                               \
    case WGD_CI: N##_i(n, __VA_ARGS__); break;                                                   \
    case WGD_CU: N##_u(n, __VA_ARGS__); break;                                                   \
    case WGD_CF: N##_f(n, __VA_ARGS__); break;                                                   \
    default: N##_d(n, __VA_ARGS__); break;                                                       \
    }

/* cls: the class of v (acc has it too, except any/all: int64 flags) */
static void foldB(int fold, int cls, int n, void *acc, int64_t *idx, const void *v, int64_t r) {
    int first = r == 0;
    if (first && (fold == WG_FOLD_MIN || fold == WG_FOLD_MAX || fold == WG_FOLD_ARGMIN ||
                  fold == WG_FOLD_ARGMAX)) {
        memcpy(acc, v, (size_t)n * (size_t)wgD_class_size(cls));
        if (idx) memset(idx, 0, (size_t)n * sizeof(int64_t));
        return;
    }
    switch (fold) {
    case WG_FOLD_SUM: FBCALL(fb_sum, acc, v) break;
    case WG_FOLD_PROD: FBCALL(fb_prod, acc, v) break;
    case WG_FOLD_MAX: FBCALL(fb_max, acc, v) break;
    case WG_FOLD_MIN: FBCALL(fb_min, acc, v) break;
    case WG_FOLD_ARGMAX: FBCALL(fb_argmax, acc, v, idx, r) break;
    case WG_FOLD_ARGMIN: FBCALL(fb_argmin, acc, v, idx, r) break;
    case WG_FOLD_ANY: FBCALL(fb_any, acc, v) break;
    case WG_FOLD_ALL: FBCALL(fb_all, acc, v) break;
    default: break;
    }
}

/* ---- the driver -------------------------------------------------------------------------------- */
typedef struct {
    wg_context *ctx;
    const wg_kernel_ir *k;
    const wg_kernel_args *args;
    wgx_eval e, pe;
    int has_post;
    int fold, vi, vdt, ad, fd, vcls, fcls, odt;
    int has_index;  /* the program reads INDEX: dims stay as they are */
    int runs;       /* NumPy's innermost loop runs along a reduced axis (see foldA) */
    int whole;      /* NumPy buffers the whole reduction into one run (see below) */
    void *rbuf;
    wgx_iter kit, rit;
    int64_t K, R;
    int64_t kinner[WGX_MAXOPS], rinner[WGX_MAXOPS];
    int64_t fixed[WG_MAX_NDIM];
    char *out_base;
    wgx_block kb, rb;
    void *acc, *vtmp, *tmp;
    int64_t *idx;
} rctx;

static int arg_fold(int f) { return f == WG_FOLD_ARGMIN || f == WG_FOLD_ARGMAX; }

/* the value block, as acc dtype (SUM/PROD/MIN/MAX/ARG*) */
static const void *value_block(rctx *c, int n) {
    const void *v = c->e.val[c->vi];
    if (c->vdt != c->ad && c->fold != WG_FOLD_ANY && c->fold != WG_FOLD_ALL) {
        wgX_cast_block(c->vdt, c->ad, n, v, c->vtmp);
        v = c->vtmp;
    }
    return v;
}

/* folded values of kept block kb (n points, class of fd) -> post program -> output */
static void finish_block(rctx *c, void *folded, int n) {
    if (c->fold != WG_FOLD_ANY && c->fold != WG_FOLD_ALL && !arg_fold(c->fold))
        wgX_wrap_block(c->ad, n, folded);
    const char *v = folded;
    int vdt = c->fd;
    if (c->has_post) {
        wgX_eval_post(&c->pe, n, folded, &c->kb, &c->kit);
        v = c->pe.val[c->k->npost - 1];
        vdt = c->k->post[c->k->npost - 1].dtype;
    }
    int nin = c->k->ninputs;
    wgX_store_block(vdt, c->odt, c->out_base, c->kinner[nin], &c->kb, nin + 1, nin, v, c->tmp);
}

/* A plain sum of a float array: NumPy's pairwise summation straight on the input's runs. */
static int fast_pairwise(const rctx *c) {
    const wg_kernel_ir *k = c->k;
    return c->fold == WG_FOLD_SUM && c->runs && !c->whole && k->ninst == 1 && k->inst[0].op == WG_OP_LOAD &&
           c->vdt == c->ad && wgD_is_float(c->ad) && !c->has_index;
}

static void sum_runs(rctx *c, const char *p, void *dst) {
    const wgx_iter *r = &c->rit;
    int a0 = c->k->inst[0].arg, nd = r->nd;
    int64_t rin = nd ? r->shape[nd - 1] : 1, st = nd ? r->st[a0][nd - 1] : 0;
    int64_t idx[WG_MAX_NDIM] = {0}, off = r->start[a0], nruns = rin ? c->R / rin : 0;
    int isz = wgD_itemsize(c->vdt);
    double accd = 0.0;
    float accf = 0.0f;
    for (int64_t q = 0; q < nruns; q++) {
        const char *pp = p + off * isz;
        if (c->vdt == WG_FLOAT64) accd += pw_double((const double *)pp, rin, st);
        else if (c->vdt == WG_FLOAT32) accf += pw_float((const float *)pp, rin, st);
        else accf = wgD_round_half(accf + pw_half((const uint16_t *)pp, rin, st));
        for (int d = nd - 2; d >= 0; d--) {
            idx[d]++;
            off += r->st[a0][d];
            if (idx[d] < r->shape[d]) break;
            off -= r->shape[d] * r->st[a0][d];
            idx[d] = 0;
        }
    }
    if (c->vdt == WG_FLOAT64) memcpy(dst, &accd, 8);
    else memcpy(dst, &accf, 4);
}

static void run_inner(rctx *c) {
    int nin = c->k->ninputs, nops = nin + 1;
    int fast = fast_pairwise(c);
    int truth = c->fold == WG_FOLD_ANY || c->fold == WG_FOLD_ALL;
    int vcls = wgD_class(truth ? c->vdt : c->ad);
    int rescls = truth ? WGD_CI : wgD_class(c->ad);
    int fcs = wgD_class_size(c->fcls);
    int64_t rin = c->whole ? c->R : c->rit.nd ? c->rit.shape[c->rit.nd - 1] : 1;
    /* blocks of whole runs where runs fit */
    int maxn = (rin > 0 && rin <= WGX_BLK) ? (int)(WGX_BLK / rin * rin) : WGX_BLK;
    c->e.in_inner = c->rinner;
    c->e.it = &c->rit;
    c->e.inner_dim = c->rit.nd ? c->rit.dimid[c->rit.nd - 1] : -1;
    c->e.fixed_idx = c->fixed;
    wgX_iter_start(&c->kit);
    while (wgX_iter_next(&c->kit, &c->kb, WGX_BLK) > 0) {
        int pos = 0;
        for (int s = 0; s < c->kb.nseg; s++) {
            const int64_t *so = c->kb.segoff + (size_t)s * nops;
            for (int t = 0; t < c->kb.seglen[s]; t++, pos++) {
                int64_t koff[WG_KMAX_IO];
                for (int j = 0; j < nin; j++) koff[j] = so[j] + t * c->kinner[j];
                char *dst = (char *)c->acc + (size_t)pos * fcs;
                if (fast) {
                    int a0 = c->k->inst[0].arg;
                    sum_runs(c, c->e.in_base[a0] + koff[a0] * wgD_itemsize(c->vdt), dst);
                    continue;
                }
                if (c->e.has_index) {
                    const int64_t *si = c->kb.segidx + (size_t)s * WG_MAX_NDIM;
                    for (int d = 0; d < c->kit.nd; d++) c->fixed[c->kit.dimid[d]] = si[d];
                    if (c->kit.nd) c->fixed[c->kit.dimid[c->kit.nd - 1]] += t;
                }
                foldA st;
                foldA_init(&st, c->fold, c->runs, c->ad == WG_FLOAT16, rin, c->rbuf);
                int64_t base = 0;
                wgX_iter_start(&c->rit);
                int n;
                while ((n = wgX_iter_next(&c->rit, &c->rb, maxn)) > 0) {
                    wgX_eval_block(&c->e, &c->rb, koff);
                    const void *v = truth ? c->e.val[c->vi] : value_block(c, n);
                    foldA_block(&st, c->fold, vcls, n, v, base);
                    base += n;
                }
                foldA_result(&st, c->fold, rescls, dst);
            }
        }
        finish_block(c, c->acc, c->kb.n);
    }
}

static void run_outer(rctx *c) {
    int nin = c->k->ninputs;
    int truth = c->fold == WG_FOLD_ANY || c->fold == WG_FOLD_ALL;
    int acls = truth ? WGD_CI : wgD_class(c->ad);
    c->e.in_inner = c->kinner;
    c->e.it = &c->kit;
    c->e.inner_dim = c->kit.nd ? c->kit.dimid[c->kit.nd - 1] : -1;
    c->e.fixed_idx = c->fixed;
    wgX_iter_start(&c->kit);
    int n;
    while ((n = wgX_iter_next(&c->kit, &c->kb, WGX_CAP)) > 0) {
        foldB_identity(c->fold, acls, n, c->acc);
        int64_t ridx[WG_MAX_NDIM] = {0}, roff[WG_KMAX_IO];
        for (int j = 0; j < nin; j++) roff[j] = c->rit.start[j];
        for (int64_t r = 0; r < c->R; r++) {
            if (c->e.has_index)
                for (int d = 0; d < c->rit.nd; d++) c->fixed[c->rit.dimid[d]] = ridx[d];
            wgX_eval_block(&c->e, &c->kb, roff);
            const void *v = truth ? c->e.val[c->vi] : value_block(c, n);
            foldB(c->fold, truth ? wgD_class(c->vdt) : acls, n, c->acc, c->idx, v, r);
            /* float16 sums/products are held in float16 between steps, as NumPy's outer-axis
             * loops do (its inner-axis loops sum pairwise in float: strategy A) */
            if (c->ad == WG_FLOAT16 && (c->fold == WG_FOLD_SUM || c->fold == WG_FOLD_PROD))
                wgX_wrap_block(WG_FLOAT16, n, c->acc);
            for (int d = c->rit.nd - 1; d >= 0; d--) {
                ridx[d]++;
                for (int j = 0; j < nin; j++) roff[j] += c->rit.st[j][d];
                if (ridx[d] < c->rit.shape[d]) break;
                for (int j = 0; j < nin; j++) roff[j] -= c->rit.shape[d] * c->rit.st[j][d];
                ridx[d] = 0;
            }
        }
        finish_block(c, arg_fold(c->fold) ? (void *)c->idx : c->acc, n);
    }
}

/* Rough cost (in element-steps) of the two strategies. */
static int choose_outer(const rctx *c) {
    int nin = c->k->ninputs;
    if (c->K <= 1) return 0;
    if (c->R == 0) return 1;
    /* float sums whose NumPy order is pairwise over runs need A (B adds element by element,
     * which gives the same bits only for one run shorter than 8, float16 aside) */
    if (c->runs && wgD_is_float(c->ad) &&
        ((c->fold == WG_FOLD_SUM && (c->R >= 8 || c->ad == WG_FLOAT16)) ||
         (c->fold == WG_FOLD_PROD && c->ad == WG_FLOAT16)))
        return 0;
    double K = (double)c->K, R = (double)c->R;
    double c0 = 30.0 + 8.0 * c->k->ninst;
    double kin = c->kit.nd ? (double)c->kit.shape[c->kit.nd - 1] : 1.0;
    double rin = c->rit.nd ? (double)c->rit.shape[c->rit.nd - 1] : 1.0;
    double pk = 0, pr = 0;
    for (int j = 0; j < nin; j++) {
        pk += (c->kit.nd && iabs64(c->kit.st[j][c->kit.nd - 1]) > 1) ? 3 : 1;
        pr += (c->rit.nd && iabs64(c->rit.st[j][c->rit.nd - 1]) > 1) ? 3 : 1;
    }
    double seqA = (c->fold == WG_FOLD_SUM) ? 0.3 : 1.5; /* sequential scans in A */
    double blocksA = (double)((c->R + WGX_BLK - 1) / WGX_BLK);
    double costA = K * (blocksA * (fast_pairwise(c) ? 5.0 : c0) + R * (pr + seqA) +
                        (R / rin) * nin * 4.0 + 10.0);
    double blocksB = (double)((c->K + WGX_CAP - 1) / WGX_CAP);
    double costB = blocksB * R * c0 + K * R * (pk + 0.5) + R * (K / kin) * nin * 4.0;
    return costB < costA;
}

int wgX_run_reduce(wg_context *ctx, const wg_kernel_ir *k, const wg_kernel_args *args) {
    rctx c;
    memset(&c, 0, sizeof c);
    c.ctx = ctx;
    c.k = k;
    c.args = args;
    int nin = k->ninputs, nd = k->ndim, nkeep = nd - k->nred;
    c.fold = k->fold;
    if (c.fold < WG_FOLD_SUM || c.fold > WG_FOLD_ALL)
        return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: unknown fold %d", c.fold);
    if (k->ninst < 1 || k->acc_dtype > WG_FLOAT64 || k->npost < 0 || (k->npost > 0 && !k->post))
        return wgB_error(ctx, WG_ERR_INTERNAL, "cpu: bad reduce program");
    c.K = 1;
    c.R = 1;
    for (int d = 0; d < nkeep; d++) c.K *= args->shape[d];
    for (int d = nkeep; d < nd; d++) c.R *= args->shape[d];
    if (c.R == 0) {
        switch (c.fold) {
        case WG_FOLD_MIN:
        case WG_FOLD_MAX:
            return wgB_error(ctx, WG_ERR_VALUE,
                             "zero-size array to reduction operation %s which has no identity",
                             c.fold == WG_FOLD_MIN ? "minimum" : "maximum");
        case WG_FOLD_ARGMIN:
        case WG_FOLD_ARGMAX:
            return wgB_error(ctx, WG_ERR_VALUE, "attempt to get %s of an empty sequence",
                             c.fold == WG_FOLD_ARGMIN ? "argmin" : "argmax");
        default: break;
        }
    }
    c.vi = k->ninst - 1;
    c.vdt = k->inst[c.vi].dtype;
    c.ad = k->acc_dtype;
    c.fd = (c.fold == WG_FOLD_ANY || c.fold == WG_FOLD_ALL) ? WG_BOOL
           : arg_fold(c.fold)                               ? WG_INT64
                                                            : c.ad;
    c.fcls = wgD_class(c.fd);
    c.vcls = wgD_class(c.vdt);
    c.odt = k->output_dtype[0];
    for (int i = 0; i < k->ninst; i++) c.has_index |= k->inst[i].op == WG_OP_INDEX;
    /* iterators: kept dims (inputs + output), reduced dims (inputs) */
    c.kit.nd = nkeep;
    c.kit.nops = nin + 1;
    for (int d = 0; d < nkeep; d++) {
        c.kit.shape[d] = args->shape[d];
        c.kit.dimid[d] = d;
        for (int j = 0; j < nin; j++) c.kit.st[j][d] = args->in[j].strides[d];
        c.kit.st[nin][d] = args->out[0].strides[d];
    }
    c.rit.nd = k->nred;
    c.rit.nops = nin;
    for (int d = 0; d < k->nred; d++) {
        c.rit.shape[d] = args->shape[nkeep + d];
        c.rit.dimid[d] = nkeep + d;
        for (int j = 0; j < nin; j++) c.rit.st[j][d] = args->in[j].strides[nkeep + d];
    }
    if (!c.has_index) {
        wgX_iter_simplify(&c.kit, nin, 1);
        /* reordering reduced dims changes the C-order index argmin/argmax report */
        if (arg_fold(c.fold)) wgX_iter_simplify(&c.rit, -1, 0);
        else wgX_iter_simplify(&c.rit, nin ? 0 : -1, 0); /* NumPy never flips reduced axes */
    }
    for (int j = 0; j <= nin; j++) c.kinner[j] = c.kit.nd ? c.kit.st[j][c.kit.nd - 1] : 0;
    {
        /* NumPy's iterator puts the input's smallest stride innermost (ties: a kept axis) */
        int a0 = 0;
        for (int i = 0; i < k->ninst; i++)
            if (k->inst[i].op == WG_OP_LOAD) { a0 = k->inst[i].arg; break; }
        int64_t mk = INT64_MAX, mr = INT64_MAX;
        for (int d = 0; nin > 0 && d < c.kit.nd; d++)
            if (iabs64(c.kit.st[a0][d]) < mk) mk = iabs64(c.kit.st[a0][d]);
        for (int d = 0; nin > 0 && d < c.rit.nd; d++)
            if (iabs64(c.rit.st[a0][d]) < mr) mr = iabs64(c.rit.st[a0][d]);
        c.runs = c.kit.nd == 0 || nin == 0 || (c.rit.nd > 0 && mr < mk);
        /* A full reduction whose axes do not merge into one run: NumPy copies up to its buffer
         * size (8192) of it, in iteration order, and sums that pairwise as one run. */
        c.whole = c.kit.nd == 0 && c.rit.nd >= 2 && c.R <= RUNMAX && nin > 0;
    }
    for (int j = 0; j < nin; j++) c.rinner[j] = c.rit.nd ? c.rit.st[j][c.rit.nd - 1] : 0;
    /* the program(s), with slots for the largest block either strategy evaluates */
    int outer = choose_outer(&c);
    int64_t cap = outer ? (c.K < WGX_CAP ? c.K : WGX_CAP)
                        : ((c.R < WGX_BLK ? c.R : WGX_BLK) > (c.K < WGX_BLK ? c.K : WGX_BLK)
                               ? (c.R < WGX_BLK ? c.R : WGX_BLK)
                               : (c.K < WGX_BLK ? c.K : WGX_BLK));
    if (cap < 1) cap = 1;
    uint16_t vi16 = (uint16_t)c.vi;
    int st = wgX_eval_init(ctx, &c.e, k, args, k->inst, k->ninst, 0, 1, &vi16, (int)cap);
    if (st) return st;
    if (k->npost > 0) {
        uint16_t last = (uint16_t)(k->npost - 1);
        st = wgX_eval_init(ctx, &c.pe, k, args, k->post, k->npost, 1, 1, &last, (int)cap);
        if (st) {
            wgX_eval_free(&c.e);
            return st;
        }
        c.has_post = 1;
        for (int i = 0; i < k->npost && !st; i++)
            if (k->post[i].op == WG_OP_ACC && k->post[i].dtype != c.fd)
                st = wgB_error(ctx, WG_ERR_INTERNAL, "cpu: ACC has dtype %d, the fold gives %d",
                               k->post[i].dtype, c.fd);
    }
    if (st || c.K == 0) goto done;

    /* (an empty reduction reads nothing: its input may have no storage) */
    for (int j = 0; j < nin && c.R > 0; j++)
        c.e.in_base[j] = (const char *)args->in[j].buf->host +
                         args->in[j].offset * wgD_itemsize(k->input_dtype[j]);
    c.out_base = (char *)args->out[0].buf->host + args->out[0].offset * wgD_itemsize(c.odt);
    /* the post program reads inputs at the kept point (LOAD) */
    c.pe.in_inner = c.kinner;
    for (int j = 0; j < nin; j++)
        if (args->in[j].buf && args->in[j].buf->host)
            c.pe.in_base[j] = (const char *)args->in[j].buf->host +
                              args->in[j].offset * wgD_itemsize(k->input_dtype[j]);
    /* raw inputs (LOAD_AT, in the program or the post program) */
    for (int j = 0; j < nin; j++) {
        if (!k->input_raw[j] || !args->in[j].buf || !args->in[j].buf->host) continue;
        int isz = wgD_itemsize(k->input_dtype[j]);
        const char *base = (const char *)args->in[j].buf->host + args->in[j].offset * isz;
        int64_t ne = args->in[j].buf->nbytes / isz - args->in[j].offset;
        c.e.in_base[j] = c.pe.in_base[j] = base;
        c.e.in_nelem[j] = c.pe.in_nelem[j] = ne < 0 ? 0 : ne;
    }

    /* scratch: acc, idx, vtmp, tmp (cap * 8 each), two blocks' segments */
    {
        int nops = nin + 1;
        size_t seg = ((size_t)cap * (sizeof(int) + sizeof(int64_t) * (size_t)nops) + 63) & ~(size_t)63;
        size_t sidx = c.has_index ? (size_t)cap * WG_MAX_NDIM * sizeof(int64_t) : 0;
        size_t vb = ((size_t)cap * 8 + 63) & ~(size_t)63;
        /* a run longer than a block but at most RUNMAX is gathered whole (foldA_float) */
        int64_t rin = c.whole ? c.R : c.rit.nd ? c.rit.shape[c.rit.nd - 1] : 1;
        size_t rbytes = (!outer && c.runs && wgD_is_float(c.ad) && !fast_pairwise(&c) &&
                         rin > WGX_BLK && rin <= RUNMAX)
                            ? (size_t)rin * 8
                            : 0;
        char *m = wgX_alloc_aligned(ctx, 4 * vb + 2 * (seg + sidx) + rbytes);
        if (!m) {
            st = WG_ERR_MEMORY;
            goto done;
        }
        c.acc = m;
        c.idx = (int64_t *)(m + vb);
        c.vtmp = m + 2 * vb;
        c.tmp = m + 3 * vb;
        char *q = m + 4 * vb;
        c.kb.segoff = (int64_t *)q;
        c.kb.seglen = (int *)(q + (size_t)cap * sizeof(int64_t) * (size_t)nops);
        c.kb.segidx = sidx ? (int64_t *)(q + seg) : NULL;
        q += seg + sidx;
        c.rb.segoff = (int64_t *)q;
        c.rb.seglen = (int *)(q + (size_t)cap * sizeof(int64_t) * (size_t)nops);
        c.rb.segidx = sidx ? (int64_t *)(q + seg) : NULL;
        q += seg + sidx;
        c.rbuf = q;

        if (outer) run_outer(&c);
        else run_inner(&c);
        wgX_free_aligned(m);
    }
    if (c.e.bad_power || (c.has_post && c.pe.bad_power))
        st = wgB_error(ctx, WG_ERR_VALUE, "Integers to negative integer powers are not allowed.");
done:
    wgX_eval_free(&c.e);
    if (c.has_post) wgX_eval_free(&c.pe);
    return st;
}
