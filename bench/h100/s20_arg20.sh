#!/usr/bin/env bash
# bench/h100/s20_arg20.sh — session 20's last device call, within the time left: argsort at 2^24,
# float32 against int32 keys, GPU ms a call by dispatch (sort16_bench.py, WGPY_GPU_TIMING=ids):
# back to back float32 argsort took 2.25-3.06 ms a call against int32's 1.57-1.83 on the same
# kernels (s20_dev20.sh, s20_fin20.sh).   on the device: bash bench/h100/run_branches.sh 150 arg20
set -uo pipefail
R=$(pwd)
. bench/h100/setup_device.sh
timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()" >/dev/null 2>&1
nvidia-smi --query-gpu=name,clocks.sm --format=csv,noheader
WGPY_GPU_TIMING=ids PYTHONPATH=$R/python WGPY_LIBRARY=$R/.cch/libwgpy_new.so WGPY_BACKEND=webgpu timeout 100 \
  python3 bench/h100/sort16_bench.py --reps 3 --ops argsort,sort --dtypes float32,int32 16777216 2>&1 | grep -v "^$"
