#!/usr/bin/env bash
# bench/h100/s19_sort_clock.sh — session 16's sort branch against the engine before it, 16M sort and
# argsort wall per call (sort16_bench.py), each process preceded by a CuPy warm-up so that both
# run at full clock (session 19: s16_sort16.sh's 'new' rows ran after compiles that let the GPU
# drop to a low clock, 3x slower per dispatch than the same kernels later in the run).
#   on the device: bash bench/h100/s19_sort_clock.sh   (carry .carry/node.xz .carry/webgpu.tar.xz .gl .cch)
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); d=/tmp/w/sort19; rm -rf $d; mkdir -p $d/.cch
tar -xJf .cch/br/sort16/src.tar.xz -C $d
for l in node_modules .carry .gl; do ln -s "$R/$l" "$d/$l"; done
xz -dc .cch/br/sort16/libwgpy.so.xz > $d/.cch/libwgpy_new.so
[ -f .cch/libwgpy_old.so ] || xz -dc .cch/libwgpy_old.so.xz > .cch/libwgpy_old.so
[ -d .cch/base ] && ln -s "$R/.cch/base" "$d/.cch/base"
cd $d
warm() { timeout 20 python3 -c "
import cupy as cp, time
x = cp.random.random(1 << 24, dtype=cp.float32); t = time.time()
while time.time() - t < ${1:-1.0}: cp.sort(x)
cp.cuda.Device().synchronize()"; nvidia-smi --query-gpu=clocks.sm --format=csv,noheader; }
B="python3 bench/h100/sort16_bench.py --reps 6 --dtypes float32,int32"
OLDPY=$R/python; [ -d .cch/base/python ] && OLDPY=$d/.cch/base/python
for round in 1 2; do
  warm; echo "-- new (round $round)"
  WGPY_ROOT=$d PYTHONPATH=$d/python WGPY_LIBRARY=$d/.cch/libwgpy_new.so WGPY_BACKEND=webgpu timeout 45 $B --variants new 16777216 2>&1 | grep "wall"
  warm; echo "-- old (round $round)"
  WGPY_ROOT=$d/.cch/base PYTHONPATH=$OLDPY WGPY_LIBRARY=$R/.cch/libwgpy_old.so WGPY_BACKEND=webgpu timeout 45 $B --variants old 16777216 2>&1 | grep "wall"
done
nvidia-smi --query-gpu=clocks.sm --format=csv,noheader
