"""cupy.linalg: what wgpy provides (matrix products, norm when present); the decompositions are
not in wgpy yet and raise NotImplementedError naming the function."""
import wgpy as _wgpy

matmul = _wgpy.matmul
dot = _wgpy.dot


def _missing(name):
    def f(*args, **kwargs):
        raise NotImplementedError('wgpy: cupy.linalg.%s is not implemented' % name)
    f.__name__ = name
    return f


for _name in ('norm', 'det', 'inv', 'pinv', 'solve', 'svd', 'qr', 'cholesky', 'eigh', 'eigvalsh',
              'lstsq', 'matrix_rank', 'slogdet', 'tensorinv', 'tensorsolve', 'matrix_power'):
    _f = getattr(getattr(_wgpy, 'linalg', None), _name, None)
    globals()[_name] = _f if _f is not None else _missing(_name)
del _name, _f
