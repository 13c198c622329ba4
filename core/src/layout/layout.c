/* layout: shapes, element strides and offsets; NumPy's view semantics and error messages.
 * Where a rule is subtle the NumPy function it follows is named (numpy/_core/src/multiarray). */
#include "layout.h"

#include <stdio.h>
#include <string.h>

/* Products of strides and sizes wrap instead of overflowing (NumPy's npy_intp arithmetic does the
 * same; a wrapped stride only ever appears on an axis of length <= 1, where it is never used). */
static int64_t mulw(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }
static int64_t addw(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }

/* NumPy's convert_shape_to_string: "(2,3)", "(4,)", "()"; negative entries print as "newaxis",
 * leading ones are dropped (so "(-1,0)" prints "(0)", as NumPy does). */
static void shape_str(char *buf, size_t cap, int n, const int64_t *v, const char *ending) {
    char body[WG_MAX_NDIM * 24 + 8];
    size_t len = 0;
    int i = 0;
    while (i < n && v[i] < 0) i++;
    if (i == n) {
        snprintf(buf, cap, "()%s", ending);
        return;
    }
    len += (size_t)snprintf(body + len, sizeof body - len, "%lld", (long long)v[i++]);
    for (; i < n && len < sizeof body; i++) {
        if (v[i] < 0)
            len += (size_t)snprintf(body + len, sizeof body - len, ",newaxis");
        else
            len += (size_t)snprintf(body + len, sizeof body - len, ",%lld", (long long)v[i]);
    }
    snprintf(buf, cap, i == 1 ? "(%s,)%s" : "(%s)%s", body, ending);
}

/* ---- basic properties -------------------------------------------------------------------- */

/* NumPy's _array_fill_strides: a zero-length axis counts as length 1 for the strides. */
void wgL_contiguous(wg_layout *l, int ndim, const int64_t *shape, int order) {
    int64_t s = 1;
    l->ndim = ndim;
    l->offset = 0;
    for (int k = 0; k < ndim; k++) {
        int d = order == 'F' ? k : ndim - 1 - k;
        l->shape[d] = shape[d];
        l->strides[d] = s;
        if (shape[d]) s = mulw(s, shape[d]);
    }
}

int64_t wgL_size(const wg_layout *l) {
    int64_t n = 1;
    for (int d = 0; d < l->ndim; d++) n = mulw(n, l->shape[d]);
    return n;
}

static int has_zero(const wg_layout *l) {
    for (int d = 0; d < l->ndim; d++)
        if (l->shape[d] == 0) return 1;
    return 0;
}

/* NumPy's flags (relaxed strides): axes of length 1 do not matter; an empty array is both. */
int wgL_is_c_contiguous(const wg_layout *l) {
    int64_t expect = 1;
    if (has_zero(l)) return 1;
    for (int d = l->ndim - 1; d >= 0; d--) {
        if (l->shape[d] == 1) continue;
        if (l->strides[d] != expect) return 0;
        expect *= l->shape[d];
    }
    return 1;
}

int wgL_is_f_contiguous(const wg_layout *l) {
    int64_t expect = 1;
    if (has_zero(l)) return 1;
    for (int d = 0; d < l->ndim; d++) {
        if (l->shape[d] == 1) continue;
        if (l->strides[d] != expect) return 0;
        expect *= l->shape[d];
    }
    return 1;
}

int wgL_same(const wg_layout *a, const wg_layout *b) {
    if (a->ndim != b->ndim) return 0;
    for (int d = 0; d < a->ndim; d++)
        if (a->shape[d] != b->shape[d]) return 0;
    if (has_zero(a)) return 1;
    if (a->offset != b->offset) return 0;
    for (int d = 0; d < a->ndim; d++)
        if (a->shape[d] > 1 && a->strides[d] != b->strides[d]) return 0;
    return 1;
}

int wgL_has_broadcast(const wg_layout *l) {
    for (int d = 0; d < l->ndim; d++)
        if (l->shape[d] > 1 && l->strides[d] == 0) return 1;
    return 0;
}

