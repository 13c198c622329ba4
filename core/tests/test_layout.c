/* layout layer: basic indexing, transposes, reshape views, squeeze/expand_dims, broadcasting,
 * coalescing, errors.  Expected layouts were read from NumPy 2.4.6 (strides in elements; offsets
 * as the value of the first element of an arange base). */
#include "wgtest.h"

#include <stdio.h>
#include <string.h>

#include "../src/base/context.h"
#include "../src/layout/layout.h"

#define NONE WG_IDX_NONE

static struct wg_context ctx_;

static wg_context *fresh(void) {
    memset(&ctx_, 0, sizeof ctx_);
    return &ctx_;
}

static wg_layout cont(int ndim, const int64_t *shape) {
    wg_layout l;
    wgL_contiguous(&l, ndim, shape, 'C');
    return l;
}

#define SHAPE(...) ((const int64_t[]){__VA_ARGS__})

static int layout_is(const wg_layout *l, int ndim, const int64_t *shape, const int64_t *strides) {
    if (l->ndim != ndim) return 0;
    for (int d = 0; d < ndim; d++)
        if (l->shape[d] != shape[d] || l->strides[d] != strides[d]) return 0;
    return 1;
}

static void print_layout(const char *what, const wg_layout *l) {
    char buf[600];
    size_t n = 0;
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s: ndim %d offset %lld shape", what, l->ndim,
                          (long long)l->offset);
    for (int d = 0; d < l->ndim; d++) n += (size_t)snprintf(buf + n, sizeof buf - n, " %lld", (long long)l->shape[d]);
    n += (size_t)snprintf(buf + n, sizeof buf - n, " strides");
    for (int d = 0; d < l->ndim; d++) n += (size_t)snprintf(buf + n, sizeof buf - n, " %lld", (long long)l->strides[d]);
    fprintf(stderr, "    %s\n", buf);
}

#define CHECK_LAYOUT(l, nd, shp, str)                                                       \
    do {                                                                                    \
        if (!layout_is((l), (nd), (shp), (str))) {                                          \
            wgt_fail(__FILE__, __LINE__, "layout mismatch");                                \
            print_layout("got", (l));                                                       \
        }                                                                                   \
    } while (0)

/* The call failed with this status and exactly this message. */
#define CHECK_ERROR(call, st, msg)                                                          \
    do {                                                                                    \
        wg_context *c_ = fresh();                                                           \
        int r_ = (call);                                                                    \
        WG_CHECK_EQ_INT(r_, (st));                                                          \
        WG_CHECK_EQ_INT(c_->status, (st));                                                  \
        WG_CHECK_EQ_STR(c_->message, (msg));                                                \
    } while (0)

/* ---- basics ------------------------------------------------------------------------------ */

WG_TEST(layout_contiguous_and_flags) {
    wg_layout l, f;
    wgL_contiguous(&l, 3, SHAPE(2, 3, 4), 'C');
    CHECK_LAYOUT(&l, 3, SHAPE(2, 3, 4), SHAPE(12, 4, 1));
    WG_CHECK_EQ_INT(l.offset, 0);
    WG_CHECK_EQ_INT(wgL_size(&l), 24);
    WG_CHECK(wgL_is_c_contiguous(&l) && !wgL_is_f_contiguous(&l));
    wgL_contiguous(&f, 3, SHAPE(2, 3, 4), 'F');
    CHECK_LAYOUT(&f, 3, SHAPE(2, 3, 4), SHAPE(1, 2, 6));
    WG_CHECK(!wgL_is_c_contiguous(&f) && wgL_is_f_contiguous(&f));
    /* a zero-length axis counts as 1 for strides (np.empty((2,0,3)).strides == (24,24,8)) */
    wgL_contiguous(&l, 3, SHAPE(2, 0, 3), 'C');
    CHECK_LAYOUT(&l, 3, SHAPE(2, 0, 3), SHAPE(3, 3, 1));
    WG_CHECK_EQ_INT(wgL_size(&l), 0);
    WG_CHECK(wgL_is_c_contiguous(&l) && wgL_is_f_contiguous(&l));
    /* 0-d and length-1 axes */
    wgL_contiguous(&l, 0, NULL, 'C');
    WG_CHECK_EQ_INT(wgL_size(&l), 1);
    WG_CHECK(wgL_is_c_contiguous(&l) && wgL_is_f_contiguous(&l));
    l = cont(3, SHAPE(1, 5, 1));
    l.strides[0] = 77;
    l.strides[2] = -3;
    WG_CHECK(wgL_is_c_contiguous(&l) && wgL_is_f_contiguous(&l));
    /* broadcast views */
    l = cont(2, SHAPE(3, 4));
    WG_CHECK(!wgL_has_broadcast(&l));
    l.strides[0] = 0;
    WG_CHECK(wgL_has_broadcast(&l));
    l = cont(2, SHAPE(1, 4));
    l.strides[0] = 0;
    WG_CHECK(!wgL_has_broadcast(&l));
}

WG_TEST(layout_extent_and_same) {
    int64_t lo, hi;
    wg_layout l = cont(2, SHAPE(3, 4)), m;
    l.offset = 10;
    wgL_extent(&l, &lo, &hi);
    WG_CHECK_EQ_INT(lo, 10);
    WG_CHECK_EQ_INT(hi, 21);
    l.strides[0] = -4; /* a[::-1] */
    l.offset = 18;
    wgL_extent(&l, &lo, &hi);
    WG_CHECK_EQ_INT(lo, 10);
    WG_CHECK_EQ_INT(hi, 21);
    l.shape[1] = 0;
    wgL_extent(&l, &lo, &hi);
    WG_CHECK(lo > hi);
    l = cont(2, SHAPE(3, 1));
    m = l;
    WG_CHECK(wgL_same(&l, &m));
    m.strides[1] = 99; /* a length-1 axis: its stride does not matter */
    WG_CHECK(wgL_same(&l, &m));
    m.offset = 1;
    WG_CHECK(!wgL_same(&l, &m));
    m = cont(2, SHAPE(1, 3));
    WG_CHECK(!wgL_same(&l, &m));
}

/* ---- basic indexing ---------------------------------------------------------------------- */

