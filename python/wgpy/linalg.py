"""wgpy.linalg: numpy.linalg on the GPU (docs/linalg.md).

The decompositions (LU: solve, inv, det, slogdet; cholesky; qr; eigh/eigvalsh; svd/svdvals) are
the engine's library kernels (core/src/api/lapack.c), one ctypes call each; the rest (norm, cond,
pinv, lstsq, matrix_rank, matrix_power, multi_dot, tensorsolve, tensorinv...) are NumPy's own
compositions of those with wgpy's array operations, with NumPy's signatures and errors.
eig and eigvals: Hessenberg reduction and Francis double-shift QR (engine), LAPACK dgeev's
results.  Complex matrices: solve, inv, det, slogdet, cholesky and qr take them in the same one
call (core/src/api/lapack_complex.c); eigh, svd, eig, pinv and lstsq compose the engine's real
embedding calls below (docs/linalg.md "Complex matrices").
"""

import collections as _collections
import operator as _operator
from ctypes import byref as _byref, c_void_p as _vp

import wgpy as _w

from . import _core, _lib

_np = _lib.np

if _np is not None:
    class LinAlgError(_np.linalg.LinAlgError):
        """numpy.linalg.LinAlgError (a subclass of it: `except numpy.linalg.LinAlgError`
        catches it)."""
else:
    class LinAlgError(ValueError):
        """NumPy's LinAlgError (a ValueError): a singular matrix, a matrix that is not positive
        definite, an iteration that did not converge, shapes numpy.linalg refuses."""

LinAlgError.__module__ = 'wgpy.linalg'
LinAlgError.__name__ = 'LinAlgError'
LinAlgError.__qualname__ = 'LinAlgError'

SlogdetResult = _collections.namedtuple('SlogdetResult', ['sign', 'logabsdet'])
EighResult = _collections.namedtuple('EighResult', ['eigenvalues', 'eigenvectors'])
QRResult = _collections.namedtuple('QRResult', ['Q', 'R'])
SVDResult = _collections.namedtuple('SVDResult', ['U', 'S', 'Vh'])

_NoValue = object()


def _set_linalg_path(path):
    """The engine's LU and Cholesky (docs/linalg.md "Blocked factorizations"): 'auto' (blocked
    panels wherever kernels have workgroup memory: every backend but webgl2; a GPU's kernels on
    a GPU adapter, the CPU-like devices' elsewhere), 'gathers' (one whole-matrix launch per
    column everywhere: webgl2's path) or 'gpu' (blocked with the GPU's kernels on any backend);
    returns the previous one.  For benchmarks and tests."""
    old = _lib.wg_set_linalg_path(_lib.ctx, {'auto': 0, 'gathers': 1, 'gpu': 2}[path])
    return ('auto', 'gathers', 'gpu')[old]


def _arr(a):
    return a if isinstance(a, _core.ndarray) else _w.asarray(a)


def _call(fn, n, *args):
    """One engine call with n array results (pointers written by the engine)."""
    outs = [_vp() for _ in range(n)]
    rc = fn(_core.ctx, *args, *[_byref(o) for o in outs])
    if rc < 0:
        raise _lib.error()
    res = []
    for i in range(n):
        h = outs[i].value
        if h:
            _lib.wg_info(_core.ctx, h)
            res.append(_core._wrap(h))
        else:
            res.append(None)
    return res


def _flag(f, message):
    """Read a decomposition's one-element flag (the engine never reads back itself: on webgpu
    and webgl2 only the host runs the stream) and raise LinAlgError when it is set."""
    if f.tolist()[0]:
        raise LinAlgError(message)


# The Jacobi methods stop when a sweep's flag reads 0; float32 needs 5-10 sweeps.
MAX_SWEEPS = 40


def _sweeps(step, state, what):
    for _ in range(MAX_SWEEPS):
        state, f = step(state)
        f = f.tolist()[0]
        if f == 0:
            return state
        if f == 2:
            break
    raise LinAlgError('%s did not converge' % what)


def _check_2d(*arrays):
    for a in arrays:
        if a.ndim < 2:
            raise LinAlgError('%d-dimensional array given. Array must be at least '
                              'two-dimensional' % a.ndim)


def _check_square(*arrays):
    _check_2d(*arrays)
    for a in arrays:
        m, n = a.shape[-2:]
        if m != n:
            raise LinAlgError('Last 2 dimensions of the array must be square')


def _float_dtype(*arrays):
    """NumPy's result dtype of a linalg function (float32 stays float32, other reals give
    float64 — float32 under wgpy's 64-bit-off policy)."""
    for a in arrays:
        if a.dtype == _w.float16:
            raise TypeError('array type float16 is unsupported in linalg')
    if all(a.dtype == _w.float32 for a in arrays):
        return _w.float32
    return _w.result_type(_w.float64)


