"""The benchmarks' timing helper: the best (least) wall time of repeated calls.

A benchmark script imports it from its own directory (``from _timing import best``), which
Python (and ``scripts/wgpy run``, which mounts the script's directory in Pyodide) puts first on
sys.path.
"""
import time


def best_and_result(fn, repeat, warm=0):
    """(the least wall time of `repeat` calls of fn, the last call's result), after `warm`
    untimed calls (a warm-up compiles the kernels)."""
    for _ in range(warm):
        fn()
    t = r = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = fn()
        dt = time.perf_counter() - t0
        t = dt if t is None else min(t, dt)
    return t, r


def best(fn, repeat, warm=0):
    """The least wall time of `repeat` calls of fn, after `warm` untimed calls."""
    return best_and_result(fn, repeat, warm)[0]
