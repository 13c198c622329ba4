"""The seed's native kernels: the published wgpy's ElementwiseKernel / ReductionKernel with WGSL
bodies (wgpy_backends.webgpu, run on the webgpu backend) and GLSL ES 3.00 bodies
(wgpy_backends.webgl, run on webgl2), imported from the published wgpy's paths.

On the backend of a kernel's language the results are checked against values computed here (plain
Python: the suite also runs under Pyodide without numpy), and the README's two Mandelbrot kernels
(500 iterations) against the array-operation Mandelbrot on the same backend.  On every other
backend a call raises NotImplementedError naming the kernel and the backend.
docs/kernels.md, "The seed's native kernels"."""

import pytest

import wgpy as wp
from wgpy_backends.webgpu.elementwise_kernel import ElementwiseKernel as WgslElementwise
from wgpy_backends.webgpu.reduction_kernel import ReductionKernel as WgslReduction
from wgpy_backends.webgl.elementwise_kernel import ElementwiseKernel as GlslElementwise
from wgpy_backends.webgl.reduction_kernel import ReductionKernel as GlslReduction

BACKEND = wp.get_backend_name()
RUNS = {'wgsl': 'webgpu', 'glsl': 'webgl2'}
LANGS = ['wgsl', 'glsl']

EW = {'wgsl': WgslElementwise, 'glsl': GlslElementwise}
RED = {'wgsl': WgslReduction, 'glsl': GlslReduction}


def runs(lang):
    return BACKEND == RUNS[lang]


def call(lang, name, fn):
    """fn() on the backend of lang; elsewhere the refusal naming the kernel and the backend."""
    if runs(lang):
        return fn()
    with pytest.raises(NotImplementedError) as e:
        fn()
    msg = str(e.value)
    assert name in msg and ('the %s backend' % BACKEND) in msg, msg
    return None


# ---- the README's Mandelbrot kernels ----------------------------------------------------------
MANDEL_WGSL = """
c = 0;
var x: f32 = 0.0;
var y: f32 = 0.0;
for(var k: u32 = 0u; k < 500u; k = k + 1u) {
    var nx: f32 = x * x - y * y + real;
    var ny: f32 = x * y * 2.0 + imag;
    x = nx;
    y = ny;
    if (x * x + y * y < 4.0) {
        c = c + 1;
    }
}
    """

MANDEL_GLSL = """
c = 0;
float x = 0.0;
float y = 0.0;
for (int k = 0; k < 500; k++) {
    float nx = x * x - y * y + real;
    float ny = x * y * 2.0 + imag;
    x = nx;
    y = ny;
    if (x * x + y * y < 4.0) {
        c = c + 1;
    }
}
    """


def mandelbrot_kernel(lang):
    if lang == 'wgsl':
        return WgslElementwise(in_params="f32 real, f32 imag", out_params="i32 c",
                               operation=MANDEL_WGSL, name="mandelbrot")
    return GlslElementwise(in_params="float real, float imag", out_params="int c",
                           operation=MANDEL_GLSL, name="mandelbrot_500")


def mandelbrot_arrays(real, imag, n_iters):
    """The README's array-operation Mandelbrot."""
    xp = wp
    xs = xp.zeros((imag.shape[0], real.shape[1]), dtype='float32')
    ys = xp.zeros((imag.shape[0], real.shape[1]), dtype='float32')
    count = xp.zeros((imag.shape[0], real.shape[1]), dtype='int32')
    for _ in range(n_iters):
        xs, ys = xs * xs - ys * ys + real, xs * ys * 2.0 + imag
        count += ((xs * xs + ys * ys) < 4.0).astype('int32')
    return count


def grid(n_re, n_im):
    re = [-2.0 + 2.5 * i / (n_re - 1) for i in range(n_re)]
    im = [-1.2 + 2.4 * i / (n_im - 1) for i in range(n_im)]
    real = wp.asarray([re], dtype='float32')          # (1, n_re)
    imag = wp.asarray([[v] for v in im], dtype='float32')  # (n_im, 1)
    return real, imag


@pytest.mark.parametrize('lang', LANGS)
def test_mandelbrot_matches_array_operations(lang):
    real, imag = grid(48, 32)
    k = mandelbrot_kernel(lang)
    c = call(lang, k.name, lambda: k(real, imag))
    if c is None:
        return
    assert c.dtype == wp.int32 and c.shape == (32, 48)
    want = mandelbrot_arrays(real, imag, 500).tolist()
    got = c.tolist()
    assert got == want
    # the set's inside and outside are both there
    flat = [v for row in got for v in row]
    assert 500 in flat and min(flat) < 5


# ---- the published wgpy's tests ---------------------------------------------------------------
@pytest.mark.parametrize('lang', LANGS)
def test_elementwise_broadcast(lang):
    t = 'f32' if lang == 'wgsl' else 'float'
    k = EW[lang](in_params='%s x, %s y' % (t, t), out_params='%s z' % t, operation='z = x - y',
                 name='test_elementwise_1', uniforms='')
    x = [[1.0, 2.0, -3.0, 2.5]]
    y = [[0.25], [10.0], [9.0], [1.0]]
    z = call(lang, 'test_elementwise_1',
             lambda: k(wp.asarray(x, dtype='float32'), wp.asarray(y, dtype='float32')))
    if z is not None:
        assert z.shape == (4, 4)
        assert z.tolist() == [[a - b[0] for a in x[0]] for b in y]


