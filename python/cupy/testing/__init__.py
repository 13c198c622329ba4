"""cupy.testing: the part Chainer's test helpers use (testing.random's do_setup/do_teardown)."""
from . import random  # noqa: F401
