/* numpy.linalg of complex matrices (docs/linalg.md "Complex matrices"): the complex paths of
 * the public wg_linalg_* functions (api/lapack.c calls these when an input is complex).
 *
 * The real embedding: a complex m x n matrix A = B + iC is the real 2m x 2n matrix emb(A) whose
 * 2 x 2 block (j, k) is [[b, -c], [c, b]] (rows and columns interleaved: real, imaginary).  emb
 * is a ring homomorphism (emb(AB) = emb(A) emb(B), emb(A^H) = emb(A)^T, a complex vector is
 * the real vector of its interleaved parts), so the real decompositions of emb(A) are A's:
 * solve and inv exactly; the Cholesky factor of emb(H) is emb(L) (uniqueness with a positive
 * diagonal).  det and slogdet cannot use it (det emb(A) = |det A|^2 loses the phase): they run
 * a complex LU with partial pivoting, one pivot search and one gather step per column, on the
 * float pairs of the complex matrices.
 *
 * Every step is a library kernel in gather form over the float-pair storage of the complex
 * arrays (api/complex.c: a complex64 buffer is float32 pairs), so one source runs on cpu,
 * webgpu and webgl2.  Flags and errors are the real path's: the caller reads the flags. */
#include "lapack_complex.h"

#include "libk.h"

#include <math.h>
#include <string.h>

#define K_(nm, ins, outs, body) \
    static const wgP_libk nm = {.name = "wg_" #nm, .in_params = ins, .out_params = outs, \
                                .operation = body, .preamble = "", .loop_prep = ""}

/* ---- the kernels ------------------------------------------------------------------------ */

/* emb: the float pairs of B complex (m, n) matrices (flat (B, m, n, 2)) -> B real (2m, 2n)
 * matrices.  mode 0: A itself; 1 (2): the Hermitian matrix of A's lower (upper) triangle, the
 * diagonal's imaginary part ignored (what LAPACK's zpotrf/zheevd read). */
K_(cemb, "raw T a, int32 m, int32 n, int32 mode", "T o",
   "int w = 2 * n;\n"
   "int mm = 2 * m * w;\n"
   "int b = i / mm;\n"
   "int rem = i - b * mm;\n"
   "int R = rem / w;\n"
   "int C = rem - R * w;\n"
   "int j = R / 2;\n"
   "int p = R - 2 * j;\n"
   "int k = C / 2;\n"
   "int q = C - 2 * k;\n"
   "int sj = j;\n"
   "int sk = k;\n"
   "T cj = 1;\n"
   "if ((mode == 1 && j < k) || (mode == 2 && j > k)) { sj = k; sk = j; cj = -1; }\n"
   "int e = ((b * m + sj) * n + sk) * 2;\n"
   "T re = a[e];\n"
   "T im = (mode != 0 && j == k) ? (T)0 : cj * a[e + 1];\n"
   "o = p == q ? re : (p == 0 ? -im : im);\n");

/* emb of right-hand sides: flat pairs (B, m, k, 2) -> B real (2m, k): each row as its real and
 * imaginary rows. */
K_(cemb_rows, "raw T a, int32 m, int32 k", "T o",
   "int mk = 2 * m * k;\n"
   "int b = i / mk;\n"
   "int rem = i - b * mk;\n"
   "int R = rem / k;\n"
   "int c = rem - R * k;\n"
   "int j = R / 2;\n"
   "int p = R - 2 * j;\n"
   "o = a[((b * m + j) * k + c) * 2 + p];\n");

/* The inverse: B real matrices x (R, W) -> flat pairs (B, m, n, 2) of complex (m, n) matrices.
 * mode 0: element (j, k) is rows 2j, 2j + 1 of column 2k (the first column of each 2 x 2
 * block); 1: rows 2j, 2j + 1 of column k (interleaved rows); 2: the conjugate transpose of
 * mode 0's (element (j, k) from block (k, j)); 3: the first row of each block (x[2j, 2k] and
 * -x[2j, 2k + 1]). */
K_(cunemb, "raw T x, int32 m, int32 n, int32 R, int32 W, int32 mode", "T o",
   "int mn = m * n * 2;\n"
   "int b = i / mn;\n"
   "int rem = i - b * mn;\n"
   "int j = rem / (2 * n);\n"
   "int r2 = rem - j * 2 * n;\n"
   "int k = r2 / 2;\n"
   "int part = r2 - 2 * k;\n"
   "int sj = mode == 2 ? k : j;\n"
   "int sk = mode == 2 ? j : k;\n"
   "int row = mode == 3 ? 2 * sj : 2 * sj + part;\n"
   "int col = mode == 1 ? sk : (mode == 3 ? 2 * sk + part : 2 * sk);\n"
   "T v = x[b * R * W + row * W + col];\n"
   "o = ((mode == 2 || mode == 3) && part == 1) ? (T)0 - v : v;\n");

/* Values that come in equal pairs (the eigenvalues and singular values of emb(A)): the mean of
 * each pair, (k) from (2k) per row. */
K_(cpair_mean, "raw T x", "T o",
   "o = (x[2 * i] + x[2 * i + 1]) * (T)0.5;\n");

/* Complex LU, step k, pivot search (the largest |a_rk|, first on ties): one point per
 * matrix of the pairs (B, n, n, 2); par accumulates the permutation's parity. */
K_(clu_pivot, "raw T a, raw int32 par0, int32 n, int32 k", "int32 p, int32 par",
   "int base = i * n * n * 2;\n"
   "int best = k;\n"
   "int e = base + (k * n + k) * 2;\n"
   "T bv = hypot(a[e], a[e + 1]);\n"
   "for (int r = k + 1; r < n; r++) {\n"
   "  int f = base + (r * n + k) * 2;\n"
   "  T v = hypot(a[f], a[f + 1]);\n"
   "  if (v > bv) { bv = v; best = r; }\n"
   "}\n"
   "int q = k == 0 ? 0 : par0[i];\n"
   "p = best;\n"
   "par = best != k ? 1 - q : q;\n");

/* Complex LU, step k: rows k and p swapped, multipliers (NumPy's complex division: Smith's)
 * below the diagonal, the trailing matrix updated; a zero pivot leaves the column as it is.
 * One point per float of the pairs (B, n, n, 2). */
K_(clu_step, "raw T a, raw int32 piv, int32 n, int32 k", "T o",
   "int nn2 = n * n * 2;\n"
   "int b = i / nn2;\n"
   "int rem = i - b * nn2;\n"
   "int r = rem / (2 * n);\n"
   "int r2 = rem - r * 2 * n;\n"
   "int c = r2 / 2;\n"
   "int part = r2 - 2 * c;\n"
   "int p = piv[b];\n"
   "int base = b * nn2;\n"
   "int src = r == k ? p : (r == p ? k : r);\n"
   "T vr = a[base + (src * n + c) * 2];\n"
   "T vi = a[base + (src * n + c) * 2 + 1];\n"
   "if (r > k && c >= k) {\n"
   "  T pr = a[base + (p * n + k) * 2];\n"
   "  T pim = a[base + (p * n + k) * 2 + 1];\n"
   "  if (pr != 0 || pim != 0) {\n"
   "    T xr = a[base + (src * n + k) * 2];\n"
   "    T xi = a[base + (src * n + k) * 2 + 1];\n"
   "    T lr;\n"
   "    T li;\n"
   "    if (fabs(pr) >= fabs(pim)) {\n"
   "      T rat = pim / pr;\n"
   "      T scl = (T)1 / (pr + pim * rat);\n"
   "      lr = (xr + xi * rat) * scl;\n"
   "      li = (xi - xr * rat) * scl;\n"
   "    } else {\n"
   "      T rat = pr / pim;\n"
   "      T scl = (T)1 / (pim + pr * rat);\n"
   "      lr = (xr * rat + xi) * scl;\n"
   "      li = (xi * rat - xr) * scl;\n"
   "    }\n"
   "    if (c == k) { vr = lr; vi = li; }\n"
   "    else {\n"
   "      T ur = a[base + (p * n + c) * 2];\n"
   "      T ui = a[base + (p * n + c) * 2 + 1];\n"
   "      vr = vr - (lr * ur - li * ui);\n"
   "      vi = vi - (lr * ui + li * ur);\n"
   "    }\n"
   "  }\n"
   "}\n"
   "o = part == 0 ? vr : vi;\n");

