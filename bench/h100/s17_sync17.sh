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
export S17_LOCAL=${S17_LOCAL:-}
LOCAL=$S17_LOCAL
. bench/h100/oldnew.sh
gpu_warm
echo "== wall ms a call (median/min), through Node + Dawn; old, new, new with nudges, alternated"
for v in old new nudge nudge new old; do
  [ $SECONDS -lt 120 ] || { echo "(skipped: $SECONDS s used)"; break; }
  case $v in
    nudge) wg new env WGPY_WEBGPU_NUDGE=1,0.5 timeout 40 python3 bench/h100/s17_sync17.py $v 2>&1 | tail -1 ;;
    *) wg $v timeout 40 python3 bench/h100/s17_sync17.py $v 2>&1 | tail -1 ;;
  esac
done
[ -n "$S17_LOCAL" ] || [ $SECONDS -gt 135 ] || timeout 14 python3 bench/h100/s17_sync17.py --cupy 2>&1 | tail -1
echo "($SECONDS s)"
