"""Chainer's training step on wgpy alone (bench/chainer_training.py's loop, without its numpy
runs): ms per iteration, median of ITERS after WARM, two decimals, one line per model and batch.

    WGPY_BACKEND=webgpu PYTHONPATH=python:... python3 bench/h100/train_ms.py [ITERS] [WARM] [mlp,cnn] [32,100]"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import chainer_training  # noqa: E402


def main():
    iters = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    warm = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    models = (sys.argv[3] if len(sys.argv) > 3 else 'mlp,cnn').split(',')
    batches = [int(b) for b in (sys.argv[4] if len(sys.argv) > 4 else '32,100').split(',')]
    out = []
    for m in models:
        for b in batches:
            out.append('%s %d %.2f' % (m, b, chainer_training.time_iters(m, b, True, iters, warm) * 1e3))
    print('ms/iter: ' + ', '.join(out), flush=True)


if __name__ == '__main__':
    main()
