"""wgpy's half of the peer benchmark (bench/peers/): the workloads as a NumPy user writes them.

The page (bench/peers/peers-page.js) evaluates this file in each wgpy worker (one per backend),
then calls, once per timed repetition and interleaved with the peers on the page,

    _peers_setup(name, params_json)   -> "ok"     inputs made and materialized (not timed)
    _peers_time(name)                 -> JSON {"ms": ..., "check": ...}   one timed run
    _peers_teardown(name)             -> "ok"

Each run is what a user waits for: the operations and the read that forces them (the whole result
comes back to the host, as the peers' `await data()` does; a scalar for the reductions).  Times are
taken here, in the worker (time.perf_counter), around the run.  Self-contained: the page passes
the source text.
"""
import json
import time

import wgpy as wp
from wgpy import _core as _wgc

_STATE = {}
# wgpy-webgpu-fuse / wgpy-webgl2-fuse (_peers_use_fuse): each workload's function under wp.fuse,
# traced once (in the warm-up) and replayed with one engine call per run, as jax-js's jit column
_FUSE = [False]


def _peers_use_fuse():
    _FUSE[0] = True
    return "ok"


def _f(fn):
    return wp.fuse(fn) if _FUSE[0] else fn


def _read_all(a):
    """The whole array back to the host (bytes), as `await x.data()` does in the peers; returns
    its first and last elements for the checksum.  No numpy in the worker: the engine's read."""
    n = a.size
    code = a._dt
    nbytes = n * _wgc._SIZE[code]
    buf = bytearray(nbytes)
    _wgc._check(_wgc._wg_read(_wgc.ctx, a._h, (_wgc.c_char * nbytes).from_buffer(buf), nbytes))
    m = memoryview(buf).cast(_wgc._STRUCT[code])
    return [float(m[0]), float(m[-1])]


def _mandelbrot(real, imag, n_iters):
    xs = wp.zeros((real.size, imag.size), dtype="float32")
    ys = wp.zeros((real.size, imag.size), dtype="float32")
    count = wp.zeros((real.size, imag.size), dtype="int32")
    for _ in range(n_iters):
        xs, ys = xs * xs - ys * ys + real, xs * ys * 2.0 + imag
        count += ((xs * xs + ys * ys) < 4.0).astype("int32")
    return count


def _mlp_init(p):
    sizes = [p["d_in"], p["hidden"], p["hidden"], p["d_out"]]
    params = []
    for i in range(3):
        fan_in, fan_out = sizes[i], sizes[i + 1]
        # deterministic weights, the same formula in every library (no RNG differences)
        k = wp.arange(fan_in * fan_out, dtype="float32").reshape(fan_in, fan_out)
        w = (((k * 0.6180339) % 1.0) - 0.5) * (2.0 / fan_in ** 0.5)
        params += [w, wp.zeros(fan_out, dtype="float32")]
    b = p["batch"]
    X = (((wp.arange(b * sizes[0], dtype="float32") * 0.7548776) % 1.0)).reshape(b, sizes[0])
    labels = wp.arange(b, dtype="int32") % sizes[3]
    Y = (labels.reshape(b, 1) == wp.arange(sizes[3], dtype="int32").reshape(1, sizes[3])).astype("float32")
    return params, X, Y


def _mlp_loss_grads(params, X, Y):
    """Forward and the backward pass written out (NumPy has no autodiff) of a 3-layer ReLU MLP
    with softmax cross-entropy: (loss, gradients in the parameters' order)."""
    w1, b1, w2, b2, w3, b3 = params
    n = X.shape[0]
    z1 = X @ w1 + b1
    h1 = wp.maximum(z1, 0.0)
    z2 = h1 @ w2 + b2
    h2 = wp.maximum(z2, 0.0)
    logits = h2 @ w3 + b3
    m = logits.max(axis=1, keepdims=True)
    e = wp.exp(logits - m)
    s = e.sum(axis=1, keepdims=True)
    logp = logits - m - wp.log(s)
    loss = -(logp * Y).sum() / n
    g3 = (e / s - Y) / n
    gw3, gb3 = h2.T @ g3, g3.sum(axis=0)
    g2 = (g3 @ w3.T) * (z2 > 0)
    gw2, gb2 = h1.T @ g2, g2.sum(axis=0)
    g1 = (g2 @ w2.T) * (z1 > 0)
    gw1, gb1 = X.T @ g1, g1.sum(axis=0)
    return loss, (gw1, gb1, gw2, gb2, gw3, gb3)