void wgL_extent(const wg_layout *l, int64_t *lo, int64_t *hi) {
    int64_t a = l->offset, b = l->offset;
    if (has_zero(l)) {
        *lo = l->offset;
        *hi = l->offset - 1;
        return;
    }
    for (int d = 0; d < l->ndim; d++) {
        int64_t span = mulw(l->strides[d], l->shape[d] - 1);
        if (span < 0) a += span; else b += span;
    }
    *lo = a;
    *hi = b;
}

/* ---- axes -------------------------------------------------------------------------------- */

/* NumPy's check_and_adjust_axis_msg: "axis1: axis 2 is out of bounds for array of dimension 2". */
static int normalize_axis_msg(wg_context *ctx, int64_t axis, int ndim, const char *prefix) {
    if (axis < -(int64_t)ndim || axis >= ndim) {
        if (prefix)
            return wgB_error(ctx, WG_ERR_AXIS, "%s: axis %lld is out of bounds for array of dimension %d",
                             prefix, (long long)axis, ndim);
        return wgB_error(ctx, WG_ERR_AXIS, "axis %lld is out of bounds for array of dimension %d",
                         (long long)axis, ndim);
    }
    return (int)(axis < 0 ? axis + ndim : axis);
}

int wgL_normalize_axis(wg_context *ctx, int64_t axis, int ndim) {
    return normalize_axis_msg(ctx, axis, ndim, NULL);
}

int wgL_axes_mask(wg_context *ctx, int naxes, const int64_t *axes, int ndim, int64_t *mask) {
    *mask = 0;
    if (naxes < 0) {
        *mask = ndim ? (int64_t)((1ULL << ndim) - 1) : 0;
        return WG_OK;
    }
    for (int i = 0; i < naxes; i++) {
        int ax = wgL_normalize_axis(ctx, axes[i], ndim);
        if (ax < 0) return ax;
        if ((*mask >> ax) & 1) return wgB_error(ctx, WG_ERR_VALUE, "duplicate value in 'axis'");
        *mask |= (int64_t)1 << ax;
    }
    return WG_OK;
}

/* NumPy's normalize_axis_tuple: every axis first, then duplicates.  `argname` may be NULL. */
static int normalize_axis_tuple(wg_context *ctx, int n, const int64_t *axes, int ndim,
                                const char *argname, int *out) {
    for (int i = 0; i < n; i++) {
        int a = normalize_axis_msg(ctx, axes[i], ndim, argname);
        if (a < 0) return a;
        out[i] = a;
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++)
            if (out[i] == out[j]) {
                if (argname)
                    return wgB_error(ctx, WG_ERR_VALUE, "repeated axis in `%s` argument", argname);
                return wgB_error(ctx, WG_ERR_VALUE, "repeated axis");
            }
    return WG_OK;
}

static int too_many_dims(wg_context *ctx, int ndim) {
    return wgB_error(ctx, WG_ERR_VALUE,
                     "maximum supported dimension for an ndarray is currently %d, found %d",
                     WG_MAX_NDIM, ndim);
}

/* ---- broadcasting ------------------------------------------------------------------------ */

int wgL_broadcast_shapes(wg_context *ctx, int n, const wg_layout *const *ls, int *ndim,
                         int64_t *shape) {
    int nd = 0;
    for (int i = 0; i < n; i++)
        if (ls[i]->ndim > nd) nd = ls[i]->ndim;
    for (int k = 0; k < nd; k++) { /* k counts from the last axis */
        int64_t s = 1;
        for (int i = 0; i < n; i++) {
            int d = ls[i]->ndim - 1 - k;
            int64_t v = d >= 0 ? ls[i]->shape[d] : 1;
            if (v == 1) continue;
            if (s == 1) {
                s = v;
            } else if (s != v) {
                /* nditer's message: every operand's shape, each followed by a space */
                char msg[512], one[WG_MAX_NDIM * 24 + 8];
                size_t len = 0;
                for (int j = 0; j < n && len < sizeof msg; j++) {
                    shape_str(one, sizeof one, ls[j]->ndim, ls[j]->shape, " ");
                    len += (size_t)snprintf(msg + len, sizeof msg - len, "%s", one);
                }
                return wgB_error(ctx, WG_ERR_VALUE,
                                 "operands could not be broadcast together with shapes %s", msg);
            }
        }
        shape[nd - 1 - k] = s;
    }
    *ndim = nd;
    return WG_OK;
}

