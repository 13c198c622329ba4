/* Blocked Cholesky and LU (docs/linalg.md "Blocked factorizations"): panels of NB columns, a
 * few launches per panel instead of one whole-matrix launch per column, for the backends whose
 * kernels have workgroup memory and raw stores (cpu, loopback, webgpu; webgl2 runs the gathers
 * of api/lapack.c).  Every kernel works in place on a private C-contiguous stack of B matrices;
 * the updates of many columns at once are the engine's matmul.
 *
 * Two sets of kernels (gpu_kernels): on a GPU adapter, many workgroups of 256 threads with work
 * repeated where that saves a launch or a dependent chain; on CPU-like devices (the cpu
 * interpreter, loopback, SwiftShader), which pay for every invocation and barrier, the first
 * blocked kernels (section "the same steps for CPU-like devices").
 *
 * Cholesky is left-looking (MAGMA's potrf order): panel k's columns first get the product of
 * the finished columns, C = L[k:, :k] L[k:k+b, :k]^T (one matmul, (n-k) x b; on a GPU split
 * over K into a batch of partial products), then the diagonal block A11 - C11 is factored in
 * workgroup memory and the rows below are solved against it by substitution: on a GPU one
 * launch (every workgroup factors the block itself, then solves its 16 rows), elsewhere two.
 * Left-looking needs no subtraction pass over the trailing matrix and does half the
 * multiply-adds of a right-looking update computed as a full GEMM.
 *
 * LU is right-looking with its trailing update deferred: after panel k, P = L21 U12 (one matmul)
 * is not subtracted by a launch of its own; the next panel's kernels subtract it from what they
 * read (the panel kernel from the panel's columns, the column kernel from every other column).
 * The panel kernel (one workgroup of 256 per matrix, over global memory) searches each column's
 * pivot (largest |a|, the first on ties, as LAPACK's isamax), swaps the panel's rows, scales and
 * updates the panel; the column kernel applies the panel's row swaps and solves
 * U12 = L11^-1 A12.  3 launches a panel.  The back substitution goes in blocks of 64 from the
 * bottom: on a GPU right-looking (the block's product with the rows above it, subtracted by the
 * next block's launch), elsewhere left-looking: 2 launches a block.
 *
 * Within a panel the arithmetic is the unblocked algorithm's, in the same order; the panels'
 * contributions arrive as sums of the matmul (as LAPACK's blocked getrf/potrf). */
#include "lapack_blocked.h"

#include "libk.h"

#include <stdlib.h>
#include <string.h>

#define NB 64 /* panel width: a 64 x 64 lower triangle is 8 KiB of float32 workgroup memory */

/* The GPU kernels' loop_prep: workgroups of 256, and every raw and workgroup-array index they
 * form is inside its array (ir.h in_range; checked kernel by kernel in session 15: rows below n,
 * columns below the row length, packed triangles of 64, clamped batch loads), so the WGSL
 * generator indexes directly instead of wrapping every access in range branches (a branch per
 * load kept the compiler from issuing a row's loads together; the FFT's passes gained 13%). */
#define IN_RANGE_256 "__wg_block(256); __in_range()"

int wgP_lapack_blocked(const wg_context *ctx) {
    return ctx->backend_id != WG_BACKEND_WEBGL2 && ctx->linalg_path != 1;
}

/* 1: the kernels for GPUs (many workgroups of 256, repeated work where it saves a launch or a
 * chain); 0: the ones for CPU-like devices (below, "the same steps for CPU-like devices"). */
static int gpu_kernels(const wg_context *ctx) {
    return ctx->linalg_path == 2 ||
           (ctx->backend_id == WG_BACKEND_WEBGPU && !ctx->adapter_cpu_like);
}

int wg_set_linalg_path(wg_context *ctx, int path) {
    int old = ctx->linalg_path;
    if (path >= 0 && path <= 2) ctx->linalg_path = path;
    return old;
}

/* ---- the kernels ------------------------------------------------------------------------ */

/* The sum of ns <= 32 partial products at C[x + z * cs], in the order z = 0, 1, ...: 16 loads
 * issued together (z clamped past ns, added only below it), the next 16 only when ns > 16, where
 * a loop over z was a chain of ns dependent round trips per element. */
#define CH_LD(z, z0) "T c" #z " = C[x + (" #z " < ns ? " #z " : " #z0 ") * cs];\n"
#define CH_ADD(z) "if (" #z " < ns) u = u + c" #z ";\n"
#define CH_SUM                                                                                    \
    "T u = C[x];\n" CH_LD(1, 0) CH_LD(2, 0) CH_LD(3, 0) CH_LD(4, 0) CH_LD(5, 0) CH_LD(6, 0)         \
        CH_LD(7, 0) CH_LD(8, 0) CH_LD(9, 0) CH_LD(10, 0) CH_LD(11, 0) CH_LD(12, 0) CH_LD(13, 0)   \
            CH_LD(14, 0) CH_LD(15, 0) CH_ADD(1) CH_ADD(2) CH_ADD(3) CH_ADD(4) CH_ADD(5)           \
                CH_ADD(6) CH_ADD(7) CH_ADD(8) CH_ADD(9) CH_ADD(10) CH_ADD(11) CH_ADD(12)          \
                    CH_ADD(13) CH_ADD(14) CH_ADD(15)                                              \
    "if (ns > 16) {\n" CH_LD(16, 16) CH_LD(17, 16) CH_LD(18, 16) CH_LD(19, 16) CH_LD(20, 16)    \
        CH_LD(21, 16) CH_LD(22, 16) CH_LD(23, 16) CH_LD(24, 16) CH_LD(25, 16) CH_LD(26, 16)      \
            CH_LD(27, 16) CH_LD(28, 16) CH_LD(29, 16) CH_LD(30, 16) CH_LD(31, 16) CH_ADD(16)      \
                CH_ADD(17) CH_ADD(18) CH_ADD(19) CH_ADD(20) CH_ADD(21) CH_ADD(22) CH_ADD(23)      \
                    CH_ADD(24) CH_ADD(25) CH_ADD(26) CH_ADD(27) CH_ADD(28) CH_ADD(29) CH_ADD(30)  \
                        CH_ADD(31) "}\n"

/* Cholesky, panel k (width bw): 16 rows below the diagonal block per workgroup of 256 (at
 * least one workgroup per matrix).  Every workgroup factors the diagonal block A11 - C11 itself
 * (packed lower triangle in workgroup memory, chol_step's arithmetic: a pivot <= 0 gives -1 on
 * the diagonal), then solves its rows L21 = (A21 - C21) L11^-T by substitution: one launch
 * instead of a factor launch and a solve launch, and the repeated factorization costs no time
 * (the workgroups run side by side; the solve waited for it before).  Since other workgroups
 * still read A11 from a, workgroup 0 leaves L11 in D (one 64-column slot per row, (B, n, 64)),
 * which chol_put copies into a after the last panel.  Four columns a barrier, in the factor
 * and in the solve: a one-workgroup kernel is a chain of dependent steps, each a round of
 * workgroup-memory accesses (session 13: 0.13 ms a launch for 192 steps; the barrier itself is
 * ~10 ns, bench/h100/barrier_probe.py), so fewer, fuller steps are what saves.  At step j
 * every thread reads columns j..j+3 as the previous step left them (unscaled), finishes the
 * four values it needs of each row it touches itself (the 4 x 4 diagonal block, then its rows:
 * chol_step's divisions and subtractions in chol_step's order, so the factors are the per-column
 * kernel's bit for bit) and subtracts all four from its elements right of the block; the
 * finished values of columns j..j+3 are stored after the barrier (by one thread a row), when no
 * one reads those columns any more.  16 barrier steps in each phase instead of 64 and 128. */