static const struct {
    int base, nitems;
    int64_t items[16];
    int ndim;
    int64_t shape[6], strides[6], offset; /* offset -1: empty result, not checked */
} index_cases[] = {
    {0, 1, {0,1,0,0}, 2, {4, 5}, {5, 1}, 20}, /* 1 */
    {0, 1, {0,-1,0,0}, 2, {4, 5}, {5, 1}, 40}, /* -1 */
    {0, 2, {0,1,0,0, 0,2,0,0}, 1, {5}, {1}, 30}, /* (1, 2) */
    {0, 3, {0,-1,0,0, 1,NONE,NONE,2, 1,1,4,NONE}, 2, {2, 3}, {10, 1}, 41}, /* [-1, ::2, 1:4] */
    {0, 3, {3,0,0,0, 2,0,0,0, 0,2,0,0}, 3, {3, 4, 1}, {20, 5, 0}, 2}, /* [..., None, 2] */
    {0, 3, {2,0,0,0, 3,0,0,0, 2,0,0,0}, 5, {1, 3, 4, 5, 1}, {0, 20, 5, 1, 0}, 0}, /* [None, ..., None] */
    {0, 1, {1,NONE,NONE,-1}, 3, {3, 4, 5}, {-20, 5, 1}, 40}, /* [::-1] */
    {0, 2, {1,NONE,NONE,NONE, 1,NONE,NONE,-2}, 3, {3, 2, 5}, {20, -10, 1}, 15}, /* [:, ::-2] */
    {0, 2, {3,0,0,0, 1,5,0,-2}, 3, {3, 4, 2}, {20, 5, -2}, 4}, /* [..., 5:0:-2] */
    {0, 1, {1,10,NONE,-3}, 3, {1, 4, 5}, {-60, 5, 1}, 40}, /* [10::-3] */
    {0, 1, {1,-10,2,NONE}, 3, {2, 4, 5}, {20, 5, 1}, 0}, /* [-10:2] */
    {0, 1, {1,1,1,NONE}, 3, {0, 4, 5}, {20, 5, 1}, -1}, /* [1:1] */
    {0, 1, {1,-10,NONE,-1}, 3, {0, 4, 5}, {20, 5, 1}, -1}, /* [-10::-1] */
    {0, 1, {3,0,0,0}, 3, {3, 4, 5}, {20, 5, 1}, 0}, /* [...] */
    {0, 0, {0}, 3, {3, 4, 5}, {20, 5, 1}, 0}, /* [()] */
    {0, 4, {0,1,0,0, 3,0,0,0, 2,0,0,0, 0,3,0,0}, 2, {4, 1}, {5, 0}, 23}, /* [1, ..., None, 3] */
    {0, 1, {1,NONE,NONE,100}, 3, {1, 4, 5}, {2000, 5, 1}, 0}, /* [::100] */
    {0, 3, {1,2,-5,-1, 0,0,0,0, 1,4,NONE,-4}, 2, {3, 2}, {-20, -4}, 44}, /* [2:-5:-1, 0, 4::-4] */
    {1, 1, {0,0,0,0}, 2, {4, 4}, {-30, 6}, 96}, /* 0 */
    {1, 2, {3,0,0,0, 0,-1,0,0}, 2, {3, 4}, {2, -30}, 114}, /* [..., -1] */
    {1, 3, {1,NONE,NONE,-1, 2,0,0,0, 1,1,NONE,2}, 4, {3, 1, 2, 4}, {-2, 0, -60, 6}, 70}, /* [::-1, None, 1::2] */
    {1, 3, {0,1,0,0, 0,2,0,0, 0,3,0,0}, 0, {0}, {0}, 56}, /* [1, 2, 3] */
    {1, 3, {2,0,0,0, 2,0,0,0, 1,-2,NONE,-1}, 5, {1, 1, 2, 4, 4}, {0, 0, -2, -30, 6}, 98}, /* [None, None, -2::-1] */
    {1, 3, {1,NONE,NONE,NONE, 1,NONE,NONE,-3, 1,3,0,-1}, 3, {3, 2, 3}, {2, 90, -6}, 24}, /* [:, ::-3, 3:0:-1] */
};

/* base 0: np.arange(60).reshape(3,4,5); base 1: np.arange(120).reshape(4,5,6)[::-1, 1:, ::2]
 * .transpose(2,0,1) (shape (3,4,4), strides (2,-30,6), offset 96) */
static wg_layout index_base(int which) {
    wg_layout l, m;
    if (which == 0) return cont(3, SHAPE(3, 4, 5));
    l = cont(3, SHAPE(4, 5, 6));
    wgL_index(NULL, &l, 3, SHAPE(1, NONE, NONE, -1, 1, 1, NONE, NONE, 1, NONE, NONE, 2), &m);
    wgL_transpose(NULL, &m, 3, SHAPE(2, 0, 1), &l);
    return l;
}

WG_TEST(layout_index_cases) {
    wg_layout b1 = index_base(1);
    CHECK_LAYOUT(&b1, 3, SHAPE(3, 4, 4), SHAPE(2, -30, 6));
    WG_CHECK_EQ_INT(b1.offset, 96);
    for (size_t i = 0; i < sizeof index_cases / sizeof index_cases[0]; i++) {
        wg_layout in = index_base(index_cases[i].base), out;
        int st = wgL_index(fresh(), &in, index_cases[i].nitems, index_cases[i].items, &out);
        WG_CHECK_EQ_INT(st, WG_OK);
        if (st != WG_OK) continue;
        if (!layout_is(&out, index_cases[i].ndim, index_cases[i].shape, index_cases[i].strides) ||
            (index_cases[i].offset >= 0 && out.offset != index_cases[i].offset)) {
            wgt_fail(__FILE__, __LINE__, "index case %zu", i);
            print_layout("got", &out);
        }
    }
}

WG_TEST(layout_index_aliasing_and_offsets) {
    wg_layout l = cont(1, SHAPE(10));
    l.offset = 5;
    /* out may be the input */
    WG_CHECK_EQ_INT(wgL_index(NULL, &l, 1, SHAPE(1, 2, NONE, 3), &l), WG_OK);
    CHECK_LAYOUT(&l, 1, SHAPE(3), SHAPE(3));
    WG_CHECK_EQ_INT(l.offset, 7);
    /* an empty slice never moves the offset outside the data */
    l = cont(1, SHAPE(3));
    WG_CHECK_EQ_INT(wgL_index(NULL, &l, 1, SHAPE(1, -10, NONE, -1), &l), WG_OK);
    WG_CHECK_EQ_INT(l.shape[0], 0);
    WG_CHECK_EQ_INT(l.offset, 0);
    /* huge steps and bounds (Python's clamping) */
    l = cont(1, SHAPE(3));
    WG_CHECK_EQ_INT(wgL_index(NULL, &l, 1, SHAPE(1, INT64_MAX, INT64_MIN + 1, INT64_MIN + 1), &l), WG_OK);
    WG_CHECK_EQ_INT(l.shape[0], 1);
    WG_CHECK_EQ_INT(l.offset, 2);
}

WG_TEST(layout_index_errors) {
    wg_layout a = cont(1, SHAPE(3)), b = cont(2, SHAPE(2, 3)), z = cont(0, NULL), out;
    CHECK_ERROR(wgL_index(c_, &a, 1, SHAPE(0, 5, 0, 0), &out), WG_ERR_INDEX,
                "index 5 is out of bounds for axis 0 with size 3");
    CHECK_ERROR(wgL_index(c_, &a, 1, SHAPE(0, -4, 0, 0), &out), WG_ERR_INDEX,
                "index -4 is out of bounds for axis 0 with size 3");
    CHECK_ERROR(wgL_index(c_, &b, 2, SHAPE(1, NONE, NONE, NONE, 0, 3, 0, 0), &out), WG_ERR_INDEX,
                "index 3 is out of bounds for axis 1 with size 3");
    CHECK_ERROR(wgL_index(c_, &a, 2, SHAPE(0, 1, 0, 0, 0, 2, 0, 0), &out), WG_ERR_INDEX,
                "too many indices for array: array is 1-dimensional, but 2 were indexed");
    CHECK_ERROR(wgL_index(c_, &z, 1, SHAPE(0, 0, 0, 0), &out), WG_ERR_INDEX,
                "too many indices for array: array is 0-dimensional, but 1 were indexed");
    CHECK_ERROR(wgL_index(c_, &a, 2, SHAPE(3, 0, 0, 0, 3, 0, 0, 0), &out), WG_ERR_INDEX,
                "an index can only have a single ellipsis ('...')");
    CHECK_ERROR(wgL_index(c_, &a, 1, SHAPE(1, NONE, NONE, 0), &out), WG_ERR_VALUE,
                "slice step cannot be zero");
    /* NumPy's order: the whole index is classified first, then items are checked in order */
    CHECK_ERROR(wgL_index(c_, &b, 3, SHAPE(0, 7, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0), &out), WG_ERR_INDEX,
                "an index can only have a single ellipsis ('...')");
    CHECK_ERROR(wgL_index(c_, &b, 3, SHAPE(0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), &out), WG_ERR_INDEX,
                "too many indices for array: array is 2-dimensional, but 3 were indexed");
    CHECK_ERROR(wgL_index(c_, &b, 2, SHAPE(0, 5, 0, 0, 1, NONE, NONE, 0), &out), WG_ERR_INDEX,
                "index 5 is out of bounds for axis 0 with size 2");
    CHECK_ERROR(wgL_index(c_, &b, 2, SHAPE(1, NONE, NONE, 0, 0, 5, 0, 0), &out), WG_ERR_VALUE,
                "slice step cannot be zero");
    CHECK_ERROR(wgL_index(c_, &a, 1, SHAPE(9, 0, 0, 0), &out), WG_ERR_INDEX,
                "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer "
                "or boolean arrays are valid indices");
    {
        int64_t items[4 * 20];
        for (int i = 0; i < 20; i++) { items[4 * i] = WG_IDX_NEWAXIS; items[4 * i + 1] = 0; }
        CHECK_ERROR(wgL_index(c_, &b, 20, items, &out), WG_ERR_INDEX,
                    "number of dimensions must be within [0, 16], indexing result would have 22");
    }
    /* no context: the status still comes back */
    WG_CHECK_EQ_INT(wgL_index(NULL, &a, 1, SHAPE(0, 3, 0, 0), &out), WG_ERR_INDEX);
    /* the first error wins */
    {
        wg_context *c = fresh();
        wgL_index(c, &a, 1, SHAPE(0, 3, 0, 0), &out);
        wgL_index(c, &a, 1, SHAPE(1, NONE, NONE, 0), &out);
        WG_CHECK_EQ_INT(c->status, WG_ERR_INDEX);
        WG_CHECK(wgB_failed(c));
    }
}

