#!/usr/bin/env bash
# bench/h100/run_session10d.sh — the second half of session 10's closing figures (carry .carry .gl
# .cch): host against GPU per call, the radix sort after this session's changes (with the
# keys-only diagnostics of bench/h100/run_sort_check.sh), issue 11's factorizations.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
echo "== 3. host and GPU per call"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 200 python3 bench/h100/gpu_split.py 20
echo "== 4. sort"
remote libwgpy_new.so timeout 150 python3 bench/sort.py --path radix 1048576 16777216 | tee /tmp/wgpy_sort.txt
timeout 40 python3 bench/h100/sort_cupy.py 1048576 16777216 | tee /tmp/cupy_sort.txt
python3 bench/h100/sort_ratio.py /tmp/wgpy_sort.txt /tmp/cupy_sort.txt
for m in 1 2 3; do
    echo "== WGPY_RADIX_KEYS_ONLY=$m (sort rows only matter)"
    WGPY_RADIX_KEYS_ONLY=$m remote libwgpy_new.so timeout 60 python3 bench/sort.py --path radix 1048576
done
echo "== GPU time per dispatch shape"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 120 python3 bench/h100/sort_profile.py 1048576 16777216
echo "== 5. issue 11"
remote libwgpy_new.so timeout 150 python3 bench/issue11_bench.py --only olv --pipelined 10 --json build/i11a.json
remote libwgpy_new.so timeout 150 python3 bench/issue11_bench.py --only chol --pipelined 10 --json build/i11b.json
timeout 120 python3 bench/h100/issue11_cupy.py --only olv --pipelined 10
timeout 120 python3 bench/h100/issue11_cupy.py --only chol --pipelined 10