/* np.broadcast_to: stride 0 on new axes and on axes of length 1 (as nditer gives). */
int wgL_broadcast_to(wg_context *ctx, const wg_layout *in, int ndim, const int64_t *shape,
                     wg_layout *out) {
    wg_layout r;
    if (ndim == 0 && in->ndim > 0)
        return wgB_error(ctx, WG_ERR_VALUE, "cannot broadcast a non-scalar to a scalar array");
    for (int d = 0; d < ndim; d++)
        if (shape[d] < 0)
            return wgB_error(ctx, WG_ERR_VALUE, "all elements of broadcast shape must be non-negative");
    if (ndim > WG_MAX_NDIM) return too_many_dims(ctx, ndim);
    if (in->ndim > ndim)
        return wgB_error(ctx, WG_ERR_VALUE,
                         "input operand has more dimensions than allowed by the axis remapping");
    r.ndim = ndim;
    r.offset = in->offset;
    for (int d = 0; d < ndim; d++) {
        int k = d - (ndim - in->ndim);
        r.shape[d] = shape[d];
        if (k < 0 || in->shape[k] == 1) {
            r.strides[d] = 0;
        } else if (in->shape[k] == shape[d]) {
            r.strides[d] = in->strides[k];
        } else {
            char a[WG_MAX_NDIM * 24 + 8], b[WG_MAX_NDIM * 24 + 8];
            shape_str(a, sizeof a, in->ndim, in->shape, " ");
            shape_str(b, sizeof b, ndim, shape, "");
            return wgB_error(ctx, WG_ERR_VALUE,
                             "operands could not be broadcast together with remapped shapes "
                             "[original->remapped]: %s and requested shape %s", a, b);
        }
    }
    *out = r;
    return WG_OK;
}

/* ---- basic indexing (NumPy's prepare_index + get_view_from_index) ------------------------ */

/* Python's PySlice_AdjustIndices after PySlice_Unpack.  Returns the length. */
static int64_t slice_adjust(int64_t len, int64_t *start, int64_t *stop, int64_t step) {
    int64_t a = *start, b = *stop;
    if (a == WG_IDX_NONE) {
        a = step < 0 ? len - 1 : 0;
    } else if (a < 0) {
        a += len;
        if (a < 0) a = step < 0 ? -1 : 0;
    } else if (a >= len) {
        a = step < 0 ? len - 1 : len;
    }
    if (b == WG_IDX_NONE) {
        b = step < 0 ? -1 : len;
    } else if (b < 0) {
        b += len;
        if (b < 0) b = step < 0 ? -1 : 0;
    } else if (b >= len) {
        b = step < 0 ? len - 1 : len;
    }
    *start = a;
    *stop = b;
    if (step < 0) return b < a ? (a - b - 1) / (-step) + 1 : 0;
    return a < b ? (b - a - 1) / step + 1 : 0;
}

