"""Where one Chainer training iteration's time goes on wgpy over a real GPU (issue 12): per
iteration the wall time, the time Python spends issuing it (forward, backward, update: Chainer
and the engine's recording) against the final `float(loss)` (the stream sent, run, waited for),
kernels launched, host syncs, and the GPU time per dispatch shape (WGPY_GPU_TIMING=1).

    WGPY_GPU_TIMING=1 WGPY_BACKEND=webgpu PYTHONPATH=python:... WGPY_LIBRARY=... \\
        python3 bench/h100/train_profile.py [--model cnn] [--batch 32] [--iters 10] [--top 15]"""
import argparse
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
for _p in (os.path.join(ROOT, 'build', 'chainer', 'site'), os.path.join(ROOT, 'tools'),
           os.path.join(ROOT, 'examples')):
    sys.path.append(_p)

import numpy  # noqa: E402

import cupy  # noqa: E402
import mnist_data  # noqa: E402
import train_mnist  # noqa: E402
import wgpy  # noqa: E402
from wgpy import _lib  # noqa: E402


def stats():
    s = _lib._executor.stats() if _lib._executor else '{}'
    s = json.loads(s) if isinstance(s, (str, bytes)) else s
    return s.get('gpuKernels') or {}, s


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model', default='cnn')
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--iters', type=int, default=10)
    p.add_argument('--top', type=int, default=15)
    a = p.parse_args()
    model = train_mnist.make_model(a.model)
    model.to_gpu()
    opt = train_mnist.make_optimizer('momentum', model)
    x, t, _, _ = mnist_data.load(3 if a.model == 'cnn' else 1)
    rs = numpy.random.RandomState(0)
    rows = []
    g_start = None
    for i in range(3 + a.iters):
        if i == 3:
            g_start, s_start = stats()
            c_start = wgpy.counters()
        idx = rs.randint(0, len(t), a.batch)
        t0 = time.perf_counter()
        loss = model(cupy.asarray(x[idx]), cupy.asarray(t[idx]))
        model.cleargrads()
        loss.backward()
        opt.update()
        t1 = time.perf_counter()
        float(loss.array)
        t2 = time.perf_counter()
        if i >= 3:
            rows.append((t2 - t0, t1 - t0, t2 - t1))
    g_end, s_end = stats()
    c_end = wgpy.counters()
    n = a.iters
    med = sorted(rows)[n // 2]
    print('%s batch %d: wall %.2f ms (issue %.2f + loss read %.2f), median of %d; mean wall %.2f' % (
        a.model, a.batch, med[0] * 1e3, med[1] * 1e3, med[2] * 1e3, n, sum(r[0] for r in rows) / n * 1e3))
    for k in ('kernels_launched', 'ops_recorded', 'ops_fused', 'flushes', 'kernel_cache_misses', 'host_syncs_for_size', 'index_checks', 'bytes_uploaded'):
        if k in c_end:
            print('  %s per iteration: %.1f' % (k, (c_end[k] - c_start[k]) / n))
    d = {k: (s_end.get(k, 0) - s_start.get(k, 0)) / n for k in
         ('runs', 'dispatches', 'runMs', 'waitMs', 'submitMs', 'compileMs', 'bindGroupsMade',
          'aliasCopies', 'enqueued', 'enqueueMs')}
    print('  executor per iteration: runs %.1f, dispatches %.1f, runMs %.2f = compile %.2f + wait %.2f + '
          'submit %.2f + encode and the rest %.2f' % (d['runs'], d['dispatches'], d['runMs'], d['compileMs'],
                                                   d['waitMs'], d['submitMs'],
                                                   d['runMs'] - d['compileMs'] - d['waitMs'] - d['submitMs']))
    print('  per iteration: bind groups made %.1f, alias copies %.1f, chunks enqueued %.1f (%.2f ms)' % (
        d['bindGroupsMade'], d['aliasCopies'], d['enqueued'], d['enqueueMs']))
    if not g_end:
        return
    per = sorted(((v['ms'] - g_start.get(k, {}).get('ms', 0)) / n, (v['n'] - g_start.get(k, {}).get('n', 0)) / n, k)
                 for k, v in g_end.items() if v['n'] > g_start.get(k, {}).get('n', 0))[::-1]
    print('  GPU per iteration %.3f ms in %.1f timed dispatches' % (sum(q[0] for q in per), sum(q[1] for q in per)))
    for ms, cnt, k in per[:a.top]:
        print('    %8.3f ms  x%-5.1f %s' % (ms, cnt, k))


if __name__ == '__main__':
    main()
