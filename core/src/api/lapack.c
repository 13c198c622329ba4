/* numpy.linalg's decompositions on every backend (docs/linalg.md): LU with partial pivoting
 * (solve, inv, det, slogdet), Cholesky, Householder QR, symmetric eigen by parallel Jacobi
 * rotations and SVD by one-sided (Hestenes) Jacobi.
 *
 * Every step is a library kernel (libk.h) in gather form: each output point computes its own
 * value from the previous matrix, so the same source runs on cpu, webgpu and webgl2 (a webgl2
 * fragment writes only its own point).  A matrix stack (..., m, n) is one C-contiguous run of
 * B matrices; every kernel covers the whole stack in one launch, so a batch of small matrices
 * costs what one does.  Pivots, Householder scalars and rotations are computed by the points
 * that need them (a pivot search is one point per matrix; a rotation is recomputed by each
 * point that uses it, from the same inputs, so every point agrees).
 *
 * Flags: the engine never reads back itself (on webgpu and webgl2 only the host can run the
 * stream a read needs).  solve/inv (a zero pivot: "Singular matrix") and cholesky (a pivot
 * <= 0: "Matrix is not positive definite") return a one-element int32 flag beside their
 * result, which the caller reads once; eigh and svd run one Jacobi sweep per call and return
 * a convergence flag (0 converged, 1 not yet, 2 NaN) that the caller reads between sweeps.
 * det, slogdet and qr have no flag. */
#include "lapack_blocked.h"
#include "lapack_complex.h"
#include "libk.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- the kernels ------------------------------------------------------------------------ */

/* A library kernel named wg_<nm> with the preamble pre (KP_: JAC_PRE, KE_: EIG_PRE). */
#define KPRE_(nm, pre, ins, outs, body) \
    static const wgP_libk nm = {.name = "wg_" #nm, .in_params = ins, .out_params = outs, \
                                .operation = body, .preamble = pre, .loop_prep = ""}
#define K_(nm, ins, outs, body) KPRE_(nm, "", ins, outs, body)

/* A point i of a stack of (n, n) matrices: matrix b, row r, column c (MAT_RCB: and the
 * matrix's offset base). */
#define MAT_RC \
    "int nn = n * n;\n" \
    "int b = i / nn;\n" \
    "int rem = i - b * nn;\n" \
    "int r = rem / n;\n" \
    "int c = rem - r * n;\n"
#define MAT_RCB MAT_RC "int base = b * nn;\n"

/* LU, step k, pivot search: one point per matrix; par accumulates the permutation's parity. */
K_(lu_pivot, "raw T a, raw int32 par0, int32 n, int32 w, int32 k", "int32 p, int32 par",
   "int base = i * n * w;\n"
   "int best = k;\n"
   "T bv = fabs(a[base + k * w + k]);\n"
   "for (int r = k + 1; r < n; r++) {\n"
   "  T v = fabs(a[base + r * w + k]);\n"
   "  if (v > bv) { bv = v; best = r; }\n"
   "}\n"
   "int q = k == 0 ? 0 : par0[i];\n"
   "p = best;\n"
   "par = best != k ? 1 - q : q;\n");

/* LU, step k: rows k and p swapped, multipliers stored below the diagonal, the trailing
 * matrix (and any right-hand sides in columns n..w-1) updated.  A zero pivot leaves the
 * column as it is (LAPACK's getrf). */
K_(lu_step, "raw T a, raw int32 piv, int32 n, int32 w, int32 k", "T o",
   "int nw = n * w;\n"
   "int b = i / nw;\n"
   "int rem = i - b * nw;\n"
   "int r = rem / w;\n"
   "int c = rem - r * w;\n"
   "int p = piv[b];\n"
   "int base = b * nw;\n"
   "int src = r == k ? p : (r == p ? k : r);\n"
   "T v = a[base + src * w + c];\n"
   "if (r > k && c >= k) {\n"
   "  T akk = a[base + p * w + k];\n"
   "  if (akk != 0) {\n"
   "    T l = a[base + src * w + k] / akk;\n"
   "    if (c == k) v = l; else v = v - l * a[base + p * w + c];\n"
   "  }\n"
   "}\n"
   "o = v;\n");

/* Back substitution, step k (n-1 down to 0), on m right-hand sides: y is read with row width
 * yw from column yoff (first step: the LU matrix's own columns n..). */
K_(lu_back, "raw T lu, raw T y, int32 n, int32 w, int32 m, int32 yw, int32 yoff, int32 k", "T o",
   "int nm = n * m;\n"
   "int b = i / nm;\n"
   "int rem = i - b * nm;\n"
   "int r = rem / m;\n"
   "int c = rem - r * m;\n"
   "int yb = b * n * yw + yoff;\n"
   "T v = y[yb + r * yw + c];\n"
   "if (r <= k) {\n"
   "  T yk = y[yb + k * yw + c] / lu[b * n * w + k * w + k];\n"
   "  if (r == k) v = yk; else v = v - lu[b * n * w + r * w + k] * yk;\n"
   "}\n"
   "o = v;\n");

/* One point: 1 when any diagonal element of the B matrices is zero or NaN (mode 0: LU, as
 * NumPy's getrf, which calls a NaN pivot singular) or < 0 (mode 1: Cholesky's step marks a
 * pivot <= 0 with -1; a NaN pivot gives NaN results, as NumPy's).  A plain loop: this kernel
 * runs on cpu, webgl2 and CPU-like webgpu adapters only (a GPU adapter takes
 * lapack_blocked.c's diag_flag256).  The version with 8 loads unrolled before their tests
 * (5f77baa, for the H100, before diag_flag256 existed) took ANGLE + SwiftShader minutes to
 * compile for webgl2 (>= 145 s of CPU; 750-1,070 s under load: the first getriBatched or solve
 * of a test run; the loop: 1.6 s for the three getri tests, docs/testing.md). */
K_(diag_flag, "raw T a, int32 nb, int32 n, int32 w, int32 mode", "int32 f",
   "int bad = 0; int tot = nb * n;\n"
   "for (int e = 0; e < tot; e++) {\n"
   "  int b = e / n;\n"
   "  T d = a[b * n * w + (e - b * n) * (w + 1)];\n"
   "  if (mode == 0 ? (d == 0 || !(d == d)) : d < 0) bad = 1;\n"
   "}\n"
   "f = bad;\n");

/* det (logm 0: s = det) and slogdet (logm 1: s = sign, l = log|det|) from the LU diagonal. */
K_(lu_det, "raw T lu, raw int32 par, int32 n, int32 logm", "T s, T l",
   "int base = i * n * n;\n"
   "T sg = par[i] != 0 ? -1 : 1;\n"
   "T acc = logm != 0 ? 0 : 1;\n"
   "for (int k = 0; k < n; k++) {\n"
   "  T d = lu[base + k * n + k];\n"
   "  if (logm != 0) {\n"
   "    if (d < 0) sg = -sg;\n"
   "    if (d == 0) sg = 0;\n"
   "    acc += log(fabs(d));\n"
   "  } else {\n"
   "    acc *= d;\n"
   "  }\n"
   "}\n"
   "if (logm != 0) { s = sg; l = acc; } else { s = sg * acc; l = 0; }\n");

/* Cholesky (lower), step k: right-looking, on the lower triangle. */
K_(chol_step, "raw T a, int32 n, int32 k", "T o",
   MAT_RCB
   "T v = a[i];\n"
   "if (c == k && r >= k) {\n"
   "  T akk = a[base + k * n + k];\n"
   "  T d = akk <= 0 ? (T)-1 : sqrt(akk);\n"
   "  v = r == k ? d : v / d;\n"
   "} else if (r > k && c > k && c <= r) {\n"
   "  T d = sqrt(a[base + k * n + k]);\n"
   "  v = v - (a[base + r * n + k] / d) * (a[base + c * n + k] / d);\n"
   "}\n"
   "o = v;\n");

/* The (rows, n) upper (upper 1) or lower (0) triangle of each (m, n) matrix, zeros elsewhere. */
K_(tri, "raw T a, int32 m, int32 rows, int32 n, int32 upper", "T o",
   "int rn = rows * n;\n"
   "int b = i / rn;\n"
   "int rem = i - b * rn;\n"
   "int r = rem / n;\n"
   "int c = rem - r * n;\n"
   "bool keep = upper != 0 ? c >= r : c <= r;\n"
   "o = keep ? a[b * m * n + r * n + c] : (T)0;\n");

/* Householder QR of (m, n) matrices, step k < K = min(m, n): LAPACK's larfg for column k.
 * One point per (matrix, j < K); the point j == k computes, the others carry tau0 over. */
K_(qr_house, "raw T a, raw T tau0, int32 m, int32 n, int32 K, int32 k",
   "T tau, T beta, T scl",
   "int b = i / K;\n"
   "int j = i - b * K;\n"
   "T t = k == 0 ? (T)0 : tau0[i];\n"
   "T be = 0;\n"
   "T sc = 0;\n"
   "if (j == k) {\n"
   "  int base = b * m * n;\n"
   "  T alpha = a[base + k * n + k];\n"
   "  T sig = 0;\n"
   "  for (int r = k + 1; r < m; r++) { T x = a[base + r * n + k]; sig += x * x; }\n"
   "  if (sig == 0) { t = 0; be = alpha; sc = 0; }\n"
   "  else {\n"
   "    T nrm = sqrt(alpha * alpha + sig);\n"
   "    be = alpha >= 0 ? -nrm : nrm;\n"
   "    t = (be - alpha) / be;\n"
   "    sc = 1 / (alpha - be);\n"
   "  }\n"
   "}\n"
   "tau = t;\n"
   "beta = be;\n"
   "scl = sc;\n");

/* w_c = v^T a[:, c] for the columns c > k (v = (1, a[k+1:, k] * scl)). */
K_(qr_w, "raw T a, raw T scl, int32 m, int32 n, int32 K, int32 k", "T w",
   "int b = i / n;\n"
   "int c = i - b * n;\n"
   "int base = b * m * n;\n"
   "T acc = 0;\n"
   "if (c > k) {\n"
   "  T s = 0;\n"
   "  for (int r = k + 1; r < m; r++) s += a[base + r * n + k] * a[base + r * n + c];\n"
   "  acc = a[base + k * n + c] + scl[b * K + k] * s;\n"
   "}\n"
   "w = acc;\n");

/* a <- H_k a for the columns c > k; column k becomes (beta, v below the diagonal). */
K_(qr_upd, "raw T a, raw T w, raw T tau, raw T beta, raw T scl, int32 m, int32 n, int32 K, "
           "int32 k", "T o",
   "int mn = m * n;\n"
   "int b = i / mn;\n"
   "int rem = i - b * mn;\n"
   "int r = rem / n;\n"
   "int c = rem - r * n;\n"
   "int base = b * mn;\n"
   "T v = a[i];\n"
   "if (c == k) {\n"
   "  if (r == k) v = beta[b * K + k]; else if (r > k) v = v * scl[b * K + k];\n"
   "} else if (c > k && r >= k) {\n"
   "  T vr = r == k ? (T)1 : a[base + r * n + k] * scl[b * K + k];\n"
   "  v = v - tau[b * K + k] * vr * w[b * n + c];\n"
   "}\n"
   "o = v;\n");

/* Q formation (backward accumulation), step k: w_c = tau_k v^T Q[:, c] ... */
K_(qr_qw, "raw T h, raw T Q, raw T tau, int32 m, int32 n, int32 q, int32 K, int32 k", "T w",
   "int b = i / q;\n"
   "int c = i - b * q;\n"
   "int hb = b * m * n;\n"
   "int qb = b * m * q;\n"
   "T s = Q[qb + k * q + c];\n"
   "for (int r = k + 1; r < m; r++) s += h[hb + r * n + k] * Q[qb + r * q + c];\n"
   "w = s * tau[b * K + k];\n");

/* ... and Q <- Q - v w^T. */
K_(qr_qupd, "raw T h, raw T Q, raw T w, int32 m, int32 n, int32 q, int32 k", "T o",
   "int mq = m * q;\n"
   "int b = i / mq;\n"
   "int rem = i - b * mq;\n"
   "int r = rem / q;\n"
   "int c = rem - r * q;\n"
   "T v = Q[i];\n"
   "if (r >= k) {\n"
   "  T vr = r == k ? (T)1 : h[b * m * n + r * n + k];\n"
   "  v = v - vr * w[b * q + c];\n"
   "}\n"
   "o = v;\n");

/* Columns c < n of Q times the sign of R's diagonal (h's diagonal), so that Q[:, c] equals the
 * orthonormal column that was factored (SVD's U). */
K_(qr_signfix, "raw T h, raw T Q, int32 m, int32 n, int32 q", "T o",
   "int mq = m * q;\n"
   "int b = i / mq;\n"
   "int c = i - b * mq - ((i - b * mq) / q) * q;\n"
   "T v = Q[i];\n"
   "if (c < n) { if (h[b * m * n + c * n + c] < 0) v = -v; }\n"
   "o = v;\n");

/* Jacobi rotations.  Round t of a sweep pairs the N (even) indices by the circle method:
 * x with (2t - x) mod (N - 1), and t with N - 1; an index >= n (n odd) is a dummy.  The
 * rotation of a pair (p < q) has J_pp = J_qq = c, J_qp = -s, J_pq = s (zeroing a_pq of a
 * symmetric matrix, or making columns p and q orthogonal: NR's classical formulas). */
static const char JAC_PRE[] =
    "__device__ int jac_partner(int x, int t, int N) {\n"
    "  if (x == N - 1) return t;\n"
    "  if (x == t) return N - 1;\n"
    "  int y = (2 * t - x) % (N - 1);\n"
    "  if (y < 0) y += N - 1;\n"
    "  return y;\n"
    "}\n"
    "template <typename T> __device__ T jac_t(T app, T aqq, T apq) {\n"
    "  T th = (aqq - app) / (2 * apq);\n"
    "  T at = fabs(th);\n"
    "  T rt = at > 1 ? at * sqrt(1 + (1 / at) * (1 / at)) : sqrt(1 + at * at);\n"
    "  return (th >= 0 ? (T)1 : (T)-1) / (at + rt);\n"
    "}\n";

#define KP_(nm, ins, outs, body) KPRE_(nm, JAC_PRE, ins, outs, body)

/* eigh: the symmetric matrix from one triangle (lower 1: 'L'). */
K_(sym_fill, "raw T a, int32 n, int32 lower", "T o",
   MAT_RC
   "bool own = lower != 0 ? r >= c : r <= c;\n"
   "o = own ? a[i] : a[b * nn + c * n + r];\n");

/* eigh, one round: the rotation of index x's pair (J_xx = c, J_yx = o, t = tan), one point
 * per index. */
KP_(jac_rot, "raw T a, int32 n, int32 N, int32 t", "T c, T o, T tt",
    "int b = i / n;\n"
    "int x = i - b * n;\n"
    "int base = b * n * n;\n"
    "int px = jac_partner(x, t, N);\n"
    "T cx = 1; T ox = 0; T tx = 0;\n"
    "if (px < n) {\n"
    "  int p = x < px ? x : px; int q = x < px ? px : x;\n"
    "  T apq = a[base + p * n + q];\n"
    "  if (apq != 0) {\n"
    "    tx = jac_t(a[base + p * n + p], a[base + q * n + q], apq);\n"
    "    cx = 1 / sqrt(1 + tx * tx);\n"
    "    ox = x == p ? -(tx * cx) : tx * cx;\n"
    "  }\n"
    "}\n"
    "c = cx;\n"
    "o = ox;\n"
    "tt = tx;\n");

/* eigh, one round: A' = J^T A J, every element from at most 4 of A's; computed for
 * (min(r,c), max(r,c)) so A' stays exactly symmetric; a rotated pair's a_pq is set to 0 and
 * the diagonal is NR's a_pp - t a_pq. */
KP_(jac_a, "raw T a, raw T rc, raw T ro, raw T rt, int32 n, int32 N, int32 t", "T o",
    "int nn = n * n;\n"
    "int b = i / nn;\n"
    "int rem = i - b * nn;\n"
    "int r0 = rem / n;\n"
    "int c0 = rem - r0 * n;\n"
    "int base = b * nn;\n"
    "int x = r0 < c0 ? r0 : c0;\n"
    "int y = r0 < c0 ? c0 : r0;\n"
    "int px = jac_partner(x, t, N);\n"
    "int py = jac_partner(y, t, N);\n"
    "T v;\n"
    "if (x == y) {\n"
    "  T d = a[base + x * n + x];\n"
    "  if (px < n) {\n"
    "    T apq = a[base + x * n + px];\n"
    "    T tx = rt[b * n + x];\n"
    "    v = x < px ? d - tx * apq : d + tx * apq;\n"
    "  } else v = d;\n"
    "} else if (y == px) {\n"
    "  v = 0;\n"
    "} else {\n"
    "  T cx = rc[b * n + x]; T ox = ro[b * n + x];\n"
    "  T cy = rc[b * n + y]; T oy = ro[b * n + y];\n"
    "  T s = cy * a[base + x * n + y];\n"
    "  if (py < n) s += oy * a[base + x * n + py];\n"
    "  v = cx * s;\n"
    "  if (px < n) {\n"
    "    T s2 = cy * a[base + px * n + y];\n"
    "    if (py < n) s2 += oy * a[base + px * n + py];\n"
    "    v += ox * s2;\n"
    "  }\n"
    "}\n"
    "o = v;\n");

