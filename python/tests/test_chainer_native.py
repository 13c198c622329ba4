"""Chainer 5.4.0 (the wheel `make chainer-wheel` builds, unpacked in build/chainer/site) with our
cupy: natively only, skipped where the wheel was not built or in Pyodide."""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SITE = os.path.join(ROOT, 'build', 'chainer', 'site')

if sys.platform == 'emscripten':
    pytest.skip('native only (Chainer in Pyodide is tested with the wheel there)',
                allow_module_level=True)
if not os.path.isdir(os.path.join(SITE, 'chainer')):
    pytest.skip('the Chainer wheel was not built (make chainer-wheel)', allow_module_level=True)
for _dep in ('numpy', 'six', 'filelock', 'google.protobuf', 'typing_extensions'):
    pytest.importorskip(_dep, reason='Chainer 5.4.0 needs %s (requirements.txt)' % _dep)
if SITE not in sys.path:
    sys.path.append(SITE)

import numpy  # noqa: E402

import chainer  # noqa: E402
from chainer.backends import cuda  # noqa: E402

import cupy  # noqa: E402


def test_cuda_available():
    assert cuda.available, getattr(cuda, '_resolution_error', None)
    assert cuda.cupy is cupy
    assert not cuda.cudnn_enabled


def test_to_gpu_gives_wgpy_array():
    x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    g = cuda.to_gpu(x)
    assert isinstance(g, cupy.ndarray)
    assert cuda.get_array_module(g) is cupy
    assert cuda.to_cpu(g).tolist() == x.tolist()


def test_mlp_trains_on_gpu_path():
    import chainer.functions as F
    import chainer.links as L
    from chainer import optimizers
    numpy.random.seed(0)
    m = chainer.Sequential(L.Linear(3, 8), F.relu, L.Linear(8, 2))
    m.to_gpu()
    opt = optimizers.MomentumSGD(0.1)
    opt.setup(m)
    x = cuda.to_gpu(numpy.arange(6, dtype=numpy.float32).reshape(2, 3) / 6)
    t = cuda.to_gpu(numpy.array([[0, 1], [1, 0]], dtype=numpy.float32))
    losses = []
    for _ in range(5):
        loss = F.mean_squared_error(m(x), t)
        m.cleargrads()
        loss.backward()
        opt.update()
        losses.append(float(loss.array))
    assert isinstance(m[0].W.array, cupy.ndarray)
    assert losses[-1] < losses[0]
