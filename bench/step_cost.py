"""The cost of one training step (issue 15's MLP: 784-100-100-10, batch 100, SGD; the step of
bench/peers/wgpy_peers.py), natively: kernels, executor dispatches and host round trips per step,
and ms per step, per configuration, in interleaved rounds (one fresh Python per configuration and
round, so that the machine's load falls on all alike).

    python3 bench/step_cost.py [--rounds 3] [--steps 10] [--batch 100] [--configs a,b,...]

Configurations: cpu (in process); webgpu (Node + Dawn, docs/remote.md) with the executor's
automatic kernel shapes; webgpu-before: the shapes of before the step-cost work forced through
the Node host (WGPY_WEBGPU_MATMUL=tile: the workgroup-tile matmul, WGPY_WEBGPU_REDUCE=cpu: the
workgroup-tree reduction on a CPU adapter).  With --profile, one more webgpu run with GPU
timestamps prints the GPU time per kernel shape (WGPY_GPU_TIMING=1; executor stats.gpuKernels).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHILD = r'''
import json, os, statistics, sys, time
sys.path.insert(0, os.path.join(sys.argv[1], 'bench', 'peers'))
import wgpy as wp
import wgpy_peers as P
steps, batch = int(sys.argv[2]), int(sys.argv[3])
p = {"d_in": 784, "hidden": 100, "d_out": 10, "batch": batch, "lr": 0.1}
params, X, Y = P._mlp_init(p)
for a in params + [X, Y]:
    P._read_all(a)
for _ in range(3):
    float(P._mlp_step(params, X, Y, 0.1))
from wgpy import _remote
ex = next(iter(_remote._open.values()), None)
trips0 = ex.round_trips if ex else 0
s0 = json.loads(ex.stats()) if ex else {}
wp.reset_counters()
t, rec = [], []
for _ in range(steps):
    t0 = time.perf_counter()
    loss = P._mlp_step(params, X, Y, 0.1)
    t1 = time.perf_counter()
    loss = float(loss)
    t.append(time.perf_counter() - t0)
    rec.append(t1 - t0)
c = wp.counters()
out = {'ms': statistics.median(t) * 1e3, 'min_ms': min(t) * 1e3, 'record_ms': statistics.median(rec) * 1e3,
       'kernels': c['kernels_launched'] / steps, 'reads': (ex.round_trips - trips0) / steps if ex else
       c['flushes'] / steps, 'loss': loss}
if ex:
    s1 = json.loads(ex.stats())
    out['dispatches'] = (s1['dispatches'] - s0['dispatches']) / steps
    if 'gpuKernels' in s1:
        g0 = s0.get('gpuKernels', {})
        out['gpu'] = sorted(((v['ms'] - g0.get(k, {}).get('ms', 0)) / steps, k)
                            for k, v in s1['gpuKernels'].items()
                            if v['n'] > g0.get(k, {}).get('n', 0))[::-1]
print(json.dumps(out))
'''

CONFIGS = {
    'cpu': {'WGPY_BACKEND': 'cpu'},
    'webgpu-before': {'WGPY_BACKEND': 'webgpu', 'WGPY_REMOTE_HOST': 'node',
                      'WGPY_WEBGPU_MATMUL': 'tile', 'WGPY_WEBGPU_REDUCE': 'cpu'},
    'webgpu': {'WGPY_BACKEND': 'webgpu', 'WGPY_REMOTE_HOST': 'node'},
}


def child(extra, steps, batch):
    lib = os.environ.get('WGPY_LIBRARY', os.path.join(ROOT, 'build', 'native', 'libwgpy.so'))
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, 'python'), WGPY_LIBRARY=lib, **extra)
    out = subprocess.run([sys.executable, '-c', CHILD, ROOT, str(steps), str(batch)], env=env,
                         capture_output=True, text=True, timeout=900)
    if out.returncode:
        raise SystemExit('step_cost: %s failed:\n%s' % (extra, out.stderr[-3000:]))
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--steps', type=int, default=10)
    ap.add_argument('--batch', type=int, default=100)
    ap.add_argument('--configs', default=','.join(CONFIGS))
    ap.add_argument('--profile', action='store_true')
    a = ap.parse_args()
    names = a.configs.split(',')
    res = {n: [] for n in names}
    for r in range(a.rounds):
        for n in (names if r % 2 == 0 else names[::-1]):
            res[n].append(child(CONFIGS[n], a.steps, a.batch))
            print('round %d %s: %.2f ms/step' % (r, n, res[n][-1]['ms']), file=sys.stderr)
    print('| config | kernels/step | dispatches/step | host reads/step | record ms/step | ms/step (median of rounds) | [min–max of round medians] | loss |')
    print('|---|---|---|---|---|---|---|---|')
    for n in names:
        rs = res[n]
        ms = [x['ms'] for x in rs]
        print('| %s | %g | %s | %g | %.2f | %.2f | [%.2f–%.2f] | %.5f |' % (
            n, rs[0]['kernels'], ('%g' % rs[0]['dispatches']) if 'dispatches' in rs[0] else '—',
            rs[0]['reads'], statistics.median(x['record_ms'] for x in rs), statistics.median(ms),
            min(ms), max(ms), rs[0]['loss']))
    if a.profile:
        for n in [x for x in names if x.startswith('webgpu')]:
            r = child(dict(CONFIGS[n], WGPY_GPU_TIMING='1'), a.steps, a.batch)
            print('\nGPU time per step by kernel shape, %s (timestamps; total %.2f ms):' % (n, sum(x[0] for x in r['gpu'])))
            for ms, k in r['gpu']:
                print('  %8.3f ms  %s' % (ms, k))


if __name__ == '__main__':
    main()