/* ---- transposes -------------------------------------------------------------------------- */

WG_TEST(layout_transpose_swap_move) {
    wg_layout e = cont(4, SHAPE(2, 3, 4, 5)), out, b = cont(2, SHAPE(2, 3));
    WG_CHECK_EQ_INT(wgL_transpose(NULL, &e, 0, NULL, &out), WG_OK);
    CHECK_LAYOUT(&out, 4, SHAPE(5, 4, 3, 2), SHAPE(1, 5, 20, 60));
    WG_CHECK_EQ_INT(wgL_transpose(NULL, &e, 4, SHAPE(1, -1, 0, 2), &out), WG_OK);
    CHECK_LAYOUT(&out, 4, SHAPE(3, 5, 2, 4), SHAPE(20, 1, 60, 5));
    WG_CHECK_EQ_INT(wgL_swapaxes(NULL, &e, 0, -1, &out), WG_OK);
    CHECK_LAYOUT(&out, 4, SHAPE(5, 3, 4, 2), SHAPE(1, 20, 5, 60));
    WG_CHECK_EQ_INT(wgL_moveaxis(NULL, &e, 2, SHAPE(0, 1), SHAPE(-1, -2), &out), WG_OK);
    CHECK_LAYOUT(&out, 4, SHAPE(4, 5, 3, 2), SHAPE(5, 1, 20, 60));
    WG_CHECK_EQ_INT(wgL_moveaxis(NULL, &e, 1, SHAPE(3), SHAPE(0), &out), WG_OK);
    CHECK_LAYOUT(&out, 4, SHAPE(5, 2, 3, 4), SHAPE(1, 60, 20, 5));
    WG_CHECK_EQ_INT(wgL_moveaxis(NULL, &e, 2, SHAPE(0, 2), SHAPE(3, 0), &out), WG_OK);
    CHECK_LAYOUT(&out, 4, SHAPE(4, 3, 5, 2), SHAPE(5, 20, 1, 60));
    WG_CHECK_EQ_INT(wgL_moveaxis(NULL, &e, 0, NULL, NULL, &out), WG_OK);
    CHECK_LAYOUT(&out, 4, SHAPE(2, 3, 4, 5), SHAPE(60, 20, 5, 1));
    /* in place */
    WG_CHECK_EQ_INT(wgL_transpose(NULL, &b, 0, NULL, &b), WG_OK);
    CHECK_LAYOUT(&b, 2, SHAPE(3, 2), SHAPE(1, 3));

    b = cont(2, SHAPE(2, 3));
    CHECK_ERROR(wgL_transpose(c_, &b, 1, SHAPE(0), &out), WG_ERR_VALUE, "axes don't match array");
    CHECK_ERROR(wgL_transpose(c_, &b, 3, SHAPE(5, 0, 0), &out), WG_ERR_VALUE, "axes don't match array");
    CHECK_ERROR(wgL_transpose(c_, &b, 2, SHAPE(0, 2), &out), WG_ERR_AXIS,
                "axis 2 is out of bounds for array of dimension 2");
    CHECK_ERROR(wgL_transpose(c_, &b, 2, SHAPE(0, -3), &out), WG_ERR_AXIS,
                "axis -3 is out of bounds for array of dimension 2");
    CHECK_ERROR(wgL_transpose(c_, &b, 2, SHAPE(0, 0), &out), WG_ERR_VALUE, "repeated axis in transpose");
    CHECK_ERROR(wgL_transpose(c_, &b, 2, SHAPE(0, -2), &out), WG_ERR_VALUE, "repeated axis in transpose");
    CHECK_ERROR(wgL_swapaxes(c_, &b, 0, 2, &out), WG_ERR_AXIS,
                "axis2: axis 2 is out of bounds for array of dimension 2");
    CHECK_ERROR(wgL_swapaxes(c_, &b, -3, 2, &out), WG_ERR_AXIS,
                "axis1: axis -3 is out of bounds for array of dimension 2");
    CHECK_ERROR(wgL_moveaxis(c_, &b, 2, SHAPE(0, 3), SHAPE(0, 1), &out), WG_ERR_AXIS,
                "source: axis 3 is out of bounds for array of dimension 2");
    CHECK_ERROR(wgL_moveaxis(c_, &b, 2, SHAPE(0, 0), SHAPE(0, 1), &out), WG_ERR_VALUE,
                "repeated axis in `source` argument");
    CHECK_ERROR(wgL_moveaxis(c_, &b, 2, SHAPE(0, 1), SHAPE(1, 1), &out), WG_ERR_VALUE,
                "repeated axis in `destination` argument");
    CHECK_ERROR(wgL_moveaxis(c_, &b, 2, SHAPE(0, 1), SHAPE(1, 5), &out), WG_ERR_AXIS,
                "destination: axis 5 is out of bounds for array of dimension 2");
    CHECK_ERROR(wgL_moveaxis(c_, &b, 3, SHAPE(0, 1, 0), SHAPE(0, 1, 0), &out), WG_ERR_VALUE,
                "repeated axis in `source` argument");
    WG_CHECK_EQ_INT(wgL_normalize_axis(NULL, -1, 3), 2);
    WG_CHECK_EQ_INT(wgL_normalize_axis(NULL, 0, 1), 0);
    CHECK_ERROR(wgL_normalize_axis(c_, 3, 2), WG_ERR_AXIS, "axis 3 is out of bounds for array of dimension 2");
    CHECK_ERROR(wgL_normalize_axis(c_, 0, 0), WG_ERR_AXIS, "axis 0 is out of bounds for array of dimension 0");
}

/* ---- reshape ----------------------------------------------------------------------------- */

WG_TEST(layout_resolve_shape) {
    int64_t r[WG_MAX_NDIM];
    WG_CHECK_EQ_INT(wgL_resolve_shape(NULL, 6, 2, SHAPE(-1, 3), r), WG_OK);
    WG_CHECK_EQ_INT(r[0], 2);
    WG_CHECK_EQ_INT(r[1], 3);
    /* any negative entry is the unknown one, as in NumPy */
    WG_CHECK_EQ_INT(wgL_resolve_shape(NULL, 6, 2, SHAPE(2, -3), r), WG_OK);
    WG_CHECK_EQ_INT(r[1], 3);
    WG_CHECK_EQ_INT(wgL_resolve_shape(NULL, 0, 2, SHAPE(-1, 5), r), WG_OK);
    WG_CHECK_EQ_INT(r[0], 0);
    WG_CHECK_EQ_INT(wgL_resolve_shape(NULL, 1, 0, NULL, r), WG_OK);
    CHECK_ERROR(wgL_resolve_shape(c_, 6, 1, SHAPE(4), r), WG_ERR_VALUE,
                "cannot reshape array of size 6 into shape (4,)");
    CHECK_ERROR(wgL_resolve_shape(c_, 6, 2, SHAPE(4, -1), r), WG_ERR_VALUE,
                "cannot reshape array of size 6 into shape (4,newaxis)");
    CHECK_ERROR(wgL_resolve_shape(c_, 6, 2, SHAPE(-1, -1), r), WG_ERR_VALUE,
                "can only specify one unknown dimension");
    CHECK_ERROR(wgL_resolve_shape(c_, 0, 2, SHAPE(0, -1), r), WG_ERR_VALUE,
                "cannot reshape array of size 0 into shape (0,newaxis)");
    CHECK_ERROR(wgL_resolve_shape(c_, 6, 2, SHAPE(-1, 0), r), WG_ERR_VALUE,
                "cannot reshape array of size 6 into shape (0)"); /* sic: NumPy drops a leading -1 */
    CHECK_ERROR(wgL_resolve_shape(c_, 6, 0, NULL, r), WG_ERR_VALUE,
                "cannot reshape array of size 6 into shape ()");
    CHECK_ERROR(wgL_resolve_shape(c_, 6, 4, SHAPE(4611686018427387904LL, 4611686018427387904LL, 0, -1), r),
                WG_ERR_VALUE,
                "cannot reshape array of size 6 into shape (4611686018427387904,4611686018427387904,0,newaxis)");
    CHECK_ERROR(wgL_resolve_shape(c_, 1, 17, SHAPE(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), r),
                WG_ERR_VALUE, "maximum supported dimension for an ndarray is currently 16, found 17");
}

