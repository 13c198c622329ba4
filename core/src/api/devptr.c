/* Device pointers (docs/cupy.md, "Device pointers"): `ndarray.data.ptr` as a value that names a
 * buffer and a byte offset in the context's registry (array/ptrreg.c), resolved back to the
 * buffer where a kernel loads through it or cuBLAS's batched entry points get arrays of them. */
#include "api.h"
#include "libk.h"

#include <stdio.h>
#include <string.h>

int wg_data_ptr(wg_context *ctx, wg_array *a, uint64_t *ptr, uint64_t *mem_ptr,
                int64_t *mem_size) {
    wg_clear_error(ctx);
    *ptr = *mem_ptr = 0;
    *mem_size = 0;
    int st = wgP_ensure_buffer(ctx, a);
    if (st) return st;
    uint64_t base = 0;
    st = wgA_ptr_addr(ctx, a->buf, &base);
    if (st) return st;
    *mem_ptr = base;
    *mem_size = a->buf->nelem * wgD_size(a->buf->dtype);
    *ptr = base + (uint64_t)(a->lay.offset * wgD_size(a->dtype));
    return WG_OK;
}

wg_buffer *wgP_ptr_resolve(wg_context *ctx, const char *who, uint64_t p, int dtype,
                           int64_t count, int64_t *elem) {
    int64_t off = 0;
    wg_buffer *b = wgA_ptr_lookup(ctx, p, &off);
    if (!b) {
        wgB_error(ctx, WG_ERR_VALUE, "%s: pointer 0x%llx does not point into a live array", who,
                  (unsigned long long)p);
        return NULL;
    }
    if (b->dtype != wgD_part_dtype(dtype) || wgD_is_complex(dtype)) {
        wgB_error(ctx, WG_ERR_NOTIMPL, "%s: pointer 0x%llx names %s data, read as %s: a pointer "
                  "reads the dtype of the array it was taken from", who, (unsigned long long)p,
                  wgD_name(b->dtype), wgD_name(dtype));
        return NULL;
    }
    int64_t isz = wgD_size(dtype);
    if (off % isz) {
        wgB_error(ctx, WG_ERR_VALUE, "%s: pointer 0x%llx is not aligned to its %s elements", who,
                  (unsigned long long)p, wgD_name(dtype));
        return NULL;
    }
    if (off / isz + count > b->nelem) {
        wgB_error(ctx, WG_ERR_VALUE, "%s: %lld elements from pointer 0x%llx pass the end of its "
                  "array (%lld elements)", who, (long long)count, (unsigned long long)p,
                  (long long)b->nelem);
        return NULL;
    }
    *elem = off / isz;
    return b;
}

wg_array *wg_ptr_view(wg_context *ctx, uint64_t ptr, int dtype, int ndim, const int64_t *shape,
                      const int64_t *byte_strides) {
    wg_clear_error(ctx);
    if (dtype < 0) { /* the dtype of the array it points into */
        int64_t o = 0;
        wg_buffer *b = wgA_ptr_lookup(ctx, ptr, &o);
        if (!b) {
            wgB_error(ctx, WG_ERR_VALUE, "pointer 0x%llx does not point into a live array",
                      (unsigned long long)ptr);
            return NULL;
        }
        dtype = b->dtype;
    }
    if (dtype >= WG_NDTYPES || ndim < 0 || ndim > WG_MAX_NDIM) {
        wgB_error(ctx, WG_ERR_VALUE, "wg_ptr_view: bad dtype or ndim");
        return NULL;
    }
    int64_t isz = wgD_size(dtype), lo = 0, hi = 0, size = 1;
    wg_layout lay;
    memset(&lay, 0, sizeof lay);
    lay.ndim = ndim;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 0 || byte_strides[d] % isz) {
            wgB_error(ctx, WG_ERR_VALUE, "wg_ptr_view: bad shape or strides");
            return NULL;
        }
        lay.shape[d] = shape[d];
        lay.strides[d] = byte_strides[d] / isz;
        size *= shape[d];
        if (shape[d] > 0) {
            if (lay.strides[d] < 0) lo += lay.strides[d] * (shape[d] - 1);
            else hi += lay.strides[d] * (shape[d] - 1);
        }
    }
    int64_t elem = 0;
    if (lo) {
        wgB_error(ctx, WG_ERR_NOTIMPL, "wg_ptr_view: negative strides are not supported");
        return NULL;
    }
    wg_buffer *b = wgP_ptr_resolve(ctx, "wg_ptr_view", ptr, dtype, size ? hi + 1 : 0, &elem);
    if (!b) return NULL;
    lay.offset = elem;
    return wgP_out(ctx, wgA_new(ctx, dtype, &lay, b, NULL));
}

/* The values of an integer array, C order, as uint64. */
static int read_ptrs(wg_context *ctx, const char *who, wg_array *a, uint64_t *v, int64_t n) {
    int dt = a->dtype;
    if (dt != WG_UINT64 && dt != WG_INT64 && dt != WG_UINT32 && dt != WG_INT32)
        return wgB_error(ctx, WG_ERR_TYPE, "%s: pointers must be held in an integer array of 32 "
                         "or 64 bits (uintp), not %s", who, wgD_name(dt));
    if (wgD_size(dt) == 8) return wg_read(ctx, a, v, n * 8);
    uint32_t *w = wgB_malloc(ctx, sizeof *w * (size_t)(n ? n : 1));
    if (!w) return WG_ERR_MEMORY;
    int st = wg_read(ctx, a, w, n * 4);
    for (int64_t i = 0; i < n && !st; i++) v[i] = w[i];
    wgB_free(w);
    return st;
}

