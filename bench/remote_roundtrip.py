"""The cost of one sync point through each remote executor (docs/remote.md), natively.

    python3 bench/remote_roundtrip.py [N]

For each host it starts a fresh Python (WGPY_BACKEND=..., WGPY_REMOTE_HOST=...), times N
`float(x.sum())` of a 1000-element array (one dispatch, one 4-byte READ) after a warm-up, and a
4 MiB read (`asnumpy` of 1M float32), and prints the medians beside the in-process cpu backend's."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHILD = r'''
import json, statistics, sys, time
import wgpy as wp
n = int(sys.argv[1])
x = wp.arange(1000, dtype='float32')
big = wp.arange(1 << 20, dtype='float32')
for _ in range(5): float(x.sum()); wp.asnumpy(big)
t = []
for _ in range(n):
    t0 = time.perf_counter(); float(x.sum()); t.append(time.perf_counter() - t0)
r = []
for _ in range(max(3, n // 10)):
    y = big + 1; float(y[0])  # computed: what is timed is the read
    t0 = time.perf_counter(); wp.asnumpy(y); r.append(time.perf_counter() - t0)
print(json.dumps({'sync_ms': statistics.median(t) * 1e3, 'read4m_ms': statistics.median(r) * 1e3}))
'''


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    lib = os.environ.get('WGPY_LIBRARY', os.path.join(ROOT, 'build', 'native', 'libwgpy.so'))
    rows = [('cpu (in process)', {'WGPY_BACKEND': 'cpu'}),
            ('webgpu, Node + Dawn', {'WGPY_BACKEND': 'webgpu', 'WGPY_REMOTE_HOST': 'node'}),
            ('webgpu, headless Chromium', {'WGPY_BACKEND': 'webgpu', 'WGPY_REMOTE_HOST': 'chromium'}),
            ('webgl2, headless Chromium', {'WGPY_BACKEND': 'webgl2', 'WGPY_REMOTE_HOST': 'chromium'})]
    print('| host | sync point (sum of 1000, 4-byte read) | 4 MiB read |')
    print('|---|---|---|')
    for name, extra in rows:
        env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, 'python'), WGPY_LIBRARY=lib, **extra)
        out = subprocess.run([sys.executable, '-c', CHILD, str(n)], env=env, capture_output=True,
                             text=True, timeout=600)
        if out.returncode:
            print('| %s | failed: %s |  |' % (name, out.stderr.strip().splitlines()[-1:]))
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print('| %s | %.3f ms | %.2f ms |' % (name, r['sync_ms'], r['read4m_ms']))


if __name__ == '__main__':
    main()