# ---- complex matrices: the real embedding (docs/linalg.md "Complex matrices") -------------
#
# A complex m x n matrix A = B + iC is the real 2m x 2n matrix emb(A) whose 2 x 2 block (j, k)
# is [[b, -c], [c, b]] (rows and columns interleaved: real, imaginary).  emb is a ring
# homomorphism (emb(AB) = emb(A) emb(B), emb(A^H) = emb(A)^T, a complex vector is the real
# vector of its interleaved parts), so the real decompositions of emb(A) are those of A:
# pinv and lstsq exactly; the eigenvalues and singular values of emb(A) are A's, each twice.
# The embedding and its inverse are engine calls (wg_linalg_cemb, wg_linalg_cunemb); solve,
# inv, det, slogdet, cholesky and qr of complex matrices are wholly in the engine.

def _is_complex(*arrays):
    return any(a.dtype.kind == 'c' for a in arrays)


def _complex_dtype(*arrays):
    """NumPy's linalg dtype of complex inputs: complex64 when every input is float32 or
    complex64, complex128 otherwise (complex64 under the 64-bit-off policy)."""
    for a in arrays:
        if a.dtype == _w.float16:
            raise TypeError('array type float16 is unsupported in linalg')
    if all(a.dtype in (_w.float32, _w.complex64) for a in arrays):
        return _w.complex64
    return _w.result_type(_w.complex128)


def _real_dtype(cdt):
    return _w.float32 if cdt == _w.complex64 else _w.result_type(_w.float64)


def _emb(a, mode=0):
    """emb(a) (engine: wg_linalg_cemb): (..., m, n) complex -> (..., 2m, 2n) real, blocks
    [[re, -im], [im, re]]; mode 1 (2): of the Hermitian matrix of a's lower (upper) triangle,
    the diagonal's real part (what NumPy's LAPACK reads); 3: rows interleaved (..., 2m, n)."""
    e, = _call(_lib.wg_linalg_cemb, 1, a._h, mode)
    return e


def _emb_rows(b):
    return _emb(b, 3)


def _unemb(x, mode=0, ncols=-1):
    """The complex matrix read off a real embedding (engine: wg_linalg_cunemb): mode 0 the
    first column of each 2 x 2 block, 1 interleaved rows, 2 mode 0's conjugate transpose, 3 the
    first row of each block conjugated back; the first ncols columns when ncols >= 0."""
    z, = _call(_lib.wg_linalg_cunemb, 1, x._h, mode, ncols)
    return z


def _unemb_rows(x):
    return _unemb(x, 1)


def _pair_mean(x):
    """Values that come in equal pairs (eigenvalues, singular values of emb(A)): the mean of
    each pair (engine: wg_linalg_cpair_mean)."""
    y, = _call(_lib.wg_linalg_cpair_mean, 1, x._h)
    return y


def _ct(a):
    return _w.conj(_w.matrix_transpose(a))


def _unitary_error(z):
    """max |Z^H Z - I| (one host read)."""
    k = z.shape[-1]
    if z.size == 0:
        return 0.0
    g = _w.matmul(_ct(z), z) - _w.eye(k, dtype=z.dtype)
    return float(_w.max(_w.abs(g)))


def _unitary_tol(dt):
    return 1e-2 if dt == _w.complex64 else 1e-6


def _pick_orthonormal(cands, k):
    """k orthonormal columns from the columns of cands (..., n, c) that span a k-dimensional
    complex space (a tight frame: each direction of a repeated eigenvalue comes twice): k
    steps of pivoted Gram-Schmidt, the candidate with the largest residual first (array
    operations, no host reads)."""
    r = cands
    qs = []
    n = cands.shape[-2]
    for _ in range(k):
        nr = _w.sum(_w.real(r * _w.conj(r)), axis=-2)              # (..., c)
        j = _w.argmax(nr, axis=-1)[..., None, None]
        j = _w.broadcast_to(j, r.shape[:-2] + (n, 1))
        col = _w.take_along_axis(r, j, axis=-1)                     # (..., n, 1)
        q = col / _w.sqrt(_w.sum(_w.real(col * _w.conj(col)), axis=-2, keepdims=True))
        r = r - q * _w.sum(_w.conj(q) * r, axis=-2, keepdims=True)
        qs.append(q)
    return _w.concatenate(qs, axis=-1)


