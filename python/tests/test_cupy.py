"""cupy and cupyx over wgpy (docs/cupy.md): the import surface Chainer needs, cupy.cuda's devices,
streams, events and pools, cupyx.scatter_add, and cupyx.scipy.special's kernels compared with
scipy.special (natively; the recording elsewhere)."""
import importlib
import math

import pytest

import wgpy as wp
from wgpy import testing
from wgpy.testing import numpy_wgpy_allclose, numpy_wgpy_array_equal

import cupy
import cupyx
import cupyx.scipy.special as special


def _np(xp):
    return not testing.is_wgpy(xp)


# ---- the import surface -------------------------------------------------------------------

@pytest.mark.parametrize('mod', ['cupy', 'cupy.cuda', 'cupy.cuda.cublas', 'cupy.cuda.runtime',
                                 'cupy.cuda.memory', 'cupy.cuda.pinned_memory',
                                 'cupy.cuda.compiler', 'cupy.random', 'cupy.linalg', 'cupy.fft',
                                 'cupy.testing', 'cupyx', 'cupyx.scipy', 'cupyx.scipy.linalg',
                                 'cupyx.scipy.special'])
def test_modules_import(mod):
    importlib.import_module(mod)


def test_no_cudnn():
    with pytest.raises(ImportError):
        importlib.import_module('cupy.cudnn')


def test_names_are_wgpys():
    assert cupy.ndarray is wp.ndarray
    assert cupy.ElementwiseKernel is wp.ElementwiseKernel
    assert cupy.ReductionKernel is wp.ReductionKernel
    assert cupy.RawKernel is wp.RawKernel
    # CuPy's get_global gives a MemoryPointer, wgpy's the array: otherwise the same class
    assert issubclass(cupy.RawModule, wp.RawModule) and cupy.RawModule.get_function is wp.RawModule.get_function
    assert cupy.fuse is wp.fuse and cupy.memoize is wp.memoize
    assert cupy.asnumpy is wp.asnumpy
    assert cupy.cuda.compiler.CompileException is wp.CompileException
    for name in ('empty', 'zeros', 'empty_like', 'copyto', 'ascontiguousarray', 'tensordot',
                 'maximum', 'float32', 'int32', 'sum', 'exp', 'clip'):
        assert getattr(cupy, name) is getattr(wp, name), name


def test_chainer_import_names():
    # what chainer.backends.cuda touches at import (PLATFORM.md, "Chainer 5.4.0")
    from cupy import cuda, ndarray  # noqa: F401
    from cupy.cuda import Device, Event, Stream  # noqa: F401
    cupy.get_default_memory_pool()
    cupy.get_default_pinned_memory_pool()
    cupy.memoize()
    cupy.clear_memo()
    assert not hasattr(cupy, 'cudnn')


def test_get_array_module():
    assert cupy.get_array_module(cupy.zeros(2)) is cupy
    try:
        import numpy
    except ImportError:  # Pyodide without numpy: only cupy
        numpy = cupy
    assert cupy.get_array_module(1.0) is numpy


def test_ndarray_cupy_methods():
    a = cupy.arange(6, dtype='float32').reshape(2, 3)
    assert a.reduced_view() is a
    assert a._c_contiguous and not a.T._c_contiguous
    a.set(wp.asarray([[6, 5, 4], [3, 2, 1]], dtype='float32'))
    assert a.tolist() == [[6, 5, 4], [3, 2, 1]]
    try:
        import numpy  # noqa: F401
    except ImportError:
        return
    assert a.get().tolist() == [[6, 5, 4], [3, 2, 1]]
    assert cupy.asnumpy(a).tolist() == [[6, 5, 4], [3, 2, 1]]


def test_broadcast_object():
    b = cupy.broadcast(cupy.zeros((2, 1)), cupy.zeros((3,)))
    assert b.shape == (2, 3) and b.nd == 2 and b.size == 6


# ---- cupy.cuda -----------------------------------------------------------------------------

def test_device():
    d = cupy.cuda.Device(0)
    assert d.id == 0 and int(d) == 0
    assert cupy.cuda.Device() == d == cupy.zeros(1).device
    with d as e:
        assert e is d
    d.use()
    d.synchronize()
    with pytest.raises(ValueError):
        cupy.cuda.Device(1)
    assert cupy.cuda.get_device_id() == 0
    assert cupy.cuda.runtime.getDeviceCount() == 1


