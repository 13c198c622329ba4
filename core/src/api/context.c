/* The context: creation, errors, policies, counters, the pool's public face. */
#include <stdlib.h>
#include "../base/context.h"
#include "../dtype/dtype.h"
#include "../stream/stream.h"
#include "libk.h"

#include <string.h>

int wg_abi_version(void) { return WG_ABI_VERSION; }

/* Operations fused into one kernel at most (wg_set_fusion_limit overrides).  WebGL2 and WebGPU
 * on a CPU implementation (SwiftShader) get four times a GPU's: there a dispatch and the store
 * and reload of an intermediate result cost far more than a long shader.  webgl2: a
 * 1000-operation chain compiles in 1.5 s once; Mandelbrot 256², 50 iterations, one kernel
 * instead of 5: 488 -> 113-194 ms in Chromium.  webgpu: the same Mandelbrot 96-211 -> 18-58 ms in
 * Dawn, its first run 1.9-2.7 -> 1.0-1.1 s; a long kernel there has no main_vec4 (codegen.h
 * WGC_WGSL_CPU_VEC4_MAX), which made a 1000-operation chain's compile 30 s (docs/webgpu.md). */
#define FUSION_LIMIT_GPU 256
#define FUSION_LIMIT_CPU 1024

wg_context *wg_context_new(int backend) {
    wg_context *ctx = wgB_calloc(NULL, 1, sizeof *ctx);
    if (!ctx) return NULL;
    ctx->lazy = 1;
    ctx->ptr_nvals = -1;
    ctx->fusion_limit = FUSION_LIMIT_GPU;
    ctx->max_bindings = WG_KMAX_FUSED_IO;
    ctx->wg_storage = 16384; /* WebGPU's guaranteed maxComputeWorkgroupStorageSize */
    ctx->wg_invocations = 256; /* and maxComputeInvocationsPerWorkgroup */
    ctx->backend_id = backend;
    ctx->dump_ir = getenv("WGPY_DUMP_IR") != NULL;
    {   /* WGPY_RED_LOADS=1, 2 or 4: an A/B aid for the GPU reduction's loads a step (0: the
         * generator's default, codegen.h WGC_WGSL_RED_LOADS) */
        const char *e = getenv("WGPY_RED_LOADS");
        int u = e && *e ? atoi(e) : 0;
        ctx->red_loads = u == 1 || u == 2 || u == 4 ? u : 0;
    }
    switch (backend) {
    case WG_BACKEND_CPU: ctx->backend = wgX_cpu_backend(); break;
    case WG_BACKEND_STREAM: ctx->backend = wgS_stream_backend(); break;
    case WG_BACKEND_LOOPBACK: ctx->backend = wgS_loopback_backend(); break;
    case WG_BACKEND_WEBGPU: ctx->backend = wgS_webgpu_backend(); break;
    case WG_BACKEND_WEBGL2: ctx->backend = wgS_webgl2_backend(); break;
    default: wgB_free(ctx); return NULL;
    }
    return ctx;
}

void wg_context_free(wg_context *ctx) {
    if (!ctx) return;
    wgP_drain(ctx);
    while (ctx->pending_head) wgG_drop_pending(ctx, ctx->pending_head->target);
    wgP_fft_free(ctx);
    wgP_libk_free_all(ctx);
    wgG_kcache_clear(ctx);
    wgA_pool_trim(ctx);
    wgS_free(ctx);
    wgA_ptr_free_all(ctx);
    wgB_free(ctx->ptr_vals);
    wgB_recycle_clear(ctx);
    wgB_free(ctx);
}

int wg_last_status(wg_context *ctx) { return ctx->status; }
const char *wg_last_error(wg_context *ctx) { return ctx->status ? ctx->message : ""; }
void wg_clear_error(wg_context *ctx) {
    ctx->status = WG_OK;
    ctx->message[0] = 0;
}
int64_t *wg_info_block(wg_context *ctx) { return ctx->info; }
void wg_set_x64(wg_context *ctx, int enabled) { ctx->x64 = enabled != 0; }
int wg_get_x64(wg_context *ctx) { return ctx->x64; }
int wg_backend_id(wg_context *ctx) { return ctx->backend_id; }
const char *wg_backend_name(wg_context *ctx) { return ctx->backend->name; }
void wg_set_fusion_limit(wg_context *ctx, int n) {
    ctx->fusion_limit = n < 1 ? 1 : n;
    ctx->fusion_limit_set = 1;
}

/* The host's device binds at most n storage buffers (webgpu) or textures (webgl2) per kernel:
 * fusion and multi-output groups stay within it (Chromium's SwiftShader adapter has 10, Dawn
 * in Node 12, browsers' defaults 8), and a user kernel over it is refused by name. */
void wg_set_adapter_class(wg_context *ctx, int cls) {
    ctx->adapter_cpu_like = cls == 1;
    /* the default limit follows the class; one set by wg_set_fusion_limit is kept */
    if (!ctx->fusion_limit_set)
        ctx->fusion_limit = cls == 1 && (ctx->backend_id == WG_BACKEND_WEBGL2 ||
                                         ctx->backend_id == WG_BACKEND_WEBGPU)
                                ? FUSION_LIMIT_CPU : FUSION_LIMIT_GPU;
}

void wg_set_max_bindings(wg_context *ctx, int n) {
    ctx->max_bindings = n < 6 ? 6 : n > WG_KMAX_FUSED_IO ? WG_KMAX_FUSED_IO : n;
}
/* The device's maxComputeWorkgroupStorageSize, from the host (the H100's Dawn adapter: 48 KiB):
 * library kernels whose tiles grow with it (the radix sort's, docs/sorting.md) use it.  Below
 * WebGPU's guaranteed 16 KiB is taken as 16 KiB; the cpu executor has no limit of its own, so
 * the default keeps every backend on the shapes that fit any device. */
