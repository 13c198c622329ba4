"""Issue 10's sort figure from one device session: CuPy's time / wgpy's time per size, op and
path (wgpy's speed as a fraction of CuPy's; goal >= 0.5), from the printouts of bench/sort.py
(webgpu, Pyodide on Node over Dawn) and bench/h100/sort_cupy.py on the same GPU.
    python3 bench/h100/sort_ratio.py WGPY_OUT CUPY_OUT"""
import sys


def rows(path):
    with open(path) as f:
        return [ln.split() for ln in f if ln[:1].isdigit()]


cupy = {(r[0], r[1]): float(r[2]) for r in rows(sys.argv[2]) if len(r) >= 3}
print('%-10s %-8s %-7s %10s %10s %8s' % ('n', 'op', 'path', 'wgpy ms', 'cupy ms', 'cupy/wgpy'))
for r in rows(sys.argv[1]):
    if len(r) < 5 or (r[0], r[1]) not in cupy:
        continue
    w, c = float(r[4]), cupy[(r[0], r[1])]
    print('%-10s %-8s %-7s %10.3f %10.3f %8.3f%s' % (r[0], r[1], r[2], w, c, c / w,
                                                  '' if c / w >= 0.5 else '  (goal 0.5)'))
