"""Issue 11's benchmark: random numbers, linear algebra and FFT, wgpy against numpy (natively, in
the same run), against its own cpu backend (SwiftShader through Node + Dawn: two runs compared),
and against CuPy on a real GPU (bench/h100/issue11_cupy.py, bench/h100/run_issue11.sh).

    # natively: wgpy (cpu backend) and numpy in one run, ratios printed
    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 bench/issue11_bench.py [--small]
    # any backend, no numpy needed (Pyodide): the timings as JSON
    scripts/wgpy --wheel W --backend webgpu run bench/issue11_bench.py --small --json build/i11-webgpu.json
    scripts/wgpy --wheel W --backend cpu run bench/issue11_bench.py --small --json build/i11-cpu.json
    python3 bench/issue11_bench.py --compare build/i11-webgpu.json build/i11-cpu.json

Workloads (issue 11): random normal 16M float32, solve and inv 1024^2, cholesky 2048^2, svd 512^2,
a batched inverse 64 x (32 x 32), eig 64^2 (the last linalg names), fft 2^20 complex64 and rfft
2^22 (when wgpy.fft exists and complex64 works).  --pipelined K also times, for each workload whose
call takes under 50 ms, K calls in a row ended by one sync and one read (per call: the rounds of
2K and K calls differenced), which is the speed of a loop of calls without its sync point.  --small: the sizes SwiftShader and the cpu
backend's interpreter finish in minutes (16M -> 1M, 1024^2 -> 256^2, 2048^2 -> 256^2,
512^2 -> 64^2, eig 32^2, fft 2^14 / 2^16).  --only SUBSTR runs the workloads whose name has it.

Each workload is timed as a user sees it: the call and a read of one element that forces it,
median of 3 after a warm-up (kernel compilation, the memory pool).  Inputs are made on the device
(sin of an arange: no numpy needed, the same values everywhere).  A ratio printed is the other
library's time / wgpy's time: above 1, wgpy is faster."""
import json
import sys
import time

SMALL = {'normal': 1 << 20, 'solve': 256, 'inv': 256, 'cholesky': 256, 'svd': 64, 'batch': 64,
         'eig': 32, 'fft': 1 << 14, 'rfft': 1 << 16}
FULL = {'normal': 16 << 20, 'solve': 1024, 'inv': 1024, 'cholesky': 2048, 'svd': 512,
        'batch': 64, 'eig': 64, 'fft': 1 << 20, 'rfft': 1 << 22}


def median_time(fn, reps=3):
    fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2]


def first(r):
    r = r[0] if isinstance(r, tuple) else r
    x = r.ravel()[0]
    return complex(x) if 'complex' in str(r.dtype) else float(x)


def workloads(xp, size, kind):
    """(name, fn) pairs for xp in numpy, cupy, wgpy (kind: its name)."""
    def mat(n, batch=(), spd=False, shift=True):
        k = xp.arange(n * n * (batch[0] if batch else 1), dtype='float32')
        a = xp.sin(k * 0.7 + 0.3).reshape(batch + (n, n))
        if spd:
            return xp.matmul(a, xp.swapaxes(a, -1, -2)) + n * xp.eye(n, dtype='float32')
        return a + n * xp.eye(n, dtype='float32') if shift else a

    out = []
    n = size['normal']
    if kind == 'numpy':
        g = xp.random.default_rng(0)
        out.append(('random normal %dM' % (n >> 20) if n >= 1 << 20 else 'random normal %d' % n,
                    lambda: (g.standard_normal(n, dtype='float32'))))
    elif kind == 'cupy':
        g = xp.random.default_rng(0)
        out.append(('random normal %dM' % (n >> 20), lambda: (
            g.standard_normal(n, dtype='float32'))))
    elif hasattr(xp, 'random'):
        r = xp.random.RandomState(0)
        out.append(('random normal %dM' % (n >> 20) if n >= 1 << 20 else 'random normal %d' % n,
                    lambda: (r.standard_normal(n, dtype='float32'))))
    la = xp.linalg
    s = size['solve']
    a = mat(s)
    b = xp.ones((s,), dtype='float32')
    out.append(('solve %d^2' % s, lambda: (la.solve(a, b))))
    s = size['inv']
    ai = mat(s)
    out.append(('inv %d^2' % s, lambda: (la.inv(ai))))
    s = size['cholesky']
    ac = mat(s, spd=True)
    out.append(('cholesky %d^2' % s, lambda: (la.cholesky(ac))))
    s = size['svd']
    asv = mat(s, shift=False)
    out.append(('svd %d^2' % s, lambda: (la.svd(asv))))
    bi = mat(32, (size['batch'],))
    out.append(('inv %d x 32^2' % size['batch'], lambda: (la.inv(bi))))
    s = size['eig']
    # a symmetric matrix with distinct eigenvalues: real results everywhere (wgpy's complex
    # results need complex dtypes)
    ae = mat(s, shift=False)
    ae = ae + xp.swapaxes(ae, -1, -2) + xp.diag(xp.arange(s, dtype='float32'))
    if kind != 'cupy' or hasattr(la, 'eig'):
        out.append(('eig %d^2' % s, lambda: (la.eig(ae))))
    fft = getattr(xp, 'fft', None)
    if fft is not None and hasattr(fft, 'fft'):
        m = size['fft']
        try:
            x = xp.sin(xp.arange(m, dtype='float32') * 0.01).astype('complex64')
            out.append(('fft 2^%d complex64' % (m.bit_length() - 1), lambda: (fft.fft(x))))
        except (NotImplementedError, TypeError, ValueError) as e:
            print('# fft skipped: %s' % e, file=sys.stderr)
        m = size['rfft']
        xr = xp.sin(xp.arange(m, dtype='float32') * 0.01)
        out.append(('rfft 2^%d float32' % (m.bit_length() - 1), lambda: (fft.rfft(xr))))
    return out


