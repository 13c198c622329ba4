"""numpy.linalg.eig and eigvals (general real matrices): Hessenberg reduction and Francis
double-shift QR in the engine (docs/linalg.md, "eig").

Eigenvalues come in the Schur form's order (LAPACK's too, but balancing and rounding can order
them differently), so they are compared as sorted multisets; eigenvectors are unique only up to
a scale (unit 2-norm leaves a sign, or a phase), so they are checked through the residual
A V - V diag(w) and their norms.  Complex spectra: eig/eigvals give complex results, and the
tests also check the engine's LAPACK-style real results (wr, wi and the eigenvector pairs
v_j +- i v_j+1 as real columns) through linalg._eig_real."""

import math

import pytest

from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose

EPS32 = 2.0 ** -24
TOL = {'float32': 2e-4, 'default': 1e-9}


def mT(xp, a):
    return xp.swapaxes(a, -1, -2)


def rand(xp, shape, seed=1):
    """(..., n, n) with entries in [-1, 1): no structure, complex spectra in general."""
    return testing.shaped_random(shape, xp, 'float32', seed=seed, scale=2, low=-1)


def sym(xp, shape, seed=1):
    a = rand(xp, shape, seed)
    return (a + mT(xp, a)) * 0.5


def is_wgpy(xp):
    return getattr(xp, '__name__', '') != 'numpy'


def eig_parts(xp, a, compute_v=True):
    """(wr, wi, vr) as LAPACK's dgeev gives them, for numpy (from its complex results) and for
    wgpy (linalg._eig_real)."""
    if is_wgpy(xp):
        wr, wi, vr, _ = xp.linalg._eig_real(a, 1 if compute_v else 0)
        return wr, wi, vr
    if compute_v:
        w, v = xp.linalg.eig(a)
    else:
        w, v = xp.linalg.eigvals(a), None
    wr = xp.asarray(w.real, dtype=a.dtype)
    wi = xp.asarray(w.imag, dtype=a.dtype)
    if v is not None:
        # LAPACK's storage: the pair (w_j, conj w_j) as columns Re v_j, Im v_j
        vr = xp.where(xp.expand_dims(w.imag < 0, -2),
                      xp.roll(xp.asarray(v.imag, dtype=a.dtype), 1, axis=-1), v.real)
        vr = xp.asarray(vr, dtype=a.dtype)
    else:
        vr = None
    return wr, wi, vr


def residual(xp, a, wr, wi, vr):
    """max |A V - V W| / max(|A|, tiny) in real arithmetic, W the real block-diagonal form:
    A vr_j = wr vr_j - wi vr_j+1 and A vr_j+1 = wi vr_j + wr vr_j+1 for a pair (wi_j > 0)."""
    av = xp.matmul(a, vr)
    nxt = xp.roll(vr, -1, axis=-1)   # column j+1
    prv = xp.roll(vr, 1, axis=-1)    # column j-1
    wr_ = xp.expand_dims(wr, -2)
    wi_ = xp.expand_dims(wi, -2)
    vw = vr * wr_ + xp.where(wi_ > 0, -nxt * wi_, 0) + xp.where(wi_ < 0, -prv * wi_, 0)
    # for the second of a pair (wi < 0): A vr_j+1 = -wi_{j+1} vr_j + wr vr_j+1 (wi_{j+1} = -wi_j)
    scale = xp.maximum(xp.max(xp.abs(a), axis=(-2, -1), keepdims=True), 1e-30)
    return xp.max(xp.abs(av - vw) / scale, axis=(-2, -1)) if a.shape[-1] else xp.zeros(
        a.shape[:-2], dtype=a.dtype)


def col_norms(xp, vr, wi):
    """2-norms of the eigenvectors (a pair's: |Re|^2 + |Im|^2 over both columns)."""
    sq = xp.sum(vr * vr, axis=-2)
    pair = xp.where(wi > 0, sq + xp.roll(sq, -1, axis=-1),
                    xp.where(wi < 0, sq + xp.roll(sq, 1, axis=-1), sq))
    return xp.sqrt(pair)


# ---- real spectra: eig / eigvals return real arrays ----------------------------------------

REAL_SHAPES = [(4, 4), (1, 1), (2, 2), (3, 5, 5), (2, 1, 3, 3), (9, 9), (16, 16)]


