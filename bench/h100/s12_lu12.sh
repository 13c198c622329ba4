#!/usr/bin/env bash
# bench/h100/s12_lu12.sh — issue 11's solve/inv 1024^2 and cholesky 2048^2 before
# (.cch/libwgpy_old.so, main) and after (.cch/libwgpy_new.so, branch lu12) in one call; the new
# library also with every barrier a storage barrier (WGPY_STORAGE_BARRIERS=1: what __wg_barrier()
# saves) and with LU panels of 16 columns (WGPY_LU_NB=16; 32 is the default); CuPy's cuSOLVER on
# the same card; the GPU time per dispatch key (bench/h100/linalg_profile.py).
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
echo "== call + read (median of 5), back to back (rounds of 10/20), checks on random matrices"
remote libwgpy_new.so timeout 40 python3 bench/h100/lu12_bench.py --tag new 2>&1 | tail -6
remote libwgpy_old.so timeout 35 python3 bench/h100/lu12_bench.py --tag old 2>&1 | tail -6
timeout 25 python3 bench/h100/lu12_bench.py --cupy 2>&1 | tail -3
echo "== libwgpy_new.so: GPU ms per dispatch key (WGPY_GPU_TIMING=1)"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 25 python3 bench/h100/linalg_profile.py --top 6
WGPY_STORAGE_BARRIERS=1 remote libwgpy_new.so timeout 25 python3 bench/h100/lu12_bench.py --tag new+sb --nocheck 2>&1 | tail -4
WGPY_LU_NB=16 remote libwgpy_new.so timeout 25 python3 bench/h100/lu12_bench.py --tag new16 2>&1 | tail -6
echo "== libwgpy_old.so: GPU ms per dispatch key (WGPY_GPU_TIMING=1)"
WGPY_GPU_TIMING=1 remote libwgpy_old.so timeout 25 python3 bench/h100/linalg_profile.py --top 6