/* eigh, one round, the vectors: V' = V J. */
KP_(jac_v, "raw T vin, raw T rc, raw T ro, int32 n, int32 N, int32 t", "T o",
    MAT_RC
    "int pc = jac_partner(c, t, N);\n"
    "T v = vin[i] * rc[b * n + c];\n"
    "if (pc < n) v += vin[b * nn + r * n + pc] * ro[b * n + c];\n"
    "o = v;\n");

/* eigh, after a sweep, one point per matrix: 0 converged (off(A) <= tol ||A||_F),
 * 1 not yet, 2 NaN. */
K_(jac_conv, "raw T a, int32 n, T tol", "int32 f",
   "int base = i * n * n;\n"
   "T off = 0;\n"
   "T tot = 0;\n"
   "for (int r = 0; r < n; r++) {\n"
   "  for (int c = 0; c < n; c++) {\n"
   "    T x = a[base + r * n + c];\n"
   "    T x2 = x * x;\n"
   "    tot += x2;\n"
   "    if (r != c) off += x2;\n"
   "  }\n"
   "}\n"
   "int st = off <= tol * tol * tot ? 0 : 1;\n"
   "if (!(tot == tot) || !(off == off)) st = 2;\n"
   "f = st;\n");

/* The largest of nb int32 flags (one point). */
K_(flag_max, "raw int32 f, int32 nb", "int32 o",
   "int m = 0;\n"
   "for (int b = 0; b < nb; b++) { int v = f[b]; if (v > m) m = v; }\n"
   "o = m;\n");

/* The sort of (B, n) keys: rank (desc 1: descending; ties by index), then its inverse. */
K_(rank_k, "raw T key, int32 n, int32 desc", "int32 rk",
   "int b = i / n;\n"
   "int x = i - b * n;\n"
   "T kx = key[i];\n"
   "int cnt = 0;\n"
   "for (int l = 0; l < n; l++) {\n"
   "  T kl = key[b * n + l];\n"
   "  bool before = desc != 0 ? kl > kx : kl < kx;\n"
   "  if (before || (kl == kx && l < x)) cnt++;\n"
   "}\n"
   "rk = cnt;\n");
K_(rank_inv, "raw int32 rk, int32 n", "int32 perm",
   "int b = i / n;\n"
   "int r = i - b * n;\n"
   "int src = 0;\n"
   "for (int l = 0; l < n; l++) if (rk[b * n + l] == r) src = l;\n"
   "perm = src;\n");
/* o[b, x] = key[b, perm[b, x]] */
K_(take_k, "raw T key, raw int32 perm, int32 n", "T o",
   "int b = i / n;\n"
   "o = key[b * n + perm[i]];\n");
/* o[b, r, c] = a[b, roff + r, perm[b, c]] / (div ? s[b, c] : 1) of (rows_a, n) matrices; a
 * zero divisor gives 0. */
K_(take_cols, "raw T a, raw int32 perm, raw T s, int32 ra, int32 roff, int32 rows, int32 n, "
              "int32 div", "T o",
   "int rn = rows * n;\n"
   "int b = i / rn;\n"
   "int rem = i - b * rn;\n"
   "int r = rem / n;\n"
   "int c = rem - r * n;\n"
   "T v = a[b * ra * n + (roff + r) * n + perm[b * n + c]];\n"
   "if (div != 0) { T d = s[b * n + c]; v = d > 0 ? v / d : (T)0; }\n"
   "o = v;\n");

/* SVD: G = [A; I] ((m + nv, n): the rows of V under A's). */
K_(svd_init, "raw T a, int32 m, int32 R, int32 n", "T o",
   "int rn = R * n;\n"
   "int b = i / rn;\n"
   "int rem = i - b * rn;\n"
   "int r = rem / n;\n"
   "int c = rem - r * n;\n"
   "o = r < m ? a[b * m * n + r * n + c] : (r - m == c ? (T)1 : (T)0);\n");

/* SVD, one round: the rotation of column x's pair (J_xx = cj, J_yx = oj), one point per
 * column; cv keeps the sweep's largest |a_p.a_q| / (|a_p| |a_q|) (NaN sticks) over the pairs
 * whose smaller column is not negligible next to the larger (|a_lo|^2 > small |a_hi|^2: a
 * rounding-noise column is never "orthogonal" to working precision, and rotating it changes
 * its partner by less than the partner's rounding). */
KP_(svd_rot, "raw T g, raw T cv0, int32 m, int32 R, int32 n, int32 N, int32 t, int32 first, "
             "T small",
    "T cj, T oj, T cv",
    "int b = i / n;\n"
    "int x = i - b * n;\n"
    "int base = b * R * n;\n"
    "int y = jac_partner(x, t, N);\n"
    "T cc = 1;\n"
    "T oo = 0;\n"
    "T conv = first != 0 ? (T)0 : cv0[i];\n"
    "if (y < n) {\n"
    "  int p = x < y ? x : y; int q = x < y ? y : x;\n"
    "  T al = 0; T be = 0; T ga = 0;\n"
    "  for (int r = 0; r < m; r++) {\n"
    "    T u = g[base + r * n + p]; T w = g[base + r * n + q];\n"
    "    al += u * u; be += w * w; ga += u * w;\n"
    "  }\n"
    "  if (ga != 0) {\n"
    "    T rel = fabs(ga) / (sqrt(al) * sqrt(be));\n"
    "    T lo = al < be ? al : be;\n"
    "    T hi = al < be ? be : al;\n"
    "    if (!(rel <= conv) && !(lo <= small * hi)) conv = rel;\n"
    "    T tt = jac_t(al, be, ga);\n"
    "    cc = 1 / sqrt(1 + tt * tt);\n"
    "    oo = x == p ? -(tt * cc) : tt * cc;\n"
    "  }\n"
    "}\n"
    "cj = cc;\n"
    "oj = oo;\n"
    "cv = conv;\n");

/* SVD, one round: G' = G J. */
KP_(svd_apply, "raw T g, raw T cj, raw T oj, int32 R, int32 n, int32 N, int32 t", "T o",
    "int rn = R * n;\n"
    "int b = i / rn;\n"
    "int rem = i - b * rn;\n"
    "int r = rem / n;\n"
    "int c = rem - r * n;\n"
    "int pc = jac_partner(c, t, N);\n"
    "T v = g[i] * cj[b * n + c];\n"
    "if (pc < n) v += g[b * rn + r * n + pc] * oj[b * n + c];\n"
    "o = v;\n");

/* SVD, after a sweep, one point: 0 converged (every pair below tol), 1 not yet, 2 NaN. */
K_(svd_conv, "raw T cv, int32 cnt, T tol", "int32 f",
   "int st = 0;\n"
   "for (int j = 0; j < cnt; j++) {\n"
   "  T v = cv[j];\n"
   "  if (!(v == v)) st = 2;\n"
   "  else if (v > tol && st == 0) st = 1;\n"
   "}\n"
   "f = st;\n");

/* SVD: sigma_x = |G[:m, x]|. */
K_(svd_sigma, "raw T g, int32 m, int32 R, int32 n", "T s",
   "int b = i / n;\n"
   "int x = i - b * n;\n"
   "T acc = 0;\n"
   "for (int r = 0; r < m; r++) { T u = g[b * R * n + r * n + x]; acc += u * u; }\n"
   "s = sqrt(acc);\n");

/* ---- helpers ---------------------------------------------------------------------------- */

typedef struct stack {
    int nb;                       /* batch dims */
    int64_t bshape[WG_MAX_NDIM];
    int64_t B, m, n;              /* matrices, rows, columns */
    int dt;                       /* the working float dtype */
} stack;

static int lerr(wg_context *ctx, const char *msg) {
    return wgB_error(ctx, WG_ERR_VALUE, "LinAlgError: %s", msg);
}

/* The working dtype of a linalg input (NumPy: float32 stays, other reals compute in float64,
 * which the 64-bit policy may make float32); checks the stack has >= 2 dims. */
static int prep(wg_context *ctx, wg_array *a, const char *fn, int square, stack *s) {
    int nd = a->lay.ndim;
    if (nd < 2)
        return lerr(ctx, nd == 0 ? "0-dimensional array given. Array must be at least "
                                   "two-dimensional"
                                 : "1-dimensional array given. Array must be at least "
                                   "two-dimensional");
    int dt = a->dtype;
    if (dt == WG_FLOAT16)
        return wgB_error(ctx, WG_ERR_TYPE, "array type float16 is unsupported in linalg");
    if (dt < 0 || dt >= WG_NDTYPES)
        return wgB_error(ctx, WG_ERR_NOTIMPL, "%s: this dtype is not supported", fn);
    if (wgD_is_complex(dt))
        return wgB_error(ctx, WG_ERR_NOTIMPL,
                         "wgpy: linalg.%s of complex matrices is not supported yet", fn);
    s->dt = wgD_canonical(dt == WG_FLOAT32 ? WG_FLOAT32 : WG_FLOAT64, ctx->x64);
    s->nb = nd - 2;
    s->B = 1;
    for (int d = 0; d < nd - 2; d++) {
        s->bshape[d] = a->lay.shape[d];
        s->B *= a->lay.shape[d];
    }
    s->m = a->lay.shape[nd - 2];
    s->n = a->lay.shape[nd - 1];
    if (square && s->m != s->n)
        return lerr(ctx, "Last 2 dimensions of the array must be square");
    if (s->B * s->m * (s->n + 1) > INT32_MAX / 2)
        return wgB_error(ctx, WG_ERR_VALUE, "%s: the matrix stack is too large", fn);
    return WG_OK;
}

/* A launch of `size` points; out[i] receive the outputs (1-D). */
static int go(wg_context *ctx, const wgP_libk *k, int nargs, wg_array **args, int64_t size,
              wg_array **outs) {
    return wgP_libk_launch(ctx, k, nargs, args, size, outs);
}

static void swap_in(wg_array **slot, wg_array *v) {
    wg_release(*slot);
    *slot = v;
}

/* The flat array `a` as (batch..., r, c) (a new reference; a view of a C-contiguous array). */
static wg_array *shaped(wg_context *ctx, wg_array *a, const stack *s, int nx, int64_t r,
                        int64_t c) {
    int64_t shape[WG_MAX_NDIM];
    int n = 0;
    for (int d = 0; d < s->nb; d++) shape[n++] = s->bshape[d];
    if (nx >= 1) shape[n++] = r;
    if (nx >= 2) shape[n++] = c;
    return wg_reshape(ctx, a, n, shape, 'C');
}

static wg_array *as_work(wg_context *ctx, wg_array *a, const stack *s) {
    return wg_astype(ctx, a, s->dt, WG_CAST_UNSAFE, 0);
}

/* A private C-contiguous copy in the working dtype, for the blocked factorizations, which work
 * in place and address the matrices by C strides (astype's copy keeps an F-ordered input's
 * layout). */
static wg_array *as_work_private(wg_context *ctx, wg_array *a, const stack *s) {
    wg_array *t = as_work(ctx, a, s);
    wg_array *c = t ? wg_copy(ctx, t, 'C') : NULL;
    wg_release(t);
    return c;
}

static wg_array *tscalar(wg_context *ctx, int dt, double v) {
    return wg_scalar(ctx, dt, WG_WEAK_NONE, 0, 0, v);
}

/* A launch with arrays, int32 parameters (plain ints), then T scalars (of dtype dt), then
 * `extra` (an array, where not NULL). */
static int go_args(wg_context *ctx, const wgP_libk *k, int narr, wg_array **arrs, int nint,
                   const int32_t *ints, int nt, const double *tv, int dt, wg_array *extra,
                   int64_t size, wg_array **outs) {
    wg_array *args[WG_KMAX_IO];
    int n = 0, ok = 1;
    for (int i = 0; i < narr; i++) args[n++] = arrs[i];
    for (int i = 0; i < nint + nt; i++) {
        args[n] = i < nint ? wgP_i32(ctx, ints[i]) : tscalar(ctx, dt, tv[i - nint]);
        if (!args[n]) ok = 0;
        n++;
    }
    if (extra) args[n++] = extra;
    int st = ok ? go(ctx, k, n, args, size, outs) : (ctx->status ? ctx->status : WG_ERR_MEMORY);
    for (int i = narr; i < narr + nint + nt; i++) wg_release(args[i]);
    return st;
}

/* As go_args with no T scalars; returns a status. */
static int gon(wg_context *ctx, const wgP_libk *k, int narr, wg_array **arrs, int nint,
               const int32_t *ints, wg_array *extra, int64_t size, wg_array **outs) {
    return go_args(ctx, k, narr, arrs, nint, ints, 0, NULL, 0, extra, size, outs);
}

/* One output; args with int32 parameters given as plain ints after the arrays. */
static wg_array *go1(wg_context *ctx, const wgP_libk *k, int narr, wg_array **arrs, int nint,
                     const int32_t *ints, int64_t size) {
    wg_array *out[4] = {NULL, NULL, NULL, NULL};
    return gon(ctx, k, narr, arrs, nint, ints, NULL, size, out) == WG_OK ? out[0] : NULL;
}

static double eps_of(int dt) { return dt == WG_FLOAT64 ? 0x1p-53 : 0x1p-24; }

static wg_array *izeros(wg_context *ctx, int64_t B) {
    wg_array *z = wg_scalar(ctx, WG_INT32, WG_WEAK_NONE, 0, 0, 0);
    wg_array *r = z ? wg_full(ctx, WG_INT32, 1, &B, z) : NULL;
    wg_release(z);
    return r;
}

/* ---- LU --------------------------------------------------------------------------------- */

/* LU with partial pivoting of the stack's (n, w) matrices (w >= n: right-hand sides in the
 * columns n..w-1 ride along).  *lu: the factors (flat), *par: the permutation's parity. */
static int lu_factor_piv(wg_context *ctx, wg_array *m0, int64_t B, int64_t n, int64_t w,
                         wg_array **lu, wg_array **par, wg_array **ipiv);
static int lu_factor(wg_context *ctx, wg_array *m0, int64_t B, int64_t n, int64_t w,
                     wg_array **lu, wg_array **par) {
    return lu_factor_piv(ctx, m0, B, n, w, lu, par, NULL);
}

/* cuBLAS's ipiv (B, n): step k's pivot row, 1-based, put in column k. */
K_(piv_put, "raw int32 old, raw int32 p, int32 n, int32 k", "int32 o",
   "int b = i / n;\n"
   "o = i - b * n == k ? p[b] + 1 : old[i];\n");

/* cuBLAS's ipiv from the blocked LU's 0-based pivot rows. */
K_(piv_1b, "raw int32 p", "int32 o", "o = p[i] + 1;\n");

/* lu_factor_piv on backends with workgroup kernels (api/lapack_blocked.c): in place on m0,
 * which must be private to the caller. */
static int lu_factor_blocked(wg_context *ctx, wg_array *m0, int64_t B, int64_t n, int64_t w,
                             wg_array **lu, wg_array **par, wg_array **ipiv) {
    /* every pivot is written, and the parity by the first panel: no fills (launches) */
    int64_t bn = B * n;
    wg_array *pv = wg_empty(ctx, WG_INT32, 1, &bn), *pr = pv ? wg_empty(ctx, WG_INT32, 1, &B) : NULL;
    int st = pr ? wgP_lu_blocked(ctx, m0, B, n, w, pv, pr) : ctx->status;
    wg_array *ip = NULL;
    if (st == WG_OK && ipiv && !(ip = go1(ctx, &piv_1b, 1, &pv, 0, NULL, B * n))) st = ctx->status;
    wg_release(pv);
    if (st != WG_OK) {
        wg_release(pr);
        return st;
    }
    wg_retain(m0);
    *lu = m0;
    *par = pr;
    if (ipiv) *ipiv = ip;
    return WG_OK;
}

/* As lu_factor; ipiv (non-NULL): also the pivots as cuBLAS's getrf gives them ((B, n) int32).
 * Where the blocked LU runs (wgP_lapack_blocked), m0 is factored in place. */
