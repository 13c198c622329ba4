"""Chainer's training step on wgpy (the loop of bench/chainer_training.py, without its numpy
runs): ms per iteration, median of ITERS after WARM, one line per model and batch; with
--split also the Python issue time against the loss read and the executor's runs and hand-offs
a step.  Models and data: examples/train_mnist.py and tools/mnist_data.py where they import,
else the same two models defined here and the digits of dist/data/mnist.npz (the device runner's
copy of the tree lacked them: ModuleNotFoundError in session 12 and 13).

    WGPY_BACKEND=webgpu PYTHONPATH=python:... python3 bench/h100/train_ms.py ITERS WARM mlp,cnn 32,100 [--split]"""
import json
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
for _p in ('tools', 'examples'):
    sys.path.append(os.path.join(ROOT, _p))

import numpy  # noqa: E402

import chainer  # noqa: E402
import chainer.functions as F  # noqa: E402
import chainer.links as L  # noqa: E402
import cupy  # noqa: E402
import wgpy  # noqa: E402
from wgpy import _lib  # noqa: E402


def _models():
    try:
        import train_mnist
        return train_mnist.make_model, 'examples/train_mnist.py'
    except ImportError:
        pass

    class MLP(chainer.Chain):  # examples/train_mnist.py's, without dropout
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.l1, self.l2, self.l3 = L.Linear(None, 100), L.Linear(None, 100), L.Linear(None, 10)

        def forward(self, x):
            return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))

    class CNN(chainer.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.c1, self.b1 = L.Convolution2D(1, 8, 3, pad=1), L.BatchNormalization(8)
                self.c2, self.b2 = L.Convolution2D(8, 16, 3, pad=1), L.BatchNormalization(16)
                self.l3 = L.Linear(16 * 7 * 7, 10)

        def forward(self, x):
            h = F.max_pooling_2d(F.relu(self.b1(self.c1(x))), 2)
            h = F.average_pooling_2d(F.relu(self.b2(self.c2(h))), 2)
            return self.l3(h)

    def make_model(name, seed=0):
        numpy.random.seed(seed)
        net = MLP() if name == 'mlp' else CNN()
        model = L.Classifier(net)
        if name == 'mlp':
            with chainer.using_config('train', False):
                net(numpy.zeros((1, 784), numpy.float32))
        return model
    return make_model, 'bench/h100/train_ms.py (local copy)'


def _data(name):
    try:
        import mnist_data
        x, t, _, _ = mnist_data.load(3 if name == 'cnn' else 1)
        return x, t
    except (ImportError, FileNotFoundError):
        d = numpy.load(os.path.join(ROOT, 'dist', 'data', 'mnist.npz'))
        x = (d['x_train'].reshape(-1, 784) / 255.0).astype(numpy.float32)
        return (x.reshape(-1, 1, 28, 28) if name == 'cnn' else x), d['y_train'].astype(numpy.int32)


def _stats():
    s = _lib._executor.stats() if _lib._executor else '{}'
    return json.loads(s) if isinstance(s, (str, bytes)) else s


def run(make_model, name, batch, iters, warm, split):
    model = make_model(name)
    model.to_gpu()
    opt = chainer.optimizers.MomentumSGD(lr=0.01, momentum=0.9)
    opt.setup(model)
    x, t = _data(name)
    rs = numpy.random.RandomState(0)
    walls, issues = [], []
    for i in range(warm + iters):
        if i == warm:
            s0 = _stats()
        idx = rs.randint(0, len(t), batch)
        t0 = time.perf_counter()
        loss = model(cupy.asarray(x[idx]), cupy.asarray(t[idx]))
        model.cleargrads()
        loss.backward()
        opt.update()
        t1 = time.perf_counter()
        float(loss.array)
        if i >= warm:
            walls.append(time.perf_counter() - t0)
            issues.append(t1 - t0)
    s1 = _stats()
    r = '%s %d %.2f' % (name, batch, statistics.median(walls) * 1e3)
    if WINDOWS > 1:  # the drift within a process: medians of consecutive windows of the timed steps
        w = len(walls) // WINDOWS
        r += ' [windows %s]' % ' '.join('%.2f' % (statistics.median(walls[j * w:(j + 1) * w]) * 1e3)
                                        for j in range(WINDOWS))
    if split:
        d = {k: (s1.get(k, 0) - s0.get(k, 0)) / iters
             for k in ('runs', 'enqueued', 'submits', 'dispatches', 'runMs', 'waitMs', 'hostMs', 'enqueueMs')}
        # hostMs: the Node host's time on its RUNs (request read to reply written); enqueueMs: its
        # encoding of the chunks handed over without waiting (their synchronous part)
        r += (' (issue %.2f; a step: %.1f runs + %.1f enqueued, %.1f submits, %.0f dispatches, host %.2f ms on'
              ' runs + %.2f encoding hand-offs, wait %.2f)') % (
            statistics.median(issues) * 1e3, d['runs'], d['enqueued'], d['submits'], d['dispatches'], d['hostMs'],
            d['enqueueMs'], d['waitMs'])
    if '--gpu' in sys.argv and 'gpuKernels' in s1:  # WGPY_GPU_TIMING=1: GPU ms a step per dispatch shape
        g0, g1 = s0.get('gpuKernels', {}), s1['gpuKernels']
        per = sorted(((v['ms'] - g0.get(k, {}).get('ms', 0)) / iters, (v['n'] - g0.get(k, {}).get('n', 0)) / iters, k)
                     for k, v in g1.items() if v['n'] > g0.get(k, {}).get('n', 0))[::-1]
        r += '\n   GPU %.3f ms a step in %.0f dispatches; most: %s' % (
            sum(q[0] for q in per), sum(q[1] for q in per),
            ', '.join('%.3f x%.0f %s' % q for q in per[:6]))
    return r


WINDOWS = next((int(a.split('=')[1]) for a in sys.argv if a.startswith('--windows=')), 1)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    iters = int(args[0]) if len(args) > 0 else 20
    warm = int(args[1]) if len(args) > 1 else 5
    models = (args[2] if len(args) > 2 else 'mlp,cnn').split(',')
    batches = [int(b) for b in (args[3] if len(args) > 3 else '32,100').split(',')]
    make_model, src = _models()
    out = [run(make_model, m, b, iters, warm, '--split' in sys.argv) for m in models for b in batches]
    print('ms/iter [%s, run ahead %s]: %s' % (src, wgpy.config.run_ahead, '; '.join(out)), flush=True)


if __name__ == '__main__':
    main()
