"""cupy.testing: the part Chainer's tests use — testing.random's do_setup/do_teardown, and CuPy's
array assertions (numpy.testing's, with cupy arrays brought to the host first)."""
from . import random  # noqa: F401


def _host(x):
    import wgpy
    return wgpy.asnumpy(x) if isinstance(x, wgpy.ndarray) else x


def _delegate(name):
    def f(x, y, *args, **kwargs):
        import numpy.testing
        return getattr(numpy.testing, name)(_host(x), _host(y), *args, **kwargs)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = 'numpy.testing.%s over cupy or numpy arrays (CuPy\'s cupy.testing.%s).' % (name, name)
    return f


assert_allclose = _delegate('assert_allclose')
assert_array_almost_equal = _delegate('assert_array_almost_equal')
assert_array_almost_equal_nulp = _delegate('assert_array_almost_equal_nulp')
assert_array_max_ulp = _delegate('assert_array_max_ulp')
assert_array_equal = _delegate('assert_array_equal')
assert_array_less = _delegate('assert_array_less')