int wgL_index(wg_context *ctx, const wg_layout *in, int nitems, const int64_t *items,
              wg_layout *out) {
    wg_layout r;
    int used = 0, new_nd = 0, ellipsis = -1, ell_n, axis = 0, has_newaxis = 0;
    /* pass 1: classify, as prepare_index does, before any bounds check */
    for (int k = 0; k < nitems; k++) {
        switch (items[4 * k]) {
        case WG_IDX_ELLIPSIS:
            if (ellipsis >= 0)
                return wgB_error(ctx, WG_ERR_INDEX, "an index can only have a single ellipsis ('...')");
            ellipsis = k;
            break;
        case WG_IDX_NEWAXIS: new_nd++; has_newaxis = 1; break;
        case WG_IDX_SLICE: used++; new_nd++; break;
        case WG_IDX_INT: used++; break;
        default:
            return wgB_error(ctx, WG_ERR_INDEX,
                             "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) "
                             "and integer or boolean arrays are valid indices");
        }
    }
    if (used > in->ndim)
        return wgB_error(ctx, WG_ERR_INDEX,
                         "too many indices for array: array is %d-dimensional, but %d were indexed",
                         in->ndim, used);
    ell_n = in->ndim - used; /* an implicit trailing ellipsis when there is none */
    new_nd += ell_n;
    if (has_newaxis && new_nd > WG_MAX_NDIM)
        return wgB_error(ctx, WG_ERR_INDEX,
                         "number of dimensions must be within [0, %d], indexing result would have %d",
                         WG_MAX_NDIM, new_nd);
    /* pass 2: build the view */
    r.ndim = 0;
    r.offset = in->offset;
    for (int k = 0; k <= nitems; k++) {
        const int64_t *it = items + 4 * k;
        int type = k < nitems ? (int)it[0] : (ellipsis < 0 ? WG_IDX_ELLIPSIS : -1);
        if (type == WG_IDX_INT) {
            int64_t i = it[1], n = in->shape[axis];
            if (i < -n || i >= n)
                return wgB_error(ctx, WG_ERR_INDEX, "index %lld is out of bounds for axis %d with size %lld",
                                 (long long)i, axis, (long long)n);
            if (i < 0) i += n;
            r.offset = addw(r.offset, mulw(i, in->strides[axis]));
            axis++;
        } else if (type == WG_IDX_SLICE) {
            int64_t start = it[1], stop = it[2], step = it[3] == WG_IDX_NONE ? 1 : it[3], len;
            if (step == 0) return wgB_error(ctx, WG_ERR_VALUE, "slice step cannot be zero");
            len = slice_adjust(in->shape[axis], &start, &stop, step);
            if (len == 0) { /* as get_view_from_index: an empty slice is [0:0:1] */
                start = 0;
                step = 1;
            }
            r.offset = addw(r.offset, mulw(start, in->strides[axis]));
            r.shape[r.ndim] = len;
            r.strides[r.ndim] = mulw(in->strides[axis], step);
            r.ndim++;
            axis++;
        } else if (type == WG_IDX_NEWAXIS) {
            r.shape[r.ndim] = 1;
            r.strides[r.ndim] = 0;
            r.ndim++;
        } else if (type == WG_IDX_ELLIPSIS) {
            for (int j = 0; j < ell_n; j++, axis++) {
                r.shape[r.ndim] = in->shape[axis];
                r.strides[r.ndim] = in->strides[axis];
                r.ndim++;
            }
        }
    }
    *out = r;
    return WG_OK;
}

/* ---- advanced indexing: the basic part and where the advanced items go ------------------ */
int wgL_adv_index(wg_context *ctx, const wg_layout *in, int nitems, const int64_t *items,
                  wgL_adv *out) {
    int64_t basic[4 * (WG_MAX_NDIM + 1)];
    int used = 0, ellipsis = -1, nb = 0;
    if (nitems > WG_MAX_NDIM + 1)
        return wgB_error(ctx, WG_ERR_INDEX, "too many indices for array: array is %d-dimensional, "
                         "but %d were indexed", in->ndim, nitems);
    for (int k = 0; k < nitems; k++) {
        int t = (int)items[4 * k];
        if (t == WG_IDX_ELLIPSIS && ellipsis < 0) ellipsis = k;
        if (t == WG_IDX_INT || t == WG_IDX_SLICE || t == WG_IDX_ARRAY) used++;
    }
    if (used > in->ndim)
        return wgB_error(ctx, WG_ERR_INDEX,
                         "too many indices for array: array is %d-dimensional, but %d were indexed",
                         in->ndim, used);
    /* the view: advanced items become full slices; ints are checked against their axis */
    out->nadv = 0;
    int axis = 0, vd = 0;
    for (int k = 0; k < nitems; k++) {
        const int64_t *it = items + 4 * k;
        int t = (int)it[0];
        if (t == WG_IDX_INT || t == WG_IDX_ARRAY) {
            int j = out->nadv++;
            out->vdim[j] = vd;
            out->src[j] = t == WG_IDX_ARRAY ? (int)it[1] : -1;
            out->axis[j] = axis;
            out->ival[j] = 0;
            if (t == WG_IDX_INT) {
                int64_t i = it[1], n = in->shape[axis];
                if (i < -n || i >= n)
                    return wgB_error(ctx, WG_ERR_INDEX, "index %lld is out of bounds for axis %d "
                                     "with size %lld", (long long)i, axis, (long long)n);
                out->ival[j] = i < 0 ? i + n : i;
            }
            int64_t *b = basic + 4 * nb++;
            b[0] = WG_IDX_SLICE;
            b[1] = b[2] = b[3] = WG_IDX_NONE;
            axis++;
            vd++;
        } else {
            memcpy(basic + 4 * nb++, it, 4 * sizeof *it);
            if (t == WG_IDX_SLICE) axis++, vd++;
            else if (t == WG_IDX_NEWAXIS) vd++;
            else if (t == WG_IDX_ELLIPSIS && k == ellipsis) {
                axis += in->ndim - used;
                vd += in->ndim - used;
            }
        }
    }
    int st = wgL_index(ctx, in, nb, basic, &out->view);
    if (st != WG_OK) return st;
    out->adjacent = 1;
    for (int j = 1; j < out->nadv; j++)
        if (out->vdim[j] != out->vdim[j - 1] + 1) out->adjacent = 0;
    return WG_OK;
}

