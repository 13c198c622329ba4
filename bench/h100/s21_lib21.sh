#!/usr/bin/env bash
# bench/h100/s21_lib21.sh — issue 11's random numbers through the library: main's against two
# probe builds, alternated, with CuPy in the same call (GPU ms a call of 16M float32 normal,
# uniform, randint int32, Generator normal; bench/h100/s16_rng16.py, least of 5 rounds of 10):
#   main  .cch/l21/main.so.xz
#   rs    the float32 workgroup form with `wide` and `lg` as literals (branch rng21)
#   tf    rs with Threefry4x32-20 instead of Philox4x32-10 in the lane kernels (branch tf21)
# then rng16_ladder.mjs on the WGSL captured here (SwiftShader, GPU class) by rng16_capture.py
# (.cch/l21/cap_{tf,main}.jsonl: the ladder's `new` is tf, `old` main).
# and fft21_access.mjs (the FFT passes' access patterns alone).
#   bash bench/h100/s21_lib21.sh      (carry .carry/node.xz .carry/webgpu.tar.xz .gl .cch)
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); N=$((16 << 20))
for l in main rs tf; do xz -dc .cch/l21/$l.so.xz > /tmp/lib_$l.so; done
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
lib() { warm; PYTHONPATH="$R/python:$R/bench/h100" WGPY_LIBRARY=/tmp/lib_$1.so WGPY_BACKEND=webgpu \
          WGPY_GPU_TIMING=1 timeout 60 python3 bench/h100/s16_rng16.py $N 2>&1 | sed "s/^/  $1 /"; }
cup() { warm; timeout 40 python3 bench/h100/s16_cupy.py $N 2>&1 | sed 's/^/  cupy /'; }
for r in 1 2; do
  echo "== round $r"; lib main; lib rs; lib tf; cup
done
echo "== rng16_ladder.mjs: tf's generated kernels (new) against main's (old), by Dawn alone"
warm; timeout 200 node bench/h100/rng16_ladder.mjs .cch/l21/cap_tf.jsonl .cch/l21/cap_main.jsonl 2 2>&1
nvidia-smi --query-gpu=clocks.sm --format=csv,noheader
echo "== fft21_access.mjs: the four-step FFT's memory patterns, copies of 2^20 complex64"
warm; timeout 100 node bench/h100/fft21_access.mjs 2>&1
