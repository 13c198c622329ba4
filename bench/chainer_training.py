"""Time per training iteration of Chainer 5.4.0: our cupy (wgpy, WGPY_BACKEND's backend) vs
Chainer on numpy, in the same process, on real MNIST digits (examples/train_mnist.py's MLP and
CNN, MomentumSGD, no dropout).

    PYTHONPATH=python:build/chainer/site WGPY_LIBRARY=build/native/libwgpy.so \\
        python3 bench/chainer_training.py [--iters 20] [--batches 32,100] [--models mlp,cnn]

An iteration is forward, backward and update, ended by reading the loss (float(loss)), as
a training loop that logs it does.  The first 3 iterations (kernel compilation, pool warm-up)
are not timed; the median of the timed ones is reported.
"""
import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for _p in (os.path.join(ROOT, 'build', 'chainer', 'site'), os.path.join(ROOT, 'tools'),
           os.path.join(ROOT, 'examples')):
    sys.path.append(_p)

import numpy  # noqa: E402

import cupy  # noqa: E402
import mnist_data  # noqa: E402
import train_mnist  # noqa: E402


def time_iters(model_name, batch, gpu, iters, warm=3):
    model = train_mnist.make_model(model_name)
    xp = numpy
    if gpu:
        model.to_gpu()
        xp = cupy
    opt = train_mnist.make_optimizer('momentum', model)
    x, t, _, _ = mnist_data.load(3 if model_name == 'cnn' else 1)
    rs = numpy.random.RandomState(0)
    times = []
    for i in range(warm + iters):
        idx = rs.randint(0, len(t), batch)
        t0 = time.perf_counter()
        loss = model(xp.asarray(x[idx]), xp.asarray(t[idx]))
        model.cleargrads()
        loss.backward()
        opt.update()
        float(loss.array)
        if i >= warm:
            times.append(time.perf_counter() - t0)
    return float(numpy.median(times))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--iters', type=int, default=20)
    p.add_argument('--batches', default='32,100')
    p.add_argument('--models', default='mlp,cnn')
    args = p.parse_args()
    backend = os.environ.get('WGPY_BACKEND', 'cpu')
    print('| model | batch | numpy ms/iter | wgpy %s ms/iter | wgpy / numpy |' % backend)
    print('|---|---|---|---|---|')
    for m in args.models.split(','):
        for b in (int(v) for v in args.batches.split(',')):
            tn = time_iters(m, b, False, args.iters)
            tg = time_iters(m, b, True, args.iters)
            print('| %s | %d | %.1f | %.1f | %.2f |' % (m, b, tn * 1e3, tg * 1e3, tg / tn))
            sys.stdout.flush()


if __name__ == '__main__':
    main()