static wg_layout mk(int ndim, const int64_t *shape, const int64_t *strides, int64_t offset) {
    wg_layout l;
    l.ndim = ndim;
    l.offset = offset;
    for (int d = 0; d < ndim; d++) { l.shape[d] = shape[d]; l.strides[d] = strides[d]; }
    return l;
}

WG_TEST(layout_reshape_view_cases) {
    wg_layout out, a_s = mk(2, SHAPE(3, 2), SHAPE(4, 2), 0); /* A[:, ::2], A = arange(12).reshape(3,4) */
    wg_layout b = mk(2, SHAPE(6, 2), SHAPE(1, 12), 0);       /* arange(24).reshape(4,6)[::2].T */
    wg_layout A = cont(2, SHAPE(3, 4)), AT = mk(2, SHAPE(4, 3), SHAPE(1, 4), 0);
    WG_CHECK(wgL_reshape_view(&a_s, 1, SHAPE(6), 'C', &out));
    CHECK_LAYOUT(&out, 1, SHAPE(6), SHAPE(2));
    WG_CHECK(wgL_reshape_view(&a_s, 3, SHAPE(3, 1, 2), 'C', &out));
    CHECK_LAYOUT(&out, 3, SHAPE(3, 1, 2), SHAPE(4, 4, 2));
    WG_CHECK(wgL_reshape_view(&a_s, 4, SHAPE(1, 3, 2, 1), 'C', &out));
    CHECK_LAYOUT(&out, 4, SHAPE(1, 3, 2, 1), SHAPE(12, 4, 2, 2));
    WG_CHECK(wgL_reshape_view(&b, 3, SHAPE(2, 3, 2), 'C', &out));
    CHECK_LAYOUT(&out, 3, SHAPE(2, 3, 2), SHAPE(3, 1, 12));
    WG_CHECK(wgL_reshape_view(&b, 3, SHAPE(2, 3, 2), 'F', &out));
    CHECK_LAYOUT(&out, 3, SHAPE(2, 3, 2), SHAPE(1, 2, 12));
    WG_CHECK(wgL_reshape_view(&b, 4, SHAPE(3, 2, 2, 1), 'C', &out));
    CHECK_LAYOUT(&out, 4, SHAPE(3, 2, 2, 1), SHAPE(2, 1, 12, 12));
    WG_CHECK(wgL_reshape_view(&b, 4, SHAPE(3, 2, 2, 1), 'F', &out));
    CHECK_LAYOUT(&out, 4, SHAPE(3, 2, 2, 1), SHAPE(1, 3, 12, 24));
    WG_CHECK(!wgL_reshape_view(&b, 1, SHAPE(12), 'C', &out));
    WG_CHECK(!wgL_reshape_view(&b, 1, SHAPE(12), 'F', &out));
    WG_CHECK(!wgL_reshape_view(&AT, 1, SHAPE(12), 'C', &out));
    WG_CHECK(wgL_reshape_view(&AT, 1, SHAPE(12), 'F', &out));
    CHECK_LAYOUT(&out, 1, SHAPE(12), SHAPE(1));
    WG_CHECK(wgL_reshape_view(&AT, 2, SHAPE(2, 6), 'F', &out));
    CHECK_LAYOUT(&out, 2, SHAPE(2, 6), SHAPE(1, 2));
    WG_CHECK(!wgL_reshape_view(&A, 2, SHAPE(2, 6), 'F', &out));
    WG_CHECK(wgL_reshape_view(&A, 2, SHAPE(2, 6), 'A', &out));
    CHECK_LAYOUT(&out, 2, SHAPE(2, 6), SHAPE(6, 1));
    WG_CHECK(wgL_reshape_view(&AT, 2, SHAPE(2, 6), 'A', &out));
    CHECK_LAYOUT(&out, 2, SHAPE(2, 6), SHAPE(1, 2));
    /* size 0: always a view, with fresh strides */
    {
        wg_layout e = mk(2, SHAPE(0, 2), SHAPE(4, 2), 0);
        WG_CHECK(wgL_reshape_view(&e, 2, SHAPE(2, 0), 'C', &out));
        CHECK_LAYOUT(&out, 2, SHAPE(2, 0), SHAPE(1, 1));
        WG_CHECK(wgL_reshape_view(&e, 3, SHAPE(0, 5, 2), 'F', &out));
        CHECK_LAYOUT(&out, 3, SHAPE(0, 5, 2), SHAPE(1, 1, 5));
    }
    /* size 1 */
    {
        wg_layout s = mk(2, SHAPE(1, 1), SHAPE(4, 1), 6);
        WG_CHECK(wgL_reshape_view(&s, 1, SHAPE(1), 'C', &out));
        CHECK_LAYOUT(&out, 1, SHAPE(1), SHAPE(1));
        WG_CHECK_EQ_INT(out.offset, 6);
        WG_CHECK(wgL_reshape_view(&s, 0, NULL, 'C', &out));
        WG_CHECK_EQ_INT(out.ndim, 0);
        WG_CHECK_EQ_INT(out.offset, 6);
    }
    /* the same shape: a plain view keeping the strides */
    {
        wg_layout s = mk(2, SHAPE(2, 2), SHAPE(8, 3), 0);
        WG_CHECK(wgL_reshape_view(&s, 2, SHAPE(2, 2), 'C', &out));
        CHECK_LAYOUT(&out, 2, SHAPE(2, 2), SHAPE(8, 3));
    }
    /* negative strides */
    {
        wg_layout r = mk(2, SHAPE(3, 4), SHAPE(-4, 1), 8), c = mk(2, SHAPE(3, 4), SHAPE(4, -1), 3);
        WG_CHECK(!wgL_reshape_view(&r, 1, SHAPE(12), 'C', &out));
        WG_CHECK(wgL_reshape_view(&r, 3, SHAPE(3, 2, 2), 'C', &out));
        CHECK_LAYOUT(&out, 3, SHAPE(3, 2, 2), SHAPE(-4, 2, 1));
        WG_CHECK_EQ_INT(out.offset, 8);
        WG_CHECK(wgL_reshape_view(&c, 3, SHAPE(3, 2, 2), 'C', &out));
        CHECK_LAYOUT(&out, 3, SHAPE(3, 2, 2), SHAPE(4, -2, -1));
        WG_CHECK_EQ_INT(out.offset, 3);
        WG_CHECK(!wgL_reshape_view(&c, 2, SHAPE(6, 2), 'C', &out));
    }
    /* length-1 axes with arbitrary strides */
    {
        wg_layout n = mk(4, SHAPE(1, 3, 1, 2), SHAPE(0, 4, 0, 2), 0);
        WG_CHECK(wgL_reshape_view(&n, 2, SHAPE(3, 2), 'C', &out));
        CHECK_LAYOUT(&out, 2, SHAPE(3, 2), SHAPE(4, 2));
        WG_CHECK(wgL_reshape_view(&n, 4, SHAPE(3, 1, 2, 1), 'F', &out));
        CHECK_LAYOUT(&out, 4, SHAPE(3, 1, 2, 1), SHAPE(4, 2, 2, 4));
    }
}

/* ---- squeeze / expand_dims --------------------------------------------------------------- */

