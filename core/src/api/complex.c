/* Complex dtypes (docs/complex.md): complex64 and complex128 arrays over float-pair storage.
 *
 * The kernel IR, the code generators and the executors stay real-only.  A complex array's buffer
 * holds float32 (float64) pairs, exactly NumPy's memory layout; the array's layout counts complex
 * elements.  Every complex operation is composed here from real operations on float views of
 * that buffer:
 *   - part(a, k): the real (k = 0) or imaginary (k = 1) part, strides x2, offset x2 (+1);
 *   - pairs(a):   the float view of shape (..., 2).
 * An operation with a complex result computes its real and imaginary parts as lazy float arrays
 * of shape (..., 1) and writes where([True, False], re, im) into pairs(result): one write over
 * the whole result, so the lazy graph fuses both parts' chains into one kernel, on every backend
 * (webgl2 included: a fragment computes its own float). */
#include "api.h"

#include <math.h>
#include <string.h>

/* ---- views ------------------------------------------------------------------------------- */

/* The float view of part k of complex array a (with a buffer); trail: an extra last axis of
 * length 1 (so that parts broadcast against the (..., 2) pair axis). */
static wg_array *part_view(wg_context *ctx, wg_array *a, int k, int trail) {
    wg_layout l = a->lay;
    if (trail && l.ndim >= WG_MAX_NDIM) {
        wgB_error(ctx, WG_ERR_VALUE, "wgpy: complex arrays of %d dimensions are not supported",
                  WG_MAX_NDIM);
        return NULL;
    }
    for (int i = 0; i < l.ndim; i++) l.strides[i] *= 2;
    l.offset = 2 * l.offset + k;
    if (trail) {
        l.shape[l.ndim] = 1;
        l.strides[l.ndim] = 1;
        l.ndim++;
    }
    wg_array *v = wgA_new(ctx, wgD_part_dtype(a->dtype), &l, a->buf, a);
    if (v) v->writeable = a->writeable && !wgL_has_broadcast(&a->lay);
    return v;
}

/* pairs(a): the float view (..., 2) of complex array a */
static wg_array *pairs_view(wg_context *ctx, wg_array *a) {
    wg_layout l = a->lay;
    if (l.ndim >= WG_MAX_NDIM) {
        wgB_error(ctx, WG_ERR_VALUE, "wgpy: complex arrays of %d dimensions are not supported",
                  WG_MAX_NDIM);
        return NULL;
    }
    for (int i = 0; i < l.ndim; i++) l.strides[i] *= 2;
    l.offset *= 2;
    l.shape[l.ndim] = 2;
    l.strides[l.ndim] = 1;
    l.ndim++;
    wg_array *v = wgA_new(ctx, wgD_part_dtype(a->dtype), &l, a->buf, a);
    if (v) v->writeable = a->writeable && !wgL_has_broadcast(&a->lay);
    return v;
}

/* The complex array (dtype cdt) that float array f of shape (..., 2) holds; owns: no base. */
static wg_array *from_pairs(wg_context *ctx, wg_array *f, int cdt, int as_view) {
    const wg_layout *fl = &f->lay;
    int nd = fl->ndim - 1;
    if (!f->buf || nd < 0 || fl->shape[nd] != 2 || fl->strides[nd] != 1 || fl->offset % 2) {
        wgB_error(ctx, WG_ERR_VALUE,
                  "wgpy: a complex view needs a last axis of length 2 with contiguous pairs");
        return NULL;
    }
    wg_layout l;
    l.ndim = nd;
    l.offset = fl->offset / 2;
    for (int i = 0; i < nd; i++) {
        if (fl->strides[i] % 2 && fl->shape[i] > 1) {
            wgB_error(ctx, WG_ERR_VALUE,
                      "wgpy: a complex view needs a last axis of length 2 with contiguous pairs");
            return NULL;
        }
        l.shape[i] = fl->shape[i];
        l.strides[i] = fl->strides[i] / 2;
    }
    wg_array *r = wgA_new(ctx, cdt, &l, f->buf, as_view ? f : NULL);
    if (r) r->writeable = f->writeable;
    return r;
}

/* ---- a builder: temporaries released together ------------------------------------------- */

#define NTMP 160
typedef struct {
    wg_context *ctx;
    wg_array *tmp[NTMP];
    int n, fail;
    int P;           /* the part dtype computed in (float32/float64) */
} cb;

static wg_array *keep(cb *b, wg_array *a) {
    if (!a) {
        b->fail = 1;
        return NULL;
    }
    if (b->n >= NTMP) {
        wg_release(a);
        wgB_error(b->ctx, WG_ERR_INTERNAL, "wgpy: complex expression too large");
        b->fail = 1;
        return NULL;
    }
    b->tmp[b->n++] = a;
    return a;
}

static void cb_free(cb *b) {
    for (int i = 0; i < b->n; i++) wg_release(b->tmp[i]);
    b->n = 0;
}

static wg_array *B2(cb *b, int op, wg_array *x, wg_array *y) {
    if (b->fail || !x || !y) return NULL;
    return keep(b, wg_binary(b->ctx, op, x, y, NULL, -1));
}
static wg_array *U1(cb *b, int op, wg_array *x) {
    if (b->fail || !x) return NULL;
    return keep(b, wg_unary(b->ctx, op, x, NULL, -1));
}
static wg_array *W3(cb *b, wg_array *c, wg_array *x, wg_array *y) {
    if (b->fail || !c || !x || !y) return NULL;
    return keep(b, wg_where(b->ctx, c, x, y, NULL));
}
/* a constant: a weak Python float (keeps the part dtype) */
static wg_array *K(cb *b, double v) {
    if (b->fail) return NULL;
    wg_value x;
    x.f = v;
    return keep(b, wgP_out(b->ctx, wgA_scalar(b->ctx, WG_FLOAT64, WG_WEAK_FLOAT, x, 0)));
}
/* a strong scalar of the part dtype */
static wg_array *KP(cb *b, double v) {
    if (b->fail) return NULL;
    wg_value x;
    x.f = b->P == WG_FLOAT32 ? (double)(float)v : v;
    return keep(b, wgA_scalar(b->ctx, b->P, WG_WEAK_NONE, x, 0));
}

#define ADD(x, y) B2(b, WG_OP_ADD, x, y)
#define SUB(x, y) B2(b, WG_OP_SUBTRACT, x, y)
#define MUL(x, y) B2(b, WG_OP_MULTIPLY, x, y)
#define DIV(x, y) B2(b, WG_OP_TRUE_DIVIDE, x, y)
#define NEG(x) U1(b, WG_OP_NEGATIVE, x)
#define ABS(x) U1(b, WG_OP_ABSOLUTE, x)
#define AND(x, y) B2(b, WG_OP_LOGICAL_AND, x, y)
#define OR(x, y) B2(b, WG_OP_LOGICAL_OR, x, y)
#define NOT(x) U1(b, WG_OP_LOGICAL_NOT, x)
#define EQ(x, y) B2(b, WG_OP_EQUAL, x, y)
#define NE(x, y) B2(b, WG_OP_NOT_EQUAL, x, y)
#define LT(x, y) B2(b, WG_OP_LESS, x, y)
#define LE(x, y) B2(b, WG_OP_LESS_EQUAL, x, y)
#define GT(x, y) B2(b, WG_OP_GREATER, x, y)
#define GE(x, y) B2(b, WG_OP_GREATER_EQUAL, x, y)
#define SEL(c, x, y) W3(b, c, x, y)
#define F(op, x) U1(b, WG_OP_##op, x)

/* The parts of operand x (complex or real, array or scalar), as arrays of the part dtype b->P;
 * trail: with a trailing length-1 axis (complex results).  A real operand's imaginary part is 0. */
/* Forget a complex result's remembered parts (they keep their inputs alive). */
static void drop_cparts(wg_array *x) {
    if (!x->cpart[0]) return;
    wg_release(x->cpart[0]);
    wg_release(x->cpart[1]);
    x->cpart[0] = x->cpart[1] = NULL;
}