@pytest.mark.parametrize('lang', LANGS)
def test_raw_flat_index_of_a_view(lang):
    """raw T x is read as the C-contiguous flattening, also of a transposed view."""
    i = 'i32' if lang == 'wgsl' else 'int'
    k = EW[lang](in_params='raw T x, %s p' % i, out_params='T y', operation='y = x(p)',
                 name='test_elementwise_raw_1', uniforms='')
    base = [float(v) for v in range(24)]
    x = wp.asarray(base, dtype='float32').reshape(2, 3, 4)
    p = wp.asarray([23, 20, 15, 0], dtype='int32')
    y = call(lang, 'test_elementwise_raw_1', lambda: k(x, p))
    if y is None:
        return
    assert y.dtype == wp.float32
    assert y.tolist() == [base[j] for j in (23, 20, 15, 0)]
    xt = x.T
    flat = [v for a in xt.tolist() for b in a for v in b]
    assert k(xt, p).tolist() == [flat[j] for j in (23, 20, 15, 0)]


@pytest.mark.parametrize('lang', LANGS)
def test_rawnd_uniforms_preamble_index(lang):
    if lang == 'wgsl':
        k = WgslElementwise('rawnd f32 m, i32 r', 'f32 y',
                            'y = twice(m(r, cmeta.col)) * cmeta.scale + f32(cmeta._ind_size) + f32(i)',
                            'rawnd_uniforms', uniforms='f32 scale, i32 col',
                            preamble='fn twice(v: f32) -> f32 { return 2.0 * v; }')
    else:
        k = GlslElementwise('rawnd float m, int r', 'float y',
                            'y = twice(m(r, col)) * scale + float(_ind_size) + float(i)',
                            'rawnd_uniforms', uniforms='float scale, int col',
                            preamble='float twice(float v) { return 2.0 * v; }')
    m = wp.arange(12, dtype='float32').reshape(3, 4)
    r = wp.asarray([2, 0, 1, 2, 1], dtype='int32')
    y = call(lang, 'rawnd_uniforms', lambda: k(m, r, uniforms={'scale': 0.5, 'col': 3}))
    if y is None:
        return
    rows = [2, 0, 1, 2, 1]
    assert y.tolist() == [2.0 * (4 * rr + 3) * 0.5 + 5 + i for i, rr in enumerate(rows)]
    # a strided view as rawnd: its own strides
    mv = wp.arange(24, dtype='float32').reshape(3, 8)[:, ::2]
    assert k(mv, r, uniforms={'scale': 1.0, 'col': 1}).tolist() == \
        [2.0 * (8 * rr + 2) + 5 + i for i, rr in enumerate(rows)]
    with pytest.raises(KeyError):
        k(m, r, uniforms={'scale': 1.0})


@pytest.mark.parametrize('lang', LANGS)
def test_type_parameters_and_narrow_dtypes(lang):
    """T bound by an int8 array: computed in i32/int and stored wrapped to int8; u32 takes uint8,
    bool takes bool."""
    if lang == 'wgsl':
        k = WgslElementwise('T x, u32 u, bool b', 'T y', 'y = select(x * 3, x - T(u), b)', 'int_types')
    else:
        k = GlslElementwise('T x, uint u, bool b', 'T y', 'y = b ? x - T(u) : x * 3', 'int_types')
    xs, us, bs = [1, -2, 3, 100], [1, 2, 3, 4], [True, False, True, False]
    x = wp.asarray(xs, dtype='int8')
    u = wp.asarray(us, dtype='uint8')
    b = wp.asarray(bs, dtype='bool')
    y = call(lang, 'int_types', lambda: k(x, u, b))
    if y is None:
        return
    assert y.dtype == wp.int8

    def wrap8(v):
        return (v + 128) % 256 - 128
    assert y.tolist() == [wrap8(a - c if f else a * 3) for a, c, f in zip(xs, us, bs)]


@pytest.mark.parametrize('lang', LANGS)
def test_output_argument_and_scalar_input(lang):
    t = 'f32' if lang == 'wgsl' else 'float'
    k = EW[lang]('%s x, %s a' % (t, t), '%s y' % t, 'y = x * a', 'scale_by')
    x = wp.arange(6, dtype='float32').reshape(2, 3)
    out = wp.zeros((2, 3), dtype='float32')

    def run():
        r = k(x, 2.0, out)
        assert r is out
        return r
    r = call(lang, 'scale_by', run)
    if r is None:
        return
    assert out.tolist() == [[0.0, 2.0, 4.0], [6.0, 8.0, 10.0]]
    # a strided output view is written in place
    big = wp.zeros((2, 6), dtype='float32')
    k(x, 1.0, big[:, ::2])
    assert big.tolist() == [[0.0, 0.0, 1.0, 0.0, 2.0, 0.0], [3.0, 0.0, 4.0, 0.0, 5.0, 0.0]]
    with pytest.raises(ValueError):
        k(x, 1.0, wp.zeros((3, 2), dtype='float32'))
    # later array operations read the result as usual
    assert (r + 1).sum().tolist() == sum(v + 1 for v in [0.0, 2.0, 4.0, 6.0, 8.0, 10.0])


