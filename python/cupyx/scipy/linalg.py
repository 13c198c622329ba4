"""cupyx.scipy.linalg: importable (Chainer imports it); the solvers are not in wgpy yet and raise
NotImplementedError naming the function."""


def _missing(name):
    def f(*args, **kwargs):
        raise NotImplementedError('wgpy: cupyx.scipy.linalg.%s is not implemented' % name)
    f.__name__ = name
    return f


for _name in ('solve_triangular', 'lu_factor', 'lu_solve', 'tril', 'triu', 'cho_factor',
              'cho_solve', 'expm', 'block_diag'):
    globals()[_name] = _missing(_name)
del _name
