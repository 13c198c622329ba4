"""Sort and argsort per call on a device, variants interleaved in one process (session 16, issue 10;
bench/h100/s16_sort16.sh).  A variant is a set of WGPY_RADIX_* variables, which the engine reads at
every launch, so one process alternates them call by call (same clocks, same buffers): for each
size, dtype and op, every variant's first call (compiles; checked against NumPy with --check),
then --reps rounds of one call of each variant in turn.  Per variant: wall per call (each call ends
in a read of one element) and, with WGPY_GPU_TIMING=ids, the GPU time a call summed over its
dispatches and the dispatches (key: shape and kernel id) above 0.005 ms.

    WGPY_BACKEND=webgpu [WGPY_GPU_TIMING=ids] python3 bench/h100/sort16_bench.py [--reps R]
        [--dtypes float32,int32] [--ops sort,argsort] [--check | --check-max N]
        [--variants 'new;cnt0:WGPY_RADIX_COUNT=0;...'] [n ...]

Data: bench/sort.py's (floats in [0, 1)); int32: the full range with ties (as sort_cupy.py)."""
import json
import os
import sys
import time

import wgpy as wp
from wgpy import _sort


def gpu_stats():
    from wgpy import _remote
    ex = next(iter(_remote._open.values()), None)
    return json.loads(ex.stats()).get('gpuKernels', {}) if ex else {}


def data(n, dt):
    x = wp.arange(n, dtype='float32')
    x = wp.sin(x * 12.9898) * 43758.5453
    x = x - wp.floor(x)
    if dt == 'int32':
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            return ((x * 4294967295.0 - 2147483648.0).astype('int64') // 8 * 8).astype('int32')  # ties
    return x


def parse_variants(spec):
    out = []
    for part in spec.split(';'):
        if not part.strip():
            continue
        name, _, envs = part.partition(':')
        env = dict(kv.split('=', 1) for kv in envs.split('+') if kv)
        out.append((name.strip(), env))
    return out


def opt(args, name, default):
    if name in args:
        k = args.index(name)
        v = args[k + 1]
        del args[k:k + 2]
        return v
    return default


def main():
    args = sys.argv[1:]
    reps = int(opt(args, '--reps', '8'))
    dts = opt(args, '--dtypes', 'float32,int32').split(',')
    ops = opt(args, '--ops', 'sort,argsort').split(',')
    variants = parse_variants(opt(args, '--variants', 'new'))
    cmax = opt(args, '--check-max', None)
    check = cmax is not None
    if '--check' in args:
        check = True
        args.remove('--check')
    sizes = [int(s) for s in args] or [1 << 20, 1 << 24]
    prof = bool(os.environ.get('WGPY_GPU_TIMING'))
    keys = sorted({k for _, e in variants for k in e})
    base = {k: os.environ.get(k) for k in keys}

    def setenv(env):
        for k in keys:
            v = env.get(k, base[k])
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    _sort._set_sort_path('radix')
    fns = {'sort': wp.sort, 'argsort': wp.argsort}
    for n in sizes:
        chk = check and (cmax is None or n <= int(cmax))
        for dt in dts:
            x = data(n, dt)
            wp.sync()
            xn = wp.asnumpy(x) if chk else None
            for op in ops:
                f = fns[op]
                res = {v: {'wall': [], 'gpu': {}, 'first': 0.0, 'launch': 0} for v, _ in variants}
                for v, env in variants:
                    setenv(env)
                    t0 = time.perf_counter()
                    r = f(x)
                    float(r[n - 1])
                    res[v]['first'] = (time.perf_counter() - t0) * 1e3
                    if chk:
                        import numpy as np
                        got = wp.asnumpy(r)
                        want = np.sort(xn) if op == 'sort' else np.argsort(xn, kind='stable')
                        print('%-9d %-7s %-8s %-8s check %s' % (n, dt, op, v, 'ok' if np.array_equal(got, want) else 'WRONG'))
                    del r
                for _ in range(reps):
                    for v, env in variants:
                        setenv(env)
                        g0 = gpu_stats() if prof else {}
                        c0 = wp.counters()['kernels_launched']
                        t0 = time.perf_counter()
                        float(f(x)[n - 1])
                        res[v]['wall'].append((time.perf_counter() - t0) * 1e3)
                        res[v]['launch'] = wp.counters()['kernels_launched'] - c0
                        if prof:
                            g1 = gpu_stats()
                            acc = res[v]['gpu']
                            for k, e in g1.items():
                                d = e['ms'] - g0.get(k, {}).get('ms', 0)
                                if e['n'] > g0.get(k, {}).get('n', 0):
                                    acc.setdefault(k, []).append(d)
                setenv({})
                for v, _ in variants:
                    s = sorted(res[v]['wall'])
                    print('%-9d %-7s %-8s %-8s wall min %7.3f med %7.3f ms  first %7.1f  launches %d' % (
                        n, dt, op, v, s[0], s[len(s) // 2], res[v]['first'], res[v]['launch']))
                    if prof and res[v]['gpu']:
                        # per dispatch key: the median over the rounds; the call's total: the
                        # median and minimum of the per-round sums
                        per = sorted(((sorted(m)[len(m) // 2], k) for k, m in res[v]['gpu'].items()), reverse=True)
                        tot = [sum(m[i] for m in res[v]['gpu'].values() if i < len(m)) for i in range(reps)]
                        tot.sort()
                        print('      gpu med %.3f min %.3f ms a call: %s' % (tot[len(tot) // 2], tot[0], ', '.join(
                            '%.3f %s' % (m, k.replace('elementwise main ', '').replace('main_vec4 ', ''))
                            for m, k in per if m >= 0.005)))
                sys.stdout.flush()
    _sort._set_sort_path('auto')


if __name__ == '__main__':
    main()