@pytest.mark.parametrize('lang', LANGS)
def test_reduction_axes(lang):
    k = RED[lang]('T x', 'T y', 'x * x', 'a + b', 'y = a', '0.0', 'sumsq')
    vals = [[float(3 * r + c) for c in range(3)] for r in range(4)]
    x = wp.asarray(vals, dtype='float32')
    y = call(lang, 'sumsq', lambda: k(x, axis=1))
    if y is None:
        return
    assert y.shape == (4,)
    assert y.tolist() == [sum(v * v for v in row) for row in vals]
    assert k(x, axis=0).tolist() == [sum(vals[r][c] ** 2 for r in range(4)) for c in range(3)]
    assert k(x).tolist() == sum(v * v for row in vals for v in row)
    assert k(x, axis=(0,), keepdims=True).shape == (1, 3)


@pytest.mark.parametrize('lang', LANGS)
def test_reduction_mean_with_sizes_and_reduce_type(lang):
    if lang == 'wgsl':
        k = WgslReduction('f32 x', 'f32 y', 'vec2<f32>(x, 1.0)', 'a + b',
                          'y = a.x / f32(cmeta._in_ind_size / cmeta._out_ind_size) + a.y - a.y',
                          'vec2<f32>(0.0, 0.0)', 'mean2', reduce_type='vec2<f32>')
    else:
        k = GlslReduction('float x', 'float y', 'vec2(x, 1.0)', 'a + b',
                          'y = a.x / float(_in_ind_size / _out_ind_size) + a.y - a.y',
                          'vec2(0.0, 0.0)', 'mean2', reduce_type='vec2')
    vals = [[1.0, 2.0, 3.0, 6.0], [4.0, 4.0, 4.0, 4.0]]
    x = wp.asarray(vals, dtype='float32')
    y = call(lang, 'mean2', lambda: k(x, axis=-1))
    if y is not None:
        assert y.tolist() == [3.0, 4.0]


@pytest.mark.parametrize('lang', LANGS)
def test_other_language_backend_and_syntax_errors(lang):
    other = 'glsl' if lang == 'wgsl' else 'wgsl'
    t = 'f32' if other == 'wgsl' else 'float'
    if not runs(lang):
        return
    # a body in the other language on this backend: the clear refusal
    k = EW[other]('%s x' % t, '%s y' % t, 'y = x', 'wrong_language')
    with pytest.raises(NotImplementedError) as e:
        k(wp.ones(3, dtype='float32'))
    assert 'wrong_language' in str(e.value) and ('the %s backend' % BACKEND) in str(e.value)
    with pytest.raises(ValueError):
        EW[lang]('%s x' % t, 'f32 y', 'y = x', 'bad_types')  # the other language's type names
    with pytest.raises(TypeError):
        EW[lang]('T x', 'T y', 'y = x', 'count')()


def test_published_module_paths():
    import wgpy_backends.webgpu.elementwise_kernel as a
    import wgpy_backends.webgpu.reduction_kernel as b
    import wgpy_backends.webgl.elementwise_kernel as c
    import wgpy_backends.webgl.reduction_kernel as d
    assert a.ElementwiseKernel is WgslElementwise and d.ReductionKernel is GlslReduction
    assert b.ReductionKernel is WgslReduction and c.ElementwiseKernel is GlslElementwise


def test_get_performance_metrics():
    from wgpy_backends.webgpu import get_performance_metrics as a
    from wgpy_backends.webgl import get_performance_metrics as b
    assert isinstance(a(), dict) and isinstance(b(), dict)


@pytest.mark.parametrize('lang', LANGS)
def test_compiled_once_per_signature(lang):
    """A new shape or uniform value reuses the compiled kernel; another body is another kernel."""
    if not runs(lang):
        return
    t = 'f32' if lang == 'wgsl' else 'float'
    u = 'cmeta.s' if lang == 'wgsl' else 's'
    k1 = EW[lang]('%s x' % t, '%s y' % t, 'y = x * %s' % u, 'times', uniforms='%s s' % t)
    k2 = EW[lang]('%s x' % t, '%s y' % t, 'y = x + %s' % u, 'times', uniforms='%s s' % t)
    a = wp.arange(5, dtype='float32')
    assert k1(a, uniforms={'s': 2.0}).tolist() == [0.0, 2.0, 4.0, 6.0, 8.0]
    before = wp.counters()['kernel_cache_misses']
    assert k1(wp.arange(3, dtype='float32'), uniforms={'s': 3.0}).tolist() == [0.0, 3.0, 6.0]
    assert wp.counters()['kernel_cache_misses'] == before
    assert k2(a, uniforms={'s': 1.0}).tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert wp.counters()['kernel_cache_misses'] == before + 1