/* det (logm 0: sr + i si = det) and slogdet (logm 1: sr + i si = sign, l = log|det|) from the
 * complex LU's diagonal and the permutation's parity; a zero pivot gives sign 0 and -inf. */
K_(clu_det, "raw T lu, raw int32 par, int32 n, int32 logm", "T sr, T si, T l",
   "int base = i * n * n * 2;\n"
   "T ar = par[i] != 0 ? -1 : 1;\n"
   "T ai = 0;\n"
   "T acc = 0;\n"
   "for (int k = 0; k < n; k++) {\n"
   "  T dr = lu[base + (k * n + k) * 2];\n"
   "  T di = lu[base + (k * n + k) * 2 + 1];\n"
   "  if (logm != 0) {\n"
   "    T m = hypot(dr, di);\n"
   "    if (m == 0) { dr = 0; di = 0; }\n"
   "    else { T s = (T)1 / m; dr = dr * s; di = di * s; }\n"
   "    acc += log(m);\n"
   "  }\n"
   "  T tr = ar * dr - ai * di;\n"
   "  ai = ar * di + ai * dr;\n"
   "  ar = tr;\n"
   "}\n"
   "sr = ar;\n"
   "si = ai;\n"
   "l = acc;\n");

/* ---- complex Householder QR: LAPACK's zgeqr2 / zung2r ------------------------------------ */

/* Step k's reflector (zlarfg): H = I - tau v v^H with v_k = 1, v_r = a_rk scl below,
 * beta = -sign(Re alpha) |(alpha, x)|, tau = (beta - alpha) / beta, scl = 1 / (alpha - beta);
 * H = I (tau 0, scl 1, beta = Re alpha) when x = 0 and Im alpha = 0.  st (flat (B, K, 6)):
 * tau_re, tau_im, scl_re, scl_im, beta, (unused) per column; columns != k carried over.  One
 * point per slot (the slots of column k each compute the reflector). */
K_(cqr_house, "raw T a, raw T st0, int32 m, int32 n, int32 K, int32 k", "T st",
   "int b = i / (K * 6);\n"
   "int rem = i - b * K * 6;\n"
   "int j = rem / 6;\n"
   "int slot = rem - j * 6;\n"
   "T v = k == 0 ? (T)0 : st0[i];\n"
   "if (j == k) {\n"
   "  int base = b * m * n * 2;\n"
   "  T ar = a[base + (k * n + k) * 2];\n"
   "  T ai = a[base + (k * n + k) * 2 + 1];\n"
   "  T sig = 0;\n"
   "  for (int r = k + 1; r < m; r++) {\n"
   "    T xr = a[base + (r * n + k) * 2];\n"
   "    T xi = a[base + (r * n + k) * 2 + 1];\n"
   "    sig += xr * xr + xi * xi;\n"
   "  }\n"
   "  T tr = 0;\n"
   "  T ti = 0;\n"
   "  T sr = 1;\n"
   "  T si = 0;\n"
   "  T be = ar;\n"
   "  if (sig != 0 || ai != 0) {\n"
   "    T nrm = sqrt(ar * ar + ai * ai + sig);\n"
   "    be = ar >= 0 ? -nrm : nrm;\n"
   "    tr = (be - ar) / be;\n"
   "    ti = (T)0 - ai / be;\n"
   "    T dr = ar - be;\n"
   "    T di = ai;\n"
   "    if (fabs(dr) >= fabs(di)) {\n"
   "      T rat = di / dr;\n"
   "      T scl = (T)1 / (dr + di * rat);\n"
   "      sr = scl;\n"
   "      si = (T)0 - rat * scl;\n"
   "    } else {\n"
   "      T rat = dr / di;\n"
   "      T scl = (T)1 / (di + dr * rat);\n"
   "      sr = rat * scl;\n"
   "      si = (T)0 - scl;\n"
   "    }\n"
   "  }\n"
   "  v = slot == 0 ? tr : (slot == 1 ? ti : (slot == 2 ? sr : (slot == 3 ? si : be)));\n"
   "}\n"
   "st = v;\n");

/* w_c = v^H a[:, c] for the columns c > k (pairs (B, n, 2)). */
K_(cqr_w, "raw T a, raw T st, int32 m, int32 n, int32 K, int32 k", "T w",
   "int b = i / (n * 2);\n"
   "int rem = i - b * n * 2;\n"
   "int c = rem / 2;\n"
   "int part = rem - c * 2;\n"
   "int base = b * m * n * 2;\n"
   "T accr = 0;\n"
   "T acci = 0;\n"
   "if (c > k) {\n"
   "  T pr = 0;\n"
   "  T pim = 0;\n"
   "  for (int r = k + 1; r < m; r++) {\n"
   "    T xr = a[base + (r * n + k) * 2];\n"
   "    T xi = a[base + (r * n + k) * 2 + 1];\n"
   "    T yr = a[base + (r * n + c) * 2];\n"
   "    T yi = a[base + (r * n + c) * 2 + 1];\n"
   "    pr += xr * yr + xi * yi;\n"
   "    pim += xr * yi - xi * yr;\n"
   "  }\n"
   "  T sr = st[(b * K + k) * 6 + 2];\n"
   "  T si = (T)0 - st[(b * K + k) * 6 + 3];\n"
   "  accr = a[base + (k * n + c) * 2] + (sr * pr - si * pim);\n"
   "  acci = a[base + (k * n + c) * 2 + 1] + (sr * pim + si * pr);\n"
   "}\n"
   "w = part == 0 ? accr : acci;\n");

/* a <- H^H a for the columns c > k; column k becomes (beta, v below the diagonal). */
K_(cqr_upd, "raw T a, raw T w, raw T st, int32 m, int32 n, int32 K, int32 k", "T o",
   "int mn2 = m * n * 2;\n"
   "int b = i / mn2;\n"
   "int rem = i - b * mn2;\n"
   "int r = rem / (n * 2);\n"
   "int r2 = rem - r * n * 2;\n"
   "int c = r2 / 2;\n"
   "int part = r2 - c * 2;\n"
   "int base = b * mn2;\n"
   "int sb = (b * K + k) * 6;\n"
   "T vr = a[i];\n"
   "T vi = 0;\n"
   "if (c == k && r == k) { vr = part == 0 ? st[sb + 4] : (T)0; }\n"
   "else if ((c >= k && r > k) || (c > k && r == k)) {\n"
   "  T xr = 1;\n"
   "  T xi = 0;\n"
   "  if (r > k) {\n"
   "    T ur = a[base + (r * n + k) * 2];\n"
   "    T ui = a[base + (r * n + k) * 2 + 1];\n"
   "    xr = ur * st[sb + 2] - ui * st[sb + 3];\n"
   "    xi = ur * st[sb + 3] + ui * st[sb + 2];\n"
   "  }\n"
   "  if (c == k) { vr = part == 0 ? xr : xi; }\n"
   "  else {\n"
   "    T tr = st[sb];\n"
   "    T ti = (T)0 - st[sb + 1];\n"
   "    T wr = w[(b * n + c) * 2];\n"
   "    T wi = w[(b * n + c) * 2 + 1];\n"
   "    T pr = tr * xr - ti * xi;\n"
   "    T pim = tr * xi + ti * xr;\n"
   "    T qr = pr * wr - pim * wi;\n"
   "    T qi = pr * wi + pim * wr;\n"
   "    T ar = a[base + (r * n + c) * 2];\n"
   "    T ai = a[base + (r * n + c) * 2 + 1];\n"
   "    vr = part == 0 ? ar - qr : ai - qi;\n"
   "  }\n"
   "}\n"
   "o = vr;\n");

