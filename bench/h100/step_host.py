"""The host side of Chainer's training step without a device: the webgpu backend with a null
executor (every chunk accepted and dropped, READs left unwritten), so what is timed is Python
(Chainer's and wgpy's) and the engine's recording and lowering, nothing of the pipe, the Node host
or the GPU.  Prints the issue time a step (median and min of ITERS), the engine's counters a
step, and with --prof cProfile's self time a step by area (chainer, wgpy, other) and the wgpy
functions that take most.  The loss read returns garbage: only the time means anything.

    PYTHONPATH=python:.cch/site WGPY_LIBRARY=... python3 bench/h100/step_host.py cnn 32 [ITERS] [--prof]
    ... step_host.py cnn:32,cnn:100,mlp:100 ITERS   (several models and batches in one process:
    one import of Chainer, one line each)"""
import os
import statistics
import sys
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

_null = types.ModuleType('_wgpy_webgpu')  # found by _lib.open_executor before the remote host
_null.run = lambda p, n: None
_null.enqueue = lambda p, n: True
_null.max_bindings, _null.cpu_like, _null.wg_storage, _null.own_process = 10, False, 49152, True
if '--real' not in sys.argv:  # --real: the real executor (the Node host): hand-offs' cost included
    sys.modules['_wgpy_webgpu'] = _null
os.environ['WGPY_BACKEND'] = 'webgpu'

import numpy  # noqa: E402
import chainer  # noqa: E402
import cupy  # noqa: E402
import wgpy  # noqa: E402
import train_ms  # noqa: E402

# BENCH_CLOCK=process: CPU time of this process (a shared machine's other work then does not
# count: bench/ops15_host.py); the wall clock by default
clock = time.process_time if os.environ.get('BENCH_CLOCK') == 'process' else time.perf_counter


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    if args and ':' in args[0]:  # NAME:BATCH,NAME:BATCH [ITERS]
        iters = int(args[1]) if len(args) > 1 else 50
        for nb in args[0].split(','):
            name, _, batch = nb.partition(':')
            one(name, int(batch), iters)
        return
    one(args[0] if args else 'cnn', int(args[1]) if len(args) > 1 else 32,
        int(args[2]) if len(args) > 2 else 50)


def one(name, batch, iters):
    make_model, _ = train_ms._models()
    model = make_model(name)
    model.to_gpu()
    opt = chainer.optimizers.MomentumSGD(lr=0.01, momentum=0.9)
    opt.setup(model)
    x, t = train_ms._data(name)
    rs = numpy.random.RandomState(0)

    def step():
        idx = rs.randint(0, len(t), batch)
        loss = model(cupy.asarray(x[idx]), cupy.asarray(t[idx]))
        model.cleargrads()
        loss.backward()
        opt.update()
        t1 = clock()
        float(loss.array)
        return t1
    # BENCH_WARM (default 5) untimed steps first: BatchNormalization's composed running averages
    # compile their cut kernels in the first ~10 steps (kernel cache misses), none after
    for _ in range(int(os.environ.get('BENCH_WARM', '5'))):
        step()
    c0 = wgpy.counters()
    ts = []
    for _ in range(iters):
        t0 = clock()
        ts.append(step() - t0)
    c1 = wgpy.counters()
    per = {k: (c1[k] - c0[k]) / iters for k in ('kernels_launched', 'ops_recorded', 'handoffs', 'bytes_uploaded')}
    print('%s %d: host issue %.3f ms a step (min %.3f); a step: %s' % (
        name, batch, statistics.median(ts) * 1e3, min(ts) * 1e3,
        ', '.join('%s %.0f' % kv for kv in per.items())), flush=True)
    if '--prof' in sys.argv:
        import collections
        import cProfile
        import pstats
        pr = cProfile.Profile(clock)
        pr.enable()
        for _ in range(iters):
            step()
        pr.disable()
        st = pstats.Stats(pr)
        area = collections.Counter()
        rows = []
        for (f, line, fn), (_cc, nc, tt, ct, _callers) in st.stats.items():
            a = ('chainer' if '/chainer/' in f else 'wgpy' if '/wgpy/' in f else 'cupy' if '/cupy/' in f
                 else 'builtins' if f == '~' else 'other')
            area[a] += tt
            if a in ('wgpy', 'cupy'):
                rows.append((tt, nc, ct, '%s:%d %s' % (os.path.basename(f), line, fn)))
        tot = sum(area.values())
        print('cProfile self time a step (%.2f ms under the profiler): %s' % (
            tot / iters * 1e3, ', '.join('%s %.0f%%' % (k, 100 * v / tot) for k, v in area.most_common())))
        for tt, nc, ct, where in sorted(rows, reverse=True)[:int(os.environ.get('TOP', '14'))]:
            print('  %6.3f ms self %6.3f cum %5.1f calls  %s' % (tt / iters * 1e3, ct / iters * 1e3, nc / iters, where))
        ch = sorted(((tt, nc, ct, '%s:%d %s' % (os.path.basename(f), line, fn))
                     for (f, line, fn), (_cc, nc, tt, ct, _c) in st.stats.items() if '/chainer/' in f), reverse=True)
        print('chainer, most self time:')
        for tt, nc, ct, where in ch[:int(os.environ.get('TOP', '14')) // 2]:
            print('  %6.3f ms self %6.3f cum %5.1f calls  %s' % (tt / iters * 1e3, ct / iters * 1e3, nc / iters, where))


if __name__ == '__main__':
    main()