static int lu_factor_piv(wg_context *ctx, wg_array *m0, int64_t B, int64_t n, int64_t w,
                         wg_array **lu, wg_array **par, wg_array **ipiv) {
    if (wgP_lapack_blocked(ctx) && B * n > 0)
        return lu_factor_blocked(ctx, m0, B, n, w, lu, par, ipiv);
    wg_array *a = m0;
    wg_retain(a);
    wg_array *pr = NULL;
    wg_array *pv = NULL;
    if (ipiv) {
        pv = izeros(ctx, B * n > 0 ? B * n : 1);
        if (!pv) {
            wg_release(a);
            return ctx->status;
        }
    }
    for (int64_t k = 0; k < n; k++) {
        wg_array *outs[2] = {NULL, NULL};
        int32_t ints[4] = {(int32_t)n, (int32_t)w, (int32_t)k};
        wg_array *ins[2] = {a, pr ? pr : a};
        if (!pr) { /* par0 is not read at k == 0 */
            pr = izeros(ctx, B);
            if (!pr) {
                wg_release(a);
                return ctx->status;
            }
            ins[1] = pr;
        }
        int st = gon(ctx, &lu_pivot, 2, ins, 3, ints, NULL, B, outs);
        if (st != WG_OK) {
            wg_release(a);
            wg_release(pr);
            return st;
        }
        swap_in(&pr, outs[1]);
        if (pv) {
            wg_array *in3[2] = {pv, outs[0]};
            int32_t ik[2] = {(int32_t)n, (int32_t)k};
            wg_array *np = go1(ctx, &piv_put, 2, in3, 2, ik, B * n);
            if (!np) {
                wg_release(outs[0]);
                wg_release(a);
                wg_release(pr);
                wg_release(pv);
                return ctx->status;
            }
            swap_in(&pv, np);
        }
        wg_array *ins2[2] = {a, outs[0]};
        wg_array *na = go1(ctx, &lu_step, 2, ins2, 3, ints, B * n * w);
        wg_release(outs[0]);
        if (!na) {
            wg_release(a);
            wg_release(pr);
            wg_release(pv);
            return ctx->status;
        }
        swap_in(&a, na);
    }
    if (!pr) {
        pr = izeros(ctx, B);
        if (!pr) {
            wg_release(a);
            wg_release(pv);
            return ctx->status;
        }
    }
    *lu = a;
    *par = pr;
    if (ipiv) *ipiv = pv;
    return WG_OK;
}

/* [A | b | 0] per matrix ((n, n + mp)): b's m columns, then zeros up to mp; ident 1: b is the
 * identity (inv). */
K_(aug, "raw T a, raw T bm, int32 n, int32 m, int32 ident, int32 mp", "T o",
   "int w = n + mp;\n"
   "int nw = n * w;\n"
   "int b = i / nw;\n"
   "int rem = i - b * nw;\n"
   "int r = rem / w;\n"
   "int c = rem - r * w;\n"
   "T v;\n"
   "if (c < n) v = a[b * n * n + r * n + c];\n"
   "else if (c - n >= m) v = (T)0;\n"
   "else if (ident != 0) v = c - n == r ? (T)1 : (T)0;\n"
   "else v = bm[b * n * m + r * m + c - n];\n"
   "o = v;\n");

/* x (flat (B, n, m)) = A^-1 b, or A^-1 when Bm is NULL; *flag (1 int32): a zero pivot. */
static int solve_impl(wg_context *ctx, wg_array *A, wg_array *Bm, const stack *s, int64_t m,
                      wg_array **x, wg_array **flag) {
    /* The blocked LU pads [A | b] with zero columns to a row length w that is a multiple of 4:
     * the trailing updates' matmuls then take the executor's vec4 tiles (strides and offsets
     * multiples of 4; docs/webgpu.md), where solve's w = n + 1 kept them on the scalar tiles. */
    int blk = wgP_lapack_blocked(ctx);
    int64_t B = s->B, n = s->n, mp = blk ? m + (4 - (n + m) % 4) % 4 : m, w = n + mp;
    *x = *flag = NULL;
    if (B * n == 0) { /* nothing to solve (and no 0-byte raw input to launch over) */
        int64_t zero = 0;
        *x = wg_empty(ctx, s->dt, 1, &zero);
        *flag = *x ? izeros(ctx, 1) : NULL;
        return *flag ? WG_OK : ctx->status;
    }
    wg_array *ins[2] = {A, Bm && m > 0 ? Bm : A}; /* a 0-byte raw input is refused */
    int32_t ia[4] = {(int32_t)n, (int32_t)m, Bm ? 0 : 1, (int32_t)mp};
    wg_array *aug_m = go1(ctx, &aug, 2, ins, 4, ia, B * n * w);
    if (!aug_m) return ctx->status;
    wg_array *lu = NULL, *par = NULL;
    int st = lu_factor(ctx, aug_m, B, n, w, &lu, &par);
    wg_release(aug_m);
    if (st != WG_OK) return st;
    wg_release(par);
    wg_array *y = NULL;
    if (wgP_lapack_blocked(ctx)) {
        st = wgP_lu_back_blocked(ctx, lu, B, n, w);
        wg_layout l; /* the solution: columns n.. of each (n, w) matrix */
        int64_t sh[3] = {B, n, m};
        wgL_contiguous(&l, 3, sh, 'C');
        l.strides[0] = n * w;
        l.strides[1] = w;
        l.offset = lu->lay.offset + n;
        wg_array *v = st == WG_OK ? wgA_new(ctx, lu->dtype, &l, lu->buf, NULL) : NULL;
        wg_array *c = v ? wg_copy(ctx, v, 'C') : NULL;
        int64_t flat = B * n * m;
        y = c ? wg_reshape(ctx, c, 1, &flat, 'C') : NULL;
        wg_release(v);
        wg_release(c);
        if (!y) {
            wg_release(lu);
            return st != WG_OK ? st : ctx->status;
        }
    } else {
        y = lu;
        wg_retain(y);
    }
    int32_t yw = (int32_t)w, yoff = (int32_t)n;
    for (int64_t k = wgP_lapack_blocked(ctx) ? -1 : n - 1; k >= 0; k--) {
        wg_array *in2[2] = {lu, y};
        int32_t ib[6] = {(int32_t)n, (int32_t)w, (int32_t)m, yw, yoff, (int32_t)k};
        wg_array *ny = go1(ctx, &lu_back, 2, in2, 6, ib, B * n * m);
        if (!ny) {
            wg_release(y);
            wg_release(lu);
            return ctx->status;
        }
        swap_in(&y, ny);
        yw = (int32_t)m;
        yoff = 0;
    }
    int32_t ic[4] = {(int32_t)B, (int32_t)n, (int32_t)w, 0};
    wg_array *f = wgP_diag_flag_gpu(ctx, lu, B, n, w, 0);
    if (!f && ctx->status == WG_OK) f = go1(ctx, &diag_flag, 1, &lu, 4, ic, 1);
    wg_release(lu);
    if (!f) {
        wg_release(y);
        return ctx->status;
    }
    *x = y;
    *flag = f;
    return WG_OK;
}

/* Finish a public call: the flat result as (batch..., r, c), its info block written. */
static wg_array *finish(wg_context *ctx, wg_array *flat, const stack *s, int nx, int64_t r,
                        int64_t c) {
    if (!flat) return NULL;
    wg_array *v = shaped(ctx, flat, s, nx, r, c);
    wg_release(flat);
    return v;
}

int wgP_linalg_done(wg_context *ctx, int st, int n, wg_array **outs) {
    for (int i = 0; i < n; i++)
        if (outs[i] == NULL && st == WG_OK) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (st != WG_OK) {
        for (int i = 0; i < n; i++) {
            wg_release(outs[i]);
            outs[i] = NULL;
        }
        return st;
    }
    for (int i = 0; i < n; i++) wgP_out(ctx, outs[i]);
    return WG_OK;
}

int wg_linalg_solve(wg_context *ctx, wg_array *a, wg_array *b, wg_array **x, wg_array **flag) {
    *x = *flag = NULL;
    if (wgD_is_complex(a->dtype) || wgD_is_complex(b->dtype))
        return wgP_clinalg_solve(ctx, a, b, x, flag); /* api/lapack_complex.c */
    stack s;
    int st = prep(ctx, a, "solve", 1, &s);
    if (st != WG_OK) return st;
    int nd = a->lay.ndim;
    if (b->lay.ndim != nd || b->lay.shape[nd - 2] != s.n ||
        memcmp(b->lay.shape, a->lay.shape, sizeof(int64_t) * (size_t)(nd - 2)))
        return wgB_error(ctx, WG_ERR_VALUE, "solve: b's shape does not match a's");
    if (b->dtype == WG_FLOAT16)
        return wgB_error(ctx, WG_ERR_TYPE, "array type float16 is unsupported in linalg");
    if (wgD_is_complex(b->dtype))
        return wgB_error(ctx, WG_ERR_NOTIMPL,
                         "wgpy: linalg.solve with a complex b is not supported yet");
    if (b->dtype != WG_FLOAT32) s.dt = wgD_canonical(WG_FLOAT64, ctx->x64);
    int64_t m = b->lay.shape[nd - 1];
    wg_array *A = as_work(ctx, a, &s), *Bw = A ? as_work(ctx, b, &s) : NULL, *r = NULL;
    st = Bw ? solve_impl(ctx, A, Bw, &s, m, &r, flag) : ctx->status;
    wg_release(A);
    wg_release(Bw);
    wg_array *o[2] = {st == WG_OK ? finish(ctx, r, &s, 2, s.n, m) : NULL, *flag};
    st = wgP_linalg_done(ctx, st, 2, o);
    *x = o[0];
    *flag = o[1];
    return st;
}

int wg_linalg_inv(wg_context *ctx, wg_array *a, wg_array **x, wg_array **flag) {
    *x = *flag = NULL;
    if (wgD_is_complex(a->dtype)) return wgP_clinalg_inv(ctx, a, x, flag);
    stack s;
    int st = prep(ctx, a, "inv", 1, &s);
    if (st != WG_OK) return st;
    wg_array *A = as_work(ctx, a, &s), *r = NULL;
    st = A ? solve_impl(ctx, A, NULL, &s, s.n, &r, flag) : ctx->status;
    wg_release(A);
    wg_array *o[2] = {st == WG_OK ? finish(ctx, r, &s, 2, s.n, s.n) : NULL, *flag};
    st = wgP_linalg_done(ctx, st, 2, o);
    *x = o[0];
    *flag = o[1];
    return st;
}

int wg_linalg_det(wg_context *ctx, wg_array *a, int logdet, wg_array **sign, wg_array **val) {
    *val = NULL;
    if (sign) *sign = NULL;
    if (wgD_is_complex(a->dtype)) return wgP_clinalg_det(ctx, a, logdet, sign, val);
    stack s;
    int st = prep(ctx, a, logdet ? "slogdet" : "det", 1, &s);
    if (st != WG_OK) return st;
    if (s.B * s.n == 0) { /* det 1, sign 1, log|det| 0 of each empty matrix */
        wg_array *one = tscalar(ctx, s.dt, 1.0), *zero = tscalar(ctx, s.dt, 0.0);
        wg_array *r[2] = {one ? wg_full(ctx, s.dt, 1, &s.B, one) : NULL,
                          zero ? wg_full(ctx, s.dt, 1, &s.B, logdet ? zero : one) : NULL};
        wg_release(one);
        wg_release(zero);
        r[0] = finish(ctx, r[0], &s, 0, 0, 0);
        r[1] = finish(ctx, r[1], &s, 0, 0, 0);
        if (!logdet) {
            wg_release(r[1]);
            *val = r[0];
            return wgP_linalg_done(ctx, WG_OK, 1, val);
        }
        st = wgP_linalg_done(ctx, WG_OK, 2, r);
        *sign = r[0];
        *val = r[1];
        return st;
    }
    /* the blocked LU factors in place */
    wg_array *A = as_work_private(ctx, a, &s), *lu = NULL, *par = NULL;
    st = A ? lu_factor(ctx, A, s.B, s.n, s.n, &lu, &par) : ctx->status;
    wg_release(A);
    if (st != WG_OK) return st;
    wg_array *outs[2] = {NULL, NULL}, *ins[2] = {lu, par};
    int32_t ints[2] = {(int32_t)s.n, logdet ? 1 : 0};
    st = gon(ctx, &lu_det, 2, ins, 2, ints, NULL, s.B, outs);
    wg_release(lu);
    wg_release(par);
    if (st != WG_OK) return st;
    wg_array *r[2] = {finish(ctx, outs[0], &s, 0, 0, 0), finish(ctx, outs[1], &s, 0, 0, 0)};
    if (logdet) {
        *sign = r[0];
        *val = r[1];
        st = wgP_linalg_done(ctx, WG_OK, 2, r);
        if (st != WG_OK) *sign = *val = NULL;
        return st;
    }
    wg_release(r[1]);
    *val = r[0];
    return wgP_linalg_done(ctx, WG_OK, 1, val);
}

int wg_linalg_cholesky(wg_context *ctx, wg_array *a, int upper, wg_array **l,
                       wg_array **flag) {
    *l = *flag = NULL;
    if (wgD_is_complex(a->dtype)) return wgP_clinalg_cholesky(ctx, a, upper, l, flag);
    stack s;
    int st = prep(ctx, a, "cholesky", 1, &s);
    if (st != WG_OK) return st;
    int64_t B = s.B, n = s.n;
    int blocked = wgP_lapack_blocked(ctx) && B * n != 0;
    /* the blocked Cholesky works in place */
    wg_array *A = blocked ? as_work_private(ctx, a, &s) : as_work(ctx, a, &s);
    if (!A) return ctx->status;
    if (blocked && (st = wgP_chol_blocked(ctx, A, B, n)) != WG_OK) {
        wg_release(A);
        return st;
    }
    for (int64_t k = 0; k < n && A && !blocked; k++) {
        int32_t ints[2] = {(int32_t)n, (int32_t)k};
        swap_in(&A, go1(ctx, &chol_step, 1, &A, 2, ints, B * n * n));
    }
    if (!A) return ctx->status;
    int32_t ic[4] = {(int32_t)B, (int32_t)n, (int32_t)n, 1};
    wg_array *f = B * n != 0 ? wgP_diag_flag_gpu(ctx, A, B, n, n, 1) : izeros(ctx, 1);
    if (!f && ctx->status == WG_OK) f = go1(ctx, &diag_flag, 1, &A, 4, ic, 1);
    wg_array *L = NULL;
    int32_t it[4] = {(int32_t)n, (int32_t)n, (int32_t)n, 0};
    L = B * n != 0 ? go1(ctx, &tri, 1, &A, 4, it, B * n * n) : A;
    if (L == A) wg_retain(A);
    wg_release(A);
    L = finish(ctx, L, &s, 2, n, n);
    if (L && upper) {
        wg_array *t = wg_swapaxes(ctx, L, -1, -2);
        swap_in(&L, t);
    }
    wg_array *o[2] = {L, f};
    st = wgP_linalg_done(ctx, WG_OK, 2, o);
    *l = o[0];
    *flag = o[1];
    return st;
}

/* ---- QR --------------------------------------------------------------------------------- */

/* Householder factorization of B (m, n) matrices: h (flat) holds R above and on the diagonal
 * and the reflectors below it (LAPACK's geqrf layout, row-major); tau (B, K). */
static int qr_factor(wg_context *ctx, wg_array *A, int dt, int64_t B, int64_t m, int64_t n,
                     wg_array **h, wg_array **tau) {
    int64_t K = m < n ? m : n;
    wg_array *a = A, *tu = NULL;
    wg_retain(a);
    int st = WG_OK;
    for (int64_t k = 0; k < K && st == WG_OK; k++) {
        int32_t ints[4] = {(int32_t)m, (int32_t)n, (int32_t)K, (int32_t)k};
        wg_array *o3[3] = {NULL, NULL, NULL}, *ins[2] = {a, tu ? tu : a};
        st = gon(ctx, &qr_house, 2, ins, 4, ints, NULL, B * K, o3);
        if (st != WG_OK) break;
        swap_in(&tu, o3[0]);
        wg_array *iw[2] = {a, o3[2]};
        wg_array *w = go1(ctx, &qr_w, 2, iw, 4, ints, B * n);
        wg_array *iu[5] = {a, w, tu, o3[1], o3[2]};
        wg_array *na = w ? go1(ctx, &qr_upd, 5, iu, 4, ints, B * m * n) : NULL;
        wg_release(w);
        wg_release(o3[1]);
        wg_release(o3[2]);
        if (!na) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
        else swap_in(&a, na);
    }
    if (st == WG_OK && !tu) {
        int64_t zero = 0;
        tu = wg_empty(ctx, dt, 1, &zero);
        if (!tu) st = ctx->status;
    }
    if (st != WG_OK) {
        wg_release(a);
        wg_release(tu);
        return st;
    }
    *h = a;
    *tau = tu;
    return WG_OK;
}

/* Q's first q columns (q = K or m), as (B, m, q): the reflectors applied to the identity. */
static wg_array *qr_q(wg_context *ctx, wg_array *h, wg_array *tau, int dt, int64_t B, int64_t m,
                      int64_t n, int64_t q) {
    int64_t K = m < n ? m : n;
    wg_array *e = wg_eye(ctx, dt, m, q, 0);
    int64_t shape[3] = {B, m, q};
    wg_array *Q = e ? wg_broadcast_to(ctx, e, 3, shape) : NULL;
    wg_release(e);
    if (Q) swap_in(&Q, wg_copy(ctx, Q, 'C'));
    for (int64_t k = K - 1; k >= 0 && Q; k--) {
        int32_t ints[5] = {(int32_t)m, (int32_t)n, (int32_t)q, (int32_t)K, (int32_t)k};
        wg_array *iw[3] = {h, Q, tau};
        wg_array *w = go1(ctx, &qr_qw, 3, iw, 5, ints, B * q);
        int32_t iu[4] = {(int32_t)m, (int32_t)n, (int32_t)q, (int32_t)k};
        wg_array *in2[3] = {h, Q, w};
        wg_array *nq = w ? go1(ctx, &qr_qupd, 3, in2, 4, iu, B * m * q) : NULL;
        wg_release(w);
        swap_in(&Q, nq);
    }
    return Q;
}

