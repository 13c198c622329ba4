#!/usr/bin/env bash
# bench/h100/s13_sort13.sh — session 13, branch sort13 (issue 10: sort and argsort >= 0.5x CuPy;
# docs/sorting.md "One sweep").  Run from a checkout of the branch with .cch/libwgpy_new.so (this
# branch) and .cch/libwgpy_old.so (main) built; both through this branch's Python (only the .so
# differs).  This branch: a radix pass is one launch (the scatter finds its tile's offsets by a
# decoupled look-back that never waits), 8 launches a sort instead of 13.  nosweep =
# WGPY_RADIX_ONESWEEP=0: this library with the old count + row scan + scatter passes.
# Most important first:
#  1. correctness of the one sweep on the GPU (radix_check.py: sort bit for bit, stable argsort,
#     against NumPy, random bits and ties) at 2^20 and 2^24;
#  2. wall per call, every rep printed (the 1.9-7.2 ms spread of session 12): old, new, nosweep,
#     twice in alternating order, the GPU clocks before and after; CuPy;
#  3. GPU time per dispatch shape (WGPY_GPU_TIMING=1): new, old.  Shapes at 2^24 (4096 tiles):
#     scatters 1048576 points (new: 4 of them, the whole pass), hist 1049088, gscan 1024;
#     old: + counts 1048832, row scans 256 << lt.
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
    nosweep) WGPY_RADIX_ONESWEEP=0 remote libwgpy_new.so "$@" ;;
    *) remote "libwgpy_$v.so" "$@" ;;
    esac
}
clocks() { timeout 5 nvidia-smi --query-gpu=clocks.sm,clocks.mem,pstate,temperature.gpu,power.draw --format=csv,noheader 2>&1 | head -2; }
echo "== 1. check (new) at 2^20 and 2^24"
remote libwgpy_new.so timeout 25 python3 bench/h100/radix_check.py 1048576
remote libwgpy_new.so timeout 40 python3 bench/h100/radix_check.py 16777216
echo "== 2. wall per call (ms; 1M and 16M float32; 8 reps each, all printed); clocks: $(clocks)"
for v in old new nosweep new old; do
    echo "-- $v"
    runv $v timeout 25 python3 bench/h100/sort13_bench.py --reps 8 1048576 16777216
done
echo "clocks after: $(clocks)"
timeout 25 python3 bench/h100/sort_cupy.py 1048576 16777216
echo "== 3. GPU time per dispatch shape (WGPY_GPU_TIMING=1, 5 reps)"
for v in new old; do
    echo "-- $v"
    WGPY_GPU_TIMING=1 runv $v timeout 25 python3 bench/h100/sort13_bench.py --reps 5 1048576 16777216
done
echo "== 4. int16 / uint8 check at 2^20 (new; 2 and 1 passes)"
remote libwgpy_new.so timeout 15 python3 -c "
import numpy as np, wgpy as wp
from wgpy import _sort
_sort._set_sort_path('radix')
r = np.random.default_rng(3)
for dt in ('int16', 'uint8', 'int32'):
    a = r.integers(np.iinfo(dt).min, np.iinfo(dt).max, 1 << 20, dtype=dt); x = wp.asarray(a)
    print(dt, 'sort', 'ok' if np.array_equal(wp.asnumpy(wp.sort(x)), np.sort(a)) else 'WRONG',
          'argsort', 'ok' if np.array_equal(wp.asnumpy(wp.argsort(x)), np.argsort(a, kind='stable')) else 'WRONG')
"