/* ---- transposes -------------------------------------------------------------------------- */

static void permute(const wg_layout *in, const int *perm, wg_layout *out) {
    wg_layout r;
    r.ndim = in->ndim;
    r.offset = in->offset;
    for (int i = 0; i < in->ndim; i++) {
        r.shape[i] = in->shape[perm[i]];
        r.strides[i] = in->strides[perm[i]];
    }
    *out = r;
}

/* NumPy's PyArray_Transpose. */
int wgL_transpose(wg_context *ctx, const wg_layout *in, int naxes, const int64_t *axes,
                  wg_layout *out) {
    int perm[WG_MAX_NDIM], rev[WG_MAX_NDIM];
    int n = in->ndim;
    if (!axes) {
        for (int i = 0; i < n; i++) perm[i] = n - 1 - i;
    } else {
        if (naxes != n) return wgB_error(ctx, WG_ERR_VALUE, "axes don't match array");
        for (int i = 0; i < n; i++) rev[i] = -1;
        for (int i = 0; i < n; i++) {
            int a = wgL_normalize_axis(ctx, axes[i], n);
            if (a < 0) return a;
            if (rev[a] != -1) return wgB_error(ctx, WG_ERR_VALUE, "repeated axis in transpose");
            rev[a] = i;
            perm[i] = a;
        }
    }
    permute(in, perm, out);
    return WG_OK;
}

int wgL_swapaxes(wg_context *ctx, const wg_layout *in, int64_t a, int64_t b, wg_layout *out) {
    int perm[WG_MAX_NDIM];
    int a1 = normalize_axis_msg(ctx, a, in->ndim, "axis1"), a2;
    if (a1 < 0) return a1;
    a2 = normalize_axis_msg(ctx, b, in->ndim, "axis2");
    if (a2 < 0) return a2;
    for (int i = 0; i < in->ndim; i++) perm[i] = i;
    perm[a1] = a2;
    perm[a2] = a1;
    permute(in, perm, out);
    return WG_OK;
}

/* NumPy's PyArray_Diagonal as a view: the two axes are removed and one axis of length
 * max(0, min(n1 - max(0,-k), n2 - max(0,k))) with stride s1 + s2 is appended.  Errors as NumPy's:
 * ValueError for ndim < 2 or the same axis twice, AxisError("axis1: ...") out of bounds. */
