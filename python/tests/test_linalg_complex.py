"""numpy.linalg of complex64 (complex128 under x64) matrices against numpy: batches, empty
stacks, singular matrices (LinAlgError where NumPy raises it), non-Hermitian input to cholesky
and eigh (only one triangle is read, the diagonal's imaginary part ignored, as LAPACK), and the
matmul-based functions; nancumsum/nancumprod of complex arrays.

Factors unique only up to a unit phase per column (Q, eigenvectors, singular vectors) are
compared through what is unique: reconstructions, Gram matrices, absolute values of R."""

import pytest

from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose

# complex64 factorizations of the small well-conditioned matrices below agree with LAPACK's to
# a few ulps of their norm (the real embedding doubles the size: a little more rounding).
TOL = {'float32': 2e-4, 'complex64': 2e-4, 'default': 1e-9}


def crand(xp, shape, seed=1, scale=2, low=-1):
    re = testing.shaped_random(shape, xp, 'float32', seed=seed, scale=scale, low=low)
    im = testing.shaped_random(shape, xp, 'float32', seed=seed + 100, scale=scale, low=low)
    return re + im * 1j


def wellcond(xp, shape, seed=1):
    n = shape[-1]
    return crand(xp, shape, seed) + (n + 1) * xp.eye(n, dtype='float32')


def hpd(xp, shape, seed=1):
    """Hermitian positive definite: a a^H + n I."""
    a = crand(xp, shape, seed)
    n = shape[-1]
    return xp.matmul(a, cT(xp, a)) + n * xp.eye(n, dtype='float32')


def dft(xp, n):
    """The unitary DFT matrix (dense: a repeated eigenvalue's real eigenvectors in the
    embedding then mix the complex directions, the case the fallbacks handle)."""
    import math
    j = xp.arange(n, dtype='float32')
    ph = xp.outer(j, j) * (-2 * math.pi / n)
    return (xp.cos(ph) + 1j * xp.sin(ph)) / math.sqrt(n)


def cT(xp, a):
    return xp.conj(xp.swapaxes(a, -1, -2))


def mT(xp, a):
    return xp.swapaxes(a, -1, -2)


# ---- solve, inv, det, slogdet ------------------------------------------------------------

SOLVE_SHAPES = [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 1)), ((2, 3, 3), (3,)),
                ((4, 1, 3, 3), (2, 3, 2)), ((1, 1), (1,)), ((0, 0), (0,)),
                ((2, 0, 0), (2, 0, 3)), ((3, 3), (3, 0)), ((9, 9), (9, 2))]


@pytest.mark.parametrize('sa,sb', SOLVE_SHAPES)
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_solve(xp, sa, sb):
    return xp.linalg.solve(wellcond(xp, sa), crand(xp, sb, seed=2, scale=4, low=-2))


@pytest.mark.parametrize('da,db', [('complex64', 'float32'), ('float32', 'complex64'),
                                   ('complex64', 'int32'), ('complex128', 'complex64')])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_solve_mixed_dtypes(xp, da, db):
    a = wellcond(xp, (4, 4)) * 2
    a = (a if da.startswith('complex') else xp.real(a)).astype(da)
    b = testing.shaped_random((4, 2), xp, 'int32', seed=3, scale=5).astype(db)
    return xp.linalg.solve(a, b), xp.linalg.inv(a), xp.linalg.det(a)


@pytest.mark.parametrize('shape', [(3, 3), (2, 4, 4), (2, 1, 5, 5), (1, 1), (0, 0), (3, 0, 0),
                                   (9, 9)])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_inv_det_slogdet(xp, shape):
    a = wellcond(xp, shape, seed=4)
    s, l = xp.linalg.slogdet(a)
    return xp.linalg.inv(a), xp.linalg.det(a), s, l


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_det_pivoting_and_phases(xp):
    # zero leading entries (row exchanges), purely imaginary pivots
    a = xp.asarray([[[0, 1j], [1j, 0]], [[0, 2], [1 + 1j, 3]], [[1j, 2], [3, 4j]],
                    [[0, 0], [0, 0]], [[1, 1j], [1j, -1]]], dtype='complex64')
    s, l = xp.linalg.slogdet(a)
    return xp.linalg.det(a), s, l


