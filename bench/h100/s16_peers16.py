"""peers16 on the H100 (bench/h100/s16_peers16.sh): issue 15's rows through the H100's Dawn, one
line per library version: ms per operation (differential rounds, wgpy_bench.per_op) for the
chain + sum and the sum at 64M and 1M, add 64M and matmul 4096, and the 1000 tiny ops (x = x + 1
on 16 float32, then the read: ms a run, min and median of 7, and the host's CPU µs per recorded
operation, process time of the loop without the read, min of 7).

peers16 changes the host's cost of recording an operation (Python's operators call wg_binop /
wg_unop, fewer ctypes arguments; the engine keeps released nodes, arrays, buffers and writes for
reuse instead of going through malloc/free); no kernel's WGSL changes, so the GPU rows are guards
and the tiny ops' CPU µs per op is the row that should move (locally 2.25-2.36 -> 1.73-1.80).
--cupy: CuPy's figures for the same rows.  S16_LOCAL=1: small sizes (SwiftShader)."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
LOCAL = bool(os.environ.get("S16_LOCAL"))
BIG, SMALL, MM = ((1 << 18), (1 << 14), 128) if LOCAL else ((64 << 20), (1 << 20), 4096)


def label(n):
    return "%dM" % (n >> 20) if n >= 1 << 20 else "%dK" % (n >> 10)


def rows(xp, per_op):
    x = xp.arange(BIG, dtype="float32") / float(BIG)
    y = xp.ones(BIG, dtype="float32")
    xs = xp.arange(SMALL, dtype="float32") / float(SMALL)
    getattr(xp, "sync", lambda: None)()  # x stored (wgpy: else each row would fuse the arange)
    out = []
    chain = lambda v: ((v * 1.5 + 2.0) * v - v * 0.5).sum()  # noqa: E731 (issue 15's row)
    for name, fn, k in [("chain+sum " + label(BIG), lambda: chain(x), 40),
                        ("chain+sum " + label(SMALL), lambda: chain(xs), 100),
                        ("sum " + label(BIG), lambda: x.sum(), 100),
                        ("sum " + label(SMALL), lambda: xs.sum(), 100),
                        ("add " + label(BIG), lambda: x + y, 40)]:
        out.append("%s %.4f" % (name, per_op(fn, k) * 1e3))
    a = xp.ones((MM, MM), dtype="float32")
    out.append("matmul %d %.4f" % (MM, per_op(lambda: a @ a, 10) * 1e3))
    return out


def tiny(xp, read):
    """1000 x = x + 1 on 16 float32 and the read: (ms min, ms median, CPU µs per op of the loop)."""
    x0 = xp.ones(16, dtype="float32")
    read(x0)
    walls, cpus = [], []
    for _ in range(8):
        t0, c0 = time.perf_counter(), time.process_time()
        x = x0
        for _ in range(1000):
            x = x + 1.0
        c1 = time.process_time()
        v = read(x)
        walls.append(time.perf_counter() - t0)
        cpus.append(c1 - c0)
        assert v == 1001.0, v
    walls, cpus = sorted(walls[1:]), sorted(cpus[1:])
    return "tiny 1000 ops: %.3f ms min, %.3f ms med, record %.2f us/op CPU" % (
        walls[0] * 1e3, walls[len(walls) // 2] * 1e3, cpus[0] * 1e3)


if "--cupy" in sys.argv:
    import cupy as cp

    def per_op(fn, k):
        def round_of(m):
            t0 = time.perf_counter()
            for _ in range(m):
                fn()
            cp.cuda.Device().synchronize()
            return time.perf_counter() - t0
        round_of(k)
        t1 = min(round_of(1) for _ in range(5))
        tk = min(round_of(k) for _ in range(5))
        return max(tk - t1, 1e-9) / (k - 1)
    print("cupy: ms/op " + ", ".join(rows(cp, per_op)), flush=True)
    print("cupy: " + tiny(cp, lambda a: float(a[-1])), flush=True)
    sys.exit(0)

import wgpy as wp  # noqa: E402
from wgpy_bench import per_op as _per_op  # noqa: E402

tag = sys.argv[1] if len(sys.argv) > 1 else "wgpy"
if "--tiny" in sys.argv:
    print("%s: %s" % (tag, tiny(wp, lambda a: float(a[-1]))), flush=True)
else:
    print("%s: ms/op " % tag + ", ".join(rows(wp, lambda fn, k: _per_op(fn, k=k)[0])), flush=True)