/* Q formation (zung2r, backward), step k: w_c = tau_k v^H Q[:, c] ... */
K_(cqr_qw, "raw T h, raw T Q, raw T st, int32 m, int32 n, int32 q, int32 K, int32 k", "T w",
   "int b = i / (q * 2);\n"
   "int rem = i - b * q * 2;\n"
   "int c = rem / 2;\n"
   "int part = rem - c * 2;\n"
   "int hb = b * m * n * 2;\n"
   "int qb = b * m * q * 2;\n"
   "T sr = Q[qb + (k * q + c) * 2];\n"
   "T si = Q[qb + (k * q + c) * 2 + 1];\n"
   "for (int r = k + 1; r < m; r++) {\n"
   "  T xr = h[hb + (r * n + k) * 2];\n"
   "  T xi = h[hb + (r * n + k) * 2 + 1];\n"
   "  T yr = Q[qb + (r * q + c) * 2];\n"
   "  T yi = Q[qb + (r * q + c) * 2 + 1];\n"
   "  sr += xr * yr + xi * yi;\n"
   "  si += xr * yi - xi * yr;\n"
   "}\n"
   "T tr = st[(b * K + k) * 6];\n"
   "T ti = st[(b * K + k) * 6 + 1];\n"
   "w = part == 0 ? tr * sr - ti * si : tr * si + ti * sr;\n");

/* ... and Q <- Q - v w^T. */
K_(cqr_qupd, "raw T h, raw T Q, raw T w, int32 m, int32 n, int32 q, int32 k", "T o",
   "int mq2 = m * q * 2;\n"
   "int b = i / mq2;\n"
   "int rem = i - b * mq2;\n"
   "int r = rem / (q * 2);\n"
   "int r2 = rem - r * q * 2;\n"
   "int c = r2 / 2;\n"
   "int part = r2 - c * 2;\n"
   "T v = Q[i];\n"
   "if (r >= k) {\n"
   "  T xr = 1;\n"
   "  T xi = 0;\n"
   "  if (r > k) { xr = h[b * m * n * 2 + (r * n + k) * 2]; xi = h[b * m * n * 2 + (r * n + k) * 2 + 1]; }\n"
   "  T wr = w[(b * q + c) * 2];\n"
   "  T wi = w[(b * q + c) * 2 + 1];\n"
   "  v = v - (part == 0 ? xr * wr - xi * wi : xr * wi + xi * wr);\n"
   "}\n"
   "o = v;\n");

/* R: the upper triangle of the first `rows` rows of each (m, n) pairs matrix (zeros below). */
K_(ctri, "raw T h, int32 m, int32 rows, int32 n", "T o",
   "int rn2 = rows * n * 2;\n"
   "int b = i / rn2;\n"
   "int rem = i - b * rn2;\n"
   "int r = rem / (n * 2);\n"
   "int c = (rem - r * n * 2) / 2;\n"
   "int e = b * m * n * 2 + rem;\n"
   "o = c >= r && r < m ? h[e] : (T)0;\n");

/* tau's pairs (B, K, 2) from the reflector state (B, K, 6). */
K_(ctau, "raw T st", "T o",
   "int j = i / 2;\n"
   "o = st[j * 6 + i - j * 2];\n");

/* eig's complex eigenvectors from LAPACK dgeev's real ones: for a pair (wi_c > 0, wi_c+1 < 0)
 * v_c = vr_c + i vr_c+1 and v_c+1 its conjugate; real vectors with a zero imaginary part.
 * vr: flat (B, n, n); wi: flat (B, n); o: pairs (B, n, n, 2). */
K_(ceig_vec, "raw T vr, raw T wi, int32 n", "T o",
   "int nn2 = n * n * 2;\n"
   "int b = i / nn2;\n"
   "int rem = i - b * nn2;\n"
   "int r = rem / (n * 2);\n"
   "int r2 = rem - r * n * 2;\n"
   "int c = r2 / 2;\n"
   "int part = r2 - c * 2;\n"
   "int base = b * n * n + r * n;\n"
   "T w = wi[b * n + c];\n"
   "T v = 0;\n"
   "if (part == 0) v = w < 0 ? vr[base + c - 1] : vr[base + c];\n"
   "else if (w > 0) v = vr[base + c + 1];\n"
   "else if (w < 0) v = (T)0 - vr[base + c];\n"
   "o = v;\n");

/* ---- eigh's vectors ------------------------------------------------------------------- */

/* 1 when some column of the (n, n) complex matrices v (pairs) is not orthonormal to tol:
 * per column c, max_r |(V^H V)_rc - delta_rc| > tol (one point per column of the stack). */
K_(cunit_col, "raw T v, int32 n, T tol", "int32 f",
   "int b = i / n;\n"
   "int c = i - b * n;\n"
   "int base = b * n * n * 2;\n"
   "int bad = 0;\n"
   "for (int r = 0; r < n; r++) {\n"
   "  T gr = 0;\n"
   "  T gi = 0;\n"
   "  for (int k = 0; k < n; k++) {\n"
   "    T xr = v[base + (k * n + r) * 2];\n"
   "    T xi = v[base + (k * n + r) * 2 + 1];\n"
   "    T yr = v[base + (k * n + c) * 2];\n"
   "    T yi = v[base + (k * n + c) * 2 + 1];\n"
   "    gr += xr * yr + xi * yi;\n"
   "    gi += xr * yi - xi * yr;\n"
   "  }\n"
   "  if (r == c) gr = gr - (T)1;\n"
   "  if (!(hypot(gr, gi) <= tol)) bad = 1;\n"
   "}\n"
   "f = bad;\n");

/* any of the int32 flags (one point) */
K_(cany, "raw int32 f, int32 cnt", "int32 o",
   "int bad = 0;\n"
   "for (int k = 0; k < cnt; k++) if (f[k] != 0) bad = 1;\n"
   "o = bad;\n");

/* Pivoted Gram-Schmidt over the c candidate columns R (pairs (B, n, c, 2)), step t: the
 * candidate with the largest residual (first on ties) is picked; D (B, n) records its
 * eigenvalue lam (B, c) in column t.  One point per element of D (each finds the pick). */
K_(cgs_pick, "raw T R, raw T lam, raw T D0, int32 n, int32 c, int32 t", "T D, int32 p",
   "int b = i / n;\n"
   "int col = i - b * n;\n"
   "int base = b * n * c * 2;\n"
   "int best = 0;\n"
   "T bv = -1;\n"
   "for (int j = 0; j < c; j++) {\n"
   "  T s = 0;\n"
   "  for (int r = 0; r < n; r++) {\n"
   "    T xr = R[base + (r * c + j) * 2];\n"
   "    T xi = R[base + (r * c + j) * 2 + 1];\n"
   "    s += xr * xr + xi * xi;\n"
   "  }\n"
   "  if (s > bv) { bv = s; best = j; }\n"
   "}\n"
   "p = best;\n"
   "D = col == t ? lam[b * c + best] : (t == 0 ? (T)0 : D0[i]);\n");