static void parts(cb *b, wg_array *x, int trail, wg_array **re, wg_array **im) {
    wg_context *ctx = b->ctx;
    *re = *im = NULL;
    if (b->fail) return;
    if (x->cpart[0] && (!x->buf->pending || x->buf->version != x->cpart_version))
        drop_cparts(x); /* stored or overwritten since: read memory from now on */
    if (!x->buf) {
        /* a scalar: strong scalars of the part dtype (the loop's dtype is already resolved) */
        int isc = wgD_is_complex(x->dtype);
        double r = isc || wgD_is_float(x->dtype) || x->weak == WG_WEAK_FLOAT
                       ? x->value.f
                       : x->value_unsigned ? (double)x->value.u : (double)x->value.i;
        *re = KP(b, r);
        *im = KP(b, isc ? x->value_imag : 0.0);
        return;
    }
    if (wgD_is_complex(x->dtype) && trail && x->cpart[0] && x->buf->pending &&
        x->buf->version == x->cpart_version && x->cpart[0]->dtype == b->P) {
        /* x is a pending complex result: its parts' lazy arrays, so that this op fuses */
        wg_retain(x->cpart[0]);
        wg_retain(x->cpart[1]);
        *re = keep(b, x->cpart[0]);
        *im = keep(b, x->cpart[1]);
        return;
    }
    if (wgD_is_complex(x->dtype)) {
        wg_array *r = keep(b, part_view(ctx, x, 0, trail));
        wg_array *i = keep(b, part_view(ctx, x, 1, trail));
        if (!r || !i) return;
        if (r->dtype != b->P) {
            r = keep(b, wg_astype(ctx, r, b->P, WG_CAST_UNSAFE, 1));
            i = keep(b, wg_astype(ctx, i, b->P, WG_CAST_UNSAFE, 1));
        }
        *re = r;
        *im = i;
        return;
    }
    wg_array *r = x;
    if (trail) {
        int64_t ax = x->lay.ndim;
        r = keep(b, wg_expand_dims(ctx, x, 1, &ax));
        if (!r) return;
    }
    if (r->dtype != b->P) r = keep(b, wg_astype(ctx, r, b->P, WG_CAST_UNSAFE, 1));
    *re = r;
    *im = KP(b, 0.0);
}

/* [True, False]: selects the real part along the pair axis */
static wg_array *pair_mask(cb *b) {
    if (b->fail) return NULL;
    int64_t shape[1] = {2};
    wg_value z;
    z.i = 0;
    wg_node *e = wgG_op(b->ctx, WG_OP_EQUAL, WG_BOOL, 1, shape, wgG_index(b->ctx, 1, shape, 0),
                        wgG_param(b->ctx, wgD_canonical(WG_INT64, b->ctx->x64), z), NULL);
    return keep(b, wgP_materialize(b->ctx, WG_BOOL, 1, shape, e));
}

/* Write re + i*im (arrays with the trailing axis) into complex array dst (all of it). */
static int store_parts(cb *b, wg_array *dst, wg_array *re, wg_array *im) {
    wg_array *m = pair_mask(b);
    if (b->fail || !re || !im || !m) return b->ctx->status ? b->ctx->status : WG_ERR_MEMORY;
    wg_array *pv = keep(b, pairs_view(b->ctx, dst));
    if (!pv) return b->ctx->status;
    wg_array *r = wg_where(b->ctx, m, re, im, pv);
    if (!r) return b->ctx->status;
    wg_release(r);
    /* a whole contiguous result whose parts have its shape + (1,): remember them (parts()) */
    const wg_layout *l = &dst->lay;
    int same = !dst->base && dst->buf && dst->buf->pending && wgL_is_c_contiguous(l) &&
               l->offset == 0 && !dst->cpart[0];
    for (int k = 0; k < 2 && same; k++) {
        const wg_array *p = k ? im : re;
        same = p->lay.ndim == l->ndim + 1 && p->lay.shape[l->ndim] == 1 &&
               !memcmp(p->lay.shape, l->shape, sizeof(int64_t) * (size_t)l->ndim);
    }
    if (same && dst->buf->nelem == 2 * wgL_size(l)) {
        wg_retain(re);
        wg_retain(im);
        dst->cpart[0] = re;
        dst->cpart[1] = im;
        dst->cpart_version = dst->buf->version;
    }
    return WG_OK;
}

/* ---- complex arithmetic on parts ---------------------------------------------------------- */

typedef struct { wg_array *re, *im; } cz;

static cz z_cmul(cb *b, cz x, cz y) {
    cz r = {SUB(MUL(x.re, y.re), MUL(x.im, y.im)), ADD(MUL(x.re, y.im), MUL(x.im, y.re))};
    return r;
}

/* NumPy's complex division (Smith's algorithm, loops_arithm_fp / nc_quot) */
static cz z_cdiv(cb *b, cz x, cz y) {
    wg_array *ar = ABS(y.re), *ai = ABS(y.im);
    wg_array *big_re = GE(ar, ai);
    wg_array *zero = AND(EQ(ar, K(b, 0)), EQ(ai, K(b, 0)));
    /* |c| >= |d| */
    wg_array *rat1 = DIV(y.im, y.re);
    wg_array *scl1 = DIV(K(b, 1), ADD(y.re, MUL(y.im, rat1)));
    wg_array *r1 = MUL(ADD(x.re, MUL(x.im, rat1)), scl1);
    wg_array *i1 = MUL(SUB(x.im, MUL(x.re, rat1)), scl1);
    /* |c| < |d| */
    wg_array *rat2 = DIV(y.re, y.im);
    wg_array *scl2 = DIV(K(b, 1), ADD(y.im, MUL(y.re, rat2)));
    wg_array *r2 = MUL(ADD(MUL(x.re, rat2), x.im), scl2);
    wg_array *i2 = MUL(SUB(MUL(x.im, rat2), x.re), scl2);
    /* both zero: a complex inf or nan */
    wg_array *r0 = DIV(x.re, ar), *i0 = DIV(x.im, ar);
    cz r = {SEL(zero, r0, SEL(big_re, r1, r2)), SEL(zero, i0, SEL(big_re, i1, i2))};
    return r;
}

static wg_array *z_chypot(cb *b, cz x) { return B2(b, WG_OP_HYPOT, x.re, x.im); }

static cz z_clog(cb *b, cz x) {
    cz r = {F(LOG, z_chypot(b, x)), B2(b, WG_OP_ARCTAN2, x.im, x.re)};
    return r;
}

static cz z_cexp(cb *b, cz x) {
    /* exp(a)(cos b + i sin b); a zero imaginary part stays exact (exp(inf) * sin(0) is not nan) */
    wg_array *e = F(EXP, x.re), *z = EQ(x.im, K(b, 0));
    cz r = {SEL(z, e, MUL(e, F(COS, x.im))), SEL(z, x.im, MUL(e, F(SIN, x.im)))};
    return r;
}

/* C99 csqrt: t = sqrt((|a| + |z|) / 2); a >= 0: (t, b / 2t); else (|b| / 2t, copysign(t, b)) */
static cz z_csqrt(cb *b, cz x) {
    wg_array *t = F(SQRT, MUL(ADD(ABS(x.re), z_chypot(b, x)), K(b, 0.5)));
    wg_array *q = DIV(x.im, MUL(t, K(b, 2))), *qa = DIV(ABS(x.im), MUL(t, K(b, 2)));
    wg_array *pos = GE(x.re, K(b, 0));
    wg_array *re = SEL(pos, t, qa), *im = SEL(pos, q, B2(b, WG_OP_COPYSIGN, t, x.im));
    wg_array *zero = AND(EQ(x.re, K(b, 0)), EQ(x.im, K(b, 0)));
    wg_array *iinf = F(ISINF, x.im);
    /* sqrt(0 + bi) = 0 + bi (keeps the sign of zero); an infinite imaginary part gives (inf, b) */
    re = SEL(iinf, K(b, INFINITY), SEL(zero, K(b, 0), re));
    im = SEL(iinf, x.im, SEL(zero, x.im, im));
    /* a = -inf, b finite: (0, copysign(inf, b)); a = +inf: (inf, copysign(0, b)) */
    wg_array *rinf = AND(F(ISINF, x.re), F(ISFINITE, x.im));
    wg_array *rpos = GT(x.re, K(b, 0));
    re = SEL(rinf, SEL(rpos, x.re, K(b, 0)), re);
    im = SEL(rinf, SEL(rpos, B2(b, WG_OP_COPYSIGN, K(b, 0), x.im),
                       B2(b, WG_OP_COPYSIGN, K(b, INFINITY), x.im)), im);
    cz r = {re, im};
    return r;
}

