#!/usr/bin/env bash
# bench/h100/s11_scan11.sh — issue 10 on the H100 for branch scan11 (the workgroup-memory tile
# scan): main's native library (.cch/libwgpy_old.so) against this branch's (.cch/libwgpy_new.so)
# natively through the Node + Dawn host, alternating, then CuPy; GPU time per dispatch shape;
# the 1M gather against CuPy.  Run from the repository root on the device machine.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
# main's library lacks wg_set_scan_path, which this branch's python binds: the old runs take a
# copy of the package without that one binding (the rest is main's, merged into this branch)
OLDPY=/tmp/s11_oldpy; rm -rf $OLDPY; mkdir -p $OLDPY; cp -r "$R/python/wgpy" $OLDPY/
sed -i "/'wg_set_scan_path'/d" $OLDPY/wgpy/_lib.py
remote() {
    local lib="$1" py="$R/python"; shift
    [ "$lib" = libwgpy_old.so ] && py=$OLDPY
    PYTHONPATH="$py:$R/.cch/site:$R/bench/h100" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"
}
for v in old new; do
    echo "== check $v"
    remote libwgpy_$v.so timeout 90 python3 bench/h100/scan_check.py 2>&1 | tail -3
done
for i in 1 2; do
    for v in old new; do
        echo "== scan_bench $v ($i)"
        remote libwgpy_$v.so timeout 60 python3 bench/h100/scan_bench.py 2>&1 | sed "s/^wgpy/$v/"
    done
done
echo "== scan_bench CuPy"
timeout 60 python3 bench/h100/scan_bench.py --cupy
for v in old new; do
    echo "== GPU time per call and dispatch shape, $v"
    WGPY_GPU_TIMING=1 remote libwgpy_$v.so timeout 60 python3 bench/h100/scan_split.py 10
done
echo "== 1M gather"
for v in old new; do
    remote libwgpy_$v.so timeout 40 python3 bench/h100/gather_bench.py | sed "s/^wgpy/$v/"
done
PYTHONPATH="$R/bench/h100" timeout 40 python3 bench/h100/gather_bench.py --cupy
