#!/usr/bin/env bash
# bench/h100/s22_ver22.sh — session 22's second call: the new reduction defaults (4 vec4 loads a
# step, 1024 slices on GPUs) against the old ones (WGPY_RED_LOADS=1 WGPY_WEBGPU_RED_TARGET=2048)
# in the same call, each by its captured kernel (sum_probe.mjs --b2b), CuPy by CUDA events; then
# the random lane kernels' direct stores: session 21's library (.cch/l22/rng21.so.xz, branch
# rng21 = main's random kernels before session 22) against this one, CuPy in the same call.
#   bash bench/h100/s22_ver22.sh     (carry .carry/node.xz .carry/webgpu.tar.xz .gl .cch)
set -uo pipefail
R=$(pwd)
. bench/h100/setup_device.sh
LIB=/tmp/lib22.so; xz -dc .cch/l22/main.so.xz > $LIB
OLD=/tmp/rng21.so; xz -dc .cch/l22/rng21.so.xz > $OLD
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
cap() {
  env "$@" PYTHONPATH=$R/python WGPY_LIBRARY=$LIB WGPY_BACKEND=webgpu timeout 60 python3 -c "
import wgpy as wp
x = wp.sin(wp.arange(64 << 20, dtype='float32')); float(x[0]); print('sum', float(x.sum()))" 2>&1 | tail -1
}
cap WGPY_WEBGPU_DUMP=/tmp/sum_new.jsonl
cap WGPY_WEBGPU_DUMP=/tmp/sum_old.jsonl WGPY_RED_LOADS=1 WGPY_WEBGPU_RED_TARGET=2048
for r in 1 2; do
  echo "== sum round $r"
  warm; cupy_sum64
  for v in old new; do echo "-- $v"; timeout 60 node bench/h100/sum_probe.mjs /tmp/sum_$v.jsonl --b2b 2>&1 | grep -v '^|---' | tail -2; done
done
N=$((16 << 20))
lib() { warm; PYTHONPATH="$R/python:$R/bench/h100" WGPY_LIBRARY=$2 WGPY_BACKEND=webgpu \
          WGPY_GPU_TIMING=1 timeout 60 python3 bench/h100/s16_rng16.py $N 2>&1 | sed "s/^/  $1 /"; }
for r in 1 2; do
  echo "== rng round $r"; lib rng21 $OLD; lib new22 $LIB
  warm; timeout 40 python3 bench/h100/s16_cupy.py $N 2>&1 | sed 's/^/  cupy /'
done
nvidia-smi --query-gpu=clocks.sm --format=csv,noheader
