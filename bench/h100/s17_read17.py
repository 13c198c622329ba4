"""bench/h100/s17_read17.sh's timing (task read17, issue 15: a one-dispatch sync and read).

    python3 s17_read17.py TAG          wgpy (WGPY_BACKEND=webgpu through Node + Dawn): one line
    python3 s17_read17.py --cupy       the same calls in CuPy

Per call, wall ms and CPU ms of this Python process (the Node host is another process; medians, and the
wall minimum): `float(x.sum())` on 16
float32, `(x + 1).tolist()` of 16, and 1000 × `x = x + 1` on 16 under wp.fuse read back whole
(`fuse1000`; CuPy: the same loop under cupy.fuse is not a loop, so CuPy runs it op by op — a
reference for the scale only)."""
import os
import sys
import time

LOCAL = bool(os.environ.get("S17_LOCAL"))


def timed(f, reps):
    f()
    f()
    w, c = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        f()
        c.append((time.process_time() - c0) * 1e3)
        w.append((time.perf_counter() - t0) * 1e3)
    w.sort()
    c.sort()
    return "%.3f/%.3f cpu %.3f" % (w[len(w) // 2], w[0], c[len(c) // 2])


def tiny_loop(x):
    for _ in range(1000):
        x = x + 1.0
    return x


def run(xp, fuse=None):
    reps = 60 if LOCAL else 200
    tiny = xp.arange(16, dtype="float32")
    out = ["sum16 %s" % timed(lambda: float(tiny.sum()), reps),
           "add16-read %s" % timed(lambda: (tiny + 1.0).tolist(), reps)]
    if fuse is not None:
        f = fuse(tiny_loop)
        out.append("fuse1000 %s" % timed(lambda: f(tiny).tolist(), reps // 2))
    else:
        out.append("loop1000 %s" % timed(lambda: tiny_loop(tiny).tolist(), 10))
    return "  ".join(out) + " (ms: wall median/min, cpu median)"


if __name__ == "__main__":
    if sys.argv[1] == "--cupy":
        import cupy as cp
        print("cupy: " + run(cp))
    else:
        import wgpy as wp
        print("%s: %s" % (sys.argv[1], run(wp, getattr(wp, "fuse", None))))
