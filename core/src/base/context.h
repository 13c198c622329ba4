/* The one context object: all engine state lives here (no other globals). */
#ifndef WG_CONTEXT_H
#define WG_CONTEXT_H

#include "../graph/graph.h"
#include "../exec/backend.h"

struct wg_kcache_entry;
struct wg_stream;
struct libk_entry;

struct wg_context {
    int status;
    char message[512];
    int64_t info[WG_INFO_SLOTS];
    int64_t *relq;  /* wg_set_release_queue: handles the shell released, drained at entries */
    int relq_cap;
    int x64;
    int lazy;
    int fusion_limit;
    int fusion_limit_set; /* by wg_set_fusion_limit: the adapter class no longer moves it */
    int adapter_cpu_like; /* wg_set_adapter_class: 1 on a CPU implementation of the API */
    int max_bindings;   /* storage buffers / textures one kernel may bind (the host's device) */
    int wg_storage;     /* workgroup memory a kernel may declare, bytes (wg_set_workgroup_storage) */
    int wg_invocations; /* threads a workgroup may have (wg_set_workgroup_invocations) */
    int warp_subgroups; /* wg_set_subgroups: the device's subgroups are 32 lanes, always (CUDA's warps) */
    int64_t ahead_min, ahead_handoff; /* wg_set_run_ahead (0: off) */
    int64_t ahead_work;               /* work run ahead since the stream was last taken */
    int backend_id;
    const wg_backend *backend;
    void *backend_state;
    wg_pool pool;
    int64_t counters[WG_NCOUNTERS];
    int64_t next_buffer_id;
    uint32_t mark;                      /* DAG traversal stamp */
    wg_write *pending_head;             /* buffers with pending writes */
    struct wg_kcache_entry **kcache;    /* kernel cache: open hash by wgI_hash */
    int kcache_cap, kcache_len;
    int dump_ir;                        /* WGPY_DUMP_IR set at creation: read once, not per dispatch */
    int red_loads;                      /* REDUCE main_vec4 on GPU adapters: vec4 loads a step (WGPY_RED_LOADS; 0: default) */
    uint64_t kcache_gen;                /* bumped when the cache is cleared (wgG_kmemo goes stale) */
    struct wg_stream *stream;
    struct libk_entry *libk;            /* library kernels (api/libk.c), parsed once */
    int sort_path;                      /* wg_set_sort_path: 0 auto, 1 gathers, 2 radix, 3 tiles */
    int literals_as_words;              /* wg_set_inline_literals(ctx, 0): kernels' literals stay argument words */
    struct wgA_ptrs *ptrs;              /* device pointers' registry (api/devptr.c) */
    uint64_t *ptr_vals;                 /* wg_set_pointer_values: for the next pointer pool */
    int64_t ptr_nvals;                  /* -1: none given */
    int fft_path;                       /* wg_set_fft_path: 0 auto, 1 per-pass launches only */
    int linalg_path;                    /* wg_set_linalg_path: 0 auto, 1 gathers, 2 GPU kernels */
    int scan_path;                      /* wg_set_scan_path: 0 auto, 1 segments, 2 tiles */
    int scan_chunks;                    /* wg_set_scan_block: tiles a block, 0 the default */
    int scan_prefetch;                  /* the tile scan's next-tile loads before its scan */
    int scan_fuse;                      /* the rescan reduces the block totals (no launch 2) */
    int random_path;                    /* wg_set_random_path: 0 auto, 1 block form, 2 workgroup form */
    struct wg_array *fft_tw[8][2];      /* api/fft.c: cached twiddle tables (re, im) */
    int64_t fft_tw_key[8];              /* their (n, dtype) keys; 0: empty */
    int fft_tw_next;                    /* the slot the next table replaces */
    struct wgP_fft_spec *fft_spec;      /* api/fft.c: the workgroup kernels with literal shapes */
    int fft_nspec;
    void *recycle[WGB_NRC][WGB_RECYCLE_MAX]; /* base.c wgB_take/wgB_give: released objects by kind */
    int nrecycle[WGB_NRC];
    size_t rcsize[WGB_NRC];             /* their sizes (one per kind) */
    struct wg_trace *trace;             /* graph/capture.c: the trace under way, or NULL */
    uint32_t trace_stamp;               /* its stamp: buffers made during it carry it */
};

/* The release queue's waiting handles released (wg_set_release_queue): at the API entries
 * where an array's liveness shows, before anything else; never inside a walk of the graph. */
static inline void wgP_drain(wg_context *ctx) {
    if (ctx->relq && ctx->relq[0] > 0) wg_release_drain(ctx);
}

#endif
