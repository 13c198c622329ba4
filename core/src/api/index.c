/* Public API: advanced (integer-array) indexing, get and set, take/put and ufunc.at.
 *
 * The index is parsed in the layout layer (wgL_adv_index): the basic part (slices, None,
 * Ellipsis) is a view `v` of the array; each advanced item (an integer array, or an int among
 * arrays) indexes one dimension of v.  The index arrays broadcast together to B; the result has
 * v's other dimensions with B at the place of the advanced items when they are adjacent, first
 * otherwise (NumPy's rule).
 *
 * Every operation works on E, the C-order flat position in v of each result point: a lazy int32
 * elementwise DAG (normalized index times v's C-contiguous stride, plus an arange per slice
 * dimension), materialized once.  Then one library kernel (api/libk.h):
 *   get:  y = v[E]                                (a gather; v raw, so a strided v is copied)
 *   set:  v[E] = value                            (cpu: a scatter in point order; webgpu: the
 *                                                  last point per target found first by atomicMax)
 *   at:   v[E] op= value                          (cpu, webgpu: atomics where the backend has them)
 *   webgl2 (a fragment writes only its own point) and at() without an atomic: a gather over v's
 *   points, each looking through E for the positions that name it, in order (exactly NumPy's
 *   sequential semantics), O(size(v) * size(E)), refused beyond WG_ADV_GATHER_LIMIT.
 *
 * Bounds (mode raise): a kernel cannot raise, and on the stream backends only the shell can read
 * (docs/architecture.md), so the shell checks first: wg_adv_bounds gives a lazy 2-element array
 * [k, value] (min and max reductions per index array, then 0-d selects: the first array with an
 * index out of bounds and that index, or [-1, 0]); the shell reads it (one read, counter
 * index_checks) and, when k >= 0, wg_adv_bounds_error sets NumPy's IndexError.  wg_adv_get and
 * wg_adv_set in mode raise trust that check (a negative index wraps once). */
#include "api.h"
#include "libk.h"

#include <stdio.h>
#include <string.h>

/* The gather formulation's cost limit: size(v) * size(E) steps. */
#define WG_ADV_GATHER_LIMIT ((int64_t)1 << 28)

static const wgP_libk gather_src = {
    .name = "wg_adv_gather",
    .in_params = "raw T x, J e, int32 n",
    .out_params = "T y",
    .operation = "y = x[e < 0 ? e + n : e];", /* a select, not a branch: no statements */
    .preamble = "",
    .loop_prep = "",
};

static const wgP_libk scatter_src = {
    .name = "wg_adv_scatter",
    .in_params = "T v, int32 e",
    .out_params = "raw T y",
    .operation = "y[e] = v;",
    .preamble = "",
    .loop_prep = "",
};

/* webgpu runs a scatter's points in no set order: a first pass keeps, for every target, the last
 * point naming it (atomicMax of the point's number), and only that point stores (NumPy's "the
 * last value wins", deterministically). */
static const wgP_libk last_src = {
    .name = "wg_adv_last",
    .in_params = "int32 e",
    .out_params = "raw int32 w",
    .operation = "atomicMax(&w[e], (int)i);",
    .preamble = "",
    .loop_prep = "",
};

static const wgP_libk scatter_last_src = {
    .name = "wg_adv_scatter_last",
    .in_params = "T v, int32 e, raw int32 w",
    .out_params = "raw T y",
    .operation = "if (w[e] == (int)i) y[e] = v;",
    .preamble = "",
    .loop_prep = "",
};

#define ATOMIC_SRC(NAME, BODY)                                                                    \
    static const wgP_libk NAME = {                                                                \
        .name = #NAME, .in_params = "T v, int32 e", .out_params = "raw T y", .operation = BODY,  \
        .preamble = "", .loop_prep = ""};
ATOMIC_SRC(wg_at_add, "atomicAdd(&y[e], v);")
ATOMIC_SRC(wg_at_sub, "atomicSub(&y[e], v);")
ATOMIC_SRC(wg_at_max, "atomicMax(&y[e], v);")
ATOMIC_SRC(wg_at_min, "atomicMin(&y[e], v);")

