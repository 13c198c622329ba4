/* Helpers shared by the public API's implementation files (api/). */
#ifndef WG_API_INTERNAL_H
#define WG_API_INTERNAL_H

#include "../base/context.h"
#include "../dtype/dtype.h"

/* A NULL array argument (a released array's handle, never valid): WG_ERR_VALUE naming `what`,
 * returns NULL.  Entry points check the arguments they dereference first. */
WG_INTERNAL wg_array *wgP_null_array(wg_context *ctx, const char *what);
/* Write a's info block and hand it out (NULL passes through). */
WG_INTERNAL wg_array *wgP_out(wg_context *ctx, wg_array *a);
/* A result handed out through out=: where out, r is assigned into out and released, and out is
 * handed out (a new reference); else r is (wgP_out).  NULL where r is NULL or the assignment
 * fails. */
WG_INTERNAL wg_array *wgP_into_out(wg_context *ctx, wg_array *r, wg_array *out);
/* Give a buffer-less array (a scalar) a buffer holding its value. */
WG_INTERNAL int wgP_ensure_buffer(wg_context *ctx, wg_array *a);
/* A new C-contiguous array whose contents are `node` broadcast to shape; consumes node. */
WG_INTERNAL wg_array *wgP_materialize(wg_context *ctx, int dtype, int ndim, const int64_t *shape,
                                      wg_node *node);
WG_INTERNAL int wgP_check_dtype(wg_context *ctx, int dtype);
/* "(2, 3)" style shape text for messages */
WG_INTERNAL const char *wgP_shape_str(char *buf, size_t n, int ndim, const int64_t *shape);
/* The source of an assignment into dst (a new reference): src less the extra leading length-1
 * axes NumPy lets it carry; NULL (a ValueError) where it does not broadcast to dst's shape. */
WG_INTERNAL wg_array *wgP_assign_src(wg_context *ctx, wg_array *src, const wg_array *dst);

/* devptr.c: a kernel's pointer loads (docs/cupy.md, "Device pointers").  ptrs[n]: the arrays of
 * pointer values; on success each is replaced (the caller's reference stays the caller's) by a
 * new array of its shape and dtype holding element offsets into *pool, a new array of dtype
 * that packs every buffer they name, one after another, by device copies (a null pointer
 * becomes the pool's size: past its end).  The pointer values: those wg_set_pointer_values gave
 * (consumed), else the arrays are read (a sync) — where reads arrive later (a stream host),
 * returns WG_PTRS_NEEDED instead, for the caller to read them and call again. */
WG_INTERNAL int wgP_ptr_pool(wg_context *ctx, const char *who, int dtype, int n, wg_array **ptrs,
                             wg_array **pool);
/* The live buffer and element offset a pointer names, for `count` elements of dtype from it
 * (ValueError when it names none, is misaligned or the elements pass its end; NotImplementedError
 * when the buffer holds another dtype). */
WG_INTERNAL wg_buffer *wgP_ptr_resolve(wg_context *ctx, const char *who, uint64_t p, int dtype,
                                       int64_t count, int64_t *elem);

/* complex.c: complex dtypes composed from real operations on float views (docs/complex.md) */
WG_INTERNAL wg_array *wgP_cufunc(wg_context *ctx, int op, int n, wg_array **ins, int loop_dt,
                                 int out_dt, int ndim, const int64_t *shape, wg_array *out);
WG_INTERNAL int wgP_cassign(wg_context *ctx, wg_array *dst, wg_array *src);
WG_INTERNAL int wgP_cread(wg_context *ctx, wg_array *a, void *dst, int64_t nbytes);
WG_INTERNAL int wgP_cscalar_buffer(wg_context *ctx, wg_array *a);
WG_INTERNAL wg_array *wgP_cwhere(wg_context *ctx, wg_array *cond, wg_array *x, wg_array *y, int dt,
                                 int ndim, const int64_t *shape, wg_array *out);
WG_INTERNAL wg_array *wgP_creduce(wg_context *ctx, int rop, wg_array *a, int naxes,
                                  const int64_t *axes, int keepdims, int dtype, int64_t ddof,
                                  wg_array *out);
/* advanced indexing of complex arrays: the same index on pairs(a) plus a full slice */
WG_INTERNAL wg_array *wgP_cadv_get(wg_context *ctx, wg_array *a, int nitems, const int64_t *items,
                                   int narrays, wg_array *const *arrays, int mode);
WG_INTERNAL int wgP_cadv_set(wg_context *ctx, wg_array *a, int nitems, const int64_t *items,
                             int narrays, wg_array *const *arrays, wg_array *value, int mode,
                             int op);
/* re + i*im for two real arrays of one shape (a new complex array of dtype cdt) */
WG_INTERNAL wg_array *wgP_cjoin(wg_context *ctx, wg_array *re, wg_array *im, int cdt);
/* cumprod of a complex array along axis (dtype cdt): a doubling scan of complex multiplies */
WG_INTERNAL wg_array *wgP_ccumprod(wg_context *ctx, wg_array *a, int64_t axis, int cdt);
WG_INTERNAL wg_array *wgP_cmatmul(wg_context *ctx, wg_array *a, wg_array *b, wg_array *out,
                                  int dot);

#endif
