#!/usr/bin/env bash
# bench/h100/s11_linalg11.sh — issue 11's blocked LU and Cholesky before (.cch/libwgpy_old.so, main)
# and after (.cch/libwgpy_new.so, this branch) in one call: issue11_bench.py's solve and cholesky,
# CuPy's cuSOLVER on the same card, and the GPU time per dispatch key (bench/h100/linalg_profile.py).
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
for lib in libwgpy_old.so libwgpy_new.so; do
    echo "== $lib: issue11_bench solve, cholesky"
    remote $lib timeout 70 python3 bench/issue11_bench.py --only olv --pipelined 10 2>&1 | grep -v "^$" | tail -5
    remote $lib timeout 70 python3 bench/issue11_bench.py --only chol --pipelined 10 2>&1 | grep -v "^$" | tail -5
done
echo "== CuPy"
timeout 60 python3 bench/h100/issue11_cupy.py --only olv 2>&1 | grep -i solve
timeout 60 python3 bench/h100/issue11_cupy.py --only chol 2>&1 | grep -i chol
for lib in libwgpy_old.so libwgpy_new.so; do
    echo "== $lib: GPU ms per dispatch key (WGPY_GPU_TIMING=1)"
    WGPY_GPU_TIMING=1 remote $lib timeout 70 python3 bench/h100/linalg_profile.py --top 7
done