/* The gather formulation: each point of v finds, in order, the positions of E naming it. */
#define GATHER_SET_SRC(NAME, STEP)                                                                \
    static const wgP_libk NAME = {                                                                \
        .name = #NAME,                                                                            \
        .in_params = "raw int32 E, raw T V, int32 m, T old",                                      \
        .out_params = "T y",                                                                      \
        .operation = "T r = old; for (int j = 0; j < m; j++) { if (E[j] == i) { T b = V[j]; "    \
                     STEP " } } y = r;",                                                          \
        .preamble = "", .loop_prep = ""};
GATHER_SET_SRC(wg_gset_set, "r = b;")
GATHER_SET_SRC(wg_gset_add, "r = r + b;")
GATHER_SET_SRC(wg_gset_sub, "r = r - b;")
GATHER_SET_SRC(wg_gset_mul, "r = r * b;")
GATHER_SET_SRC(wg_gset_max, "r = (r != r || r >= b) ? r : b;")
GATHER_SET_SRC(wg_gset_min, "r = (r != r || r <= b) ? r : b;")
GATHER_SET_SRC(wg_gset_fmax, "r = (b != b || r >= b) ? r : b;")
GATHER_SET_SRC(wg_gset_fmin, "r = (b != b || r <= b) ? r : b;")
GATHER_SET_SRC(wg_gset_and, "r = r & b;")
GATHER_SET_SRC(wg_gset_or, "r = r | b;")
GATHER_SET_SRC(wg_gset_xor, "r = r ^ b;")
GATHER_SET_SRC(wg_gset_land, "r = r && b;")
GATHER_SET_SRC(wg_gset_lor, "r = r || b;")

static const wgP_libk *gather_set_of(int op) {
    switch (op) {
    case -1: return &wg_gset_set;
    case WG_OP_ADD: return &wg_gset_add;
    case WG_OP_SUBTRACT: return &wg_gset_sub;
    case WG_OP_MULTIPLY: return &wg_gset_mul;
    case WG_OP_MAXIMUM: return &wg_gset_max;
    case WG_OP_MINIMUM: return &wg_gset_min;
    case WG_OP_FMAX: return &wg_gset_fmax;
    case WG_OP_FMIN: return &wg_gset_fmin;
    case WG_OP_BITWISE_AND: return &wg_gset_and;
    case WG_OP_BITWISE_OR: return &wg_gset_or;
    case WG_OP_BITWISE_XOR: return &wg_gset_xor;
    case WG_OP_LOGICAL_AND: return &wg_gset_land;
    case WG_OP_LOGICAL_OR: return &wg_gset_lor;
    default: return NULL;
    }
}

/* ---- small helpers over the public ops (each consumes its array arguments) ---------------- */
static wg_array *consume2(wg_array *r, wg_array *a, wg_array *b) {
    wg_release(a);
    wg_release(b);
    return r;
}

static wg_array *scal(wg_context *ctx, int dtype, int64_t v) {
    return wg_scalar(ctx, dtype, WG_WEAK_NONE, v, 0, 0.0);
}

static wg_array *bin(wg_context *ctx, int op, wg_array *a, wg_array *b, int dtype) {
    if (!a || !b) return consume2(NULL, a, b);
    return consume2(wg_binary(ctx, op, a, b, NULL, dtype), a, b);
}

static wg_array *cast(wg_context *ctx, wg_array *a, int dtype) {
    if (!a || a->dtype == dtype) return a;
    wg_array *r = wg_astype(ctx, a, dtype, WG_CAST_UNSAFE, 1);
    wg_release(a);
    return r;
}

/* A view of `a` over `lay` (same buffer; `a` keeps it alive). */
static wg_array *view(wg_context *ctx, wg_array *a, const wg_layout *lay) {
    if (wgP_ensure_buffer(ctx, a) != WG_OK) return NULL;
    wg_array *v = wgA_new(ctx, a->dtype, lay, a->buf, a);
    if (v && !a->writeable) v->writeable = 0;
    return v;
}