int wg_linalg_qr(wg_context *ctx, wg_array *a, int mode, wg_array **q, wg_array **r) {
    *q = *r = NULL;
    if (wgD_is_complex(a->dtype)) return wgP_clinalg_qr(ctx, a, mode, q, r);
    stack s;
    int st = prep(ctx, a, "qr", 0, &s);
    if (st != WG_OK) return st;
    if (mode < 0 || mode > 3) return wgB_error(ctx, WG_ERR_VALUE, "qr: invalid mode %d", mode);
    int64_t B = s.B, m = s.m, n = s.n, K = m < n ? m : n;
    wg_array *A = as_work(ctx, a, &s), *h = NULL, *tau = NULL;
    st = A ? qr_factor(ctx, A, s.dt, B, m, n, &h, &tau) : ctx->status;
    wg_release(A);
    if (st != WG_OK) return st;
    if (mode == 3) { /* raw: h transposed (NumPy's Fortran-order array), tau */
        wg_array *hs = finish(ctx, h, &s, 2, m, n);
        wg_array *outs[2] = {hs ? wg_swapaxes(ctx, hs, -1, -2) : NULL, NULL};
        wg_release(hs);
        outs[1] = finish(ctx, tau, &s, 1, K, 0);
        st = wgP_linalg_done(ctx, WG_OK, 2, outs);
        *q = outs[0];
        *r = outs[1];
        return st;
    }
    int64_t rows = mode == 1 ? m : K;
    int32_t it[4] = {(int32_t)m, (int32_t)rows, (int32_t)n, 1};
    wg_array *R = B * rows * n != 0 ? go1(ctx, &tri, 1, &h, 4, it, B * rows * n) : NULL;
    if (B * rows * n == 0) {
        int64_t zero = 0;
        R = wg_empty(ctx, s.dt, 1, &zero);
    }
    *r = finish(ctx, R, &s, 2, rows, n);
    if (mode != 2 && *r) {
        wg_array *Q = qr_q(ctx, h, tau, s.dt, B, m, n, mode == 1 ? m : K);
        *q = finish(ctx, Q, &s, 2, m, mode == 1 ? m : K);
        if (!*q) {
            wg_release(*r);
            *r = NULL;
        }
    }
    wg_release(h);
    wg_release(tau);
    if (!*r) return ctx->status ? ctx->status : WG_ERR_MEMORY;
    wgP_out(ctx, *r);
    if (*q) wgP_out(ctx, *q);
    return WG_OK;
}

/* ---- Jacobi: eigh and svd ------------------------------------------------------------- */

/* perm (flat (B, n)): the order that sorts keys (flat (B, n)); desc: descending. */
static wg_array *sort_perm(wg_context *ctx, wg_array *keys, int64_t B, int64_t n, int desc) {
    int32_t ir[2] = {(int32_t)n, desc};
    wg_array *rk = go1(ctx, &rank_k, 1, &keys, 2, ir, B * n);
    wg_array *perm = rk ? go1(ctx, &rank_inv, 1, &rk, 1, ir, B * n) : NULL;
    wg_release(rk);
    return perm;
}

static wg_array *bcast_eye(wg_context *ctx, int dt, int64_t B, int64_t m, int64_t q) {
    wg_array *e = wg_eye(ctx, dt, m, q, 0);
    int64_t shape[3] = {B, m, q};
    wg_array *Q = e ? wg_broadcast_to(ctx, e, 3, shape) : NULL;
    wg_release(e);
    if (Q) swap_in(&Q, wg_copy(ctx, Q, 'C'));
    return Q;
}

static int empty_out(wg_context *ctx, const stack *s, wg_array **o, int nx, int64_t r, int64_t c) {
    int64_t shape[WG_MAX_NDIM];
    int n = 0;
    for (int d = 0; d < s->nb; d++) shape[n++] = s->bshape[d];
    if (nx >= 1) shape[n++] = r;
    if (nx >= 2) shape[n++] = c;
    *o = wg_empty(ctx, s->dt, n, shape);
    return *o ? WG_OK : ctx->status;
}

/* The stack of a work array (its own dtype: the caller's results keep it). */
static int work_stack(wg_context *ctx, wg_array *x, const char *fn, stack *s) {
    int st = prep(ctx, x, fn, 0, s);
    if (st == WG_OK) s->dt = x->dtype;
    return st;
}

int wg_linalg_eigh_init(wg_context *ctx, wg_array *a, int lower, int compute_v, wg_array **S,
                        wg_array **V) {
    *S = *V = NULL;
    if (wgD_is_complex(a->dtype)) return wgP_clinalg_eigh_init(ctx, a, lower, compute_v, S, V);
    stack s;
    int st = prep(ctx, a, compute_v ? "eigh" : "eigvalsh", 1, &s);
    if (st != WG_OK) return st;
    int64_t B = s.B, n = s.n;
    wg_array *o[2] = {NULL, NULL};
    if (B * n == 0) {
        st = empty_out(ctx, &s, &o[0], 2, n, n);
        if (st == WG_OK && compute_v) st = empty_out(ctx, &s, &o[1], 2, n, n);
    } else {
        wg_array *A = as_work(ctx, a, &s);
        int32_t isym[2] = {(int32_t)n, lower ? 1 : 0};
        o[0] = finish(ctx, A ? go1(ctx, &sym_fill, 1, &A, 2, isym, B * n * n) : NULL, &s, 2, n,
                      n);
        wg_release(A);
        if (o[0] && compute_v) o[1] = finish(ctx, bcast_eye(ctx, s.dt, B, n, n), &s, 2, n, n);
    }
    st = wgP_linalg_done(ctx, st, compute_v ? 2 : 1, o);
    *S = o[0];
    *V = o[1];
    return st;
}

int wg_linalg_eigh_sweep(wg_context *ctx, wg_array *S, wg_array *V, wg_array **S2,
                         wg_array **V2, wg_array **flag) {
    *S2 = *V2 = *flag = NULL;
    stack s;
    int st = work_stack(ctx, S, "eigh", &s);
    if (st != WG_OK) return st;
    int64_t B = s.B, n = s.n, N = n + (n & 1);
    wg_array *cur = S, *cv = V;
    wg_retain(cur);
    if (cv) wg_retain(cv);
    wg_array *f = NULL;
    if (B * n == 0 || n <= 1) {
        f = izeros(ctx, 1);
    } else {
        for (int64_t t = 0; t < N - 1 && st == WG_OK; t++) {
            int32_t ij[3] = {(int32_t)n, (int32_t)N, (int32_t)t};
            wg_array *rot[3] = {NULL, NULL, NULL};
            st = gon(ctx, &jac_rot, 1, &cur, 3, ij, NULL, B * n, rot);
            if (st != WG_OK) break;
            if (cv) {
                wg_array *in3[3] = {cv, rot[0], rot[1]};
                wg_array *nv = go1(ctx, &jac_v, 3, in3, 3, ij, B * n * n);
                if (!nv) st = ctx->status;
                else swap_in(&cv, nv);
            }
            wg_array *in4[4] = {cur, rot[0], rot[1], rot[2]};
            wg_array *ns = st == WG_OK ? go1(ctx, &jac_a, 4, in4, 3, ij, B * n * n) : NULL;
            for (int q = 0; q < 3; q++) wg_release(rot[q]);
            if (!ns) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
            else swap_in(&cur, ns);
        }
        if (st == WG_OK) {
            wg_array *tol = tscalar(ctx, s.dt, eps_of(s.dt)), *outs[1] = {NULL};
            int32_t ic[1] = {(int32_t)n}, ib[1] = {(int32_t)B};
            st = tol ? gon(ctx, &jac_conv, 1, &cur, 1, ic, tol, B, outs) : ctx->status;
            wg_release(tol);
            if (st == WG_OK) f = go1(ctx, &flag_max, 1, outs, 1, ib, 1);
            wg_release(outs[0]);
        }
    }
    wg_array *o[3] = {f ? finish(ctx, cur, &s, 2, n, n) : (wg_release(cur), NULL),
                      f && cv ? finish(ctx, cv, &s, 2, n, n) : (wg_release(cv), NULL), f};
    if (V && !o[1] && st == WG_OK) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (!V) {
        o[1] = o[2];
        st = wgP_linalg_done(ctx, st, 2, o);
        *S2 = o[0];
        *flag = o[1];
        return st;
    }
    st = wgP_linalg_done(ctx, st, 3, o);
    *S2 = o[0];
    *V2 = o[1];
    *flag = o[2];
    return st;
}

int wg_linalg_eigh_finish(wg_context *ctx, wg_array *S, wg_array *V, wg_array **w,
                          wg_array **vs) {
    *w = *vs = NULL;
    stack s;
    int st = work_stack(ctx, S, "eigh", &s);
    if (st != WG_OK) return st;
    int64_t B = s.B, n = s.n;
    wg_array *o[2] = {NULL, NULL};
    if (B * n == 0) {
        st = empty_out(ctx, &s, &o[0], 1, n, 0);
        if (st == WG_OK && V) st = empty_out(ctx, &s, &o[1], 2, n, n);
    } else {
        wg_array *D = wg_diagonal(ctx, S, 0, -2, -1, 0);
        wg_array *perm = D ? sort_perm(ctx, D, B, n, 0) : NULL;
        int32_t in1[1] = {(int32_t)n};
        wg_array *it[2] = {D, perm};
        o[0] = finish(ctx, perm ? go1(ctx, &take_k, 2, it, 1, in1, B * n) : NULL, &s, 1, n, 0);
        if (V && o[0]) {
            wg_array *iv[3] = {V, perm, V};
            int32_t ii[5] = {(int32_t)n, 0, (int32_t)n, (int32_t)n, 0};
            o[1] = finish(ctx, go1(ctx, &take_cols, 3, iv, 5, ii, B * n * n), &s, 2, n, n);
        }
        wg_release(D);
        wg_release(perm);
    }
    st = wgP_linalg_done(ctx, st, V ? 2 : 1, o);
    *w = o[0];
    *vs = o[1];
    return st;
}

/* SVD orientation: the Jacobi iteration runs on the tall one of A and A^T. */
static void svd_dims(const stack *s, int compute_uv, int *wide, int64_t *mt, int64_t *nt,
                     int64_t *R) {
    *wide = s->m < s->n;
    *mt = *wide ? s->n : s->m;
    *nt = *wide ? s->m : s->n;
    *R = *mt + (compute_uv ? *nt : 0);
}

int wg_linalg_svd_init(wg_context *ctx, wg_array *a, int compute_uv, wg_array **G) {
    *G = NULL;
    stack s;
    int st = prep(ctx, a, compute_uv ? "svd" : "svdvals", 0, &s);
    if (st != WG_OK) return st;
    int wide;
    int64_t mt, nt, R, B = s.B;
    svd_dims(&s, compute_uv, &wide, &mt, &nt, &R);
    if (B * nt == 0) {
        st = empty_out(ctx, &s, G, 2, R, nt);
        return wgP_linalg_done(ctx, st, 1, G);
    }
    wg_array *A = as_work(ctx, a, &s);
    wg_array *X = A && wide ? wg_swapaxes(ctx, A, -1, -2) : A;
    if (X && X != A) wg_release(A);
    int32_t ig[3] = {(int32_t)mt, (int32_t)R, (int32_t)nt};
    *G = finish(ctx, X ? go1(ctx, &svd_init, 1, &X, 3, ig, B * R * nt) : NULL, &s, 2, R, nt);
    wg_release(X);
    return wgP_linalg_done(ctx, WG_OK, 1, G);
}

int wg_linalg_svd_sweep(wg_context *ctx, wg_array *G, int64_t mt, wg_array **G2,
                        wg_array **flag) {
    *G2 = *flag = NULL;
    stack s;
    int st = work_stack(ctx, G, "svd", &s);
    if (st != WG_OK) return st;
    int64_t B = s.B, R = s.m, nt = s.n, N = nt + (nt & 1);
    if (mt < 1 || mt > R) return wgB_error(ctx, WG_ERR_VALUE, "svd: bad row count %lld",
                                           (long long)mt);
    wg_array *g = G, *cv = NULL, *f = NULL;
    wg_retain(g);
    if (B * nt == 0 || nt <= 1) {
        f = izeros(ctx, 1);
    } else {
        wg_array *tol = tscalar(ctx, s.dt, eps_of(s.dt) * (double)mt);
        wg_array *small = tscalar(ctx, s.dt, eps_of(s.dt) * eps_of(s.dt) * (double)(mt * mt));
        if (!tol || !small) st = ctx->status;
        for (int64_t t = 0; t < N - 1 && st == WG_OK; t++) {
            int32_t ir[6] = {(int32_t)mt, (int32_t)R, (int32_t)nt, (int32_t)N, (int32_t)t,
                             t == 0};
            wg_array *o3[3] = {NULL, NULL, NULL}, *ins[2] = {g, cv ? cv : g};
            st = gon(ctx, &svd_rot, 2, ins, 6, ir, small, B * nt, o3);
            if (st != WG_OK) break;
            swap_in(&cv, o3[2]);
            int32_t ia[4] = {(int32_t)R, (int32_t)nt, (int32_t)N, (int32_t)t};
            wg_array *iap[3] = {g, o3[0], o3[1]};
            wg_array *ng = go1(ctx, &svd_apply, 3, iap, 4, ia, B * R * nt);
            wg_release(o3[0]);
            wg_release(o3[1]);
            if (!ng) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
            else swap_in(&g, ng);
        }
        if (st == WG_OK) {
            int32_t ic[1] = {(int32_t)(B * nt)};
            wg_array *outs[1] = {NULL};
            st = gon(ctx, &svd_conv, 1, &cv, 1, ic, tol, 1, outs);
            f = outs[0];
        }
        wg_release(tol);
        wg_release(small);
        wg_release(cv);
    }
    wg_array *o[2] = {f ? finish(ctx, g, &s, 2, R, nt) : (wg_release(g), NULL), f};
    st = wgP_linalg_done(ctx, st, 2, o);
    *G2 = o[0];
    *flag = o[1];
    return st;
}

int wg_linalg_svd_finish(wg_context *ctx, wg_array *a, wg_array *G, int full, int compute_uv,
                         wg_array **u, wg_array **sv, wg_array **vh) {
    *sv = *u = *vh = NULL;
    stack s;
    int st = prep(ctx, a, compute_uv ? "svd" : "svdvals", 0, &s);
    if (st != WG_OK) return st;
    int wide;
    int64_t mt, nt, R, B = s.B, m = s.m, n = s.n;
    svd_dims(&s, compute_uv, &wide, &mt, &nt, &R);
    if (G->dtype != s.dt || G->lay.ndim != a->lay.ndim || G->lay.shape[G->lay.ndim - 2] != R ||
        G->lay.shape[G->lay.ndim - 1] != nt)
        return wgB_error(ctx, WG_ERR_VALUE, "svd: the iteration state does not match a");
    wg_array *o[3] = {NULL, NULL, NULL};
    if (B * nt == 0) { /* s empty; u and vh identities or empty, as NumPy */
        st = empty_out(ctx, &s, &o[0], 1, nt, 0);
        if (st == WG_OK && compute_uv) {
            int64_t ur = m, uc = full ? m : nt, vr = full ? n : nt, vc = n;
            wg_array *e1 = bcast_eye(ctx, s.dt, B, ur, uc), *e2 = bcast_eye(ctx, s.dt, B, vr, vc);
            o[1] = finish(ctx, e1, &s, 2, ur, uc);
            o[2] = finish(ctx, e2, &s, 2, vr, vc);
        }
        st = wgP_linalg_done(ctx, st, compute_uv ? 3 : 1, o);
        *sv = o[0];
        *u = o[1];
        *vh = o[2];
        return st;
    }
    int32_t ig[3] = {(int32_t)mt, (int32_t)R, (int32_t)nt};
    wg_array *sig = go1(ctx, &svd_sigma, 1, &G, 3, ig, B * nt);
    wg_array *perm = sig ? sort_perm(ctx, sig, B, nt, 1) : NULL;
    int32_t in1[1] = {(int32_t)nt};
    wg_array *it[2] = {sig, perm};
    wg_array *SS = perm ? go1(ctx, &take_k, 2, it, 1, in1, B * nt) : NULL, *U = NULL, *VS = NULL;
    if (!SS) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    if (st == WG_OK && compute_uv) {
        /* U's columns G[:mt, j] / sigma_j, made exactly orthonormal (and completed to mt
         * columns when full) by a Householder QR: U = Q diag(sign(R_jj)) */
        wg_array *iu[3] = {G, perm, SS};
        int32_t ii[5] = {(int32_t)R, 0, (int32_t)mt, (int32_t)nt, 1};
        wg_array *Ur = go1(ctx, &take_cols, 3, iu, 5, ii, B * mt * nt);
        int32_t iv[5] = {(int32_t)R, (int32_t)mt, (int32_t)nt, (int32_t)nt, 0};
        VS = Ur ? go1(ctx, &take_cols, 3, iu, 5, iv, B * nt * nt) : NULL;
        wg_array *h = NULL, *tau = NULL;
        st = VS ? qr_factor(ctx, Ur, s.dt, B, mt, nt, &h, &tau) : ctx->status;
        wg_release(Ur);
        if (st == WG_OK) {
            int64_t q = full ? mt : nt;
            wg_array *Q = qr_q(ctx, h, tau, s.dt, B, mt, nt, q);
            wg_array *isf[2] = {h, Q};
            int32_t is[3] = {(int32_t)mt, (int32_t)nt, (int32_t)q};
            U = Q ? go1(ctx, &qr_signfix, 2, isf, 3, is, B * mt * q) : NULL;
            wg_release(Q);
            if (!U) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
        }
        wg_release(h);
        wg_release(tau);
    }
    wg_release(sig);
    wg_release(perm);
    if (st != WG_OK) {
        wg_release(SS);
        wg_release(U);
        wg_release(VS);
        return st;
    }
    o[0] = finish(ctx, SS, &s, 1, nt, 0);
    if (compute_uv) {
        int64_t q = full ? mt : nt;
        wg_array *Uf = finish(ctx, U, &s, 2, mt, q);    /* (mt, q) */
        wg_array *Vf = finish(ctx, VS, &s, 2, nt, nt);  /* (nt, nt) */
        if (!wide) { /* A = U S V^T */
            o[1] = Uf;
            o[2] = Vf ? wg_swapaxes(ctx, Vf, -1, -2) : NULL;
            wg_release(Vf);
        } else { /* A^T = U S V^T: A = V S U^T */
            o[1] = Vf;
            o[2] = Uf ? wg_swapaxes(ctx, Uf, -1, -2) : NULL;
            wg_release(Uf);
        }
    }
    st = wgP_linalg_done(ctx, WG_OK, compute_uv ? 3 : 1, o);
    *sv = o[0];
    *u = o[1];
    *vh = o[2];
    return st;
}