WG_TEST(layout_squeeze_expand) {
    wg_layout l = mk(3, SHAPE(1, 3, 1), SHAPE(7, 2, 9), 4), out;
    wg_layout A = cont(2, SHAPE(3, 4)), b = mk(2, SHAPE(6, 2), SHAPE(1, 12), 0);
    wg_layout as = mk(2, SHAPE(3, 2), SHAPE(4, 2), 0);
    WG_CHECK_EQ_INT(wgL_squeeze(NULL, &l, -1, NULL, &out), WG_OK);
    CHECK_LAYOUT(&out, 1, SHAPE(3), SHAPE(2));
    WG_CHECK_EQ_INT(out.offset, 4);
    WG_CHECK_EQ_INT(wgL_squeeze(NULL, &l, 1, SHAPE(-1), &out), WG_OK);
    CHECK_LAYOUT(&out, 2, SHAPE(1, 3), SHAPE(7, 2));
    WG_CHECK_EQ_INT(wgL_squeeze(NULL, &l, 0, NULL, &out), WG_OK);
    CHECK_LAYOUT(&out, 3, SHAPE(1, 3, 1), SHAPE(7, 2, 9));
    CHECK_ERROR(wgL_squeeze(c_, &l, 1, SHAPE(1), &out), WG_ERR_VALUE,
                "cannot select an axis to squeeze out which has size not equal to one");
    CHECK_ERROR(wgL_squeeze(c_, &l, 1, SHAPE(3), &out), WG_ERR_AXIS,
                "axis 3 is out of bounds for array of dimension 3");
    CHECK_ERROR(wgL_squeeze(c_, &l, 2, SHAPE(0, 0), &out), WG_ERR_VALUE, "duplicate value in 'axis'");
    CHECK_ERROR(wgL_squeeze(c_, &l, 3, SHAPE(1, 0, 0), &out), WG_ERR_VALUE, "duplicate value in 'axis'");
    CHECK_ERROR(wgL_squeeze(c_, &l, 2, SHAPE(1, 5), &out), WG_ERR_AXIS,
                "axis 5 is out of bounds for array of dimension 3");

    /* expand_dims strides are NumPy's (a reshape) */
    WG_CHECK_EQ_INT(wgL_expand_dims(NULL, &A, 1, SHAPE(0), &out), WG_OK);
    CHECK_LAYOUT(&out, 3, SHAPE(1, 3, 4), SHAPE(12, 4, 1));
    WG_CHECK_EQ_INT(wgL_expand_dims(NULL, &b, 1, SHAPE(0), &out), WG_OK);
    CHECK_LAYOUT(&out, 3, SHAPE(1, 6, 2), SHAPE(6, 1, 12));
    WG_CHECK_EQ_INT(wgL_expand_dims(NULL, &as, 2, SHAPE(0, 3), &out), WG_OK);
    CHECK_LAYOUT(&out, 4, SHAPE(1, 3, 2, 1), SHAPE(12, 4, 2, 2));
    WG_CHECK_EQ_INT(wgL_expand_dims(NULL, &b, 2, SHAPE(0, 3), &out), WG_OK);
    CHECK_LAYOUT(&out, 4, SHAPE(1, 6, 2, 1), SHAPE(6, 1, 12, 12));
    WG_CHECK_EQ_INT(wgL_expand_dims(NULL, &b, 1, SHAPE(-1), &out), WG_OK);
    CHECK_LAYOUT(&out, 3, SHAPE(6, 2, 1), SHAPE(1, 12, 12));
    WG_CHECK_EQ_INT(wgL_expand_dims(NULL, &b, 2, SHAPE(1, 2), &out), WG_OK);
    CHECK_LAYOUT(&out, 4, SHAPE(6, 1, 1, 2), SHAPE(1, 24, 24, 12));
    WG_CHECK_EQ_INT(wgL_expand_dims(NULL, &A, 2, SHAPE(2, 1), &out), WG_OK);
    CHECK_LAYOUT(&out, 4, SHAPE(3, 1, 1, 4), SHAPE(4, 4, 4, 1));
    CHECK_ERROR(wgL_expand_dims(c_, &A, 2, SHAPE(0, 0), &out), WG_ERR_VALUE, "repeated axis");
    CHECK_ERROR(wgL_expand_dims(c_, &A, 2, SHAPE(0, -4), &out), WG_ERR_VALUE, "repeated axis");
    CHECK_ERROR(wgL_expand_dims(c_, &A, 1, SHAPE(4), &out), WG_ERR_AXIS,
                "axis 4 is out of bounds for array of dimension 3");
    {
        int64_t ax[15];
        for (int i = 0; i < 15; i++) ax[i] = i;
        CHECK_ERROR(wgL_expand_dims(c_, &A, 15, ax, &out), WG_ERR_VALUE,
                    "maximum supported dimension for an ndarray is currently 16, found 17");
    }
}

/* ---- broadcasting ------------------------------------------------------------------------ */

static int bshape(wg_context *c, int n, const wg_layout *ls, int *nd, int64_t *shape) {
    const wg_layout *p[8];
    for (int i = 0; i < n; i++) p[i] = &ls[i];
    return wgL_broadcast_shapes(c, n, p, nd, shape);
}

WG_TEST(layout_broadcast) {
    int nd;
    int64_t s[WG_MAX_NDIM];
    wg_layout out;
    {
        wg_layout ls[3] = {cont(3, SHAPE(2, 1, 3)), cont(2, SHAPE(4, 1)), cont(1, SHAPE(1))};
        WG_CHECK_EQ_INT(bshape(NULL, 3, ls, &nd, s), WG_OK);
        WG_CHECK_EQ_INT(nd, 3);
        WG_CHECK(s[0] == 2 && s[1] == 4 && s[2] == 3);
    }
    {
        wg_layout ls[2] = {cont(1, SHAPE(0)), cont(1, SHAPE(1))};
        WG_CHECK_EQ_INT(bshape(NULL, 2, ls, &nd, s), WG_OK);
        WG_CHECK(nd == 1 && s[0] == 0);
    }
    {
        wg_layout ls[2] = {cont(0, NULL), cont(3, SHAPE(2, 0, 3))};
        WG_CHECK_EQ_INT(bshape(NULL, 2, ls, &nd, s), WG_OK);
        WG_CHECK(nd == 3 && s[0] == 2 && s[1] == 0 && s[2] == 3);
        WG_CHECK_EQ_INT(bshape(NULL, 1, ls, &nd, s), WG_OK);
        WG_CHECK_EQ_INT(nd, 0);
    }
    {
        wg_layout ls[2] = {cont(2, SHAPE(2, 3)), cont(1, SHAPE(4))};
        CHECK_ERROR(bshape(c_, 2, ls, &nd, s), WG_ERR_VALUE,
                    "operands could not be broadcast together with shapes (2,3) (4,) ");
    }
    {
        wg_layout ls[3] = {cont(0, NULL), cont(2, SHAPE(2, 0)), cont(1, SHAPE(3))};
        CHECK_ERROR(bshape(c_, 3, ls, &nd, s), WG_ERR_VALUE,
                    "operands could not be broadcast together with shapes () (2,0) (3,) ");
    }
    /* broadcast_to: stride 0 on new axes and on axes of length 1 */
    {
        wg_layout in = mk(2, SHAPE(2, 1), SHAPE(2, 1), 5); /* np.empty((3,1))[::2] */
        WG_CHECK_EQ_INT(wgL_broadcast_to(NULL, &in, 3, SHAPE(4, 2, 5), &out), WG_OK);
        CHECK_LAYOUT(&out, 3, SHAPE(4, 2, 5), SHAPE(0, 2, 0));
        WG_CHECK_EQ_INT(out.offset, 5);
        WG_CHECK(wgL_has_broadcast(&out));
        in = mk(2, SHAPE(1, 1), SHAPE(1, 1), 0);
        WG_CHECK_EQ_INT(wgL_broadcast_to(NULL, &in, 3, SHAPE(3, 1, 5), &out), WG_OK);
        CHECK_LAYOUT(&out, 3, SHAPE(3, 1, 5), SHAPE(0, 0, 0));
        in = cont(0, NULL);
        WG_CHECK_EQ_INT(wgL_broadcast_to(NULL, &in, 1, SHAPE(0), &out), WG_OK);
        CHECK_LAYOUT(&out, 1, SHAPE(0), SHAPE(0));
    }
    {
        wg_layout in = cont(1, SHAPE(3)), in2 = cont(2, SHAPE(2, 1));
        CHECK_ERROR(wgL_broadcast_to(c_, &in, 1, SHAPE(4), &out), WG_ERR_VALUE,
                    "operands could not be broadcast together with remapped shapes [original->remapped]: "
                    "(3,)  and requested shape (4,)");
        CHECK_ERROR(wgL_broadcast_to(c_, &in2, 3, SHAPE(3, 5, 3), &out), WG_ERR_VALUE,
                    "operands could not be broadcast together with remapped shapes [original->remapped]: "
                    "(2,1)  and requested shape (3,5,3)");
        CHECK_ERROR(wgL_broadcast_to(c_, &in2, 1, SHAPE(3), &out), WG_ERR_VALUE,
                    "input operand has more dimensions than allowed by the axis remapping");
        CHECK_ERROR(wgL_broadcast_to(c_, &in, 0, NULL, &out), WG_ERR_VALUE,
                    "cannot broadcast a non-scalar to a scalar array");
        CHECK_ERROR(wgL_broadcast_to(c_, &in, 2, SHAPE(-1, 3), &out), WG_ERR_VALUE,
                    "all elements of broadcast shape must be non-negative");
    }
}

