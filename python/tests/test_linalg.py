"""numpy.linalg: the decompositions (LU, Cholesky, QR, eigh, SVD) against numpy, batched, empty,
singular and badly shaped inputs, NumPy's compositions (norm, cond, pinv, lstsq...), and the
float32 / float64 accuracy bounds of docs/linalg.md.

Factors that are unique only up to signs (Q, eigenvectors, singular vectors) are compared through
what is unique: reconstructions, Gram matrices, absolute values of triangular factors."""

import math

import pytest

from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose

# float32 factorizations of the small well-conditioned matrices below agree with LAPACK's to a few
# ulps of their norm; 1e-4 leaves room for the different operation orders.
TOL = {'float32': 1e-4, 'default': 1e-9}


def spd(xp, shape, seed=1):
    """Symmetric positive definite (..., n, n): a a^T + n I."""
    a = testing.shaped_random(shape, xp, 'float32', seed=seed, scale=2, low=-1)
    n = shape[-1]
    return xp.matmul(a, xp.swapaxes(a, -1, -2)) + n * xp.eye(n, dtype='float32')


def wellcond(xp, shape, seed=1):
    """A diagonally dominant (..., n, n) matrix (non-symmetric)."""
    a = testing.shaped_random(shape, xp, 'float32', seed=seed, scale=2, low=-1)
    n = shape[-1]
    return a + (n + 1) * xp.eye(n, dtype='float32')


def mT(xp, a):
    return xp.swapaxes(a, -1, -2)


# ---- LU: solve, inv, det, slogdet ----------------------------------------------------------

SOLVE_SHAPES = [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 1)), ((2, 3, 3), (3,)),
                ((4, 1, 3, 3), (2, 3, 2)), ((1, 1), (1,)), ((5, 5), (5, 5)), ((0, 0), (0,)),
                ((2, 0, 0), (2, 0, 3)), ((3, 3), (3, 0)), ((0, 4, 4), (0, 4, 2)),
                ((17, 17), (17, 3)), ((2, 100, 100), (2, 100, 3)), ((200, 200), (200,))]


@pytest.mark.parametrize('sa,sb', SOLVE_SHAPES)
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_solve(xp, sa, sb):
    a = wellcond(xp, sa)
    b = testing.shaped_random(sb, xp, 'float32', seed=2, scale=4, low=-2)
    return xp.linalg.solve(a, b)


