#!/usr/bin/env bash
# bench/h100/s15_peers15.sh — task peers15 (issue 15 on SwiftShader).  Its GPU-visible change: a
# REDUCE kernel's scalar parameters are read once before its loop (codegen/expr.c
# wgC_emit_params), which changes the fused chain + sum's WGSL; main_reg4 and the executor's
# matmul choice are CPU-adapter paths (a GPU's matmul and plain-sum WGSL are unchanged: guards).
# old = main's python/ and js/src (.cch/base) with .cch/libwgpy_old.so; new = this checkout with
# .cch/libwgpy_new.so; after a GPU warm-up, new/old/new/old per operation, then CuPy on the same card;
# first the chain + sum's GPU time per dispatch (WGPY_GPU_TIMING=1), new and old; CuPy last.
# Locally (SwiftShader, small sizes): S15_LOCAL=1 bash bench/h100/s15_peers15.sh
set -uo pipefail
[ -n "${S15_LOCAL:-}" ] || . bench/h100/setup_device.sh
R=$(pwd)
export S15_LOCAL=${S15_LOCAL:-}
nvidia-smi --query-gpu=name,clocks.sm --format=csv,noheader 2>/dev/null
BASE=${BASE_DIR:-$R/.cch/base}
OLDROOT=$R
if [ -d "$BASE/js/src" ]; then OLDROOT=$BASE; [ -e "$BASE/node_modules" ] || ln -s "$R/node_modules" "$BASE/node_modules"; fi
OLDPY=$R/python; [ -d "$BASE/python" ] && OLDPY=$BASE/python
NEWLIB=$R/.cch/libwgpy_new.so; [ -e "$NEWLIB" ] || NEWLIB=$R/build/native/libwgpy.so
echo "(old: $OLDPY, js of $OLDROOT, .cch/libwgpy_old.so; new: this checkout, $NEWLIB)"
wg() {
  local v=$1; shift
  if [ $v = old ]; then
    WGPY_ROOT=$OLDROOT PYTHONPATH="$OLDPY:$R/bench/h100" WGPY_LIBRARY="$R/.cch/libwgpy_old.so" WGPY_BACKEND=webgpu "$@"
  else
    PYTHONPATH="$R/python:$R/bench/h100" WGPY_LIBRARY="$NEWLIB" WGPY_BACKEND=webgpu "$@"
  fi
}
if [ -z "$S15_LOCAL" ]; then  # the GPU idles at a low clock: ~1.5 s of back-to-back work first
  timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()" 2>&1 | tail -1
fi
echo "== the chain + sum's kernels by GPU timestamps (WGPY_GPU_TIMING=1), new then old"
for v in new old; do
  WGPY_GPU_TIMING=1 wg $v timeout 25 python3 - <<'PY' 2>&1 | tail -3
import json, os, wgpy as wp
from wgpy import _lib
n = (1 << 18) if os.environ.get("S15_LOCAL") else (64 << 20)
x = wp.arange(n, dtype="float32") / float(n)
float(x[0]); wp.sync()
for _ in range(3): float(((x * 1.5 + 2.0) * x - x * 0.5).sum())
s = _lib._executor.stats(); s = json.loads(s) if isinstance(s, (str, bytes)) else s
s0 = {k: dict(v) for k, v in (s.get("gpuKernels") or {}).items()}
for _ in range(20): float(((x * 1.5 + 2.0) * x - x * 0.5).sum())
s = _lib._executor.stats(); s = json.loads(s) if isinstance(s, (str, bytes)) else s
for k, v in (s.get("gpuKernels") or {}).items():
    if k.startswith("reduce"):
        d = v["ms"] - s0.get(k, {}).get("ms", 0); c = v["n"] - s0.get(k, {}).get("n", 0)
        if c: print("  %s: %.4f ms a dispatch (%d)" % (k, d / c, c))
PY
done
echo "== ms per operation (differential rounds), old and new alternated"
for v in new old new old; do
  [ $SECONDS -lt 125 ] || { echo "(skipped: $SECONDS s used)"; break; }
  wg $v timeout 40 python3 bench/h100/s15_peers15.py $v 2>&1 | tail -1
done
[ -n "$S15_LOCAL" ] || [ $SECONDS -gt 150 ] || timeout 25 python3 bench/h100/s15_peers15.py --cupy 2>&1 | tail -1