/* The working dtype of an index array: wide enough to compare with any axis length, without
 * wrapping any of its values. */
static int work_dtype(int dt) {
    if (dt == WG_INT64 || dt == WG_UINT64 || dt == WG_UINT32) return dt;
    return WG_INT32;
}

/* ---- the parsed index ------------------------------------------------------------------------ */
typedef struct {
    wgL_adv p;
    wg_array *v;                    /* the basic part's view */
    int nb;                         /* B */
    int64_t bshape[WG_MAX_NDIM];
    int rnd, bpos;                  /* the result's ndim; where B starts in it */
    int64_t rshape[WG_MAX_NDIM];
    int vdim_of_r[WG_MAX_NDIM];     /* for each result dim outside B: v's dim */
    int64_t rsize, vsize;
} adv;

static void adv_free(adv *x) {
    wg_release(x->v);
    x->v = NULL;
}

static int adv_parse(wg_context *ctx, wg_array *a, int nitems, const int64_t *items, int narrays,
                     wg_array *const *arrays, adv *x) {
    memset(x, 0, sizeof *x);
    if (wgP_ensure_buffer(ctx, a) != WG_OK) return ctx->status;
    int st = wgL_adv_index(ctx, &a->lay, nitems, items, &x->p);
    if (st != WG_OK) return st;
    const wg_layout *ls[WG_MAX_NDIM];
    int nl = 0;
    for (int j = 0; j < x->p.nadv; j++) {
        int k = x->p.src[j];
        if (k < 0) continue;
        if (k >= narrays || !arrays[k])
            return wgB_error(ctx, WG_ERR_VALUE, "wgpy: index item names array %d of %d", k,
                             narrays);
        int dt = arrays[k]->dtype;
        if (dt == WG_BOOL)
            return wgB_error(ctx, WG_ERR_NOTIMPL, "boolean arrays mixed with other advanced "
                             "indices are not supported yet (wgpy: a[mask] alone is)");
        if (!wgD_is_signed(dt) && !wgD_is_unsigned(dt))
            return wgB_error(ctx, WG_ERR_INDEX, "arrays used as indices must be of integer (or "
                             "boolean) type");
        ls[nl++] = &arrays[k]->lay;
    }
    if (nl == 0) {
        x->nb = 0;
    } else if (wgL_broadcast_shapes(ctx, nl, ls, &x->nb, x->bshape) != WG_OK) {
        /* NumPy's message for index arrays */
        char msg[512];
        size_t off = (size_t)snprintf(msg, sizeof msg, "shape mismatch: indexing arrays could "
                                      "not be broadcast together with shapes");
        for (int i = 0; i < nl && off < sizeof msg; i++) {
            char sb[160];
            off += (size_t)snprintf(msg + off, sizeof msg - off, " %s",
                                    wgP_shape_str(sb, sizeof sb, ls[i]->ndim, ls[i]->shape));
        }
        wg_clear_error(ctx);
        return wgB_error(ctx, WG_ERR_INDEX, "%s", msg);
    }
    const wg_layout *vl = &x->p.view;
    int rest = vl->ndim - x->p.nadv;
    if (rest + x->nb > WG_MAX_NDIM)
        return wgB_error(ctx, WG_ERR_INDEX, "number of dimensions must be within [0, %d], "
                         "indexing result would have %d", WG_MAX_NDIM, rest + x->nb);
    x->bpos = x->p.adjacent ? x->p.vdim[0] : 0;
    x->rnd = 0;
    int is_adv[WG_MAX_NDIM] = {0};
    for (int j = 0; j < x->p.nadv; j++) is_adv[x->p.vdim[j]] = 1;
    for (int d = 0; d <= vl->ndim; d++) {
        if (d == x->bpos) {
            for (int b = 0; b < x->nb; b++) {
                x->vdim_of_r[x->rnd] = -1;
                x->rshape[x->rnd++] = x->bshape[b];
            }
        }
        if (d < vl->ndim && !is_adv[d]) {
            x->vdim_of_r[x->rnd] = d;
            x->rshape[x->rnd++] = vl->shape[d];
        }
    }
    x->rsize = 1;
    for (int d = 0; d < x->rnd; d++) x->rsize *= x->rshape[d];
    x->vsize = wgL_size(vl);
    if (x->vsize > INT32_MAX)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: advanced indexing of more than 2**31-1 "
                         "elements");
    x->v = view(ctx, a, vl);
    return x->v ? WG_OK : ctx->status;
}