static const wgP_libk chol_panel = {
    .name = "wg_chol_panel",
    .in_params = "raw T C, int32 n, int32 k, int32 bw, int32 hasc, int32 nrb, int32 ns",
    .out_params = "raw T a, raw T D",
    .operation =
        "__shared__ T L[2080]; __shared__ T R[1024];\n"
        "int t = i & 255; int g = i >> 8; int nb = nrb > 0 ? nrb : 1;\n"
        "int bm = g / nb; int gi = g - bm * nb; int r0 = k + bw + gi * 16;\n"
        "int base = bm * n * n; int cb = bm * ns * (n - k) * bw; int cs = (n - k) * bw;\n"
        "for (int e = t; e < 4096; e += 256) {\n"
        "  int lr = e >> 6; int lc = e & 63;\n"
        "  if (lc <= lr && lr < bw) {\n"
        "    T v = a[base + (k + lr) * n + k + lc];\n"
        "    if (hasc != 0) {\n"
        "      int x = cb + lr * bw + lc;\n" CH_SUM
        "      v = v - u;\n"
        "    }\n"
        "    L[lr * (lr + 1) / 2 + lc] = v;\n"
        "  }\n"
        "}\n"
        "int c = t & 63; int q = t >> 6;\n"
        "for (int e = 0; e < 4; e++) {\n"
        "  int rr = q + 4 * e; int r = r0 + rr;\n"
        "  if (r < n && c < bw) {\n"
        "    T v = a[base + r * n + k + c];\n"
        "    if (hasc != 0) {\n"
        "      int x = cb + (r - k) * bw + c;\n" CH_SUM
        "      v = v - u;\n"
        "    }\n"
        "    R[rr * 64 + c] = v;\n"
        "  }\n"
        "}\n"
        "__wg_barrier();\n"
        "int pa = t >> 3; int ph = t & 7;\n"
        "for (int j = 0; j < bw; j += 4) {\n"
        "  int j1 = j + 1 < bw ? j + 1 : j; int j2 = j + 2 < bw ? j + 2 : j; int j3 = j + 3 < bw ? j + 3 : j;\n"
        "  int p0 = j * (j + 1) / 2; int p1 = j1 * (j1 + 1) / 2; int p2 = j2 * (j2 + 1) / 2;\n"
        "  int p3 = j3 * (j3 + 1) / 2;\n"
        "  T a00 = L[p0 + j]; T d0 = a00 <= 0 ? (T)-1 : sqrt(a00);\n"
        "  T l10 = L[p1 + j] / d0; T a11 = L[p1 + j1] - l10 * l10; T d1 = a11 <= 0 ? (T)-1 : sqrt(a11);\n"
        "  T l20 = L[p2 + j] / d0; T l21 = (L[p2 + j1] - l20 * l10) / d1;\n"
        "  T a22 = (L[p2 + j2] - l20 * l20) - l21 * l21; T d2 = a22 <= 0 ? (T)-1 : sqrt(a22);\n"
        "  T l30 = L[p3 + j] / d0; T l31 = (L[p3 + j1] - l30 * l10) / d1;\n"
        "  T l32 = ((L[p3 + j2] - l30 * l20) - l31 * l21) / d2;\n"
        "  T a33 = ((L[p3 + j3] - l30 * l30) - l31 * l31) - l32 * l32; T d3 = a33 <= 0 ? (T)-1 : sqrt(a33);\n"
        "  T xa0 = (T)0; T xa1 = (T)0; T xa2 = (T)0; T xa3 = (T)0;\n"
        "  T xb0 = (T)0; T xb1 = (T)0; T xb2 = (T)0; T xb3 = (T)0;\n"
        "  for (int h = 0; h < 2; h++) {\n"
        "    int r = h == 0 ? pa : 63 - pa;\n"
        "    if (r > j + 3 && r < bw) {\n"
        "      int pr = r * (r + 1) / 2;\n"
        "      T x0 = L[pr + j] / d0; T x1 = (L[pr + j + 1] - x0 * l10) / d1;\n"
        "      T x2 = ((L[pr + j + 2] - x0 * l20) - x1 * l21) / d2;\n"
        "      T x3 = (((L[pr + j + 3] - x0 * l30) - x1 * l31) - x2 * l32) / d3;\n"
        "      for (int cc = j + 4 + ph; cc <= r; cc += 8) {\n"
        "        int pq = cc * (cc + 1) / 2;\n"
        "        T y0 = L[pq + j] / d0; T y1 = (L[pq + j + 1] - y0 * l10) / d1;\n"
        "        T y2 = ((L[pq + j + 2] - y0 * l20) - y1 * l21) / d2;\n"
        "        T y3 = (((L[pq + j + 3] - y0 * l30) - y1 * l31) - y2 * l32) / d3;\n"
        "        L[pr + cc] = (((L[pr + cc] - x0 * y0) - x1 * y1) - x2 * y2) - x3 * y3;\n"
        "      }\n"
        "      if (h == 0) { xa0 = x0; xa1 = x1; xa2 = x2; xa3 = x3; }\n"
        "      else { xb0 = x0; xb1 = x1; xb2 = x2; xb3 = x3; }\n"
        "    }\n"
        "  }\n"
        "  __wg_barrier();\n"
        "  if (ph == 0) {\n"
        "    int ra = pa; int rb = 63 - pa;\n"
        "    if (ra > j + 3 && ra < bw) { int pr = ra * (ra + 1) / 2; L[pr + j] = xa0; L[pr + j + 1] = xa1;"
        " L[pr + j + 2] = xa2; L[pr + j + 3] = xa3; }\n"
        "    if (rb > j + 3 && rb < bw) { int pr = rb * (rb + 1) / 2; L[pr + j] = xb0; L[pr + j + 1] = xb1;"
        " L[pr + j + 2] = xb2; L[pr + j + 3] = xb3; }\n"
        "  }\n"
        "  if (t == 0) {\n"
        "    L[p0 + j] = d0;\n"
        "    if (j + 1 < bw) { L[p1 + j] = l10; L[p1 + j1] = d1; }\n"
        "    if (j + 2 < bw) { L[p2 + j] = l20; L[p2 + j1] = l21; L[p2 + j2] = d2; }\n"
        "    if (j + 3 < bw) { L[p3 + j] = l30; L[p3 + j1] = l31; L[p3 + j2] = l32; L[p3 + j3] = d3; }\n"
        "  }\n"
        "}\n"
        "__wg_barrier();\n"
        "int pc = c * (c + 1) / 2;\n"
        "for (int j = 0; j < bw; j += 4) {\n"
        "  int j1 = j + 1 < bw ? j + 1 : j; int j2 = j + 2 < bw ? j + 2 : j; int j3 = j + 3 < bw ? j + 3 : j;\n"
        "  int p1 = j1 * (j1 + 1) / 2; int p2 = j2 * (j2 + 1) / 2; int p3 = j3 * (j3 + 1) / 2;\n"
        "  T d0 = L[j * (j + 1) / 2 + j]; T d1 = L[p1 + j1]; T d2 = L[p2 + j2]; T d3 = L[p3 + j3];\n"
        "  T l10 = L[p1 + j]; T l20 = L[p2 + j]; T l21 = L[p2 + j1]; T l30 = L[p3 + j]; T l31 = L[p3 + j1];\n"
        "  T l32 = L[p3 + j2];\n"
        "  T c0 = (T)0; T c1 = (T)0; T c2 = (T)0; T c3 = (T)0;\n"
        "  if (c > j + 3 && c < bw) { c0 = L[pc + j]; c1 = L[pc + j + 1]; c2 = L[pc + j + 2]; c3 = L[pc + j + 3]; }\n"
        "  T s0 = (T)0; T s1 = (T)0; T s2 = (T)0; T s3 = (T)0;\n"
        "  for (int e = 0; e < 4; e++) {\n"
        "    int rw = (q + 4 * e) * 64;\n"
        "    T y0 = R[rw + j] / d0;\n"
        "    T y1 = (R[rw + j1] - y0 * l10) / d1;\n"
        "    T y2 = ((R[rw + j2] - y0 * l20) - y1 * l21) / d2;\n"
        "    T y3 = (((R[rw + j3] - y0 * l30) - y1 * l31) - y2 * l32) / d3;\n"
        "    if (c > j + 3 && c < bw)\n"
        "      R[rw + c] = (((R[rw + c] - y0 * c0) - y1 * c1) - y2 * c2) - y3 * c3;\n"
        "    T y = c == j ? y0 : (c == j + 1 ? y1 : (c == j + 2 ? y2 : y3));\n"
        "    if (e == 0) s0 = y; if (e == 1) s1 = y; if (e == 2) s2 = y; if (e == 3) s3 = y;\n"
        "  }\n"
        "  __wg_barrier();\n"
        "  if (c >= j && c < j + 4 && c < bw) {\n"
        "    R[q * 64 + c] = s0; R[(q + 4) * 64 + c] = s1; R[(q + 8) * 64 + c] = s2;\n"
        "    R[(q + 12) * 64 + c] = s3;\n"
        "  }\n"
        "}\n"
        "__wg_barrier();\n"
        "for (int e = 0; e < 4; e++) {\n"
        "  int rr = q + 4 * e; int r = r0 + rr;\n"
        "  if (r < n && c < bw) a[base + r * n + k + c] = R[rr * 64 + c];\n"
        "}\n"
        "if (gi == 0) {\n"
        "  for (int e = t; e < 4096; e += 256) {\n"
        "    int lr = e >> 6; int lc = e & 63;\n"
        "    if (lc <= lr && lr < bw) D[(bm * n + k + lr) * 64 + lc] = L[lr * (lr + 1) / 2 + lc];\n"
        "  }\n"
        "}\n",
    .preamble = "",
    .loop_prep = IN_RANGE_256,
};

/* Cholesky, after the last panel: the diagonal blocks chol_panel left in D ((B, n, 64): row r's
 * slot holds L[r, kb:kb+64], kb = r - r % 64) go into a's lower triangle. */
static const wgP_libk chol_put = {
    .name = "wg_chol_put",
    .in_params = "raw T D, int32 n",
    .out_params = "raw T a",
    .operation =
        "int c = i & 63; int rw = i >> 6; int bm = rw / n; int r = rw - bm * n;\n"
        "int kb = r - (r & 63);\n"
        "if (kb + c <= r) a[(bm * n + r) * n + kb + c] = D[i];\n",
    .preamble = "",
    .loop_prep = "",
};

/* LU, panel k (columns k..k+bw-1, rows k..n-1): one workgroup of 256 per matrix over global
 * memory; thread t owns the rows r with r mod 256 = t.  First the deferred update P (hasp;
 * (n-k, w-k) per matrix) is subtracted from the panel.  Then per column: each thread's best row
 * of its own (the first of the largest |a|), found while it updated them for the previous
 * column; 16 threads reduce 16 candidates each and every thread the 16 (ties: the lower row,
 * as LAPACK's isamax; a NaN diagonal stays the pivot, as lu_pivot); the rows swapped across the
 * panel; the multipliers and the panel's rank-1 update as lu_step's.  3 barriers a column. */
#define LU_S_(x) #x
#define LU_S(x) LU_S_(x)
/* TH threads (G * G of them: G reduce G candidates each), owning rows r mod TH */
#define LU_OWN(FROM, TH)                                                                         \
    "for (int r = (" FROM ") + ((t - (" FROM ")) & (" LU_S(TH) " - 1)); r < n; r += " LU_S(TH) ")"
/* One row's update in batches of 16 columns c0.. (clamped to the panel; stores only inside it):
 * the 16 loads are issued before their stores, where one at a time each was a round trip. */
#define LU_LD(u) "int m" #u " = c0 + " #u " < bw ? c0 + " #u " : bw - 1; T v" #u " = a[x + m" #u "];\n"
#define LU_LD16                                                                                   \
    LU_LD(0) LU_LD(1) LU_LD(2) LU_LD(3) LU_LD(4) LU_LD(5) LU_LD(6) LU_LD(7) LU_LD(8) LU_LD(9)     \
        LU_LD(10) LU_LD(11) LU_LD(12) LU_LD(13) LU_LD(14) LU_LD(15)
#define LU_ST(u) "if (c0 + " #u " < bw) a[x + c0 + " #u "] = v" #u " - l * pr[m" #u "];\n"
#define LU_ST15                                                                                   \
    LU_ST(2) LU_ST(3) LU_ST(4) LU_ST(5) LU_ST(6) LU_ST(7) LU_ST(8) LU_ST(9) LU_ST(10) LU_ST(11)   \
        LU_ST(12) LU_ST(13) LU_ST(14) LU_ST(15)
#define LU_LDB(u) "T w" #u " = a[y + m" #u "];\n"
#define LU_LDB16                                                                                  \
    LU_LDB(0) LU_LDB(1) LU_LDB(2) LU_LDB(3) LU_LDB(4) LU_LDB(5) LU_LDB(6) LU_LDB(7) LU_LDB(8)     \
        LU_LDB(9) LU_LDB(10) LU_LDB(11) LU_LDB(12) LU_LDB(13) LU_LDB(14) LU_LDB(15)
#define LU_STB(u) "if (c0 + " #u " < bw && h2 != 0) a[y + c0 + " #u "] = w" #u " - l2 * pr[m" #u "];\n"
#define LU_STB15                                                                                  \
    LU_STB(2) LU_STB(3) LU_STB(4) LU_STB(5) LU_STB(6) LU_STB(7) LU_STB(8) LU_STB(9) LU_STB(10)    \
        LU_STB(11) LU_STB(12) LU_STB(13) LU_STB(14) LU_STB(15)
/* the rows r of LU_OWN two at a time (r and r + TH: twice the loads in flight) */
#define LU_OWN2(FROM, TH)                                                                        \
    "for (int r = (" FROM ") + ((t - (" FROM ")) & (" LU_S(TH) " - 1)); r < n; r += 2 * " LU_S(TH) ")"
/* The head of a panel's loop over its columns (the loop stays open: each panel kernel goes on
 * with its own update of the rows below): the first largest |a| below the diagonal (each
 * thread's candidate bv/bi from its rows, then G threads reduce G candidates each, then every
 * thread the G; a NaN diagonal stays the pivot), the rows swapped across the panel, the pivot
 * recorded, d the pivot.  Shared by the GPU and the CPU-like panel kernels. */
#define LU_PIVOT_STEP(G)                                                                            \
        "int flips = 0;\n"                                                                          \
        "for (int j = 0; j < bw; j++) {\n"                                                          \
        "  int kj = k + j;\n"                                                                       \
        "  cv[t] = bv; ci[t] = bi;\n"                                                               \
        "  __syncthreads();\n"                                                                      \
        "  if (t < " LU_S(G) ") {\n"                                                                \
        "    T mv = cv[" LU_S(G) " * t]; int mi = ci[" LU_S(G) " * t];\n"                           \
        "    for (int e = 1; e < " LU_S(G) "; e++) {\n"                                             \
        "      T v = cv[" LU_S(G) " * t + e]; int x = ci[" LU_S(G) " * t + e];\n"                   \
        "      if (v > mv || (v == mv && x >= 0 && (mi < 0 || x < mi))) { mv = v; mi = x; }\n"      \
        "    }\n"                                                                                   \
        "    cv2[t] = mv; ci2[t] = mi;\n"                                                           \
        "  }\n"                                                                                     \
        "  T mv = fabs(a[base + kj * w + kj]);\n"                                                   \
        "  __syncthreads();\n"                                                                      \
        "  int p = kj;\n"                                                                           \
        "  if (mv == mv) {\n"                                                                       \
        "    for (int e = 0; e < " LU_S(G) "; e++) {\n"                                             \
        "      T v = cv2[e]; int x = ci2[e];\n"                                                     \
        "      if (v > mv || (v == mv && x >= 0 && x < p)) { mv = v; p = x; }\n"                    \
        "    }\n"                                                                                   \
        "  }\n"                                                                                     \
        "  if (t < bw) {\n"                                                                         \
        "    T x = a[base + kj * w + k + t]; T y = a[base + p * w + k + t];\n"                      \
        "    if (p != kj) { a[base + kj * w + k + t] = y; a[base + p * w + k + t] = x; }\n"         \
        "    pr[t] = y;\n"                                                                          \
        "  }\n"                                                                                     \
        "  if (t == 0) { piv[bm * n + kj] = p; if (p != kj) flips = 1 - flips; }\n"                 \
        "  __syncthreads();\n"                                                                      \
        "  T d = pr[j];\n"                                                                          \
        "  bv = -1; bi = -1;\n"

