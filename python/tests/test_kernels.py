"""User kernels in CuPy's CUDA-C (ElementwiseKernel, ReductionKernel), compared with the NumPy
expression each one computes: every construct of the kernel language (docs/kernels.md), CuPy's
calling conventions and errors, fusion with neighbouring operations, the kernel cache."""

import pytest

import wgpy as wp
from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose, numpy_wgpy_array_equal


def _k(*args, **kw):
    return wp.ElementwiseKernel(*args, **kw)


def _r(*args, **kw):
    return wp.ReductionKernel(*args, **kw)


def _np(xp):
    return not testing.is_wgpy(xp)


# ---- basics -------------------------------------------------------------------------------

@pytest.mark.parametrize('dtype', ['float32', 'int32', 'int16', 'uint8', 'bool'])
@numpy_wgpy_array_equal()
def test_identity_types(xp, dtype):
    x = testing.shaped_arange((3, 4), xp, dtype)
    if _np(xp):
        return x.copy()
    return _k('T x', 'T y', 'y = x', 'copy_t')(x)


@numpy_wgpy_allclose()
def test_broadcast_and_scalar(xp):
    x = testing.shaped_arange((3, 4), xp, 'float32')
    y = testing.shaped_arange((4,), xp, 'float32')
    if _np(xp):
        return x * x + y * xp.float32(2.5)
    return _k('T x, T y, T a', 'T z', 'z = x * x + y * a', 'sq_axpy')(x, y, 2.5)


@numpy_wgpy_allclose()
def test_multiple_outputs_and_out_args(xp):
    x = testing.shaped_arange((5,), xp, 'float32')
    s = xp.zeros(5, dtype='float32')
    if _np(xp):
        return x + 1, x * 3, s + x
    k = _k('T x', 'T a, T b, T s', 'a = x + 1; b = a * 3 - 3; s += x', 'three')
    a = xp.empty(5, dtype='float32')
    b = xp.empty(5, dtype='float32')
    r = k(x, a, b, s)
    assert r[0] is a and r[2] is s
    return r


@numpy_wgpy_allclose()
def test_in_out_read_before_write(xp):
    """momentum SGD: both outputs are read first; p uses m's new value."""
    g = testing.shaped_arange((6,), xp, 'float32')
    m = testing.shaped_arange((6,), xp, 'float32', start=3)
    p = testing.shaped_arange((6,), xp, 'float32', start=10)
    if _np(xp):
        m2 = m * 0.9 - 0.1 * g
        return m2, p + m2
    k = _k('T g, T lr, T mom', 'T m, T p', 'm = mom * m - lr * g; p += m', 'momentum_sgd')
    k(g, 0.1, 0.9, m, p)
    return m, p


@numpy_wgpy_array_equal()
def test_concrete_param_types(xp):
    x = testing.shaped_arange((4,), xp, 'float32')
    n = testing.shaped_arange((4,), xp, 'int32')
    if _np(xp):
        return (x * n).astype('float32'), (n * 2).astype('int32')
    return _k('float32 x, int32 n', 'float32 y, int32 z', 'y = x * n; z = n * 2', 'conc')(x, n)


# ---- statements ---------------------------------------------------------------------------

@numpy_wgpy_allclose()
def test_if_else_ternary(xp):
    x = testing.shaped_arange((9,), xp, 'float32', start=-4)
    if _np(xp):
        return xp.where(x > 0, x * 2, -x), xp.where(x > 1, x, 1).astype('float32')
    k = _k('T x', 'T y, T z',
           'if (x > 0) { y = x * 2; } else { y = -x; }\nz = x > 1 ? x : (T)1;', 'branches')
    return k(x)


def _collatz_np(xp, x):
    out = []
    for v in x.tolist():
        c = 0
        while v != 1:
            v = v // 2 if v % 2 == 0 else 3 * v + 1
            c += 1
        out.append(c)
    return xp.asarray(out, dtype='int32')