@pytest.mark.parametrize('fn', ['solve', 'inv'])
@numpy_wgpy_allclose(accept_error=True)
def test_singular_raises(xp, fn):
    a = xp.asarray([[[1, 2j], [3, 4]], [[1, 1j], [1j, -1]]], dtype='complex64')
    if fn == 'inv':
        return xp.linalg.inv(a)
    return xp.linalg.solve(a, xp.ones((2, 2, 1), dtype='complex64'))


@pytest.mark.parametrize('fn', ['solve', 'inv', 'det', 'slogdet', 'cholesky', 'eigh',
                                'eigvalsh'])
@pytest.mark.parametrize('shape', [(3,), (2, 3)])
@numpy_wgpy_allclose(accept_error=True)
def test_shapes_refused(xp, fn, shape):
    a = xp.ones(shape, dtype='complex64')
    f = getattr(xp.linalg, fn)
    if fn == 'solve':
        return f(a, xp.ones(shape[:-1] or (1,), dtype='complex64'))
    return f(a)


# ---- Cholesky ----------------------------------------------------------------------------

@pytest.mark.parametrize('shape', [(1, 1), (3, 3), (2, 4, 4), (0, 0), (2, 0, 0), (9, 9)])
@pytest.mark.parametrize('upper', [False, True])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_cholesky(xp, shape, upper):
    a = hpd(xp, shape)
    # only one triangle is read, and the imaginary part of the diagonal is ignored (LAPACK's
    # zpotrf): garbage there must not matter
    n = shape[-1]
    junk = crand(xp, shape, seed=9) * 7
    junk = xp.triu(junk, 1) if not upper else xp.tril(junk, -1)
    a = a + junk + 3j * xp.eye(n, dtype='float32')
    return xp.linalg.cholesky(a, upper=upper)


@pytest.mark.parametrize('case', ['negative', 'zero', 'indefinite', 'one_of_batch'])
@numpy_wgpy_allclose(accept_error=True)
def test_cholesky_not_pd(xp, case):
    a = {'negative': [[-1, 0], [0, 1]], 'zero': [[0, 0], [0, 0]],
         'indefinite': [[1, 2j], [-2j, 1]],
         'one_of_batch': [[[2, 1j], [-1j, 2]], [[1, 3j], [-3j, 1]]]}[case]
    return xp.linalg.cholesky(xp.asarray(a, dtype='complex64'))


# ---- QR ----------------------------------------------------------------------------------

QR_SHAPES = [(4, 4), (5, 3), (3, 5), (2, 6, 4), (2, 1, 3, 4), (1, 1), (6, 1), (1, 6), (0, 3),
             (3, 0), (9, 7)]