def _csvd(a, full_matrices, compute_uv):
    _check_2d(a)
    cdt = _complex_dtype(a)
    a = a.astype(cdt, copy=False)
    m, n = a.shape[-2:]
    k = min(m, n)
    e = _emb(a)
    if not compute_uv:
        return _pair_mean(svd(e, compute_uv=False))
    u2, s2, vh2 = svd(e, full_matrices=False)
    s = _pair_mean(s2)
    u = _unemb(u2)
    v = _unemb(_w.matrix_transpose(vh2))
    if k and max(_unitary_error(u), _unitary_error(v)) > _unitary_tol(cdt):
        # a repeated singular value: its real singular vectors are any basis of the complex
        # singular subspace.  k orthonormal right vectors from the candidates, sorted by
        # |A v|; u = A v / sigma, zero columns (sigma negligible) completed by a QR
        v2 = _w.matrix_transpose(vh2)
        v = _pick_orthonormal(_unemb(v2, 1), k)
        av = _w.matmul(a, v)
        sv = _w.sqrt(_w.sum(_w.real(av * _w.conj(av)), axis=-2))
        order = _w.argsort(-sv, axis=-1)[..., None, :]
        v = _w.take_along_axis(v, _w.broadcast_to(order, v.shape), axis=-1)
        av = _w.take_along_axis(av, _w.broadcast_to(order, av.shape), axis=-1)
        big = s > (_w.max(s, axis=-1, keepdims=True) * (max(m, n) * _eps(_real_dtype(cdt))))
        u0 = _w.where(big[..., None, :], av / _w.where(big, s, 1)[..., None, :], 0)
        uf = _complete(u0, k)
        u = uf if full_matrices else uf[..., :, :k]
        if full_matrices and n > m:
            v = _complete(v, k)
        if max(_unitary_error(u), _unitary_error(v)) > _unitary_tol(cdt):
            raise NotImplementedError('wgpy: svd(compute_uv=True) of this complex matrix (a '
                                      'repeated singular value) did not give unitary factors')
        return SVDResult(u, s, _ct(v))
    if full_matrices and m != n:
        u = _complete(u, k) if m > n else u
        v = _complete(v, k) if n > m else v
    return SVDResult(u, s, _ct(v))


def _complete(u, k):
    """Orthonormal columns (..., m, k) completed to a unitary (..., m, m): the complete QR of
    u, its first k columns turned back into u's (Q diag(phase of R_jj))."""
    q, r = qr(u, 'complete')
    d = _w.diagonal(r, axis1=-2, axis2=-1)[..., :k]
    ad = _w.abs(d)
    ph = _w.where(ad == 0, 1, d / _w.where(ad == 0, 1, ad))
    m = u.shape[-2]
    ph = _w.concatenate([ph, _w.ones(ph.shape[:-1] + (m - k,), dtype=q.dtype)], axis=-1)
    return q * ph[..., None, :]


# ---- LU ----------------------------------------------------------------------------------

def solve(a, b):
    """numpy.linalg.solve: b is a vector (..., n) only when 1-D (NumPy 2), else (..., n, k)."""
    a = _arr(a)
    b = _arr(b)
    _check_square(a)
    n = a.shape[-1]
    vec = b.ndim == 1
    b2 = b[:, None] if vec else b
    if b2.ndim < 2 or b2.shape[-2] != n:
        raise ValueError('solve: Input operand 1 has a mismatch in its core dimension 0, with '
                         'gufunc signature (m,m),(m,n)->(m,n) (size %d is different from %d)'
                         % (b2.shape[-2] if b2.ndim >= 2 else b2.shape[-1], n))
    batch = _w.broadcast_shapes(a.shape[:-2], b2.shape[:-2])
    a3 = _w.broadcast_to(a, batch + a.shape[-2:])
    b3 = _w.broadcast_to(b2, batch + b2.shape[-2:])
    x, f = _call(_lib.wg_linalg_solve, 2, a3._h, b3._h)
    _flag(f, 'Singular matrix')
    return x[..., 0] if vec else x


def inv(a):
    a = _arr(a)
    x, f = _call(_lib.wg_linalg_inv, 2, a._h)
    _flag(f, 'Singular matrix')
    return x


def det(a):
    a = _arr(a)
    d, = _call(lambda c, h, p: _lib.wg_linalg_det(c, h, 0, None, p), 1, a._h)
    return d


def slogdet(a):
    a = _arr(a)
    s, l = _call(_lib.wg_linalg_det, 2, a._h, 1)
    return SlogdetResult(s, l)


# ---- Cholesky, QR ------------------------------------------------------------------------

def cholesky(a, /, *, upper=False):
    a = _arr(a)
    l, f = _call(_lib.wg_linalg_cholesky, 2, a._h, 1 if upper else 0)
    _flag(f, 'Matrix is not positive definite')
    return l


_QR_MODES = {'reduced': 0, 'complete': 1, 'r': 2, 'raw': 3}


def qr(a, mode='reduced'):
    if mode not in _QR_MODES:
        if mode in ('f', 'full'):
            import warnings
            warnings.warn("The 'full' option is deprecated in favor of 'reduced'.\n"
                          "For backward compatibility let mode default.", DeprecationWarning,
                          stacklevel=2)
            mode = 'reduced'
        elif mode in ('e', 'economic'):
            raise NotImplementedError("wgpy: qr mode 'economic' (deprecated in NumPy) is not "
                                      "implemented")
        else:
            raise ValueError("Unrecognized mode '%s'" % mode)
    a = _arr(a)
    q, r = _call(_lib.wg_linalg_qr, 2, a._h, _QR_MODES[mode])
    if mode == 'r':
        return r
    if mode == 'raw':
        return q, r
    return QRResult(q, r)


# ---- symmetric eigenproblem, SVD ---------------------------------------------------------

def _uplo(UPLO):
    if UPLO not in ('L', 'U'):
        raise ValueError("UPLO argument must be 'L' or 'U'")
    return 1 if UPLO == 'L' else 0