/* ... Q's column t: the picked residual normalized (pairs (B, n, n, 2)) ... */
K_(cgs_q, "raw T R, raw T Q0, raw int32 p, int32 n, int32 c, int32 t", "T o",
   "int nn2 = n * n * 2;\n"
   "int b = i / nn2;\n"
   "int rem = i - b * nn2;\n"
   "int r = rem / (n * 2);\n"
   "int r2 = rem - r * n * 2;\n"
   "int col = r2 / 2;\n"
   "int part = r2 - col * 2;\n"
   "T v = t == 0 ? (T)0 : Q0[i];\n"
   "if (col == t) {\n"
   "  int base = b * n * c * 2;\n"
   "  int j = p[b * n];\n"
   "  T s = 0;\n"
   "  for (int k = 0; k < n; k++) {\n"
   "    T xr = R[base + (k * c + j) * 2];\n"
   "    T xi = R[base + (k * c + j) * 2 + 1];\n"
   "    s += xr * xr + xi * xi;\n"
   "  }\n"
   "  v = R[base + (r * c + j) * 2 + part] / sqrt(s);\n"
   "}\n"
   "o = v;\n");

/* ... and the residuals projected off it: R <- R - q (q^H R). */
K_(cgs_upd, "raw T R, raw int32 p, int32 n, int32 c", "T o",
   "int nc2 = n * c * 2;\n"
   "int b = i / nc2;\n"
   "int rem = i - b * nc2;\n"
   "int r = rem / (c * 2);\n"
   "int r2 = rem - r * c * 2;\n"
   "int col = r2 / 2;\n"
   "int part = r2 - col * 2;\n"
   "int base = b * nc2;\n"
   "int j = p[b * n];\n"
   "T s = 0;\n"
   "for (int k = 0; k < n; k++) {\n"
   "  T xr = R[base + (k * c + j) * 2];\n"
   "  T xi = R[base + (k * c + j) * 2 + 1];\n"
   "  s += xr * xr + xi * xi;\n"
   "}\n"
   "T nrm = sqrt(s);\n"
   "T dr = 0;\n"
   "T di = 0;\n"
   "for (int k = 0; k < n; k++) {\n"
   "  T qr = R[base + (k * c + j) * 2] / nrm;\n"
   "  T qi = R[base + (k * c + j) * 2 + 1] / nrm;\n"
   "  T yr = R[base + (k * c + col) * 2];\n"
   "  T yi = R[base + (k * c + col) * 2 + 1];\n"
   "  dr += qr * yr + qi * yi;\n"
   "  di += qr * yi - qi * yr;\n"
   "}\n"
   "T qr = R[base + (r * c + j) * 2] / nrm;\n"
   "T qi = R[base + (r * c + j) * 2 + 1] / nrm;\n"
   "T v = R[i];\n"
   "o = part == 0 ? v - (qr * dr - qi * di) : v - (qr * di + qi * dr);\n");

/* The column (of n) that goes to place col when D (B, n) is sorted ascending (stable). */
K_(csrc_col, "raw T D, int32 n", "int32 src",
   "int b = i / n;\n"
   "int col = i - b * n;\n"
   "int found = 0;\n"
   "for (int k = 0; k < n; k++) {\n"
   "  T dk = D[b * n + k];\n"
   "  int rk = 0;\n"
   "  for (int l = 0; l < n; l++) {\n"
   "    T dl = D[b * n + l];\n"
   "    if (dl < dk || (dl == dk && l < k)) rk++;\n"
   "  }\n"
   "  if (rk == col) found = k;\n"
   "}\n"
   "src = found;\n");

/* Q's columns in that order (pairs (B, n, n, 2)). */
K_(cperm_cols, "raw T Q, raw int32 src, int32 n", "T o",
   "int nn2 = n * n * 2;\n"
   "int b = i / nn2;\n"
   "int rem = i - b * nn2;\n"
   "int r = rem / (n * 2);\n"
   "int r2 = rem - r * n * 2;\n"
   "int col = r2 / 2;\n"
   "int part = r2 - col * 2;\n"
   "o = Q[b * nn2 + (r * n + src[b * n + col]) * 2 + part];\n");

/* ---- helpers ---------------------------------------------------------------------------- */

typedef struct cstack {
    int nb;                       /* batch dims */
    int64_t bshape[WG_MAX_NDIM];
    int64_t B, m, n;              /* matrices, rows, columns */
    int cdt, pdt;                 /* the complex working dtype and its part dtype */
} cstack;

static int lerr(wg_context *ctx, const char *msg) {
    return wgB_error(ctx, WG_ERR_VALUE, "LinAlgError: %s", msg);
}

/* NumPy's complex linalg dtype: complex64 when every input is float32 or complex64,
 * complex128 otherwise (complex64 under the 64-bit-off policy). */
static int cdtype(wg_context *ctx, int n, wg_array **arrs, cstack *s) {
    int all32 = 1;
    for (int i = 0; i < n; i++) {
        int dt = arrs[i]->dtype;
        if (dt == WG_FLOAT16)
            return wgB_error(ctx, WG_ERR_TYPE, "array type float16 is unsupported in linalg");
        if (dt < 0 || dt >= WG_NDTYPES)
            return wgB_error(ctx, WG_ERR_NOTIMPL, "linalg: this dtype is not supported");
        if (dt != WG_FLOAT32 && dt != WG_COMPLEX64) all32 = 0;
    }
    s->cdt = all32 ? WG_COMPLEX64 : wgD_canonical(WG_COMPLEX128, ctx->x64);
    s->pdt = wgD_part_dtype(s->cdt);
    return WG_OK;
}

/* The stack of a (ndim >= 2; square when asked), as lapack.c's. */
static int cprep(wg_context *ctx, wg_array *a, const char *fn, int square, cstack *s) {
    int nd = a->lay.ndim;
    if (nd < 2)
        return lerr(ctx, nd == 0 ? "0-dimensional array given. Array must be at least "
                                   "two-dimensional"
                                 : "1-dimensional array given. Array must be at least "
                                   "two-dimensional");
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
    if (s->B * (2 * s->m + 1) * (2 * s->n + 2) > INT32_MAX / 2)
        return wgB_error(ctx, WG_ERR_VALUE, "%s: the matrix stack is too large", fn);
    return WG_OK;
}

/* The float pairs (..., 2) of a as the complex working dtype (a new reference). */
static wg_array *cpairs(wg_context *ctx, wg_array *a, const cstack *s) {
    wg_array *c = wg_astype(ctx, a, s->cdt, WG_CAST_UNSAFE, 0);
    wg_array *p = c ? wg_complex_pairs(ctx, c) : NULL;
    wg_release(c);
    return p;
}

/* The flat array `flat` as (batch..., r, c[, 2]) (consumes flat). */
static wg_array *shaped(wg_context *ctx, wg_array *flat, const cstack *s, int nx, int64_t r,
                        int64_t c, int pairs) {
    if (!flat) return NULL;
    int64_t shape[WG_MAX_NDIM + 3];
    int n = 0;
    for (int d = 0; d < s->nb; d++) shape[n++] = s->bshape[d];
    if (nx >= 1) shape[n++] = r;
    if (nx >= 2) shape[n++] = c;
    if (pairs) shape[n++] = 2;
    wg_array *v = wg_reshape(ctx, flat, n, shape, 'C');
    wg_release(flat);
    return v;
}