int wgL_diagonal(wg_context *ctx, const wg_layout *in, int64_t offset, int64_t axis1,
                 int64_t axis2, wg_layout *out) {
    int nd = in->ndim;
    if (nd < 2)
        return wgB_error(ctx, WG_ERR_VALUE, "diag requires an array of at least two dimensions");
    int a1 = normalize_axis_msg(ctx, axis1, nd, "axis1"), a2;
    if (a1 < 0) return a1;
    a2 = normalize_axis_msg(ctx, axis2, nd, "axis2");
    if (a2 < 0) return a2;
    if (a1 == a2) return wgB_error(ctx, WG_ERR_VALUE, "axis1 and axis2 cannot be the same");
    int64_t n1 = in->shape[a1], n2 = in->shape[a2], s1 = in->strides[a1], s2 = in->strides[a2];
    wg_layout r;
    r.offset = in->offset;
    int64_t len;
    if (offset >= 0) {
        len = offset >= n2 ? 0 : (n2 - offset < n1 ? n2 - offset : n1);
        if (len > 0) r.offset += offset * s2;
    } else {
        int64_t m = -offset;
        len = m >= n1 ? 0 : (n1 - m < n2 ? n1 - m : n2);
        if (len > 0) r.offset += m * s1;
    }
    int j = 0;
    for (int i = 0; i < nd; i++) {
        if (i == a1 || i == a2) continue;
        r.shape[j] = in->shape[i];
        r.strides[j] = in->strides[i];
        j++;
    }
    r.shape[j] = len;
    r.strides[j] = s1 + s2;
    r.ndim = nd - 1;
    *out = r;
    return WG_OK;
}

/* np.moveaxis: the other axes keep their order; each source goes to its destination. */
int wgL_moveaxis(wg_context *ctx, const wg_layout *in, int n, const int64_t *src,
                 const int64_t *dst, wg_layout *out) {
    int s[WG_MAX_NDIM], t[WG_MAX_NDIM], perm[WG_MAX_NDIM], taken[WG_MAX_NDIM] = {0};
    int nd = in->ndim, st;
    if (n < 0) return wgB_error(ctx, WG_ERR_VALUE, "invalid number of axes");
    if (n > nd) { /* more axes than dimensions: one is out of bounds, or one repeats */
        for (int i = 0; i < n; i++) {
            int a = normalize_axis_msg(ctx, src[i], nd, "source");
            if (a < 0) return a;
        }
        return wgB_error(ctx, WG_ERR_VALUE, "repeated axis in `source` argument");
    }
    if ((st = normalize_axis_tuple(ctx, n, src, nd, "source", s)) < 0) return st;
    if ((st = normalize_axis_tuple(ctx, n, dst, nd, "destination", t)) < 0) return st;
    for (int i = 0; i < nd; i++) perm[i] = -1;
    for (int i = 0; i < n; i++) {
        perm[t[i]] = s[i];
        taken[s[i]] = 1;
    }
    for (int i = 0, j = 0; i < nd; i++) {
        if (perm[i] >= 0) continue;
        while (taken[j]) j++;
        perm[i] = j++;
    }
    permute(in, perm, out);
    return WG_OK;
}

/* ---- reshape ----------------------------------------------------------------------------- */

/* NumPy's _fix_unknown_dimension: any negative entry is "the unknown one". */
int wgL_resolve_shape(wg_context *ctx, int64_t size, int ndim, const int64_t *shape,
                      int64_t *resolved) {
    int64_t known = 1;
    int unknown = -1;
    char s[WG_MAX_NDIM * 24 + 8];
    if (ndim > WG_MAX_NDIM) return too_many_dims(ctx, ndim);
    if (ndim < 0) return wgB_error(ctx, WG_ERR_VALUE, "invalid number of dimensions");
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0) {
            if (unknown >= 0)
                return wgB_error(ctx, WG_ERR_VALUE, "can only specify one unknown dimension");
            unknown = i;
        } else if (__builtin_mul_overflow(known, shape[i], &known)) {
            goto mismatch;
        }
    }
    if (unknown >= 0 ? (known == 0 || size % known != 0) : size != known) goto mismatch;
    for (int i = 0; i < ndim; i++) resolved[i] = i == unknown ? size / known : shape[i];
    return WG_OK;
mismatch:
    shape_str(s, sizeof s, ndim, shape, "");
    return wgB_error(ctx, WG_ERR_VALUE, "cannot reshape array of size %lld into shape %s",
                     (long long)size, s);
}