@pytest.mark.parametrize('shape', REAL_SHAPES)
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eigvals_symmetric(xp, shape):
    a = sym(xp, shape)
    return xp.sort(xp.linalg.eigvals(a), axis=-1)


@pytest.mark.parametrize('shape', REAL_SHAPES)
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eig_symmetric_residual(xp, shape):
    a = sym(xp, shape, seed=2)
    w, v = xp.linalg.eig(a)
    zero = xp.zeros_like(w)
    return (xp.sort(w, axis=-1), residual(xp, a, w, zero, v),
            col_norms(xp, v, zero), w.dtype == v.dtype)


@pytest.mark.parametrize('n', [3, 6, 12])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eig_triangular(xp, n):
    """Upper triangular: already a Schur form; eigenvalues are the diagonal in order."""
    a = xp.triu(rand(xp, (n, n), seed=3)) + xp.diag(xp.arange(n, dtype='float32'))
    w, v = xp.linalg.eig(a)
    zero = xp.zeros_like(w)
    return w, residual(xp, a, w, zero, v), col_norms(xp, v, zero)


@pytest.mark.parametrize('n', [2, 4, 7])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eigvals_defective(xp, n):
    """Jordan blocks and repeated eigenvalues: only the eigenvalues are checked (the
    eigenvectors of a defective matrix are nearly parallel)."""
    j = 2 * xp.eye(n, dtype='float32') + xp.eye(n, k=1, dtype='float32')
    d = xp.asarray([float(k // 2) for k in range(n)], dtype='float32')
    rep = xp.triu(rand(xp, (n, n), seed=4)) * 0.5 + xp.diag(d) + xp.eye(n, k=1, dtype='float32')
    nil = xp.eye(n, k=1, dtype='float32')
    return (xp.linalg.eigvals(j), xp.sort(xp.linalg.eigvals(rep)),
            xp.linalg.eigvals(nil), xp.linalg.eig(j)[0])


@pytest.mark.parametrize('shape', [(0, 0), (2, 0, 0), (0, 3, 3), (0, 1, 1)])
@numpy_wgpy_allclose()
def test_eig_empty(xp, shape):
    a = xp.zeros(shape, dtype='float32')
    w, v = xp.linalg.eig(a)
    return w, v, xp.linalg.eigvals(a)


@pytest.mark.parametrize('dt', ['float32', 'float64', 'int32', 'int8', 'bool'])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL, accept_error=True)
def test_eig_dtypes(xp, dt):
    a = xp.asarray([[2, 1, 0], [1, 3, 1], [0, 1, 4]]).astype(dt)
    w, v = xp.linalg.eig(a)
    return xp.sort(xp.linalg.eigvals(a)), xp.sort(w), v.dtype == w.dtype


@pytest.mark.parametrize('case', ['nonsquare', '1d', '0d', 'nan', 'inf', 'float16'])
@numpy_wgpy_allclose(accept_error=True)
def test_eig_errors(xp, case):
    a = {'nonsquare': lambda: xp.zeros((2, 3), dtype='float32'),
         '1d': lambda: xp.zeros(3, dtype='float32'),
         '0d': lambda: xp.zeros((), dtype='float32'),
         'nan': lambda: xp.asarray([[1.0, float('nan')], [0.0, 1.0]], dtype='float32'),
         'inf': lambda: xp.asarray([[float('inf'), 0.0], [0.0, 1.0]], dtype='float32'),
         'float16': lambda: xp.eye(2, dtype='float16')}[case]()
    return xp.linalg.eigvals(a), xp.linalg.eig(a)[0]


# ---- complex spectra: LAPACK's real representation -----------------------------------------

@pytest.mark.parametrize('shape', [(2, 2), (3, 3), (5, 5), (8, 8), (2, 3, 6, 6), (16, 16)])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eig_general_real_parts(xp, shape):
    """Random matrices: the eigenvalues' real and imaginary parts as sorted multisets, the
    residual of the real eigenvector pairs (0) and their norms (1)."""
    a = rand(xp, shape, seed=5)
    wr, wi, vr = eig_parts(xp, a)
    return (xp.sort(wr, axis=-1), xp.sort(wi, axis=-1), residual(xp, a, wr, wi, vr),
            col_norms(xp, vr, wi))


@pytest.mark.parametrize('deg', [30, 90, 135, 180])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eig_rotation(xp, deg):
    """Rotations: eigenvalues cos t +- i sin t (purely imaginary pairs at 90 degrees), and a 3-D
    rotation about an axis (the axis is the real eigenvector)."""
    t = math.radians(deg)
    c, s = math.cos(t), math.sin(t)
    r2 = xp.asarray([[c, -s], [s, c]], dtype='float32')
    r3 = xp.asarray([[c, -s, 0], [s, c, 0], [0, 0, 1]], dtype='float32')
    out = []
    for a in (r2, r3):
        wr, wi, vr = eig_parts(xp, a)
        out += [xp.sort(wr), xp.sort(wi), residual(xp, a, wr, wi, vr)]
    return tuple(out)


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eigvals_companion(xp):
    """The companion matrix of (x - 1)(x - 2)(x^2 + 1)(x + 3): roots 1, 2, -3, +-i."""
    # x^5 + 0 x^4 - 7 x^3 + 6 x^2 - 7 x + 6 ... built from the coefficients below
    coef = [1.0, -0.0, -7.0, 6.0, -7.0, 6.0]   # (x-1)(x-2)(x+3)(x^2+1) expanded
    n = 5
    rows = [[-coef[1 + j] for j in range(n)]] + [[1.0 if j == i else 0.0 for j in range(n)]
                                               for i in range(n - 1)]
    a = xp.asarray(rows, dtype='float32')
    wr, wi, _ = eig_parts(xp, a, compute_v=False)
    return xp.sort(wr), xp.sort(wi)


@pytest.mark.parametrize('n', [6, 12])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eig_badly_scaled(xp, n):
    """D B D^-1 with D powers of 2 from 2^-10 to 2^10 (exact in float32): the eigenvalues are B's;
    without balancing (dgebal's scaling) the QR iteration's error would be eps ||D B D^-1||,
    thousands of times larger."""
    b = rand(xp, (n, n), seed=11)
    d = xp.asarray([2.0 ** ((7 * k) % 21 - 10) for k in range(n)], dtype='float32')
    a = b * d[:, None] / d[None, :]
    wr, wi, vr = eig_parts(xp, a)
    return xp.sort(wr), xp.sort(wi), col_norms(xp, vr, wi)


@pytest.mark.parametrize('shape', [(2, 2), (5, 5), (2, 3, 6, 6), (12, 12)])
@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eig_complex_results(xp, shape):
    """NumPy's complex results: w and v complex64, A v = v diag(w), unit columns; eigvals the
    same eigenvalues."""
    a = rand(xp, shape, seed=13)
    w, v = xp.linalg.eig(a)
    res = xp.max(xp.abs(xp.matmul(a, v) - v * w[..., None, :]), axis=(-2, -1))
    nrm = xp.sqrt(xp.sum(xp.abs(v) ** 2, axis=-2))
    ev = xp.linalg.eigvals(a)
    return (xp.sort(w.real, axis=-1), xp.sort(w.imag, axis=-1), res, nrm,
            xp.sort(ev.real, axis=-1), xp.sort(ev.imag, axis=-1),
            w.dtype == v.dtype, w.dtype.kind == 'c', ev.dtype.kind == 'c')


@numpy_wgpy_allclose(rtol=TOL, atol=TOL)
def test_eig_rotation_complex(xp):
    """90 degrees: eigenvalues +-i exactly (a purely imaginary pair)."""
    r = xp.asarray([[0.0, -1.0], [1.0, 0.0]], dtype='float32')
    w = xp.linalg.eigvals(r)
    return xp.sort(w.real), xp.sort(w.imag)


def test_eig_pairs_layout():
    """A pair is stored as (wi > 0, wi < 0) in adjacent positions with equal real parts, and
    the pair's vector has its largest component real (dgeev's normalisation)."""
    import wgpy as wp
    a = rand(wp, (7, 7), seed=9)
    wr, wi, vr, cplx = wp.linalg._eig_real(a, 1)
    assert cplx
    wr, wi, vr = wr.tolist(), wi.tolist(), vr.tolist()
    j = 0
    pairs = 0
    while j < 7:
        if wi[j] != 0:
            assert wi[j] > 0 and wi[j + 1] == -wi[j] and wr[j + 1] == wr[j], (wr, wi)
            mags = [vr[r][j] ** 2 + vr[r][j + 1] ** 2 for r in range(7)]
            k = max(range(7), key=lambda r: mags[r])
            assert vr[k][j + 1] == 0 and vr[k][j] != 0
            pairs += 1
            j += 2
        else:
            j += 1
    assert pairs >= 1


# ---- accuracy and x64 ------------------------------------------------------------------------

# Bounds in units of n * eps32 (docs/linalg.md has the measured values next to LAPACK's).
EIG_BOUNDS = {'res': 2, 'norm': 1, 'w': 10}


@pytest.mark.native_only
@pytest.mark.parametrize('n', [8, 32])
def test_eig_float32_accuracy(n):
    import numpy as np
    import wgpy as wp
    a = np.random.default_rng(n).standard_normal((n, n)).astype(np.float32)
    wr, wi, vr, _ = wp.linalg._eig_real(wp.asarray(a), 1)
    wr, wi, vr = (wp.asnumpy(x).astype(np.float64) for x in (wr, wi, vr))
    w = wr + 1j * wi
    v = vr.astype(complex)
    j = 0
    while j < n:
        if wi[j] != 0:
            v[:, j], v[:, j + 1] = vr[:, j] + 1j * vr[:, j + 1], vr[:, j] - 1j * vr[:, j + 1]
            j += 2
        else:
            j += 1
    a64 = a.astype(np.float64)
    na = np.linalg.norm(a64, 2)
    ref = np.linalg.eigvals(a64)
    # match each eigenvalue with its nearest reference (the multisets are equal up to error)
    err = max(np.abs(ref - x).min() for x in w) / na
    res = {'res': np.linalg.norm(a64 @ v - v * w, 2) / na,
           'norm': np.abs(np.linalg.norm(v, axis=0) - 1).max(),
           'w': err}
    res = {k: x / (n * EPS32) for k, x in res.items()}
    bad = {k: x for k, x in res.items() if not x <= EIG_BOUNDS[k]}
    assert not bad, res


@pytest.mark.native_only
def test_eig_float64_with_x64():
    """With 64-bit types on, the cpu backend computes in float64: eigenvalues as numpy's to
    1e-12 of the norm."""
    import numpy as np
    import wgpy as wp
    was = wp.x64_enabled()
    wp.enable_x64(True)
    try:
        a = np.random.default_rng(4).standard_normal((2, 12, 12))
        wr, wi, vr, _ = wp.linalg._eig_real(wp.asarray(a), 1)
        assert wr.dtype == np.float64 and vr.dtype == np.float64
        w = wp.asnumpy(wr) + 1j * wp.asnumpy(wi)
        ref = np.linalg.eigvals(a)
        for b in range(2):
            err = max(np.abs(ref[b] - x).min() for x in w[b]) / np.abs(a[b]).max()
            assert err < 1e-12, err
        s = a + np.swapaxes(a, -1, -2)
        w, v = wp.linalg.eig(wp.asarray(s))
        assert w.dtype == np.float64
        np.testing.assert_allclose(np.sort(wp.asnumpy(w)), np.linalg.eigvalsh(s),
                                   atol=1e-12 * np.abs(s).max())
    finally:
        wp.enable_x64(was)


@pytest.mark.native_only
def test_eig_hypothesis():
    """Property: for small integer matrices, the eigenvalues are numpy's (as multisets, matched
    to the nearest) and the eigenvector residual is small."""
    hyp = pytest.importorskip('hypothesis')
    st = pytest.importorskip('hypothesis.strategies')
    import numpy as np
    import wgpy as wp

    @hyp.settings(max_examples=40, deadline=None)
    @hyp.given(st.integers(1, 6).flatmap(
        lambda n: st.lists(st.integers(-4, 4), min_size=n * n, max_size=n * n)))
    def check(vals):
        n = int(round(math.sqrt(len(vals))))
        a = np.array(vals, dtype=np.float32).reshape(n, n)
        wr, wi, vr, _ = wp.linalg._eig_real(wp.asarray(a), 1)
        w = wp.asnumpy(wr).astype(np.float64) + 1j * wp.asnumpy(wi)
        ref = np.linalg.eigvals(a.astype(np.float64))
        na = max(np.abs(a).max(), 1.0)
        # defective integer matrices: eigenvalue error ~ eps^(1/k) for a k-block
        for x in w:
            assert np.abs(ref - x).min() <= 3e-2 * na, (a, w, ref)
        for x in ref:
            assert np.abs(w - x).min() <= 3e-2 * na, (a, w, ref)
        r = wp.asnumpy(residual(wp, wp.asarray(a), wr, wi, vr))
        assert r <= 1e-5 * n, (a, r)

    check()
