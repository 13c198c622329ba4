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
export S17_LOCAL=${S17_LOCAL:-}
LOCAL=$S17_LOCAL
. bench/h100/oldnew.sh
gpu_warm
echo "== a small read through Node + Dawn, old and new alternated (old/new JS executor: error scopes)"
for v in old new new old old new; do
  [ $SECONDS -lt 115 ] || { echo "(skipped: $SECONDS s used)"; break; }
  wg $v timeout 30 python3 bench/h100/s17_read17.py $v 2>&1 | tail -1
done
[ -n "$S17_LOCAL" ] || [ $SECONDS -gt 130 ] || timeout 15 python3 bench/h100/s17_read17.py --cupy 2>&1 | tail -1
echo "($SECONDS s)"
