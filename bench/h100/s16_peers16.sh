#!/usr/bin/env bash
# bench/h100/s16_peers16.sh — task peers16 (issue 15: the host's cost per operation).  The change:
# Python's operators call the engine's short forms wg_binop/wg_unop (3 or 2 arguments instead of 6
# with a negative int: fewer ctypes conversions), and the engine recycles its nodes, arrays,
# buffers and pending writes through per-context lists; no WGSL changes.  So: the 1000 tiny ops (x = x + 1 on
# 16 elements, then the read) — wall ms a run and the record loop's CPU µs per op — old and new
# alternated four times, then GPU guards: the chain + sum's and the sum's REDUCE kernels by GPU
# timestamps (64M), and ms per operation for chain+sum 64M/1M, sum 64M/1M, add 64M, matmul 4096²;
# CuPy last on the same card.
# old = main's python/ and js/src (.cch/base) with .cch/libwgpy_old.so; new = this checkout with
# .cch/libwgpy_new.so.  Locally (SwiftShader, small sizes): S16_LOCAL=1 bash bench/h100/s16_peers16.sh
set -uo pipefail
[ -n "${S16_LOCAL:-}" ] || . bench/h100/setup_device.sh
R=$(pwd)
export S16_LOCAL=${S16_LOCAL:-}
nvidia-smi --query-gpu=name,clocks.sm --format=csv,noheader 2>/dev/null
BASE=${BASE_DIR:-$R/.cch/base}
OLDROOT=$R
if [ -d "$BASE/js/src" ]; then OLDROOT=$BASE; [ -e "$BASE/node_modules" ] || ln -s "$R/node_modules" "$BASE/node_modules"; fi
OLDPY=$R/python; [ -d "$BASE/python" ] && OLDPY=$BASE/python
OLDLIB=$R/.cch/libwgpy_old.so; [ -e "$OLDLIB" ] || OLDLIB=${OLD_LIB:-$R/build/native/libwgpy.so}
NEWLIB=$R/.cch/libwgpy_new.so; [ -e "$NEWLIB" ] || NEWLIB=$R/build/native/libwgpy.so
echo "(old: $OLDPY, js of $OLDROOT, $OLDLIB; new: this checkout, $NEWLIB)"
wg() {
  local v=$1; shift
  if [ $v = old ]; then
    WGPY_ROOT=$OLDROOT PYTHONPATH="$OLDPY:$R/bench/h100" WGPY_LIBRARY="$OLDLIB" WGPY_BACKEND=webgpu "$@"
  else
    PYTHONPATH="$R/python:$R/bench/h100" WGPY_LIBRARY="$NEWLIB" WGPY_BACKEND=webgpu "$@"
  fi
}
if [ -z "$S16_LOCAL" ]; then  # the GPU idles at a low clock: ~1.5 s of back-to-back work first
  timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()" 2>&1 | tail -1
fi
echo "== 1000 tiny ops (x = x + 1, 16 float32, then the read), old and new alternated"
for v in new old new old new old; do
  wg $v timeout 20 python3 bench/h100/s16_peers16.py $v --tiny 2>&1 | tail -1
done
echo "== REDUCE kernels by GPU timestamps (WGPY_GPU_TIMING=1): chain+sum and sum, new then old"
for v in new old; do
  WGPY_GPU_TIMING=1 wg $v timeout 25 python3 - $v <<'PY' 2>&1 | tail -2
import json, os, sys, wgpy as wp
from wgpy import _lib
n = (1 << 18) if os.environ.get("S16_LOCAL") else (64 << 20)
x = wp.arange(n, dtype="float32") / float(n)
float(x[0]); wp.sync()
def stats():
    s = _lib._executor.stats(); s = json.loads(s) if isinstance(s, (str, bytes)) else s
    return {k: dict(v) for k, v in (s.get("gpuKernels") or {}).items()}
out = []
for name, f in (("chain+sum", lambda: ((x * 1.5 + 2.0) * x - x * 0.5).sum()), ("sum", lambda: x.sum())):
    for _ in range(3): float(f())
    s0 = stats()
    for _ in range(20): float(f())
    for k, v in stats().items():
        d = v["ms"] - s0.get(k, {}).get("ms", 0); c = v["n"] - s0.get(k, {}).get("n", 0)
        if c and k.startswith("reduce"): out.append("%s %s %.4f ms (%d)" % (name, k, d / c, c))
print(sys.argv[1] + ": GPU ms a dispatch: " + "; ".join(out))
PY
done
echo "== ms per operation (differential rounds), old and new alternated"
for v in new old new old; do
  [ $SECONDS -lt 115 ] || { echo "(skipped: $SECONDS s used)"; break; }
  wg $v timeout 30 python3 bench/h100/s16_peers16.py $v 2>&1 | tail -1
done
[ -n "$S16_LOCAL" ] || [ $SECONDS -gt 135 ] || timeout 14 python3 bench/h100/s16_peers16.py --cupy 2>&1 | tail -2
echo "($SECONDS s)"
