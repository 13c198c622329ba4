/* The device pointers' registry (docs/cupy.md, "Device pointers"): a virtual address space in
 * which each buffer whose address was asked for (`ndarray.data.ptr`) holds a range.  Entries are
 * kept sorted by address; an address is given first fit above WG_PTR_BASE, aligned to 256 bytes,
 * with a 256-byte gap after each range so that a one-past-the-end pointer names no other buffer. */
#include "../base/context.h"
#include "../dtype/dtype.h"

#include <string.h>

#define WG_PTR_BASE 0x10000ull
#define WG_PTR_ALIGN 256ull

typedef struct wgA_ptr_entry {
    uint64_t addr, span; /* [addr, addr + span): the buffer's bytes and its gap */
    wg_buffer *buf;      /* not retained: the buffer forgets its entry when it is freed */
} wgA_ptr_entry;

struct wgA_ptrs {
    wgA_ptr_entry *e;
    int n, cap;
};

static uint64_t buffer_bytes(const wg_buffer *b) {
    return (uint64_t)b->nelem * (uint64_t)wgD_size(b->dtype);
}

int wgA_ptr_addr(wg_context *ctx, wg_buffer *b, uint64_t *vaddr) {
    if (b->vaddr) {
        *vaddr = b->vaddr;
        return WG_OK;
    }
    struct wgA_ptrs *R = ctx->ptrs;
    if (!R) {
        R = ctx->ptrs = wgB_calloc(ctx, 1, sizeof *R);
        if (!R) return WG_ERR_MEMORY;
    }
    if (R->n == R->cap) {
        int cap = R->cap ? R->cap * 2 : 64;
        wgA_ptr_entry *e = wgB_realloc(ctx, R->e, sizeof *e * (size_t)cap);
        if (!e) return WG_ERR_MEMORY;
        R->e = e;
        R->cap = cap;
    }
    uint64_t span = (buffer_bytes(b) + 2 * WG_PTR_ALIGN - 1) / WG_PTR_ALIGN * WG_PTR_ALIGN;
    uint64_t at = WG_PTR_BASE;
    int k = 0;
    for (; k < R->n; k++) {
        if (R->e[k].addr >= at + span) break;       /* the gap before entry k fits */
        at = R->e[k].addr + R->e[k].span;
    }
    memmove(R->e + k + 1, R->e + k, sizeof *R->e * (size_t)(R->n - k));
    R->e[k] = (wgA_ptr_entry){at, span, b};
    R->n++;
    b->vaddr = *vaddr = at;
    return WG_OK;
}

wg_buffer *wgA_ptr_lookup(wg_context *ctx, uint64_t p, int64_t *byte_off) {
    struct wgA_ptrs *R = ctx->ptrs;
    if (!R || p == 0) return NULL;
    int lo = 0, hi = R->n; /* the last entry with addr <= p */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (R->e[mid].addr <= p) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0) return NULL;
    const wgA_ptr_entry *e = &R->e[lo - 1];
    if (p - e->addr > buffer_bytes(e->buf)) return NULL;
    *byte_off = (int64_t)(p - e->addr);
    return e->buf;
}

void wgA_ptr_forget(wg_context *ctx, wg_buffer *b) {
    struct wgA_ptrs *R = ctx->ptrs;
    if (!R) return;
    for (int k = 0; k < R->n; k++)
        if (R->e[k].buf == b) {
            memmove(R->e + k, R->e + k + 1, sizeof *R->e * (size_t)(R->n - k - 1));
            R->n--;
            break;
        }
    b->vaddr = 0;
}

void wgA_ptr_free_all(wg_context *ctx) {
    if (!ctx->ptrs) return;
    wgB_free(ctx->ptrs->e);
    wgB_free(ctx->ptrs);
    ctx->ptrs = NULL;
}
