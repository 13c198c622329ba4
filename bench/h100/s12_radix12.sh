#!/usr/bin/env bash
# bench/h100/s12_radix12.sh — session 12, branch radix12 (issue 10: sort and argsort >= 0.5x CuPy;
# docs/sorting.md).  Run from a checkout of the branch with .cch/libwgpy_new.so (this branch) and
# .cch/libwgpy_old.so (main) built.  This branch: 4096-element radix tiles where the device's
# workgroup memory allows (the engine now learns maxComputeWorkgroupStorageSize from the host),
# swizzled workgroup-memory exchanges, the keys computed by the all-digit count (no key launch),
# the scatters' tiles loaded coalesced through workgroup memory.  Variants of this library in the
# same call: new2048 (WGPY_RADIX_TILE=2048: the old tile size, the rest of the branch kept) and
# newdirect (WGPY_RADIX_LOAD=0: the direct strided loads), so that each change shows apart.
# Most important first:
#  1. correctness at 2^20 (bench/h100/radix_check.py: sort bit for bit, stable argsort, against
#     NumPy on random bit patterns and ties);
#  2. bench/sort.py --path radix best of 5 at 2^20 and 2^24: old, new, new2048, newdirect;
#     CuPy; the ratios;
#  3. GPU time per dispatch shape (WGPY_GPU_TIMING=1 bench/h100/sort_profile.py), float32 at
#     2^20 and 2^24: new, old, new2048, newdirect.  Shapes at 2^24, 4096 tiles: scatters 1048576 points,
#     counts 1048832, the keys + all-digit count 1049088, row scans 256 << lt; 2048 tiles:
#     2097152 / 2097408 / 2097664; old: the key kernel 16777216 and the 2097152 ones;
#  4. the check at 2^24, and at 2^20 with 2048 tiles; int16 / uint8 profile (new); the adapter.
# The old library runs with this branch's Python less wg_set_workgroup_storage (which it lacks).
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
rm -rf /tmp/s12py && mkdir -p /tmp/s12py && cp -r "$R/python/wgpy" /tmp/s12py/
sed -i "/'wg_set_workgroup_storage'/d; s/wg_set_workgroup_storage(c, int(m))  # noqa: F821/pass/" /tmp/s12py/wgpy/_lib.py
remote() {
    local lib="$1"; shift
    local py="$R/python"; [ "$lib" = libwgpy_old.so ] && py=/tmp/s12py
    WGPY_ROOT="$R" PYTHONPATH="$py:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"
}
# v: old, new, new2048 (this library, WGPY_RADIX_TILE=2048), newdirect (WGPY_RADIX_LOAD=0)
runv() {
    local v="$1"; shift
    case "$v" in
    new2048) WGPY_RADIX_TILE=2048 remote libwgpy_new.so "$@" ;;
    newdirect) WGPY_RADIX_LOAD=0 remote libwgpy_new.so "$@" ;;
    *) remote "libwgpy_$v.so" "$@" ;;
    esac
}
echo "== 1. check at 2^20 (4096 tiles here)"
remote libwgpy_new.so timeout 25 python3 bench/h100/radix_check.py 1048576
echo "== 2. sort (old = main, new = this branch, new2048 / newdirect its variants; best of 5)"
for v in old new new2048 newdirect; do
    echo "-- $v"
    runv $v timeout 35 python3 bench/sort.py --path radix --reps 5 1048576 16777216 | tee /tmp/s12_$v.txt
done
timeout 25 python3 bench/h100/sort_cupy.py 1048576 16777216 | tee /tmp/s12_cupy.txt
for v in old new new2048 newdirect; do echo "-- ratios $v"; python3 bench/h100/sort_ratio.py /tmp/s12_$v.txt /tmp/s12_cupy.txt; done
echo "== 3. GPU time per dispatch shape (float32, 2^20 and 2^24)"
for v in new old new2048 newdirect; do
    echo "-- $v"
    WGPY_GPU_TIMING=1 runv $v timeout 40 python3 bench/h100/sort_profile.py --dtypes float32 1048576 16777216
done
echo "== 4. check at 2^24; at 2^20 with 2048 tiles; int16 / uint8 (new); the adapter"
remote libwgpy_new.so timeout 40 python3 bench/h100/radix_check.py 16777216
WGPY_RADIX_TILE=2048 remote libwgpy_new.so timeout 25 python3 bench/h100/radix_check.py 1048576
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 30 python3 bench/h100/sort_profile.py --dtypes int16,uint8 16777216
timeout 15 node bench/h100/dawn_probe.mjs 2>&1 | head -3
