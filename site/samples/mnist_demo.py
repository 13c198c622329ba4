"""MNIST demo: a two-layer MLP trained by a hand-written loop on wgpy (cupy); every 10 iterations
the predictions for 10 sample digits and the validation accuracy go to the page.
Needs numpy (loaded by the page from a Pyodide package index) and the data file the page wrote
at mnist.npz (x_train, y_train, x_test, y_test as in keras' mnist.npz)."""
import numpy as np
import pythonIO
import cupy as cp

cfg = pythonIO.config
iters = int(cfg.get("iters", 200))
batch = int(cfg.get("batch", 100))
lr = float(cfg.get("lr", 0.1))
d = np.load("mnist.npz")
xtr = cp.asarray(d["x_train"].reshape(-1, 784).astype(np.float32) / 255.0)
ytr = cp.asarray(d["y_train"].astype(np.int32))
xte = cp.asarray(d["x_test"][:1000].reshape(-1, 784).astype(np.float32) / 255.0)
yte = d["y_test"][:1000].astype(np.int32)
rng = np.random.default_rng(0)
w1 = cp.asarray((rng.standard_normal((784, 100)) * 0.05).astype(np.float32))
b1 = cp.zeros(100, dtype="float32")
w2 = cp.asarray((rng.standard_normal((100, 10)) * 0.05).astype(np.float32))
b2 = cp.zeros(10, dtype="float32")
eye = cp.eye(10, dtype="float32")


def forward(x):
    h = cp.maximum(x @ w1 + b1, 0.0)
    z = h @ w2 + b2
    z = z - z.max(axis=1, keepdims=True)
    p = cp.exp(z)
    return h, p / p.sum(axis=1, keepdims=True)


for it in range(1, iters + 1):
    idx = cp.asarray(rng.integers(0, xtr.shape[0], batch).astype(np.int32))
    x, t = xtr[idx], eye[ytr[idx]]
    h, p = forward(x)
    loss = float(-(t * cp.log(p + 1e-7)).sum() / batch)
    g = (p - t) / batch
    gw2, gb2 = h.T @ g, g.sum(axis=0)
    gh = (g @ w2.T) * (h > 0)
    gw1, gb1 = x.T @ gh, gh.sum(axis=0)
    w1 -= lr * gw1
    b1 -= lr * gb1
    w2 -= lr * gw2
    b2 -= lr * gb2
    if it % 10 == 0:
        _, pt = forward(xte)
        pred = cp.asnumpy(pt.argmax(axis=1))
        acc = float((pred == yte).mean())
        pythonIO.emit("metrics", {"iteration": it, "loss": loss, "accuracy": acc})
        pythonIO.emit("predictions", {"label": yte[:10].tolist(), "pred": pred[:10].tolist()})
        pythonIO.progress(it / iters, f"iteration {it}")
        print(f"iteration {it}: loss {loss:.4f}, validation accuracy {acc:.3f}")
pythonIO.result = {"accuracy": acc}
