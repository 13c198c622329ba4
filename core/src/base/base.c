/* base: error slot, allocation with a fault-injection hook, hashing. */
#include "context.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int wgB_error(wg_context *ctx, int status, const char *fmt, ...) {
    if (ctx && ctx->status == WG_OK) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->message, sizeof ctx->message, fmt, ap);
        va_end(ap);
        ctx->status = status;
    }
    return status;
}

int wgB_failed(wg_context *ctx) { return ctx && ctx->status != WG_OK; }

/* Tests make the n-th allocation fail to prove every caller handles it (SQLite's approach).
 * A plain counter, not per-context: it exists only for single-threaded tests. */
static long fail_countdown = -1;

void wgB_fail_after(long n) { fail_countdown = n; }

static int should_fail(void) {
    if (fail_countdown < 0) return 0;
    if (fail_countdown == 0) { fail_countdown = -1; return 1; }
    fail_countdown--;
    return 0;
}

void *wgB_malloc(wg_context *ctx, size_t n) {
    void *p = should_fail() ? NULL : malloc(n ? n : 1);
    if (!p) wgB_error(ctx, WG_ERR_MEMORY, "out of memory allocating %zu bytes", n);
    return p;
}

void *wgB_calloc(wg_context *ctx, size_t count, size_t n) {
    void *p = should_fail() ? NULL : calloc(count ? count : 1, n ? n : 1);
    if (!p) wgB_error(ctx, WG_ERR_MEMORY, "out of memory allocating %zu bytes", count * n);
    return p;
}

void *wgB_realloc(wg_context *ctx, void *old, size_t n) {
    void *p = should_fail() ? NULL : realloc(old, n ? n : 1);
    if (!p) wgB_error(ctx, WG_ERR_MEMORY, "out of memory allocating %zu bytes", n);
    return p;
}

void wgB_free(void *p) { free(p); }

/* Under AddressSanitizer a recycled object is poisoned while it waits, so a use after its release
 * is still reported (as a use after poison). */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define RC_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define RC_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define RC_POISON(p, n) ((void)(p), (void)(n))
#define RC_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

void *wgB_take(wg_context *ctx, int kind, size_t size) {
    if (!ctx || !ctx->nrecycle[kind]) return wgB_calloc(ctx, 1, size);
    /* (a recycled object never fails: the fault-injection hook sees the real allocations) */
    void *p = ctx->recycle[kind][--ctx->nrecycle[kind]];
    RC_UNPOISON(p, size);
    memset(p, 0, size);
    return p;
}

void wgB_give(wg_context *ctx, int kind, void *p, size_t size) {
    if (!p) return;
    if (!ctx || ctx->nrecycle[kind] >= WGB_RECYCLE_MAX) {
        free(p);
        return;
    }
    RC_POISON(p, size);
    ctx->rcsize[kind] = size;
    ctx->recycle[kind][ctx->nrecycle[kind]++] = p;
}

int wgB_env_int(const char *name, int def) {
    const char *e = getenv(name);
    return e && *e ? atoi(e) : def;
}

void wgB_recycle_clear(wg_context *ctx) {
    for (int k = 0; k < WGB_NRC; k++) {
        while (ctx->nrecycle[k]) {
            void *p = ctx->recycle[k][--ctx->nrecycle[k]];
            RC_UNPOISON(p, ctx->rcsize[k]);
            free(p);
        }
    }
}

uint64_t wgB_hash(uint64_t h, const void *data, size_t n) {
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}