/* arrays[k] broadcast to B, as a view over the result's dims (stride 0 outside B). */
static wg_array *idx_view(wg_context *ctx, const adv *x, wg_array *idx) {
    wg_layout lb, lr;
    if (wgL_broadcast_to(ctx, &idx->lay, x->nb, x->bshape, &lb) != WG_OK) return NULL;
    lr.ndim = x->rnd;
    lr.offset = lb.offset;
    for (int d = 0; d < x->rnd; d++) {
        lr.shape[d] = x->rshape[d];
        lr.strides[d] = 0;
    }
    for (int b = 0; b < x->nb; b++) lr.strides[x->bpos + b] = lb.strides[b];
    return view(ctx, idx, &lr);
}

/* Index array j, in its working dtype, normalized into [0, n) by mode (raise: already checked). */
static wg_array *normalized(wg_context *ctx, wg_array *idx, int64_t n, int mode) {
    int w = work_dtype(idx->dtype);
    wg_array *j = wg_astype(ctx, idx, w, WG_CAST_UNSAFE, 0);
    if (!j) return NULL;
    if (mode == WG_MODE_WRAP) return bin(ctx, WG_OP_REMAINDER, j, scal(ctx, w, n), w);
    if (mode == WG_MODE_CLIP) {
        wg_array *lo = scal(ctx, w, 0), *hi = scal(ctx, w, n - 1);
        wg_array *r = lo && hi ? wg_clip(ctx, j, lo, hi, NULL) : NULL;
        wg_release(lo);
        wg_release(hi);
        wg_release(j);
        return r;
    }
    if (wgD_is_unsigned(w)) return j;
    wg_array *neg = bin(ctx, WG_OP_LESS, (wg_retain(j), j), scal(ctx, w, 0), -1);
    wg_array *up = bin(ctx, WG_OP_ADD, (wg_retain(j), j), scal(ctx, w, n), w);
    wg_array *r = neg && up ? wg_where(ctx, neg, up, j, NULL) : NULL;
    wg_release(neg);
    wg_release(up);
    wg_release(j);
    return r;
}

/* The bounds summary: [k, value], k the first index array (in item order) holding an index out
 * of bounds and value its offending extreme, or [-1, 0]: per array one fused min and one max
 * reduction, then 0-d elementwise selects; all lazy, so the shell reads it in one read. */
/* Index array j is known to lie within its axis (an earlier check of the same buffer version
 * passed; see wg_array.checked). */
static int known_in_bounds(const adv *x, wg_array *const *arrays, int j) {
    const wg_array *ix = arrays[x->p.src[j]];
    int64_t n = x->p.view.shape[x->p.vdim[j]];
    return ix->buf && ix->checked && ix->checked_version == ix->buf->version &&
           ix->checked_lo >= -n && ix->checked_hi <= n - 1;
}

