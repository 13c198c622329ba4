"""Deterministic random states for tests (Chainer's chainer.testing.random calls these)."""
import os
import random as _pyrandom

_old = None


def do_setup(deterministic=True):
    global _old
    import numpy
    from cupy import random as crandom
    _old = (_pyrandom.getstate(), numpy.random.get_state())
    if not deterministic:
        numpy.random.seed()
        crandom.reset_states()
    else:
        numpy.random.seed(99)
        crandom.seed(100)
    _pyrandom.seed(os.getpid() if not deterministic else 0)


def do_teardown():
    global _old
    import numpy
    from cupy import random as crandom
    if _old is not None:
        _pyrandom.setstate(_old[0])
        numpy.random.set_state(_old[1])
        _old = None
    crandom.reset_states()
