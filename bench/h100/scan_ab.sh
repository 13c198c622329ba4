#!/usr/bin/env bash
# bench/h100/scan_ab.sh — scans and masks before/after on the same H100, one call: wgpy over Dawn
# with a baseline wheel (.carry/base/*.whl, e.g. main's) and this branch's (.carry/dist/*.whl),
# alternating, then CuPy.   bash bench/h100/scan_ab.sh   (on the device machine, repository root)
set -uo pipefail
. bench/h100/setup_device.sh
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
NEW="$(ls .carry/dist/*.whl | head -1)"
BASE="$(ls .carry/base/*.whl 2>/dev/null | head -1)"
for i in 1 2; do
    if [ -n "$BASE" ]; then
        echo "== base ($i)"
        timeout 120 scripts/wgpy --wheel "$BASE" --backend webgpu run bench/h100/scan_bench.py
    fi
    echo "== new ($i)"
    timeout 120 scripts/wgpy --wheel "$NEW" --backend webgpu run bench/h100/scan_bench.py
done
echo "== CuPy"
timeout 60 python3 bench/h100/scan_bench.py --cupy
