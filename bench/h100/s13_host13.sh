#!/usr/bin/env bash
# bench/h100/s13_host13.sh — issues 10 and 12: the read round trip through the Node + Dawn host and
# Chainer's training step (carry .carry .gl .cch dist/data), as variants of this checkout in one
# call, interleaved after a GPU warm-up (the H100 idles at 345 MHz): the pipes' polling on/off
# (WGPY_REMOTE_SPIN_US=0), run ahead at every reduction (the Node host's default on 8+ cores,
# 4096,1) against the old default (1048576,268435456) or off.  BASE_DIR (default .cch/base): main's
# python/ and js/src to compare with .cch/libwgpy_old.so as "old"; skipped where absent.
#  1. bench/h100/roundtrip_split.py: a tiny op's read, a 1M sum's read, a read alone, a STATS frame;
#  2. bench/h100/scan_bench.py: cumsum, a[mask], nonzero 16M per call; CuPy;
#  3. training ms/iteration (bench/h100/train_ms.py --split, MLP and CNN at 32 and 100), PyTorch;
#  4. bench/h100/ra_check.py: 1024² matmuls, 16M sums, 1M cumsums back to back per run-ahead setting.
# LOCAL=1 runs it here (no device setup, small sizes) to check it before the device does.
set -uo pipefail
R=$(pwd); mkdir -p build
if [ -z "${LOCAL:-}" ]; then
  . bench/h100/setup_device.sh
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  python3 bench/h100/mnist_digits.py >/dev/null 2>&1
  K=200; SN=$((16 << 20)); IT=10; WARM=4; MODELS=mlp,cnn; BATCHES=32,100; RN=1024
else
  K=20; SN=$((1 << 18)); IT=2; WARM=1; MODELS=mlp; BATCHES=8; RN=128
fi
export OPENBLAS_NUM_THREADS=1 PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python
BASE=${BASE_DIR:-$R/.cch/base}
OLD=; if [ -d "$BASE/python" ] && [ -d "$BASE/js/src" ] && [ -e .cch/libwgpy_old.so ]; then
  OLD=old; [ -e "$BASE/node_modules" ] || ln -s "$R/node_modules" "$BASE/node_modules"
  echo "(old: $BASE's python/ and js/src with libwgpy_old.so)"
else
  echo "(no baseline at BASE_DIR=$BASE: variants of this checkout only)"
fi
LIB=.cch/libwgpy_new.so; [ -e $LIB ] || LIB=.cch/libwgpy.so; [ -e $LIB ] || LIB=build/native/libwgpy.so
# wg V CMD...: V old (BASE's python + js, old engine) or new (this checkout)
wg() {
  local v=$1; shift
  if [ $v = old ]; then
    PYTHONPATH="$BASE/python:$R/.cch/site:$R/bench/h100" WGPY_LIBRARY="$R/.cch/libwgpy_old.so" WGPY_BACKEND=webgpu "$@"
  else
    PYTHONPATH="$R/python:$R/.cch/site:$R/bench/h100" WGPY_LIBRARY="$R/$LIB" WGPY_BACKEND=webgpu "$@"
  fi
}
# V[:SPIN[:RUN_AHEAD]] -> the label and the environment
run_cfg() {
  local cfg=$1; shift
  local v=${cfg%%:*} rest=${cfg#*:} spin= ra=
  [ "$rest" != "$cfg" ] && { spin=${rest%%:*}; [ "${rest#*:}" != "$rest" ] && ra=${rest#*:}; }
  WGPY_REMOTE_SPIN_US=$spin WGPY_RUN_AHEAD=$ra wg $v "$@"
}
label() { echo "-- $1 (version:WGPY_REMOTE_SPIN_US:WGPY_RUN_AHEAD)"; }
echo "== warm-up (ra_check, ~1 s of GPU work)"
wg new timeout 30 python3 bench/h100/ra_check.py $RN 2>&1 | tail -1
echo "== 1. round trip (roundtrip_split.py, medians of $K; ms)"
for cfg in new new:0 $OLD new new:0; do
  label $cfg; run_cfg $cfg timeout 30 python3 bench/h100/roundtrip_split.py $K 2>&1 | grep -v "^$" | tail -5
done
echo "== 2. scans and masks per call (scan_bench.py, N=$SN; RUN_AHEAD=0: no hand-off after the count read)"
for cfg in new new:0 new::0 $OLD new; do
  label $cfg; SCAN_N=$SN run_cfg $cfg timeout 40 python3 bench/h100/scan_bench.py 2>&1 | grep -E "ms \("
done
[ -z "${LOCAL:-}" ] && SCAN_N=$SN timeout 40 python3 bench/h100/scan_bench.py --cupy 2>&1 | grep -E "ms \("
echo "== 3. training ms/iteration (median of $IT after $WARM)"
[ -z "${LOCAL:-}" ] && { echo "-- PyTorch"; timeout 60 python3 bench/h100/torch_training.py --iters 10 2>&1 | grep -E "^\|" | tail -4; }
for cfg in new new::1048576,268435456 $OLD new; do
  label $cfg; run_cfg $cfg timeout 60 python3 bench/h100/train_ms.py $IT $WARM $MODELS $BATCHES --split 2>&1 | grep -E "ms/iter|Error"
done
echo "== 4. run ahead on back-to-back GPU work (ra_check.py; best of 6 rounds of 20, all observed)"
for cfg in new new::1048576,268435456 new; do
  label $cfg; run_cfg $cfg timeout 40 python3 bench/h100/ra_check.py $RN 2>&1 | grep -E "ms/op|Error"
done
