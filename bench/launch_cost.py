"""Host time per kernel launch, split by layer (issue 15's tiny ops, the launch-bound work of
issues 9-12).  Three workloads that are all launches:

  tiny    1000 x = x + 1 on 16 float32 elements, one read at the end (issue 15's row; the engine
          fuses the chain, so this is Python's and the graph's cost per operation)
  k3      200 kernels of 3 inputs (a * b + c into 200 live results of 256 elements), one sync
  mlp     one step of the MLP of bench/peers (784-100-100-10, batch 100; 33 kernels)
  mul, sum, relu, linear
          1000 x one operation on 32x32 float32 whose result is dropped (a * b, a.sum(),
          maximum(a, 0.0), a @ b.T + bias): the host's cost per operation of each path, µs per
          operation (not run by default)

For each: record (Python + engine graph building, per op), engine (wg_sync: lowering, kernel
cache, stream), executor (the JS executor's run, its stats.runMs), transport (the rest of the
sync: copying the chunk to the executor and back), all in µs per launch; medians of --rounds.

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so WGPY_BACKEND=webgpu \\
        python3 bench/launch_cost.py [--rounds 5] [--only tiny,k3,mlp]

With --baseline REV, every round also runs the workloads with git revision REV's Python
package and JavaScript (js/src: the executor and the remote host; this checkout's engine
library, so REV must share its ABI), in fresh processes, interleaved, and prints after / before
from the same run (--baseline-lib PATH: the baseline with that engine library instead, e.g. one
built from REV, so the engine's own changes are compared too).  --dump DIR saves the command-stream chunks (NNN.bin) that
bench/launch_replay.mjs replays through the executor alone.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def child(rounds, only, dump):
    sys.path.insert(0, os.path.join(ROOT, 'bench', 'peers'))
    import wgpy as wp
    from wgpy import _lib
    ex = _lib._executor
    if dump:
        import ctypes
        os.makedirs(dump, exist_ok=True)
        orig, seq = _lib._run_chunk, [0]

        def capture(run, p, n):
            with open(os.path.join(dump, '%03d.bin' % seq[0]), 'wb') as f:
                f.write(ctypes.string_at(p, n))
            seq[0] += 1
            return orig(run, p, n)
        _lib._run_chunk = capture

    def ex_ms():
        if ex is None or not hasattr(ex, 'stats'):
            return 0.0
        return json.loads(ex.stats())['runMs']

    def sync_split():
        """wg_sync's engine part and the executor's, in seconds."""
        t0 = time.perf_counter()
        _lib.check(_lib._wg_sync_engine(_lib.ctx))
        t1 = time.perf_counter()
        e0 = ex_ms()
        _lib.run_stream()
        t2 = time.perf_counter()
        e1 = ex_ms()
        return t1 - t0, t2 - t1, (e1 - e0) / 1e3

    out = {}

    def measure(name, setup, body, launches_of):
        res = []
        state = setup()
        for r in range(rounds + 1):
            wp.sync()
            ex_ms()  # (a stats round trip, outside the timing)
            wp.reset_counters()
            t0 = time.perf_counter()
            keep = body(state)
            t1 = time.perf_counter()
            eng, run, exe = sync_split()
            t2 = time.perf_counter()
            k = wp.counters()['kernels_launched']
            n = launches_of(k)
            if r:  # round 0 compiles
                res.append(dict(record=(t1 - t0), engine=eng, executor=exe, transport=max(0.0, run - exe),
                                total=(t2 - t0), kernels=k, n=n))
            del keep
        med = {key: statistics.median(x[key] for x in res) for key in res[0]}
        n = med['n']
        out[name] = {key: (v * 1e6 / n if key not in ('kernels', 'n') else v) for key, v in med.items()}

    if 'tiny' in only:
        def tiny_setup():
            x = wp.ones(16, dtype='float32')
            float(x[0])
            return [x]

        def tiny(state):
            x = state[0]
            for _ in range(1000):
                x = x + 1
            return x
        measure('tiny', tiny_setup, tiny, lambda k: 1000)  # per operation

    # One Python-level operation each, the result dropped (so nothing runs): the host's cost per
    # operation of the paths a framework's step is made of (Chainer's F.relu and F.linear forward).
    def per_op(name, make, n=1000):
        def setup():
            a, b = (wp.arange(1024, dtype='float32').reshape(32, 32) * (i + 1) for i in range(2))
            bias = wp.arange(32, dtype='float32')
            wp.sync()
            return a, b, bias

        def body(state):
            f = make(*state)
            for _ in range(n):
                r = f()
            return r
        measure(name, setup, body, lambda k: n)

    if 'mul' in only:
        per_op('mul', lambda a, b, bias: lambda: a * b)
    if 'sum' in only:
        per_op('sum', lambda a, b, bias: lambda: a.sum())
    if 'relu' in only:
        per_op('relu', lambda a, b, bias: lambda: wp.maximum(a, 0.0))
    if 'linear' in only:  # x @ W.T + b: two operations
        per_op('linear', lambda a, b, bias: lambda: a @ b.T + bias)

    if 'k3' in only:
        def k3_setup():
            a, b, c = (wp.arange(256, dtype='float32') * (i + 1) for i in range(3))
            wp.sync()
            return a, b, c

        def k3(state):
            a, b, c = state
            return [a * b + c for _ in range(200)]
        measure('k3', k3_setup, k3, lambda k: max(k, 1))

    if 'mlp' in only:
        import wgpy_peers as P

        def mlp_setup():
            p = {"d_in": 784, "hidden": 100, "d_out": 10, "batch": 100, "lr": 0.1}
            params, X, Y = P._mlp_init(p)
            for a in params + [X, Y]:
                P._read_all(a)
            for _ in range(3):
                float(P._mlp_step(params, X, Y, 0.1))
            return params, X, Y

        def mlp(state):
            params, X, Y = state
            return P._mlp_step(params, X, Y, 0.1)
        measure('mlp', mlp_setup, mlp, lambda k: max(k, 1))
    print(json.dumps(out))


def baseline_tree(rev):
    """REV's python/ and js/src/ in a temporary directory, with this checkout's node_modules.
    REV may also be a directory holding them (a machine without the git history: make one with
    `git archive REV python js/src package.json | tar -x -C DIR`)."""
    tmp = tempfile.mkdtemp(prefix='wgpy-baseline-')
    if os.path.isdir(rev):
        for d in ('python', 'js', 'package.json'):
            src = os.path.join(rev, d)
            (shutil.copytree if os.path.isdir(src) else shutil.copy)(src, os.path.join(tmp, d))
    else:
        arch = subprocess.run(['git', '-C', ROOT, 'archive', rev, 'python', 'js/src', 'package.json'],
                              check=True, capture_output=True).stdout
        subprocess.run(['tar', '-x', '-C', tmp], input=arch, check=True)
    os.symlink(os.path.realpath(os.path.join(ROOT, 'node_modules')), os.path.join(tmp, 'node_modules'))
    return tmp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=5)
    ap.add_argument('--only', default='tiny,k3,mlp')
    ap.add_argument('--baseline', default='', help='a git revision to compare with (python/, js/src/)')
    ap.add_argument('--baseline-lib', default='', help="the baseline's engine library (default: this one's)")
    ap.add_argument('--repeat', type=int, default=3, help='fresh processes per configuration (with --baseline)')
    ap.add_argument('--dump', default='', help='save the stream chunks here (bench/launch_replay.mjs)')
    ap.add_argument('--child', action='store_true')
    a = ap.parse_args()
    only = a.only.split(',')
    if a.child:
        child(a.rounds, only, a.dump)
        return
    configs = [('this checkout', None)]
    tmp = None
    if a.baseline:
        tmp = baseline_tree(a.baseline)
        configs.insert(0, ('baseline ' + a.baseline, tmp))
    results = {c: [] for c, _ in configs}
    try:
        for _ in range(a.repeat if a.baseline else 1):  # interleaved fresh processes
            for cname, tree in configs:
                env = dict(os.environ)
                if tree:
                    env['PYTHONPATH'] = os.path.join(tree, 'python')
                    env['WGPY_ROOT'] = tree
                    if a.baseline_lib:
                        env['WGPY_LIBRARY'] = os.path.abspath(a.baseline_lib)
                cmd = [sys.executable, os.path.abspath(__file__), '--child', '--rounds', str(a.rounds),
                       '--only', a.only] + (['--dump', a.dump] if a.dump and not tree else [])
                p = subprocess.run(cmd, env=env, capture_output=True, text=True)
                if p.returncode:
                    sys.exit(p.stderr)
                results[cname].append(json.loads(p.stdout.strip().splitlines()[-1]))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print('backend %s; µs per launch (tiny, mul, sum, relu, linear: per operation), medians'
          % os.environ.get('WGPY_BACKEND', 'cpu'))
    cols = ('record', 'engine', 'transport', 'executor', 'total')
    print('%-22s %-5s %6s ' % ('config', 'work', 'kern') + ' '.join('%10s' % c for c in cols))
    tot = {}
    for cname, _ in configs:
        for w in only:
            rows = [r[w] for r in results[cname]]
            med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
            tot[(cname, w)] = med['total']
            print('%-22s %-5s %6d ' % (cname, w, med['kernels']) +
                  ' '.join('%10.1f' % med[c] for c in cols))
    if a.baseline:
        (b, _), (f, _) = configs
        for w in only:
            print('%-5s total after / before: %.2f' % (w, tot[(f, w)] / tot[(b, w)]))


if __name__ == '__main__':
    main()