/* ---- eig, eigvals: Hessenberg reduction, Francis double-shift QR, real Schur form --------- */

/* General real matrices (docs/linalg.md, "eig"): LAPACK's dgeev path in gather form.
 * 1. Hessenberg reduction H = Q^T A Q by n-2 Householder steps (dgehrd), Z = Q accumulated.
 * 2. Francis double-shift QR sweeps (dlahqr) on the bottom-most unreduced block [lo, hi] of
 *    every matrix of the stack at once: step s of a sweep is the bulge-chasing reflector of
 *    row k = lo + s, which every point that needs it recomputes from the previous H (the same
 *    inputs give the same reflector everywhere); one launch updates H = P^T H P, one Z = Z P.
 *    A per-matrix control vector (lo, hi, its, size) is updated after each sweep by a point
 *    per field; blocks of size 1 and 2 deflate.  The host reads the largest active size of the
 *    stack after each batch of sweeps (0: converged, < 0: NaN or no convergence).
 * 3. 2 x 2 blocks standardised by dlanv2 (one launch for T, one for Z), eigenvalues (wr, wi)
 *    from the blocks, eigenvectors by dtrevc's back substitution (two launches per row), the
 *    back-transform V = Z X and dgeev's normalisation (unit 2-norm, largest component real). */

#define EIG_BAL_PASSES 4

static const char EIG_PRE[] =
    "template <typename T> __device__ T eig_sign1(T x) { return x >= 0 ? (T)1 : (T)-1; }\n"
    /* dlarfg for n = nr (2 or 3): alpha x1, x = (x2, x3) */
    "template <typename T> __device__ void eig_larfg(int nr, T x1, T x2, T x3, T &t1, T &v2,\n"
    "                                                T &v3, T &beta) {\n"
    "  T m = fabs(x2);\n"
    "  if (nr == 3 && fabs(x3) > m) m = fabs(x3);\n"
    "  if (m == 0) { t1 = 0; v2 = 0; v3 = 0; beta = x1; return; }\n"
    "  T mm = fabs(x1) > m ? fabs(x1) : m;\n"
    "  T y1 = x1 / mm; T y2 = x2 / mm; T y3 = nr == 3 ? x3 / mm : (T)0;\n"
    "  T be = mm * sqrt(y1 * y1 + y2 * y2 + y3 * y3);\n"
    "  if (x1 >= 0) be = -be;\n"
    "  t1 = (be - x1) / be;\n"
    "  T sc = 1 / (x1 - be);\n"
    "  v2 = x2 * sc;\n"
    "  v3 = nr == 3 ? x3 * sc : (T)0;\n"
    "  beta = be;\n"
    "}\n"
    /* (ar + i ai) / (br + i bi), Smith's algorithm */
    "template <typename T> __device__ void eig_cdiv(T ar, T ai, T br, T bi, T &cr, T &ci) {\n"
    "  if (fabs(br) >= fabs(bi)) {\n"
    "    T r = bi / br; T d = br + bi * r;\n"
    "    cr = (ar + ai * r) / d; ci = (ai - ar * r) / d;\n"
    "  } else {\n"
    "    T r = br / bi; T d = br * r + bi;\n"
    "    cr = (ar * r + ai) / d; ci = (ai * r - ar) / d;\n"
    "  }\n"
    "}\n"
    "template <typename T> __device__ T eig_hypot(T x, T y) {\n"
    "  T ax = fabs(x); T ay = fabs(y);\n"
    "  T m = ax > ay ? ax : ay;\n"
    "  if (m == 0) return (T)0;\n"
    "  T p = ax / m; T q = ay / m;\n"
    "  return m * sqrt(p * p + q * q);\n"
    "}\n"
    /* LAPACK's dlanv2: the standardised Schur factorisation of a real 2 x 2 block */
    "template <typename T> __device__ void eig_lanv2(T &a, T &b, T &c, T &d, T &cs, T &sn,\n"
    "                                                T eps) {\n"
    "  if (c == 0) { cs = 1; sn = 0; }\n"
    "  else if (b == 0) {\n"
    "    cs = 0; sn = 1; T tmp = d; d = a; a = tmp; b = -c; c = 0;\n"
    "  } else if ((a - d) == 0 && eig_sign1(b) != eig_sign1(c)) { cs = 1; sn = 0; }\n"
    "  else {\n"
    "    T temp = a - d;\n"
    "    T p = temp / 2;\n"
    "    T bcmax = fabs(b) > fabs(c) ? fabs(b) : fabs(c);\n"
    "    T bcmis = (fabs(b) < fabs(c) ? fabs(b) : fabs(c)) * eig_sign1(b) * eig_sign1(c);\n"
    "    T scale = fabs(p) > bcmax ? fabs(p) : bcmax;\n"
    "    T z = (p / scale) * p + (bcmax / scale) * bcmis;\n"
    "    if (z >= 4 * eps) {\n"
    "      z = p + eig_sign1(p) * sqrt(scale) * sqrt(z);\n"
    "      a = d + z;\n"
    "      d = d - (bcmax / z) * bcmis;\n"
    "      T tau = eig_hypot(c, z);\n"
    "      cs = z / tau;\n"
    "      sn = c / tau;\n"
    "      b = b - c;\n"
    "      c = 0;\n"
    "    } else {\n"
    "      T sigma = b + c;\n"
    "      T tau = eig_hypot(sigma, temp);\n"
    "      cs = sqrt((1 + fabs(sigma) / tau) / 2);\n"
    "      sn = -(p / (tau * cs)) * eig_sign1(sigma);\n"
    "      T aa = a * cs + b * sn; T bb = -a * sn + b * cs;\n"
    "      T cc = c * cs + d * sn; T dd = -c * sn + d * cs;\n"
    "      a = aa * cs + cc * sn; b = bb * cs + dd * sn;\n"
    "      c = -aa * sn + cc * cs; d = -bb * sn + dd * cs;\n"
    "      temp = (a + d) / 2;\n"
    "      a = temp; d = temp;\n"
    "      if (c != 0) {\n"
    "        if (b != 0) {\n"
    "          if (eig_sign1(b) == eig_sign1(c)) {\n"
    "            T sab = sqrt(fabs(b)); T sac = sqrt(fabs(c));\n"
    "            p = eig_sign1(c) * sab * sac;\n"
    "            tau = 1 / sqrt(fabs(b + c));\n"
    "            a = temp + p; d = temp - p;\n"
    "            b = b - c; c = 0;\n"
    "            T cs1 = sab * tau; T sn1 = sac * tau;\n"
    "            temp = cs * cs1 - sn * sn1;\n"
    "            sn = cs * sn1 + sn * cs1;\n"
    "            cs = temp;\n"
    "          }\n"
    "        } else {\n"
    "          b = -c; c = 0; temp = cs; cs = -sn; sn = temp;\n"
    "        }\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n";

#define KE_(nm, ins, outs, body) KPRE_(nm, EIG_PRE, ins, outs, body)

/* Balancing (dgebal's scaling; no permutations), index x of a pass, one point per matrix: the
 * power of 2 f that brings row x's and column x's 2-norms closest, 1 when that gains less
 * than 5% (or the scale d_x f would leave [sfmin1, 1/sfmin1]). */
K_(bal_f, "raw T a, raw T d, int32 n, int32 x, T sfmin1", "T f",
   "int base = i * n * n;\n"
   "T sfmax1 = 1 / sfmin1;\n"
   "T sfmin2 = sfmin1 * 2;\n"
   "T sfmax2 = 1 / sfmin2;\n"
   "T cm = 0; T rm = 0;\n"
   "for (int k = 0; k < n; k++) {\n"
   "  T u = fabs(a[base + k * n + x]); if (u > cm) cm = u;\n"
   "  T w = fabs(a[base + x * n + k]); if (w > rm) rm = w;\n"
   "}\n"
   "T ff = 1;\n"
   "if (cm > 0 && rm > 0 && cm - cm == 0 && rm - rm == 0) {\n"
   "  T cs = 0; T rs = 0;\n"
   "  for (int k = 0; k < n; k++) {\n"
   "    T u = a[base + k * n + x] / cm; cs += u * u;\n"
   "    T w = a[base + x * n + k] / rm; rs += w * w;\n"
   "  }\n"
   "  T c = cm * sqrt(cs); T r = rm * sqrt(rs);\n"
   "  T ca = cm; T ra = rm;\n"
   "  T g = r / 2; T s0 = c + r;\n"
   "  int it = 0;\n"
   "  while (c < g && ff < sfmax2 && c < sfmax2 && ca < sfmax2 && r > sfmin2 && g > sfmin2 &&\n"
   "         ra > sfmin2 && it < 400) {\n"
   "    ff *= 2; c *= 2; ca *= 2; r /= 2; g /= 2; ra /= 2; it++;\n"
   "  }\n"
   "  g = c / 2;\n"
   "  while (g >= r && r < sfmax2 && ra < sfmax2 && ff > sfmin2 && c > sfmin2 && g > sfmin2 &&\n"
   "         ca > sfmin2 && it < 800) {\n"
   "    ff /= 2; c /= 2; g /= 2; ca /= 2; r *= 2; ra *= 2; it++;\n"
   "  }\n"
   "  T dx = d[i * n + x];\n"
   "  if (c + r >= (T)0.95 * s0) ff = 1;\n"
   "  else if (ff < 1 && dx < 1 && ff * dx <= sfmin1) ff = 1;\n"
   "  else if (ff > 1 && dx > 1 && dx >= sfmax1 / ff) ff = 1;\n"
   "}\n"
   "f = ff;\n");

/* ... row x divided by f, column x multiplied by f (a, flat (B, n, n)), and d_x *= f (d, flat
 * (B, n)): both kernels read the same f. */
K_(bal_apply, "raw T a, raw T f, int32 n, int32 x", "T o",
   MAT_RC
   "T v = a[i];\n"
   "T fb = f[b];\n"
   "if (r == x && c != x) v = v / fb;\n"
   "if (c == x && r != x) v = v * fb;\n"
   "o = v;\n");
K_(bal_d, "raw T d, raw T f, int32 n, int32 x", "T o",
   "int b = i / n;\n"
   "int j = i - b * n;\n"
   "o = j == x ? d[i] * f[b] : d[i];\n");
/* Z's start: diag(d) (the balancing's scaling: eigenvectors of A are d times those of the
 * balanced matrix). */
K_(bal_z, "raw T d, int32 n", "T o",
   MAT_RC
   "o = r == c ? d[b * n + r] : (T)0;\n");

/* Hessenberg step k: larfg of H[k+1:, k], one point per matrix. */
K_(hess_house, "raw T a, int32 n, int32 k", "T tau, T beta, T scl",
   "int base = i * n * n;\n"
   "T alpha = a[base + (k + 1) * n + k];\n"
   "T mx = 0;\n"
   "for (int r = k + 2; r < n; r++) { T x = fabs(a[base + r * n + k]); if (x > mx) mx = x; }\n"
   "if (mx == 0) { tau = 0; beta = alpha; scl = 0; }\n"
   "else {\n"
   "  if (fabs(alpha) > mx) mx = fabs(alpha);\n"
   "  T sig = 0;\n"
   "  for (int r = k + 1; r < n; r++) { T x = a[base + r * n + k] / mx; sig += x * x; }\n"
   "  T nrm = mx * sqrt(sig);\n"
   "  T be = alpha >= 0 ? -nrm : nrm;\n"
   "  tau = (be - alpha) / be;\n"
   "  beta = be;\n"
   "  scl = 1 / (alpha - be);\n"
   "}\n");

/* v (flat (B, n)): 0 above row k+1, 1 at k+1, H[r, k] * scl below. */
K_(hess_v, "raw T a, raw T scl, int32 n, int32 k", "T v",
   "int b = i / n;\n"
   "int r = i - b * n;\n"
   "T x = 0;\n"
   "if (r == k + 1) x = 1;\n"
   "else if (r > k + 1) x = a[b * n * n + r * n + k] * scl[b];\n"
   "v = x;\n");

/* w_c = v^T H[:, c] (one point per column; columns <= k are not needed). */
K_(hess_w, "raw T a, raw T v, int32 n, int32 k", "T w",
   "int b = i / n;\n"
   "int c = i - b * n;\n"
   "T s = 0;\n"
   "if (c > k) for (int r = k + 1; r < n; r++) s += v[b * n + r] * a[b * n * n + r * n + c];\n"
   "w = s;\n");

/* H <- H - tau v w^T on columns > k; column k becomes (beta, 0...) below the diagonal. */
K_(hess_left, "raw T a, raw T v, raw T w, raw T tau, raw T beta, int32 n, int32 k", "T o",
   MAT_RC
   "T x = a[i];\n"
   "if (c == k && r > k) x = r == k + 1 ? beta[b] : (T)0;\n"
   "else if (c > k && r > k) x = x - tau[b] * v[b * n + r] * w[b * n + c];\n"
   "o = x;\n");

/* u_r = M[r, :] v (H or Z: one point per row). */
K_(hess_u, "raw T a, raw T v, int32 n, int32 k", "T u",
   "int b = i / n;\n"
   "int r = i - b * n;\n"
   "T s = 0;\n"
   "for (int c = k + 1; c < n; c++) s += a[b * n * n + r * n + c] * v[b * n + c];\n"
   "u = s;\n");

/* M <- M - tau u v^T (columns > k). */
K_(hess_right, "raw T a, raw T v, raw T u, raw T tau, int32 n, int32 k", "T o",
   MAT_RC
   "T x = a[i];\n"
   "if (c > k) x = x - tau[b] * u[b * n + r] * v[b * n + c];\n"
   "o = x;\n");