def _mlp_step(params, X, Y, lr):
    """One SGD step, the parameters updated in place; returns the loss."""
    loss, grads = _mlp_loss_grads(params, X, Y)
    for w, g in zip(params, grads):
        w -= lr * g
    return loss


def _mlp_step_functional(params, X, Y, lr):
    """_mlp_step returning the new parameters instead of updating them in place (a write into an
    input cannot be replayed: under fuse the step is jax-js's functional form)."""
    loss, grads = _mlp_loss_grads(params, X, Y)
    return (loss,) + tuple(w - lr * g for w, g in zip(params, grads))


def _peers_setup(name, params_json):
    p = json.loads(params_json)
    kind = p["kind"]
    st = {"kind": kind, "p": p}
    if kind == "matmul":
        n = p["n"]
        a = ((wp.arange(n * n, dtype="float32") % 7.0) - 3.0).reshape(n, n)
        mm = _f(lambda a: a @ a)
        st["fn"] = lambda: _read_all(mm(a))
        inputs = [a]
    elif kind in ("chain_sum", "sum", "chain"):
        m = p["n"]
        x = wp.arange(m, dtype="float32") / float(m)
        if kind == "chain_sum":
            f = _f(lambda x: ((x * 1.5 + 2.0) * x - x * 0.5).sum())
            st["fn"] = lambda: [float(f(x))]
        elif kind == "sum":
            f = _f(lambda x: x.sum())
            st["fn"] = lambda: [float(f(x))]
        else:
            f = _f(lambda x: (x * 1.5 + 2.0) * x - x * 0.5)
            st["fn"] = lambda: _read_all(f(x))
        inputs = [x]
    elif kind == "mandelbrot":
        n, iters = p["n"], p["iters"]
        real = wp.linspace(-2.0, 0.5, n, dtype="float32").reshape(n, 1)
        imag = wp.linspace(-1.25, 1.25, n, dtype="float32").reshape(1, n)
        f = _f(lambda real, imag: _mandelbrot(real, imag, iters).sum())
        st["fn"] = lambda: [float(int(f(real, imag)))]
        inputs = [real, imag]
    elif kind == "tiny":
        k = p["ops"]
        x0 = wp.ones(p["n"], dtype="float32")

        def ops(x):
            for _ in range(k):
                x = x + 1.0
            return x
        f = _f(ops)
        st["fn"] = lambda: _read_all(f(x0))
        inputs = [x0]
    elif kind == "mlp":
        params, X, Y = _mlp_init(p)
        lr = p["lr"]
        if _FUSE[0]:
            step = wp.fuse(lambda w1, b1, w2, b2, w3, b3, X, Y, lr:
                           _mlp_step_functional((w1, b1, w2, b2, w3, b3), X, Y, lr))

            def run():
                r = step(*params, X, Y, lr)
                params[:] = r[1:]
                return [float(r[0])]
            st["fn"] = run
        else:
            st["fn"] = lambda: [float(_mlp_step(params, X, Y, lr))]
        inputs = params + [X, Y]
    else:
        raise ValueError("unknown workload kind %r" % kind)
    for a in inputs:
        _read_all(a)  # materialize the inputs (not timed)
    _STATE[name] = st
    return "ok"


def _peers_time(name):
    fn = _STATE[name]["fn"]
    t0 = time.perf_counter()
    check = fn()
    ms = (time.perf_counter() - t0) * 1e3
    return json.dumps({"ms": ms, "check": check})


def _peers_teardown(name):
    _STATE.pop(name, None)
    return "ok"


def _peers_info():
    return json.dumps({"backend": wp.get_backend_name(), "version": getattr(wp, "__version__", "?")})
