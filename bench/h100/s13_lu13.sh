#!/usr/bin/env bash
# bench/h100/s13_lu13.sh — issue 11's solve/inv 1024^2 and cholesky 2048^2 before
# (.cch/libwgpy_old.so) and after (.cch/libwgpy_new.so) in one call, both through this
# checkout's Python (only the library differs), interleaved new/old/new/old, each process first
# warming the GPU for 1.5 s (it idles at 345 MHz): call + read (median of 5), ten back to back;
# a check on random matrices whose pivots swap rows (new, once); CuPy's cuSOLVER on the same
# card; the GPU ms per dispatch key and the launches per call (linalg_profile.py).
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
B=bench/h100/lu12_bench.py
echo "== call + read (median of 5), back to back (rounds of 10/20); warmed, interleaved"
remote libwgpy_new.so timeout 45 python3 $B --tag new --warm 1.5 2>&1 | grep -v "ten calls" | tail -5
remote libwgpy_old.so timeout 30 python3 $B --tag old --nocheck --warm 1.5 2>&1 | grep -v "ten calls" | tail -3
remote libwgpy_new.so timeout 30 python3 $B --tag new --nocheck --warm 1.5 2>&1 | grep -v "ten calls" | tail -3
remote libwgpy_old.so timeout 30 python3 $B --tag old --nocheck --warm 1.5 2>&1 | grep -v "ten calls" | tail -3
timeout 25 python3 $B --cupy --warm 1.5 2>&1 | tail -3
echo "== GPU ms per dispatch key (WGPY_GPU_TIMING=1), new then old"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 25 python3 bench/h100/linalg_profile.py --top 4
WGPY_GPU_TIMING=1 remote libwgpy_old.so timeout 25 python3 bench/h100/linalg_profile.py --top 3