/* The reflector of Francis step s for matrix b (dlahqr): act, k, nr, t1, v2, v3, beta, ih. */
#define EIG_REFL \
    "int l = ctrl[b * 4];\n" \
    "int ih = ctrl[b * 4 + 1];\n" \
    "int its = ctrl[b * 4 + 2];\n" \
    "int sz = ctrl[b * 4 + 3];\n" \
    "int k = l + s;\n" \
    "bool act = sz >= 3 && k <= ih - 1;\n" \
    "int nr = ih - k + 1;\n" \
    "if (nr > 3) nr = 3;\n" \
    "T t1 = 0; T v2 = 0; T v3 = 0; T beta = 0;\n" \
    "if (act) {\n" \
    "  T x1 = 0; T x2 = 0; T x3 = 0;\n" \
    "  if (s == 0) {\n" \
    "    T h11; T h12; T h21; T h22;\n" \
    "    if (its > 0 && its % 20 == 10) {\n" \
    "      T ss = fabs(a[base + (l + 1) * n + l]) + fabs(a[base + (l + 2) * n + l + 1]);\n" \
    "      h11 = (T)0.75 * ss + a[base + l * n + l]; h12 = (T)-0.4375 * ss; h21 = ss; h22 = h11;\n" \
    "    } else if (its > 0 && its % 20 == 0) {\n" \
    "      T ss = fabs(a[base + ih * n + ih - 1]) + fabs(a[base + (ih - 1) * n + ih - 2]);\n" \
    "      h11 = (T)0.75 * ss + a[base + ih * n + ih]; h12 = (T)-0.4375 * ss; h21 = ss;\n" \
    "      h22 = h11;\n" \
    "    } else {\n" \
    "      h11 = a[base + (ih - 1) * n + ih - 1]; h21 = a[base + ih * n + ih - 1];\n" \
    "      h12 = a[base + (ih - 1) * n + ih]; h22 = a[base + ih * n + ih];\n" \
    "    }\n" \
    "    T sc = fabs(h11) + fabs(h12) + fabs(h21) + fabs(h22);\n" \
    "    T r1r = 0; T r1i = 0; T r2r = 0; T r2i = 0;\n" \
    "    if (sc != 0) {\n" \
    "      h11 = h11 / sc; h21 = h21 / sc; h12 = h12 / sc; h22 = h22 / sc;\n" \
    "      T tr = (h11 + h22) / 2;\n" \
    "      T det = (h11 - tr) * (h22 - tr) - h12 * h21;\n" \
    "      T rtd = sqrt(fabs(det));\n" \
    "      if (det >= 0) { r1r = tr * sc; r2r = r1r; r1i = rtd * sc; r2i = -r1i; }\n" \
    "      else {\n" \
    "        r1r = tr + rtd; r2r = tr - rtd;\n" \
    "        if (fabs(r1r - h22) <= fabs(r2r - h22)) { r1r = r1r * sc; r2r = r1r; }\n" \
    "        else { r2r = r2r * sc; r1r = r2r; }\n" \
    "      }\n" \
    "    }\n" \
    "    T hmm = a[base + l * n + l];\n" \
    "    T h21s = a[base + (l + 1) * n + l];\n" \
    "    T s2 = fabs(hmm - r2r) + fabs(r2i) + fabs(h21s);\n" \
    "    if (s2 == 0) s2 = 1;\n" \
    "    h21s = h21s / s2;\n" \
    "    x1 = h21s * a[base + l * n + l + 1] + (hmm - r1r) * ((hmm - r2r) / s2) - r1i * (r2i / s2);\n" \
    "    x2 = h21s * (hmm + a[base + (l + 1) * n + l + 1] - r1r - r2r);\n" \
    "    x3 = h21s * a[base + (l + 2) * n + l + 1];\n" \
    "  } else {\n" \
    "    x1 = a[base + k * n + k - 1];\n" \
    "    x2 = a[base + (k + 1) * n + k - 1];\n" \
    "    if (nr == 3) x3 = a[base + (k + 2) * n + k - 1];\n" \
    "  }\n" \
    "  eig_larfg(nr, x1, x2, x3, t1, v2, v3, beta);\n" \
    "}\n"

#define EIG_QR_H \
    "T x = a[i];\n" \
    "if (act) {\n" \
    "  T t2 = t1 * v2; T t3 = t1 * v3;\n" \
    "  bool inw = r >= k && r < k + nr;\n" \
    "  T tr = r == k ? t1 : (r == k + 1 ? t2 : t3);\n" \
    "  int rmax = k + 3 < ih ? k + 3 : ih;\n" \
    "  if (s > 0 && c == k - 1 && inw) x = r == k ? beta : (T)0;\n" \
    "  else if (c >= k && c < k + nr && r <= rmax) {\n" \
    "    T sm = 0; T lc = 0; T tc = 0;\n" \
    "    for (int j = 0; j < nr; j++) {\n" \
    "      int cc = k + j;\n" \
    "      T h = a[base + r * n + cc];\n" \
    "      if (inw) {\n" \
    "        T q = a[base + k * n + cc] + v2 * a[base + (k + 1) * n + cc];\n" \
    "        if (nr == 3) q += v3 * a[base + (k + 2) * n + cc];\n" \
    "        h -= tr * q;\n" \
    "      }\n" \
    "      T vj = j == 0 ? (T)1 : (j == 1 ? v2 : v3);\n" \
    "      sm += vj * h;\n" \
    "      if (cc == c) { lc = h; tc = j == 0 ? t1 : (j == 1 ? t2 : t3); }\n" \
    "    }\n" \
    "    x = lc - sm * tc;\n" \
    "  } else if (inw && c >= k) {\n" \
    "    T q = a[base + k * n + c] + v2 * a[base + (k + 1) * n + c];\n" \
    "    if (nr == 3) q += v3 * a[base + (k + 2) * n + c];\n" \
    "    x = x - tr * q;\n" \
    "  }\n" \
    "}\n" \
    "o = x;\n"

#define EIG_QR_Z \
    "T y = z[i];\n" \
    "if (act && c >= k && c < k + nr) {\n" \
    "  T sz = z[base + r * n + k] + v2 * z[base + r * n + k + 1];\n" \
    "  if (nr == 3) sz += v3 * z[base + r * n + k + 2];\n" \
    "  int j = c - k;\n" \
    "  T tz = j == 0 ? t1 : (j == 1 ? t1 * v2 : t1 * v3);\n" \
    "  y = y - sz * tz;\n" \
    "}\n" \
    "oz = y;\n"

/* Francis step s: H <- P^T H P (left on rows k..k+nr-1, columns >= k; right on columns
 * k..k+nr-1, rows <= min(k+3, hi)); column k-1 of the window becomes (beta, 0, 0).  eig_qr_hz
 * also does Z <- Z P (eigenvectors), the reflector computed once for both. */
KE_(eig_qr_h, "raw T a, raw int32 ctrl, int32 n, int32 s", "T o", MAT_RCB EIG_REFL EIG_QR_H);
KE_(eig_qr_hz, "raw T a, raw T z, raw int32 ctrl, int32 n, int32 s", "T o, T oz",
    MAT_RCB EIG_REFL EIG_QR_H EIG_QR_Z);

/* After a sweep: negligible subdiagonal elements (dlahqr's test, Ahues & Tisseur) and
 * everything below the subdiagonal set to 0. */
K_(eig_clean, "raw T a, int32 n, T ulp, T smlnum", "T o",
   MAT_RCB
   "T x = a[i];\n"
   "if (r > c + 1) x = 0;\n"
   "else if (r == c + 1 && x != 0) {\n"
   "  T h = fabs(x);\n"
   "  if (h <= smlnum) x = 0;\n"
   "  else {\n"
   "    T hkk = a[base + r * n + r];\n"
   "    T hk1 = a[base + c * n + c];\n"
   "    T tst = fabs(hk1) + fabs(hkk);\n"
   "    if (tst == 0) {\n"
   "      if (c >= 1) tst += fabs(a[base + c * n + c - 1]);\n"
   "      if (r + 1 < n) tst += fabs(a[base + (r + 1) * n + r]);\n"
   "    }\n"
   "    if (h <= ulp * tst) {\n"
   "      T up = fabs(a[base + c * n + r]);\n"
   "      T ab = h > up ? h : up;\n"
   "      T ba = h > up ? up : h;\n"
   "      T dd = fabs(hk1 - hkk);\n"
   "      T aa = fabs(hkk) > dd ? fabs(hkk) : dd;\n"
   "      T bb = fabs(hkk) > dd ? dd : fabs(hkk);\n"
   "      T ss = aa + ab;\n"
   "      T lim = ulp * (bb * (aa / ss));\n"
   "      if (lim < smlnum) lim = smlnum;\n"
   "      if (ba * (ab / ss) <= lim) x = 0;\n"
   "    }\n"
   "  }\n"
   "}\n"
   "o = x;\n");

/* The control vector (lo, hi, its, size) of each matrix, one point per field: blocks of size
 * 1 and 2 at the bottom deflate; size -1: a NaN or infinity in H, -2: itmax sweeps on one
 * block (dlahqr's 30 max(10, n)). */
K_(eig_ctrl, "raw T a, raw int32 ctrl0, int32 n, int32 init", "int32 o",
   "int b = i / 4;\n"
   "int f = i - b * 4;\n"
   "int base = b * n * n;\n"
   "int ih0 = init != 0 ? n - 1 : ctrl0[b * 4 + 1];\n"
   "int its = init != 0 ? 0 : ctrl0[b * 4 + 2];\n"
   "int bad = 0;\n"
   "for (int r = 0; r < n; r++) {\n"
   "  int c0 = r > 0 ? r - 1 : 0;\n"
   "  for (int c = c0; c < n; c++) { T x = a[base + r * n + c]; if (!(x - x == 0)) bad = 1; }\n"
   "}\n"
   "int ih = ih0;\n"
   "int l = 0;\n"
   "while (ih >= 0) {\n"
   "  l = ih;\n"
   "  while (l > 0 && a[base + l * n + l - 1] != 0) l--;\n"
   "  if (ih - l + 1 <= 2) ih = l - 1; else break;\n"
   "}\n"
   "if (ih != ih0 || init != 0) its = 0; else its = its + 1;\n"
   "int sz = ih >= 0 ? ih - l + 1 : 0;\n"
   "if (sz == 0) its = 0;\n"
   "int itmax = 30 * (n > 10 ? n : 10);\n"
   "if (its > itmax) sz = -2;\n"
   "if (bad != 0) sz = -1;\n"
   "int v = l;\n"
   "if (f == 1) v = ih;\n"
   "if (f == 2) v = its;\n"
   "if (f == 3) v = sz;\n"
   "o = v;\n");

/* The stack's largest active size (one point); a negative size wins. */
K_(eig_flag, "raw int32 ctrl, int32 nb", "int32 o",
   "int m = 0;\n"
   "int neg = 0;\n"
   "for (int b = 0; b < nb; b++) {\n"
   "  int v = ctrl[b * 4 + 3];\n"
   "  if (v < neg) neg = v;\n"
   "  if (v > m) m = v;\n"
   "}\n"
   "o = neg < 0 ? neg : m;\n");

/* The 2 x 2 block of row x: its first row (-1: none); the Schur form has isolated nonzero
 * subdiagonal elements. */
#define EIG_BLK(var, x) \
    "int " var " = -1;\n" \
    "if (" x " + 1 < n && a[base + (" x " + 1) * n + " x "] != 0) " var " = " x ";\n" \
    "else if (" x " >= 1 && a[base + " x " * n + " x " - 1] != 0) " var " = " x " - 1;\n"

/* Standardise every 2 x 2 block (dlanv2): T <- G^T T G, G block-diagonal rotations. */
KE_(eig_std_t, "raw T a, int32 n, T eps", "T o",
    MAT_RCB
    EIG_BLK("pr", "r")
    EIG_BLK("pc", "c")
    "T x = a[i];\n"
    "if (pr >= 0 && pr == pc) {\n"
    "  T aa = a[base + pr * n + pr]; T bb = a[base + pr * n + pr + 1];\n"
    "  T cc = a[base + (pr + 1) * n + pr]; T dd = a[base + (pr + 1) * n + pr + 1];\n"
    "  T cs; T sn;\n"
    "  eig_lanv2(aa, bb, cc, dd, cs, sn, eps);\n"
    "  x = r == pr ? (c == pr ? aa : bb) : (c == pr ? cc : dd);\n"
    "} else if (pr >= 0 || pc >= 0) {\n"
    "  T rcs = 1; T rsn = 0; T ccs = 1; T csn = 0;\n"
    "  if (pr >= 0) {\n"
    "    T aa = a[base + pr * n + pr]; T bb = a[base + pr * n + pr + 1];\n"
    "    T cc = a[base + (pr + 1) * n + pr]; T dd = a[base + (pr + 1) * n + pr + 1];\n"
    "    eig_lanv2(aa, bb, cc, dd, rcs, rsn, eps);\n"
    "  }\n"
    "  if (pc >= 0) {\n"
    "    T aa = a[base + pc * n + pc]; T bb = a[base + pc * n + pc + 1];\n"
    "    T cc = a[base + (pc + 1) * n + pc]; T dd = a[base + (pc + 1) * n + pc + 1];\n"
    "    eig_lanv2(aa, bb, cc, dd, ccs, csn, eps);\n"
    "  }\n"
    /* row coefficients (rows r0, r1) and column coefficients (columns c0, c1) */
    "  int r0 = r; int r1 = r; T ra = 1; T rb = 0;\n"
    "  if (pr >= 0) { r0 = pr; r1 = pr + 1; if (r == pr) { ra = rcs; rb = rsn; } else { ra = -rsn; rb = rcs; } }\n"
    "  int c0 = c; int c1 = c; T ca = 1; T cb = 0;\n"
    "  if (pc >= 0) { c0 = pc; c1 = pc + 1; if (c == pc) { ca = ccs; cb = csn; } else { ca = -csn; cb = ccs; } }\n"
    "  T y0 = ca * a[base + r0 * n + c0] + cb * a[base + r0 * n + c1];\n"
    "  T y1 = ca * a[base + r1 * n + c0] + cb * a[base + r1 * n + c1];\n"
    "  x = ra * y0 + rb * y1;\n"
    "}\n"
    "o = x;\n");

/* ... and Z <- Z G. */
KE_(eig_std_z, "raw T a, raw T z, int32 n, T eps", "T o",
    MAT_RCB
    EIG_BLK("pc", "c")
    "T x = z[i];\n"
    "if (pc >= 0) {\n"
    "  T aa = a[base + pc * n + pc]; T bb = a[base + pc * n + pc + 1];\n"
    "  T cc = a[base + (pc + 1) * n + pc]; T dd = a[base + (pc + 1) * n + pc + 1];\n"
    "  T cs; T sn;\n"
    "  eig_lanv2(aa, bb, cc, dd, cs, sn, eps);\n"
    "  T z0 = z[base + r * n + pc]; T z1 = z[base + r * n + pc + 1];\n"
    "  x = c == pc ? cs * z0 + sn * z1 : cs * z1 - sn * z0;\n"
    "}\n"
    "o = x;\n");

/* Eigenvalues from the standardised Schur form (one point per (b, x)). */
K_(eig_vals, "raw T a, int32 n", "T wr, T wi",
   "int b = i / n;\n"
   "int x = i - b * n;\n"
   "int base = b * n * n;\n"
   EIG_BLK("p", "x")
   "wr = a[base + x * n + x];\n"
   "T w = 0;\n"
   "if (p >= 0) {\n"
   "  w = sqrt(fabs(a[base + p * n + p + 1])) * sqrt(fabs(a[base + (p + 1) * n + p]));\n"
   "  if (x != p) w = -w;\n"
   "}\n"
   "wi = w;\n");

/* 1 when any eigenvalue of the stack is complex (one point). */
K_(eig_cflag, "raw T wi, int32 cnt", "int32 o",
   "int f = 0;\n"
   "for (int j = 0; j < cnt; j++) if (wi[j] != 0) f = 1;\n"
   "o = f;\n");

/* Column c's eigenvalue block: p (first index), sz (1 or 2), lr + i li. */
#define EIG_COL \
    EIG_BLK("p", "c") \
    "int bs = p >= 0 ? 2 : 1;\n" \
    "if (p < 0) p = c;\n" \
    "T lr = a[base + p * n + p];\n" \
    "T li = 0;\n" \
    "if (bs == 2) li = sqrt(fabs(a[base + p * n + p + 1])) * sqrt(fabs(a[base + (p + 1) * n + p]));\n"

/* dtrevc's start: X[r, c] for the rows of column c's own block (LAPACK storage: a complex
 * pair's real part in column p, imaginary part in p + 1); 0 elsewhere. */
K_(eig_xinit, "raw T a, int32 n", "T o",
   MAT_RCB
   EIG_COL
   "T x = 0;\n"
   "if (bs == 1) { if (r == p) x = 1; }\n"
   "else {\n"
   "  T t01 = a[base + p * n + p + 1]; T t10 = a[base + (p + 1) * n + p];\n"
   "  bool im = c == p + 1;\n"
   "  if (fabs(t01) >= fabs(t10)) {\n"
   "    if (r == p && !im) x = 1;\n"
   "    if (r == p + 1 && im) x = li / t01;\n"
   "  } else {\n"
   "    if (r == p && !im) x = -li / t10;\n"
   "    if (r == p + 1 && im) x = 1;\n"
   "  }\n"
   "}\n"
   "o = x;\n");

/* Back substitution, row block ending at row i0 (one point per (b, c)): (T - lambda) x = rhs
 * for the rows of the block above column c's own block; xa: the block's first row, xb its
 * last (real or imaginary part by c's column); scl: the column's rescaling (overflow). */
#define EIG_ROWBLK \
    "int rt = i0;\n" \
    "int rs = 1;\n" \
    "bool skip = false;\n" \
    "if (i0 >= 1 && a[base + i0 * n + i0 - 1] != 0) { rt = i0 - 1; rs = 2; }\n" \
    "else if (i0 + 1 < n && a[base + (i0 + 1) * n + i0] != 0) skip = true;\n"