int wg_set_pointer_values(wg_context *ctx, int64_t n, const uint64_t *vals) {
    wg_clear_error(ctx);
    wgB_free(ctx->ptr_vals);
    ctx->ptr_vals = NULL;
    ctx->ptr_nvals = -1;
    if (n < 0) return WG_OK;
    ctx->ptr_vals = wgB_malloc(ctx, sizeof *vals * (size_t)(n ? n : 1));
    if (!ctx->ptr_vals) return WG_ERR_MEMORY;
    if (n) memcpy(ctx->ptr_vals, vals, sizeof *vals * (size_t)n);
    ctx->ptr_nvals = n;
    return WG_OK;
}

/* Reads that arrive only after the host runs the stream (webgpu, webgl2, a remote executor). */
static int reads_deferred(const wg_context *ctx) {
    return ctx->backend_id == WG_BACKEND_STREAM || ctx->backend_id == WG_BACKEND_WEBGPU ||
           ctx->backend_id == WG_BACKEND_WEBGL2;
}

int wgP_ptr_pool(wg_context *ctx, const char *who, int dtype, int n, wg_array **ptrs,
                 wg_array **pool) {
    if (ctx->ptr_nvals < 0 && reads_deferred(ctx)) return WG_PTRS_NEEDED;
    int64_t total = 0, nv = 0;
    for (int q = 0; q < n; q++) nv += wgL_size(&ptrs[q]->lay);
    uint64_t *val = wgB_malloc(ctx, sizeof *val * (size_t)(nv ? nv : 1));
    wg_buffer **bufs = wgB_malloc(ctx, sizeof *bufs * (size_t)(nv ? nv : 1));
    int64_t *start = wgB_malloc(ctx, sizeof *start * (size_t)(nv ? nv : 1));
    int64_t *off = wgB_malloc(ctx, sizeof *off * (size_t)(nv ? nv : 1));
    int nb = 0, st = val && bufs && start && off ? WG_OK : WG_ERR_MEMORY;
    int given = ctx->ptr_nvals >= 0;
    if (!st && given && ctx->ptr_nvals != nv)
        st = wgB_error(ctx, WG_ERR_VALUE, "%s: %lld pointer values given for %lld", who,
                       (long long)ctx->ptr_nvals, (long long)nv);
    if (!st && given && nv) memcpy(val, ctx->ptr_vals, sizeof *val * (size_t)nv);
    ctx->ptr_nvals = -1;
    wg_array *made[64] = {0};
    /* 1. the pointer values (read: they were computed on the device, by arange or a copy) and
     *    the distinct buffers they name, each given a place in the pool */
    for (int q = 0, at = 0; q < n && !st; q++) {
        int64_t m = wgL_size(&ptrs[q]->lay);
        if (!given) st = read_ptrs(ctx, who, ptrs[q], val + at, m);
        for (int64_t i = 0; i < m && !st; i++) {
            uint64_t p = val[at + i];
            off[at + i] = -1;
            if (!p) continue;
            int64_t e = 0;
            wg_buffer *b = wgP_ptr_resolve(ctx, who, p, dtype, 0, &e);
            if (!b) {
                st = ctx->status;
                break;
            }
            int k = 0;
            while (k < nb && bufs[k] != b) k++;
            if (k == nb) {
                bufs[nb] = b;
                start[nb++] = total;
                total += b->nelem;
            }
            off[at + i] = start[k] + e;
        }
        at += (int)m;
    }
    /* 2. the pool: each buffer copied in on the device */
    int64_t psize = total ? total : 1;
    wg_array *pl = st ? NULL : wgA_new_contiguous(ctx, dtype, 1, &psize);
    if (!st && !pl) st = wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
    for (int k = 0; k < nb && !st; k++) {
        if (!bufs[k]->nelem) continue;
        wg_layout sl, dl;
        wgL_contiguous(&sl, 1, &bufs[k]->nelem, 'C');
        dl = sl;
        dl.offset = start[k];
        wg_array *src = wgA_new(ctx, dtype, &sl, bufs[k], NULL);
        wg_array *dst = src ? wgA_new(ctx, dtype, &dl, pl->buf, NULL) : NULL;
        st = dst ? wg_assign(ctx, dst, src) : WG_ERR_MEMORY;
        wg_release(src);
        wg_release(dst);
    }
    /* 3. the pointers as element offsets, in arrays of the pointer arrays' shapes and dtypes */
    for (int q = 0, at = 0; q < n && !st; q++) {
        const wg_array *a = ptrs[q];
        int64_t m = wgL_size(&a->lay);
        unsigned char *bytes = (unsigned char *)(val + at); /* reused: val[at..] is read first */
        for (int64_t i = 0; i < m; i++) {
            int64_t o = off[at + i] < 0 ? total : off[at + i];
            if (wgD_size(a->dtype) == 8) {
                uint64_t u = (uint64_t)o;
                memcpy(bytes + 8 * i, &u, 8);
            } else {
                uint32_t u = (uint32_t)o;
                memcpy(bytes + 4 * i, &u, 4);
            }
        }
        made[q] = wg_from_data(ctx, a->dtype, a->lay.ndim, a->lay.shape, bytes);
        if (!made[q]) st = wgB_failed(ctx) ? ctx->status : WG_ERR_MEMORY;
        at += (int)m;
    }
    if (!st && total > INT32_MAX && !ctx->x64)
        st = wgB_error(ctx, WG_ERR_VALUE, "%s: the arrays the pointers name hold more than 2^31 "
                       "elements", who);
    wgB_free(val);
    wgB_free(bufs);
    wgB_free(start);
    wgB_free(off);
    if (st) {
        for (int q = 0; q < n; q++) wg_release(made[q]);
        wg_release(pl);
        return st;
    }
    for (int q = 0; q < n; q++) ptrs[q] = made[q];
    *pool = pl;
    return WG_OK;
}
