"""wgpy.fuse against the same function op by op (issue 15's "1000 tiny ops" and its neighbours),
natively or in Pyodide: the process's CPU time (BENCH_CLOCK=wall: the wall clock) per call of
each function, the whole call (recording or replaying, the sync, the read of the result), fused
and unfused alternated ROUNDS times, LOOPS calls a round; prints the minimum and median of the
rounds' per-call times and their ratio, one line a workload.

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/fuse_tiny.py [ROUNDS] [LOOPS]
    scripts/wgpy --wheel W.whl run bench/fuse_tiny.py [ROUNDS] [LOOPS]"""
import os
import statistics
import sys
import time

import wgpy as wp

clock = time.perf_counter if os.environ.get('BENCH_CLOCK') == 'wall' else time.process_time


def tiny(x):
    for _ in range(1000):
        x = x + 1.0
    return x


def tiny100(x):
    for _ in range(100):
        x = x + 1.0
    return x


def chain_sum(x):
    return ((x * 1.5 + 2.0) * x - x * 0.5).sum()


def mandel(real, imag):
    xs = wp.zeros((real.size, imag.size), dtype='float32')
    ys = wp.zeros((real.size, imag.size), dtype='float32')
    count = wp.zeros((real.size, imag.size), dtype='int32')
    for _ in range(50):
        xs, ys = xs * xs - ys * ys + real, xs * ys * 2.0 + imag
        count += ((xs * xs + ys * ys) < 4.0).astype('int32')
    return count.sum()


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    loops = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    x16 = wp.ones(16, dtype='float32')
    x4k = wp.arange(4096, dtype='float32') / 4096.0
    real = wp.linspace(-2.0, 0.5, 16, dtype='float32').reshape(16, 1)
    imag = wp.linspace(-1.25, 1.25, 16, dtype='float32').reshape(1, 16)
    work = [('1000 x = x + 1.0, 16 float32', tiny, (x16,)),
            ('100 x = x + 1.0, 16 float32', tiny100, (x16,)),
            ('((x*1.5+2)*x - x*0.5).sum(), 4096', chain_sum, (x4k,)),
            ('Mandelbrot 16x16, 50 iterations, count.sum()', mandel, (real, imag))]
    print('wgpy.fuse vs op by op, backend %s, %s time per call (record/replay, sync, read), '
          '%d rounds x %d calls alternated, load %s'
          % (wp.get_backend_name(), 'wall' if clock is time.perf_counter else 'CPU', rounds, loops,
             ' '.join('%.1f' % v for v in os.getloadavg()) if hasattr(os, 'getloadavg') else '?'))
    for name, f, args in work:
        fused = wp.fuse(f)
        want = f(*args).tolist()
        for _ in range(3):
            assert fused(*args).tolist() == want
        per = {'unfused': [], 'fused': []}
        for _ in range(rounds):
            for label, fn in (('unfused', f), ('fused', fused)):
                t = clock()
                for _ in range(loops):
                    fn(*args).tolist()
                per[label].append((clock() - t) / loops * 1e3)
        u, g = per['unfused'], per['fused']
        print('%-46s unfused min %.3f med %.3f ms | fused min %.3f med %.3f ms | fused/unfused '
              'min %.2f med %.2f' % (name, min(u), statistics.median(u), min(g),
                                     statistics.median(g), min(g) / min(u),
                                     statistics.median(g) / statistics.median(u)), flush=True)
    c = wp.counters()
    print('counters: fuse_traces %d, fuse_replays %d, fuse_eager %d'
          % (c['fuse_traces'], c['fuse_replays'], c['fuse_eager']))


if __name__ == '__main__':
    main()