/* One launch of `size` points over raw arrays and int32 parameters; nout outputs into outs.
 * size 0: empty outputs of dtype dt, nothing launched (a 0-byte raw input is refused). */
static int go(wg_context *ctx, const wgP_libk *k, int narr, wg_array **arrs, int nint,
              const int32_t *ints, int64_t size, int nout, const int *odt, wg_array **outs) {
    for (int i = 0; i < nout; i++) outs[i] = NULL;
    if (size == 0) {
        int64_t zero = 0;
        for (int i = 0; i < nout; i++) {
            outs[i] = wg_empty(ctx, odt[i], 1, &zero);
            if (!outs[i]) {
                for (int j = 0; j < i; j++) wg_release(outs[j]);
                return ctx->status;
            }
        }
        return WG_OK;
    }
    wg_array *args[WG_KMAX_IO];
    int n = 0, ok = 1;
    for (int i = 0; i < narr; i++) args[n++] = arrs[i];
    for (int i = 0; i < nint; i++) {
        args[n] = wgP_i32(ctx, ints[i]);
        if (!args[n]) ok = 0;
        n++;
    }
    int st = ok ? wgP_libk_launch(ctx, k, n, args, size, outs)
                : (ctx->status ? ctx->status : WG_ERR_MEMORY);
    for (int i = narr; i < n; i++) wg_release(args[i]);
    return st;
}

static wg_array *go1(wg_context *ctx, const wgP_libk *k, int narr, wg_array **arrs, int nint,
                     const int32_t *ints, int64_t size, int dt) {
    wg_array *out[4] = {NULL, NULL, NULL, NULL};
    return go(ctx, k, narr, arrs, nint, ints, size, 1, &dt, out) == WG_OK ? out[0] : NULL;
}

/* emb of the stack's (m, n) matrices a (mode as cemb's): real (batch..., 2m, 2n). */
static wg_array *emb(wg_context *ctx, wg_array *a, const cstack *s, int mode) {
    wg_array *p = cpairs(ctx, a, s);
    if (!p) return NULL;
    int32_t ints[3] = {(int32_t)s->m, (int32_t)s->n, mode};
    wg_array *e = go1(ctx, &cemb, 1, &p, 3, ints, s->B * 4 * s->m * s->n, s->pdt);
    wg_release(p);
    return shaped(ctx, e, s, 2, 2 * s->m, 2 * s->n, 0);
}

/* emb of right-hand sides b (batch..., m, k): real (batch..., 2m, k). */
static wg_array *emb_rows(wg_context *ctx, wg_array *b, const cstack *s, int64_t k) {
    wg_array *p = cpairs(ctx, b, s);
    if (!p) return NULL;
    int32_t ints[2] = {(int32_t)s->m, (int32_t)k};
    wg_array *e = go1(ctx, &cemb_rows, 1, &p, 2, ints, s->B * 2 * s->m * k, s->pdt);
    wg_release(p);
    return shaped(ctx, e, s, 2, 2 * s->m, k, 0);
}

/* The complex (batch..., m, n) matrices read off real x (batch..., R, W) (mode as cunemb's). */
static wg_array *unemb(wg_context *ctx, wg_array *x, const cstack *s, int64_t m, int64_t n,
                       int mode) {
    int nd = x->lay.ndim;
    int32_t ints[5] = {(int32_t)m, (int32_t)n, (int32_t)x->lay.shape[nd - 2],
                       (int32_t)x->lay.shape[nd - 1], mode};
    wg_array *f = go1(ctx, &cunemb, 1, &x, 5, ints, s->B * m * n * 2, s->pdt);
    f = shaped(ctx, f, s, 2, m, n, 1);
    wg_array *c = f ? wg_pairs_complex(ctx, f) : NULL;
    wg_release(f);
    return c;
}


/* ---- solve, inv, cholesky: the real embedding ------------------------------------------ */

int wgP_clinalg_solve(wg_context *ctx, wg_array *a, wg_array *b, wg_array **x,
                      wg_array **flag) {
    *x = *flag = NULL;
    cstack s;
    wg_array *ab[2] = {a, b};
    int st = cprep(ctx, a, "solve", 1, &s);
    if (st == WG_OK) st = cdtype(ctx, 2, ab, &s);
    if (st != WG_OK) return st;
    int nd = a->lay.ndim;
    if (b->lay.ndim != nd || b->lay.shape[nd - 2] != s.n ||
        memcmp(b->lay.shape, a->lay.shape, sizeof(int64_t) * (size_t)(nd - 2)))
        return wgB_error(ctx, WG_ERR_VALUE, "solve: b's shape does not match a's");
    int64_t k = b->lay.shape[nd - 1];
    wg_array *ea = emb(ctx, a, &s, 0), *eb = ea ? emb_rows(ctx, b, &s, k) : NULL;
    wg_array *ex = NULL, *f = NULL;
    st = eb ? wg_linalg_solve(ctx, ea, eb, &ex, &f) : ctx->status;
    wg_release(ea);
    wg_release(eb);
    wg_array *o[2] = {st == WG_OK ? unemb(ctx, ex, &s, s.n, k, 1) : NULL, f};
    wg_release(ex);
    st = wgP_linalg_done(ctx, st, 2, o);
    *x = o[0];
    *flag = o[1];
    return st;
}

int wgP_clinalg_inv(wg_context *ctx, wg_array *a, wg_array **x, wg_array **flag) {
    *x = *flag = NULL;
    cstack s;
    int st = cprep(ctx, a, "inv", 1, &s);
    if (st == WG_OK) st = cdtype(ctx, 1, &a, &s);
    if (st != WG_OK) return st;
    wg_array *ea = emb(ctx, a, &s, 0), *ex = NULL, *f = NULL;
    st = ea ? wg_linalg_inv(ctx, ea, &ex, &f) : ctx->status;
    wg_release(ea);
    wg_array *o[2] = {st == WG_OK ? unemb(ctx, ex, &s, s.n, s.n, 0) : NULL, f};
    wg_release(ex);
    st = wgP_linalg_done(ctx, st, 2, o);
    *x = o[0];
    *flag = o[1];
    return st;
}

int wgP_clinalg_cholesky(wg_context *ctx, wg_array *a, int upper, wg_array **l,
                         wg_array **flag) {
    *l = *flag = NULL;
    cstack s;
    int st = cprep(ctx, a, "cholesky", 1, &s);
    if (st == WG_OK) st = cdtype(ctx, 1, &a, &s);
    if (st != WG_OK) return st;
    /* emb(H) is symmetric positive definite exactly when H is Hermitian positive definite; its
     * Cholesky factor is emb(L) (L's diagonal is real and positive) */
    wg_array *eh = emb(ctx, a, &s, upper ? 2 : 1), *el = NULL, *f = NULL;
    st = eh ? wg_linalg_cholesky(ctx, eh, 0, &el, &f) : ctx->status;
    wg_release(eh);
    wg_array *o[2] = {st == WG_OK ? unemb(ctx, el, &s, s.n, s.n, upper ? 2 : 0) : NULL, f};
    wg_release(el);
    st = wgP_linalg_done(ctx, st, 2, o);
    *l = o[0];
    *flag = o[1];
    return st;
}

/* ---- det, slogdet: complex LU ----------------------------------------------------------- */

static wg_array *izeros(wg_context *ctx, int64_t B) {
    wg_array *z = wg_scalar(ctx, WG_INT32, WG_WEAK_NONE, 0, 0, 0);
    wg_array *r = z ? wg_full(ctx, WG_INT32, 1, &B, z) : NULL;
    wg_release(z);
    return r;
}