/* NumPy's _attempt_nocopy_reshape (the array's size is not 0 and its shape is not all ones). */
static int attempt_nocopy(const wg_layout *in, int newnd, const int64_t *newdims,
                          int64_t *newstrides, int is_f_order) {
    int64_t olddims[WG_MAX_NDIM], oldstrides[WG_MAX_NDIM], last_stride;
    int oldnd = 0, oi, oj, ok, ni, nj, nk;
    for (oi = 0; oi < in->ndim; oi++) {
        if (in->shape[oi] != 1) {
            olddims[oldnd] = in->shape[oi];
            oldstrides[oldnd] = in->strides[oi];
            oldnd++;
        }
    }
    oi = 0; oj = 1; ni = 0; nj = 1;
    while (ni < newnd && oi < oldnd) {
        int64_t np = newdims[ni], op = olddims[oi];
        while (np != op) {
            if (np < op) {
                if (nj >= newnd) return 0; /* only for inconsistent sizes */
                np *= newdims[nj++];
            } else {
                if (oj >= oldnd) return 0;
                op *= olddims[oj++];
            }
        }
        for (ok = oi; ok < oj - 1; ok++) {
            if (is_f_order) {
                if (oldstrides[ok + 1] != mulw(olddims[ok], oldstrides[ok])) return 0;
            } else {
                if (oldstrides[ok] != mulw(olddims[ok + 1], oldstrides[ok + 1])) return 0;
            }
        }
        if (is_f_order) {
            newstrides[ni] = oldstrides[oi];
            for (nk = ni + 1; nk < nj; nk++) newstrides[nk] = mulw(newstrides[nk - 1], newdims[nk - 1]);
        } else {
            newstrides[nj - 1] = oldstrides[oj - 1];
            for (nk = nj - 1; nk > ni; nk--) newstrides[nk - 1] = mulw(newstrides[nk], newdims[nk]);
        }
        ni = nj++;
        oi = oj++;
    }
    /* trailing ones of the new shape */
    last_stride = ni >= 1 ? newstrides[ni - 1] : 1;
    if (is_f_order && ni >= 1) last_stride = mulw(last_stride, newdims[ni - 1]);
    for (nk = ni; nk < newnd; nk++) newstrides[nk] = last_stride;
    return 1;
}

/* NumPy's _reshape_with_copy_arg without the copy. */
int wgL_reshape_view(const wg_layout *in, int ndim, const int64_t *shape, int order,
                     wg_layout *out) {
    wg_layout r;
    int same = ndim == in->ndim;
    if (ndim < 0 || ndim > WG_MAX_NDIM) return 0;
    if (order == 'A') order = wgL_is_f_contiguous(in) && !wgL_is_c_contiguous(in) ? 'F' : 'C';
    for (int d = 0; same && d < ndim; d++) same = in->shape[d] == shape[d];
    if (same) { /* a plain view, strides kept */
        *out = *in;
        return 1;
    }
    if (order == 'F' ? wgL_is_f_contiguous(in) : wgL_is_c_contiguous(in)) {
        /* the buffer is read in the requested order already: fresh strides */
        wgL_contiguous(&r, ndim, shape, ndim > 1 && order == 'F' ? 'F' : 'C');
    } else {
        r.ndim = ndim;
        for (int d = 0; d < ndim; d++) r.shape[d] = shape[d];
        if (!attempt_nocopy(in, ndim, shape, r.strides, order == 'F')) return 0;
    }
    r.offset = in->offset;
    *out = r;
    return 1;
}

/* ---- squeeze / expand_dims --------------------------------------------------------------- */