/* ---- coalescing -------------------------------------------------------------------------- */

WG_TEST(layout_coalesce_cases) {
    wg_layout a = cont(3, SHAPE(2, 3, 4)), b, c;
    wg_layout *ls[3] = {&a, &b, &c};
    wgL_coalesce(1, ls);
    CHECK_LAYOUT(&a, 1, SHAPE(24), SHAPE(1));
    /* a C-contiguous and a broadcast operand: the broadcast axis stays apart */
    a = cont(3, SHAPE(2, 3, 4));
    b = mk(3, SHAPE(2, 3, 4), SHAPE(0, 4, 1), 7);
    wgL_coalesce(2, ls);
    CHECK_LAYOUT(&a, 2, SHAPE(2, 12), SHAPE(12, 1));
    CHECK_LAYOUT(&b, 2, SHAPE(2, 12), SHAPE(0, 1));
    WG_CHECK_EQ_INT(b.offset, 7);
    /* length-1 axes go; a reversed axis merges with a reversed one */
    a = mk(4, SHAPE(3, 1, 4, 1), SHAPE(-4, 99, -1, 5), 11);
    wgL_coalesce(1, ls);
    CHECK_LAYOUT(&a, 1, SHAPE(12), SHAPE(-1));
    /* C and F layouts never merge */
    a = cont(2, SHAPE(3, 4));
    wgL_contiguous(&b, 2, SHAPE(3, 4), 'F');
    wgL_coalesce(2, ls);
    CHECK_LAYOUT(&a, 2, SHAPE(3, 4), SHAPE(4, 1));
    CHECK_LAYOUT(&b, 2, SHAPE(3, 4), SHAPE(1, 3));
    /* empty and all-ones shapes */
    a = cont(3, SHAPE(2, 0, 3));
    b = cont(3, SHAPE(2, 0, 3));
    wgL_coalesce(2, ls);
    CHECK_LAYOUT(&a, 1, SHAPE(0), SHAPE(0));
    CHECK_LAYOUT(&b, 1, SHAPE(0), SHAPE(0));
    a = mk(2, SHAPE(1, 1), SHAPE(3, 3), 2);
    wgL_coalesce(1, ls);
    CHECK_LAYOUT(&a, 1, SHAPE(1), SHAPE(0));
    WG_CHECK_EQ_INT(a.offset, 2);
    a = cont(0, NULL);
    wgL_coalesce(1, ls);
    WG_CHECK_EQ_INT(a.ndim, 0);
    /* three layouts */
    a = cont(3, SHAPE(2, 3, 4));
    b = mk(3, SHAPE(2, 3, 4), SHAPE(24, 8, 2), 0);
    c = mk(3, SHAPE(2, 3, 4), SHAPE(12, 4, 1), 0);
    wgL_coalesce(3, ls);
    CHECK_LAYOUT(&a, 1, SHAPE(24), SHAPE(1));
    CHECK_LAYOUT(&b, 1, SHAPE(24), SHAPE(2));
    CHECK_LAYOUT(&c, 1, SHAPE(24), SHAPE(1));
}

/* ---- properties against brute force ------------------------------------------------------ */

static uint64_t rng_state;
static void seed(uint64_t s) { rng_state = s * 0x9E3779B97F4A7C15ULL + 1; }
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static int64_t rint_in(int64_t lo, int64_t hi) { return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1)); }

/* Element offsets of a layout in C order (at most cap). */
static int64_t offsets_c(const wg_layout *l, int64_t *off, int64_t cap) {
    int64_t n = wgL_size(l), idx[WG_MAX_NDIM] = {0};
    if (n > cap) return -1;
    for (int64_t k = 0; k < n; k++) {
        int64_t o = l->offset;
        for (int d = 0; d < l->ndim; d++) o += idx[d] * l->strides[d];
        off[k] = o;
        for (int d = l->ndim - 1; d >= 0; d--) {
            if (++idx[d] < l->shape[d]) break;
            idx[d] = 0;
        }
    }
    return n;
}

/* Python's slice semantics written out from the language reference, one position at a time. */
static int py_slice(int64_t len, int64_t start, int64_t stop, int64_t step, int64_t *pos) {
    int n = 0;
    int64_t i, j;
    if (step > 0) {
        i = start == NONE ? 0 : start < 0 ? start + len : start;
        j = stop == NONE ? len : stop < 0 ? stop + len : stop;
        if (i < 0) i = 0;
        for (int64_t x = i; x < j && x < len; x += step) pos[n++] = x;
    } else {
        i = start == NONE ? len - 1 : start < 0 ? start + len : start;
        j = stop == NONE ? -1 : stop < 0 ? stop + len : stop;
        if (j < -1) j = -1;
        if (i >= len) i = len - 1;
        for (int64_t x = i; x > j && x >= 0; x += step) pos[n++] = x;
    }
    return n;
}

