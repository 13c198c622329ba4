#!/usr/bin/env bash
# bench/h100/s22_sum22.sh — session 22, issue 15's sum guard (64M float32 sum >= 0.95 of CuPy; 0.99
# one call but 0.93-0.94 back to back in session 20).  The engine's REDUCE kernel captured with
# WGPY_WEBGPU_DUMP for each setting of its two knobs — WGPY_RED_LOADS (vec4 loads a thread issues
# together a step: 1, 2, 4; the same fold order, the same bits) and WGPY_WEBGPU_RED_TARGET (the
# slices, one workgroup each: 2048 is the executor's default, 1024, 528 = 4 per SM) — then rerun
# by bench/h100/sum_probe.mjs --b2b (one sum, and 20 back to back in one compute pass, GPU
# timestamps), alternated over two rounds; CuPy's sum the same way by CUDA events.
#   bash bench/h100/s22_sum22.sh     (carry .carry/node.xz .carry/webgpu.tar.xz .gl .cch)
set -uo pipefail
R=$(pwd)
. bench/h100/setup_device.sh
LIB=/tmp/lib22.so; xz -dc .cch/l22/main.so.xz > $LIB
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
CFGS=${S22_CFGS:-"1:2048 4:2048 2:1024 4:1024 4:528 1:1024"}
for c in $CFGS; do
  u=${c%%:*}; t=${c##*:}
  WGPY_RED_LOADS=$u WGPY_WEBGPU_RED_TARGET=$t PYTHONPATH=$R/python WGPY_LIBRARY=$LIB WGPY_BACKEND=webgpu \
    WGPY_WEBGPU_DUMP=/tmp/sum22_${u}_${t}.jsonl timeout 60 python3 -c "
import wgpy as wp
x = wp.sin(wp.arange(64 << 20, dtype='float32')); float(x[0]); float(x.sum())" >/dev/null 2>&1 || echo "capture $c failed"
done
for r in 1 2; do
  echo "== round $r"
  warm; cupy_sum64
  for c in $CFGS; do
    u=${c%%:*}; t=${c##*:}
    echo "-- loads $u, target $t"
    timeout 60 node bench/h100/sum_probe.mjs /tmp/sum22_${u}_${t}.jsonl --b2b 2>&1 | grep -v '^|---' | tail -3
  done
done
warm; cupy_sum64
nvidia-smi --query-gpu=clocks.sm --format=csv,noheader
# issue 10: sorts of 2^20 back to back (latency-bound: 13 launches), the one sweep (7 launches,
# WGPY_RADIX_ONESWEEP=1) and 2048-key tiles (WGPY_RADIX_TILE=2048: twice the workgroups) against
# the default, CuPy in the same call (bench/h100/sort_rate.py, 10 calls a round, best of 5)
srt() { warm; env "$@" PYTHONPATH=$R/python WGPY_LIBRARY=$LIB WGPY_BACKEND=webgpu timeout 60 \
          python3 bench/h100/sort_rate.py 10 5 $((1 << 20)) 2>&1 | sed "s/^/  $* /"; }
for r in ${S22_SORT_ROUNDS:-1}; do
  echo "== sort 2^20 round $r"
  srt WGPY_RADIX_ONESWEEP=0; srt WGPY_RADIX_ONESWEEP=1; srt WGPY_RADIX_TILE=2048
  warm; timeout 60 python3 bench/h100/sort_rate.py --cupy 10 5 $((1 << 20)) 2>&1 | sed 's/^/  cupy /'
done
[ -n "${S22_NO_RNG:-}" ] && exit 0
# issue 11: the random lane kernels' stores without the arrayLength test (__in_range() in the
# workgroup form: session 21's ladder `direct`), session 21's library (rs) against this one
xz -dc .cch/l22/rng21.so.xz > /tmp/lib_rs.so; N=$((16 << 20))
lib() { warm; PYTHONPATH="$R/python:$R/bench/h100" WGPY_LIBRARY=$2 WGPY_BACKEND=webgpu \
          WGPY_GPU_TIMING=1 timeout 60 python3 bench/h100/s16_rng16.py $N 2>&1 | sed "s/^/  $1 /"; }
for r in 1 2; do
  echo "== rng round $r"; lib rs21 /tmp/lib_rs.so; lib new22 $LIB
  warm; timeout 40 python3 bench/h100/s16_cupy.py $N 2>&1 | sed 's/^/  cupy /'
done