#define LU_PANEL(NAME, TH, G)                                                                       \
    static const wgP_libk NAME = {                                                                  \
    .name = "wg_" #NAME,                                                                            \
    .in_params = "raw T P, int32 n, int32 w, int32 k, int32 bw, int32 hasp",                        \
    .out_params = "raw T a, raw int32 piv, raw int32 par",                                          \
    .operation =                                                                                    \
        "__shared__ T cv[" LU_S(TH) "]; __shared__ int ci[" LU_S(TH) "];\n"                         \
        "__shared__ T cv2[" LU_S(G) "]; __shared__ int ci2[" LU_S(G) "]; __shared__ T pr[64];\n"    \
        "int t = i % " LU_S(TH) "; int bm = i / " LU_S(TH) "; int base = bm * n * w;\n"             \
        "int pw = w - k; int pb = bm * (n - k) * pw;\n"                                             \
        "T bv = -1; int bi = -1;\n"                                                                 \
        LU_OWN("k", TH) " {\n"                                                                      \
        "  int x = base + r * w + k; int y = pb + (r - k) * pw;\n"                                  \
        "  if (hasp != 0) {\n"                                                                      \
        "    int n8 = bw >> 3;\n"                                                                   \
        "    for (int q = 0; q < n8; q++) {\n"                                                      \
        "      int c = 8 * q;\n"                                                                    \
        "      T v0 = a[x + c]; T v1 = a[x + c + 1]; T v2 = a[x + c + 2]; T v3 = a[x + c + 3];\n"   \
        "      T v4 = a[x + c + 4]; T v5 = a[x + c + 5]; T v6 = a[x + c + 6]; T v7 = a[x + c + 7];\n" \
        "      T p0 = P[y + c]; T p1 = P[y + c + 1]; T p2 = P[y + c + 2]; T p3 = P[y + c + 3];\n"   \
        "      T p4 = P[y + c + 4]; T p5 = P[y + c + 5]; T p6 = P[y + c + 6]; T p7 = P[y + c + 7];\n" \
        "      a[x + c] = v0 - p0; a[x + c + 1] = v1 - p1; a[x + c + 2] = v2 - p2;\n"              \
        "      a[x + c + 3] = v3 - p3; a[x + c + 4] = v4 - p4; a[x + c + 5] = v5 - p5;\n"          \
        "      a[x + c + 6] = v6 - p6; a[x + c + 7] = v7 - p7;\n"                                   \
        "    }\n"                                                                                   \
        "    for (int c = 8 * n8; c < bw; c++) a[x + c] = a[x + c] - P[y + c];\n"                   \
        "  }\n"                                                                                     \
        "  if (r > k) { T v = fabs(a[x]); if (v > bv) { bv = v; bi = r; } }\n"                      \
        "}\n"                                                                                       \
        LU_PIVOT_STEP(G)                                                                            \
        "  " LU_OWN2("kj + 1", TH) " {\n"                                                            \
        "    int r2 = r + " LU_S(TH) "; int h2 = r2 < n ? 1 : 0;\n"                                  \
        "    int x = base + r * w + k; int y = base + (h2 != 0 ? r2 : r) * w + k;\n"                 \
        "    if (d != 0) {\n"                                                                        \
        "      T l = (T)0; T l2 = (T)0;\n"                                                           \
        "      for (int c0 = j; c0 < bw; c0 += 16) {\n"                                              \
        LU_LD16 LU_LDB16                                                                             \
        "        if (c0 == j) { l = v0 / d; a[x + j] = l; l2 = w0 / d; if (h2 != 0) a[y + j] = l2; }\n" \
        "        else { a[x + c0] = v0 - l * pr[m0]; if (h2 != 0) a[y + c0] = w0 - l2 * pr[m0]; }\n" \
        "        T n1 = v1 - l * pr[m1]; T o1 = w1 - l2 * pr[m1];\n"                                 \
        "        if (c0 + 1 < bw) { a[x + c0 + 1] = n1; if (h2 != 0) a[y + c0 + 1] = o1; }\n"        \
        LU_ST15 LU_STB15                                                                             \
        "        if (c0 == j && j + 1 < bw) {\n"                                                     \
        "          if (r > kj + 1) { T v = fabs(n1); if (v > bv) { bv = v; bi = r; } }\n"            \
        "          if (h2 != 0) { T v = fabs(o1); if (v > bv) { bv = v; bi = r2; } }\n"              \
        "        }\n"                                                                                \
        "      }\n"                                                                                  \
        "    } else if (j + 1 < bw) {\n"                                                             \
        "      if (r > kj + 1) { T v = fabs(a[x + j + 1]); if (v > bv) { bv = v; bi = r; } }\n"      \
        "      if (h2 != 0) { T v = fabs(a[y + j + 1]); if (v > bv) { bv = v; bi = r2; } }\n"        \
        "    }\n"                                                                                    \
        "  }\n"                                                                                      \
        "}\n"                                                                                       \
        "if (t == 0) par[bm] = ((k == 0 ? 0 : par[bm]) + flips) & 1;\n",                                           \
    .preamble = "",                                                                                 \
    .loop_prep = "__wg_block(" LU_S(TH) "); __in_range()",                                       \
}
LU_PANEL(lu_panel, 256, 16);
LU_PANEL(lu_panel64, 64, 8); /* matrices of at most 64 rows */

/* LU, panel k on a GPU while the panel's rows fit in registers (n - k <= 1024, bw <= 64): one
 * workgroup of 256 per matrix, thread t holding rows k + t + 256 q (q < 4) of 32 columns in 128
 * registers (v<q>_<s>, named statically: no array indexing, so no local-memory spill), the
 * deferred update P subtracted as they load.  The registers rotate: at step j slot s holds
 * column (j + s) mod 32, so the step's column is always slot 0 and every access is static.
 * Indexing column j by a dynamic j (session 12) took a chain of 32 selects per read and two
 * selects per updated element, ~5x the multiply-adds (6.6 of solve 1024^2's 8.6 GPU ms were
 * these panels on the H100).  Each step's update writes slot s from slot s + 1 (l * u subtracted
 * for the unfinished columns; pu holds the pivot row with its finished columns zeroed, so the
 * multipliers rotate through unchanged) and the multiplier goes to slot 31; after 32 steps
 * (steps past the half's width only rotate) slot s holds column s again.  Per column only
 * workgroup memory and registers: the pivot reduction as lu_panel's (candidates read with
 * stride 1: no bank conflicts), the pivot row and row kj exchanged through pr and sw, the
 * multipliers and the rank-1 update as lu_step's (l = a / d, a - l * u), each thread's next
 * candidate its new slot 0.
 * A panel of 64 is two halves of 32 (LAPACK's recursive getrf, one level): after the first is
 * stored, the second's rows load through the first's row swaps (perm), its top 32 rows become
 * U12 = L11^-1 A12 in workgroup memory (four rows a step: each thread finishes the four rows'
 * values of its column itself, in lu_step's order, and they are stored after the barrier, as
 * chol_panel's solve) and every row below subtracts L21 U12 (its L from the
 * stored first half) — in the subtraction order of lu_step's — before its 32 steps; at the end
 * the second half's swaps move the first half's rows.  That halves the launches of lu_cols and
 * the matmul, and lu_cols' pass over the trailing matrix (3 launches a panel of 64 instead of
 * a panel of 32). */
#define LU_C32(X, q)                                                                              \
    X(q, 0) X(q, 1) X(q, 2) X(q, 3) X(q, 4) X(q, 5) X(q, 6) X(q, 7) X(q, 8) X(q, 9) X(q, 10)     \
        X(q, 11) X(q, 12) X(q, 13) X(q, 14) X(q, 15) X(q, 16) X(q, 17) X(q, 18) X(q, 19)         \
            X(q, 20) X(q, 21) X(q, 22) X(q, 23) X(q, 24) X(q, 25) X(q, 26) X(q, 27) X(q, 28)     \
                X(q, 29) X(q, 30) X(q, 31)
/* X(q, s, s + 1) for s < 31 */
#define LU_P31(X, q)                                                                              \
    X(q, 0, 1) X(q, 1, 2) X(q, 2, 3) X(q, 3, 4) X(q, 4, 5) X(q, 5, 6) X(q, 6, 7) X(q, 7, 8)       \
        X(q, 8, 9) X(q, 9, 10) X(q, 10, 11) X(q, 11, 12) X(q, 12, 13) X(q, 13, 14) X(q, 14, 15)   \
            X(q, 15, 16) X(q, 16, 17) X(q, 17, 18) X(q, 18, 19) X(q, 19, 20) X(q, 20, 21)         \
                X(q, 21, 22) X(q, 22, 23) X(q, 23, 24) X(q, 24, 25) X(q, 25, 26) X(q, 26, 27)     \
                    X(q, 27, 28) X(q, 28, 29) X(q, 29, 30) X(q, 30, 31)
#define LU_R4(Y) Y(0) Y(1) Y(2) Y(3)
#define LU_V(q, c) "v" #q "_" #c
#define LU_RDECL(q, c) "T " LU_V(q, c) " = (T)0;\n"
#define LU_RDECLS(q)                                                                              \
    "int r" #q " = k + t + 256 * " #q "; int x" #q " = base + r" #q " * w + k;"                   \
    " int xl" #q " = base + (r" #q " < n ? r" #q " : n - 1) * w + k;\n" LU_C32(LU_RDECL, q)
/* row q's half h (the deferred update subtracted), from its source row s<q>: the 32 loads of a
 * (and then the 32 of P) in one straight block, columns past the half clamped to its last one
 * and rows past n to row n - 1 (then zeroed: the values are session 14's), where a branch per
 * element (r < n, c < hb) around each load kept a thread's loads one round trip after another */
#define LU_RLD(q, c) LU_V(q, c) " = a[xs" #q " + h + (" #c " < hb ? " #c " : hb - 1)];\n"
#define LU_RLP(q, c) LU_V(q, c) " = " LU_V(q, c) " - P[ys" #q " + h + (" #c " < hb ? " #c " : hb - 1)];\n"
#define LU_RLZ(q, c) "if (r" #q " >= n || " #c " >= hb) " LU_V(q, c) " = (T)0;\n"
#define LU_RLOAD(q)                                                                               \
    "{ int rc" #q " = r" #q " < n ? r" #q " : n - 1;"                                             \
    " int s" #q " = h > 0 && r" #q " < n ? k + perm[r" #q " - k] : rc" #q ";"                     \
    " int xs" #q " = base + s" #q " * w + k; int ys" #q " = pb + (s" #q " - k) * pw;\n"           \
    LU_C32(LU_RLD, q) "if (hasp != 0) {\n" LU_C32(LU_RLP, q) "}\n"                              \
    "if (r" #q " >= n || hb < 32) {\n" LU_C32(LU_RLZ, q) "}\n}\n"
#define LU_RCAND0(q)                                                                              \
    "if (r" #q " > k + h && r" #q " < n) { T v = fabs(" LU_V(q, 0) "); if (v > bv) { bv = v; bi = r" #q "; } }\n"
#define LU_RPR(q, c) "pr[" #c "] = " LU_V(q, c) "; pu[" #c "] = " #c " < nf ? " LU_V(q, c) " : (T)0;\n"
#define LU_RSW(q, c) "sw[" #c "] = " LU_V(q, c) ";\n"
#define LU_RGSW(q, c) LU_V(q, c) " = sw[" #c "];\n"
#define LU_RGPR(q, c) LU_V(q, c) " = pr[" #c "];\n"
#define LU_RU(q, c, c1) "T u" #c1 " = pu[" #c1 "];\n"
#define LU_RUPD(q, c, c1) LU_V(q, c) " = " LU_V(q, c1) " - l * u" #c1 ";\n"
#define LU_RROT(q, c, c1) LU_V(q, c) " = " LU_V(q, c1) ";\n"
#define LU_RST(q, c) "if (h + " #c " < bw) a[x" #q " + h + " #c "] = " LU_V(q, c) ";\n"
/* the pivot row's owner puts it in pr and pu (its slot q is dynamic: one branch per slot) */
#define LU_RPUT(q) "if (qp == " #q ") {\n" LU_C32(LU_RPR, q) "}\n"
#define LU_RGET(q) "if (qp == " #q ") {\n" LU_C32(LU_RGSW, q) "}\n"
/* row q's step: updated (below row kj, a nonzero pivot) or only rotated; then its candidate */
#define LU_RROW(q)                                                                                \
    "if (d != 0 && (" #q " > 0 || t > hj)) {\n"                                                   \
    "  T l = " LU_V(q, 0) " / d;\n" LU_P31(LU_RUPD, q) "  " LU_V(q, 31) " = l;\n"                  \
    "} else {\n"                                                                                  \
    "  T o = " LU_V(q, 0) ";\n" LU_P31(LU_RROT, q) "  " LU_V(q, 31) " = o;\n"                      \
    "}\n"                                                                                         \
    "if (r" #q " > kj + 1 && r" #q " < n && j + 1 < hb) {\n"                                      \
    "  T v = fabs(" LU_V(q, 0) "); if (v > bv) { bv = v; bi = r" #q "; }\n"                       \
    "}\n"
