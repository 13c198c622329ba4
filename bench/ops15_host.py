"""Old against new for the host cost of one operation (session 15, ops15): bench/tiny_ops.py
natively (cpu backend) and in Pyodide on Node (cpu backend), and the Chainer step's host side
(bench/h100/step_host.py, a null executor), each configuration in a fresh process, rounds
interleaved; the best of the rounds per row and new/old from the same run.

    python3 bench/ops15_host.py [--rounds 3] [--n 2000] [--only native,pyodide,step]

old: --old-python (default .cch/base/python) with --old-lib (.cch/libwgpy_old.so) and
--old-wheel (.cch/wheel_old/*.whl); new: this checkout's python/ with build/native/libwgpy.so
and the newest build/dist/*.whl.  Chainer 5.4 from --site (.cch/site)."""
import argparse
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, env):
    e = dict(os.environ, OPENBLAS_NUM_THREADS='1', BENCH_CLOCK='process', **env)
    p = subprocess.run(cmd, cwd=ROOT, env=e, capture_output=True, text=True, timeout=900)
    if p.returncode:
        sys.stderr.write(p.stdout[-2000:] + p.stderr[-2000:])
    return p.stdout


def tiny(out):
    res = {}
    for line in out.splitlines():
        k, _, v = line.rpartition(' ')
        try:
            res[k] = float(v)
        except ValueError:
            pass
    return res


def step(out):
    m = re.search(r'(\w+ \d+): host issue ([\d.]+) ms a step \(min ([\d.]+)\)', out)
    return {m.group(1) + ' median': float(m.group(2)), m.group(1) + ' min': float(m.group(3))} if m else {}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--n', type=int, default=2000)
    ap.add_argument('--steps', type=int, default=60)
    ap.add_argument('--only', default='native,pyodide,step')
    ap.add_argument('--old-python', default=os.path.join(ROOT, '.cch', 'base', 'python'))
    ap.add_argument('--old-lib', default=os.path.join(ROOT, '.cch', 'libwgpy_old.so'))
    ap.add_argument('--old-wheel', default=(glob.glob(os.path.join(ROOT, '.cch', 'wheel_old', '*.whl')) or [''])[0])
    ap.add_argument('--site', default=next((d for d in (os.path.join(ROOT, '.cch', 'site'),
                                                      os.path.join(ROOT, 'build', 'chainer', 'site'))
                                             if os.path.isdir(os.path.join(d, 'chainer'))), ''))
    a = ap.parse_args()
    new_wheel = sorted(glob.glob(os.path.join(ROOT, 'build', 'dist', '*.whl')), key=os.path.getmtime)[-1]
    ver = {'old': (a.old_python, a.old_lib, a.old_wheel),
           'new': (os.path.join(ROOT, 'python'), os.path.join(ROOT, 'build', 'native', 'libwgpy.so'), new_wheel)}
    only = a.only.split(',')
    best = {}

    def keep(section, v, rows):
        for k, x in rows.items():
            d = best.setdefault(section, {}).setdefault(k, {})
            d[v] = min(d.get(v, 1e18), x)

    for r in range(a.rounds):
        for v, (py, lib, whl) in ver.items():
            if 'native' in only:
                keep('tiny ops, native cpu (µs an op)', v,
                     tiny(run([sys.executable, 'bench/tiny_ops.py', str(a.n), '3'],
                              {'PYTHONPATH': py, 'WGPY_LIBRARY': lib, 'WGPY_BACKEND': 'cpu'})))
            if 'pyodide' in only and whl:
                keep('tiny ops, Pyodide on Node, cpu (µs an op)', v,
                     # rounds of 300 (~1 ms, shorter than a time slice: Pyodide's clock is
                     # the wall clock, and on a loaded machine the best of many short rounds
                     # is the one that ran undisturbed)
                     tiny(run(['scripts/wgpy', '--wheel', whl, 'run', 'bench/tiny_ops.py',
                               '300', '20'], {})))
            if 'step' in only:
                for mb in (('cnn', '32'), ('cnn', '100'), ('mlp', '100')):
                    keep('Chainer step host side, null executor (ms a step)', v,
                         step(run([sys.executable, 'bench/h100/step_host.py', mb[0], mb[1], str(a.steps)],
                                  {'PYTHONPATH': py + os.pathsep + a.site, 'WGPY_LIBRARY': lib})))
        print('(round %d done)' % (r + 1), file=sys.stderr, flush=True)
    for section, rows in best.items():
        print('== %s, best of %d rounds' % (section, a.rounds))
        print('  %-22s %9s %9s %8s' % ('', 'old', 'new', 'new/old'))
        for k, d in rows.items():
            o, n = d.get('old'), d.get('new')
            print('  %-22s %9s %9s %8s' % (k, '%.3f' % o if o else '-', '%.3f' % n if n else '-',
                                          '%.2f' % (n / o) if o and n else '-'))


if __name__ == '__main__':
    main()