static wg_array *ffull(wg_context *ctx, int dt, int64_t n, double v) {
    wg_array *z = wg_scalar(ctx, dt, WG_WEAK_NONE, 0, 0, v);
    wg_array *r = z ? wg_full(ctx, dt, 1, &n, z) : NULL;
    wg_release(z);
    return r;
}

/* The complex LU of the stack's (n, n) matrices (pairs, flat (B, n, n, 2)): *lu, *par. */
static int clu_factor(wg_context *ctx, wg_array *pa, int64_t B, int64_t n, wg_array **lu,
                      wg_array **par) {
    *lu = *par = NULL;
    wg_array *a = pa, *pr = izeros(ctx, B);
    wg_retain(a);
    if (!pr) {
        wg_release(a);
        return ctx->status;
    }
    for (int64_t k = 0; k < n; k++) {
        wg_array *outs[2] = {NULL, NULL};
        int32_t ints[2] = {(int32_t)n, (int32_t)k};
        wg_array *ins[2] = {a, pr};
        static const int idt[2] = {WG_INT32, WG_INT32};
        int st = go(ctx, &clu_pivot, 2, ins, 2, ints, B, 2, idt, outs);
        if (st != WG_OK) {
            wg_release(a);
            wg_release(pr);
            return st;
        }
        wg_release(pr);
        pr = outs[1];
        wg_array *ins2[2] = {a, outs[0]};
        wg_array *na = go1(ctx, &clu_step, 2, ins2, 2, ints, B * n * n * 2, a->dtype);
        wg_release(outs[0]);
        wg_release(a);
        a = na;
        if (!a) {
            wg_release(pr);
            return ctx->status;
        }
    }
    *lu = a;
    *par = pr;
    return WG_OK;
}

int wgP_clinalg_det(wg_context *ctx, wg_array *a, int logdet, wg_array **sign,
                    wg_array **val) {
    *val = NULL;
    if (sign) *sign = NULL;
    cstack s;
    int st = cprep(ctx, a, logdet ? "slogdet" : "det", 1, &s);
    if (st == WG_OK) st = cdtype(ctx, 1, &a, &s);
    if (st != WG_OK) return st;
    wg_array *r[3] = {NULL, NULL, NULL}; /* sign's (det's) real and imaginary parts, log|det| */
    if (s.B * s.n == 0) { /* det 1, sign 1, log|det| 0 of each empty matrix */
        r[0] = ffull(ctx, s.pdt, s.B, 1.0);
        r[1] = ffull(ctx, s.pdt, s.B, 0.0);
        r[2] = ffull(ctx, s.pdt, s.B, 0.0);
    } else {
        wg_array *p = cpairs(ctx, a, &s), *lu = NULL, *par = NULL;
        st = p ? clu_factor(ctx, p, s.B, s.n, &lu, &par) : ctx->status;
        wg_release(p);
        if (st != WG_OK) return st;
        wg_array *ins[2] = {lu, par};
        int32_t ints[2] = {(int32_t)s.n, logdet ? 1 : 0};
        int odt[3] = {s.pdt, s.pdt, s.pdt};
        st = go(ctx, &clu_det, 2, ins, 2, ints, s.B, 3, odt, r);
        wg_release(lu);
        wg_release(par);
        if (st != WG_OK) return st;
    }
    wg_array *z = r[0] && r[1] ? wgP_cjoin(ctx, r[0], r[1], s.cdt) : NULL;
    wg_release(r[0]);
    wg_release(r[1]);
    wg_array *o[2] = {shaped(ctx, z, &s, 0, 0, 0, 0), shaped(ctx, r[2], &s, 0, 0, 0, 0)};
    if (!logdet) {
        wg_release(o[1]);
        *val = o[0];
        return wgP_linalg_done(ctx, WG_OK, 1, val);
    }
    st = wgP_linalg_done(ctx, WG_OK, 2, o);
    *sign = o[0];
    *val = o[1];
    return st;
}

/* ---- qr: complex Householder (zgeqr2; Q by zung2r) -------------------------------------- */

/* The pairs (flat (B, m, n, 2)) factored in place: *h (R above, reflectors below), *st. */
static int cqr_factor(wg_context *ctx, wg_array *pa, int dt, int64_t B, int64_t m, int64_t n,
                      wg_array **h, wg_array **st) {
    int64_t K = m < n ? m : n;
    wg_array *a = pa, *sv = NULL;
    wg_retain(a);
    int status = WG_OK;
    for (int64_t k = 0; k < K && status == WG_OK; k++) {
        int32_t ints[4] = {(int32_t)m, (int32_t)n, (int32_t)K, (int32_t)k};
        wg_array *ins[2] = {a, sv ? sv : a};
        wg_array *ns = go1(ctx, &cqr_house, 2, ins, 4, ints, B * K * 6, dt);
        if (!ns) {
            status = ctx->status;
            break;
        }
        wg_release(sv);
        sv = ns;
        wg_array *iw[2] = {a, sv};
        wg_array *w = go1(ctx, &cqr_w, 2, iw, 4, ints, B * n * 2, dt);
        wg_array *iu[3] = {a, w, sv};
        wg_array *na = w ? go1(ctx, &cqr_upd, 3, iu, 4, ints, B * m * n * 2, dt) : NULL;
        wg_release(w);
        if (!na) status = ctx->status ? ctx->status : WG_ERR_MEMORY;
        else {
            wg_release(a);
            a = na;
        }
    }
    if (status == WG_OK && !sv) {
        int64_t zero = 0;
        sv = wg_empty(ctx, dt, 1, &zero);
        if (!sv) status = ctx->status;
    }
    if (status != WG_OK) {
        wg_release(a);
        wg_release(sv);
        return status;
    }
    *h = a;
    *st = sv;
    return WG_OK;
}

/* Q's first q columns (q = K or m) as pairs (B, m, q, 2): the reflectors applied to I. */
static wg_array *cqr_q(wg_context *ctx, wg_array *h, wg_array *st, const cstack *s, int64_t q) {
    int64_t B = s->B, m = s->m, n = s->n, K = m < n ? m : n;
    wg_array *e = wg_eye(ctx, s->cdt, m, q, 0);
    int64_t shape[3] = {B, m, q};
    wg_array *Q = e ? wg_broadcast_to(ctx, e, 3, shape) : NULL, *P = NULL;
    wg_release(e);
    if (Q) P = wg_complex_pairs(ctx, Q); /* a broadcast view: the raw parameter copies it */
    wg_release(Q);
    if (P && B * m * q != 0) {
        Q = wg_copy(ctx, P, 'C');
        wg_release(P);
        P = Q;
    }
    for (int64_t k = K - 1; k >= 0 && P; k--) {
        int32_t ints[5] = {(int32_t)m, (int32_t)n, (int32_t)q, (int32_t)K, (int32_t)k};
        wg_array *iw[3] = {h, P, st};
        wg_array *w = go1(ctx, &cqr_qw, 3, iw, 5, ints, B * q * 2, s->pdt);
        int32_t iu[4] = {(int32_t)m, (int32_t)n, (int32_t)q, (int32_t)k};
        wg_array *in2[3] = {h, P, w};
        wg_array *nq = w ? go1(ctx, &cqr_qupd, 3, in2, 4, iu, B * m * q * 2, s->pdt) : NULL;
        wg_release(w);
        wg_release(P);
        P = nq;
    }
    return P;
}

/* C-contiguous pairs (flat (B, r, c, 2)) as complex (batch..., r, c) (consumes p) */
static wg_array *cfinish(wg_context *ctx, wg_array *p, const cstack *s, int nx, int64_t r,
                         int64_t c) {
    wg_array *f = shaped(ctx, p, s, nx, r, c, 1);
    wg_array *z = f ? wg_pairs_complex(ctx, f) : NULL;
    wg_release(f);
    return z;
}