@pytest.mark.parametrize('dt', ['float32', 'int32', 'bool', 'int8', 'float64'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL, accept_error=True)
def test_solve_dtypes(xp, dt):
    a = (wellcond(xp, (4, 4)) * 2).astype(dt)
    b = testing.shaped_random((4, 2), xp, 'int32', seed=3, scale=5)
    return xp.linalg.solve(a, b), xp.linalg.inv(a), xp.linalg.det(a)


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_solve_needs_pivoting(xp):
    a = xp.asarray([[0., 1., 2.], [1., 0., 3.], [4., -3., 8.]], dtype='float32')
    b = xp.asarray([1., 2., 3.], dtype='float32')
    return xp.linalg.solve(a, b), xp.linalg.inv(a), xp.linalg.det(a), xp.linalg.slogdet(a)


@pytest.mark.parametrize('shape', [(3, 3), (2, 4, 4), (2, 1, 5, 5), (1, 1), (0, 0), (3, 0, 0),
                                   (9, 9)])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_inv_det_slogdet(xp, shape):
    a = wellcond(xp, shape, seed=4)
    s, l = xp.linalg.slogdet(a)
    return xp.linalg.inv(a), xp.linalg.det(a), s, l


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_det_signs(xp):
    # permutations and negative pivots: sign from both
    a = xp.asarray([[[0., 1.], [1., 0.]], [[-2., 0.], [0., 3.]], [[0., -1.], [-1., 0.]],
                    [[1., 2.], [3., 4.]]], dtype='float32')
    s, l = xp.linalg.slogdet(a)
    return xp.linalg.det(a), s, l


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_det_singular(xp):
    a = xp.asarray([[[1., 2.], [2., 4.]], [[0., 0.], [0., 0.]], [[1., 2.], [3., 4.]]],
                   dtype='float32')
    s, l = xp.linalg.slogdet(a)
    return xp.linalg.det(a), s, l


@pytest.mark.parametrize('fn', ['solve', 'inv'])
@numpy_wgpy_allclose(accept_error=True)
def test_singular_raises(xp, fn):
    a = xp.asarray([[[1., 2.], [3., 4.]], [[1., 2.], [2., 4.]]], dtype='float32')
    if fn == 'inv':
        return xp.linalg.inv(a)
    return xp.linalg.solve(a, xp.ones((2, 2, 1), dtype='float32'))


@pytest.mark.parametrize('fn', ['solve', 'inv', 'det', 'slogdet', 'cholesky', 'eigh',
                                'eigvalsh'])
@pytest.mark.parametrize('shape', [(3,), (), (2, 3), (4, 2, 3)])
@numpy_wgpy_allclose(accept_error=True)
def test_shapes_refused(xp, fn, shape):
    a = xp.ones(shape, dtype='float32')
    f = getattr(xp.linalg, fn)
    if fn == 'solve':
        return f(a, xp.ones(shape[:-1] or (1,), dtype='float32'))
    return f(a)


@pytest.mark.parametrize('case', ['nan_pivot', 'nan_in_b', 'inf'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL, accept_error=True)
def test_solve_nonfinite(xp, case):
    nan, inf = float('nan'), float('inf')
    a = {'nan_pivot': [[nan, 1.], [1., 1.]], 'nan_in_b': [[2., 1.], [1., 1.]],
         'inf': [[inf, 1.], [1., 1.]]}[case]
    b = [nan, 1.] if case == 'nan_in_b' else [1., 1.]
    a = xp.asarray(a, dtype='float32')
    return xp.linalg.solve(a, xp.asarray(b, dtype='float32')), xp.linalg.det(a)


@pytest.mark.parametrize('sb', [(4,), (2, 3), (3, 2, 1), (2, 4, 2)])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL, accept_error=True)
def test_solve_b_shapes(xp, sb):
    a = wellcond(xp, (3, 3))
    return xp.linalg.solve(a, xp.ones(sb, dtype='float32'))


def test_linalgerror_class():
    import wgpy as wp
    try:
        import numpy as np
    except ImportError:
        np = None
    assert issubclass(wp.linalg.LinAlgError, ValueError)
    with pytest.raises(wp.linalg.LinAlgError, match='Singular matrix'):
        wp.linalg.inv(wp.zeros((2, 2), dtype='float32'))
    if np is not None:
        with pytest.raises(np.linalg.LinAlgError):
            wp.linalg.inv(wp.zeros((2, 2), dtype='float32'))
    try:
        h = wp.ones((2, 2), dtype='float16')
    except NotImplementedError:  # webgpu without 16-bit floats
        return
    with pytest.raises(TypeError):
        wp.linalg.inv(h)


# ---- Cholesky ----------------------------------------------------------------------------

@pytest.mark.parametrize('shape', [(1, 1), (3, 3), (2, 4, 4), (3, 1, 6, 6), (0, 0), (2, 0, 0),
                                   (16, 16), (2, 100, 100), (200, 200)])
@pytest.mark.parametrize('upper', [False, True])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_cholesky(xp, shape, upper):
    a = spd(xp, shape)
    # only the lower triangle is read: garbage above must not matter
    a = a + xp.triu(xp.ones(shape, dtype='float32'), 1) * 7 if not upper else a
    return xp.linalg.cholesky(a, upper=upper)


@pytest.mark.parametrize('case', ['negative', 'zero', 'indefinite', 'nan', 'one_of_batch'])
@numpy_wgpy_allclose(accept_error=True)
def test_cholesky_not_pd(xp, case):
    a = {'negative': [[-1., 0.], [0., 1.]], 'zero': [[0., 0.], [0., 0.]],
         'indefinite': [[1., 2.], [2., 1.]], 'nan': [[float('nan'), 0.], [0., 1.]],
         'one_of_batch': [[[2., 0.], [0., 2.]], [[1., 3.], [3., 1.]]]}[case]
    return xp.linalg.cholesky(xp.asarray(a, dtype='float32'))


@pytest.mark.parametrize('fn', ['solve', 'inv', 'cholesky', 'slogdet'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_blocked_gpu_kernels(xp, fn):
    """The GPU's blocked kernels (what webgpu runs on a GPU adapter: chol_panel and its split
    products, lu_rpanel, lu_cols, lu_bsolve (solve) and lu_bdiag (inv) over 256 threads) forced
    here, where the CPU-like devices' run by default.  Cholesky 330^2 on cpu splits its products
    over K; slogdet of a random 300^2 on cpu has rows swapped across panels and their halves and
    rows 256.. in each thread's second slot; elsewhere 130^2 (panels of 64, 64 and 2)."""
    import wgpy as wp
    if wp.config.backend == 'webgl2':
        pytest.skip('webgl2 runs the per-column gathers')
    n = 330 if fn == 'cholesky' and wp.config.backend == 'cpu' else 130
    old = xp.linalg._set_linalg_path('gpu') if xp is wp else None
    try:
        if fn == 'cholesky':
            return xp.linalg.cholesky(spd(xp, (n, n)))
        if fn == 'slogdet':  # not diagonally dominant: rows swap; 300 rows: 2 per thread
            n = 300 if wp.config.backend == 'cpu' else n
            a = testing.shaped_random((n, n), xp, 'float32', seed=3, scale=2, low=-1)
            s, ld = xp.linalg.slogdet(a)
            return s, ld / n
        a = wellcond(xp, (2, n, n))
        if fn == 'inv':
            return xp.linalg.inv(a)
        # 2 right-hand sides: the back substitution's one-launch form (lu_bsolve, <= 4)
        return xp.linalg.solve(a, testing.shaped_random((2, n, 2), xp, 'float32', seed=2))
    finally:
        if old is not None:
            xp.linalg._set_linalg_path(old)


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_blocked_views(xp):
    """F-ordered and strided inputs of two panels: the blocked factorizations work in place on a
    C-contiguous copy (astype's copy would keep the F order the kernels' strides do not)."""
    a = spd(xp, (70, 70))
    junk = a + xp.triu(xp.ones((70, 70), dtype='float32'), 1) * 7
    w = wellcond(xp, (70, 70), seed=5)
    wide = xp.repeat(w, 2, axis=1)[:, ::2]
    return (xp.linalg.cholesky(junk.T.copy().T), xp.linalg.slogdet(w.T.copy().T)[1],
            xp.linalg.solve(wide, xp.ones(70, dtype='float32')))


@pytest.mark.parametrize('fn', ['cholesky', 'solve', 'inv', 'slogdet'])
def test_blocked_launches(fn):
    """The blocked factorizations (cpu, webgpu) launch a few kernels per panel of 64 columns:
    at most n / 6 for n = 256 (the per-column gathers, webgl2's, launch at least n; the GPU's
    LU 18 for solve, 25 for inv)."""
    import wgpy as wp
    if wp.config.backend == 'webgl2':
        pytest.skip('webgl2 runs the per-column gathers')
    n = 256
    a = wp.eye(n, dtype='float32') * 2 + 0.001
    b = wp.ones((n, 1), dtype='float32')
    float(a[0, 0]), float(b[0, 0])  # (no numpy in Pyodide: reads by element)
    wp.reset_counters()
    r = wp.linalg.solve(a, b) if fn == 'solve' else getattr(wp.linalg, fn)(a)
    float((r[1] if fn == 'slogdet' else r).ravel()[0])
    assert 0 < wp.counters()['kernels_launched'] <= n // 6


# ---- QR ----------------------------------------------------------------------------------

QR_SHAPES = [(4, 4), (5, 3), (3, 5), (2, 6, 4), (2, 1, 3, 4), (1, 1), (6, 1), (1, 6), (0, 3),
             (3, 0), (12, 9)]


@pytest.mark.parametrize('shape', QR_SHAPES)
@pytest.mark.parametrize('mode', ['reduced', 'complete'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_qr(xp, shape, mode):
    a = testing.shaped_random(shape, xp, 'float32', seed=5, scale=4, low=-2)
    q, r = xp.linalg.qr(a, mode=mode)
    return q.shape, r.shape, xp.abs(r), xp.matmul(q, r), xp.matmul(mT(xp, q), q)


@pytest.mark.parametrize('shape', QR_SHAPES)
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_qr_r_raw(xp, shape):
    a = testing.shaped_random(shape, xp, 'float32', seed=6, scale=4, low=-2)
    r = xp.linalg.qr(a, mode='r')
    h, tau = xp.linalg.qr(a, mode='raw') if len(shape) == 2 else (r, r)
    return xp.abs(r), h, tau


@numpy_wgpy_allclose(accept_error=True)
def test_qr_bad_mode(xp):
    return xp.linalg.qr(xp.ones((2, 2), dtype='float32'), mode='bogus')


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_qr_rank_deficient(xp):
    a = xp.asarray([[1., 2., 3.], [2., 4., 6.], [0., 0., 0.], [1., 2., 3.]], dtype='float32')
    q, r = xp.linalg.qr(a)
    return xp.matmul(q, r), xp.matmul(mT(xp, q), q)


# ---- symmetric eigenproblem --------------------------------------------------------------

EIG_SHAPES = [(1, 1), (2, 2), (3, 3), (5, 5), (2, 4, 4), (2, 1, 3, 3), (0, 0), (3, 0, 0),
              (16, 16), (15, 15)]


@pytest.mark.parametrize('shape', EIG_SHAPES)
@pytest.mark.parametrize('uplo', ['L', 'U'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eigh(xp, shape, uplo):
    a = testing.shaped_random(shape, xp, 'float32', seed=7, scale=4, low=-2)
    w, v = xp.linalg.eigh(a, UPLO=uplo)
    # the matrix eigh saw: the chosen triangle mirrored
    t = xp.tril(a) if uplo == 'L' else xp.triu(a)
    s = t + mT(xp, t) - t * xp.eye(shape[-1], dtype='float32')
    return (w, xp.linalg.eigvalsh(a, UPLO=uplo), xp.matmul(v * w[..., None, :], mT(xp, v)) - s,
            xp.matmul(mT(xp, v), v))


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eigh_repeated(xp):
    a = xp.asarray([[2., 0., 0.], [0., 2., 0.], [0., 0., 1.]], dtype='float32')
    b = xp.ones((4, 4), dtype='float32')
    w, v = xp.linalg.eigh(b)
    return xp.linalg.eigvalsh(a), w, xp.matmul(v * w[None, :], mT(xp, v))


@numpy_wgpy_allclose(accept_error=True)
def test_eigh_bad_uplo(xp):
    return xp.linalg.eigh(xp.eye(2, dtype='float32'), UPLO='X')


# ---- SVD ---------------------------------------------------------------------------------

SVD_SHAPES = [(4, 4), (5, 3), (3, 5), (2, 6, 4), (2, 1, 3, 4), (1, 1), (6, 1), (1, 6), (0, 3),
              (3, 0), (2, 0, 2), (12, 9), (9, 12)]


@pytest.mark.parametrize('shape', SVD_SHAPES)
@pytest.mark.parametrize('full', [True, False])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_svd(xp, shape, full):
    a = testing.shaped_random(shape, xp, 'float32', seed=8, scale=4, low=-2)
    u, s, vh = xp.linalg.svd(a, full_matrices=full)
    k = min(shape[-2:])
    rec = xp.matmul(u[..., :, :k] * s[..., None, :], vh[..., :k, :])
    return (u.shape, vh.shape, s, xp.linalg.svd(a, compute_uv=False), xp.linalg.svdvals(a), rec,
            xp.matmul(mT(xp, u), u), xp.matmul(vh, mT(xp, vh)))


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_svd_rank_deficient(xp):
    a = xp.asarray([[1., 2., 3., 4.], [2., 4., 6., 8.], [0., 1., 0., 1.], [1., 3., 3., 5.],
                    [0., 0., 0., 0.]], dtype='float32')
    u, s, vh = xp.linalg.svd(a)
    return s, xp.matmul(u[:, :4] * s, vh), xp.matmul(mT(xp, u), u), xp.matmul(vh, mT(xp, vh))


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_svd_zero(xp):
    u, s, vh = xp.linalg.svd(xp.zeros((3, 2), dtype='float32'))
    return s, xp.matmul(mT(xp, u), u), xp.matmul(vh, mT(xp, vh))


# ---- NumPy's compositions ----------------------------------------------------------------

@pytest.mark.parametrize('shape', [(4, 4), (5, 3), (3, 5), (2, 4, 3), (0, 3)])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_pinv(xp, shape):
    a = testing.shaped_random(shape, xp, 'float32', seed=9, scale=4, low=-2)
    return xp.linalg.pinv(a), xp.linalg.pinv(a, rtol=None), xp.linalg.pinv(a, rcond=0.3)


@pytest.mark.parametrize('shape', [(4, 4), (5, 3), (3, 5), (2, 4, 3), (4,), (0,)])
@numpy_wgpy_allclose()
def test_matrix_rank(xp, shape):
    a = testing.shaped_random(shape, xp, 'float32', seed=10, scale=4, low=-2)
    d = xp.asarray([[1., 2., 3.], [2., 4., 6.], [1., 0., 1.]], dtype='float32')
    return (xp.asarray(xp.linalg.matrix_rank(a)), xp.asarray(xp.linalg.matrix_rank(d)),
            xp.asarray(xp.linalg.matrix_rank(d, tol=10.0)),
            xp.asarray(xp.linalg.matrix_rank(xp.zeros((3, 3), dtype='float32'))))


@pytest.mark.parametrize('sa,sb', [((6, 3), (6,)), ((6, 3), (6, 2)), ((3, 3), (3,)),
                                   ((3, 5), (3, 2))])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_lstsq(xp, sa, sb):
    a = testing.shaped_random(sa, xp, 'float32', seed=11, scale=4, low=-2)
    b = testing.shaped_random(sb, xp, 'float32', seed=12, scale=4, low=-2)
    x, res, rank, s = xp.linalg.lstsq(a, b)
    return x, res, xp.asarray(int(rank)), s


@pytest.mark.parametrize('sa,sb', [((0, 3), (0,)), ((3, 0), (3,)), ((3, 0), (3, 2)),
                                   ((0, 0), (0, 1))])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_lstsq_empty(xp, sa, sb):
    b = xp.ones(sb, dtype='float32')
    x, res, rank, s = xp.linalg.lstsq(xp.zeros(sa, dtype='float32'), b)
    return x, res, xp.asarray(int(rank)), s


@numpy_wgpy_allclose(accept_error=True)
def test_lstsq_bad(xp):
    return xp.linalg.lstsq(xp.ones((3, 2), dtype='float32'), xp.ones((4,), dtype='float32'))


@pytest.mark.parametrize('p', [None, 2, -2, 1, -1, float('inf'), -float('inf'), 'fro', 'nuc'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_cond(xp, p):
    a = wellcond(xp, (2, 4, 4), seed=13)
    return xp.linalg.cond(a, p)


@pytest.mark.parametrize('n', [0, 1, 2, 3, 5, 6, -1, -3])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_matrix_power(xp, n):
    a = wellcond(xp, (2, 3, 3), seed=14) / 4
    return xp.linalg.matrix_power(a, n)


@numpy_wgpy_allclose(accept_error=True)
def test_matrix_power_bad(xp):
    return xp.linalg.matrix_power(xp.eye(2, dtype='float32'), 1.5)


@pytest.mark.parametrize('shapes', [[(3, 4), (4, 5), (5, 2)], [(4,), (4, 5), (5, 2), (2,)],
                                    [(2, 3), (3, 3), (3, 6), (6, 1), (1, 4)],
                                    [(3,), (3, 2)]])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_multi_dot(xp, shapes):
    arrs = [testing.shaped_random(s, xp, 'float32', seed=20 + i, scale=2, low=-1)
            for i, s in enumerate(shapes)]
    return xp.linalg.multi_dot(arrs)


VEC_ORDS = [None, 2, 1, 0, 3, 0.5, -1, float('inf'), -float('inf')]
MAT_ORDS = [None, 'fro', 'nuc', 1, -1, 2, -2, float('inf'), -float('inf')]


@pytest.mark.parametrize('ord', VEC_ORDS)
@pytest.mark.parametrize('keepdims', [False, True])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_norm_vector(xp, ord, keepdims):
    a = testing.shaped_random((3, 4), xp, 'float32', seed=15, scale=4, low=-2)
    v = a[0]
    return (xp.linalg.norm(v, ord, keepdims=keepdims),
            xp.linalg.norm(a, ord, axis=1, keepdims=keepdims),
            xp.linalg.norm(a, ord, axis=-2, keepdims=keepdims),
            xp.linalg.vector_norm(a, ord=2 if ord is None else ord, axis=(0, 1),
                                 keepdims=keepdims))


@pytest.mark.parametrize('ord', MAT_ORDS)
@pytest.mark.parametrize('keepdims', [False, True])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_norm_matrix(xp, ord, keepdims):
    a = testing.shaped_random((2, 3, 4), xp, 'float32', seed=16, scale=4, low=-2)
    return (xp.linalg.norm(a[0], ord, keepdims=keepdims),
            xp.linalg.norm(a, ord, axis=(2, 0), keepdims=keepdims),
            xp.linalg.matrix_norm(a, ord='fro' if ord is None else ord, keepdims=keepdims))


@pytest.mark.parametrize('args', [dict(ord='fro', axis=0), dict(ord='bad', axis=(0, 1)),
                                  dict(axis=(0, 0)), dict(axis=(0, 1, 2)), dict(ord=3)])
@numpy_wgpy_allclose(accept_error=True)
def test_norm_errors(xp, args):
    return xp.linalg.norm(xp.ones((2, 3, 4), dtype='float32'), **args)


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_norm_int_and_plain(xp):
    a = testing.shaped_random((3, 3), xp, 'int32', seed=17, scale=7, low=-3)
    return xp.linalg.norm(a), xp.linalg.norm(a, 1), xp.linalg.vector_norm(a, ord=1)


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_tensorsolve_tensorinv(xp):
    a = wellcond(xp, (6, 6), seed=18).reshape(6, 2, 3)
    b = testing.shaped_random((6,), xp, 'float32', seed=19, scale=2, low=-1)
    a4 = wellcond(xp, (6, 6), seed=20).reshape(2, 3, 6)
    return (xp.linalg.tensorsolve(a, b), xp.linalg.tensorinv(a4, ind=2),
            xp.linalg.tensorinv(wellcond(xp, (4, 4)).reshape(4, 2, 2), ind=1))


@numpy_wgpy_allclose(accept_error=True)
def test_tensorsolve_bad(xp):
    return xp.linalg.tensorsolve(xp.ones((2, 3, 4), dtype='float32'),
                                 xp.ones((2,), dtype='float32'))


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_array_api_names(xp):
    a = testing.shaped_random((2, 3, 3), xp, 'float32', seed=21, scale=4, low=-2)
    u = testing.shaped_random((2, 3), xp, 'float32', seed=22, scale=4, low=-2)
    return (xp.linalg.diagonal(a), xp.linalg.diagonal(a, offset=1), xp.linalg.trace(a),
            xp.linalg.trace(a, offset=-1), xp.linalg.matrix_transpose(a),
            xp.linalg.outer(u[0], u[1]), xp.linalg.cross(u[0], u[1]), xp.linalg.vecdot(a, a),
            xp.linalg.tensordot(a, a[0], axes=2), xp.linalg.matmul(a, a))


@numpy_wgpy_allclose(accept_error=True)
def test_outer_cross_refuse(xp):
    try:
        xp.linalg.outer(xp.ones((2, 2), dtype='float32'), xp.ones(2, dtype='float32'))
    except ValueError:
        pass
    else:
        return 1
    return xp.linalg.cross(xp.ones(2, dtype='float32'), xp.ones(2, dtype='float32'))


# ---- accuracy (docs/linalg.md) -----------------------------------------------------------

def _residuals(wp, np, a, n):
    """The float32 residuals of every decomposition of a (n, n) random matrix, each divided by
    n * eps32."""
    eps = 2.0 ** -24
    A = wp.asarray(a)
    out = {}
    na = np.linalg.norm(a, 2)
    b = a[:, 0] * 0 + 1
    x = wp.asnumpy(wp.linalg.solve(A, wp.asarray(b))).astype(np.float64)
    out['solve'] = np.linalg.norm(a @ x - b) / (na * np.linalg.norm(x))
    xi = wp.asnumpy(wp.linalg.inv(A)).astype(np.float64)
    out['inv'] = np.linalg.norm(a @ xi - np.eye(n), 2) / (na * np.linalg.norm(xi, 2))
    q, r = (wp.asnumpy(t).astype(np.float64) for t in wp.linalg.qr(A))
    out['qr'] = np.linalg.norm(q @ r - a, 2) / na
    out['qr_orth'] = np.linalg.norm(q.T @ q - np.eye(n), 2)
    u, s, vh = (wp.asnumpy(t).astype(np.float64) for t in wp.linalg.svd(A))
    out['svd'] = np.linalg.norm((u * s) @ vh - a, 2) / na
    out['svd_orth'] = max(np.linalg.norm(u.T @ u - np.eye(n), 2),
                          np.linalg.norm(vh @ vh.T - np.eye(n), 2))
    out['svd_s'] = np.abs(s - np.linalg.svd(a, compute_uv=False)).max() / na
    sym = (a + a.T) / 2
    w, v = (wp.asnumpy(t).astype(np.float64) for t in wp.linalg.eigh(wp.asarray(sym)))
    ns = np.linalg.norm(sym, 2)
    out['eigh'] = np.linalg.norm((v * w) @ v.T - sym, 2) / ns
    out['eigh_orth'] = np.linalg.norm(v.T @ v - np.eye(n), 2)
    out['eigh_w'] = np.abs(w - np.linalg.eigvalsh(sym)).max() / ns
    spdm = a @ a.T + n * np.eye(n)
    l = wp.asnumpy(wp.linalg.cholesky(wp.asarray(spdm.astype(np.float32)))).astype(np.float64)
    out['cholesky'] = np.linalg.norm(l @ l.T - spdm, 2) / np.linalg.norm(spdm, 2)
    return {k: v / (n * eps) for k, v in out.items()}


# The bounds, in units of n * eps32 (docs/linalg.md has the measured values next to LAPACK's):
# LU, QR and Cholesky within 1; the Jacobi methods accumulate one rounding per rotation
# (sweeps * (n - 1) rotations of every element), so their residuals and orthogonality are within 5.
BOUNDS = {'solve': 1, 'inv': 1, 'qr': 1, 'qr_orth': 1, 'cholesky': 1, 'svd': 5, 'svd_orth': 5,
          'svd_s': 5, 'eigh': 5, 'eigh_orth': 5, 'eigh_w': 1}


@pytest.mark.native_only
@pytest.mark.parametrize('n', [8, 48, 100])
def test_float32_accuracy(n):
    import numpy as np
    import wgpy as wp
    a = np.random.default_rng(n).standard_normal((n, n)).astype(np.float32)
    res = _residuals(wp, np, a, n)
    bad = {k: v for k, v in res.items() if not v <= BOUNDS[k]}
    assert not bad, res


@pytest.mark.native_only
def test_float64_with_x64():
    """With 64-bit types on, the cpu backend matches numpy's float64 results to LAPACK's
    tolerance (1e-12 relative to the matrix's norm)."""
    import numpy as np
    import wgpy as wp
    if wp.config.backend != 'cpu' if hasattr(wp.config, 'backend') else False:
        pytest.skip('x64 arithmetic: cpu backend')
    was = wp.x64_enabled()
    wp.enable_x64(True)
    try:
        rng = np.random.default_rng(3)
        a = rng.standard_normal((3, 20, 20))
        b = rng.standard_normal((3, 20, 2))
        A = wp.asarray(a)
        assert A.dtype == np.float64
        na = np.abs(a).max()
        tol = 1e-12

        def close(x, y, scale=1.0):
            x = wp.asnumpy(x)
            assert x.dtype == np.float64
            err = np.abs(x - y).max() / scale
            assert err < tol, err

        close(wp.linalg.solve(A, wp.asarray(b)), np.linalg.solve(a, b), np.abs(
            np.linalg.solve(a, b)).max() * np.linalg.cond(a).max() * 1e-3)
        close(wp.linalg.det(A), np.linalg.det(a), np.abs(np.linalg.det(a)).max())
        close(wp.linalg.svd(A, compute_uv=False), np.linalg.svd(a, compute_uv=False), na)
        sym = a + np.swapaxes(a, -1, -2)
        close(wp.linalg.eigvalsh(wp.asarray(sym)), np.linalg.eigvalsh(sym), na)
        spdm = a @ np.swapaxes(a, -1, -2) + 20 * np.eye(20)
        close(wp.linalg.cholesky(wp.asarray(spdm)), np.linalg.cholesky(spdm), np.abs(spdm).max())
        q, r = wp.linalg.qr(A)
        close(wp.matmul(q, r), a, na)
        close(wp.abs(r), np.abs(np.linalg.qr(a)[1]), na)
    finally:
        wp.enable_x64(was)


def test_cupy_linalg_reexports():
    import cupy
    import wgpy as wp
    for name in ('solve', 'inv', 'det', 'slogdet', 'cholesky', 'qr', 'svd', 'eigh', 'eigvalsh',
                 'pinv', 'lstsq', 'matrix_rank', 'norm', 'tensorinv', 'tensorsolve',
                 'matrix_power', 'LinAlgError'):
        assert getattr(cupy.linalg, name) is getattr(wp.linalg, name)
    assert math.isclose(float(cupy.linalg.det(cupy.eye(3, dtype='float32') * 2)), 8.0)
