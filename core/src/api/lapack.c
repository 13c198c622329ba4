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
#include "libk.h"

#include <math.h>
#include <string.h>

/* ---- the kernels ------------------------------------------------------------------------ */

#define K_(nm, ins, outs, body) \
    static const wgP_libk nm = {.name = "wg_" #nm, .in_params = ins, .out_params = outs, \
                                .operation = body, .preamble = "", .loop_prep = ""}

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
 * pivot <= 0 with -1; a NaN pivot gives NaN results, as NumPy's). */
K_(diag_flag, "raw T a, int32 nb, int32 n, int32 w, int32 mode", "int32 f",
   "int bad = 0;\n"
   "for (int b = 0; b < nb; b++) {\n"
   "  for (int k = 0; k < n; k++) {\n"
   "    T d = a[b * n * w + k * w + k];\n"
   "    if (mode == 0) { if (d == 0 || !(d == d)) bad = 1; }\n"
   "    else { if (d < 0) bad = 1; }\n"
   "  }\n"
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
   "int nn = n * n;\n"
   "int b = i / nn;\n"
   "int rem = i - b * nn;\n"
   "int r = rem / n;\n"
   "int c = rem - r * n;\n"
   "int base = b * nn;\n"
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

#define KP_(nm, ins, outs, body) \
    static const wgP_libk nm = {.name = "wg_" #nm, .in_params = ins, .out_params = outs, \
                                .operation = body, .preamble = JAC_PRE, .loop_prep = ""}

/* eigh: the symmetric matrix from one triangle (lower 1: 'L'). */
K_(sym_fill, "raw T a, int32 n, int32 lower", "T o",
   "int nn = n * n;\n"
   "int b = i / nn;\n"
   "int rem = i - b * nn;\n"
   "int r = rem / n;\n"
   "int c = rem - r * n;\n"
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
    "int nn = n * n;\n"
    "int b = i / nn;\n"
    "int rem = i - b * nn;\n"
    "int r = rem / n;\n"
    "int c = rem - r * n;\n"
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

/* One output; args with int32 parameters given as plain ints after the arrays. */
static wg_array *go1(wg_context *ctx, const wgP_libk *k, int narr, wg_array **arrs, int nint,
                     const int32_t *ints, int64_t size) {
    wg_array *args[WG_KMAX_IO];
    int n = 0;
    for (int i = 0; i < narr; i++) args[n++] = arrs[i];
    int ok = 1;
    for (int i = 0; i < nint; i++) {
        args[n] = wgP_i32(ctx, ints[i]);
        if (!args[n]) ok = 0;
        n++;
    }
    wg_array *out[4] = {NULL, NULL, NULL, NULL};
    int st = ok ? go(ctx, k, n, args, size, out) : WG_ERR_MEMORY;
    for (int i = narr; i < n; i++) wg_release(args[i]);
    if (st != WG_OK) return NULL;
    return out[0];
}

/* As go1 with several outputs (outs[nout]); returns a status. */
static int gon(wg_context *ctx, const wgP_libk *k, int narr, wg_array **arrs, int nint,
               const int32_t *ints, wg_array *extra, int64_t size, wg_array **outs) {
    wg_array *args[WG_KMAX_IO];
    int n = 0;
    for (int i = 0; i < narr; i++) args[n++] = arrs[i];
    int ok = 1;
    for (int i = 0; i < nint; i++) {
        args[n] = wgP_i32(ctx, ints[i]);
        if (!args[n]) ok = 0;
        n++;
    }
    if (extra) args[n++] = extra;
    int st = ok ? go(ctx, k, n, args, size, outs) : WG_ERR_MEMORY;
    for (int i = narr; i < narr + nint; i++) wg_release(args[i]);
    return st;
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

static wg_array *tscalar(wg_context *ctx, int dt, double v) {
    return wg_scalar(ctx, dt, WG_WEAK_NONE, 0, 0, v);
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
static int lu_factor(wg_context *ctx, wg_array *m0, int64_t B, int64_t n, int64_t w,
                     wg_array **lu, wg_array **par) {
    wg_array *a = m0;
    wg_retain(a);
    wg_array *pr = NULL;
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
        wg_array *ins2[2] = {a, outs[0]};
        wg_array *na = go1(ctx, &lu_step, 2, ins2, 3, ints, B * n * w);
        wg_release(outs[0]);
        if (!na) {
            wg_release(a);
            wg_release(pr);
            return ctx->status;
        }
        swap_in(&a, na);
    }
    if (!pr) {
        pr = izeros(ctx, B);
        if (!pr) {
            wg_release(a);
            return ctx->status;
        }
    }
    *lu = a;
    *par = pr;
    return WG_OK;
}

/* [A | b] per matrix ((n, n + m)); ident 1: b is the identity (inv). */
K_(aug, "raw T a, raw T bm, int32 n, int32 m, int32 ident", "T o",
   "int w = n + m;\n"
   "int nw = n * w;\n"
   "int b = i / nw;\n"
   "int rem = i - b * nw;\n"
   "int r = rem / w;\n"
   "int c = rem - r * w;\n"
   "T v;\n"
   "if (c < n) v = a[b * n * n + r * n + c];\n"
   "else if (ident != 0) v = c - n == r ? (T)1 : (T)0;\n"
   "else v = bm[b * n * m + r * m + c - n];\n"
   "o = v;\n");

/* x (flat (B, n, m)) = A^-1 b, or A^-1 when Bm is NULL; *flag (1 int32): a zero pivot. */
static int solve_impl(wg_context *ctx, wg_array *A, wg_array *Bm, const stack *s, int64_t m,
                      wg_array **x, wg_array **flag) {
    int64_t B = s->B, n = s->n, w = n + m;
    *x = *flag = NULL;
    if (B * n == 0) { /* nothing to solve (and no 0-byte raw input to launch over) */
        int64_t zero = 0;
        *x = wg_empty(ctx, s->dt, 1, &zero);
        *flag = *x ? izeros(ctx, 1) : NULL;
        return *flag ? WG_OK : ctx->status;
    }
    wg_array *ins[2] = {A, Bm && m > 0 ? Bm : A}; /* a 0-byte raw input is refused */
    int32_t ia[3] = {(int32_t)n, (int32_t)m, Bm ? 0 : 1};
    wg_array *aug_m = go1(ctx, &aug, 2, ins, 3, ia, B * n * w);
    if (!aug_m) return ctx->status;
    wg_array *lu = NULL, *par = NULL;
    int st = lu_factor(ctx, aug_m, B, n, w, &lu, &par);
    wg_release(aug_m);
    if (st != WG_OK) return st;
    wg_release(par);
    wg_array *y = lu;
    wg_retain(y);
    int32_t yw = (int32_t)w, yoff = (int32_t)n;
    for (int64_t k = n - 1; k >= 0; k--) {
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
    wg_array *f = go1(ctx, &diag_flag, 1, &lu, 4, ic, 1);
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

static int done(wg_context *ctx, int st, int n, wg_array **outs) {
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
    st = done(ctx, st, 2, o);
    *x = o[0];
    *flag = o[1];
    return st;
}

int wg_linalg_inv(wg_context *ctx, wg_array *a, wg_array **x, wg_array **flag) {
    *x = *flag = NULL;
    stack s;
    int st = prep(ctx, a, "inv", 1, &s);
    if (st != WG_OK) return st;
    wg_array *A = as_work(ctx, a, &s), *r = NULL;
    st = A ? solve_impl(ctx, A, NULL, &s, s.n, &r, flag) : ctx->status;
    wg_release(A);
    wg_array *o[2] = {st == WG_OK ? finish(ctx, r, &s, 2, s.n, s.n) : NULL, *flag};
    st = done(ctx, st, 2, o);
    *x = o[0];
    *flag = o[1];
    return st;
}

int wg_linalg_det(wg_context *ctx, wg_array *a, int logdet, wg_array **sign, wg_array **val) {
    *val = NULL;
    if (sign) *sign = NULL;
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
            return done(ctx, WG_OK, 1, val);
        }
        st = done(ctx, WG_OK, 2, r);
        *sign = r[0];
        *val = r[1];
        return st;
    }
    wg_array *A = as_work(ctx, a, &s), *lu = NULL, *par = NULL;
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
        st = done(ctx, WG_OK, 2, r);
        if (st != WG_OK) *sign = *val = NULL;
        return st;
    }
    wg_release(r[1]);
    *val = r[0];
    return done(ctx, WG_OK, 1, val);
}

int wg_linalg_cholesky(wg_context *ctx, wg_array *a, int upper, wg_array **l,
                       wg_array **flag) {
    *l = *flag = NULL;
    stack s;
    int st = prep(ctx, a, "cholesky", 1, &s);
    if (st != WG_OK) return st;
    int64_t B = s.B, n = s.n;
    wg_array *A = as_work(ctx, a, &s);
    if (!A) return ctx->status;
    for (int64_t k = 0; k < n && A; k++) {
        int32_t ints[2] = {(int32_t)n, (int32_t)k};
        swap_in(&A, go1(ctx, &chol_step, 1, &A, 2, ints, B * n * n));
    }
    if (!A) return ctx->status;
    int32_t ic[4] = {(int32_t)B, (int32_t)n, (int32_t)n, 1};
    wg_array *f = B * n != 0 ? go1(ctx, &diag_flag, 1, &A, 4, ic, 1) : izeros(ctx, 1);
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
    st = done(ctx, WG_OK, 2, o);
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
        st = done(ctx, WG_OK, 2, outs);
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
    st = done(ctx, st, compute_v ? 2 : 1, o);
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
        st = done(ctx, st, 2, o);
        *S2 = o[0];
        *flag = o[1];
        return st;
    }
    st = done(ctx, st, 3, o);
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
    st = done(ctx, st, V ? 2 : 1, o);
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
        return done(ctx, st, 1, G);
    }
    wg_array *A = as_work(ctx, a, &s);
    wg_array *X = A && wide ? wg_swapaxes(ctx, A, -1, -2) : A;
    if (X && X != A) wg_release(A);
    int32_t ig[3] = {(int32_t)mt, (int32_t)R, (int32_t)nt};
    *G = finish(ctx, X ? go1(ctx, &svd_init, 1, &X, 3, ig, B * R * nt) : NULL, &s, 2, R, nt);
    wg_release(X);
    return done(ctx, WG_OK, 1, G);
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
    st = done(ctx, st, 2, o);
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
        st = done(ctx, st, compute_uv ? 3 : 1, o);
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
    st = done(ctx, WG_OK, compute_uv ? 3 : 1, o);
    *sv = o[0];
    *u = o[1];
    *vh = o[2];
    return st;
}
