#!/usr/bin/env bash
# bench/h100/s13_lu13.sh — issue 11's solve/inv 1024^2 and cholesky 2048^2 before
# (.cch/libwgpy_old.so, main) and after (.cch/libwgpy_new.so, branch lu13) in one call, both
# through this checkout's Python (only the library differs): call + read (median of 5), ten back
# to back, a check on random matrices whose pivots swap rows (new only); CuPy's cuSOLVER on the
# same card; the GPU ms per dispatch key and the launches per call (linalg_profile.py); the new
# library again with LU panels of 32 (WGPY_LU_NB=32; 64 = two register halves is the default).
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
echo "== call + read (median of 5), back to back (rounds of 10/20)"
remote libwgpy_new.so timeout 45 python3 bench/h100/lu12_bench.py --tag new 2>&1 | grep -v "ten calls" | tail -6
remote libwgpy_old.so timeout 30 python3 bench/h100/lu12_bench.py --tag old --nocheck 2>&1 | grep -v "ten calls" | tail -3
timeout 25 python3 bench/h100/lu12_bench.py --cupy 2>&1 | tail -3
WGPY_LU_NB=32 remote libwgpy_new.so timeout 25 python3 bench/h100/lu12_bench.py --tag new32 --nocheck 2>&1 | grep -v "ten calls" | tail -3
echo "== GPU ms per dispatch key (WGPY_GPU_TIMING=1): new, new with panels of 32, old"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 30 python3 bench/h100/linalg_profile.py --top 6
WGPY_LU_NB=32 WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 25 python3 bench/h100/linalg_profile.py --top 4 2>&1 | head -10
WGPY_GPU_TIMING=1 remote libwgpy_old.so timeout 30 python3 bench/h100/linalg_profile.py --top 5
