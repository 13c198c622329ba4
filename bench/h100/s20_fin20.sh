#!/usr/bin/env bash
# bench/h100/s20_fin20.sh — session 20's third device call (main, the unrolled reduction loop
# reverted: the sum kernel's variants were within 2% of each other in s20_dev20.sh):
#  1. sum_probe.mjs again, with 20 sums back to back in one compute pass (GPU ms a sum, CuPy's
#     20 on one stream being the like);
#  2. sum_guard.py --diff: differential rounds (40 sums against 1), wgpy and CuPy alternated twice;
#  3. sorts back to back with the int32 keys first (s20_dev20.sh had float32 argsort 3.06 ms
#     against int32's 1.83: is it the row's place?);
#  4. issue 12's training step against PyTorch, three more rounds (as s20_dev20.sh).
#   on the device: bash bench/h100/run_branches.sh 560 fin20
set -uo pipefail
R=$(pwd)
. bench/h100/setup_device.sh
xz -dc "$(dirname "$(readlink -f .carry)")/.cch/br/fin20/libwgpy_fastops.so.xz" > .cch/libwgpy_fastops.so
export OPENBLAS_NUM_THREADS=1 PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python
LIB=$R/.cch/libwgpy_new.so
[ -d .cch/site ] || [ ! -f .cch/site.tar.xz ] || { mkdir -p .cch/site && tar -xJf .cch/site.tar.xz -C .cch/site; }
SITE=$R/.cch/site
wg() { PYTHONPATH="$R/python:$SITE:$R/bench/h100" WGPY_LIBRARY="$LIB" WGPY_BACKEND=webgpu "$@"; }
warm() {
  timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()" >/dev/null 2>&1
}
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
rm -f /tmp/sum20.jsonl
WGPY_WEBGPU_DUMP=/tmp/sum20.jsonl wg timeout 60 python3 -c "
import wgpy as wp
x = wp.sin(wp.arange(64 << 20, dtype='float32')); float(x[0])
print('sum', float(x.sum()))"
echo "== 1. sum_probe.mjs"
warm; timeout 200 node bench/h100/sum_probe.mjs /tmp/sum20.jsonl 2>&1 | grep -v "^ - \|^$"
echo "== 2. sum_guard.py --diff (best of 5 rounds of 40 and of 1)"
for r in 1 2; do
  warm; wg timeout 90 python3 bench/h100/sum_guard.py 5 --diff 2>&1 | tail -1
  warm; timeout 90 python3 bench/h100/sum_guard.py 5 --diff --cupy 2>&1 | tail -1
done
echo "== 3. sorts back to back, int32 first"
warm; wg timeout 120 python3 bench/h100/sort_rate.py --int-first 10 5 16777216 2>&1 | grep "a call"
python3 bench/h100/mnist_digits.py >/dev/null 2>&1
echo "== 4. training ms/iteration: median of 60 steps after 4 [medians of steps 5-24, 25-44, 45-64]"
for r in 1 2 3; do
  echo "-- round $r"
  warm; timeout 90 python3 bench/h100/torch_training.py --iters 60 --warm 4 --windows 3 2>&1 | grep -E "^\| [mc]"
  warm; wg timeout 120 python3 bench/h100/train_ms.py 60 4 mlp,cnn 32,100 --split --windows=3 2>&1 | grep -E "ms/iter|Error" | sed 's/; /\n   /g'
done