@numpy_wgpy_array_equal()
def test_while_loop_data_dependent(xp):
    x = testing.shaped_arange((40,), xp, 'int32')
    if _np(xp):
        return _collatz_np(xp, x)
    k = _k('int32 x', 'int32 c', '''
        int v = x;
        c = 0;
        while (v != 1) {
            if (v % 2 == 0) v = v / 2; else v = 3 * v + 1;
            c++;
        }''', 'collatz')
    return k(x)


@numpy_wgpy_array_equal()
def test_for_break_continue(xp):
    x = testing.shaped_arange((12,), xp, 'int32')
    if _np(xp):
        out = []
        for v in x.tolist():
            s = 0
            for j in range(100):
                if j >= v:
                    break
                if j % 3 == 0:
                    continue
                s += j
            out.append(s)
        return xp.asarray(out, dtype='int32')
    k = _k('int32 x', 'int32 s', '''
        s = 0;
        for (int j = 0; j < 100; ++j) {
            if (j >= x) break;
            if (j % 3 == 0) continue;
            s += j;
        }''', 'loops')
    return k(x)


def _counted_np(case, x, n):
    out = []
    for v in x.tolist():
        y = 0
        if case == 'runtime_bound':
            for k in range(n):
                y += v * k
        elif case == 'start_at_bound':
            for k in range(n + 3, n):
                y += 1
        elif case == 'nested':
            for a in range(v % 4):
                for b in range(a, 5):
                    y += a * b + v
        elif case == 'read_after':
            k = 0
            while k < n:
                y += v
                k += 1
            y += k
        elif case == 'set_in_body':
            k = 0
            while k < 10:
                if v > 3:
                    k += 1
                y += 1
                k += 1
        elif case == 'unsigned_break':
            for k in range(1, 9):
                if k == 4:
                    continue
                if k > v:
                    break
                y += k
        out.append(y)
    return out


_COUNTED = {
    'runtime_bound': 'y = 0; for (int k = 0; k < n; k++) y += x * k;',
    'start_at_bound': 'y = 0; for (int k = n + 3; k < n; k++) y += 1;',
    'nested': 'y = 0; for (int a = 0; a < x % 4; a++) for (int b = a; b < 5; ++b) y += a * b + x;',
    'read_after': 'int k; y = 0; for (k = 0; k < n; k++) y += x; y += k;',
    'set_in_body': 'y = 0; for (int k = 0; k < 10; k++) { if (x > 3) k++; y += 1; }',
    'unsigned_break': ('y = 0; for (unsigned int k = 1; k < 9u; k++) { if (k == 4u) continue;'
                       ' if (k > (unsigned int)x) break; y += k; }'),
}


@pytest.mark.parametrize('case', sorted(_COUNTED))
@numpy_wgpy_array_equal()
def test_counted_for_loops(xp, case):
    """`for (int k = a; k < b; k++)` is written as WGSL's counted `for`, the one loop form Dawn's
    compiler proves finite (no per-pass guard; docs/kernels.md); loops that only look like it (the
    index read after the loop or set in the body) keep the general form.  Both give C's result."""
    x = testing.shaped_arange((10,), xp, 'int32')
    n = 7
    if _np(xp):
        return xp.asarray(_counted_np(case, x, n), dtype='int32')
    k = _k('int32 x, int32 n', 'int32 y', _COUNTED[case], 'counted_' + case)
    return k(x, n)