static wg_array *bounds_summary(wg_context *ctx, const adv *x, wg_array *const *arrays) {
    int rdt = wg_canonical_dtype(ctx, WG_INT64);
    wg_array *kk = scal(ctx, rdt, -1), *val = scal(ctx, rdt, 0);
    for (int j = x->p.nadv - 1; j >= 0 && kk && val; j--) {
        int k = x->p.src[j];
        if (k < 0 || wgL_size(&arrays[k]->lay) == 0 || known_in_bounds(x, arrays, j)) continue;
        int w = work_dtype(arrays[k]->dtype);
        int64_t n = x->p.view.shape[x->p.vdim[j]];
        wg_array *jj = wg_astype(ctx, arrays[k], w, WG_CAST_UNSAFE, 0);
        wg_array *mn = jj ? wg_reduce(ctx, WG_REDUCE_MIN, jj, -1, NULL, 0, -1, 0, NULL) : NULL;
        wg_array *mx = jj ? wg_reduce(ctx, WG_REDUCE_MAX, jj, -1, NULL, 0, -1, 0, NULL) : NULL;
        wg_release(jj);
        wg_array *hi = bin(ctx, WG_OP_GREATER_EQUAL, mx ? (wg_retain(mx), mx) : NULL,
                           scal(ctx, w, n), -1);
        wg_array *bad = hi ? (wg_retain(hi), hi) : NULL;
        if (!wgD_is_unsigned(w))
            bad = bin(ctx, WG_OP_LOGICAL_OR, bad,
                      bin(ctx, WG_OP_LESS, mn ? (wg_retain(mn), mn) : NULL, scal(ctx, w, -n), -1),
                      -1);
        wg_array *v = hi && mn && mx ? wg_where(ctx, hi, mx, mn, NULL) : NULL;
        wg_release(hi);
        wg_release(mn);
        wg_release(mx);
        v = cast(ctx, v, rdt);
        wg_array *kv = scal(ctx, rdt, k);
        wg_array *nk = bad && kv ? wg_where(ctx, bad, kv, kk, NULL) : NULL;
        wg_array *nv = bad && v ? wg_where(ctx, bad, v, val, NULL) : NULL;
        wg_release(kv);
        wg_release(v);
        wg_release(bad);
        wg_release(kk);
        wg_release(val);
        kk = cast(ctx, nk, rdt);
        val = cast(ctx, nv, rdt);
    }
    int64_t two = 2, one = 1;
    wg_array *out = kk && val ? wg_empty(ctx, rdt, 1, &two) : NULL;
    if (out) {
        for (int i = 0; i < 2; i++) {
            int64_t it[4] = {WG_IDX_SLICE, i, i + 1, 1};
            wg_array *e = wg_index(ctx, out, 1, it);
            wg_array *src = e ? wg_broadcast_to(ctx, i ? val : kk, 1, &one) : NULL;
            int st = e && src ? wg_assign(ctx, e, src) : WG_ERR_MEMORY;
            wg_release(src);
            wg_release(e);
            if (st != WG_OK) {
                wg_release(out);
                out = NULL;
                break;
            }
        }
    }
    wg_release(kk);
    wg_release(val);
    return out;
}

/* E: each result point's C-order position in v (int32, the result's shape; lazy). */
static wg_array *flat_positions(wg_context *ctx, const adv *x, wg_array *const *arrays,
                                int mode) {
    const wg_layout *vl = &x->p.view;
    int64_t cs[WG_MAX_NDIM], s = 1;
    for (int d = vl->ndim - 1; d >= 0; d--) {
        cs[d] = s;
        s *= vl->shape[d];
    }
    wg_array *e = NULL;
    int64_t konst = 0;
    for (int j = 0; j < x->p.nadv; j++) {
        int k = x->p.src[j];
        int64_t c = cs[x->p.vdim[j]];
        if (k < 0) {
            konst += x->p.ival[j] * c;
            continue;
        }
        wg_array *iv = idx_view(ctx, x, arrays[k]);
        if (!iv) return consume2(NULL, e, NULL);
        wg_array *t = normalized(ctx, iv, vl->shape[x->p.vdim[j]], mode);
        wg_release(iv);
        t = cast(ctx, t, WG_INT32);
        if (c != 1) t = bin(ctx, WG_OP_MULTIPLY, t, scal(ctx, WG_INT32, c), WG_INT32);
        e = e ? bin(ctx, WG_OP_ADD, e, t, WG_INT32) : t;
        if (!e) return NULL;
    }
    for (int d = 0; d < x->rnd; d++) {
        int vd = x->vdim_of_r[d];
        if (vd < 0) continue;
        wg_array *ar = wg_arange(ctx, WG_INT32, 0, (double)cs[vd], x->rshape[d]);
        if (!ar) return consume2(NULL, e, NULL);
        wg_layout lr;
        lr.ndim = x->rnd;
        lr.offset = ar->lay.offset;
        for (int i = 0; i < x->rnd; i++) {
            lr.shape[i] = x->rshape[i];
            lr.strides[i] = i == d ? (ar->lay.ndim ? ar->lay.strides[0] : 0) : 0;
        }
        wg_array *t = view(ctx, ar, &lr);
        wg_release(ar);
        e = e ? bin(ctx, WG_OP_ADD, e, t, WG_INT32) : t;
        if (!e) return NULL;
    }
    if (!e) { /* ints only (cannot happen through wg_adv_*: some item is an array) */
        wg_array *z = scal(ctx, WG_INT32, konst);
        e = z ? wg_full(ctx, WG_INT32, x->rnd, x->rshape, z) : NULL;
        wg_release(z);
    } else if (konst) {
        e = bin(ctx, WG_OP_ADD, e, scal(ctx, WG_INT32, konst), WG_INT32);
    }
    return e;
}