def _eigh(a, UPLO, compute_v):
    a = _arr(a)
    lower = _uplo(UPLO)
    S, V = _call(_lib.wg_linalg_eigh_init, 2, a._h, lower, compute_v)

    def step(st):
        v = st[1]._h if st[1] is not None else None
        S2, V2, f = _call(_lib.wg_linalg_eigh_sweep, 3, st[0]._h, v)
        return (S2, V2), f

    S, V = _sweeps(step, (S, V), 'Eigenvalues')
    if _is_complex(a):  # the Jacobi iteration ran on emb(H) (docs/linalg.md "Complex matrices")
        w, v, f = _call(_lib.wg_linalg_ceigh_finish, 3, S._h, V._h if V is not None else None)
        if f is not None and f.tolist()[0]:
            # a repeated eigenvalue: emb(H)'s real eigenvectors mix its complex directions
            v, = _call(_lib.wg_linalg_ceigh_vectors, 1, S._h, V._h)
        return w, v
    return _call(_lib.wg_linalg_eigh_finish, 2, S._h, V._h if V is not None else None)


def eigh(a, UPLO='L'):
    w, v = _eigh(a, UPLO, 1)
    return EighResult(w, v)


def eigvalsh(a, UPLO='L'):
    return _eigh(a, UPLO, 0)[0]


EigResult = _collections.namedtuple('EigResult', ['eigenvalues', 'eigenvectors'])


