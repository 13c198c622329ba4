#!/usr/bin/env bash
# bench/h100/s11_radix11.sh — session 11, branch radix11 (issue 10: sort and argsort >= 0.5x CuPy;
# docs/sorting.md).  Run from a checkout of the branch with .cch/libwgpy_new.so (this branch) and
# .cch/libwgpy_old.so (main) built (bench/h100/run_session11d.sh does).  Most important first,
# in case a time limit cuts it:
#  1. correctness at 2^20: the keys-alone values sort (the default now) and the sort with
#     positions (WGPY_RADIX_KEYS_ONLY=0), on random bit patterns (NaN payloads, subnormals,
#     -0.0) and ties, sort and stable argsort against NumPy (bench/h100/radix_check.py);
#  2. bench/sort.py --path radix, main's library then this one, best of 5; this one with
#     positions carried (keys alone off); CuPy's sort and argsort; the ratios;
#  3. GPU time per dispatch shape at 2^24 (WGPY_GPU_TIMING=1 bench/h100/sort_profile.py), this
#     library and main's;
#  4. the check at 2^24, the adapter's limits, a second old/new round of bench/sort.py.
# About 2.5 minutes; the timeouts sum to 355 s.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
echo "== 1. keys check at 2^20 (default: keys alone for sort; =0: positions)"
remote libwgpy_new.so timeout 25 python3 bench/h100/radix_check.py 1048576
WGPY_RADIX_KEYS_ONLY=0 remote libwgpy_new.so timeout 25 python3 bench/h100/radix_check.py 1048576
echo "== 2. sort (old = main, new = this branch; best of 5)"
for lib in old new; do
    echo "-- $lib"
    remote libwgpy_$lib.so timeout 35 python3 bench/sort.py --path radix --reps 5 1048576 16777216 | tee /tmp/s11_$lib.txt
done
echo "-- new, WGPY_RADIX_KEYS_ONLY=0 (positions carried)"
WGPY_RADIX_KEYS_ONLY=0 remote libwgpy_new.so timeout 35 python3 bench/sort.py --path radix --reps 5 1048576 16777216
timeout 25 python3 bench/h100/sort_cupy.py 1048576 16777216 | tee /tmp/s11_cupy.txt
echo "-- ratios old"; python3 bench/h100/sort_ratio.py /tmp/s11_old.txt /tmp/s11_cupy.txt
echo "-- ratios new"; python3 bench/h100/sort_ratio.py /tmp/s11_new.txt /tmp/s11_cupy.txt
echo "== 3. GPU time per dispatch shape (2^24)"
for lib in new old; do
    echo "-- $lib"
    WGPY_GPU_TIMING=1 remote libwgpy_$lib.so timeout 30 python3 bench/h100/sort_profile.py 16777216
done
echo "== 4. keys check at 2^24; the adapter; sort again (old, new)"
remote libwgpy_new.so timeout 40 python3 bench/h100/radix_check.py 16777216
timeout 15 node bench/h100/dawn_probe.mjs 2>&1 | head -3
for lib in old new; do
    echo "-- $lib"
    remote libwgpy_$lib.so timeout 35 python3 bench/sort.py --path radix --reps 5 1048576 16777216
done