/* Reference basic indexing: returns a status and fills the element offsets of the result. */
static int ref_index(const wg_layout *in, int nitems, const int64_t *it, int *ndim, int64_t *shape,
                     int64_t *off, int64_t *count) {
    int nell = 0, used = 0;
    /* per output axis: which input axis (or -1 for a new axis), and the positions it takes */
    int src[WG_MAX_NDIM + 8];
    int64_t pos[WG_MAX_NDIM + 8][16];
    int64_t fixed[WG_MAX_NDIM];
    int isfixed[WG_MAX_NDIM] = {0};
    int nout = 0, axis = 0;
    for (int k = 0; k < nitems; k++) {
        if (it[4 * k] == WG_IDX_ELLIPSIS) nell++;
        if (it[4 * k] == WG_IDX_INT || it[4 * k] == WG_IDX_SLICE) used++;
    }
    if (nell > 1) return WG_ERR_INDEX;
    if (used > in->ndim) return WG_ERR_INDEX;
    for (int k = 0; k <= nitems; k++) {
        int type = k < nitems ? (int)it[4 * k] : (nell ? -1 : WG_IDX_ELLIPSIS);
        if (type == WG_IDX_INT) {
            int64_t i = it[4 * k + 1];
            if (i < 0) i += in->shape[axis];
            if (i < 0 || i >= in->shape[axis]) return WG_ERR_INDEX;
            fixed[axis] = i;
            isfixed[axis++] = 1;
        } else if (type == WG_IDX_SLICE) {
            int64_t step = it[4 * k + 3] == NONE ? 1 : it[4 * k + 3];
            if (step == 0) return WG_ERR_VALUE;
            src[nout] = axis;
            shape[nout] = py_slice(in->shape[axis], it[4 * k + 1], it[4 * k + 2], step, pos[nout]);
            nout++;
            axis++;
        } else if (type == WG_IDX_NEWAXIS) {
            src[nout] = -1;
            shape[nout] = 1;
            pos[nout][0] = 0;
            nout++;
        } else if (type == WG_IDX_ELLIPSIS) {
            int n = in->ndim - used;
            for (int j = 0; j < n; j++, axis++) {
                src[nout] = axis;
                shape[nout] = in->shape[axis];
                for (int64_t p = 0; p < in->shape[axis]; p++) pos[nout][p] = p;
                nout++;
            }
        }
    }
    *ndim = nout;
    {
        int64_t idx[WG_MAX_NDIM + 8] = {0}, n = 1;
        for (int d = 0; d < nout; d++) n *= shape[d];
        for (int64_t k = 0; k < n; k++) {
            int64_t o = in->offset;
            for (int a = 0; a < in->ndim; a++)
                if (isfixed[a]) o += fixed[a] * in->strides[a];
            for (int d = 0; d < nout; d++)
                if (src[d] >= 0) o += pos[d][idx[d]] * in->strides[src[d]];
            off[k] = o;
            for (int d = nout - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        *count = n;
    }
    return WG_OK;
}

static wg_layout random_layout(int maxnd, int64_t maxdim) {
    wg_layout l;
    l.ndim = (int)rint_in(0, maxnd);
    l.offset = rint_in(0, 1000);
    for (int d = 0; d < l.ndim; d++) {
        l.shape[d] = rint_in(0, maxdim);
        l.strides[d] = rint_in(-30, 30);
    }
    return l;
}

static int64_t random_bound(void) {
    return rnd() % 4 == 0 ? NONE : rint_in(-7, 7);
}

WG_TEST(layout_index_property) {
    seed(1);
    static int64_t got[1 << 14], want[1 << 14];
    int mismatches = 0, ok = 0, errors = 0;
    for (int iter = 0; iter < 20000 && mismatches < 5; iter++) {
        wg_layout in = random_layout(4, 4), out;
        int nitems = (int)rint_in(0, in.ndim + 2), ndim = 0, st, rst;
        int64_t items[4 * 8], shape[WG_MAX_NDIM + 8], n = 0, m;
        for (int k = 0; k < nitems; k++) {
            int64_t *it = items + 4 * k;
            uint64_t r = rnd() % 20;
            it[1] = it[2] = it[3] = 0;
            if (r < 8) {
                it[0] = WG_IDX_SLICE;
                it[1] = random_bound();
                it[2] = random_bound();
                it[3] = rnd() % 3 == 0 ? NONE : rint_in(-4, 4);
                if (it[3] == 0 && rnd() % 4) it[3] = 1; /* zero steps: rarely */
            } else if (r < 14) {
                it[0] = WG_IDX_INT;
                it[1] = rint_in(-5, 4);
            } else if (r < 17) {
                it[0] = WG_IDX_NEWAXIS;
            } else {
                it[0] = WG_IDX_ELLIPSIS;
            }
        }
        st = wgL_index(fresh(), &in, nitems, items, &out);
        rst = ref_index(&in, nitems, items, &ndim, shape, want, &n);
        if (st != rst) {
            wgt_fail(__FILE__, __LINE__, "iteration %d: status %d, reference %d", iter, st, rst);
            mismatches++;
            continue;
        }
        WG_CHECK_EQ_INT(ctx_.status, st);
        if (st != WG_OK) {
            errors++;
            continue;
        }
        ok++;
        if (out.ndim != ndim) {
            wgt_fail(__FILE__, __LINE__, "iteration %d: ndim %d, reference %d", iter, out.ndim, ndim);
            mismatches++;
            continue;
        }
        for (int d = 0; d < ndim; d++)
            if (out.shape[d] != shape[d]) {
                wgt_fail(__FILE__, __LINE__, "iteration %d: shape[%d] %lld, reference %lld", iter, d,
                         (long long)out.shape[d], (long long)shape[d]);
                mismatches++;
            }
        m = offsets_c(&out, got, 1 << 14);
        WG_CHECK_EQ_INT(m, n);
        for (int64_t k = 0; k < n && k < m; k++)
            if (got[k] != want[k]) {
                wgt_fail(__FILE__, __LINE__, "iteration %d: element %lld at %lld, reference %lld", iter,
                         (long long)k, (long long)got[k], (long long)want[k]);
                mismatches++;
                break;
            }
    }
    WG_CHECK(ok > 5000 && errors > 2000);
}

/* Element offsets in F order: those of the axis-reversed layout in C order. */
static int64_t offsets_order(const wg_layout *l, int order, int64_t *off, int64_t cap) {
    wg_layout r;
    if (order != 'F') return offsets_c(l, off, cap);
    wgL_transpose(NULL, l, 0, NULL, &r);
    return offsets_c(&r, off, cap);
}

/* Could some strided layout of `shape` produce these offsets (in the given order)? */
static int view_exists(const int64_t *off, int ndim, const int64_t *shape, int order) {
    wg_layout t;
    int64_t chk[4096], n;
    t.ndim = ndim;
    t.offset = off[0];
    for (int d = 0; d < ndim; d++) {
        /* the element one step along axis d from the origin */
        int64_t stride_elems = 1;
        if (order == 'F') for (int e = 0; e < d; e++) stride_elems *= shape[e];
        else for (int e = d + 1; e < ndim; e++) stride_elems *= shape[e];
        t.shape[d] = shape[d];
        t.strides[d] = shape[d] > 1 ? off[stride_elems] - off[0] : 0;
    }
    n = offsets_order(&t, order, chk, 4096);
    for (int64_t k = 0; k < n; k++)
        if (chk[k] != off[k]) return 0;
    return 1;
}

WG_TEST(layout_reshape_property) {
    seed(2);
    static int64_t a[4096], b[4096];
    int bad = 0, views = 0, copies = 0;
    for (int iter = 0; iter < 20000 && bad < 5; iter++) {
        /* a strided view of a contiguous base: transpose, then slice */
        int64_t base_shape[4], shape[WG_MAX_NDIM], size, f[16];
        int nd = (int)rint_in(1, 4), nf = 0, newnd, order = rnd() % 2 ? 'F' : 'C';
        wg_layout l, t, out;
        int64_t perm[4], items[16];
        for (int d = 0; d < nd; d++) base_shape[d] = rint_in(1, 5);
        l = cont(nd, base_shape);
        for (int d = 0; d < nd; d++) perm[d] = d;
        for (int d = nd - 1; d > 0; d--) {
            int j = (int)rint_in(0, d);
            int64_t x = perm[d]; perm[d] = perm[j]; perm[j] = x;
        }
        wgL_transpose(NULL, &l, nd, perm, &t);
        for (int d = 0; d < nd; d++) {
            items[4 * d] = WG_IDX_SLICE;
            items[4 * d + 1] = rnd() % 2 ? NONE : rint_in(0, 2);
            items[4 * d + 2] = NONE;
            items[4 * d + 3] = rnd() % 3 ? 1 : (rnd() % 2 ? 2 : -1);
        }
        if (wgL_index(NULL, &t, nd, items, &l) != WG_OK) continue;
        size = wgL_size(&l);
        if (size == 0 || size > 4096) continue;
        /* a random shape of the same size: its prime factors grouped at random, with some ones */
        {
            int64_t s = size;
            for (int64_t p = 2; p <= s; p++)
                while (s % p == 0) { f[nf++] = p; s /= p; }
            for (int i = nf - 1; i > 0; i--) {
                int j = (int)rint_in(0, i);
                int64_t x = f[i]; f[i] = f[j]; f[j] = x;
            }
            newnd = 0;
            for (int i = 0; i < nf; i++) {
                if (newnd == 0 || (newnd < WG_MAX_NDIM && rnd() % 2)) shape[newnd++] = f[i];
                else shape[newnd - 1] *= f[i];
                if (newnd < WG_MAX_NDIM && rnd() % 5 == 0) shape[newnd++] = 1;
            }
        }
        offsets_order(&l, order, a, 4096);
        if (wgL_reshape_view(&l, newnd, shape, order, &out)) {
            views++;
            WG_CHECK_EQ_INT(out.ndim, newnd);
            offsets_order(&out, order, b, 4096);
            if (memcmp(a, b, (size_t)size * sizeof a[0]) != 0) {
                wgt_fail(__FILE__, __LINE__, "iteration %d: the view reads other elements", iter);
                print_layout("in", &l);
                print_layout("out", &out);
                bad++;
            }
        } else {
            copies++;
            if (view_exists(a, newnd, shape, order)) {
                wgt_fail(__FILE__, __LINE__, "iteration %d: a view was possible", iter);
                print_layout("in", &l);
                bad++;
            }
        }
    }
    WG_CHECK(views > 1000 && copies > 1000);
}

WG_TEST(layout_coalesce_property) {
    seed(3);
    static int64_t before[3][1 << 12], after[1 << 12];
    for (int iter = 0; iter < 5000; iter++) {
        int n = (int)rint_in(1, 3);
        wg_layout ls[3], *p[3];
        int64_t cnt;
        ls[0] = random_layout(5, 3);
        if (wgL_size(&ls[0]) > (1 << 12)) continue;
        for (int i = 1; i < n; i++) {
            ls[i] = ls[0];
            /* strides that often chain: contiguous in some order, sometimes broken */
            if (rnd() % 2) {
                int64_t s = (int64_t)rint_in(-2, 2);
                for (int d = ls[i].ndim - 1; d >= 0; d--) {
                    ls[i].strides[d] = s;
                    s *= ls[i].shape[d] ? ls[i].shape[d] : 1;
                }
            }
        }
        if (rnd() % 2) { /* make layout 0 chain too */
            int64_t s = 1;
            for (int d = ls[0].ndim - 1; d >= 0; d--) {
                ls[0].strides[d] = s;
                s *= ls[0].shape[d] ? ls[0].shape[d] : 1;
            }
        }
        for (int i = 0; i < n; i++) {
            p[i] = &ls[i];
            cnt = offsets_c(&ls[i], before[i], 1 << 12);
        }
        wgL_coalesce(n, p);
        for (int i = 0; i < n; i++) {
            int64_t c2 = offsets_c(&ls[i], after, 1 << 12);
            WG_CHECK_EQ_INT(c2, cnt);
            WG_CHECK_EQ_INT(ls[i].ndim, ls[0].ndim);
            if (c2 == cnt && memcmp(before[i], after, (size_t)cnt * sizeof after[0]) != 0)
                wgt_fail(__FILE__, __LINE__, "iteration %d: coalescing changed the mapping", iter);
        }
        /* no two adjacent axes left that could merge */
        for (int d = 1; d < ls[0].ndim; d++) {
            int all = 1;
            for (int i = 0; i < n; i++)
                all &= ls[i].strides[d - 1] == ls[i].strides[d] * ls[i].shape[d];
            WG_CHECK(!all || ls[0].shape[d] == 1);
        }
    }
}

/* transpose then transpose back; swapaxes twice; moveaxis and its inverse */
WG_TEST(layout_transpose_property) {
    seed(4);
    for (int iter = 0; iter < 2000; iter++) {
        wg_layout l = random_layout(6, 4), t, u;
        int64_t perm[WG_MAX_NDIM], inv[WG_MAX_NDIM];
        int nd = l.ndim;
        for (int d = 0; d < nd; d++) perm[d] = d;
        for (int d = nd - 1; d > 0; d--) {
            int j = (int)rint_in(0, d);
            int64_t x = perm[d]; perm[d] = perm[j]; perm[j] = x;
        }
        for (int d = 0; d < nd; d++) inv[perm[d]] = d - (rnd() % 2 ? nd : 0); /* negative axes too */
        WG_CHECK_EQ_INT(wgL_transpose(NULL, &l, nd, perm, &t), WG_OK);
        for (int d = 0; d < nd; d++) WG_CHECK_EQ_INT(t.shape[d], l.shape[perm[d]]);
        WG_CHECK_EQ_INT(wgL_transpose(NULL, &t, nd, inv, &u), WG_OK);
        WG_CHECK(memcmp(&u, &l, sizeof l) == 0 || (layout_is(&u, nd, l.shape, l.strides) && u.offset == l.offset));
        if (nd >= 1) {
            int64_t a0 = rint_in(-nd, nd - 1), a1 = rint_in(-nd, nd - 1);
            WG_CHECK_EQ_INT(wgL_swapaxes(NULL, &l, a0, a1, &t), WG_OK);
            WG_CHECK_EQ_INT(wgL_swapaxes(NULL, &t, a1, a0, &u), WG_OK);
            WG_CHECK(layout_is(&u, nd, l.shape, l.strides));
            WG_CHECK_EQ_INT(wgL_moveaxis(NULL, &l, 1, &a0, &a1, &t), WG_OK);
            WG_CHECK_EQ_INT(wgL_moveaxis(NULL, &t, 1, &a1, &a0, &u), WG_OK);
            WG_CHECK(layout_is(&u, nd, l.shape, l.strides));
        }
    }
}

/* np.diagonal as a view: the diagonal appended last, stride s1 + s2, offset moved to (0,k) or
 * (-k,0); lengths clamp at 0; NumPy's errors */
WG_TEST(layout_diagonal) {
    wg_layout a = cont(2, SHAPE(3, 4)), b = cont(3, SHAPE(2, 3, 4)), out;
    WG_CHECK_EQ_INT(wgL_diagonal(NULL, &a, 0, 0, 1, &out), WG_OK);
    CHECK_LAYOUT(&out, 1, SHAPE(3), SHAPE(5));
    WG_CHECK_EQ_INT((int)out.offset, 0);
    WG_CHECK_EQ_INT(wgL_diagonal(NULL, &a, 2, 0, 1, &out), WG_OK);
    CHECK_LAYOUT(&out, 1, SHAPE(2), SHAPE(5));
    WG_CHECK_EQ_INT((int)out.offset, 2);
    WG_CHECK_EQ_INT(wgL_diagonal(NULL, &a, -1, 0, 1, &out), WG_OK);
    CHECK_LAYOUT(&out, 1, SHAPE(2), SHAPE(5));
    WG_CHECK_EQ_INT((int)out.offset, 4);
    WG_CHECK_EQ_INT(wgL_diagonal(NULL, &a, 1, 1, 0, &out), WG_OK); /* swapped axes: (1,0) */
    CHECK_LAYOUT(&out, 1, SHAPE(2), SHAPE(5));
    WG_CHECK_EQ_INT((int)out.offset, 4);
    WG_CHECK_EQ_INT(wgL_diagonal(NULL, &a, 4, 0, 1, &out), WG_OK);
    CHECK_LAYOUT(&out, 1, SHAPE(0), SHAPE(5));
    WG_CHECK_EQ_INT(wgL_diagonal(NULL, &a, -7, 0, 1, &out), WG_OK);
    CHECK_LAYOUT(&out, 1, SHAPE(0), SHAPE(5));
    WG_CHECK_EQ_INT(wgL_diagonal(NULL, &b, 1, 0, 2, &out), WG_OK);
    CHECK_LAYOUT(&out, 2, SHAPE(3, 2), SHAPE(4, 13));
    WG_CHECK_EQ_INT((int)out.offset, 1);
    WG_CHECK_EQ_INT(wgL_diagonal(NULL, &b, 0, -1, -2, &out), WG_OK);
    CHECK_LAYOUT(&out, 2, SHAPE(2, 3), SHAPE(12, 5));
    wg_layout c = cont(1, SHAPE(3));
    CHECK_ERROR(wgL_diagonal(c_, &c, 0, 0, 1, &out), WG_ERR_VALUE,
                "diag requires an array of at least two dimensions");
    CHECK_ERROR(wgL_diagonal(c_, &a, 0, 1, -1, &out), WG_ERR_VALUE,
                "axis1 and axis2 cannot be the same");
    CHECK_ERROR(wgL_diagonal(c_, &a, 0, 0, 2, &out), WG_ERR_AXIS,
                "axis2: axis 2 is out of bounds for array of dimension 2");
    CHECK_ERROR(wgL_diagonal(c_, &a, 0, -3, 1, &out), WG_ERR_AXIS,
                "axis1: axis -3 is out of bounds for array of dimension 2");
}
