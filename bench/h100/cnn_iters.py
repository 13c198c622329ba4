"""Chainer CNN iterations (batch 8) on wgpy with kernel-cache misses and launches per iteration: a workload for node --cpu-prof (run_session11g.sh)."""
import os, sys
sys.path[:0] = ['build/chainer/site', 'tools', 'examples']  # (the device: .cch/site on PYTHONPATH)
import numpy, cupy, wgpy, mnist_data, train_mnist
model = train_mnist.make_model('cnn'); model.to_gpu()
opt = train_mnist.make_optimizer('momentum', model)
x, t, _, _ = mnist_data.load(3)
rs = numpy.random.RandomState(0)
for i in range(int(os.environ.get("ITERS", "12"))):
    c0 = wgpy.counters()
    idx = rs.randint(0, len(t), int(os.environ.get("BATCH", "8")))
    loss = model(cupy.asarray(x[idx]), cupy.asarray(t[idx]))
    model.cleargrads(); loss.backward(); opt.update(); float(loss.array)
    c1 = wgpy.counters()
    print(i, 'misses', c1['kernel_cache_misses'] - c0['kernel_cache_misses'], 'launched', c1['kernels_launched'] - c0['kernels_launched'], 'ucompiles', c1['user_kernel_compiles'] - c0['user_kernel_compiles'])