/* wrap and clip: an empty axis cannot take a non-empty index (mode raise: wg_adv_bounds). */
static int prepare(wg_context *ctx, const adv *x, wg_array *const *arrays, int mode) {
    if (mode < WG_MODE_RAISE || mode > WG_MODE_CLIP)
        return wgB_error(ctx, WG_ERR_VALUE, "clipmode must be one of 'clip', 'raise', or 'wrap'");
    if (mode != WG_MODE_RAISE) {
        for (int j = 0; j < x->p.nadv; j++)
            if (x->p.src[j] >= 0 && x->p.view.shape[x->p.vdim[j]] == 0 &&
                wgL_size(&arrays[x->p.src[j]]->lay) > 0)
                return wgB_error(ctx, WG_ERR_INDEX, "cannot do a non-empty take from an empty "
                                 "axes.");
    }
    return WG_OK;
}

wg_array *wg_adv_bounds(wg_context *ctx, wg_array *a, int nitems, const int64_t *items,
                        int narrays, wg_array *const *arrays) {
    adv x;
    wg_array *r = NULL;
    if (adv_parse(ctx, a, nitems, items, narrays, arrays, &x) == WG_OK) {
        r = bounds_summary(ctx, &x, arrays);
        ctx->counters[WG_COUNTER_INDEX_CHECKS]++;
    }
    adv_free(&x);
    return wgP_out(ctx, r);
}

int wg_adv_bounds_known(wg_context *ctx, wg_array *a, int nitems, const int64_t *items,
                        int narrays, wg_array *const *arrays) {
    adv x;
    int known = adv_parse(ctx, a, nitems, items, narrays, arrays, &x) == WG_OK;
    for (int j = 0; known && j < x.p.nadv; j++) {
        int k = x.p.src[j];
        known = k < 0 || wgL_size(&arrays[k]->lay) == 0 || known_in_bounds(&x, arrays, j);
    }
    adv_free(&x);
    wg_clear_error(ctx); /* a bad key: wg_adv_bounds reports it */
    return known;
}

/* The summary read in bounds: each index array lies within every axis it indexes (the
 * intersection, when one array indexes several), recorded for its buffer's current version. */
static void record_checked(const adv *x, wg_array *const *arrays) {
    for (int j = 0; j < x->p.nadv; j++) {
        int k = x->p.src[j];
        if (k < 0 || !arrays[k]->buf) continue;
        wg_array *ix = arrays[k];
        int64_t n = x->p.view.shape[x->p.vdim[j]];
        int64_t lo = wgD_is_unsigned(ix->dtype) ? 0 : -n, hi = n - 1;
        if (ix->checked && ix->checked_version == ix->buf->version) {
            if (ix->checked_lo > lo) lo = ix->checked_lo;
            if (ix->checked_hi < hi) hi = ix->checked_hi;
        }
        ix->checked = 1;
        ix->checked_version = ix->buf->version;
        ix->checked_lo = lo;
        ix->checked_hi = hi;
    }
}