int wgP_clinalg_qr(wg_context *ctx, wg_array *a, int mode, wg_array **q, wg_array **r) {
    *q = *r = NULL;
    cstack s;
    int st = cprep(ctx, a, "qr", 0, &s);
    if (st == WG_OK) st = cdtype(ctx, 1, &a, &s);
    if (st != WG_OK) return st;
    if (mode < 0 || mode > 3) return wgB_error(ctx, WG_ERR_VALUE, "qr: invalid mode %d", mode);
    int64_t B = s.B, m = s.m, n = s.n, K = m < n ? m : n;
    wg_array *p = cpairs(ctx, a, &s), *h = NULL, *sv = NULL;
    st = p ? cqr_factor(ctx, p, s.pdt, B, m, n, &h, &sv) : ctx->status;
    wg_release(p);
    if (st != WG_OK) return st;
    wg_array *o[2] = {NULL, NULL};
    if (mode == 3) { /* raw: h transposed (NumPy's Fortran-order array), tau */
        wg_array *hs = cfinish(ctx, h, &s, 2, m, n);
        h = NULL;
        o[0] = hs ? wg_swapaxes(ctx, hs, -1, -2) : NULL;
        wg_release(hs);
        wg_array *t = go1(ctx, &ctau, 1, &sv, 0, NULL, B * K * 2, s.pdt);
        o[1] = t ? cfinish(ctx, t, &s, 1, K, 0) : NULL;
    } else {
        int64_t rows = mode == 1 ? m : K;
        int32_t it[3] = {(int32_t)m, (int32_t)rows, (int32_t)n};
        wg_array *R = go1(ctx, &ctri, 1, &h, 3, it, B * rows * n * 2, s.pdt);
        o[1] = R ? cfinish(ctx, R, &s, 2, rows, n) : NULL;
        if (mode != 2 && o[1]) {
            int64_t qc = mode == 1 ? m : K;
            wg_array *Q = cqr_q(ctx, h, sv, &s, qc);
            o[0] = Q ? cfinish(ctx, Q, &s, 2, m, qc) : NULL;
            if (!o[0]) {
                wg_release(o[1]);
                o[1] = NULL;
            }
        }
    }
    wg_release(h);
    wg_release(sv);
    if (!o[1]) {
        wg_release(o[0]);
        return ctx->status ? ctx->status : WG_ERR_MEMORY;
    }
    *q = o[0] ? wgP_out(ctx, o[0]) : NULL;
    *r = wgP_out(ctx, o[1]);
    return WG_OK;
}

/* ---- the embedding as engine calls (the complex paths that python/wgpy/linalg.py composes) - */

int wg_linalg_cemb(wg_context *ctx, wg_array *a, int mode, wg_array **e) {
    *e = NULL;
    cstack s;
    int st = cprep(ctx, a, "emb", mode == 1 || mode == 2, &s);
    if (st == WG_OK) st = cdtype(ctx, 1, &a, &s);
    if (st != WG_OK) return st;
    if (mode < 0 || mode > 3) return wgB_error(ctx, WG_ERR_VALUE, "wg_linalg_cemb: bad mode");
    wg_array *r = mode == 3 ? emb_rows(ctx, a, &s, s.n) : emb(ctx, a, &s, mode);
    /* emb_rows' stack: rows m, columns n */
    return wgP_linalg_done(ctx, r ? WG_OK : ctx->status, 1, (*e = r, e));
}

int wg_linalg_cunemb(wg_context *ctx, wg_array *x, int mode, int64_t ncols, wg_array **z) {
    *z = NULL;
    cstack s;
    int st = cprep(ctx, x, "unemb", 0, &s);
    if (st != WG_OK) return st;
    if (x->dtype != WG_FLOAT32 && x->dtype != WG_FLOAT64)
        return wgB_error(ctx, WG_ERR_TYPE, "wg_linalg_cunemb: a float32 or float64 array");
    if (mode < 0 || mode > 3) return wgB_error(ctx, WG_ERR_VALUE, "wg_linalg_cunemb: bad mode");
    s.pdt = x->dtype;
    s.cdt = x->dtype == WG_FLOAT32 ? WG_COMPLEX64 : WG_COMPLEX128;
    int64_t R = s.m, W = s.n;
    int64_t m = mode == 2 ? W / 2 : R / 2;
    int64_t n = mode == 1 ? W : (mode == 2 ? R / 2 : W / 2);
    if (ncols >= 0 && ncols < n) n = ncols;
    if (R % 2 || (mode != 1 && W % 2))
        return wgB_error(ctx, WG_ERR_VALUE, "wg_linalg_cunemb: not an embedding's shape");
    wg_array *r = unemb(ctx, x, &s, m, n, mode);
    return wgP_linalg_done(ctx, r ? WG_OK : ctx->status, 1, (*z = r, z));
}

int wg_linalg_cpair_mean(wg_context *ctx, wg_array *x, wg_array **y) {
    *y = NULL;
    int nd = x->lay.ndim;
    if (nd < 1 || x->lay.shape[nd - 1] % 2 || (x->dtype != WG_FLOAT32 && x->dtype != WG_FLOAT64))
        return wgB_error(ctx, WG_ERR_VALUE, "wg_linalg_cpair_mean: float pairs (..., 2k)");
    int64_t shape[WG_MAX_NDIM], size = 1;
    for (int d = 0; d < nd; d++) shape[d] = x->lay.shape[d];
    shape[nd - 1] /= 2;
    for (int d = 0; d < nd; d++) size *= shape[d];
    wg_array *f = go1(ctx, &cpair_mean, 1, &x, 0, NULL, size, x->dtype), *r = NULL;
    if (f) r = wg_reshape(ctx, f, nd, shape, 'C');
    wg_release(f);
    return wgP_linalg_done(ctx, r ? WG_OK : ctx->status, 1, (*y = r, y));
}

int wg_linalg_eig_complex(wg_context *ctx, wg_array *wr, wg_array *wi, wg_array *vr,
                          wg_array **w, wg_array **v) {
    *w = NULL;
    if (v) *v = NULL;
    int dt = wr->dtype, nd = wr->lay.ndim;
    if ((dt != WG_FLOAT32 && dt != WG_FLOAT64) || wi->dtype != dt || nd < 1 ||
        wi->lay.ndim != nd || memcmp(wi->lay.shape, wr->lay.shape, sizeof(int64_t) * nd) ||
        (vr && (vr->dtype != dt || vr->lay.ndim != nd + 1)))
        return wgB_error(ctx, WG_ERR_VALUE, "wg_linalg_eig_complex: dgeev's wr, wi, vr");
    int cdt = dt == WG_FLOAT32 ? WG_COMPLEX64 : WG_COMPLEX128;
    wg_array *o[2] = {wgP_cjoin(ctx, wr, wi, cdt), NULL};
    int no = 1;
    if (vr && v) {
        no = 2;
        cstack s;
        int st = cprep(ctx, vr, "eig", 1, &s);
        if (st != WG_OK) {
            wg_release(o[0]);
            return st;
        }
        s.cdt = cdt;
        s.pdt = dt;
        wg_array *ins[2] = {vr, wi};
        int32_t n32 = (int32_t)s.n;
        wg_array *f = go1(ctx, &ceig_vec, 2, ins, 1, &n32, s.B * s.n * s.n * 2, dt);
        f = shaped(ctx, f, &s, 2, s.n, s.n, 1);
        o[1] = f ? wg_pairs_complex(ctx, f) : NULL;
        wg_release(f);
    }
    int st = wgP_linalg_done(ctx, WG_OK, no, o);
    *w = o[0];
    if (v) *v = o[1];
    return st;
}

