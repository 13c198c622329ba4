#!/usr/bin/env bash
# bench/h100/s14_sort14.sh — session 14, branch sort14 (issue 10: sort and argsort >= 0.5x CuPy;
# docs/sorting.md "Session 14").  Run from a checkout with .cch/libwgpy_new.so built (and
# .cch/libwgpy_old.so, main's, if present); every library through this checkout's Python.
# New: CUDA's warp intrinsics run as WGSL subgroup operations where the adapter's subgroups are
# exactly 32 lanes (the host requests `subgroups`, wg_set_subgroups), and the radix scatter's
# raking scan can scan its 32-sum rows by warps (__shfl_up_sync; default in this call's version).  =0: the
# scatter without warps (before/after in the same library); WGPY_SUBGROUPS=0: no subgroups;
# WGPY_RADIX_WARP=2 ('rank'): the tile ranked by warps in one 8-bit round (8 ballots a key, CUB's
# warp multi-split) instead of two 4-bit rounds of per-point counters.
#  0. warm the GPU (it idles at 345 MHz);
#  1. subgroups: the host's sizes, the warp intrinsics against NumPy, and a shuffle-heavy kernel
#     with and without subgroups;
#  2. correctness: radix_check.py (float32 bits and ties, sort bit for bit, stable argsort) at
#     2^20 and 2^24; integer dtypes and a batch at 2^20 and 2^24; the same for rank;
#  3. wall per call (8 reps, all printed): new, rank, nowarp, old, new, rank;
#  4. GPU time per dispatch shape (WGPY_GPU_TIMING=1): new, rank, nowarp, and the one sweep (session
#     13's one launch a pass, WGPY_RADIX_ONESWEEP=1, whose scatters scan by warps too).  Shapes at 2^24 (4096
#     tiles): scatters 1048576 points, counts 1048832, the all-digit count 1049088, row scans
#     65536.
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
    new) remote libwgpy_new.so "$@" ;;
    nowarp) WGPY_RADIX_WARP=0 remote libwgpy_new.so "$@" ;;
    sweep) WGPY_RADIX_ONESWEEP=1 remote libwgpy_new.so "$@" ;;
    rank) WGPY_RADIX_WARP=2 WGPY_RADIX_ONESWEEP=0 remote libwgpy_new.so "$@" ;;
    *) remote "libwgpy_$v.so" "$@" ;;
    esac
}
clocks() { timeout 5 nvidia-smi --query-gpu=clocks.sm,clocks.mem,pstate --format=csv,noheader 2>&1 | head -1; }
echo "== 0. warm-up (clocks before: $(clocks))"
timeout 15 python3 -c "
import cupy as cp, time
x = cp.random.random(1 << 24, dtype=cp.float32); t = time.time()
while time.time() - t < 1.5: cp.sort(x)
cp.cuda.Device().synchronize()" 2>&1 | tail -1
echo "clocks after warm-up: $(clocks)"
echo "== 1. subgroups (new; then WGPY_SUBGROUPS=0)"
remote libwgpy_new.so timeout 25 python3 bench/h100/warp_check.py
WGPY_SUBGROUPS=0 remote libwgpy_new.so timeout 25 python3 bench/h100/warp_check.py
echo "== 2. check (new) at 2^20 and 2^24"
remote libwgpy_new.so timeout 30 python3 bench/h100/radix_check.py 1048576
remote libwgpy_new.so timeout 45 python3 bench/h100/radix_check.py 16777216
remote libwgpy_new.so timeout 40 python3 bench/h100/sort14_ints.py 1048576
remote libwgpy_new.so timeout 60 python3 bench/h100/sort14_ints.py 16777216
echo "-- rank (WGPY_RADIX_WARP=2)"
runv rank timeout 30 python3 bench/h100/radix_check.py 1048576
runv rank timeout 45 python3 bench/h100/radix_check.py 16777216
runv rank timeout 40 python3 bench/h100/sort14_ints.py 1048576
echo "== 3. wall per call (ms; 1M and 16M float32; 8 reps each, all printed)"
vs="new rank nowarp"; [ -f .cch/libwgpy_old.so ] && vs="$vs old"; vs="$vs new rank"
for v in $vs; do
    echo "-- $v"
    runv $v timeout 25 python3 bench/h100/sort13_bench.py --reps 8 1048576 16777216
done
echo "clocks: $(clocks)"
timeout 25 python3 bench/h100/sort_cupy.py 1048576 16777216
echo "== 4. GPU time per dispatch shape (WGPY_GPU_TIMING=1, 5 reps)"
for v in new rank nowarp sweep; do
    echo "-- $v"
    WGPY_GPU_TIMING=1 runv $v timeout 25 python3 bench/h100/sort13_bench.py --reps 5 1048576 16777216
done