def _eig_real(a, compute_v):
    """LAPACK dgeev's real results: (wr, wi, vr, any_complex); vr None without compute_v.

    Hessenberg reduction and Francis double-shift QR sweeps in the engine (api/lapack.c); the
    host reads the stack's largest active block size after each batch of sweeps."""
    a = _arr(a)
    _check_square(a)
    n = a.shape[-1]
    H, Z, ctrl, f = _call(_lib.wg_linalg_eig_init, 4, a._h, 1 if compute_v else 0)
    f = f.tolist()[0]
    if f == -1:
        raise LinAlgError('Array must not contain infs or NaNs')
    sweeps = 0
    limit = 30 * max(10, n) * max(n, 1)
    while f > 0:
        # one read per batch: about 2-3 sweeps deflate an eigenvalue, so a batch of f // 8
        # sweeps (f: the largest active block) rarely overshoots by much, and a finished matrix
        # only idles through the rest of its batch
        batch = max(2, f // 8)
        H, Z, ctrl, fl = _call(_lib.wg_linalg_eig_sweep, 4, H._h,
                               Z._h if Z is not None else None, ctrl._h, f - 1, batch)
        f = fl.tolist()[0]
        sweeps += batch
        if f < 0 or sweeps > limit:
            raise LinAlgError('Eigenvalues did not converge')
    wr, wi, vr, cf = _call(_lib.wg_linalg_eig_finish, 4, H._h,
                           Z._h if Z is not None else None)
    return wr, wi, vr, cf.tolist()[0] != 0


def _complex_results(wr, wi, vr):
    """NumPy's complex results from LAPACK's real ones (engine: wg_linalg_eig_complex):
    w = wr + i wi; for a pair (wi_j > 0, wi_j+1 < 0) v_j = vr_j + i vr_j+1 and v_j+1 its
    conjugate, real vectors with zero imaginary parts."""
    return tuple(_call(_lib.wg_linalg_eig_complex, 2, wr._h, wi._h,
                       vr._h if vr is not None else None))


def _ceig(a, compute_v):
    """eig of a complex matrix through emb(A) (docs/linalg.md "Complex matrices"): emb(A)'s
    eigenpairs are A's (eigenvectors w with w_im = -i w_re: z = w_re + i w_im is A's vector)
    and conj(A)'s (z = 0).  n steps of pivoted Gram-Schmidt over the z parts pick A's n
    eigenvectors (the conjugate's have z ~ 0; an eigenvalue A and conj(A) share comes with
    z parts along one vector, picked once); one host read checks the residual."""
    _check_square(a)
    cdt = _complex_dtype(a)
    a = a.astype(cdt, copy=False)
    n = a.shape[-1]
    batch = a.shape[:-2]
    if a.size == 0:
        return _w.zeros(batch + (n,), dtype=cdt), _w.zeros(batch + (n, n), dtype=cdt)
    if not bool(_w.any(_w.imag(a) != 0)):
        # a real matrix (one host read): the real path, whose every eigenvalue emb(A) would
        # have twice
        wr, wi, vr, cplx = _eig_real(_w.real(a), compute_v)
        w, v = _complex_results(wr, wi, vr) if cplx else (wr, vr)
        return w.astype(cdt), (v.astype(cdt) if compute_v else None)
    wr, wi, vr, cplx = _eig_real(_emb(a), 1)
    if cplx:
        mu, big = _complex_results(wr, wi, vr)
    else:
        mu, big = wr, vr
    mu = mu.astype(cdt)
    big = big.astype(cdt)
    z = big[..., 0::2, :] + big[..., 1::2, :] * 1j                  # (..., n, 2n)
    r = z
    picks, vals = [], []
    for _ in range(n):
        nr = _w.sum(_w.real(r * _w.conj(r)), axis=-2)
        j = _w.argmax(nr, axis=-1)
        jj = _w.broadcast_to(j[..., None, None], batch + (n, 1))
        rc = _w.take_along_axis(r, jj, axis=-1)
        q = rc / _w.sqrt(_w.sum(_w.real(rc * _w.conj(rc)), axis=-2, keepdims=True))
        r = r - q * _w.sum(_w.conj(q) * r, axis=-2, keepdims=True)
        picks.append(_w.take_along_axis(z, jj, axis=-1))
        vals.append(_w.take_along_axis(mu, j[..., None], axis=-1))
    w = _w.concatenate(vals, axis=-1)
    v = _w.concatenate(picks, axis=-1)
    # zgeev's normalization: unit 2-norm, the largest component real
    mag = _w.real(v * _w.conj(v))
    k = _w.argmax(mag, axis=-2)[..., None, :]
    c = _w.take_along_axis(v, k, axis=-2)
    v = v * (_w.conj(c) / _w.abs(c)) / _w.sqrt(_w.sum(mag, axis=-2, keepdims=True))
    res = _w.max(_w.abs(_w.matmul(a, v) - v * w[..., None, :]))
    scale = max(float(_w.max(_w.abs(a))), 1e-30) * n
    eps = _eps(_real_dtype(cdt))
    if not float(res) <= scale * max(eps ** 0.5, 100 * n * eps):
        raise NotImplementedError('wgpy: linalg.eig of this complex matrix: the eigenvectors '
                                  'of its real embedding are not accurate enough to separate '
                                  'its eigenvalues from its conjugate\'s (eigenvalues of A '
                                  'close to conjugates of others)')
    return w, (v if compute_v else None)


def eig(a):
    """numpy.linalg.eig: real results when every eigenvalue is real, complex ones otherwise (as
    NumPy 2)."""
    a = _arr(a)
    if _is_complex(a):
        return EigResult(*_ceig(a, True))
    wr, wi, vr, cplx = _eig_real(a, 1)
    if cplx:
        wr, vr = _complex_results(wr, wi, vr)
    return EigResult(wr, vr)


def eigvals(a):
    """numpy.linalg.eigvals: real results when every eigenvalue is real, complex ones otherwise
    (as NumPy 2)."""
    a = _arr(a)
    if _is_complex(a):
        return _ceig(a, False)[0]
    wr, wi, _, cplx = _eig_real(a, 0)
    if cplx:
        wr = _complex_results(wr, wi, None)[0]
    return wr


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """numpy.linalg.svd (hermitian is accepted; the one-sided Jacobi SVD serves both)."""
    a = _arr(a)
    if _is_complex(a):
        return _csvd(a, full_matrices, compute_uv)
    uv = 1 if compute_uv else 0
    G, = _call(_lib.wg_linalg_svd_init, 1, a._h, uv)
    mt = max(a.shape[-2:]) if a.ndim >= 2 else 1

    def step(g):
        g2, f = _call(_lib.wg_linalg_svd_sweep, 2, g._h, mt)
        return g2, f

    G = _sweeps(step, G, 'SVD')
    s, u, vh = _call(lambda c, h, g, f, ps, pu, pv: _lib.wg_linalg_svd_finish(
        c, h, g, f, uv, pu, ps, pv), 3, a._h, G._h, 1 if full_matrices else 0)
    return SVDResult(u, s, vh) if compute_uv else s


def svdvals(x, /):
    return svd(x, compute_uv=False)


# ---- NumPy's compositions ----------------------------------------------------------------

def _eps(dt):
    return 1.1920928955078125e-07 if dt == _w.float32 else 2.220446049250313e-16


def pinv(a, rcond=None, hermitian=False, *, rtol=_NoValue):
    a = _arr(a)
    _check_2d(a)
    dt = _real_dtype(_complex_dtype(a)) if _is_complex(a) else _float_dtype(a)
    if rcond is None:
        if rtol is _NoValue:
            rcond = 1e-15
        elif rtol is None:
            rcond = max(a.shape[-2:]) * _eps(dt)
        else:
            rcond = rtol
    elif rtol is not _NoValue:
        raise ValueError("`rtol` and `rcond` can't be both set.")
    m, n = a.shape[-2:]
    if _is_complex(a):  # pinv(emb(A)) = emb(pinv(A)): the same singular values, each twice
        cdt = _complex_dtype(a)
        if a.size == 0:
            return _w.empty(a.shape[:-2] + (n, m), dtype=cdt)
        return _unemb(pinv(_emb(a.astype(cdt)), rcond))
    if a.size == 0:
        return _w.empty(a.shape[:-2] + (n, m), dtype=dt)
    u, s, vt = svd(a, full_matrices=False)
    rc = _w.asarray(rcond, dtype=dt)
    cutoff = rc[..., None] * _w.max(s, axis=-1, keepdims=True)
    large = s > cutoff
    sinv = _w.where(large, 1 / _w.where(large, s, 1), 0).astype(dt)
    return _w.matmul(_w.matrix_transpose(vt), sinv[..., None] * _w.matrix_transpose(u))


def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):
    if rtol is not None and tol is not None:
        raise ValueError("`tol` and `rtol` can't be both set.")
    A = _arr(A)
    if A.ndim < 2:
        return int(not bool(_w.all(A == 0)))
    if 0 in A.shape[-2:]:  # no singular values: rank 0 (NumPy's)
        return _w.count_nonzero(_w.zeros(A.shape[:-2] + (0,), dtype=bool), axis=-1)
    S = svdvals(A)
    if tol is None:
        if rtol is None:
            rtol = max(A.shape[-2:]) * _eps(S.dtype)
        else:
            rtol = _w.asarray(rtol, dtype=S.dtype)[..., None]
        tol = _max0(S, axis=-1, keepdims=True) * rtol
    else:
        tol = _w.asarray(tol, dtype=S.dtype)[..., None]
    return _w.count_nonzero(S > tol, axis=-1)


