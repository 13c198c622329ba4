#!/usr/bin/env bash
# bench/h100/s20_pyo20.sh — issue 15's H100 guards (sum 64M >= 0.95 of CuPy, add 1.0, matmul
# 0.66) by the method that set them (session 3, bench/h100/run.sh): wgpy in Pyodide on Node over
# Dawn (bench/h100/wgpy_bench.py: differential rounds of k and 1 operations) and CuPy
# (cupy_baseline.py), REPEAT times (default 1) each, each after a GPU warm-up, then ratios.py's table.
# Sessions 13-20 measured the sum through the native host instead (sum_guard.py: 0.82 by
# differential rounds, the kernels' own GPU time 0.93-0.99 of CuPy's: s20_fin20.sh).
# Then argsort's GPU time by dispatch for float32 and int32 keys (sort16_bench.py).
#   carry .carry/pyodide.tar.xz and .carry/dist (the Pyodide wheel) besides the usual
#   on the device: bash bench/h100/run_branches.sh 400 pyo20
set -uo pipefail
R=$(pwd)
. bench/h100/setup_device.sh
W=$(ls "$(dirname "$(readlink -f .carry)")"/.carry/dist/*.whl | head -1)
warm() {
  timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()" >/dev/null 2>&1
  nvidia-smi --query-gpu=clocks.sm --format=csv,noheader | sed 's/^/(clock after warm-up: /; s/$/)/'
}
mkdir -p build
echo "node $(node --version); $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader); wheel $(basename "$W")"
for i in $(seq 1 ${REPEAT:-1}); do
  warm; timeout 170 scripts/wgpy --wheel "$W" --backend webgpu run bench/h100/wgpy_bench.py "build/h100-wgpy-$i.json" 2>&1 | grep -E "^wgpy|Error|error" | head -20
  warm; timeout 60 python3 bench/h100/cupy_baseline.py "build/h100-cupy-$i.json" 2>&1 | tail -3
done
python3 bench/h100/ratios.py --wgpy build/h100-wgpy-*.json --cupy build/h100-cupy-*.json
echo "== argsort at 2^24, float32 against int32 keys: GPU ms a call by dispatch (sort16_bench.py, WGPY_GPU_TIMING=ids)"
echo "   (s20_dev20/fin20: float32 argsort 2.25-3.06 ms a call back to back, int32 1.57-1.83, the same kernels)"
warm
LIB=$R/.cch/libwgpy_new.so
WGPY_GPU_TIMING=ids PYTHONPATH=$R/python WGPY_LIBRARY=$LIB WGPY_BACKEND=webgpu timeout 90 \
  python3 bench/h100/sort16_bench.py --reps 4 --ops sort,argsort --dtypes float32,int32 16777216 2>&1 | grep -v "^$"
