/* layout — shape, element strides, offset; broadcasting; views from basic indexing; transposes;
 * reshape-as-view; squeeze/expand_dims; contiguity; index normalization with NumPy's errors.
 * Pure functions over wg_layout: no buffers, no dtypes. */
#ifndef WG_LAYOUT_H
#define WG_LAYOUT_H

#include "../base/base.h"

typedef struct wg_layout {
    int ndim;
    int64_t offset;                 /* in elements */
    int64_t shape[WG_MAX_NDIM];
    int64_t strides[WG_MAX_NDIM];   /* in elements; 0 for broadcast axes; may be negative */
} wg_layout;

WG_INTERNAL void wgL_contiguous(wg_layout *l, int ndim, const int64_t *shape, int order /*'C'/'F'*/);
WG_INTERNAL int64_t wgL_size(const wg_layout *l);
/* NumPy's flags: does the layout touch each element of [offset, offset+size) exactly once, in C
 * (F) order?  Axes of length 1 are ignored; an empty layout is both. */
WG_INTERNAL int wgL_is_c_contiguous(const wg_layout *l);
WG_INTERNAL int wgL_is_f_contiguous(const wg_layout *l);
WG_INTERNAL int wgL_same(const wg_layout *a, const wg_layout *b); /* identical mapping */
/* Any element stride 0 on an axis of length > 1 (a broadcast view: not writeable). */
WG_INTERNAL int wgL_has_broadcast(const wg_layout *l);
/* Smallest and largest element touched (inclusive); size 0 gives lo > hi. */
WG_INTERNAL void wgL_extent(const wg_layout *l, int64_t *lo, int64_t *hi);

/* All return WG_OK or a status set through wgB_error(ctx, ...) with NumPy's message. */
WG_INTERNAL int wgL_broadcast_shapes(wg_context *ctx, int n, const wg_layout *const *ls,
                                     int *ndim, int64_t *shape);
/* View of `in` broadcast to shape (strides 0 on new/expanded axes). */
WG_INTERNAL int wgL_broadcast_to(wg_context *ctx, const wg_layout *in, int ndim,
                                 const int64_t *shape, wg_layout *out);
/* Basic indexing: items as in wgpy.h (4 int64 each).  IndexError for out-of-range ints and too
 * many indices; more than one Ellipsis is an IndexError; slice step 0 is a ValueError. */
WG_INTERNAL int wgL_index(wg_context *ctx, const wg_layout *in, int nitems, const int64_t *items,
                          wg_layout *out);
/* Advanced indexing (integer arrays; issue 10): items as wgL_index plus WG_IDX_ARRAY {4, k, 0, 0}.
 * `view` is the basic part, each advanced item (an array, or an int among arrays: NumPy counts
 * it as a 0-d index array) replaced by a full slice; vdim[j] is the view dimension that the j-th
 * advanced item indexes, src[j] its array number k or -1 for an int (value ival[j], checked and
 * normalized here).  adjacent: the advanced items are consecutive (NumPy keeps the broadcast
 * index dims at their place; otherwise they go first). */
typedef struct wgL_adv {
    wg_layout view;
    int nadv, adjacent;
    int vdim[WG_MAX_NDIM], src[WG_MAX_NDIM], axis[WG_MAX_NDIM]; /* axis: of `in` */
    int64_t ival[WG_MAX_NDIM];
} wgL_adv;
WG_INTERNAL int wgL_adv_index(wg_context *ctx, const wg_layout *in, int nitems,
                              const int64_t *items, wgL_adv *out);
/* axes == NULL: reverse.  AxisError / ValueError("axes don't match array") as NumPy. */
WG_INTERNAL int wgL_transpose(wg_context *ctx, const wg_layout *in, int naxes, const int64_t *axes,
                              wg_layout *out);
WG_INTERNAL int wgL_swapaxes(wg_context *ctx, const wg_layout *in, int64_t a, int64_t b,
                             wg_layout *out);
WG_INTERNAL int wgL_moveaxis(wg_context *ctx, const wg_layout *in, int n, const int64_t *src,
                             const int64_t *dst, wg_layout *out);
/* np.diagonal(offset, axis1, axis2) as a view (the diagonal becomes the last axis). */
WG_INTERNAL int wgL_diagonal(wg_context *ctx, const wg_layout *in, int64_t offset, int64_t axis1,
                             int64_t axis2, wg_layout *out);
/* Resolve -1 and check the size: ValueError "cannot reshape array of size N into shape (..)". */
WG_INTERNAL int wgL_resolve_shape(wg_context *ctx, int64_t size, int ndim, const int64_t *shape,
                                  int64_t *resolved);
/* Reshape as a view when strides allow (NumPy's _attempt_nocopy_reshape); returns 1 and fills out
 * on success, 0 when a copy is needed. shape must be resolved.  order 'C', 'F' or 'A'.  Strides,
 * including those of length-1 axes, are exactly NumPy's. */
WG_INTERNAL int wgL_reshape_view(const wg_layout *in, int ndim, const int64_t *shape, int order,
                                 wg_layout *out);
WG_INTERNAL int wgL_squeeze(wg_context *ctx, const wg_layout *in, int naxes, const int64_t *axes,
                            wg_layout *out);
WG_INTERNAL int wgL_expand_dims(wg_context *ctx, const wg_layout *in, int naxes,
                                const int64_t *axes, wg_layout *out);
/* Normalize an axis (negative counts from the end); AxisError "axis 3 is out of bounds for array
 * of dimension 2".  Returns the axis or a negative status. */
WG_INTERNAL int wgL_normalize_axis(wg_context *ctx, int64_t axis, int ndim);
/* The reduction axes as a bit mask (naxes < 0: every axis); NumPy's errors for an axis out of
 * range (AxisError) and a repeated one (ValueError "duplicate value in 'axis'"). */
WG_INTERNAL int wgL_axes_mask(wg_context *ctx, int naxes, const int64_t *axes, int ndim,
                              int64_t *mask);
/* Merge adjacent axes that are contiguous with each other (for faster loops); keeps the mapping.
 * Applies the same merge to several layouts sharing one shape.  Length-1 axes are dropped; an empty
 * shape becomes (0,), a shape of only ones (1,); a 0-d layout stays 0-d. */
WG_INTERNAL void wgL_coalesce(int n, wg_layout **ls);

#endif