static cz z_cneg(cb *b, cz x) {
    cz r = {NEG(x.re), NEG(x.im)};
    return r;
}
/* i*x and -i*x */
static cz z_cmul_i(cb *b, cz x) {
    cz r = {NEG(x.im), x.re};
    return r;
}
static cz z_cmul_negi(cb *b, cz x) {
    cz r = {x.im, NEG(x.re)};
    return r;
}
static cz z_cadd(cb *b, cz x, cz y) {
    cz r = {ADD(x.re, y.re), ADD(x.im, y.im)};
    return r;
}
static cz z_csub(cb *b, cz x, cz y) {
    cz r = {SUB(x.re, y.re), SUB(x.im, y.im)};
    return r;
}
static cz z_creal(cb *b, double v) {
    cz r = {KP(b, v), KP(b, 0)};
    return r;
}
static cz z_cscale(cb *b, cz x, double s) {
    cz r = {MUL(x.re, K(b, s)), MUL(x.im, K(b, s))};
    return r;
}

/* tanh(x + iy), the C99 (Kahan) formula, stable for large |x| */
static cz z_ctanh(cb *b, cz z) {
    wg_array *t = F(TAN, z.im);
    wg_array *beta = ADD(K(b, 1), MUL(t, t));
    wg_array *s = F(SINH, z.re);
    wg_array *rho = F(SQRT, ADD(K(b, 1), MUL(s, s)));
    wg_array *den = ADD(K(b, 1), MUL(beta, MUL(s, s)));
    wg_array *re = DIV(MUL(beta, MUL(rho, s)), den);
    wg_array *im = DIV(t, den);
    /* |x| large: (copysign(1, x), 4 sin y cos y exp(-2|x|)) */
    wg_array *big = GT(ABS(z.re), K(b, b->P == WG_FLOAT32 ? 9.0 : 22.0));
    wg_array *ibig = MUL(MUL(K(b, 4), MUL(F(SIN, z.im), F(COS, z.im))),
                         F(EXP, MUL(K(b, -2), ABS(z.re))));
    cz r = {SEL(big, B2(b, WG_OP_COPYSIGN, K(b, 1), z.re), re), SEL(big, ibig, im)};
    return r;
}

/* asinh(z) = log(z + sqrt(z^2 + 1)), evaluated for Re z >= 0 and mirrored (odd function) */
static cz z_casinh(cb *b, cz z) {
    wg_array *neg = LT(z.re, K(b, 0));
    wg_array *ar = ABS(z.re), *ai = SEL(neg, NEG(z.im), z.im);
    cz w = {ar, ai};
    cz w2 = z_cmul(b, w, w);
    w2.re = ADD(w2.re, K(b, 1));
    cz r = z_clog(b, z_cadd(b, w, z_csqrt(b, w2)));
    /* |w| large: w^2 would overflow; asinh(w) = log(2w) + O(1/w^2) */
    wg_array *big = GT(z_chypot(b, w), K(b, b->P == WG_FLOAT32 ? 1e8 : 1e150));
    cz l = z_clog(b, w);
    r.re = SEL(big, ADD(l.re, K(b, 0.69314718055994530942)), r.re);
    r.im = SEL(big, l.im, r.im);
    cz out = {SEL(neg, NEG(r.re), B2(b, WG_OP_COPYSIGN, r.re, z.re)), SEL(neg, NEG(r.im), r.im)};
    return out;
}

/* atanh(z) = (log1p(z) - log1p(-z)) / 2 */
static cz z_catanh(cb *b, cz z) {
    /* 1 - z as (1 - a, -b): the sign of a zero imaginary part picks the side of the cut */
    cz p = {ADD(K(b, 1), z.re), z.im}, q = {SUB(K(b, 1), z.re), NEG(z.im)};
    p = z_clog(b, p);
    cz m = z_clog(b, q);
    return z_cscale(b, z_csub(b, p, m), 0.5);
}

static wg_array *is_nz(cb *b, cz x) { return OR(NE(x.re, K(b, 0)), NE(x.im, K(b, 0))); }

/* NumPy's lexicographic complex order (CLT/CLE/CGT/CGE in loops.c.src) */
static wg_array *z_corder(cb *b, int op, cz x, cz y) {
    wg_array *nonan = AND(NOT(F(ISNAN, x.im)), NOT(F(ISNAN, y.im)));
    wg_array *req = EQ(x.re, y.re);
    switch (op) {
    case WG_OP_LESS: return OR(AND(LT(x.re, y.re), nonan), AND(req, LT(x.im, y.im)));
    case WG_OP_LESS_EQUAL: return OR(AND(LT(x.re, y.re), nonan), AND(req, LE(x.im, y.im)));
    case WG_OP_GREATER: return OR(AND(GT(x.re, y.re), nonan), AND(req, GT(x.im, y.im)));
    default: return OR(AND(GT(x.re, y.re), nonan), AND(req, GE(x.im, y.im)));
    }
}

static wg_array *z_cisnan(cb *b, cz x) { return OR(F(ISNAN, x.re), F(ISNAN, x.im)); }

/* x ** n for an integer n (|n| < 100), NumPy's nc_pow: binary powering, 1/x^-n */
static cz z_cpow_int(cb *b, cz x, long n) {
    long m = n < 0 ? -n : n;
    cz r = z_creal(b, 1), p = x;
    int first = 1;
    while (m) {
        if (m & 1) {
            r = first ? p : z_cmul(b, r, p);
            first = 0;
        }
        m >>= 1;
        if (m) p = z_cmul(b, p, p);
    }
    if (n < 0) r = z_cdiv(b, z_creal(b, 1), r);
    return r;
}

/* x ** y: exp(y log x), with NumPy's cases for y == 0 (1) and x == 0 (0 when Re y > 0 and
 * Im y == 0, else nan) */
static cz z_cpow(cb *b, cz x, cz y) {
    cz r = z_cexp(b, z_cmul(b, y, z_clog(b, x)));
    wg_array *y0 = AND(EQ(y.re, K(b, 0)), EQ(y.im, K(b, 0)));
    wg_array *x0 = AND(EQ(x.re, K(b, 0)), EQ(x.im, K(b, 0)));
    wg_array *zok = GT(y.re, K(b, 0)); /* NumPy 2.4: 0 ** (1+1j) is 0 */
    wg_array *xr = SEL(zok, K(b, 0), K(b, NAN)), *xi = SEL(zok, K(b, 0), K(b, NAN));
    cz out = {SEL(y0, K(b, 1), SEL(x0, xr, r.re)), SEL(y0, K(b, 0), SEL(x0, xi, r.im))};
    return out;
}