@numpy_wgpy_array_equal()
def test_literals_are_part_of_the_kernel(xp):
    """The source's literals are constants of the generated shader (docs/kernels.md): kernels that
    differ only in a literal (a loop bound, a factor, a float with no short decimal, an int32 at
    its limits) must not share a compiled kernel."""
    x = testing.shaped_arange((8,), xp, 'int32')
    f = testing.shaped_arange((8,), xp, 'float32')
    if _np(xp):
        return (x * 5, x * 7, 3 * xp.minimum(x, 3), 3 * xp.minimum(x, 6),
                f * xp.float32(0.1), f * xp.float32(0.3) - xp.float32(3.4e38),
                xp.minimum(f, xp.float32(3.4028234663852886e38)),
                xp.full(8, -2147483648, 'int32') + x, xp.full(8, 2147483647, 'int32') - x)
    out = []
    for lit in ('5', '7'):
        out.append(_k('int32 x', 'int32 y', 'y = x * %s' % lit, 'times')(x))
    for bound in ('3', '6'):
        src = 'y = 0; for (int j = 0; j < %s; j++) { if (j < x) y += 3; }' % bound
        out.append(_k('int32 x', 'int32 y', src, 'bounded')(x))
    out.append(_k('float32 f', 'float32 y', 'y = f * 0.1f', 'tenth')(f))
    out.append(_k('float32 f', 'float32 y', 'y = f * 0.3f - 3.4e38f', 'near_max')(f))
    out.append(_k('float32 f', 'float32 y', 'y = f < 3.40282347e38f ? f : 3.40282347e38f',
                  'flt_max')(f))
    out.append(_k('int32 x', 'int32 y', 'y = (-2147483647 - 1) + x', 'int_min')(x))
    out.append(_k('int32 x', 'int32 y', 'y = 2147483647 - x', 'int_max')(x))
    return tuple(out)


@numpy_wgpy_array_equal()
def test_early_return(xp):
    x = testing.shaped_arange((8,), xp, 'int32', start=-3)
    if _np(xp):
        return xp.where(x < 0, 7, x * 10).astype('int32')
    k = _k('int32 x', 'int32 y', 'y = 7; if (x < 0) return; y = x * 10;', 'early')
    return k(x)