def test_stream_event_order():
    s = cupy.cuda.Stream(non_blocking=True)
    with s:
        assert cupy.cuda.get_current_stream() is s
        a = cupy.arange(4, dtype='float32') * 2
    assert cupy.cuda.get_current_stream() is cupy.cuda.Stream.null
    start, end = cupy.cuda.Event(), cupy.cuda.Event()
    start.record()
    b = a + 1
    end.record(s)
    end.synchronize()
    s.synchronize()
    assert cupy.cuda.get_elapsed_time(start, end) >= 0
    assert b.tolist() == [1, 3, 5, 7]
    cupy.cuda.runtime.deviceSynchronize()


def test_memory_pool():
    pool = cupy.get_default_memory_pool()
    assert isinstance(pool, cupy.cuda.MemoryPool)
    a = cupy.zeros(1 << 16, dtype='float32')
    a += 1
    wp.sync()
    assert pool.used_bytes() >= a.nbytes
    assert pool.total_bytes() >= pool.used_bytes()
    del a
    pool.free_all_blocks()
    assert pool.total_bytes() == pool.used_bytes()
    pool.set_limit(size=1 << 30)
    assert pool.get_limit() == 1 << 30
    pool.set_limit(size=0)
    assert cupy.get_default_pinned_memory_pool().used_bytes() == 0


def test_memory_pool_limit_limits():
    pool = cupy.get_default_memory_pool()
    pool.set_limit(size=1 << 20)
    try:
        with pytest.raises(MemoryError, match='pool limit'):
            a = cupy.zeros(1 << 20, dtype='float32')
            a += 1
            wp.sync()
    finally:
        pool.set_limit(size=0)
    b = cupy.zeros(1 << 20, dtype='float32') + 1
    assert float(b.sum()) == float(1 << 20)
    free, total = cupy.cuda.runtime.memGetInfo()
    assert 0 <= free <= total


def test_missing_is_named():
    with pytest.raises(NotImplementedError, match='solve_triangular'):
        cupyx.scipy.linalg.solve_triangular(cupy.eye(2), cupy.zeros(2))


# ---- cupy.random (wgpy.random: drawn on the device) -----------------------------------------

def test_random_seeded():
    cupy.random.seed(3)
    a = cupy.random.rand(2, 3, dtype='float32')
    cupy.random.seed(3)
    b = cupy.random.rand(2, 3, dtype='float32')
    assert isinstance(a, cupy.ndarray) and a.shape == (2, 3) and a.dtype == 'float32'
    assert a.tolist() == b.tolist()
    n = cupy.random.standard_normal((1000,), dtype='float32')
    assert abs(float(n.mean().tolist())) < 0.2
    u = cupy.random.uniform(size=(10,), dtype='float32')
    assert 0 <= float(u.min().tolist()) and float(u.max().tolist()) < 1


def test_random_is_wgpy_random():
    """cupy.random draws with wgpy.random's generator: the same seed, the same numbers."""
    rs = cupy.random.RandomState(11)
    assert isinstance(rs, wp.random.RandomState)
    assert rs.normal(1.0, 2.0, size=5).tolist() == \
        wp.random.RandomState(11).normal(1.0, 2.0, size=5).tolist()
    x = cupy.random.randint(0, 10, size=100)
    assert x.dtype.kind == 'i' and 0 <= min(x.tolist()) and max(x.tolist()) < 10
    p = cupy.random.permutation(20).tolist()
    assert sorted(p) == list(range(20))
    g = cupy.random.default_rng(1)
    assert g.random(3).shape == (3,)
    for name in ('gamma', 'beta', 'poisson', 'binomial', 'multinomial', 'dirichlet',
                 'multivariate_normal', 'choice', 'shuffle', 'vonmises', 'zipf'):
        assert callable(getattr(cupy.random, name))


# ---- cupyx ---------------------------------------------------------------------------------

@numpy_wgpy_allclose()
def test_rsqrt(xp):
    x = testing.shaped_arange((2, 3), xp, 'float32')
    if _np(xp):
        return 1 / xp.sqrt(x)
    return cupyx.rsqrt(x)


