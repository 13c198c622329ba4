#!/usr/bin/env bash
# bench/h100/s12_host12.sh — issue 12's host cost of a launch on the H100, this branch against main
# in one call (carry .carry .gl .cch):  .cch/libwgpy_new.so this branch's engine, .cch/libwgpy_old.so
# main's; main's python/ + js/src from git (or .cch/base) with the old engine as the baseline.
#  1. bench/h100/train_profile.py, CNN and MLP at batch 32: issue against the loss read, the
#     executor's run split (wait / submit / encode), bind groups made and alias copies per step;
#  2. bench/chainer_training.py (ms/iteration, MLP and CNN at batch 32/100): old, new, new with
#     run ahead at every reduction and matmul (WGPY_RUN_AHEAD=4096,1), and
#     PyTorch in the same call;
#  3. node --cpu-prof of the Node host over CNN iterations (new): JS self time by function;
#  4. bench/dawn_calls.mjs (µs per Dawn call on this GPU);  5. bench/launch_cost.py old/new.
# Without git history the baseline is this checkout with bench/h100/s12_host12.patch (this branch's
# python/ and js/src changes against main) reversed.  About 2.5 minutes: the most telling first.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
export OPENBLAS_NUM_THREADS=1 PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python
BASE=/tmp/s12-base; rm -rf $BASE; mkdir -p $BASE
if [ -d .cch/base/python ]; then
  cp -r .cch/base/. $BASE/; echo "(baseline: .cch/base with libwgpy_old.so)"
elif git archive main python js/src package.json 2>/dev/null | tar -x -C $BASE 2>/dev/null && [ -d $BASE/python ]; then
  echo "(baseline: main's python/ and js/src with libwgpy_old.so)"
elif cp -r python js package.json $BASE/ && patch -s -R -p1 -d $BASE < bench/h100/s12_host12.patch; then
  echo "(baseline: this checkout's python/ and js/ with bench/h100/s12_host12.patch reversed = main's, with libwgpy_old.so)"
else
  rm -rf $BASE/*; cp -r python js package.json $BASE/
  echo "(no git history: the baseline is this checkout's python/ and js/ with main's engine)"
fi
[ -d $BASE/js ] || cp -r js $BASE/
[ -e $BASE/package.json ] || cp package.json $BASE/
[ -e $BASE/node_modules ] || ln -s "$R/node_modules" $BASE/node_modules
python3 bench/h100/mnist_digits.py >/dev/null 2>&1
# wg V ARGS...: Python with either version (old: main's python + js with the old engine)
wg() {
  local v=$1; shift
  local P="$R/python"; [ $v = old ] && P=$BASE/python
  PYTHONPATH="$P:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_$v.so" WGPY_BACKEND=webgpu "$@"
}
echo "== 1. train_profile.py (median of 12 after 3), old then new"
for m in cnn mlp; do
  for v in old new; do
    echo "-- $m 32 $v"
    wg $v timeout 40 python3 bench/h100/train_profile.py --model $m --batch 32 --iters 12 2>&1 \
      | grep -E "wall|kernels_launched|executor per|per iteration: bind"
  done
done
echo "== 2. chainer_training.py ms/iteration (median of 10 after 3)"
echo "-- PyTorch"
timeout 60 python3 bench/h100/torch_training.py --iters 10 2>&1 | grep -E "^\|" | tail -4
for cfg in old new "new 4096,1"; do
  set -- $cfg
  echo "-- $1 ${2:+WGPY_RUN_AHEAD=$2}"
  WGPY_RUN_AHEAD=${2:-} wg $1 timeout 45 python3 bench/chainer_training.py --iters 10 2>&1 | grep -E "^\| (mlp|cnn)"
done
echo "== 3. node --cpu-prof, CNN batch 32 x 30 (new)"
printf '#!/bin/sh\nexec node --cpu-prof --cpu-prof-interval 100 --cpu-prof-dir=/tmp/prof12 "$@"\n' > /tmp/nodeprof12
chmod +x /tmp/nodeprof12; rm -rf /tmp/prof12
ITERS=30 BATCH=32 NODE=/tmp/nodeprof12 wg new timeout 40 python3 bench/h100/cnn_iters.py 2>&1 | tail -1
sleep 1
ls /tmp/prof12/*.cpuprofile >/dev/null 2>&1 && python3 bench/h100/cpuprof_top.py /tmp/prof12/*.cpuprofile 28
echo "== 4. dawn_calls.mjs"
timeout 20 node bench/dawn_calls.mjs 5000 2>&1 | tail -12
echo "== 5. launch_cost.py: old, then new"
wg new timeout 45 python3 bench/launch_cost.py --baseline $BASE --baseline-lib .cch/libwgpy_old.so \
  --rounds 1 --repeat 1 --only tiny,k3,mlp 2>&1 | tail -10