@numpy_wgpy_array_equal()
def test_c_integer_division(xp):
    x = testing.shaped_arange((11,), xp, 'int32', start=-6)
    if _np(xp):
        q = (xp.abs(x) // 4) * xp.sign(x)
        return q.astype('int32'), (x - q * 4).astype('int32')
    return _k('int32 x', 'int32 q, int32 r', 'q = x / 4; r = x % 4', 'cdiv')(x)


@numpy_wgpy_allclose()
def test_double_literals_and_math(xp):
    x = testing.shaped_random((10,), xp, 'float32', scale=2)
    if _np(xp):
        return (x * 0.5 + xp.exp(x) - xp.sqrt(xp.abs(x)) + xp.maximum(x, 0.25)).astype('float32')
    k = _k('T x', 'T y', 'y = x * 0.5 + exp(x) - sqrt(fabs(x)) + max(x, (T)0.25)', 'mathy')
    return k(x)


@numpy_wgpy_allclose()
def test_preamble_template_and_define(xp):
    x = testing.shaped_random((10,), xp, 'float32', scale=3)
    if _np(xp):
        s = 1 / (1 + xp.exp(-x))
        return (s * (1 - s) + 2 * x).astype('float32')
    pre = '''
    #define TWICE(v) ((v) + (v))
    template <typename U> __device__ U sigmoid(U v) { return 1 / (1 + exp(-v)); }
    __device__ void grad(T v, T &out) { T s = sigmoid(v); out = s * (1 - s); }
    '''
    k = _k('T x', 'T y', 'T g; grad(x, g); y = g + TWICE(x)', 'pre', preamble=pre)
    return k(x)


# ---- raw access and the point index ---------------------------------------------------------

@numpy_wgpy_allclose()
def test_raw_gather(xp):
    table = testing.shaped_arange((7,), xp, 'float32')
    idx = xp.asarray([0, 6, 3, 3, 1], dtype='int32')
    if _np(xp):
        return (table[idx] + idx).astype('float32')
    k = _k('raw T table, int32 idx', 'T y', 'y = table[idx] + idx', 'gather')
    return k(table, idx)


@numpy_wgpy_allclose()
def test_raw_index_i_and_size(xp):
    x = testing.shaped_arange((3, 4), xp, 'float32')
    if _np(xp):
        return x[:, ::-1] + xp.arange(12, dtype='float32').reshape(3, 4) + 12
    k = _k('raw T x', 'T y', 'int r = i / 4, c = i % 4; y = x[r * 4 + 3 - c] + i + _ind.size()',
           'flip')
    return k(x, xp.empty((3, 4), dtype='float32'))


@numpy_wgpy_allclose()
def test_raw_nd_index_and_shape(xp):
    x = testing.shaped_arange((3, 5), xp, 'float32')
    if _np(xp):
        return x.T.copy()
    k = _k('raw T x', 'T y', 'int j = i / x.shape()[0], r = i % x.shape()[0]; '
           'int ind[] = {r, j}; y = x[ind]', 'transpose_nd')
    return k(x, xp.empty((5, 3), dtype='float32'))


@numpy_wgpy_allclose()
def test_raw_strided_view(xp):
    x = testing.shaped_arange((4, 6), xp, 'float32')[:, ::2]
    if _np(xp):
        return x.ravel() * 2
    return _k('raw T x', 'T y', 'y = x[i] * 2', 'raw_view')(x, xp.empty(12, dtype='float32'))


def test_numpy_scalar_does_not_bind_placeholder():
    # CuPy binds placeholders from arrays only: a numpy float32 scalar given for T with float16
    # arrays is cast to float16 (Chainer's batch_renormalization backward), not a TypeError
    np = pytest.importorskip('numpy')
    k = _k('T x, T s', 'T y', 'y = x * s', 'np_scalar_cast')
    # float16 where the backend has it (webgpu on SwiftShader has no shader-f16), else int32:
    # either way the array's type binds T and the numpy float32 scalar is cast to it
    try:
        x = wp.asarray([1.0, 2.0, 3.0], dtype='float16')
        want = ('float16', [0.5, 1.0, 1.5], 0.5)
    except NotImplementedError:
        x = wp.asarray([2, 4, 6], dtype='int32')
        want = ('int32', [4, 8, 12], 2.0)
    y = k(x, np.float32(want[2]))
    assert y.dtype == wp.dtype(want[0]) and y.tolist() == want[1]
    z = k(np.float32(2.0), np.float32(0.25), wp.empty(2, dtype='float32'))
    assert z.tolist() == [0.5, 0.5]
    with pytest.raises(TypeError):  # arrays still must agree
        k(x, wp.asarray([0.5], dtype='float32'))


@pytest.mark.parametrize('fn', ['erf', 'erfc'])
@numpy_wgpy_array_equal()
def test_half_math_rounds_once(xp, fn):
    # CUDA has no half erfc: the half converts to float and the float result rounds once to half
    # (each step of the approximation in half was off by several half ulps)
    import math
    x = testing.xp_array(xp, [-2 + k * 0.0625 for k in range(64)], 'float16')
    if _np(xp):
        return xp.asarray([getattr(math, fn)(v) for v in x.tolist()]).astype('float16')
    return _k('T x', 'T y', 'y = %s(x)' % fn, 'half_' + fn)(x)


@pytest.mark.parametrize('n', [0, 3])
@numpy_wgpy_allclose()
def test_raw_empty_input_guarded(xp, n):
    # a raw input may be empty when every read of it is guarded (Chainer's im2col over an empty
    # gradient): the kernel still writes every output point
    x = testing.shaped_arange((n,), xp, 'float32')
    if _np(xp):
        return xp.concatenate([x, xp.full(5 - n, 7, dtype='float32')])
    k = _k('raw T x, int32 n', 'T y', 'y = (i < n) ? x[i] : (T)7', 'guarded_raw')
    return k(x, n, xp.empty(5, dtype='float32'))


@numpy_wgpy_array_equal()
def test_raw_scatter_with_size(xp):
    idx = xp.asarray([4, 0, 2], dtype='int32')
    if _np(xp):
        y = xp.full(5, -1, dtype='int32')
        y[idx] = xp.arange(3, dtype='int32') * 10
        return y
    y = xp.full(5, -1, dtype='int32')
    _k('raw int32 idx', 'raw int32 y', 'y[idx[i]] = i * 10', 'scatter')(idx, y, size=3)
    return y


@numpy_wgpy_allclose()
def test_atomic_add_histogram(xp):
    v = testing.shaped_arange((20,), xp, 'float32')
    b = (testing.shaped_arange((20,), xp, 'int32') * 7) % 5
    if _np(xp):
        h = xp.zeros(5, dtype='float32')
        xp.add.at(h, b, v)
        return h
    h = xp.zeros(5, dtype='float32')
    _k('T v, int32 b', 'raw T h', 'atomicAdd(&h[b], v)', 'hist')(v, b, h)
    return h


# float32 bit patterns: signed zeros and ones, infinities, NaNs of both signs with payloads, the
# largest float, a subnormal (bit casts do no arithmetic, so none of them may change)
_BITS = [0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000,
         0xffc12345, 0x7fc0beef, 0x7f7fffff, 0x00000001, 0x807fffff]


def _as_float(xp, b):
    """the float32 whose bits are b (numpy: a view; wgpy's view does not reinterpret)"""
    if _np(xp):
        return b.view('float32')
    return _k('uint32 b', 'float32 f', 'f = __uint_as_float(b)', 'as_float')(b)


@numpy_wgpy_array_equal()
def test_bit_casts(xp):
    """__uint_as_float, __int_as_float (the floats by value), __float_as_uint, __float_as_int of
    stored floats bit for bit: NaN payloads and -0.0 included"""
    b = xp.asarray(_BITS, dtype='uint32')
    x = _as_float(xp, b)
    if _np(xp):
        s = b.view('int32')
        return x, b, s, (s + 1).view('uint32'), (s + 1).view('float32')
    k = _k('float32 x', 'uint32 u, int32 s, uint32 v, float32 g',
           'u = __float_as_uint(x); s = __float_as_int(x);\n'
           'g = __int_as_float(__float_as_int(x) + 1); v = __float_as_uint(g)', 'bitcasts')
    u, s, v, g = k(x)
    return x, u, s, v, g


@numpy_wgpy_array_equal()
def test_bit_cast_in_reduction(xp):
    """a reduction's map expression: the sign bits (-0.0 and -NaN count) summed"""
    b = xp.asarray(_BITS, dtype='uint32')
    x = _as_float(xp, b)
    if _np(xp):
        return xp.asarray((b >> 31).sum(), dtype='uint32')
    return _r('float32 x', 'uint32 y', '__float_as_uint(x) >> 31', 'a + b', 'y = a', '0',
              'signs')(x)


# ---- reductions ---------------------------------------------------------------------------

@pytest.mark.parametrize('axis', [None, 0, 1, (0, 1), -1])
@pytest.mark.parametrize('keepdims', [False, True])
@numpy_wgpy_allclose(rtol=1e-5)
def test_reduction_l2norm(xp, axis, keepdims):
    x = testing.shaped_arange((3, 4), xp, 'float32')
    if _np(xp):
        return xp.sqrt((x * x).sum(axis=axis, keepdims=keepdims)).astype('float32')
    r = _r('T x', 'T y', 'x * x', 'a + b', 'y = sqrt(a)', '0', 'l2norm')
    return r(x, axis=axis, keepdims=keepdims)


@numpy_wgpy_allclose()
def test_reduction_max_two_inputs(xp):
    x = testing.shaped_random((4, 5), xp, 'float32')
    y = testing.shaped_random((5,), xp, 'float32', seed=3)
    if _np(xp):
        return (x - y).max(axis=1)
    r = _r('T x, T y', 'T z', 'x - y', 'max(a, b)', 'z = a', '-1e30', 'maxdiff')
    return r(x, y, axis=1)


# ---- the Mandelbrot kernel: the same counts as the array version ----------------------------

MANDEL_CUDA = '''
c = 0;
float x = 0.0f, y = 0.0f;
for (int k = 0; k < 500; k++) {
    float nx = x * x - y * y + real;
    float ny = x * y * 2.0f + imag;
    x = nx;
    y = ny;
    if (x * x + y * y < 4.0f) c = c + 1;
}
'''


def _mandel_grid(xp, n=24):
    xs = xp.linspace(-2.0, 0.5, n, dtype='float32')
    ys = xp.linspace(-1.2, 1.2, n, dtype='float32')
    return xs[None, :] + xp.zeros((n, 1), dtype='float32'), ys[:, None] + xp.zeros((1, n), dtype='float32')


def _mandel_array(xp, real, imag, iters=500):
    x = xp.zeros_like(real)
    y = xp.zeros_like(real)
    c = xp.zeros(real.shape, dtype='int32')
    for _ in range(iters):
        nx = x * x - y * y + real
        ny = x * y * 2.0 + imag
        x, y = nx, ny
        c += (x * x + y * y < 4.0)
    return c


def test_mandelbrot_kernel_equals_array_version():
    real, imag = _mandel_grid(wp)
    k = _k('float32 real, float32 imag', 'int32 c', MANDEL_CUDA, 'mandelbrot')
    got = k(real, imag).tolist()
    want = _mandel_array(wp, real, imag).tolist()
    assert got == want


# ---- calling conventions and errors ---------------------------------------------------------

@numpy_wgpy_array_equal(accept_error=True)
def test_error_type_mismatch(xp):
    a = xp.zeros(3, dtype='float32')
    b = xp.zeros(3, dtype='int32')
    if _np(xp):
        raise TypeError('Type is mismatched')
    return _k('T x, T y', 'T z', 'z = x + y', 'mm')(a, b)


def test_errors():
    x = wp.zeros(3, dtype='float32')
    k = _k('T x', 'T y', 'y = x', 'id')
    with pytest.raises(TypeError):
        k()
    with pytest.raises(TypeError):
        k(x, x, x)
    with pytest.raises(ValueError):
        _k('raw T x', 'raw T y', 'y[i] = x[i]', 'nosize')(x, wp.zeros(3, dtype='float32'))
    with pytest.raises(ValueError):
        k(x, size=3)
    with pytest.raises(ValueError):
        k(x, wp.zeros(4, dtype='float32'))


@pytest.mark.parametrize('src,where', [
    ('y = x +;', 'op:1:'),
    ('y = x;\n  int a = ;', 'op:2:'),
    ('y = undefined_name;', 'undefined_name'),
    ('y = x', None),
])
def test_compile_errors(src, where):
    if where is None:
        _k('T x', 'T y', src, 'op')(wp.zeros(2, dtype='float32'))  # no trailing ';' is fine
        return
    with pytest.raises(wp.CompileException) as e:
        _k('T x', 'T y', src, 'op')(wp.zeros(2, dtype='float32'))
    assert where in str(e.value)


def test_bad_params():
    with pytest.raises((wp.CompileException, ValueError)):
        wp.ElementwiseKernel('T x,', 'T y', 'y = x', 'k')
    with pytest.raises(TypeError):
        wp.ElementwiseKernel(1, 'T y', 'y = 1', 'k')


# ---- fusion and the cache ------------------------------------------------------------------

def test_straight_line_kernel_fuses_with_neighbours():
    x = wp.arange(1000, dtype='float32')
    y = wp.ones(1000, dtype='float32')
    k = _k('T x', 'T z', 'z = x * 3 + 1', 'affine')
    wp.sync()
    before = wp.counters()['kernels_launched']
    r = k(x + 1) * 2 + y
    r.tolist()
    assert wp.counters()['kernels_launched'] - before == 1


def test_compiles_once_per_signature():
    k = _k('T x', 'T z', 'if (x > 1) z = x; else z = 0;', 'cached')
    before = wp.counters()['user_kernel_compiles']
    for _ in range(3):
        k(wp.arange(5, dtype='float32')).tolist()
    k(wp.arange(7, dtype='float32')).tolist()   # another shape: same kernel
    assert wp.counters()['user_kernel_compiles'] - before == 1
    k(wp.arange(5, dtype='int32')).tolist()     # another dtype: a new one
    assert wp.counters()['user_kernel_compiles'] - before == 2


@numpy_wgpy_allclose()
def test_fuse_decorator(xp):
    @wp.fuse()
    def f(a, b):
        return a * b + 1

    @wp.fuse
    def g(a):
        return a - 1

    x = testing.shaped_arange((4,), xp, 'float32')
    return g(f(x, x))


def test_memoize():
    calls = []

    @wp.memoize(for_each_device=True)
    def make(n):
        calls.append(n)
        return n * 2
    assert make(3) == 6 and make(3) == 6 and make(4) == 8
    assert calls == [3, 4]


def test_refusal_names_kernel_construct_and_backend():
    """webgl2 cannot scatter (a fragment writes its own point): the error says which kernel, what
    and where; the other backends run it."""
    idx = wp.asarray([2, 0], dtype='int32')
    y = wp.zeros(3, dtype='int32')
    k = _k('raw int32 idx', 'raw int32 y', 'y[idx[i]] = 5', 'my_scatter')
    if wp.get_backend_name() != 'webgl2':
        k(idx, y, size=2)
        assert y.tolist() == [5, 0, 5]
        return
    with pytest.raises(NotImplementedError) as e:
        k(idx, y, size=2)
        y.tolist()
    msg = str(e.value)
    assert "my_scatter" in msg and 'the webgl2 backend' in msg and 'scatter' in msg, msg


@numpy_wgpy_array_equal()
def test_mandelbrot_kernel_equals_numpy_array_version(xp):
    """The CUDA-C kernel on every backend gives exactly numpy's counts of the array loop (grid
    values exact in float32, so both sides start from the same numbers)."""
    n = 24
    xs = (xp.arange(n, dtype='float32') - 16) / 8.0
    ys = (xp.arange(n, dtype='float32') - 12) / 10.0
    real = xs[None, :] + xp.zeros((n, 1), dtype='float32')
    imag = ys[:, None] + xp.zeros((1, n), dtype='float32')
    if _np(xp):
        return _mandel_array(xp, real, imag)
    return _k('float32 real, float32 imag', 'int32 c', MANDEL_CUDA, 'mandelbrot')(real, imag)


@numpy_wgpy_allclose(rtol=1e-5, atol=1e-5)
def test_many_constants_after_a_long_chain_cut_the_graph(xp):
    # a straight-line kernel whose body holds many distinct constants (as cupyx's erf
    # polynomial), fed by a pending chain holding many more: the fused DAG would exceed one
    # kernel's parameters, so the graph is cut before the kernel, as for a ufunc (regression:
    # "too many kernel parameters" from the lowering of the fused write)
    x = testing.shaped_arange((64,), xp, 'float32') / 64
    for c in range(1, 25):
        x = x * (1 + c / 1000.0) + c / 997.0
    coeffs = [1 + c / 113.0 for c in range(20)]
    if _np(xp):
        y = xp.zeros_like(x)
        for c in coeffs:
            y = y * x + xp.float32(c)
        return (y * 2).astype('float32')
    body = 'float t = 0; ' + ' '.join('t = t * x + %.9ff;' % c for c in coeffs) + ' y = t;'
    k = _k('float32 x', 'float32 y', body, 'horner20')
    return k(x) * 2
