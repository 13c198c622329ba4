#!/usr/bin/env bash
# bench/h100/s12_scan12.sh — issue 10 on the H100 for branch scan12 (the tile scan's blocks: a
# reduce pass that reads each block once, fewer totals, several tiles a workgroup): main's native
# library (.cch/libwgpy_old.so) against this branch's (.cch/libwgpy_new.so) through the Node + Dawn
# host, then CuPy; then this branch's block settings with GPU time per dispatch shape.
# Run from the repository root on the device machine; under ~4 minutes (its timeouts).
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
# main's library lacks wg_set_scan_block, which this branch's python binds: the old runs take a
# copy of the package without that one binding (the rest of python/ is main's)
OLDPY=/tmp/s12_oldpy; rm -rf $OLDPY; mkdir -p $OLDPY; cp -r "$R/python/wgpy" $OLDPY/
sed -i "/'wg_set_scan_block'/d" $OLDPY/wgpy/_lib.py
remote() {
    local lib="$1" py="$R/python"; shift
    [ "$lib" = libwgpy_old.so ] && py=$OLDPY
    PYTHONPATH="$py:$R/.cch/site:$R/bench/h100" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"
}
echo "== check new"
remote libwgpy_new.so timeout 60 python3 bench/h100/scan_check.py 2>&1 | tail -2
for v in old new; do
    echo "== scan_bench $v"
    remote libwgpy_$v.so timeout 35 python3 bench/h100/scan_bench.py 2>&1 | sed "s/^wgpy/$v/"
done
echo "== scan_bench CuPy"
timeout 30 python3 bench/h100/scan_bench.py --cupy 2>&1 | grep -v check
echo "== new, block settings (wall ms/call, GPU ms/call, GPU ms per dispatch shape [points])"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 60 python3 bench/h100/scan_blocks.py 2>&1 | tail -60
echo "== new at 1M (fewer blocks than the GPU's workgroup slots?)"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 30 python3 bench/h100/scan_blocks.py 1048576 1 2 4 201 2>&1 | tail -21
echo "== old, GPU per dispatch"
WGPY_GPU_TIMING=1 remote libwgpy_old.so timeout 30 python3 bench/h100/scan_split.py 10 2>&1 | head -30
if [ $SECONDS -lt 170 ]; then
    for v in old new; do
        echo "== scan_bench $v (2)"
        remote libwgpy_$v.so timeout 30 python3 bench/h100/scan_bench.py 2>&1 | grep -v check | sed "s/^wgpy/$v/"
    done
fi
echo "(total $SECONDS s)"
