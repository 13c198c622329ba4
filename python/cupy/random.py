"""cupy.random: CuPy's random API over wgpy.random, whose numbers are drawn on the device by the
engine's Philox4x32-10 library kernels (docs/random.md): the same seed gives the same numbers on
cpu, webgpu and webgl2, but not CuPy's (cuRAND's XORWOW) nor NumPy's, as CuPy's own differ from
NumPy's.  CuPy's `dtype=` arguments (float32 or float64) are accepted where CuPy has them.  No
numpy is needed."""
from wgpy import random as _wr

Generator = _wr.Generator
BitGenerator = _wr.BitGenerator
Philox = _wr.Philox
default_rng = _wr.default_rng


class RandomState(_wr.RandomState):
    """cupy.random.RandomState: wgpy.random.RandomState's methods (dtype= where CuPy has it)."""

    def randint(self, low, high=None, size=None, dtype=int):
        return _wr.RandomState.randint(self, low, high, size, dtype)

    def choice(self, a, size=None, replace=True, p=None):
        return _wr.RandomState.choice(self, a, size, replace, p)

    def interval(self, mx, size):
        """CuPy's RandomState.interval: integers in [0, mx]."""
        return _wr.RandomState._integers(self, 0, mx, size, 'int32', True, 'interval')


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
    f.__qualname__ = name
    f.__doc__ = 'cupy.random.%s on the module\'s RandomState.' % name
    return f


_NAMES = ('rand', 'randn', 'randint', 'random_integers', 'random_sample', 'random', 'ranf',
          'sample', 'uniform', 'normal', 'standard_normal', 'lognormal', 'exponential',
          'standard_exponential', 'gamma', 'standard_gamma', 'beta', 'chisquare',
          'noncentral_chisquare', 'f', 'noncentral_f', 'standard_t', 'standard_cauchy',
          'logistic', 'laplace', 'gumbel', 'pareto', 'power', 'rayleigh', 'weibull',
          'triangular', 'wald', 'vonmises', 'binomial', 'negative_binomial', 'poisson',
          'geometric', 'hypergeometric', 'zipf', 'logseries', 'multinomial',
          'multivariate_normal', 'dirichlet', 'choice', 'permutation', 'shuffle', 'bytes')
for _name in _NAMES:
    globals()[_name] = _fwd(_name)
del _name