@pytest.mark.parametrize('dtype', ['float16', 'float32'])
@numpy_wgpy_allclose(rtol=1e-3)
def test_rsqrt_dtype(xp, dtype):
    # CuPy's rsqrt is a ufunc: dtype= picks the loop (Chainer: rsqrt(x, dtype=x.dtype))
    x = testing.shaped_arange((2, 3), xp, 'float32')
    if _np(xp):
        return (1 / xp.sqrt(x.astype(dtype))).astype(dtype)
    return cupyx.rsqrt(x, dtype=dtype)


def test_rsqrt_dtype_int_refused():
    with pytest.raises(TypeError):
        cupyx.rsqrt(wp.ones(3), dtype='int32')


def test_testing_asserts():
    numpy = pytest.importorskip('numpy')  # the host side of the assertions is numpy.testing
    a = cupy.asarray([1.0, 2.0, 3.0])
    cupy.testing.assert_array_equal(a, numpy.array([1.0, 2.0, 3.0]))
    cupy.testing.assert_allclose(a, a + 1e-9)
    cupy.testing.assert_array_less(a, a + 1)
    with pytest.raises(AssertionError):
        cupy.testing.assert_array_equal(a, a + 1)
    with pytest.raises(AssertionError):
        cupy.testing.assert_allclose(a, numpy.array([1.0, 2.0, 4.0]))


@pytest.mark.parametrize('dtype', ['float32', 'int32'])
@numpy_wgpy_array_equal()
def test_scatter_add_int_array(xp, dtype):
    a = testing.shaped_arange((4, 3), xp, dtype)
    idx = [0, 2, 0, -1, 0]
    v = testing.shaped_arange((5, 3), xp, dtype)
    if _np(xp):
        xp.add.at(a, idx, v)
        return a
    cupyx.scatter_add(a, xp.asarray(idx, dtype='int32'), v)
    return a


@numpy_wgpy_array_equal()
def test_scatter_add_basic_index(xp):
    a = testing.shaped_arange((4, 5), xp, 'float32')
    if _np(xp):
        a[1:3, ::2] += 2
        return a
    cupyx.scatter_add(a, (slice(1, 3), slice(None, None, 2)), 2)
    return a


@numpy_wgpy_array_equal()
def test_scatter_add_array_after_slice(xp):
    a = xp.zeros((4, 5), dtype='float32')
    if _np(xp):
        xp.add.at(a, (slice(None), [0, 1, 0]), 1)
        return a
    cupyx.scatter_add(a, (slice(None), [0, 1, 0]), 1)
    return a


def test_runtime_info():
    info = cupyx.get_runtime_info()
    assert wp.get_backend_name() in str(info)


# ---- cupyx.scipy.special against scipy.special ---------------------------------------------

def _sp(name):
    scipy_special = pytest.importorskip('scipy.special')
    return getattr(scipy_special, name)


def _grid(xp, lo, hi, n=17):
    vals = [lo + (hi - lo) * k / (n - 1) for k in range(n)]
    return testing.xp_array(xp, vals, 'float32')


UNARY = [  # name, lo, hi
    ('erf', -3, 3), ('erfc', -3, 3), ('erfcx', -2, 8), ('erfinv', -0.95, 0.95),
    ('erfcinv', 0.05, 1.95), ('ndtr', -4, 4), ('ndtri', 0.02, 0.98), ('log_ndtr', -8, 4),
    ('expit', -6, 6), ('logit', 0.05, 0.95), ('log_expit', -10, 10), ('gammaln', 0.1, 12),
    ('gamma', 0.1, 6), ('rgamma', -2.5, 6), ('digamma', -2.7, 12), ('psi', 0.2, 9),
    ('i0', -8, 8), ('i1', -8, 8), ('sinc', -3, 3), ('entr', 0, 4), ('exp2', -3, 3),
    ('exp10', -2, 2), ('expm1', -2, 2), ('log1p', -0.5, 2), ('cbrt', -8, 8),
]


@pytest.mark.parametrize('name,lo,hi', UNARY)
@numpy_wgpy_allclose(rtol=2e-5, atol=2e-6)
def test_special_unary(xp, name, lo, hi):
    x = _grid(xp, lo, hi)
    if _np(xp):
        return _sp(name)(x).astype('float32')
    return getattr(special, name)(x)


