"""cupy.random: wgpy has no device-side generator yet, so numbers come from numpy's generator on
the host (a seeded numpy.random.RandomState per cupy RandomState) and move to the device once.
The distributions are numpy's; only where they are drawn differs from CuPy.  Needs numpy (imported
on first use, so `import cupy` works without it)."""
import wgpy as _wgpy


class RandomState:
    def __init__(self, seed=None):
        import numpy
        self._rs = numpy.random.RandomState(seed)

    def seed(self, seed=None):
        self._rs.seed(seed)

    def _out(self, a, dtype):
        import numpy
        a = numpy.asarray(a)
        if dtype is not None:
            a = a.astype(dtype)
        return _wgpy.asarray(a)

    def rand(self, *size, dtype=float):
        return self._out(self._rs.random_sample(size), dtype)

    def randn(self, *size, dtype=float):
        return self._out(self._rs.standard_normal(size), dtype)

    def random_sample(self, size=None, dtype=float):
        return self._out(self._rs.random_sample(size), dtype)

    random = ranf = sample = random_sample

    def standard_normal(self, size=None, dtype=float):
        return self._out(self._rs.standard_normal(size), dtype)

    def normal(self, loc=0.0, scale=1.0, size=None, dtype=float):
        return self._out(self._rs.normal(_host(loc), _host(scale), size), dtype)

    def uniform(self, low=0.0, high=1.0, size=None, dtype=float):
        return self._out(self._rs.uniform(_host(low), _host(high), size), dtype)

    def laplace(self, loc=0.0, scale=1.0, size=None, dtype=float):
        return self._out(self._rs.laplace(_host(loc), _host(scale), size), dtype)

    def binomial(self, n, p, size=None, dtype=int):
        return self._out(self._rs.binomial(_host(n), _host(p), size), dtype)

    def randint(self, low, high=None, size=None, dtype='l'):
        return self._out(self._rs.randint(low, high, size), dtype)

    def choice(self, a, size=None, replace=True, p=None):
        return self._out(self._rs.choice(_host(a), size, replace, _host(p)), None)

    def permutation(self, num):
        return self._out(self._rs.permutation(_host(num)), None)

    def shuffle(self, a):
        a.set(self._rs.permutation(_host(a)))


def _host(x):
    return x.get() if isinstance(x, _wgpy.ndarray) else x


_STATE = None


def get_random_state():
    global _STATE
    if _STATE is None:
        _STATE = RandomState()
    return _STATE


def set_random_state(rs):
    global _STATE
    _STATE = rs


def reset_states():
    global _STATE
    _STATE = None


def seed(seed=None):
    get_random_state().seed(seed)


def _fwd(name):
    def f(*args, **kwargs):
        return getattr(get_random_state(), name)(*args, **kwargs)
    f.__name__ = name
    return f


for _name in ('rand', 'randn', 'random_sample', 'random', 'ranf', 'sample', 'standard_normal',
              'normal', 'uniform', 'laplace', 'binomial', 'randint', 'choice', 'permutation',
              'shuffle'):
    globals()[_name] = _fwd(_name)
del _name