/* The result of a unary op with a complex result. */
static cz unary_c(cb *b, int op, cz x, int *ok) {
    cz r = {NULL, NULL};
    *ok = 1;
    switch (op) {
    case WG_OP_NEGATIVE: return z_cneg(b, x);
    case WG_OP_POSITIVE: return (cz){F(POSITIVE, x.re), F(POSITIVE, x.im)};
    case WG_OP_SQUARE: return z_cmul(b, x, x);
    case WG_OP_RECIPROCAL: {
        /* NumPy's: |b| <= |a|: r = b/a, d = a + b r, (1/d, -r/d); else r = a/b, d = a r + b,
         * (r/d, -1/d) */
        wg_array *small = LE(ABS(x.im), ABS(x.re));
        wg_array *r1 = DIV(x.im, x.re), *d1 = ADD(x.re, MUL(x.im, r1));
        wg_array *r2 = DIV(x.re, x.im), *d2 = ADD(MUL(x.re, r2), x.im);
        return (cz){SEL(small, DIV(K(b, 1), d1), DIV(r2, d2)),
                    SEL(small, NEG(DIV(r1, d1)), NEG(DIV(K(b, 1), d2)))};
    }
    case WG_OP_SIGN: {
        /* NumPy 2: z/|z|; 0 for 0; nan for nan; on an infinite |z| the unit of the infinite
         * axis (nan when both are infinite) */
        wg_array *a = z_chypot(b, x);
        wg_array *isn = F(ISNAN, a), *isi = F(ISINF, a), *z = EQ(a, K(b, 0));
        wg_array *rinf = F(ISINF, x.re), *iinf = F(ISINF, x.im);
        wg_array *ur = B2(b, WG_OP_COPYSIGN, K(b, 1), x.re);
        wg_array *ui = B2(b, WG_OP_COPYSIGN, K(b, 1), x.im);
        wg_array *infre = SEL(rinf, SEL(iinf, K(b, NAN), ur), K(b, 0));
        wg_array *infim = SEL(rinf, SEL(iinf, K(b, NAN), K(b, 0)), ui);
        wg_array *re = SEL(isn, K(b, NAN), SEL(isi, infre, SEL(z, K(b, 0), DIV(x.re, a))));
        wg_array *im = SEL(isn, K(b, NAN), SEL(isi, infim, SEL(z, K(b, 0), DIV(x.im, a))));
        return (cz){re, im};
    }
    case WG_OP_SQRT: return z_csqrt(b, x);
    case WG_OP_EXP: return z_cexp(b, x);
    case WG_OP_EXP2: return z_cexp(b, z_cscale(b, x, 0.69314718055994530942));
    case WG_OP_EXPM1: {
        /* NumPy's nc_expm1: (expm1(a) cos b - 2 sin^2(b/2), exp(a) sin b) */
        wg_array *s = F(SIN, MUL(x.im, K(b, 0.5)));
        return (cz){SUB(MUL(F(EXPM1, x.re), F(COS, x.im)), MUL(K(b, 2), MUL(s, s))),
                    MUL(F(EXP, x.re), F(SIN, x.im))};
    }
    case WG_OP_LOG: return z_clog(b, x);
    case WG_OP_LOG2: return z_cscale(b, z_clog(b, x), 1.4426950408889634074);
    case WG_OP_LOG10: return z_cscale(b, z_clog(b, x), 0.43429448190325182765);
    case WG_OP_LOG1P: {
        cz y = {ADD(x.re, K(b, 1)), x.im};
        return z_clog(b, y);
    }
    case WG_OP_SIN: /* (sin a cosh b, cos a sinh b) */
        return (cz){MUL(F(SIN, x.re), F(COSH, x.im)), MUL(F(COS, x.re), F(SINH, x.im))};
    case WG_OP_COS: /* (cos a cosh b, -sin a sinh b) */
        return (cz){MUL(F(COS, x.re), F(COSH, x.im)), NEG(MUL(F(SIN, x.re), F(SINH, x.im)))};
    case WG_OP_TAN: /* tan z = -i tanh(iz) */
        return z_cmul_negi(b, z_ctanh(b, z_cmul_i(b, x)));
    case WG_OP_SINH: /* (sinh a cos b, cosh a sin b) */
        return (cz){MUL(F(SINH, x.re), F(COS, x.im)), MUL(F(COSH, x.re), F(SIN, x.im))};
    case WG_OP_COSH: /* (cosh a cos b, sinh a sin b) */
        return (cz){MUL(F(COSH, x.re), F(COS, x.im)), MUL(F(SINH, x.re), F(SIN, x.im))};
    case WG_OP_TANH: return z_ctanh(b, x);
    case WG_OP_ARCSINH: return z_casinh(b, x);
    case WG_OP_ARCSIN: /* asin z = -i asinh(iz) */
        return z_cmul_negi(b, z_casinh(b, z_cmul_i(b, x)));
    case WG_OP_ARCCOS: { /* acos z = pi/2 - asin z */
        cz s = z_cmul_negi(b, z_casinh(b, z_cmul_i(b, x)));
        return (cz){SUB(K(b, 1.57079632679489661923), s.re), NEG(s.im)};
    }
    case WG_OP_ARCTANH: return z_catanh(b, x);
    case WG_OP_ARCTAN: /* atan z = -i atanh(iz) */
        return z_cmul_negi(b, z_catanh(b, z_cmul_i(b, x)));
    case WG_OP_ARCCOSH: {
        /* acosh z = log(z + sqrt(z + 1) sqrt(z - 1)) */
        cz zp = {ADD(x.re, K(b, 1)), x.im}, zm = {SUB(x.re, K(b, 1)), x.im};
        return z_clog(b, z_cadd(b, x, z_cmul(b, z_csqrt(b, zp), z_csqrt(b, zm))));
    }
    case WG_OP_RINT: return (cz){F(RINT, x.re), F(RINT, x.im)};
    default: *ok = 0; return r;
    }
}

static cz binary_c(cb *b, int op, cz x, cz y, wg_array *yarr, int *ok) {
    *ok = 1;
    switch (op) {
    case WG_OP_ADD: return z_cadd(b, x, y);
    case WG_OP_SUBTRACT: return z_csub(b, x, y);
    case WG_OP_MULTIPLY: return z_cmul(b, x, y);
    case WG_OP_TRUE_DIVIDE: return z_cdiv(b, x, y);
    case WG_OP_POWER:
        if (!yarr->buf) {
            /* a scalar exponent: NumPy multiplies for small integer exponents */
            double yr = !wgD_is_complex(yarr->dtype) && !wgD_is_float(yarr->dtype) &&
                                yarr->weak != WG_WEAK_FLOAT && yarr->weak != WG_WEAK_COMPLEX
                            ? (yarr->value_unsigned ? (double)yarr->value.u : (double)yarr->value.i)
                            : yarr->value.f;
            double yi = wgD_is_complex(yarr->dtype) ? yarr->value_imag : 0.0;
            if (yi == 0 && yr == floor(yr) && fabs(yr) < 100) return z_cpow_int(b, x, (long)yr);
        }
        return z_cpow(b, x, y);
    case WG_OP_MAXIMUM:
    case WG_OP_MINIMUM:
    case WG_OP_FMAX:
    case WG_OP_FMIN: {
        int mx = op == WG_OP_MAXIMUM || op == WG_OP_FMAX;
        wg_array *cmpv = z_corder(b, mx ? WG_OP_GREATER_EQUAL : WG_OP_LESS_EQUAL, x, y);
        /* maximum/minimum propagate x's nan; fmax/fmin ignore y's */
        wg_array *pick_x = op == WG_OP_MAXIMUM || op == WG_OP_MINIMUM ? OR(z_cisnan(b, x), cmpv)
                                                                      : OR(z_cisnan(b, y), cmpv);
        return (cz){SEL(pick_x, x.re, y.re), SEL(pick_x, x.im, y.im)};
    }
    default: {
        cz r = {NULL, NULL};
        *ok = 0;
        return r;
    }
    }
}

/* Ops with a real (or bool) result */
static wg_array *real_result(cb *b, int op, int n, cz x, cz y, int *ok) {
    *ok = 1;
    switch (op) {
    case WG_OP_ABSOLUTE: return z_chypot(b, x);
    case WG_OP_ISNAN: return z_cisnan(b, x);
    case WG_OP_ISINF: return OR(F(ISINF, x.re), F(ISINF, x.im));
    case WG_OP_ISFINITE: return AND(F(ISFINITE, x.re), F(ISFINITE, x.im));
    case WG_OP_LOGICAL_NOT: return NOT(is_nz(b, x));
    default: break;
    }
    if (n == 2) switch (op) {
        case WG_OP_EQUAL: return AND(EQ(x.re, y.re), EQ(x.im, y.im));
        case WG_OP_NOT_EQUAL: return OR(NE(x.re, y.re), NE(x.im, y.im));
        case WG_OP_LESS:
        case WG_OP_LESS_EQUAL:
        case WG_OP_GREATER:
        case WG_OP_GREATER_EQUAL: return z_corder(b, op, x, y);
        case WG_OP_LOGICAL_AND: return AND(is_nz(b, x), is_nz(b, y));
        case WG_OP_LOGICAL_OR: return OR(is_nz(b, x), is_nz(b, y));
        case WG_OP_LOGICAL_XOR: return B2(b, WG_OP_LOGICAL_XOR, is_nz(b, x), is_nz(b, y));
        default: break;
        }
    *ok = 0;
    return NULL;
}