@numpy_wgpy_allclose(rtol=2e-5, atol=1e-6)
def test_special_zeta(xp):
    q = _grid(xp, 0.5, 6, 9)
    s = _grid(xp, 1.5, 6, 9)
    if _np(xp):
        return _sp('zeta')(s, q).astype('float32')
    return special.zeta(s, q)


@pytest.mark.parametrize('n', [0, 1, 2])
@numpy_wgpy_allclose(rtol=2e-5, atol=1e-5)
def test_special_polygamma(xp, n):
    x = _grid(xp, 0.5, 6, 9)
    if _np(xp):
        return _sp('polygamma')(n, x).astype('float32')
    return special.polygamma(n, x)


@numpy_wgpy_allclose(rtol=2e-5, atol=1e-5)
def test_special_polygamma_elementwise_orders(xp):
    # n broadcasts with x, each element its own order (Chainer's polygamma)
    x = _grid(xp, 0.5, 6, 9).reshape(3, 3)
    n = testing.xp_array(xp, [0, 1, 2, 2, 0, 1, 1, 2, 0], 'int32').reshape(3, 3)
    if _np(xp):
        return _sp('polygamma')(n, x).astype('float32')
    return special.polygamma(n, x)


@pytest.mark.parametrize('name,lo,hi', [u for u in UNARY if u[0] in
                                        ('erf', 'erfc', 'gammaln', 'digamma', 'log_ndtr', 'i0')])
@numpy_wgpy_allclose(rtol=2e-5, atol=2e-6)
def test_special_float16_computes_in_float32(xp, name, lo, hi):
    # CuPy's loops are f->f, d->d: a float16 input computes and comes back in float32
    x = _grid(xp, lo, hi).astype('float16')
    if _np(xp):
        return _sp(name)(x.astype('float32')).astype('float32')
    return getattr(special, name)(x)


@pytest.mark.parametrize('name', ['xlogy', 'xlog1py'])
@numpy_wgpy_allclose(rtol=2e-5, atol=1e-6)
def test_special_binary(xp, name):
    a = testing.xp_array(xp, [0.0, 0.5, 1.0, 2.0, 3.0], 'float32')
    b = testing.xp_array(xp, [0.0, 0.25, 1.5, 2.0, 0.5], 'float32')
    if _np(xp):
        return _sp(name)(a, b).astype('float32')
    return getattr(special, name)(a, b)


def test_special_known_values():
    # without scipy, a few exact values
    r = special.erf(cupy.asarray([0.0], dtype='float32')).tolist()
    assert r == [0.0]
    assert abs(special.digamma(cupy.asarray([1.0], dtype='float32')).tolist()[0]
               + 0.5772156649015329) < 1e-6
    assert abs(special.zeta(cupy.asarray([2.0], dtype='float32'),
                            cupy.asarray([1.0], dtype='float32')).tolist()[0]
               - math.pi ** 2 / 6) < 1e-6
    assert special.sinc(cupy.asarray([0.0], dtype='float32')).tolist() == [1.0]


@numpy_wgpy_array_equal()
def test_scatter_add_max_min_general_index(xp):
    a = testing.shaped_arange((4, 5), xp, 'float32')
    idx = (xp.asarray([0, 0, 3], dtype='int32'), slice(1, 3))
    if _np(xp):
        xp.add.at(a, idx, 2)
        xp.maximum.at(a, (xp.asarray([1, 1]),), xp.asarray([[30.0], [40.0]], dtype='float32'))
        xp.minimum.at(a, (xp.asarray([2]), 0), -1)
        return a
    cupyx.scatter_add(a, idx, 2)
    cupyx.scatter_max(a, (xp.asarray([1, 1]),), xp.asarray([[30.0], [40.0]], dtype='float32'))
    cupyx.scatter_min(a, (xp.asarray([2]), 0), -1)
    return a


def test_cupy_random_is_cupys_module():
    # `import cupy` star-imports wgpy, whose namespace has wgpy.random: cupy.random must still be
    # CuPy's module (Chainer's test helpers call cupy.random.reset_states)
    import cupy.random as cr
    assert cupy.random is cr
    assert callable(cupy.random.reset_states) and callable(cupy.random.get_random_state)
    from cupy import random as r2
    assert r2 is cr
