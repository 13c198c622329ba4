"""Host cost of one tiny operation (issue 15: 1000 `x + 1` on 16 elements), natively or in
Pyodide: µs an operation for a few common shapes of call, best of ROUNDS rounds of N operations,
every result dropped (the engine then never runs it: what is timed is Python, ctypes and the
engine's recording).  BENCH_CLOCK=process times CPU time instead of the wall clock.  One line a workload, `name us`, for bench/ops15_host.py to read.

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/tiny_ops.py [N] [ROUNDS]
    scripts/wgpy --wheel W.whl run bench/tiny_ops.py [N] [ROUNDS]"""
import os
import sys
import time

import wgpy as wp

# BENCH_CLOCK=process: the process's CPU time, not the wall clock (a machine shared with other
# work: time slices given to others then do not count; bench/ops15_host.py sets it natively)
clock = time.process_time if os.environ.get('BENCH_CLOCK') == 'process' else time.perf_counter


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    x = wp.arange(16, dtype=wp.float32)
    y = wp.ones(16, dtype=wp.float32)
    m = wp.ones((4, 16), dtype=wp.float32)
    ek = wp.ElementwiseKernel('T a, T b', 'T c', 'c = a * b + (T)1', 'ops15_fma')
    work = {
        'x+1': lambda: x + 1,
        'x+1.0': lambda: x + 1.0,
        'x*y': lambda: x * y,
        'm+x': lambda: m + x,          # broadcast
        '-x': lambda: -x,
        'exp(x)': lambda: wp.exp(x),
        'maximum(x,0)': lambda: wp.maximum(x, 0),
        'x.sum()': lambda: x.sum(),
        'm.T': lambda: m.T,
        'x[2:]': lambda: x[2:],
        'x.reshape': lambda: x.reshape(4, 4),
        'x.astype': lambda: x.astype(wp.int32),
        'ekernel': lambda: ek(x, y),
    }
    # every workload once before any is timed: V8 compiles Pyodide's wasm in tiers, and the
    # first rows of a run timed the baseline tier (x + 1 at 2-4x its later cost)
    for f in work.values():
        for _ in range(n):
            f()
    for name, f in work.items():
        best = float('inf')
        for _ in range(rounds):
            t = clock()
            for _ in range(n):
                f()
            best = min(best, clock() - t)
        print('%s %.3f' % (name, best / n * 1e6), flush=True)
    # the chain of issue 15: 1000 x = x + 1, one read
    best = float('inf')
    for _ in range(rounds):
        t = clock()
        z = x
        for _ in range(1000):
            z = z + 1
        float(z[3])
        best = min(best, clock() - t)
    print('chain1000 %.3f' % (best / 1000 * 1e6), flush=True)


if __name__ == '__main__':
    main()
