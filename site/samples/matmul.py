"""matmul benchmark: m,n,k triplets, warm-up runs, mean ± std over `repeat` runs, GFLOP/s, and the
max abs difference against the cpu backend."""
import pythonIO
import wgpy as wp
from common import on_cpu, sync, timed

cfg = pythonIO.config
sizes = [tuple(int(v) for v in s) for s in cfg.get("sizes", [[128, 128, 128], [1024, 1024, 1024]])]
repeat = int(cfg.get("repeat", 10))
warmup = int(cfg.get("warmup", 1))
compare = cfg.get("compare", "cpu")
backend = wp.get_backend_name()
print(f"backend: {backend}; {repeat} runs after {warmup} warm-up")


def inputs(m, n, k):
    a = ((wp.arange(m * k, dtype="int32") % 17) - 8).astype("float32").reshape(m, k) * 0.125
    b = ((wp.arange(k * n, dtype="int32") % 13) - 6).astype("float32").reshape(k, n) * 0.25
    return a, b


rows = []
for i, (m, n, k) in enumerate(sizes):
    pythonIO.progress(i / len(sizes), f"{m}x{n}x{k}")
    a, b = inputs(m, n, k)

    def one():
        c = a @ b
        sync(c)
        return c

    mean, std, c = timed(one, repeat, warmup)
    row = {"size": f"{m}x{n}x{k}", "mean_ms": mean, "std_ms": std,
           "gflops": 2.0 * m * n * k / (mean * 1e-3) / 1e9}
    if compare == "cpu":
        got = c.reshape(-1).tolist()
        del a, b, c

        def ref():
            x, y = inputs(m, n, k)
            return (x @ y).reshape(-1).tolist()

        want = on_cpu(ref)
        row["max_abs_diff"] = max(abs(p - q) for p, q in zip(got, want))
    else:
        del a, b, c
    rows.append(row)
    diff = f", max abs diff vs cpu {row['max_abs_diff']:.3g}" if "max_abs_diff" in row else ""
    print(f"{row['size']}: {mean:.2f} ± {std:.2f} ms, {row['gflops']:.2f} GFLOP/s{diff}")
    pythonIO.emit("row", row)
pythonIO.progress(1.0, "done")
pythonIO.result = {"backend": backend, "rows": rows}
