#!/usr/bin/env bash
# bench/h100/s20_sum20.sh — session 20, issue 15's sum guard (0.70-0.72 of CuPy in s20_main20.sh's
# sum_guard rows, 0.95 in session 3): the engine's 64M float32 sum kernel captured with
# WGPY_WEBGPU_DUMP and rerun with variants by bench/h100/sum_probe.mjs (GPU timestamps), after a
# GPU warm-up; then CuPy's sum of the same size by CUDA events; then sum_guard.py with the engine's
# own unrolled loop (WGPY_RED_UNROLL 1, 2, 4: a knob of that call's library only, reverted: the
# variants were within 2% of each other and the guard rows noisier than that) against CuPy.
#   on the device: bash bench/h100/run_branches.sh 300 sum20
set -uo pipefail
R=$(pwd)
. bench/h100/setup_device.sh
LIB=$R/.cch/libwgpy_new.so; [ -e "$LIB" ] || LIB=$R/build/native/libwgpy.so
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
rm -f /tmp/sum20.jsonl
WGPY_RED_UNROLL=1 PYTHONPATH=$R/python WGPY_LIBRARY=$LIB WGPY_BACKEND=webgpu WGPY_WEBGPU_DUMP=/tmp/sum20.jsonl timeout 60 python3 -c "
import wgpy as wp
x = wp.sin(wp.arange(64 << 20, dtype='float32')); float(x[0])
print('sum', float(x.sum()))"
timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()
x = cp.ones(64 << 20, cp.float32); s = cp.cuda.Event(); e = cp.cuda.Event(); ts = []
for i in range(30):
    s.record(); x.sum(); e.record(); e.synchronize(); ts.append(cp.cuda.get_elapsed_time(s, e))
ts.sort(); print('cupy sum 64M: GPU ms a call, median %.4f min %.4f' % (ts[15], ts[0]))"
nvidia-smi --query-gpu=clocks.sm --format=csv,noheader
timeout 200 node bench/h100/sum_probe.mjs /tmp/sum20.jsonl
nvidia-smi --query-gpu=clocks.sm --format=csv,noheader
echo "-- sum_guard.py (20 sums back to back, one read; best of 6): the engine's loads a step (WGPY_RED_UNROLL) alternated, then CuPy"
for r in 1 2; do
  for u in 1 2 4; do
    echo "   unroll $u: $(WGPY_RED_UNROLL=$u PYTHONPATH=$R/python WGPY_LIBRARY=$LIB WGPY_BACKEND=webgpu timeout 60 python3 bench/h100/sum_guard.py 6 2>&1 | tail -1)"
  done
done
echo "   $(timeout 60 python3 bench/h100/sum_guard.py 6 --cupy 2>&1 | tail -1)"