#define LU_RONLY(q) "{ T o = " LU_V(q, 0) ";\n" LU_P31(LU_RROT, q) "  " LU_V(q, 31) " = o; }\n"
/* a full half's 32 stores in one block (a branch per store otherwise) */
#define LU_RSTA(q, c) "a[x" #q " + h + " #c "] = " LU_V(q, c) ";\n"
#define LU_RSTORE(q)                                                                              \
    "if (r" #q " < n) {\n  if (hb == 32) {\n" LU_C32(LU_RSTA, q) "  } else {\n" LU_C32(LU_RST, q)  \
    "  }\n}\n"
/* the second half: L11 and the block row A12 -> U12 in workgroup memory, then every row below
 * subtracts L21 U12 (its L from the stored first half, U12's row s broadcast) */
#define LU_RTL(q, c) "Ls[t * 32 + " #c "] = " LU_V(q, c) ";\n"
#define LU_RTS(q, c) "S[t * 32 + " #c "] = " LU_V(q, c) ";\n"
#define LU_RFS(q, c) LU_V(q, c) " = S[t * 32 + " #c "];\n"
#define LU_RZ(q, c) "z" #c " = S[(s + e) * 32 + " #c "];\n"
#define LU_RZU(q, c) LU_V(q, c) " = " LU_V(q, c) " - l * z" #c ";\n"
#define LU_RZD(q, c) "T z" #c ";\n"
/* row q's L for columns s..s+3, loaded together (4 round trips to L2 in the place of 32), and
 * the four rows' 16 loads with no branch between them (rows past n read row n - 1, unused): a
 * guarded block a row kept them four round trips apart */
#define LU_RLL(q)                                                                                 \
    "T l" #q "_0 = a[xl" #q " + s]; T l" #q "_1 = a[xl" #q " + s + 1]; T l" #q "_2 = a[xl" #q      \
    " + s + 2]; T l" #q "_3 = a[xl" #q " + s + 3];\n"
#define LU_RUPD2(q)                                                                               \
    "if (r" #q " < n && (" #q " > 0 || t >= 32)) {\n"                                             \
    "  T l = e == 0 ? l" #q "_0 : (e == 1 ? l" #q "_1 : (e == 2 ? l" #q "_2 : l" #q "_3));\n"      \
    LU_C32(LU_RZU, q) "}\n"
/* the first half's rows swapped by the second half's pivots: read, then written */
#define LU_RML(q, c) LU_V(q, c) " = a[base + sr * w + k + " #c "];\n"
#define LU_RMS(q, c) "a[x" #q " + " #c "] = " LU_V(q, c) ";\n"
#define LU_RMOV1(q)                                                                               \
    "if (r" #q " < n && perm[r" #q " - k] != r" #q " - k) { int sr = k + perm[r" #q " - k];\n"     \
    LU_C32(LU_RML, q) "}\n"
#define LU_RMOV2(q) "if (r" #q " < n && perm[r" #q " - k] != r" #q " - k) {\n" LU_C32(LU_RMS, q) "}\n"
/* positions 0.. of perm after the swaps of pivots pvs[j0..j1) (thread 0; perm set to 0, 1, ...
 * before) */
#define LU_RPERM(J0, J1)                                                                          \
    "for (int e = t; e < 1024; e += 256) perm[e] = e;\n"                                          \
    "__wg_barrier();\n"                                                                           \
    "if (t == 0) {\n"                                                                             \
    "  for (int jj = " J0 "; jj < " J1 "; jj++) {\n"                                              \
    "    int pp = pvs[jj] - k; int o = perm[jj]; perm[jj] = perm[pp]; perm[pp] = o;\n"            \
    "  }\n"                                                                                       \
    "}\n"
/* The first largest of 16 candidates (value, row) at V0 E V1 / I0 E I1 (E = 0..15) as km, ki:
 * loaded together, then a tree of maxima and one of the rows holding the maximum (the lowest:
 * LAPACK's isamax), 4 dependent steps each, where a loop comparing value and row together was
 * a chain of 16.  Candidates are never NaN; "none" is (-1, -1), never a maximum above none. */
#define LU_KLD(E, V0, V1, I0, I1) "T kv" #E " = " V0 #E V1 "; int kx" #E " = " I0 #E I1 ";\n"
#define LU_KEQ(E) "int ke" #E " = kv" #E " == km ? kx" #E " : 2147483647;\n"
#define LU_KMAX16(V0, V1, I0, I1)                                                                 \
    LU_KLD(0, V0, V1, I0, I1) LU_KLD(1, V0, V1, I0, I1) LU_KLD(2, V0, V1, I0, I1)                \
    LU_KLD(3, V0, V1, I0, I1) LU_KLD(4, V0, V1, I0, I1) LU_KLD(5, V0, V1, I0, I1)                \
    LU_KLD(6, V0, V1, I0, I1) LU_KLD(7, V0, V1, I0, I1) LU_KLD(8, V0, V1, I0, I1)                \
    LU_KLD(9, V0, V1, I0, I1) LU_KLD(10, V0, V1, I0, I1) LU_KLD(11, V0, V1, I0, I1)              \
    LU_KLD(12, V0, V1, I0, I1) LU_KLD(13, V0, V1, I0, I1) LU_KLD(14, V0, V1, I0, I1)             \
    LU_KLD(15, V0, V1, I0, I1)                                                                    \
    "T km = fmax(fmax(fmax(fmax(kv0, kv1), fmax(kv2, kv3)), fmax(fmax(kv4, kv5), fmax(kv6, kv7))),\n" \
    "  fmax(fmax(fmax(kv8, kv9), fmax(kv10, kv11)), fmax(fmax(kv12, kv13), fmax(kv14, kv15))));\n" \
    LU_KEQ(0) LU_KEQ(1) LU_KEQ(2) LU_KEQ(3) LU_KEQ(4) LU_KEQ(5) LU_KEQ(6) LU_KEQ(7) LU_KEQ(8)     \
    LU_KEQ(9) LU_KEQ(10) LU_KEQ(11) LU_KEQ(12) LU_KEQ(13) LU_KEQ(14) LU_KEQ(15)                   \
    "int ki = min(min(min(min(ke0, ke1), min(ke2, ke3)), min(min(ke4, ke5), min(ke6, ke7))),\n"  \
    "  min(min(min(ke8, ke9), min(ke10, ke11)), min(min(ke12, ke13), min(ke14, ke15))));\n"
/* lu_rpanel's body: LOAD and STORE move a half between a (and P) and the registers, XSH declares
 * their workgroup arrays (lu_tpanel's tile) */
#define LU_RPANEL_OP(XSH, LOAD, STORE)                                                                           \
        "__shared__ T cv[256]; __shared__ int ci[256]; __shared__ T cv2[16];\n"                                  \
        "__shared__ int ci2[16]; __shared__ T pr[32]; __shared__ T pu[32]; __shared__ T sw[32];\n"               \
        "__shared__ T dg[1]; __shared__ int pvs[64]; __shared__ int perm[1024];\n"                               \
        "__shared__ T S[1024]; __shared__ T Ls[1024];\n" XSH                                                     \
        "int t = i & 255; int bm = i >> 8; int base = bm * n * w;\n"                                             \
        "int pw = w - k; int pb = bm * (n - k) * pw;\n"                                                          \
        "T bv = -1; int bi = -1; int flips = 0;\n" LU_R4(LU_RDECLS)                                              \
        "for (int h = 0; h < bw; h += 32) {\n"                                                                   \
        "  int hb = bw - h < 32 ? bw - h : 32;\n"                                                                \
        "  if (h > 0) {\n" LU_RPERM("0", "32") "    __syncthreads();\n  }\n"                                     \
        LOAD                                                                                                     \
        "  if (h > 0) {\n"                                                                                       \
        "    if (t < 32) {\n" LU_C32(LU_RTS, 0) "    }\n"                                                        \
        "    __wg_barrier();\n"                                                                                  \
        "    int g = t >> 5; int cc = t & 31;\n"                                                                 \
        "    for (int s = 0; s < 32; s += 4) {\n"                                                                \
        "      T u0 = S[s * 32 + cc];\n"                                                                         \
        "      T u1 = S[s * 32 + 32 + cc] - Ls[s * 32 + 32 + s] * u0;\n"                                         \
        "      T u2 = (S[s * 32 + 64 + cc] - Ls[s * 32 + 64 + s] * u0) - Ls[s * 32 + 65 + s] * u1;\n"            \
        "      T u3 = ((S[s * 32 + 96 + cc] - Ls[s * 32 + 96 + s] * u0) - Ls[s * 32 + 97 + s] * u1)"             \
        " - Ls[s * 32 + 98 + s] * u2;\n"                                                                         \
        "      for (int ii = s + 4 + g; ii < 32; ii += 8)\n"                                                     \
        "        S[ii * 32 + cc] = (((S[ii * 32 + cc] - Ls[ii * 32 + s] * u0) - Ls[ii * 32 + s + 1] * u1)"       \
        " - Ls[ii * 32 + s + 2] * u2) - Ls[ii * 32 + s + 3] * u3;\n"                                             \
        "      __wg_barrier();\n"                                                                                \
        "      if (g == 0) { S[s * 32 + 32 + cc] = u1; S[s * 32 + 64 + cc] = u2; S[s * 32 + 96 + cc] = u3; }\n"  \
        "    }\n"                                                                                                \
        "    __wg_barrier();\n"                                                                                  \
        "    if (t < 32) {\n" LU_C32(LU_RFS, 0) "    }\n"                                                        \
        "    " LU_C32(LU_RZD, 0)                                                                                 \
        "    for (int s = 0; s < 32; s += 4) {\n" LU_R4(LU_RLL)                                                  \
        "      for (int e = 0; e < 4; e++) {\n" LU_C32(LU_RZ, 0) LU_R4(LU_RUPD2) "      }\n"                     \
        "    }\n"                                                                                                \
        "  }\n"                                                                                                  \
        "  bv = -1; bi = -1;\n" LU_R4(LU_RCAND0)                                                                 \
        "  for (int j = 0; j < 32; j++) {\n"                                                                     \
        "    if (j < hb) {\n"                                                                                    \
        "      int hj = h + j; int kj = k + hj; int nf = 32 - j;\n"                                              \
        "      cv[t] = bv; ci[t] = bi;\n"                                                                        \
        "      if (t == hj) dg[0] = fabs(" LU_V(0, 0) ");\n"                                                     \
        "      __wg_barrier();\n"                                                                                \
        "      if (t < 16) {\n" LU_KMAX16("cv[16 * ", " + t]", "ci[16 * ", " + t]")                              \
        "        cv2[t] = km; ci2[t] = ki;\n"                                                                    \
        "      }\n"                                                                                              \
        "      __wg_barrier();\n"                                                                                \
        "      int p = kj;\n"                                                                                    \
        "      {\n" LU_KMAX16("cv2[", "]", "ci2[", "]")                                                          \
        "        T mv = dg[0];\n"                                                                                \
        "        if (mv == mv && km > mv) p = ki;\n"                                                             \
        "      }\n"                                                                                              \
        "      int tp = (p - k) & 255; int qp = (p - k) >> 8;\n"                                                 \
        "      if (t == tp) {\n" LU_R4(LU_RPUT) "      }\n"                                                      \
        "      if (t == hj) {\n" LU_C32(LU_RSW, 0) "      }\n"                                                   \
        "      if (t == 0) { piv[bm * n + kj] = p; pvs[hj] = p; if (p != kj) flips = 1 - flips; }\n"             \
        "      __wg_barrier();\n"                                                                                \
        "      if (p != kj) {\n"                                                                                 \
        "        if (t == tp) {\n" LU_R4(LU_RGET) "        }\n"                                                  \
        "        if (t == hj) {\n" LU_C32(LU_RGPR, 0) "        }\n"                                              \
        "      }\n"                                                                                              \
        "      T d = pr[0];\n"                                                                                   \
        "      bv = -1; bi = -1;\n" LU_P31(LU_RU, 0) LU_R4(LU_RROW)                                              \
        "    } else {\n" LU_R4(LU_RONLY) "    }\n"                                                               \
        "  }\n"                                                                                                  \
        "  if (h == 0 && bw > 32 && t < 32) {\n" LU_C32(LU_RTL, 0) "  }\n"                                       \
        STORE                                                                                                    \
        "}\n"                                                                                                    \
        "if (bw > 32) {\n"                                                                                       \
        "  __syncthreads();\n" LU_RPERM("32", "bw")                                                              \
        "  __wg_barrier();\n" LU_R4(LU_RMOV1)                                                                    \
        "  __syncthreads();\n" LU_R4(LU_RMOV2)                                                                   \
        "}\n"                                                                                                    \
        "if (t == 0) par[bm] = ((k == 0 ? 0 : par[bm]) + flips) & 1;\n"
