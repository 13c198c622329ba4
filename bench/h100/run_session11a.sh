#!/usr/bin/env bash
# bench/h100/run_session11a.sh — session 11's first H100 call (carry .carry/node.xz
# .carry/webgpu.tar.xz .gl .cch): where the GPU time of issue 10's and 11's slow calls goes, per
# dispatch shape (bench/h100/profile_calls.py), with main's library, and CuPy on the same data.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 400 python3 bench/h100/profile_calls.py --top 10 2>&1 | tee $OUT/profile_wgpy.txt
timeout 120 python3 bench/h100/profile_calls.py --cupy 2>&1 | tee $OUT/profile_cupy.txt
