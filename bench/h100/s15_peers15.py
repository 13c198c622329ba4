"""peers15 on the H100 (bench/h100/s15_peers15.sh): the GPU paths its change touches, one line per
workload in ms per operation (differential rounds, wgpy_bench.per_op), for whichever library and
Python the caller points at (old: main's; new: the branch's).

The change on a GPU adapter: a REDUCE kernel declares its scalar parameters once before its loop
instead of per element (codegen/expr.c wgC_emit_params), so the fused chain + sum's kernel text
changes; a plain sum's, add's and matmul's WGSL do not (main_reg4 is a CPU-adapter entry point).
So: the chain with its sum at 64M and 1M (changed), sum 64M/1M, add 64M, matmul 1024/4096 (guards).
--cupy: CuPy's figures for the same shapes.  S15_LOCAL=1: small sizes (SwiftShader)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
LOCAL = bool(os.environ.get("S15_LOCAL"))
BIG, SMALL, MM = ((1 << 18), (1 << 14), (64, 128)) if LOCAL else ((64 << 20), (1 << 20), (1024, 4096))


def rows(xp, per_op):
    x = xp.arange(BIG, dtype="float32") / float(BIG)
    y = xp.ones(BIG, dtype="float32")
    xs = xp.arange(SMALL, dtype="float32") / float(SMALL)
    getattr(xp, "sync", lambda: None)()  # x stored (wgpy: else each row would fuse the arange)
    out = []
    chain = lambda v: ((v * 1.5 + 2.0) * v - v * 0.5).sum()  # noqa: E731 (issue 15's row)
    for name, fn, k in [("chain+sum %dM" % (BIG >> 20) if BIG >= 1 << 20 else "chain+sum %dK" % (BIG >> 10), lambda: chain(x), 40),
                        ("chain+sum %dK" % (SMALL >> 10), lambda: chain(xs), 100),
                        ("sum %s" % ("%dM" % (BIG >> 20) if BIG >= 1 << 20 else "%dK" % (BIG >> 10)), lambda: x.sum(), 100),
                        ("sum %dK" % (SMALL >> 10), lambda: xs.sum(), 100),
                        ("add %s" % ("%dM" % (BIG >> 20) if BIG >= 1 << 20 else "%dK" % (BIG >> 10)), lambda: x + y, 40)]:
        out.append((name, per_op(fn, k)))
    for n in MM:
        a = xp.ones((n, n), dtype="float32")
        out.append(("matmul %d" % n, per_op(lambda: a @ a, 10 if n >= 4096 else 40)))
    return out


if "--cupy" in sys.argv:
    import time
    import cupy as cp

    def per_op(fn, k):
        def round_of(m):
            t0 = time.perf_counter()
            for _ in range(m):
                r = fn()
            cp.cuda.Device().synchronize()
            return time.perf_counter() - t0
        round_of(k)
        t1 = min(round_of(1) for _ in range(5))
        tk = min(round_of(k) for _ in range(5))
        return max(tk - t1, 1e-9) / (k - 1)
    print("cupy: " + ", ".join("%s %.4f ms" % (n, t * 1e3) for n, t in rows(cp, per_op)), flush=True)
    sys.exit(0)

import wgpy as wp  # noqa: E402
from wgpy_bench import per_op as _per_op  # noqa: E402

tag = sys.argv[1] if len(sys.argv) > 1 else "wgpy"
res = rows(wp, lambda fn, k: _per_op(fn, k=k)[0])
print("%s: " % tag + ", ".join("%s %.4f ms" % (n, t * 1e3) for n, t in res), flush=True)