static const wgP_libk lu_rpanel = {
    .name = "wg_lu_rpanel",
    .in_params = "raw T P, int32 n, int32 w, int32 k, int32 bw, int32 hasp",
    .out_params = "raw T a, raw int32 piv, raw int32 par",
    .operation = LU_RPANEL_OP("", LU_R4(LU_RLOAD), LU_R4(LU_RSTORE)),
    .preamble = "",
    .loop_prep = IN_RANGE_256,
};

/* lu_rpanel with its panel loaded and stored through workgroup memory (WGPY_LU_TLOAD=1, session
 * 15, an A/B variant until measured on the H100): thread t owns rows k + t + 256 q as before,
 * but a tile of 128 rows x 32 columns (Tt, rows padded to 33: the owners' reads of a row are
 * conflict-free) is filled by consecutive threads at consecutive addresses (thread t: column
 * t & 31 of rows (t >> 5) + 8 m, m < 16: a warp reads one row's 128 bytes, where in lu_rpanel a
 * warp's every load touches 32 rows' cache lines), the deferred update subtracted, and the
 * tile's 128 owners then read their rows from it; the stores go the other way.  8 tiles a half
 * each way, two workgroup barriers a tile.  32,004 bytes of workgroup memory for float32 (the
 * device must allow them: wg_set_workgroup_storage). */
#define LU_T16(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)
#define LU_TROW(m)                                                                                \
    "int rr = (t >> 5) + 8 * " #m "; int r = R0 + rr; int rc = r < n ? r : n - 1;"                \
    " int s = h > 0 && r < n ? k + perm[r - k] : rc;"
#define LU_TLA(m) "{ " LU_TROW(m) " Tt[rr * 33 + cc] = a[base + s * w + k + h + cl]; }\n"
#define LU_TLP(m)                                                                                 \
    "{ " LU_TROW(m) " Tt[rr * 33 + cc] = a[base + s * w + k + h + cl] - P[pb + (s - k) * pw + h + cl]; }\n"
#define LU_TGET(q, c) LU_V(q, c) " = Tt[(t & 127) * 33 + " #c "];\n"
#define LU_TPUT(q, c) "Tt[(t & 127) * 33 + " #c "] = " LU_V(q, c) ";\n"
#define LU_TST(m)                                                                                 \
    "{ int rr = (t >> 5) + 8 * " #m "; int r = R0 + rr;"                                          \
    " if (r < n && cc < hb) a[base + r * w + k + h + cc] = Tt[rr * 33 + cc]; }\n"
#define LU_TLOAD(q)                                                                               \
    "for (int sb = 0; sb < 2; sb++) {\n"                                                          \
    "  int R0 = k + 256 * " #q " + 128 * sb;\n"                                                   \
    "  if (R0 < n) {\n"                                                                           \
    "    if (hasp != 0) {\n" LU_T16(LU_TLP) "    } else {\n" LU_T16(LU_TLA) "    }\n"              \
    "    __wg_barrier();\n"                                                                       \
    "    if ((t >> 7) == sb) {\n" LU_C32(LU_TGET, q) "    }\n"                                    \
    "    __wg_barrier();\n"                                                                       \
    "  }\n"                                                                                       \
    "}\n"                                                                                         \
    "if (r" #q " >= n || hb < 32) {\n" LU_C32(LU_RLZ, q) "}\n"
#define LU_TSTORE(q)                                                                              \
    "for (int sb = 0; sb < 2; sb++) {\n"                                                          \
    "  int R0 = k + 256 * " #q " + 128 * sb;\n"                                                   \
    "  if (R0 < n) {\n"                                                                           \
    "    if ((t >> 7) == sb) {\n" LU_C32(LU_TPUT, q) "    }\n"                                    \
    "    __wg_barrier();\n" LU_T16(LU_TST)                                                        \
    "    __wg_barrier();\n"                                                                       \
    "  }\n"                                                                                       \
    "}\n"
#define LU_TPANEL_BYTES(isz) ((isz) * (256 + 16 + 96 + 1 + 1024 + 1024 + 128 * 33) + 4 * (256 + 16 + 64 + 1024))
static const wgP_libk lu_tpanel = {
    .name = "wg_lu_tpanel",
    .in_params = "raw T P, int32 n, int32 w, int32 k, int32 bw, int32 hasp",
    .out_params = "raw T a, raw int32 piv, raw int32 par",
    .operation = LU_RPANEL_OP("__shared__ T Tt[4224];\n",
                              "{ int cc = t & 31; int cl = cc < hb ? cc : hb - 1;\n" LU_R4(LU_TLOAD) "}\n",
                              "{ int cc = t & 31;\n" LU_R4(LU_TSTORE) "}\n"),
    .preamble = "",
    .loop_prep = IN_RANGE_256,
};

/* lu_cols' subtraction of P from rows r, r + 16, ..., r + 112 of its column: the 16 loads issued
 * before the 8 stores (rows clamped to n - 1 for the loads, stores only below n), where a row at
 * a time was a chain of round trips (a store, then the next row's loads behind it). */
#define LU_PL(u)                                                                                  \
    "    int r" #u " = r + 16 * " #u " < n ? r + 16 * " #u " : n - 1;"                              \
    " T a" #u " = a[base + r" #u " * w]; T p" #u " = P[pb + (r" #u " - k) * pw];\n"
#define LU_PST(u) "    if (r + 16 * " #u " < n) a[base + r" #u " * w] = a" #u " - p" #u ";\n"
#define LU_PS8                                                                                    \
    LU_PL(0) LU_PL(1) LU_PL(2) LU_PL(3) LU_PL(4) LU_PL(5) LU_PL(6) LU_PL(7) LU_PST(0) LU_PST(1)   \
        LU_PST(2) LU_PST(3) LU_PST(4) LU_PST(5) LU_PST(6) LU_PST(7)

/* LU, after panel k: 16 columns outside the panel per workgroup of 256 (thread (ty, tx):
 * column tx, rows ty, ty + 16, ...).  A column right of the panel first loses the deferred
 * update P (rows k..n-1, 16 threads a column); every column gets the panel's row swaps
 * (LAPACK's laswp, so L's columns left of the panel match getrf's too; one thread a column: the
 * swaps are a chain); a column right of the panel then becomes U12 = L11^-1 A12 (unit lower
 * L11, lu_step's order), four rows a barrier (as lu_rpanel's U12: each of the 16 threads of a
 * column finishes the four rows' values itself, stored after the barrier), the rows below them
 * spread over the 16 threads.
 * The block's rows (S), L11's strictly lower part (L) and the panel's pivots (pv: loaded by bw
 * threads at once, where the swap loop's loads of piv were a chain of round trips even when no
 * row moves) live in workgroup memory meanwhile. */
static const wgP_libk lu_cols = {
    .name = "wg_lu_cols",
    .in_params = "raw T P, raw int32 piv, int32 n, int32 w, int32 k, int32 bw, int32 hasp",
    .out_params = "raw T a",
    .operation =
        "__shared__ T L[2016]; __shared__ T S[1024]; __shared__ int pv[64];\n"
        "int nc = w - bw; int nwg = (nc + 15) / 16;\n"
        "int t = i & 255; int g = i >> 8; int bm = g / nwg; int tx = t & 15; int ty = t >> 4;\n"
        "int j = (g - bm * nwg) * 16 + tx; int ok = j < nc ? 1 : 0;\n"
        "int c = j < k ? j : j + bw; int base = bm * n * w + c; int lb = bm * n * w + k;\n"
        "int right = ok != 0 && c >= k + bw ? 1 : 0;\n"
        "for (int e = t; e < 4096; e += 256) {\n"
        "  int lr = e >> 6; int lc = e & 63;\n"
        "  if (lc < lr && lr < bw) L[lr * (lr - 1) / 2 + lc] = a[lb + (k + lr) * w + lc];\n"
        "}\n"
        "if (t < bw) pv[t] = piv[bm * n + k + t];\n"
        "if (hasp != 0 && right != 0) {\n"
        "  int pw = w - k; int pb = bm * (n - k) * pw + c - k;\n"
        "  for (int r = k + ty; r < n; r += 128) {\n" LU_PS8 "  }\n"
        "}\n"
        "__syncthreads();\n"
        "if (ok != 0) {\n"
        "  for (int r = ty; r < bw; r += 16) S[r * 16 + tx] = a[base + (k + r) * w];\n"
        "}\n"
        "__syncthreads();\n"
        "if (ok != 0 && ty == 0) {\n"
        "  for (int jj = 0; jj < bw; jj++) {\n"
        "    int p = pv[jj];\n"
        "    if (p != k + jj) {\n"
        "      T x = S[jj * 16 + tx];\n"
        "      if (p < k + bw) {\n"
        "        S[jj * 16 + tx] = S[(p - k) * 16 + tx];\n"
        "        S[(p - k) * 16 + tx] = x;\n"
        "      } else {\n"
        "        S[jj * 16 + tx] = a[base + p * w];\n"
        "        a[base + p * w] = x;\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "}\n"
        "__syncthreads();\n"
        "for (int jj = 0; jj < bw; jj += 4) {\n"
        "  int q1 = (jj + 1) * jj / 2 + jj; int q2 = (jj + 2) * (jj + 1) / 2 + jj;\n"
        "  int q3 = (jj + 3) * (jj + 2) / 2 + jj;\n"
        "  T u1 = (T)0; T u2 = (T)0; T u3 = (T)0;\n"
        "  if (right != 0) {\n"
        "    T u0 = S[jj * 16 + tx];\n"
        "    u1 = S[jj * 16 + 16 + tx] - L[q1] * u0;\n"
        "    u2 = (S[jj * 16 + 32 + tx] - L[q2] * u0) - L[q2 + 1] * u1;\n"
        "    u3 = ((S[jj * 16 + 48 + tx] - L[q3] * u0) - L[q3 + 1] * u1) - L[q3 + 2] * u2;\n"
        "    for (int r = jj + 4 + ty; r < bw; r += 16) {\n"
        "      int qr = r * (r - 1) / 2 + jj;\n"
        "      S[r * 16 + tx] = (((S[r * 16 + tx] - L[qr] * u0) - L[qr + 1] * u1) - L[qr + 2] * u2)"
        " - L[qr + 3] * u3;\n"
        "    }\n"
        "  }\n"
        "  __wg_barrier();\n"
        "  if (right != 0 && ty == 0) {\n"
        "    if (jj + 1 < bw) S[jj * 16 + 16 + tx] = u1;\n"
        "    if (jj + 2 < bw) S[jj * 16 + 32 + tx] = u2;\n"
        "    if (jj + 3 < bw) S[jj * 16 + 48 + tx] = u3;\n"
        "  }\n"
        "}\n"
        "__wg_barrier();\n"
        "if (ok != 0) {\n"
        "  for (int r = ty; r < bw; r += 16) a[base + (k + r) * w] = S[r * 16 + tx];\n"
        "}\n",
    .preamble = "",
    .loop_prep = IN_RANGE_256,
};

/* Back substitution, right-looking, block kb..kb+bw-1: 16 right-hand sides (columns n + c) per
 * workgroup of 256 (thread (ty, tx): right-hand side tx, rows ty, ty + 16, ...).  The solved
 * block below left Q = U[:kb+NB, blk] X[blk] ((qr, m) per matrix; hasq) for every row above it;
 * workgroups of part 0 subtract it from the block's rows as they load them, then solve the block
 * from its bottom row up (each row's value divided out and taken from the rows above it, spread
 * over the 16 threads; four rows a barrier, as lu_bsolve; U11 packed by columns and the block's
 * values in workgroup memory); workgroups of part p >= 1 subtract it from rows (p-1)*64.. above the
 * block.  Right-looking, the products are kb x bw x m (many tiles, K = 64) where left-looking
 * ones were bw x (n - kb) x m (for one right-hand side one workgroup walking K up to n). */
