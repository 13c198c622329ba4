#!/usr/bin/env bash
# bench/h100/s15_sort15.sh — session 15, branch sort15 (issue 10: sort and argsort >= 0.5x CuPy;
# docs/sorting.md "Session 15").  Run from the checkout root (carry .carry .gl .cch): main's
# engine .cch/libwgpy_old.so (with main's python/ and js/src/ under .cch/base when there, else this
# checkout's), this branch's .cch/libwgpy_new.so; CuPy in the same call.
# New in this branch:
#   - every radix kernel but the warp variants promises its indices (__in_range()): the WGSL
#     indexes raw buffers and workgroup arrays directly instead of through range-check wrappers;
#     WGPY_RADIX_CHECKED=1 ('chk') keeps the wrappers (the same kernels otherwise);
#   - the one sweep (WGPY_RADIX_ONESWEEP=1, 'sweep': one launch a pass instead of count + row scan
#     + scatter) looks back right after publishing its counts, 8 tiles' words at a time, with a
#     bounded spin before counting a missing tile; 'late' (WGPY_RADIX_LOOKBACK=late) is session
#     14's look-back (after the tile's sort, one word a step), to explain its 11.8 ms;
#   - a values-only sort of int32 runs keys alone (4 bytes an element a pass, no gather), as
#     float32's does.
#  A. CuPy float32 / int32 sort and argsort at 2^20 and 2^24;
#  B. GPU time a call per dispatch (WGPY_GPU_TIMING=ids, 5 calls) at 2^24: new, old, sweep (float32
#     and int32); late, chk,
#     t2048 (WGPY_RADIX_TILE=2048: tiles of 2048, half the scatter's code: is its ~9000 lines of
#     straight-line WGSL, every element unrolled, costing instruction fetch?) and sw2048 (the same
#     for the one sweep) (float32);
#  C. wall per call (no timing) at 2^20 and 2^24, 8 calls, best and median: new, sweep, old;
#     checked against NumPy (sort bit for bit, stable argsort): new at 2^20, sweep at both sizes
#     (its look-back depends on how many tiles run side by side).
# S15_LOCAL=1: here (SwiftShader, no device setup, no CuPy), 65536 elements, float32 only.
set -uo pipefail
R=$(pwd)
if [ -z "${S15_LOCAL:-}" ]; then
  . bench/h100/setup_device.sh
  nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
  BIG=16777216; SMALL=1048576; DT=float32,int32; RG=5; RW=8; T=28
else
  BIG=65536; SMALL=20000; DT=float32; RG=1; RW=2; T=900
fi
BASE=${BASE_DIR:-$R/.cch/base}
OLDPY=$R/python; OLDROOT=$R
if [ -d "$BASE/python" ]; then
  OLDPY=$BASE/python
  if [ -d "$BASE/js/src" ]; then OLDROOT=$BASE; [ -e "$BASE/node_modules" ] || ln -s "$R/node_modules" "$BASE/node_modules"; fi
fi
NEW=.cch/libwgpy_new.so; [ -e $NEW ] || NEW=build/native/libwgpy.so
echo "(old: .cch/libwgpy_old.so, python $OLDPY, js of $OLDROOT; new: $NEW)"
run() {  # VARIANT CMD...
  local v=$1; shift
  case $v in
  old) [ -e .cch/libwgpy_old.so ] || { echo "(no .cch/libwgpy_old.so)"; return; }
       WGPY_ROOT=$OLDROOT PYTHONPATH="$OLDPY" WGPY_LIBRARY="$R/.cch/libwgpy_old.so" WGPY_BACKEND=webgpu "$@" ;;
  new) WGPY_ROOT=$R PYTHONPATH="$R/python" WGPY_LIBRARY="$R/$NEW" WGPY_BACKEND=webgpu "$@" ;;
  sweep) WGPY_RADIX_ONESWEEP=1 run new "$@" ;;
  late) WGPY_RADIX_ONESWEEP=1 WGPY_RADIX_LOOKBACK=late run new "$@" ;;
  chk) WGPY_RADIX_CHECKED=1 run new "$@" ;;
  t2048) WGPY_RADIX_TILE=2048 run new "$@" ;;
  sw2048) WGPY_RADIX_TILE=2048 WGPY_RADIX_ONESWEEP=1 run new "$@" ;;
  esac
}
if [ -z "${S15_LOCAL:-}" ]; then
  echo "== A. CuPy (after a 1.5 s warm-up: the GPU idles at 345 MHz)"
  timeout 20 python3 -c "
import cupy as cp, time
x = cp.random.random(1 << 24, dtype=cp.float32); t = time.time()
while time.time() - t < 1.5: cp.sort(x)
cp.cuda.Device().synchronize()"
  timeout 20 python3 bench/h100/sort15_cupy.py $SMALL $BIG
fi
echo "== B. GPU ms a call per dispatch at $BIG (WGPY_GPU_TIMING=ids, $RG calls; key: shape and kernel id)"
for v in new old sweep late chk t2048 sw2048; do
  echo "-- $v"
  d=$DT; case $v in late|chk|t2048|sw2048) d=float32 ;; esac
  WGPY_GPU_TIMING=ids run $v timeout $T python3 bench/h100/sort15_bench.py --reps $RG --dtypes $d $BIG 2>&1 | grep -v '^$'
done
echo "== C. wall ms a call ($RW calls; new and sweep checked against NumPy)"
for v in new sweep old; do
  echo "-- $v"
  c=; [ $v = new ] && c="--check-max $SMALL"; [ $v = sweep ] && c=--check
  run $v timeout $T python3 bench/h100/sort15_bench.py --reps $RW --dtypes $DT $c $SMALL $BIG 2>&1 | grep -v '^$'
done
[ -z "${S15_LOCAL:-}" ] && nvidia-smi --query-gpu=clocks.sm --format=csv,noheader
echo "== done"