void wg_set_workgroup_storage(wg_context *ctx, int bytes) {
    ctx->wg_storage = bytes < 16384 ? 16384 : bytes;
}
/* The device's maxComputeInvocationsPerWorkgroup, from the host (the H100's Dawn device: 1024):
 * the FFT's 4096-point tiles run 512 threads where it allows (docs/fft.md).  Below WebGPU's
 * guaranteed 256 is taken as 256, the default. */
void wg_set_workgroup_invocations(wg_context *ctx, int n) {
    ctx->wg_invocations = n < 256 ? 256 : n;
}
/* The device's subgroup sizes (GPUAdapterInfo.subgroupMinSize / MaxSize), from a host that
 * enabled WebGPU's `subgroups` feature on its device.  Only a device whose every subgroup is 32
 * lanes runs CUDA's warp intrinsics as subgroup operations (codegen/stmt.c): there a warp (32
 * consecutive invocations of a one-dimensional workgroup) is a subgroup.  Any other size keeps
 * the exchanges through workgroup memory, exact everywhere. */
void wg_set_subgroups(wg_context *ctx, int min_size, int max_size) {
    const char *e = getenv("WGPY_SUBGROUPS");
    /* WGPY_SUBGROUPS=force: whatever the sizes, to check that the shaders compile (SwiftShader's
     * 4-lane subgroups then give wrong results) */
    ctx->warp_subgroups = (min_size == 32 && max_size == 32 && !(e && *e && atoi(e) == 0)) ||
                          (e && !strcmp(e, "force") && max_size > 0);
}
void wg_set_run_ahead(wg_context *ctx, int64_t min_work, int64_t handoff_work) {
    ctx->ahead_min = min_work > 0 ? min_work : 0;
    ctx->ahead_handoff = handoff_work > 0 ? handoff_work : 0;
}
void wg_set_lazy(wg_context *ctx, int lazy) {
    ctx->lazy = lazy != 0;
    if (ctx->trace && !lazy) wgG_trace_break(ctx, "lazy evaluation was turned off");
    if (!lazy) wgG_execute_all(ctx);
}

int wg_sync(wg_context *ctx) {
    wgP_drain(ctx);
    if (ctx->trace) wgG_trace_break(ctx, "a sync during the trace");
    int st = wgG_execute_all(ctx);
    if (st == WG_OK && ctx->backend->flush) st = ctx->backend->flush(ctx);
    ctx->counters[WG_COUNTER_FLUSHES]++;
    return st;
}

void wg_counters(wg_context *ctx, int64_t *out) {
    wgP_drain(ctx);
    memcpy(out, ctx->counters, sizeof ctx->counters);
}
void wg_counters_reset(wg_context *ctx) { memset(ctx->counters, 0, sizeof ctx->counters); }

void wg_pool_stats(wg_context *ctx, int64_t *out) {
    wgP_drain(ctx);
    out[WG_POOL_USED_BYTES] = ctx->pool.used;
    out[WG_POOL_FREE_BYTES] = ctx->pool.cached;
    out[WG_POOL_TOTAL_BYTES] = ctx->pool.used + ctx->pool.cached;
    out[WG_POOL_LIMIT_BYTES] = ctx->pool.limit;
    out[WG_POOL_N_ALLOCS] = ctx->pool.n_allocs;
    out[WG_POOL_N_REUSED] = ctx->pool.n_reused;
    out[WG_POOL_PEAK_BYTES] = ctx->pool.peak;
}
void wg_pool_set_limit(wg_context *ctx, int64_t bytes) { ctx->pool.limit = bytes < 0 ? 0 : bytes; }
void wg_pool_free_all(wg_context *ctx) {
    wgP_drain(ctx);
    wgA_pool_trim(ctx);
}
void wg_executor_failed(wg_context *ctx) {
    wgA_pool_forget(ctx);
    wgP_drain(ctx); /* queued releases are of blocks taken before: released, not cached */
}

int wg_result_type(wg_context *ctx, int n, const int32_t *dtypes, const int32_t *weak) {
    if (n <= 0) return wgB_error(ctx, WG_ERR_VALUE, "at least one array or dtype is required");
    int r = wgD_result_type(n, dtypes, weak);
    if (r < 0) return wgB_error(ctx, WG_ERR_TYPE, "The DType could not be promoted");
    return wgD_canonical(r, ctx->x64);
}

int wg_canonical_dtype(wg_context *ctx, int dtype) {
    if (dtype < 0 || dtype >= WG_NDTYPES) return wgB_error(ctx, WG_ERR_TYPE, "invalid dtype");
    return wgD_canonical(dtype, ctx->x64);
}

int wg_op_result_dtype(wg_context *ctx, int op, int n, const int32_t *dtypes,
                       const int32_t *weak) {
    int32_t loop_in[3], out;
    if (op < 0 || op >= WG_OP_CAST || wg_op_arity(op) != n)
        return wgB_error(ctx, WG_ERR_VALUE, "invalid op");
    if (wgD_resolve_ufunc(op, n, dtypes, weak, loop_in, &out) != 0)
        return wgB_error(ctx, WG_ERR_TYPE,
                         "ufunc '%s' not supported for the input types, and the inputs could not "
                         "be safely coerced to any supported types according to the casting rule "
                         "''safe''",
                         wg_op_name(op));
    return wgD_canonical(out, ctx->x64);
}