static const wgP_libk lu_bdiag = {
    .name = "wg_lu_bdiag",
    .in_params = "raw T Q, int32 n, int32 w, int32 kb, int32 bw, int32 hasq, int32 qr, int32 nup",
    .out_params = "raw T a",
    .operation =
        "__shared__ T U[2080]; __shared__ T X[1024];\n"
        "int m = w - n; int nwg = (m + 15) / 16;\n"
        "int t = i & 255; int g = i >> 8; int cw = g % nwg; int h = g / nwg;\n"
        "int bm = h / (nup + 1); int part = h - bm * (nup + 1);\n"
        "int tx = t & 15; int ty = t >> 4; int c = cw * 16 + tx; int base = bm * n * w;\n"
        "if (part == 0) {\n"
        "  for (int e = t; e < 4096; e += 256) {\n"
        "    int lr = e >> 6; int lc = e & 63;\n"
        "    if (lr <= lc && lc < bw) U[lc * (lc + 1) / 2 + lr] = a[base + (kb + lr) * w + kb + lc];\n"
        "  }\n"
        "  if (c < m) {\n"
        "    for (int r = ty; r < bw; r += 16) {\n"
        "      T s = a[base + (kb + r) * w + n + c];\n"
        "      if (hasq != 0) s = s - Q[(bm * qr + kb + r) * m + c];\n"
        "      X[r * 16 + tx] = s;\n"
        "    }\n"
        "  }\n"
        "} else if (c < m) {\n"
        "  for (int r = (part - 1) * 64 + ty; r < kb && r < part * 64; r += 16) {\n"
        "    int x = base + r * w + n + c;\n"
        "    a[x] = a[x] - Q[(bm * qr + r) * m + c];\n"
        "  }\n"
        "}\n"
        "__wg_barrier();\n"
        "for (int r = bw - 1; r >= 0; r -= 4) {\n"
        "  int r1 = r >= 1 ? r - 1 : r; int r2 = r >= 2 ? r - 2 : r; int r3 = r >= 3 ? r - 3 : r;\n"
        "  int p0 = r * (r + 1) / 2; int p1 = r1 * (r1 + 1) / 2; int p2 = r2 * (r2 + 1) / 2;\n"
        "  int p3 = r3 * (r3 + 1) / 2;\n"
        "  T v0 = X[r * 16 + tx] / U[p0 + r];\n"
        "  T v1 = (X[r1 * 16 + tx] - U[p0 + r1] * v0) / U[p1 + r1];\n"
        "  T v2 = ((X[r2 * 16 + tx] - U[p0 + r2] * v0) - U[p1 + r2] * v1) / U[p2 + r2];\n"
        "  T v3 = (((X[r3 * 16 + tx] - U[p0 + r3] * v0) - U[p1 + r3] * v1) - U[p2 + r3] * v2) / U[p3 + r3];\n"
        "  for (int l = ty; l < r - 3; l += 16)\n"
        "    X[l * 16 + tx] = (((X[l * 16 + tx] - U[p0 + l] * v0) - U[p1 + l] * v1) - U[p2 + l] * v2)"
        " - U[p3 + l] * v3;\n"
        "  __wg_barrier();\n"
        "  if (ty == 0) {\n"
        "    X[r * 16 + tx] = v0;\n"
        "    if (r >= 1) X[r1 * 16 + tx] = v1;\n"
        "    if (r >= 2) X[r2 * 16 + tx] = v2;\n"
        "    if (r >= 3) X[r3 * 16 + tx] = v3;\n"
        "  }\n"
        "}\n"
        "__wg_barrier();\n"
        "if (part == 0 && c < m) {\n"
        "  for (int r = ty; r < bw; r += 16) a[base + (kb + r) * w + n + c] = X[r * 16 + tx];\n"
        "}\n",
    .preamble = "",
    .loop_prep = IN_RANGE_256,
};

/* Back substitution for at most 4 right-hand sides on a GPU: one workgroup of 256 per matrix
 * walks every block of 64 rows from the bottom in one launch, where lu_bdiag and the product Q
 * took two launches a block (31 for 1024^2: ~0.5 ms of the host's recording and submission on
 * the H100, for a few us of work each).  Per block: U11 packed and the block's values X (64 rows
 * x 4 right-hand sides: thread (l0, c0)) in workgroup memory, solved bottom-up four rows a
 * barrier (every thread finishes the four rows' values of its right-hand side itself, in
 * lu_bdiag's order; stored after the barrier); then every row above the block subtracts its
 * product with the block (thread
 * t the rows t, t + 256, ...; 8 loads in flight), a storage barrier before the next block reads
 * those rows. */
#define LU_BL(u)                                                                                  \
    "int m" #u " = r + " #u " < bw ? r + " #u " : bw - 1;"                                          \
    " T u" #u " = a[x + kb + m" #u "]; if (r + " #u " >= bw) u" #u " = (T)0;\n"
#define LU_BA(u)                                                                                  \
    "s0 = s0 + u" #u " * X[(r + " #u ") * 4]; s1 = s1 + u" #u " * X[(r + " #u ") * 4 + 1];"        \
    " s2 = s2 + u" #u " * X[(r + " #u ") * 4 + 2]; s3 = s3 + u" #u " * X[(r + " #u ") * 4 + 3];\n"
static const wgP_libk lu_bsolve = {
    .name = "wg_lu_bsolve",
    .in_params = "int32 n, int32 w",
    .out_params = "raw T a",
    .operation =
        "__shared__ T U[2080]; __shared__ T X[256];\n"
        "int m = w - n; int t = i & 255; int bm = i >> 8; int base = bm * n * w;\n"
        "int l0 = t >> 2; int c0 = t & 3;\n"
        "for (int kb = ((n - 1) >> 6) << 6; kb >= 0; kb -= 64) {\n"
        "  int bw = n - kb < 64 ? n - kb : 64;\n"
        "  for (int e = t; e < 4096; e += 256) {\n"
        "    int lr = e >> 6; int lc = e & 63;\n"
        "    if (lr <= lc && lc < bw) U[lc * (lc + 1) / 2 + lr] = a[base + (kb + lr) * w + kb + lc];\n"
        "  }\n"
        "  X[t] = l0 < bw && c0 < m ? a[base + (kb + l0) * w + n + c0] : (T)0;\n"
        "  __wg_barrier();\n"
        "  for (int r = bw - 1; r >= 0; r -= 4) {\n"
        "    int r1 = r >= 1 ? r - 1 : r; int r2 = r >= 2 ? r - 2 : r; int r3 = r >= 3 ? r - 3 : r;\n"
        "    int p0 = r * (r + 1) / 2; int p1 = r1 * (r1 + 1) / 2; int p2 = r2 * (r2 + 1) / 2;\n"
        "    int p3 = r3 * (r3 + 1) / 2;\n"
        "    T v0 = X[r * 4 + c0] / U[p0 + r];\n"
        "    T v1 = (X[r1 * 4 + c0] - U[p0 + r1] * v0) / U[p1 + r1];\n"
        "    T v2 = ((X[r2 * 4 + c0] - U[p0 + r2] * v0) - U[p1 + r2] * v1) / U[p2 + r2];\n"
        "    T v3 = (((X[r3 * 4 + c0] - U[p0 + r3] * v0) - U[p1 + r3] * v1) - U[p2 + r3] * v2) / U[p3 + r3];\n"
        "    if (l0 < r - 3 && c0 < m)\n"
        "      X[t] = (((X[t] - U[p0 + l0] * v0) - U[p1 + l0] * v1) - U[p2 + l0] * v2) - U[p3 + l0] * v3;\n"
        "    __wg_barrier();\n"
        "    if (c0 < m) {\n"
        "      if (l0 == r) X[t] = v0; if (l0 == r - 1) X[t] = v1; if (l0 == r - 2) X[t] = v2;\n"
        "      if (l0 == r - 3) X[t] = v3;\n"
        "    }\n"
        "  }\n"
        "  __wg_barrier();\n"
        "  if (l0 < bw && c0 < m) a[base + (kb + l0) * w + n + c0] = X[t];\n"
        "  for (int l = t; l < kb; l += 256) {\n"
        "    int x = base + l * w;\n"
        "    T s0 = (T)0; T s1 = (T)0; T s2 = (T)0; T s3 = (T)0;\n"
        "    for (int r = 0; r < bw; r += 8) {\n"
        "      " LU_BL(0) LU_BL(1) LU_BL(2) LU_BL(3) LU_BL(4) LU_BL(5) LU_BL(6) LU_BL(7)
        "      " LU_BA(0) LU_BA(1) LU_BA(2) LU_BA(3) LU_BA(4) LU_BA(5) LU_BA(6) LU_BA(7)
        "    }\n"
        "    a[x + n] = a[x + n] - s0;\n"
        "    if (m > 1) a[x + n + 1] = a[x + n + 1] - s1;\n"
        "    if (m > 2) a[x + n + 2] = a[x + n + 2] - s2;\n"
        "    if (m > 3) a[x + n + 3] = a[x + n + 3] - s3;\n"
        "  }\n"
        "  __syncthreads();\n"
        "}\n",
    .preamble = "",
    .loop_prep = IN_RANGE_256,
};

/* ---- the same steps for CPU-like devices ----------------------------------------------------
 * The cpu backend's interpreter, the loopback and SwiftShader pay for every invocation and every
 * barrier of a workgroup (there, the kernels above made solve 256^2 1.5-6x slower, a stack of
 * 64 inverses of 32^2 4x): they keep the first blocked kernels, fewer threads and no repeated
 * work (docs/linalg.md "Blocked factorizations").  wg_set_linalg_path(ctx, 2) runs the GPU
 * kernels anywhere (the C test compares both). */

/* LU's panel as it was first (one row's update a column at a time, no batches: the extra
 * loads and guards of lu_panel's batches are work an interpreter pays for) */
#define LU_PANEL1(NAME, TH, G)                                                                       \
    static const wgP_libk NAME = {                                                                  \
    .name = "wg_" #NAME,                                                                            \
    .in_params = "raw T P, int32 n, int32 w, int32 k, int32 bw, int32 hasp",                        \
    .out_params = "raw T a, raw int32 piv, raw int32 par",                                          \
    .operation =                                                                                    \
        "__shared__ T cv[" LU_S(TH) "]; __shared__ int ci[" LU_S(TH) "];\n"                         \
        "__shared__ T cv2[" LU_S(G) "]; __shared__ int ci2[" LU_S(G) "]; __shared__ T pr[64];\n"    \
        "int t = i % " LU_S(TH) "; int bm = i / " LU_S(TH) "; int base = bm * n * w;\n"             \
        "int pw = w - k; int pb = bm * (n - k) * pw;\n"                                             \
        "T bv = -1; int bi = -1;\n"                                                                 \
        LU_OWN("k", TH) " {\n"                                                                      \
        "  for (int c = 0; c < bw; c++) {\n"                                                        \
        "    int x = base + r * w + k + c;\n"                                                       \
        "    if (hasp != 0) a[x] = a[x] - P[pb + (r - k) * pw + c];\n"                              \
        "    if (c == 0 && r > k) { T v = fabs(a[x]); if (v > bv) { bv = v; bi = r; } }\n"          \
        "  }\n"                                                                                     \
        "}\n"                                                                                       \
        LU_PIVOT_STEP(G)                                                                            \
        "  " LU_OWN("kj + 1", TH) " {\n"                                                            \
        "    int x = base + r * w;\n"                                                               \
        "    if (d != 0) {\n"                                                                       \
        "      T l = a[x + kj] / d;\n"                                                              \
        "      a[x + kj] = l;\n"                                                                    \
        "      for (int c = j + 1; c < bw; c++) a[x + k + c] = a[x + k + c] - l * pr[c];\n"         \
        "    }\n"                                                                                   \
        "    if (r > kj + 1 && j + 1 < bw) { T v = fabs(a[x + kj + 1]); if (v > bv) { bv = v; bi = r; } }\n" \
        "  }\n"                                                                                     \
        "}\n"                                                                                       \
        "if (t == 0) par[bm] = ((k == 0 ? 0 : par[bm]) + flips) & 1;\n",                                           \
    .preamble = "",                                                                                 \
    .loop_prep = "__wg_block(" LU_S(TH) ")",                                                        \
}
LU_PANEL1(lu_panel1, 256, 16);
LU_PANEL1(lu_panel64_1, 64, 8);

/* Cholesky, the diagonal block of panel k (width bw): one workgroup of 64 per matrix, thread r
 * owns row r of the block.  S holds the block's lower triangle packed (row r at r(r+1)/2); the
 * steps are api/lapack.c's chol_step (a pivot <= 0 gives -1 on the diagonal). */