KE_(eig_xsolve, "raw T a, raw T X, int32 n, int32 i0, T smin0, T big, T smlnum", "T xa, T xb, T scl",
    "int b = i / n;\n"
    "int c = i - b * n;\n"
    "int base = b * n * n;\n"
    EIG_COL
    EIG_ROWBLK
    "T oa = 0; T ob = 0; T sc = 1;\n"
    "if (!skip && rt + rs - 1 < p) {\n"
    "  int pe = p + bs;\n"
    "  int cr = base + p;\n"
    "  T ar = 0; T ai = 0; T br = 0; T bi = 0;\n"
    "  for (int m = i0 + 1; m < pe; m++) {\n"
    "    T xr = X[cr + m * n];\n"
    "    T xi = bs == 2 ? X[cr + m * n + 1] : (T)0;\n"
    "    T tb = a[base + i0 * n + m];\n"
    "    br -= tb * xr; bi -= tb * xi;\n"
    "    if (rs == 2) { T ta = a[base + rt * n + m]; ar -= ta * xr; ai -= ta * xi; }\n"
    "  }\n"
    "  T smin = smin0 * (fabs(lr) + fabs(li));\n"
    "  if (smin < smlnum) smin = smlnum;\n"
    "  T yar = 0; T yai = 0; T ybr = 0; T ybi = 0;\n"
    "  if (rs == 1) {\n"
    "    T dr = a[base + i0 * n + i0] - lr; T di = -li;\n"
    "    if (fabs(dr) + fabs(di) < smin) { dr = smin; di = 0; }\n"
    "    eig_cdiv(br, bi, dr, di, ybr, ybi);\n"
    "  } else {\n"
    /* the 2 x 2 system scaled to entries <= 1, solved by Cramer's rule */
    "    T a11r = a[base + rt * n + rt] - lr; T a11i = -li;\n"
    "    T a12 = a[base + rt * n + i0]; T a21 = a[base + i0 * n + rt];\n"
    "    T a22r = a[base + i0 * n + i0] - lr; T a22i = -li;\n"
    "    T sm = fabs(a11r) + fabs(a11i);\n"
    "    if (fabs(a12) > sm) sm = fabs(a12);\n"
    "    if (fabs(a21) > sm) sm = fabs(a21);\n"
    "    if (fabs(a22r) + fabs(a22i) > sm) sm = fabs(a22r) + fabs(a22i);\n"
    "    if (sm < smin) sm = smin;\n"
    "    a11r /= sm; a11i /= sm; a12 /= sm; a21 /= sm; a22r /= sm; a22i /= sm;\n"
    "    ar /= sm; ai /= sm; br /= sm; bi /= sm;\n"
    "    T dr = a11r * a22r - a11i * a22i - a12 * a21;\n"
    "    T di = a11r * a22i + a11i * a22r;\n"
    "    T sm2 = smin / sm;\n"
    "    if (fabs(dr) + fabs(di) < sm2 * sm2) { dr = sm2 * sm2; di = 0; }\n"
    /* x_a = (ra a22 - a12 rb) / det, x_b = (a11 rb - a21 ra) / det */
    "    T nar = ar * a22r - ai * a22i - a12 * br; T nai = ar * a22i + ai * a22r - a12 * bi;\n"
    "    T nbr = a11r * br - a11i * bi - a21 * ar; T nbi = a11r * bi + a11i * br - a21 * ai;\n"
    "    eig_cdiv(nar, nai, dr, di, yar, yai);\n"
    "    eig_cdiv(nbr, nbi, dr, di, ybr, ybi);\n"
    "  }\n"
    "  T xm = fabs(ybr) + fabs(ybi);\n"
    "  T xm2 = fabs(yar) + fabs(yai);\n"
    "  if (xm2 > xm) xm = xm2;\n"
    "  if (xm > big) { sc = 1 / xm; yar *= sc; yai *= sc; ybr *= sc; ybi *= sc; }\n"
    "  bool im = bs == 2 && c == p + 1;\n"
    "  oa = im ? yai : yar;\n"
    "  ob = im ? ybi : ybr;\n"
    "}\n"
    "xa = oa; xb = ob; scl = sc;\n");

KE_(eig_xupd, "raw T a, raw T X, raw T xa, raw T xb, raw T scl, int32 n, int32 i0", "T o",
    MAT_RCB
    EIG_COL
    EIG_ROWBLK
    "T x = X[i];\n"
    "if (!skip && rt + rs - 1 < p) {\n"
    "  if (r == i0) x = xb[b * n + c];\n"
    "  else if (rs == 2 && r == rt) x = xa[b * n + c];\n"
    "  else x = x * scl[b * n + c];\n"
    "}\n"
    "o = x;\n");

/* V = Z X (X is zero below column c's block). */
KE_(eig_back, "raw T a, raw T z, raw T X, int32 n", "T o",
    MAT_RCB
    EIG_COL
    "int pe = p + bs;\n"
    "T s = 0;\n"
    "for (int m = 0; m < pe; m++) s += z[base + r * n + m] * X[base + m * n + c];\n"
    "o = s;\n");

/* dgeev's normalisation: a real vector to unit 2-norm; a complex pair (columns p, p+1) to
 * unit 2-norm with its largest component real. */
KE_(eig_norm, "raw T a, raw T V, int32 n", "T o",
    MAT_RCB
    EIG_COL
    "T x;\n"
    "if (bs == 1) {\n"
    "  T mx = 0;\n"
    "  for (int m = 0; m < n; m++) { T y = fabs(V[base + m * n + c]); if (y > mx) mx = y; }\n"
    "  T s = 0;\n"
    "  if (mx > 0) for (int m = 0; m < n; m++) { T y = V[base + m * n + c] / mx; s += y * y; }\n"
    "  x = mx > 0 ? (V[i] / mx) / sqrt(s) : V[i];\n"
    "} else {\n"
    "  T mx = 0;\n"
    "  for (int m = 0; m < n; m++) {\n"
    "    T y = fabs(V[base + m * n + p]); if (y > mx) mx = y;\n"
    "    y = fabs(V[base + m * n + p + 1]); if (y > mx) mx = y;\n"
    "  }\n"
    "  if (mx == 0) mx = 1;\n"
    "  T s = 0; int km = 0; T best = -1;\n"
    "  for (int m = 0; m < n; m++) {\n"
    "    T yr = V[base + m * n + p] / mx; T yi = V[base + m * n + p + 1] / mx;\n"
    "    T q = yr * yr + yi * yi;\n"
    "    s += q;\n"
    "    if (q > best) { best = q; km = m; }\n"
    "  }\n"
    "  T f = V[base + km * n + p] / mx; T g = V[base + km * n + p + 1] / mx;\n"
    "  T d = eig_hypot(f, g);\n"
    "  T cs = 1; T sn = 0;\n"
    "  if (d > 0) { cs = f / d; sn = g / d; }\n"
    "  T re = V[base + r * n + p] / mx; T im = V[base + r * n + p + 1] / mx;\n"
    "  T ns = sqrt(s);\n"
    "  if (c == p) x = (cs * re + sn * im) / ns;\n"
    "  else x = r == km ? (T)0 : (cs * im - sn * re) / ns;\n"
    "}\n"
    "o = x;\n");

/* A launch with arrays, int32 parameters and then T scalars (of dtype dt). */
static int eig_go(wg_context *ctx, const wgP_libk *k, int narr, wg_array **arrs, int nint,
                  const int32_t *ints, int nt, const double *tv, int dt, int64_t size,
                  wg_array **outs) {
    return go_args(ctx, k, narr, arrs, nint, ints, nt, tv, dt, NULL, size, outs);
}

static wg_array *eig_go1(wg_context *ctx, const wgP_libk *k, int narr, wg_array **arrs,
                         int nint, const int32_t *ints, int nt, const double *tv, int dt,
                         int64_t size) {
    wg_array *outs[4] = {NULL, NULL, NULL, NULL};
    int st = eig_go(ctx, k, narr, arrs, nint, ints, nt, tv, dt, size, outs);
    return st == WG_OK ? outs[0] : NULL;
}

/* wgP_linalg_done() over the 4 slots of an eig result whose slot `opt` may be NULL (no eigenvectors). */
static int eig_done(wg_context *ctx, int st, wg_array **o, int opt) {
    wg_array *p[4];
    int k = 0, idx[4];
    for (int i = 0; i < 4; i++)
        if (i != opt || o[i]) { idx[k] = i; p[k++] = o[i]; }
    st = wgP_linalg_done(ctx, st, k, p);
    for (int i = 0; i < 4; i++) o[i] = NULL;
    for (int j = 0; j < k; j++) o[idx[j]] = p[j];
    return st;
}

/* The control vector after H changed (init: the first), and the stack's flag. */
static int eig_control(wg_context *ctx, wg_array *H, wg_array *ctrl0, int64_t B, int64_t n,
                       int init, wg_array **ctrl, wg_array **flag) {
    wg_array *ins[2] = {H, ctrl0 ? ctrl0 : H};
    int32_t ic[2] = {(int32_t)n, init};
    *ctrl = *flag = NULL;
    if (!ctrl0) { /* a placeholder int32 array (never read when init) */
        ins[1] = izeros(ctx, 4 * B);
        if (!ins[1]) return ctx->status;
    }
    *ctrl = eig_go1(ctx, &eig_ctrl, 2, ins, 2, ic, 0, NULL, 0, 4 * B);
    if (!ctrl0) wg_release(ins[1]);
    if (!*ctrl) return ctx->status ? ctx->status : WG_ERR_MEMORY;
    int32_t ib[1] = {(int32_t)B};
    *flag = eig_go1(ctx, &eig_flag, 1, ctrl, 1, ib, 0, NULL, 0, 1);
    if (!*flag) {
        wg_release(*ctrl);
        *ctrl = NULL;
        return ctx->status ? ctx->status : WG_ERR_MEMORY;
    }
    return WG_OK;
}

int wg_linalg_eig_init(wg_context *ctx, wg_array *a, int compute_v, wg_array **H,
                       wg_array **Z, wg_array **ctrl, wg_array **flag) {
    *H = *Z = *ctrl = *flag = NULL;
    stack s;
    int st = prep(ctx, a, compute_v ? "eig" : "eigvals", 1, &s);
    if (st != WG_OK) return st;
    int64_t B = s.B, n = s.n;
    if (B * n == 0) {
        wg_array *o[4] = {NULL, NULL, NULL, NULL};
        st = empty_out(ctx, &s, &o[0], 2, n, n);
        if (st == WG_OK && compute_v) st = empty_out(ctx, &s, &o[1], 2, n, n);
        if (st == WG_OK) {
            int64_t z0 = 0;
            o[2] = wg_empty(ctx, WG_INT32, 1, &z0);
            o[3] = izeros(ctx, 1);
        }
        st = eig_done(ctx, st, o, compute_v ? -1 : 1);
        *H = o[0];
        *Z = o[1];
        *ctrl = o[2];
        *flag = o[3];
        return st;
    }
    wg_array *h = as_work(ctx, a, &s);
    if (h) swap_in(&h, wg_reshape(ctx, h, 1, (int64_t[]){B * n * n}, 'C'));
    if (h) swap_in(&h, wg_copy(ctx, h, 'C'));
    /* balancing: EIG_BAL_PASSES of dgebal's scaling passes (the engine cannot read whether a
     * pass changed anything; dgebal converges in 2-5 passes on the usual matrix, and a partly
     * balanced matrix is as valid, only less improved) */
    wg_array *d = NULL, *z = NULL;
    if (h) {
        wg_array *one = tscalar(ctx, s.dt, 1.0);
        int64_t bn = B * n;
        d = one ? wg_full(ctx, s.dt, 1, &bn, one) : NULL;
        wg_release(one);
    }
    double sfmin1[1] = {(s.dt == WG_FLOAT64 ? 0x1p-1022 : 0x1p-126) / (2 * eps_of(s.dt))};
    for (int pass = 0; pass < EIG_BAL_PASSES && d && h && n > 1; pass++) {
        for (int64_t x = 0; x < n && d && h; x++) {
            int32_t ix[2] = {(int32_t)n, (int32_t)x};
            wg_array *ia[2] = {h, d};
            wg_array *f = eig_go1(ctx, &bal_f, 2, ia, 2, ix, 1, sfmin1, s.dt, B);
            wg_array *ih[2] = {h, f}, *id[2] = {d, f};
            wg_array *nh = f ? eig_go1(ctx, &bal_apply, 2, ih, 2, ix, 0, NULL, 0, B * n * n)
                             : NULL;
            wg_array *nd = nh ? eig_go1(ctx, &bal_d, 2, id, 2, ix, 0, NULL, 0, B * n) : NULL;
            wg_release(f);
            swap_in(&h, nh);
            swap_in(&d, nd);
        }
    }
    if (h && d && compute_v) {
        int32_t in1[1] = {(int32_t)n};
        z = eig_go1(ctx, &bal_z, 1, &d, 1, in1, 0, NULL, 0, B * n * n);
    }
    st = !h || !d || (compute_v && !z) ? (ctx->status ? ctx->status : WG_ERR_MEMORY) : WG_OK;
    wg_release(d);
    for (int64_t k = 0; k + 2 < n && st == WG_OK; k++) {
        int32_t ik[2] = {(int32_t)n, (int32_t)k};
        wg_array *hh[3] = {NULL, NULL, NULL};
        st = eig_go(ctx, &hess_house, 1, &h, 2, ik, 0, NULL, 0, B, hh);
        if (st != WG_OK) break;
        wg_array *iv[2] = {h, hh[2]};
        wg_array *v = eig_go1(ctx, &hess_v, 2, iv, 2, ik, 0, NULL, 0, B * n);
        if (v && z) {
            wg_array *iu[2] = {z, v};
            wg_array *u = eig_go1(ctx, &hess_u, 2, iu, 2, ik, 0, NULL, 0, B * n);
            wg_array *ir[4] = {z, v, u, hh[0]};
            wg_array *nz = u ? eig_go1(ctx, &hess_right, 4, ir, 2, ik, 0, NULL, 0, B * n * n)
                             : NULL;
            wg_release(u);
            if (!nz) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
            else swap_in(&z, nz);
        }
        wg_array *w = NULL, *nh = NULL;
        if (v && st == WG_OK) {
            wg_array *iw[2] = {h, v};
            w = eig_go1(ctx, &hess_w, 2, iw, 2, ik, 0, NULL, 0, B * n);
            wg_array *il[5] = {h, v, w, hh[0], hh[1]};
            nh = w ? eig_go1(ctx, &hess_left, 5, il, 2, ik, 0, NULL, 0, B * n * n) : NULL;
        }
        if (nh) {
            swap_in(&h, nh);
            wg_array *iu[2] = {h, v};
            wg_array *u = eig_go1(ctx, &hess_u, 2, iu, 2, ik, 0, NULL, 0, B * n);
            wg_array *ir[4] = {h, v, u, hh[0]};
            nh = u ? eig_go1(ctx, &hess_right, 4, ir, 2, ik, 0, NULL, 0, B * n * n) : NULL;
            wg_release(u);
            if (nh) swap_in(&h, nh);
        }
        if (!nh && st == WG_OK) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
        wg_release(w);
        wg_release(v);
        for (int q = 0; q < 3; q++) wg_release(hh[q]);
    }
    wg_array *c = NULL, *f = NULL;
    if (st == WG_OK) st = eig_control(ctx, h, NULL, B, n, 1, &c, &f);
    if (st != WG_OK) {
        wg_release(h);
        wg_release(z);
        return st;
    }
    wg_array *o[4] = {finish(ctx, h, &s, 2, n, n), z ? finish(ctx, z, &s, 2, n, n) : NULL, c, f};
    st = eig_done(ctx, WG_OK, o, compute_v ? -1 : 1);
    *H = o[0];
    *Z = o[1];
    *ctrl = o[2];
    *flag = o[3];
    return st;
}