/* ndarray.squeeze: PyArray_ConvertMultiAxis, then PyArray_SqueezeSelected. */
int wgL_squeeze(wg_context *ctx, const wg_layout *in, int naxes, const int64_t *axes,
                wg_layout *out) {
    int flag[WG_MAX_NDIM] = {0};
    wg_layout r;
    if (naxes < 0) {
        for (int d = 0; d < in->ndim; d++) flag[d] = in->shape[d] == 1;
    } else {
        for (int i = 0; i < naxes; i++) {
            int a = wgL_normalize_axis(ctx, axes[i], in->ndim);
            if (a < 0) return a;
            if (flag[a]) return wgB_error(ctx, WG_ERR_VALUE, "duplicate value in 'axis'");
            flag[a] = 1;
        }
        for (int d = 0; d < in->ndim; d++)
            if (flag[d] && in->shape[d] != 1)
                return wgB_error(ctx, WG_ERR_VALUE,
                                 "cannot select an axis to squeeze out which has size not equal to one");
    }
    r.ndim = 0;
    r.offset = in->offset;
    for (int d = 0; d < in->ndim; d++) {
        if (flag[d]) continue;
        r.shape[r.ndim] = in->shape[d];
        r.strides[r.ndim] = in->strides[d];
        r.ndim++;
    }
    *out = r;
    return WG_OK;
}

/* np.expand_dims: normalize_axis_tuple over the output's ndim, then a reshape (so the strides of
 * the new axes are exactly NumPy's). */
int wgL_expand_dims(wg_context *ctx, const wg_layout *in, int naxes, const int64_t *axes,
                    wg_layout *out) {
    int64_t shape[WG_MAX_NDIM];
    int ax[WG_MAX_NDIM], isnew[WG_MAX_NDIM] = {0}, st, out_nd;
    if (naxes < 0) return wgB_error(ctx, WG_ERR_VALUE, "invalid number of axes");
    out_nd = in->ndim + naxes;
    if (out_nd > WG_MAX_NDIM) {
        /* NumPy normalizes first (an AxisError wins), then reshape refuses the ndim */
        for (int i = 0; i < naxes; i++) {
            int a = wgL_normalize_axis(ctx, axes[i], out_nd);
            if (a < 0) return a;
        }
        return too_many_dims(ctx, out_nd);
    }
    if ((st = normalize_axis_tuple(ctx, naxes, axes, out_nd, NULL, ax)) < 0) return st;
    for (int i = 0; i < naxes; i++) isnew[ax[i]] = 1;
    for (int d = 0, k = 0; d < out_nd; d++) shape[d] = isnew[d] ? 1 : in->shape[k++];
    if (!wgL_reshape_view(in, out_nd, shape, 'C', out))
        return wgB_error(ctx, WG_ERR_INTERNAL, "expand_dims: reshape was not a view");
    return WG_OK;
}

/* ---- coalescing -------------------------------------------------------------------------- */

/* Drop axes of length 1, then merge axis d into the previous kept axis when, in every layout,
 * prev_stride == stride[d] * shape[d].  An empty shape becomes (0,) with stride 0; a shape of only
 * ones becomes (1,).  Offsets are kept, so each layout maps the same elements in the same C order. */
void wgL_coalesce(int n, wg_layout **ls) {
    int nd, j = 0, empty = 0;
    int64_t shape[WG_MAX_NDIM];
    if (n <= 0 || ls[0]->ndim == 0) return;
    nd = ls[0]->ndim;
    for (int d = 0; d < nd; d++) empty |= ls[0]->shape[d] == 0;
    if (empty) {
        for (int i = 0; i < n; i++) {
            ls[i]->ndim = 1;
            ls[i]->shape[0] = 0;
            ls[i]->strides[0] = 0;
        }
        return;
    }
    for (int d = 0; d < nd; d++) {
        int64_t len = ls[0]->shape[d];
        int merge = j > 0;
        if (len == 1) continue;
        for (int i = 0; merge && i < n; i++)
            merge = ls[i]->strides[j - 1] == mulw(ls[i]->strides[d], len);
        if (merge) {
            shape[j - 1] *= len;
            for (int i = 0; i < n; i++) ls[i]->strides[j - 1] = ls[i]->strides[d];
        } else {
            shape[j] = len;
            for (int i = 0; i < n; i++) ls[i]->strides[j] = ls[i]->strides[d];
            j++;
        }
    }
    if (j == 0) {
        shape[0] = 1;
        for (int i = 0; i < n; i++) ls[i]->strides[0] = 0;
        j = 1;
    }
    for (int i = 0; i < n; i++) {
        ls[i]->ndim = j;
        memcpy(ls[i]->shape, shape, (size_t)j * sizeof shape[0]);
    }
}
