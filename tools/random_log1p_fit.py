"""The log polynomial of wgpy's float32 Box-Muller (core/src/api/random.c wg_log24, docs/random.md
"Session 16"): log1p(y) = y + y^2 Q(y) on y in [sqrt(1/2) - 1, sqrt(2) - 1], Q fitted by weighted
least squares with Lawson reweighting for the relative error of log1p, then evaluated in float32
(Horner) against log1p in float64 over 2.2 million float32 points.  Prints, for each degree of Q
tried, the largest error in ulps and relative, and the float32 coefficients.

    python3 tools/random_log1p_fit.py
"""
import numpy as np

lo, hi = np.sqrt(0.5) - 1, np.sqrt(2) - 1


def fit(deg, n=4000):
    # Q(y) ~ (log1p(y) - y) / y^2, weighted for relative error of log1p
    k = np.arange(n); x = np.cos(np.pi * (k + 0.5) / n); y = (lo + hi) / 2 + (hi - lo) / 2 * x
    y = y[np.abs(y) > 1e-6]
    g = (np.log1p(y) - y) / y**2
    w = y**2 / np.abs(np.log1p(y))  # relative error of the result
    V = np.vander(y, deg + 1, increasing=True)
    c, *_ = np.linalg.lstsq(V * w[:, None], g * w, rcond=None)
    # a few Remez-like reweighting passes (Lawson)
    ww = np.ones_like(y)
    for _ in range(60):
        c, *_ = np.linalg.lstsq(V * (w * np.sqrt(ww))[:, None], g * w * np.sqrt(ww), rcond=None)
        e = np.abs((V @ c - g) * w); ww *= e / e.max() + 1e-3; ww /= ww.sum()
    return c.astype(np.float32)


def ev32(c, y):
    y = y.astype(np.float32); q = np.float32(c[-1]) * np.ones_like(y)
    for a in c[-2::-1]: q = q * y + np.float32(a)
    return y + y * y * q

ys = np.float32(np.linspace(np.float32(lo), np.float32(hi), 2000001))
ys = np.unique(np.concatenate([ys, np.float32(np.linspace(-1e-3, 1e-3, 200001))]))
ex = np.log1p(ys.astype(np.float64))
for d in (6, 7, 8, 9):
    c = fit(d)
    r = ev32(c, ys).astype(np.float64)
    ulp = np.spacing(np.abs(ex).astype(np.float32)).astype(np.float64)
    ok = ex != 0
    print(d, 'max ulp %.2f' % (np.abs(r - ex)[ok] / ulp[ok]).max(), 'max rel %.3g' % (np.abs(r-ex)[ok]/np.abs(ex[ok])).max(), [float(x) for x in c])
