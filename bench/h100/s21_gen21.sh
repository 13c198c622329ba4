#!/usr/bin/env bash
# bench/h100/s21_gen21.sh — issue 11's random numbers: is the generator the cost?  Same call:
#   1. the library's 16M normal / uniform / randint (GPU ms a call, timestamps; main's library)
#   2. CuPy's Generator and RandomState (CUDA events)
#   3. rng21_gen.mjs: hand-written workgroup-form kernels with Philox4x32-10 (the library's),
#      Philox4x32-7, Threefry2x32-20, Threefry4x32-20/13 and the stores alone
#   4. 1 and 2 again (the rows alternate)
# About 60 s on the H100.   bash bench/h100/run_branches.sh 200 gen21
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); N=$((16 << 20))
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
lib() { warm; PYTHONPATH="$R/python:$R/bench/h100" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
          WGPY_GPU_TIMING=1 timeout 60 python3 bench/h100/s16_rng16.py $N 2>&1 | sed 's/^/  wgpy /'; }
cup() { warm; timeout 40 python3 bench/h100/s16_cupy.py $N 2>&1 | sed 's/^/  cupy /'; }
echo "== 1, 2"; lib; cup
echo "== 3. rng21_gen.mjs"; warm; timeout 200 node bench/h100/rng21_gen.mjs $N 3 2>&1
echo "== 4"; cup; lib
nvidia-smi --query-gpu=clocks.sm --format=csv,noheader
