#!/usr/bin/env bash
# bench/h100/s17_read17.sh — task read17 (issue 15: a one-dispatch sync and read at jax-js jit's
# cost).  The change is in the webgpu executor (js/src, shared by Node and the browsers): a run
# that makes no buffer pushes and pops the validation error scope alone, not also the
# out-of-memory one (one push and one pop fewer per small read).  No WGSL or engine change, so
# GPU time is unchanged by design; what can move is the host time of a small read through Node +
# Dawn.  Printed: wall ms a call (median/min) and process CPU ms (median) of float(x.sum()) on 16
# float32, (x + 1).tolist() of 16, and 1000 fused `x + 1` (wp.fuse) read back, old (main's
# python/ and js/src, .cch/libwgpy_old.so) and new (this branch), alternated three times; CuPy's
# same calls last.  Locally (SwiftShader): S17_LOCAL=1 bash bench/h100/s17_read17.sh
set -uo pipefail
[ -n "${S17_LOCAL:-}" ] || . bench/h100/setup_device.sh
R=$(pwd)
export S17_LOCAL=${S17_LOCAL:-}
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
  case $v in
    old) WGPY_ROOT=$OLDROOT PYTHONPATH="$OLDPY" WGPY_LIBRARY="$OLDLIB" WGPY_BACKEND=webgpu "$@" ;;
    new) PYTHONPATH="$R/python" WGPY_LIBRARY="$NEWLIB" WGPY_BACKEND=webgpu "$@" ;;
  esac
}
if [ -z "$S17_LOCAL" ]; then  # the GPU idles at a low clock: ~1.5 s of back-to-back work first
  timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()" 2>&1 | tail -1
fi
echo "== a small read through Node + Dawn, old and new alternated (old/new JS executor: error scopes)"
for v in old new new old old new; do
  [ $SECONDS -lt 115 ] || { echo "(skipped: $SECONDS s used)"; break; }
  wg $v timeout 30 python3 bench/h100/s17_read17.py $v 2>&1 | tail -1
done
[ -n "$S17_LOCAL" ] || [ $SECONDS -gt 130 ] || timeout 15 python3 bench/h100/s17_read17.py --cupy 2>&1 | tail -1
echo "($SECONDS s)"
