/* Parallel scans and data-dependent compaction (api/scan.c): library kernels, gather-formulated
 * (each output point computes its own value), so they run on cpu, webgpu and webgl2 alike.
 *
 * Scan: a reduce-then-scan over segments of WGP_SCAN_SEG consecutive elements of a row, one point
 * per segment scanning it serially in registers: (1) reduce each segment to its total, (2) scan
 * the totals recursively, (3) rescan each segment starting from its exclusive prefix (raw stores;
 * on webgl2 a gather: each element folds its segment's prefix with its segment up to itself).
 * About 3 reads and 1 write of the data in all, 2 ceil(log_SEG n) - 1 launches.  On a GPU (webgpu,
 * wg_set_scan_path) the tile scan instead: tiles of WGP_SCAN_TILE elements loaded coalesced into
 * workgroup memory, (1) each tile's total, (2) the totals scanned by one workgroup a row, (3) each
 * tile rescanned from its prefix: 3 launches (docs/scans.md "The tile scan").
 *
 * Compaction: the inclusive add-scan S of a flattened mask gives the count (S's last element, one
 * host read) and, for output k, the flat index of the k-th true element: the smallest j with
 * S[j] > k, by a binary search per output point. */
#ifndef WG_API_SCAN_H
#define WG_API_SCAN_H

#include "api.h"

#define WGP_SCAN_SEG 16 /* the elements one point scans serially (a plain integer literal: the
                            * kernels' sources spell it) */

#define WGP_SCAN_TILE 2048 /* the tile scan's elements a workgroup at a time (256 points x 8) */
#define WGP_SCAN_BLOCK_TILES 8 /* the most tiles a block (a workgroup's share) by default */
#define WGP_SCAN_MIN_BLOCKS 2048 /* the blocks a row keeps by default (smaller blocks below) */

/* Scan modes. */
enum {
    WGP_SCAN_INCLUSIVE = 0, /* y[k] = x[0] op ... op x[k] */
    WGP_SCAN_EXCLUSIVE = 1, /* y[0] = identity, y[k] = x[0] op ... op x[k-1] (same length) */
    WGP_SCAN_INITIAL = 2    /* identity followed by the inclusive scan (length n + 1) */
};

/* Scan of a along axis (negative allowed; AxisError) with op (WG_OP_ADD, MULTIPLY, MAXIMUM,
 * MINIMUM, LOGICAL_AND, LOGICAL_OR), computed in dtype (a is cast first, unsafe; -1: a's dtype;
 * logical ops compute in bool).  Returns a new C-contiguous array of a's shape (axis length + 1
 * for WGP_SCAN_INITIAL).  0-d a is treated as shape (1,). */
WG_INTERNAL wg_array *wgP_scan(wg_context *ctx, int op, wg_array *a, int64_t axis, int dtype,
                               int mode);
/* The inclusive add-scan of mask.ravel() != 0 in the index dtype (int64, int32 with 64-bit types
 * off): a new 1-D array of mask's size. */
WG_INTERNAL wg_array *wgP_mask_scan(wg_context *ctx, wg_array *mask);
/* The flat indices of the count true elements, given the mask's scan (wgP_mask_scan): a new 1-D
 * index-dtype array of length count (count must be the scan's last element). */
WG_INTERNAL wg_array *wgP_compact(wg_context *ctx, wg_array *scan, int64_t count);
/* The index dtype: int64, or int32 with 64-bit types off. */
WG_INTERNAL int wgP_index_dtype(wg_context *ctx);

#endif
