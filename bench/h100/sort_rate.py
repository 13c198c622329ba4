"""Sorts back to back (session 20, issue 10): K calls of sort or argsort on the same 2^24 (or given
n) keys, one read after the last, ms a call, best of ROUNDS; with --cupy the same in CuPy (a
device synchronize in place of the read).  sort16_bench.py times each call with its own read,
which on the remote host adds the read's round trip (~0.8 ms) to every call, where CuPy's figure
(CUDA events) is GPU time alone; this is the like-for-like throughput.  Data as sort16_bench.py:
floats in [0, 1), int32 over the full range with ties.

    WGPY_BACKEND=webgpu PYTHONPATH=python python3 bench/h100/sort_rate.py [--cupy] [--int-first] [K] [ROUNDS] [n ...]

--int-first: the int32 keys before the float32 ones (whether a row's figure depends on its place)"""
import sys
import time
import warnings


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    cupy = '--cupy' in sys.argv
    k = int(args[0]) if args else 10
    rounds = int(args[1]) if len(args) > 1 else 5
    sizes = [int(a) for a in args[2:]] or [1 << 24, 1 << 20]
    if cupy:
        import cupy as xp
        done = lambda r: xp.cuda.Device().synchronize()  # noqa: E731
    else:
        import wgpy as xp
        done = lambda r: float(r[0])  # noqa: E731
    for n in sizes:
        x = xp.arange(n, dtype='float32')
        x = xp.sin(x * 12.9898) * 43758.5453
        x = x - xp.floor(x)
        warnings.simplefilter('ignore')  # int64 is int32 under the 64-bit-off policy: the same keys
        xi = ((x * 4294967295.0 - 2147483648.0).astype('int64') // 8 * 8).astype('int32')
        pairs = (('float32', x), ('int32', xi))
        for dt, keys in (pairs[::-1] if '--int-first' in sys.argv else pairs):
            for op in ('sort', 'argsort'):
                f = getattr(xp, op)
                done(f(keys))
                best = None
                for _ in range(rounds):
                    t0 = time.perf_counter()
                    rs = [f(keys) for _ in range(k)]
                    done(rs[-1])
                    dt_ms = (time.perf_counter() - t0) / k * 1e3
                    best = dt_ms if best is None else min(best, dt_ms)
                    del rs
                print('%-9d %-7s %-8s %-5s %d back to back: %.3f ms a call' % (
                    n, dt, op, 'cupy' if cupy else 'wgpy', k, best), flush=True)


if __name__ == '__main__':
    main()