static const wgP_libk chol_diag = {
    .name = "wg_chol_diag",
    .in_params = "raw T C, int32 n, int32 k, int32 bw, int32 hasc",
    .out_params = "raw T a",
    .operation =
        "__shared__ T S[2080];\n"
        "int r = i & 63; int bm = i >> 6; int base = bm * n * n; int pr = r * (r + 1) / 2;\n"
        "int cb = bm * (n - k) * bw;\n"
        "if (r < bw) {\n"
        "  for (int c = 0; c <= r; c++) {\n"
        "    T v = a[base + (k + r) * n + k + c];\n"
        "    if (hasc != 0) v = v - C[cb + r * bw + c];\n"
        "    S[pr + c] = v;\n"
        "  }\n"
        "}\n"
        "__syncthreads();\n"
        "for (int j = 0; j < bw; j++) {\n"
        "  T akk = S[j * (j + 1) / 2 + j];\n"
        "  T d = akk <= 0 ? (T)-1 : sqrt(akk);\n"
        "  __syncthreads();\n"
        "  if (r == j) S[pr + j] = d;\n"
        "  if (r > j && r < bw) S[pr + j] = S[pr + j] / d;\n"
        "  __syncthreads();\n"
        "  if (r > j && r < bw) {\n"
        "    T lr = S[pr + j];\n"
        "    for (int c = j + 1; c <= r; c++) S[pr + c] = S[pr + c] - lr * S[c * (c + 1) / 2 + j];\n"
        "  }\n"
        "  __syncthreads();\n"
        "}\n"
        "if (r < bw) {\n"
        "  for (int c = 0; c <= r; c++) a[base + (k + r) * n + k + c] = S[pr + c];\n"
        "}\n",
    .preamble = "",
    .loop_prep = "__wg_block(64)",
};

/* Cholesky, the rows below panel k's diagonal block: L21 = (A21 - C21) L11^-T by substitution,
 * 16 rows a workgroup of 256 (thread (q, c): column c of rows q, q + 4, q + 8, q + 12), the rows
 * and L11 (packed) in workgroup memory (12 KiB of float32); step j is chol_step's (divide by
 * the diagonal, subtract l_rj l_cj). */
static const wgP_libk chol_trsm = {
    .name = "wg_chol_trsm",
    .in_params = "raw T C, int32 n, int32 k, int32 bw, int32 hasc",
    .out_params = "raw T a",
    .operation =
        "__shared__ T R[1024]; __shared__ T L[2080];\n"
        "int t = i & 255; int g = i >> 8; int nrb = (n - k - bw + 15) / 16;\n"
        "int bm = g / nrb; int r0 = k + bw + (g - bm * nrb) * 16;\n"
        "int base = bm * n * n; int cb = bm * (n - k) * bw;\n"
        "int c = t & 63; int q = t >> 6;\n"
        "for (int e = t; e < 4096; e += 256) {\n"
        "  int lr = e >> 6; int lc = e & 63;\n"
        "  if (lc <= lr && lr < bw) L[lr * (lr + 1) / 2 + lc] = a[base + (k + lr) * n + k + lc];\n"
        "}\n"
        "for (int e = 0; e < 4; e++) {\n"
        "  int rr = q + 4 * e; int r = r0 + rr;\n"
        "  if (r < n && c < bw) {\n"
        "    T v = a[base + r * n + k + c];\n"
        "    if (hasc != 0) v = v - C[cb + (r - k) * bw + c];\n"
        "    R[rr * 64 + c] = v;\n"
        "  }\n"
        "}\n"
        "__syncthreads();\n"
        "for (int j = 0; j < bw; j++) {\n"
        "  if (c == j) {\n"
        "    T d = L[j * (j + 1) / 2 + j];\n"
        "    for (int e = 0; e < 4; e++) { int x = (q + 4 * e) * 64 + j; R[x] = R[x] / d; }\n"
        "  }\n"
        "  __syncthreads();\n"
        "  if (c > j && c < bw) {\n"
        "    T l = L[c * (c + 1) / 2 + j];\n"
        "    for (int e = 0; e < 4; e++) {\n"
        "      int rw = (q + 4 * e) * 64;\n"
        "      R[rw + c] = R[rw + c] - R[rw + j] * l;\n"
        "    }\n"
        "  }\n"
        "  __syncthreads();\n"
        "}\n"
        "for (int e = 0; e < 4; e++) {\n"
        "  int rr = q + 4 * e; int r = r0 + rr;\n"
        "  if (r < n && c < bw) a[base + r * n + k + c] = R[rr * 64 + c];\n"
        "}\n",
    .preamble = "",
    .loop_prep = "__wg_block(256)",
};

/* LU, after panel k: one thread per column outside the panel, 32 a workgroup.  A column right
 * of the panel first loses the deferred update P (rows k..n-1); every column gets the panel's
 * row swaps (LAPACK's laswp, so L's columns left of the panel match getrf's too); a column right
 * of the panel then becomes U12 = L11^-1 A12 (unit lower L11, lu_step's order).  The column's
 * rows k..k+bw-1 live in workgroup memory meanwhile (S: each thread's own column, no barrier):
 * the swaps and the substitution are chains of dependent steps, and a workgroup-memory access
 * is a fraction of a global one's latency. */