wg_array *wgP_cufunc(wg_context *ctx, int op, int n, wg_array **ins, int loop_dt, int out_dt,
                     int ndim, const int64_t *shape, wg_array *out) {
    cb bb = {.ctx = ctx, .P = wgD_part_dtype(loop_dt)}, *b = &bb;
    int cres = wgD_is_complex(out_dt);
    cz x = {NULL, NULL}, y = {NULL, NULL};
    parts(b, ins[0], cres, &x.re, &x.im);
    if (n == 2) parts(b, ins[1], cres, &y.re, &y.im);
    wg_array *res = NULL;
    int ok = 1;
    if (b->fail) goto done;
    if (cres) {
        cz r = n == 1 ? unary_c(b, op, x, &ok) : binary_c(b, op, x, y, ins[1], &ok);
        if (!ok) goto unsupported;
        wg_array *target = out;
        if (!target) target = wgA_new_contiguous(ctx, out_dt, ndim, shape);
        else wg_retain(target);
        if (!target) goto done;
        if (store_parts(b, target, r.re, r.im) != WG_OK) {
            wg_release(target);
            goto done;
        }
        res = target;
    } else {
        wg_array *r = real_result(b, op, n, x, y, &ok);
        if (!ok) goto unsupported;
        if (!r) goto done;
        if (out) {
            if (wg_assign(ctx, out, r) == WG_OK) {
                wg_retain(out);
                res = out;
            }
        } else if (r->dtype != out_dt || r->lay.ndim != ndim ||
                   memcmp(r->lay.shape, shape, sizeof(int64_t) * (size_t)ndim)) {
            wg_array *t = wgA_new_contiguous(ctx, out_dt, ndim, shape);
            if (t && wg_assign(ctx, t, r) != WG_OK) {
                wg_release(t);
                t = NULL;
            }
            res = t;
        } else {
            wg_retain(r);
            res = r;
        }
    }
    goto done;
unsupported:
    wgB_error(ctx, WG_ERR_TYPE, "wgpy: ufunc '%s' is not supported for complex inputs",
              wg_op_name(op));
done:
    cb_free(b);
    return wgP_out(ctx, res);
}

/* ---- assignment, copies, reads, scalars -------------------------------------------------- */

int wgP_cassign(wg_context *ctx, wg_array *dst, wg_array *src) {
    if (!dst->writeable) return wgB_error(ctx, WG_ERR_VALUE, "assignment destination is read-only");
    int st = wgP_ensure_buffer(ctx, dst);
    if (st != WG_OK) return st;
    if (dst->dtype == WG_BOOL && src->buf) {
        /* complex into bool: nonzero */
        wg_array *re = part_view(ctx, src, 0, 0), *im = part_view(ctx, src, 1, 0), *nz = NULL;
        if (re && im) {
            wg_value z;
            z.f = 0;
            wg_array *zero = wgA_scalar(ctx, WG_FLOAT64, WG_WEAK_FLOAT, z, 0);
            wg_array *a1 = zero ? wg_binary(ctx, WG_OP_NOT_EQUAL, re, zero, NULL, -1) : NULL;
            wg_array *a2 = a1 ? wg_binary(ctx, WG_OP_NOT_EQUAL, im, zero, NULL, -1) : NULL;
            nz = a2 ? wg_binary(ctx, WG_OP_LOGICAL_OR, a1, a2, NULL, -1) : NULL;
            wg_release(zero);
            wg_release(a1);
            wg_release(a2);
        }
        st = nz ? wg_assign(ctx, dst, nz) : ctx->status;
        wg_release(re);
        wg_release(im);
        wg_release(nz);
        return st;
    }
    if (!wgD_is_complex(dst->dtype)) {
        /* complex into real: the real part (NumPy warns ComplexWarning; the shell does) */
        if (!src->buf) {
            wg_value v = src->value;
            wg_array *s = wgA_scalar(ctx, wgD_part_dtype(src->dtype), WG_WEAK_NONE, v, 0);
            if (!s) return ctx->status;
            st = wg_assign(ctx, dst, s);
            wg_release(s);
            return st;
        }
        wg_array *r = part_view(ctx, src, 0, 0);
        if (!r) return ctx->status;
        st = wg_assign(ctx, dst, r);
        wg_release(r);
        return st;
    }
    if (wgD_is_complex(src->dtype) && src->buf) {
        wg_array *pd = pairs_view(ctx, dst), *ps = pairs_view(ctx, src);
        st = pd && ps ? wg_assign(ctx, pd, ps) : ctx->status;
        wg_release(pd);
        wg_release(ps);
        return st;
    }
    /* a real array or any scalar: where([True, False], re, im) into the pairs */
    cb bb = {.ctx = ctx, .P = wgD_part_dtype(dst->dtype)}, *b = &bb;
    cz x;
    wg_array *s = wgP_assign_src(ctx, src, dst);
    if (!s) return ctx->status;
    parts(b, s, 1, &x.re, &x.im);
    wg_release(s);
    wg_array *m = pair_mask(b);
    wg_array *pv = keep(b, pairs_view(ctx, dst));
    st = WG_OK;
    if (b->fail || !m || !pv) {
        st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    } else {
        wg_array *r = keep(b, wg_where(ctx, m, x.re, x.im, NULL));
        st = r ? wg_assign(ctx, pv, r) : ctx->status;
    }
    cb_free(b);
    return st;
}

int wgP_cread(wg_context *ctx, wg_array *a, void *dst, int64_t nbytes) {
    if (!a->buf) {
        if (nbytes != wgD_size(a->dtype))
            return wgB_error(ctx, WG_ERR_VALUE, "wg_read: %lld bytes given for %d",
                             (long long)nbytes, wgD_size(a->dtype));
        wg_value v = a->value, w;
        w.f = a->value_imag;
        int p = wgD_part_dtype(a->dtype), ps = wgD_size(p);
        wgD_store(p, dst, v);
        wgD_store(p, (char *)dst + ps, w);
        return WG_OK;
    }
    drop_cparts(a); /* its value is stored now: later ops read memory */
    wg_array *pv = pairs_view(ctx, a);
    if (!pv) return ctx->status;
    int st = wg_read(ctx, pv, dst, nbytes);
    wg_release(pv);
    return st;
}

/* A complex scalar's buffer: its two parts written as one kernel */
int wgP_cscalar_buffer(wg_context *ctx, wg_array *a) {
    wg_buffer *buf = wgA_buffer_new(ctx, a->dtype, 1);
    if (!buf) return ctx->status ? ctx->status : WG_ERR_MEMORY;
    int p = wgD_part_dtype(a->dtype);
    int64_t shape[1] = {2};
    wg_value z, re = a->value, im;
    z.i = 0;
    im.f = a->value_imag;
    wg_node *isre = wgG_op(ctx, WG_OP_EQUAL, WG_BOOL, 1, shape, wgG_index(ctx, 1, shape, 0),
                           wgG_param(ctx, wgD_canonical(WG_INT64, ctx->x64), z), NULL);
    wg_node *v = wgG_op(ctx, WG_OP_WHERE, p, 1, shape, isre, wgG_param(ctx, p, re),
                        wgG_param(ctx, p, im));
    wg_layout l;
    wgL_contiguous(&l, 1, shape, 'C');
    int st = v ? wgG_record_write(ctx, buf, &l, v) : (ctx->status ? ctx->status : WG_ERR_MEMORY);
    if (st != WG_OK) {
        wgA_buffer_release(ctx, buf);
        return st;
    }
    wgL_contiguous(&a->lay, 0, NULL, 'C');
    a->buf = buf;
    return WG_OK;
}

/* where(cond, x, y) with a complex result */
wg_array *wgP_cwhere(wg_context *ctx, wg_array *cond, wg_array *x, wg_array *y, int dt,
                     int ndim, const int64_t *shape, wg_array *out) {
    cb bb = {.ctx = ctx, .P = wgD_part_dtype(dt)}, *b = &bb;
    cz p, q;
    parts(b, x, 1, &p.re, &p.im);
    parts(b, y, 1, &q.re, &q.im);
    wg_array *c = cond;
    if (cond->buf || cond->lay.ndim) {
        int64_t ax = cond->lay.ndim;
        c = keep(b, wg_expand_dims(ctx, cond, 1, &ax));
    }
    wg_array *res = NULL;
    if (!b->fail && c) {
        wg_array *re = SEL(c, p.re, q.re), *im = SEL(c, p.im, q.im);
        wg_array *target = out ? out : wgA_new_contiguous(ctx, dt, ndim, shape);
        if (target && out) wg_retain(target);
        if (target && store_parts(b, target, re, im) == WG_OK) res = target;
        else wg_release(target);
    }
    cb_free(b);
    return wgP_out(ctx, res);
}

