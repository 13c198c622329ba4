"""bench/h100/s17_sync17.sh's timing (task sync17, issue 15: the fixed cost of a sync and a read).

    python3 s17_sync17.py TAG          wgpy (WGPY_BACKEND=webgpu through Node + Dawn): one line
    python3 s17_sync17.py --cupy       the same calls in CuPy

Per call, wall ms (median and minimum): `float(x.sum())` on 16 float32 (the fixed cost of a sync
and a read), and on N float32 (64M on the device, 1M with S17_LOCAL=1), and `(x + 1).tolist()` of
16 (a one-operation chain read back whole)."""
import os
import sys
import time

LOCAL = bool(os.environ.get("S17_LOCAL"))
N = (1 << 20) if LOCAL else (64 << 20)


def timed(f, reps):
    f()
    f()
    t = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        t.append((time.perf_counter() - t0) * 1e3)
    t.sort()
    return "%.3f/%.3f" % (t[len(t) // 2], t[0])


def run(xp, sync=lambda: None):
    tiny = xp.arange(16, dtype="float32")
    big = xp.arange(N, dtype="float32") / float(N)
    float(big[0])
    sync()
    return ("sum16 %s  sum%s %s  add16-read %s (ms median/min)"
            % (timed(lambda: float(tiny.sum()), 200 if not LOCAL else 60),
               "64M" if not LOCAL else "1M", timed(lambda: float(big.sum()), 30 if not LOCAL else 10),
               timed(lambda: (tiny + 1.0).tolist(), 200 if not LOCAL else 60)))


if __name__ == "__main__":
    if sys.argv[1] == "--cupy":
        import cupy as cp
        print("cupy: " + run(cp, cp.cuda.Device().synchronize))
    else:
        import wgpy as wp
        print("%s: %s" % (sys.argv[1], run(wp)))
