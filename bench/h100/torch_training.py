"""PyTorch's time per training iteration for bench/chainer_training.py's models, on CUDA.

    python3 bench/h100/torch_training.py [--iters 20] [--batches 32,100] [--models mlp,cnn]

The same networks as examples/train_mnist.py (MLP: Linear 784-100-100-10 with ReLU; CNN:
conv3x3(1->8)+BN+ReLU, max pool 2, conv3x3(8->16)+BN+ReLU, average pool 2, Linear 784->10),
softmax cross entropy, MomentumSGD(lr=0.01, momentum=0.9); an iteration is forward, backward,
update and reading the loss (loss.item()), as Chainer's bench does.  The first 3 iterations are
not timed; the median of the timed ones is printed, with the CUDA kernels one iteration launches
(torch.profiler).  Input batches come from the same MNIST digits (--npz, keras' mnist.npz)."""
import argparse
import time

import numpy
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2, self.l3 = nn.Linear(784, 100), nn.Linear(100, 100), nn.Linear(100, 10)

    def forward(self, x):
        return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8)
        self.c2, self.b2 = nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16)
        self.l3 = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2)
        h = F.avg_pool2d(F.relu(self.b2(self.c2(h))), 2)
        return self.l3(h.flatten(1))


def run(model_name, batch, iters, x_all, t_all, warm=3):
    dev = torch.device('cuda')
    torch.manual_seed(0)
    net = (MLP() if model_name == 'mlp' else CNN()).to(dev)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    rs = numpy.random.RandomState(0)
    x_src = x_all if model_name == 'mlp' else x_all.reshape(-1, 1, 28, 28)

    def step():
        idx = rs.randint(0, len(t_all), batch)
        x = torch.from_numpy(x_src[idx]).to(dev)
        t = torch.from_numpy(t_all[idx]).to(dev)
        loss = F.cross_entropy(net(x), t)
        opt.zero_grad(set_to_none=False)
        loss.backward()
        opt.step()
        return loss.item()

    times = []
    for i in range(warm + iters):
        t0 = time.perf_counter()
        step()
        if i >= warm:
            times.append(time.perf_counter() - t0)
    kernels = None
    try:
        from torch.profiler import profile, ProfilerActivity
        with profile(activities=[ProfilerActivity.CUDA]) as prof:
            step()
        kernels = sum(1 for e in prof.events() if e.device_type.name == 'CUDA')
    except Exception:  # the profiler is optional
        pass
    return float(numpy.median(times)), kernels, times


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--iters', type=int, default=20)
    p.add_argument('--batches', default='32,100')
    p.add_argument('--models', default='mlp,cnn')
    p.add_argument('--npz', default='dist/data/mnist.npz')
    p.add_argument('--warm', type=int, default=3)
    p.add_argument('--windows', type=int, default=1, help='also the medians of K consecutive windows')
    a = p.parse_args()
    d = numpy.load(a.npz)
    x_all = (d['x_train'].reshape(-1, 784).astype(numpy.float32) / 255.0)
    t_all = d['y_train'].astype(numpy.int64)
    print('torch', torch.__version__, torch.cuda.get_device_name(0))
    print('| model | batch | PyTorch CUDA ms/iter | CUDA kernels/iter |')
    print('|---|---|---|---|')
    for m in a.models.split(','):
        for b in (int(v) for v in a.batches.split(',')):
            t, k, times = run(m, b, a.iters, x_all, t_all, a.warm)
            w = len(times) // a.windows
            win = ' [windows %s]' % ' '.join('%.2f' % (numpy.median(times[j * w:(j + 1) * w]) * 1e3)
                                            for j in range(a.windows)) if a.windows > 1 else ''
            print('| %s | %d | %.3f | %s |%s' % (m, b, t * 1e3, k, win))


if __name__ == '__main__':
    main()