int wg_adv_bounds_error(wg_context *ctx, wg_array *a, int nitems, const int64_t *items,
                        int narrays, wg_array *const *arrays, int64_t k, int64_t value) {
    adv x;
    int st = adv_parse(ctx, a, nitems, items, narrays, arrays, &x);
    if (st == WG_OK && k < 0) record_checked(&x, arrays);
    adv_free(&x);
    if (st != WG_OK || k < 0) return st;
    for (int j = 0; j < x.p.nadv; j++)
        if (x.p.src[j] == k)
            return wgB_error(ctx, WG_ERR_INDEX, "index %lld is out of bounds for axis %d with "
                             "size %lld", (long long)value, x.p.axis[j],
                             (long long)x.p.view.shape[x.p.vdim[j]]);
    return wgB_error(ctx, WG_ERR_VALUE, "wgpy: no index array %lld", (long long)k);
}

wg_array *wg_adv_get(wg_context *ctx, wg_array *a, int nitems, const int64_t *items, int narrays,
                     wg_array *const *arrays, int mode) {
    if (wgD_is_complex(a->dtype)) return wgP_cadv_get(ctx, a, nitems, items, narrays, arrays, mode);
    adv x;
    if (adv_parse(ctx, a, nitems, items, narrays, arrays, &x) != WG_OK) {
        adv_free(&x);
        return NULL;
    }
    wg_array *out = NULL;
    if (x.rsize == 0) {
        if (prepare(ctx, &x, arrays, mode) == WG_OK)
            out = wg_empty(ctx, a->dtype, x.rnd, x.rshape);
        adv_free(&x);
        return wgP_out(ctx, out);
    }
    if (prepare(ctx, &x, arrays, mode) != WG_OK) {
        adv_free(&x);
        return NULL;
    }
    wg_array *e, *n;
    if (x.p.view.ndim == 1 && x.p.nadv == 1 && x.p.src[0] >= 0 && mode == WG_MODE_RAISE) {
        /* one index array into a 1-d view: the kernel normalizes it itself */
        e = idx_view(ctx, &x, arrays[x.p.src[0]]);
        n = wgP_i32(ctx, (int32_t)x.p.view.shape[0]);
    } else {
        e = flat_positions(ctx, &x, arrays, mode);
        n = wgP_i32(ctx, 0);
    }
    out = wg_empty(ctx, a->dtype, x.rnd, x.rshape);
    if (e && n && out) {
        wg_array *args[4] = {x.v, e, n, out};
        if (wgP_libk_launch(ctx, &gather_src, 4, args, -1, NULL) != WG_OK) {
            wg_release(out);
            out = NULL;
        }
    } else {
        wg_release(out);
        out = NULL;
    }
    wg_release(e);
    wg_release(n);
    adv_free(&x);
    return wgP_out(ctx, out);
}

static const wgP_libk *atomic_of(wg_context *ctx, int op, int dtype) {
    int be = wg_backend_id(ctx);
    if (be == WG_BACKEND_WEBGL2) return NULL;
    if (be == WG_BACKEND_WEBGPU && dtype != WG_INT32 && dtype != WG_UINT32 && dtype != WG_FLOAT32)
        return NULL;
    if (dtype == WG_BOOL) return NULL;
    switch (op) {
    case WG_OP_ADD: return &wg_at_add;
    case WG_OP_SUBTRACT: return &wg_at_sub;
    case WG_OP_MAXIMUM: return wgD_is_float(dtype) ? NULL : &wg_at_max; /* NaN: the gather */
    case WG_OP_MINIMUM: return wgD_is_float(dtype) ? NULL : &wg_at_min;
    default: return NULL;
    }
}