/* ---- reductions ---------------------------------------------------------------------------- */

wg_array *wgP_creduce(wg_context *ctx, int rop, wg_array *a, int naxes, const int64_t *axes,
                      int keepdims, int dtype, int64_t ddof, wg_array *out) {
    int nd = a->lay.ndim;
    int64_t ax[WG_MAX_NDIM];
    int nax = 0;
    if (naxes < 0) {
        for (int i = 0; i < nd; i++) ax[nax++] = i;
    } else {
        for (int i = 0; i < naxes; i++) {
            int v = wgL_normalize_axis(ctx, axes[i], nd);
            if (v < 0) return NULL;
            ax[nax++] = v;
        }
    }
    if (wgP_ensure_buffer(ctx, a) != WG_OK) return NULL;
    int cdt = dtype >= 0 ? wgD_canonical(dtype, ctx->x64) : a->dtype;
    switch (rop) {
    case WG_REDUCE_SUM:
    case WG_REDUCE_MEAN: {
        if (dtype >= 0 && !wgD_is_complex(cdt)) break;
        wg_array *pv = pairs_view(ctx, a);
        if (!pv) return NULL;
        wg_array *opv = NULL;
        if (out) {
            if (!wgD_is_complex(out->dtype)) {
                wg_release(pv);
                wgB_error(ctx, WG_ERR_TYPE, "wgpy: the output of a complex %s must be complex",
                          wg_reduce_name(rop));
                return NULL;
            }
            opv = pairs_view(ctx, out);
        }
        wg_array *r = wg_reduce(ctx, rop, pv, nax, ax, keepdims, wgD_part_dtype(cdt), 0, opv);
        wg_release(pv);
        wg_release(opv);
        if (!r) return NULL;
        wg_array *c;
        if (out) {
            wg_retain(out);
            c = out;
        } else {
            c = from_pairs(ctx, r, cdt, 0);
        }
        wg_release(r);
        return wgP_out(ctx, c);
    }
    case WG_REDUCE_VAR:
    case WG_REDUCE_STD: {
        /* var(z) = var(Re z) + var(Im z); real results */
        int fdt = dtype >= 0 ? wgD_part_dtype(cdt) : wgD_part_dtype(a->dtype);
        wg_array *re = part_view(ctx, a, 0, 0), *im = part_view(ctx, a, 1, 0);
        wg_array *vr = re ? wg_reduce(ctx, WG_REDUCE_VAR, re, nax, ax, keepdims, fdt, ddof, NULL)
                          : NULL;
        wg_array *vi = im && vr ? wg_reduce(ctx, WG_REDUCE_VAR, im, nax, ax, keepdims, fdt, ddof,
                                            NULL)
                                : NULL;
        wg_array *s = vi ? wg_binary(ctx, WG_OP_ADD, vr, vi, rop == WG_REDUCE_VAR ? out : NULL, -1)
                         : NULL;
        wg_release(re);
        wg_release(im);
        wg_release(vr);
        wg_release(vi);
        if (s && rop == WG_REDUCE_STD) {
            wg_array *t = wg_unary(ctx, WG_OP_SQRT, s, out, -1);
            wg_release(s);
            s = t;
        }
        return s;
    }
    case WG_REDUCE_ANY:
    case WG_REDUCE_ALL: {
        wg_array *re = part_view(ctx, a, 0, 0), *im = part_view(ctx, a, 1, 0);
        wg_array *r = NULL;
        if (re && im) {
            wg_value z;
            z.f = 0;
            wg_array *zero = wgA_scalar(ctx, WG_FLOAT64, WG_WEAK_FLOAT, z, 0);
            wg_array *a1 = zero ? wg_binary(ctx, WG_OP_NOT_EQUAL, re, zero, NULL, -1) : NULL;
            wg_array *a2 = a1 ? wg_binary(ctx, WG_OP_NOT_EQUAL, im, zero, NULL, -1) : NULL;
            wg_array *nz = a2 ? wg_binary(ctx, WG_OP_LOGICAL_OR, a1, a2, NULL, -1) : NULL;
            if (nz) r = wg_reduce(ctx, rop, nz, nax, ax, keepdims, -1, 0, out);
            wg_release(zero);
            wg_release(a1);
            wg_release(a2);
            wg_release(nz);
        }
        wg_release(re);
        wg_release(im);
        return r;
    }
    case WG_REDUCE_ARGMIN:
    case WG_REDUCE_ARGMAX: {
        /* the first position of the (lexicographic) min/max, or of the first NaN when the
         * extreme is NaN: argmax of where(isnan(m), isnan(a), a == m) */
        if (wgL_size(&a->lay) == 0) {
            wgB_error(ctx, WG_ERR_VALUE, "attempt to get %s of an empty sequence",
                      wg_reduce_name(rop));
            return NULL;
        }
        int mop = rop == WG_REDUCE_ARGMIN ? WG_REDUCE_MIN : WG_REDUCE_MAX;
        wg_array *m = wgP_creduce(ctx, mop, a, naxes, axes, 1, -1, 0, NULL);
        wg_array *eq = m ? wg_binary(ctx, WG_OP_EQUAL, a, m, NULL, -1) : NULL;
        wg_array *nm = eq ? wg_unary(ctx, WG_OP_ISNAN, m, NULL, -1) : NULL;
        wg_array *na = nm ? wg_unary(ctx, WG_OP_ISNAN, a, NULL, -1) : NULL;
        wg_array *mask = na ? wg_where(ctx, nm, na, eq, NULL) : NULL;
        wg_array *r = mask ? wg_reduce(ctx, WG_REDUCE_ARGMAX, mask, naxes, axes, keepdims, -1, 0,
                                       out)
                           : NULL;
        wg_array *t[5] = {m, eq, nm, na, mask};
        for (int k = 0; k < 5; k++) wg_release(t[k]);
        return r;
    }
    case WG_REDUCE_MIN:
    case WG_REDUCE_MAX:
    case WG_REDUCE_PROD: {
        if (dtype >= 0 && !wgD_is_complex(cdt)) break;
        /* move the reduced axes last, copy to (kept, n), then halve n with complex multiplies
         * (min/max: NumPy's lexicographic minimum/maximum ufuncs, nan propagating; a pairwise
         * tree: log2(n) kernels) */
        int bop = rop == WG_REDUCE_PROD  ? WG_OP_MULTIPLY
                  : rop == WG_REDUCE_MIN ? WG_OP_MINIMUM
                                         : WG_OP_MAXIMUM;
        int64_t perm[WG_MAX_NDIM], keep_shape[WG_MAX_NDIM];
        int np = 0, nk = 0;
        int64_t mask = 0, n = 1, kept = 1;
        for (int i = 0; i < nax; i++) mask |= (int64_t)1 << ax[i];
        for (int i = 0; i < nd; i++)
            if (!(mask >> i & 1)) {
                perm[np++] = i;
                keep_shape[nk++] = a->lay.shape[i];
                kept *= a->lay.shape[i];
            }
        for (int i = 0; i < nd; i++)
            if (mask >> i & 1) {
                perm[np++] = i;
                n *= a->lay.shape[i];
            }
        if (n == 0 && rop != WG_REDUCE_PROD) {
            wgB_error(ctx, WG_ERR_VALUE,
                      "zero-size array to reduction operation %s which has no identity",
                      rop == WG_REDUCE_MIN ? "minimum" : "maximum");
            return NULL;
        }
        wg_array *t = wg_transpose(ctx, a, nd, perm);
        int64_t sh2[2] = {kept, n};
        wg_array *x = t ? wg_reshape(ctx, t, 2, sh2, 'C') : NULL;
        wg_release(t);
        if (x && x->dtype != cdt) {
            wg_array *y = wg_astype(ctx, x, cdt, WG_CAST_UNSAFE, 1);
            wg_release(x);
            x = y;
        }
        wg_array *acc = NULL; /* the leftovers of odd lengths, multiplied together */
        while (x && n > 1) {
            int64_t h = n / 2;
            int64_t i1[8] = {WG_IDX_SLICE, WG_IDX_NONE, WG_IDX_NONE, 1, WG_IDX_SLICE, 0, h, 1};
            int64_t i2[8] = {WG_IDX_SLICE, WG_IDX_NONE, WG_IDX_NONE, 1, WG_IDX_SLICE, h, 2 * h, 1};
            wg_array *lo = wg_index(ctx, x, 2, i1), *hi = lo ? wg_index(ctx, x, 2, i2) : NULL;
            wg_array *y = hi ? wg_binary(ctx, bop, lo, hi, NULL, -1) : NULL;
            if (y && n % 2) {
                int64_t i3[8] = {WG_IDX_SLICE, WG_IDX_NONE, WG_IDX_NONE, 1,
                                 WG_IDX_SLICE, n - 1, n, 1};
                wg_array *last = wg_index(ctx, x, 2, i3), *na = NULL;
                if (last) na = acc ? wg_binary(ctx, bop, acc, last, NULL, -1)
                                   : wg_copy(ctx, last, 'C');
                wg_release(last);
                wg_release(acc);
                acc = na;
                if (!acc) {
                    wg_release(y);
                    y = NULL;
                }
            }
            wg_release(lo);
            wg_release(hi);
            wg_release(x);
            x = y;
            n = h;
        }
        if (x && n == 0) {
            /* an empty product is 1 */
            wg_release(x);
            wg_value one;
            one.f = 1.0;
            wg_array *s1 = wgA_scalar(ctx, WG_FLOAT64, WG_WEAK_FLOAT, one, 0);
            int64_t sh1[2] = {kept, 1};
            x = s1 ? wg_full(ctx, cdt, 2, sh1, s1) : NULL;
            wg_release(s1);
        }
        if (x && acc) {
            wg_array *y = wg_binary(ctx, bop, x, acc, NULL, -1);
            wg_release(x);
            x = y;
        }
        wg_release(acc);
        if (!x) return NULL;
        /* back to the kept shape (keepdims: 1 for each reduced axis) */
        int64_t fin[WG_MAX_NDIM];
        int nf = 0;
        if (keepdims) {
            for (int i = 0, k = 0; i < nd; i++) fin[nf++] = (mask >> i & 1) ? 1 : keep_shape[k++];
        } else {
            for (int i = 0; i < nk; i++) fin[nf++] = keep_shape[i];
        }
        wg_array *r = wg_reshape(ctx, x, nf, fin, 'C');
        wg_release(x);
        return wgP_into_out(ctx, r, out);
    }
    default: break;
    }
    wgB_error(ctx, WG_ERR_TYPE, "wgpy: %s is not supported for complex arrays%s",
              wg_reduce_name(rop), dtype >= 0 ? " with this dtype" : "");
    return NULL;
}

