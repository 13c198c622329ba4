#!/usr/bin/env bash
# bench/h100/s14_host14.sh — issue 12 (Chainer training within 2x PyTorch) and issue 15's guard
# (sum 64M >= 0.95 of CuPy with run ahead on), old against new in one call (carry .carry .gl .cch
# dist/data).  old: main's python/ (BASE_DIR, default .cch/base; its js/src if there, else this
# checkout's, which talks to an old Python as before) with .cch/libwgpy_old.so; new: this checkout
# with .cch/libwgpy_new.so.  Variants of new: WGPY_MAX_IN_FLIGHT (the run-ahead gate,
# python/wgpy/_remote.py ready(): 2 by default on 8+ cores, 0 = hand over at every reduction as
# session 13's default did).  Rounds interleaved after a GPU warm-up (it idles at 345 MHz).
#  1. bench/h100/sum_guard.py: 20 sums of 64M and of 16M back to back, CuPy in the same call;
#  2. training ms/iteration (bench/h100/train_ms.py --split), PyTorch in the same call;
#  3. bench/h100/step_host.py: the step's host side alone (a null executor), old and new Python;
#  4. bench/h100/ra_check.py: matmuls, 16M sums, cumsums back to back.
# LOCAL=1 runs it here (no device setup, small sizes) to check it before the device does.
set -uo pipefail
R=$(pwd); mkdir -p build
if [ -z "${LOCAL:-}" ]; then
  . bench/h100/setup_device.sh
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  python3 bench/h100/mnist_digits.py >/dev/null 2>&1
  SG=6; SMALL=; IT=30; WARM=4; MODELS=mlp,cnn; BATCHES=32,100; RN=1024; HI=40; PROFM=cnn
else
  SG=2; SMALL=--small; IT=2; WARM=1; MODELS=mlp; BATCHES=8; RN=128; HI=3; PROFM=mlp
  export WGPY_RUN_AHEAD=4096,1  # the device's default (8+ cores); the gate is off here unless asked
fi
export OPENBLAS_NUM_THREADS=1 PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python
BASE=${BASE_DIR:-$R/.cch/base}
OLD=; OLDROOT=
if [ -d "$BASE/python" ] && [ -e .cch/libwgpy_old.so ]; then
  OLD=old
  if [ -d "$BASE/js/src" ]; then OLDROOT=$BASE; [ -e "$BASE/node_modules" ] || ln -s "$R/node_modules" "$BASE/node_modules"
  else OLDROOT=$R; fi
  echo "(old: $BASE/python, js of $OLDROOT, libwgpy_old.so)"
else
  echo "(no baseline at BASE_DIR=$BASE: variants of this checkout only)"
fi
LIB=.cch/libwgpy_new.so; [ -e $LIB ] || LIB=.cch/libwgpy.so; [ -e $LIB ] || LIB=build/native/libwgpy.so
# Chainer 5.4 (tools/chainer_suite_device.sh prepare): CHAINER_SITE, else .cch/site here or beside
# BASE_DIR (the mid-way call's copy had neither: its training rows all failed to import chainer)
SITE=
for d in "${CHAINER_SITE:-}" "$R/.cch/site" "$BASE/../site" /work/main/.cch/site; do
  [ -n "$d" ] && [ -d "$d/chainer" ] && { SITE=$d; break; }
done
[ -n "$SITE" ] && echo "(chainer from $SITE)" || echo "(no chainer found (.cch/site, CHAINER_SITE): sections 2-3c will fail)"
# V[:MAX_IN_FLIGHT] CMD...: V old (BASE's python, old engine) or new (this checkout)
wg() {
  local cfg=$1; shift
  local v=${cfg%%:*} m=; [ "$cfg" != "$v" ] && m=${cfg#*:}
  if [ $v = old ]; then
    WGPY_ROOT=$OLDROOT PYTHONPATH="$BASE/python:$SITE:$R/bench/h100" WGPY_LIBRARY="$R/.cch/libwgpy_old.so" \
      WGPY_BACKEND=webgpu "$@"
  else
    WGPY_MAX_IN_FLIGHT=$m PYTHONPATH="$R/python:$SITE:$R/bench/h100" WGPY_LIBRARY="$R/$LIB" WGPY_BACKEND=webgpu "$@"
  fi
}
lab() { echo "-- $1 (version[:WGPY_MAX_IN_FLIGHT])"; }
echo "== warm-up"
wg new timeout 30 python3 bench/h100/sum_guard.py 2 $SMALL 2>&1 | tail -1
echo "== 1. sums back to back (sum_guard.py, best of $SG rounds of 20, every result read; ms a sum)"
[ -z "${LOCAL:-}" ] && timeout 30 python3 bench/h100/sum_guard.py $SG --cupy 2>&1 | tail -1
for cfg in $OLD new new:0 new:1 new; do
  lab $cfg; wg $cfg timeout 30 python3 bench/h100/sum_guard.py $SG $SMALL 2>&1 | tail -1
done
[ -z "${LOCAL:-}" ] && timeout 30 python3 bench/h100/sum_guard.py $SG --cupy 2>&1 | tail -1
echo "== 2. training ms/iteration (train_ms.py, median of $IT after $WARM; issue = Python's recording)"
for round in 1 2; do
  if [ -z "${LOCAL:-}" ]; then echo "-- PyTorch"; timeout 60 python3 bench/h100/torch_training.py --iters $IT 2>&1 | grep -E "^\| [mc]"; fi
  for cfg in $OLD new new:0 new:1; do
    lab $cfg; wg $cfg timeout 60 python3 bench/h100/train_ms.py $IT $WARM $MODELS $BATCHES --split 2>&1 | grep -E "ms/iter|Error" | sed 's/; /\n   /g'
  done
done
echo "== 3. the step's host side alone (step_host.py: null executor, median of $HI steps)"
for cfg in $OLD new; do
  for mb in cnn:32 cnn:100; do
    lab $cfg; wg $cfg timeout 40 python3 bench/h100/step_host.py ${mb%:*} ${mb#*:} $HI 2>&1 | grep -E "host issue|Error"
  done
done
lab new; TOP=24 wg new timeout 40 python3 bench/h100/step_host.py cnn 32 $HI --prof 2>&1 | grep -vE "cudnn|warn|^Please|^\(see|^$"
echo "== 3b. the Node host's profile over a CNN 32 run (node --cpu-prof; new)"
rm -rf /tmp/wgpy-cpuprof
NODE=$R/bench/h100/node_cpuprof.sh CPUPROF_DIR=/tmp/wgpy-cpuprof wg new timeout 60 python3 bench/h100/train_ms.py $IT $WARM $PROFM 32 --split 2>&1 | grep -E "ms/iter|Error"
for f in /tmp/wgpy-cpuprof/*.cpuprofile; do [ -e "$f" ] && python3 bench/h100/cpuprof_top.py "$f" 22; done
echo "== 3c. GPU time a step by dispatch shape (WGPY_GPU_TIMING=1: a pass a dispatch; new)"
WGPY_GPU_TIMING=1 wg new timeout 60 python3 bench/h100/train_ms.py 10 3 $PROFM ${BATCHES#*,} --split --gpu 2>&1 | grep -E "ms/iter|GPU|Error"
echo "== 4. ra_check.py (best of 6 rounds of 20, every result read; ms an operation)"
for cfg in new new:0 $OLD; do
  lab $cfg; wg $cfg timeout 40 python3 bench/h100/ra_check.py $RN 2>&1 | grep -E "ms/op|Error"
done