int wg_adv_set(wg_context *ctx, wg_array *a, int nitems, const int64_t *items, int narrays,
               wg_array *const *arrays, wg_array *value, int mode, int op) {
    if (!a->writeable) return wgB_error(ctx, WG_ERR_VALUE, "assignment destination is read-only");
    if (wgD_is_complex(a->dtype) || wgD_is_complex(value->dtype))
        return wgP_cadv_set(ctx, a, nitems, items, narrays, arrays, value, mode, op);
    const wgP_libk *gsrc = gather_set_of(op);
    if (!gsrc)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "wgpy: ufunc.at is not supported for '%s'",
                         op >= 0 && op < WG_NOPS ? wg_op_name(op) : "?");
    adv x;
    if (adv_parse(ctx, a, nitems, items, narrays, arrays, &x) != WG_OK) {
        adv_free(&x);
        return ctx->status;
    }
    int st = WG_OK;
    /* the value, cast to a's dtype and broadcast to the indexing result */
    wg_layout lv;
    if (wgL_broadcast_to(ctx, &value->lay, x.rnd, x.rshape, &lv) != WG_OK) {
        char s1[160], s2[160];
        wg_clear_error(ctx);
        st = wgB_error(ctx, WG_ERR_VALUE, "shape mismatch: value array of shape %s could not be "
                       "broadcast to indexing result of shape %s",
                       wgP_shape_str(s1, sizeof s1, value->lay.ndim, value->lay.shape),
                       wgP_shape_str(s2, sizeof s2, x.rnd, x.rshape));
        adv_free(&x);
        return st;
    }
    st = prepare(ctx, &x, arrays, mode);
    if (st != WG_OK || x.rsize == 0) {
        adv_free(&x);
        return st;
    }
    /* a Python scalar becomes a 0-d array of a's dtype (its own dtype may not exist on the
     * device: a weak int is int64) */
    wg_array *vc = value->buf ? wg_astype(ctx, value, a->dtype, WG_CAST_UNSAFE, 0)
                              : wg_full(ctx, a->dtype, 0, NULL, value);
    wg_array *vb = vc ? wg_broadcast_to(ctx, vc, x.rnd, x.rshape) : NULL;
    wg_release(vc);
    wg_array *e = vb ? flat_positions(ctx, &x, arrays, mode) : NULL;
    if (!e) {
        wg_release(vb);
        adv_free(&x);
        return ctx->status ? ctx->status : WG_ERR_MEMORY;
    }
    const wgP_libk *ssrc = op < 0 ? (wg_backend_id(ctx) == WG_BACKEND_WEBGL2 ? NULL : &scatter_src)
                                  : atomic_of(ctx, op, a->dtype);
    if (ssrc == &scatter_src && wg_backend_id(ctx) == WG_BACKEND_WEBGPU) {
        int64_t nv = x.vsize;
        wg_array *m1 = scal(ctx, WG_INT32, -1);
        wg_array *w = m1 ? wg_full(ctx, WG_INT32, 1, &nv, m1) : NULL;
        wg_release(m1);
        wg_array *a1[2] = {e, w}, *a2[4] = {vb, e, w, x.v};
        st = w ? wgP_libk_launch(ctx, &last_src, 2, a1, -1, NULL) : WG_ERR_MEMORY;
        if (st == WG_OK) st = wgP_libk_launch(ctx, &scatter_last_src, 4, a2, -1, NULL);
        wg_release(w);
    } else if (ssrc) {
        wg_array *args[3] = {vb, e, x.v};
        st = wgP_libk_launch(ctx, ssrc, 3, args, -1, NULL);
    } else if (x.vsize > 0 && x.rsize > WG_ADV_GATHER_LIMIT / x.vsize) {
        st = wgB_error(ctx, WG_ERR_NOTIMPL, "%s on the %s backend: %lld index positions into %lld "
                       "elements exceed the gather formulation's limit of 2**28 steps (a fragment "
                       "writes only its own point, so each element searches the index)",
                       op < 0 ? "advanced-index assignment" : "ufunc.at", wg_backend_name(ctx),
                       (long long)x.rsize, (long long)x.vsize);
    } else {
        wg_array *m = wgP_i32(ctx, (int32_t)x.rsize);
        wg_array *tmp = wg_empty(ctx, a->dtype, x.p.view.ndim, x.p.view.shape);
        if (m && tmp) {
            wg_array *args[5] = {e, vb, m, x.v, tmp};
            st = wgP_libk_launch(ctx, gsrc, 5, args, -1, NULL);
            if (st == WG_OK) st = wg_assign(ctx, x.v, tmp);
        } else {
            st = ctx->status ? ctx->status : WG_ERR_MEMORY;
        }
        wg_release(m);
        wg_release(tmp);
    }
    wg_release(e);
    wg_release(vb);
    adv_free(&x);
    return st;
}
