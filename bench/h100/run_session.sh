#!/usr/bin/env bash
# bench/h100/run_session.sh — one device session's figures in one call (device time is short):
# the kernel-language figure (Mandelbrot ElementwiseKernel vs CuPy), sort/argsort (issue 10:
# goal >= 0.5x CuPy) and the scan/mask pair (goal >= 0.8x CuPy), wgpy over Dawn and CuPy on the
# same H100.  Each step has its own time limit so one slow step cannot eat the others.
#   bash bench/h100/run_session.sh      (on the device machine, from the repository root)
set -uo pipefail
W="$(ls .carry/dist/*.whl | head -1)"
. bench/h100/setup_device.sh
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
REPEAT="${REPEAT:-2}" timeout 200 bash bench/h100/run_kernels.sh "$W"
echo "== sort, wgpy (webgpu over Dawn)"
# three paths in one run: tiles (bitonic in workgroup memory), radix (the LSD radix sort) and
# auto (the engine's choice: radix at these sizes); docs/sorting.md
timeout 200 scripts/wgpy --wheel "$W" --backend webgpu run bench/sort.py --path tiles,radix,auto \
    1048576 16777216 | tee /tmp/wgpy_sort.txt
echo "== sort, CuPy"
timeout 60 python3 bench/h100/sort_cupy.py 1048576 16777216 | tee /tmp/cupy_sort.txt
echo "== sort, CuPy's time / wgpy's (goal >= 0.5)"
python3 bench/h100/sort_ratio.py /tmp/wgpy_sort.txt /tmp/cupy_sort.txt
echo "== scan and mask, wgpy"
timeout 90 scripts/wgpy --wheel "$W" --backend webgpu run bench/h100/scan_bench.py
echo "== scan and mask, CuPy"
timeout 40 python3 bench/h100/scan_bench.py --cupy