def lstsq(a, b, rcond=None):
    """numpy.linalg.lstsq through the SVD: x = V diag(1/s, s > rcond * s_max) U^T b.  rank is a
    Python int (one host read, as in NumPy)."""
    a = _arr(a)
    b = _arr(b)
    is_1d = b.ndim == 1
    if is_1d:
        b = b[:, None]
    if a.ndim != 2 or b.ndim != 2:
        raise LinAlgError('%d-dimensional array given. Array must be two-dimensional'
                          % (a.ndim if a.ndim != 2 else b.ndim))
    m, n = a.shape
    m2, k = b.shape
    if m != m2:
        raise LinAlgError('Incompatible dimensions')
    if _is_complex(a, b):
        cdt = _complex_dtype(a, b)
        if rcond is None:
            rcond = _eps(_real_dtype(cdt)) * max(n, m)
        x, resids, rank, s = lstsq(_emb(a.astype(cdt)), _emb_rows(b.astype(cdt)), rcond)
        x = _unemb_rows(x)
        return (x[:, 0] if is_1d else x), resids, rank // 2, _pair_mean(s)
    dt = _float_dtype(a, b)
    if rcond is None:
        rcond = _eps(dt) * max(n, m)
    a = a.astype(dt, copy=False)
    b = b.astype(dt, copy=False)
    if m == 0 or n == 0:  # rank 0; residuals |b|^2 when rank == n and m > n (NumPy's rule)
        x = _w.zeros((n, k), dtype=dt)
        s = _w.zeros((0,), dtype=dt)
        resids = _w.sum(b * b, axis=0) if n == 0 and m > 0 else _w.zeros((0,), dtype=dt)
        return (x[:, 0] if is_1d else x), resids, 0, s
    u, s, vt = svd(a, full_matrices=False)
    cutoff = rcond * _w.max(s)
    large = s > cutoff
    rank = int(_w.count_nonzero(large))
    sinv = _w.where(large, 1 / _w.where(large, s, 1), 0).astype(dt)
    x = _w.matmul(_w.matrix_transpose(vt), sinv[:, None] * _w.matmul(_w.matrix_transpose(u), b))
    if rank == n and m > n:
        r = _w.matmul(a, x) - b
        resids = _w.sum(r * r, axis=0)
    else:
        resids = _w.zeros((0,), dtype=dt)
    if is_1d:
        x = x[:, 0]
    return x, resids, rank, s


def cond(x, p=None):
    x = _arr(x)
    _check_2d(x)
    if x.size == 0:
        raise LinAlgError('cond is not defined on empty arrays')
    if p is None or p in (2, -2):
        s = svdvals(x)
        r = s[..., -1] / s[..., 0] if p == -2 else s[..., 0] / s[..., -1]
    else:
        _check_square(x)
        try:
            invx = inv(x)
        except LinAlgError:  # NumPy's inv under errstate('ignore') gives inf here
            invx = _w.full(x.shape, float('inf'), dtype=_float_dtype(x))
        r = norm(x, p, axis=(-2, -1)) * norm(invx, p, axis=(-2, -1))
    nan_mask = _w.isnan(r) & ~_w.any(_w.isnan(x), axis=(-2, -1))
    return _w.where(nan_mask, float('inf'), r).astype(r.dtype)


def matrix_power(a, n):
    a = _arr(a)
    _check_square(a)
    try:
        n = _operator.index(n)
    except TypeError as e:
        raise TypeError('exponent must be an integer') from e
    if n == 0:
        return _w.broadcast_to(_w.eye(a.shape[-2], dtype=a.dtype), a.shape).copy()
    if n < 0:
        a = inv(a)
        n = -n
    if n == 1:
        return a
    if n == 2:
        return _w.matmul(a, a)
    if n == 3:
        return _w.matmul(_w.matmul(a, a), a)
    z = result = None
    while n > 0:
        z = a if z is None else _w.matmul(z, z)
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else _w.matmul(result, z)
    return result


