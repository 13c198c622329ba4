#!/usr/bin/env bash
# bench/h100/s13_sort13.sh — session 13, branch sort13 (issue 10: sort and argsort >= 0.5x CuPy;
# docs/sorting.md "Session 13").  Run from a checkout with .cch/libwgpy_new.so built (and
# .cch/libwgpy_old.so, if present, as a before); every library through this checkout's Python.
# The one sweep (a radix pass in one launch, decoupled look-back that never waits) is the cpu's
# default and opt-in on webgpu (WGPY_RADIX_ONESWEEP=1): the mid-way call (17:05) measured its
# pass at 0.60 ms against 0.43 for count + row scan + scatter at 2^24 — with a storageBarrier()
# at each of its 19 barriers, removed since (d3b644c).  This call tells whether it is faster now.
#  0. warm the GPU (it idles at 345 MHz: the mid-way call's first runs were at low clock);
#  1. check the one sweep (radix_check.py) at 2^20 and 2^24;
#  2. wall per call, every rep printed: default (old passes), sweep, interleaved twice; old;
#  3. GPU time per dispatch shape (WGPY_GPU_TIMING=1): sweep, default.  Shapes at 2^24 (4096
#     tiles): scatters / sweeps 1048576 points, counts 1048832, the all-digit count 1049088,
#     row scans 65536, gscan 1024.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
remote() {
    local lib="$1"; shift
    WGPY_ROOT="$R" PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"
}
runv() {
    local v="$1"; shift
    case "$v" in
    sweep) WGPY_RADIX_ONESWEEP=1 remote libwgpy_new.so "$@" ;;
    default) remote libwgpy_new.so "$@" ;;
    *) remote "libwgpy_$v.so" "$@" ;;
    esac
}
clocks() { timeout 5 nvidia-smi --query-gpu=clocks.sm,clocks.mem,pstate,temperature.gpu,power.draw --format=csv,noheader 2>&1 | head -2; }
echo "== 0. warm-up (clocks before: $(clocks))"
timeout 15 python3 -c "
import cupy as cp, time
x = cp.random.random(1 << 24, dtype=cp.float32); t = time.time()
while time.time() - t < 1.5: cp.sort(x)
cp.cuda.Device().synchronize()" 2>&1 | tail -1
echo "clocks after warm-up: $(clocks)"
echo "== 1. check (sweep) at 2^20 and 2^24"
WGPY_RADIX_ONESWEEP=1 remote libwgpy_new.so timeout 25 python3 bench/h100/radix_check.py 1048576
WGPY_RADIX_ONESWEEP=1 remote libwgpy_new.so timeout 40 python3 bench/h100/radix_check.py 16777216
echo "== 2. wall per call (ms; 1M and 16M float32; 8 reps each, all printed)"
vs="default sweep default sweep"; [ -f .cch/libwgpy_old.so ] && vs="$vs old"
for v in $vs; do
    echo "-- $v"
    runv $v timeout 25 python3 bench/h100/sort13_bench.py --reps 8 1048576 16777216
done
echo "clocks: $(clocks)"
timeout 25 python3 bench/h100/sort_cupy.py 1048576 16777216
echo "== 3. GPU time per dispatch shape (WGPY_GPU_TIMING=1, 5 reps)"
for v in sweep default; do
    echo "-- $v"
    WGPY_GPU_TIMING=1 runv $v timeout 25 python3 bench/h100/sort13_bench.py --reps 5 1048576 16777216
done