/* ---- matmul / dot: four real products -------------------------------------------------- */

wg_array *wgP_cmatmul(wg_context *ctx, wg_array *a, wg_array *c, wg_array *out, int dot) {
    int32_t dts[2] = {a->dtype, c->dtype}, weak[2] = {a->weak, c->weak};
    int dt = wgD_result_type(2, dts, weak);
    if (dt < 0 || !wgD_is_complex(dt)) {
        wgB_error(ctx, WG_ERR_TYPE, "wgpy: no complex matmul for these dtypes");
        return NULL;
    }
    dt = wgD_canonical(dt, ctx->x64);
    cb bb = {.ctx = ctx, .P = wgD_part_dtype(dt)}, *b = &bb;
    cz x, y;
    parts(b, a, 0, &x.re, &x.im);
    parts(b, c, 0, &y.re, &y.im);
    wg_array *(*mm)(wg_context *, wg_array *, wg_array *, wg_array *) = dot ? wg_dot : wg_matmul;
    wg_array *res = NULL;
    if (!b->fail && a->buf && c->buf) {
        int ai = wgD_is_complex(a->dtype), ci = wgD_is_complex(c->dtype);
        wg_array *rr = keep(b, mm(ctx, x.re, y.re, NULL));
        wg_array *re = rr, *im = NULL;
        if (ai && ci) {
            re = SUB(rr, keep(b, rr ? mm(ctx, x.im, y.im, NULL) : NULL));
            im = re ? ADD(keep(b, mm(ctx, x.re, y.im, NULL)), keep(b, mm(ctx, x.im, y.re, NULL)))
                    : NULL;
        } else if (ai) {
            im = rr ? keep(b, mm(ctx, x.im, y.re, NULL)) : NULL;
        } else {
            im = rr ? keep(b, mm(ctx, x.re, y.im, NULL)) : NULL;
        }
        if (re && im) {
            int64_t ax = re->lay.ndim;
            wg_array *re1 = keep(b, wg_expand_dims(ctx, re, 1, &ax));
            wg_array *im1 = keep(b, wg_expand_dims(ctx, im, 1, &ax));
            wg_array *target = out;
            if (target) wg_retain(target);
            else if (re1) target = wgA_new_contiguous(ctx, dt, re->lay.ndim, re->lay.shape);
            if (target && out && (out->lay.ndim != re->lay.ndim ||
                                  memcmp(out->lay.shape, re->lay.shape,
                                         sizeof(int64_t) * (size_t)re->lay.ndim))) {
                wgB_error(ctx, WG_ERR_VALUE, "output array has the wrong shape");
                wg_release(target);
                target = NULL;
            }
            if (target && re1 && im1 && store_parts(b, target, re1, im1) == WG_OK) res = target;
            else wg_release(target);
        }
    } else if (!b->fail) {
        wgB_error(ctx, WG_ERR_VALUE, "matmul: Input operand does not have enough dimensions");
    }
    cb_free(b);
    return wgP_out(ctx, res);
}

/* ---- public: views, scalars --------------------------------------------------------------- */

wg_array *wg_scalar_complex(wg_context *ctx, int dtype, int weak, double re, double im) {
    if (weak != WG_WEAK_NONE) dtype = WG_COMPLEX128;
    if (!wgD_is_complex(dtype)) {
        wgB_error(ctx, WG_ERR_TYPE, "wgpy: wg_scalar_complex needs a complex dtype");
        return NULL;
    }
    wg_value v;
    v.f = dtype == WG_COMPLEX64 ? (double)(float)re : re;
    wg_array *a = wgA_scalar(ctx, dtype, weak ? WG_WEAK_COMPLEX : WG_WEAK_NONE, v, 0);
    if (a) a->value_imag = dtype == WG_COMPLEX64 ? (double)(float)im : im;
    return wgP_out(ctx, a);
}

wg_array *wg_real(wg_context *ctx, wg_array *a) {
    if (!wgD_is_complex(a->dtype)) {
        wg_array *v = wgA_new(ctx, a->dtype, &a->lay, a->buf, a);
        if (v && !a->buf) {
            v->value = a->value;
            v->value_unsigned = a->value_unsigned;
        }
        return wgP_out(ctx, v);
    }
    if (!a->buf) {
        wg_value v = a->value;
        int p = wgD_part_dtype(a->dtype);
        return wgP_out(ctx, wgA_scalar(ctx, p, WG_WEAK_NONE, v, 0));
    }
    return wgP_out(ctx, part_view(ctx, a, 0, 0));
}

wg_array *wg_imag(wg_context *ctx, wg_array *a) {
    if (!wgD_is_complex(a->dtype)) {
        /* NumPy: a read-only array of zeros */
        wg_value z;
        z.i = 0;
        wg_array *s = wgA_scalar(ctx, WG_BOOL, WG_WEAK_NONE, z, 0);
        wg_array *r = s ? wg_full(ctx, a->weak ? wgD_canonical(wgD_weak_default(a->weak), ctx->x64)
                                               : a->dtype,
                                  a->lay.ndim, a->lay.shape, s)
                        : NULL;
        wg_release(s);
        if (r) r->writeable = 0;
        return wgP_out(ctx, r);
    }
    if (!a->buf) {
        wg_value v;
        v.f = a->value_imag;
        return wgP_out(ctx, wgA_scalar(ctx, wgD_part_dtype(a->dtype), WG_WEAK_NONE, v, 0));
    }
    return wgP_out(ctx, part_view(ctx, a, 1, 0));
}

