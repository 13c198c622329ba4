"""Shared timing loops of the H100 scripts' Python sides: one line per workload, the GPU ms a call.

wgpy_table: WebGPU timestamps (WGPY_GPU_TIMING=1, the executor's gpuMs) around rounds of K calls,
the least round, and a hash of the first result's leading elements (old and new libraries compared
bit for bit).  cupy_table: CUDA events around rounds of K calls, the median round.  A workload that
fails prints its error and the others still run."""
import hashlib
import json


def _wgpy_gpu_ms():
    from wgpy import _lib
    s = _lib._executor.stats()
    s = json.loads(s) if isinstance(s, (str, bytes)) else s
    return sum((s.get('gpuMs') or {}).values())


def bits(a):
    """A short hash of a wgpy array's first 4096 elements (complex as real then imaginary parts)."""
    import wgpy as wp
    v = a.ravel()[:4096]
    if 'complex' in str(v.dtype):
        v = wp.concatenate([v.real, v.imag])
    return hashlib.sha1(repr(v.tolist()).encode()).hexdigest()[:10]


def wgpy_table(workloads, k=10, rounds=5, width=8, reseed=None, only=None):
    """workloads: (name, fn) pairs; reseed() runs before each workload's first (hashed) call."""
    import wgpy as wp
    for name, fn in workloads:
        if only and name not in only:
            continue
        try:
            if reseed:
                reseed()
            first = fn()
            h = bits(first)
            del first
            ts = []
            for _ in range(rounds):
                g0 = _wgpy_gpu_ms()
                res = [fn() for _ in range(k)]
                wp.sync()
                ts.append((_wgpy_gpu_ms() - g0) / k)
                del res
            print('%-*s GPU %8.4f ms  bits %s' % (width, name, min(ts), h), flush=True)
        except Exception as e:  # one workload's failure does not hide the others
            print('%-*s error %s' % (width, name, str(e).splitlines()[0][:80]), flush=True)


def cupy_table(workloads, k=10, rounds=3, width=8):
    import cupy as cp
    for name, fn in workloads:
        fn()
        cp.cuda.Device().synchronize()
        ts = []
        for _ in range(rounds):
            e0, e1 = cp.cuda.Event(), cp.cuda.Event()
            e0.record()
            res = [fn() for _ in range(k)]
            e1.record()
            e1.synchronize()
            ts.append(cp.cuda.get_elapsed_time(e0, e1) / k)
            del res
        ts.sort()
        print('%-*s GPU %8.4f ms' % (width, name, ts[len(ts) // 2]), flush=True)