def pipelined_time(fn, sync, k):
    """Seconds per call when calls follow each other: rounds of k and 2k calls, every result kept
    (a lazy library must compute them all), one sync and one read at the end; the difference of
    the two rounds over k cancels the sync's and the read's fixed cost.  Best of 3 pairs."""
    def round_(m):
        t0 = time.perf_counter()
        rs = [fn() for _ in range(m)]
        sync()
        first(rs[-1])
        return time.perf_counter() - t0
    round_(2)
    best = None
    for _ in range(3):
        d = (round_(2 * k) - round_(k)) / k
        best = d if best is None else min(best, d)
    return max(best, 1e-7)


def measure(xp, kind, size, only, pipelined=0):
    res = {}
    sync = (xp.cuda.Device().synchronize if kind == 'cupy' else
            getattr(xp, 'sync', None) or (lambda: None))
    for name, fn in workloads(xp, size, kind):
        if only and only not in name:
            continue
        try:
            res[name] = median_time(lambda: first(fn()))
        except NotImplementedError as e:
            print('# %s: %s skipped: %s' % (kind, name, e), file=sys.stderr)
            continue
        print('%-8s %-24s %10.4f s' % (kind, name, res[name]), flush=True)
        # back-to-back calls: only where one call is short (the decompositions take seconds on
        # the cpu backends)
        if pipelined and res[name] < 0.05:
            key = name + ' (pipelined)'
            res[key] = pipelined_time(fn, sync, pipelined)
            print('%-8s %-24s %10.4f s' % (kind, key, res[key]), flush=True)
    return res


def compare(pa, pb):
    a, b = (json.load(open(p)) for p in (pa, pb))
    print('%-24s %12s %12s %8s' % ('workload', a['label'], b['label'], 'ratio'))
    for k, ta in a['times'].items():
        tb = b['times'].get(k)
        if tb is not None:
            print('%-24s %11.4fs %11.4fs %8.3g' % (k, ta, tb, tb / ta))
    print('(ratio: %s time / %s time; above 1: %s is faster)' % (b['label'], a['label'],
                                                                a['label']))


def main(argv):
    if '--compare' in argv:
        i = argv.index('--compare')
        return compare(argv[i + 1], argv[i + 2])
    size = SMALL if '--small' in argv else FULL
    only = argv[argv.index('--only') + 1] if '--only' in argv else None
    pipelined = int(argv[argv.index('--pipelined') + 1]) if '--pipelined' in argv else 0
    out = argv[argv.index('--json') + 1] if '--json' in argv else None
    if '--cupy' in argv:
        import cupy as xp
        label, kind = 'cupy', 'cupy'
    else:
        import wgpy as xp
        label, kind = 'wgpy-' + xp.get_backend_name(), 'wgpy'
    times = measure(xp, kind, size, only, pipelined)
    if out:
        with open(out, 'w') as f:
            json.dump({'label': label, 'times': times, 'small': size is SMALL}, f, indent=1)
    if kind != 'wgpy':
        return
    try:
        import numpy
    except ImportError:
        return
    if sys.platform == 'emscripten':
        return
    nt = measure(numpy, 'numpy', size, only, pipelined)
    print('\n%-24s %10s %10s %8s' % ('workload', label, 'numpy', 'ratio'))
    for k, t in times.items():
        if k in nt:
            print('%-24s %9.4fs %9.4fs %8.3g' % (k, t, nt[k], nt[k] / t))
    print('(ratio: numpy time / wgpy time; above 1: wgpy is faster)')


if __name__ == '__main__':
    main(sys.argv[1:])