wg_array *wg_complex_pairs(wg_context *ctx, wg_array *a) {
    if (!wgD_is_complex(a->dtype)) {
        wgB_error(ctx, WG_ERR_TYPE, "wgpy: not a complex array");
        return NULL;
    }
    if (wgP_ensure_buffer(ctx, a) != WG_OK) return NULL;
    return wgP_out(ctx, pairs_view(ctx, a));
}

wg_array *wg_pairs_complex(wg_context *ctx, wg_array *f) {
    if (f->dtype != WG_FLOAT32 && f->dtype != WG_FLOAT64) {
        wgB_error(ctx, WG_ERR_TYPE, "wgpy: complex pairs must be float32 or float64");
        return NULL;
    }
    return wgP_out(ctx, from_pairs(ctx, f, f->dtype == WG_FLOAT32 ? WG_COMPLEX64 : WG_COMPLEX128,
                                   1));
}

wg_array *wg_conjugate(wg_context *ctx, wg_array *a, wg_array *out) {
    if (!wgD_is_complex(a->dtype)) {
        if (out) {
            if (wg_assign(ctx, out, a) != WG_OK) return NULL;
            wg_retain(out);
            return wgP_out(ctx, out);
        }
        return wg_astype(ctx, a, a->weak ? wgD_canonical(wgD_weak_default(a->weak), ctx->x64)
                                         : a->dtype, WG_CAST_UNSAFE, 1);
    }
    if (out && !wgD_is_complex(out->dtype)) {
        wgB_error(ctx, WG_ERR_TYPE,
                  "Cannot cast ufunc 'conjugate' output from dtype('%s') to dtype('%s') with "
                  "casting rule 'same_kind'", wgD_name(a->dtype), wgD_name(out->dtype));
        return NULL;
    }
    cb bb = {.ctx = ctx, .P = wgD_part_dtype(a->dtype)}, *b = &bb;
    cz x;
    parts(b, a, 1, &x.re, &x.im);
    wg_array *res = NULL;
    if (!b->fail) {
        wg_array *im = NEG(x.im);
        wg_array *target = out ? out : wgA_new_contiguous(ctx, a->dtype, a->lay.ndim, a->lay.shape);
        if (target && out) wg_retain(target);
        if (target && store_parts(b, target, F(POSITIVE, x.re), im) == WG_OK) res = target;
        else wg_release(target);
    }
    cb_free(b);
    return wgP_out(ctx, res);
}

/* ---- advanced indexing: the index applied to pairs(a), the pair axis kept by a full slice ---- */

static int64_t *items_plus_slice(wg_context *ctx, int nitems, const int64_t *items) {
    int64_t *it = wgB_malloc(ctx, sizeof(int64_t) * 4 * (size_t)(nitems + 1));
    if (!it) return NULL;
    if (nitems) memcpy(it, items, sizeof(int64_t) * 4 * (size_t)nitems);
    it[4 * nitems] = WG_IDX_SLICE;
    it[4 * nitems + 1] = WG_IDX_NONE;
    it[4 * nitems + 2] = WG_IDX_NONE;
    it[4 * nitems + 3] = 1;
    return it;
}

wg_array *wgP_cadv_get(wg_context *ctx, wg_array *a, int nitems, const int64_t *items,
                       int narrays, wg_array *const *arrays, int mode) {
    if (wgP_ensure_buffer(ctx, a) != WG_OK) return NULL;
    int64_t *it = items_plus_slice(ctx, nitems, items);
    wg_array *pv = it ? pairs_view(ctx, a) : NULL;
    wg_array *r = pv ? wg_adv_get(ctx, pv, nitems + 1, it, narrays, arrays, mode) : NULL;
    wg_array *c = r ? from_pairs(ctx, r, a->dtype, 0) : NULL;
    wgB_free(it);
    wg_release(pv);
    wg_release(r);
    return wgP_out(ctx, c);
}

int wgP_cadv_set(wg_context *ctx, wg_array *a, int nitems, const int64_t *items, int narrays,
                 wg_array *const *arrays, wg_array *value, int mode, int op) {
    if (!wgD_is_complex(a->dtype)) {
        /* complex values into a real array: their real part */
        wg_array *re = wg_real(ctx, value);
        int st = re ? wg_adv_set(ctx, a, nitems, items, narrays, arrays, re, mode, op)
                    : ctx->status;
        wg_release(re);
        return st;
    }
    if (op != -1 && op != WG_OP_ADD && op != WG_OP_SUBTRACT)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: ufunc.at of '%s' is not supported for "
                         "complex arrays", op >= 0 && op < WG_NOPS ? wg_op_name(op) : "?");
    int st = wgP_ensure_buffer(ctx, a);
    if (st != WG_OK) return st;
    /* the values as a's complex dtype, then their pairs (which broadcast like the values) */
    wg_array *v = wg_astype(ctx, value, a->dtype, WG_CAST_UNSAFE, 1);
    int64_t *it = v ? items_plus_slice(ctx, nitems, items) : NULL;
    wg_array *pv = it ? pairs_view(ctx, a) : NULL, *vv = pv ? pairs_view(ctx, v) : NULL;
    st = vv ? wg_adv_set(ctx, pv, nitems + 1, it, narrays, arrays, vv, mode, op)
            : (ctx->status ? ctx->status : WG_ERR_MEMORY);
    wgB_free(it);
    wg_release(pv);
    wg_release(vv);
    wg_release(v);
    return st;
}

wg_array *wgP_cjoin(wg_context *ctx, wg_array *re, wg_array *im, int cdt) {
    cb bb = {.ctx = ctx, .P = wgD_part_dtype(cdt)}, *b = &bb;
    int64_t ax = re->lay.ndim;
    wg_array *r1 = keep(b, wg_expand_dims(ctx, re, 1, &ax));
    wg_array *i1 = keep(b, wg_expand_dims(ctx, im, 1, &ax));
    wg_array *res = NULL;
    if (r1 && i1) {
        wg_array *t = wgA_new_contiguous(ctx, cdt, re->lay.ndim, re->lay.shape);
        if (t && store_parts(b, t, r1, i1) == WG_OK) res = t;
        else wg_release(t);
    }
    cb_free(b);
    return res;
}

/* ---- cumprod: Hillis-Steele doubling, log2(n) rounds of complex multiplies ---------------- */

static wg_array *last_slice(wg_context *ctx, wg_array *x, int64_t lo, int64_t hi) {
    int64_t it[8] = {WG_IDX_ELLIPSIS, 0, 0, 0, WG_IDX_SLICE, lo, hi, 1};
    return wg_index(ctx, x, 2, it);
}

wg_array *wgP_ccumprod(wg_context *ctx, wg_array *a, int64_t axis, int cdt) {
    int ax = wgL_normalize_axis(ctx, axis, a->lay.ndim);
    if (ax < 0) return NULL;
    int64_t src = ax, dst = a->lay.ndim - 1;
    wg_array *m = wg_moveaxis(ctx, a, 1, &src, &dst);
    wg_array *x = m ? wg_astype(ctx, m, cdt, WG_CAST_UNSAFE, 1) : NULL; /* a C-order copy */
    wg_release(m);
    int64_t n = x ? x->lay.shape[x->lay.ndim - 1] : 0;
    for (int64_t k = 1; x && k < n; k <<= 1) {
        /* y[..., i] = x[..., i] * x[..., i - k] for i >= k, x[..., i] below */
        wg_array *hi = last_slice(ctx, x, k, n), *lo = hi ? last_slice(ctx, x, 0, n - k) : NULL;
        wg_array *p = lo ? wg_binary(ctx, WG_OP_MULTIPLY, hi, lo, NULL, -1) : NULL;
        wg_array *y = p ? wg_copy(ctx, x, 'C') : NULL;
        wg_array *yt = y ? last_slice(ctx, y, k, n) : NULL;
        int st = yt ? wg_assign(ctx, yt, p) : WG_ERR_MEMORY;
        wg_array *t[5] = {hi, lo, p, yt, x};
        for (int j = 0; j < 5; j++) wg_release(t[j]);
        x = st == WG_OK ? y : NULL;
        if (!x) wg_release(y);
    }
    if (!x) return NULL;
    wg_array *r = wg_moveaxis(ctx, x, 1, &dst, &src);
    wg_release(x);
    return r;
}
