#!/usr/bin/env bash
# bench/h100/s13_host13.sh — issues 10 and 12: the read round trip through the Node + Dawn host and
# Chainer's training step, this branch against main in one call (carry .carry .gl .cch dist/data).
# .cch/libwgpy_new.so is this branch's engine, .cch/libwgpy_old.so main's; "old" runs main's
# python/ + js/src (.cch/base) with the old engine, "new" this checkout's with the new one.
#  1. bench/h100/roundtrip_split.py: a tiny op's read, a 1M sum's read, a read alone, a STATS
#     frame (pipes only), split into Python + pipes / the Node host / its wait for the device:
#     old, new, new with WGPY_REMOTE_SPIN_US=0 (the pipes' polling off);
#  2. bench/h100/scan_bench.py: cumsum, a[mask], nonzero 16M per call: old, new, new spin 0, new
#     without run ahead (the selection is then not handed over after its count read); CuPy;
#  3. training ms/iteration (bench/h100/train_ms.py, MLP and CNN at batch 32 and 100): PyTorch,
#     old, new (run ahead at every reduction and matmul: the new default for the Node host,
#     4096,1), new with the old default (1048576,268435456); the CNN's step split (train_profile.py: issue against
#     the loss read, the executor's run) at 32 and 100, and its GPU time a step at 100;
#  4. bench/h100/ra_check.py: 1024² matmuls, 16M sums, 1M cumsums back to back, old / new / new
#     with the old run-ahead default (does a hand-off at every matmul cost the GPU throughput?);
#  5. bench/launch_cost.py old/new.
# LOCAL=1 runs it here (no device setup, small sizes) to check it before the device does.
set -uo pipefail
R=$(pwd); mkdir -p build
if [ -z "${LOCAL:-}" ]; then
  . bench/h100/setup_device.sh
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  python3 bench/h100/mnist_digits.py >/dev/null 2>&1
  K=200; SN=$((16 << 20)); IT=10; WARM=4; MODELS=mlp,cnn; BATCHES=32,100; TP=12
else
  K=20; SN=$((1 << 18)); IT=2; WARM=1; MODELS=mlp; BATCHES=8; TP=2
fi
export OPENBLAS_NUM_THREADS=1 PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python
BASE=/tmp/s13-base; rm -rf $BASE; mkdir -p $BASE
if [ -d .cch/base/python ]; then
  cp -r .cch/base/. $BASE/; echo "(old: .cch/base's python/ and js/src with libwgpy_old.so)"
elif git archive main python js/src package.json 2>/dev/null | tar -x -C $BASE 2>/dev/null && [ -d $BASE/python ]; then
  echo "(old: main's python/ and js/src from git with libwgpy_old.so)"
else
  rm -rf $BASE/*; cp -r python js package.json $BASE/
  echo "(no baseline python: old is this checkout's python/ and js/ with main's engine)"
fi
[ -d $BASE/js ] || cp -r js $BASE/
[ -e $BASE/package.json ] || cp package.json $BASE/
[ -e $BASE/node_modules ] || ln -s "$R/node_modules" $BASE/node_modules
# wg V CMD...: V old (main's python + js, old engine) or new (this checkout, new engine)
wg() {
  local v=$1; shift
  local P="$R/python"; [ $v = old ] && P=$BASE/python
  PYTHONPATH="$P:$R/.cch/site:$R/bench/h100" WGPY_LIBRARY="$R/.cch/libwgpy_$v.so" WGPY_BACKEND=webgpu "$@"
}
echo "== 1. round trip (roundtrip_split.py, medians of $K; ms)"
for cfg in old new "new 0"; do
  set -- $cfg
  echo "-- $1${2:+ WGPY_REMOTE_SPIN_US=$2}"
  WGPY_REMOTE_SPIN_US=${2:-} wg $1 timeout 30 python3 bench/h100/roundtrip_split.py $K 2>&1 | grep -v "^$" | tail -5
done
echo "== 2. scans and masks per call (scan_bench.py, N=$SN)"
for cfg in old new "new 0" "new - 0"; do
  set -- $cfg
  s=${2:-}; [ "$s" = - ] && s=
  echo "-- $1${s:+ WGPY_REMOTE_SPIN_US=$s}${3:+ WGPY_RUN_AHEAD=$3 (no hand-off after the count read)}"
  SCAN_N=$SN WGPY_REMOTE_SPIN_US=$s WGPY_RUN_AHEAD=${3:-} wg $1 timeout 40 python3 bench/h100/scan_bench.py 2>&1 | grep -E "ms \("
done
[ -z "${LOCAL:-}" ] && SCAN_N=$SN timeout 40 python3 bench/h100/scan_bench.py --cupy 2>&1 | grep -E "ms \("
echo "== 3. training ms/iteration (median of $IT after $WARM)"
[ -z "${LOCAL:-}" ] && { echo "-- PyTorch"; timeout 60 python3 bench/h100/torch_training.py --iters 10 2>&1 | grep -E "^\|" | tail -4; }
for cfg in old new "new 1048576,268435456"; do
  set -- $cfg
  echo "-- $1${2:+ WGPY_RUN_AHEAD=$2}: $(WGPY_RUN_AHEAD=${2:-} wg $1 timeout 50 python3 bench/h100/train_ms.py $IT $WARM $MODELS $BATCHES 2>&1 | grep ms/iter)"
done
[ -n "${LOCAL:-}" ] && m=mlp || m=cnn
for cfg in "32 new" "32 new 1048576,268435456"; do
  set -- $cfg
  echo "-- train_profile $m $1, $2${3:+ WGPY_RUN_AHEAD=$3}"
  WGPY_RUN_AHEAD=${3:-} wg $2 timeout 40 python3 bench/h100/train_profile.py --model $m --batch $1 --iters $TP 2>&1 \
    | grep -E "wall|kernels_launched|executor per|chunks enqueued"
done
echo "-- train_profile $m 100, new, WGPY_GPU_TIMING=1 (each dispatch a pass of its own)"
WGPY_GPU_TIMING=1 wg new timeout 40 python3 bench/h100/train_profile.py --model $m --batch 100 --iters $TP --top 5 2>&1 \
  | grep -E "wall|GPU per|    "
echo "== 4. run ahead on back-to-back GPU work (ra_check.py; best of 6 rounds of 20, each round read)"
[ -n "${LOCAL:-}" ] && n=128 || n=1024
for cfg in old new "new 1048576,268435456"; do
  set -- $cfg
  echo "-- $1${2:+ WGPY_RUN_AHEAD=$2}: $(WGPY_RUN_AHEAD=${2:-} wg $1 timeout 40 python3 bench/h100/ra_check.py $n 2>&1 | grep ms/op)"
done
echo "== 5. launch_cost.py: old, then new"
wg new timeout 45 python3 bench/launch_cost.py --baseline $BASE --baseline-lib .cch/libwgpy_old.so \
  --rounds 1 --repeat 1 --only tiny,mlp 2>&1 | tail -8