@pytest.mark.parametrize('shape', QR_SHAPES)
@pytest.mark.parametrize('mode', ['reduced', 'complete'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_qr(xp, shape, mode):
    a = crand(xp, shape, seed=5, scale=4, low=-2)
    q, r = xp.linalg.qr(a, mode=mode)
    return (q.shape, r.shape, xp.abs(r), xp.abs(xp.linalg.qr(a, mode='r')), xp.matmul(q, r),
            xp.matmul(cT(xp, q), q))


@pytest.mark.parametrize('shape', [(4, 4), (5, 3), (3, 5), (2, 6, 4), (6, 1), (1, 6)])
@pytest.mark.parametrize('mode', ['reduced', 'complete'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_qr_factors_as_lapack(xp, shape, mode):
    # complex qr is LAPACK's zgeqr2/zung2r (api/lapack_complex.c), the algorithm NumPy's zgeqrf
    # runs: Q and R themselves agree with NumPy's, phases included
    a = crand(xp, shape, seed=7, scale=4, low=-2)
    q, r = xp.linalg.qr(a, mode=mode)
    return q, r


@pytest.mark.parametrize('mode', ['reduced', 'complete'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_qr_rank_deficient(xp, mode):
    # rank 1: rounding-level columns break the embedding's structure; the Householder fallback
    u = crand(xp, (4, 1), seed=32)
    v = crand(xp, (1, 3), seed=33)
    a = xp.stack([xp.matmul(u, v), xp.zeros((4, 3), dtype='complex64')])
    q, r = xp.linalg.qr(a, mode=mode)
    return xp.matmul(q, r), xp.matmul(cT(xp, q), q), xp.abs(xp.linalg.qr(a, mode='r'))


@pytest.mark.parametrize('shape', QR_SHAPES + ['triangular'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_qr_raw(xp, shape):
    # LAPACK's zgeqrf reflectors and tau exactly (not unique up to phases: compared as they are)
    if shape == 'triangular':  # zero columns below the diagonal: tau = 0 where Im(alpha) = 0
        a = xp.asarray([[1, 2j, 0], [0, 3, 1], [0, 0, 5j]], dtype='complex64')
    else:
        a = crand(xp, shape, seed=6, scale=4, low=-2)
    h, tau = xp.linalg.qr(a, mode='raw')
    return h, tau


# ---- Hermitian eigenproblem --------------------------------------------------------------

EIG_SHAPES = [(1, 1), (2, 2), (3, 3), (5, 5), (2, 4, 4), (2, 1, 3, 3), (0, 0), (3, 0, 0),
              (10, 10)]


@pytest.mark.parametrize('shape', EIG_SHAPES)
@pytest.mark.parametrize('uplo', ['L', 'U'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eigh(xp, shape, uplo):
    a = crand(xp, shape, seed=7, scale=4, low=-2)
    w, v = xp.linalg.eigh(a, UPLO=uplo)
    # the matrix eigh saw: the chosen triangle mirrored, the diagonal's real part
    n = shape[-1]
    t = xp.tril(a, -1) if uplo == 'L' else xp.triu(a, 1)
    h = t + cT(xp, t) + xp.real(a) * xp.eye(n, dtype='float32')
    return (w, xp.linalg.eigvalsh(a, UPLO=uplo), xp.matmul(v * w[..., None, :], cT(xp, v)) - h,
            xp.matmul(cT(xp, v), v))


@pytest.mark.parametrize('case', ['identity', 'scaled_blocks', 'rotated', 'dft'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eigh_repeated(xp, case):
    # repeated eigenvalues: the real embedding's eigenvectors are any basis of each
    # eigenspace; the complex ones must still be orthonormal
    if case == 'identity':
        a = xp.eye(4, dtype='complex64')
    elif case == 'scaled_blocks':
        a = xp.asarray([[2, 1j, 0], [-1j, 2, 0], [0, 0, 3]], dtype='complex64')  # 1, 3, 3
    elif case == 'dft':
        f = dft(xp, 6)
        a = xp.matmul(f * xp.asarray([1, 1, 1, 2, 2, 3], dtype='float32'), cT(xp, f))
    else:
        # U diag(1, 1, 2, 2, 5) U^H with U a Householder reflector (exact repeated eigenvalues)
        u = xp.asarray([1, 1j, 1 + 1j, 2, -1], dtype='complex64')
        q = xp.eye(5, dtype='complex64') - 2 / 8 * xp.outer(u, xp.conj(u))
        d = xp.asarray([1, 1, 2, 2, 5], dtype='float32')
        a = xp.matmul(q * d, cT(xp, q))
    w, v = xp.linalg.eigh(a)
    return w, xp.matmul(v * w[None, :], cT(xp, v)) - a, xp.matmul(cT(xp, v), v)


# ---- SVD and what is built on it ---------------------------------------------------------

SVD_SHAPES = [(4, 4), (5, 3), (3, 5), (2, 6, 4), (2, 1, 3, 4), (1, 1), (6, 1), (1, 6), (0, 3),
              (3, 0), (2, 0, 2), (9, 7)]


@pytest.mark.parametrize('shape', SVD_SHAPES)
@pytest.mark.parametrize('full', [True, False])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_svd(xp, shape, full):
    a = crand(xp, shape, seed=8, scale=4, low=-2)
    u, s, vh = xp.linalg.svd(a, full_matrices=full)
    k = min(shape[-2:])
    rec = xp.matmul(u[..., :, :k] * s[..., None, :], vh[..., :k, :])
    return (u.shape, vh.shape, s, xp.linalg.svd(a, compute_uv=False), xp.linalg.svdvals(a), rec,
            xp.matmul(cT(xp, u), u), xp.matmul(vh, cT(xp, vh)))


def _householder(xp, n):
    u = xp.asarray([1, 1j, 1 + 1j, 2, -1, 0.5j][:n], dtype='complex64')
    return xp.eye(n, dtype='complex64') - 2 / float(xp.sum(xp.abs(u) ** 2)) * xp.outer(
        u, xp.conj(u))


@pytest.mark.parametrize('case', ['scaled_identity', 'repeated', 'rank_deficient',
                                  'rank_deficient_wide', 'zeros', 'unitary', 'batch'])
@pytest.mark.parametrize('full', [True, False])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_svd_repeated(xp, case, full):
    # repeated singular values: the real embedding's singular vectors are any basis of each
    # singular subspace; the complex ones must still be unitary and reconstruct A
    q5, q4 = dft(xp, 5), dft(xp, 4)
    if case == 'scaled_identity':
        a = xp.eye(3, dtype='complex64') * (1 + 1j)
    elif case in ('repeated', 'rank_deficient', 'rank_deficient_wide'):
        d = {'repeated': [3, 3, 1, 1], 'rank_deficient': [3, 2, 0, 0],
             'rank_deficient_wide': [3, 3, 0, 0]}[case]
        a = xp.matmul(q5[:, :4] * xp.asarray(d, dtype='float32'), cT(xp, q4))
        if case == 'rank_deficient_wide':
            a = mT(xp, a)
    elif case == 'zeros':
        a = xp.zeros((3, 4), dtype='complex64')
    elif case == 'unitary':
        a = _householder(xp, 5)
    else:
        a = xp.stack([xp.eye(3), xp.diag(xp.asarray([1., 2., 3.]))]).astype('complex64')
    u, s, vh = xp.linalg.svd(a, full_matrices=full)
    k = s.shape[-1]
    rec = xp.matmul(u[..., :, :k] * s[..., None, :], vh[..., :k, :])
    return (u.shape, vh.shape, s, rec - a, xp.matmul(cT(xp, u), u), xp.matmul(vh, cT(xp, vh)))


@pytest.mark.parametrize('shape', [(4, 4), (5, 3), (3, 5), (2, 4, 3), (0, 3), (2, 0, 0)])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_pinv(xp, shape):
    a = crand(xp, shape, seed=10)
    return xp.linalg.pinv(a), xp.linalg.pinv(a, hermitian=False, rtol=1e-3)


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_pinv_rank_deficient(xp):
    u = crand(xp, (4, 1), seed=11)
    v = crand(xp, (1, 3), seed=12)
    a = xp.matmul(u, v)  # rank 1 (the default rcond, 1e-15, would keep float32's rounding)
    return xp.linalg.pinv(a, rtol=1e-4), xp.linalg.matrix_rank(a)


@pytest.mark.parametrize('sa,sb', [((5, 3), (5,)), ((5, 3), (5, 2)), ((3, 3), (3, 1)),
                                   ((3, 5), (3, 2)), ((0, 3), (0, 2)), ((3, 0), (3,))])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_lstsq(xp, sa, sb):
    a = crand(xp, sa, seed=13)
    b = crand(xp, sb, seed=14)
    x, res, rank, s = xp.linalg.lstsq(a, b)
    return x, res, int(rank), s


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_lstsq_mixed(xp):
    a = testing.shaped_random((4, 2), xp, 'float32', seed=15, scale=2, low=-1)
    b = crand(xp, (4,), seed=16)
    return xp.linalg.lstsq(a, b)[0], xp.linalg.lstsq(b[:, None], a)[0]


@pytest.mark.parametrize('shape', [(4, 4), (3, 5), (2, 3, 3), (0, 0)])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_matrix_rank(xp, shape):
    a = crand(xp, shape, seed=17)
    return xp.linalg.matrix_rank(a), xp.linalg.matrix_rank(a[..., :1] * xp.ones(
        shape[-1:], dtype='float32'))


NORM_ORDS = [None, 'fro', 'nuc', 1, -1, 2, -2, float('inf'), -float('inf')]


@pytest.mark.parametrize('ord', NORM_ORDS)
@pytest.mark.parametrize('shape,axis', [((3, 4), None), ((2, 3, 4), (-2, -1)),
                                        ((3, 2, 4), (2, 0))])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_matrix_norm(xp, ord, shape, axis):
    a = crand(xp, shape, seed=18)
    if axis is None:
        return xp.linalg.norm(a, ord)
    return xp.linalg.norm(a, ord, axis=axis), xp.linalg.norm(a, ord, axis=axis, keepdims=True)


@pytest.mark.parametrize('ord', [None, 0, 1, -1, 2, 3, 0.5, float('inf'), -float('inf')])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_vector_norm(xp, ord):
    a = crand(xp, (3, 5), seed=19)
    return xp.linalg.norm(a[0], ord), xp.linalg.norm(a, ord, axis=1)


@pytest.mark.parametrize('p', [None, 1, -1, 2, -2, 'fro', 'nuc', float('inf'), -float('inf')])
@numpy_wgpy_allclose(rtol=1e-3, atol=1e-3)
def test_cond(xp, p):
    return xp.linalg.cond(wellcond(xp, (2, 4, 4), seed=20), p)


# ---- matmul-based ------------------------------------------------------------------------

@pytest.mark.parametrize('n', [-3, -1, 0, 1, 2, 3, 5])
@numpy_wgpy_allclose(rtol=1e-3, atol=1e-3)
def test_matrix_power(xp, n):
    return xp.linalg.matrix_power(wellcond(xp, (2, 3, 3), seed=21) * 0.25, n)


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_products(xp):
    a = crand(xp, (3, 4), seed=22)
    b = crand(xp, (4, 2), seed=23)
    c = crand(xp, (2, 5), seed=24)
    v = crand(xp, (4,), seed=25)
    return (xp.linalg.multi_dot([a, b, c]), xp.linalg.multi_dot([v, b, c]), xp.matmul(a, b),
            xp.dot(a, v), xp.vdot(v, v), xp.inner(a, a), xp.outer(v, v), xp.linalg.outer(v, v),
            xp.tensordot(a, b, axes=1), xp.einsum('ij,jk->ik', a, b), xp.linalg.vecdot(v, v),
            xp.linalg.trace(xp.matmul(a, cT(xp, a))))


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_tensorsolve_tensorinv(xp):
    a = wellcond(xp, (6, 6), seed=26).reshape(6, 2, 3)
    b = crand(xp, (6,), seed=27)
    ainv = xp.linalg.tensorinv(wellcond(xp, (6, 6), seed=28).reshape(2, 3, 6), ind=2)
    return xp.linalg.tensorsolve(a, b), ainv


# ---- eig, eigvals -------------------------------------------------------------------------

def _sorted(xp, w):
    # rounded first: a real part of +-1e-17 must not decide the order
    return xp.sort_complex(xp.round(xp.reshape(w, (w.size,)), 4))


def _eig_results(xp, a):
    w, v = xp.linalg.eig(a)
    # the order of the eigenvalues is the Schur form's (LAPACK's and wgpy's differ): compare
    # them sorted, and the vectors through A v = w v and their unit norms
    return (_sorted(xp, w), _sorted(xp, xp.linalg.eigvals(a)),
            xp.matmul(a, v) - v * w[..., None, :],
            xp.sqrt(xp.sum(xp.abs(v) ** 2, axis=-2)))


@pytest.mark.parametrize('shape', [(1, 1), (2, 2), (3, 3), (5, 5), (2, 3, 3), (0, 0),
                                   (2, 0, 0)])
@numpy_wgpy_allclose(rtol=1e-3, atol=1e-3)
def test_eig(xp, shape):
    return _eig_results(xp, crand(xp, shape, seed=29, scale=4, low=-2))


@pytest.mark.parametrize('case', ['hermitian', 'real_valued', 'triangular', 'identity',
                                  'jordan', 'rotation', 'repeated'])
@numpy_wgpy_allclose(rtol=1e-3, atol=1e-3)
def test_eig_special(xp, case):
    if case == 'hermitian':
        a = hpd(xp, (4, 4))
    elif case == 'real_valued':
        a = testing.shaped_random((5, 5), xp, 'float32', seed=30, scale=4, low=-2).astype(
            'complex64')
    elif case == 'triangular':
        a = xp.triu(crand(xp, (4, 4), seed=31))
    elif case == 'identity':
        a = xp.eye(3, dtype='complex64')
    elif case == 'jordan':
        a = xp.asarray([[1j, 1], [0, 1j]], dtype='complex64')
    elif case == 'rotation':
        a = xp.asarray([[0, 1], [-1, 0]], dtype='complex64')
    else:
        a = xp.asarray([[1j, 0, 0], [0, 1j, 0], [0, 0, 2]], dtype='complex64')
    w = xp.linalg.eigvals(a)
    if case == 'jordan':  # defective: the vectors are parallel, only the values compare
        return _sorted(xp, w)
    return _eig_results(xp, a)


@pytest.mark.parametrize('case', ['nan', 'inf', 'nonsquare', 'one_d'])
@numpy_wgpy_allclose(accept_error=True)
def test_eig_errors(xp, case):
    a = {'nan': [[1j, float('nan')], [0, 1]], 'inf': [[1j, float('inf')], [0, 1]],
         'nonsquare': [[1j, 1, 2], [0, 1, 3]], 'one_d': [1j, 2]}[case]
    return xp.linalg.eig(xp.asarray(a, dtype='complex64'))


# ---- nancumsum / nancumprod --------------------------------------------------------------

@pytest.mark.parametrize('fn', ['nancumsum', 'nancumprod'])
@pytest.mark.parametrize('axis', [None, 0, 1, -1])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_nancum(xp, fn, axis):
    nan = float('nan')
    a = xp.asarray([[1 + 2j, complex(nan, 1), 0.5j], [3 - 1j, 2 + 1j, complex(1, nan)],
                    [1j, complex(nan, nan), 1 + 1j]], dtype='complex64')
    return getattr(xp, fn)(a, axis=axis), getattr(xp, fn)(a[:0], axis=axis)


# ---- 64-bit ------------------------------------------------------------------------------

@pytest.mark.native_only
def test_complex128_with_x64():
    """With 64-bit types on, the cpu backend matches numpy's complex128 results to LAPACK's
    tolerance."""
    import numpy as np
    import wgpy as wp
    if wp.get_backend_name() not in ('cpu', 'loopback'):
        pytest.skip('complex128 is the cpu backend\'s (GPU backends refuse 64-bit complex)')
    was = wp.x64_enabled()
    wp.enable_x64(True)
    try:
        rng = np.random.default_rng(5)
        a = rng.standard_normal((2, 12, 12)) + 1j * rng.standard_normal((2, 12, 12))
        b = rng.standard_normal((2, 12, 2)) + 1j * rng.standard_normal((2, 12, 2))
        A = wp.asarray(a)
        assert A.dtype == np.complex128
        tol = 1e-11

        def close(x, y):
            x = wp.asnumpy(x)
            assert x.dtype in (np.complex128, np.float64), x.dtype
            err = np.abs(x - y).max() / max(np.abs(y).max(), 1)
            assert err < tol, err

        close(wp.linalg.solve(A, wp.asarray(b)), np.linalg.solve(a, b))
        close(wp.linalg.inv(A), np.linalg.inv(a))
        close(wp.linalg.det(A), np.linalg.det(a))
        close(wp.linalg.svd(A, compute_uv=False), np.linalg.svd(a, compute_uv=False))
        h = a @ np.conj(np.swapaxes(a, -1, -2)) + 12 * np.eye(12)
        close(wp.linalg.eigvalsh(wp.asarray(h)), np.linalg.eigvalsh(h))
        close(wp.linalg.cholesky(wp.asarray(h)), np.linalg.cholesky(h))
        q, r = wp.linalg.qr(A)
        close(wp.matmul(q, r), a)
        close(wp.abs(r), np.abs(np.linalg.qr(a)[1]))
        close(wp.linalg.pinv(A), np.linalg.pinv(a))
    finally:
        wp.enable_x64(was)
