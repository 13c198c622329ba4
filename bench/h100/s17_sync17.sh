#!/usr/bin/env bash
# bench/h100/s17_sync17.sh — task sync17 (issue 15: the fixed cost of a sync and a read).  The
# change is the webgpu executor's wait for a READ in a browser: empty submits ("nudges") while the
# map is pending, so the GPU process notices finished work before its own poll; off in Node (the
# Dawn the native runs use), so here old and new JS should time the same.  Printed: wall ms a call
# (median/min) of float(x.sum()) on 16 and on 64M float32 and (x + 1).tolist() of 16, through
# Node + Dawn: old (main's python/ and js/src, .cch/libwgpy_old.so), new (this branch), and new with
# the nudges forced on (WGPY_WEBGPU_NUDGE=1,0.5: does an empty submit help or hurt on a real GPU
# in Dawn-native?), alternated twice; CuPy's same calls last.  No WGSL or engine changes.
# Locally (SwiftShader, 1M instead of 64M): S17_LOCAL=1 bash bench/h100/s17_sync17.sh
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
    nudge) WGPY_WEBGPU_NUDGE=1,0.5 PYTHONPATH="$R/python" WGPY_LIBRARY="$NEWLIB" WGPY_BACKEND=webgpu "$@" ;;
  esac
}
if [ -z "$S17_LOCAL" ]; then  # the GPU idles at a low clock: ~1.5 s of back-to-back work first
  timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()" 2>&1 | tail -1
fi
echo "== wall ms a call (median/min), through Node + Dawn; old, new, new with nudges, alternated"
for v in old new nudge nudge new old; do
  [ $SECONDS -lt 120 ] || { echo "(skipped: $SECONDS s used)"; break; }
  wg $v timeout 40 python3 bench/h100/s17_sync17.py $v 2>&1 | tail -1
done
[ -n "$S17_LOCAL" ] || [ $SECONDS -gt 135 ] || timeout 14 python3 bench/h100/s17_sync17.py --cupy 2>&1 | tail -1
echo "($SECONDS s)"
