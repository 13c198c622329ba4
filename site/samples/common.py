"""Helpers the samples share (written next to each sample by the page)."""
import gc
import math
import time

import wgpy as wp


def sync(a):
    """Wait for a to be computed (reads one element)."""
    a.reshape(-1)[-1:].tolist()


def timed(fn, repeat, warmup=1):
    """Runs fn() warmup + repeat times; returns (mean_ms, std_ms, last value)."""
    v = None
    for _ in range(warmup):
        v = fn()
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        v = fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    mean = sum(ts) / len(ts)
    std = math.sqrt(sum((t - mean) ** 2 for t in ts) / len(ts))
    return mean, std, v


def on_cpu(fn):
    """fn() evaluated on the cpu backend (every wgpy array must be freed first); back after."""
    have = wp.get_backend_name()
    gc.collect()
    if have == "cpu":
        return fn()
    wp.set_backend("cpu")
    try:
        return fn()
    finally:
        gc.collect()
        wp.set_backend(have)


def uniform(n, lo, hi, seed):
    """n float32 in [lo, hi): an integer hash of the index, the same on every backend."""
    i = wp.arange(n, dtype="uint32") + (seed * 7919 + 1)
    h = i * (2654435761)
    h = h ^ (h >> (15))
    h = h * (2246822519)
    h = h ^ (h >> (13))
    u = (h >> (8)).astype("float32") * (1.0 / 16777216.0)
    return u * (hi - lo) + lo
