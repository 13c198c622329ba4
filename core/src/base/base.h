/*
 * base — what every engine layer shares: the context's error slot, allocation with a fault-injection
 * hook for tests, hashing.  Internal names carry a layer prefix in the style of Lua's C sources:
 * wgB_ base, wgD_ dtype, wgL_ layout, wgA_ array/memory, wgG_ graph, wgI_ ir, wgX_ executors,
 * wgS_ stream.  Only core/include/wgpy.h is public.
 */
#ifndef WG_BASE_H
#define WG_BASE_H

#include <stdint.h>
#include <stddef.h>
#include "../../include/wgpy.h"

#define WG_INTERNAL __attribute__((visibility("hidden")))

typedef union wg_value {
    int64_t i;   /* bool and signed integers */
    uint64_t u;  /* unsigned integers */
    double f;    /* floats (float16/float32 values are held as doubles here) */
} wg_value;

/* Errors: set once per failing call; the first message wins until cleared. */
WG_INTERNAL int wgB_error(wg_context *ctx, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
WG_INTERNAL int wgB_failed(wg_context *ctx); /* nonzero when an error is pending */

/* Allocation.  wgB_fail_after(n) makes the n-th following allocation fail (tests only). */
WG_INTERNAL void *wgB_malloc(wg_context *ctx, size_t n);
WG_INTERNAL void *wgB_calloc(wg_context *ctx, size_t count, size_t n);
WG_INTERNAL void *wgB_realloc(wg_context *ctx, void *p, size_t n);
WG_INTERNAL void wgB_free(void *p);
WG_INTERNAL void wgB_fail_after(long n);

/* Recycled objects: the engine's per-operation objects (graph nodes and their summaries, arrays,
 * buffers, pending writes) go back to a per-context free list of their kind when released and come
 * back zeroed, as from wgB_calloc, instead of a malloc/free pair each: recording one operation made
 * and freed five such objects of 88-536 bytes, and malloc/free were most of the engine's time per
 * recorded operation (docs/architecture.md, "The host cost of one operation").  A list keeps at
 * most WGB_RECYCLE_MAX objects (poisoned under AddressSanitizer while they wait, so a use after
 * release is still caught); ctx NULL means plain malloc/free.  wgB_recycle_clear frees them
 * (context teardown). */
enum { WGB_RC_NODE, WGB_RC_NSUM, WGB_RC_ARRAY, WGB_RC_BUFFER, WGB_RC_WRITE, WGB_RC_ARGS, WGB_NRC };
#define WGB_RECYCLE_MAX 1024
WG_INTERNAL void *wgB_take(wg_context *ctx, int kind, size_t size);
WG_INTERNAL void wgB_give(wg_context *ctx, int kind, void *p, size_t size);
WG_INTERNAL void wgB_recycle_clear(wg_context *ctx);
/* An integer switch from the environment (the A/B aids WGPY_RADIX_* and the like, for before and
 * after figures in one process): atoi of the variable, def where it is unset or empty. */
WG_INTERNAL int wgB_env_int(const char *name, int def);

WG_INTERNAL uint64_t wgB_hash(uint64_t h, const void *data, size_t n); /* FNV-1a, chainable */
#define WG_HASH_SEED 1469598103934665603ULL

#endif