/* ---- eigh, eigvalsh: the real Jacobi eigh of emb(H) ------------------------------------ */

int wgP_clinalg_eigh_init(wg_context *ctx, wg_array *a, int lower, int compute_v, wg_array **S,
                          wg_array **V) {
    *S = *V = NULL;
    cstack s;
    int st = cprep(ctx, a, compute_v ? "eigh" : "eigvalsh", 1, &s);
    if (st == WG_OK) st = cdtype(ctx, 1, &a, &s);
    if (st != WG_OK) return st;
    wg_array *e = emb(ctx, a, &s, lower ? 1 : 2);
    st = e ? wg_linalg_eigh_init(ctx, e, lower, compute_v, S, V) : ctx->status;
    wg_release(e);
    return st;
}

static wg_array *pair_mean(wg_context *ctx, wg_array *x) {
    wg_array *y = NULL;
    return wg_linalg_cpair_mean(ctx, x, &y) == WG_OK ? y : NULL;
}

int wg_linalg_ceigh_finish(wg_context *ctx, wg_array *S, wg_array *V, wg_array **w,
                           wg_array **v, wg_array **flag) {
    *w = NULL;
    if (v) *v = NULL;
    if (flag) *flag = NULL;
    wg_array *w2 = NULL, *v2 = NULL;
    int st = wg_linalg_eigh_finish(ctx, S, V, &w2, &v2);
    if (st != WG_OK) return st;
    cstack s;
    st = cprep(ctx, S, "eigh", 1, &s);
    if (st == WG_OK && S->lay.shape[S->lay.ndim - 1] % 2)
        st = wgB_error(ctx, WG_ERR_VALUE, "wg_linalg_ceigh_finish: not an embedding");
    if (st != WG_OK) {
        wg_release(w2);
        wg_release(v2);
        return st;
    }
    s.pdt = S->dtype;
    s.cdt = s.pdt == WG_FLOAT32 ? WG_COMPLEX64 : WG_COMPLEX128;
    int64_t n = s.n / 2;
    wg_array *o[3] = {pair_mean(ctx, w2), NULL, NULL};
    int no = 1;
    if (V && v && flag && o[0]) {
        no = 3;
        o[1] = unemb(ctx, v2, &s, n, n, 0);
        wg_array *p = o[1] ? wg_complex_pairs(ctx, o[1]) : NULL;
        wg_array *cf = NULL;
        if (p && s.B * n != 0) {
            wg_array *tol = wg_scalar(ctx, s.pdt, WG_WEAK_NONE, 0, 0,
                                      s.pdt == WG_FLOAT32 ? 1e-2 : 1e-6);
            wg_array *ins[3] = {p, NULL, tol};
            int32_t n32 = (int32_t)n;
            ins[1] = wgP_i32(ctx, n32);
            if (tol && ins[1]) {
                wg_array *outs[1] = {NULL};
                if (wgP_libk_launch(ctx, &cunit_col, 3, ins, s.B * n, outs) == WG_OK)
                    cf = outs[0];
            }
            wg_release(tol);
            wg_release(ins[1]);
            int32_t cnt = (int32_t)(s.B * n);
            o[2] = cf ? go1(ctx, &cany, 1, &cf, 1, &cnt, 1, WG_INT32) : NULL;
        } else if (p) {
            o[2] = izeros(ctx, 1);
        }
        wg_release(cf);
        wg_release(p);
    }
    wg_release(w2);
    wg_release(v2);
    st = wgP_linalg_done(ctx, WG_OK, no, o);
    *w = o[0];
    if (no == 3) {
        *v = o[1];
        *flag = o[2];
    }
    return st;
}

int wg_linalg_ceigh_vectors(wg_context *ctx, wg_array *S, wg_array *V, wg_array **v) {
    *v = NULL;
    wg_array *w2 = NULL, *v2 = NULL;
    int st = wg_linalg_eigh_finish(ctx, S, V, &w2, &v2);
    if (st != WG_OK) return st;
    cstack s;
    st = cprep(ctx, S, "eigh", 1, &s);
    if (st == WG_OK && (!v2 || S->lay.shape[S->lay.ndim - 1] % 2))
        st = wgB_error(ctx, WG_ERR_VALUE, "wg_linalg_ceigh_vectors: an embedding's S and V");
    if (st != WG_OK) {
        wg_release(w2);
        wg_release(v2);
        return st;
    }
    s.pdt = S->dtype;
    s.cdt = s.pdt == WG_FLOAT32 ? WG_COMPLEX64 : WG_COMPLEX128;
    int64_t B = s.B, n = s.n / 2, c = s.n;
    /* the candidates: every column of v2 as a complex vector (interleaved rows) */
    wg_array *Z = unemb(ctx, v2, &s, n, c, 1);
    wg_array *R = Z ? wg_complex_pairs(ctx, Z) : NULL, *Q = NULL, *D = NULL;
    wg_release(Z);
    wg_release(v2);
    if (R && B * n != 0) {
        wg_array *Rc = wg_copy(ctx, R, 'C'); /* flat raw access below */
        wg_release(R);
        R = Rc;
    }
    for (int64_t t = 0; t < n && R; t++) {
        int32_t ints[3] = {(int32_t)n, (int32_t)c, (int32_t)t};
        wg_array *ip[3] = {R, w2, D ? D : w2}, *po[2] = {NULL, NULL};
        int odt[2] = {s.pdt, WG_INT32};
        st = go(ctx, &cgs_pick, 3, ip, 3, ints, B * n, 2, odt, po);
        if (st != WG_OK) {
            wg_release(R);
            R = NULL;
            break;
        }
        wg_release(D);
        D = po[0];
        wg_array *iq[3] = {R, Q ? Q : R, po[1]};
        wg_array *nq = go1(ctx, &cgs_q, 3, iq, 3, ints, B * n * n * 2, s.pdt);
        wg_release(Q);
        Q = nq;
        wg_array *iu[2] = {R, po[1]};
        wg_array *nr = Q ? go1(ctx, &cgs_upd, 2, iu, 2, ints, B * n * c * 2, s.pdt) : NULL;
        wg_release(po[1]);
        wg_release(R);
        R = nr;
    }
    wg_release(w2);
    wg_array *res = NULL;
    if (R && B * n == 0) { /* empty, of the right shape */
        int64_t zero = 0;
        wg_array *f = shaped(ctx, wg_empty(ctx, s.pdt, 1, &zero), &s, 2, n, n, 1);
        res = f ? wg_pairs_complex(ctx, f) : NULL;
        wg_release(f);
    } else if (R && Q && D) {
        int32_t n32 = (int32_t)n;
        wg_array *src = go1(ctx, &csrc_col, 1, &D, 1, &n32, B * n, WG_INT32);
        wg_array *ic[2] = {Q, src};
        wg_array *f = src ? go1(ctx, &cperm_cols, 2, ic, 1, &n32, B * n * n * 2, s.pdt) : NULL;
        wg_release(src);
        f = shaped(ctx, f, &s, 2, n, n, 1);
        res = f ? wg_pairs_complex(ctx, f) : NULL;
        wg_release(f);
    }
    wg_release(R);
    wg_release(Q);
    wg_release(D);
    *v = res;
    return wgP_linalg_done(ctx, res ? WG_OK : (ctx->status ? ctx->status : WG_ERR_MEMORY), 1, v);
}