static const wgP_libk lu_cols1 = {
    .name = "wg_lu_cols1",
    .in_params = "raw T P, raw int32 piv, int32 n, int32 w, int32 k, int32 bw, int32 hasp",
    .out_params = "raw T a",
    .operation =
        "__shared__ T S[2048];\n"
        "int nc = w - bw; int nwg = (nc + 31) / 32;\n"
        "int t = i & 31; int g = i >> 5; int bm = g / nwg; int j = (g - bm * nwg) * 32 + t;\n"
        "if (j < nc) {\n"
        "  int c = j < k ? j : j + bw; int base = bm * n * w + c;\n"
        "  if (hasp != 0 && c >= k) {\n"
        "    int pw = w - k; int pb = bm * (n - k) * pw + c - k;\n"
        "    for (int r = k; r < n; r++) a[base + r * w] = a[base + r * w] - P[pb + (r - k) * pw];\n"
        "  }\n"
        "  for (int r = 0; r < bw; r++) S[r * 32 + t] = a[base + (k + r) * w];\n"
        "  for (int jj = 0; jj < bw; jj++) {\n"
        "    int p = piv[bm * n + k + jj];\n"
        "    if (p != k + jj) {\n"
        "      T x = S[jj * 32 + t];\n"
        "      if (p < k + bw) {\n"
        "        S[jj * 32 + t] = S[(p - k) * 32 + t];\n"
        "        S[(p - k) * 32 + t] = x;\n"
        "      } else {\n"
        "        S[jj * 32 + t] = a[base + p * w];\n"
        "        a[base + p * w] = x;\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "  if (c >= k + bw) {\n"
        "    int lb = bm * n * w + k;\n"
        "    for (int jj = 0; jj < bw; jj++) {\n"
        "      T u = S[jj * 32 + t];\n"
        "      for (int r = jj + 1; r < bw; r++)\n"
        "        S[r * 32 + t] = S[r * 32 + t] - a[lb + (k + r) * w + jj] * u;\n"
        "    }\n"
        "  }\n"
        "  for (int r = 0; r < bw; r++) a[base + (k + r) * w] = S[r * 32 + t];\n"
        "}\n",
    .preamble = "",
    .loop_prep = "__wg_block(32)",
};

/* Back substitution, block kb..kb+bw-1: one thread per right-hand side (column n + c), 32 a
 * workgroup, solves the block's rows bottom-up after subtracting the rows below's contribution
 * Q ((bw, m) per matrix; hasq); the block's solved values stay in workgroup memory for the
 * rows above (X: each thread's own column). */
static const wgP_libk lu_bdiag1 = {
    .name = "wg_lu_bdiag1",
    .in_params = "raw T Q, int32 n, int32 w, int32 kb, int32 bw, int32 hasq",
    .out_params = "raw T a",
    .operation =
        "__shared__ T X[2048];\n"
        "int m = w - n; int nwg = (m + 31) / 32;\n"
        "int t = i & 31; int g = i >> 5; int bm = g / nwg; int c = (g - bm * nwg) * 32 + t;\n"
        "if (c < m) {\n"
        "  int base = bm * n * w; int qb = bm * bw * m + c;\n"
        "  for (int r = bw - 1; r >= 0; r--) {\n"
        "    int x = base + (kb + r) * w;\n"
        "    T s = a[x + n + c];\n"
        "    if (hasq != 0) s = s - Q[qb + r * m];\n"
        "    for (int l = r + 1; l < bw; l++) s = s - a[x + kb + l] * X[l * 32 + t];\n"
        "    T v = s / a[x + kb + r];\n"
        "    X[r * 32 + t] = v;\n"
        "    a[x + n + c] = v;\n"
        "  }\n"
        "}\n",
    .preamble = "",
    .loop_prep = "__wg_block(32)",
};

/* api/lapack.c's diag_flag (1 when a diagonal element of the B matrices is zero or NaN, mode 0,
 * or < 0, mode 1) on a GPU: one workgroup of 256, each thread every 256th element (its loads
 * independent of each other's), the verdict gathered by an atomic in workgroup memory.  The one
 * point walking the diagonal took 0.3 ms for cholesky 2048^2 on the H100 (session 11). */
static const wgP_libk diag_flag256 = {
    .name = "wg_diag_flag256",
    .in_params = "raw T a, int32 nb, int32 n, int32 w, int32 mode",
    .out_params = "raw int32 f",
    .operation =
        "__shared__ int bad[1];\n"
        "int t = i & 255; int tot = nb * n; int my = 0;\n"
        "for (int q = t; q < tot; q += 256) {\n"
        "  int b = q / n; T d = a[b * n * w + (q - b * n) * (w + 1)];\n"
        "  if (mode == 0 ? (d == 0 || !(d == d)) : d < 0) my = 1;\n"
        "}\n"
        "if (my != 0) atomicMax(&bad[0], 1);\n"
        "__wg_barrier();\n"
        "if (t == 0) f[0] = bad[0];\n",
    .preamble = "",
    .loop_prep = IN_RANGE_256,
};

/* ---- launches --------------------------------------------------------------------------- */

/* src over `size` points: arrays ins, then int32 parameters, then the raw outputs outs (written
 * in place). */
/* WGPY_LU_CHECKED=1 (an A/B aid for the device benchmarks, as WGPY_FFT_CHECKED): the kernels
 * that promise in-range indices run as copies without the promise (every access range-checked),
 * so one build shows what the in-range promise is worth.  The copies are static (the kernel
 * cache keys a library kernel by its description's address). */
static const wgP_libk *checked(const wgP_libk *src) {
    enum { NCHK = 8 };
    static wgP_libk copy[NCHK];
    static const wgP_libk *orig[NCHK];
    static char prep[NCHK][32];
    const char *tail = strstr(src->loop_prep, "; __in_range()");
    size_t len = tail ? (size_t)(tail - src->loop_prep) : 0;
    if (!tail || len >= sizeof prep[0] || !getenv("WGPY_LU_CHECKED")) return src;
    for (int q = 0; q < NCHK; q++) {
        if (orig[q] == src) return &copy[q];
        if (!orig[q]) {
            memcpy(prep[q], src->loop_prep, len);
            prep[q][len] = 0;
            copy[q] = *src;
            copy[q].loop_prep = prep[q];
            orig[q] = src;
            return &copy[q];
        }
    }
    return src;
}

static int launch(wg_context *ctx, const wgP_libk *src, int nin, wg_array *const *ins, int nint,
                  const int32_t *ints, int nout, wg_array *const *outs, int64_t size) {
    src = checked(src);
    wg_array *args[WG_KMAX_IO];
    int n = 0, st = WG_OK;
    for (int q = 0; q < nin; q++) args[n++] = ins[q];
    for (int q = 0; q < nint; q++)
        if (!(args[n++] = wgP_i32(ctx, ints[q]))) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    for (int q = 0; q < nout; q++) args[n++] = outs[q];
    if (st == WG_OK) st = wgP_libk_launch(ctx, src, n, args, size, NULL);
    for (int q = nin; q < nin + nint; q++) wg_release(args[q]);
    return st;
}

/* The (B, r, c) view of a's matrices at element offset off with row and column strides sr, sc
 * (matrix stride sb). */
static wg_array *view3(wg_context *ctx, wg_array *a, int64_t B, int64_t off, int64_t r,
                       int64_t c, int64_t sb, int64_t sr, int64_t sc) {
    wg_layout l;
    l.ndim = 3;
    l.offset = a->lay.offset + off;
    l.shape[0] = B;
    l.shape[1] = r;
    l.shape[2] = c;
    l.strides[0] = sb;
    l.strides[1] = sr;
    l.strides[2] = sc;
    return wgA_new(ctx, a->dtype, &l, a->buf, NULL);
}

/* The (B, s, r, c) view of a's buffer at element offset off with strides st. */
static wg_array *viewn(wg_context *ctx, wg_array *a, int64_t off, const int64_t *sh,
                       const int64_t *st) {
    wg_layout l;
    l.ndim = 4;
    l.offset = a->lay.offset + off;
    for (int d = 0; d < 4; d++) {
        l.shape[d] = sh[d];
        l.strides[d] = st[d];
    }
    return wgA_new(ctx, a->dtype, &l, a->buf, NULL);
}

/* How many pieces a left-looking product over K = k columns (a multiple of NB) is split into:
 * its output is only NB columns wide, so unsplit it is (rows / 64) workgroups each walking all
 * of K (Cholesky 2048^2: at most 32 workgroups on a GPU of 132 multiprocessors, K up to 1984).
 * Pieces of at least 128 columns, at most 16 of them, where k / NB has such a divisor; k / s
 * stays a multiple of NB. */
static int64_t ksplit(int64_t k) {
    int64_t m = k / NB, s = m / 2 < 16 ? m / 2 : 16;
    while (s > 1 && m % s != 0) s--;
    /* pieces of more than 4 panels (a prime m has no divisor but 1 below it): pieces of one
     * panel instead, up to 32 (unsplit, cholesky 2048^2's products for m = 23, 29, 31 took
     * 0.15-0.19 ms each on the H100, one workgroup walking K) */
    if (s * 4 < m && m <= 32) s = m;
    return s > 1 ? s : 1;
}

/* x @ y of two views (each released); NULL with the context's error on failure. */
static wg_array *product(wg_context *ctx, wg_array *x, wg_array *y) {
    wg_array *p = x && y ? wg_matmul(ctx, x, y, NULL) : NULL;
    wg_release(x);
    wg_release(y);
    return p;
}

/* A one-element stand-in for an absent raw input (a kernel may not bind its output's buffer
 * as an input too: WebGPU refuses a writable binding that aliases another); never read, so
 * left unwritten (a fill would be a launch). */
static wg_array *dummy(wg_context *ctx, int dt) {
    int64_t one = 1;
    return wg_empty(ctx, dt, 1, &one);
}

static int fail(wg_context *ctx) { return ctx->status ? ctx->status : WG_ERR_MEMORY; }

/* ---- Cholesky --------------------------------------------------------------------------- */

/* The CPU-like devices' Cholesky: per panel the product C, chol_diag, chol_trsm. */
static int chol_cpu(wg_context *ctx, wg_array *a, int64_t B, int64_t n, wg_array *dz) {
    int st = WG_OK;
    for (int64_t k = 0; k < n && st == WG_OK; k += NB) {
        int64_t bw = n - k < NB ? n - k : NB;
        wg_array *C = NULL;
        if (k > 0) { /* C = L[k:, :k] L[k:k+bw, :k]^T */
            C = product(ctx, view3(ctx, a, B, k * n, n - k, k, n * n, n, 1),
                        view3(ctx, a, B, k * n, k, bw, n * n, 1, n));
            if (!C) return fail(ctx);
        }
        int32_t ints[4] = {(int32_t)n, (int32_t)k, (int32_t)bw, C != NULL};
        wg_array *in = C ? C : dz;
        st = launch(ctx, &chol_diag, 1, &in, 4, ints, 1, &a, B * 64);
        int64_t below = n - k - bw;
        if (st == WG_OK && below > 0)
            st = launch(ctx, &chol_trsm, 1, &in, 4, ints, 1, &a, B * ((below + 15) / 16) * 256);
        wg_release(C);
    }
    return st;
}

int wgP_chol_blocked(wg_context *ctx, wg_array *a, int64_t B, int64_t n) {
    if (!gpu_kernels(ctx)) {
        wg_array *dz = dummy(ctx, a->dtype);
        int st = dz ? chol_cpu(ctx, a, B, n, dz) : fail(ctx);
        wg_release(dz);
        return st;
    }
    int64_t sd[3] = {B, n, 64};
    wg_array *dz = dummy(ctx, a->dtype), *D = dz ? wg_empty(ctx, a->dtype, 3, sd) : NULL;
    if (!D) {
        wg_release(dz);
        return fail(ctx);
    }
    int st = WG_OK;
    for (int64_t k = 0; k < n && st == WG_OK; k += NB) {
        int64_t bw = n - k < NB ? n - k : NB, nrb = (n - k - bw + 15) / 16;
        wg_array *C = NULL;
        int64_t ns = ksplit(k);
        if (k > 0) { /* C = L[k:, :k] L[k:k+bw, :k]^T, as ns partial products over K */
            int64_t ks = k / ns, sx[4] = {B, ns, n - k, ks}, tx[4] = {n * n, ks, n, 1};
            int64_t sy[4] = {B, ns, ks, bw}, ty[4] = {n * n, ks, 1, n};
            C = product(ctx, viewn(ctx, a, k * n, sx, tx), viewn(ctx, a, k * n, sy, ty));
            if (!C) {
                st = fail(ctx);
                break;
            }
        }
        int32_t ints[6] = {(int32_t)n, (int32_t)k, (int32_t)bw, C != NULL, (int32_t)nrb,
                           (int32_t)ns};
        wg_array *in = C ? C : dz, *outs[2] = {a, D};
        st = launch(ctx, &chol_panel, 1, &in, 6, ints, 2, outs, B * (nrb > 0 ? nrb : 1) * 256);
        wg_release(C);
    }
    int32_t in1 = (int32_t)n;
    if (st == WG_OK) st = launch(ctx, &chol_put, 1, &D, 1, &in1, 1, &a, B * n * 64);
    wg_release(D);
    wg_release(dz);
    return st;
}

/* ---- LU --------------------------------------------------------------------------------- */

int wgP_lu_blocked(wg_context *ctx, wg_array *a, int64_t B, int64_t n, int64_t w,
                   wg_array *piv, wg_array *par) {
    wg_array *dz = dummy(ctx, a->dtype);
    if (!dz) return fail(ctx);
    wg_array *P = NULL; /* the deferred update of rows and columns k.. */
    int st = WG_OK, gpu = gpu_kernels(ctx);
    int small = n <= 64; /* 64 threads own every row: no idle lanes for 192 more */
    /* WGPY_LU_TLOAD=1: the transposing panel (lu_tpanel), where its workgroup memory fits (the
     * cpu backend sets no limit) */
    const char *tl = getenv("WGPY_LU_TLOAD");
    int tload = tl && *tl == '1' &&
                (ctx->backend_id == WG_BACKEND_CPU ||
                 ctx->wg_storage >= LU_TPANEL_BYTES(wg_dtype_size(a->dtype)));
    /* panels of NB everywhere: on a GPU two halves of 32 in lu_rpanel's registers */
    for (int64_t k = 0; k < n && st == WG_OK; k += NB) {
        int64_t bw = n - k < NB ? n - k : NB;
        int32_t ints[5] = {(int32_t)n, (int32_t)w, (int32_t)k, (int32_t)bw, P != NULL};
        wg_array *in = P ? P : dz, *outs[3] = {a, piv, par};
        const wgP_libk *pk = gpu ? (small ? &lu_panel64
                                          : n - k <= 1024 ? (tload ? &lu_tpanel : &lu_rpanel)
                                                          : &lu_panel)
                                 : (small ? &lu_panel64_1 : &lu_panel1);
        st = launch(ctx, pk, 1, &in, 5, ints, 3, outs, B * (small ? 64 : 256));
        wg_array *in2[2] = {in, piv};
        if (st == WG_OK && w > bw)
            st = gpu ? launch(ctx, &lu_cols, 2, in2, 5, ints, 1, &a, B * ((w - bw + 15) / 16) * 256)
                     : launch(ctx, &lu_cols1, 2, in2, 5, ints, 1, &a, B * ((w - bw + 31) / 32) * 32);
        wg_release(P);
        P = NULL;
        if (st == WG_OK && n - k - bw > 0) { /* P = L21 U12 */
            P = product(ctx, view3(ctx, a, B, (k + bw) * w + k, n - k - bw, bw, n * w, w, 1),
                        view3(ctx, a, B, k * w + k + bw, bw, w - k - bw, n * w, w, 1));
            if (!P) st = fail(ctx);
        }
    }
    wg_release(P);
    wg_release(dz);
    return st;
}

/* The CPU-like devices' back substitution: left-looking, the product Q of the rows below, then
 * lu_bdiag1 (one thread a right-hand side). */
static int back_cpu(wg_context *ctx, wg_array *lu, int64_t B, int64_t n, int64_t w, wg_array *dz) {
    int64_t m = w - n;
    int st = WG_OK;
    for (int64_t kb = ((n - 1) / NB) * NB; kb >= 0 && st == WG_OK; kb -= NB) {
        int64_t bw = n - kb < NB ? n - kb : NB, below = n - kb - bw;
        wg_array *Q = NULL;
        if (below > 0) { /* Q = U[kb:kb+bw, kb+bw:n] X[kb+bw:n] */
            Q = product(ctx, view3(ctx, lu, B, kb * w + kb + bw, bw, below, n * w, w, 1),
                        view3(ctx, lu, B, (kb + bw) * w + n, below, m, n * w, w, 1));
            if (!Q) return fail(ctx);
        }
        int32_t ints[5] = {(int32_t)n, (int32_t)w, (int32_t)kb, (int32_t)bw, Q != NULL};
        wg_array *in = Q ? Q : dz;
        st = launch(ctx, &lu_bdiag1, 1, &in, 5, ints, 1, &lu, B * ((m + 31) / 32) * 32);
        wg_release(Q);
    }
    return st;
}

int wgP_lu_back_blocked(wg_context *ctx, wg_array *lu, int64_t B, int64_t n, int64_t w) {
    int64_t m = w - n;
    if (m == 0 || n == 0) return WG_OK;
    wg_array *dz = dummy(ctx, lu->dtype);
    if (!dz) return fail(ctx);
    if (!gpu_kernels(ctx)) {
        int st = back_cpu(ctx, lu, B, n, w, dz);
        wg_release(dz);
        return st;
    }
    if (m <= 4) { /* one launch */
        int32_t ints[2] = {(int32_t)n, (int32_t)w};
        int st = launch(ctx, &lu_bsolve, 0, NULL, 2, ints, 1, &lu, B * 256);
        wg_release(dz);
        return st;
    }
    wg_array *Q = NULL; /* the solved block's contribution to the rows above it */
    int st = WG_OK;
    for (int64_t kb = ((n - 1) / NB) * NB; kb >= 0 && st == WG_OK; kb -= NB) {
        int64_t bw = n - kb < NB ? n - kb : NB, nup = Q ? (kb + 63) / 64 : 0;
        int32_t ints[7] = {(int32_t)n, (int32_t)w,         (int32_t)kb,  (int32_t)bw,
                           Q != NULL,  (int32_t)(kb + NB), (int32_t)nup};
        wg_array *in = Q ? Q : dz;
        st = launch(ctx, &lu_bdiag, 1, &in, 7, ints, 1, &lu,
                    B * (nup + 1) * ((m + 15) / 16) * 256);
        wg_release(Q);
        Q = NULL;
        if (st == WG_OK && kb > 0) { /* Q = U[:kb, kb:kb+bw] X[kb:kb+bw] */
            Q = product(ctx, view3(ctx, lu, B, kb, kb, bw, n * w, w, 1),
                        view3(ctx, lu, B, kb * w + n, bw, m, n * w, w, 1));
            if (!Q) st = fail(ctx);
        }
    }
    wg_release(Q);
    wg_release(dz);
    return st;
}

wg_array *wgP_diag_flag_gpu(wg_context *ctx, wg_array *a, int64_t B, int64_t n, int64_t w,
                            int mode) {
    int64_t one = 1;
    int gpu = wgP_lapack_blocked(ctx) && gpu_kernels(ctx);
    wg_array *f = gpu ? wg_empty(ctx, WG_INT32, 1, &one) : NULL;
    if (!f) return NULL;
    int32_t ints[4] = {(int32_t)B, (int32_t)n, (int32_t)w, mode};
    if (launch(ctx, &diag_flag256, 1, &a, 4, ints, 1, &f, 256) != WG_OK) {
        wg_release(f);
        return NULL;
    }
    return f;
}