def multi_dot(arrays, *, out=None):
    """numpy.linalg.multi_dot: the product in NumPy's cheapest order (its dynamic program)."""
    arrays = [_arr(x) for x in arrays]
    n = len(arrays)
    if n < 2:
        raise ValueError('Expecting at least two arrays.')
    if n == 2:
        return _w.dot(arrays[0], arrays[1], out=out)
    ndim_first, ndim_last = arrays[0].ndim, arrays[-1].ndim
    if ndim_first == 1:
        arrays[0] = arrays[0][None, :]
    if ndim_last == 1:
        arrays[-1] = arrays[-1][:, None]
    for x in arrays:
        if x.ndim != 2:
            raise LinAlgError('%d-dimensional array given. Array must be two-dimensional'
                              % x.ndim)
    dims = [x.shape[0] for x in arrays] + [arrays[-1].shape[1]]
    m = [[0] * n for _ in range(n)]
    sp = [[0] * n for _ in range(n)]
    for ln in range(1, n):
        for i in range(n - ln):
            j = i + ln
            m[i][j] = None
            for k in range(i, j):
                c = m[i][k] + m[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if m[i][j] is None or c < m[i][j]:
                    m[i][j] = c
                    sp[i][j] = k

    def prod(i, j):
        if i == j:
            return arrays[i]
        return _w.dot(prod(i, sp[i][j]), prod(sp[i][j] + 1, j))

    r = prod(0, n - 1)
    if ndim_first == 1 and ndim_last == 1:
        r = r[0, 0]
    elif ndim_first == 1:
        r = r[0, :]
    elif ndim_last == 1:
        r = r[:, 0]
    if out is not None:
        out[...] = r
        return out
    return r


def _max0(x, axis=None, keepdims=False):
    """max(x, initial=0) of a non-negative x: 0 where the reduced axes are empty."""
    axes = range(x.ndim) if axis is None else (axis if isinstance(axis, tuple) else (axis,))
    if all(x.shape[a] for a in axes):
        return _w.max(x, axis=axis, keepdims=keepdims)
    return _w.sum(x, axis=axis, keepdims=keepdims)  # an empty sum: 0, in the right shape


def _normalize_axis(ax, nd):
    if not -nd <= ax < nd:
        raise _lib.AxisError('axis %d is out of bounds for array of dimension %d' % (ax, nd))
    return ax % nd


def _multi_svd_norm(x, row_axis, col_axis, op):
    y = _w.moveaxis(x, (row_axis, col_axis), (-2, -1))
    return op(svdvals(y), axis=-1)


def norm(x, ord=None, axis=None, keepdims=False):
    """numpy.linalg.norm: every ord, axis and keepdims NumPy accepts (its code)."""
    x = _arr(x)
    inf = float('inf')
    if x.dtype.kind == 'c':
        # every norm but the spectral ones depends on |x| alone (NumPy's complex norms); those
        # take the complex singular values
        matrix = (axis is None and x.ndim == 2 and ord is not None) or (
            isinstance(axis, tuple) and len(axis) == 2)
        if not (matrix and ord in (2, -2, 'nuc')):
            x = _w.abs(x)
    if x.dtype.kind not in 'fc':
        x = x.astype(_w.result_type(_w.float64))
    if axis is None:
        nd = x.ndim
        if ord is None or (ord in ('f', 'fro') and nd == 2) or (ord == 2 and nd == 1):
            x = x.ravel()
            ret = _w.sqrt(_w.sum(x * x))
            if keepdims:
                ret = ret.reshape(nd * [1])
            return ret
    nd = x.ndim
    if axis is None:
        axis = tuple(range(nd))
    elif not isinstance(axis, tuple):
        try:
            axis = int(axis)
        except Exception as e:
            raise TypeError("'axis' must be None, an integer or a tuple of integers") from e
        axis = (axis,)
    if len(axis) == 1:
        if isinstance(ord, str):
            raise ValueError("Invalid norm order '%s' for vectors" % ord)
        if ord == inf:
            return _max0(_w.abs(x), axis=axis, keepdims=keepdims)
        if ord == -inf:
            return _w.min(_w.abs(x), axis=axis, keepdims=keepdims)
        if ord == 0:
            return _w.sum((x != 0).astype(x.dtype), axis=axis, keepdims=keepdims)
        if ord == 1:
            return _w.sum(_w.abs(x), axis=axis, keepdims=keepdims)
        if ord is None or ord == 2:
            return _w.sqrt(_w.sum(x * x, axis=axis, keepdims=keepdims))
        ret = _w.sum(_w.abs(x) ** ord, axis=axis, keepdims=keepdims)
        return ret ** _w.asarray(1.0 / ord, dtype=ret.dtype)
    if len(axis) == 2:
        row_axis = _normalize_axis(axis[0], nd)
        col_axis = _normalize_axis(axis[1], nd)
        if row_axis == col_axis:
            raise ValueError('Duplicate axes given.')
        if ord == 2:
            ret = _multi_svd_norm(x, row_axis, col_axis, _max0)
        elif ord == -2:
            ret = _multi_svd_norm(x, row_axis, col_axis, _w.min)
        elif ord == 1:
            c = col_axis - 1 if col_axis > row_axis else col_axis
            ret = _max0(_w.sum(_w.abs(x), axis=row_axis), axis=c)
        elif ord == inf:
            r = row_axis - 1 if row_axis > col_axis else row_axis
            ret = _max0(_w.sum(_w.abs(x), axis=col_axis), axis=r)
        elif ord == -1:
            c = col_axis - 1 if col_axis > row_axis else col_axis
            ret = _w.min(_w.sum(_w.abs(x), axis=row_axis), axis=c)
        elif ord == -inf:
            r = row_axis - 1 if row_axis > col_axis else row_axis
            ret = _w.min(_w.sum(_w.abs(x), axis=col_axis), axis=r)
        elif ord in (None, 'fro', 'f'):
            ret = _w.sqrt(_w.sum(x * x, axis=axis))
        elif ord == 'nuc':
            ret = _multi_svd_norm(x, row_axis, col_axis, _w.sum)
        else:
            raise ValueError('Invalid norm order for matrices.')
        if keepdims:
            shape = list(x.shape)
            shape[axis[0]] = 1
            shape[axis[1]] = 1
            ret = ret.reshape(shape)
        return ret
    raise ValueError('Improper number of dimensions to norm.')


def matrix_norm(x, /, *, keepdims=False, ord='fro'):
    return norm(_arr(x), axis=(-2, -1), keepdims=keepdims, ord=ord)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    x = _arr(x)
    shape = list(x.shape)
    if axis is None:
        x = x.ravel()
        _axis = 0
    elif isinstance(axis, tuple):
        nax = tuple(_normalize_axis(a, x.ndim) for a in axis)
        if len(set(nax)) != len(nax):
            raise ValueError('repeated axis')
        rest = tuple(i for i in range(x.ndim) if i not in nax)
        size = 1
        for i in nax:
            size *= x.shape[i]
        x = _w.transpose(x, nax + rest).reshape((size,) + tuple(x.shape[i] for i in rest))
        _axis = 0
    else:
        _axis = axis
    res = norm(x, axis=_axis, ord=ord)
    if keepdims:
        axes = range(len(shape)) if axis is None else (
            axis if isinstance(axis, tuple) else (axis,))
        for i in axes:
            shape[_normalize_axis(i, len(shape))] = 1
        res = res.reshape(tuple(shape))
    return res


def tensorsolve(a, b, axes=None):
    a = _arr(a)
    b = _arr(b)
    an = a.ndim
    if axes is not None:
        allaxes = list(range(an))
        for k in axes:
            allaxes.remove(k)
            allaxes.insert(an, k)
        a = a.transpose(allaxes)
    oldshape = a.shape[-(an - b.ndim):]
    prod = 1
    for k in oldshape:
        prod *= k
    if a.size != prod ** 2:
        raise LinAlgError('Input arrays must satisfy the requirement '
                          'prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])')
    a = a.reshape(prod, prod)
    b = b.ravel()
    return solve(a, b).reshape(oldshape)


def tensorinv(a, ind=2):
    a = _arr(a)
    oldshape = a.shape
    prod = 1
    if ind > 0:
        invshape = oldshape[ind:] + oldshape[:ind]
        for k in oldshape[ind:]:
            prod *= k
    else:
        raise ValueError('Invalid ind argument.')
    a = a.reshape(prod, -1)
    return inv(a).reshape(*invshape)


# ---- the array API's names (re-exported from wgpy's module level) --------------------------

def diagonal(x, /, *, offset=0):
    return _w.diagonal(x, offset=offset, axis1=-2, axis2=-1)


def trace(x, /, *, offset=0, dtype=None):
    return _w.trace(x, offset=offset, axis1=-2, axis2=-1, dtype=dtype)


def outer(x1, x2, /):
    x1 = _arr(x1)
    x2 = _arr(x2)
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError('Input arrays must be one-dimensional, but they are x1.ndim=%d and '
                         'x2.ndim=%d.' % (x1.ndim, x2.ndim))
    return _w.outer(x1, x2)


def cross(x1, x2, /, *, axis=-1):
    x1 = _arr(x1)
    x2 = _arr(x2)
    if x1.shape[axis] != 3 or x2.shape[axis] != 3:
        raise ValueError('Both input arrays must be (arrays of) 3-dimensional vectors, but they '
                         'are %d and %d dimensional instead.'
                         % (x1.shape[axis], x2.shape[axis]))
    return _w.cross(x1, x2, axis=axis)


matmul = _w.matmul
matrix_transpose = _w.matrix_transpose
tensordot = _w.tensordot
vecdot = _w.vecdot

__all__ = ['LinAlgError', 'solve', 'inv', 'det', 'slogdet', 'cholesky', 'qr', 'eigh', 'eigvalsh',
           'eig', 'eigvals', 'svd', 'svdvals', 'pinv', 'matrix_rank', 'lstsq', 'cond',
           'matrix_power', 'multi_dot', 'norm', 'matrix_norm', 'vector_norm', 'tensorsolve',
           'tensorinv', 'diagonal', 'trace', 'outer', 'cross', 'matmul', 'matrix_transpose',
           'tensordot', 'vecdot']