int wg_linalg_eig_sweep(wg_context *ctx, wg_array *H, wg_array *Z, wg_array *ctrl,
                        int64_t steps, int nsweeps, wg_array **H2, wg_array **Z2,
                        wg_array **ctrl2, wg_array **flag) {
    *H2 = *Z2 = *ctrl2 = *flag = NULL;
    stack s;
    int st = work_stack(ctx, H, "eig", &s);
    if (st != WG_OK) return st;
    int64_t B = s.B, n = s.n;
    if (s.m != n || B * n == 0 || ctrl->dtype != WG_INT32 || wgL_size(&ctrl->lay) != 4 * B ||
        (Z && (Z->dtype != s.dt || wgL_size(&Z->lay) != B * n * n)))
        return wgB_error(ctx, WG_ERR_VALUE, "eig: the iteration state does not match");
    if (steps < 0 || steps > n) steps = n;
    wg_array *h = wg_reshape(ctx, H, 1, (int64_t[]){B * n * n}, 'C');
    wg_array *z = Z ? wg_reshape(ctx, Z, 1, (int64_t[]){B * n * n}, 'C') : NULL;
    wg_array *c = ctrl, *f = NULL;
    wg_retain(c);
    if (!h || (Z && !z)) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
    double tv[2] = {eps_of(s.dt) * 2, s.dt == WG_FLOAT64 ? 0x1p-1022 : 0x1p-126};
    tv[1] = tv[1] * ((double)n / tv[0]);
    for (int sw = 0; sw < nsweeps && st == WG_OK; sw++) {
        for (int64_t k = 0; k < steps && st == WG_OK; k++) {
            int32_t ik[2] = {(int32_t)n, (int32_t)k};
            if (z) {
                wg_array *iz[3] = {h, z, c}, *o2[2] = {NULL, NULL};
                st = eig_go(ctx, &eig_qr_hz, 3, iz, 2, ik, 0, NULL, 0, B * n * n, o2);
                if (st != WG_OK) break;
                swap_in(&h, o2[0]);
                swap_in(&z, o2[1]);
                continue;
            }
            wg_array *ih[2] = {h, c};
            wg_array *nh = eig_go1(ctx, &eig_qr_h, 2, ih, 2, ik, 0, NULL, 0, B * n * n);
            if (!nh) { st = ctx->status ? ctx->status : WG_ERR_MEMORY; break; }
            swap_in(&h, nh);
        }
        if (st != WG_OK) break;
        int32_t in1[1] = {(int32_t)n};
        wg_array *nh = eig_go1(ctx, &eig_clean, 1, &h, 1, in1, 2, tv, s.dt, B * n * n);
        if (!nh) { st = ctx->status ? ctx->status : WG_ERR_MEMORY; break; }
        swap_in(&h, nh);
        wg_array *nc = NULL;
        wg_release(f);
        f = NULL;
        st = eig_control(ctx, h, c, B, n, 0, &nc, &f);
        if (st == WG_OK) swap_in(&c, nc);
    }
    if (st == WG_OK && !f) f = izeros(ctx, 1);
    if (st != WG_OK) {
        wg_release(h);
        wg_release(z);
        wg_release(c);
        wg_release(f);
        return st;
    }
    wg_array *o[4] = {finish(ctx, h, &s, 2, n, n), z ? finish(ctx, z, &s, 2, n, n) : NULL, c, f};
    st = eig_done(ctx, WG_OK, o, Z ? -1 : 1);
    *H2 = o[0];
    *Z2 = o[1];
    *ctrl2 = o[2];
    *flag = o[3];
    return st;
}

int wg_linalg_eig_finish(wg_context *ctx, wg_array *H, wg_array *Z, wg_array **wr,
                         wg_array **wi, wg_array **vr, wg_array **cflag) {
    *wr = *wi = *vr = *cflag = NULL;
    stack s;
    int st = work_stack(ctx, H, "eig", &s);
    if (st != WG_OK) return st;
    int64_t B = s.B, n = s.n;
    if (s.m != n || (Z && (Z->dtype != s.dt || wgL_size(&Z->lay) != B * n * n)))
        return wgB_error(ctx, WG_ERR_VALUE, "eig: the iteration state does not match");
    wg_array *o[4] = {NULL, NULL, NULL, NULL};
    if (B * n == 0) {
        st = empty_out(ctx, &s, &o[0], 1, n, 0);
        if (st == WG_OK) st = empty_out(ctx, &s, &o[1], 1, n, 0);
        if (st == WG_OK && Z) st = empty_out(ctx, &s, &o[2], 2, n, n);
        if (st == WG_OK) o[3] = izeros(ctx, 1);
    } else {
        double eps = eps_of(s.dt);
        double tv[2] = {eps, 0};
        wg_array *h = wg_reshape(ctx, H, 1, (int64_t[]){B * n * n}, 'C');
        int32_t in1[1] = {(int32_t)n};
        wg_array *t = h ? eig_go1(ctx, &eig_std_t, 1, &h, 1, in1, 1, tv, s.dt, B * n * n) : NULL;
        wg_array *z = NULL;
        if (t && Z) {
            wg_array *zf = wg_reshape(ctx, Z, 1, (int64_t[]){B * n * n}, 'C');
            wg_array *iz[2] = {h, zf};
            z = zf ? eig_go1(ctx, &eig_std_z, 2, iz, 1, in1, 1, tv, s.dt, B * n * n) : NULL;
            wg_release(zf);
        }
        wg_release(h);
        wg_array *w2[2] = {NULL, NULL};
        st = t && (!Z || z) ? eig_go(ctx, &eig_vals, 1, &t, 1, in1, 0, NULL, 0, B * n, w2)
                            : (ctx->status ? ctx->status : WG_ERR_MEMORY);
        if (st == WG_OK) {
            int32_t ic[1] = {(int32_t)(B * n)};
            o[3] = eig_go1(ctx, &eig_cflag, 1, &w2[1], 1, ic, 0, NULL, 0, 1);
            o[0] = finish(ctx, w2[0], &s, 1, n, 0);
            o[1] = finish(ctx, w2[1], &s, 1, n, 0);
        }
        if (st == WG_OK && z) {
            wg_array *X = eig_go1(ctx, &eig_xinit, 1, &t, 1, in1, 0, NULL, 0, B * n * n);
            double tx[3] = {2 * eps, s.dt == WG_FLOAT64 ? 0x1p500 : 0x1p60,
                            (s.dt == WG_FLOAT64 ? 0x1p-1022 : 0x1p-126) * ((double)n / eps)};
            for (int64_t i0 = n - 1; i0 >= 0 && X; i0--) {
                int32_t ii[2] = {(int32_t)n, (int32_t)i0};
                wg_array *is[2] = {t, X}, *x3[3] = {NULL, NULL, NULL};
                if (eig_go(ctx, &eig_xsolve, 2, is, 2, ii, 3, tx, s.dt, B * n, x3) != WG_OK) {
                    swap_in(&X, NULL);
                    break;
                }
                wg_array *iu[5] = {t, X, x3[0], x3[1], x3[2]};
                wg_array *nx = eig_go1(ctx, &eig_xupd, 5, iu, 2, ii, 0, NULL, 0, B * n * n);
                for (int q = 0; q < 3; q++) wg_release(x3[q]);
                swap_in(&X, nx);
            }
            wg_array *ib[3] = {t, z, X};
            wg_array *V = X ? eig_go1(ctx, &eig_back, 3, ib, 1, in1, 0, NULL, 0, B * n * n) : NULL;
            wg_array *in[2] = {t, V};
            wg_array *Vn = V ? eig_go1(ctx, &eig_norm, 2, in, 1, in1, 0, NULL, 0, B * n * n)
                             : NULL;
            o[2] = finish(ctx, Vn, &s, 2, n, n);
            wg_release(V);
            wg_release(X);
            if (!o[2]) st = ctx->status ? ctx->status : WG_ERR_MEMORY;
        }
        wg_release(t);
        wg_release(z);
    }
    st = eig_done(ctx, st, o, Z ? -1 : 2);
    *wr = o[0];
    *wi = o[1];
    *vr = o[2];
    *cflag = o[3];
    return st;
}

/* ---- cuBLAS's batched LU and inverse over device pointers (docs/cupy.md) -------------------
 * cuBLAS sees column-major matrices: matrix i is M[r][c] at Aarray[i] + (r + c * lda) elements.
 * The matrices are gathered into a (B, n, n) work array in that orientation (M's rows as rows),
 * factored or inverted by the engine's own LU, and written back through the same views. */

/* info per matrix (cuBLAS's): the first zero (or NaN) pivot U(k, k), 1-based; 0 when none. */
K_(lu_info, "raw T lu, int32 n", "int32 f",
   "int r = 0;\n"
   "for (int k = n - 1; k >= 0; k--) {\n"
   "  T d = lu[i * n * n + k * n + k];\n"
   "  if (d == 0 || !(d == d)) r = k + 1;\n"
   "}\n"
   "f = r;\n");

/* M from its LU factors and cuBLAS's ipiv: M = P_0 P_1 ... P_{n-1} L U (P_k swaps rows k and
 * ipiv[k] - 1), so row r of M is row s of L U, s traced through the swaps. */
K_(lu_rebuild, "raw T lu, raw int32 piv, int32 n", "T o",
   "int nn = n * n;\n"
   "int b = i / nn;\n"
   "int rem = i - b * nn;\n"
   "int r = rem / n;\n"
   "int c = rem - r * n;\n"
   "int s = r;\n"
   "for (int k = 0; k < n; k++) {\n"
   "  int q = piv[b * n + k] - 1;\n"
   "  if (s == k) s = q; else if (s == q) s = k;\n"
   "}\n"
   "int base = b * nn;\n"
   "int top = s < c ? s : c;\n"
   "T acc = 0;\n"
   "for (int j = 0; j <= top; j++) {\n"
   "  T l = j == s ? (T)1 : lu[base + s * n + j];\n"
   "  acc += l * lu[base + j * n + c];\n"
   "}\n"
   "o = acc;\n");

/* A view of `count` elements from pointer p in the dtype of the array it names (an integer
 * array: pivots and info). */
static wg_array *int_view(wg_context *ctx, const char *who, uint64_t p, int64_t count) {
    int64_t off = 0;
    wg_buffer *b = wgA_ptr_lookup(ctx, p, &off);
    if (!b || !wgD_is_int(b->dtype)) {
        wgB_error(ctx, b ? WG_ERR_TYPE : WG_ERR_VALUE, b ? "%s: pointer 0x%llx names no integer "
                  "array" : "%s: pointer 0x%llx does not point into a live array", who,
                  (unsigned long long)p);
        return NULL;
    }
    int64_t st = wgD_size(b->dtype);
    return wg_ptr_view(ctx, p, b->dtype, 1, &count, &st);
}

/* The B column-major matrices the pointers name, as views (views[B], new references). */
static int mat_views(wg_context *ctx, const char *who, int dt, int64_t n, int64_t ld,
                     const uint64_t *ptrs, int64_t B, wg_array **views) {
    int64_t isz = wgD_size(dt), shape[2] = {n, n}, str[2] = {isz, ld * isz};
    for (int64_t i = 0; i < B; i++) {
        views[i] = wg_ptr_view(ctx, ptrs[i], dt, 2, shape, str);
        if (!views[i]) {
            char msg[sizeof ctx->message];
            snprintf(msg, sizeof msg, "%s", ctx->message);
            int st = ctx->status;
            wg_clear_error(ctx);
            return wgB_error(ctx, st, "%s: matrix %lld: %s", who, (long long)i, msg);
        }
    }
    return WG_OK;
}

/* views -> a (B, n, n) C-contiguous work array, and back. */
static wg_array *gather_mats(wg_context *ctx, int dt, int64_t n, int64_t B, wg_array **views) {
    int64_t shape[3] = {B, n, n};
    wg_array *w = wgA_new_contiguous(ctx, dt, 3, shape);
    for (int64_t i = 0; w && i < B; i++) {
        wg_layout l;
        wgL_contiguous(&l, 2, shape + 1, 'C');
        l.offset = i * n * n;
        wg_array *dst = wgA_new(ctx, dt, &l, w->buf, NULL);
        int st = dst ? wg_assign(ctx, dst, views[i]) : WG_ERR_MEMORY;
        wg_release(dst);
        if (st) {
            wg_release(w);
            return NULL;
        }
    }
    return w;
}

static int scatter_mats(wg_context *ctx, wg_array *w, int64_t n, int64_t B, wg_array **views) {
    for (int64_t i = 0; i < B; i++) {
        wg_layout l;
        int64_t shape[2] = {n, n};
        wgL_contiguous(&l, 2, shape, 'C');
        l.offset = w->lay.offset + i * n * n;
        wg_array *src = wgA_new(ctx, w->dtype, &l, w->buf, NULL);
        int st = src ? wg_assign(ctx, views[i], src) : WG_ERR_MEMORY;
        wg_release(src);
        if (st) return st;
    }
    return WG_OK;
}

static int check_batched(wg_context *ctx, const char *who, int dt, int n, int ld, int B) {
    if (dt != WG_FLOAT32 && dt != WG_FLOAT64)
        return wgB_error(ctx, WG_ERR_TYPE, "%s: float32 or float64 matrices only", who);
    if (n < 0 || B < 0 || ld < (n > 1 ? n : 1))
        return wgB_error(ctx, WG_ERR_VALUE, "%s: invalid value (n %d, ld %d, batch %d): "
                         "CUBLAS_STATUS_INVALID_VALUE", who, n, ld, B);
    if ((int64_t)B * n * (n + 1) > INT32_MAX / 2)
        return wgB_error(ctx, WG_ERR_VALUE, "%s: the batch is too large", who);
    return WG_OK;
}

static void release_all(wg_array **a, int64_t n) {
    for (int64_t i = 0; i < n; i++) wg_release(a[i]);
}

int wg_cublas_getrf_batched(wg_context *ctx, int dtype, int n, const uint64_t *ptrs, int lda,
                            uint64_t pivots, uint64_t info, int batch) {
    static const char who[] = "getrfBatched";
    wg_clear_error(ctx);
    int st = check_batched(ctx, who, dtype, n, lda, batch);
    if (!st && !pivots)
        st = wgB_error(ctx, WG_ERR_NOTIMPL, "%s: LU without pivoting (a null pivot array) is not "
                       "supported", who);
    if (st || batch == 0) return st;
    int64_t B = batch;
    wg_array **views = wgB_calloc(ctx, (size_t)B, sizeof *views);
    wg_array *w = NULL, *lu = NULL, *par = NULL, *ipiv = NULL, *inf = NULL, *pv = NULL, *iv = NULL;
    st = views ? WG_OK : WG_ERR_MEMORY;
    if (!st) st = mat_views(ctx, who, dtype, n, lda, ptrs, B, views);
    if (!st && n > 0) {
        w = gather_mats(ctx, dtype, n, B, views);
        st = w ? lu_factor_piv(ctx, w, B, n, n, &lu, &par, &ipiv) : ctx->status;
        if (!st) st = scatter_mats(ctx, lu, n, B, views);
        if (!st) {
            pv = int_view(ctx, who, pivots, B * n);
            st = pv ? wg_assign(ctx, pv, ipiv) : ctx->status;
        }
    }
    if (!st && info) {
        int32_t nn = n;
        iv = int_view(ctx, who, info, B);
        if (iv && n > 0) {
            inf = go1(ctx, &lu_info, 1, &lu, 1, &nn, B);
            st = inf ? wg_assign(ctx, iv, inf) : ctx->status;
        } else if (iv) {
            wg_array *z = izeros(ctx, B);
            st = z ? wg_assign(ctx, iv, z) : ctx->status;
            wg_release(z);
        } else {
            st = ctx->status;
        }
    }
    if (views) release_all(views, B);
    wg_array *tmp[7] = {w, lu, par, ipiv, inf, pv, iv};
    release_all(tmp, 7);
    wgB_free(views);
    return st;
}

int wg_cublas_getri_batched(wg_context *ctx, int dtype, int n, const uint64_t *a_ptrs, int lda,
                            uint64_t pivots, const uint64_t *c_ptrs, int ldc, uint64_t info,
                            int batch) {
    static const char who[] = "getriBatched";
    wg_clear_error(ctx);
    int st = check_batched(ctx, who, dtype, n, lda, batch);
    if (!st) st = check_batched(ctx, who, dtype, n, ldc, batch);
    if (st || batch == 0) return st;
    int64_t B = batch;
    wg_array **views = wgB_calloc(ctx, (size_t)B * 2, sizeof *views);
    wg_array *w = NULL, *pv = NULL, *piv = NULL, *m = NULL, *x = NULL, *flag = NULL, *inf = NULL,
             *iv = NULL;
    st = views ? WG_OK : WG_ERR_MEMORY;
    if (!st) st = mat_views(ctx, who, dtype, n, lda, a_ptrs, B, views);
    if (!st) st = mat_views(ctx, who, dtype, n, ldc, c_ptrs, B, views + B);
    if (!st && n > 0) {
        w = gather_mats(ctx, dtype, n, B, views);
        pv = w ? int_view(ctx, who, pivots, B * n) : NULL;
        piv = pv ? wg_astype(ctx, pv, WG_INT32, WG_CAST_UNSAFE, 0) : NULL;
        int32_t nn = n;
        wg_array *ins[2] = {w, piv};
        m = piv ? go1(ctx, &lu_rebuild, 2, ins, 1, &nn, B * n * n) : NULL;
        stack s = {.nb = 0, .B = B, .m = n, .n = n, .dt = dtype};
        st = m ? solve_impl(ctx, m, NULL, &s, n, &x, &flag) : ctx->status;
        if (!st) st = scatter_mats(ctx, x, n, B, views + B);
        if (!st && info) {
            iv = int_view(ctx, who, info, B);
            inf = iv ? go1(ctx, &lu_info, 1, &w, 1, &nn, B) : NULL;
            st = inf ? wg_assign(ctx, iv, inf) : ctx->status;
        }
    } else if (!st && info) {
        iv = int_view(ctx, who, info, B);
        wg_array *z = iv ? izeros(ctx, B) : NULL;
        st = z ? wg_assign(ctx, iv, z) : ctx->status;
        wg_release(z);
    }
    if (views) release_all(views, 2 * B);
    wg_array *tmp[8] = {w, pv, piv, m, x, flag, inf, iv};
    release_all(tmp, 8);
    wgB_free(views);
    return st;
}
